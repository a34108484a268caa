//! One plot over the whole view: double-clicking a plot (or its right-click menu) shows it alone at
//! the height of the window, for the back of a lecture room; double-clicking it again, Esc or
//! "All views" returns. The plot's name (the one its PNG export uses) is kept in egui's memory; a
//! family's views draw the named plot alone when they know it, and a plot they do not draw alone is
//! never left maximised (the app sees that nothing claimed it and returns to all views).

/// Where the maximised plot's name is kept.
fn name_id() -> egui::Id {
    egui::Id::unique("engram-maximised-plot")
}

/// Where "the maximised plot was drawn this frame" is kept.
fn drawn_id() -> egui::Id {
    egui::Id::unique("engram-maximised-plot-drawn")
}

/// The name of the plot shown alone, if one is.
pub fn maximised(ctx: &egui::Context) -> Option<String> {
    ctx.data(|d| d.get_temp::<String>(name_id()))
}

/// Shows the plot `name` alone, or every view again (None).
pub fn set_maximised(ctx: &egui::Context, name: Option<&str>) {
    ctx.data_mut(|d| match name {
        Some(name) => {
            d.insert_temp(name_id(), name.to_string());
        }
        None => d.remove::<String>(name_id()),
    });
}

/// Shows the plot `name` alone from the next frame (or every view, None), from inside the views
/// while they are drawn (a double-click, the plot's menu): the plot counts as drawn this frame.
pub fn show_alone(ctx: &egui::Context, name: Option<&str>) {
    set_maximised(ctx, name);
    ctx.data_mut(|d| d.insert_temp(drawn_id(), true));
}

/// The height a maximised plot takes: what the view has left, less room for its caption.
pub fn height(ui: &egui::Ui) -> f32 {
    (ui.available_height() - 40.0).max(200.0)
}

/// Called for every drawn plot with its response: a double-click maximises it or returns to
/// every view, and the maximised plot notes that it was drawn.
pub fn handle(response: &egui::Response, name: &str) {
    let ctx = &response.ctx;
    let current = maximised(ctx);
    if current.as_deref() == Some(name) {
        ctx.data_mut(|d| d.insert_temp(drawn_id(), true));
    }
    if response.double_clicked() {
        let next = if current.as_deref() == Some(name) {
            None
        } else {
            Some(name)
        };
        show_alone(ctx, next);
    }
}

/// After the views were drawn: true when the maximised plot was among them (the flag is reset for
/// the next frame). A maximised name no view drew is forgotten, so every view shows again.
pub fn settle(ctx: &egui::Context) -> bool {
    let drawn = ctx
        .data_mut(|d| d.remove_temp::<bool>(drawn_id()))
        .unwrap_or(false);
    if !drawn && maximised(ctx).is_some() {
        set_maximised(ctx, None);
    }
    drawn
}

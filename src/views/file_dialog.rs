//! A file dialog drawn by egui itself, for every open and save in the app.
//!
//! Hand-written rather than a crate: `egui-file-dialog` (0.15, the pure-egui one) is built for egui
//! 0.36 and engram uses 0.37, and `rfd`'s native dialogs need a desktop portal or GTK at run time,
//! which a teacher's laptop or a CI machine may lack. This one works on any X11/Wayland session and
//! in kittest. It lists a folder (folders first, then the files of the kind asked for), takes a typed
//! name or path, remembers the last folder of each kind across runs (in egui's persisted memory), asks
//! before replacing anything, and gives back the full path.

use std::path::{Path, PathBuf};

/// What kind of file a dialog is for: its title words, its extensions and the folder it remembers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A TOML scenario.
    Scenario,
    /// A saved session (`.engram`).
    Session,
    /// A recorded run: a folder, NEST's output folder or a spike CSV.
    Run,
    /// Numbers behind a plot (`.csv`).
    Csv,
    /// A picture to save (`.png`).
    Png,
    /// A picture to store as a pattern (`.png`, `.jpg`).
    Picture,
    /// A NEST bundle folder to write.
    Bundle,
    /// The folder new recordings go into.
    RecordingsFolder,
}

impl FileKind {
    /// The extensions listed (lower case, without the dot); empty lists every file.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            Self::Scenario => &["toml"],
            Self::Session => &["engram"],
            Self::Run => &["csv", "dat", "npy", "json"],
            Self::Csv => &["csv"],
            Self::Png => &["png"],
            Self::Picture => &["png", "jpg", "jpeg"],
            Self::Bundle | Self::RecordingsFolder => &[],
        }
    }

    /// Which remembered folder this kind opens in (figures share one, data files another).
    fn folder_key(self) -> &'static str {
        match self {
            Self::Scenario => "scenario",
            Self::Session => "session",
            Self::Run | Self::RecordingsFolder => "runs",
            Self::Csv | Self::Png => "figures",
            Self::Picture => "pictures",
            Self::Bundle => "bundles",
        }
    }

    /// True when the chosen thing is a folder (a bundle written, the recordings' home).
    fn is_folder(self) -> bool {
        matches!(self, Self::Bundle | Self::RecordingsFolder)
    }

    /// True when both a folder and a file may be chosen (a run is either).
    fn folder_or_file(self) -> bool {
        self == Self::Run
    }
}

/// Whether the dialog opens something that exists or names something to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DialogMode {
    /// Choose an existing file (or folder, for runs and the recordings folder).
    Open,
    /// Name a file or folder to write; an existing one is replaced only after asking.
    Save,
}

/// What the user did with the dialog this frame.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DialogOutcome {
    /// Still choosing.
    Open,
    /// Chose this path (absolute); for a save, replacing it was agreed to if it existed.
    Chosen(PathBuf),
    /// Closed without choosing.
    Cancelled,
}

/// One row of the listing.
#[derive(Debug, Clone)]
struct Entry {
    name: String,
    is_dir: bool,
}

/// Most rows listed: a folder of 100,000 files stays responsive (the rest are counted, not shown).
const MAX_ENTRIES: usize = 2_000;

/// An open file dialog.
#[derive(Debug, Clone)]
pub struct FileDialog {
    kind: FileKind,
    mode: DialogMode,
    title: String,
    folder: PathBuf,
    /// The folder field as typed (navigates on Enter).
    folder_text: String,
    /// The file name field (a name in the folder, or a path).
    name: String,
    entries: Vec<Entry>,
    hidden_entries: usize,
    show_all: bool,
    error: Option<String>,
    /// The existing path a save would replace, while the dialog asks.
    confirm_replace: Option<PathBuf>,
}

impl FileDialog {
    /// A dialog titled `title` for `kind`, opening in the folder last used for that kind (or the
    /// working directory) with `suggested` in the name field.
    pub fn new(ctx: &egui::Context, kind: FileKind, mode: DialogMode, title: &str, suggested: &str) -> Self {
        let remembered = ctx.data_mut(|d| d.get_persisted::<String>(Self::memory_id(kind)));
        let folder = remembered
            .map(PathBuf::from)
            .filter(|p| p.is_dir())
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_else(|| PathBuf::from("."));
        Self::in_folder(kind, mode, title, &folder, suggested)
    }

    /// A dialog opening in `folder` (tests use this to start somewhere known).
    pub fn in_folder(kind: FileKind, mode: DialogMode, title: &str, folder: &Path, suggested: &str) -> Self {
        let mut dialog = Self {
            kind,
            mode,
            title: title.to_string(),
            folder: PathBuf::new(),
            folder_text: String::new(),
            name: suggested.to_string(),
            entries: Vec::new(),
            hidden_entries: 0,
            show_all: false,
            error: None,
            confirm_replace: None,
        };
        dialog.go_to(folder.to_path_buf());
        dialog
    }

    /// The kind of file asked for.
    pub fn kind(&self) -> FileKind {
        self.kind
    }

    /// The folder listed.
    pub fn folder(&self) -> &Path {
        &self.folder
    }

    fn memory_id(kind: FileKind) -> egui::Id {
        egui::Id::unique(("engram-last-folder", kind.folder_key()))
    }

    /// Lists `folder` (made absolute); an unreadable folder is reported and the listing kept.
    fn go_to(&mut self, folder: PathBuf) {
        let folder = std::path::absolute(&folder).unwrap_or(folder);
        match std::fs::read_dir(&folder) {
            Ok(read) => {
                let extensions = self.kind.extensions();
                let mut entries: Vec<Entry> = read
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        let name = e.file_name().to_string_lossy().into_owned();
                        let is_dir = e.path().is_dir();
                        let listed = !name.starts_with('.')
                            && (is_dir
                                || (!self.kind.is_folder()
                                    && (self.show_all
                                        || extensions.is_empty()
                                        || has_extension(&name, extensions))));
                        listed.then_some(Entry { name, is_dir })
                    })
                    .collect();
                entries.sort_by(|a, b| {
                    b.is_dir
                        .cmp(&a.is_dir)
                        .then_with(|| a.name.to_lowercase().cmp(&b.name.to_lowercase()))
                });
                self.hidden_entries = entries.len().saturating_sub(MAX_ENTRIES);
                entries.truncate(MAX_ENTRIES);
                self.entries = entries;
                self.folder_text = folder.display().to_string();
                self.folder = folder;
                self.error = None;
            }
            Err(e) => {
                self.error = Some(format!("cannot list {}: {e}", folder.display()));
                self.folder_text = self.folder.display().to_string();
            }
        }
        self.confirm_replace = None;
    }

    /// The path the name field means: a name in the folder, or a path (absolute, or relative to the
    /// folder); a save without an extension gets the kind's first one.
    pub fn target(&self) -> Option<PathBuf> {
        let name = self.name.trim();
        if name.is_empty() {
            return None;
        }
        let mut path = self.folder.join(name);
        if self.mode == DialogMode::Save
            && let Some(first) = self.kind.extensions().first()
            && !has_extension(name, self.kind.extensions())
        {
            path = PathBuf::from(format!("{}.{first}", path.display()));
        }
        Some(std::path::absolute(&path).unwrap_or(path))
    }

    /// What the confirm button does now: a path chosen, a folder entered, or an error shown.
    fn confirm(&mut self) -> Option<PathBuf> {
        let takes_folders = self.kind.is_folder() || self.kind.folder_or_file();
        let Some(path) = self.target() else {
            // No name: an open that takes folders takes the one listed.
            if self.mode == DialogMode::Open && takes_folders {
                return Some(self.folder.clone());
            }
            self.error = Some(match self.mode {
                DialogMode::Open => "choose a file from the list or type its name".into(),
                DialogMode::Save => "type a name".into(),
            });
            return None;
        };
        match self.mode {
            DialogMode::Open => {
                if path.is_dir() && !takes_folders {
                    self.name.clear();
                    self.go_to(path);
                    None
                } else if path.exists() {
                    Some(path)
                } else {
                    self.error = Some(format!("there is no {}", path.display()));
                    None
                }
            }
            DialogMode::Save => {
                let parent = path.parent().map(Path::to_path_buf).unwrap_or_default();
                if !parent.is_dir() {
                    self.error = Some(format!("the folder {} does not exist", parent.display()));
                    None
                } else if path.is_dir() && !self.kind.is_folder() {
                    self.name.clear();
                    self.go_to(path);
                    None
                } else if path.exists() && self.confirm_replace.as_ref() != Some(&path) {
                    self.confirm_replace = Some(path);
                    None
                } else {
                    Some(path)
                }
            }
        }
    }

    /// Draws the dialog as a modal window; remembers the folder when something is chosen.
    pub fn show(&mut self, ctx: &egui::Context) -> DialogOutcome {
        let mut outcome = DialogOutcome::Open;
        let modal =
            egui::Modal::new(egui::Id::unique(("engram-file-dialog", self.title.as_str()))).show(ctx, |ui| {
                ui.set_width(560.0);
                ui.heading(&self.title);
                outcome = self.contents_ui(ui);
            });
        if modal.should_close() && outcome == DialogOutcome::Open {
            outcome = DialogOutcome::Cancelled;
        }
        if let DialogOutcome::Chosen(path) = &outcome {
            // The folder the chosen file or folder is in.
            let folder = path.parent().unwrap_or(&self.folder);
            let key = Self::memory_id(self.kind);
            let folder = folder.display().to_string();
            ctx.data_mut(|d| d.insert_persisted(key, folder));
        }
        outcome
    }

    fn contents_ui(&mut self, ui: &mut egui::Ui) -> DialogOutcome {
        let mut go_to = None;
        ui.horizontal(|ui| {
            if ui.button("Up").on_hover_text("The folder above").clicked()
                && let Some(parent) = self.folder.parent()
            {
                go_to = Some(parent.to_path_buf());
            }
            if ui.button("Home").on_hover_text("Your home folder").clicked()
                && let Some(home) = std::env::var_os("HOME")
            {
                go_to = Some(PathBuf::from(home));
            }
            let label = ui.label("folder").id;
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.folder_text).desired_width(f32::INFINITY))
                .labelled_by(label);
            if field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter)) {
                go_to = Some(PathBuf::from(self.folder_text.trim()));
            }
        });
        let mut chosen = false;
        let row_height = ui.text_style_height(&egui::TextStyle::Body) + 4.0;
        egui::Frame::group(ui.style()).show(ui, |ui| {
            egui::ScrollArea::vertical()
                .max_height(280.0)
                .auto_shrink([false, false])
                .show_rows(ui, row_height, self.entries.len(), |ui, rows| {
                    for entry in &self.entries[rows] {
                        let text = if entry.is_dir {
                            format!("{}/", entry.name)
                        } else {
                            entry.name.clone()
                        };
                        let selected = self.name == entry.name;
                        let response = ui.selectable_label(selected, text);
                        if response.clicked() {
                            self.name = entry.name.clone();
                            self.confirm_replace = None;
                            self.error = None;
                        }
                        if response.double_clicked() {
                            if entry.is_dir
                                && !(self.kind.folder_or_file()
                                    && looks_like_a_run(&self.folder.join(&entry.name)))
                            {
                                go_to = Some(self.folder.join(&entry.name));
                            } else {
                                chosen = true;
                            }
                        }
                    }
                });
            if self.entries.is_empty() {
                ui.weak("(nothing here of this kind)");
            }
            if self.hidden_entries > 0 {
                ui.weak(format!("… and {} more not listed", self.hidden_entries));
            }
        });
        let extensions = self.kind.extensions();
        if !extensions.is_empty()
            && ui
                .checkbox(
                    &mut self.show_all,
                    format!("list every file, not only .{}", extensions.join(", .")),
                )
                .on_hover_text("Files of other kinds are hidden unless this is ticked")
                .changed()
        {
            go_to = Some(self.folder.clone());
        }
        let name_label = if self.kind.is_folder() {
            "folder name"
        } else {
            "file name"
        };
        let mut enter = false;
        ui.horizontal(|ui| {
            let label = ui.label(name_label).id;
            let field = ui
                .add(egui::TextEdit::singleline(&mut self.name).desired_width(f32::INFINITY))
                .labelled_by(label);
            if field.changed() {
                self.confirm_replace = None;
            }
            enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        });
        if let Some(path) = &self.confirm_replace {
            ui.colored_label(
                ui.visuals().warn_fg_color,
                format!("{} exists. Replace it?", path.display()),
            );
        }
        if let Some(error) = &self.error {
            ui.colored_label(ui.visuals().error_fg_color, error);
        }
        let mut outcome = DialogOutcome::Open;
        ui.horizontal(|ui| {
            let confirm_label = match (self.mode, self.confirm_replace.is_some()) {
                (DialogMode::Save, true) => "Replace",
                (DialogMode::Save, false) => "Save",
                (DialogMode::Open, _) if self.kind.is_folder() => "Choose",
                (DialogMode::Open, _) => "Open",
            };
            if (ui.button(confirm_label).clicked() || enter || chosen)
                && let Some(path) = self.confirm()
            {
                outcome = DialogOutcome::Chosen(path);
            }
            if ui.button("Cancel").clicked() {
                outcome = DialogOutcome::Cancelled;
            }
        });
        if let Some(folder) = go_to {
            self.go_to(folder);
        }
        outcome
    }
}

/// True when `name` ends in one of `extensions` (case-insensitive).
fn has_extension(name: &str, extensions: &[&str]) -> bool {
    Path::new(name)
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .is_some_and(|e| extensions.contains(&e.as_str()))
}

/// True when a folder holds a recorded run, opened on a double click instead of entered: engram's
/// recordings and imports have `metadata.json`, NEST's output folders from a bundle `run.json`.
fn looks_like_a_run(folder: &Path) -> bool {
    ["metadata.json", "run.json"]
        .iter()
        .any(|name| folder.join(name).exists())
}

/// A timestamp that reads as a date and time in UTC: `2026-12-06_14-05-09`, for names of new files.
pub fn readable_timestamp(since_epoch: std::time::Duration) -> String {
    let seconds = since_epoch.as_secs();
    let (days, rest) = (seconds / 86_400, seconds % 86_400);
    let (year, month, day) = civil_from_days(days as i64);
    format!(
        "{year:04}-{month:02}-{day:02}_{:02}-{:02}-{:02}",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`;
/// a date crate for this one conversion would be more than the function).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// The time now as [`readable_timestamp`] gives it.
pub fn timestamp_now() -> String {
    readable_timestamp(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_read_as_dates() {
        assert_eq!(
            readable_timestamp(std::time::Duration::ZERO),
            "1970-01-01_00-00-00"
        );
        // 2000-02-29 12:34:56 UTC (a leap day in a century year divisible by 400).
        assert_eq!(
            readable_timestamp(std::time::Duration::from_secs(951_827_696)),
            "2000-02-29_12-34-56"
        );
        assert_eq!(
            readable_timestamp(std::time::Duration::from_secs(1_796_601_600)),
            "2026-12-07_00-00-00"
        );
    }

    #[test]
    fn a_save_gets_the_extension_and_asks_before_replacing() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("old.toml"), "x").expect("write");
        let mut dialog =
            FileDialog::in_folder(FileKind::Scenario, DialogMode::Save, "Save", dir.path(), "new");
        assert_eq!(dialog.confirm(), Some(dir.path().join("new.toml")));
        dialog.name = "old".into();
        assert_eq!(dialog.confirm(), None, "asks first");
        assert!(dialog.confirm_replace.is_some());
        assert_eq!(
            dialog.confirm(),
            Some(dir.path().join("old.toml")),
            "replaces once agreed"
        );
        dialog.name = "missing/x.toml".into();
        assert_eq!(dialog.confirm(), None);
        assert!(
            dialog
                .error
                .as_deref()
                .is_some_and(|e| e.contains("does not exist"))
        );
    }

    #[test]
    fn an_open_lists_folders_then_files_of_its_kind_and_refuses_what_is_not_there() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("Zeta")).expect("dir");
        std::fs::write(dir.path().join("b.engram"), "x").expect("write");
        std::fs::write(dir.path().join("a.ENGRAM"), "x").expect("write");
        std::fs::write(dir.path().join("notes.txt"), "x").expect("write");
        std::fs::write(dir.path().join(".hidden.engram"), "x").expect("write");
        let mut dialog = FileDialog::in_folder(FileKind::Session, DialogMode::Open, "Open", dir.path(), "");
        let names: Vec<&str> = dialog.entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["Zeta", "a.ENGRAM", "b.engram"]);
        assert_eq!(dialog.confirm(), None, "no name");
        dialog.name = "c.engram".into();
        assert_eq!(dialog.confirm(), None);
        assert!(dialog.error.as_deref().is_some_and(|e| e.contains("there is no")));
        dialog.name = "Zeta".into();
        assert_eq!(dialog.confirm(), None, "a folder is entered");
        assert!(dialog.folder().ends_with("Zeta"));
        dialog.name = "../b.engram".into();
        assert!(dialog.confirm().is_some_and(|p| p.ends_with("b.engram")));
    }
}

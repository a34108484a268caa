//! Every colour the app uses, for the light and the dark theme.

use egui::Color32;

/// Colour of excitatory neurons and populations.
pub fn excitatory(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(90, 170, 255)
    } else {
        Color32::from_rgb(20, 90, 200)
    }
}

/// Colour of inhibitory neurons and populations.
pub fn inhibitory(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(255, 110, 90)
    } else {
        Color32::from_rgb(200, 40, 30)
    }
}

/// Colour of a neuron that is on (+1) in a pattern grid.
pub fn neuron_on(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(250, 210, 90)
    } else {
        Color32::from_rgb(30, 30, 40)
    }
}

/// Colour of a neuron that is off (−1) in a pattern grid.
pub fn neuron_off(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(35, 38, 48)
    } else {
        Color32::from_rgb(235, 235, 228)
    }
}

/// Background of the spike raster.
pub fn raster_background(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(16, 18, 24)
    } else {
        Color32::WHITE
    }
}

/// Colour of stored pattern `index` in overlap plots (the cued one is drawn thicker).
pub fn pattern(index: usize) -> Color32 {
    const PALETTE: [Color32; 10] = [
        Color32::from_rgb(31, 119, 180),
        Color32::from_rgb(255, 127, 14),
        Color32::from_rgb(44, 160, 44),
        Color32::from_rgb(214, 39, 40),
        Color32::from_rgb(148, 103, 189),
        Color32::from_rgb(140, 86, 75),
        Color32::from_rgb(227, 119, 194),
        Color32::from_rgb(127, 127, 127),
        Color32::from_rgb(188, 189, 34),
        Color32::from_rgb(23, 190, 207),
    ];
    PALETTE[index % PALETTE.len()]
}

/// Colour of theory curves and reference lines drawn beside measurements.
pub fn theory(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(200, 200, 200)
    } else {
        Color32::from_rgb(60, 60, 60)
    }
}

/// Colour of error messages.
pub fn error(dark: bool) -> Color32 {
    if dark {
        Color32::from_rgb(255, 120, 120)
    } else {
        Color32::from_rgb(190, 20, 20)
    }
}

/// Diverging colour map for a value in [−1, 1] (weights, energies): blue → neutral → red.
pub fn diverging(value: f32, dark: bool) -> Color32 {
    let v = value.clamp(-1.0, 1.0);
    let neutral: [f32; 3] = if dark {
        [30.0, 32.0, 40.0]
    } else {
        [245.0, 245.0, 245.0]
    };
    let end: [f32; 3] = if v >= 0.0 {
        [215.0, 48.0, 39.0]
    } else {
        [49.0, 130.0, 189.0]
    };
    let t = v.abs();
    let mix = |i: usize| (neutral[i] + (end[i] - neutral[i]) * t) as u8;
    Color32::from_rgb(mix(0), mix(1), mix(2))
}

/// Sequential colour map (viridis-like) for t in [0, 1]: low energy dark, high energy bright.
pub fn sequential(t: f32) -> Color32 {
    const STOPS: [[f32; 3]; 5] = [
        [68.0, 1.0, 84.0],
        [59.0, 82.0, 139.0],
        [33.0, 145.0, 140.0],
        [94.0, 201.0, 98.0],
        [253.0, 231.0, 37.0],
    ];
    let x = t.clamp(0.0, 1.0) * (STOPS.len() - 1) as f32;
    let i = (x.floor() as usize).min(STOPS.len() - 2);
    let f = x - i as f32;
    let c = |k: usize| (STOPS[i][k] + (STOPS[i + 1][k] - STOPS[i][k]) * f) as u8;
    Color32::from_rgb(c(0), c(1), c(2))
}

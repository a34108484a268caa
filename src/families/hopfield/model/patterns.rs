//! Pattern sets: random, correlated, built-in letters/digits/symbols, text grids and PNG images.

use rand::RngExt;

use crate::rng::SimRng;

/// A set of ±1 patterns on a `width × height` grid (row-major).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PatternSet {
    /// Name of the set ("letters", "random", a file name).
    pub name: String,
    /// Grid width (neurons per row).
    pub width: usize,
    /// Grid height (rows).
    pub height: usize,
    /// One label per pattern.
    pub labels: Vec<String>,
    /// The patterns, each of `width × height` values ±1.
    pub patterns: Vec<Vec<i8>>,
}

/// Why a pattern set could not be made or read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PatternError {
    /// A line of a pattern file is malformed.
    #[error("{name}, line {line}: {problem}")]
    Parse {
        /// The file or set name.
        name: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        problem: String,
    },
    /// No built-in set has this name.
    #[error("there is no built-in pattern set `{0}` (choose letters, digits or symbols)")]
    UnknownSet(String),
    /// A requested label is not in the set.
    #[error("the set `{set}` has no pattern labelled `{label}`")]
    UnknownLabel {
        /// The set.
        set: String,
        /// The missing label.
        label: String,
    },
    /// A size or fraction is out of range.
    #[error("{0}")]
    Invalid(String),
    /// An image could not be decoded: its name, then what is wrong.
    #[error("could not read the image {0}")]
    Image(String),
}

/// The built-in sets' texts, by name.
const BUILTIN: &[(&str, &str)] = &[
    ("letters", include_str!("../../../../assets/patterns/letters.txt")),
    ("digits", include_str!("../../../../assets/patterns/digits.txt")),
    ("symbols", include_str!("../../../../assets/patterns/symbols.txt")),
];

impl PatternSet {
    /// Names of the built-in sets.
    pub fn builtin_names() -> Vec<&'static str> {
        BUILTIN.iter().map(|(name, _)| *name).collect()
    }

    /// A built-in set by name: "letters", "digits" or "symbols".
    pub fn builtin(name: &str) -> Result<Self, PatternError> {
        let (_, text) = BUILTIN
            .iter()
            .find(|(n, _)| *n == name)
            .ok_or_else(|| PatternError::UnknownSet(name.to_string()))?;
        Self::parse(text, name)
    }

    /// Parses the text grid format: `size WxH`, then `= label` lines each followed by H rows of W
    /// characters, `#` on (+1) and `.` off (−1); `//` starts a comment line, blank lines are ignored.
    pub fn parse(text: &str, name: &str) -> Result<Self, PatternError> {
        let err = |line: usize, problem: String| PatternError::Parse {
            name: name.to_string(),
            line,
            problem,
        };
        let mut size: Option<(usize, usize)> = None;
        let mut labels = Vec::new();
        let mut patterns: Vec<Vec<i8>> = Vec::new();
        let mut rows_in_current = 0;
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = raw.trim();
            if line.is_empty() || line.starts_with("//") {
                continue;
            }
            if let Some(rest) = line.strip_prefix("size") {
                if size.is_some() {
                    return Err(err(line_no, "`size` given twice".into()));
                }
                let (w, h) = rest
                    .trim()
                    .split_once('x')
                    .ok_or_else(|| err(line_no, format!("expected `size WIDTHxHEIGHT`, found `{line}`")))?;
                let parse = |s: &str| {
                    s.trim()
                        .parse::<usize>()
                        .ok()
                        .filter(|&v| (1..=1024).contains(&v))
                };
                match (parse(w), parse(h)) {
                    (Some(w), Some(h)) => size = Some((w, h)),
                    _ => {
                        return Err(err(
                            line_no,
                            format!("width and height must be 1 to 1024, found `{line}`"),
                        ));
                    }
                }
                continue;
            }
            let (width, height) =
                size.ok_or_else(|| err(line_no, "the file must start with `size WxH`".into()))?;
            if let Some(label) = line.strip_prefix('=') {
                if let Some(last) = labels.last()
                    && rows_in_current != height
                {
                    return Err(err(
                        line_no,
                        format!("pattern `{last}` has {rows_in_current} rows, expected {height}"),
                    ));
                }
                let label = label.trim();
                if label.is_empty() {
                    return Err(err(line_no, "a pattern needs a label after `=`".into()));
                }
                if labels.iter().any(|l| l == label) {
                    return Err(err(line_no, format!("the label `{label}` is used twice")));
                }
                labels.push(label.to_string());
                patterns.push(Vec::with_capacity(width * height));
                rows_in_current = 0;
                continue;
            }
            let Some(pattern) = patterns.last_mut() else {
                return Err(err(line_no, "a grid row before the first `= label` line".into()));
            };
            if rows_in_current == height {
                return Err(err(
                    line_no,
                    format!(
                        "pattern `{}` has more than {height} rows",
                        labels[labels.len() - 1]
                    ),
                ));
            }
            if line.chars().count() != width {
                return Err(err(
                    line_no,
                    format!(
                        "a row must have {width} characters, this one has {}",
                        line.chars().count()
                    ),
                ));
            }
            for c in line.chars() {
                pattern.push(match c {
                    '#' => 1,
                    '.' => -1,
                    other => {
                        return Err(err(
                            line_no,
                            format!("unexpected character `{other}` (use # and .)"),
                        ));
                    }
                });
            }
            rows_in_current += 1;
        }
        let (width, height) =
            size.ok_or_else(|| err(1, "the file is empty (it needs `size WxH` and patterns)".into()))?;
        if patterns.is_empty() {
            return Err(err(
                text.lines().count().max(1),
                "the file holds no pattern".into(),
            ));
        }
        if rows_in_current != height {
            return Err(err(
                text.lines().count(),
                format!(
                    "pattern `{}` has {rows_in_current} rows, expected {height}",
                    labels[labels.len() - 1]
                ),
            ));
        }
        Ok(Self {
            name: name.to_string(),
            width,
            height,
            labels,
            patterns,
        })
    }

    /// A black-and-white image as one pattern: dark pixels (below mid grey) are on.
    pub fn from_png(bytes: &[u8], label: &str) -> Result<Self, PatternError> {
        let image = image::load_from_memory(bytes)
            .map_err(|e| PatternError::Image(format!("{label}: {e}")))?
            .to_luma8();
        let (width, height) = (image.width() as usize, image.height() as usize);
        if width * height == 0 || width > 1024 || height > 1024 {
            return Err(PatternError::Invalid(format!(
                "{label}: an image pattern must be 1 to 1024 pixels a side, not {width}×{height}"
            )));
        }
        let pattern = image
            .pixels()
            .map(|p| if p.0[0] < 128 { 1 } else { -1 })
            .collect();
        Ok(Self {
            name: label.to_string(),
            width,
            height,
            labels: vec![label.to_string()],
            patterns: vec![pattern],
        })
    }

    /// A picture (PNG or JPEG bytes) as one pattern of `width` × `height`: scaled to the grid, then
    /// thresholded at its mean grey (dark is on) or dithered (Floyd–Steinberg), which keeps shades
    /// as the density of on pixels.
    pub fn picture(
        bytes: &[u8],
        label: &str,
        (width, height): (usize, usize),
        dither: bool,
    ) -> Result<Vec<i8>, PatternError> {
        check_size(width, height, 1)?;
        let image = image::load_from_memory(bytes)
            .map_err(|e| PatternError::Image(format!("{label}: {e}")))?
            .to_luma8();
        if image.width() == 0 || image.height() == 0 {
            return Err(PatternError::Invalid(format!("{label}: the picture is empty")));
        }
        let scaled = image::imageops::resize(
            &image,
            width as u32,
            height as u32,
            image::imageops::FilterType::Triangle,
        );
        let mut grey: Vec<f32> = scaled.pixels().map(|p| f32::from(p.0[0]) / 255.0).collect();
        let mean = grey.iter().sum::<f32>() / grey.len() as f32;
        let mut pattern = vec![-1i8; width * height];
        for y in 0..height {
            for x in 0..width {
                let k = y * width + x;
                let threshold = if dither { 0.5 } else { mean };
                let on = grey[k] < threshold;
                pattern[k] = if on { 1 } else { -1 };
                if dither {
                    // Floyd–Steinberg: the rounding error goes to the pixels not yet visited.
                    let error = grey[k] - if on { 0.0 } else { 1.0 };
                    let mut spread = |dx: isize, dy: usize, share: f32| {
                        let (nx, ny) = (x as isize + dx, y + dy);
                        if nx >= 0 && (nx as usize) < width && ny < height {
                            grey[ny * width + nx as usize] += error * share;
                        }
                    };
                    spread(1, 0, 7.0 / 16.0);
                    spread(-1, 1, 3.0 / 16.0);
                    spread(0, 1, 5.0 / 16.0);
                    spread(1, 1, 1.0 / 16.0);
                }
            }
        }
        Ok(pattern)
    }

    /// The same patterns on a `width` × `height` grid, each neuron taking the value of the nearest
    /// pixel of the original (a 16×16 letter on a 128×128 grid: every pixel 8×8 neurons).
    pub fn resized(&self, width: usize, height: usize) -> Result<Self, PatternError> {
        check_size(width, height, self.patterns.len())?;
        let patterns = self
            .patterns
            .iter()
            .map(|pattern| {
                (0..width * height)
                    .map(|k| {
                        let (x, y) = (k % width, k / width);
                        let (sx, sy) = (x * self.width / width, y * self.height / height);
                        pattern[sy * self.width + sx]
                    })
                    .collect()
            })
            .collect();
        Ok(Self {
            name: self.name.clone(),
            width,
            height,
            labels: self.labels.clone(),
            patterns,
        })
    }

    /// `count` random patterns; each neuron is on with probability (1 + bias) / 2.
    pub fn random(
        width: usize,
        height: usize,
        count: usize,
        bias: f64,
        rng: &mut SimRng,
    ) -> Result<Self, PatternError> {
        check_size(width, height, count)?;
        if !(-1.0..=1.0).contains(&bias) {
            return Err(PatternError::Invalid(format!(
                "the bias must be in [-1, 1], not {bias}"
            )));
        }
        let p_on = 0.5 * (1.0 + bias);
        let patterns = (0..count)
            .map(|_| {
                (0..width * height)
                    .map(|_| if rng.random_bool(p_on) { 1 } else { -1 })
                    .collect()
            })
            .collect();
        let labels = (1..=count).map(|i| format!("#{i}")).collect();
        Ok(Self {
            name: "random".into(),
            width,
            height,
            labels,
            patterns,
        })
    }

    /// `count` children of one random parent, each differing from it in a random fraction `difference` of bits.
    pub fn correlated(
        width: usize,
        height: usize,
        count: usize,
        difference: f64,
        rng: &mut SimRng,
    ) -> Result<Self, PatternError> {
        check_size(width, height, count)?;
        if !(0.0..=1.0).contains(&difference) {
            return Err(PatternError::Invalid(format!(
                "the difference must be in [0, 1], not {difference}"
            )));
        }
        let parent: Vec<i8> = (0..width * height)
            .map(|_| if rng.random_bool(0.5) { 1 } else { -1 })
            .collect();
        let patterns = (0..count)
            .map(|_| {
                parent
                    .iter()
                    .map(|&s| if rng.random_bool(difference) { -s } else { s })
                    .collect()
            })
            .collect();
        let labels = (1..=count).map(|i| format!("#{i}")).collect();
        Ok(Self {
            name: "correlated".into(),
            width,
            height,
            labels,
            patterns,
        })
    }

    /// The patterns with the given labels, in that order.
    pub fn select(&self, labels: &[String]) -> Result<Self, PatternError> {
        let mut out = Self {
            labels: Vec::new(),
            patterns: Vec::new(),
            ..self.clone()
        };
        for label in labels {
            let index =
                self.labels
                    .iter()
                    .position(|l| l == label)
                    .ok_or_else(|| PatternError::UnknownLabel {
                        set: self.name.clone(),
                        label: label.clone(),
                    })?;
            out.labels.push(label.clone());
            out.patterns.push(self.patterns[index].clone());
        }
        Ok(out)
    }

    /// Number of neurons per pattern.
    pub fn n(&self) -> usize {
        self.width * self.height
    }

    /// Number of patterns.
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// True when the set holds no pattern.
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }
}

fn check_size(width: usize, height: usize, count: usize) -> Result<(), PatternError> {
    if width == 0 || height == 0 {
        return Err(PatternError::Invalid(format!(
            "a grid needs at least one neuron, not {width}×{height}"
        )));
    }
    if count == 0 {
        return Err(PatternError::Invalid("at least one pattern is needed".into()));
    }
    // Checked before anything is allocated: a file may ask for sizes whose product overflows.
    if width
        .checked_mul(height)
        .and_then(|n| n.checked_mul(count))
        .is_none_or(|cells| cells > MAX_PATTERN_CELLS)
    {
        return Err(PatternError::Invalid(format!(
            "{count} patterns of {width}×{height} neurons are more than engram holds \
             (at most {MAX_PATTERN_CELLS} values in all)"
        )));
    }
    Ok(())
}

/// Most values (neurons × patterns) a generated pattern set may hold: 1 GiB of ±1 bytes.
const MAX_PATTERN_CELLS: usize = 1 << 30;

#[cfg(test)]
mod tests {
    use super::*;

    fn png_of(image: image::GrayImage) -> Vec<u8> {
        let mut bytes = Vec::new();
        image
            .write_to(&mut std::io::Cursor::new(&mut bytes), image::ImageFormat::Png)
            .expect("encodes");
        bytes
    }

    /// Dithering keeps a shade as the density of on pixels (Floyd–Steinberg conserves the mean
    /// within the rounding of the last row): 25 % grey gives 75 % on within 3 %, and a left-to-right
    /// ramp turns on fewer pixels in each quarter; thresholding a flat grey gives one colour.
    #[test]
    fn a_dithered_picture_keeps_its_shades() {
        let grey = png_of(image::GrayImage::from_pixel(40, 40, image::Luma([64])));
        let pattern = PatternSet::picture(&grey, "grey", (32, 32), true).expect("converts");
        let on = pattern.iter().filter(|&&v| v == 1).count() as f64 / 1024.0;
        assert!((on - 0.75).abs() < 0.03, "{on} on for 25 % grey");
        let ramp = png_of(image::GrayImage::from_fn(64, 16, |x, _| {
            image::Luma([(x * 4) as u8])
        }));
        let pattern = PatternSet::picture(&ramp, "ramp", (32, 8), true).expect("converts");
        let quarter = |q: usize| {
            (0..8)
                .flat_map(|y| (q * 8..q * 8 + 8).map(move |x| y * 32 + x))
                .filter(|&k| pattern[k] == 1)
                .count()
        };
        assert!(quarter(0) > quarter(1) && quarter(1) > quarter(2) && quarter(2) > quarter(3));
        let flat = PatternSet::picture(&grey, "grey", (8, 8), false).expect("converts");
        assert!(flat.iter().all(|&v| v == flat[0]));
        let err = PatternSet::picture(b"not an image", "notes.png", (8, 8), false).expect_err("refused");
        assert!(err.to_string().contains("notes.png"), "{err}");
    }

    #[test]
    fn parses_a_small_file() {
        let text = "// two\nsize 3x2\n= a\n#.#\n...\n\n= b\n###\n#..\n";
        let set = PatternSet::parse(text, "t").expect("valid");
        assert_eq!((set.width, set.height), (3, 2));
        assert_eq!(set.labels, ["a", "b"]);
        assert_eq!(set.patterns[0], [1, -1, 1, -1, -1, -1]);
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("size 3x2\n= a\n#.#\n..\n", "line 4"),
            ("size 3x2\n= a\n#.#\n..x\n", "line 4"),
            ("= a\n", "line 1"),
            ("size 3x2\n= a\n#.#\n= b\n", "line 4"),
            ("size 3x2\n#.#\n", "line 2"),
            ("", "empty"),
        ];
        for (text, expected) in cases {
            let message = PatternSet::parse(text, "f.txt").expect_err(text).to_string();
            assert!(
                message.contains(expected) && message.contains("f.txt"),
                "{text:?}: {message}"
            );
        }
    }

    #[test]
    fn builtin_sets_load() {
        for name in PatternSet::builtin_names() {
            let set = PatternSet::builtin(name).expect(name);
            assert!(!set.is_empty(), "{name}");
        }
        let letters = PatternSet::builtin("letters").expect("letters");
        assert_eq!(letters.len(), 26);
        assert!(PatternSet::builtin("nope").is_err());
    }

    #[test]
    fn correlated_children_differ_from_each_other_by_about_twice_the_fraction() {
        let mut rng = crate::rng::seeded(1);
        let set = PatternSet::correlated(50, 40, 2, 0.1, &mut rng).expect("valid");
        let differ = set.patterns[0]
            .iter()
            .zip(&set.patterns[1])
            .filter(|(a, b)| a != b)
            .count() as f64
            / 2000.0;
        // Two children differ where exactly one of them flipped: 2 · 0.1 · 0.9 = 0.18.
        assert!((differ - 0.18).abs() < 0.03, "{differ}");
    }
}

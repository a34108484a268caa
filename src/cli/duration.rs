//! Duration flags with their unit: `--duration 2s`, `500ms` or `30sweeps`; a bare number keeps each
//! command's documented unit (seconds for `engram network`, `neuron` and `sample`, the scene's own
//! unit for `engram run`), so the same flag can no longer mean values a thousand times apart
//! without saying so.

use std::str::FromStr;

/// A unit a duration may be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Seconds of simulated time (`s`).
    Seconds,
    /// Milliseconds of simulated time (`ms`).
    Milliseconds,
    /// Sweeps of a Hopfield network (`sweeps`).
    Sweeps,
}

impl TimeUnit {
    /// The unit's name as written after a number.
    pub fn suffix(self) -> &'static str {
        match self {
            TimeUnit::Seconds => "s",
            TimeUnit::Milliseconds => "ms",
            TimeUnit::Sweeps => "sweeps",
        }
    }
}

/// A duration as written on the command line: a number and, if given, its unit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DurationArg {
    /// The number.
    pub value: f64,
    /// Its unit, when written.
    pub unit: Option<TimeUnit>,
}

impl FromStr for DurationArg {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let split = text
            .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
            .unwrap_or(text.len());
        let (number, unit) = text.split_at(split);
        let unit = match unit.trim() {
            "" => None,
            "s" | "sec" => Some(TimeUnit::Seconds),
            "ms" => Some(TimeUnit::Milliseconds),
            "sweep" | "sweeps" => Some(TimeUnit::Sweeps),
            other => {
                return Err(format!(
                    "unknown unit `{other}` in `{text}`: write s, ms or sweeps (e.g. 2s, 500ms, 30sweeps)"
                ));
            }
        };
        let value: f64 = number
            .trim()
            .parse()
            .map_err(|_| format!("`{text}` is not a duration: a number with s, ms or sweeps, e.g. 2s"))?;
        if !(value.is_finite() && value > 0.0) {
            return Err(format!("a duration must be a positive number, not `{text}`"));
        }
        Ok(Self { value, unit })
    }
}

impl DurationArg {
    /// A duration of `value` seconds.
    pub fn seconds(value: f64) -> Self {
        Self {
            value,
            unit: Some(TimeUnit::Seconds),
        }
    }

    /// In seconds of simulated time (a bare number is seconds); sweeps are refused.
    pub fn in_seconds(self) -> Result<f64, String> {
        match self.unit {
            None | Some(TimeUnit::Seconds) => Ok(self.value),
            Some(TimeUnit::Milliseconds) => Ok(self.value / 1000.0),
            Some(TimeUnit::Sweeps) => Err(format!(
                "--duration {}sweeps: this command simulates time (write s or ms); sweeps are a Hopfield scene's unit",
                self.value
            )),
        }
    }

    /// In a scene's time unit, `"ms"` or `"sweeps"` (a bare number is already in it); a unit the
    /// scene does not run in is refused with the one it does.
    pub fn in_scene_unit(self, unit: &str) -> Result<f64, String> {
        match (self.unit, unit) {
            (None, _) => Ok(self.value),
            (Some(TimeUnit::Milliseconds), "ms") | (Some(TimeUnit::Sweeps), "sweeps") => Ok(self.value),
            (Some(TimeUnit::Seconds), "ms") => Ok(self.value * 1000.0),
            (Some(written), scene) => Err(format!(
                "--duration {}{}: this scene's time is in {scene}",
                self.value,
                written.suffix()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Units are read, converted and refused where they do not apply; a bare number keeps its
    /// command's meaning.
    #[test]
    fn durations_carry_their_unit() {
        let d = |text: &str| text.parse::<DurationArg>();
        assert_eq!(d("2s").and_then(|d| d.in_scene_unit("ms")), Ok(2000.0));
        assert_eq!(d("500ms").and_then(|d| d.in_seconds()), Ok(0.5));
        assert_eq!(d("500 ms").and_then(|d| d.in_scene_unit("ms")), Ok(500.0));
        assert_eq!(d("30sweeps").and_then(|d| d.in_scene_unit("sweeps")), Ok(30.0));
        assert_eq!(d("1.5").and_then(|d| d.in_seconds()), Ok(1.5));
        assert_eq!(d("1.5").and_then(|d| d.in_scene_unit("ms")), Ok(1.5));
        assert_eq!(d("1e3ms").and_then(|d| d.in_seconds()), Ok(1.0));
        assert!(d("2s").and_then(|d| d.in_scene_unit("sweeps")).is_err());
        assert!(d("30sweeps").and_then(|d| d.in_seconds()).is_err());
        assert!(d("2h").unwrap_err().contains("unknown unit `h`"));
        assert!(d("-1s").is_err());
        assert!(d("fast").is_err());
    }
}

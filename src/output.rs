//! Headless output shared by every subcommand (the shell's and the families'): readable text or one
//! JSON object on stdout, progress bars on stderr.

use std::io::Write;

use serde::Serialize;

/// Prints a report: one JSON object on stdout with `json`, otherwise the readable `text`.
pub fn print_report<R: Serialize>(
    json: bool,
    report: &R,
    text: impl FnOnce() -> String,
) -> anyhow::Result<()> {
    let out = if json {
        format!("{}\n", serde_json::to_string_pretty(report)?)
    } else {
        text()
    };
    print_text(&out)
}

/// Writes `text` to stdout; a reader that stopped early (`engram ... | head`) is not an error.
pub fn print_text(text: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => Ok(other?),
    }
}

/// A progress bar on stderr for `total` units of work (hidden when stderr is not a terminal).
pub fn progress_bar(total: usize, message: &str) -> indicatif::ProgressBar {
    let bar =
        indicatif::ProgressBar::with_draw_target(Some(total as u64), indicatif::ProgressDrawTarget::stderr());
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({eta})")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.set_message(message.to_string());
    bar
}

/// Adapts an indicatif progress bar to [`crate::progress::Progress`].
pub struct BarProgress(pub indicatif::ProgressBar);

impl crate::progress::Progress for BarProgress {
    fn advance(&mut self, done: usize, total: usize) {
        self.0.set_length(total as u64);
        self.0.set_position(done as u64);
    }
}

/// A byte count as people read it: "512 B", "5.2 KB", "12.3 MB", "1.5 GB" (powers of 1,000).
pub fn byte_size(bytes: u64) -> String {
    let b = bytes as f64;
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} KB", b / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", b / 1e6),
        _ => format!("{:.1} GB", b / 1e9),
    }
}

/// A count with its noun, singular for one: "1 trial", "20 trials".
pub fn counted(n: impl std::fmt::Display + PartialEq<u64> + Copy, noun: &str) -> String {
    if n == 1 {
        format!("{n} {noun}")
    } else {
        format!("{n} {noun}s")
    }
}

#[cfg(test)]
mod tests {
    use super::{byte_size, counted};

    #[test]
    fn counts_take_the_plural_except_for_one() {
        assert_eq!(counted(1u64, "trial"), "1 trial");
        assert_eq!(counted(20u64, "trial"), "20 trials");
    }

    /// Sizes in the unit that shows them: a small session reads "5.2 KB", not "0.0 MB".
    #[test]
    fn sizes_read_in_their_own_unit() {
        assert_eq!(byte_size(512), "512 B");
        assert_eq!(byte_size(5_230), "5.2 KB");
        assert_eq!(byte_size(12_345_678), "12.3 MB");
        assert_eq!(byte_size(1_500_000_000), "1.5 GB");
    }
}

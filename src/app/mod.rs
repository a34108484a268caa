//! The eframe desktop app: sends commands to the engine and draws its snapshots.

/// Opens the desktop window and runs until it is closed.
pub fn run() -> anyhow::Result<()> {
    anyhow::bail!("the desktop app is being built (issue 4); try `engram --help`")
}

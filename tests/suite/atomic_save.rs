//! Killed during a save: a child process saves a large file over and over with
//! `write_atomically`, and is killed with SIGKILL at arbitrary moments. Every time, the file on disk
//! is one complete generation, old or new, never a mix or a truncated one.
//!
//! The child is this test binary run again on the ignored test `child_saves_until_killed`, told
//! by an environment variable where to write.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use engram::app::files::write_atomically;
use rand::RngExt;

/// Where the child writes; without it the child test does nothing.
const TARGET_VAR: &str = "ENGRAM_ATOMIC_SAVE_TARGET";
/// The first generation the child writes.
const FIRST_VAR: &str = "ENGRAM_ATOMIC_SAVE_FIRST";
/// Bytes in one generation (plus a little that varies, so generations differ in length too).
const BODY_BYTES: usize = 4 << 20;
/// How many times the child is killed.
const KILLS: usize = 8;

/// The complete content of generation `g`: a header with g, then bytes that depend on g and position.
fn generation(g: u64) -> Vec<u8> {
    let len = BODY_BYTES + (g % 13) as usize * 997;
    let mut bytes = format!("generation {g:020} length {len:010}\n").into_bytes();
    bytes.extend((0..len).map(|i| (i as u64).wrapping_mul(31).wrapping_add(g.wrapping_mul(7)) as u8));
    bytes
}

/// The generation a file holds, if it is one complete generation and nothing else.
fn complete_generation(bytes: &[u8]) -> Result<u64, String> {
    let header = bytes
        .get(..50)
        .and_then(|h| std::str::from_utf8(h).ok())
        .ok_or_else(|| format!("no header in {} bytes", bytes.len()))?;
    let g: u64 = header
        .get(11..31)
        .and_then(|g| g.parse().ok())
        .ok_or_else(|| format!("bad header {header:?}"))?;
    if bytes == generation(g) {
        Ok(g)
    } else {
        Err(format!(
            "{} bytes claiming generation {g} ({} expected) do not match it",
            bytes.len(),
            generation(g).len()
        ))
    }
}

/// Not a test: the child process that `killed_during_save_the_file_is_old_or_new_never_partial`
/// starts and kills; it only saves, and does nothing without its environment variable.
#[test]
#[ignore = "helper: the child process of killed_during_save_the_file_is_old_or_new_never_partial"]
fn child_saves_until_killed() {
    let Some(target) = std::env::var_os(TARGET_VAR) else {
        return;
    };
    let first: u64 = std::env::var(FIRST_VAR)
        .ok()
        .and_then(|g| g.parse().ok())
        .unwrap_or(1);
    for g in first.. {
        write_atomically(&target, &generation(g)).expect("the child saves");
    }
}

fn read_generation(path: &Path) -> u64 {
    let bytes = std::fs::read(path).expect("the target is readable");
    complete_generation(&bytes).unwrap_or_else(|e| panic!("the saved file is partial: {e}"))
}

#[test]
fn killed_during_save_the_file_is_old_or_new_never_partial() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let target = dir.path().join("scene.toml");
    write_atomically(&target, &generation(0)).expect("the first save");
    let mut rng = engram::rng::seeded(6);
    let mut last = 0;
    for kill in 0..KILLS {
        let first = (kill as u64 + 1) * 1_000_000;
        let mut child = Command::new(std::env::current_exe().expect("this test binary"))
            .args([
                "--exact",
                "atomic_save::child_saves_until_killed",
                "--ignored",
                "--test-threads=1",
            ])
            .env(TARGET_VAR, &target)
            .env(FIRST_VAR, first.to_string())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("the child starts");
        // Let the child replace the file at least once, so that it is mid-save from then on...
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            let g = read_generation(&target);
            assert!(g >= last, "generation {g} after {last}: an older file came back");
            if g >= first {
                break;
            }
            assert!(Instant::now() < deadline, "the child never saved");
            assert!(
                child.try_wait().expect("child status").is_none(),
                "the child exited"
            );
            std::thread::sleep(Duration::from_millis(2));
        }
        // ...then kill it at an arbitrary moment of a later save.
        std::thread::sleep(Duration::from_micros(rng.random_range(0..40_000)));
        child.kill().expect("SIGKILL");
        let status = child.wait().expect("the child is reaped");
        assert!(!status.success(), "the child was killed, not finished");
        let g = read_generation(&target);
        assert!(g >= first && g >= last, "generation {g} after {last}");
        last = g;
    }
    // Only the target and at most one temporary per killed child are left.
    let leftovers: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name != "scene.toml")
        .collect();
    assert!(
        leftovers.len() <= KILLS && leftovers.iter().all(|n| n.starts_with(".scene.toml.tmp-")),
        "{leftovers:?}"
    );
}

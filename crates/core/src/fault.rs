//! Injected write faults, for proving what a full disk does (tests only; inert otherwise).
//!
//! The file writers that matter when a disk fills up — the media store's staging and
//! derived files ([`crate::media::store`]), the backup folder ([`crate::api`]'s backups) and
//! every export ([`crate::export`]'s atomic writer) — write through [`write_all`], which
//! charges the bytes against a budget set for a folder. When the budget runs out the
//! write stops part-way, as a real full disk does, with an `io::Error` of kind
//! `StorageFull`; the caller's ordinary error path then runs (and maps it to
//! [`crate::Error::DiskFull`]). Nothing is armed unless a test calls [`set_write_budget`];
//! unarmed, a write costs one relaxed atomic load.
//!
//! Budgets are per folder so that tests running in parallel in one process do not
//! disturb each other: only writes to paths under that folder are charged.

use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

static ARMED: AtomicBool = AtomicBool::new(false);
static BUDGETS: Mutex<Vec<(PathBuf, u64)>> = Mutex::new(Vec::new());

/// From now on, writes to files under `dir` may use `bytes` more bytes in all; the write
/// that would go past it writes what fits and fails with `StorageFull`, as do all after it.
#[doc(hidden)]
pub fn set_write_budget(dir: &Path, bytes: u64) {
    let mut budgets = BUDGETS.lock().unwrap_or_else(|p| p.into_inner());
    budgets.retain(|(d, _)| d != dir);
    budgets.push((dir.to_path_buf(), bytes));
    ARMED.store(true, Ordering::SeqCst);
}

/// Lifts the budget of `dir` (the disk has room again).
#[doc(hidden)]
pub fn clear_write_budget(dir: &Path) {
    let mut budgets = BUDGETS.lock().unwrap_or_else(|p| p.into_inner());
    budgets.retain(|(d, _)| d != dir);
    if budgets.is_empty() {
        ARMED.store(false, Ordering::SeqCst);
    }
}

/// How many of `wanted` bytes may be written to `path` now (all of them when unarmed).
fn allowance(path: &Path, wanted: u64) -> u64 {
    if !ARMED.load(Ordering::Relaxed) {
        return wanted;
    }
    let mut budgets = BUDGETS.lock().unwrap_or_else(|p| p.into_inner());
    match budgets.iter_mut().find(|(d, _)| path.starts_with(d)) {
        None => wanted,
        Some((_, left)) => {
            let granted = wanted.min(*left);
            *left -= granted;
            granted
        }
    }
}

fn full() -> io::Error {
    io::Error::new(
        io::ErrorKind::StorageFull,
        "No space left on device (injected)",
    )
}

/// `file.write_all(bytes)` for a file at `path`, subject to the budget of its folder.
pub(crate) fn write_all(file: &mut impl Write, path: &Path, bytes: &[u8]) -> io::Result<()> {
    let granted = allowance(path, bytes.len() as u64) as usize;
    file.write_all(&bytes[..granted])?;
    if granted < bytes.len() {
        return Err(full());
    }
    Ok(())
}

/// Charges `len` bytes that another writer (SQLite's `VACUUM INTO`) has already put in
/// `path`: fails with `StorageFull` when they do not fit the budget.
pub(crate) fn charge(path: &Path, len: u64) -> io::Result<()> {
    if allowance(path, len) < len {
        return Err(full());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_stops_writes_part_way_under_its_folder_only() {
        let dir = Path::new("/nonexistent/fault-test");
        set_write_budget(dir, 5);
        let mut out = Vec::new();
        let e = write_all(&mut out, &dir.join("a"), b"0123456789").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::StorageFull);
        assert!(crate::error::is_disk_full(&e));
        assert_eq!(out, b"01234");
        let mut other = Vec::new();
        write_all(&mut other, Path::new("/elsewhere/b"), b"0123456789").unwrap();
        assert_eq!(other.len(), 10);
        assert!(charge(&dir.join("c"), 1).is_err());
        clear_write_budget(dir);
        write_all(&mut out, &dir.join("a"), b"56789").unwrap();
        assert_eq!(out, b"0123456789");
    }
}

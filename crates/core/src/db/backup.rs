//! Database snapshots and restores: `VACUUM INTO` to take a consistent copy of a live
//! database (never a file copy, which could catch a half-written page or miss the WAL),
//! and SQLite's online backup API to put a snapshot back under an open connection in
//! one step.

use super::{check_stamp, integrity_check, read_header, set_pragmas, user_version};
use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags};
use std::path::Path;
use std::time::Duration;

/// Writes a consistent snapshot of `conn`'s database to `dest` (which must not exist).
pub fn snapshot_into(conn: &Connection, dest: &Path) -> Result<()> {
    let text = dest.to_str().ok_or_else(|| {
        Error::Conflict(format!("备份路径含有无法识别的字符：{}", dest.display()))
    })?;
    conn.execute("VACUUM INTO ?1", [text])
        .map_err(|e| match Error::from(e) {
            Error::DiskFull { .. } => Error::DiskFull {
                path: dest.to_path_buf(),
            },
            other => other,
        })?;
    Ok(())
}

/// What a snapshot file holds, read through SQLite after checking its header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SnapshotFacts {
    /// Its schema version.
    pub schema_version: i64,
    /// `PRAGMA integrity_check` found nothing.
    pub intact: bool,
    /// The problems, when not intact.
    pub problems: Vec<String>,
    /// Live items.
    pub item_count: i64,
}

/// Opens a snapshot read-only and checks it: a Feiyi registry, not newer than this build,
/// and intact.
pub fn inspect_snapshot(path: &Path) -> Result<SnapshotFacts> {
    let header = read_header(path)?;
    check_stamp(path, header.application_id, header.user_version)?;
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let problems: Vec<String> = integrity_check(&conn)?
        .into_iter()
        .filter(|p| p != "ok")
        .collect();
    let item_count = conn
        .query_row(
            "SELECT count(*) FROM item WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    Ok(SnapshotFacts {
        schema_version: user_version(&conn)?,
        intact: problems.is_empty(),
        problems,
        item_count,
    })
}

/// Replaces the database under `conn` with the snapshot at `src`, page by page in one
/// step: readers see either the old or the new database, and a crash in between leaves
/// the old one (the copy is one write transaction on `conn`'s file).
pub fn restore_from(conn: &mut Connection, src: &Path) -> Result<()> {
    let source = Connection::open_with_flags(
        src,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    {
        use rusqlite::backup::{Backup, StepResult};
        let backup = Backup::new(&source, conn)?;
        // -1: every page in one step, so the destination changes in one write transaction.
        let mut waited = 0;
        loop {
            match backup.step(-1)? {
                StepResult::Done => break,
                StepResult::Busy | StepResult::Locked if waited < 100 => {
                    waited += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                StepResult::More | StepResult::Busy | StepResult::Locked => {
                    return Err(Error::Conflict(
                        "名录数据库正被其他程序占用，未能恢复；请关闭其他打开此名录的窗口后重试"
                            .into(),
                    ))
                }
                _ => {
                    return Err(Error::Conflict(
                        "恢复时数据库返回了未知状态，未能恢复".into(),
                    ))
                }
            }
        }
    }
    // The copy brings the snapshot's journal mode with the pages; put ours back.
    set_pragmas(conn)?;
    Ok(())
}

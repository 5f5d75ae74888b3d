//! The registry database: opening, stamping, migrating, and every SQL statement.
//!
//! Invariants:
//! - Only this module (and its children) writes SQL.
//! - A file is checked *before* SQLite touches it: a foreign database, a file that
//!   is not a database, or one written by a newer version is refused and left
//!   byte-for-byte unchanged.
//! - Migrations are append-only, numbered, each in its own transaction.
//! - A new registry is built in a temporary file and renamed into place, so a crash
//!   during creation never leaves a half-made registry under the real name.

pub mod activities;
pub mod backup;
pub mod batches;
pub mod exchange;
pub mod imports;
pub mod inheritors;
pub mod items;
pub mod lineage;
pub mod log;
pub mod media;
pub mod plans;
pub mod recycle;
pub mod reference;
pub mod reminders;
pub mod report;
pub mod search;
pub mod stats;
pub mod synth;
pub mod units;

use crate::error::{Error, Result};
use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::io::Read;
use std::path::Path;

/// `PRAGMA application_id` of every Feiyi registry: ASCII "FYML" (非遗名录).
pub const APPLICATION_ID: i32 = 0x4659_4D4C;

/// The migrations, in order. Index + 1 is the schema version each one produces.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_log_data.sql"),
    include_str!("migrations/0003_media_unread.sql"),
    include_str!("migrations/0004_import_records.sql"),
    include_str!("migrations/0005_search_scale.sql"),
    include_str!("migrations/0006_filter_indexes.sql"),
    include_str!("migrations/0007_list_indexes.sql"),
    include_str!("migrations/0008_child_indexes.sql"),
    include_str!("migrations/0009_search_hash.sql"),
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The SQLite file header's magic string.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// What the 100-byte header of an existing file says, read without SQLite.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Header {
    application_id: i32,
    user_version: i64,
}

fn read_header(path: &Path) -> Result<Header> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut buf = [0u8; 100];
    let mut read = 0;
    while read < buf.len() {
        match file.read(&mut buf[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    if read < buf.len() || &buf[..16] != SQLITE_MAGIC {
        return Err(Error::NotADatabase {
            path: path.to_path_buf(),
        });
    }
    let be = |at: usize| i32::from_be_bytes([buf[at], buf[at + 1], buf[at + 2], buf[at + 3]]);
    Ok(Header {
        user_version: be(60) as i64,
        application_id: be(68),
    })
}

fn check_stamp(path: &Path, application_id: i32, user_version: i64) -> Result<()> {
    if application_id != APPLICATION_ID {
        return Err(Error::ForeignFile {
            path: path.to_path_buf(),
        });
    }
    if user_version > SCHEMA_VERSION {
        return Err(Error::NewerVersion {
            path: path.to_path_buf(),
            found: user_version,
            supported: SCHEMA_VERSION,
        });
    }
    Ok(())
}

/// The most bytes the write-ahead log keeps after a checkpoint (`PRAGMA journal_size_limit`).
pub const JOURNAL_SIZE_LIMIT: i64 = 8 * 1024 * 1024;

fn set_pragmas(conn: &Connection) -> Result<()> {
    search::register_functions(conn)?;
    // Per-record writes (an exchange merge, an import) reuse statements across every table
    // a record touches (its columns, its insert, its children's deletes and inserts, the
    // lookups of what it points at, the log and the search index): well over a hundred in
    // a merge, and an evicted statement is parsed again for the next row.
    conn.set_prepared_statement_cache_capacity(256);
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
        return Err(Error::Conflict(format!(
            "无法启用 WAL 日志模式（当前：{mode}）"
        )));
    }
    // FULL: a committed transaction survives a power cut, not only a crash.
    conn.pragma_update(None, "synchronous", "FULL")?;
    // After a checkpoint the log is cut back to this size (it would otherwise stay as large as
    // the largest transaction ever written, e.g. a migration), and opening after a crash or a
    // killed process reads the whole log back: a small log keeps that start quick.
    conn.pragma_update(None, "journal_size_limit", JOURNAL_SIZE_LIMIT)?;
    Ok(())
}

fn user_version(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("PRAGMA user_version", [], |r| r.get(0))?)
}

/// Applies every migration newer than the file's version, each in one transaction.
pub(crate) fn migrate(conn: &mut Connection) -> Result<()> {
    let current = user_version(conn)?;
    for (i, sql) in MIGRATIONS.iter().enumerate() {
        let version = i as i64 + 1;
        if version <= current {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", version)?;
        tx.commit()?;
    }
    Ok(())
}

/// Opens an existing registry file after checking that it is one of ours and not
/// from a newer version; applies pending migrations, calling `before_migrate` with the
/// file's current version first (the registry takes a backup there), only when some are
/// pending.
pub fn open_existing(
    path: &Path,
    before_migrate: impl FnOnce(&Connection, i64) -> Result<()>,
) -> Result<Connection> {
    let header = read_header(path)?;
    check_stamp(path, header.application_id, header.user_version)?;
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // The header may lag behind an un-checkpointed WAL: check again through SQLite
    // before writing anything.
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    check_stamp(path, app_id, user_version(&conn)?)?;
    set_pragmas(&conn)?;
    let current = user_version(&conn)?;
    if current < SCHEMA_VERSION {
        before_migrate(&conn, current)?;
        migrate(&mut conn)?;
    }
    Ok(conn)
}

/// Opens a second, read-only connection to a registry file that a writer already has open
/// (and so has migrated): for long reads that must not hold the writer. Refused when the file
/// is not at this program's schema version. Writes to the file through it fail (it is opened
/// read-only); `VACUUM INTO` another file works, so a backup can be taken through it.
pub fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    let app_id: i32 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    check_stamp(path, app_id, user_version(&conn)?)?;
    if user_version(&conn)? != SCHEMA_VERSION {
        return Err(Error::Conflict(format!(
            "“{}”尚未升级到本程序的数据版本，无法只读打开",
            path.display()
        )));
    }
    search::register_functions(&conn)?;
    conn.pragma_update(None, "busy_timeout", 5000)?;
    Ok(conn)
}

/// The prefix of the temporary file a registry is built in beside `path`.
fn creating_prefix(path: &Path) -> String {
    format!(
        ".{}.creating-",
        path.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("registry")
    )
}

/// Removes temporary files of interrupted creations beside the registry file `path`
/// (which exists, so no creation can be under way there); returns how many.
pub fn clean_half_created(path: &Path) -> usize {
    let (Some(dir), prefix) = (path.parent(), creating_prefix(path)) else {
        return 0;
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().starts_with(&prefix))
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// Creates a new registry at `path` (which must not exist): builds it in a temporary
/// file next to it, runs `seed` inside one transaction, then renames it into place.
pub fn create_new(
    path: &Path,
    seed: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<()>,
) -> Result<Connection> {
    if path.exists() {
        return Err(Error::Conflict(format!(
            "“{}”已存在，不能覆盖",
            path.display()
        )));
    }
    let dir = path.parent().unwrap_or_else(|| Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = dir.join(format!("{}{}", creating_prefix(path), std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    {
        let mut conn = Connection::open(&tmp)?;
        // Rollback journal while building: one file to rename.
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        migrate(&mut conn)?;
        let tx = conn.transaction()?;
        seed(&tx)?;
        tx.commit()?;
        conn.close().map_err(|(_, e)| Error::Db(e))?;
    }
    let file = std::fs::File::open(&tmp).map_err(|e| Error::io(&tmp, e))?;
    file.sync_all().map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
    open_existing(path, |_, _| Ok(()))
}

/// An in-memory registry (tests): same schema and pragmas, seeded by `seed`.
pub fn create_in_memory(
    seed: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<()>,
) -> Result<Connection> {
    let mut conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "application_id", APPLICATION_ID)?;
    set_pragmas(&conn)?;
    migrate(&mut conn)?;
    let tx = conn.transaction()?;
    seed(&tx)?;
    tx.commit()?;
    Ok(conn)
}

/// The schema version recorded in the file.
pub fn schema_version(conn: &Connection) -> Result<i64> {
    user_version(conn)
}

/// The whole schema as SQL text, in a stable order (for the committed snapshot).
pub fn schema_sql(conn: &Connection) -> Result<String> {
    let mut stmt = conn.prepare(
        "SELECT sql FROM sqlite_schema
         WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'search_text_%'
           AND name NOT LIKE 'search_gram_%'
         ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name",
    )?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = String::new();
    for sql in rows {
        out.push_str(&sql?);
        out.push_str(";\n\n");
    }
    Ok(out)
}

/// Reads a `meta` value.
pub fn meta_get(conn: &Connection, key: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
        .optional()?)
}

/// Writes a `meta` value.
pub fn meta_set(conn: &Connection, key: &str, value: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO meta(key, value) VALUES (?1, ?2)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value",
    )?
    .execute([key, value])?;
    Ok(())
}

/// Rows per page when a list query names no page size.
pub const DEFAULT_PAGE_SIZE: i64 = 20;
/// The most rows one page of a list may hold.
pub const MAX_PAGE_SIZE: i64 = 500;

/// A list query's `page` and `page_size` made valid — (1-based page, rows per page, offset
/// of the page's first row): page 1 and [`DEFAULT_PAGE_SIZE`] when absent, the size
/// clamped to 1..=[`MAX_PAGE_SIZE`].
pub fn paging(page: Option<i64>, page_size: Option<i64>) -> (i64, i64, i64) {
    let size = page_size
        .unwrap_or(DEFAULT_PAGE_SIZE)
        .clamp(1, MAX_PAGE_SIZE);
    let page = page.unwrap_or(1).max(1);
    (page, size, (page - 1).saturating_mul(size))
}

/// A new stable id (UUIDv7: time-ordered, unique across machines).
pub fn new_uid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// `PRAGMA integrity_check`: `ok` or the problems found.
pub fn integrity_check(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

//! SQL for imports: the `import_run` history, the records each import created or linked
//! (`import_record`, migration 0004), and the registry facts a list import is checked
//! against (live item names, protection units by name).

use crate::error::{Error, Result};
use crate::model::ImportRun;
use rusqlite::{params, Connection, OptionalExtension};

const KIND: &str = "导入记录";

/// A live item as duplicate detection sees it.
#[derive(Debug, Clone)]
pub struct ExistingItem {
    /// Stable id.
    pub uid: String,
    /// Name as stored.
    pub name: String,
    /// Its batch's stable id.
    pub batch_uid: Option<String>,
    /// Its batch's number.
    pub batch_number: Option<i64>,
}

/// Every live item's name and batch.
pub fn live_items(conn: &Connection) -> Result<Vec<ExistingItem>> {
    let mut stmt = conn.prepare(
        "SELECT i.uid, i.name, b.uid, b.number FROM item i LEFT JOIN batch b ON b.id = i.batch_id
         WHERE i.deleted_at IS NULL ORDER BY i.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(ExistingItem {
            uid: r.get(0)?,
            name: r.get(1)?,
            batch_uid: r.get(2)?,
            batch_number: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A live protection unit: (stable id, name).
pub fn live_units(conn: &Connection) -> Result<Vec<(String, String)>> {
    let mut stmt =
        conn.prepare("SELECT uid, name FROM protection_unit WHERE deleted_at IS NULL ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Links an item to a protection unit (nothing if already linked).
pub fn link_unit_item(conn: &Connection, unit_uid: &str, item_uid: &str) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO unit_item(unit_id, item_id)
         SELECT u.id, i.id FROM protection_unit u, item i WHERE u.uid = ?1 AND i.uid = ?2",
        params![unit_uid, item_uid],
    )?;
    Ok(())
}

/// Stamps a created item with the import that made it.
pub fn set_item_import(conn: &Connection, item_uid: &str, import_uid: &str) -> Result<()> {
    conn.execute(
        "UPDATE item SET import_id = ?2 WHERE uid = ?1",
        params![item_uid, import_uid],
    )?;
    Ok(())
}

/// A new `import_run` row; returns its row id.
pub fn insert_run(
    conn: &Connection,
    uid: &str,
    source: &str,
    kind: &str,
    started_at: &str,
    actor: &str,
    summary: &str,
) -> Result<i64> {
    conn.execute(
        "INSERT INTO import_run(uid, source, kind, started_at, actor, summary)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![uid, source, kind, started_at, actor, summary],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Records that an import created (`create`) or linked (`link`) a record.
pub fn add_record(
    conn: &Connection,
    run: i64,
    entity_kind: &str,
    entity_uid: &str,
    action: &str,
    sheet_row: Option<i64>,
) -> Result<()> {
    conn.execute(
        "INSERT OR IGNORE INTO import_record(import_id, entity_kind, entity_uid, action, sheet_row)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![run, entity_kind, entity_uid, action, sheet_row],
    )?;
    Ok(())
}

/// One `import_run` row.
#[derive(Debug, Clone)]
pub struct RunRow {
    /// Row id.
    pub rowid: i64,
    /// The run as the history shows it.
    pub run: ImportRun,
}

const RUN_SELECT: &str =
    "SELECT r.id, r.uid, r.kind, r.source, r.started_at, r.actor, r.summary, r.undone_at,
        (SELECT count(*) FROM import_record x WHERE x.import_id = r.id AND x.action = 'create'),
        (SELECT count(*) FROM import_record x WHERE x.import_id = r.id AND x.action = 'link')
    FROM import_run r";

fn read_run(r: &rusqlite::Row<'_>) -> rusqlite::Result<RunRow> {
    let kind: String = r.get(2)?;
    let summary: String = r.get(6)?;
    let undone_at: Option<String> = r.get(7)?;
    let summary: serde_json::Value = serde_json::from_str(&summary).unwrap_or_default();
    // Runs of other kinds may keep their counts in the summary instead of import_record.
    let count = |recorded: i64, key: &str| {
        if recorded > 0 {
            recorded
        } else {
            summary.get(key).and_then(|v| v.as_i64()).unwrap_or(0)
        }
    };
    let (created, updated) = (count(r.get(8)?, "created"), count(r.get(9)?, "updated"));
    Ok(RunRow {
        rowid: r.get(0)?,
        run: ImportRun {
            id: r.get(1)?,
            undoable: kind == "list" && undone_at.is_none(),
            kind,
            source: r.get(3)?,
            started_at: r.get(4)?,
            actor: r.get(5)?,
            created,
            updated,
            undone_at,
        },
    })
}

/// Every import, newest first.
pub fn runs(conn: &Connection) -> Result<Vec<ImportRun>> {
    let mut stmt = conn.prepare(&format!(
        "{RUN_SELECT} ORDER BY r.started_at DESC, r.id DESC"
    ))?;
    let rows = stmt.query_map([], read_run)?;
    Ok(rows
        .map(|r| r.map(|r| r.run))
        .collect::<rusqlite::Result<_>>()?)
}

/// One import by its id.
pub fn run(conn: &Connection, uid: &str) -> Result<RunRow> {
    conn.query_row(&format!("{RUN_SELECT} WHERE r.uid = ?1"), [uid], read_run)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            kind: KIND,
            id: uid.to_string(),
        })
}

/// The records an import created or linked: (kind, stable id, action), in order.
pub fn records(conn: &Connection, run: i64) -> Result<Vec<(String, String, String)>> {
    let mut stmt = conn.prepare(
        "SELECT entity_kind, entity_uid, action FROM import_record WHERE import_id = ?1 ORDER BY id",
    )?;
    let rows = stmt.query_map([run], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Marks an import undone.
pub fn set_undone(conn: &Connection, run: i64, at: &str) -> Result<()> {
    conn.execute(
        "UPDATE import_run SET undone_at = ?2 WHERE id = ?1",
        params![run, at],
    )?;
    Ok(())
}

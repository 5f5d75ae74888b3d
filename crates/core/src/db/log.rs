//! The edit log: one row per change (who, when, entity, field, old, new), chained by
//! SHA-256 so that a row altered or removed behind the app's back is detected.
//!
//! Each row's `hash` = SHA-256 over its own fields and the previous row's hash;
//! the first row's `prev_hash` is 64 zeros.

use crate::error::Result;
use crate::model::EditLogEntry;
use rusqlite::{params, Connection, OptionalExtension};
use sha2::{Digest, Sha256};

/// The `prev_hash` of the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A record's loggable fields: its serde form flattened to field name → text, skipping `skip`.
/// Strings stay as they are, other values (numbers, booleans, objects) as JSON text.
pub fn flatten<T: serde::Serialize>(
    value: &T,
    skip: &[&str],
) -> std::collections::BTreeMap<String, Option<String>> {
    let mut m = std::collections::BTreeMap::new();
    if let Ok(serde_json::Value::Object(obj)) = serde_json::to_value(value) {
        for (k, v) in obj {
            if skip.contains(&k.as_str()) {
                continue;
            }
            let text = match v {
                serde_json::Value::Null => None,
                serde_json::Value::String(s) => Some(s),
                other => Some(other.to_string()),
            };
            m.insert(k, text);
        }
    }
    m
}

/// Suffix of the snapshot key that carries a composite field's machine form beside its
/// readable text: `townships` holds "涧头集镇、运河街道", `townships@data` the JSON the
/// item form takes. [`put_composite`] writes both; the log stores the second in
/// `old_data` / `new_data` so that a change to the field can be reverted exactly.
pub const DATA: &str = "@data";

/// Puts a composite field into a snapshot: `text` for people, `data` for revert.
pub fn put_composite<T: serde::Serialize + ?Sized>(
    snapshot: &mut std::collections::BTreeMap<String, Option<String>>,
    field: &str,
    text: Option<String>,
    data: &T,
) {
    snapshot.insert(field.to_string(), text);
    snapshot.insert(format!("{field}{DATA}"), serde_json::to_string(data).ok());
}

/// Makes the id under `id_key` the machine form of the name under `name_key`: the log
/// then shows the name and a revert puts the id back.
pub fn name_with_id(
    snapshot: &mut std::collections::BTreeMap<String, Option<String>>,
    name_key: &str,
    id_key: &str,
) {
    let id = snapshot.remove(id_key).flatten();
    snapshot.insert(
        format!("{name_key}{DATA}"),
        id.and_then(|i| serde_json::to_string(&i).ok()),
    );
}

/// A change about to be logged.
#[derive(Debug, Clone, Default)]
pub struct Change<'a> {
    /// Entity kind: `item`, `batch`, …
    pub entity: &'a str,
    /// Entity stable id.
    pub entity_id: &'a str,
    /// `create`, `update`, `delete`, `restore`, `revert`, `override`.
    pub action: &'a str,
    /// Field for updates.
    pub field: Option<&'a str>,
    /// Old value.
    pub old_value: Option<String>,
    /// New value.
    pub new_value: Option<String>,
    /// Reason (deletes, overrides).
    pub reason: Option<String>,
    /// Machine form (JSON) of a composite field's old value.
    pub old_data: Option<String>,
    /// Machine form (JSON) of a composite field's new value.
    pub new_data: Option<String>,
}

struct Row {
    seq: i64,
    uid: String,
    at: String,
    actor: String,
    entity: String,
    entity_id: String,
    action: String,
    field: Option<String>,
    old_value: Option<String>,
    new_value: Option<String>,
    reason: Option<String>,
    prev_hash: String,
    hash: String,
    old_data: Option<String>,
    new_data: Option<String>,
}

fn digest(row: &Row) -> String {
    let mut canonical = serde_json::json!([
        row.seq,
        row.uid,
        row.at,
        row.actor,
        row.entity,
        row.entity_id,
        row.action,
        row.field,
        row.old_value,
        row.new_value,
        row.reason,
        row.prev_hash
    ]);
    // Rows from before the data columns existed keep the digest they were written with.
    if row.old_data.is_some() || row.new_data.is_some() {
        if let Some(a) = canonical.as_array_mut() {
            a.push(row.old_data.clone().into());
            a.push(row.new_data.clone().into());
        }
    }
    hex::encode(Sha256::digest(canonical.to_string().as_bytes()))
}

/// Appends one change to the log (call inside the transaction that makes the change).
pub fn append(conn: &Connection, at: &str, actor: &str, change: Change<'_>) -> Result<()> {
    append_with_uid(conn, &super::new_uid(), at, actor, change)
}

/// Appends a change that already has its stable id (an entry received in an exchange
/// package): the row keeps `uid`, and gets its sequence number and hash here.
pub fn append_with_uid(
    conn: &Connection,
    uid: &str,
    at: &str,
    actor: &str,
    change: Change<'_>,
) -> Result<()> {
    let last: Option<(i64, String)> = conn
        .prepare_cached("SELECT seq, hash FROM edit_log ORDER BY seq DESC LIMIT 1")?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (seq, prev_hash) = match last {
        Some((s, h)) => (s + 1, h),
        None => (1, GENESIS.to_string()),
    };
    let mut row = Row {
        seq,
        uid: uid.to_string(),
        at: at.to_string(),
        actor: actor.to_string(),
        entity: change.entity.to_string(),
        entity_id: change.entity_id.to_string(),
        action: change.action.to_string(),
        field: change.field.map(str::to_string),
        old_value: change.old_value,
        new_value: change.new_value,
        reason: change.reason,
        prev_hash,
        hash: String::new(),
        old_data: change.old_data,
        new_data: change.new_data,
    };
    row.hash = digest(&row);
    conn.prepare_cached(
        "INSERT INTO edit_log(seq, uid, at, actor, entity_kind, entity_uid, action, field,
                              old_value, new_value, reason, prev_hash, hash, old_data, new_data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        row.seq,
        row.uid,
        row.at,
        row.actor,
        row.entity,
        row.entity_id,
        row.action,
        row.field,
        row.old_value,
        row.new_value,
        row.reason,
        row.prev_hash,
        row.hash,
        row.old_data,
        row.new_data
    ])?;
    // The head is kept apart from the rows so that removing the newest rows is evident too.
    super::meta_set(conn, "log_head", &format!("{}:{}", row.seq, row.hash))?;
    Ok(())
}

const SELECT: &str = "SELECT seq, uid, at, actor, entity_kind, entity_uid, action, field,
                             old_value, new_value, reason, prev_hash, hash, old_data, new_data
                      FROM edit_log";

fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
    Ok(Row {
        seq: r.get(0)?,
        uid: r.get(1)?,
        at: r.get(2)?,
        actor: r.get(3)?,
        entity: r.get(4)?,
        entity_id: r.get(5)?,
        action: r.get(6)?,
        field: r.get(7)?,
        old_value: r.get(8)?,
        new_value: r.get(9)?,
        reason: r.get(10)?,
        prev_hash: r.get(11)?,
        hash: r.get(12)?,
        old_data: r.get(13)?,
        new_data: r.get(14)?,
    })
}

fn to_entry(row: Row) -> EditLogEntry {
    EditLogEntry {
        seq: row.seq,
        at: row.at,
        actor: row.actor,
        entity: row.entity,
        entity_id: row.entity_id,
        action: row.action,
        field: row.field,
        old_value: row.old_value,
        new_value: row.new_value,
        reason: row.reason,
        old_data: row.old_data,
        revertible: false,
    }
}

/// The history of one record, newest first.
pub fn for_entity(conn: &Connection, entity: &str, entity_id: &str) -> Result<Vec<EditLogEntry>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE entity_kind = ?1 AND entity_uid = ?2 ORDER BY seq DESC"
    ))?;
    let rows = stmt.query_map([entity, entity_id], read_row)?;
    Ok(rows
        .map(|r| r.map(to_entry))
        .collect::<rusqlite::Result<_>>()?)
}

/// A break in the chain found by [`verify`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChainProblem {
    /// The row's sequence number.
    pub seq: i64,
    /// Chinese description.
    pub problem: String,
}

/// Walks the whole log and reports every row whose hash does not match its content
/// or whose predecessor is missing or changed.
pub fn verify(conn: &Connection) -> Result<Vec<ChainProblem>> {
    let mut stmt = conn.prepare(&format!("{SELECT} ORDER BY seq"))?;
    let rows = stmt.query_map([], read_row)?;
    let mut problems = Vec::new();
    let mut expected_prev = GENESIS.to_string();
    let mut expected_seq = 1;
    for row in rows {
        let row = row?;
        if row.seq != expected_seq {
            problems.push(ChainProblem {
                seq: row.seq,
                problem: format!("第 {expected_seq}–{} 条记录缺失（被删除）", row.seq - 1),
            });
        }
        if row.prev_hash != expected_prev {
            problems.push(ChainProblem {
                seq: row.seq,
                problem: "与前一条记录的链接不符（前一条被修改或删除）".into(),
            });
        }
        if digest(&row) != row.hash {
            problems.push(ChainProblem {
                seq: row.seq,
                problem: "内容与校验值不符（记录被改动）".into(),
            });
        }
        expected_prev = row.hash;
        expected_seq = row.seq + 1;
    }
    let head = super::meta_get(conn, "log_head")?;
    let actual = if expected_seq == 1 {
        None
    } else {
        Some(format!("{}:{}", expected_seq - 1, expected_prev))
    };
    if head != actual {
        problems.push(ChainProblem {
            seq: expected_seq,
            problem: "日志末尾与记录的最新位置不符（最新的记录被删除或改动）".into(),
        });
    }
    Ok(problems)
}

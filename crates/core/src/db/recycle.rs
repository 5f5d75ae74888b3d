//! SQL for the recycle bin (every soft-deleted record) and single edit-log rows.

use crate::error::{Error, Result};
use crate::model::{EditLogEntry, RecycleEntry};
use rusqlite::{Connection, OptionalExtension};

/// Every soft-deleted record, newest deletion first.
pub fn list(conn: &Connection) -> Result<Vec<RecycleEntry>> {
    let mut stmt = conn.prepare(
        "SELECT 'item', '项目', uid, name, deleted_at, deleted_reason FROM item WHERE deleted_at IS NOT NULL
         UNION ALL SELECT 'batch', '批次', uid, '第' || number || '批', deleted_at, deleted_reason FROM batch
                   WHERE deleted_at IS NOT NULL
         UNION ALL SELECT 'inheritor', '传承人', uid, name, deleted_at, deleted_reason FROM inheritor
                   WHERE deleted_at IS NOT NULL
         UNION ALL SELECT 'unit', '保护单位', uid, name, deleted_at, deleted_reason FROM protection_unit
                   WHERE deleted_at IS NOT NULL
         UNION ALL SELECT 'plan', '保护计划', uid, title, deleted_at, deleted_reason FROM protection_plan
                   WHERE deleted_at IS NOT NULL
         UNION ALL SELECT 'activity', '活动', uid, title, deleted_at, deleted_reason FROM activity
                   WHERE deleted_at IS NOT NULL
         UNION ALL SELECT 'media', '资料', uid, COALESCE(title, original_name), deleted_at, deleted_reason FROM media
                   WHERE deleted_at IS NOT NULL
         ORDER BY 5 DESC",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(RecycleEntry {
            entity: r.get(0)?,
            entity_label: r.get(1)?,
            id: r.get(2)?,
            name: r.get(3)?,
            deleted_at: r.get(4)?,
            reason: r.get(5)?,
        })
    })?;
    let mut out: Vec<RecycleEntry> = rows.collect::<rusqlite::Result<_>>()?;
    for e in out.iter_mut().filter(|e| e.entity == "batch") {
        if let Ok(n) = e
            .name
            .trim_start_matches('第')
            .trim_end_matches('批')
            .parse::<i64>()
        {
            e.name = crate::reference::batch_label(n);
        }
    }
    Ok(out)
}

/// One edit-log row by sequence number.
pub fn log_entry(conn: &Connection, seq: i64) -> Result<EditLogEntry> {
    conn.query_row(
        "SELECT seq, at, actor, entity_kind, entity_uid, action, field, old_value, new_value, reason,
                old_data
         FROM edit_log WHERE seq = ?1",
        [seq],
        |r| {
            Ok(EditLogEntry {
                seq: r.get(0)?,
                at: r.get(1)?,
                actor: r.get(2)?,
                entity: r.get(3)?,
                entity_id: r.get(4)?,
                action: r.get(5)?,
                field: r.get(6)?,
                old_value: r.get(7)?,
                new_value: r.get(8)?,
                reason: r.get(9)?,
                old_data: r.get(10)?,
                revertible: false,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::NotFound { kind: "修改记录", id: seq.to_string() })
}

/// The stable id of the record that owns a yearly record or a check: the person of an
/// evaluation, subsidy or training plan, or the unit of a unit check.
pub fn owner_of(conn: &Connection, entity: &str, uid: &str) -> Result<String> {
    let sql = match entity {
        "evaluation" => "SELECT p.uid FROM evaluation t JOIN inheritor p ON p.id = t.inheritor_id WHERE t.uid = ?1",
        "subsidy" => "SELECT p.uid FROM subsidy t JOIN inheritor p ON p.id = t.inheritor_id WHERE t.uid = ?1",
        "training_plan" => {
            "SELECT p.uid FROM training_plan t JOIN inheritor p ON p.id = t.inheritor_id WHERE t.uid = ?1"
        }
        "unit_check" => "SELECT u.uid FROM unit_check t JOIN protection_unit u ON u.id = t.unit_id WHERE t.uid = ?1",
        _ => return Err(Error::NotFound { kind: "记录", id: uid.to_string() }),
    };
    conn.query_row(sql, [uid], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound {
            kind: "记录",
            id: uid.to_string(),
        })
}

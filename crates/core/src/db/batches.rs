//! SQL for batches of the district list and their supplements.

use crate::error::{Error, Result};
use crate::model::{Batch, BatchInput, BatchSupplement};
use crate::reference::batch_label;
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{BTreeMap, HashMap};

const KIND: &str = "批次";

/// Internal handle of a batch.
#[derive(Debug, Clone)]
pub struct BatchKey {
    /// Row id.
    pub rowid: i64,
    /// Batch number.
    pub number: i64,
    /// Deleted timestamp.
    pub deleted_at: Option<String>,
}

/// Looks a batch up by stable id.
pub fn key(conn: &Connection, uid: &str) -> Result<BatchKey> {
    conn.query_row(
        "SELECT id, number, deleted_at FROM batch WHERE uid = ?1",
        [uid],
        |r| {
            Ok(BatchKey {
                rowid: r.get(0)?,
                number: r.get(1)?,
                deleted_at: r.get(2)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: KIND,
        id: uid.to_string(),
    })
}

/// The stable id of the live batch with this number.
pub fn uid_by_number(conn: &Connection, number: i64) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT uid FROM batch WHERE number = ?1 AND deleted_at IS NULL",
            [number],
            |r| r.get(0),
        )
        .optional()?)
}

/// Inserts a batch.
pub fn insert(conn: &Connection, uid: &str, b: &BatchInput, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO batch(uid, number, title, doc_number, determined_on, approved_on, published_on,
                           notice_start, notice_end, determined_by, approved_by, declared_count, note,
                           created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?14)",
        params![
            uid, b.number, b.title, b.doc_number, b.determined_on, b.approved_on, b.published_on,
            b.notice_start, b.notice_end, b.determined_by, b.approved_by, b.declared_count, b.note, now
        ],
    )?;
    Ok(())
}

/// Updates a batch's fields.
pub fn update(conn: &Connection, uid: &str, b: &BatchInput, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE batch SET number = ?2, title = ?3, doc_number = ?4, determined_on = ?5, approved_on = ?6,
                published_on = ?7, notice_start = ?8, notice_end = ?9, determined_by = ?10,
                approved_by = ?11, declared_count = ?12, note = ?13, updated_at = ?14
         WHERE uid = ?1",
        params![
            uid, b.number, b.title, b.doc_number, b.determined_on, b.approved_on, b.published_on,
            b.notice_start, b.notice_end, b.determined_by, b.approved_by, b.declared_count, b.note, now
        ],
    )?;
    Ok(())
}

/// The loggable fields of a batch, by name.
pub fn snapshot(conn: &Connection, uid: &str) -> Result<BTreeMap<String, Option<String>>> {
    let b = get(conn, uid)?;
    let mut m = BTreeMap::new();
    m.insert("number".into(), Some(b.number.to_string()));
    for (k, v) in [
        ("title", b.title),
        ("docNumber", b.doc_number),
        ("determinedOn", b.determined_on),
        ("approvedOn", b.approved_on),
        ("publishedOn", b.published_on),
        ("noticeStart", b.notice_start),
        ("noticeEnd", b.notice_end),
        ("determinedBy", b.determined_by),
        ("approvedBy", b.approved_by),
        ("note", b.note),
    ] {
        m.insert(k.into(), v);
    }
    m.insert(
        "declaredCount".into(),
        b.declared_count.map(|c| c.to_string()),
    );
    Ok(m)
}

/// Marks a batch deleted with a reason.
pub fn set_deleted(
    conn: &Connection,
    uid: &str,
    deleted: Option<(&str, &str)>,
    now: &str,
) -> Result<()> {
    let (at, reason) = match deleted {
        Some((at, reason)) => (Some(at), Some(reason)),
        None => (None, None),
    };
    conn.execute(
        "UPDATE batch SET deleted_at = ?2, deleted_reason = ?3, updated_at = ?4 WHERE uid = ?1",
        params![uid, at, reason, now],
    )?;
    Ok(())
}

/// Live items that belong to a batch.
pub fn live_item_count(conn: &Connection, rowid: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM item WHERE batch_id = ?1 AND deleted_at IS NULL",
        [rowid],
        |r| r.get(0),
    )?)
}

const SELECT: &str = "SELECT b.uid, b.number, b.doc_number, b.title, b.determined_on, b.approved_on,
        b.published_on, b.notice_start, b.notice_end, b.determined_by, b.approved_by, b.declared_count,
        (SELECT count(*) FROM item i INDEXED BY item_live_batch WHERE i.batch_id = b.id AND i.deleted_at IS NULL),
        b.note, b.deleted_at, b.deleted_reason, b.id
    FROM batch b";

fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<(Batch, i64)> {
    let number: i64 = r.get(1)?;
    Ok((
        Batch {
            id: r.get(0)?,
            number,
            label: batch_label(number),
            doc_number: r.get(2)?,
            title: r.get(3)?,
            determined_on: r.get(4)?,
            approved_on: r.get(5)?,
            published_on: r.get(6)?,
            notice_start: r.get(7)?,
            notice_end: r.get(8)?,
            determined_by: r.get(9)?,
            approved_by: r.get(10)?,
            declared_count: r.get(11)?,
            entered_count: r.get(12)?,
            note: r.get(13)?,
            supplements: Vec::new(),
            deleted_at: r.get(14)?,
            deleted_reason: r.get(15)?,
        },
        r.get(16)?,
    ))
}

/// The supplements of the batches `filter` picks (a WHERE clause over `batch_supplement`,
/// with `args`), oldest first, by the batch's row id.
fn supplements_where(
    conn: &Connection,
    filter: &str,
    args: &[&dyn rusqlite::ToSql],
) -> Result<HashMap<i64, Vec<BatchSupplement>>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT batch_id, uid, doc_number, decided_on, declared_count, note FROM batch_supplement
         WHERE {filter} ORDER BY batch_id, decided_on, id"
    ))?;
    let mut by_batch: HashMap<i64, Vec<BatchSupplement>> = HashMap::new();
    let mut rows = stmt.query(args)?;
    while let Some(r) = rows.next()? {
        by_batch
            .entry(r.get(0)?)
            .or_default()
            .push(BatchSupplement {
                id: r.get(1)?,
                doc_number: r.get(2)?,
                decided_on: r.get(3)?,
                declared_count: r.get(4)?,
                note: r.get(5)?,
            });
    }
    Ok(by_batch)
}

/// A batch's supplements, oldest first.
fn supplements(conn: &Connection, rowid: i64) -> Result<Vec<BatchSupplement>> {
    Ok(supplements_where(conn, "batch_id = ?1", &[&rowid])?
        .remove(&rowid)
        .unwrap_or_default())
}

/// One batch with its counts and supplements.
pub fn get(conn: &Connection, uid: &str) -> Result<Batch> {
    let (mut b, rowid) = conn
        .query_row(&format!("{SELECT} WHERE b.uid = ?1"), [uid], read)
        .optional()?
        .ok_or_else(|| Error::NotFound {
            kind: KIND,
            id: uid.to_string(),
        })?;
    b.supplements = supplements(conn, rowid)?;
    Ok(b)
}

/// Batches by number: the live ones, or all of them including the recycle bin.
pub fn list(conn: &Connection, include_deleted: bool) -> Result<Vec<Batch>> {
    let filter = if include_deleted {
        "1 = 1"
    } else {
        "b.deleted_at IS NULL"
    };
    let mut stmt = conn.prepare(&format!("{SELECT} WHERE {filter} ORDER BY b.number, b.id"))?;
    let rows = stmt
        .query_map([], read)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // Every batch's supplements in one query: a province's register has over a thousand
    // batches, and the list is asked for on every start.
    let mut supplements = supplements_where(conn, "1 = 1", &[])?;
    Ok(rows
        .into_iter()
        .map(|(mut b, rowid)| {
            b.supplements = supplements.remove(&rowid).unwrap_or_default();
            b
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_batch_lists_its_own_supplements_oldest_first() {
        let conn = super::super::create_in_memory(|_| Ok(())).unwrap();
        conn.execute_batch(
            "DELETE FROM batch;
             INSERT INTO batch (id, uid, number, created_at, updated_at) VALUES
               (1, 'b1', 1, 't', 't'), (2, 'b2', 2, 't', 't'), (3, 'b3', 3, 't', 't');
             INSERT INTO batch_supplement (uid, batch_id, doc_number, decided_on, created_at, updated_at) VALUES
               ('s3', 2, '乙', '2021-05-01', 't', 't'),
               ('s1', 1, '甲', '2020-01-01', 't', 't'),
               ('s2', 2, '丙', '2019-03-01', 't', 't');",
        )
        .unwrap();
        let ids = |b: &Batch| {
            b.supplements
                .iter()
                .map(|s| s.id.clone())
                .collect::<Vec<_>>()
        };
        let all = list(&conn, false).unwrap();
        let by_uid: Vec<(String, Vec<String>)> =
            all.iter().map(|b| (b.id.clone(), ids(b))).collect();
        assert_eq!(
            by_uid,
            [
                ("b1".to_string(), vec!["s1".to_string()]),
                ("b2".to_string(), vec!["s2".to_string(), "s3".to_string()]),
                ("b3".to_string(), vec![]),
            ]
        );
        assert_eq!(ids(&get(&conn, "b2").unwrap()), ["s2", "s3"]);
        assert!(get(&conn, "b3").unwrap().supplements.is_empty());
    }
}

//! SQL for lineage edges (who taught whom, per item).

use crate::error::{Error, Result};
use crate::model::LineageEdge;
use rusqlite::{params, Connection, OptionalExtension};

/// All edges of an item, with names filled.
pub fn edges(conn: &Connection, item: i64) -> Result<Vec<LineageEdge>> {
    let mut stmt = conn.prepare(
        "SELECT e.uid, i.uid, m.uid, m.name, a.uid, a.name, e.kind, e.generation, e.from_year, e.to_year, e.evidence
         FROM lineage_edge e JOIN item i ON i.id = e.item_id
         JOIN inheritor m ON m.id = e.master_id JOIN inheritor a ON a.id = e.apprentice_id
         WHERE e.item_id = ?1 ORDER BY e.generation, e.from_year, e.id",
    )?;
    let rows = stmt.query_map([item], |r| {
        Ok(LineageEdge {
            id: r.get(0)?,
            item_id: r.get(1)?,
            master_id: r.get(2)?,
            master_name: r.get(3)?,
            apprentice_id: r.get(4)?,
            apprentice_name: r.get(5)?,
            kind: r.get(6)?,
            generation: r.get(7)?,
            from_year: r.get(8)?,
            to_year: r.get(9)?,
            evidence: r.get(10)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The item row id of an edge.
pub fn edge_item(conn: &Connection, uid: &str) -> Result<i64> {
    conn.query_row(
        "SELECT item_id FROM lineage_edge WHERE uid = ?1",
        [uid],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: "传承关系",
        id: uid.to_string(),
    })
}

/// Inserts or updates an edge (references resolved to row ids).
#[allow(clippy::too_many_arguments)]
pub fn save(
    conn: &Connection,
    uid: &str,
    exists: bool,
    item: i64,
    master: i64,
    apprentice: i64,
    e: &LineageEdge,
    now: &str,
) -> Result<()> {
    if exists {
        conn.execute(
            "UPDATE lineage_edge SET master_id = ?2, apprentice_id = ?3, kind = ?4, generation = ?5, from_year = ?6,
                    to_year = ?7, evidence = ?8, updated_at = ?9 WHERE uid = ?1",
            params![uid, master, apprentice, e.kind, e.generation, e.from_year, e.to_year, e.evidence, now],
        )?;
    } else {
        conn.execute(
            "INSERT INTO lineage_edge(uid, item_id, master_id, apprentice_id, kind, generation, from_year, to_year,
                                      evidence, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            params![uid, item, master, apprentice, e.kind, e.generation, e.from_year, e.to_year, e.evidence, now],
        )?;
    }
    Ok(())
}

/// Deletes an edge (edges carry no history of their own beyond the edit log).
pub fn delete(conn: &Connection, uid: &str) -> Result<()> {
    conn.execute("DELETE FROM lineage_edge WHERE uid = ?1", [uid])?;
    Ok(())
}

/// Sex and birth year of people, by stable id.
pub fn person_facts(conn: &Connection, uid: &str) -> Result<(Option<String>, Option<String>)> {
    Ok(conn.query_row(
        "SELECT sex, birth_date FROM inheritor WHERE uid = ?1",
        [uid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

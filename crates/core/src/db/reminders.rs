//! SQL for reminders: the facts the rules look at, gathered in a handful of set queries
//! (never one query per record, so the 提醒 page stays quick with 100,000 items), the
//! snooze/dismiss state per key (`reminder_state`) and the settings (`meta`).
//!
//! Reminder state is this PC's workflow state, not register data: it is not written to
//! the edit log and not carried by exchange packages.

use crate::error::Result;
use crate::reminders::{
    CheckFact, Facts, ItemFact, LinkFact, PlanFact, RecognitionFact, State, UnitFact,
};
use rusqlite::{params, Connection, OptionalExtension};
use std::collections::{HashMap, HashSet};

/// The `meta` key the settings are stored under, as JSON.
pub const SETTINGS_KEY: &str = "reminder_settings";

/// Everything [`crate::reminders::raise`] needs for the year `year`.
pub fn facts(conn: &Connection, year: i64) -> Result<Facts> {
    Ok(Facts {
        recognitions: recognitions(conn)?,
        evaluations: evaluations(conn, year - 1, year)?,
        units: units(conn)?,
        links: links(conn)?,
        items: items(conn)?,
        plans: plans(conn, year)?,
        masters: masters(conn)?,
    })
}

/// Live recognitions of live people for live items, with the latest status event's
/// status (by date, then entry order; none = 在册).
fn recognitions(conn: &Connection) -> Result<Vec<RecognitionFact>> {
    let mut stmt = conn.prepare(
        "SELECT r.uid, p.uid, p.name, p.birth_date, p.death_date, i.uid, i.name, i.status, r.level,
                r.doc_number, r.recognized_on,
                COALESCE((SELECT e.status FROM recognition_event e WHERE e.recognition_id = r.id
                          ORDER BY e.occurred_on DESC, e.id DESC LIMIT 1), '在册')
         FROM recognition r JOIN inheritor p ON p.id = r.inheritor_id JOIN item i ON i.id = r.item_id
         WHERE r.deleted_at IS NULL AND p.deleted_at IS NULL AND i.deleted_at IS NULL
         ORDER BY r.id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(RecognitionFact {
            uid: r.get(0)?,
            inheritor_uid: r.get(1)?,
            inheritor_name: r.get(2)?,
            birth_date: r.get(3)?,
            death_date: r.get(4)?,
            item_uid: r.get(5)?,
            item_name: r.get(6)?,
            item_status: r.get(7)?,
            level: r.get(8)?,
            doc_number: r.get(9)?,
            recognized_on: r.get(10)?,
            status: r.get(11)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Recorded evaluations of the years `from..=to`: (person uid, item uid, year).
fn evaluations(conn: &Connection, from: i64, to: i64) -> Result<HashSet<(String, String, i64)>> {
    let mut stmt = conn.prepare(
        "SELECT p.uid, i.uid, e.year FROM evaluation e
         JOIN inheritor p ON p.id = e.inheritor_id JOIN item i ON i.id = e.item_id
         WHERE e.year BETWEEN ?1 AND ?2",
    )?;
    let rows = stmt.query_map([from, to], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Live units with their latest check (by date, then entry order).
fn units(conn: &Connection) -> Result<Vec<UnitFact>> {
    let mut stmt = conn.prepare(
        "SELECT u.uid, u.name, u.created_at, c.checked_on, c.result, c.deadline
         FROM protection_unit u
         LEFT JOIN (SELECT unit_id, checked_on, result, deadline,
                           ROW_NUMBER() OVER (PARTITION BY unit_id ORDER BY checked_on DESC, id DESC) AS n
                    FROM unit_check) c ON c.unit_id = u.id AND c.n = 1
         WHERE u.deleted_at IS NULL ORDER BY u.id",
    )?;
    let rows = stmt.query_map([], |r| {
        let checked_on: Option<String> = r.get(3)?;
        Ok(UnitFact {
            uid: r.get(0)?,
            name: r.get(1)?,
            created_at: r.get(2)?,
            last_check: match checked_on {
                Some(checked_on) => Some(CheckFact {
                    checked_on,
                    result: r.get(4)?,
                    deadline: r.get(5)?,
                }),
                None => None,
            },
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Links between live units and live items.
fn links(conn: &Connection) -> Result<Vec<LinkFact>> {
    let mut stmt = conn.prepare(
        "SELECT u.uid, i.uid, ui.until FROM unit_item ui
         JOIN protection_unit u ON u.id = ui.unit_id JOIN item i ON i.id = ui.item_id
         WHERE u.deleted_at IS NULL AND i.deleted_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(LinkFact {
            unit_uid: r.get(0)?,
            item_uid: r.get(1)?,
            until: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Live items.
fn items(conn: &Connection) -> Result<Vec<ItemFact>> {
    let mut stmt =
        conn.prepare("SELECT uid, name, status FROM item WHERE deleted_at IS NULL ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok(ItemFact {
            uid: r.get(0)?,
            name: r.get(1)?,
            status: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Live plans of live items, each with whether it states targets for `year`.
fn plans(conn: &Connection, year: i64) -> Result<Vec<PlanFact>> {
    let mut stmt = conn.prepare(
        "SELECT p.uid, p.title, i.uid, i.name, p.start_year, p.end_year,
                EXISTS (SELECT 1 FROM plan_year y WHERE y.plan_id = p.id AND y.year = ?1
                        AND length(trim(COALESCE(y.targets, ''))) > 0)
         FROM protection_plan p JOIN item i ON i.id = p.item_id
         WHERE p.deleted_at IS NULL AND i.deleted_at IS NULL ORDER BY p.id",
    )?;
    let rows = stmt.query_map([year], |r| {
        Ok(PlanFact {
            uid: r.get(0)?,
            title: r.get(1)?,
            item_uid: r.get(2)?,
            item_name: r.get(3)?,
            start_year: r.get(4)?,
            end_year: r.get(5)?,
            targets_this_year: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// People who are the master of a lineage edge to an apprentice not in the recycle bin
/// (whether the apprentice is live is read from the live-id index, not the row).
fn masters(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare(
        "SELECT DISTINCT m.uid FROM lineage_edge e
         JOIN inheritor m ON m.id = e.master_id
         JOIN inheritor a INDEXED BY inheritor_live_ids ON a.id = e.apprentice_id
         WHERE a.deleted_at IS NULL",
    )?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What the reminders depend on besides the date, as one stamp: the edit-log head (every
/// register change is logged), the reminder states (count and last change) and the settings.
pub fn revision(conn: &Connection) -> Result<String> {
    Ok(conn.query_row(
        "SELECT (SELECT COALESCE(max(seq), 0) FROM edit_log) || '|' ||
                (SELECT count(*) || '@' || COALESCE(max(updated_at), '') FROM reminder_state) || '|' ||
                COALESCE((SELECT value FROM meta WHERE key = 'reminder_settings'), '')",
        [],
        |r| r.get(0),
    )?)
}

/// Every stored snooze or dismissal, by key.
pub fn states(conn: &Connection) -> Result<HashMap<String, State>> {
    let mut stmt =
        conn.prepare("SELECT key, snoozed_until, dismissed_at, reason FROM reminder_state")?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get(0)?,
            State {
                snoozed_until: r.get(1)?,
                dismissed_at: r.get(2)?,
                reason: r.get(3)?,
            },
        ))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stored state of one key.
pub fn state(conn: &Connection, key: &str) -> Result<Option<State>> {
    Ok(conn
        .query_row(
            "SELECT snoozed_until, dismissed_at, reason FROM reminder_state WHERE key = ?1",
            [key],
            |r| {
                Ok(State {
                    snoozed_until: r.get(0)?,
                    dismissed_at: r.get(1)?,
                    reason: r.get(2)?,
                })
            },
        )
        .optional()?)
}

/// Replaces the state of a key.
pub fn put_state(conn: &Connection, key: &str, s: &State, now: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO reminder_state(key, snoozed_until, dismissed_at, reason, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(key) DO UPDATE SET snoozed_until = excluded.snoozed_until,
             dismissed_at = excluded.dismissed_at, reason = excluded.reason,
             updated_at = excluded.updated_at",
        params![key, s.snoozed_until, s.dismissed_at, s.reason, now],
    )?;
    Ok(())
}

/// Removes the state of a key; whether there was one.
pub fn delete_state(conn: &Connection, key: &str) -> Result<bool> {
    Ok(conn.execute("DELETE FROM reminder_state WHERE key = ?1", [key])? > 0)
}

/// The stored settings JSON, if any.
pub fn settings(conn: &Connection) -> Result<Option<String>> {
    super::meta_get(conn, SETTINGS_KEY)
}

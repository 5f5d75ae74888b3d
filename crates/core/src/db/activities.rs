//! SQL for protection activities (传承活动, 展演, 培训, 进校园, 展览, 非遗月 …) and
//! their links to items and inheritors.
//!
//! Links to records in the recycle bin are kept when an activity is saved (the form
//! only sees live ones), so restoring an item or a person brings its links back.

use crate::error::{Error, Result};
use crate::model::{ActivityInput, ActivityPage, ActivityQuery, ActivityRow, PersonRef};
use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension};
use std::collections::BTreeMap;

const KIND: &str = "活动";

/// Row id and deletion state of an activity.
pub fn key(conn: &Connection, uid: &str) -> Result<(i64, Option<String>)> {
    conn.query_row(
        "SELECT id, deleted_at FROM activity WHERE uid = ?1",
        [uid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: KIND,
        id: uid.to_string(),
    })
}

/// Inserts or updates an activity and replaces its links to live items and people.
pub fn save(
    conn: &Connection,
    uid: &str,
    exists: bool,
    a: &ActivityInput,
    items: &[i64],
    people: &[i64],
    now: &str,
) -> Result<()> {
    let (py, ini) = crate::search::pinyin_keys(&a.title);
    let v: Vec<Value> = vec![
        uid.to_string().into(),
        a.kind.clone().into(),
        a.title.clone().into(),
        py.into(),
        ini.into(),
        a.started_on.clone().into(),
        a.ended_on.clone().into(),
        a.place.clone().into(),
        a.organizer.clone().into(),
        a.participants.into(),
        a.description.clone().into(),
        a.note.clone().into(),
        now.to_string().into(),
    ];
    if exists {
        conn.execute(
            "UPDATE activity SET kind = ?2, title = ?3, title_pinyin = ?4, title_initials = ?5, started_on = ?6,
                    ended_on = ?7, place = ?8, organizer = ?9, participants = ?10, description = ?11, note = ?12,
                    updated_at = ?13 WHERE uid = ?1",
            params_from_iter(v),
        )?;
    } else {
        conn.execute(
            "INSERT INTO activity(uid, kind, title, title_pinyin, title_initials, started_on, ended_on, place,
                    organizer, participants, description, note, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            params_from_iter(v),
        )?;
    }
    let (rowid, _) = key(conn, uid)?;
    conn.execute(
        "DELETE FROM activity_item WHERE activity_id = ?1
           AND item_id IN (SELECT id FROM item WHERE deleted_at IS NULL)",
        [rowid],
    )?;
    for item in items {
        conn.execute(
            "INSERT OR IGNORE INTO activity_item(activity_id, item_id) VALUES (?1, ?2)",
            params![rowid, item],
        )?;
    }
    conn.execute(
        "DELETE FROM activity_inheritor WHERE activity_id = ?1
           AND inheritor_id IN (SELECT id FROM inheritor WHERE deleted_at IS NULL)",
        [rowid],
    )?;
    for person in people {
        conn.execute(
            "INSERT OR IGNORE INTO activity_inheritor(activity_id, inheritor_id) VALUES (?1, ?2)",
            params![rowid, person],
        )?;
    }
    Ok(())
}

/// Marks an activity deleted (with a reason) or restores it.
pub fn set_deleted(
    conn: &Connection,
    uid: &str,
    deleted: Option<(&str, &str)>,
    now: &str,
) -> Result<()> {
    let (at, reason) = deleted.map_or((None, None), |(a, r)| (Some(a), Some(r)));
    conn.execute(
        "UPDATE activity SET deleted_at = ?2, deleted_reason = ?3, updated_at = ?4 WHERE uid = ?1",
        params![uid, at, reason, now],
    )?;
    Ok(())
}

/// Stored fields of an activity, its live items `(id, name)` and people, timestamps
/// and deletion state.
#[allow(clippy::type_complexity)]
pub fn fields(
    conn: &Connection,
    uid: &str,
) -> Result<(
    ActivityInput,
    Vec<(String, String)>,
    Vec<PersonRef>,
    String,
    String,
    Option<String>,
    Option<String>,
)> {
    let (rowid, _) = key(conn, uid)?;
    let (mut input, created, updated, deleted_at, deleted_reason) = conn.query_row(
        "SELECT uid, kind, title, started_on, ended_on, place, organizer, participants, description, note,
                created_at, updated_at, deleted_at, deleted_reason FROM activity WHERE id = ?1",
        [rowid],
        |r| {
            Ok((
                ActivityInput {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    title: r.get(2)?,
                    started_on: r.get(3)?,
                    ended_on: r.get(4)?,
                    place: r.get(5)?,
                    organizer: r.get(6)?,
                    participants: r.get(7)?,
                    description: r.get(8)?,
                    note: r.get(9)?,
                    item_ids: Vec::new(),
                    inheritor_ids: Vec::new(),
                },
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
                r.get(13)?,
            ))
        },
    )?;
    let mut stmt = conn.prepare(
        "SELECT i.uid, i.name FROM activity_item ai JOIN item i ON i.id = ai.item_id
         WHERE ai.activity_id = ?1 AND i.deleted_at IS NULL ORDER BY i.category_code, i.seq, i.id",
    )?;
    let items: Vec<(String, String)> = stmt
        .query_map([rowid], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare(
        "SELECT p.uid, p.name FROM activity_inheritor ap JOIN inheritor p ON p.id = ap.inheritor_id
         WHERE ap.activity_id = ?1 AND p.deleted_at IS NULL ORDER BY p.name_pinyin, p.id",
    )?;
    let people: Vec<PersonRef> = stmt
        .query_map([rowid], |r| {
            Ok(PersonRef {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    input.item_ids = items.iter().map(|(u, _)| u.clone()).collect();
    input.inheritor_ids = people.iter().map(|p| p.id.clone()).collect();
    Ok((
        input,
        items,
        people,
        created,
        updated,
        deleted_at,
        deleted_reason,
    ))
}

/// The loggable fields of an activity, by form name (items and people by name).
pub fn snapshot(conn: &Connection, uid: &str) -> Result<BTreeMap<String, Option<String>>> {
    let (f, items, people, ..) = fields(conn, uid)?;
    let mut m = BTreeMap::new();
    for (k, v) in [
        ("kind", Some(f.kind)),
        ("title", Some(f.title)),
        ("startedOn", Some(f.started_on)),
        ("endedOn", f.ended_on),
        ("place", f.place),
        ("organizer", f.organizer),
        ("participants", f.participants.map(|n| n.to_string())),
        ("description", f.description),
        ("note", f.note),
    ] {
        m.insert(k.to_string(), v);
    }
    let items: Vec<String> = items.into_iter().map(|(_, n)| n).collect();
    super::log::put_composite(
        &mut m,
        "items",
        (!items.is_empty()).then(|| items.join("、")),
        &f.item_ids,
    );
    let people: Vec<String> = people.into_iter().map(|p| p.name).collect();
    super::log::put_composite(
        &mut m,
        "inheritors",
        (!people.is_empty()).then(|| people.join("、")),
        &f.inheritor_ids,
    );
    Ok(m)
}

/// Searchable text of an activity: (title, body).
pub fn search_text(conn: &Connection, uid: &str) -> Result<(String, String)> {
    let (f, ..) = fields(conn, uid)?;
    let body = [f.place, f.organizer, f.description, f.note]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join("\n");
    Ok((f.title, body))
}

/// One page of activities, newest first. `tag` says whether an activity running from
/// its first to its last day (if any) overlaps a 非遗月.
pub fn list(
    conn: &Connection,
    q: &ActivityQuery,
    tag: impl Fn(&str, Option<&str>) -> bool,
) -> Result<ActivityPage> {
    let mut conds = vec![if q.deleted {
        "a.deleted_at IS NOT NULL"
    } else {
        "a.deleted_at IS NULL"
    }
    .to_string()];
    let mut vals: Vec<Value> = Vec::new();
    if let Some(kind) = q.kind.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        conds.push("a.kind = ?".into());
        vals.push(kind.to_string().into());
    }
    if let Some(year) = q.year {
        conds.push("a.started_on >= ? AND a.started_on <= ?".into());
        vals.push(format!("{year:04}-01-01").into());
        vals.push(format!("{year:04}-12-31").into());
    }
    if let Some(item) = q
        .item_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        conds.push(
            "EXISTS (SELECT 1 FROM activity_item ai JOIN item i ON i.id = ai.item_id
                     WHERE ai.activity_id = a.id AND i.uid = ?)"
                .into(),
        );
        vals.push(item.to_string().into());
    }
    if let Some(t) = q.query.as_deref() {
        if let Some((c, v, _)) = super::search::condition(conn, "activity", "a", t)? {
            conds.push(c);
            vals.extend(v);
        }
    }
    // The search condition expects `name_pinyin` / `name_initials`: alias the title's.
    let from =
        "(SELECT *, title_pinyin AS name_pinyin, title_initials AS name_initials FROM activity) a";
    let w = conds.join(" AND ");
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM {from} WHERE {w}"),
        params_from_iter(vals.iter()),
        |r| r.get(0),
    )?;
    let page_size = q.page_size.unwrap_or(20).clamp(1, 500);
    let page = q.page.unwrap_or(1).max(1);
    vals.push(page_size.into());
    vals.push(((page - 1) * page_size).into());
    let mut stmt = conn.prepare(&format!(
        "SELECT a.uid, a.kind, a.title, a.started_on, a.ended_on, a.place, a.participants,
                COALESCE((SELECT group_concat(name, '、') FROM (
                            SELECT i.name FROM activity_item ai JOIN item i ON i.id = ai.item_id
                             WHERE ai.activity_id = a.id AND i.deleted_at IS NULL
                             ORDER BY i.category_code, i.seq, i.id)), ''),
                a.deleted_at
         FROM {from} WHERE {w} ORDER BY a.started_on DESC, a.id DESC LIMIT ? OFFSET ?"
    ))?;
    let rows = stmt
        .query_map(params_from_iter(vals.iter()), |r| {
            Ok(ActivityRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                title: r.get(2)?,
                started_on: r.get(3)?,
                ended_on: r.get(4)?,
                place: r.get(5)?,
                participants: r.get(6)?,
                items: r.get(7)?,
                in_feiyi_month: false,
                deleted_at: r.get(8)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let rows = rows
        .into_iter()
        .map(|mut row| {
            row.in_feiyi_month = tag(&row.started_on, row.ended_on.as_deref());
            row
        })
        .collect();
    Ok(ActivityPage {
        rows,
        total,
        page,
        page_size,
    })
}

//! SQL for inheritors (every person of a lineage), their recognitions and dated status
//! events, yearly training plans, evaluations and subsidies.

use crate::error::{Error, Result};
use crate::ident::{mask_id_number, mask_phone};
use crate::model::{
    Evaluation, InheritorInput, InheritorPage, InheritorQuery, InheritorRow, Recognition,
    RecognitionEvent, RecognitionEventInput, RecognitionInput, Subsidy, TrainingPlan, LEVELS,
};
use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension};
use std::collections::BTreeMap;

const KIND: &str = "传承人";

/// Row id and deletion state of an inheritor.
pub fn key(conn: &Connection, uid: &str) -> Result<(i64, Option<String>, String)> {
    conn.query_row(
        "SELECT id, deleted_at, name FROM inheritor WHERE uid = ?1",
        [uid],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: KIND,
        id: uid.to_string(),
    })
}

const COLS: &str = "name, sex, ethnicity, birth_date, death_date, id_number, education, employer, occupation,
    practice_since, phone, address, resume, skills_achievements, teaching, holdings, awards, declaration_signed, note";

fn values(i: &InheritorInput) -> Vec<Value> {
    vec![
        i.name.clone().into(),
        i.sex.clone().into(),
        i.ethnicity.clone().into(),
        i.birth_date.clone().into(),
        i.death_date.clone().into(),
        i.id_number.clone().into(),
        i.education.clone().into(),
        i.employer.clone().into(),
        i.occupation.clone().into(),
        i.practice_since.into(),
        i.phone.clone().into(),
        i.address.clone().into(),
        i.resume.clone().into(),
        i.skills_achievements.clone().into(),
        i.teaching.clone().into(),
        i.holdings.clone().into(),
        i.awards.clone().into(),
        (i.declaration_signed as i64).into(),
        i.note.clone().into(),
    ]
}

/// Inserts a person.
pub fn insert(conn: &Connection, uid: &str, i: &InheritorInput, now: &str) -> Result<()> {
    let (py, ini) = crate::search::pinyin_keys(&i.name);
    let mut v: Vec<Value> = vec![
        uid.to_string().into(),
        py.into(),
        ini.into(),
        now.to_string().into(),
    ];
    v.extend(values(i));
    let ph: Vec<String> = (5..5 + 19).map(|n| format!("?{n}")).collect();
    conn.execute(
        &format!(
            "INSERT INTO inheritor(uid, name_pinyin, name_initials, created_at, updated_at, {COLS})
             VALUES (?1, ?2, ?3, ?4, ?4, {})",
            ph.join(", ")
        ),
        params_from_iter(v),
    )?;
    Ok(())
}

/// Updates a person.
pub fn update(conn: &Connection, uid: &str, i: &InheritorInput, now: &str) -> Result<()> {
    let (py, ini) = crate::search::pinyin_keys(&i.name);
    let sets: Vec<String> = COLS
        .split(',')
        .enumerate()
        .map(|(n, c)| format!("{} = ?{}", c.trim(), n + 5))
        .collect();
    let mut v: Vec<Value> = vec![
        uid.to_string().into(),
        py.into(),
        ini.into(),
        now.to_string().into(),
    ];
    v.extend(values(i));
    conn.execute(
        &format!(
            "UPDATE inheritor SET name_pinyin = ?2, name_initials = ?3, updated_at = ?4, {} WHERE uid = ?1",
            sets.join(", ")
        ),
        params_from_iter(v),
    )?;
    Ok(())
}

/// Marks a person deleted (with a reason) or restores them.
pub fn set_deleted(
    conn: &Connection,
    uid: &str,
    deleted: Option<(&str, &str)>,
    now: &str,
) -> Result<()> {
    let (at, reason) = deleted.map_or((None, None), |(a, r)| (Some(a), Some(r)));
    conn.execute(
        "UPDATE inheritor SET deleted_at = ?2, deleted_reason = ?3, updated_at = ?4 WHERE uid = ?1",
        params![uid, at, reason, now],
    )?;
    Ok(())
}

/// The stored fields of a person, with timestamps and deletion state.
#[allow(clippy::type_complexity)]
pub fn fields(
    conn: &Connection,
    uid: &str,
) -> Result<(
    InheritorInput,
    String,
    String,
    Option<String>,
    Option<String>,
)> {
    conn.query_row(
        &format!("SELECT uid, {COLS}, created_at, updated_at, deleted_at, deleted_reason FROM inheritor WHERE uid = ?1"),
        [uid],
        |r| {
            Ok((
                InheritorInput {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    sex: r.get(2)?,
                    ethnicity: r.get(3)?,
                    birth_date: r.get(4)?,
                    death_date: r.get(5)?,
                    id_number: r.get(6)?,
                    education: r.get(7)?,
                    employer: r.get(8)?,
                    occupation: r.get(9)?,
                    practice_since: r.get(10)?,
                    phone: r.get(11)?,
                    address: r.get(12)?,
                    resume: r.get(13)?,
                    skills_achievements: r.get(14)?,
                    teaching: r.get(15)?,
                    holdings: r.get(16)?,
                    awards: r.get(17)?,
                    declaration_signed: r.get::<_, i64>(18)? != 0,
                    note: r.get(19)?,
                },
                r.get(20)?,
                r.get(21)?,
                r.get(22)?,
                r.get(23)?,
            ))
        },
    )
    .optional()?
    .ok_or_else(|| Error::NotFound { kind: KIND, id: uid.to_string() })
}

/// The loggable fields of a person, flat, by form name.
pub fn snapshot(conn: &Connection, uid: &str) -> Result<BTreeMap<String, Option<String>>> {
    let (f, ..) = fields(conn, uid)?;
    Ok(super::log::flatten(&f, &["id"]))
}

/// The media id linked to a person with the role 肖像 (2-inch portrait), if any.
pub fn portrait_of(conn: &Connection, uid: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT m.uid FROM media_link l JOIN media m ON m.id = l.media_id
             WHERE l.entity_kind = 'inheritor' AND l.entity_uid = ?1 AND l.role = '肖像' AND m.deleted_at IS NULL
             ORDER BY l.ord LIMIT 1",
            [uid],
            |r| r.get(0),
        )
        .optional()?)
}

/// The year a person lost the ability to transmit an item (by evaluation or status event).
pub fn ability_lost_year(conn: &Connection, person: i64, item_uid: &str) -> Result<Option<i64>> {
    Ok(conn.query_row(
        "SELECT min(y) FROM (
            SELECT e.year AS y FROM evaluation e JOIN item i ON i.id = e.item_id
             WHERE e.inheritor_id = ?1 AND i.uid = ?2 AND e.grade = '丧失传承能力'
            UNION ALL
            SELECT CAST(substr(ev.occurred_on, 1, 4) AS INTEGER) FROM recognition_event ev
             JOIN recognition r ON r.id = ev.recognition_id JOIN item i ON i.id = r.item_id
             WHERE r.inheritor_id = ?1 AND i.uid = ?2 AND ev.status = '丧失传承能力')",
        params![person, item_uid],
        |r| r.get(0),
    )?)
}

/// Whether a person holds a live recognition for an item.
pub fn is_recognised(conn: &Connection, person: i64, item: i64) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM recognition WHERE inheritor_id = ?1 AND item_id = ?2 AND deleted_at IS NULL",
        params![person, item],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// Whether another live person already has this identity number.
pub fn id_number_holder(
    conn: &Connection,
    id_number: &str,
    except: Option<&str>,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT name FROM inheritor WHERE id_number = ?1 AND deleted_at IS NULL AND uid IS NOT ?2",
            params![id_number, except],
            |r| r.get(0),
        )
        .optional()?)
}

/// Age in whole years on `today` from a `YYYY[-MM[-DD]]` birth date: the one rule of
/// [`crate::stats::age_on`] (the list, the statistics and the reminders count alike).
pub fn age(birth: Option<&str>, today: chrono::NaiveDate) -> Option<i64> {
    crate::stats::age_on(birth, today)
}

/// The worst current status over a person's recognitions (去世 > 取消资格 > 丧失传承能力 > 在册).
fn status_rank(s: &str) -> i32 {
    match s {
        "去世" => 4,
        "取消资格" => 3,
        "丧失传承能力" => 2,
        _ => 1,
    }
}

/// Up to this many candidate ids drive the inheritor list from the ids (see [`list`]).
const SET_DRIVEN_LIMIT: usize = 20_000;

/// One page of the inheritor list, numbers masked, in name order.
///
/// Built for 500,000 inheritors like `items::list`: the filters (search matches, item, level)
/// are id sets read from indexes and intersected here; a few thousand candidates drive the
/// query through `inheritor_live_ids`, more are tested while reading the name-order index
/// (which stops at the page); a search alone counts as its number of matches.
pub fn list(
    conn: &Connection,
    q: &InheritorQuery,
    today: chrono::NaiveDate,
) -> Result<InheritorPage> {
    list_with(conn, q, today, SET_DRIVEN_LIMIT, super::search::COUNT_CAP)
}

/// [`list`] without the count cap: every match found and counted, for those who read every
/// page (the XLSX export), where paging past the cap would check rows again for each page.
pub fn list_exact(
    conn: &Connection,
    q: &InheritorQuery,
    today: chrono::NaiveDate,
) -> Result<InheritorPage> {
    list_with(conn, q, today, SET_DRIVEN_LIMIT, usize::MAX)
}

/// [`list`] with the set-driven limit as a parameter (tests run both strategies).
fn list_with(
    conn: &Connection,
    q: &InheritorQuery,
    today: chrono::NaiveDate,
    set_driven_limit: usize,
    count_cap: usize,
) -> Result<InheritorPage> {
    use super::search::{ids_of, Arg, IdFilter};
    let page_size = q.page_size.unwrap_or(20).clamp(1, 500);
    let page = q.page.unwrap_or(1).max(1);
    // Set-valued filters, intersected.
    let mut filter = IdFilter::default();
    // A search that stopped at the cap: a condition of its own, not a set.
    let capped_search = match q.query.as_deref() {
        Some(t) => filter.search(conn, "inheritor", t, q.deleted, count_cap)?,
        None => None,
    };
    if let Some(item) = q.item_id.as_deref().filter(|s| !s.is_empty()) {
        // Recognised for the item, or in its lineage.
        let ids = ids_of(
            conn,
            "SELECT r.inheritor_id FROM item i JOIN recognition r ON r.item_id = i.id WHERE i.uid = ?1
             UNION SELECT e.master_id FROM item i JOIN lineage_edge e ON e.item_id = i.id WHERE i.uid = ?1
             UNION SELECT e.apprentice_id FROM item i JOIN lineage_edge e ON e.item_id = i.id WHERE i.uid = ?1",
            &[Value::from(item.to_string())],
        )?;
        filter.narrow(ids, false);
    }
    if let Some(level) = q.level.as_deref().filter(|s| !s.is_empty()) {
        let ids = ids_of(
            conn,
            "SELECT inheritor_id FROM recognition WHERE level = ?1",
            &[Value::from(level.to_string())],
        )?;
        filter.narrow(ids, false);
    }
    let mut conds = vec![if q.deleted {
        "p.deleted_at IS NOT NULL"
    } else {
        "p.deleted_at IS NULL"
    }
    .to_string()];
    let mut vals: Vec<Arg> = Vec::new();
    let mut table = "inheritor p";
    let mut known_total = None;
    let search_only = filter.search_only;
    if let Some(ids) = &filter.ids {
        if ids.is_empty() {
            return Ok(InheritorPage {
                rows: Vec::new(),
                total: 0,
                total_capped: false,
                page,
                page_size,
            });
        }
        if q.deleted {
            conds.push("p.id IN rarray(?)".into());
            vals.push(Arg::ids(ids));
        } else if ids.len() <= set_driven_limit {
            table = "inheritor p INDEXED BY inheritor_live_ids";
            conds.push("p.id IN rarray(?)".into());
            vals.push(Arg::ids(ids));
        } else {
            let (c, v) = super::search::ids_condition("p", ids);
            conds.push(c);
            vals.extend(v.into_iter().map(Arg::from));
        }
        if search_only && !q.deleted {
            known_total = Some(ids.len() as i64);
        }
    }
    if let Some(m) = &capped_search {
        let (c, v) = m.condition("p");
        conds.push(c);
        vals.extend(v.into_iter().map(Arg::from));
    }
    let w = conds.join(" AND ");
    let (total, total_capped) = match (known_total, &capped_search) {
        (Some(n), _) => (n, false),
        // More matches than the cap, and nothing else to narrow them.
        (None, Some(_)) if filter.ids.is_none() => (count_cap as i64, true),
        (None, search) => {
            let cap = search.as_ref().map(|_| count_cap);
            super::search::count_rows(conn, table, &w, &vals, cap)?
        }
    };
    vals.push(page_size.into());
    vals.push(((page - 1) * page_size).into());
    // The page's ids in name order from the index, then their rows.
    let ids: Vec<i64> = conn
        .prepare(&format!(
            "SELECT p.id FROM {table} WHERE {w} ORDER BY p.name_pinyin, p.id LIMIT ? OFFSET ?"
        ))?
        .query_map(params_from_iter(vals.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if ids.is_empty() {
        return Ok(InheritorPage {
            rows: Vec::new(),
            total,
            total_capped,
            page,
            page_size,
        });
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT p.uid, p.name, p.sex, p.birth_date, p.id_number, p.phone, p.deleted_at, p.id, p.death_date FROM inheritor p
         WHERE p.id IN ({}) ORDER BY p.name_pinyin, p.id",
        super::search::id_list(&ids)
    ))?;
    let rows = stmt
        .query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                r.get::<_, i64>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (uid, name, sex, birth, idn, phone, deleted_at, rowid, death) in rows {
        let recs = recognitions_of(conn, "r.inheritor_id = ?1", rowid)?;
        let status = recs
            .iter()
            .map(|r| r.status.as_str())
            .max_by_key(|s| status_rank(s))
            .unwrap_or("—")
            .to_string();
        out.push(InheritorRow {
            id: uid,
            name,
            sex,
            // The living have an age; for the dead the column stays empty.
            age: if death.is_some() {
                None
            } else {
                age(birth.as_deref(), today)
            },
            birth_date: birth,
            id_number_masked: idn.as_deref().map(mask_id_number),
            phone_masked: phone.as_deref().map(mask_phone),
            recognitions: recs
                .iter()
                .map(|r| format!("{}（{}）", r.item_name, r.level))
                .collect::<Vec<_>>()
                .join("、"),
            status,
            deleted_at,
        });
    }
    Ok(InheritorPage {
        rows: out,
        total,
        total_capped,
        page,
        page_size,
    })
}

/// Recognitions matching `cond` (with `?1` bound to `arg`), each with its events.
pub fn recognitions_of(conn: &Connection, cond: &str, arg: i64) -> Result<Vec<Recognition>> {
    // Cached: the inheritor list runs this once per row of its page.
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.uid, p.uid, p.name, i.uid, i.name, r.level, b.uid, COALESCE(r.batch_label, ''), r.doc_number,
                r.recognized_on, r.note, r.id, b.number
         FROM recognition r JOIN inheritor p ON p.id = r.inheritor_id JOIN item i ON i.id = r.item_id
         LEFT JOIN batch b ON b.id = r.batch_id
         WHERE {cond} AND r.deleted_at IS NULL
         ORDER BY (SELECT CASE r.level WHEN '国家级' THEN 4 WHEN '省级' THEN 3 WHEN '市级' THEN 2 ELSE 1 END) DESC, r.id"
    ))?;
    let rows = stmt
        .query_map([arg], |r| {
            let batch_number: Option<i64> = r.get(12)?;
            let label: String = r.get(7)?;
            Ok((
                Recognition {
                    id: r.get(0)?,
                    inheritor_id: r.get(1)?,
                    inheritor_name: r.get(2)?,
                    item_id: r.get(3)?,
                    item_name: r.get(4)?,
                    level: r.get(5)?,
                    batch_id: r.get(6)?,
                    batch_label: batch_number
                        .map(crate::reference::batch_label)
                        .or((!label.is_empty()).then_some(label)),
                    doc_number: r.get(8)?,
                    recognized_on: r.get(9)?,
                    status: "在册".into(),
                    status_since: None,
                    events: Vec::new(),
                    note: r.get(10)?,
                },
                r.get::<_, i64>(11)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::new();
    for (mut rec, rowid) in rows {
        rec.events = events_of(conn, rowid)?;
        if let Some(last) = rec.events.last() {
            rec.status = last.status.clone();
            rec.status_since = Some(last.occurred_on.clone());
        } else {
            rec.status_since = rec.recognized_on.clone();
        }
        out.push(rec);
    }
    Ok(out)
}

fn events_of(conn: &Connection, recognition: i64) -> Result<Vec<RecognitionEvent>> {
    let mut stmt = conn.prepare_cached(
        "SELECT uid, status, occurred_on, ground, doc_number, note FROM recognition_event
         WHERE recognition_id = ?1 ORDER BY occurred_on, id",
    )?;
    let rows = stmt.query_map([recognition], |r| {
        Ok(RecognitionEvent {
            id: r.get(0)?,
            status: r.get(1)?,
            occurred_on: r.get(2)?,
            ground: r.get(3)?,
            doc_number: r.get(4)?,
            note: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One recognition by stable id.
pub fn recognition(conn: &Connection, uid: &str) -> Result<Recognition> {
    let rowid: i64 = conn
        .query_row("SELECT id FROM recognition WHERE uid = ?1", [uid], |r| {
            r.get(0)
        })
        .optional()?
        .ok_or_else(|| Error::NotFound {
            kind: "认定记录",
            id: uid.to_string(),
        })?;
    recognitions_of(conn, "r.id = ?1", rowid)?
        .pop()
        .ok_or_else(|| Error::NotFound {
            kind: "认定记录",
            id: uid.into(),
        })
}

/// Inserts or updates a recognition (references already resolved to row ids).
#[allow(clippy::too_many_arguments)]
pub fn save_recognition(
    conn: &Connection,
    uid: &str,
    exists: bool,
    inheritor: i64,
    item: i64,
    batch: Option<i64>,
    r: &RecognitionInput,
    now: &str,
) -> Result<()> {
    if exists {
        conn.execute(
            "UPDATE recognition SET inheritor_id = ?2, item_id = ?3, level = ?4, batch_id = ?5, batch_label = ?6,
                    doc_number = ?7, recognized_on = ?8, note = ?9, updated_at = ?10 WHERE uid = ?1",
            params![uid, inheritor, item, r.level, batch, r.batch_label, r.doc_number, r.recognized_on, r.note, now],
        )?;
    } else {
        conn.execute(
            "INSERT INTO recognition(uid, inheritor_id, item_id, level, batch_id, batch_label, doc_number,
                                     recognized_on, note, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            params![uid, inheritor, item, r.level, batch, r.batch_label, r.doc_number, r.recognized_on, r.note, now],
        )?;
    }
    Ok(())
}

/// The live recognition of a person for an item at a level, other than `except`.
pub fn recognition_holder(
    conn: &Connection,
    inheritor: i64,
    item: i64,
    level: &str,
    except: Option<&str>,
) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM recognition WHERE inheritor_id = ?1 AND item_id = ?2 AND level = ?3 AND uid IS NOT ?4",
        params![inheritor, item, level, except],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// Appends a status event.
pub fn add_event(
    conn: &Connection,
    recognition: i64,
    e: &RecognitionEventInput,
    now: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO recognition_event(uid, recognition_id, status, occurred_on, ground, doc_number, note, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![super::new_uid(), recognition, e.status, e.occurred_on, e.ground, e.doc_number, e.note, now],
    )?;
    Ok(())
}

/// Row id of a recognition.
pub fn recognition_rowid(conn: &Connection, uid: &str) -> Result<i64> {
    conn.query_row("SELECT id FROM recognition WHERE uid = ?1", [uid], |r| {
        r.get(0)
    })
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: "认定记录",
        id: uid.to_string(),
    })
}

/// Yearly training plans of a person.
pub fn training_plans(conn: &Connection, person: i64) -> Result<Vec<TrainingPlan>> {
    let mut stmt = conn.prepare(
        "SELECT t.uid, p.uid, i.uid, t.year, t.content, t.targets FROM training_plan t
         JOIN inheritor p ON p.id = t.inheritor_id JOIN item i ON i.id = t.item_id
         WHERE t.inheritor_id = ?1 ORDER BY t.year DESC, t.id",
    )?;
    let rows = stmt.query_map([person], |r| {
        Ok(TrainingPlan {
            id: r.get(0)?,
            inheritor_id: r.get(1)?,
            item_id: r.get(2)?,
            year: r.get(3)?,
            content: r.get(4)?,
            targets: r.get(5)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inserts or replaces the plan of (person, item, year).
pub fn save_training_plan(
    conn: &Connection,
    person: i64,
    item: i64,
    t: &TrainingPlan,
    now: &str,
) -> Result<String> {
    let uid = t.id.clone().unwrap_or_else(super::new_uid);
    conn.execute(
        "INSERT INTO training_plan(uid, inheritor_id, item_id, year, content, targets, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)
         ON CONFLICT(inheritor_id, item_id, year) DO UPDATE SET content = excluded.content,
             targets = excluded.targets, updated_at = excluded.updated_at",
        params![uid, person, item, t.year, t.content, t.targets, now],
    )?;
    Ok(conn.query_row(
        "SELECT uid FROM training_plan WHERE inheritor_id = ?1 AND item_id = ?2 AND year = ?3",
        params![person, item, t.year],
        |r| r.get(0),
    )?)
}

/// Yearly evaluations of a person.
pub fn evaluations(conn: &Connection, person: i64) -> Result<Vec<Evaluation>> {
    let mut stmt = conn.prepare(
        "SELECT e.uid, p.uid, i.uid, e.year, e.grade, e.self_assessment, e.evidence, e.reviewer, e.reviewed_on, e.note
         FROM evaluation e JOIN inheritor p ON p.id = e.inheritor_id JOIN item i ON i.id = e.item_id
         WHERE e.inheritor_id = ?1 ORDER BY e.year DESC, e.id",
    )?;
    let rows = stmt.query_map([person], |r| {
        Ok(Evaluation {
            id: r.get(0)?,
            inheritor_id: r.get(1)?,
            item_id: r.get(2)?,
            year: r.get(3)?,
            grade: r.get(4)?,
            self_assessment: r.get(5)?,
            evidence: r.get(6)?,
            reviewer: r.get(7)?,
            reviewed_on: r.get(8)?,
            note: r.get(9)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inserts or replaces the evaluation of (person, item, year); returns its id.
pub fn save_evaluation(
    conn: &Connection,
    person: i64,
    item: i64,
    e: &Evaluation,
    now: &str,
) -> Result<String> {
    let uid = e.id.clone().unwrap_or_else(super::new_uid);
    conn.execute(
        "INSERT INTO evaluation(uid, inheritor_id, item_id, year, grade, self_assessment, evidence, reviewer,
                                reviewed_on, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)
         ON CONFLICT(inheritor_id, item_id, year) DO UPDATE SET grade = excluded.grade,
             self_assessment = excluded.self_assessment, evidence = excluded.evidence, reviewer = excluded.reviewer,
             reviewed_on = excluded.reviewed_on, note = excluded.note, updated_at = excluded.updated_at",
        params![uid, person, item, e.year, e.grade, e.self_assessment, e.evidence, e.reviewer, e.reviewed_on, e.note, now],
    )?;
    Ok(conn.query_row(
        "SELECT uid FROM evaluation WHERE inheritor_id = ?1 AND item_id = ?2 AND year = ?3",
        params![person, item, e.year],
        |r| r.get(0),
    )?)
}

/// Yearly subsidies of a person.
pub fn subsidies(conn: &Connection, person: i64) -> Result<Vec<Subsidy>> {
    let mut stmt = conn.prepare(
        "SELECT s.uid, p.uid, i.uid, s.year, s.received_fen, s.used_fen, s.note FROM subsidy s
         JOIN inheritor p ON p.id = s.inheritor_id JOIN item i ON i.id = s.item_id
         WHERE s.inheritor_id = ?1 ORDER BY s.year DESC, s.id",
    )?;
    let rows = stmt.query_map([person], |r| {
        Ok(Subsidy {
            id: r.get(0)?,
            inheritor_id: r.get(1)?,
            item_id: r.get(2)?,
            year: r.get(3)?,
            received_fen: r.get(4)?,
            used_fen: r.get(5)?,
            note: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inserts or replaces the subsidy of (person, item, year); returns its id.
pub fn save_subsidy(
    conn: &Connection,
    person: i64,
    item: i64,
    s: &Subsidy,
    now: &str,
) -> Result<String> {
    let uid = s.id.clone().unwrap_or_else(super::new_uid);
    conn.execute(
        "INSERT INTO subsidy(uid, inheritor_id, item_id, year, received_fen, used_fen, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
         ON CONFLICT(inheritor_id, item_id, year) DO UPDATE SET received_fen = excluded.received_fen,
             used_fen = excluded.used_fen, note = excluded.note, updated_at = excluded.updated_at",
        params![uid, person, item, s.year, s.received_fen, s.used_fen, s.note, now],
    )?;
    Ok(conn.query_row(
        "SELECT uid FROM subsidy WHERE inheritor_id = ?1 AND item_id = ?2 AND year = ?3",
        params![person, item, s.year],
        |r| r.get(0),
    )?)
}

/// Rank of a level (区级 = 1 … 国家级 = 4).
pub fn level_rank(level: &str) -> Option<usize> {
    LEVELS.iter().position(|l| *l == level).map(|p| p + 1)
}

/// Searchable text of a person: (name, body).
pub fn search_text(conn: &Connection, uid: &str) -> Result<(String, String)> {
    let (f, ..) = fields(conn, uid)?;
    let body = [
        f.employer,
        f.occupation,
        f.resume,
        f.skills_achievements,
        f.teaching,
        f.awards,
        f.note,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n");
    Ok((f.name, body))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::search::COUNT_CAP;

    /// The list's ids for `q` by plain SQL over the rows: the oracle.
    fn oracle(conn: &Connection, q: &InheritorQuery) -> Vec<String> {
        let mut conds = vec!["p.deleted_at IS NULL".to_string()];
        let mut vals: Vec<Value> = Vec::new();
        if let Some(item) = &q.item_id {
            conds.push(
                "(EXISTS (SELECT 1 FROM recognition r JOIN item i ON i.id = r.item_id WHERE r.inheritor_id = p.id AND i.uid = ?)
                  OR EXISTS (SELECT 1 FROM lineage_edge e JOIN item i ON i.id = e.item_id
                             WHERE (e.master_id = p.id OR e.apprentice_id = p.id) AND i.uid = ?))"
                    .into(),
            );
            vals.extend([item.clone().into(), item.clone().into()]);
        }
        if let Some(level) = &q.level {
            conds.push(
                "EXISTS (SELECT 1 FROM recognition r WHERE r.inheritor_id = p.id AND r.level = ?)"
                    .into(),
            );
            vals.push(level.clone().into());
        }
        if let Some(text) = &q.query {
            conds.push(
                "p.id IN (SELECT rowid - (2 << 40) FROM search_text
                          WHERE rowid BETWEEN (2 << 40) AND (3 << 40) - 1
                          AND (name LIKE ? OR body LIKE ? OR keys LIKE ?))"
                    .into(),
            );
            let pat = format!("%{text}%");
            vals.extend([pat.clone().into(), pat.clone().into(), pat.into()]);
        }
        conn.prepare(&format!(
            "SELECT p.uid FROM inheritor p WHERE {} ORDER BY p.name_pinyin, p.id",
            conds.join(" AND ")
        ))
        .unwrap()
        .query_map(params_from_iter(vals.iter()), |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    #[test]
    fn both_strategies_agree_with_a_plain_scan() {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::generate_registry(
            dir.path(),
            &crate::synth::ScaleOptions { items: 60, seed: 5 },
            crate::system_clock(),
        )
        .unwrap();
        let reg = crate::Registry::open(dir.path(), crate::system_clock()).unwrap();
        let conn = reg.connection();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        let item: String = conn
            .query_row(
                "SELECT i.uid FROM item i JOIN recognition r ON r.item_id = i.id GROUP BY i.id ORDER BY count(*) DESC",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let (name, initials): (String, String) = conn
            .query_row(
                "SELECT name, name_initials FROM inheritor ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        // What the trigram index answers, too: three characters of an inheritor's texts.
        let three: String = conn
            .query_row(
                "SELECT substr(body, 5, 3) FROM search_text
                 WHERE rowid BETWEEN (2 << 40) AND (3 << 40) - 1 AND length(body) > 10
                 ORDER BY rowid LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let mut checked = 0;
        let mut capped = 0;
        for query in [
            None,
            Some(name.chars().next().unwrap().to_string()),
            Some(initials[..1].to_string()),
            Some(three),
        ] {
            for item_id in [None, Some(item.clone())] {
                for level in [None, Some("区级"), Some("省级")] {
                    let q = InheritorQuery {
                        query: query.clone(),
                        item_id: item_id.clone(),
                        level: level.map(str::to_string),
                        page_size: Some(500),
                        ..Default::default()
                    };
                    let want = oracle(conn, &q);
                    for (limit, cap) in [0, usize::MAX]
                        .into_iter()
                        .flat_map(|l| [COUNT_CAP, 0, 2, usize::MAX].map(move |c| (l, c)))
                    {
                        let got = list_with(conn, &q, today, limit, cap).unwrap();
                        let ids: Vec<String> = got.rows.into_iter().map(|r| r.id).collect();
                        assert_eq!(ids, want, "{q:?}, limit {limit}, cap {cap}");
                        // A trigram search past the cap says "more than the cap".
                        let over = q.query.as_ref().is_some_and(|t| t.chars().count() >= 3)
                            && want.len() > cap;
                        assert_eq!(
                            (got.total as usize, got.total_capped),
                            (if over { cap } else { want.len() }, over),
                            "{q:?}, limit {limit}, cap {cap}"
                        );
                        checked += usize::from(!want.is_empty());
                        capped += usize::from(over);
                    }
                }
            }
        }
        assert!(checked > 10, "too few non-empty cases: {checked}");
        assert!(capped > 4, "too few searches past the cap: {capped}");
    }
}

//! Bulk inserts for the scale generator (`crate::synth`): the same rows, pinyin keys and
//! search-index entries the normal write path makes, through cached prepared statements
//! inside the one transaction of a registry being created.

use crate::error::Result;
use crate::model::BatchInput;
use crate::synth::{
    SynthItem, SynthLink, SynthMedia, SynthPerson, ITEM_TEXT_COLUMNS, SYNTH_OTHER_NOTE,
    SYNTH_PERSON_NOTE,
};
use rusqlite::{params, params_from_iter, types::Value, Connection};

/// Tunes the building connection for one large transaction: a bigger page cache. Only used on the temporary file of a registry being
/// created (its pragmas are set afresh when it is opened).
pub fn prepare_bulk(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "cache_size", -262_144)?; // 256 MiB
    conn.set_prepared_statement_cache_capacity(64);
    Ok(())
}

/// The live batches: (number, row id).
pub fn live_batches(conn: &Connection) -> Result<Vec<(i64, i64)>> {
    let mut stmt =
        conn.prepare("SELECT number, id FROM batch WHERE deleted_at IS NULL ORDER BY number")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inserts a batch; returns its row id.
pub fn insert_batch(conn: &Connection, uid: &str, b: &BatchInput, now: &str) -> Result<i64> {
    super::batches::insert(conn, uid, b, now)?;
    Ok(conn.last_insert_rowid())
}

/// Indexes a record exactly as the normal write path does (whatever the search index is
/// made of, it is filled by this one function).
fn index(conn: &Connection, kind: &str, uid: &str, name: &str, body: &str) -> Result<()> {
    super::search::index(conn, kind, uid, name, body)
}

/// Inserts a media record and its one link.
pub fn insert_media(
    conn: &Connection,
    uid: &str,
    m: &SynthMedia,
    link: &SynthLink,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO media(uid, sha256, ext, kind, original_name, size_bytes, mime, imported_at,
                           width, height, duration_ms, sample_rate, channels, title, caption,
                           caption_time, caption_place, creator, rights, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 '示例数据，虚构', ?8, ?8)",
    )?
    .execute(params![
        uid,
        m.sha256,
        m.ext,
        m.kind,
        m.original_name,
        m.size_bytes,
        m.mime,
        now,
        m.width,
        m.height,
        m.duration_ms,
        m.duration_ms.map(|_| 8000),
        m.duration_ms.map(|_| 1),
        m.title,
        m.caption,
        m.caption_time,
        m.caption_place,
        m.creator,
    ])?;
    let media = conn.last_insert_rowid();
    let (link_uid, entity, entity_uid, role, ord) = link;
    conn.prepare_cached(
        "INSERT INTO media_link(uid, media_id, entity_kind, entity_uid, role, ord, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![link_uid, media, entity, entity_uid, role, ord, now])?;
    Ok(())
}

/// Inserts an item with its townships and listings and indexes it; returns its row id.
pub fn insert_item(conn: &Connection, item: &SynthItem, now: &str) -> Result<i64> {
    let (py, initials) = crate::search::pinyin_keys(&item.name);
    let placeholders: Vec<String> = (11..11 + ITEM_TEXT_COLUMNS.len())
        .map(|i| format!("?{i}"))
        .collect();
    let sql = format!(
        "INSERT INTO item(uid, name, name_pinyin, name_initials, category_code, seq, batch_id,
                          endangered, note, created_at, updated_at, {})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, {})",
        ITEM_TEXT_COLUMNS.join(", "),
        placeholders.join(", ")
    );
    let mut values: Vec<Value> = vec![
        item.uid.clone().into(),
        item.name.clone().into(),
        py.into(),
        initials.into(),
        item.category.clone().into(),
        item.seq.into(),
        item.batch_id.into(),
        (item.endangered as i64).into(),
        crate::synth::SYNTH_NOTE.to_string().into(),
        now.to_string().into(),
    ];
    values.extend(item.texts.iter().map(|t| Value::from(t.clone())));
    conn.prepare_cached(&sql)?
        .execute(params_from_iter(values))?;
    let rowid = conn.last_insert_rowid();
    for (code, _, villages) in &item.townships {
        conn.prepare_cached(
            "INSERT INTO item_township(item_id, township_code, villages) VALUES (?1, ?2, ?3)",
        )?
        .execute(params![rowid, code, villages])?;
    }
    for (uid, level, rank, listed_on, doc, label) in &item.listings {
        conn.prepare_cached(
            "INSERT INTO listing(uid, item_id, level, level_rank, listed_on, doc_number,
                                 batch_label, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
        )?
        .execute(params![uid, rowid, level, rank, listed_on, doc, label, now])?;
    }
    // The same body as `items::search_text`: texts, then "township villages", then the note.
    let mut body: Vec<String> = item.texts.iter().flatten().cloned().collect();
    body.extend(
        item.townships.iter().map(|(_, name, villages)| {
            format!("{} {}", name, villages.clone().unwrap_or_default())
        }),
    );
    body.push(crate::synth::SYNTH_NOTE.to_string());
    index(conn, "item", &item.uid, &item.name, &body.join("\n"))?;
    Ok(rowid)
}

/// Inserts a person with their recognitions (of `item_id`), status events and
/// evaluations, and indexes them; returns the person's row id.
pub fn insert_person(conn: &Connection, p: &SynthPerson, item_id: i64, now: &str) -> Result<i64> {
    let (py, initials) = crate::search::pinyin_keys(&p.name);
    conn.prepare_cached(
        "INSERT INTO inheritor(uid, name, name_pinyin, name_initials, sex, ethnicity, birth_date,
                               death_date, employer, occupation, resume, skills_achievements,
                               teaching, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, '汉族', ?6, ?7, ?8, '手艺人', ?9, ?10, ?11, ?12, ?13, ?13)",
    )?
    .execute(params![
        p.uid,
        p.name,
        py,
        initials,
        p.sex,
        p.birth_date,
        p.death_date,
        p.employer,
        p.resume,
        p.skills,
        p.teaching,
        SYNTH_PERSON_NOTE,
        now
    ])?;
    let person = conn.last_insert_rowid();
    let mut first = None;
    for (uid, level, batch, label, doc, on) in &p.recognitions {
        conn.prepare_cached(
            "INSERT INTO recognition(uid, inheritor_id, item_id, level, batch_id, batch_label,
                                     doc_number, recognized_on, note, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, '示例', ?9, ?9)",
        )?
        .execute(params![
            uid, person, item_id, level, batch, label, doc, on, now
        ])?;
        first.get_or_insert(conn.last_insert_rowid());
    }
    if let Some(rec) = first {
        for (uid, status, on, ground) in &p.events {
            conn.prepare_cached(
                "INSERT INTO recognition_event(uid, recognition_id, status, occurred_on, ground,
                                               note, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, '示例', ?6)",
            )?
            .execute(params![uid, rec, status, on, ground, now])?;
        }
    }
    for (uid, year, grade) in &p.evaluations {
        conn.prepare_cached(
            "INSERT INTO evaluation(uid, inheritor_id, item_id, year, grade, reviewer, note,
                                    created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, '示例评审组', '示例', ?6, ?6)",
        )?
        .execute(params![uid, person, item_id, year, grade, now])?;
    }
    // The same body as `inheritors::search_text`.
    let body = [
        p.employer.as_str(),
        "手艺人",
        &p.resume,
        &p.skills,
        &p.teaching,
        SYNTH_PERSON_NOTE,
    ]
    .join("\n");
    index(conn, "inheritor", &p.uid, &p.name, &body)?;
    Ok(person)
}

/// Inserts a lineage edge (master → apprentice, the apprentice's generation).
#[allow(clippy::too_many_arguments)]
pub fn insert_edge(
    conn: &Connection,
    uid: &str,
    item_id: i64,
    master: i64,
    apprentice: i64,
    kind: &str,
    generation: i64,
    from_year: i64,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO lineage_edge(uid, item_id, master_id, apprentice_id, kind, generation,
                                  from_year, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
    )?
    .execute(params![
        uid, item_id, master, apprentice, kind, generation, from_year, now
    ])?;
    Ok(())
}

/// Inserts a protection unit and indexes it; returns its row id.
pub fn insert_unit(
    conn: &Connection,
    uid: &str,
    name: &str,
    address: &str,
    contact: &str,
    note: &str,
    now: &str,
) -> Result<i64> {
    let (py, initials) = crate::search::pinyin_keys(name);
    conn.prepare_cached(
        "INSERT INTO protection_unit(uid, name, name_pinyin, name_initials, unit_type,
                                     contact_person, address, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, '事业单位', ?5, ?6, ?7, ?8, ?8)",
    )?
    .execute(params![
        uid, name, py, initials, contact, address, note, now
    ])?;
    let rowid = conn.last_insert_rowid();
    // The same body as `units::search_text` (no credit code or legal representative).
    index(
        conn,
        "unit",
        uid,
        name,
        &[contact, address, note].join("\n"),
    )?;
    Ok(rowid)
}

/// Inserts a unit check.
pub fn insert_unit_check(
    conn: &Connection,
    uid: &str,
    unit: i64,
    on: &str,
    result: &str,
    now: &str,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO unit_check(uid, unit_id, checked_on, result, checker, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, '示例检查组', ?5, ?5)",
    )?
    .execute(params![uid, unit, on, result, now])?;
    Ok(())
}

/// Links a unit to an item.
pub fn link_unit_item(conn: &Connection, unit: i64, item: i64) -> Result<()> {
    conn.prepare_cached("INSERT INTO unit_item(unit_id, item_id) VALUES (?1, ?2)")?
        .execute(params![unit, item])?;
    Ok(())
}

/// A five-year plan with its years, budget lines and expenditures.
#[derive(Debug, Clone)]
pub struct PlanRows {
    /// Stable id.
    pub uid: String,
    /// Item row id.
    pub item_id: i64,
    /// Unit row id.
    pub unit_id: i64,
    /// Title.
    pub title: String,
    /// First year (the plan covers five).
    pub start_year: i64,
    /// 保护目标.
    pub goals: String,
    /// 保护措施.
    pub measures: String,
    /// 经费预算依据说明.
    pub budget_basis: String,
    /// Plan years: targets, measures, uid, year.
    pub years: Vec<(String, String, String, i64)>,
    /// Budget lines: uid, year, source, amount in 分, expenditures (uid, date, amount in 分).
    pub lines: Vec<BudgetLineRows>,
}

/// One expenditure: uid, date, amount in 分.
pub type SpendRow = (String, String, i64);

/// One budget line: uid, year, source, amount in 分, its expenditures.
pub type BudgetLineRows = (String, i64, &'static str, i64, Vec<SpendRow>);

/// Inserts a plan with its years, budget lines and expenditures.
pub fn insert_plan(conn: &Connection, p: &PlanRows, now: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO protection_plan(uid, item_id, unit_id, title, start_year, end_year, goals,
                                     measures, budget_basis, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11)",
    )?
    .execute(params![
        p.uid,
        p.item_id,
        p.unit_id,
        p.title,
        p.start_year,
        p.start_year + 4,
        p.goals,
        p.measures,
        p.budget_basis,
        SYNTH_OTHER_NOTE,
        now
    ])?;
    let plan = conn.last_insert_rowid();
    for (targets, measures, uid, year) in &p.years {
        conn.prepare_cached(
            "INSERT INTO plan_year(uid, plan_id, year, targets, measures, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        )?
        .execute(params![uid, plan, year, targets, measures, now])?;
    }
    for (uid, year, source, amount, spent) in &p.lines {
        conn.prepare_cached(
            "INSERT INTO budget_line(uid, plan_id, year, purpose, source, amount_fen,
                                     justification, created_at, updated_at)
             VALUES (?1, ?2, ?3, '示例：传承人带徒授艺补助', ?4, ?5, '示例测算', ?6, ?6)",
        )?
        .execute(params![uid, plan, year, source, amount, now])?;
        let line = conn.last_insert_rowid();
        for (uid, on, fen) in spent {
            conn.prepare_cached(
                "INSERT INTO expenditure(uid, budget_line_id, spent_on, amount_fen, payee, note,
                                         created_at, updated_at)
                 VALUES (?1, ?2, ?3, ?4, '示例收款单位', '示例', ?5, ?5)",
            )?
            .execute(params![uid, line, on, fen, now])?;
        }
    }
    Ok(())
}

/// An activity linked to one item and some of its people.
#[derive(Debug, Clone)]
pub struct ActivityRow {
    /// Stable id.
    pub uid: String,
    /// Kind (传承活动, 展演 …).
    pub kind: &'static str,
    /// Title.
    pub title: String,
    /// First day.
    pub started_on: String,
    /// Place.
    pub place: String,
    /// Organiser.
    pub organizer: String,
    /// Participants.
    pub participants: i64,
    /// Description.
    pub description: String,
    /// Item row id.
    pub item_id: i64,
    /// Inheritor row ids.
    pub people: Vec<i64>,
}

/// Inserts an activity with its links and indexes it.
pub fn insert_activity(conn: &Connection, a: &ActivityRow, now: &str) -> Result<()> {
    let (py, initials) = crate::search::pinyin_keys(&a.title);
    conn.prepare_cached(
        "INSERT INTO activity(uid, kind, title, title_pinyin, title_initials, started_on, place,
                              organizer, participants, description, note, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
    )?
    .execute(params![
        a.uid,
        a.kind,
        a.title,
        py,
        initials,
        a.started_on,
        a.place,
        a.organizer,
        a.participants,
        a.description,
        SYNTH_OTHER_NOTE,
        now
    ])?;
    let rowid = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO activity_item(activity_id, item_id) VALUES (?1, ?2)")?
        .execute(params![rowid, a.item_id])?;
    for person in &a.people {
        conn.prepare_cached(
            "INSERT INTO activity_inheritor(activity_id, inheritor_id) VALUES (?1, ?2)",
        )?
        .execute(params![rowid, person])?;
    }
    // The same body as `activities::search_text`.
    let body = [
        a.place.as_str(),
        &a.organizer,
        &a.description,
        SYNTH_OTHER_NOTE,
    ]
    .join("\n");
    index(conn, "activity", &a.uid, &a.title, &body)?;
    Ok(())
}

/// Writes the one edit-log row of a generation: a `create` of entity `registry` whose
/// new value is the JSON summary (seed and counts).
pub fn log_generation(conn: &Connection, uid: &str, summary: &str, now: &str) -> Result<()> {
    super::log::append_with_uid(
        conn,
        uid,
        now,
        "示例数据生成器",
        super::log::Change {
            entity: "registry",
            entity_id: uid,
            action: "create",
            new_value: Some(summary.to_string()),
            reason: Some("示例数据：规模测试生成".into()),
            ..Default::default()
        },
    )
}

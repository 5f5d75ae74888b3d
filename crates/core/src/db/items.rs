//! SQL for items: the register list with filters and paging, the item page, writes,
//! soft deletion, and the flat snapshot the edit log diffs.

use super::search::COUNT_CAP;
use crate::code;
use crate::error::{Error, Result};
use crate::model::{
    ItemDetail, ItemInput, ItemPage, ItemQuery, ItemRef, ItemRow, ItemSort, ItemTexts,
    ItemTownship, Listing, ITEM_TEXT_FIELDS, LEVELS,
};
use crate::reference::batch_label;
use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension};
use std::collections::BTreeMap;

const KIND: &str = "项目";

/// Internal handle of an item.
#[derive(Debug, Clone)]
pub struct ItemKey {
    /// Row id.
    pub rowid: i64,
    /// Category numeral.
    pub category: String,
    /// In-category sequence.
    pub seq: i64,
    /// Parent row id.
    pub parent: Option<i64>,
    /// Deleted timestamp.
    pub deleted_at: Option<String>,
    /// Name.
    pub name: String,
}

/// Looks an item up by stable id.
pub fn key(conn: &Connection, uid: &str) -> Result<ItemKey> {
    conn.query_row(
        "SELECT id, category_code, seq, parent_id, deleted_at, name FROM item WHERE uid = ?1",
        [uid],
        |r| {
            Ok(ItemKey {
                rowid: r.get(0)?,
                category: r.get(1)?,
                seq: r.get(2)?,
                parent: r.get(3)?,
                deleted_at: r.get(4)?,
                name: r.get(5)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: KIND,
        id: uid.to_string(),
    })
}

/// Number of live items.
pub fn live_count(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM item WHERE deleted_at IS NULL",
        [],
        |r| r.get(0),
    )?)
}

/// The stable id of an item by row id.
pub fn uid_of(conn: &Connection, rowid: i64) -> Result<String> {
    conn.query_row("SELECT uid FROM item WHERE id = ?1", [rowid], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound {
            kind: KIND,
            id: rowid.to_string(),
        })
}

/// The next free sequence number in a category (never reusing a deleted item's number).
pub fn next_seq(conn: &Connection, category: &str) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT COALESCE(max(seq), 0) + 1 FROM item WHERE category_code = ?1 AND parent_id IS NULL",
        [category],
        |r| r.get(0),
    )?)
}

/// The live top-level item holding `(category, seq)`, other than `except`.
pub fn holder_of_code(
    conn: &Connection,
    category: &str,
    seq: i64,
    except: Option<i64>,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT name FROM item WHERE category_code = ?1 AND seq = ?2 AND parent_id IS NULL
             AND deleted_at IS NULL AND id IS NOT ?3",
            params![category, seq, except],
            |r| r.get(0),
        )
        .optional()?)
}

/// Whether the category exists.
pub fn category_exists(conn: &Connection, code: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT count(*) FROM category WHERE code = ?1",
        [code],
        |r| r.get::<_, i64>(0),
    )? > 0)
}

/// Whether the township exists.
pub fn township_name(conn: &Connection, code: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT name FROM township WHERE code = ?1", [code], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Resolved references of an item being written.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// Batch row id.
    pub batch: Option<i64>,
    /// Parent row id.
    pub parent: Option<i64>,
    /// Category to store.
    pub category: String,
    /// Sequence to store.
    pub seq: i64,
    /// Status to store.
    pub status: String,
}

fn text_values(t: &ItemTexts) -> [&Option<String>; 15] {
    [
        &t.applicant,
        &t.distribution,
        &t.summary,
        &t.geography,
        &t.history,
        &t.content,
        &t.artifacts,
        &t.lineage_text,
        &t.features,
        &t.value,
        &t.viability,
        &t.argumentation,
        &t.management,
        &t.protection_done,
        &t.mechanism,
    ]
}

/// Inserts a new item with its townships and listings.
pub fn insert(
    conn: &Connection,
    uid: &str,
    input: &ItemInput,
    res: &Resolved,
    now: &str,
) -> Result<()> {
    let (py, initials) = crate::search::pinyin_keys(&input.name);
    let cols: Vec<&str> = ITEM_TEXT_FIELDS.iter().map(|(c, _)| *c).collect();
    let placeholders: Vec<String> = (14..14 + cols.len()).map(|i| format!("?{i}")).collect();
    let sql = format!(
        "INSERT INTO item(uid, name, name_pinyin, name_initials, category_code, seq, batch_id, parent_id, status,
                          endangered, confidential, note, created_at, updated_at, {})
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, {})",
        cols.join(", "),
        placeholders.join(", ")
    );
    let mut values: Vec<Value> = vec![
        uid.to_string().into(),
        input.name.clone().into(),
        py.into(),
        initials.into(),
        res.category.clone().into(),
        res.seq.into(),
        res.batch.into(),
        res.parent.into(),
        res.status.clone().into(),
        (input.endangered as i64).into(),
        (input.confidential as i64).into(),
        input.note.clone().into(),
        now.to_string().into(),
    ];
    values.extend(
        text_values(&input.texts)
            .iter()
            .map(|v| Value::from((*v).clone())),
    );
    conn.execute(&sql, params_from_iter(values))?;
    let rowid = conn.last_insert_rowid();
    write_children(conn, rowid, input, now)
}

/// Updates an item and replaces its townships and listings.
pub fn update(
    conn: &Connection,
    rowid: i64,
    input: &ItemInput,
    res: &Resolved,
    now: &str,
) -> Result<()> {
    let (py, initials) = crate::search::pinyin_keys(&input.name);
    let sets: Vec<String> = ITEM_TEXT_FIELDS
        .iter()
        .enumerate()
        .map(|(i, (c, _))| format!("{c} = ?{}", i + 14))
        .collect();
    let sql = format!(
        "UPDATE item SET name = ?2, name_pinyin = ?3, name_initials = ?4, category_code = ?5, seq = ?6,
                batch_id = ?7, parent_id = ?8, status = ?9, endangered = ?10, confidential = ?11, note = ?12,
                updated_at = ?13, {}
         WHERE id = ?1",
        sets.join(", ")
    );
    let mut values: Vec<Value> = vec![
        rowid.into(),
        input.name.clone().into(),
        py.into(),
        initials.into(),
        res.category.clone().into(),
        res.seq.into(),
        res.batch.into(),
        res.parent.into(),
        res.status.clone().into(),
        (input.endangered as i64).into(),
        (input.confidential as i64).into(),
        input.note.clone().into(),
        now.to_string().into(),
    ];
    values.extend(
        text_values(&input.texts)
            .iter()
            .map(|v| Value::from((*v).clone())),
    );
    conn.execute(&sql, params_from_iter(values))?;
    // Extension items follow their parent's code.
    conn.execute(
        "UPDATE item SET category_code = ?2, seq = ?3, updated_at = ?4 WHERE parent_id = ?1
         AND (category_code <> ?2 OR seq <> ?3)",
        params![rowid, res.category, res.seq, now],
    )?;
    write_children(conn, rowid, input, now)
}

fn level_rank(level: &str) -> i64 {
    LEVELS
        .iter()
        .position(|l| *l == level)
        .map(|p| p as i64 + 1)
        .unwrap_or(1)
}

fn write_children(conn: &Connection, rowid: i64, input: &ItemInput, now: &str) -> Result<()> {
    conn.execute("DELETE FROM item_township WHERE item_id = ?1", [rowid])?;
    for t in &input.townships {
        conn.execute(
            "INSERT INTO item_township(item_id, township_code, villages) VALUES (?1, ?2, ?3)",
            params![rowid, t.code, t.villages],
        )?;
    }
    let keep: Vec<&str> = input
        .listings
        .iter()
        .filter_map(|l| l.id.as_deref())
        .collect();
    let existing: Vec<String> = {
        let mut stmt = conn.prepare("SELECT uid FROM listing WHERE item_id = ?1")?;
        let rows = stmt.query_map([rowid], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for uid in existing.iter().filter(|u| !keep.contains(&u.as_str())) {
        conn.execute("DELETE FROM listing WHERE uid = ?1", [uid])?;
    }
    for l in &input.listings {
        let rank = level_rank(&l.level);
        match l
            .id
            .as_deref()
            .filter(|id| existing.iter().any(|e| e == id))
        {
            Some(uid) => {
                conn.execute(
                    "UPDATE listing SET level = ?2, level_rank = ?3, listed_on = ?4, doc_number = ?5,
                            batch_label = ?6, code = ?7, note = ?8, updated_at = ?9 WHERE uid = ?1",
                    params![uid, l.level, rank, l.listed_on, l.doc_number, l.batch_label, l.code, l.note, now],
                )?;
            }
            None => {
                conn.execute(
                    "INSERT INTO listing(uid, item_id, level, level_rank, listed_on, doc_number, batch_label,
                                         code, note, created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
                    params![
                        super::new_uid(),
                        rowid,
                        l.level,
                        rank,
                        l.listed_on,
                        l.doc_number,
                        l.batch_label,
                        l.code,
                        l.note,
                        now
                    ],
                )?;
            }
        }
    }
    Ok(())
}

/// Marks an item deleted (with a reason) or restores it (`None`).
pub fn set_deleted(
    conn: &Connection,
    rowid: i64,
    deleted: Option<(&str, &str)>,
    now: &str,
) -> Result<()> {
    let (at, reason) = match deleted {
        Some((at, reason)) => (Some(at), Some(reason)),
        None => (None, None),
    };
    conn.execute(
        "UPDATE item SET deleted_at = ?2, deleted_reason = ?3, updated_at = ?4 WHERE id = ?1",
        params![rowid, at, reason, now],
    )?;
    Ok(())
}

/// Live extension items of an item.
pub fn live_children(conn: &Connection, rowid: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM item WHERE parent_id = ?1 AND deleted_at IS NULL",
        [rowid],
        |r| r.get(0),
    )?)
}

fn townships_of(conn: &Connection, rowid: i64) -> Result<Vec<ItemTownship>> {
    let mut stmt = conn.prepare(
        "SELECT it.township_code, t.name, it.villages FROM item_township it
         JOIN township t ON t.code = it.township_code WHERE it.item_id = ?1 ORDER BY t.ord",
    )?;
    let rows = stmt.query_map([rowid], |r| {
        Ok(ItemTownship {
            code: r.get(0)?,
            name: r.get(1)?,
            villages: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn listings_of(conn: &Connection, rowid: i64) -> Result<Vec<Listing>> {
    let mut stmt = conn.prepare(
        "SELECT uid, level, listed_on, doc_number, batch_label, code, note FROM listing
         WHERE item_id = ?1 ORDER BY level_rank, listed_on, id",
    )?;
    let rows = stmt.query_map([rowid], |r| {
        Ok(Listing {
            id: r.get(0)?,
            level: r.get(1)?,
            listed_on: r.get(2)?,
            doc_number: r.get(3)?,
            batch_label: r.get(4)?,
            code: r.get(5)?,
            note: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A row of the register, selected by [`ROW_SELECT`].
const ROW_SELECT: &str = "SELECT i.uid, i.name, i.category_code, c.name, b.number, i.seq,
        COALESCE((SELECT max(level_rank) FROM listing l WHERE l.item_id = i.id), 1),
        (SELECT group_concat(name, '、') FROM (SELECT t.name FROM item_township it
            JOIN township t ON t.code = it.township_code WHERE it.item_id = i.id ORDER BY t.ord)),
        (SELECT group_concat(u.name, '、') FROM unit_item ui JOIN protection_unit u ON u.id = ui.unit_id
            WHERE ui.item_id = i.id AND u.deleted_at IS NULL),
        i.status, i.endangered, i.confidential, i.parent_id IS NOT NULL, i.updated_at,
        COALESCE(pb.number, b.number), i.id
    FROM item i
    JOIN category c ON c.code = i.category_code
    LEFT JOIN batch b ON b.id = i.batch_id
    LEFT JOIN item p ON p.id = i.parent_id
    LEFT JOIN batch pb ON pb.id = p.batch_id";

fn read_row(r: &rusqlite::Row<'_>, template: &str) -> rusqlite::Result<ItemRow> {
    let category: String = r.get(2)?;
    let seq: i64 = r.get(5)?;
    let batch_number: Option<i64> = r.get(4)?;
    let rank: i64 = r.get(6)?;
    let code_batch: Option<i64> = r.get(14)?;
    Ok(ItemRow {
        id: r.get(0)?,
        code: code::render(template, &category, seq, code_batch),
        name: r.get(1)?,
        category_name: r.get(3)?,
        category,
        batch_number,
        batch_label: batch_number.map(batch_label),
        seq,
        level: LEVELS[(rank.clamp(1, 4) - 1) as usize].to_string(),
        townships: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
        protection_units: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
        status: r.get(9)?,
        endangered: r.get::<_, i64>(10)? != 0,
        confidential: r.get::<_, i64>(11)? != 0,
        is_extension: r.get::<_, i64>(12)? != 0,
        updated_at: r.get(13)?,
    })
}

/// The largest page the register hands out.
pub const MAX_PAGE_SIZE: i64 = 500;

/// Up to this many candidate ids (from the set-valued filters) drive the register's query
/// from the ids, probing `item_live_ids`; more are tested while reading a list-order index.
const SET_DRIVEN_LIMIT: usize = 20_000;

/// One page of the register with its total, filtered, sorted and paged in SQL.
///
/// Built for 100,000 items (migrations 0005 and 0006), so that neither the page nor the count
/// reads a wide item row, whose `deleted_at` sits after the long texts:
/// - the set-valued filters (search matches, township, level above 区级, batch) become sorted
///   id lists, read from indexes and intersected here;
/// - a few thousand candidates drive the query from their ids through `item_live_ids`
///   (liveness, filter columns and sort keys in one index probe each);
/// - otherwise (no set filter, or a dense one) the page is read in list order from the
///   partial index of that order, which also holds the filter columns, and stops at the page;
/// - only the page's rows get the expensive columns (level, townships, units);
/// - a search alone counts as its number of matches (the index holds live records only);
/// - a common search on the trigram index stops counting at [`COUNT_CAP`] matches: the page
///   checks the rows past them one by one in list order, and the total is "more than" the cap
///   (`total_capped`).
pub fn list(conn: &Connection, q: &ItemQuery, template: &str) -> Result<ItemPage> {
    list_with(conn, q, template, SET_DRIVEN_LIMIT, COUNT_CAP)
}

/// [`list`] without the count cap: every match found and counted, for those who read every
/// page (the XLSX export), where paging past the cap would check rows again for each page.
pub fn list_exact(conn: &Connection, q: &ItemQuery, template: &str) -> Result<ItemPage> {
    list_with(conn, q, template, SET_DRIVEN_LIMIT, usize::MAX)
}

/// [`list`] with the set-driven limit and the count cap as parameters (tests run both
/// strategies, and a cap small enough to be reached).
fn list_with(
    conn: &Connection,
    q: &ItemQuery,
    template: &str,
    set_driven_limit: usize,
    count_cap: usize,
) -> Result<ItemPage> {
    use super::search::{ids_of, Arg, IdFilter};
    let page_size = q.page_size.unwrap_or(20).clamp(1, MAX_PAGE_SIZE);
    let page = q.page.unwrap_or(1).max(1);
    let empty = || ItemPage {
        rows: Vec::new(),
        total: 0,
        total_capped: false,
        page,
        page_size,
    };
    // Set-valued filters, intersected.
    let mut filter = IdFilter::default();
    // A search that stopped at the cap: a condition of its own, not a set.
    let capped_search = match q.query.as_deref() {
        Some(text) => filter.search(conn, "item", text, q.deleted, count_cap)?,
        None => None,
    };
    if let Some(t) = q.township.as_deref().filter(|t| !t.is_empty()) {
        let ids = ids_of(
            conn,
            "SELECT item_id FROM item_township WHERE township_code = ?1",
            &[t.to_string().into()],
        )?;
        filter.narrow(ids, false);
    }
    // The highest listing decides; no listing above 区级 means 区级 (a column filter below).
    let level_rank_wanted = q.level.as_deref().filter(|l| !l.is_empty()).map(level_rank);
    if let Some(rank) = level_rank_wanted.filter(|r| *r > 1) {
        let ids = ids_of(
            conn,
            "SELECT item_id FROM listing WHERE level_rank = ?1
             EXCEPT SELECT item_id FROM listing WHERE level_rank > ?1",
            &[rank.into()],
        )?;
        filter.narrow(ids, false);
    }
    if let Some(b) = q.batch {
        let ids = ids_of(
            conn,
            "SELECT i.id FROM batch b JOIN item i ON i.batch_id = b.id WHERE b.number = ?1",
            &[b.into()],
        )?;
        filter.narrow(ids, false);
    }
    // Column filters, answered from the indexes' own columns.
    let mut conds = vec![if q.deleted {
        "i.deleted_at IS NOT NULL"
    } else {
        "i.deleted_at IS NULL"
    }
    .to_string()];
    let mut args: Vec<Arg> = Vec::new();
    if let Some(c) = q.category.as_deref().filter(|c| !c.is_empty()) {
        conds.push("i.category_code = ?".into());
        args.push(c.to_string().into());
    }
    if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
        conds.push("i.status = ?".into());
        args.push(s.to_string().into());
    }
    if level_rank_wanted.is_some_and(|r| r <= 1) {
        conds.push("i.id NOT IN (SELECT item_id FROM listing WHERE level_rank > 1)".into());
    }
    let column_filtered = conds.len() > 1;
    let dir = if q.desc { "DESC" } else { "ASC" };
    let mut join_batch = false;
    let order = match q.sort {
        // Category codes Ⅰ…Ⅹ sort as their order (a test on the reference data holds it).
        ItemSort::Code => format!("i.category_code {dir}, i.seq {dir}, i.parent_id IS NOT NULL, i.id"),
        ItemSort::Name => format!("i.name_pinyin {dir}, i.id {dir}"),
        ItemSort::Batch => {
            join_batch = true;
            format!("b.number IS NULL, b.number {dir}, i.category_code, i.seq, i.id")
        }
        ItemSort::Level => format!(
            "COALESCE((SELECT max(level_rank) FROM listing l WHERE l.item_id = i.id), 1) {dir}, i.category_code, i.seq, i.id"
        ),
        ItemSort::UpdatedAt => format!("i.updated_at {dir}, i.id {dir}"),
    };
    let mut table = "item i";
    let mut known_total = None;
    let search_only = filter.search_only;
    if let Some(ids) = &filter.ids {
        if ids.is_empty() {
            return Ok(empty());
        }
        if q.deleted || ids.len() <= set_driven_limit {
            if !q.deleted {
                table = "item i INDEXED BY item_live_ids";
            }
            conds.push("i.id IN rarray(?)".into());
            args.push(Arg::ids(ids));
        } else {
            let (cond, vals) = super::search::ids_condition("i", ids);
            conds.push(cond);
            args.extend(vals.into_iter().map(Arg::from));
        }
        if search_only && !column_filtered && !q.deleted {
            known_total = Some(ids.len() as i64);
        }
    }
    if let Some(m) = &capped_search {
        let (cond, vals) = m.condition("i");
        conds.push(cond);
        args.extend(vals.into_iter().map(Arg::from));
    }
    let from = if join_batch {
        format!("{table} LEFT JOIN batch b ON b.id = i.batch_id")
    } else {
        table.to_string()
    };
    let where_sql = conds.join(" AND ");
    let (total, total_capped) = match (known_total, &capped_search) {
        (Some(n), _) => (n, false),
        // More matches than the cap, and nothing else to narrow them.
        (None, Some(_)) if filter.ids.is_none() && !column_filtered => (count_cap as i64, true),
        (None, search) => {
            let cap = search.as_ref().map(|_| count_cap);
            super::search::count_rows(conn, table, &where_sql, &args, cap)?
        }
    };
    // (Counting in the page query with `count(*) OVER ()` was tried: it doubled the time of
    // a township filter at 100,000 items, since the window keeps every row for the sort.)
    args.push(page_size.into());
    args.push(((page - 1) * page_size).into());
    let ids: Vec<i64> = conn
        .prepare(&format!(
            "SELECT i.id FROM {from} WHERE {where_sql} ORDER BY {order} LIMIT ? OFFSET ?"
        ))?
        .query_map(params_from_iter(args.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let rows = rows_by_id(conn, &ids, template)?;
    Ok(ItemPage {
        rows,
        total,
        total_capped,
        page,
        page_size,
    })
}

/// The register rows of `ids`, in that order.
fn rows_by_id(conn: &Connection, ids: &[i64], template: &str) -> Result<Vec<ItemRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = super::search::id_list(ids);
    let mut stmt = conn.prepare(&format!("{ROW_SELECT} WHERE i.id IN ({list})"))?;
    let mut by_id: std::collections::HashMap<i64, ItemRow> = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(15)?, read_row(r, template)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// The register row of one item.
pub fn row(conn: &Connection, uid: &str, template: &str) -> Result<ItemRow> {
    conn.query_row(&format!("{ROW_SELECT} WHERE i.uid = ?1"), [uid], |r| {
        read_row(r, template)
    })
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: KIND,
        id: uid.to_string(),
    })
}

/// The whole item, as the item page shows it.
pub fn detail(conn: &Connection, uid: &str, template: &str) -> Result<ItemDetail> {
    let item = row(conn, uid, template)?;
    let k = key(conn, uid)?;
    let cols: Vec<&str> = ITEM_TEXT_FIELDS.iter().map(|(c, _)| *c).collect();
    let (batch_id, parent_id, parent_name, note, created_at, deleted_at, deleted_reason, texts) = conn.query_row(
        &format!(
            "SELECT b.uid, p.uid, p.name, i.note, i.created_at, i.deleted_at, i.deleted_reason, {}
             FROM item i LEFT JOIN batch b ON b.id = i.batch_id LEFT JOIN item p ON p.id = i.parent_id
             WHERE i.id = ?1",
            cols.iter().map(|c| format!("i.{c}")).collect::<Vec<_>>().join(", ")
        ),
        [k.rowid],
        |r| {
            let t = |i: usize| r.get::<_, Option<String>>(7 + i);
            Ok((
                r.get::<_, Option<String>>(0)?,
                r.get::<_, Option<String>>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, Option<String>>(6)?,
                ItemTexts {
                    applicant: t(0)?,
                    distribution: t(1)?,
                    summary: t(2)?,
                    geography: t(3)?,
                    history: t(4)?,
                    content: t(5)?,
                    artifacts: t(6)?,
                    lineage_text: t(7)?,
                    features: t(8)?,
                    value: t(9)?,
                    viability: t(10)?,
                    argumentation: t(11)?,
                    management: t(12)?,
                    protection_done: t(13)?,
                    mechanism: t(14)?,
                },
            ))
        },
    )?;
    let extensions = {
        let mut stmt = conn.prepare(
            "SELECT uid FROM item WHERE parent_id = ?1 AND deleted_at IS NULL ORDER BY id",
        )?;
        let uids = stmt
            .query_map([k.rowid], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        uids.iter()
            .map(|u| {
                row(conn, u, template).map(|r| ItemRef {
                    id: r.id,
                    code: r.code,
                    name: r.name,
                })
            })
            .collect::<Result<Vec<_>>>()?
    };
    let protection_units = if item.protection_units.is_empty() {
        Vec::new()
    } else {
        item.protection_units
            .split('、')
            .map(str::to_string)
            .collect()
    };
    Ok(ItemDetail {
        id: item.id,
        code: item.code,
        name: item.name,
        category: item.category,
        category_name: item.category_name,
        batch_id,
        batch_label: item.batch_label,
        seq: item.seq,
        parent_id,
        parent_name,
        extensions,
        status: item.status,
        level: item.level,
        endangered: item.endangered,
        confidential: item.confidential,
        townships: townships_of(conn, k.rowid)?,
        listings: listings_of(conn, k.rowid)?,
        texts,
        protection_units,
        note,
        created_at,
        updated_at: item.updated_at,
        deleted_at,
        deleted_reason,
    })
}

/// The loggable fields of an item, flat, by the names forms use.
pub fn snapshot(conn: &Connection, uid: &str) -> Result<BTreeMap<String, Option<String>>> {
    let d = detail(conn, uid, code::DEFAULT_TEMPLATE)?;
    let batch_number: Option<i64> = match &d.batch_id {
        Some(b) => Some(super::batches::key(conn, b)?.number),
        None => None,
    };
    let mut m = BTreeMap::new();
    m.insert("name".into(), Some(d.name));
    m.insert("category".into(), Some(d.category));
    m.insert("seq".into(), Some(d.seq.to_string()));
    m.insert("batch".into(), batch_number.map(|n| n.to_string()));
    m.insert("parent".into(), d.parent_id);
    m.insert("status".into(), Some(d.status));
    m.insert("endangered".into(), Some(d.endangered.to_string()));
    m.insert("confidential".into(), Some(d.confidential.to_string()));
    m.insert("note".into(), d.note);
    let towns: Vec<String> = d
        .townships
        .iter()
        .map(|t| match &t.villages {
            Some(v) => format!("{}（{}）", t.name, v),
            None => t.name.clone(),
        })
        .collect();
    super::log::put_composite(
        &mut m,
        "townships",
        (!towns.is_empty()).then(|| towns.join("、")),
        &d.townships,
    );
    let listings: Vec<String> = d
        .listings
        .iter()
        .map(|l| {
            [
                Some(l.level.clone()),
                l.listed_on.clone(),
                l.doc_number.clone(),
                l.batch_label.clone(),
                l.code.clone(),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
        })
        .collect();
    super::log::put_composite(
        &mut m,
        "listings",
        (!listings.is_empty()).then(|| listings.join("；")),
        &d.listings,
    );
    let texts = serde_json::to_value(&d.texts).unwrap_or_default();
    for (col, _) in ITEM_TEXT_FIELDS {
        let camel = camel(col);
        let v = texts
            .get(&camel)
            .and_then(|v| v.as_str())
            .map(str::to_string);
        m.insert(format!("texts.{camel}"), v);
    }
    Ok(m)
}

/// `lineage_text` → `lineageText`.
pub fn camel(snake: &str) -> String {
    let mut out = String::new();
    let mut up = false;
    for c in snake.chars() {
        if c == '_' {
            up = true;
        } else if up {
            out.push(c.to_ascii_uppercase());
            up = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Everything searchable about an item, for the search index: (name, body).
pub fn search_text(conn: &Connection, uid: &str) -> Result<(String, String)> {
    let d = detail(conn, uid, code::DEFAULT_TEMPLATE)?;
    let mut body: Vec<String> = text_values(&d.texts)
        .iter()
        .filter_map(|v| (*v).clone())
        .collect();
    body.extend(
        d.townships
            .iter()
            .map(|t| format!("{} {}", t.name, t.villages.clone().unwrap_or_default())),
    );
    body.extend(d.note);
    Ok((d.name, body.join("\n")))
}

/// All live item ids (for re-indexing).
pub fn live_uids(conn: &Connection) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT uid FROM item WHERE deleted_at IS NULL ORDER BY id")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ItemQuery, ItemSort};

    /// The register's ids for `q` by plain SQL over the rows, the way it was first written:
    /// the oracle both strategies of [`list_with`] must agree with.
    fn oracle(conn: &Connection, q: &ItemQuery) -> Vec<String> {
        let mut conds = vec![if q.deleted {
            "i.deleted_at IS NOT NULL".to_string()
        } else {
            "i.deleted_at IS NULL".to_string()
        }];
        let mut vals: Vec<Value> = Vec::new();
        if let Some(b) = q.batch {
            conds.push("i.batch_id IN (SELECT id FROM batch WHERE number = ?)".into());
            vals.push(b.into());
        }
        if let Some(c) = &q.category {
            conds.push("i.category_code = ?".into());
            vals.push(c.clone().into());
        }
        if let Some(l) = &q.level {
            conds.push(
                "COALESCE((SELECT max(level_rank) FROM listing WHERE item_id = i.id), 1) = ?"
                    .into(),
            );
            vals.push(level_rank(l).into());
        }
        if let Some(t) = &q.township {
            conds
                .push("i.id IN (SELECT item_id FROM item_township WHERE township_code = ?)".into());
            vals.push(t.clone().into());
        }
        if let Some(s) = &q.status {
            conds.push("i.status = ?".into());
            vals.push(s.clone().into());
        }
        if let (Some(text), true) = (&q.query, q.deleted) {
            // The bin: names and pinyin keys.
            conds.push("(i.name LIKE ? OR i.name_pinyin LIKE ? OR i.name_initials LIKE ?)".into());
            let pat = format!("%{text}%");
            vals.extend([pat.clone().into(), pat.clone().into(), pat.into()]);
        } else if let Some(text) = &q.query {
            // A LIKE scan over what the index holds (names, texts, pinyin keys).
            conds.push(
                "i.id IN (SELECT rowid - (1 << 40) FROM search_text
                          WHERE rowid BETWEEN (1 << 40) AND (2 << 40) - 1
                          AND (name LIKE ? OR body LIKE ? OR keys LIKE ?))"
                    .into(),
            );
            let pat = format!("%{text}%");
            vals.extend([pat.clone().into(), pat.clone().into(), pat.into()]);
        }
        let order = match q.sort {
            ItemSort::Code => "i.category_code, i.seq, i.parent_id IS NOT NULL, i.id",
            ItemSort::Name => "i.name_pinyin, i.id",
            _ => unreachable!(),
        };
        conn.prepare(&format!(
            "SELECT i.uid FROM item i WHERE {} ORDER BY {order}",
            conds.join(" AND ")
        ))
        .unwrap()
        .query_map(params_from_iter(vals.iter()), |r| r.get(0))
        .unwrap()
        .collect::<rusqlite::Result<_>>()
        .unwrap()
    }

    #[test]
    fn both_strategies_agree_with_a_plain_scan_for_every_filter_combination() {
        let dir = tempfile::tempdir().unwrap();
        crate::synth::generate_registry(
            dir.path(),
            &crate::synth::ScaleOptions {
                items: 240,
                seed: 3,
            },
            crate::system_clock(),
        )
        .unwrap();
        let mut reg = crate::Registry::open(dir.path(), crate::system_clock()).unwrap();
        // Some deleted items, so liveness is tested.
        let doomed: Vec<String> = reg
            .item_list(&ItemQuery {
                page_size: Some(500),
                ..Default::default()
            })
            .unwrap()
            .rows
            .iter()
            .step_by(7)
            .map(|r| r.id.clone())
            .collect();
        for id in &doomed {
            reg.item_delete(id, "测试").unwrap();
        }
        let conn = reg.connection();
        let township: String = conn
            .query_row(
                "SELECT township_code FROM item_township GROUP BY 1 ORDER BY count(*) DESC",
                [],
                |r| r.get(0),
            )
            .unwrap();
        // Searches: one character of a live item's name, and two letters of its initials.
        let (name, initials): (String, String) = conn
            .query_row(
                "SELECT name, name_initials FROM item WHERE deleted_at IS NULL ORDER BY id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let one: String = name.chars().next().unwrap().to_string();
        // And what the trigram index answers: three characters of a live item's texts, and
        // the first letters of a full pinyin; with a count cap small enough to be reached.
        let (three, pinyin): (String, String) = conn
            .query_row(
                "SELECT substr(s.body, 21, 3), substr(i.name_pinyin, 1, 4) FROM item i
                 JOIN search_text s ON s.rowid = (1 << 40) + i.id
                 WHERE i.deleted_at IS NULL ORDER BY i.id LIMIT 1",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let mut checked = 0;
        let mut capped = 0;
        let mut bin_found = 0;
        for query in [
            None,
            Some(one),
            Some(initials[..2].to_string()),
            Some(three),
            Some(pinyin),
        ] {
            let trigram = query.as_ref().is_some_and(|t| t.chars().count() >= 3);
            let caps: &[usize] = if trigram {
                &[COUNT_CAP, 0, 5, usize::MAX]
            } else {
                &[COUNT_CAP]
            };
            for batch in [None, Some(1), Some(6)] {
                for level in [None, Some("区级"), Some("市级"), Some("省级")] {
                    for township in [None, Some(township.clone())] {
                        for (category, status) in
                            [(None, None), (Some("Ⅲ"), None), (None, Some("在册"))]
                        {
                            for deleted in [false, true] {
                                for sort in [ItemSort::Code, ItemSort::Name] {
                                    let q = ItemQuery {
                                        batch,
                                        category: category.map(str::to_string),
                                        level: level.map(str::to_string),
                                        township: township.clone(),
                                        status: status.map(str::to_string),
                                        query: query.clone(),
                                        deleted,
                                        sort,
                                        page_size: Some(500),
                                        ..Default::default()
                                    };
                                    let want = oracle(conn, &q);
                                    bin_found += usize::from(
                                        deleted && q.query.is_some() && !want.is_empty(),
                                    );
                                    for (limit, &cap) in [0, usize::MAX]
                                        .into_iter()
                                        .flat_map(|l| caps.iter().map(move |c| (l, c)))
                                    {
                                        let got =
                                            list_with(conn, &q, "{category}-{seq}", limit, cap)
                                                .unwrap();
                                        let ids: Vec<String> =
                                            got.rows.into_iter().map(|r| r.id).collect();
                                        assert_eq!(ids, want, "{q:?}, limit {limit}, cap {cap}");
                                        // Past the cap the total says "more than the cap".
                                        let over = !q.deleted && want.len() > cap;
                                        assert_eq!(
                                            (got.total as usize, got.total_capped),
                                            (if over { cap } else { want.len() }, over),
                                            "{q:?}, limit {limit}, cap {cap}"
                                        );
                                        checked += usize::from(!want.is_empty());
                                        capped += usize::from(over);
                                        // A middle page, and one past the end (counted apart).
                                        for (page, size) in [(2, 7), (10_000, 7)] {
                                            let q = ItemQuery {
                                                page: Some(page),
                                                page_size: Some(size),
                                                ..q.clone()
                                            };
                                            let got =
                                                list_with(conn, &q, "{category}-{seq}", limit, cap)
                                                    .unwrap();
                                            let ids: Vec<String> =
                                                got.rows.into_iter().map(|r| r.id).collect();
                                            let from = ((page - 1) * size) as usize;
                                            let expect = want
                                                .get(from..(from + 7).min(want.len()))
                                                .unwrap_or_default();
                                            assert_eq!(ids, expect, "{q:?}, limit {limit}");
                                            assert_eq!(
                                                got.total as usize,
                                                if over { cap } else { want.len() },
                                                "{q:?}, limit {limit}"
                                            );
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        assert!(checked > 100, "too few non-empty cases: {checked}");
        assert!(capped > 100, "too few searches past the cap: {capped}");
        assert!(bin_found > 0, "no search of the bin found anything");
    }
}

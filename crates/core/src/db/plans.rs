//! SQL for five-year protection plans (保护计划): their yearly targets and measures,
//! budget lines by year, purpose and funding source, and the expenditures against them.
//!
//! Money is integer fen. Soft-deleted expenditures count nowhere; they stay in the
//! table (a budget line with any expenditure row cannot be removed: the foreign key
//! restricts it).

use crate::error::{Error, Result};
use crate::model::{BudgetLine, Expenditure, PlanInput, PlanPage, PlanQuery, PlanRow, PlanYear};
use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension};

const KIND: &str = "保护计划";

/// Internal handle of a plan.
#[derive(Debug, Clone)]
pub struct PlanKey {
    /// Row id.
    pub rowid: i64,
    /// Title.
    pub title: String,
    /// First year.
    pub start_year: i64,
    /// Last year.
    pub end_year: i64,
    /// Row id of the item.
    pub item: i64,
    /// Deleted timestamp.
    pub deleted_at: Option<String>,
}

/// Looks a plan up by stable id.
pub fn key(conn: &Connection, uid: &str) -> Result<PlanKey> {
    conn.query_row(
        "SELECT id, title, start_year, end_year, item_id, deleted_at FROM protection_plan WHERE uid = ?1",
        [uid],
        |r| {
            Ok(PlanKey {
                rowid: r.get(0)?,
                title: r.get(1)?,
                start_year: r.get(2)?,
                end_year: r.get(3)?,
                item: r.get(4)?,
                deleted_at: r.get(5)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: KIND,
        id: uid.to_string(),
    })
}

/// Inserts or updates a plan's own fields (references resolved to row ids); returns its row id.
pub fn save(
    conn: &Connection,
    uid: &str,
    exists: bool,
    p: &PlanInput,
    item: i64,
    unit: Option<i64>,
    now: &str,
) -> Result<i64> {
    if exists {
        conn.execute(
            "UPDATE protection_plan SET item_id = ?2, unit_id = ?3, title = ?4, start_year = ?5, end_year = ?6,
                    goals = ?7, measures = ?8, mechanism = ?9, budget_basis = ?10, note = ?11, updated_at = ?12
             WHERE uid = ?1",
            params![
                uid, item, unit, p.title, p.start_year, p.end_year, p.goals, p.measures, p.mechanism,
                p.budget_basis, p.note, now
            ],
        )?;
    } else {
        conn.execute(
            "INSERT INTO protection_plan(uid, item_id, unit_id, title, start_year, end_year, goals, measures,
                    mechanism, budget_basis, note, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?12)",
            params![
                uid, item, unit, p.title, p.start_year, p.end_year, p.goals, p.measures, p.mechanism,
                p.budget_basis, p.note, now
            ],
        )?;
    }
    Ok(key(conn, uid)?.rowid)
}

/// Replaces a plan's years: rows with an id keep it (and their creation time), the
/// others get a new one. Ids must already be known to belong to this plan.
pub fn replace_years(conn: &Connection, plan: i64, years: &[PlanYear], now: &str) -> Result<()> {
    let mut stmt = conn.prepare("SELECT uid, created_at FROM plan_year WHERE plan_id = ?1")?;
    let created: std::collections::HashMap<String, String> = stmt
        .query_map([plan], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    conn.execute("DELETE FROM plan_year WHERE plan_id = ?1", [plan])?;
    for y in years {
        let uid = y.id.clone().unwrap_or_else(super::new_uid);
        let created_at = created.get(&uid).map_or(now, String::as_str);
        conn.execute(
            "INSERT INTO plan_year(uid, plan_id, year, targets, measures, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![uid, plan, y.year, y.targets, y.measures, created_at, now],
        )?;
    }
    Ok(())
}

/// Replaces a plan's budget lines: lines with an id are updated in place, lines
/// without one are inserted, and the plan's other lines are removed. Ids must
/// already be known to belong to this plan, and removed lines to have no expenditures.
pub fn replace_budget(conn: &Connection, plan: i64, lines: &[BudgetLine], now: &str) -> Result<()> {
    let kept: Vec<&str> = lines.iter().filter_map(|l| l.id.as_deref()).collect();
    for u in line_usage(conn, plan)? {
        if !kept.contains(&u.uid.as_str()) {
            conn.execute("DELETE FROM budget_line WHERE uid = ?1", [u.uid])?;
        }
    }
    for l in lines {
        match &l.id {
            Some(uid) => {
                conn.execute(
                    "UPDATE budget_line SET year = ?3, purpose = ?4, source = ?5, amount_fen = ?6,
                            justification = ?7, updated_at = ?8
                     WHERE uid = ?1 AND plan_id = ?2",
                    params![
                        uid,
                        plan,
                        l.year,
                        l.purpose,
                        l.source,
                        l.amount_fen,
                        l.justification,
                        now
                    ],
                )?;
            }
            None => {
                conn.execute(
                    "INSERT INTO budget_line(uid, plan_id, year, purpose, source, amount_fen, justification,
                            created_at, updated_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
                    params![
                        super::new_uid(),
                        plan,
                        l.year,
                        l.purpose,
                        l.source,
                        l.amount_fen,
                        l.justification,
                        now
                    ],
                )?;
            }
        }
    }
    Ok(())
}

/// How much a budget line is used by expenditures.
#[derive(Debug, Clone)]
pub struct LineUse {
    /// Stable id of the line.
    pub uid: String,
    /// Year.
    pub year: i64,
    /// Purpose.
    pub purpose: String,
    /// Live expenditures against it.
    pub live: i64,
    /// All expenditure rows against it, voided ones included.
    pub all: i64,
}

/// Each budget line of a plan with its expenditure counts.
pub fn line_usage(conn: &Connection, plan: i64) -> Result<Vec<LineUse>> {
    let mut stmt = conn.prepare(
        "SELECT b.uid, b.year, b.purpose,
                (SELECT count(*) FROM expenditure e WHERE e.budget_line_id = b.id AND e.deleted_at IS NULL),
                (SELECT count(*) FROM expenditure e WHERE e.budget_line_id = b.id)
         FROM budget_line b WHERE b.plan_id = ?1 ORDER BY b.year, b.id",
    )?;
    let rows = stmt.query_map([plan], |r| {
        Ok(LineUse {
            uid: r.get(0)?,
            year: r.get(1)?,
            purpose: r.get(2)?,
            live: r.get(3)?,
            all: r.get(4)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Stable ids of a plan's year rows.
pub fn year_uids(conn: &Connection, plan: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT uid FROM plan_year WHERE plan_id = ?1")?;
    let rows = stmt.query_map([plan], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A plan's years, in order.
pub fn years(conn: &Connection, plan: i64) -> Result<Vec<PlanYear>> {
    let mut stmt = conn.prepare(
        "SELECT uid, year, targets, measures FROM plan_year WHERE plan_id = ?1 ORDER BY year, id",
    )?;
    let rows = stmt.query_map([plan], |r| {
        Ok(PlanYear {
            id: r.get(0)?,
            year: r.get(1)?,
            targets: r.get(2)?,
            measures: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// A plan's budget lines by year (then entry order), each with its live spending.
pub fn lines(conn: &Connection, plan: i64) -> Result<Vec<BudgetLine>> {
    let mut stmt = conn.prepare(
        "SELECT b.uid, b.year, b.purpose, b.source, b.amount_fen, b.justification,
                (SELECT COALESCE(sum(e.amount_fen), 0) FROM expenditure e
                  WHERE e.budget_line_id = b.id AND e.deleted_at IS NULL)
         FROM budget_line b WHERE b.plan_id = ?1 ORDER BY b.year, b.id",
    )?;
    let rows = stmt.query_map([plan], |r| {
        Ok(BudgetLine {
            id: r.get(0)?,
            year: r.get(1)?,
            purpose: r.get(2)?,
            source: r.get(3)?,
            amount_fen: r.get(4)?,
            justification: r.get(5)?,
            spent_fen: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The stored plan as its form shows it (years and lines included), with the item's
/// and unit's names, timestamps and deletion state.
#[allow(clippy::type_complexity)]
pub fn fields(
    conn: &Connection,
    uid: &str,
) -> Result<(
    PlanInput,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
)> {
    let k = key(conn, uid)?;
    let (mut input, item_name, unit_name, created, updated, deleted_at, deleted_reason) = conn
        .query_row(
            "SELECT p.uid, i.uid, u.uid, p.title, p.start_year, p.end_year, p.goals, p.measures, p.mechanism,
                    p.budget_basis, p.note, i.name, u.name, p.created_at, p.updated_at, p.deleted_at,
                    p.deleted_reason
             FROM protection_plan p JOIN item i ON i.id = p.item_id
             LEFT JOIN protection_unit u ON u.id = p.unit_id
             WHERE p.id = ?1",
            [k.rowid],
            |r| {
                Ok((
                    PlanInput {
                        id: r.get(0)?,
                        item_id: r.get(1)?,
                        unit_id: r.get(2)?,
                        title: r.get(3)?,
                        start_year: r.get(4)?,
                        end_year: r.get(5)?,
                        goals: r.get(6)?,
                        measures: r.get(7)?,
                        mechanism: r.get(8)?,
                        budget_basis: r.get(9)?,
                        note: r.get(10)?,
                        years: Vec::new(),
                        budget: Vec::new(),
                    },
                    r.get(11)?,
                    r.get(12)?,
                    r.get(13)?,
                    r.get(14)?,
                    r.get(15)?,
                    r.get(16)?,
                ))
            },
        )?;
    input.years = years(conn, k.rowid)?;
    input.budget = lines(conn, k.rowid)?;
    Ok((
        input,
        item_name,
        unit_name,
        created,
        updated,
        deleted_at,
        deleted_reason,
    ))
}

/// The live expenditures of a plan, by date.
pub fn expenditures(conn: &Connection, plan: i64) -> Result<Vec<Expenditure>> {
    let mut stmt = conn.prepare(
        "SELECT e.uid, b.uid, e.spent_on, e.amount_fen, e.payee, e.voucher, e.note
         FROM expenditure e JOIN budget_line b ON b.id = e.budget_line_id
         WHERE b.plan_id = ?1 AND e.deleted_at IS NULL ORDER BY e.spent_on, e.id",
    )?;
    let rows = stmt.query_map([plan], read_expenditure)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

fn read_expenditure(r: &rusqlite::Row<'_>) -> rusqlite::Result<Expenditure> {
    Ok(Expenditure {
        id: r.get(0)?,
        budget_line_id: r.get(1)?,
        spent_on: r.get(2)?,
        amount_fen: r.get(3)?,
        payee: r.get(4)?,
        voucher: r.get(5)?,
        note: r.get(6)?,
    })
}

/// The earliest and latest dates of a plan's live expenditures, if it has any.
pub fn spent_range(conn: &Connection, plan: i64) -> Result<Option<(String, String)>> {
    let (first, last): (Option<String>, Option<String>) = conn.query_row(
        "SELECT min(e.spent_on), max(e.spent_on) FROM expenditure e
         JOIN budget_line b ON b.id = e.budget_line_id
         WHERE b.plan_id = ?1 AND e.deleted_at IS NULL",
        [plan],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    Ok(first.zip(last))
}

/// Marks a plan deleted (with a reason) or restores it.
pub fn set_deleted(
    conn: &Connection,
    uid: &str,
    deleted: Option<(&str, &str)>,
    now: &str,
) -> Result<()> {
    let (at, reason) = deleted.map_or((None, None), |(a, r)| (Some(a), Some(r)));
    conn.execute(
        "UPDATE protection_plan SET deleted_at = ?2, deleted_reason = ?3, updated_at = ?4 WHERE uid = ?1",
        params![uid, at, reason, now],
    )?;
    Ok(())
}

/// The columns of a [`PlanRow`] of the plans `p` of items `i`; the caller adds WHERE and
/// ORDER BY.
const ROW_SELECT: &str = "SELECT p.uid, p.title, i.uid, i.name, p.start_year, p.end_year,
        (SELECT COALESCE(sum(b.amount_fen), 0) FROM budget_line b WHERE b.plan_id = p.id),
        (SELECT COALESCE(sum(e.amount_fen), 0) FROM expenditure e
           JOIN budget_line b ON b.id = e.budget_line_id
          WHERE b.plan_id = p.id AND e.deleted_at IS NULL),
        p.deleted_at
    FROM protection_plan p JOIN item i ON i.id = p.item_id";

/// The list's order: newest first, then by item name (pinyin), then by age.
const ORDER: &str = "ORDER BY p.start_year DESC, i.name_pinyin, p.id";

/// The WHERE clause (over `protection_plan p JOIN item i`) and its parameters for live or
/// deleted plans, optionally of one item and matching a substring of the title or item name;
/// and whether it reads the item `i` at all (a count without it skips the join).
fn filter(q: &PlanQuery) -> (String, Vec<Value>, bool) {
    let mut conds = vec![if q.deleted {
        "p.deleted_at IS NOT NULL"
    } else {
        "p.deleted_at IS NULL"
    }
    .to_string()];
    let mut vals: Vec<Value> = Vec::new();
    let text = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let Some(item) = text(&q.item_id) {
        conds.push("p.item_id = (SELECT id FROM item WHERE uid = ?)".into());
        vals.push(item.into());
    }
    let text_filter = text(&q.query);
    if let Some(t) = &text_filter {
        conds.push("(p.title LIKE ? ESCAPE '\\' OR i.name LIKE ? ESCAPE '\\')".into());
        let pat = format!("%{}%", crate::search::like_escape(t));
        vals.push(pat.clone().into());
        vals.push(pat.into());
    }
    (conds.join(" AND "), vals, text_filter.is_some())
}

/// Runs a [`ROW_SELECT`] statement.
fn rows(conn: &Connection, sql: &str, vals: &[Value]) -> Result<Vec<PlanRow>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params_from_iter(vals.iter()), |r| {
        Ok(PlanRow {
            id: r.get(0)?,
            title: r.get(1)?,
            item_id: r.get(2)?,
            item_name: r.get(3)?,
            start_year: r.get(4)?,
            end_year: r.get(5)?,
            planned_fen: r.get(6)?,
            spent_fen: r.get(7)?,
            deleted_at: r.get(8)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One page of plans, live or in the bin, optionally of one item and matching a title or
/// item-name substring; newest first. The count and the page are chosen in SQL on the plan
/// and item rows alone; only the page's rows get their budget and spending sums.
pub fn list(conn: &Connection, q: &PlanQuery) -> Result<PlanPage> {
    let (w, mut vals, reads_item) = filter(q);
    // Every plan has its item (NOT NULL, cascading), so only a filter on the item needs the join.
    let from = if reads_item {
        "protection_plan p JOIN item i ON i.id = p.item_id"
    } else {
        "protection_plan p"
    };
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM {from} WHERE {w}"),
        params_from_iter(vals.iter()),
        |r| r.get(0),
    )?;
    let (page, page_size, offset) = super::paging(q.page, q.page_size);
    let rows = if offset >= total {
        Vec::new()
    } else {
        vals.push(page_size.into());
        vals.push(offset.into());
        rows(
            conn,
            &format!(
                "{ROW_SELECT} WHERE p.id IN (SELECT p.id FROM protection_plan p JOIN item i ON i.id = p.item_id
                 WHERE {w} {ORDER} LIMIT ? OFFSET ?) {ORDER}"
            ),
            &vals,
        )?
    };
    Ok(PlanPage {
        rows,
        total,
        page,
        page_size,
    })
}

/// Every live plan of one item, newest first: the few an application package chooses from.
pub fn live_of_item(conn: &Connection, item_uid: &str) -> Result<Vec<PlanRow>> {
    rows(
        conn,
        &format!("{ROW_SELECT} WHERE p.deleted_at IS NULL AND i.uid = ?1 {ORDER}"),
        &[item_uid.to_string().into()],
    )
}

/// Internal handle of a budget line, with what an expenditure needs of its plan.
#[derive(Debug, Clone)]
pub struct LineKey {
    /// Row id.
    pub rowid: i64,
    /// Year of the line.
    pub year: i64,
    /// Purpose.
    pub purpose: String,
    /// Funding source.
    pub source: String,
    /// The plan's stable id.
    pub plan_uid: String,
    /// The plan's first year.
    pub start_year: i64,
    /// The plan's last year.
    pub end_year: i64,
    /// Set when the plan is in the recycle bin.
    pub plan_deleted_at: Option<String>,
}

/// Looks a budget line up by stable id.
pub fn line_key(conn: &Connection, uid: &str) -> Result<LineKey> {
    conn.query_row(
        "SELECT b.id, b.year, b.purpose, b.source, p.uid, p.start_year, p.end_year, p.deleted_at
         FROM budget_line b JOIN protection_plan p ON p.id = b.plan_id WHERE b.uid = ?1",
        [uid],
        |r| {
            Ok(LineKey {
                rowid: r.get(0)?,
                year: r.get(1)?,
                purpose: r.get(2)?,
                source: r.get(3)?,
                plan_uid: r.get(4)?,
                start_year: r.get(5)?,
                end_year: r.get(6)?,
                plan_deleted_at: r.get(7)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: "预算行",
        id: uid.to_string(),
    })
}

/// One expenditure (live or deleted) with its deletion time.
pub fn expenditure(conn: &Connection, uid: &str) -> Result<(Expenditure, Option<String>)> {
    conn.query_row(
        "SELECT e.uid, b.uid, e.spent_on, e.amount_fen, e.payee, e.voucher, e.note, e.deleted_at
         FROM expenditure e JOIN budget_line b ON b.id = e.budget_line_id WHERE e.uid = ?1",
        [uid],
        |r| Ok((read_expenditure(r)?, r.get(7)?)),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: "支出记录",
        id: uid.to_string(),
    })
}

/// Inserts or updates an expenditure against budget line row `line`.
pub fn save_expenditure(
    conn: &Connection,
    uid: &str,
    exists: bool,
    line: i64,
    e: &Expenditure,
    now: &str,
) -> Result<()> {
    if exists {
        conn.execute(
            "UPDATE expenditure SET budget_line_id = ?2, spent_on = ?3, amount_fen = ?4, payee = ?5, voucher = ?6,
                    note = ?7, updated_at = ?8 WHERE uid = ?1",
            params![uid, line, e.spent_on, e.amount_fen, e.payee, e.voucher, e.note, now],
        )?;
    } else {
        conn.execute(
            "INSERT INTO expenditure(uid, budget_line_id, spent_on, amount_fen, payee, voucher, note,
                    created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)",
            params![uid, line, e.spent_on, e.amount_fen, e.payee, e.voucher, e.note, now],
        )?;
    }
    Ok(())
}

/// Marks an expenditure deleted (with a reason) or restores it.
pub fn set_expenditure_deleted(
    conn: &Connection,
    uid: &str,
    deleted: Option<(&str, &str)>,
    now: &str,
) -> Result<()> {
    let (at, reason) = deleted.map_or((None, None), |(a, r)| (Some(a), Some(r)));
    conn.execute(
        "UPDATE expenditure SET deleted_at = ?2, deleted_reason = ?3, updated_at = ?4 WHERE uid = ?1",
        params![uid, at, reason, now],
    )?;
    Ok(())
}

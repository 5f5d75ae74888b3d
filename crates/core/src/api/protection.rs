//! Protection work (保护工作): five-year protection plans with yearly targets and
//! measures, budget lines by year, purpose and funding source, expenditures against
//! them with totals and over-spend warnings; activities linked to items and
//! inheritors, tagged when they fall in the Shandong 非遗月.
//!
//! Edit-log entities: `plan` (its years and budget lines are logged as the plan's
//! fields `years` and `budget`, in readable text), `expenditure`, `activity`.

use super::{log_create, log_diff, require_reason, Registry};
use crate::db::{
    self, activities as dba, inheritors as dbi, items, log, plans as dbp, units as dbu,
};
use crate::error::{Error, FieldError, Result};
use crate::lunar::{self, FeiyiMonth};
use crate::model::*;
use crate::validate::{clean, date};
use chrono::{Datelike, NaiveDate};
use rusqlite::Connection;
use std::collections::{BTreeMap, HashSet};

/// The largest amount one budget line or expenditure may hold: 100 亿元, in fen.
const MAX_FEN: i64 = 1_000_000_000_000;

/// Yuan text of an amount in fen: `5000000` → `50000.00`.
fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    format!("{sign}{}.{:02}", a / 100, a % 100)
}

/// How a budget line is named in messages: `2026 区级财政 传习补助`.
fn line_label(year: i64, source: &str, purpose: &str) -> String {
    format!("{year} {source} {purpose}")
}

/// A plan's budget as one readable text for the edit log.
fn budget_text(lines: &[BudgetLine]) -> Option<String> {
    if lines.is_empty() {
        return None;
    }
    Some(
        lines
            .iter()
            .map(|l| {
                let mut s = format!(
                    "{} {} 元",
                    line_label(l.year, &l.source, &l.purpose),
                    yuan(l.amount_fen)
                );
                if let Some(j) = &l.justification {
                    s.push_str(&format!("（依据：{j}）"));
                }
                s
            })
            .collect::<Vec<_>>()
            .join("；"),
    )
}

/// A plan's yearly targets and measures as one readable text for the edit log.
fn years_text(years: &[PlanYear]) -> Option<String> {
    if years.is_empty() {
        return None;
    }
    Some(
        years
            .iter()
            .map(|y| {
                format!(
                    "{} 年　目标：{}；措施：{}",
                    y.year,
                    y.targets.as_deref().unwrap_or("—"),
                    y.measures.as_deref().unwrap_or("—")
                )
            })
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The loggable fields of a plan, by form name (item and unit by name).
fn plan_snapshot(conn: &Connection, uid: &str) -> Result<BTreeMap<String, Option<String>>> {
    let (f, item_name, unit_name, ..) = dbp::fields(conn, uid)?;
    let mut m = BTreeMap::new();
    log::put_composite(&mut m, "item", Some(item_name), &f.item_id);
    log::put_composite(&mut m, "unit", unit_name, &f.unit_id);
    log::put_composite(&mut m, "years", years_text(&f.years), &f.years);
    log::put_composite(&mut m, "budget", budget_text(&f.budget), &f.budget);
    for (k, v) in [
        ("title", Some(f.title)),
        ("startYear", Some(f.start_year.to_string())),
        ("endYear", Some(f.end_year.to_string())),
        ("goals", f.goals),
        ("measures", f.measures),
        ("mechanism", f.mechanism),
        ("budgetBasis", f.budget_basis),
        ("note", f.note),
    ] {
        m.insert(k.to_string(), v);
    }
    Ok(m)
}

/// The loggable fields of an expenditure (its budget line by name, the amount in yuan).
fn expenditure_snapshot(conn: &Connection, uid: &str) -> Result<BTreeMap<String, Option<String>>> {
    let (e, _) = dbp::expenditure(conn, uid)?;
    let line = dbp::line_key(conn, &e.budget_line_id)?;
    let mut m = BTreeMap::new();
    log::put_composite(
        &mut m,
        "budgetLine",
        Some(line_label(line.year, &line.source, &line.purpose)),
        &e.budget_line_id,
    );
    for (k, v) in [
        ("spentOn", Some(e.spent_on)),
        ("amount", Some(format!("{} 元", yuan(e.amount_fen)))),
        ("payee", e.payee),
        ("voucher", e.voucher),
        ("note", e.note),
    ] {
        m.insert(k.to_string(), v);
    }
    Ok(m)
}

/// Overall, yearly and per-source sums of a plan's lines and their live spending.
fn totals(start_year: i64, end_year: i64, lines: &[BudgetLine]) -> BudgetTotals {
    let mut by_year: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    if end_year >= start_year && end_year - start_year <= 100 {
        for y in start_year..=end_year {
            by_year.insert(y, (0, 0));
        }
    }
    let mut by_source: Vec<(String, i64, i64)> = FUNDING_SOURCES
        .iter()
        .map(|s| (s.to_string(), 0, 0))
        .collect();
    let (mut planned, mut spent) = (0i64, 0i64);
    for l in lines {
        planned = planned.saturating_add(l.amount_fen);
        spent = spent.saturating_add(l.spent_fen);
        let y = by_year.entry(l.year).or_default();
        y.0 = y.0.saturating_add(l.amount_fen);
        y.1 = y.1.saturating_add(l.spent_fen);
        match by_source.iter_mut().find(|(s, ..)| *s == l.source) {
            Some(s) => {
                s.1 = s.1.saturating_add(l.amount_fen);
                s.2 = s.2.saturating_add(l.spent_fen);
            }
            None => by_source.push((l.source.clone(), l.amount_fen, l.spent_fen)),
        }
    }
    BudgetTotals {
        planned_fen: planned,
        spent_fen: spent,
        by_year: by_year
            .into_iter()
            .map(|(year, (planned_fen, spent_fen))| YearTotal {
                year,
                planned_fen,
                spent_fen,
            })
            .collect(),
        by_source: by_source
            .into_iter()
            .map(|(source, planned_fen, spent_fen)| SourceTotal {
                source,
                planned_fen,
                spent_fen,
            })
            .collect(),
    }
}

/// What a plan page warns about: over-spent lines and years, a budget without any
/// basis, years without targets.
fn plan_warnings(f: &PlanInput, t: &BudgetTotals) -> Vec<String> {
    let mut w = Vec::new();
    for l in &f.budget {
        if l.spent_fen > l.amount_fen {
            w.push(format!(
                "预算行“{}”超支 {} 元（预算 {} 元，已支出 {} 元）",
                line_label(l.year, &l.source, &l.purpose),
                yuan(l.spent_fen - l.amount_fen),
                yuan(l.amount_fen),
                yuan(l.spent_fen)
            ));
        }
    }
    for y in &t.by_year {
        if y.spent_fen > y.planned_fen {
            w.push(format!(
                "{} 年度支出 {} 元，超出当年预算 {} 元，超支 {} 元",
                y.year,
                yuan(y.spent_fen),
                yuan(y.planned_fen),
                yuan(y.spent_fen - y.planned_fen)
            ));
        }
    }
    let unjustified = f
        .budget
        .iter()
        .filter(|l| l.justification.is_none())
        .count();
    if f.budget_basis.is_none() && unjustified > 0 {
        w.push(format!(
            "经费预算缺少依据说明：{unjustified} 条预算行未写测算依据，请填写经费预算依据说明"
        ));
    }
    let with_targets: HashSet<i64> = f
        .years
        .iter()
        .filter(|y| y.targets.is_some())
        .map(|y| y.year)
        .collect();
    if f.end_year >= f.start_year && f.end_year - f.start_year <= 100 {
        let missing: Vec<String> = (f.start_year..=f.end_year)
            .filter(|y| !with_targets.contains(y))
            .map(|y| y.to_string())
            .collect();
        if !missing.is_empty() {
            w.push(format!("以下年度未填写年度目标：{}", missing.join("、")));
        }
    }
    w
}

/// The 非遗月 of an activity running from `started_on` to `ended_on` (inclusive):
/// the one containing its first day, or else the first one its days overlap.
fn feiyi_month_of(started_on: &str, ended_on: Option<&str>) -> Option<FeiyiMonth> {
    let s = NaiveDate::parse_from_str(started_on, "%Y-%m-%d").ok()?;
    let e = ended_on
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .filter(|e| *e >= s)
        .unwrap_or(s);
    // Each 非遗月 lies within January–March of its own year.
    (s.year()..=e.year().min(s.year().saturating_add(10)))
        .filter_map(|y| lunar::feiyi_month(y).ok())
        .find(|m| m.start <= e && s <= m.end)
}

fn month_info(m: FeiyiMonth) -> FeiyiMonthInfo {
    FeiyiMonthInfo {
        year: i64::from(m.end.year()),
        start: m.start.format("%Y-%m-%d").to_string(),
        end: m.end.format("%Y-%m-%d").to_string(),
    }
}

fn live_item(
    conn: &Connection,
    id: &str,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Result<Option<i64>> {
    match items::key(conn, id) {
        Ok(k) if k.deleted_at.is_none() => Ok(Some(k.rowid)),
        Ok(_) => {
            errors.push(FieldError::new(field, "所选项目已删除"));
            Ok(None)
        }
        Err(Error::NotFound { .. }) => {
            errors.push(FieldError::new(field, "所选项目不存在"));
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn live_person(
    conn: &Connection,
    id: &str,
    field: &str,
    errors: &mut Vec<FieldError>,
) -> Result<Option<i64>> {
    match dbi::key(conn, id) {
        Ok((rowid, None, _)) => Ok(Some(rowid)),
        Ok(_) => {
            errors.push(FieldError::new(field, "所选传承人已删除"));
            Ok(None)
        }
        Err(Error::NotFound { .. }) => {
            errors.push(FieldError::new(field, "所选传承人不存在"));
            Ok(None)
        }
        Err(e) => Err(e),
    }
}

fn amount(field: &str, fen: i64, positive: bool, errors: &mut Vec<FieldError>) {
    if positive && fen <= 0 {
        errors.push(FieldError::new(field, "支出金额应大于 0"));
    } else if fen < 0 {
        errors.push(FieldError::new(field, "金额不能为负数"));
    } else if fen > MAX_FEN {
        errors.push(FieldError::new(field, "金额过大（不能超过 100 亿元）"));
    }
}

fn normalize_plan(p: PlanInput) -> PlanInput {
    PlanInput {
        id: clean(p.id),
        item_id: p.item_id.trim().to_string(),
        unit_id: clean(p.unit_id),
        title: p.title.trim().to_string(),
        start_year: p.start_year,
        end_year: p.end_year,
        goals: clean(p.goals),
        measures: clean(p.measures),
        mechanism: clean(p.mechanism),
        budget_basis: clean(p.budget_basis),
        note: clean(p.note),
        years: p
            .years
            .into_iter()
            .map(|y| PlanYear {
                id: clean(y.id),
                year: y.year,
                targets: clean(y.targets),
                measures: clean(y.measures),
            })
            .collect(),
        budget: p
            .budget
            .into_iter()
            .map(|l| BudgetLine {
                id: clean(l.id),
                year: l.year,
                purpose: l.purpose.trim().to_string(),
                source: l.source.trim().to_string(),
                amount_fen: l.amount_fen,
                justification: clean(l.justification),
                spent_fen: 0,
            })
            .collect(),
    }
}

fn normalize_activity(a: ActivityInput) -> ActivityInput {
    ActivityInput {
        id: clean(a.id),
        kind: a.kind.trim().to_string(),
        title: a.title.trim().to_string(),
        started_on: a.started_on.trim().to_string(),
        ended_on: clean(a.ended_on),
        place: clean(a.place),
        organizer: clean(a.organizer),
        participants: a.participants,
        description: clean(a.description),
        note: clean(a.note),
        item_ids: a
            .item_ids
            .into_iter()
            .map(|s| s.trim().to_string())
            .collect(),
        inheritor_ids: a
            .inheritor_ids
            .into_iter()
            .map(|s| s.trim().to_string())
            .collect(),
    }
}

/// Keeps only the ids that name an existing row of this plan, each once; the others become new rows.
fn keep_known_ids<'a>(ids: impl Iterator<Item = &'a mut Option<String>>, known: &HashSet<String>) {
    let mut seen = HashSet::new();
    for id in ids {
        if let Some(v) = id.as_ref() {
            if !known.contains(v) || !seen.insert(v.clone()) {
                *id = None;
            }
        }
    }
}

impl Registry {
    // ------------------------------------------------------- protection plans

    /// One page of protection plans, live or in the recycle bin, optionally of one item and
    /// matching a substring of the title or item name; newest first.
    pub fn plan_list(&self, query: &PlanQuery) -> Result<PlanPage> {
        dbp::list(&self.conn, query)
    }

    /// A plan whole: years, budget lines with their spending, live expenditures,
    /// totals by year and by funding source, and warnings.
    pub fn plan_get(&self, id: &str) -> Result<PlanDetail> {
        let (fields, item_name, unit_name, created_at, updated_at, deleted_at, deleted_reason) =
            dbp::fields(&self.conn, id)?;
        let k = dbp::key(&self.conn, id)?;
        let totals = totals(fields.start_year, fields.end_year, &fields.budget);
        let warnings = plan_warnings(&fields, &totals);
        Ok(PlanDetail {
            id: id.to_string(),
            expenditures: dbp::expenditures(&self.conn, k.rowid)?,
            fields,
            item_name,
            unit_name,
            totals,
            warnings,
            created_at,
            updated_at,
            deleted_at,
            deleted_reason,
        })
    }

    /// Creates or updates a five-year plan with its years and budget lines (lines with
    /// an id are kept and updated, the others replaced; a removed line must have no
    /// expenditures).
    pub fn plan_save(&mut self, input: PlanInput) -> Result<PlanDetail> {
        let mut p = normalize_plan(input);
        let mut errors = Vec::new();
        let n = p.title.chars().count();
        if n == 0 {
            errors.push(FieldError::new("title", "请填写计划名称"));
        } else if n > 200 {
            errors.push(FieldError::new("title", "计划名称不能超过 200 个字"));
        }
        let item = if p.item_id.is_empty() {
            errors.push(FieldError::new("itemId", "请选择项目"));
            None
        } else {
            live_item(&self.conn, &p.item_id, "itemId", &mut errors)?
        };
        let unit = match &p.unit_id {
            Some(u) => match dbu::key(&self.conn, u) {
                Ok((rowid, None)) => Some(rowid),
                Ok(_) => {
                    errors.push(FieldError::new("unitId", "所选保护单位已删除"));
                    None
                }
                Err(Error::NotFound { .. }) => {
                    errors.push(FieldError::new("unitId", "所选保护单位不存在"));
                    None
                }
                Err(e) => return Err(e),
            },
            None => None,
        };
        let mut span_ok = false;
        if !(1900..=2200).contains(&p.start_year) {
            errors.push(FieldError::new(
                "startYear",
                "起始年份应在 1900 到 2200 之间",
            ));
        } else if p.end_year != p.start_year + 4 {
            errors.push(FieldError::new(
                "endYear",
                "五年保护计划应覆盖连续五年（如 2026—2030）",
            ));
        } else {
            span_ok = true;
        }
        let range = p.start_year..=p.end_year;
        let span = format!("{}—{}", p.start_year, p.end_year);
        let existing = match &p.id {
            Some(id) => {
                let k = dbp::key(&self.conn, id)?;
                if k.deleted_at.is_some() {
                    return Err(Error::Deleted {
                        kind: "保护计划",
                        id: id.clone(),
                    });
                }
                Some(k)
            }
            None => None,
        };
        // Ids that do not name a row of this plan are treated as new rows.
        let (known_years, usage) = match &existing {
            Some(k) => (
                dbp::year_uids(&self.conn, k.rowid)?,
                dbp::line_usage(&self.conn, k.rowid)?,
            ),
            None => (Vec::new(), Vec::new()),
        };
        keep_known_ids(
            p.years.iter_mut().map(|y| &mut y.id),
            &known_years.into_iter().collect(),
        );
        keep_known_ids(
            p.budget.iter_mut().map(|l| &mut l.id),
            &usage.iter().map(|u| u.uid.clone()).collect(),
        );
        let mut seen_years = HashSet::new();
        for (i, y) in p.years.iter().enumerate() {
            if span_ok && !range.contains(&y.year) {
                errors.push(FieldError::new(
                    format!("years.{i}.year"),
                    format!("年度应在计划年度 {span} 之内"),
                ));
            } else if !seen_years.insert(y.year) {
                errors.push(FieldError::new(
                    format!("years.{i}.year"),
                    format!("{} 年的年度目标和措施重复填写", y.year),
                ));
            }
        }
        for (i, l) in p.budget.iter().enumerate() {
            if span_ok && !range.contains(&l.year) {
                errors.push(FieldError::new(
                    format!("budget.{i}.year"),
                    format!("预算年度应在计划年度 {span} 之内"),
                ));
            }
            if l.purpose.is_empty() {
                errors.push(FieldError::new(
                    format!("budget.{i}.purpose"),
                    "请填写预算用途",
                ));
            }
            if !FUNDING_SOURCES.contains(&l.source.as_str()) {
                errors.push(FieldError::new(
                    format!("budget.{i}.source"),
                    "经费来源应为 区级财政 / 配套 / 自筹 / 其他",
                ));
            }
            amount(
                &format!("budget.{i}.amountFen"),
                l.amount_fen,
                false,
                &mut errors,
            );
        }
        let kept: HashSet<&str> = p.budget.iter().filter_map(|l| l.id.as_deref()).collect();
        for u in usage
            .iter()
            .filter(|u| u.all > 0 && !kept.contains(u.uid.as_str()))
        {
            errors.push(FieldError::new(
                "budget",
                if u.live > 0 {
                    format!("预算行“{} {}”已有支出，不能删除", u.year, u.purpose)
                } else {
                    format!(
                        "预算行“{} {}”有已作废的支出记录，不能删除",
                        u.year, u.purpose
                    )
                },
            ));
        }
        if let (Some(k), true) = (&existing, span_ok) {
            if let Some((first, last)) = dbp::spent_range(&self.conn, k.rowid)? {
                let year = |d: &str| d.get(0..4).and_then(|y| y.parse::<i64>().ok());
                let inside = |d: &str| year(d).is_some_and(|y| range.contains(&y));
                if !inside(&first) || !inside(&last) {
                    errors.push(FieldError::new(
                        "startYear",
                        format!("本计划已有 {first} 至 {last} 的支出，计划年度须包含这些日期"),
                    ));
                }
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (item, exists) = (item.unwrap_or_default(), existing.is_some());
        let uid = p.id.clone().unwrap_or_else(db::new_uid);
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let before = if exists {
            Some(plan_snapshot(&tx, &uid)?)
        } else {
            None
        };
        let rowid = dbp::save(&tx, &uid, exists, &p, item, unit, &now)?;
        dbp::replace_years(&tx, rowid, &p.years, &now)?;
        dbp::replace_budget(&tx, rowid, &p.budget, &now)?;
        let after = plan_snapshot(&tx, &uid)?;
        match before {
            Some(b) => log_diff(&tx, &now, &actor, "plan", &uid, &b, &after)?,
            None => log_create(&tx, &now, &actor, "plan", &uid, &after)?,
        }
        tx.commit()?;
        self.plan_get(&uid)
    }

    /// Moves a plan to the recycle bin with a reason.
    pub fn plan_delete(&mut self, id: &str, reason: &str) -> Result<()> {
        let reason = require_reason(reason)?;
        let k = dbp::key(&self.conn, id)?;
        if k.deleted_at.is_some() {
            return Err(Error::Deleted {
                kind: "保护计划",
                id: id.into(),
            });
        }
        self.set_in_bin(
            "plan",
            id,
            Some(reason),
            |c, d, now| dbp::set_deleted(c, id, d, now),
            None,
        )?;
        Ok(())
    }

    /// Restores a plan from the recycle bin (refused while its item is in the bin).
    pub fn plan_restore(&mut self, id: &str) -> Result<PlanDetail> {
        let k = dbp::key(&self.conn, id)?;
        if k.deleted_at.is_some() {
            let (fields, item_name, ..) = dbp::fields(&self.conn, id)?;
            if items::key(&self.conn, &fields.item_id)?
                .deleted_at
                .is_some()
            {
                return Err(Error::Conflict(format!(
                    "保护计划所属的项目“{item_name}”已删除，请先恢复项目"
                )));
            }
            self.set_in_bin(
                "plan",
                id,
                None,
                |c, d, now| dbp::set_deleted(c, id, d, now),
                None,
            )?;
        }
        self.plan_get(id)
    }

    // ----------------------------------------------------------- expenditures

    /// Records or changes an expenditure against a budget line of a live plan; the
    /// date must fall within the plan's years. Spending beyond the line is allowed and
    /// shows as a warning on the plan.
    pub fn expenditure_save(&mut self, input: Expenditure) -> Result<PlanDetail> {
        let e = Expenditure {
            id: clean(input.id),
            budget_line_id: input.budget_line_id.trim().to_string(),
            spent_on: input.spent_on.trim().to_string(),
            amount_fen: input.amount_fen,
            payee: clean(input.payee),
            voucher: clean(input.voucher),
            note: clean(input.note),
        };
        let mut errors = Vec::new();
        let line = if e.budget_line_id.is_empty() {
            errors.push(FieldError::new("budgetLineId", "请选择预算行"));
            None
        } else {
            match dbp::line_key(&self.conn, &e.budget_line_id) {
                Ok(l) if l.plan_deleted_at.is_some() => {
                    errors.push(FieldError::new("budgetLineId", "所属保护计划已删除"));
                    None
                }
                Ok(l) => Some(l),
                Err(Error::NotFound { .. }) => {
                    errors.push(FieldError::new("budgetLineId", "所选预算行不存在"));
                    None
                }
                Err(err) => return Err(err),
            }
        };
        amount("amountFen", e.amount_fen, true, &mut errors);
        if e.spent_on.is_empty() {
            errors.push(FieldError::new("spentOn", "请填写支出日期"));
        } else {
            let before = errors.len();
            date(
                "spentOn",
                "支出日期",
                &Some(e.spent_on.clone()),
                &mut errors,
            );
            if let (Some(l), true) = (&line, errors.len() == before) {
                let year = e.spent_on.get(0..4).and_then(|y| y.parse::<i64>().ok());
                if !year.is_some_and(|y| (l.start_year..=l.end_year).contains(&y)) {
                    errors.push(FieldError::new(
                        "spentOn",
                        format!("支出日期应在计划年度 {}—{} 之内", l.start_year, l.end_year),
                    ));
                }
            }
        }
        let exists = match &e.id {
            Some(id) => {
                let (_, deleted) = dbp::expenditure(&self.conn, id)?;
                if deleted.is_some() {
                    return Err(Error::Deleted {
                        kind: "支出记录",
                        id: id.clone(),
                    });
                }
                true
            }
            None => false,
        };
        let Some(line) = line.filter(|_| errors.is_empty()) else {
            return Err(Error::Validation(errors));
        };
        let uid = e.id.clone().unwrap_or_else(db::new_uid);
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let before = if exists {
            Some(expenditure_snapshot(&tx, &uid)?)
        } else {
            None
        };
        dbp::save_expenditure(&tx, &uid, exists, line.rowid, &e, &now)?;
        let after = expenditure_snapshot(&tx, &uid)?;
        match before {
            Some(b) => log_diff(&tx, &now, &actor, "expenditure", &uid, &b, &after)?,
            None => log_create(&tx, &now, &actor, "expenditure", &uid, &after)?,
        }
        tx.commit()?;
        self.plan_get(&line.plan_uid)
    }

    /// Voids an expenditure with a reason (kept, but no longer counted); returns its plan.
    pub fn expenditure_delete(&mut self, id: &str, reason: &str) -> Result<PlanDetail> {
        let reason = require_reason(reason)?;
        let (e, deleted) = dbp::expenditure(&self.conn, id)?;
        if deleted.is_some() {
            return Err(Error::Deleted {
                kind: "支出记录",
                id: id.into(),
            });
        }
        let line = dbp::line_key(&self.conn, &e.budget_line_id)?;
        if line.plan_deleted_at.is_some() {
            return Err(Error::Deleted {
                kind: "保护计划",
                id: line.plan_uid,
            });
        }
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        dbp::set_expenditure_deleted(&tx, id, Some((&now, &reason)), &now)?;
        log::append(
            &tx,
            &now,
            &actor,
            log::Change {
                entity: "expenditure",
                entity_id: id,
                action: "delete",
                old_value: Some(format!(
                    "{} {} 元（{}）",
                    e.spent_on,
                    yuan(e.amount_fen),
                    line_label(line.year, &line.source, &line.purpose)
                )),
                reason: Some(reason),
                ..Default::default()
            },
        )?;
        tx.commit()?;
        self.plan_get(&line.plan_uid)
    }

    // ------------------------------------------------------------- activities

    /// One page of activities, newest first, each tagged when it falls in a 非遗月.
    pub fn activity_list(&self, query: &ActivityQuery) -> Result<ActivityPage> {
        dba::list(&self.conn, query, |s, e| feiyi_month_of(s, e).is_some())
    }

    /// An activity whole, with its items, people and 非遗月.
    pub fn activity_get(&self, id: &str) -> Result<ActivityDetail> {
        let (fields, item_refs, inheritors, created_at, updated_at, deleted_at, deleted_reason) =
            dba::fields(&self.conn, id)?;
        let template = self.template()?;
        let items_ = item_refs
            .into_iter()
            .map(|(uid, _)| {
                items::row(&self.conn, &uid, &template).map(|r| ItemRef {
                    id: r.id,
                    code: r.code,
                    name: r.name,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let month = feiyi_month_of(&fields.started_on, fields.ended_on.as_deref());
        Ok(ActivityDetail {
            id: id.to_string(),
            fields,
            items: items_,
            inheritors,
            in_feiyi_month: month.is_some(),
            feiyi_month: month.map(month_info),
            created_at,
            updated_at,
            deleted_at,
            deleted_reason,
        })
    }

    /// Creates or updates an activity and replaces its links to items and inheritors.
    pub fn activity_save(&mut self, input: ActivityInput) -> Result<ActivityDetail> {
        let a = normalize_activity(input);
        let mut errors = Vec::new();
        if a.kind.is_empty() {
            errors.push(FieldError::new("kind", "请选择活动类型"));
        } else if !ACTIVITY_KINDS.contains(&a.kind.as_str()) {
            errors.push(FieldError::new(
                "kind",
                format!("活动类型应为 {}", ACTIVITY_KINDS.join(" / ")),
            ));
        }
        let n = a.title.chars().count();
        if n == 0 {
            errors.push(FieldError::new("title", "请填写活动名称"));
        } else if n > 200 {
            errors.push(FieldError::new("title", "活动名称不能超过 200 个字"));
        }
        let before = errors.len();
        if a.started_on.is_empty() {
            errors.push(FieldError::new("startedOn", "请填写活动日期"));
        } else {
            date(
                "startedOn",
                "活动日期",
                &Some(a.started_on.clone()),
                &mut errors,
            );
        }
        date("endedOn", "结束日期", &a.ended_on, &mut errors);
        if let (Some(end), true) = (&a.ended_on, errors.len() == before) {
            if end.as_str() < a.started_on.as_str() {
                errors.push(FieldError::new("endedOn", "结束日期不能早于开始日期"));
            }
        }
        if a.participants.is_some_and(|p| p < 0) {
            errors.push(FieldError::new("participants", "参与人数不能为负数"));
        }
        let mut item_rows = Vec::new();
        for (i, id) in a.item_ids.iter().enumerate() {
            if let Some(r) = live_item(&self.conn, id, &format!("itemIds.{i}"), &mut errors)? {
                item_rows.push(r);
            }
        }
        let mut people = Vec::new();
        for (i, id) in a.inheritor_ids.iter().enumerate() {
            if let Some(r) = live_person(&self.conn, id, &format!("inheritorIds.{i}"), &mut errors)?
            {
                people.push(r);
            }
        }
        let exists = match &a.id {
            Some(id) => {
                let (_, deleted) = dba::key(&self.conn, id)?;
                if deleted.is_some() {
                    return Err(Error::Deleted {
                        kind: "活动",
                        id: id.clone(),
                    });
                }
                true
            }
            None => false,
        };
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let uid = a.id.clone().unwrap_or_else(db::new_uid);
        self.write_logged(
            "activity",
            &uid,
            exists,
            dba::snapshot,
            |c, now| dba::save(c, &uid, exists, &a, &item_rows, &people, now),
            Some(("activity", dba::search_text)),
        )?;
        self.activity_get(&uid)
    }

    /// Moves an activity to the recycle bin with a reason.
    pub fn activity_delete(&mut self, id: &str, reason: &str) -> Result<()> {
        let reason = require_reason(reason)?;
        let (_, deleted) = dba::key(&self.conn, id)?;
        if deleted.is_some() {
            return Err(Error::Deleted {
                kind: "活动",
                id: id.into(),
            });
        }
        self.set_in_bin(
            "activity",
            id,
            Some(reason),
            |c, d, now| dba::set_deleted(c, id, d, now),
            Some(("activity", dba::search_text)),
        )?;
        Ok(())
    }

    /// Restores an activity from the recycle bin.
    pub fn activity_restore(&mut self, id: &str) -> Result<ActivityDetail> {
        let (_, deleted) = dba::key(&self.conn, id)?;
        if deleted.is_some() {
            self.set_in_bin(
                "activity",
                id,
                None,
                |c, d, now| dba::set_deleted(c, id, d, now),
                Some(("activity", dba::search_text)),
            )?;
        }
        self.activity_get(id)
    }

    // ---------------------------------------------------------------- 非遗月

    /// The Shandong 非遗月 (腊月廿三 to 二月初二) containing the Spring Festival of `year`.
    pub fn feiyi_month_info(&self, year: i64) -> Result<FeiyiMonthInfo> {
        let y = i32::try_from(year)
            .map_err(|_| Error::field("year", format!("{year}年的非遗月超出农历换算范围")))?;
        Ok(month_info(lunar::feiyi_month(y)?))
    }
}

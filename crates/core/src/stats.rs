//! Statistics (统计): the tables of the 统计 page and of the 年度工作统计表, built from
//! plain facts.
//!
//! `db::stats` gathers the facts in a handful of one-pass queries (no query per item);
//! everything here is pure — ages and age bands, which recognitions are in force, the
//! at-risk rules, money in 元, the 非遗月 months — so each rule is unit-tested on its
//! edges without a database. The table keys, titles, units and columns are the contract
//! of [`StatTable`].

use crate::lunar::FeiyiMonth;
use crate::model::{
    ChartKind, FindingTarget, StatCell, StatRow, StatTable, ACTIVITY_KINDS, FUNDING_SOURCES, LEVELS,
};
use chrono::{Datelike, NaiveDate};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// From this age (whole years) an inheritor counts as elderly for the at-risk warning
/// (product.md: items whose inheritors are all over 70).
pub const AT_RISK_AGE: i64 = 70;

/// The first and last year statistics may be asked for.
pub const YEARS: std::ops::RangeInclusive<i64> = 1949..=2100;

/// The table keys, in page order.
pub const TABLE_KEYS: [&str; 14] = [
    "items_by_level",
    "items_by_batch",
    "items_by_category",
    "items_by_township",
    "inheritors_by_level",
    "inheritors_by_sex",
    "inheritors_by_age",
    "inheritors_by_status",
    "at_risk",
    "funds_by_year",
    "funds_by_source",
    "funds_by_item",
    "activities_by_month",
    "activities_by_kind",
];

/// The status an item has while it is on the list.
pub const LISTED: &str = "在册";

/// Recognition statuses under which a recognition stays in force (丧失传承能力 keeps the
/// title: domain.md).
pub const IN_FORCE_STATUSES: [&str; 2] = ["在册", "丧失传承能力"];

/// The recognition statuses, in table order.
pub const RECOGNITION_STATUSES: [&str; 4] = ["在册", "丧失传承能力", "取消资格", "去世"];

/// The age bands of the age-structure table, youngest first, then the unknown.
pub const AGE_BANDS: [&str; 7] = [
    "40岁以下",
    "40—49岁",
    "50—59岁",
    "60—69岁",
    "70—79岁",
    "80岁及以上",
    "出生年月不详",
];

// ------------------------------------------------------------------ facts

/// A township-level unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TownshipFact {
    /// Code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Still in use (inactive ones are shown only when items name them).
    pub active: bool,
}

/// A live batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BatchFact {
    /// Row id.
    pub id: i64,
    /// Number (第N批).
    pub number: i64,
    /// 公布文号.
    pub doc_number: Option<String>,
    /// 公布项目数.
    pub declared: Option<i64>,
}

/// A live item (listed or not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemFact {
    /// Row id.
    pub id: i64,
    /// Stable id.
    pub uid: String,
    /// Rendered code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Category numeral.
    pub category: String,
    /// Row id of its batch.
    pub batch: Option<i64>,
    /// 在册 / 撤销 / 合并.
    pub status: String,
    /// 存续状况为濒危.
    pub endangered: bool,
    /// Highest level of its listing rows, 1 (区级) … 4 (国家级); 1 without any.
    pub level_rank: i64,
}

/// A live inheritor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonFact {
    /// Row id.
    pub id: i64,
    /// Name.
    pub name: String,
    /// 男 / 女.
    pub sex: Option<String>,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub birth: Option<String>,
    /// A death date is recorded.
    pub dead: bool,
}

/// A live recognition of a live person for a live item, with its latest status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecognitionFact {
    /// Person row id.
    pub person: i64,
    /// Item row id.
    pub item: i64,
    /// Level.
    pub level: String,
    /// Latest status (no event: 在册).
    pub status: String,
}

/// Money of live plans of live items, summed by year, funding source and item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MoneyFact {
    /// The budget line's year (planned) or the expenditure's year (spent).
    pub year: i64,
    /// The budget line's funding source.
    pub source: String,
    /// Item row id (the plan's item).
    pub item: i64,
    /// Sum in fen.
    pub fen: i64,
}

/// Live activities of the statistics year, counted by month and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityFact {
    /// Month of the first day, 1–12.
    pub month: u32,
    /// Kind.
    pub kind: String,
    /// Number of activities.
    pub count: i64,
    /// Sum of participants (missing counts as 0).
    pub participants: i64,
}

/// Everything the tables are built from.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Category numerals and names, in order.
    pub categories: Vec<(String, String)>,
    /// Every township unit, in display order.
    pub townships: Vec<TownshipFact>,
    /// Live batches by number.
    pub batches: Vec<BatchFact>,
    /// Live items in code order.
    pub items: Vec<ItemFact>,
    /// (item row id, township code) of live items.
    pub item_townships: Vec<(i64, String)>,
    /// Live inheritors.
    pub people: Vec<PersonFact>,
    /// Live recognitions of live people for live items.
    pub recognitions: Vec<RecognitionFact>,
    /// (item row id, master row id) of lineage edges whose apprentice is live.
    pub masters: Vec<(i64, i64)>,
    /// Planned money (budget lines).
    pub planned: Vec<MoneyFact>,
    /// Spent money (live expenditures).
    pub spent: Vec<MoneyFact>,
    /// The statistics year's activities.
    pub activities: Vec<ActivityFact>,
}

// ------------------------------------------------------------------ rules

/// The first day a birth date stands for: `YYYY` → 1 January, `YYYY-MM` → the 1st of
/// the month, `YYYY-MM-DD` → that day; anything else → `None`.
pub fn birth_day(birth: &str) -> Option<NaiveDate> {
    let b = birth.trim();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = b.split('-').collect();
    match parts.as_slice() {
        [y] if digits(y, 4) => NaiveDate::from_ymd_opt(y.parse().ok()?, 1, 1),
        [y, m] if digits(y, 4) && digits(m, 2) => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)
        }
        [y, m, d] if digits(y, 4) && digits(m, 2) && digits(d, 2) => {
            NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
        }
        _ => None,
    }
}

/// Age in whole years on `as_of`: the birthday itself counts as reached (born
/// 1956-06-15 → 69 on 2026-06-14, 70 on 2026-06-15). A 29 February birthday is reached
/// on 1 March in common years. Unknown or unreadable births and births after `as_of`
/// give `None`.
pub fn age_on(birth: Option<&str>, as_of: NaiveDate) -> Option<i64> {
    let b = birth_day(birth?)?;
    if b > as_of {
        return None;
    }
    let mut age = i64::from(as_of.year() - b.year());
    if (as_of.month(), as_of.day()) < (b.month(), b.day()) {
        age -= 1;
    }
    Some(age)
}

/// The index in [`AGE_BANDS`] of an age (`None` → 出生年月不详).
pub fn age_band(age: Option<i64>) -> usize {
    match age {
        None => 6,
        Some(a) if a < 40 => 0,
        Some(a) if a < 50 => 1,
        Some(a) if a < 60 => 2,
        Some(a) if a < 70 => 3,
        Some(a) if a < 80 => 4,
        Some(_) => 5,
    }
}

/// Whether a recognition with this latest status, of a person with or without a
/// recorded death, for an item with this status, is in force.
pub fn in_force(status: &str, dead: bool, item_status: &str) -> bool {
    IN_FORCE_STATUSES.contains(&status) && !dead && item_status == LISTED
}

/// Rank of a level, 1 (区级) … 4 (国家级); an unknown text ranks as 区级.
pub fn level_rank(level: &str) -> i64 {
    LEVELS
        .iter()
        .position(|l| *l == level)
        .map_or(1, |p| p as i64 + 1)
}

/// Reason (a): every in-force inheritor is at least [`AT_RISK_AGE`].
pub fn reason_all_elderly() -> String {
    format!("认定传承人均已年满{AT_RISK_AGE}岁")
}

/// Reason (b).
pub const REASON_NO_INHERITOR: &str = "无在册代表性传承人";
/// Reason (c).
pub const REASON_NO_APPRENTICE: &str = "传承人未记录徒弟";
/// Reason (d).
pub const REASON_ENDANGERED: &str = "存续状况为濒危";

/// The at-risk reasons of a listed item, in rule order: `ages` are the ages of its
/// in-force inheritors (one per person), `has_apprentice` whether a lineage edge of the
/// item has one of them as master. Empty when no rule holds.
pub fn at_risk_reasons(
    ages: &[Option<i64>],
    has_apprentice: bool,
    endangered: bool,
) -> Vec<String> {
    let mut out = Vec::new();
    if !ages.is_empty() && ages.iter().all(|a| a.is_some_and(|a| a >= AT_RISK_AGE)) {
        out.push(reason_all_elderly());
    }
    if ages.is_empty() {
        out.push(REASON_NO_INHERITOR.to_string());
    } else if !has_apprentice {
        out.push(REASON_NO_APPRENTICE.to_string());
    }
    if endangered {
        out.push(REASON_ENDANGERED.to_string());
    }
    out
}

/// Fen as 元 (two decimals).
pub fn yuan(fen: i64) -> f64 {
    // The nearest double to fen / 100, which prints with at most two decimals.
    fen as f64 / 100.0
}

/// Spent against planned as `85.0%`; empty when nothing was planned.
pub fn execution_rate(planned_fen: i64, spent_fen: i64) -> String {
    if planned_fen <= 0 {
        String::new()
    } else {
        format!("{:.1}%", spent_fen as f64 * 100.0 / planned_fen as f64)
    }
}

/// Which months (index 0 = January) of `year` overlap one of `months`.
pub fn feiyi_months_of_year(year: i32, months: &[FeiyiMonth]) -> [bool; 12] {
    let mut out = [false; 12];
    for (m, slot) in out.iter_mut().enumerate() {
        let month = m as u32 + 1;
        let Some(first) = NaiveDate::from_ymd_opt(year, month, 1) else {
            continue;
        };
        let next = if month == 12 {
            NaiveDate::from_ymd_opt(year + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(year, month + 1, 1)
        };
        let Some(last) = next.and_then(|d| d.pred_opt()) else {
            continue;
        };
        *slot = months.iter().any(|f| f.start <= last && first <= f.end);
    }
    out
}

/// `2026年3月5日`.
pub fn chinese_date(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

/// The district the register is of, used in exported titles.
pub const DISTRICT: &str = "台儿庄区";

/// The district part of a registry title: up to and including its first 区 or 县
/// (else 市) within the first twelve characters (`台儿庄区非物质文化遗产代表性项目名录`
/// → `台儿庄区`); [`DISTRICT`] when there is none.
pub fn district_of(title: &str) -> String {
    let head: Vec<char> = title.trim().chars().take(12).collect();
    let end = head
        .iter()
        .position(|c| *c == '区' || *c == '县')
        .or_else(|| head.iter().position(|c| *c == '市'));
    match end {
        Some(i) if i > 0 => head[..=i].iter().collect(),
        _ => DISTRICT.to_string(),
    }
}

// ------------------------------------------------------------------ building

fn text(s: impl Into<String>) -> StatCell {
    StatCell::Text(s.into())
}

fn num(n: i64) -> StatCell {
    StatCell::Number(n as f64)
}

fn money(fen: i64) -> StatCell {
    StatCell::Number(yuan(fen))
}

fn row(cells: Vec<StatCell>) -> StatRow {
    StatRow {
        cells,
        target: None,
        total: false,
        highlight: false,
    }
}

fn total_row(cells: Vec<StatCell>) -> StatRow {
    StatRow {
        total: true,
        ..row(cells)
    }
}

fn item_target(uid: &str) -> Option<FindingTarget> {
    Some(FindingTarget {
        kind: "item".into(),
        id: uid.to_string(),
        field: None,
    })
}

fn table(
    key: &str,
    title: String,
    unit: &str,
    chart: ChartKind,
    columns: &[&str],
    rows: Vec<StatRow>,
    notes: Vec<String>,
) -> StatTable {
    StatTable {
        key: key.to_string(),
        title,
        unit: unit.to_string(),
        chart,
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows,
        notes,
        omitted: 0,
    }
}

/// The most rows a table shows on the 统计 page (its exported sheet has them all).
pub const PAGE_ROWS: usize = 200;

/// Cuts `t` to its first [`PAGE_ROWS`] rows for the page, keeping a 合计 row, and records
/// how many were left out, so a list of 90,000 at-risk items does not cross to the window.
pub fn cut_for_page(t: &mut StatTable) {
    let total_row = t.rows.last().filter(|r| r.total).is_some();
    let body = t.rows.len() - usize::from(total_row);
    if body <= PAGE_ROWS {
        return;
    }
    let last = total_row.then(|| t.rows.pop()).flatten();
    t.omitted = (body - PAGE_ROWS) as u32;
    t.rows.truncate(PAGE_ROWS);
    t.rows.extend(last);
}

/// What the tables are of.
#[derive(Debug, Clone, Copy)]
pub struct Period<'a> {
    /// The day of the data (ages are counted to it).
    pub as_of: NaiveDate,
    /// The year of the per-year tables.
    pub year: i32,
    /// The 非遗月 that overlap that year.
    pub feiyi: &'a [FeiyiMonth],
}

/// Who is in force, per person and per item.
struct InForce {
    /// Person row id → highest in-force level rank.
    people: BTreeMap<i64, i64>,
    /// Item row id → its in-force persons, in recognition order (highest level first).
    by_item: HashMap<i64, Vec<i64>>,
}

fn in_force_of(f: &Facts) -> InForce {
    let items: HashMap<i64, &ItemFact> = f.items.iter().map(|i| (i.id, i)).collect();
    let people: HashMap<i64, &PersonFact> = f.people.iter().map(|p| (p.id, p)).collect();
    let mut recs: Vec<&RecognitionFact> = f
        .recognitions
        .iter()
        .filter(|r| {
            let dead = people.get(&r.person).is_none_or(|p| p.dead);
            let status = items.get(&r.item).map_or("", |i| i.status.as_str());
            in_force(&r.status, dead, status)
        })
        .collect();
    recs.sort_by_key(|r| (std::cmp::Reverse(level_rank(&r.level)), r.person));
    let mut out = InForce {
        people: BTreeMap::new(),
        by_item: HashMap::new(),
    };
    for r in recs {
        let rank = level_rank(&r.level);
        let best = out.people.entry(r.person).or_insert(rank);
        *best = (*best).max(rank);
        let list = out.by_item.entry(r.item).or_default();
        if !list.contains(&r.person) {
            list.push(r.person);
        }
    }
    out
}

fn excluded_note(f: &Facts) -> String {
    let count = |s: &str| f.items.iter().filter(|i| i.status == s).count();
    let (revoked, merged) = (count("撤销"), count("合并"));
    if revoked + merged == 0 {
        "只统计在册项目（已撤销、已合并的项目不计入）。".into()
    } else {
        format!("只统计在册项目，已撤销的 {revoked} 项、已合并的 {merged} 项不计入。")
    }
}

const IN_FORCE_NOTE: &str = "只统计认定状态为“在册”或“丧失传承能力”的代表性传承人（所认定的项目须在册，已登记去世日期的不计入）。";

/// Builds the fourteen tables, in page order.
pub fn tables(f: &Facts, p: Period<'_>) -> Vec<StatTable> {
    let listed: Vec<&ItemFact> = f.items.iter().filter(|i| i.status == LISTED).collect();
    let force = in_force_of(f);
    let people: HashMap<i64, &PersonFact> = f.people.iter().map(|p| (p.id, p)).collect();
    let excluded = excluded_note(f);
    vec![
        items_by_level(&listed, &excluded),
        items_by_batch(f, &listed, &excluded),
        items_by_category(f, &listed, &excluded),
        items_by_township(f, &listed, &excluded),
        inheritors_by_level(&force),
        inheritors_by_sex(&force, &people),
        inheritors_by_age(&force, &people, p.as_of),
        inheritors_by_status(f),
        at_risk(f, &listed, &force, &people, p.as_of),
        funds_by_year(f),
        funds_by_source(f, p.year),
        funds_by_item(f, p.year),
        activities_by_month(f, p),
        activities_by_kind(f, p.year),
    ]
}

fn items_by_level(listed: &[&ItemFact], excluded: &str) -> StatTable {
    let mut rows = Vec::new();
    for (i, level) in LEVELS.iter().enumerate().rev() {
        let n = listed
            .iter()
            .filter(|it| it.level_rank.clamp(1, 4) == i as i64 + 1)
            .count();
        rows.push(row(vec![text(*level), num(n as i64)]));
    }
    rows.push(total_row(vec![text("合计"), num(listed.len() as i64)]));
    table(
        "items_by_level",
        "代表性项目按级别统计".into(),
        "项",
        ChartKind::Pie,
        &["级别", "项目数"],
        rows,
        vec![
            "按项目已列入的最高一级名录统计；未登记更高级别的，计为区级。".into(),
            excluded.to_string(),
        ],
    )
}

fn items_by_batch(f: &Facts, listed: &[&ItemFact], excluded: &str) -> StatTable {
    let mut entered: HashMap<i64, i64> = HashMap::new();
    let live: HashSet<i64> = f.batches.iter().map(|b| b.id).collect();
    let mut without = 0;
    for it in listed {
        match it.batch.filter(|b| live.contains(b)) {
            Some(b) => *entered.entry(b).or_default() += 1,
            None => without += 1,
        }
    }
    let mut rows = Vec::new();
    let (mut declared_sum, mut any_declared) = (0, false);
    for b in &f.batches {
        if let Some(d) = b.declared {
            declared_sum += d;
            any_declared = true;
        }
        rows.push(row(vec![
            text(crate::reference::batch_label(b.number)),
            text(b.doc_number.clone().unwrap_or_default()),
            b.declared.map_or_else(|| text(""), num),
            num(entered.get(&b.id).copied().unwrap_or(0)),
        ]));
    }
    if without > 0 {
        rows.push(row(vec![
            text("未归入批次"),
            text(""),
            text(""),
            num(without),
        ]));
    }
    rows.push(total_row(vec![
        text("合计"),
        text(""),
        if any_declared {
            num(declared_sum)
        } else {
            text("")
        },
        num(listed.len() as i64),
    ]));
    table(
        "items_by_batch",
        "代表性项目按批次统计".into(),
        "项",
        ChartKind::Bar,
        &["批次", "公布文号", "公布项目数", "已录入项目数"],
        rows,
        vec![
            "公布项目数为批次公布文件所列的项目数（未登记的留空）；已录入项目数为名录中属于该批次的在册项目数。"
                .into(),
            excluded.to_string(),
        ],
    )
}

fn items_by_category(f: &Facts, listed: &[&ItemFact], excluded: &str) -> StatTable {
    let mut rows = Vec::new();
    for (code, name) in &f.categories {
        let n = listed.iter().filter(|it| &it.category == code).count();
        rows.push(row(vec![text(format!("{code} {name}")), num(n as i64)]));
    }
    rows.push(total_row(vec![text("合计"), num(listed.len() as i64)]));
    table(
        "items_by_category",
        "代表性项目按类别统计".into(),
        "项",
        ChartKind::Bar,
        &["类别", "项目数"],
        rows,
        vec![
            "扩展项目（子项目）各计为一项。".into(),
            excluded.to_string(),
        ],
    )
}

fn items_by_township(f: &Facts, listed: &[&ItemFact], excluded: &str) -> StatTable {
    let listed_ids: HashSet<i64> = listed.iter().map(|i| i.id).collect();
    let mut per_town: HashMap<&str, BTreeSet<i64>> = HashMap::new();
    let mut placed: HashSet<i64> = HashSet::new();
    for (item, town) in &f.item_townships {
        if listed_ids.contains(item) {
            per_town.entry(town.as_str()).or_default().insert(*item);
            placed.insert(*item);
        }
    }
    let mut rows = Vec::new();
    for t in &f.townships {
        let n = per_town.get(t.code.as_str()).map_or(0, |s| s.len());
        if t.active {
            rows.push(row(vec![text(t.name.clone()), num(n as i64)]));
        } else if n > 0 {
            rows.push(row(vec![
                text(format!("{}（已停用）", t.name)),
                num(n as i64),
            ]));
        }
    }
    let without = listed.len() - placed.len();
    if without > 0 {
        rows.push(row(vec![text("未填写分布"), num(without as i64)]));
    }
    rows.push(total_row(vec![text("合计"), num(listed.len() as i64)]));
    table(
        "items_by_township",
        "代表性项目按镇（街道）分布统计".into(),
        "项",
        ChartKind::Schematic,
        &["镇（街道）", "项目数"],
        rows,
        vec![
            "一个项目分布在多个镇（街道）的，各计一次；合计为项目数，不是各行之和。".into(),
            excluded.to_string(),
        ],
    )
}

fn inheritors_by_level(force: &InForce) -> StatTable {
    let mut rows = Vec::new();
    for (i, level) in LEVELS.iter().enumerate().rev() {
        let n = force
            .people
            .values()
            .filter(|r| **r == i as i64 + 1)
            .count();
        rows.push(row(vec![text(*level), num(n as i64)]));
    }
    rows.push(total_row(vec![
        text("合计"),
        num(force.people.len() as i64),
    ]));
    table(
        "inheritors_by_level",
        "代表性传承人按级别统计".into(),
        "人",
        ChartKind::Pie,
        &["级别", "人数"],
        rows,
        vec![
            "一人有多项认定的只计一次，按其最高级别计。".into(),
            IN_FORCE_NOTE.into(),
        ],
    )
}

fn inheritors_by_sex(force: &InForce, people: &HashMap<i64, &PersonFact>) -> StatTable {
    let mut counts = [0i64; 3];
    for id in force.people.keys() {
        let i = match people.get(id).and_then(|p| p.sex.as_deref()) {
            Some("男") => 0,
            Some("女") => 1,
            _ => 2,
        };
        counts[i] += 1;
    }
    let mut rows: Vec<StatRow> = ["男", "女", "未填写"]
        .iter()
        .zip(counts)
        .map(|(l, n)| row(vec![text(*l), num(n)]))
        .collect();
    rows.push(total_row(vec![
        text("合计"),
        num(force.people.len() as i64),
    ]));
    table(
        "inheritors_by_sex",
        "代表性传承人按性别统计".into(),
        "人",
        ChartKind::Pie,
        &["性别", "人数"],
        rows,
        vec![IN_FORCE_NOTE.into()],
    )
}

fn inheritors_by_age(
    force: &InForce,
    people: &HashMap<i64, &PersonFact>,
    as_of: NaiveDate,
) -> StatTable {
    let mut counts = [0i64; 7];
    let (mut sum, mut known) = (0i64, 0i64);
    for id in force.people.keys() {
        let age = people
            .get(id)
            .and_then(|p| age_on(p.birth.as_deref(), as_of));
        counts[age_band(age)] += 1;
        if let Some(a) = age {
            sum += a;
            known += 1;
        }
    }
    let mut rows: Vec<StatRow> = AGE_BANDS
        .iter()
        .zip(counts)
        .map(|(l, n)| row(vec![text(*l), num(n)]))
        .collect();
    rows.push(total_row(vec![
        text("合计"),
        num(force.people.len() as i64),
    ]));
    let date = chinese_date(as_of);
    let average = if known > 0 {
        format!(
            "平均年龄 {:.1} 岁（{known} 人，按周岁计算至 {date}；出生年月不详的不计入）。",
            sum as f64 / known as f64
        )
    } else {
        format!("没有可计算年龄的传承人，平均年龄无法计算（计算至 {date}）。")
    };
    table(
        "inheritors_by_age",
        "代表性传承人年龄结构".into(),
        "人",
        ChartKind::Bar,
        &["年龄段", "人数"],
        rows,
        vec![
            average,
            "年龄按周岁计算，生日当天计满；出生日期只登记到年的按该年1月1日计，只登记到年月的按该月1日计。"
                .into(),
            IN_FORCE_NOTE.into(),
        ],
    )
}

fn inheritors_by_status(f: &Facts) -> StatTable {
    let mut counts = [0i64; 4];
    for r in &f.recognitions {
        if let Some(i) = RECOGNITION_STATUSES.iter().position(|s| *s == r.status) {
            counts[i] += 1;
        }
    }
    let mut rows: Vec<StatRow> = RECOGNITION_STATUSES
        .iter()
        .zip(counts)
        .map(|(l, n)| row(vec![text(*l), num(n)]))
        .collect();
    rows.push(total_row(vec![text("合计"), num(counts.iter().sum())]));
    table(
        "inheritors_by_status",
        "代表性传承人认定状态统计".into(),
        "人次",
        ChartKind::Pie,
        &["状态", "人次"],
        rows,
        vec![
            "每条认定按其最近一次状态变更计（未登记变更的为在册）；一人有多项认定的分别计。".into(),
            "只登记了去世日期、未登记“去世”状态变更的认定，仍按其最近的状态计。".into(),
        ],
    )
}

fn at_risk(
    f: &Facts,
    listed: &[&ItemFact],
    force: &InForce,
    people: &HashMap<i64, &PersonFact>,
    as_of: NaiveDate,
) -> StatTable {
    let categories: HashMap<&str, &str> = f
        .categories
        .iter()
        .map(|(c, n)| (c.as_str(), n.as_str()))
        .collect();
    let masters: HashSet<(i64, i64)> = f.masters.iter().copied().collect();
    let mut rows = Vec::new();
    for it in listed {
        let persons = force.by_item.get(&it.id).map_or(&[][..], |v| v.as_slice());
        let ages: Vec<Option<i64>> = persons
            .iter()
            .map(|id| {
                people
                    .get(id)
                    .and_then(|p| age_on(p.birth.as_deref(), as_of))
            })
            .collect();
        let has_apprentice = persons.iter().any(|p| masters.contains(&(it.id, *p)));
        let reasons = at_risk_reasons(&ages, has_apprentice, it.endangered);
        if reasons.is_empty() {
            continue;
        }
        let names = persons
            .iter()
            .zip(&ages)
            .map(|(id, age)| {
                let name = people.get(id).map_or("", |p| p.name.as_str());
                match age {
                    Some(a) => format!("{name}（{a}岁）"),
                    None => format!("{name}（年龄不详）"),
                }
            })
            .collect::<Vec<_>>()
            .join("、");
        rows.push(StatRow {
            target: item_target(&it.uid),
            ..row(vec![
                text(it.code.clone()),
                text(it.name.clone()),
                text(
                    categories
                        .get(it.category.as_str())
                        .map_or_else(|| it.category.clone(), |n| format!("{} {n}", it.category)),
                ),
                text(if names.is_empty() {
                    "无".into()
                } else {
                    names
                }),
                text(reasons.join("；")),
            ])
        });
    }
    table(
        "at_risk",
        "传承风险项目预警".into(),
        "项",
        ChartKind::List,
        &[
            "项目编号",
            "项目名称",
            "类别",
            "代表性传承人（年龄）",
            "预警原因",
        ],
        rows,
        vec![
            format!(
                "预警规则：① 认定的代表性传承人均已年满{AT_RISK_AGE}岁（年龄均已知）；② 无在册代表性传承人；③ 传承人未记录徒弟（传承谱系中没有以本项目在册传承人为师的记录）；④ 存续状况为濒危。符合任一条即列入。"
            ),
            format!(
                "年龄按周岁计算至 {}；出生日期只登记到年或年月的，按该年1月1日或该月1日计。",
                chinese_date(as_of)
            ),
            "只列在册项目；在册传承人指认定状态为“在册”或“丧失传承能力”且未登记去世日期的传承人。"
                .into(),
        ],
    )
}

const FUNDS_NOTE: &str = "计划金额为保护计划中该年度预算金额之和；实际支出按支出日期所在年度统计（可能来自其他年度的预算）；不含回收站中的项目、计划和支出。";

fn funds_by_year(f: &Facts) -> StatTable {
    let mut years: BTreeMap<i64, (i64, i64)> = BTreeMap::new();
    for m in &f.planned {
        years.entry(m.year).or_default().0 += m.fen;
    }
    for m in &f.spent {
        years.entry(m.year).or_default().1 += m.fen;
    }
    let (mut tp, mut ts) = (0, 0);
    let mut rows = Vec::new();
    for (y, (planned, spent)) in &years {
        tp += planned;
        ts += spent;
        rows.push(row(vec![
            text(format!("{y}年")),
            money(*planned),
            money(*spent),
            text(execution_rate(*planned, *spent)),
        ]));
    }
    rows.push(total_row(vec![
        text("合计"),
        money(tp),
        money(ts),
        text(execution_rate(tp, ts)),
    ]));
    table(
        "funds_by_year",
        "保护经费按年度统计".into(),
        "元",
        ChartKind::GroupedBar,
        &["年度", "计划金额", "实际支出", "执行率"],
        rows,
        vec![
            FUNDS_NOTE.into(),
            "执行率 = 实际支出 ÷ 计划金额；计划金额为 0 的年度不计算。".into(),
        ],
    )
}

fn funds_by_source(f: &Facts, year: i32) -> StatTable {
    let y = i64::from(year);
    let mut by: HashMap<&str, (i64, i64)> = HashMap::new();
    for m in f.planned.iter().filter(|m| m.year == y) {
        by.entry(m.source.as_str()).or_default().0 += m.fen;
    }
    for m in f.spent.iter().filter(|m| m.year == y) {
        by.entry(m.source.as_str()).or_default().1 += m.fen;
    }
    let (mut tp, mut ts) = (0, 0);
    let mut rows = Vec::new();
    for s in FUNDING_SOURCES {
        let (planned, spent) = by.get(s).copied().unwrap_or_default();
        tp += planned;
        ts += spent;
        rows.push(row(vec![text(s), money(planned), money(spent)]));
    }
    rows.push(total_row(vec![text("合计"), money(tp), money(ts)]));
    table(
        "funds_by_source",
        format!("{year}年保护经费按来源统计"),
        "元",
        ChartKind::GroupedBar,
        &["来源", "计划金额", "实际支出"],
        rows,
        vec![
            FUNDS_NOTE.into(),
            "实际支出按其所对应预算行的经费来源归类。".into(),
        ],
    )
}

fn funds_by_item(f: &Facts, year: i32) -> StatTable {
    let y = i64::from(year);
    let mut by: HashMap<i64, (i64, i64)> = HashMap::new();
    for m in f.planned.iter().filter(|m| m.year == y) {
        by.entry(m.item).or_default().0 += m.fen;
    }
    for m in f.spent.iter().filter(|m| m.year == y) {
        by.entry(m.item).or_default().1 += m.fen;
    }
    let (mut tp, mut ts) = (0, 0);
    let mut rows = Vec::new();
    for it in &f.items {
        let Some(&(planned, spent)) = by.get(&it.id) else {
            continue;
        };
        if planned == 0 && spent == 0 {
            continue;
        }
        tp += planned;
        ts += spent;
        rows.push(StatRow {
            target: item_target(&it.uid),
            ..row(vec![
                text(it.code.clone()),
                text(it.name.clone()),
                money(planned),
                money(spent),
            ])
        });
    }
    rows.push(total_row(vec![
        text("合计"),
        text(""),
        money(tp),
        money(ts),
    ]));
    table(
        "funds_by_item",
        format!("{year}年保护经费按项目统计"),
        "元",
        ChartKind::GroupedBar,
        &["项目编号", "项目名称", "计划金额", "实际支出"],
        rows,
        vec![
            FUNDS_NOTE.into(),
            "列出本年度有计划金额或实际支出的项目，按项目编号排列。".into(),
        ],
    )
}

fn activities_by_month(f: &Facts, p: Period<'_>) -> StatTable {
    let mut grid = [[0i64; 8]; 12];
    for a in &f.activities {
        let Some(k) = ACTIVITY_KINDS.iter().position(|k| *k == a.kind) else {
            continue;
        };
        if (1..=12).contains(&a.month) {
            grid[a.month as usize - 1][k] += a.count;
        }
    }
    let marked = feiyi_months_of_year(p.year, p.feiyi);
    let mut rows = Vec::new();
    let mut totals = [0i64; 8];
    for (m, counts) in grid.iter().enumerate() {
        let mut cells = vec![text(format!("{}月", m + 1))];
        for (k, n) in counts.iter().enumerate() {
            cells.push(num(*n));
            totals[k] += n;
        }
        cells.push(num(counts.iter().sum()));
        rows.push(StatRow {
            highlight: marked[m],
            ..row(cells)
        });
    }
    let mut cells = vec![text("合计")];
    cells.extend(totals.iter().map(|n| num(*n)));
    cells.push(num(totals.iter().sum()));
    rows.push(total_row(cells));
    let mut columns = vec!["月份"];
    columns.extend(ACTIVITY_KINDS);
    columns.push("合计");
    let mut notes = vec!["按活动开始日期所在月份统计；不含回收站中的活动。".to_string()];
    let mut spans: Vec<&FeiyiMonth> = p
        .feiyi
        .iter()
        .filter(|f| f.start.year() <= p.year && p.year <= f.end.year())
        .collect();
    spans.sort_by_key(|f| f.start);
    for m in spans {
        notes.push(format!(
            "非遗月：{}至{}（农历腊月廿三至二月初二），所在月份已标出。",
            chinese_date(m.start),
            chinese_date(m.end)
        ));
    }
    table(
        "activities_by_month",
        format!("{}年保护传承活动按月统计", p.year),
        "次",
        ChartKind::StackedBar,
        &columns,
        rows,
        notes,
    )
}

fn activities_by_kind(f: &Facts, year: i32) -> StatTable {
    let mut by: HashMap<&str, (i64, i64)> = HashMap::new();
    for a in &f.activities {
        let e = by.entry(a.kind.as_str()).or_default();
        e.0 += a.count;
        e.1 += a.participants;
    }
    let (mut tc, mut tp) = (0, 0);
    let mut rows = Vec::new();
    for k in ACTIVITY_KINDS {
        let (count, people) = by.get(k).copied().unwrap_or_default();
        tc += count;
        tp += people;
        rows.push(row(vec![text(k), num(count), num(people)]));
    }
    rows.push(total_row(vec![text("合计"), num(tc), num(tp)]));
    table(
        "activities_by_kind",
        format!("{year}年保护传承活动按类型统计"),
        "次",
        ChartKind::Pie,
        &["类型", "次数", "参与人次"],
        rows,
        vec![
            "按活动开始日期所在年度统计；不含回收站中的活动。".into(),
            "参与人次为各次活动登记的参与人数之和，未填写参与人数的按 0 计。".into(),
        ],
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_long_table_keeps_its_first_rows_and_its_total_for_the_page() {
        let numbered = |n: usize, with_total: bool| {
            let mut rows: Vec<StatRow> = (0..n)
                .map(|i| row(vec![StatCell::Number(i as f64)]))
                .collect();
            if with_total {
                rows.push(total_row(vec![StatCell::Number(-1.0)]));
            }
            table(
                "t",
                "表".into(),
                "项",
                ChartKind::List,
                &["数"],
                rows,
                vec![],
            )
        };
        let mut t = numbered(PAGE_ROWS + 37, true);
        cut_for_page(&mut t);
        assert_eq!(t.omitted, 37);
        assert_eq!(t.rows.len(), PAGE_ROWS + 1);
        assert!(t.rows.last().unwrap().total);
        assert_eq!(
            t.rows[PAGE_ROWS - 1].cells,
            vec![StatCell::Number((PAGE_ROWS - 1) as f64)]
        );
        let mut t = numbered(PAGE_ROWS + 1, false);
        cut_for_page(&mut t);
        assert_eq!((t.omitted, t.rows.len()), (1, PAGE_ROWS));
        // At the limit nothing is cut.
        let mut t = numbered(PAGE_ROWS, true);
        cut_for_page(&mut t);
        assert_eq!((t.omitted, t.rows.len()), (0, PAGE_ROWS + 1));
    }

    #[test]
    fn birth_dates_of_three_shapes() {
        assert_eq!(birth_day("1956"), Some(d(1956, 1, 1)));
        assert_eq!(birth_day("1956-06"), Some(d(1956, 6, 1)));
        assert_eq!(birth_day("1956-06-15"), Some(d(1956, 6, 15)));
        for bad in [
            "",
            "56",
            "1956-6",
            "1956-13",
            "1956-02-30",
            "一九五六",
            "1956/06/15",
        ] {
            assert_eq!(birth_day(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_birthday_itself_reaches_the_age() {
        let b = Some("1956-06-15");
        assert_eq!(age_on(b, d(2026, 6, 14)), Some(69));
        assert_eq!(age_on(b, d(2026, 6, 15)), Some(70));
        assert_eq!(age_on(b, d(2026, 6, 16)), Some(70));
        // Band edges: 79 the day before the 80th birthday, 80 on it.
        let b = Some("1946-03-01");
        assert_eq!(age_on(b, d(2026, 2, 28)), Some(79));
        assert_eq!(age_on(b, d(2026, 3, 1)), Some(80));
        // A 29 February birthday is reached on 1 March in a common year.
        let b = Some("1956-02-29");
        assert_eq!(age_on(b, d(2026, 2, 28)), Some(69));
        assert_eq!(age_on(b, d(2026, 3, 1)), Some(70));
        assert_eq!(age_on(b, d(2028, 2, 29)), Some(72));
    }

    #[test]
    fn year_only_and_year_month_births_are_the_first_day() {
        // `1956` is 1956-01-01: 70 from New Year's Day 2026.
        assert_eq!(age_on(Some("1956"), d(2025, 12, 31)), Some(69));
        assert_eq!(age_on(Some("1956"), d(2026, 1, 1)), Some(70));
        // `1956-06` is 1956-06-01.
        assert_eq!(age_on(Some("1956-06"), d(2026, 5, 31)), Some(69));
        assert_eq!(age_on(Some("1956-06"), d(2026, 6, 1)), Some(70));
    }

    #[test]
    fn unknown_unreadable_and_future_births_have_no_age() {
        assert_eq!(age_on(None, d(2026, 1, 1)), None);
        assert_eq!(age_on(Some("不详"), d(2026, 1, 1)), None);
        assert_eq!(age_on(Some("2027"), d(2026, 1, 1)), None);
        assert_eq!(age_on(Some("2026-01-01"), d(2026, 1, 1)), Some(0));
    }

    #[test]
    fn age_bands_at_their_edges() {
        let cases = [
            (Some(0), 0),
            (Some(39), 0),
            (Some(40), 1),
            (Some(49), 1),
            (Some(50), 2),
            (Some(59), 2),
            (Some(60), 3),
            (Some(69), 3),
            (Some(70), 4),
            (Some(79), 4),
            (Some(80), 5),
            (Some(104), 5),
            (None, 6),
        ];
        for (age, band) in cases {
            assert_eq!(age_band(age), band, "{age:?}");
        }
        assert_eq!(AGE_BANDS[age_band(Some(69))], "60—69岁");
        assert_eq!(AGE_BANDS[age_band(Some(70))], "70—79岁");
    }

    #[test]
    fn which_recognitions_are_in_force() {
        assert!(in_force("在册", false, "在册"));
        assert!(in_force("丧失传承能力", false, "在册"));
        assert!(!in_force("取消资格", false, "在册"));
        assert!(!in_force("去世", false, "在册"));
        assert!(!in_force("在册", true, "在册"), "a recorded death ends it");
        assert!(!in_force("在册", false, "撤销"));
        assert!(!in_force("在册", false, "合并"));
    }

    #[test]
    fn at_risk_rules_alone_and_combined() {
        let elderly = reason_all_elderly();
        assert_eq!(elderly, "认定传承人均已年满70岁");
        // No rule holds: a younger inheritor with an apprentice, not endangered.
        assert!(at_risk_reasons(&[Some(69)], true, false).is_empty());
        assert!(at_risk_reasons(&[Some(70), Some(45)], true, false).is_empty());
        // (a) alone: everyone known and 70 or older.
        assert_eq!(
            at_risk_reasons(&[Some(70)], true, false),
            vec![elderly.clone()]
        );
        assert_eq!(
            at_risk_reasons(&[Some(70), Some(91)], true, false),
            vec![elderly.clone()]
        );
        // An unknown age keeps (a) from holding.
        assert!(at_risk_reasons(&[Some(85), None], true, false).is_empty());
        // (b) alone.
        assert_eq!(
            at_risk_reasons(&[], false, false),
            vec![REASON_NO_INHERITOR]
        );
        // (c) alone.
        assert_eq!(
            at_risk_reasons(&[Some(50)], false, false),
            vec![REASON_NO_APPRENTICE]
        );
        // (d) alone.
        assert_eq!(
            at_risk_reasons(&[Some(50)], true, true),
            vec![REASON_ENDANGERED]
        );
        // Combined, in rule order.
        assert_eq!(
            at_risk_reasons(&[Some(75)], false, true),
            vec![
                elderly,
                REASON_NO_APPRENTICE.to_string(),
                REASON_ENDANGERED.to_string()
            ]
        );
        assert_eq!(
            at_risk_reasons(&[], false, true),
            vec![REASON_NO_INHERITOR, REASON_ENDANGERED]
        );
    }

    #[test]
    fn money_and_rates() {
        assert_eq!(yuan(123_456), 1234.56);
        assert_eq!(yuan(5), 0.05);
        assert_eq!(yuan(0), 0.0);
        assert_eq!(execution_rate(2_000_000, 1_700_000), "85.0%");
        assert_eq!(execution_rate(3, 1), "33.3%");
        assert_eq!(execution_rate(100, 250), "250.0%");
        assert_eq!(execution_rate(0, 100), "");
    }

    #[test]
    fn months_touched_by_a_feiyi_month() {
        // 2026: 2026-02-10 … 2026-03-20 → February and March.
        let m2026 = FeiyiMonth {
            start: d(2026, 2, 10),
            end: d(2026, 3, 20),
        };
        let marked = feiyi_months_of_year(2026, &[m2026]);
        let on: Vec<usize> = (0..12).filter(|m| marked[*m]).map(|m| m + 1).collect();
        assert_eq!(on, vec![2, 3]);
        // 2025: 2025-01-22 … 2025-03-01 → January to March.
        let m2025 = FeiyiMonth {
            start: d(2025, 1, 22),
            end: d(2025, 3, 1),
        };
        let marked = feiyi_months_of_year(2025, &[m2025]);
        let on: Vec<usize> = (0..12).filter(|m| marked[*m]).map(|m| m + 1).collect();
        assert_eq!(on, vec![1, 2, 3]);
        // One that starts in late December marks December too; another year's marks nothing.
        let late = FeiyiMonth {
            start: d(2030, 12, 28),
            end: d(2031, 2, 5),
        };
        assert!(feiyi_months_of_year(2030, &[late])[11]);
        assert_eq!(feiyi_months_of_year(2029, &[late]), [false; 12]);
    }

    #[test]
    fn the_district_part_of_a_title() {
        assert_eq!(
            district_of("台儿庄区非物质文化遗产代表性项目名录"),
            "台儿庄区"
        );
        assert_eq!(district_of("枣庄市台儿庄区非遗名录"), "枣庄市台儿庄区");
        assert_eq!(district_of("某某县非遗名录"), "某某县");
        assert_eq!(district_of("枣庄市非遗名录"), "枣庄市");
        assert_eq!(district_of("示例名录（虚构数据，仅供演示）"), "台儿庄区");
        assert_eq!(district_of("区"), "台儿庄区");
        assert_eq!(district_of(""), "台儿庄区");
    }

    fn facts() -> Facts {
        let item = |id: i64, code: &str, status: &str, batch: Option<i64>, rank: i64| ItemFact {
            id,
            uid: format!("u{id}"),
            code: code.into(),
            name: format!("项目{id}"),
            category: "Ⅷ".into(),
            batch,
            status: status.into(),
            endangered: false,
            level_rank: rank,
        };
        Facts {
            categories: vec![
                ("Ⅰ".into(), "民间文学".into()),
                ("Ⅷ".into(), "传统技艺".into()),
            ],
            townships: vec![
                TownshipFact {
                    code: "a".into(),
                    name: "甲镇".into(),
                    active: true,
                },
                TownshipFact {
                    code: "b".into(),
                    name: "乙镇".into(),
                    active: false,
                },
            ],
            batches: vec![BatchFact {
                id: 10,
                number: 6,
                doc_number: Some("文号".into()),
                declared: Some(11),
            }],
            items: vec![
                item(1, "Ⅷ-1", "在册", Some(10), 3),
                item(2, "Ⅷ-2", "在册", None, 1),
                item(3, "Ⅷ-3", "撤销", Some(10), 4),
            ],
            item_townships: vec![(1, "a".into()), (1, "b".into()), (3, "a".into())],
            people: vec![PersonFact {
                id: 7,
                name: "某甲".into(),
                sex: Some("女".into()),
                birth: Some("1950".into()),
                dead: false,
            }],
            recognitions: vec![
                RecognitionFact {
                    person: 7,
                    item: 1,
                    level: "区级".into(),
                    status: "在册".into(),
                },
                RecognitionFact {
                    person: 7,
                    item: 3,
                    level: "国家级".into(),
                    status: "在册".into(),
                },
            ],
            ..Default::default()
        }
    }

    fn numbers(t: &StatTable) -> Vec<Vec<String>> {
        t.rows
            .iter()
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| match c {
                        StatCell::Number(n) => n.to_string(),
                        StatCell::Text(s) => s.clone(),
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn small_facts_give_the_expected_tables() {
        let f = facts();
        let p = Period {
            as_of: d(2026, 1, 1),
            year: 2026,
            feiyi: &[],
        };
        let t = tables(&f, p);
        assert_eq!(
            t.iter().map(|t| t.key.as_str()).collect::<Vec<_>>(),
            TABLE_KEYS
        );
        let by_key = |k: &str| t.iter().find(|t| t.key == k).unwrap();
        assert_eq!(
            numbers(by_key("items_by_level")),
            [
                ["国家级", "0"],
                ["省级", "1"],
                ["市级", "0"],
                ["区级", "1"],
                ["合计", "2"]
            ]
        );
        assert_eq!(
            numbers(by_key("items_by_batch")),
            [
                vec!["第六批", "文号", "11", "1"],
                vec!["未归入批次", "", "", "1"],
                vec!["合计", "", "11", "2"]
            ]
        );
        // The inactive township shows because a listed item names it; the revoked item
        // in 甲镇 does not count.
        assert_eq!(
            numbers(by_key("items_by_township")),
            [
                vec!["甲镇", "1"],
                vec!["乙镇（已停用）", "1"],
                vec!["未填写分布", "1"],
                vec!["合计", "2"]
            ]
        );
        // The 国家级 recognition is for a revoked item: not in force, so 区级.
        assert_eq!(
            numbers(by_key("inheritors_by_level")),
            [
                ["国家级", "0"],
                ["省级", "0"],
                ["市级", "0"],
                ["区级", "1"],
                ["合计", "1"]
            ]
        );
        assert_eq!(numbers(by_key("inheritors_by_age"))[4], ["70—79岁", "1"]);
        // Status counts every live recognition, of listed items or not.
        assert_eq!(numbers(by_key("inheritors_by_status"))[0], ["在册", "2"]);
        let risk = numbers(by_key("at_risk"));
        assert_eq!(risk.len(), 2);
        assert_eq!(
            risk[0],
            [
                "Ⅷ-1",
                "项目1",
                "Ⅷ 传统技艺",
                "某甲（76岁）",
                "认定传承人均已年满70岁；传承人未记录徒弟"
            ]
        );
        assert_eq!(risk[1][3], "无");
        assert_eq!(risk[1][4], "无在册代表性传承人");
        assert!(by_key("items_by_level").notes[1].contains("已撤销的 1 项"));
    }
}

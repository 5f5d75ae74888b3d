//! Statistics (统计): on the sample registry every table is recounted here from the public
//! list APIs (not by the statistics' own queries); purpose-built registries with a manual
//! clock check ages on their birthdays, each at-risk rule alone and together, money by
//! year, source and item, and the 非遗月 months; the workbook is read back.

use crate::support::{dump_tables, item, real, sample, sixth, ManualClock};
use chrono::NaiveDate;
use feiyi_core::model::*;
use feiyi_core::Registry;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::io::Read;
use std::path::Path;

// ------------------------------------------------------------------ helpers

/// A table's cells as text: numbers in Rust's shortest form (`12`, `1234.5`).
fn cells(t: &StatTable) -> Vec<Vec<String>> {
    t.rows
        .iter()
        .map(|r| {
            r.cells
                .iter()
                .map(|c| match c {
                    StatCell::Number(n) => format!("{n}"),
                    StatCell::Text(s) => s.clone(),
                })
                .collect()
        })
        .collect()
}

fn table<'a>(s: &'a Statistics, key: &str) -> &'a StatTable {
    s.tables.iter().find(|t| t.key == key).unwrap()
}

/// Rows given as string slices.
fn rows(v: &[&[&str]]) -> Vec<Vec<String>> {
    v.iter()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// 元 from fen, as [`cells`] prints numbers.
fn yuan(fen: i64) -> String {
    format!("{}", fen as f64 / 100.0)
}

fn stats(reg: &Registry, year: Option<i64>) -> Statistics {
    reg.statistics(&StatsQuery { year }).unwrap()
}

fn all_items(reg: &Registry) -> Vec<ItemRow> {
    let mut out = Vec::new();
    for page in 1.. {
        let p = reg
            .item_list(&ItemQuery {
                page: Some(page),
                page_size: Some(500),
                ..Default::default()
            })
            .unwrap();
        let n = p.rows.len();
        out.extend(p.rows);
        if n == 0 || out.len() as i64 >= p.total {
            break;
        }
    }
    out
}

fn all_people(reg: &Registry) -> Vec<InheritorDetail> {
    let mut out = Vec::new();
    for page in 1.. {
        let p = reg
            .inheritor_list(&InheritorQuery {
                page: Some(page),
                page_size: Some(500),
                ..Default::default()
            })
            .unwrap();
        let n = p.rows.len();
        for r in &p.rows {
            out.push(reg.inheritor_get(&r.id).unwrap());
        }
        if n == 0 || out.len() as i64 >= p.total {
            break;
        }
    }
    out
}

fn all_activities(reg: &Registry, year: i64) -> Vec<ActivityRow> {
    let mut out = Vec::new();
    for page in 1.. {
        let p = reg
            .activity_list(&ActivityQuery {
                year: Some(year),
                page: Some(page),
                page_size: Some(500),
                ..Default::default()
            })
            .unwrap();
        let n = p.rows.len();
        out.extend(p.rows);
        if n == 0 || out.len() as i64 >= p.total {
            break;
        }
    }
    out
}

/// Age by chrono's own `years_since`, a birth of `YYYY` or `YYYY-MM` taken as its first day.
fn age(birth: Option<&str>, today: NaiveDate) -> Option<i64> {
    let b = birth?;
    let full = match b.len() {
        4 => format!("{b}-01-01"),
        7 => format!("{b}-01"),
        _ => b.to_string(),
    };
    let d = NaiveDate::parse_from_str(&full, "%Y-%m-%d").ok()?;
    today.years_since(d).map(i64::from)
}

const LEVELS_HIGH_FIRST: [&str; 4] = ["国家级", "省级", "市级", "区级"];
const BANDS: [(&str, i64, i64); 6] = [
    ("40岁以下", 0, 39),
    ("40—49岁", 40, 49),
    ("50—59岁", 50, 59),
    ("60—69岁", 60, 69),
    ("70—79岁", 70, 79),
    ("80岁及以上", 80, 200),
];

// ------------------------------------------------------- the sample, recounted

/// (year, funding source, item id, fen) of a budget line or an expenditure.
type Money = (i64, String, String, i64);

/// Every table of `reg`'s statistics for `year`, recounted from the list APIs.
fn recount(reg: &Registry, year: i64) -> BTreeMap<&'static str, Vec<Vec<String>>> {
    let s = stats(reg, Some(year));
    let today = NaiveDate::parse_from_str(&s.as_of, "%Y-%m-%d").unwrap();
    let items = all_items(reg);
    let listed: Vec<&ItemRow> = items.iter().filter(|i| i.status == "在册").collect();
    let listed_ids: HashSet<&str> = listed.iter().map(|i| i.id.as_str()).collect();
    let refdata = reg.reference_data().unwrap();
    let mut out = BTreeMap::new();
    let n = |x: usize| x.to_string();

    // Items by level, batch, category and township.
    let mut t = Vec::new();
    for l in LEVELS_HIGH_FIRST {
        t.push(vec![
            l.into(),
            n(listed.iter().filter(|i| i.level == l).count()),
        ]);
    }
    t.push(vec!["合计".into(), n(listed.len())]);
    out.insert("items_by_level", t);

    let mut t = Vec::new();
    let batches = reg.batch_list(false).unwrap();
    for b in &batches {
        t.push(vec![
            b.label.clone(),
            b.doc_number.clone().unwrap_or_default(),
            b.declared_count.map(|d| d.to_string()).unwrap_or_default(),
            n(listed
                .iter()
                .filter(|i| i.batch_number == Some(b.number))
                .count()),
        ]);
    }
    let without = listed.iter().filter(|i| i.batch_number.is_none()).count();
    if without > 0 {
        t.push(vec!["未归入批次".into(), "".into(), "".into(), n(without)]);
    }
    let declared: i64 = batches.iter().filter_map(|b| b.declared_count).sum();
    t.push(vec![
        "合计".into(),
        "".into(),
        declared.to_string(),
        n(listed.len()),
    ]);
    out.insert("items_by_batch", t);

    let mut t = Vec::new();
    for c in &refdata.categories {
        t.push(vec![
            format!("{} {}", c.code, c.name),
            n(listed.iter().filter(|i| i.category == c.code).count()),
        ]);
    }
    t.push(vec!["合计".into(), n(listed.len())]);
    out.insert("items_by_category", t);

    let mut t = Vec::new();
    let towns_of = |i: &ItemRow| -> Vec<String> {
        i.townships
            .split('、')
            .filter(|s| !s.is_empty())
            .map(String::from)
            .collect()
    };
    for town in &refdata.townships {
        t.push(vec![
            town.name.clone(),
            n(listed
                .iter()
                .filter(|i| towns_of(i).contains(&town.name))
                .count()),
        ]);
    }
    let nowhere = listed.iter().filter(|i| towns_of(i).is_empty()).count();
    if nowhere > 0 {
        t.push(vec!["未填写分布".into(), n(nowhere)]);
    }
    t.push(vec!["合计".into(), n(listed.len())]);
    out.insert("items_by_township", t);

    // Inheritors: who is in force, at which level, sex, age; recognitions by status.
    let people = all_people(reg);
    let live_items: HashSet<&str> = items.iter().map(|i| i.id.as_str()).collect();
    let mut force: BTreeMap<String, (usize, &InheritorDetail)> = BTreeMap::new();
    let mut by_item: HashMap<String, Vec<&InheritorDetail>> = HashMap::new();
    let mut status_counts: BTreeMap<String, usize> = BTreeMap::new();
    for p in &people {
        for r in &p.recognitions {
            if !live_items.contains(r.item_id.as_str()) {
                continue;
            }
            *status_counts.entry(r.status.clone()).or_default() += 1;
            let in_force = (r.status == "在册" || r.status == "丧失传承能力")
                && p.fields.death_date.is_none()
                && listed_ids.contains(r.item_id.as_str());
            if in_force {
                let rank = 4 - LEVELS_HIGH_FIRST
                    .iter()
                    .position(|l| *l == r.level)
                    .unwrap();
                let e = force.entry(p.id.clone()).or_insert((rank, p));
                e.0 = e.0.max(rank);
                let v = by_item.entry(r.item_id.clone()).or_default();
                if !v.iter().any(|q| q.id == p.id) {
                    v.push(p);
                }
            }
        }
    }
    let mut t = Vec::new();
    for (i, l) in LEVELS_HIGH_FIRST.iter().enumerate() {
        t.push(vec![
            l.to_string(),
            n(force.values().filter(|(r, _)| *r == 4 - i).count()),
        ]);
    }
    t.push(vec!["合计".into(), n(force.len())]);
    out.insert("inheritors_by_level", t);

    let sex = |s: Option<&str>| {
        force
            .values()
            .filter(|(_, p)| p.fields.sex.as_deref() == s)
            .count()
    };
    out.insert(
        "inheritors_by_sex",
        vec![
            vec!["男".into(), n(sex(Some("男")))],
            vec!["女".into(), n(sex(Some("女")))],
            vec!["未填写".into(), n(sex(None))],
            vec!["合计".into(), n(force.len())],
        ],
    );

    let ages: Vec<Option<i64>> = force
        .values()
        .map(|(_, p)| age(p.fields.birth_date.as_deref(), today))
        .collect();
    let mut t = Vec::new();
    for (label, lo, hi) in BANDS {
        t.push(vec![
            label.into(),
            n(ages
                .iter()
                .filter(|a| a.is_some_and(|a| a >= lo && a <= hi))
                .count()),
        ]);
    }
    t.push(vec![
        "出生年月不详".into(),
        n(ages.iter().filter(|a| a.is_none()).count()),
    ]);
    t.push(vec!["合计".into(), n(force.len())]);
    out.insert("inheritors_by_age", t);

    let mut t = Vec::new();
    for st in ["在册", "丧失传承能力", "取消资格", "去世"] {
        t.push(vec![
            st.into(),
            n(status_counts.get(st).copied().unwrap_or(0)),
        ]);
    }
    t.push(vec!["合计".into(), n(status_counts.values().sum())]);
    out.insert("inheritors_by_status", t);

    // At risk, item by item in code order.
    let mut t = Vec::new();
    for it in &listed {
        let persons = by_item.get(&it.id).cloned().unwrap_or_default();
        let ages: Vec<Option<i64>> = persons
            .iter()
            .map(|p| age(p.fields.birth_date.as_deref(), today))
            .collect();
        let lineage = reg.lineage_get(&it.id).unwrap();
        let live_people: HashSet<&str> = people.iter().map(|p| p.id.as_str()).collect();
        let taught = lineage.edges.iter().any(|e| {
            persons.iter().any(|p| p.id == e.master_id)
                && live_people.contains(e.apprentice_id.as_str())
        });
        let mut reasons = Vec::new();
        if !ages.is_empty() && ages.iter().all(|a| a.is_some_and(|a| a >= 70)) {
            reasons.push("认定传承人均已年满70岁");
        }
        if persons.is_empty() {
            reasons.push("无在册代表性传承人");
        } else if !taught {
            reasons.push("传承人未记录徒弟");
        }
        if it.endangered {
            reasons.push("存续状况为濒危");
        }
        if reasons.is_empty() {
            continue;
        }
        let names: Vec<String> = persons
            .iter()
            .zip(&ages)
            .map(|(p, a)| match a {
                Some(a) => format!("{}（{a}岁）", p.fields.name),
                None => format!("{}（年龄不详）", p.fields.name),
            })
            .collect();
        t.push(vec![
            it.code.clone(),
            it.name.clone(),
            format!("{} {}", it.category, it.category_name),
            if names.is_empty() {
                "无".into()
            } else {
                names.join("、")
            },
            reasons.join("；"),
        ]);
    }
    out.insert("at_risk", t);

    // Money: every budget line and live expenditure of every live plan.
    let mut planned: Vec<Money> = Vec::new();
    let mut spent: Vec<Money> = Vec::new();
    let plans = reg
        .plan_list(&PlanQuery {
            page_size: Some(500),
            ..Default::default()
        })
        .unwrap();
    assert!(plans.total <= 500, "every plan on one page");
    for row in plans.rows {
        let plan = reg.plan_get(&row.id).unwrap();
        let mut source_of = HashMap::new();
        for l in &plan.fields.budget {
            source_of.insert(l.id.clone().unwrap(), l.source.clone());
            planned.push((l.year, l.source.clone(), row.item_id.clone(), l.amount_fen));
        }
        for x in &plan.expenditures {
            let y: i64 = x.spent_on[..4].parse().unwrap();
            spent.push((
                y,
                source_of[&x.budget_line_id].clone(),
                row.item_id.clone(),
                x.amount_fen,
            ));
        }
    }
    let sum = |v: &[Money], f: &dyn Fn(&Money) -> bool| {
        v.iter().filter(|m| f(m)).map(|m| m.3).sum::<i64>()
    };
    let rate = |p: i64, s: i64| {
        if p == 0 {
            String::new()
        } else {
            format!("{:.1}%", s as f64 / p as f64 * 100.0)
        }
    };
    let years: BTreeSet<i64> = planned.iter().chain(&spent).map(|m| m.0).collect();
    let mut t = Vec::new();
    for y in &years {
        let (p, s) = (sum(&planned, &|m| m.0 == *y), sum(&spent, &|m| m.0 == *y));
        t.push(vec![format!("{y}年"), yuan(p), yuan(s), rate(p, s)]);
    }
    let (p, s) = (sum(&planned, &|_| true), sum(&spent, &|_| true));
    t.push(vec!["合计".into(), yuan(p), yuan(s), rate(p, s)]);
    out.insert("funds_by_year", t);

    let mut t = Vec::new();
    for src in ["区级财政", "配套", "自筹", "其他"] {
        t.push(vec![
            src.into(),
            yuan(sum(&planned, &|m| m.0 == year && m.1 == src)),
            yuan(sum(&spent, &|m| m.0 == year && m.1 == src)),
        ]);
    }
    let (p, s) = (
        sum(&planned, &|m| m.0 == year),
        sum(&spent, &|m| m.0 == year),
    );
    t.push(vec!["合计".into(), yuan(p), yuan(s)]);
    out.insert("funds_by_source", t);

    let mut t = Vec::new();
    for it in &items {
        let p = sum(&planned, &|m| m.0 == year && m.2 == it.id);
        let s = sum(&spent, &|m| m.0 == year && m.2 == it.id);
        if p + s > 0 {
            t.push(vec![it.code.clone(), it.name.clone(), yuan(p), yuan(s)]);
        }
    }
    let (p, s) = (
        sum(&planned, &|m| m.0 == year),
        sum(&spent, &|m| m.0 == year),
    );
    t.push(vec!["合计".into(), "".into(), yuan(p), yuan(s)]);
    out.insert("funds_by_item", t);

    // Activities of the year by month and kind.
    let acts = all_activities(reg, year);
    assert!(acts
        .iter()
        .all(|a| a.started_on.starts_with(&year.to_string())));
    let mut t = Vec::new();
    for m in 1..=12u32 {
        let in_month: Vec<&ActivityRow> = acts
            .iter()
            .filter(|a| a.started_on[5..7].parse::<u32>().unwrap() == m)
            .collect();
        let mut r = vec![format!("{m}月")];
        for k in ACTIVITY_KINDS {
            r.push(n(in_month.iter().filter(|a| a.kind == k).count()));
        }
        r.push(n(in_month.len()));
        t.push(r);
    }
    let mut r = vec!["合计".to_string()];
    for k in ACTIVITY_KINDS {
        r.push(n(acts.iter().filter(|a| a.kind == k).count()));
    }
    r.push(n(acts.len()));
    t.push(r);
    out.insert("activities_by_month", t);

    let mut t = Vec::new();
    for k in ACTIVITY_KINDS {
        let of: Vec<&ActivityRow> = acts.iter().filter(|a| a.kind == k).collect();
        t.push(vec![
            k.into(),
            n(of.len()),
            of.iter()
                .map(|a| a.participants.unwrap_or(0))
                .sum::<i64>()
                .to_string(),
        ]);
    }
    t.push(vec![
        "合计".into(),
        n(acts.len()),
        acts.iter()
            .map(|a| a.participants.unwrap_or(0))
            .sum::<i64>()
            .to_string(),
    ]);
    out.insert("activities_by_kind", t);
    out
}

#[test]
fn the_page_version_of_a_short_register_is_the_whole() {
    // Long tables are cut for the page (unit test `a_long_table_keeps_its_first_rows…`);
    // a district's tables are all short, so the page shows exactly what the exports hold.
    let reg = sample();
    let q = StatsQuery { year: Some(2026) };
    let page = reg.statistics_page(&q).unwrap();
    assert_eq!(page, reg.statistics(&q).unwrap());
    assert!(page.tables.iter().all(|t| t.omitted == 0));
}

#[test]
fn sample_tables_agree_with_a_recount_from_the_lists() {
    let reg = sample();
    for year in [2025, 2026] {
        let s = stats(&reg, Some(year));
        assert_eq!(s.as_of, "2026-11-28");
        assert_eq!(s.year, year);
        let keys: Vec<&str> = s.tables.iter().map(|t| t.key.as_str()).collect();
        assert_eq!(
            keys,
            [
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
            ]
        );
        let expected = recount(&reg, year);
        assert_eq!(expected.len(), 14);
        for t in &s.tables {
            assert_eq!(cells(t), expected[t.key.as_str()], "{year} {}", t.key);
            // Only the last row of a counted table is the 合计, and at_risk has none.
            let totals: Vec<bool> = t.rows.iter().map(|r| r.total).collect();
            if t.key == "at_risk" {
                assert!(totals.iter().all(|t| !t));
            } else {
                assert_eq!(totals.iter().filter(|t| **t).count(), 1, "{}", t.key);
                assert!(totals.last().unwrap(), "{}", t.key);
                assert_eq!(
                    t.rows.last().unwrap().cells[0],
                    StatCell::Text("合计".into())
                );
            }
            assert!(t.rows.iter().all(|r| r.cells.len() == t.columns.len()));
            assert!(!t.notes.is_empty(), "{}", t.key);
        }
    }
    // The sample's own facts, stated by hand (data/sample/sample-registry.json): 12 items
    // (one 市级), three people in force (吴渔歌 市级, 79; 柳春生 68; 何秀英 57), the dead
    // 柳长青 and 周小满 without a recognition left out; 2026 money of the one plan.
    let s = stats(&reg, None);
    assert_eq!(s.year, 2026);
    assert_eq!(cells(table(&s, "items_by_level"))[2], ["市级", "1"]);
    assert_eq!(cells(table(&s, "items_by_level"))[4], ["合计", "12"]);
    assert_eq!(
        cells(table(&s, "inheritors_by_level")),
        rows(&[
            &["国家级", "0"],
            &["省级", "0"],
            &["市级", "1"],
            &["区级", "2"],
            &["合计", "3"]
        ])
    );
    assert!(table(&s, "inheritors_by_age").notes[0].contains("平均年龄 68.0 岁"));
    assert_eq!(
        cells(table(&s, "funds_by_year")),
        rows(&[
            &["2026年", "25000", "18500", "74.0%"],
            &["2027年", "50000", "0", "0.0%"],
            &["合计", "75000", "18500", "24.7%"]
        ])
    );
    let month = s.feiyi_month.clone().unwrap();
    assert_eq!(
        (month.start.as_str(), month.end.as_str()),
        ("2026-02-10", "2026-03-20")
    );
}

// ---------------------------------------------------------- ages and people

fn person(reg: &mut Registry, name: &str, sex: Option<&str>, birth: Option<&str>) -> String {
    reg.inheritor_save(InheritorInput {
        name: name.into(),
        sex: sex.map(String::from),
        birth_date: birth.map(String::from),
        ..Default::default()
    })
    .unwrap()
    .id
}

fn recognise(reg: &mut Registry, who: &str, what: &str, level: &str) -> String {
    reg.recognition_save(RecognitionInput {
        inheritor_id: who.into(),
        item_id: what.into(),
        level: level.into(),
        ..Default::default()
    })
    .unwrap()
    .id
}

fn event(reg: &mut Registry, recognition: &str, status: &str, on: &str) {
    reg.recognition_event_add(RecognitionEventInput {
        recognition_id: recognition.into(),
        status: status.into(),
        occurred_on: on.into(),
        ground: Some("测试依据".into()),
        ..Default::default()
    })
    .unwrap();
}

fn add_item(reg: &mut Registry, name: &str, category: &str) -> String {
    reg.item_save(item(name, category, None)).unwrap().id
}

#[test]
fn ages_count_to_beijing_today_and_the_birthday_reaches_the_band() {
    // 2026-06-14 12:00 in Beijing.
    let clock = ManualClock::at("2026-06-14T04:00:00Z");
    let mut reg = Registry::in_memory(RegistryKind::Real, clock.clock()).unwrap();
    let it = add_item(&mut reg, "测试项目甲", "Ⅷ");
    let other = add_item(&mut reg, "测试项目乙", "Ⅶ");
    let a = person(&mut reg, "甲", Some("男"), Some("1956-06-15")); // 69 → 70
    let b = person(&mut reg, "乙", Some("女"), Some("1946-06-15")); // 79 → 80
    let c = person(&mut reg, "丙", Some("男"), Some("1956")); // 70 (1 January)
    let d = person(&mut reg, "丁", None, Some("1976-06")); // 50 (1 June)
    let e = person(&mut reg, "戊", Some("女"), None); // unknown
    let dead = person(&mut reg, "己", Some("男"), Some("1990"));
    let cancelled = person(&mut reg, "庚", Some("男"), Some("1991"));
    let lost = person(&mut reg, "辛", Some("女"), Some("1985-06-15")); // 40 → 41, in force
    let binned = person(&mut reg, "壬", Some("男"), Some("1992"));
    let back = person(&mut reg, "癸", Some("男"), Some("1980-01-01")); // 46, in force again
    let same_day = person(&mut reg, "子", Some("女"), Some("1960")); // 去世 after 丧失, same day
    for p in [
        &a, &c, &d, &e, &dead, &cancelled, &lost, &binned, &back, &same_day,
    ] {
        recognise(&mut reg, p, &it, "区级");
    }
    recognise(&mut reg, &b, &it, "区级");
    recognise(&mut reg, &b, &other, "市级"); // counted once, at 市级
                                             // 己: death date recorded (and the 去世 event); 庚: 取消资格; 辛: 丧失传承能力 (still in force).
    let mut dead_input = reg.inheritor_get(&dead).unwrap().fields;
    dead_input.id = Some(dead.clone());
    dead_input.death_date = Some("2025-01-02".into());
    reg.inheritor_save(dead_input).unwrap();
    let r_dead = reg.inheritor_get(&dead).unwrap().recognitions[0].id.clone();
    event(&mut reg, &r_dead, "去世", "2025-01-02");
    let r_cancel = reg.inheritor_get(&cancelled).unwrap().recognitions[0]
        .id
        .clone();
    event(&mut reg, &r_cancel, "取消资格", "2025-03-01");
    let r_lost = reg.inheritor_get(&lost).unwrap().recognitions[0].id.clone();
    event(&mut reg, &r_lost, "丧失传承能力", "2025-04-01");
    reg.inheritor_delete(&binned, "测试删除").unwrap();
    // The latest event wins: by date, and on the same date the one recorded last.
    let r_back = reg.inheritor_get(&back).unwrap().recognitions[0].id.clone();
    event(&mut reg, &r_back, "丧失传承能力", "2025-04-01");
    event(&mut reg, &r_back, "在册", "2025-09-01");
    let r_same = reg.inheritor_get(&same_day).unwrap().recognitions[0]
        .id
        .clone();
    event(&mut reg, &r_same, "丧失传承能力", "2025-05-01");
    event(&mut reg, &r_same, "去世", "2025-05-01");

    // In force: 甲 乙 丙 丁 戊 辛 癸 = 7 people.
    let day1 = stats(&reg, None);
    assert_eq!(day1.as_of, "2026-06-14");
    assert_eq!(
        cells(table(&day1, "inheritors_by_age")),
        rows(&[
            &["40岁以下", "0"],
            &["40—49岁", "2"], // 辛 40, 癸 46
            &["50—59岁", "1"], // 丁 50
            &["60—69岁", "1"], // 甲 69
            &["70—79岁", "2"], // 乙 79, 丙 70
            &["80岁及以上", "0"],
            &["出生年月不详", "1"], // 戊
            &["合计", "7"]
        ])
    );
    // (40 + 46 + 50 + 69 + 79 + 70) / 6 = 59.0
    assert!(
        table(&day1, "inheritors_by_age").notes[0].contains("平均年龄 59.0 岁（6 人"),
        "{:?}",
        table(&day1, "inheritors_by_age").notes
    );
    assert!(table(&day1, "inheritors_by_age").notes[0].contains("2026年6月14日"));
    assert_eq!(
        cells(table(&day1, "inheritors_by_level")),
        rows(&[
            &["国家级", "0"],
            &["省级", "0"],
            &["市级", "1"],
            &["区级", "6"],
            &["合计", "7"]
        ])
    );
    assert_eq!(
        cells(table(&day1, "inheritors_by_sex")),
        rows(&[&["男", "3"], &["女", "3"], &["未填写", "1"], &["合计", "7"]])
    );
    // Every live recognition of live people: 12 made, 壬's is in the bin → 11.
    assert_eq!(
        cells(table(&day1, "inheritors_by_status")),
        rows(&[
            &["在册", "7"],
            &["丧失传承能力", "1"],
            &["取消资格", "1"],
            &["去世", "2"],
            &["合计", "11"]
        ])
    );

    // 16:30 UTC is 00:30 on the 15th in Beijing: the birthdays have come.
    clock.advance(chrono::Duration::minutes(12 * 60 + 30));
    let day2 = stats(&reg, None);
    assert_eq!(day2.as_of, "2026-06-15");
    assert_eq!(
        cells(table(&day2, "inheritors_by_age")),
        rows(&[
            &["40岁以下", "0"],
            &["40—49岁", "2"], // 辛 41, 癸 46
            &["50—59岁", "1"], // 丁 50
            &["60—69岁", "0"],
            &["70—79岁", "2"],    // 甲 70, 丙 70
            &["80岁及以上", "1"], // 乙 80
            &["出生年月不详", "1"],
            &["合计", "7"]
        ])
    );
    // (41 + 46 + 50 + 70 + 80 + 70) / 6 = 59.5
    assert!(table(&day2, "inheritors_by_age").notes[0].contains("平均年龄 59.5 岁"));
}

// ------------------------------------------------------------------ at risk

#[test]
fn each_at_risk_rule_alone_together_and_not_at_all() {
    let clock = ManualClock::at("2026-06-14T04:00:00Z");
    let mut reg = Registry::in_memory(RegistryKind::Real, clock.clock()).unwrap();
    let old = |reg: &mut Registry, n: &str| person(reg, n, Some("男"), Some("1950-01-01")); // 76
    let young = |reg: &mut Registry, n: &str| person(reg, n, Some("女"), Some("1976-01-01")); // 50
    let pupil = |reg: &mut Registry, n: &str| person(reg, n, None, None);
    let edge = |reg: &mut Registry, it: &str, m: &str, a: &str| {
        reg.lineage_edge_save(LineageEdge {
            item_id: it.into(),
            master_id: m.into(),
            apprentice_id: a.into(),
            kind: "师徒".into(),
            ..Default::default()
        })
        .unwrap();
    };
    // Ⅰ-1 (a) alone: one inheritor of 76 with an apprentice.
    let i1 = add_item(&mut reg, "规则一", "Ⅰ");
    let p = old(&mut reg, "老甲");
    recognise(&mut reg, &p, &i1, "区级");
    let s = pupil(&mut reg, "徒甲");
    edge(&mut reg, &i1, &p, &s);
    // Ⅰ-2 (b) alone: nobody.
    let i2 = add_item(&mut reg, "规则二", "Ⅰ");
    // Ⅰ-3 (c) alone: a younger inheritor without an apprentice.
    let i3 = add_item(&mut reg, "规则三", "Ⅰ");
    let p = young(&mut reg, "少丙");
    recognise(&mut reg, &p, &i3, "区级");
    // Ⅰ-4 (d) alone: endangered, a younger inheritor with an apprentice.
    let mut input = item("规则四", "Ⅰ", None);
    input.endangered = true;
    let i4 = reg.item_save(input).unwrap().id;
    let p = young(&mut reg, "少丁");
    recognise(&mut reg, &p, &i4, "区级");
    let s = pupil(&mut reg, "徒丁");
    edge(&mut reg, &i4, &p, &s);
    // Ⅰ-5 (a)+(c)+(d): endangered, one old inheritor without an apprentice.
    let mut input = item("规则合并", "Ⅰ", None);
    input.endangered = true;
    let i5 = reg.item_save(input).unwrap().id;
    let p = old(&mut reg, "老戊");
    recognise(&mut reg, &p, &i5, "区级");
    // Ⅰ-6 none: an old and a young inheritor, the young one teaching.
    let i6 = add_item(&mut reg, "无预警", "Ⅰ");
    let p_old = old(&mut reg, "老己");
    let p_young = young(&mut reg, "少己");
    recognise(&mut reg, &p_old, &i6, "区级");
    recognise(&mut reg, &p_young, &i6, "市级");
    let s = pupil(&mut reg, "徒己");
    edge(&mut reg, &i6, &p_young, &s);
    // Ⅰ-7 none: an old inheritor and one of unknown age, with an apprentice.
    let i7 = add_item(&mut reg, "年龄不详", "Ⅰ");
    let p_old = old(&mut reg, "老庚");
    let p_unknown = pupil(&mut reg, "庚某");
    recognise(&mut reg, &p_old, &i7, "区级");
    recognise(&mut reg, &p_unknown, &i7, "区级");
    let s = pupil(&mut reg, "徒庚");
    edge(&mut reg, &i7, &p_old, &s);
    // Ⅰ-8 (c): the only apprentice is in the recycle bin.
    let i8 = add_item(&mut reg, "徒弟已删", "Ⅰ");
    let p = young(&mut reg, "少辛");
    recognise(&mut reg, &p, &i8, "区级");
    let s = pupil(&mut reg, "徒辛");
    edge(&mut reg, &i8, &p, &s);
    reg.inheritor_delete(&s, "测试").unwrap();
    // Ⅰ-9 (b): its only inheritor was disqualified.
    let i9 = add_item(&mut reg, "已取消资格", "Ⅰ");
    let p = young(&mut reg, "少壬");
    let r = recognise(&mut reg, &p, &i9, "区级");
    event(&mut reg, &r, "取消资格", "2026-01-05");
    // Ⅰ-10: revoked, not listed: no row although nobody holds it.
    let mut input = item("已撤销", "Ⅰ", None);
    input.status = Some("撤销".into());
    reg.item_save(input).unwrap();
    // Ⅰ-11: in the bin.
    let gone = add_item(&mut reg, "已删除", "Ⅰ");
    reg.item_delete(&gone, "测试").unwrap();

    let s = stats(&reg, None);
    let t = table(&s, "at_risk");
    assert_eq!(t.chart, ChartKind::List);
    assert_eq!(
        cells(t),
        rows(&[
            &[
                "Ⅰ-1",
                "规则一",
                "Ⅰ 民间文学",
                "老甲（76岁）",
                "认定传承人均已年满70岁"
            ],
            &["Ⅰ-2", "规则二", "Ⅰ 民间文学", "无", "无在册代表性传承人"],
            &[
                "Ⅰ-3",
                "规则三",
                "Ⅰ 民间文学",
                "少丙（50岁）",
                "传承人未记录徒弟"
            ],
            &[
                "Ⅰ-4",
                "规则四",
                "Ⅰ 民间文学",
                "少丁（50岁）",
                "存续状况为濒危"
            ],
            &[
                "Ⅰ-5",
                "规则合并",
                "Ⅰ 民间文学",
                "老戊（76岁）",
                "认定传承人均已年满70岁；传承人未记录徒弟；存续状况为濒危"
            ],
            &[
                "Ⅰ-8",
                "徒弟已删",
                "Ⅰ 民间文学",
                "少辛（50岁）",
                "传承人未记录徒弟"
            ],
            &[
                "Ⅰ-9",
                "已取消资格",
                "Ⅰ 民间文学",
                "无",
                "无在册代表性传承人"
            ],
        ])
    );
    let ids: Vec<&str> = t
        .rows
        .iter()
        .map(|r| r.target.as_ref().unwrap())
        .inspect(|t| assert_eq!((t.kind.as_str(), t.field.as_ref()), ("item", None)))
        .map(|t| t.id.as_str())
        .collect();
    assert_eq!(ids, [&i1, &i2, &i3, &i4, &i5, &i8, &i9].map(String::as_str));
    // The level table sees 少己 at 市级 and the revoked item is left out and said so.
    let levels = table(&s, "items_by_level");
    assert_eq!(cells(levels).last().unwrap(), &["合计", "9"]);
    assert!(levels.notes.iter().any(|n| n.contains("已撤销的 1 项")));
}

// ------------------------------------------------------------ items, funds

#[test]
fn item_tables_count_listed_items_by_highest_level_batch_and_township() {
    let mut reg = real();
    let sixth = sixth(&reg);
    let listing = |level: &str| Listing {
        level: level.into(),
        ..Default::default()
    };
    let town = |code: &str| ItemTownship {
        code: code.into(),
        ..Default::default()
    };
    let mut a = item("省级项目", "Ⅲ", Some(sixth.clone()));
    a.listings = vec![listing("区级"), listing("省级")];
    a.townships = vec![town("370405001"), town("370405100")];
    reg.item_save(a).unwrap();
    let mut b = item("国家级项目", "Ⅲ", None);
    b.listings = vec![listing("国家级")];
    b.townships = vec![town("370405001")];
    reg.item_save(b).unwrap();
    reg.item_save(item("无级别记录", "Ⅹ", Some(sixth.clone())))
        .unwrap();
    let mut merged = item("已合并", "Ⅹ", Some(sixth.clone()));
    merged.status = Some("合并".into());
    merged.listings = vec![listing("国家级")];
    merged.townships = vec![town("370405100")];
    reg.item_save(merged).unwrap();

    let s = stats(&reg, None);
    assert_eq!(
        cells(table(&s, "items_by_level")),
        rows(&[
            &["国家级", "1"],
            &["省级", "1"],
            &["市级", "0"],
            &["区级", "1"],
            &["合计", "3"]
        ])
    );
    assert_eq!(
        cells(table(&s, "items_by_batch")),
        rows(&[
            &["第六批", "台政字〔2022〕33号", "11", "2"],
            &["未归入批次", "", "", "1"],
            &["合计", "", "11", "3"]
        ])
    );
    let cats = cells(table(&s, "items_by_category"));
    assert_eq!(cats.len(), 11);
    assert_eq!(cats[2], ["Ⅲ 传统舞蹈", "2"]);
    assert_eq!(cats[9], ["Ⅹ 民俗", "1"]);
    assert_eq!(cats[0], ["Ⅰ 民间文学", "0"]);
    assert_eq!(
        cells(table(&s, "items_by_township")),
        rows(&[
            &["运河街道", "2"],
            &["邳庄镇", "1"],
            &["张山子镇", "0"],
            &["泥沟镇", "0"],
            &["涧头集镇", "0"],
            &["马兰屯镇", "0"],
            &["经济开发区", "0"],
            &["未填写分布", "1"],
            &["合计", "3"]
        ])
    );
    assert!(table(&s, "items_by_township").notes[0].contains("各计一次"));
    assert!(table(&s, "items_by_level")
        .notes
        .iter()
        .any(|n| n.contains("已合并的 1 项")));
}

fn plan(reg: &mut Registry, item: &str, start: i64, budget: &[(i64, &str, i64)]) -> PlanDetail {
    reg.plan_save(PlanInput {
        item_id: item.into(),
        title: format!("保护计划{start}"),
        start_year: start,
        end_year: start + 4,
        budget_basis: Some("测算".into()),
        budget: budget
            .iter()
            .map(|&(year, source, amount_fen)| BudgetLine {
                year,
                purpose: "用途".into(),
                source: source.into(),
                amount_fen,
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
    .unwrap()
}

fn pay(reg: &mut Registry, line: &str, on: &str, fen: i64) -> String {
    let p = reg
        .expenditure_save(Expenditure {
            budget_line_id: line.into(),
            spent_on: on.into(),
            amount_fen: fen,
            ..Default::default()
        })
        .unwrap();
    p.expenditures
        .iter()
        .find(|x| x.spent_on == on && x.amount_fen == fen)
        .unwrap()
        .id
        .clone()
        .unwrap()
}

#[test]
fn funds_by_year_source_and_item_with_spending_in_another_year() {
    let mut reg = real();
    let x = add_item(&mut reg, "经费项目甲", "Ⅷ");
    let y = add_item(&mut reg, "经费项目乙", "Ⅱ");
    let z = add_item(&mut reg, "计划已删", "Ⅸ");
    let p = plan(
        &mut reg,
        &x,
        2025,
        &[
            (2025, "区级财政", 100_000),
            (2025, "自筹", 50_000),
            (2026, "配套", 200_000),
        ],
    );
    let line = |i: usize| p.fields.budget[i].id.clone().unwrap();
    pay(&mut reg, &line(0), "2025-06-01", 80_000);
    pay(&mut reg, &line(0), "2026-02-01", 15_000); // a 2025 line paid in 2026
    pay(&mut reg, &line(2), "2026-05-01", 120_000);
    let binned = pay(&mut reg, &line(2), "2026-07-01", 99_999);
    reg.expenditure_delete(&binned, "录错").unwrap();
    plan(&mut reg, &y, 2026, &[(2026, "其他", 30_050)]);
    let dropped = plan(&mut reg, &z, 2026, &[(2026, "区级财政", 777_700)]);
    reg.plan_delete(&dropped.id, "作废").unwrap();

    let s = stats(&reg, Some(2026));
    // 2025: 1500 planned, 800 spent (53.3%); 2026: 2000 + 300.50 planned, 150 + 1200 spent.
    assert_eq!(
        cells(table(&s, "funds_by_year")),
        rows(&[
            &["2025年", "1500", "800", "53.3%"],
            &["2026年", "2300.5", "1350", "58.7%"],
            &["合计", "3800.5", "2150", "56.6%"]
        ])
    );
    assert_eq!(table(&s, "funds_by_year").unit, "元");
    let by_source = table(&s, "funds_by_source");
    assert_eq!(by_source.title, "2026年保护经费按来源统计");
    assert_eq!(
        cells(by_source),
        rows(&[
            &["区级财政", "0", "150"],
            &["配套", "2000", "1200"],
            &["自筹", "0", "0"],
            &["其他", "300.5", "0"],
            &["合计", "2300.5", "1350"]
        ])
    );
    let by_item = table(&s, "funds_by_item");
    assert_eq!(by_item.title, "2026年保护经费按项目统计");
    assert_eq!(
        cells(by_item),
        rows(&[
            &["Ⅱ-1", "经费项目乙", "300.5", "0"],
            &["Ⅷ-1", "经费项目甲", "2000", "1350"],
            &["合计", "", "2300.5", "1350"]
        ])
    );
    let targets: Vec<Option<&str>> = by_item
        .rows
        .iter()
        .map(|r| r.target.as_ref().map(|t| t.id.as_str()))
        .collect();
    assert_eq!(targets, [Some(y.as_str()), Some(x.as_str()), None]);

    let s2025 = stats(&reg, Some(2025));
    assert_eq!(
        cells(table(&s2025, "funds_by_source")),
        rows(&[
            &["区级财政", "1000", "800"],
            &["配套", "0", "0"],
            &["自筹", "500", "0"],
            &["其他", "0", "0"],
            &["合计", "1500", "800"]
        ])
    );
    assert_eq!(
        cells(table(&s2025, "funds_by_item")),
        rows(&[
            &["Ⅷ-1", "经费项目甲", "1500", "800"],
            &["合计", "", "1500", "800"]
        ])
    );
    // A year without money: only the 合计 row, zeros and an empty rate.
    let s2030 = stats(&reg, Some(2030));
    assert_eq!(
        cells(table(&s2030, "funds_by_item")),
        rows(&[&["合计", "", "0", "0"]])
    );
}

// -------------------------------------------------------------- activities

fn activity(reg: &mut Registry, kind: &str, on: &str, people: Option<i64>) -> String {
    reg.activity_save(ActivityInput {
        kind: kind.into(),
        title: format!("{kind}{on}"),
        started_on: on.into(),
        participants: people,
        ..Default::default()
    })
    .unwrap()
    .id
}

#[test]
fn activities_by_month_mark_the_feiyi_month_and_by_kind_sum_participants() {
    let mut reg = real();
    activity(&mut reg, "非遗月", "2026-02-12", Some(150)); // inside 2026-02-10 … 03-20
    activity(&mut reg, "展演", "2026-02-01", Some(40)); // February, before it starts
    activity(&mut reg, "展演", "2026-03-20", None); // its last day
    activity(&mut reg, "进校园", "2026-05-20", Some(60)); // outside
    activity(&mut reg, "进校园", "2026-05-21", Some(30));
    activity(&mut reg, "其他", "2025-12-30", Some(9)); // another year
    let gone = activity(&mut reg, "培训", "2026-05-02", Some(1000));
    reg.activity_delete(&gone, "重复").unwrap();

    let s = stats(&reg, Some(2026));
    let t = table(&s, "activities_by_month");
    assert_eq!(t.title, "2026年保护传承活动按月统计");
    assert_eq!(
        t.columns,
        [
            "月份",
            "传承活动",
            "展演",
            "培训",
            "进校园",
            "展览",
            "非遗月",
            "调查",
            "其他",
            "合计"
        ]
    );
    let c = cells(t);
    assert_eq!(c[1], ["2月", "0", "1", "0", "0", "0", "1", "0", "0", "2"]);
    assert_eq!(c[2], ["3月", "0", "1", "0", "0", "0", "0", "0", "0", "1"]);
    assert_eq!(c[4], ["5月", "0", "0", "0", "2", "0", "0", "0", "0", "2"]);
    assert_eq!(c[11][9], "0");
    assert_eq!(c[12], ["合计", "0", "2", "0", "2", "0", "1", "0", "0", "5"]);
    let marked: Vec<usize> = (0..12).filter(|m| t.rows[*m].highlight).collect();
    assert_eq!(marked, [1, 2], "February and March 2026");
    assert!(!t.rows[12].highlight);
    assert!(t
        .notes
        .iter()
        .any(|n| n.contains("2026年2月10日至2026年3月20日")));
    assert_eq!(
        cells(table(&s, "activities_by_kind")),
        rows(&[
            &["传承活动", "0", "0"],
            &["展演", "2", "40"],
            &["培训", "0", "0"],
            &["进校园", "2", "90"],
            &["展览", "0", "0"],
            &["非遗月", "1", "150"],
            &["调查", "0", "0"],
            &["其他", "0", "0"],
            &["合计", "5", "280"]
        ])
    );
    // 2025's 非遗月 (2025-01-22 … 03-01) touches January to March.
    let s = stats(&reg, Some(2025));
    let t = table(&s, "activities_by_month");
    let marked: Vec<usize> = (0..12).filter(|m| t.rows[*m].highlight).collect();
    assert_eq!(marked, [0, 1, 2]);
    assert_eq!(
        cells(t)[11],
        ["12月", "0", "0", "0", "0", "0", "0", "0", "1", "1"]
    );
    assert_eq!(s.feiyi_month.unwrap().start, "2025-01-22");
}

#[test]
fn years_outside_1949_to_2100_are_refused() {
    let reg = real();
    for y in [1948, 2101, 0, -5] {
        let e = reg.statistics(&StatsQuery { year: Some(y) }).unwrap_err();
        assert_eq!(e.code(), "validation");
        assert_eq!(e.fields()[0].field, "year");
        assert!(e.fields()[0].message.contains("1949"), "{e}");
    }
    assert_eq!(stats(&reg, Some(1949)).year, 1949);
    assert_eq!(stats(&reg, Some(2100)).year, 2100);
}

// --------------------------------------------------------------------- XLSX

/// The text of one part of an XLSX package.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The `<c …>` element of cell `r` in sheet XML (`<c …>…</c>` or `<c …/>`).
fn cell_xml<'a>(sheet: &'a str, r: &str) -> &'a str {
    let rest = &sheet[sheet.find(&format!("<c r=\"{r}\"")).unwrap()..];
    let closed = rest.find("</c>").map_or(usize::MAX, |e| e + 4);
    let empty = rest.find("/>").map_or(usize::MAX, |e| e + 2);
    &rest[..closed.min(empty).min(rest.len())]
}

const DANGEROUS: &str = "=HYPERLINK(\"http://x\",\"点我\")";

#[test]
fn the_workbook_has_a_contents_sheet_then_every_table_titled_with_numbers() {
    let mut reg = sample();
    reg.item_save(item(DANGEROUS, "Ⅷ", Some(sixth(&reg))))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("2026年度工作统计表.xlsx");
    let q = StatsQuery { year: Some(2026) };
    let done = reg.stats_export_workbook(&q, &path).unwrap();
    assert!(Path::new(&done.path).is_absolute());
    assert_eq!(Path::new(&done.path), path);
    let s = stats(&reg, Some(2026));

    let book = feiyi_intake::sheet::read_file(&path).unwrap();
    let names: Vec<&str> = book.sheets.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        done.sheets.iter().map(String::as_str).collect::<Vec<_>>()
    );
    assert_eq!(names.len(), 15);
    assert_eq!(names[0], "目录");
    assert_eq!(names[1], "表1 代表性项目按级别统计");
    assert_eq!(names[11], "表11 2026年保护经费按来源统计");
    let unique: HashSet<String> = names.iter().map(|n| n.to_lowercase()).collect();
    assert_eq!(unique.len(), names.len());
    for n in &names {
        assert!(n.encode_utf16().count() <= 31, "{n}");
        assert!(!n.contains(['[', ']', ':', '*', '?', '/', '\\']), "{n}");
    }

    // 目录: title, the blank 填报单位（盖章） line, year and date, one row per sheet.
    let contents = &book.sheets[0].rows;
    assert_eq!(contents[0][0], "示例 2026年度非物质文化遗产保护工作统计表");
    assert_eq!(contents[1][0], "填报单位（盖章）：");
    assert_eq!(
        contents[2][0],
        "统计年度：2026年　　数据截至：2026年11月28日"
    );
    assert_eq!(contents[3], ["序号", "工作表", "表名", "计量单位"]);
    assert_eq!(
        contents[4],
        [
            "1",
            "表1 代表性项目按级别统计",
            "示例 代表性项目按级别统计",
            "项"
        ]
    );
    assert_eq!(contents[17][2], "示例 2026年保护传承活动按类型统计");
    assert!(contents.iter().flatten().any(|c| c.contains("虚构数据")));

    // Each table's sheet: title, unit and date, header, then exactly the table's cells.
    for (t, sheet) in s.tables.iter().zip(&book.sheets[1..]) {
        let r = &sheet.rows;
        assert_eq!(r[0][0], format!("示例 {}", t.title), "{}", t.key);
        assert_eq!(
            r[1][0],
            format!("计量单位：{}　　数据截至：2026年11月28日", t.unit)
        );
        assert_eq!(r[2], t.columns, "{}", t.key);
        for (i, want) in cells(t).iter().enumerate() {
            let mut got = r[3 + i].clone();
            got.resize(want.len(), String::new());
            let want: Vec<String> = want
                .iter()
                .map(|c| {
                    if c.starts_with('=') {
                        format!("'{c}")
                    } else {
                        c.clone()
                    }
                })
                .collect();
            assert_eq!(got, want, "{} row {i}", t.key);
        }
        let after = &r[3 + t.rows.len()..];
        for n in &t.notes {
            assert!(
                after.iter().flatten().any(|c| c.contains(n.as_str())),
                "{} note {n}",
                t.key
            );
        }
    }

    // Numbers are numbers, the 合计 row is styled apart, money has two decimals.
    let level_xml = part(&path, "xl/worksheets/sheet2.xml");
    let b4 = cell_xml(&level_xml, "B4"); // 国家级
    let b8 = cell_xml(&level_xml, "B8"); // 合计
    assert!(!b4.contains("t=\"s\"") && b8.contains("<v>13</v>"), "{b8}");
    let style = |c: &str| {
        c.split("s=\"")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap()
            .to_string()
    };
    assert_ne!(style(b4), style(b8));
    let styles = part(&path, "xl/styles.xml");
    assert!(styles.contains("#,##0.00"));
    // The dangerous name is text with an apostrophe, never a formula, in every sheet.
    let strings = part(&path, "xl/sharedStrings.xml");
    assert!(strings.contains(">'=HYPERLINK(\"http://x\",\"点我\")<"));
    assert!(!strings.contains(">=HYPERLINK"));
    for i in 1..=15 {
        let x = part(&path, &format!("xl/worksheets/sheet{i}.xml"));
        assert!(!x.contains("<f>") && !x.contains("<f "), "sheet{i}");
        assert!(x.contains("paperSize=\"9\"") && x.contains("orientation=\"landscape\""));
        assert!(x.contains("<pane "), "sheet{i} frozen header");
    }
    let workbook = part(&path, "xl/workbook.xml");
    assert_eq!(workbook.matches("_xlnm.Print_Titles").count(), 15);
}

#[test]
fn one_table_exports_alone_and_a_real_registry_titles_it_with_the_district() {
    let mut reg = real();
    let x = add_item(&mut reg, "经费项目", "Ⅷ");
    let p = plan(&mut reg, &x, 2026, &[(2026, "区级财政", 123_456)]);
    pay(
        &mut reg,
        &p.fields.budget[0].id.clone().unwrap(),
        "2026-03-01",
        100_001,
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("经费.XLSX");
    let done = reg
        .stats_export_table(&StatsQuery { year: Some(2026) }, "funds_by_year", &path)
        .unwrap();
    assert_eq!(done.sheets, ["保护经费按年度统计"]);
    let book = feiyi_intake::sheet::read_file(&path).unwrap();
    assert_eq!(book.sheets.len(), 1);
    let r = &book.sheets[0].rows;
    assert_eq!(r[0][0], "台儿庄区保护经费按年度统计");
    assert!(r[1][0].starts_with("计量单位：元　　数据截至："));
    assert_eq!(r[3], ["2026年", "1234.56", "1000.01", "81.0%"]);
    assert_eq!(r[4], ["合计", "1234.56", "1000.01", "81.0%"]);
    // An empty list prints （无） under the header.
    let empty = dir.path().join("预警.xlsx");
    real()
        .stats_export_table(&StatsQuery::default(), "at_risk", &empty)
        .unwrap();
    let rows = &feiyi_intake::sheet::read_file(&empty).unwrap().sheets[0].rows;
    assert_eq!(rows[0][0], "台儿庄区传承风险项目预警");
    assert_eq!(rows[3], ["（无）"]);
}

#[test]
fn bad_names_keys_and_years_are_refused_and_nothing_is_written() {
    let reg = sample();
    let before = dump_tables(&reg);
    let dir = tempfile::tempdir().unwrap();
    let q = StatsQuery::default();
    for name in ["统计.csv", "统计", "统计.xlsx.txt"] {
        let path = dir.path().join(name);
        let e = reg.stats_export_workbook(&q, &path).unwrap_err();
        assert_eq!(
            (e.code(), e.fields()[0].field.as_str()),
            ("validation", "path")
        );
        assert!(e.to_string().contains(".xlsx"));
        let e = reg
            .stats_export_table(&q, "items_by_level", &path)
            .unwrap_err();
        assert_eq!(e.fields()[0].field, "path");
    }
    let path = dir.path().join("统计.xlsx");
    let e = reg
        .stats_export_table(&q, "items_by_colour", &path)
        .unwrap_err();
    assert_eq!(
        (e.code(), e.fields()[0].field.as_str()),
        ("validation", "key")
    );
    assert!(e.fields()[0]
        .message
        .starts_with("没有这个统计表：items_by_colour"));
    let e = reg
        .stats_export_workbook(&StatsQuery { year: Some(1900) }, &path)
        .unwrap_err();
    assert_eq!(e.fields()[0].field, "year");
    // A folder is not a file name.
    let folder = dir.path().join("文件夹.xlsx");
    std::fs::create_dir(&folder).unwrap();
    let e = reg.stats_export_workbook(&q, &folder).unwrap_err();
    assert_eq!(e.code(), "io");
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        1,
        "only the folder"
    );
    // The registry did not change either.
    assert_eq!(dump_tables(&reg), before);
}

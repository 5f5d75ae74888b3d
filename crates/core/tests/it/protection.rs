//! Protection work: five-year plans, budget lines, expenditures, activities and 非遗月.

use crate::support::{clock, item, real};
use feiyi_core::model::*;
use feiyi_core::Registry;
use std::collections::BTreeMap;

fn count(reg: &Registry, table: &str) -> i64 {
    reg.connection()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

fn line(year: i64, source: &str, purpose: &str, yuan: i64) -> BudgetLine {
    BudgetLine {
        year,
        source: source.into(),
        purpose: purpose.into(),
        amount_fen: yuan * 100,
        justification: Some("按 2025 年实际开支测算".into()),
        ..Default::default()
    }
}

fn plan_input(item_id: &str) -> PlanInput {
    PlanInput {
        item_id: item_id.into(),
        title: "鲁南花鼓保护计划（2026—2030）".into(),
        start_year: 2026,
        end_year: 2030,
        goals: Some("建立传习所，培养传承人 10 名".into()),
        budget_basis: Some("依据《台儿庄区非遗保护专项资金管理办法》测算".into()),
        years: (2026..=2030)
            .map(|y| PlanYear {
                year: y,
                targets: Some(format!("{y} 年培养学员 2 名")),
                measures: Some("每周传习两次".into()),
                ..Default::default()
            })
            .collect(),
        budget: vec![
            line(2026, "区级财政", "传习补助", 50_000),
            line(2026, "自筹", "服装道具", 8_000),
            line(2027, "区级财政", "传习补助", 50_000),
            line(2027, "配套", "展演", 12_000),
        ],
        ..Default::default()
    }
}

/// A plan query of the first page at the default size, optionally of one item.
fn plans_of(item_id: Option<&str>, deleted: bool) -> PlanQuery {
    PlanQuery {
        item_id: item_id.map(str::to_string),
        deleted,
        ..Default::default()
    }
}

fn setup() -> (Registry, String) {
    let mut reg = real();
    let it = reg.item_save(item("鲁南花鼓", "Ⅲ", None)).unwrap();
    (reg, it.id)
}

fn spend(line_id: &str, on: &str, fen: i64) -> Expenditure {
    Expenditure {
        budget_line_id: line_id.into(),
        spent_on: on.into(),
        amount_fen: fen,
        payee: Some("花鼓传习所".into()),
        ..Default::default()
    }
}

fn line_id(d: &PlanDetail, year: i64, purpose: &str) -> String {
    d.fields
        .budget
        .iter()
        .find(|l| l.year == year && l.purpose == purpose)
        .unwrap()
        .id
        .clone()
        .unwrap()
}

fn fields_of(err: &feiyi_core::Error) -> Vec<(&str, &str)> {
    err.fields()
        .iter()
        .map(|f| (f.field.as_str(), f.message.as_str()))
        .collect()
}

#[test]
fn a_plan_covers_exactly_five_consecutive_years() {
    let (mut reg, it) = setup();
    let tables = ["protection_plan", "plan_year", "budget_line", "edit_log"];
    let before: Vec<i64> = tables.iter().map(|t| count(&reg, t)).collect();
    for end in [2029, 2031, 2026, 2025] {
        let err = reg
            .plan_save(PlanInput {
                end_year: end,
                ..plan_input(&it)
            })
            .unwrap_err();
        assert_eq!(err.code(), "validation");
        assert_eq!(
            fields_of(&err),
            vec![("endYear", "五年保护计划应覆盖连续五年（如 2026—2030）")],
            "end {end}"
        );
    }
    // Years and budget lines outside the plan, duplicates, and bad lines.
    let mut bad = plan_input(&it);
    bad.title = "  ".into();
    bad.years.push(PlanYear {
        year: 2031,
        ..Default::default()
    });
    bad.years.push(PlanYear {
        year: 2027,
        ..Default::default()
    });
    bad.budget[2].year = 2025;
    bad.budget[1].source = "省级财政".into();
    bad.budget[3].amount_fen = -1;
    bad.budget[0].purpose = " ".into();
    let err = reg.plan_save(bad).unwrap_err();
    let fields: Vec<&str> = fields_of(&err).into_iter().map(|(f, _)| f).collect();
    assert_eq!(
        fields,
        vec![
            "title",
            "years.5.year",
            "years.6.year",
            "budget.0.purpose",
            "budget.1.source",
            "budget.2.year",
            "budget.3.amountFen"
        ]
    );
    assert!(err.fields()[1].message.contains("2026—2030"));
    assert!(err.fields()[2].message.contains("重复"));
    // Unknown or deleted references.
    let err = reg
        .plan_save(PlanInput {
            unit_id: Some("no-such-unit".into()),
            ..plan_input("no-such-item")
        })
        .unwrap_err();
    assert_eq!(
        fields_of(&err),
        vec![
            ("itemId", "所选项目不存在"),
            ("unitId", "所选保护单位不存在")
        ]
    );
    let gone = reg.item_save(item("柳琴戏", "Ⅳ", None)).unwrap();
    reg.item_delete(&gone.id, "重复录入").unwrap();
    let err = reg.plan_save(plan_input(&gone.id)).unwrap_err();
    assert_eq!(fields_of(&err), vec![("itemId", "所选项目已删除")]);
    let after: Vec<i64> = tables.iter().map(|t| count(&reg, t)).collect::<Vec<_>>();
    // The item deletion above wrote two log rows (create, delete); nothing else changed.
    assert_eq!(after[..3], before[..3], "failed saves wrote nothing");
    assert_eq!(after[3], before[3] + 2);

    let saved = reg.plan_save(plan_input(&it)).unwrap();
    assert_eq!(
        (saved.fields.start_year, saved.fields.end_year),
        (2026, 2030)
    );
    assert_eq!(saved.fields.years.len(), 5);
    assert_eq!(saved.fields.budget.len(), 4);
    assert_eq!(saved.item_name, "鲁南花鼓");
    assert!(saved.warnings.is_empty(), "{:?}", saved.warnings);
    let today = clock()().format("%Y-%m-%d").to_string();
    assert!(saved.created_at.starts_with(&today), "{}", saved.created_at);
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn totals_by_year_and_source_add_up() {
    let (mut reg, it) = setup();
    let mut input = plan_input(&it);
    input.budget.push(line(2028, "其他", "资料整理", 3_333));
    input
        .budget
        .push(line(2030, "区级财政", "传承人补助", 20_000));
    let plan = reg.plan_save(input).unwrap();
    let a = line_id(&plan, 2026, "传习补助");
    let b = line_id(&plan, 2027, "展演");
    let c = line_id(&plan, 2028, "资料整理");
    reg.expenditure_save(spend(&a, "2026-03-01", 1_234_567))
        .unwrap();
    reg.expenditure_save(spend(&a, "2026-09-30", 100_001))
        .unwrap();
    reg.expenditure_save(spend(&b, "2027-05-04", 999_999))
        .unwrap();
    let voided = reg
        .expenditure_save(spend(&c, "2028-01-02", 55_500))
        .unwrap();
    let voided_id = voided.expenditures.last().unwrap().id.clone().unwrap();
    let d = reg.expenditure_delete(&voided_id, "录错金额").unwrap();
    assert_eq!(d.expenditures.len(), 3, "voided spending is not listed");

    // Expected sums, computed from the inputs alone.
    let lines: Vec<(i64, &str, i64)> = vec![
        (2026, "区级财政", 5_000_000),
        (2026, "自筹", 800_000),
        (2027, "区级财政", 5_000_000),
        (2027, "配套", 1_200_000),
        (2028, "其他", 333_300),
        (2030, "区级财政", 2_000_000),
    ];
    let spent: Vec<(i64, &str, i64)> = vec![
        (2026, "区级财政", 1_234_567),
        (2026, "区级财政", 100_001),
        (2027, "配套", 999_999),
    ];
    let mut by_year: BTreeMap<i64, (i64, i64)> = (2026..=2030).map(|y| (y, (0, 0))).collect();
    let mut by_source: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for (y, s, fen) in &lines {
        by_year.get_mut(y).unwrap().0 += fen;
        by_source.entry(s).or_default().0 += fen;
    }
    for (y, s, fen) in &spent {
        by_year.get_mut(y).unwrap().1 += fen;
        by_source.entry(s).or_default().1 += fen;
    }
    let t = &d.totals;
    assert_eq!(t.planned_fen, lines.iter().map(|l| l.2).sum::<i64>());
    assert_eq!(t.spent_fen, spent.iter().map(|l| l.2).sum::<i64>());
    assert_eq!(t.spent_fen, 2_334_567);
    let got_years: BTreeMap<i64, (i64, i64)> = t
        .by_year
        .iter()
        .map(|y| (y.year, (y.planned_fen, y.spent_fen)))
        .collect();
    assert_eq!(got_years, by_year);
    let got_sources: BTreeMap<&str, (i64, i64)> = t
        .by_source
        .iter()
        .filter(|s| s.planned_fen != 0 || s.spent_fen != 0)
        .map(|s| (s.source.as_str(), (s.planned_fen, s.spent_fen)))
        .collect();
    assert_eq!(got_sources, by_source);
    assert_eq!(
        t.by_source
            .iter()
            .map(|s| s.source.as_str())
            .collect::<Vec<_>>(),
        FUNDING_SOURCES.to_vec()
    );
    let spent_a: i64 = d
        .fields
        .budget
        .iter()
        .filter(|l| l.id.as_deref() == Some(a.as_str()))
        .map(|l| l.spent_fen)
        .sum();
    assert_eq!(spent_a, 1_334_568);
    let rows = reg.plan_list(&plans_of(Some(&it), false)).unwrap().rows;
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].planned_fen, rows[0].spent_fen),
        (14_333_300, 2_334_567)
    );
    assert!(reg
        .plan_list(&plans_of(Some("other"), false))
        .unwrap()
        .rows
        .is_empty());
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn over_spend_warning_appears_exactly_when_spending_exceeds_a_line() {
    let (mut reg, it) = setup();
    let plan = reg.plan_save(plan_input(&it)).unwrap();
    let dress = line_id(&plan, 2026, "服装道具"); // 8000.00 元
    let over = |d: &PlanDetail| {
        d.warnings
            .iter()
            .filter(|w| w.contains("超支"))
            .cloned()
            .collect::<Vec<_>>()
    };
    let d = reg
        .expenditure_save(spend(&dress, "2026-04-01", 500_000))
        .unwrap();
    assert!(over(&d).is_empty());
    let d = reg
        .expenditure_save(spend(&dress, "2026-05-01", 300_000))
        .unwrap();
    assert!(
        over(&d).is_empty(),
        "spending equal to the line is not over"
    );
    let d = reg
        .expenditure_save(spend(&dress, "2026-06-01", 1))
        .unwrap();
    let w = over(&d);
    assert_eq!(w.len(), 1, "{w:?}");
    assert!(w[0].contains("2026 自筹 服装道具"), "{w:?}");
    assert!(w[0].contains("超支 0.01 元"), "{w:?}");
    // Now the line is far over, and the year as a whole (58000.00 元) just over.
    let d = reg
        .expenditure_save(spend(&dress, "2026-07-01", 5_000_000))
        .unwrap();
    let w = over(&d);
    assert_eq!(w.len(), 2, "{w:?}");
    assert!(w[0].contains("超支 50000.01 元"), "{w:?}");
    assert!(w[1].starts_with("2026 年度支出"), "{w:?}");
    assert!(
        w[1].contains("超支 0.01 元"),
        "the year's 58000.00 元 by one fen: {w:?}"
    );
    // Void the small payments and the big one: back within the line.
    let ids: Vec<String> = d
        .expenditures
        .iter()
        .filter(|e| e.amount_fen == 1 || e.amount_fen == 5_000_000)
        .map(|e| e.id.clone().unwrap())
        .collect();
    let mut d = d;
    for id in ids {
        d = reg.expenditure_delete(&id, "退回").unwrap();
    }
    assert!(over(&d).is_empty(), "{:?}", d.warnings);
    // Changing a payment is allowed to overspend too.
    let mut e = d.expenditures[0].clone();
    e.amount_fen = 900_000;
    let d = reg.expenditure_save(e.clone()).unwrap();
    assert_eq!(over(&d).len(), 1);
    let h = reg
        .history("expenditure", e.id.as_deref().unwrap())
        .unwrap();
    assert_eq!(h[0].field.as_deref(), Some("amount"));
    assert_eq!(h[0].new_value.as_deref(), Some("9000.00 元"));
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn other_warnings_missing_basis_and_targets() {
    let (mut reg, it) = setup();
    let mut input = plan_input(&it);
    input.budget_basis = None;
    input.budget[1].justification = None;
    input.years.retain(|y| y.year != 2028);
    input.years[0].targets = None;
    let d = reg.plan_save(input).unwrap();
    assert_eq!(d.warnings.len(), 2, "{:?}", d.warnings);
    assert!(d.warnings[0].contains("经费预算缺少依据说明"));
    assert_eq!(d.warnings[1], "以下年度未填写年度目标：2026、2028");
    let mut f = d.fields.clone();
    f.budget_basis = Some("按标准测算".into());
    let d = reg.plan_save(f).unwrap();
    assert_eq!(d.warnings.len(), 1, "a basis covers lines without one");
}

#[test]
fn a_budget_line_with_expenditures_cannot_be_removed() {
    let (mut reg, it) = setup();
    let plan = reg.plan_save(plan_input(&it)).unwrap();
    let paid = line_id(&plan, 2026, "传习补助");
    let unpaid = line_id(&plan, 2027, "展演");
    reg.expenditure_save(spend(&paid, "2026-03-01", 100_000))
        .unwrap();
    let lines_before = count(&reg, "budget_line");
    let log_before = count(&reg, "edit_log");

    let mut f = reg.plan_get(&plan.id).unwrap().fields;
    f.budget.retain(|l| l.id.as_deref() != Some(paid.as_str()));
    let err = reg.plan_save(f).unwrap_err();
    assert_eq!(
        fields_of(&err),
        vec![("budget", "预算行“2026 传习补助”已有支出，不能删除")]
    );
    assert_eq!(count(&reg, "budget_line"), lines_before);
    assert_eq!(count(&reg, "edit_log"), log_before);

    // Removing the unpaid line and changing the paid one keeps the paid line's id and spending.
    let mut f = reg.plan_get(&plan.id).unwrap().fields;
    f.budget
        .retain(|l| l.id.as_deref() != Some(unpaid.as_str()));
    for l in &mut f.budget {
        if l.id.as_deref() == Some(paid.as_str()) {
            l.amount_fen = 6_000_000;
        }
    }
    f.budget.push(line(2029, "区级财政", "数字化记录", 30_000));
    let d = reg.plan_save(f).unwrap();
    assert_eq!(d.fields.budget.len(), 4);
    let kept = d
        .fields
        .budget
        .iter()
        .find(|l| l.id.as_deref() == Some(paid.as_str()))
        .unwrap();
    assert_eq!((kept.amount_fen, kept.spent_fen), (6_000_000, 100_000));
    assert!(d
        .fields
        .budget
        .iter()
        .all(|l| l.id.as_deref() != Some(unpaid.as_str())));
    // The budget change is one readable log row.
    let h = reg.history("plan", &plan.id).unwrap();
    let change = h
        .iter()
        .find(|e| e.field.as_deref() == Some("budget"))
        .unwrap();
    let new = change.new_value.as_deref().unwrap();
    assert!(new.contains("2026 区级财政 传习补助 60000.00 元"), "{new}");
    assert!(
        new.contains("2029 区级财政 数字化记录 30000.00 元"),
        "{new}"
    );
    assert!(!new.contains("展演"), "{new}");
    assert!(change
        .old_value
        .as_deref()
        .unwrap()
        .contains("2027 配套 展演 12000.00 元"));
    // A voided expenditure still blocks removal (the record is kept).
    let d = reg.plan_get(&plan.id).unwrap();
    let e = d.expenditures[0].id.clone().unwrap();
    reg.expenditure_delete(&e, "重复报销").unwrap();
    let mut f = reg.plan_get(&plan.id).unwrap().fields;
    f.budget.retain(|l| l.id.as_deref() != Some(paid.as_str()));
    assert!(reg.plan_save(f).unwrap_err().fields()[0]
        .message
        .contains("不能删除"));
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn expenditures_are_checked_against_the_plan() {
    let (mut reg, it) = setup();
    let plan = reg.plan_save(plan_input(&it)).unwrap();
    let l = line_id(&plan, 2027, "展演");
    let rows_before = count(&reg, "expenditure");
    let log_before = count(&reg, "edit_log");
    for (on, fen, field) in [
        ("2025-12-31", 100, "spentOn"),
        ("2031-01-01", 100, "spentOn"),
        ("2026-02-30", 100, "spentOn"),
        ("", 100, "spentOn"),
        ("2027-01-01", 0, "amountFen"),
        ("2027-01-01", -5, "amountFen"),
    ] {
        let err = reg.expenditure_save(spend(&l, on, fen)).unwrap_err();
        assert_eq!(fields_of(&err)[0].0, field, "{on} {fen}");
    }
    let err = reg
        .expenditure_save(spend(&l, "2025-12-31", 100))
        .unwrap_err();
    assert!(err.fields()[0].message.contains("2026—2030"));
    let err = reg
        .expenditure_save(spend("no-such-line", "2027-01-01", 100))
        .unwrap_err();
    assert_eq!(fields_of(&err), vec![("budgetLineId", "所选预算行不存在")]);
    assert_eq!(count(&reg, "expenditure"), rows_before);
    assert_eq!(count(&reg, "edit_log"), log_before);
    // Any day of the plan's years is fine, even outside the line's own year.
    reg.expenditure_save(spend(&l, "2026-01-01", 100)).unwrap();
    reg.expenditure_save(spend(&l, "2030-12-31", 100)).unwrap();
    // Plan years cannot move away from recorded spending.
    let mut f = reg.plan_get(&plan.id).unwrap().fields;
    f.start_year = 2027;
    f.end_year = 2031;
    f.years.clear();
    f.budget.retain(|b| b.year != 2026);
    let err = reg.plan_save(f).unwrap_err();
    assert_eq!(fields_of(&err)[0].0, "startYear");
    // A plan in the recycle bin takes no spending.
    reg.plan_delete(&plan.id, "计划作废").unwrap();
    let err = reg
        .expenditure_save(spend(&l, "2027-01-01", 100))
        .unwrap_err();
    assert_eq!(
        fields_of(&err),
        vec![("budgetLineId", "所属保护计划已删除")]
    );
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn plans_are_soft_deleted_and_restored_with_the_log() {
    let (mut reg, it) = setup();
    let plan = reg.plan_save(plan_input(&it)).unwrap();
    let mut f = plan.fields.clone();
    f.title = "鲁南花鼓五年保护计划".into();
    f.goals = None;
    reg.plan_save(f).unwrap();
    assert_eq!(
        reg.plan_delete(&plan.id, "  ").unwrap_err().fields()[0].field,
        "reason"
    );
    reg.plan_delete(&plan.id, "与新计划重复").unwrap();
    assert!(reg
        .plan_list(&plans_of(None, false))
        .unwrap()
        .rows
        .is_empty());
    let bin = reg.plan_list(&plans_of(None, true)).unwrap().rows;
    assert_eq!(bin.len(), 1);
    assert!(bin[0].deleted_at.is_some());
    let d = reg.plan_get(&plan.id).unwrap();
    assert_eq!(d.deleted_reason.as_deref(), Some("与新计划重复"));
    assert_eq!(
        reg.plan_save(d.fields.clone()).unwrap_err().code(),
        "deleted"
    );
    assert_eq!(
        reg.plan_delete(&plan.id, "再删").unwrap_err().code(),
        "deleted"
    );
    let d = reg.plan_restore(&plan.id).unwrap();
    assert!(d.deleted_at.is_none());
    assert_eq!(reg.plan_list(&plans_of(None, false)).unwrap().total, 1);
    let h = reg.history("plan", &plan.id).unwrap();
    let actions: Vec<(&str, Option<&str>)> = h
        .iter()
        .map(|e| (e.action.as_str(), e.field.as_deref()))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("restore", None),
            ("delete", None),
            ("update", Some("title")),
            ("update", Some("goals")),
            ("create", None)
        ]
    );
    assert_eq!(h[1].reason.as_deref(), Some("与新计划重复"));
    assert_eq!(h[2].new_value.as_deref(), Some("鲁南花鼓五年保护计划"));
    assert!(h[4].new_value.as_deref().unwrap().contains("传习补助"));
    // A plan whose item is in the bin stays in the bin.
    reg.plan_delete(&plan.id, "再删").unwrap();
    reg.item_delete(&it, "停止保护").unwrap();
    assert_eq!(reg.plan_restore(&plan.id).unwrap_err().code(), "conflict");
    assert!(reg.verify_log().unwrap().is_empty());
}

fn activity(title: &str, on: &str) -> ActivityInput {
    ActivityInput {
        kind: "展演".into(),
        title: title.into(),
        started_on: on.into(),
        ..Default::default()
    }
}

#[test]
fn activities_in_the_feiyi_month_are_tagged() {
    let mut reg = real();
    let m = reg.feiyi_month_info(2026).unwrap();
    assert_eq!(
        m,
        FeiyiMonthInfo {
            year: 2026,
            start: "2026-02-10".into(),
            end: "2026-03-20".into()
        }
    );
    assert_eq!(
        reg.feiyi_month_info(2025).unwrap(),
        FeiyiMonthInfo {
            year: 2025,
            start: "2025-01-22".into(),
            end: "2025-03-01".into()
        }
    );
    assert_eq!(
        reg.feiyi_month_info(1800).unwrap_err().fields()[0].field,
        "year"
    );
    for (on, tagged, year) in [
        ("2026-02-10", true, Some(2026)),
        ("2026-03-20", true, Some(2026)),
        ("2026-03-21", false, None),
        ("2026-02-09", false, None),
        ("2025-01-25", true, Some(2025)),
        ("2025-12-28", false, None),
    ] {
        let d = reg
            .activity_save(activity(&format!("花鼓展演 {on}"), on))
            .unwrap();
        assert_eq!(d.in_feiyi_month, tagged, "{on}");
        assert_eq!(d.feiyi_month.as_ref().map(|m| m.year), year, "{on}");
        let page = reg
            .activity_list(&ActivityQuery {
                query: Some(on.into()),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(page.rows.len(), 1, "{on}");
        assert_eq!(page.rows[0].in_feiyi_month, tagged, "{on}");
    }
    // Several days overlapping the month's start count too.
    let d = reg
        .activity_save(ActivityInput {
            ended_on: Some("2026-02-12".into()),
            ..activity("迎新春展演周", "2026-02-06")
        })
        .unwrap();
    assert!(d.in_feiyi_month);
    assert_eq!(d.feiyi_month.unwrap().start, "2026-02-10");
    let d = reg
        .activity_save(ActivityInput {
            ended_on: Some("2026-02-09".into()),
            ..activity("年前调查", "2026-01-20")
        })
        .unwrap();
    assert!(!d.in_feiyi_month);
    let tagged: Vec<bool> = reg
        .activity_list(&ActivityQuery::default())
        .unwrap()
        .rows
        .iter()
        .map(|r| r.in_feiyi_month)
        .collect();
    assert_eq!(tagged.iter().filter(|t| **t).count(), 4);
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn activities_are_searched_filtered_and_paged() {
    let mut reg = real();
    let drum = reg.item_save(item("鲁南花鼓", "Ⅲ", None)).unwrap();
    let opera = reg.item_save(item("柳琴戏", "Ⅳ", None)).unwrap();
    let a = reg
        .activity_save(ActivityInput {
            kind: "进校园".into(),
            title: "鲁南花鼓进校园".into(),
            started_on: "2026-04-15".into(),
            place: Some("运河街道实验小学".into()),
            participants: Some(320),
            description: Some("传承人为四年级学生示范花鼓基本步法".into()),
            item_ids: vec![drum.id.clone()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(a.items.len(), 1);
    assert_eq!(a.items[0].name, "鲁南花鼓");
    assert!(!a.items[0].code.is_empty());
    reg.activity_save(ActivityInput {
        kind: "培训".into(),
        title: "柳琴戏传承培训班".into(),
        started_on: "2025-07-01".into(),
        ended_on: Some("2025-07-10".into()),
        description: Some("唱腔与伴奏".into()),
        item_ids: vec![opera.id.clone(), drum.id.clone()],
        ..Default::default()
    })
    .unwrap();
    let find = |reg: &Registry, q: ActivityQuery| -> Vec<String> {
        reg.activity_list(&q)
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.title)
            .collect()
    };
    let text = |t: &str| ActivityQuery {
        query: Some(t.into()),
        ..Default::default()
    };
    assert_eq!(find(&reg, text("花鼓进校")), vec!["鲁南花鼓进校园"]);
    assert_eq!(find(&reg, text("花鼓")), vec!["鲁南花鼓进校园"]);
    assert_eq!(find(&reg, text("琴")), vec!["柳琴戏传承培训班"]);
    assert_eq!(
        find(&reg, text("基本步法")),
        vec!["鲁南花鼓进校园"],
        "description"
    );
    assert_eq!(find(&reg, text("lnhg")), vec!["鲁南花鼓进校园"], "initials");
    assert_eq!(find(&reg, text("LQX")), vec!["柳琴戏传承培训班"]);
    assert_eq!(
        find(&reg, text("liuqinxi")),
        vec!["柳琴戏传承培训班"],
        "pinyin"
    );
    assert!(find(&reg, text("皮影")).is_empty());
    let by_kind = ActivityQuery {
        kind: Some("培训".into()),
        ..Default::default()
    };
    assert_eq!(find(&reg, by_kind), vec!["柳琴戏传承培训班"]);
    let by_year = ActivityQuery {
        year: Some(2026),
        ..Default::default()
    };
    assert_eq!(find(&reg, by_year), vec!["鲁南花鼓进校园"]);
    let by_item = ActivityQuery {
        item_id: Some(drum.id.clone()),
        ..Default::default()
    };
    assert_eq!(
        find(&reg, by_item),
        vec!["鲁南花鼓进校园", "柳琴戏传承培训班"],
        "newest first"
    );
    let page = reg
        .activity_list(&ActivityQuery {
            page: Some(2),
            page_size: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((page.total, page.page, page.page_size), (2, 2, 1));
    assert_eq!(page.rows[0].title, "柳琴戏传承培训班");
    assert_eq!(page.rows[0].items, "鲁南花鼓、柳琴戏", "in register order");
    assert_eq!(page.rows[0].ended_on.as_deref(), Some("2025-07-10"));
}

#[test]
fn invalid_activities_write_nothing() {
    let mut reg = real();
    let it = reg.item_save(item("鲁南花鼓", "Ⅲ", None)).unwrap();
    let gone = reg.item_save(item("柳琴戏", "Ⅳ", None)).unwrap();
    reg.item_delete(&gone.id, "重复录入").unwrap();
    let tables = [
        "activity",
        "activity_item",
        "activity_inheritor",
        "edit_log",
        "search_text",
    ];
    let before: Vec<i64> = tables.iter().map(|t| count(&reg, t)).collect();
    let cases: Vec<(ActivityInput, Vec<&str>)> = vec![
        (
            ActivityInput {
                kind: "庙会".into(),
                ..activity("", "2026-02-30")
            },
            vec!["kind", "title", "startedOn"],
        ),
        (activity("花鼓展演", ""), vec!["startedOn"]),
        (
            ActivityInput {
                ended_on: Some("2026-05-01".into()),
                participants: Some(-1),
                ..activity("花鼓展演", "2026-05-02")
            },
            vec!["endedOn", "participants"],
        ),
        (
            ActivityInput {
                item_ids: vec![it.id.clone(), gone.id.clone(), "nope".into()],
                inheritor_ids: vec!["nobody".into()],
                ..activity("花鼓展演", "2026-05-02")
            },
            vec!["itemIds.1", "itemIds.2", "inheritorIds.0"],
        ),
    ];
    for (input, expected) in cases {
        let err = reg.activity_save(input).unwrap_err();
        let fields: Vec<&str> = err.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, expected);
    }
    let after: Vec<i64> = tables.iter().map(|t| count(&reg, t)).collect();
    assert_eq!(after, before);
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn activities_are_soft_deleted_and_restored_with_links_and_log() {
    let mut reg = real();
    let it = reg.item_save(item("鲁南花鼓", "Ⅲ", None)).unwrap();
    let p = reg
        .inheritor_save(InheritorInput {
            name: "刘花鼓".into(),
            ..Default::default()
        })
        .unwrap();
    let a = reg
        .activity_save(ActivityInput {
            kind: "非遗月".into(),
            title: "非遗月花鼓汇演".into(),
            started_on: "2026-02-14".into(),
            place: Some("台儿庄古城".into()),
            organizer: Some("区文化和旅游局".into()),
            participants: Some(1200),
            item_ids: vec![it.id.clone()],
            inheritor_ids: vec![p.id.clone()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(a.inheritors.len(), 1);
    assert_eq!(a.inheritors[0].name, "刘花鼓");
    assert_eq!(a.fields.inheritor_ids, vec![p.id.clone()]);
    // Changing it logs each changed field.
    let mut f = a.fields.clone();
    f.participants = Some(1500);
    f.inheritor_ids.clear();
    reg.activity_save(f).unwrap();
    assert_eq!(
        reg.activity_delete(&a.id, "").unwrap_err().fields()[0].field,
        "reason"
    );
    reg.activity_delete(&a.id, "录入错误").unwrap();
    let live = |reg: &Registry, q: &str| {
        reg.activity_list(&ActivityQuery {
            query: Some(q.into()),
            ..Default::default()
        })
        .unwrap()
        .total
    };
    assert_eq!(live(&reg, "花鼓汇演"), 0);
    let bin = reg
        .activity_list(&ActivityQuery {
            deleted: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(bin.total, 1);
    assert_eq!(
        reg.activity_get(&a.id).unwrap().deleted_reason.as_deref(),
        Some("录入错误")
    );
    assert_eq!(
        reg.activity_save(a.fields.clone()).unwrap_err().code(),
        "deleted"
    );
    let d = reg.activity_restore(&a.id).unwrap();
    assert!(d.deleted_at.is_none());
    assert_eq!(live(&reg, "花鼓汇演"), 1);
    assert_eq!(live(&reg, "fyyhgh"), 1);
    let h = reg.history("activity", &a.id).unwrap();
    let actions: Vec<(&str, Option<&str>)> = h
        .iter()
        .map(|e| (e.action.as_str(), e.field.as_deref()))
        .collect();
    assert_eq!(
        actions,
        vec![
            ("restore", None),
            ("delete", None),
            ("update", Some("participants")),
            ("update", Some("inheritors")),
            ("create", None)
        ]
    );
    assert_eq!(h[3].old_value.as_deref(), Some("刘花鼓"));
    assert_eq!(h[1].reason.as_deref(), Some("录入错误"));
    // A link to an item in the bin is kept through saves and comes back with the item.
    reg.item_delete(&it.id, "暂停").unwrap();
    let d = reg.activity_get(&a.id).unwrap();
    assert!(d.items.is_empty());
    reg.activity_save(d.fields).unwrap();
    reg.item_restore(&it.id).unwrap();
    assert_eq!(reg.activity_get(&a.id).unwrap().items.len(), 1);
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn plans_are_paged_and_counted_in_sql_with_filters_and_bin() {
    let (mut reg, drum) = setup();
    let opera = reg.item_save(item("柳琴戏", "Ⅳ", None)).unwrap().id;
    // 26 plans over 13 start years, two items, saved out of list order.
    let mut made: Vec<(String, String, i64, &str)> = Vec::new(); // (id, title, start, item name)
    for n in 0..26 {
        let (item_id, item_name) = if n % 2 == 0 {
            (&drum, "鲁南花鼓")
        } else {
            (&opera, "柳琴戏")
        };
        let start = 2000 + (n * 7 % 13) as i64;
        let title = format!("{item_name}第{n}号计划");
        let p = reg
            .plan_save(PlanInput {
                item_id: item_id.clone(),
                title: title.clone(),
                start_year: start,
                end_year: start + 4,
                budget: if n == 5 {
                    vec![line(start, "区级财政", "传习补助", 1_234)]
                } else {
                    vec![]
                },
                ..Default::default()
            })
            .unwrap();
        made.push((p.id, title, start, item_name));
    }
    // The expected order, worked out here: newest first, then item name (pinyin), then age.
    let mut expected: Vec<(i64, String, usize, String)> = made
        .iter()
        .enumerate()
        .map(|(i, (_, title, start, item))| {
            (
                -start,
                feiyi_core::search::pinyin_keys(item).0,
                i,
                title.clone(),
            )
        })
        .collect();
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(.., t)| t).collect();
    let titles = |page: &PlanPage| {
        page.rows
            .iter()
            .map(|r| r.title.clone())
            .collect::<Vec<_>>()
    };
    let page = |q: PlanQuery, p: i64, size: i64| {
        reg.plan_list(&PlanQuery {
            page: Some(p),
            page_size: Some(size),
            ..q
        })
        .unwrap()
    };

    let first = reg.plan_list(&PlanQuery::default()).unwrap();
    assert_eq!(
        (first.total, first.page, first.page_size),
        (26, 1, 20),
        "default page size 20"
    );
    assert_eq!(titles(&first), expected[..20].to_vec());
    let second = page(PlanQuery::default(), 2, 20);
    assert_eq!((second.total, second.page), (26, 2));
    assert_eq!(titles(&second), expected[20..].to_vec());
    let past = page(PlanQuery::default(), 3, 20);
    assert!(past.rows.is_empty(), "past the end: no rows");
    assert_eq!((past.total, past.page), (26, 3));
    let mut all = Vec::new();
    for p in 1..=6 {
        all.extend(titles(&page(PlanQuery::default(), p, 5)));
    }
    assert_eq!(all, expected, "pages of 5, one after another");
    assert_eq!(page(PlanQuery::default(), 1, 0).rows.len(), 1);
    assert_eq!(page(PlanQuery::default(), 1, 9_999).page_size, 500);
    assert_eq!(page(PlanQuery::default(), 0, 20).page, 1);
    // A page's rows still get their money.
    let at = expected.iter().position(|t| *t == made[5].1).unwrap() as i64;
    let row = page(PlanQuery::default(), at / 4 + 1, 4)
        .rows
        .into_iter()
        .find(|r| r.id == made[5].0)
        .unwrap();
    assert_eq!((row.planned_fen, row.spent_fen), (123_400, 0));

    // One item's plans; a title or item-name substring; both at once.
    let opera_plans = page(plans_of(Some(&opera), false), 1, 10);
    assert_eq!((opera_plans.total, opera_plans.rows.len()), (13, 10));
    assert!(opera_plans.rows.iter().all(|r| r.item_name == "柳琴戏"));
    let text = |t: &str| PlanQuery {
        query: Some(t.into()),
        ..Default::default()
    };
    assert_eq!(
        reg.plan_list(&text("第1")).unwrap().total,
        11,
        "第1, 第10 … 第19"
    );
    assert_eq!(
        reg.plan_list(&text(" 柳琴 ")).unwrap().total,
        13,
        "item name, trimmed"
    );
    assert_eq!(
        reg.plan_list(&text("   ")).unwrap().total,
        26,
        "blank is no filter"
    );
    assert_eq!(
        reg.plan_list(&text("%")).unwrap().total,
        0,
        "LIKE wildcards are literal"
    );
    assert_eq!(reg.plan_list(&text("皮影")).unwrap().total, 0);
    let both = reg
        .plan_list(&PlanQuery {
            item_id: Some(drum.clone()),
            query: Some("第1".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(titles(&both).len(), 5, "鲁南花鼓第10/12/14/16/18号计划");
    assert!(titles(&both).iter().all(|t| t.starts_with("鲁南花鼓第1")));

    // The bin.
    for (id, ..) in made.iter().take(3) {
        reg.plan_delete(id, "与新计划重复").unwrap();
    }
    assert_eq!(reg.plan_list(&PlanQuery::default()).unwrap().total, 23);
    let bin = reg.plan_list(&plans_of(None, true)).unwrap();
    assert_eq!(bin.total, 3);
    assert!(bin.rows.iter().all(|r| r.deleted_at.is_some()));
    let bin_opera = reg
        .plan_list(&PlanQuery {
            query: Some("柳琴".into()),
            deleted: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(titles(&bin_opera), vec!["柳琴戏第1号计划".to_string()]);
    assert_eq!(
        reg.plan_list(&plans_of(Some(&drum), true)).unwrap().total,
        2
    );
}

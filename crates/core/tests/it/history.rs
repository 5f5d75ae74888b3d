//! Reverting single changes, the recycle bin, and grouped search.

use crate::support::{item, real};
use feiyi_core::model::*;

fn last_update(reg: &feiyi_core::Registry, entity: &str, id: &str, field: &str) -> EditLogEntry {
    reg.history(entity, id)
        .unwrap()
        .into_iter()
        .find(|e| e.field.as_deref() == Some(field))
        .unwrap()
}

#[test]
fn a_single_field_change_is_reverted_and_the_revert_is_logged() {
    let mut reg = real();
    let mut input = item("竹马会", "Ⅲ", None);
    input.texts.summary = Some("旧简介".into());
    let saved = reg.item_save(input.clone()).unwrap();
    input.id = Some(saved.id.clone());
    input.texts.summary = Some("新简介".into());
    input.name = "竹马舞".into();
    reg.item_save(input).unwrap();
    let change = last_update(&reg, "item", &saved.id, "texts.summary");
    reg.history_revert(change.seq).unwrap();
    let d = reg.item_get(&saved.id).unwrap();
    assert_eq!(d.texts.summary.as_deref(), Some("旧简介"));
    assert_eq!(d.name, "竹马舞", "only the one field is put back");
    let revert = reg
        .history("item", &saved.id)
        .unwrap()
        .into_iter()
        .next()
        .unwrap();
    assert_eq!(revert.action, "revert");
    assert_eq!(
        revert.reason.as_deref(),
        Some(format!("撤销第 {} 条修改", change.seq).as_str())
    );
    assert_eq!(
        (revert.old_value.as_deref(), revert.new_value.as_deref()),
        (Some("新简介"), Some("旧简介"))
    );
    // A revert can itself be reverted.
    reg.history_revert(revert.seq).unwrap();
    assert_eq!(
        reg.item_get(&saved.id).unwrap().texts.summary.as_deref(),
        Some("新简介")
    );
    // Creates and deletes are not "reverted".
    let create = reg
        .history("item", &saved.id)
        .unwrap()
        .into_iter()
        .last()
        .unwrap();
    assert_eq!(
        reg.history_revert(create.seq).unwrap_err().code(),
        "conflict"
    );
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn reverts_go_through_validation_and_change_nothing_when_refused() {
    let mut reg = real();
    let a = reg.item_save(item("甲项目", "Ⅶ", None)).unwrap();
    let mut b_input = item("乙项目", "Ⅶ", None);
    let b = reg.item_save(b_input.clone()).unwrap();
    b_input.id = Some(b.id.clone());
    b_input.seq = Some(5);
    reg.item_save(b_input).unwrap();
    // Take 乙's old number 2 for a new item, then try to revert 乙 to 2.
    let mut c = item("丙项目", "Ⅶ", None);
    c.seq = Some(2);
    reg.item_save(c).unwrap();
    let change = last_update(&reg, "item", &b.id, "seq");
    let before = reg.history("item", &b.id).unwrap().len();
    let err = reg.history_revert(change.seq).unwrap_err();
    assert_eq!(err.fields()[0].field, "seq");
    assert_eq!(reg.item_get(&b.id).unwrap().seq, 5);
    assert_eq!(reg.history("item", &b.id).unwrap().len(), before);
    let _ = a;
}

#[test]
fn people_units_and_batches_can_be_reverted_too() {
    let mut reg = real();
    let p = reg
        .inheritor_save(InheritorInput {
            name: "钱师傅".into(),
            phone: Some("13800000001".into()),
            ..Default::default()
        })
        .unwrap();
    let mut f = p.fields.clone();
    f.phone = Some("0632-6611511".into());
    f.practice_since = Some(1980);
    reg.inheritor_save(f).unwrap();
    reg.history_revert(last_update(&reg, "inheritor", &p.id, "phone").seq)
        .unwrap();
    reg.history_revert(last_update(&reg, "inheritor", &p.id, "practiceSince").seq)
        .unwrap();
    let d = reg.inheritor_get(&p.id).unwrap();
    assert_eq!(d.fields.phone.as_deref(), Some("13800000001"));
    assert_eq!(d.fields.practice_since, None);

    let u = reg
        .unit_save(UnitInput {
            name: "旧名称".into(),
            ..Default::default()
        })
        .unwrap();
    let mut uf = u.fields.clone();
    uf.name = "新名称".into();
    uf.conditions.has_places = true;
    reg.unit_save(uf).unwrap();
    reg.history_revert(last_update(&reg, "unit", &u.id, "conditions").seq)
        .unwrap();
    let d = reg.unit_get(&u.id).unwrap();
    assert_eq!(
        (d.fields.name.as_str(), d.fields.conditions.has_places),
        ("新名称", false)
    );

    let b = reg.batch_list(false).unwrap().remove(0);
    let input = BatchInput {
        id: Some(b.id.clone()),
        number: 6,
        doc_number: Some("错号".into()),
        ..Default::default()
    };
    reg.batch_save(input).unwrap();
    reg.history_revert(last_update(&reg, "batch", &b.id, "docNumber").seq)
        .unwrap();
    assert_eq!(
        reg.batch_get(&b.id).unwrap().doc_number.as_deref(),
        Some("台政字〔2022〕33号")
    );
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn the_recycle_bin_lists_every_kind_with_reasons_and_restores() {
    let mut reg = real();
    let it = reg.item_save(item("运河剪纸", "Ⅶ", None)).unwrap();
    let p = reg
        .inheritor_save(InheritorInput {
            name: "孙剪纸".into(),
            ..Default::default()
        })
        .unwrap();
    let u = reg
        .unit_save(UnitInput {
            name: "剪纸协会".into(),
            ..Default::default()
        })
        .unwrap();
    reg.item_delete(&it.id, "重复录入").unwrap();
    reg.inheritor_delete(&p.id, "误建").unwrap();
    reg.unit_delete(&u.id, "已撤销").unwrap();
    let bin = reg.recycle_list().unwrap();
    let mut kinds: Vec<(&str, &str, Option<&str>)> = bin
        .iter()
        .map(|e| {
            (
                e.entity_label.as_str(),
                e.name.as_str(),
                e.reason.as_deref(),
            )
        })
        .collect();
    kinds.sort();
    assert_eq!(
        kinds,
        [
            ("传承人", "孙剪纸", Some("误建")),
            ("保护单位", "剪纸协会", Some("已撤销")),
            ("项目", "运河剪纸", Some("重复录入"))
        ]
    );
    for e in &bin {
        reg.recycle_restore(&e.entity, &e.id).unwrap();
    }
    assert!(reg.recycle_list().unwrap().is_empty());
    assert_eq!(
        reg.recycle_restore("other", "x").unwrap_err().code(),
        "validation"
    );
}

#[test]
fn search_covers_people_units_and_items_grouped_by_kind() {
    let mut reg = real();
    reg.item_save(item("运河号子", "Ⅱ", None)).unwrap();
    reg.inheritor_save(InheritorInput {
        name: "运小河".into(),
        ..Default::default()
    })
    .unwrap();
    reg.unit_save(UnitInput {
        name: "运河文化研究会".into(),
        ..Default::default()
    })
    .unwrap();
    let groups = reg.search_all("运河", 10).unwrap();
    let labels: Vec<_> = groups
        .iter()
        .map(|g| (g.label.as_str(), g.hits.len()))
        .collect();
    assert_eq!(labels, [("项目", 1), ("保护单位", 1)]);
    let groups = reg.search_all("yxh", 10).unwrap();
    assert_eq!(groups[0].label, "传承人");
    assert_eq!(groups[0].hits[0].name, "运小河");
    assert_eq!(groups[0].hits[0].matched, "initials");
    assert!(reg
        .search_all("", 10)
        .unwrap()
        .iter()
        .all(|g| g.kind != "unit" || !g.hits.is_empty()));
}

#[test]
fn plans_and_activities_can_be_reverted_field_by_field() {
    let mut reg = real();
    let it = reg.item_save(item("运河大鼓", "Ⅴ", None)).unwrap();
    let plan = reg
        .plan_save(PlanInput {
            item_id: it.id.clone(),
            title: "运河大鼓五年保护计划".into(),
            start_year: 2026,
            end_year: 2030,
            goals: Some("旧目标".into()),
            ..Default::default()
        })
        .unwrap();
    let mut f = plan.fields.clone();
    f.goals = Some("新目标".into());
    reg.plan_save(f).unwrap();
    reg.history_revert(last_update(&reg, "plan", &plan.id, "goals").seq)
        .unwrap();
    assert_eq!(
        reg.plan_get(&plan.id).unwrap().fields.goals.as_deref(),
        Some("旧目标")
    );

    let act = reg
        .activity_save(ActivityInput {
            kind: "展演".into(),
            title: "运河大鼓进社区".into(),
            started_on: "2026-02-12".into(),
            participants: Some(80),
            item_ids: vec![it.id.clone()],
            ..Default::default()
        })
        .unwrap();
    assert!(act.in_feiyi_month);
    let mut f = act.fields.clone();
    f.participants = Some(120);
    reg.activity_save(f).unwrap();
    reg.history_revert(last_update(&reg, "activity", &act.id, "participants").seq)
        .unwrap();
    assert_eq!(
        reg.activity_get(&act.id).unwrap().fields.participants,
        Some(80)
    );
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn changes_to_recognitions_yearly_records_checks_edges_and_spending_revert_too() {
    let mut reg = real();
    let it = reg.item_save(item("运河面塑", "Ⅶ", None)).unwrap();
    let p = reg
        .inheritor_save(InheritorInput {
            name: "面塑甲".into(),
            ..Default::default()
        })
        .unwrap();
    let q = reg
        .inheritor_save(InheritorInput {
            name: "面塑乙".into(),
            ..Default::default()
        })
        .unwrap();
    let rec = reg
        .recognition_save(RecognitionInput {
            inheritor_id: p.id.clone(),
            item_id: it.id.clone(),
            level: "区级".into(),
            doc_number: Some("旧文号".into()),
            ..Default::default()
        })
        .unwrap();
    reg.recognition_save(RecognitionInput {
        id: Some(rec.id.clone()),
        inheritor_id: p.id.clone(),
        item_id: it.id.clone(),
        level: "区级".into(),
        doc_number: Some("新文号".into()),
        ..Default::default()
    })
    .unwrap();
    reg.history_revert(last_update(&reg, "recognition", &rec.id, "docNumber").seq)
        .unwrap();
    assert_eq!(
        reg.inheritor_get(&p.id).unwrap().recognitions[0]
            .doc_number
            .as_deref(),
        Some("旧文号")
    );

    let eval = |grade: &str| Evaluation {
        inheritor_id: p.id.clone(),
        item_id: it.id.clone(),
        year: 2025,
        grade: grade.into(),
        ..Default::default()
    };
    reg.evaluation_save(eval("合格")).unwrap();
    let d = reg.evaluation_save(eval("不合格")).unwrap();
    let eid = d.evaluations[0].id.clone().unwrap();
    reg.history_revert(last_update(&reg, "evaluation", &eid, "grade").seq)
        .unwrap();
    assert_eq!(
        reg.inheritor_get(&p.id).unwrap().evaluations[0].grade,
        "合格"
    );

    let sub = |fen: i64| Subsidy {
        inheritor_id: p.id.clone(),
        item_id: it.id.clone(),
        year: 2025,
        received_fen: fen,
        ..Default::default()
    };
    reg.subsidy_save(sub(100_000)).unwrap();
    let sid = reg.subsidy_save(sub(200_000)).unwrap().subsidies[0]
        .id
        .clone()
        .unwrap();
    reg.history_revert(last_update(&reg, "subsidy", &sid, "receivedFen").seq)
        .unwrap();
    assert_eq!(
        reg.inheritor_get(&p.id).unwrap().subsidies[0].received_fen,
        100_000
    );

    let l = reg
        .lineage_edge_save(LineageEdge {
            item_id: it.id.clone(),
            master_id: p.id.clone(),
            apprentice_id: q.id.clone(),
            kind: "师徒".into(),
            evidence: Some("旧证据".into()),
            ..Default::default()
        })
        .unwrap();
    let mut edge = l.edges[0].clone();
    edge.evidence = Some("新证据".into());
    reg.lineage_edge_save(edge.clone()).unwrap();
    let edge_id = edge.id.clone().unwrap();
    reg.history_revert(last_update(&reg, "lineage_edge", &edge_id, "evidence").seq)
        .unwrap();
    assert_eq!(
        reg.lineage_get(&it.id).unwrap().edges[0]
            .evidence
            .as_deref(),
        Some("旧证据")
    );

    let u = reg
        .unit_save(UnitInput {
            name: "面塑协会".into(),
            ..Default::default()
        })
        .unwrap();
    let check = |findings: &str, id: Option<String>| UnitCheck {
        id,
        unit_id: u.id.clone(),
        checked_on: "2026-05-01".into(),
        result: "合格".into(),
        findings: Some(findings.into()),
        ..Default::default()
    };
    let cid = reg.unit_check_save(check("旧结论", None)).unwrap().checks[0]
        .id
        .clone();
    reg.unit_check_save(check("新结论", cid.clone())).unwrap();
    let cid = cid.unwrap();
    reg.history_revert(last_update(&reg, "unit_check", &cid, "findings").seq)
        .unwrap();
    assert_eq!(
        reg.unit_get(&u.id).unwrap().checks[0].findings.as_deref(),
        Some("旧结论")
    );

    let plan = reg
        .plan_save(PlanInput {
            item_id: it.id.clone(),
            title: "面塑计划".into(),
            start_year: 2026,
            end_year: 2030,
            budget: vec![BudgetLine {
                year: 2026,
                purpose: "材料".into(),
                source: "自筹".into(),
                amount_fen: 1_000_000,
                ..Default::default()
            }],
            ..Default::default()
        })
        .unwrap();
    let line = plan.fields.budget[0].id.clone().unwrap();
    let spend = |fen: i64, id: Option<String>| Expenditure {
        id,
        budget_line_id: line.clone(),
        spent_on: "2026-03-01".into(),
        amount_fen: fen,
        ..Default::default()
    };
    let xid = reg
        .expenditure_save(spend(90_000, None))
        .unwrap()
        .expenditures[0]
        .id
        .clone();
    reg.expenditure_save(spend(120_000, xid.clone())).unwrap();
    let xid = xid.unwrap();
    reg.history_revert(last_update(&reg, "expenditure", &xid, "amount").seq)
        .unwrap();
    assert_eq!(
        reg.plan_get(&plan.id).unwrap().expenditures[0].amount_fen,
        90_000
    );

    // Status changes are events, not edits.
    let ev = reg
        .recognition_event_add(RecognitionEventInput {
            recognition_id: rec.id.clone(),
            status: "丧失传承能力".into(),
            occurred_on: "2026-01-05".into(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(ev.status, "丧失传承能力");
    let err = reg
        .history_revert(last_update(&reg, "recognition", &rec.id, "status").seq)
        .unwrap_err();
    assert!(err.to_string().contains("事件"));
    assert!(reg.verify_log().unwrap().is_empty());
}

fn first_update(reg: &feiyi_core::Registry, entity: &str, id: &str, field: &str) -> EditLogEntry {
    let e = last_update(reg, entity, id, field);
    assert!(e.revertible, "{entity}.{field} is offered for revert");
    e
}

#[test]
fn composite_fields_revert_from_the_machine_form_kept_in_the_log() {
    let mut reg = real();
    // An item's townships and listings.
    let mut input = item("运河号子", "Ⅱ", None);
    input.townships = vec![ItemTownship {
        code: "370405001".into(),
        villages: Some("古城社区".into()),
        ..Default::default()
    }];
    input.listings = vec![Listing {
        level: "区级".into(),
        listed_on: Some("2022-05-18".into()),
        doc_number: Some("台政字〔2022〕33号".into()),
        ..Default::default()
    }];
    let it = reg.item_save(input.clone()).unwrap();
    let mut edit = input.clone();
    edit.id = Some(it.id.clone());
    edit.townships = vec![ItemTownship {
        code: "370405102".into(),
        ..Default::default()
    }];
    edit.listings = it.listings.clone();
    edit.listings.push(Listing {
        level: "市级".into(),
        listed_on: Some("2024-06-01".into()),
        ..Default::default()
    });
    reg.item_save(edit).unwrap();
    let towns = first_update(&reg, "item", &it.id, "townships");
    assert_eq!(towns.old_value.as_deref(), Some("运河街道（古城社区）"));
    assert_eq!(towns.new_value.as_deref(), Some("泥沟镇"));
    reg.history_revert(towns.seq).unwrap();
    reg.history_revert(first_update(&reg, "item", &it.id, "listings").seq)
        .unwrap();
    let d = reg.item_get(&it.id).unwrap();
    assert_eq!(d.townships.len(), 1);
    assert_eq!(
        (
            d.townships[0].code.as_str(),
            d.townships[0].villages.as_deref()
        ),
        ("370405001", Some("古城社区"))
    );
    assert_eq!(d.listings.len(), 1);
    assert_eq!(d.listings[0].level, "区级");

    // A unit's items.
    let other = reg.item_save(item("运河船歌", "Ⅱ", None)).unwrap();
    let u = reg
        .unit_save(UnitInput {
            name: "运河文化馆".into(),
            item_ids: vec![it.id.clone()],
            ..Default::default()
        })
        .unwrap();
    let mut uf = u.fields.clone();
    uf.item_ids = vec![other.id.clone()];
    reg.unit_save(uf).unwrap();
    reg.history_revert(first_update(&reg, "unit", &u.id, "items").seq)
        .unwrap();
    assert_eq!(
        reg.unit_get(&u.id).unwrap().fields.item_ids,
        std::slice::from_ref(&it.id)
    );

    // A plan's item, unit, yearly targets and budget.
    let plan = reg
        .plan_save(PlanInput {
            item_id: it.id.clone(),
            title: "运河号子保护计划".into(),
            start_year: 2026,
            end_year: 2030,
            years: vec![PlanYear {
                year: 2026,
                targets: Some("录音 20 首".into()),
                ..Default::default()
            }],
            budget: vec![BudgetLine {
                year: 2026,
                purpose: "录音".into(),
                source: "区级财政".into(),
                amount_fen: 500_000,
                ..Default::default()
            }],
            ..Default::default()
        })
        .unwrap();
    let mut pf = plan.fields.clone();
    pf.item_id = other.id.clone();
    pf.unit_id = Some(u.id.clone());
    pf.years[0].targets = Some("录音 30 首".into());
    pf.budget = vec![BudgetLine {
        year: 2027,
        purpose: "出版".into(),
        source: "自筹".into(),
        amount_fen: 200_000,
        ..Default::default()
    }];
    reg.plan_save(pf).unwrap();
    for field in ["item", "unit", "years", "budget"] {
        reg.history_revert(first_update(&reg, "plan", &plan.id, field).seq)
            .unwrap();
    }
    let d = reg.plan_get(&plan.id).unwrap();
    assert_eq!(d.fields.item_id, it.id);
    assert_eq!(d.fields.unit_id, None);
    assert_eq!(d.fields.years[0].targets.as_deref(), Some("录音 20 首"));
    assert_eq!(d.fields.budget.len(), 1);
    assert_eq!(
        (
            d.fields.budget[0].purpose.as_str(),
            d.fields.budget[0].amount_fen
        ),
        ("录音", 500_000),
        "a line removed since comes back as a new line"
    );

    // An expenditure moved to another budget line.
    let mut pf = d.fields.clone();
    pf.budget.push(BudgetLine {
        year: 2027,
        purpose: "培训".into(),
        source: "区级财政".into(),
        amount_fen: 300_000,
        ..Default::default()
    });
    let d = reg.plan_save(pf).unwrap();
    let (l1, l2) = (
        d.fields.budget[0].id.clone().unwrap(),
        d.fields.budget[1].id.clone().unwrap(),
    );
    let x = reg
        .expenditure_save(Expenditure {
            budget_line_id: l1.clone(),
            spent_on: "2026-04-01".into(),
            amount_fen: 10_000,
            ..Default::default()
        })
        .unwrap()
        .expenditures[0]
        .clone();
    reg.expenditure_save(Expenditure {
        budget_line_id: l2,
        ..x.clone()
    })
    .unwrap();
    let xid = x.id.clone().unwrap();
    reg.history_revert(first_update(&reg, "expenditure", &xid, "budgetLine").seq)
        .unwrap();
    assert_eq!(
        reg.plan_get(&plan.id).unwrap().expenditures[0].budget_line_id,
        l1
    );

    // An activity's items and people.
    let p = reg
        .inheritor_save(InheritorInput {
            name: "号子甲".into(),
            ..Default::default()
        })
        .unwrap();
    let q = reg
        .inheritor_save(InheritorInput {
            name: "号子乙".into(),
            ..Default::default()
        })
        .unwrap();
    let act = reg
        .activity_save(ActivityInput {
            kind: "展演".into(),
            title: "运河号子展演".into(),
            started_on: "2026-06-13".into(),
            item_ids: vec![it.id.clone()],
            inheritor_ids: vec![p.id.clone()],
            ..Default::default()
        })
        .unwrap();
    let mut af = act.fields.clone();
    af.item_ids = vec![other.id.clone()];
    af.inheritor_ids = vec![p.id.clone(), q.id.clone()];
    reg.activity_save(af).unwrap();
    for field in ["items", "inheritors"] {
        reg.history_revert(first_update(&reg, "activity", &act.id, field).seq)
            .unwrap();
    }
    let f = reg.activity_get(&act.id).unwrap().fields;
    assert_eq!(
        (f.item_ids, f.inheritor_ids),
        (vec![it.id.clone()], vec![p.id.clone()])
    );

    // A recognition's item and a lineage edge's master, logged by name.
    let rec = reg
        .recognition_save(RecognitionInput {
            inheritor_id: p.id.clone(),
            item_id: it.id.clone(),
            level: "区级".into(),
            ..Default::default()
        })
        .unwrap();
    reg.recognition_save(RecognitionInput {
        id: Some(rec.id.clone()),
        inheritor_id: p.id.clone(),
        item_id: other.id.clone(),
        level: "区级".into(),
        ..Default::default()
    })
    .unwrap();
    let change = first_update(&reg, "recognition", &rec.id, "itemName");
    assert_eq!(
        (change.old_value.as_deref(), change.new_value.as_deref()),
        (Some("运河号子"), Some("运河船歌"))
    );
    reg.history_revert(change.seq).unwrap();
    let r = reg.inheritor_get(&p.id).unwrap().recognitions;
    assert_eq!(r[0].item_id, it.id);

    let z = reg
        .inheritor_save(InheritorInput {
            name: "号子丙".into(),
            ..Default::default()
        })
        .unwrap();
    let lineage = reg
        .lineage_edge_save(LineageEdge {
            item_id: it.id.clone(),
            master_id: p.id.clone(),
            apprentice_id: q.id.clone(),
            kind: "师徒".into(),
            ..Default::default()
        })
        .unwrap();
    let mut edge = lineage.edges[0].clone();
    let eid = edge.id.clone().unwrap();
    edge.master_id = z.id.clone();
    reg.lineage_edge_save(edge).unwrap();
    reg.history_revert(first_update(&reg, "lineage_edge", &eid, "masterName").seq)
        .unwrap();
    assert_eq!(reg.lineage_get(&it.id).unwrap().edges[0].master_id, p.id);
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn status_events_are_not_offered_for_revert() {
    let mut reg = real();
    let it = reg.item_save(item("运河渔鼓", "Ⅴ", None)).unwrap();
    let p = reg
        .inheritor_save(InheritorInput {
            name: "渔鼓甲".into(),
            ..Default::default()
        })
        .unwrap();
    let rec = reg
        .recognition_save(RecognitionInput {
            inheritor_id: p.id.clone(),
            item_id: it.id.clone(),
            level: "区级".into(),
            ..Default::default()
        })
        .unwrap();
    reg.recognition_event_add(RecognitionEventInput {
        recognition_id: rec.id.clone(),
        status: "去世".into(),
        occurred_on: "2026-01-05".into(),
        ..Default::default()
    })
    .unwrap();
    let status = last_update(&reg, "recognition", &rec.id, "status");
    assert!(!status.revertible);
    let create = reg.history("item", &it.id).unwrap().pop().unwrap();
    assert!(!create.revertible);
}

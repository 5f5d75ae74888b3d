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

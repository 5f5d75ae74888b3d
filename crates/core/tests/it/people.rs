//! Inheritors, recognitions, yearly work, lineage and protection units.

use crate::support::{item, real};
use feiyi_core::model::*;
use feiyi_core::Registry;

/// Completes 17 digits with the GB 11643 check character (independent of the code under test).
pub fn id_number(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    format!(
        "{first17}{}",
        "10X98765432".chars().nth((sum % 11) as usize).unwrap()
    )
}

fn person(reg: &mut Registry, name: &str) -> InheritorDetail {
    reg.inheritor_save(InheritorInput {
        name: name.into(),
        sex: Some("男".into()),
        ..Default::default()
    })
    .unwrap()
}

fn recognise(reg: &mut Registry, p: &str, it: &str) -> Recognition {
    reg.recognition_save(RecognitionInput {
        inheritor_id: p.into(),
        item_id: it.into(),
        level: "区级".into(),
        doc_number: Some("台政字〔2023〕5号".into()),
        recognized_on: Some("2023-06-01".into()),
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn identity_numbers_are_checked_masked_in_lists_and_whole_on_the_detail() {
    let mut reg = real();
    let good = id_number("37040519560312003"); // 1956-03-12, 17th digit 3 → 男
    let saved = reg
        .inheritor_save(InheritorInput {
            name: "张运河".into(),
            id_number: Some(good.clone()),
            phone: Some("138 0632 5678".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(
        saved.fields.id_number.as_deref(),
        Some(good.as_str()),
        "whole on the detail page"
    );
    assert_eq!(
        saved.fields.sex.as_deref(),
        Some("男"),
        "sex filled from the number"
    );
    assert_eq!(saved.fields.birth_date.as_deref(), Some("1956-03-12"));
    assert_eq!(saved.fields.phone.as_deref(), Some("13806325678"));
    assert_eq!(saved.age, Some(70));
    let list = reg.inheritor_list(&InheritorQuery::default()).unwrap();
    let row = &list.rows[0];
    assert_eq!(
        row.id_number_masked.as_deref(),
        Some(format!("3704**********{}", &good[14..]).as_str())
    );
    assert_eq!(row.phone_masked.as_deref(), Some("138****5678"));
    let json = serde_json::to_string(&list).unwrap();
    assert!(
        !json.contains(&good),
        "the whole number never reaches a list"
    );

    // Real-format invalid numbers.
    let mut wrong_check = good.clone();
    let last = if wrong_check.ends_with('1') { '2' } else { '1' };
    wrong_check.replace_range(17..18, &last.to_string());
    for (bad, needle) in [
        (wrong_check.as_str(), "校验"),
        ("37040519560230001X", "出生日期"),
        ("3704051956031200", "18位"),
    ] {
        let err = reg
            .inheritor_save(InheritorInput {
                name: "李四".into(),
                id_number: Some(bad.into()),
                ..Default::default()
            })
            .unwrap_err();
        assert_eq!(err.fields()[0].field, "idNumber", "{bad}");
        assert!(
            err.fields()[0].message.contains(needle),
            "{bad}: {}",
            err.fields()[0].message
        );
    }
    // Consistent with the birth date and sex entered.
    let err = reg
        .inheritor_save(InheritorInput {
            name: "王五".into(),
            sex: Some("女".into()),
            birth_date: Some("1957".into()),
            id_number: Some(id_number("37040519560312005")),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.fields().len(), 2, "{:?}", err.fields());
    // The same number twice.
    let err = reg
        .inheritor_save(InheritorInput {
            name: "重复".into(),
            id_number: Some(good),
            ..Default::default()
        })
        .unwrap_err();
    assert!(err.fields()[0].message.contains("张运河"));
    let err = reg
        .inheritor_save(InheritorInput {
            name: "赵六".into(),
            phone: Some("12345".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "phone");
    assert_eq!(
        reg.inheritor_list(&InheritorQuery::default())
            .unwrap()
            .total,
        1,
        "failed saves wrote nothing"
    );
}

#[test]
fn status_changes_are_dated_events_and_terminal_states_are_final() {
    let mut reg = real();
    let it = reg.item_save(item("鲁南花鼓", "Ⅲ", None)).unwrap();
    let p = person(&mut reg, "刘花鼓");
    let rec = recognise(&mut reg, &p.id, &it.id);
    assert_eq!(rec.status, "在册");
    let ev = |status: &str, on: &str, ground: Option<&str>| RecognitionEventInput {
        recognition_id: rec.id.clone(),
        status: status.into(),
        occurred_on: on.into(),
        ground: ground.map(str::to_string),
        ..Default::default()
    };
    let err = reg
        .recognition_event_add(ev("取消资格", "2025-01-01", None))
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "ground");
    let err = reg
        .recognition_event_add(ev("丧失传承能力", "2020-01-01", None))
        .unwrap_err();
    assert_eq!(
        err.fields()[0].field,
        "occurredOn",
        "not before the recognition"
    );
    let r = reg
        .recognition_event_add(ev("丧失传承能力", "2024-03-01", None))
        .unwrap();
    assert_eq!(
        (r.status.as_str(), r.status_since.as_deref()),
        ("丧失传承能力", Some("2024-03-01"))
    );
    let r = reg
        .recognition_event_add(ev("去世", "2025-08-09", None))
        .unwrap();
    assert_eq!(r.events.len(), 2, "earlier events are kept");
    assert_eq!(r.events[0].status, "丧失传承能力");
    assert_eq!(
        reg.recognition_event_add(ev("在册", "2025-09-01", None))
            .unwrap_err()
            .code(),
        "validation"
    );
    let h = reg.history("recognition", &rec.id).unwrap();
    assert!(h
        .iter()
        .any(|e| e.field.as_deref() == Some("status")
            && e.old_value.as_deref() == Some("丧失传承能力")));
    assert_eq!(
        reg.inheritor_list(&InheritorQuery::default()).unwrap().rows[0].status,
        "去世"
    );
}

#[test]
fn two_failed_evaluations_warn_and_lost_ability_stops_the_subsidy() {
    let mut reg = real();
    let it = reg.item_save(item("运河号子", "Ⅱ", None)).unwrap();
    let p = person(&mut reg, "孙号子");
    // Not yet recognised: refused.
    let eval = |year: i64, grade: &str| Evaluation {
        inheritor_id: p.id.clone(),
        item_id: it.id.clone(),
        year,
        grade: grade.into(),
        reviewer: Some("区文旅局".into()),
        ..Default::default()
    };
    assert_eq!(
        reg.evaluation_save(eval(2022, "合格"))
            .unwrap_err()
            .fields()[0]
            .field,
        "itemId"
    );
    recognise(&mut reg, &p.id, &it.id);
    assert!(reg
        .evaluation_save(eval(2022, "不合格"))
        .unwrap()
        .warnings
        .is_empty());
    reg.evaluation_save(eval(2023, "合格")).unwrap();
    let d = reg.evaluation_save(eval(2024, "不合格")).unwrap();
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("2 次不合格") && w.contains("取消")),
        "{:?}",
        d.warnings
    );
    assert_eq!(
        reg.evaluation_save(eval(2024, "差")).unwrap_err().fields()[0].field,
        "grade"
    );
    // Re-evaluating a year replaces it and logs the change.
    let d = reg.evaluation_save(eval(2024, "合格")).unwrap();
    assert!(d.warnings.is_empty());
    assert_eq!(d.evaluations.len(), 3);

    let sub = |year: i64, received: i64, used: i64| Subsidy {
        inheritor_id: p.id.clone(),
        item_id: it.id.clone(),
        year,
        received_fen: received,
        used_fen: used,
        ..Default::default()
    };
    reg.subsidy_save(sub(2024, 500_000, 480_000)).unwrap();
    assert_eq!(
        reg.subsidy_save(sub(2024, 100, 200)).unwrap_err().fields()[0].field,
        "usedFen"
    );
    reg.evaluation_save(eval(2025, "丧失传承能力")).unwrap();
    reg.subsidy_save(sub(2025, 500_000, 0)).unwrap();
    let err = reg.subsidy_save(sub(2026, 500_000, 0)).unwrap_err();
    assert!(
        err.fields()[0].message.contains("自 2026 年起停止发放"),
        "{err}"
    );
    let d = reg.subsidy_save(sub(2026, 0, 0)).unwrap();
    assert!(d.warnings.iter().any(|w| w.contains("停止发放")));
    reg.training_plan_save(TrainingPlan {
        inheritor_id: p.id.clone(),
        item_id: it.id.clone(),
        year: 2026,
        content: Some("带徒 3 人，每月授课 2 次".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(reg.inheritor_get(&p.id).unwrap().training_plans.len(), 1);
}

#[test]
fn lineage_refuses_self_edges_and_cycles_and_orders_the_table_by_generation() {
    let mut reg = real();
    let it = reg.item_save(item("运河泥塑", "Ⅶ", None)).unwrap();
    let mut p = |n: &str, birth: &str| {
        reg.inheritor_save(InheritorInput {
            name: n.into(),
            birth_date: Some(birth.into()),
            ..Default::default()
        })
        .unwrap()
        .id
    };
    let (a, b, c, d) = (
        p("甲", "1920"),
        p("乙", "1948-05"),
        p("丙", "1970"),
        p("丁", "1975"),
    );
    let edge = |m: &str, ap: &str, kind: &str| LineageEdge {
        item_id: it.id.clone(),
        master_id: m.into(),
        apprentice_id: ap.into(),
        kind: kind.into(),
        from_year: Some(1990),
        to_year: Some(1995),
        evidence: Some("口述".into()),
        ..Default::default()
    };
    reg.lineage_edge_save(edge(&a, &b, "家族")).unwrap();
    reg.lineage_edge_save(edge(&b, &c, "师徒")).unwrap();
    let l = reg.lineage_edge_save(edge(&b, &d, "师徒")).unwrap();
    let err = reg.lineage_edge_save(edge(&c, &c, "师徒")).unwrap_err();
    assert!(err.fields()[0].message.contains("同一个人"));
    let err = reg.lineage_edge_save(edge(&c, &a, "师徒")).unwrap_err();
    assert_eq!(err.fields()[0].field, "apprenticeId");
    assert!(
        err.fields()[0].message.contains("循环"),
        "{}",
        err.fields()[0].message
    );
    assert!(
        err.fields()[0].message.contains("丙 → 甲 → 乙 → 丙"),
        "{}",
        err.fields()[0].message
    );
    assert_eq!(
        reg.lineage_edge_save(edge(&a, &b, "师徒"))
            .unwrap_err()
            .code(),
        "validation",
        "duplicate edge"
    );
    let gens: Vec<(i64, &str)> = l
        .table
        .iter()
        .map(|r| (r.generation, r.name.as_str()))
        .collect();
    assert_eq!(gens, [(1, "甲"), (2, "乙"), (3, "丙"), (3, "丁")]);
    assert_eq!(l.table[1].how_learned, "家传（甲）");
    assert_eq!(l.table[2].how_learned, "师承 乙");
    assert_eq!(l.table[1].birth_year, Some(1948));
    assert_eq!(l.table[2].period, "1990—1995");
    let first = l.edges[0].id.clone().unwrap();
    let l = reg.lineage_edge_delete(&first).unwrap();
    assert_eq!(l.edges.len(), 2);
    assert!(reg
        .history("lineage_edge", &first)
        .unwrap()
        .iter()
        .any(|e| e.action == "delete"));
}

#[test]
fn protection_units_validate_credit_codes_and_track_checks() {
    let mut reg = real();
    let it = reg.item_save(item("布老虎", "Ⅶ", None)).unwrap();
    let err = reg
        .unit_save(UnitInput {
            name: "某单位".into(),
            credit_code: Some("91350100M000100Y44".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "creditCode");
    let err = reg
        .unit_save(UnitInput {
            name: "某单位".into(),
            credit_code: Some("9135010OM000100Y43".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "creditCode");
    let u = reg
        .unit_save(UnitInput {
            name: "台儿庄区文化馆".into(),
            credit_code: Some("91350100m000100y43".into()),
            phone: Some("0632-6611511".into()),
            conditions: UnitConditions {
                legal_person_with_staff: true,
                holds_inheritor_or_materials: true,
                can_carry_out_plan: true,
                has_places: false,
            },
            item_ids: vec![it.id.clone()],
            ..Default::default()
        })
        .unwrap();
    assert_eq!(u.fields.credit_code.as_deref(), Some("91350100M000100Y43"));
    assert_eq!(u.items.len(), 1);
    assert!(u.warnings.iter().any(|w| w.contains("传承展示场所")));
    assert_eq!(
        reg.item_get(&it.id).unwrap().protection_units,
        ["台儿庄区文化馆"]
    );
    let check = |result: &str, deadline: Option<&str>| UnitCheck {
        unit_id: u.id.clone(),
        checked_on: "2026-06-01".into(),
        result: result.into(),
        deadline: deadline.map(str::to_string),
        findings: Some("档案不全".into()),
        ..Default::default()
    };
    assert_eq!(
        reg.unit_check_save(check("限期整改", None))
            .unwrap_err()
            .fields()[0]
            .field,
        "deadline"
    );
    let d = reg
        .unit_check_save(check("限期整改", Some("2026-09-30")))
        .unwrap();
    assert!(
        d.warnings
            .iter()
            .any(|w| w.contains("限期整改已于 2026-09-30 到期")),
        "{:?}",
        d.warnings
    );
    assert_eq!(
        reg.unit_list(&UnitQuery::default()).unwrap().rows[0].last_check,
        "限期整改（2026-06-01）"
    );
    assert_eq!(
        reg.unit_list(&unit_query(Some("whg"), false))
            .unwrap()
            .total,
        1,
        "pinyin initials of 文化馆"
    );
    let dup = reg.unit_save(UnitInput {
        name: "另一单位".into(),
        credit_code: Some("91350100M000100Y43".into()),
        ..Default::default()
    });
    assert!(dup.unwrap_err().fields()[0]
        .message
        .contains("台儿庄区文化馆"));
    reg.unit_delete(&u.id, "撤并").unwrap();
    assert!(reg
        .unit_list(&UnitQuery::default())
        .unwrap()
        .rows
        .is_empty());
    assert_eq!(reg.unit_list(&unit_query(None, true)).unwrap().total, 1);
    reg.unit_restore(&u.id).unwrap();
    let actions: Vec<_> = reg
        .history("unit", &u.id)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["restore", "delete", "create"]);
}

#[test]
fn people_are_found_by_pinyin_and_deleted_people_leave_the_list() {
    let mut reg = real();
    let p = person(&mut reg, "王秀兰");
    let q = |t: &str| InheritorQuery {
        query: Some(t.into()),
        ..Default::default()
    };
    assert_eq!(reg.inheritor_list(&q("wxl")).unwrap().total, 1);
    assert_eq!(reg.inheritor_list(&q("wangxiulan")).unwrap().total, 1);
    assert_eq!(reg.inheritor_list(&q("秀")).unwrap().total, 1);
    reg.inheritor_delete(&p.id, "录入错误").unwrap();
    assert_eq!(reg.inheritor_list(&q("wxl")).unwrap().total, 0);
    assert_eq!(
        reg.inheritor_list(&InheritorQuery {
            deleted: true,
            ..Default::default()
        })
        .unwrap()
        .total,
        1
    );
    assert!(reg.inheritor_restore(&p.id).unwrap().deleted_at.is_none());
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn the_dead_have_no_age() {
    let mut reg = real();
    let p = reg
        .inheritor_save(InheritorInput {
            name: "老艺人".into(),
            birth_date: Some("1931".into()),
            death_date: Some("2009-11-02".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(p.age, None);
    assert_eq!(
        reg.inheritor_list(&InheritorQuery::default()).unwrap().rows[0].age,
        None
    );
}

/// A unit query of the first page at the default size.
fn unit_query(query: Option<&str>, deleted: bool) -> UnitQuery {
    UnitQuery {
        query: query.map(str::to_string),
        deleted,
        ..Default::default()
    }
}

#[test]
fn units_are_paged_and_counted_in_sql_with_search_and_bin() {
    let mut reg = real();
    let drum = reg.item_save(item("鲁南花鼓", "Ⅲ", None)).unwrap();
    // 45 units under five kinds of name, saved out of name order.
    let kinds = [
        "运河街道文化站",
        "台儿庄区文化馆",
        "柳琴戏剧团",
        "邳庄镇综合文化站",
        "古城艺术团",
    ];
    let mut made: Vec<(String, String)> = Vec::new(); // (id, name) in creation order
    for n in 0..45 {
        let name = format!("{}{}分部", kinds[n % kinds.len()], 45 - n);
        let u = reg
            .unit_save(UnitInput {
                name: name.clone(),
                item_ids: if n == 33 {
                    vec![drum.id.clone()]
                } else {
                    vec![]
                },
                ..Default::default()
            })
            .unwrap();
        made.push((u.id, name));
    }
    let checked = made[33].0.clone();
    reg.unit_check_save(UnitCheck {
        unit_id: checked.clone(),
        checked_on: "2026-06-01".into(),
        result: "合格".into(),
        ..Default::default()
    })
    .unwrap();
    // The expected order, worked out here: name pinyin, then age.
    let mut expected: Vec<(String, usize, String)> = made
        .iter()
        .enumerate()
        .map(|(i, (_, name))| (feiyi_core::search::pinyin_keys(name).0, i, name.clone()))
        .collect();
    expected.sort();
    let expected: Vec<String> = expected.into_iter().map(|(.., n)| n).collect();

    let first = reg.unit_list(&UnitQuery::default()).unwrap();
    assert_eq!(
        (first.total, first.page, first.page_size),
        (45, 1, 20),
        "default page size 20"
    );
    assert_eq!(first.rows.len(), 20);
    let page = |p: i64, size: i64| {
        reg.unit_list(&UnitQuery {
            page: Some(p),
            page_size: Some(size),
            ..Default::default()
        })
        .unwrap()
    };
    let second = page(2, 20);
    assert_eq!((second.total, second.page, second.rows.len()), (45, 2, 20));
    let names = |rows: &[UnitRow]| rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>();
    assert_eq!(names(&second.rows), expected[20..40].to_vec());
    assert_eq!(page(3, 20).rows.len(), 5, "the last page holds the rest");
    let past = page(4, 20);
    assert!(past.rows.is_empty(), "past the end: no rows");
    assert_eq!(
        (past.total, past.page),
        (45, 4),
        "but the count and the page asked for"
    );
    // Every page of 7, one after another, is the whole list in order.
    let mut all = Vec::new();
    for p in 1..=7 {
        all.extend(names(&page(p, 7).rows));
    }
    assert_eq!(all, expected);
    assert_eq!(
        names(&reg.unit_list_all(None, false).unwrap()),
        expected,
        "the unpaged list for the command line"
    );
    // Page sizes are kept within 1..=500, pages from 1.
    assert_eq!(page(1, 0).page_size, 1);
    assert_eq!(page(1, 0).rows.len(), 1);
    assert_eq!(page(1, 10_000).page_size, 500);
    assert_eq!(page(1, 10_000).rows.len(), 45);
    assert_eq!(page(-3, 20).page, 1);
    // A page's rows still get their items and latest check.
    let at = expected.iter().position(|n| *n == made[33].1).unwrap() as i64;
    let row = page(at / 5 + 1, 5)
        .rows
        .into_iter()
        .find(|r| r.id == checked)
        .unwrap();
    assert_eq!(
        (row.items.as_str(), row.last_check.as_str()),
        ("鲁南花鼓", "合格（2026-06-01）")
    );

    // Search: the total counts every match, not just the page.
    let wenhua: Vec<&String> = expected.iter().filter(|n| n.contains("文化")).collect();
    assert_eq!(wenhua.len(), 27);
    let found = reg
        .unit_list(&UnitQuery {
            query: Some("文化".into()),
            page_size: Some(10),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((found.total, found.rows.len()), (27, 10));
    assert_eq!(
        names(&found.rows),
        wenhua[..10]
            .iter()
            .map(|n| n.to_string())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        reg.unit_list(&unit_query(Some("lqxjt"), false))
            .unwrap()
            .total,
        9,
        "initials"
    );
    assert_eq!(
        reg.unit_list(&unit_query(Some("皮影"), false))
            .unwrap()
            .total,
        0
    );

    // The bin: deleted units leave the live count and are counted and searched there.
    for (id, name) in made
        .iter()
        .filter(|(_, n)| n.starts_with("柳琴戏剧团"))
        .take(4)
    {
        reg.unit_delete(id, &format!("撤并：{name}")).unwrap();
    }
    reg.unit_delete(&made[1].0, "撤并").unwrap(); // 台儿庄区文化馆44分部
    assert_eq!(reg.unit_list(&UnitQuery::default()).unwrap().total, 40);
    let bin = reg.unit_list(&unit_query(None, true)).unwrap();
    assert_eq!(bin.total, 5);
    assert!(bin.rows.iter().all(|r| r.deleted_at.is_some()));
    assert_eq!(
        reg.unit_list(&unit_query(Some("剧团"), true))
            .unwrap()
            .total,
        4
    );
    assert_eq!(
        reg.unit_list(&unit_query(Some("剧团"), false))
            .unwrap()
            .total,
        5
    );
    // Units in the bin are not in the search index: the bin is searched by a scan of its own.
    let bin_wenhua = reg.unit_list(&unit_query(Some("文化馆"), true)).unwrap();
    assert_eq!(names(&bin_wenhua.rows), vec![made[1].1.clone()]);
    assert_eq!(
        reg.unit_list(&unit_query(Some("LQXJT"), true))
            .unwrap()
            .total,
        4,
        "initials in the bin"
    );
    assert_eq!(
        reg.unit_list(&unit_query(Some("tai er zhuang"), true))
            .unwrap()
            .total,
        1,
        "full pinyin in the bin"
    );
    assert_eq!(
        reg.unit_list(&unit_query(Some("%"), true)).unwrap().total,
        0
    );
    assert_eq!(
        reg.unit_list(&unit_query(Some("文化"), false))
            .unwrap()
            .total,
        26
    );
}

//! Reminders (提醒): each rule on the days around its edges, snooze / dismiss / restore,
//! settings, and the Beijing calendar day. Expected dates are worked out by hand in the
//! comments, not by the code under test.

use crate::support::{dump_tables, item, ManualClock};
use feiyi_core::model::*;
use feiyi_core::Registry;

/// A real registry in memory whose clock starts at `rfc3339`.
fn registry(rfc3339: &str) -> (Registry, ManualClock) {
    let clock = ManualClock::at(rfc3339);
    let reg = Registry::in_memory(RegistryKind::Real, clock.clock()).unwrap();
    (reg, clock)
}

/// Moves the clock to `rfc3339` (backwards too).
fn set(clock: &ManualClock, rfc3339: &str) {
    let now = (clock.clock())();
    let to = chrono::DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&chrono::Utc);
    clock.advance(to - now);
}

/// Moves the clock to noon of `day` in Beijing (04:00 UTC).
fn on(clock: &ManualClock, day: &str) {
    set(clock, &format!("{day}T04:00:00Z"));
}

/// The active reminder with `key`.
fn active(reg: &Registry, key: &str) -> Option<Reminder> {
    reg.reminders()
        .unwrap()
        .active
        .into_iter()
        .find(|r| r.key == key)
}

/// The urgency of the active reminder with `key` (None: not active).
fn urgency(reg: &Registry, key: &str) -> Option<ReminderUrgency> {
    active(reg, key).map(|r| r.urgency)
}

/// Every raised key (active, snoozed or dismissed) starting with `prefix`.
fn keys(reg: &Registry, prefix: &str) -> Vec<String> {
    let l = reg.reminders().unwrap();
    let mut k: Vec<String> = l
        .active
        .iter()
        .chain(&l.snoozed)
        .chain(&l.dismissed)
        .filter(|r| r.key.starts_with(prefix))
        .map(|r| r.key.clone())
        .collect();
    k.sort();
    k
}

fn new_item(reg: &mut Registry, name: &str) -> String {
    reg.item_save(item(name, "Ⅷ", None)).unwrap().id
}

fn person(reg: &mut Registry, name: &str, birth: Option<&str>) -> String {
    reg.inheritor_save(InheritorInput {
        name: name.into(),
        birth_date: birth.map(str::to_string),
        ..Default::default()
    })
    .unwrap()
    .id
}

fn recognise(
    reg: &mut Registry,
    who: &str,
    what: &str,
    on: Option<&str>,
    doc: Option<&str>,
) -> String {
    reg.recognition_save(RecognitionInput {
        inheritor_id: who.into(),
        item_id: what.into(),
        level: "区级".into(),
        doc_number: doc.map(str::to_string),
        recognized_on: on.map(str::to_string),
        ..Default::default()
    })
    .unwrap()
    .id
}

fn evaluate(reg: &mut Registry, who: &str, what: &str, year: i64) {
    reg.evaluation_save(Evaluation {
        inheritor_id: who.into(),
        item_id: what.into(),
        year,
        grade: "合格".into(),
        ..Default::default()
    })
    .unwrap();
}

fn settings(reg: &mut Registry, change: impl FnOnce(&mut ReminderSettings)) {
    let mut s = reg.reminder_settings().unwrap();
    change(&mut s);
    reg.reminder_settings_save(s).unwrap();
}

const DOC: Option<&str> = Some("台政字〔2020〕8号");

// ------------------------------------------------------------ 1. evaluations

#[test]
fn evaluation_due_opens_sixty_days_before_year_end_and_goes_when_recorded() {
    let (mut reg, clock) = registry("2026-06-01T04:00:00Z");
    let it = new_item(&mut reg, "鲁南花鼓");
    let p = person(&mut reg, "王运河", Some("1960"));
    let rec = recognise(&mut reg, &p, &it, Some("2020-05-01"), DOC);
    evaluate(&mut reg, &p, &it, 2025);
    let key = format!("evaluation_due:{rec}:2026");

    // 12-31 − 60 days = 11-01 (30 days of December, 30 of November).
    on(&clock, "2026-10-31");
    assert_eq!(urgency(&reg, &key), None);
    on(&clock, "2026-11-01");
    let r = active(&reg, &key).unwrap();
    assert_eq!(r.urgency, ReminderUrgency::DueSoon);
    assert_eq!(r.rule, ReminderRule::EvaluationDue);
    assert_eq!(r.title, "王运河（鲁南花鼓）2026年度评估未录入");
    assert_eq!(r.due_on.as_deref(), Some("2026-12-31"));
    assert!(r.detail.contains("传承人页面"), "{}", r.detail);
    let t = r.target.unwrap();
    assert_eq!(
        (t.kind.as_str(), t.id.as_str(), t.field.as_deref()),
        ("inheritor", p.as_str(), Some("evaluations"))
    );
    on(&clock, "2026-12-31");
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::DueSoon));
    // The day after, a new year: the missing 2026 evaluation is overdue.
    on(&clock, "2027-01-01");
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::Overdue));
    evaluate(&mut reg, &p, &it, 2026);
    assert_eq!(urgency(&reg, &key), None);
    assert!(keys(&reg, "evaluation_due:").is_empty());
}

#[test]
fn evaluation_due_with_a_mid_year_date_turns_overdue_and_looks_back_one_year() {
    let (mut reg, clock) = registry("2026-01-05T04:00:00Z");
    settings(&mut reg, |s| {
        s.evaluation_due = "06-30".into();
        s.evaluation_lead_days = 10;
    });
    let it = new_item(&mut reg, "运河号子");
    let p = person(&mut reg, "李号子", Some("1970-03"));
    let rec = recognise(&mut reg, &p, &it, Some("2019-01-10"), DOC);
    // Neither 2024 nor 2025 is recorded: only 2025 (one year back) is raised, overdue.
    assert_eq!(
        keys(&reg, "evaluation_due:"),
        vec![format!("evaluation_due:{rec}:2025")]
    );
    assert_eq!(
        urgency(&reg, &format!("evaluation_due:{rec}:2025")),
        Some(ReminderUrgency::Overdue)
    );
    evaluate(&mut reg, &p, &it, 2025);
    assert!(keys(&reg, "evaluation_due:").is_empty());

    let key = format!("evaluation_due:{rec}:2026");
    on(&clock, "2026-06-19"); // 06-30 − 10 = 06-20
    assert_eq!(urgency(&reg, &key), None);
    on(&clock, "2026-06-20");
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::DueSoon));
    on(&clock, "2026-06-30");
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::DueSoon));
    on(&clock, "2026-07-01");
    let r = active(&reg, &key).unwrap();
    assert_eq!(r.urgency, ReminderUrgency::Overdue);
    assert_eq!(r.due_on.as_deref(), Some("2026-06-30"));
    assert!(r.detail.contains("逾期"), "{}", r.detail);
}

#[test]
fn evaluation_due_skips_late_recognitions_and_recognitions_not_in_force() {
    let (mut reg, clock) = registry("2026-01-05T04:00:00Z");
    settings(&mut reg, |s| s.evaluation_due = "06-30".into());
    let it = new_item(&mut reg, "柳编");
    // Recognised after this year's due day (and after last year's): nothing.
    let late = person(&mut reg, "新认定", Some("1980"));
    recognise(&mut reg, &late, &it, Some("2026-07-15"), DOC);
    // Recognised on the due day itself: raised.
    let ontime = person(&mut reg, "当日认定", Some("1980"));
    let rec_on = recognise(&mut reg, &ontime, &it, Some("2026-06-30"), DOC);
    // 丧失传承能力: keeps the title, not evaluated.
    let lost = person(&mut reg, "失能者", Some("1940"));
    let rec_lost = recognise(&mut reg, &lost, &it, Some("2010-01-01"), DOC);
    reg.recognition_event_add(RecognitionEventInput {
        recognition_id: rec_lost.clone(),
        status: "丧失传承能力".into(),
        occurred_on: "2025-03-01".into(),
        ..Default::default()
    })
    .unwrap();
    // Dead (death date recorded, no event yet): not evaluated.
    let dead = person(&mut reg, "已故者", Some("1930"));
    recognise(&mut reg, &dead, &it, Some("2010-01-01"), DOC);
    reg.inheritor_save(InheritorInput {
        id: Some(dead.clone()),
        name: "已故者".into(),
        birth_date: Some("1930".into()),
        death_date: Some("2024-02-02".into()),
        ..Default::default()
    })
    .unwrap();

    on(&clock, "2026-07-16");
    assert_eq!(
        keys(&reg, "evaluation_due:"),
        vec![format!("evaluation_due:{rec_on}:2026")]
    );
    // A person recognised at two levels for one item gets one reminder a year.
    reg.recognition_save(RecognitionInput {
        inheritor_id: ontime.clone(),
        item_id: it.clone(),
        level: "市级".into(),
        doc_number: DOC.map(str::to_string),
        recognized_on: Some("2026-01-01".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(keys(&reg, "evaluation_due:").len(), 1);
}

// ------------------------------------------------------------ 2. unit checks

fn unit(reg: &mut Registry, name: &str, items: &[&str]) -> String {
    reg.unit_save(UnitInput {
        name: name.into(),
        item_ids: items.iter().map(|s| s.to_string()).collect(),
        ..Default::default()
    })
    .unwrap()
    .id
}

fn check(reg: &mut Registry, unit: &str, on: &str, result: &str, deadline: Option<&str>) {
    reg.unit_check_save(UnitCheck {
        unit_id: unit.into(),
        checked_on: on.into(),
        result: result.into(),
        deadline: deadline.map(str::to_string),
        ..Default::default()
    })
    .unwrap();
}

#[test]
fn unit_checks_are_due_a_year_after_a_pass_on_a_deadline_or_after_registration() {
    // Units registered on 2025-12-20 (Beijing).
    let (mut reg, clock) = registry("2025-12-20T04:00:00Z");
    let it = new_item(&mut reg, "台儿庄古城传说");
    let passed = unit(&mut reg, "甲单位", &[&it]);
    check(&mut reg, &passed, "2025-11-15", "合格", None);
    let fixing = unit(&mut reg, "乙单位", &[&it]);
    check(
        &mut reg,
        &fixing,
        "2026-03-01",
        "限期整改",
        Some("2026-06-30"),
    );
    let cancelled = unit(&mut reg, "丙单位", &[&it]);
    check(&mut reg, &cancelled, "2025-12-01", "取消", None);
    let never = unit(&mut reg, "丁单位", &[&it]);
    let unlinked = unit(&mut reg, "戊单位", &[]);

    // 合格 on 2025-11-15 + 12 months = 2026-11-15; 30 days before = 10-16.
    let key = format!("unit_check_due:{passed}:2026-11-15");
    on(&clock, "2026-10-15");
    assert_eq!(urgency(&reg, &key), None);
    on(&clock, "2026-10-16");
    let r = active(&reg, &key).unwrap();
    assert_eq!(r.urgency, ReminderUrgency::DueSoon);
    assert_eq!(r.rule, ReminderRule::UnitCheckDue);
    assert_eq!(r.due_on.as_deref(), Some("2026-11-15"));
    assert!(r.title.contains("甲单位"), "{}", r.title);
    let t = r.target.unwrap();
    assert_eq!(
        (t.kind.as_str(), t.id.as_str(), t.field.as_deref()),
        ("unit", passed.as_str(), Some("checks"))
    );
    on(&clock, "2026-11-15");
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::DueSoon));
    on(&clock, "2026-11-16");
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::Overdue));
    // A new check moves the due date (and so the key) a year on.
    check(&mut reg, &passed, "2026-11-16", "合格", None);
    assert_eq!(urgency(&reg, &key), None);
    assert_eq!(
        keys(&reg, &format!("unit_check_due:{passed}")),
        Vec::<String>::new(),
        "next due 2027-11-16, not yet in its window"
    );

    // 限期整改 with a deadline: due on the deadline, window from 05-31.
    let key = format!("unit_check_due:{fixing}:2026-06-30");
    on(&clock, "2026-05-30");
    assert_eq!(urgency(&reg, &key), None);
    on(&clock, "2026-05-31");
    let r = active(&reg, &key).unwrap();
    assert_eq!(r.urgency, ReminderUrgency::DueSoon);
    assert!(r.title.contains("整改期限"), "{}", r.title);
    on(&clock, "2026-06-30");
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::DueSoon));
    on(&clock, "2026-07-01");
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::Overdue));

    // Never checked: registered 2025-12-20 + 12 months = 2026-12-20, window from 11-20.
    let key = format!("unit_check_due:{never}:2026-12-20");
    on(&clock, "2026-11-19");
    assert_eq!(urgency(&reg, &key), None);
    on(&clock, "2026-11-20");
    let r = active(&reg, &key).unwrap();
    assert_eq!(r.urgency, ReminderUrgency::DueSoon);
    assert!(r.detail.contains("2025-12-20"), "{}", r.detail);
    on(&clock, "2026-12-21");
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::Overdue));

    // 取消 and a unit protecting no item: never.
    for day in ["2026-06-01", "2026-12-21", "2027-06-01"] {
        on(&clock, day);
        assert!(keys(&reg, &format!("unit_check_due:{cancelled}")).is_empty());
        assert!(keys(&reg, &format!("unit_check_due:{unlinked}")).is_empty());
    }
}

#[test]
fn unit_check_months_clamp_to_the_end_of_february() {
    let (mut reg, clock) = registry("2026-01-31T04:00:00Z");
    settings(&mut reg, |s| {
        s.unit_check_months = 1;
        s.unit_check_lead_days = 0;
    });
    let it = new_item(&mut reg, "鲁南皮影戏");
    let u = unit(&mut reg, "皮影剧团", &[&it]);
    check(&mut reg, &u, "2026-01-31", "合格", None);
    // 01-31 + 1 month = 02-28 (2026 is not a leap year).
    let key = format!("unit_check_due:{u}:2026-02-28");
    on(&clock, "2026-02-27");
    assert_eq!(urgency(&reg, &key), None);
    on(&clock, "2026-02-28");
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::DueSoon));
    on(&clock, "2026-03-01");
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::Overdue));
    // A link that ended yesterday no longer makes the unit due for checks.
    reg.connection()
        .execute("UPDATE unit_item SET until = '2026-02-28'", [])
        .unwrap();
    assert_eq!(urgency(&reg, &key), None);
}

// ------------------------------------------------------------ 3. annual report

#[test]
fn annual_report_is_announced_thirty_days_before_november_30_then_overdue() {
    let (mut reg, clock) = registry("2026-10-30T04:00:00Z");
    let key = "annual_report:2026";
    assert_eq!(urgency(&reg, key), None); // 11-30 − 30 = 10-31
    on(&clock, "2026-10-31");
    let r = active(&reg, key).unwrap();
    assert_eq!(r.urgency, ReminderUrgency::DueSoon);
    assert_eq!(r.rule, ReminderRule::AnnualReport);
    assert_eq!(r.title, "2026年度非遗保护工作报告报送");
    assert_eq!(r.due_on.as_deref(), Some("2026-11-30"));
    let t = r.target.unwrap();
    assert_eq!((t.kind.as_str(), t.id.as_str()), ("report", "2026"));
    on(&clock, "2026-11-30");
    assert_eq!(urgency(&reg, key), Some(ReminderUrgency::DueSoon));
    on(&clock, "2026-12-01");
    assert_eq!(urgency(&reg, key), Some(ReminderUrgency::Overdue));
    on(&clock, "2026-12-31");
    assert_eq!(urgency(&reg, key), Some(ReminderUrgency::Overdue));
    on(&clock, "2027-01-01");
    assert!(keys(&reg, "annual_report:").is_empty());

    // Changed to 12-15: window from 11-15, overdue from 12-16.
    on(&clock, "2026-11-14");
    settings(&mut reg, |s| s.annual_report_due = "12-15".into());
    assert_eq!(urgency(&reg, key), None);
    on(&clock, "2026-11-15");
    assert_eq!(
        active(&reg, key).unwrap().due_on.as_deref(),
        Some("2026-12-15")
    );
    on(&clock, "2026-12-15");
    assert_eq!(urgency(&reg, key), Some(ReminderUrgency::DueSoon));
    on(&clock, "2026-12-16");
    assert_eq!(urgency(&reg, key), Some(ReminderUrgency::Overdue));
}

#[test]
fn today_is_the_beijing_day() {
    // 2026-11-30 23:59 in Beijing is still the due day; 16:30 UTC is 00:30 on 12-01 there.
    let (reg, clock) = registry("2026-11-30T15:59:00Z");
    assert_eq!(reg.reminders().unwrap().today, "2026-11-30");
    assert_eq!(
        urgency(&reg, "annual_report:2026"),
        Some(ReminderUrgency::DueSoon)
    );
    set(&clock, "2026-11-30T16:30:00Z");
    assert_eq!(reg.reminders().unwrap().today, "2026-12-01");
    assert_eq!(
        urgency(&reg, "annual_report:2026"),
        Some(ReminderUrgency::Overdue)
    );
}

// ------------------------------------------------------------ 4. plans

fn plan(reg: &mut Registry, it: &str, title: &str, start: i64, targets: &[i64]) -> String {
    reg.plan_save(PlanInput {
        item_id: it.into(),
        title: title.into(),
        start_year: start,
        end_year: start + 4,
        years: targets
            .iter()
            .map(|y| PlanYear {
                year: *y,
                targets: Some(format!("{y} 年度目标：传习班 2 期")),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    })
    .unwrap()
    .id
}

#[test]
fn plan_years_with_targets_and_ending_plans_are_raised_in_the_last_sixty_days() {
    let (mut reg, clock) = registry("2026-03-01T04:00:00Z");
    let it = new_item(&mut reg, "运河渔鼓");
    let ending = plan(&mut reg, &it, "渔鼓五年计划", 2022, &[2025, 2026]);
    let other = new_item(&mut reg, "古城剪纸");
    let middle = plan(&mut reg, &other, "剪纸五年计划", 2025, &[2027]);

    let milestone = format!("plan_milestone:{ending}:2026");
    let end = format!("plan_end:{ending}:2026");
    on(&clock, "2026-10-31"); // 12-31 − 60 = 11-01
    assert!(keys(&reg, "plan_").is_empty());
    on(&clock, "2026-11-01");
    let m = active(&reg, &milestone).unwrap();
    assert_eq!(m.urgency, ReminderUrgency::DueSoon);
    assert_eq!(m.rule, ReminderRule::PlanMilestone);
    assert_eq!(m.title, "渔鼓五年计划 2026年度目标待总结");
    assert_eq!(m.due_on.as_deref(), Some("2026-12-31"));
    let t = m.target.unwrap();
    assert_eq!((t.kind.as_str(), t.id.as_str()), ("plan", ending.as_str()));
    let e = active(&reg, &end).unwrap();
    assert_eq!(e.title, "渔鼓五年计划将于2026年到期，需编制下一期计划");
    assert!(e.detail.contains("2027—2031"), "{}", e.detail);
    // The plan in its middle year without 2026 targets: nothing.
    assert!(keys(&reg, &format!("plan_milestone:{middle}")).is_empty());
    assert!(keys(&reg, &format!("plan_end:{middle}")).is_empty());
    on(&clock, "2026-12-31");
    assert_eq!(urgency(&reg, &end), Some(ReminderUrgency::DueSoon));

    // A successor plan settles the plan's end, not its year's summary.
    plan(&mut reg, &it, "渔鼓第二个五年计划", 2027, &[]);
    assert_eq!(urgency(&reg, &end), None);
    assert_eq!(urgency(&reg, &milestone), Some(ReminderUrgency::DueSoon));
    // The next year: the old plan is over, nothing of it is raised.
    on(&clock, "2027-12-01");
    assert!(keys(&reg, &format!("plan_milestone:{ending}")).is_empty());
    assert!(keys(&reg, &format!("plan_end:{ending}")).is_empty());
    assert_eq!(
        urgency(&reg, &format!("plan_milestone:{middle}:2027")),
        Some(ReminderUrgency::DueSoon)
    );
}

// ------------------------------------------------------------ 5–7. gaps

#[test]
fn a_recognition_without_doc_number_is_a_gap() {
    let (mut reg, _clock) = registry("2026-05-01T04:00:00Z");
    let it = new_item(&mut reg, "花鼓");
    let p = person(&mut reg, "赵花鼓", Some("1975"));
    let without = recognise(&mut reg, &p, &it, Some("2020-01-01"), None);
    let q = person(&mut reg, "钱花鼓", Some("1975"));
    recognise(&mut reg, &q, &it, Some("2020-01-01"), DOC);
    assert_eq!(
        keys(&reg, "recognition_without_doc:"),
        vec![format!("recognition_without_doc:{without}")]
    );
    let r = active(&reg, &format!("recognition_without_doc:{without}")).unwrap();
    assert_eq!(r.urgency, ReminderUrgency::Gap);
    assert_eq!(r.rule, ReminderRule::RecognitionWithoutDoc);
    assert_eq!(r.due_on, None);
    assert!(r.title.contains("赵花鼓") && r.title.contains("文号"));
    let t = r.target.unwrap();
    assert_eq!(
        (t.kind.as_str(), t.id.as_str(), t.field.as_deref()),
        ("inheritor", p.as_str(), Some("recognitions"))
    );
}

#[test]
fn an_item_without_a_current_unit_is_a_gap() {
    let (mut reg, clock) = registry("2026-05-01T04:00:00Z");
    let it = new_item(&mut reg, "台儿庄大鼓");
    let key = format!("item_without_unit:{it}");
    let r = active(&reg, &key).unwrap();
    assert_eq!(r.urgency, ReminderUrgency::Gap);
    assert_eq!(r.title, "台儿庄大鼓尚无保护单位");
    let t = r.target.unwrap();
    assert_eq!(
        (t.kind.as_str(), t.id.as_str(), t.field.as_deref()),
        ("item", it.as_str(), Some("units"))
    );
    let u = unit(&mut reg, "大鼓传习所", &[&it]);
    assert_eq!(urgency(&reg, &key), None);
    // The link ends today: still covered today, a gap tomorrow.
    reg.connection()
        .execute("UPDATE unit_item SET until = '2026-05-01'", [])
        .unwrap();
    assert_eq!(urgency(&reg, &key), None);
    on(&clock, "2026-05-02");
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::Gap));
    // A current link to a unit in the recycle bin does not count.
    reg.connection()
        .execute("UPDATE unit_item SET until = NULL", [])
        .unwrap();
    assert_eq!(urgency(&reg, &key), None);
    reg.unit_delete(&u, "重复登记").unwrap();
    assert_eq!(urgency(&reg, &key), Some(ReminderUrgency::Gap));
    // A withdrawn (撤销) item needs no unit.
    let mut input = item("台儿庄大鼓", "Ⅷ", None);
    input.id = Some(it.clone());
    input.status = Some("撤销".into());
    reg.item_save(input).unwrap();
    assert_eq!(urgency(&reg, &key), None);
}

#[test]
fn an_elder_without_apprentice_is_raised_from_the_eightieth_birthday() {
    let (mut reg, clock) = registry("2026-11-30T04:00:00Z");
    let it = new_item(&mut reg, "柳琴戏");
    let old = person(&mut reg, "孙老艺人", Some("1946-12-01"));
    recognise(&mut reg, &old, &it, Some("2010-01-01"), DOC);
    let unknown = person(&mut reg, "无生日", None);
    recognise(&mut reg, &unknown, &it, Some("2010-01-01"), DOC);
    let key = format!("elder_without_apprentice:{old}");
    assert_eq!(urgency(&reg, &key), None, "79 on the day before");
    on(&clock, "2026-12-01");
    let r = active(&reg, &key).unwrap();
    assert_eq!(r.urgency, ReminderUrgency::Gap);
    assert_eq!(r.title, "孙老艺人（80岁）尚未登记徒弟");
    let t = r.target.unwrap();
    assert_eq!(
        (t.kind.as_str(), t.id.as_str(), t.field.as_deref()),
        ("inheritor", old.as_str(), Some("lineage"))
    );
    assert_eq!(keys(&reg, "elder_without_apprentice:"), vec![key.clone()]);
    // A year only: aged from January 1st of it.
    let year_only = person(&mut reg, "周老艺人", Some("1946"));
    recognise(&mut reg, &year_only, &it, Some("2010-01-01"), DOC);
    assert!(urgency(&reg, &format!("elder_without_apprentice:{year_only}")).is_some());
    // An apprentice recorded in the lineage settles it.
    let young = person(&mut reg, "孙小徒", Some("1990"));
    reg.lineage_edge_save(LineageEdge {
        item_id: it.clone(),
        master_id: old.clone(),
        apprentice_id: young.clone(),
        kind: "师徒".into(),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(urgency(&reg, &key), None);
    // An apprentice in the recycle bin does not count; restored, it does again.
    reg.inheritor_delete(&young, "测试删除").unwrap();
    assert!(urgency(&reg, &key).is_some());
    reg.inheritor_restore(&young).unwrap();
    assert_eq!(urgency(&reg, &key), None);
    // The elder setting changes the threshold.
    settings(&mut reg, |s| s.elder_age = 81);
    assert!(keys(&reg, "elder_without_apprentice:").is_empty());
}

// ------------------------------------------------------------ 8. 非遗月

#[test]
fn feiyi_month_is_announced_thirty_days_ahead_and_shown_until_it_ends() {
    // The 2026 非遗月 is 2026-02-10 to 2026-03-20 (腊月廿三 to 二月初二); 02-10 − 30 = 01-11.
    let (reg, clock) = registry("2026-01-10T04:00:00Z");
    let key = "feiyi_month:2026";
    assert_eq!(urgency(&reg, key), None);
    on(&clock, "2026-01-11");
    let r = active(&reg, key).unwrap();
    assert_eq!(r.urgency, ReminderUrgency::Info);
    assert_eq!(r.rule, ReminderRule::FeiyiMonth);
    assert_eq!(r.title, "2026年非遗月：2026-02-10至2026-03-20");
    assert_eq!(r.due_on.as_deref(), Some("2026-02-10"));
    assert!(r.detail.contains("腊月二十三至二月初二"), "{}", r.detail);
    let t = r.target.unwrap();
    assert_eq!(
        (t.kind.as_str(), t.id.as_str()),
        ("protection", "activities")
    );
    on(&clock, "2026-03-20");
    assert_eq!(urgency(&reg, key), Some(ReminderUrgency::Info));
    on(&clock, "2026-03-21");
    assert!(keys(&reg, "feiyi_month:").is_empty());
}

// ------------------------------------------------------------ state

#[test]
fn snooze_hides_through_its_day_and_dismiss_and_restore_keep_the_log_untouched() {
    let (mut reg, clock) = registry("2026-11-20T04:00:00Z");
    let key = "annual_report:2026";
    let log_rows = |reg: &Registry| dump_tables(reg)["edit_log"].len();
    let logged = log_rows(&reg);

    let list = reg
        .reminder_snooze(key, "2026-11-25", Some("  等统计数据  "))
        .unwrap();
    assert!(list.active.iter().all(|r| r.key != key));
    let s = list.snoozed.iter().find(|r| r.key == key).unwrap();
    assert_eq!(s.snoozed_until.as_deref(), Some("2026-11-25"));
    assert_eq!(s.reason.as_deref(), Some("等统计数据"));
    on(&clock, "2026-11-25");
    assert_eq!(urgency(&reg, key), None, "hidden through its day");
    on(&clock, "2026-11-26");
    let back = active(&reg, key).unwrap();
    assert_eq!(back.urgency, ReminderUrgency::DueSoon);
    assert_eq!(back.snoozed_until, None);

    // Dismiss needs a reason.
    let e = reg.reminder_dismiss(key, "   ").unwrap_err();
    assert_eq!(e.code(), "validation");
    assert_eq!(e.fields()[0].field, "reason");
    assert_eq!(e.fields()[0].message, "请填写忽略的理由");
    let e = reg.reminder_dismiss(key, &"长".repeat(201)).unwrap_err();
    assert_eq!(e.fields()[0].field, "reason");
    let list = reg.reminder_dismiss(key, "已报送").unwrap();
    assert!(list.active.iter().all(|r| r.key != key));
    let d = list.dismissed.iter().find(|r| r.key == key).unwrap();
    assert_eq!(d.reason.as_deref(), Some("已报送"));
    assert!(d.dismissed_at.as_deref().unwrap().starts_with("2026-11-26"));
    on(&clock, "2026-12-20");
    assert_eq!(urgency(&reg, key), None, "a dismissal does not expire");

    // Restore: active again (overdue by now); a second restore is refused.
    let list = reg.reminder_restore(key).unwrap();
    assert_eq!(
        list.active.iter().find(|r| r.key == key).unwrap().urgency,
        ReminderUrgency::Overdue
    );
    assert!(list.dismissed.is_empty() && list.snoozed.is_empty());
    let e = reg.reminder_restore(key).unwrap_err();
    assert_eq!(e.code(), "conflict");
    assert!(e.to_string().contains("没有被推迟或忽略"), "{e}");

    assert_eq!(log_rows(&reg), logged, "reminder state is not logged");
}

#[test]
fn actions_take_reminders_raised_on_a_reader_and_answer_as_the_plain_ones() {
    // The shell raises them on a read-only handle and holds the registry only to write.
    let dir = tempfile::tempdir().unwrap();
    let clock = ManualClock::at("2026-11-20T04:00:00Z");
    let mut reg = Registry::create(dir.path(), RegistryKind::Real, clock.clock()).unwrap();
    let key = "annual_report:2026";
    let raised = reg.reader().unwrap().reminders_raise().unwrap();
    let list = reg
        .reminder_snooze_in(raised.clone(), key, "2026-11-25", None)
        .unwrap();
    assert!(list.snoozed.iter().any(|r| r.key == key));
    assert_eq!(
        serde_json::to_string(&list).unwrap(),
        serde_json::to_string(&reg.reminders().unwrap()).unwrap()
    );
    let list = reg
        .reminder_dismiss_in(raised.clone(), key, "已报送")
        .unwrap();
    assert!(list.dismissed.iter().any(|r| r.key == key));
    let list = reg.reminder_restore_in(raised.clone(), key).unwrap();
    assert!(list.active.iter().any(|r| r.key == key));
    // A key the raised reminders do not hold is not found, and nothing is written.
    let e = reg
        .reminder_snooze_in(raised, "annual_report:1999", "2026-11-25", None)
        .unwrap_err();
    assert_eq!(e.code(), "not_found");
    assert!(reg.reminders().unwrap().snoozed.is_empty());
}

#[test]
fn bad_snoozes_and_unknown_keys_are_refused_and_change_nothing() {
    let (mut reg, _clock) = registry("2026-11-20T04:00:00Z");
    let key = "annual_report:2026";
    let before = dump_tables(&reg);
    for (until, words) in [
        ("2026-11-20", "晚于今天"),
        ("2026-11-19", "晚于今天"),
        ("2027-11-22", "366"), // 2026-11-20 + 366 days = 2027-11-21
        ("2026-02-30", "不是有效日期"),
        ("下周", "不是有效日期"),
        ("", "请填写"),
    ] {
        let e = reg.reminder_snooze(key, until, None).unwrap_err();
        assert_eq!(e.code(), "validation", "{until}");
        assert_eq!(e.fields()[0].field, "until");
        assert!(e.to_string().contains(words), "{until}: {e}");
    }
    reg.reminder_snooze(key, "2027-11-21", None).unwrap();
    reg.reminder_restore(key).unwrap();
    let unknown = "annual_report:1999";
    for e in [
        reg.reminder_snooze(unknown, "2026-12-01", None)
            .unwrap_err(),
        reg.reminder_dismiss(unknown, "已报送").unwrap_err(),
        reg.reminder_restore(unknown).unwrap_err(),
    ] {
        assert_eq!(e.code(), "not_found");
        assert!(e.to_string().contains("找不到提醒"), "{e}");
        assert!(e.to_string().contains(unknown), "{e}");
    }
    assert_eq!(dump_tables(&reg), before);
}

#[test]
fn active_reminders_are_sorted_by_urgency_then_due_date_then_title() {
    let (mut reg, _clock) = registry("2026-12-01T04:00:00Z");
    let a = new_item(&mut reg, "乙项目");
    new_item(&mut reg, "甲项目");
    let p = person(&mut reg, "吴某", Some("1960"));
    recognise(&mut reg, &p, &a, Some("2020-01-01"), None);
    let list = reg.reminders().unwrap();
    let order: Vec<(ReminderUrgency, Option<String>, String)> = list
        .active
        .iter()
        .map(|r| (r.urgency, r.due_on.clone(), r.title.clone()))
        .collect();
    // Overdue annual report (11-30), due-soon evaluation (12-31) and 2025's overdue one,
    // then gaps by title.
    let rank = |u: ReminderUrgency| match u {
        ReminderUrgency::Overdue => 0,
        ReminderUrgency::DueSoon => 1,
        ReminderUrgency::Gap => 2,
        ReminderUrgency::Info => 3,
    };
    for w in order.windows(2) {
        let (x, y) = (&w[0], &w[1]);
        assert!(rank(x.0) <= rank(y.0), "{order:?}");
        if x.0 == y.0 {
            match (&x.1, &y.1) {
                (Some(a), Some(b)) => assert!(a < b || (a == b && x.2 <= y.2), "{order:?}"),
                (None, Some(_)) => panic!("undated before dated: {order:?}"),
                (_, None) => {}
            }
            if x.1.is_none() && y.1.is_none() {
                assert!(x.2 <= y.2, "{order:?}");
            }
        }
    }
    assert_eq!(order[0].0, ReminderUrgency::Overdue);
    assert_eq!(order[0].2, "吴某（乙项目）2025年度评估未录入"); // due 2025-12-31
    assert_eq!(order[1].2, "2026年度非遗保护工作报告报送"); // due 2026-11-30
    assert_eq!(order[2].0, ReminderUrgency::DueSoon);
    let gaps: Vec<&str> = order
        .iter()
        .filter(|o| o.0 == ReminderUrgency::Gap)
        .map(|o| o.2.as_str())
        .collect();
    assert_eq!(
        gaps,
        // Titles compare by code point: 乙 U+4E59 < 吴 U+5434 < 甲 U+7532.
        vec![
            "乙项目尚无保护单位",
            "吴某（乙项目）区级认定缺少文号",
            "甲项目尚无保护单位"
        ]
    );
}

// ------------------------------------------------------------ settings

#[test]
fn settings_default_validate_and_persist() {
    let (mut reg, _clock) = registry("2026-05-01T04:00:00Z");
    assert_eq!(
        reg.reminder_settings().unwrap(),
        ReminderSettings::default()
    );
    let before = dump_tables(&reg);

    let bad = ReminderSettings {
        annual_report_due: "02-29".into(),
        evaluation_due: "12-32".into(),
        annual_report_lead_days: -1,
        unit_check_months: 0,
        plan_lead_days: 366,
        elder_age: 49,
        ..Default::default()
    };
    let e = reg.reminder_settings_save(bad).unwrap_err();
    assert_eq!(e.code(), "validation");
    let fields: Vec<&str> = e.fields().iter().map(|f| f.field.as_str()).collect();
    for f in [
        "annualReportDue",
        "evaluationDue",
        "annualReportLeadDays",
        "planLeadDays",
        "unitCheckMonths",
        "elderAge",
    ] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    let feb = e
        .fields()
        .iter()
        .find(|f| f.field == "annualReportDue")
        .unwrap();
    assert!(feb.message.contains("2 月 29 日"), "{}", feb.message);
    let neg = e
        .fields()
        .iter()
        .find(|f| f.field == "annualReportLeadDays")
        .unwrap();
    assert!(neg.message.contains("0 到 365"), "{}", neg.message);
    assert_eq!(dump_tables(&reg), before, "nothing stored");

    let saved = reg
        .reminder_settings_save(ReminderSettings {
            annual_report_due: " 12-15 ".into(),
            elder_age: 85,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(saved.annual_report_due, "12-15");
    assert_eq!(saved.elder_age, 85);
    assert_eq!(reg.reminder_settings().unwrap(), saved);
    let stored: String = reg
        .connection()
        .query_row(
            "SELECT value FROM meta WHERE key = 'reminder_settings'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let json: serde_json::Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(json["annualReportDue"], "12-15");
    assert_eq!(json["elderAge"], 85);
}

// ------------------------------------------------------------ scale

#[test]
fn reminders_over_100000_items_come_from_set_queries_quickly() {
    let (reg, _clock) = registry("2026-11-28T04:00:00Z");
    // Straight into the tables: 100,000 items, 1,000 units protecting the first 50,000,
    // 20,000 people each recognised (no 文号, born 1940) for one item.
    reg.connection()
        .execute_batch(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
             INSERT INTO item(uid, name, category_code, seq, created_at, updated_at)
             SELECT 'item-' || i, '项目' || i, 'Ⅷ', i, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
             INSERT INTO protection_unit(uid, name, created_at, updated_at)
             SELECT 'unit-' || i, '单位' || i, '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n;
             INSERT INTO unit_item(unit_id, item_id)
             SELECT 1 + (id - 1) / 50, id FROM item WHERE id <= 50000;
             WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
             INSERT INTO inheritor(uid, name, birth_date, created_at, updated_at)
             SELECT 'person-' || i, '传承人' || i, '1940', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z' FROM n;
             INSERT INTO recognition(uid, inheritor_id, item_id, level, recognized_on, created_at, updated_at)
             SELECT 'rec-' || id, id, id * 5, '区级', '2020-01-01', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'
             FROM inheritor;",
        )
        .unwrap();
    let started = std::time::Instant::now();
    let list = reg.reminders().unwrap();
    let took = started.elapsed();
    eprintln!("reminders over 100,000 items: {took:?}");
    let count = |prefix: &str| {
        list.active
            .iter()
            .filter(|r| r.key.starts_with(prefix))
            .count()
    };
    assert_eq!(count("item_without_unit:"), 50_000);
    assert_eq!(count("recognition_without_doc:"), 20_000);
    assert_eq!(count("elder_without_apprentice:"), 20_000);
    // 2026 (due soon from 11-01) and 2025 (overdue) for each person.
    assert_eq!(count("evaluation_due:"), 40_000);
    // Not checked since registration on 2026-01-01: due 2027-01-01, window from 12-02.
    assert_eq!(count("unit_check_due:"), 0);
    // About 1.5 s in a debug build here; generous for a busy shared machine.
    assert!(took < std::time::Duration::from_secs(20), "{took:?}");
}

#[test]
fn the_revision_moves_exactly_when_the_reminders_could_change() {
    let (mut reg, clock) = registry("2026-11-29T04:00:00Z");
    let r0 = reg.reminders_revision().unwrap();
    assert_eq!(
        reg.reminders_revision().unwrap(),
        r0,
        "reading changes nothing"
    );
    let _ = reg.reminders().unwrap();
    assert_eq!(reg.reminders_revision().unwrap(), r0);

    // A register change (any logged write) moves it.
    let id = new_item(&mut reg, "运河号子");
    let r1 = reg.reminders_revision().unwrap();
    assert_ne!(r1, r0);

    // Acting on a reminder moves it.
    let key = reg.reminders().unwrap().active[0].key.clone();
    reg.reminder_snooze(&key, "2026-12-20", None).unwrap();
    let r2 = reg.reminders_revision().unwrap();
    assert_ne!(r2, r1);
    reg.reminder_restore(&key).unwrap();
    let r3 = reg.reminders_revision().unwrap();
    assert_ne!(r3, r2);

    // A new day (in Beijing) moves it: 16:00 UTC is midnight in Beijing.
    set(&clock, "2026-11-29T15:59:00Z");
    assert_eq!(reg.reminders_revision().unwrap(), r3);
    set(&clock, "2026-11-29T16:00:00Z");
    assert_ne!(reg.reminders_revision().unwrap(), r3);
    let _ = id;
}

//! The reminder rules (提醒), as pure functions without SQL.
//!
//! [`raise`] turns plain facts gathered from the registry (`db::reminders::facts`), the
//! [`ReminderSettings`] and today's date (Beijing) into the reminders due today; [`merge`]
//! sorts them into active, snoozed and dismissed with the state kept per key on this PC.
//! Each rule is documented on its function. "In force" (在册有效) means: a live
//! recognition of a living inheritor (no death date) for a live item with status 在册,
//! whose latest status event is 在册 (丧失传承能力 keeps the title but is not evaluated and
//! takes no apprentice warning).

use crate::error::{Error, FieldError, Result};
use crate::model::{
    FindingTarget, Reminder, ReminderList, ReminderQuery, ReminderRule, ReminderSettings,
    ReminderUrgency,
};
use chrono::{Datelike, Duration, FixedOffset, Months, NaiveDate};
use std::collections::{HashMap, HashSet};

/// One live recognition (live person, live item) with what the rules need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecognitionFact {
    /// The recognition's stable id.
    pub uid: String,
    /// The person's stable id.
    pub inheritor_uid: String,
    /// The person's name.
    pub inheritor_name: String,
    /// `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, when known.
    pub birth_date: Option<String>,
    /// Date of death, when recorded.
    pub death_date: Option<String>,
    /// The item's stable id.
    pub item_uid: String,
    /// The item's name.
    pub item_name: String,
    /// The item's status (在册 / 撤销 / 合并).
    pub item_status: String,
    /// 区级 / 市级 / 省级 / 国家级.
    pub level: String,
    /// 认定文号, when recorded.
    pub doc_number: Option<String>,
    /// 认定日期, when recorded.
    pub recognized_on: Option<String>,
    /// The latest status event's status, or 在册 without events.
    pub status: String,
}

/// The latest check of a protection unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CheckFact {
    /// `YYYY-MM-DD`.
    pub checked_on: String,
    /// 合格 / 限期整改 / 取消.
    pub result: String,
    /// The 整改期限 of a 限期整改.
    pub deadline: Option<String>,
}

/// A live protection unit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct UnitFact {
    /// Stable id.
    pub uid: String,
    /// Name.
    pub name: String,
    /// When the record was made (RFC 3339 UTC).
    pub created_at: String,
    /// Its latest check by date, if any.
    pub last_check: Option<CheckFact>,
}

/// A link between a live unit and a live item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LinkFact {
    /// The unit's stable id.
    pub unit_uid: String,
    /// The item's stable id.
    pub item_uid: String,
    /// The last day of the link, when it ends.
    pub until: Option<String>,
}

/// A live item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemFact {
    /// Stable id.
    pub uid: String,
    /// Name.
    pub name: String,
    /// 在册 / 撤销 / 合并.
    pub status: String,
}

/// A live protection plan of a live item.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanFact {
    /// Stable id.
    pub uid: String,
    /// 计划名称.
    pub title: String,
    /// The item's stable id.
    pub item_uid: String,
    /// The item's name.
    pub item_name: String,
    /// First year.
    pub start_year: i64,
    /// Last year.
    pub end_year: i64,
    /// Whether the plan states targets for the current year.
    pub targets_this_year: bool,
}

/// Everything the rules look at, gathered in a handful of set queries.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// Live recognitions of live people for live items, in the order they were made.
    pub recognitions: Vec<RecognitionFact>,
    /// Recorded evaluations of the current and the previous year: (person, item, year).
    pub evaluations: HashSet<(String, String, i64)>,
    /// Live protection units.
    pub units: Vec<UnitFact>,
    /// Links between live units and live items.
    pub links: Vec<LinkFact>,
    /// Live items.
    pub items: Vec<ItemFact>,
    /// Live plans of live items.
    pub plans: Vec<PlanFact>,
    /// People who are the master of at least one lineage edge (to a live apprentice).
    pub masters: HashSet<String>,
}

/// The snooze or dismissal kept for a reminder key (this PC's workflow state).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// Snoozed until this day, inclusive.
    pub snoozed_until: Option<String>,
    /// When dismissed (RFC 3339 UTC).
    pub dismissed_at: Option<String>,
    /// The reason given.
    pub reason: Option<String>,
}

const DAY: &str = "%Y-%m-%d";

/// `YYYY-MM-DD` (written out by hand: chrono's pattern formatting, once per reminder, took a
/// tenth of the time of raising a province's reminders).
fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s.get(0..10)?, DAY).ok()
}

/// The day `MM-DD` falls on in `year` (None when it does not exist that year).
pub fn month_day(md: &str, year: i32) -> Option<NaiveDate> {
    let (m, d) = md.split_once('-')?;
    if m.len() != 2 || d.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(year, m.parse().ok()?, d.parse().ok()?)
}

/// `date` plus `months` months, the day clamped to the end of a shorter month
/// (01-31 + 1 month = 02-28, or 02-29 in a leap year).
pub fn add_months(date: NaiveDate, months: i64) -> NaiveDate {
    u32::try_from(months)
        .ok()
        .and_then(|m| date.checked_add_months(Months::new(m)))
        .unwrap_or(date)
}

/// The Beijing calendar day of an RFC 3339 timestamp (a bare date is taken as it is).
fn beijing_day(stamp: &str) -> Option<NaiveDate> {
    let beijing = FixedOffset::east_opt(8 * 3600)?;
    chrono::DateTime::parse_from_rfc3339(stamp)
        .map(|t| t.with_timezone(&beijing).date_naive())
        .ok()
        .or_else(|| parse_day(stamp))
}

fn days_before(d: NaiveDate, days: i64) -> NaiveDate {
    d - Duration::days(days)
}

/// DueSoon from `due − lead` through `due`, Overdue after it, nothing before.
fn window(today: NaiveDate, due: NaiveDate, lead: i64) -> Option<ReminderUrgency> {
    if today < days_before(due, lead) {
        None
    } else if today <= due {
        Some(ReminderUrgency::DueSoon)
    } else {
        Some(ReminderUrgency::Overdue)
    }
}

fn target(kind: &str, id: &str, field: Option<&str>) -> Option<FindingTarget> {
    Some(FindingTarget {
        kind: kind.into(),
        id: id.into(),
        field: field.map(str::to_string),
    })
}

fn reminder(
    key: String,
    rule: ReminderRule,
    urgency: ReminderUrgency,
    title: String,
    detail: String,
    due_on: Option<NaiveDate>,
    target: Option<FindingTarget>,
) -> Reminder {
    Reminder {
        key,
        rule,
        urgency,
        title,
        detail,
        due_on: due_on.map(ymd),
        target,
        snoozed_until: None,
        dismissed_at: None,
        reason: None,
    }
}

/// Whether a recognition is in force (see the module documentation).
pub fn in_force(r: &RecognitionFact) -> bool {
    r.death_date.is_none() && r.item_status == "在册" && r.status == "在册"
}

/// Every reminder the rules raise on `today`, unsorted and without state.
pub fn raise(facts: &Facts, s: &ReminderSettings, today: NaiveDate) -> Vec<Reminder> {
    let mut out = Vec::new();
    evaluation_due(facts, s, today, &mut out);
    unit_check_due(facts, s, today, &mut out);
    annual_report(s, today, &mut out);
    plan_milestones(facts, s, today, &mut out);
    recognitions_without_doc(facts, &mut out);
    items_without_unit(facts, today, &mut out);
    elders_without_apprentice(facts, s, today, &mut out);
    feiyi_month(s, today, &mut out);
    out
}

/// Rule 1. For each in-force recognition and the current year Y, the evaluation is due on
/// D = Y-{evaluationDue}; it is raised from D − {evaluationLeadDays} when no evaluation of
/// the person for the item and Y is recorded (DueSoon through D, Overdue after), unless the
/// recognition was made after D. The previous year's missing evaluation is Overdue (one
/// year back only). A person recognised for one item at two levels is evaluated once a
/// year: one reminder per person, item and year, keyed by the first such recognition.
fn evaluation_due(facts: &Facts, s: &ReminderSettings, today: NaiveDate, out: &mut Vec<Reminder>) {
    let y = today.year();
    // Borrowed pairs: a province has half a million recognitions, each looked up twice.
    let recorded: HashSet<(&str, &str, i64)> = facts
        .evaluations
        .iter()
        .map(|(p, i, y)| (p.as_str(), i.as_str(), *y))
        .collect();
    let mut seen = HashSet::new();
    for year in [y, y - 1] {
        let Some(due) = month_day(&s.evaluation_due, year) else {
            continue;
        };
        let urgency = if year == y {
            window(today, due, s.evaluation_lead_days)
        } else {
            Some(ReminderUrgency::Overdue)
        };
        let Some(urgency) = urgency else { continue };
        for r in facts.recognitions.iter().filter(|r| in_force(r)) {
            if r.recognized_on
                .as_deref()
                .and_then(parse_day)
                .is_some_and(|on| on > due)
            {
                continue;
            }
            let pair = (
                r.inheritor_uid.as_str(),
                r.item_uid.as_str(),
                i64::from(year),
            );
            if recorded.contains(&pair) || !seen.insert(pair) {
                continue;
            }
            let detail = if urgency == ReminderUrgency::Overdue {
                format!(
                    "{}{}年度的传承情况评估应于 {} 前录入，现已逾期。请尽快组织评估，并在传承人页面录入评估结果（优秀、合格、不合格或丧失传承能力）。",
                    r.inheritor_name, year, ymd(due)
                )
            } else {
                format!(
                    "请在 {} 前完成{}（{}）{}年度的传承情况评估，并在传承人页面录入评估结果。",
                    ymd(due),
                    r.inheritor_name,
                    r.item_name,
                    year
                )
            };
            out.push(reminder(
                format!("evaluation_due:{}:{year}", r.uid),
                ReminderRule::EvaluationDue,
                urgency,
                format!(
                    "{}（{}）{year}年度评估未录入",
                    r.inheritor_name, r.item_name
                ),
                detail,
                Some(due),
                target("inheritor", &r.inheritor_uid, Some("evaluations")),
            ));
        }
    }
}

/// Rule 2. Each live unit with at least one current link (until empty or not before today)
/// to a live item is checked every {unitCheckMonths} months: due that many months after its
/// latest 合格 check (or after a 限期整改 without a deadline), on the deadline of a 限期整改,
/// or that many months after the unit was registered when it was never checked; a unit
/// whose latest check is 取消 raises nothing. Raised from due − {unitCheckLeadDays}.
fn unit_check_due(facts: &Facts, s: &ReminderSettings, today: NaiveDate, out: &mut Vec<Reminder>) {
    let today_s = ymd(today);
    let linked: HashSet<&str> = facts
        .links
        .iter()
        .filter(|l| l.until.as_deref().is_none_or(|u| u >= today_s.as_str()))
        .map(|l| l.unit_uid.as_str())
        .collect();
    let months = s.unit_check_months;
    for u in facts
        .units
        .iter()
        .filter(|u| linked.contains(u.uid.as_str()))
    {
        let (due, title, why) = match &u.last_check {
            None => {
                let Some(created) = beijing_day(&u.created_at) else {
                    continue;
                };
                let due = add_months(created, months);
                (
                    due,
                    format!("{}保护单位首次检查到期", u.name),
                    format!(
                        "该单位于 {} 登记，尚无检查记录，按每 {months} 个月检查一次，应于 {} 前开展首次检查",
                        ymd(created),
                        ymd(due)
                    ),
                )
            }
            Some(c) if c.result == "取消" => continue,
            Some(c) => {
                let Some(checked) = parse_day(&c.checked_on) else {
                    continue;
                };
                match c.deadline.as_deref().and_then(parse_day) {
                    Some(deadline) if c.result == "限期整改" => (
                        deadline,
                        format!("{}限期整改期限到期", u.name),
                        format!(
                            "{} 检查结论为限期整改，整改期限为 {}，到期应复查整改情况",
                            c.checked_on,
                            ymd(deadline)
                        ),
                    ),
                    _ => {
                        let due = add_months(checked, months);
                        (
                            due,
                            format!("{}保护单位定期检查到期", u.name),
                            format!(
                                "上次检查为 {}（{}），按每 {months} 个月检查一次，应于 {} 前再次检查",
                                c.checked_on,
                                c.result,
                                ymd(due)
                            ),
                        )
                    }
                }
            }
        };
        let Some(urgency) = window(today, due, s.unit_check_lead_days) else {
            continue;
        };
        let late = if urgency == ReminderUrgency::Overdue {
            "，现已逾期"
        } else {
            ""
        };
        out.push(reminder(
            format!("unit_check_due:{}:{}", u.uid, ymd(due)),
            ReminderRule::UnitCheckDue,
            urgency,
            title,
            format!(
                "{why}{late}。请组织检查，并在保护单位页面录入检查结论（合格、限期整改或取消）。"
            ),
            Some(due),
            target("unit", &u.uid, Some("checks")),
        ));
    }
}

/// Rule 3. The yearly work report is due on Y-{annualReportDue}: raised from
/// {annualReportLeadDays} days before (DueSoon), Overdue after it until the year ends
/// (dismissing it means 已报送). When the lead time reaches back into the previous year,
/// next year's report is announced in December too.
fn annual_report(s: &ReminderSettings, today: NaiveDate, out: &mut Vec<Reminder>) {
    let y = today.year();
    for year in [y, y + 1] {
        let Some(due) = month_day(&s.annual_report_due, year) else {
            continue;
        };
        let Some(urgency) = window(today, due, s.annual_report_lead_days) else {
            continue;
        };
        let detail = if urgency == ReminderUrgency::Overdue {
            format!(
                "{year}年度非遗保护工作报告应于 {} 前报送，现已逾期。请尽快在统计页面生成年度工作报告并报送；已报送的，请忽略此提醒并注明“已报送”。",
                ymd(due)
            )
        } else {
            format!(
                "{year}年度非遗保护工作报告应于 {} 前报送。请在统计页面生成年度工作报告（DOCX、PDF），核对后报送；报送后可忽略此提醒并注明“已报送”。",
                ymd(due)
            )
        };
        out.push(reminder(
            format!("annual_report:{year}"),
            ReminderRule::AnnualReport,
            urgency,
            format!("{year}年度非遗保护工作报告报送"),
            detail,
            Some(due),
            target("report", &year.to_string(), None),
        ));
    }
}

/// Rule 4. In the last {planLeadDays} days of each year Y of a live plan: a year with
/// targets is to be summed up (`plan_milestone`), and a plan ending in Y whose item has no
/// later live plan needs its successor (`plan_end`). Both DueSoon, due Y-12-31.
fn plan_milestones(facts: &Facts, s: &ReminderSettings, today: NaiveDate, out: &mut Vec<Reminder>) {
    let y = today.year();
    let Some(due) = NaiveDate::from_ymd_opt(y, 12, 31) else {
        return;
    };
    if today < days_before(due, s.plan_lead_days) {
        return;
    }
    let y = i64::from(y);
    let has_successor = |p: &PlanFact| {
        facts
            .plans
            .iter()
            .any(|o| o.uid != p.uid && o.item_uid == p.item_uid && o.start_year > y)
    };
    for p in facts
        .plans
        .iter()
        .filter(|p| p.start_year <= y && y <= p.end_year)
    {
        if p.targets_this_year {
            out.push(reminder(
                format!("plan_milestone:{}:{y}", p.uid),
                ReminderRule::PlanMilestone,
                ReminderUrgency::DueSoon,
                format!("{} {y}年度目标待总结", p.title),
                format!(
                    "保护计划《{}》（{}）定有 {y} 年度目标。请在年底前对照年度目标总结本年度实施情况，并在保护计划页面核对年度措施和经费支出。",
                    p.title, p.item_name
                ),
                Some(due),
                target("plan", &p.uid, None),
            ));
        }
        if p.end_year == y && !has_successor(p) {
            out.push(reminder(
                format!("plan_end:{}:{y}", p.uid),
                ReminderRule::PlanMilestone,
                ReminderUrgency::DueSoon,
                format!("{}将于{y}年到期，需编制下一期计划", p.title),
                format!(
                    "保护计划《{}》（{}）覆盖 {}—{} 年，将于 {y} 年底到期，该项目还没有下一期保护计划。请组织保护单位编制 {}—{} 年的五年保护计划，并在保护计划页面录入。",
                    p.title,
                    p.item_name,
                    p.start_year,
                    p.end_year,
                    y + 1,
                    y + 5
                ),
                Some(due),
                target("plan", &p.uid, None),
            ));
        }
    }
}

/// Rule 5. Every live recognition without a 文号 (a gap, whatever its status).
fn recognitions_without_doc(facts: &Facts, out: &mut Vec<Reminder>) {
    for r in facts
        .recognitions
        .iter()
        .filter(|r| r.doc_number.as_deref().is_none_or(|d| d.trim().is_empty()))
    {
        out.push(reminder(
            format!("recognition_without_doc:{}", r.uid),
            ReminderRule::RecognitionWithoutDoc,
            ReminderUrgency::Gap,
            format!("{}（{}）{}认定缺少文号", r.inheritor_name, r.item_name, r.level),
            format!(
                "{}被认定为“{}”{}代表性传承人，但认定记录没有填写文号。请查找认定文件，在传承人页面的认定记录中补录文号。",
                r.inheritor_name, r.item_name, r.level
            ),
            None,
            target("inheritor", &r.inheritor_uid, Some("recognitions")),
        ));
    }
}

/// Rule 6. Every live item with status 在册 without a current link (until empty or not
/// before today) to a live protection unit.
fn items_without_unit(facts: &Facts, today: NaiveDate, out: &mut Vec<Reminder>) {
    let today_s = ymd(today);
    let covered: HashSet<&str> = facts
        .links
        .iter()
        .filter(|l| l.until.as_deref().is_none_or(|u| u >= today_s.as_str()))
        .map(|l| l.item_uid.as_str())
        .collect();
    for i in facts
        .items
        .iter()
        .filter(|i| i.status == "在册" && !covered.contains(i.uid.as_str()))
    {
        out.push(reminder(
            format!("item_without_unit:{}", i.uid),
            ReminderRule::ItemWithoutUnit,
            ReminderUrgency::Gap,
            format!("{}尚无保护单位", i.name),
            format!(
                "在册项目“{}”没有确定保护单位（或原保护单位的保护期已结束）。请确定保护单位，并在保护单位页面把该项目列入其保护的项目。",
                i.name
            ),
            None,
            target("item", &i.uid, Some("units")),
        ));
    }
}

/// Rule 7. Every person with a recognition in force, aged {elderAge} or more today (a
/// birth date of `YYYY` or `YYYY-MM` counts from its first day; unknown: never), who is
/// nobody's master in any lineage.
fn elders_without_apprentice(
    facts: &Facts,
    s: &ReminderSettings,
    today: NaiveDate,
    out: &mut Vec<Reminder>,
) {
    let mut seen = HashSet::new();
    for r in facts.recognitions.iter().filter(|r| in_force(r)) {
        if facts.masters.contains(&r.inheritor_uid) || !seen.insert(r.inheritor_uid.as_str()) {
            continue;
        }
        let Some(age) = crate::stats::age_on(r.birth_date.as_deref(), today) else {
            continue;
        };
        if age < s.elder_age {
            continue;
        }
        out.push(reminder(
            format!("elder_without_apprentice:{}", r.inheritor_uid),
            ReminderRule::ElderWithoutApprentice,
            ReminderUrgency::Gap,
            format!("{}（{age}岁）尚未登记徒弟", r.inheritor_name),
            format!(
                "{}是在册代表性传承人，已年满 {} 岁，传承谱系中还没有其所带的徒弟。请了解其带徒传艺情况，在传承谱系中登记徒弟；尚未带徒的，请督促制定带徒传承计划。",
                r.inheritor_name, s.elder_age
            ),
            None,
            target("inheritor", &r.inheritor_uid, Some("lineage")),
        ));
    }
}

/// Rule 8. The next 非遗月 not yet ended (腊月二十三 to 二月初二), announced
/// {feiyiMonthLeadDays} days before it starts and shown until it ends (Info).
fn feiyi_month(s: &ReminderSettings, today: NaiveDate, out: &mut Vec<Reminder>) {
    let Ok(m) = crate::lunar::next_feiyi_month(today) else {
        return;
    };
    if today < days_before(m.start, s.feiyi_month_lead_days) || today > m.end {
        return;
    }
    let year = m.end.year();
    let (start, end) = (ymd(m.start), ymd(m.end));
    out.push(reminder(
        format!("feiyi_month:{year}"),
        ReminderRule::FeiyiMonth,
        ReminderUrgency::Info,
        format!("{year}年非遗月：{start}至{end}"),
        format!(
            "山东省非遗月为每年农历腊月二十三至二月初二，{year}年为 {start} 至 {end}。各县区文化主管部门在此期间组织非遗展演展示活动；请提前安排本区的活动，并在保护工作页面登记。"
        ),
        Some(m.start),
        target("protection", "activities", None),
    ));
}

fn urgency_rank(u: ReminderUrgency) -> u8 {
    match u {
        ReminderUrgency::Overdue => 0,
        ReminderUrgency::DueSoon => 1,
        ReminderUrgency::Gap => 2,
        ReminderUrgency::Info => 3,
    }
}

/// Sorts the raised reminders into active, snoozed and dismissed by their stored state.
/// A dismissal holds for the key (the period it names); a snooze holds through its day
/// (inclusive) and then the reminder is active again. Active ones are sorted by urgency
/// (Overdue, DueSoon, Gap, Info), then due date (none last), then title; snoozed ones by
/// the day they come back; dismissed ones newest first. State of keys no rule raises today
/// is ignored.
pub fn merge(
    raised: Vec<Reminder>,
    states: &HashMap<String, State>,
    today: NaiveDate,
) -> ReminderList {
    let today_s = ymd(today);
    let (mut active, mut snoozed, mut dismissed) = (Vec::new(), Vec::new(), Vec::new());
    for mut r in raised {
        match states.get(&r.key) {
            Some(st) if st.dismissed_at.is_some() => {
                r.dismissed_at = st.dismissed_at.clone();
                r.reason = st.reason.clone();
                dismissed.push(r);
            }
            Some(st)
                if st
                    .snoozed_until
                    .as_deref()
                    .is_some_and(|u| u >= today_s.as_str()) =>
            {
                r.snoozed_until = st.snoozed_until.clone();
                r.reason = st.reason.clone();
                snoozed.push(r);
            }
            _ => active.push(r),
        }
    }
    // Keys are unique, so the unstable sort gives the one order (and moves less).
    active.sort_unstable_by(|a, b| {
        urgency_rank(a.urgency)
            .cmp(&urgency_rank(b.urgency))
            .then_with(|| match (&a.due_on, &b.due_on) {
                (Some(x), Some(y)) => x.cmp(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            })
            .then_with(|| a.title.cmp(&b.title))
            .then_with(|| a.key.cmp(&b.key))
    });
    snoozed.sort_by(|a, b| {
        a.snoozed_until
            .cmp(&b.snoozed_until)
            .then_with(|| a.key.cmp(&b.key))
    });
    dismissed.sort_by(|a, b| {
        b.dismissed_at
            .cmp(&a.dismissed_at)
            .then_with(|| a.key.cmp(&b.key))
    });
    ReminderList {
        today: today_s,
        active_total: active.len() as u32,
        snoozed_total: snoozed.len() as u32,
        dismissed_total: dismissed.len() as u32,
        active,
        snoozed,
        dismissed,
    }
}

/// Rows per tab of the 提醒 page unless asked otherwise.
pub const PAGE_SIZE: u32 = 50;

/// One page of each tab of `list` (as [`merge`] made it), the totals kept; a page past the
/// end of a tab is empty.
pub fn page(mut list: ReminderList, q: &ReminderQuery) -> ReminderList {
    let size = q.page_size.unwrap_or(PAGE_SIZE).clamp(1, 500) as usize;
    let cut = |v: &mut Vec<Reminder>, page: Option<u32>| {
        let from = (page.unwrap_or(1).max(1) as usize - 1).saturating_mul(size);
        if from >= v.len() {
            v.clear();
        } else {
            v.truncate(from + size);
            v.drain(..from);
        }
    };
    cut(&mut list.active, q.active_page);
    cut(&mut list.snoozed, q.snoozed_page);
    cut(&mut list.dismissed, q.dismissed_page);
    list
}

// ------------------------------------------------------------------ settings

/// Checks a `MM-DD` day that must exist in every year (so not 02-29).
fn check_month_day(field: &str, label: &str, value: &str, errors: &mut Vec<FieldError>) {
    if value == "02-29" {
        errors.push(FieldError::new(
            field,
            format!("{label}不能定在 2 月 29 日（平年没有这一天），请改为 02-28 或 03-01"),
        ));
    } else if month_day(value, 2001).is_none() {
        errors.push(FieldError::new(
            field,
            format!("{label}“{value}”无效，应写作 月-日，如 11-30"),
        ));
    }
}

fn check_range(
    field: &str,
    label: &str,
    value: i64,
    range: std::ops::RangeInclusive<i64>,
    unit: &str,
    errors: &mut Vec<FieldError>,
) {
    if !range.contains(&value) {
        errors.push(FieldError::new(
            field,
            format!(
                "{label}应为 {} 到 {} {unit}之间的整数（现为 {value}）",
                range.start(),
                range.end()
            ),
        ));
    }
}

/// Validates reminder settings (field names as the form names them) and returns them
/// with the `MM-DD` days trimmed.
pub fn check_settings(s: ReminderSettings) -> Result<ReminderSettings> {
    let s = ReminderSettings {
        annual_report_due: s.annual_report_due.trim().to_string(),
        evaluation_due: s.evaluation_due.trim().to_string(),
        ..s
    };
    let mut errors = Vec::new();
    check_month_day(
        "annualReportDue",
        "年度工作报告报送日期",
        &s.annual_report_due,
        &mut errors,
    );
    check_month_day(
        "evaluationDue",
        "年度评估录入截止日期",
        &s.evaluation_due,
        &mut errors,
    );
    for (field, label, value) in [
        (
            "annualReportLeadDays",
            "年度工作报告提前提醒天数",
            s.annual_report_lead_days,
        ),
        (
            "evaluationLeadDays",
            "年度评估提前提醒天数",
            s.evaluation_lead_days,
        ),
        (
            "unitCheckLeadDays",
            "保护单位检查提前提醒天数",
            s.unit_check_lead_days,
        ),
        (
            "planLeadDays",
            "保护计划年度总结提前提醒天数",
            s.plan_lead_days,
        ),
        (
            "feiyiMonthLeadDays",
            "非遗月提前提醒天数",
            s.feiyi_month_lead_days,
        ),
    ] {
        check_range(field, label, value, 0..=365, "天", &mut errors);
    }
    check_range(
        "unitCheckMonths",
        "保护单位检查间隔",
        s.unit_check_months,
        1..=60,
        "个月",
        &mut errors,
    );
    check_range(
        "elderAge",
        "高龄传承人年龄",
        s.elder_age,
        50..=120,
        "岁",
        &mut errors,
    );
    if errors.is_empty() {
        Ok(s)
    } else {
        Err(Error::Validation(errors))
    }
}

/// The settings stored as JSON (absent: the defaults). Fields missing from the stored
/// JSON take their defaults; stored settings that do not parse or validate are replaced
/// by the defaults as a whole, so the 提醒 page always works.
pub fn settings_from_json(stored: Option<&str>) -> ReminderSettings {
    let defaults = ReminderSettings::default();
    let Some(text) = stored else { return defaults };
    let Ok(serde_json::Value::Object(given)) = serde_json::from_str::<serde_json::Value>(text)
    else {
        return defaults;
    };
    let Ok(serde_json::Value::Object(mut merged)) = serde_json::to_value(&defaults) else {
        return defaults;
    };
    for (k, v) in given {
        if merged.contains_key(&k) {
            merged.insert(k, v);
        }
    }
    serde_json::from_value(serde_json::Value::Object(merged))
        .ok()
        .and_then(|s| check_settings(s).ok())
        .unwrap_or(defaults)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, DAY).unwrap()
    }

    #[test]
    fn a_page_of_each_tab_keeps_the_totals() {
        let numbered = |prefix: &str, n: usize| -> Vec<Reminder> {
            (0..n)
                .map(|i| {
                    reminder(
                        format!("{prefix}{i:03}"),
                        ReminderRule::EvaluationDue,
                        ReminderUrgency::Overdue,
                        format!("{prefix}{i}"),
                        String::new(),
                        None,
                        None,
                    )
                })
                .collect()
        };
        let list = ReminderList {
            today: "2026-11-29".into(),
            active: numbered("a", 120),
            snoozed: numbered("s", 3),
            dismissed: numbered("d", 0),
            active_total: 120,
            snoozed_total: 3,
            dismissed_total: 0,
        };
        let keys = |v: &[Reminder]| v.iter().map(|r| r.key.clone()).collect::<Vec<_>>();
        // Defaults: page 1 of 50.
        let p = page(list.clone(), &ReminderQuery::default());
        assert_eq!(keys(&p.active), keys(&list.active[..50]));
        assert_eq!(keys(&p.snoozed), keys(&list.snoozed));
        assert_eq!(
            (p.active_total, p.snoozed_total, p.dismissed_total),
            (120, 3, 0)
        );
        // The last, partial page; a page past the end; page 0 is page 1.
        let q = ReminderQuery {
            page_size: Some(50),
            active_page: Some(3),
            snoozed_page: Some(2),
            dismissed_page: Some(0),
        };
        let p = page(list.clone(), &q);
        assert_eq!(keys(&p.active), keys(&list.active[100..]));
        assert!(p.snoozed.is_empty() && p.dismissed.is_empty());
        assert_eq!(p.active_total, 120);
    }

    #[test]
    fn months_are_added_with_the_day_clamped() {
        assert_eq!(add_months(d("2026-01-31"), 1), d("2026-02-28"));
        assert_eq!(add_months(d("2028-01-31"), 1), d("2028-02-29"));
        assert_eq!(add_months(d("2025-06-01"), 12), d("2026-06-01"));
        assert_eq!(add_months(d("2025-08-31"), 13), d("2026-09-30"));
    }

    #[test]
    fn month_days_must_exist() {
        assert_eq!(month_day("11-30", 2026), Some(d("2026-11-30")));
        assert_eq!(month_day("02-29", 2026), None);
        assert_eq!(month_day("02-29", 2028), Some(d("2028-02-29")));
        assert_eq!(month_day("1-5", 2026), None);
        assert_eq!(month_day("13-01", 2026), None);
    }

    #[test]
    fn the_window_opens_lead_days_before_and_turns_overdue_after_the_day() {
        let due = d("2026-11-30");
        assert_eq!(window(d("2026-10-30"), due, 30), None);
        assert_eq!(
            window(d("2026-10-31"), due, 30),
            Some(ReminderUrgency::DueSoon)
        );
        assert_eq!(window(due, due, 30), Some(ReminderUrgency::DueSoon));
        assert_eq!(
            window(d("2026-12-01"), due, 30),
            Some(ReminderUrgency::Overdue)
        );
        assert_eq!(window(due, due, 0), Some(ReminderUrgency::DueSoon));
    }

    #[test]
    fn created_at_is_read_as_a_beijing_day() {
        assert_eq!(
            beijing_day("2026-01-31T16:30:00.000Z"),
            Some(d("2026-02-01"))
        );
        assert_eq!(beijing_day("2026-01-31"), Some(d("2026-01-31")));
    }

    #[test]
    fn stored_settings_fall_back_to_defaults_field_by_field_or_whole() {
        let def = ReminderSettings::default();
        assert_eq!(settings_from_json(None), def);
        assert_eq!(settings_from_json(Some("not json")), def);
        let s = settings_from_json(Some(r#"{"elderAge": 85, "unknown": 1}"#));
        assert_eq!(s.elder_age, 85);
        assert_eq!(s.annual_report_due, "11-30");
        assert_eq!(
            settings_from_json(Some(r#"{"annualReportDue": "02-29"}"#)),
            def
        );
    }
}

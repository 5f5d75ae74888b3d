//! `feiyi reminders`: list, dismiss, snooze, restore and settings on the sample registry.
//! The CLI runs on the system clock, so these use the date-independent gaps (an item
//! without a protection unit) and dates computed from the `today` the list reports.

use super::{feiyi, json};
use predicates::prelude::*;
use serde_json::Value;

/// The keys of a list's bucket.
fn keys(list: &Value, bucket: &str) -> Vec<String> {
    list[bucket]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["key"].as_str().unwrap().to_string())
        .collect()
}

/// The first day of the month after `today` (`YYYY-MM-DD`): always after today and
/// within a year.
fn next_month(today: &str) -> String {
    let y: i32 = today[0..4].parse().unwrap();
    let m: u32 = today[5..7].parse().unwrap();
    if m == 12 {
        format!("{}-01-01", y + 1)
    } else {
        format!("{y}-{:02}-01", m + 1)
    }
}

#[test]
fn reminders_list_dismiss_restore_and_snooze_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    feiyi(d).arg("sample").assert().success();

    let list = json(d, &["reminders"]);
    let today = list["today"].as_str().unwrap().to_string();
    let active_before = list["active"].as_array().unwrap().len();
    assert_eq!(today.len(), 10);
    let gap = list["active"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["rule"] == "itemWithoutUnit")
        .expect("the sample has items without a protection unit")
        .clone();
    let key = gap["key"].as_str().unwrap().to_string();
    assert_eq!(gap["urgency"], "gap");
    assert_eq!(gap["target"]["kind"], "item");
    assert_eq!(gap["target"]["field"], "units");
    assert!(gap["title"].as_str().unwrap().ends_with("尚无保护单位"));
    // Human output: one line per active reminder ending with its key.
    feiyi(d)
        .arg("reminders")
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "待补录\t-\t{}\t{key}",
            gap["title"].as_str().unwrap()
        )))
        .stdout(predicate::str::contains(format!("今天 {today}：待办提醒")));

    // Dismiss: a reason is required (clap: exit 2 without the option; exit 1 when blank).
    feiyi(d)
        .args(["reminders", "dismiss", &key])
        .assert()
        .code(2);
    feiyi(d)
        .args(["reminders", "dismiss", &key, "--reason", "  "])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("请填写忽略的理由"));
    let after = json(
        d,
        &[
            "reminders",
            "dismiss",
            &key,
            "--reason",
            "该项目已并入其他项目",
        ],
    );
    assert!(!keys(&after, "active").contains(&key));
    assert!(keys(&after, "dismissed").contains(&key));
    let list = json(d, &["reminders"]);
    assert!(!keys(&list, "active").contains(&key), "gone from the list");
    assert_eq!(list["active"].as_array().unwrap().len() + 1, active_before);
    feiyi(d)
        .arg("reminders")
        .assert()
        .success()
        .stdout(predicate::str::contains(&key).not())
        .stdout(predicate::str::contains("已忽略 1 条，加 --all 查看"));
    feiyi(d)
        .args(["reminders", "--all"])
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "已忽略（该项目已并入其他项目）\t-\t{}\t{key}",
            gap["title"].as_str().unwrap()
        )));

    // Restore: back among the active ones; twice is refused.
    let back = json(d, &["reminders", "restore", &key]);
    assert!(keys(&back, "active").contains(&key));
    feiyi(d)
        .args(["reminders", "restore", &key])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("没有被推迟或忽略"));

    // Snooze to a later day; today itself is refused.
    let until = next_month(&today);
    let snoozed = json(
        d,
        &[
            "reminders",
            "snooze",
            &key,
            "--until",
            &until,
            "--reason",
            "下月再办",
        ],
    );
    let s = snoozed["snoozed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["key"] == key.as_str())
        .unwrap();
    assert_eq!(s["snoozedUntil"], until.as_str());
    assert_eq!(s["reason"], "下月再办");
    feiyi(d)
        .args(["reminders", "snooze", &key, "--until", &today])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("晚于今天"));

    // An unknown key.
    feiyi(d)
        .args([
            "reminders",
            "dismiss",
            "item_without_unit:没有这个",
            "--reason",
            "x",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("找不到提醒"));
    assert_eq!(json(d, &["verify"])["ok"], true);
}

#[test]
fn reminder_settings_show_and_set_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    feiyi(d).arg("init").assert().success();
    let s = json(d, &["reminders", "settings"]);
    assert_eq!(s["annualReportDue"], "11-30");
    assert_eq!(s["elderAge"], 80);
    feiyi(d)
        .args(["reminders", "settings"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "年度工作报告报送日期（annualReportDue）：11-30",
        ));

    let s = json(
        d,
        &[
            "reminders",
            "settings",
            "--set",
            "annualReportDue=12-15",
            "--set",
            "elderAge=85",
        ],
    );
    assert_eq!(s["annualReportDue"], "12-15");
    assert_eq!(s["elderAge"], 85);
    assert_eq!(json(d, &["reminders", "settings"])["elderAge"], 85);

    // Refused values: exit 1 with the field named, nothing changed.
    feiyi(d)
        .args(["reminders", "settings", "--set", "annualReportDue=02-29"])
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("annualReportDue").and(predicate::str::contains("2 月 29 日")),
        );
    feiyi(d)
        .args(["reminders", "settings", "--set", "planLeadDays=-5"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("planLeadDays"));
    // Not a setting, not a number, no `=`: usage errors.
    for bad in ["noSuchField=1", "elderAge=八十", "elderAge"] {
        feiyi(d)
            .args(["reminders", "settings", "--set", bad])
            .assert()
            .code(2);
    }
    let s = json(d, &["reminders", "settings"]);
    assert_eq!(
        (s["annualReportDue"].as_str(), s["planLeadDays"].as_i64()),
        (Some("12-15"), Some(60))
    );
}

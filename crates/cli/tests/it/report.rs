//! `feiyi report annual`, run as a clerk would on the sample registry.

use super::{feiyi, json};
use predicates::prelude::*;
use std::path::Path;

/// This year in Beijing (UTC+8) from the system clock, worked out here (days to civil
/// date, H. Hinnant's algorithm) rather than asked of the program.
fn beijing_year() -> i64 {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
        + 8 * 3600;
    let z = secs.div_euclid(86_400) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    yoe + era * 400 + i64::from(month <= 2)
}

#[test]
fn report_annual_writes_the_docx_and_the_pdf_and_prints_their_paths() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry");
    let out = dir.path().join("报告");
    std::fs::create_dir_all(&out).unwrap();
    feiyi(&reg).arg("sample").assert().success();
    let year = beijing_year().to_string();
    let stem = format!("示例-{year}年度非物质文化遗产保护工作报告");

    let printed = feiyi(&reg)
        .args(["report", "annual", "--year", &year, "--out"])
        .arg(&out)
        .assert()
        .success()
        .stderr(predicate::str::contains("示例名录"))
        .get_output()
        .stdout
        .clone();
    let printed = String::from_utf8(printed).unwrap();
    let lines: Vec<&str> = printed.lines().collect();
    assert_eq!(lines.len(), 2, "{printed}");
    assert!(lines[0].ends_with(&format!("{stem}.docx")), "{printed}");
    assert!(lines[1].ends_with(&format!("{stem}.pdf")), "{printed}");
    assert!(std::fs::read(lines[0]).unwrap().starts_with(b"PK"));
    assert!(std::fs::read(lines[1]).unwrap().starts_with(b"%PDF"));
    assert!(Path::new(lines[0]).starts_with(&out));

    // --json: the summary; the same files, replaced.
    let summary = json(
        &reg,
        &[
            "report",
            "annual",
            "--year",
            &year,
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert_eq!(summary["year"].as_i64().unwrap().to_string(), year);
    assert_eq!(summary["sections"].as_array().unwrap().len(), 7);
    assert_eq!(summary["sections"][0], "一、基本情况");
    assert_eq!(summary["docx"], lines[0]);
    assert_eq!(summary["pdf"], lines[1]);
    assert!(summary["gaps"].is_array());
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 2);

    // Refusals: a year out of range, a folder that is not there (exit 1, nothing written).
    feiyi(&reg)
        .args(["report", "annual", "--year", "1900", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("报告年度"));
    feiyi(&reg)
        .args(["report", "annual", "--year", &year, "--out"])
        .arg(dir.path().join("没有这个文件夹"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("不存在或不是文件夹"));
    feiyi(&reg)
        .args(["report", "annual", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 2);
}

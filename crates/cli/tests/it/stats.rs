//! `feiyi stats` and `feiyi stats export`, run as a clerk would, on a sample registry.

use super::{feiyi, json};
use predicates::prelude::*;

#[test]
fn stats_prints_the_fourteen_tables_and_exports_the_workbook() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry");
    json(&reg, &["sample"]);

    let s = json(&reg, &["stats", "--year", "2026"]);
    assert_eq!(s["year"], 2026);
    assert_eq!(s["feiyiMonth"]["start"], "2026-02-10");
    let tables = s["tables"].as_array().unwrap();
    assert_eq!(tables.len(), 14);
    assert_eq!(tables[0]["key"], "items_by_level");
    assert_eq!(tables[0]["chart"], "pie");
    // The sample has 12 items; the 合计 row is last and a number.
    let last = tables[0]["rows"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["total"], true);
    assert_eq!(last["cells"][0], "合计");
    assert_eq!(last["cells"][1].as_f64(), Some(12.0));
    assert_eq!(tables[8]["key"], "at_risk");
    assert_eq!(tables[8]["rows"][0]["target"]["kind"], "item");

    // Text: each table's title and unit, tab-separated rows.
    feiyi(&reg)
        .args(["stats", "--year", "2026"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "代表性项目按级别统计（计量单位：项）",
        ))
        .stdout(predicate::str::contains("合计\t12"))
        .stdout(predicate::str::contains(
            "2026年\t25000.00\t18500.00\t74.0%",
        ))
        .stdout(predicate::str::contains("2月（非遗月）"));

    // The whole workbook, then one table (the year can come after the subcommand).
    let out = dir.path().join("2026年度工作统计表.xlsx");
    let done = json(
        &reg,
        &[
            "stats",
            "export",
            "--out",
            out.to_str().unwrap(),
            "--year",
            "2026",
        ],
    );
    assert_eq!(done["sheets"].as_array().unwrap().len(), 15);
    assert_eq!(done["sheets"][0], "目录");
    assert_eq!(&std::fs::read(&out).unwrap()[..2], b"PK");
    let one = dir.path().join("预警.xlsx");
    feiyi(&reg)
        .args(["stats", "export", "--table", "at_risk", "--out"])
        .arg(&one)
        .assert()
        .success()
        .stdout(predicate::str::contains("已导出统计表："))
        .stdout(predicate::str::contains("传承风险项目预警"));
    assert!(one.is_file());

    // Refusals: an unknown table or a wrong extension (exit 1), a bad year (exit 1),
    // a missing --out (usage, exit 2); nothing is written.
    let bad = dir.path().join("x.xlsx");
    feiyi(&reg)
        .args(["stats", "export", "--table", "nope", "--out"])
        .arg(&bad)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("没有这个统计表：nope"));
    feiyi(&reg)
        .args(["stats", "export", "--out"])
        .arg(dir.path().join("x.csv"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(".xlsx"));
    feiyi(&reg)
        .args(["stats", "--year", "1800"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("统计年度"));
    feiyi(&reg)
        .args(["stats", "export"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("用法错误"));
    assert!(!bad.exists());
    assert!(!dir.path().join("x.csv").exists());
}

//! `feiyi import list / undo / history`, run as a clerk would, on temporary registries.

use super::{feiyi, json};
use predicates::prelude::*;
use std::path::{Path, PathBuf};

fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus/import")
        .join(name)
}

#[test]
fn import_list_dry_run_commit_history_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    feiyi(d).arg("init").assert().success();
    let file = corpus("list-gbk.csv");
    let file = file.to_str().unwrap();

    let preview = json(d, &["import", "list", file, "--batch", "6", "--dry-run"]);
    assert!(preview["importId"].is_null());
    assert_eq!(preview["format"], "csv (GBK)");
    assert_eq!(preview["counts"]["create"], 3);
    assert_eq!(preview["counts"]["skip"], 2);
    assert_eq!(
        json(d, &["item", "list"])["total"],
        0,
        "a dry run writes nothing"
    );

    let done = json(d, &["import", "list", file, "--batch", "6"]);
    let id = done["importId"].as_str().unwrap().to_string();
    let created: Vec<&serde_json::Value> = done["rows"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["outcome"] == "create")
        .collect();
    assert_eq!(created.len(), 3);
    assert!(created.iter().all(|r| r["itemId"].is_string()));
    assert_eq!(created[1]["name"], "示例·运河号子");
    assert_eq!(created[1]["categorySource"], "民间音乐");
    assert_eq!(json(d, &["item", "list", "--batch", "6"])["total"], 3);

    let history = json(d, &["import", "history"]);
    assert_eq!(history[0]["id"], id.as_str());
    assert_eq!(history[0]["created"], 3);
    assert_eq!(history[0]["undoable"], true);
    feiyi(d)
        .args(["import", "history"])
        .assert()
        .success()
        .stdout(predicate::str::contains("list-gbk.csv").and(predicate::str::contains("可撤销")));

    // The same file again: every row is a duplicate, nothing to import (exit 1).
    feiyi(d)
        .args(["import", "list", file, "--batch", "6"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("没有可以导入的行"));

    let undone = json(d, &["import", "undo", &id, "--reason", "示例：导错了文件"]);
    assert!(undone["undoneAt"].is_string());
    assert_eq!(json(d, &["item", "list"])["total"], 0);
    feiyi(d)
        .args(["import", "undo", &id])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("该次导入已于"));
    feiyi(d)
        .args(["import", "undo", "no-such-import"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("找不到导入记录"));
}

#[test]
fn import_list_human_output_names_rows_and_the_import_id() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    feiyi(d).arg("init").assert().success();
    let file = d.join("名录.csv");
    std::fs::write(
        &file,
        "项目名称,类别,批次\n示例·甲,传统手工技艺,第六批\n示例·乙,民间杂耍,第六批\n",
    )
    .unwrap();
    feiyi(d)
        .args(["import", "list"])
        .arg(&file)
        .assert()
        .success()
        .stdout(
            predicate::str::contains("2\t导入\tⅧ-1\t示例·甲\tⅧ\t第六批")
                .and(predicate::str::contains("3\t错误"))
                .and(predicate::str::contains("类别“民间杂耍”无法识别"))
                .and(predicate::str::contains("导入编号："))
                .and(predicate::str::contains("feiyi import undo")),
        );
}

#[test]
fn import_list_refuses_bad_files_with_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    feiyi(d).arg("init").assert().success();
    feiyi(d)
        .args(["import", "list"])
        .arg(corpus("empty.csv"))
        .assert()
        .code(1)
        .stderr(
            predicate::str::contains("文件是空的").and(predicate::str::contains("未做任何改动")),
        );
    feiyi(d)
        .args(["import", "list", "--dry-run"])
        .arg(corpus("picture-renamed.xlsx"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("PNG 图片"));
    feiyi(d)
        .args(["import", "list"])
        .arg(d.join("missing.xlsx"))
        .assert()
        .code(2);
    feiyi(d)
        .args(["import", "list", "--batch", "3"])
        .arg(corpus("list-gbk.csv"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("没有第三批"));
    assert_eq!(json(d, &["import", "history"]).as_array().unwrap().len(), 0);
}

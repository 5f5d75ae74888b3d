//! `feiyi exchange`: export, inspect and import between two registries, conflicts, refusals.

use super::{feiyi, json};
use predicates::prelude::*;
use std::path::Path;

fn rename(dir: &Path, tmp: &Path, id: &str, name: &str) {
    let file = tmp.join(format!("{name}.json"));
    let body = serde_json::json!({"id": id, "name": name, "category": "Ⅲ", "batchNumber": 6});
    std::fs::write(&file, body.to_string()).unwrap();
    feiyi(dir)
        .args(["item", "add", "--file"])
        .arg(&file)
        .assert()
        .success();
}

#[test]
fn exchange_between_two_registries_with_a_conflict() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    feiyi(&a).arg("init").assert().success();
    feiyi(&b).arg("init").assert().success();
    let added = json(
        &a,
        &[
            "item",
            "add",
            "--name",
            "鲁南花鼓",
            "--category",
            "III",
            "--batch",
            "6",
        ],
    );
    let id = added["id"].as_str().unwrap().to_string();

    let zip = tmp.path().join("全部.zip");
    let zs = zip.to_str().unwrap();
    let summary = json(&a, &["exchange", "export", "--all", "--out", zs]);
    assert!(summary["records"]
        .as_array()
        .unwrap()
        .iter()
        .any(|k| k["kind"] == "item" && k["count"] == 1));
    let preview = json(&b, &["exchange", "inspect", zs]);
    assert!(preview["added"]
        .as_array()
        .unwrap()
        .iter()
        .any(|r| r["id"] == id.as_str()));
    assert_eq!(preview["importId"], serde_json::Value::Null);
    let done = json(&b, &["exchange", "import", zs]);
    assert!(done["importId"].is_string());
    assert_eq!(json(&b, &["item", "show", &id])["name"], "鲁南花鼓");

    // Both rename the item: a conflict, listed, exit 1, nothing written.
    rename(&a, tmp.path(), &id, "鲁南花鼓（甲）");
    rename(&b, tmp.path(), &id, "鲁南花鼓（乙）");
    let zip2 = tmp.path().join("修改.zip");
    let z2 = zip2.to_str().unwrap();
    feiyi(&a)
        .args(["exchange", "export", "--since", "2000-01-01", "--out", z2])
        .assert()
        .success()
        .stdout(predicate::str::contains("已写出交换包"));
    feiyi(&b)
        .args(["exchange", "import", z2])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(format!("冲突\titem:{id}:name")))
        .stdout(predicate::str::contains("本机：鲁南花鼓（乙）"))
        .stderr(predicate::str::contains("未做任何改动"));
    assert_eq!(json(&b, &["item", "show", &id])["name"], "鲁南花鼓（乙）");
    feiyi(&b)
        .args(["exchange", "import", z2, "--choice"])
        .arg(format!("item:{id}:name=remote"))
        .assert()
        .success()
        .stdout(predicate::str::contains("已合并"));
    assert_eq!(json(&b, &["item", "show", &id])["name"], "鲁南花鼓（甲）");
    feiyi(&b).arg("verify").assert().success();

    // --take local on a package from b keeps a's own value where both changed.
    rename(&a, tmp.path(), &id, "鲁南花鼓（甲二）");
    rename(&b, tmp.path(), &id, "鲁南花鼓（乙二）");
    let zip3 = tmp.path().join("回送.zip");
    let z3 = zip3.to_str().unwrap();
    json(
        &b,
        &["exchange", "export", "--all", "--out", z3, "--no-media"],
    );
    json(&a, &["exchange", "import", z3, "--take", "local"]);
    assert_eq!(json(&a, &["item", "show", &id])["name"], "鲁南花鼓（甲二）");
}

#[test]
fn export_needs_a_scope_and_bad_packages_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("r");
    feiyi(&dir).arg("init").assert().success();
    let out = tmp.path().join("x.zip");
    feiyi(&dir)
        .args(["exchange", "export", "--out"])
        .arg(&out)
        .assert()
        .code(2);
    feiyi(&dir)
        .args(["exchange", "export", "--since", "2026-02-30", "--out"])
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("不是有效的日期"));
    std::fs::write(&out, b"not a zip").unwrap();
    for cmd in ["inspect", "import"] {
        feiyi(&dir)
            .args(["exchange", cmd])
            .arg(&out)
            .assert()
            .code(1)
            .stderr(predicate::str::contains("不是有效的 ZIP"))
            .stderr(predicate::str::contains("未做任何改动"));
    }
}

#[test]
fn exporting_into_a_folder_that_does_not_exist_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("reg");
    feiyi(&dir).arg("init").assert().success();
    let out = tmp.path().join("没有这个文件夹").join("交换包.zip");
    feiyi(&dir)
        .args(["exchange", "export", "--all", "--out"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("文件夹不存在"))
        .stderr(predicate::str::contains(".partial").not());
    assert!(!out.parent().unwrap().exists());
}

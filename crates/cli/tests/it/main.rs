//! The `feiyi` command line, run as a user would, on temporary registries.

#![allow(clippy::unwrap_used)] // a panic is the test's failure report

mod crash;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

mod exchange;
mod import;
mod reminders;
mod report;
mod stats;
mod synth;

fn feiyi(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("feiyi").unwrap();
    c.arg("--data-dir").arg(dir).env_remove("FEIYI_DATA_DIR");
    c
}

fn json(dir: &std::path::Path, args: &[&str]) -> Value {
    let out = feiyi(dir)
        .args(args)
        .arg("--json")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

#[test]
fn init_lists_the_sixth_batch_and_add_finds_by_initials() {
    let dir = tempfile::tempdir().unwrap();
    let info = json(dir.path(), &["init"]);
    assert_eq!(info["kind"], "real");
    let batches = json(dir.path(), &["batch", "list"]);
    assert_eq!(batches[0]["label"], "第六批");
    assert_eq!(batches[0]["docNumber"], "台政字〔2022〕33号");
    assert_eq!(
        (
            batches[0]["enteredCount"].as_i64(),
            batches[0]["declaredCount"].as_i64()
        ),
        (Some(0), Some(11))
    );
    feiyi(dir.path())
        .args(["batch", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("已录入 0/11"));

    let added = json(
        dir.path(),
        &[
            "item",
            "add",
            "--name",
            "鲁南花鼓",
            "--category",
            "III",
            "--batch",
            "6",
            "--township",
            "370405001",
        ],
    );
    assert_eq!(added["code"], "Ⅲ-1");
    let id = added["id"].as_str().unwrap().to_string();
    let found = json(dir.path(), &["item", "list", "--query", "lnhg"]);
    assert_eq!(found["total"], 1);
    assert_eq!(found["rows"][0]["name"], "鲁南花鼓");
    let shown = json(dir.path(), &["item", "show", &id]);
    assert_eq!(shown["townships"][0]["name"], "运河街道");
    assert_eq!(json(dir.path(), &["batch", "list"])[0]["enteredCount"], 1);
    let by_cat = json(dir.path(), &["item", "list", "--category", "Ⅷ"]);
    assert_eq!(by_cat["total"], 0);
    let by_batch = json(dir.path(), &["item", "list", "--batch", "6"]);
    assert_eq!(by_batch["total"], 1);
}

#[test]
fn item_add_from_a_json_file() {
    let dir = tempfile::tempdir().unwrap();
    feiyi(dir.path()).arg("init").assert().success();
    let file = dir.path().join("item.json");
    std::fs::write(
        &file,
        r#"{"name":"运河号子","category":"Ⅱ","batchNumber":6,"texts":{"summary":"运河船工号子。","history":"明清漕运时期。"}}"#,
    )
    .unwrap();
    let added = json(
        dir.path(),
        &["item", "add", "--file", file.to_str().unwrap()],
    );
    assert_eq!(added["texts"]["history"], "明清漕运时期。");
    assert_eq!(added["batchLabel"], "第六批");
}

#[test]
fn sample_is_labelled_and_has_a_dozen_items() {
    let dir = tempfile::tempdir().unwrap();
    let info = json(dir.path(), &["sample"]);
    assert_eq!(info["kind"], "sample");
    assert!(info["title"].as_str().unwrap().contains("示例"));
    feiyi(dir.path())
        .args(["item", "list", "--json"])
        .assert()
        .success()
        .stderr(predicate::str::contains("示例名录"))
        .stdout(predicate::str::contains("\"total\": 12"));
    let viii = json(dir.path(), &["item", "list", "--category", "Ⅷ"]);
    assert_eq!(viii["total"], 3);
}

#[test]
fn failures_have_chinese_messages_and_the_documented_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    // No registry yet: usage error.
    feiyi(dir.path())
        .args(["item", "list"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("没有名录"));
    feiyi(dir.path()).arg("init").assert().success();
    // Init twice: refused, nothing overwritten.
    feiyi(dir.path())
        .arg("init")
        .assert()
        .code(1)
        .stderr(predicate::str::contains("不会覆盖"));
    // Domain failure: validation.
    feiyi(dir.path())
        .args(["item", "add", "--name", "某项目", "--category", "Ⅺ"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("类别"));
    feiyi(dir.path())
        .args(["item", "show", "no-such-id"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("找不到项目"));
    // Usage errors.
    feiyi(dir.path())
        .args(["item", "frobnicate"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("用法错误"));
    feiyi(dir.path())
        .args(["item", "add", "--file", "/no/such.json"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("无法读取"));
    assert_eq!(json(dir.path(), &["info"])["itemCount"], 0);
}

#[test]
fn a_foreign_database_is_refused_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("registry.sqlite"), b"SQLite format 3\0").unwrap();
    feiyi(dir.path())
        .args(["info"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("不是有效的数据库文件"));
}

#[test]
fn verify_reports_a_tampered_edit_log() {
    let dir = tempfile::tempdir().unwrap();
    feiyi(dir.path()).arg("sample").assert().success();
    assert_eq!(json(dir.path(), &["verify"])["ok"], true);
    {
        let c = tamper_with_edit_log(dir.path());
        drop(c);
    }
    feiyi(dir.path())
        .args(["verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("记录被改动"));
}

/// Alters one edit-log row behind the app's back, straight through SQLite:
/// the CLI test opens the registry with feiyi-core and edits the table directly.
fn tamper_with_edit_log(dir: &std::path::Path) -> feiyi_core::Registry {
    let reg = feiyi_core::Registry::open(dir, feiyi_core::system_clock()).unwrap();
    reg.connection()
        .execute("UPDATE edit_log SET actor = '他人' WHERE seq = 2", [])
        .unwrap();
    reg
}

#[test]
fn inheritors_units_and_lineage_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    feiyi(dir.path()).arg("init").assert().success();
    let item = json(
        dir.path(),
        &["item", "add", "--name", "运河泥塑", "--category", "Ⅶ"],
    );
    let item_id = item["id"].as_str().unwrap().to_string();
    let master = json(
        dir.path(),
        &[
            "inheritor",
            "add",
            "--name",
            "陈泥人",
            "--sex",
            "男",
            "--birth",
            "1950",
            "--item",
            &item_id,
        ],
    );
    assert_eq!(master["recognitions"][0]["level"], "区级");
    assert_eq!(master["recognitions"][0]["status"], "在册");
    let file = dir.path().join("person.json");
    std::fs::write(
        &file,
        r#"{"name":"陈小泥","sex":"女","birthDate":"1980-02","phone":"0632-6611511"}"#,
    )
    .unwrap();
    let apprentice = json(
        dir.path(),
        &["inheritor", "add", "--file", file.to_str().unwrap()],
    );
    assert_eq!(apprentice["fields"]["phone"], "0632-6611511");
    let list = json(dir.path(), &["inheritor", "list", "--query", "cxn"]);
    assert_eq!(list["total"], 1);
    assert_eq!(list["rows"][0]["phoneMasked"], "0632-***1511");
    feiyi(dir.path())
        .args([
            "inheritor",
            "add",
            "--name",
            "错号",
            "--id-number",
            "370405195603120031",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("idNumber"));
    // Lineage through the core (no CLI verb adds edges yet), shown by the CLI.
    {
        let mut reg = feiyi_core::Registry::open(dir.path(), feiyi_core::system_clock()).unwrap();
        reg.lineage_edge_save(feiyi_core::model::LineageEdge {
            item_id: item_id.clone(),
            master_id: master["id"].as_str().unwrap().into(),
            apprentice_id: apprentice["id"].as_str().unwrap().into(),
            kind: "家族".into(),
            ..Default::default()
        })
        .unwrap();
    }
    let lineage = json(dir.path(), &["lineage", "show", &item_id]);
    assert_eq!(lineage["table"][1]["howLearned"], "家传（陈泥人）");
    feiyi(dir.path())
        .args(["lineage", "show", &item_id])
        .assert()
        .success()
        .stdout(predicate::str::contains("第2代\t陈小泥"));
    let unit = json(
        dir.path(),
        &[
            "unit",
            "add",
            "--name",
            "台儿庄区文化馆",
            "--credit-code",
            "91350100M000100Y43",
            "--item",
            &item_id,
        ],
    );
    assert_eq!(unit["items"][0]["name"], "运河泥塑");
    feiyi(dir.path())
        .args([
            "unit",
            "add",
            "--name",
            "错码单位",
            "--credit-code",
            "91350100M000100Y44",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("统一社会信用代码"));
    assert_eq!(
        json(dir.path(), &["unit", "list"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
    assert_eq!(json(dir.path(), &["verify"])["ok"], true);
}

/// A tiny PDF; its SHA-256 below was computed independently (`sha256sum`).
const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
const PDF_SHA256: &str = "68d3dbe223d4659eb030429ecc280a437eb6e9b042a59797cbbd9e16f56c1d56";
/// The WAV made by `wav()`, hashed the same way.
const WAV_SHA256: &str = "704f65a17d15390f6565a724a593b0761eeddadc226fcdf53e13a6a2589c2ad2";

/// A minimal WAV: 16-bit mono PCM at 8 kHz, 16 samples of fixed bytes.
fn wav() -> Vec<u8> {
    let mut v = b"RIFF".to_vec();
    v.extend_from_slice(&68u32.to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&8000u32.to_le_bytes());
    v.extend_from_slice(&16000u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&32u32.to_le_bytes());
    v.extend((0u8..32).collect::<Vec<_>>());
    v
}

#[test]
fn media_import_reports_each_file_with_its_sha256_and_links_to_an_item() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry");
    let src = dir.path().join("incoming");
    std::fs::create_dir_all(&src).unwrap();
    json(&reg, &["init"]);
    let item = json(
        &reg,
        &["item", "add", "--name", "鲁南皮影戏", "--category", "Ⅳ"],
    );
    let item_id = item["id"].as_str().unwrap().to_string();
    let pdf = src.join("申报书.pdf");
    let wav_file = src.join("唱腔录音.wav");
    std::fs::write(&pdf, PDF).unwrap();
    std::fs::write(&wav_file, wav()).unwrap();

    let out = feiyi(&reg)
        .args(["media", "import"])
        .arg(&pdf)
        .arg(&wav_file)
        .args(["--item", &item_id, "--json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["imported"], 2);
    assert_eq!(report["outcomes"][0]["status"], "imported");
    assert_eq!(report["outcomes"][0]["sha256"], PDF_SHA256);
    assert_eq!(report["outcomes"][0]["kind"], "文档");
    assert_eq!(report["outcomes"][1]["sha256"], WAV_SHA256);
    assert_eq!(report["outcomes"][1]["kind"], "音频");
    let stored = reg
        .join("media/originals")
        .join(&PDF_SHA256[..2])
        .join(format!("{PDF_SHA256}.pdf"));
    assert_eq!(std::fs::read(stored).unwrap(), PDF);

    let listed = json(&reg, &["media", "list", "--item", &item_id]);
    assert_eq!(listed["total"], 2);
    assert_eq!(listed["rows"][0]["originalName"], "申报书.pdf");
    assert_eq!(json(&reg, &["media", "verify"])["ok"], true);

    // The same file again is a duplicate (exit 0); a junk ".jpg" fails (exit 1), named.
    let junk = src.join("坏照片.jpg");
    std::fs::write(&junk, b"not a photo").unwrap();
    let out = feiyi(&reg)
        .args(["media", "import", "--json"])
        .arg(&pdf)
        .arg(&junk)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("1 个文件未能导入"))
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["outcomes"][0]["status"], "duplicate");
    assert_eq!(report["outcomes"][0]["sha256"], PDF_SHA256);
    assert_eq!(report["outcomes"][1]["status"], "failed");
    assert!(report["outcomes"][1]["message"]
        .as_str()
        .unwrap()
        .contains("“坏照片.jpg”"));
    feiyi(&reg)
        .args(["media", "list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("共 2 个资料"));
}

#[test]
fn media_verify_exits_1_when_an_original_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry");
    json(&reg, &["init"]);
    let pdf = dir.path().join("文件.pdf");
    std::fs::write(&pdf, PDF).unwrap();
    feiyi(&reg)
        .args(["media", "import"])
        .arg(&pdf)
        .assert()
        .success()
        .stdout(predicate::str::contains(PDF_SHA256));
    std::fs::remove_file(
        reg.join("media/originals")
            .join(&PDF_SHA256[..2])
            .join(format!("{PDF_SHA256}.pdf")),
    )
    .unwrap();
    feiyi(&reg)
        .args(["media", "verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("缺失：文件.pdf"))
        .stderr(predicate::str::contains("资料库校验未通过"));
    // The registry-wide `feiyi verify` re-hashes the originals too.
    feiyi(&reg)
        .args(["verify"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("缺失：文件.pdf"));
    // Put back from a folder holding a copy (matched by checksum).
    let backup = dir.path().join("备份");
    std::fs::create_dir(&backup).unwrap();
    std::fs::write(backup.join("随便什么名字.pdf"), PDF).unwrap();
    feiyi(&reg)
        .args(["media", "relink"])
        .arg(&backup)
        .assert()
        .success()
        .stdout(predicate::str::contains("已找回：文件.pdf"));
    feiyi(&reg).args(["verify"]).assert().success();
    feiyi(&reg)
        .args(["media", "import"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("用法错误"));
}

#[test]
fn application_check_lists_findings_and_exits_1_on_errors() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry");
    json(&reg, &["sample"]);
    let page = json(&reg, &["item", "list", "--query", "柳条编织技艺"]);
    let item = page["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["name"] == "柳条编织技艺")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();

    // --json: the report on stdout, exit 1 because the sample has no photos or video.
    let out = feiyi(&reg)
        .args(["application", "check", &item, "--json"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("申报体检有"))
        .get_output()
        .stdout
        .clone();
    let report: Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(report["okToExport"], false);
    assert_eq!(report["profile"], "zaozhuang-municipal");
    let findings = report["findings"].as_array().unwrap();
    let photos = findings
        .iter()
        .find(|f| f["code"] == "photos_too_few")
        .unwrap();
    assert_eq!(photos["severity"], "error");
    assert_eq!(photos["target"]["kind"], "item");
    assert_eq!(photos["target"]["id"], item.as_str());
    assert_eq!(photos["target"]["field"], "media.照片");
    assert!(findings.iter().any(|f| f["code"] == "video_missing"));
    assert!(findings
        .iter()
        .any(|f| f["code"] == "section_empty" && f["target"]["field"] == "texts.history"));
    assert_eq!(
        report["errorCount"].as_u64().unwrap() as usize,
        findings.iter().filter(|f| f["severity"] == "error").count()
    );

    // Human output: one line per finding, 错误 / 提醒.
    feiyi(&reg)
        .args(["application", "check", &item])
        .assert()
        .code(1)
        .stdout(predicate::str::contains(
            "申报体检：柳条编织技艺（枣庄市级非物质文化遗产代表性项目申报（默认））",
        ))
        .stdout(predicate::str::contains(
            "错误：照片 0 张，要求至少 10 张（默认值，可在申报配置中修改）",
        ))
        .stdout(predicate::str::contains("错误：历史渊源（项目说明）未填写"))
        .stdout(predicate::str::is_match(r"错误 \d+ 条，提醒 \d+ 条").unwrap());

    // Profiles by name; an unknown one is a domain failure, a missing item too.
    let profiles = json(&reg, &["application", "profiles"]);
    assert_eq!(profiles[0]["name"], "zaozhuang-municipal");
    assert_eq!(profiles[0]["shipped"], true);
    feiyi(&reg)
        .args([
            "application",
            "check",
            &item,
            "--profile",
            "zaozhuang-municipal",
        ])
        .assert()
        .code(1);
    feiyi(&reg)
        .args(["application", "check", &item, "--profile", "不存在"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("找不到申报配置：不存在"));
    feiyi(&reg)
        .args(["application", "check", "no-such-item"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("找不到项目"));
}

#[test]
fn application_export_refuses_errors_and_writes_the_package_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let reg = dir.path().join("registry");
    let out = dir.path().join("导出");
    std::fs::create_dir_all(&out).unwrap();
    json(&reg, &["sample"]);
    let page = json(&reg, &["item", "list", "--query", "柳条编织技艺"]);
    let item = page["rows"][0]["id"].as_str().unwrap().to_string();
    let out_s = out.display().to_string();

    // The sample has no photos or video: refused, nothing written.
    feiyi(&reg)
        .args(["application", "export", &item, "--out", &out_s])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("未导出申报材料"));
    assert_eq!(std::fs::read_dir(&out).unwrap().count(), 0);

    // --force: written, with the override on record.
    let summary = json(
        &reg,
        &[
            "application",
            "export",
            &item,
            "--out",
            &out_s,
            "--zip",
            "--force",
            "--reason",
            "演示",
        ],
    );
    assert!(summary["overriddenErrors"].as_i64().unwrap() > 0);
    let folder = std::path::PathBuf::from(summary["folder"].as_str().unwrap());
    assert!(folder.starts_with(&out));
    for f in summary["files"].as_array().unwrap() {
        let p = folder.join(f["path"].as_str().unwrap());
        assert_eq!(
            std::fs::metadata(&p).unwrap().len(),
            f["bytes"].as_u64().unwrap(),
            "{}",
            p.display()
        );
    }
    for name in [
        "01 申报书.docx",
        "01 申报书.pdf",
        "05 授权书.pdf",
        "manifest.json",
        "SHA256SUMS",
    ] {
        assert!(folder.join(name).is_file(), "{name}");
    }
    assert!(std::path::Path::new(summary["zip"].as_str().unwrap()).is_file());
    let manifest: Value =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["sample"], true);
    assert_eq!(manifest["preflight"]["overrideReason"], "演示");
    let history = json(&reg, &["item", "show", &item]);
    assert_eq!(history["name"], "柳条编织技艺");

    // Human output names the folder and the files.
    feiyi(&reg)
        .args(["application", "export", &item, "--out", &out_s, "--force"])
        .assert()
        .success()
        .stdout(predicate::str::contains("已导出："))
        .stdout(predicate::str::contains("01 申报书.pdf"))
        .stdout(predicate::str::contains("越过了"));
}

#[test]
fn item_and_inheritor_lists_export_to_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    feiyi(dir.path()).arg("sample").assert().success();
    let out = dir.path().join("名录.xlsx");
    let total = json(dir.path(), &["item", "list", "--page-size", "500"])["total"]
        .as_i64()
        .unwrap();
    feiyi(dir.path())
        .args(["item", "list", "--xlsx"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!("已导出 {total} 个项目到")));
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..2], b"PK");
    // Filters apply; --json reports the row count.
    let one = json(
        dir.path(),
        &[
            "item",
            "list",
            "--category",
            "8",
            "--xlsx",
            out.to_str().unwrap(),
        ],
    );
    assert!(one["rows"].as_i64().unwrap() < total);
    let people = dir.path().join("传承人.xlsx");
    feiyi(dir.path())
        .args(["inheritor", "list", "--xlsx"])
        .arg(&people)
        .assert()
        .success()
        .stdout(predicate::str::contains("条传承人记录到"));
    assert!(people.exists());
    feiyi(dir.path())
        .args(["item", "list", "--xlsx"])
        .arg(dir.path().join("x.csv"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(".xlsx"));
}

#[test]
fn backup_create_list_and_restore_from_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    feiyi(dir.path()).arg("sample").assert().success();
    let made = json(dir.path(), &["backup", "create", "--note", "命令行备份"]);
    let id = made["id"].as_str().unwrap().to_string();
    assert_eq!(made["reason"], "manual");
    assert_eq!(made["note"], "命令行备份");

    let list = json(dir.path(), &["backup", "list"]);
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert!(list[0]["createdAt"].as_str().unwrap().starts_with("20"));

    // Add an item, restore, and it is gone again.
    feiyi(dir.path())
        .args([
            "item",
            "add",
            "--name",
            "备份之后的示例项目",
            "--category",
            "Ⅷ",
            "--batch",
            "6",
        ])
        .assert()
        .success();
    let count = |d: &std::path::Path| json(d, &["info"])["itemCount"].as_i64().unwrap();
    let with_new = count(dir.path());
    let restored = json(dir.path(), &["backup", "restore", &id]);
    assert_eq!(restored["restored"]["id"], id.as_str());
    assert_eq!(restored["safetyBackup"]["reason"], "beforeRestore");
    assert_eq!(count(dir.path()), with_new - 1);

    // A made-up id: exit 1, a Chinese message.
    feiyi(dir.path())
        .args(["backup", "restore", "20200101-000000-000-manual"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("找不到备份"));
}

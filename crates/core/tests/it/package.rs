//! The application package (申报材料): a complete application exported into a folder and a
//! ZIP; the files opened again and checked section by section, table by table, caption by
//! caption; checksums verified; refusal on errors, override on record, confidential media
//! left out, personal data masked as the profile says.

use crate::application::App;
use feiyi_core::model::*;
use feiyi_core::Error;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

fn export(app: &mut App, out: &Path, reason: Option<&str>, zip: bool) -> PackageSummary {
    app.reg
        .application_export(
            &app.item,
            &PackageOptions {
                out_dir: out.display().to_string(),
                zip,
                override_reason: reason.map(str::to_string),
                ..Default::default()
            },
        )
        .unwrap()
}

/// Every part of a DOCX (or any ZIP), by name.
pub(crate) fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut out = BTreeMap::new();
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let mut b = Vec::new();
        f.read_to_end(&mut b).unwrap();
        out.insert(f.name().unwrap().to_string(), b);
    }
    out
}

/// The text of a DOCX's body: document.xml without its tags (runs split a line into pieces).
fn document_xml(path: &Path) -> String {
    let parts = unzip(&std::fs::read(path).unwrap());
    plain(&String::from_utf8(parts["word/document.xml"].clone()).unwrap())
}

fn plain(xml: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    for e in walk(dir) {
        out.push(
            e.strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/"),
        );
    }
    out.sort();
    out
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(walk(&p));
        } else {
            out.push(p);
        }
    }
    out
}

fn sha(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

#[test]
fn a_complete_application_is_exported_with_every_form_media_copy_and_checksum() {
    let mut app = App::complete();
    let out = tempfile::tempdir().unwrap();
    let s = export(&mut app, out.path(), None, true);
    let folder = PathBuf::from(&s.folder);
    assert_eq!(folder.parent().unwrap(), out.path());
    assert!(
        folder
            .file_name()
            .unwrap()
            .to_string_lossy()
            .ends_with("测试花鼓 申报材料"),
        "{}",
        s.folder
    );
    assert_eq!(s.overridden_errors, 0);

    let on_disk = files_in(&folder);
    let mut listed: Vec<String> = s.files.iter().map(|f| f.path.clone()).collect();
    listed.sort();
    assert_eq!(on_disk, listed, "summary lists exactly what is on disk");
    for want in [
        "01 申报书.docx",
        "01 申报书.pdf",
        "02 代表性传承人申报表（王老师）.docx",
        "02 代表性传承人申报表（王老师）.pdf",
        "03 五年保护计划.docx",
        "03 五年保护计划.pdf",
        "04 照片集.docx",
        "04 照片集.pdf",
        "05 授权书.docx",
        "05 授权书.pdf",
        "manifest.json",
        "SHA256SUMS",
    ] {
        assert!(
            on_disk.iter().any(|f| f == want),
            "{want} missing: {on_disk:#?}"
        );
    }
    let photos: Vec<_> = on_disk.iter().filter(|f| f.starts_with("照片/")).collect();
    assert_eq!(photos.len(), 10);
    assert!(
        photos[0].starts_with("照片/01 排练现场（时间：2025-06-01；地点：台儿庄古城")
            && photos[0].ends_with(".jpg"),
        "photo named by order and caption: {}",
        photos[0]
    );
    assert_eq!(on_disk.iter().filter(|f| f.starts_with("视频/")).count(), 1);
    let support: Vec<_> = on_disk
        .iter()
        .filter(|f| f.starts_with("辅助材料/"))
        .collect();
    assert_eq!(support.len(), 4, "{support:?}");
    assert!(support.iter().any(|f| f.contains("授权书")));

    // The copies are the originals, byte for byte.
    for f in s.files.iter().filter(|f| f.media_id.is_some()) {
        let m = app.reg.media_get(f.media_id.as_deref().unwrap()).unwrap();
        assert_eq!(f.sha256, m.sha256, "{}", f.path);
        assert_eq!(sha(&std::fs::read(folder.join(&f.path)).unwrap()), m.sha256);
    }

    // SHA256SUMS covers every other file and is right.
    let sums = std::fs::read_to_string(folder.join("SHA256SUMS")).unwrap();
    let lines: Vec<&str> = sums.lines().collect();
    assert_eq!(lines.len(), on_disk.len() - 1);
    for line in lines {
        let (hash, path) = line.split_once("  ").unwrap();
        assert_eq!(
            sha(&std::fs::read(folder.join(path)).unwrap()),
            hash,
            "{path}"
        );
    }

    // manifest.json names the item, the profile, every file with its checksum.
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(folder.join("manifest.json")).unwrap()).unwrap();
    assert_eq!(manifest["item"]["name"], "测试花鼓");
    assert_eq!(manifest["profile"]["name"], "zaozhuang-municipal");
    assert_eq!(manifest["sample"], false);
    let mfiles = manifest["files"].as_array().unwrap();
    assert_eq!(
        mfiles.len(),
        on_disk.len() - 2,
        "all but itself and SHA256SUMS"
    );
    for f in mfiles {
        let p = f["path"].as_str().unwrap();
        assert_eq!(
            sha(&std::fs::read(folder.join(p)).unwrap()),
            f["sha256"].as_str().unwrap()
        );
    }
    assert_eq!(
        manifest["personalData"]["masked"],
        serde_json::json!(["身份证号", "联系电话", "住址"])
    );

    // The ZIP holds the same files under the folder's name.
    let zip = unzip(&std::fs::read(s.zip.as_deref().unwrap()).unwrap());
    let name = folder.file_name().unwrap().to_string_lossy().into_owned();
    assert_eq!(zip.len(), on_disk.len());
    for f in &on_disk {
        assert_eq!(
            zip[&format!("{name}/{f}")],
            std::fs::read(folder.join(f)).unwrap(),
            "{f}"
        );
    }
    // Nothing half-written is left behind.
    let left: Vec<_> = std::fs::read_dir(out.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left.len(), 2, "folder and zip only: {left:?}");
}

#[test]
fn the_application_form_holds_every_section_the_tables_and_the_lineage_drawing() {
    let mut app = App::complete();
    let out = tempfile::tempdir().unwrap();
    let s = export(&mut app, out.path(), None, false);
    let folder = PathBuf::from(&s.folder);
    let parts = unzip(&std::fs::read(folder.join("01 申报书.docx")).unwrap());
    let raw = String::from_utf8(parts["word/document.xml"].clone()).unwrap();
    let xml = plain(&raw);
    let profile = app.reg.application_profile("zaozhuang-municipal").unwrap();
    for section in &profile.sections {
        assert!(
            xml.contains(&section.label)
                || section.key == "applicant"
                || section.key == "distribution",
            "section {} missing",
            section.label
        );
    }
    for text in [
        "申 报 书",
        "测试花鼓",
        "一、基本信息",
        "【测试】清代已有",
        "【测试】台儿庄区文化馆",
        "传承谱系表",
        "第一代",
        "第二代",
        "王老师",
        "李学生",
        "台政字〔2022〕34号",
        "经费预算表",
        "20,000.00",
        "2 期 × 20 课时 × 500 元",
        "按课时测算",
        "区人民政府意见",
        "附件目录",
        "照片/01 排练现场",
    ] {
        assert!(xml.contains(text), "申报书 lacks {text}");
    }
    // The lineage drawing is a picture in the document.
    let pictures: Vec<_> = parts
        .keys()
        .filter(|k| k.starts_with("word/media/"))
        .collect();
    assert_eq!(pictures.len(), 1, "{pictures:?}");
    assert!(parts[pictures[0]].starts_with(b"\x89PNG"));
    assert!(xml.contains("传承谱系图"));

    // The photo sheet: ten pictures with numbered captions, two per page.
    let sheet = unzip(&std::fs::read(folder.join("04 照片集.docx")).unwrap());
    let sheet_raw = String::from_utf8(sheet["word/document.xml"].clone()).unwrap();
    let sheet_xml = plain(&sheet_raw);
    assert_eq!(
        sheet
            .keys()
            .filter(|k| k.starts_with("word/media/"))
            .count(),
        10
    );
    for n in 1..=10 {
        assert!(
            sheet_xml.contains(&format!("图{n}　排练现场")),
            "caption {n}"
        );
    }
    assert_eq!(sheet_raw.matches(r#"w:type="page""#).count(), 4);

    // The plan and the authorisation.
    let plan = document_xml(&folder.join("03 五年保护计划.docx"));
    for text in [
        "测试花鼓五年保护计划",
        "2026—2030年",
        "2026 年传习班 2 期",
        "20,000.00",
    ] {
        assert!(plan.contains(text), "plan lacks {text}");
    }
    let auth = document_xml(&folder.join("05 授权书.docx"));
    assert!(
        auth.contains("授  权  书")
            && auth.contains("王老师")
            && auth.contains("【测试】台儿庄区文化馆")
    );

    // The PDFs are PDFs with their fonts inside.
    let pdf =
        lopdf::Document::load_mem(&std::fs::read(folder.join("01 申报书.pdf")).unwrap()).unwrap();
    let pages: Vec<u32> = (1..=pdf.get_pages().len() as u32).collect();
    let text: String = pdf
        .extract_text(&pages)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for want in [
        "申报书",
        "测试花鼓",
        "一、基本信息",
        "二、项目说明",
        "传承谱系表",
        "李学生",
        "经费预算表",
        "区人民政府意见",
    ] {
        assert!(text.contains(want), "申报书.pdf lacks {want}");
    }
    let forms = s
        .files
        .iter()
        .filter(|f| f.media_id.is_none() && f.path.ends_with(".pdf"));
    for f in forms {
        let bytes = std::fs::read(folder.join(&f.path)).unwrap();
        assert!(bytes.starts_with(b"%PDF"), "{}", f.path);
        let doc = lopdf::Document::load_mem(&bytes).unwrap();
        assert!(!doc.get_pages().is_empty());
        assert!(
            doc.objects.values().any(|o| o
                .as_dict()
                .map(|d| d.has(b"FontFile3") || d.has(b"FontFile2"))
                .unwrap_or(false)),
            "{} embeds its fonts",
            f.path
        );
    }
}

#[test]
fn errors_refuse_the_export_and_a_reason_overrides_them_on_record() {
    let mut app = App::complete();
    app.set_texts(|t| t.history = None);
    let out = tempfile::tempdir().unwrap();
    let err = app
        .reg
        .application_export(
            &app.item,
            &PackageOptions {
                out_dir: out.path().display().to_string(),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "preflight_errors", "{err}");
    assert!(err.to_string().contains("1 个错误"), "{err}");
    assert_eq!(
        std::fs::read_dir(out.path()).unwrap().count(),
        0,
        "nothing written"
    );

    let s = export(&mut app, out.path(), Some("历史渊源待补，先送审"), false);
    assert_eq!(s.overridden_errors, 1);
    let log = app.reg.history("item", &app.item).unwrap();
    let row = log.iter().find(|e| e.action == "override").unwrap();
    assert_eq!(row.reason.as_deref(), Some("历史渊源待补，先送审"));
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(PathBuf::from(&s.folder).join("manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["preflight"]["overridden"], true);
    assert_eq!(
        manifest["preflight"]["overrideReason"],
        "历史渊源待补，先送审"
    );
    let xml = document_xml(&PathBuf::from(&s.folder).join("01 申报书.docx"));
    assert!(xml.contains("（未填写）"), "the gap shows in the form");

    // A second export goes beside the first, never over it.
    let again = export(&mut app, out.path(), Some("再导一次"), false);
    assert_ne!(again.folder, s.folder);
    assert!(again.folder.ends_with("申报材料 (2)"), "{}", again.folder);
}

#[test]
fn confidential_media_are_left_out_with_a_line_in_the_manifest() {
    let mut app = App::complete();
    app.add_photos(1);
    let secret = app.photos.last().unwrap().clone();
    let mut d = app.reg.media_get(&secret).unwrap().description;
    d.confidential = true;
    d.title = Some("祖传秘方".into());
    app.reg.media_describe(d).unwrap();
    let out = tempfile::tempdir().unwrap();
    let s = export(&mut app, out.path(), None, false);
    assert!(s
        .files
        .iter()
        .all(|f| f.media_id.as_deref() != Some(&secret)));
    assert_eq!(
        s.files.iter().filter(|f| f.kind == "照片").count(),
        10,
        "the ten others"
    );
    assert_eq!(s.left_out.len(), 1);
    assert!(s.left_out[0].contains("保密") && s.left_out[0].contains("祖传秘方"));
    let manifest: serde_json::Value = serde_json::from_slice(
        &std::fs::read(PathBuf::from(&s.folder).join("manifest.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(manifest["leftOut"][0], s.left_out[0].as_str());
    let sheet = unzip(&std::fs::read(PathBuf::from(&s.folder).join("04 照片集.docx")).unwrap());
    assert_eq!(
        sheet
            .keys()
            .filter(|k| k.starts_with("word/media/"))
            .count(),
        10
    );
}

#[test]
fn personal_data_are_masked_unless_the_profile_shows_them() {
    let mut app = App::complete();
    let person = app
        .reg
        .recognition_list_for_item(&app.item)
        .unwrap()
        .into_iter()
        .find(|r| r.id == app.recognition)
        .unwrap()
        .inheritor_id;
    let mut p = app.reg.inheritor_get(&person).unwrap().fields;
    p.id = Some(person.clone());
    p.id_number = Some("370405195003120017".into());
    p.phone = Some("13905370000".into());
    p.address = Some("台儿庄区运河街道某某巷 8 号".into());
    app.reg.inheritor_save(p).unwrap();

    let out = tempfile::tempdir().unwrap();
    let s = export(&mut app, out.path(), None, false);
    let form = PathBuf::from(&s.folder).join("02 代表性传承人申报表（王老师）.docx");
    let xml = document_xml(&form);
    assert!(!xml.contains("370405195003120017") && !xml.contains("13905370000"));
    assert!(!xml.contains("某某巷"));
    assert!(xml.contains("3704") && xml.contains("（按申报配置不显示）"));
    let auth = document_xml(&PathBuf::from(&s.folder).join("05 授权书.docx"));
    assert!(!auth.contains("370405195003120017"));

    // A copy of the profile that shows them.
    let mut copy = app.reg.application_profile("zaozhuang-municipal").unwrap();
    copy.name = "shows-ids".into();
    copy.title = "显示身份证号".into();
    copy.personal_fields = PersonalFields {
        id_number: true,
        phone: true,
        address: true,
    };
    app.reg.application_profile_save(copy).unwrap();
    let s = app
        .reg
        .application_export(
            &app.item,
            &PackageOptions {
                profile: Some("shows-ids".into()),
                out_dir: out.path().display().to_string(),
                ..Default::default()
            },
        )
        .unwrap();
    assert!(s.masked.is_empty());
    let xml = document_xml(&PathBuf::from(&s.folder).join("02 代表性传承人申报表（王老师）.docx"));
    assert!(
        xml.contains("370405195003120017") && xml.contains("13905370000") && xml.contains("某某巷")
    );
}

#[test]
fn a_sample_item_is_marked_as_sample_on_every_cover() {
    let mut reg = crate::support::sample();
    let item = reg
        .item_list(&ItemQuery::default())
        .unwrap()
        .rows
        .into_iter()
        .next()
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let s = reg
        .application_export(
            &item.id,
            &PackageOptions {
                out_dir: out.path().display().to_string(),
                override_reason: Some("示例演示".into()),
                ..Default::default()
            },
        )
        .unwrap();
    let folder = PathBuf::from(&s.folder);
    assert!(folder
        .file_name()
        .unwrap()
        .to_string_lossy()
        .starts_with("【示例】"));
    let xml = document_xml(&folder.join("01 申报书.docx"));
    assert!(xml.contains("【示例】"));
}

#[test]
fn a_missing_folder_or_a_damaged_original_writes_nothing() {
    let mut app = App::complete();
    let err = app
        .reg
        .application_export(
            &app.item,
            &PackageOptions {
                out_dir: "/no/such/folder".into(),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert_eq!(err.code(), "validation");
    assert!(matches!(err, Error::Validation(_)));

    // A stored original changed behind the registry's back.
    let m = app.reg.media_get(&app.photos[3]).unwrap();
    let stored = app.reg.media_path(&m.sha256).unwrap();
    let mut bytes = std::fs::read(&stored).unwrap();
    let last = bytes.len() - 3;
    bytes[last] ^= 0xFF;
    std::fs::write(&stored, bytes).unwrap();
    let out = tempfile::tempdir().unwrap();
    let err = app
        .reg
        .application_export(
            &app.item,
            &PackageOptions {
                out_dir: out.path().display().to_string(),
                ..Default::default()
            },
        )
        .unwrap_err();
    assert!(err.to_string().contains("已损坏"), "{err}");
    assert_eq!(std::fs::read_dir(out.path()).unwrap().count(), 0);
}

/// Writes a complete package to `/tmp/feiyi-package-demo` for a person to look at (render the
/// PDFs with `pdftoppm`, open the DOCX with an office suite):
/// `cargo test -p feiyi-core --test it package::demo -- --ignored`.
#[test]
#[ignore]
fn demo() {
    let mut app = App::complete();
    let out = Path::new("/tmp/feiyi-package-demo");
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).unwrap();
    let s = export(&mut app, out, None, true);
    println!("{}", s.folder);
}

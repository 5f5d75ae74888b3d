//! XLSX exports of the register: unzipped and their XML checked, not byte snapshots.

use crate::support::{item, sample, sixth};
use feiyi_core::model::{InheritorQuery, ItemQuery};
use std::io::Read;
use std::path::Path;

/// The text of one part of an XLSX package.
fn part(path: &Path, name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const DANGEROUS: [&str; 2] = ["=HYPERLINK(\"http://x\",\"点我\")", "@SUM(A1)"];

#[test]
fn item_list_has_the_published_layout_every_item_and_no_formulas() {
    let mut reg = sample();
    let batch = Some(sixth(&reg));
    for name in DANGEROUS {
        reg.item_save(item(name, "Ⅷ", batch.clone())).unwrap();
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("名录.xlsx");
    let q = ItemQuery {
        page_size: Some(3), // ignored: the export takes every page
        ..Default::default()
    };
    let n = reg.export_items_xlsx(&q, &path).unwrap();
    let all = reg
        .item_list(&ItemQuery {
            page_size: Some(500),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(n, all.total);
    assert!(n > 10);

    let strings = part(&path, "xl/sharedStrings.xml");
    let sheet = part(&path, "xl/worksheets/sheet1.xml");
    for h in [
        "序号",
        "项目编号",
        "项目名称",
        "类别",
        "申报地区或单位 / 分布区域",
        "保护单位",
        "传承人",
        "公布批次",
        "级别",
    ] {
        assert!(strings.contains(&format!(">{h}<")), "header {h}");
    }
    for r in &all.rows {
        if DANGEROUS.contains(&r.name.as_str()) {
            continue;
        }
        assert!(strings.contains(&xml_escape(&r.name)), "item {}", r.name);
        assert!(strings.contains(&xml_escape(&r.code)), "code {}", r.code);
    }
    // Neutralised: stored as text with a leading apostrophe, never bare, never a formula.
    assert!(strings.contains(">'=HYPERLINK(\"http://x\",\"点我\")<"));
    assert!(strings.contains(">'@SUM(A1)<"));
    assert!(!strings.contains(">=HYPERLINK"));
    assert!(!strings.contains(">@SUM"));
    assert!(!sheet.contains("<f>") && !sheet.contains("<f "));
    // Frozen header, merged title, A4 landscape, header row repeated on every page.
    assert!(sheet.contains("<pane ySplit=\"3\""));
    assert!(sheet.contains("<mergeCell ref=\"A1:I1\""));
    assert!(sheet.contains("paperSize=\"9\"") && sheet.contains("orientation=\"landscape\""));
    let workbook = part(&path, "xl/workbook.xml");
    assert!(workbook.contains("_xlnm.Print_Titles"));
    assert!(workbook.contains("$3:$3"));
    assert!(strings.contains("导出日期：2026年11月28日"));
    // Only the finished file is left in the folder.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
}

#[test]
fn filters_apply_and_inheritors_are_joined() {
    let reg = sample();
    let all = reg
        .item_list(&ItemQuery {
            page_size: Some(500),
            ..Default::default()
        })
        .unwrap();
    let first = &all.rows[0];
    let q = ItemQuery {
        category: Some(first.category.clone()),
        ..Default::default()
    };
    let expected = reg.item_list(&q).unwrap().total;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.xlsx");
    assert_eq!(reg.export_items_xlsx(&q, &path).unwrap(), expected);
    let strings = part(&path, "xl/sharedStrings.xml");
    // Every in-office inheritor of an exported item appears.
    for r in reg.item_list(&q).unwrap().rows {
        for rec in reg.recognition_list_for_item(&r.id).unwrap() {
            if rec.status == "在册" {
                assert!(
                    strings.contains(&rec.inheritor_name),
                    "{}",
                    rec.inheritor_name
                );
            }
        }
    }
    let other = all
        .rows
        .iter()
        .find(|r| r.category != first.category)
        .unwrap();
    assert!(!strings.contains(&xml_escape(&other.name)));
}

#[test]
fn inheritor_list_has_its_columns_and_no_personal_numbers() {
    let reg = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("传承人.xlsx");
    let n = reg
        .export_inheritors_xlsx(&InheritorQuery::default(), &path)
        .unwrap();
    assert!(n > 0);
    let strings = part(&path, "xl/sharedStrings.xml");
    let sheet = part(&path, "xl/worksheets/sheet1.xml");
    for h in [
        "序号",
        "姓名",
        "性别",
        "出生年月",
        "民族",
        "项目名称",
        "项目编号",
        "级别",
        "认定批次/文号",
        "状态",
    ] {
        assert!(strings.contains(&format!(">{h}<")), "header {h}");
    }
    let people = reg
        .inheritor_list(&InheritorQuery {
            page_size: Some(500),
            ..Default::default()
        })
        .unwrap();
    for p in &people.rows {
        assert!(strings.contains(&p.name), "{}", p.name);
        let d = reg.inheritor_get(&p.id).unwrap();
        for secret in [&d.fields.id_number, &d.fields.phone, &d.fields.address]
            .into_iter()
            .flatten()
        {
            assert!(!strings.contains(secret.as_str()), "leaked {secret}");
        }
        for masked in [&p.id_number_masked, &p.phone_masked].into_iter().flatten() {
            assert!(!strings.contains(masked.as_str()), "masked {masked}");
        }
    }
    assert!(!sheet.contains("<f>") && !sheet.contains("<f "));
}

#[test]
fn bad_paths_are_refused_in_chinese() {
    let reg = sample();
    let dir = tempfile::tempdir().unwrap();
    let e = reg
        .export_items_xlsx(&ItemQuery::default(), &dir.path().join("x.csv"))
        .unwrap_err();
    assert_eq!(e.code(), "validation");
    assert!(e.to_string().contains(".xlsx"));
    let e = reg
        .export_items_xlsx(&ItemQuery::default(), &dir.path().join("无此目录/x.xlsx"))
        .unwrap_err();
    assert_eq!(e.code(), "io");
    assert!(e.to_string().contains("文件读写失败"));
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

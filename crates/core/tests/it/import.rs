//! List import (issue 6 point 2): header recognition, legacy categories, codes, the
//! preview, the commit in one transaction, undo in one step, and bad files refused with
//! nothing changed. Every item name is fictional and marked 示例.

use crate::support::{clock, real, sixth};
use feiyi_core::import::codes::{parse_code, ParsedCode};
use feiyi_core::import::headers::{field_for, find_header};
use feiyi_core::import::rows::match_category;
use feiyi_core::model::{
    ImportField, ImportOutcome, ImportRow, ListImportReport, ListImportRequest, RegistryKind,
    UnitInput,
};
use feiyi_core::{Error, Registry};
use rust_xlsxwriter::Workbook;
use std::path::{Path, PathBuf};

/// The committed corpus (`tests/corpus/import` at the top of the repository).
pub fn corpus(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/corpus/import")
        .join(name)
}

/// A published-list-style sheet: a title row above the header, sub-headings, legacy
/// categories, codes typed with ASCII look-alikes and full-width dashes, and bad rows.
pub fn published_list(path: &Path) {
    let rows: &[&[&str]] = &[
        &["台儿庄区第六批区级非物质文化遗产代表性项目名录（示例·虚构数据）"],
        &[],
        &[
            "序号",
            "项目编号",
            "项目\n名称",
            "类别",
            "申报地区或单位",
            "保护单位",
            "传承人",
        ],
        &["一、民间文学"],
        &[
            "1",
            "Ⅰ-1",
            "示例·运河传说",
            "民间文学",
            "运河街道",
            "示例·运河文化站",
        ],
        &["二、传统音乐"],
        &[
            "2",
            "II-1",
            "示例·运河号子",
            "民间音乐",
            "涧头集镇",
            "示例·未登记单位",
            "示例甲、示例乙",
        ],
        &["三、传统技艺"],
        &["3", "VIII－3", "示例·烙烫葫芦", "传统手工技艺", "泥沟镇"],
        &["4", "Ⅵ-Ⅷ-1", "示例·木器\n制作", "", "马兰屯"],
        &["5", "Ⅶ-1", "示例·剪纸", "民间美术", "邳庄镇"],
        &["6", "lV-2", "示例·小戏", "戏曲", "张山子镇"],
        &["7", "", "", "曲艺"],
        &["8", "", "示例·杂耍", "民间杂耍"],
        &["9", "Ⅵ-1", "示例·石锁", "杂技与竞技", "经济开发区"],
        &["10", "", "示例·运河号子", "民间音乐"],
        &["11", "Ⅲ-1", "示例·花鼓", "民间舞蹈", "台儿庄古城"],
        &["合计", "", "11 项"],
    ];
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("第六批").unwrap();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if !v.is_empty() {
                ws.write_string(r as u32, c as u16, *v).unwrap();
            }
        }
    }
    wb.save(path).unwrap();
}

fn request(path: &Path, batch: Option<String>) -> ListImportRequest {
    ListImportRequest {
        path: path.display().to_string(),
        batch_id: batch,
        ..Default::default()
    }
}

fn row(report: &ListImportReport, sheet_row: i64) -> &ImportRow {
    report
        .rows
        .iter()
        .find(|r| r.row == sheet_row)
        .unwrap_or_else(|| panic!("no row {sheet_row}"))
}

fn says(r: &ImportRow, level: &str, text: &str) -> bool {
    r.messages
        .iter()
        .any(|m| m.level == level && m.message.contains(text))
}

/// Everything an import could change, counted: items (live or not), edit-log rows,
/// imports, unit links, listings.
fn state(reg: &Registry) -> Vec<i64> {
    let c = reg.connection();
    [
        "SELECT count(*) FROM item",
        "SELECT count(*) FROM edit_log",
        "SELECT count(*) FROM import_run",
        "SELECT count(*) FROM import_record",
        "SELECT count(*) FROM unit_item",
        "SELECT count(*) FROM listing",
        "SELECT count(*) FROM search_text",
    ]
    .iter()
    .map(|q| c.query_row(q, [], |r| r.get(0)).unwrap())
    .collect()
}

fn with_unit(reg: &mut Registry) -> String {
    reg.unit_save(UnitInput {
        name: "示例·运河文化站".into(),
        ..Default::default()
    })
    .unwrap()
    .id
}

// ------------------------------------------------------------------ recognition

#[test]
fn import_headers_are_recognised_in_their_published_variants() {
    for (h, f) in [
        ("序号", ImportField::Seq),
        ("项目编号", ImportField::Code),
        ("编号", ImportField::Code),
        ("代码", ImportField::Code),
        ("项目名称", ImportField::Name),
        ("项目\n名称", ImportField::Name),
        ("项 目 名 称", ImportField::Name),
        ("名称", ImportField::Name),
        ("项目名称（全称）", ImportField::Name),
        ("类别", ImportField::Category),
        ("门类", ImportField::Category),
        ("项目类别：", ImportField::Category),
        ("申报地区或单位", ImportField::Area),
        ("申报地区（单位）", ImportField::Area),
        ("分布地点", ImportField::Area),
        ("项目所在地", ImportField::Area),
        ("保护单位", ImportField::Unit),
        ("项目保护单位", ImportField::Unit),
        ("传承人", ImportField::Inheritors),
        ("代表性传承人", ImportField::Inheritors),
        ("批次", ImportField::Batch),
        ("公布文号", ImportField::Batch),
        ("备注", ImportField::Ignore),
        ("", ImportField::Ignore),
    ] {
        assert_eq!(field_for(h), f, "{h:?}");
    }
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let rows = vec![
        s(&["台儿庄区第六批区级非物质文化遗产代表性项目名录"]),
        s(&["填报单位：示例", "", "", "2022年5月"]),
        s(&["序号", "项目名称", "类别", "备注"]),
        s(&["1", "示例·运河号子", "民间音乐"]),
    ];
    let (i, cols) = find_header(&rows).unwrap();
    assert_eq!(i, 2);
    assert_eq!(
        cols.iter().map(|c| c.field).collect::<Vec<_>>(),
        [
            ImportField::Seq,
            ImportField::Name,
            ImportField::Category,
            ImportField::Ignore
        ]
    );
    assert!(find_header(&[s(&["示例"]), s(&["1", "2"])]).is_none());
}

#[test]
fn import_maps_every_legacy_category_to_the_current_ten() {
    let reg = real();
    let cats = reg.reference_data().unwrap().categories;
    for (text, code) in [
        ("民间文学", "Ⅰ"),
        ("民间音乐", "Ⅱ"),
        ("传统音乐", "Ⅱ"),
        ("民间舞蹈", "Ⅲ"),
        ("传统舞蹈", "Ⅲ"),
        ("戏曲", "Ⅳ"),
        ("传统戏剧", "Ⅳ"),
        ("曲艺", "Ⅴ"),
        ("杂技与竞技", "Ⅵ"),
        ("传统体育、游艺与杂技", "Ⅵ"),
        ("传统体育，游艺与杂技", "Ⅵ"),
        ("民间美术", "Ⅶ"),
        ("传统美术", "Ⅶ"),
        ("传统手工技艺", "Ⅷ"),
        ("传统技艺", "Ⅷ"),
        ("传统技艺类", "Ⅷ"),
        ("传统医药", "Ⅸ"),
        ("民俗", "Ⅹ"),
        ("一、民间文学", "Ⅰ"),
        ("（八）传统手工技艺", "Ⅷ"),
        ("Ⅷ", "Ⅷ"),
        ("VIII", "Ⅷ"),
        ("ⅷ", "Ⅷ"),
        ("8", "Ⅷ"),
        ("８", "Ⅷ"),
    ] {
        assert_eq!(match_category(text, &cats).as_deref(), Some(code), "{text}");
    }
    for unknown in ["民间杂耍", "消费", "11", "XI", ""] {
        assert_eq!(match_category(unknown, &cats), None, "{unknown}");
    }
}

#[test]
fn import_parses_codes_with_ascii_look_alikes_and_full_width() {
    let p = |b: Option<i64>, c: &str, s: Option<i64>| {
        Some(ParsedCode {
            batch: b,
            category: c.into(),
            seq: s,
        })
    };
    for (code, want) in [
        ("Ⅷ-3", p(None, "Ⅷ", Some(3))),
        ("Ⅵ-Ⅷ-1", p(Some(6), "Ⅷ", Some(1))),
        ("Ⅷ", p(None, "Ⅷ", None)),
        ("VIII-3", p(None, "Ⅷ", Some(3))),
        ("viii－3", p(None, "Ⅷ", Some(3))),
        ("Ⅷ—3", p(None, "Ⅷ", Some(3))),
        ("Ⅷ–3", p(None, "Ⅷ", Some(3))),
        ("Ⅷ 3", p(None, "Ⅷ", Some(3))),
        ("ＶＩＩＩ－３", p(None, "Ⅷ", Some(3))),
        ("Ⅷ-１２", p(None, "Ⅷ", Some(12))),
        ("IV", p(None, "Ⅳ", None)),
        ("lV", p(None, "Ⅳ", None)),
        ("lV-2", p(None, "Ⅳ", Some(2))),
        ("VI-VIII-1", p(Some(6), "Ⅷ", Some(1))),
        ("Ⅹ-10", p(None, "Ⅹ", Some(10))),
        ("VIII3", p(None, "Ⅷ", Some(3))),
        ("Ⅱ-6-4", p(Some(6), "Ⅱ", Some(4))),
        ("XII-1", None),
        ("IIII-1", None),
        ("3", None),
        ("Ⅷ-0", None),
        ("传统技艺", None),
        ("", None),
    ] {
        assert_eq!(parse_code(code), want, "{code:?}");
    }
}

// ------------------------------------------------------------------ preview

#[test]
fn import_preview_shows_every_row_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("第六批名录.xlsx");
    published_list(&file);
    let mut reg = real();
    let unit = with_unit(&mut reg);
    let before = state(&reg);
    let report = reg
        .import_list_preview(&request(&file, Some(sixth(&reg))))
        .unwrap();
    assert_eq!(state(&reg), before, "a preview writes nothing");
    assert!(reg.import_runs().unwrap().is_empty());

    assert_eq!(report.import_id, None);
    assert_eq!(report.format, "xlsx");
    assert_eq!(report.sheet, "第六批");
    assert_eq!(report.header_row, 3);
    assert_eq!(report.columns[2].header, "项目\n名称");
    assert_eq!(report.columns[2].field, ImportField::Name);
    let c = &report.counts;
    assert_eq!((c.rows, c.create, c.skip, c.error), (15, 8, 4, 3), "{c:?}");

    for r in [4, 6, 8] {
        assert_eq!(row(&report, r).outcome, ImportOutcome::Skip, "row {r}");
    }
    assert_eq!(row(&report, 18).outcome, ImportOutcome::Skip, "合计");

    let r5 = row(&report, 5);
    assert_eq!(r5.outcome, ImportOutcome::Create);
    assert_eq!(
        (r5.code.as_str(), r5.name.as_str(), r5.category.as_deref()),
        ("Ⅰ-1", "示例·运河传说", Some("Ⅰ"))
    );
    assert_eq!(r5.batch_name.as_deref(), Some("第六批"));
    assert_eq!(r5.townships, ["370405001"]);
    assert!(r5.messages.is_empty(), "{:?}", r5.messages);
    let _ = unit;

    let r7 = row(&report, 7);
    assert_eq!(r7.category.as_deref(), Some("Ⅱ"));
    assert_eq!(r7.category_source.as_deref(), Some("民间音乐"));
    assert_eq!(r7.code, "Ⅱ-1");
    assert_eq!(r7.inheritors, ["示例甲", "示例乙"]);
    assert!(says(r7, "warning", "传承人需在传承人页补录"));
    assert!(says(r7, "warning", "保护单位“示例·未登记单位”尚未登记"));

    let r9 = row(&report, 9);
    assert_eq!(
        (r9.code.as_str(), r9.category.as_deref(), r9.sequence),
        ("Ⅷ-3", Some("Ⅷ"), Some(3))
    );
    assert_eq!(r9.category_source.as_deref(), Some("传统手工技艺"));

    let r10 = row(&report, 10);
    assert_eq!(
        r10.name, "示例·木器制作",
        "a wrapped cell loses its line break"
    );
    assert_eq!(
        (r10.category.as_deref(), r10.sequence),
        (Some("Ⅷ"), Some(1)),
        "category and sequence from the code Ⅵ-Ⅷ-1"
    );
    assert_eq!(r10.townships, ["370405104"], "马兰屯 without 镇");

    assert_eq!(row(&report, 12).code, "Ⅳ-2", "lV with a small L");
    assert_eq!(row(&report, 15).townships, ["370405-KFQ"]);

    let r13 = row(&report, 13);
    assert_eq!(r13.outcome, ImportOutcome::Error);
    assert!(says(r13, "error", "项目名称为空"));
    let r14 = row(&report, 14);
    assert_eq!(r14.outcome, ImportOutcome::Error);
    assert!(says(r14, "error", "类别“民间杂耍”无法识别"));
    let r16 = row(&report, 16);
    assert_eq!(r16.outcome, ImportOutcome::Error);
    assert!(says(r16, "error", "与第 7 行同名且同批次"), "{r16:?}");

    let r17 = row(&report, 17);
    assert_eq!(r17.outcome, ImportOutcome::Create);
    assert!(says(r17, "warning", "没有识别出本区的镇街"));
    assert_eq!(r17.area, "台儿庄古城");
}

#[test]
fn import_without_a_batch_warns_and_a_code_batch_that_is_not_registered_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.csv");
    std::fs::write(
        &file,
        "项目编号,项目名称,类别\nⅧ-1,示例·甲,传统技艺\nⅢ-Ⅷ-2,示例·乙,传统技艺\n",
    )
    .unwrap();
    let reg = real();
    let report = reg.import_list_preview(&request(&file, None)).unwrap();
    assert_eq!(report.format, "csv (UTF-8)");
    let a = row(&report, 2);
    assert_eq!(a.outcome, ImportOutcome::Create);
    assert!(says(a, "warning", "未指定批次"));
    let b = row(&report, 3);
    assert_eq!(b.outcome, ImportOutcome::Error);
    assert!(says(b, "error", "第三批"), "{b:?}");
}

// ------------------------------------------------------------------ commit and undo

#[test]
fn import_commit_creates_exactly_the_create_rows_under_one_import_id() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("第六批名录.xlsx");
    published_list(&file);
    let mut reg = real();
    let unit = with_unit(&mut reg);
    let items_before = reg.info().unwrap().item_count;
    let report = reg
        .import_list_commit(&request(&file, Some(sixth(&reg))))
        .unwrap();
    let id = report.import_id.clone().unwrap();
    assert_eq!(reg.info().unwrap().item_count, items_before + 8);
    let created: Vec<&ImportRow> = report
        .rows
        .iter()
        .filter(|r| r.outcome == ImportOutcome::Create)
        .collect();
    assert_eq!(created.len(), 8);
    assert!(report
        .rows
        .iter()
        .all(|r| r.item_id.is_some() == (r.outcome == ImportOutcome::Create)));

    // Stored as previewed: code, batch with its 文号, townships, the note.
    let hao = reg
        .item_get(row(&report, 7).item_id.as_ref().unwrap())
        .unwrap();
    assert_eq!(hao.name, "示例·运河号子");
    assert_eq!(hao.code, "Ⅱ-1");
    assert_eq!(hao.batch_label.as_deref(), Some("第六批"));
    assert_eq!(hao.listings[0].level, "区级");
    assert_eq!(
        hao.listings[0].doc_number.as_deref(),
        Some("台政字〔2022〕33号")
    );
    assert_eq!(hao.listings[0].code.as_deref(), Some("II-1"));
    assert_eq!(hao.townships[0].name, "涧头集镇");
    assert_eq!(hao.texts.applicant.as_deref(), Some("涧头集镇"));
    let note = hao.note.unwrap();
    assert!(
        note.contains("示例·未登记单位") && note.contains("示例甲、示例乙"),
        "{note}"
    );
    let legend = reg
        .item_get(row(&report, 5).item_id.as_ref().unwrap())
        .unwrap();
    assert_eq!(legend.protection_units, ["示例·运河文化站"]);
    assert_eq!(reg.unit_get(&unit).unwrap().items.len(), 1);

    // One import id on every log row it wrote; the chain still verifies.
    let history = reg.history("item", &hao.id).unwrap();
    assert_eq!(history.len(), 1);
    assert_eq!(history[0].action, "create");
    assert_eq!(
        history[0].reason.as_deref(),
        Some(format!("导入名录：第六批名录.xlsx（导入编号 {id}）").as_str())
    );
    assert!(reg.verify_log().unwrap().is_empty());

    let runs = reg.import_runs().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(
        (
            runs[0].id.as_str(),
            runs[0].kind.as_str(),
            runs[0].source.as_str()
        ),
        (id.as_str(), "list", "第六批名录.xlsx")
    );
    assert_eq!((runs[0].created, runs[0].updated), (8, 1));
    assert!(runs[0].undoable);

    // The same file again: every row is now a duplicate in the same batch.
    let again = reg
        .import_list_preview(&request(&file, Some(sixth(&reg))))
        .unwrap();
    assert_eq!(again.counts.create, 0);
    assert!(says(
        row(&again, 7),
        "error",
        "名录中已有同名项目“示例·运河号子”（第六批）"
    ));
    let before = state(&reg);
    let e = reg
        .import_list_commit(&request(&file, Some(sixth(&reg))))
        .unwrap_err();
    assert_eq!(e.code(), "conflict");
    assert!(e.to_string().contains("没有可以导入的行"), "{e}");
    assert_eq!(state(&reg), before);
}

#[test]
fn import_failing_midway_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.xlsx");
    published_list(&file);
    let mut reg = real();
    with_unit(&mut reg);
    // Row 11 passes the preview but its insert fails inside the commit.
    reg.connection()
        .execute_batch(
            "CREATE TEMP TRIGGER fail_one BEFORE INSERT ON item WHEN NEW.name = '示例·石锁'
             BEGIN SELECT RAISE(ABORT, 'injected failure'); END;",
        )
        .unwrap();
    let req = request(&file, Some(sixth(&reg)));
    assert_eq!(reg.import_list_preview(&req).unwrap().counts.create, 8);
    let before = state(&reg);
    let e = reg.import_list_commit(&req).unwrap_err();
    assert!(e.to_string().contains("第 15 行“示例·石锁”无法导入"), "{e}");
    assert!(e.to_string().contains("整个导入已取消"), "{e}");
    assert_eq!(
        state(&reg),
        before,
        "the items before row 15 were rolled back"
    );
    assert!(reg.import_runs().unwrap().is_empty());
}

#[test]
fn import_undo_takes_the_whole_import_back_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.xlsx");
    published_list(&file);
    let mut reg = real();
    with_unit(&mut reg);
    let mine = reg
        .item_save(crate::support::item("示例·手工录入", "Ⅸ", None))
        .unwrap();
    let before = reg.info().unwrap().item_count;
    let report = reg
        .import_list_commit(&request(&file, Some(sixth(&reg))))
        .unwrap();
    let id = report.import_id.clone().unwrap();
    // A clerk edits one imported item, and deletes another, before undoing.
    let edited_id = row(&report, 9).item_id.clone().unwrap();
    let mut edited = reg.item_get(&edited_id).unwrap();
    edited.texts.summary = Some("示例简介".into());
    let mut input = crate::support::item(&edited.name, &edited.category, edited.batch_id.clone());
    input.id = Some(edited_id.clone());
    input.texts = edited.texts.clone();
    input.seq = Some(edited.seq);
    reg.item_save(input).unwrap();
    let binned = row(&report, 11).item_id.clone().unwrap();
    reg.item_delete(&binned, "示例：录错了").unwrap();

    let run = reg.import_undo(&id, "导入的表格有误").unwrap();
    assert!(run.undone_at.is_some());
    assert!(!run.undoable);
    assert_eq!(
        reg.info().unwrap().item_count,
        before,
        "only the clerk's own item is left"
    );
    assert!(reg.item_get(&mine.id).unwrap().deleted_at.is_none());
    let e = reg.item_get(&edited_id).unwrap();
    assert!(e.deleted_at.is_some(), "edited items are taken back too");
    assert_eq!(
        e.texts.summary.as_deref(),
        Some("示例简介"),
        "and keep their edits in the bin"
    );
    let del = reg.history("item", &edited_id).unwrap();
    assert_eq!(del[0].action, "delete");
    let reason = del[0].reason.clone().unwrap();
    assert!(
        reason.contains("导入的表格有误") && reason.contains(&id),
        "{reason}"
    );
    assert_eq!(
        reg.history("item", &binned).unwrap()[0].reason.as_deref(),
        Some("示例：录错了"),
        "an item already in the bin is left as it was"
    );
    assert!(reg.verify_log().unwrap().is_empty());
    assert!(reg.search("示例·运河号子", 10).unwrap().is_empty());

    let again = reg.import_undo(&id, "").unwrap_err();
    assert_eq!(again.code(), "conflict");
    assert!(again.to_string().contains("该次导入已于"), "{again}");
    assert_eq!(
        reg.import_undo("0000-no-such-import", "")
            .unwrap_err()
            .code(),
        "not_found"
    );
    // Undone items can come back one by one from the recycle bin.
    reg.item_restore(&edited_id).unwrap();
    // And the list can be imported again once its items are gone.
    let fresh = reg
        .import_list_preview(&request(&file, Some(sixth(&reg))))
        .unwrap();
    assert_eq!(fresh.counts.create, 7, "all but the restored one");
}

#[test]
fn import_with_batch_6_puts_rows_into_the_sixth_batch() {
    let mut reg = real();
    let file = corpus("list-gbk.csv");
    let report = reg
        .import_list_commit(&request(&file, Some(sixth(&reg))))
        .unwrap();
    assert_eq!(report.counts.create, 3);
    let b = reg
        .batch_list(false)
        .unwrap()
        .into_iter()
        .find(|b| b.number == 6)
        .unwrap();
    assert_eq!(b.entered_count, 3);
    assert_eq!(b.doc_number.as_deref(), Some("台政字〔2022〕33号"));
    let page = reg
        .item_list(&feiyi_core::model::ItemQuery {
            batch: Some(6),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 3);
}

// ------------------------------------------------------------------ encodings

#[test]
fn import_reads_gbk_csv_exactly() {
    let reg = real();
    let file = corpus("list-gbk.csv");
    let bytes = std::fs::read(&file).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "the fixture is real GBK"
    );
    let report = reg.import_list_preview(&request(&file, None)).unwrap();
    assert_eq!(report.format, "csv (GBK)");
    assert_eq!(report.sheet, "list-gbk");
    assert_eq!(report.header_row, 2);
    let names: Vec<&str> = report
        .rows
        .iter()
        .filter(|r| r.outcome == ImportOutcome::Create)
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(names, ["示例·运河传说", "示例·运河号子", "示例·柳编技艺"]);
    let r = row(&report, 7);
    assert_eq!(r.code, "Ⅷ-2");
    assert_eq!(r.category_source.as_deref(), Some("传统手工技艺"));
    assert_eq!(r.area, "泥沟镇、张山子镇");
    assert_eq!(r.townships, ["370405101", "370405102"]);
    assert_eq!(row(&report, 3).outcome, ImportOutcome::Skip);
}

#[test]
fn import_reads_utf8_bom_csv_with_batches_by_label_and_doc_number() {
    let reg = real();
    let report = reg
        .import_list_preview(&request(&corpus("list-utf8-bom.csv"), None))
        .unwrap();
    assert_eq!(report.format, "csv (UTF-8)");
    assert_eq!(
        report.columns[0].header, "项目名称",
        "the BOM is not in the header"
    );
    let sixth = sixth(&reg);
    for r in [2, 3] {
        let r = row(&report, r);
        assert_eq!(r.outcome, ImportOutcome::Create, "{r:?}");
        assert_eq!(r.batch_id.as_deref(), Some(sixth.as_str()));
    }
    assert_eq!(row(&report, 2).category.as_deref(), Some("Ⅲ"));
    assert_eq!(row(&report, 3).category.as_deref(), Some("Ⅶ"));
    assert_eq!(row(&report, 3).townships, ["370405100"]);
}

// ------------------------------------------------------------------ bad files

fn refused(reg: &mut Registry, file: &Path, expect: &str) {
    let before = state(reg);
    let req = request(file, None);
    let e = reg.import_list_preview(&req).unwrap_err();
    assert_eq!(e.code(), "bad_input", "{e}");
    assert!(e.to_string().contains(expect), "{file:?}: {e}");
    assert!(e.to_string().contains("未做任何改动"), "{e}");
    let e = reg.import_list_commit(&req).unwrap_err();
    assert!(matches!(e, Error::BadInput { .. }), "{e}");
    assert_eq!(state(reg), before, "{file:?} changed the registry");
}

#[test]
fn import_refuses_bad_files_with_a_chinese_reason_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = real();
    reg.item_save(crate::support::item("示例·已有项目", "Ⅷ", None))
        .unwrap();

    let good = dir.path().join("good.xlsx");
    published_list(&good);
    let bytes = std::fs::read(&good).unwrap();
    let cut = dir.path().join("truncated.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    refused(
        &mut reg,
        &cut,
        "不是有效的 Excel 文件（文件可能已损坏或被截断）",
    );

    refused(&mut reg, &corpus("empty.csv"), "文件是空的");
    refused(
        &mut reg,
        &corpus("picture-renamed.xlsx"),
        "PNG 图片，不是表格文件",
    );

    let junk = dir.path().join("junk.xlsx");
    let f = std::fs::File::create(&junk).unwrap();
    f.set_len(100 * 1024 * 1024).unwrap(); // sparse: refused by size, never read
    drop(f);
    refused(&mut reg, &junk, "文件过大（100.0 MB）");

    let noise = dir.path().join("noise.csv");
    let bytes: Vec<u8> = (0..65_536u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    std::fs::write(&noise, bytes).unwrap();
    refused(&mut reg, &noise, "不是表格文件");

    // A zip bomb dressed as XLSX: 300 MB of zeros in one entry (about 300 KB packed).
    let bomb = dir.path().join("bomb.xlsx");
    {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(std::fs::File::create(&bomb).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        w.start_file("xl/workbook.xml", opts).unwrap();
        w.write_all(b"<workbook/>").unwrap();
        w.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
        let zeros = vec![0u8; 1024 * 1024];
        for _ in 0..300 {
            w.write_all(&zeros).unwrap();
        }
        w.finish().unwrap();
    }
    assert!(std::fs::metadata(&bomb).unwrap().len() < 2 * 1024 * 1024);
    refused(&mut reg, &bomb, "压缩炸弹");

    let text = dir.path().join("no-header.csv");
    std::fs::write(&text, "甲,乙\n1,2\n").unwrap();
    refused(&mut reg, &text, "没有找到表头");

    let missing = dir.path().join("missing.xlsx");
    let e = reg
        .import_list_preview(&request(&missing, None))
        .unwrap_err();
    assert_eq!(e.code(), "io");
}

#[test]
fn import_into_a_file_registry_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("list.xlsx");
    published_list(&file);
    let reg_dir = dir.path().join("registry");
    let id = {
        let mut reg = Registry::create(&reg_dir, RegistryKind::Real, clock()).unwrap();
        let req = request(&file, Some(sixth(&reg)));
        reg.import_list_commit(&req).unwrap().import_id.unwrap()
    };
    let mut reg = Registry::open(&reg_dir, clock()).unwrap();
    assert_eq!(reg.import_runs().unwrap()[0].id, id);
    reg.import_undo(&id, "").unwrap();
    assert_eq!(reg.info().unwrap().item_count, 0);
}

#[test]
fn import_reads_back_the_registers_own_xlsx_export() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("名录.xlsx");
    let mut a = real();
    let six = sixth(&a);
    for (name, cat) in [
        ("示例·运河号子", "Ⅱ"),
        ("=示例·公式样", "Ⅷ"),
        ("示例·剪纸", "Ⅶ"),
    ] {
        let mut input = crate::support::item(name, cat, Some(six.clone()));
        input.townships = vec![feiyi_core::model::ItemTownship {
            code: "370405103".into(),
            ..Default::default()
        }];
        a.item_save(input).unwrap();
    }
    assert_eq!(a.export_items_xlsx(&Default::default(), &file).unwrap(), 3);
    let b = real();
    let report = b.import_list_preview(&request(&file, None)).unwrap();
    let created: Vec<(&str, &str, Option<&str>)> = report
        .rows
        .iter()
        .filter(|r| r.outcome == ImportOutcome::Create)
        .map(|r| (r.name.as_str(), r.code.as_str(), r.batch_name.as_deref()))
        .collect();
    assert_eq!(
        created,
        [
            ("示例·运河号子", "Ⅱ-1", Some("第六批")),
            ("示例·剪纸", "Ⅶ-1", Some("第六批")),
            ("=示例·公式样", "Ⅷ-1", Some("第六批")),
        ],
        "{:?}",
        report.rows
    );
    assert!(report
        .rows
        .iter()
        .filter(|r| r.outcome == ImportOutcome::Create)
        .all(|r| r.townships == ["370405103"]));
    // Into the registry it came from, every row is a duplicate.
    let back = a.import_list_preview(&request(&file, None)).unwrap();
    assert_eq!((back.counts.create, back.counts.error), (0, 3));
}

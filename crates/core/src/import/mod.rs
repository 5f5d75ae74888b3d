//! Importing an existing list (XLSX/XLS/ODS/CSV) into the register.
//!
//! The file is read by `feiyi_intake::sheet` (limits, encodings, zip bombs). This module
//! turns its rows into a plan: the header row and column mapping ([`headers`]), each row
//! read into an [`ImportRow`] with its errors and warnings ([`rows`], [`codes`]), and for
//! every row that creates an item the exact [`ItemInput`] to save, sequence numbers
//! included, so that the preview shows the codes the commit will store. The plan reads the
//! registry (reference data, live items and units) but never writes; `api::import` runs it
//! once for a preview and again inside the commit's transaction.
//!
//! Decisions, per row:
//! - Entirely empty rows, sub-headings (a lone cell such as `一、民间文学`; a category
//!   named there applies to the rows below that have none), repeated header rows and
//!   totals are skipped.
//! - Empty name, unknown category, a batch that is not registered, and a name that a live
//!   item or an earlier row of the file already has **in the same batch** are errors (the
//!   row is not imported). The same name in another batch is a warning.
//! - A code's sequence already held by a live item (or an earlier row) is a warning and
//!   the next free sequence is used; no row without a code is refused for that.
//! - Protection units are linked when a live unit has exactly that name; otherwise a
//!   warning, and the name is kept in the item's note. Units are not created from a bare
//!   name (a unit needs its legal details).
//! - Inheritors are never created from a bare name; their names go into the item's note
//!   with the warning “传承人需在传承人页补录”.

pub mod codes;
pub mod headers;
pub mod rows;

use crate::db::{self, batches, imports, items};
use crate::error::{Error, Result};
use crate::model::{
    Batch, Category, ImportColumn, ImportCounts, ImportField, ImportMessage, ImportOutcome,
    ImportRow, ItemInput, ItemTexts, ItemTownship, ListImportReport, ListImportRequest, Listing,
    Township,
};
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Reads a spreadsheet file; every refusal becomes [`Error::BadInput`] naming the file.
pub fn read_workbook(path: &Path) -> Result<feiyi_intake::sheet::Workbook> {
    if let Err(e) = std::fs::metadata(path) {
        return Err(Error::io(path, e));
    }
    feiyi_intake::sheet::read_file(path).map_err(|e| Error::bad_input(path, e.0))
}

/// One item the commit creates.
#[derive(Debug, Clone)]
pub struct PlannedItem {
    /// Index into the report's rows.
    pub row_index: usize,
    /// What to save.
    pub input: ItemInput,
    /// The protection units (stable ids) to link it to.
    pub units: Vec<String>,
}

/// A list import worked out: the report and the items to create.
#[derive(Debug, Clone)]
pub struct Plan {
    /// What the preview shows.
    pub report: ListImportReport,
    /// The rows that create items, in sheet order.
    pub items: Vec<PlannedItem>,
}

/// Reference data and registry facts the rows are checked against.
struct Context {
    categories: Vec<Category>,
    townships: Vec<Township>,
    batches: Vec<Batch>,
    existing: Vec<imports::ExistingItem>,
    units: Vec<(String, String)>,
    template: String,
}

fn message(level: &str, field: Option<ImportField>, text: impl Into<String>) -> ImportMessage {
    ImportMessage {
        level: level.into(),
        field: field.map(field_name),
        message: text.into(),
    }
}

/// An [`ImportField`]'s name on the wire (camelCase).
pub fn field_name(f: ImportField) -> String {
    serde_json::to_value(f)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

/// A row read, before sequences are handed out.
struct Draft {
    row: ImportRow,
    input: Option<ItemInput>,
    units: Vec<String>,
    code_seq: Option<i64>,
    code_text: String,
    batch_number: Option<i64>,
}

/// Works out what importing `book` would do, against the registry in `conn`.
pub fn plan(
    conn: &Connection,
    book: &feiyi_intake::sheet::Workbook,
    req: &ListImportRequest,
    template: &str,
) -> Result<Plan> {
    let path = Path::new(&req.path);
    let sheet_names: Vec<String> = book.sheets.iter().map(|s| s.name.clone()).collect();
    // The sheet and its header row.
    let (sheet, header_index, found_columns) = match &req.sheet {
        Some(name) => {
            let sheet = book
                .sheets
                .iter()
                .find(|s| s.name == *name)
                .ok_or_else(|| {
                    Error::field(
                        "sheet",
                        format!(
                            "文件中没有名为“{name}”的工作表（有：{}）",
                            sheet_names.join("、")
                        ),
                    )
                })?;
            let found = headers::find_header(&sheet.rows);
            (sheet, found.as_ref().map(|f| f.0), found.map(|f| f.1))
        }
        None => match book
            .sheets
            .iter()
            .find_map(|s| headers::find_header(&s.rows).map(|f| (s, f)))
        {
            Some((s, (i, c))) => (s, Some(i), Some(c)),
            None => (&book.sheets[0], None, None),
        },
    };
    let header_index = match req.header_row {
        Some(n) if n >= 1 && (n as usize) <= sheet.rows.len() => n as usize - 1,
        Some(n) => {
            return Err(Error::field(
                "headerRow",
                format!("表头行 {n} 超出了表格的范围（共 {} 行）", sheet.rows.len()),
            ))
        }
        None => header_index.ok_or_else(|| {
            Error::bad_input(
                path,
                format!(
                    "在工作表“{}”的前 {} 行中没有找到表头（应有“项目名称”或“名称”一列）；可手动指定表头行和各列的含义",
                    sheet.name,
                    headers::HEADER_SEARCH_ROWS
                ),
            )
        })?,
    };
    let columns = match &req.columns {
        Some(c) => c.clone(),
        None if req.header_row.is_some() => headers::columns(&sheet.rows[header_index]),
        None => found_columns.unwrap_or_default(),
    };
    if !columns.iter().any(|c| c.field == ImportField::Name) {
        return Err(Error::field(
            "columns",
            "没有哪一列对应“项目名称”，请指定名称所在的列",
        ));
    }
    let ctx = Context {
        categories: db::reference::categories(conn)?,
        townships: db::reference::townships(conn)?,
        batches: batches::list(conn, false)?,
        existing: imports::live_items(conn)?,
        units: imports::live_units(conn)?,
        template: template.to_string(),
    };
    let request_batch = match &req.batch_id {
        Some(id) => Some(
            ctx.batches
                .iter()
                .find(|b| b.id == *id)
                .cloned()
                .ok_or_else(|| Error::field("batchId", "所选批次不存在或已删除"))?,
        ),
        None => None,
    };

    let mut drafts: Vec<Draft> = Vec::new();
    let mut section_category: Option<String> = None;
    let name_header = columns
        .iter()
        .find(|c| c.field == ImportField::Name)
        .map(|c| headers::normalize_header(&c.header));
    for (i, cells) in sheet.rows.iter().enumerate().skip(header_index + 1) {
        let sheet_row = i as i64 + 1;
        let draft = read_row(
            &ctx,
            &columns,
            cells,
            sheet_row,
            request_batch.as_ref(),
            &mut section_category,
            name_header.as_deref(),
            &drafts,
        );
        drafts.push(draft);
    }
    assign_sequences(conn, &ctx, &mut drafts)?;

    let mut report_rows = Vec::with_capacity(drafts.len());
    let mut planned = Vec::new();
    for (i, d) in drafts.into_iter().enumerate() {
        if let (ImportOutcome::Create, Some(input)) = (d.row.outcome, d.input) {
            planned.push(PlannedItem {
                row_index: i,
                input,
                units: d.units,
            });
        }
        report_rows.push(d.row);
    }
    let counts = count(&report_rows);
    Ok(Plan {
        report: ListImportReport {
            import_id: None,
            path: req.path.clone(),
            format: book.format.clone(),
            sheets: sheet_names,
            sheet: sheet.name.clone(),
            header_row: header_index as i64 + 1,
            columns,
            rows: report_rows,
            counts,
        },
        items: planned,
    })
}

/// Counts of a report's rows.
pub fn count(rows: &[ImportRow]) -> ImportCounts {
    let mut c = ImportCounts {
        rows: rows.len() as i64,
        ..Default::default()
    };
    for r in rows {
        match r.outcome {
            ImportOutcome::Create => {
                c.create += 1;
                if r.messages.iter().any(|m| m.level == "warning") {
                    c.warning += 1;
                }
            }
            ImportOutcome::Skip => c.skip += 1,
            ImportOutcome::Error => c.error += 1,
        }
    }
    c
}

fn empty_row(sheet_row: i64, outcome: ImportOutcome) -> ImportRow {
    ImportRow {
        row: sheet_row,
        outcome,
        code: String::new(),
        name: String::new(),
        category: None,
        category_source: None,
        batch_id: None,
        batch_name: None,
        sequence: None,
        townships: Vec::new(),
        area: String::new(),
        unit: String::new(),
        inheritors: Vec::new(),
        messages: Vec::new(),
        item_id: None,
    }
}

#[allow(clippy::too_many_arguments)]
fn read_row(
    ctx: &Context,
    columns: &[ImportColumn],
    cells: &[String],
    sheet_row: i64,
    request_batch: Option<&Batch>,
    section_category: &mut Option<String>,
    name_header: Option<&str>,
    earlier: &[Draft],
) -> Draft {
    let cell = |c: &ImportColumn| {
        let s = cells
            .get(c.index.max(0) as usize)
            .map(|s| s.trim())
            .unwrap_or("");
        // Our own exports write formula-like text with a leading `'` (export::xlsx::neutralize).
        match s.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']) => {
                rest
            }
            _ => s,
        }
    };
    let first = |f: ImportField| {
        columns
            .iter()
            .filter(|c| c.field == f)
            .map(cell)
            .find(|s| !s.is_empty())
            .unwrap_or("")
            .to_string()
    };
    let skip = |msg: Option<&str>| Draft {
        row: ImportRow {
            messages: msg
                .map(|m| vec![message("info", None, m)])
                .unwrap_or_default(),
            ..empty_row(sheet_row, ImportOutcome::Skip)
        },
        input: None,
        units: Vec::new(),
        code_seq: None,
        code_text: String::new(),
        batch_number: None,
    };
    let filled: Vec<&str> = cells
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect();
    if filled.is_empty() {
        return skip(None);
    }
    let raw_name = first(ImportField::Name);
    if name_header.is_some_and(|h| headers::normalize_header(&raw_name) == h) {
        return skip(Some("重复的表头行，已跳过"));
    }
    if filled.len() == 1
        && (raw_name.is_empty() || rows::looks_like_heading(filled[0], &ctx.categories))
    {
        if let Some(c) = rows::match_category(filled[0], &ctx.categories) {
            *section_category = Some(c);
        }
        return skip(Some("分类小标题，已跳过"));
    }
    if ["合计", "总计", "共计", "小计"]
        .iter()
        .any(|w| filled[0].starts_with(w) || raw_name.starts_with(w))
    {
        return skip(Some("合计行，已跳过"));
    }

    let mut msgs: Vec<ImportMessage> = Vec::new();
    let error = |msgs: &mut Vec<ImportMessage>, f: ImportField, m: String| {
        msgs.push(message("error", Some(f), m));
    };
    let name = rows::clean_name(&raw_name);
    if name.is_empty() {
        error(&mut msgs, ImportField::Name, "项目名称为空".into());
    } else if name.chars().count() > 100 {
        error(
            &mut msgs,
            ImportField::Name,
            "项目名称超过 100 个字，请检查是否把简介填进了名称列".into(),
        );
    }

    // Code.
    let code_text = first(ImportField::Code);
    let parsed = if code_text.is_empty() {
        None
    } else {
        let p = codes::parse_code(&code_text);
        if p.is_none() {
            msgs.push(message(
                "warning",
                Some(ImportField::Code),
                format!("编号“{code_text}”无法识别（应如 Ⅷ-3、Ⅵ-Ⅷ-1），将自动编号"),
            ));
        }
        p
    };

    // Category: the column, else the code, else the sub-heading above.
    let cat_text = first(ImportField::Category);
    let mut category_source = None;
    let category = if !cat_text.is_empty() {
        match rows::match_category(&cat_text, &ctx.categories) {
            Some(c) => {
                let current = ctx.categories.iter().find(|x| x.code == c);
                if current.is_none_or(|x| x.name != cat_text) {
                    category_source = Some(cat_text.clone());
                }
                if let Some(p) = parsed.as_ref().filter(|p| p.category != c) {
                    msgs.push(message(
                        "warning",
                        Some(ImportField::Category),
                        format!(
                            "类别“{cat_text}”（{c}）与编号“{code_text}”中的类别 {} 不一致，按类别列导入",
                            p.category
                        ),
                    ));
                }
                Some(c)
            }
            None => {
                category_source = Some(cat_text.clone());
                error(
                    &mut msgs,
                    ImportField::Category,
                    format!(
                        "类别“{cat_text}”无法识别，应为十大门类之一（{}）",
                        ctx.categories
                            .iter()
                            .map(|c| c.name.as_str())
                            .collect::<Vec<_>>()
                            .join("，")
                    ),
                );
                None
            }
        }
    } else if let Some(p) = &parsed {
        Some(p.category.clone())
    } else if let Some(c) = section_category.clone() {
        Some(c)
    } else {
        error(
            &mut msgs,
            ImportField::Category,
            "缺少类别（类别列为空，编号和小标题中也没有类别）".into(),
        );
        None
    };

    // Batch: the column, else the code, else the one the user chose.
    let batch_text = first(ImportField::Batch);
    let batch: Option<&Batch> = if !batch_text.is_empty() {
        match rows::match_batch(&batch_text, &ctx.batches) {
            Ok(b) => {
                if let Some(n) = parsed
                    .as_ref()
                    .and_then(|p| p.batch)
                    .filter(|n| *n != b.number)
                {
                    msgs.push(message(
                        "warning",
                        Some(ImportField::Batch),
                        format!(
                            "批次列为{}，编号中为{}，按批次列导入",
                            b.label,
                            crate::reference::batch_label(n)
                        ),
                    ));
                }
                Some(b)
            }
            Err(m) => {
                error(&mut msgs, ImportField::Batch, m);
                None
            }
        }
    } else if let Some(n) = parsed.as_ref().and_then(|p| p.batch) {
        match rows::batch_by_number(n, &ctx.batches) {
            Ok(b) => Some(b),
            Err(m) => {
                error(&mut msgs, ImportField::Code, m);
                None
            }
        }
    } else if let Some(b) = request_batch {
        Some(b)
    } else {
        msgs.push(message(
            "warning",
            Some(ImportField::Batch),
            "未指定批次（表中没有批次列，编号中也没有批次），导入后请在项目页补选批次",
        ));
        None
    };

    // Duplicates, in the registry and earlier in the file.
    if !name.is_empty() {
        let key = rows::name_key(&name);
        let batch_uid = batch.map(|b| b.id.clone());
        for e in ctx
            .existing
            .iter()
            .filter(|e| rows::name_key(&e.name) == key)
        {
            let where_ = e
                .batch_number
                .map(crate::reference::batch_label)
                .unwrap_or_else(|| "未分批次".into());
            if e.batch_uid == batch_uid {
                error(
                    &mut msgs,
                    ImportField::Name,
                    format!("名录中已有同名项目“{}”（{where_}），重复，未导入", e.name),
                );
            } else {
                msgs.push(message(
                    "warning",
                    Some(ImportField::Name),
                    format!(
                        "名录中已有同名项目“{}”（{where_}），请确认不是重复录入",
                        e.name
                    ),
                ));
            }
        }
        for d in earlier
            .iter()
            .filter(|d| !d.row.name.is_empty() && rows::name_key(&d.row.name) == key)
        {
            if d.row.batch_id == batch_uid {
                error(
                    &mut msgs,
                    ImportField::Name,
                    format!("与第 {} 行同名且同批次，重复，未导入", d.row.row),
                );
            } else {
                msgs.push(message(
                    "warning",
                    Some(ImportField::Name),
                    format!("与第 {} 行同名（批次不同），请确认", d.row.row),
                ));
            }
        }
    }

    // Area → townships; the text is kept in the field its header names.
    let mut applicant = Vec::new();
    let mut distribution = Vec::new();
    for c in columns.iter().filter(|c| c.field == ImportField::Area) {
        let v = cell(c);
        if v.is_empty() {
            continue;
        }
        if headers::normalize_header(&c.header).contains("申报") {
            applicant.push(v.to_string());
        } else {
            distribution.push(v.to_string());
        }
    }
    let area = applicant
        .iter()
        .chain(distribution.iter())
        .cloned()
        .collect::<Vec<_>>()
        .join("；");
    let townships = rows::match_townships(&area, &ctx.townships);
    if !area.is_empty() && townships.is_empty() {
        msgs.push(message(
            "warning",
            Some(ImportField::Area),
            format!("“{area}”中没有识别出本区的镇街，原文已保存，请在项目页补选镇街"),
        ));
    }

    // Protection units: linked by exact name, never created.
    let unit_text = first(ImportField::Unit);
    let mut unit_ids = Vec::new();
    let mut unknown_units = Vec::new();
    for u in rows::split_names(&unit_text) {
        let key = rows::name_key(&u);
        match ctx.units.iter().find(|(_, n)| rows::name_key(n) == key) {
            Some((id, _)) => unit_ids.push(id.clone()),
            None => unknown_units.push(u),
        }
    }
    if !unknown_units.is_empty() {
        msgs.push(message(
            "warning",
            Some(ImportField::Unit),
            format!(
                "保护单位“{}”尚未登记，未关联（名称已记入项目备注）；请在保护单位页登记后再关联",
                unknown_units.join("、")
            ),
        ));
    }
    // Inheritors: never created from a bare name.
    let inheritors: Vec<String> = columns
        .iter()
        .filter(|c| c.field == ImportField::Inheritors)
        .flat_map(|c| rows::split_names(cell(c)))
        .collect();
    if !inheritors.is_empty() {
        msgs.push(message(
            "warning",
            Some(ImportField::Inheritors),
            format!(
                "传承人需在传承人页补录（{} 已记入项目备注）",
                inheritors.join("、")
            ),
        ));
    }

    let has_error = msgs.iter().any(|m| m.level == "error");
    let mut note = Vec::new();
    if !unknown_units.is_empty() {
        note.push(format!(
            "保护单位（导入时未登记）：{}",
            unknown_units.join("、")
        ));
    }
    if !inheritors.is_empty() {
        note.push(format!(
            "传承人（导入时记录，待补录）：{}",
            inheritors.join("、")
        ));
    }
    let input = (!has_error).then(|| ItemInput {
        name: name.clone(),
        category: category.clone().unwrap_or_default(),
        batch_id: batch.map(|b| b.id.clone()),
        townships: townships
            .iter()
            .map(|code| ItemTownship {
                code: code.clone(),
                ..Default::default()
            })
            .collect(),
        listings: batch
            .map(|b| {
                vec![Listing {
                    id: None,
                    level: "区级".into(),
                    listed_on: b.approved_on.clone().or(b.published_on.clone()),
                    doc_number: b.doc_number.clone(),
                    batch_label: Some(b.label.clone()),
                    code: (!code_text.is_empty()).then(|| code_text.clone()),
                    note: None,
                }]
            })
            .unwrap_or_default(),
        texts: ItemTexts {
            applicant: (!applicant.is_empty()).then(|| applicant.join("；")),
            distribution: (!distribution.is_empty()).then(|| distribution.join("；")),
            ..Default::default()
        },
        note: (!note.is_empty()).then(|| note.join("\n")),
        ..Default::default()
    });
    Draft {
        row: ImportRow {
            row: sheet_row,
            outcome: if has_error {
                ImportOutcome::Error
            } else {
                ImportOutcome::Create
            },
            code: code_text.clone(),
            name,
            category,
            category_source,
            batch_id: batch.map(|b| b.id.clone()),
            batch_name: batch.map(|b| b.label.clone()),
            sequence: None,
            townships,
            area,
            unit: unit_text,
            inheritors,
            messages: msgs,
            item_id: None,
        },
        input,
        units: unit_ids,
        code_seq: parsed.as_ref().and_then(|p| p.seq),
        code_text,
        batch_number: batch.map(|b| b.number),
    }
}

/// Hands out sequences: a code's own sequence when it is free (not held by a live item
/// nor by an earlier row), otherwise — and for rows without one — the next free number
/// of the category, as a new item would get in the form.
fn assign_sequences(conn: &Connection, ctx: &Context, drafts: &mut [Draft]) -> Result<()> {
    let mut claimed: BTreeMap<String, BTreeSet<i64>> = BTreeMap::new();
    let mut wants_auto = Vec::new();
    for (i, d) in drafts.iter_mut().enumerate() {
        let Some(input) = d.input.as_mut() else {
            continue;
        };
        let cat = input.category.clone();
        match d.code_seq {
            Some(seq) => {
                let taken_by = items::holder_of_code(conn, &cat, seq, None)?;
                let in_file = claimed.get(&cat).is_some_and(|s| s.contains(&seq));
                if taken_by.is_none() && !in_file {
                    claimed.entry(cat).or_default().insert(seq);
                    input.seq = Some(seq);
                    continue;
                }
                let who = taken_by
                    .map(|h| format!("名录中的“{h}”"))
                    .unwrap_or_else(|| "表中前面的行".into());
                d.row.messages.push(message(
                    "warning",
                    Some(ImportField::Code),
                    format!(
                        "编号“{}”的序号 {seq} 已被{who}使用，将改用本类别下一个空闲序号",
                        d.code_text
                    ),
                ));
                wants_auto.push(i);
            }
            None => wants_auto.push(i),
        }
    }
    let mut next: BTreeMap<String, i64> = BTreeMap::new();
    for i in wants_auto {
        let d = &mut drafts[i];
        let Some(input) = d.input.as_mut() else {
            continue;
        };
        let cat = input.category.clone();
        let start = match next.get(&cat) {
            Some(n) => *n,
            None => items::next_seq(conn, &cat)?,
        };
        let taken = claimed.entry(cat.clone()).or_default();
        let mut seq = start;
        while taken.contains(&seq) || items::holder_of_code(conn, &cat, seq, None)?.is_some() {
            seq += 1;
        }
        taken.insert(seq);
        next.insert(cat, seq + 1);
        input.seq = Some(seq);
    }
    for d in drafts.iter_mut() {
        if let Some(input) = &d.input {
            let seq = input.seq.unwrap_or(1);
            d.row.sequence = Some(seq);
            d.row.code = crate::code::render(&ctx.template, &input.category, seq, d.batch_number);
        }
    }
    Ok(())
}

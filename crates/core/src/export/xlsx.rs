//! XLSX tables in the layout of a published 名录 table: a merged title row, a line
//! with the export date, a bold header row (frozen, repeated on every printed page),
//! then the data, A4 landscape.
//!
//! Every text cell goes through [`Worksheet::write_string_with_format`], which stores a
//! shared string: no cell is ever a formula. Text that *starts* like a formula (`=`, `+`,
//! `-`, `@`, tab, carriage return, or their full-width forms) is additionally given a
//! leading `'` by [`neutralize`] (the OWASP "CSV injection" rule): a shared string is
//! inert while the file stays XLSX, but once a clerk presses F2 + Enter in the cell, or
//! saves the sheet as CSV and reopens it in Excel, WPS or LibreOffice, a bare
//! `=HYPERLINK(…)` would come alive; `'=HYPERLINK(…)` never does.
//!
//! The file is written atomically: a temporary file in the same folder, flushed to disk,
//! then renamed over the target.
//!
//! [`write_workbook`] writes several [`ReportSheet`]s into one file in the shape of a
//! government statistics table (the 年度工作统计表): per sheet a title, lines under it
//! (计量单位, 数据截至), a header row repeated on printed pages, the rows (numbers as
//! numbers, 合计 bold) and the notes under the table.

use crate::error::{Error, Result};
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use std::borrow::Cow;
use std::path::Path;

/// One column: its header and its width in Excel's character units (a Chinese
/// character is about two units).
#[derive(Debug, Clone)]
pub struct Column {
    /// Header text.
    pub header: &'static str,
    /// Width in character units.
    pub width: f64,
}

/// One cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text (neutralised when it starts like a formula).
    Text(String),
    /// A number (e.g. 序号).
    Number(f64),
    /// Nothing.
    Empty,
}

impl From<String> for Cell {
    fn from(s: String) -> Self {
        if s.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(s)
        }
    }
}

impl From<&str> for Cell {
    fn from(s: &str) -> Self {
        Cell::from(s.to_owned())
    }
}

impl From<Option<String>> for Cell {
    fn from(s: Option<String>) -> Self {
        s.map(Cell::from).unwrap_or(Cell::Empty)
    }
}

/// A whole one-sheet table.
#[derive(Debug, Clone)]
pub struct Table {
    /// Worksheet name (at most 31 characters, no `[]:*?/\`).
    pub sheet_name: String,
    /// Title, merged across all columns.
    pub title: String,
    /// Line under the title (export date, filters, count).
    pub subtitle: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// The data rows, each as long as `columns`.
    pub rows: Vec<Vec<Cell>>,
}

/// Characters that make a spreadsheet treat a typed or CSV-imported value as a formula.
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// `s` with a leading `'` when it starts like a formula, otherwise unchanged.
pub fn neutralize(s: &str) -> Cow<'_, str> {
    match s.chars().next() {
        Some(c) if FORMULA_STARTS.contains(&c) => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

fn xlsx_err(path: &Path, e: XlsxError) -> Error {
    Error::io(
        path,
        std::io::Error::other(format!("生成电子表格失败（{e}）")),
    )
}

/// The sheet title: 黑体 16 pt bold, centred across the merged columns.
fn title_format() -> Format {
    Format::new()
        .set_font_name("黑体")
        .set_font_size(16)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
}

/// The header row: bold, wrapped, centred, grey, with thin borders.
fn header_format(font: &str) -> Format {
    Format::new()
        .set_font_name(font)
        .set_font_size(11)
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xD9D9D9))
        .set_border(FormatBorder::Thin)
}

/// Header row index (0-based): title, subtitle, then the header.
const HEADER_ROW: u32 = 2;

fn fill(sheet: &mut Worksheet, table: &Table) -> Result<(), XlsxError> {
    let font = "宋体";
    let last_col = u16::try_from(table.columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
    let title = title_format();
    let subtitle = Format::new()
        .set_font_name(font)
        .set_font_size(10)
        .set_align(FormatAlign::Right);
    let header = header_format(font);
    let body = Format::new()
        .set_font_name(font)
        .set_font_size(10)
        .set_text_wrap()
        .set_align(FormatAlign::VerticalCenter)
        .set_border(FormatBorder::Thin);
    let number = body.clone().set_align(FormatAlign::Center);

    sheet.set_name(&table.sheet_name)?;
    sheet.merge_range(0, 0, 0, last_col, &neutralize(&table.title), &title)?;
    sheet.set_row_height(0, 30)?;
    sheet.merge_range(1, 0, 1, last_col, &neutralize(&table.subtitle), &subtitle)?;
    for (c, col) in table.columns.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        sheet.set_column_width(c, col.width)?;
        sheet.write_string_with_format(HEADER_ROW, c, col.header, &header)?;
    }
    sheet.set_row_height(HEADER_ROW, 24)?;
    for (r, row) in table.rows.iter().enumerate() {
        let r = HEADER_ROW + 1 + u32::try_from(r).unwrap_or(u32::MAX - HEADER_ROW - 1);
        for (c, cell) in row.iter().enumerate() {
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                Cell::Text(s) => {
                    sheet.write_string_with_format(r, c, neutralize(s), &body)?;
                }
                Cell::Number(n) => {
                    sheet.write_number_with_format(r, c, *n, &number)?;
                }
                Cell::Empty => {
                    sheet.write_blank(r, c, &body)?;
                }
            }
        }
    }
    sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
    sheet.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    sheet
        .set_paper_size(9) // A4
        .set_landscape()
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3)
        .set_print_center_horizontally(true)
        .set_print_fit_to_pages(1, 0)
        .set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Refuses a target whose name does not end with `.xlsx`.
fn check_extension(path: &Path) -> Result<()> {
    let is_xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return Err(Error::field("path", "导出文件名须以 .xlsx 结尾"));
    }
    Ok(())
}

/// Writes `table` as an XLSX file at `path`, atomically.
pub fn write_table(table: &Table, path: &Path) -> Result<()> {
    check_extension(path)?;
    let mut workbook = Workbook::new();
    fill(workbook.add_worksheet(), table).map_err(|e| xlsx_err(path, e))?;
    let bytes = workbook.save_to_buffer().map_err(|e| xlsx_err(path, e))?;
    super::write_atomic(path, &bytes, "xlsx")
}

// ------------------------------------------------------------ report workbooks

/// A column of a [`ReportSheet`].
#[derive(Debug, Clone)]
pub struct ReportColumn {
    /// Header text.
    pub header: String,
    /// Width in character units (a Chinese character is about two).
    pub width: f64,
    /// Decimals shown for numbers in this column (0 for counts, 2 for 元).
    pub decimals: u8,
}

/// A row of a [`ReportSheet`].
#[derive(Debug, Clone)]
pub struct ReportRow {
    /// One cell per column.
    pub cells: Vec<Cell>,
    /// Drawn bold (the 合计 row).
    pub bold: bool,
    /// Drawn on a light background (a marked row, e.g. a month of the 非遗月).
    pub shaded: bool,
}

/// One sheet of a report workbook.
#[derive(Debug, Clone)]
pub struct ReportSheet {
    /// Worksheet name; make it with [`sheet_name`].
    pub name: String,
    /// Title, merged across all columns.
    pub title: String,
    /// Lines between the title and the header (计量单位, 数据截至, 填报单位), left-aligned.
    pub lines: Vec<String>,
    /// The columns.
    pub columns: Vec<ReportColumn>,
    /// The rows.
    pub rows: Vec<ReportRow>,
    /// Notes printed under the table, numbered.
    pub notes: Vec<String>,
}

/// Characters Excel does not allow in a worksheet name.
const SHEET_NAME_FORBIDDEN: [char; 7] = ['[', ']', ':', '*', '?', '/', '\\'];

/// Excel's longest worksheet name, in UTF-16 units.
const SHEET_NAME_MAX: usize = 31;

fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

/// Cuts `s` to at most `max` UTF-16 units.
fn cut(s: &str, max: usize) -> String {
    let mut out = String::new();
    let mut n = 0;
    for c in s.chars() {
        n += c.len_utf16();
        if n > max {
            break;
        }
        out.push(c);
    }
    out
}

/// A worksheet name Excel accepts made from `wanted`: the characters `[]:*?/\\` become
/// `_`, leading and trailing apostrophes and spaces go, the name is cut to 31 characters,
/// and it is made unique (ignoring case, as Excel does) among `taken` with a ` (2)`,
/// ` (3)` … suffix. Empty names become `Sheet`.
pub fn sheet_name(wanted: &str, taken: &[String]) -> String {
    let cleaned: String = wanted
        .chars()
        .map(|c| {
            if SHEET_NAME_FORBIDDEN.contains(&c) || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    let trim = |s: &str| {
        s.trim_matches(|c: char| c == '\'' || c.is_whitespace())
            .to_string()
    };
    let mut base = trim(&cut(&trim(&cleaned), SHEET_NAME_MAX));
    if base.is_empty() {
        base = "Sheet".into();
    }
    let is_taken = |n: &str| taken.iter().any(|t| t.to_lowercase() == n.to_lowercase());
    if !is_taken(&base) && !base.eq_ignore_ascii_case("history") {
        return base;
    }
    for k in 2.. {
        let suffix = format!(" ({k})");
        let name = format!(
            "{}{suffix}",
            trim(&cut(&base, SHEET_NAME_MAX - utf16_len(&suffix)))
        );
        if !is_taken(&name) {
            return name;
        }
    }
    unreachable!("some suffix is free")
}

/// Display width of `s` in character units: two for East Asian wide characters.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

fn fill_report(sheet: &mut Worksheet, r: &ReportSheet) -> Result<(), XlsxError> {
    let font = "宋体";
    let ncols = r.columns.len().max(1);
    let last_col = u16::try_from(ncols - 1).unwrap_or(u16::MAX);
    let total_width: f64 = r.columns.iter().map(|c| c.width).sum::<f64>().max(20.0);
    let title = title_format();
    let line = Format::new()
        .set_font_name(font)
        .set_font_size(10)
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::VerticalCenter);
    let header = header_format(font);
    let note = Format::new()
        .set_font_name(font)
        .set_font_size(9)
        .set_text_wrap()
        .set_align(FormatAlign::Left)
        .set_align(FormatAlign::Top);
    let cell_format = |is_number: bool, decimals: u8, bold: bool, shaded: bool| {
        let mut f = Format::new()
            .set_font_name(font)
            .set_font_size(10)
            .set_text_wrap()
            .set_align(FormatAlign::VerticalCenter)
            .set_border(FormatBorder::Thin);
        if is_number {
            f = f
                .set_align(FormatAlign::Right)
                .set_num_format(if decimals == 0 {
                    "#,##0".to_string()
                } else {
                    format!("#,##0.{}", "0".repeat(usize::from(decimals)))
                });
        }
        if bold {
            f = f.set_bold();
        }
        if shaded {
            f = f.set_background_color(Color::RGB(0xFFF2CC));
        }
        f
    };
    // Rows a merged text needs when wrapped across the table's width.
    let lines_for = |s: &str| (display_width(s) as f64 / total_width).ceil().max(1.0);

    sheet.set_name(&r.name)?;
    sheet.merge_range(0, 0, 0, last_col, &neutralize(&r.title), &title)?;
    sheet.set_row_height(0, 30)?;
    let mut at: u32 = 1;
    for l in &r.lines {
        if last_col == 0 {
            sheet.write_string_with_format(at, 0, neutralize(l), &line)?;
        } else {
            sheet.merge_range(at, 0, at, last_col, &neutralize(l), &line)?;
        }
        sheet.set_row_height(at, 20)?;
        at += 1;
    }
    let header_row = at;
    for (c, col) in r.columns.iter().enumerate() {
        let c = u16::try_from(c).unwrap_or(u16::MAX);
        sheet.set_column_width(c, col.width)?;
        sheet.write_string_with_format(header_row, c, neutralize(&col.header), &header)?;
    }
    sheet.set_row_height(header_row, 24)?;
    at += 1;
    for row in &r.rows {
        for (c, cell) in row.cells.iter().enumerate() {
            let decimals = r.columns.get(c).map_or(0, |col| col.decimals);
            let c = u16::try_from(c).unwrap_or(u16::MAX);
            match cell {
                Cell::Text(s) => {
                    let f = cell_format(false, 0, row.bold, row.shaded);
                    sheet.write_string_with_format(at, c, neutralize(s), &f)?;
                }
                Cell::Number(n) => {
                    let f = cell_format(true, decimals, row.bold, row.shaded);
                    sheet.write_number_with_format(at, c, *n, &f)?;
                }
                Cell::Empty => {
                    let f = cell_format(false, 0, row.bold, row.shaded);
                    sheet.write_blank(at, c, &f)?;
                }
            }
        }
        at += 1;
    }
    if !r.notes.is_empty() {
        at += 1;
        let numbered = r.notes.len() > 1;
        for (i, n) in r.notes.iter().enumerate() {
            let text = match (i, numbered) {
                (0, false) => format!("注：{n}"),
                (0, true) => format!("注：1. {n}"),
                (_, _) => format!("　　{}. {n}", i + 1),
            };
            if last_col == 0 {
                sheet.write_string_with_format(at, 0, neutralize(&text), &note)?;
            } else {
                sheet.merge_range(at, 0, at, last_col, &neutralize(&text), &note)?;
            }
            sheet.set_row_height(at, 14.0 * lines_for(&text))?;
            at += 1;
        }
    }
    sheet.set_freeze_panes(header_row + 1, 0)?;
    sheet.set_repeat_rows(header_row, header_row)?;
    sheet
        .set_paper_size(9) // A4
        .set_landscape()
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3)
        .set_print_center_horizontally(true)
        .set_print_fit_to_pages(1, 0)
        .set_footer("&C第 &P 页，共 &N 页");
    Ok(())
}

/// Writes `sheets` into one XLSX file at `path`, atomically (a temporary file beside it,
/// renamed into place). The path must end with `.xlsx`; sheet names must be unique and
/// valid (see [`sheet_name`]).
pub fn write_workbook(sheets: &[ReportSheet], path: &Path) -> Result<()> {
    check_extension(path)?;
    let mut workbook = Workbook::new();
    for s in sheets {
        fill_report(workbook.add_worksheet(), s).map_err(|e| xlsx_err(path, e))?;
    }
    let bytes = workbook.save_to_buffer().map_err(|e| xlsx_err(path, e))?;
    super::write_atomic(path, &bytes, "xlsx")
}

#[cfg(test)]
mod tests {
    use super::{display_width, neutralize, sheet_name};

    #[test]
    fn neutralizes_formula_starts_only() {
        assert_eq!(neutralize("=1+1"), "'=1+1");
        assert_eq!(neutralize("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralize("-2"), "'-2");
        assert_eq!(neutralize("+86"), "'+86");
        assert_eq!(neutralize("\tx"), "'\tx");
        assert_eq!(neutralize("＝1"), "'＝1");
        assert_eq!(neutralize("台儿庄大鼓"), "台儿庄大鼓");
        assert_eq!(neutralize("a=b"), "a=b");
        assert_eq!(neutralize(""), "");
    }

    #[test]
    fn sheet_names_are_valid_short_and_unique() {
        assert_eq!(
            sheet_name("表1 代表性项目按级别统计", &[]),
            "表1 代表性项目按级别统计"
        );
        assert_eq!(sheet_name("a[b]:c*d?e/f\\g", &[]), "a_b__c_d_e_f_g");
        assert_eq!(sheet_name("'引号'", &[]), "引号");
        assert_eq!(sheet_name("", &[]), "Sheet");
        assert_eq!(sheet_name("History", &[]), "History (2)");
        let long = "一".repeat(40);
        assert_eq!(sheet_name(&long, &[]).chars().count(), 31);
        let taken = vec!["目录".to_string(), "ABC".to_string()];
        assert_eq!(sheet_name("目录", &taken), "目录 (2)");
        assert_eq!(sheet_name("abc", &taken), "abc (2)");
        let taken = vec![long.chars().take(31).collect::<String>()];
        let second = sheet_name(&long, &taken);
        assert_eq!(second.chars().count(), 31);
        assert!(second.ends_with(" (2)"));
        // Characters outside the BMP count twice toward Excel's limit.
        let wide = "𠀀".repeat(20);
        assert_eq!(sheet_name(&wide, &[]).chars().count(), 15);
    }

    #[test]
    fn display_width_counts_chinese_twice() {
        assert_eq!(display_width("合计"), 4);
        assert_eq!(display_width("2026年"), 6);
        assert_eq!(display_width("abc"), 3);
    }
}

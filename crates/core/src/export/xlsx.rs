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

/// Header row index (0-based): title, subtitle, then the header.
const HEADER_ROW: u32 = 2;

fn fill(sheet: &mut Worksheet, table: &Table) -> Result<(), XlsxError> {
    let font = "宋体";
    let last_col = u16::try_from(table.columns.len().saturating_sub(1)).unwrap_or(u16::MAX);
    let title = Format::new()
        .set_font_name("黑体")
        .set_font_size(16)
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let subtitle = Format::new()
        .set_font_name(font)
        .set_font_size(10)
        .set_align(FormatAlign::Right);
    let header = Format::new()
        .set_font_name(font)
        .set_font_size(11)
        .set_bold()
        .set_text_wrap()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_background_color(Color::RGB(0xD9D9D9))
        .set_border(FormatBorder::Thin);
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

/// Writes `table` as an XLSX file at `path`, atomically.
pub fn write_table(table: &Table, path: &Path) -> Result<()> {
    let is_xlsx = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    if !is_xlsx {
        return Err(Error::field("path", "导出文件名须以 .xlsx 结尾"));
    }
    let mut workbook = Workbook::new();
    fill(workbook.add_worksheet(), table).map_err(|e| xlsx_err(path, e))?;
    let bytes = workbook.save_to_buffer().map_err(|e| xlsx_err(path, e))?;
    super::write_atomic(path, &bytes, "xlsx")
}

#[cfg(test)]
mod tests {
    use super::neutralize;

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
}

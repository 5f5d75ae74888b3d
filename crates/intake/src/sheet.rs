//! Spreadsheets (XLSX, XLS, ODS, CSV) read into rows of trimmed strings.
//!
//! The format is decided by the file's first bytes, not its name: `PK` is a ZIP container
//! (XLSX, XLSB or ODS, told apart by the entries inside), `D0 CF 11 E0` an OLE file (XLS),
//! well-known magic numbers of other formats (PNG, PDF, SQLite …) are refused by name, and
//! anything else is tried as text (CSV or TSV) in UTF-8 (with or without BOM), UTF-16 (with
//! BOM) or GBK — decoded as GB18030, its superset — and the [`Workbook::format`] says which.
//!
//! Limits are checked before anything large is allocated: the file's size (from the file
//! system, before reading it), the ZIP's entry count, declared and actual uncompressed
//! sizes and compression ratios (a zip bomb is refused before calamine sees it), rows and
//! columns. XLSX cells are streamed one by one, so a sheet whose only cells sit at A1 and
//! XFD1048576 costs two cells, not a dense grid. calamine runs under `catch_unwind`, so a
//! panic inside it becomes a refusal instead of taking the app down.

use crate::{IntakeError, Result};
use std::io::{Cursor, Read};
use std::path::Path;

/// Largest spreadsheet file accepted, bytes. Published lists are a few hundred kilobytes.
pub const MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;
/// Largest total uncompressed size of a ZIP-based spreadsheet (XLSX/ODS), bytes.
pub const MAX_UNZIPPED_BYTES: u64 = 200 * 1024 * 1024;
/// Largest compression ratio of one ZIP entry bigger than [`RATIO_FLOOR`] bytes.
/// Real sheet XML compresses 5–30 times; a run of zeros about a thousand times.
pub const MAX_RATIO: u64 = 200;
/// Entries smaller than this are not ratio-checked (tiny files compress oddly).
pub const RATIO_FLOOR: u64 = 1024 * 1024;
/// Most entries a ZIP-based spreadsheet may have.
pub const MAX_ENTRIES: usize = 10_000;
/// Most rows read from one sheet.
pub const MAX_ROWS: usize = 20_000;
/// Most columns read from one sheet.
pub const MAX_COLS: usize = 200;

/// One sheet: rows of trimmed cell texts. `rows[i]` is the spreadsheet's row `i + 1`
/// (empty rows above the data are kept so row numbers match what Excel shows); trailing
/// empty cells and rows are dropped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// The sheet's name (the file's name without extension for CSV).
    pub name: String,
    /// The rows.
    pub rows: Vec<Vec<String>>,
}

/// A whole spreadsheet file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Workbook {
    /// How it was read: `xlsx`, `xlsb`, `xls`, `ods`, `csv (UTF-8)`, `csv (GBK)`,
    /// `csv (UTF-16)`, `tsv (…)`.
    pub format: String,
    /// Its sheets in file order.
    pub sheets: Vec<Sheet>,
}

fn refuse<T>(message: impl Into<String>) -> Result<T> {
    Err(IntakeError(message.into()))
}

/// Reads a spreadsheet from disk. The size is checked against [`MAX_FILE_BYTES`] from the
/// file system before a byte is read, so a huge file is refused at once.
pub fn read_file(path: &Path) -> Result<Workbook> {
    let meta = std::fs::metadata(path)
        .map_err(|e| IntakeError(format!("无法读取文件（{}）", io_reason(&e))))?;
    if meta.is_dir() {
        return refuse("这是一个文件夹，不是表格文件");
    }
    check_size(meta.len())?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    std::fs::File::open(path)
        .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| IntakeError(format!("无法读取文件（{}）", io_reason(&e))))?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    read_bytes(&bytes, &name)
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有读取权限".into(),
        _ => e.to_string(),
    }
}

fn check_size(len: u64) -> Result<()> {
    if len > MAX_FILE_BYTES {
        return refuse(format!(
            "文件过大（{:.1} MB），名录表格一般不超过 {} MB；请确认选择的是名录表格",
            len as f64 / 1024.0 / 1024.0,
            MAX_FILE_BYTES / 1024 / 1024
        ));
    }
    Ok(())
}

/// Reads a spreadsheet from its bytes; `file_name` gives the CSV sheet's name and tells
/// CSV from TSV, the format itself is sniffed from the content.
pub fn read_bytes(bytes: &[u8], file_name: &str) -> Result<Workbook> {
    check_size(bytes.len() as u64)?;
    if bytes.is_empty() {
        return refuse("文件是空的（0 字节）");
    }
    let book = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        read_zip(bytes)?
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        read_xls(bytes)?
    } else if let Some(kind) = foreign_kind(bytes) {
        return refuse(format!(
            "这是{kind}，不是表格文件；请选择 Excel（.xlsx/.xls）或 CSV 文件"
        ));
    } else {
        read_text(bytes, file_name)?
    };
    if book.sheets.iter().all(|s| s.rows.is_empty()) {
        return refuse("文件是空的（表格中没有任何内容）");
    }
    Ok(book)
}

/// Names a binary format that is certainly not a spreadsheet.
fn foreign_kind(b: &[u8]) -> Option<&'static str> {
    const MAGIC: [(&[u8], &str); 11] = [
        (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
        (b"\xFF\xD8\xFF", "JPEG 图片"),
        (b"GIF8", "GIF 图片"),
        (b"%PDF", "PDF 文档"),
        (b"SQLite format 3\0", "SQLite 数据库文件"),
        (b"Rar!", "RAR 压缩包"),
        (b"7z\xBC\xAF\x27\x1C", "7z 压缩包"),
        (b"\x1F\x8B", "gzip 压缩包"),
        (b"{\\rtf", "RTF 文档"),
        (b"MZ", "Windows 程序"),
        (b"\x7FELF", "程序文件"),
    ];
    if b.len() > 12 && &b[4..8] == b"ftyp" {
        return Some("视频文件");
    }
    if b.starts_with(b"RIFF") {
        return Some("音频或视频文件");
    }
    MAGIC
        .iter()
        .find(|(m, _)| b.starts_with(m))
        .map(|(_, k)| *k)
}

// ------------------------------------------------------------------ ZIP-based

const BROKEN_EXCEL: &str = "不是有效的 Excel 文件（文件可能已损坏或被截断）";

/// What a ZIP container turned out to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ZipKind {
    Xlsx,
    Xlsb,
    Ods,
}

/// Checks a ZIP container's entries (count, declared sizes, ratios, then the actual
/// uncompressed sizes by streaming each entry into nothing, capped) and tells its kind.
fn inspect_zip(bytes: &[u8]) -> Result<ZipKind> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| IntakeError(BROKEN_EXCEL.into()))?;
    if zip.is_empty() {
        return refuse("文件是空的（空的压缩包）");
    }
    if zip.len() > MAX_ENTRIES {
        return refuse(format!(
            "文件内部结构异常（含 {} 个部件，超过 {MAX_ENTRIES} 个），不像是名录表格",
            zip.len()
        ));
    }
    let mut declared_total: u64 = 0;
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let f = zip
            .by_index_raw(i)
            .map_err(|_| IntakeError(BROKEN_EXCEL.into()))?;
        let (size, packed) = (f.size(), f.compressed_size());
        declared_total = declared_total.saturating_add(size);
        if declared_total > MAX_UNZIPPED_BYTES {
            return refuse(bomb_message());
        }
        if size > RATIO_FLOOR && size / packed.max(1) > MAX_RATIO {
            return refuse(bomb_message());
        }
        names.push(
            f.name()
                .map_err(|_| IntakeError(BROKEN_EXCEL.into()))?
                .into_owned(),
        );
    }
    let has = |n: &str| names.iter().any(|x| x == n);
    let kind = if has("xl/workbook.xml") {
        ZipKind::Xlsx
    } else if has("xl/workbook.bin") {
        ZipKind::Xlsb
    } else if has("content.xml") && zip_mimetype(&mut zip).contains("spreadsheet") {
        ZipKind::Ods
    } else if has("word/document.xml") {
        return refuse(
            "这是 Word 文档（.docx），不是表格文件；请在 Excel 中打开名录后另存为 .xlsx",
        );
    } else if names.iter().any(|n| n.starts_with("ppt/")) {
        return refuse("这是 PowerPoint 演示文稿，不是表格文件");
    } else if has("content.xml") {
        return refuse("这是 OpenDocument 文字或演示文档，不是表格文件");
    } else {
        return refuse("这是一个 ZIP 压缩包，不是表格文件；请先解压，再选择其中的名录表格");
    };
    // The declared sizes may lie: measure what each entry really inflates to, never
    // reading more than the remaining allowance (plus one byte to notice the excess).
    let mut actual_total: u64 = 0;
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(m) if m.contains("assword") => {
                IntakeError("文件设有密码，请先在 Excel 中取消密码后另存，再导入".into())
            }
            _ => IntakeError(BROKEN_EXCEL.into()),
        })?;
        let (declared, packed) = (f.size(), f.compressed_size());
        let allowance = declared.min(MAX_UNZIPPED_BYTES - actual_total);
        let n = std::io::copy(&mut (&mut f).take(allowance + 1), &mut std::io::sink())
            .map_err(|_| IntakeError(BROKEN_EXCEL.into()))?;
        if n > allowance {
            return refuse(bomb_message());
        }
        if n > RATIO_FLOOR && n / packed.max(1) > MAX_RATIO {
            return refuse(bomb_message());
        }
        actual_total += n;
    }
    Ok(kind)
}

fn bomb_message() -> String {
    format!(
        "文件解压后过大（超过 {} MB 或压缩比异常），可能是恶意构造的压缩文件（“压缩炸弹”），已拒绝读取",
        MAX_UNZIPPED_BYTES / 1024 / 1024
    )
}

fn zip_mimetype(zip: &mut zip::ZipArchive<Cursor<&[u8]>>) -> String {
    let mut s = String::new();
    if let Ok(f) = zip.by_name("mimetype") {
        let _ = f.take(200).read_to_string(&mut s);
    }
    s
}

fn read_zip(bytes: &[u8]) -> Result<Workbook> {
    let kind = inspect_zip(bytes)?;
    guarded(|| match kind {
        ZipKind::Xlsx => read_xlsx(bytes),
        ZipKind::Xlsb => read_xlsb(bytes),
        ZipKind::Ods => read_ranges::<calamine::Ods<_>>(bytes, "ods"),
    })
}

fn read_xls(bytes: &[u8]) -> Result<Workbook> {
    xls_guard::check(bytes)?;
    guarded(|| read_ranges::<calamine::Xls<_>>(bytes, "xls"))
}

/// Runs a calamine reader; a panic inside it becomes a refusal.
fn guarded(f: impl FnOnce() -> Result<Workbook>) -> Result<Workbook> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| refuse("无法读取这个表格（文件结构异常，读取程序出错）"))
}

/// Collects cells (row, column, text) into rows, refusing cells beyond the limits.
struct Grid {
    sheet: String,
    rows: Vec<Vec<String>>,
}

impl Grid {
    fn new(sheet: &str) -> Self {
        Self {
            sheet: sheet.to_string(),
            rows: Vec::new(),
        }
    }

    fn put(&mut self, row: usize, col: usize, text: String) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        if row >= MAX_ROWS {
            return refuse(format!(
                "工作表“{}”超过 {MAX_ROWS} 行（第 {} 行有内容），不像是名录表格；请删去多余的行后再导入",
                self.sheet,
                row + 1
            ));
        }
        if col >= MAX_COLS {
            return refuse(format!(
                "工作表“{}”超过 {MAX_COLS} 列（第 {} 行第 {} 列有内容），不像是名录表格",
                self.sheet,
                row + 1,
                col + 1
            ));
        }
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let r = &mut self.rows[row];
        if r.len() <= col {
            r.resize(col + 1, String::new());
        }
        r[col] = text;
        Ok(())
    }

    fn into_sheet(self) -> Sheet {
        Sheet {
            name: self.sheet,
            rows: self.rows,
        }
    }
}

/// The text of a cell: trimmed; integers without `.0`; dates as `YYYY-MM-DD`.
fn cell_text<T: calamine::DataType>(d: &T) -> String {
    if let Some(dt) = d.get_datetime() {
        if dt.is_datetime() {
            let (y, m, day, h, min, s, _) = dt.to_ymd_hms_milli();
            return if (h, min, s) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{day:02}")
            } else if dt.as_f64() < 1.0 {
                format!("{h:02}:{min:02}")
            } else {
                format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}")
            };
        }
        return number_text(dt.as_f64());
    }
    if let Some(i) = d.get_int() {
        return i.to_string();
    }
    if let Some(f) = d.get_float() {
        return number_text(f);
    }
    if let Some(b) = d.get_bool() {
        return if b { "TRUE" } else { "FALSE" }.into();
    }
    if let Some(s) = d.get_string() {
        return s.trim().to_string();
    }
    if let Some(s) = d.get_datetime_iso() {
        return s.trim().to_string();
    }
    if let Some(s) = d.get_duration_iso() {
        return s.trim().to_string();
    }
    if let Some(e) = d.get_error() {
        return e.to_string();
    }
    String::new()
}

fn number_text(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// Puts every cell a streaming reader gives into `grid`, until it has no more.
fn drain<E: std::fmt::Display>(
    name: &str,
    grid: &mut Grid,
    mut next: impl FnMut() -> std::result::Result<Option<((u32, u32), String)>, E>,
) -> Result<()> {
    loop {
        match next() {
            Ok(Some(((r, col), text))) => grid.put(r as usize, col as usize, text)?,
            Ok(None) => return Ok(()),
            Err(e) => {
                return refuse(format!(
                    "工作表“{name}”无法读取（文件可能已损坏或被截断）：{}",
                    short(&e.to_string())
                ))
            }
        }
    }
}

/// XLSX: cells streamed one by one (no dense grid).
fn read_xlsx(bytes: &[u8]) -> Result<Workbook> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::Xlsx::new(Cursor::new(bytes))
        .map_err(|e| IntakeError(format!("{BROKEN_EXCEL}：{}", short(&e.to_string()))))?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let mut grid = Grid::new(&name);
        let mut cells = match book.worksheet_cells_reader(&name) {
            Ok(c) => c,
            // A chart sheet or a dialog sheet has no cells.
            Err(calamine::XlsxError::WorksheetNotFound(_)) => continue,
            Err(e) => {
                return refuse(format!(
                    "工作表“{name}”无法读取（文件可能已损坏）：{}",
                    short(&e.to_string())
                ))
            }
        };
        drain(&name, &mut grid, || {
            cells
                .next_cell()
                .map(|c| c.map(|c| (c.get_position(), cell_text(c.get_value()))))
        })?;
        sheets.push(grid.into_sheet());
    }
    Ok(Workbook {
        format: "xlsx".into(),
        sheets,
    })
}

/// XLSB: cells streamed one by one, like XLSX. (calamine's `worksheet_range` would build
/// a dense grid from the first to the last cell, and XLSB cell positions are 32-bit: two
/// cells far apart in a tiny file would ask for terabytes.)
fn read_xlsb(bytes: &[u8]) -> Result<Workbook> {
    use calamine::Reader;
    let mut book: calamine::Xlsb<_> = calamine::Xlsb::new(Cursor::new(bytes)).map_err(|e| {
        IntakeError(format!(
            "不是有效的 Excel 文件（文件可能已损坏、被截断或设有密码）：{}",
            short(&e.to_string())
        ))
    })?;
    let mut sheets = Vec::new();
    for name in book.sheet_names() {
        let mut grid = Grid::new(&name);
        let mut cells = match book.worksheet_cells_reader(&name) {
            Ok(c) => c,
            Err(calamine::XlsbError::WorksheetNotFound(_)) => continue,
            Err(e) => {
                return refuse(format!(
                    "工作表“{name}”无法读取（文件可能已损坏）：{}",
                    short(&e.to_string())
                ))
            }
        };
        drain(&name, &mut grid, || {
            cells
                .next_cell()
                .map(|c| c.map(|c| (c.get_position(), cell_text(c.get_value()))))
        })?;
        sheets.push(grid.into_sheet());
    }
    Ok(Workbook {
        format: "xlsb".into(),
        sheets,
    })
}

/// XLS, ODS: calamine's ranges. XLS is checked first by [`xls_guard::check`] (calamine
/// would otherwise build a dense grid as large as the farthest cell, and follow looping
/// sector chains for ever); calamine caps ODS row repeats and cells itself.
fn read_ranges<'a, R>(bytes: &'a [u8], format: &str) -> Result<Workbook>
where
    R: calamine::Reader<Cursor<&'a [u8]>>,
    R::Error: std::fmt::Display,
{
    let mut book = R::new(Cursor::new(bytes)).map_err(|e: R::Error| {
        IntakeError(format!(
            "不是有效的 Excel 文件（文件可能已损坏、被截断或设有密码）：{}",
            short(&e.to_string())
        ))
    })?;
    let mut sheets = Vec::new();
    let names: Vec<String> = book.sheet_names();
    for name in names {
        let range = match book.worksheet_range(&name) {
            Ok(r) => r,
            Err(e) => {
                return refuse(format!(
                    "工作表“{name}”无法读取（文件可能已损坏）：{}",
                    short(&e.to_string())
                ))
            }
        };
        let mut grid = Grid::new(&name);
        for (r, c, d) in range.used_cells() {
            let (r0, c0) = range.start().unwrap_or((0, 0));
            grid.put(r + r0 as usize, c + c0 as usize, cell_text(d))?;
        }
        sheets.push(grid.into_sheet());
    }
    Ok(Workbook {
        format: format.into(),
        sheets,
    })
}

/// The first line of a library's error text, kept short for the clerk's eyes.
fn short(s: &str) -> String {
    s.lines()
        .next()
        .unwrap_or_default()
        .chars()
        .take(120)
        .collect()
}

// ------------------------------------------------------------------ XLS guard

/// Checks an XLS file before calamine reads it, so that a small hostile file cannot make
/// calamine allocate without bound (found with `cargo fuzz`, see `tests/corpus/fuzz/`).
///
/// The compound file (CFB) is walked the way calamine walks it, refusing a sector chain
/// that loops or runs longer than the file (calamine follows the directory chain without
/// a bound, and the other chains up to a declared length of up to 4 GB). Then the
/// `Workbook` stream's records are read: a DIMENSIONS record larger than an XLS sheet can
/// be (calamine reserves that many cells at once — terabytes for a 5 KB file) is refused,
/// and so is a cell record beyond [`MAX_ROWS`] or [`MAX_COLS`] (calamine builds a dense
/// grid from the first to the last cell, 65,536 × 65,536 at worst; [`Grid`] would refuse
/// such a cell afterwards anyway, this only refuses it before the grid is built). The
/// cells calamine will hold for all sheets together are capped at
/// `MAX_ROWS × MAX_COLS`, and the number of sheets at [`xls_guard::MAX_SHEETS`].
mod xls_guard {
    use super::{refuse, BROKEN_EXCEL, MAX_COLS, MAX_ROWS};
    use crate::Result;
    use std::collections::HashMap;

    /// Most sheets (BOUNDSHEET records) an XLS file may declare.
    pub const MAX_SHEETS: usize = 256;
    const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
    const DIFSECT: u32 = 0xFFFF_FFFC;
    /// calamine's `RESERVED_SECTORS`: ids from here on end the DIFAT chain.
    const RESERVED: u32 = 0xFFFF_FFFA;

    fn broken<T>() -> Result<T> {
        refuse(BROKEN_EXCEL)
    }

    fn u16_at(b: &[u8], at: usize) -> Option<u16> {
        Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
    }

    fn u32_at(b: &[u8], at: usize) -> Option<u32> {
        Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
    }

    fn u32s(b: &[u8]) -> impl Iterator<Item = u32> + '_ {
        b.chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
    }

    /// The file's sectors as calamine sees them (sector `id` starts after the header).
    struct Sectors<'a> {
        data: &'a [u8],
        size: usize,
        /// Highest id calamine accepts (`len / size`).
        max_id: usize,
    }

    impl<'a> Sectors<'a> {
        fn get(&self, id: u32) -> Result<&'a [u8]> {
            if id as usize > self.max_id {
                return broken();
            }
            let start = (id as usize).saturating_mul(self.size);
            if start >= self.data.len() {
                // calamine would fail here, or (in the mini stream) read on into the file.
                return broken();
            }
            let end = start.saturating_add(self.size).min(self.data.len());
            Ok(&self.data[start..end])
        }

        /// A chain of at most `len` bytes; refused when it loops or outgrows the file.
        fn chain(&self, mut id: u32, fat: &[u32], len: usize) -> Result<Vec<u8>> {
            let mut out = Vec::new();
            let mut steps = 0usize;
            while id != ENDOFCHAIN {
                steps += 1;
                if steps > self.max_id + 1 {
                    return refuse(
                        "不是有效的 Excel 文件（文件内部的扇区链首尾相接，可能是恶意构造的文件），已拒绝读取",
                    );
                }
                let sector = self.get(id)?;
                let take = sector.len().min(len - out.len());
                out.extend_from_slice(&sector[..take]);
                if out.len() >= len {
                    break;
                }
                id = match fat.get(id as usize) {
                    Some(next) => *next,
                    None => return broken(),
                };
            }
            Ok(out)
        }
    }

    /// The `Workbook` (or `Book`) stream, read as calamine reads it.
    fn workbook_stream(bytes: &[u8]) -> Result<Vec<u8>> {
        let header = bytes.get(..512).map_or_else(broken, Ok)?;
        let size: usize = match u16_at(header, 30) {
            Some(9) => 512,
            Some(12) => 4096,
            _ => return broken(),
        };
        let body = bytes.get(size.min(bytes.len())..).unwrap_or_default();
        let regular = Sectors {
            data: body,
            size,
            max_id: bytes.len() / size,
        };
        let field = |at| u32_at(header, at).map_or_else(broken, Ok);
        let (dir_start, mini_fat_start) = (field(48)?, field(60)?);
        let (mini_fat_len, mut difat_id) = (field(64)? as usize, field(68)?);
        let mut difat: Vec<u32> = u32s(&header[76..512]).collect();
        let mut hops = 0usize;
        while difat_id < RESERVED {
            hops += 1;
            if hops > regular.max_id + 1 {
                return broken();
            }
            difat.extend(u32s(regular.get(difat_id)?));
            difat_id = difat.pop().map_or_else(broken, Ok)?;
        }
        let mut fat = Vec::new();
        for id in difat.into_iter().filter(|id| *id < DIFSECT) {
            fat.extend(u32s(regular.get(id)?));
        }
        let dirs = regular.chain(dir_start, &fat, usize::MAX)?;
        let dirs: Vec<&[u8]> = dirs.chunks_exact(128).collect();
        let root = dirs.first().map_or_else(broken, |d| Ok(*d))?;
        let entry_len = |d: &[u8]| -> usize {
            if size == 512 {
                u32_at(d, 120).unwrap_or(0) as usize
            } else {
                let lo = u32_at(d, 120).unwrap_or(0) as u64;
                let hi = u32_at(d, 124).unwrap_or(0) as u64;
                usize::try_from(lo | hi << 32).unwrap_or(usize::MAX)
            }
        };
        let start_of = |d: &[u8]| u32_at(d, 116).unwrap_or(ENDOFCHAIN);
        let name_of = |d: &[u8]| {
            let units: Vec<u16> = d[..64]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .take_while(|u| *u != 0)
                .collect();
            String::from_utf16_lossy(&units)
        };
        let entry = ["Workbook", "Book"]
            .iter()
            .find_map(|want| {
                dirs.iter()
                    .find(|d| name_of(d).eq_ignore_ascii_case(want))
                    .copied()
            })
            .map_or_else(broken, Ok)?;
        let len = entry_len(entry);
        if len < 4096 {
            let (mini_fat, ministream) = if mini_fat_len > 0 {
                let ministream = regular.chain(start_of(root), &fat, entry_len(root))?;
                let mini_fat =
                    regular.chain(mini_fat_start, &fat, mini_fat_len.saturating_mul(size))?;
                (u32s(&mini_fat).collect::<Vec<_>>(), ministream)
            } else {
                (Vec::new(), Vec::new())
            };
            let mini = Sectors {
                data: &ministream,
                size: 64,
                max_id: regular.max_id.saturating_mul(8),
            };
            mini.chain(start_of(entry), &mini_fat, len)
        } else {
            regular.chain(start_of(entry), &fat, len)
        }
    }

    /// BIFF records: (type, data), stopping at the first truncated one.
    fn records(mut s: &[u8]) -> impl Iterator<Item = (u16, &[u8])> {
        std::iter::from_fn(move || {
            let typ = u16_at(s, 0)?;
            let len = u16_at(s, 2)? as usize;
            let data = s.get(4..4 + len)?;
            s = &s[4 + len..];
            Some((typ, data))
        })
    }

    fn too_far(row: u32, col: u32) -> Result<()> {
        if row as usize >= MAX_ROWS {
            return refuse(format!(
                "表格第 {} 行有单元格，超过 {MAX_ROWS} 行，不像是名录表格；请删去多余的行后再导入",
                row as u64 + 1
            ));
        }
        if col as usize >= MAX_COLS {
            return refuse(format!(
                "表格第 {} 列有单元格，超过 {MAX_COLS} 列，不像是名录表格",
                col as u64 + 1
            ));
        }
        Ok(())
    }

    /// The cells calamine will hold for the sheet at `pos`: its dense extent.
    fn sheet_cells(stream: &[u8], pos: usize) -> Result<u64> {
        let Some(sheet) = stream.get(pos..) else {
            return Ok(0);
        };
        let (mut seen_bof, mut depth) = (false, 0usize);
        let mut extent: Option<(u32, u32, u32, u32)> = None;
        for (typ, d) in records(sheet) {
            if depth > 0 {
                match typ {
                    0x0809 => depth += 1,
                    0x000A => depth -= 1,
                    _ => {}
                }
                continue;
            }
            let at = |row: u16, col: u32| -> Result<()> {
                too_far(row as u32, col)?;
                Ok(())
            };
            let cell: Option<(u16, u32)> = match typ {
                0x0809 => {
                    if seen_bof {
                        depth += 1;
                    }
                    seen_bof = true;
                    None
                }
                0x000A => break,
                0x0200 => {
                    check_dimensions(d)?;
                    None
                }
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 => {
                    match (u16_at(d, 0), u16_at(d, 2)) {
                        (Some(r), Some(c)) => Some((r, c as u32)),
                        _ => None,
                    }
                }
                // MulRk: a row, the first column, n values, the last column.
                0x00BD if d.len() >= 6 => {
                    let (r, first) = (u16_at(d, 0).unwrap_or(0), u16_at(d, 2).unwrap_or(0));
                    let last = first as u32 + ((d.len() - 6) / 6) as u32;
                    at(r, first as u32)?;
                    Some((r, last.saturating_sub(1).max(first as u32)))
                }
                _ => None,
            };
            if let Some((r, c)) = cell {
                at(r, c)?;
                let (r, c) = (r as u32, c);
                extent = Some(match extent {
                    None => (r, r, c, c),
                    Some((r0, r1, c0, c1)) => (r0.min(r), r1.max(r), c0.min(c), c1.max(c)),
                });
            }
        }
        Ok(extent.map_or(0, |(r0, r1, c0, c1)| {
            (r1 - r0 + 1) as u64 * (c1 - c0 + 1) as u64
        }))
    }

    /// A DIMENSIONS record, as calamine reads it, must fit an XLS sheet (65,536 × 256).
    fn check_dimensions(r: &[u8]) -> Result<()> {
        let (rf, rl, cf, cl) = match r.len() {
            10 => (
                u16_at(r, 0).unwrap_or(0) as u32,
                u16_at(r, 2).unwrap_or(0) as u32,
                u16_at(r, 4).unwrap_or(0) as u32,
                u16_at(r, 6).unwrap_or(0) as u32,
            ),
            14 | 16 => (
                u32_at(r, 0).unwrap_or(0),
                u32_at(r, 4).unwrap_or(0),
                u16_at(r, 8).unwrap_or(0) as u32,
                u16_at(r, 10).unwrap_or(0) as u32,
            ),
            _ => return Ok(()), // calamine refuses it
        };
        let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
        let (end_r, end_c) = if rl >= 1 && cl >= 1 {
            (rl - 1, cl - 1)
        } else {
            (rf, cf)
        };
        let rows = end_r.wrapping_sub(rf).wrapping_add(1) as u64;
        let cols = end_c.wrapping_sub(cf).wrapping_add(1) as u64;
        if end_r < rf || rows > 65_536 || cols > 256 {
            return refuse(
                "不是有效的 Excel 文件（声明的表格范围超出 .xls 格式的上限 65536 行 × 256 列，可能是恶意构造的文件），已拒绝读取",
            );
        }
        Ok(())
    }

    /// See the module's documentation.
    pub fn check(bytes: &[u8]) -> Result<()> {
        let stream = workbook_stream(bytes)?;
        let mut sheets = Vec::new();
        for (typ, d) in records(&stream) {
            match typ {
                0x0085 => {
                    if let Some(pos) = u32_at(d, 0) {
                        sheets.push(pos as usize);
                    }
                    if sheets.len() > MAX_SHEETS {
                        return refuse(format!(
                            "表格中的工作表超过 {MAX_SHEETS} 个，不像是名录表格"
                        ));
                    }
                }
                0x000A => break, // the end of the workbook globals
                _ => {}
            }
        }
        let mut seen: HashMap<usize, u64> = HashMap::new();
        let mut total: u64 = 0;
        for pos in sheets {
            let cells = match seen.get(&pos) {
                Some(n) => *n,
                None => {
                    let n = sheet_cells(&stream, pos)?;
                    seen.insert(pos, n);
                    n
                }
            };
            total = total.saturating_add(cells);
            if total > (MAX_ROWS * MAX_COLS) as u64 {
                return refuse(format!(
                    "表格各工作表的范围合计超过 {} 个单元格，不像是名录表格",
                    MAX_ROWS * MAX_COLS
                ));
            }
        }
        Ok(())
    }
}

// ----------------------------------------------------------------------- text

/// Decodes text: UTF-8 (BOM or not), UTF-16 with BOM, else GB18030 (a superset of GBK).
/// Returns the text and the encoding's name.
pub fn decode_text(bytes: &[u8]) -> Result<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (s.to_string(), "UTF-8"))
            .map_err(|_| {
                IntakeError(
                    "文件以 UTF-8 标记开头，但内容不是有效的 UTF-8 文字（文件可能已损坏）".into(),
                )
            });
    }
    for (bom, enc) in [
        (&b"\xFF\xFE"[..], encoding_rs::UTF_16LE),
        (&b"\xFE\xFF"[..], encoding_rs::UTF_16BE),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return enc
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|s| (s.into_owned(), "UTF-16"))
                .ok_or_else(|| {
                    IntakeError(
                        "文件以 UTF-16 标记开头，但内容不是有效的 UTF-16 文字（文件可能已损坏）"
                            .into(),
                    )
                });
        }
    }
    if bytes.contains(&0) {
        return refuse(
            "不是表格文件（内容是二进制数据，不是文字）；请选择 Excel（.xlsx/.xls）或 CSV 文件",
        );
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok((s.to_string(), "UTF-8"));
    }
    encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)
        .map(|s| (s.into_owned(), "GBK"))
        .ok_or_else(|| {
            IntakeError(
                "文字编码无法识别（既不是 UTF-8 也不是 GBK），或不是表格文件；请在 Excel 中另存为 .xlsx 后再导入".into(),
            )
        })
}

fn read_text(bytes: &[u8], file_name: &str) -> Result<Workbook> {
    let (text, encoding) = decode_text(bytes)?;
    let total = text.chars().count().max(1);
    let controls = text
        .chars()
        .filter(|c| c.is_control() && !matches!(c, '\t' | '\r' | '\n' | '\u{c}'))
        .count();
    if controls * 200 > total {
        return refuse("不是表格文件（内容含大量不可见的控制字符，不是文字）；请选择 Excel（.xlsx/.xls）或 CSV 文件");
    }
    if text.trim().is_empty() {
        return refuse("文件是空的（只有空白）");
    }
    let lower = file_name.to_lowercase();
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let count = |c: char| first.chars().filter(|x| *x == c).count();
    let (delimiter, kind) = if lower.ends_with(".tsv") || count('\t') > count(',') {
        (b'\t', "tsv")
    } else if count(';') > count(',') {
        (b';', "csv")
    } else {
        (b',', "csv")
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let stem = Path::new(file_name)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "表格".into());
    let mut grid = Grid::new(&stem);
    for (r, record) in reader.records().enumerate() {
        let record = record.map_err(|e| {
            IntakeError(format!(
                "第 {} 行无法解析：{}",
                r + 1,
                short(&e.to_string())
            ))
        })?;
        for (c, field) in record.iter().enumerate() {
            grid.put(r, c, field.trim().to_string())?;
        }
    }
    Ok(Workbook {
        format: format!("{kind} ({encoding})"),
        sheets: vec![grid.into_sheet()],
    })
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn utf8_csv_with_bom_and_quotes() {
        let b = "\u{feff}序号,项目名称,类别\n1,\"示例·运河号子\",民间音乐\n".as_bytes();
        let w = read_bytes(b, "名录.csv").unwrap();
        assert_eq!(w.format, "csv (UTF-8)");
        assert_eq!(w.sheets[0].name, "名录");
        assert_eq!(w.sheets[0].rows[0], ["序号", "项目名称", "类别"]);
        assert_eq!(w.sheets[0].rows[1], ["1", "示例·运河号子", "民间音乐"]);
    }

    #[test]
    fn gbk_csv_is_decoded_not_garbled() {
        let (bytes, _, _) = encoding_rs::GBK.encode("项目名称,类别\n示例·鲁南花鼓,民间舞蹈\n");
        assert!(std::str::from_utf8(&bytes).is_err());
        let w = read_bytes(&bytes, "a.csv").unwrap();
        assert_eq!(w.format, "csv (GBK)");
        assert_eq!(w.sheets[0].rows[1], ["示例·鲁南花鼓", "民间舞蹈"]);
    }

    #[test]
    fn utf16_and_tabs() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "项目名称\t类别\r\n示例·剪纸\t民间美术\r\n".encode_utf16() {
            bytes.extend(u.to_le_bytes());
        }
        let w = read_bytes(&bytes, "a.txt").unwrap();
        assert_eq!(w.format, "tsv (UTF-16)");
        assert_eq!(w.sheets[0].rows[1], ["示例·剪纸", "民间美术"]);
    }

    #[test]
    fn empty_and_blank_files_are_refused() {
        assert!(read_bytes(b"", "a.csv").unwrap_err().0.contains("空"));
        assert!(read_bytes(b" \r\n , ,\n", "a.csv")
            .unwrap_err()
            .0
            .contains("空"));
    }

    #[test]
    fn foreign_binaries_are_named() {
        let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
        assert!(read_bytes(png, "list.xlsx").unwrap_err().0.contains("PNG"));
        let junk: Vec<u8> = (0..4096u32).map(|i| (i * 7919 % 251) as u8).collect();
        let e = read_bytes(&junk, "list.csv").unwrap_err().0;
        assert!(e.contains("不是表格") || e.contains("编码"), "{e}");
    }

    #[test]
    fn size_cap_is_checked_before_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("big.xlsx");
        let f = std::fs::File::create(&p).unwrap();
        f.set_len(100 * 1024 * 1024).unwrap(); // sparse: nothing is written
        let e = read_file(&p).unwrap_err().0;
        assert!(e.contains("文件过大（100.0 MB）"), "{e}");
    }

    #[test]
    fn rows_and_columns_are_capped() {
        let mut text = String::new();
        for i in 0..=MAX_ROWS {
            text.push_str(&format!("{i}\n"));
        }
        assert!(read_bytes(text.as_bytes(), "a.csv")
            .unwrap_err()
            .0
            .contains("超过 20000 行"));
        let wide = vec!["x"; MAX_COLS + 1].join(",");
        assert!(read_bytes(wide.as_bytes(), "a.csv")
            .unwrap_err()
            .0
            .contains("超过 200 列"));
    }

    #[test]
    fn numbers_lose_their_point_zero() {
        assert_eq!(number_text(3.0), "3");
        assert_eq!(number_text(2.5), "2.5");
        assert_eq!(number_text(20220518.0), "20220518");
    }

    fn zip_with(entries: &[(&str, &[u8])]) -> Vec<u8> {
        use std::io::Write;
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn zips_that_are_not_spreadsheets_are_named() {
        let docx = zip_with(&[("word/document.xml", b"<w/>")]);
        assert!(read_bytes(&docx, "a.xlsx").unwrap_err().0.contains("Word"));
        let plain = zip_with(&[("readme.txt", b"hi")]);
        assert!(read_bytes(&plain, "a.xlsx")
            .unwrap_err()
            .0
            .contains("ZIP 压缩包"));
    }

    #[test]
    fn a_zip_bomb_is_refused_before_calamine() {
        let zeros = vec![0u8; 40 * 1024 * 1024];
        let bomb = zip_with(&[
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/sharedStrings.xml", &zeros),
        ]);
        assert!(bomb.len() < 200 * 1024);
        let e = read_bytes(&bomb, "a.xlsx").unwrap_err().0;
        assert!(e.contains("压缩炸弹"), "{e}");
    }

    #[test]
    fn a_zip_that_lies_about_its_sizes_is_refused() {
        let zeros = vec![0u8; 8 * 1024 * 1024];
        let mut z = zip_with(&[
            ("xl/workbook.xml", b"<workbook/>"),
            ("xl/styles.xml", &zeros),
        ]);
        // Declare 1,000 bytes wherever the second entry's uncompressed size is written.
        let patch = |z: &mut Vec<u8>, sig: &[u8], at: usize| {
            let pos: Vec<usize> = z
                .windows(4)
                .enumerate()
                .filter(|(_, w)| *w == sig)
                .map(|(i, _)| i)
                .collect();
            let p = pos[1] + at;
            z[p..p + 4].copy_from_slice(&1000u32.to_le_bytes());
        };
        patch(&mut z, b"PK\x03\x04", 22);
        patch(&mut z, b"PK\x01\x02", 24);
        let e = read_bytes(&z, "a.xlsx").unwrap_err().0;
        assert!(e.contains("压缩炸弹") || e.contains("损坏"), "{e}");
    }

    #[test]
    fn a_truncated_zip_is_refused() {
        let z = zip_with(&[("xl/workbook.xml", &[b'x'; 5000][..])]);
        let e = read_bytes(&z[..z.len() / 2], "a.xlsx").unwrap_err().0;
        assert!(e.contains("损坏或被截断"), "{e}");
    }
}

#[cfg(test)]
mod xlsx_tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook as XWorkbook};

    fn sample() -> Vec<u8> {
        let mut wb = XWorkbook::new();
        let ws = wb.add_worksheet();
        ws.set_name("第六批").unwrap();
        ws.write_string(
            0,
            0,
            "台儿庄区第六批区级非物质文化遗产代表性项目名录（示例）",
        )
        .unwrap();
        ws.write_string(2, 0, "序号").unwrap();
        ws.write_string(2, 1, " 项目\n名称 ").unwrap();
        ws.write_string(2, 2, "公布日期").unwrap();
        ws.write_number(3, 0, 1.0).unwrap();
        ws.write_string(3, 1, "示例·运河号子").unwrap();
        let d = ExcelDateTime::from_ymd(2022, 5, 18).unwrap();
        ws.write_datetime_with_format(3, 2, &d, &Format::new().set_num_format("yyyy-mm-dd"))
            .unwrap();
        ws.write_number(4, 0, 2.5).unwrap();
        let ws2 = wb.add_worksheet();
        ws2.write_string(0, 0, "说明").unwrap();
        wb.save_to_buffer().unwrap()
    }

    #[test]
    fn xlsx_cells_dates_and_row_numbers() {
        let w = read_bytes(&sample(), "list.xlsx").unwrap();
        assert_eq!(w.format, "xlsx");
        assert_eq!(w.sheets.len(), 2);
        let s = &w.sheets[0];
        assert_eq!(s.name, "第六批");
        assert!(s.rows[1].is_empty(), "the empty second row is kept");
        assert_eq!(s.rows[2], ["序号", "项目\n名称", "公布日期"]);
        assert_eq!(s.rows[3], ["1", "示例·运河号子", "2022-05-18"]);
        assert_eq!(s.rows[4], ["2.5"]);
        assert_eq!(w.sheets[1].rows, [["说明"]]);
    }

    #[test]
    fn a_truncated_xlsx_is_refused() {
        let b = sample();
        for cut in [b.len() / 2, b.len() - 30, 100] {
            let e = read_bytes(&b[..cut], "list.xlsx").unwrap_err().0;
            assert!(e.contains("Excel") || e.contains("损坏"), "{cut}: {e}");
        }
    }

    #[test]
    fn a_far_away_cell_costs_one_cell_not_a_grid() {
        let mut wb = XWorkbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "项目名称").unwrap();
        ws.write_string(1_048_575, 16_383, "x").unwrap();
        let e = read_bytes(&wb.save_to_buffer().unwrap(), "a.xlsx")
            .unwrap_err()
            .0;
        assert!(e.contains("超过 20000 行"), "{e}");
    }
}

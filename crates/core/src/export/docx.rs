//! DOCX writer for [`super::doc::Document`]: WordprocessingML written by hand, zipped with
//! the `zip` crate.
//!
//! The file is what Word, WPS and LibreOffice all open without complaint: A4 with the
//! GB/T 9704 margins, the Windows Chinese fonts named in every style (宋体, 仿宋, 黑体, 楷体,
//! with their English names in the font table so a machine without the Chinese names still
//! finds them), body text 仿宋 四号 with a two-character first-line indent and a fixed 28 pt
//! line, headings that show in the navigation pane, tables on a fixed grid with the header
//! row repeated on every page, pictures inline and kept with their captions.
//!
//! A cover page is its own section without a footer; the body section restarts page numbers
//! at 1 and carries the `— 1 —` footer (a real PAGE field, 宋体 四号).
//!
//! Output is deterministic: no timestamps (ZIP entries are dated 1980-01-01, `core.xml` has
//! no dates), so the same document always gives the same bytes.

use super::doc::{page, Block, Cell, Cover, Document, Face, Image, ImageFormat, ParaStyle, Table};
use crate::error::{Error, Result};
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Renders the document as a DOCX file's bytes.
pub fn to_docx(doc: &Document) -> Result<Vec<u8>> {
    let mut w = BodyWriter::default();
    let document = w.document(doc);
    let mut parts: Vec<(String, Vec<u8>, bool)> = vec![
        (
            "[Content_Types].xml".into(),
            content_types(doc).into(),
            true,
        ),
        ("_rels/.rels".into(), ROOT_RELS.as_bytes().to_vec(), true),
        ("docProps/core.xml".into(), core_xml(doc).into(), true),
        ("docProps/app.xml".into(), APP_XML.as_bytes().to_vec(), true),
        ("word/document.xml".into(), document.into(), true),
        ("word/styles.xml".into(), styles_xml().into(), true),
        (
            "word/settings.xml".into(),
            SETTINGS_XML.as_bytes().to_vec(),
            true,
        ),
        ("word/fontTable.xml".into(), font_table_xml().into(), true),
    ];
    if doc.page_numbers {
        parts.push(("word/footer1.xml".into(), footer_xml().into(), true));
    }
    parts.push((
        "word/_rels/document.xml.rels".into(),
        document_rels(doc, &w.media).into(),
        true,
    ));
    for m in &w.media {
        // Already compressed: stored as is.
        parts.push((format!("word/media/{}", m.file), m.bytes.to_vec(), false));
    }
    zip_parts(&parts).map_err(|e| {
        Error::io(
            PathBuf::from(doc.title.clone() + ".docx"),
            std::io::Error::other(format!("生成 Word 文档失败（{e}）")),
        )
    })
}

/// Writes it atomically (temporary file in the same folder, then rename), like
/// `export::xlsx::write_table`.
pub fn write_docx(doc: &Document, path: &Path) -> Result<()> {
    let bytes = to_docx(doc).map_err(|e| match e {
        Error::Io { source, .. } => Error::io(path, source),
        e => e,
    })?;
    super::write_atomic(path, &bytes, "docx")
}

fn zip_parts(parts: &[(String, Vec<u8>, bool)]) -> zip::result::ZipResult<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    use zip::{CompressionMethod, DateTime};
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let base = SimpleFileOptions::default()
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644);
    for (name, bytes, deflate) in parts {
        let method = if *deflate {
            CompressionMethod::Deflated
        } else {
            CompressionMethod::Stored
        };
        zip.start_file(name.as_str(), base.compression_method(method))?;
        zip.write_all(bytes)?;
    }
    Ok(zip.finish()?.into_inner())
}

// ---------------------------------------------------------------------------------------
// Units and text

/// Twips (1/20 pt) per millimetre.
const TWIPS_PER_MM: f32 = 56.6929;
/// EMU per millimetre.
const EMU_PER_MM: f32 = 36000.0;

fn twips(mm: f32) -> u32 {
    (mm * TWIPS_PER_MM).round().max(0.0) as u32
}

/// Width of the text block in twips.
fn text_width() -> u32 {
    twips(page::TEXT_WIDTH_MM)
}

/// Height of the text block in twips.
fn text_height() -> u32 {
    twips(page::HEIGHT_MM - page::TOP_MM - page::BOTTOM_MM)
}

/// Whether XML 1.0 allows the character (tab, newline and carriage return are handled
/// by the callers).
fn xml_char(c: char) -> bool {
    !matches!(c, '\u{0}'..='\u{8}' | '\u{B}' | '\u{C}' | '\u{E}'..='\u{1F}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Escapes `c` into `out` (characters illegal in XML are dropped).
fn push_escaped(out: &mut String, c: char) {
    match c {
        '&' => out.push_str("&amp;"),
        '<' => out.push_str("&lt;"),
        '>' => out.push_str("&gt;"),
        '"' => out.push_str("&quot;"),
        '\'' => out.push_str("&apos;"),
        c if xml_char(c) => out.push(c),
        _ => {}
    }
}

/// Text for an attribute value or a simple element: escaped, illegal characters dropped,
/// tabs and line breaks turned into spaces.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\t' | '\n' | '\r' => out.push(' '),
            c => push_escaped(&mut out, c),
        }
    }
    out
}

/// The run content for `text`: `<w:t>` pieces, `<w:tab/>` for tabs, `<w:br/>` for line breaks
/// (`\r\n`, `\r` and `\n`).
fn run_content(out: &mut String, text: &str) {
    let mut buf = String::new();
    let flush = |out: &mut String, buf: &mut String| {
        if !buf.is_empty() {
            out.push_str("<w:t xml:space=\"preserve\">");
            out.push_str(buf);
            out.push_str("</w:t>");
            buf.clear();
        }
    };
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => {
                flush(out, &mut buf);
                out.push_str("<w:tab/>");
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                flush(out, &mut buf);
                out.push_str("<w:br/>");
            }
            c => push_escaped(&mut buf, c),
        }
    }
    flush(out, &mut buf);
}

/// A run with properties `rpr` (a whole `<w:rPr>…</w:rPr>` or empty); nothing for empty text.
fn run(out: &mut String, text: &str, rpr: &str) {
    if text.is_empty() {
        return;
    }
    out.push_str("<w:r>");
    out.push_str(rpr);
    run_content(out, text);
    out.push_str("</w:r>");
}

/// A paragraph of one style with one run; `ppr_extra` goes after the style reference and
/// must be pPr children in schema order.
fn para(out: &mut String, style: &str, ppr_extra: &str, text: &str, rpr: &str) {
    out.push_str("<w:p><w:pPr>");
    if !style.is_empty() {
        let _ = write!(out, "<w:pStyle w:val=\"{style}\"/>");
    }
    out.push_str(ppr_extra);
    out.push_str("</w:pPr>");
    run(out, text, rpr);
    out.push_str("</w:p>");
}

/// `<w:rFonts>` naming one face for every script.
fn fonts(face: Face) -> String {
    let n = face.windows_name();
    format!("<w:rFonts w:ascii=\"{n}\" w:eastAsia=\"{n}\" w:hAnsi=\"{n}\" w:cs=\"{n}\"/>")
}

/// Rough width of `text` in twips at `size_pt`: CJK and full-width characters are one em,
/// the rest half an em. Used only to plan the cover page.
fn text_twips(text: &str, size_pt: f32) -> f32 {
    text.chars()
        .map(|c| if (c as u32) < 0x1100 { 0.5 } else { 1.0 })
        .sum::<f32>()
        * size_pt
        * 20.0
}

/// Lines `text` takes in `width` twips at `size_pt` (at least one).
fn lines(text: &str, size_pt: f32, width: u32) -> u32 {
    let w = text_twips(text, size_pt);
    ((w / width.max(1) as f32).ceil() as u32).max(1)
}

// ---------------------------------------------------------------------------------------
// document.xml

const NS_W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const NS_R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const NS_WP: &str = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing";
const NS_A: &str = "http://schemas.openxmlformats.org/drawingml/2006/main";
const NS_PIC: &str = "http://schemas.openxmlformats.org/drawingml/2006/picture";
const XML_DECL: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// Relationship id of the footer.
const FOOTER_RID: &str = "rId4";
/// Shading of header and label cells.
const SHADE: &str = "F2F2F2";

/// One picture stored in `word/media`.
struct Media<'a> {
    file: String,
    rid: String,
    bytes: &'a [u8],
    format: ImageFormat,
}

#[derive(Default)]
struct BodyWriter<'a> {
    out: String,
    media: Vec<Media<'a>>,
    /// Last `wp:docPr` id given out.
    drawings: u32,
}

impl<'a> BodyWriter<'a> {
    fn document(&mut self, doc: &'a Document) -> String {
        self.out.push_str(XML_DECL);
        let _ = write!(
            self.out,
            "<w:document xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\" xmlns:wp=\"{NS_WP}\" \
             xmlns:a=\"{NS_A}\" xmlns:pic=\"{NS_PIC}\"><w:body>"
        );
        if let Some(cover) = &doc.cover {
            self.cover(cover);
        }
        let mut blocks = doc.blocks.iter().peekable();
        while let Some(block) = blocks.next() {
            match block {
                Block::Heading { level, text } => {
                    let style = match level {
                        0 | 1 => "Heading1",
                        2 => "Heading2",
                        _ => "Heading3",
                    };
                    para(&mut self.out, style, "", text, "");
                }
                Block::Paragraph(p) => {
                    let style = match p.style {
                        ParaStyle::Body => "",
                        ParaStyle::Note => "Note",
                        ParaStyle::Center => "Center",
                    };
                    if style.is_empty() {
                        self.out.push_str("<w:p>");
                        run(&mut self.out, &p.text, "");
                        self.out.push_str("</w:p>");
                    } else {
                        para(&mut self.out, style, "", &p.text, "");
                    }
                }
                Block::Table(t) => {
                    // Two tables in a row would merge, and the body must not end with a
                    // table: a small paragraph after each (a page break's paragraph does
                    // as well).
                    if self.table(t) && !matches!(blocks.peek(), Some(Block::PageBreak)) {
                        para(&mut self.out, "TableText", "", "", "");
                    }
                }
                Block::Image(img) => self.image(img),
                Block::Signature(lines) => {
                    for (i, line) in lines.iter().enumerate() {
                        let extra = if i == 0 {
                            "<w:spacing w:before=\"560\"/>"
                        } else {
                            ""
                        };
                        para(&mut self.out, "Signature", extra, line, "");
                    }
                }
                Block::PageBreak => {
                    self.out
                        .push_str("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>");
                }
            }
        }
        self.out.push_str("<w:sectPr>");
        if doc.page_numbers {
            let _ = write!(
                self.out,
                "<w:footerReference w:type=\"default\" r:id=\"{FOOTER_RID}\"/>"
            );
        }
        self.out.push_str("<w:type w:val=\"nextPage\"/>");
        self.out.push_str(&page_setup(true));
        self.out.push_str("</w:sectPr></w:body></w:document>");
        std::mem::take(&mut self.out)
    }

    /// The cover page: its own section (the `sectPr` in its last paragraph), no footer.
    fn cover(&mut self, cover: &Cover) {
        let width = text_width();
        let mut used: u32 = 0;

        // Kicker: 黑体 二号.
        const KICKER_PT: f32 = 22.0;
        const KICKER_LINE: u32 = 660;
        const KICKER_BEFORE: u32 = 1500;
        if !cover.kicker.is_empty() {
            let _ = write!(
                self.out,
                "<w:p><w:pPr><w:pStyle w:val=\"CoverKicker\"/>\
                 <w:spacing w:before=\"{KICKER_BEFORE}\"/></w:pPr>"
            );
            run(&mut self.out, &cover.kicker, "");
            self.out.push_str("</w:p>");
            used += KICKER_BEFORE + KICKER_LINE * lines(&cover.kicker, KICKER_PT, width);
        }

        // Title: 宋体 bold, large and letter-spaced when short.
        let title = cover.title.trim();
        let n = title.chars().count();
        let (size_pt, spacing_pt) = match n {
            0..=4 => (42.0_f32, 24.0_f32),
            5..=8 => (36.0, 8.0),
            9..=12 => (26.0, 0.0),
            _ => (22.0, 0.0),
        };
        let title_line = (size_pt * 20.0 * 1.5).round() as u32;
        let title_before: u32 = if cover.kicker.is_empty() { 2400 } else { 700 };
        if !title.is_empty() {
            let sz = (size_pt * 2.0).round() as u32;
            let sp = (spacing_pt * 20.0).round() as u32;
            let _ = write!(
                self.out,
                "<w:p><w:pPr><w:pStyle w:val=\"Title\"/>\
                 <w:spacing w:before=\"{title_before}\" w:line=\"{title_line}\" w:lineRule=\"exact\"/>\
                 </w:pPr>"
            );
            // Every character but the last is followed by the letter spacing, so the
            // centred title is not pushed off centre by a trailing space.
            let split = title.char_indices().last().map(|(i, _)| i).unwrap_or(0);
            let (head, tail) = title.split_at(split);
            let spaced = format!(
                "<w:rPr><w:spacing w:val=\"{sp}\"/><w:sz w:val=\"{sz}\"/><w:szCs w:val=\"{sz}\"/></w:rPr>"
            );
            let plain = format!("<w:rPr><w:sz w:val=\"{sz}\"/><w:szCs w:val=\"{sz}\"/></w:rPr>");
            run(&mut self.out, head, &spaced);
            run(&mut self.out, tail, &plain);
            self.out.push_str("</w:p>");
            let with_spacing = text_twips(title, size_pt) + (spacing_pt * 20.0) * n as f32;
            let title_lines = ((with_spacing / width as f32).ceil() as u32).max(1);
            used += title_before + title_line * title_lines;
        }

        // Label/value fields: a borderless table, values on an underline.
        const FIELD_PT: f32 = 16.0;
        const FIELD_LINE: u32 = 440;
        const FIELD_ROW: u32 = 760;
        let gap: u32 = 2600;
        if !cover.fields.is_empty() {
            let _ = write!(
                self.out,
                "<w:p><w:pPr><w:pStyle w:val=\"CoverField\"/>\
                 <w:spacing w:line=\"{gap}\" w:lineRule=\"exact\"/></w:pPr></w:p>"
            );
            used += gap;
            let labels: Vec<String> = cover
                .fields
                .iter()
                .map(|(l, _)| {
                    let l = l.trim_end();
                    if l.ends_with('：') || l.ends_with(':') {
                        l.to_owned()
                    } else {
                        format!("{l}：")
                    }
                })
                .collect();
            let longest = labels
                .iter()
                .map(|l| text_twips(l, FIELD_PT))
                .fold(0.0_f32, f32::max);
            let label_w = ((longest + 240.0) as u32).clamp(1800, 3800);
            let table_w = 7600.min(width);
            let value_w = table_w.saturating_sub(label_w).max(2400);
            let _ = write!(
                self.out,
                "<w:tbl><w:tblPr><w:tblW w:w=\"{tw}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>\
                 <w:tblBorders><w:top w:val=\"none\" w:sz=\"0\" w:space=\"0\" w:color=\"auto\"/>\
                 <w:left w:val=\"none\" w:sz=\"0\" w:space=\"0\" w:color=\"auto\"/>\
                 <w:bottom w:val=\"none\" w:sz=\"0\" w:space=\"0\" w:color=\"auto\"/>\
                 <w:right w:val=\"none\" w:sz=\"0\" w:space=\"0\" w:color=\"auto\"/>\
                 <w:insideH w:val=\"none\" w:sz=\"0\" w:space=\"0\" w:color=\"auto\"/>\
                 <w:insideV w:val=\"none\" w:sz=\"0\" w:space=\"0\" w:color=\"auto\"/></w:tblBorders>\
                 <w:tblLayout w:type=\"fixed\"/>\
                 <w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"60\" w:type=\"dxa\"/>\
                 <w:bottom w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"60\" w:type=\"dxa\"/></w:tblCellMar>\
                 <w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" \
                 w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr>\
                 <w:tblGrid><w:gridCol w:w=\"{label_w}\"/><w:gridCol w:w=\"{value_w}\"/></w:tblGrid>",
                tw = label_w + value_w
            );
            for (label, (_, value)) in labels.iter().zip(&cover.fields) {
                let _ = write!(
                    self.out,
                    "<w:tr><w:trPr><w:cantSplit/><w:trHeight w:val=\"{FIELD_ROW}\" w:hRule=\"atLeast\"/></w:trPr>\
                     <w:tc><w:tcPr><w:tcW w:w=\"{label_w}\" w:type=\"dxa\"/><w:vAlign w:val=\"bottom\"/></w:tcPr>"
                );
                para(
                    &mut self.out,
                    "CoverField",
                    "",
                    label,
                    "<w:rPr><w:b/><w:bCs/></w:rPr>",
                );
                let _ = write!(
                    self.out,
                    "</w:tc><w:tc><w:tcPr><w:tcW w:w=\"{value_w}\" w:type=\"dxa\"/>\
                     <w:tcBorders><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"auto\"/></w:tcBorders>\
                     <w:vAlign w:val=\"bottom\"/></w:tcPr>"
                );
                para(
                    &mut self.out,
                    "CoverField",
                    "<w:jc w:val=\"center\"/>",
                    value,
                    "",
                );
                self.out.push_str("</w:tc></w:tr>");
                let l = lines(value, FIELD_PT, value_w.saturating_sub(120));
                used += FIELD_ROW.max(l * FIELD_LINE + 40);
            }
            self.out.push_str("</w:tbl>");
        }

        // Footnote at the foot of the page, pushed down by the space left; its paragraph
        // ends the cover's section.
        const NOTE_PT: f32 = 12.0;
        const NOTE_LINE: u32 = 360;
        const SAFETY: u32 = 500;
        let note_h = NOTE_LINE * lines(&cover.footnote, NOTE_PT, width);
        let before = text_height()
            .saturating_sub(used + note_h + SAFETY)
            .max(240);
        let _ = write!(
            self.out,
            "<w:p><w:pPr><w:pStyle w:val=\"CoverNote\"/><w:spacing w:before=\"{before}\"/>\
             <w:sectPr>{}</w:sectPr></w:pPr>",
            page_setup(false)
        );
        run(&mut self.out, &cover.footnote, "");
        self.out.push_str("</w:p>");
    }

    /// A bordered table on a fixed grid; false when it has no rows at all (nothing written).
    fn table(&mut self, t: &Table) -> bool {
        let spans = |row: &[Cell]| row.iter().map(|c| c.colspan.max(1) as usize).sum::<usize>();
        let ncols = if t.widths.is_empty() {
            std::iter::once(&t.header)
                .chain(&t.rows)
                .map(|r| spans(r))
                .max()
                .unwrap_or(0)
        } else {
            t.widths.len()
        };
        if ncols == 0 || (t.header.is_empty() && t.rows.is_empty()) {
            return false;
        }
        let widths: Vec<u32> = if t.widths.is_empty() {
            vec![1; ncols]
        } else {
            t.widths.iter().map(|w| (*w).max(1)).collect()
        };
        let grid = grid(&widths, text_width());

        if !t.caption.trim().is_empty() {
            para(&mut self.out, "TableCaption", "", &t.caption, "");
        }
        let _ = write!(
            self.out,
            "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders>",
            grid.iter().sum::<u32>()
        );
        for side in ["top", "left", "bottom", "right", "insideH", "insideV"] {
            let _ = write!(
                self.out,
                "<w:{side} w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"auto\"/>"
            );
        }
        self.out.push_str(
            "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>\
             <w:tblCellMar><w:top w:w=\"40\" w:type=\"dxa\"/><w:left w:w=\"100\" w:type=\"dxa\"/>\
             <w:bottom w:w=\"40\" w:type=\"dxa\"/><w:right w:w=\"100\" w:type=\"dxa\"/></w:tblCellMar>\
             <w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" \
             w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
        );
        for w in &grid {
            let _ = write!(self.out, "<w:gridCol w:w=\"{w}\"/>");
        }
        self.out.push_str("</w:tblGrid>");
        if !t.header.is_empty() {
            self.row(&t.header, &grid, true);
        }
        for r in &t.rows {
            self.row(r, &grid, false);
        }
        self.out.push_str("</w:tbl>");
        true
    }

    fn row(&mut self, cells: &[Cell], grid: &[u32], header: bool) {
        self.out.push_str("<w:tr><w:trPr><w:cantSplit/>");
        self.out
            .push_str("<w:trHeight w:val=\"420\" w:hRule=\"atLeast\"/>");
        if header {
            self.out.push_str("<w:tblHeader/>");
        }
        self.out.push_str("</w:trPr>");
        let mut col = 0;
        for c in fit_row(cells, grid.len()) {
            let end = col + c.span;
            let w: u32 = grid[col..end].iter().sum();
            col = end;
            let _ = write!(
                self.out,
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>"
            );
            if c.span > 1 {
                let _ = write!(self.out, "<w:gridSpan w:val=\"{}\"/>", c.span);
            }
            let strong = header || c.label;
            if strong {
                let _ = write!(
                    self.out,
                    "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{SHADE}\"/>"
                );
            }
            self.out.push_str("<w:vAlign w:val=\"center\"/></w:tcPr>");
            let jc = if strong {
                "<w:jc w:val=\"center\"/>"
            } else if c.right {
                "<w:jc w:val=\"right\"/>"
            } else {
                ""
            };
            let rpr = if strong {
                "<w:rPr><w:b/><w:bCs/></w:rPr>"
            } else {
                ""
            };
            para(&mut self.out, "TableText", jc, &c.text, rpr);
            self.out.push_str("</w:tc>");
        }
        self.out.push_str("</w:tr>");
    }

    /// A centred picture paragraph (kept with its caption) and the caption.
    fn image(&mut self, img: &'a Image) {
        let caption = img.caption.trim();
        if img.bytes.is_empty() {
            // Nothing to show; a zero-byte picture part would make Word call the file damaged.
            if !caption.is_empty() {
                para(&mut self.out, "Caption", "", caption, "");
            }
            return;
        }
        let rid = self.media_for(img);
        let (w_mm, h_mm) = fit_picture(img);
        let (cx, cy) = (
            (w_mm * EMU_PER_MM).round() as u64,
            (h_mm * EMU_PER_MM).round() as u64,
        );
        self.drawings += 1;
        let id = self.drawings;
        let keep = if caption.is_empty() {
            ""
        } else {
            "<w:keepNext/>"
        };
        let _ = write!(
            self.out,
            "<w:p><w:pPr><w:pStyle w:val=\"Picture\"/>{keep}</w:pPr><w:r><w:drawing>\
             <wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\">\
             <wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:effectExtent l=\"0\" t=\"0\" r=\"0\" b=\"0\"/>\
             <wp:docPr id=\"{id}\" name=\"图片 {id}\" descr=\"{descr}\"/>\
             <wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/></wp:cNvGraphicFramePr>\
             <a:graphic><a:graphicData uri=\"{NS_PIC}\"><pic:pic>\
             <pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"图片 {id}\"/><pic:cNvPicPr/></pic:nvPicPr>\
             <pic:blipFill><a:blip r:embed=\"{rid}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>\
             <pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm>\
             <a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr>\
             </pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>",
            descr = esc(caption),
        );
        if !caption.is_empty() {
            para(&mut self.out, "Caption", "", caption, "");
        }
    }

    /// The relationship id of the picture's part, adding the part the first time these
    /// bytes are seen.
    fn media_for(&mut self, img: &'a Image) -> String {
        if let Some(m) = self
            .media
            .iter()
            .find(|m| m.format == img.format && m.bytes == img.bytes.as_slice())
        {
            return m.rid.clone();
        }
        let n = self.media.len() + 1;
        let ext = match img.format {
            ImageFormat::Jpeg => "jpeg",
            ImageFormat::Png => "png",
        };
        let m = Media {
            file: format!("image{n}.{ext}"),
            rid: format!("rId{}", 10 + n),
            bytes: &img.bytes,
            format: img.format,
        };
        let rid = m.rid.clone();
        self.media.push(m);
        rid
    }
}

/// A cell placed on the grid.
struct Placed<'c> {
    text: std::borrow::Cow<'c, str>,
    span: usize,
    label: bool,
    right: bool,
}

/// The row's cells fitted to exactly `ncols` grid columns: spans cut at the right edge, text
/// of cells beyond it added to the last cell, missing columns filled with empty cells
/// (Word refuses some tables whose rows do not fill the grid).
fn fit_row(cells: &[Cell], ncols: usize) -> Vec<Placed<'_>> {
    let mut out: Vec<Placed<'_>> = Vec::with_capacity(cells.len());
    let mut used = 0;
    for c in cells {
        if used >= ncols {
            if let Some(last) = out.last_mut() {
                if !c.text.is_empty() {
                    let t = last.text.to_mut();
                    if !t.is_empty() {
                        t.push('\n');
                    }
                    t.push_str(&c.text);
                }
            }
            continue;
        }
        let span = usize::from(c.colspan.max(1)).min(ncols - used);
        out.push(Placed {
            text: std::borrow::Cow::Borrowed(&c.text),
            span,
            label: c.label,
            right: c.right,
        });
        used += span;
    }
    while used < ncols {
        out.push(Placed {
            text: std::borrow::Cow::Borrowed(""),
            span: 1,
            label: false,
            right: false,
        });
        used += 1;
    }
    out
}

/// Column widths in twips proportional to `widths`, summing to `total` exactly.
fn grid(widths: &[u32], total: u32) -> Vec<u32> {
    let sum: u64 = widths.iter().map(|w| u64::from(*w)).sum::<u64>().max(1);
    let mut out: Vec<u32> = widths
        .iter()
        .map(|w| (u64::from(total) * u64::from(*w) / sum) as u32)
        .collect();
    let given: u32 = out.iter().sum();
    if let Some(last) = out.last_mut() {
        *last += total.saturating_sub(given);
    }
    out
}

/// The picture's size in millimetres, never wider than the text block nor taller than the
/// text block less room for a caption.
fn fit_picture(img: &Image) -> (f32, f32) {
    let (mut w, mut h) = img.size_mm();
    if !(w.is_finite() && h.is_finite() && w > 0.0 && h > 0.0) {
        let probe = Image {
            bytes: Vec::new(),
            max_width_mm: page::TEXT_WIDTH_MM,
            max_height_mm: 120.0,
            caption: String::new(),
            ..*img
        };
        (w, h) = probe.size_mm();
    }
    let max_h = page::HEIGHT_MM - page::TOP_MM - page::BOTTOM_MM - 25.0;
    let scale = (page::TEXT_WIDTH_MM / w).min(max_h / h).min(1.0);
    (w * scale, h * scale)
}

/// Page size, margins, columns and grid of a section (everything after the footer
/// reference and section type); the body section restarts page numbers at 1.
fn page_setup(numbered: bool) -> String {
    let mut s = format!(
        "<w:pgSz w:w=\"11906\" w:h=\"16838\"/>\
         <w:pgMar w:top=\"{}\" w:right=\"{}\" w:bottom=\"{}\" w:left=\"{}\" w:header=\"851\" \
         w:footer=\"{}\" w:gutter=\"0\"/>",
        twips(page::TOP_MM),
        twips(page::RIGHT_MM),
        twips(page::BOTTOM_MM),
        twips(page::LEFT_MM),
        // GB/T 9704: the page number sits about 7 mm below the text block.
        twips(page::BOTTOM_MM - 12.0),
    );
    if numbered {
        s.push_str("<w:pgNumType w:start=\"1\"/>");
    }
    s.push_str("<w:cols w:space=\"425\"/><w:docGrid w:linePitch=\"312\"/>");
    s
}

// ---------------------------------------------------------------------------------------
// The other parts

fn content_types(doc: &Document) -> String {
    let mut s = String::from(XML_DECL);
    s.push_str(
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
         <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
         <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
         <Default Extension=\"jpeg\" ContentType=\"image/jpeg\"/>\
         <Default Extension=\"png\" ContentType=\"image/png\"/>\
         <Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>\
         <Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>\
         <Override PartName=\"/word/settings.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>\
         <Override PartName=\"/word/fontTable.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>",
    );
    if doc.page_numbers {
        s.push_str(
            "<Override PartName=\"/word/footer1.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml\"/>",
        );
    }
    s.push_str(
        "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
         <Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
         </Types>",
    );
    s
}

const ROOT_RELS: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>";

const APP_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" \
xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\
<Application>非遗名录</Application><DocSecurity>0</DocSecurity></Properties>";

fn core_xml(doc: &Document) -> String {
    format!(
        "{XML_DECL}<cp:coreProperties \
         xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" \
         xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" \
         xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" \
         xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\
         <dc:title>{}</dc:title><dc:creator>非遗名录</dc:creator></cp:coreProperties>",
        esc(&doc.title)
    )
}

fn document_rels(doc: &Document, media: &[Media<'_>]) -> String {
    let rel = |id: &str, kind: &str, target: &str| {
        format!(
            "<Relationship Id=\"{id}\" \
             Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/{kind}\" \
             Target=\"{target}\"/>"
        )
    };
    let mut s = String::from(XML_DECL);
    s.push_str(
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">",
    );
    s.push_str(&rel("rId1", "styles", "styles.xml"));
    s.push_str(&rel("rId2", "settings", "settings.xml"));
    s.push_str(&rel("rId3", "fontTable", "fontTable.xml"));
    if doc.page_numbers {
        s.push_str(&rel(FOOTER_RID, "footer", "footer1.xml"));
    }
    for m in media {
        s.push_str(&rel(&m.rid, "image", &format!("media/{}", m.file)));
    }
    s.push_str("</Relationships>");
    s
}

/// `doNotExpandShiftReturn`: a justified line ending in a line break (`\n` in a paragraph) is
/// not stretched across the page.
const SETTINGS_XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n\
<w:settings xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\">\
<w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/>\
<w:characterSpacingControl w:val=\"compressPunctuation\"/>\
<w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>\
<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/>\
<w:decimalSymbol w:val=\".\"/><w:listSeparator w:val=\",\"/></w:settings>";

fn font_table_xml() -> String {
    let mut s = String::from(XML_DECL);
    let _ = write!(s, "<w:fonts xmlns:w=\"{NS_W}\">");
    for (face, alt, panose) in [
        (Face::Song, "SimSun", "02010600030101010101"),
        (Face::Fang, "FangSong", "02010609060101010101"),
        (Face::Hei, "SimHei", "02010609060101010101"),
        (Face::Kai, "KaiTi", "02010609060101010101"),
    ] {
        let _ = write!(
            s,
            "<w:font w:name=\"{}\"><w:altName w:val=\"{alt}\"/><w:panose1 w:val=\"{panose}\"/>\
             <w:charset w:val=\"86\"/><w:family w:val=\"auto\"/><w:pitch w:val=\"variable\"/></w:font>",
            face.windows_name()
        );
    }
    s.push_str("</w:fonts>");
    s
}

fn footer_xml() -> String {
    let rpr = format!(
        "<w:rPr>{}<w:sz w:val=\"28\"/><w:szCs w:val=\"28\"/></w:rPr>",
        fonts(Face::Song)
    );
    let mut s = String::from(XML_DECL);
    let _ = write!(
        s,
        "<w:ftr xmlns:w=\"{NS_W}\" xmlns:r=\"{NS_R}\"><w:p><w:pPr><w:pStyle w:val=\"Footer\"/></w:pPr>\
         <w:r>{rpr}<w:t xml:space=\"preserve\">— </w:t></w:r>\
         <w:r>{rpr}<w:fldChar w:fldCharType=\"begin\"/></w:r>\
         <w:r>{rpr}<w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>\
         <w:r>{rpr}<w:fldChar w:fldCharType=\"separate\"/></w:r>\
         <w:r>{rpr}<w:t>1</w:t></w:r>\
         <w:r>{rpr}<w:fldChar w:fldCharType=\"end\"/></w:r>\
         <w:r>{rpr}<w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>"
    );
    s
}

/// One paragraph style: id, display name, based on Normal unless it is Normal, then its
/// pPr and rPr children (in schema order).
fn style(out: &mut String, id: &str, name: &str, ppr: &str, rpr: &str) {
    let _ = write!(
        out,
        "<w:style w:type=\"paragraph\" w:styleId=\"{id}\"><w:name w:val=\"{name}\"/>\
         <w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr>{ppr}</w:pPr><w:rPr>{rpr}</w:rPr></w:style>"
    );
}

fn styles_xml() -> String {
    let (song, fang, hei, kai) = (
        fonts(Face::Song),
        fonts(Face::Fang),
        fonts(Face::Hei),
        fonts(Face::Kai),
    );
    let sz = |half_points: u32| {
        format!("<w:sz w:val=\"{half_points}\"/><w:szCs w:val=\"{half_points}\"/>")
    };
    let no_indent = "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>";
    let single = |before: u32, after: u32| {
        format!(
            "<w:spacing w:before=\"{before}\" w:after=\"{after}\" w:line=\"240\" w:lineRule=\"auto\"/>"
        )
    };
    let exact = |before: u32, after: u32, line: u32| {
        format!(
            "<w:spacing w:before=\"{before}\" w:after=\"{after}\" w:line=\"{line}\" w:lineRule=\"exact\"/>"
        )
    };
    let lang = "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>";
    let mut s = String::from(XML_DECL);
    let _ = write!(
        s,
        "<w:styles xmlns:w=\"{NS_W}\"><w:docDefaults><w:rPrDefault><w:rPr>{fang}<w:kern w:val=\"2\"/>{}{lang}</w:rPr></w:rPrDefault>\
         <w:pPrDefault><w:pPr><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault></w:docDefaults>",
        sz(28)
    );
    // Normal: 仿宋 四号, justified, two-character indent, fixed 28 pt lines.
    let _ = write!(
        s,
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/>\
         <w:pPr>{}<w:ind w:firstLineChars=\"200\" w:firstLine=\"560\"/><w:jc w:val=\"both\"/></w:pPr>\
         <w:rPr>{fang}{}{lang}</w:rPr></w:style>",
        exact(0, 0, 560),
        sz(28)
    );
    s.push_str(
        "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">\
         <w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>\
         <w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>\
         <w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/>\
         <w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>\
         <w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>",
    );
    let heading = |lvl: u32, before: u32, after: u32| {
        format!(
            "<w:keepNext/><w:keepLines/>{}{no_indent}<w:jc w:val=\"left\"/><w:outlineLvl w:val=\"{lvl}\"/>",
            exact(before, after, 560)
        )
    };
    style(
        &mut s,
        "Heading1",
        "heading 1",
        &heading(0, 240, 120),
        &format!("{hei}{}", sz(32)),
    );
    style(
        &mut s,
        "Heading2",
        "heading 2",
        &heading(1, 120, 0),
        &format!("{hei}{}", sz(28)),
    );
    style(
        &mut s,
        "Heading3",
        "heading 3",
        &heading(2, 0, 0),
        &format!("{kai}<w:b/><w:bCs/>{}", sz(28)),
    );
    style(
        &mut s,
        "Note",
        "注释",
        &format!("{}{no_indent}<w:jc w:val=\"both\"/>", exact(0, 0, 400)),
        &format!("{kai}{}", sz(24)),
    );
    style(
        &mut s,
        "Center",
        "居中正文",
        &format!("{no_indent}<w:jc w:val=\"center\"/>"),
        "",
    );
    style(
        &mut s,
        "TableText",
        "表格文字",
        &format!("{}{no_indent}<w:jc w:val=\"left\"/>", single(0, 0)),
        &format!("{song}{}", sz(21)),
    );
    style(
        &mut s,
        "TableCaption",
        "表题",
        &format!(
            "<w:keepNext/>{}{no_indent}<w:jc w:val=\"center\"/>",
            single(160, 80)
        ),
        &format!("{hei}{}", sz(22)),
    );
    style(
        &mut s,
        "Picture",
        "图片",
        &format!("{}{no_indent}<w:jc w:val=\"center\"/>", single(160, 60)),
        "",
    );
    style(
        &mut s,
        "Caption",
        "caption",
        &format!(
            "<w:keepLines/>{}{no_indent}<w:jc w:val=\"center\"/>",
            single(0, 160)
        ),
        &format!("{kai}{}", sz(21)),
    );
    style(
        &mut s,
        "Title",
        "Title",
        &format!("{}{no_indent}<w:jc w:val=\"center\"/>", exact(0, 0, 1260)),
        &format!("{song}<w:b/><w:bCs/>{}", sz(52)),
    );
    style(
        &mut s,
        "CoverKicker",
        "封面眉题",
        &format!("{}{no_indent}<w:jc w:val=\"center\"/>", exact(0, 0, 660)),
        &format!("{hei}{}", sz(44)),
    );
    style(
        &mut s,
        "CoverField",
        "封面栏目",
        &format!("{}{no_indent}<w:jc w:val=\"right\"/>", exact(0, 0, 440)),
        &format!("{fang}{}", sz(32)),
    );
    style(
        &mut s,
        "CoverNote",
        "封面附注",
        &format!("{}{no_indent}<w:jc w:val=\"center\"/>", exact(0, 0, 360)),
        &format!("{kai}{}", sz(24)),
    );
    style(
        &mut s,
        "Signature",
        "落款",
        &format!("{no_indent}<w:jc w:val=\"right\"/>"),
        "",
    );
    style(
        &mut s,
        "Footer",
        "footer",
        &format!("{}{no_indent}<w:jc w:val=\"center\"/>", single(0, 0)),
        &format!("{song}{}", sz(28)),
    );
    s.push_str("</w:styles>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_sums_to_the_total() {
        let g = grid(&[1, 2, 2], 8844);
        assert_eq!(g.iter().sum::<u32>(), 8844);
        assert_eq!(g[0], 1768);
        assert_eq!(grid(&[0, 0], 100).iter().sum::<u32>(), 100);
    }

    #[test]
    fn rows_are_fitted_to_the_grid() {
        let short = [Cell::text("a")];
        let fitted = fit_row(&short, 3);
        assert_eq!(fitted.iter().map(|c| c.span).sum::<usize>(), 3);
        let long = [
            Cell::text("a").span(2),
            Cell::text("b").span(2),
            Cell::text("c"),
        ];
        let fitted = fit_row(&long, 3);
        assert_eq!(fitted.len(), 2);
        assert_eq!(fitted[1].span, 1);
        assert_eq!(fitted[1].text, "b\nc");
    }

    #[test]
    fn text_is_escaped_and_cleaned() {
        let mut out = String::new();
        run_content(&mut out, "a<&>\"'\u{1}\u{FFFF}\tb\r\nc");
        assert_eq!(
            out,
            "<w:t xml:space=\"preserve\">a&lt;&amp;&gt;&quot;&apos;</w:t><w:tab/>\
             <w:t xml:space=\"preserve\">b</w:t><w:br/><w:t xml:space=\"preserve\">c</w:t>"
        );
        assert_eq!(esc("x\ny\u{0}"), "x y");
    }

    #[test]
    fn margins_in_twips() {
        assert_eq!(twips(page::TOP_MM), 2098);
        assert_eq!(twips(page::LEFT_MM), 1587);
        assert_eq!(text_width(), 8844);
    }
}

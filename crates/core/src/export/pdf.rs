//! PDF writer for [`super::doc::Document`], with the embedded typst engine.
//!
//! The document is turned into typst markup (every piece of user text as a typst *string
//! literal*, so `#`, `*`, `$`, `[`, `=` … print as themselves), compiled in a small in-memory
//! [`World`] whose only files are that markup and the pictures, and written as PDF with the
//! used glyphs of the shipped fonts subset and embedded. No system fonts, no network, no
//! external program. The fonts are the open-licence Fandol set (宋 / 仿宋 / 黑 / 楷, GB2312
//! and a little more) with Droid Sans Fallback behind them for rarer characters (镕 喆 堃 …);
//! see `assets/fonts/README.md`. They are parsed once per process.
//!
//! Layout follows official documents (GB/T 9704): A4, margins from [`page`], body 仿宋 四号
//! justified with a two-character indent on a 28 pt line pitch, headings 黑体 / 楷体, tables
//! 宋体 五号, page numbers `— 1 —` in 宋体 四号 under the text block, none on the cover.

use super::doc::{page, Block, Cell, Cover, Document, Image, ImageFormat, ParaStyle, Table};
use crate::error::{Error, Result};
use std::fmt::Write as _;
use std::path::Path;
use std::sync::OnceLock;
use typst::diag::{FileError, FileResult, SourceDiagnostic};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World, WorldExt};
use typst_layout::PagedDocument;

/// The shipped font files, embedded in the binary (`assets/fonts`, licences beside them).
static FONT_FILES: [(&str, &[u8]); 6] = [
    (
        "FandolSong-Regular.otf",
        include_bytes!("../../../../assets/fonts/FandolSong-Regular.otf"),
    ),
    (
        "FandolSong-Bold.otf",
        include_bytes!("../../../../assets/fonts/FandolSong-Bold.otf"),
    ),
    (
        "FandolFang-Regular.otf",
        include_bytes!("../../../../assets/fonts/FandolFang-Regular.otf"),
    ),
    (
        "FandolHei-Regular.otf",
        include_bytes!("../../../../assets/fonts/FandolHei-Regular.otf"),
    ),
    (
        "FandolKai-Regular.otf",
        include_bytes!("../../../../assets/fonts/FandolKai-Regular.otf"),
    ),
    (
        "DroidSansFallbackFull.ttf",
        include_bytes!("../../../../assets/fonts/DroidSansFallbackFull.ttf"),
    ),
];

/// The shipped font files (file name, bytes), for anyone else who needs them
/// (the SVG rasteriser, say). Fandol (宋体 regular and bold, 仿宋, 黑体, 楷体), then
/// Droid Sans Fallback for characters outside Fandol's set.
pub fn fonts() -> &'static [(&'static str, &'static [u8])] {
    &FONT_FILES
}

/// Family names as typst (and fontdb) read them from the shipped files.
pub(crate) mod family {
    /// 宋体.
    pub const SONG: &str = "FandolSong";
    /// 仿宋 (typst reads the legacy family name of this file, with its " R").
    pub const FANG: &str = "FandolFang R";
    /// 黑体.
    pub const HEI: &str = "FandolHei";
    /// 楷体.
    pub const KAI: &str = "FandolKai";
    /// The fallback for characters the Fandol fonts lack.
    pub const FALLBACK: &str = "Droid Sans Fallback";
}

/// Renders the document as a PDF (A4, fonts subset and embedded).
pub fn to_pdf(doc: &Document) -> Result<Vec<u8>> {
    let result = to_pdf_kept(doc);
    forget();
    result
}

/// Drops memoised results of earlier exports (they hold decoded pictures) that the last
/// two calls did not use; the fonts stay parsed.
pub(crate) fn forget() {
    typst::comemo::evict(2);
}

/// Decodes the pictures of `docs` as typst does when it lays them out, on up to `threads`
/// threads at once. Typst memoises the decoding, so a [`to_pdf_kept`] of these documents
/// that follows finds its pictures decoded instead of decoding them one after another
/// (the slow part of a photo sheet of 12-MP photos: about 0.2 s each). The decoded
/// pictures are kept until the second [`forget`] after their last use.
pub(crate) fn predecode(docs: &[&Document], threads: usize) {
    use typst::visualize::{ExchangeFormat, RasterImage};
    let mut pictures = Vec::new();
    for doc in docs {
        for (path, bytes) in markup(doc).1 {
            let format = if path.ends_with(".png") {
                ExchangeFormat::Png
            } else {
                ExchangeFormat::Jpg
            };
            pictures.push((bytes, format));
        }
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads.clamp(1, pictures.len().max(1)) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((bytes, format)) = pictures.get(i) else {
                    break;
                };
                // The same call, with the same arguments, as typst's `image` element makes;
                // a picture typst cannot decode fails again there, with its message.
                let _ = RasterImage::new(bytes.clone(), *format, typst::foundations::Smart::Auto);
            });
        }
    });
}

/// [`to_pdf`] without [`forget`]: for several documents rendered at once, which forget
/// once when all are done.
pub(crate) fn to_pdf_kept(doc: &Document) -> Result<Vec<u8>> {
    let (markup, images) = markup(doc);
    let world = FormWorld::new(markup, images)?;
    let compiled = typst::compile::<PagedDocument>(&world).output;
    compiled
        .map_err(|diags| typst_error(&world, &diags))
        .and_then(|paged| {
            typst_pdf::pdf(&paged, &typst_pdf::PdfOptions::default())
                .map_err(|diags| typst_error(&world, &diags))
        })
}

/// Writes it atomically (temporary file in the same folder, then rename), like
/// `export::xlsx::write_table`.
pub fn write_pdf(doc: &Document, path: &Path) -> Result<()> {
    if path.is_dir() {
        return Err(Error::io(
            path,
            std::io::Error::other("这是一个文件夹，请给出 .pdf 文件名"),
        ));
    }
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        return Err(Error::io(
            path,
            std::io::Error::new(std::io::ErrorKind::NotFound, "文件夹不存在"),
        ));
    }
    let bytes = to_pdf(doc)?;
    super::write_atomic(path, &bytes, "pdf")
}

// ---------------------------------------------------------------------------------------------
// The world: one markup file, the pictures, the shipped fonts.

/// Parsed fonts and their book, shared by every export.
struct Fonts {
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
}

fn shipped_fonts() -> &'static Fonts {
    static FONTS: OnceLock<Fonts> = OnceLock::new();
    FONTS.get_or_init(|| {
        let fonts: Vec<Font> = FONT_FILES
            .iter()
            .flat_map(|(_, data)| Font::iter(Bytes::new(*data)))
            .collect();
        Fonts {
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
        }
    })
}

fn library() -> &'static LazyHash<Library> {
    static LIBRARY: OnceLock<LazyHash<Library>> = OnceLock::new();
    LIBRARY.get_or_init(|| LazyHash::new(Library::default()))
}

fn file_id(path: &str) -> Result<FileId> {
    let vpath = VirtualPath::new(path).map_err(|e| Error::Parse {
        what: "PDF 排版".into(),
        detail: format!("{path}: {e}"),
    })?;
    Ok(FileId::new(RootedPath::new(VirtualRoot::Project, vpath)))
}

/// Virtual path of the `i`-th picture (the same paths every time, so file ids are reused).
fn image_path(i: usize, format: ImageFormat) -> String {
    let ext = match format {
        ImageFormat::Jpeg => "jpg",
        ImageFormat::Png => "png",
    };
    format!("/img/{i}.{ext}")
}

struct FormWorld {
    main: Source,
    files: Vec<(FileId, Bytes)>,
}

impl FormWorld {
    fn new(markup: String, images: Vec<(String, Bytes)>) -> Result<Self> {
        let main = Source::new(file_id("/main.typ")?, markup);
        let files = images
            .into_iter()
            .map(|(path, bytes)| Ok((file_id(&path)?, bytes)))
            .collect::<Result<Vec<_>>>()?;
        Ok(FormWorld { main, files })
    }
}

impl World for FormWorld {
    fn library(&self) -> &LazyHash<Library> {
        library()
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &shipped_fonts().book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_owned()));
        }
        self.files
            .iter()
            .find(|(fid, _)| *fid == id)
            .map(|(_, bytes)| bytes.clone())
            .ok_or_else(|| FileError::NotFound(id.vpath().get_with_slash().into()))
    }

    fn font(&self, index: usize) -> Option<Font> {
        shipped_fonts().fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        None
    }
}

/// `Error::Parse` with the diagnostics joined (and the markup line, for the developer).
fn typst_error(world: &FormWorld, diags: &[SourceDiagnostic]) -> Error {
    let detail = diags
        .iter()
        .map(|d| {
            let mut s = d.message.to_string();
            if let Some(range) = world.range(d.span) {
                let line = world.main.text()[..range.start.min(world.main.text().len())]
                    .matches('\n')
                    .count()
                    + 1;
                let _ = write!(s, "（第 {line} 行）");
            }
            for hint in &d.hints {
                let _ = write!(s, "；提示：{}", hint.v);
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n");
    Error::Parse {
        what: "PDF 排版".into(),
        detail,
    }
}

// ---------------------------------------------------------------------------------------------
// Markup.

/// A typst string literal for any text: `"…"` with `\`, `"` and control characters escaped.
fn lit(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A code expression for text whose `\n` are line breaks: a string, or strings joined by
/// `linebreak()`.
fn lines(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    if !text.contains('\n') {
        return lit(&text);
    }
    let parts: Vec<String> = text.split('\n').map(lit).collect();
    format!("({},).join(linebreak())", parts.join(", "))
}

/// A typst font list: the face, then the fallback.
fn font(face: &str) -> String {
    format!("(\"{face}\", \"{}\")", family::FALLBACK)
}

fn mm(v: f32) -> String {
    format!("{:.2}mm", if v.is_finite() { v.max(0.0) } else { 0.0 })
}

/// Builds the markup and the list of picture files (virtual path, bytes).
fn markup(doc: &Document) -> (String, Vec<(String, Bytes)>) {
    let mut m = String::with_capacity(4096);
    let mut images = Vec::new();
    let song = font(family::SONG);
    let fang = font(family::FANG);
    let hei = font(family::HEI);
    let kai = font(family::KAI);

    // Page, text and paragraph settings. Every size is spelled out: the body's line pitch is
    // 28 pt (14 pt characters on a one-em box plus a one-em gap), paragraphs are not spaced
    // apart (official documents keep one grid of lines).
    let _ = write!(
        m,
        r#"#set document(title: {title})
#set page(width: {pw}, height: {ph}, margin: (top: {mt}, bottom: {mb}, left: {ml}, right: {mr}), numbering: none, header: none, footer: none, footer-descent: 7mm)
#set text(font: {fang}, size: 14pt, lang: "zh", region: "cn", top-edge: 0.88em, bottom-edge: -0.12em, fallback: true)
#set par(justify: true, leading: 1em, spacing: 1em, first-line-indent: (amount: 2em, all: true))
#set block(spacing: 1em)
#set heading(numbering: none)
#show heading: set par(first-line-indent: 0em, justify: false)
#show heading: set block(above: 1.1em, below: 0.9em)
#show heading.where(level: 1): set text(font: {hei}, size: 16pt, weight: "regular")
#show heading.where(level: 2): set text(font: {hei}, size: 14pt, weight: "regular")
#show heading.where(level: 3): set text(font: {kai}, size: 14pt, weight: "regular", stroke: 0.35pt + black)
#show heading.where(level: 3): set block(above: 0.8em, below: 0.6em)
#show table: set text(font: {song}, size: 10.5pt)
#show table: set par(justify: true, leading: 0.55em, spacing: 0.55em, first-line-indent: 0em)
"#,
        title = lit(&doc.title),
        pw = mm(page::WIDTH_MM),
        ph = mm(page::HEIGHT_MM),
        mt = mm(page::TOP_MM),
        mb = mm(page::BOTTOM_MM),
        ml = mm(page::LEFT_MM),
        mr = mm(page::RIGHT_MM),
    );

    if let Some(cover) = &doc.cover {
        cover_page(&mut m, cover, &song, &hei, &fang, &kai);
    }
    if doc.page_numbers {
        let _ = writeln!(
            m,
            "#set page(footer: context align(center, text(font: {song}, size: 14pt, top-edge: \"cap-height\", bottom-edge: \"baseline\", \"— \" + counter(page).display(\"1\") + \" —\")))"
        );
    }
    m.push_str("#counter(page).update(1)\n\n");

    for block in &doc.blocks {
        match block {
            Block::Heading { level, text } => {
                let level = (*level).clamp(1, 3);
                let _ = writeln!(m, "#heading(level: {level}, {})\n", lit(text));
            }
            Block::Paragraph(p) => {
                let body = lines(&p.text);
                let _ = match p.style {
                    ParaStyle::Body => writeln!(m, "#par({body})\n"),
                    ParaStyle::Note => writeln!(
                        m,
                        "#par(first-line-indent: 0em, leading: 0.9em, text(font: {kai}, size: 12pt, {body}))\n"
                    ),
                    ParaStyle::Center => {
                        writeln!(m, "#align(center, par(first-line-indent: 0em, {body}))\n")
                    }
                };
            }
            Block::Table(t) => table(&mut m, t),
            Block::Image(img) => {
                let path = image_path(images.len(), img.format);
                image(&mut m, img, &path, &kai);
                images.push((path, Bytes::new(img.bytes.clone())));
            }
            Block::Signature(sig) => {
                m.push_str("#v(2em)\n#align(right, pad(right: 2em, {\n  set par(first-line-indent: 0em, justify: false)\n");
                for line in sig {
                    let _ = writeln!(m, "  par({})", lit(line));
                }
                m.push_str("}))\n\n");
            }
            Block::PageBreak => m.push_str("#pagebreak(weak: true)\n\n"),
        }
    }
    (m, images)
}

fn cover_page(m: &mut String, cover: &Cover, song: &str, hei: &str, fang: &str, kai: &str) {
    // A title of three characters (申报书) is spread wide; longer ones less.
    let n = cover.title.chars().count();
    let tracking = match n {
        0..=4 => "0.6em",
        5..=7 => "0.3em",
        _ => "0.1em",
    };
    let _ = write!(
        m,
        r#"#page(footer: none, {{
  set par(first-line-indent: 0em, justify: false)
  v(18mm)
  align(center, text(font: {hei}, size: 18pt, {kicker}))
  v(14mm)
  align(center, text(font: {song}, size: 26pt, weight: "bold", tracking: {tracking}, {title}) + h(-{tracking}))
  v(1fr)
  align(center, grid(
    columns: (auto, 92mm),
    column-gutter: 1mm,
    row-gutter: 7mm,
    align: (right + bottom, center + bottom),
"#,
        kicker = lit(&cover.kicker),
        title = lit(&cover.title),
    );
    for (label, value) in &cover.fields {
        let _ = writeln!(
            m,
            "    text(font: {fang}, size: 16pt, {label}),\n    block(width: 100%, stroke: (bottom: 0.6pt + black), inset: (x: 2pt, bottom: 4pt), text(font: {fang}, size: 16pt, {value})),",
            label = lit(&format!("{}：", label.trim_end_matches(['：', ':']))),
            value = lines(value),
        );
    }
    let _ = write!(
        m,
        r#"  ))
  v(1fr)
  align(center, text(font: {kai}, size: 12pt, {footnote}))
}})

"#,
        footnote = lit(&cover.footnote),
    );
}

/// Rough height of a row in millimetres, to decide whether it may be split across pages.
fn row_height_mm(row: &[Cell], widths: &[u32]) -> f32 {
    let total: u32 = widths.iter().sum::<u32>().max(1);
    let char_mm = 10.5 * 25.4 / 72.0;
    let mut col = 0usize;
    let mut tallest = 0.0f32;
    for cell in row {
        let span = usize::from(cell.colspan.max(1));
        let w: u32 = widths.iter().skip(col).take(span).sum();
        col += span;
        let width_mm = page::TEXT_WIDTH_MM * w as f32 / total as f32 - 4.0;
        let per_line = (width_mm / char_mm).floor().max(1.0);
        let lines: f32 = cell
            .text
            .split('\n')
            .map(|l| (l.chars().count() as f32 / per_line).ceil().max(1.0))
            .sum();
        tallest = tallest.max(lines * 5.9 + 3.0);
    }
    tallest
}

fn table(m: &mut String, t: &Table) {
    let widths: Vec<u32> = if t.widths.is_empty() {
        vec![1]
    } else {
        t.widths.iter().map(|w| (*w).max(1)).collect()
    };
    let max_span = u16::try_from(widths.len()).unwrap_or(u16::MAX);
    let span = |c: &Cell| c.colspan.clamp(1, max_span);
    let cols = widths
        .iter()
        .map(|w| format!("{w}fr"))
        .collect::<Vec<_>>()
        .join(", ");
    if !t.caption.trim().is_empty() {
        let _ = writeln!(
            m,
            "#block(sticky: true, below: 0.6em, width: 100%, align(center, text(font: {}, size: 12pt, weight: \"bold\", {})))",
            font(family::SONG),
            lit(&t.caption)
        );
    }
    let _ = writeln!(
        m,
        "#table(\n  columns: ({cols},),\n  stroke: 0.5pt + black,\n  inset: (x: 5pt, y: 5pt),\n  align: left + horizon,"
    );
    if !t.header.is_empty() {
        m.push_str("  table.header(\n");
        for cell in &t.header {
            let _ = writeln!(
                m,
                "    table.cell(colspan: {}, fill: luma(225), align: center + horizon, text(weight: \"bold\", {})),",
                span(cell),
                lines(&cell.text)
            );
        }
        m.push_str("  ),\n");
    }
    for row in &t.rows {
        // Keep a row on one page unless it is too tall for that to be wise.
        let breakable = if row_height_mm(row, &widths) < 110.0 {
            "false"
        } else {
            "auto"
        };
        for cell in row {
            let (fill, align, weight) = if cell.label {
                ("luma(240)", "center + horizon", "\"bold\"")
            } else if cell.right {
                ("none", "right + horizon", "\"regular\"")
            } else {
                ("none", "left + horizon", "\"regular\"")
            };
            let _ = writeln!(
                m,
                "  table.cell(colspan: {}, fill: {fill}, align: {align}, breakable: {breakable}, text(weight: {weight}, {})),",
                span(cell),
                lines(&cell.text)
            );
        }
    }
    m.push_str(")\n\n");
}

fn image(m: &mut String, img: &Image, path: &str, kai: &str) {
    let (w, h) = img.size_mm();
    let format = match img.format {
        ImageFormat::Jpeg => "jpg",
        ImageFormat::Png => "png",
    };
    let _ = writeln!(
        m,
        "#block(breakable: false, width: 100%, {{\n  set par(first-line-indent: 0em, justify: false)\n  align(center, image({path}, format: \"{format}\", width: {w}, height: {h}, fit: \"contain\"))",
        path = lit(path),
        w = mm(w),
        h = mm(h),
    );
    if !img.caption.trim().is_empty() {
        let _ = writeln!(
            m,
            "  v(0.4em)\n  align(center, text(font: {kai}, size: 10.5pt, {}))",
            lit(&img.caption)
        );
    }
    m.push_str("})\n\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_text_becomes_string_literals() {
        assert_eq!(lit(r#"a"b\c"#), r#""a\"b\\c""#);
        assert_eq!(lit("x\u{7}y"), r#""x\u{7}y""#);
        assert_eq!(lit("#*_$[]<@//="), r##""#*_$[]<@//=""##);
        assert_eq!(lines("一\n二"), r#"("一", "二",).join(linebreak())"#);
    }

    #[test]
    fn the_shipped_fonts_have_the_families_the_markup_names() {
        let fonts = shipped_fonts();
        for name in [
            family::SONG,
            family::FANG,
            family::HEI,
            family::KAI,
            family::FALLBACK,
        ] {
            assert!(
                fonts.book.contains_family(&name.to_lowercase()),
                "{name} not among {:?}",
                fonts
                    .fonts
                    .iter()
                    .map(|f| f.info().family.clone())
                    .collect::<Vec<_>>()
            );
        }
    }
}

//! A small document model shared by the DOCX and PDF writers.
//!
//! The application forms (申报书, 代表性传承人申报表, 五年保护计划, 照片集, 授权书) are built
//! once as a [`Document`] by `application::forms`; [`super::docx`] and [`super::pdf`] render
//! the same document, so the two files of a form never say different things. The model is
//! deliberately what official Chinese forms use and nothing more: a cover page, headings,
//! paragraphs with a first-line indent, label/value tables with merged cells, pictures with
//! numbered captions, signature lines and page breaks, on A4 paper with page numbers.

/// The typefaces official forms use. Each writer maps them: DOCX names the Windows fonts
/// (宋体, 仿宋, 黑体, 楷体) so Word and WPS use the machine's own; the PDF embeds the
/// open-licence fonts shipped in `assets/fonts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Face {
    /// 宋体: cover title, table text.
    Song,
    /// 仿宋: body text.
    Fang,
    /// 黑体: headings.
    Hei,
    /// 楷体: notes and captions.
    Kai,
}

impl Face {
    /// The font name a Chinese Word document names for this face.
    pub fn windows_name(self) -> &'static str {
        match self {
            Face::Song => "宋体",
            Face::Fang => "仿宋",
            Face::Hei => "黑体",
            Face::Kai => "楷体",
        }
    }
}

/// A whole document: one file of the package.
#[derive(Debug, Clone, Default)]
pub struct Document {
    /// Title for the file's properties (e.g. `泥塑 申报书`).
    pub title: String,
    /// Cover page, printed without a page number; the body starts on the next page at 1.
    pub cover: Option<Cover>,
    /// The body, in order.
    pub blocks: Vec<Block>,
    /// Centred page numbers in the footer of every body page (`— 1 —`).
    pub page_numbers: bool,
}

/// A cover page: the list it is for, the form's name, the item, and label/value lines
/// (申报地区或单位, 申报日期 …) near the bottom.
#[derive(Debug, Clone, Default)]
pub struct Cover {
    /// Small line above the title, e.g. `枣庄市级非物质文化遗产代表性项目`.
    pub kicker: String,
    /// The form's name in large type, e.g. `申报书`.
    pub title: String,
    /// Label/value lines, e.g. (`项目名称`, `台儿庄泥塑`); the value is underlined.
    pub fields: Vec<(String, String)>,
    /// Small print at the foot of the cover (who made it, a sample mark…), may be empty.
    pub footnote: String,
}

/// One block of a document's body.
#[derive(Debug, Clone)]
pub enum Block {
    /// A heading (level 1: 黑体 三号; level 2: 黑体 四号; level 3: 楷体 bold 四号).
    Heading {
        /// 1, 2 or 3.
        level: u8,
        /// Text, e.g. `一、项目基本信息`.
        text: String,
    },
    /// A paragraph of text (no line breaks inside; split text on `\n` into paragraphs).
    Paragraph(Paragraph),
    /// A table.
    Table(Table),
    /// A picture (JPEG or PNG) with an optional caption under it.
    Image(Image),
    /// Lines for signatures and dates, right-aligned (e.g. `授权人（签字）：＿＿＿＿`).
    Signature(Vec<String>),
    /// Start a new page.
    PageBreak,
}

/// How a paragraph is set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ParaStyle {
    /// 仿宋 四号 (14 pt), justified, first line indented by two characters.
    #[default]
    Body,
    /// 楷体 小四 (12 pt), no indent: notes, “未填写”, explanations.
    Note,
    /// Centred 仿宋 四号, no indent.
    Center,
}

/// A paragraph.
#[derive(Debug, Clone, Default)]
pub struct Paragraph {
    /// The text.
    pub text: String,
    /// Its style.
    pub style: ParaStyle,
}

impl Paragraph {
    /// A body paragraph.
    pub fn body(text: impl Into<String>) -> Self {
        Paragraph {
            text: text.into(),
            style: ParaStyle::Body,
        }
    }

    /// A note paragraph.
    pub fn note(text: impl Into<String>) -> Self {
        Paragraph {
            text: text.into(),
            style: ParaStyle::Note,
        }
    }
}

/// A table: column widths in relative units, an optional header row repeated on every page,
/// and rows of cells (宋体 五号 / 10.5 pt). Every row's cells span exactly the number of columns.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Caption above the table (e.g. `表 1 传承谱系`), may be empty.
    pub caption: String,
    /// Relative column widths (e.g. `[1, 2, 2]`); their count is the column count.
    pub widths: Vec<u32>,
    /// Header row (bold, shaded, repeated on each page), empty for none.
    pub header: Vec<Cell>,
    /// Body rows.
    pub rows: Vec<Vec<Cell>>,
}

/// A table cell.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    /// Text; `\n` starts a new line inside the cell.
    pub text: String,
    /// Columns spanned (1 or more).
    pub colspan: u16,
    /// A label cell (bold, shaded, centred), as the left column of a form.
    pub label: bool,
    /// Right-aligned (amounts).
    pub right: bool,
}

impl Cell {
    /// A plain cell.
    pub fn text(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            colspan: 1,
            ..Default::default()
        }
    }

    /// A label cell.
    pub fn label(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            colspan: 1,
            label: true,
            ..Default::default()
        }
    }

    /// A right-aligned cell (amounts).
    pub fn amount(text: impl Into<String>) -> Self {
        Cell {
            text: text.into(),
            colspan: 1,
            right: true,
            ..Default::default()
        }
    }

    /// The same cell spanning `n` columns.
    pub fn span(mut self, n: u16) -> Self {
        self.colspan = n.max(1);
        self
    }
}

/// Picture formats the writers accept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// JPEG.
    Jpeg,
    /// PNG.
    Png,
}

/// A picture scaled to fit a box (keeping its proportions), centred, with a caption below.
#[derive(Debug, Clone)]
pub struct Image {
    /// The encoded picture.
    pub bytes: Vec<u8>,
    /// Its format.
    pub format: ImageFormat,
    /// Pixel width (for the aspect ratio).
    pub width_px: u32,
    /// Pixel height.
    pub height_px: u32,
    /// Largest width on the page, in millimetres.
    pub max_width_mm: f32,
    /// Largest height on the page, in millimetres.
    pub max_height_mm: f32,
    /// Caption under the picture (e.g. `图 1 2023 年 4 月 泥沟镇 陈泥人 捏制泥狗`), may be empty.
    pub caption: String,
}

impl Image {
    /// The size on the page in millimetres: the largest that fits the box, proportions kept.
    pub fn size_mm(&self) -> (f32, f32) {
        let (w, h) = (self.width_px.max(1) as f32, self.height_px.max(1) as f32);
        let scale = (self.max_width_mm / w).min(self.max_height_mm / h);
        (w * scale, h * scale)
    }
}

/// A4 page and the margins of GB/T 9704 (official documents), in millimetres.
pub mod page {
    /// Page width.
    pub const WIDTH_MM: f32 = 210.0;
    /// Page height.
    pub const HEIGHT_MM: f32 = 297.0;
    /// Top margin.
    pub const TOP_MM: f32 = 37.0;
    /// Bottom margin.
    pub const BOTTOM_MM: f32 = 35.0;
    /// Left margin.
    pub const LEFT_MM: f32 = 28.0;
    /// Right margin.
    pub const RIGHT_MM: f32 = 26.0;
    /// Width of the text block.
    pub const TEXT_WIDTH_MM: f32 = WIDTH_MM - LEFT_MM - RIGHT_MM;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pictures_fit_their_box_keeping_proportions() {
        let img = Image {
            bytes: vec![],
            format: ImageFormat::Jpeg,
            width_px: 4000,
            height_px: 3000,
            max_width_mm: 156.0,
            max_height_mm: 100.0,
            caption: String::new(),
        };
        let (w, h) = img.size_mm();
        assert!(
            (h - 100.0).abs() < 0.01 && (w - 133.33).abs() < 0.1,
            "{w}×{h}"
        );
        let wide = Image {
            width_px: 4000,
            height_px: 1000,
            ..img
        };
        let (w, h) = wide.size_mm();
        assert!(
            (w - 156.0).abs() < 0.01 && (h - 39.0).abs() < 0.01,
            "{w}×{h}"
        );
    }
}

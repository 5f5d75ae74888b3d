//! The application forms as [`Document`]s: 申报书, 代表性传承人申报表, 五年保护计划, 照片集
//! and 授权书. Pure functions of what the registry holds ([`FormInput`]); the package writer
//! renders each document twice (DOCX and PDF) so both files always say the same.
//!
//! Nothing is retyped and nothing is invented: an empty field prints as “（未填写）” so the
//! reviewer and the clerk see the gap (the pre-flight check has already named it); personal
//! fields the profile does not allow are masked.

use super::lineage_svg::generation_label;
use super::ApplicationData;
use crate::export::doc::{
    Block, Cell, Cover, Document, Image, ImageFormat, ParaStyle, Paragraph, Table,
};
use crate::ident::{mask_id_number, mask_phone};
use crate::model::{ExportProfile, InheritorDetail, Recognition, UnitDetail};
use crate::reference::chinese_number;

/// Printed where the register holds nothing.
pub const EMPTY: &str = "（未填写）";
/// Pixels per SVG unit of the lineage drawing's PNG.
pub const LINEAGE_SCALE: f32 = 2.0;
/// Printed for a personal field the profile does not allow.
pub const WITHHELD: &str = "（按申报配置不显示）";

/// A photo ready for the photo sheet: the picture (usually the viewer preview, a JPEG of at
/// most 2048 px) and its caption.
#[derive(Debug, Clone)]
pub struct SheetPhoto {
    /// Encoded picture.
    pub bytes: Vec<u8>,
    /// Its format.
    pub format: ImageFormat,
    /// Pixel width.
    pub width_px: u32,
    /// Pixel height.
    pub height_px: u32,
    /// Caption text (without the 图 n prefix).
    pub caption: String,
}

/// A representative inheritor going into the package: the recognition that counts and the
/// person's record.
#[derive(Debug, Clone)]
pub struct FormInheritor {
    /// The recognition (level, batch, 文号, status).
    pub recognition: Recognition,
    /// The person.
    pub person: InheritorDetail,
}

/// Everything the forms are made from.
#[derive(Debug, Clone)]
pub struct FormInput<'a> {
    /// The registry's data for the item.
    pub data: &'a ApplicationData,
    /// The profile.
    pub profile: &'a ExportProfile,
    /// The representative inheritors that count under the profile.
    pub inheritors: Vec<FormInheritor>,
    /// The item's protection units.
    pub units: Vec<UnitDetail>,
    /// Photos for the photo sheet, in order (confidential ones already left out).
    pub photos: Vec<SheetPhoto>,
    /// The lineage drawing as PNG (bytes, width, height), when there is a lineage.
    pub lineage_png: Option<(Vec<u8>, u32, u32)>,
    /// The sample registry: every cover says so.
    pub sample: bool,
    /// The date printed on covers, e.g. `2026年11月29日`.
    pub date: String,
    /// The package's supporting files, for the 申报书's list of attachments (`照片/01 …`).
    pub attachments: Vec<String>,
}

impl FormInput<'_> {
    fn item(&self) -> &crate::model::ItemDetail {
        &self.data.item
    }

    fn applicant(&self) -> String {
        or_empty(self.item().texts.applicant.as_deref())
    }

    fn unit_names(&self) -> String {
        if self.item().protection_units.is_empty() {
            EMPTY.to_string()
        } else {
            self.item().protection_units.join("、")
        }
    }

    fn footnote(&self) -> String {
        if self.sample {
            format!(
                "【示例】{}本材料由非遗名录示例名录生成，内容虚构，不得作为正式申报材料。",
                crate::sample::SAMPLE_NOTE
            )
        } else {
            String::new()
        }
    }

    fn kicker(&self, what: &str) -> String {
        let list = if self.profile.level.is_empty() {
            "市级".to_string()
        } else {
            self.profile.level.clone()
        };
        let prefix = if self.sample { "【示例】" } else { "" };
        format!("{prefix}枣庄{list}非物质文化遗产{what}")
    }

    /// Masks a personal field unless the profile allows it.
    fn personal(&self, value: Option<&str>, allowed: bool, mask: fn(&str) -> String) -> String {
        match value.map(str::trim).filter(|v| !v.is_empty()) {
            None => EMPTY.to_string(),
            Some(v) if allowed => v.to_string(),
            Some(v) => {
                let m = mask(v);
                if m == v {
                    WITHHELD.to_string()
                } else {
                    m
                }
            }
        }
    }
}

fn or_empty(v: Option<&str>) -> String {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => v.to_string(),
        None => EMPTY.to_string(),
    }
}

fn withheld(_: &str) -> String {
    WITHHELD.to_string()
}

/// Body paragraphs of a text, one per line; “（未填写）” as a note when empty.
fn text_blocks(text: Option<&str>) -> Vec<Block> {
    let lines: Vec<&str> = text
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    if lines.is_empty() {
        return vec![Block::Paragraph(Paragraph::note(EMPTY))];
    }
    lines
        .into_iter()
        .map(|l| Block::Paragraph(Paragraph::body(l)))
        .collect()
}

fn h(level: u8, text: impl Into<String>) -> Block {
    Block::Heading {
        level,
        text: text.into(),
    }
}

fn row(label: &str, value: impl Into<String>, span: u16) -> Vec<Cell> {
    vec![Cell::label(label), Cell::text(value).span(span)]
}

/// Yuan with thousands separators: `1234567` fen → `12,345.67`.
pub fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    let a = fen.unsigned_abs();
    let whole = (a / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped}.{:02}", a % 100)
}

/// The text of one item text field by its profile key.
pub fn section_text<'a>(data: &'a ApplicationData, key: &str) -> Option<&'a str> {
    let t = &data.item.texts;
    match key {
        "applicant" => t.applicant.as_deref(),
        "distribution" => t.distribution.as_deref(),
        "summary" => t.summary.as_deref(),
        "geography" => t.geography.as_deref(),
        "history" => t.history.as_deref(),
        "content" => t.content.as_deref(),
        "artifacts" => t.artifacts.as_deref(),
        "lineageText" => t.lineage_text.as_deref(),
        "features" => t.features.as_deref(),
        "value" => t.value.as_deref(),
        "viability" => t.viability.as_deref(),
        "argumentation" => t.argumentation.as_deref(),
        "management" => t.management.as_deref(),
        "protectionDone" => t.protection_done.as_deref(),
        "mechanism" => t.mechanism.as_deref(),
        _ => None,
    }
}

/// Caption of a photo: the free caption, then 时间 / 地点 / 人物 / 事件 as filled in.
pub fn photo_caption(d: &crate::model::MediaDescription, fallback: &str) -> String {
    let parts: Vec<String> = [
        ("时间", &d.caption_time),
        ("地点", &d.caption_place),
        ("人物", &d.caption_people),
        ("事件", &d.caption_event),
    ]
    .iter()
    .filter_map(|(label, v)| {
        v.as_deref()
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| format!("{label}：{v}"))
    })
    .collect();
    let free = d
        .caption
        .as_deref()
        .or(d.title.as_deref())
        .map(str::trim)
        .filter(|v| !v.is_empty());
    match (free, parts.is_empty()) {
        (Some(c), true) => c.to_string(),
        (Some(c), false) => format!("{c}（{}）", parts.join("；")),
        (None, false) => parts.join("；"),
        (None, true) => fallback.to_string(),
    }
}

fn distribution(input: &FormInput) -> String {
    let item = input.item();
    let places: Vec<String> = item
        .townships
        .iter()
        .map(
            |t| match t.villages.as_deref().filter(|v| !v.trim().is_empty()) {
                Some(v) => format!("{}（{}）", t.name, v.trim()),
                None => t.name.clone(),
            },
        )
        .collect();
    match (places.is_empty(), item.texts.distribution.as_deref()) {
        (false, Some(d)) if !d.trim().is_empty() => {
            format!("{}\n{}", places.join("、"), d.trim())
        }
        (false, _) => places.join("、"),
        (true, d) => or_empty(d),
    }
}

fn listings(input: &FormInput) -> String {
    let item = input.item();
    if item.listings.is_empty() {
        return EMPTY.to_string();
    }
    item.listings
        .iter()
        .map(|l| {
            let mut s = l.level.clone();
            if let Some(b) = l.batch_label.as_deref() {
                s.push_str(&format!("（{b}）"));
            }
            if let Some(d) = l.listed_on.as_deref() {
                s.push_str(&format!("，{d}"));
            }
            s.push_str(&format!(
                "，{}",
                l.doc_number.as_deref().unwrap_or("文号未填写")
            ));
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn unit_contact(input: &FormInput) -> String {
    if input.units.is_empty() {
        return input.unit_names();
    }
    input
        .units
        .iter()
        .map(|u| {
            let f = &u.fields;
            let mut s = f.name.clone();
            let phone = input.personal(
                f.phone.as_deref(),
                input.profile.personal_fields.phone,
                mask_phone,
            );
            if let Some(c) = f.contact_person.as_deref().filter(|c| !c.trim().is_empty()) {
                s.push_str(&format!("\n联系人：{c}　电话：{phone}"));
            }
            if let Some(a) = f.address.as_deref().filter(|a| !a.trim().is_empty()) {
                s.push_str(&format!("\n地址：{a}"));
            }
            s
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The 传承谱系 table: 代别, 姓名, 性别, 出生年份, 传承方式, 从艺时间.
pub fn lineage_table(data: &ApplicationData) -> Table {
    Table {
        caption: "传承谱系表".into(),
        widths: vec![2, 3, 1, 2, 3, 3],
        header: ["代别", "姓名", "性别", "出生年份", "传承方式", "学艺时间"]
            .into_iter()
            .map(Cell::label)
            .collect(),
        rows: data
            .lineage
            .table
            .iter()
            .map(|r| {
                vec![
                    Cell::text(generation_label(r.generation)),
                    Cell::text(&r.name),
                    Cell::text(r.sex.clone().unwrap_or_default()),
                    Cell::text(r.birth_year.map(|y| y.to_string()).unwrap_or_default()),
                    Cell::text(&r.how_learned),
                    Cell::text(&r.period),
                ]
            })
            .collect(),
    }
}

/// The 代表性传承人 table: 姓名, 性别, 出生年月, 认定级别, 认定批次及文号, 状态.
pub fn inheritor_table(input: &FormInput) -> Table {
    Table {
        // The 申报书 puts it under its own 代表性传承人 heading.
        caption: String::new(),
        widths: vec![2, 1, 2, 1, 4, 1],
        header: ["姓名", "性别", "出生年月", "级别", "认定批次及文号", "状态"]
            .into_iter()
            .map(Cell::label)
            .collect(),
        rows: input
            .inheritors
            .iter()
            .map(|i| {
                let r = &i.recognition;
                let when = [
                    r.batch_label.clone(),
                    r.recognized_on.clone(),
                    r.doc_number.clone(),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join("\n");
                vec![
                    Cell::text(&i.person.fields.name),
                    Cell::text(i.person.fields.sex.clone().unwrap_or_default()),
                    Cell::text(i.person.fields.birth_date.clone().unwrap_or_default()),
                    Cell::text(&r.level),
                    Cell::text(if when.is_empty() { EMPTY.into() } else { when }),
                    Cell::text(&r.status),
                ]
            })
            .collect(),
    }
}

/// The budget table of a plan: 年度, 用途, 经费来源, 金额（元）, 依据说明, with a total per year
/// and overall.
pub fn budget_table(data: &ApplicationData) -> Option<Table> {
    let plan = data.plan.as_ref()?;
    let mut lines = plan.fields.budget.clone();
    lines.sort_by_key(|l| l.year);
    let mut rows = Vec::new();
    let mut years: Vec<i64> = lines.iter().map(|l| l.year).collect();
    years.dedup();
    for y in years {
        let of_year: Vec<_> = lines.iter().filter(|l| l.year == y).collect();
        for l in &of_year {
            rows.push(vec![
                Cell::text(format!("{y}年")),
                Cell::text(&l.purpose),
                Cell::text(&l.source),
                Cell::amount(yuan(l.amount_fen)),
                Cell::text(l.justification.clone().unwrap_or_default()),
            ]);
        }
        rows.push(vec![
            Cell::label(format!("{y}年小计")).span(3),
            Cell::amount(yuan(of_year.iter().map(|l| l.amount_fen).sum())),
            Cell::text(""),
        ]);
    }
    rows.push(vec![
        Cell::label("合计").span(3),
        Cell::amount(yuan(plan.totals.planned_fen)),
        Cell::text(""),
    ]);
    Some(Table {
        caption: "经费预算表（单位：元）".into(),
        widths: vec![2, 4, 3, 3, 5],
        header: ["年度", "用途", "经费来源", "金额（元）", "依据说明"]
            .into_iter()
            .map(Cell::label)
            .collect(),
        rows,
    })
}

fn plan_years_table(data: &ApplicationData) -> Option<Table> {
    let plan = data.plan.as_ref()?;
    if plan.fields.years.is_empty() {
        return None;
    }
    let mut years = plan.fields.years.clone();
    years.sort_by_key(|y| y.year);
    Some(Table {
        caption: "年度目标和措施".into(),
        widths: vec![2, 6, 6],
        header: ["年度", "工作目标", "主要措施"]
            .into_iter()
            .map(Cell::label)
            .collect(),
        rows: years
            .iter()
            .map(|y| {
                vec![
                    Cell::text(format!("{}年", y.year)),
                    Cell::text(or_empty(y.targets.as_deref())),
                    Cell::text(or_empty(y.measures.as_deref())),
                ]
            })
            .collect(),
    })
}

/// The lineage drawing as a picture block, full text width at most.
fn lineage_image(input: &FormInput) -> Option<Block> {
    let (bytes, w, h) = input.lineage_png.clone()?;
    // Drawn at 2 px per unit; printed at 0.3 mm per unit (16-unit names ≈ 小四), smaller
    // only when the tree is wider or taller than the page allows.
    let unit_mm = 0.3 / LINEAGE_SCALE;
    Some(Block::Image(Image {
        bytes,
        format: ImageFormat::Png,
        width_px: w,
        height_px: h,
        max_width_mm: (w as f32 * unit_mm).min(crate::export::doc::page::TEXT_WIDTH_MM),
        max_height_mm: (h as f32 * unit_mm).min(180.0),
        caption: format!("{} 传承谱系图", input.item().name),
    }))
}

fn opinion_table(rows: &[&str]) -> Table {
    Table {
        caption: String::new(),
        widths: vec![2, 7],
        header: vec![],
        rows: rows
            .iter()
            .map(|label| {
                vec![
                    Cell::label(*label),
                    Cell::text("\n\n\n\n\n（签字、盖章）\n　　　　年　　月　　日"),
                ]
            })
            .collect(),
    }
}

/// The 申报书: cover, then the profile's sections group by group with the basic-information
/// table, the lineage (drawing and table), the representative inheritors, the five-year plan
/// with its budget, the opinions to be signed and the list of attachments.
pub fn application_form(input: &FormInput) -> Document {
    let item = input.item();
    let mut blocks = Vec::new();
    let mut groups: Vec<&str> = Vec::new();
    for s in &input.profile.sections {
        if !groups.contains(&s.group.as_str()) {
            groups.push(&s.group);
        }
    }
    let mut n = 0;
    let mut heading = |blocks: &mut Vec<Block>, title: &str| {
        n += 1;
        blocks.push(h(1, format!("{}、{title}", chinese_number(n))));
    };
    let mut lineage_done = false;
    let mut plan_done = false;
    for group in &groups {
        heading(&mut blocks, group);
        if *group == "基本信息" {
            blocks.push(Block::Table(basic_table(input)));
        }
        for s in input.profile.sections.iter().filter(|s| s.group == *group) {
            // The applicant and the distribution are in the basic table already.
            if *group == "基本信息" && (s.key == "applicant" || s.key == "distribution") {
                continue;
            }
            blocks.push(h(2, &s.label));
            blocks.extend(text_blocks(section_text(input.data, &s.key)));
            if s.key == "lineageText" {
                blocks.extend(lineage_blocks(input));
                lineage_done = true;
            }
        }
        if *group == "项目说明" && !lineage_done {
            blocks.push(h(2, "传承谱系"));
            blocks.extend(lineage_blocks(input));
            lineage_done = true;
        }
        if *group == "保护计划" {
            blocks.extend(plan_blocks(input, 2));
            plan_done = true;
        }
    }
    if !lineage_done {
        heading(&mut blocks, "传承谱系");
        blocks.extend(lineage_blocks(input));
    }
    if !plan_done && input.data.plan.is_some() {
        heading(&mut blocks, "保护计划");
        blocks.extend(plan_blocks(input, 2));
    }
    heading(&mut blocks, "审核意见");
    blocks.push(Block::Table(opinion_table(&[
        "申报单位意见",
        "专家论证意见",
        "区文化和旅游局\n审核意见",
        "区人民政府意见",
    ])));
    heading(&mut blocks, "附件目录");
    if input.attachments.is_empty() {
        blocks.push(Block::Paragraph(Paragraph::note("（无附件）")));
    } else {
        for (i, a) in input.attachments.iter().enumerate() {
            blocks.push(Block::Paragraph(Paragraph {
                text: format!("{}. {a}", i + 1),
                style: ParaStyle::Note,
            }));
        }
    }
    Document {
        title: format!("{} 申报书", item.name),
        cover: Some(Cover {
            kicker: input.kicker("代表性项目"),
            title: "申 报 书".into(),
            fields: vec![
                ("项目名称".into(), item.name.clone()),
                (
                    "项目类别".into(),
                    format!("{}　{}", item.category, item.category_name),
                ),
                ("申报地区或单位".into(), input.applicant()),
                ("保护单位".into(), input.unit_names()),
                ("申报日期".into(), input.date.clone()),
            ],
            footnote: input.footnote(),
        }),
        blocks,
        page_numbers: true,
    }
}

fn basic_table(input: &FormInput) -> Table {
    let item = input.item();
    let mut rows = vec![
        row("项目名称", &item.name, 3),
        vec![
            Cell::label("项目类别"),
            Cell::text(format!("{}　{}", item.category, item.category_name)),
            Cell::label("区级编号"),
            Cell::text(&item.code),
        ],
        row("申报地区或单位", input.applicant(), 3),
        row("保护单位", unit_contact(input), 3),
        row("分布区域", distribution(input), 3),
        row("已列入名录", listings(input), 3),
    ];
    if let Some(p) = item.parent_name.as_deref() {
        rows.push(row("扩展项目所属", p, 3));
    }
    if item.endangered {
        rows.push(row("存续状态", "濒危", 3));
    }
    Table {
        caption: String::new(),
        widths: vec![3, 5, 2, 4],
        header: vec![],
        rows,
    }
}

fn lineage_blocks(input: &FormInput) -> Vec<Block> {
    let mut out = Vec::new();
    if let Some(img) = lineage_image(input) {
        out.push(img);
    }
    if input.data.lineage.table.is_empty() {
        out.push(Block::Paragraph(Paragraph::note("（传承谱系未录入）")));
    } else {
        out.push(Block::Table(lineage_table(input.data)));
    }
    out.push(h(2, "代表性传承人"));
    if input.inheritors.is_empty() {
        out.push(Block::Paragraph(Paragraph::note(
            "（无符合申报配置的代表性传承人）",
        )));
    } else {
        out.push(Block::Table(inheritor_table(input)));
    }
    out
}

fn plan_blocks(input: &FormInput, level: u8) -> Vec<Block> {
    let Some(plan) = input.data.plan.as_ref() else {
        return vec![
            h(level, "五年保护计划"),
            Block::Paragraph(Paragraph::note("（尚未制定五年保护计划）")),
        ];
    };
    let f = &plan.fields;
    let mut out = vec![
        h(
            level,
            format!("五年保护计划（{}—{}年）", f.start_year, f.end_year),
        ),
        h(level + 1, "保护目标"),
    ];
    out.extend(text_blocks(f.goals.as_deref()));
    out.push(h(level + 1, "保护措施"));
    out.extend(text_blocks(f.measures.as_deref()));
    if let Some(t) = plan_years_table(input.data) {
        out.push(Block::Table(t));
    }
    out.push(h(level + 1, "经费预算及其依据说明"));
    if let Some(t) = budget_table(input.data) {
        out.push(Block::Table(t));
    }
    out.extend(text_blocks(f.budget_basis.as_deref()));
    out.push(h(level + 1, "保障机制"));
    out.extend(text_blocks(f.mechanism.as_deref()));
    out
}

/// The 五年保护计划 as its own document (None without a plan).
pub fn plan_form(input: &FormInput) -> Option<Document> {
    let plan = input.data.plan.as_ref()?;
    let f = &plan.fields;
    let item = input.item();
    let mut blocks = vec![
        h(1, format!("“{}”五年保护计划", item.name)),
        Block::Table(Table {
            caption: String::new(),
            widths: vec![3, 5, 2, 4],
            header: vec![],
            rows: vec![
                row("计划名称", &f.title, 3),
                row("项目名称", &item.name, 3),
                vec![
                    Cell::label("保护单位"),
                    Cell::text(plan.unit_name.clone().unwrap_or_else(|| input.unit_names())),
                    Cell::label("计划期限"),
                    Cell::text(format!("{}—{}年", f.start_year, f.end_year)),
                ],
                row(
                    "经费预算合计",
                    format!("{} 元", yuan(plan.totals.planned_fen)),
                    3,
                ),
            ],
        }),
    ];
    blocks.extend(plan_blocks(input, 2).into_iter().skip(1));
    Some(Document {
        title: format!("{} 五年保护计划", item.name),
        cover: None,
        blocks,
        page_numbers: true,
    })
}

/// The photo sheet (照片集): numbered photos with captions, two per A4 page.
pub fn photo_sheet(input: &FormInput) -> Option<Document> {
    if input.photos.is_empty() {
        return None;
    }
    let item = input.item();
    let mut blocks = vec![h(1, format!("“{}”照片集", item.name))];
    if input.sample {
        blocks.push(Block::Paragraph(Paragraph::note(
            "【示例】示例名录的照片，不得作为正式申报材料。",
        )));
    }
    for (i, p) in input.photos.iter().enumerate() {
        if i > 0 && i.is_multiple_of(2) {
            blocks.push(Block::PageBreak);
        }
        blocks.push(Block::Image(Image {
            bytes: p.bytes.clone(),
            format: p.format,
            width_px: p.width_px,
            height_px: p.height_px,
            max_width_mm: crate::export::doc::page::TEXT_WIDTH_MM,
            max_height_mm: 95.0,
            caption: format!("图{}　{}", i + 1, p.caption),
        }));
    }
    Some(Document {
        title: format!("{} 照片集", item.name),
        cover: None,
        blocks,
        page_numbers: true,
    })
}

/// The 代表性传承人申报表 of one inheritor.
pub fn inheritor_form(input: &FormInput, who: &FormInheritor) -> Document {
    let item = input.item();
    let p = &who.person.fields;
    let pf = &input.profile.personal_fields;
    let id_number = input.personal(p.id_number.as_deref(), pf.id_number, mask_id_number);
    let phone = input.personal(p.phone.as_deref(), pf.phone, mask_phone);
    let address = input.personal(p.address.as_deref(), pf.address, withheld);
    let r = &who.recognition;
    let recognition = [
        Some(r.level.clone()),
        r.batch_label.clone(),
        r.recognized_on.clone(),
        r.doc_number.clone(),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("，");
    let cell = |v: Option<&str>| Cell::text(or_empty(v));
    let person = Table {
        caption: String::new(),
        widths: vec![2, 3, 2, 3],
        header: vec![],
        rows: vec![
            vec![
                Cell::label("姓名"),
                Cell::text(&p.name),
                Cell::label("性别"),
                cell(p.sex.as_deref()),
            ],
            vec![
                Cell::label("民族"),
                cell(p.ethnicity.as_deref()),
                Cell::label("出生年月"),
                cell(p.birth_date.as_deref()),
            ],
            vec![
                Cell::label("文化程度"),
                cell(p.education.as_deref()),
                Cell::label("职业"),
                cell(p.occupation.as_deref()),
            ],
            row("身份证号", id_number, 3),
            row("工作单位", or_empty(p.employer.as_deref()), 3),
            vec![
                Cell::label("从艺时间"),
                Cell::text(
                    p.practice_since
                        .map(|y| format!("{y}年起"))
                        .unwrap_or_else(|| EMPTY.into()),
                ),
                Cell::label("联系电话"),
                Cell::text(phone),
            ],
            row("住址", address, 3),
            row("申报项目", format!("{}（{}）", item.name, item.code), 3),
            row("已获认定", recognition, 3),
        ],
    };
    let mut blocks = vec![h(1, "一、基本情况"), Block::Table(person)];
    let sections: [(&str, Option<&str>); 5] = [
        ("二、个人简历", p.resume.as_deref()),
        ("四、技艺特点及成就", p.skills_achievements.as_deref()),
        ("五、授徒传艺情况", p.teaching.as_deref()),
        ("六、持有的代表性实物和资料", p.holdings.as_deref()),
        ("七、获奖情况", p.awards.as_deref()),
    ];
    for (i, (title, text)) in sections.iter().enumerate() {
        blocks.push(h(1, *title));
        blocks.extend(text_blocks(*text));
        if i == 0 {
            blocks.push(h(1, "三、传承谱系（师承脉络）"));
            blocks.extend(master_lines(input, &who.person.id));
        }
    }
    blocks.push(h(1, "八、本人声明"));
    blocks.push(Block::Paragraph(Paragraph::body(format!(
        "本人自愿申报“{}”代表性传承人，保证所填内容及所附材料真实准确；如被认定，将履行《中华人民共和国非物质文化遗产法》第三十一条规定的传承义务，开展传承活动，培养后继人才，妥善保存相关实物和资料，配合开展调查，参与非物质文化遗产公益性宣传。",
        item.name
    ))));
    blocks.push(Block::Signature(vec![
        "申报人（签字）：＿＿＿＿＿＿＿＿".into(),
        "　　　　年　　月　　日".into(),
    ]));
    blocks.push(h(1, "九、审核意见"));
    blocks.push(Block::Table(opinion_table(&[
        "推荐单位意见",
        "专家评审意见",
        "区文化和旅游局\n审核意见",
    ])));
    Document {
        title: format!("{} 代表性传承人申报表 {}", item.name, p.name),
        cover: Some(Cover {
            kicker: input.kicker("代表性传承人"),
            title: "申 报 表".into(),
            fields: vec![
                (
                    "项目类别".into(),
                    format!("{}　{}", item.category, item.category_name),
                ),
                (
                    "项目编号及名称".into(),
                    format!("{}　{}", item.code, item.name),
                ),
                ("传承人姓名".into(), p.name.clone()),
                ("保护单位".into(), input.unit_names()),
                ("地区".into(), input.applicant()),
                ("填表日期".into(), input.date.clone()),
            ],
            footnote: input.footnote(),
        }),
        blocks,
        page_numbers: true,
    }
}

/// Who the person learned from and whom they taught, from the lineage edges.
fn master_lines(input: &FormInput, person_id: &str) -> Vec<Block> {
    let edges = &input.data.lineage.edges;
    let gen = input
        .data
        .lineage
        .table
        .iter()
        .find(|r| r.inheritor_id == person_id)
        .map(|r| r.generation);
    let masters: Vec<String> = edges
        .iter()
        .filter(|e| e.apprentice_id == person_id)
        .map(|e| format!("{}（{}）", e.master_name, e.kind))
        .collect();
    let pupils: Vec<String> = edges
        .iter()
        .filter(|e| e.master_id == person_id)
        .map(|e| format!("{}（{}）", e.apprentice_name, e.kind))
        .collect();
    let mut lines = Vec::new();
    if let Some(g) = gen {
        lines.push(format!("在本项目传承谱系中为{}。", generation_label(g)));
    }
    if !masters.is_empty() {
        lines.push(format!("师承：{}。", masters.join("、")));
    }
    if !pupils.is_empty() {
        lines.push(format!("传授：{}。", pupils.join("、")));
    }
    if lines.is_empty() {
        return vec![Block::Paragraph(Paragraph::note("（传承谱系未录入）"))];
    }
    lines
        .into_iter()
        .map(|l| Block::Paragraph(Paragraph::body(l)))
        .collect()
}

/// The 授权书, prefilled for signature: one page per representative inheritor (or one with a
/// blank name when there is none).
pub fn authorization(input: &FormInput) -> Document {
    let item = input.item();
    let applicant = input
        .data
        .item
        .texts
        .applicant
        .clone()
        .filter(|a| !a.trim().is_empty())
        .unwrap_or_else(|| "＿＿＿＿＿＿＿＿".into());
    let pf = &input.profile.personal_fields;
    let mut blocks = Vec::new();
    let people: Vec<(String, String)> = if input.inheritors.is_empty() {
        vec![(
            "＿＿＿＿＿＿".into(),
            "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿".into(),
        )]
    } else {
        input
            .inheritors
            .iter()
            .map(|i| {
                let id = match i.person.fields.id_number.as_deref() {
                    Some(v) if pf.id_number => v.to_string(),
                    _ => "＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿＿".into(),
                };
                (i.person.fields.name.clone(), id)
            })
            .collect()
    };
    for (n, (name, id)) in people.iter().enumerate() {
        if n > 0 {
            blocks.push(Block::PageBreak);
        }
        blocks.push(h(1, "授  权  书"));
        blocks.push(Block::Paragraph(Paragraph::body(format!(
            "本人{name}（身份证号：{id}），系“{}”项目代表性传承人。现授权{applicant}，将本人掌握的“{}”项目相关资料（包括文字、图片、音频、视频等）用于申报枣庄市级非物质文化遗产代表性项目名录，并同意上述资料在非物质文化遗产保护、传承、宣传和展示等公益性工作中使用。",
            item.name, item.name
        ))));
        blocks.push(Block::Paragraph(Paragraph::body(
            "本授权书自签字之日起生效。",
        )));
        blocks.push(Block::Signature(vec![
            "授权人（签字、按手印）：＿＿＿＿＿＿＿＿".into(),
            "被授权单位（盖章）：＿＿＿＿＿＿＿＿".into(),
            "　　　　年　　月　　日".into(),
        ]));
        if input.sample {
            blocks.push(Block::Paragraph(Paragraph::note(
                "【示例】示例名录生成，不得作为正式授权文件。",
            )));
        }
    }
    Document {
        title: format!("{} 授权书", item.name),
        cover: None,
        blocks,
        page_numbers: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yuan_groups_thousands() {
        assert_eq!(yuan(0), "0.00");
        assert_eq!(yuan(5), "0.05");
        assert_eq!(yuan(123_456_789), "1,234,567.89");
        assert_eq!(yuan(-150_000), "-1,500.00");
        assert_eq!(yuan(100_000), "1,000.00");
    }

    #[test]
    fn captions_name_time_place_people_and_event() {
        let mut d = crate::model::MediaDescription {
            caption_time: Some("2023年4月".into()),
            caption_place: Some("泥沟镇".into()),
            ..Default::default()
        };
        assert_eq!(photo_caption(&d, "x"), "时间：2023年4月；地点：泥沟镇");
        d.caption = Some("捏制泥狗".into());
        assert_eq!(
            photo_caption(&d, "x"),
            "捏制泥狗（时间：2023年4月；地点：泥沟镇）"
        );
        assert_eq!(
            photo_caption(&crate::model::MediaDescription::default(), "IMG_1"),
            "IMG_1"
        );
    }
}

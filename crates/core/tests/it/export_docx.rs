//! DOCX writer: documents built here, the file unzipped and its XML checked by string and
//! structure, not byte snapshots.

use feiyi_core::export::doc::{
    Block, Cell, Cover, Document, Image, ImageFormat, ParaStyle, Paragraph, Table,
};
use feiyi_core::export::docx::{to_docx, write_docx};
use std::collections::BTreeMap;
use std::io::{Cursor, Read};

/// A small picture encoded in `format`.
fn picture(format: image::ImageFormat, w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 128])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

fn image(bytes: Vec<u8>, format: ImageFormat, w: u32, h: u32, caption: &str) -> Image {
    Image {
        bytes,
        format,
        width_px: w,
        height_px: h,
        max_width_mm: 150.0,
        max_height_mm: 100.0,
        caption: caption.into(),
    }
}

/// Every block kind: a cover, three heading levels, escaped and control characters, a table
/// with header/labels/span/amount/line break, a JPEG and a PNG, a signature, a page break.
fn sample() -> (Document, Vec<u8>, Vec<u8>) {
    let jpeg = picture(image::ImageFormat::Jpeg, 160, 120);
    let png = picture(image::ImageFormat::Png, 100, 200);
    let table = Table {
        caption: "表 1 传承谱系".into(),
        widths: vec![1, 2, 2],
        header: vec![
            Cell::text("代别"),
            Cell::text("姓名"),
            Cell::text("金额（元）"),
        ],
        rows: vec![
            vec![
                Cell::label("第一代"),
                Cell::text("陈泥人\n（已故）"),
                Cell::amount("1,200.00"),
            ],
            vec![Cell::label("说明"), Cell::text("跨两列").span(2)],
            vec![Cell::label("短行")],
        ],
    };
    let doc = Document {
        title: "台儿庄泥塑 申报书".into(),
        cover: Some(Cover {
            kicker: "枣庄市级非物质文化遗产代表性项目".into(),
            title: "申报书".into(),
            fields: vec![
                ("项目名称".into(), "台儿庄泥塑".into()),
                ("申报地区或单位".into(), "台儿庄区文化和旅游局".into()),
                ("申报日期".into(), "2026年11月28日".into()),
            ],
            footnote: "枣庄市文化和旅游局制（示例）".into(),
        }),
        blocks: vec![
            Block::Heading {
                level: 1,
                text: "一、项目基本信息".into(),
            },
            Block::Paragraph(Paragraph::body(
                "泥塑<a & \"b\">'c'\u{1}传承至今。\t第二段\n换行。",
            )),
            Block::Heading {
                level: 2,
                text: "（一）历史渊源".into(),
            },
            Block::Paragraph(Paragraph::note("注：未填写。")),
            Block::Paragraph(Paragraph {
                text: "居中".into(),
                style: ParaStyle::Center,
            }),
            Block::Heading {
                level: 3,
                text: "1. 传承谱系".into(),
            },
            Block::Table(table),
            Block::Image(image(
                jpeg.clone(),
                ImageFormat::Jpeg,
                160,
                120,
                "图 1 捏制泥狗",
            )),
            Block::Image(image(png.clone(), ImageFormat::Png, 100, 200, "")),
            Block::PageBreak,
            Block::Signature(vec![
                "授权人（签字）：＿＿＿＿".into(),
                "2026年11月28日".into(),
            ]),
        ],
        page_numbers: true,
    };
    (doc, jpeg, png)
}

fn unzip(bytes: &[u8]) -> BTreeMap<String, Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
    let mut parts = BTreeMap::new();
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let mut data = Vec::new();
        f.read_to_end(&mut data).unwrap();
        parts.insert(f.name().unwrap().into_owned(), data);
    }
    parts
}

fn text(parts: &BTreeMap<String, Vec<u8>>, name: &str) -> String {
    String::from_utf8(
        parts
            .get(name)
            .unwrap_or_else(|| panic!("no part {name}"))
            .clone(),
    )
    .unwrap()
}

/// A small well-formedness check: every tag opened is closed in order, entities are known,
/// no raw `<` or `&` in text, no control characters.
fn assert_well_formed(xml: &str, name: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find('<') {
        let text = &rest[..start];
        check_text(text, name);
        let end = rest[start..]
            .find('>')
            .unwrap_or_else(|| panic!("{name}: unclosed <"))
            + start;
        let tag = &rest[start + 1..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') {
            continue;
        }
        assert!(!tag.contains('<'), "{name}: '<' inside a tag: {tag}");
        if let Some(closing) = tag.strip_prefix('/') {
            let open = stack
                .pop()
                .unwrap_or_else(|| panic!("{name}: stray </{closing}>"));
            assert_eq!(open, closing.trim(), "{name}: </{closing}> closes <{open}>");
        } else if !tag.ends_with('/') {
            let tag_name = tag.split_whitespace().next().unwrap();
            stack.push(tag_name);
        }
        // Attribute values are quoted and balanced.
        assert_eq!(tag.matches('"').count() % 2, 0, "{name}: quotes in <{tag}>");
    }
    check_text(rest, name);
    assert!(stack.is_empty(), "{name}: unclosed {stack:?}");
}

fn check_text(text: &str, name: &str) {
    for (i, _) in text.match_indices('&') {
        let entity = &text[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| entity.starts_with(e)),
            "{name}: bare & in {text:?}"
        );
    }
    assert!(
        !text
            .chars()
            .any(|c| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{FFFF}'),
        "{name}: control character in {text:?}"
    );
}

/// The attribute `attr="…"` of the first element starting with `prefix` after `from`.
fn attr<'x>(xml: &'x str, prefix: &str, attr: &str) -> Vec<&'x str> {
    xml.match_indices(prefix)
        .filter_map(|(i, _)| {
            let tag = &xml[i..i + xml[i..].find('>')?];
            let key = format!(" {attr}=\"");
            let at = tag.find(&key)? + key.len();
            Some(&tag[at..at + tag[at..].find('"')?])
        })
        .collect()
}

#[test]
fn a_full_document_has_every_part_and_the_expected_markup() {
    let (doc, _, _) = sample();
    let parts = unzip(&to_docx(&doc).unwrap());
    for p in [
        "[Content_Types].xml",
        "_rels/.rels",
        "docProps/core.xml",
        "docProps/app.xml",
        "word/document.xml",
        "word/styles.xml",
        "word/settings.xml",
        "word/fontTable.xml",
        "word/footer1.xml",
        "word/_rels/document.xml.rels",
        "word/media/image1.jpeg",
        "word/media/image2.png",
    ] {
        assert!(parts.contains_key(p), "part {p}");
    }
    for (name, bytes) in &parts {
        if name.ends_with(".xml") || name.ends_with(".rels") {
            assert_well_formed(std::str::from_utf8(bytes).unwrap(), name);
        }
    }
    let types = text(&parts, "[Content_Types].xml");
    for ext in ["rels", "xml", "jpeg", "png"] {
        assert!(
            types.contains(&format!("<Default Extension=\"{ext}\"")),
            "{ext}"
        );
    }
    assert!(types.contains("PartName=\"/word/footer1.xml\""));
    let core = text(&parts, "docProps/core.xml");
    assert!(core.contains("<dc:title>台儿庄泥塑 申报书</dc:title>"));
    assert!(core.contains("<dc:creator>非遗名录</dc:creator>"));

    let d = text(&parts, "word/document.xml");
    // Headings with their styles.
    for (style, heading) in [
        ("Heading1", "一、项目基本信息"),
        ("Heading2", "（一）历史渊源"),
        ("Heading3", "1. 传承谱系"),
    ] {
        let at = d.find(heading).unwrap_or_else(|| panic!("{heading}"));
        let p = d[..at].rfind("<w:p>").unwrap();
        assert!(
            d[p..at].contains(&format!("<w:pStyle w:val=\"{style}\"/>")),
            "{heading}"
        );
    }
    assert!(d.contains("<w:pStyle w:val=\"Note\"/>") && d.contains("<w:pStyle w:val=\"Center\"/>"));
    // Escaped text, the control character gone, tab and line break as elements.
    assert!(d.contains("泥塑&lt;a &amp; &quot;b&quot;&gt;&apos;c&apos;传承至今。"));
    assert!(!d.contains('\u{1}'));
    assert!(d.contains("<w:tab/><w:t xml:space=\"preserve\">第二段</w:t><w:br/>"));

    // The table: caption, grid over the text width, header repeated, 1 + 3 rows, a span,
    // shading, right alignment, the line break in a cell, rows not split.
    assert!(d.contains("表 1 传承谱系"));
    let tables: Vec<&str> = d.split("<w:tbl>").skip(1).collect();
    assert_eq!(tables.len(), 2, "cover fields and the body table");
    let t = tables[1].split("</w:tbl>").next().unwrap();
    let cols: Vec<u32> = attr(t, "<w:gridCol", "w:w")
        .iter()
        .map(|w| w.parse().unwrap())
        .collect();
    assert_eq!(cols.len(), 3);
    assert_eq!(cols.iter().sum::<u32>(), 8844, "156 mm in twips");
    assert!((cols[1] as i32 - 2 * cols[0] as i32).abs() <= 2, "{cols:?}");
    assert!(t.contains("<w:tblW w:w=\"8844\" w:type=\"dxa\"/>"));
    assert_eq!(t.matches("<w:tr>").count(), 4);
    assert_eq!(t.matches("<w:tblHeader/>").count(), 1);
    assert_eq!(t.matches("<w:cantSplit/>").count(), 4);
    assert!(t.contains("<w:gridSpan w:val=\"2\"/>"));
    assert!(t.contains("w:fill=\"F2F2F2\""));
    assert!(t.contains("<w:jc w:val=\"right\"/>"));
    assert!(t.contains("陈泥人</w:t><w:br/><w:t xml:space=\"preserve\">（已故）"));
    assert!(t.contains("<w:insideV w:val=\"single\" w:sz=\"4\""));
    // Every row fills the grid: the short row is padded with empty cells (each with a <w:p>).
    for row in t.split("<w:tr>").skip(1) {
        let spans: usize = row
            .split("<w:tc>")
            .skip(1)
            .map(|c| {
                assert!(c.contains("<w:p>") || c.contains("<w:p/>"));
                attr(c, "<w:gridSpan", "w:val")
                    .first()
                    .map_or(1, |v| v.parse().unwrap())
            })
            .sum();
        assert_eq!(spans, 3, "{row}");
    }

    // Sections: the cover ends in its own section without a footer; the body starts at 1.
    let sects: Vec<&str> = d.split("<w:sectPr>").skip(1).collect();
    assert_eq!(sects.len(), 2);
    assert!(!sects[0].contains("footerReference") && !sects[0].contains("pgNumType"));
    let body = sects[1];
    assert!(body.contains("<w:pgNumType w:start=\"1\"/>"));
    assert!(body.contains("<w:footerReference w:type=\"default\" r:id=\"rId4\"/>"));
    for s in &sects {
        assert!(s.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"));
        assert!(s.contains("w:top=\"2098\"") && s.contains("w:left=\"1587\""));
        assert!(s.contains("w:bottom=\"1984\"") && s.contains("w:right=\"1474\""));
    }
    // The cover is before the first heading.
    // (The title's last character is its own run, so it is not letter-spaced off centre.)
    let title = d.find("<w:pStyle w:val=\"Title\"/>").unwrap();
    let title = &d[title..title + d[title..].find("</w:p>").unwrap()];
    assert!(
        title.contains(">申报</w:t>") && title.contains(">书</w:t>"),
        "{title}"
    );
    assert!(
        d.find("枣庄市级非物质文化遗产代表性项目").unwrap() < d.find("一、项目基本信息").unwrap()
    );
    assert!(d.find("<w:sectPr>").unwrap() < d.find("一、项目基本信息").unwrap());
    assert!(d.contains("台儿庄区文化和旅游局") && d.contains("申报地区或单位："));

    // Signature, page break.
    assert_eq!(d.matches("<w:pStyle w:val=\"Signature\"/>").count(), 2);
    assert!(d.contains("<w:p><w:r><w:br w:type=\"page\"/></w:r></w:p>"));

    // Footer: the PAGE field between dashes.
    let footer = text(&parts, "word/footer1.xml");
    assert!(footer.contains("<w:fldChar w:fldCharType=\"begin\"/>"));
    assert!(footer.contains("> PAGE </w:instrText>"));
    assert!(footer.contains("<w:fldChar w:fldCharType=\"end\"/>"));
    assert!(footer.contains("— ") && footer.contains(" —"));

    // Fonts and styles.
    let styles = text(&parts, "word/styles.xml");
    let fonts = text(&parts, "word/fontTable.xml");
    for (zh, en) in [
        ("宋体", "SimSun"),
        ("仿宋", "FangSong"),
        ("黑体", "SimHei"),
        ("楷体", "KaiTi"),
    ] {
        assert!(styles.contains(&format!("w:eastAsia=\"{zh}\"")), "{zh}");
        assert!(fonts.contains(&format!(
            "<w:font w:name=\"{zh}\"><w:altName w:val=\"{en}\"/>"
        )));
    }
    assert_eq!(fonts.matches("<w:charset w:val=\"86\"/>").count(), 4);
    for id in [
        "Normal",
        "Heading1",
        "Heading2",
        "Heading3",
        "Note",
        "Center",
        "TableText",
        "Caption",
        "Title",
        "Signature",
    ] {
        assert!(
            styles.contains(&format!("w:styleId=\"{id}\"")),
            "style {id}"
        );
    }
    assert!(styles.contains("<w:ind w:firstLineChars=\"200\""));
    assert!(styles.contains("w:line=\"560\" w:lineRule=\"exact\""));
    assert!(styles.contains("<w:outlineLvl w:val=\"2\"/>"));
    assert!(styles.contains("w:eastAsia=\"zh-CN\""));

    // Every relationship target exists.
    let rels = text(&parts, "word/_rels/document.xml.rels");
    for target in attr(&rels, "<Relationship ", "Target") {
        assert!(
            parts.contains_key(&format!("word/{target}")),
            "target {target}"
        );
    }
    for target in attr(&text(&parts, "_rels/.rels"), "<Relationship ", "Target") {
        assert!(parts.contains_key(target), "target {target}");
    }
    for rid in attr(&d, "<a:blip", "r:embed") {
        assert!(rels.contains(&format!("Id=\"{rid}\"")), "{rid}");
    }
}

#[test]
fn pictures_are_stored_once_with_their_bytes_and_proportional_extents() {
    let (mut doc, jpeg, png) = sample();
    // The same picture again: one more drawing, no more parts.
    doc.blocks.push(Block::Image(image(
        jpeg.clone(),
        ImageFormat::Jpeg,
        160,
        120,
        "图 2 同一张",
    )));
    let parts = unzip(&to_docx(&doc).unwrap());
    assert_eq!(parts["word/media/image1.jpeg"], jpeg);
    assert_eq!(parts["word/media/image2.png"], png);
    assert_eq!(
        parts
            .keys()
            .filter(|k| k.starts_with("word/media/"))
            .count(),
        2
    );
    let d = text(&parts, "word/document.xml");
    let ids = attr(&d, "<wp:docPr", "id");
    assert_eq!(ids, ["1", "2", "3"], "unique drawing ids");
    let cx: Vec<f64> = attr(&d, "<wp:extent", "cx")
        .iter()
        .map(|v| v.parse().unwrap())
        .collect();
    let cy: Vec<f64> = attr(&d, "<wp:extent", "cy")
        .iter()
        .map(|v| v.parse().unwrap())
        .collect();
    // 160×120 in 150×100 mm: 133.3×100 mm; 100×200: 50×100 mm.
    assert!((cy[0] - 3_600_000.0).abs() < 2.0 && (cx[0] / cy[0] - 4.0 / 3.0).abs() < 1e-3);
    assert!((cy[1] - 3_600_000.0).abs() < 2.0 && (cx[1] / cy[1] - 0.5).abs() < 1e-3);
    assert!(d.contains("<a:stretch><a:fillRect/></a:stretch>"));
    assert!(d.contains("<a:prstGeom prst=\"rect\">"));
    // A picture with a caption is kept with it; the captions use the Caption style.
    let first = &d[..d.find(">图 1 捏制泥狗</w:t>").unwrap()];
    let pic = first.rfind("<w:pStyle w:val=\"Picture\"/>").unwrap();
    assert!(first[pic..].starts_with("<w:pStyle w:val=\"Picture\"/><w:keepNext/>"));
    assert!(first[pic..].contains("<w:pStyle w:val=\"Caption\"/>"));
    let rels = text(&parts, "word/_rels/document.xml.rels");
    assert_eq!(rels.matches("relationships/image\"").count(), 2);
}

#[test]
fn without_a_cover_or_page_numbers_there_is_one_section_and_no_footer() {
    let doc = Document {
        title: "说明".into(),
        cover: None,
        blocks: vec![
            Block::Paragraph(Paragraph::body("正文")),
            // A table last, and one with ragged rows and no widths.
            Block::Table(Table {
                caption: String::new(),
                widths: vec![],
                header: vec![],
                rows: vec![
                    vec![Cell::text("a"), Cell::text("b")],
                    vec![Cell::text("c")],
                ],
            }),
            Block::Table(Table::default()),
        ],
        page_numbers: false,
    };
    let parts = unzip(&to_docx(&doc).unwrap());
    assert!(!parts.contains_key("word/footer1.xml"));
    assert!(!text(&parts, "[Content_Types].xml").contains("footer"));
    assert!(!text(&parts, "word/_rels/document.xml.rels").contains("footer"));
    let d = text(&parts, "word/document.xml");
    assert_well_formed(&d, "document.xml");
    assert_eq!(d.matches("<w:sectPr>").count(), 1);
    assert!(!d.contains("footerReference"));
    assert_eq!(
        d.matches("<w:tbl>").count(),
        1,
        "the empty table is left out"
    );
    assert_eq!(d.matches("<w:gridCol ").count(), 2);
    assert_eq!(d.matches("<w:tc>").count(), 4, "the short row padded");
    // The body never ends with a table.
    let before_sect = &d[..d.find("<w:sectPr>").unwrap()];
    assert!(before_sect.ends_with("</w:p>") || before_sect.ends_with("<w:p/>"));
}

#[test]
fn the_same_document_gives_the_same_bytes() {
    let (doc, _, _) = sample();
    assert_eq!(to_docx(&doc).unwrap(), to_docx(&doc).unwrap());
}

#[test]
fn writing_is_atomic_and_reports_io_errors() {
    let (doc, _, _) = sample();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("申报书.docx");
    write_docx(&doc, &path).unwrap();
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names, [std::ffi::OsString::from("申报书.docx")]);
    assert_eq!(std::fs::read(&path).unwrap(), to_docx(&doc).unwrap());

    let err = write_docx(&doc, &dir.path().join("没有/这个/文件夹.docx")).unwrap_err();
    assert_eq!(err.code(), "io");
    let err = write_docx(&doc, dir.path()).unwrap_err();
    assert_eq!(err.code(), "io");
}

/// Writes `/tmp/docx-demo/demo.docx` to look at in LibreOffice:
/// `cargo test -p feiyi-core --test it export_docx::demo -- --ignored`.
#[test]
#[ignore]
fn demo() {
    let (mut doc, _, _) = sample();
    let more: Vec<Block> = (1..=12)
        .map(|i| {
            Block::Paragraph(Paragraph::body(format!(
                "第{i}段：台儿庄泥塑以当地黏土为原料，经选泥、和泥、捏制、晾干、彩绘等工序制成，\
                 造型古朴，色彩鲜明，是鲁南地区民间美术的代表。2026年，全区共有传承人12名。"
            )))
        })
        .collect();
    doc.blocks.splice(2..2, more);
    let dir = std::path::Path::new("/tmp/docx-demo");
    std::fs::create_dir_all(dir).unwrap();
    write_docx(&doc, &dir.join("demo.docx")).unwrap();
}

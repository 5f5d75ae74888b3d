//! PDF forms (`export::pdf`) and SVG pictures (`export::raster`): the PDF is read back with
//! lopdf (pages, sizes, fonts, text), the PNG with `image`.

use feiyi_core::export::doc::{
    Block, Cell, Cover, Document, Image, ImageFormat, ParaStyle, Paragraph, Table,
};
use feiyi_core::export::pdf::{fonts, to_pdf, write_pdf};
use feiyi_core::export::raster::svg_to_png;
use lopdf::{Dictionary, Object};

/// Text that typst markup would otherwise interpret.
const SPECIAL: [&str; 10] = [
    "#井号",
    "*星号*",
    "_下划_",
    "$100",
    "[方括号]",
    "<尖括号>",
    "@提及",
    "//双斜线",
    "=等号",
    r#"反斜\杠"引号""#,
];

fn picture(format: ImageFormat, w: u32, h: u32) -> Image {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x * 255 / w) as u8, (y * 255 / h) as u8, 128])
    });
    let mut bytes = Vec::new();
    match format {
        ImageFormat::Jpeg => image::codecs::jpeg::JpegEncoder::new_with_quality(&mut bytes, 85)
            .encode_image(&img)
            .unwrap(),
        ImageFormat::Png => img
            .write_to(
                &mut std::io::Cursor::new(&mut bytes),
                image::ImageFormat::Png,
            )
            .unwrap(),
    }
    Image {
        bytes,
        format,
        width_px: w,
        height_px: h,
        max_width_mm: 80.0,
        max_height_mm: 50.0,
        caption: match format {
            ImageFormat::Jpeg => "图 1 2023 年 4 月 泥沟镇 陈泥人 捏制泥狗".into(),
            ImageFormat::Png => "图 2 泥塑作品 #2 [局部]".into(),
        },
    }
}

/// A small form with every block kind: cover + two body pages.
fn sample_document() -> Document {
    let mut blocks = vec![
        Block::Heading {
            level: 1,
            text: "一、项目基本信息".into(),
        },
        Block::Heading {
            level: 2,
            text: "（一）项目名称".into(),
        },
        Block::Paragraph(Paragraph::body(
            "台儿庄泥塑是流传于运河沿岸的民间手工技艺，传承人王喆、李镕、张堃世代相传。",
        )),
        Block::Heading {
            level: 3,
            text: "1. 历史渊源".into(),
        },
    ];
    for s in SPECIAL {
        blocks.push(Block::Paragraph(Paragraph::body(s)));
    }
    blocks.push(Block::Paragraph(Paragraph::note("注：本栏未填写。")));
    blocks.push(Block::Paragraph(Paragraph {
        text: "（居中段落）".into(),
        style: ParaStyle::Center,
    }));
    blocks.push(Block::Table(Table {
        caption: "表 1 传承谱系".into(),
        widths: vec![1, 2, 2, 1],
        header: vec![
            Cell::text("代别"),
            Cell::text("姓名"),
            Cell::text("技艺"),
            Cell::text("金额"),
        ],
        rows: vec![
            vec![
                Cell::label("第一代"),
                Cell::text("陈泥人\n（1901—1970）"),
                Cell::text("捏制"),
                Cell::amount("1,200.00"),
            ],
            vec![Cell::label("备注"), Cell::text("跨三列的说明文字").span(3)],
        ],
    }));
    blocks.push(Block::PageBreak);
    blocks.push(Block::Image(picture(ImageFormat::Jpeg, 400, 300)));
    blocks.push(Block::Image(picture(ImageFormat::Png, 300, 200)));
    blocks.push(Block::Signature(vec![
        "申报单位（盖章）：＿＿＿＿＿＿".into(),
        "2024 年 5 月 6 日".into(),
    ]));
    Document {
        title: "台儿庄泥塑 申报书".into(),
        cover: Some(Cover {
            kicker: "枣庄市级非物质文化遗产代表性项目".into(),
            title: "申报书".into(),
            fields: vec![
                ("项目名称".into(), "台儿庄泥塑".into()),
                ("申报地区或单位".into(), "台儿庄区文化和旅游局".into()),
                ("申报日期".into(), "2024 年 5 月 6 日".into()),
            ],
            footnote: "枣庄市文化和旅游局制".into(),
        }),
        blocks,
        page_numbers: true,
    }
}

/// Follows references.
fn deref<'a>(pdf: &'a lopdf::Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => pdf.get_object(*id).unwrap(),
        o => o,
    }
}

fn name(o: &Object) -> String {
    String::from_utf8_lossy(o.as_name().unwrap()).into_owned()
}

/// The font descriptors reached from a font dictionary (its own, or its descendants').
fn descriptors<'a>(pdf: &'a lopdf::Document, font: &'a Dictionary) -> Vec<&'a Dictionary> {
    let mut out = Vec::new();
    if let Ok(d) = font.get(b"FontDescriptor") {
        out.push(deref(pdf, d).as_dict().unwrap());
    }
    if let Ok(kids) = font.get(b"DescendantFonts") {
        for kid in deref(pdf, kids).as_array().unwrap() {
            out.extend(descriptors(pdf, deref(pdf, kid).as_dict().unwrap()));
        }
    }
    out
}

#[test]
fn every_block_kind_makes_an_a4_pdf_with_embedded_fonts_and_literal_text() {
    let doc = sample_document();
    let bytes = to_pdf(&doc).unwrap();
    assert!(bytes.starts_with(b"%PDF"));
    let pdf = lopdf::Document::load_mem(&bytes).unwrap();

    // Cover + page 1 (text and table) + page 2 (pictures and signature).
    let pages = pdf.get_pages();
    assert_eq!(pages.len(), 3, "pages");
    for id in pages.values() {
        let page = pdf.get_dictionary(*id).unwrap();
        let media_box = page
            .get(b"MediaBox")
            .or_else(|_| {
                let parent = page.get(b"Parent").unwrap().as_reference().unwrap();
                pdf.get_dictionary(parent).unwrap().get(b"MediaBox")
            })
            .unwrap();
        let b: Vec<f32> = deref(&pdf, media_box)
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o.as_float().unwrap())
            .collect();
        assert!(
            (b[2] - b[0] - 595.28).abs() < 0.5 && (b[3] - b[1] - 841.89).abs() < 0.5,
            "{b:?}"
        );
    }

    // Every font is embedded; the four Fandol faces are used, and the fallback for 喆 镕 堃.
    let mut base_fonts = Vec::new();
    for object in pdf.objects.values() {
        let Ok(dict) = object.as_dict() else { continue };
        if dict.get(b"Type").ok().map(name).as_deref() != Some("Font") {
            continue;
        }
        if dict.get(b"Subtype").ok().map(name).as_deref() == Some("CIDFontType0")
            || dict.get(b"Subtype").ok().map(name).as_deref() == Some("CIDFontType2")
        {
            continue; // reached through its Type0 parent
        }
        let base = name(dict.get(b"BaseFont").unwrap());
        let descs = descriptors(&pdf, dict);
        assert!(!descs.is_empty(), "{base}: no descriptor");
        for d in descs {
            assert!(
                d.has(b"FontFile2") || d.has(b"FontFile3"),
                "{base} not embedded"
            );
        }
        base_fonts.push(base);
    }
    for face in ["FandolSong", "FandolFang", "FandolHei", "FandolKai"] {
        assert!(
            base_fonts.iter().any(|b| b.contains(face)),
            "{face} not among {base_fonts:?}"
        );
    }
    assert!(
        base_fonts.iter().any(|b| b.contains("DroidSansFallback")),
        "no fallback font for 喆 镕 堃 among {base_fonts:?}"
    );

    // The text reads back: headings, the item, the special characters literally, the page
    // numbers on the body pages only.
    let text_of = |n: u32| pdf.extract_text(&[n]).unwrap();
    let cover = text_of(1);
    let body = format!("{}{}", text_of(2), text_of(3));
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    let (cover_s, body_s) = (squeeze(&cover), squeeze(&body));
    for want in [
        "枣庄市级非物质文化遗产代表性项目",
        "台儿庄泥塑",
        "申报地区或单位",
    ] {
        assert!(cover_s.contains(want), "{want} not on the cover: {cover}");
    }
    assert!(
        !cover_s.contains('—'),
        "a page number on the cover: {cover}"
    );
    for want in [
        "一、项目基本信息",
        "（一）项目名称",
        "1.历史渊源",
        "王喆、李镕、张堃",
        "注：本栏未填写。",
        "陈泥人",
        "（1901—1970）",
        "跨三列的说明文字",
        "1,200.00",
        "图1",
        "图2泥塑作品#2[局部]",
        "申报单位（盖章）",
        "—1—",
        "—2—",
    ] {
        assert!(body_s.contains(want), "{want} not in the body: {body}");
    }
    for s in SPECIAL {
        assert!(body_s.contains(&squeeze(s)), "{s} not literal: {body}");
    }
    assert!(squeeze(&text_of(2)).contains("—1—"));
}

#[test]
fn the_cover_is_optional_and_page_numbers_can_be_left_out() {
    let doc = Document {
        title: "授权书".into(),
        cover: None,
        blocks: vec![Block::Paragraph(Paragraph::body("授权内容"))],
        page_numbers: false,
    };
    let pdf = lopdf::Document::load_mem(&to_pdf(&doc).unwrap()).unwrap();
    assert_eq!(pdf.get_pages().len(), 1);
    let text = pdf.extract_text(&[1]).unwrap();
    assert!(text.contains("授权内容") && !text.contains('—'), "{text}");
}

#[test]
fn a_broken_picture_is_a_parse_error_naming_pdf_typesetting() {
    let mut img = picture(ImageFormat::Jpeg, 40, 30);
    img.bytes.truncate(20);
    let doc = Document {
        title: "t".into(),
        blocks: vec![Block::Image(img)],
        ..Default::default()
    };
    let err = to_pdf(&doc).unwrap_err();
    assert_eq!(err.code(), "parse");
    assert!(err.to_string().contains("PDF 排版"), "{err}");
}

#[test]
fn write_pdf_replaces_the_file_and_refuses_a_missing_folder() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("申报书.pdf");
    std::fs::write(&path, b"old").unwrap();
    let doc = Document {
        title: "t".into(),
        blocks: vec![Block::Heading {
            level: 1,
            text: "一、标题".into(),
        }],
        ..Default::default()
    };
    write_pdf(&doc, &path).unwrap();
    assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF"));
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1, "a temporary file was left behind");

    let err = write_pdf(&doc, &dir.path().join("无此文件夹").join("a.pdf")).unwrap_err();
    assert_eq!(err.code(), "io", "{err}");
    let err = write_pdf(&doc, dir.path()).unwrap_err();
    assert_eq!(err.code(), "io", "{err}");
}

#[test]
fn shipped_fonts_are_the_fandol_set_and_a_fallback() {
    let names: Vec<&str> = fonts().iter().map(|(n, _)| *n).collect();
    for want in [
        "FandolSong-Regular.otf",
        "FandolSong-Bold.otf",
        "FandolFang-Regular.otf",
        "FandolHei-Regular.otf",
        "FandolKai-Regular.otf",
        "DroidSansFallbackFull.ttf",
    ] {
        assert!(names.contains(&want), "{want}");
    }
    assert!(fonts().iter().all(|(_, b)| b.len() > 1_000_000));
}

#[test]
fn svg_with_chinese_text_becomes_a_png_of_the_scaled_size() {
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="200" height="60" viewBox="0 0 200 60">
  <text x="10" y="40" font-family="宋体, SimSun, serif" font-size="30" fill="#000">传承谱系</text>
  <text x="10" y="58" font-family="黑体" font-size="12" fill="#000">王喆</text>
</svg>"##;
    let (png, w, h) = svg_to_png(svg, 2.0).unwrap();
    assert_eq!((w, h), (400, 120));
    let img = image::load_from_memory(&png).unwrap().to_luma8();
    assert_eq!(img.dimensions(), (400, 120));
    let dark = |x0: u32, x1: u32, y0: u32, y1: u32| {
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| img.get_pixel(x, y).0[0] < 128)
            .count()
    };
    // Four characters of 30 units from x = 10 → pixels 20..260, baseline at 80.
    assert!(dark(20, 260, 20, 90) > 2000, "no text drawn");
    assert_eq!(dark(300, 400, 0, 120), 0, "ink where there is no text");
    // The rare character 喆 (not in Fandol) is drawn too: the second line has ink in its
    // second character's cell (x 44..68, y 92..118).
    assert!(dark(44, 68, 92, 118) > 20, "喆 not drawn");
}

/// Renders a realistic ~25-page form to `/tmp/pdf-demo/demo.pdf` (or `$FEIYI_PDF_DEMO`) and
/// prints how long it took, for looking at the pages (`pdftoppm -png -r 60 …`).
#[test]
#[ignore = "writes a demo PDF for eyes; run with --ignored"]
fn demo_pdf_for_eyes() {
    let dir = std::env::var("FEIYI_PDF_DEMO").unwrap_or_else(|_| "/tmp/pdf-demo".into());
    std::fs::create_dir_all(&dir).unwrap();
    let mut doc = sample_document();
    doc.blocks.pop();
    let para =
        "台儿庄泥塑起源于明代运河漕运兴盛之时，艺人以当地黏土为原料，经选土、捶泥、捏塑、阴干、\
                彩绘等工序制成泥狗、泥猴、泥人等作品，造型古朴，色彩鲜明，寓意吉祥，\
                深受群众喜爱。“泥塑”（ní sù）技艺口传心授，2023 年共收徒 12 人。";
    for chapter in [
        "二、项目说明",
        "三、传承情况",
        "四、保护计划",
        "五、相关资料",
    ] {
        doc.blocks.push(Block::PageBreak);
        doc.blocks.push(Block::Heading {
            level: 1,
            text: chapter.into(),
        });
        for k in 1..=3 {
            doc.blocks.push(Block::Heading {
                level: 2,
                text: format!("（{k}）分项"),
            });
            for _ in 0..4 {
                doc.blocks.push(Block::Paragraph(Paragraph::body(para)));
            }
        }
        doc.blocks.push(Block::Table(Table {
            caption: format!("表 {chapter} 经费预算"),
            widths: vec![1, 3, 1],
            header: vec![
                Cell::text("序号"),
                Cell::text("用途"),
                Cell::text("金额（元）"),
            ],
            rows: (1..=12)
                .map(|i| {
                    vec![
                        Cell::label(i.to_string()),
                        Cell::text(format!("传习活动第 {i} 期：场地、材料、\n讲课费")),
                        Cell::amount(format!("{},000.00", i * 3)),
                    ]
                })
                .collect(),
        }));
        for i in 0..3 {
            let mut p = picture(ImageFormat::Jpeg, 1600, 1200);
            p.max_width_mm = 150.0;
            p.max_height_mm = 95.0;
            p.caption = format!("图 {i} 2023 年 4 月 泥沟镇 陈泥人 捏制泥狗（王喆 摄）");
            doc.blocks.push(Block::Image(p));
        }
    }
    doc.blocks.push(Block::Signature(vec![
        "申报单位（盖章）：＿＿＿＿＿＿".into(),
        "2024 年 5 月 6 日".into(),
    ]));
    let started = std::time::Instant::now();
    let bytes = to_pdf(&doc).unwrap();
    let first = started.elapsed();
    let started = std::time::Instant::now();
    let bytes2 = to_pdf(&doc).unwrap();
    let second = started.elapsed();
    assert_eq!(bytes.len(), bytes2.len());
    let pages = lopdf::Document::load_mem(&bytes).unwrap().get_pages().len();
    std::fs::write(format!("{dir}/demo.pdf"), &bytes).unwrap();
    let svg = r##"<svg xmlns="http://www.w3.org/2000/svg" width="300" height="120"><rect x="5" y="5" width="290" height="110" fill="none" stroke="#333"/><text x="20" y="50" font-family="宋体" font-size="24">第一代 陈泥人</text><text x="20" y="95" font-family="黑体" font-size="24">第二代 王喆 李镕</text></svg>"##;
    let (png, _, _) = svg_to_png(svg, 2.0).unwrap();
    std::fs::write(format!("{dir}/lineage.png"), png).unwrap();
    println!(
        "{pages} pages, {} KB, first {first:?}, again {second:?}",
        bytes.len() / 1024
    );
}

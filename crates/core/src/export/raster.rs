//! SVG → PNG with resvg (the version typst already builds), text set in the shipped fonts.
//!
//! Used for drawings the application makes as SVG (the lineage chart) and needs as a picture
//! in DOCX/PDF forms. Only the fonts of `assets/fonts` are known (no system fonts), so the
//! picture looks the same on every machine; the family names a drawing asks for are mapped:
//! 宋体 / SimSun / serif → FandolSong, 黑体 / SimHei / sans-serif → FandolHei,
//! 仿宋 → FandolFang, 楷体 → FandolKai; characters the Fandol fonts lack come from
//! Droid Sans Fallback. Pictures referenced by the SVG are not loaded from disk.

use super::pdf::{family, fonts};
use crate::error::{Error, Result};
use resvg::tiny_skia;
use resvg::usvg::{self, fontdb, FontFamily, FontStretch, FontStyle};
use std::sync::{Arc, OnceLock};

/// 仿宋 as fontdb names it (the typographic family; typst reads the legacy `FandolFang R`).
const FANG: &str = "FandolFang";

/// Largest picture made, in pixels (width × height), so a wrong scale cannot exhaust memory.
const MAX_PIXELS: u64 = 120_000_000;

/// Rasterises an SVG (text set in the shipped fonts: font-family names as the SVG gives them,
/// map "宋体"/"SimSun"/"serif" → Fandol Song, "黑体"/"SimHei"/"sans-serif" → Fandol Hei,
/// "仿宋" → Fandol Fang, "楷体" → Fandol Kai) at `scale` (1.0 = 1 px per SVG user unit) to
/// PNG bytes on a white background, returning (png, width_px, height_px).
pub fn svg_to_png(svg: &str, scale: f32) -> Result<(Vec<u8>, u32, u32)> {
    let fail = |detail: String| Error::Parse {
        what: "SVG 图".into(),
        detail,
    };
    if !(scale.is_finite() && scale > 0.0) {
        return Err(fail(format!("缩放比例无效：{scale}")));
    }
    let options = usvg::Options {
        font_family: family::SONG.into(),
        languages: vec!["zh-CN".into(), "en".into()],
        fontdb: database(),
        font_resolver: usvg::FontResolver {
            select_font: Box::new(select_font),
            select_fallback: usvg::FontResolver::default_fallback_selector(),
        },
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(svg, &options).map_err(|e| fail(e.to_string()))?;
    let size = tree.size();
    let width = (size.width() * scale).ceil();
    let height = (size.height() * scale).ceil();
    if !(width >= 1.0 && height >= 1.0) || (width as u64) * (height as u64) > MAX_PIXELS {
        return Err(fail(format!("图片尺寸不合适：{width} × {height} 像素")));
    }
    let (width, height) = (width as u32, height as u32);
    let mut pixmap = tiny_skia::Pixmap::new(width, height)
        .ok_or_else(|| fail(format!("无法分配 {width} × {height} 像素的图片")))?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let png = pixmap.encode_png().map_err(|e| fail(e.to_string()))?;
    Ok((png, width, height))
}

/// The shipped fonts as a font database, loaded once (the bytes are not copied).
fn database() -> Arc<fontdb::Database> {
    static DB: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DB.get_or_init(|| {
        let mut db = fontdb::Database::new();
        for (_, data) in fonts() {
            let data: &'static [u8] = data;
            db.load_font_source(fontdb::Source::Binary(Arc::new(data)));
        }
        db.set_serif_family(family::SONG);
        db.set_sans_serif_family(family::HEI);
        db.set_cursive_family(family::KAI);
        db.set_fantasy_family(family::KAI);
        db.set_monospace_family(family::HEI);
        Arc::new(db)
    })
    .clone()
}

/// The shipped family for a family name a drawing may ask for (Windows, macOS and generic
/// Chinese names); other names are kept (they may name a shipped font directly).
fn map_family(name: &str) -> &str {
    let lower = name.trim().to_lowercase();
    match lower.as_str() {
        "宋体"
        | "simsun"
        | "nsimsun"
        | "新宋体"
        | "songti sc"
        | "stsong"
        | "华文宋体"
        | "宋体-简"
        | "noto serif sc"
        | "noto serif cjk sc"
        | "source han serif sc"
        | "思源宋体"
        | "serif" => family::SONG,
        "黑体" | "simhei" | "heiti sc" | "stheiti" | "华文黑体" | "黑体-简" | "微软雅黑"
        | "microsoft yahei" | "pingfang sc" | "苹方" | "noto sans sc" | "noto sans cjk sc"
        | "source han sans sc" | "思源黑体" | "sans-serif" => family::HEI,
        "仿宋" | "仿宋_gb2312" | "fangsong" | "fangsong_gb2312" | "stfangsong" | "华文仿宋"
        | "fandolfang r" => FANG,
        "楷体" | "楷体_gb2312" | "kaiti" | "kaiti_gb2312" | "kaiti sc" | "stkaiti" | "华文楷体" => {
            family::KAI
        }
        _ => name,
    }
}

fn select_font(font: &usvg::Font, db: &mut Arc<fontdb::Database>) -> Option<fontdb::ID> {
    let mut families: Vec<fontdb::Family> = font
        .families()
        .iter()
        .map(|f| match f {
            FontFamily::Serif => fontdb::Family::Serif,
            FontFamily::SansSerif => fontdb::Family::SansSerif,
            FontFamily::Cursive => fontdb::Family::Cursive,
            FontFamily::Fantasy => fontdb::Family::Fantasy,
            FontFamily::Monospace => fontdb::Family::Monospace,
            FontFamily::Named(name) => fontdb::Family::Name(map_family(name)),
        })
        .collect();
    families.push(fontdb::Family::Name(family::SONG));
    let stretch = match font.stretch() {
        FontStretch::UltraCondensed => fontdb::Stretch::UltraCondensed,
        FontStretch::ExtraCondensed => fontdb::Stretch::ExtraCondensed,
        FontStretch::Condensed => fontdb::Stretch::Condensed,
        FontStretch::SemiCondensed => fontdb::Stretch::SemiCondensed,
        FontStretch::Normal => fontdb::Stretch::Normal,
        FontStretch::SemiExpanded => fontdb::Stretch::SemiExpanded,
        FontStretch::Expanded => fontdb::Stretch::Expanded,
        FontStretch::ExtraExpanded => fontdb::Stretch::ExtraExpanded,
        FontStretch::UltraExpanded => fontdb::Stretch::UltraExpanded,
    };
    let style = match font.style() {
        FontStyle::Normal => fontdb::Style::Normal,
        FontStyle::Italic => fontdb::Style::Italic,
        FontStyle::Oblique => fontdb::Style::Oblique,
    };
    db.query(&fontdb::Query {
        families: &families,
        weight: fontdb::Weight(font.weight()),
        stretch,
        style,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_and_generic_names_map_to_shipped_families() {
        assert_eq!(map_family("宋体"), family::SONG);
        assert_eq!(map_family(" SimHei "), family::HEI);
        assert_eq!(map_family("仿宋_GB2312"), FANG);
        assert_eq!(map_family("楷体"), family::KAI);
        assert_eq!(map_family("FandolKai"), "FandolKai");
    }

    #[test]
    fn every_mapped_family_is_in_the_database() {
        let db = database();
        for (asked, file) in [
            ("宋体", "FandolSong-Regular"),
            ("黑体", "FandolHei-Regular"),
            ("仿宋", "FandolFang-Regular"),
            ("楷体", "FandolKai-Regular"),
        ] {
            let id = db
                .query(&fontdb::Query {
                    families: &[fontdb::Family::Name(map_family(asked))],
                    ..Default::default()
                })
                .unwrap_or_else(|| {
                    panic!(
                        "{asked}: {:?}",
                        db.faces().map(|f| &f.families).collect::<Vec<_>>()
                    )
                });
            assert_eq!(db.face(id).unwrap().post_script_name, file);
        }
    }

    #[test]
    fn a_bad_scale_or_svg_is_refused() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>"#;
        assert_eq!(svg_to_png(svg, 0.0).unwrap_err().code(), "parse");
        assert_eq!(svg_to_png("<svg", 1.0).unwrap_err().code(), "parse");
        let (png, w, h) = svg_to_png(svg, 2.0).unwrap();
        assert!(png.starts_with(b"\x89PNG") && w == 20 && h == 20);
    }
}

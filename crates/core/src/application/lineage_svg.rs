//! The lineage drawing (传承谱系图) of an application: generations from top to bottom, one
//! box per person, a line from each master to each apprentice. Drawn as SVG with the Chinese
//! text set in 宋体/黑体; `export::raster` turns it into the PNG placed in the 申报书.

use crate::model::Lineage;
use crate::reference::chinese_number;
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Box width, height and gaps, in SVG units (1 unit = 1 px at scale 1).
const BOX_W: f64 = 112.0;
const BOX_H: f64 = 48.0;
const GAP_X: f64 = 24.0;
const GAP_Y: f64 = 56.0;
const LABEL_W: f64 = 84.0;
const MARGIN: f64 = 16.0;

/// A drawing, ready to rasterise.
#[derive(Debug, Clone)]
pub struct Drawing {
    /// The SVG text.
    pub svg: String,
    /// Its width in SVG units.
    pub width: f64,
    /// Its height in SVG units.
    pub height: f64,
}

/// Chinese ordinal of a generation: 第一代, 第十二代.
pub fn generation_label(g: i64) -> String {
    format!("第{}代", chinese_number(g))
}

fn escape(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            _ => c.to_string(),
        })
        .collect()
}

/// Draws the lineage; `None` when it has nobody in it.
pub fn draw(lineage: &Lineage) -> Option<Drawing> {
    if lineage.table.is_empty() {
        return None;
    }
    // Generations in order, people in table order within each.
    let mut rows: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
    for (i, r) in lineage.table.iter().enumerate() {
        rows.entry(r.generation).or_default().push(i);
    }
    // Order each generation under its masters (mean position of the masters above), so the
    // lines cross as little as a simple drawing can manage.
    let mut x_of: BTreeMap<&str, f64> = BTreeMap::new();
    let mut order: Vec<(i64, Vec<usize>)> = Vec::new();
    for (g, people) in rows {
        let mut keyed: Vec<(f64, usize, usize)> = people
            .iter()
            .enumerate()
            .map(|(pos, &i)| {
                let id = lineage.table[i].inheritor_id.as_str();
                let masters: Vec<f64> = lineage
                    .edges
                    .iter()
                    .filter(|e| e.apprentice_id == id)
                    .filter_map(|e| x_of.get(e.master_id.as_str()).copied())
                    .collect();
                let key = if masters.is_empty() {
                    f64::MAX
                } else {
                    masters.iter().sum::<f64>() / masters.len() as f64
                };
                (key, pos, i)
            })
            .collect();
        keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let sorted: Vec<usize> = keyed.into_iter().map(|k| k.2).collect();
        for (pos, &i) in sorted.iter().enumerate() {
            x_of.insert(lineage.table[i].inheritor_id.as_str(), pos as f64);
        }
        order.push((g, sorted));
    }
    let widest = order.iter().map(|(_, p)| p.len()).max().unwrap_or(1) as f64;
    let inner_w = widest * BOX_W + (widest - 1.0) * GAP_X;
    let width = MARGIN * 2.0 + LABEL_W + inner_w;
    let height = MARGIN * 2.0 + order.len() as f64 * BOX_H + (order.len() as f64 - 1.0) * GAP_Y;

    // Box centres.
    let mut centre: BTreeMap<&str, (f64, f64)> = BTreeMap::new();
    for (row, (_, people)) in order.iter().enumerate() {
        let n = people.len() as f64;
        let row_w = n * BOX_W + (n - 1.0) * GAP_X;
        let x0 = MARGIN + LABEL_W + (inner_w - row_w) / 2.0;
        let y = MARGIN + row as f64 * (BOX_H + GAP_Y);
        for (pos, &i) in people.iter().enumerate() {
            let cx = x0 + pos as f64 * (BOX_W + GAP_X) + BOX_W / 2.0;
            centre.insert(
                lineage.table[i].inheritor_id.as_str(),
                (cx, y + BOX_H / 2.0),
            );
        }
    }

    let mut svg = String::new();
    let _ = write!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}"><rect width="100%" height="100%" fill="#ffffff"/>"##
    );
    // Lines first, under the boxes: master's bottom edge to apprentice's top edge.
    for e in &lineage.edges {
        if let (Some(&(mx, my)), Some(&(ax, ay))) = (
            centre.get(e.master_id.as_str()),
            centre.get(e.apprentice_id.as_str()),
        ) {
            let (y1, y2) = (my + BOX_H / 2.0, ay - BOX_H / 2.0);
            let dash = if e.kind == "师徒" {
                ""
            } else {
                r#" stroke-dasharray="5 3""#
            };
            if y2 > y1 {
                let mid = (y1 + y2) / 2.0;
                let _ = write!(
                    svg,
                    r##"<path d="M{mx} {y1} V{mid} H{ax} V{y2}" fill="none" stroke="#333333" stroke-width="1.5"{dash}/>"##
                );
            } else {
                // Same or inverted generation (data as entered): a straight line.
                let _ = write!(
                    svg,
                    r##"<line x1="{mx}" y1="{my}" x2="{ax}" y2="{ay}" stroke="#333333" stroke-width="1.5"{dash}/>"##
                );
            }
        }
    }
    for (row, (g, people)) in order.iter().enumerate() {
        let y = MARGIN + row as f64 * (BOX_H + GAP_Y);
        let _ = write!(
            svg,
            r##"<text x="{}" y="{}" font-family="SimHei" font-size="15" fill="#000000">{}</text>"##,
            MARGIN,
            y + BOX_H / 2.0 + 5.0,
            escape(&generation_label(*g))
        );
        for &i in people {
            let r = &lineage.table[i];
            let Some(&(cx, cy)) = centre.get(r.inheritor_id.as_str()) else {
                continue;
            };
            let sub = match (r.birth_year, r.sex.as_deref()) {
                (Some(y), Some(s)) => format!("{s} · {y}年生"),
                (Some(y), None) => format!("{y}年生"),
                (None, Some(s)) => s.to_string(),
                (None, None) => String::new(),
            };
            let _ = write!(
                svg,
                r##"<rect x="{}" y="{}" width="{BOX_W}" height="{BOX_H}" rx="4" fill="#f7f7f7" stroke="#333333" stroke-width="1.2"/>"##,
                cx - BOX_W / 2.0,
                cy - BOX_H / 2.0
            );
            let name_y = if sub.is_empty() { cy + 6.0 } else { cy - 1.0 };
            let _ = write!(
                svg,
                r##"<text x="{cx}" y="{name_y}" text-anchor="middle" font-family="SimSun" font-size="16" fill="#000000">{}</text>"##,
                escape(&r.name)
            );
            if !sub.is_empty() {
                let _ = write!(
                    svg,
                    r##"<text x="{cx}" y="{}" text-anchor="middle" font-family="SimSun" font-size="11" fill="#444444">{}</text>"##,
                    cy + 16.0,
                    escape(&sub)
                );
            }
        }
    }
    svg.push_str("</svg>");
    Some(Drawing { svg, width, height })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{LineageEdge, LineageRow};

    fn row(g: i64, id: &str, name: &str) -> LineageRow {
        LineageRow {
            generation: g,
            inheritor_id: id.into(),
            name: name.into(),
            sex: Some("男".into()),
            birth_year: Some(1950 + g),
            how_learned: "师徒".into(),
            period: String::new(),
        }
    }

    fn edge(m: &str, a: &str) -> LineageEdge {
        LineageEdge {
            id: None,
            item_id: "i".into(),
            master_id: m.into(),
            master_name: String::new(),
            apprentice_id: a.into(),
            apprentice_name: String::new(),
            kind: "师徒".into(),
            generation: None,
            from_year: None,
            to_year: None,
            evidence: None,
        }
    }

    #[test]
    fn generations_are_named_in_chinese() {
        assert_eq!(generation_label(1), "第一代");
        assert_eq!(generation_label(10), "第十代");
        assert_eq!(generation_label(12), "第十二代");
        assert_eq!(generation_label(20), "第二十代");
        assert_eq!(generation_label(35), "第三十五代");
    }

    #[test]
    fn a_lineage_is_drawn_with_one_box_per_person_and_a_line_per_edge() {
        let lineage = Lineage {
            item_id: "i".into(),
            edges: vec![edge("a", "b"), edge("a", "c"), edge("b", "d")],
            table: vec![
                row(1, "a", "陈<泥>人"),
                row(2, "b", "陈小泥"),
                row(2, "c", "王二"),
                row(3, "d", "李三"),
            ],
        };
        let d = draw(&lineage).unwrap();
        assert_eq!(d.svg.matches("<rect x=").count(), 4);
        assert_eq!(d.svg.matches("<path ").count(), 3);
        assert!(d.svg.contains("陈&lt;泥&gt;人"));
        assert!(d.svg.contains("第三代"));
        assert!(d.width > 2.0 * BOX_W && d.height > 3.0 * BOX_H);
        assert!(draw(&Lineage {
            item_id: "i".into(),
            edges: vec![],
            table: vec![]
        })
        .is_none());
    }
}

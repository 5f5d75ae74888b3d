//! Statistics tables (`Registry::statistics`) as document tables, with the rows that name
//! a confidential item folded away.

use crate::application::forms::yuan;
use crate::export::doc::{Cell, Table};
use crate::model::{StatCell, StatRow, StatTable};
use std::collections::BTreeSet;

/// A number of a statistics cell as the document prints it: amounts (元 tables) with two
/// decimals and thousands separators, counts as whole numbers.
fn number_text(v: f64, money: bool) -> String {
    if money {
        yuan((v * 100.0).round() as i64)
    } else if v.fract() == 0.0 {
        format!("{}", v as i64)
    } else {
        format!("{v:.1}")
    }
}

fn cell_text(c: &StatCell, money: bool) -> String {
    match c {
        StatCell::Number(v) => number_text(*v, money),
        StatCell::Text(t) => t.clone(),
    }
}

/// Folds the rows of a statistics table that name a confidential item into one
/// `涉密项目N项` row (numbers summed), or — in a table without numbers — drops them and
/// says how many in a note. The 合计 row is left as it is: they are counted.
pub fn redact(t: &StatTable, confidential: &BTreeSet<String>) -> StatTable {
    let secret = |r: &StatRow| {
        r.target
            .as_ref()
            .is_some_and(|g| g.kind == "item" && confidential.contains(&g.id))
    };
    let hidden: Vec<&StatRow> = t.rows.iter().filter(|r| secret(r)).collect();
    if hidden.is_empty() {
        return t.clone();
    }
    let n = hidden.len();
    let mut out = t.clone();
    out.rows.retain(|r| !secret(r));
    let numeric = hidden
        .iter()
        .any(|r| r.cells.iter().any(|c| matches!(c, StatCell::Number(_))));
    if numeric {
        let width = t.columns.len().max(hidden[0].cells.len());
        let mut cells = Vec::with_capacity(width);
        for col in 0..width {
            if col == 0 {
                cells.push(StatCell::Text(format!("涉密项目{n}项")));
                continue;
            }
            let nums: Vec<f64> = hidden
                .iter()
                .filter_map(|r| match r.cells.get(col) {
                    Some(StatCell::Number(v)) => Some(*v),
                    _ => None,
                })
                .collect();
            if nums.is_empty() {
                cells.push(StatCell::Text(String::new()));
            } else {
                cells.push(StatCell::Number(nums.iter().sum()));
            }
        }
        let row = StatRow {
            cells,
            target: None,
            total: false,
            highlight: false,
        };
        let at = out
            .rows
            .iter()
            .position(|r| r.total)
            .unwrap_or(out.rows.len());
        out.rows.insert(at, row);
    } else {
        out.notes
            .push(format!("另有涉密项目{n}项，按规定不列名称。"));
    }
    out
}

/// A statistics table as a document table: the header row repeated on each page, the 合计
/// row in label cells, amounts right-aligned; column widths from the longest text of each
/// column. The caption is `表N　title（单位：…）`.
pub fn stat_table(t: &StatTable, number: usize) -> Table {
    let money = t.unit == "元";
    let cols = t
        .columns
        .len()
        .max(t.rows.iter().map(|r| r.cells.len()).max().unwrap_or(0))
        .max(1);
    let texts: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| {
            (0..cols)
                .map(|i| {
                    r.cells
                        .get(i)
                        .map(|c| cell_text(c, money))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let widths = (0..cols)
        .map(|i| {
            // A header's characters plus one, so a short header does not wrap.
            let longest = texts
                .iter()
                .map(|r| r[i].chars().count())
                .chain(t.columns.get(i).map(|h| h.chars().count() + 1))
                .max()
                .unwrap_or(2);
            longest.clamp(3, 14) as u32
        })
        .collect();
    let rows = t
        .rows
        .iter()
        .zip(texts)
        .map(|(r, texts)| {
            texts
                .into_iter()
                .enumerate()
                .map(|(i, s)| {
                    let numeric = matches!(r.cells.get(i), Some(StatCell::Number(_)));
                    match (r.total, numeric) {
                        (_, true) => Cell::amount(s),
                        (true, false) => Cell::label(s),
                        (false, false) => Cell::text(s),
                    }
                })
                .collect()
        })
        .collect();
    Table {
        caption: format!("表{number}　{}（单位：{}）", t.title, t.unit),
        widths,
        header: (0..cols)
            .map(|i| Cell::label(t.columns.get(i).cloned().unwrap_or_default()))
            .collect(),
        rows,
    }
}

/// The number in column `col` of the row labelled `label` (the 合计 row for `合计`).
pub(super) fn stat_number(t: &StatTable, label: &str, col: usize) -> Option<f64> {
    t.rows
        .iter()
        .find(|r| matches!(r.cells.first(), Some(StatCell::Text(s)) if s == label))
        .and_then(|r| match r.cells.get(col) {
            Some(StatCell::Number(v)) => Some(*v),
            _ => None,
        })
}

/// A count cell as a whole number (0 when absent).
pub(super) fn count(v: Option<f64>) -> i64 {
    v.map(|v| v.round() as i64).unwrap_or(0)
}

/// An amount cell in 元 as fen (0 when absent).
pub(super) fn fen(v: Option<f64>) -> i64 {
    v.map(|v| (v * 100.0).round() as i64).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::FindingTarget;

    fn row(cells: Vec<StatCell>, item: Option<&str>, total: bool) -> StatRow {
        StatRow {
            cells,
            target: item.map(|id| FindingTarget {
                kind: "item".into(),
                id: id.into(),
                field: None,
            }),
            total,
            highlight: false,
        }
    }

    #[test]
    fn confidential_rows_are_folded_or_counted_in_a_note() {
        let t = |s: &str| StatCell::Text(s.into());
        let n = StatCell::Number;
        let funds = StatTable {
            key: "funds_by_item".into(),
            title: "2025年保护经费按项目统计".into(),
            unit: "元".into(),
            chart: crate::model::ChartKind::GroupedBar,
            columns: vec![
                "项目编号".into(),
                "项目名称".into(),
                "计划金额".into(),
                "实际支出".into(),
            ],
            rows: vec![
                row(vec![t("Ⅰ-1"), t("公开"), n(10.0), n(5.0)], Some("a"), false),
                row(
                    vec![t("Ⅰ-2"), t("秘密甲"), n(20.0), n(1.5)],
                    Some("b"),
                    false,
                ),
                row(
                    vec![t("Ⅰ-3"), t("秘密乙"), n(30.0), n(2.0)],
                    Some("c"),
                    false,
                ),
                row(vec![t("合计"), t(""), n(60.0), n(8.5)], None, true),
            ],
            notes: vec![],
            omitted: 0,
        };
        let secret: BTreeSet<String> = ["b".to_string(), "c".to_string()].into();
        let r = redact(&funds, &secret);
        let names: Vec<String> = r
            .rows
            .iter()
            .map(|r| cell_text(&r.cells[1], true))
            .collect();
        assert!(!names.iter().any(|n| n.contains("秘密")), "{names:?}");
        assert_eq!(r.rows.len(), 3);
        assert_eq!(r.rows[1].cells[0], t("涉密项目2项"));
        assert_eq!(r.rows[1].cells[2], n(50.0));
        assert_eq!(r.rows[1].cells[3], n(3.5));
        assert!(r.rows[2].total);
        let table = stat_table(&r, 3);
        assert_eq!(table.caption, "表3　2025年保护经费按项目统计（单位：元）");
        assert_eq!(table.rows[2][2].text, "60.00");
        assert!(table.rows[2][0].label && table.rows[2][2].right);

        let list = StatTable {
            key: "at_risk".into(),
            columns: vec!["项目编号".into(), "项目名称".into()],
            rows: vec![
                row(vec![t("Ⅰ-2"), t("秘密甲")], Some("b"), false),
                row(vec![t("Ⅰ-1"), t("公开")], Some("a"), false),
            ],
            ..funds.clone()
        };
        let r = redact(&list, &secret);
        assert_eq!(r.rows.len(), 1);
        assert_eq!(
            r.notes,
            vec!["另有涉密项目1项，按规定不列名称。".to_string()]
        );
    }
}

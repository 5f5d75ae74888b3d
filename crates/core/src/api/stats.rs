//! Statistics (统计): the tables of the 统计 page, and the same tables as spreadsheets —
//! one table, or the whole 年度工作统计表 workbook (see [`crate::stats`] for the rules
//! and [`crate::export::xlsx`] for the writer).

use super::Registry;
use crate::db;
use crate::error::{Error, Result};
use crate::export::xlsx::{self, display_width, Cell, ReportColumn, ReportRow, ReportSheet};
use crate::lunar::{self, FeiyiMonth};
use crate::model::*;
use crate::stats::{self, Period};
use chrono::{Datelike, NaiveDate};
use std::path::Path;

/// Name of the workbook's first sheet.
const CONTENTS: &str = "目录";

/// How an exported sheet names the registry: `台儿庄区…`, or `示例 …` for the sample.
fn title_prefix(kind: RegistryKind, title: &str) -> String {
    match kind {
        RegistryKind::Sample => "示例 ".into(),
        RegistryKind::Real => stats::district_of(title),
    }
}

/// A column width for `values` (the header and every cell of the column), in character
/// units, between 8 and 40.
fn width_of<'a>(values: impl Iterator<Item = &'a str>) -> f64 {
    let w = values.map(display_width).max().unwrap_or(0) + 2;
    w.clamp(8, 40) as f64
}

/// Widens narrow tables (two columns of short labels) in proportion so that the title,
/// merged across the columns in 16-point type, is not cut off on screen or on paper.
fn fit_title(mut columns: Vec<ReportColumn>, title: &str) -> Vec<ReportColumn> {
    // Column widths are in units of the body font's digit; a 16-point CJK character takes
    // about three of them, and display_width counts it as two.
    let needed = display_width(title) as f64 * 1.5 + 4.0;
    let total: f64 = columns.iter().map(|c| c.width).sum();
    if total > 0.0 && total < needed {
        let scale = needed / total;
        for c in &mut columns {
            c.width = (c.width * scale).ceil();
        }
    }
    columns
}

fn cell_text(c: &StatCell) -> String {
    match c {
        StatCell::Text(s) => s.clone(),
        StatCell::Number(n) => format!("{n:.2}"),
    }
}

/// One statistics table as a sheet of the 年度工作统计表.
fn sheet_of(t: &StatTable, name: String, prefix: &str, as_of: NaiveDate) -> ReportSheet {
    let money = t.unit == "元";
    let columns = t
        .columns
        .iter()
        .enumerate()
        .map(|(i, h)| {
            let texts: Vec<String> = t
                .rows
                .iter()
                .filter_map(|r| r.cells.get(i))
                .map(cell_text)
                .collect();
            ReportColumn {
                header: h.clone(),
                width: width_of(
                    std::iter::once(h.as_str()).chain(texts.iter().map(String::as_str)),
                ),
                decimals: if money { 2 } else { 0 },
            }
        })
        .collect();
    let columns = fit_title(columns, &format!("{prefix}{}", t.title));
    let mut rows: Vec<ReportRow> = t
        .rows
        .iter()
        .map(|r| ReportRow {
            cells: r
                .cells
                .iter()
                .map(|c| match c {
                    StatCell::Number(n) => Cell::Number(*n),
                    StatCell::Text(s) => Cell::from(s.as_str()),
                })
                .collect(),
            bold: r.total,
            shaded: r.highlight,
        })
        .collect();
    if rows.is_empty() {
        let mut cells = vec![Cell::from("（无）")];
        cells.resize(t.columns.len().max(1), Cell::Empty);
        rows.push(ReportRow {
            cells,
            bold: false,
            shaded: false,
        });
    }
    ReportSheet {
        name,
        title: format!("{prefix}{}", t.title),
        lines: vec![format!(
            "计量单位：{}　　数据截至：{}",
            t.unit,
            stats::chinese_date(as_of)
        )],
        columns,
        rows,
        notes: t.notes.clone(),
    }
}

/// The absolute form of `path` (as written), for the summary.
fn absolute(path: &Path) -> String {
    std::path::absolute(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}

impl Registry {
    /// The statistics tables as of today (Beijing); the per-year tables are of
    /// `q.year` (default: this year). Years outside 1949–2100 are refused.
    /// Every row of every table (the exports, the annual report and the CLI use it).
    pub fn statistics(&self, q: &StatsQuery) -> Result<Statistics> {
        Ok(self.statistics_on(q)?.0)
    }

    /// [`Registry::statistics`] for the 统计 page: a long table keeps its first
    /// [`stats::PAGE_ROWS`] rows (and its 合计 row) and says how many it left out, so a
    /// province's 90,000 at-risk items do not cross to the window.
    pub fn statistics_page(&self, q: &StatsQuery) -> Result<Statistics> {
        let mut s = self.statistics_on(q)?.0;
        s.tables.iter_mut().for_each(stats::cut_for_page);
        Ok(s)
    }

    /// [`Registry::statistics`] with the day it is of.
    fn statistics_on(&self, q: &StatsQuery) -> Result<(Statistics, NaiveDate)> {
        let as_of = self.beijing_today();
        let year = q.year.unwrap_or_else(|| i64::from(as_of.year()));
        let refused = || {
            Error::field(
                "year",
                format!(
                    "统计年度应在 {} 到 {} 年之间（收到：{year}）",
                    stats::YEARS.start(),
                    stats::YEARS.end()
                ),
            )
        };
        if !stats::YEARS.contains(&year) {
            return Err(refused());
        }
        let y = i32::try_from(year).map_err(|_| refused())?;
        let this = lunar::feiyi_month(y)?;
        // The 非遗月 of the year before ends in its own year, the next one starts in the
        // next year (lunar.rs); all three are looked at so the rule lives in one place.
        let feiyi: Vec<FeiyiMonth> = [y - 1, y, y + 1]
            .into_iter()
            .filter_map(|sy| lunar::feiyi_month(sy).ok())
            .filter(|m| m.start.year() <= y && y <= m.end.year())
            .collect();
        let facts = db::stats::facts(&self.conn, &self.template()?, y)?;
        let tables = stats::tables(
            &facts,
            Period {
                as_of,
                year: y,
                feiyi: &feiyi,
            },
        );
        let s = Statistics {
            as_of: as_of.format("%Y-%m-%d").to_string(),
            year,
            feiyi_month: Some(FeiyiMonthInfo {
                year,
                start: this.start.format("%Y-%m-%d").to_string(),
                end: this.end.format("%Y-%m-%d").to_string(),
            }),
            tables,
        };
        Ok((s, as_of))
    }

    /// How exported titles name this registry (`台儿庄区`, or `示例 ` for the sample).
    fn stats_prefix(&self) -> Result<String> {
        Ok(title_prefix(self.kind()?, &self.info()?.title))
    }

    /// Writes one statistics table (`key`, e.g. `items_by_level`) as a one-sheet XLSX
    /// file at `path` (must end with `.xlsx`), atomically. An unknown key is refused.
    pub fn stats_export_table(
        &self,
        q: &StatsQuery,
        key: &str,
        path: &Path,
    ) -> Result<StatsExport> {
        if !stats::TABLE_KEYS.contains(&key) {
            return Err(Error::field(
                "key",
                format!(
                    "没有这个统计表：{key}（可选：{}）",
                    stats::TABLE_KEYS.join("、")
                ),
            ));
        }
        let (s, as_of) = self.statistics_on(q)?;
        let prefix = self.stats_prefix()?;
        let Some(t) = s.tables.iter().find(|t| t.key == key) else {
            return Err(Error::field("key", format!("没有这个统计表：{key}")));
        };
        let name = xlsx::sheet_name(&t.title, &[]);
        let sheet = sheet_of(t, name.clone(), &prefix, as_of);
        xlsx::write_workbook(&[sheet], path)?;
        Ok(StatsExport {
            path: absolute(path),
            sheets: vec![name],
        })
    }

    /// Writes the 年度工作统计表: a 目录 sheet (the registry, a blank 填报单位（盖章） line,
    /// the year, the day of the data and the list of sheets), then one sheet per
    /// statistics table, to `path` (must end with `.xlsx`), atomically.
    pub fn stats_export_workbook(&self, q: &StatsQuery, path: &Path) -> Result<StatsExport> {
        let (s, as_of) = self.statistics_on(q)?;
        let prefix = self.stats_prefix()?;
        let mut names = vec![CONTENTS.to_string()];
        let mut sheets = Vec::with_capacity(s.tables.len() + 1);
        let mut contents = Vec::new();
        for (i, t) in s.tables.iter().enumerate() {
            let name = xlsx::sheet_name(&format!("表{} {}", i + 1, t.title), &names);
            names.push(name.clone());
            let sheet = sheet_of(t, name.clone(), &prefix, as_of);
            contents.push(ReportRow {
                cells: vec![
                    Cell::Number((i + 1) as f64),
                    Cell::from(name),
                    Cell::from(sheet.title.as_str()),
                    Cell::from(t.unit.as_str()),
                ],
                bold: false,
                shaded: false,
            });
            sheets.push(sheet);
        }
        let date = stats::chinese_date(as_of);
        let mut notes = vec![format!(
            "各表数据截至 {date}；经费和活动各表为 {} 年数据，其余各表为截至该日的名录现状。",
            s.year
        )];
        if self.kind()? == RegistryKind::Sample {
            notes.push("示例名录：虚构数据，仅供演示，不属于正式名录。".into());
        }
        let widths = [6.0, 30.0, 46.0, 10.0];
        let headers = ["序号", "工作表", "表名", "计量单位"];
        let first = ReportSheet {
            name: CONTENTS.into(),
            title: format!("{prefix}{}年度非物质文化遗产保护工作统计表", s.year),
            lines: vec![
                "填报单位（盖章）：".into(),
                format!("统计年度：{}年　　数据截至：{date}", s.year),
            ],
            columns: headers
                .iter()
                .zip(widths)
                .map(|(h, width)| ReportColumn {
                    header: h.to_string(),
                    width,
                    decimals: 0,
                })
                .collect(),
            rows: contents,
            notes,
        };
        sheets.insert(0, first);
        xlsx::write_workbook(&sheets, path)?;
        Ok(StatsExport {
            path: absolute(path),
            sheets: names,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn col(width: f64) -> ReportColumn {
        ReportColumn {
            header: String::new(),
            width,
            decimals: 0,
        }
    }

    #[test]
    fn a_narrow_table_is_widened_to_hold_its_title() {
        let title = "台儿庄区代表性项目按级别统计"; // 14 characters, display width 28
        let fitted = fit_title(vec![col(8.0), col(10.0)], title);
        let total: f64 = fitted.iter().map(|c| c.width).sum();
        assert!(total >= 28.0 * 1.5 + 4.0, "{total}");
        assert!(fitted[1].width > fitted[0].width, "proportions kept");
        let wide = fit_title(vec![col(30.0), col(40.0)], title);
        assert_eq!(
            wide.iter().map(|c| c.width).collect::<Vec<_>>(),
            [30.0, 40.0]
        );
    }
}

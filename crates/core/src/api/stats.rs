//! Statistics (统计): the tables of the 统计 page, and the same tables as spreadsheets —
//! one table, or the whole 年度工作统计表 workbook (see [`crate::stats`] for the rules
//! and [`crate::export::xlsx`] for the writer).

use super::Registry;
use crate::db;
use crate::error::{Error, Result};
use crate::lunar::{self, FeiyiMonth};
use crate::model::*;
use crate::stats::{self, Period};
use chrono::Datelike;

impl Registry {
    /// The statistics tables as of today (Beijing); the per-year tables are of
    /// `q.year` (default: this year). Years outside 1949–2100 are refused.
    pub fn statistics(&self, q: &StatsQuery) -> Result<Statistics> {
        let as_of = self.beijing_today();
        let year = q.year.unwrap_or_else(|| i64::from(as_of.year()));
        if !stats::YEARS.contains(&year) {
            return Err(Error::field(
                "year",
                format!(
                    "统计年度应在 {} 到 {} 年之间（收到：{year}）",
                    stats::YEARS.start(),
                    stats::YEARS.end()
                ),
            ));
        }
        let y = i32::try_from(year).unwrap_or(2000);
        let this = lunar::feiyi_month(y)?;
        // The 非遗月 of the year before ends in its own year, the next one starts in the
        // next year (lunar.rs); both are looked at so the rule lives in one place.
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
        Ok(Statistics {
            as_of: as_of.format("%Y-%m-%d").to_string(),
            year,
            feiyi_month: Some(FeiyiMonthInfo {
                year,
                start: this.start.format("%Y-%m-%d").to_string(),
                end: this.end.format("%Y-%m-%d").to_string(),
            }),
            tables,
        })
    }
}

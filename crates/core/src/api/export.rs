//! The register's own spreadsheet exports: the filtered item list and the inheritor
//! list as XLSX tables (see [`crate::export::xlsx`]). Identity numbers, phones and
//! addresses are never exported here.

use super::Registry;
use crate::error::Result;
use crate::export::xlsx::{self, Cell, Column, Table};
use crate::model::*;
use std::collections::{BTreeSet, HashMap};
use std::path::Path;

/// Rows fetched per page while collecting a whole list (the list's maximum).
const PAGE: i64 = 500;

const ITEM_COLUMNS: [(&str, f64); 9] = [
    ("序号", 6.0),
    ("项目编号", 10.0),
    ("项目名称", 26.0),
    ("类别", 16.0),
    ("申报地区或单位 / 分布区域", 26.0),
    ("保护单位", 28.0),
    ("传承人", 20.0),
    ("公布批次", 10.0),
    ("级别", 8.0),
];

const INHERITOR_COLUMNS: [(&str, f64); 10] = [
    ("序号", 6.0),
    ("姓名", 10.0),
    ("性别", 6.0),
    ("出生年月", 12.0),
    ("民族", 8.0),
    ("项目名称", 24.0),
    ("项目编号", 10.0),
    ("级别", 8.0),
    ("认定批次/文号", 26.0),
    ("状态", 12.0),
];

fn columns(spec: &[(&'static str, f64)]) -> Vec<Column> {
    spec.iter()
        .map(|&(header, width)| Column { header, width })
        .collect()
}

/// `1956-03-02` → `1956年3月`; `1956` → `1956年`; anything else unchanged.
fn birth_display(b: &str) -> String {
    let mut parts = b.split('-');
    let year = parts.next().unwrap_or_default();
    let month = parts.next().and_then(|m| m.parse::<u32>().ok());
    match (
        year.len() == 4 && year.chars().all(|c| c.is_ascii_digit()),
        month,
    ) {
        (true, Some(m)) => format!("{year}年{m}月"),
        (true, None) => format!("{year}年"),
        _ => b.to_owned(),
    }
}

fn join<I: IntoIterator<Item = String>>(parts: I) -> String {
    parts
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("、")
}

impl Registry {
    fn export_date(&self) -> String {
        // The same "today" as the inheritor list's ages.
        (self.clock)()
            .date_naive()
            .format("%Y年%-m月%-d日")
            .to_string()
    }

    /// Every item matching `query` (all pages), in the query's order; a common search is
    /// counted whole here (`list_exact`), not stopped at the register's cap.
    fn all_items(&self, query: &ItemQuery) -> Result<Vec<ItemRow>> {
        let mut q = query.clone();
        q.page_size = Some(PAGE);
        let template = self.template()?;
        let mut rows = Vec::new();
        for page in 1.. {
            q.page = Some(page);
            let p = crate::db::items::list_exact(&self.conn, &q, &template)?;
            let n = p.rows.len();
            rows.extend(p.rows);
            if n == 0 || rows.len() as i64 >= p.total {
                break;
            }
        }
        Ok(rows)
    }

    /// Every inheritor matching `query` (all pages); a common search is counted whole here.
    fn all_inheritors(&self, query: &InheritorQuery) -> Result<Vec<InheritorRow>> {
        let mut q = query.clone();
        q.page_size = Some(PAGE);
        let mut rows = Vec::new();
        for page in 1.. {
            q.page = Some(page);
            let p = crate::db::inheritors::list_exact(&self.conn, &q, self.today())?;
            let n = p.rows.len();
            rows.extend(p.rows);
            if n == 0 || rows.len() as i64 >= p.total {
                break;
            }
        }
        Ok(rows)
    }

    /// Writes the items matching `query` (every page, ignoring `page`/`page_size`) to an
    /// XLSX file in the column layout of a published 名录 table; returns the rows written.
    pub fn export_items_xlsx(&self, query: &ItemQuery, path: &Path) -> Result<i64> {
        let items = self.all_items(query)?;
        let mut rows = Vec::with_capacity(items.len());
        for (i, it) in items.iter().enumerate() {
            let area = if it.townships.is_empty() {
                self.item_get(&it.id)?.texts.applicant.unwrap_or_default()
            } else {
                it.townships.clone()
            };
            let mut seen = BTreeSet::new();
            let inheritors = join(
                self.recognition_list_for_item(&it.id)?
                    .into_iter()
                    .filter(|r| r.status == "在册")
                    .filter(|r| seen.insert(r.inheritor_id.clone()))
                    .map(|r| r.inheritor_name),
            );
            rows.push(vec![
                Cell::Number((i + 1) as f64),
                Cell::from(it.code.as_str()),
                Cell::from(it.name.as_str()),
                Cell::from(it.category_name.as_str()),
                Cell::from(area),
                Cell::from(it.protection_units.as_str()),
                Cell::from(inheritors),
                Cell::from(it.batch_label.clone()),
                Cell::from(it.level.as_str()),
            ]);
        }
        let title = self.info()?.title;
        let table = Table {
            sheet_name: "代表性项目名录".into(),
            title,
            subtitle: format!("导出日期：{}　共 {} 项", self.export_date(), rows.len()),
            columns: columns(&ITEM_COLUMNS),
            rows,
        };
        xlsx::write_table(&table, path)?;
        Ok(table.rows.len() as i64)
    }

    /// Writes the inheritors matching `query` (every page) to an XLSX file, one row per
    /// recognition (a person recognised for two items has two rows; a person with none,
    /// one row with the item columns empty); returns the rows written. Identity numbers,
    /// phones and addresses are not exported.
    pub fn export_inheritors_xlsx(&self, query: &InheritorQuery, path: &Path) -> Result<i64> {
        let people = self.all_inheritors(query)?;
        let mut codes: HashMap<String, String> = HashMap::new();
        let mut rows = Vec::new();
        for p in &people {
            let d = self.inheritor_get(&p.id)?;
            let person = |n: usize| {
                vec![
                    Cell::Number(n as f64),
                    Cell::from(p.name.as_str()),
                    Cell::from(p.sex.clone()),
                    Cell::from(p.birth_date.as_deref().map(birth_display)),
                    Cell::from(d.fields.ethnicity.clone()),
                ]
            };
            let recs: Vec<&Recognition> = d
                .recognitions
                .iter()
                .filter(|r| query.item_id.as_ref().is_none_or(|i| *i == r.item_id))
                .filter(|r| query.level.as_ref().is_none_or(|l| *l == r.level))
                .collect();
            if recs.is_empty() {
                let mut row = person(rows.len() + 1);
                row.extend([Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty]);
                row.push(Cell::from(p.status.as_str()));
                rows.push(row);
                continue;
            }
            for r in recs {
                let code = match codes.get(&r.item_id) {
                    Some(c) => c.clone(),
                    None => {
                        let c = self
                            .item_get(&r.item_id)
                            .map(|i| i.code)
                            .unwrap_or_default();
                        codes.insert(r.item_id.clone(), c.clone());
                        c
                    }
                };
                let batch = join([
                    r.batch_label.clone().unwrap_or_default(),
                    r.doc_number.clone().unwrap_or_default(),
                ])
                .replace('、', " / ");
                let mut row = person(rows.len() + 1);
                row.extend([
                    Cell::from(r.item_name.as_str()),
                    Cell::from(code),
                    Cell::from(r.level.as_str()),
                    Cell::from(batch),
                    Cell::from(r.status.as_str()),
                ]);
                rows.push(row);
            }
        }
        let title = format!("{}·代表性传承人", self.info()?.title);
        let table = Table {
            sheet_name: "代表性传承人".into(),
            title,
            subtitle: format!(
                "导出日期：{}　共 {} 人 {} 条认定（身份证号、联系电话不导出）",
                self.export_date(),
                people.len(),
                rows.len()
            ),
            columns: columns(&INHERITOR_COLUMNS),
            rows,
        };
        xlsx::write_table(&table, path)?;
        Ok(table.rows.len() as i64)
    }
}

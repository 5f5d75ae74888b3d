//! Recognising the header row of a published list and what each column holds.
//!
//! Headers are compared after removing every space and line break (`项目\n名称`),
//! turning full-width characters into ASCII, dropping a trailing colon and a remark in
//! brackets (`项目名称（全称）`). Exact synonyms come first, then key words
//! (`…名称`, `…编号`, `…类别`).

use super::codes::half_width;
use crate::model::{ImportColumn, ImportField};

/// How many rows from the top are searched for the header.
pub const HEADER_SEARCH_ROWS: usize = 20;

/// A header's text as compared: no spaces or line breaks, half-width, no trailing colon,
/// no bracketed remark.
pub fn normalize_header(h: &str) -> String {
    let s: String = half_width(h)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let s = s.trim_end_matches([':', '：']).to_string();
    match s.find(['(', '（', '[', '【']) {
        Some(i) if i > 0 => s[..i].to_string(),
        _ => s,
    }
}

const SYNONYMS: [(ImportField, &[&str]); 8] = [
    (
        ImportField::Seq,
        &["序号", "序", "顺序号", "NO", "NO.", "No", "No.", "排序"],
    ),
    (
        ImportField::Code,
        &[
            "项目编号",
            "编号",
            "代码",
            "项目代码",
            "名录编号",
            "类别编号",
            "项目序号编号",
        ],
    ),
    (
        ImportField::Name,
        &[
            "项目名称",
            "名称",
            "项目",
            "项目名",
            "非遗项目",
            "非遗项目名称",
            "名录项目名称",
            "名录项目",
        ],
    ),
    (
        ImportField::Category,
        &[
            "类别",
            "门类",
            "项目类别",
            "类型",
            "所属类别",
            "分类",
            "项目类型",
            "所属门类",
        ],
    ),
    (
        ImportField::Area,
        &[
            "申报地区或单位",
            "申报地区",
            "申报单位",
            "申报地区(单位)",
            "分布地点",
            "分布地区",
            "分布区域",
            "项目所在地",
            "所在地",
            "地区",
            "流布区域",
            "所在镇街",
            "镇街",
            "所属镇街",
        ],
    ),
    (
        ImportField::Unit,
        &["保护单位", "项目保护单位", "保护责任单位"],
    ),
    (
        ImportField::Inheritors,
        &["传承人", "代表性传承人", "主要传承人", "项目传承人"],
    ),
    (
        ImportField::Batch,
        &[
            "批次",
            "公布批次",
            "批",
            "入选批次",
            "文号",
            "公布文号",
            "批准文号",
        ],
    ),
];

/// The field a header feeds, or [`ImportField::Ignore`].
pub fn field_for(header: &str) -> ImportField {
    let h = normalize_header(header);
    if h.is_empty() {
        return ImportField::Ignore;
    }
    for (field, words) in SYNONYMS {
        if words.iter().any(|w| *w == h) {
            return field;
        }
    }
    // Key words, most specific first.
    let rules: [(&[&str], ImportField); 8] = [
        (&["保护单位"], ImportField::Unit),
        (&["传承人"], ImportField::Inheritors),
        (&["名称"], ImportField::Name),
        (&["编号", "代码"], ImportField::Code),
        (&["类别", "门类"], ImportField::Category),
        (&["批次", "文号"], ImportField::Batch),
        (
            &["地区", "地点", "所在地", "区域", "申报单位", "镇街"],
            ImportField::Area,
        ),
        (&["序号"], ImportField::Seq),
    ];
    for (words, field) in rules {
        if words.iter().any(|w| h.contains(w)) {
            return field;
        }
    }
    ImportField::Ignore
}

/// The columns of a header row.
pub fn columns(row: &[String]) -> Vec<ImportColumn> {
    row.iter()
        .enumerate()
        .filter(|(_, h)| !h.trim().is_empty())
        .map(|(i, h)| ImportColumn {
            index: i as i64,
            header: h.trim().to_string(),
            field: field_for(h),
        })
        .collect()
}

/// Finds the header row in the first [`HEADER_SEARCH_ROWS`] rows: the one with a name
/// column and the most recognised fields (the earliest on a tie). Returns its zero-based
/// index and columns.
pub fn find_header(rows: &[Vec<String>]) -> Option<(usize, Vec<ImportColumn>)> {
    let mut best: Option<(usize, usize, Vec<ImportColumn>)> = None;
    for (i, row) in rows.iter().take(HEADER_SEARCH_ROWS).enumerate() {
        let cols = columns(row);
        if !cols.iter().any(|c| c.field == ImportField::Name) {
            continue;
        }
        let mut fields: Vec<ImportField> = cols
            .iter()
            .map(|c| c.field)
            .filter(|f| *f != ImportField::Ignore)
            .collect();
        fields.sort_by_key(|f| *f as u8);
        fields.dedup();
        // A lone cell that merely mentions a name (a title row) is not a header.
        if fields.len() < 2 && cols.len() > 1 {
            continue;
        }
        if fields.len() < 2 && field_for(&row.concat()) != ImportField::Name {
            continue;
        }
        if best.as_ref().is_none_or(|(_, n, _)| fields.len() > *n) {
            best = Some((i, fields.len(), cols));
        }
    }
    best.map(|(i, _, c)| (i, c))
}

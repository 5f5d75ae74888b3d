//! Reading the cells of one row: names, categories (current and legacy names, numerals),
//! batches (第六批, 6, a year, the decision's 文号), townships named in an area text,
//! lists of names. Pure functions over the registry's reference data.

use super::codes::{category_numeral, half_width};
use crate::model::{Batch, Category, Township};

/// Older and variant category names seen in local lists beyond those in
/// `data/categories.json` (which the registry's `category.legacy_names` carries).
/// Each one is a name that the national lists or their 2006 predecessors used.
pub const EXTRA_CATEGORY_NAMES: [(&str, &str); 6] = [
    ("民间手工技艺", "Ⅷ"),
    ("传统手工艺", "Ⅷ"),
    ("手工技艺", "Ⅷ"),
    ("传统体育、游艺与竞技", "Ⅵ"),
    ("传统体育游艺与杂技", "Ⅵ"),
    ("戏剧", "Ⅳ"),
];

/// An item name as stored: line breaks removed (a wrapped cell), runs of spaces made one.
pub fn clean_name(s: &str) -> String {
    let s: String = s.chars().filter(|c| *c != '\n' && *c != '\r').collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A name as compared for duplicates: no spaces, half-width brackets.
pub fn name_key(s: &str) -> String {
    half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn strip_punct(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '、' | '，' | ',' | '·' | '/' | '／'))
        .collect()
}

/// Chinese numerals 一…九十九 (and 两), or digits.
pub fn small_number(s: &str) -> Option<i64> {
    let s = half_width(s);
    if let Ok(n) = s.parse::<i64>() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|p| p as i64)
    };
    let chars: Vec<char> = s.replace('两', "二").chars().collect();
    match chars.as_slice() {
        ['十'] => Some(10),
        [d] => digit(*d),
        ['十', d] => Some(10 + digit(*d)?),
        [t, '十'] => Some(digit(*t)? * 10),
        [t, '十', d] => Some(digit(*t)? * 10 + digit(*d)?),
        _ => None,
    }
}

/// Removes a leading list number: `一、`, `（一）`, `1.`, `1、`, `第一类`, `Ⅷ `.
fn strip_numbering(s: &str) -> String {
    let s = half_width(s).trim().to_string();
    let s = s.trim_start_matches(['(', '（']).to_string();
    let prefix_end = s
        .char_indices()
        .find(|(_, c)| {
            !("零一二三四五六七八九十".contains(*c)
                || c.is_ascii_digit()
                || ('Ⅰ'..='Ⅻ').contains(c)
                || matches!(c, 'I' | 'V' | 'X'))
        })
        .map(|(i, _)| i)
        .unwrap_or(s.len());
    if prefix_end == 0 {
        return s.strip_prefix('第').map_or(s.clone(), |r| {
            // 第一类 民间文学
            let r = r.trim_start_matches(|c: char| "一二三四五六七八九十".contains(c));
            r.strip_prefix('类').unwrap_or(r).to_string()
        });
    }
    let rest = &s[prefix_end..];
    let rest = rest.trim_start_matches([')', '）', '、', '.', '．', ' ', '-', ':', '：']);
    if rest.is_empty() {
        s
    } else {
        rest.to_string()
    }
}

/// The current category code for a text: a current or legacy name (`传统手工技艺` → Ⅷ),
/// with or without a list number or a trailing `类`, or a numeral (`Ⅷ`, `VIII`, `8`).
pub fn match_category(text: &str, categories: &[Category]) -> Option<String> {
    let raw: String = half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if raw.is_empty() {
        return None;
    }
    if let Ok(n) = raw.parse::<i64>() {
        return category_numeral(n);
    }
    if let Some(p) = super::codes::parse_code(&raw).filter(|p| p.batch.is_none() && p.seq.is_none())
    {
        return Some(p.category);
    }
    if let Some(c) = categories.iter().find(|c| c.code == raw) {
        return Some(c.code.clone());
    }
    let t = strip_numbering(&raw);
    let t = t.trim_end_matches("项目");
    let t = t.strip_suffix("类别").or(t.strip_suffix('类')).unwrap_or(t);
    let t = strip_punct(t);
    for c in categories {
        if strip_punct(&c.name) == t || c.legacy_names.iter().any(|l| strip_punct(l) == t) {
            return Some(c.code.clone());
        }
    }
    EXTRA_CATEGORY_NAMES
        .iter()
        .find(|(n, _)| strip_punct(n) == t)
        .map(|(_, c)| c.to_string())
}

/// Whether a lone cell reads like a sub-heading (`一、民间文学`, `（二）传统音乐`, `传统技艺类`).
pub fn looks_like_heading(text: &str, categories: &[Category]) -> bool {
    let t = half_width(text.trim());
    let numbered = t
        .chars()
        .next()
        .is_some_and(|c| "一二三四五六七八九十(（".contains(c))
        && (t.contains('、') || t.contains(')') || t.contains('）'));
    numbered || match_category(&t, categories).is_some()
}

fn doc_key(s: &str) -> String {
    half_width(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !"〔〕[]()（）【】{}".contains(*c))
        .collect()
}

/// The batch a text names: its 文号 (`台政字〔2022〕33号`, brackets of any kind), its number
/// (`第六批`, `六`, `6`, `第6批`), or the year it was approved or published (`2022`).
/// `Err` says why no batch was found.
pub fn match_batch<'a>(text: &str, batches: &'a [Batch]) -> Result<&'a Batch, String> {
    let t: String = half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let key = doc_key(&t);
    if let Some(b) = batches
        .iter()
        .find(|b| b.doc_number.as_deref().is_some_and(|d| doc_key(d) == key))
    {
        return Ok(b);
    }
    if t.ends_with('号') || t.contains('〔') || t.contains('[') {
        return Err(format!(
            "批次“{text}”：没有文号为此的批次，请先在批次页登记该批次（含文号）"
        ));
    }
    let core = t.strip_prefix('第').unwrap_or(&t);
    let core = core.split('批').next().unwrap_or(core);
    let n = small_number(core)
        .ok_or_else(|| format!("批次“{text}”无法识别，应写作“第六批”、“6”或公布文号"))?;
    if (1900..=2100).contains(&n) {
        let year = n.to_string();
        let found: Vec<&Batch> = batches
            .iter()
            .filter(|b| {
                [&b.approved_on, &b.published_on]
                    .iter()
                    .any(|d| d.as_deref().is_some_and(|d| d.starts_with(&year)))
            })
            .collect();
        return match found.as_slice() {
            [b] => Ok(b),
            [] => Err(format!("没有 {year} 年公布的批次，请先在批次页登记")),
            _ => Err(format!("{year} 年公布了多个批次，请写明第几批")),
        };
    }
    batches.iter().find(|b| b.number == n).ok_or_else(|| {
        format!(
            "{}尚未登记，请先在批次页登记该批次（文号、日期）后再导入",
            crate::reference::batch_label(n)
        )
    })
}

/// The batch with a number, or why not.
pub fn batch_by_number(n: i64, batches: &[Batch]) -> Result<&Batch, String> {
    batches.iter().find(|b| b.number == n).ok_or_else(|| {
        format!(
            "编号中的批次为{}，该批次尚未登记，请先在批次页登记后再导入",
            crate::reference::batch_label(n)
        )
    })
}

/// The township codes an area text names, in the district's order: full names
/// (`涧头集镇`, `运河街道`), town names without 镇 (`涧头集`), and 开发区.
pub fn match_townships(text: &str, townships: &[Township]) -> Vec<String> {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    townships
        .iter()
        .filter(|tw| {
            let short = match tw.kind.as_str() {
                "镇" | "乡" => tw
                    .name
                    .strip_suffix(&tw.kind)
                    .filter(|s| s.chars().count() >= 2),
                "开发区" => Some("开发区"),
                _ => None,
            };
            t.contains(&tw.name) || short.is_some_and(|s| t.contains(s))
        })
        .map(|tw| tw.code.clone())
        .collect()
}

/// Names in one cell, split at 、，,;； / and line breaks.
pub fn split_names(text: &str) -> Vec<String> {
    text.split(['、', '，', ',', ';', '；', '/', '／', '\n'])
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

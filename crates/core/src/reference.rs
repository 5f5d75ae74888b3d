//! Reference data shipped in `data/` and loaded into every new registry:
//! the ten categories, the district's township units and the batch register
//! (the sixth batch as the gazette records it). Embedded at build time so the
//! app works offline from a single binary.

use crate::error::{Error, Result};
use crate::model::{BatchInput, Category, Township};
use serde::Deserialize;

const CATEGORIES_JSON: &str = include_str!("../../../data/categories.json");
const TOWNSHIPS_JSON: &str = include_str!("../../../data/townships.json");
const BATCHES_JSON: &str = include_str!("../../../data/batches.json");

#[derive(Deserialize)]
struct CategoriesFile {
    categories: Vec<Category>,
}

#[derive(Deserialize)]
struct TownshipsFile {
    townships: Vec<Township>,
}

#[derive(Deserialize)]
struct BatchesFile {
    batches: Vec<BatchInput>,
}

fn parse<T: for<'de> Deserialize<'de>>(what: &str, text: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|e| Error::Parse {
        what: what.to_string(),
        detail: e.to_string(),
    })
}

/// The ten categories, Ⅰ–Ⅹ, with their legacy names.
pub fn categories() -> Result<Vec<Category>> {
    Ok(parse::<CategoriesFile>("data/categories.json", CATEGORIES_JSON)?.categories)
}

/// The district's township units.
pub fn townships() -> Result<Vec<Township>> {
    Ok(parse::<TownshipsFile>("data/townships.json", TOWNSHIPS_JSON)?.townships)
}

/// The batches every real registry starts with (the sixth batch).
pub fn batches() -> Result<Vec<BatchInput>> {
    Ok(parse::<BatchesFile>("data/batches.json", BATCHES_JSON)?.batches)
}

/// Chinese label of a batch number: 6 → `第六批`.
pub fn batch_label(number: i64) -> String {
    format!("第{}批", chinese_number(number))
}

/// Writes a small positive number in Chinese numerals (1 → 一, 12 → 十二, 21 → 二十一).
pub fn chinese_number(n: i64) -> String {
    const DIGITS: [&str; 10] = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => DIGITS[n as usize].to_string(),
        10..=19 => format!(
            "十{}",
            if n % 10 == 0 {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        ),
        20..=99 => format!(
            "{}十{}",
            DIGITS[(n / 10) as usize],
            if n % 10 == 0 {
                ""
            } else {
                DIGITS[(n % 10) as usize]
            }
        ),
        _ => n.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ten_categories_in_order_with_legacy_names() {
        let cats = categories().unwrap();
        assert_eq!(cats.len(), 10);
        let codes: Vec<_> = cats.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, ["Ⅰ", "Ⅱ", "Ⅲ", "Ⅳ", "Ⅴ", "Ⅵ", "Ⅶ", "Ⅷ", "Ⅸ", "Ⅹ"]);
        let viii = &cats[7];
        assert_eq!(viii.name, "传统技艺");
        assert_eq!(viii.legacy_names, ["传统手工技艺"]);
        assert!(cats.iter().enumerate().all(|(i, c)| c.ord == i as i64 + 1));
    }

    #[test]
    fn townships_carry_the_district_codes() {
        let t = townships().unwrap();
        assert!(t
            .iter()
            .any(|t| t.code == "370405001" && t.name == "运河街道"));
        assert!(t
            .iter()
            .any(|t| t.code == "370405104" && t.name == "马兰屯镇"));
        assert!(t.iter().all(|t| t.code.starts_with("370405")));
    }

    #[test]
    fn the_sixth_batch_is_seeded_as_the_gazette_records_it() {
        let b = batches().unwrap();
        let sixth = b.iter().find(|b| b.number == 6).unwrap();
        assert_eq!(sixth.doc_number.as_deref(), Some("台政字〔2022〕33号"));
        assert_eq!(sixth.approved_on.as_deref(), Some("2022-05-18"));
        assert_eq!(sixth.declared_count, Some(11));
        assert_eq!(sixth.approved_by.as_deref(), Some("台儿庄区人民政府"));
        assert_eq!(sixth.determined_by.as_deref(), Some("台儿庄区文化和旅游局"));
    }

    #[test]
    fn chinese_batch_labels() {
        assert_eq!(batch_label(6), "第六批");
        assert_eq!(batch_label(10), "第十批");
        assert_eq!(batch_label(12), "第十二批");
        assert_eq!(batch_label(21), "第二十一批");
    }
}

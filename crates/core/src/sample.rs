//! The sample registry (示例名录): fictional batches and items from
//! `data/sample/sample-registry.json`, written through the public API so that
//! they are validated, logged and indexed like real records. Only ever put into a
//! registry created as [`RegistryKind::Sample`](crate::model::RegistryKind::Sample).

use crate::api::Registry;
use crate::error::{Error, Result};
use crate::model::{BatchInput, ItemInput, ItemTexts, ItemTownship, Listing, RegistryKind};
use serde::Deserialize;
use std::collections::HashMap;

const SAMPLE_JSON: &str = include_str!("../../../data/sample/sample-registry.json");

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SampleFile {
    batches: Vec<BatchInput>,
    items: Vec<SampleItem>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SampleItem {
    name: String,
    category: String,
    batch: i64,
    #[serde(default)]
    parent: Option<String>,
    townships: Vec<(String, Option<String>)>,
    texts: ItemTexts,
    #[serde(default)]
    endangered: bool,
    #[serde(default)]
    confidential: bool,
    listings: Vec<Listing>,
}

/// The note every sample item carries.
pub const SAMPLE_NOTE: &str = "示例数据：虚构项目，仅供演示，不属于正式名录。";

/// Fills a sample registry with the fictional records.
pub fn fill(reg: &mut Registry) -> Result<()> {
    if reg.kind()? != RegistryKind::Sample {
        return Err(Error::Conflict(
            "示例数据只能写入示例名录，不能混入正式名录".into(),
        ));
    }
    let file: SampleFile = serde_json::from_str(SAMPLE_JSON).map_err(|e| Error::Parse {
        what: "data/sample/sample-registry.json".into(),
        detail: e.to_string(),
    })?;
    let mut batch_ids = HashMap::new();
    for b in file.batches {
        let number = b.number;
        let saved = reg.batch_save(b)?;
        batch_ids.insert(number, saved.id);
    }
    for b in reg.batch_list(false)? {
        batch_ids.entry(b.number).or_insert(b.id);
    }
    let mut item_ids: HashMap<String, String> = HashMap::new();
    for it in file.items {
        let input = ItemInput {
            id: None,
            name: it.name.clone(),
            category: it.category,
            batch_id: batch_ids.get(&it.batch).cloned(),
            seq: None,
            parent_id: it.parent.as_ref().and_then(|p| item_ids.get(p).cloned()),
            status: None,
            endangered: it.endangered,
            confidential: it.confidential,
            townships: it
                .townships
                .into_iter()
                .map(|(code, villages)| ItemTownship {
                    code,
                    name: String::new(),
                    villages,
                })
                .collect(),
            listings: it.listings,
            texts: it.texts,
            note: Some(SAMPLE_NOTE.into()),
        };
        let saved = reg.item_save(input)?;
        item_ids.insert(it.name, saved.id);
    }
    Ok(())
}

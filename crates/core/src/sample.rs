//! The sample registry (示例名录): fictional batches and items from
//! `data/sample/sample-registry.json`, written through the public API so that
//! they are validated, logged and indexed like real records. Only ever put into a
//! registry created as [`RegistryKind::Sample`](crate::model::RegistryKind::Sample).

use crate::api::Registry;
use crate::error::{Error, Result};
use crate::model::{
    ActivityInput, BatchInput, Evaluation, Expenditure, InheritorInput, ItemInput, ItemTexts,
    ItemTownship, LineageEdge, Listing, PlanInput, RecognitionInput, RegistryKind, Subsidy,
    UnitCheck, UnitConditions, UnitInput, UnitQuery,
};
use serde::Deserialize;
use std::collections::HashMap;

const SAMPLE_JSON: &str = include_str!("../../../data/sample/sample-registry.json");

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SampleFile {
    batches: Vec<BatchInput>,
    items: Vec<SampleItem>,
    #[serde(default)]
    inheritors: Vec<InheritorInput>,
    #[serde(default)]
    recognitions: Vec<SampleRecognition>,
    #[serde(default)]
    lineage: Vec<SampleEdge>,
    #[serde(default)]
    evaluations: Vec<SampleYearly>,
    #[serde(default)]
    subsidies: Vec<SampleYearly>,
    #[serde(default)]
    units: Vec<SampleUnit>,
    #[serde(default)]
    plans: Vec<SamplePlan>,
    #[serde(default)]
    activities: Vec<SampleActivity>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SamplePlan {
    item: String,
    #[serde(default)]
    unit: Option<String>,
    #[serde(flatten)]
    plan: PlanInput,
    #[serde(default)]
    expenditures: Vec<SampleExpenditure>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SampleExpenditure {
    line: usize,
    #[serde(flatten)]
    expenditure: Expenditure,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SampleActivity {
    items: Vec<String>,
    inheritors: Vec<String>,
    #[serde(flatten)]
    activity: ActivityInput,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SampleRecognition {
    person: String,
    item: String,
    level: String,
    #[serde(default)]
    batch: Option<i64>,
    #[serde(default)]
    batch_label: Option<String>,
    #[serde(default)]
    doc_number: Option<String>,
    #[serde(default)]
    recognized_on: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SampleEdge {
    item: String,
    master: String,
    apprentice: String,
    kind: String,
    #[serde(default)]
    from_year: Option<i64>,
    #[serde(default)]
    to_year: Option<i64>,
    #[serde(default)]
    evidence: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SampleYearly {
    person: String,
    item: String,
    year: i64,
    #[serde(default)]
    grade: String,
    #[serde(default)]
    reviewer: Option<String>,
    #[serde(default)]
    evidence: Option<String>,
    #[serde(default)]
    received_fen: i64,
    #[serde(default)]
    used_fen: i64,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SampleUnit {
    name: String,
    #[serde(default)]
    unit_type: Option<String>,
    #[serde(default)]
    legal_rep: Option<String>,
    #[serde(default)]
    contact_person: Option<String>,
    #[serde(default)]
    conditions: UnitConditions,
    items: Vec<String>,
    #[serde(default)]
    checks: Vec<UnitCheck>,
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
    let item = |name: &str| {
        item_ids
            .get(name)
            .cloned()
            .ok_or_else(|| Error::Conflict(format!("示例数据引用了不存在的项目“{name}”")))
    };
    let mut people: HashMap<String, String> = HashMap::new();
    for mut p in file.inheritors {
        p.note = Some(SAMPLE_PERSON_NOTE.into());
        let name = p.name.clone();
        people.insert(name, reg.inheritor_save(p)?.id);
    }
    let person = |name: &str| {
        people
            .get(name)
            .cloned()
            .ok_or_else(|| Error::Conflict(format!("示例数据引用了不存在的人物“{name}”")))
    };
    for r in file.recognitions {
        reg.recognition_save(RecognitionInput {
            inheritor_id: person(&r.person)?,
            item_id: item(&r.item)?,
            level: r.level,
            batch_id: r.batch.and_then(|n| batch_ids.get(&n).cloned()),
            batch_label: r.batch_label,
            doc_number: r.doc_number,
            recognized_on: r.recognized_on,
            note: Some("示例".into()),
            ..Default::default()
        })?;
    }
    for e in file.lineage {
        reg.lineage_edge_save(LineageEdge {
            item_id: item(&e.item)?,
            master_id: person(&e.master)?,
            apprentice_id: person(&e.apprentice)?,
            kind: e.kind,
            from_year: e.from_year,
            to_year: e.to_year,
            evidence: e.evidence,
            ..Default::default()
        })?;
    }
    for e in file.evaluations {
        reg.evaluation_save(Evaluation {
            inheritor_id: person(&e.person)?,
            item_id: item(&e.item)?,
            year: e.year,
            grade: e.grade,
            reviewer: e.reviewer,
            evidence: e.evidence,
            ..Default::default()
        })?;
    }
    for s in file.subsidies {
        reg.subsidy_save(Subsidy {
            inheritor_id: person(&s.person)?,
            item_id: item(&s.item)?,
            year: s.year,
            received_fen: s.received_fen,
            used_fen: s.used_fen,
            note: Some("示例".into()),
            ..Default::default()
        })?;
    }
    for u in file.units {
        let saved = reg.unit_save(UnitInput {
            name: u.name,
            unit_type: u.unit_type,
            legal_rep: u.legal_rep,
            contact_person: u.contact_person,
            conditions: u.conditions,
            item_ids: u.items.iter().map(|n| item(n)).collect::<Result<_>>()?,
            note: Some("示例数据：虚构单位，仅供演示。".into()),
            ..Default::default()
        })?;
        for c in u.checks {
            reg.unit_check_save(UnitCheck {
                unit_id: saved.id.clone(),
                ..c
            })?;
        }
    }
    for p in file.plans {
        let unit_id = match &p.unit {
            Some(name) => reg
                .unit_list(&UnitQuery {
                    query: Some(name.clone()),
                    page_size: Some(crate::db::MAX_PAGE_SIZE),
                    ..Default::default()
                })?
                .rows
                .into_iter()
                .find(|u| &u.name == name)
                .map(|u| u.id),
            None => None,
        };
        let saved = reg.plan_save(PlanInput {
            item_id: item(&p.item)?,
            unit_id,
            note: Some("示例数据：虚构计划，仅供演示。".into()),
            ..p.plan
        })?;
        for e in p.expenditures {
            let line = saved
                .fields
                .budget
                .get(e.line)
                .and_then(|l| l.id.clone())
                .ok_or_else(|| {
                    Error::Conflict(format!("示例数据引用了不存在的预算行 {}", e.line))
                })?;
            reg.expenditure_save(Expenditure {
                budget_line_id: line,
                ..e.expenditure
            })?;
        }
    }
    for a in file.activities {
        reg.activity_save(ActivityInput {
            item_ids: a.items.iter().map(|n| item(n)).collect::<Result<_>>()?,
            inheritor_ids: a
                .inheritors
                .iter()
                .map(|n| person(n))
                .collect::<Result<_>>()?,
            note: Some("示例数据：虚构活动，仅供演示。".into()),
            ..a.activity
        })?;
    }
    Ok(())
}

/// The note every sample person carries.
pub const SAMPLE_PERSON_NOTE: &str = "示例数据：虚构人物，仅供演示，不属于正式名录。";

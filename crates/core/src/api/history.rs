//! Revert of single changes, the recycle bin across every kind of record, and grouped search.
//!
//! A revert puts one field back to the value it had before a logged change, through the
//! record's normal save path (so every validation applies), and the change it makes is
//! logged with the action `revert` and the reverted row's number as its reason.

use super::Registry;
use crate::db::{batches, recycle};
use crate::error::{Error, Result};
use crate::model::*;
use std::cell::RefCell;

thread_local! {
    static REVERTING: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The reason to log while a revert is being saved, if one is in progress on this thread.
pub(super) fn current_revert() -> Option<String> {
    REVERTING.with(|r| r.borrow().clone())
}

/// Clears the revert marker even when the save fails or panics.
struct RevertGuard;

impl RevertGuard {
    fn start(reason: String) -> Self {
        REVERTING.with(|r| *r.borrow_mut() = Some(reason));
        RevertGuard
    }
}

impl Drop for RevertGuard {
    fn drop(&mut self) {
        REVERTING.with(|r| *r.borrow_mut() = None);
    }
}

/// Fields whose logged text is a number or a boolean in the form's JSON.
const NUMERIC: [&str; 13] = [
    "year",
    "generation",
    "fromYear",
    "toYear",
    "receivedFen",
    "usedFen",
    "practiceSince",
    "declaredCount",
    "number",
    "seq",
    "startYear",
    "endYear",
    "participants",
];
const BOOLEAN: [&str; 3] = ["declarationSigned", "endangered", "confidential"];

fn typed(field: &str, text: &Option<String>) -> Result<serde_json::Value> {
    let Some(t) = text else {
        return Ok(serde_json::Value::Null);
    };
    if NUMERIC.contains(&field) {
        return t
            .parse::<i64>()
            .map(Into::into)
            .map_err(|_| Error::Conflict(format!("无法撤销：“{t}”不是数字")));
    }
    if BOOLEAN.contains(&field) {
        return Ok(serde_json::Value::Bool(t == "true"));
    }
    if field == "conditions" {
        return serde_json::from_str(t).map_err(|e| Error::Conflict(format!("无法撤销：{e}")));
    }
    Ok(serde_json::Value::String(t.clone()))
}

/// Sets `path` (`a` or `a.b`) in a JSON object.
fn set_path(obj: &mut serde_json::Value, path: &str, value: serde_json::Value) {
    let mut parts = path.split('.').peekable();
    let mut cur = obj;
    while let Some(p) = parts.next() {
        if parts.peek().is_none() {
            cur[p] = value;
            return;
        }
        cur = &mut cur[p];
    }
}

fn to<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> Result<T> {
    serde_json::from_value(v).map_err(|e| Error::Conflict(format!("无法撤销：{e}")))
}

fn not_revertible(field: &str) -> Error {
    Error::Conflict(format!(
        "“{field}”这一项不能单独撤销，请在编辑页面中手动修改"
    ))
}

/// Kinds of record whose field changes [`Registry::history_revert`] can put back.
const REVERTIBLE_KINDS: [&str; 14] = [
    "item",
    "batch",
    "inheritor",
    "unit",
    "plan",
    "activity",
    "recognition",
    "evaluation",
    "subsidy",
    "training_plan",
    "unit_check",
    "lineage_edge",
    "expenditure",
    "media",
];

/// A media file's logged fields that are facts of the file or its links, not its
/// description: they change through import and linking, never by revert.
const MEDIA_FIXED: [&str; 7] = [
    "sha256",
    "originalName",
    "kind",
    "sizeBytes",
    "width",
    "height",
    "links",
];

/// Where a composite field's machine form (the log's `old_data`) goes in the record's
/// form, for the fields whose logged text is for people only.
fn data_target(entity: &str, field: &str) -> Option<&'static str> {
    Some(match (entity, field) {
        ("item", "townships") => "townships",
        ("item", "listings") => "listings",
        ("unit", "items") => "itemIds",
        ("plan", "item") => "itemId",
        ("plan", "unit") => "unitId",
        ("plan", "years") => "years",
        ("plan", "budget") => "budget",
        ("activity", "items") => "itemIds",
        ("activity", "inheritors") => "inheritorIds",
        ("expenditure", "budgetLine") => "budgetLineId",
        ("recognition", "inheritorName") => "inheritorId",
        ("recognition", "itemName") => "itemId",
        ("lineage_edge", "masterName") => "masterId",
        ("lineage_edge", "apprenticeName") => "apprenticeId",
        (_, f) if f.starts_with("mediaOrder.") => "mediaOrder",
        _ => return None,
    })
}

/// Whether [`Registry::history_revert`] can put this logged change back: a field change
/// of a kind it knows, not a dated status event or a media file's links (those have
/// their own actions), and, for a composite field, logged with its machine form.
pub(super) fn revertible(e: &EditLogEntry) -> bool {
    let Some(field) = e.field.as_deref() else {
        return false;
    };
    matches!(e.action.as_str(), "update" | "revert")
        && (REVERTIBLE_KINDS.contains(&e.entity.as_str()) || field.starts_with("mediaOrder."))
        && !(e.entity == "recognition" && field == "status")
        && !(e.entity == "media" && MEDIA_FIXED.contains(&field))
        && (data_target(&e.entity, field).is_none() || e.old_data.is_some())
}

impl Registry {
    /// Puts the field changed by edit-log row `seq` back to its old value; the revert is logged.
    pub fn history_revert(&mut self, seq: i64) -> Result<()> {
        let entry = recycle::log_entry(&self.conn, seq)?;
        let field = match (entry.action.as_str(), entry.field.as_deref()) {
            ("update" | "revert", Some(f)) => f.to_string(),
            ("create", _) => {
                return Err(Error::Conflict(
                    "“新建”不能撤销，如需去掉这条记录请删除它".into(),
                ))
            }
            ("delete", _) => return Err(Error::Conflict("“删除”请在回收站中恢复".into())),
            _ => return Err(Error::Conflict("这条修改记录不能撤销".into())),
        };
        if entry.entity == "recognition" && field == "status" {
            return Err(Error::Conflict(
                "认定状态是按日期记录的事件，不能撤销；如有错误请再登记一条状态变更".into(),
            ));
        }
        // The form field to set and the value to set it to: a composite field's machine
        // form from the log, or the plain field's logged text typed as the form wants it.
        let (key, value) = match data_target(&entry.entity, &field) {
            Some(target) => {
                let data = entry.old_data.as_deref().ok_or_else(|| {
                    Error::Conflict(format!(
                        "“{field}”的这次修改由旧版本记录，没有保存可恢复的原值，请在编辑页面中手动修改"
                    ))
                })?;
                let v: serde_json::Value = serde_json::from_str(data)
                    .map_err(|e| Error::Conflict(format!("无法撤销：{e}")))?;
                (target.to_string(), v)
            }
            None => (field.clone(), typed(&field, &entry.old_value)?),
        };
        let _guard = RevertGuard::start(format!("撤销第 {seq} 条修改"));
        if key == "mediaOrder" {
            let role = field.trim_start_matches("mediaOrder.");
            let ids: Vec<String> = to(value)?;
            return self.media_reorder(&entry.entity, &entry.entity_id, role, &ids);
        }
        match entry.entity.as_str() {
            "item" => {
                let d = self.item_get(&entry.entity_id)?;
                let mut input = serde_json::json!({
                    "id": d.id, "name": d.name, "category": d.category, "batchId": d.batch_id, "seq": d.seq,
                    "parentId": d.parent_id, "status": d.status, "endangered": d.endangered,
                    "confidential": d.confidential, "townships": d.townships, "listings": d.listings,
                    "texts": d.texts, "note": d.note,
                });
                match key.as_str() {
                    "batch" => {
                        let id = match &entry.old_value {
                            Some(n) => Some(
                                n.parse::<i64>()
                                    .ok()
                                    .map(|n| batches::uid_by_number(&self.conn, n))
                                    .transpose()?
                                    .flatten()
                                    .ok_or_else(|| {
                                        Error::Conflict(format!("第 {n} 批已不存在，无法撤销"))
                                    })?,
                            ),
                            None => None,
                        };
                        input["batchId"] = id.into();
                    }
                    "parent" => input["parentId"] = value,
                    f => set_path(&mut input, f, value),
                }
                self.item_save(to(input)?)?;
            }
            "batch" => {
                let b = self.batch_get(&entry.entity_id)?;
                let mut input =
                    serde_json::to_value(&b).map_err(|e| Error::Conflict(e.to_string()))?;
                set_path(&mut input, &key, value);
                self.batch_save(to(input)?)?;
            }
            "inheritor" => {
                let d = self.inheritor_get(&entry.entity_id)?;
                let mut input =
                    serde_json::to_value(&d.fields).map_err(|e| Error::Conflict(e.to_string()))?;
                set_path(&mut input, &key, value);
                self.inheritor_save(to(input)?)?;
            }
            "unit" => {
                let d = self.unit_get(&entry.entity_id)?;
                let mut input =
                    serde_json::to_value(&d.fields).map_err(|e| Error::Conflict(e.to_string()))?;
                set_path(&mut input, &key, value);
                self.unit_save(to(input)?)?;
            }
            "plan" => {
                let d = self.plan_get(&entry.entity_id)?;
                let mut input =
                    serde_json::to_value(&d.fields).map_err(|e| Error::Conflict(e.to_string()))?;
                let value = if key == "budget" {
                    // Lines removed since cannot come back under their old ids: they are
                    // added again as new lines.
                    let live: Vec<Option<String>> =
                        d.fields.budget.iter().map(|l| l.id.clone()).collect();
                    let mut lines: Vec<BudgetLine> = to(value)?;
                    for l in &mut lines {
                        if !live.contains(&l.id) {
                            l.id = None;
                        }
                    }
                    serde_json::to_value(lines).map_err(|e| Error::Conflict(e.to_string()))?
                } else {
                    value
                };
                set_path(&mut input, &key, value);
                // A five-year plan moves as a whole: reverting either end moves the other.
                if let Some(start) = input["startYear"].as_i64().filter(|_| key == "startYear") {
                    input["endYear"] = (start + 4).into();
                }
                if let Some(end) = input["endYear"].as_i64().filter(|_| key == "endYear") {
                    input["startYear"] = (end - 4).into();
                }
                self.plan_save(to(input)?)?;
            }
            "activity" => {
                let d = self.activity_get(&entry.entity_id)?;
                let mut input =
                    serde_json::to_value(&d.fields).map_err(|e| Error::Conflict(e.to_string()))?;
                set_path(&mut input, &key, value);
                self.activity_save(to(input)?)?;
            }
            "recognition" => {
                let r = crate::db::inheritors::recognition(&self.conn, &entry.entity_id)?;
                let mut input = serde_json::json!({
                    "id": r.id, "inheritorId": r.inheritor_id, "itemId": r.item_id, "level": r.level,
                    "batchId": r.batch_id, "batchLabel": r.batch_label, "docNumber": r.doc_number,
                    "recognizedOn": r.recognized_on, "note": r.note,
                });
                set_path(&mut input, &key, value);
                self.recognition_save(to(input)?)?;
            }
            "evaluation" | "subsidy" | "training_plan" => {
                let person = recycle::owner_of(&self.conn, &entry.entity, &entry.entity_id)?;
                let d = self.inheritor_get(&person)?;
                let current = match entry.entity.as_str() {
                    "evaluation" => d
                        .evaluations
                        .iter()
                        .find(|x| x.id.as_deref() == Some(&entry.entity_id))
                        .map(serde_json::to_value),
                    "subsidy" => d
                        .subsidies
                        .iter()
                        .find(|x| x.id.as_deref() == Some(&entry.entity_id))
                        .map(serde_json::to_value),
                    _ => d
                        .training_plans
                        .iter()
                        .find(|x| x.id.as_deref() == Some(&entry.entity_id))
                        .map(serde_json::to_value),
                };
                let mut input = current
                    .ok_or_else(|| Error::NotFound {
                        kind: "记录",
                        id: entry.entity_id.clone(),
                    })?
                    .map_err(|e| Error::Conflict(e.to_string()))?;
                set_path(&mut input, &key, value);
                match entry.entity.as_str() {
                    "evaluation" => self.evaluation_save(to(input)?).map(drop)?,
                    "subsidy" => self.subsidy_save(to(input)?).map(drop)?,
                    _ => self.training_plan_save(to(input)?).map(drop)?,
                }
            }
            "unit_check" => {
                let unit = recycle::owner_of(&self.conn, "unit_check", &entry.entity_id)?;
                let d = self.unit_get(&unit)?;
                let check = d
                    .checks
                    .iter()
                    .find(|c| c.id.as_deref() == Some(&entry.entity_id))
                    .ok_or_else(|| Error::NotFound {
                        kind: "检查记录",
                        id: entry.entity_id.clone(),
                    })?;
                let mut input =
                    serde_json::to_value(check).map_err(|e| Error::Conflict(e.to_string()))?;
                set_path(&mut input, &key, value);
                self.unit_check_save(to(input)?)?;
            }
            "lineage_edge" => {
                let item_row = crate::db::lineage::edge_item(&self.conn, &entry.entity_id)?;
                let item = crate::db::items::uid_of(&self.conn, item_row)?;
                let edge = self
                    .lineage_get(&item)?
                    .edges
                    .into_iter()
                    .find(|e| e.id.as_deref() == Some(&entry.entity_id))
                    .ok_or_else(|| Error::NotFound {
                        kind: "传承关系",
                        id: entry.entity_id.clone(),
                    })?;
                let mut input =
                    serde_json::to_value(edge).map_err(|e| Error::Conflict(e.to_string()))?;
                set_path(&mut input, &key, value);
                self.lineage_edge_save(to(input)?)?;
            }
            "expenditure" => {
                let (e, _) = crate::db::plans::expenditure(&self.conn, &entry.entity_id)?;
                let mut input =
                    serde_json::to_value(e).map_err(|e| Error::Conflict(e.to_string()))?;
                match key.as_str() {
                    "amount" => {
                        let yuan = entry
                            .old_value
                            .as_deref()
                            .unwrap_or("")
                            .trim_end_matches('元')
                            .trim();
                        let fen = yuan
                            .parse::<f64>()
                            .map(|y| (y * 100.0).round() as i64)
                            .map_err(|_| Error::Conflict(format!("无法撤销：“{yuan}”不是金额")))?;
                        input["amountFen"] = fen.into();
                    }
                    f => set_path(&mut input, f, value),
                }
                self.expenditure_save(to(input)?)?;
            }
            "media" => {
                let d = self.media_get(&entry.entity_id)?;
                let mut input = serde_json::to_value(&d.description)
                    .map_err(|e| Error::Conflict(e.to_string()))?;
                if input.get(&key).is_none() {
                    return Err(not_revertible(&field));
                }
                input["id"] = d.id.into();
                set_path(&mut input, &key, value);
                self.media_describe(to(input)?)?;
            }
            other => {
                return Err(Error::Conflict(format!(
                    "这类记录（{other}）的修改暂不支持单独撤销，请在编辑页面中手动修改"
                )))
            }
        }
        Ok(())
    }

    /// Every soft-deleted record with its reason, newest first.
    pub fn recycle_list(&self) -> Result<Vec<RecycleEntry>> {
        recycle::list(&self.conn)
    }

    /// Restores a record from the recycle bin, whatever its kind.
    pub fn recycle_restore(&mut self, entity: &str, id: &str) -> Result<()> {
        match entity {
            "item" => self.item_restore(id).map(drop),
            "batch" => self.batch_restore(id).map(drop),
            "inheritor" => self.inheritor_restore(id).map(drop),
            "unit" => self.unit_restore(id).map(drop),
            "plan" => self.plan_restore(id).map(drop),
            "activity" => self.activity_restore(id).map(drop),
            "media" => self.media_restore(id).map(drop),
            other => Err(Error::field(
                "entity",
                format!("回收站中没有“{other}”这类记录"),
            )),
        }
    }

    /// Searches items, inheritors, protection units and activities; hits grouped by kind.
    pub fn search_all(&self, text: &str, limit_per_kind: usize) -> Result<Vec<SearchGroup>> {
        let limit = limit_per_kind.clamp(1, 200);
        let mut groups = Vec::new();
        let items = self.search(text, limit)?;
        groups.push(SearchGroup {
            kind: "item".into(),
            label: "项目".into(),
            hits: items,
        });
        let people = self.inheritor_list(&InheritorQuery {
            query: Some(text.to_string()),
            page_size: Some(limit as i64),
            ..Default::default()
        })?;
        groups.push(SearchGroup {
            kind: "inheritor".into(),
            label: "传承人".into(),
            hits: people
                .rows
                .into_iter()
                .map(|r| SearchHit {
                    kind: "inheritor".into(),
                    snippet: r.recognitions.clone(),
                    matched: crate::search::match_kind(&r.name, text).to_string(),
                    id: r.id,
                    name: r.name,
                })
                .collect(),
        });
        let units = self.unit_list(&UnitQuery {
            query: Some(text.to_string()),
            page_size: Some(limit as i64),
            ..Default::default()
        })?;
        groups.push(SearchGroup {
            kind: "unit".into(),
            label: "保护单位".into(),
            hits: units
                .rows
                .into_iter()
                .map(|r| SearchHit {
                    kind: "unit".into(),
                    snippet: r.items.clone(),
                    matched: crate::search::match_kind(&r.name, text).to_string(),
                    id: r.id,
                    name: r.name,
                })
                .collect(),
        });
        let activities = self.activity_list(&ActivityQuery {
            query: Some(text.to_string()),
            page_size: Some(limit as i64),
            ..Default::default()
        })?;
        groups.push(SearchGroup {
            kind: "activity".into(),
            label: "活动".into(),
            hits: activities
                .rows
                .into_iter()
                .map(|r| SearchHit {
                    kind: "activity".into(),
                    snippet: format!("{} {}", r.started_on, r.kind),
                    matched: crate::search::match_kind(&r.title, text).to_string(),
                    id: r.id,
                    name: r.title,
                })
                .collect(),
        });
        groups.retain(|g| !g.hits.is_empty());
        Ok(groups)
    }
}

//! Exchange packages (`feiyi-exchange/1`): the file format, its verification, and the
//! merge plan — what importing a package into a registry adds, updates, leaves, and
//! where both sides changed the same field (a conflict the user decides).
//!
//! The edit log is the shared history: entry uids are global, so a record whose package
//! history has entries this registry lacks was changed over there, and one whose local
//! history has entries the package lacks was changed here. See ARCHITECTURE.md
//! (“Exchange packages”) for the rules.

pub mod package;

use crate::db::exchange::{self as dbx, Fields, Kind, LogEntry, Record, KINDS};
use crate::error::Result;
use crate::model::{FieldConflict, RecordChange, RecordConflict};
use rusqlite::Connection;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// The format this build writes and reads.
pub const FORMAT: &str = "feiyi-exchange/1";

/// The most added (and updated) records a preview lists by name; the rest are counted. A
/// preview crosses to the window whole, and a province-sized package adds millions.
pub const PREVIEW_LINES: usize = 500;

/// Reason written on the edit-log rows of a merge; rows with it are bookkeeping and are
/// left out when two registries' histories are compared.
pub const MERGE_REASON: &str = "合并交换包：";

/// Columns never compared: they differ between registries without anyone changing the
/// record, or follow another column (see [`DERIVED`]).
const UNCOMPARED: [&str; 6] = [
    "created_at",
    "updated_at",
    "name_pinyin",
    "name_initials",
    "title_pinyin",
    "title_initials",
];

/// Columns computed from another one: set whenever their source is.
pub const DERIVED: [(&str, &str); 4] = [
    ("name_pinyin", "name"),
    ("name_initials", "name"),
    ("title_pinyin", "title"),
    ("title_initials", "title"),
];

/// Whether a log entry is a merge's own bookkeeping row.
pub fn is_merge_row(e: &LogEntry) -> bool {
    e.reason
        .as_deref()
        .is_some_and(|r| r.starts_with(MERGE_REASON))
}

/// Each record's history: the uids of the log entries about it (merge rows left out); a
/// media file's history also has the reorderings of the records it is linked to.
pub fn histories(
    entries: &[LogEntry],
    records: &BTreeMap<&'static str, Vec<Record>>,
) -> HashMap<String, Vec<String>> {
    let mut by_entity: HashMap<&str, Vec<&LogEntry>> = HashMap::new();
    for e in entries.iter().filter(|e| !is_merge_row(e)) {
        by_entity.entry(e.entity_uid.as_str()).or_default().push(e);
    }
    let mut out = HashMap::new();
    for (kind, list) in records {
        for r in list {
            let mut h: Vec<String> = by_entity
                .get(r.uid.as_str())
                .map(|v| v.iter().map(|e| e.uid.clone()).collect())
                .unwrap_or_default();
            if *kind == "media" {
                for target in link_targets(r) {
                    if let Some(v) = by_entity.get(target.as_str()) {
                        h.extend(
                            v.iter()
                                .filter(|e| {
                                    e.field
                                        .as_deref()
                                        .is_some_and(|f| f.starts_with("mediaOrder."))
                                })
                                .map(|e| e.uid.clone()),
                        );
                    }
                }
            }
            out.insert(r.uid.clone(), h);
        }
    }
    out
}

fn link_targets(media: &Record) -> Vec<String> {
    match media.fields.get("links") {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|l| l.get("entity_uid").and_then(|v| v.as_str()))
            .map(str::to_string)
            .collect(),
        _ => Vec::new(),
    }
}

/// `birthDate` → `birth_date`.
fn snake(camel: &str) -> String {
    let mut out = String::new();
    for c in camel.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The fields of a record a log entry changed; `None` = all of them (or not known).
fn touched(kind: &str, e: Option<&LogEntry>) -> Option<Vec<String>> {
    let e = e?;
    match e.action.as_str() {
        "delete" | "restore" => {
            return Some(vec!["deleted_at".into(), "deleted_reason".into()]);
        }
        "update" | "revert" => {}
        "override" => return Some(Vec::new()),
        _ => return None,
    }
    let field = e.field.as_deref()?;
    if field.starts_with("mediaOrder.") {
        return Some(vec!["links".into()]);
    }
    let plain = field.strip_prefix("texts.").unwrap_or(field);
    let cols: Vec<&str> = match (kind, plain) {
        (_, "name") => vec!["name", "name_pinyin", "name_initials"],
        ("activity", "title") => vec!["title", "title_pinyin", "title_initials"],
        ("item", "category") => vec!["category_code"],
        ("item", "batch") => vec!["batch_id"],
        ("item", "parent") => vec!["parent_id"],
        ("plan", "item") => vec!["item_id"],
        ("plan", "unit") => vec!["unit_id"],
        ("recognition", "inheritorName") => vec!["inheritor_id"],
        ("recognition", "itemName") => vec!["item_id"],
        ("lineage_edge", "masterName") => vec!["master_id"],
        ("lineage_edge", "apprenticeName") => vec!["apprentice_id"],
        ("expenditure", "budgetLine") => vec!["budget_line_id"],
        _ => return Some(vec![snake(plain)]),
    };
    Some(cols.into_iter().map(str::to_string).collect())
}

/// Chinese labels of the commonest fields (the rest show their column name).
pub fn field_label(field: &str) -> String {
    let l = match field {
        "name" => "名称",
        "title" => "标题",
        "category_code" => "类别",
        "seq" => "序号",
        "batch_id" => "批次",
        "parent_id" => "母项目",
        "status" => "状态",
        "endangered" => "濒危",
        "confidential" => "保密",
        "summary" => "项目简介",
        "history" => "历史渊源",
        "content" => "基本内容",
        "note" => "备注",
        "townships" => "分布镇街",
        "listings" => "名录级别",
        "items" => "项目",
        "inheritors" => "传承人",
        "links" => "关联",
        "years" => "年度目标",
        "budget" => "经费预算",
        "sex" => "性别",
        "birth_date" => "出生日期",
        "death_date" => "去世日期",
        "id_number" => "身份证号",
        "phone" => "联系电话",
        "address" => "住址",
        "caption" => "说明",
        "deleted_at" => "删除时间",
        "deleted_reason" => "删除原因",
        "year" => "年度",
        "grade" => "评估结果",
        "level" => "级别",
        "doc_number" => "文号",
        "amount_fen" => "金额（分）",
        "started_on" => "开始日期",
        "place" => "地点",
        other => other,
    };
    l.to_string()
}

/// A record's name for people.
pub fn record_label(kind: &Kind, r: &Record) -> String {
    for col in ["name", "title", "original_name"] {
        if let Some(Value::String(s)) = r.fields.get(col) {
            return s.clone();
        }
    }
    if let Some(n) = r.fields.get("number").and_then(Value::as_i64) {
        return crate::reference::batch_label(n);
    }
    match r.fields.get("year").and_then(Value::as_i64) {
        Some(y) => format!("{}（{y} 年）", kind.label),
        None => kind.label.to_string(),
    }
}

/// A value as people read it: text as it is, numbers as digits, lists one line per row.
pub fn readable(v: &Value, labels: &HashMap<String, String>) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(labels.get(s).cloned().unwrap_or_else(|| s.clone())),
        Value::Array(a) if a.is_empty() => None,
        Value::Array(a) => Some(
            a.iter()
                .map(|row| match row {
                    Value::Object(o) => o
                        .iter()
                        .filter(|(k, _)| !matches!(k.as_str(), "uid" | "created_at" | "updated_at"))
                        .filter_map(|(_, v)| readable(v, labels))
                        .collect::<Vec<_>>()
                        .join(" "),
                    other => readable(other, labels).unwrap_or_default(),
                })
                .collect::<Vec<_>>()
                .join("；"),
        ),
        other => Some(other.to_string()),
    }
}

/// A record the merge adds.
#[derive(Debug, Clone)]
pub struct Add {
    /// Its kind.
    pub kind: &'static Kind,
    /// The record, ids already mapped to this registry's.
    pub record: Record,
}

/// Fields of an existing record the merge sets (and those in conflict).
#[derive(Debug, Clone)]
pub struct Update {
    /// Its kind.
    pub kind: &'static Kind,
    /// Its uid here.
    pub uid: String,
    /// Its name.
    pub label: String,
    /// The local record as it is.
    pub local: Fields,
    /// The package's record (ids mapped).
    pub remote: Fields,
    /// Fields set to the package's value without asking.
    pub take: Vec<String>,
    /// Fields changed on both sides to different values.
    pub conflicts: Vec<FieldConflict>,
    /// The later of the two `updated_at`.
    pub updated_at: Option<Value>,
}

/// What a merge would do.
#[derive(Debug, Clone, Default)]
pub struct Plan {
    /// Records added, in insertion order.
    pub adds: Vec<Add>,
    /// Records updated (or in conflict).
    pub updates: Vec<Update>,
    /// Records left as they are.
    pub unchanged: i64,
    /// Sentences for the user (same names, missing originals).
    pub warnings: Vec<String>,
    /// Package uid → local uid, for records matched by content or natural key.
    pub uid_map: HashMap<String, String>,
    /// The package's log entries this registry lacks, entity ids mapped, in order.
    pub new_entries: Vec<LogEntry>,
    /// Every record on both sides named by uid (a matched record under its local uid), so
    /// that links read as the records they point to, in the preview and in the merge's log.
    pub labels: HashMap<String, String>,
}

impl Plan {
    /// The preview lines: the first `limit` records added.
    pub fn added(&self, limit: usize) -> Vec<RecordChange> {
        self.adds
            .iter()
            .take(limit)
            .map(|a| RecordChange {
                kind: a.kind.kind.into(),
                id: a.record.uid.clone(),
                label: record_label(a.kind, &a.record),
                action: "add".into(),
                fields: Vec::new(),
            })
            .collect()
    }

    /// The records updated without conflict.
    fn taken(&self) -> impl Iterator<Item = &Update> {
        self.updates.iter().filter(|u| !u.take.is_empty())
    }

    /// How many records are updated without conflict.
    pub fn updated_count(&self) -> usize {
        self.taken().count()
    }

    /// The preview lines: the first `limit` records updated without conflict (fields by
    /// label).
    pub fn updated(&self, limit: usize) -> Vec<RecordChange> {
        self.taken()
            .take(limit)
            .map(|u| RecordChange {
                kind: u.kind.kind.into(),
                id: u.uid.clone(),
                label: u.label.clone(),
                action: "update".into(),
                fields: u.take.iter().map(|f| field_label(f)).collect(),
            })
            .collect()
    }

    /// The preview lines: conflicts.
    pub fn conflicts(&self) -> Vec<RecordConflict> {
        self.updates
            .iter()
            .filter(|u| !u.conflicts.is_empty())
            .map(|u| RecordConflict {
                kind: u.kind.kind.into(),
                id: u.uid.clone(),
                label: u.label.clone(),
                fields: u.conflicts.clone(),
            })
            .collect()
    }
}

fn remap(v: &mut Value, map: &HashMap<String, String>) {
    match v {
        Value::String(s) => {
            if let Some(m) = map.get(s.as_str()) {
                *s = m.clone();
            }
        }
        Value::Array(a) => a.iter_mut().for_each(|x| remap(x, map)),
        Value::Object(o) => {
            for (k, x) in o.iter_mut() {
                // Only ids move: a uid column, a foreign key, a link's target.
                if k == "uid" || k.ends_with("_id") || k == "entity_uid" {
                    remap(x, map);
                }
            }
        }
        _ => {}
    }
}

/// Works out the merge of `package` records and `entries` into the registry on `conn`.
/// Takes them by value: the plan keeps the package's records (mapped) rather than copies, so
/// a province-sized package is held once, not twice.
pub fn plan(
    conn: &Connection,
    mut package: BTreeMap<String, Vec<Record>>,
    entries: Vec<LogEntry>,
) -> Result<Plan> {
    let local = dbx::read_all(conn)?;
    let local_entries = dbx::log_entries(conn)?;
    let local_hist = histories(&local_entries, &local);
    let local_by_uid: HashMap<&str, &LogEntry> =
        local_entries.iter().map(|e| (e.uid.as_str(), e)).collect();
    let remote_by_uid: HashMap<&str, &LogEntry> =
        entries.iter().map(|e| (e.uid.as_str(), e)).collect();
    let mut p = Plan::default();

    // Reference records made independently in each registry match by natural key:
    // a batch by its number, a media file by its content.
    for r in package.get("batch").into_iter().flatten() {
        if dbx::id_of(conn, "batch", &r.uid)?.is_none() {
            if let Some(n) = r.fields.get("number").and_then(Value::as_i64) {
                if let Some(l) = dbx::batch_by_number(conn, n)? {
                    p.uid_map.insert(r.uid.clone(), l);
                }
            }
        }
    }
    for r in package.get("media").into_iter().flatten() {
        if dbx::id_of(conn, "media", &r.uid)?.is_none() {
            if let Some(Value::String(sha)) = r.fields.get("sha256") {
                if let Some(l) = dbx::media_by_sha256(conn, sha)? {
                    p.uid_map.insert(r.uid.clone(), l);
                }
            }
        }
    }

    // Names of every record on both sides, to show foreign keys readably.
    let mut labels: HashMap<String, String> = HashMap::new();
    for k in KINDS {
        for r in local.get(k.kind).into_iter().flatten() {
            labels.insert(r.uid.clone(), record_label(k, r));
        }
        for r in package.get(k.kind).into_iter().flatten() {
            labels
                .entry(p.uid_map.get(&r.uid).cloned().unwrap_or(r.uid.clone()))
                .or_insert_with(|| record_label(k, r));
        }
    }

    for k in KINDS {
        let locals: HashMap<&str, &Record> = local
            .get(k.kind)
            .into_iter()
            .flatten()
            .map(|r| (r.uid.as_str(), r))
            .collect();
        let mut adds = Vec::new();
        for mut remote in package.remove(k.kind).unwrap_or_default() {
            let history = std::mem::take(&mut remote.history);
            let mut fields = Value::Object(remote.fields.into_iter().collect());
            remap(&mut fields, &p.uid_map);
            remote.fields = match fields {
                Value::Object(o) => o.into_iter().collect(),
                _ => Fields::new(),
            };
            if let Some(m) = p.uid_map.get(&remote.uid) {
                remote.uid = m.clone();
            }
            let Some(l) = locals.get(remote.uid.as_str()) else {
                if dbx::purged(conn, &remote.uid)? {
                    p.unchanged += 1;
                    continue;
                }
                let label = record_label(k, &remote);
                if !dbx::same_name(conn, k, &label)?.is_empty() {
                    p.warnings.push(format!(
                        "新增的{}“{label}”与本名录中已有的一条同名，但不是同一条记录（两台电脑分别录入），已作为新记录加入；如确为重复，请合并后删除其一",
                        k.label
                    ));
                }
                adds.push(remote);
                continue;
            };
            let diff: Vec<String> = remote
                .fields
                .iter()
                .filter(|(f, _)| !UNCOMPARED.contains(&f.as_str()))
                .filter(|(f, v)| l.fields.get(*f).unwrap_or(&Value::Null) != *v)
                .map(|(f, _)| f.clone())
                .collect();
            if diff.is_empty() {
                p.unchanged += 1;
                continue;
            }
            let rh: HashSet<&str> = history.iter().map(String::as_str).collect();
            let lh: HashSet<&str> = local_hist
                .get(&remote.uid)
                .into_iter()
                .flatten()
                .map(String::as_str)
                .collect();
            let extra_r: Vec<&str> = history
                .iter()
                .map(String::as_str)
                .filter(|u| !lh.contains(u))
                .collect();
            let extra_l: Vec<&str> = local_hist
                .get(&remote.uid)
                .into_iter()
                .flatten()
                .map(String::as_str)
                .filter(|u| !rh.contains(u))
                .collect();
            if extra_r.is_empty() && !extra_l.is_empty() {
                p.unchanged += 1; // changed here only: this registry is newer
                continue;
            }
            let fields_of =
                |list: &[&str], by: &HashMap<&str, &LogEntry>| -> Option<BTreeSet<String>> {
                    let mut s = BTreeSet::new();
                    for u in list {
                        s.extend(touched(k.kind, by.get(u).copied())?);
                    }
                    Some(s)
                };
            let label = record_label(k, l);
            let mut u = Update {
                kind: k,
                uid: remote.uid.clone(),
                label,
                local: l.fields.clone(),
                remote: remote.fields.clone(),
                take: Vec::new(),
                conflicts: Vec::new(),
                updated_at: None,
            };
            if extra_l.is_empty() && !extra_r.is_empty() {
                u.take = diff; // changed over there only
            } else {
                // Both changed (or neither history explains the difference): field by field.
                let tr = fields_of(&extra_r, &remote_by_uid);
                let tl = fields_of(&extra_l, &local_by_uid);
                for f in diff {
                    let in_r = tr.as_ref().is_none_or(|s| s.contains(&f));
                    let in_l = tl.as_ref().is_none_or(|s| s.contains(&f));
                    if extra_l.is_empty() && extra_r.is_empty() {
                        // no history either way: the base is unknown
                    } else if in_r && !in_l {
                        u.take.push(f);
                        continue;
                    } else if in_l && !in_r {
                        continue;
                    }
                    // The value before the first change either side made, if logged.
                    let base = extra_r
                        .iter()
                        .chain(extra_l.iter())
                        .filter_map(|x| remote_by_uid.get(x).or(local_by_uid.get(x)))
                        .filter(|e| touched(k.kind, Some(e)).is_some_and(|t| t.contains(&f)))
                        .min_by(|a, b| a.at.cmp(&b.at))
                        .and_then(|e| e.old_value.clone());
                    u.conflicts.push(FieldConflict {
                        label: field_label(&f),
                        base,
                        local: readable(l.fields.get(&f).unwrap_or(&Value::Null), &labels),
                        remote: readable(remote.fields.get(&f).unwrap_or(&Value::Null), &labels),
                        field: f,
                    });
                }
            }
            let lu = l.fields.get("updated_at");
            let ru = remote.fields.get("updated_at");
            u.updated_at = match (lu.and_then(Value::as_str), ru.and_then(Value::as_str)) {
                (Some(a), Some(b)) => Some(Value::String(a.max(b).to_string())),
                _ => None,
            };
            if u.take.is_empty() && u.conflicts.is_empty() {
                p.unchanged += 1;
            } else {
                p.updates.push(u);
            }
        }
        // Extension items after their parents.
        if k.kind == "item" {
            let added: HashSet<String> = adds.iter().map(|r| r.uid.clone()).collect();
            let (top, ext): (Vec<_>, Vec<_>) = adds.into_iter().partition(|r| {
                r.fields
                    .get("parent_id")
                    .and_then(Value::as_str)
                    .is_none_or(|p| !added.contains(p))
            });
            adds = top.into_iter().chain(ext).collect();
        }
        p.adds
            .extend(adds.into_iter().map(|record| Add { kind: k, record }));
    }

    drop(remote_by_uid);
    let known = dbx::known_entries(conn)?;
    p.new_entries = entries
        .into_iter()
        .filter(|e| !known.contains(&e.uid))
        .map(|mut e| {
            if let Some(m) = p.uid_map.get(&e.entity_uid) {
                e.entity_uid = m.clone();
            }
            e
        })
        .collect();
    p.labels = labels;
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(uid: &str, name: &str) -> Record {
        Record {
            uid: uid.into(),
            history: Vec::new(),
            fields: [("name".to_string(), Value::String(name.into()))]
                .into_iter()
                .collect(),
        }
    }

    fn update(uid: &str, take: &[&str]) -> Update {
        Update {
            kind: dbx::kind("item").unwrap(),
            uid: uid.into(),
            label: uid.into(),
            local: Fields::new(),
            remote: Fields::new(),
            take: take.iter().map(|f| f.to_string()).collect(),
            conflicts: Vec::new(),
            updated_at: None,
        }
    }

    #[test]
    fn the_preview_lists_the_first_lines_and_counts_them_all() {
        let item = dbx::kind("item").unwrap();
        let plan = Plan {
            adds: ["甲", "乙", "丙"]
                .iter()
                .enumerate()
                .map(|(i, n)| Add {
                    kind: item,
                    record: record(&format!("u{i}"), n),
                })
                .collect(),
            updates: vec![
                update("a", &["name"]),
                update("b", &[]),
                update("c", &["note"]),
            ],
            ..Plan::default()
        };
        let labels: Vec<String> = plan.added(2).into_iter().map(|c| c.label).collect();
        assert_eq!(labels, ["甲", "乙"]);
        assert_eq!(plan.added(PREVIEW_LINES).len(), 3);
        assert!(plan.added(0).is_empty());
        // An update with nothing taken (only conflicts, or nothing) is not an update line.
        assert_eq!(plan.updated_count(), 2);
        let ids: Vec<String> = plan.updated(1).into_iter().map(|c| c.id).collect();
        assert_eq!(ids, ["a"]);
        assert_eq!(plan.updated(9).len(), 2);
    }
}

//! Exchange packages, the database side: every record of the register read as a generic
//! record (its stable `uid`, its columns as JSON with foreign keys written as the target's
//! `uid`, its child rows and link rows folded in as composite fields), and written back
//! the same way; the edit log read and appended with its entry uids kept.
//!
//! The tables are described once in [`KINDS`]; column names coming from a package are only
//! ever used after they were found among the table's own columns ([`columns`]),
//! so a package cannot inject SQL through a field name.

use crate::error::{Error, Result};
use rusqlite::types::{Value as SqlValue, ValueRef};
use rusqlite::{params, Connection, OptionalExtension};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};

/// Columns never carried: the local integer key, and the import run (local to a registry).
pub const LOCAL_COLUMNS: [&str; 2] = ["id", "import_id"];

/// A record's fields: column (or composite) name → JSON value.
pub type Fields = BTreeMap<String, Value>;

/// One record as an exchange package carries it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// Its stable id.
    pub uid: String,
    /// The uids of the edit-log entries that concern it (merge rows left out), oldest first.
    #[serde(default)]
    pub history: Vec<String>,
    /// Its columns and composite fields.
    pub fields: Fields,
}

/// Rows of another table folded into a record as one composite field.
#[derive(Debug)]
pub struct Child {
    /// The composite field's name (as the edit log names it where it does).
    pub field: &'static str,
    /// The table.
    pub table: &'static str,
    /// The column pointing at the owner's `id`.
    pub owner_col: &'static str,
    /// Foreign keys of the child rows: column → target table.
    pub fks: &'static [(&'static str, &'static str)],
    /// Columns the rows are sorted by (a stable order for comparison).
    pub order: &'static str,
    /// Written after every record is in place (its foreign keys point at later kinds).
    pub deferred: bool,
}

/// One kind of record.
#[derive(Debug)]
pub struct Kind {
    /// The kind as the edit log and the package name it.
    pub kind: &'static str,
    /// The table.
    pub table: &'static str,
    /// Chinese name.
    pub label: &'static str,
    /// Foreign keys: column → target table.
    pub fks: &'static [(&'static str, &'static str)],
    /// Folded child and link tables.
    pub children: &'static [Child],
    /// The kind has a search-index entry.
    pub searchable: bool,
}

/// Every kind of record an exchange package carries, parents before the records that
/// point at them (the order records are inserted in).
pub const KINDS: &[Kind] = &[
    Kind {
        kind: "media",
        table: "media",
        label: "资料",
        fks: &[],
        children: &[Child {
            field: "links",
            table: "media_link",
            owner_col: "media_id",
            fks: &[],
            order: "uid",
            deferred: true,
        }],
        searchable: false,
    },
    Kind {
        kind: "batch",
        table: "batch",
        label: "批次",
        fks: &[("decision_media_id", "media")],
        children: &[Child {
            field: "supplements",
            table: "batch_supplement",
            owner_col: "batch_id",
            fks: &[("decision_media_id", "media")],
            order: "uid",
            deferred: false,
        }],
        searchable: false,
    },
    Kind {
        kind: "unit",
        table: "protection_unit",
        label: "保护单位",
        fks: &[],
        children: &[Child {
            field: "items",
            table: "unit_item",
            owner_col: "unit_id",
            fks: &[("item_id", "item")],
            order: "item_id",
            deferred: true,
        }],
        searchable: true,
    },
    Kind {
        kind: "unit_check",
        table: "unit_check",
        label: "保护单位检查",
        fks: &[("unit_id", "protection_unit")],
        children: &[],
        searchable: false,
    },
    Kind {
        kind: "item",
        table: "item",
        label: "项目",
        fks: &[
            ("batch_id", "batch"),
            ("supplement_id", "batch_supplement"),
            ("parent_id", "item"),
        ],
        children: &[
            Child {
                field: "townships",
                table: "item_township",
                owner_col: "item_id",
                fks: &[],
                order: "township_code",
                deferred: false,
            },
            Child {
                field: "listings",
                table: "listing",
                owner_col: "item_id",
                fks: &[],
                order: "uid",
                deferred: false,
            },
        ],
        searchable: true,
    },
    Kind {
        kind: "inheritor",
        table: "inheritor",
        label: "传承人",
        fks: &[],
        children: &[],
        searchable: true,
    },
    Kind {
        kind: "recognition",
        table: "recognition",
        label: "传承人认定",
        fks: &[
            ("inheritor_id", "inheritor"),
            ("item_id", "item"),
            ("batch_id", "batch"),
        ],
        children: &[Child {
            field: "status",
            table: "recognition_event",
            owner_col: "recognition_id",
            fks: &[],
            order: "uid",
            deferred: false,
        }],
        searchable: false,
    },
    Kind {
        kind: "lineage_edge",
        table: "lineage_edge",
        label: "传承谱系",
        fks: &[
            ("item_id", "item"),
            ("master_id", "inheritor"),
            ("apprentice_id", "inheritor"),
        ],
        children: &[],
        searchable: false,
    },
    Kind {
        kind: "training_plan",
        table: "training_plan",
        label: "传习计划",
        fks: &[("inheritor_id", "inheritor"), ("item_id", "item")],
        children: &[],
        searchable: false,
    },
    Kind {
        kind: "evaluation",
        table: "evaluation",
        label: "传承人评估",
        fks: &[("inheritor_id", "inheritor"), ("item_id", "item")],
        children: &[],
        searchable: false,
    },
    Kind {
        kind: "subsidy",
        table: "subsidy",
        label: "传承补助",
        fks: &[("inheritor_id", "inheritor"), ("item_id", "item")],
        children: &[],
        searchable: false,
    },
    Kind {
        kind: "plan",
        table: "protection_plan",
        label: "保护计划",
        fks: &[("item_id", "item"), ("unit_id", "protection_unit")],
        children: &[
            Child {
                field: "years",
                table: "plan_year",
                owner_col: "plan_id",
                fks: &[],
                order: "uid",
                deferred: false,
            },
            Child {
                field: "budget",
                table: "budget_line",
                owner_col: "plan_id",
                fks: &[],
                order: "uid",
                deferred: false,
            },
        ],
        searchable: false,
    },
    Kind {
        kind: "expenditure",
        table: "expenditure",
        label: "经费支出",
        fks: &[("budget_line_id", "budget_line")],
        children: &[],
        searchable: false,
    },
    Kind {
        kind: "activity",
        table: "activity",
        label: "保护活动",
        fks: &[],
        children: &[
            Child {
                field: "items",
                table: "activity_item",
                owner_col: "activity_id",
                fks: &[("item_id", "item")],
                order: "item_id",
                deferred: false,
            },
            Child {
                field: "inheritors",
                table: "activity_inheritor",
                owner_col: "activity_id",
                fks: &[("inheritor_id", "inheritor")],
                order: "inheritor_id",
                deferred: false,
            },
        ],
        searchable: true,
    },
];

/// The description of a kind.
pub fn kind(name: &str) -> Option<&'static Kind> {
    KINDS.iter().find(|k| k.kind == name)
}

/// Tables whose integer ids foreign keys and child rows point at.
const ID_TABLES: [&str; 10] = [
    "media",
    "batch",
    "batch_supplement",
    "protection_unit",
    "item",
    "inheritor",
    "recognition",
    "protection_plan",
    "budget_line",
    "activity",
];

fn ident(table: &str) -> Result<&'static str> {
    // Table names only ever come from KINDS; this guards the format! below anyway.
    KINDS
        .iter()
        .flat_map(|k| std::iter::once(k.table).chain(k.children.iter().map(|c| c.table)))
        .find(|t| *t == table)
        .ok_or_else(|| Error::Conflict(format!("未知的数据表：{table}")))
}

/// The columns of a table, in their declared order.
///
/// Read from a cached `SELECT *` statement's column names, which costs nothing once it is
/// prepared: `pragma_table_info` prepared a `PRAGMA` statement on every call, and a merge
/// asks for a table's columns for every row it writes (at 100,000 items that was the
/// largest single cost of the record writes). The statement is stepped once (it reads no
/// row): a step prepares it again if the schema changed since it was cached.
pub fn columns(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let table = ident(table)?;
    let mut stmt = conn.prepare_cached(&format!("SELECT * FROM {table} LIMIT 0"))?;
    stmt.raw_query().next()?;
    Ok(stmt
        .column_names()
        .into_iter()
        .map(str::to_string)
        .collect())
}

fn to_json(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => i.into(),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::String(hex::encode(b)),
    }
}

fn to_sql(v: &Value) -> SqlValue {
    match v {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => match n.as_i64() {
            Some(i) => SqlValue::Integer(i),
            None => SqlValue::Real(n.as_f64().unwrap_or(0.0)),
        },
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

/// id → uid of every table foreign keys point at.
pub struct Ids {
    to_uid: HashMap<&'static str, HashMap<i64, String>>,
}

impl Ids {
    /// Reads the maps.
    pub fn read(conn: &Connection) -> Result<Self> {
        let mut to_uid = HashMap::new();
        for t in ID_TABLES {
            let mut stmt = conn.prepare(&format!("SELECT id, uid FROM {t}"))?;
            let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
            to_uid.insert(t, rows.collect::<rusqlite::Result<HashMap<_, _>>>()?);
        }
        Ok(Self { to_uid })
    }

    fn uid(&self, table: &str, id: i64) -> Value {
        self.to_uid
            .get(table)
            .and_then(|m| m.get(&id))
            .map_or(Value::Null, |u| Value::String(u.clone()))
    }
}

/// The local id of the record `uid` in `table`.
pub fn id_of(conn: &Connection, table: &str, uid: &str) -> Result<Option<i64>> {
    let table = ident(table)?;
    Ok(conn
        .prepare_cached(&format!("SELECT id FROM {table} WHERE uid = ?1"))?
        .query_row([uid], |r| r.get(0))
        .optional()?)
}

fn read_rows(
    conn: &Connection,
    table: &str,
    fks: &[(&str, &str)],
    ids: &Ids,
    raw: Option<&str>,
    order: &str,
) -> Result<Vec<(i64, Fields)>> {
    let table = ident(table)?;
    let cols = columns(conn, table)?;
    if !cols.iter().any(|c| c == order) {
        return Err(Error::Conflict(format!("未知的排序列：{order}")));
    }
    // Link tables have no `id`: their rowid stands in for it (only used to group them).
    let mut stmt = conn.prepare(&format!("SELECT rowid, * FROM {table} ORDER BY {order}"))?;
    let mut rows = stmt.query([])?;
    let mut out = Vec::new();
    while let Some(r) = rows.next()? {
        let mut f = Fields::new();
        let mut key: i64 = r.get(0)?;
        for (i, c) in cols.iter().enumerate() {
            let v = r.get_ref(i + 1)?;
            if raw == Some(c.as_str()) {
                if let ValueRef::Integer(id) = v {
                    key = id;
                }
                continue;
            }
            if LOCAL_COLUMNS.contains(&c.as_str()) {
                continue;
            }
            let value = match (fks.iter().find(|(col, _)| col == c), v) {
                (Some((_, target)), ValueRef::Integer(id)) => ids.uid(target, id),
                _ => to_json(v),
            };
            f.insert(c.clone(), value);
        }
        out.push((key, f));
    }
    Ok(out)
}

/// Every record of every kind, with composite fields; soft-deleted records included.
pub fn read_all(conn: &Connection) -> Result<BTreeMap<&'static str, Vec<Record>>> {
    let ids = Ids::read(conn)?;
    let mut out = BTreeMap::new();
    for k in KINDS {
        let mut children: Vec<HashMap<String, Vec<Value>>> = Vec::new();
        for c in k.children {
            let rows = read_rows(conn, c.table, c.fks, &ids, Some(c.owner_col), c.order)?;
            let mut by_owner: HashMap<String, Vec<Value>> = HashMap::new();
            for (owner, f) in rows {
                if let Value::String(o) = ids.uid(k.table, owner) {
                    by_owner
                        .entry(o)
                        .or_default()
                        .push(Value::Object(f.into_iter().collect()));
                }
            }
            // One order whatever the local ids: by the rows' own text.
            for list in by_owner.values_mut() {
                list.sort_by_cached_key(|v| v.to_string());
            }
            children.push(by_owner);
        }
        let rows = read_rows(conn, k.table, k.fks, &ids, None, "uid")?;
        let mut records = Vec::with_capacity(rows.len());
        for (_, mut f) in rows {
            let uid = match f.remove("uid") {
                Some(Value::String(u)) => u,
                _ => continue,
            };
            for (c, by_owner) in k.children.iter().zip(children.iter_mut()) {
                let list = by_owner.remove(&uid).unwrap_or_default();
                f.insert(c.field.to_string(), Value::Array(list));
            }
            records.push(Record {
                uid,
                history: Vec::new(),
                fields: f,
            });
        }
        out.insert(k.kind, records);
    }
    Ok(out)
}

/// One edit-log row as a package carries it (its chain position is the sender's own).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LogEntry {
    /// The entry's stable id.
    pub uid: String,
    /// The sender's sequence number (orders the entries; not kept).
    pub seq: i64,
    /// When.
    pub at: String,
    /// Who.
    pub actor: String,
    /// Entity kind.
    pub entity: String,
    /// Entity uid.
    pub entity_uid: String,
    /// Action.
    pub action: String,
    /// Field.
    pub field: Option<String>,
    /// Old value.
    pub old_value: Option<String>,
    /// New value.
    pub new_value: Option<String>,
    /// Reason.
    pub reason: Option<String>,
    /// Old machine form.
    pub old_data: Option<String>,
    /// New machine form.
    pub new_data: Option<String>,
}

/// Every edit-log entry, oldest first.
pub fn log_entries(conn: &Connection) -> Result<Vec<LogEntry>> {
    let mut stmt = conn.prepare(
        "SELECT uid, seq, at, actor, entity_kind, entity_uid, action, field, old_value, new_value,
                reason, old_data, new_data
         FROM edit_log ORDER BY seq",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok(LogEntry {
            uid: r.get(0)?,
            seq: r.get(1)?,
            at: r.get(2)?,
            actor: r.get(3)?,
            entity: r.get(4)?,
            entity_uid: r.get(5)?,
            action: r.get(6)?,
            field: r.get(7)?,
            old_value: r.get(8)?,
            new_value: r.get(9)?,
            reason: r.get(10)?,
            old_data: r.get(11)?,
            new_data: r.get(12)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Appends an entry received from another registry, keeping its uid, time, author and
/// content; its place in this registry's hash chain is computed here.
pub fn append_entry(conn: &Connection, e: &LogEntry) -> Result<()> {
    super::log::append_with_uid(
        conn,
        &e.uid,
        &e.at,
        &e.actor,
        super::log::Change {
            entity: &e.entity,
            entity_id: &e.entity_uid,
            action: &e.action,
            field: e.field.as_deref(),
            old_value: e.old_value.clone(),
            new_value: e.new_value.clone(),
            reason: e.reason.clone(),
            old_data: e.old_data.clone(),
            new_data: e.new_data.clone(),
        },
    )
}

/// The live batch of that number, if any.
pub fn batch_by_number(conn: &Connection, number: i64) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT uid FROM batch WHERE number = ?1 AND deleted_at IS NULL")?
        .query_row([number], |r| r.get(0))
        .optional()?)
}

/// The media record holding that content, if any.
pub fn media_by_sha256(conn: &Connection, sha256: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT uid FROM media WHERE sha256 = ?1")?
        .query_row([sha256], |r| r.get(0))
        .optional()?)
}

/// Whether the record was purged (removed for good) here.
pub fn purged(conn: &Connection, uid: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached(
            "SELECT 1 FROM edit_log WHERE entity_uid = ?1 AND action = 'purge' LIMIT 1",
        )?
        .query_row([uid], |_| Ok(()))
        .optional()?
        .is_some())
}

/// The uids of live records of a kind with that name (or title), for the same-name warning.
pub fn same_name(conn: &Connection, kind: &Kind, name: &str) -> Result<Vec<String>> {
    let col = match kind.kind {
        "item" | "inheritor" | "unit" => "name",
        "activity" | "plan" => "title",
        _ => return Ok(Vec::new()),
    };
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT uid FROM {} WHERE {col} = ?1 AND deleted_at IS NULL",
        ident(kind.table)?
    ))?;
    let rows = stmt.query_map([name], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Resolves the foreign keys of `fields` (uids) to local ids.
fn resolve(
    conn: &Connection,
    fks: &[(&str, &str)],
    col: &str,
    v: &Value,
    what: &str,
) -> Result<SqlValue> {
    match (fks.iter().find(|(c, _)| *c == col), v) {
        (Some((_, target)), Value::String(uid)) => match id_of(conn, target, uid)? {
            Some(id) => Ok(SqlValue::Integer(id)),
            None => Err(Error::Conflict(format!(
                "{what}引用的记录（{uid}）在包中和本名录中都不存在"
            ))),
        },
        _ => Ok(to_sql(v)),
    }
}

fn checked(cols: &[String], name: &str, table: &str) -> Result<()> {
    if cols.iter().any(|c| c == name) && !LOCAL_COLUMNS.contains(&name) {
        Ok(())
    } else {
        Err(Error::Conflict(format!(
            "包中的{table}记录有本程序不认识的字段“{name}”"
        )))
    }
}

fn insert_row(
    conn: &Connection,
    table: &str,
    fks: &[(&str, &str)],
    row: &[(String, Value)],
    what: &str,
) -> Result<()> {
    let table = ident(table)?;
    let cols = columns(conn, table)?;
    let mut names = Vec::new();
    let mut values = Vec::new();
    for (c, v) in row {
        checked(&cols, c, table)?;
        names.push(c.as_str());
        values.push(resolve(conn, fks, c, v, what)?);
    }
    let marks: Vec<String> = (1..=names.len()).map(|i| format!("?{i}")).collect();
    conn.prepare_cached(&format!(
        "INSERT INTO {table}({}) VALUES ({})",
        names.join(", "),
        marks.join(", ")
    ))?
    .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// Inserts a record's own row (not its composite fields).
pub fn insert(conn: &Connection, kind: &Kind, rec: &Record) -> Result<()> {
    let composite: Vec<&str> = kind.children.iter().map(|c| c.field).collect();
    let mut row: Vec<(String, Value)> = vec![("uid".into(), Value::String(rec.uid.clone()))];
    row.extend(
        rec.fields
            .iter()
            .filter(|(k, _)| !composite.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone())),
    );
    insert_row(conn, kind.table, kind.fks, &row, kind.label)
}

/// Sets some of a record's own columns.
pub fn update(conn: &Connection, kind: &Kind, uid: &str, fields: &Fields) -> Result<()> {
    if fields.is_empty() {
        return Ok(());
    }
    let table = ident(kind.table)?;
    let cols = columns(conn, table)?;
    update_row(conn, table, &cols, kind.fks, uid, fields.iter(), kind.label)
}

/// Sets `fields` (checked against `cols`, foreign keys resolved) on the row `uid` of
/// `table`; nothing when there are none.
fn update_row<'a>(
    conn: &Connection,
    table: &str,
    cols: &[String],
    fks: &[(&str, &str)],
    uid: &str,
    fields: impl Iterator<Item = (&'a String, &'a Value)>,
    what: &str,
) -> Result<()> {
    let mut sets = Vec::new();
    let mut values = Vec::new();
    for (c, v) in fields {
        checked(cols, c, table)?;
        sets.push(format!("{c} = ?{}", values.len() + 1));
        values.push(resolve(conn, fks, c, v, what)?);
    }
    if sets.is_empty() {
        return Ok(());
    }
    values.push(SqlValue::Text(uid.to_string()));
    conn.prepare_cached(&format!(
        "UPDATE {table} SET {} WHERE uid = ?{}",
        sets.join(", "),
        values.len()
    ))?
    .execute(rusqlite::params_from_iter(values))?;
    Ok(())
}

/// Replaces a record's composite field: its child or link rows are deleted and written
/// again from `value` (an array of row objects). Child rows keep their uids.
pub fn replace_children(
    conn: &Connection,
    kind: &Kind,
    child: &Child,
    uid: &str,
    value: &Value,
) -> Result<()> {
    let owner = id_of(conn, kind.table, uid)?
        .ok_or_else(|| Error::Conflict(format!("找不到{}：{uid}", kind.label)))?;
    let table = ident(child.table)?;
    let wanted: Vec<&serde_json::Map<String, Value>> = match value {
        Value::Array(a) => a.iter().filter_map(|v| v.as_object()).collect(),
        Value::Null => Vec::new(),
        _ => {
            return Err(Error::Conflict(format!(
                "包中{}的“{}”格式不对",
                kind.label, child.field
            )))
        }
    };
    let keep: Vec<&str> = wanted
        .iter()
        .filter_map(|o| o.get("uid").and_then(|v| v.as_str()))
        .collect();
    let cols = columns(conn, table)?;
    let has_uid = cols.iter().any(|c| c == "uid");
    if has_uid {
        // Rows that stay are updated in place (so that what points at them stays valid).
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT uid FROM {table} WHERE {} = ?1",
            child.owner_col
        ))?;
        let existing: Vec<String> = stmt
            .query_map([owner], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for e in existing.iter().filter(|e| !keep.contains(&e.as_str())) {
            conn.prepare_cached(&format!("DELETE FROM {table} WHERE uid = ?1"))?
                .execute([e])?;
        }
        for o in &wanted {
            let Some(cuid) = o.get("uid").and_then(|v| v.as_str()) else {
                continue;
            };
            let mut row: Vec<(String, Value)> = o
                .iter()
                .filter(|(k, _)| k.as_str() != child.owner_col)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            if existing.iter().any(|e| e == cuid) {
                let fields = row.iter().filter(|(c, _)| c != "uid").map(|(c, v)| (c, v));
                update_row(conn, table, &cols, child.fks, cuid, fields, kind.label)?;
            } else {
                row.push((child.owner_col.to_string(), owner.into()));
                insert_row(conn, table, child.fks, &row, kind.label)?;
            }
        }
    } else {
        conn.prepare_cached(&format!(
            "DELETE FROM {table} WHERE {} = ?1",
            child.owner_col
        ))?
        .execute([owner])?;
        for o in &wanted {
            let mut row: Vec<(String, Value)> = o
                .iter()
                .filter(|(k, _)| k.as_str() != child.owner_col)
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            row.push((child.owner_col.to_string(), owner.into()));
            insert_row(conn, table, child.fks, &row, kind.label)?;
        }
    }
    Ok(())
}

/// Which of `uids` exist in this registry's edit log.
pub fn known_entries(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare("SELECT uid FROM edit_log")?;
    let rows = stmt.query_map([], |r| r.get(0))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Records an exchange import in `import_run`.
pub fn insert_import_run(
    conn: &Connection,
    uid: &str,
    source: &str,
    at: &str,
    actor: &str,
    summary: &str,
) -> Result<()> {
    conn.execute(
        "INSERT INTO import_run(uid, source, kind, started_at, actor, summary)
         VALUES (?1, ?2, 'exchange', ?3, ?4, ?5)",
        params![uid, source, at, actor, summary],
    )?;
    Ok(())
}

/// A record's deletion flag, when its kind has one.
pub fn is_deleted(conn: &Connection, kind: &Kind, uid: &str) -> Result<bool> {
    let table = ident(kind.table)?;
    if !columns(conn, table)?.iter().any(|c| c == "deleted_at") {
        return Ok(false);
    }
    Ok(conn
        .prepare_cached(&format!(
            "SELECT deleted_at IS NOT NULL FROM {table} WHERE uid = ?1"
        ))?
        .query_row([uid], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table_info(conn: &Connection, table: &str) -> Vec<String> {
        let mut stmt = conn
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap();
        let rows = stmt.query_map([], |r| r.get(0)).unwrap();
        rows.collect::<rusqlite::Result<_>>().unwrap()
    }

    #[test]
    fn columns_are_the_tables_own_and_follow_a_schema_change() {
        let conn = crate::db::create_in_memory(|_| Ok(())).unwrap();
        let tables = KINDS
            .iter()
            .flat_map(|k| std::iter::once(k.table).chain(k.children.iter().map(|c| c.table)));
        for t in tables {
            assert_eq!(columns(&conn, t).unwrap(), table_info(&conn, t), "{t}");
        }
        // Cached now; a column added afterwards must still be seen.
        let before = columns(&conn, "item").unwrap();
        conn.execute_batch("ALTER TABLE item ADD COLUMN later_note TEXT")
            .unwrap();
        let after = columns(&conn, "item").unwrap();
        assert_eq!(after.len(), before.len() + 1);
        assert_eq!(after.last().map(String::as_str), Some("later_note"));
        assert!(columns(&conn, "no_such_table").is_err());
    }
}

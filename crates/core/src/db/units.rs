//! SQL for protection units, the items they protect, and their periodic checks.

use crate::error::{Error, Result};
use crate::ident::mask_phone;
use crate::model::{ItemRef, UnitCheck, UnitConditions, UnitInput, UnitPage, UnitQuery, UnitRow};
use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension};
use std::collections::BTreeMap;

const KIND: &str = "保护单位";

/// Row id and deletion state of a unit.
pub fn key(conn: &Connection, uid: &str) -> Result<(i64, Option<String>)> {
    conn.query_row(
        "SELECT id, deleted_at FROM protection_unit WHERE uid = ?1",
        [uid],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: KIND,
        id: uid.to_string(),
    })
}

/// Inserts or updates a unit and replaces its item links.
pub fn save(
    conn: &Connection,
    uid: &str,
    exists: bool,
    u: &UnitInput,
    items: &[i64],
    now: &str,
) -> Result<()> {
    let (py, ini) = crate::search::pinyin_keys(&u.name);
    let conditions = serde_json::to_string(&u.conditions).unwrap_or_else(|_| "{}".into());
    let v: Vec<Value> = vec![
        uid.to_string().into(),
        u.name.clone().into(),
        py.into(),
        ini.into(),
        u.credit_code.clone().into(),
        u.unit_type.clone().into(),
        u.legal_rep.clone().into(),
        u.contact_person.clone().into(),
        u.phone.clone().into(),
        u.address.clone().into(),
        conditions.into(),
        u.note.clone().into(),
        now.to_string().into(),
    ];
    if exists {
        conn.execute(
            "UPDATE protection_unit SET name = ?2, name_pinyin = ?3, name_initials = ?4, credit_code = ?5,
                    unit_type = ?6, legal_rep = ?7, contact_person = ?8, phone = ?9, address = ?10, conditions = ?11,
                    note = ?12, updated_at = ?13 WHERE uid = ?1",
            params_from_iter(v),
        )?;
    } else {
        conn.execute(
            "INSERT INTO protection_unit(uid, name, name_pinyin, name_initials, credit_code, unit_type, legal_rep,
                    contact_person, phone, address, conditions, note, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13)",
            params_from_iter(v),
        )?;
    }
    let (rowid, _) = key(conn, uid)?;
    conn.execute("DELETE FROM unit_item WHERE unit_id = ?1", [rowid])?;
    for item in items {
        conn.execute(
            "INSERT INTO unit_item(unit_id, item_id) VALUES (?1, ?2)",
            params![rowid, item],
        )?;
    }
    Ok(())
}

/// The live unit other than `except` already registered under a credit code.
pub fn credit_code_holder(
    conn: &Connection,
    code: &str,
    except: Option<&str>,
) -> Result<Option<String>> {
    Ok(conn
        .query_row(
            "SELECT name FROM protection_unit WHERE credit_code = ?1 AND deleted_at IS NULL AND uid IS NOT ?2",
            params![code, except],
            |r| r.get(0),
        )
        .optional()?)
}

/// Marks a unit deleted (with a reason) or restores it.
pub fn set_deleted(
    conn: &Connection,
    uid: &str,
    deleted: Option<(&str, &str)>,
    now: &str,
) -> Result<()> {
    let (at, reason) = deleted.map_or((None, None), |(a, r)| (Some(a), Some(r)));
    conn.execute(
        "UPDATE protection_unit SET deleted_at = ?2, deleted_reason = ?3, updated_at = ?4 WHERE uid = ?1",
        params![uid, at, reason, now],
    )?;
    Ok(())
}

/// Stored fields, items, timestamps and deletion state of a unit.
#[allow(clippy::type_complexity)]
pub fn fields(
    conn: &Connection,
    uid: &str,
) -> Result<(
    UnitInput,
    Vec<ItemRef>,
    String,
    String,
    Option<String>,
    Option<String>,
)> {
    let (rowid, _) = key(conn, uid)?;
    let (mut input, created, updated, deleted_at, deleted_reason) = conn.query_row(
        "SELECT uid, name, credit_code, unit_type, legal_rep, contact_person, phone, address, conditions, note,
                created_at, updated_at, deleted_at, deleted_reason FROM protection_unit WHERE id = ?1",
        [rowid],
        |r| {
            let conditions: String = r.get(8)?;
            Ok((
                UnitInput {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    credit_code: r.get(2)?,
                    unit_type: r.get(3)?,
                    legal_rep: r.get(4)?,
                    contact_person: r.get(5)?,
                    phone: r.get(6)?,
                    address: r.get(7)?,
                    conditions: serde_json::from_str::<UnitConditions>(&conditions).unwrap_or_default(),
                    item_ids: Vec::new(),
                    note: r.get(9)?,
                },
                r.get(10)?,
                r.get(11)?,
                r.get(12)?,
                r.get(13)?,
            ))
        },
    )?;
    let mut stmt = conn.prepare(
        "SELECT i.uid, i.name FROM unit_item ui JOIN item i ON i.id = ui.item_id
         WHERE ui.unit_id = ?1 AND i.deleted_at IS NULL ORDER BY i.id",
    )?;
    let items: Vec<(String, String)> = stmt
        .query_map([rowid], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    input.item_ids = items.iter().map(|(u, _)| u.clone()).collect();
    let refs = items
        .into_iter()
        .map(|(id, name)| ItemRef {
            id,
            code: String::new(),
            name,
        })
        .collect();
    Ok((input, refs, created, updated, deleted_at, deleted_reason))
}

/// The loggable fields of a unit.
pub fn snapshot(conn: &Connection, uid: &str) -> Result<BTreeMap<String, Option<String>>> {
    let (f, items, ..) = fields(conn, uid)?;
    let mut m = BTreeMap::new();
    for (k, v) in [
        ("name", Some(f.name)),
        ("creditCode", f.credit_code),
        ("unitType", f.unit_type),
        ("legalRep", f.legal_rep),
        ("contactPerson", f.contact_person),
        ("phone", f.phone),
        ("address", f.address),
        ("note", f.note),
    ] {
        m.insert(k.to_string(), v);
    }
    m.insert(
        "conditions".into(),
        Some(serde_json::to_string(&f.conditions).unwrap_or_default()),
    );
    let names: Vec<String> = items.into_iter().map(|i| i.name).collect();
    super::log::put_composite(
        &mut m,
        "items",
        (!names.is_empty()).then(|| names.join("、")),
        &f.item_ids,
    );
    Ok(m)
}

/// The columns of a [`UnitRow`] of the units `u`; the caller adds WHERE and ORDER BY.
const ROW_SELECT: &str =
    "SELECT u.uid, u.name, u.credit_code, u.legal_rep, u.contact_person, u.phone, u.deleted_at,
        (SELECT group_concat(i.name, '、') FROM unit_item ui JOIN item i ON i.id = ui.item_id
         WHERE ui.unit_id = u.id AND i.deleted_at IS NULL),
        (SELECT c.result || '（' || c.checked_on || '）' FROM unit_check c WHERE c.unit_id = u.id
         ORDER BY c.checked_on DESC, c.id DESC LIMIT 1)
    FROM protection_unit u";

/// The list's order: by name (pinyin), then by age.
const ORDER: &str = "ORDER BY u.name_pinyin, u.id";

/// The columns a unit is searched by: its name, its pinyin keys and the texts the search
/// index holds for it ([`search_text`]).
const TEXT_COLUMNS: [&str; 6] = [
    "u.name",
    "u.credit_code",
    "u.legal_rep",
    "u.contact_person",
    "u.address",
    "u.note",
];

/// The WHERE clause (over `protection_unit u`) and its parameters for live or deleted
/// units, optionally matching a search: live units through the search index, units in the
/// bin (which leave the index when deleted) by a scan of the bin's own columns.
fn filter(conn: &Connection, query: Option<&str>, deleted: bool) -> Result<(String, Vec<Value>)> {
    let mut conds = vec![if deleted {
        "u.deleted_at IS NOT NULL"
    } else {
        "u.deleted_at IS NULL"
    }
    .to_string()];
    let mut vals: Vec<Value> = Vec::new();
    let query = query.map(str::trim).filter(|q| !q.is_empty());
    if let (Some(q), true) = (query, deleted) {
        let text = format!("%{}%", crate::search::like_escape(q));
        let latin: String = q
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '\'')
            .collect::<String>()
            .to_lowercase();
        let keys = format!("%{}%", crate::search::like_escape(&latin));
        let mut any: Vec<String> = TEXT_COLUMNS
            .iter()
            .map(|c| format!("{c} LIKE ? ESCAPE '\\'"))
            .collect();
        vals.extend(std::iter::repeat_n(Value::from(text), TEXT_COLUMNS.len()));
        any.push("u.name_pinyin LIKE ? ESCAPE '\\' OR u.name_initials LIKE ? ESCAPE '\\'".into());
        vals.extend([Value::from(keys.clone()), Value::from(keys)]);
        conds.push(format!("({})", any.join(" OR ")));
    } else if let Some((c, v, _)) = match query {
        Some(q) => super::search::condition(conn, "unit", "u", q)?,
        None => None,
    } {
        conds.push(c);
        vals.extend(v);
    }
    Ok((conds.join(" AND "), vals))
}

/// Runs a [`ROW_SELECT`] statement.
fn rows(conn: &Connection, sql: &str, vals: &[Value]) -> Result<Vec<UnitRow>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params_from_iter(vals.iter()), |r| {
        let phone: Option<String> = r.get(5)?;
        Ok(UnitRow {
            id: r.get(0)?,
            name: r.get(1)?,
            credit_code: r.get(2)?,
            legal_rep: r.get(3)?,
            contact_person: r.get(4)?,
            phone_masked: phone.as_deref().map(mask_phone),
            deleted_at: r.get(6)?,
            items: r.get::<_, Option<String>>(7)?.unwrap_or_default(),
            last_check: r
                .get::<_, Option<String>>(8)?
                .unwrap_or_else(|| "未检查".into()),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// One page of units, live or in the bin, optionally matching a search; by name (pinyin).
/// The count and the page are chosen in SQL on the unit rows alone; only the page's rows
/// get their items and latest check.
pub fn list(conn: &Connection, q: &UnitQuery) -> Result<UnitPage> {
    let (w, mut vals) = filter(conn, q.query.as_deref(), q.deleted)?;
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM protection_unit u WHERE {w}"),
        params_from_iter(vals.iter()),
        |r| r.get(0),
    )?;
    let (page, page_size, offset) = super::paging(q.page, q.page_size);
    let rows = if offset >= total {
        Vec::new()
    } else {
        vals.push(page_size.into());
        vals.push(offset.into());
        rows(
            conn,
            &format!(
                "{ROW_SELECT} WHERE u.id IN (SELECT u.id FROM protection_unit u WHERE {w} {ORDER} LIMIT ? OFFSET ?) {ORDER}"
            ),
            &vals,
        )?
    };
    Ok(UnitPage {
        rows,
        total,
        page,
        page_size,
    })
}

/// Every unit, live or in the bin, optionally matching a search; by name (pinyin). For the
/// command line, which prints the whole list; the UI pages through [`list`].
pub fn list_all(conn: &Connection, query: Option<&str>, deleted: bool) -> Result<Vec<UnitRow>> {
    let (w, vals) = filter(conn, query, deleted)?;
    rows(conn, &format!("{ROW_SELECT} WHERE {w} {ORDER}"), &vals)
}

/// Stable ids of the live units protecting an item, by name (pinyin).
pub fn live_of_item(conn: &Connection, item_uid: &str) -> Result<Vec<String>> {
    let mut stmt = conn.prepare(
        "SELECT u.uid FROM unit_item ui JOIN protection_unit u ON u.id = ui.unit_id
         JOIN item i ON i.id = ui.item_id
         WHERE i.uid = ?1 AND u.deleted_at IS NULL ORDER BY u.name_pinyin, u.id",
    )?;
    let ids = stmt.query_map([item_uid], |r| r.get(0))?;
    Ok(ids.collect::<rusqlite::Result<_>>()?)
}

/// Checks of a unit, newest first.
pub fn checks(conn: &Connection, unit: i64) -> Result<Vec<UnitCheck>> {
    let mut stmt = conn.prepare(
        "SELECT c.uid, u.uid, c.checked_on, c.result, c.findings, c.deadline, c.checker FROM unit_check c
         JOIN protection_unit u ON u.id = c.unit_id WHERE c.unit_id = ?1 ORDER BY c.checked_on DESC, c.id DESC",
    )?;
    let rows = stmt.query_map([unit], |r| {
        Ok(UnitCheck {
            id: r.get(0)?,
            unit_id: r.get(1)?,
            checked_on: r.get(2)?,
            result: r.get(3)?,
            findings: r.get(4)?,
            deadline: r.get(5)?,
            checker: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Inserts or updates a check; returns its id.
pub fn save_check(conn: &Connection, unit: i64, c: &UnitCheck, now: &str) -> Result<String> {
    let uid = c.id.clone().unwrap_or_else(super::new_uid);
    conn.execute(
        "INSERT INTO unit_check(uid, unit_id, checked_on, result, findings, deadline, checker, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
         ON CONFLICT(uid) DO UPDATE SET checked_on = excluded.checked_on, result = excluded.result,
             findings = excluded.findings, deadline = excluded.deadline, checker = excluded.checker,
             updated_at = excluded.updated_at",
        params![uid, unit, c.checked_on, c.result, c.findings, c.deadline, c.checker, now],
    )?;
    Ok(uid)
}

/// Searchable text of a unit: (name, body).
pub fn search_text(conn: &Connection, uid: &str) -> Result<(String, String)> {
    let (f, ..) = fields(conn, uid)?;
    let body = [
        f.credit_code,
        f.legal_rep,
        f.contact_person,
        f.address,
        f.note,
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("\n");
    Ok((f.name, body))
}

//! SQL for the reference tables: categories and townships.

use crate::error::Result;
use crate::model::{Category, Township};
use rusqlite::{params, Connection};

/// Inserts the categories (used once, when a registry is created).
pub fn insert_categories(conn: &Connection, cats: &[Category]) -> Result<()> {
    let mut stmt = conn
        .prepare("INSERT INTO category(code, ord, name, legacy_names) VALUES (?1, ?2, ?3, ?4)")?;
    for c in cats {
        let legacy = serde_json::to_string(&c.legacy_names).unwrap_or_else(|_| "[]".into());
        stmt.execute(params![c.code, c.ord, c.name, legacy])?;
    }
    Ok(())
}

/// Inserts the township units (used once, when a registry is created).
pub fn insert_townships(conn: &Connection, towns: &[Township]) -> Result<()> {
    let mut stmt =
        conn.prepare("INSERT INTO township(code, name, kind, ord) VALUES (?1, ?2, ?3, ?4)")?;
    for t in towns {
        stmt.execute(params![t.code, t.name, t.kind, t.ord])?;
    }
    Ok(())
}

/// All categories in order.
pub fn categories(conn: &Connection) -> Result<Vec<Category>> {
    let mut stmt =
        conn.prepare("SELECT code, ord, name, legacy_names FROM category ORDER BY ord")?;
    let rows = stmt.query_map([], |r| {
        let legacy: String = r.get(3)?;
        Ok(Category {
            code: r.get(0)?,
            ord: r.get(1)?,
            name: r.get(2)?,
            legacy_names: serde_json::from_str(&legacy).unwrap_or_default(),
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// All active township units in order.
pub fn townships(conn: &Connection) -> Result<Vec<Township>> {
    let mut stmt =
        conn.prepare("SELECT code, name, kind, ord FROM township WHERE active = 1 ORDER BY ord")?;
    let rows = stmt.query_map([], |r| {
        Ok(Township {
            code: r.get(0)?,
            name: r.get(1)?,
            kind: r.get(2)?,
            ord: r.get(3)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

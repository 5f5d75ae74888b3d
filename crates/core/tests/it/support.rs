//! Shared fixtures: a fixed clock and fresh registries.

use chrono::{TimeZone, Utc};
use feiyi_core::model::{ItemInput, RegistryKind};
use feiyi_core::{Clock, Registry};
use std::sync::Arc;

/// A clock stopped at 2026-11-28 09:00 UTC.
pub fn clock() -> Clock {
    Arc::new(|| Utc.with_ymd_and_hms(2026, 11, 28, 9, 0, 0).unwrap())
}

/// A fresh real registry in memory.
pub fn real() -> Registry {
    Registry::in_memory(RegistryKind::Real, clock()).unwrap()
}

/// A fresh sample registry in memory.
pub fn sample() -> Registry {
    Registry::in_memory(RegistryKind::Sample, clock()).unwrap()
}

/// The id of the sixth batch.
pub fn sixth(reg: &Registry) -> String {
    reg.batch_list(false)
        .unwrap()
        .into_iter()
        .find(|b| b.number == 6)
        .unwrap()
        .id
}

/// A minimal item of a category in a batch.
pub fn item(name: &str, category: &str, batch: Option<String>) -> ItemInput {
    ItemInput {
        name: name.into(),
        category: category.into(),
        batch_id: batch,
        ..Default::default()
    }
}

/// Every row of every table (FTS shadow tables included), as text, rows sorted: two equal
/// dumps mean two databases with the same content.
pub fn dump_tables(reg: &Registry) -> std::collections::BTreeMap<String, Vec<String>> {
    let conn = reg.connection();
    let mut stmt = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap();
    let tables: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut out = std::collections::BTreeMap::new();
    for t in tables {
        let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                Ok((0..n)
                    .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                    .collect::<Vec<_>>()
                    .join("|"))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        rows.sort();
        out.insert(t, rows);
    }
    out
}

/// A clock that tests move forward by hand.
pub struct ManualClock(std::sync::Arc<std::sync::Mutex<chrono::DateTime<Utc>>>);

impl ManualClock {
    /// Starts at `rfc3339`.
    pub fn at(rfc3339: &str) -> Self {
        let t = chrono::DateTime::parse_from_rfc3339(rfc3339)
            .unwrap()
            .with_timezone(&Utc);
        Self(Arc::new(std::sync::Mutex::new(t)))
    }

    /// The clock to give a registry.
    pub fn clock(&self) -> Clock {
        let t = self.0.clone();
        Arc::new(move || *t.lock().unwrap())
    }

    /// Moves the time forward.
    pub fn advance(&self, by: chrono::Duration) {
        *self.0.lock().unwrap() += by;
    }
}

/// Takes a current registry file back to version 4 by hand, as a build before migration
/// 0005 left it: no `search_gram`, no live-order, filter, list or child indexes (0005–0008), the
/// four-column trigram table with automatic rowids, filled the old way.
pub fn back_to_version_4(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "DROP INDEX expenditure_line;
         DROP INDEX unit_check_unit;
         DROP INDEX activity_item_item;
         DROP INDEX activity_inheritor_person;
         DROP INDEX item_live_ids;
         DROP INDEX listing_rank;
         DROP INDEX inheritor_live_ids;
         DROP INDEX recognition_item;
         DROP INDEX recognition_level;
         DROP INDEX item_live_batch;
         DROP INDEX item_deleted;
         DROP INDEX inheritor_deleted;
         DROP INDEX unit_deleted;
         DROP INDEX plan_deleted;
         DROP INDEX activity_deleted;
         DROP INDEX media_deleted;
         DROP INDEX unit_live_pinyin;
         DROP INDEX plan_live_year;
         DROP INDEX plan_item;
         DROP TABLE search_gram;
         DROP INDEX item_live_code_order;
         DROP INDEX item_live_pinyin;
         DROP INDEX item_live_updated;
         DROP INDEX inheritor_live_pinyin;
         CREATE TEMP TABLE old_index AS SELECT kind, uid, name, body FROM search_text;
         DROP TABLE search_text;
         CREATE VIRTUAL TABLE search_text USING fts5(
             kind UNINDEXED, uid UNINDEXED, name, body, tokenize = 'trigram');
         INSERT INTO search_text(kind, uid, name, body) SELECT * FROM old_index;
         DROP TABLE old_index;
         PRAGMA user_version = 4;",
    )
    .unwrap();
}

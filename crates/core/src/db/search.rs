//! SQL for search: the FTS5 trigram index over every record's name and texts,
//! with a LIKE fallback for one- and two-character queries, and pinyin keys.

use crate::error::Result;
use crate::search::{classify, like_escape, QueryKind};
use rusqlite::{params, types::Value, Connection};

/// Replaces a record's entry in the search index (`body` = all its searchable text).
pub fn index(conn: &Connection, kind: &str, uid: &str, name: &str, body: &str) -> Result<()> {
    remove(conn, kind, uid)?;
    conn.execute(
        "INSERT INTO search_text(kind, uid, name, body) VALUES (?1, ?2, ?3, ?4)",
        params![kind, uid, name, body],
    )?;
    Ok(())
}

/// Removes a record from the search index.
pub fn remove(conn: &Connection, kind: &str, uid: &str) -> Result<()> {
    conn.execute(
        "DELETE FROM search_text WHERE kind = ?1 AND uid = ?2",
        params![kind, uid],
    )?;
    Ok(())
}

/// Quotes a string as one FTS5 phrase.
fn fts_phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// A WHERE-clause fragment (and its parameters) selecting the rows of `table`
/// (aliased `alias`, with `uid`, `name_pinyin`, `name_initials` columns) that match
/// `query` for records of `kind`. `None` when the query is empty.
pub fn condition(kind: &str, alias: &str, query: &str) -> Option<(String, Vec<Value>)> {
    match classify(query) {
        QueryKind::Empty => None,
        QueryKind::Pinyin(norm) => {
            let raw = like_escape(query.trim());
            let pat = format!("%{}%", like_escape(&norm));
            Some((
                format!(
                    "({alias}.name_pinyin LIKE ? ESCAPE '\\' OR {alias}.name_initials LIKE ? ESCAPE '\\' \
                     OR {alias}.uid IN (SELECT uid FROM search_text WHERE kind = ? \
                        AND (name LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\')))"
                ),
                vec![
                    Value::Text(pat.clone()),
                    Value::Text(pat),
                    Value::Text(kind.into()),
                    Value::Text(format!("%{raw}%")),
                    Value::Text(format!("%{raw}%")),
                ],
            ))
        }
        QueryKind::Text(q) if q.chars().count() >= 3 => Some((
            format!("{alias}.uid IN (SELECT uid FROM search_text WHERE kind = ? AND search_text MATCH ?)"),
            vec![Value::Text(kind.into()), Value::Text(fts_phrase(&q))],
        )),
        QueryKind::Text(q) => {
            // Trigram cannot index 1–2 characters: scan names and texts with LIKE.
            let pat = format!("%{}%", like_escape(&q));
            Some((
                format!(
                    "{alias}.uid IN (SELECT uid FROM search_text WHERE kind = ? \
                     AND (name LIKE ? ESCAPE '\\' OR body LIKE ? ESCAPE '\\'))"
                ),
                vec![Value::Text(kind.into()), Value::Text(pat.clone()), Value::Text(pat)],
            ))
        }
    }
}

/// The indexed name and body of one record (for snippets).
pub fn indexed_text(conn: &Connection, kind: &str, uid: &str) -> Result<Option<(String, String)>> {
    use rusqlite::OptionalExtension;
    Ok(conn
        .query_row(
            "SELECT name, body FROM search_text WHERE kind = ?1 AND uid = ?2",
            params![kind, uid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The item text columns a plain scan looks at (name plus every 申报书 text and the note).
const PLAIN_SCAN_COLUMNS: [&str; 17] = [
    "name",
    "applicant",
    "distribution",
    "summary",
    "geography",
    "history",
    "content",
    "artifacts",
    "lineage_text",
    "features",
    "value",
    "viability",
    "argumentation",
    "management",
    "protection_done",
    "mechanism",
    "note",
];

/// Benchmark baseline only, not used by the app: the live items whose name or texts
/// contain `query`, found by a plain `LIKE '%…%'` scan of the `item` table (no index),
/// as the register would without the search index. Returns the count and the uids of
/// the first `limit` in code order, so its work matches one page of the register.
#[doc(hidden)]
pub fn plain_like_scan(conn: &Connection, query: &str, limit: i64) -> Result<(i64, Vec<String>)> {
    let pat = format!("%{}%", like_escape(query.trim()));
    let cond = PLAIN_SCAN_COLUMNS
        .iter()
        .map(|c| format!("i.{c} LIKE ?1 ESCAPE '\\'"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let where_sql = format!("i.deleted_at IS NULL AND ({cond})");
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM item i WHERE {where_sql}"),
        params![pat],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!(
        "SELECT i.uid FROM item i JOIN category c ON c.code = i.category_code \
         WHERE {where_sql} ORDER BY c.ord, i.seq, i.id LIMIT ?2"
    ))?;
    let uids = stmt
        .query_map(params![pat, limit], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok((total, uids))
}

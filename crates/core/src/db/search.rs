//! SQL for search: the FTS5 trigram index (`search_text`) over every record's name, texts
//! and pinyin keys, and the one- and two-character index (`search_gram`), both keyed by a
//! rowid that names the record (see migration 0005), so a query reads only doclists.
//!
//! A query becomes the sorted rowids of the matching records of one kind
//! ([`matching_ids`]); the lists turn those into a WHERE fragment ([`condition`]): a literal
//! `IN (…)` for a few hundred, or the `feiyi_in_set(blob, id)` function (registered on every
//! connection, see [`register_functions`]) for more, so that a page can be read in the
//! list's order and stop early.

use crate::error::{Error, Result};
use crate::search::{
    classify, gram_tokens, key_gram, keys_text, like_escape, text_gram, QueryKind,
};
use rusqlite::{functions::FunctionFlags, params, types::Value, Connection, OptionalExtension};

/// Bits of a search rowid below the kind code: the record's own rowid.
const KIND_SHIFT: u32 = 40;

/// The searchable kinds: (name, code in the rowid, table).
const KINDS: [(&str, i64, &str); 4] = [
    ("item", 1, "item"),
    ("inheritor", 2, "inheritor"),
    ("unit", 3, "protection_unit"),
    ("activity", 4, "activity"),
];

/// The code and table of a searchable kind.
fn kind_of(kind: &str) -> Result<(i64, &'static str)> {
    KINDS
        .iter()
        .find(|(k, ..)| *k == kind)
        .map(|(_, code, table)| (*code, *table))
        .ok_or_else(|| Error::Conflict(format!("检索索引不认识这类记录：{kind}")))
}

/// The first search rowid of a kind (its records follow at `base + rowid`).
fn base(code: i64) -> i64 {
    code << KIND_SHIFT
}

/// The search rowid of a record, `None` when no record of that kind has this uid.
fn doc_rowid(conn: &Connection, kind: &str, uid: &str) -> Result<Option<i64>> {
    let (code, table) = kind_of(kind)?;
    let id: Option<i64> = conn
        .prepare_cached(&format!("SELECT id FROM {table} WHERE uid = ?1"))?
        .query_row([uid], |r| r.get(0))
        .optional()?;
    Ok(id.map(|id| base(code) + id))
}

/// Replaces a record's entry in the search index (`body` = all its searchable text).
pub fn index(conn: &Connection, kind: &str, uid: &str, name: &str, body: &str) -> Result<()> {
    let rowid = doc_rowid(conn, kind, uid)?.ok_or_else(|| Error::NotFound {
        kind: "记录",
        id: uid.to_string(),
    })?;
    delete_rowid(conn, rowid)?;
    let keys = keys_text(name);
    conn.prepare_cached(
        "INSERT INTO search_text(rowid, kind, uid, name, body, keys) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![rowid, kind, uid, name, body, keys])?;
    conn.prepare_cached("INSERT INTO search_gram(rowid, grams) VALUES (?1, ?2)")?
        .execute(params![rowid, gram_tokens(name, body, &keys)])?;
    Ok(())
}

fn delete_rowid(conn: &Connection, rowid: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM search_text WHERE rowid = ?1")?
        .execute([rowid])?;
    conn.prepare_cached("DELETE FROM search_gram WHERE rowid = ?1")?
        .execute([rowid])?;
    Ok(())
}

/// Removes a record from the search index.
pub fn remove(conn: &Connection, kind: &str, uid: &str) -> Result<()> {
    if let Some(rowid) = doc_rowid(conn, kind, uid)? {
        delete_rowid(conn, rowid)?;
    }
    Ok(())
}

/// Whether the index must be rebuilt from the records (set by migration 0005).
pub fn rebuild_pending(conn: &Connection) -> Result<bool> {
    Ok(super::meta_get(conn, "search_rebuild")?.is_some())
}

/// Empties both search tables before a rebuild.
pub fn clear(conn: &Connection) -> Result<()> {
    conn.execute_batch("DELETE FROM search_text; DELETE FROM search_gram;")?;
    Ok(())
}

/// Marks the index as complete (a new registry, or a finished rebuild).
pub fn mark_built(conn: &Connection) -> Result<()> {
    conn.execute("DELETE FROM meta WHERE key = 'search_rebuild'", [])?;
    Ok(())
}

/// The uids of the live records of a searchable kind, in rowid order (for a rebuild).
pub fn live_uids(conn: &Connection, kind: &str) -> Result<Vec<String>> {
    let (_, table) = kind_of(kind)?;
    let mut stmt = conn.prepare(&format!(
        "SELECT uid FROM {table} WHERE deleted_at IS NULL ORDER BY id"
    ))?;
    let uids = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(uids)
}

/// Quotes a string as one FTS5 phrase.
fn fts_phrase(q: &str) -> String {
    format!("\"{}\"", q.replace('"', "\"\""))
}

/// The rowids (in `kind`'s own table) of the records whose name or texts contain `query`,
/// or whose name's pinyin or initials do when it is Latin letters — ascending, each once.
/// `None` when the query is empty.
pub fn matching_ids(conn: &Connection, kind: &str, query: &str) -> Result<Option<Vec<i64>>> {
    // (table, MATCH expression) parts whose results are united, plus what neither index
    // holds (a short query with whitespace inside), found by LIKE.
    let mut parts: Vec<(&str, String)> = Vec::new();
    let mut ids: Vec<i64> = Vec::new();
    let text_part = |q: &str| -> Option<(&'static str, String)> {
        if q.chars().count() >= 3 {
            Some(("search_text", format!("{{name body}} : {}", fts_phrase(q))))
        } else {
            text_gram(q).map(|t| ("search_gram", fts_phrase(&t)))
        }
    };
    match classify(query) {
        QueryKind::Empty => return Ok(None),
        QueryKind::Pinyin(norm) => {
            let raw = query.trim();
            if norm.len() >= 3 {
                parts.push(("search_text", format!("keys : {}", fts_phrase(&norm))));
            } else if let Some(t) = key_gram(&norm) {
                parts.push(("search_gram", fts_phrase(&t)));
            }
            match text_part(raw) {
                Some(p) => parts.push(p),
                None => ids = like_ids(conn, kind, raw)?,
            }
        }
        QueryKind::Text(q) => match text_part(&q) {
            Some(p) => parts.push(p),
            None => ids = like_ids(conn, kind, &q)?,
        },
    }
    let (code, _) = kind_of(kind)?;
    let (lo, hi) = (base(code), base(code + 1) - 1);
    // Parts on one table become one OR query: FTS5 merges the doclists, in rowid order, so
    // a common query (pinyin `h`: ~500,000 inheritors) needs no sorting here.
    let mut merged: Vec<(&str, String)> = Vec::new();
    for (table, expr) in parts {
        match merged.iter_mut().find(|(t, _)| *t == table) {
            Some((_, e)) => *e = format!("({e}) OR ({expr})"),
            None => merged.push((table, expr)),
        }
    }
    let united = merged.len() + usize::from(!ids.is_empty()) > 1;
    for (table, expr) in &merged {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT rowid FROM {table} WHERE {table} MATCH ?1 AND rowid BETWEEN ?2 AND ?3"
        ))?;
        let mut rows = stmt.query(params![expr, lo, hi])?;
        while let Some(r) = rows.next()? {
            ids.push(r.get::<_, i64>(0)? - lo);
        }
    }
    if united {
        ids.sort_unstable();
        ids.dedup();
    }
    Ok(Some(ids))
}

/// The fallback for what neither index holds (a short query with whitespace inside): a
/// `LIKE` over the kind's indexed names and texts.
fn like_ids(conn: &Connection, kind: &str, q: &str) -> Result<Vec<i64>> {
    let (code, _) = kind_of(kind)?;
    let pat = format!("%{}%", like_escape(q));
    let mut stmt = conn.prepare(
        "SELECT rowid FROM search_text WHERE rowid BETWEEN ?1 AND ?2 \
         AND (name LIKE ?3 ESCAPE '\\' OR body LIKE ?3 ESCAPE '\\') ORDER BY rowid",
    )?;
    let lo = base(code);
    let ids = stmt
        .query_map(params![lo, base(code + 1) - 1, pat], |r| {
            r.get::<_, i64>(0).map(|v| v - lo)
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Up to this many matches go into the SQL as a literal `IN (…)` list (the planner then
/// reads just those rows); more go as a blob for `feiyi_in_set`.
const LITERAL_LIMIT: usize = 500;

/// Row ids as a literal SQL list (`1,2,3`): integers only, so nothing to escape.
pub(crate) fn id_list(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// A WHERE-clause fragment (and its parameters) keeping the rows of `alias` (a table of
/// `kind`, with an `id` column) whose record matches `ids` (from [`matching_ids`]).
pub fn ids_condition(alias: &str, ids: &[i64]) -> (String, Vec<Value>) {
    if ids.len() <= LITERAL_LIMIT {
        (format!("{alias}.id IN ({})", id_list(ids)), Vec::new())
    } else {
        let mut blob = Vec::with_capacity(ids.len() * 8);
        for id in ids {
            blob.extend_from_slice(&id.to_le_bytes());
        }
        (
            format!("feiyi_in_set(?, {alias}.id)"),
            vec![Value::Blob(blob)],
        )
    }
}

/// A WHERE-clause fragment (and its parameters) selecting the rows of `alias` (a table of
/// records of `kind` with an `id` column) that match `query`, and how many records of the
/// kind match in all. `None` when the query is empty.
pub fn condition(
    conn: &Connection,
    kind: &str,
    alias: &str,
    query: &str,
) -> Result<Option<(String, Vec<Value>, usize)>> {
    Ok(matching_ids(conn, kind, query)?.map(|ids| {
        let (sql, vals) = ids_condition(alias, &ids);
        (sql, vals, ids.len())
    }))
}

/// Registers `feiyi_in_set(blob, id)` on a connection: 1 when `id` is in the blob of sorted
/// little-endian i64s that [`ids_condition`] binds, else 0.
pub fn register_functions(conn: &Connection) -> Result<()> {
    // `rarray(?)`: a bound list of ids a query can be driven from (see [`Arg::ids`]).
    rusqlite::vtab::array::load_module(conn)?;
    conn.create_scalar_function(
        "feiyi_in_set",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let blob = ctx.get_raw(0).as_blob().map_err(|e| {
                rusqlite::Error::UserFunctionError(format!("feiyi_in_set: {e}").into())
            })?;
            let id: i64 = ctx.get(1)?;
            Ok(in_sorted_blob(blob, id))
        },
    )?;
    Ok(())
}

/// A bound parameter of a list query: a plain value, or ids for `rarray(?)` (the table-valued
/// function [`register_functions`] loads), so that `x.id IN rarray(?)` probes an index once
/// per id instead of scanning it.
#[derive(Debug, Clone)]
pub enum Arg {
    /// A plain SQL value.
    Value(Value),
    /// A list of ids for `rarray(?)`.
    Ids(rusqlite::vtab::array::Array),
}

impl Arg {
    /// Ids for `rarray(?)`.
    pub fn ids(ids: &[i64]) -> Self {
        Arg::Ids(std::rc::Rc::new(
            ids.iter().map(|&i| Value::Integer(i)).collect(),
        ))
    }
}

impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Value(v.into())
    }
}

impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Value(v.into())
    }
}

impl From<Value> for Arg {
    fn from(v: Value) -> Self {
        Arg::Value(v)
    }
}

impl rusqlite::ToSql for Arg {
    fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
        match self {
            Arg::Value(v) => v.to_sql(),
            Arg::Ids(a) => a.to_sql(),
        }
    }
}

/// The deleted records of `table` (`item` or `inheritor`) whose name, full pinyin or initials
/// contain `query`: the recycle bin's search, since a deleted record leaves the search index.
/// The bin is small and read through its `*_deleted` index. `None` for an empty query.
pub(crate) fn bin_matching_ids(
    conn: &Connection,
    table: &str,
    query: &str,
) -> Result<Option<Vec<i64>>> {
    let (index, table) = match table {
        "item" => ("item_deleted", "item"),
        "inheritor" => ("inheritor_deleted", "inheritor"),
        other => {
            return Err(Error::Conflict(format!(
                "回收站检索不认识这类记录：{other}"
            )))
        }
    };
    let q = query.trim();
    if q.is_empty() {
        return Ok(None);
    }
    let text = format!("%{}%", like_escape(q));
    let latin: String = q
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\'')
        .collect::<String>()
        .to_lowercase();
    let keys = format!("%{}%", like_escape(&latin));
    ids_of(
        conn,
        &format!(
            "SELECT id FROM {table} INDEXED BY {index} WHERE deleted_at IS NOT NULL
             AND (name LIKE ?1 ESCAPE '\\' OR name_pinyin LIKE ?2 ESCAPE '\\'
                  OR name_initials LIKE ?2 ESCAPE '\\')"
        ),
        &[Value::from(text), Value::from(keys)],
    )
    .map(Some)
}

/// The set-valued filters of a list, intersected as they come (sorted ids), and whether the
/// search is the only one (its match count is then the list's total).
#[derive(Debug, Default)]
pub(crate) struct IdFilter {
    /// The candidates, `None` while no set-valued filter was given.
    pub ids: Option<Vec<i64>>,
    /// The search matches are the only filter so far.
    pub search_only: bool,
}

impl IdFilter {
    /// Keeps the candidates that are also in `ids` (sorted).
    pub fn narrow(&mut self, ids: Vec<i64>, from_search: bool) {
        self.search_only = from_search && self.ids.is_none();
        self.ids = Some(match self.ids.take() {
            None => ids,
            Some(s) => intersect(&s, &ids),
        });
    }
}

/// The sorted ids in both sorted lists.
pub fn intersect(a: &[i64], b: &[i64]) -> Vec<i64> {
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

/// The first column of `sql`'s rows as sorted, distinct ids.
pub(crate) fn ids_of(conn: &Connection, sql: &str, args: &[Value]) -> Result<Vec<i64>> {
    let mut ids: Vec<i64> = conn
        .prepare_cached(sql)?
        .query_map(rusqlite::params_from_iter(args.iter()), |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}

/// Binary search in a blob of sorted little-endian i64s.
fn in_sorted_blob(blob: &[u8], id: i64) -> bool {
    let n = blob.len() / 8;
    let at = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&blob[i * 8..i * 8 + 8]);
        i64::from_le_bytes(b)
    };
    let (mut lo, mut hi) = (0usize, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        match at(mid).cmp(&id) {
            std::cmp::Ordering::Less => lo = mid + 1,
            std::cmp::Ordering::Greater => hi = mid,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// The indexed name and body of one record (for snippets).
pub fn indexed_text(conn: &Connection, kind: &str, uid: &str) -> Result<Option<(String, String)>> {
    let Some(rowid) = doc_rowid(conn, kind, uid)? else {
        return Ok(None);
    };
    Ok(conn
        .query_row(
            "SELECT name, body FROM search_text WHERE rowid = ?1",
            [rowid],
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

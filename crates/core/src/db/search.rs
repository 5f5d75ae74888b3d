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

/// A search that reads the trigram index stops after this many matches: past it, the list
/// finds the rest row by row in its own order (see [`Matches`]) and says "more than" this
/// many. At 100,000 items a six-character phrase found in every item costs ~2.5 µs a match
/// (FTS5 compares the positions of four trigrams), so counting all of them took ~250 ms.
pub const COUNT_CAP: usize = 5_000;

/// The records of one kind that match a query.
///
/// Either every match (`is_complete`), or, for a common query on the trigram index, the
/// first [`COUNT_CAP`] in id order and how to recognise the others row by row: a record
/// past the last of `ids` matches when its indexed text contains the query (what the
/// trigram phrase means). [`Matches::condition`] turns both into SQL.
#[derive(Debug, Clone)]
pub struct Matches {
    /// Matching ids, ascending: all of them, or all up to the cap.
    pub ids: Vec<i64>,
    /// Set when the index read stopped at the cap.
    tail: Option<Tail>,
}

/// How records past the cap are checked: the rowid base of the kind in `search_text`, and
/// which columns must contain which case-folded string (any one suffices).
#[derive(Debug, Clone)]
struct Tail {
    base: i64,
    checks: Vec<(&'static [&'static str], String)>,
}

impl Matches {
    /// Whether `ids` are all the matches.
    pub fn is_complete(&self) -> bool {
        self.tail.is_none()
    }

    /// A WHERE-clause fragment (and its parameters, in order) keeping the rows of `alias`
    /// (a table of this kind, with an `id` column) that match.
    pub fn condition(&self, alias: &str) -> (String, Vec<Value>) {
        let (set, mut vals) = ids_condition(alias, &self.ids);
        let Some(tail) = &self.tail else {
            return (set, vals);
        };
        // Parameters in the order of their `?`s: after, base, then the needles.
        vals.push(Value::from(self.ids.last().copied().unwrap_or(0)));
        vals.push(Value::from(tail.base));
        let mut tests = Vec::new();
        for (columns, needle) in &tail.checks {
            for c in *columns {
                tests.push(format!("feiyi_has(s.{c}, ?)"));
                vals.push(Value::from(needle.clone()));
            }
        }
        (
            format!(
                "({set} OR ({alias}.id > ? AND EXISTS (SELECT 1 FROM search_text s \
                 WHERE s.rowid = ? + {alias}.id AND ({}))))",
                tests.join(" OR ")
            ),
            vals,
        )
    }
}

/// Case folding as the trigram index does it (`case_sensitive=0`), for the row-by-row check.
fn fold(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).collect()
}

/// The rowids (in `kind`'s own table) of the records whose name or texts contain `query`,
/// or whose name's pinyin or initials do when it is Latin letters — ascending, each once.
/// `None` when the query is empty.
pub fn matching_ids(conn: &Connection, kind: &str, query: &str) -> Result<Option<Vec<i64>>> {
    Ok(find(conn, kind, query, None)?.map(|m| m.ids))
}

/// [`matching_ids`], but a common query on the trigram index stops at `cap` matches
/// ([`COUNT_CAP`] but in tests; see [`Matches`]): what a list with paging needs.
pub fn matches(conn: &Connection, kind: &str, query: &str, cap: usize) -> Result<Option<Matches>> {
    find(conn, kind, query, Some(cap))
}

fn find(conn: &Connection, kind: &str, query: &str, cap: Option<usize>) -> Result<Option<Matches>> {
    // (table, MATCH expression) parts whose results are united, plus what neither index
    // holds (a short query with whitespace inside), found by LIKE. Each trigram part also
    // says how a row is checked without the index (the columns, the folded string).
    let mut parts: Vec<(&str, String)> = Vec::new();
    let mut checks: Vec<(&'static [&'static str], String)> = Vec::new();
    let mut ids: Vec<i64> = Vec::new();
    let mut like = false;
    let mut text_part = |q: &str, parts: &mut Vec<(&str, String)>| -> bool {
        if q.chars().count() >= 3 {
            parts.push(("search_text", format!("{{name body}} : {}", fts_phrase(q))));
            checks.push((&["name", "body"], fold(q)));
            true
        } else if let Some(t) = text_gram(q) {
            parts.push(("search_gram", fts_phrase(&t)));
            true
        } else {
            false
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
            if !text_part(raw, &mut parts) {
                ids = like_ids(conn, kind, raw)?;
                like = true;
            }
            if norm.len() >= 3 {
                checks.push((&["keys"], norm));
            }
        }
        QueryKind::Text(q) => {
            if !text_part(&q, &mut parts) {
                ids = like_ids(conn, kind, &q)?;
                like = true;
            }
        }
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
    // Only a query answered by the trigram index alone stops at the cap: the one- and
    // two-character index holds no positions, so it counts 100,000 matches in ~15 ms.
    let cap = cap.filter(|_| !like && merged.len() == 1 && merged[0].0 == "search_text");
    let united = merged.len() + usize::from(like) > 1;
    let mut stopped = false;
    for (table, expr) in &merged {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT rowid FROM {table} WHERE {table} MATCH ?1 AND rowid BETWEEN ?2 AND ?3 LIMIT ?4"
        ))?;
        // -1 is no limit.
        let limit = cap.map_or(-1, one_past);
        let mut rows = stmt.query(params![expr, lo, hi, limit])?;
        while let Some(r) = rows.next()? {
            ids.push(r.get::<_, i64>(0)? - lo);
        }
        if cap.is_some_and(|c| ids.len() > c) {
            ids.pop();
            stopped = true;
        }
    }
    if united {
        ids.sort_unstable();
        ids.dedup();
    }
    let tail = stopped.then_some(Tail { base: lo, checks });
    Ok(Some(Matches { ids, tail }))
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

/// Registers `feiyi_in_set(blob, id)` on a connection (1 when `id` is in the blob of sorted
/// little-endian i64s that [`ids_condition`] binds, else 0) and `feiyi_has` ([`Matches`]).
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
    // `feiyi_has(text, needle)`: whether `text`, case-folded as the trigram index folds it,
    // contains `needle` (already folded): [`Matches`]' row-by-row check.
    conn.create_scalar_function(
        "feiyi_has",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let needle = ctx.get_raw(1).as_str().map_err(|e| {
                rusqlite::Error::UserFunctionError(format!("feiyi_has: {e}").into())
            })?;
            let text = match ctx.get_raw(0) {
                rusqlite::types::ValueRef::Text(t) => String::from_utf8_lossy(t),
                _ => return Ok(false),
            };
            // Chinese, digits and punctuation have no case (and no cased letter folds to
            // one): the text need not be folded.
            if needle
                .chars()
                .all(|c| !c.is_lowercase() && !c.is_uppercase())
            {
                return Ok(text.contains(needle));
            }
            Ok(fold(&text).contains(needle))
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
    /// Narrows to the records of `kind` that match `text` — in the recycle bin when `deleted`
    /// (the bin's records have left the search index: its search scans the bin) — or, when
    /// the index read stopped at `cap`, leaves the set alone and returns the search, a
    /// condition of its own (see [`Matches`]).
    pub fn search(
        &mut self,
        conn: &Connection,
        kind: &str,
        text: &str,
        deleted: bool,
        cap: usize,
    ) -> Result<Option<Matches>> {
        if deleted {
            if let Some(ids) = bin_matching_ids(conn, kind, text)? {
                self.narrow(ids, true);
            }
            return Ok(None);
        }
        Ok(match matches(conn, kind, text, cap)? {
            Some(m) if !m.is_complete() => Some(m),
            Some(m) => {
                self.narrow(m.ids, true);
                None
            }
            None => None,
        })
    }

    /// Keeps the candidates that are also in `ids` (sorted).
    pub fn narrow(&mut self, ids: Vec<i64>, from_search: bool) {
        self.search_only = from_search && self.ids.is_none();
        self.ids = Some(match self.ids.take() {
            None => ids,
            Some(s) => intersect(&s, &ids),
        });
    }
}

/// The SQL `LIMIT` that reads one row past `cap`, which tells whether there are more (no
/// limit in practice for a cap past `i64`, such as `usize::MAX`).
fn one_past(cap: usize) -> i64 {
    i64::try_from(cap).map_or(i64::MAX, |c| c.saturating_add(1))
}

/// Counts the rows of `from` (a FROM clause) that meet `where_sql` — all of them, or, with a
/// `cap` (a list whose search stopped at the cap), up to one past it: `(cap, true)` when
/// there are more.
pub(crate) fn count_rows(
    conn: &Connection,
    from: &str,
    where_sql: &str,
    args: &[Arg],
    cap: Option<usize>,
) -> Result<(i64, bool)> {
    let sql = match cap {
        Some(c) => format!(
            "SELECT count(*) FROM (SELECT 1 FROM {from} WHERE {where_sql} LIMIT {})",
            one_past(c)
        ),
        None => format!("SELECT count(*) FROM {from} WHERE {where_sql}"),
    };
    let n: i64 = conn.query_row(&sql, rusqlite::params_from_iter(args.iter()), |r| r.get(0))?;
    Ok(match cap {
        Some(c) if n as usize > c => (c as i64, true),
        _ => (n, false),
    })
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

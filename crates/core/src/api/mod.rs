//! The surface both shells call: a [`Registry`] is one open registry folder.
//!
//! Every write validates first (returning [`Error::Validation`] with field names the
//! forms use), then runs in one transaction together with its edit-log rows and its
//! search-index update. Time comes from an injected [`Clock`].

mod application;
mod backup;
mod exchange;
mod export;
mod history;
mod import;
mod media;
pub use media::{FixityPlan, ImportSession};
pub use reminders::Raised;
mod people;
mod protection;
mod reminders;
mod report;
mod stats;

use crate::code;
use crate::db::{self, batches, items, log};
use crate::error::{Error, FieldError, Result};
use crate::model::*;
use crate::reference;
use crate::validate::{clean, date};
use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::Connection;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where "now" comes from; tests inject a fixed clock.
pub type Clock = Arc<dyn Fn() -> DateTime<Utc> + Send + Sync>;

/// The system clock.
pub fn system_clock() -> Clock {
    Arc::new(Utc::now)
}

/// The registry database's file name inside a registry folder.
pub const DB_FILE: &str = "registry.sqlite";

/// Title of the real register.
pub const REAL_TITLE: &str = "台儿庄区非物质文化遗产代表性项目名录";
/// Title of the sample registry.
pub const SAMPLE_TITLE: &str = "示例名录（虚构数据，仅供演示）";

/// An open registry.
pub struct Registry {
    conn: Connection,
    dir: PathBuf,
    clock: Clock,
    recovered: Recovery,
}

/// What opening a registry cleared of interrupted work (see [`Registry::recover`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovery {
    /// Media store leftovers: temporary files, orphan originals and their markers.
    pub media: crate::media::store::Recovered,
    /// Partial backup folders (`backups/.partial-…`) removed.
    pub partial_backups: usize,
    /// Half-made registry files (`.registry.sqlite.creating-…`) of an interrupted creation.
    pub half_created: usize,
    /// Why the clearing stopped, if it did (the registry opens all the same; the
    /// leftovers stay for the next open).
    pub problem: Option<String>,
}

impl Recovery {
    /// Whether nothing was left over.
    pub fn is_empty(&self) -> bool {
        self.media.is_empty()
            && self.partial_backups == 0
            && self.half_created == 0
            && self.problem.is_none()
    }
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").field("dir", &self.dir).finish()
    }
}

/// The reference data and meta rows every new registry starts with (also used by
/// [`crate::synth`]).
pub(crate) fn seed(tx: &Connection, kind: RegistryKind, now: &str) -> Result<()> {
    db::reference::insert_categories(tx, &reference::categories()?)?;
    db::reference::insert_townships(tx, &reference::townships()?)?;
    for b in reference::batches()? {
        batches::insert(tx, &db::new_uid(), &b, now)?;
    }
    let (kind_s, title) = match kind {
        RegistryKind::Real => ("real", REAL_TITLE),
        RegistryKind::Sample => ("sample", SAMPLE_TITLE),
    };
    db::meta_set(tx, "registry_kind", kind_s)?;
    db::meta_set(tx, "title", title)?;
    db::meta_set(tx, "code_template", code::DEFAULT_TEMPLATE)?;
    db::meta_set(tx, "created_at", now)?;
    db::meta_set(tx, "created_by_version", env!("CARGO_PKG_VERSION"))?;
    // A new registry's (empty) index is complete: the write path keeps it so.
    db::search::mark_built(tx)?;
    Ok(())
}

/// The file name of `path` (the whole path when it has none), as logs and reports name
/// an imported file or package.
fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The default actor name: the OS user.
fn default_actor() -> String {
    std::env::var("USERNAME")
        .or_else(|_| std::env::var("USER"))
        .unwrap_or_else(|_| "未署名".into())
}

impl Registry {
    fn stamp(clock: &Clock) -> String {
        clock().to_rfc3339_opts(SecondsFormat::Millis, true)
    }

    pub(crate) fn now(&self) -> String {
        Self::stamp(&self.clock)
    }

    /// Today in Beijing (UTC+8), the bureau's calendar: the day statistics are of and
    /// reminders are counted from.
    pub(crate) fn beijing_today(&self) -> chrono::NaiveDate {
        let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
        (self.clock)().with_timezone(&beijing).date_naive()
    }

    /// A second, read-only handle on this registry's file, for long reads (statistics,
    /// reminders, the yearly report) that should not keep this handle — and so every other
    /// command — waiting: it sees the register as last committed, and anything that would
    /// write through it fails. Opening it costs a connection (milliseconds).
    pub fn reader(&self) -> Result<Self> {
        Ok(Self {
            conn: db::open_reader(&self.dir.join(DB_FILE))?,
            dir: self.dir.clone(),
            clock: self.clock.clone(),
            recovered: Recovery::default(),
        })
    }

    /// Opens the registry in `dir`, creating it (empty, of `kind`) when the folder has none.
    pub fn open_or_create(dir: &Path, kind: RegistryKind, clock: Clock) -> Result<Self> {
        if dir.join(DB_FILE).exists() {
            Self::open(dir, clock)
        } else {
            Self::create(dir, kind, clock)
        }
    }

    /// Opens an existing registry folder; refuses foreign or newer files without touching them.
    pub fn open(dir: &Path, clock: Clock) -> Result<Self> {
        let conn = db::open_existing(&dir.join(DB_FILE), |conn, from| {
            backup::snapshot_before_migration(dir, conn, from, &clock)
        })?;
        let mut reg = Self {
            conn,
            dir: dir.to_path_buf(),
            clock,
            recovered: Recovery::default(),
        };
        reg.recovered = reg.recover();
        if db::search::rebuild_pending(&reg.conn)? {
            reg.rebuild_search_index()?;
        }
        Ok(reg)
    }

    /// Rebuilds both search tables from the live records in one transaction (after the
    /// migration that changed their layout); returns how many records were indexed.
    pub fn rebuild_search_index(&mut self) -> Result<usize> {
        let kinds: [(&str, SearchText); 4] = [
            ("item", items::search_text),
            ("inheritor", db::inheritors::search_text),
            ("unit", db::units::search_text),
            ("activity", db::activities::search_text),
        ];
        let tx = self.conn.transaction()?;
        db::search::clear(&tx)?;
        let mut count = 0;
        for (kind, text) in kinds {
            for uid in db::search::live_uids(&tx, kind)? {
                let (name, body) = text(&tx, &uid)?;
                db::search::index(&tx, kind, &uid, &name, &body)?;
                count += 1;
            }
        }
        db::search::mark_built(&tx)?;
        tx.commit()?;
        Ok(count)
    }

    /// Clears what a crash, a power cut or a full disk left behind, so that every open
    /// starts from committed state only: temporary files in `media/tmp`, originals (and
    /// their derived files) that an interrupted import placed but never recorded — only
    /// those with an intent marker no live import holds and no record naming their hash —
    /// `backups/.partial-…` folders of interrupted backups, and the temporary file of an
    /// interrupted registry creation. Originals a record names
    /// are never touched. Cheap when there is nothing to do (two small folders and the
    /// backups folder are listed; the store is not walked). Never fails: a problem is
    /// reported in [`Recovery::problem`] and the leftovers stay for the next time.
    pub fn recover(&self) -> Recovery {
        let mut out = Recovery {
            partial_backups: backup::clean_partials(&crate::backup::folder(&self.dir)),
            half_created: db::clean_half_created(&self.dir.join(DB_FILE)),
            ..Default::default()
        };
        match self.media_recover() {
            Ok(m) => out.media = m,
            Err(e) => out.problem = Some(e.to_string()),
        }
        out
    }

    /// What [`Registry::open`] cleared when this registry was opened.
    pub fn recovered_on_open(&self) -> &Recovery {
        &self.recovered
    }

    /// Creates a new registry in `dir` with the reference data; a sample registry also
    /// gets the fictional sample records.
    pub fn create(dir: &Path, kind: RegistryKind, clock: Clock) -> Result<Self> {
        let now = Self::stamp(&clock);
        let conn = db::create_new(&dir.join(DB_FILE), |tx| seed(tx, kind, &now))?;
        let mut reg = Self {
            conn,
            dir: dir.to_path_buf(),
            clock,
            recovered: Recovery::default(),
        };
        if kind == RegistryKind::Sample {
            crate::sample::fill(&mut reg)?;
        }
        Ok(reg)
    }

    /// A registry in memory (tests and benchmarks).
    pub fn in_memory(kind: RegistryKind, clock: Clock) -> Result<Self> {
        let now = Self::stamp(&clock);
        let conn = db::create_in_memory(|tx| seed(tx, kind, &now))?;
        let mut reg = Self {
            conn,
            dir: PathBuf::from(":memory:"),
            clock,
            recovered: Recovery::default(),
        };
        if kind == RegistryKind::Sample {
            crate::sample::fill(&mut reg)?;
        }
        Ok(reg)
    }

    /// The registry folder.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Direct access to the connection, for the crate's own tests and tools.
    #[doc(hidden)]
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn actor(&self) -> Result<String> {
        Ok(db::meta_get(&self.conn, "actor")?.unwrap_or_else(default_actor))
    }

    fn template(&self) -> Result<String> {
        Ok(db::meta_get(&self.conn, "code_template")?
            .unwrap_or_else(|| code::DEFAULT_TEMPLATE.into()))
    }

    /// Real or sample.
    pub fn kind(&self) -> Result<RegistryKind> {
        Ok(
            match db::meta_get(&self.conn, "registry_kind")?.as_deref() {
                Some("sample") => RegistryKind::Sample,
                _ => RegistryKind::Real,
            },
        )
    }

    /// What the shells show about this registry.
    pub fn info(&self) -> Result<RegistryInfo> {
        let item_count = items::live_count(&self.conn)?;
        Ok(RegistryInfo {
            kind: self.kind()?,
            title: db::meta_get(&self.conn, "title")?.unwrap_or_else(|| REAL_TITLE.into()),
            data_dir: self.dir.display().to_string(),
            schema_version: db::schema_version(&self.conn)?,
            code_template: self.template()?,
            item_count,
            actor: self.actor()?,
        })
    }

    /// Choices for the forms.
    pub fn reference_data(&self) -> Result<ReferenceData> {
        Ok(ReferenceData {
            categories: db::reference::categories(&self.conn)?,
            townships: db::reference::townships(&self.conn)?,
            levels: LEVELS.iter().map(|s| s.to_string()).collect(),
            item_statuses: ITEM_STATUSES.iter().map(|s| s.to_string()).collect(),
            code_templates: code::TEMPLATES.iter().map(|s| s.to_string()).collect(),
        })
    }

    /// Changes the item-code template (logged).
    pub fn set_code_template(&mut self, template: &str) -> Result<RegistryInfo> {
        let template = template.trim();
        code::validate_template(template)?;
        self.set_setting("code_template", template)?;
        self.info()
    }

    /// Sets the name written into the edit log as "who".
    pub fn set_actor(&mut self, actor: &str) -> Result<RegistryInfo> {
        let actor = actor.trim();
        if actor.is_empty() || actor.chars().count() > 40 {
            return Err(Error::field(
                "actor",
                "操作人姓名不能为空，且不超过 40 个字",
            ));
        }
        self.set_setting("actor", actor)?;
        self.info()
    }

    fn set_setting(&mut self, key: &str, value: &str) -> Result<()> {
        let (now, actor) = (self.now(), self.actor()?);
        let old = db::meta_get(&self.conn, key)?;
        if old.as_deref() == Some(value) {
            return Ok(());
        }
        let tx = self.conn.transaction()?;
        db::meta_set(&tx, key, value)?;
        log::append(
            &tx,
            &now,
            &actor,
            log::Change {
                entity: "settings",
                entity_id: key,
                action: "update",
                field: Some(key),
                old_value: old,
                new_value: Some(value.into()),
                ..Default::default()
            },
        )?;
        tx.commit()?;
        Ok(())
    }

    // ---------------------------------------------------------------- batches

    /// Batches by number: the live ones, or all including those in the recycle bin.
    pub fn batch_list(&self, include_deleted: bool) -> Result<Vec<Batch>> {
        batches::list(&self.conn, include_deleted)
    }

    /// One batch.
    pub fn batch_get(&self, id: &str) -> Result<Batch> {
        batches::get(&self.conn, id)
    }

    /// Creates or updates a batch.
    pub fn batch_save(&mut self, input: BatchInput) -> Result<Batch> {
        let input = BatchInput {
            id: clean(input.id),
            number: input.number,
            doc_number: clean(input.doc_number),
            title: clean(input.title),
            determined_on: clean(input.determined_on),
            approved_on: clean(input.approved_on),
            published_on: clean(input.published_on),
            notice_start: clean(input.notice_start),
            notice_end: clean(input.notice_end),
            determined_by: clean(input.determined_by),
            approved_by: clean(input.approved_by),
            declared_count: input.declared_count,
            note: clean(input.note),
        };
        let mut errors = Vec::new();
        if input.number < 1 || input.number > 999 {
            errors.push(FieldError::new(
                "number",
                "批次序号应为 1 到 999 之间的整数",
            ));
        }
        if input
            .declared_count
            .is_some_and(|c| !(0..=10_000).contains(&c))
        {
            errors.push(FieldError::new(
                "declaredCount",
                "公布项目数应为 0 到 10000 之间的整数",
            ));
        }
        for (field, label, value) in [
            ("determinedOn", "确定日期", &input.determined_on),
            ("approvedOn", "批准日期", &input.approved_on),
            ("publishedOn", "公布日期", &input.published_on),
            ("noticeStart", "公示开始日期", &input.notice_start),
            ("noticeEnd", "公示结束日期", &input.notice_end),
        ] {
            date(field, label, value, &mut errors);
        }
        if let (Some(s), Some(e)) = (&input.notice_start, &input.notice_end) {
            if e < s {
                errors.push(FieldError::new("noticeEnd", "公示结束日期不能早于开始日期"));
            }
        }
        let existing = match &input.id {
            Some(id) => {
                let k = batches::key(&self.conn, id)?;
                if k.deleted_at.is_some() {
                    return Err(Error::Deleted {
                        kind: "批次",
                        id: id.clone(),
                    });
                }
                Some(k)
            }
            None => None,
        };
        if let Some(holder) = batches::uid_by_number(&self.conn, input.number)? {
            if input.id.as_deref() != Some(holder.as_str()) {
                errors.push(FieldError::new(
                    "number",
                    format!("{}已存在，不能重复", reference::batch_label(input.number)),
                ));
            }
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let uid = input
            .id
            .clone()
            .filter(|_| existing.is_some())
            .unwrap_or_else(db::new_uid);
        self.write_logged(
            "batch",
            &uid,
            existing.is_some(),
            batches::snapshot,
            |c, now| {
                if existing.is_some() {
                    batches::update(c, &uid, &input, now)
                } else {
                    batches::insert(c, &uid, &input, now)
                }
            },
            None,
        )?;
        self.batch_get(&uid)
    }

    /// Moves a batch to the recycle bin; refused while live items belong to it.
    pub fn batch_delete(&mut self, id: &str, reason: &str) -> Result<()> {
        let reason = require_reason(reason)?;
        let k = batches::key(&self.conn, id)?;
        if k.deleted_at.is_some() {
            return Err(Error::Deleted {
                kind: "批次",
                id: id.into(),
            });
        }
        let n = batches::live_item_count(&self.conn, k.rowid)?;
        if n > 0 {
            return Err(Error::Conflict(format!(
                "{}下还有 {n} 个项目，请先将这些项目移到其他批次或删除后再删除批次",
                reference::batch_label(k.number)
            )));
        }
        self.set_in_bin(
            "batch",
            id,
            Some(reason),
            |c, d, now| batches::set_deleted(c, id, d, now),
            None,
        )?;
        Ok(())
    }

    /// Restores a batch from the recycle bin (refused if its number was taken meanwhile).
    pub fn batch_restore(&mut self, id: &str) -> Result<Batch> {
        let k = batches::key(&self.conn, id)?;
        if k.deleted_at.is_none() {
            return self.batch_get(id);
        }
        if batches::uid_by_number(&self.conn, k.number)?.is_some() {
            return Err(Error::Conflict(format!(
                "已有另一个{}，不能恢复",
                reference::batch_label(k.number)
            )));
        }
        self.set_in_bin(
            "batch",
            id,
            None,
            |c, d, now| batches::set_deleted(c, id, d, now),
            None,
        )?;
        self.batch_get(id)
    }

    // ------------------------------------------------------------------ items

    /// One page of the register.
    pub fn item_list(&self, query: &ItemQuery) -> Result<ItemPage> {
        items::list(&self.conn, query, &self.template()?)
    }

    /// One item, whole.
    pub fn item_get(&self, id: &str) -> Result<ItemDetail> {
        items::detail(&self.conn, id, &self.template()?)
    }

    /// Creates or updates an item after validating every field.
    pub fn item_save(&mut self, input: ItemInput) -> Result<ItemDetail> {
        let checked = item_check(&self.conn, input)?;
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let uid = item_write(&tx, &now, &actor, checked, None)?;
        tx.commit()?;
        self.item_get(&uid)
    }

    /// Moves an item to the recycle bin with a reason; refused while live extension items hang under it.
    pub fn item_delete(&mut self, id: &str, reason: &str) -> Result<()> {
        let reason = require_reason(reason)?;
        let k = items::key(&self.conn, id)?;
        if k.deleted_at.is_some() {
            return Err(Error::Deleted {
                kind: "项目",
                id: id.into(),
            });
        }
        let children = items::live_children(&self.conn, k.rowid)?;
        if children > 0 {
            return Err(Error::Conflict(format!(
                "“{}”下还有 {children} 个扩展项目，请先处理扩展项目",
                k.name
            )));
        }
        self.set_in_bin(
            "item",
            id,
            Some(reason),
            |c, d, now| items::set_deleted(c, k.rowid, d, now),
            Some(("item", items::search_text)),
        )?;
        Ok(())
    }

    /// Restores an item from the recycle bin (refused if its code was taken meanwhile).
    pub fn item_restore(&mut self, id: &str) -> Result<ItemDetail> {
        let k = items::key(&self.conn, id)?;
        if k.deleted_at.is_none() {
            return self.item_get(id);
        }
        if k.parent.is_none() {
            if let Some(holder) =
                items::holder_of_code(&self.conn, &k.category, k.seq, Some(k.rowid))?
            {
                return Err(Error::Conflict(format!(
                    "类别 {} 的序号 {} 已被“{holder}”使用，不能恢复；请先修改其中一个的序号",
                    k.category, k.seq
                )));
            }
        }
        self.set_in_bin(
            "item",
            id,
            None,
            |c, d, now| items::set_deleted(c, k.rowid, d, now),
            Some(("item", items::search_text)),
        )?;
        self.item_get(id)
    }

    // --------------------------------------------------------------- search

    /// Searches names (Chinese substring, full pinyin, initials) and texts.
    pub fn search(&self, text: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let query = ItemQuery {
            query: Some(text.to_string()),
            sort: ItemSort::Code,
            page_size: Some(limit.clamp(1, items::MAX_PAGE_SIZE as usize) as i64),
            ..Default::default()
        };
        let page = self.item_list(&query)?;
        let needle = text.trim();
        let mut hits = page
            .rows
            .into_iter()
            .map(|row| {
                let matched = crate::search::match_kind(&row.name, needle);
                let snippet = if matched == "text" {
                    self.snippet_for(&row.id, needle)?
                } else {
                    row.code.clone()
                };
                Ok(SearchHit {
                    kind: "item".into(),
                    id: row.id,
                    name: row.name,
                    snippet,
                    matched: matched.to_string(),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        // Name matches first, then text matches; each group stays in register order.
        hits.sort_by_key(|h| h.matched == "text");
        Ok(hits)
    }

    fn snippet_for(&self, id: &str, needle: &str) -> Result<String> {
        Ok(db::search::indexed_text(&self.conn, "item", id)?
            .map(|(_, body)| crate::search::snippet(&body, needle, 20))
            .unwrap_or_default())
    }

    // -------------------------------------------------------------- history

    /// The edit history of one record, newest first.
    pub fn history(&self, entity: &str, id: &str) -> Result<Vec<EditLogEntry>> {
        let mut entries = log::for_entity(&self.conn, entity, id)?;
        for e in &mut entries {
            e.revertible = history::revertible(e);
        }
        Ok(entries)
    }

    /// Checks the edit log's hash chain; empty when intact.
    pub fn verify_log(&self) -> Result<Vec<log::ChainProblem>> {
        log::verify(&self.conn)
    }

    /// `PRAGMA integrity_check` of the database file.
    pub fn integrity_check(&self) -> Result<Vec<String>> {
        db::integrity_check(&self.conn)
    }
}

/// An item input that passed [`item_check`], with its references resolved.
pub(crate) struct CheckedItem {
    input: ItemInput,
    existing: Option<items::ItemKey>,
    resolved: items::Resolved,
}

/// Normalises and validates an item input against `conn` (the registry, or a transaction
/// that already holds earlier writes of the same change), resolving batch, parent,
/// category and sequence. A new item of a district batch gets that batch's 区级 listing.
pub(crate) fn item_check(conn: &Connection, input: ItemInput) -> Result<CheckedItem> {
    let input = normalize_item(input);

    let mut errors = Vec::new();
    let name_len = input.name.chars().count();
    if name_len == 0 {
        errors.push(FieldError::new("name", "请填写项目名称"));
    } else if name_len > 100 {
        errors.push(FieldError::new("name", "项目名称不能超过 100 个字"));
    }
    if input.category.is_empty() {
        errors.push(FieldError::new("category", "请选择类别"));
    } else if !items::category_exists(conn, &input.category)? {
        errors.push(FieldError::new(
            "category",
            format!("没有“{}”这个类别，应为 Ⅰ–Ⅹ", input.category),
        ));
    }
    if input.seq.is_some_and(|s| s < 1) {
        errors.push(FieldError::new("seq", "序号应为正整数"));
    }
    let status = input.status.clone().unwrap_or_else(|| "在册".into());
    if !ITEM_STATUSES.contains(&status.as_str()) {
        errors.push(FieldError::new(
            "status",
            format!("状态应为 {}", ITEM_STATUSES.join(" / ")),
        ));
    }
    for (i, t) in input.townships.iter().enumerate() {
        if items::township_name(conn, &t.code)?.is_none() {
            errors.push(FieldError::new(
                format!("townships.{i}"),
                format!("没有代码为 {} 的镇街", t.code),
            ));
        }
    }
    let mut seen = Vec::new();
    for (i, t) in input.townships.iter().enumerate() {
        if seen.contains(&t.code) {
            errors.push(FieldError::new(
                format!("townships.{i}"),
                "同一镇街不能重复选择",
            ));
        }
        seen.push(t.code.clone());
    }
    for (i, l) in input.listings.iter().enumerate() {
        if !LEVELS.contains(&l.level.as_str()) {
            errors.push(FieldError::new(
                format!("listings.{i}.level"),
                "级别应为 区级 / 市级 / 省级 / 国家级",
            ));
        }
        date(
            &format!("listings.{i}.listedOn"),
            "公布日期",
            &l.listed_on,
            &mut errors,
        );
    }
    let existing = match &input.id {
        Some(id) => {
            let k = items::key(conn, id)?;
            if k.deleted_at.is_some() {
                return Err(Error::Deleted {
                    kind: "项目",
                    id: id.clone(),
                });
            }
            Some(k)
        }
        None => None,
    };
    let batch = match &input.batch_id {
        Some(b) => match batches::key(conn, b) {
            Ok(k) if k.deleted_at.is_none() => Some(k),
            Ok(_) => {
                errors.push(FieldError::new("batchId", "所选批次已删除"));
                None
            }
            Err(Error::NotFound { .. }) => {
                errors.push(FieldError::new("batchId", "所选批次不存在"));
                None
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    let parent = match &input.parent_id {
        Some(p) => match items::key(conn, p) {
            Ok(k) if k.deleted_at.is_some() => {
                errors.push(FieldError::new("parentId", "母项目已删除"));
                None
            }
            Ok(k) if k.parent.is_some() => {
                errors.push(FieldError::new("parentId", "扩展项目不能再作为母项目"));
                None
            }
            Ok(k) if existing.as_ref().is_some_and(|e| e.rowid == k.rowid) => {
                errors.push(FieldError::new("parentId", "项目不能作为自己的母项目"));
                None
            }
            Ok(k) => Some(k),
            Err(Error::NotFound { .. }) => {
                errors.push(FieldError::new("parentId", "母项目不存在"));
                None
            }
            Err(e) => return Err(e),
        },
        None => None,
    };
    if let (Some(e), Some(_)) = (&existing, &parent) {
        if items::live_children(conn, e.rowid)? > 0 {
            errors.push(FieldError::new(
                "parentId",
                "本项目下已有扩展项目，不能再挂到其他母项目下",
            ));
        }
    }
    if !errors.is_empty() {
        return Err(Error::Validation(errors));
    }
    // Extension items take their parent's category and sequence (and so its code).
    let (category, seq) = match &parent {
        Some(p) => (p.category.clone(), p.seq),
        None => {
            let seq = match (input.seq, &existing) {
                (Some(s), _) => s,
                (None, Some(e)) if e.category == input.category && e.parent.is_none() => e.seq,
                _ => items::next_seq(conn, &input.category)?,
            };
            if let Some(holder) = items::holder_of_code(
                conn,
                &input.category,
                seq,
                existing.as_ref().map(|e| e.rowid),
            )? {
                return Err(Error::field(
                    "seq",
                    format!(
                        "类别 {} 的序号 {seq} 已被“{holder}”使用，请换一个序号或留空自动编号",
                        input.category
                    ),
                ));
            }
            (input.category.clone(), seq)
        }
    };
    let resolved = items::Resolved {
        batch: batch.as_ref().map(|b| b.rowid),
        parent: parent.as_ref().map(|p| p.rowid),
        category,
        seq,
        status,
    };
    let mut input = input;
    if existing.is_none() && input.listings.iter().all(|l| l.level != "区级") {
        // A new item of a district batch is listed at district level by that batch's decision.
        if let Some(b) = &input.batch_id {
            let b = batches::get(conn, b)?;
            input.listings.insert(
                0,
                Listing {
                    id: None,
                    level: "区级".into(),
                    listed_on: b.approved_on.clone().or(b.published_on.clone()),
                    doc_number: b.doc_number.clone(),
                    batch_label: Some(b.label.clone()),
                    code: None,
                    note: None,
                },
            );
        }
    }
    Ok(CheckedItem {
        input,
        existing,
        resolved,
    })
}

/// Writes a checked item inside the caller's transaction: the row, its edit-log rows
/// (carrying `reason` when given) and its search-index entry. Returns its stable id.
pub(crate) fn item_write(
    tx: &Connection,
    now: &str,
    actor: &str,
    checked: CheckedItem,
    reason: Option<&str>,
) -> Result<String> {
    let CheckedItem {
        input,
        existing,
        resolved,
    } = checked;
    let uid = match &existing {
        Some(e) => {
            let uid = input.id.clone().unwrap_or_default();
            let before = items::snapshot(tx, &uid)?;
            items::update(tx, e.rowid, &input, &resolved, now)?;
            let after = items::snapshot(tx, &uid)?;
            log_diff(tx, now, actor, "item", &uid, &before, &after)?;
            uid
        }
        None => {
            let uid = db::new_uid();
            items::insert(tx, &uid, &input, &resolved, now)?;
            let after = items::snapshot(tx, &uid)?;
            log_create_with(
                tx,
                now,
                actor,
                "item",
                &uid,
                &after,
                reason.map(str::to_string),
            )?;
            uid
        }
    };
    let (name, body) = items::search_text(tx, &uid)?;
    db::search::index(tx, "item", &uid, &name, &body)?;
    Ok(uid)
}

fn require_reason(reason: &str) -> Result<String> {
    let r = reason.trim();
    if r.is_empty() {
        return Err(Error::field("reason", "删除时请填写原因"));
    }
    Ok(r.to_string())
}

fn normalize_item(i: ItemInput) -> ItemInput {
    let t = i.texts;
    ItemInput {
        id: clean(i.id),
        name: i.name.trim().to_string(),
        category: normalize_category(&i.category),
        batch_id: clean(i.batch_id),
        seq: i.seq,
        parent_id: clean(i.parent_id),
        status: clean(i.status),
        endangered: i.endangered,
        confidential: i.confidential,
        townships: i
            .townships
            .into_iter()
            .map(|t| ItemTownship {
                code: t.code.trim().to_string(),
                name: String::new(),
                villages: clean(t.villages),
            })
            .collect(),
        listings: i
            .listings
            .into_iter()
            .map(|l| Listing {
                id: clean(l.id),
                level: l.level.trim().to_string(),
                listed_on: clean(l.listed_on),
                doc_number: clean(l.doc_number),
                batch_label: clean(l.batch_label),
                code: clean(l.code),
                note: clean(l.note),
            })
            .collect(),
        texts: ItemTexts {
            applicant: clean(t.applicant),
            distribution: clean(t.distribution),
            summary: clean(t.summary),
            geography: clean(t.geography),
            history: clean(t.history),
            content: clean(t.content),
            artifacts: clean(t.artifacts),
            lineage_text: clean(t.lineage_text),
            features: clean(t.features),
            value: clean(t.value),
            viability: clean(t.viability),
            argumentation: clean(t.argumentation),
            management: clean(t.management),
            protection_done: clean(t.protection_done),
            mechanism: clean(t.mechanism),
        },
        note: clean(i.note),
    }
}

/// Accepts `Ⅷ`, ASCII look-alikes (`VIII`), and Arabic numbers (`8`) for a category.
pub fn normalize_category(input: &str) -> String {
    let s = input.trim();
    const ROMAN: [(&str, &str); 10] = [
        ("I", "Ⅰ"),
        ("II", "Ⅱ"),
        ("III", "Ⅲ"),
        ("IV", "Ⅳ"),
        ("V", "Ⅴ"),
        ("VI", "Ⅵ"),
        ("VII", "Ⅶ"),
        ("VIII", "Ⅷ"),
        ("IX", "Ⅸ"),
        ("X", "Ⅹ"),
    ];
    let upper = s.to_ascii_uppercase();
    for (i, (ascii, uni)) in ROMAN.iter().enumerate() {
        if upper == *ascii || s == (i + 1).to_string() {
            return uni.to_string();
        }
    }
    s.to_string()
}

fn log_create(
    conn: &Connection,
    now: &str,
    actor: &str,
    entity: &str,
    uid: &str,
    after: &BTreeMap<String, Option<String>>,
) -> Result<()> {
    log_create_with(conn, now, actor, entity, uid, after, None)
}

fn log_create_with(
    conn: &Connection,
    now: &str,
    actor: &str,
    entity: &str,
    uid: &str,
    after: &BTreeMap<String, Option<String>>,
    reason: Option<String>,
) -> Result<()> {
    let fields: BTreeMap<&String, &String> = after
        .iter()
        .filter(|(k, _)| !k.ends_with(log::DATA))
        .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
        .collect();
    log::append(
        conn,
        now,
        actor,
        log::Change {
            entity,
            entity_id: uid,
            action: "create",
            new_value: Some(serde_json::to_string(&fields).unwrap_or_default()),
            reason,
            ..Default::default()
        },
    )
}

fn log_diff(
    conn: &Connection,
    now: &str,
    actor: &str,
    entity: &str,
    uid: &str,
    before: &BTreeMap<String, Option<String>>,
    after: &BTreeMap<String, Option<String>>,
) -> Result<()> {
    // A revert in progress logs its change as `revert`, with the reverted row named.
    let (action, reason) =
        history::current_revert().map_or(("update", None), |r| ("revert", Some(r)));
    let data = |m: &BTreeMap<String, Option<String>>, field: &str| {
        m.get(&format!("{field}{}", log::DATA)).cloned().flatten()
    };
    for (field, new) in after.iter().filter(|(k, _)| !k.ends_with(log::DATA)) {
        let old = before.get(field).cloned().flatten();
        let (old_data, new_data) = (data(before, field), data(after, field));
        if old != *new || old_data != new_data {
            log::append(
                conn,
                now,
                actor,
                log::Change {
                    entity,
                    entity_id: uid,
                    action,
                    field: Some(field),
                    old_value: old,
                    new_value: new.clone(),
                    reason: reason.clone(),
                    old_data,
                    new_data,
                },
            )?;
        }
    }
    Ok(())
}

/// Builds a record's searchable (name, body) for the search index.
type SearchText = fn(&Connection, &str) -> Result<(String, String)>;

impl Registry {
    /// Moves a record into the recycle bin (`reason` given) or back out (`None`) in one
    /// transaction with its deletion flag, its search-index entry and its edit-log row.
    fn set_in_bin(
        &mut self,
        entity: &str,
        id: &str,
        reason: Option<String>,
        flag: impl FnOnce(&Connection, Option<(&str, &str)>, &str) -> Result<()>,
        search: Option<(&str, SearchText)>,
    ) -> Result<()> {
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        flag(&tx, reason.as_deref().map(|r| (now.as_str(), r)), &now)?;
        if let Some((kind, text)) = search {
            if reason.is_some() {
                db::search::remove(&tx, kind, id)?;
            } else {
                let (name, body) = text(&tx, id)?;
                db::search::index(&tx, kind, id, &name, &body)?;
            }
        }
        let action = if reason.is_some() {
            "delete"
        } else {
            "restore"
        };
        log::append(
            &tx,
            &now,
            &actor,
            log::Change {
                entity,
                entity_id: id,
                action,
                reason,
                ..Default::default()
            },
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Reads a record's loggable fields, flat, by the names its form uses.
type Snapshot = fn(&Connection, &str) -> Result<BTreeMap<String, Option<String>>>;

impl Registry {
    /// Writes one record in one transaction together with its edit-log rows (a field-by-field
    /// diff when it existed, a create row otherwise) and, for searchable kinds, its index entry.
    fn write_logged(
        &mut self,
        entity: &str,
        uid: &str,
        exists: bool,
        snapshot: Snapshot,
        write: impl FnOnce(&Connection, &str) -> Result<()>,
        search: Option<(&str, SearchText)>,
    ) -> Result<()> {
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let before = if exists {
            Some(snapshot(&tx, uid)?)
        } else {
            None
        };
        write(&tx, &now)?;
        let after = snapshot(&tx, uid)?;
        match before {
            Some(b) => log_diff(&tx, &now, &actor, entity, uid, &b, &after)?,
            None => log_create(&tx, &now, &actor, entity, uid, &after)?,
        }
        if let Some((kind, text)) = search {
            let (name, body) = text(&tx, uid)?;
            db::search::index(&tx, kind, uid, &name, &body)?;
        }
        tx.commit()?;
        Ok(())
    }
}

//! Exchange packages between registries (other PCs, the municipal bureau): export,
//! inspect (verify + plan + the record writes rolled back, nothing written) and import
//! (verify again, copy the originals into the store, merge in one transaction, record the
//! import run).

use super::Registry;
use crate::db::exchange::{self as dbx, Fields, Record, KINDS};
use crate::db::{self, log};
use crate::error::{Error, Result};
use crate::exchange::package::{self, Manifest, MediaFile, Package, Source};
use crate::exchange::{self as ex, Plan, MERGE_REASON};
use crate::media::store::Store;
use crate::model::*;
use rusqlite::Connection;
use serde_json::Value;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::atomic::AtomicBool;

/// The choices keyed by (kind, id, field): `true` = take the package's value.
type Choices = HashMap<(String, String, String), bool>;

fn choices_map(plan: &Plan, choices: &[ConflictChoice]) -> Result<Choices> {
    let mut out = HashMap::new();
    let open: HashSet<(String, String, String)> = plan
        .updates
        .iter()
        .flat_map(|u| {
            u.conflicts
                .iter()
                .map(|c| (u.kind.kind.to_string(), u.uid.clone(), c.field.clone()))
        })
        .collect();
    for c in choices {
        let remote = match c.take.as_str() {
            "remote" => true,
            "local" => false,
            other => {
                return Err(Error::field(
                    "take",
                    format!(
                        "冲突的处理方式应为 local（保留本机）或 remote（采用包中），不是“{other}”"
                    ),
                ))
            }
        };
        let key = (c.kind.clone(), c.id.clone(), c.field.clone());
        if !open.contains(&key) {
            return Err(Error::field(
                "choices",
                format!("{} {} 的“{}”没有冲突，无需选择", c.kind, c.id, c.field),
            ));
        }
        out.insert(key, remote);
    }
    let missing = open.iter().filter(|k| !out.contains_key(*k)).count();
    if missing > 0 {
        return Err(Error::Conflict(format!(
            "交换包与本名录有 {missing} 处修改冲突（两边改了同一字段），请逐项选择保留本机还是采用包中的内容后再导入；未做任何改动"
        )));
    }
    Ok(out)
}

/// Fields an update sets: those taken without asking and the conflicts resolved `remote`.
fn fields_to_set(u: &ex::Update, choices: Option<&Choices>) -> Vec<String> {
    let mut set = u.take.clone();
    if let Some(ch) = choices {
        for c in &u.conflicts {
            let key = (u.kind.kind.to_string(), u.uid.clone(), c.field.clone());
            if ch.get(&key) == Some(&true) {
                set.push(c.field.clone());
            }
        }
    }
    let derived: Vec<String> = ex::DERIVED
        .iter()
        .filter(|(_, source)| set.iter().any(|f| f == source))
        .map(|(d, _)| d.to_string())
        .filter(|d| u.remote.contains_key(d))
        .collect();
    set.extend(derived);
    set
}

fn context(kind: &dbx::Kind, label: &str, e: Error) -> Error {
    match e {
        Error::Db(d) => Error::Conflict(format!(
            "无法合并{}“{label}”：与本名录中已有的记录冲突（{d}）。请先在本机修改或删除冲突的那一条，再导入；未做任何改动",
            kind.label
        )),
        other => other,
    }
}

fn own(kind: &dbx::Kind, fields: &Fields, names: &[String]) -> Fields {
    names
        .iter()
        .filter(|f| !kind.children.iter().any(|c| c.field == f.as_str()))
        .filter_map(|f| fields.get(f).map(|v| (f.clone(), v.clone())))
        .collect()
}

fn reindex(conn: &Connection, kind: &str, uid: &str) -> Result<()> {
    let text: fn(&Connection, &str) -> Result<(String, String)> = match kind {
        "item" => db::items::search_text,
        "inheritor" => db::inheritors::search_text,
        "unit" => db::units::search_text,
        "activity" => db::activities::search_text,
        _ => return Ok(()),
    };
    let k = dbx::kind(kind).ok_or_else(|| Error::Conflict(kind.into()))?;
    if dbx::is_deleted(conn, k, uid)? {
        db::search::remove(conn, kind, uid)
    } else {
        let (name, body) = text(conn, uid)?;
        db::search::index(conn, kind, uid, &name, &body)
    }
}

/// Writes the plan's records into `conn` (inside the caller's transaction): what a merge
/// can be refused for (a code or name already taken, a link to nothing) fails here.
fn write_records(conn: &Connection, plan: &Plan, choices: Option<&Choices>) -> Result<()> {
    for k in KINDS {
        for a in plan.adds.iter().filter(|a| a.kind.kind == k.kind) {
            // The record's name only for a message (naming every record cost ~2 % of a merge).
            let named = |e| context(k, &ex::record_label(k, &a.record), e);
            dbx::insert(conn, k, &a.record).map_err(named)?;
            for c in k.children.iter().filter(|c| !c.deferred) {
                if let Some(v) = a.record.fields.get(c.field) {
                    dbx::replace_children(conn, k, c, &a.record.uid, v).map_err(named)?;
                }
            }
        }
        for u in plan.updates.iter().filter(|u| u.kind.kind == k.kind) {
            let set = fields_to_set(u, choices);
            if set.is_empty() {
                continue;
            }
            let mut fields = own(k, &u.remote, &set);
            if let Some(at) = &u.updated_at {
                fields.insert("updated_at".into(), at.clone());
            }
            dbx::update(conn, k, &u.uid, &fields).map_err(|e| context(k, &u.label, e))?;
            for c in k.children.iter().filter(|c| !c.deferred) {
                if set.iter().any(|f| f == c.field) {
                    let v = u.remote.get(c.field).unwrap_or(&Value::Null);
                    dbx::replace_children(conn, k, c, &u.uid, v)
                        .map_err(|e| context(k, &u.label, e))?;
                }
            }
        }
    }
    // Links that point at records of later kinds, now that every record is in place.
    for k in KINDS {
        for c in k.children.iter().filter(|c| c.deferred) {
            for a in plan.adds.iter().filter(|a| a.kind.kind == k.kind) {
                if let Some(v) = a.record.fields.get(c.field) {
                    dbx::replace_children(conn, k, c, &a.record.uid, v)
                        .map_err(|e| context(k, &ex::record_label(k, &a.record), e))?;
                }
            }
            for u in plan.updates.iter().filter(|u| u.kind.kind == k.kind) {
                if fields_to_set(u, choices).iter().any(|f| f == c.field) {
                    let v = u.remote.get(c.field).unwrap_or(&Value::Null);
                    dbx::replace_children(conn, k, c, &u.uid, v)
                        .map_err(|e| context(k, &u.label, e))?;
                }
            }
        }
    }
    Ok(())
}

/// Writes what a merge leaves beside the records (inside the caller's transaction, after
/// [`write_records`]): the package's log entries this registry lacks (their uids kept),
/// the merge's own log rows, and the search index of every record it added or changed.
fn write_history(
    conn: &Connection,
    plan: &Plan,
    choices: Option<&Choices>,
    source: &str,
    now: &str,
    actor: &str,
) -> Result<()> {
    let reason = format!("{MERGE_REASON}{source}");
    let labels = &plan.labels;
    for e in &plan.new_entries {
        dbx::append_entry(conn, e)?;
    }
    for a in &plan.adds {
        let names: Vec<String> = a.record.fields.keys().cloned().collect();
        let fields: BTreeMap<String, String> = own(a.kind, &a.record.fields, &names)
            .iter()
            .filter_map(|(k, v)| ex::readable(v, labels).map(|t| (k.clone(), t)))
            .collect();
        log::append(
            conn,
            now,
            actor,
            log::Change {
                entity: a.kind.kind,
                entity_id: &a.record.uid,
                action: "create",
                new_value: serde_json::to_string(&fields).ok(),
                reason: Some(reason.clone()),
                ..Default::default()
            },
        )?;
        reindex(conn, a.kind.kind, &a.record.uid)?;
    }
    for u in &plan.updates {
        let set = fields_to_set(u, choices);
        for f in set
            .iter()
            .filter(|f| !ex::DERIVED.iter().any(|(d, _)| d == f))
        {
            log::append(
                conn,
                now,
                actor,
                log::Change {
                    entity: u.kind.kind,
                    entity_id: &u.uid,
                    action: "update",
                    field: Some(f),
                    old_value: ex::readable(u.local.get(f).unwrap_or(&Value::Null), labels),
                    new_value: ex::readable(u.remote.get(f).unwrap_or(&Value::Null), labels),
                    reason: Some(reason.clone()),
                    ..Default::default()
                },
            )?;
        }
        if !set.is_empty() {
            reindex(conn, u.kind.kind, &u.uid)?;
        }
    }
    Ok(())
}

impl Registry {
    /// This registry's stable id (made on first need and kept in `meta`).
    fn registry_uid(&self) -> Result<String> {
        if let Some(u) = db::meta_get(&self.conn, "registry_uid")? {
            return Ok(u);
        }
        let u = db::new_uid();
        db::meta_set(&self.conn, "registry_uid", &u)?;
        Ok(u)
    }

    /// Writes an exchange package: the records (all, or those changed since a date and
    /// what they point at), their edit-log entries, the originals they need, a manifest
    /// and checksums. The ZIP appears under its name only when complete.
    pub fn exchange_export(&self, req: &ExchangeExportRequest) -> Result<ExchangeSummary> {
        let out = Path::new(req.out.trim());
        if req.out.trim().is_empty() {
            return Err(Error::field("out", "请给出交换包的文件名（.zip）"));
        }
        let since = match req
            .since
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            Some(s) => {
                if chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_err() {
                    return Err(Error::field(
                        "since",
                        format!("“{s}”不是有效的日期，应为 YYYY-MM-DD"),
                    ));
                }
                Some(s.to_string())
            }
            None => None,
        };
        let include_media = req.include_media.unwrap_or(true);
        let mut all = dbx::read_all(&self.conn)?;
        let entries = dbx::log_entries(&self.conn)?;
        let hist = ex::histories(&entries, &all);
        let selected: HashSet<String> = match &since {
            None => all.values().flatten().map(|r| r.uid.clone()).collect(),
            Some(s) => select_since(&all, &entries, &hist, s),
        };
        for list in all.values_mut() {
            list.retain(|r| selected.contains(&r.uid));
            for r in list.iter_mut() {
                r.history = hist.get(&r.uid).cloned().unwrap_or_default();
            }
        }
        let log: Vec<dbx::LogEntry> = entries
            .into_iter()
            .filter(|e| selected.contains(&e.entity_uid))
            .collect();
        let mut media = Vec::new();
        if include_media {
            let carried = all.get("media").map(Vec::as_slice).unwrap_or(&[]);
            if !carried.is_empty() && self.dir == Path::new(":memory:") {
                return Err(Error::Conflict(
                    "内存中的名录没有资料库文件夹，请不带资料原件导出".into(),
                ));
            }
            let store = Store::new(&self.dir);
            for r in carried {
                let (Some(Value::String(sha)), Some(Value::String(ext))) =
                    (r.fields.get("sha256"), r.fields.get("ext"))
                else {
                    continue;
                };
                let path = store.path_of(sha, ext)?;
                if !path.is_file() {
                    return Err(Error::Conflict(format!(
                        "资料原件“{}”缺失，交换包未写出。请先在 设置 → 资料检查 中重新关联，或选择不带资料原件导出",
                        path.display()
                    )));
                }
                media.push(MediaFile {
                    sha256: sha.clone(),
                    path,
                });
            }
        }
        let info = self.info()?;
        let counts: Vec<KindCount> = KINDS
            .iter()
            .map(|k| KindCount {
                kind: k.kind.into(),
                label: k.label.into(),
                count: all.get(k.kind).map_or(0, |v| v.len() as i64),
            })
            .filter(|c| c.count > 0)
            .collect();
        let mut manifest = Manifest {
            format: ex::FORMAT.into(),
            package_id: db::new_uid(),
            created_at: self.now(),
            created_by: self.actor()?,
            app_version: env!("CARGO_PKG_VERSION").into(),
            schema_version: db::schema_version(&self.conn)?,
            source: Source {
                title: info.title,
                registry_uid: self.registry_uid()?,
                kind: match info.kind {
                    RegistryKind::Real => "real".into(),
                    RegistryKind::Sample => "sample".into(),
                },
            },
            scope: since.clone().unwrap_or_else(|| "all".into()),
            include_media,
            records: counts.clone(),
            log_entries: log.len() as i64,
            files: Vec::new(),
        };
        let bytes = package::write(out, &mut manifest, &all, &log, &media)?;
        Ok(ExchangeSummary {
            path: out.display().to_string(),
            package_id: manifest.package_id,
            records: counts,
            log_entries: log.len() as i64,
            media_files: media.len() as i64,
            bytes: bytes as i64,
        })
    }

    /// Reads and verifies a package and plans its merge; the records and log entries move
    /// into the plan (the returned package keeps its manifest and archive).
    fn exchange_open(&self, path: &Path) -> Result<(Package, Plan)> {
        let mut pkg = package::read(path)?;
        if pkg.manifest.source.kind == "sample" && self.kind()? == RegistryKind::Real {
            return Err(Error::bad_input(
                path,
                "这是示例名录（虚构数据）的交换包，不能导入正式名录",
            ));
        }
        for kind in pkg.records.keys() {
            if dbx::kind(kind).is_none() {
                return Err(Error::bad_input(
                    path,
                    format!("包中有未知的记录类型“{kind}”"),
                ));
            }
        }
        let records = std::mem::take(&mut pkg.records);
        let log = std::mem::take(&mut pkg.log);
        let plan = ex::plan(&self.conn, records, log).map_err(|e| match e {
            Error::Conflict(m) => Error::bad_input(path, m),
            other => other,
        })?;
        Ok((pkg, plan))
    }

    fn preview(&self, pkg: &Package, plan: &Plan) -> Result<ExchangePreview> {
        let m = &pkg.manifest;
        let mut warnings = plan.warnings.clone();
        let store = (self.dir != Path::new(":memory:")).then(|| Store::new(&self.dir));
        let mut media_files = 0;
        let mut missing = 0;
        for a in plan.adds.iter().filter(|a| a.kind.kind == "media") {
            let sha = a.record.fields.get("sha256").and_then(Value::as_str);
            let ext = a.record.fields.get("ext").and_then(Value::as_str);
            let (Some(sha), Some(ext)) = (sha, ext) else {
                continue;
            };
            let in_store = match &store {
                Some(s) => s.path_of(sha, ext)?.is_file(),
                None => false,
            };
            if in_store {
                continue;
            }
            if pkg.archive.entry(&format!("media/{sha}")).is_some() {
                media_files += 1;
            } else {
                missing += 1;
            }
        }
        if missing > 0 {
            warnings.push(format!(
                "有 {missing} 个资料的原件不在包中（导出时未带资料原件），导入后资料检查会报告“缺失”，可用 重新关联 从文件夹找回"
            ));
        }
        Ok(ExchangePreview {
            path: pkg.path.display().to_string(),
            package_id: m.package_id.clone(),
            source_title: m.source.title.clone(),
            created_by: m.created_by.clone(),
            created_at: m.created_at.clone(),
            scope: m.scope.clone(),
            sample: m.source.kind == "sample",
            added: plan.added(ex::PREVIEW_LINES),
            added_count: plan.adds.len() as i64,
            updated: plan.updated(ex::PREVIEW_LINES),
            updated_count: plan.updated_count() as i64,
            unchanged: plan.unchanged,
            conflicts: plan.conflicts(),
            media_files,
            import_id: None,
            warnings,
        })
    }

    /// Verifies a package and works out what importing it would do; writes nothing.
    pub fn exchange_inspect(&self, path: &Path) -> Result<ExchangePreview> {
        let (pkg, plan) = self.exchange_open(path)?;
        // A dry run of the record writes, rolled back, so that what would fail fails here.
        // The log rows and the search index are left out: they cannot refuse a record that
        // was written, and indexing the texts was most of a large merge's time.
        {
            let tx = self.conn.unchecked_transaction()?;
            write_records(&tx, &plan, None)?;
            tx.rollback()?;
        }
        self.preview(&pkg, &plan)
    }

    /// Verifies and merges a package. Refused, with nothing written, while a conflicting
    /// field has no choice. The originals go into the store first; the records, the
    /// package's log entries, the merge's own log rows, the search index and the import
    /// run are then written in one transaction.
    pub fn exchange_import(
        &mut self,
        path: &Path,
        choices: &[ConflictChoice],
    ) -> Result<ExchangePreview> {
        let (mut pkg, plan) = self.exchange_open(path)?;
        let chosen = choices_map(&plan, choices)?;
        let mut preview = self.preview(&pkg, &plan)?;
        let (now, actor) = (self.now(), self.actor()?);
        let source = super::file_name(path);
        if !(preview.added_count == 0 && preview.updated_count == 0 && preview.conflicts.is_empty())
        {
            self.backup_before(
                BackupReason::BeforeMerge,
                &format!("合并交换包“{source}”之前"),
            )?;
        }
        // Originals first, each under an intent marker (see `media::store`): a crash from
        // here on leaves files no row points at, which the next open clears.
        let store = Store::new(&self.dir);
        let mut placed: Vec<(String, String)> = Vec::new();
        let mut intents: Vec<crate::media::store::Intent> = Vec::new();
        let media_adds: Vec<(String, String)> = plan
            .adds
            .iter()
            .filter(|a| a.kind.kind == "media")
            .filter_map(|a| {
                let sha = a.record.fields.get("sha256")?.as_str()?.to_string();
                let ext = a.record.fields.get("ext")?.as_str()?.to_string();
                Some((sha, ext))
            })
            .collect();
        let staged_all = (|| -> Result<()> {
            if media_adds.is_empty() || self.dir == Path::new(":memory:") {
                return Ok(());
            }
            let _ = store.clean_tmp();
            let cancel = AtomicBool::new(false);
            for (sha, ext) in media_adds {
                if store.path_of(&sha, &ext)?.is_file() {
                    continue;
                }
                let name = format!("media/{sha}");
                if pkg.archive.entry(&name).is_none() {
                    continue;
                }
                let staged = pkg
                    .archive
                    .with_reader(&name, |r| store.stage(r, &cancel, &mut |_, _| {}))
                    .map_err(|e| Error::bad_input(path, e.0))?;
                let staged = staged.map_err(|e| match e {
                    crate::media::store::StageError::Store(e) => e,
                    crate::media::store::StageError::Read(e) => {
                        Error::bad_input(path, format!("“{name}”无法读取（{e}）"))
                    }
                    crate::media::store::StageError::Cancelled => Error::Conflict("已取消".into()),
                })?;
                if staged.sha256() != sha {
                    return Err(Error::bad_input(
                        path,
                        format!("“{name}”的内容与校验值不符"),
                    ));
                }
                intents.push(store.intend(&sha, &ext)?);
                let stored = staged.commit(&ext)?;
                if stored.newly_stored {
                    placed.push((sha, ext));
                }
            }
            Ok(())
        })();
        let import_id = db::new_uid();
        let result = staged_all.and_then(|()| {
            let tx = self.conn.transaction()?;
            write_records(&tx, &plan, Some(&chosen))?;
            write_history(&tx, &plan, Some(&chosen), &source, &now, &actor)?;
            let summary = serde_json::json!({
                "packageId": pkg.manifest.package_id,
                "sourceTitle": pkg.manifest.source.title,
                "sourceRegistry": pkg.manifest.source.registry_uid,
                "created": plan.adds.len(),
                "updated": plan.updates.iter().filter(|u| !fields_to_set(u, Some(&chosen)).is_empty()).count(),
                "conflicts": plan.updates.iter().map(|u| u.conflicts.len()).sum::<usize>(),
                "logEntries": plan.new_entries.len(),
            });
            dbx::insert_import_run(&tx, &import_id, &source, &now, &actor, &summary.to_string())?;
            tx.commit()?;
            Ok(())
        });
        if let Err(e) = result {
            for (sha, ext) in &placed {
                let _ = store.remove(sha, ext);
            }
            for i in intents {
                let _ = i.release();
            }
            return Err(e);
        }
        for i in intents {
            let _ = i.release();
        }
        preview.import_id = Some(import_id);
        Ok(preview)
    }

    /// Every record of the registry as an exchange package would carry it, by kind (for
    /// tests and tools comparing two registries).
    #[doc(hidden)]
    pub fn exchange_records(&self) -> Result<BTreeMap<&'static str, Vec<Record>>> {
        dbx::read_all(&self.conn)
    }
}

/// The records changed at or after `since` (by their history), and every record they
/// point at (so the receiver can insert them), transitively.
fn select_since(
    all: &BTreeMap<&'static str, Vec<Record>>,
    entries: &[dbx::LogEntry],
    hist: &HashMap<String, Vec<String>>,
    since: &str,
) -> HashSet<String> {
    let recent: HashSet<&str> = entries
        .iter()
        .filter(|e| e.at.as_str() >= since)
        .map(|e| e.uid.as_str())
        .collect();
    // Any uid (a record's or a child row's) → the record that carries it.
    let mut owner: HashMap<String, String> = HashMap::new();
    let mut refs: HashMap<String, Vec<String>> = HashMap::new();
    fn collect(v: &Value, key: Option<&str>, out: &mut Vec<String>, children: &mut Vec<String>) {
        match v {
            Value::String(s) => {
                if let Some(k) = key {
                    if k.ends_with("_id") || k == "entity_uid" {
                        out.push(s.clone());
                    } else if k == "uid" {
                        children.push(s.clone());
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|x| collect(x, key, out, children)),
            Value::Object(o) => o
                .iter()
                .for_each(|(k, x)| collect(x, Some(k.as_str()), out, children)),
            _ => {}
        }
    }
    for r in all.values().flatten() {
        let mut out = Vec::new();
        let mut children = Vec::new();
        for (k, v) in &r.fields {
            collect(v, Some(k.as_str()), &mut out, &mut children);
        }
        owner.insert(r.uid.clone(), r.uid.clone());
        for c in children {
            owner.insert(c, r.uid.clone());
        }
        refs.insert(r.uid.clone(), out);
    }
    let mut selected: HashSet<String> = all
        .values()
        .flatten()
        .filter(|r| {
            hist.get(&r.uid)
                .is_some_and(|h| h.iter().any(|u| recent.contains(u.as_str())))
        })
        .map(|r| r.uid.clone())
        .collect();
    let mut todo: Vec<String> = selected.iter().cloned().collect();
    while let Some(u) = todo.pop() {
        for target in refs.get(&u).into_iter().flatten() {
            if let Some(o) = owner.get(target) {
                if selected.insert(o.clone()) {
                    todo.push(o.clone());
                }
            }
        }
    }
    selected
}

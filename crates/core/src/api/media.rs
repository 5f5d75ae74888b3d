//! The media library: import into the content-addressed store, duplicates, links, fixity.
//!
//! Each imported file is committed on its own: its original is put in place first,
//! then its record, links and edit-log row in one transaction; if that transaction
//! fails, an original stored for it is removed again, so a failure leaves neither a
//! half record nor an orphan file, and earlier files stay imported. The same content
//! (same SHA-256) is stored once: importing it again links the existing record.

use super::{log_create, log_diff, require_reason, Registry};
use crate::db::{self, log, media as dbm};
use crate::error::{Error, FieldError, Result};
use crate::media::store::Derived;
use crate::media::{self, store, Accepted, Intake, Store};
use crate::model::*;
use crate::validate::{clean, date};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

const KIND: &str = "资料";

/// The registry setting that remembers the last fixity check.
const FIXITY_KEY: &str = "media_fixity_last";

/// A scheduled fixity check runs when the last is this many days old.
const FIXITY_EVERY_DAYS: i64 = 7;

/// The role a file gets when an import's link names none: by its kind.
fn default_role(kind: &str) -> &'static str {
    match kind {
        "视频" => "视频",
        "音频" => "录音",
        "文档" => "扫描件",
        _ => "照片",
    }
}

fn derived_exists(store: &Store, kind: Derived, sha256: &str) -> bool {
    store.derived_path(kind, sha256).is_ok_and(|p| p.is_file())
}

/// Sets the fields a batch edit gives; an empty text clears the field.
fn apply_batch(d: &mut MediaDescription, set: &MediaBatchFields) {
    let put = |to: &mut Option<String>, v: &Option<String>| {
        if let Some(v) = v {
            *to = Some(v.clone());
        }
    };
    put(&mut d.title, &set.title);
    put(&mut d.caption, &set.caption);
    put(&mut d.caption_time, &set.caption_time);
    put(&mut d.caption_place, &set.caption_place);
    put(&mut d.caption_people, &set.caption_people);
    put(&mut d.caption_event, &set.caption_event);
    put(&mut d.creator, &set.creator);
    put(&mut d.creator_role, &set.creator_role);
    put(&mut d.provider, &set.provider);
    put(&mut d.holder, &set.holder);
    put(&mut d.capture_date, &set.capture_date);
    put(&mut d.capture_place, &set.capture_place);
    put(&mut d.rights, &set.rights);
    put(&mut d.consent, &set.consent);
    put(&mut d.cataloguer, &set.cataloguer);
    put(&mut d.catalogued_at, &set.catalogued_at);
    if let Some(c) = set.confidential {
        d.confidential = c;
    }
}

/// Checks a description's lengths and dates.
fn check_description(d: &MediaDescription) -> Vec<FieldError> {
    let mut errors = Vec::new();
    for (field, label, value, max) in [
        ("title", "标题", &d.title, 200),
        ("caption", "说明", &d.caption, 5000),
        ("captionTime", "说明中的时间", &d.caption_time, 100),
        ("captionPlace", "说明中的地点", &d.caption_place, 200),
        ("captionPeople", "说明中的人物", &d.caption_people, 500),
        ("captionEvent", "说明中的事件", &d.caption_event, 500),
        ("creator", "拍摄（制作）者", &d.creator, 100),
        ("creatorRole", "制作者身份", &d.creator_role, 50),
        ("provider", "提供者", &d.provider, 100),
        ("holder", "原件保存者", &d.holder, 100),
        ("captureDate", "拍摄（制作）时间", &d.capture_date, 50),
        ("capturePlace", "拍摄（制作）地点", &d.capture_place, 200),
        ("rights", "版权说明", &d.rights, 1000),
        ("consent", "知情同意", &d.consent, 1000),
        ("cataloguer", "著录人", &d.cataloguer, 40),
    ] {
        if value.as_deref().is_some_and(|v| v.chars().count() > max) {
            errors.push(FieldError::new(
                field,
                format!("{label}不能超过 {max} 个字"),
            ));
        }
    }
    date("cataloguedAt", "著录日期", &d.catalogued_at, &mut errors);
    errors
}

fn normalize_description(d: MediaDescription) -> MediaDescription {
    MediaDescription {
        id: d.id.trim().to_string(),
        title: clean(d.title),
        caption: clean(d.caption),
        caption_time: clean(d.caption_time),
        caption_place: clean(d.caption_place),
        caption_people: clean(d.caption_people),
        caption_event: clean(d.caption_event),
        creator: clean(d.creator),
        creator_role: clean(d.creator_role),
        provider: clean(d.provider),
        holder: clean(d.holder),
        capture_date: clean(d.capture_date),
        capture_place: clean(d.capture_place),
        rights: clean(d.rights),
        consent: clean(d.consent),
        confidential: d.confidential,
        cataloguer: clean(d.cataloguer),
        catalogued_at: clean(d.catalogued_at),
    }
}

/// The records and store of a fixity check, taken from the registry (see
/// [`Registry::media_fixity_plan`]); checking needs no registry.
#[derive(Debug)]
pub struct FixityPlan {
    store: Store,
    registry: PathBuf,
    records: Vec<dbm::MediaKey>,
}

impl FixityPlan {
    /// Re-hashes every original (streaming) and reports, by original name, the missing
    /// and changed ones, and the files in the store that no record refers to.
    /// Raising `cancel` stops it with an error.
    pub fn check(&self, cancel: &AtomicBool) -> Result<FixityReport> {
        let store = &self.store;
        let mut report = FixityReport::default();
        let mut expected = HashSet::new();
        for k in &self.records {
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                return Err(Error::Conflict("检查已取消".into()));
            }
            report.checked += 1;
            let path = store.path_of(&k.sha256, &k.ext)?;
            let mut entry = FixityEntry {
                media_id: k.uid.clone(),
                original_name: k.original_name.clone(),
                sha256: k.sha256.clone(),
                actual_sha256: None,
                path: path.display().to_string(),
                deleted: k.deleted_at.is_some(),
            };
            if !path.is_file() {
                report.missing.push(entry);
            } else {
                let (actual, _) = store::hash_file(&path)?;
                if actual != k.sha256 {
                    entry.actual_sha256 = Some(actual);
                    report.changed.push(entry);
                }
            }
            expected.insert(path);
        }
        for path in store.originals()? {
            let system = path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| store::SYSTEM_FILES.contains(&n));
            if !expected.contains(&path) && !system {
                let size = std::fs::metadata(&path)
                    .map_err(|e| Error::io(&path, e))?
                    .len();
                report.unreferenced.push(UnreferencedFile {
                    path: path.display().to_string(),
                    size_bytes: size as i64,
                });
            }
        }
        report.ok = report.missing.is_empty()
            && report.changed.is_empty()
            && report.unreferenced.is_empty();
        Ok(report)
    }
}

/// An import under way: the store, the registry it writes to, the record to link to.
#[derive(Debug)]
pub struct ImportSession {
    store: Store,
    registry: PathBuf,
    target: Option<Target>,
}

impl ImportSession {
    /// The store the files go into.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

/// A link target that passed validation, with the record's name.
#[derive(Debug, Clone)]
struct Target {
    entity: String,
    id: String,
    role: String,
    name: String,
}

impl Target {
    fn role_for(&self, kind: &str) -> String {
        if self.role.is_empty() {
            default_role(kind).to_string()
        } else {
            self.role.clone()
        }
    }

    fn describe(&self, role: &str) -> String {
        format!(
            "{}“{}”（{role}）",
            dbm::entity_label(&self.entity),
            self.name
        )
    }
}

impl Registry {
    /// The media store of this registry (an in-memory registry has none).
    fn store(&self) -> Result<Store> {
        if self.dir == Path::new(":memory:") {
            return Err(Error::Conflict(
                "内存中的名录没有资料库文件夹，不能保存资料文件".into(),
            ));
        }
        Ok(Store::new(&self.dir))
    }

    /// Validates a link target: a known kind, a live record, a role (optional on import).
    fn link_target(&self, t: &MediaLinkTarget, role_required: bool) -> Result<Target> {
        let entity = t.entity.trim().to_string();
        let id = t.id.trim().to_string();
        let role = t.role.trim().to_string();
        let mut errors = Vec::new();
        let mut name = String::new();
        if !MEDIA_LINK_ENTITIES.contains(&entity.as_str()) {
            errors.push(FieldError::new(
                "entity",
                format!("资料不能关联到“{entity}”这类记录"),
            ));
        } else {
            let label = dbm::entity_label(&entity);
            match dbm::target(&self.conn, &entity, &id)? {
                Some((n, false)) => name = n,
                Some((_, true)) => errors.push(FieldError::new("id", format!("所选{label}已删除"))),
                None => errors.push(FieldError::new("id", format!("所选{label}不存在"))),
            }
        }
        if role.is_empty() && role_required {
            errors.push(FieldError::new("role", "请填写用途，如 照片、肖像、授权书"));
        } else if role.chars().count() > 20 {
            errors.push(FieldError::new("role", "用途不能超过 20 个字"));
        }
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        Ok(Target {
            entity,
            id,
            role,
            name,
        })
    }

    /// A live media record, or the error the shells show.
    fn live_media(&self, id: &str) -> Result<dbm::MediaKey> {
        let k = dbm::key(&self.conn, id)?;
        if k.deleted_at.is_some() {
            return Err(Error::Deleted {
                kind: KIND,
                id: id.to_string(),
            });
        }
        Ok(k)
    }

    // ----------------------------------------------------------------- import

    /// Starts an import: checks the record to link to and clears leftovers of
    /// interrupted imports. The session is then used by [`media::import::run`] (or
    /// [`Registry::media_import`]) and every file is committed with [`Registry::media_commit`].
    pub fn media_import_session(&self, link: Option<MediaLinkTarget>) -> Result<ImportSession> {
        let target = link.map(|t| self.link_target(&t, false)).transpose()?;
        let store = self.store()?;
        self.media_recover()?;
        Ok(ImportSession {
            store,
            registry: self.dir.clone(),
            target,
        })
    }

    /// Imports files (and every file inside given folders) into the media library, each
    /// in its own transaction, optionally linking each to one record, preparing several
    /// files at once. Returns every
    /// file's outcome; only a bad link target or a store that cannot be used fails the
    /// whole call. Cancelling stops between buffers of a file being read; the files
    /// not done are reported as cancelled.
    pub fn media_import(
        &mut self,
        files: &[PathBuf],
        link: Option<MediaLinkTarget>,
        events: &(dyn Fn(MediaImportEvent) + Sync),
        cancel: &AtomicBool,
    ) -> Result<MediaImportReport> {
        let session = self.media_import_session(link)?;
        let files = media::import::expand(files);
        let threads = media::import::threads_for(files.len());
        let me = std::sync::Mutex::new(self);
        Ok(media::import::run(
            session.store(),
            &files,
            threads,
            cancel,
            events,
            &|p| match me.lock() {
                Ok(mut reg) => reg.media_commit(&session, p),
                Err(_) => media::import::uncommitted(&p),
            },
        ))
    }

    /// Imports one file's content from any reader (an archive member, a download)
    /// under the file name `name`, exactly as [`Registry::media_import`] imports a file.
    pub fn media_import_reader(
        &mut self,
        name: &str,
        reader: &mut dyn Read,
        link: Option<MediaLinkTarget>,
        cancel: &AtomicBool,
    ) -> Result<MediaImportOutcome> {
        let session = self.media_import_session(link)?;
        let prepared =
            media::import::prepare_reader(session.store(), name, name, reader, cancel, &mut |_| {});
        Ok(match prepared.intake {
            Intake::Accepted(_) => self.media_commit(&session, prepared),
            _ => media::import::uncommitted(&prepared),
        })
    }

    /// Commits one prepared file of an import: a new record, or the existing record of
    /// the same content; refused when the registry open now is not the session's.
    pub fn media_commit(
        &mut self,
        session: &ImportSession,
        prepared: media::import::Prepared,
    ) -> MediaImportOutcome {
        let mut out = media::import::uncommitted(&prepared);
        let media::import::Prepared {
            name,
            intake,
            technical,
            derived,
            intent,
            ..
        } = prepared;
        let Intake::Accepted(accepted) = intake else {
            return out;
        };
        if self.dir != session.registry {
            // The intent (unreleased) stays for that registry's recovery.
            out.message = Some(format!(
                "“{name}”未导入：导入途中打开了另一份名录，请回到原名录后重新导入。"
            ));
            return out;
        }
        out.kind = Some(accepted.format.kind().to_string());
        match self.record(
            &session.store,
            *accepted,
            &name,
            session.target.as_ref(),
            &technical,
        ) {
            Ok((status, id, message)) => {
                out.status = status;
                out.media_id = Some(id);
                out.message = message;
                // The record is committed: its files are safe, the marker can go. If
                // removing it fails, the next recovery finds the record and only removes it.
                if let Some(i) = intent {
                    let _ = i.release();
                }
            }
            Err(e) => {
                for d in derived {
                    let _ = std::fs::remove_file(d);
                }
                if let Some(i) = intent {
                    self.abandon(&session.store, i);
                }
                out.message = Some(format!("“{name}”未能登记到资料库：{e}"));
            }
        }
        out
    }

    /// A file whose record could not be written: its original and derived files go
    /// unless a record names the hash, then the marker. When that cannot be done now,
    /// the marker stays for the next recovery.
    fn abandon(&self, store: &Store, intent: store::Intent) {
        let settled = (|| {
            if dbm::by_sha256(&self.conn, intent.sha256())?.is_none() {
                store.remove(intent.sha256(), intent.ext())?;
                store.remove_derived(intent.sha256())?;
            }
            Ok::<_, Error>(())
        })();
        if settled.is_ok() {
            let _ = intent.release();
        }
    }

    /// Clears what interrupted imports left in the media store (see [`Store::recover`]):
    /// temporary files, and originals and derived files of hashes no record names whose
    /// intent markers no live import holds. Run by [`Registry::open`] and at the start of
    /// every import; a registry in memory has nothing to clear.
    pub fn media_recover(&self) -> Result<store::Recovered> {
        if self.dir == Path::new(":memory:") {
            return Ok(store::Recovered::default());
        }
        let conn = &self.conn;
        Store::new(&self.dir).recover(&mut |sha| Ok(dbm::by_sha256(conn, sha)?.is_some()))
    }

    /// Commits an accepted file: a new record, or the existing record of the same content.
    fn record(
        &mut self,
        store: &Store,
        a: Accepted,
        name: &str,
        target: Option<&Target>,
        technical: &MediaTechnical,
    ) -> Result<(MediaImportStatus, String, Option<String>)> {
        let sha256 = a.staged.sha256().to_string();
        if let Some(existing) = dbm::by_sha256(&self.conn, &sha256)? {
            // Same content: one original. Put it back if it had gone missing.
            if store.path_of(&existing.sha256, &existing.ext)?.exists() {
                drop(a.staged);
            } else {
                a.staged.commit(&existing.ext)?;
            }
            let (linked, restored) = self.attach_existing(&existing, target)?;
            let mut message = format!(
                "“{name}”与资料库中已有的“{}”内容完全相同（SHA-256 一致），未重复保存",
                existing.original_name
            );
            if restored {
                message.push_str("；该资料原在回收站中，已恢复");
            }
            if let Some(l) = linked {
                message.push_str(&format!("；已关联到{l}"));
            }
            message.push('。');
            return Ok((MediaImportStatus::Duplicate, existing.uid, Some(message)));
        }
        let stored = a.staged.commit(&a.ext)?;
        let uid = db::new_uid();
        let new = dbm::NewMedia {
            sha256: &sha256,
            ext: &a.ext,
            kind: a.format.kind(),
            original_name: name,
            size_bytes: stored.size as i64,
            mime: a.format.mime(),
            technical,
        };
        if let Err(e) = self.insert_media(&uid, &new, target) {
            // No orphan: remove the original stored for this record, unless another
            // import recorded the same content meanwhile.
            if stored.newly_stored && dbm::by_sha256(&self.conn, &sha256)?.is_none() {
                store.remove(&sha256, &a.ext)?;
                store.remove_derived(&sha256)?;
            }
            return Err(e);
        }
        let message =
            target.map(|t| format!("已关联到{}。", t.describe(&t.role_for(a.format.kind()))));
        Ok((MediaImportStatus::Imported, uid, message))
    }

    fn insert_media(
        &mut self,
        uid: &str,
        new: &dbm::NewMedia<'_>,
        target: Option<&Target>,
    ) -> Result<()> {
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let rowid = dbm::insert(&tx, uid, new, &now)?;
        if let Some(t) = target {
            dbm::add_link(&tx, rowid, &t.entity, &t.id, &t.role_for(new.kind), &now)?;
        }
        log_create(&tx, &now, &actor, "media", uid, &dbm::snapshot(&tx, uid)?)?;
        tx.commit()?;
        Ok(())
    }

    /// Links (and if need be restores) an existing record met again on import; returns
    /// the link made, if new, and whether the record came back from the recycle bin.
    fn attach_existing(
        &mut self,
        existing: &dbm::MediaKey,
        target: Option<&Target>,
    ) -> Result<(Option<String>, bool)> {
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let before = dbm::snapshot(&tx, &existing.uid)?;
        let restored = existing.deleted_at.is_some();
        if restored {
            dbm::set_deleted(&tx, &existing.uid, None, &now)?;
            log::append(
                &tx,
                &now,
                &actor,
                log::Change {
                    entity: "media",
                    entity_id: &existing.uid,
                    action: "restore",
                    reason: Some("再次导入相同文件".into()),
                    ..Default::default()
                },
            )?;
        }
        let mut linked = None;
        if let Some(t) = target {
            let role = t.role_for(&existing.kind);
            if dbm::add_link(&tx, existing.rowid, &t.entity, &t.id, &role, &now)?.is_some() {
                linked = Some(t.describe(&role));
            }
        }
        let after = dbm::snapshot(&tx, &existing.uid)?;
        log_diff(&tx, &now, &actor, "media", &existing.uid, &before, &after)?;
        tx.commit()?;
        Ok((linked, restored))
    }

    // ---------------------------------------------------------------- records

    /// One page of the media library.
    pub fn media_list(&self, query: &MediaQuery) -> Result<MediaPage> {
        for (field, label, value) in [
            ("dateFrom", "起始日期", &query.date_from),
            ("dateTo", "截止日期", &query.date_to),
        ] {
            let mut errors = Vec::new();
            date(field, label, &clean(value.clone()), &mut errors);
            if !errors.is_empty() {
                return Err(Error::Validation(errors));
            }
        }
        let mut page = dbm::list(&self.conn, query)?;
        if let Ok(store) = self.store() {
            for r in &mut page.rows {
                r.has_thumb = derived_exists(&store, Derived::Thumb, &r.sha256);
            }
        }
        Ok(page)
    }

    /// A media file's whole record with its links; a GPS position is also given in
    /// GCJ-02, as Chinese maps place it.
    pub fn media_get(&self, id: &str) -> Result<MediaDetail> {
        let mut d = dbm::detail(&self.conn, id)?;
        if let (Some(lat), Some(lon)) = (d.technical.gps_lat, d.technical.gps_lon) {
            let (glat, glon) = media::geo::wgs84_to_gcj02(lat, lon);
            d.technical.gcj02_lat = Some(glat);
            d.technical.gcj02_lon = Some(glon);
        }
        if let Ok(store) = self.store() {
            d.has_thumb = derived_exists(&store, Derived::Thumb, &d.sha256);
            d.has_preview = derived_exists(&store, Derived::Preview, &d.sha256);
        }
        Ok(d)
    }

    /// Applies the same description fields to several media files and links them all
    /// to one record: checked as a whole first, then saved in one transaction, each
    /// changed field of each file logged as a single edit would be.
    pub fn media_batch_edit(&mut self, edit: MediaBatchEdit) -> Result<MediaBatchResult> {
        if edit.ids.is_empty() {
            return Err(Error::field("ids", "请先选择资料"));
        }
        let target = edit
            .link
            .as_ref()
            .map(|t| self.link_target(t, false))
            .transpose()?;
        let mut planned = Vec::new();
        for id in &edit.ids {
            let k = self.live_media(id)?;
            let mut d = dbm::description(&self.conn, &k.uid)?;
            apply_batch(&mut d, &edit.set);
            let d = normalize_description(d);
            let errors = check_description(&d);
            if !errors.is_empty() {
                return Err(Error::Validation(errors));
            }
            planned.push((k, d));
        }
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let mut result = MediaBatchResult::default();
        for (k, d) in planned {
            let before = dbm::snapshot(&tx, &k.uid)?;
            let mut touched = false;
            if dbm::description(&tx, &k.uid)? != d {
                dbm::update_description(&tx, &d, &now)?;
                result.changed += 1;
                touched = true;
            }
            if let Some(t) = &target {
                let role = t.role_for(&k.kind);
                if dbm::add_link(&tx, k.rowid, &t.entity, &t.id, &role, &now)?.is_some() {
                    result.linked += 1;
                    touched = true;
                }
            }
            if touched {
                let after = dbm::snapshot(&tx, &k.uid)?;
                log_diff(&tx, &now, &actor, "media", &k.uid, &before, &after)?;
            }
        }
        tx.commit()?;
        Ok(result)
    }

    /// Renders the thumbnails (and previews) that are missing — e.g. after the
    /// `media/derived` folder was deleted or restored from an older backup; returns
    /// how many files were written.
    pub fn media_rebuild_derived(&self, cancel: &AtomicBool) -> Result<i64> {
        let store = self.store()?;
        let mut written = 0;
        for k in dbm::all(&self.conn)? {
            if cancel.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            let Some(format) = media::Format::from_ext(&k.ext) else {
                continue;
            };
            let path = store.path_of(&k.sha256, &k.ext)?;
            if !path.is_file() {
                continue;
            }
            let orientation = if format.kind() == "照片" {
                media::meta::read(&path, format).orientation
            } else {
                None
            };
            let mut scratch = MediaTechnical::default();
            written +=
                media::import::derive(&store, &path, format, &k.sha256, orientation, &mut scratch)
                    .len() as i64;
        }
        Ok(written)
    }

    /// Edits the descriptive fields of a media file; each changed field is logged.
    pub fn media_describe(&mut self, input: MediaDescription) -> Result<MediaDetail> {
        let d = normalize_description(input);
        self.live_media(&d.id)?;
        let errors = check_description(&d);
        if !errors.is_empty() {
            return Err(Error::Validation(errors));
        }
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let before = dbm::snapshot(&tx, &d.id)?;
        if dbm::description(&tx, &d.id)? != d {
            dbm::update_description(&tx, &d, &now)?;
            let after = dbm::snapshot(&tx, &d.id)?;
            log_diff(&tx, &now, &actor, "media", &d.id, &before, &after)?;
        }
        tx.commit()?;
        self.media_get(&d.id)
    }

    /// Links a media file to a record, at the end of that record's media of the role.
    pub fn media_link(&mut self, media_id: &str, target: MediaLinkTarget) -> Result<MediaDetail> {
        let k = self.live_media(media_id)?;
        let t = self.link_target(&target, true)?;
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let before = dbm::snapshot(&tx, &k.uid)?;
        if dbm::add_link(&tx, k.rowid, &t.entity, &t.id, &t.role, &now)?.is_some() {
            let after = dbm::snapshot(&tx, &k.uid)?;
            log_diff(&tx, &now, &actor, "media", &k.uid, &before, &after)?;
        }
        tx.commit()?;
        self.media_get(&k.uid)
    }

    /// Removes one link (the media file stays in the library).
    pub fn media_unlink(&mut self, link_id: &str) -> Result<MediaDetail> {
        let uid = dbm::link_media(&self.conn, link_id)?;
        let (now, actor) = (self.now(), self.actor()?);
        let tx = self.conn.transaction()?;
        let before = dbm::snapshot(&tx, &uid)?;
        dbm::remove_link(&tx, link_id)?;
        let after = dbm::snapshot(&tx, &uid)?;
        log_diff(&tx, &now, &actor, "media", &uid, &before, &after)?;
        tx.commit()?;
        self.media_get(&uid)
    }

    /// Puts a record's media of one role in the given order (every live one, once).
    /// The change is logged on the record, as the field `mediaOrder.<role>`.
    pub fn media_reorder(
        &mut self,
        entity: &str,
        id: &str,
        role: &str,
        media_ids: &[String],
    ) -> Result<()> {
        let t = self.link_target(
            &MediaLinkTarget {
                entity: entity.into(),
                id: id.into(),
                role: role.into(),
            },
            true,
        )?;
        let links = dbm::ordered(&self.conn, &t.entity, &t.id, &t.role)?;
        let live: Vec<&(i64, String, bool)> = links.iter().filter(|l| l.2).collect();
        let given: HashSet<&str> = media_ids.iter().map(String::as_str).collect();
        let known: HashSet<&str> = live.iter().map(|l| l.1.as_str()).collect();
        if given.len() != media_ids.len() || given != known {
            return Err(Error::field(
                "mediaIds",
                "排序中的资料与该记录现有的资料不一致，请刷新后重试",
            ));
        }
        let link_of: HashMap<&str, i64> = live.iter().map(|l| (l.1.as_str(), l.0)).collect();
        let mut new_order: Vec<i64> = media_ids
            .iter()
            .filter_map(|m| link_of.get(m.as_str()).copied())
            .collect();
        new_order.extend(links.iter().filter(|l| !l.2).map(|l| l.0));
        let old_order: Vec<i64> = links.iter().map(|l| l.0).collect();
        if new_order == old_order {
            return Ok(());
        }
        let names = |order: &[i64]| -> Result<Option<String>> {
            let by_link: HashMap<i64, &str> = links.iter().map(|l| (l.0, l.1.as_str())).collect();
            let mut out = Vec::new();
            for link in order {
                if let Some(m) = by_link.get(link) {
                    out.push(dbm::key(&self.conn, m)?.original_name);
                }
            }
            Ok((!out.is_empty()).then(|| out.join("、")))
        };
        let (old_text, new_text) = (names(&old_order)?, names(&new_order)?);
        // The machine form is the live media in order, as this function takes them back.
        let by_link: HashMap<i64, &str> = links
            .iter()
            .filter(|l| l.2)
            .map(|l| (l.0, l.1.as_str()))
            .collect();
        let ids = |order: &[i64]| -> Vec<&str> {
            order
                .iter()
                .filter_map(|l| by_link.get(l).copied())
                .collect()
        };
        let (now, actor) = (self.now(), self.actor()?);
        let field = format!("mediaOrder.{}", t.role);
        let tx = self.conn.transaction()?;
        for (i, link) in new_order.iter().enumerate() {
            dbm::set_ord(&tx, *link, i as i64 + 1)?;
        }
        log_diff(
            &tx,
            &now,
            &actor,
            &t.entity,
            &t.id,
            &snapshot(&field, old_text, &ids(&old_order)),
            &snapshot(&field, new_text, &ids(&new_order)),
        )?;
        tx.commit()?;
        Ok(())
    }

    /// Moves a media file to the recycle bin with a reason; its original stays on disk.
    pub fn media_delete(&mut self, id: &str, reason: &str) -> Result<()> {
        let reason = require_reason(reason)?;
        self.live_media(id)?;
        self.set_in_bin(
            "media",
            id,
            Some(reason),
            |c, d, now| dbm::set_deleted(c, id, d, now),
            None,
        )
    }

    /// Restores a media file from the recycle bin.
    pub fn media_restore(&mut self, id: &str) -> Result<MediaDetail> {
        if dbm::key(&self.conn, id)?.deleted_at.is_some() {
            self.set_in_bin(
                "media",
                id,
                None,
                |c, d, now| dbm::set_deleted(c, id, d, now),
                None,
            )?;
        }
        self.media_get(id)
    }

    /// The stored original of a live media record, by its SHA-256 (64 lowercase hex
    /// digits); anything else is refused, so no other file can be reached this way.
    pub fn media_path(&self, sha256: &str) -> Result<PathBuf> {
        if !store::is_sha256(sha256) {
            return Err(Error::field(
                "sha256",
                format!("“{sha256}”不是有效的 SHA-256（应为 64 位小写十六进制）"),
            ));
        }
        let k = dbm::by_sha256(&self.conn, sha256)?.ok_or_else(|| Error::NotFound {
            kind: KIND,
            id: sha256.to_string(),
        })?;
        if k.deleted_at.is_some() {
            return Err(Error::Deleted {
                kind: KIND,
                id: k.uid,
            });
        }
        let path = self.store()?.path_of(&k.sha256, &k.ext)?;
        if !path.is_file() {
            return Err(Error::io(path, std::io::ErrorKind::NotFound.into()));
        }
        Ok(path)
    }

    /// The thumbnail (`preview` false) or viewer preview (`preview` true) of a live
    /// media record, by the original's SHA-256; only files of the store are reachable.
    pub fn media_derived_path(&self, sha256: &str, preview: bool) -> Result<PathBuf> {
        let original = self.media_path(sha256)?;
        let kind = if preview {
            Derived::Preview
        } else {
            Derived::Thumb
        };
        let path = self.store()?.derived_path(kind, sha256)?;
        if !path.is_file() {
            return Err(Error::io(original, std::io::ErrorKind::NotFound.into()));
        }
        Ok(path)
    }

    // ----------------------------------------------------------------- fixity

    /// Re-hashes every original (streaming) and reports, by original name, the missing
    /// and changed ones, and the files in the store that no record refers to; the
    /// result is remembered for [`Registry::media_fixity_status`].
    pub fn media_verify(&self) -> Result<FixityReport> {
        let plan = self.media_fixity_plan()?;
        let report = plan.check(&AtomicBool::new(false))?;
        self.media_fixity_record(&plan, &report)?;
        Ok(report)
    }

    /// What a fixity check must look at, taken from the registry so that the slow
    /// part — [`FixityPlan::check`], re-hashing every original — can run without it.
    pub fn media_fixity_plan(&self) -> Result<FixityPlan> {
        Ok(FixityPlan {
            store: self.store()?,
            registry: self.dir.clone(),
            records: dbm::all(&self.conn)?,
        })
    }

    /// Remembers the outcome of a fixity check (when, whether all was well, a summary);
    /// refused when the plan was taken from another registry than the one open now.
    pub fn media_fixity_record(&self, plan: &FixityPlan, report: &FixityReport) -> Result<()> {
        if plan.registry != self.dir {
            return Err(Error::Conflict(
                "检查期间打开了另一份名录，结果未记录".into(),
            ));
        }
        let summary = if report.ok {
            format!("{} 个原件全部完好", report.checked)
        } else {
            format!(
                "检查 {} 个原件：缺失 {} 个，内容被改动 {} 个，多余文件 {} 个",
                report.checked,
                report.missing.len(),
                report.changed.len(),
                report.unreferenced.len()
            )
        };
        let value = serde_json::json!({ "at": self.now(), "ok": report.ok, "summary": summary });
        db::meta_set(&self.conn, FIXITY_KEY, &value.to_string())
    }

    /// When the originals were last checked, and whether the weekly check is due.
    pub fn media_fixity_status(&self) -> Result<FixityStatus> {
        let last: Option<serde_json::Value> =
            db::meta_get(&self.conn, FIXITY_KEY)?.and_then(|v| serde_json::from_str(&v).ok());
        let at = last
            .as_ref()
            .and_then(|v| v["at"].as_str())
            .map(str::to_string);
        let due = match at
            .as_deref()
            .and_then(|a| chrono::DateTime::parse_from_rfc3339(a).ok())
        {
            Some(t) => {
                let now = chrono::DateTime::parse_from_rfc3339(&self.now())
                    .map_err(|e| Error::Conflict(e.to_string()))?;
                now.signed_duration_since(t) >= chrono::Duration::days(FIXITY_EVERY_DAYS)
            }
            None => true,
        };
        Ok(FixityStatus {
            last_run_at: at,
            last_ok: last.as_ref().and_then(|v| v["ok"].as_bool()),
            last_summary: last
                .as_ref()
                .and_then(|v| v["summary"].as_str())
                .map(str::to_string),
            due,
        })
    }

    /// Looks through `folder` (and its subfolders) for copies of missing originals,
    /// matched by SHA-256, and copies them back into the store (atomically, as import does).
    pub fn media_relink(&mut self, folder: &Path) -> Result<RelinkReport> {
        if !folder.is_dir() {
            return Err(Error::field(
                "folder",
                format!("“{}”不是文件夹或无法访问", folder.display()),
            ));
        }
        let store = self.store()?;
        store.clean_tmp()?;
        let mut missing: Vec<(dbm::MediaKey, FixityEntry)> = Vec::new();
        for k in dbm::all(&self.conn)? {
            let path = store.path_of(&k.sha256, &k.ext)?;
            if !path.is_file() {
                let entry = FixityEntry {
                    media_id: k.uid.clone(),
                    original_name: k.original_name.clone(),
                    sha256: k.sha256.clone(),
                    actual_sha256: None,
                    path: path.display().to_string(),
                    deleted: k.deleted_at.is_some(),
                };
                missing.push((k, entry));
            }
        }
        let mut report = RelinkReport::default();
        let mut files = Vec::new();
        store::walk(folder, &mut files)?;
        let never = AtomicBool::new(false);
        for file in files {
            report.scanned += 1;
            let Ok(meta) = std::fs::metadata(&file) else {
                continue;
            };
            // Only a file of the right size can hold a missing original: hash only those.
            if !missing
                .iter()
                .any(|(k, _)| k.size_bytes as u64 == meta.len())
            {
                continue;
            }
            let Ok((sha, _)) = store::hash_file(&file) else {
                continue;
            };
            let Some(pos) = missing.iter().position(|(k, _)| k.sha256 == sha) else {
                continue;
            };
            let mut source = std::fs::File::open(&file).map_err(|e| Error::io(&file, e))?;
            let staged = match store.stage(&mut source, &never, &mut |_, _| {}) {
                Ok(s) => s,
                Err(media::StageError::Store(e)) => return Err(e),
                Err(media::StageError::Read(e)) => return Err(Error::io(&file, e)),
                Err(media::StageError::Cancelled) => continue,
            };
            if staged.sha256() != sha {
                continue; // the file changed while being copied: leave it
            }
            let (k, _) = missing.remove(pos);
            staged.commit(&k.ext)?;
            report.restored.push(RelinkEntry {
                media_id: k.uid,
                original_name: k.original_name,
                sha256: k.sha256,
                source: file.display().to_string(),
            });
        }
        report.still_missing = missing.into_iter().map(|(_, e)| e).collect();
        Ok(report)
    }
}

/// A one-field snapshot of a media order: the names people read, the ids a revert takes.
fn snapshot(field: &str, text: Option<String>, ids: &[&str]) -> BTreeMap<String, Option<String>> {
    let mut m = BTreeMap::new();
    log::put_composite(&mut m, field, text, ids);
    m
}

//! Backups of a registry: where they live, what each one records, and which are kept.
//!
//! A backup is a folder `backups/<id>/` in the registry folder holding
//! - `registry.sqlite`: a consistent snapshot of the database made with `VACUUM INTO`
//!   (see [`crate::db::backup`]), checked with `PRAGMA integrity_check` before it counts;
//! - `media-manifest.json`: the originals the snapshot's media records name (sha256,
//!   extension, size). Originals are content-addressed and never modified, so a backup
//!   names them rather than copying gigabytes of video; a restore reports any that have
//!   since left the store;
//! - `backup.json`: the [`Record`] below, written last.
//!
//! The folder is built under a hidden `.partial-…` name and renamed into place when
//! complete, so a crash or a full disk never leaves something that looks like a backup.
//! This module is pure file work and policy; the registry's methods are in `api::backup`.

use crate::error::{Error, Result};
use crate::model::{BackupInfo, BackupPolicy, BackupReason};
use chrono::{DateTime, Datelike, FixedOffset, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The backups folder's name inside a registry folder.
pub const FOLDER: &str = "backups";
/// The snapshot's file name inside a backup folder.
pub const DB_NAME: &str = "registry.sqlite";
/// The media manifest's file name inside a backup folder.
pub const MANIFEST_NAME: &str = "media-manifest.json";
/// The record's file name inside a backup folder.
pub const RECORD_NAME: &str = "backup.json";
/// Prefix of folders being built.
pub const PARTIAL_PREFIX: &str = ".partial-";

/// The policy when the registry has none saved: daily, keep 10 recent, 14 days, 12 months.
pub fn default_policy() -> BackupPolicy {
    BackupPolicy {
        interval_hours: 24,
        keep_recent: 10,
        keep_daily: 14,
        keep_monthly: 12,
    }
}

/// Checks a policy a user entered.
pub fn validate_policy(p: &BackupPolicy) -> Result<()> {
    let mut errors = Vec::new();
    if !(0..=24 * 30).contains(&p.interval_hours) {
        errors.push(crate::FieldError::new(
            "intervalHours",
            "自动备份间隔应在 0（不自动备份）到 720 小时之间",
        ));
    }
    if !(1..=1000).contains(&p.keep_recent) {
        errors.push(crate::FieldError::new(
            "keepRecent",
            "至少保留最近 1 个备份，最多 1000 个",
        ));
    }
    if !(0..=3660).contains(&p.keep_daily) {
        errors.push(crate::FieldError::new(
            "keepDaily",
            "按天保留的天数应在 0 到 3660 之间",
        ));
    }
    if !(0..=1200).contains(&p.keep_monthly) {
        errors.push(crate::FieldError::new(
            "keepMonthly",
            "按月保留的月数应在 0 到 1200 之间",
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

/// What `backup.json` holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Record {
    /// The backup's id (its folder name).
    pub id: String,
    /// When it was made (RFC 3339, UTC).
    pub created_at: String,
    /// Why.
    pub reason: BackupReason,
    /// Optional words about it.
    pub note: Option<String>,
    /// Size of `registry.sqlite`.
    pub db_bytes: i64,
    /// SHA-256 of `registry.sqlite`, checked again before a restore.
    pub db_sha256: String,
    /// Schema version of the snapshot.
    pub schema_version: i64,
    /// Live items in the snapshot.
    pub item_count: i64,
    /// Entries in the media manifest.
    pub media_count: i64,
    /// The program version that made it.
    pub app_version: String,
}

impl Record {
    /// What the 设置 page shows of this backup; `problem` (None = ok) is what listing found.
    pub fn info(&self, problem: Option<String>) -> BackupInfo {
        BackupInfo {
            id: self.id.clone(),
            created_at: self.created_at.clone(),
            reason: self.reason,
            note: self.note.clone(),
            db_bytes: self.db_bytes,
            schema_version: self.schema_version,
            item_count: self.item_count,
            media_count: self.media_count,
            ok: problem.is_none(),
            problem,
        }
    }
}

/// One original named by a snapshot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ManifestEntry {
    /// Content hash (the store's file name).
    pub sha256: String,
    /// Stored extension.
    pub ext: String,
    /// Size in bytes.
    pub size: i64,
}

fn reason_slug(r: BackupReason) -> &'static str {
    match r {
        BackupReason::Scheduled => "scheduled",
        BackupReason::Manual => "manual",
        BackupReason::BeforeMigration => "before-migration",
        BackupReason::BeforeImport => "before-import",
        BackupReason::BeforeMerge => "before-merge",
        BackupReason::BeforeRestore => "before-restore",
    }
}

/// The Chinese word for a reason, as the 设置 page and the CLI show it.
pub fn reason_label(r: BackupReason) -> &'static str {
    match r {
        BackupReason::Scheduled => "定时自动",
        BackupReason::Manual => "手动",
        BackupReason::BeforeMigration => "升级数据版本前",
        BackupReason::BeforeImport => "导入前",
        BackupReason::BeforeMerge => "合并交换包前",
        BackupReason::BeforeRestore => "恢复备份前",
    }
}

/// A new backup id: `YYYYMMDD-HHMMSS-mmm-<reason>`, with `-2`, `-3` … when a backup of that
/// name already exists in `folder` (two in the same millisecond under a test clock).
pub fn new_id(folder: &Path, at: DateTime<Utc>, reason: BackupReason) -> String {
    let base = format!("{}-{}", at.format("%Y%m%d-%H%M%S-%3f"), reason_slug(reason));
    let mut id = base.clone();
    let mut n = 1;
    while folder.join(&id).exists() {
        n += 1;
        id = format!("{base}-{n}");
    }
    id
}

/// Whether `id` has the shape of a backup id: digits, dashes and lower-case letters only,
/// so that it can never name a path outside the backups folder.
pub fn is_valid_id(id: &str) -> bool {
    id.len() >= 19
        && id.len() <= 64
        && id.as_bytes()[..8].iter().all(u8::is_ascii_digit)
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase() || b == b'-')
}

/// The backups folder of a registry folder.
pub fn folder(registry_dir: &Path) -> PathBuf {
    registry_dir.join(FOLDER)
}

/// Reads every backup in `folder`, newest first. A folder whose record cannot be read, or
/// whose snapshot is missing or of another size than recorded, is listed as not ok.
/// Folders still being built (`.partial-…`) and stray files are ignored.
pub fn list(folder: &Path) -> Result<Vec<(BackupInfo, Option<Record>)>> {
    let entries = match std::fs::read_dir(folder) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(folder, e)),
    };
    let mut out = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(folder, e))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !is_valid_id(&name) || !entry.path().is_dir() {
            continue;
        }
        out.push(read_one(&entry.path(), &name));
    }
    out.sort_by(|a, b| {
        b.0.created_at
            .cmp(&a.0.created_at)
            .then_with(|| b.0.id.cmp(&a.0.id))
    });
    Ok(out)
}

fn read_one(dir: &Path, id: &str) -> (BackupInfo, Option<Record>) {
    let record: Option<Record> = std::fs::read(dir.join(RECORD_NAME))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok());
    match record {
        None => (
            BackupInfo {
                id: id.to_string(),
                created_at: String::new(),
                reason: BackupReason::Manual,
                note: None,
                db_bytes: 0,
                schema_version: 0,
                item_count: 0,
                media_count: 0,
                ok: false,
                problem: Some("备份说明文件（backup.json）缺失或已损坏".into()),
            },
            None,
        ),
        Some(r) => {
            let size = std::fs::metadata(dir.join(DB_NAME)).map(|m| m.len() as i64);
            let problem = match size {
                Err(_) => Some("备份的数据库文件缺失".to_string()),
                Ok(s) if s != r.db_bytes => Some(format!(
                    "备份的数据库文件大小不符（应为 {} 字节，现为 {} 字节），可能已损坏",
                    r.db_bytes, s
                )),
                Ok(_) if r.id != id => Some("备份说明与文件夹名不符".to_string()),
                Ok(_) => None,
            };
            // Named by its folder, even when the record says otherwise (then not ok).
            let info = BackupInfo {
                id: id.to_string(),
                ..r.info(problem)
            };
            (info, Some(r))
        }
    }
}

/// The backups the policy lets go, given every backup (any order) and now.
///
/// Kept: every manual backup; the newest ok backup; the `keep_recent` newest; the newest of
/// each of the last `keep_daily` days; the newest of each of the last `keep_monthly`
/// months. Days and months are Beijing time (UTC+8), as the bureau's calendar is.
/// Backups that are not ok are let go only when they fall outside the same rules.
pub fn to_prune(backups: &[BackupInfo], policy: &BackupPolicy, now: DateTime<Utc>) -> Vec<String> {
    let beijing = FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    let mut dated: Vec<(&BackupInfo, DateTime<FixedOffset>)> = backups
        .iter()
        .filter_map(|b| {
            DateTime::parse_from_rfc3339(&b.created_at)
                .ok()
                .map(|t| (b, t.with_timezone(&beijing)))
        })
        .collect();
    dated.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| b.0.id.cmp(&a.0.id)));
    let today = now.with_timezone(&beijing).date_naive();
    let this_month = today.year() * 12 + today.month0() as i32;

    let mut keep: BTreeSet<&str> = BTreeSet::new();
    if let Some((b, _)) = dated.iter().find(|(b, _)| b.ok) {
        keep.insert(&b.id);
    }
    let mut days = BTreeSet::new();
    let mut months = BTreeSet::new();
    for (i, (b, t)) in dated.iter().enumerate() {
        if b.reason == BackupReason::Manual || (i as i64) < policy.keep_recent {
            keep.insert(&b.id);
        }
        let day = t.date_naive();
        let age_days = (today - day).num_days();
        if age_days < policy.keep_daily && days.insert(day) {
            keep.insert(&b.id);
        }
        let month = day.year() * 12 + day.month0() as i32;
        if ((this_month - month) as i64) < policy.keep_monthly && months.insert(month) {
            keep.insert(&b.id);
        }
    }
    // Undated (unreadable) backups are kept: the user may still want to look at them.
    backups
        .iter()
        .filter(|b| !b.created_at.is_empty() && !keep.contains(b.id.as_str()))
        .map(|b| b.id.clone())
        .collect()
}

/// Whether a scheduled backup is due: the schedule is on and the newest ok backup is at
/// least `interval_hours` old (or there is none).
pub fn is_due(backups: &[BackupInfo], policy: &BackupPolicy, now: DateTime<Utc>) -> bool {
    if policy.interval_hours <= 0 {
        return false;
    }
    let newest = backups
        .iter()
        .filter(|b| b.ok)
        .filter_map(|b| DateTime::parse_from_rfc3339(&b.created_at).ok())
        .max();
    match newest {
        None => true,
        Some(t) => (now - t.with_timezone(&Utc)).num_minutes() >= policy.interval_hours * 60,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b(id: &str, at: &str, reason: BackupReason) -> BackupInfo {
        BackupInfo {
            id: id.into(),
            created_at: at.into(),
            reason,
            note: None,
            db_bytes: 1,
            schema_version: 1,
            item_count: 0,
            media_count: 0,
            ok: true,
            problem: None,
        }
    }

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn ids_are_safe_and_unique() {
        let dir = tempfile::tempdir().unwrap();
        let t = at("2026-11-29T08:15:30.123Z");
        let id = new_id(dir.path(), t, BackupReason::BeforeImport);
        assert_eq!(id, "20261129-081530-123-before-import");
        assert!(is_valid_id(&id));
        std::fs::create_dir(dir.path().join(&id)).unwrap();
        assert_eq!(
            new_id(dir.path(), t, BackupReason::BeforeImport),
            "20261129-081530-123-before-import-2"
        );
        for bad in [
            "../x",
            "20261129-081530-123/../../etc",
            "20261129-081530-123-A",
            "x",
            "",
        ] {
            assert!(!is_valid_id(bad), "{bad}");
        }
    }

    #[test]
    fn retention_keeps_recent_daily_monthly_and_manual() {
        let policy = BackupPolicy {
            interval_hours: 24,
            keep_recent: 2,
            keep_daily: 3,
            keep_monthly: 2,
        };
        let all = vec![
            b("a", "2026-11-29T01:00:00Z", BackupReason::Scheduled), // recent
            b("b", "2026-11-29T00:30:00Z", BackupReason::BeforeImport), // recent
            b("c", "2026-11-28T23:00:00Z", BackupReason::Scheduled), // 29th in Beijing, 3rd that day
            b("d", "2026-11-28T10:00:00Z", BackupReason::Scheduled), // newest of the 28th
            b("e", "2026-11-28T09:00:00Z", BackupReason::Scheduled), // older on the 28th
            b("f", "2026-11-26T10:00:00Z", BackupReason::Scheduled), // 3 days ago: outside daily
            b("g", "2026-10-15T10:00:00Z", BackupReason::Scheduled), // newest of October
            b("h", "2026-10-01T10:00:00Z", BackupReason::Scheduled), // older in October
            b("i", "2026-09-30T10:00:00Z", BackupReason::Scheduled), // September: outside monthly
            b("m", "2025-01-01T10:00:00Z", BackupReason::Manual),    // manual: always kept
        ];
        let mut pruned = to_prune(&all, &policy, at("2026-11-29T02:00:00Z"));
        pruned.sort();
        assert_eq!(pruned, vec!["c", "e", "f", "h", "i"]);
    }

    #[test]
    fn the_newest_good_backup_is_never_pruned() {
        let policy = BackupPolicy {
            interval_hours: 24,
            keep_recent: 1,
            keep_daily: 0,
            keep_monthly: 0,
        };
        let mut broken = b("new", "2026-11-29T01:00:00Z", BackupReason::Scheduled);
        broken.ok = false;
        let all = vec![
            broken,
            b("good", "2026-01-01T01:00:00Z", BackupReason::Scheduled),
        ];
        assert!(to_prune(&all, &policy, at("2026-11-29T02:00:00Z")).is_empty());
    }

    #[test]
    fn due_follows_the_interval_and_ignores_broken_backups() {
        let p = default_policy();
        let now = at("2026-11-29T08:00:00Z");
        assert!(is_due(&[], &p, now));
        let recent = b("x", "2026-11-28T09:00:00Z", BackupReason::Manual);
        assert!(!is_due(std::slice::from_ref(&recent), &p, now));
        let old = b("y", "2026-11-28T08:00:00Z", BackupReason::Manual);
        assert!(is_due(&[old], &p, now));
        let mut broken = recent;
        broken.ok = false;
        assert!(is_due(&[broken], &p, now));
        let off = BackupPolicy {
            interval_hours: 0,
            ..p
        };
        assert!(!is_due(&[], &off, now));
    }
}

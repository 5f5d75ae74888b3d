//! Backups of the open registry: make, list, prune, restore (see [`crate::backup`]).

use super::{Clock, Registry};
use crate::backup::{self, ManifestEntry, Record};
use crate::db;
use crate::error::{Error, Result};
use crate::media::store::{self, Store};
use crate::model::{BackupInfo, BackupPolicy, BackupReason, BackupStatus, RestoreResult};
use rusqlite::Connection;
use std::path::Path;

const POLICY_KEY: &str = "backup_policy";

/// Makes one backup of the database behind `conn` into `registry_dir/backups/<id>/`.
fn make(
    registry_dir: &Path,
    conn: &Connection,
    at: chrono::DateTime<chrono::Utc>,
    reason: BackupReason,
    note: Option<&str>,
) -> Result<BackupInfo> {
    let folder = backup::folder(registry_dir);
    std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
    clean_partials(&folder);
    let id = backup::new_id(&folder, at, reason);
    let partial = folder.join(format!(
        "{}{}",
        backup::PARTIAL_PREFIX,
        uuid::Uuid::now_v7().simple()
    ));
    // Held while the folder is built, so that another process's clean-up leaves it be.
    let lock_path = lock_of(&partial);
    let lock = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&lock_path)
        .and_then(|f| f.lock().map(|()| f))
        .map_err(|e| Error::io(&lock_path, e))?;
    let result = (|| {
        std::fs::create_dir(&partial).map_err(|e| Error::io(&partial, e))?;
        let db_path = partial.join(backup::DB_NAME);
        db::backup::snapshot_into(conn, &db_path)?;
        let written = std::fs::metadata(&db_path)
            .map_err(|e| Error::io(&db_path, e))?
            .len();
        crate::fault::charge(&db_path, written).map_err(|e| Error::io(&db_path, e))?;
        let facts = db::backup::inspect_snapshot(&db_path)?;
        if !facts.intact {
            return Err(Error::Conflict(format!(
                "备份未完成：数据库快照没有通过完整性检查（{}）。原数据未受影响。",
                facts.problems.join("；")
            )));
        }
        let (sha, size) = store::hash_file(&db_path)?;
        let manifest: Vec<ManifestEntry> = db::media::all(conn)?
            .into_iter()
            .map(|m| ManifestEntry {
                sha256: m.sha256,
                ext: m.ext,
                size: m.size_bytes,
            })
            .collect();
        let record = Record {
            id: id.clone(),
            created_at: at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
            reason,
            note: note
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(String::from),
            db_bytes: size as i64,
            db_sha256: sha,
            schema_version: facts.schema_version,
            item_count: facts.item_count,
            media_count: manifest.len() as i64,
            app_version: env!("CARGO_PKG_VERSION").into(),
        };
        write_synced(&partial.join(backup::MANIFEST_NAME), &to_json(&manifest)?)?;
        write_synced(&partial.join(backup::RECORD_NAME), &to_json(&record)?)?;
        store::sync_dir(&partial)?;
        let dest = folder.join(&id);
        std::fs::rename(&partial, &dest).map_err(|e| Error::io(&dest, e))?;
        store::sync_dir(&folder)?;
        Ok(record)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    let _ = std::fs::remove_file(&lock_path);
    drop(lock);
    // Just made and checked: no need to read it back from the folder.
    result.map(|record| record.info(None))
}

/// The lock file held while the partial folder `partial` is being built.
fn lock_of(partial: &Path) -> std::path::PathBuf {
    let mut name = partial.as_os_str().to_os_string();
    name.push(".lock");
    name.into()
}

/// Removes the leftovers of interrupted backups (crash, full disk) in `folder`: every
/// `.partial-…` folder whose builder is gone (its lock file is missing or free), and lock
/// files nobody holds. A backup being built by a live process is left alone. Returns how
/// many partial folders went.
pub(crate) fn clean_partials(folder: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return 0;
    };
    let free = |lock: &Path| {
        std::fs::OpenOptions::new()
            .write(true)
            .open(lock)
            .is_ok_and(|f| f.try_lock().is_ok())
    };
    let mut removed = 0;
    for e in entries.flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        if !name.starts_with(backup::PARTIAL_PREFIX) {
            continue;
        }
        let path = e.path();
        if name.ends_with(".lock") {
            let built = path.with_extension("");
            if !built.exists() && free(&path) {
                let _ = std::fs::remove_file(&path);
            }
            continue;
        }
        let lock = lock_of(&path);
        if lock.exists() && !free(&lock) {
            continue; // being built right now
        }
        if std::fs::remove_dir_all(&path).is_ok() {
            removed += 1;
        }
        let _ = std::fs::remove_file(&lock);
    }
    removed
}

fn to_json<T: serde::Serialize>(v: &T) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(v).map_err(|e| Error::Parse {
        what: "备份说明".into(),
        detail: e.to_string(),
    })
}

fn write_synced(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut f = std::fs::File::create(path).map_err(|e| Error::io(path, e))?;
    crate::fault::write_all(&mut f, path, bytes).map_err(|e| Error::io(path, e))?;
    f.sync_all().map_err(|e| Error::io(path, e))
}

/// Called by [`Registry::open`] when migrations are pending: a backup of the file as it
/// was, before the first migration touches it.
pub(super) fn snapshot_before_migration(
    dir: &Path,
    conn: &Connection,
    from_version: i64,
    clock: &Clock,
) -> Result<()> {
    make(
        dir,
        conn,
        clock(),
        BackupReason::BeforeMigration,
        Some(&format!(
            "数据版本 {from_version} 升级到 {} 之前",
            db::SCHEMA_VERSION
        )),
    )
    .map(|_| ())
}

impl Registry {
    fn require_on_disk(&self) -> Result<()> {
        if self.dir == Path::new(":memory:") {
            return Err(Error::Conflict(
                "内存中的名录没有文件夹，不能备份或恢复".into(),
            ));
        }
        Ok(())
    }

    /// The retention rule and schedule in force.
    pub fn backup_policy(&self) -> Result<BackupPolicy> {
        Ok(db::meta_get(&self.conn, POLICY_KEY)?
            .and_then(|v| serde_json::from_str(&v).ok())
            .unwrap_or_else(backup::default_policy))
    }

    /// Saves the retention rule and schedule, then prunes by it.
    pub fn backup_policy_save(&mut self, policy: BackupPolicy) -> Result<BackupStatus> {
        backup::validate_policy(&policy)?;
        let json = serde_json::to_string(&policy).map_err(|e| Error::Parse {
            what: "备份规则".into(),
            detail: e.to_string(),
        })?;
        db::meta_set(&self.conn, POLICY_KEY, &json)?;
        self.backup_prune()?;
        self.backup_status()
    }

    /// Every backup, the last good one, the rule, and whether a scheduled one is due.
    pub fn backup_status(&self) -> Result<BackupStatus> {
        self.require_on_disk()?;
        let folder = backup::folder(&self.dir);
        let backups: Vec<BackupInfo> = backup::list(&folder)?.into_iter().map(|(i, _)| i).collect();
        let policy = self.backup_policy()?;
        Ok(BackupStatus {
            folder: folder.display().to_string(),
            last_good: backups.iter().find(|b| b.ok).cloned(),
            due: backup::is_due(&backups, &policy, (self.clock)()),
            backups,
            policy,
        })
    }

    /// Makes a backup now, then lets go of the ones the rule no longer keeps.
    pub fn backup_create(&self, reason: BackupReason, note: Option<&str>) -> Result<BackupInfo> {
        self.require_on_disk()?;
        let info = make(&self.dir, &self.conn, (self.clock)(), reason, note)?;
        self.backup_prune()?;
        Ok(info)
    }

    /// The backup taken before an import, an undo or a merge; nothing for a registry in
    /// memory (tests, benchmarks), which has no folder to keep it in.
    pub(crate) fn backup_before(&self, reason: BackupReason, note: &str) -> Result<()> {
        if self.dir == Path::new(":memory:") {
            return Ok(());
        }
        self.backup_create(reason, Some(note)).map(|_| ())
    }

    /// Makes a scheduled backup if one is due (the shells call this on start and hourly).
    pub fn backup_if_due(&self) -> Result<Option<BackupInfo>> {
        if self.dir == Path::new(":memory:") || !self.backup_status()?.due {
            return Ok(None);
        }
        self.backup_create(BackupReason::Scheduled, None).map(Some)
    }

    fn backup_prune(&self) -> Result<Vec<String>> {
        let folder = backup::folder(&self.dir);
        let backups: Vec<BackupInfo> = backup::list(&folder)?.into_iter().map(|(i, _)| i).collect();
        let gone = backup::to_prune(&backups, &self.backup_policy()?, (self.clock)());
        for id in &gone {
            let path = folder.join(id);
            std::fs::remove_dir_all(&path).map_err(|e| Error::io(&path, e))?;
        }
        Ok(gone)
    }

    /// Puts the registry back to backup `id`. First checks the snapshot (record, checksum,
    /// stamp, integrity), then backs up the current state, then copies the snapshot in
    /// under the open connection in one step and applies any newer migrations. Media
    /// originals are not touched; those the snapshot names but the store lacks are listed.
    pub fn backup_restore(&mut self, id: &str) -> Result<RestoreResult> {
        self.require_on_disk()?;
        let folder = backup::folder(&self.dir);
        if !backup::is_valid_id(id) {
            return Err(Error::NotFound {
                kind: "备份",
                id: id.to_string(),
            });
        }
        let (info, record) = backup::list(&folder)?
            .into_iter()
            .find(|(i, _)| i.id == id)
            .ok_or_else(|| Error::NotFound {
                kind: "备份",
                id: id.to_string(),
            })?;
        let dir = folder.join(id);
        let db_path = dir.join(backup::DB_NAME);
        let record = match (info.ok, record) {
            (true, Some(r)) => r,
            _ => {
                return Err(Error::bad_input(
                    &dir,
                    info.problem.clone().unwrap_or_else(|| "备份不完整".into()),
                ))
            }
        };
        let (sha, _) = store::hash_file(&db_path)?;
        if sha != record.db_sha256 {
            return Err(Error::bad_input(
                &db_path,
                "备份的数据库文件校验值不符，文件已被改动或损坏，不能用来恢复",
            ));
        }
        let facts = db::backup::inspect_snapshot(&db_path)?;
        if !facts.intact {
            return Err(Error::bad_input(
                &db_path,
                format!("备份没有通过完整性检查：{}", facts.problems.join("；")),
            ));
        }
        let manifest: Vec<ManifestEntry> = std::fs::read(dir.join(backup::MANIFEST_NAME))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();

        // Not `backup_create`: its pruning could let go of the very backup being restored.
        let safety = make(
            &self.dir,
            &self.conn,
            (self.clock)(),
            BackupReason::BeforeRestore,
            Some(&format!("恢复备份 {id} 之前的状态")),
        )?;
        db::backup::restore_from(&mut self.conn, &db_path)?;
        if facts.schema_version < db::SCHEMA_VERSION {
            db::migrate(&mut self.conn)?;
        }
        self.backup_prune()?;
        let store = Store::new(&self.dir);
        let missing = manifest
            .iter()
            .filter(|m| {
                store
                    .path_of(&m.sha256, &m.ext)
                    .map(|p| !p.is_file())
                    .unwrap_or(true)
            })
            .map(|m| format!("{}.{}", m.sha256, m.ext))
            .collect();
        Ok(RestoreResult {
            restored: info,
            safety_backup: safety,
            missing_media: missing,
        })
    }
}

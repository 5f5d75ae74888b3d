//! Backups: made with VACUUM INTO, verified, pruned by the rule, restored and compared
//! table by table.

use crate::support::{self, dump_tables, ManualClock};
use feiyi_core::model::{BackupPolicy, BackupReason, RegistryKind};
use feiyi_core::{Error, Registry};

fn sample_on_disk(clock: &ManualClock) -> (tempfile::TempDir, Registry) {
    let dir = tempfile::tempdir().unwrap();
    let reg = Registry::create(dir.path(), RegistryKind::Sample, clock.clock()).unwrap();
    (dir, reg)
}

#[test]
fn a_restore_brings_back_every_table_exactly_and_keeps_the_replaced_state() {
    let clock = ManualClock::at("2026-11-29T08:00:00Z");
    let (dir, mut reg) = sample_on_disk(&clock);
    let before = dump_tables(&reg);
    let backup = reg
        .backup_create(BackupReason::Manual, Some("  月底  "))
        .unwrap();
    assert!(backup.ok);
    assert_eq!(backup.note.as_deref(), Some("月底"));
    assert_eq!(backup.reason, BackupReason::Manual);
    assert_eq!(backup.item_count, reg.info().unwrap().item_count);
    assert!(dir
        .path()
        .join("backups")
        .join(&backup.id)
        .join("registry.sqlite")
        .is_file());

    // Change the registry in several ways after the backup.
    clock.advance(chrono::Duration::hours(2));
    let batch = support::sixth(&reg);
    let added = reg
        .item_save(support::item("备份后新增的示例项目", "Ⅷ", Some(batch)))
        .unwrap();
    let first = reg.item_list(&Default::default()).unwrap().rows[0]
        .id
        .clone();
    reg.item_delete(&first, "测试删除").unwrap();
    reg.set_actor("另一位操作人").unwrap();
    let changed = dump_tables(&reg);
    assert_ne!(before, changed);

    clock.advance(chrono::Duration::minutes(5));
    let result = reg.backup_restore(&backup.id).unwrap();
    assert_eq!(result.restored.id, backup.id);
    assert_eq!(result.safety_backup.reason, BackupReason::BeforeRestore);
    assert!(result.missing_media.is_empty());
    assert_eq!(
        dump_tables(&reg),
        before,
        "every table as it was at the backup"
    );
    assert!(matches!(
        reg.item_get(&added.id),
        Err(Error::NotFound { .. })
    ));
    assert_eq!(reg.integrity_check().unwrap(), vec!["ok".to_string()]);
    assert!(reg.verify_log().unwrap().is_empty());

    // The state the restore replaced is itself a backup, and restoring it undoes the restore.
    reg.backup_restore(&result.safety_backup.id).unwrap();
    assert_eq!(dump_tables(&reg), changed);

    // The file on disk, reopened, is the restored one (not only the open connection).
    reg.backup_restore(&backup.id).unwrap();
    drop(reg);
    let reopened = Registry::open(dir.path(), clock.clock()).unwrap();
    assert_eq!(dump_tables(&reopened), before);
}

#[test]
fn a_damaged_backup_is_refused_and_nothing_changes() {
    let clock = ManualClock::at("2026-11-29T08:00:00Z");
    let (dir, mut reg) = sample_on_disk(&clock);
    let backup = reg.backup_create(BackupReason::Manual, None).unwrap();
    reg.set_actor("之后的操作人").unwrap();
    let now = dump_tables(&reg);

    // Flip one byte in the middle of the snapshot: same size, other checksum.
    let file = dir
        .path()
        .join("backups")
        .join(&backup.id)
        .join("registry.sqlite");
    let mut bytes = std::fs::read(&file).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xFF;
    std::fs::write(&file, &bytes).unwrap();
    let err = reg.backup_restore(&backup.id).unwrap_err();
    assert_eq!(err.code(), "bad_input", "{err}");
    assert!(err.to_string().contains("校验值不符"), "{err}");
    assert_eq!(dump_tables(&reg), now);

    // A truncated snapshot is listed as not ok and refused too.
    std::fs::write(&file, &bytes[..100]).unwrap();
    let status = reg.backup_status().unwrap();
    let listed = status.backups.iter().find(|b| b.id == backup.id).unwrap();
    assert!(!listed.ok);
    assert!(listed.problem.as_deref().unwrap().contains("大小不符"));
    assert!(status.last_good.is_none() || status.last_good.unwrap().id != backup.id);
    assert_eq!(
        reg.backup_restore(&backup.id).unwrap_err().code(),
        "bad_input"
    );
    assert_eq!(dump_tables(&reg), now);

    // Ids that are not backup ids, or that try to leave the folder, are not found.
    for id in [
        "../registry.sqlite",
        "20261129-000000-000-manual/../..",
        "nope",
    ] {
        assert_eq!(reg.backup_restore(id).unwrap_err().code(), "not_found");
    }
}

#[test]
fn the_rule_prunes_automatic_backups_and_keeps_manual_ones() {
    let clock = ManualClock::at("2026-11-29T08:00:00Z");
    let (_dir, mut reg) = sample_on_disk(&clock);
    reg.backup_policy_save(BackupPolicy {
        interval_hours: 24,
        keep_recent: 2,
        keep_daily: 0,
        keep_monthly: 0,
    })
    .unwrap();
    let manual = reg.backup_create(BackupReason::Manual, None).unwrap();
    let mut scheduled = Vec::new();
    for _ in 0..4 {
        clock.advance(chrono::Duration::days(1));
        scheduled.push(reg.backup_create(BackupReason::Scheduled, None).unwrap().id);
    }
    let ids: Vec<String> = reg
        .backup_status()
        .unwrap()
        .backups
        .into_iter()
        .map(|b| b.id)
        .collect();
    assert_eq!(
        ids,
        vec![scheduled[3].clone(), scheduled[2].clone(), manual.id]
    );

    let bad = reg.backup_policy_save(BackupPolicy {
        interval_hours: -1,
        keep_recent: 0,
        keep_daily: 0,
        keep_monthly: 0,
    });
    let fields: Vec<String> = bad
        .unwrap_err()
        .fields()
        .iter()
        .map(|f| f.field.clone())
        .collect();
    assert_eq!(fields, vec!["intervalHours", "keepRecent"]);
}

#[test]
fn a_scheduled_backup_is_made_only_when_due() {
    let clock = ManualClock::at("2026-11-29T08:00:00Z");
    let (_dir, reg) = sample_on_disk(&clock);
    assert!(reg.backup_status().unwrap().due);
    let first = reg.backup_if_due().unwrap().expect("no backup yet: due");
    assert_eq!(first.reason, BackupReason::Scheduled);
    clock.advance(chrono::Duration::hours(23));
    assert!(reg.backup_if_due().unwrap().is_none());
    clock.advance(chrono::Duration::hours(1));
    assert!(reg.backup_if_due().unwrap().is_some());
    assert_eq!(
        reg.backup_status().unwrap().last_good.unwrap().created_at,
        "2026-11-30T08:00:00.000Z"
    );
}

#[test]
fn opening_an_older_registry_backs_it_up_before_migrating() {
    let clock = ManualClock::at("2026-11-29T08:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    let reg = Registry::create(dir.path(), RegistryKind::Real, clock.clock()).unwrap();
    let version = reg.info().unwrap().schema_version;
    // Take the migrations since version 4 (0005 search at scale, 0006 filter, 0007 list and
    // 0008 child indexes, 0009 the search index's write buffer) back by hand, as an older
    // build left the file. (Adjust when a migration is added.)
    assert_eq!(version, 9);
    support::back_to_version_4(reg.connection());
    drop(reg);

    let reg = Registry::open(dir.path(), clock.clock()).unwrap();
    assert_eq!(reg.info().unwrap().schema_version, version);
    let status = reg.backup_status().unwrap();
    assert_eq!(status.backups.len(), 1);
    let b = &status.backups[0];
    assert_eq!(b.reason, BackupReason::BeforeMigration);
    assert_eq!(b.schema_version, 4);
    assert!(b.ok);

    // Opening again migrates nothing and backs up nothing.
    drop(reg);
    let reg = Registry::open(dir.path(), clock.clock()).unwrap();
    assert_eq!(reg.backup_status().unwrap().backups.len(), 1);
}

#[test]
fn an_interrupted_backup_leaves_no_backup_behind() {
    let clock = ManualClock::at("2026-11-29T08:00:00Z");
    let (dir, reg) = sample_on_disk(&clock);
    // What a crash in the middle of a backup leaves: a partial folder with a snapshot.
    let partial = dir.path().join("backups").join(".partial-0190");
    std::fs::create_dir_all(&partial).unwrap();
    std::fs::write(partial.join("registry.sqlite"), b"half").unwrap();
    assert!(reg.backup_status().unwrap().backups.is_empty());
    reg.backup_create(BackupReason::Manual, None).unwrap();
    assert!(!partial.exists(), "the next backup clears leftovers");
    assert_eq!(reg.backup_status().unwrap().backups.len(), 1);
}

#[test]
fn a_memory_registry_cannot_be_backed_up() {
    let reg = support::real();
    assert_eq!(
        reg.backup_create(BackupReason::Manual, None)
            .unwrap_err()
            .code(),
        "conflict"
    );
    assert!(reg.backup_if_due().unwrap().is_none());
}

#[test]
fn a_scheduled_backup_is_taken_through_a_reader_and_restores_like_any_other() {
    // The desktop takes scheduled backups on a read-only handle, so that copying a large
    // register does not keep the clerk waiting.
    let clock = ManualClock::at("2026-03-01T02:00:00Z");
    let (_dir, mut reg) = sample_on_disk(&clock);
    let before = dump_tables(&reg);
    let reader = reg.reader().unwrap();
    let made = reader
        .backup_if_due()
        .unwrap()
        .expect("a first backup is due");
    assert!(
        reader.backup_if_due().unwrap().is_none(),
        "and then not again"
    );
    assert_eq!(reg.backup_status().unwrap().backups[0].id, made.id);
    reg.set_actor("王科员").unwrap();
    reg.backup_restore(&made.id).unwrap();
    assert_eq!(dump_tables(&reg)["item"], before["item"]);
    assert_ne!(reg.info().unwrap().actor, "王科员");
}

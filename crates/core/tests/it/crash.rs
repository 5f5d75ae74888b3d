//! Crash safety and full disk, in process: the recovery on open with hand-made leftovers
//! of killed imports and backups, and full-disk faults at the database (SQLite's
//! `max_page_count`) and at the file writers (the `fault` budget). The kill harness that
//! SIGKILLs the real binary is `crates/cli/tests/it/crash.rs`.

use crate::support::{clock, dump_tables, item};
use feiyi_core::fault;
use feiyi_core::media::store::{self, Derived, Store};
use feiyi_core::model::*;
use feiyi_core::Registry;
use sha2::{Digest, Sha256};
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// A JPEG photo, different for each seed, of at least `min_len` bytes: a small real
/// picture with APP15 segments of filler after its start marker (valid JPEG).
pub fn jpeg(seed: u32, min_len: usize) -> Vec<u8> {
    let img = image::RgbImage::from_fn(64, 48, |x, y| {
        image::Rgb([(x * 4) as u8, (y * 5) as u8, (seed * 37) as u8])
    });
    let mut small = Cursor::new(Vec::new());
    img.write_to(&mut small, image::ImageFormat::Jpeg).unwrap();
    let small = small.into_inner();
    let mut out = small[..2].to_vec();
    let mut n = seed;
    while out.len() + small.len() < min_len {
        let len = 65_533usize.min(min_len - out.len() - small.len()).max(2);
        out.extend_from_slice(&[0xFF, 0xEF]);
        out.extend_from_slice(&((len + 2) as u16).to_be_bytes());
        for _ in 0..len {
            n = n.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            out.push((n >> 24) as u8);
        }
    }
    out.extend_from_slice(&small[2..]);
    out
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    store::walk(dir, &mut out).unwrap();
    out.sort();
    out
}

struct Folder {
    _tmp: tempfile::TempDir,
    root: PathBuf,
    src: PathBuf,
}

impl Folder {
    fn new(kind: RegistryKind) -> (Self, Registry) {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("registry");
        let src = tmp.path().join("incoming");
        std::fs::create_dir_all(&src).unwrap();
        let reg = Registry::create(&root, kind, clock()).unwrap();
        (
            Folder {
                _tmp: tmp,
                root,
                src,
            },
            reg,
        )
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.src.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn original(&self, sha: &str) -> PathBuf {
        Store::new(&self.root).path_of(sha, "jpg").unwrap()
    }

    fn thumb(&self, sha: &str) -> PathBuf {
        Store::new(&self.root)
            .derived_path(Derived::Thumb, sha)
            .unwrap()
    }

    fn open(&self) -> Registry {
        Registry::open(&self.root, clock()).unwrap()
    }

    /// Nothing half-done in the store: no temporary file, no marker, no derived file or
    /// original that no record names.
    fn assert_clean(&self, reg: &Registry) {
        assert_eq!(
            files_under(&self.root.join("media/tmp")),
            Vec::<PathBuf>::new()
        );
        let fixity = reg
            .media_fixity_plan()
            .unwrap()
            .check(&AtomicBool::new(false))
            .unwrap();
        assert!(fixity.ok, "{fixity:#?}");
        let shas: Vec<String> = reg
            .connection()
            .prepare("SELECT sha256 FROM media")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        for d in files_under(&self.root.join("media/derived")) {
            let name = d.file_stem().unwrap().to_string_lossy().to_string();
            assert!(shas.contains(&name), "derived file of no record: {d:?}");
        }
        assert_eq!(reg.integrity_check().unwrap(), vec!["ok".to_string()]);
        assert!(reg.verify_log().unwrap().is_empty());
    }
}

fn import(reg: &mut Registry, files: &[PathBuf]) -> MediaImportReport {
    reg.media_import(files, None, &|_| {}, &AtomicBool::new(false))
        .unwrap()
}

/// What a kill between "original renamed into place" and "record committed" leaves:
/// a marker (not held: its process is gone), the original and its thumbnail.
fn interrupted_import(root: &Path, bytes: &[u8]) -> String {
    let store = Store::new(root);
    let staged = store
        .stage(
            &mut Cursor::new(bytes),
            &AtomicBool::new(false),
            &mut |_, _| {},
        )
        .unwrap();
    let sha = staged.sha256().to_string();
    let intent = store.intend(&sha, "jpg").unwrap();
    store.put_derived(Derived::Thumb, &sha, b"thumb").unwrap();
    assert!(staged.commit("jpg").unwrap().newly_stored);
    drop(intent); // the process died: the lock goes, the marker stays
    sha
}

#[test]
fn recovery_on_open_removes_what_killed_imports_and_backups_left_and_nothing_else() {
    let (f, mut reg) = Folder::new(RegistryKind::Real);
    let kept = jpeg(1, 2000);
    let report = import(&mut reg, &[f.file("留存.jpg", &kept)]);
    assert_eq!(report.imported, 1);
    let kept_sha = sha256(&kept);
    assert!(
        reg.recover().is_empty(),
        "a clean registry has nothing to recover"
    );
    drop(reg);

    // A killed import: original and thumbnail in place, no record.
    let orphan_sha = interrupted_import(&f.root, &jpeg(2, 3000));
    // A kill after the record was committed, before the marker went.
    let store = Store::new(&f.root);
    drop(store.intend(&kept_sha, "jpg").unwrap());
    // A file that reached the store some other way, without a marker: not ours to judge.
    let stray = jpeg(3, 1000);
    let stray_path = f.original(&sha256(&stray));
    std::fs::create_dir_all(stray_path.parent().unwrap()).unwrap();
    std::fs::write(&stray_path, &stray).unwrap();
    // An import still running in another process: its marker is held.
    let live_bytes = jpeg(4, 1000);
    let live_staged = store
        .stage(
            &mut Cursor::new(&live_bytes),
            &AtomicBool::new(false),
            &mut |_, _| {},
        )
        .unwrap();
    let live_sha = live_staged.sha256().to_string();
    let live_intent = store.intend(&live_sha, "jpg").unwrap();
    live_staged.commit("jpg").unwrap();
    // A half-copied temporary file and junk in the marker folder.
    std::fs::write(f.root.join("media/tmp/0199-crashed.part"), b"half").unwrap();
    std::fs::write(store.pending_dir().join("junk.txt"), b"?").unwrap();
    // A killed backup, and one being built by a live process.
    let backups = f.root.join("backups");
    std::fs::create_dir_all(backups.join(".partial-dead")).unwrap();
    std::fs::write(backups.join(".partial-dead/registry.sqlite"), b"half").unwrap();
    std::fs::create_dir_all(backups.join(".partial-live")).unwrap();
    let live_lock = std::fs::File::create(backups.join(".partial-live.lock")).unwrap();
    live_lock.lock().unwrap();
    std::fs::write(backups.join(".partial-gone.lock"), b"").unwrap();
    // A registry creation killed before its rename (in a folder that has one by now).
    let half = f.root.join(".registry.sqlite.creating-4242");
    std::fs::write(&half, b"SQLite format 3\0").unwrap();

    let reg = f.open();
    let rec = reg.recovered_on_open().clone();
    assert_eq!(rec.problem, None);
    assert_eq!(rec.media.orphans, vec![format!("{orphan_sha}.jpg")]);
    assert_eq!(rec.media.tmp_files, 1);
    assert_eq!(rec.media.markers, 3, "orphan's, the committed one's, junk");
    assert_eq!(rec.partial_backups, 1);
    assert_eq!(rec.half_created, 1);
    assert!(!half.exists());
    assert!(!f.original(&orphan_sha).exists());
    assert!(!f.thumb(&orphan_sha).exists());
    assert_eq!(std::fs::read(f.original(&kept_sha)).unwrap(), kept);
    assert!(
        f.thumb(&kept_sha).exists(),
        "a recorded file's thumbnail stays"
    );
    assert_eq!(
        std::fs::read(&stray_path).unwrap(),
        stray,
        "no marker: untouched"
    );
    assert!(
        f.original(&live_sha).exists(),
        "a live import is left alone"
    );
    assert!(backups.join(".partial-live").exists());
    assert!(!backups.join(".partial-dead").exists());
    assert!(!backups.join(".partial-gone.lock").exists());
    assert_eq!(reg.media_list(&MediaQuery::default()).unwrap().total, 1);
    assert_eq!(reg.integrity_check().unwrap(), vec!["ok".to_string()]);
    drop(reg);

    // The other process dies too: the next open clears its leftovers.
    drop(live_intent);
    drop(live_lock);
    std::fs::remove_file(&stray_path).unwrap();
    let reg = f.open();
    assert_eq!(
        reg.recovered_on_open().media.orphans,
        vec![format!("{live_sha}.jpg")]
    );
    assert_eq!(reg.recovered_on_open().partial_backups, 1);
    assert!(!backups.join(".partial-live.lock").exists());
    f.assert_clean(&reg);
    drop(reg);
    assert!(f.open().recovered_on_open().is_empty());
}

#[test]
fn an_import_interrupted_before_its_commit_is_recovered_by_the_next_import() {
    let (f, mut reg) = Folder::new(RegistryKind::Real);
    let orphan = interrupted_import(&f.root, &jpeg(5, 5000));
    // Two killed imports of the same content: two markers, one file.
    drop(Store::new(&f.root).intend(&orphan, "jpg").unwrap());
    // The registry stayed open (the desktop app): the next import clears it.
    let report = import(&mut reg, &[f.file("新.jpg", &jpeg(6, 5000))]);
    assert_eq!(report.imported, 1);
    assert!(!f.original(&orphan).exists());
    f.assert_clean(&reg);
    // Importing the orphan's content for real now works as a new file.
    let report = import(&mut reg, &[f.file("重来.jpg", &jpeg(5, 5000))]);
    assert_eq!(report.imported, 1);
    assert!(f.original(&orphan).exists());
    f.assert_clean(&reg);
}

fn big_item() -> ItemInput {
    let mut input = item("运河号子（长文）", "Ⅱ", None);
    let long = "明清时期运河船工在行船、拉纤、装卸时所唱的劳动号子。".repeat(8000);
    input.texts.summary = Some(long.clone());
    input.texts.history = Some(long);
    input
}

#[test]
fn a_full_database_refuses_the_write_whole_says_so_and_takes_it_after_space_is_made() {
    let (f, mut reg) = Folder::new(RegistryKind::Sample);
    let name = format!("{}满.jpg", "运河号子排练现场".repeat(8));
    let photo = f.file(&name, &jpeg(7, 50_000));
    let pages: i64 = reg
        .connection()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    reg.connection()
        .execute_batch(&format!("PRAGMA max_page_count = {}", pages + 2))
        .unwrap();
    // Fill the file to the brim, with smaller and smaller records.
    let mut n = 0;
    for len in [4000, 1000, 300, 50] {
        loop {
            n += 1;
            let mut filler = item(&format!("填充{n}"), "Ⅲ", None);
            filler.texts.summary = Some("填".repeat(len));
            match reg.item_save(filler) {
                Ok(_) => {}
                Err(e) if e.code() == "disk_full" => break,
                Err(e) => panic!("{e:?}"),
            }
        }
    }
    let before = dump_tables(&reg);

    let err = reg.item_save(big_item()).unwrap_err();
    assert_eq!(err.code(), "disk_full", "{err:?}");
    assert!(err.to_string().starts_with("磁盘空间不足"), "{err}");
    assert!(err.to_string().contains("已有数据没有受到影响"), "{err}");
    assert_eq!(dump_tables(&reg), before, "nothing of the write remains");

    // A media import: the original was in place when the record failed; it goes again.
    let report = import(&mut reg, std::slice::from_ref(&photo));
    let out = &report.outcomes[0];
    assert_eq!(out.status, MediaImportStatus::Failed, "{out:?}");
    let msg = out.message.as_deref().unwrap();
    assert!(msg.contains(&name) && msg.contains("磁盘空间不足"), "{msg}");
    assert_eq!(dump_tables(&reg), before);
    f.assert_clean(&reg);
    assert!(files_under(&f.root.join("media/originals")).is_empty());

    reg.connection()
        .execute_batch("PRAGMA max_page_count = 1073741823")
        .unwrap();
    let saved = reg.item_save(big_item()).unwrap();
    assert!(saved.texts.history.unwrap().len() > 100_000);
    assert_eq!(import(&mut reg, &[photo]).imported, 1);
    f.assert_clean(&reg);
}

#[test]
fn a_full_disk_while_a_file_is_copied_into_the_store_leaves_nothing_behind() {
    let (f, mut reg) = Folder::new(RegistryKind::Real);
    let files = [
        f.file("小.jpg", &jpeg(8, 1000)),
        f.file("大.jpg", &jpeg(9, 3 << 20)),
    ];
    let before = dump_tables(&reg);
    fault::set_write_budget(&f.root, 1 << 20);
    let report = import(&mut reg, &files);
    fault::clear_write_budget(&f.root);
    let big = report.outcomes.iter().find(|o| o.name == "大.jpg").unwrap();
    assert_eq!(big.status, MediaImportStatus::Failed, "{report:#?}");
    let msg = big.message.as_deref().unwrap();
    assert!(
        msg.contains("“大.jpg”") && msg.contains("磁盘空间不足"),
        "{msg}"
    );
    // The small one fitted (or not, depending on which thread wrote first); whatever
    // was recorded is whole, and nothing else is left.
    f.assert_clean(&reg);
    if report.imported == 0 {
        assert_eq!(dump_tables(&reg), before);
    }
    assert_eq!(import(&mut reg, &files).failed, 0);
    f.assert_clean(&reg);
}

#[test]
fn a_full_disk_while_a_thumbnail_is_written_refuses_nothing_and_leaves_no_partial() {
    let (f, mut reg) = Folder::new(RegistryKind::Real);
    let bytes = jpeg(10, 4000);
    // Room for the original's copy only: the thumbnail cannot be written.
    fault::set_write_budget(&f.root, bytes.len() as u64 + 10);
    let report = import(&mut reg, &[f.file("缩略图满.jpg", &bytes)]);
    fault::clear_write_budget(&f.root);
    assert_eq!(report.imported, 1, "{report:#?}");
    let id = report.outcomes[0].media_id.clone().unwrap();
    let unread = reg.media_get(&id).unwrap().technical.unread;
    assert!(
        unread
            .iter()
            .any(|u| u.contains("缩略图") && u.contains("磁盘空间不足")),
        "{unread:?}"
    );
    f.assert_clean(&reg);
}

#[test]
fn a_full_disk_during_a_backup_leaves_no_partial_folder_and_the_old_backups() {
    let (f, reg) = Folder::new(RegistryKind::Sample);
    let first = reg.backup_create(BackupReason::Manual, None).unwrap();
    let before = dump_tables(&reg);
    let entries = || {
        let mut names: Vec<String> = std::fs::read_dir(f.root.join("backups"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        names
    };
    let only_first = entries();
    // Full before the snapshot is whole; full while the manifest or record is written.
    for budget in [0, first.db_bytes as u64 + 40] {
        fault::set_write_budget(&f.root, budget);
        let err = reg
            .backup_create(BackupReason::Manual, Some("月底"))
            .unwrap_err();
        fault::clear_write_budget(&f.root);
        assert_eq!(err.code(), "disk_full", "budget {budget}: {err:?}");
        assert!(err.to_string().starts_with("磁盘空间不足"), "{err}");
        assert_eq!(entries(), only_first, "budget {budget}: nothing half-made");
        let status = reg.backup_status().unwrap();
        assert_eq!(status.backups.len(), 1);
        assert!(status.backups[0].ok);
        assert_eq!(dump_tables(&reg), before);
    }
    reg.backup_create(BackupReason::Manual, Some("月底"))
        .unwrap();
    assert_eq!(reg.backup_status().unwrap().backups.len(), 2);
}

#[test]
fn a_full_disk_during_an_export_leaves_no_temporary_file() {
    let (f, reg) = Folder::new(RegistryKind::Sample);
    let out_dir = f.root.join("导出");
    std::fs::create_dir_all(&out_dir).unwrap();
    let target = out_dir.join("名录.xlsx");
    fault::set_write_budget(&f.root, 1000);
    let err = reg
        .export_items_xlsx(&ItemQuery::default(), &target)
        .unwrap_err();
    fault::clear_write_budget(&f.root);
    assert_eq!(err.code(), "disk_full", "{err:?}");
    assert!(err.to_string().contains("名录.xlsx"), "{err}");
    assert!(
        files_under(&out_dir).is_empty(),
        "{:?}",
        files_under(&out_dir)
    );
    assert!(
        reg.export_items_xlsx(&ItemQuery::default(), &target)
            .unwrap()
            > 0
    );
    assert_eq!(files_under(&out_dir), vec![target]);
}

#[test]
fn the_write_ahead_log_is_cut_back_after_a_large_transaction() {
    // Opening after a crash or a killed process reads the whole log back; a migration or a
    // large import must not leave it tens of megabytes long for every later start.
    let dir = tempfile::tempdir().unwrap();
    drop(Registry::create(dir.path(), RegistryKind::Real, clock()).unwrap());
    let path = dir.path().join(feiyi_core::api::DB_FILE);
    let wal = dir.path().join(format!("{}-wal", feiyi_core::api::DB_FILE));
    let conn = feiyi_core::db::open_existing(&path, |_, _| Ok(())).unwrap();
    let limit: i64 = conn
        .query_row("PRAGMA journal_size_limit", [], |r| r.get(0))
        .unwrap();
    assert_eq!(limit, feiyi_core::db::JOURNAL_SIZE_LIMIT);
    conn.execute_batch(
        "CREATE TABLE scratch(b BLOB);
         WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
         INSERT INTO scratch SELECT randomblob(4096) FROM n;",
    )
    .unwrap();
    let big = std::fs::metadata(&wal).unwrap().len();
    assert!(big > 2 * limit as u64, "the log grew to {big} bytes");
    conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()))
        .unwrap();
    // The next write starts the log over and cuts the file back to the limit.
    conn.execute_batch("DROP TABLE scratch").unwrap();
    let after = std::fs::metadata(&wal).unwrap().len();
    assert!(after <= limit as u64, "the log is still {after} bytes");
}

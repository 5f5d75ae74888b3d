//! The kill harness: the real `feiyi` binary is SIGKILLed at many points of long
//! operations, and each time the registry must reopen whole — `PRAGMA integrity_check`
//! ok, the edit-log chain intact, the state from before the operation all there, and no
//! half-written row or orphan file left once it has been opened.
//!
//! How it works: a base registry folder (the sample plus bulky items) and the inputs are
//! built once. Each [`Operation`] is a CLI invocation plus a checker. It is first run to
//! completion to measure its duration D (and checked); then for K deterministic kill
//! points spread over [0, 1.2·D] a fresh copy of the base folder is made, the binary is
//! spawned on it, killed with SIGKILL after the offset, and the copy is opened with
//! [`Registry::open`] (which runs the recovery) and checked: first the invariants every
//! operation keeps ([`check_common`]), then the operation's own checker.
//!
//! Adding an operation (the list import, the exchange merge) is a few lines in
//! [`operations`]: its arguments (inputs are made in `build_base`, outside the registry) and a checker closure
//! over [`Reopened`]. Operations that change existing records should say so with
//! `keeps_base_rows: false`.
//!
//! Run: `cargo test -p feiyi-cli --test it crash -- --nocapture` (prints the kill points).

use feiyi_core::api::Recovery;
use feiyi_core::media::store;
use feiyi_core::model::{ItemInput, RegistryKind};
use feiyi_core::{system_clock, Registry};
use std::collections::BTreeSet;
use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// The number of media files imported, and their size range.
const MEDIA_FILES: usize = 40;
const MEDIA_MIN: usize = 1 << 20;
const MEDIA_MAX: usize = 3 << 20;
const LIST_ROWS: usize = 400;
const LIST_PREFIX: &str = "示例·断电导入项目";
const PACKAGE_ITEMS: usize = 300;
const PACKAGE_MEDIA: usize = 6;
const PACKAGE_PREFIX: &str = "示例·交换包项目";

/// The base registry and inputs, made once.
struct Base {
    _tmp: tempfile::TempDir,
    /// The base registry folder (copied before each run, never run on itself).
    registry: PathBuf,
    /// A CSV list of `LIST_ROWS` fictional items, for the list import.
    list: PathBuf,
    /// An exchange package from a copy of the base with `PACKAGE_ITEMS` more items and
    /// `PACKAGE_MEDIA` media files, for the merge.
    package: PathBuf,
    /// The base with a backup, then one more item (for the restore).
    with_backup: PathBuf,
    /// That backup's id.
    backup_id: String,
    /// Live item names in the backup, and in `with_backup` after it.
    names_at_backup: BTreeSet<String>,
    names_after_backup: BTreeSet<String>,
    /// The media files, in the order given to the import.
    media: Vec<PathBuf>,
    /// The id of the item media are linked to.
    item: String,
    /// A copy of the base database, only read (by the checks).
    pristine: PathBuf,
    /// The base's tables whose rows must all survive (not `meta`, whose log head moves,
    /// nor the full-text index's internals, which are rewritten).
    tables: Vec<String>,
}

/// A registry reopened after a run, and what the checker needs to judge it.
struct Reopened<'a> {
    base: &'a Base,
    dir: &'a Path,
    reg: &'a Registry,
    /// Whether the binary had exited by itself before the kill (successfully).
    completed: bool,
    /// The point, for messages.
    at: String,
}

/// One operation under the harness: a CLI invocation plus a checker.
struct Operation {
    name: &'static str,
    /// The registry folder a fresh copy of which each run starts from.
    from: PathBuf,
    args: Vec<OsString>,
    /// Kill points to try.
    kills: usize,
    /// Whether every row of the base registry must still be there unchanged (false for
    /// operations that update existing records, like a merge).
    keeps_base_rows: bool,
    check: Box<dyn Fn(&Reopened<'_>)>,
}

fn os(args: &[&str]) -> Vec<OsString> {
    args.iter().map(OsString::from).collect()
}

/// The operations under test. Add new ones here.
fn operations(base: &Base) -> Vec<Operation> {
    let mut media_args = os(&["media", "import"]);
    media_args.extend(base.media.iter().map(|p| p.clone().into_os_string()));
    media_args.extend(os(&["--item", &base.item]));
    vec![
        Operation {
            name: "media import",
            from: base.registry.clone(),
            args: media_args,
            kills: 12,
            keeps_base_rows: true,
            check: Box::new(check_media_import),
        },
        Operation {
            name: "backup create",
            from: base.registry.clone(),
            args: os(&["backup", "create", "--note", "断电测试"]),
            kills: 10,
            keeps_base_rows: true,
            check: Box::new(check_backup),
        },
        Operation {
            name: "backup restore",
            from: base.with_backup.clone(),
            args: os(&["backup", "restore", &base.backup_id]),
            kills: 8,
            keeps_base_rows: false, // it puts the registry back to the backup
            check: Box::new(check_restore),
        },
        Operation {
            name: "list import",
            from: base.registry.clone(),
            args: vec![
                "import".into(),
                "list".into(),
                base.list.clone().into_os_string(),
                "--batch".into(),
                "6".into(),
            ],
            kills: 10,
            keeps_base_rows: true,
            check: Box::new(|r: &Reopened<'_>| {
                let n = count_named(r.reg, LIST_PREFIX);
                assert!(
                    n == 0 || n == LIST_ROWS as i64,
                    "{}: {n} of {LIST_ROWS} rows",
                    r.at
                );
                let runs = r.reg.import_runs().unwrap().len();
                assert_eq!(
                    runs,
                    usize::from(n > 0),
                    "{}: one import run with its rows",
                    r.at
                );
                if r.completed {
                    assert_eq!(n, LIST_ROWS as i64, "{}", r.at);
                }
            }),
        },
        Operation {
            name: "exchange merge",
            from: base.registry.clone(),
            args: vec![
                "exchange".into(),
                "import".into(),
                base.package.clone().into_os_string(),
            ],
            kills: 10,
            keeps_base_rows: true,
            check: Box::new(|r: &Reopened<'_>| {
                let n = count_named(r.reg, PACKAGE_PREFIX);
                let media: i64 = r
                    .reg
                    .connection()
                    .query_row("SELECT count(*) FROM media", [], |row| row.get(0))
                    .unwrap();
                let all = n == PACKAGE_ITEMS as i64 && media == PACKAGE_MEDIA as i64;
                assert!(
                    (n == 0 && media == 0) || all,
                    "{}: {n} of {PACKAGE_ITEMS} items, {media} of {PACKAGE_MEDIA} media",
                    r.at
                );
                if r.completed {
                    assert!(all, "{}", r.at);
                }
            }),
        },
        Operation {
            name: "item add",
            from: base.registry.clone(),
            args: os(&[
                "item",
                "add",
                "--name",
                "运河号子（断电）",
                "--category",
                "Ⅱ",
            ]),
            kills: 4,
            keeps_base_rows: true,
            check: Box::new(|r: &Reopened<'_>| {
                let found = r
                    .reg
                    .item_list(&feiyi_core::model::ItemQuery {
                        query: Some("运河号子（断电）".into()),
                        ..Default::default()
                    })
                    .unwrap()
                    .total;
                assert!(found <= 1, "{}: {found} copies", r.at);
                if r.completed {
                    assert_eq!(found, 1, "{}", r.at);
                }
            }),
        },
    ]
}

// ------------------------------------------------------------------- checkers

/// Media import: the records present are the first n files given, each whole, each
/// linked; no file in the store is without a record (the common check walks it).
fn check_media_import(r: &Reopened<'_>) {
    let conn = r.reg.connection();
    let names: Vec<String> = conn
        .prepare("SELECT original_name FROM media ORDER BY id")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let given: Vec<String> = r
        .base
        .media
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    assert_eq!(
        names[..],
        given[..names.len()],
        "{}: the records are a prefix of the files given",
        r.at
    );
    let links: i64 = conn
        .query_row(
            "SELECT count(*) FROM media_link WHERE entity_kind = 'item' AND entity_uid = ?1",
            [&r.base.item],
            |row| row.get(0),
        )
        .unwrap();
    assert_eq!(links as usize, names.len(), "{}: every record linked", r.at);
    if r.completed {
        assert_eq!(names.len(), MEDIA_FILES, "{}", r.at);
    }
}

/// Backup: every backup listed is whole; nothing half-built remains after the open.
fn check_backup(r: &Reopened<'_>) {
    let status = r.reg.backup_status().unwrap();
    assert!(status.backups.len() <= 1, "{}: {status:?}", r.at);
    for b in &status.backups {
        assert!(b.ok, "{}: {b:?}", r.at);
        let snapshot = r.dir.join("backups").join(&b.id).join("registry.sqlite");
        let intact = snapshot_integrity(&snapshot);
        assert_eq!(
            intact,
            vec!["ok".to_string()],
            "{}: snapshot {}",
            r.at,
            b.id
        );
    }
    if r.completed {
        assert_eq!(status.backups.len(), 1, "{}", r.at);
    }
    let leftovers: Vec<String> = std::fs::read_dir(r.dir.join("backups"))
        .map(|d| {
            d.map(|e| e.unwrap().file_name().to_string_lossy().to_string())
                .filter(|n| n.starts_with('.'))
                .collect()
        })
        .unwrap_or_default();
    assert!(leftovers.is_empty(), "{}: {leftovers:?}", r.at);
}

/// Live items whose name starts with `prefix`.
fn count_named(reg: &Registry, prefix: &str) -> i64 {
    reg.connection()
        .query_row(
            "SELECT count(*) FROM item WHERE deleted_at IS NULL AND name LIKE ?1 || '%'",
            [prefix],
            |row| row.get(0),
        )
        .unwrap()
}

fn live_item_names(reg: &Registry) -> BTreeSet<String> {
    reg.connection()
        .prepare("SELECT name FROM item WHERE deleted_at IS NULL")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// Backup restore: the registry is wholly as before, or wholly as the backup (and then the
/// state it replaced was saved first); every listed backup is whole.
fn check_restore(r: &Reopened<'_>) {
    let names = live_item_names(r.reg);
    let restored = names == r.base.names_at_backup;
    assert!(
        restored || names == r.base.names_after_backup,
        "{}: neither the state before nor the backup's",
        r.at
    );
    eprintln!(
        "{}: {}",
        r.at,
        if restored {
            "as the backup"
        } else {
            "as before the restore"
        }
    );
    if r.completed {
        assert!(restored, "{}", r.at);
    }
    let status = r.reg.backup_status().unwrap();
    assert!(status.backups.iter().all(|b| b.ok), "{}: {status:?}", r.at);
    if restored {
        assert_eq!(
            status.backups.len(),
            2,
            "{}: the safety backup is there",
            r.at
        );
    }
    for b in &status.backups {
        let snapshot = r.dir.join("backups").join(&b.id).join("registry.sqlite");
        assert_eq!(
            snapshot_integrity(&snapshot),
            vec!["ok".to_string()],
            "{}",
            r.at
        );
    }
}

/// `PRAGMA integrity_check` of a backup snapshot, through the core (a copy opened as a
/// registry, so the snapshot itself is never written).
fn snapshot_integrity(snapshot: &Path) -> Vec<String> {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::copy(snapshot, tmp.path().join("registry.sqlite")).unwrap();
    Registry::open(tmp.path(), system_clock())
        .unwrap()
        .integrity_check()
        .unwrap()
}

/// What every operation keeps, at every kill point.
fn check_common(r: &Reopened<'_>, keeps_base_rows: bool) {
    assert_eq!(
        r.reg.integrity_check().unwrap(),
        vec!["ok".to_string()],
        "{}",
        r.at
    );
    assert!(
        r.reg.verify_log().unwrap().is_empty(),
        "{}: log chain",
        r.at
    );
    // The store: every record's original present and of its hash, no unrecorded original.
    let fixity = r
        .reg
        .media_fixity_plan()
        .unwrap()
        .check(&AtomicBool::new(false))
        .unwrap();
    assert!(fixity.ok, "{}: {fixity:#?}", r.at);
    // Nothing half-done: no temporary file, no intent marker, no derived file of no record.
    let mut tmp = Vec::new();
    store::walk(&r.dir.join("media/tmp"), &mut tmp).unwrap();
    assert!(tmp.is_empty(), "{}: left in media/tmp: {tmp:?}", r.at);
    let shas: BTreeSet<String> = r
        .reg
        .connection()
        .prepare("SELECT sha256 FROM media")
        .unwrap()
        .query_map([], |row| row.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let mut derived = Vec::new();
    store::walk(&r.dir.join("media/derived"), &mut derived).unwrap();
    for d in derived {
        let sha = d.file_stem().unwrap().to_string_lossy().to_string();
        assert!(
            shas.contains(&sha),
            "{}: derived file of no record {d:?}",
            r.at
        );
    }
    // What was there before is there still: every row of the base, compared in SQL
    // against a pristine copy of the base database.
    if keeps_base_rows {
        let conn = r.reg.connection();
        conn.execute(
            "ATTACH DATABASE ?1 AS base",
            [&r.base.pristine.to_string_lossy()],
        )
        .unwrap();
        for table in &r.base.tables {
            let lost: i64 = conn
                .query_row(
                    &format!(
                        "SELECT count(*) FROM (SELECT * FROM base.\"{table}\" EXCEPT SELECT * FROM main.\"{table}\")"
                    ),
                    [],
                    |row| row.get(0),
                )
                .unwrap();
            assert_eq!(lost, 0, "{}: {table} lost {lost} rows of the base", r.at);
        }
        conn.execute_batch("DETACH DATABASE base").unwrap();
    }
    // The search index still finds a base item.
    assert!(r.reg.item_get(&r.base.item).is_ok(), "{}", r.at);
}

// ---------------------------------------------------------------------- base

/// A JPEG of `len` bytes, different for each seed: a small real picture with APP15
/// segments of filler after its start marker.
fn jpeg(seed: u32, len: usize, block: &[u8]) -> Vec<u8> {
    let img = image::RgbImage::from_fn(48, 32, |x, y| {
        image::Rgb([(x * 5) as u8, (y * 7) as u8, (seed * 37) as u8])
    });
    let mut small = std::io::Cursor::new(Vec::new());
    img.write_to(&mut small, image::ImageFormat::Jpeg).unwrap();
    let small = small.into_inner();
    let mut out = small[..2].to_vec();
    let mut k = 0;
    while out.len() + small.len() + 4 < len {
        let n = 65_533usize.min(len - out.len() - small.len() - 4).max(1);
        out.extend_from_slice(&[0xFF, 0xEF]);
        out.extend_from_slice(&((n + 2) as u16).to_be_bytes());
        let start = (k * 7919 + seed as usize) % (block.len() - n);
        out.extend_from_slice(&block[start..start + n]);
        k += 1;
    }
    out.extend_from_slice(&small[2..]);
    out
}

/// A 16-bit mono PCM WAV of `len` bytes (about), different for each seed.
fn wav(seed: u32, len: usize, block: &[u8]) -> Vec<u8> {
    let data_len = (len.saturating_sub(44) & !1) as u32;
    let mut v = b"RIFF".to_vec();
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes());
    v.extend_from_slice(&44_100u32.to_le_bytes());
    v.extend_from_slice(&88_200u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    v.extend_from_slice(&seed.to_le_bytes());
    while v.len() < 44 + data_len as usize {
        let n = block.len().min(44 + data_len as usize - v.len());
        v.extend_from_slice(&block[..n]);
    }
    v
}

fn build_base() -> Base {
    let tmp = tempfile::tempdir().unwrap();
    let registry = tmp.path().join("base");
    let inputs = tmp.path().join("inputs");
    std::fs::create_dir_all(&inputs).unwrap();
    let mut reg = Registry::create(&registry, RegistryKind::Sample, system_clock()).unwrap();
    // Bulk, so that a backup takes a while: 80 items with long texts.
    let text = "台儿庄运河沿岸流传的民间技艺，世代口传心授，".repeat(600);
    for i in 0..80 {
        reg.item_save(ItemInput {
            name: format!("运河沿岸技艺{i:03}"),
            category: "Ⅷ".into(),
            texts: feiyi_core::model::ItemTexts {
                summary: Some(format!("{i}：{text}")),
                history: Some(text.clone()),
                ..Default::default()
            },
            ..Default::default()
        })
        .unwrap();
    }
    let item = reg
        .item_list(&Default::default())
        .unwrap()
        .rows
        .into_iter()
        .next()
        .unwrap()
        .id;
    let tables: Vec<String> = reg
        .connection()
        .prepare(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'meta'
             AND name NOT LIKE 'search_text%' AND name NOT LIKE 'search_gram%' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    drop(reg);
    let with_backup = tmp.path().join("base-with-backup");
    copy_dir(&registry, &with_backup);
    let (backup_id, names_at_backup, names_after_backup) = {
        let mut reg = Registry::open(&with_backup, system_clock()).unwrap();
        let id = reg
            .backup_create(feiyi_core::model::BackupReason::Manual, Some("恢复测试"))
            .unwrap()
            .id;
        let at_backup = live_item_names(&reg);
        reg.item_save(ItemInput {
            name: "备份之后新增的项目".into(),
            category: "Ⅲ".into(),
            ..Default::default()
        })
        .unwrap();
        (id, at_backup, live_item_names(&reg))
    };
    let pristine = tmp.path().join("pristine.sqlite");
    std::fs::copy(registry.join("registry.sqlite"), &pristine).unwrap();
    eprintln!(
        "base database: {} MB",
        std::fs::metadata(&pristine).unwrap().len() >> 20
    );

    let mut block = vec![0u8; 4 << 20];
    let mut n = 0x2545_F491u32;
    for b in block.iter_mut() {
        n ^= n << 13;
        n ^= n >> 17;
        n ^= n << 5;
        *b = n as u8;
    }
    let media: Vec<PathBuf> = (0..MEDIA_FILES)
        .map(|i| {
            let len = MEDIA_MIN + (i * 7919 * 4099) % (MEDIA_MAX - MEDIA_MIN);
            let (name, bytes) = if i % 2 == 0 {
                (format!("照片{i:02}.jpg"), jpeg(i as u32, len, &block))
            } else {
                (format!("录音{i:02}.wav"), wav(i as u32, len, &block))
            };
            let p = inputs.join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        })
        .collect();
    // The list to import: a published-list layout, every row fictional and labelled 示例.
    let list = inputs.join("示例名录表.csv");
    let mut csv = String::from("序号,项目名称,类别,申报地区或单位\n");
    for i in 1..=LIST_ROWS {
        csv.push_str(&format!("{i},{LIST_PREFIX}{i:04},传统手工技艺,运河街道\n"));
    }
    std::fs::write(&list, csv).unwrap();

    // The package: another PC's copy of the base that added items and media since.
    let other = tmp.path().join("other-pc");
    copy_dir(&registry, &other);
    {
        let mut reg = Registry::open(&other, system_clock()).unwrap();
        for i in 0..PACKAGE_ITEMS {
            reg.item_save(ItemInput {
                name: format!("{PACKAGE_PREFIX}{i:03}"),
                category: "Ⅱ".into(),
                texts: feiyi_core::model::ItemTexts {
                    summary: Some(text.chars().take(400).collect()),
                    ..Default::default()
                },
                ..Default::default()
            })
            .unwrap();
        }
    }
    let feiyi = |args: &[&OsStr]| {
        let out = Command::new(env!("CARGO_BIN_EXE_feiyi"))
            .arg("--data-dir")
            .arg(&other)
            .args(args)
            .env_remove("FEIYI_DATA_DIR")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let mut import: Vec<&OsStr> = vec![OsStr::new("media"), OsStr::new("import")];
    import.extend(media.iter().take(PACKAGE_MEDIA).map(|p| p.as_os_str()));
    feiyi(&import);
    let package = inputs.join("交换包.zip");
    feiyi(&[
        OsStr::new("exchange"),
        OsStr::new("export"),
        OsStr::new("--all"),
        OsStr::new("--out"),
        package.as_os_str(),
    ]);

    Base {
        _tmp: tmp,
        registry,
        list,
        package,
        media,
        item,
        with_backup,
        backup_id,
        names_at_backup,
        names_after_backup,
        pristine,
        tables,
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

// -------------------------------------------------------------------- runner

/// Runs `op` on a fresh copy of the base, killing it after `kill_after` (never, if
/// `None`); returns the copy's folder, whether it completed by itself, and how long it ran.
fn run(op: &Operation, kill_after: Option<Duration>) -> (tempfile::TempDir, bool) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("registry");
    copy_dir(&op.from, &dir);
    let mut child = Command::new(env!("CARGO_BIN_EXE_feiyi"))
        .arg("--data-dir")
        .arg(&dir)
        .args(&op.args)
        .env_remove("FEIYI_DATA_DIR")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let completed = match kill_after {
        None => {
            let status = child.wait().unwrap();
            assert!(status.success(), "{}: {status}", op.name);
            true
        }
        Some(after) => {
            std::thread::sleep(after);
            let done = child.try_wait().unwrap();
            child.kill().unwrap(); // SIGKILL; harmless when it has exited
            child.wait().unwrap();
            match done {
                Some(s) => {
                    assert!(s.success(), "{}: {s}", op.name);
                    true
                }
                None => false,
            }
        }
    };
    (tmp, completed)
}

/// Opens the registry a run left (recovering it), checks it, and returns what the open
/// had to clear.
fn reopen_and_check(
    base: &Base,
    op: &Operation,
    dir: &Path,
    completed: bool,
    at: String,
) -> Recovery {
    // The first open after the run: it recovers what the kill left.
    let reg = Registry::open(dir, system_clock()).unwrap();
    let media: i64 = reg
        .connection()
        .query_row("SELECT count(*) FROM media", [], |r| r.get(0))
        .unwrap();
    eprintln!(
        "{at}: completed {completed}, {media} media records, recovered {:?}",
        reg.recovered_on_open()
    );
    let r = Reopened {
        base,
        dir,
        reg: &reg,
        completed,
        at,
    };
    check_common(&r, op.keeps_base_rows);
    (op.check)(&r);
    let at = r.at;
    let recovered = reg.recovered_on_open().clone();
    drop(reg);
    // A second open finds nothing left to clear.
    let again = Registry::open(dir, system_clock()).unwrap();
    assert!(
        again.recovered_on_open().is_empty(),
        "{at}: {:?}",
        again.recovered_on_open()
    );
    recovered
}

#[cfg(unix)]
#[test]
fn sigkill_at_any_point_leaves_a_registry_that_opens_whole() {
    let started = Instant::now();
    let base = build_base();
    eprintln!("base built in {:.1?}", started.elapsed());
    for op in operations(&base) {
        let t = Instant::now();
        let (copy, completed) = run(&op, None);
        let d = t.elapsed();
        let clean = reopen_and_check(
            &base,
            &op,
            &copy.path().join("registry"),
            completed,
            format!("{} (complete)", op.name),
        );
        assert!(
            clean.is_empty(),
            "{}: a complete run leaves nothing",
            op.name
        );
        let (mut interrupted, mut recovered) = (0, 0);
        for k in 0..op.kills {
            // Deterministic offsets over [0, 1.2·D].
            let at = d.mul_f64(1.2 * k as f64 / (op.kills - 1) as f64);
            let (copy, completed) = run(&op, Some(at));
            if !completed {
                interrupted += 1;
            }
            let label = format!("{} killed at {:.0?} of {:.0?}", op.name, at, d);
            let rec = reopen_and_check(&base, &op, &copy.path().join("registry"), completed, label);
            if !rec.is_empty() {
                recovered += 1;
            }
        }
        eprintln!(
            "{}: D = {d:.1?}, {} kill points, {interrupted} interrupted mid-run, \
             {recovered} left something the open cleared, {:.1?} in all",
            op.name,
            op.kills,
            t.elapsed()
        );
        assert!(interrupted > 0, "{}: no kill landed mid-run", op.name);
    }
    eprintln!("kill harness: {:.1?} in all", started.elapsed());
}

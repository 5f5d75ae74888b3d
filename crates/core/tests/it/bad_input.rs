//! The bad-input corpus (`tests/corpus/`, described file by file in its README.md): each
//! input is fed the way a clerk would feed it and must be refused with a clear Chinese
//! message naming the file or field, changing nothing. Spreadsheets and exchange packages
//! have their own corpora with those features.
//!
//! Related, not repeated here: `registry.rs` refuses generated foreign/newer/junk files,
//! `media.rs` refuses broken, mislabelled and unfinished media of every kind, `people.rs`
//! checks identity-number rules one by one.

use crate::support::{clock, dump_tables, sample};
use feiyi_core::media::store;
use feiyi_core::model::*;
use feiyi_core::{Error, Registry};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

/// What must happen to one corpus file.
#[derive(Debug, Clone, Copy)]
enum Expect {
    /// Opened as `registry.sqlite`: refused with this code and message, bytes unchanged.
    Open {
        code: &'static str,
        says: &'static str,
    },
    /// Imported as media: refused by name with these words, no row, no file.
    Media { says: &'static str },
    /// A table of form inputs (`values/cases.json`), each refused on its field.
    Values,
}

/// Every file of the corpus and what must happen to it.
const TABLE: &[(&str, Expect)] = &[
    (
        "registry/foreign.sqlite",
        Expect::Open {
            code: "foreign_file",
            says: "不是非遗名录的数据文件",
        },
    ),
    (
        "registry/newer.sqlite",
        Expect::Open {
            code: "newer_version",
            says: "由更新版本的非遗名录写入（数据版本 99",
        },
    ),
    (
        "registry/empty.sqlite",
        Expect::Open {
            code: "not_a_database",
            says: "不是有效的数据库文件",
        },
    ),
    (
        "registry/junk.sqlite",
        Expect::Open {
            code: "not_a_database",
            says: "不是有效的数据库文件",
        },
    ),
    (
        "media/truncated.jpg",
        Expect::Media {
            says: "不是完整的 JPEG",
        },
    ),
    ("media/empty.jpg", Expect::Media { says: "空文件" }),
    (
        "media/text.jpg",
        Expect::Media {
            says: "无法识别"
        },
    ),
    ("values/cases.json", Expect::Values),
];

/// Made at test time (too big to commit): a JPEG's first bytes, then 100 MB of nothing.
const HUGE: &str = "huge.jpg";
const HUGE_LEN: u64 = 100 << 20;
const HUGE_SAYS: &str = "不是完整的 JPEG";

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus")
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    store::walk(dir, &mut out).unwrap();
    out.sort();
    out
}

#[test]
fn every_corpus_file_is_in_the_table_and_in_the_readme() {
    let root = corpus();
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let listed: Vec<&str> = TABLE.iter().map(|(p, _)| *p).collect();
    for file in files_under(&root) {
        let rel = file
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        // Spreadsheets (import/) and fuzz findings (fuzz/) have their own README and
        // tests: tests/it/import.rs and feiyi-intake's regression test.
        if rel == "README.md" || rel.starts_with("import/") || rel.starts_with("fuzz/") {
            continue;
        }
        assert!(listed.contains(&rel.as_str()), "{rel} is not in TABLE");
        assert!(
            readme.contains(&format!("`{rel}`")),
            "{rel} is not in README.md"
        );
    }
    assert!(readme.contains(&format!("`{HUGE}`")));
    for (p, _) in TABLE {
        assert!(root.join(p).is_file(), "{p} is missing");
    }
}

#[test]
fn registry_files_are_refused_with_their_code_and_left_byte_for_byte() {
    for (path, expect) in TABLE {
        let Expect::Open { code, says } = *expect else {
            continue;
        };
        let bytes = std::fs::read(corpus().join(path)).unwrap();
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join(feiyi_core::api::DB_FILE);
        std::fs::write(&db, &bytes).unwrap();
        let err = Registry::open(dir.path(), clock()).unwrap_err();
        assert_eq!(err.code(), code, "{path}: {err:?}");
        let msg = err.to_string();
        assert!(msg.contains(says), "{path}: {msg}");
        assert!(
            msg.contains("registry.sqlite"),
            "{path}: names the file: {msg}"
        );
        assert!(msg.contains("未做任何改动"), "{path}: {msg}");
        assert_eq!(std::fs::read(&db).unwrap(), bytes, "{path}: bytes changed");
        let left: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(left.len(), 1, "{path}: nothing else made: {left:?}");
        // The shells' other door: open-or-create must not create over it either.
        let err = Registry::open_or_create(dir.path(), RegistryKind::Real, clock()).unwrap_err();
        assert_eq!(err.code(), code, "{path}");
        assert_eq!(std::fs::read(&db).unwrap(), bytes, "{path}");
    }
}

#[test]
fn bad_media_files_are_refused_by_name_and_leave_no_row_and_no_file() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("registry");
    let mut reg = Registry::create(&root, RegistryKind::Sample, clock()).unwrap();
    let mut cases: Vec<(PathBuf, &str)> = TABLE
        .iter()
        .filter_map(|(p, e)| match e {
            Expect::Media { says } => Some((corpus().join(p), *says)),
            _ => None,
        })
        .collect();
    let huge = tmp.path().join(HUGE);
    {
        let mut f = std::fs::File::create(&huge).unwrap();
        std::io::Write::write_all(&mut f, &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10]).unwrap();
        f.set_len(HUGE_LEN).unwrap(); // sparse: the rest reads as zeros
    }
    cases.push((huge, HUGE_SAYS));
    let before = dump_tables(&reg);
    let files: Vec<PathBuf> = cases.iter().map(|(p, _)| p.clone()).collect();
    let report = reg
        .media_import(&files, None, &|_| {}, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(report.failed as usize, cases.len(), "{report:#?}");
    for (out, (path, says)) in report.outcomes.iter().zip(&cases) {
        let name = path.file_name().unwrap().to_string_lossy();
        assert_eq!(out.status, MediaImportStatus::Failed, "{name}");
        assert!(out.media_id.is_none());
        let msg = out.message.as_deref().unwrap();
        assert!(msg.contains(&format!("“{name}”")), "names the file: {msg}");
        assert!(msg.contains(says), "{name}: {msg}");
    }
    assert_eq!(dump_tables(&reg), before, "no row, no log entry");
    for sub in ["media/originals", "media/tmp", "media/derived"] {
        assert!(files_under(&root.join(sub)).is_empty(), "{sub}");
    }
}

#[test]
fn bad_values_are_refused_on_their_field_in_chinese_and_change_nothing() {
    let (path, _) = TABLE
        .iter()
        .find(|(_, e)| matches!(e, Expect::Values))
        .unwrap();
    let cases: Vec<serde_json::Value> =
        serde_json::from_str(&std::fs::read_to_string(corpus().join(path)).unwrap()).unwrap();
    assert!(cases.len() >= 14);
    let mut reg = sample();
    let before = dump_tables(&reg);
    for case in &cases {
        let kind = case["kind"].as_str().unwrap();
        let field = case["field"].as_str().unwrap();
        let says = case["says"].as_str().unwrap();
        let input = case["input"].clone();
        let result: Result<(), Error> = match kind {
            "inheritor" => reg
                .inheritor_save(serde_json::from_value(input).unwrap())
                .map(drop),
            "item" => reg
                .item_save(serde_json::from_value(input).unwrap())
                .map(drop),
            "batch" => reg
                .batch_save(serde_json::from_value(input).unwrap())
                .map(drop),
            other => panic!("unknown kind {other}"),
        };
        let err = result.expect_err(&format!("{case}"));
        assert_eq!(err.code(), "validation", "{case}: {err:?}");
        let hit = err
            .fields()
            .iter()
            .find(|f| f.field == field)
            .unwrap_or_else(|| panic!("{case}: no error on {field}: {err:?}"));
        assert!(hit.message.contains(says), "{case}: {}", hit.message);
        assert!(
            hit.message
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{case}: Chinese: {}",
            hit.message
        );
        assert_eq!(dump_tables(&reg), before, "{case}: changed the registry");
    }
}

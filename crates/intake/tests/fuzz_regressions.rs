//! Replays the inputs `cargo fuzz` found or generated (`tests/corpus/fuzz/<target>/*`,
//! see its README.md) through the same call as the fuzz target named by the folder, so
//! that a fixed crash stays fixed. Each must return, `Ok` or `Err`, without a panic
//! escaping the reader.
#![allow(clippy::unwrap_used, clippy::print_stdout, missing_docs)]

use std::path::{Path, PathBuf};

/// The names `fuzz/fuzz_targets/sheet_any.rs` picks from with the first byte.
const ANY_NAMES: [&str; 6] = [
    "list.xlsx",
    "list.xls",
    "list.ods",
    "list.csv",
    "list.txt",
    "list.tsv",
];

fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/corpus/fuzz")
}

/// The body of the fuzz target `target`, on `data`, summed up; `None` for an unknown target.
fn replay(target: &str, data: &[u8]) -> Option<String> {
    use feiyi_intake::{archive, sheet, IntakeError};
    let outcome = |r: Result<String, IntakeError>| match r {
        Ok(s) => s,
        Err(e) => {
            assert!(!e.0.is_empty(), "an error without a message");
            format!("Err({})", e.0)
        }
    };
    let book = |r: feiyi_intake::Result<sheet::Workbook>| {
        outcome(r.map(|w| format!("Ok({}, {} sheets)", w.format, w.sheets.len())))
    };
    Some(match target {
        "sheet_xlsx" => book(sheet::read_bytes(data, "list.xlsx")),
        "sheet_csv" => book(sheet::read_bytes(data, "list.csv")),
        "sheet_any" => match data.split_first() {
            None => "empty".into(),
            Some((&pick, rest)) => book(sheet::read_bytes(
                rest,
                ANY_NAMES[pick as usize % ANY_NAMES.len()],
            )),
        },
        "archive" => outcome(archive::open_bytes(data).map(|mut a| {
            let names: Vec<String> = a.entries().iter().map(|e| e.name.clone()).collect();
            let read = names.iter().filter(|n| a.read(n, 1 << 20).is_ok()).count();
            format!("Ok({} entries, {read} read)", names.len())
        })),
        _ => return None,
    })
}

#[test]
fn every_fuzz_finding_returns_without_panicking() {
    let root = corpus();
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    let mut count = 0;
    for dir in dirs {
        let target = dir.file_name().unwrap().to_string_lossy().into_owned();
        let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.is_file())
            .collect();
        files.sort();
        for file in files {
            let data = std::fs::read(&file).unwrap();
            let started = std::time::Instant::now();
            let outcome = replay(&target, &data)
                .unwrap_or_else(|| panic!("{}: no fuzz target called {target}", file.display()));
            let shown: String = outcome.chars().take(100).collect();
            println!(
                "{target}/{} ({} bytes, {:?}): {shown}",
                file.file_name().unwrap().to_string_lossy(),
                data.len(),
                started.elapsed()
            );
            count += 1;
        }
    }
    assert!(count > 0, "no inputs under {}", root.display());
}

//! The first byte picks the file name's extension (xlsx/xls/ods/csv/txt, plus tsv for
//! the delimiter rule), the rest is the content.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common/mod.rs"]
mod common;

/// The names the first byte chooses from (`byte % 6`).
const NAMES: [&str; 6] = [
    "list.xlsx",
    "list.xls",
    "list.ods",
    "list.csv",
    "list.txt",
    "list.tsv",
];

fuzz_target!(init: common::init(), |data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let name = NAMES[pick as usize % NAMES.len()];
    common::run(|| feiyi_intake::sheet::read_bytes(rest, name));
});

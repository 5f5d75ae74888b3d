//! Any bytes, read as a spreadsheet called `list.csv` (the format is still sniffed from
//! the content, so this mostly exercises encoding detection and the CSV/TSV reader).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common/mod.rs"]
mod common;

fuzz_target!(init: common::init(), |data: &[u8]| {
    common::run(|| feiyi_intake::sheet::read_bytes(data, "list.csv"));
});

//! Any bytes, read as a spreadsheet called `list.xlsx`: every input must give a workbook
//! or an `IntakeError`, never an abort, a stack overflow, a hang or unbounded memory.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common/mod.rs"]
mod common;

fuzz_target!(init: common::init(), |data: &[u8]| {
    common::run(|| feiyi_intake::sheet::read_bytes(data, "list.xlsx"));
});

//! Any bytes, opened as an exchange package: the central directory is checked, then every
//! entry is read with a cap of 1 MiB. Must never panic (nothing here is under
//! `catch_unwind`, so any panic is a crash).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common/mod.rs"]
mod common;

fuzz_target!(init: common::init(), |data: &[u8]| {
    common::run(|| {
        if let Ok(mut archive) = feiyi_intake::archive::open_bytes(data) {
            let names: Vec<String> = archive.entries().iter().map(|e| e.name.clone()).collect();
            for name in names {
                let _ = archive.read(&name, 1 << 20);
            }
        }
    });
});

//! Media import benchmark (a bench binary, not a test): generates a folder of
//! 12-megapixel camera-like JPEGs, then measures
//!   1. thumbnails alone (scaled JPEG decode + resize + encode), one thread, and
//!   2. a whole import (hash, check, copy, metadata, thumbnail, record) on every core.
//!
//! Run: `cargo bench -p feiyi-core --bench media_import` (release build).
//! `FEIYI_BENCH_IMAGES=N` sets the number of photos (default 24).

#![allow(missing_docs, clippy::unwrap_used, clippy::print_stdout)]

use feiyi_core::media::{thumbs, Format};
use feiyi_core::model::RegistryKind;
use feiyi_core::{system_clock, Registry};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

mod common;
use common::{machine, photo, HEIGHT, WIDTH};

fn main() {
    let n: u32 = std::env::var("FEIYI_BENCH_IMAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("usb");
    std::fs::create_dir_all(&src).unwrap();
    println!("machine: {}", machine());
    print!("generating {n} photos of {WIDTH}×{HEIGHT} … ");
    let t = Instant::now();
    let mut bytes = 0u64;
    let files: Vec<_> = (0..n)
        .map(|i| {
            let data = photo(i);
            bytes += data.len() as u64;
            let p = src.join(format!("IMG_{:04}.JPG", i + 1));
            std::fs::write(&p, data).unwrap();
            p
        })
        .collect();
    println!(
        "{:.1} s, {:.1} MB in all ({:.1} MB each)",
        t.elapsed().as_secs_f64(),
        bytes as f64 / 1e6,
        bytes as f64 / 1e6 / f64::from(n)
    );

    let t = Instant::now();
    for f in &files {
        let thumb = thumbs::render(f, Format::Jpeg, None, thumbs::THUMB_EDGE).unwrap();
        assert!(!thumb.is_empty());
    }
    let per = t.elapsed().as_secs_f64() * 1000.0 / f64::from(n);
    println!(
        "thumbnails alone, one thread: {per:.0} ms per photo ({:.1} photos/s)",
        1000.0 / per
    );

    let reg_dir = dir.path().join("registry");
    let mut reg = Registry::open_or_create(&reg_dir, RegistryKind::Real, system_clock()).unwrap();
    let t = Instant::now();
    let report = reg
        .media_import(
            std::slice::from_ref(&src),
            None,
            &|_| {},
            &AtomicBool::new(false),
        )
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    assert_eq!(report.imported, i64::from(n), "{report:#?}");
    println!(
        "import on every core: {:.1} photos/s, {:.0} MB/s ({} photos in {secs:.1} s; hash, check, copy with fsync, EXIF, thumbnail, record)",
        f64::from(n) / secs,
        bytes as f64 / 1e6 / secs,
        n
    );
}

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
use image::codecs::jpeg::JpegEncoder;
use image::{ImageBuffer, Rgb};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

const WIDTH: u32 = 4000;
const HEIGHT: u32 = 3000;

/// A camera-like picture: smooth gradients with fine texture (so it compresses like a
/// photo, a few MB at quality 92), different for each seed.
fn photo(seed: u32) -> Vec<u8> {
    let img = ImageBuffer::from_fn(WIDTH, HEIGHT, |x, y| {
        let n = (x.wrapping_mul(2_654_435_761) ^ y.wrapping_mul(40_503) ^ seed.wrapping_mul(97))
            .rotate_left(7)
            % 23;
        let r = ((x / 16 + seed * 13) % 256) as u8;
        let g = ((y / 12 + seed * 29) % 256) as u8;
        let b = (((x + y) / 24 + seed * 7) % 256) as u8;
        Rgb([
            r.saturating_add(n as u8),
            g.saturating_add((n / 2) as u8),
            b.saturating_sub((n / 3) as u8),
        ])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, 92)
        .encode_image(&img)
        .unwrap();
    out
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|s| s.trim().to_string())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    format!("{cpu}, {cores} cores, {}", std::env::consts::OS)
}

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

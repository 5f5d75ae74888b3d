//! Shared by the bench binaries: camera-like photos and a line naming the machine.

#![allow(dead_code)]

use image::codecs::jpeg::JpegEncoder;
use image::{ImageBuffer, Rgb};

pub const WIDTH: u32 = 4000;
pub const HEIGHT: u32 = 3000;

/// A camera-like picture: smooth gradients with fine texture (so it compresses like a
/// photo, a few MB at quality 92), different for each seed.
pub fn photo(seed: u32) -> Vec<u8> {
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

pub fn machine() -> String {
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

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

/// `~/.cache/feiyi/bench` (or `$XDG_CACHE_HOME/feiyi/bench`): generated registries, photos
/// and the big file live here between runs, so a second run does not make them again.
pub fn cache_dir() -> std::path::PathBuf {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::Path::new(&h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("feiyi").join("bench")
}

/// The machine in one line for a results file: CPU model (`lscpu`), cores, RAM, and the
/// disk the cache lives on (size, rotational or not as the kernel reports it).
pub fn machine_long() -> String {
    let lscpu = std::process::Command::new("lscpu")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    let field = |name: &str| {
        lscpu
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .and_then(|l| l.split(':').nth(1))
            .map(|s| s.trim().to_string())
    };
    let model = field("Model name:").unwrap_or_else(|| "unknown CPU".into());
    let cpus = field("CPU(s):").unwrap_or_else(|| "?".into());
    let ram_gb = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or_else(|| "?".into(), |kb| format!("{:.0}", kb / 1024.0 / 1024.0));
    let disk = std::process::Command::new("lsblk")
        .args(["-d", "-n", "-o", "NAME,SIZE,ROTA,TYPE"])
        .output()
        .map(|o| {
            String::from_utf8_lossy(&o.stdout)
                .lines()
                .filter(|l| l.contains("disk") && !l.starts_with("zram"))
                .map(|l| {
                    let f: Vec<&str> = l.split_whitespace().collect();
                    let kind = if f.get(2) == Some(&"1") {
                        "rotational or virtual (kernel: ROTA=1)"
                    } else {
                        "SSD"
                    };
                    format!(
                        "{} {} {kind}",
                        f.first().unwrap_or(&"?"),
                        f.get(1).unwrap_or(&"?")
                    )
                })
                .collect::<Vec<_>>()
                .join(", ")
        })
        .unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|s| s.split_whitespace().next().map(str::to_string))
        .unwrap_or_default();
    format!(
        "{model}, {cpus} CPUs, {ram_gb} GB RAM, disk {disk}, {} (load {load} at start)",
        std::env::consts::OS
    )
}

/// Sorted durations in milliseconds, with the median and the 95th percentile.
pub struct Sample {
    /// Every run, sorted, in ms.
    pub ms: Vec<f64>,
}

impl Sample {
    /// Runs `f` at least `min_runs` times and at most `max_runs`, stopping after
    /// `budget_s` seconds once `min_runs` are done.
    pub fn measure(min_runs: usize, max_runs: usize, budget_s: f64, mut f: impl FnMut()) -> Sample {
        let start = std::time::Instant::now();
        let mut ms = Vec::new();
        while ms.len() < max_runs
            && (ms.len() < min_runs || start.elapsed().as_secs_f64() < budget_s)
        {
            let t = std::time::Instant::now();
            f();
            ms.push(t.elapsed().as_secs_f64() * 1000.0);
        }
        ms.sort_by(f64::total_cmp);
        Sample { ms }
    }

    /// The median.
    pub fn median(&self) -> f64 {
        self.quantile(0.5)
    }

    /// The 95th percentile (nearest rank).
    pub fn p95(&self) -> f64 {
        self.quantile(0.95)
    }

    fn quantile(&self, q: f64) -> f64 {
        if self.ms.is_empty() {
            return f64::NAN;
        }
        let rank = ((q * self.ms.len() as f64).ceil() as usize).clamp(1, self.ms.len());
        self.ms[rank - 1]
    }
}

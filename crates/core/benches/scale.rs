//! The scale benchmark (issue 8; a bench binary, never part of `cargo test`): for registries
//! of N items it measures open, the register's list with filters and paging, search while
//! typing (and a plain `LIKE '%…%'` scan of the same database for comparison), statistics,
//! reminders, exchange-package export and import, and the application package; once per run
//! it measures media (thumbnails and import against ImageMagick and a full `image` decode,
//! SHA-256 of a 4 GiB file against `sha256sum` with peak memory, importing that file as a
//! video) and PDF forms against LibreOffice. Results are printed and written as Markdown to
//! `bench/results-<date>.md` and `bench/latest.md` at the repository root.
//!
//! Run: `./feiyi.sh bench [--items 1000,100000] [--quick]`, or
//! `cargo bench -p feiyi-core --bench scale -- [flags]`. Flags:
//!   --items N,M        registry sizes (default 1000,100000)
//!   --quick            1000 items only, and no 4 GiB file
//!   --seed S           generator seed (default 8)
//!   --no-media         skip the media and PDF comparisons
//!   --no-big-file      skip the 4 GiB hashing and video import
//!   --delete-big-file  remove the cached 4 GiB file at the end
//!   --out DIR          where the Markdown goes (default `<repo>/bench`)
//!   --registry N=DIR   use the registry in DIR (read-only, copied) for size N instead of
//!                      generating one (e.g. one made earlier by `feiyi sample --scale N`)
//!   --no-exchange      skip the exchange-package export and import
//!   --no-cold-start    (read by feiyi.sh) do not build the desktop app; without
//!                      `FEIYI_DESKTOP_BIN` cold start is skipped with a note
//!
//! Registries are made once by [`registry_of`] (the scale generator, `feiyi_core::synth`)
//! and cached under `~/.cache/feiyi/bench/<n>-<seed>-g<generator version>/`; every run works on a copy, so the cache is never
//! written to. All data is synthetic, in a Sample-kind registry (示例), names
//! `示例项目000123·…`.

#![allow(missing_docs, clippy::unwrap_used, clippy::print_stdout)]

mod common;

use common::{cache_dir, machine_long, photo, Sample};
use feiyi_core::application::forms::{application_form, FormInput};
use feiyi_core::media::{store, thumbs, Format};
use feiyi_core::model::*;
use feiyi_core::{system_clock, Registry};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

// ------------------------------------------------------------------ options

struct Options {
    items: Vec<usize>,
    seed: u64,
    media: bool,
    big_file: bool,
    delete_big_file: bool,
    /// Measure the exchange packages (`--no-exchange` skips them: at 100,000 items they take
    /// most of the run).
    exchange: bool,
    out: PathBuf,
    /// Registries given with `--registry N=DIR` instead of generated ones.
    given: Vec<(usize, PathBuf)>,
}

fn options() -> Options {
    let mut o = Options {
        items: vec![1_000, 100_000],
        seed: 8,
        media: true,
        big_file: true,
        delete_big_file: false,
        exchange: true,
        out: Path::new(env!("CARGO_MANIFEST_DIR")).join("../../bench"),
        given: Vec::new(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--items" => {
                o.items = args
                    .next()
                    .expect("--items 1000,100000")
                    .split(',')
                    .map(|s| s.trim().replace('_', "").parse().expect("--items: numbers"))
                    .collect();
            }
            "--quick" => {
                o.items = vec![1_000];
                o.big_file = false;
            }
            "--seed" => o.seed = args.next().and_then(|s| s.parse().ok()).expect("--seed N"),
            "--no-media" => o.media = false,
            "--no-big-file" => o.big_file = false,
            "--delete-big-file" => o.delete_big_file = true,
            "--no-exchange" => o.exchange = false,
            "--out" => o.out = PathBuf::from(args.next().expect("--out DIR")),
            "--registry" => {
                let v = args.next().expect("--registry N=DIR");
                let (n, dir) = v.split_once('=').expect("--registry N=DIR");
                o.given.push((
                    n.replace('_', "").parse().expect("--registry N=DIR: N"),
                    PathBuf::from(dir),
                ));
            }
            // `cargo bench` passes `--bench`; filters are not supported.
            _ => {}
        }
    }
    o
}

// ------------------------------------------------------------------ results

struct Row {
    op: String,
    median: f64,
    p95: Option<f64>,
    runs: usize,
    target: String,
    met: Option<bool>,
}

#[derive(Default)]
struct Report {
    sections: Vec<(String, Vec<Row>)>,
    ratios: Vec<(String, String)>,
    notes: Vec<String>,
}

impl Report {
    fn section(&mut self, title: impl Into<String>) {
        let title = title.into();
        println!("\n## {title}");
        self.sections.push((title, Vec::new()));
    }

    fn row(&mut self, op: impl Into<String>, s: &Sample, p95: bool, target: Option<(f64, &str)>) {
        let op = op.into();
        let (target_text, met) = match target {
            Some((limit, text)) => {
                let v = if p95 { s.p95() } else { s.median() };
                (text.to_string(), Some(v < limit))
            }
            None => (String::new(), None),
        };
        println!(
            "{op:<48} median {:>9.2} ms{}  ({} runs) {}",
            s.median(),
            if p95 {
                format!("  p95 {:>9.2} ms", s.p95())
            } else {
                String::new()
            },
            s.ms.len(),
            match met {
                Some(true) => format!("✓ {target_text}"),
                Some(false) => format!("✗ {target_text}"),
                None => String::new(),
            }
        );
        self.sections.last_mut().unwrap().1.push(Row {
            op,
            median: s.median(),
            p95: p95.then(|| s.p95()),
            runs: s.ms.len(),
            target: target_text,
            met,
        });
    }

    fn ratio(&mut self, what: impl Into<String>, value: impl Into<String>) {
        let (what, value) = (what.into(), value.into());
        println!("{what}: {value}");
        self.ratios.push((what, value));
    }

    fn note(&mut self, n: impl Into<String>) {
        let n = n.into();
        println!("note: {n}");
        self.notes.push(n);
    }

    fn markdown(&self, header: &str) -> String {
        let mut md = String::new();
        md.push_str(header);
        for (title, rows) in &self.sections {
            let _ = writeln!(md, "\n### {title}\n");
            md.push_str("| operation | median | p95 | runs | target | met? |\n|---|---:|---:|---:|---|---|\n");
            for r in rows {
                let _ = writeln!(
                    md,
                    "| {} | {} | {} | {} | {} | {} |",
                    r.op,
                    fmt_ms(r.median),
                    r.p95.map(fmt_ms).unwrap_or_default(),
                    r.runs,
                    r.target,
                    match r.met {
                        Some(true) => "yes",
                        Some(false) => "**no**",
                        None => "",
                    }
                );
            }
        }
        if !self.ratios.is_empty() {
            md.push_str("\n### Comparisons\n\n| comparison | result |\n|---|---|\n");
            for (w, v) in &self.ratios {
                let _ = writeln!(md, "| {w} | {v} |");
            }
        }
        if !self.notes.is_empty() {
            md.push_str("\n### Notes\n\n");
            for n in &self.notes {
                let _ = writeln!(md, "- {n}");
            }
        }
        md
    }
}

fn fmt_ms(ms: f64) -> String {
    if ms >= 10_000.0 {
        format!("{:.1} s", ms / 1000.0)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else {
        format!("{ms:.2} ms")
    }
}

// ------------------------------------------------------------------ synthetic registry

/// A small deterministic generator (xorshift64*), for the content of the big file.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Self {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

/// The registry of `n` synthetic items, made once by the scale generator
/// ([`feiyi_core::synth::generate_registry`], the code behind `feiyi sample --scale`) and
/// cached under `~/.cache/feiyi/bench/<n>-<seed>-g<generator version>/registry`; returns its
/// folder (never written to by the suite, which works on copies). The generator version
/// is in the path, so a changed generator makes a new registry instead of reusing the old.
fn registry_of(n: usize, seed: u64, report: &mut Report) -> PathBuf {
    let home = cache_dir().join(format!(
        "{n}-{seed}-g{}",
        feiyi_core::synth::GENERATOR_VERSION
    ));
    let dir = home.join("registry");
    if home.join("done").exists() {
        return dir;
    }
    let building = home.join("building");
    let _ = std::fs::remove_dir_all(&building);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&home).unwrap();
    print!(
        "generating a registry of {n} items (seed {seed}, cached in {}) … ",
        home.display()
    );
    use std::io::Write;
    let _ = std::io::stdout().flush();
    let r = feiyi_core::synth::generate_registry(
        &building,
        &feiyi_core::synth::ScaleOptions { items: n, seed },
        system_clock(),
    )
    .unwrap();
    std::fs::rename(&building, &dir).unwrap();
    std::fs::write(home.join("done"), b"").unwrap();
    let secs = r.elapsed_ms as f64 / 1000.0;
    println!("{secs:.1} s");
    report.note(format!(
        "{n} items: generated in {secs:.1} s (`feiyi sample --scale {n} --seed {seed}`): {} inheritors, {} lineage edges, {} plans, {} activities, {} media rows; {:.0} MB on disk",
        r.inheritors,
        r.lineage_edges,
        r.plans,
        r.activities,
        r.media,
        dir_bytes(&dir) as f64 / 1e6
    ));
    dir
}

/// Bytes under a folder.
fn dir_bytes(dir: &Path) -> u64 {
    let mut total = 0;
    if let Ok(entries) = std::fs::read_dir(dir) {
        for e in entries.flatten() {
            match e.file_type() {
                Ok(t) if t.is_dir() => total += dir_bytes(&e.path()),
                _ => total += e.metadata().map(|m| m.len()).unwrap_or(0),
            }
        }
    }
    total
}

/// The search-while-typing queries, taken from the generated texts: for 1, 2, 3 and 6
/// characters the substring found in the most items of a 400-item sample (frequent) and
/// one found in only one of them (rare); pinyin initials and full pinyin of an item's name.
/// Returns (label, query).
fn queries_from(reg: &Registry) -> Vec<(String, String)> {
    use std::collections::{HashMap, HashSet};
    let mut stmt = reg
        .connection()
        .prepare(
            "SELECT coalesce(summary, '') || '|' || coalesce(history, '') || '|' || coalesce(content, '')
               FROM item ORDER BY id LIMIT 400",
        )
        .unwrap();
    let docs: Vec<Vec<char>> = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .map(|t| t.unwrap().chars().collect())
        .collect();
    let han = |c: &char| ('\u{4e00}'..='\u{9fff}').contains(c);
    let mut out = Vec::new();
    for k in [1usize, 2, 3, 6] {
        let mut df: HashMap<String, usize> = HashMap::new();
        for d in &docs {
            let mut seen = HashSet::new();
            for w in d.windows(k) {
                if w.iter().all(han) {
                    seen.insert(w.iter().collect::<String>());
                }
            }
            for g in seen {
                *df.entry(g).or_default() += 1;
            }
        }
        let mut by_df: Vec<(&String, &usize)> = df.iter().collect();
        by_df.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let (common, common_df) = by_df[0];
        // Rare: in exactly one sampled item (the least frequent there is), never "示例".
        let min = by_df.iter().map(|g| *g.1).min().unwrap();
        let rare = by_df
            .iter()
            .filter(|g| *g.1 == min && !g.0.contains('示'))
            .map(|g| g.0)
            .min()
            .unwrap();
        let n = docs.len();
        out.push((
            format!("{k} 字，常见（样本 {common_df}/{n} 项）"),
            common.clone(),
        ));
        out.push((format!("{k} 字，少见（样本 {min}/{n} 项）"), rare.clone()));
    }
    let name: String = reg
        .connection()
        .query_row(
            "SELECT name FROM item ORDER BY id LIMIT 1 OFFSET 37",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let tail = name.split('·').nth(1).unwrap_or(&name).to_string();
    let (_, initials) = feiyi_core::search::pinyin_keys(&tail);
    out.push((format!("拼音首字母（{tail}）"), initials));
    let place: String = tail.chars().take(2).collect();
    let (place_py, _) = feiyi_core::search::pinyin_keys(&place);
    out.push((format!("全拼（{place}）"), place_py));
    out
}

/// Copies a registry folder (database and media) so the suite never writes to the cache.
fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).unwrap();
        }
    }
}

// ------------------------------------------------------------------ the suite per N

fn suite(n: usize, o: &Options, report: &mut Report, photos: &[PathBuf], pdf_done: &mut bool) {
    let cached = match o.given.iter().find(|g| g.0 == n) {
        Some((_, given)) => {
            report.note(format!(
                "{n} items: registry given with --registry ({}), not generated by this run's generator",
                given.display()
            ));
            given.clone()
        }
        None => registry_of(n, o.seed, report),
    };
    let work = tempfile::tempdir().unwrap();
    let dir = work.path().join("registry");
    copy_dir(&cached, &dir);
    let big = n >= 100_000;
    report.section(format!("{n} items"));

    // open
    let s = Sample::measure(10, 10, 1e9, || {
        let r = Registry::open(&dir, system_clock()).unwrap();
        drop(r);
    });
    report.row("open (`Registry::open`)", &s, false, None);

    let mut reg = Registry::open(&dir, system_clock()).unwrap();
    let total = reg.item_list(&ItemQuery::default()).unwrap().total;
    report.note(format!("{n} items: the registry holds {total} live items"));
    let batch = reg.batch_list(false).unwrap()[0].number;
    let township = feiyi_core::reference::townships().unwrap()[2].code.clone();

    // the register
    let list = |label: &str, q: ItemQuery, report: &mut Report, target: bool| {
        let s = Sample::measure(30, 200, 3.0, || {
            let p = reg.item_list(&q).unwrap();
            assert!(p.rows.len() <= 20);
        });
        report.row(
            format!("item list: {label}"),
            &s,
            true,
            target.then_some((100.0, "first page < 100 ms (p95)")),
        );
    };
    list("first page, no filter", ItemQuery::default(), report, true);
    list(
        "category Ⅷ",
        ItemQuery {
            category: Some("Ⅷ".into()),
            ..Default::default()
        },
        report,
        true,
    );
    list(
        &format!("batch {batch}"),
        ItemQuery {
            batch: Some(batch),
            ..Default::default()
        },
        report,
        true,
    );
    list(
        &format!("township {township}"),
        ItemQuery {
            township: Some(township.clone()),
            ..Default::default()
        },
        report,
        true,
    );
    list(
        "sorted by name",
        ItemQuery {
            sort: ItemSort::Name,
            ..Default::default()
        },
        report,
        true,
    );
    list(
        "page 50",
        ItemQuery {
            page: Some(50),
            ..Default::default()
        },
        report,
        false,
    );

    // search while typing
    for (label, q) in queries_from(&reg) {
        let (label, q) = (label.as_str(), q.as_str());
        let hits = reg.search(q, 20).unwrap().len();
        let first = reg
            .item_list(&ItemQuery {
                query: Some(q.into()),
                ..Default::default()
            })
            .unwrap();
        // Past `db::search::COUNT_CAP` matches the register says "more than".
        let page_total = if first.total_capped {
            format!("more than {}", first.total)
        } else {
            first.total.to_string()
        };
        let s = Sample::measure(50, 300, 4.0, || {
            reg.search(q, 20).unwrap();
        });
        report.row(
            format!("search `{q}` ({label}; {page_total} items match, {hits} shown)"),
            &s,
            true,
            big.then_some((30.0, "p95 < 30 ms")),
        );
        let s2 = Sample::measure(50, 300, 4.0, || {
            reg.item_list(&ItemQuery {
                query: Some(q.into()),
                ..Default::default()
            })
            .unwrap();
        });
        report.row(
            format!("register with query `{q}`, first page"),
            &s2,
            true,
            big.then_some((30.0, "p95 < 30 ms")),
        );
        let conn = reg.connection();
        let (plain_total, _) = feiyi_core::db::search::plain_like_scan(conn, q, 20).unwrap();
        let s3 = Sample::measure(if big { 3 } else { 20 }, 50, 4.0, || {
            feiyi_core::db::search::plain_like_scan(conn, q, 20).unwrap();
        });
        report.row(
            format!("plain `LIKE '%{q}%'` over name + texts ({plain_total} match)"),
            &s3,
            true,
            None,
        );
        report.ratio(
            format!("{n} items, `{q}` ({label}): plain LIKE scan ÷ register with query (medians)"),
            format!(
                "{:.1}× ({} vs {})",
                s3.median() / s2.median(),
                fmt_ms(s3.median()),
                fmt_ms(s2.median())
            ),
        );
    }

    // statistics and reminders
    let s = Sample::measure(5, 5, 1e9, || {
        reg.statistics(&StatsQuery::default()).unwrap();
    });
    report.row("statistics (`Registry::statistics`)", &s, false, None);
    let s = Sample::measure(5, 5, 1e9, || {
        reg.reminders().unwrap();
    });
    report.row("reminders (`Registry::reminders`)", &s, false, None);

    // exchange packages
    if o.exchange {
        exchange(n, &mut reg, work.path(), report);
    } else {
        report.note(format!(
            "{n} items: exchange packages not measured (--no-exchange)"
        ));
    }

    // application package with 10 photos
    let item = reg.item_list(&ItemQuery::default()).unwrap().rows[0]
        .id
        .clone();
    for (i, p) in photos.iter().take(10).enumerate() {
        let r = reg
            .media_import(
                std::slice::from_ref(p),
                Some(MediaLinkTarget {
                    entity: "item".into(),
                    id: item.clone(),
                    role: "照片".into(),
                }),
                &|_| {},
                &AtomicBool::new(false),
            )
            .unwrap();
        let id = r.outcomes[0].media_id.clone().unwrap();
        let mut d = reg.media_get(&id).unwrap().description;
        d.caption = Some(format!("示例照片{}", i + 1));
        d.caption_time = Some("2025年6月".into());
        d.caption_place = Some("示例地点".into());
        reg.media_describe(d).unwrap();
    }
    let out = work.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let opts = PackageOptions {
        out_dir: out.display().to_string(),
        zip: false,
        override_reason: Some("基准测试".into()),
        ..Default::default()
    };
    let first = reg.application_export(&item, &opts).unwrap();
    let s = Sample::measure(5, 5, 1e9, || {
        reg.application_export(&item, &opts).unwrap();
    });
    report.row(
        format!(
            "application package, 10 photos ({} files, after a first export)",
            first.files.len()
        ),
        &s,
        false,
        Some((2000.0, "< 2 s")),
    );

    // PDF of the 申报书 vs LibreOffice on the same DOCX (once per run)
    if o.media && !*pdf_done {
        *pdf_done = true;
        pdf_vs_libreoffice(&reg, &item, work.path(), report);
    }

    // cold start of the desktop app, on the suite's copy (closed first)
    drop(reg);
    cold_start(n, &dir, report);
}

/// Exchange-package export (all records, no media) and import into an empty registry.
fn exchange(n: usize, reg: &mut Registry, work: &Path, report: &mut Report) {
    let runs = if n >= 100_000 { 1 } else { 3 };
    let pkgs = work.join("pkgs");
    std::fs::create_dir_all(&pkgs).unwrap();
    let mut k = 0;
    let s = Sample::measure(runs, runs, 1e9, || {
        k += 1;
        reg.exchange_export(&ExchangeExportRequest {
            out: pkgs.join(format!("all-{k}.zip")).display().to_string(),
            since: None,
            include_media: Some(false),
        })
        .unwrap();
    });
    report.row("exchange package export (all, no media)", &s, false, None);
    let pkg = pkgs.join("all-1.zip");
    let mb = std::fs::metadata(&pkg).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    report.note(format!("{n} items: the exchange package is {mb:.1} MB"));
    let mut k = 0;
    let s = Sample::measure(runs, runs, 1e9, || {
        k += 1;
        let target = work.join(format!("empty-{k}"));
        let mut empty = Registry::create(&target, RegistryKind::Real, system_clock()).unwrap();
        // An empty Sample-kind registry (a sample package is refused by a real one), as
        // crates/core/tests/it/exchange.rs makes it.
        empty
            .connection()
            .execute(
                "UPDATE meta SET value = 'sample' WHERE key = 'registry_kind'",
                [],
            )
            .unwrap();
        let p = empty.exchange_import(&pkg, &[]).unwrap();
        assert!(!p.added.is_empty());
        drop(empty);
        let _ = std::fs::remove_dir_all(&target);
    });
    report.row(
        "exchange package import into an empty registry",
        &s,
        false,
        None,
    );
    for k in 1..=runs {
        let _ = std::fs::remove_file(pkgs.join(format!("all-{k}.zip")));
    }
}
/// Cold start of the desktop app to an interactive register: the release desktop binary
/// (`FEIYI_DESKTOP_BIN`, built by `./feiyi.sh bench` with the UI embedded) is started 5
/// times under `xvfb-run -a` with `FEIYI_DATA_DIR` on a copy of the cached registry; the
/// time is what the app itself logs once the register's first page with rows is rendered
/// (`[feiyi] first page rendered in N ms (rows R; page began at …)`, process start to rendered
/// rows, then the stages inside the page, noted for the median run); a second row gives the
/// time until every stand-in control had been replaced (`[feiyi] controls live in N ms`). The
/// suite's copy is used for all five, so runs after the first find the database in the page
/// cache (a warm-disk start, as on a PC that has run the app before).
///
/// The runs share a D-Bus session bus (`SessionBus`) where `dbus-daemon` is installed, as the
/// apps of a desktop session do, and one untimed start comes first. Without a bus, GLib forks
/// and execs `dbus-launch --autolaunch` several times during every start; and the first start
/// in a session has the bus start the accessibility services, which a desktop has running
/// from login. Both are noted in the report.
fn cold_start(n: usize, dir: &Path, report: &mut Report) {
    let Some(bin) = std::env::var_os("FEIYI_DESKTOP_BIN").map(PathBuf::from) else {
        report.note(format!(
            "{n} items: cold start not measured: FEIYI_DESKTOP_BIN is not set (`./feiyi.sh bench` builds the desktop app and sets it)"
        ));
        return;
    };
    if !bin.is_file() {
        report.note(format!(
            "{n} items: cold start not measured: no desktop binary at {}",
            bin.display()
        ));
        return;
    }
    if Command::new("xvfb-run").arg("--help").output().is_err() {
        report.note(format!(
            "{n} items: cold start not measured: xvfb-run is not installed"
        ));
        return;
    }
    let bus = SessionBus::start();
    let address = bus.as_ref().map(|b| b.address.as_str());
    match address {
        Some(_) => report.note(format!(
            "{n} items: the cold starts share a D-Bus session bus, as on a desktop; one untimed start came first (it starts the accessibility services)"
        )),
        None => report.note(format!(
            "{n} items: no dbus-daemon: the cold starts ran without a session bus (GLib's `dbus-launch` attempts are counted)"
        )),
    }
    if let Err(why) = start_once(&bin, dir, address) {
        report.note(format!("{n} items: the untimed first start failed: {why}"));
        return;
    }
    let mut ms = Vec::new();
    let mut wall = Vec::new();
    let mut live = Vec::new();
    let mut rows = 0;
    let mut runs = Vec::new();
    for run in 0..5 {
        match start_once(&bin, dir, address) {
            Ok(start) => {
                ms.push(start.app_ms);
                wall.push(start.wall_ms);
                live.extend(start.live_ms);
                rows = start.rows;
                runs.push(start);
            }
            Err(why) => {
                report.note(format!(
                    "{n} items: cold start run {} failed: {why}",
                    run + 1
                ));
                break;
            }
        }
    }
    if ms.is_empty() {
        return;
    }
    runs.sort_by(|a, b| a.app_ms.total_cmp(&b.app_ms));
    let median = &runs[runs.len() / 2];
    if !median.stages.is_empty() {
        report.note(format!(
            "{n} items: the median cold start ({:.0} ms) inside the page, ms since the webview began loading it: {}",
            median.app_ms, median.stages
        ));
    }
    ms.sort_by(f64::total_cmp);
    wall.sort_by(f64::total_cmp);
    let s = Sample { ms };
    report.row(
        format!("cold start to the register's first page ({rows} rows; from the app's log line)"),
        &s,
        true,
        Some((1000.0, "< 1 s")),
    );
    if !live.is_empty() {
        live.sort_by(f64::total_cmp);
        report.row(
            "cold start to the whole register live (filters, pager, header controls real; the app's `controls live` line)",
            &Sample { ms: live },
            true,
            None,
        );
    }
    let w = Sample { ms: wall };
    report.row(
        "cold start, wall time from spawning `xvfb-run` to the log line (includes Xvfb start)",
        &w,
        true,
        None,
    );
}

/// One cold start as the app logged it.
struct Start {
    /// Process start to the first page drawn, as logged.
    app_ms: f64,
    /// Spawning `xvfb-run` to reading the line.
    wall_ms: f64,
    /// Rows on the first page.
    rows: u64,
    /// Where the time went inside the page (`page began at P ms: script +a, …`), if logged.
    stages: String,
    /// Process start to every control of the register real and painted
    /// (`[feiyi] controls live in N ms`), if logged.
    live_ms: Option<f64>,
}

/// A private D-Bus session bus (`dbus-daemon --session`) for the cold starts; stopped on drop.
struct SessionBus {
    daemon: std::process::Child,
    /// What `DBUS_SESSION_BUS_ADDRESS` is set to for the app.
    address: String,
}

impl SessionBus {
    /// Starts the daemon, or None where it is not installed or gives no address.
    fn start() -> Option<Self> {
        use std::io::BufRead;
        let mut daemon = Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .ok()?;
        let mut line = String::new();
        let read = daemon
            .stdout
            .take()
            .map(|out| std::io::BufReader::new(out).read_line(&mut line));
        let address = line.trim().to_string();
        let bus = Self { daemon, address };
        match read {
            Some(Ok(_)) if !bus.address.is_empty() => Some(bus),
            _ => None,
        }
    }
}

impl Drop for SessionBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

/// Starts the desktop app once on `dir` (on the session bus at `bus`, if any) and waits (at
/// most 120 s) for its first-page log line, then (at most 10 s) for its `controls live` line.
/// The app and its virtual screen are one process group, ended together.
fn start_once(bin: &Path, dir: &Path, bus: Option<&str>) -> Result<Start, String> {
    use std::io::BufRead;
    use std::os::unix::process::CommandExt;
    let t = Instant::now();
    let mut command = Command::new("xvfb-run");
    if let Some(address) = bus {
        command.env("DBUS_SESSION_BUS_ADDRESS", address);
    }
    let mut child = command
        .arg("-a")
        .arg(bin)
        .env("FEIYI_DATA_DIR", dir)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .process_group(0)
        .spawn()
        .map_err(|e| format!("xvfb-run: {e}"))?;
    let pgid = child.id();
    let stderr = child.stderr.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr)
            .lines()
            .map_while(Result::ok)
        {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut deadline = Instant::now() + std::time::Duration::from_secs(120);
    let mut seen = Vec::new();
    // The first page's line, while the "controls live" line that follows it is awaited.
    let mut first: Option<Start> = None;
    let found = loop {
        if first.is_some() {
            // The controls follow the first page within a second or two.
            deadline = deadline.min(Instant::now() + std::time::Duration::from_secs(10));
        }
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => {
                if let Some(rest) = line.split("[feiyi] first page rendered in ").nth(1) {
                    let wall = t.elapsed().as_secs_f64() * 1000.0;
                    let app: f64 = rest
                        .split(' ')
                        .next()
                        .and_then(|v| v.parse().ok())
                        .unwrap_or(f64::NAN);
                    let after = rest.split("(rows ").nth(1).unwrap_or("");
                    let rows: u64 = after
                        .chars()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>()
                        .parse()
                        .unwrap_or(0);
                    let stages = after
                        .split_once("; ")
                        .map(|(_, s)| s.trim_end_matches(')').to_string())
                        .unwrap_or_default();
                    first = Some(Start {
                        app_ms: app,
                        wall_ms: wall,
                        rows,
                        stages,
                        live_ms: None,
                    });
                    continue;
                }
                if let Some(rest) = line.split("[feiyi] controls live in ").nth(1) {
                    let live = rest.split(' ').next().and_then(|v| v.parse().ok());
                    match first.take() {
                        Some(start) => {
                            break Ok(Start {
                                live_ms: live,
                                ..start
                            })
                        }
                        None => continue,
                    }
                }
                if seen.len() < 20 {
                    seen.push(line);
                }
            }
            // An app that logs no "controls live" line still has its first page counted.
            Err(_) => match first.take() {
                Some(start) => break Ok(start),
                None => {
                    break Err(format!(
                        "no first-page line within 120 s; stderr began: {}",
                        seen.join(" / ")
                    ))
                }
            },
        }
    };
    let _ = Command::new("kill")
        .args(["-TERM", "--", &format!("-{pgid}")])
        .status();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let _ = Command::new("kill")
        .args(["-KILL", "--", &format!("-{pgid}")])
        .status();
    let _ = child.wait();
    found
}

fn pdf_vs_libreoffice(reg: &Registry, item: &str, work: &Path, report: &mut Report) {
    let data = reg.application_data(item).unwrap();
    let name = reg.application_profiles().unwrap()[0].name.clone();
    let profile = reg.application_profile(&name).unwrap();
    let input = FormInput {
        data: &data,
        profile: &profile,
        inheritors: Vec::new(),
        units: Vec::new(),
        photos: Vec::new(),
        lineage_png: None,
        sample: true,
        date: "2026年11月29日".into(),
        attachments: Vec::new(),
    };
    let doc = application_form(&input);
    let docx = work.join("申报书.docx");
    std::fs::write(&docx, feiyi_core::export::docx::to_docx(&doc).unwrap()).unwrap();
    feiyi_core::export::pdf::to_pdf(&doc).unwrap(); // fonts parsed once
    let ours = Sample::measure(3, 3, 1e9, || {
        feiyi_core::export::pdf::to_pdf(&application_form(&input)).unwrap();
    });
    report.row(
        "申报书 → PDF (typst, fonts already loaded)",
        &ours,
        false,
        None,
    );
    let profile_dir = work.join("lo-profile");
    let lo = |out: &Path| {
        Command::new("libreoffice")
            .arg(format!(
                "-env:UserInstallation=file://{}",
                profile_dir.display()
            ))
            .args(["--headless", "--convert-to", "pdf", "--outdir"])
            .arg(out)
            .arg(&docx)
            .output()
    };
    match lo(&work.join("lo-warm")) {
        Ok(o) if o.status.success() => {
            let mut k = 0;
            let theirs = Sample::measure(3, 3, 1e9, || {
                k += 1;
                lo(&work.join(format!("lo-{k}"))).unwrap();
            });
            report.row(
                "the same DOCX → PDF by `libreoffice --headless --convert-to pdf` (process per file)",
                &theirs,
                false,
                None,
            );
            report.ratio(
                "PDF: LibreOffice ÷ ours (medians)",
                format!(
                    "{:.1}× ({} vs {})",
                    theirs.median() / ours.median(),
                    fmt_ms(theirs.median()),
                    fmt_ms(ours.median())
                ),
            );
        }
        Ok(o) => report.note(format!(
            "LibreOffice failed, PDF comparison skipped: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        )),
        Err(e) => report.note(format!("LibreOffice missing, PDF comparison skipped ({e})")),
    }
}

// ------------------------------------------------------------------ media, once

/// 12 camera-like 12-MP JPEGs, cached under `~/.cache/feiyi/bench/photos-12/`.
fn photos() -> Vec<PathBuf> {
    let dir = cache_dir().join("photos-12");
    std::fs::create_dir_all(&dir).unwrap();
    (0..12u32)
        .map(|i| {
            let p = dir.join(format!("IMG_{:04}.JPG", i + 1));
            if !p.exists() {
                let tmp = dir.join(format!(".IMG_{:04}.tmp", i + 1));
                std::fs::write(&tmp, photo(1000 + i)).unwrap();
                std::fs::rename(&tmp, &p).unwrap();
            }
            p
        })
        .collect()
}

fn per_second(count: usize, s: &Sample) -> f64 {
    count as f64 / (s.median() / 1000.0)
}

fn media(o: &Options, photos: &[PathBuf], report: &mut Report) {
    report.section("media (once per run)");
    let n = photos.len();
    let thumbs_s = Sample::measure(3, 3, 1e9, || {
        for f in photos {
            thumbs::render(f, Format::Jpeg, None, thumbs::THUMB_EDGE).unwrap();
        }
    });
    report.row(
        format!(
            "thumbnails alone, {n} 12-MP JPEGs, one thread ({:.1} images/s)",
            per_second(n, &thumbs_s)
        ),
        &thumbs_s,
        false,
        None,
    );
    let mut k = 0;
    let import_s = Sample::measure(3, 3, 1e9, || {
        k += 1;
        let dir = tempfile::tempdir().unwrap();
        let mut reg =
            Registry::create(&dir.path().join("r"), RegistryKind::Real, system_clock()).unwrap();
        let r = reg
            .media_import(photos, None, &|_| {}, &AtomicBool::new(false))
            .unwrap();
        assert_eq!(r.imported as usize, n);
    });
    report.row(
        format!(
            "media import, {n} 12-MP JPEGs, all cores ({:.1} images/s)",
            per_second(n, &import_s)
        ),
        &import_s,
        false,
        None,
    );
    let convert = std::env::var("FEIYI_BENCH_CONVERT").unwrap_or_else(|_| {
        // The distribution's ImageMagick itself, not a wrapper script earlier on PATH.
        if Path::new("/usr/bin/convert").exists() {
            "/usr/bin/convert".into()
        } else {
            "convert".into()
        }
    });
    let out = tempfile::tempdir().unwrap();
    let im_ok = Command::new(&convert).arg("-version").output().is_ok();
    if im_ok {
        let im = Sample::measure(3, 3, 1e9, || {
            for (i, f) in photos.iter().enumerate() {
                let st = Command::new(&convert)
                    .arg(f)
                    .args(["-thumbnail", "320x320"])
                    .arg(out.path().join(format!("{i}.jpg")))
                    .status()
                    .unwrap();
                assert!(st.success());
            }
        });
        report.row(
            format!(
                "ImageMagick `{convert} IN -thumbnail 320x320 OUT`, a process per file ({:.1} images/s)",
                per_second(n, &im)
            ),
            &im,
            false,
            None,
        );
        let r = im.median() / thumbs_s.median();
        report.ratio(
            "thumbnails: ImageMagick time ÷ ours (target ≥ 3×)",
            format!("{r:.1}× — {}", if r >= 3.0 { "met" } else { "**missed**" }),
        );
    } else {
        report.note("ImageMagick `convert` missing: thumbnail comparison skipped");
    }
    let full = Sample::measure(3, 3, 1e9, || {
        for f in photos {
            let img = image::open(f).unwrap();
            let t = img.thumbnail(320, 320);
            let mut buf = Vec::new();
            t.to_rgb8()
                .write_to(
                    &mut std::io::Cursor::new(&mut buf),
                    image::ImageFormat::Jpeg,
                )
                .unwrap();
        }
    });
    report.row(
        format!(
            "`image` crate: full decode + `thumbnail(320, 320)` + JPEG, one thread ({:.1} images/s)",
            per_second(n, &full)
        ),
        &full,
        false,
        None,
    );
    report.ratio(
        "thumbnails: full `image` decode time ÷ ours",
        format!("{:.1}×", full.median() / thumbs_s.median()),
    );

    if o.big_file {
        big_file(o, report);
    } else {
        report.note("4 GiB hashing and video import skipped (--quick or --no-big-file)");
    }
}

const BIG: u64 = 4 << 30;

/// A 4 GiB MP4-looking file (an `ftyp` box, then one 64-bit `mdat` box of pseudo-random
/// bytes — no sparse holes), cached under `~/.cache/feiyi/bench/big-4GiB.mp4`.
fn big_path() -> PathBuf {
    let p = cache_dir().join("big-4GiB.mp4");
    if p.metadata().ok().map(|m| m.len()) == Some(BIG) {
        return p;
    }
    print!("writing {} (4 GiB, once) … ", p.display());
    let t = Instant::now();
    std::fs::create_dir_all(cache_dir()).unwrap();
    let tmp = p.with_extension("partial");
    let mut f = std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp).unwrap());
    use std::io::Write;
    let mut head = Vec::new();
    head.extend_from_slice(&24u32.to_be_bytes());
    head.extend_from_slice(b"ftypisom");
    head.extend_from_slice(&0x200u32.to_be_bytes());
    head.extend_from_slice(b"isommp41");
    head.extend_from_slice(&1u32.to_be_bytes());
    head.extend_from_slice(b"mdat");
    head.extend_from_slice(&(BIG - 24).to_be_bytes());
    f.write_all(&head).unwrap();
    let mut rng = Rng::new(42);
    let mut left = BIG - head.len() as u64;
    let mut buf = vec![0u8; 1 << 20];
    while left > 0 {
        for c in buf.chunks_exact_mut(8) {
            c.copy_from_slice(&rng.next().to_le_bytes());
        }
        let k = left.min(buf.len() as u64) as usize;
        f.write_all(&buf[..k]).unwrap();
        left -= k as u64;
    }
    f.into_inner().unwrap().sync_all().unwrap();
    std::fs::rename(&tmp, &p).unwrap();
    println!("{:.1} s", t.elapsed().as_secs_f64());
    p
}

/// Peak resident memory of this process (VmHWM), in MB.
fn peak_rss_mb() -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// Runs this binary again as `--child-<what> PATH`; returns (seconds, its last line).
fn child(what: &str, path: &Path) -> (f64, String) {
    let t = Instant::now();
    let out = Command::new(std::env::current_exe().unwrap())
        .arg(format!("--child-{what}"))
        .arg(path)
        .output()
        .unwrap();
    let secs = t.elapsed().as_secs_f64();
    let text = String::from_utf8_lossy(&out.stdout).trim().to_string();
    assert!(
        out.status.success(),
        "child {what}: {text} {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (secs, text.lines().last().unwrap_or_default().to_string())
}

fn field(line: &str, key: &str) -> f64 {
    line.split_whitespace()
        .skip_while(|w| *w != key)
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(f64::NAN)
}

fn big_file(o: &Options, report: &mut Report) {
    let p = big_path();
    let mb = BIG as f64 / 1e6;
    // Alternate the two, twice, and keep the better of each (the file is in the page
    // cache after the first read when RAM allows; both see the same cache).
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    let mut rss: f64 = 0.0;
    for _ in 0..2 {
        let (_, line) = child("hash", &p);
        ours.push(field(&line, "secs"));
        rss = rss.max(field(&line, "peak_rss_mb"));
        let t = Instant::now();
        let st = Command::new("sha256sum").arg(&p).output().unwrap();
        assert!(st.status.success());
        theirs.push(t.elapsed().as_secs_f64());
    }
    let ours = ours.into_iter().fold(f64::INFINITY, f64::min);
    let theirs = theirs.into_iter().fold(f64::INFINITY, f64::min);
    let s = Sample {
        ms: vec![ours * 1000.0],
    };
    report.row(
        format!(
            "SHA-256 of 4 GiB, app's `store::hash_file` ({:.0} MB/s, peak RSS {rss:.1} MB)",
            mb / ours
        ),
        &s,
        false,
        None,
    );
    let s = Sample {
        ms: vec![theirs * 1000.0],
    };
    report.row(
        format!("SHA-256 of 4 GiB, `sha256sum` ({:.0} MB/s)", mb / theirs),
        &s,
        false,
        None,
    );
    let r = theirs / ours;
    report.ratio(
        "hashing: our throughput ÷ sha256sum's (target ≥ 80%)",
        format!(
            "{:.0}% — {}",
            r * 100.0,
            if r >= 0.8 { "met" } else { "**missed**" }
        ),
    );
    let (secs, line) = child("import", &p);
    let peak = field(&line, "peak_rss_mb");
    report.row(
        format!("import the 4 GiB file as a video (peak RSS {peak:.1} MB; {line})"),
        &Sample {
            ms: vec![secs * 1000.0],
        },
        false,
        None,
    );
    report.ratio(
        "4 GiB video import: peak RSS (target < 100 MB)",
        format!(
            "{peak:.1} MB — {}",
            if peak < 100.0 { "met" } else { "**missed**" }
        ),
    );
    if o.delete_big_file {
        let _ = std::fs::remove_file(&p);
        report.note("the cached 4 GiB file was deleted (--delete-big-file)");
    }
}

/// `--child-hash PATH` and `--child-import PATH`: one operation in a fresh process, so its
/// peak RSS is the operation's own.
fn run_child(what: &str, path: &Path) {
    let t = Instant::now();
    match what {
        "--child-hash" => {
            let (hex, size) = store::hash_file(path).unwrap();
            println!(
                "sha256 {hex} bytes {size} secs {:.3} peak_rss_mb {:.1}",
                t.elapsed().as_secs_f64(),
                peak_rss_mb()
            );
        }
        _ => {
            let dir = tempfile::tempdir_in(cache_dir()).unwrap();
            let mut reg =
                Registry::create(&dir.path().join("r"), RegistryKind::Real, system_clock())
                    .unwrap();
            let r = reg
                .media_import(
                    &[path.to_path_buf()],
                    None,
                    &|_| {},
                    &AtomicBool::new(false),
                )
                .unwrap();
            let o = &r.outcomes[0];
            println!(
                "status {:?} kind {} message {} secs {:.3} peak_rss_mb {:.1}",
                o.status,
                o.kind.clone().unwrap_or_default(),
                o.message
                    .clone()
                    .unwrap_or_else(|| "-".into())
                    .replace(' ', "_"),
                t.elapsed().as_secs_f64(),
                peak_rss_mb()
            );
        }
    }
}

// ------------------------------------------------------------------ main

fn git(args: &[&str]) -> String {
    Command::new("git")
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a.starts_with("--child-")) {
        run_child(&args[i], Path::new(&args[i + 1]));
        return;
    }
    // `cargo bench` passes `--bench`; `cargo test --all-targets` runs bench binaries without
    // it (even with `test = false`), and the suite must never run inside the tests.
    if !args.iter().any(|a| a == "--bench") {
        println!("scale: not a test — run `./feiyi.sh bench` (cargo bench passes --bench)");
        return;
    }
    let o = options();
    let machine = machine_long();
    let commit = git(&["rev-parse", "--short", "HEAD"]);
    let dirty = if git(&["status", "--porcelain", "--untracked-files=no"]).is_empty() {
        ""
    } else {
        " (with uncommitted changes)"
    };
    let started = chrono::Utc::now();
    println!("machine: {machine}\ncommit: {commit}{dirty}");
    let mut report = Report::default();
    let photos = photos();
    let mut pdf_done = false;
    for &n in &o.items {
        suite(n, &o, &mut report, &photos, &mut pdf_done);
    }
    if o.media {
        media(&o, &photos, &mut report);
    }
    let header = format!(
        "# Feiyi benchmark, {}\n\n- machine: {machine}\n- commit: `{commit}`{dirty}\n- items: {:?}, seed {}\n- command: `./feiyi.sh bench {}`\n- release build; registries made by `feiyi_core::synth::generate_registry` and cached in `~/.cache/feiyi/bench/<n>-<seed>-g<generator version>/`, each run works on a copy\n",
        started.format("%Y-%m-%d %H:%M UTC"),
        o.items,
        o.seed,
        std::env::args().skip(1).filter(|a| a != "--bench").collect::<Vec<_>>().join(" "),
    );
    let md = report.markdown(&header);
    std::fs::create_dir_all(&o.out).unwrap();
    let dated = o
        .out
        .join(format!("results-{}.md", started.format("%Y-%m-%d")));
    // Several runs on one day are kept, one after another, in that day's file.
    let day = match std::fs::read_to_string(&dated) {
        Ok(before) => format!("{before}\n---\n\n{md}"),
        Err(_) => md.clone(),
    };
    std::fs::write(&dated, day).unwrap();
    std::fs::write(o.out.join("latest.md"), &md).unwrap();
    println!("\nwritten: {} and latest.md", dated.display());
}

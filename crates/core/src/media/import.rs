//! Importing many files at once, on every core, without holding the registry.
//!
//! An import has two halves. *Preparing* a file — copying it into the store's
//! temporary area while hashing and checking it, reading its metadata, rendering its
//! thumbnail — touches only files and runs on several threads at once. *Committing*
//! it — putting the original in place and writing its record — needs the registry
//! and is done by the caller's `commit`, one file at a time. So a desktop shell can
//! lock its registry only for the short commits, and the window stays responsive
//! while gigabytes are copied.

use super::meta::{self, Metadata};
use super::store::{Derived, Intent};
use super::thumbs;
use super::{intake, Format, Intake, Store};
use crate::model::{
    MediaImportEvent, MediaImportOutcome, MediaImportReport, MediaImportStatus, MediaTechnical,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Progress events are sent at most this often (the `file` events are always sent).
const PROGRESS_EVERY: Duration = Duration::from_millis(150);

/// At most this many files are prepared at once: beyond it a USB stick only seeks more.
const MAX_THREADS: usize = 8;

/// One file, prepared: what the store made of it, and what was read from it.
#[derive(Debug)]
pub struct Prepared {
    /// The file as given (its path).
    pub file: String,
    /// The file's name.
    pub name: String,
    /// Whether it was accepted (and staged), refused, or not done.
    pub intake: Intake,
    /// Facts read from the staged copy (accepted files only).
    pub technical: MediaTechnical,
    /// Derived files written for it (thumbnail, preview), keyed by its SHA-256.
    pub derived: Vec<PathBuf>,
    /// The intent to place its files, recorded before any was written (accepted files);
    /// released by the commit (see [`super::store::Intent`]).
    pub intent: Option<Intent>,
}

impl Prepared {
    fn refused(file: &str, name: &str, message: String) -> Self {
        Self {
            file: file.to_string(),
            name: name.to_string(),
            intake: Intake::Rejected {
                sha256: None,
                message,
            },
            technical: MediaTechnical::default(),
            derived: Vec::new(),
            intent: None,
        }
    }

    fn cancelled(file: &str, name: &str) -> Self {
        Self {
            file: file.to_string(),
            name: name.to_string(),
            intake: Intake::Cancelled,
            technical: MediaTechnical::default(),
            derived: Vec::new(),
            intent: None,
        }
    }
}

/// The name shown for a path: its file name, else the whole path.
pub fn display_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| path.display().to_string())
}

/// The outcome of a file that never reached a commit.
pub fn uncommitted(p: &Prepared) -> MediaImportOutcome {
    let (status, sha256, message) = match &p.intake {
        Intake::Cancelled => (MediaImportStatus::Cancelled, None, None),
        Intake::Rejected { sha256, message } => (
            MediaImportStatus::Failed,
            sha256.clone(),
            Some(message.clone()),
        ),
        Intake::Accepted(a) => (
            MediaImportStatus::Failed,
            Some(a.staged.sha256().to_string()),
            None,
        ),
    };
    MediaImportOutcome {
        file: p.file.clone(),
        name: p.name.clone(),
        status,
        media_id: None,
        sha256,
        kind: None,
        message,
    }
}

/// Copies one file into the store's temporary area (hashing and checking it), reads its
/// metadata and writes its thumbnail; touches no database. `progress` gets bytes read.
pub fn prepare(
    store: &Store,
    path: &Path,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Prepared {
    let file = path.display().to_string();
    let name = display_name(path);
    if cancel.load(Ordering::Relaxed) {
        return Prepared::cancelled(&file, &name);
    }
    let mut source = match std::fs::File::open(path).and_then(|f| f.metadata().map(|m| (f, m))) {
        Err(e) => {
            return Prepared::refused(&file, &name, format!("“{name}”无法打开（{e}），未导入。"))
        }
        Ok((_, m)) if m.is_dir() => {
            return Prepared::refused(
                &file,
                &name,
                format!("“{name}”是文件夹，不是文件，未导入。"),
            )
        }
        Ok((f, _)) => f,
    };
    prepare_reader(store, &file, &name, &mut source, cancel, progress)
}

/// Prepares one file's content from any reader (an open file, an archive member) under
/// the name `name`: staged, checked, its metadata read and its thumbnail written.
pub fn prepare_reader(
    store: &Store,
    file: &str,
    name: &str,
    reader: &mut dyn std::io::Read,
    cancel: &AtomicBool,
    progress: &mut dyn FnMut(u64),
) -> Prepared {
    let mut intake = intake(store, name, reader, cancel, progress);
    // Before any file named after the hash is written (thumbnail now, original at the
    // commit): record the intent, so that a crash before the record leaves no orphan.
    let mut intent = None;
    if let Intake::Accepted(a) = &intake {
        match store.intend(a.staged.sha256(), &a.ext) {
            Ok(i) => intent = Some(i),
            Err(e) => {
                intake = Intake::Rejected {
                    sha256: Some(a.staged.sha256().to_string()),
                    message: format!("“{name}”未能存入资料库：{e}"),
                }
            }
        }
    }
    let mut prepared = Prepared {
        file: file.to_string(),
        name: name.to_string(),
        intake,
        technical: MediaTechnical::default(),
        derived: Vec::new(),
        intent,
    };
    if let Intake::Accepted(a) = &prepared.intake {
        let staged = a.staged.path().to_path_buf();
        let sha256 = a.staged.sha256().to_string();
        let m = meta::read(&staged, a.format);
        let mut technical = technical(&m);
        if technical.width.is_none() {
            if let Some((w, h)) = a.dimensions {
                technical.width = Some(i64::from(w));
                technical.height = Some(i64::from(h));
            }
        }
        prepared.derived = derive(
            store,
            &staged,
            a.format,
            &sha256,
            m.orientation,
            &mut technical,
        );
        prepared.technical = technical;
    }
    prepared
}

/// The stored form of what was read from a file.
pub fn technical(m: &Metadata) -> MediaTechnical {
    MediaTechnical {
        width: m.width.map(i64::from),
        height: m.height.map(i64::from),
        duration_ms: m.duration_ms,
        frame_rate: m.frame_rate,
        codec: m.codec.clone(),
        bit_rate: m.bit_rate,
        sample_rate: m.sample_rate,
        channels: m.channels,
        page_count: m.page_count,
        captured_at: m.captured_at.clone(),
        camera: m.camera.clone(),
        gps_lat: m.gps.map(|g| g.0),
        gps_lon: m.gps.map(|g| g.1),
        gcj02_lat: None,
        gcj02_lon: None,
        unread: m.unread.clone(),
    }
}

/// Writes the thumbnail (and, for TIFF, the viewer preview) of a photo, unless they
/// exist already; a photo that cannot be rendered gets a sentence in `unread`.
pub fn derive(
    store: &Store,
    original: &Path,
    format: Format,
    sha256: &str,
    orientation: Option<u16>,
    technical: &mut MediaTechnical,
) -> Vec<PathBuf> {
    if format.kind() != "照片" {
        return Vec::new();
    }
    let mut wanted = vec![(Derived::Thumb, thumbs::THUMB_EDGE)];
    if format == Format::Tiff {
        wanted.push((Derived::Preview, thumbs::PREVIEW_EDGE));
    }
    let mut written = Vec::new();
    for (kind, edge) in wanted {
        if store.derived_path(kind, sha256).is_ok_and(|p| p.is_file()) {
            continue;
        }
        match thumbs::render(original, format, orientation, edge).and_then(|bytes| {
            store
                .put_derived(kind, sha256, &bytes)
                .map_err(|e| e.to_string())
        }) {
            Ok(path) => written.push(path),
            Err(why) => {
                let what = if kind == Derived::Thumb {
                    "缩略图"
                } else {
                    "预览图"
                };
                technical.unread.push(format!("未能生成{what}：{why}"));
                break;
            }
        }
    }
    written
}

/// The files to import for what the user chose: files as they are, folders by every
/// file inside them (subfolders too, in name order), leaving out hidden files and the
/// files operating systems leave in folders (Thumbs.db, desktop.ini, .DS_Store).
pub fn expand(chosen: &[PathBuf]) -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            // Unreadable: reported as a file that cannot be opened.
            out.push(dir.to_path_buf());
            return;
        };
        let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
        paths.sort();
        for p in paths {
            let name = display_name(&p);
            if name.starts_with('.') || super::store::SYSTEM_FILES.contains(&name.as_str()) {
                continue;
            }
            if p.is_dir() {
                walk(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    for p in chosen {
        if p.is_dir() {
            walk(p, &mut out);
        } else {
            out.push(p.clone());
        }
    }
    out
}

/// How many files to prepare at once on this machine.
pub fn threads_for(files: usize) -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, MAX_THREADS)
        .min(files.max(1))
}

/// Imports `files` on `threads` threads: each is prepared in parallel and handed to
/// `commit` (called one at a time per thread; the caller serialises as it must).
/// `events` gets `started`, throttled `progress`, one `file` per file and `finished`.
/// Outcomes are reported in the order the files were given. Cancelling stops the
/// files being read between buffers and leaves those not started as cancelled.
pub fn run(
    store: &Store,
    files: &[PathBuf],
    threads: usize,
    cancel: &AtomicBool,
    events: &(dyn Fn(MediaImportEvent) + Sync),
    commit: &(dyn Fn(Prepared) -> MediaImportOutcome + Sync),
) -> MediaImportReport {
    let count = files.len() as i64;
    let sizes: Vec<i64> = files
        .iter()
        .map(|f| std::fs::metadata(f).map_or(0, |m| m.len() as i64))
        .collect();
    let bytes_total: i64 = sizes.iter().sum();
    events(MediaImportEvent {
        stage: "started".into(),
        count,
        bytes_total,
        ..Default::default()
    });
    let next = AtomicUsize::new(0);
    let files_done = AtomicI64::new(0);
    let bytes_done = AtomicI64::new(0);
    // The first progress is sent at once, the rest at most every PROGRESS_EVERY.
    let last_sent = Mutex::new(
        Instant::now()
            .checked_sub(PROGRESS_EVERY)
            .unwrap_or_else(Instant::now),
    );
    let outcomes: Mutex<Vec<Option<MediaImportOutcome>>> = Mutex::new(vec![None; files.len()]);
    let send_progress = |current: &str, force: bool| {
        let Ok(mut last) = last_sent.lock() else {
            return;
        };
        if !force && last.elapsed() < PROGRESS_EVERY {
            return;
        }
        *last = Instant::now();
        events(MediaImportEvent {
            stage: "progress".into(),
            files_done: files_done.load(Ordering::Relaxed),
            count,
            bytes_done: bytes_done.load(Ordering::Relaxed),
            bytes_total,
            current: Some(current.to_string()),
            ..Default::default()
        });
    };
    // Files are prepared in parallel but committed in the order given, so that the
    // links of a record come out in that order (IMG_0001 before IMG_0002). Whoever
    // finishes preparing the next file in line commits every file that is ready.
    let pending: Mutex<(usize, BTreeMap<usize, Prepared>)> = Mutex::new((0, BTreeMap::new()));
    let committing = Mutex::new(());
    let commit_ready = || loop {
        {
            let Ok(_turn) = committing.try_lock() else {
                return; // another thread is committing and will take ours too
            };
            loop {
                let next = {
                    let Ok(mut p) = pending.lock() else { return };
                    let n = p.0;
                    match p.1.remove(&n) {
                        Some(prepared) => {
                            p.0 += 1;
                            Some((n, prepared))
                        }
                        None => None,
                    }
                };
                let Some((i, prepared)) = next else { break };
                let outcome = match prepared.intake {
                    Intake::Accepted(_) => commit(prepared),
                    _ => uncommitted(&prepared),
                };
                let done = files_done.fetch_add(1, Ordering::Relaxed) + 1;
                events(MediaImportEvent {
                    stage: "file".into(),
                    files_done: done,
                    count,
                    bytes_done: bytes_done.load(Ordering::Relaxed),
                    bytes_total,
                    outcome: Some(outcome.clone()),
                    ..Default::default()
                });
                if let Ok(mut all) = outcomes.lock() {
                    all[i] = Some(outcome);
                }
            }
        }
        // A file may have become ready after the last look and before the turn was
        // given up, by a thread that found the turn taken: look once more.
        let ready = pending.lock().is_ok_and(|p| p.1.contains_key(&p.0));
        if !ready {
            return;
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..threads.max(1) {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(path) = files.get(i) else {
                    break;
                };
                let name = display_name(path);
                let mut seen = 0u64;
                let prepared = prepare(store, path, cancel, &mut |done| {
                    bytes_done.fetch_add((done - seen) as i64, Ordering::Relaxed);
                    seen = done;
                    send_progress(&name, false);
                });
                // A file that could not be read through still counts as handled.
                let rest = sizes[i] - seen as i64;
                if rest > 0 {
                    bytes_done.fetch_add(rest, Ordering::Relaxed);
                }
                if let Ok(mut p) = pending.lock() {
                    p.1.insert(i, prepared);
                }
                commit_ready();
            });
        }
    });
    let mut report = MediaImportReport::default();
    let all = outcomes.into_inner().unwrap_or_default();
    for (path, out) in files.iter().zip(all) {
        let out = out.unwrap_or_else(|| MediaImportOutcome {
            file: path.display().to_string(),
            name: display_name(path),
            status: MediaImportStatus::Cancelled,
            media_id: None,
            sha256: None,
            kind: None,
            message: None,
        });
        match out.status {
            MediaImportStatus::Imported => report.imported += 1,
            MediaImportStatus::Duplicate => report.duplicates += 1,
            MediaImportStatus::Failed => report.failed += 1,
            MediaImportStatus::Cancelled => report.cancelled += 1,
        }
        report.outcomes.push(out);
    }
    events(MediaImportEvent {
        stage: "finished".into(),
        files_done: count,
        count,
        bytes_done: bytes_total,
        bytes_total,
        report: Some(report.clone()),
        ..Default::default()
    });
    report
}

//! The content-addressed store of originals: `media/originals/<ab>/<sha256>.<ext>`
//! under the registry folder.
//!
//! Invariants:
//! - An original is written once and never modified: a file is streamed through
//!   SHA-256 into a temporary file in `media/tmp/` (same file system), synced, renamed
//!   into place, and the folder synced. A crash leaves the whole file or nothing.
//! - A temporary file is locked by its writer while it exists; one left by a crashed
//!   writer is unlocked and is removed by [`Store::clean_tmp`] at the next import.
//! - Files are copied in fixed-size buffers, hashed while copied: never held in memory.
//! - An original is never left behind without its record. Before an import writes any
//!   file named after a content hash (derived files, then the original), it records its
//!   intent: an empty marker `media/tmp/pending/<sha256>.<ext>.<uuid>`, synced, and locked
//!   by the importer while it lives ([`Store::intend`]). The marker is removed once the
//!   record is committed, or once the files are removed again ([`Intent::release`]). A
//!   marker nobody holds was left by a crash: [`Store::recover`] (run when a registry is
//!   opened and when an import starts) removes its original and derived files when no
//!   record names that hash, and then the marker. Files a record names are never touched.
//! - Derived files (thumbnails and previews, see [`Derived`]) live apart from the
//!   originals, under `media/derived/`, named after their original's SHA-256. They
//!   can always be made again from the original, so they may be replaced or removed
//!   at any time; [`Store::originals`] never lists them.

use crate::error::{Error, Result};
use sha2::{Digest, Sha256};
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Size of the copy buffer.
pub const BUFFER: usize = 1 << 20;

/// The suffix of temporary files.
const PART: &str = "part";

/// The folder of intent markers, under `media/tmp`.
const PENDING: &str = "pending";

/// Whether `s` is a SHA-256 as the store names files: 64 lowercase hex digits.
pub fn is_sha256(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Whether `s` can be a stored file's extension: 1–8 lowercase letters or digits.
fn is_ext(s: &str) -> bool {
    (1..=8).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// Why staging a file stopped.
#[derive(Debug)]
pub enum StageError {
    /// The cancel flag was raised; the temporary file is gone.
    Cancelled,
    /// Reading the source failed.
    Read(io::Error),
    /// Writing the store failed.
    Store(Error),
}

/// Files operating systems leave in folders: never imported, never reported as unreferenced.
pub const SYSTEM_FILES: [&str; 3] = ["Thumbs.db", "desktop.ini", ".DS_Store"];

/// The media store of one registry folder.
#[derive(Debug, Clone)]
pub struct Store {
    media: PathBuf,
}

/// A file copied into `media/tmp/` and hashed, not yet in place. Dropping it removes
/// the temporary file.
#[derive(Debug)]
pub struct Staged {
    file: File,
    tmp: PathBuf,
    sha256: String,
    size: u64,
    store: Store,
    committed: bool,
}

/// Kinds of derived file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Derived {
    /// A small JPEG for grids and lists (see [`crate::media::thumbs::THUMB_EDGE`]).
    Thumb,
    /// A larger JPEG for the viewer, for formats the webview cannot show
    /// (see [`crate::media::thumbs::PREVIEW_EDGE`]).
    Preview,
}

impl Derived {
    /// Every kind.
    const ALL: [Derived; 2] = [Derived::Thumb, Derived::Preview];

    /// Its folder under `media/derived`.
    fn folder(self) -> &'static str {
        match self {
            Derived::Thumb => "thumbs",
            Derived::Preview => "previews",
        }
    }
}

/// An original in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    /// Its path.
    pub path: PathBuf,
    /// Its SHA-256 (lowercase hex).
    pub sha256: String,
    /// Its size in bytes.
    pub size: u64,
    /// `false` when the same content was already in place (the copy was dropped).
    pub newly_stored: bool,
}

/// An import's intent to place the original `<sha256>.<ext>` and its derived files before
/// writing their record (see the module's invariants). Held (locked) while it lives;
/// dropping it without [`Intent::release`] leaves the marker for [`Store::recover`].
#[derive(Debug)]
pub struct Intent {
    path: PathBuf,
    sha256: String,
    ext: String,
    // Open and locked: `recover` leaves a marker alone while its importer holds it.
    _file: File,
}

/// What [`Store::recover`] cleared.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recovered {
    /// Temporary files (`media/tmp/*.part`) left by interrupted writes.
    pub tmp_files: usize,
    /// Originals (`<sha256>.<ext>`) placed by an interrupted import that no record names.
    pub orphans: Vec<String>,
    /// Intent markers cleared (after their files were dealt with).
    pub markers: usize,
}

impl Recovered {
    /// Whether nothing had to be done.
    pub fn is_empty(&self) -> bool {
        self.tmp_files == 0 && self.orphans.is_empty() && self.markers == 0
    }
}

impl Intent {
    /// The content hash it is about.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The original's extension it is about.
    pub fn ext(&self) -> &str {
        &self.ext
    }

    /// The record is committed, or the files are gone again: the marker goes.
    pub fn release(self) -> Result<()> {
        match fs::remove_file(&self.path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::io(&self.path, e)),
        }
    }
}

/// `<sha256>.<ext>.<anything>` → (sha256, ext).
fn parse_marker(name: &str) -> Option<(&str, &str)> {
    let mut parts = name.splitn(3, '.');
    let sha = parts.next()?;
    let ext = parts.next()?;
    parts.next()?;
    (is_sha256(sha) && is_ext(ext)).then_some((sha, ext))
}

/// Whether a marker of `sha256` other than `except` in `dir` is held by a live import.
fn held_marker_of(dir: &Path, sha256: &str, except: &Path) -> bool {
    let Ok(entries) = fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let path = e.path();
        path != except
            && e.file_name()
                .to_string_lossy()
                .starts_with(&format!("{sha256}."))
            && lock_if_free(&path).is_none()
            && path.exists()
    })
}

/// Opens `path` and takes its lock; `None` when someone else holds it (or it is gone).
fn lock_if_free(path: &Path) -> Option<File> {
    let f = OpenOptions::new().read(true).write(true).open(path).ok()?;
    f.try_lock().ok()?;
    Some(f)
}

impl Store {
    /// The store of the registry in `registry_dir`.
    pub fn new(registry_dir: &Path) -> Self {
        Self {
            media: registry_dir.join("media"),
        }
    }

    /// `media/originals`.
    pub fn originals_dir(&self) -> PathBuf {
        self.media.join("originals")
    }

    /// `media/tmp`.
    pub fn tmp_dir(&self) -> PathBuf {
        self.media.join("tmp")
    }

    /// `media/derived`.
    pub fn derived_dir(&self) -> PathBuf {
        self.media.join("derived")
    }

    /// `media/derived/thumbs/ab/<sha256>.jpg` or `media/derived/previews/ab/<sha256>.jpg`
    /// (whether or not it exists). Refuses anything but a SHA-256, like [`Store::path_of`].
    pub fn derived_path(&self, kind: Derived, sha256: &str) -> Result<PathBuf> {
        if !is_sha256(sha256) {
            return Err(Error::field(
                "sha256",
                format!("“{sha256}”不是资料库中的文件名"),
            ));
        }
        Ok(self
            .derived_dir()
            .join(kind.folder())
            .join(&sha256[..2])
            .join(format!("{sha256}.jpg")))
    }

    /// Writes a derived file atomically (temporary file in `media/tmp`, synced, renamed
    /// into place, folder synced), replacing any old one; returns its path.
    pub fn put_derived(&self, kind: Derived, sha256: &str, bytes: &[u8]) -> Result<PathBuf> {
        let path = self.derived_path(kind, sha256)?;
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.derived_dir());
        let tmp_dir = self.tmp_dir();
        fs::create_dir_all(&tmp_dir).map_err(|e| Error::io(&tmp_dir, e))?;
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let tmp = tmp_dir.join(format!("{}.{PART}", uuid::Uuid::now_v7()));
        let written = (|| {
            let mut file = OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&tmp)?;
            // Locked while it exists, so that `clean_tmp` leaves it alone.
            file.lock()?;
            crate::fault::write_all(&mut file, &tmp, bytes)?;
            file.sync_all()?;
            // Renamed while still open and locked, as `Staged::commit` does.
            fs::rename(&tmp, &path)
        })();
        if let Err(e) = written {
            let _ = fs::remove_file(&tmp);
            return Err(Error::io(&path, e));
        }
        sync_dir(&dir)?;
        if let Some(kind_dir) = dir.parent() {
            sync_dir(kind_dir)?;
        }
        Ok(path)
    }

    /// Removes the derived files of one original (missing ones are fine).
    pub fn remove_derived(&self, sha256: &str) -> Result<()> {
        for kind in Derived::ALL {
            let path = self.derived_path(kind, sha256)?;
            match fs::remove_file(&path) {
                Ok(()) => {
                    if let Some(dir) = path.parent() {
                        sync_dir(dir)?;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(&path, e)),
            }
        }
        Ok(())
    }

    /// Where the original with this hash and extension lives (whether or not it exists).
    /// Refuses anything but a SHA-256 and a plain extension, so no path can escape the store.
    pub fn path_of(&self, sha256: &str, ext: &str) -> Result<PathBuf> {
        if !is_sha256(sha256) || !is_ext(ext) {
            return Err(Error::field(
                "sha256",
                format!("“{sha256}.{ext}”不是资料库中的文件名"),
            ));
        }
        Ok(self
            .originals_dir()
            .join(&sha256[..2])
            .join(format!("{sha256}.{ext}")))
    }

    /// `media/tmp/pending`: the intent markers.
    pub fn pending_dir(&self) -> PathBuf {
        self.tmp_dir().join(PENDING)
    }

    /// Records, durably, that files named after `sha256` (the original as `.<ext>`, and
    /// derived files) are about to be written before their record is: the marker is
    /// written, synced, its folder synced, and it stays locked until the [`Intent`] goes.
    pub fn intend(&self, sha256: &str, ext: &str) -> Result<Intent> {
        self.path_of(sha256, ext)?; // refuses anything but a hash and an extension
        let dir = self.pending_dir();
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        let path = dir.join(format!("{sha256}.{ext}.{}", uuid::Uuid::now_v7().simple()));
        let file = (|| {
            let f = OpenOptions::new()
                .read(true)
                .write(true)
                .create_new(true)
                .open(&path)?;
            f.lock()?;
            f.sync_all()?;
            Ok(f)
        })()
        .map_err(|e| {
            let _ = fs::remove_file(&path);
            Error::io(&path, e)
        })?;
        sync_dir(&dir)?;
        Ok(Intent {
            path,
            sha256: sha256.to_string(),
            ext: ext.to_string(),
            _file: file,
        })
    }

    /// Clears what interrupted imports left: temporary files no writer holds, and for
    /// every intent marker no importer holds, the original and derived files of its hash
    /// when `referenced(sha256)` says no record names it — then the marker. A hash with a
    /// marker still held by a live import is left alone. Cheap when there is nothing to
    /// do: it reads `media/tmp` and `media/tmp/pending`, never the whole store.
    pub fn recover(&self, referenced: &mut dyn FnMut(&str) -> Result<bool>) -> Result<Recovered> {
        let mut done = Recovered {
            tmp_files: self.clean_tmp()?,
            ..Default::default()
        };
        let dir = self.pending_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(done),
            Err(e) => return Err(Error::io(&dir, e)),
        };
        let mut free = Vec::new();
        let mut live = std::collections::HashSet::new();
        for entry in entries {
            let path = entry.map_err(|e| Error::io(&dir, e))?.path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let parsed = parse_marker(&name).map(|(s, e)| (s.to_string(), e.to_string()));
            match lock_if_free(&path) {
                Some(lock) => free.push((path, parsed, lock)),
                None => {
                    if let Some((sha, _)) = parsed {
                        live.insert(sha);
                    }
                }
            }
        }
        for (path, parsed, lock) in free {
            if let Some((sha, ext)) = parsed {
                if live.contains(&sha) {
                    continue;
                }
                // Looked at again just before deleting: an import of the same content
                // that began since the first look holds a marker of this hash by now.
                if !referenced(&sha)? && !held_marker_of(&dir, &sha, &path) {
                    let original = self.path_of(&sha, &ext)?;
                    if original.exists() {
                        self.remove(&sha, &ext)?;
                        done.orphans.push(format!("{sha}.{ext}"));
                    }
                    self.remove_derived(&sha)?;
                }
            }
            match fs::remove_file(&path) {
                Ok(()) => done.markers += 1,
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(&path, e)),
            }
            drop(lock);
        }
        if done.markers > 0 {
            sync_dir(&dir)?;
        }
        Ok(done)
    }

    /// Removes temporary files left by interrupted imports (those no writer holds);
    /// returns how many were removed.
    pub fn clean_tmp(&self) -> Result<usize> {
        let dir = self.tmp_dir();
        let entries = match fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(Error::io(&dir, e)),
        };
        let mut removed = 0;
        for entry in entries {
            let path = entry.map_err(|e| Error::io(&dir, e))?.path();
            if !path.is_file() {
                continue;
            }
            let abandoned = match OpenOptions::new().read(true).write(true).open(&path) {
                Ok(f) => f.try_lock().is_ok(),
                Err(_) => false,
            };
            if abandoned {
                match fs::remove_file(&path) {
                    Ok(()) => removed += 1,
                    Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                    Err(e) => return Err(Error::io(&path, e)),
                }
            }
        }
        Ok(removed)
    }

    /// Streams `reader` into a new temporary file, hashing as it copies. `observe` sees
    /// every buffer and the running byte count; `cancel` is checked between buffers.
    pub fn stage(
        &self,
        reader: &mut dyn Read,
        cancel: &AtomicBool,
        observe: &mut dyn FnMut(&[u8], u64),
    ) -> Result<Staged, StageError> {
        let dir = self.tmp_dir();
        fs::create_dir_all(&dir).map_err(|e| StageError::Store(Error::io(&dir, e)))?;
        let tmp = dir.join(format!("{}.{PART}", uuid::Uuid::now_v7()));
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&tmp)
            .map_err(|e| StageError::Store(Error::io(&tmp, e)))?;
        // From here on, dropping `staged` removes the temporary file.
        let mut staged = Staged {
            file,
            tmp,
            sha256: String::new(),
            size: 0,
            store: self.clone(),
            committed: false,
        };
        let file = &mut staged.file;
        file.lock()
            .map_err(|e| StageError::Store(Error::io(&staged.tmp, e)))?;
        let mut hasher = Sha256::new();
        let mut buf = vec![0u8; BUFFER];
        let mut size = 0u64;
        loop {
            if cancel.load(Ordering::Relaxed) {
                return Err(StageError::Cancelled);
            }
            let n = match reader.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(StageError::Read(e)),
            };
            let chunk = &buf[..n];
            hasher.update(chunk);
            crate::fault::write_all(file, &staged.tmp, chunk)
                .map_err(|e| StageError::Store(Error::io(&staged.tmp, e)))?;
            size += n as u64;
            observe(chunk, size);
        }
        file.sync_all()
            .map_err(|e| StageError::Store(Error::io(&staged.tmp, e)))?;
        staged.sha256 = hex::encode(hasher.finalize());
        staged.size = size;
        Ok(staged)
    }

    /// Copies `reader` into the store as `<sha256>.<ext>` (stage, then commit).
    pub fn put_reader(
        &self,
        reader: &mut dyn Read,
        ext: &str,
        cancel: &AtomicBool,
    ) -> Result<Stored, StageError> {
        let staged = self.stage(reader, cancel, &mut |_, _| {})?;
        staged.commit(ext).map_err(StageError::Store)
    }

    /// Removes an original that was just stored (its record could not be written).
    pub fn remove(&self, sha256: &str, ext: &str) -> Result<()> {
        let path = self.path_of(sha256, ext)?;
        match fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(&path, e)),
        }
        if let Some(dir) = path.parent() {
            sync_dir(dir)?;
        }
        Ok(())
    }

    /// Every file under `media/originals` (at any depth); derived files and temporary
    /// files, kept elsewhere, are not listed.
    pub fn originals(&self) -> Result<Vec<PathBuf>> {
        let mut out = Vec::new();
        walk(&self.originals_dir(), &mut out)?;
        out.sort();
        Ok(out)
    }
}

impl Staged {
    /// SHA-256 of the content (lowercase hex).
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// Size in bytes.
    pub fn size(&self) -> u64 {
        self.size
    }

    /// The temporary file (for reading metadata and rendering thumbnails before commit).
    pub fn path(&self) -> &Path {
        &self.tmp
    }

    /// A reader over the staged content, from its start (for header checks).
    pub fn reader(&self) -> Result<File> {
        let mut clone = self.file.try_clone().map_err(|e| Error::io(&self.tmp, e))?;
        clone
            .seek(SeekFrom::Start(0))
            .map_err(|e| Error::io(&self.tmp, e))?;
        Ok(clone)
    }

    /// Moves the file into place as `<sha256>.<ext>`; when that file already exists the
    /// copy is dropped instead.
    pub fn commit(mut self, ext: &str) -> Result<Stored> {
        let path = self.store.path_of(&self.sha256, ext)?;
        let dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| self.store.originals_dir());
        let mut stored = Stored {
            path: path.clone(),
            sha256: self.sha256.clone(),
            size: self.size,
            newly_stored: false,
        };
        if path.exists() {
            return Ok(stored); // `self` drops: the temporary file goes
        }
        fs::create_dir_all(&dir).map_err(|e| Error::io(&dir, e))?;
        fs::rename(&self.tmp, &path).map_err(|e| Error::io(&path, e))?;
        self.committed = true;
        sync_dir(&dir)?;
        if let Some(originals) = dir.parent() {
            sync_dir(originals)?;
        }
        stored.newly_stored = true;
        Ok(stored)
    }
}

impl Drop for Staged {
    fn drop(&mut self) {
        if self.committed {
            return;
        }
        // Files are opened shareable for deletion, so this works while `file` is open.
        // Nothing else to do on failure: the next import's clean-up removes it.
        let _ = fs::remove_file(&self.tmp);
    }
}

/// SHA-256 (lowercase hex) and size of a file, streamed.
pub fn hash_file(path: &Path) -> Result<(String, u64)> {
    let mut file = File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; BUFFER];
    let mut size = 0u64;
    loop {
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(Error::io(path, e)),
        };
        hasher.update(&buf[..n]);
        size += n as u64;
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Files under `dir` at any depth (symbolic links are not followed).
pub fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = match fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        let kind = entry.file_type().map_err(|e| Error::io(entry.path(), e))?;
        if kind.is_dir() {
            walk(&entry.path(), out)?;
        } else if kind.is_file() {
            out.push(entry.path());
        }
    }
    Ok(())
}

/// Makes a rename or removal in `dir` durable.
#[cfg(unix)]
pub(crate) fn sync_dir(dir: &Path) -> Result<()> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(|e| Error::io(dir, e))
}

/// Windows cannot open a folder as a file; NTFS journals the rename itself.
#[cfg(not(unix))]
pub(crate) fn sync_dir(_dir: &Path) -> Result<()> {
    Ok(())
}

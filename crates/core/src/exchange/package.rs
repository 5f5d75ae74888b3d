//! The package file: a ZIP with `manifest.json`, `records/<kind>.json` and `log.json` (each
//! continued in `.2.json`, `.3.json`, … past [`PART_BYTES`]), `media/<sha256>` originals and
//! `SHA256SUMS`; written into a temporary file renamed into place, read through
//! [`feiyi_intake::archive`] and verified whole before use.

use super::FORMAT;
use crate::db::exchange::{LogEntry, Record, KINDS};
use crate::error::{Error, Result};
use crate::model::KindCount;
use feiyi_intake::archive::{self, Archive, Limits};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// Largest JSON entry read into memory (records, log, manifest).
const JSON_CAP: u64 = 512 << 20;

/// Most bytes of a list (a kind's records, the edit log) written into one file: a longer
/// list is split into parts, so that every file stays well under [`JSON_CAP`] (the 500,000
/// inheritors of a province-scale registry are a 1 GB list).
pub const PART_BYTES: usize = 64 << 20;

/// The base name and part number of a split list's file stem: `inheritor` → part 1,
/// `inheritor.2` → part 2 (no `.1`, no leading zeros); `None` for anything else.
fn split_stem(stem: &str) -> Option<(&str, u32)> {
    match stem.rsplit_once('.') {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => {
            let part: u32 = n.parse().ok()?;
            (part >= 2 && !n.starts_with('0')).then_some((base, part))
        }
        Some(_) => None,
        None => Some((stem, 1)),
    }
}

/// The kind and part number (1 for `records/<kind>.json`, n for `records/<kind>.n.json`)
/// of a records file name; `None` for any other name.
fn records_part(name: &str) -> Option<(&'static str, u32)> {
    let stem = name.strip_prefix("records/")?.strip_suffix(".json")?;
    let (kind, part) = split_stem(stem)?;
    KINDS
        .iter()
        .find(|k| k.kind == kind)
        .map(|k| (k.kind, part))
}

/// The part number of an edit-log file (`log.json` 1, `log.n.json` n); `None` for any other
/// name. The log is split like the records: a province's history outgrows one file.
fn log_part(name: &str) -> Option<u32> {
    match split_stem(name.strip_suffix(".json")?)? {
        ("log", part) => Some(part),
        _ => None,
    }
}

/// The file name of part `part` of a split list whose first part is `<stem>.json`.
fn part_name(stem: &str, part: u32) -> String {
    if part == 1 {
        format!("{stem}.json")
    } else {
        format!("{stem}.{part}.json")
    }
}

/// The name of part `part` of the edit log.
fn log_name(part: u32) -> String {
    part_name("log", part)
}

/// The name of part `part` of a kind's records.
fn records_name(kind: &str, part: u32) -> String {
    part_name(&format!("records/{kind}"), part)
}

/// A list (a kind's records, the edit log) as JSON arrays of at most `part_bytes` each (one
/// element more when a single element is larger); always at least one, possibly empty, array.
fn json_parts<T: Serialize>(list: &[T], part_bytes: usize) -> Result<Vec<Vec<u8>>> {
    let mut parts = Vec::new();
    let mut part = b"[".to_vec();
    for r in list {
        let bytes = serde_json::to_vec(r).map_err(|e| Error::Parse {
            what: "交换包内容".into(),
            detail: e.to_string(),
        })?;
        if part.len() > 1 && part.len() + bytes.len() + 2 > part_bytes {
            part.push(b']');
            parts.push(std::mem::replace(&mut part, b"[".to_vec()));
        }
        if part.len() > 1 {
            part.push(b',');
        }
        part.extend_from_slice(&bytes);
    }
    part.push(b']');
    parts.push(part);
    Ok(parts)
}

/// Where a package came from.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Source {
    /// The registry's title.
    pub title: String,
    /// The registry's stable id.
    pub registry_uid: String,
    /// `real` or `sample`.
    pub kind: String,
}

/// One file of the package with its checksum.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileSum {
    /// Path inside the ZIP.
    pub path: String,
    /// SHA-256, lowercase hex.
    pub sha256: String,
    /// Size, bytes.
    pub size: u64,
}

/// `manifest.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    /// Always [`FORMAT`].
    pub format: String,
    /// The package's id.
    pub package_id: String,
    /// When it was made (RFC 3339).
    pub created_at: String,
    /// Who made it (the edit log's actor).
    pub created_by: String,
    /// The app version that wrote it.
    pub app_version: String,
    /// The sender's schema version.
    pub schema_version: i64,
    /// The sender.
    pub source: Source,
    /// `all` or the since-date.
    pub scope: String,
    /// Whether media originals are inside.
    pub include_media: bool,
    /// Records by kind.
    pub records: Vec<KindCount>,
    /// Edit-log entries carried.
    pub log_entries: i64,
    /// Every other file with its checksum.
    pub files: Vec<FileSum>,
}

/// A media original to put into the package.
#[derive(Debug, Clone)]
pub struct MediaFile {
    /// Its SHA-256 (the entry name).
    pub sha256: String,
    /// Where it is in the store.
    pub path: PathBuf,
}

fn zip_err(path: &Path, e: zip::result::ZipError) -> Error {
    match e {
        zip::result::ZipError::Io(io) => Error::io(path, io),
        other => Error::io(path, std::io::Error::other(other.to_string())),
    }
}

/// Writes the package to `out` (a temporary file beside it, renamed when complete);
/// returns its size. Originals are hashed while copied and must match their names.
pub fn write(
    out: &Path,
    manifest: &mut Manifest,
    records: &BTreeMap<&'static str, Vec<Record>>,
    log: &[LogEntry],
    media: &[MediaFile],
) -> Result<u64> {
    if out.is_dir() {
        return Err(Error::io(
            out,
            std::io::Error::other("这是一个文件夹，请给出 .zip 文件名"),
        ));
    }
    let dir = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::io(
            &dir,
            std::io::Error::other("文件夹不存在，请先建好文件夹或另选位置"),
        ));
    }
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.{}.partial", uuid::Uuid::now_v7().simple()));
    let result = write_to(&tmp, manifest, records, log, media, PART_BYTES).and_then(|size| {
        std::fs::rename(&tmp, out).map_err(|e| Error::io(out, e))?;
        Ok(size)
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn write_to(
    tmp: &Path,
    manifest: &mut Manifest,
    records: &BTreeMap<&'static str, Vec<Record>>,
    log: &[LogEntry],
    media: &[MediaFile],
    part_bytes: usize,
) -> Result<u64> {
    use zip::write::SimpleFileOptions;
    let file = File::create(tmp).map_err(|e| Error::io(tmp, e))?;
    let mut zip = zip::ZipWriter::new(file);
    let deflated = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(false);
    let stored = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true);
    let mut sums: Vec<FileSum> = Vec::new();
    let mut put_json = |zip: &mut zip::ZipWriter<File>, path: &str, bytes: &[u8]| -> Result<()> {
        zip.start_file(path, deflated)
            .map_err(|e| zip_err(tmp, e))?;
        zip.write_all(bytes).map_err(|e| Error::io(tmp, e))?;
        sums.push(FileSum {
            path: path.into(),
            sha256: hex::encode(Sha256::digest(bytes)),
            size: bytes.len() as u64,
        });
        Ok(())
    };
    for (kind, list) in records {
        for (i, bytes) in json_parts(list, part_bytes)?.iter().enumerate() {
            put_json(&mut zip, &records_name(kind, i as u32 + 1), bytes)?;
        }
    }
    for (i, bytes) in json_parts(log, part_bytes)?.iter().enumerate() {
        put_json(&mut zip, &log_name(i as u32 + 1), bytes)?;
    }
    let mut buf = vec![0u8; crate::media::store::BUFFER];
    for m in media {
        let path = format!("media/{}", m.sha256);
        let mut src = File::open(&m.path).map_err(|e| Error::io(&m.path, e))?;
        zip.start_file(path.as_str(), stored)
            .map_err(|e| zip_err(tmp, e))?;
        let mut hasher = Sha256::new();
        let mut size = 0u64;
        loop {
            let n = src.read(&mut buf).map_err(|e| Error::io(&m.path, e))?;
            if n == 0 {
                break;
            }
            hasher.update(&buf[..n]);
            zip.write_all(&buf[..n]).map_err(|e| Error::io(tmp, e))?;
            size += n as u64;
        }
        let sha = hex::encode(hasher.finalize());
        if sha != m.sha256 {
            return Err(Error::Conflict(format!(
                "资料原件“{}”已损坏（内容与登记的校验值不符），交换包未写出；请先在 设置 → 资料检查 中处理",
                m.path.display()
            )));
        }
        sums.push(FileSum {
            path,
            sha256: sha,
            size,
        });
    }
    manifest.files = sums.clone();
    let bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Parse {
        what: "交换包清单".into(),
        detail: e.to_string(),
    })?;
    let put = |zip: &mut zip::ZipWriter<File>, path: &str, bytes: &[u8]| -> Result<()> {
        zip.start_file(path, deflated)
            .map_err(|e| zip_err(tmp, e))?;
        zip.write_all(bytes).map_err(|e| Error::io(tmp, e))
    };
    put(&mut zip, "manifest.json", &bytes)?;
    sums.push(FileSum {
        path: "manifest.json".into(),
        sha256: hex::encode(Sha256::digest(&bytes)),
        size: bytes.len() as u64,
    });
    let text: String = sums
        .iter()
        .map(|s| format!("{}  {}\n", s.sha256, s.path))
        .collect();
    put(&mut zip, "SHA256SUMS", text.as_bytes())?;
    let file = zip.finish().map_err(|e| zip_err(tmp, e))?;
    file.sync_all().map_err(|e| Error::io(tmp, e))?;
    let size = file.metadata().map_err(|e| Error::io(tmp, e))?.len();
    Ok(size)
}

/// A package read and verified: every checksum matched, every name is one the format
/// knows, the manifest is of [`FORMAT`].
pub struct Package {
    /// The file.
    pub path: PathBuf,
    /// Its manifest.
    pub manifest: Manifest,
    /// Records by kind.
    pub records: BTreeMap<String, Vec<Record>>,
    /// Carried edit-log entries.
    pub log: Vec<LogEntry>,
    /// The archive, for copying originals out.
    pub archive: Archive<File>,
}

impl std::fmt::Debug for Package {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Package").field("path", &self.path).finish()
    }
}

fn bad(path: &Path, reason: impl Into<String>) -> Error {
    Error::bad_input(path, reason)
}

struct HashWriter(Sha256);

impl Write for HashWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.update(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The elements of a split list, its parts (by number) joined in order; a gap is refused
/// with the name of the missing part (`name_of`).
fn read_parts<T: serde::de::DeserializeOwned>(
    archive: &mut Archive<File>,
    path: &Path,
    files: BTreeMap<u32, &str>,
    name_of: impl Fn(u32) -> String,
) -> Result<Vec<T>> {
    let mut list: Vec<T> = Vec::new();
    for (want, (part, name)) in (1u32..).zip(files) {
        if part != want {
            return Err(bad(
                path,
                format!("包中缺少“{}”，文件不完整", name_of(want)),
            ));
        }
        let raw = archive.read(name, JSON_CAP).map_err(|e| bad(path, e.0))?;
        let more: Vec<T> = serde_json::from_slice(&raw)
            .map_err(|e| bad(path, format!("“{name}”无法解析（{e}）")))?;
        list.extend(more);
    }
    Ok(list)
}

/// Opens and verifies a package; nothing is written anywhere.
pub fn read(path: &Path) -> Result<Package> {
    let file = File::open(path).map_err(|e| Error::io(path, e))?;
    let limits = Limits::default();
    let mut archive = archive::open(file, limits).map_err(|e| bad(path, e.0))?;
    let names: Vec<(String, u64, bool)> = archive
        .entries()
        .iter()
        .map(|e| (e.name.clone(), e.size, e.is_dir))
        .collect();
    // Only names the format knows; the split lists' parts are grouped as they are met, and
    // read in order further down: 1 (`<kind>.json`, `log.json`), 2, 3, … with none missing.
    let mut parts: BTreeMap<&str, BTreeMap<u32, &str>> = BTreeMap::new();
    let mut log_parts: BTreeMap<u32, &str> = BTreeMap::new();
    for (name, _, is_dir) in &names {
        let known = if let Some((kind, part)) = records_part(name) {
            parts.entry(kind).or_default().insert(part, name.as_str());
            true
        } else if let Some(part) = log_part(name) {
            log_parts.insert(part, name.as_str());
            true
        } else {
            *is_dir
                || name == "manifest.json"
                || name == "SHA256SUMS"
                || name
                    .strip_prefix("media/")
                    .is_some_and(crate::media::store::is_sha256)
        };
        if !known {
            return Err(bad(
                path,
                format!("包中有本程序不认识的文件“{name}”，不是非遗名录的交换包或已被改动"),
            ));
        }
    }
    if archive.entry("manifest.json").is_none() {
        return Err(bad(path, "包中没有 manifest.json，不是非遗名录的交换包"));
    }
    let raw = archive
        .read("manifest.json", 16 << 20)
        .map_err(|e| bad(path, e.0))?;
    let value: serde_json::Value = serde_json::from_slice(&raw)
        .map_err(|e| bad(path, format!("manifest.json 无法解析（{e}）")))?;
    let format = value.get("format").and_then(|v| v.as_str()).unwrap_or("");
    if format != FORMAT {
        return Err(bad(
            path,
            format!("交换包格式版本为“{format}”，本程序只认识 {FORMAT}，请升级软件后再导入"),
        ));
    }
    let manifest: Manifest = serde_json::from_value(value)
        .map_err(|e| bad(path, format!("manifest.json 内容不完整（{e}）")))?;
    if manifest.schema_version > crate::db::SCHEMA_VERSION {
        return Err(bad(
            path,
            format!(
                "交换包由更新版本的非遗名录写出（数据版本 {}，本程序支持到 {}），请升级软件后再导入",
                manifest.schema_version,
                crate::db::SCHEMA_VERSION
            ),
        ));
    }
    // SHA256SUMS and the manifest must name exactly the files present, with one checksum.
    let sums_raw = archive
        .read("SHA256SUMS", 64 << 20)
        .map_err(|_| bad(path, "包中没有 SHA256SUMS 校验文件，无法确认内容完整"))?;
    let sums_text =
        String::from_utf8(sums_raw).map_err(|_| bad(path, "SHA256SUMS 不是有效的文本"))?;
    let mut sums: HashMap<String, String> = HashMap::new();
    for line in sums_text.lines().filter(|l| !l.trim().is_empty()) {
        let (sha, name) = line
            .split_once("  ")
            .ok_or_else(|| bad(path, "SHA256SUMS 格式不对"))?;
        sums.insert(name.to_string(), sha.to_string());
    }
    let listed: HashMap<&str, &FileSum> = manifest
        .files
        .iter()
        .map(|f| (f.path.as_str(), f))
        .collect();
    for (name, size, is_dir) in &names {
        if *is_dir || name == "SHA256SUMS" {
            continue;
        }
        let Some(expected) = sums.get(name) else {
            return Err(bad(
                path,
                format!("“{name}”不在 SHA256SUMS 中，包可能被改动过"),
            ));
        };
        let mut h = HashWriter(Sha256::new());
        archive
            .copy(name, *size, &mut h)
            .map_err(|e| bad(path, e.0))?;
        let actual = hex::encode(h.0.finalize());
        if actual != *expected {
            return Err(bad(
                path,
                format!("“{name}”的校验值不符（内容被改动或损坏），整个交换包未导入"),
            ));
        }
        if name != "manifest.json" {
            match listed.get(name.as_str()) {
                Some(f) if f.sha256 == *expected && f.size == *size => {}
                _ => {
                    return Err(bad(
                        path,
                        format!("“{name}”与 manifest.json 中的登记不符，包可能被改动过"),
                    ))
                }
            }
        }
        if let Some(sha) = name.strip_prefix("media/") {
            if actual != sha {
                return Err(bad(
                    path,
                    format!("资料原件“{name}”的内容与文件名中的校验值不符"),
                ));
            }
        }
    }
    let present: std::collections::HashSet<&str> =
        names.iter().map(|(n, _, _)| n.as_str()).collect();
    for name in sums
        .keys()
        .map(String::as_str)
        .chain(listed.keys().copied())
    {
        if !present.contains(name) {
            return Err(bad(path, format!("包中缺少“{name}”，文件不完整")));
        }
    }
    let mut records = BTreeMap::new();
    for (kind, files) in parts {
        let list: Vec<Record> = read_parts(&mut archive, path, files, |n| records_name(kind, n))?;
        records.insert(kind.to_string(), list);
    }
    if log_parts.is_empty() {
        return Err(bad(path, "包中没有 log.json（修改记录）"));
    }
    let log: Vec<LogEntry> = read_parts(&mut archive, path, log_parts, log_name)?;
    Ok(Package {
        path: path.to_path_buf(),
        manifest,
        records,
        log,
        archive,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(i: usize) -> Record {
        let mut fields = crate::db::exchange::Fields::new();
        fields.insert("name".into(), format!("示例传承人{i:05}").into());
        Record {
            uid: format!("uid-{i:05}"),
            history: Vec::new(),
            fields,
        }
    }

    fn entry(i: usize) -> LogEntry {
        LogEntry {
            uid: format!("log-{i:05}"),
            seq: i as i64,
            at: "2026-11-30T00:00:00Z".into(),
            actor: "测试".into(),
            entity: "inheritor".into(),
            entity_uid: format!("uid-{i:05}"),
            action: "update".into(),
            field: Some("name".into()),
            old_value: Some("旧".into()),
            new_value: Some(format!("示例传承人{i:05}")),
            reason: None,
            old_data: None,
            new_data: None,
        }
    }

    /// A copy of package `out` without entry `name`, re-listed and re-signed (as an attacker
    /// or a broken copy would leave it): in `cut.zip` beside it.
    fn without(out: &Path, name: &str) -> PathBuf {
        let bytes = std::fs::read(out).unwrap();
        let mut src = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let mut sums = String::new();
        for i in 0..src.len() {
            let mut f = src.by_index(i).unwrap();
            let entry = f.name().unwrap().into_owned();
            if entry == name || entry == "SHA256SUMS" {
                continue;
            }
            let mut data = Vec::new();
            f.read_to_end(&mut data).unwrap();
            let data = if entry == "manifest.json" {
                let mut v: Manifest = serde_json::from_slice(&data).unwrap();
                let before = v.files.len();
                v.files.retain(|f| f.path != name);
                assert_eq!(v.files.len() + 1, before, "{name} was listed");
                serde_json::to_vec(&v).unwrap()
            } else {
                data
            };
            sums.push_str(&format!(
                "{}  {entry}\n",
                hex::encode(Sha256::digest(&data))
            ));
            w.start_file(entry, zip::write::SimpleFileOptions::default())
                .unwrap();
            w.write_all(&data).unwrap();
        }
        w.start_file("SHA256SUMS", zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(sums.as_bytes()).unwrap();
        let cut = out.with_file_name("cut.zip");
        std::fs::write(&cut, w.finish().unwrap().into_inner()).unwrap();
        cut
    }

    fn manifest() -> Manifest {
        Manifest {
            format: FORMAT.into(),
            package_id: "p".into(),
            created_at: "2026-11-30T00:00:00Z".into(),
            created_by: "测试".into(),
            app_version: "0".into(),
            schema_version: crate::db::SCHEMA_VERSION,
            source: Source {
                title: "示例".into(),
                registry_uid: "r".into(),
                kind: "sample".into(),
            },
            scope: "all".into(),
            include_media: false,
            records: Vec::new(),
            log_entries: 0,
            files: Vec::new(),
        }
    }

    #[test]
    fn parts_keep_every_record_in_order_and_stay_under_the_size() {
        let list: Vec<Record> = (0..500).map(record).collect();
        let parts = json_parts(&list, 4096).unwrap();
        assert!(parts.len() > 5, "{}", parts.len());
        let mut back: Vec<Record> = Vec::new();
        for p in &parts {
            assert!(p.len() <= 4096, "{}", p.len());
            back.extend(serde_json::from_slice::<Vec<Record>>(p).unwrap());
        }
        assert_eq!(back, list);
        // No records: one empty list, as before parts existed.
        assert_eq!(
            json_parts::<Record>(&[], 4096).unwrap(),
            vec![b"[]".to_vec()]
        );
        // A record larger than a part gets a part of its own.
        let big = json_parts(&list[..3], 10).unwrap();
        assert_eq!(big.len(), 3);
    }

    #[test]
    fn records_file_names_are_recognised_strictly() {
        assert_eq!(records_part("records/item.json"), Some(("item", 1)));
        assert_eq!(
            records_part("records/inheritor.2.json"),
            Some(("inheritor", 2))
        );
        assert_eq!(
            records_part("records/inheritor.12.json"),
            Some(("inheritor", 12))
        );
        for bad in [
            "records/inheritor.1.json",
            "records/inheritor.02.json",
            "records/inheritor..json",
            "records/inheritor.x.json",
            "records/nothing.json",
            "records/item.json.bak",
            "item.json",
        ] {
            assert_eq!(records_part(bad), None, "{bad}");
        }
        assert_eq!(records_name("item", 1), "records/item.json");
        assert_eq!(records_name("item", 3), "records/item.3.json");
    }

    #[test]
    fn log_file_names_are_recognised_strictly() {
        assert_eq!(log_part("log.json"), Some(1));
        assert_eq!(log_part("log.2.json"), Some(2));
        assert_eq!(log_part("log.31.json"), Some(31));
        for bad in [
            "log.1.json",
            "log.02.json",
            "log..json",
            "logs.json",
            "log.json.bak",
            "records/log.json",
        ] {
            assert_eq!(log_part(bad), None, "{bad}");
        }
        assert_eq!(log_name(1), "log.json");
        assert_eq!(log_name(4), "log.4.json");
    }

    #[test]
    fn a_kind_and_the_log_split_into_parts_read_back_whole_and_a_missing_part_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("p.zip");
        let people: Vec<Record> = (0..300).map(record).collect();
        let log: Vec<LogEntry> = (0..200).map(entry).collect();
        let mut records = BTreeMap::new();
        records.insert("inheritor", people.clone());
        records.insert("item", vec![record(9)]);
        let mut m = manifest();
        write_to(&out, &mut m, &records, &log, &[], 2048).unwrap();
        let pkg = read(&out).unwrap();
        assert_eq!(pkg.records["inheritor"], people);
        assert_eq!(pkg.records["item"], vec![record(9)]);
        assert_eq!(
            serde_json::to_value(&pkg.log).unwrap(),
            serde_json::to_value(&log).unwrap()
        );
        for split in ["records/inheritor.3.json", "log.3.json"] {
            assert!(pkg.archive.entry(split).is_some(), "{split}: not split");
        }
        drop(pkg);

        // The same package without a second part: refused by name.
        for gone in ["records/inheritor.2.json", "log.2.json", "log.json"] {
            let e = read(&without(&out, gone)).unwrap_err().to_string();
            assert!(e.contains(&format!("缺少“{gone}”")), "{gone}: {e}");
        }
    }
}

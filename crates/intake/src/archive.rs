//! ZIP archives opened safely: entry names, sizes and compression ratios checked before reading.
//!
//! [`open`] reads only the central directory and refuses, before a single entry is
//! decompressed, an archive with
//! - an entry name that could land outside the folder it is read into: absolute (`/etc/x`,
//!   `\x`, `C:x`), with a `..` or `.` component, a backslash, an empty component, a NUL or
//!   another control character;
//! - a symbolic link (unix mode `S_IFLNK` in the external attributes), an encrypted entry,
//!   a compression method other than stored or deflate;
//! - two entries of the same name (the second could shadow a checked first);
//! - more than [`Limits::max_entries`] entries, an entry declared larger than
//!   [`Limits::max_entry`], declared sizes adding up to more than [`Limits::max_total`],
//!   or an entry of at least [`Limits::ratio_from`] bytes that claims to expand more than
//!   [`Limits::max_ratio`] times (a “zip bomb”).
//!
//! Reading an entry never trusts its declared size: the reader stops at the declared size
//! (and at the caller's cap) plus one byte and refuses the entry when that byte exists.
//! Every refusal is an [`IntakeError`] in Chinese naming the entry. Any input, however
//! damaged, gives an error, never a panic (see the tests with truncated and random bytes).

use crate::{IntakeError, Result};
use std::io::{self, Cursor, Read, Seek, SeekFrom, Write};

/// The hard limits an archive is held to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Most entries (directories included).
    pub max_entries: usize,
    /// Largest declared uncompressed size of one entry, bytes.
    pub max_entry: u64,
    /// Largest sum of declared uncompressed sizes, bytes.
    pub max_total: u64,
    /// Largest uncompressed : compressed ratio of an entry at least `ratio_from` bytes large.
    pub max_ratio: u64,
    /// Entries smaller than this (declared) are not ratio-checked: small text compresses well.
    pub ratio_from: u64,
    /// Longest entry name, bytes.
    pub max_name: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_entries: 100_000,
            max_entry: 16 << 30,
            max_total: 64 << 30,
            max_ratio: 100,
            ratio_from: 1 << 20,
            max_name: 512,
        }
    }
}

/// One file in the archive, as its central directory declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The checked name (`/`-separated, relative, no `..`).
    pub name: String,
    /// Declared uncompressed size, bytes.
    pub size: u64,
    /// Compressed size, bytes.
    pub compressed_size: u64,
    /// A directory entry (name ends in `/`; has no content).
    pub is_dir: bool,
    index: usize,
}

/// An archive whose every entry has passed the checks of [`open`].
pub struct Archive<R> {
    zip: zip::ZipArchive<R>,
    entries: Vec<Entry>,
}

impl<R> std::fmt::Debug for Archive<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Archive")
            .field("entries", &self.entries.len())
            .finish()
    }
}

fn err(msg: impl Into<String>) -> IntakeError {
    IntakeError(msg.into())
}

/// Checks one entry name; the error names it.
pub fn check_name(name: &str, max_len: usize) -> Result<()> {
    let shown: String = name.chars().take(80).collect();
    let refuse = |why: &str| Err(err(format!("压缩包中的“{shown}”{why}，已拒绝整个文件")));
    if name.is_empty() {
        return refuse("没有文件名");
    }
    if name.len() > max_len {
        return refuse("文件名过长");
    }
    if name.chars().any(|c| c == '\0' || c.is_control()) {
        return refuse("文件名含有控制字符");
    }
    if name.contains('\\') {
        return refuse("文件名含有反斜杠（可能指向压缩包以外的位置）");
    }
    if name.starts_with('/') {
        return refuse("是绝对路径（会写到名录文件夹以外）");
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        return refuse("带有盘符（会写到名录文件夹以外）");
    }
    let body = name.strip_suffix('/').unwrap_or(name);
    for part in body.split('/') {
        match part {
            ".." => return refuse("含有“..”（会写到名录文件夹以外）"),
            "." | "" => return refuse("路径不规范（含有空的或“.”的部分）"),
            p if p.contains(':') => return refuse("文件名含有冒号"),
            _ => {}
        }
    }
    Ok(())
}

fn zip_error(e: zip::result::ZipError) -> IntakeError {
    err(format!("不是有效的 ZIP 压缩包，或文件已损坏（{e}）"))
}

/// Opens an archive held in memory with the default limits (the fuzzing entry point).
pub fn open_bytes(bytes: &[u8]) -> Result<Archive<Cursor<&[u8]>>> {
    open(Cursor::new(bytes), Limits::default())
}

/// Opens an archive and checks every entry's name, kind and declared sizes against
/// `limits` without decompressing anything.
pub fn open<R: Read + Seek>(mut reader: R, limits: Limits) -> Result<Archive<R>> {
    let len = reader
        .seek(SeekFrom::End(0))
        .map_err(|e| err(format!("无法读取文件：{e}")))?;
    if len == 0 {
        return Err(err("文件是空的（0 字节），不是压缩包"));
    }
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|e| err(format!("无法读取文件：{e}")))?;
    let zip = zip::ZipArchive::new(reader).map_err(zip_error)?;
    if zip.has_duplicate_names() {
        return Err(err("压缩包中有重名的文件，已拒绝整个文件"));
    }
    if zip.len() > limits.max_entries {
        return Err(err(format!(
            "压缩包中有 {} 个文件，超过上限 {} 个，已拒绝",
            zip.len(),
            limits.max_entries
        )));
    }
    let mut entries = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let e = zip.by_index_data(index).map_err(zip_error)?;
        let name = e
            .name()
            .map_err(|_| err(format!("压缩包第 {} 个文件的文件名无法识别", index + 1)))?
            .into_owned();
        check_name(&name, limits.max_name)?;
        let shown: String = name.chars().take(80).collect();
        let symlink = e.is_symlink() || e.unix_mode().is_some_and(|m| m & 0o170000 == 0o120000);
        if symlink {
            return Err(err(format!(
                "压缩包中的“{shown}”是符号链接（可能指向名录文件夹以外），已拒绝整个文件"
            )));
        }
        if e.encrypted() {
            return Err(err(format!("压缩包中的“{shown}”有密码保护，无法读取")));
        }
        let method = e.compression();
        if method != zip::CompressionMethod::Stored && method != zip::CompressionMethod::Deflated {
            return Err(err(format!(
                "压缩包中的“{shown}”使用了不支持的压缩方式（{method}）"
            )));
        }
        let (size, compressed_size) = (e.size(), e.compressed_size());
        if size > limits.max_entry {
            return Err(err(format!(
                "压缩包中的“{shown}”解压后有 {} 字节，超过单个文件的上限 {} 字节，已拒绝",
                size, limits.max_entry
            )));
        }
        if size >= limits.ratio_from && size / compressed_size.max(1) > limits.max_ratio {
            return Err(err(format!(
                "压缩包中的“{shown}”压缩比异常（{compressed_size} 字节解压成 {size} 字节，超过 {}:1），可能是“压缩炸弹”，已拒绝整个文件",
                limits.max_ratio
            )));
        }
        total = total.saturating_add(size);
        if total > limits.max_total {
            return Err(err(format!(
                "压缩包解压后总共超过 {} 字节的上限，已拒绝",
                limits.max_total
            )));
        }
        let is_dir = e.is_dir();
        if is_dir && size > 0 {
            return Err(err(format!("压缩包中的文件夹“{shown}”带有内容，已拒绝")));
        }
        entries.push(Entry {
            name,
            size,
            compressed_size,
            is_dir,
            index,
        });
    }
    Ok(Archive { zip, entries })
}

impl<R: Read + Seek> Archive<R> {
    /// Every entry, in archive order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// The entry of that name, if any.
    pub fn entry(&self, name: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.name == name)
    }

    /// Reads an entry whole into memory, refused when it is (or turns out to be) larger
    /// than `cap` bytes.
    pub fn read(&mut self, name: &str, cap: u64) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        self.copy(name, cap, &mut out)?;
        Ok(out)
    }

    /// Streams an entry into `out`; returns the bytes written. Stops with an error at the
    /// declared size or `cap` plus one byte, whichever is smaller, so a lying header costs
    /// at most that much.
    pub fn copy(&mut self, name: &str, cap: u64, out: &mut dyn Write) -> Result<u64> {
        let entry = self
            .entry(name)
            .cloned()
            .ok_or_else(|| err(format!("压缩包中缺少“{name}”")))?;
        if entry.size > cap {
            return Err(err(format!(
                "压缩包中的“{name}”有 {} 字节，超过上限 {cap} 字节，已拒绝",
                entry.size
            )));
        }
        let limit = entry.size.min(cap);
        let file = self
            .zip
            .by_index(entry.index)
            .map_err(|e| err(format!("压缩包中的“{name}”无法读取，文件可能已损坏（{e}）")))?;
        let mut capped = file.take(limit + 1);
        let mut buf = vec![0u8; 1 << 16];
        let mut written: u64 = 0;
        loop {
            let n = match capped.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    return Err(err(format!(
                        "压缩包中的“{name}”无法读取，文件可能已损坏或被截断（{e}）"
                    )))
                }
            };
            written += n as u64;
            if written > limit {
                return Err(err(format!(
                    "压缩包中的“{name}”实际内容比声明的 {limit} 字节更大，已拒绝整个文件"
                )));
            }
            out.write_all(&buf[..n])
                .map_err(|e| err(format!("写出“{name}”失败：{e}")))?;
        }
        if written != entry.size {
            return Err(err(format!(
                "压缩包中的“{name}”只有 {written} 字节，与声明的 {} 字节不符，文件可能被截断",
                entry.size
            )));
        }
        Ok(written)
    }
}

impl<R: Read + Seek> Archive<R> {
    /// Lends `f` a reader over an entry's content that fails (an `InvalidData` error)
    /// once more than the declared size comes out; `f` must read to the end for the
    /// check to be complete. For streaming an entry somewhere that wants a `Read`.
    pub fn with_reader<T>(&mut self, name: &str, f: impl FnOnce(&mut dyn Read) -> T) -> Result<T> {
        let entry = self
            .entry(name)
            .cloned()
            .ok_or_else(|| err(format!("压缩包中缺少“{name}”")))?;
        let file = self
            .zip
            .by_index(entry.index)
            .map_err(|e| err(format!("压缩包中的“{name}”无法读取，文件可能已损坏（{e}）")))?;
        let mut capped = Capped {
            inner: file.take(entry.size + 1),
            left: entry.size,
        };
        Ok(f(&mut capped))
    }
}

/// A reader that refuses to yield more than `left` bytes.
struct Capped<R> {
    inner: R,
    left: u64,
}

impl<R: Read> Read for Capped<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n as u64 > self.left {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "内容比声明的更大",
            ));
        }
        self.left -= n as u64;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use zip::write::{SimpleFileOptions, ZipWriter};

    fn build(files: &[(&str, &[u8])]) -> Vec<u8> {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        for (name, data) in files {
            w.start_file(*name, SimpleFileOptions::default()).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn refused(bytes: &[u8]) -> String {
        match open_bytes(bytes) {
            Ok(_) => panic!("accepted"),
            Err(e) => e.0,
        }
    }

    #[test]
    fn a_plain_archive_opens_and_reads() {
        let bytes = build(&[("manifest.json", b"{}"), ("records/item.json", b"[1,2]")]);
        let mut a = open_bytes(&bytes).unwrap();
        assert_eq!(a.entries().len(), 2);
        assert_eq!(a.read("records/item.json", 100).unwrap(), b"[1,2]");
        assert!(a
            .read("records/item.json", 3)
            .unwrap_err()
            .0
            .contains("超过上限"));
        assert!(a.read("nope", 3).unwrap_err().0.contains("缺少"));
    }

    #[test]
    fn names_that_leave_the_folder_are_refused() {
        for (name, word) in [
            ("../evil.txt", ".."),
            ("a/../../evil.txt", ".."),
            ("/etc/x", "绝对路径"),
            ("C:evil", "盘符"),
            ("c:/windows/x", "盘符"),
            ("a\\..\\x", "反斜杠"),
            ("a//b", "不规范"),
            ("./a", "不规范"),
            ("a\u{1}b", "控制字符"),
        ] {
            let msg = check_name(name, 512).unwrap_err().0;
            assert!(msg.contains(word), "{name}: {msg}");
        }
        assert!(check_name("media/ab12", 512).is_ok());
        assert!(check_name("records/", 512).is_ok());
        let bytes = build(&[("ok.txt", b"1"), ("../evil.txt", b"x")]);
        assert!(refused(&bytes).contains("../evil.txt"));
    }

    #[test]
    fn symlinks_are_refused() {
        let mut w = ZipWriter::new(Cursor::new(Vec::new()));
        w.add_symlink("link", "/etc/passwd", SimpleFileOptions::default())
            .unwrap();
        let bytes = w.finish().unwrap().into_inner();
        assert!(refused(&bytes).contains("符号链接"));
    }

    #[test]
    fn a_zip_bomb_is_refused_before_reading() {
        let zeros = vec![0u8; 20 << 20];
        let bytes = build(&[("records/item.json", &zeros)]);
        assert!(bytes.len() < 1 << 20);
        let msg = refused(&bytes);
        assert!(msg.contains("压缩炸弹"), "{msg}");
        // Too many entries and too large a total, with tight limits.
        let bytes = build(&[("a", b"12345"), ("b", b"12345")]);
        let tight = Limits {
            max_entries: 1,
            ..Limits::default()
        };
        assert!(open(Cursor::new(&bytes), tight)
            .unwrap_err()
            .0
            .contains("个文件"));
        let tight = Limits {
            max_total: 8,
            ..Limits::default()
        };
        assert!(open(Cursor::new(&bytes), tight)
            .unwrap_err()
            .0
            .contains("总共"));
    }

    #[test]
    fn empty_truncated_and_foreign_files_are_refused() {
        assert!(refused(b"").contains("空的"));
        assert!(refused(b"hello, this is not a zip").contains("不是有效的 ZIP"));
        let bytes = build(&[("a.json", &[7u8; 5000])]);
        for cut in [10, bytes.len() / 2, bytes.len() - 10] {
            let _ = open_bytes(&bytes[..cut]).map(|mut a| {
                let _ = a.read("a.json", 1 << 20);
            });
        }
        // Damaged content (CRC) is noticed while reading.
        let stored = {
            let mut w = ZipWriter::new(Cursor::new(Vec::new()));
            let o = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
            w.start_file("a.txt", o).unwrap();
            w.write_all(b"hello world").unwrap();
            w.finish().unwrap().into_inner()
        };
        let at = stored
            .windows(11)
            .position(|w| w == b"hello world")
            .unwrap();
        let mut bad = stored.clone();
        bad[at] = b'j';
        let mut a = open_bytes(&bad).unwrap();
        assert!(a.read("a.txt", 100).is_err());
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        // A small deterministic fuzz: every prefix, and bytes flipped all over a real archive.
        let bytes = build(&[("manifest.json", b"{\"a\":1}"), ("media/x", &[1u8; 3000])]);
        let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
        for round in 0..400 {
            let mut b = bytes.clone();
            for _ in 0..(round % 7 + 1) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = (seed as usize) % b.len();
                b[at] = (seed >> 32) as u8;
            }
            let cut = if round % 3 == 0 {
                (seed as usize) % b.len()
            } else {
                b.len()
            };
            if let Ok(mut a) = open_bytes(&b[..cut]) {
                let names: Vec<String> = a.entries().iter().map(|e| e.name.clone()).collect();
                for n in names {
                    let _ = a.read(&n, 1 << 20);
                }
            }
        }
    }
}

//! The media library: the content-addressed store, import checks, duplicates, links,
//! descriptions, fixity and relinking. Fixtures are made in the tests.

use crate::support::{clock, item};
use feiyi_core::media::store::{StageError, Store};
use feiyi_core::model::*;
use feiyi_core::{Error, Registry};
use sha2::{Digest, Sha256};
use std::io::{Cursor, Read};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

// ------------------------------------------------------------------ fixtures

/// A JPEG photo of `w`×`h` pixels, different for each `seed`.
fn jpeg(w: u32, h: u32, seed: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x as u8).wrapping_add(seed), (y as u8) ^ seed, seed])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// A PNG image.
fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| image::Rgba([x as u8, y as u8, 7, 255]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A tiny PDF, written as text.
fn pdf(text: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n% {text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// A minimal WAV: 16-bit mono PCM at 8 kHz, `samples` samples.
fn wav(samples: u32) -> Vec<u8> {
    let data_len = samples * 2;
    let mut v = b"RIFF".to_vec();
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes()); // PCM
    v.extend_from_slice(&1u16.to_le_bytes()); // mono
    v.extend_from_slice(&8000u32.to_le_bytes());
    v.extend_from_slice(&16000u32.to_le_bytes());
    v.extend_from_slice(&2u16.to_le_bytes());
    v.extend_from_slice(&16u16.to_le_bytes());
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..samples {
        v.extend_from_slice(&((i as i16).wrapping_mul(97)).to_le_bytes());
    }
    v
}

fn sha256(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

struct Lib {
    _dir: tempfile::TempDir,
    root: PathBuf,
    src: PathBuf,
    reg: Registry,
}

impl Lib {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("registry");
        let src = dir.path().join("incoming");
        std::fs::create_dir_all(&src).unwrap();
        let reg = Registry::create(&root, RegistryKind::Real, clock()).unwrap();
        Lib {
            _dir: dir,
            root,
            src,
            reg,
        }
    }

    /// Writes a source file to import.
    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.src.join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn import(&mut self, files: &[PathBuf], link: Option<MediaLinkTarget>) -> MediaImportReport {
        self.reg
            .media_import(files, link, &|_| {}, &AtomicBool::new(false))
            .unwrap()
    }

    fn item(&mut self, name: &str) -> String {
        self.reg.item_save(item(name, "Ⅲ", None)).unwrap().id
    }

    fn original(&self, sha: &str, ext: &str) -> PathBuf {
        self.root
            .join("media/originals")
            .join(&sha[..2])
            .join(format!("{sha}.{ext}"))
    }

    /// Every file in the store (originals and temporary files).
    fn store_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        // Originals only: thumbnails live apart, in media/derived.
        let originals = self.root.join("media/originals");
        if originals.exists() {
            feiyi_core::media::store::walk(&originals, &mut out).unwrap();
        }
        out
    }

    fn tmp_files(&self) -> Vec<PathBuf> {
        let mut out = Vec::new();
        feiyi_core::media::store::walk(&self.root.join("media/tmp"), &mut out).unwrap();
        out
    }

    fn rows(&self) -> i64 {
        self.reg
            .connection()
            .query_row("SELECT count(*) FROM media", [], |r| r.get(0))
            .unwrap()
    }
}

fn on_item(id: &str, role: &str) -> Option<MediaLinkTarget> {
    Some(MediaLinkTarget {
        entity: "item".into(),
        id: id.into(),
        role: role.into(),
    })
}

fn by_item(reg: &Registry, id: &str) -> MediaPage {
    reg.media_list(&MediaQuery {
        entity: Some("item".into()),
        entity_id: Some(id.into()),
        ..Default::default()
    })
    .unwrap()
}

/// A reader that fails after `limit` bytes, as a disk or network error mid-copy would.
struct FailAfter<R> {
    inner: R,
    left: usize,
}

impl<R: Read> Read for FailAfter<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.left == 0 {
            return Err(std::io::Error::other("模拟的读取故障"));
        }
        let n = buf.len().min(self.left);
        let n = self.inner.read(&mut buf[..n])?;
        self.left -= n;
        Ok(n)
    }
}

/// Big JPEG-looking content: a JPEG's first bytes, then `len` bytes of filler.
fn big(len: usize) -> Vec<u8> {
    let mut v = vec![0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10];
    v.resize(len, 0x5A);
    v
}

// --------------------------------------------------------------------- tests

#[test]
fn import_stores_each_original_under_its_hash_with_kind_size_and_links() {
    let mut lib = Lib::new();
    let it = lib.item("鲁南花鼓");
    let (photo, scan, audio, image) = (jpeg(64, 48, 1), pdf("申报书"), wav(800), png(30, 20));
    let files = [
        lib.file("演出.JPG", &photo),
        lib.file("申报书.pdf", &scan),
        lib.file("唱腔.wav", &audio),
        lib.file("道具.png", &image),
    ];
    let events = std::sync::Mutex::new(Vec::new());
    let report = lib
        .reg
        .media_import(
            &files,
            on_item(&it, ""),
            &|e| events.lock().unwrap().push(e),
            &AtomicBool::new(false),
        )
        .unwrap();
    assert_eq!(
        (
            report.imported,
            report.duplicates,
            report.failed,
            report.cancelled
        ),
        (4, 0, 0, 0),
        "{report:#?}"
    );
    let events = events.into_inner().unwrap();
    let total = (photo.len() + scan.len() + audio.len() + image.len()) as i64;
    let first = &events[0];
    assert_eq!(
        (first.stage.as_str(), first.count, first.bytes_total),
        ("started", 4, total)
    );
    let files_done: Vec<i64> = events
        .iter()
        .filter(|e| e.stage == "file")
        .map(|e| e.files_done)
        .collect();
    assert_eq!(files_done, [1, 2, 3, 4], "one event per file, counted up");
    let last = events.last().unwrap();
    assert_eq!((last.stage.as_str(), last.bytes_done), ("finished", total));
    assert_eq!(last.report.as_ref().unwrap().imported, 4);
    for (out, (bytes, ext, kind)) in report.outcomes.iter().zip([
        (&photo, "jpg", "照片"),
        (&scan, "pdf", "文档"),
        (&audio, "wav", "音频"),
        (&image, "png", "照片"),
    ]) {
        assert_eq!(out.status, MediaImportStatus::Imported);
        let sha = sha256(bytes);
        assert_eq!(out.sha256.as_deref(), Some(sha.as_str()));
        assert_eq!(out.kind.as_deref(), Some(kind));
        let stored = lib.original(&sha, ext);
        assert_eq!(
            &std::fs::read(&stored).unwrap(),
            bytes,
            "original kept byte for byte"
        );
        let d = lib.reg.media_get(out.media_id.as_deref().unwrap()).unwrap();
        assert_eq!((d.kind.as_str(), d.ext.as_str()), (kind, ext));
        assert_eq!(d.size_bytes, bytes.len() as i64);
        assert_eq!(d.sha256, sha);
        assert_eq!(d.links.len(), 1);
        assert_eq!(d.links[0].entity_name.as_deref(), Some("鲁南花鼓"));
        assert!(
            !lib.reg.history("media", &d.id).unwrap().is_empty(),
            "the import is in the edit log"
        );
    }
    let photo_d = lib
        .reg
        .media_get(report.outcomes[0].media_id.as_deref().unwrap())
        .unwrap();
    assert_eq!((photo_d.width, photo_d.height), (Some(64), Some(48)));
    assert_eq!(photo_d.original_name, "演出.JPG");
    assert_eq!(photo_d.mime.as_deref(), Some("image/jpeg"));
    let png_d = lib
        .reg
        .media_get(report.outcomes[3].media_id.as_deref().unwrap())
        .unwrap();
    assert_eq!((png_d.width, png_d.height), (Some(30), Some(20)));
    let pdf_d = lib
        .reg
        .media_get(report.outcomes[1].media_id.as_deref().unwrap())
        .unwrap();
    assert_eq!((pdf_d.width, pdf_d.height), (None, None), "never guessed");
    let roles: Vec<String> = report
        .outcomes
        .iter()
        .map(|o| {
            lib.reg
                .media_get(o.media_id.as_deref().unwrap())
                .unwrap()
                .links[0]
                .role
                .clone()
        })
        .collect();
    assert_eq!(roles, ["照片", "扫描件", "录音", "照片"], "role by kind");
    assert_eq!(by_item(&lib.reg, &it).total, 4);
    assert!(lib.tmp_files().is_empty(), "no temporary file left");
    assert!(lib.reg.verify_log().unwrap().is_empty());
}

#[test]
fn the_same_content_twice_is_one_row_one_file_and_a_new_link() {
    let mut lib = Lib::new();
    let a = lib.item("台儿庄古城传说");
    let b = lib.item("运河号子");
    let photo = jpeg(40, 40, 9);
    let first = lib.import(&[lib.file("古城.jpg", &photo)], on_item(&a, "照片"));
    assert_eq!(first.imported, 1);
    let again = lib.import(&[lib.file("副本 古城.jpeg", &photo)], on_item(&b, "照片"));
    assert_eq!((again.imported, again.duplicates), (0, 1));
    let out = &again.outcomes[0];
    assert_eq!(out.status, MediaImportStatus::Duplicate);
    assert_eq!(out.media_id, first.outcomes[0].media_id);
    assert_eq!(out.sha256.as_deref(), Some(sha256(&photo).as_str()));
    let msg = out.message.as_deref().unwrap();
    assert!(
        msg.contains("副本 古城.jpeg") && msg.contains("古城.jpg") && msg.contains("运河号子"),
        "{msg}"
    );
    assert_eq!(lib.rows(), 1);
    assert_eq!(lib.store_files().len(), 1, "one original");
    assert_eq!(
        by_item(&lib.reg, &b).total,
        1,
        "the existing media is linked"
    );
    assert_eq!(by_item(&lib.reg, &a).total, 1);
    // The same file and target a third time: nothing new.
    let third = lib.import(&[lib.file("古城.jpg", &photo)], on_item(&a, "照片"));
    assert_eq!(third.duplicates, 1);
    let d = lib.reg.media_get(out.media_id.as_deref().unwrap()).unwrap();
    assert_eq!(d.links.len(), 2);
}

#[test]
fn broken_empty_unknown_and_mislabelled_files_are_refused_by_name_and_nothing_is_stored() {
    let mut lib = Lib::new();
    let photo = jpeg(80, 60, 3);
    let mut short_wav = wav(400);
    short_wav.truncate(short_wav.len() - 100);
    let mut unfinished_pdf = pdf("未完");
    unfinished_pdf.truncate(unfinished_pdf.len() - 7);
    let cases: [(&str, Vec<u8>, &str); 9] = [
        ("空白.jpg", Vec::new(), "空文件"),
        (
            "乱码.jpg",
            b"this is not a photo at all".to_vec(),
            "无法识别",
        ),
        (
            "半张.jpg",
            photo[..photo.len() / 2].to_vec(),
            "不是完整的 JPEG",
        ),
        ("其实是PNG.jpg", png(10, 10), "扩展名与内容不符"),
        ("其实是PDF.jpg", pdf("扫描件"), "扩展名与内容不符"),
        ("照片.txt", photo.clone(), "不是资料库收录的类型"),
        ("录音.wav", short_wav, "不是完整的 WAV"),
        ("公文.pdf", unfinished_pdf, "%%EOF"),
        (
            "头坏了.jpg",
            [&[0xFF, 0xD8, 0xFF, 0xD9][..], &[0u8; 64]].concat(),
            "文件头无法解析",
        ),
    ];
    let files: Vec<PathBuf> = cases.iter().map(|(n, b, _)| lib.file(n, b)).collect();
    let report = lib.import(&files, None);
    assert_eq!(report.failed, cases.len() as i64, "{report:#?}");
    for (out, (name, _, why)) in report.outcomes.iter().zip(&cases) {
        assert_eq!(out.status, MediaImportStatus::Failed);
        assert_eq!(&out.name, name);
        let msg = out.message.as_deref().unwrap();
        assert!(msg.contains(&format!("“{name}”")), "names the file: {msg}");
        assert!(msg.contains(why), "{name}: {msg}");
        assert!(out.media_id.is_none());
    }
    assert!(report.outcomes[3]
        .message
        .as_deref()
        .unwrap()
        .contains("PNG 图片"));
    assert_eq!(lib.rows(), 0);
    assert!(lib.store_files().is_empty(), "{:?}", lib.store_files());
}

#[test]
fn a_failure_mid_copy_leaves_no_row_and_no_file() {
    let mut lib = Lib::new();
    let content = big(3 << 20);
    let mut reader = FailAfter {
        inner: Cursor::new(content.clone()),
        left: (5 << 20) / 2,
    };
    let out = lib
        .reg
        .media_import_reader("大照片.jpg", &mut reader, None, &AtomicBool::new(false))
        .unwrap();
    assert_eq!(out.status, MediaImportStatus::Failed);
    let msg = out.message.unwrap();
    assert!(
        msg.contains("“大照片.jpg”") && msg.contains("读取失败"),
        "{msg}"
    );
    assert_eq!(lib.rows(), 0);
    assert!(lib.store_files().is_empty(), "{:?}", lib.store_files());

    // The store on its own: the same failure leaves nothing either.
    let store = Store::new(&lib.root);
    let mut reader = FailAfter {
        inner: Cursor::new(content.clone()),
        left: 1 << 20 | 17,
    };
    let err = store
        .put_reader(&mut reader, "jpg", &AtomicBool::new(false))
        .unwrap_err();
    assert!(matches!(err, StageError::Read(_)), "{err:?}");
    assert!(lib.store_files().is_empty());
    let stored = store
        .put_reader(&mut Cursor::new(&content), "jpg", &AtomicBool::new(false))
        .unwrap();
    assert!(stored.newly_stored);
    assert_eq!(stored.sha256, sha256(&content));
    assert_eq!(std::fs::read(&stored.path).unwrap(), content);
    let again = store
        .put_reader(&mut Cursor::new(&content), "jpg", &AtomicBool::new(false))
        .unwrap();
    assert!(!again.newly_stored, "same hash: the copy is dropped");
    assert_eq!(lib.store_files(), vec![stored.path]);
}

#[test]
fn a_failed_record_write_removes_the_newly_stored_original() {
    let mut lib = Lib::new();
    lib.reg
        .connection()
        .execute_batch(
            "CREATE TEMP TRIGGER refuse BEFORE INSERT ON media BEGIN SELECT RAISE(ABORT, '模拟的数据库故障'); END;",
        )
        .unwrap();
    let report = lib.import(&[lib.file("合影.jpg", &jpeg(20, 20, 5))], None);
    assert_eq!(report.failed, 1);
    let msg = report.outcomes[0].message.as_deref().unwrap();
    assert!(
        msg.contains("“合影.jpg”") && msg.contains("模拟的数据库故障"),
        "{msg}"
    );
    assert_eq!(lib.rows(), 0);
    assert!(
        lib.store_files().is_empty(),
        "no orphan: {:?}",
        lib.store_files()
    );
    lib.reg
        .connection()
        .execute_batch("DROP TRIGGER temp.refuse")
        .unwrap();
    // Earlier files stay imported when a later one fails.
    let files = [
        lib.file("一.jpg", &jpeg(20, 20, 6)),
        lib.file("二.jpg", b"garbage"),
        lib.file("三.pdf", &pdf("三")),
    ];
    let report = lib.import(&files, None);
    assert_eq!((report.imported, report.failed), (2, 1));
    assert_eq!(lib.rows(), 2);
}

#[test]
fn a_leftover_temporary_file_is_cleaned_on_the_next_import_but_not_one_in_use() {
    let mut lib = Lib::new();
    let tmp = lib.root.join("media/tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::write(tmp.join("crashed.part"), b"half a file").unwrap();
    let held = tmp.join("busy.part");
    let busy = std::fs::OpenOptions::new()
        .create(true)
        .truncate(true)
        .write(true)
        .open(&held)
        .unwrap();
    busy.lock().unwrap();
    let report = lib.import(&[lib.file("新.jpg", &jpeg(8, 8, 1))], None);
    assert_eq!(report.imported, 1);
    assert!(!tmp.join("crashed.part").exists());
    assert!(
        held.exists(),
        "a temporary file being written is left alone"
    );
    drop(busy);
    assert_eq!(Store::new(&lib.root).clean_tmp().unwrap(), 1);
    assert!(lib.tmp_files().is_empty());
}

#[test]
fn cancelling_stops_between_files_and_inside_a_big_file() {
    let mut lib = Lib::new();
    let files = [
        lib.file("1.jpg", &jpeg(16, 16, 1)),
        lib.file("2.jpg", &jpeg(16, 16, 2)),
        lib.file("3.jpg", &jpeg(16, 16, 3)),
    ];
    // Cancelled before any file is read: nothing is imported, every file is reported.
    let cancel = AtomicBool::new(false);
    let report = lib
        .reg
        .media_import(
            &files,
            None,
            &|e| {
                if e.stage == "started" {
                    cancel.store(true, Ordering::Relaxed);
                }
            },
            &cancel,
        )
        .unwrap();
    let statuses: Vec<_> = report.outcomes.iter().map(|o| o.status).collect();
    assert_eq!(statuses, [MediaImportStatus::Cancelled; 3]);
    assert_eq!((report.imported, report.cancelled), (0, 3));
    assert_eq!(lib.rows(), 0);
    lib.import(&files[..1], None);

    // Inside a big file: stopped between buffers, its temporary file removed.
    let huge = lib.file("长视频.jpg", &big(20 << 20));
    let cancel = AtomicBool::new(false);
    let report = lib
        .reg
        .media_import(
            &[huge],
            None,
            &|e| {
                if e.stage == "progress" && e.bytes_done > 0 {
                    cancel.store(true, Ordering::Relaxed);
                }
            },
            &cancel,
        )
        .unwrap();
    assert_eq!(report.cancelled, 1, "{report:#?}");
    assert_eq!(lib.rows(), 1);
    assert!(lib.tmp_files().is_empty());
    assert_eq!(lib.store_files().len(), 1);
}

#[test]
fn verify_finds_tampered_missing_and_unreferenced_files_and_relink_restores() {
    let mut lib = Lib::new();
    let (a, b, c) = (jpeg(30, 30, 1), pdf("决定"), wav(100));
    let report = lib.import(
        &[
            lib.file("传承人肖像.jpg", &a),
            lib.file("公布文件.pdf", &b),
            lib.file("采访.wav", &c),
        ],
        None,
    );
    assert_eq!(report.imported, 3);
    let ok = lib.reg.media_verify().unwrap();
    assert!(ok.ok, "{ok:#?}");
    assert_eq!(ok.checked, 3);

    let tampered = lib.original(&sha256(&a), "jpg");
    let mut bytes = std::fs::read(&tampered).unwrap();
    bytes[100] ^= 0x01;
    std::fs::write(&tampered, &bytes).unwrap();
    std::fs::remove_file(lib.original(&sha256(&b), "pdf")).unwrap();
    let stray = lib.root.join("media/originals/zz/多出来的.jpg");
    std::fs::create_dir_all(stray.parent().unwrap()).unwrap();
    std::fs::write(&stray, b"stray").unwrap();

    let r = lib.reg.media_verify().unwrap();
    assert!(!r.ok);
    assert_eq!(r.checked, 3);
    assert_eq!(r.changed.len(), 1);
    assert_eq!(r.changed[0].original_name, "传承人肖像.jpg");
    assert_eq!(
        r.changed[0].actual_sha256.as_deref(),
        Some(sha256(&bytes).as_str())
    );
    assert_eq!(r.missing.len(), 1);
    assert_eq!(r.missing[0].original_name, "公布文件.pdf");
    assert_eq!(r.unreferenced.len(), 1);
    assert!(r.unreferenced[0].path.ends_with("多出来的.jpg"));
    assert_eq!(r.unreferenced[0].size_bytes, 5);

    // A backup folder with the missing file under another name, among others.
    let backup = lib.src.join("备份/2024");
    std::fs::create_dir_all(&backup).unwrap();
    std::fs::write(backup.join("scan-001.pdf"), &b).unwrap();
    std::fs::write(backup.join("other.pdf"), pdf("别的")).unwrap();
    std::fs::write(backup.join("same-size.bin"), vec![b'x'; b.len()]).unwrap();
    let relink = lib.reg.media_relink(&lib.src).unwrap();
    assert_eq!(relink.restored.len(), 1, "{relink:#?}");
    assert_eq!(relink.restored[0].original_name, "公布文件.pdf");
    assert!(relink.restored[0].source.ends_with("scan-001.pdf"));
    assert!(relink.still_missing.is_empty());
    assert!(relink.scanned >= 6);
    assert_eq!(std::fs::read(lib.original(&sha256(&b), "pdf")).unwrap(), b);
    let after = lib.reg.media_verify().unwrap();
    assert!(after.missing.is_empty());
    assert_eq!(
        after.changed.len(),
        1,
        "a changed original is reported, not replaced"
    );
    assert!(lib.tmp_files().is_empty());
}

#[test]
fn media_path_serves_only_known_live_hashes() {
    let mut lib = Lib::new();
    let photo = jpeg(12, 12, 4);
    let report = lib.import(&[lib.file("a.jpg", &photo)], None);
    let sha = sha256(&photo);
    let path = lib.reg.media_path(&sha).unwrap();
    assert_eq!(path, lib.original(&sha, "jpg"));
    for bad in [
        sha.to_uppercase(),
        "../../registry.sqlite".to_string(),
        format!("{sha}0"),
        sha[..63].to_string(),
        String::new(),
    ] {
        let e = lib.reg.media_path(&bad).unwrap_err();
        assert_eq!(e.code(), "validation", "{bad}");
    }
    let unknown = sha256(b"never imported");
    assert_eq!(
        lib.reg.media_path(&unknown).unwrap_err().code(),
        "not_found"
    );
    let id = report.outcomes[0].media_id.clone().unwrap();
    lib.reg.media_delete(&id, "重复的照片").unwrap();
    assert_eq!(lib.reg.media_path(&sha).unwrap_err().code(), "deleted");
    assert!(
        lib.original(&sha, "jpg").exists(),
        "a deleted record keeps its original"
    );
    lib.reg.media_restore(&id).unwrap();
    assert!(lib.reg.media_path(&sha).is_ok());
}

#[test]
fn descriptions_links_order_and_the_bin() {
    let mut lib = Lib::new();
    let it = lib.item("柳琴戏");
    let report = lib.import(
        &[
            lib.file("一.jpg", &jpeg(10, 10, 1)),
            lib.file("二.jpg", &jpeg(10, 10, 2)),
            lib.file("三.jpg", &jpeg(10, 10, 3)),
        ],
        on_item(&it, "照片"),
    );
    let ids: Vec<String> = report
        .outcomes
        .iter()
        .map(|o| o.media_id.clone().unwrap())
        .collect();
    let order = |lib: &Lib| -> Vec<String> {
        by_item(&lib.reg, &it)
            .rows
            .into_iter()
            .map(|r| r.id)
            .collect()
    };
    assert_eq!(order(&lib), ids, "links appended in import order");

    let d = lib
        .reg
        .media_describe(MediaDescription {
            id: ids[1].clone(),
            title: Some("  2019年春节演出  ".into()),
            caption: Some("柳琴戏《喝面叶》选段".into()),
            caption_place: Some("台儿庄古城".into()),
            creator: Some("王摄影".into()),
            confidential: true,
            catalogued_at: Some("2026-11-27".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(d.description.title.as_deref(), Some("2019年春节演出"));
    assert!(d.description.confidential);
    let log = lib.reg.history("media", &ids[1]).unwrap();
    let fields: Vec<&str> = log.iter().filter_map(|e| e.field.as_deref()).collect();
    for f in [
        "title",
        "caption",
        "captionPlace",
        "creator",
        "confidential",
        "cataloguedAt",
    ] {
        assert!(fields.contains(&f), "{f} logged: {fields:?}");
    }
    let bad = lib
        .reg
        .media_describe(MediaDescription {
            id: ids[1].clone(),
            catalogued_at: Some("去年".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(bad.fields()[0].field, "cataloguedAt");
    // A description field is reverted like any other; facts of the file are not.
    let title = log
        .iter()
        .find(|e| e.field.as_deref() == Some("title"))
        .unwrap();
    assert!(title.revertible);
    lib.reg.history_revert(title.seq).unwrap();
    let d = lib.reg.media_get(&ids[1]).unwrap();
    assert_eq!(d.description.title, None);
    assert!(d.description.confidential, "only the title is put back");

    let q = |reg: &Registry, query: MediaQuery| reg.media_list(&query).unwrap().total;
    assert_eq!(
        q(
            &lib.reg,
            MediaQuery {
                query: Some("喝面叶".into()),
                ..Default::default()
            }
        ),
        1
    );
    assert_eq!(
        q(
            &lib.reg,
            MediaQuery {
                query: Some("三.jpg".into()),
                ..Default::default()
            }
        ),
        1
    );
    assert_eq!(
        q(
            &lib.reg,
            MediaQuery {
                confidential: Some(true),
                ..Default::default()
            }
        ),
        1
    );
    assert_eq!(
        q(
            &lib.reg,
            MediaQuery {
                confidential: Some(false),
                ..Default::default()
            }
        ),
        2
    );
    assert_eq!(
        q(
            &lib.reg,
            MediaQuery {
                kind: Some("视频".into()),
                ..Default::default()
            }
        ),
        0
    );
    assert_eq!(
        q(
            &lib.reg,
            MediaQuery {
                entity: Some("inheritor".into()),
                ..Default::default()
            }
        ),
        0
    );

    let new_order = vec![ids[2].clone(), ids[0].clone(), ids[1].clone()];
    lib.reg
        .media_reorder("item", &it, "照片", &new_order)
        .unwrap();
    assert_eq!(order(&lib), new_order);
    assert!(lib
        .reg
        .history("item", &it)
        .unwrap()
        .iter()
        .any(|e| e.field.as_deref() == Some("mediaOrder.照片")));
    // The order change is logged with the ids, so 撤销 puts the old order back.
    let change = lib
        .reg
        .history("item", &it)
        .unwrap()
        .into_iter()
        .find(|e| e.field.as_deref() == Some("mediaOrder.照片"))
        .unwrap();
    assert!(change.revertible);
    lib.reg.history_revert(change.seq).unwrap();
    assert_eq!(order(&lib), ids);
    lib.reg
        .media_reorder("item", &it, "照片", &new_order)
        .unwrap();
    let wrong = lib
        .reg
        .media_reorder("item", &it, "照片", &ids[..2])
        .unwrap_err();
    assert_eq!(wrong.code(), "validation");

    // Link to a person as portrait; unlink from the item.
    let person = lib
        .reg
        .inheritor_save(InheritorInput {
            name: "李秀英".into(),
            ..Default::default()
        })
        .unwrap();
    let d = lib
        .reg
        .media_link(
            &ids[0],
            MediaLinkTarget {
                entity: "inheritor".into(),
                id: person.id.clone(),
                role: "肖像".into(),
            },
        )
        .unwrap();
    assert_eq!(d.links.len(), 2);
    assert_eq!(
        lib.reg.inheritor_get(&person.id).unwrap().portrait_media_id,
        Some(ids[0].clone())
    );
    let item_link = d
        .links
        .iter()
        .find(|l| l.entity == "item")
        .unwrap()
        .id
        .clone();
    let d = lib.reg.media_unlink(&item_link).unwrap();
    assert_eq!(d.links.len(), 1);
    assert_eq!(by_item(&lib.reg, &it).total, 2);
    assert!(lib
        .reg
        .history("media", &ids[0])
        .unwrap()
        .iter()
        .any(|e| e.field.as_deref() == Some("links")));

    // Bad targets are refused before anything is written.
    for (entity, id, field) in [
        ("item", "no-such-id", "id"),
        ("recipe", it.as_str(), "entity"),
    ] {
        let e = lib
            .reg
            .media_link(
                &ids[1],
                MediaLinkTarget {
                    entity: entity.into(),
                    id: id.into(),
                    role: "照片".into(),
                },
            )
            .unwrap_err();
        assert_eq!(e.fields()[0].field, field, "{e}");
    }
    let e = lib
        .reg
        .media_import(
            &[],
            on_item("no-such-id", "照片"),
            &|_| {},
            &AtomicBool::new(false),
        )
        .unwrap_err();
    assert!(e.to_string().contains("所选项目不存在"), "{e}");

    // The bin.
    assert_eq!(
        lib.reg.media_delete(&ids[2], " ").unwrap_err().code(),
        "validation"
    );
    lib.reg.media_delete(&ids[2], "与项目无关").unwrap();
    assert_eq!(by_item(&lib.reg, &it).total, 1);
    assert_eq!(
        q(
            &lib.reg,
            MediaQuery {
                deleted: true,
                ..Default::default()
            }
        ),
        1
    );
    assert_eq!(
        lib.reg
            .media_get(&ids[2])
            .unwrap()
            .deleted_reason
            .as_deref(),
        Some("与项目无关")
    );
    assert!(matches!(
        lib.reg.media_describe(MediaDescription {
            id: ids[2].clone(),
            ..Default::default()
        }),
        Err(Error::Deleted { .. })
    ));
    lib.reg.media_restore(&ids[2]).unwrap();
    assert_eq!(by_item(&lib.reg, &it).total, 2);
    assert!(lib.reg.verify_log().unwrap().is_empty());
}

#[test]
fn reimporting_a_deleted_file_restores_it_and_an_in_memory_registry_has_no_store() {
    let mut lib = Lib::new();
    let photo = jpeg(10, 10, 8);
    let first = lib.import(&[lib.file("旧照.jpg", &photo)], None);
    let id = first.outcomes[0].media_id.clone().unwrap();
    lib.reg.media_delete(&id, "误删").unwrap();
    let again = lib.import(&[lib.file("旧照.jpg", &photo)], None);
    assert_eq!(again.duplicates, 1);
    assert!(again.outcomes[0]
        .message
        .as_deref()
        .unwrap()
        .contains("已恢复"));
    assert!(lib.reg.media_get(&id).unwrap().deleted_at.is_none());
    // A lost original comes back when the same file is imported again.
    let original = lib.original(&sha256(&photo), "jpg");
    std::fs::remove_file(&original).unwrap();
    lib.import(&[lib.file("旧照.jpg", &photo)], None);
    assert_eq!(std::fs::read(&original).unwrap(), photo);

    let mut mem = crate::support::real();
    let e = mem
        .media_import_reader(
            "a.jpg",
            &mut Cursor::new(photo),
            None,
            &AtomicBool::new(false),
        )
        .unwrap_err();
    assert_eq!(e.code(), "conflict");
    assert!(mem.media_verify().is_err());
}

#[test]
fn a_tiff_scan_and_a_file_without_extension_are_recognised_by_content() {
    let mut lib = Lib::new();
    let img = image::RgbImage::from_fn(21, 13, |x, y| image::Rgb([x as u8, y as u8, 0]));
    let mut tiff = Cursor::new(Vec::new());
    img.write_to(&mut tiff, image::ImageFormat::Tiff).unwrap();
    let tiff = tiff.into_inner();
    let photo = jpeg(9, 7, 2);
    let report = lib.import(
        &[
            lib.file("老照片扫描.tif", &tiff),
            lib.file("IMG_0001", &photo),
        ],
        None,
    );
    assert_eq!(report.imported, 2, "{report:#?}");
    let scan = lib
        .reg
        .media_get(report.outcomes[0].media_id.as_deref().unwrap())
        .unwrap();
    assert_eq!((scan.kind.as_str(), scan.ext.as_str()), ("照片", "tif"));
    assert_eq!((scan.width, scan.height), (Some(21), Some(13)));
    let plain = lib
        .reg
        .media_get(report.outcomes[1].media_id.as_deref().unwrap())
        .unwrap();
    assert_eq!(
        (plain.ext.as_str(), plain.original_name.as_str()),
        ("jpg", "IMG_0001")
    );
    assert!(lib.original(&sha256(&photo), "jpg").exists());
}

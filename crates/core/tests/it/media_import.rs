//! Import end to end with what is read from the files: metadata in the record, the
//! thumbnail beside the original, GCJ-02 on display, order kept under parallel import,
//! batch edits, the date filter and the weekly fixity status.

use crate::media_files::{camera_exif, jpeg, mp4_video, wav, with_exif};
use crate::support::{clock, item};
use feiyi_core::model::*;
use feiyi_core::Registry;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;

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
        let src = dir.path().join("usb");
        std::fs::create_dir_all(&src).unwrap();
        let reg = Registry::open_or_create(&root, RegistryKind::Real, clock()).unwrap();
        Self {
            _dir: dir,
            root,
            src,
            reg,
        }
    }

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
}

#[test]
fn a_camera_photo_keeps_its_exif_facts_and_gets_an_upright_thumbnail() {
    let mut lib = Lib::new();
    let photo = lib.file(
        "IMG_0001.JPG",
        &with_exif(&jpeg(1200, 800, 90), &camera_exif()),
    );
    let report = lib.import(&[photo], None);
    let id = report.outcomes[0].media_id.clone().unwrap();
    let d = lib.reg.media_get(&id).unwrap();
    let t = &d.technical;
    assert_eq!((t.width, t.height), (Some(1200), Some(800)));
    assert_eq!(t.captured_at.as_deref(), Some("2023-10-01 14:30:05"));
    assert_eq!(t.camera.as_deref(), Some("Canon EOS 80D"));
    assert!((t.gps_lat.unwrap() - 34.5566).abs() < 1e-4);
    assert!((t.gps_lon.unwrap() - 117.734).abs() < 1e-4);
    let (glat, glon) = (t.gcj02_lat.unwrap(), t.gcj02_lon.unwrap());
    assert!(glat != t.gps_lat.unwrap() && (glat - t.gps_lat.unwrap()).abs() < 0.01);
    assert!(glon != t.gps_lon.unwrap() && (glon - t.gps_lon.unwrap()).abs() < 0.01);
    assert!(t.unread.is_empty(), "{:?}", t.unread);
    assert!(d.has_thumb && !d.has_preview);
    let thumb = lib.reg.media_derived_path(&d.sha256, false).unwrap();
    assert!(thumb.starts_with(lib.root.join("media/derived")));
    let img = image::open(&thumb).unwrap();
    assert!(
        img.height() > img.width() && img.height() <= 320,
        "orientation 6 stands the landscape photo up: {}×{}",
        img.width(),
        img.height()
    );
    let row = &lib.reg.media_list(&MediaQuery::default()).unwrap().rows[0];
    assert!(row.has_thumb);
    assert_eq!(row.captured_at.as_deref(), Some("2023-10-01 14:30:05"));
    // The date filter takes the day the photo was taken.
    let on = |from: &str, to: &str| {
        lib.reg
            .media_list(&MediaQuery {
                date_from: Some(from.into()),
                date_to: Some(to.into()),
                ..Default::default()
            })
            .unwrap()
            .total
    };
    assert_eq!(on("2023-10-01", "2023-10-01"), 1);
    assert_eq!(on("2024-01-01", "2024-12-31"), 0);
    let bad = lib
        .reg
        .media_list(&MediaQuery {
            date_from: Some("十月".into()),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(bad.fields()[0].field, "dateFrom");

    // Thumbnails are derived: deleted, they are rebuilt from the originals.
    std::fs::remove_dir_all(lib.root.join("media/derived")).unwrap();
    assert!(!lib.reg.media_get(&id).unwrap().has_thumb);
    assert_eq!(
        lib.reg
            .media_rebuild_derived(&AtomicBool::new(false))
            .unwrap(),
        1
    );
    assert!(lib.reg.media_get(&id).unwrap().has_thumb);
    assert!(
        lib.reg.media_verify().unwrap().ok,
        "derived files are not unreferenced originals"
    );
}

#[test]
fn video_and_audio_facts_are_stored_and_what_is_missing_is_said() {
    let mut lib = Lib::new();
    let files = [
        lib.file("排练.mp4", &mp4_video()),
        lib.file("唱段.wav", &wav(8000)),
        lib.file("无信息.jpg", &jpeg(64, 48, 80)),
    ];
    let report = lib.import(&files, None);
    assert_eq!(report.imported, 3, "{report:#?}");
    let get = |i: usize| {
        lib.reg
            .media_get(report.outcomes[i].media_id.as_deref().unwrap())
            .unwrap()
    };
    let video = get(0).technical;
    assert_eq!((video.width, video.height), (Some(320), Some(240)));
    assert!((video.duration_ms.unwrap() - 2000).abs() <= 20, "{video:?}");
    assert!(video.codec.as_deref().unwrap_or("").contains("H.264"));
    let audio = get(1).technical;
    assert_eq!((audio.sample_rate, audio.channels), (Some(8000), Some(1)));
    assert!((audio.duration_ms.unwrap() - 1000).abs() <= 20, "{audio:?}");
    let bare = get(2).technical;
    assert_eq!(bare.captured_at, None);
    assert!(
        bare.unread.iter().any(|u| u.contains("拍摄时间")),
        "{:?}",
        bare.unread
    );
    assert!(!get(0).has_thumb, "no thumbnail is made up for a video");
}

#[test]
fn many_files_imported_in_parallel_are_linked_in_the_order_given() {
    let mut lib = Lib::new();
    let it = lib.reg.item_save(item("运河花鼓", "Ⅲ", None)).unwrap();
    let files: Vec<PathBuf> = (1..=12)
        .map(|i| {
            // Sizes differ so that files finish preparing out of order.
            let side = if i % 3 == 0 { 900 + i } else { 40 + i * 4 };
            lib.file(&format!("IMG_{i:04}.JPG"), &jpeg(side, side, 85))
        })
        .collect();
    let link = MediaLinkTarget {
        entity: "item".into(),
        id: it.id.clone(),
        role: String::new(),
    };
    let report = lib.import(&files, Some(link));
    assert_eq!(report.imported, 12);
    let names: Vec<String> = lib
        .reg
        .media_list(&MediaQuery {
            entity: Some("item".into()),
            entity_id: Some(it.id.clone()),
            ..Default::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.original_name)
        .collect();
    let expected: Vec<String> = (1..=12).map(|i| format!("IMG_{i:04}.JPG")).collect();
    assert_eq!(names, expected);
    let outcome_names: Vec<&str> = report.outcomes.iter().map(|o| o.name.as_str()).collect();
    assert_eq!(outcome_names, expected);

    // A folder is imported as the files in it; the same files again are duplicates.
    let again = lib.import(&[lib.src.clone()], None);
    assert_eq!((again.imported, again.duplicates), (0, 12));
}

#[test]
fn a_batch_edit_sets_only_the_given_fields_links_all_and_is_checked_first() {
    let mut lib = Lib::new();
    let files = [
        lib.file("1.jpg", &jpeg(32, 32, 80)),
        lib.file("2.jpg", &jpeg(48, 32, 80)),
    ];
    let report = lib.import(&files, None);
    let ids: Vec<String> = report
        .outcomes
        .iter()
        .map(|o| o.media_id.clone().unwrap())
        .collect();
    lib.reg
        .media_describe(MediaDescription {
            id: ids[0].clone(),
            title: Some("保留的标题".into()),
            ..Default::default()
        })
        .unwrap();
    let it = lib.reg.item_save(item("鲁南花鼓", "Ⅲ", None)).unwrap();
    let result = lib
        .reg
        .media_batch_edit(MediaBatchEdit {
            ids: ids.clone(),
            set: MediaBatchFields {
                caption_place: Some("台儿庄古城".into()),
                creator: Some("王摄影".into()),
                confidential: Some(true),
                ..Default::default()
            },
            link: Some(MediaLinkTarget {
                entity: "item".into(),
                id: it.id.clone(),
                role: String::new(),
            }),
        })
        .unwrap();
    assert_eq!((result.changed, result.linked), (2, 2));
    for id in &ids {
        let d = lib.reg.media_get(id).unwrap();
        assert_eq!(d.description.caption_place.as_deref(), Some("台儿庄古城"));
        assert!(d.description.confidential);
        assert_eq!(d.links[0].role, "照片");
    }
    assert_eq!(
        lib.reg
            .media_get(&ids[0])
            .unwrap()
            .description
            .title
            .as_deref(),
        Some("保留的标题"),
        "fields not given are left alone"
    );
    // A bad date refuses the whole batch before anything is written.
    let err = lib
        .reg
        .media_batch_edit(MediaBatchEdit {
            ids: ids.clone(),
            set: MediaBatchFields {
                caption_place: Some("别处".into()),
                catalogued_at: Some("昨天".into()),
                ..Default::default()
            },
            link: None,
        })
        .unwrap_err();
    assert_eq!(err.fields()[0].field, "cataloguedAt");
    assert_eq!(
        lib.reg
            .media_get(&ids[1])
            .unwrap()
            .description
            .caption_place
            .as_deref(),
        Some("台儿庄古城")
    );
    assert!(lib.reg.verify_log().unwrap().is_empty());
}

#[test]
fn the_weekly_fixity_check_is_due_until_one_has_run() {
    let lib = Lib::new();
    let status = lib.reg.media_fixity_status().unwrap();
    assert!(status.due && status.last_run_at.is_none());
    lib.reg.media_verify().unwrap();
    let status = lib.reg.media_fixity_status().unwrap();
    assert!(!status.due);
    assert_eq!(status.last_ok, Some(true));
    assert!(status.last_summary.unwrap().contains("完好"));
    // A plan taken from one registry is not recorded in another.
    let other = Lib::new();
    let plan = lib.reg.media_fixity_plan().unwrap();
    let report = plan.check(&AtomicBool::new(false)).unwrap();
    assert_eq!(
        other
            .reg
            .media_fixity_record(&plan, &report)
            .unwrap_err()
            .code(),
        "conflict"
    );
}

//! Applications for the municipal list: export profiles and the pre-flight check (申报体检).
//! A complete application is built through the registry's API in a temporary registry; each
//! test breaks one thing and expects the finding for it.

use crate::media_files::jpeg;
use crate::support::{clock, item, sixth};
use feiyi_core::model::*;
use feiyi_core::{Error, Registry};
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::OnceLock;

// ------------------------------------------------------------------ fixtures

/// A 1920×1080 JPEG, encoded once; `photo(n)` makes it unique with a comment segment.
pub(crate) fn photo(n: u32) -> Vec<u8> {
    static BASE: OnceLock<Vec<u8>> = OnceLock::new();
    let base = BASE.get_or_init(|| jpeg(1920, 1080, 80));
    with_comment(base, n)
}

fn with_comment(jpeg: &[u8], n: u32) -> Vec<u8> {
    let text = format!("photo {n}");
    let len = (text.len() + 2) as u16;
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xFE]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(text.as_bytes());
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 9]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// An MP4 of `w`×`h` whose one sample lasts `secs` seconds.
fn video(w: u16, h: u16, secs: u32) -> Vec<u8> {
    let config = mp4::Mp4Config {
        major_brand: "isom".parse().unwrap(),
        minor_version: 512,
        compatible_brands: ["isom", "iso2", "avc1", "mp41"]
            .iter()
            .map(|b| b.parse().unwrap())
            .collect(),
        timescale: 1000,
    };
    let mut writer = mp4::Mp4Writer::write_start(Cursor::new(Vec::new()), &config).unwrap();
    writer
        .add_track(&mp4::TrackConfig {
            track_type: mp4::TrackType::Video,
            timescale: 1000,
            language: "und".into(),
            media_conf: mp4::MediaConfig::AvcConfig(mp4::AvcConfig {
                width: w,
                height: h,
                seq_param_set: vec![0x67, 0x42, 0xC0, 0x1E, 0xDA, 0x02, 0x80, 0xF6, 0x40],
                pic_param_set: vec![0x68, 0xCE, 0x3C, 0x80],
            }),
        })
        .unwrap();
    writer
        .write_sample(
            1,
            &mp4::Mp4Sample {
                start_time: 0,
                duration: secs * 1000,
                rendering_offset: 0,
                is_sync: true,
                bytes: vec![0u8, 0, 0, 4, 0x65, 0x88, 0x84, 1].into(),
            },
        )
        .unwrap();
    writer.write_end().unwrap();
    writer.into_writer().into_inner()
}

/// A tiny PDF, standing in for a scanned document.
fn pdf(text: &str) -> Vec<u8> {
    format!(
        "%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n% {text}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    .into_bytes()
}

/// The documents the default profile asks for, each linked with its role.
const DOCUMENTS: [&str; 4] = ["授权书", "知情同意书", "决定扫描件", "区政府同意申报文件"];

fn texts() -> ItemTexts {
    let t = |s: &str| Some(format!("【测试】{s}"));
    ItemTexts {
        applicant: t("台儿庄区文化馆"),
        distribution: t("运河街道、泥沟镇"),
        summary: t("项目简介"),
        geography: t("运河沿岸平原"),
        history: t("清代已有"),
        content: t("基本内容"),
        artifacts: t("相关器具"),
        lineage_text: t("三代相传"),
        features: t("主要特征"),
        value: t("重要价值"),
        viability: t("存续状况"),
        argumentation: t("项目论证"),
        management: t("项目管理"),
        protection_done: t("已采取的保护措施"),
        mechanism: t("管理机制"),
    }
}

pub(crate) struct App {
    _dir: tempfile::TempDir,
    src: PathBuf,
    pub(crate) reg: Registry,
    pub(crate) item: String,
    pub(crate) photos: Vec<String>,
    video: Option<String>,
    plan: String,
    pub(crate) recognition: String,
}

impl App {
    fn registry(kind: RegistryKind) -> (tempfile::TempDir, PathBuf, Registry) {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("incoming");
        std::fs::create_dir_all(&src).unwrap();
        let reg = Registry::create(&dir.path().join("registry"), kind, clock()).unwrap();
        (dir, src, reg)
    }

    /// A complete application: every section, ten captioned photos of 1920×1080, a six-minute
    /// 1080p video, the four documents, a recognised inheritor with 文号, a two-person lineage
    /// and a five-year plan with budget and basis.
    pub(crate) fn complete() -> Self {
        Self::build(true)
    }

    fn build(with_video: bool) -> Self {
        let (dir, src, mut reg) = Self::registry(RegistryKind::Real);
        let batch = sixth(&reg);
        let mut input = item("测试花鼓", "Ⅲ", Some(batch.clone()));
        input.texts = texts();
        let item = reg.item_save(input).unwrap().id;
        let master = reg
            .inheritor_save(InheritorInput {
                name: "王老师".into(),
                ..Default::default()
            })
            .unwrap()
            .id;
        let apprentice = reg
            .inheritor_save(InheritorInput {
                name: "李学生".into(),
                ..Default::default()
            })
            .unwrap()
            .id;
        let recognition = reg
            .recognition_save(RecognitionInput {
                inheritor_id: master.clone(),
                item_id: item.clone(),
                level: "区级".into(),
                batch_id: Some(batch),
                doc_number: Some("台政字〔2022〕34号".into()),
                recognized_on: Some("2022-06-01".into()),
                ..Default::default()
            })
            .unwrap()
            .id;
        reg.lineage_edge_save(LineageEdge {
            item_id: item.clone(),
            master_id: master,
            apprentice_id: apprentice,
            kind: "师徒".into(),
            from_year: Some(1990),
            ..Default::default()
        })
        .unwrap();
        let plan = reg
            .plan_save(PlanInput {
                item_id: item.clone(),
                title: "测试花鼓五年保护计划".into(),
                start_year: 2026,
                end_year: 2030,
                goals: Some("培养传人".into()),
                measures: Some("传习班".into()),
                budget_basis: Some("按课时测算".into()),
                years: (2026..=2030)
                    .map(|y| PlanYear {
                        year: y,
                        targets: Some(format!("{y} 年传习班 2 期")),
                        ..Default::default()
                    })
                    .collect(),
                budget: vec![BudgetLine {
                    year: 2026,
                    purpose: "传习班授课补贴".into(),
                    source: "区级财政".into(),
                    amount_fen: 2_000_000,
                    justification: Some("2 期 × 20 课时 × 500 元".into()),
                    ..Default::default()
                }],
                ..Default::default()
            })
            .unwrap()
            .id;
        let mut app = App {
            _dir: dir,
            src,
            reg,
            item,
            photos: Vec::new(),
            video: None,
            plan,
            recognition,
        };
        app.add_photos(10);
        if with_video {
            app.video = Some(app.import("排练.mp4", &video(1920, 1080, 360), "视频"));
        }
        for role in DOCUMENTS {
            app.import(&format!("{role}.pdf"), &pdf(role), role);
        }
        app
    }

    /// Imports photos numbered after the existing ones, captioned in full.
    pub(crate) fn add_photos(&mut self, n: u32) {
        let start = self.photos.len() as u32 + 1;
        for i in start..start + n {
            let id = self.import(&format!("IMG_{i:04}.JPG"), &photo(i), "照片");
            self.caption(&id, Some("排练现场"));
            self.photos.push(id);
        }
    }

    fn caption(&mut self, id: &str, caption: Option<&str>) {
        let mut d = self.reg.media_get(id).unwrap().description;
        d.caption = caption.map(str::to_string);
        let part = |s: &str| caption.map(|_| s.to_string());
        d.caption_time = part("2025-06-01");
        d.caption_place = part("台儿庄古城");
        d.caption_people = part("王老师");
        d.caption_event = part("传习班");
        self.reg.media_describe(d).unwrap();
    }

    /// Imports one file linked to the item with `role`; returns the media id.
    pub(crate) fn import(&mut self, name: &str, bytes: &[u8], role: &str) -> String {
        self.import_to("item", &self.item.clone(), name, bytes, role)
    }

    fn import_to(
        &mut self,
        entity: &str,
        id: &str,
        name: &str,
        bytes: &[u8],
        role: &str,
    ) -> String {
        let path = self.src.join(name);
        std::fs::write(&path, bytes).unwrap();
        let report = self
            .reg
            .media_import(
                &[path],
                Some(MediaLinkTarget {
                    entity: entity.into(),
                    id: id.into(),
                    role: role.into(),
                }),
                &|_| {},
                &AtomicBool::new(false),
            )
            .unwrap();
        let o = &report.outcomes[0];
        assert_eq!(o.status, MediaImportStatus::Imported, "{:?}", o.message);
        o.media_id.clone().unwrap()
    }

    /// The item's media with `role` (ids).
    fn with_role(&self, role: &str) -> Vec<String> {
        self.reg
            .application_data(&self.item)
            .unwrap()
            .media
            .iter()
            .filter(|m| m.role == role)
            .map(|m| m.media.id.clone())
            .collect()
    }

    fn check(&self) -> PreflightReport {
        self.reg.application_check(&self.item, None).unwrap()
    }

    pub(crate) fn set_texts(&mut self, f: impl FnOnce(&mut ItemTexts)) {
        let d = self.reg.item_get(&self.item).unwrap();
        let mut t = d.texts.clone();
        f(&mut t);
        self.reg
            .item_save(ItemInput {
                id: Some(d.id),
                name: d.name,
                category: d.category,
                batch_id: d.batch_id,
                seq: Some(d.seq),
                texts: t,
                ..Default::default()
            })
            .unwrap();
    }
}

fn errors(r: &PreflightReport) -> Vec<&Finding> {
    r.findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

/// The findings with `code`, asserting there is at least one.
fn found<'a>(r: &'a PreflightReport, code: &str) -> Vec<&'a Finding> {
    let v: Vec<_> = r.findings.iter().filter(|f| f.code == code).collect();
    assert!(!v.is_empty(), "no {code} in {:#?}", r.findings);
    v
}

/// The one error with `code`.
fn the_error<'a>(r: &'a PreflightReport, code: &str) -> &'a Finding {
    let v = found(r, code);
    assert_eq!(v.len(), 1, "{v:#?}");
    assert_eq!(v[0].severity, Severity::Error, "{:?}", v[0]);
    assert!(!r.ok_to_export);
    v[0]
}

const DEFAULT_NOTE: &str = "（默认值，可在申报配置中修改）";

// ------------------------------------------------------------------ profiles

#[test]
fn the_default_profile_is_listed_and_whole() {
    let reg = crate::support::real();
    let list = reg.application_profiles().unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "zaozhuang-municipal");
    assert_eq!(
        list[0].title,
        "枣庄市级非物质文化遗产代表性项目申报（默认）"
    );
    assert!(list[0].shipped);
    let p = reg.application_profile("zaozhuang-municipal").unwrap();
    let labels: Vec<_> = p.sections.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels[..3], ["申报地区或单位", "分布区域", "项目简介"]);
    assert_eq!(p.photos.min_count, 10);
    assert_eq!(
        (p.video.min_duration_sec, p.video.max_duration_sec),
        (Some(300), Some(600))
    );
    assert_eq!(p.video.min_short_edge_px, Some(1080));
    let roles: Vec<_> = p.documents.iter().map(|d| d.role.as_str()).collect();
    assert_eq!(roles, DOCUMENTS);
    assert_eq!(p.inheritors.levels, ["区级"]);
    assert!(p.plan.budget_basis_required);
    let err = reg.application_profile("nowhere").unwrap_err();
    assert_eq!(err.code(), "not_found");
    assert!(err.to_string().contains("申报配置"), "{err}");
}

#[test]
fn a_user_copy_is_saved_logged_and_used_while_the_shipped_profile_stays() {
    let mut reg = crate::support::real();
    let shipped = reg.application_profile("zaozhuang-municipal").unwrap();

    // Saving under the shipped name is refused: copies only.
    let err = reg.application_profile_save(shipped.clone()).unwrap_err();
    assert_eq!(err.code(), "validation");
    assert_eq!(err.fields()[0].field, "name");
    assert!(err.to_string().contains("另存为副本"), "{err}");

    let mut copy = shipped.clone();
    copy.name = "zaozhuang-2026".into();
    copy.title = "枣庄市级申报（2026 年通知）".into();
    copy.based_on = Some(shipped.name.clone());
    copy.sections[2].max_chars = Some(800);
    copy.sections[2].limit_source = Some("2026 年申报通知".into());
    let saved = reg.application_profile_save(copy.clone()).unwrap();
    assert!(!saved.shipped);
    assert_eq!(saved.based_on.as_deref(), Some("zaozhuang-municipal"));
    assert_eq!(reg.application_profile("zaozhuang-2026").unwrap(), copy);
    assert_eq!(
        reg.application_profile("zaozhuang-municipal").unwrap(),
        shipped
    );
    let names: Vec<_> = reg
        .application_profiles()
        .unwrap()
        .into_iter()
        .map(|p| p.name)
        .collect();
    assert_eq!(names, ["zaozhuang-municipal", "zaozhuang-2026"]);

    // A change is logged with the whole profile, old and new.
    copy.photos.min_count = 8;
    reg.application_profile_save(copy.clone()).unwrap();
    let log = reg
        .history("application_profile", "zaozhuang-2026")
        .unwrap();
    assert_eq!(log.len(), 2);
    assert_eq!(log[0].action, "update");
    assert!(log[0]
        .new_value
        .as_deref()
        .unwrap()
        .contains("\"minCount\":8"));
    assert!(log[0]
        .old_value
        .as_deref()
        .unwrap()
        .contains("\"minCount\":10"));
    assert_eq!(log[1].action, "create");

    // Bad numbers and keys are named by field.
    let mut bad = copy.clone();
    bad.sections[0].key = "nonsense".into();
    bad.video.min_duration_sec = Some(900);
    bad.inheritors.levels = vec!["村级".into()];
    let err = reg.application_profile_save(bad).unwrap_err();
    let fields: Vec<_> = err.fields().iter().map(|f| f.field.as_str()).collect();
    assert!(fields.contains(&"sections.0.key"), "{fields:?}");
    assert!(fields.contains(&"video.maxDurationSec"), "{fields:?}");
    assert!(fields.contains(&"inheritors.levels"), "{fields:?}");

    // Removal needs a reason; shipped profiles cannot be removed.
    assert_eq!(
        reg.application_profile_delete("zaozhuang-2026", " ")
            .unwrap_err()
            .code(),
        "validation"
    );
    assert_eq!(
        reg.application_profile_delete("zaozhuang-municipal", "不用")
            .unwrap_err()
            .code(),
        "conflict"
    );
    reg.application_profile_delete("zaozhuang-2026", "通知已作废")
        .unwrap();
    assert_eq!(reg.application_profiles().unwrap().len(), 1);
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn user_profiles_survive_reopening_the_registry() {
    let (dir, _src, mut reg) = App::registry(RegistryKind::Real);
    let mut copy = reg.application_profile("zaozhuang-municipal").unwrap();
    copy.name = "副本".into();
    copy.video.required = false;
    reg.application_profile_save(copy.clone()).unwrap();
    drop(reg);
    let reg = Registry::open(&dir.path().join("registry"), clock()).unwrap();
    assert_eq!(reg.application_profile("副本").unwrap(), copy);
}

// ------------------------------------------------------------------ pre-flight

#[test]
fn a_complete_application_has_no_errors() {
    let app = App::complete();
    let r = app.check();
    assert!(errors(&r).is_empty(), "{:#?}", errors(&r));
    assert!(r.ok_to_export);
    assert_eq!(r.error_count, 0);
    assert_eq!(r.profile, "zaozhuang-municipal");
    assert_eq!(r.item_name, "测试花鼓");
    assert_eq!(r.counts.photos, 10);
    assert_eq!(r.counts.videos, 1);
    assert_eq!(r.counts.documents, 4);
    assert_eq!(r.counts.inheritors, 1);
    assert_eq!(r.counts.lineage_people, 2);
    // Generated photos are far below 2 MB: a warning only, with the default's note.
    let w = found(&r, "photo_file_size");
    assert_eq!(w[0].severity, Severity::Warning);
    assert!(w[0].message.contains("建议 2–5 MB"), "{}", w[0].message);
    assert!(w[0].message.ends_with(DEFAULT_NOTE));
    assert_eq!(r.warning_count as usize, r.findings.len());
}

#[test]
fn an_empty_required_section_is_an_error_that_points_at_its_field() {
    let mut app = App::complete();
    app.set_texts(|t| t.history = None);
    let r = app.check();
    let f = the_error(&r, "section_empty");
    assert_eq!(f.target.kind, "item");
    assert_eq!(f.target.id, app.item);
    assert_eq!(f.target.field.as_deref(), Some("texts.history"));
    assert_eq!(f.message, "历史渊源（项目说明）未填写，申报书必须有这一栏");
    // An optional section may stay empty.
    app.set_texts(|t| {
        t.history = Some("清代".into());
        t.lineage_text = None;
    });
    assert!(app.check().ok_to_export);
}

#[test]
fn a_section_over_its_limit_names_both_numbers_and_the_default() {
    let mut app = App::complete();
    app.set_texts(|t| t.summary = Some("鼓".repeat(600) + &" 点".repeat(12)));
    let r = app.check();
    let f = the_error(&r, "section_too_long");
    assert_eq!(
        f.message,
        format!("项目简介 612 字，超过 500 字的限制{DEFAULT_NOTE}")
    );
    assert_eq!(f.target.field.as_deref(), Some("texts.summary"));
}

#[test]
fn too_few_photos() {
    let mut app = App::complete();
    let last = app.photos.pop().unwrap();
    app.reg.media_delete(&last, "重复").unwrap();
    let r = app.check();
    let f = the_error(&r, "photos_too_few");
    assert_eq!(
        f.message,
        format!("照片 9 张，要求至少 10 张{DEFAULT_NOTE}")
    );
    assert_eq!(f.target.field.as_deref(), Some("media.照片"));
    assert_eq!(r.counts.photos, 9);
}

#[test]
fn a_photo_without_caption_is_named_by_its_place_and_file() {
    let mut app = App::complete();
    let third = app.photos[2].clone();
    app.caption(&third, None);
    let r = app.check();
    let f = the_error(&r, "photo_no_caption");
    assert_eq!(f.message, "第 3 张照片（IMG_0003.JPG）没有图片说明");
    assert_eq!(
        (f.target.kind.as_str(), f.target.id.as_str()),
        ("media", third.as_str())
    );
    assert_eq!(f.target.field.as_deref(), Some("caption"));
}

#[test]
fn photos_follow_the_link_order() {
    let mut app = App::complete();
    let third = app.photos[2].clone();
    app.caption(&third, None);
    let mut order = app.photos.clone();
    order.swap(0, 2);
    let item = app.item.clone();
    app.reg
        .media_reorder("item", &item, "照片", &order)
        .unwrap();
    let r = app.check();
    assert_eq!(
        the_error(&r, "photo_no_caption").message,
        "第 1 张照片（IMG_0003.JPG）没有图片说明"
    );
}

#[test]
fn a_caption_missing_parts_is_a_warning() {
    let mut app = App::complete();
    let first = app.photos[0].clone();
    let mut d = app.reg.media_get(&first).unwrap().description;
    d.caption_place = None;
    d.caption_people = None;
    app.reg.media_describe(d).unwrap();
    let r = app.check();
    assert!(r.ok_to_export);
    let f = found(&r, "photo_caption_incomplete");
    assert_eq!(
        f[0].message,
        "第 1 张照片（IMG_0001.JPG）的图片说明缺少地点、人物"
    );
}

#[test]
fn a_small_photo_is_an_error_with_its_pixels() {
    let mut app = App::complete();
    app.import("small.jpg", &jpeg(800, 600, 80), "照片");
    let r = app.check();
    let f = the_error(&r, "photo_too_small");
    assert_eq!(
        f.message,
        format!("第 11 张照片（small.jpg）为 800×600 像素，要求长边至少 1920、短边至少 1080 像素{DEFAULT_NOTE}")
    );
}

#[test]
fn a_png_photo_is_the_wrong_format() {
    let mut app = App::complete();
    let id = app.import("scan.png", &png(1920, 1080), "照片");
    app.caption(&id, Some("说明"));
    let r = app.check();
    let f = the_error(&r, "photo_wrong_format");
    assert_eq!(
        f.message,
        "第 11 张照片（scan.png）是 PNG 格式，要求 JPG / JPEG"
    );
}

#[test]
fn a_missing_video() {
    let app = App::build(false);
    let r = app.check();
    let f = the_error(&r, "video_missing");
    assert!(f.message.starts_with("没有视频"), "{}", f.message);
    assert!(f.message.contains("5–10 分钟"), "{}", f.message);
    assert_eq!(f.target.field.as_deref(), Some("media.视频"));
}

#[test]
fn a_short_video_names_its_length_and_the_range() {
    let mut app = App::build(false);
    app.import("排练.mp4", &video(1920, 1080, 220), "视频");
    let r = app.check();
    let f = the_error(&r, "video_too_short");
    assert_eq!(
        f.message,
        format!("视频“排练.mp4”时长 3 分 40 秒，要求 5–10 分钟{DEFAULT_NOTE}")
    );
    assert_eq!(f.target.kind, "media");
}

#[test]
fn a_long_video() {
    let mut app = App::build(false);
    app.import("全本.mp4", &video(1920, 1080, 700), "视频");
    let r = app.check();
    assert_eq!(
        the_error(&r, "video_too_long").message,
        format!("视频“全本.mp4”时长 11 分 40 秒，要求 5–10 分钟{DEFAULT_NOTE}")
    );
}

#[test]
fn a_720p_video_is_below_the_resolution() {
    let mut app = App::build(false);
    app.import("排练.mp4", &video(1280, 720, 360), "视频");
    let r = app.check();
    assert_eq!(
        the_error(&r, "video_low_resolution").message,
        format!("视频“排练.mp4”分辨率 1280×720，要求至少 1080p{DEFAULT_NOTE}")
    );
}

#[test]
fn a_missing_document_names_it_and_its_role() {
    let mut app = App::complete();
    let id = app.with_role("授权书")[0].clone();
    app.reg.media_delete(&id, "错扫").unwrap();
    let r = app.check();
    let f = the_error(&r, "document_missing");
    assert_eq!(
        f.message,
        "没有“授权书”：请扫描后导入资料库，关联到本项目，用途选“授权书”"
    );
    assert_eq!(f.target.field.as_deref(), Some("media.授权书"));
}

#[test]
fn the_listing_decision_may_hang_on_the_batch() {
    let mut app = App::complete();
    let id = app.with_role("决定扫描件")[0].clone();
    app.reg.media_delete(&id, "改挂到批次").unwrap();
    let r = app.check();
    assert!(the_error(&r, "document_missing")
        .message
        .contains("区级名录公布文件扫描件"));
    let batch = sixth(&app.reg);
    app.import_to(
        "batch",
        &batch,
        "台政字〔2022〕33号.pdf",
        &pdf("决定"),
        "决定扫描件",
    );
    let r = app.check();
    assert!(r.ok_to_export, "{:#?}", errors(&r));
    assert_eq!(r.counts.documents, 4);
}

#[test]
fn no_inheritor_in_office() {
    let mut app = App::complete();
    app.reg
        .recognition_event_add(RecognitionEventInput {
            recognition_id: app.recognition.clone(),
            status: "去世".into(),
            occurred_on: "2025-01-10".into(),
            ..Default::default()
        })
        .unwrap();
    let r = app.check();
    let f = the_error(&r, "inheritor_missing");
    assert_eq!(
        f.message,
        "没有在册的区级代表性传承人；王老师（去世）不计入"
    );
    assert_eq!(r.counts.inheritors, 0);
}

#[test]
fn a_recognition_without_doc_number() {
    let mut app = App::complete();
    let rec = app
        .reg
        .recognition_list_for_item(&app.item)
        .unwrap()
        .remove(0);
    app.reg
        .recognition_save(RecognitionInput {
            id: Some(rec.id.clone()),
            inheritor_id: rec.inheritor_id,
            item_id: rec.item_id,
            level: rec.level,
            batch_id: rec.batch_id,
            doc_number: None,
            recognized_on: rec.recognized_on,
            ..Default::default()
        })
        .unwrap();
    let r = app.check();
    let f = the_error(&r, "recognition_no_doc_number");
    assert_eq!(
        f.message,
        "王老师的区级代表性传承人认定没有文号，请填写认定文件的文号"
    );
    assert_eq!(
        (f.target.kind.as_str(), f.target.id.as_str()),
        ("recognition", rec.id.as_str())
    );
    assert_eq!(f.target.field.as_deref(), Some("docNumber"));
}

#[test]
fn an_empty_lineage_is_an_error_without_narrative_and_a_warning_with_one() {
    let mut app = App::complete();
    let edge = app.reg.lineage_get(&app.item).unwrap().edges[0]
        .id
        .clone()
        .unwrap();
    app.reg.lineage_edge_delete(&edge).unwrap();
    let r = app.check();
    let f = found(&r, "lineage_empty");
    assert_eq!(f[0].severity, Severity::Warning);
    assert!(r.ok_to_export);
    app.set_texts(|t| t.lineage_text = None);
    let r = app.check();
    let f = the_error(&r, "lineage_empty");
    assert_eq!(f.target.kind, "lineage");
}

#[test]
fn no_protection_plan() {
    let mut app = App::complete();
    let plan = app.plan.clone();
    app.reg.plan_delete(&plan, "重做").unwrap();
    let r = app.check();
    assert_eq!(the_error(&r, "plan_missing").message, "没有五年保护计划");
}

#[test]
fn a_budget_without_its_basis() {
    let mut app = App::complete();
    let mut p = app.reg.plan_get(&app.plan).unwrap().fields;
    p.budget_basis = None;
    p.budget[0].justification = None;
    app.reg.plan_save(p).unwrap();
    let r = app.check();
    let f = the_error(&r, "budget_no_basis");
    assert_eq!(f.target.kind, "plan");
    assert_eq!(f.target.field.as_deref(), Some("budgetBasis"));
    assert!(f.message.contains("经费预算没有依据说明"), "{}", f.message);
    let w = found(&r, "budget_line_no_justification");
    assert_eq!(w[0].severity, Severity::Warning);
    assert_eq!(
        w[0].message,
        "2026 年“传习班授课补贴”预算（20000 元）没有测算依据"
    );
}

#[test]
fn a_batch_without_doc_number() {
    let mut app = App::complete();
    let b = app.reg.batch_get(&sixth(&app.reg)).unwrap();
    app.reg
        .batch_save(BatchInput {
            id: Some(b.id.clone()),
            number: b.number,
            doc_number: None,
            approved_on: b.approved_on,
            declared_count: b.declared_count,
            ..Default::default()
        })
        .unwrap();
    let r = app.check();
    let f = the_error(&r, "batch_no_doc_number");
    assert_eq!(
        (f.target.kind.as_str(), f.target.id.as_str()),
        ("batch", b.id.as_str())
    );
    assert!(f.message.starts_with("第六批没有文号"), "{}", f.message);
}

#[test]
fn an_item_outside_any_district_listing() {
    let mut app = App::complete();
    let d = app.reg.item_get(&app.item).unwrap();
    app.reg
        .item_save(ItemInput {
            id: Some(d.id),
            name: d.name,
            category: d.category,
            seq: Some(d.seq),
            texts: d.texts,
            ..Default::default()
        })
        .unwrap();
    let r = app.check();
    the_error(&r, "district_listing_missing");
}

#[test]
fn confidential_media_are_left_out_and_said_so() {
    let mut app = App::complete();
    let first = app.photos[0].clone();
    let mut d = app.reg.media_get(&first).unwrap().description;
    d.confidential = true;
    app.reg.media_describe(d).unwrap();
    let r = app.check();
    let w = found(&r, "confidential_media_left_out");
    assert_eq!(w[0].severity, Severity::Warning);
    assert_eq!(
        w[0].message,
        "照片“IMG_0001.JPG”标记为保密，不会放入申报材料，也不计入数量"
    );
    assert_eq!(r.counts.confidential_left_out, 1);
    // Left out, it no longer counts: nine photos, and the next one is now the first.
    the_error(&r, "photos_too_few");
    assert_eq!(r.counts.photos, 9);
}

#[test]
fn a_user_profile_changes_the_verdict() {
    let mut app = App::build(false);
    assert!(!app.check().ok_to_export);
    let mut p = app.reg.application_profile("zaozhuang-municipal").unwrap();
    p.name = "no-video".into();
    p.video.required = false;
    app.reg.application_profile_save(p).unwrap();
    let r = app
        .reg
        .application_check(&app.item, Some("no-video"))
        .unwrap();
    assert!(r.ok_to_export, "{:#?}", errors(&r));
    assert_eq!(r.profile, "no-video");
}

#[test]
fn errors_come_first_and_the_check_refuses_deleted_items() {
    let mut app = App::build(false);
    app.set_texts(|t| t.value = None);
    let r = app.check();
    let first_warning = r
        .findings
        .iter()
        .position(|f| f.severity == Severity::Warning)
        .unwrap_or(r.findings.len());
    assert!(r.findings[first_warning..]
        .iter()
        .all(|f| f.severity == Severity::Warning));
    assert_eq!(r.error_count, 2);
    let item = app.item.clone();
    app.reg.item_delete(&item, "测试").unwrap();
    assert!(matches!(
        app.reg.application_check(&item, None),
        Err(Error::Deleted { .. })
    ));
}

#[test]
fn an_override_is_recorded_in_the_item_history() {
    let mut app = App::build(false);
    let item = app.item.clone();
    let err = app.reg.application_override(&item, None, "  ").unwrap_err();
    assert_eq!(err.fields()[0].field, "reason");
    let r = app
        .reg
        .application_override(&item, None, "视频正在剪辑，先报送纸质材料")
        .unwrap();
    assert_eq!(r.error_count, 1);
    let log = app.reg.history("item", &item).unwrap();
    assert_eq!(log[0].action, "override");
    assert_eq!(
        log[0].reason.as_deref(),
        Some("视频正在剪辑，先报送纸质材料")
    );
    assert!(log[0]
        .new_value
        .as_deref()
        .unwrap()
        .starts_with("越过 1 个错误：没有视频"));
    assert!(!log[0].revertible);
    assert!(app.reg.verify_log().unwrap().is_empty());
    // Nothing to override on a complete application.
    let app = App::complete();
    let mut reg = app.reg;
    assert_eq!(
        reg.application_override(&app.item, None, "理由")
            .unwrap_err()
            .code(),
        "conflict"
    );
}

// ------------------------------------------------------------------ sample

#[test]
fn the_sample_item_lacks_what_a_clerk_would_add_and_then_passes() {
    let (dir, src, reg) = App::registry(RegistryKind::Sample);
    let item = reg
        .item_list(&ItemQuery {
            query: Some("柳条编织技艺".into()),
            ..Default::default()
        })
        .unwrap()
        .rows
        .into_iter()
        .find(|r| r.name == "柳条编织技艺")
        .unwrap()
        .id;
    let recognitions = reg.recognition_list_for_item(&item).unwrap();
    let plan = reg
        .plan_list(&PlanQuery {
            item_id: Some(item.clone()),
            ..Default::default()
        })
        .unwrap()
        .rows[0]
        .id
        .clone();
    let mut app = App {
        _dir: dir,
        src,
        reg,
        item,
        photos: Vec::new(),
        video: None,
        plan,
        recognition: recognitions[0].id.clone(),
    };
    let r = app.check();
    let codes: Vec<&str> = errors(&r).iter().map(|f| f.code.as_str()).collect();
    // The sample has two recognised inheritors with 文号, a lineage of four and a plan with its basis.
    for absent in [
        "inheritor_missing",
        "recognition_no_doc_number",
        "lineage_empty",
        "plan_missing",
        "budget_no_basis",
        "batch_no_doc_number",
    ] {
        assert!(!codes.contains(&absent), "{absent} in {codes:?}");
    }
    assert_eq!(r.counts.inheritors, 2);
    assert_eq!(r.counts.lineage_people, 4);
    // It has no media and only three of its sections.
    for present in [
        "section_empty",
        "photos_too_few",
        "video_missing",
        "document_missing",
    ] {
        assert!(codes.contains(&present), "{present} not in {codes:?}");
    }
    assert!(r
        .findings
        .iter()
        .any(|f| f.message == "照片 0 张，要求至少 10 张（默认值，可在申报配置中修改）"));

    // The clerk completes it.
    let keep = app.reg.item_get(&app.item).unwrap().texts;
    app.set_texts(|t| {
        let summary = keep.summary.clone();
        *t = texts();
        t.summary = summary;
    });
    app.add_photos(10);
    app.import("柳编.mp4", &video(1920, 1080, 420), "视频");
    for role in DOCUMENTS {
        app.import(&format!("{role}.pdf"), &pdf(role), role);
    }
    let r = app.check();
    assert!(r.ok_to_export, "{:#?}", errors(&r));
    assert_eq!(
        (r.counts.photos, r.counts.videos, r.counts.documents),
        (10, 1, 4)
    );
}

//! File-level media facts: metadata read from photos, videos, audio and PDF, thumbnails,
//! map coordinates, and the store's derived files. Fixtures are made in the tests.

use exif::experimental::Writer as ExifWriter;
use exif::{Field, In, Rational, Tag, Value};
use feiyi_core::media::geo::wgs84_to_gcj02;
use feiyi_core::media::meta::{self, Metadata};
use feiyi_core::media::store::{Derived, Store};
use feiyi_core::media::thumbs::{self, PREVIEW_EDGE, THUMB_EDGE};
use feiyi_core::media::Format;
use std::io::Cursor;
use std::path::{Path, PathBuf};

// ------------------------------------------------------------------ fixtures

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Self {
        Dir(tempfile::tempdir().unwrap())
    }

    fn file(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.0.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn path(&self) -> &Path {
        self.0.path()
    }
}

/// A JPEG of `w`×`h` pixels (a cheap gradient), at `quality`.
pub(crate) fn jpeg(w: u32, h: u32, quality: u8) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        image::Rgb([(x / 16) as u8, (y / 16) as u8, ((x + y) / 32) as u8])
    });
    let mut out = Cursor::new(Vec::new());
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality)
        .encode_image(&img)
        .unwrap();
    out.into_inner()
}

fn ascii(tag: Tag, s: &str) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Ascii(vec![s.as_bytes().to_vec()]),
    }
}

fn rationals(tag: Tag, parts: &[(u32, u32)]) -> Field {
    Field {
        tag,
        ifd_num: In::PRIMARY,
        value: Value::Rational(
            parts
                .iter()
                .map(|&(num, denom)| Rational { num, denom })
                .collect(),
        ),
    }
}

/// EXIF (a TIFF structure) as a camera writes it: make, model, time taken,
/// orientation 6 and a GPS position of N 34°33'23.76", E 117°44'2.4".
pub(crate) fn camera_exif() -> Vec<u8> {
    let fields = [
        ascii(Tag::Make, "Canon"),
        ascii(Tag::Model, "Canon EOS 80D"),
        ascii(Tag::DateTime, "2024:05:02 09:00:00"),
        ascii(Tag::DateTimeOriginal, "2023:10:01 14:30:05"),
        Field {
            tag: Tag::Orientation,
            ifd_num: In::PRIMARY,
            value: Value::Short(vec![6]),
        },
        ascii(Tag::GPSLatitudeRef, "N"),
        rationals(Tag::GPSLatitude, &[(34, 1), (33, 1), (2376, 100)]),
        ascii(Tag::GPSLongitudeRef, "E"),
        rationals(Tag::GPSLongitude, &[(117, 1), (44, 1), (24, 10)]),
    ];
    let mut writer = ExifWriter::new();
    for f in &fields {
        writer.push_field(f);
    }
    let mut out = Cursor::new(Vec::new());
    writer.write(&mut out, false).unwrap();
    out.into_inner()
}

/// `jpeg` with an APP1 EXIF segment spliced in right after SOI.
pub(crate) fn with_exif(jpeg: &[u8], tiff: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], [0xFF, 0xD8]);
    let len = u16::try_from(2 + 6 + tiff.len()).unwrap();
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1]);
    out.extend_from_slice(&len.to_be_bytes());
    out.extend_from_slice(b"Exif\0\0");
    out.extend_from_slice(tiff);
    out.extend_from_slice(&jpeg[2..]);
    out
}

fn png(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbaImage::from_fn(w, h, |x, y| {
        image::Rgba([x as u8, y as u8, 7, if x < w / 2 { 255 } else { 0 }])
    });
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

fn tiff(w: u32, h: u32) -> Vec<u8> {
    let img = image::RgbImage::from_fn(w, h, |x, y| image::Rgb([x as u8, y as u8, 99]));
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Tiff).unwrap();
    out.into_inner()
}

/// A short MP4: one H.264 video track of 320×240, four 500 ms samples (2 s).
pub(crate) fn mp4_video() -> Vec<u8> {
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
                width: 320,
                height: 240,
                // Baseline profile, level 3.0 (the bytes are only copied into avcC).
                seq_param_set: vec![0x67, 0x42, 0xC0, 0x1E, 0xDA, 0x02, 0x80, 0xF6, 0x40],
                pic_param_set: vec![0x68, 0xCE, 0x3C, 0x80],
            }),
        })
        .unwrap();
    for i in 0..4u64 {
        writer
            .write_sample(
                1,
                &mp4::Mp4Sample {
                    start_time: i * 500,
                    duration: 500,
                    rendering_offset: 0,
                    is_sync: i == 0,
                    bytes: vec![0u8, 0, 0, 4, 0x65, 0x88, 0x84, i as u8].into(),
                },
            )
            .unwrap();
    }
    writer.write_end().unwrap();
    writer.into_writer().into_inner()
}

/// A WAV: 16-bit PCM, 8000 Hz, mono, `samples` samples.
pub(crate) fn wav(samples: u32) -> Vec<u8> {
    let data_len = samples * 2;
    let mut v = b"RIFF".to_vec();
    v.extend_from_slice(&(36 + data_len).to_le_bytes());
    v.extend_from_slice(b"WAVEfmt ");
    v.extend_from_slice(&16u32.to_le_bytes());
    v.extend_from_slice(&1u16.to_le_bytes()); // PCM
    v.extend_from_slice(&1u16.to_le_bytes()); // mono
    v.extend_from_slice(&8000u32.to_le_bytes());
    v.extend_from_slice(&16000u32.to_le_bytes()); // bytes per second
    v.extend_from_slice(&2u16.to_le_bytes()); // block align
    v.extend_from_slice(&16u16.to_le_bytes()); // bits per sample
    v.extend_from_slice(b"data");
    v.extend_from_slice(&data_len.to_le_bytes());
    for i in 0..samples {
        v.extend_from_slice(&((i as i16).wrapping_mul(97)).to_le_bytes());
    }
    v
}

/// A minimal valid PDF of `pages` empty A4 pages, with an exact cross-reference table.
fn pdf(pages: usize) -> Vec<u8> {
    let kids: Vec<String> = (0..pages).map(|i| format!("{} 0 R", i + 3)).collect();
    let mut objects = vec![
        "<< /Type /Catalog /Pages 2 0 R >>".to_string(),
        format!(
            "<< /Type /Pages /Kids [{}] /Count {pages} >>",
            kids.join(" ")
        ),
    ];
    for _ in 0..pages {
        objects.push("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_string());
    }
    let mut out = b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n".to_vec();
    let mut offsets = Vec::new();
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{body}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

/// Decodes a rendered JPEG.
fn decoded(jpeg: &[u8]) -> image::DynamicImage {
    image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg).unwrap()
}

fn has_chinese(s: &str) -> bool {
    s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c))
}

// ------------------------------------------------------------------ metadata

#[test]
fn jpeg_exif_facts() {
    let dir = Dir::new();
    let path = dir.file("a.jpg", &with_exif(&jpeg(64, 48, 90), &camera_exif()));
    let m = meta::read(&path, Format::Jpeg);
    assert_eq!((m.width, m.height), (Some(64), Some(48)));
    assert_eq!(m.captured_at.as_deref(), Some("2023-10-01 14:30:05"));
    assert_eq!(m.camera.as_deref(), Some("Canon EOS 80D"));
    let (lat, lon) = m.gps.unwrap();
    assert!((lat - 34.5566).abs() < 1e-4, "{lat}");
    assert!((lon - 117.734).abs() < 1e-4, "{lon}");
    assert_eq!(m.orientation, Some(6));
    assert!(m.unread.is_empty(), "{:?}", m.unread);
    assert_eq!(m.duration_ms, None);
    assert_eq!(m.page_count, None);
}

#[test]
fn jpeg_exif_falls_back_to_datetime_and_reads_south_west() {
    let mut writer = ExifWriter::new();
    let fields = [
        ascii(Tag::DateTime, "2001:02:03 04:05:06"),
        ascii(Tag::GPSLatitudeRef, "S"),
        rationals(Tag::GPSLatitude, &[(33, 1), (52, 1), (0, 1)]),
        ascii(Tag::GPSLongitudeRef, "W"),
        rationals(Tag::GPSLongitude, &[(70, 1), (30, 1), (0, 1)]),
    ];
    for f in &fields {
        writer.push_field(f);
    }
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, true).unwrap();
    let dir = Dir::new();
    let path = dir.file("b.jpg", &with_exif(&jpeg(16, 16, 80), &tiff.into_inner()));
    let m = meta::read(&path, Format::Jpeg);
    assert_eq!(m.captured_at.as_deref(), Some("2001-02-03 04:05:06"));
    let (lat, lon) = m.gps.unwrap();
    assert!((lat + 33.8667).abs() < 1e-4 && (lon + 70.5).abs() < 1e-9);
    assert_eq!(m.camera, None);
    assert_eq!(m.orientation, None);
}

#[test]
fn jpeg_without_exif_names_the_missing_time() {
    let dir = Dir::new();
    let path = dir.file("plain.jpg", &jpeg(40, 30, 80));
    let m = meta::read(&path, Format::Jpeg);
    assert_eq!((m.width, m.height), (Some(40), Some(30)));
    assert_eq!(m.captured_at, None);
    assert!(
        m.unread.iter().any(|s| s.contains("拍摄时间")),
        "{:?}",
        m.unread
    );
}

#[test]
fn jpeg_with_unset_time_is_not_guessed() {
    let mut writer = ExifWriter::new();
    let time = ascii(Tag::DateTimeOriginal, "0000:00:00 00:00:00");
    writer.push_field(&time);
    let mut tiff = Cursor::new(Vec::new());
    writer.write(&mut tiff, false).unwrap();
    let dir = Dir::new();
    let path = dir.file("c.jpg", &with_exif(&jpeg(8, 8, 80), &tiff.into_inner()));
    let m = meta::read(&path, Format::Jpeg);
    assert_eq!(m.captured_at, None);
    assert!(m.unread.iter().any(|s| s.contains("拍摄时间")));
}

#[test]
fn png_and_tiff_sizes_without_complaints() {
    let dir = Dir::new();
    let m = meta::read(&dir.file("a.png", &png(30, 20)), Format::Png);
    assert_eq!((m.width, m.height), (Some(30), Some(20)));
    assert!(m.unread.is_empty(), "{:?}", m.unread);
    let m = meta::read(&dir.file("a.tif", &tiff(21, 13)), Format::Tiff);
    assert_eq!((m.width, m.height), (Some(21), Some(13)));
    assert!(m.unread.is_empty(), "{:?}", m.unread);
}

#[test]
fn mp4_video_facts() {
    let dir = Dir::new();
    let path = dir.file("v.mp4", &mp4_video());
    let m = meta::read(&path, Format::Mp4);
    let d = m.duration_ms.unwrap();
    assert!((1990..=2010).contains(&d), "{d}");
    assert_eq!((m.width, m.height), (Some(320), Some(240)));
    assert!(
        m.codec.as_deref().unwrap().contains("H.264"),
        "{:?}",
        m.codec
    );
    assert_eq!(m.frame_rate, Some(2.0));
    assert!(m.bit_rate.unwrap() > 0);
    // The writer leaves the creation time at zero: not a capture time.
    assert_eq!(m.captured_at, None);
    assert!(
        m.unread.iter().any(|s| s.contains("拍摄时间")),
        "{:?}",
        m.unread
    );
}

/// `mp4` with a track appended to its `moov` that the `mp4` crate cannot parse (as
/// with the QuickTime sound descriptions of many MOV files).
fn with_broken_track(mp4: &[u8]) -> Vec<u8> {
    let at = mp4.windows(4).position(|w| w == b"moov").unwrap() - 4;
    let size = u32::from_be_bytes(mp4[at..at + 4].try_into().unwrap()) as usize;
    assert_eq!(at + size, mp4.len(), "moov is last");
    let mut junk = vec![0, 0, 0, 24];
    junk.extend_from_slice(b"trak");
    junk.extend_from_slice(&[0, 0, 0, 16]);
    junk.extend_from_slice(b"mdia");
    junk.extend_from_slice(&[0xFF; 8]);
    let mut out = mp4.to_vec();
    out[at..at + 4].copy_from_slice(&((size + junk.len()) as u32).to_be_bytes());
    out.extend_from_slice(&junk);
    out
}

#[test]
fn video_facts_survive_a_track_the_library_cannot_parse() {
    let dir = Dir::new();
    let bytes = with_broken_track(&mp4_video());
    let path = dir.file("v.mov", &bytes);
    assert!(mp4::read_mp4(std::fs::File::open(&path).unwrap()).is_err());
    let m = meta::read(&path, Format::Mov);
    assert_eq!(m.duration_ms, Some(2000));
    assert_eq!((m.width, m.height), (Some(320), Some(240)));
    assert_eq!(m.codec.as_deref(), Some("H.264/AVC"));
    assert_eq!(m.frame_rate, Some(2.0));
}

#[test]
fn unparsable_mov_is_named() {
    let dir = Dir::new();
    // A QuickTime file header with nothing usable after it.
    let mut bytes = vec![0, 0, 0, 20];
    bytes.extend_from_slice(b"ftypqt  \0\0\0\0qt  ");
    bytes.extend_from_slice(&[0, 0, 0, 8]);
    bytes.extend_from_slice(b"wide");
    let m = meta::read(&dir.file("v.mov", &bytes), Format::Mov);
    assert_eq!(m.duration_ms, None);
    assert!(
        m.unread
            .iter()
            .any(|s| s.contains("MOV") && s.contains("时长")),
        "{:?}",
        m.unread
    );
}

#[test]
fn wav_audio_facts() {
    let dir = Dir::new();
    let m = meta::read(&dir.file("a.wav", &wav(8000)), Format::Wav);
    let d = m.duration_ms.unwrap();
    assert!((980..=1020).contains(&d), "{d}");
    assert_eq!(m.sample_rate, Some(8000));
    assert_eq!(m.channels, Some(1));
    assert_eq!(m.bit_rate, Some(128_000));
    assert_eq!(m.codec.as_deref(), Some("PCM"));
    assert!(m.unread.is_empty(), "{:?}", m.unread);
}

#[test]
fn pdf_page_count() {
    let dir = Dir::new();
    let m = meta::read(&dir.file("a.pdf", &pdf(2)), Format::Pdf);
    assert_eq!(m.page_count, Some(2));
    assert!(m.unread.is_empty(), "{:?}", m.unread);

    // Cut inside the page tree. (Cut later, lopdf counts the pages the tree lists even
    // when their objects are gone, as MuPDF does; import refuses truncated files anyway.)
    let whole = pdf(2);
    let truncated = &whole[..60];
    let m = meta::read(&dir.file("b.pdf", truncated), Format::Pdf);
    assert_eq!(m.page_count, None);
    assert!(
        m.unread.iter().any(|s| s.contains("PDF 页数")),
        "{:?}",
        m.unread
    );

    let m = meta::read(
        &dir.file("c.pdf", b"%PDF-1.7\n\x00garbage\xff\xfe"),
        Format::Pdf,
    );
    assert_eq!(m.page_count, None);
    assert!(
        m.unread.iter().any(|s| s.contains("PDF 页数")),
        "{:?}",
        m.unread
    );
}

#[test]
fn garbage_never_panics() {
    let formats = [
        Format::Jpeg,
        Format::Png,
        Format::Tiff,
        Format::Heic,
        Format::Mp4,
        Format::Mov,
        Format::Mp3,
        Format::Wav,
        Format::M4a,
        Format::Pdf,
    ];
    let mut noise = Vec::new();
    let mut x = 0x2545_F491_4F6C_DD1Du64;
    for _ in 0..4096 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        noise.push(x as u8);
    }
    // Right magic, broken after: each reader gets further than with plain noise.
    let heads: [&[u8]; 9] = [
        b"",
        b"\xFF\xD8\xFF\xE1\x00\x10Exif\x00\x00MM\x00\x2A\x00\x00\x00\x08",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\x0dIHDR",
        b"II*\x00\x08\x00\x00\x00\xFF\xFF",
        b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic\xFF\xFF\xFF\xFFmoov",
        b"\x00\x00\x00\x14ftypisom\x00\x00\x02\x00isom\x00\x00\x00\x10moov\x00\x00\x00\x08trak",
        b"ID3\x04\x00\x00\x00\x00\x00\x10\xFF\xFB\x90\x64",
        b"RIFF\xFF\xFF\xFF\xFFWAVEfmt \x10\x00\x00\x00\x01\x00\x00\x00",
        b"%PDF-1.5\n1 0 obj\n<< /Type /Pages /Kids [1 0 R] /Count 99999 >>\nendobj\ntrailer << /Root 1 0 R >>",
    ];
    let dir = Dir::new();
    for (i, head) in heads.iter().enumerate() {
        let mut bytes = head.to_vec();
        bytes.extend_from_slice(&noise[..(i * 397) % noise.len()]);
        let path = dir.file(&format!("g{i}"), &bytes);
        for format in formats {
            let m = meta::read(&path, format);
            // Nothing is invented from noise.
            assert_eq!(m.captured_at, None, "{format:?} {i}");
            assert_eq!(m.gps, None, "{format:?} {i}");
            let _ = thumbs::render(&path, format, Some(6), THUMB_EDGE);
        }
    }
    // A missing file is a reading failure too, not a panic.
    let gone = dir.path().join("gone");
    for format in formats {
        let m = meta::read(&gone, format);
        assert!(!m.unread.is_empty() || format == Format::Png || format == Format::Tiff);
        assert!(thumbs::render(&gone, format, None, THUMB_EDGE).is_err());
    }
}

// ------------------------------------------------------------------ thumbnails

#[test]
fn thumbnail_of_a_large_jpeg() {
    let dir = Dir::new();
    let path = dir.file("big.jpg", &jpeg(4000, 3000, 85));
    let thumb = decoded(&thumbs::render(&path, Format::Jpeg, None, THUMB_EDGE).unwrap());
    assert_eq!((thumb.width(), thumb.height()), (320, 240));
    // Orientation 6 (camera turned right): stored landscape, shown portrait.
    let thumb = decoded(&thumbs::render(&path, Format::Jpeg, Some(6), THUMB_EDGE).unwrap());
    assert_eq!((thumb.width(), thumb.height()), (240, 320));
    let preview = decoded(&thumbs::render(&path, Format::Jpeg, Some(1), PREVIEW_EDGE).unwrap());
    assert_eq!((preview.width(), preview.height()), (2048, 1536));
}

#[test]
fn thumbnails_never_enlarge_and_keep_grayscale_working() {
    let dir = Dir::new();
    let path = dir.file("small.jpg", &jpeg(100, 60, 80));
    let thumb = decoded(&thumbs::render(&path, Format::Jpeg, Some(8), THUMB_EDGE).unwrap());
    assert_eq!((thumb.width(), thumb.height()), (60, 100));

    let gray = image::GrayImage::from_fn(900, 300, |x, _| image::Luma([(x / 4) as u8]));
    let mut out = Cursor::new(Vec::new());
    gray.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    let path = dir.file("gray.jpg", &out.into_inner());
    let thumb = decoded(&thumbs::render(&path, Format::Jpeg, None, THUMB_EDGE).unwrap());
    assert_eq!((thumb.width(), thumb.height()), (320, 107));
}

#[test]
fn thumbnails_of_png_and_tiff() {
    let dir = Dir::new();
    let path = dir.file("a.png", &png(1000, 500));
    let thumb = decoded(&thumbs::render(&path, Format::Png, None, THUMB_EDGE).unwrap());
    assert_eq!((thumb.width(), thumb.height()), (320, 160));
    // The transparent right half is shown on white.
    let px = thumb.to_rgb8().get_pixel(300, 80).0;
    assert!(px.iter().all(|&c| c > 240), "{px:?}");

    let path = dir.file("a.tif", &tiff(600, 400));
    let thumb = decoded(&thumbs::render(&path, Format::Tiff, Some(6), THUMB_EDGE).unwrap());
    assert_eq!((thumb.width(), thumb.height()), (213, 320));
}

#[test]
fn no_thumbnails_for_heic_video_audio_pdf() {
    let dir = Dir::new();
    let path = dir.file("x.bin", b"whatever");
    for format in [
        Format::Heic,
        Format::Mp4,
        Format::Mov,
        Format::Mp3,
        Format::Pdf,
    ] {
        let why = thumbs::render(&path, format, None, THUMB_EDGE).unwrap_err();
        assert!(has_chinese(&why), "{format:?}: {why}");
    }
    assert_eq!(
        thumbs::render(&path, Format::Heic, None, THUMB_EDGE).unwrap_err(),
        "HEIC 照片暂不能生成缩略图"
    );
    let broken = dir.file("broken.jpg", &jpeg(50, 50, 80)[..200]);
    let why = thumbs::render(&broken, Format::Jpeg, None, THUMB_EDGE).unwrap_err();
    assert!(has_chinese(&why), "{why}");
}

// ------------------------------------------------------------------ map coordinates

/// Distance in metres between two nearby points (equirectangular approximation).
fn metres(a: (f64, f64), b: (f64, f64)) -> f64 {
    let r = 6_371_000.0;
    let lat = ((a.0 + b.0) / 2.0).to_radians();
    let dy = (a.0 - b.0).to_radians() * r;
    let dx = (a.1 - b.1).to_radians() * r * lat.cos();
    (dx * dx + dy * dy).sqrt()
}

#[test]
fn gcj02_offsets_points_in_china_only() {
    // 台儿庄
    let wgs = (34.5566, 117.7340);
    let gcj = wgs84_to_gcj02(wgs.0, wgs.1);
    let shift = metres(wgs, gcj);
    assert!((100.0..1000.0).contains(&shift), "{shift} m");
    assert!((gcj.0 - wgs.0).abs() < 0.01 && (gcj.1 - wgs.1).abs() < 0.01);
    // The published reference pair (Tiananmen).
    let (lat, lon) = wgs84_to_gcj02(39.915, 116.404);
    assert!((lat - 39.916_404_281_501_64).abs() < 1e-9, "{lat}");
    assert!((lon - 116.410_244_499_169_38).abs() < 1e-9, "{lon}");
    // Paris: unchanged.
    assert_eq!(wgs84_to_gcj02(48.8584, 2.2945), (48.8584, 2.2945));
}

// ------------------------------------------------------------------ derived files

const SHA: &str = "ab34567890abcdef1234567890abcdef1234567890abcdef1234567890abcdef";

#[test]
fn derived_files_are_kept_apart_from_originals() {
    let dir = Dir::new();
    let store = Store::new(dir.path());
    let thumb = store.derived_path(Derived::Thumb, SHA).unwrap();
    assert_eq!(
        thumb,
        dir.path()
            .join("media/derived/thumbs/ab")
            .join(format!("{SHA}.jpg"))
    );
    let preview = store.derived_path(Derived::Preview, SHA).unwrap();
    assert!(preview.starts_with(dir.path().join("media/derived/previews/ab")));
    assert_eq!(store.derived_dir(), dir.path().join("media/derived"));
    assert!(store
        .derived_path(Derived::Thumb, "../../etc/passwd")
        .is_err());
    assert!(store
        .derived_path(Derived::Thumb, &SHA.to_uppercase())
        .is_err());

    assert_eq!(
        store.put_derived(Derived::Thumb, SHA, b"one").unwrap(),
        thumb
    );
    assert_eq!(
        store.put_derived(Derived::Thumb, SHA, b"two").unwrap(),
        thumb
    );
    assert_eq!(std::fs::read(&thumb).unwrap(), b"two");
    store.put_derived(Derived::Preview, SHA, b"big").unwrap();
    // Nothing is left in the temporary area.
    let mut tmp = Vec::new();
    feiyi_core::media::store::walk(&store.tmp_dir(), &mut tmp).unwrap();
    assert!(tmp.is_empty(), "{tmp:?}");

    // An original beside them: only it is listed as an original.
    let original = store.path_of(SHA, "jpg").unwrap();
    std::fs::create_dir_all(original.parent().unwrap()).unwrap();
    std::fs::write(&original, b"original").unwrap();
    assert_eq!(store.originals().unwrap(), vec![original.clone()]);

    store.remove_derived(SHA).unwrap();
    assert!(!thumb.exists() && !preview.exists());
    assert!(original.exists());
    // Again: missing files are fine.
    store.remove_derived(SHA).unwrap();
}

#[test]
fn metadata_default_is_empty() {
    let m = Metadata::default();
    assert!(m.unread.is_empty() && m.width.is_none());
}

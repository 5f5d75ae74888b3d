//! Technical facts read from a stored file: pixel size, capture time, camera and GPS
//! position of photos (EXIF), duration, frame size and codec of videos, duration and
//! sampling of audio, page count of PDF documents.
//!
//! Everything comes from libraries: `kamadak-exif` for EXIF, `image` for pixel sizes,
//! `mp4` for MP4/MOV, `lofty` for audio, `lopdf` for PDF. Nothing is guessed: a fact
//! that cannot be read stays `None`, and an expected one is named in
//! [`Metadata::unread`] in a Chinese sentence. [`read`] never panics, whatever the file.

use crate::media::Format;
use chrono::{DateTime, Local, NaiveDate, Utc};
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

/// Technical facts read from a stored file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Metadata {
    /// Pixel width (photos: from the image header; video: the video track's coded frame).
    pub width: Option<u32>,
    /// Pixel height (as `width`).
    pub height: Option<u32>,
    /// Duration in milliseconds (video and audio).
    pub duration_ms: Option<i64>,
    /// Frames per second of a video's video track.
    pub frame_rate: Option<f64>,
    /// Codec, e.g. `H.264/AVC`, `H.265/HEVC`, `AAC`, `MP3`, `PCM`.
    pub codec: Option<String>,
    /// Average bit rate in bits per second (video: the video track; audio: the audio stream).
    pub bit_rate: Option<i64>,
    /// Audio sample rate in Hz.
    pub sample_rate: Option<i64>,
    /// Audio channel count.
    pub channels: Option<i64>,
    /// Number of pages of a PDF document.
    pub page_count: Option<i64>,
    /// When the picture was taken, `YYYY-MM-DD HH:MM:SS`: EXIF DateTimeOriginal (else
    /// DateTime) in the camera's local time, no zone; for MP4/MOV the movie's creation
    /// time (stored in UTC) in this computer's time zone, when plausible.
    pub captured_at: Option<String>,
    /// Camera make and model, e.g. `Canon EOS 80D` (the make is not repeated).
    pub camera: Option<String>,
    /// GPS position (latitude, longitude), WGS-84 decimal degrees as stored; south and
    /// west are negative.
    pub gps: Option<(f64, f64)>,
    /// EXIF orientation, 1–8 (reported only; nothing is rotated).
    pub orientation: Option<u16>,
    /// Chinese sentences naming each expected fact that could not be read, e.g.
    /// `照片中没有拍摄时间（EXIF）`.
    pub unread: Vec<String>,
}

/// Reads the technical facts of the file at `path`, whose format is `format` (from
/// its content). Never panics: whatever could not be read is named in `unread`.
pub fn read(path: &Path, format: Format) -> Metadata {
    let mut meta = Metadata::default();
    // Each library call is guarded on its own; this catches anything else, keeping the
    // facts read before it.
    let done = catch_unwind(AssertUnwindSafe(|| match format {
        Format::Jpeg | Format::Png | Format::Tiff | Format::Heic => photo(path, format, &mut meta),
        Format::Mp4 | Format::Mov => video(path, format, &mut meta),
        Format::Mp3 | Format::Wav | Format::M4a => audio(path, format, &mut meta),
        Format::Pdf => pdf(path, &mut meta),
    }));
    if done.is_err() {
        meta.unread.push(format!(
            "{}的技术信息未能读完：文件结构异常",
            format.label()
        ));
    }
    meta
}

/// Runs one library reader, turning a panic inside it into an error.
fn guarded<T>(f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or_else(|_| Err("文件结构异常".to_string()))
}

fn open(path: &Path) -> Result<BufReader<File>, String> {
    File::open(path)
        .map(BufReader::new)
        .map_err(|e| format!("无法打开文件（{e}）"))
}

// ---------------------------------------------------------------- photos

fn photo(path: &Path, format: Format, meta: &mut Metadata) {
    let exif = guarded(|| {
        let mut reader = open(path)?;
        match exif::Reader::new()
            .continue_on_error(true)
            .read_from_container(&mut reader)
            // A partly broken EXIF still gives what it holds.
            .or_else(|e| e.distill_partial_result(|_| {}))
        {
            Ok(exif) => Ok(Some(exif)),
            Err(exif::Error::NotFound(_)) => Ok(None),
            Err(e) => Err(format!("EXIF 信息无法解析（{e}）")),
        }
    });
    let (exif, exif_failed) = match exif {
        Ok(exif) => (exif, false),
        Err(why) => {
            meta.unread
                .push(format!("无法读取照片的拍摄时间、相机和位置（EXIF）：{why}"));
            (None, true)
        }
    };

    let header = match format {
        Format::Jpeg => Some(image::ImageFormat::Jpeg),
        Format::Png => Some(image::ImageFormat::Png),
        Format::Tiff => Some(image::ImageFormat::Tiff),
        _ => None,
    };
    match header {
        Some(image_format) => match guarded(|| {
            let mut reader = image::ImageReader::new(open(path)?);
            reader.set_format(image_format);
            reader
                .into_dimensions()
                .map_err(|e| format!("文件头无法解析（{e}）"))
        }) {
            Ok((w, h)) => {
                meta.width = Some(w);
                meta.height = Some(h);
            }
            Err(why) => meta.unread.push(format!("无法读取照片的像素尺寸：{why}")),
        },
        None => {
            // No HEIC decoder here: the size the camera wrote into EXIF is what there is.
            let w = exif
                .as_ref()
                .and_then(|e| uint(e, exif::Tag::PixelXDimension));
            let h = exif
                .as_ref()
                .and_then(|e| uint(e, exif::Tag::PixelYDimension));
            match (w, h) {
                (Some(w), Some(h)) if w > 0 && h > 0 => {
                    meta.width = Some(w);
                    meta.height = Some(h);
                }
                _ => meta
                    .unread
                    .push(format!("无法读取{}的像素尺寸", format.label())),
            }
        }
    }

    // Cameras and phones record when a picture was taken; scans and drawings often do not.
    let expects_time = matches!(format, Format::Jpeg | Format::Heic);
    let Some(exif) = exif else {
        if expects_time && !exif_failed {
            meta.unread.push("照片中没有拍摄时间（EXIF）".into());
        }
        return;
    };

    match captured_at(&exif) {
        Ok(Some(t)) => meta.captured_at = Some(t),
        Ok(None) => {
            if expects_time {
                meta.unread.push("照片中没有拍摄时间（EXIF）".into());
            }
        }
        Err(raw) => meta
            .unread
            .push(format!("照片中的拍摄时间无法识别（EXIF 记为“{raw}”）")),
    }
    meta.camera = camera(
        ascii(&exif, exif::Tag::Make).as_deref(),
        ascii(&exif, exif::Tag::Model).as_deref(),
    );
    match gps(&exif) {
        Ok(position) => meta.gps = position,
        Err(why) => meta.unread.push(format!("无法读取照片的 GPS 坐标：{why}")),
    }
    if let Some(o) = exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY) {
        match o.value.get_uint(0) {
            Some(v @ 1..=8) => meta.orientation = u16::try_from(v).ok(),
            _ => meta.unread.push(format!(
                "照片的方向标记（EXIF Orientation）无效：{}",
                o.display_value()
            )),
        }
    }
}

/// The first string of an ASCII field, trimmed; `None` when absent or empty.
fn ascii(exif: &exif::Exif, tag: exif::Tag) -> Option<String> {
    let field = exif.get_field(tag, exif::In::PRIMARY)?;
    let exif::Value::Ascii(ref strings) = field.value else {
        return None;
    };
    let s = String::from_utf8_lossy(strings.first()?);
    let s = s.trim_matches(|c: char| c == '\0' || c.is_whitespace());
    (!s.is_empty()).then(|| s.to_string())
}

fn uint(exif: &exif::Exif, tag: exif::Tag) -> Option<u32> {
    exif.get_field(tag, exif::In::PRIMARY)?.value.get_uint(0)
}

/// DateTimeOriginal, else DateTime, as `YYYY-MM-DD HH:MM:SS`. `Ok(None)` when neither is
/// there (or is blank, or the all-zero “not set” value); `Err(raw text)` when one is
/// there but is not a valid time.
fn captured_at(exif: &exif::Exif) -> Result<Option<String>, String> {
    for tag in [exif::Tag::DateTimeOriginal, exif::Tag::DateTime] {
        let Some(field) = exif.get_field(tag, exif::In::PRIMARY) else {
            continue;
        };
        let exif::Value::Ascii(ref strings) = field.value else {
            continue;
        };
        let Some(raw) = strings.first() else {
            continue;
        };
        let text = String::from_utf8_lossy(raw)
            .trim_matches(|c: char| c == '\0' || c.is_whitespace())
            .to_string();
        if text.is_empty() || text.bytes().all(|b| matches!(b, b'0' | b':' | b' ')) {
            continue; // not set
        }
        let t = match exif::DateTime::from_ascii(raw) {
            Ok(t) => t,
            Err(exif::Error::BlankValue(_)) => continue,
            Err(_) => return Err(text),
        };
        let valid = NaiveDate::from_ymd_opt(t.year.into(), t.month.into(), t.day.into())
            .and_then(|d| d.and_hms_opt(t.hour.into(), t.minute.into(), t.second.into()));
        return match valid {
            Some(dt) => Ok(Some(dt.format("%Y-%m-%d %H:%M:%S").to_string())),
            None => Err(text),
        };
    }
    Ok(None)
}

/// “Make Model”, without repeating the make when the model already starts with it
/// (“Canon” + “Canon EOS 80D” → “Canon EOS 80D”; “NIKON CORPORATION” + “NIKON D750” →
/// “NIKON D750”).
fn camera(make: Option<&str>, model: Option<&str>) -> Option<String> {
    let make = make.map(str::trim).filter(|s| !s.is_empty());
    let model = model.map(str::trim).filter(|s| !s.is_empty());
    match (make, model) {
        (None, None) => None,
        (Some(make), None) => Some(make.to_string()),
        (None, Some(model)) => Some(model.to_string()),
        (Some(make), Some(model)) => {
            let brand = make.split_whitespace().next().unwrap_or(make);
            let repeats = model
                .get(..brand.len())
                .is_some_and(|head| head.eq_ignore_ascii_case(brand))
                && model[brand.len()..]
                    .chars()
                    .next()
                    .is_none_or(|c| !c.is_alphanumeric());
            Some(if repeats {
                model.to_string()
            } else {
                format!("{make} {model}")
            })
        }
    }
}

/// The GPS position, `Ok(None)` when the photo has none; `Err` when it is there but
/// incomplete or invalid.
fn gps(exif: &exif::Exif) -> Result<Option<(f64, f64)>, String> {
    let lat = exif.get_field(exif::Tag::GPSLatitude, exif::In::PRIMARY);
    let lon = exif.get_field(exif::Tag::GPSLongitude, exif::In::PRIMARY);
    let (lat, lon) = match (lat, lon) {
        (None, None) => return Ok(None),
        (Some(lat), Some(lon)) => (lat, lon),
        _ => return Err("只有纬度或只有经度".into()),
    };
    let lat_ref = ascii(exif, exif::Tag::GPSLatitudeRef);
    let lon_ref = ascii(exif, exif::Tag::GPSLongitudeRef);
    let sign = |r: Option<String>, pos: &str, neg: &str| -> Result<f64, String> {
        match r.as_deref().map(str::to_ascii_uppercase) {
            Some(s) if s == pos => Ok(1.0),
            Some(s) if s == neg => Ok(-1.0),
            Some(s) => Err(format!("方向标记“{s}”无效")),
            None => Err("缺少南北或东西标记".into()),
        }
    };
    let lat = degrees(&lat.value).ok_or("纬度数值无效")? * sign(lat_ref, "N", "S")?;
    let lon = degrees(&lon.value).ok_or("经度数值无效")? * sign(lon_ref, "E", "W")?;
    if lat.abs() > 90.0 || lon.abs() > 180.0 {
        return Err(format!("坐标超出范围（{lat}, {lon}）"));
    }
    Ok(Some((lat, lon)))
}

/// Degrees, minutes and seconds (1 to 3 rationals) as decimal degrees.
fn degrees(value: &exif::Value) -> Option<f64> {
    let exif::Value::Rational(ref parts) = *value else {
        return None;
    };
    if parts.is_empty() || parts.len() > 3 {
        return None;
    }
    let mut deg = 0.0;
    for (part, unit) in parts.iter().zip([1.0, 60.0, 3600.0]) {
        if part.denom == 0 {
            return None;
        }
        deg += f64::from(part.num) / f64::from(part.denom) / unit;
    }
    deg.is_finite().then_some(deg)
}

// ---------------------------------------------------------------- video

fn video(path: &Path, format: Format, meta: &mut Metadata) {
    let moov = match guarded(|| movie(path)) {
        Ok(moov) => moov,
        Err(why) => {
            meta.unread.push(format!(
                "{}的时长、画面尺寸和编码无法读取：{why}",
                format.label()
            ));
            return;
        }
    };
    let skipped = moov.skipped;
    let trak_ranges = moov.trak_ranges;
    let moov = &moov.moov;

    let mvhd = &moov.mvhd;
    let mut duration = ms(mvhd.duration, mvhd.timescale);
    if duration.is_none() {
        // A fragmented file may give its length in `mehd` instead.
        if let Some(mehd) = moov.mvex.as_ref().and_then(|m| m.mehd.as_ref()) {
            duration = ms(mehd.fragment_duration, mvhd.timescale);
        }
    }
    match duration {
        Some(d) => meta.duration_ms = Some(d),
        None => meta.unread.push("无法读取视频时长".into()),
    }
    match mp4_time(mvhd.creation_time, Utc::now()) {
        Some(t) => {
            meta.captured_at = Some(
                t.with_timezone(&Local)
                    .format("%Y-%m-%d %H:%M:%S")
                    .to_string(),
            )
        }
        None => meta.unread.push("视频中没有可信的拍摄时间".into()),
    }

    let Some((index, trak)) = moov
        .traks
        .iter()
        .enumerate()
        .find(|(_, t)| &t.mdia.hdlr.handler_type.value == b"vide")
    else {
        meta.unread.push(match skipped {
            Some(why) => format!("视频画面轨道无法解析，无法读取画面尺寸和编码：{why}"),
            None => "视频中没有画面轨道，无法读取画面尺寸和编码".into(),
        });
        return;
    };
    let stsd = &trak.mdia.minf.stbl.stsd;
    let coded = if let Some(b) = &stsd.avc1 {
        Some((b.width, b.height))
    } else if let Some(b) = &stsd.hev1 {
        Some((b.width, b.height))
    } else {
        stsd.vp09.as_ref().map(|b| (b.width, b.height))
    };
    let (w, h) = coded.unwrap_or((trak.tkhd.width.value(), trak.tkhd.height.value()));
    if w > 0 && h > 0 {
        meta.width = Some(w.into());
        meta.height = Some(h.into());
    } else {
        meta.unread.push("无法读取视频画面尺寸".into());
    }

    let codec = if stsd.avc1.is_some() {
        Ok("H.264/AVC".to_string())
    } else if stsd.hev1.is_some() {
        Ok("H.265/HEVC".to_string())
    } else if stsd.vp09.is_some() {
        Ok("VP9".to_string())
    } else {
        // A sample entry the `mp4` crate does not decode (e.g. `hvc1`, ProRes): name it
        // from its four-character code.
        match guarded(|| Ok(sample_entry(path, trak_ranges.as_deref(), index))) {
            Ok(Some(code)) => video_codec(&code)
                .map(str::to_string)
                .ok_or(format!("无法识别视频编码（{}）", code.trim())),
            _ => Err("无法识别视频编码".to_string()),
        }
    };
    match codec {
        Ok(c) => meta.codec = Some(c),
        Err(why) => meta.unread.push(why),
    }

    let mdhd = &trak.mdia.mdhd;
    let stsz = &trak.mdia.minf.stbl.stsz;
    let seconds =
        ms(mdhd.duration, mdhd.timescale).map(|_| mdhd.duration as f64 / f64::from(mdhd.timescale));
    match seconds {
        Some(s) if stsz.sample_count > 0 => {
            let fps = f64::from(stsz.sample_count) / s;
            meta.frame_rate = Some((fps * 1000.0).round() / 1000.0);
            let bytes: u64 = if stsz.sample_size > 0 {
                u64::from(stsz.sample_size).saturating_mul(u64::from(stsz.sample_count))
            } else {
                stsz.sample_sizes
                    .iter()
                    .fold(0u64, |sum, &b| sum.saturating_add(u64::from(b)))
            };
            meta.bit_rate = Some((bytes as f64 * 8.0 / s).round() as i64);
        }
        _ => meta.unread.push("无法读取视频帧率和码率".into()),
    }
}

/// `duration` in units of `timescale` per second, as milliseconds; `None` when unknown.
fn ms(duration: u64, timescale: u32) -> Option<i64> {
    if timescale == 0 || duration == 0 || duration == u64::MAX || duration == u64::from(u32::MAX) {
        return None;
    }
    let ms = u128::from(duration) * 1000 / u128::from(timescale);
    i64::try_from(ms).ok()
}

/// Seconds since 1904-01-01 (QuickTime's epoch) as a time, when plausible for a
/// recording: from 1980 to a day after `now`. Zero (never set) and small values
/// (writers that meant 1970 as the epoch) are not.
fn mp4_time(seconds: u64, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    const FROM_1904_TO_1970: i64 = 2_082_844_800;
    let unix = i64::try_from(seconds)
        .ok()?
        .checked_sub(FROM_1904_TO_1970)?;
    let t = DateTime::from_timestamp(unix, 0)?;
    let earliest = DateTime::from_timestamp(315_532_800, 0)?; // 1980-01-01
    (t >= earliest && t <= now + chrono::Duration::days(1)).then_some(t)
}

/// Names a video sample entry's four-character code.
fn video_codec(code: &str) -> Option<&'static str> {
    Some(match code {
        "avc1" | "avc3" => "H.264/AVC",
        "hvc1" | "hev1" => "H.265/HEVC",
        "vp09" => "VP9",
        "av01" => "AV1",
        "mp4v" => "MPEG-4 Visual",
        "apch" | "apcn" | "apcs" | "apco" | "ap4h" | "ap4x" => "Apple ProRes",
        "jpeg" | "mjpa" | "mjpb" => "Motion JPEG",
        "dvc " | "dvcp" | "dvpp" | "dv5n" | "dv5p" | "dvh5" | "dvh6" | "dvhp" | "dvhq" => "DV",
        "h263" | "s263" => "H.263",
        _ => return None,
    })
}

/// The `moov` of an MP4/MOV file, as the `mp4` crate reads it.
struct Movie {
    moov: mp4::MoovBox,
    /// Where each of `moov.traks` is in the file (bodies), when known.
    trak_ranges: Option<Vec<(u64, u64)>>,
    /// Why some tracks were left out, if any were.
    skipped: Option<String>,
}

/// The largest `moov` read into memory when tracks have to be parsed one by one.
const MAX_MOOV: u64 = 256 << 20;

/// Reads the `moov` with `mp4::Mp4Reader`. When that fails (the `mp4` crate cannot parse
/// some tracks of QuickTime files, e.g. their sound descriptions), each track is tried
/// alone, with the `mp4` crate still, and those it can read are kept.
fn movie(path: &Path) -> Result<Movie, String> {
    let file = File::open(path).map_err(|e| format!("无法打开文件（{e}）"))?;
    let size = file
        .metadata()
        .map_err(|e| format!("无法读取文件（{e}）"))?
        .len();
    let whole = match mp4::Mp4Reader::read_header(BufReader::new(file), size) {
        Ok(mp4) => {
            return Ok(Movie {
                moov: mp4.moov,
                trak_ranges: None,
                skipped: None,
            })
        }
        Err(e) => format!("文件结构无法解析（{e}）"),
    };
    let mut f = BufReader::new(File::open(path).map_err(|e| format!("无法打开文件（{e}）"))?);
    let Some((start, end)) = child(&mut f, (0, size), b"moov", 0) else {
        return Err(whole);
    };
    if end - start > MAX_MOOV {
        return Err(whole);
    }
    let mut head = None; // mvhd
    let mut mvex = None;
    let mut traks = Vec::new();
    for (code, pos, body, stop) in children(&mut f, (start, end)) {
        let mut bytes = vec![0u8; usize::try_from(stop - pos).map_err(|_| whole.clone())?];
        f.seek(SeekFrom::Start(pos)).map_err(|_| whole.clone())?;
        f.read_exact(&mut bytes).map_err(|_| whole.clone())?;
        match &code {
            b"mvhd" => head = Some(bytes),
            b"mvex" => mvex = Some(bytes),
            b"trak" => traks.push((bytes, (body, stop))),
            _ => {}
        }
    }
    let head = head.ok_or_else(|| whole.clone())?;
    let mut kept = Vec::new();
    let mut ranges = Vec::new();
    let mut skipped = None;
    for (trak, range) in traks {
        match moov_of(&[&head, &trak]) {
            Ok(_) => {
                kept.push(trak);
                ranges.push(range);
            }
            Err(e) => skipped = Some(format!("文件结构无法解析（{e}）")),
        }
    }
    let mut parts: Vec<&[u8]> = vec![&head];
    if let Some(m) = &mvex {
        if moov_of(&[&head, m]).is_ok() {
            parts.push(m);
        }
    }
    parts.extend(kept.iter().map(Vec::as_slice));
    let moov = moov_of(&parts).map_err(|_| whole.clone())?;
    Ok(Movie {
        moov,
        trak_ranges: Some(ranges),
        skipped: skipped.or(Some(whole)),
    })
}

/// Parses a `moov` box made of `parts` (whole boxes) with the `mp4` crate.
fn moov_of(parts: &[&[u8]]) -> mp4::Result<mp4::MoovBox> {
    use mp4::ReadBox;
    let len: usize = 8 + parts.iter().map(|p| p.len()).sum::<usize>();
    let size = u32::try_from(len).map_err(|_| mp4::Error::InvalidData("moov too large"))?;
    let mut bytes = Vec::with_capacity(len);
    bytes.extend_from_slice(&size.to_be_bytes());
    bytes.extend_from_slice(b"moov");
    for p in parts {
        bytes.extend_from_slice(p);
    }
    let mut cursor = std::io::Cursor::new(bytes);
    cursor.set_position(8);
    mp4::MoovBox::read_box(&mut cursor, u64::from(size))
}

/// The four-character code of the first sample entry of the `index`-th track of
/// `moov.traks`, found by walking the box headers (`mp4::BoxHeader`) down to its `stsd`.
fn sample_entry(path: &Path, ranges: Option<&[(u64, u64)]>, index: usize) -> Option<String> {
    let mut f = BufReader::new(File::open(path).ok()?);
    let trak = match ranges {
        Some(r) => *r.get(index)?,
        None => {
            let size = f.get_ref().metadata().ok()?.len();
            let moov = child(&mut f, (0, size), b"moov", 0)?;
            child(&mut f, moov, b"trak", index)?
        }
    };
    let mdia = child(&mut f, trak, b"mdia", 0)?;
    let minf = child(&mut f, mdia, b"minf", 0)?;
    let stbl = child(&mut f, minf, b"stbl", 0)?;
    let stsd = child(&mut f, stbl, b"stsd", 0)?;
    // Version and flags, entry count, then the first entry.
    f.seek(SeekFrom::Start(stsd.0.checked_add(8)?)).ok()?;
    let entry = mp4::BoxHeader::read(&mut f).ok()?;
    let code = mp4::FourCC::from(entry.name).value;
    Some(String::from_utf8_lossy(&code).into_owned())
}

/// The boxes filling `within`: four-character code, start, body start and end of each.
fn children<R: Read + Seek>(f: &mut R, within: (u64, u64)) -> Vec<([u8; 4], u64, u64, u64)> {
    let mut out = Vec::new();
    let (mut pos, end) = within;
    while out.len() < 10_000 {
        let Some((code, body, stop)) = next_box(f, pos, end) else {
            break;
        };
        out.push((code, pos, body, stop));
        pos = stop;
    }
    out
}

/// The box at `pos` (not past `end`): its code, body start and end.
fn next_box<R: Read + Seek>(f: &mut R, pos: u64, end: u64) -> Option<([u8; 4], u64, u64)> {
    if pos.checked_add(8)? > end {
        return None;
    }
    f.seek(SeekFrom::Start(pos)).ok()?;
    let header = mp4::BoxHeader::read(f).ok()?;
    let body = f.stream_position().ok()?;
    // `BoxHeader::size` counts an 8-byte header whatever the header's real length;
    // zero means “to the end”.
    let stop = match header.size {
        0 => end,
        s if s < 8 => return None,
        s => body.checked_add(s - 8)?,
    };
    if stop > end || stop <= pos {
        return None;
    }
    Some((mp4::FourCC::from(header.name).value, body, stop))
}

/// The body (start, end) of the `nth` box called `name` among the boxes filling `within`.
fn child<R: Read + Seek>(
    f: &mut R,
    within: (u64, u64),
    name: &[u8; 4],
    nth: usize,
) -> Option<(u64, u64)> {
    let (mut pos, end) = within;
    let mut seen = 0;
    for _ in 0..10_000 {
        let (code, body, stop) = next_box(f, pos, end)?;
        if &code == name {
            if seen == nth {
                return Some((body, stop));
            }
            seen += 1;
        }
        pos = stop;
    }
    None
}

// ---------------------------------------------------------------- audio

/// What the audio readers report, before checks.
struct Sound {
    duration_ms: u128,
    bitrate_kbps: u32,
    sample_rate: u32,
    channels: u8,
    codec: Option<String>,
}

fn audio(path: &Path, format: Format, meta: &mut Metadata) {
    use lofty::file::AudioFile;
    let options = lofty::config::ParseOptions::new()
        .read_tags(false)
        .read_cover_art(false);
    let read = guarded(|| {
        let mut reader = open(path)?;
        let bad = |e: lofty::error::LoftyError| format!("文件结构无法解析（{e}）");
        Ok(match format {
            Format::Mp3 => {
                let file = lofty::mpeg::MpegFile::read_from(&mut reader, options).map_err(bad)?;
                let p = file.properties();
                Sound {
                    duration_ms: p.duration().as_millis(),
                    bitrate_kbps: p.audio_bitrate(),
                    sample_rate: p.sample_rate(),
                    channels: p.channels(),
                    codec: Some(
                        match p.layer() {
                            lofty::mpeg::Layer::Layer1 => "MPEG Layer I",
                            lofty::mpeg::Layer::Layer2 => "MP2",
                            lofty::mpeg::Layer::Layer3 => "MP3",
                        }
                        .to_string(),
                    ),
                }
            }
            Format::Wav => {
                let file =
                    lofty::iff::wav::WavFile::read_from(&mut reader, options).map_err(bad)?;
                let p = file.properties();
                Sound {
                    duration_ms: p.duration().as_millis(),
                    bitrate_kbps: p.bitrate(),
                    sample_rate: p.sample_rate(),
                    channels: p.channels(),
                    codec: match p.format() {
                        lofty::iff::wav::WavFormat::PCM => Some("PCM".into()),
                        lofty::iff::wav::WavFormat::IEEE_FLOAT => Some("PCM（浮点）".into()),
                        lofty::iff::wav::WavFormat::Other(_) => None,
                    },
                }
            }
            _ => {
                let file = lofty::mp4::Mp4File::read_from(&mut reader, options).map_err(bad)?;
                let p = file.properties();
                Sound {
                    duration_ms: p.duration().as_millis(),
                    bitrate_kbps: p.audio_bitrate(),
                    sample_rate: p.sample_rate(),
                    channels: p.channels(),
                    codec: match p.codec() {
                        lofty::mp4::Mp4Codec::AAC => Some("AAC".into()),
                        lofty::mp4::Mp4Codec::ALAC => Some("ALAC".into()),
                        lofty::mp4::Mp4Codec::MP3 => Some("MP3".into()),
                        lofty::mp4::Mp4Codec::FLAC => Some("FLAC".into()),
                        _ => None,
                    },
                }
            }
        })
    });
    let sound = match read {
        Ok(s) => s,
        Err(why) => {
            meta.unread
                .push(format!("无法读取{}的时长和采样信息：{why}", format.label()));
            return;
        }
    };
    match i64::try_from(sound.duration_ms) {
        Ok(d) if d > 0 => meta.duration_ms = Some(d),
        _ => meta.unread.push("无法读取音频时长".into()),
    }
    if sound.sample_rate > 0 {
        meta.sample_rate = Some(sound.sample_rate.into());
    } else {
        meta.unread.push("无法读取音频采样率".into());
    }
    if sound.channels > 0 {
        meta.channels = Some(sound.channels.into());
    } else {
        meta.unread.push("无法读取音频声道数".into());
    }
    if sound.bitrate_kbps > 0 {
        meta.bit_rate = Some(i64::from(sound.bitrate_kbps) * 1000);
    } else {
        meta.unread.push("无法读取音频码率".into());
    }
    match sound.codec {
        Some(c) => meta.codec = Some(c),
        None => meta.unread.push("无法识别音频编码".into()),
    }
}

// ---------------------------------------------------------------- PDF

fn pdf(path: &Path, meta: &mut Metadata) {
    let pages = guarded(|| {
        let doc = lopdf::Document::load(path).map_err(|e| match e {
            lopdf::Error::IO(e) => format!("无法打开文件（{e}）"),
            lopdf::Error::Decryption(_)
            | lopdf::Error::InvalidPassword
            | lopdf::Error::UnsupportedSecurityHandler(_) => "文件已加密".to_string(),
            e => format!("文件结构异常（{e}）"),
        })?;
        Ok(doc.get_pages().len())
    });
    match pages {
        Ok(0) => meta
            .unread
            .push("无法读取 PDF 页数：文件结构异常（找不到任何页面）".into()),
        Ok(n) => meta.page_count = i64::try_from(n).ok(),
        Err(why) => meta.unread.push(format!("无法读取 PDF 页数：{why}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camera_names() {
        let c = |a, b| camera(a, b);
        assert_eq!(
            c(Some("Canon"), Some("Canon EOS 80D")).as_deref(),
            Some("Canon EOS 80D")
        );
        assert_eq!(
            c(Some("NIKON CORPORATION"), Some("NIKON D750")).as_deref(),
            Some("NIKON D750")
        );
        assert_eq!(
            c(Some("Apple"), Some("iPhone 12")).as_deref(),
            Some("Apple iPhone 12")
        );
        assert_eq!(
            c(Some("SONY"), Some("ILCE-7M3")).as_deref(),
            Some("SONY ILCE-7M3")
        );
        assert_eq!(
            c(Some("LEICA"), Some("LEICAFLEX")).as_deref(),
            Some("LEICA LEICAFLEX")
        );
        assert_eq!(c(Some(" "), Some("X100V ")).as_deref(), Some("X100V"));
        assert_eq!(c(None, None), None);
    }

    #[test]
    fn mp4_times() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        assert_eq!(mp4_time(0, now), None); // never set
        assert_eq!(mp4_time(2_082_844_800, now), None); // 1970-01-01
        assert_eq!(mp4_time(1_700_000_000, now), None); // a Unix time written as if from 1904
        let t = mp4_time(2_082_844_800 + 1_700_000_000, now).unwrap();
        assert_eq!(t.to_rfc3339(), "2023-11-14T22:13:20+00:00");
        assert_eq!(mp4_time(u64::MAX, now), None);
    }

    #[test]
    fn durations() {
        assert_eq!(ms(2000, 1000), Some(2000));
        assert_eq!(ms(90_000, 90_000), Some(1000));
        assert_eq!(ms(5, 0), None);
        assert_eq!(ms(u64::MAX, 1), None);
    }
}

//! The application package (申报材料): the forms as DOCX and PDF, copies of the original
//! media in `照片/`, `视频/`, `音频/`, `辅助材料/`, `manifest.json` and `SHA256SUMS`, written
//! into a new folder inside the one the user chose, and optionally one ZIP beside it.
//!
//! The export is refused when the pre-flight check finds errors, unless the user gives a
//! reason (recorded in the edit log by [`Registry::application_override`]). The package is
//! built in a hidden `.…partial` folder and renamed into place only when complete, so a
//! crash or a full disk never leaves a half package that looks whole. Confidential media
//! are left out with a line in the manifest saying so; personal fields are masked as the
//! profile says.

use super::forms::{self, FormInheritor, FormInput, SheetPhoto};
use super::{lineage_svg, preflight, profile, ApplicationData, LinkedMedia};
use crate::api::Registry;
use crate::error::{Error, Result};
use crate::export::doc::{Document, ImageFormat};
use crate::export::{docx, pdf, raster};
use crate::model::{ExportProfile, PackageFile, PackageOptions, PackageSummary, RegistryKind};
use serde_json::json;
use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Package folders for the media, by what they hold.
pub const PHOTO_DIR: &str = "照片";
/// Videos.
pub const VIDEO_DIR: &str = "视频";
/// Audio recordings.
pub const AUDIO_DIR: &str = "音频";
/// Supporting documents and everything else linked to the item.
pub const SUPPORT_DIR: &str = "辅助材料";

/// Longest file-name stem taken from a caption (characters).
const MAX_STEM: usize = 48;

/// A file name safe on Windows, Linux and in ZIPs: no path separators, reserved characters
/// or control characters, no trailing dots or spaces, at most `max` characters.
pub fn safe_name(s: &str, max: usize) -> String {
    let cleaned: String = s
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    let cut: String = collapsed.chars().take(max).collect();
    let trimmed = cut.trim_end_matches(['.', ' ']).trim_start();
    if trimmed.is_empty() {
        "_".into()
    } else {
        trimmed.to_string()
    }
}

/// One media file going into the package.
struct MediaCopy<'a> {
    linked: &'a LinkedMedia,
    /// Path inside the package.
    path: String,
    kind: &'static str,
    caption: String,
}

/// Which package folder a linked file goes to.
fn folder_of(profile: &ExportProfile, role: &str) -> (&'static str, &'static str) {
    if role == profile.photos.role {
        (PHOTO_DIR, "照片")
    } else if role == profile.video.role {
        (VIDEO_DIR, "视频")
    } else if role == profile.audio.role {
        (AUDIO_DIR, "音频")
    } else {
        (SUPPORT_DIR, "辅助材料")
    }
}

/// Plans the media copies: every live, non-confidential file linked to the item (and, for
/// supporting documents the profile allows on the batch, to its batch), numbered per folder
/// in link order, named after their caption. Confidential files are listed in `left_out`.
fn plan_media<'a>(
    data: &'a ApplicationData,
    profile: &ExportProfile,
    left_out: &mut Vec<String>,
) -> Vec<MediaCopy<'a>> {
    let batch_roles: Vec<&str> = profile
        .documents
        .iter()
        .filter(|d| d.on.iter().any(|o| o == "batch"))
        .map(|d| d.role.as_str())
        .collect();
    let mut all: Vec<&LinkedMedia> = data.media.iter().collect();
    all.extend(
        data.batch_media
            .iter()
            .filter(|m| batch_roles.contains(&m.role.as_str())),
    );
    // Photos, videos, audio, then everything else, each in role then link order.
    let rank = |m: &LinkedMedia| match folder_of(profile, &m.role).0 {
        PHOTO_DIR => 0,
        VIDEO_DIR => 1,
        AUDIO_DIR => 2,
        _ => 3,
    };
    all.sort_by_key(|m| rank(m));
    let mut counters = [0usize; 4];
    let mut out = Vec::new();
    for m in all {
        let d = &m.media.description;
        if d.confidential {
            left_out.push(format!(
                "保密资料未导出：{}“{}”（{}，资料编号 {}）",
                m.role,
                d.title.as_deref().unwrap_or(&m.media.original_name),
                m.media.original_name,
                m.media.id
            ));
            continue;
        }
        let (dir, kind) = folder_of(profile, &m.role);
        let slot = &mut counters[rank(m)];
        *slot += 1;
        let stem_fallback = Path::new(&m.media.original_name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let caption = forms::photo_caption(d, &stem_fallback);
        let label = if dir == SUPPORT_DIR {
            format!("{} {}", m.role, caption)
        } else {
            caption.clone()
        };
        let ext = m.media.ext.to_lowercase();
        out.push(MediaCopy {
            linked: m,
            path: format!("{dir}/{:02} {}.{ext}", *slot, safe_name(&label, MAX_STEM)),
            kind,
            caption,
        });
    }
    out
}

/// Copies `from` to `to`, hashing on the way; the hash must match the record's, else the
/// stored original is damaged and the export stops. The copy is not synced here: see
/// [`copy_all`], which syncs every copy once they are all written.
fn copy_verified(
    from: &Path,
    to: &Path,
    expected: &str,
    name: &str,
) -> Result<(u64, String, std::fs::File)> {
    let mut src = std::fs::File::open(from).map_err(|e| Error::io(from, e))?;
    let mut dst = std::fs::File::create(to).map_err(|e| Error::io(to, e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut total = 0u64;
    loop {
        let n = src.read(&mut buf).map_err(|e| Error::io(from, e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        dst.write_all(&buf[..n]).map_err(|e| Error::io(to, e))?;
        total += n as u64;
    }
    let sha = hex::encode(hasher.finalize());
    if sha != expected {
        return Err(Error::Conflict(format!(
            "资料“{name}”的存储文件已损坏（校验值与入库时不符），未导出申报材料。请在资料库运行“校验”并从原件重新导入"
        )));
    }
    Ok((total, sha, dst))
}

/// Copies every media file into the package folder `partial` (verified, see
/// [`copy_verified`]), then syncs the copies: one after another once all are written,
/// so the disk flushes them together instead of waiting on each in turn.
fn copy_all(partial: &Path, copies: &[MediaCopy], sources: &[PathBuf]) -> Result<Vec<PackageFile>> {
    let mut files = Vec::with_capacity(copies.len());
    let mut written = Vec::with_capacity(copies.len());
    for (c, from) in copies.iter().zip(sources) {
        let dir = partial.join(c.path.split('/').next().unwrap_or(SUPPORT_DIR));
        if !dir.is_dir() {
            std::fs::create_dir(&dir).map_err(|e| Error::io(&dir, e))?;
        }
        let to = partial.join(&c.path);
        let (bytes, sha, file) = copy_verified(
            from,
            &to,
            &c.linked.media.sha256,
            &c.linked.media.original_name,
        )?;
        written.push((to, file));
        files.push(PackageFile {
            path: c.path.clone(),
            kind: c.kind.into(),
            bytes: bytes as i64,
            sha256: sha,
            media_id: Some(c.linked.media.id.clone()),
        });
    }
    for (to, file) in written {
        file.sync_all().map_err(|e| Error::io(&to, e))?;
    }
    Ok(files)
}

fn sha_of(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The photo for the photo sheet: the viewer preview (JPEG, ≤ 2048 px) when there is one,
/// else the original when it is a JPEG or PNG. `None` when neither can be placed.
fn sheet_photo(reg: &Registry, m: &LinkedMedia, caption: String) -> Option<SheetPhoto> {
    let sha = &m.media.sha256;
    let (path, format) = match reg.media_derived_path(sha, true) {
        Ok(p) => (p, ImageFormat::Jpeg),
        Err(_) => match m.media.ext.to_lowercase().as_str() {
            "jpg" | "jpeg" => (reg.media_path(sha).ok()?, ImageFormat::Jpeg),
            "png" => (reg.media_path(sha).ok()?, ImageFormat::Png),
            _ => return None,
        },
    };
    let bytes = std::fs::read(&path).ok()?;
    let (w, h) = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .ok()?
        .into_dimensions()
        .ok()?;
    Some(SheetPhoto {
        bytes,
        format,
        width_px: w,
        height_px: h,
        caption,
    })
}

/// `2026-11-29T…` → `2026年11月29日`.
fn chinese_date(stamp: &str) -> String {
    let d: Vec<&str> = stamp.get(..10).unwrap_or_default().split('-').collect();
    match d.as_slice() {
        [y, m, d] => format!(
            "{y}年{}月{}日",
            m.trim_start_matches('0'),
            d.trim_start_matches('0')
        ),
        _ => stamp.to_string(),
    }
}

/// A rendered form: its path stem in the package and the document.
struct Form {
    stem: String,
    kind: &'static str,
    doc: Document,
}

/// One rendered file: the form's index, PDF (else DOCX), the bytes.
type Rendered = (usize, bool, Vec<u8>);

/// Renders every form to DOCX and PDF, in parallel (typesetting is the slow part). The
/// pictures are decoded first, all threads at once: typst would decode them one after
/// another while laying out the photo sheet, which then took longer than everything else.
fn render(forms: &[Form]) -> Result<Vec<(String, &'static str, Vec<u8>)>> {
    let jobs: Vec<(usize, bool)> = (0..forms.len())
        .flat_map(|i| [(i, false), (i, true)])
        .collect();
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2)
        .clamp(1, 8);
    let docs: Vec<&Document> = forms.iter().map(|f| &f.doc).collect();
    pdf::predecode(&docs, threads);
    let result = render_jobs(forms, &jobs, threads);
    // Twice: the decoded pictures are dropped now, not at some later export.
    pdf::forget();
    pdf::forget();
    result
}

/// Runs the render `jobs` (form index, PDF or DOCX) on `threads` threads.
fn render_jobs(
    forms: &[Form],
    jobs: &[(usize, bool)],
    threads: usize,
) -> Result<Vec<(String, &'static str, Vec<u8>)>> {
    let next = std::sync::atomic::AtomicUsize::new(0);
    let results: Vec<Result<Vec<Rendered>>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads.min(jobs.len()))
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let j = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(&(i, is_pdf)) = jobs.get(j) else {
                            return Ok(done);
                        };
                        let bytes = if is_pdf {
                            pdf::to_pdf_kept(&forms[i].doc)?
                        } else {
                            docx::to_docx(&forms[i].doc)?
                        };
                        done.push((i, is_pdf, bytes));
                    }
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err(Error::Conflict("生成申报文书时出错".into())))
            })
            .collect()
    });
    let mut all = Vec::new();
    for r in results {
        all.extend(r?);
    }
    all.sort_by_key(|(i, is_pdf, _)| (*i, *is_pdf));
    Ok(all
        .into_iter()
        .map(|(i, is_pdf, bytes)| {
            let f = &forms[i];
            let ext = if is_pdf { "pdf" } else { "docx" };
            (format!("{}.{ext}", f.stem), f.kind, bytes)
        })
        .collect())
}

/// A name inside `dir` that is not taken yet: `name`, `name (2)`, `name (3)` …
fn free_name(dir: &Path, name: &str, ext: &str) -> PathBuf {
    let make = |n: usize| {
        let base = if n == 1 {
            name.to_string()
        } else {
            format!("{name} ({n})")
        };
        dir.join(format!("{base}{ext}"))
    };
    let mut n = 1;
    while make(n).exists() {
        n += 1;
    }
    make(n)
}

/// Writes the package of `item_id` as `opts` asks; see the module documentation.
pub fn export(reg: &mut Registry, item_id: &str, opts: &PackageOptions) -> Result<PackageSummary> {
    let started = Instant::now();
    let out_dir = PathBuf::from(opts.out_dir.trim());
    if opts.out_dir.trim().is_empty() {
        return Err(Error::field("outDir", "请选择导出到哪个文件夹"));
    }
    if !out_dir.is_dir() {
        return Err(Error::field(
            "outDir",
            format!("文件夹“{}”不存在或不是文件夹", out_dir.display()),
        ));
    }
    let profile_name = opts
        .profile
        .as_deref()
        .filter(|p| !p.trim().is_empty())
        .unwrap_or(profile::DEFAULT_PROFILE);
    let profile = reg.application_profile(profile_name)?;
    let data = reg.application_data(item_id)?;
    let report = preflight::check(&data, &profile);
    let reason = opts
        .override_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let overridden_errors = if report.ok_to_export {
        0
    } else {
        let Some(reason) = reason else {
            return Err(Error::PreflightErrors {
                count: report.error_count,
            });
        };
        reg.log_override(&report, reason)?;
        report.error_count
    };
    let sample = reg.kind()? == RegistryKind::Sample;
    let now = reg.now();

    // --- gather
    let rules = &profile.inheritors;
    let mut inheritors = Vec::new();
    for r in &data.recognitions {
        if (!rules.levels.is_empty() && !rules.levels.contains(&r.level))
            || r.status != rules.status
        {
            continue;
        }
        let person = reg.inheritor_get(&r.inheritor_id)?;
        if person.deleted_at.is_none() {
            inheritors.push(FormInheritor {
                recognition: r.clone(),
                person,
            });
        }
    }
    let mut units = Vec::new();
    for id in reg.unit_ids_for_item(&data.item.id)? {
        units.push(reg.unit_get(&id)?);
    }
    let mut left_out = Vec::new();
    let copies = plan_media(&data, &profile, &mut left_out);
    let mut photos = Vec::new();
    for c in copies.iter().filter(|c| c.kind == "照片") {
        match sheet_photo(reg, c.linked, c.caption.clone()) {
            Some(p) => photos.push(p),
            None => left_out.push(format!(
                "照片“{}”无法放入照片集（没有可用的预览图），原件已放入{}",
                c.linked.media.original_name, c.path
            )),
        }
    }
    let lineage_png = match lineage_svg::draw(&data.lineage) {
        Some(d) => Some(raster::svg_to_png(&d.svg, forms::LINEAGE_SCALE)?),
        None => None,
    };
    let pf = &profile.personal_fields;
    let masked: Vec<String> = [
        (!pf.id_number, "身份证号"),
        (!pf.phone, "联系电话"),
        (!pf.address, "住址"),
    ]
    .into_iter()
    .filter(|(m, _)| *m)
    .map(|(_, s)| s.to_string())
    .collect();

    // --- forms
    let mut input = FormInput {
        data: &data,
        profile: &profile,
        inheritors,
        units,
        photos,
        lineage_png,
        sample,
        date: chinese_date(&now),
        attachments: Vec::new(),
    };
    let mut forms_out = Vec::new();
    let many = input.inheritors.len() > 1;
    let inheritor_stems: Vec<String> = input
        .inheritors
        .iter()
        .enumerate()
        .map(|(i, who)| {
            let n = if many {
                format!("02-{}", i + 1)
            } else {
                "02".into()
            };
            format!(
                "{n} 代表性传承人申报表（{}）",
                safe_name(&who.person.fields.name, 20)
            )
        })
        .collect();
    let mut attachments: Vec<String> = inheritor_stems.clone();
    let plan_doc = forms::plan_form(&input);
    let sheet_doc = forms::photo_sheet(&input);
    if plan_doc.is_some() {
        attachments.push("03 五年保护计划".into());
    }
    if sheet_doc.is_some() {
        attachments.push("04 照片集".into());
    }
    attachments.push("05 授权书".into());
    attachments.extend(copies.iter().map(|c| c.path.clone()));
    input.attachments = attachments;
    forms_out.push(Form {
        stem: "01 申报书".into(),
        kind: "申报书",
        doc: forms::application_form(&input),
    });
    for (who, stem) in input.inheritors.iter().zip(inheritor_stems) {
        forms_out.push(Form {
            stem,
            kind: "传承人申报表",
            doc: forms::inheritor_form(&input, who),
        });
    }
    if let Some(doc) = plan_doc {
        forms_out.push(Form {
            stem: "03 五年保护计划".into(),
            kind: "保护计划",
            doc,
        });
    }
    if let Some(doc) = sheet_doc {
        forms_out.push(Form {
            stem: "04 照片集".into(),
            kind: "照片集",
            doc,
        });
    }
    forms_out.push(Form {
        stem: "05 授权书".into(),
        kind: "授权书",
        doc: forms::authorization(&input),
    });

    // --- write, into a hidden folder renamed into place when complete. The media are
    // copied (read, hashed, written, synced) on a thread of their own while the forms
    // are typeset: the one waits on the disk, the other on the processor.
    let sources = copies
        .iter()
        .map(|c| reg.media_path(&c.linked.media.sha256))
        .collect::<Result<Vec<_>>>()?;
    let prefix = if sample { "【示例】" } else { "" };
    let folder_name = safe_name(
        &format!("{prefix}{} {} 申报材料", data.item.code, data.item.name),
        80,
    );
    let partial = out_dir.join(format!(
        ".{folder_name}.{}.partial",
        uuid::Uuid::now_v7().simple()
    ));
    std::fs::create_dir(&partial).map_err(|e| Error::io(&partial, e))?;
    let (rendered, copied) = std::thread::scope(|s| {
        let copying = s.spawn(|| copy_all(&partial, &copies, &sources));
        let rendered = render(&forms_out);
        let copied = copying
            .join()
            .unwrap_or_else(|_| Err(Error::Conflict("复制资料文件时出错".into())));
        (rendered, copied)
    });
    let result = (|| -> Result<(Vec<PackageFile>, PathBuf)> {
        let rendered = rendered?;
        let copied = copied?;
        let mut files = Vec::new();
        let write = |rel: &str, bytes: &[u8]| -> Result<()> {
            let p = partial.join(rel);
            std::fs::write(&p, bytes).map_err(|e| Error::io(&p, e))
        };
        for (rel, kind, bytes) in &rendered {
            write(rel, bytes)?;
            files.push(PackageFile {
                path: rel.clone(),
                kind: (*kind).into(),
                bytes: bytes.len() as i64,
                sha256: sha_of(bytes),
                media_id: None,
            });
        }
        files.extend(copied);
        let captions: std::collections::HashMap<&str, &str> = copies
            .iter()
            .map(|c| (c.path.as_str(), c.caption.as_str()))
            .collect();
        let manifest = json!({
            "format": "feiyi-application-package",
            "formatVersion": 1,
            "generator": format!("非遗名录 {}", env!("CARGO_PKG_VERSION")),
            "generatedAt": now,
            "sample": sample,
            "item": {
                "id": data.item.id,
                "code": data.item.code,
                "name": data.item.name,
                "category": format!("{} {}", data.item.category, data.item.category_name),
                "batch": data.batch.as_ref().map(|b| json!({
                    "label": b.label, "docNumber": b.doc_number,
                })),
            },
            "profile": { "name": profile.name, "title": profile.title, "version": profile.version },
            "preflight": {
                "errors": report.error_count,
                "warnings": report.warning_count,
                "overridden": overridden_errors > 0,
                "overrideReason": if overridden_errors > 0 { reason } else { None },
            },
            "personalData": { "masked": masked },
            "files": files.iter().map(|f| json!({
                "path": f.path, "kind": f.kind, "bytes": f.bytes, "sha256": f.sha256,
                "mediaId": f.media_id, "caption": captions.get(f.path.as_str()),
            })).collect::<Vec<_>>(),
            "leftOut": left_out,
        });
        let manifest = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::Parse {
            what: "manifest.json".into(),
            detail: e.to_string(),
        })?;
        write("manifest.json", &manifest)?;
        files.push(PackageFile {
            path: "manifest.json".into(),
            kind: "清单".into(),
            bytes: manifest.len() as i64,
            sha256: sha_of(&manifest),
            media_id: None,
        });
        let sums: String = files
            .iter()
            .map(|f| format!("{}  {}\n", f.sha256, f.path))
            .collect();
        write("SHA256SUMS", sums.as_bytes())?;
        files.push(PackageFile {
            path: "SHA256SUMS".into(),
            kind: "清单".into(),
            bytes: sums.len() as i64,
            sha256: sha_of(sums.as_bytes()),
            media_id: None,
        });
        let folder = free_name(&out_dir, &folder_name, "");
        std::fs::rename(&partial, &folder).map_err(|e| Error::io(&folder, e))?;
        Ok((files, folder))
    })();
    let (files, folder) = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&partial);
            return Err(e);
        }
    };
    let zip = if opts.zip {
        let name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(folder_name);
        let path = free_name(&out_dir, &name, ".zip");
        write_zip(&folder, &name, &files, &path)?;
        Some(path.display().to_string())
    } else {
        None
    };
    Ok(PackageSummary {
        item_id: data.item.id.clone(),
        item_name: data.item.name.clone(),
        profile: profile.name.clone(),
        profile_title: profile.title.clone(),
        folder: folder.display().to_string(),
        zip,
        files,
        left_out,
        masked,
        warning_count: report.warning_count,
        overridden_errors,
        elapsed_ms: started.elapsed().as_millis() as i64,
    })
}

/// Writes the package folder as one ZIP (entries under the folder's name; pictures, video
/// and audio stored as they are, documents compressed), atomically.
fn write_zip(folder: &Path, name: &str, files: &[PackageFile], path: &Path) -> Result<()> {
    use zip::write::SimpleFileOptions;
    use zip::CompressionMethod;
    let tmp = path.with_extension(format!("{}.partial", uuid::Uuid::now_v7().simple()));
    let zerr = |e: zip::result::ZipError| Error::io(path, std::io::Error::other(e.to_string()));
    let result = (|| -> Result<()> {
        let f = std::fs::File::create(&tmp).map_err(|e| Error::io(&tmp, e))?;
        let mut zip = zip::ZipWriter::new(std::io::BufWriter::new(f));
        for file in files {
            let stored = file.media_id.is_some() || file.path.ends_with(".docx");
            let opts = SimpleFileOptions::default()
                .compression_method(if stored {
                    CompressionMethod::Stored
                } else {
                    CompressionMethod::Deflated
                })
                .large_file(file.bytes > (1 << 31));
            zip.start_file(format!("{name}/{}", file.path), opts)
                .map_err(zerr)?;
            let src = folder.join(&file.path);
            let mut r = std::fs::File::open(&src).map_err(|e| Error::io(&src, e))?;
            std::io::copy(&mut r, &mut zip).map_err(|e| Error::io(path, e))?;
        }
        let w = zip.finish().map_err(zerr)?;
        let f = w
            .into_inner()
            .map_err(|e| Error::io(&tmp, e.into_error()))?;
        f.sync_all().map_err(|e| Error::io(&tmp, e))?;
        std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_safe_on_every_system() {
        assert_eq!(
            safe_name("a/b\\c:d*e?f\"g<h>i|j", 80),
            "a_b_c_d_e_f_g_h_i_j"
        );
        assert_eq!(safe_name("  泥塑\n技艺.. ", 80), "泥塑 技艺");
        assert_eq!(safe_name("...", 80), "_");
        assert_eq!(safe_name("一二三四五六", 3), "一二三");
    }

    #[test]
    fn dates_in_chinese() {
        assert_eq!(chinese_date("2026-11-09T08:00:00.000Z"), "2026年11月9日");
        assert_eq!(chinese_date("2026-01-20T08:00:00.000Z"), "2026年1月20日");
    }
}

//! The pre-flight check (申报体检): every rule of a profile applied to an application's
//! data, each failure a [`Finding`] with a stable code, the record and field to fix, and a
//! Chinese sentence with the numbers.
//!
//! Pure: no registry, no clock (the year comes in [`ApplicationData::this_year`]).

use super::profile::{limit_note, CAPTION_PARTS};
use super::{ApplicationData, LinkedMedia};
use crate::model::{
    ExportProfile, Finding, FindingTarget, MediaDetail, PreflightCounts, PreflightReport, Severity,
};

/// Characters counted against a length limit: everything but whitespace.
pub fn char_count(text: &str) -> i64 {
    text.chars().filter(|c| !c.is_whitespace()).count() as i64
}

/// `3 分 40 秒`, `5 分钟`, `45 秒`.
pub fn duration_text(secs: i64) -> String {
    let (m, s) = (secs / 60, secs % 60);
    match (m, s) {
        (0, s) => format!("{s} 秒"),
        (m, 0) => format!("{m} 分钟"),
        (m, s) => format!("{m} 分 {s} 秒"),
    }
}

/// A duration range as the calls write it: `5–10 分钟`, `至少 5 分钟`, `不超过 10 分钟`.
fn duration_range(min: Option<i64>, max: Option<i64>) -> String {
    let whole = |s: i64| s % 60 == 0;
    match (min, max) {
        (Some(a), Some(b)) if whole(a) && whole(b) => format!("{}–{} 分钟", a / 60, b / 60),
        (Some(a), Some(b)) => format!("{}至{}", duration_text(a), duration_text(b)),
        (Some(a), None) => format!("至少 {}", duration_text(a)),
        (None, Some(b)) => format!("不超过 {}", duration_text(b)),
        (None, None) => String::new(),
    }
}

fn mb(bytes: i64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// `2`, `2.5`: a number of MB without needless decimals.
fn mb_text(v: f64) -> String {
    let s = format!("{v:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

struct Findings(Vec<Finding>);

impl Findings {
    fn push(&mut self, severity: Severity, code: &str, target: FindingTarget, message: String) {
        self.0.push(Finding {
            severity,
            code: code.into(),
            target,
            message,
        });
    }
    fn error(&mut self, code: &str, target: FindingTarget, message: String) {
        self.push(Severity::Error, code, target, message);
    }
    fn warning(&mut self, code: &str, target: FindingTarget, message: String) {
        self.push(Severity::Warning, code, target, message);
    }
}

fn target(kind: &str, id: &str, field: Option<&str>) -> FindingTarget {
    FindingTarget {
        kind: kind.into(),
        id: id.into(),
        field: field.map(str::to_string),
    }
}

fn media_target(m: &MediaDetail, field: Option<&str>) -> FindingTarget {
    target("media", &m.id, field)
}

fn has_text(s: &Option<String>) -> bool {
    s.as_deref().is_some_and(|s| !s.trim().is_empty())
}

/// Applies every rule of `profile` to `data`.
pub fn check(data: &ApplicationData, profile: &ExportProfile) -> PreflightReport {
    let mut f = Findings(Vec::new());
    let mut counts = PreflightCounts::default();
    let item = &data.item;
    let item_t = |field: &str| target("item", &item.id, Some(field));

    if item.confidential {
        f.warning(
            "item_confidential",
            item_t("confidential"),
            format!(
                "项目“{}”标记为保密；申报材料将报送市文旅局并公示，请确认可以公开",
                item.name
            ),
        );
    }

    // --- sections of the 申报书, in form order
    let texts = serde_json::to_value(&item.texts).unwrap_or_default();
    for s in &profile.sections {
        let field = format!("texts.{}", s.key);
        let text = texts.get(&s.key).and_then(|v| v.as_str()).unwrap_or("");
        let n = char_count(text);
        if n == 0 {
            if s.required {
                f.error(
                    "section_empty",
                    item_t(&field),
                    if s.group.is_empty() || s.group == s.label {
                        format!("{}未填写，申报书必须有这一栏", s.label)
                    } else {
                        format!("{}（{}）未填写，申报书必须有这一栏", s.label, s.group)
                    },
                );
            }
            continue;
        }
        if let Some(max) = s.max_chars.filter(|&m| n > m) {
            f.error(
                "section_too_long",
                item_t(&field),
                format!(
                    "{} {n} 字，超过 {max} 字的限制{}",
                    s.label,
                    limit_note(s.limit_source.as_deref())
                ),
            );
        }
    }

    // --- district listing: the batch's 文号 (or a 区级 listing's)
    if profile.listing.doc_number_required {
        match &data.batch {
            Some(b) => {
                if !has_text(&b.doc_number) {
                    f.error(
                        "batch_no_doc_number",
                        target("batch", &b.id, Some("docNumber")),
                        format!(
                            "{}没有文号：市级申报须附公布区级名录的文件，请在批次中填写其文号",
                            b.label
                        ),
                    );
                }
            }
            None => match item.listings.iter().position(|l| l.level == "区级") {
                Some(i) if !has_text(&item.listings[i].doc_number) => f.error(
                    "batch_no_doc_number",
                    item_t(&format!("listings.{i}.docNumber")),
                    "区级名录的公布文件没有文号，请在项目的级别记录中填写".into(),
                ),
                Some(_) => {}
                None => f.error(
                    "district_listing_missing",
                    item_t("batchId"),
                    format!(
                        "项目“{}”没有所属批次，也没有区级级别记录：申报市级名录须先列入区级名录",
                        item.name
                    ),
                ),
            },
        }
    }

    // --- representative inheritors
    let rules = &profile.inheritors;
    let counting: Vec<_> = data
        .recognitions
        .iter()
        .filter(|r| rules.levels.is_empty() || rules.levels.contains(&r.level))
        .collect();
    let active: Vec<_> = counting
        .iter()
        .filter(|r| r.status == rules.status)
        .collect();
    counts.inheritors = active.len() as i64;
    let levels = if rules.levels.is_empty() {
        String::new()
    } else {
        rules.levels.join("或")
    };
    if rules.required && (active.len() as i64) < rules.min_count.max(1) {
        let others: Vec<String> = counting
            .iter()
            .filter(|r| r.status != rules.status)
            .map(|r| format!("{}（{}）", r.inheritor_name, r.status))
            .collect();
        let mut msg = if rules.min_count <= 1 {
            format!("没有{}的{levels}代表性传承人", rules.status)
        } else {
            format!(
                "{}的{levels}代表性传承人 {} 位，要求至少 {} 位",
                rules.status,
                active.len(),
                rules.min_count
            )
        };
        if !others.is_empty() {
            msg.push_str(&format!("；{}不计入", others.join("、")));
        }
        f.error("inheritor_missing", item_t("recognitions"), msg);
    }
    if rules.doc_number_required {
        for r in &active {
            if !has_text(&r.doc_number) {
                f.error(
                    "recognition_no_doc_number",
                    target("recognition", &r.id, Some("docNumber")),
                    format!(
                        "{}的{}代表性传承人认定没有文号，请填写认定文件的文号",
                        r.inheritor_name, r.level
                    ),
                );
            }
        }
    }

    // --- lineage
    counts.lineage_people = data.lineage.table.len() as i64;
    if data.lineage.table.is_empty() {
        let narrative = has_text(&item.texts.lineage_text);
        if profile.lineage.required && !narrative {
            f.error(
                "lineage_empty",
                target("lineage", &item.id, None),
                "没有传承谱系：请录入师承关系（传承谱系表），或至少填写传承谱系的文字叙述".into(),
            );
        } else {
            f.warning(
                "lineage_empty",
                target("lineage", &item.id, None),
                "传承谱系表为空，申报书中将只有文字叙述；建议录入师承关系".into(),
            );
        }
    }

    // --- protection plan
    let pr = &profile.plan;
    match &data.plan {
        None => {
            if pr.required {
                f.error(
                    "plan_missing",
                    item_t("plans"),
                    format!(
                        "没有{}年保护计划",
                        crate::reference::chinese_number(pr.years)
                    ),
                );
            }
        }
        Some(plan) => {
            let p = &plan.fields;
            let pt = |field: &str| target("plan", &plan.id, Some(field));
            let span = p.end_year - p.start_year + 1;
            if span != pr.years {
                f.error(
                    "plan_years",
                    pt("endYear"),
                    format!(
                        "保护计划“{}”为 {}—{} 年共 {span} 年，要求 {} 年",
                        p.title, p.start_year, p.end_year, pr.years
                    ),
                );
            }
            if p.end_year < data.this_year {
                f.warning(
                    "plan_expired",
                    pt("startYear"),
                    format!(
                        "保护计划“{}”到 {} 年已结束，申报时通常应附今后五年的计划",
                        p.title, p.end_year
                    ),
                );
            }
            for y in p.start_year..=p.end_year {
                let has = p
                    .years
                    .iter()
                    .any(|py| py.year == y && (has_text(&py.targets) || has_text(&py.measures)));
                if !has {
                    f.warning(
                        "plan_year_no_targets",
                        pt("years"),
                        format!("保护计划“{}”的 {y} 年没有年度目标和措施", p.title),
                    );
                }
            }
            if p.budget.is_empty() {
                if pr.budget_required {
                    f.error(
                        "budget_missing",
                        pt("budget"),
                        format!("保护计划“{}”没有经费预算", p.title),
                    );
                }
            } else {
                if pr.budget_basis_required && !has_text(&p.budget_basis) {
                    f.error(
                        "budget_no_basis",
                        pt("budgetBasis"),
                        format!(
                            "保护计划“{}”的经费预算没有依据说明（经费预算及其依据说明）",
                            p.title
                        ),
                    );
                }
                for (i, line) in p.budget.iter().enumerate() {
                    if !has_text(&line.justification) {
                        let msg = format!(
                            "{} 年“{}”预算（{} 元）没有测算依据",
                            line.year,
                            line.purpose,
                            line.amount_fen / 100
                        );
                        let t = pt(&format!("budget.{i}.justification"));
                        if pr.line_justification_required {
                            f.error("budget_line_no_justification", t, msg);
                        } else {
                            f.warning("budget_line_no_justification", t, msg);
                        }
                    }
                }
            }
        }
    }

    // --- photos
    let ph = &profile.photos;
    let ph_note = limit_note(ph.limit_source.as_deref());
    let photos = left_out(&mut f, &mut counts, data.with_role(&ph.role), "照片");
    counts.photos = photos.len() as i64;
    let photos_t = || item_t(&format!("media.{}", ph.role));
    if (photos.len() as i64) < ph.min_count {
        f.error(
            "photos_too_few",
            photos_t(),
            format!(
                "照片 {} 张，要求至少 {} 张{ph_note}",
                photos.len(),
                ph.min_count
            ),
        );
    }
    if let Some(max) = ph.max_count.filter(|&m| photos.len() as i64 > m) {
        f.warning(
            "photos_too_many",
            photos_t(),
            format!("照片 {} 张，超过 {max} 张的上限{ph_note}", photos.len()),
        );
    }
    for (i, m) in photos.iter().enumerate() {
        let m = &m.media;
        let name = format!("第 {} 张照片（{}）", i + 1, m.original_name);
        if !ph.formats.is_empty() && !ph.formats.contains(&m.ext.to_lowercase()) {
            f.error(
                "photo_wrong_format",
                media_target(m, None),
                format!(
                    "{name}是 {} 格式，要求 {}",
                    m.ext.to_uppercase(),
                    ph.formats.join(" / ").to_uppercase()
                ),
            );
        }
        let d = &m.description;
        let parts = [
            &d.caption_time,
            &d.caption_place,
            &d.caption_people,
            &d.caption_event,
        ];
        let captioned = has_text(&d.caption) || parts.iter().any(|p| has_text(p));
        if !captioned {
            if ph.caption_required {
                f.error(
                    "photo_no_caption",
                    media_target(m, Some("caption")),
                    format!("{name}没有图片说明"),
                );
            }
        } else {
            let missing: Vec<&str> = CAPTION_PARTS
                .iter()
                .zip(parts)
                .filter(|((key, _), v)| ph.caption_parts.iter().any(|p| p == key) && !has_text(v))
                .map(|((_, label), _)| *label)
                .collect();
            if !missing.is_empty() {
                f.warning(
                    "photo_caption_incomplete",
                    media_target(m, Some("caption")),
                    format!("{name}的图片说明缺少{}", missing.join("、")),
                );
            }
        }
        match (m.width, m.height) {
            (Some(w), Some(h)) => {
                let (long, short) = (w.max(h), w.min(h));
                let too_small = ph.min_long_edge_px.is_some_and(|min| long < min)
                    || ph.min_short_edge_px.is_some_and(|min| short < min);
                if too_small {
                    let want = match (ph.min_long_edge_px, ph.min_short_edge_px) {
                        (Some(l), Some(s)) => format!("长边至少 {l}、短边至少 {s} 像素"),
                        (Some(l), None) => format!("长边至少 {l} 像素"),
                        (None, Some(s)) => format!("短边至少 {s} 像素"),
                        (None, None) => String::new(),
                    };
                    f.error(
                        "photo_too_small",
                        media_target(m, None),
                        format!("{name}为 {w}×{h} 像素，要求{want}{ph_note}"),
                    );
                }
            }
            _ => {
                if ph.min_long_edge_px.is_some() || ph.min_short_edge_px.is_some() {
                    f.warning(
                        "photo_size_unknown",
                        media_target(m, None),
                        format!("{name}读不出像素尺寸，请人工确认是否符合要求"),
                    );
                }
            }
        }
        let size = mb(m.size_bytes);
        let below = ph.min_size_mb.is_some_and(|min| size < min);
        let above = ph.max_size_mb.is_some_and(|max| size > max);
        if below || above {
            let want = match (ph.min_size_mb, ph.max_size_mb) {
                (Some(a), Some(b)) => format!("{}–{} MB", mb_text(a), mb_text(b)),
                (Some(a), None) => format!("不小于 {} MB", mb_text(a)),
                (None, Some(b)) => format!("不超过 {} MB", mb_text(b)),
                (None, None) => String::new(),
            };
            f.warning(
                "photo_file_size",
                media_target(m, None),
                format!("{name}文件大小 {:.1} MB，建议 {want}{ph_note}", size),
            );
        }
    }

    // --- video
    let v = &profile.video;
    let v_note = limit_note(v.limit_source.as_deref());
    let videos = left_out(&mut f, &mut counts, data.with_role(&v.role), "视频");
    counts.videos = videos.len() as i64;
    if v.required && (videos.len() as i64) < v.min_count.max(1) {
        let msg = if videos.is_empty() {
            format!(
                "没有视频：请把项目的视频关联到本项目（用途“{}”），要求 {}{v_note}",
                v.role,
                duration_range(v.min_duration_sec, v.max_duration_sec)
            )
        } else {
            format!("视频 {} 段，要求至少 {} 段", videos.len(), v.min_count)
        };
        f.error("video_missing", item_t(&format!("media.{}", v.role)), msg);
    }
    for m in &videos {
        let m = &m.media;
        let name = &m.original_name;
        if !v.formats.is_empty() && !v.formats.contains(&m.ext.to_lowercase()) {
            f.error(
                "video_wrong_format",
                media_target(m, None),
                format!(
                    "视频“{name}”是 {} 格式，要求 {}",
                    m.ext.to_uppercase(),
                    v.formats.join(" / ").to_uppercase()
                ),
            );
        }
        match m.technical.duration_ms {
            Some(ms) => {
                let secs = (ms + 500) / 1000;
                let range = duration_range(v.min_duration_sec, v.max_duration_sec);
                if v.min_duration_sec.is_some_and(|min| secs < min) {
                    f.error(
                        "video_too_short",
                        media_target(m, None),
                        format!(
                            "视频“{name}”时长 {}，要求 {range}{v_note}",
                            duration_text(secs)
                        ),
                    );
                } else if v.max_duration_sec.is_some_and(|max| secs > max) {
                    f.error(
                        "video_too_long",
                        media_target(m, None),
                        format!(
                            "视频“{name}”时长 {}，要求 {range}{v_note}",
                            duration_text(secs)
                        ),
                    );
                }
            }
            None => {
                if v.min_duration_sec.is_some() || v.max_duration_sec.is_some() {
                    f.warning(
                        "video_duration_unknown",
                        media_target(m, None),
                        format!("视频“{name}”读不出时长，请人工确认是否符合要求"),
                    );
                }
            }
        }
        let (w, h) = (
            m.technical.width.or(m.width),
            m.technical.height.or(m.height),
        );
        if let Some(min) = v.min_short_edge_px {
            match (w, h) {
                (Some(w), Some(h)) if w.min(h) < min => f.error(
                    "video_low_resolution",
                    media_target(m, None),
                    format!("视频“{name}”分辨率 {w}×{h}，要求至少 {min}p{v_note}"),
                ),
                (Some(_), Some(_)) => {}
                _ => f.warning(
                    "video_resolution_unknown",
                    media_target(m, None),
                    format!("视频“{name}”读不出分辨率，请人工确认是否达到 {min}p"),
                ),
            }
        }
        if let Some(max) = v.max_size_mb.filter(|&max| mb(m.size_bytes) > max) {
            f.warning(
                "video_too_large",
                media_target(m, None),
                format!(
                    "视频“{name}”文件大小 {:.0} MB，超过 {} MB{v_note}",
                    mb(m.size_bytes),
                    mb_text(max)
                ),
            );
        }
    }

    // --- audio
    let a = &profile.audio;
    let audio = left_out(&mut f, &mut counts, data.with_role(&a.role), "录音");
    counts.audio = audio.len() as i64;
    if a.required && audio.is_empty() {
        f.error(
            "audio_missing",
            item_t(&format!("media.{}", a.role)),
            format!("没有录音：请把录音关联到本项目（用途“{}”）", a.role),
        );
    }
    for m in &audio {
        let m = &m.media;
        if !a.formats.is_empty() && !a.formats.contains(&m.ext.to_lowercase()) {
            f.warning(
                "audio_wrong_format",
                media_target(m, None),
                format!(
                    "录音“{}”是 {} 格式，建议 {}",
                    m.original_name,
                    m.ext.to_uppercase(),
                    a.formats.join(" / ").to_uppercase()
                ),
            );
        }
    }

    // --- supporting documents
    for d in &profile.documents {
        let mut found: Vec<&LinkedMedia> = Vec::new();
        if d.on.iter().any(|e| e == "item") {
            found.extend(data.with_role(&d.role));
        }
        if d.on.iter().any(|e| e == "batch") {
            found.extend(data.batch_media.iter().filter(|m| m.role == d.role));
        }
        let found = left_out(&mut f, &mut counts, found.into_iter(), &d.label);
        counts.documents += found.len() as i64;
        if found.is_empty() {
            let place = if d.on.iter().any(|e| e == "batch") {
                "本项目或其批次"
            } else {
                "本项目"
            };
            let msg = format!(
                "没有“{}”：请扫描后导入资料库，关联到{place}，用途选“{}”",
                d.label, d.role
            );
            let t = item_t(&format!("media.{}", d.role));
            if d.required {
                f.error("document_missing", t, msg);
            } else {
                f.warning("document_missing", t, msg);
            }
        }
    }

    // Errors first; within each severity, form order as found.
    f.0.sort_by_key(|x| x.severity != Severity::Error);
    let error_count = f.0.iter().filter(|x| x.severity == Severity::Error).count() as i64;
    let warning_count = f.0.len() as i64 - error_count;
    PreflightReport {
        item_id: item.id.clone(),
        item_name: item.name.clone(),
        profile: profile.name.clone(),
        profile_title: profile.title.clone(),
        ok_to_export: error_count == 0,
        error_count,
        warning_count,
        counts,
        findings: f.0,
    }
}

/// The media that go into the package: confidential ones are left out, each with a warning.
fn left_out<'a>(
    f: &mut Findings,
    counts: &mut PreflightCounts,
    media: impl Iterator<Item = &'a LinkedMedia>,
    what: &str,
) -> Vec<&'a LinkedMedia> {
    let mut kept = Vec::new();
    for m in media {
        if m.media.description.confidential {
            counts.confidential_left_out += 1;
            f.warning(
                "confidential_media_left_out",
                media_target(&m.media, Some("confidential")),
                format!(
                    "{what}“{}”标记为保密，不会放入申报材料，也不计入数量",
                    m.media.original_name
                ),
            );
        } else {
            kept.push(m);
        }
    }
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_in_chinese() {
        assert_eq!(duration_text(220), "3 分 40 秒");
        assert_eq!(duration_text(300), "5 分钟");
        assert_eq!(duration_text(45), "45 秒");
        assert_eq!(duration_range(Some(300), Some(600)), "5–10 分钟");
        assert_eq!(duration_range(Some(300), None), "至少 5 分钟");
    }

    #[test]
    fn whitespace_is_not_counted() {
        assert_eq!(char_count("柳条 编织\n技艺"), 6);
    }
}

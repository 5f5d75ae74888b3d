//! Export profiles (申报配置) as data: the shipped ones, embedded from `data/profiles/`, and
//! the checks a user's copy must pass before it is saved.
//!
//! Numbers that no published 枣庄 call states carry `limitSource: "默认值，可修改"`, and every
//! message about such a limit says that it is a default the user can change.

use crate::error::{Error, FieldError, Result};
use crate::model::{ExportProfile, ItemTexts, LEVELS, RECOGNITION_STATUSES};

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "zaozhuang-municipal";

/// The mark of a limit that is a guess, not a published rule.
pub const DEFAULT_LIMIT: &str = "默认值，可修改";

/// The profiles shipped with the app: (name, JSON).
const SHIPPED: [(&str, &str); 1] = [(
    "zaozhuang-municipal",
    include_str!("../../../../data/profiles/zaozhuang-municipal.json"),
)];

/// Caption parts a profile may expect, with their Chinese names.
pub const CAPTION_PARTS: [(&str, &str); 4] = [
    ("time", "时间"),
    ("place", "地点"),
    ("people", "人物"),
    ("event", "事件"),
];

/// Records a supporting document may be linked to.
pub const DOCUMENT_ENTITIES: [&str; 2] = ["item", "batch"];

/// Longest profile name, in characters.
const MAX_NAME: usize = 40;

/// Every profile shipped with the app, in order.
pub fn shipped() -> Result<Vec<ExportProfile>> {
    SHIPPED
        .iter()
        .map(|(name, text)| {
            serde_json::from_str::<ExportProfile>(text).map_err(|e| Error::Parse {
                what: format!("data/profiles/{name}.json"),
                detail: e.to_string(),
            })
        })
        .collect()
}

/// Whether a name belongs to a shipped profile (those are never changed in place).
pub fn is_shipped(name: &str) -> bool {
    SHIPPED.iter().any(|(n, _)| *n == name)
}

/// The [`ItemTexts`] fields a section may name, camelCase as on the wire.
pub fn section_keys() -> Vec<String> {
    match serde_json::to_value(ItemTexts::default()) {
        Ok(serde_json::Value::Object(map)) => map.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// What to add to a message about a limit from `source`: a default's reminder that it can be
/// changed, or the named source.
pub fn limit_note(source: Option<&str>) -> String {
    match source.map(str::trim).filter(|s| !s.is_empty()) {
        None => String::new(),
        Some(s) if s.starts_with("默认值") => "（默认值，可在申报配置中修改）".into(),
        Some(s) => format!("（依据：{s}）"),
    }
}

fn non_negative(errors: &mut Vec<FieldError>, field: &str, label: &str, v: Option<f64>) {
    if v.is_some_and(|v| !v.is_finite() || v < 0.0) {
        errors.push(FieldError::new(field, format!("{label}不能为负数")));
    }
}

fn range(
    errors: &mut Vec<FieldError>,
    field: &str,
    label: &str,
    min: Option<f64>,
    max: Option<f64>,
) {
    if let (Some(lo), Some(hi)) = (min, max) {
        if lo > hi {
            errors.push(FieldError::new(
                field,
                format!("{label}的下限 {lo} 大于上限 {hi}"),
            ));
        }
    }
}

fn formats(errors: &mut Vec<FieldError>, field: &str, list: &[String]) {
    if list
        .iter()
        .any(|f| f.is_empty() || f.starts_with('.') || f.chars().any(|c| c.is_ascii_uppercase()))
    {
        errors.push(FieldError::new(
            field,
            "文件格式请写小写扩展名，不带点，如 jpg、mp4",
        ));
    }
}

/// Trims a profile's names and lowercases its formats, as saved.
pub fn normalize(mut p: ExportProfile) -> ExportProfile {
    p.name = p.name.trim().to_string();
    p.title = p.title.trim().to_string();
    p.level = p.level.trim().to_string();
    for list in [
        &mut p.photos.formats,
        &mut p.video.formats,
        &mut p.audio.formats,
    ] {
        for f in list.iter_mut() {
            *f = f.trim().trim_start_matches('.').to_lowercase();
        }
    }
    for s in &mut p.sections {
        s.key = s.key.trim().to_string();
        s.label = s.label.trim().to_string();
    }
    for d in &mut p.documents {
        d.role = d.role.trim().to_string();
        d.label = d.label.trim().to_string();
    }
    p
}

/// Checks a profile: a usable name and title, known section keys without repeats, sensible
/// numbers, known levels, statuses, caption parts and document places.
pub fn validate(p: &ExportProfile) -> Result<()> {
    let mut errors = Vec::new();
    let n = p.name.chars().count();
    if n == 0 || n > MAX_NAME {
        errors.push(FieldError::new(
            "name",
            format!("配置名称不能为空，且不超过 {MAX_NAME} 个字"),
        ));
    } else if p
        .name
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || "/\\:*?\"<>|".contains(c))
    {
        errors.push(FieldError::new(
            "name",
            "配置名称不能含空格或 / \\ : * ? \" < > | 等符号",
        ));
    }
    if p.title.is_empty() {
        errors.push(FieldError::new("title", "请填写配置标题"));
    }
    if p.version < 1 {
        errors.push(FieldError::new("version", "版本号应为正整数"));
    }
    if !LEVELS.contains(&p.level.as_str()) {
        errors.push(FieldError::new(
            "level",
            format!("申报级别应为 {}", LEVELS.join(" / ")),
        ));
    }
    let keys = section_keys();
    let mut seen: Vec<&str> = Vec::new();
    for (i, s) in p.sections.iter().enumerate() {
        if !keys.contains(&s.key) {
            errors.push(FieldError::new(
                format!("sections.{i}.key"),
                format!("没有“{}”这个申报书栏目", s.key),
            ));
        } else if seen.contains(&s.key.as_str()) {
            errors.push(FieldError::new(
                format!("sections.{i}.key"),
                format!("栏目“{}”重复", s.label),
            ));
        }
        seen.push(&s.key);
        if s.label.is_empty() {
            errors.push(FieldError::new(
                format!("sections.{i}.label"),
                "请填写栏目名称",
            ));
        }
        if s.max_chars.is_some_and(|m| m < 1) {
            errors.push(FieldError::new(
                format!("sections.{i}.maxChars"),
                "字数限制应为正整数，不限制请留空",
            ));
        }
    }
    let ph = &p.photos;
    if ph.role.trim().is_empty() {
        errors.push(FieldError::new("photos.role", "请填写照片的关联用途"));
    }
    if ph.min_count < 0 {
        errors.push(FieldError::new("photos.minCount", "照片数量不能为负数"));
    }
    range(
        &mut errors,
        "photos.maxCount",
        "照片数量",
        Some(ph.min_count as f64),
        ph.max_count.map(|v| v as f64),
    );
    formats(&mut errors, "photos.formats", &ph.formats);
    for (field, v) in [
        ("photos.minLongEdgePx", ph.min_long_edge_px),
        ("photos.minShortEdgePx", ph.min_short_edge_px),
    ] {
        non_negative(&mut errors, field, "像素", v.map(|v| v as f64));
    }
    non_negative(&mut errors, "photos.minSizeMb", "文件大小", ph.min_size_mb);
    non_negative(&mut errors, "photos.maxSizeMb", "文件大小", ph.max_size_mb);
    range(
        &mut errors,
        "photos.maxSizeMb",
        "照片文件大小",
        ph.min_size_mb,
        ph.max_size_mb,
    );
    for (i, part) in ph.caption_parts.iter().enumerate() {
        if !CAPTION_PARTS.iter().any(|(k, _)| k == part) {
            errors.push(FieldError::new(
                format!("photos.captionParts.{i}"),
                "图片说明的要素应为 time（时间）、place（地点）、people（人物）、event（事件）",
            ));
        }
    }
    let v = &p.video;
    if v.role.trim().is_empty() {
        errors.push(FieldError::new("video.role", "请填写视频的关联用途"));
    }
    if v.min_count < 0 {
        errors.push(FieldError::new("video.minCount", "视频数量不能为负数"));
    }
    formats(&mut errors, "video.formats", &v.formats);
    non_negative(
        &mut errors,
        "video.minDurationSec",
        "时长",
        v.min_duration_sec.map(|v| v as f64),
    );
    non_negative(
        &mut errors,
        "video.maxDurationSec",
        "时长",
        v.max_duration_sec.map(|v| v as f64),
    );
    range(
        &mut errors,
        "video.maxDurationSec",
        "视频时长",
        v.min_duration_sec.map(|v| v as f64),
        v.max_duration_sec.map(|v| v as f64),
    );
    non_negative(
        &mut errors,
        "video.minShortEdgePx",
        "分辨率",
        v.min_short_edge_px.map(|v| v as f64),
    );
    non_negative(&mut errors, "video.maxSizeMb", "文件大小", v.max_size_mb);
    if p.audio.role.trim().is_empty() {
        errors.push(FieldError::new("audio.role", "请填写录音的关联用途"));
    }
    formats(&mut errors, "audio.formats", &p.audio.formats);
    for (i, d) in p.documents.iter().enumerate() {
        if d.role.is_empty() {
            errors.push(FieldError::new(
                format!("documents.{i}.role"),
                "请填写辅助材料的关联用途",
            ));
        }
        if d.on.is_empty()
            || d.on
                .iter()
                .any(|e| !DOCUMENT_ENTITIES.contains(&e.as_str()))
        {
            errors.push(FieldError::new(
                format!("documents.{i}.on"),
                "辅助材料只能关联到 item（项目）或 batch（批次）",
            ));
        }
    }
    let inh = &p.inheritors;
    if inh.min_count < 0 {
        errors.push(FieldError::new(
            "inheritors.minCount",
            "传承人数量不能为负数",
        ));
    }
    if inh.levels.iter().any(|l| !LEVELS.contains(&l.as_str())) {
        errors.push(FieldError::new(
            "inheritors.levels",
            format!("传承人认定级别应为 {}", LEVELS.join(" / ")),
        ));
    }
    if !RECOGNITION_STATUSES.contains(&inh.status.as_str()) {
        errors.push(FieldError::new(
            "inheritors.status",
            format!("认定状态应为 {}", RECOGNITION_STATUSES.join(" / ")),
        ));
    }
    if p.plan.years < 1 {
        errors.push(FieldError::new("plan.years", "保护计划年数应为正整数"));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Error::Validation(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_profile_is_valid_and_marks_its_guesses() {
        let all = shipped().unwrap();
        assert_eq!(all.len(), 1);
        let p = &all[0];
        assert_eq!(p.name, DEFAULT_PROFILE);
        assert!(is_shipped(&p.name));
        validate(p).unwrap();
        assert_eq!(p.sections[0].key, "applicant");
        assert!(p.sections.iter().any(|s| s.key == "lineageText"));
        // Every limit is marked as a default: no number pretends to be 枣庄's rule.
        for s in &p.sections {
            if s.max_chars.is_some() {
                assert_eq!(
                    s.limit_source.as_deref(),
                    Some(DEFAULT_LIMIT),
                    "{}",
                    s.label
                );
            }
        }
        assert_eq!(p.photos.limit_source.as_deref(), Some(DEFAULT_LIMIT));
        assert_eq!(p.video.limit_source.as_deref(), Some(DEFAULT_LIMIT));
        assert!(!p.personal_fields.id_number && !p.personal_fields.phone);
    }

    #[test]
    fn limit_notes() {
        assert_eq!(
            limit_note(Some(DEFAULT_LIMIT)),
            "（默认值，可在申报配置中修改）"
        );
        assert_eq!(limit_note(Some("2025 年通知")), "（依据：2025 年通知）");
        assert_eq!(limit_note(None), "");
    }

    #[test]
    fn section_keys_are_the_item_text_fields() {
        let keys = section_keys();
        assert_eq!(keys.len(), crate::model::ITEM_TEXT_FIELDS.len());
        assert!(keys.iter().any(|k| k == "protectionDone"));
    }
}

//! SQL for media records and their links to items, inheritors, activities, units and plans.

use crate::error::{Error, Result};
use crate::model::{
    MediaDescription, MediaDetail, MediaLink, MediaPage, MediaQuery, MediaRow, MediaTechnical,
    MEDIA_LINK_ENTITIES,
};
use crate::search::like_escape;
use rusqlite::{params, params_from_iter, types::Value, Connection, OptionalExtension};
use std::collections::BTreeMap;

const KIND: &str = "资料";

/// Most rows on one page of the library.
pub const MAX_PAGE_SIZE: i64 = 500;

/// The identity of a media record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaKey {
    /// Row id.
    pub rowid: i64,
    /// Stable id.
    pub uid: String,
    /// SHA-256 of the original.
    pub sha256: String,
    /// Extension of the stored original.
    pub ext: String,
    /// The file's name when imported.
    pub original_name: String,
    /// 照片, 视频, 音频 or 文档.
    pub kind: String,
    /// Size in bytes.
    pub size_bytes: i64,
    /// Set when in the recycle bin.
    pub deleted_at: Option<String>,
}

const KEY_COLUMNS: &str =
    "id, uid, sha256, ext, original_name, kind, size_bytes, deleted_at FROM media";

fn key_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<MediaKey> {
    Ok(MediaKey {
        rowid: r.get(0)?,
        uid: r.get(1)?,
        sha256: r.get(2)?,
        ext: r.get(3)?,
        original_name: r.get(4)?,
        kind: r.get(5)?,
        size_bytes: r.get(6)?,
        deleted_at: r.get(7)?,
    })
}

/// A media record by stable id.
pub fn key(conn: &Connection, uid: &str) -> Result<MediaKey> {
    conn.query_row(
        &format!("SELECT {KEY_COLUMNS} WHERE uid = ?1"),
        [uid],
        key_row,
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: KIND,
        id: uid.to_string(),
    })
}

/// The media record holding this content, if any.
pub fn by_sha256(conn: &Connection, sha256: &str) -> Result<Option<MediaKey>> {
    Ok(conn
        .query_row(
            &format!("SELECT {KEY_COLUMNS} WHERE sha256 = ?1"),
            [sha256],
            key_row,
        )
        .optional()?)
}

/// Every media record, live or in the recycle bin, in import order.
pub fn all(conn: &Connection) -> Result<Vec<MediaKey>> {
    let mut stmt = conn.prepare(&format!("SELECT {KEY_COLUMNS} ORDER BY id"))?;
    let rows = stmt.query_map([], key_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What import knows about a new media file.
#[derive(Debug, Clone)]
pub struct NewMedia<'a> {
    /// SHA-256 of the content.
    pub sha256: &'a str,
    /// Extension of the stored original.
    pub ext: &'a str,
    /// 照片, 视频, 音频 or 文档.
    pub kind: &'a str,
    /// The file's name.
    pub original_name: &'a str,
    /// Size in bytes.
    pub size_bytes: i64,
    /// MIME type.
    pub mime: &'a str,
    /// What was read from the file (and what could not be).
    pub technical: &'a MediaTechnical,
}

/// Inserts a media record; returns its row id.
pub fn insert(conn: &Connection, uid: &str, m: &NewMedia<'_>, now: &str) -> Result<i64> {
    conn.execute(
        "INSERT INTO media(uid, sha256, ext, kind, original_name, size_bytes, mime, imported_at,
                           width, height, duration_ms, frame_rate, codec, bit_rate, sample_rate,
                           channels, page_count, captured_at, camera, gps_lat, gps_lon, unread,
                           created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
                 ?19, ?20, ?21, ?22, ?8, ?8)",
        params![
            uid,
            m.sha256,
            m.ext,
            m.kind,
            m.original_name,
            m.size_bytes,
            m.mime,
            now,
            m.technical.width,
            m.technical.height,
            m.technical.duration_ms,
            m.technical.frame_rate,
            m.technical.codec,
            m.technical.bit_rate,
            m.technical.sample_rate,
            m.technical.channels,
            m.technical.page_count,
            m.technical.captured_at,
            m.technical.camera,
            m.technical.gps_lat,
            m.technical.gps_lon,
            (!m.technical.unread.is_empty())
                .then(|| serde_json::to_string(&m.technical.unread).unwrap_or_default()),
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The Chinese name of a kind of record media can be linked to.
pub fn entity_label(entity: &str) -> &'static str {
    match entity {
        "item" => "项目",
        "inheritor" => "传承人",
        "activity" => "活动",
        "unit" => "保护单位",
        "plan" => "保护计划",
        "batch" => "批次",
        _ => "记录",
    }
}

/// Table and name expression of each kind of record media can be linked to.
fn entity_table(entity: &str) -> Option<(&'static str, &'static str)> {
    Some(match entity {
        "item" => ("item", "name"),
        "inheritor" => ("inheritor", "name"),
        "activity" => ("activity", "title"),
        "unit" => ("protection_unit", "name"),
        "plan" => ("protection_plan", "title"),
        "batch" => ("batch", "'第' || number || '批'"),
        _ => return None,
    })
}

/// A record's name and whether it is in the recycle bin; `None` when there is no such
/// record (or no such kind).
pub fn target(conn: &Connection, entity: &str, uid: &str) -> Result<Option<(String, bool)>> {
    let Some((table, name)) = entity_table(entity) else {
        return Ok(None);
    };
    Ok(conn
        .query_row(
            &format!("SELECT {name}, deleted_at IS NOT NULL FROM {table} WHERE uid = ?1"),
            [uid],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The SQL expression naming the record a link (alias `l`) points to.
fn target_name_sql() -> String {
    let cases: Vec<String> = MEDIA_LINK_ENTITIES
        .iter()
        .filter_map(|e| {
            entity_table(e).map(|(table, name)| {
                format!("WHEN '{e}' THEN (SELECT {name} FROM {table} t WHERE t.uid = l.entity_uid)")
            })
        })
        .collect();
    format!("CASE l.entity_kind {} END", cases.join(" "))
}

/// Links a media file to a record at the end of that record's media of the role;
/// returns the new link's id, or `None` when the link already exists.
pub fn add_link(
    conn: &Connection,
    media: i64,
    entity: &str,
    entity_uid: &str,
    role: &str,
    now: &str,
) -> Result<Option<String>> {
    let exists: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM media_link
                         WHERE media_id = ?1 AND entity_kind = ?2 AND entity_uid = ?3 AND role = ?4)",
        params![media, entity, entity_uid, role],
        |r| r.get(0),
    )?;
    if exists {
        return Ok(None);
    }
    let uid = super::new_uid();
    conn.execute(
        "INSERT INTO media_link(uid, media_id, entity_kind, entity_uid, role, ord, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5,
                 (SELECT coalesce(max(ord), 0) + 1 FROM media_link
                   WHERE entity_kind = ?3 AND entity_uid = ?4 AND role = ?5), ?6)",
        params![uid, media, entity, entity_uid, role, now],
    )?;
    Ok(Some(uid))
}

/// The media file (stable id) a link belongs to.
pub fn link_media(conn: &Connection, link_uid: &str) -> Result<String> {
    conn.query_row(
        "SELECT m.uid FROM media_link l JOIN media m ON m.id = l.media_id WHERE l.uid = ?1",
        [link_uid],
        |r| r.get(0),
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: "资料关联",
        id: link_uid.to_string(),
    })
}

/// Removes a link.
pub fn remove_link(conn: &Connection, link_uid: &str) -> Result<()> {
    conn.execute("DELETE FROM media_link WHERE uid = ?1", [link_uid])?;
    Ok(())
}

/// The links of a media file, by record kind, record and role.
pub fn links(conn: &Connection, media: i64) -> Result<Vec<MediaLink>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT l.uid, m.uid, l.entity_kind, l.entity_uid, {}, l.role, l.ord
         FROM media_link l JOIN media m ON m.id = l.media_id
         WHERE l.media_id = ?1 ORDER BY l.entity_kind, l.entity_uid, l.role, l.id",
        target_name_sql()
    ))?;
    let rows = stmt.query_map([media], |r| {
        Ok(MediaLink {
            id: r.get(0)?,
            media_id: r.get(1)?,
            entity: r.get(2)?,
            entity_id: r.get(3)?,
            entity_name: r.get(4)?,
            role: r.get(5)?,
            ord: r.get(6)?,
        })
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The links of one record and role in order: (link row id, media stable id, media live?).
pub fn ordered(
    conn: &Connection,
    entity: &str,
    entity_uid: &str,
    role: &str,
) -> Result<Vec<(i64, String, bool)>> {
    let mut stmt = conn.prepare(
        "SELECT l.id, m.uid, m.deleted_at IS NULL FROM media_link l JOIN media m ON m.id = l.media_id
         WHERE l.entity_kind = ?1 AND l.entity_uid = ?2 AND l.role = ?3 ORDER BY l.ord, l.id",
    )?;
    let rows = stmt.query_map(params![entity, entity_uid, role], |r| {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Sets a link's position.
pub fn set_ord(conn: &Connection, link: i64, ord: i64) -> Result<()> {
    conn.execute(
        "UPDATE media_link SET ord = ?2 WHERE id = ?1",
        params![link, ord],
    )?;
    Ok(())
}

/// The descriptive fields of a media record.
pub fn description(conn: &Connection, uid: &str) -> Result<MediaDescription> {
    conn.query_row(
        "SELECT uid, title, caption, caption_time, caption_place, caption_people, caption_event,
                creator, creator_role, provider, holder, capture_date, capture_place, rights,
                consent, confidential, cataloguer, catalogued_at
         FROM media WHERE uid = ?1",
        [uid],
        |r| {
            Ok(MediaDescription {
                id: r.get(0)?,
                title: r.get(1)?,
                caption: r.get(2)?,
                caption_time: r.get(3)?,
                caption_place: r.get(4)?,
                caption_people: r.get(5)?,
                caption_event: r.get(6)?,
                creator: r.get(7)?,
                creator_role: r.get(8)?,
                provider: r.get(9)?,
                holder: r.get(10)?,
                capture_date: r.get(11)?,
                capture_place: r.get(12)?,
                rights: r.get(13)?,
                consent: r.get(14)?,
                confidential: r.get(15)?,
                cataloguer: r.get(16)?,
                catalogued_at: r.get(17)?,
            })
        },
    )
    .optional()?
    .ok_or_else(|| Error::NotFound {
        kind: KIND,
        id: uid.to_string(),
    })
}

/// Writes the descriptive fields of a media record.
pub fn update_description(conn: &Connection, d: &MediaDescription, now: &str) -> Result<()> {
    conn.execute(
        "UPDATE media SET title = ?2, caption = ?3, caption_time = ?4, caption_place = ?5,
                caption_people = ?6, caption_event = ?7, creator = ?8, creator_role = ?9,
                provider = ?10, holder = ?11, capture_date = ?12, capture_place = ?13,
                rights = ?14, consent = ?15, confidential = ?16, cataloguer = ?17,
                catalogued_at = ?18, updated_at = ?19
         WHERE uid = ?1",
        params![
            d.id,
            d.title,
            d.caption,
            d.caption_time,
            d.caption_place,
            d.caption_people,
            d.caption_event,
            d.creator,
            d.creator_role,
            d.provider,
            d.holder,
            d.capture_date,
            d.capture_place,
            d.rights,
            d.consent,
            d.confidential,
            d.cataloguer,
            d.catalogued_at,
            now
        ],
    )?;
    Ok(())
}

/// A media record, whole.
pub fn detail(conn: &Connection, uid: &str) -> Result<MediaDetail> {
    let k = key(conn, uid)?;
    let description = description(conn, uid)?;
    let links = links(conn, k.rowid)?;
    conn.query_row(
        "SELECT mime, width, height, imported_at, created_at, updated_at, deleted_reason,
                duration_ms, frame_rate, codec, bit_rate, sample_rate, channels, page_count,
                captured_at, camera, gps_lat, gps_lon, unread
         FROM media WHERE id = ?1",
        [k.rowid],
        |r| {
            Ok(MediaDetail {
                id: k.uid.clone(),
                sha256: k.sha256.clone(),
                ext: k.ext.clone(),
                kind: k.kind.clone(),
                original_name: k.original_name.clone(),
                size_bytes: k.size_bytes,
                mime: r.get(0)?,
                width: r.get(1)?,
                height: r.get(2)?,
                imported_at: r.get(3)?,
                technical: MediaTechnical {
                    width: r.get(1)?,
                    height: r.get(2)?,
                    duration_ms: r.get(7)?,
                    frame_rate: r.get(8)?,
                    codec: r.get(9)?,
                    bit_rate: r.get(10)?,
                    sample_rate: r.get(11)?,
                    channels: r.get(12)?,
                    page_count: r.get(13)?,
                    captured_at: r.get(14)?,
                    camera: r.get(15)?,
                    gps_lat: r.get(16)?,
                    gps_lon: r.get(17)?,
                    gcj02_lat: None,
                    gcj02_lon: None,
                    unread: r
                        .get::<_, Option<String>>(18)?
                        .and_then(|j| serde_json::from_str(&j).ok())
                        .unwrap_or_default(),
                },
                has_thumb: false,
                has_preview: false,
                description: description.clone(),
                links: links.clone(),
                created_at: r.get(4)?,
                updated_at: r.get(5)?,
                deleted_at: k.deleted_at.clone(),
                deleted_reason: r.get(6)?,
            })
        },
    )
    .map_err(Into::into)
}

/// How a media record's links read in the edit log, e.g. `项目“鲁南花鼓”（照片）`.
fn links_text(links: &[MediaLink]) -> Option<String> {
    let mut parts: Vec<String> = links
        .iter()
        .map(|l| {
            format!(
                "{}“{}”（{}）",
                entity_label(&l.entity),
                l.entity_name.as_deref().unwrap_or(&l.entity_id),
                l.role
            )
        })
        .collect();
    parts.sort();
    (!parts.is_empty()).then(|| parts.join("、"))
}

/// The loggable fields of a media record (camelCase names, as the form names them).
pub fn snapshot(conn: &Connection, uid: &str) -> Result<BTreeMap<String, Option<String>>> {
    let d = detail(conn, uid)?;
    let s = d.description;
    let mut m = BTreeMap::new();
    for (k, v) in [
        ("sha256", Some(d.sha256)),
        ("originalName", Some(d.original_name)),
        ("kind", Some(d.kind)),
        ("sizeBytes", Some(d.size_bytes.to_string())),
        ("width", d.width.map(|w| w.to_string())),
        ("height", d.height.map(|h| h.to_string())),
        ("title", s.title),
        ("caption", s.caption),
        ("captionTime", s.caption_time),
        ("captionPlace", s.caption_place),
        ("captionPeople", s.caption_people),
        ("captionEvent", s.caption_event),
        ("creator", s.creator),
        ("creatorRole", s.creator_role),
        ("provider", s.provider),
        ("holder", s.holder),
        ("captureDate", s.capture_date),
        ("capturePlace", s.capture_place),
        ("rights", s.rights),
        ("consent", s.consent),
        ("confidential", Some(s.confidential.to_string())),
        ("cataloguer", s.cataloguer),
        ("cataloguedAt", s.catalogued_at),
        ("links", links_text(&d.links)),
    ] {
        m.insert(k.to_string(), v);
    }
    Ok(m)
}

/// Moves a media record into the recycle bin (`Some((at, reason))`) or out of it.
pub fn set_deleted(
    conn: &Connection,
    uid: &str,
    deleted: Option<(&str, &str)>,
    now: &str,
) -> Result<()> {
    let (at, reason) = deleted.map_or((None, None), |(a, r)| (Some(a), Some(r)));
    conn.execute(
        "UPDATE media SET deleted_at = ?2, deleted_reason = ?3, updated_at = ?4 WHERE uid = ?1",
        params![uid, at, reason, now],
    )?;
    Ok(())
}

/// One page of the library.
pub fn list(conn: &Connection, q: &MediaQuery) -> Result<MediaPage> {
    let text = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    let mut conds = vec![if q.deleted {
        "m.deleted_at IS NOT NULL"
    } else {
        "m.deleted_at IS NULL"
    }
    .to_string()];
    let mut vals: Vec<Value> = Vec::new();
    let mut order = "m.imported_at DESC, m.id DESC".to_string();
    let mut order_vals: Vec<Value> = Vec::new();
    if let Some(kind) = text(&q.kind) {
        conds.push("m.kind = ?".into());
        vals.push(kind.into());
    }
    let (entity, entity_id) = (text(&q.entity), text(&q.entity_id));
    if entity.is_some() || entity_id.is_some() {
        let mut link = vec!["l.media_id = m.id".to_string()];
        let mut link_vals: Vec<Value> = Vec::new();
        if let Some(e) = entity {
            link.push("l.entity_kind = ?".into());
            link_vals.push(e.into());
        }
        let one_record = entity_id.is_some();
        if let Some(id) = entity_id {
            link.push("l.entity_uid = ?".into());
            link_vals.push(id.into());
        }
        let link = link.join(" AND ");
        conds.push(format!("EXISTS (SELECT 1 FROM media_link l WHERE {link})"));
        if one_record {
            // One record's media in the order the user gave them.
            order = format!("(SELECT min(l.ord) FROM media_link l WHERE {link}), m.id");
            order_vals.extend(link_vals.iter().cloned());
        }
        vals.extend(link_vals);
    }
    if let Some(t) = text(&q.query) {
        let cols = [
            "m.caption",
            "m.title",
            "m.original_name",
            "m.caption_time",
            "m.caption_place",
            "m.caption_people",
            "m.caption_event",
            "m.capture_place",
            "m.creator",
        ];
        let any: Vec<String> = cols
            .iter()
            .map(|c| format!("{c} LIKE ? ESCAPE '\\'"))
            .collect();
        conds.push(format!("({})", any.join(" OR ")));
        let pat = format!("%{}%", like_escape(&t));
        vals.extend(std::iter::repeat_n(Value::from(pat), cols.len()));
    }
    if let Some(c) = q.confidential {
        conds.push("m.confidential = ?".into());
        vals.push(i64::from(c).into());
    }
    // The day it was made as the file says, else the day it was imported.
    let day = "substr(coalesce(m.captured_at, m.imported_at), 1, 10)";
    if let Some(from) = text(&q.date_from) {
        conds.push(format!("{day} >= ?"));
        vals.push(from.into());
    }
    if let Some(to) = text(&q.date_to) {
        conds.push(format!("{day} <= ?"));
        vals.push(to.into());
    }
    let w = conds.join(" AND ");
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM media m WHERE {w}"),
        params_from_iter(vals.iter()),
        |r| r.get(0),
    )?;
    let page_size = q.page_size.unwrap_or(50).clamp(1, MAX_PAGE_SIZE);
    let page = q.page.unwrap_or(1).max(1);
    vals.extend(order_vals);
    vals.push(page_size.into());
    vals.push(((page - 1) * page_size).into());
    let mut stmt = conn.prepare(&format!(
        "SELECT m.uid, m.sha256, m.ext, m.kind, m.original_name, m.title, m.caption, m.size_bytes,
                m.width, m.height, m.confidential, m.imported_at,
                (SELECT count(*) FROM media_link l WHERE l.media_id = m.id), m.deleted_at,
                m.duration_ms, m.captured_at
         FROM media m WHERE {w} ORDER BY {order} LIMIT ? OFFSET ?"
    ))?;
    let rows = stmt.query_map(params_from_iter(vals.iter()), |r| {
        Ok(MediaRow {
            id: r.get(0)?,
            sha256: r.get(1)?,
            ext: r.get(2)?,
            kind: r.get(3)?,
            original_name: r.get(4)?,
            title: r.get(5)?,
            caption: r.get(6)?,
            size_bytes: r.get(7)?,
            width: r.get(8)?,
            height: r.get(9)?,
            confidential: r.get(10)?,
            imported_at: r.get(11)?,
            link_count: r.get(12)?,
            deleted_at: r.get(13)?,
            duration_ms: r.get(14)?,
            captured_at: r.get(15)?,
            has_thumb: false,
        })
    })?;
    Ok(MediaPage {
        rows: rows.collect::<rusqlite::Result<_>>()?,
        total,
        page,
        page_size,
    })
}

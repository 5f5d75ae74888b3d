//! SQL for the 年度工作报告: the facts of one year, as plain values for `report::build`.
//!
//! Only live records count (`deleted_at IS NULL` on the record and on the item or person it
//! is about). Dates are `YYYY-MM-DD` text, so a year is the range `Y-01-01 ..= Y-12-31`;
//! edit-log times are UTC instants, so a year there is the Beijing calendar year
//! (`report::beijing_year_bounds`). Activities and their photos' captions come through the
//! public reads; the statistics tables from `Registry::statistics`.

use super::items;
use crate::error::Result;
use crate::model::FUNDING_SOURCES;
use crate::report::{
    beijing_day, beijing_year_bounds, EvaluationFact, InForce, ItemName, NewItem, PersonFact,
    PlanEnding, PlanYearFact, Revocation, SubsidyTotals, Upgrade, YearFacts,
};
use rusqlite::{params, Connection};
use std::collections::{BTreeSet, HashMap};

/// An optional text column.
type Opt = Option<String>;
/// Three text columns and two optional ones.
type Row5 = (String, String, String, Opt, Opt);

/// `CASE` giving a recognition level its rank (区级 1 … 国家级 4).
const LEVEL_RANK: &str =
    "CASE r.level WHEN '国家级' THEN 4 WHEN '省级' THEN 3 WHEN '市级' THEN 2 ELSE 1 END";

/// Items looked up once each, by stable id.
struct Names<'c> {
    conn: &'c Connection,
    template: &'c str,
    cache: HashMap<String, ItemName>,
}

impl Names<'_> {
    fn get(&mut self, uid: &str) -> Result<ItemName> {
        if let Some(n) = self.cache.get(uid) {
            return Ok(n.clone());
        }
        let r = items::row(self.conn, uid, self.template)?;
        let n = ItemName {
            id: r.id,
            code: r.code,
            name: r.name,
            category: format!("{} {}", r.category, r.category_name),
            confidential: r.confidential,
        };
        self.cache.insert(uid.to_string(), n.clone());
        Ok(n)
    }
}

fn bounds(year: i64) -> (String, String) {
    (format!("{year:04}-01-01"), format!("{year:04}-12-31"))
}

/// The facts of `year` (activities left empty: the API fills them). `at` is the day the
/// in-force recognitions are taken on: the year's last day, or today for the current year.
pub fn year_facts(conn: &Connection, year: i64, template: &str, at: &str) -> Result<YearFacts> {
    let mut names = Names {
        conn,
        template,
        cache: HashMap::new(),
    };
    let (from, to) = bounds(year);
    let mut f = YearFacts {
        confidential: confidential_items(conn)?,
        units: conn.query_row(
            "SELECT count(*) FROM protection_unit WHERE deleted_at IS NULL",
            [],
            |r| r.get(0),
        )?,
        ..Default::default()
    };

    // New items: by their batch's (or supplement's) public date …
    let mut stmt = conn.prepare(
        "SELECT i.uid, b.number, COALESCE(s.doc_number, b.doc_number),
                COALESCE(s.decided_on, b.published_on, b.approved_on, b.determined_on) AS on_day
         FROM item i
         JOIN batch b ON b.id = i.batch_id
         LEFT JOIN batch_supplement s ON s.id = i.supplement_id
         WHERE i.deleted_at IS NULL AND b.deleted_at IS NULL AND on_day BETWEEN ?1 AND ?2
         ORDER BY on_day, i.category_code, i.seq, i.id",
    )?;
    let rows: Vec<(String, i64, Option<String>, String)> = stmt
        .query_map(params![from, to], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (uid, number, doc, on) in rows {
        let label = crate::reference::batch_label(number);
        f.new_items.push(NewItem {
            item: names.get(&uid)?,
            basis: match doc.filter(|d| !d.trim().is_empty()) {
                Some(d) => format!("区级{label}（{d}）"),
                None => format!("区级{label}"),
            },
            on: Some(on),
        });
    }
    // … and by listings dated in the year: 区级 ones are new, higher ones are 升级.
    let mut stmt = conn.prepare(
        "SELECT i.uid, l.level, l.listed_on, l.doc_number, l.batch_label
         FROM listing l JOIN item i ON i.id = l.item_id
         WHERE i.deleted_at IS NULL AND l.listed_on BETWEEN ?1 AND ?2
         ORDER BY l.listed_on, l.level_rank, l.id",
    )?;
    let rows: Vec<Row5> = stmt
        .query_map(params![from, to], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (uid, level, on, doc, batch) in rows {
        let item = names.get(&uid)?;
        if level == "区级" {
            if f.new_items.iter().any(|n| n.item.id == uid) {
                continue;
            }
            let mut basis = format!("区级名录{}", batch.unwrap_or_default());
            if let Some(d) = doc.filter(|d| !d.trim().is_empty()) {
                basis.push_str(&format!("（{d}）"));
            }
            f.new_items.push(NewItem {
                item,
                basis,
                on: Some(on),
            });
        } else {
            f.upgrades.push(Upgrade {
                item,
                level,
                on,
                doc_number: doc,
            });
        }
    }

    // Revocations: the status set to 撤销 in the edit log during the (Beijing) year.
    let (start, end) = beijing_year_bounds(year);
    let mut stmt = conn.prepare(
        "SELECT l.entity_uid, max(l.at) FROM edit_log l JOIN item i ON i.uid = l.entity_uid
         WHERE l.entity_kind = 'item' AND l.field = 'status' AND l.new_value = '撤销'
           AND l.action IN ('update', 'revert') AND l.at >= ?1 AND l.at < ?2
           AND i.deleted_at IS NULL
         GROUP BY l.entity_uid ORDER BY max(l.at)",
    )?;
    let rows: Vec<(String, String)> = stmt
        .query_map(params![start, end], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (uid, at) in rows {
        f.revoked.push(Revocation {
            item: names.get(&uid)?,
            on: beijing_day(&at),
        });
    }

    // New recognitions.
    let mut stmt = conn.prepare(
        "SELECT p.uid, p.name, i.uid, r.level, r.recognized_on, r.doc_number
         FROM recognition r JOIN inheritor p ON p.id = r.inheritor_id JOIN item i ON i.id = r.item_id
         WHERE r.deleted_at IS NULL AND p.deleted_at IS NULL AND i.deleted_at IS NULL
           AND r.recognized_on BETWEEN ?1 AND ?2
         ORDER BY r.recognized_on, r.id",
    )?;
    let rows: Vec<(String, String, String, String, String, Option<String>)> = stmt
        .query_map(params![from, to], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (pid, person, uid, level, on, doc) in rows {
        f.new_recognitions.push(PersonFact {
            person_id: pid,
            person,
            item: Some(names.get(&uid)?),
            level: Some(level),
            on: Some(on),
            doc_number: doc,
            ground: None,
        });
    }

    // 取消资格 and 去世 events.
    f.disqualified = status_events(conn, &mut names, "取消资格", &from, &to)?;
    f.deaths = status_events(conn, &mut names, "去世", &from, &to)?;
    // Death dates, with the person's recognitions (or none).
    let mut stmt = conn.prepare(
        "SELECT p.uid, p.name, p.death_date, i.uid, r.level
         FROM inheritor p
         LEFT JOIN recognition r ON r.inheritor_id = p.id AND r.deleted_at IS NULL
              AND EXISTS (SELECT 1 FROM item x WHERE x.id = r.item_id AND x.deleted_at IS NULL)
         LEFT JOIN item i ON i.id = r.item_id
         WHERE p.deleted_at IS NULL AND p.death_date BETWEEN ?1 AND ?2
         ORDER BY p.death_date, p.id, i.id",
    )?;
    let rows: Vec<Row5> = stmt
        .query_map(params![from, to], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (pid, person, on, uid, level) in rows {
        f.deaths.push(PersonFact {
            person_id: pid,
            person,
            item: uid.map(|u| names.get(&u)).transpose()?,
            level,
            on: Some(on),
            ..Default::default()
        });
    }

    // Evaluations of the year, with the person's highest level for the item.
    let mut stmt = conn.prepare(&format!(
        "SELECT p.uid, p.name, i.uid, ev.grade,
                COALESCE((SELECT r.level FROM recognition r
                           WHERE r.inheritor_id = p.id AND r.item_id = i.id AND r.deleted_at IS NULL
                           ORDER BY {LEVEL_RANK} DESC LIMIT 1), '—')
         FROM evaluation ev JOIN inheritor p ON p.id = ev.inheritor_id JOIN item i ON i.id = ev.item_id
         WHERE ev.year = ?1 AND p.deleted_at IS NULL AND i.deleted_at IS NULL
         ORDER BY CASE ev.grade WHEN '优秀' THEN 1 WHEN '合格' THEN 2 WHEN '不合格' THEN 3 ELSE 4 END,
                  p.name_pinyin, p.id, i.category_code, i.seq"
    ))?;
    let rows: Vec<(String, String, String, String, String)> = stmt
        .query_map([year], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (pid, person, uid, grade, level) in rows {
        f.evaluations.push(EvaluationFact {
            person_id: pid,
            person,
            item: names.get(&uid)?,
            level,
            grade,
        });
    }

    // Recognitions in force on `at`: live, of a live person not dead by then, for a live
    // listed item, recognised by then, whose latest event by then (by date, then entry
    // order; none = 在册) leaves the person in force.
    let mut stmt = conn.prepare(&format!(
        "SELECT p.uid, p.name, i.uid, r.level
         FROM recognition r JOIN inheritor p ON p.id = r.inheritor_id JOIN item i ON i.id = r.item_id
         WHERE r.deleted_at IS NULL AND p.deleted_at IS NULL AND i.deleted_at IS NULL
           AND i.status = '在册'
           AND (r.recognized_on IS NULL OR r.recognized_on <= ?1)
           AND (p.death_date IS NULL OR p.death_date > ?1)
           AND COALESCE((SELECT e.status FROM recognition_event e
                          WHERE e.recognition_id = r.id AND e.occurred_on <= ?1
                          ORDER BY e.occurred_on DESC, e.id DESC LIMIT 1), '在册')
               IN ('在册', '丧失传承能力')
         ORDER BY p.name_pinyin, p.id, i.category_code, i.seq, {LEVEL_RANK} DESC"
    ))?;
    let rows: Vec<(String, String, String, String)> = stmt
        .query_map([at], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (pid, person, uid, level) in rows {
        f.in_force.push(InForce {
            person_id: pid,
            person,
            item: names.get(&uid)?,
            level,
        });
    }

    // Subsidies.
    f.subsidies = conn.query_row(
        "SELECT count(DISTINCT s.inheritor_id), COALESCE(sum(s.received_fen), 0), COALESCE(sum(s.used_fen), 0)
         FROM subsidy s JOIN inheritor p ON p.id = s.inheritor_id JOIN item i ON i.id = s.item_id
         WHERE s.year = ?1 AND p.deleted_at IS NULL AND i.deleted_at IS NULL",
        [year],
        |r| {
            Ok(SubsidyTotals {
                people: r.get(0)?,
                received_fen: r.get(1)?,
                used_fen: r.get(2)?,
            })
        },
    )?;

    // Next year's plan targets, plans ending this year, next year's budget.
    let mut stmt = conn.prepare(
        "SELECT pp.title, i.uid, py.targets, py.measures
         FROM plan_year py JOIN protection_plan pp ON pp.id = py.plan_id JOIN item i ON i.id = pp.item_id
         WHERE py.year = ?1 AND pp.deleted_at IS NULL AND i.deleted_at IS NULL
         ORDER BY i.category_code, i.seq, pp.id",
    )?;
    let rows: Vec<(String, String, Option<String>, Option<String>)> = stmt
        .query_map([year + 1], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (plan, uid, targets, measures) in rows {
        f.next_year.push(PlanYearFact {
            plan,
            item: names.get(&uid)?,
            targets,
            measures,
        });
    }
    let mut stmt = conn.prepare(
        "SELECT pp.title, i.uid, pp.start_year, pp.end_year
         FROM protection_plan pp JOIN item i ON i.id = pp.item_id
         WHERE pp.end_year = ?1 AND pp.deleted_at IS NULL AND i.deleted_at IS NULL
         ORDER BY i.category_code, i.seq, pp.id",
    )?;
    let rows: Vec<(String, String, i64, i64)> = stmt
        .query_map([year], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (plan, uid, start_year, end_year) in rows {
        f.ending.push(PlanEnding {
            plan,
            item: names.get(&uid)?,
            start_year,
            end_year,
        });
    }
    let mut stmt = conn.prepare(
        "SELECT bl.source, sum(bl.amount_fen)
         FROM budget_line bl JOIN protection_plan pp ON pp.id = bl.plan_id
         WHERE bl.year = ?1 AND pp.deleted_at IS NULL
         GROUP BY bl.source",
    )?;
    let mut budget: Vec<(String, i64)> = stmt
        .query_map([year + 1], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    budget.sort_by_key(|(s, _)| {
        FUNDING_SOURCES
            .iter()
            .position(|x| x == s)
            .unwrap_or(FUNDING_SOURCES.len())
    });
    f.next_budget = budget;
    Ok(f)
}

/// Recognition events of one status in the date range, for live recognitions, people and
/// items.
fn status_events(
    conn: &Connection,
    names: &mut Names<'_>,
    status: &str,
    from: &str,
    to: &str,
) -> Result<Vec<PersonFact>> {
    let mut stmt = conn.prepare(
        "SELECT p.uid, p.name, i.uid, r.level, e.occurred_on, e.ground, e.doc_number
         FROM recognition_event e JOIN recognition r ON r.id = e.recognition_id
         JOIN inheritor p ON p.id = r.inheritor_id JOIN item i ON i.id = r.item_id
         WHERE e.status = ?1 AND e.occurred_on BETWEEN ?2 AND ?3
           AND r.deleted_at IS NULL AND p.deleted_at IS NULL AND i.deleted_at IS NULL
         ORDER BY e.occurred_on, e.id",
    )?;
    type Row = (String, String, String, String, String, Opt, Opt);
    let rows: Vec<Row> = stmt
        .query_map(params![status, from, to], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for (pid, person, uid, level, on, ground, doc) in rows {
        out.push(PersonFact {
            person_id: pid,
            person,
            item: Some(names.get(&uid)?),
            level: Some(level),
            on: Some(on),
            doc_number: doc,
            ground,
        });
    }
    Ok(out)
}

/// Stable ids of the live confidential items.
pub fn confidential_items(conn: &Connection) -> Result<BTreeSet<String>> {
    let mut stmt =
        conn.prepare("SELECT uid FROM item WHERE deleted_at IS NULL AND confidential = 1")?;
    let out = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

/// The photos (media link role 照片) of the live activities that started in `year`: live,
/// not confidential media, as (media id, activity id), by activity date, then link order.
pub fn activity_photos(conn: &Connection, year: i64) -> Result<Vec<(String, String)>> {
    let (from, to) = bounds(year);
    let mut stmt = conn.prepare(
        "SELECT m.uid, a.uid
         FROM media_link ml JOIN media m ON m.id = ml.media_id JOIN activity a ON a.uid = ml.entity_uid
         WHERE ml.entity_kind = 'activity' AND ml.role = '照片'
           AND m.deleted_at IS NULL AND m.confidential = 0 AND a.deleted_at IS NULL
           AND a.started_on BETWEEN ?1 AND ?2
         ORDER BY a.started_on, a.id, ml.ord, ml.id",
    )?;
    let out = stmt
        .query_map(params![from, to], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(out)
}

//! The 年度工作报告 (yearly report to the municipal bureau) as an [`export::doc::Document`].
//!
//! Pure: [`build`] turns plain facts of one year — gathered by `db::report` and the public
//! reads, the statistics of `Registry::statistics`, the year's activity photos already loaded —
//! into the document that `export::docx` and `export::pdf` render, exactly as the application
//! forms are rendered. Nothing here reads the database or the disk.
//!
//! Rules the document keeps:
//! - Seven numbered sections (一、基本情况 … 七、下一年度工作计划); a section or subsection
//!   with nothing to say says [`NO_RECORD`] plainly, and the gap is listed in
//!   [`Built::gaps`] too.
//! - Confidential items (`item.confidential`) are counted but never named: lists say
//!   “另有涉密项目N项” instead, and statistics rows about them are folded into one
//!   “涉密项目N项” row.
//! - No personal data: identity numbers, phones and addresses are never taken from the
//!   records, and every text of the finished document goes through [`scrub`], which masks
//!   anything that looks like an identity or telephone number a clerk typed into free text.
//!
//! [`export::doc::Document`]: crate::export::doc::Document

mod builder;
pub mod privacy;
pub mod tables;

pub use privacy::{scrub, scrub_document};
pub use tables::{redact, stat_table};

use crate::application::forms::SheetPhoto;
use crate::export::doc::{Cover, Document};
use crate::model::Statistics;
use crate::stats::chinese_date;
use builder::{body, note, Builder};
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// What an empty section or subsection says.
pub const NO_RECORD: &str = "本年度无记录。";
/// The most photos the report carries.
pub const MAX_PHOTOS: usize = 12;
/// Longest edge, in pixels, of a photo placed in the report (downscaled from the original).
pub const PHOTO_EDGE: u32 = 1600;
/// What the sample registry's report says on its cover and first page.
pub const SAMPLE_MARK: &str =
    "示例数据（虚构）：本报告由非遗名录的示例名录生成，内容虚构，仅供演示，不得作为正式报告报送。";
/// The district the report is written for.
pub const DISTRICT: &str = "台儿庄区";

/// The section headings, in order (without their numbers).
pub const SECTIONS: [&str; 7] = [
    "基本情况",
    "名录变化",
    "传承人年度评估",
    "保护经费",
    "保护传承活动",
    "传承风险项目",
    "下一年度工作计划",
];

/// An item as the report names it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ItemName {
    /// Stable id.
    pub id: String,
    /// Rendered code, e.g. `Ⅷ-3`.
    pub code: String,
    /// 项目名称.
    pub name: String,
    /// Category, e.g. `Ⅷ 传统技艺`.
    pub category: String,
    /// Kept out of the report by name.
    pub confidential: bool,
}

/// An item newly on the district list in the year.
#[derive(Debug, Clone, Default)]
pub struct NewItem {
    /// The item.
    pub item: ItemName,
    /// How it was listed: `第六批（台政字〔2022〕33号）` or `区级名录（文号）`.
    pub basis: String,
    /// The date of the decision, `YYYY-MM-DD`.
    pub on: Option<String>,
}

/// A listing of an item at a higher level (市级, 省级, 国家级) in the year: a 升级.
#[derive(Debug, Clone, Default)]
pub struct Upgrade {
    /// The item.
    pub item: ItemName,
    /// The level reached.
    pub level: String,
    /// Date listed.
    pub on: String,
    /// 文号.
    pub doc_number: Option<String>,
}

/// An item whose status became 撤销 in the year (from the edit log).
#[derive(Debug, Clone, Default)]
pub struct Revocation {
    /// The item.
    pub item: ItemName,
    /// The day it was recorded (Beijing time), `YYYY-MM-DD`.
    pub on: String,
}

/// A fact about a person and (usually) one of their recognitions: a new recognition, a
/// 取消资格 or 去世 event, a death date.
#[derive(Debug, Clone, Default)]
pub struct PersonFact {
    /// The person's stable id.
    pub person_id: String,
    /// Name.
    pub person: String,
    /// The item of the recognition, when the fact is about one.
    pub item: Option<ItemName>,
    /// The recognition's level.
    pub level: Option<String>,
    /// The date, `YYYY-MM-DD`.
    pub on: Option<String>,
    /// 文号.
    pub doc_number: Option<String>,
    /// Ground (取消资格).
    pub ground: Option<String>,
}

/// One evaluation of the year.
#[derive(Debug, Clone, Default)]
pub struct EvaluationFact {
    /// The person's stable id.
    pub person_id: String,
    /// Name.
    pub person: String,
    /// The item.
    pub item: ItemName,
    /// The highest level of the person's recognitions for the item.
    pub level: String,
    /// 优秀 / 合格 / 不合格 / 丧失传承能力.
    pub grade: String,
}

/// An in-force recognition (someone who should be evaluated for the year).
#[derive(Debug, Clone, Default)]
pub struct InForce {
    /// The person's stable id.
    pub person_id: String,
    /// Name.
    pub person: String,
    /// The item.
    pub item: ItemName,
    /// Level of the recognition.
    pub level: String,
}

/// The year's inheritor subsidies, in fen.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SubsidyTotals {
    /// Persons with a subsidy record.
    pub people: i64,
    /// Received.
    pub received_fen: i64,
    /// Used.
    pub used_fen: i64,
}

/// One activity of the year.
#[derive(Debug, Clone, Default)]
pub struct ActivityFact {
    /// Stable id.
    pub id: String,
    /// Kind (传承活动, 展演 …).
    pub kind: String,
    /// Title.
    pub title: String,
    /// First day.
    pub started_on: String,
    /// Last day.
    pub ended_on: Option<String>,
    /// Place.
    pub place: Option<String>,
    /// Participants.
    pub participants: Option<i64>,
    /// Its days overlap a 非遗月 (or it is of kind 非遗月).
    pub in_feiyi_month: bool,
}

/// The next year's targets and measures of one plan.
#[derive(Debug, Clone, Default)]
pub struct PlanYearFact {
    /// Plan title.
    pub plan: String,
    /// The plan's item.
    pub item: ItemName,
    /// Targets.
    pub targets: Option<String>,
    /// Measures.
    pub measures: Option<String>,
}

/// A plan whose last year is the report's year: a new five-year plan is needed.
#[derive(Debug, Clone, Default)]
pub struct PlanEnding {
    /// Plan title.
    pub plan: String,
    /// The plan's item.
    pub item: ItemName,
    /// First year.
    pub start_year: i64,
    /// Last year.
    pub end_year: i64,
}

/// Everything of one year the report states besides the statistics and photos.
#[derive(Debug, Clone, Default)]
pub struct YearFacts {
    /// Ids of the live confidential items.
    pub confidential: BTreeSet<String>,
    /// Live protection units.
    pub units: i64,
    /// Items newly on the district list (by batch or 区级 listing).
    pub new_items: Vec<NewItem>,
    /// Higher listings of the year.
    pub upgrades: Vec<Upgrade>,
    /// Items revoked in the year.
    pub revoked: Vec<Revocation>,
    /// Recognitions dated in the year.
    pub new_recognitions: Vec<PersonFact>,
    /// 取消资格 events of the year.
    pub disqualified: Vec<PersonFact>,
    /// 去世 events and death dates of the year (one row per recognition or person).
    pub deaths: Vec<PersonFact>,
    /// Evaluations of the year.
    pub evaluations: Vec<EvaluationFact>,
    /// Recognitions in force at the end of the year (or today, for the current year).
    pub in_force: Vec<InForce>,
    /// Subsidies of the year.
    pub subsidies: SubsidyTotals,
    /// Activities of the year, by date.
    pub activities: Vec<ActivityFact>,
    /// Plan targets and measures for the next year.
    pub next_year: Vec<PlanYearFact>,
    /// Plans ending with the year.
    pub ending: Vec<PlanEnding>,
    /// Budget of the next year by funding source, fen.
    pub next_budget: Vec<(String, i64)>,
}

/// What the report is made from.
#[derive(Debug, Clone)]
pub struct ReportInput<'a> {
    /// The year reported on.
    pub year: i64,
    /// Today (Beijing), the date on the cover and of the counts.
    pub today: NaiveDate,
    /// The sample registry: the cover and the first page say so.
    pub sample: bool,
    /// The statistics of the year (`Registry::statistics`).
    pub stats: &'a Statistics,
    /// The year's facts.
    pub facts: &'a YearFacts,
    /// Photos of the year's activities, captioned, at most [`MAX_PHOTOS`].
    pub photos: &'a [SheetPhoto],
    /// Photos that could not be placed, as Chinese sentences.
    pub photo_problems: &'a [String],
}

/// The built report.
#[derive(Debug, Clone)]
pub struct Built {
    /// The document.
    pub doc: Document,
    /// Section headings, in order (`一、基本情况` …).
    pub sections: Vec<String>,
    /// What the report could not say, in Chinese.
    pub gaps: Vec<String>,
}

/// The file name (without extension) of the year's report.
pub fn file_stem(year: i64, sample: bool) -> String {
    let prefix = if sample { "示例-" } else { "" };
    format!("{prefix}{year}年度非物质文化遗产保护工作报告")
}

/// The report's title, as the cover and the file's properties give it.
pub fn title(year: i64) -> String {
    format!("{DISTRICT}非物质文化遗产保护工作报告（{year}年度）")
}

/// The Beijing calendar day of an RFC 3339 timestamp (the edit log's `at`), `YYYY-MM-DD`.
pub fn beijing_day(stamp: &str) -> String {
    let beijing = chrono::FixedOffset::east_opt(8 * 3600).expect("UTC+8 is a valid offset");
    chrono::DateTime::parse_from_rfc3339(stamp)
        .map(|t| t.with_timezone(&beijing).format("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| stamp.get(..10).unwrap_or(stamp).to_string())
}

/// The first and last instants (RFC 3339 UTC, end exclusive) of a Beijing calendar year,
/// to select edit-log rows of that year.
pub fn beijing_year_bounds(year: i64) -> (String, String) {
    let start = |y: i64| format!("{:04}-12-31T16:00:00.000Z", y - 1);
    (start(year), start(year + 1))
}

/// One person's death, from a 去世 event or the death date.
#[derive(Debug, Clone, Default)]
pub struct Death {
    /// Name.
    pub person: String,
    /// The date (the earliest one recorded).
    pub on: Option<String>,
    /// The items of the person's recognitions.
    pub items: Vec<ItemName>,
}

/// Merges death facts (one per recognition event or person) into one row per person.
pub fn merge_deaths(facts: &[PersonFact]) -> Vec<Death> {
    let mut order: Vec<&str> = Vec::new();
    let mut by: BTreeMap<&str, Death> = BTreeMap::new();
    for f in facts {
        let d = by.entry(f.person_id.as_str()).or_insert_with(|| {
            order.push(f.person_id.as_str());
            Death {
                person: f.person.clone(),
                ..Default::default()
            }
        });
        if let Some(on) = f.on.as_deref() {
            if d.on.as_deref().is_none_or(|cur| on < cur) {
                d.on = Some(on.to_string());
            }
        }
        if let Some(i) = &f.item {
            if !d.items.iter().any(|x| x.id == i.id) {
                d.items.push(i.clone());
            }
        }
    }
    order.into_iter().filter_map(|id| by.remove(id)).collect()
}

/// Builds the report. See the module documentation for what it holds.
pub fn build(input: &ReportInput) -> Built {
    let mut b = Builder::new(input);
    let y = input.year;
    if input.sample {
        b.push(note(format!("【示例】{SAMPLE_MARK}")));
    }
    b.push(body(format!(
        "根据《中华人民共和国非物质文化遗产法》和《山东省非物质文化遗产条例》，现将{DISTRICT}{y}年度非物质文化遗产保护工作情况报告如下。"
    )));
    b.push(note(format!(
        "说明：本报告数据取自非遗名录，项目和传承人数量为截至{}的在册情况，其余为{y}年度的记录。",
        chinese_date(input.today)
    )));
    b.basics();
    b.changes();
    b.evaluations();
    b.funds();
    b.activities();
    b.risks();
    b.next_year();
    let footnote = if input.sample {
        SAMPLE_MARK.to_string()
    } else {
        String::new()
    };
    let mut doc = Document {
        title: title(y),
        cover: Some(Cover {
            kicker: format!("{DISTRICT}非物质文化遗产"),
            title: format!("保护工作报告（{y}年度）"),
            fields: vec![
                ("报送单位".into(), String::new()),
                ("日期".into(), chinese_date(input.today)),
            ],
            footnote,
        }),
        blocks: b.blocks,
        page_numbers: true,
    };
    scrub_document(&mut doc);
    Built {
        doc,
        sections: b.sections,
        gaps: b.gaps,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_log_days_are_beijing_days() {
        assert_eq!(beijing_day("2025-12-31T16:30:00.000Z"), "2026-01-01");
        assert_eq!(beijing_day("2025-12-31T15:59:59.999Z"), "2025-12-31");
        assert_eq!(
            beijing_year_bounds(2025),
            (
                "2024-12-31T16:00:00.000Z".to_string(),
                "2025-12-31T16:00:00.000Z".to_string()
            )
        );
    }

    #[test]
    fn deaths_are_one_row_per_person_with_the_earliest_date() {
        let item = |id: &str| ItemName {
            id: id.into(),
            name: format!("项目{id}"),
            ..Default::default()
        };
        let f = |on: &str, it: Option<&str>| PersonFact {
            person_id: "p".into(),
            person: "某甲".into(),
            item: it.map(item),
            on: Some(on.into()),
            ..Default::default()
        };
        let d = merge_deaths(&[
            f("2025-03-02", Some("a")),
            f("2025-03-01", None),
            f("2025-03-02", Some("b")),
        ]);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].on.as_deref(), Some("2025-03-01"));
        assert_eq!(d[0].items.len(), 2);
    }
}

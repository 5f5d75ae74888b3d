//! The report's sections, one method each, on a builder that numbers the headings and
//! tables and records what could not be said.

use super::tables::{count, fen, redact, stat_number, stat_table};
use super::{
    merge_deaths, InForce, ItemName, NewItem, PersonFact, ReportInput, Revocation, Upgrade,
    YearFacts, MAX_PHOTOS, NO_RECORD, SECTIONS,
};
use crate::application::forms::yuan;
use crate::export::doc::{page, Block, Cell, Image, Paragraph, Table};
use crate::model::{StatTable, FUNDING_SOURCES, GRADES};
use crate::reference::chinese_number;
use crate::stats::{self, chinese_date};
use std::collections::{BTreeMap, BTreeSet};

/// The document being built: its blocks, the section headings so far, the gaps, and the
/// counters that number tables and subsections.
pub(super) struct Builder<'a> {
    input: &'a ReportInput<'a>,
    pub(super) blocks: Vec<Block>,
    pub(super) sections: Vec<String>,
    pub(super) gaps: Vec<String>,
    tables: usize,
    section: String,
    subs: usize,
}

pub(super) fn body(text: impl Into<String>) -> Block {
    Block::Paragraph(Paragraph::body(text))
}

pub(super) fn note(text: impl Into<String>) -> Block {
    Block::Paragraph(Paragraph::note(text))
}

fn labels(cols: &[&str]) -> Vec<Cell> {
    cols.iter().map(|c| Cell::label(*c)).collect()
}

fn or_dash(v: Option<&str>) -> String {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) => v.to_string(),
        None => "—".into(),
    }
}

/// `另有涉密项目{what}N项，按规定不列名称。` (`what` e.g. `的保护计划`), or nothing.
fn hidden_note(n: usize, what: &str) -> Option<Block> {
    (n > 0).then(|| note(format!("另有涉密项目{what}{n}项，按规定不列名称。")))
}

impl<'a> Builder<'a> {
    pub(super) fn new(input: &'a ReportInput<'a>) -> Self {
        Builder {
            input,
            blocks: Vec::new(),
            sections: Vec::new(),
            gaps: Vec::new(),
            tables: 0,
            section: String::new(),
            subs: 0,
        }
    }

    fn facts(&self) -> &'a YearFacts {
        self.input.facts
    }

    fn year(&self) -> i64 {
        self.input.year
    }

    pub(super) fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }

    fn section(&mut self, title: &str) {
        let heading = format!(
            "{}、{title}",
            chinese_number(self.sections.len() as i64 + 1)
        );
        self.push(Block::Heading {
            level: 1,
            text: heading.clone(),
        });
        self.sections.push(heading.clone());
        self.section = heading;
        self.subs = 0;
    }

    fn sub(&mut self, title: &str) -> String {
        self.subs += 1;
        let heading = format!("（{}）{title}", chinese_number(self.subs as i64));
        self.push(Block::Heading {
            level: 2,
            text: heading,
        });
        title.to_string()
    }

    /// Says 本年度无记录 and records the gap (`what` names the subsection, if any).
    fn none(&mut self, what: Option<&str>) {
        self.push(body(NO_RECORD));
        let place = match what {
            Some(w) => format!("{}（{w}）", self.section),
            None => self.section.clone(),
        };
        self.gaps.push(format!("{place}：本年度无记录"));
    }

    fn table(&mut self, caption: &str, widths: Vec<u32>, header: &[&str], rows: Vec<Vec<Cell>>) {
        self.tables += 1;
        self.push(Block::Table(Table {
            caption: format!("表{}　{caption}", self.tables),
            widths,
            header: labels(header),
            rows,
        }));
    }

    fn stats(&self, key: &str) -> Option<StatTable> {
        self.input
            .stats
            .tables
            .iter()
            .find(|t| t.key == key)
            .map(|t| redact(t, &self.facts().confidential))
    }

    /// Places a statistics table (and its notes); a missing one is a gap.
    fn stat(&mut self, key: &str) -> Option<StatTable> {
        let Some(t) = self.stats(key) else {
            self.gaps
                .push(format!("{}：统计表“{key}”缺失", self.section));
            return None;
        };
        self.tables += 1;
        self.push(Block::Table(stat_table(&t, self.tables)));
        for n in &t.notes {
            self.push(note(format!("注：{n}")));
        }
        Some(t)
    }

    fn item(&self, i: &ItemName) -> String {
        i.name.clone()
    }

    // -------------------------------------------------------------- 一、基本情况

    pub(super) fn basics(&mut self) {
        self.section(SECTIONS[0]);
        let items = self.stats("items_by_level");
        let people = self.stats("inheritors_by_level");
        let by_level = |t: &Option<StatTable>| -> (i64, Vec<(String, i64)>) {
            let Some(t) = t else {
                return (0, Vec::new());
            };
            let levels = ["国家级", "省级", "市级", "区级"]
                .iter()
                .map(|l| (l.to_string(), count(stat_number(t, l, 1))))
                .collect();
            (count(stat_number(t, "合计", 1)), levels)
        };
        let (n_items, item_levels) = by_level(&items);
        let (n_people, people_levels) = by_level(&people);
        let units = self.facts().units;
        if n_items == 0 && n_people == 0 && units == 0 {
            self.none(None);
            return;
        }
        let split = |levels: &[(String, i64)], unit: &str| {
            levels
                .iter()
                .map(|(l, n)| format!("{l}{n}{unit}"))
                .collect::<Vec<_>>()
                .join("、")
        };
        let secret = self.facts().confidential.len();
        let secret_text = if secret > 0 {
            format!("（含涉密项目{secret}项）")
        } else {
            String::new()
        };
        self.push(body(format!(
            "截至{}，全区共有区级以上非物质文化遗产代表性项目{n_items}项{secret_text}，其中{}（按项目列入的最高级别计）；在册代表性传承人{n_people}人，其中{}（按本人最高认定级别计）；保护单位{units}个。",
            chinese_date(self.input.today),
            split(&item_levels, "项"),
            split(&people_levels, "人"),
        )));
        for key in [
            "items_by_level",
            "items_by_category",
            "inheritors_by_level",
            "inheritors_by_age",
        ] {
            self.stat(key);
        }
    }

    // -------------------------------------------------------------- 二、名录变化

    pub(super) fn changes(&mut self) {
        self.section(SECTIONS[1]);
        let f = self.facts();
        let deaths = merge_deaths(&f.deaths);
        let empty = f.new_items.is_empty()
            && f.upgrades.is_empty()
            && f.new_recognitions.is_empty()
            && f.revoked.is_empty()
            && f.disqualified.is_empty()
            && deaths.is_empty();
        if empty {
            self.none(None);
            return;
        }
        let y = self.year();
        self.push(body(format!(
            "{y}年，新增区级代表性项目{}项，升级项目{}项（列入更高级别名录），新增代表性传承人{}人次；撤销项目{}项，取消代表性传承人资格{}人次；代表性传承人去世{}人。",
            f.new_items.len(),
            f.upgrades.len(),
            f.new_recognitions.len(),
            f.revoked.len(),
            f.disqualified.len(),
            deaths.len(),
        )));

        let what = self.sub("新增代表性项目");
        let (shown, hidden): (Vec<&NewItem>, Vec<&NewItem>) =
            f.new_items.iter().partition(|n| !n.item.confidential);
        if f.new_items.is_empty() {
            self.none(Some(&what));
        } else {
            if !shown.is_empty() {
                let rows = shown
                    .iter()
                    .map(|n| {
                        vec![
                            Cell::text(&n.item.code),
                            Cell::text(self.item(&n.item)),
                            Cell::text(&n.item.category),
                            Cell::text(&n.basis),
                            Cell::text(or_dash(n.on.as_deref())),
                        ]
                    })
                    .collect();
                self.table(
                    &format!("{y}年新增区级代表性项目"),
                    vec![3, 6, 5, 7, 4],
                    &["项目编号", "项目名称", "类别", "列入依据", "日期"],
                    rows,
                );
            }
            if let Some(b) = hidden_note(hidden.len(), "") {
                self.push(b);
            }
        }

        let what = self.sub("项目升级");
        let (shown, hidden): (Vec<&Upgrade>, Vec<&Upgrade>) =
            f.upgrades.iter().partition(|u| !u.item.confidential);
        if f.upgrades.is_empty() {
            self.none(Some(&what));
        } else {
            if !shown.is_empty() {
                let rows = shown
                    .iter()
                    .map(|u| {
                        vec![
                            Cell::text(&u.item.code),
                            Cell::text(self.item(&u.item)),
                            Cell::text(&u.level),
                            Cell::text(&u.on),
                            Cell::text(or_dash(u.doc_number.as_deref())),
                        ]
                    })
                    .collect();
                self.table(
                    &format!("{y}年列入更高级别名录的项目"),
                    vec![3, 6, 3, 4, 7],
                    &["项目编号", "项目名称", "列入级别", "日期", "文号"],
                    rows,
                );
            }
            if let Some(b) = hidden_note(hidden.len(), "") {
                self.push(b);
            }
        }

        let what = self.sub("新增代表性传承人");
        self.people_table(
            &f.new_recognitions,
            &what,
            &format!("{y}年新认定的代表性传承人"),
            ("认定日期", "文号"),
            |p| or_dash(p.doc_number.as_deref()),
        );

        let what = self.sub("撤销项目与取消传承人资格");
        if f.revoked.is_empty() && f.disqualified.is_empty() {
            self.none(Some(&what));
        } else {
            let (shown, hidden): (Vec<&Revocation>, Vec<&Revocation>) =
                f.revoked.iter().partition(|r| !r.item.confidential);
            if f.revoked.is_empty() {
                self.push(body("本年度无撤销的项目。"));
            } else if !shown.is_empty() {
                let rows = shown
                    .iter()
                    .map(|r| {
                        vec![
                            Cell::text(&r.item.code),
                            Cell::text(self.item(&r.item)),
                            Cell::text(&r.item.category),
                            Cell::text(&r.on),
                        ]
                    })
                    .collect();
                self.table(
                    &format!("{y}年撤销的代表性项目"),
                    vec![3, 7, 5, 4],
                    &["项目编号", "项目名称", "类别", "撤销日期"],
                    rows,
                );
            }
            if let Some(b) = hidden_note(hidden.len(), "") {
                self.push(b);
            }
            if f.disqualified.is_empty() {
                self.push(body("本年度无取消资格的代表性传承人。"));
            } else {
                self.people_table(
                    &f.disqualified,
                    &what,
                    &format!("{y}年取消资格的代表性传承人"),
                    ("取消日期", "依据"),
                    |p| {
                        let mut s = or_dash(p.ground.as_deref());
                        if let Some(d) = p.doc_number.as_deref().filter(|d| !d.is_empty()) {
                            s.push_str(&format!("（{d}）"));
                        }
                        s
                    },
                );
            }
        }

        let what = self.sub("代表性传承人去世");
        if deaths.is_empty() {
            self.none(Some(&what));
        } else {
            let mut hidden = 0;
            let mut rows = Vec::new();
            for d in &deaths {
                let named: Vec<&ItemName> = d.items.iter().filter(|i| !i.confidential).collect();
                if named.is_empty() && !d.items.is_empty() {
                    hidden += 1;
                    continue;
                }
                let items = named
                    .iter()
                    .map(|i| self.item(i))
                    .collect::<Vec<_>>()
                    .join("、");
                rows.push(vec![
                    Cell::text(&d.person),
                    Cell::text(if items.is_empty() {
                        "—".into()
                    } else {
                        items
                    }),
                    Cell::text(or_dash(d.on.as_deref())),
                ]);
            }
            if !rows.is_empty() {
                self.table(
                    &format!("{y}年去世的代表性传承人"),
                    vec![3, 8, 4],
                    &["姓名", "项目", "去世日期"],
                    rows,
                );
            }
            if hidden > 0 {
                self.push(note(format!(
                    "另有涉密项目的代表性传承人{hidden}人，按规定不列姓名和项目名称。"
                )));
            }
        }
    }

    /// A table of person facts (姓名, 项目, 级别, date, last column); confidential items'
    /// rows are counted in a note instead.
    fn people_table(
        &mut self,
        facts: &[PersonFact],
        what: &str,
        caption: &str,
        (date_col, last_col): (&str, &str),
        last: impl Fn(&PersonFact) -> String,
    ) {
        if facts.is_empty() {
            self.none(Some(what));
            return;
        }
        let secret = |p: &PersonFact| p.item.as_ref().is_some_and(|i| i.confidential);
        let hidden = facts.iter().filter(|p| secret(p)).count();
        let rows: Vec<Vec<Cell>> = facts
            .iter()
            .filter(|p| !secret(p))
            .map(|p| {
                vec![
                    Cell::text(&p.person),
                    Cell::text(p.item.as_ref().map(|i| self.item(i)).unwrap_or("—".into())),
                    Cell::text(or_dash(p.level.as_deref())),
                    Cell::text(or_dash(p.on.as_deref())),
                    Cell::text(last(p)),
                ]
            })
            .collect();
        if !rows.is_empty() {
            self.table(
                caption,
                vec![3, 6, 2, 4, 6],
                &["姓名", "项目", "级别", date_col, last_col],
                rows,
            );
        }
        if hidden > 0 {
            self.push(note(format!(
                "另有涉密项目的代表性传承人{hidden}人次，按规定不列姓名和项目名称。"
            )));
        }
    }

    // -------------------------------------------------------------- 三、传承人年度评估

    pub(super) fn evaluations(&mut self) {
        self.section(SECTIONS[2]);
        let y = self.year();
        let f = self.facts();
        let evaluated: BTreeSet<(&str, &str)> = f
            .evaluations
            .iter()
            .map(|e| (e.person_id.as_str(), e.item.id.as_str()))
            .collect();
        let mut seen = BTreeSet::new();
        let missing: Vec<&InForce> = f
            .in_force
            .iter()
            .filter(|r| !evaluated.contains(&(r.person_id.as_str(), r.item.id.as_str())))
            .filter(|r| seen.insert((r.person_id.as_str(), r.item.id.as_str())))
            .collect();
        if f.evaluations.is_empty() && missing.is_empty() {
            self.none(None);
            return;
        }
        if f.evaluations.is_empty() {
            self.push(body(NO_RECORD));
            self.gaps
                .push(format!("{}：未录入{y}年度评估结果", self.section));
        } else {
            let per_grade: Vec<String> = GRADES
                .iter()
                .map(|g| {
                    let n = f.evaluations.iter().filter(|e| e.grade == *g).count();
                    format!("{g}{n}人次")
                })
                .collect();
            self.push(body(format!(
                "{y}年度共评估代表性传承人{}人次，其中{}。",
                f.evaluations.len(),
                per_grade.join("、")
            )));
            let hidden = f.evaluations.iter().filter(|e| e.item.confidential).count();
            let rows: Vec<Vec<Cell>> = f
                .evaluations
                .iter()
                .filter(|e| !e.item.confidential)
                .map(|e| {
                    vec![
                        Cell::text(&e.person),
                        Cell::text(self.item(&e.item)),
                        Cell::text(&e.level),
                        Cell::text(&e.grade),
                    ]
                })
                .collect();
            if !rows.is_empty() {
                self.table(
                    &format!("{y}年度代表性传承人评估结果"),
                    vec![3, 7, 2, 3],
                    &["姓名", "项目", "级别", "等级"],
                    rows,
                );
            }
            if hidden > 0 {
                self.push(note(format!(
                    "另有涉密项目的代表性传承人评估{hidden}人次，已计入上述人次，按规定不列姓名和项目名称。"
                )));
            }
        }
        if !missing.is_empty() {
            let named: Vec<String> = missing
                .iter()
                .filter(|m| !m.item.confidential)
                .map(|m| format!("{}（{}，{}）", m.person, self.item(&m.item), m.level))
                .collect();
            let hidden = missing.len() - named.len();
            let mut text = format!(
                "以下在册代表性传承人尚未录入{y}年度评估结果（共{}人次）：",
                missing.len()
            );
            text.push_str(&named.join("、"));
            if hidden > 0 {
                if !named.is_empty() {
                    text.push('；');
                }
                text.push_str(&format!("另有涉密项目的传承人{hidden}人次"));
            }
            text.push('。');
            self.push(body(text));
            for m in &missing {
                let who = if m.item.confidential {
                    "涉密项目的一名代表性传承人".to_string()
                } else {
                    format!("{}（{}，{}）", m.person, self.item(&m.item), m.level)
                };
                self.gaps.push(format!("{who}未录入{y}年度评估"));
            }
        }
    }

    // -------------------------------------------------------------- 四、保护经费

    pub(super) fn funds(&mut self) {
        self.section(SECTIONS[3]);
        let y = self.year();
        let by_source = self.stats("funds_by_source");
        let planned = fen(by_source.as_ref().and_then(|t| stat_number(t, "合计", 1)));
        let spent = fen(by_source.as_ref().and_then(|t| stat_number(t, "合计", 2)));
        let s = self.facts().subsidies;
        let no_funds = planned == 0 && spent == 0;
        let no_subsidy = s.people == 0 && s.received_fen == 0 && s.used_fen == 0;
        if no_funds && no_subsidy {
            self.none(None);
            if by_source.is_none() {
                self.gaps
                    .push(format!("{}：统计表“funds_by_source”缺失", self.section));
            }
            return;
        }
        let what = self.sub("保护经费安排与支出");
        if no_funds {
            self.none(Some(&what));
        } else {
            let rate = match stats::execution_rate(planned, spent) {
                r if r.is_empty() => r,
                r => format!("，执行率{r}"),
            };
            self.push(body(format!(
                "{y}年保护计划安排经费{}元，实际支出{}元{rate}。",
                yuan(planned),
                yuan(spent)
            )));
            self.stat("funds_by_source");
            self.stat("funds_by_item");
        }
        let what = self.sub("代表性传承人传承补助");
        if no_subsidy {
            self.none(Some(&what));
        } else {
            self.push(body(format!(
                "{y}年共有{}名代表性传承人领取传承补助，合计发放{}元，已使用{}元。",
                s.people,
                yuan(s.received_fen),
                yuan(s.used_fen)
            )));
            self.table(
                &format!("{y}年代表性传承人补助（单位：元）"),
                vec![3, 4, 4],
                &["人数", "发放金额", "已使用金额"],
                vec![vec![
                    Cell::amount(s.people.to_string()),
                    Cell::amount(yuan(s.received_fen)),
                    Cell::amount(yuan(s.used_fen)),
                ]],
            );
        }
    }

    // -------------------------------------------------------------- 五、保护传承活动

    pub(super) fn activities(&mut self) {
        self.section(SECTIONS[4]);
        let y = self.year();
        let acts = &self.facts().activities;
        let photos = self.input.photos;
        if acts.is_empty() && photos.is_empty() {
            self.none(None);
            return;
        }
        let what = self.sub("活动开展情况");
        if acts.is_empty() {
            self.none(Some(&what));
        } else {
            let people: i64 = acts.iter().filter_map(|a| a.participants).sum();
            let in_month = acts.iter().filter(|a| a.in_feiyi_month).count();
            let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
            for a in acts.iter() {
                *kinds.entry(a.kind.as_str()).or_default() += 1;
            }
            let kinds: Vec<String> = crate::model::ACTIVITY_KINDS
                .iter()
                .filter_map(|k| kinds.get(k).map(|n| format!("{k}{n}次")))
                .collect();
            self.push(body(format!(
                "{y}年共开展保护传承活动{}次（{}），参与{people}人次；其中在山东省非遗月（农历腊月廿三至二月初二）期间开展{in_month}次，在表中“非遗月”一栏以“√”标注。",
                acts.len(),
                kinds.join("、"),
            )));
            let rows = acts
                .iter()
                .map(|a| {
                    let date = match a.ended_on.as_deref().filter(|e| *e != a.started_on) {
                        Some(e) => format!("{}至{}", a.started_on, e),
                        None => a.started_on.clone(),
                    };
                    vec![
                        Cell::text(date),
                        Cell::text(&a.title),
                        Cell::text(&a.kind),
                        Cell::text(or_dash(a.place.as_deref())),
                        Cell::amount(
                            a.participants
                                .map(|p| p.to_string())
                                .unwrap_or_else(|| "—".into()),
                        ),
                        Cell::text(if a.in_feiyi_month { "√" } else { "" }),
                    ]
                })
                .collect();
            self.table(
                &format!("{y}年保护传承活动"),
                vec![5, 8, 3, 5, 4, 3],
                &["日期", "活动名称", "类型", "地点", "参与人数", "非遗月"],
                rows,
            );
        }
        let what = self.sub("活动照片");
        for p in self.input.photo_problems {
            self.gaps.push(p.clone());
        }
        if photos.is_empty() {
            self.none(Some(&what));
            return;
        }
        self.push(note(format!(
            "选取本年度活动照片{}张（最多{MAX_PHOTOS}张，涉密资料不选用）。",
            photos.len()
        )));
        for (i, p) in photos.iter().enumerate() {
            self.push(Block::Image(Image {
                bytes: p.bytes.clone(),
                format: p.format,
                width_px: p.width_px,
                height_px: p.height_px,
                max_width_mm: page::TEXT_WIDTH_MM,
                max_height_mm: 90.0,
                caption: format!("图{}　{}", i + 1, p.caption),
            }));
        }
    }

    // -------------------------------------------------------------- 六、传承风险项目

    pub(super) fn risks(&mut self) {
        self.section(SECTIONS[5]);
        let Some(t) = self.stats("at_risk") else {
            self.none(None);
            self.gaps
                .push(format!("{}：统计表“at_risk”缺失", self.section));
            return;
        };
        let all = self
            .input
            .stats
            .tables
            .iter()
            .find(|t| t.key == "at_risk")
            .map_or(0, |t| t.rows.iter().filter(|r| !r.total).count());
        if all == 0 {
            self.none(None);
            return;
        }
        self.push(body(format!(
            "对照传承风险预警条件（{}、{}、{}、{}），截至{}共有{all}个项目需重点关注。",
            stats::reason_all_elderly(),
            stats::REASON_NO_INHERITOR,
            stats::REASON_NO_APPRENTICE,
            stats::REASON_ENDANGERED,
            chinese_date(self.input.today)
        )));
        if t.rows.iter().any(|r| !r.total) {
            self.stat("at_risk");
        } else {
            for n in &t.notes {
                self.push(note(format!("注：{n}")));
            }
        }
    }

    // -------------------------------------------------------------- 七、下一年度工作计划

    pub(super) fn next_year(&mut self) {
        self.section(SECTIONS[6]);
        let next = self.year() + 1;
        let y = self.year();
        let f = self.facts();
        let budget: i64 = f.next_budget.iter().map(|(_, v)| v).sum();
        if f.next_year.is_empty() && f.ending.is_empty() && budget == 0 {
            self.none(None);
            return;
        }
        let what = self.sub(&format!("{next}年度保护目标和措施"));
        if f.next_year.is_empty() {
            self.none(Some(&what));
        } else {
            let hidden = f.next_year.iter().filter(|p| p.item.confidential).count();
            let rows: Vec<Vec<Cell>> = f
                .next_year
                .iter()
                .filter(|p| !p.item.confidential)
                .map(|p| {
                    vec![
                        Cell::text(format!("{}\n（{}）", self.item(&p.item), p.plan)),
                        Cell::text(or_dash(p.targets.as_deref())),
                        Cell::text(or_dash(p.measures.as_deref())),
                    ]
                })
                .collect();
            if !rows.is_empty() {
                self.table(
                    &format!("{next}年度保护目标和措施（摘自各项目五年保护计划）"),
                    vec![5, 7, 7],
                    &["项目（保护计划）", "年度目标", "主要措施"],
                    rows,
                );
            }
            if let Some(b) = hidden_note(hidden, "的保护计划") {
                self.push(b);
            }
        }
        let what = self.sub("到期的保护计划");
        if f.ending.is_empty() {
            self.none(Some(&what));
        } else {
            let named: Vec<String> = f
                .ending
                .iter()
                .filter(|p| !p.item.confidential)
                .map(|p| {
                    format!(
                        "“{}”（{}，{}—{}年）",
                        self.item(&p.item),
                        p.plan,
                        p.start_year,
                        p.end_year
                    )
                })
                .collect();
            let hidden = f.ending.len() - named.len();
            let mut text = format!(
                "以下{}个保护计划于{y}年到期，需在{next}年编制新一轮五年保护计划：",
                f.ending.len()
            );
            text.push_str(&named.join("、"));
            if hidden > 0 {
                if !named.is_empty() {
                    text.push('；');
                }
                text.push_str(&format!("另有涉密项目的保护计划{hidden}个"));
            }
            text.push('。');
            self.push(body(text));
        }
        let what = self.sub(&format!("{next}年度经费预算"));
        if budget == 0 {
            self.none(Some(&what));
        } else {
            let amount = |s: &str| {
                f.next_budget
                    .iter()
                    .filter(|(k, _)| k == s)
                    .map(|(_, v)| *v)
                    .sum::<i64>()
            };
            let parts: Vec<String> = FUNDING_SOURCES
                .iter()
                .filter(|s| amount(s) > 0)
                .map(|s| format!("{s}{}元", yuan(amount(s))))
                .collect();
            self.push(body(format!(
                "各项目保护计划{next}年度预算合计{}元，其中{}。",
                yuan(budget),
                parts.join("、")
            )));
            let mut rows: Vec<Vec<Cell>> = FUNDING_SOURCES
                .iter()
                .map(|s| vec![Cell::text(*s), Cell::amount(yuan(amount(s)))])
                .collect();
            rows.push(vec![Cell::label("合计"), Cell::amount(yuan(budget))]);
            self.table(
                &format!("{next}年度保护经费预算（单位：元）"),
                vec![5, 5],
                &["经费来源", "预算金额"],
                rows,
            );
        }
    }
}

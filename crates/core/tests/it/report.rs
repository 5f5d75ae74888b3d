//! The 年度工作报告: a registry on a hand-moved clock with records of the year Y = 2025 and of
//! the years around it; the DOCX unzipped and read section by section, the PDF loaded with
//! lopdf. Expected numbers are worked out here from the records made, not taken from the
//! code under test.

use crate::media_files::jpeg;
use crate::package::unzip;
use crate::support::{sixth, ManualClock};
use feiyi_core::model::*;
use feiyi_core::{Error, Registry};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

const Y: i64 = 2025;
const HEADINGS: [&str; 7] = [
    "一、基本情况",
    "二、名录变化",
    "三、传承人年度评估",
    "四、保护经费",
    "五、保护传承活动",
    "六、传承风险项目",
    "七、下一年度工作计划",
];
const PHONE: &str = "13912345678";
const UNIT_PHONE: &str = "0632-6611511";
const ADDRESS: &str = "运河街道示范路1号";

/// An 18-digit identity number with its GB 11643 check character, computed here.
fn id_number(first17: &str) -> String {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = first17
        .chars()
        .zip(W)
        .map(|(c, w)| c.to_digit(10).unwrap() * w)
        .sum();
    let check = b"10X98765432"[(sum % 11) as usize] as char;
    format!("{first17}{check}")
}

/// The text of a DOCX body without tags.
fn docx_text(path: &Path) -> String {
    let parts = unzip(&std::fs::read(path).unwrap());
    let xml = String::from_utf8(parts["word/document.xml"].clone()).unwrap();
    let mut out = String::new();
    let mut in_tag = false;
    for c in xml.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

fn media_parts(path: &Path) -> usize {
    unzip(&std::fs::read(path).unwrap())
        .keys()
        .filter(|k| k.starts_with("word/media/"))
        .count()
}

/// The body split at the seven headings: `sections[i]` is the text of section i+1.
fn sections(text: &str) -> Vec<String> {
    let at: Vec<usize> = HEADINGS
        .iter()
        .map(|h| {
            text.find(h)
                .unwrap_or_else(|| panic!("{h} missing in {text}"))
        })
        .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "headings out of order");
    (0..7)
        .map(|i| text[at[i]..at.get(i + 1).copied().unwrap_or(text.len())].to_string())
        .collect()
}

fn pdf_text(path: &Path) -> (usize, String) {
    let bytes = std::fs::read(path).unwrap();
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    let pdf = lopdf::Document::load_mem(&bytes).unwrap();
    let pages: Vec<u32> = pdf.get_pages().keys().copied().collect();
    let text = pdf.extract_text(&pages).unwrap();
    (pages.len(), text.split_whitespace().collect())
}

struct World {
    _dir: tempfile::TempDir,
    src: PathBuf,
    out: PathBuf,
    clock: ManualClock,
    reg: Registry,
}

impl World {
    fn new(start: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let src = dir.path().join("incoming");
        let out = dir.path().join("out");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::create_dir_all(&out).unwrap();
        let clock = ManualClock::at(start);
        let reg = Registry::create(
            &dir.path().join("registry"),
            RegistryKind::Real,
            clock.clock(),
        )
        .unwrap();
        World {
            _dir: dir,
            src,
            out,
            clock,
            reg,
        }
    }

    /// Moves the clock to `rfc3339` (forward only).
    fn at(&self, rfc3339: &str) {
        let to = chrono::DateTime::parse_from_rfc3339(rfc3339).unwrap();
        let now = self.clock.clock()();
        assert!(to >= now, "clock goes forward only");
        self.clock.advance(to.with_timezone(&chrono::Utc) - now);
    }

    fn batch(&mut self, number: i64, doc: &str, published: &str) -> String {
        self.reg
            .batch_save(BatchInput {
                number,
                doc_number: Some(doc.into()),
                published_on: Some(published.into()),
                ..Default::default()
            })
            .unwrap()
            .id
    }

    fn item(&mut self, name: &str, batch: &str, confidential: bool) -> String {
        self.reg
            .item_save(ItemInput {
                name: name.into(),
                category: "Ⅷ".into(),
                batch_id: Some(batch.into()),
                confidential,
                ..Default::default()
            })
            .unwrap()
            .id
    }

    fn resave(&mut self, id: &str, f: impl FnOnce(&mut ItemInput)) {
        let d = self.reg.item_get(id).unwrap();
        let mut input = ItemInput {
            id: Some(d.id),
            name: d.name,
            category: d.category,
            batch_id: d.batch_id,
            seq: Some(d.seq),
            status: Some(d.status),
            confidential: d.confidential,
            endangered: d.endangered,
            listings: d.listings,
            texts: d.texts,
            ..Default::default()
        };
        f(&mut input);
        self.reg.item_save(input).unwrap();
    }

    fn listing(&mut self, id: &str, level: &str, on: &str, doc: &str) {
        self.resave(id, |i| {
            i.listings.push(Listing {
                level: level.into(),
                listed_on: Some(on.into()),
                doc_number: Some(doc.into()),
                ..Default::default()
            })
        });
    }

    fn revoke(&mut self, id: &str) {
        self.resave(id, |i| i.status = Some("撤销".into()));
    }

    fn person(&mut self, name: &str, f: impl FnOnce(&mut InheritorInput)) -> String {
        let mut input = InheritorInput {
            name: name.into(),
            ..Default::default()
        };
        f(&mut input);
        self.reg.inheritor_save(input).unwrap().id
    }

    fn recognise(&mut self, person: &str, item: &str, on: &str) -> String {
        self.reg
            .recognition_save(RecognitionInput {
                inheritor_id: person.into(),
                item_id: item.into(),
                level: "区级".into(),
                recognized_on: Some(on.into()),
                doc_number: Some(format!("台文旅字〔{}〕1号", &on[..4])),
                ..Default::default()
            })
            .unwrap()
            .id
    }

    fn event(&mut self, recognition: &str, status: &str, on: &str, ground: Option<&str>) {
        self.reg
            .recognition_event_add(RecognitionEventInput {
                recognition_id: recognition.into(),
                status: status.into(),
                occurred_on: on.into(),
                ground: ground.map(str::to_string),
                ..Default::default()
            })
            .unwrap();
    }

    fn evaluate(&mut self, person: &str, item: &str, year: i64, grade: &str) {
        self.reg
            .evaluation_save(Evaluation {
                inheritor_id: person.into(),
                item_id: item.into(),
                year,
                grade: grade.into(),
                ..Default::default()
            })
            .unwrap();
    }

    fn subsidy(&mut self, person: &str, item: &str, year: i64, received: i64, used: i64) {
        self.reg
            .subsidy_save(Subsidy {
                inheritor_id: person.into(),
                item_id: item.into(),
                year,
                received_fen: received,
                used_fen: used,
                ..Default::default()
            })
            .unwrap();
    }

    fn activity(&mut self, kind: &str, title: &str, on: &str, place: &str, people: i64) -> String {
        self.reg
            .activity_save(ActivityInput {
                kind: kind.into(),
                title: title.into(),
                started_on: on.into(),
                place: Some(place.into()),
                participants: Some(people),
                ..Default::default()
            })
            .unwrap()
            .id
    }

    /// Imports a small JPEG made here, linked to the activity as 照片; returns its media id.
    fn photo(&mut self, activity: &str, name: &str, n: u32) -> String {
        let path = self.src.join(name);
        std::fs::write(&path, jpeg(320 + n, 240, 85)).unwrap();
        let report = self
            .reg
            .media_import(
                &[path],
                Some(MediaLinkTarget {
                    entity: "activity".into(),
                    id: activity.into(),
                    role: "照片".into(),
                }),
                &|_| {},
                &AtomicBool::new(false),
            )
            .unwrap();
        let o = &report.outcomes[0];
        assert_eq!(o.status, MediaImportStatus::Imported, "{:?}", o.message);
        o.media_id.clone().unwrap()
    }

    fn describe(&mut self, media: &str, f: impl FnOnce(&mut MediaDescription)) {
        let mut d = self.reg.media_get(media).unwrap().description;
        f(&mut d);
        self.reg.media_describe(d).unwrap();
    }

    fn lines(&self, plan: &str) -> Vec<BudgetLine> {
        self.reg.plan_get(plan).unwrap().fields.budget
    }

    fn spend(&mut self, plan: &str, year: i64, source: &str, on: &str, fen: i64) {
        let line = self
            .lines(plan)
            .into_iter()
            .find(|l| l.year == year && l.source == source)
            .unwrap();
        self.reg
            .expenditure_save(Expenditure {
                budget_line_id: line.id.unwrap(),
                spent_on: on.into(),
                amount_fen: fen,
                ..Default::default()
            })
            .unwrap();
    }
}

fn line(year: i64, source: &str, fen: i64) -> BudgetLine {
    BudgetLine {
        year,
        purpose: format!("{year}年{source}项目"),
        source: source.into(),
        amount_fen: fen,
        ..Default::default()
    }
}

/// The registry of the scenario, its clock left in 2026 (Y+1).
fn scenario() -> World {
    // ---- Y-1 (2024)
    let mut w = World::new("2024-03-01T02:00:00Z");
    let sixth = sixth(&w.reg);
    let b7 = w.batch(7, "台政字〔2025〕7号", "2025-04-20");
    let b8 = w.batch(8, "台政字〔2026〕8号", "2026-05-10");
    let a = w.item("旧项目甲", &sixth, false);
    let b = w.item("新批项目乙", &b7, false);
    let c = w.item("明年项目丙", &b8, false);
    let d = w.item("上年升级丁", &sixth, false);
    let e = w.item("撤销项目戊", &sixth, false);
    let f = w.item("前年撤销己", &sixth, false);
    let g = w.item("明年撤销庚", &sixth, false);
    let s = w.item("涉密项目辛", &b7, true);
    w.listing(&d, "市级", "2024-09-01", "枣政字〔2024〕9号");
    w.revoke(&f);
    w.reg
        .unit_save(UnitInput {
            name: "示范保护单位".into(),
            phone: Some(UNIT_PHONE.into()),
            address: Some(ADDRESS.into()),
            item_ids: vec![a.clone()],
            ..Default::default()
        })
        .unwrap();

    let p1 = w.person("张传承", |p| {
        p.id_number = Some(id_number("37040519560302001"));
        p.phone = Some(PHONE.into());
        p.address = Some(ADDRESS.into());
    });
    w.recognise(&p1, &a, "2020-06-01");
    let p2 = w.person("李新人", |_| {});
    let p3 = w.person("王取消", |_| {});
    let r3 = w.recognise(&p3, &a, "2019-01-01");
    let p4 = w.person("赵去世", |_| {});
    let r4 = w.recognise(&p4, &a, "2018-01-01");
    let p6 = w.person("周未评", |_| {});
    w.recognise(&p6, &a, "2021-01-01");
    let p7 = w.person("钱上年", |_| {});
    w.recognise(&p7, &a, "2024-05-01");
    let p8 = w.person("吴失能", |_| {});
    w.recognise(&p8, &a, "2015-01-01");
    let p9 = w.person("郑前逝", |_| {});
    w.recognise(&p9, &d, "2010-01-01");
    let p10 = w.person("冯涉密", |_| {});
    w.evaluate(&p1, &a, 2024, "不合格");
    w.subsidy(&p1, &a, 2024, 100_000, 100_000);
    let old = w.activity("传承活动", "2024年旧活动", "2024-06-01", "台儿庄古城", 40);
    w.photo(&old, "old.jpg", 1);

    let plan_a = w
        .reg
        .plan_save(PlanInput {
            item_id: a.clone(),
            title: "旧项目甲五年保护计划".into(),
            start_year: 2021,
            end_year: 2025,
            years: vec![PlanYear {
                year: 2025,
                targets: Some("2025年完成资料整理".into()),
                ..Default::default()
            }],
            budget: vec![
                line(2024, "区级财政", 300_000),
                line(2025, "区级财政", 2_000_000),
                line(2025, "自筹", 500_000),
            ],
            ..Default::default()
        })
        .unwrap()
        .id;
    w.spend(&plan_a, 2024, "区级财政", "2024-08-01", 300_000);

    // ---- Y (2025)
    w.at("2025-05-01T02:00:00Z");
    w.listing(&a, "市级", "2025-06-01", "枣政字〔2025〕6号");
    w.revoke(&e);
    w.recognise(&p2, &b, "2025-07-01");
    w.recognise(&p10, &s, "2025-09-01");
    w.event(&r3, "取消资格", "2025-08-01", Some("两次评估不合格"));
    w.event(&r4, "去世", "2025-10-01", None);
    w.reg
        .inheritor_save(InheritorInput {
            id: Some(p4.clone()),
            name: "赵去世".into(),
            death_date: Some("2025-10-01".into()),
            ..Default::default()
        })
        .unwrap();
    w.reg
        .inheritor_save(InheritorInput {
            id: Some(p9.clone()),
            name: "郑前逝".into(),
            death_date: Some("2024-12-31".into()),
            ..Default::default()
        })
        .unwrap();
    w.evaluate(&p1, &a, Y, "优秀");
    w.evaluate(&p2, &b, Y, "合格");
    w.evaluate(&p7, &a, Y, "不合格");
    w.evaluate(&p8, &a, Y, "丧失传承能力");
    w.subsidy(&p1, &a, Y, 500_000, 300_000);
    w.spend(&plan_a, 2025, "区级财政", "2025-03-15", 800_000);
    let plan_b = w
        .reg
        .plan_save(PlanInput {
            item_id: b.clone(),
            title: "新批项目乙五年保护计划".into(),
            start_year: 2025,
            end_year: 2029,
            years: vec![
                PlanYear {
                    year: 2026,
                    targets: Some("2026年开办传习班两期".into()),
                    measures: Some("聘请传承人授课".into()),
                    ..Default::default()
                },
                PlanYear {
                    year: 2027,
                    targets: Some("2027年出版图册".into()),
                    ..Default::default()
                },
            ],
            budget: vec![
                line(2025, "区级财政", 300_000),
                line(2026, "区级财政", 1_000_000),
                line(2026, "配套", 1_500_000),
                line(2027, "区级财政", 9_990_000),
            ],
            ..Default::default()
        })
        .unwrap()
        .id;
    w.spend(&plan_b, 2025, "区级财政", "2025-11-01", 100_000);
    let school = w.activity("进校园", "非遗进校园", "2025-05-20", "运河小学", 120);
    let show = w.activity("展演", "非遗月展演", "2025-02-10", "台儿庄古城", 300);
    let p_school = w.photo(&school, "school.jpg", 2);
    w.describe(&p_school, |d| {
        d.caption_place = Some("运河小学操场".into());
        d.caption_people = Some(format!("张传承（电话{PHONE}）"));
        d.caption_event = Some("剪纸课".into());
    });
    let secret = w.photo(&school, "secret.jpg", 3);
    w.describe(&secret, |d| d.confidential = true);
    w.photo(&show, "show.jpg", 4);

    // ---- Y+1 (2026)
    w.at("2026-03-10T02:00:00Z");
    w.revoke(&g);
    let p5 = w.person("孙明年", |_| {});
    w.recognise(&p5, &a, "2026-03-01");
    w.evaluate(&p1, &a, 2026, "合格");
    w.subsidy(&p1, &a, 2026, 900_000, 0);
    w.spend(&plan_b, 2026, "配套", "2026-01-10", 700_000);
    let new = w.activity("培训", "2026年新活动", "2026-02-01", "涧头集镇", 50);
    w.photo(&new, "new.jpg", 5);
    let _ = c;
    w
}

#[test]
fn the_report_of_a_year_says_what_happened_in_that_year_and_nothing_else() {
    let w = scenario();
    let s = w.reg.annual_report(Y, &w.out).unwrap();
    let stem = "2025年度非物质文化遗产保护工作报告";
    assert_eq!(
        Path::new(&s.docx),
        w.out.join(format!("{stem}.docx")).as_path()
    );
    assert_eq!(
        Path::new(&s.pdf),
        w.out.join(format!("{stem}.pdf")).as_path()
    );
    assert!(Path::new(&s.docx).is_absolute());
    assert_eq!(s.year, Y);
    assert_eq!(s.sections, HEADINGS.map(String::from).to_vec());
    let mut names: Vec<String> = std::fs::read_dir(&w.out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, [format!("{stem}.docx"), format!("{stem}.pdf")]);

    let text = docx_text(Path::new(&s.docx));
    // Cover: the title (kicker and title read on), the blank 报送单位 line, the date.
    assert!(
        text.contains("台儿庄区非物质文化遗产保护工作报告（2025年度）"),
        "{text}"
    );
    assert!(text.contains("报送单位：日期：2026年3月10日"), "{text}");
    assert!(!text.contains("示例"), "a real report is not a sample");
    let sec = sections(&text);

    // 一、基本情况: listed items A B C D S (E F G revoked); A and D reached 市级; in force
    // on 2026-03-10: 张传承 李新人 孙明年 周未评 钱上年 吴失能 冯涉密 (王取消 disqualified,
    // 赵去世 and 郑前逝 dead); one unit.
    let one = &sec[0];
    for want in [
        "截至2026年3月10日，全区共有区级以上非物质文化遗产代表性项目5项（含涉密项目1项），其中国家级0项、省级0项、市级2项、区级3项",
        "在册代表性传承人7人，其中国家级0人、省级0人、市级0人、区级7人",
        "保护单位1个",
        "代表性项目按级别统计（单位：项）",
        "代表性项目按类别统计（单位：项）",
        "Ⅷ 传统技艺5",
        "代表性传承人按级别统计（单位：人）",
        "代表性传承人年龄结构（单位：人）",
    ] {
        assert!(one.contains(want), "{want} not in 一: {one}");
    }

    // 二、名录变化
    let two = &sec[1];
    for want in [
        "新增区级代表性项目2项，升级项目1项（列入更高级别名录），新增代表性传承人2人次；撤销项目1项，取消代表性传承人资格1人次；代表性传承人去世1人",
        "新批项目乙",
        "区级第七批（台政字〔2025〕7号）",
        "2025-04-20",
        "另有涉密项目1项，按规定不列名称",
        "旧项目甲市级2025-06-01枣政字〔2025〕6号",
        "李新人新批项目乙区级2025-07-01台文旅字〔2025〕1号",
        "另有涉密项目的代表性传承人1人次",
        "撤销项目戊",
        "王取消旧项目甲区级2025-08-01两次评估不合格",
        "赵去世旧项目甲2025-10-01",
    ] {
        assert!(two.contains(want), "{want} not in 二: {two}");
    }
    assert_eq!(two.matches("赵去世").count(), 1, "one row per death: {two}");
    for not in [
        "明年项目丙",
        "上年升级丁",
        "前年撤销己",
        "明年撤销庚",
        "孙明年",
        "钱上年",
        "郑前逝",
        "本年度无记录",
    ] {
        assert!(!two.contains(not), "{not} in 二: {two}");
    }

    // 三、传承人年度评估: four grades once each; 周未评 and 冯涉密 (confidential) not evaluated.
    let three = &sec[2];
    for want in [
        "2025年度共评估代表性传承人4人次，其中优秀1人次、合格1人次、不合格1人次、丧失传承能力1人次",
        "张传承旧项目甲区级优秀",
        "李新人新批项目乙区级合格",
        "钱上年旧项目甲区级不合格",
        "吴失能旧项目甲区级丧失传承能力",
        "尚未录入2025年度评估结果（共2人次）：周未评（旧项目甲，区级）；另有涉密项目的传承人1人次",
    ] {
        assert!(three.contains(want), "{want} not in 三: {three}");
    }
    for not in ["孙明年", "王取消", "赵去世", "冯涉密"] {
        assert!(!three.contains(not), "{not} in 三: {three}");
    }
    assert!(s
        .gaps
        .iter()
        .any(|g| g == "周未评（旧项目甲，区级）未录入2025年度评估"));

    // 四、保护经费: planned 20,000 + 5,000 + 3,000; spent 8,000 + 1,000; subsidy of 2025 only.
    let four = &sec[3];
    for want in [
        "2025年保护计划安排经费28,000.00元，实际支出9,000.00元，执行率32.1%",
        "2025年保护经费按来源统计（单位：元）",
        "区级财政23,000.00",
        "2025年保护经费按项目统计（单位：元）",
        "旧项目甲25,000.00",
        "新批项目乙3,000.00",
        "2025年共有1名代表性传承人领取传承补助，合计发放5,000.00元，已使用3,000.00元",
    ] {
        assert!(four.contains(want), "{want} not in 四: {four}");
    }

    // 五、保护传承活动: two activities, one in the 非遗月 (2025-01-22 … 2025-03-01); two photos
    // placed (the confidential one left out), captions filled from the activity where empty.
    let five = &sec[4];
    for want in [
        "2025年共开展保护传承活动2次（展演1次、进校园1次），参与420人次；其中在山东省非遗月（农历腊月廿三至二月初二）期间开展1次",
        "2025-02-10非遗月展演展演台儿庄古城300√",
        "2025-05-20非遗进校园进校园运河小学120",
        "图1　时间：2025-02-10；地点：台儿庄古城；事件：非遗月展演",
        "图2　时间：2025-05-20；地点：运河小学操场；人物：张传承（电话139****5678）；事件：剪纸课",
    ] {
        assert!(five.contains(want), "{want} not in 五: {five}");
    }
    for not in ["2024年旧活动", "2026年新活动", "图3"] {
        assert!(!five.contains(not), "{not} in 五: {five}");
    }
    assert_eq!(s.photos, 2);
    assert_eq!(media_parts(Path::new(&s.docx)), 2);

    // 六、传承风险项目: the statistics' list, the confidential item counted, not named.
    let six = &sec[5];
    for want in [
        "传承风险项目预警",
        "明年项目丙",
        "无在册代表性传承人",
        "另有涉密项目1项",
    ] {
        assert!(six.contains(want), "{want} not in 六: {six}");
    }

    // 七、下一年度工作计划: 2026 targets, the plan ending in 2025, the 2026 budget only.
    let seven = &sec[6];
    for want in [
        "2026年开办传习班两期",
        "聘请传承人授课",
        "新批项目乙五年保护计划",
        "“旧项目甲”（旧项目甲五年保护计划，2021—2025年）",
        "各项目保护计划2026年度预算合计25,000.00元，其中区级财政10,000.00元、配套15,000.00元",
    ] {
        assert!(seven.contains(want), "{want} not in 七: {seven}");
    }
    for not in ["2027年出版图册", "99,900.00", "2025年完成资料整理"] {
        assert!(!seven.contains(not), "{not} in 七: {seven}");
    }

    // Nowhere: the confidential item's name or its inheritor, personal numbers, addresses.
    let id = id_number("37040519560302001");
    for not in [
        "涉密项目辛",
        "冯涉密",
        id.as_str(),
        PHONE,
        UNIT_PHONE,
        ADDRESS,
    ] {
        assert!(!text.contains(not), "{not} in the DOCX");
    }

    // The PDF says the same.
    let (pages, pdf) = pdf_text(Path::new(&s.pdf));
    assert!(pages >= 6, "{pages} pages");
    for want in [
        "保护工作报告（2025年度）",
        "一、基本情况",
        "七、下一年度工作计划",
        "新批项目乙",
        "周未评（旧项目甲，区级）",
        "28,000.00",
        "图2",
    ] {
        assert!(pdf.contains(want), "{want} not in the PDF");
    }
    for not in [
        "涉密项目辛",
        "冯涉密",
        id.as_str(),
        PHONE,
        UNIT_PHONE,
        ADDRESS,
    ] {
        assert!(!pdf.contains(not), "{not} in the PDF");
    }
}

#[test]
fn an_empty_registry_reports_no_record_in_every_section() {
    let w = World::new("2026-11-28T09:00:00Z");
    let s = w.reg.annual_report(2026, &w.out).unwrap();
    let text = docx_text(Path::new(&s.docx));
    for (i, part) in sections(&text).iter().enumerate() {
        assert!(part.contains("本年度无记录"), "{}: {part}", HEADINGS[i]);
        assert!(
            s.gaps
                .iter()
                .any(|g| g == &format!("{}：本年度无记录", HEADINGS[i])),
            "{} not among the gaps {:?}",
            HEADINGS[i],
            s.gaps
        );
    }
    assert_eq!(s.photos, 0);
    assert_eq!(media_parts(Path::new(&s.docx)), 0);
    let (pages, pdf) = pdf_text(Path::new(&s.pdf));
    assert!(pages >= 2, "{pages}");
    assert!(pdf.contains("本年度无记录"));
}

#[test]
fn bad_years_and_folders_are_refused_and_nothing_is_written() {
    let w = World::new("2026-11-28T09:00:00Z");
    let field = |e: Error| {
        assert_eq!(e.code(), "validation", "{e}");
        (e.fields()[0].field.clone(), e.fields()[0].message.clone())
    };
    for year in [1948, 2027, 3000, -5] {
        let (f, m) = field(w.reg.annual_report(year, &w.out).unwrap_err());
        assert_eq!(f, "year");
        assert!(m.contains("1949") && m.contains("2026"), "{m}");
    }
    let (f, m) = field(w.reg.annual_report(2026, &w.out.join("nope")).unwrap_err());
    assert_eq!(f, "dir");
    assert!(m.contains("不存在或不是文件夹"), "{m}");
    let file = w.out.join("a.txt");
    std::fs::write(&file, "x").unwrap();
    let (f, _) = field(w.reg.annual_report(2026, &file).unwrap_err());
    assert_eq!(f, "dir");
    let names: Vec<_> = std::fs::read_dir(&w.out).unwrap().collect();
    assert_eq!(names.len(), 1, "only a.txt");
}

#[test]
fn the_year_turns_in_beijing_and_an_existing_report_is_replaced_whole() {
    let w = World::new("2026-12-31T15:59:00Z");
    assert!(w.reg.annual_report(2027, &w.out).is_err());
    w.clock.advance(chrono::Duration::minutes(2)); // 2027-01-01 00:01 in Beijing
    let stem = "2027年度非物质文化遗产保护工作报告";
    std::fs::write(w.out.join(format!("{stem}.docx")), "old").unwrap();
    std::fs::write(w.out.join(format!("{stem}.pdf")), "old").unwrap();
    let s = w.reg.annual_report(2027, &w.out).unwrap();
    assert!(std::fs::read(&s.docx).unwrap().starts_with(b"PK"));
    assert!(std::fs::read(&s.pdf).unwrap().starts_with(b"%PDF"));
    let names: Vec<String> = std::fs::read_dir(&w.out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "no temporary files left: {names:?}");
}

#[test]
fn the_sample_report_is_marked_as_sample() {
    let dir = tempfile::tempdir().unwrap();
    let reg = Registry::create(
        &dir.path().join("registry"),
        RegistryKind::Sample,
        crate::support::clock(),
    )
    .unwrap();
    let s = reg.annual_report(2026, dir.path()).unwrap();
    assert!(s
        .docx
        .ends_with("示例-2026年度非物质文化遗产保护工作报告.docx"));
    assert!(s
        .pdf
        .ends_with("示例-2026年度非物质文化遗产保护工作报告.pdf"));
    let text = docx_text(Path::new(&s.docx));
    assert!(text.contains("示例数据（虚构）"), "{text}");
    let (_, pdf) = pdf_text(Path::new(&s.pdf));
    assert!(pdf.contains("示例数据（虚构）"));
}

/// Writes the scenario's report to `/tmp/feiyi-report-demo` for a person to look at
/// (`pdftoppm -png -r 50 …pdf /tmp/report-page`).
#[test]
#[ignore]
fn demo() {
    let w = scenario();
    let out = Path::new("/tmp/feiyi-report-demo");
    let _ = std::fs::remove_dir_all(out);
    std::fs::create_dir_all(out).unwrap();
    let s = w.reg.annual_report(Y, out).unwrap();
    println!("{}\n{}\n{:#?}", s.docx, s.pdf, s.gaps);
}

#[test]
fn at_most_twelve_photos_are_placed_and_a_missing_original_is_a_gap() {
    let mut w = World::new("2026-06-01T02:00:00Z");
    let a = w.activity("传承活动", "传习班结业", "2026-05-01", "文化馆", 30);
    let mut ids = Vec::new();
    for n in 0..14 {
        ids.push(w.photo(&a, &format!("IMG_{n:02}.jpg"), n));
    }
    // The first photo's original disappears from the store.
    let sha = w.reg.media_get(&ids[0]).unwrap().sha256;
    std::fs::remove_file(w.reg.media_path(&sha).unwrap()).unwrap();
    let s = w.reg.annual_report(2026, &w.out).unwrap();
    assert_eq!(s.photos, 12);
    assert_eq!(media_parts(Path::new(&s.docx)), 12);
    assert!(
        s.gaps
            .iter()
            .any(|g| g.contains("IMG_00.jpg") && g.contains("原件不在资料库中")),
        "{:?}",
        s.gaps
    );
    let text = docx_text(Path::new(&s.docx));
    assert!(text.contains("图12　时间：2026-05-01；地点：文化馆；事件：传习班结业"));
    assert!(!text.contains("图13"));
}

//! The scale generator (`feiyi sample --scale N`): a synthetic Sample-kind registry of any
//! size, for benchmarks and for trying the app at municipal or province scale, and a folder
//! of large photos and videos for media tests.
//!
//! Everything is deterministic from a seed: the same seed and size give the same rows (ids
//! included). Names are visibly synthetic (`示例项目000123·…`, `示例·张秀兰`) and every
//! record carries a 示例 note; the registry is created as
//! [`RegistryKind::Sample`](crate::model::RegistryKind::Sample) in a folder that must not
//! already hold a registry, so synthetic rows can never enter a real register.
//!
//! The rows are composed here without SQL; `db::synth` writes them in bulk (prepared
//! statements, one transaction, in the temporary file that `db::create_new` renames into
//! place), filling the pinyin columns and the search index exactly as the normal write
//! path does. The edit log gets **one** `create` row for the whole generation (entity
//! `registry`, with the counts), not one per record: at 100,000 items a full snapshot per
//! record would multiply the time and the file size for rows nobody will revert. The
//! yearly report (which reads new items from the log) therefore sees no new items in a
//! generated registry. No media rows are written: a media row without its original is
//! reported missing by `feiyi verify`; import the generated media folder instead.

use crate::error::{Error, Result};
use crate::{db, Clock};
use chrono::SecondsFormat;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How big a registry to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleOptions {
    /// Number of items.
    pub items: usize,
    /// Seed of the pseudo-random choices.
    pub seed: u64,
}

/// What was generated.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ScaleReport {
    /// Items.
    pub items: usize,
    /// Inheritors (one recognition each, some two).
    pub inheritors: usize,
    /// Lineage edges.
    pub lineage_edges: usize,
    /// Protection plans (five plan years and budget lines each).
    pub plans: usize,
    /// Activities.
    pub activities: usize,
    /// Media rows (always 0: see the module documentation).
    pub media: usize,
    /// Wall time of the generation, in milliseconds.
    pub elapsed_ms: u64,
}

/// Which media files to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MediaSetOptions {
    /// Number of 4000×3000 JPEG photos.
    pub photos: usize,
    /// Number of MP4 videos (needs `ffmpeg` on PATH).
    pub videos: usize,
    /// Length of each video in seconds.
    pub video_seconds: u32,
    /// Seed of the photos' noise.
    pub seed: u64,
}

/// A small deterministic pseudo-random generator (SplitMix64): the same seed gives the
/// same sequence on every machine and build.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Self(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A number in `lo..=hi`.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.next_u64() % ((hi - lo + 1).max(1) as u64)) as i64
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// One element of a non-empty slice.
    pub fn pick<T: Copy>(&mut self, from: &[T]) -> T {
        from[self.below(from.len())]
    }

    /// A stable id in the UUIDv7 layout, deterministic from this generator.
    pub fn uid(&mut self, millis: u64) -> String {
        let mut bytes = [0u8; 10];
        bytes[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        bytes[8..].copy_from_slice(&self.next_u64().to_le_bytes()[..2]);
        uuid::Builder::from_unix_timestamp_millis(millis, &bytes)
            .into_uuid()
            .to_string()
    }
}

/// Category codes with their weight (many 传统技艺, few 传统医药), like real registers.
const CATEGORY_WEIGHTS: [(&str, usize); 10] = [
    ("Ⅰ", 8),
    ("Ⅱ", 7),
    ("Ⅲ", 6),
    ("Ⅳ", 7),
    ("Ⅴ", 5),
    ("Ⅵ", 5),
    ("Ⅶ", 10),
    ("Ⅷ", 30),
    ("Ⅸ", 3),
    ("Ⅹ", 19),
];

/// Name parts per category code: what an item of that category is called.
fn category_words(code: &str) -> &'static [&'static str] {
    match code {
        "Ⅰ" => &["传说", "故事", "歌谣", "谚语", "民间传说", "地名故事"],
        "Ⅱ" => &["民歌", "号子", "锣鼓", "唢呐", "吹打乐", "丝弦"],
        "Ⅲ" => &["花鼓", "龙灯", "旱船", "高跷", "狮子舞", "秧歌"],
        "Ⅳ" => &["柳琴戏", "皮影戏", "梆子", "拉魂腔", "木偶戏", "四平调"],
        "Ⅴ" => &["大鼓", "琴书", "渔鼓", "快书", "坠子", "评书"],
        "Ⅵ" => &["武术", "拳法", "掼牛", "石锁", "棋艺", "杂技"],
        "Ⅶ" => &["剪纸", "面塑", "泥塑", "刺绣", "木雕", "年画", "石刻"],
        "Ⅷ" => &[
            "柳编技艺",
            "酿造技艺",
            "烧制技艺",
            "织造技艺",
            "制作技艺",
            "锻造技艺",
            "酱菜技艺",
            "糕点技艺",
            "榨油技艺",
            "造纸技艺",
        ],
        "Ⅸ" => &["正骨疗法", "膏药制作", "推拿", "药酒炮制"],
        _ => &["庙会", "祭祀", "婚俗", "节令习俗", "灯会", "歌会"],
    }
}

/// Place-like syllables for item names: invented, so no real item is named.
const PLACE_A: [&str; 24] = [
    "涧", "河", "柳", "运", "泥", "峄", "兰", "马", "古", "张", "邳", "泉", "石", "槐", "桑", "杨",
    "侯", "金", "青", "湖", "沙", "枣", "岚", "宁",
];
const PLACE_B: [&str; 20] = [
    "头", "湾", "庄", "集", "沟", "坡", "桥", "营", "山", "洼", "店", "塘", "林", "岗", "口", "园",
    "家", "滩", "寨", "亭",
];

const SURNAMES: [&str; 40] = [
    "张", "王", "李", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕",
];
const GIVEN: [&str; 48] = [
    "秀", "兰", "桂", "英", "玉", "凤", "华", "明", "建", "国", "德", "文", "志", "永", "春", "海",
    "军", "成", "长", "庆", "福", "荣", "宝", "金", "云", "霞", "芳", "丽", "红", "梅", "振", "胜",
    "学", "茂", "广", "立", "新", "传", "守", "继", "承", "恩", "泽", "昌", "贵", "树", "山", "林",
];

/// Sentence openings, bodies and endings; a text is a run of sentences built from them,
/// so that 1–6 character substrings have every selectivity from "almost all" to "a few".
const OPEN: [&str; 24] = [
    "据老艺人回忆，",
    "清代中叶以来，",
    "民国时期，",
    "二十世纪五十年代，",
    "改革开放以后，",
    "每逢农历正月，",
    "在运河两岸，",
    "旧时乡间，",
    "相传明代初年，",
    "新中国成立后，",
    "近二十年来，",
    "据地方志记载，",
    "每年庙会期间，",
    "农闲时节，",
    "在当地村民中，",
    "二〇〇六年普查时，",
    "经过多年挖掘整理，",
    "从选料到成品，",
    "在传承人带领下，",
    "由于城镇化加快，",
    "为使技艺后继有人，",
    "在文化站支持下，",
    "按照保护规划，",
    "历经数代传承，",
];
const BODY: [&str; 48] = [
    "该项目在周边村落广泛流传",
    "艺人们口传心授、代代相承",
    "其工序多达二十余道",
    "表演时锣鼓喧天、气氛热烈",
    "唱腔高亢悠扬、韵味独特",
    "选用本地出产的原料",
    "形成了独具特色的地方风格",
    "融合了南北两地的艺术元素",
    "与当地的生产生活密切相关",
    "反映了运河沿岸的民俗风情",
    "曾多次参加省市级展演",
    "从业人员逐年减少",
    "年轻人学习意愿不强",
    "传统工具和作坊保存较为完整",
    "老艺人年事已高、亟待抢救",
    "收集整理了大量图片和音像资料",
    "建立了传习所并定期开展培训",
    "编印了普及读本和教材",
    "走进校园开展非遗进课堂活动",
    "技艺要领全凭手感和经验",
    "讲究火候、刀工和时令",
    "图案寓意吉祥、构图饱满",
    "题材多取自历史故事和民间传说",
    "以家族传承为主、兼收外姓徒弟",
    "主要流布于示例镇及周边乡村",
    "承载着群众的集体记忆",
    "具有较高的历史价值和文化价值",
    "对研究地方社会史有重要意义",
    "兼具实用功能与审美价值",
    "产品远销周边县市",
    "相关手工作坊一度多达数十家",
    "演出班社活跃于城乡之间",
    "每年举办专场展示活动",
    "设立了专项保护资金",
    "完成了数字化记录工作",
    "存续状况总体良好",
    "面临市场萎缩的困境",
    "保护单位制定了五年保护计划",
    "定期组织传承人开展带徒授艺",
    "注重原生态保护与活态传承相结合",
    "以师带徒方式培养后备人才",
    "在节庆活动中不可或缺",
    "其制作工具多为自制",
    "保留了古老的仪式程序",
    "曲目多达百余首",
    "套路动作刚柔相济",
    "配方与工艺秘不外传",
    "已被列入保护名录",
];
const CLOSE: [&str; 8] = [
    "。",
    "。",
    "。",
    "，至今仍有传承。",
    "，影响深远。",
    "，亟须加强保护。",
    "，前景可期。",
    "。",
];

/// The note every generated item carries.
pub const SYNTH_NOTE: &str = "示例数据：规模测试生成的虚构项目，不属于正式名录。";
/// The note every generated person carries.
pub const SYNTH_PERSON_NOTE: &str = "示例数据：规模测试生成的虚构人物，不属于正式名录。";
/// The note every other generated record carries.
pub const SYNTH_OTHER_NOTE: &str = "示例数据：规模测试生成，仅供测试。";

/// A run of sentences of about `chars` characters.
pub fn compose_text(rng: &mut Rng, chars: usize) -> String {
    let mut s = String::new();
    let mut n = 0;
    while n < chars {
        let sentence = format!("{}{}{}", rng.pick(&OPEN), rng.pick(&BODY), rng.pick(&CLOSE));
        n += sentence.chars().count();
        s.push_str(&sentence);
    }
    s
}

/// A synthetic person name, `示例·` + surname + one or two given characters.
pub fn person_name(rng: &mut Rng) -> String {
    let mut name = format!("示例·{}{}", rng.pick(&SURNAMES), rng.pick(&GIVEN));
    if rng.chance(70) {
        name.push_str(rng.pick(&GIVEN));
    }
    name
}

/// The item text columns in the order the item form and the search index use.
pub const ITEM_TEXT_COLUMNS: [&str; 15] = [
    "applicant",
    "distribution",
    "summary",
    "geography",
    "history",
    "content",
    "artifacts",
    "lineage_text",
    "features",
    "value",
    "viability",
    "argumentation",
    "management",
    "protection_done",
    "mechanism",
];

/// One generated item, ready to be written.
#[derive(Debug, Clone)]
pub struct SynthItem {
    /// Stable id.
    pub uid: String,
    /// Name (visibly synthetic).
    pub name: String,
    /// Category code.
    pub category: String,
    /// Sequence in the category.
    pub seq: i64,
    /// Batch row id.
    pub batch_id: i64,
    /// Endangered flag.
    pub endangered: bool,
    /// Texts in [`ITEM_TEXT_COLUMNS`] order.
    pub texts: Vec<Option<String>>,
    /// Township codes, names and villages.
    pub townships: Vec<(String, String, Option<String>)>,
    /// Listings: uid, level, rank, date, document number, batch label.
    pub listings: Vec<(String, String, i64, String, String, String)>,
}

/// One generated person with their recognition at one item.
#[derive(Debug, Clone)]
pub struct SynthPerson {
    /// Stable id.
    pub uid: String,
    /// Name.
    pub name: String,
    /// 男 / 女.
    pub sex: &'static str,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// Set when the person has died.
    pub death_date: Option<String>,
    /// Employer.
    pub employer: String,
    /// 简历.
    pub resume: String,
    /// 技艺特点和成就.
    pub skills: String,
    /// 传承情况.
    pub teaching: String,
    /// Recognitions: uid, level, batch row id, batch label, document number, date.
    pub recognitions: Vec<(String, &'static str, i64, String, String, String)>,
    /// Status events of the first recognition: uid, status, date, ground.
    pub events: Vec<(String, &'static str, String, Option<String>)>,
    /// Evaluations: uid, year, grade.
    pub evaluations: Vec<(String, i64, &'static str)>,
}

/// Creates a new Sample-kind registry in `dir` (must not already hold one) filled with
/// `items` synthetic items and everything around them; returns the counts.
pub fn generate_registry(dir: &Path, opts: &ScaleOptions, clock: Clock) -> Result<ScaleReport> {
    let started = Instant::now();
    let now = clock().to_rfc3339_opts(SecondsFormat::Millis, true);
    let path = dir.join(crate::api::DB_FILE);
    if path.exists() {
        return Err(Error::Conflict(format!(
            "“{}”中已有名录，不会覆盖",
            dir.display()
        )));
    }
    let mut report = ScaleReport {
        items: 0,
        inheritors: 0,
        lineage_edges: 0,
        plans: 0,
        activities: 0,
        media: 0,
        elapsed_ms: 0,
    };
    let conn = db::create_new(&path, |tx| {
        crate::api::seed(tx, crate::model::RegistryKind::Sample, &now)?;
        fill(tx, opts, &now, &mut report)
    })?;
    drop(conn);
    report.elapsed_ms = started.elapsed().as_millis() as u64;
    Ok(report)
}

fn date(rng: &mut Rng, from_year: i64, to_year: i64) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        rng.range(from_year, to_year),
        rng.range(1, 12),
        rng.range(1, 28)
    )
}

/// Writes every generated record into the registry being created (one transaction).
fn fill(
    tx: &rusqlite::Transaction<'_>,
    opts: &ScaleOptions,
    now: &str,
    report: &mut ScaleReport,
) -> Result<()> {
    let mut rng = Rng::new(opts.seed);
    // Ids carry a fixed time base so that they sort like UUIDv7 and stay deterministic.
    let mut tick: u64 = 1_767_225_600_000; // 2026-01-01T00:00:00Z
    let mut uid = |rng: &mut Rng| {
        tick += 1;
        rng.uid(tick)
    };
    db::synth::prepare_bulk(tx)?;
    let townships = crate::reference::townships()?;
    // Batches: the seeded sixth batch plus synthetic ones, ~60 items each.
    let batch_count = opts.items.div_ceil(60).max(5);
    let mut batches: Vec<(i64, i64, String)> = Vec::new(); // rowid, year, label
    let seeded = db::synth::live_batches(tx)?;
    for (number, rowid) in &seeded {
        batches.push((*rowid, 2023, crate::reference::batch_label(*number)));
    }
    let mut number = 0;
    while batches.len() < batch_count + seeded.len() {
        number += 1;
        if seeded.iter().any(|(n, _)| *n == number) {
            continue;
        }
        let year = 2006 + (number % 20);
        let label = format!("示例第{number}批");
        let input = crate::model::BatchInput {
            number,
            title: Some(format!("{label}区级非物质文化遗产代表性项目名录（虚构）")),
            doc_number: Some(format!("示文〔{year}〕{number}号")),
            determined_on: Some(format!("{year}-06-{:02}", 1 + number % 28)),
            declared_count: Some(60),
            note: Some(SYNTH_OTHER_NOTE.into()),
            ..Default::default()
        };
        let rowid = db::synth::insert_batch(tx, &uid(&mut rng), &input, now)?;
        batches.push((rowid, year, label));
    }
    let weights: usize = CATEGORY_WEIGHTS.iter().map(|c| c.1).sum();
    let mut seqs = [0i64; 10];
    let mut units: Vec<i64> = Vec::new();
    for i in 0..opts.items {
        // Category: the first ten items take one each, then by weight.
        let ci = if i < 10 {
            i
        } else {
            let mut w = rng.below(weights);
            let mut k = 0;
            while w >= CATEGORY_WEIGHTS[k].1 {
                w -= CATEGORY_WEIGHTS[k].1;
                k += 1;
            }
            k
        };
        let category = CATEGORY_WEIGHTS[ci].0;
        seqs[ci] += 1;
        let place = format!("{}{}", rng.pick(&PLACE_A), rng.pick(&PLACE_B));
        let name = format!(
            "示例项目{:06}·{}{}",
            i + 1,
            place,
            rng.pick(category_words(category))
        );
        let (batch_id, batch_year, batch_label) = batches[i % batches.len()].clone();
        let first = if i < townships.len() {
            i
        } else {
            rng.below(townships.len())
        };
        let mut towns = vec![first];
        if rng.chance(30) {
            let second = rng.below(townships.len());
            if second != first {
                towns.push(second);
            }
        }
        let lengths = [
            20, 60, 400, 150, 300, 400, 120, 200, 250, 250, 200, 150, 150, 150, 120,
        ];
        let texts = lengths
            .iter()
            .enumerate()
            .map(|(k, len)| match k {
                0 => Some(format!("示例{place}文化站（虚构）")),
                1 => Some(format!("主要分布于{}及周边村落。", townships[first].name)),
                _ if rng.chance(3) => None,
                _ => {
                    let chars = len / 2 + rng.below(*len);
                    Some(compose_text(&mut rng, chars))
                }
            })
            .collect();
        let listed_on = format!("{batch_year}-06-{:02}", 1 + i % 28);
        let mut listings = vec![(
            uid(&mut rng),
            "区级".to_string(),
            1,
            listed_on,
            format!("示文〔{batch_year}〕{}号", 1 + i % 40),
            batch_label,
        )];
        let higher = rng.below(100);
        for (level, rank, share) in [("市级", 2, 20), ("省级", 3, 6), ("国家级", 4, 1)] {
            if higher < share {
                let year = (batch_year + rank).min(2025);
                listings.push((
                    uid(&mut rng),
                    level.to_string(),
                    rank,
                    format!("{year}-09-15"),
                    format!("示{level}〔{year}〕{}号", 1 + rng.below(60)),
                    format!("示例{level}第{}批", 1 + rng.below(6)),
                ));
            }
        }
        let item = SynthItem {
            uid: uid(&mut rng),
            name,
            category: category.into(),
            seq: seqs[ci],
            batch_id,
            endangered: rng.chance(8),
            texts,
            townships: towns
                .iter()
                .map(|&t| {
                    (
                        townships[t].code.clone(),
                        townships[t].name.clone(),
                        rng.chance(50)
                            .then(|| format!("示例{}村", rng.pick(&PLACE_A))),
                    )
                })
                .collect(),
            listings,
        };
        let item_id = db::synth::insert_item(tx, &item, now)?;
        report.items += 1;

        // People: 1–9 per item (5 on average), one lineage over them.
        let count = 1 + rng.below(9);
        let mut people: Vec<(i64, i64)> = Vec::new(); // rowid, generation
        for j in 0..count {
            let birth_year = 1935 + rng.below(61) as i64;
            let died = birth_year < 1955 && rng.chance(30);
            let recognized = (birth_year + 40).clamp(2007, 2025);
            let (b_row, _, b_label) = batches[rng.below(batches.len())].clone();
            let mut recognitions = vec![(
                uid(&mut rng),
                "区级",
                b_row,
                b_label,
                format!("示文〔{recognized}〕{}号", 1 + rng.below(60)),
                format!("{recognized}-07-{:02}", 1 + rng.below(28)),
            )];
            if rng.chance(12) {
                let y = (recognized + 3).min(2025);
                recognitions.push((
                    uid(&mut rng),
                    "市级",
                    b_row,
                    format!("示例市级第{}批", 1 + rng.below(6)),
                    format!("示市文〔{y}〕{}号", 1 + rng.below(60)),
                    format!("{y}-10-{:02}", 1 + rng.below(28)),
                ));
            }
            let mut events = Vec::new();
            let death_date = died.then(|| date(&mut rng, recognized.max(2015), 2025));
            if let Some(d) = &death_date {
                events.push((uid(&mut rng), "去世", d.clone(), None));
            } else if rng.chance(2) {
                events.push((
                    uid(&mut rng),
                    "取消资格",
                    date(&mut rng, recognized.max(2018), 2025),
                    Some("示例：连续两年未履行传承义务（虚构）".to_string()),
                ));
            }
            let mut evaluations = Vec::new();
            for year in [2023, 2024] {
                if recognized < year && events.is_empty() && rng.chance(70) {
                    let grade = match rng.below(100) {
                        0..=24 => "优秀",
                        25..=95 => "合格",
                        _ => "不合格",
                    };
                    evaluations.push((uid(&mut rng), year, grade));
                }
            }
            let person = SynthPerson {
                uid: uid(&mut rng),
                name: person_name(&mut rng),
                sex: if rng.chance(45) { "女" } else { "男" },
                birth_date: date(&mut rng, birth_year, birth_year),
                death_date,
                employer: format!("示例{place}传习所"),
                resume: compose_text(&mut rng, 150),
                skills: compose_text(&mut rng, 200),
                teaching: compose_text(&mut rng, 100),
                recognitions,
                events,
                evaluations,
            };
            let person_id = db::synth::insert_person(tx, &person, item_id, now)?;
            report.inheritors += 1;
            let generation = if j == 0 {
                1 + rng.below(3) as i64
            } else {
                let (master, master_gen) = people[rng.below(people.len())];
                let generation = master_gen + 1;
                let kind = if rng.chance(25) { "家族" } else { "师徒" };
                let from_year = (birth_year + 18).min(2025);
                db::synth::insert_edge(
                    tx,
                    &uid(&mut rng),
                    item_id,
                    master,
                    person_id,
                    kind,
                    generation,
                    from_year,
                    now,
                )?;
                report.lineage_edges += 1;
                generation
            };
            people.push((person_id, generation));
        }

        // A protection unit for every three items.
        if i % 3 == 0 {
            let name = format!("示例保护单位{:06}·{place}文化站", i / 3 + 1);
            let unit_uid = uid(&mut rng);
            let body_note = SYNTH_OTHER_NOTE.to_string();
            units.push(db::synth::insert_unit(
                tx,
                &unit_uid,
                &name,
                &format!("示例{place}路{}号", 1 + rng.below(200)),
                &person_name(&mut rng),
                &body_note,
                now,
            )?);
            if rng.chance(40) {
                let result = if rng.chance(90) {
                    "合格"
                } else {
                    "限期整改"
                };
                db::synth::insert_unit_check(
                    tx,
                    &uid(&mut rng),
                    *units.last().unwrap_or(&0),
                    &date(&mut rng, 2022, 2025),
                    result,
                    now,
                )?;
            }
        }
        let unit_id = *units.last().unwrap_or(&0);
        db::synth::link_unit_item(tx, unit_id, item_id)?;

        // A five-year plan for every other item, with budget lines and spending.
        if rng.chance(50) {
            let start = if rng.chance(60) { 2021 } else { 2026 };
            let years: Vec<(String, String, String, i64)> = (start..start + 5)
                .map(|y| {
                    (
                        compose_text(&mut rng, 60),
                        compose_text(&mut rng, 80),
                        uid(&mut rng),
                        y,
                    )
                })
                .collect();
            let lines: Vec<db::synth::BudgetLineRows> = years
                .iter()
                .map(|(_, _, _, y)| {
                    let amount = 10_000 * rng.range(5, 80);
                    let spent = if *y < 2026 {
                        (0..rng.below(3))
                            .map(|_| {
                                (
                                    uid(&mut rng),
                                    format!("{y}-{:02}-{:02}", rng.range(3, 11), rng.range(1, 28)),
                                    amount / 4 + 100 * rng.range(1, 50),
                                )
                            })
                            .collect()
                    } else {
                        Vec::new()
                    };
                    let source = rng.pick(&["区级财政", "配套", "自筹", "区级财政"]);
                    (uid(&mut rng), *y, source, amount, spent)
                })
                .collect();
            db::synth::insert_plan(
                tx,
                &db::synth::PlanRows {
                    uid: uid(&mut rng),
                    item_id,
                    unit_id,
                    title: format!("示例项目{:06}五年保护计划（{start}—{}）", i + 1, start + 4),
                    start_year: start,
                    goals: compose_text(&mut rng, 200),
                    measures: compose_text(&mut rng, 200),
                    budget_basis: compose_text(&mut rng, 80),
                    years,
                    lines,
                },
                now,
            )?;
            report.plans += 1;
        }

        // Activities: one for every other item, with some of its people.
        if rng.chance(50) {
            let kinds = [
                "传承活动",
                "展演",
                "培训",
                "进校园",
                "展览",
                "非遗月",
                "调查",
                "其他",
            ];
            let kind = rng.pick(&kinds);
            let started = date(&mut rng, 2019, 2025);
            let people_ids: Vec<i64> = people.iter().take(rng.below(4)).map(|p| p.0).collect();
            db::synth::insert_activity(
                tx,
                &db::synth::ActivityRow {
                    uid: uid(&mut rng),
                    kind,
                    title: format!("示例活动·{place}{kind}{:06}", i + 1),
                    started_on: started,
                    place: format!("示例{place}广场"),
                    organizer: format!("示例{place}文化站"),
                    participants: rng.range(20, 800),
                    description: compose_text(&mut rng, 150),
                    item_id,
                    people: people_ids,
                },
                now,
            )?;
            report.activities += 1;
        }
    }
    let summary = serde_json::json!({
        "generator": "feiyi sample --scale",
        "seed": opts.seed,
        "items": report.items,
        "inheritors": report.inheritors,
        "lineageEdges": report.lineage_edges,
        "plans": report.plans,
        "activities": report.activities,
        "note": "示例数据：规模测试一次生成，逐条记录不单独写修改记录",
    });
    db::synth::log_generation(tx, &uid(&mut rng), &summary.to_string(), now)?;
    Ok(())
}

/// Writes `photos` 4000×3000 JPEGs and `videos` MP4s into `dir` (created if missing);
/// returns their paths. Photos are gradients with noise, so they do not compress to
/// nothing (about 3–5 MB each); videos come from `ffmpeg`'s test pattern and need
/// `ffmpeg` on PATH.
pub fn generate_media(dir: &Path, opts: &MediaSetOptions) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut out = Vec::new();
    let (w, h) = (4000u32, 3000u32);
    for k in 0..opts.photos {
        let mut rng = Rng::new(opts.seed.wrapping_add(k as u64));
        let (r0, g0, b0) = (rng.below(200), rng.below(200), rng.below(200));
        let mut buf = vec![0u8; (w * h * 3) as usize];
        let mut bits = 0u64;
        for y in 0..h {
            for x in 0..w {
                if x % 8 == 0 {
                    bits = rng.next_u64();
                }
                let noise = ((bits >> ((x % 8) * 8)) & 0x3F) as usize;
                let at = ((y * w + x) * 3) as usize;
                buf[at] = ((r0 + (x as usize * 55 / w as usize) + noise) % 256) as u8;
                buf[at + 1] = ((g0 + (y as usize * 55 / h as usize) + noise / 2) % 256) as u8;
                buf[at + 2] =
                    ((b0 + ((x + y) as usize * 40 / (w + h) as usize) + noise) % 256) as u8;
            }
        }
        let path = dir.join(format!("示例照片_{:04}.jpg", k + 1));
        let file = std::fs::File::create(&path).map_err(|e| Error::io(&path, e))?;
        let mut writer = std::io::BufWriter::new(file);
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut writer, 90)
            .encode(&buf, w, h, image::ExtendedColorType::Rgb8)
            .map_err(|e| Error::io(&path, std::io::Error::other(e.to_string())))?;
        std::io::Write::flush(&mut writer).map_err(|e| Error::io(&path, e))?;
        drop(writer);
        out.push(path);
    }
    for k in 0..opts.videos {
        let path = dir.join(format!("示例视频_{:02}.mp4", k + 1));
        let status = std::process::Command::new("ffmpeg")
            .args(["-y", "-loglevel", "error", "-f", "lavfi", "-i"])
            .arg("testsrc2=size=1920x1080:rate=25")
            .arg("-t")
            .arg(opts.video_seconds.max(1).to_string())
            .args(["-c:v", "libx264", "-pix_fmt", "yuv420p"])
            .arg(&path)
            .status();
        match status {
            Ok(s) if s.success() => out.push(path),
            Ok(s) => {
                return Err(Error::io(
                    &path,
                    std::io::Error::other(format!("ffmpeg 生成视频失败（{s}）")),
                ))
            }
            Err(e) => {
                return Err(Error::io(
                    &path,
                    std::io::Error::other(format!(
                        "生成视频需要 ffmpeg，请先安装 ffmpeg 并确保它在 PATH 中（{e}）"
                    )),
                ))
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_generator_is_deterministic() {
        let (mut a, mut b) = (Rng::new(7), Rng::new(7));
        assert_eq!(compose_text(&mut a, 300), compose_text(&mut b, 300));
        assert_eq!(a.uid(1), b.uid(1));
        assert!(compose_text(&mut a, 300).chars().count() >= 300);
        assert!(person_name(&mut a).starts_with("示例·"));
    }
}

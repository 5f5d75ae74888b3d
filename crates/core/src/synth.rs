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
//! generated registry.
//!
//! Media rows (item photos and recordings, inheritor portraits) point at small *real*
//! stand-in originals written into the registry's own store — a 64×48 JPEG, a quarter
//! second of 8 kHz WAV, each with its own content and so its own SHA-256 (the store is
//! content-addressed and a hash is unique) — so thumbnails, the media library and the
//! fixity check of `feiyi verify` work on them; their sizes and dimensions are the stand-ins'
//! true ones, and each is titled 示例. Large files for media tests come from
//! [`generate_media`] (`feiyi sample --media DIR`).

use crate::error::{Error, Result};
use crate::{db, Clock};
use chrono::SecondsFormat;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// The version of what the generator writes: raised whenever the same seed and size would
/// give different rows (the benchmark keys its cached registries by it).
pub const GENERATOR_VERSION: u32 = 2;

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
    /// Media rows (photos, recordings, portraits; small stand-in originals, see the
    /// module documentation).
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

    /// One element of a non-empty slice, the early ones more often: the index is
    /// `len × u³` for a uniform `u`, so the first tenth of the pool gets almost half the
    /// draws and the last tenth about 1 %.
    pub fn skewed<T: Copy>(&mut self, from: &[T]) -> T {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        from[((from.len() as f64 * u * u * u) as usize).min(from.len() - 1)]
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

/// Word pools of the text composer. A text is a run of sentences, each one or two clauses
/// assembled from these pools (several hundred words and phrases), with a skewed choice:
/// early entries of a pool are common, late ones rare. So 2–3 character queries range
/// from "in most items" to "in a few", and a 6-character query (which mostly spans two
/// words) is rare, as in real 申报书 texts.
const TIME: [&str; 40] = [
    "清代中叶以来",
    "民国时期",
    "二十世纪五十年代",
    "改革开放以后",
    "每逢农历正月",
    "旧时乡间",
    "相传明代初年",
    "新中国成立后",
    "近二十年来",
    "据地方志记载",
    "每年庙会期间",
    "农闲时节",
    "二〇〇六年普查时",
    "经过多年挖掘整理",
    "在传承人带领下",
    "由于城镇化加快",
    "在文化站支持下",
    "按照保护规划",
    "历经数代传承",
    "抗战胜利前后",
    "光绪年间",
    "乾隆年间",
    "道光以后",
    "二十世纪八十年代",
    "九十年代中期",
    "每逢端午",
    "中秋前后",
    "腊月里",
    "麦收之后",
    "秋收以后",
    "集市逢五逢十",
    "婚嫁喜庆之时",
    "祭祖之日",
    "元宵灯节",
    "清明前后",
    "三月三庙会上",
    "上世纪六十年代",
    "二〇一〇年以后",
    "疫情期间",
    "近年来",
];
const SUBJ: [&str; 50] = [
    "老艺人",
    "传承人",
    "当地村民",
    "匠人",
    "班社",
    "学徒",
    "艺人们",
    "手艺人",
    "民间艺人",
    "文化站",
    "保护单位",
    "家族后人",
    "乡里老人",
    "青年学员",
    "合作社",
    "作坊主",
    "师傅们",
    "演员",
    "鼓手",
    "琴师",
    "绣娘",
    "窑工",
    "木匠",
    "石匠",
    "铁匠",
    "篾匠",
    "酿酒师傅",
    "药师",
    "说书人",
    "戏班",
    "舞狮队",
    "锣鼓队",
    "村委会",
    "非遗中心",
    "文化馆",
    "志愿者",
    "研究人员",
    "地方学者",
    "收藏爱好者",
    "中小学教师",
    "返乡青年",
    "妇女小组",
    "老年协会",
    "社区居民",
    "商户",
    "摊主",
    "庙会会首",
    "族中长辈",
    "嫡传弟子",
    "外姓徒弟",
];
const ADV: [&str; 30] = [
    "一直",
    "仍然",
    "多在",
    "常常",
    "逐步",
    "坚持",
    "已经",
    "曾经",
    "自发地",
    "定期",
    "陆续",
    "反复",
    "专门",
    "每年",
    "认真",
    "悉心",
    "集中",
    "长期",
    "先后",
    "主动",
    "轮流",
    "偶尔",
    "世代",
    "依旧",
    "率先",
    "还",
    "都",
    "又",
    "也",
    "再",
];
const VERB: [&str; 70] = [
    "传承", "制作", "演唱", "表演", "整理", "传授", "保存", "收集", "编织", "雕刻", "烧制", "绘制",
    "记录", "修复", "展示", "研究", "培训", "挖掘", "改进", "创作", "演奏", "讲述", "编排", "酿造",
    "炮制", "熬制", "打磨", "裱糊", "扎制", "剪刻", "描画", "捏塑", "锻打", "蒸煮", "晾晒", "发酵",
    "搓揉", "缝制", "印染", "拓印", "誊抄", "排练", "教唱", "口述", "拍摄", "录制", "申报", "考证",
    "比对", "复原", "翻新", "仿制", "配制", "筛选", "浸泡", "熏烤", "装裱", "描金", "镂刻", "拼接",
    "弹唱", "说唱", "吟诵", "舞动", "祭拜", "供奉", "采集", "栽种", "加工", "贩运",
];
const MODIFIER: [&str; 60] = [
    "传统",
    "古老",
    "精美",
    "朴素",
    "独特",
    "完整",
    "珍贵",
    "地道",
    "本地",
    "祖传",
    "手工",
    "民间",
    "乡土",
    "老式",
    "细腻",
    "粗犷",
    "吉祥",
    "喜庆",
    "庄重",
    "热闹",
    "别致",
    "稀见",
    "残存",
    "散佚",
    "零星",
    "成套",
    "整本",
    "大型",
    "小巧",
    "彩色",
    "青灰色",
    "朱红",
    "靛蓝",
    "金黄",
    "雪白",
    "黝黑",
    "竹制",
    "木制",
    "陶制",
    "铜制",
    "铁制",
    "石制",
    "纸质",
    "布质",
    "丝质",
    "皮质",
    "草编",
    "柳编",
    "泥制",
    "面制",
    "三层",
    "九孔",
    "八角",
    "六棱",
    "双面",
    "四季",
    "百年",
    "千层",
    "十三道",
    "七十二种",
];
const NOUN: [&str; 89] = [
    "技艺",
    "曲目",
    "工具",
    "作品",
    "图案",
    "唱腔",
    "配方",
    "工序",
    "器物",
    "纹样",
    "剧本",
    "唱本",
    "乐谱",
    "锣鼓经",
    "拳谱",
    "药方",
    "窑口",
    "作坊",
    "模具",
    "刻刀",
    "织机",
    "染缸",
    "酒曲",
    "酱缸",
    "蒸笼",
    "石磨",
    "油坊",
    "纸槽",
    "竹篾",
    "柳条",
    "麦秸",
    "高粱秆",
    "黄泥",
    "胶泥",
    "面团",
    "彩纸",
    "宣纸",
    "丝线",
    "棉布",
    "蓝印花布",
    "皮影人",
    "木偶头",
    "脸谱",
    "戏服",
    "头饰",
    "花灯",
    "龙头",
    "狮头",
    "旱船",
    "高跷",
    "鼓架",
    "唢呐",
    "二胡",
    "琵琶",
    "坠胡",
    "柳琴",
    "渔鼓",
    "简板",
    "檀板",
    "木鱼",
    "铜钹",
    "手锣",
    "大鼓",
    "年画版",
    "门神像",
    "窗花",
    "剪样",
    "绣片",
    "荷包",
    "肚兜",
    "虎头鞋",
    "面花",
    "糖人",
    "泥哨",
    "陶埙",
    "石碑",
    "族谱",
    "契约",
    "账册",
    "老照片",
    "手抄本",
    "口述史",
    "影像资料",
    "传习所",
    "展示馆",
    "传承基地",
    "演出场次",
    "学徒名册",
    "保护档案",
];
const PRED: [&str; 60] = [
    "保存较为完整",
    "流传至今",
    "远近闻名",
    "独具特色",
    "亟待抢救",
    "后继乏人",
    "影响深远",
    "日渐稀少",
    "颇受欢迎",
    "代代相承",
    "寓意吉祥",
    "讲究火候",
    "全凭手感",
    "秘不外传",
    "自成一派",
    "韵味独特",
    "刚柔相济",
    "构图饱满",
    "色彩艳丽",
    "线条流畅",
    "声腔高亢",
    "节奏明快",
    "古朴大方",
    "做工考究",
    "用料讲究",
    "工序繁复",
    "风格质朴",
    "气氛热烈",
    "观者如堵",
    "经久不衰",
    "屡获奖项",
    "名噪一时",
    "濒临失传",
    "逐渐复苏",
    "重焕生机",
    "有待整理",
    "尚未出版",
    "散落民间",
    "已入档案",
    "另有别名",
    "说法不一",
    "来历可考",
    "源流清楚",
    "脉络分明",
    "地方色彩浓郁",
    "实用与审美兼备",
    "具有研究价值",
    "深受群众喜爱",
    "传播范围较广",
    "只在本村流传",
    "仅存数件",
    "多达百余种",
    "长达数十米",
    "重约百斤",
    "历时三月有余",
    "需二十余道工序",
    "须经九蒸九晒",
    "以口传心授为主",
    "兼收外姓徒弟",
    "不断推陈出新",
];
const LINK: [&str; 12] = [
    "，",
    "，",
    "，",
    "，并",
    "，同时",
    "，因而",
    "，但",
    "，其中",
    "，至今",
    "，后来",
    "，所以",
    "，而且",
];
const END: [&str; 8] = ["。", "。", "。", "。", "；", "。", "！", "。"];

/// The words of one clause (see [`TIME`]): time, subject, adverb, verb, modifier, noun,
/// predicate, each drawn with a skew toward the early entries of its pool.
fn clause(rng: &mut Rng, s: &mut String) {
    let obj = |rng: &mut Rng, s: &mut String| {
        if rng.chance(60) {
            s.push_str(rng.skewed(&MODIFIER));
        }
        s.push_str(rng.skewed(&NOUN));
    };
    match rng.below(5) {
        0 => {
            s.push_str(rng.skewed(&TIME));
            s.push('，');
            s.push_str(rng.skewed(&SUBJ));
            s.push_str(rng.skewed(&VERB));
            obj(rng, s);
        }
        1 => {
            s.push_str(rng.skewed(&SUBJ));
            if rng.chance(70) {
                s.push_str(rng.skewed(&ADV));
            }
            s.push_str(rng.skewed(&VERB));
            s.push('的');
            obj(rng, s);
            s.push_str(rng.skewed(&PRED));
        }
        2 => {
            obj(rng, s);
            s.push_str(rng.skewed(&PRED));
        }
        3 => {
            s.push_str(rng.skewed(&SUBJ));
            s.push('用');
            obj(rng, s);
            s.push_str(rng.skewed(&VERB));
            obj(rng, s);
        }
        _ => {
            s.push('其');
            s.push_str(rng.skewed(&NOUN));
            s.push_str(rng.skewed(&PRED));
        }
    }
}
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
        let before = s.len();
        clause(rng, &mut s);
        if rng.chance(55) {
            s.push_str(rng.pick(&LINK));
            clause(rng, &mut s);
        }
        s.push_str(rng.pick(&END));
        n += s[before..].chars().count();
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
        fill(tx, dir, opts, &now, &mut report)
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
    dir: &Path,
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
    let store = crate::media::store::Store::new(dir);
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
        // Media: most items a photo or two, a few a recording.
        let photos = usize::from(rng.chance(60)) + usize::from(rng.chance(20));
        for k in 0..photos {
            let m = stand_in(&mut rng, &store, StandIn::Photo, i, &place)?;
            let link = (
                uid(&mut rng),
                "item",
                item.uid.clone(),
                "照片",
                k as i64 + 1,
            );
            db::synth::insert_media(tx, &uid(&mut rng), &m, &link, now)?;
            report.media += 1;
        }
        if rng.chance(5) {
            let m = stand_in(&mut rng, &store, StandIn::Audio, i, &place)?;
            let link = (uid(&mut rng), "item", item.uid.clone(), "录音", 1);
            db::synth::insert_media(tx, &uid(&mut rng), &m, &link, now)?;
            report.media += 1;
        }

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
            if rng.chance(10) {
                let m = stand_in(&mut rng, &store, StandIn::Portrait, i, &place)?;
                let link = (uid(&mut rng), "inheritor", person.uid.clone(), "肖像", 1);
                db::synth::insert_media(tx, &uid(&mut rng), &m, &link, now)?;
                report.media += 1;
            }
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
        "media": report.media,
        "note": "示例数据：规模测试一次生成，逐条记录不单独写修改记录",
    });
    db::synth::log_generation(tx, &uid(&mut rng), &summary.to_string(), now)?;
    Ok(())
}

/// What kind of stand-in original to make.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StandIn {
    /// An item photo (64×48 JPEG).
    Photo,
    /// An inheritor portrait (48×64 JPEG).
    Portrait,
    /// A recording (a quarter second of 8 kHz 8-bit mono WAV).
    Audio,
}

/// One generated media record: its stand-in original is already in the store.
#[derive(Debug, Clone)]
pub struct SynthMedia {
    /// SHA-256 of the stand-in (its name in the store).
    pub sha256: String,
    /// `jpg` or `wav`.
    pub ext: &'static str,
    /// 照片 or 音频.
    pub kind: &'static str,
    /// MIME type.
    pub mime: &'static str,
    /// The name it was "imported" under.
    pub original_name: String,
    /// The stand-in's true size.
    pub size_bytes: i64,
    /// Pixels (photos).
    pub width: Option<i64>,
    /// Pixels (photos).
    pub height: Option<i64>,
    /// Length (recordings).
    pub duration_ms: Option<i64>,
    /// Title (示例).
    pub title: String,
    /// Caption.
    pub caption: String,
    /// When it shows (free text).
    pub caption_time: String,
    /// Where it shows.
    pub caption_place: String,
    /// Who made it.
    pub creator: String,
}

/// A media link: uid, entity kind, entity uid, role, order.
pub type SynthLink = (String, &'static str, String, &'static str, i64);

/// Makes a stand-in original with content of its own, writes it into the store (unless a
/// file of that hash is already there) and describes it.
fn stand_in(
    rng: &mut Rng,
    store: &crate::media::store::Store,
    kind: StandIn,
    item: usize,
    place: &str,
) -> Result<SynthMedia> {
    use sha2::{Digest, Sha256};
    let (bytes, ext, w, h, ms) = match kind {
        StandIn::Photo | StandIn::Portrait => {
            let (w, h) = if kind == StandIn::Photo {
                (64u32, 48u32)
            } else {
                (48, 64)
            };
            let (r0, g0, b0) = (rng.below(160), rng.below(160), rng.below(160));
            let mut buf = Vec::with_capacity((w * h * 3) as usize);
            for y in 0..h {
                let bits = rng.next_u64();
                for x in 0..w {
                    let n = ((bits >> (x % 64)) & 1) as usize * 6;
                    buf.push((r0 + x as usize + n) as u8);
                    buf.push((g0 + y as usize + n) as u8);
                    buf.push((b0 + (x + y) as usize / 2) as u8);
                }
            }
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
                .encode(&buf, w, h, image::ExtendedColorType::Rgb8)
                .map_err(|e| Error::Conflict(format!("示例照片编码失败：{e}")))?;
            (out, "jpg", Some(w as i64), Some(h as i64), None)
        }
        StandIn::Audio => {
            let samples = 2000u32; // 0.25 s at 8 kHz
            let mut out = Vec::with_capacity(44 + samples as usize);
            out.extend_from_slice(b"RIFF");
            out.extend_from_slice(&(36 + samples).to_le_bytes());
            out.extend_from_slice(b"WAVEfmt ");
            out.extend_from_slice(&16u32.to_le_bytes());
            out.extend_from_slice(&1u16.to_le_bytes()); // PCM
            out.extend_from_slice(&1u16.to_le_bytes()); // mono
            out.extend_from_slice(&8000u32.to_le_bytes());
            out.extend_from_slice(&8000u32.to_le_bytes());
            out.extend_from_slice(&1u16.to_le_bytes());
            out.extend_from_slice(&8u16.to_le_bytes());
            out.extend_from_slice(b"data");
            out.extend_from_slice(&samples.to_le_bytes());
            let step = 1 + rng.below(9);
            for t in 0..samples as usize {
                let tone = if (t / step).is_multiple_of(2) {
                    160u8
                } else {
                    96
                };
                out.push(tone.wrapping_add((rng.next_u64() & 3) as u8));
            }
            (out, "wav", None, None, Some(250))
        }
    };
    let sha256 = hex::encode(Sha256::digest(&bytes));
    let path = store.path_of(&sha256, ext)?;
    if !path.exists() {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        std::fs::write(&path, &bytes).map_err(|e| Error::io(&path, e))?;
    }
    let year = rng.range(2008, 2025);
    let (what, kind_name, mime, prefix) = match kind {
        StandIn::Photo => ("项目照片", "照片", "image/jpeg", "IMG"),
        StandIn::Portrait => ("传承人肖像", "照片", "image/jpeg", "DSC"),
        StandIn::Audio => ("项目录音", "音频", "audio/wav", "REC"),
    };
    let scene = rng.skewed(&VERB);
    Ok(SynthMedia {
        original_name: format!("{prefix}_{:06}_{:04}.{ext}", item + 1, rng.below(10_000)),
        size_bytes: bytes.len() as i64,
        sha256,
        ext,
        kind: kind_name,
        mime,
        width: w,
        height: h,
        duration_ms: ms,
        title: format!("示例{what}·示例项目{:06}", item + 1),
        caption: format!("示例：{place}艺人{scene}{}（虚构）", rng.skewed(&NOUN)),
        caption_time: format!("{year}年{}月", rng.range(1, 12)),
        caption_place: format!("示例{place}传习所"),
        creator: format!("示例{place}文化站"),
    })
}

/// Writes `photos` 4000×3000 JPEGs and `videos` MP4s into `dir` (created if missing);
/// returns their paths. Photos are gradients with noise, so they do not compress to
/// nothing (about 3–5 MB each); videos come from `ffmpeg`'s test pattern and need
/// `ffmpeg` on PATH.
pub fn generate_media(dir: &Path, opts: &MediaSetOptions) -> Result<Vec<PathBuf>> {
    // Asked for videos without ffmpeg: say so before spending minutes on photos.
    if opts.videos > 0
        && !std::process::Command::new("ffmpeg")
            .arg("-version")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    {
        return Err(Error::Conflict(
            "生成视频需要 ffmpeg：请先安装 ffmpeg 并确保它在 PATH 中，或不加 --videos 只生成照片"
                .into(),
        ));
    }
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

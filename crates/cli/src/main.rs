//! `feiyi`: the register from the command line, over the same core API as the desktop app.
//!
//! Every subcommand takes `--data-dir DIR` (or `FEIYI_DATA_DIR`) and `--json`.
//! Exit codes: 0 ok, 1 domain failure (validation, not found, conflict, refused file),
//! 2 usage or I/O error. Errors are written in Chinese to stderr.

#![allow(clippy::print_stdout)]

use clap::{Args, Parser, Subcommand};
use feiyi_core::model::{
    BackupReason, ConflictChoice, ExchangeExportRequest, ExchangePreview, ImportOutcome,
    InheritorInput, InheritorQuery, ItemInput, ItemQuery, ItemSort, ItemTexts, ListImportReport,
    ListImportRequest, MediaImportStatus, MediaLinkTarget, MediaQuery, PackageOptions,
    RecognitionInput, RegistryKind, Severity, StatCell, Statistics, StatsQuery, UnitInput,
};
use feiyi_core::{system_clock, Error, Registry};
use serde::Serialize;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The app's identifier: the desktop app keeps its default registry in the OS
/// app-data folder under this name, and so does the CLI.
const APP_ID: &str = "cn.feiyi.registry";

#[derive(Parser)]
#[command(
    name = "feiyi",
    version,
    about = "非遗名录：区级非物质文化遗产代表性项目名录（命令行）"
)]
struct Cli {
    #[command(flatten)]
    common: Common,
    #[command(subcommand)]
    command: Command,
}

#[derive(Args, Clone)]
struct Common {
    /// 名录文件夹（默认：FEIYI_DATA_DIR，或系统应用数据目录）
    #[arg(long, global = true, env = "FEIYI_DATA_DIR")]
    data_dir: Option<PathBuf>,
    /// 以 JSON 输出
    #[arg(long, global = true)]
    json: bool,
}

/// `feiyi sample` flags: none for the small fictional sample; `--scale` or `--media` for
/// the scale generator (`feiyi_core::synth`).
#[derive(Args)]
struct SampleArgs {
    /// 生成含 N 个虚构项目的规模测试示例名录（写入 --data-dir，该文件夹中不能已有名录）
    #[arg(long, value_name = "N", conflicts_with = "media")]
    scale: Option<usize>,
    /// 随机种子（同一种子生成相同的数据）
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// 在 DIR 中生成测试用照片（4000×3000 JPEG）和视频（MP4，需要 ffmpeg）
    #[arg(long, value_name = "DIR")]
    media: Option<PathBuf>,
    /// 照片张数（与 --media 一起用）
    #[arg(long, default_value_t = 20, requires = "media")]
    photos: usize,
    /// 视频个数（与 --media 一起用）
    #[arg(long, default_value_t = 0, requires = "media")]
    videos: usize,
    /// 每个视频的秒数（与 --media 一起用）
    #[arg(long, default_value_t = 60, requires = "media")]
    video_seconds: u32,
}

#[derive(Subcommand)]
enum Command {
    /// 新建正式名录（含类别、镇街和第六批）
    Init,
    /// 新建示例名录（虚构数据，仅供演示）；--scale N 生成规模测试名录，--media DIR 生成测试照片和视频
    Sample(SampleArgs),
    /// 显示名录信息
    Info,
    /// 批次
    #[command(subcommand)]
    Batch(BatchCommand),
    /// 项目
    #[command(subcommand)]
    Item(ItemCommand),
    /// 检查数据库完整性和修改记录链
    Verify,
    /// 传承人
    #[command(subcommand)]
    Inheritor(InheritorCommand),
    /// 保护单位
    #[command(subcommand)]
    Unit(UnitCommand),
    /// 传承谱系
    #[command(subcommand)]
    Lineage(LineageCommand),
    /// 资料库：照片、视频、录音和文档
    #[command(subcommand)]
    Media(MediaCommand),
    /// 申报市级名录：申报体检、申报配置
    #[command(subcommand)]
    Application(ApplicationCommand),
    /// 备份与恢复（备份在名录文件夹的 backups/ 中）
    #[command(subcommand)]
    Backup(BackupCommand),
    /// 导入已有名录（Excel/CSV 表格），查看导入记录，整体撤销一次导入
    #[command(subcommand)]
    Import(ImportCommand),
    /// 交换包：在几台电脑之间合并名录，或把名录报送市局
    #[command(subcommand)]
    Exchange(ExchangeCommand),
    /// 提醒：到期的评估、检查、报送、保护计划、非遗月和资料缺漏；推迟、忽略、恢复；提醒设置
    Reminders(RemindersArgs),
    /// 统计：项目、传承人、经费和活动的统计表；export 导出年度工作统计表（Excel）
    Stats(StatsArgs),
    /// 年度工作报告（Word 和 PDF）
    #[command(subcommand)]
    Report(ReportCommand),
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
struct RemindersArgs {
    /// 同时列出已推迟和已忽略的提醒
    #[arg(long)]
    all: bool,
    #[command(subcommand)]
    command: Option<ReminderCommand>,
}

#[derive(Subcommand)]
enum ReminderCommand {
    /// 推迟一条提醒到某一天（含当天，最多一年），之后重新出现
    Snooze {
        /// 提醒的键（见 feiyi reminders 每行末尾）
        key: String,
        /// 推迟到的日期（YYYY-MM-DD）
        #[arg(long)]
        until: String,
        /// 推迟的理由
        #[arg(long)]
        reason: Option<String>,
    },
    /// 忽略一条提醒（须写明理由，如“已报送”）
    Dismiss {
        /// 提醒的键
        key: String,
        /// 忽略的理由
        #[arg(long)]
        reason: String,
    },
    /// 撤销对一条提醒的推迟或忽略
    Restore {
        /// 提醒的键
        key: String,
    },
    /// 显示提醒设置；用 --set 字段=值 修改（可重复），如
    /// --set annualReportDue=12-15 --set elderAge=85
    Settings {
        /// 要修改的设置：字段=值（字段名见 feiyi reminders settings 的括号内）
        #[arg(long = "set", value_name = "FIELD=VALUE")]
        set: Vec<String>,
    },
}

#[derive(Args)]
struct StatsArgs {
    /// 统计年度（经费和活动各表按此年度统计；默认今年）
    #[arg(long, global = true)]
    year: Option<i64>,
    #[command(subcommand)]
    command: Option<StatsCommand>,
}

#[derive(Subcommand)]
enum StatsCommand {
    /// 导出年度工作统计表（目录 + 每张统计表一个工作表）；--table 只导出一张表
    Export {
        /// 导出文件（.xlsx）
        #[arg(long)]
        out: PathBuf,
        /// 只导出这张统计表，如 items_by_level、funds_by_year（见 feiyi stats --json 的 key）
        #[arg(long)]
        table: Option<String>,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// 写出某年度的非物质文化遗产保护工作报告（.docx 和 .pdf），打印两个文件的路径
    Annual {
        /// 报告年度，如 2026
        #[arg(long)]
        year: i64,
        /// 保存到哪个文件夹（须已存在；同名报告会被替换）
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum ExchangeCommand {
    /// 写出交换包（ZIP）：记录及其修改记录、所需的资料原件、清单和校验值
    Export {
        /// 只包括此日期（YYYY-MM-DD）以来修改过的记录（及其引用的记录）
        #[arg(long, conflicts_with = "all", required_unless_present = "all")]
        since: Option<String>,
        /// 包括整个名录（含回收站中的记录）
        #[arg(long)]
        all: bool,
        /// 交换包文件（.zip）
        #[arg(long)]
        out: PathBuf,
        /// 不带资料原件（只带资料的登记信息）
        #[arg(long)]
        no_media: bool,
    },
    /// 检查交换包并列出导入后会新增、更新的记录和冲突（不做任何改动）
    Inspect {
        /// 交换包文件
        file: PathBuf,
    },
    /// 导入交换包并合并；有冲突而未选择时列出冲突，退出码为 1，不做任何改动
    Import {
        /// 交换包文件
        file: PathBuf,
        /// 所有冲突都保留本机（local）或都采用包中（remote）的内容
        #[arg(long, value_parser = ["local", "remote"])]
        take: Option<String>,
        /// 逐项选择：类型:ID:字段=local|remote（可重复），如 item:0190…:name=remote
        #[arg(long = "choice")]
        choices: Vec<String>,
    },
}

#[derive(Subcommand)]
enum BackupCommand {
    /// 立即备份名录数据库（连同资料清单）
    Create {
        /// 备注，如“月底备份”
        #[arg(long)]
        note: Option<String>,
    },
    /// 列出备份，最新的在前（--json 给出每个备份的 id 和时间）
    List,
    /// 把名录恢复到某个备份（恢复前先备份当前状态）
    Restore {
        /// 备份 ID（见 feiyi backup list）
        id: String,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// 导入名录表格（.xlsx/.xls/.ods/.csv，GBK 或 UTF-8）：自动识别表头、旧类别名称和编号；
    /// 有错误的行不导入；整个导入在一个事务中完成，可用 feiyi import undo 整体撤销
    List {
        /// 名录表格文件
        file: PathBuf,
        /// 表中没有批次时，全部导入到第 N 批（如 6 = 第六批，台政字〔2022〕33号）
        #[arg(long)]
        batch: Option<i64>,
        /// 读取的工作表名称（默认：第一个有表头的工作表）
        #[arg(long)]
        sheet: Option<String>,
        /// 只预览每一行将如何导入，不写入名录
        #[arg(long)]
        dry_run: bool,
    },
    /// 整体撤销一次导入：导入的项目全部移入回收站（可逐个恢复）
    Undo {
        /// 导入编号（见 feiyi import history）
        import_id: String,
        /// 撤销原因（写入修改记录）
        #[arg(long, default_value = "命令行撤销导入")]
        reason: String,
    },
    /// 列出导入记录（最新的在前）
    History,
}

#[derive(Subcommand)]
enum ApplicationCommand {
    /// 申报体检：按申报配置检查项目的申报材料，有错误时退出码为 1
    Check {
        /// 项目 ID
        item: String,
        /// 申报配置名称（默认：zaozhuang-municipal，枣庄市级申报）
        #[arg(long)]
        profile: Option<String>,
    },
    /// 导出申报材料：申报书、传承人申报表、保护计划、照片集、授权书（DOCX 和 PDF），
    /// 资料原件，manifest.json 和 SHA256SUMS，写入 --out 下新建的文件夹
    Export {
        /// 项目 ID
        item: String,
        /// 申报配置名称（默认：zaozhuang-municipal，枣庄市级申报）
        #[arg(long)]
        profile: Option<String>,
        /// 导出到的文件夹（在其中新建“编号 项目名 申报材料”文件夹）
        #[arg(long)]
        out: PathBuf,
        /// 同时打包为一个 ZIP 文件
        #[arg(long)]
        zip: bool,
        /// 申报体检有错误时仍然导出（写入修改记录）
        #[arg(long)]
        force: bool,
        /// 与 --force 同用：越过错误的原因（默认“命令行 --force 导出”）
        #[arg(long)]
        reason: Option<String>,
    },
    /// 列出申报配置（软件自带的和另存的副本）
    Profiles,
}

#[derive(Subcommand)]
enum MediaCommand {
    /// 导入文件到资料库（原件按 SHA-256 保存，不做改动；相同文件只存一份）
    Import {
        /// 要导入的文件（可多个）
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// 同时关联到该项目（项目 ID）
        #[arg(long)]
        item: Option<String>,
        /// 关联用途，如 照片、录音、扫描件（默认按文件类型）
        #[arg(long, requires = "item")]
        role: Option<String>,
    },
    /// 列出资料
    List {
        /// 只列出关联到该项目（项目 ID）的资料
        #[arg(long)]
        item: Option<String>,
        /// 搜索：标题、说明或原文件名
        #[arg(long)]
        query: Option<String>,
    },
    /// 重新计算每个原件的 SHA-256，检查缺失、被改动和多余的文件
    Verify,
    /// 从文件夹（含子文件夹）中按 SHA-256 找回缺失的原件
    Relink {
        /// 存有原件副本的文件夹（如备份盘、U 盘）
        folder: PathBuf,
    },
    /// 补齐缺少的缩略图和预览图（可随时从原件重建）
    Thumbs,
}

#[derive(Subcommand)]
enum InheritorCommand {
    /// 列出传承人（身份证号、电话已遮蔽）
    List {
        /// 搜索：姓名、拼音或首字母
        #[arg(long)]
        query: Option<String>,
        /// 只列出某项目的传承人（项目 ID）
        #[arg(long)]
        item: Option<String>,
        /// 把符合条件的全部传承人导出为 Excel 表格（.xlsx；不含身份证号、电话）
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
    /// 显示一位传承人的全部信息
    Show {
        /// 传承人 ID
        id: String,
    },
    /// 新增传承人（从 JSON 文件或参数）
    Add {
        /// JSON 文件（字段同桌面程序的传承人表单）
        #[arg(long, conflicts_with = "name")]
        file: Option<PathBuf>,
        /// 姓名
        #[arg(long, required_unless_present = "file")]
        name: Option<String>,
        /// 性别：男 / 女
        #[arg(long)]
        sex: Option<String>,
        /// 出生年月，如 1956-03
        #[arg(long)]
        birth: Option<String>,
        /// 身份证号
        #[arg(long)]
        id_number: Option<String>,
        /// 联系电话
        #[arg(long)]
        phone: Option<String>,
        /// 同时认定为该项目（项目 ID）的区级代表性传承人
        #[arg(long)]
        item: Option<String>,
    },
}

#[derive(Subcommand)]
enum UnitCommand {
    /// 列出保护单位
    List {
        /// 搜索：名称、拼音或首字母
        #[arg(long)]
        query: Option<String>,
    },
    /// 显示一个保护单位
    Show {
        /// 保护单位 ID
        id: String,
    },
    /// 新增保护单位（从 JSON 文件或参数）
    Add {
        /// JSON 文件（字段同桌面程序的保护单位表单）
        #[arg(long, conflicts_with = "name")]
        file: Option<PathBuf>,
        /// 单位名称
        #[arg(long, required_unless_present = "file")]
        name: Option<String>,
        /// 统一社会信用代码
        #[arg(long)]
        credit_code: Option<String>,
        /// 法定代表人
        #[arg(long)]
        legal_rep: Option<String>,
        /// 联系电话
        #[arg(long)]
        phone: Option<String>,
        /// 保护的项目（项目 ID，可重复）
        #[arg(long)]
        item: Vec<String>,
    },
}

#[derive(Subcommand)]
enum LineageCommand {
    /// 显示项目的传承谱系表（按代别）
    Show {
        /// 项目 ID
        item: String,
    },
}

#[derive(Subcommand)]
enum BatchCommand {
    /// 列出批次（公布数与已录入数）
    List {
        /// 列出回收站中的批次
        #[arg(long)]
        deleted: bool,
    },
}

#[derive(Subcommand)]
enum ItemCommand {
    /// 列出项目（可筛选、搜索）
    List {
        /// 批次序号，如 6
        #[arg(long)]
        batch: Option<i64>,
        /// 类别，如 Ⅷ（也接受 VIII 或 8）
        #[arg(long)]
        category: Option<String>,
        /// 级别：区级 / 市级 / 省级 / 国家级
        #[arg(long)]
        level: Option<String>,
        /// 镇街代码
        #[arg(long)]
        township: Option<String>,
        /// 搜索：中文、拼音或首字母
        #[arg(long)]
        query: Option<String>,
        /// 第几页（从 1 开始）
        #[arg(long, default_value_t = 1)]
        page: i64,
        /// 每页条数
        #[arg(long, default_value_t = 100)]
        page_size: i64,
        /// 把符合条件的全部项目（不分页）导出为 Excel 表格（.xlsx），名录公布表的格式
        #[arg(long, value_name = "FILE")]
        xlsx: Option<PathBuf>,
    },
    /// 显示一个项目的全部字段
    Show {
        /// 项目 ID
        id: String,
    },
    /// 新增项目（从 JSON 文件或参数）
    Add {
        /// JSON 文件（字段同桌面程序的项目表单，如 {"name":…,"category":"Ⅷ","batchNumber":6}）
        #[arg(long, conflicts_with_all = ["name", "category"])]
        file: Option<PathBuf>,
        /// 项目名称
        #[arg(long, required_unless_present = "file")]
        name: Option<String>,
        /// 类别，如 Ⅷ
        #[arg(long, required_unless_present = "file")]
        category: Option<String>,
        /// 批次序号，如 6
        #[arg(long)]
        batch: Option<i64>,
        /// 类别内序号（留空自动编号）
        #[arg(long)]
        seq: Option<i64>,
        /// 项目简介
        #[arg(long)]
        summary: Option<String>,
        /// 镇街代码（可重复）
        #[arg(long)]
        township: Vec<String>,
    },
}

/// A failure: domain (exit 1) or usage/I/O (exit 2).
enum Failure {
    Domain(String),
    Usage(String),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        let mut msg = e.to_string();
        for f in e.fields() {
            msg.push_str(&format!("\n  - {}：{}", f.field, f.message));
        }
        if e.is_domain() {
            Failure::Domain(msg)
        } else {
            Failure::Usage(msg)
        }
    }
}

type Outcome = Result<(), Failure>;

fn data_dir(common: &Common) -> Result<PathBuf, Failure> {
    match &common.data_dir {
        Some(d) => Ok(d.clone()),
        None => dirs::data_dir().map(|d| d.join(APP_ID)).ok_or_else(|| {
            Failure::Usage("找不到系统应用数据目录，请用 --data-dir 指定名录文件夹".into())
        }),
    }
}

fn open(common: &Common) -> Result<Registry, Failure> {
    let dir = data_dir(common)?;
    if !dir.join(feiyi_core::api::DB_FILE).exists() {
        return Err(Failure::Usage(format!(
            "“{}”中没有名录，请先运行 feiyi init --data-dir {} 或 feiyi sample --data-dir {}",
            dir.display(),
            dir.display(),
            dir.display()
        )));
    }
    let reg = Registry::open(&dir, system_clock())?;
    if reg.kind()? == RegistryKind::Sample {
        eprintln!("注意：这是示例名录（虚构数据，仅供演示），不是正式名录。");
    }
    Ok(reg)
}

fn emit<T: Serialize>(
    common: &Common,
    value: &T,
    human: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Outcome {
    let stdout = std::io::stdout();
    let mut out = stdout.lock();
    let res = if common.json {
        serde_json::to_writer_pretty(&mut out, value)
            .map_err(std::io::Error::other)
            .and_then(|_| writeln!(out))
    } else {
        human(&mut out)
    };
    res.map_err(|e| Failure::Usage(format!("输出失败：{e}")))
}

fn create(common: &Common, kind: RegistryKind) -> Outcome {
    let dir = data_dir(common)?;
    if dir.join(feiyi_core::api::DB_FILE).exists() {
        return Err(Failure::Domain(format!(
            "“{}”中已有名录，不会覆盖",
            dir.display()
        )));
    }
    let reg = Registry::create(&dir, kind, system_clock())?;
    let info = reg.info()?;
    emit(common, &info, |o| {
        writeln!(
            o,
            "已新建{}：{}（{} 个项目）",
            info.title, info.data_dir, info.item_count
        )
    })
}

fn sample(common: &Common, args: SampleArgs) -> Outcome {
    if let Some(dir) = &args.media {
        let opts = feiyi_core::synth::MediaSetOptions {
            photos: args.photos,
            videos: args.videos,
            video_seconds: args.video_seconds,
            seed: args.seed,
        };
        let files = feiyi_core::synth::generate_media(dir, &opts)?;
        let photos = files
            .iter()
            .filter(|f| f.extension().is_some_and(|e| e == "jpg"))
            .count();
        let summary = serde_json::json!({
            "dir": dir.display().to_string(),
            "photos": photos,
            "videos": files.len() - photos,
            "files": files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>(),
        });
        return emit(common, &summary, |o| {
            writeln!(
                o,
                "已在“{}”中生成 {} 张照片、{} 个视频（示例，虚构）",
                dir.display(),
                photos,
                files.len() - photos
            )
        });
    }
    let Some(items) = args.scale else {
        return create(common, RegistryKind::Sample);
    };
    let dir = data_dir(common)?;
    if dir.join(feiyi_core::api::DB_FILE).exists() {
        return Err(Failure::Domain(format!(
            "“{}”中已有名录，不会覆盖",
            dir.display()
        )));
    }
    let opts = feiyi_core::synth::ScaleOptions {
        items,
        seed: args.seed,
    };
    let r = feiyi_core::synth::generate_registry(&dir, &opts, system_clock())?;
    emit(common, &r, |o| {
        writeln!(
            o,
            "已生成规模测试示例名录（虚构数据）：{}\n项目 {}，传承人 {}，谱系关系 {}，保护计划 {}，活动 {}，媒体 {}，用时 {:.1} 秒",
            dir.display(),
            r.items,
            r.inheritors,
            r.lineage_edges,
            r.plans,
            r.activities,
            r.media,
            r.elapsed_ms as f64 / 1000.0
        )
    })
}

fn item_input_from_file(path: &Path, reg: &Registry) -> Result<ItemInput, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("无法读取“{}”：{e}", path.display())))?;
    let mut value: serde_json::Value = serde_json::from_str(&text)
        .map_err(|e| Failure::Usage(format!("“{}”不是有效的 JSON：{e}", path.display())))?;
    // Convenience: a batch may be named by its number.
    if let Some(n) = value.get("batchNumber").and_then(|v| v.as_i64()) {
        let id = batch_id(reg, n)?;
        value["batchId"] = serde_json::Value::String(id);
    }
    serde_json::from_value(value)
        .map_err(|e| Failure::Usage(format!("“{}”的字段不符合项目格式：{e}", path.display())))
}

fn from_json_file<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<T, Failure> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Failure::Usage(format!("无法读取“{}”：{e}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| Failure::Usage(format!("“{}”不是有效的{what} JSON：{e}", path.display())))
}

fn batch_id(reg: &Registry, number: i64) -> Result<String, Failure> {
    reg.batch_list(false)?
        .into_iter()
        .find(|b| b.number == number)
        .map(|b| b.id)
        .ok_or_else(|| {
            Failure::Domain(format!(
                "没有{}",
                feiyi_core::reference::batch_label(number)
            ))
        })
}

/// The lines of a fixity report.
fn write_fixity(
    o: &mut dyn std::io::Write,
    r: &feiyi_core::model::FixityReport,
) -> std::io::Result<()> {
    writeln!(o, "已校验 {} 个原件", r.checked)?;
    for m in &r.missing {
        writeln!(o, "缺失：{}（{}）", m.original_name, m.path)?;
    }
    for m in &r.changed {
        writeln!(o, "已被改动：{}（{}）", m.original_name, m.path)?;
    }
    for u in &r.unreferenced {
        writeln!(o, "多余文件：{}", u.path)?;
    }
    if r.ok {
        writeln!(o, "全部原件完好")?;
    }
    Ok(())
}

fn media(c: &Common, command: MediaCommand) -> Outcome {
    match command {
        MediaCommand::Import { files, item, role } => {
            let mut reg = open(c)?;
            let link = item.map(|id| MediaLinkTarget {
                entity: "item".into(),
                id,
                role: role.unwrap_or_default(),
            });
            let quiet = c.json;
            let report = reg.media_import(
                &files,
                link,
                &|e| {
                    if let (false, Some(o)) = (quiet, &e.outcome) {
                        eprintln!("（{}/{}）{}", e.files_done, e.count, o.name);
                    }
                },
                &std::sync::atomic::AtomicBool::new(false),
            )?;
            emit(c, &report, |o| {
                for r in &report.outcomes {
                    let status = match r.status {
                        MediaImportStatus::Imported => "已导入",
                        MediaImportStatus::Duplicate => "已存在",
                        MediaImportStatus::Failed => "未导入",
                        MediaImportStatus::Cancelled => "已取消",
                    };
                    writeln!(
                        o,
                        "{status}\t{}\t{}\t{}",
                        r.name,
                        r.sha256.as_deref().unwrap_or("-"),
                        r.message.as_deref().unwrap_or("")
                    )?;
                }
                writeln!(
                    o,
                    "新导入 {} 个，已存在 {} 个，未导入 {} 个",
                    report.imported, report.duplicates, report.failed
                )
            })?;
            if report.failed > 0 {
                return Err(Failure::Domain(format!(
                    "{} 个文件未能导入，原因见上",
                    report.failed
                )));
            }
            Ok(())
        }
        MediaCommand::List { item, query } => {
            let page = open(c)?.media_list(&MediaQuery {
                entity: item.as_ref().map(|_| "item".to_string()),
                entity_id: item,
                query,
                page_size: Some(500),
                ..Default::default()
            })?;
            emit(c, &page, |o| {
                for r in &page.rows {
                    writeln!(
                        o,
                        "{}\t{}\t{}\t{} 字节\t{}\t{}",
                        r.kind,
                        r.original_name,
                        r.title.as_deref().unwrap_or("-"),
                        r.size_bytes,
                        r.sha256,
                        r.id
                    )?;
                }
                writeln!(o, "共 {} 个资料", page.total)
            })
        }
        MediaCommand::Relink { folder } => {
            let r = open(c)?.media_relink(&folder)?;
            emit(c, &r, |o| {
                writeln!(o, "查看了 {} 个文件", r.scanned)?;
                for e in &r.restored {
                    writeln!(o, "已找回：{}", e.original_name)?;
                }
                for m in &r.still_missing {
                    writeln!(o, "仍缺失：{}（{}）", m.original_name, m.path)?;
                }
                Ok(())
            })
        }
        MediaCommand::Thumbs => {
            let written =
                open(c)?.media_rebuild_derived(&std::sync::atomic::AtomicBool::new(false))?;
            emit(c, &serde_json::json!({ "written": written }), |o| {
                writeln!(o, "已生成 {written} 个缩略图或预览图")
            })
        }
        MediaCommand::Verify => {
            let r = open(c)?.media_verify()?;
            emit(c, &r, |o| write_fixity(o, &r))?;
            if r.ok {
                Ok(())
            } else {
                Err(Failure::Domain(format!(
                    "资料库校验未通过：缺失 {} 个，被改动 {} 个，多余 {} 个；请从备份中找回原件",
                    r.missing.len(),
                    r.changed.len(),
                    r.unreferenced.len()
                )))
            }
        }
    }
}

fn size_text(bytes: i64) -> String {
    if bytes >= 1 << 20 {
        format!("{:.1} MB", bytes as f64 / (1u64 << 20) as f64)
    } else {
        format!("{} KB", (bytes + 1023) / 1024)
    }
}

fn backup(c: &Common, command: BackupCommand) -> Outcome {
    use feiyi_core::backup::reason_label;
    match command {
        BackupCommand::Create { note } => {
            let b = open(c)?.backup_create(BackupReason::Manual, note.as_deref())?;
            emit(c, &b, |o| {
                writeln!(
                    o,
                    "已备份：{}（项目 {} 项，资料 {} 个，{}）",
                    b.id,
                    b.item_count,
                    b.media_count,
                    size_text(b.db_bytes)
                )
            })
        }
        BackupCommand::List => {
            let s = open(c)?.backup_status()?;
            emit(c, &s.backups, |o| {
                writeln!(o, "备份文件夹：{}", s.folder)?;
                if s.backups.is_empty() {
                    return writeln!(o, "还没有备份");
                }
                for b in &s.backups {
                    writeln!(
                        o,
                        "{}  {}  {}  项目 {} 项  资料 {} 个  {}{}",
                        b.id,
                        b.created_at,
                        reason_label(b.reason),
                        b.item_count,
                        b.media_count,
                        size_text(b.db_bytes),
                        b.problem
                            .as_deref()
                            .map(|p| format!("  有问题：{p}"))
                            .unwrap_or_default()
                    )?;
                }
                Ok(())
            })
        }
        BackupCommand::Restore { id } => {
            let r = open(c)?.backup_restore(&id)?;
            emit(c, &r, |o| {
                writeln!(
                    o,
                    "已恢复到备份 {}（{}）",
                    r.restored.id, r.restored.created_at
                )?;
                writeln!(o, "恢复前的状态已另存为备份 {}", r.safety_backup.id)?;
                if !r.missing_media.is_empty() {
                    writeln!(
                        o,
                        "注意：备份中记录的 {} 个资料原件已不在资料库中",
                        r.missing_media.len()
                    )?;
                }
                Ok(())
            })
        }
    }
}

fn application(c: &Common, command: ApplicationCommand) -> Outcome {
    match command {
        ApplicationCommand::Check { item, profile } => {
            let r = open(c)?.application_check(&item, profile.as_deref())?;
            emit(c, &r, |o| {
                writeln!(o, "申报体检：{}（{}）", r.item_name, r.profile_title)?;
                for f in &r.findings {
                    let label = match f.severity {
                        Severity::Error => "错误",
                        Severity::Warning => "提醒",
                    };
                    writeln!(o, "{label}：{}", f.message)?;
                }
                writeln!(
                    o,
                    "照片 {} 张，视频 {} 段，录音 {} 段，辅助材料 {} 份，传承人 {} 位；保密资料未放入 {} 个",
                    r.counts.photos,
                    r.counts.videos,
                    r.counts.audio,
                    r.counts.documents,
                    r.counts.inheritors,
                    r.counts.confidential_left_out
                )?;
                if r.ok_to_export {
                    writeln!(o, "没有错误，可以导出（提醒 {} 条）", r.warning_count)
                } else {
                    writeln!(o, "错误 {} 条，提醒 {} 条", r.error_count, r.warning_count)
                }
            })?;
            if r.ok_to_export {
                Ok(())
            } else {
                Err(Failure::Domain(format!(
                    "申报体检有 {} 个错误，改正后才能导出申报材料",
                    r.error_count
                )))
            }
        }
        ApplicationCommand::Export {
            item,
            profile,
            out,
            zip,
            force,
            reason,
        } => {
            let options = PackageOptions {
                profile,
                out_dir: out.display().to_string(),
                zip,
                override_reason: force
                    .then(|| reason.unwrap_or_else(|| "命令行 --force 导出".into())),
            };
            let r = open(c)?.application_export(&item, &options)?;
            emit(c, &r, |o| {
                writeln!(o, "已导出：{}", r.folder)?;
                if let Some(z) = &r.zip {
                    writeln!(o, "ZIP：{z}")?;
                }
                for f in &r.files {
                    writeln!(o, "{}\t{}\t{} 字节", f.path, f.kind, f.bytes)?;
                }
                for l in &r.left_out {
                    writeln!(o, "未导出：{l}")?;
                }
                if !r.masked.is_empty() {
                    writeln!(o, "已隐去：{}", r.masked.join("、"))?;
                }
                if r.overridden_errors > 0 {
                    writeln!(o, "越过了 {} 个错误（已写入修改记录）", r.overridden_errors)?;
                }
                writeln!(
                    o,
                    "共 {} 个文件，提醒 {} 条，用时 {} 毫秒",
                    r.files.len(),
                    r.warning_count,
                    r.elapsed_ms
                )
            })
        }
        ApplicationCommand::Profiles => {
            let list = open(c)?.application_profiles()?;
            emit(c, &list, |o| {
                for p in &list {
                    writeln!(
                        o,
                        "{}\t{}\t第 {} 版\t{}",
                        p.name,
                        p.title,
                        p.version,
                        if p.shipped { "自带" } else { "副本" }
                    )?;
                }
                Ok(())
            })
        }
    }
}

fn outcome_label(o: ImportOutcome) -> &'static str {
    match o {
        ImportOutcome::Create => "导入",
        ImportOutcome::Skip => "跳过",
        ImportOutcome::Error => "错误",
    }
}

fn write_import_report(o: &mut dyn Write, r: &ListImportReport) -> std::io::Result<()> {
    writeln!(
        o,
        "文件：{}（{}），工作表“{}”，表头在第 {} 行",
        r.path, r.format, r.sheet, r.header_row
    )?;
    writeln!(o, "行\t结果\t编号\t名称\t类别\t批次\t说明")?;
    for row in &r.rows {
        if row.outcome == ImportOutcome::Skip && row.messages.is_empty() {
            continue;
        }
        let notes: Vec<String> = row
            .messages
            .iter()
            .map(|m| {
                let tag = if m.level == "error" {
                    "错误"
                } else {
                    "注意"
                };
                format!("{tag}：{}", m.message)
            })
            .collect();
        writeln!(
            o,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            row.row,
            outcome_label(row.outcome),
            row.code,
            row.name,
            row.category.as_deref().unwrap_or(""),
            row.batch_name.as_deref().unwrap_or(""),
            notes.join("；")
        )?;
    }
    let c = &r.counts;
    writeln!(
        o,
        "共 {} 行：导入 {} 行（其中 {} 行有提示），跳过 {} 行，错误 {} 行（不导入）",
        c.rows, c.create, c.warning, c.skip, c.error
    )?;
    match &r.import_id {
        Some(id) => writeln!(
            o,
            "已导入，导入编号：{id}\n如需整体撤销：feiyi import undo {id}"
        ),
        None => writeln!(o, "预览，未写入名录（去掉 --dry-run 即导入）"),
    }
}

fn import(c: &Common, command: ImportCommand) -> Outcome {
    match command {
        ImportCommand::List {
            file,
            batch,
            sheet,
            dry_run,
        } => {
            let mut reg = open(c)?;
            let req = ListImportRequest {
                path: file.display().to_string(),
                sheet,
                batch_id: batch.map(|n| batch_id(&reg, n)).transpose()?,
                ..Default::default()
            };
            let report = if dry_run {
                reg.import_list_preview(&req)?
            } else {
                reg.import_list_commit(&req)?
            };
            emit(c, &report, |o| write_import_report(o, &report))
        }
        ImportCommand::Undo { import_id, reason } => {
            let mut reg = open(c)?;
            let run = reg.import_undo(&import_id, &reason)?;
            emit(c, &run, |o| {
                writeln!(
                    o,
                    "已撤销导入 {}（{}）：{} 个项目已移入回收站，可在回收站中逐个恢复",
                    run.id, run.source, run.created
                )
            })
        }
        ImportCommand::History => {
            let runs = open(c)?.import_runs()?;
            emit(c, &runs, |o| {
                if runs.is_empty() {
                    return writeln!(o, "还没有导入记录");
                }
                for r in &runs {
                    let state = match &r.undone_at {
                        Some(at) => format!("已于 {at} 撤销"),
                        None if r.undoable => "可撤销".into(),
                        None => "不可撤销".into(),
                    };
                    writeln!(
                        o,
                        "{}\t{}\t{}\t{}\t新增 {}，关联 {}\t{}\t{state}",
                        r.id, r.started_at, r.kind, r.source, r.created, r.updated, r.actor
                    )?;
                }
                Ok(())
            })
        }
    }
}

fn write_preview(o: &mut dyn Write, p: &ExchangePreview) -> std::io::Result<()> {
    writeln!(
        o,
        "交换包：{}\n来自：{}{}（{}，{}）\n范围：{}",
        p.path,
        p.source_title,
        if p.sample { "【示例】" } else { "" },
        p.created_by,
        p.created_at,
        if p.scope == "all" {
            "整个名录".to_string()
        } else {
            format!("{} 以来的修改", p.scope)
        }
    )?;
    for a in &p.added {
        writeln!(o, "新增\t{}\t{}\t{}", a.kind, a.id, a.label)?;
    }
    let unlisted = p.added_count - p.added.len() as i64;
    if unlisted > 0 {
        writeln!(o, "新增\t……另有 {unlisted} 条未逐条列出")?;
    }
    for u in &p.updated {
        writeln!(
            o,
            "更新\t{}\t{}\t{}：{}",
            u.kind,
            u.id,
            u.label,
            u.fields.join("、")
        )?;
    }
    let unlisted = p.updated_count - p.updated.len() as i64;
    if unlisted > 0 {
        writeln!(o, "更新\t……另有 {unlisted} 条未逐条列出")?;
    }
    for c in &p.conflicts {
        for f in &c.fields {
            writeln!(
                o,
                "冲突\t{}:{}:{}\t{}·{}\t本机：{}\t包中：{}",
                c.kind,
                c.id,
                f.field,
                c.label,
                f.label,
                f.local.as_deref().unwrap_or("（空）"),
                f.remote.as_deref().unwrap_or("（空）")
            )?;
        }
    }
    for w in &p.warnings {
        writeln!(o, "注意：{w}")?;
    }
    writeln!(
        o,
        "新增 {} 条，更新 {} 条，不变 {} 条，冲突 {} 条，资料原件 {} 个",
        p.added_count,
        p.updated_count,
        p.unchanged,
        p.conflicts.iter().map(|c| c.fields.len()).sum::<usize>(),
        p.media_files
    )
}

/// A statistics cell as text: counts without decimals, 元 with two.
fn stat_cell_text(cell: &StatCell, money: bool) -> String {
    match cell {
        StatCell::Text(s) => s.clone(),
        StatCell::Number(n) if money => format!("{n:.2}"),
        StatCell::Number(n) => format!("{n}"),
    }
}

/// The statistics tables as tab-separated text: title and unit, header, rows, notes.
fn write_stats(o: &mut dyn Write, s: &Statistics) -> std::io::Result<()> {
    writeln!(o, "数据截至 {}，统计年度 {} 年", s.as_of, s.year)?;
    for t in &s.tables {
        let money = t.unit == "元";
        writeln!(o)?;
        writeln!(o, "{}（计量单位：{}）", t.title, t.unit)?;
        writeln!(o, "{}", t.columns.join("\t"))?;
        if t.rows.is_empty() {
            writeln!(o, "（无）")?;
        }
        for r in &t.rows {
            let mut cells: Vec<String> = r.cells.iter().map(|c| stat_cell_text(c, money)).collect();
            if r.highlight {
                if let Some(first) = cells.first_mut() {
                    first.push_str("（非遗月）");
                }
            }
            writeln!(o, "{}", cells.join("\t"))?;
        }
        for n in &t.notes {
            writeln!(o, "注：{n}")?;
        }
    }
    Ok(())
}

fn stats(c: &Common, args: StatsArgs) -> Outcome {
    let reg = open(c)?;
    let q = StatsQuery { year: args.year };
    match args.command {
        None => {
            let s = reg.statistics(&q)?;
            emit(c, &s, |o| write_stats(o, &s))
        }
        Some(StatsCommand::Export { out, table }) => {
            let done = match table.as_deref() {
                Some(key) => reg.stats_export_table(&q, key, &out)?,
                None => reg.stats_export_workbook(&q, &out)?,
            };
            emit(c, &done, |o| {
                writeln!(
                    o,
                    "已导出{}：{}（{} 个工作表：{}）",
                    if table.is_some() {
                        "统计表"
                    } else {
                        "年度工作统计表"
                    },
                    done.path,
                    done.sheets.len(),
                    done.sheets.join("、")
                )
            })
        }
    }
}

fn exchange(c: &Common, command: ExchangeCommand) -> Outcome {
    match command {
        ExchangeCommand::Export {
            since,
            all,
            out,
            no_media,
        } => {
            let req = ExchangeExportRequest {
                out: out.display().to_string(),
                since: if all { None } else { since },
                include_media: Some(!no_media),
            };
            let r = open(c)?.exchange_export(&req)?;
            emit(c, &r, |o| {
                writeln!(o, "已写出交换包：{}", r.path)?;
                for k in &r.records {
                    writeln!(o, "{}\t{} 条", k.label, k.count)?;
                }
                writeln!(
                    o,
                    "修改记录 {} 条，资料原件 {} 个，共 {} 字节",
                    r.log_entries, r.media_files, r.bytes
                )
            })
        }
        ExchangeCommand::Inspect { file } => {
            let p = open(c)?.exchange_inspect(&file)?;
            emit(c, &p, |o| write_preview(o, &p))
        }
        ExchangeCommand::Import {
            file,
            take,
            choices,
        } => {
            let mut reg = open(c)?;
            let preview = reg.exchange_inspect(&file)?;
            let mut chosen: Vec<ConflictChoice> = Vec::new();
            for raw in &choices {
                let parsed = raw.rsplit_once('=').and_then(|(key, take)| {
                    let mut parts = key.splitn(3, ':');
                    Some(ConflictChoice {
                        kind: parts.next()?.to_string(),
                        id: parts.next()?.to_string(),
                        field: parts.next()?.to_string(),
                        take: take.to_string(),
                    })
                });
                chosen.push(parsed.ok_or_else(|| {
                    Failure::Usage(format!(
                        "--choice “{raw}”的格式应为 类型:ID:字段=local 或 =remote"
                    ))
                })?);
            }
            if let Some(t) = &take {
                for conflict in &preview.conflicts {
                    for f in &conflict.fields {
                        let done = chosen.iter().any(|x| {
                            x.kind == conflict.kind && x.id == conflict.id && x.field == f.field
                        });
                        if !done {
                            chosen.push(ConflictChoice {
                                kind: conflict.kind.clone(),
                                id: conflict.id.clone(),
                                field: f.field.clone(),
                                take: t.clone(),
                            });
                        }
                    }
                }
            }
            match reg.exchange_import(&file, &chosen) {
                Ok(p) => emit(c, &p, |o| {
                    write_preview(o, &p)?;
                    writeln!(
                        o,
                        "已合并（导入编号 {}）",
                        p.import_id.as_deref().unwrap_or("")
                    )
                }),
                Err(e) if e.code() == "conflict" && !preview.conflicts.is_empty() => {
                    emit(c, &preview, |o| write_preview(o, &preview))?;
                    Err(Failure::from(e))
                }
                Err(e) => Err(e.into()),
            }
        }
    }
}

/// The Chinese label of a reminder's urgency.
fn urgency_label(u: feiyi_core::model::ReminderUrgency) -> &'static str {
    use feiyi_core::model::ReminderUrgency as U;
    match u {
        U::Overdue => "已逾期",
        U::DueSoon => "即将到期",
        U::Gap => "待补录",
        U::Info => "提示",
    }
}

/// The reminder settings with their labels, and the form's field name in brackets (the
/// name `--set` takes).
fn write_reminder_settings(
    o: &mut dyn Write,
    s: &feiyi_core::model::ReminderSettings,
) -> std::io::Result<()> {
    for (label, field, value) in [
        (
            "年度工作报告报送日期",
            "annualReportDue",
            s.annual_report_due.clone(),
        ),
        (
            "  提前提醒天数",
            "annualReportLeadDays",
            s.annual_report_lead_days.to_string(),
        ),
        (
            "年度评估录入截止日期",
            "evaluationDue",
            s.evaluation_due.clone(),
        ),
        (
            "  提前提醒天数",
            "evaluationLeadDays",
            s.evaluation_lead_days.to_string(),
        ),
        (
            "保护单位检查间隔（月）",
            "unitCheckMonths",
            s.unit_check_months.to_string(),
        ),
        (
            "  提前提醒天数",
            "unitCheckLeadDays",
            s.unit_check_lead_days.to_string(),
        ),
        (
            "保护计划年度总结提前提醒天数",
            "planLeadDays",
            s.plan_lead_days.to_string(),
        ),
        (
            "无徒弟提醒的传承人年龄",
            "elderAge",
            s.elder_age.to_string(),
        ),
        (
            "非遗月提前提醒天数",
            "feiyiMonthLeadDays",
            s.feiyi_month_lead_days.to_string(),
        ),
    ] {
        writeln!(o, "{label}（{field}）：{value}")?;
    }
    Ok(())
}

/// Applies `FIELD=VALUE` changes to reminder settings (numbers where the setting is one).
fn set_reminder_settings(
    s: &feiyi_core::model::ReminderSettings,
    changes: &[String],
) -> Result<feiyi_core::model::ReminderSettings, Failure> {
    let mut value = serde_json::to_value(s).map_err(|e| Failure::Usage(e.to_string()))?;
    let fields = value
        .as_object_mut()
        .ok_or_else(|| Failure::Usage("提醒设置格式错误".into()))?;
    let names = fields.keys().cloned().collect::<Vec<_>>().join("、");
    for raw in changes {
        let (field, v) = raw.split_once('=').ok_or_else(|| {
            Failure::Usage(format!("--set “{raw}”的格式应为 字段=值，如 elderAge=85"))
        })?;
        let (field, v) = (field.trim(), v.trim());
        let slot = fields.get_mut(field).ok_or_else(|| {
            Failure::Usage(format!("没有名为“{field}”的提醒设置；可用的有：{names}"))
        })?;
        *slot = if slot.is_number() {
            v.parse::<i64>()
                .map(serde_json::Value::from)
                .map_err(|_| Failure::Usage(format!("{field} 应为整数，而不是“{v}”")))?
        } else {
            serde_json::Value::String(v.to_string())
        };
    }
    serde_json::from_value(value).map_err(|e| Failure::Usage(e.to_string()))
}

fn reminders(c: &Common, args: RemindersArgs) -> Outcome {
    let mut reg = open(c)?;
    let (list, done, key) = match args.command {
        None => {
            let list = reg.reminders()?;
            let all = args.all;
            return emit(c, &list, |o| {
                for r in &list.active {
                    writeln!(
                        o,
                        "{}\t{}\t{}\t{}",
                        urgency_label(r.urgency),
                        r.due_on.as_deref().unwrap_or("-"),
                        r.title,
                        r.key
                    )?;
                }
                if all {
                    for r in &list.snoozed {
                        writeln!(
                            o,
                            "已推迟至 {}\t{}\t{}\t{}",
                            r.snoozed_until.as_deref().unwrap_or("-"),
                            r.due_on.as_deref().unwrap_or("-"),
                            r.title,
                            r.key
                        )?;
                    }
                    for r in &list.dismissed {
                        writeln!(
                            o,
                            "已忽略（{}）\t{}\t{}\t{}",
                            r.reason.as_deref().unwrap_or(""),
                            r.due_on.as_deref().unwrap_or("-"),
                            r.title,
                            r.key
                        )?;
                    }
                }
                write!(o, "今天 {}：待办提醒 {} 条", list.today, list.active.len())?;
                let hidden = list.snoozed.len() + list.dismissed.len();
                if !all && hidden > 0 {
                    write!(
                        o,
                        "（另有已推迟 {} 条、已忽略 {} 条，加 --all 查看）",
                        list.snoozed.len(),
                        list.dismissed.len()
                    )?;
                }
                writeln!(o)
            });
        }
        Some(ReminderCommand::Settings { set }) => {
            let mut s = reg.reminder_settings()?;
            if !set.is_empty() {
                s = reg.reminder_settings_save(set_reminder_settings(&s, &set)?)?;
            }
            let changed = !set.is_empty();
            return emit(c, &s, |o| {
                if changed {
                    writeln!(o, "已保存提醒设置：")?;
                }
                write_reminder_settings(o, &s)
            });
        }
        Some(ReminderCommand::Snooze { key, until, reason }) => (
            reg.reminder_snooze(&key, &until, reason.as_deref())?,
            format!("已推迟到 {}", until.trim()),
            key,
        ),
        Some(ReminderCommand::Dismiss { key, reason }) => (
            reg.reminder_dismiss(&key, &reason)?,
            format!("已忽略（{}）", reason.trim()),
            key,
        ),
        Some(ReminderCommand::Restore { key }) => {
            (reg.reminder_restore(&key)?, "已恢复".to_string(), key)
        }
    };
    let title = list
        .active
        .iter()
        .chain(&list.snoozed)
        .chain(&list.dismissed)
        .find(|r| r.key == key.trim())
        .map_or(key.trim(), |r| r.title.as_str());
    emit(c, &list, |o| {
        writeln!(o, "{done}：{title}")?;
        writeln!(o, "今天 {}：待办提醒 {} 条", list.today, list.active.len())
    })
}

fn run(cli: Cli) -> Outcome {
    let common = cli.common;
    let c = &common;
    match cli.command {
        Command::Media(command) => media(c, command),
        Command::Application(command) => application(c, command),
        Command::Backup(command) => backup(c, command),
        Command::Import(command) => import(c, command),
        Command::Exchange(command) => exchange(c, command),
        Command::Reminders(args) => reminders(c, args),
        Command::Stats(args) => stats(c, args),
        Command::Report(ReportCommand::Annual { year, out }) => {
            let r = open(c)?.annual_report(year, &out)?;
            for gap in &r.gaps {
                eprintln!("提示：{gap}");
            }
            emit(c, &r, |o| {
                writeln!(o, "{}", r.docx)?;
                writeln!(o, "{}", r.pdf)
            })
        }
        Command::Init => create(c, RegistryKind::Real),
        Command::Sample(args) => sample(c, args),
        Command::Info => {
            let info = open(c)?.info()?;
            emit(c, &info, |o| {
                writeln!(
                    o,
                    "{}\n文件夹：{}\n数据版本：{}\n项目数：{}\n编号模板：{}",
                    info.title,
                    info.data_dir,
                    info.schema_version,
                    info.item_count,
                    info.code_template
                )
            })
        }
        Command::Verify => {
            let reg = open(c)?;
            let integrity = reg.integrity_check()?;
            let chain = reg.verify_log()?;
            let media = reg.media_verify()?;
            let ok = integrity == ["ok"] && chain.is_empty() && media.ok;
            let report = serde_json::json!({
                "ok": ok, "integrity": integrity, "editLog": chain, "media": media
            });
            emit(c, &report, |o| {
                writeln!(o, "数据库完整性：{}", integrity.join("；"))?;
                if chain.is_empty() {
                    writeln!(o, "修改记录链：完好")?;
                } else {
                    for p in &chain {
                        writeln!(o, "修改记录第 {} 条：{}", p.seq, p.problem)?;
                    }
                }
                write_fixity(o, &media)
            })?;
            if ok {
                Ok(())
            } else {
                Err(Failure::Domain(
                    "校验未通过：数据可能被改动，请从备份恢复或联系管理员".into(),
                ))
            }
        }
        Command::Inheritor(InheritorCommand::List { query, item, xlsx }) => {
            let reg = open(c)?;
            let q = InheritorQuery {
                query,
                item_id: item,
                page_size: Some(500),
                ..Default::default()
            };
            if let Some(file) = xlsx {
                let rows = reg.export_inheritors_xlsx(&q, &file)?;
                let report = serde_json::json!({ "rows": rows, "file": file });
                return emit(c, &report, |o| {
                    writeln!(o, "已导出 {rows} 条传承人记录到 {}", file.display())
                });
            }
            let page = reg.inheritor_list(&q)?;
            emit(c, &page, |o| {
                for r in &page.rows {
                    writeln!(
                        o,
                        "{}\t{}\t{}\t{}\t{}\t{}\t{}",
                        r.name,
                        r.sex.as_deref().unwrap_or("-"),
                        r.birth_date.as_deref().unwrap_or("-"),
                        r.id_number_masked.as_deref().unwrap_or("-"),
                        r.recognitions,
                        r.status,
                        r.id
                    )?;
                }
                // Past the search's count cap the total is a lower bound.
                let about = if page.total_capped { "超过" } else { "共" };
                writeln!(o, "{about} {} 人", page.total)
            })
        }
        Command::Inheritor(InheritorCommand::Show { id }) => {
            let d = open(c)?.inheritor_get(&id)?;
            emit(c, &d, |o| {
                let f = &d.fields;
                writeln!(
                    o,
                    "{}（{}）",
                    f.name,
                    f.sex.as_deref().unwrap_or("性别未填")
                )?;
                writeln!(o, "出生年月：{}", f.birth_date.as_deref().unwrap_or("-"))?;
                writeln!(o, "身份证号：{}", f.id_number.as_deref().unwrap_or("-"))?;
                writeln!(o, "联系电话：{}", f.phone.as_deref().unwrap_or("-"))?;
                for r in &d.recognitions {
                    writeln!(
                        o,
                        "认定：{} {} {} {}",
                        r.item_name,
                        r.level,
                        r.doc_number.as_deref().unwrap_or("（无文号）"),
                        r.status
                    )?;
                }
                for e in &d.evaluations {
                    writeln!(o, "评估：{} 年 {}", e.year, e.grade)?;
                }
                for w in &d.warnings {
                    writeln!(o, "提醒：{w}")?;
                }
                Ok(())
            })
        }
        Command::Inheritor(InheritorCommand::Add {
            file,
            name,
            sex,
            birth,
            id_number,
            phone,
            item,
        }) => {
            let mut reg = open(c)?;
            let input = match file {
                Some(path) => from_json_file(&path, "传承人")?,
                None => InheritorInput {
                    name: name.unwrap_or_default(),
                    sex,
                    birth_date: birth,
                    id_number,
                    phone,
                    ..Default::default()
                },
            };
            let mut saved = reg.inheritor_save(input)?;
            if let Some(item_id) = item {
                reg.recognition_save(RecognitionInput {
                    inheritor_id: saved.id.clone(),
                    item_id,
                    level: "区级".into(),
                    ..Default::default()
                })?;
                saved = reg.inheritor_get(&saved.id)?;
            }
            emit(c, &saved, |o| {
                writeln!(o, "已新增传承人：{}（ID {}）", saved.fields.name, saved.id)
            })
        }
        Command::Unit(UnitCommand::List { query }) => {
            let rows = open(c)?.unit_list_all(query.as_deref(), false)?;
            emit(c, &rows, |o| {
                for r in &rows {
                    writeln!(
                        o,
                        "{}\t{}\t{}\t{}\t{}",
                        r.name,
                        r.credit_code.as_deref().unwrap_or("-"),
                        r.items,
                        r.last_check,
                        r.id
                    )?;
                }
                writeln!(o, "共 {} 个保护单位", rows.len())
            })
        }
        Command::Unit(UnitCommand::Show { id }) => {
            let d = open(c)?.unit_get(&id)?;
            emit(c, &d, |o| {
                writeln!(o, "{}", d.fields.name)?;
                writeln!(
                    o,
                    "统一社会信用代码：{}",
                    d.fields.credit_code.as_deref().unwrap_or("-")
                )?;
                writeln!(
                    o,
                    "保护项目：{}",
                    d.items
                        .iter()
                        .map(|i| i.name.as_str())
                        .collect::<Vec<_>>()
                        .join("、")
                )?;
                for ch in &d.checks {
                    writeln!(
                        o,
                        "检查：{} {} {}",
                        ch.checked_on,
                        ch.result,
                        ch.findings.as_deref().unwrap_or("")
                    )?;
                }
                for w in &d.warnings {
                    writeln!(o, "提醒：{w}")?;
                }
                Ok(())
            })
        }
        Command::Unit(UnitCommand::Add {
            file,
            name,
            credit_code,
            legal_rep,
            phone,
            item,
        }) => {
            let mut reg = open(c)?;
            let input = match file {
                Some(path) => from_json_file(&path, "保护单位")?,
                None => UnitInput {
                    name: name.unwrap_or_default(),
                    credit_code,
                    legal_rep,
                    phone,
                    item_ids: item,
                    ..Default::default()
                },
            };
            let saved = reg.unit_save(input)?;
            emit(c, &saved, |o| {
                writeln!(
                    o,
                    "已新增保护单位：{}（ID {}）",
                    saved.fields.name, saved.id
                )
            })
        }
        Command::Lineage(LineageCommand::Show { item }) => {
            let l = open(c)?.lineage_get(&item)?;
            emit(c, &l, |o| {
                writeln!(o, "代别\t姓名\t性别\t出生年份\t传承方式\t从艺时间")?;
                for r in &l.table {
                    writeln!(
                        o,
                        "第{}代\t{}\t{}\t{}\t{}\t{}",
                        r.generation,
                        r.name,
                        r.sex.as_deref().unwrap_or("-"),
                        r.birth_year
                            .map(|y| y.to_string())
                            .unwrap_or_else(|| "-".into()),
                        r.how_learned,
                        r.period
                    )?;
                }
                Ok(())
            })
        }
        Command::Batch(BatchCommand::List { deleted }) => {
            let batches: Vec<_> = open(c)?
                .batch_list(deleted)?
                .into_iter()
                .filter(|b| !deleted || b.deleted_at.is_some())
                .collect();
            emit(&common, &batches, |o| {
                for b in &batches {
                    let declared = b
                        .declared_count
                        .map(|d| d.to_string())
                        .unwrap_or_else(|| "?".into());
                    writeln!(
                        o,
                        "{}\t{}\t{}\t已录入 {}/{}",
                        b.label,
                        b.doc_number.as_deref().unwrap_or("（无文号）"),
                        b.approved_on.as_deref().unwrap_or("（无日期）"),
                        b.entered_count,
                        declared
                    )?;
                }
                Ok(())
            })
        }
        Command::Item(ItemCommand::List {
            batch,
            category,
            level,
            township,
            query,
            page,
            page_size,
            xlsx,
        }) => {
            let reg = open(&common)?;
            let q = ItemQuery {
                batch,
                category: category.map(|c| feiyi_core::api::normalize_category(&c)),
                level,
                township,
                query,
                sort: ItemSort::Code,
                page: Some(page),
                page_size: Some(page_size),
                ..Default::default()
            };
            if let Some(file) = xlsx {
                let rows = reg.export_items_xlsx(&q, &file)?;
                let report = serde_json::json!({ "rows": rows, "file": file });
                return emit(&common, &report, |o| {
                    writeln!(o, "已导出 {rows} 个项目到 {}", file.display())
                });
            }
            let result = reg.item_list(&q)?;
            emit(&common, &result, |o| {
                for r in &result.rows {
                    writeln!(
                        o,
                        "{}\t{}\t{}\t{}\t{}\t{}",
                        r.code,
                        r.name,
                        r.category_name,
                        r.batch_label.as_deref().unwrap_or("-"),
                        r.level,
                        r.id
                    )?;
                }
                let about = if result.total_capped { "超过" } else { "共" };
                writeln!(o, "{about} {} 项（第 {} 页）", result.total, result.page)
            })
        }
        Command::Item(ItemCommand::Show { id }) => {
            let d = open(&common)?.item_get(&id)?;
            emit(&common, &d, |o| {
                writeln!(o, "{} {}", d.code, d.name)?;
                writeln!(o, "类别：{} {}", d.category, d.category_name)?;
                writeln!(o, "批次：{}", d.batch_label.as_deref().unwrap_or("-"))?;
                writeln!(o, "级别：{}  状态：{}", d.level, d.status)?;
                let texts = serde_json::to_value(&d.texts).unwrap_or_default();
                for (col, label) in feiyi_core::model::ITEM_TEXT_FIELDS {
                    if let Some(v) = texts
                        .get(feiyi_core::db::items::camel(col))
                        .and_then(|v| v.as_str())
                    {
                        writeln!(o, "【{label}】\n{v}")?;
                    }
                }
                Ok(())
            })
        }
        Command::Item(ItemCommand::Add {
            file,
            name,
            category,
            batch,
            seq,
            summary,
            township,
        }) => {
            let mut reg = open(&common)?;
            let input = match file {
                Some(path) => item_input_from_file(&path, &reg)?,
                None => ItemInput {
                    name: name.unwrap_or_default(),
                    category: category.unwrap_or_default(),
                    batch_id: batch.map(|n| batch_id(&reg, n)).transpose()?,
                    seq,
                    texts: ItemTexts {
                        summary,
                        ..Default::default()
                    },
                    townships: township
                        .into_iter()
                        .map(|code| feiyi_core::model::ItemTownship {
                            code,
                            ..Default::default()
                        })
                        .collect(),
                    ..Default::default()
                },
            };
            let saved = reg.item_save(input)?;
            emit(&common, &saved, |o| {
                writeln!(
                    o,
                    "已新增：{} {}（ID {}）",
                    saved.code, saved.name, saved.id
                )
            })
        }
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return ExitCode::SUCCESS;
            }
            eprintln!("用法错误：参数不正确，请用 feiyi --help 查看用法。\n{e}");
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Domain(m)) => {
            eprintln!("错误：{m}");
            ExitCode::from(1)
        }
        Err(Failure::Usage(m)) => {
            eprintln!("错误：{m}");
            ExitCode::from(2)
        }
    }
}

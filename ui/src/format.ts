// Display helpers shared by the pages: dates, labels, and the Chinese names of fields.
import type { Batch } from "./bindings/Batch";
import type { Category } from "./bindings/Category";
import type { ItemTexts } from "./bindings/ItemTexts";

const pad = (n: number) => String(n).padStart(2, "0");

/** A date (`YYYY-MM-DD…`) as `YYYY-MM-DD`; empty for null. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : value;
}

/** A date (`YYYY-MM-DD`) as `2026年11月30日`; other text as it is, empty for null. */
export function chineseDate(value: string | null | undefined): string {
  if (!value) return "";
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(value);
  return m ? `${m[1]}年${Number(m[2])}月${Number(m[3])}日` : value;
}

/** Days from `from` to `to` (both `YYYY-MM-DD`), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  const a = Date.UTC(Number(from.slice(0, 4)), Number(from.slice(5, 7)) - 1, Number(from.slice(8, 10)));
  const b = Date.UTC(Number(to.slice(0, 4)), Number(to.slice(5, 7)) - 1, Number(to.slice(8, 10)));
  return Math.round((b - a) / 86_400_000);
}

/** `YYYY-MM-DD` plus `days` days. */
export function addDays(date: string, days: number): string {
  const d = new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)) + days));
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** An RFC 3339 timestamp in local time as `YYYY-MM-DD HH:mm`; empty for null. */
export function formatTimestamp(value: string | null | undefined): string {
  if (!value) return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** `Ⅷ 传统技艺` */
export function categoryLabel(c: Pick<Category, "code" | "name">): string {
  return `${c.code} ${c.name}`;
}

/** `第六批 台政字〔2022〕33号` */
export function batchOptionLabel(b: Pick<Batch, "label" | "docNumber">): string {
  return b.docNumber ? `${b.label} ${b.docNumber}` : b.label;
}

/**
 * A list's count as its summary line says it: `共 N 项`, or `超过 N 项` when a common search
 * stopped counting at the core's cap (the page is still exact; only the total is a bound).
 */
export function countLabel(total: number, capped: boolean, unit: string): string {
  return capped ? `超过 ${total} ${unit}` : `共 ${total} ${unit}`;
}

/**
 * A preview list's heading count: `N`, or `共 N 条，列出前 M 条` when the core sent only the
 * first M lines (an exchange package of a whole province adds millions of records).
 */
export function listedLabel(total: number, listed: number): string {
  return listed < total ? `共 ${total} 条，列出前 ${listed} 条` : `${total}`;
}

/** The pager's layout: without its own "共 N 条" when the total is only a bound. */
export function pagerLayout(capped: boolean): string {
  return capped ? "sizes, prev, pager, next, jumper" : "total, sizes, prev, pager, next, jumper";
}

/** `已录入/公布数`, e.g. `0/11`; `3/—` when the declared count is unknown. */
export function batchCount(b: Pick<Batch, "enteredCount" | "declaredCount">): string {
  return `${b.enteredCount}/${b.declaredCount ?? "—"}`;
}

/** Renders a code template (`{batch}-{category}-{seq}`) for a sample item. */
export function renderCodeTemplate(
  template: string,
  sample: { category: string; seq: number; batch: number | null } = { category: "Ⅷ", seq: 3, batch: 6 },
): string {
  return template
    .replace(/\{category\}/g, sample.category)
    .replace(/\{seq\}/g, String(sample.seq))
    .replace(/\{batch\}/g, sample.batch == null ? "" : String(sample.batch));
}

export type TextKey = keyof ItemTexts;

/** The 15 text sections of an item, in the order of the application form, with their group. */
export const TEXT_FIELDS: { key: TextKey; label: string; group: "basic" | "description" | "protection" }[] = [
  { key: "applicant", label: "申报地区或单位", group: "basic" },
  { key: "distribution", label: "分布区域", group: "basic" },
  { key: "summary", label: "项目简介", group: "description" },
  { key: "geography", label: "所在区域及其地理环境", group: "description" },
  { key: "history", label: "历史渊源", group: "description" },
  { key: "content", label: "基本内容", group: "description" },
  { key: "artifacts", label: "相关器具及制品", group: "description" },
  { key: "lineageText", label: "传承谱系（叙述）", group: "description" },
  { key: "features", label: "主要特征", group: "description" },
  { key: "value", label: "重要价值", group: "description" },
  { key: "viability", label: "存续状况", group: "description" },
  { key: "argumentation", label: "项目论证", group: "description" },
  { key: "management", label: "项目管理", group: "protection" },
  { key: "protectionDone", label: "已采取的保护措施", group: "protection" },
  { key: "mechanism", label: "管理机制", group: "protection" },
];

export function emptyTexts(): ItemTexts {
  return {
    applicant: null, distribution: null, summary: null, geography: null, history: null,
    content: null, artifacts: null, lineageText: null, features: null, value: null,
    viability: null, argumentation: null, management: null, protectionDone: null, mechanism: null,
  };
}

const FIELD_LABELS: Record<string, string> = {
  name: "项目名称",
  category: "类别",
  batchId: "批次",
  batch: "批次",
  seq: "序号",
  code: "编号",
  parentId: "母项目",
  status: "状态",
  endangered: "濒危",
  confidential: "涉密",
  townships: "分布镇街",
  listings: "级别沿革",
  level: "级别",
  note: "备注",
  number: "批次号",
  docNumber: "文号",
  title: "标题",
  determinedOn: "确定日期",
  approvedOn: "批准日期",
  publishedOn: "公布日期",
  noticeStart: "公示开始",
  noticeEnd: "公示结束",
  determinedBy: "确定单位",
  approvedBy: "批准单位",
  declaredCount: "公布项目数",
  listedOn: "公布日期",
  batchLabel: "批次",
  villages: "村居",
  deleted: "删除",
  deletedReason: "删除原因",
};
for (const t of TEXT_FIELDS) FIELD_LABELS[t.key] = t.label;

// Field names of the other records, for the edit log; they override the item's names above.
const ENTITY_FIELD_LABELS: Record<string, Record<string, string>> = {
  inheritor: {
    name: "姓名",
    sex: "性别",
    ethnicity: "民族",
    birthDate: "出生年月",
    deathDate: "去世日期",
    idNumber: "身份证号",
    education: "文化程度",
    employer: "工作单位",
    occupation: "职业",
    practiceSince: "从艺起始年份",
    phone: "联系电话",
    address: "住址",
    resume: "个人简历",
    skillsAchievements: "技艺特点及成就",
    teaching: "授徒传艺",
    holdings: "持有实物和资料",
    awards: "获奖情况",
    declarationSigned: "已签署意愿声明",
    recognition: "认定",
    recognitions: "认定",
    trainingPlan: "传习计划",
    evaluation: "年度评估",
    subsidy: "补助",
    itemId: "项目",
    year: "年度",
    grade: "评估等级",
    receivedFen: "补助金额",
    usedFen: "使用金额",
    recognizedOn: "认定日期",
    occurredOn: "日期",
    ground: "依据",
  },
  unit: {
    name: "单位名称",
    creditCode: "统一社会信用代码",
    unitType: "单位性质",
    legalRep: "法定代表人",
    contactPerson: "联系人",
    phone: "联系电话",
    address: "地址",
    conditions: "保护条件",
    "conditions.legalPersonWithStaff": "具有法人资格并有专职人员",
    "conditions.holdsInheritorOrMaterials": "掌握代表性传承人或较完整的资料",
    "conditions.canCarryOutPlan": "具有实施保护计划的能力",
    "conditions.hasPlaces": "具有传承展示场所",
    legalPersonWithStaff: "具有法人资格并有专职人员",
    holdsInheritorOrMaterials: "掌握代表性传承人或较完整的资料",
    canCarryOutPlan: "具有实施保护计划的能力",
    hasPlaces: "具有传承展示场所",
    itemIds: "保护项目",
    items: "保护项目",
    check: "检查",
    checks: "检查",
    checkedOn: "检查日期",
    result: "检查结果",
    findings: "检查发现",
    deadline: "整改期限",
    checker: "检查人",
  },
  plan: {
    title: "计划名称",
    item: "项目",
    itemId: "项目",
    unit: "保护单位",
    unitId: "保护单位",
    startYear: "起始年份",
    endYear: "终止年份",
    goals: "保护目标",
    measures: "保护措施",
    mechanism: "管理机制",
    budgetBasis: "经费预算依据说明",
    note: "备注",
    years: "年度目标和措施",
    budget: "经费预算",
    year: "年度",
    targets: "年度目标",
    purpose: "用途",
    source: "资金来源",
    amountFen: "预算金额",
    justification: "依据",
  },
  expenditure: {
    budgetLine: "预算行",
    budgetLineId: "预算行",
    spentOn: "支出日期",
    amount: "金额",
    amountFen: "金额",
    payee: "收款方",
    voucher: "凭证号",
    note: "备注",
  },
  media: {
    sha256: "SHA-256",
    originalName: "原文件名",
    kind: "类别",
    sizeBytes: "文件大小",
    width: "宽度",
    height: "高度",
    title: "标题",
    caption: "说明",
    captionTime: "说明·时间",
    captionPlace: "说明·地点",
    captionPeople: "说明·人物",
    captionEvent: "说明·事件",
    creator: "制作者",
    creatorRole: "制作者身份",
    provider: "提供者",
    holder: "原件保存者",
    captureDate: "制作时间",
    capturePlace: "制作地点",
    rights: "版权",
    consent: "知情同意",
    confidential: "涉密",
    cataloguer: "著录人",
    cataloguedAt: "著录日期",
    links: "关联记录",
    link: "关联记录",
    role: "用途",
    reason: "删除原因",
  },
  activity: {
    kind: "活动类型",
    title: "活动名称",
    startedOn: "开始日期",
    endedOn: "结束日期",
    place: "地点",
    organizer: "主办单位",
    participants: "参与人数",
    description: "活动内容",
    note: "备注",
    items: "关联项目",
    itemIds: "关联项目",
    inheritors: "参与传承人",
    inheritorIds: "参与传承人",
  },
};

const snake = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The Chinese name of a field path (`texts.summary` → 项目简介, `listings.0.level` → 级别沿革第1行·级别). */
export function fieldLabel(field: string | null | undefined, entity?: string): string {
  if (!field) return "";
  const own = entity ? ENTITY_FIELD_LABELS[entity] : undefined;
  const rows = /^(budget|years)\.(\d+)(?:\.(\w+))?$/.exec(field);
  if (own && entity === "plan" && rows) {
    const what = rows[1] === "budget" ? "经费预算" : "年度目标";
    return `${what}第${Number(rows[2]) + 1}行${rows[3] ? `·${own[rows[3]] ?? rows[3]}` : ""}`;
  }
  if (own) {
    const camel = field.split(".").map(snake);
    const hit = own[camel.join(".")] ?? own[camel[camel.length - 1]] ?? own[camel[0]];
    if (hit) return hit;
  }
  const parts = field.split(".").map(snake);
  if (parts[0] === "texts" && parts[1]) return FIELD_LABELS[parts[1]] ?? field;
  if (parts[0] === "listings" && parts.length >= 2) {
    const row = Number(parts[1]);
    const sub = parts[2] ? `·${FIELD_LABELS[parts[2]] ?? parts[2]}` : "";
    return Number.isInteger(row) ? `级别沿革第${row + 1}行${sub}` : `级别沿革${sub}`;
  }
  const last = parts[parts.length - 1];
  return FIELD_LABELS[parts[0]] ?? FIELD_LABELS[last] ?? field;
}

const ACTION_LABELS: Record<string, string> = {
  create: "新建",
  insert: "新建",
  update: "修改",
  delete: "删除",
  restore: "恢复",
  revert: "撤销",
  purge: "彻底删除",
};

/** The Chinese name of an edit-log action. */
export function actionLabel(action: string): string {
  return ACTION_LABELS[action] ?? action;
}

/** An edit-log value for display: booleans in Chinese, empty shown as （空）. */
export function logValue(value: string | null): string {
  if (value === null || value === "") return "（空）";
  if (value === "true") return "是";
  if (value === "false") return "否";
  return value;
}

// Inheritors, protection units and money

/** Statuses of a recognition (认定), in the order the forms offer them. */
export const RECOGNITION_STATUSES = ["在册", "丧失传承能力", "取消资格", "去世"] as const;
/** Grades of the yearly evaluation. */
export const GRADES = ["优秀", "合格", "不合格", "丧失传承能力"] as const;
/** Kinds of a lineage edge. */
export const LINEAGE_KINDS = ["师徒", "家族"] as const;
/** Results of a unit check. */
export const CHECK_RESULTS = ["合格", "限期整改", "取消"] as const;

type TagType = "success" | "warning" | "danger" | "info" | "primary";

/** Tag colour of a recognition status: 在册 green, 丧失传承能力 orange, 取消资格 red, 去世 grey. */
export function statusTagType(status: string): TagType {
  return ({ 在册: "success", 丧失传承能力: "warning", 取消资格: "danger", 去世: "info" } as Record<string, TagType>)[status] ?? "info";
}
/** Tag colour of an evaluation grade. */
export function gradeTagType(grade: string): TagType {
  return ({ 优秀: "success", 合格: "primary", 不合格: "danger", 丧失传承能力: "warning" } as Record<string, TagType>)[grade] ?? "info";
}
/** Tag colour of a check result. */
export function checkTagType(result: string): TagType {
  return ({ 合格: "success", 限期整改: "warning", 取消: "danger" } as Record<string, TagType>)[result] ?? "info";
}

/** Integer fen (分) as yuan with two decimals and thousands separators: 1234500 → `12,345.00`. */
export function formatYuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || !Number.isFinite(fen)) return "";
  const n = Math.round(fen);
  const sign = n < 0 ? "-" : "";
  const abs = Math.abs(n);
  const yuan = String(Math.floor(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${sign}${yuan}.${String(abs % 100).padStart(2, "0")}`;
}

/** Yuan typed in a form → integer fen. */
export function yuanToFen(yuan: number | null | undefined): number {
  return yuan === null || yuan === undefined || !Number.isFinite(yuan) ? 0 : Math.round(yuan * 100);
}

/** Fen → yuan for a form's number input. */
export function fenToYuan(fen: number): number {
  return fen / 100;
}

const CN_DIGITS = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九"];

/** 1 → 一, 12 → 十二, 21 → 二十一 (up to 99; larger numbers stay in digits). */
export function cnNumber(n: number): string {
  if (!Number.isInteger(n) || n < 0 || n > 99) return String(n);
  if (n < 10) return CN_DIGITS[n];
  const tens = Math.floor(n / 10);
  const ones = n % 10;
  return `${tens === 1 ? "" : CN_DIGITS[tens]}十${ones ? CN_DIGITS[ones] : ""}`;
}

/** 代别 as the application form writes it: 第一代. */
export function generationLabel(n: number): string {
  return `第${cnNumber(n)}代`;
}

/**
 * A hint (never a hard check: the server validates) about an 18-digit resident identity number
 * (GB 11643): empty when it looks right, else what seems wrong.
 */
export function idNumberHint(value: string | null | undefined): string {
  const v = (value ?? "").trim().toUpperCase();
  if (!v) return "";
  if (!/^\d{17}[\dX]$/.test(v)) return `身份证号应为 18 位（末位可为 X），当前 ${[...v].length} 位`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(v[i]), 0);
  const check = "10X98765432"[sum % 11];
  if (check !== v[17]) return "校验位不符，请核对号码";
  const y = Number(v.slice(6, 10)), m = Number(v.slice(10, 12)), d = Number(v.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return "号码中的出生日期无效";
  return "";
}

/** Birth date (`YYYY-MM-DD`) and sex encoded in a well-formed identity number, or null. */
export function idNumberFacts(value: string | null | undefined): { birthDate: string; sex: "男" | "女" } | null {
  const v = (value ?? "").trim().toUpperCase();
  if (!v || idNumberHint(v)) return null;
  return { birthDate: `${v.slice(6, 10)}-${v.slice(10, 12)}-${v.slice(12, 14)}`, sex: Number(v[16]) % 2 === 1 ? "男" : "女" };
}

/** A hint about a unified social credit code (GB 32100): empty when it looks right. */
export function creditCodeHint(value: string | null | undefined): string {
  const v = (value ?? "").trim().toUpperCase();
  if (!v) return "";
  const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  if (v.length !== 18 || [...v].some((c) => !chars.includes(c)))
    return `统一社会信用代码应为 18 位数字或大写字母（不含 I、O、Z、S、V），当前 ${[...v].length} 位`;
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = weights.reduce((acc, w, i) => acc + w * chars.indexOf(v[i]), 0);
  const check = chars[(31 - (sum % 31)) % 31];
  return check === v[17] ? "" : "校验位不符，请核对代码";
}

/** A hint about a phone number: mobile (11 digits, 1…) or fixed line with area code. */
export function phoneHint(value: string | null | undefined): string {
  const v = (value ?? "").trim().replace(/[\s-]/g, "");
  if (!v) return "";
  if (/^1\d{10}$/.test(v) || /^0\d{9,11}$/.test(v) || /^\d{7,8}$/.test(v)) return "";
  return "请填写 11 位手机号或带区号的固定电话，如 0632-6611234";
}

/** The protection-unit conditions, with the Chinese wording of the 2006 measures. */
export const UNIT_CONDITIONS = [
  { key: "legalPersonWithStaff", label: "具有法人资格并有专职人员" },
  { key: "holdsInheritorOrMaterials", label: "掌握代表性传承人或较完整的资料" },
  { key: "canCarryOutPlan", label: "具有实施保护计划的能力" },
  { key: "hasPlaces", label: "具有传承展示场所" },
] as const;

// Protection work

/** Funding sources of a budget line (经费来源), in the order the core lists them. */
export const FUNDING_SOURCES = ["区级财政", "配套", "自筹", "其他"] as const;
/** Kinds of protection activity. */
export const ACTIVITY_KINDS = ["传承活动", "展演", "培训", "进校园", "展览", "非遗月", "调查", "其他"] as const;
/** Years a five-year plan covers, after its first. */
export const PLAN_SPAN = 4;

/** How a budget line is named, as the core names it: `2026 区级财政 传习补助`. */
export function budgetLineLabel(l: { year: number; source: string; purpose: string }): string {
  return `${l.year} ${l.source} ${l.purpose}`;
}

/** Spent over planned as a whole percentage for a progress bar (0 when nothing is planned). */
export function spendRate(plannedFen: number, spentFen: number): number {
  if (plannedFen <= 0) return spentFen > 0 ? 100 : 0;
  return Math.round((spentFen / plannedFen) * 100);
}

/** An activity's days: `2026-02-12` or `2026-02-12 至 2026-02-14`. */
export function activityDays(startedOn: string, endedOn: string | null): string {
  return endedOn && endedOn !== startedOn ? `${formatDate(startedOn)} 至 ${formatDate(endedOn)}` : formatDate(startedOn);
}

// Media library (资料库)

/** Kinds of media file, decided by the Rust side from the content. */
export const MEDIA_KINDS = ["照片", "视频", "音频", "文档"] as const;

/** Kinds of record a media file can be linked to, with their Chinese names. */
export const MEDIA_ENTITIES = [
  { value: "item", label: "项目" },
  { value: "inheritor", label: "传承人" },
  { value: "activity", label: "活动" },
  { value: "unit", label: "保护单位" },
  { value: "plan", label: "保护计划" },
  { value: "batch", label: "批次" },
] as const;

/** The Chinese name of a kind of record (`item` → 项目). */
export function entityLabel(entity: string): string {
  return MEDIA_ENTITIES.find((e) => e.value === entity)?.label ?? "记录";
}

/** Where a record's page is; `null` for kinds without one. */
export function entityPath(entity: string, id: string): string | null {
  const enc = encodeURIComponent(id);
  switch (entity) {
    case "item":
      return `/items/${enc}`;
    case "inheritor":
      return `/inheritors/${enc}`;
    case "activity":
      return `/activities/${enc}`;
    case "unit":
      return `/units/${enc}`;
    case "plan":
      return `/plans/${enc}`;
    case "batch":
      return "/batches";
    default:
      return null;
  }
}

/** Roles a file plays for a record; an empty role on import means “by its kind”. */
export const MEDIA_ROLES = ["照片", "视频", "录音", "扫描件", "肖像", "授权书", "知情同意书", "获奖证书", "其他"] as const;

/** The role a file gets by its kind when none is given (照片 / 视频 / 录音 / 扫描件). */
export function roleForKind(kind: string): string {
  return ({ 照片: "照片", 视频: "视频", 音频: "录音", 文档: "扫描件" } as Record<string, string>)[kind] ?? "其他";
}

/** Milliseconds as `m:ss`, or `h:mm:ss` from an hour up; empty for null. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms) || ms < 0) return "";
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${pad(m)}:${pad(s)}`;
}

/** A file size: `820 KB`, `3.2 MB`, `1.45 GB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return "";
  const kb = 1024, mb = kb * 1024, gb = mb * 1024;
  if (bytes >= gb) return `${(bytes / gb).toFixed(2)} GB`;
  if (bytes >= mb) return `${(bytes / mb).toFixed(bytes >= 100 * mb ? 0 : 1)} MB`;
  if (bytes >= kb) return `${Math.round(bytes / kb)} KB`;
  return `${bytes} 字节`;
}

/** Samples per second as kHz: 44100 → `44.1 kHz`, 48000 → `48 kHz`. */
export function formatSampleRate(hz: number | null | undefined): string {
  if (hz === null || hz === undefined || !Number.isFinite(hz)) return "";
  return `${Number((hz / 1000).toFixed(1))} kHz`;
}

/** Bits per second: `128 kbps`, `12.5 Mbps`. */
export function formatBitRate(bps: number | null | undefined): string {
  if (bps === null || bps === undefined || !Number.isFinite(bps)) return "";
  if (bps >= 1_000_000) return `${Number((bps / 1_000_000).toFixed(1))} Mbps`;
  return `${Math.round(bps / 1000)} kbps`;
}

/** Audio channels in words: 1 单声道, 2 立体声, else `6 声道`. */
export function channelsLabel(n: number | null | undefined): string {
  if (n === null || n === undefined) return "";
  return n === 1 ? "单声道" : n === 2 ? "立体声" : `${n} 声道`;
}

/** Frames per second: `25 帧/秒`, `29.97 帧/秒`. */
export function formatFrameRate(fps: number | null | undefined): string {
  if (fps === null || fps === undefined || !Number.isFinite(fps)) return "";
  return `${Number(fps.toFixed(2))} 帧/秒`;
}

/** A position with six decimals: `北纬 34.561234°，东经 117.731234°`. */
export function formatLatLon(lat: number | null | undefined, lon: number | null | undefined): string {
  if (lat === null || lat === undefined || lon === null || lon === undefined) return "";
  const ns = lat >= 0 ? "北纬" : "南纬";
  const ew = lon >= 0 ? "东经" : "西经";
  return `${ns} ${Math.abs(lat).toFixed(6)}°，${ew} ${Math.abs(lon).toFixed(6)}°`;
}

/** A SHA-256 shortened for reading: first and last eight characters. */
export function shortSha(sha: string | null | undefined): string {
  if (!sha) return "";
  return sha.length > 20 ? `${sha.slice(0, 8)}…${sha.slice(-8)}` : sha;
}

/** The name of a file from its path (either separator). */
export function baseName(path: string | null | undefined): string {
  if (!path) return "";
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

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

const snake = (s: string) => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** The Chinese name of a field path (`texts.summary` → 项目简介, `listings.0.level` → 级别沿革第1行·级别). */
export function fieldLabel(field: string | null | undefined): string {
  if (!field) return "";
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

// 设置 → 数据: the Chinese words for backups, imports and exchange packages, and the clock
// sentences the page shows (“2026年11月29日 08:15（3 小时前）”).
import type { BackupReason } from "../../bindings/BackupReason";
import type { ImportField } from "../../bindings/ImportField";
import type { ImportOutcome } from "../../bindings/ImportOutcome";

/** Why a backup was made, as the backup table says it. */
export const BACKUP_REASONS: Record<BackupReason, string> = {
  scheduled: "定时",
  manual: "手动",
  beforeMigration: "升级前",
  beforeImport: "导入前",
  beforeMerge: "合并前",
  beforeRestore: "恢复前",
};

export function backupReasonLabel(reason: string): string {
  return BACKUP_REASONS[reason as BackupReason] ?? reason;
}

/** The fields a spreadsheet column can feed, in the order the mapping offers them. */
export const IMPORT_FIELDS: { value: ImportField; label: string }[] = [
  { value: "seq", label: "序号" },
  { value: "code", label: "项目编号" },
  { value: "name", label: "项目名称" },
  { value: "category", label: "类别" },
  { value: "area", label: "申报地区或单位" },
  { value: "unit", label: "保护单位" },
  { value: "inheritors", label: "传承人" },
  { value: "batch", label: "批次" },
  { value: "ignore", label: "不导入" },
];

export function importFieldLabel(field: string | null | undefined): string {
  return IMPORT_FIELDS.find((f) => f.value === field)?.label ?? field ?? "";
}

/** What happens to a row, in words. */
export const OUTCOME_LABELS: Record<ImportOutcome, string> = { create: "新增", skip: "跳过", error: "错误·不导入" };

/** The kinds in the import history. */
export function importKindLabel(kind: string): string {
  return ({ list: "名录表格", exchange: "交换包", media: "资料" } as Record<string, string>)[kind] ?? kind;
}

const RECORD_KINDS: Record<string, string> = {
  item: "项目",
  batch: "批次",
  inheritor: "传承人",
  recognition: "认定",
  unit: "保护单位",
  plan: "保护计划",
  expenditure: "经费支出",
  activity: "活动",
  media: "资料",
  lineage: "传承谱系",
};

/** The Chinese name of a kind of record in an exchange package. */
export function recordKindLabel(kind: string): string {
  return RECORD_KINDS[kind] ?? kind;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** An RFC 3339 time in local time as `2026年11月29日 08:15`. */
export function chineseTime(value: string | null | undefined): string {
  if (!value) return "";
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  return `${d.getFullYear()}年${d.getMonth() + 1}月${d.getDate()}日 ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** How long ago: 刚刚, 5 分钟前, 3 小时前, 2 天前, 4 个月前, 1 年前. */
export function timeAgo(value: string | null | undefined, now: number = Date.now()): string {
  if (!value) return "";
  const t = new Date(value).getTime();
  if (Number.isNaN(t)) return "";
  const minutes = Math.floor((now - t) / 60_000);
  if (minutes < 1) return "刚刚";
  if (minutes < 60) return `${minutes} 分钟前`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return `${hours} 小时前`;
  const days = Math.floor(hours / 24);
  if (days < 31) return `${days} 天前`;
  const months = Math.floor(days / 30.44);
  if (months < 12) return `${months} 个月前`;
  return `${Math.floor(days / 365.25)} 年前`;
}

/** Today in local time as `YYYY-MM-DD`. */
export function today(now: Date = new Date()): string {
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** A conflict field's value for reading: empty shown as （空）. */
export function conflictValue(value: string | null | undefined): string {
  return value === null || value === undefined || value === "" ? "（空）" : value;
}

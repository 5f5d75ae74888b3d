// Where a target leads: 申报 pre-flight findings (in the clerk's words, and the page that fixes
// them), and the same mapping for reminders (提醒) and statistics rows (统计).
import type { Finding } from "./bindings/Finding";
import type { FindingTarget } from "./bindings/FindingTarget";
import { TEXT_FIELDS } from "./format";

/** The profile used when the clerk has not chosen one. */
export const DEFAULT_PROFILE = "zaozhuang-municipal";

const PLAN_FIELDS: Record<string, string> = {
  budgetBasis: "经费预算依据",
  budget: "经费预算",
  years: "年度目标和措施",
  startYear: "起止年份",
  endYear: "起止年份",
};
const MEDIA_FIELDS: Record<string, string> = { caption: "图片说明", confidential: "保密" };

/** Where a finding points, e.g. `申报书 · 历史渊源`, `资料 · 照片`, `保护计划 · 经费预算依据`. */
export function findingPlace(t: FindingTarget): string {
  const field = t.field ?? "";
  switch (t.kind) {
    case "item": {
      if (field.startsWith("texts.")) {
        const key = field.slice("texts.".length);
        return `申报书 · ${TEXT_FIELDS.find((f) => f.key === key)?.label ?? key}`;
      }
      if (field.startsWith("media.")) return `项目资料 · ${field.slice("media.".length)}`;
      if (field === "recognitions") return "项目 · 传承人";
      if (field === "plans") return "项目 · 保护计划";
      if (field === "batchId") return "项目 · 批次";
      if (field === "confidential") return "项目 · 保密";
      if (field.startsWith("listings.")) return "项目 · 级别沿革";
      return "项目";
    }
    case "media":
      return MEDIA_FIELDS[field] ? `资料 · ${MEDIA_FIELDS[field]}` : "资料";
    case "recognition":
      return field === "docNumber" ? "传承人认定 · 文号" : "传承人认定";
    case "inheritor":
      return "传承人";
    case "plan":
      return PLAN_FIELDS[field] ? `保护计划 · ${PLAN_FIELDS[field]}` : "保护计划";
    case "batch":
      return field === "docNumber" ? "批次 · 文号" : "批次";
    case "lineage":
      return "传承谱系";
    default:
      return "";
  }
}

/** Where 去修改 goes: a page of the app, or the media viewer opened in place. */
export type FixTarget =
  | { page: { path: string; query?: Record<string, string> }; hint: string }
  | { media: string; hint: string }
  | { recognition: string; itemId: string; hint: string };

const enc = encodeURIComponent;

/** The place that fixes a finding of the item `itemId`. */
export function fixTarget(f: Finding, itemId: string): FixTarget | null {
  return targetPlace(f.target, itemId);
}

/** The tabs of a person's page a target field opens. */
const INHERITOR_TABS: Record<string, { tab: string; hint: string }> = {
  recognitions: { tab: "recognitions", hint: "打开传承人的“认定”页" },
  evaluations: { tab: "evaluations", hint: "打开传承人的“年度评估”页，录入评估结果" },
  plans: { tab: "plans", hint: "打开传承人的“传习计划”页" },
  subsidies: { tab: "subsidies", hint: "打开传承人的“补助”页" },
  // A lineage is kept per item: the 认定 tab lists the person's items, each with its 传承谱系.
  lineage: { tab: "recognitions", hint: "打开传承人的“认定”页，再从所认定的项目进入“传承谱系”登记徒弟" },
};

/**
 * Where a target leads: a pre-flight finding's 去修改 (with the item checked as `itemId`), a
 * reminder's 去处理, a statistics row. A field names the form field or the tab to open.
 */
export function targetPlace(t: FindingTarget, itemId = ""): FixTarget | null {
  const field = t.field ?? "";
  switch (t.kind) {
    case "item": {
      const item = `/items/${enc(t.id || itemId)}`;
      if (field.startsWith("media.")) return { page: { path: item, query: { tab: "media" } }, hint: "打开项目的“资料”页，导入或关联资料" };
      if (field === "recognitions") return { page: { path: item, query: { tab: "inheritors" } }, hint: "打开项目的“传承人”页" };
      if (field === "plans") return { page: { path: item, query: { tab: "protection" } }, hint: "打开项目的“保护工作”页" };
      if (field === "lineage") return { page: { path: item, query: { tab: "lineage" } }, hint: "打开项目的“传承谱系”页" };
      // A unit is linked to its items from the unit's own form.
      if (field === "units") return { page: { path: item }, hint: "打开项目；在“保护单位”中编辑或新增单位，勾选这个项目" };
      if (field) return { page: { path: `${item}/edit`, query: { field } }, hint: "打开项目编辑页，定位到这一栏" };
      return { page: { path: item }, hint: "打开项目" };
    }
    case "media":
      return { media: t.id, hint: "打开这个资料，修改说明或保密标记" };
    case "recognition":
      return { recognition: t.id, itemId, hint: "打开传承人的“认定”页" };
    case "inheritor": {
      const person = `/inheritors/${enc(t.id)}`;
      const tab = INHERITOR_TABS[field];
      return tab ? { page: { path: person, query: { tab: tab.tab } }, hint: tab.hint } : { page: { path: person }, hint: "打开传承人" };
    }
    case "unit": {
      const unit = `/units/${enc(t.id)}`;
      if (field === "checks") return { page: { path: unit, query: { tab: "checks" } }, hint: "打开保护单位的“检查记录”页，登记检查结果" };
      return { page: { path: unit }, hint: "打开保护单位" };
    }
    case "plan":
      if (!field) return { page: { path: `/plans/${enc(t.id)}` }, hint: "打开保护计划" };
      return { page: { path: `/plans/${enc(t.id)}/edit`, query: { field } }, hint: "打开保护计划的编辑页" };
    case "batch":
      return { page: { path: "/batches", query: { edit: t.id } }, hint: "打开批次的编辑表单" };
    case "lineage":
      return { page: { path: `/items/${enc(t.id || itemId)}`, query: { tab: "lineage" } }, hint: "打开项目的“传承谱系”页" };
    case "report":
      // id = the year; the 统计 page opens with that year and the report dialog.
      return { page: { path: "/stats", query: { year: t.id, report: "1" } }, hint: "打开“统计”页，生成年度工作报告" };
    case "protection":
      return t.id === "activities"
        ? { page: { path: "/protection", query: { tab: "activities" } }, hint: "打开“保护工作”的活动列表" }
        : { page: { path: "/protection" }, hint: "打开“保护工作”" };
    default:
      return null;
  }
}

/** `5 分 30 秒` ⇄ seconds, for the profile editor's durations. */
export function secondsToMinSec(secs: number | null): { min: number | null; sec: number | null } {
  if (secs === null) return { min: null, sec: null };
  return { min: Math.floor(secs / 60), sec: secs % 60 };
}
export function minSecToSeconds(min: number | null | undefined, sec: number | null | undefined): number | null {
  if ((min === null || min === undefined) && (sec === null || sec === undefined)) return null;
  return (min ?? 0) * 60 + (sec ?? 0);
}

/** Copies text to the clipboard; falls back to a hidden textarea where the API is missing. */
export async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through
  }
  try {
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const ok = document.execCommand?.("copy") ?? false;
    area.remove();
    return ok;
  } catch {
    return false;
  }
}

// 提醒: the Chinese words for a reminder's urgency and rule.
import type { ReminderRule } from "../../bindings/ReminderRule";
import type { ReminderUrgency } from "../../bindings/ReminderUrgency";

/** Urgency as the tag says it, and its colour (已逾期 red, 即将到期 orange, 待补充 grey-blue, 提示 blue). */
export const URGENCY: Record<ReminderUrgency, { label: string; type: "danger" | "warning" | "info" | "primary"; className: string }> = {
  overdue: { label: "已逾期", type: "danger", className: "urgency-overdue" },
  dueSoon: { label: "即将到期", type: "warning", className: "urgency-due-soon" },
  gap: { label: "待补充", type: "info", className: "urgency-gap" },
  info: { label: "提示", type: "primary", className: "urgency-info" },
};

/** What a rule is about, in a few words. */
export const RULES: Record<ReminderRule, string> = {
  evaluationDue: "传承人年度评估",
  unitCheckDue: "保护单位检查",
  annualReport: "年度工作报告",
  planMilestone: "保护计划",
  recognitionWithoutDoc: "认定文号",
  itemWithoutUnit: "保护单位",
  elderWithoutApprentice: "传承人带徒",
  feiyiMonth: "非遗月",
};

export function urgencyOf(u: string) {
  return URGENCY[u as ReminderUrgency] ?? { label: u, type: "info" as const, className: "" };
}

export function ruleLabel(r: string): string {
  return RULES[r as ReminderRule] ?? "";
}

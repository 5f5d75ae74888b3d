// The in-memory fake of the protection-work commands (保护计划, 经费, 活动, 非遗月) for the
// development preview (dev-mock.html). All plans, sums and activities here are fictional (示例).
import type { ActivityDetail } from "../bindings/ActivityDetail";
import type { ActivityInput } from "../bindings/ActivityInput";
import type { ActivityPage } from "../bindings/ActivityPage";
import type { ActivityQuery } from "../bindings/ActivityQuery";
import type { ActivityRow } from "../bindings/ActivityRow";
import type { BudgetLine } from "../bindings/BudgetLine";
import type { BudgetTotals } from "../bindings/BudgetTotals";
import type { Expenditure } from "../bindings/Expenditure";
import type { FeiyiMonthInfo } from "../bindings/FeiyiMonthInfo";
import type { FieldError } from "../bindings/FieldError";
import type { PlanDetail } from "../bindings/PlanDetail";
import type { PlanInput } from "../bindings/PlanInput";
import type { PlanPage } from "../bindings/PlanPage";
import type { PlanQuery } from "../bindings/PlanQuery";
import type { PlanRow } from "../bindings/PlanRow";
import type { SearchHit } from "../bindings/SearchHit";
import { ACTIVITY_KINDS, FUNDING_SOURCES, PLAN_SPAN, budgetLineLabel } from "../format";
import { UNHANDLED, type MockHost } from "./people";

/** What the protection fake needs besides the common host: people and units by id. */
export interface ProtectionHost extends MockHost {
  personName(id: string): string | null;
  unitName(id: string): string | null;
  unitIdFor(name: string): string | null;
  personIdFor(name: string): string | null;
}

type Stamps = { createdAt: string; updatedAt: string; deletedAt: string | null; deletedReason: string | null };
type MockPlan = PlanInput & { id: string } & Stamps;
type MockExpenditure = Expenditure & { id: string; deletedAt: string | null; deletedReason: string | null };
type MockActivity = ActivityInput & { id: string } & Stamps;

/** The 非遗月 the preview knows (the core computes every year from 1902 to 2100). */
export const FEIYI_MONTHS: FeiyiMonthInfo[] = [
  { year: 2023, start: "2023-01-14", end: "2023-02-21" },
  { year: 2024, start: "2024-02-02", end: "2024-03-11" },
  { year: 2025, start: "2025-01-22", end: "2025-03-01" },
  { year: 2026, start: "2026-02-10", end: "2026-03-20" },
];

function fail(code: string, message: string, fields?: FieldError[]): never {
  throw fields ? { code, message, fields } : { code, message };
}
function check(errors: FieldError[]) {
  if (errors.length) fail("validation", `输入有误：${errors.map((e) => e.message).join("；")}`, errors);
}
const yuan = (fen: number) => `${fen < 0 ? "-" : ""}${Math.floor(Math.abs(fen) / 100)}.${String(Math.abs(fen) % 100).padStart(2, "0")}`;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function feiyiMonthOf(startedOn: string, endedOn: string | null): FeiyiMonthInfo | null {
  const end = endedOn && endedOn >= startedOn ? endedOn : startedOn;
  return FEIYI_MONTHS.find((m) => m.start <= end && startedOn <= m.end) ?? null;
}

export class ProtectionMock {
  plans: MockPlan[] = [];
  expenditures: MockExpenditure[] = [];
  activities: MockActivity[] = [];

  constructor(private host: ProtectionHost) {}

  rebind(host: ProtectionHost): this {
    this.host = host;
    return this;
  }

  // ---- seed -------------------------------------------------------------------------------

  seed() {
    const h = this.host;
    const item = (name: string) => h.itemRefs().find((i) => i.name === name)?.id ?? null;
    const hg = item("鲁南花鼓");
    const ht = item("黑陶烧制技艺");
    const yhhz = item("运河号子");
    if (!hg || !ht) return;
    const line = (year: number, source: string, purpose: string, yuanAmount: number, justification: string | null): BudgetLine => ({
      id: h.id("line"), year, purpose, source, amountFen: yuanAmount * 100, justification, spentFen: 0,
    });
    const plan = (p: Omit<PlanInput, "id" | "endYear">) => {
      const at = h.stamp();
      const mp: MockPlan = { ...p, id: h.id("plan"), endYear: p.startYear + PLAN_SPAN, createdAt: at, updatedAt: at, deletedAt: null, deletedReason: null };
      this.plans.push(mp);
      h.appendLog({ at, actor: "张三", entity: "plan", entityId: mp.id, action: "create", field: null, oldValue: null, newValue: null, reason: null });
      return mp;
    };
    const years = (start: number, targets: (string | null)[]) =>
      targets.map((t, i) => ({ id: h.id("year"), year: start + i, targets: t, measures: t ? "按季度开展传习和展演，年底总结（示例）。" : null }));

    const p1 = plan({
      itemId: hg, unitId: h.unitIdFor("台儿庄区文化馆（示例）"), title: "鲁南花鼓保护计划（2026—2030）（示例）", startYear: 2026,
      goals: "五年内培养能独立演出的青年传承人 10 名，整理鼓谱 50 首，建成固定传习点 2 处（示例文字，虚构）。",
      measures: "开办传习班；录音录像整理老艺人鼓谱；每年参加非遗月展演；进校园传承（示例文字，虚构）。",
      mechanism: "区文化馆设专人负责，区非遗中心每年检查一次计划落实情况（示例文字，虚构）。",
      budgetBasis: "传习补助按每人每年 5000 元测算；设备按市场询价（示例文字，虚构）。", note: null,
      years: years(2026, ["开班招收学员 12 名（示例）", "整理鼓谱 20 首（示例）", "建成第二处传习点（示例）", "学员参加市级展演（示例）", null]),
      budget: [
        line(2026, "区级财政", "传习补助", 50000, "10 人 × 5000 元"),
        line(2026, "配套", "设备购置", 20000, "花鼓 20 面 × 1000 元"),
        line(2026, "自筹", "展演", 8000, null),
        line(2027, "区级财政", "传习补助", 50000, "10 人 × 5000 元"),
        line(2027, "区级财政", "资料整理", 15000, "录音录像及出版"),
        line(2028, "区级财政", "传习补助", 50000, "10 人 × 5000 元"),
        line(2029, "区级财政", "传习补助", 50000, "10 人 × 5000 元"),
        line(2030, "区级财政", "传习补助", 50000, "10 人 × 5000 元"),
      ],
    });
    const spend = (p: MockPlan, n: number, spentOn: string, yuanAmount: number, payee: string | null, voucher: string | null) => {
      const e: MockExpenditure = { id: h.id("exp"), budgetLineId: p.budget[n].id!, spentOn, amountFen: yuanAmount * 100, payee, voucher, note: null, deletedAt: null, deletedReason: null };
      this.expenditures.push(e);
      h.appendLog({ at: h.stamp(), actor: "张三", entity: "expenditure", entityId: e.id, action: "create", field: null, oldValue: null, newValue: null, reason: null });
    };
    spend(p1, 0, "2026-03-15", 30000, "鲁南花鼓传习班（示例）", "2026-记-015");
    spend(p1, 0, "2026-09-10", 25000, "鲁南花鼓传习班（示例）", "2026-记-088");
    spend(p1, 1, "2026-04-02", 18600, "某乐器厂（示例）", "2026-记-031");
    h.appendLog({ at: h.stamp(), actor: "李四", entity: "plan", entityId: p1.id, action: "update", field: "title", oldValue: "鲁南花鼓五年保护计划（示例）", newValue: p1.title, reason: null });

    const p2 = plan({
      itemId: ht, unitId: h.unitIdFor("张山子镇综合文化站（示例）"), title: "黑陶烧制技艺保护计划（2024—2028）（示例）", startYear: 2024,
      goals: "恢复传统柴窑一座，带徒 6 人（示例文字，虚构）。", measures: null, mechanism: null, budgetBasis: null, note: null,
      years: years(2024, ["修复柴窑（示例）", "带徒 3 人（示例）", null, null, null]),
      budget: [line(2024, "区级财政", "柴窑修复", 30000, null), line(2025, "区级财政", "传习补助", 20000, null), line(2025, "自筹", "材料", 5000, null)],
    });
    spend(p2, 0, "2024-10-20", 28000, "张山子镇某施工队（示例）", "2024-记-102");
    spend(p2, 1, "2025-06-30", 20000, null, "2025-记-066");
    if (yhhz) {
      const gone = plan({
        itemId: yhhz, unitId: null, title: "运河号子保护计划（草稿，示例）", startYear: 2025, goals: null, measures: null, mechanism: null,
        budgetBasis: null, note: null, years: [], budget: [],
      });
      gone.deletedAt = h.stamp();
      gone.deletedReason = "重复录入";
    }

    const act = (a: Omit<ActivityInput, "id" | "note">, deletedReason: string | null = null) => {
      const at = h.stamp();
      const m: MockActivity = { ...a, note: null, id: h.id("act"), createdAt: at, updatedAt: at, deletedAt: deletedReason ? h.stamp() : null, deletedReason };
      this.activities.push(m);
      h.appendLog({ at, actor: "张三", entity: "activity", entityId: m.id, action: "create", field: null, oldValue: null, newValue: null, reason: null });
      return m;
    };
    const people = (...names: string[]) => names.map((n) => h.personIdFor(n)).filter((x): x is string => !!x);
    act({ kind: "非遗月", title: "2026 年非遗月鲁南花鼓展演（示例）", startedOn: "2026-02-15", endedOn: "2026-02-16", place: "台儿庄古城（示例）", organizer: "台儿庄区文化和旅游局（示例）", participants: 320, description: "两场展演，观众约 300 人（示例文字，虚构）。", itemIds: [hg], inheritorIds: people("孙玉兰", "赵小燕") });
    act({ kind: "进校园", title: "鲁南花鼓进校园（示例）", startedOn: "2026-04-20", endedOn: null, place: "运河街道某小学（示例）", organizer: "台儿庄区文化馆（示例）", participants: 85, description: null, itemIds: [hg], inheritorIds: people("赵小燕") });
    act({ kind: "培训", title: "黑陶烧制技艺培训班（示例）", startedOn: "2025-07-10", endedOn: "2025-07-14", place: "张山子镇综合文化站（示例）", organizer: "张山子镇综合文化站（示例）", participants: 18, description: null, itemIds: [ht], inheritorIds: [] });
    act({ kind: "展览", title: "迎新春非遗展览（示例）", startedOn: "2025-01-25", endedOn: "2025-02-05", place: "区文化馆展厅（示例）", organizer: "台儿庄区文化馆（示例）", participants: 1200, description: null, itemIds: [hg, ht].concat(yhhz ? [yhhz] : []), inheritorIds: [] });
    act({ kind: "调查", title: "运河号子老艺人走访（示例）", startedOn: "2024-11-05", endedOn: null, place: "运河街道（示例）", organizer: "区非遗中心（示例）", participants: 4, description: null, itemIds: yhhz ? [yhhz] : [], inheritorIds: [] });
    act({ kind: "其他", title: "重复录入的示例活动", startedOn: "2024-05-01", endedOn: null, place: null, organizer: null, participants: null, description: null, itemIds: [], inheritorIds: [] }, "重复录入");
  }

  // ---- plans ------------------------------------------------------------------------------

  private plan(id: string) {
    return this.plans.find((p) => p.id === id) ?? fail("not_found", `找不到保护计划：${id}`);
  }
  private liveSpent(lineId: string) {
    return this.expenditures.filter((e) => e.budgetLineId === lineId && !e.deletedAt).reduce((s, e) => s + e.amountFen, 0);
  }
  private totals(p: PlanInput, lines: BudgetLine[]): BudgetTotals {
    const byYear = Array.from({ length: p.endYear - p.startYear + 1 }, (_, i) => ({ year: p.startYear + i, plannedFen: 0, spentFen: 0 }));
    const bySource = FUNDING_SOURCES.map((source) => ({ source: source as string, plannedFen: 0, spentFen: 0 }));
    for (const l of lines) {
      let y = byYear.find((x) => x.year === l.year);
      if (!y) byYear.push((y = { year: l.year, plannedFen: 0, spentFen: 0 }));
      y.plannedFen += l.amountFen;
      y.spentFen += l.spentFen;
      let s = bySource.find((x) => x.source === l.source);
      if (!s) bySource.push((s = { source: l.source, plannedFen: 0, spentFen: 0 }));
      s.plannedFen += l.amountFen;
      s.spentFen += l.spentFen;
    }
    return {
      plannedFen: lines.reduce((s, l) => s + l.amountFen, 0), spentFen: lines.reduce((s, l) => s + l.spentFen, 0),
      byYear: byYear.sort((a, b) => a.year - b.year), bySource,
    };
  }
  private warnings(p: PlanInput, t: BudgetTotals): string[] {
    const w: string[] = [];
    for (const l of p.budget) {
      if (l.spentFen > l.amountFen) {
        w.push(`预算行“${budgetLineLabel(l)}”超支 ${yuan(l.spentFen - l.amountFen)} 元（预算 ${yuan(l.amountFen)} 元，已支出 ${yuan(l.spentFen)} 元）`);
      }
    }
    for (const y of t.byYear) {
      if (y.spentFen > y.plannedFen) w.push(`${y.year} 年度支出 ${yuan(y.spentFen)} 元，超出当年预算 ${yuan(y.plannedFen)} 元，超支 ${yuan(y.spentFen - y.plannedFen)} 元`);
    }
    const unjustified = p.budget.filter((l) => !l.justification).length;
    if (!p.budgetBasis && unjustified > 0) w.push(`经费预算缺少依据说明：${unjustified} 条预算行未写测算依据，请填写经费预算依据说明`);
    const missing: number[] = [];
    for (let y = p.startYear; y <= p.endYear; y++) if (!p.years.some((x) => x.year === y && x.targets)) missing.push(y);
    if (missing.length) w.push(`以下年度未填写年度目标：${missing.join("、")}`);
    return w;
  }
  private detail(p: MockPlan): PlanDetail {
    const { id, createdAt, updatedAt, deletedAt, deletedReason, ...rest } = p;
    const budget = p.budget.map((l) => ({ ...l, spentFen: this.liveSpent(l.id!) }));
    const fields: PlanInput = { ...rest, id, years: p.years.map((y) => ({ ...y })), budget };
    const totals = this.totals(fields, budget);
    const lineIds = new Set(p.budget.map((l) => l.id));
    return {
      id, fields, itemName: this.host.itemRef(p.itemId)?.name ?? "", unitName: p.unitId ? this.host.unitName(p.unitId) : null, totals,
      expenditures: this.expenditures
        .filter((e) => lineIds.has(e.budgetLineId) && !e.deletedAt)
        .sort((a, b) => a.spentOn.localeCompare(b.spentOn))
        .map(({ deletedAt: _d, deletedReason: _r, ...e }) => (void _d, void _r, { ...e })),
      warnings: this.warnings(fields, totals), createdAt, updatedAt, deletedAt, deletedReason,
    };
  }
  private row(p: MockPlan): PlanRow {
    const d = this.detail(p);
    return {
      id: p.id, title: p.title, itemId: p.itemId, itemName: d.itemName, startYear: p.startYear, endYear: p.endYear,
      plannedFen: d.totals.plannedFen, spentFen: d.totals.spentFen, deletedAt: p.deletedAt,
    };
  }
  private budgetText(lines: BudgetLine[]) {
    return lines.length ? lines.map((l) => `${budgetLineLabel(l)} ${yuan(l.amountFen)} 元${l.justification ? `（依据：${l.justification}）` : ""}`).join("；") : null;
  }

  private savePlan(input: PlanInput): PlanDetail {
    const errors: FieldError[] = [];
    const title = input.title.trim();
    if (!title) errors.push({ field: "title", message: "请填写计划名称" });
    if (!input.itemId) errors.push({ field: "itemId", message: "请选择项目" });
    else if (!this.host.itemRef(input.itemId) || this.host.itemRef(input.itemId)!.deleted) errors.push({ field: "itemId", message: "所选项目不存在或已删除" });
    let spanOk = false;
    if (!(input.startYear >= 1900 && input.startYear <= 2200)) errors.push({ field: "startYear", message: "起始年份应在 1900 到 2200 之间" });
    else if (input.endYear !== input.startYear + PLAN_SPAN) errors.push({ field: "endYear", message: "五年保护计划应覆盖连续五年（如 2026—2030）" });
    else spanOk = true;
    const span = `${input.startYear}—${input.endYear}`;
    const inSpan = (y: number) => y >= input.startYear && y <= input.endYear;
    input.years.forEach((y, i) => {
      if (spanOk && !inSpan(y.year)) errors.push({ field: `years.${i}.year`, message: `年度应在计划年度 ${span} 之内` });
    });
    input.budget.forEach((l, i) => {
      if (spanOk && !inSpan(l.year)) errors.push({ field: `budget.${i}.year`, message: `预算年度应在计划年度 ${span} 之内` });
      if (!l.purpose.trim()) errors.push({ field: `budget.${i}.purpose`, message: "请填写预算用途" });
      if (!(FUNDING_SOURCES as readonly string[]).includes(l.source)) errors.push({ field: `budget.${i}.source`, message: "经费来源应为 区级财政 / 配套 / 自筹 / 其他" });
      if (!Number.isInteger(l.amountFen) || l.amountFen < 0) errors.push({ field: `budget.${i}.amountFen`, message: "金额不能为负数" });
    });
    const existing = input.id ? this.plan(input.id) : null;
    if (existing?.deletedAt) fail("deleted", `保护计划已删除（在回收站中），请先恢复：${existing.id}`);
    if (existing) {
      const kept = new Set(input.budget.map((l) => l.id).filter(Boolean));
      for (const l of existing.budget) {
        if (!kept.has(l.id) && this.expenditures.some((e) => e.budgetLineId === l.id)) {
          errors.push({ field: "budget", message: `预算行“${l.year} ${l.purpose}”已有支出，不能删除` });
        }
      }
    }
    check(errors);
    const at = this.host.stamp();
    const known = new Set(existing?.budget.map((l) => l.id) ?? []);
    const fields = {
      itemId: input.itemId, unitId: input.unitId || null, title, startYear: input.startYear, endYear: input.endYear,
      goals: input.goals?.trim() || null, measures: input.measures?.trim() || null, mechanism: input.mechanism?.trim() || null,
      budgetBasis: input.budgetBasis?.trim() || null, note: input.note?.trim() || null,
      years: input.years.map((y) => ({ ...y, id: y.id ?? this.host.id("year"), targets: y.targets?.trim() || null, measures: y.measures?.trim() || null })),
      budget: input.budget.map((l) => ({ ...l, id: l.id && known.has(l.id) ? l.id : this.host.id("line"), purpose: l.purpose.trim(), justification: l.justification?.trim() || null, spentFen: 0 })),
    };
    if (existing) {
      for (const k of ["title", "startYear", "endYear", "goals", "measures", "mechanism", "budgetBasis", "note"] as const) {
        if (String(existing[k] ?? "") !== String(fields[k] ?? "")) this.log(existing.id, k, existing[k] === null ? null : String(existing[k]), fields[k] === null ? null : String(fields[k]));
      }
      const before = this.budgetText(existing.budget), after = this.budgetText(fields.budget);
      if (before !== after) this.log(existing.id, "budget", before, after);
      Object.assign(existing, fields, { updatedAt: at });
      return this.detail(existing);
    }
    const p: MockPlan = { ...fields, id: this.host.id("plan"), createdAt: at, updatedAt: at, deletedAt: null, deletedReason: null };
    this.plans.push(p);
    this.host.appendLog({ at, actor: this.host.actorName(), entity: "plan", entityId: p.id, action: "create", field: null, oldValue: null, newValue: null, reason: null });
    return this.detail(p);
  }

  private log(entityId: string, field: string, oldValue: string | null, newValue: string | null, entity = "plan") {
    this.host.appendLog({ at: this.host.stamp(), actor: this.host.actorName(), entity, entityId, action: "update", field, oldValue, newValue, reason: null });
  }

  private saveExpenditure(input: Expenditure): PlanDetail {
    const errors: FieldError[] = [];
    const plan = this.plans.find((p) => p.budget.some((l) => l.id === input.budgetLineId));
    const line = plan?.budget.find((l) => l.id === input.budgetLineId);
    if (!input.budgetLineId) errors.push({ field: "budgetLineId", message: "请选择预算行" });
    else if (!plan) errors.push({ field: "budgetLineId", message: "所选预算行不存在" });
    else if (plan.deletedAt) errors.push({ field: "budgetLineId", message: "所属保护计划已删除" });
    if (!Number.isInteger(input.amountFen) || input.amountFen <= 0) errors.push({ field: "amountFen", message: "支出金额应大于 0" });
    if (!input.spentOn) errors.push({ field: "spentOn", message: "请填写支出日期" });
    else if (!DATE.test(input.spentOn)) errors.push({ field: "spentOn", message: "支出日期格式应为 YYYY-MM-DD" });
    else if (plan && !(Number(input.spentOn.slice(0, 4)) >= plan.startYear && Number(input.spentOn.slice(0, 4)) <= plan.endYear)) {
      errors.push({ field: "spentOn", message: `支出日期应在计划年度 ${plan.startYear}—${plan.endYear} 之内` });
    }
    check(errors);
    const at = this.host.stamp();
    if (input.id) {
      const e = this.expenditures.find((x) => x.id === input.id) ?? fail("not_found", `找不到支出记录：${input.id}`);
      Object.assign(e, input);
      this.log(e.id, "amount", null, `${yuan(e.amountFen)} 元`, "expenditure");
    } else {
      const e: MockExpenditure = { ...input, id: this.host.id("exp"), deletedAt: null, deletedReason: null };
      this.expenditures.push(e);
      this.host.appendLog({ at, actor: this.host.actorName(), entity: "expenditure", entityId: e.id, action: "create", field: null, oldValue: null, newValue: `${input.spentOn} ${yuan(input.amountFen)} 元（${budgetLineLabel(line!)}）`, reason: null });
    }
    return this.detail(plan!);
  }

  private deleteExpenditure(id: string, reason: string): PlanDetail {
    if (!reason.trim()) fail("validation", "请填写删除原因", [{ field: "reason", message: "请填写删除原因" }]);
    const e = this.expenditures.find((x) => x.id === id && !x.deletedAt) ?? fail("not_found", `找不到支出记录：${id}`);
    e.deletedAt = this.host.stamp();
    e.deletedReason = reason;
    this.host.appendLog({ at: e.deletedAt, actor: this.host.actorName(), entity: "expenditure", entityId: id, action: "delete", field: null, oldValue: `${e.spentOn} ${yuan(e.amountFen)} 元`, newValue: null, reason });
    return this.detail(this.plans.find((p) => p.budget.some((l) => l.id === e.budgetLineId))!);
  }

  // ---- activities -------------------------------------------------------------------------

  private activity(id: string) {
    return this.activities.find((a) => a.id === id) ?? fail("not_found", `找不到活动：${id}`);
  }
  private activityRow(a: MockActivity): ActivityRow {
    return {
      id: a.id, kind: a.kind, title: a.title, startedOn: a.startedOn, endedOn: a.endedOn, place: a.place, participants: a.participants,
      items: a.itemIds.map((i) => this.host.itemRef(i)?.name ?? "").filter(Boolean).join("、"),
      inFeiyiMonth: feiyiMonthOf(a.startedOn, a.endedOn) !== null, deletedAt: a.deletedAt,
    };
  }
  private activityDetail(a: MockActivity): ActivityDetail {
    const { id, createdAt, updatedAt, deletedAt, deletedReason, ...fields } = a;
    const month = feiyiMonthOf(a.startedOn, a.endedOn);
    return {
      id, fields: { ...fields, id, itemIds: [...a.itemIds], inheritorIds: [...a.inheritorIds] },
      items: a.itemIds.map((i) => this.host.itemRef(i)).filter((x) => !!x).map((x) => ({ id: x!.id, code: x!.code, name: x!.name })),
      inheritors: a.inheritorIds.map((p) => ({ id: p, name: this.host.personName(p) ?? "" })),
      inFeiyiMonth: month !== null, feiyiMonth: month, createdAt, updatedAt, deletedAt, deletedReason,
    };
  }
  /** One page of plans, like the core's: newest first, paged after the filters. */
  private listPlans(q: PlanQuery): PlanPage {
    const text = (q.query ?? "").trim();
    const rows = this.plans
      .filter((p) => (q.deleted ? p.deletedAt !== null : p.deletedAt === null))
      .filter((p) => !q.itemId || p.itemId === q.itemId)
      .map((p) => this.row(p))
      .filter((r) => !text || r.title.includes(text) || r.itemName.includes(text))
      .sort((x, y) => y.startYear - x.startYear);
    const page = Math.max(1, q.page ?? 1);
    const pageSize = Math.min(500, Math.max(1, q.pageSize ?? 20));
    return { rows: rows.slice((page - 1) * pageSize, page * pageSize), total: rows.length, page, pageSize };
  }
  private listActivities(q: ActivityQuery): ActivityPage {
    const text = (q.query ?? "").trim().toLowerCase();
    const rows = this.activities
      .filter((a) => (q.deleted ? a.deletedAt !== null : a.deletedAt === null))
      .filter((a) => !text || a.title.toLowerCase().includes(text) || (a.description ?? "").includes(text))
      .filter((a) => !q.kind || a.kind === q.kind)
      .filter((a) => !q.year || a.startedOn.startsWith(String(q.year)))
      .filter((a) => !q.itemId || a.itemIds.includes(q.itemId))
      .sort((a, b) => b.startedOn.localeCompare(a.startedOn))
      .map((a) => this.activityRow(a));
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return { rows: rows.slice((page - 1) * pageSize, page * pageSize), total: rows.length, page, pageSize };
  }
  private saveActivity(input: ActivityInput): ActivityDetail {
    const errors: FieldError[] = [];
    if (!input.kind) errors.push({ field: "kind", message: "请选择活动类型" });
    else if (!(ACTIVITY_KINDS as readonly string[]).includes(input.kind)) errors.push({ field: "kind", message: `活动类型应为 ${ACTIVITY_KINDS.join(" / ")}` });
    if (!input.title.trim()) errors.push({ field: "title", message: "请填写活动名称" });
    if (!input.startedOn) errors.push({ field: "startedOn", message: "请填写活动日期" });
    else if (!DATE.test(input.startedOn)) errors.push({ field: "startedOn", message: "活动日期格式应为 YYYY-MM-DD" });
    if (input.endedOn && input.startedOn && input.endedOn < input.startedOn) errors.push({ field: "endedOn", message: "结束日期不能早于开始日期" });
    if (input.participants !== null && input.participants < 0) errors.push({ field: "participants", message: "参与人数不能为负数" });
    input.itemIds.forEach((id, i) => {
      if (!this.host.itemRef(id)) errors.push({ field: `itemIds.${i}`, message: "所选项目不存在" });
    });
    input.inheritorIds.forEach((id, i) => {
      if (!this.host.personName(id)) errors.push({ field: `inheritorIds.${i}`, message: "所选传承人不存在" });
    });
    check(errors);
    const existing = input.id ? this.activity(input.id) : null;
    if (existing?.deletedAt) fail("deleted", `活动已删除（在回收站中），请先恢复：${existing.id}`);
    const at = this.host.stamp();
    const { id: _id, ...fields } = { ...input, title: input.title.trim() };
    void _id;
    if (existing) {
      for (const k of ["kind", "title", "startedOn", "endedOn", "place", "organizer", "participants", "description", "note"] as const) {
        if (String(existing[k] ?? "") !== String(fields[k] ?? "")) this.log(existing.id, k, existing[k] === null ? null : String(existing[k]), fields[k] === null ? null : String(fields[k]), "activity");
      }
      Object.assign(existing, fields, { updatedAt: at });
      return this.activityDetail(existing);
    }
    const a: MockActivity = { ...fields, id: this.host.id("act"), createdAt: at, updatedAt: at, deletedAt: null, deletedReason: null };
    this.activities.push(a);
    this.host.appendLog({ at, actor: this.host.actorName(), entity: "activity", entityId: a.id, action: "create", field: null, oldValue: null, newValue: null, reason: null });
    return this.activityDetail(a);
  }

  searchHits(text: string): SearchHit[] {
    const t = text.trim().toLowerCase();
    if (!t) return [];
    return this.activities
      .filter((a) => !a.deletedAt && a.title.toLowerCase().includes(t))
      .map((a) => ({ kind: "activity", id: a.id, name: a.title, snippet: `${a.startedOn} ${a.kind}`, matched: "name" }));
  }

  /** Soft-deleted plans and activities, for the recycle bin. */
  deleted(): { entity: string; entityLabel: string; id: string; name: string; deletedAt: string; reason: string | null }[] {
    return [
      ...this.plans.filter((p) => p.deletedAt).map((p) => ({ entity: "plan", entityLabel: "保护计划", id: p.id, name: p.title, deletedAt: p.deletedAt!, reason: p.deletedReason })),
      ...this.activities.filter((a) => a.deletedAt).map((a) => ({ entity: "activity", entityLabel: "活动", id: a.id, name: a.title, deletedAt: a.deletedAt!, reason: a.deletedReason })),
    ];
  }

  private softDelete(x: Stamps & { id: string }, entity: string, reason: string) {
    if (!reason.trim()) fail("validation", "请填写删除原因", [{ field: "reason", message: "请填写删除原因" }]);
    x.deletedAt = this.host.stamp();
    x.deletedReason = reason;
    this.host.appendLog({ at: x.deletedAt, actor: this.host.actorName(), entity, entityId: x.id, action: "delete", field: null, oldValue: null, newValue: null, reason });
  }
  private restore(x: Stamps & { id: string }, entity: string) {
    if (x.deletedAt) {
      x.deletedAt = null;
      x.deletedReason = null;
      this.host.appendLog({ at: this.host.stamp(), actor: this.host.actorName(), entity, entityId: x.id, action: "restore", field: null, oldValue: null, newValue: null, reason: null });
    }
  }

  handle(cmd: string, a: Record<string, unknown>): unknown {
    switch (cmd) {
      case "plan_list":
        return this.listPlans(a.query as PlanQuery);
      case "plan_get":
        return this.detail(this.plan(a.id as string));
      case "plan_save":
        return this.savePlan(a.input as PlanInput);
      case "plan_delete":
        this.softDelete(this.plan(a.id as string), "plan", String(a.reason ?? ""));
        return null;
      case "plan_restore": {
        const p = this.plan(a.id as string);
        if (p.deletedAt && this.host.itemRef(p.itemId)?.deleted) fail("conflict", `保护计划所属的项目“${this.host.itemRef(p.itemId)!.name}”已删除，请先恢复项目`);
        this.restore(p, "plan");
        return this.detail(p);
      }
      case "expenditure_save":
        return this.saveExpenditure(a.input as Expenditure);
      case "expenditure_delete":
        return this.deleteExpenditure(a.id as string, String(a.reason ?? ""));
      case "activity_list":
        return this.listActivities(a.query as ActivityQuery);
      case "activity_get":
        return this.activityDetail(this.activity(a.id as string));
      case "activity_save":
        return this.saveActivity(a.input as ActivityInput);
      case "activity_delete":
        this.softDelete(this.activity(a.id as string), "activity", String(a.reason ?? ""));
        return null;
      case "activity_restore": {
        const x = this.activity(a.id as string);
        this.restore(x, "activity");
        return this.activityDetail(x);
      }
      case "feiyi_month_info": {
        const year = Number(a.year);
        return FEIYI_MONTHS.find((m) => m.year === year) ?? fail("validation", `示例数据只含 2023—2026 年的非遗月（正式程序可推算 1902—2100 年）`, [{ field: "year", message: "超出示例范围" }]);
      }
      default:
        return UNHANDLED;
    }
  }
}

// The in-memory fake of 统计 (statistics and their exports), the 年度工作报告 and 提醒
// (reminders and their settings), for the development preview (dev-mock.html) and UI tests.
// Everything is computed from the mock's fictional sample data, simply; the core is the
// authority on the rules (crates/core). “Today” is the Beijing date unless a test sets `today`.
import type { AnnualReportSummary } from "../bindings/AnnualReportSummary";
import type { FieldError } from "../bindings/FieldError";
import type { FindingTarget } from "../bindings/FindingTarget";
import type { Reminder } from "../bindings/Reminder";
import type { ReminderList } from "../bindings/ReminderList";
import type { ReminderQuery } from "../bindings/ReminderQuery";
import type { ReminderSettings } from "../bindings/ReminderSettings";
import type { ReminderUrgency } from "../bindings/ReminderUrgency";
import type { StatCell } from "../bindings/StatCell";
import type { StatRow } from "../bindings/StatRow";
import type { StatTable } from "../bindings/StatTable";
import type { Statistics } from "../bindings/Statistics";
import type { StatsExport } from "../bindings/StatsExport";
import type { StatsQuery } from "../bindings/StatsQuery";
import { ACTIVITY_KINDS, FUNDING_SOURCES, addDays, chineseDate } from "../format";
import type { PeopleMock } from "./people";
import { FEIYI_MONTHS, type ProtectionMock } from "./protection";
import { UNHANDLED } from "./people";

/** What the insight fake reads from the rest of the mock backend. */
export interface InsightHost {
  info: { kind: string };
  items: {
    id: string; name: string; category: string; batchId: string | null; status: string; endangered: boolean;
    townships: { code: string; name: string }[]; listings: { level: string }[]; createdAt: string; deletedAt: string | null;
  }[];
  batches: { id: string; number: number; label: string; docNumber: string | null; declaredCount: number | null; deletedAt: string | null }[];
  people: PeopleMock;
  protection: ProtectionMock;
  itemCode(id: string): string;
  categories(): { code: string; name: string }[];
  townships(): { code: string; name: string }[];
  mediaCountOfActivities(ids: string[]): number;
}

function fail(code: string, message: string, fields?: FieldError[]): never {
  throw fields ? { code, message, fields } : { code, message };
}

const LEVELS = ["国家级", "省级", "市级", "区级"];
const IN_FORCE = ["在册", "丧失传承能力"];
export const AT_RISK_AGE = 70;

/** Today in Beijing (UTC+8), `YYYY-MM-DD`. */
export function beijingToday(now = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

/** Whole years from `birth` (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`; missing parts = the first) to `on`. */
export function ageAt(birth: string | null, on: string): number | null {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(birth ?? "");
  if (!m) return null;
  const bm = m[2] ?? "01";
  const bd = m[3] ?? "01";
  let age = Number(on.slice(0, 4)) - Number(m[1]);
  if (on.slice(5) < `${bm}-${bd}`) age--;
  return age;
}

const yuan = (fen: number) => Math.round(fen) / 100;
const rate = (planned: number, spent: number) => (planned > 0 ? `${((spent / planned) * 100).toFixed(1)}%` : "");

const DEFAULT_SETTINGS: ReminderSettings = {
  annualReportDue: "11-30", annualReportLeadDays: 30, evaluationDue: "12-31", evaluationLeadDays: 60,
  unitCheckMonths: 12, unitCheckLeadDays: 30, planLeadDays: 60, elderAge: 80, feiyiMonthLeadDays: 30,
};
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** `YYYY-MM-DD` plus whole months, the day clamped to the month's end. */
function addMonths(date: string, months: number): string {
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7)) - 1 + months;
  const yy = y + Math.floor(m / 12);
  const mm = ((m % 12) + 12) % 12;
  const leap = mm === 1 && ((yy % 4 === 0 && yy % 100 !== 0) || yy % 400 === 0);
  const last = DAYS_IN_MONTH[mm] + (leap ? 1 : 0);
  const d = Math.min(Number(date.slice(8, 10)), last);
  return `${yy}-${String(mm + 1).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

type State = { snoozedUntil: string | null; dismissedAt: string | null; reason: string | null };

export class InsightMock {
  /** The day of the data; tests may pin it. */
  today: () => string = () => beijingToday();
  settings: ReminderSettings = { ...DEFAULT_SETTINGS };
  /** Snoozed and dismissed reminders, by key. */
  state = new Map<string, State>();

  constructor(private host: InsightHost) {}

  rebind(host: InsightHost): this {
    this.host = host;
    return this;
  }

  /** A snoozed and a dismissed reminder, so that every tab of the preview has something. */
  seed() {
    const list = this.compute();
    const unit = list.find((r) => r.rule === "unitCheckDue");
    const gap = list.find((r) => r.rule === "itemWithoutUnit");
    if (unit) this.state.set(unit.key, { snoozedUntil: addDays(this.today(), 10), dismissedAt: null, reason: "等待单位补交整改材料（示例）" });
    if (gap) this.state.set(gap.key, { snoozedUntil: null, dismissedAt: new Date(Date.now() - 3 * 86_400_000).toISOString(), reason: "该项目由区文化馆代管，保护单位正在认定（示例）" });
  }

  // ---- facts -----------------------------------------------------------------------------

  private liveItems() {
    return this.host.items.filter((i) => !i.deletedAt);
  }
  private listedItems() {
    return this.liveItems().filter((i) => i.status === "在册");
  }
  private level(i: { listings: { level: string }[] }) {
    return i.listings.reduce((best, l) => (LEVELS.indexOf(l.level) >= 0 && LEVELS.indexOf(l.level) < LEVELS.indexOf(best) ? l.level : best), "区级");
  }
  private person(id: string) {
    return this.host.people.inheritors.find((p) => p.id === id && !p.deletedAt) ?? null;
  }
  /** The latest status of a recognition (none = 在册). */
  private status(r: { events: { status: string; occurredOn: string }[] }) {
    const events = [...r.events].sort((a, b) => a.occurredOn.localeCompare(b.occurredOn));
    return events[events.length - 1]?.status ?? "在册";
  }
  /** Live recognitions of live people for live items. */
  private liveRecognitions() {
    const live = new Set(this.liveItems().map((i) => i.id));
    return this.host.people.recognitions.filter((r) => live.has(r.itemId) && this.person(r.inheritorId));
  }
  /** Recognitions in force for the statistics: listed item, no death date, 在册 or 丧失传承能力. */
  private inForce(statuses = IN_FORCE) {
    const listed = new Set(this.listedItems().map((i) => i.id));
    return this.liveRecognitions().filter((r) => listed.has(r.itemId) && !this.person(r.inheritorId)!.deathDate && statuses.includes(this.status(r)));
  }
  private inForcePeople() {
    const ids = [...new Set(this.inForce().map((r) => r.inheritorId))];
    return ids.map((id) => this.person(id)!);
  }
  private catLabel(code: string) {
    const c = this.host.categories().find((x) => x.code === code);
    return c ? `${c.code} ${c.name}` : code;
  }

  // ---- statistics ------------------------------------------------------------------------

  statistics(q: StatsQuery): Statistics {
    const asOf = this.today();
    const year = q.year ?? Number(asOf.slice(0, 4));
    if (!Number.isInteger(year) || year < 1900 || year > 2200) fail("validation", "统计年度应在 1900—2200 年之间", [{ field: "year", message: "年度无效" }]);
    const row = (cells: StatCell[], extra: Partial<StatRow> = {}): StatRow => ({ cells, target: null, total: false, highlight: false, ...extra });
    const total = (cells: StatCell[]) => row(["合计", ...cells], { total: true });
    const table = (key: string, title: string, unit: string, chart: StatTable["chart"], columns: string[], rows: StatRow[], notes: string[] = []): StatTable => ({ key, title, unit, chart, columns, rows, notes, omitted: 0 });
    const listed = this.listedItems();
    const withdrawn = this.liveItems().length - listed.length;
    const listedNote = withdrawn ? [`已撤销或合并的项目（${withdrawn} 项）不计入。`] : [];
    const tables: StatTable[] = [];

    const byLevel = LEVELS.map((l) => listed.filter((i) => this.level(i) === l).length);
    tables.push(table("items_by_level", "代表性项目按级别统计", "项", "pie", ["级别", "项目数"],
      [...LEVELS.map((l, n) => row([l, byLevel[n]])), total([listed.length])], ["项目按其最高级别计一次；没有级别记录的按区级计。", ...listedNote]));

    const batches = this.host.batches.filter((b) => !b.deletedAt).sort((a, b) => a.number - b.number);
    const batchRows = batches.map((b) => row([b.label, b.docNumber ?? "", b.declaredCount ?? "", listed.filter((i) => i.batchId === b.id).length]));
    const noBatch = listed.filter((i) => !batches.some((b) => b.id === i.batchId)).length;
    if (noBatch) batchRows.push(row(["未归入批次", "", "", noBatch]));
    tables.push(table("items_by_batch", "代表性项目按批次统计", "项", "bar", ["批次", "公布文号", "公布项目数", "已录入项目数"],
      [...batchRows, total(["", batches.reduce((s, b) => s + (b.declaredCount ?? 0), 0), listed.length])], listedNote));

    const cats = this.host.categories();
    tables.push(table("items_by_category", "代表性项目按类别统计", "项", "bar", ["类别", "项目数"],
      [...cats.map((c) => row([`${c.code} ${c.name}`, listed.filter((i) => i.category === c.code).length])), total([listed.length])], listedNote));

    const towns = this.host.townships();
    const townRows = towns.map((t) => row([t.name, listed.filter((i) => i.townships.some((x) => x.code === t.code)).length]));
    const noTown = listed.filter((i) => !i.townships.length).length;
    if (noTown) townRows.push(row(["未填写分布", noTown]));
    tables.push(table("items_by_township", "代表性项目按镇（街道）分布统计", "项", "schematic", ["镇（街道）", "项目数"],
      [...townRows, total([listed.length])], ["一个项目分布在多个镇（街道）的，各计一次；合计为项目数。", ...listedNote]));

    const people = this.inForcePeople();
    const recs = this.inForce();
    const best = (pid: string) => recs.filter((r) => r.inheritorId === pid).reduce((b, r) => (LEVELS.indexOf(r.level) < LEVELS.indexOf(b) ? r.level : b), "区级");
    tables.push(table("inheritors_by_level", "代表性传承人按级别统计", "人", "pie", ["级别", "人数"],
      [...LEVELS.map((l) => row([l, people.filter((p) => best(p.id) === l).length])), total([people.length])], ["一人有多个认定的，按其最高级别计一次。"]));
    tables.push(table("inheritors_by_sex", "代表性传承人按性别统计", "人", "pie", ["性别", "人数"],
      [row(["男", people.filter((p) => p.sex === "男").length]), row(["女", people.filter((p) => p.sex === "女").length]),
        row(["未填写", people.filter((p) => p.sex !== "男" && p.sex !== "女").length]), total([people.length])]));

    const ages = people.map((p) => ageAt(p.birthDate, asOf));
    const bands: [string, (a: number) => boolean][] = [
      ["40岁以下", (a) => a < 40], ["40—49岁", (a) => a >= 40 && a < 50], ["50—59岁", (a) => a >= 50 && a < 60],
      ["60—69岁", (a) => a >= 60 && a < 70], ["70—79岁", (a) => a >= 70 && a < 80], ["80岁及以上", (a) => a >= 80],
    ];
    const known = ages.filter((a): a is number => a !== null);
    const avg = known.length ? (known.reduce((s, a) => s + a, 0) / known.length).toFixed(1) : null;
    tables.push(table("inheritors_by_age", "代表性传承人年龄结构", "人", "bar", ["年龄段", "人数"],
      [...bands.map(([l, f]) => row([l, known.filter(f).length])), row(["出生年月不详", ages.length - known.length]), total([people.length])],
      [`年龄按 ${chineseDate(asOf)} 计算；出生日期只有年份或年月的，按该年或该月的第一天计算。`, avg ? `平均年龄 ${avg} 岁。` : "没有可计算年龄的传承人。"]));

    const statuses = ["在册", "丧失传承能力", "取消资格", "去世"];
    const all = this.liveRecognitions();
    tables.push(table("inheritors_by_status", "代表性传承人认定状态统计", "人次", "pie", ["状态", "人次"],
      [...statuses.map((s) => row([s, all.filter((r) => this.status(r) === s).length])), total([all.length])], ["一人有多个认定的，每个认定各计一次。"]));

    const riskRows: StatRow[] = [];
    for (const i of listed) {
      const mine = recs.filter((r) => r.itemId === i.id);
      const ids = [...new Set(mine.map((r) => r.inheritorId))];
      const reasons: string[] = [];
      const agesOf = ids.map((id) => ageAt(this.person(id)!.birthDate, asOf));
      if (ids.length && agesOf.every((a) => a !== null && a >= AT_RISK_AGE)) reasons.push(`认定传承人均已年满${AT_RISK_AGE}岁`);
      if (!ids.length) reasons.push("无在册代表性传承人");
      if (ids.length && !this.host.people.edges.some((e) => e.itemId === i.id && ids.includes(e.masterId))) reasons.push("传承人未记录徒弟");
      if (i.endangered) reasons.push("存续状况为濒危");
      if (!reasons.length) continue;
      const who = ids.map((id, n) => `${this.person(id)!.name}（${agesOf[n] ?? "年龄不详"}）`).join("、");
      riskRows.push(row([this.host.itemCode(i.id), i.name, this.catLabel(i.category), who, reasons.join("；")], { target: { kind: "item", id: i.id, field: null } }));
    }
    tables.push(table("at_risk", "传承风险项目预警", "项", "list", ["项目编号", "项目名称", "类别", "代表性传承人（年龄）", "预警原因"], riskRows,
      [`预警条件：认定传承人均已年满${AT_RISK_AGE}岁；无在册代表性传承人；传承人未记录徒弟；存续状况为濒危。`]));

    const plans = this.host.protection.plans.filter((p) => !p.deletedAt);
    const lines = plans.flatMap((p) => p.budget.map((l) => ({ ...l, itemId: p.itemId })));
    const spent = this.host.protection.expenditures
      .filter((e) => !e.deletedAt)
      .map((e) => ({ ...e, line: lines.find((l) => l.id === e.budgetLineId) }))
      .filter((e) => e.line);
    const fundYears = [...new Set([...lines.map((l) => l.year), ...spent.map((e) => Number(e.spentOn.slice(0, 4)))])].sort((a, b) => a - b);
    const plannedIn = (y: number) => lines.filter((l) => l.year === y).reduce((s, l) => s + l.amountFen, 0);
    const spentIn = (y: number) => spent.filter((e) => e.spentOn.startsWith(`${y}-`)).reduce((s, e) => s + e.amountFen, 0);
    const allPlanned = lines.reduce((s, l) => s + l.amountFen, 0);
    const allSpent = spent.reduce((s, e) => s + e.amountFen, 0);
    tables.push(table("funds_by_year", "保护经费按年度统计", "元", "groupedBar", ["年度", "计划金额", "实际支出", "执行率"],
      [...fundYears.map((y) => row([`${y}年`, yuan(plannedIn(y)), yuan(spentIn(y)), rate(plannedIn(y), spentIn(y))])), total([yuan(allPlanned), yuan(allSpent), rate(allPlanned, allSpent)])],
      ["计划金额为保护计划中该年度的预算；实际支出按支出日期所在年度计。"]));

    const yLines = lines.filter((l) => l.year === year);
    const ySpent = spent.filter((e) => e.spentOn.startsWith(`${year}-`));
    const src = FUNDING_SOURCES.map((s) => [s, yLines.filter((l) => l.source === s).reduce((a, l) => a + l.amountFen, 0), ySpent.filter((e) => e.line!.source === s).reduce((a, e) => a + e.amountFen, 0)] as const);
    tables.push(table("funds_by_source", `${year}年保护经费按来源统计`, "元", "groupedBar", ["来源", "计划金额", "实际支出"],
      [...src.map(([s, p, x]) => row([s, yuan(p), yuan(x)])), total([yuan(plannedIn(year)), yuan(spentIn(year))])], ["实际支出按其预算项目的资金来源计。"]));

    const itemIds = [...new Set([...yLines.map((l) => l.itemId), ...ySpent.map((e) => e.line!.itemId)])];
    const itemRows = itemIds
      .map((id) => this.host.items.find((i) => i.id === id)!)
      .filter(Boolean)
      .map((i) => row([this.host.itemCode(i.id), i.name, yuan(yLines.filter((l) => l.itemId === i.id).reduce((a, l) => a + l.amountFen, 0)), yuan(ySpent.filter((e) => e.line!.itemId === i.id).reduce((a, e) => a + e.amountFen, 0))], { target: { kind: "item", id: i.id, field: null } }));
    tables.push(table("funds_by_item", `${year}年保护经费按项目统计`, "元", "groupedBar", ["项目编号", "项目名称", "计划金额", "实际支出"],
      itemRows.length ? [...itemRows, total(["", yuan(plannedIn(year)), yuan(spentIn(year))])] : []));

    const acts = this.host.protection.activities.filter((a) => !a.deletedAt && a.startedOn.startsWith(`${year}-`));
    const months = [FEIYI_MONTHS.find((m) => m.year === year), FEIYI_MONTHS.find((m) => m.year === year + 1 && m.start.startsWith(`${year}-`))].filter((m): m is (typeof FEIYI_MONTHS)[number] => !!m);
    const monthRows = Array.from({ length: 12 }, (_, n) => {
      const mm = `${year}-${String(n + 1).padStart(2, "0")}`;
      const inMonth = acts.filter((a) => a.startedOn.startsWith(mm));
      const first = `${mm}-01`;
      const last = `${mm}-${String(DAYS_IN_MONTH[n] + (n === 1 && year % 4 === 0 ? 1 : 0)).padStart(2, "0")}`;
      return row([`${n + 1}月`, ...ACTIVITY_KINDS.map((k) => inMonth.filter((a) => a.kind === k).length), inMonth.length], { highlight: months.some((m) => m.start <= last && first <= m.end) });
    });
    tables.push(table("activities_by_month", `${year}年保护传承活动按月统计`, "次", "stackedBar", ["月份", ...ACTIVITY_KINDS, "合计"],
      [...monthRows, total([...ACTIVITY_KINDS.map((k) => acts.filter((a) => a.kind === k).length), acts.length])],
      ["活动按开始日期所在月份计。", ...months.map((m) => `非遗月（农历腊月二十三至二月初二）：${chineseDate(m.start)}至${chineseDate(m.end)}，表中以底色标出。`)]));

    tables.push(table("activities_by_kind", `${year}年保护传承活动按类型统计`, "次", "pie", ["类型", "次数", "参与人次"],
      [...ACTIVITY_KINDS.map((k) => row([k, acts.filter((a) => a.kind === k).length, acts.filter((a) => a.kind === k).reduce((s, a) => s + (a.participants ?? 0), 0)])),
        total([acts.length, acts.reduce((s, a) => s + (a.participants ?? 0), 0)])]));

    return { asOf, year, feiyiMonth: FEIYI_MONTHS.find((m) => m.year === year) ?? null, tables };
  }

  private prefix() {
    return this.host.info.kind === "sample" ? "示例 " : "";
  }

  exportTable(q: StatsQuery, key: string, path: string): StatsExport {
    const t = this.statistics(q).tables.find((x) => x.key === key) ?? fail("not_found", `没有这张统计表：${key}`);
    if (!path.trim()) fail("bad_input", "请选择保存的位置");
    return { path, sheets: [`${this.prefix()}${t.title}`] };
  }

  exportWorkbook(q: StatsQuery, path: string): StatsExport {
    if (!path.trim()) fail("bad_input", "请选择保存的位置");
    return { path, sheets: this.statistics(q).tables.map((t) => `${this.prefix()}${t.title}`) };
  }

  annualReport(year: number, dir: string): AnnualReportSummary {
    const current = Number(this.today().slice(0, 4));
    if (!Number.isInteger(year) || year > current) fail("validation", `只能生成 ${current} 年及以前年度的工作报告`, [{ field: "year", message: "年度不能晚于今年" }]);
    if (!dir.trim()) fail("bad_input", "请选择保存报告的文件夹");
    const name = `${this.prefix()}${year}年度非物质文化遗产保护工作报告`;
    const acts = this.host.protection.activities.filter((a) => !a.deletedAt && a.startedOn.startsWith(`${year}-`));
    const gaps: string[] = [];
    const due = this.inForce(["在册"]).filter((r) => !this.host.people.evaluations.some((e) => e.inheritorId === r.inheritorId && e.itemId === r.itemId && e.year === year));
    if (due.length) gaps.push(`${year}年度有 ${due.length} 个传承人认定没有录入评估结果。`);
    if (!acts.length) gaps.push(`${year}年没有登记保护传承活动。`);
    const spentYear = this.host.protection.expenditures.filter((e) => !e.deletedAt && e.spentOn.startsWith(`${year}-`));
    if (!spentYear.length) gaps.push(`${year}年没有登记经费支出。`);
    return {
      year,
      docx: `${dir}/${name}.docx`,
      pdf: `${dir}/${name}.pdf`,
      sections: ["基本情况", "名录建设", "传承人队伍", "保护经费", "保护传承活动", "存在的问题", "下一年度工作打算"],
      photos: Math.min(6, this.host.mediaCountOfActivities(acts.map((a) => a.id))),
      gaps,
    };
  }

  // ---- reminders -------------------------------------------------------------------------

  /** Every reminder the rules raise today, without their state. */
  compute(): Reminder[] {
    const s = this.settings;
    const today = this.today();
    const Y = Number(today.slice(0, 4));
    const out: Reminder[] = [];
    const add = (key: string, rule: Reminder["rule"], urgency: ReminderUrgency, title: string, detail: string, dueOn: string | null, target: FindingTarget | null) =>
      out.push({ key, rule, urgency, title, detail, dueOn, target, snoozedUntil: null, dismissedAt: null, reason: null });
    const window = (due: string, lead: number): ReminderUrgency | null => (today < addDays(due, -lead) ? null : today <= due ? "dueSoon" : "overdue");
    const itemName = (id: string) => this.host.items.find((i) => i.id === id)?.name ?? "";

    // 1. evaluations (only 在册 recognitions are evaluated)
    for (const r of this.inForce(["在册"])) {
      const p = this.person(r.inheritorId)!;
      for (const y of [Y - 1, Y]) {
        const due = `${y}-${s.evaluationDue}`;
        if (r.recognizedOn && r.recognizedOn > due) continue;
        if (this.host.people.evaluations.some((e) => e.inheritorId === p.id && e.itemId === r.itemId && e.year === y)) continue;
        const u = y < Y ? (today > due ? "overdue" : window(due, s.evaluationLeadDays)) : window(due, s.evaluationLeadDays);
        if (!u) continue;
        add(`evaluation_due:${r.id}:${y}`, "evaluationDue", u, `${p.name}（${itemName(r.itemId)}）${y}年度评估未录入`,
          `请在传承人“${p.name}”的“年度评估”页录入 ${y} 年度的评估结果。`, due, { kind: "inheritor", id: p.id, field: "evaluations" });
      }
    }
    // 2. unit checks
    const live = new Set(this.liveItems().map((i) => i.id));
    for (const unit of this.host.people.units.filter((u) => !u.deletedAt && u.itemIds.some((id) => live.has(id)))) {
      const checks = this.host.people.checks.filter((c) => c.unitId === unit.id).sort((a, b) => a.checkedOn.localeCompare(b.checkedOn));
      const last = checks[checks.length - 1];
      if (last?.result === "取消") continue;
      const due = !last ? addMonths(unit.createdAt.slice(0, 10), s.unitCheckMonths) : last.result === "限期整改" && last.deadline ? last.deadline : addMonths(last.checkedOn, s.unitCheckMonths);
      const u = window(due, s.unitCheckLeadDays);
      if (!u) continue;
      const rectify = last?.result === "限期整改" && !!last.deadline;
      add(`unit_check_due:${unit.id}:${due}`, "unitCheckDue", u, rectify ? `${unit.name}整改期限到期，需复查` : `${unit.name}需进行年度检查`,
        rectify ? `该单位 ${chineseDate(last!.checkedOn)} 检查结果为限期整改，请复查整改情况并登记检查记录。` : "请对该保护单位履行保护职责的情况进行检查，并在单位的“检查记录”页登记结果。",
        due, { kind: "unit", id: unit.id, field: "checks" });
    }
    // 3. the yearly report
    {
      const due = `${Y}-${s.annualReportDue}`;
      const u = window(due, s.annualReportLeadDays);
      if (u) add(`annual_report:${Y}`, "annualReport", u, `${Y}年度非遗保护工作报告报送`,
        `请在“统计”页生成 ${Y} 年度工作报告，核对后按时报送；已报送的可点“忽略”并注明“已报送”。`, due, { kind: "report", id: String(Y), field: null });
    }
    // 4. plans
    for (const p of this.host.protection.plans.filter((x) => !x.deletedAt && live.has(x.itemId) && x.startYear <= Y && Y <= x.endYear)) {
      const due = `${Y}-12-31`;
      if (today < addDays(due, -s.planLeadDays)) continue;
      if (p.years.some((y) => y.year === Y && y.targets)) add(`plan_milestone:${p.id}:${Y}`, "planMilestone", "dueSoon", `${p.title} ${Y}年度目标待总结`,
        `请对照保护计划中 ${Y} 年度的目标，总结完成情况。`, due, { kind: "plan", id: p.id, field: null });
      if (p.endYear === Y && !this.host.protection.plans.some((o) => !o.deletedAt && o.itemId === p.itemId && o.startYear > Y)) add(`plan_end:${p.id}:${Y}`, "planMilestone", "dueSoon",
        `${p.title}将于${Y}年到期，需编制下一期计划`, "请与保护单位商定下一个五年的保护计划。", due, { kind: "plan", id: p.id, field: null });
    }
    // 5. recognitions without 文号
    for (const r of this.liveRecognitions().filter((x) => !x.docNumber?.trim())) {
      const p = this.person(r.inheritorId)!;
      add(`recognition_without_doc:${r.id}`, "recognitionWithoutDoc", "gap", `${p.name}（${itemName(r.itemId)}）的认定没有文号`,
        "请在传承人的“认定”页补录认定文件的文号。", null, { kind: "inheritor", id: p.id, field: "recognitions" });
    }
    // 6. items without a unit
    const covered = new Set(this.host.people.units.filter((u) => !u.deletedAt).flatMap((u) => u.itemIds));
    for (const i of this.listedItems().filter((x) => !covered.has(x.id))) {
      add(`item_without_unit:${i.id}`, "itemWithoutUnit", "gap", `${i.name}没有保护单位`,
        "每个代表性项目都应有保护单位。请在“保护单位”中为该项目确定保护单位。", null, { kind: "item", id: i.id, field: "units" });
    }
    // 7. elderly inheritors without apprentices
    const elders = [...new Set(this.inForce(["在册"]).map((r) => r.inheritorId))].map((id) => this.person(id)!);
    for (const p of elders) {
      const age = ageAt(p.birthDate, today);
      if (age === null || age < s.elderAge || this.host.people.edges.some((e) => e.masterId === p.id)) continue;
      add(`elder_without_apprentice:${p.id}`, "elderWithoutApprentice", "gap", `${p.name}已${age}岁，尚未记录徒弟`,
        "请了解其带徒传艺情况，在所认定项目的“传承谱系”中登记徒弟。", null, { kind: "inheritor", id: p.id, field: "lineage" });
    }
    // 8. the 非遗月
    const next = FEIYI_MONTHS.find((m) => m.end >= today);
    if (next && today >= addDays(next.start, -s.feiyiMonthLeadDays)) {
      add(`feiyi_month:${next.year}`, "feiyiMonth", "info", `${next.year}年非遗月：${chineseDate(next.start)}至${chineseDate(next.end)}`,
        "山东省非遗月为农历腊月二十三至二月初二，各县区在此期间集中开展非遗展演展示活动，请提前安排并登记活动。", next.start, { kind: "protection", id: "activities", field: null });
    }
    return out;
  }

  reminders(): ReminderList {
    const today = this.today();
    const rank: Record<ReminderUrgency, number> = { overdue: 0, dueSoon: 1, gap: 2, info: 3 };
    const all = this.compute().map((r) => ({ ...r, ...(this.state.get(r.key) ?? {}) }));
    const active = all.filter((r) => !r.dismissedAt && !(r.snoozedUntil && r.snoozedUntil >= today));
    active.sort((a, b) => rank[a.urgency] - rank[b.urgency] || (a.dueOn ?? "9999").localeCompare(b.dueOn ?? "9999") || a.title.localeCompare(b.title, "zh-CN"));
    const snoozed = all.filter((r) => !r.dismissedAt && r.snoozedUntil && r.snoozedUntil >= today);
    const dismissed = all.filter((r) => r.dismissedAt);
    return {
      today,
      active: active.map((r) => ({ ...r, snoozedUntil: null })),
      snoozed,
      dismissed,
      activeTotal: active.length,
      snoozedTotal: snoozed.length,
      dismissedTotal: dismissed.length,
    };
  }

  /** One page of each tab, as the shell cuts the list (`reminders::page`). */
  static page(l: ReminderList, q: ReminderQuery | null | undefined): ReminderList {
    const size = Math.min(Math.max(q?.pageSize ?? 50, 1), 500);
    const cut = (v: Reminder[], p: number | null | undefined) => v.slice((Math.max(p ?? 1, 1) - 1) * size, Math.max(p ?? 1, 1) * size);
    return { ...l, active: cut(l.active, q?.activePage), snoozed: cut(l.snoozed, q?.snoozedPage), dismissed: cut(l.dismissed, q?.dismissedPage) };
  }

  private known(key: string) {
    if (!this.compute().some((r) => r.key === key)) fail("not_found", `找不到这条提醒（${key}），它可能已经处理完毕，请刷新后再试`);
  }

  snooze(key: string, until: string, reason: string | null): ReminderList {
    this.known(key);
    const today = this.today();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(until) || Number.isNaN(Date.parse(until))) fail("validation", "推迟到的日期无效", [{ field: "until", message: "日期无效" }]);
    if (until <= today) fail("validation", "推迟到的日期应晚于今天", [{ field: "until", message: "应晚于今天" }]);
    if (until > addDays(today, 366)) fail("validation", "最多只能推迟一年", [{ field: "until", message: "最多推迟一年" }]);
    this.state.set(key, { snoozedUntil: until, dismissedAt: null, reason: reason?.trim() || null });
    return this.reminders();
  }

  dismiss(key: string, reason: string): ReminderList {
    this.known(key);
    const r = (reason ?? "").trim();
    if (!r) fail("validation", "请填写忽略的理由", [{ field: "reason", message: "请填写忽略的理由" }]);
    if ([...r].length > 200) fail("validation", "忽略的理由不能超过 200 字", [{ field: "reason", message: "不能超过 200 字" }]);
    this.state.set(key, { snoozedUntil: null, dismissedAt: new Date().toISOString(), reason: r });
    return this.reminders();
  }

  restore(key: string): ReminderList {
    this.known(key);
    if (!this.state.delete(key)) fail("conflict", "这条提醒没有被推迟或忽略，无需恢复");
    return this.reminders();
  }

  saveSettings(input: ReminderSettings): ReminderSettings {
    const errors: FieldError[] = [];
    for (const k of ["annualReportDue", "evaluationDue"] as const) {
      const m = /^(\d{2})-(\d{2})$/.exec(input[k] ?? "");
      if (!m) errors.push({ field: k, message: "请按“月-日”填写，如 11-30" });
      else if (m[1] === "02" && m[2] === "29") errors.push({ field: k, message: "2 月 29 日不是每年都有，请选其他日期" });
      else if (Number(m[1]) < 1 || Number(m[1]) > 12 || Number(m[2]) < 1 || Number(m[2]) > DAYS_IN_MONTH[Number(m[1]) - 1]) errors.push({ field: k, message: "没有这一天" });
    }
    for (const k of ["annualReportLeadDays", "evaluationLeadDays", "unitCheckLeadDays", "planLeadDays", "feiyiMonthLeadDays"] as const) {
      if (!Number.isInteger(input[k]) || input[k] < 0 || input[k] > 365) errors.push({ field: k, message: "提前天数应在 0—365 之间" });
    }
    if (!Number.isInteger(input.unitCheckMonths) || input.unitCheckMonths < 1 || input.unitCheckMonths > 60) errors.push({ field: "unitCheckMonths", message: "检查间隔应在 1—60 个月之间" });
    if (!Number.isInteger(input.elderAge) || input.elderAge < 50 || input.elderAge > 120) errors.push({ field: "elderAge", message: "年龄应在 50—120 岁之间" });
    if (errors.length) fail("validation", `输入有误：${errors.map((e) => e.message).join("；")}`, errors);
    this.settings = { ...input };
    return { ...this.settings };
  }

  handle(cmd: string, a: Record<string, unknown>): unknown {
    switch (cmd) {
      case "stats_get":
        return this.statistics((a.query as StatsQuery) ?? { year: null });
      case "stats_export_table":
        return this.exportTable((a.query as StatsQuery) ?? { year: null }, String(a.key ?? ""), String(a.path ?? ""));
      case "stats_export_workbook":
        return this.exportWorkbook((a.query as StatsQuery) ?? { year: null }, String(a.path ?? ""));
      case "report_annual":
        return this.annualReport(Number(a.year), String(a.dir ?? ""));
      case "reminder_list":
        return InsightMock.page(this.reminders(), a.query as ReminderQuery | null);
      case "reminder_revision":
        // Changes exactly when the list would.
        return JSON.stringify(this.reminders());
      case "reminder_snooze":
        return InsightMock.page(this.snooze(String(a.key ?? ""), String(a.until ?? ""), (a.reason as string | null) ?? null), a.query as ReminderQuery | null);
      case "reminder_dismiss":
        return InsightMock.page(this.dismiss(String(a.key ?? ""), String(a.reason ?? "")), a.query as ReminderQuery | null);
      case "reminder_restore":
        return InsightMock.page(this.restore(String(a.key ?? "")), a.query as ReminderQuery | null);
      case "reminder_settings_get":
        return { ...this.settings };
      case "reminder_settings_save":
        return this.saveSettings(a.settings as ReminderSettings);
      default:
        return UNHANDLED;
    }
  }
}

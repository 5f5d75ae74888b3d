// 提醒: the navigation badge, the three lists, snooze / dismiss / restore, 去处理 for every kind
// of target, and the 提醒规则 card in 设置. The Rust side is a small stateful fake written here.
import { describe, expect, it } from "vitest";
import type { FindingTarget } from "../bindings/FindingTarget";
import type { Reminder } from "../bindings/Reminder";
import type { ReminderList } from "../bindings/ReminderList";
import type { ReminderQuery } from "../bindings/ReminderQuery";
import type { ReminderSettings } from "../bindings/ReminderSettings";
import { targetPlace } from "../application";
import { MockBackend } from "../mock/backend";
import { installIpc, mountApp, settle, settleForms, typeDate, type Handler } from "./helpers";

const TODAY = "2026-11-29";

function reminder(key: string, partial: Partial<Reminder> = {}): Reminder {
  return {
    key, rule: "evaluationDue", urgency: "dueSoon", title: `提醒 ${key}`, detail: "请在传承人页面录入年度评估结果。",
    dueOn: "2026-12-31", target: null, snoozedUntil: null, dismissedAt: null, reason: null,
    ...partial,
  };
}

/** What the page asks for until a pager is used. */
const FIRST_PAGES: ReminderQuery = { pageSize: 50, activePage: 1, snoozedPage: 1, dismissedPage: 1 };

/** The three lists whole, as the fake keeps them (totals and pages are cut per request). */
type Lists = Pick<ReminderList, "today" | "active" | "snoozed" | "dismissed">;

/** What the shell answers for `query`: one page of each tab, each tab's total. */
function pageOf(l: Lists, query: unknown): ReminderList {
  const q = (query ?? {}) as ReminderQuery;
  const size = q.pageSize ?? 50;
  const cut = (v: Reminder[], p: number | null) => v.slice(((p ?? 1) - 1) * size, (p ?? 1) * size);
  return structuredClone({
    today: l.today,
    active: cut(l.active, q.activePage),
    snoozed: cut(l.snoozed, q.snoozedPage),
    dismissed: cut(l.dismissed, q.dismissedPage),
    activeTotal: l.active.length,
    snoozedTotal: l.snoozed.length,
    dismissedTotal: l.dismissed.length,
  });
}

/** One reminder of each urgency to act on, one snoozed, two dismissed. */
function fixture(): Lists {
  return {
    today: TODAY,
    active: [
      reminder("unit_check_due:u1:2026-10-01", { rule: "unitCheckDue", urgency: "overdue", title: "台儿庄区文化馆需进行年度检查", dueOn: "2026-10-01", target: { kind: "unit", id: "u1", field: "checks" } }),
      reminder("annual_report:2026", { rule: "annualReport", urgency: "dueSoon", title: "2026年度非遗保护工作报告报送", dueOn: "2026-11-30", target: { kind: "report", id: "2026", field: null } }),
      reminder("item_without_unit:i1", { rule: "itemWithoutUnit", urgency: "gap", title: "运河号子没有保护单位", dueOn: null, target: { kind: "item", id: "i1", field: "units" } }),
      reminder("feiyi_month:2027", { rule: "feiyiMonth", urgency: "info", title: "2027年非遗月", dueOn: "2027-01-30", target: { kind: "protection", id: "activities", field: null } }),
    ],
    snoozed: [reminder("evaluation_due:r1:2026", { snoozedUntil: "2026-12-10", reason: "等待材料", target: { kind: "inheritor", id: "p1", field: "evaluations" } })],
    dismissed: [
      reminder("recognition_without_doc:r2", { rule: "recognitionWithoutDoc", urgency: "gap", dismissedAt: "2026-11-20T02:00:00Z", reason: "文号待市局补发", target: { kind: "inheritor", id: "p2", field: "recognitions" } }),
      reminder("elder_without_apprentice:p3", { rule: "elderWithoutApprentice", urgency: "gap", dismissedAt: "2026-11-21T02:00:00Z", reason: "已了解", target: { kind: "inheritor", id: "p3", field: "lineage" } }),
    ],
  };
}

/** A fake of the reminder commands that moves reminders between the lists as the core does. */
function remindersIpc(over: Handler = () => undefined, start: Lists = fixture()) {
  const state: Lists = structuredClone(start);
  const find = (key: string) => [...state.active, ...state.snoozed, ...state.dismissed].find((r) => r.key === key);
  const drop = (key: string) => {
    for (const k of ["active", "snoozed", "dismissed"] as const) state[k] = state[k].filter((r) => r.key !== key);
  };
  const calls = installIpc((cmd, a) => {
    const answer = over(cmd, a);
    if (answer !== undefined) return answer;
    switch (cmd) {
      case "reminder_list":
        return pageOf(state, a.query);
      case "reminder_revision":
        // As the core's: moves whenever the list would.
        return JSON.stringify(state);
      case "reminder_snooze": {
        const r = find(String(a.key))!;
        drop(r.key);
        state.snoozed.push({ ...r, snoozedUntil: String(a.until), reason: (a.reason as string | null) ?? null });
        return pageOf(state, a.query);
      }
      case "reminder_dismiss": {
        if (!String(a.reason ?? "").trim()) throw { code: "validation", message: "请填写忽略的理由", fields: [{ field: "reason", message: "请填写忽略的理由" }] };
        const r = find(String(a.key))!;
        drop(r.key);
        state.dismissed.push({ ...r, dismissedAt: "2026-11-29T03:00:00Z", reason: String(a.reason) });
        return pageOf(state, a.query);
      }
      case "reminder_restore": {
        const r = find(String(a.key))!;
        drop(r.key);
        state.active.push({ ...r, snoozedUntil: null, dismissedAt: null, reason: null });
        return pageOf(state, a.query);
      }
      default:
        return undefined;
    }
  });
  const argsOf = (cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args);
  return { calls, argsOf, state };
}

const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
/** The reminder's row in whichever list shows it (every tab's list is in the page). */
const row = (key: string) => {
  const el = byTestId(`reminder-${key}`);
  if (!el) throw new Error(`no reminder ${key}`);
  return el;
};
const inRow = (key: string, id: string) => row(key).querySelector<HTMLElement>(`[data-testid="${id}"]`);
const click = async (el: Element | null | undefined) => {
  if (!el) throw new Error("nothing to click");
  (el as HTMLElement).click();
  await settle();
};
const badge = () => byTestId("nav-reminders-badge")?.textContent?.trim() ?? null;
const tabText = (t: string) => byTestId(`reminders-tab-${t}`)?.textContent?.trim();
async function typeInto(testid: string, value: string) {
  const el = byTestId(testid);
  const input = (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement ? el : el?.querySelector("input, textarea")) as HTMLInputElement | null;
  if (!input) throw new Error(`no input ${testid}`);
  input.value = value;
  input.dispatchEvent(new Event("input"));
  input.dispatchEvent(new Event("change"));
  await settle();
}

describe("提醒 · the navigation badge", () => {
  it("sits right after 统计 and counts the reminders to act on, asked again on every page change", async () => {
    const start = fixture();
    const { calls, state } = remindersIpc(() => undefined, start);
    const { wrapper, router } = await mountApp("/register");
    const keys = [...document.querySelectorAll<HTMLElement>('[data-testid^="nav-"]')].map((e) => e.dataset.testid).filter((k) => k !== "nav-reminders-badge");
    expect(keys.indexOf("nav-reminders")).toBe(keys.indexOf("nav-stats") + 1);
    expect(byTestId("nav-reminders")!.textContent).toContain("提醒");
    expect(badge()).toBe("4");

    // something else settled one: the next page change shows it
    const before = calls.filter((c) => c.cmd === "reminder_list").length;
    state.active.pop();
    await router.push("/batches");
    await settle();
    expect(calls.filter((c) => c.cmd === "reminder_list").length).toBe(before + 1);
    expect(badge()).toBe("3");

    // nothing changed: a page change asks only for the revision, not the whole list again
    const lists = calls.filter((c) => c.cmd === "reminder_list").length;
    const revisions = calls.filter((c) => c.cmd === "reminder_revision").length;
    await router.push("/register");
    await settle();
    expect(calls.filter((c) => c.cmd === "reminder_list").length).toBe(lists);
    expect(calls.filter((c) => c.cmd === "reminder_revision").length).toBe(revisions + 1);
    expect(badge()).toBe("3");
    wrapper.unmount();
  }, 60_000);

  it("is hidden when nothing is to be done, and when the reminders cannot be read", async () => {
    remindersIpc(() => undefined, { ...fixture(), active: [] });
    const first = await mountApp("/register");
    expect(byTestId("nav-reminders")).not.toBeNull();
    expect(badge()).toBeNull();
    first.wrapper.unmount();

    remindersIpc((cmd) => {
      if (cmd === "reminder_list") throw { code: "db", message: "名录文件无法读取" };
      return undefined;
    });
    const second = await mountApp("/register");
    expect(badge()).toBeNull();
    // the page says why
    await second.router.push("/reminders");
    await settle();
    expect(byTestId("reminders-error")?.textContent).toContain("名录文件无法读取");
    second.wrapper.unmount();
  });
});

describe("提醒 page", () => {
  it("lists the reminders to act on with urgency, title, detail and due date; the tabs count each list", async () => {
    remindersIpc();
    const { wrapper } = await mountApp("/reminders");
    expect(tabText("active")).toBe("待处理（4）");
    expect(tabText("snoozed")).toBe("已推迟（1）");
    expect(tabText("dismissed")).toBe("已忽略（2）");

    const urgency = (key: string) => inRow(key, "reminder-urgency")!;
    expect(urgency("unit_check_due:u1:2026-10-01").textContent?.trim()).toBe("已逾期");
    expect(urgency("unit_check_due:u1:2026-10-01").classList.contains("el-tag--danger")).toBe(true);
    expect(urgency("annual_report:2026").textContent?.trim()).toBe("即将到期");
    expect(urgency("annual_report:2026").classList.contains("el-tag--warning")).toBe(true);
    expect(urgency("item_without_unit:i1").textContent?.trim()).toBe("待补充");
    expect(urgency("item_without_unit:i1").classList.contains("urgency-gap")).toBe(true);
    expect(urgency("feiyi_month:2027").textContent?.trim()).toBe("提示");
    expect(urgency("feiyi_month:2027").classList.contains("el-tag--primary")).toBe(true);

    expect(inRow("annual_report:2026", "reminder-title")!.textContent).toBe("2026年度非遗保护工作报告报送");
    expect(inRow("annual_report:2026", "reminder-due")!.textContent).toBe("截止 2026年11月30日（还有 1 天）");
    expect(inRow("unit_check_due:u1:2026-10-01", "reminder-due")!.textContent).toBe("截止 2026年10月1日（已过 59 天）");
    expect(inRow("item_without_unit:i1", "reminder-due")).toBeNull();
    expect(row("annual_report:2026").textContent).toContain("请在传承人页面录入年度评估结果。");
    // on the active list: 去处理, 推迟, 忽略 — no 恢复
    for (const id of ["reminder-open", "reminder-snooze", "reminder-dismiss"]) expect(inRow("annual_report:2026", id), id).not.toBeNull();
    expect(inRow("annual_report:2026", "reminder-restore")).toBeNull();
    wrapper.unmount();
  });

  it("counts nothing in the tabs while the list is still being raised (a large register takes seconds)", async () => {
    let answer: (() => void) | undefined;
    const late = new Promise<void>((resolve) => (answer = resolve));
    remindersIpc((cmd, a) => (cmd === "reminder_list" ? late.then(() => pageOf(fixture(), a.query)) : undefined));
    const { wrapper } = await mountApp("/reminders");
    expect(tabText("active")).toBe("待处理");
    expect(byTestId("reminders-list-active")!.textContent).toContain("正在逐条检查");
    answer!();
    await settle();
    expect(tabText("active")).toMatch(/^待处理（\d+）$/);
    wrapper.unmount();
  });

  it("says so when there is nothing to do", async () => {
    remindersIpc(() => undefined, { today: TODAY, active: [], snoozed: [], dismissed: [] });
    const { wrapper } = await mountApp("/reminders");
    expect(byTestId("reminders-list-active")!.textContent).toContain("暂无需要处理的提醒");
    expect(tabText("active")).toBe("待处理（0）");
    wrapper.unmount();
  });

  it("snoozes to the day chosen (a week later by default) with an optional reason; the badge follows", async () => {
    const { argsOf } = remindersIpc();
    const { wrapper } = await mountApp("/reminders");
    const key = "annual_report:2026";
    await click(inRow(key, "reminder-snooze"));
    const date = byTestId("reminder-snooze-date")!.querySelector("input")!;
    expect(date.value).toBe("2026-12-06");
    await typeDate("reminder-snooze-date", "2026-12-15");
    await typeInto("reminder-snooze-reason", "等材料齐了再办");
    await click(byTestId("reminder-snooze-confirm"));
    expect(argsOf("reminder_snooze")).toEqual([{ key, until: "2026-12-15", reason: "等材料齐了再办", query: FIRST_PAGES }]);
    expect(byTestId("reminders-list-active")!.querySelector(`[data-testid="reminder-${key}"]`)).toBeNull();
    expect(byTestId("reminders-list-snoozed")!.querySelector(`[data-testid="reminder-${key}"]`)).not.toBeNull();
    expect(tabText("active")).toBe("待处理（3）");
    expect(tabText("snoozed")).toBe("已推迟（2）");
    expect(badge()).toBe("3");
    expect(document.querySelector(".el-message--success")?.textContent).toContain("2026年12月15日");

    // no reason: sent as null, the default day as it was offered
    await click(inRow("feiyi_month:2027", "reminder-snooze"));
    await click(byTestId("reminder-snooze-confirm"));
    expect(argsOf("reminder_snooze")[1]).toEqual({ key: "feiyi_month:2027", until: "2026-12-06", reason: null, query: FIRST_PAGES });
    wrapper.unmount();
  });

  it("dismisses only with a reason", async () => {
    const { calls, argsOf } = remindersIpc();
    const { wrapper } = await mountApp("/reminders");
    const key = "item_without_unit:i1";
    await click(inRow(key, "reminder-dismiss"));
    const dialog = byTestId("reason-dialog")!;
    expect(dialog.textContent).toContain("运河号子没有保护单位");
    await click(byTestId("reason-confirm"));
    await settleForms();
    expect(calls.some((c) => c.cmd === "reminder_dismiss")).toBe(false);
    expect(dialog.textContent).toContain("请填写忽略理由");

    await typeInto("reason-input", "该项目由区文化馆代管");
    await click(byTestId("reason-confirm"));
    expect(argsOf("reminder_dismiss")).toEqual([{ key, reason: "该项目由区文化馆代管", query: FIRST_PAGES }]);
    expect(tabText("dismissed")).toBe("已忽略（3）");
    expect(badge()).toBe("3");
    wrapper.unmount();
  });

  it("restores a snoozed and a dismissed reminder, which shows their state and reason", async () => {
    const { argsOf } = remindersIpc();
    const { wrapper } = await mountApp("/reminders");
    await click(byTestId("reminders-tab-snoozed"));
    const snoozed = "evaluation_due:r1:2026";
    expect(inRow(snoozed, "reminder-state")!.textContent).toContain("已推迟到 2026年12月10日");
    expect(inRow(snoozed, "reminder-state")!.textContent).toContain("等待材料");
    expect(inRow(snoozed, "reminder-snooze")).toBeNull();
    await click(inRow(snoozed, "reminder-restore"));
    expect(argsOf("reminder_restore")).toEqual([{ key: snoozed, query: FIRST_PAGES }]);
    expect(tabText("snoozed")).toBe("已推迟（0）");
    expect(badge()).toBe("5");

    await click(byTestId("reminders-tab-dismissed"));
    const dismissed = "recognition_without_doc:r2";
    expect(inRow(dismissed, "reminder-state")!.textContent).toContain("文号待市局补发");
    await click(inRow(dismissed, "reminder-restore"));
    expect(argsOf("reminder_restore")[1]).toEqual({ key: dismissed, query: FIRST_PAGES });
    expect(tabText("active")).toBe("待处理（6）");
    wrapper.unmount();
  });

  it("shows a refused action's message and keeps the reminder", async () => {
    remindersIpc((cmd) => {
      if (cmd === "reminder_snooze") throw { code: "not_found", message: "找不到这条提醒，它可能已经处理完毕" };
      return undefined;
    });
    const { wrapper } = await mountApp("/reminders");
    await click(inRow("annual_report:2026", "reminder-snooze"));
    await click(byTestId("reminder-snooze-confirm"));
    expect(document.querySelector(".el-message--error")?.textContent).toContain("找不到这条提醒");
    expect(byTestId("reminder-annual_report:2026")).not.toBeNull();
    wrapper.unmount();
  });

  it("去处理 opens the page of each kind of target, on the right tab", async () => {
    const targets: [FindingTarget, string][] = [
      [{ kind: "inheritor", id: "p1", field: "evaluations" }, "/inheritors/p1?tab=evaluations"],
      [{ kind: "inheritor", id: "p2", field: "recognitions" }, "/inheritors/p2?tab=recognitions"],
      [{ kind: "inheritor", id: "p3", field: "lineage" }, "/inheritors/p3?tab=recognitions"],
      [{ kind: "unit", id: "u1", field: "checks" }, "/units/u1?tab=checks"],
      [{ kind: "plan", id: "pl1", field: null }, "/plans/pl1"],
      [{ kind: "item", id: "i1", field: "units" }, "/items/i1"],
      [{ kind: "item", id: "i1", field: null }, "/items/i1"],
      [{ kind: "report", id: "2026", field: null }, "/stats?year=2026&report=1"],
      [{ kind: "protection", id: "activities", field: null }, "/protection?tab=activities"],
    ];
    const list: Lists = { today: TODAY, active: targets.map(([t], n) => reminder(`k${n}`, { target: t })), snoozed: [], dismissed: [] };
    remindersIpc((cmd) => {
      if (cmd === "stats_get") return { asOf: TODAY, year: 2026, feiyiMonth: null, tables: [] };
      if (cmd === "activity_list") return { rows: [], total: 0, page: 1, pageSize: 20 };
      return undefined;
    }, list);
    const { wrapper, router } = await mountApp("/reminders");
    for (const [n, [, path]] of targets.entries()) {
      await click(inRow(`k${n}`, "reminder-open"));
      expect(router.currentRoute.value.fullPath, path).toBe(path);
      await router.push("/reminders");
      await settle();
    }
    // the report reminder lands on 统计 with the report dialog open for that year
    await click(inRow("k7", "reminder-open"));
    expect(byTestId("report-dialog")).not.toBeNull();
    expect(byTestId("report-year")!.textContent).toContain("2026年");
    // the 非遗月 reminder lands on the activities tab of 保护工作
    await router.push("/reminders");
    await settle();
    await click(inRow("k8", "reminder-open"));
    expect(byTestId("protection-tabs")!.querySelector(".el-tabs__item.is-active")?.textContent).toContain("活动");
    // no target: no 去处理
    wrapper.unmount();
  }, 60_000); // eleven page visits in one test: more than the default on a loaded 2-core machine

  it("pages a long tab: 50 at a time, the tab and the badge counting them all", async () => {
    const many: Lists = { today: TODAY, active: Array.from({ length: 120 }, (_, n) => reminder(`m${String(n).padStart(3, "0")}`)), snoozed: [], dismissed: [] };
    const { argsOf } = remindersIpc(() => undefined, many);
    const { wrapper } = await mountApp("/reminders");
    expect(tabText("active")).toBe("待处理（120）");
    expect(badge()).toBe("99+"); // the badge counts all 120 (capped as Element Plus caps it)
    const shown = () =>
      [...document.querySelectorAll<HTMLElement>('[data-testid="reminders-list-active"] [data-testid^="reminder-m"]')].map((e) => e.dataset.testid);
    expect(shown()).toHaveLength(50);
    expect(shown()[0]).toBe("reminder-m000");
    const pager = byTestId("reminders-pager-active")!;
    expect(pager.textContent).toContain("共 120 条");
    await click([...pager.querySelectorAll<HTMLElement>(".el-pager li")].find((li) => li.textContent?.trim() === "3"));
    await settle();
    expect(argsOf("reminder_list").at(-1)).toEqual({ query: { ...FIRST_PAGES, activePage: 3 } });
    expect(shown()).toHaveLength(20);
    expect(shown()[0]).toBe("reminder-m100");
    // a short tab has no pager
    expect(byTestId("reminders-pager-snoozed")).toBeNull();
    wrapper.unmount();
  });

  it("steps back a page when the last reminder of the last page is acted on", async () => {
    const many: Lists = { today: TODAY, active: Array.from({ length: 51 }, (_, n) => reminder(`m${String(n).padStart(3, "0")}`)), snoozed: [], dismissed: [] };
    const { argsOf } = remindersIpc(() => undefined, many);
    const { wrapper } = await mountApp("/reminders");
    const pager = byTestId("reminders-pager-active")!;
    await click([...pager.querySelectorAll<HTMLElement>(".el-pager li")].find((li) => li.textContent?.trim() === "2"));
    await settle();
    expect(inRow("m050", "reminder-dismiss")).not.toBeNull();
    await click(inRow("m050", "reminder-dismiss"));
    await typeInto("reason-input", "已办");
    await click(byTestId("reason-confirm"));
    await settle();
    await settle();
    expect(argsOf("reminder_dismiss")[0]).toMatchObject({ key: "m050", query: { ...FIRST_PAGES, activePage: 2 } });
    expect(argsOf("reminder_list").at(-1)).toEqual({ query: FIRST_PAGES });
    expect(tabText("active")).toBe("待处理（50）");
    expect(document.querySelectorAll('[data-testid="reminders-list-active"] [data-testid^="reminder-m"]')).toHaveLength(50);
    wrapper.unmount();
  });

  it("has no 去处理 for a reminder without a target", async () => {
    remindersIpc(() => undefined, { today: TODAY, active: [reminder("x")], snoozed: [], dismissed: [] });
    const { wrapper } = await mountApp("/reminders");
    expect(inRow("x", "reminder-open")).toBeNull();
    expect(inRow("x", "reminder-snooze")).not.toBeNull();
    wrapper.unmount();
  });
});

describe("提醒 · where a target leads", () => {
  it("maps every kind and field, keeping the 申报 findings' places", () => {
    const go = (kind: string, id: string, field: string | null) => targetPlace({ kind, id, field });
    expect(go("inheritor", "p1", "evaluations")).toMatchObject({ page: { path: "/inheritors/p1", query: { tab: "evaluations" } } });
    expect(go("inheritor", "p1", "lineage")).toMatchObject({ page: { path: "/inheritors/p1", query: { tab: "recognitions" } } });
    expect(go("inheritor", "p1", null)).toMatchObject({ page: { path: "/inheritors/p1" } });
    expect(go("unit", "u1", "checks")).toMatchObject({ page: { path: "/units/u1", query: { tab: "checks" } } });
    expect(go("unit", "u1", null)).toEqual({ page: { path: "/units/u1" }, hint: "打开保护单位" });
    expect(go("plan", "pl1", null)).toMatchObject({ page: { path: "/plans/pl1" } });
    expect(go("plan", "pl1", "budgetBasis")).toMatchObject({ page: { path: "/plans/pl1/edit", query: { field: "budgetBasis" } } });
    expect(go("report", "2025", null)).toMatchObject({ page: { path: "/stats", query: { year: "2025", report: "1" } } });
    expect(go("protection", "activities", null)).toMatchObject({ page: { path: "/protection", query: { tab: "activities" } } });
    expect(go("item", "i1", "units")).toMatchObject({ page: { path: "/items/i1" } });
    expect(go("item", "i1", "texts.history")).toMatchObject({ page: { path: "/items/i1/edit", query: { field: "texts.history" } } });
    expect(go("nothing", "x", null)).toBeNull();
  });
});

describe("设置 · 提醒规则", () => {
  const defaults: ReminderSettings = {
    annualReportDue: "11-30", annualReportLeadDays: 30, evaluationDue: "12-31", evaluationLeadDays: 60,
    unitCheckMonths: 12, unitCheckLeadDays: 30, planLeadDays: 60, elderAge: 80, feiyiMonthLeadDays: 30,
  };
  const settingsInput = (key: string) => byTestId(`reminder-settings-${key}`)!.querySelector("input") ?? (byTestId(`reminder-settings-${key}`) as HTMLInputElement);
  const formItem = (key: string) => byTestId(`reminder-settings-${key}`)!.closest(".el-form-item")!;

  it("shows the dates and numbers, saves them, and shows the core's field errors inline", async () => {
    let refuse = true;
    const { calls, argsOf } = remindersIpc((cmd, a) => {
      if (cmd === "reminder_settings_get") return { ...defaults };
      if (cmd === "backup_status") throw { code: "x", message: "x" };
      if (cmd === "application_profiles") return [];
      if (cmd === "reminder_settings_save") {
        const s = a.settings as ReminderSettings;
        if (refuse) {
          throw {
            code: "validation", message: "输入有误：2 月 29 日不是每年都有，请选其他日期；年龄应在 50—120 岁之间",
            fields: [{ field: "annualReportDue", message: "2 月 29 日不是每年都有，请选其他日期" }, { field: "elderAge", message: "年龄应在 50—120 岁之间" }],
          };
        }
        return s;
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/settings");
    await settle();
    const card = byTestId("reminder-settings")!;
    expect(card.closest(".panel")!.textContent).toContain("提醒规则");
    expect(card.textContent).toContain("本局自己的工作安排");
    expect((settingsInput("annualReportDue") as HTMLInputElement).value).toBe("11-30");
    expect((settingsInput("evaluationLeadDays") as HTMLInputElement).value).toBe("60");
    expect(formItem("unitCheckMonths").textContent).toContain("个月");
    expect(formItem("elderAge").textContent).toContain("岁");
    expect(formItem("planLeadDays").textContent).toContain("天");

    // the shape is checked here: no call for “1130”
    await typeInto("reminder-settings-annualReportDue", "1130");
    await click(byTestId("reminder-settings-save"));
    await settleForms();
    expect(calls.some((c) => c.cmd === "reminder_settings_save")).toBe(false);
    expect(formItem("annualReportDue").textContent).toContain("请按“月-日”填写");

    // a day that is not in every year is the core's to refuse; its messages land on the fields
    await typeInto("reminder-settings-annualReportDue", "02-29");
    await click(byTestId("reminder-settings-save"));
    await settleForms();
    expect(argsOf("reminder_settings_save")).toEqual([{ settings: { ...defaults, annualReportDue: "02-29" } }]);
    expect(formItem("annualReportDue").textContent).toContain("2 月 29 日不是每年都有");
    expect(formItem("annualReportDue").classList.contains("is-error")).toBe(true);
    expect(formItem("elderAge").textContent).toContain("年龄应在 50—120 岁之间");
    expect(formItem("evaluationDue").classList.contains("is-error")).toBe(false);

    refuse = false;
    await typeInto("reminder-settings-annualReportDue", "12-15");
    await click(byTestId("reminder-settings-save"));
    await settleForms();
    expect(argsOf("reminder_settings_save")[1]).toEqual({ settings: { ...defaults, annualReportDue: "12-15" } });
    expect(formItem("annualReportDue").classList.contains("is-error")).toBe(false);
    expect(document.querySelector(".el-message--success")?.textContent).toContain("提醒规则已保存");
    wrapper.unmount();
  });
});

describe("提醒 · the preview's fake backend", () => {
  it("raises reminders of the rules, snoozes, dismisses with a reason and restores", () => {
    const b = new MockBackend("sample");
    b.insight.today = () => "2026-11-29";
    b.insight.state.clear();
    const list = b.handle("reminder_list", {}) as ReminderList;
    expect(list.today).toBe("2026-11-29");
    const urgencies = new Set(list.active.map((r) => r.urgency));
    expect(urgencies.has("overdue") && urgencies.has("dueSoon") && urgencies.has("gap")).toBe(true);
    expect(list.active.find((r) => r.key === "annual_report:2026")?.urgency).toBe("dueSoon");
    // sorted: overdue first, then due soon, then gaps
    const rank = { overdue: 0, dueSoon: 1, gap: 2, info: 3 };
    const ranks = list.active.map((r) => rank[r.urgency]);
    expect([...ranks].sort((x, y) => x - y)).toEqual(ranks);

    const key = list.active[0].key;
    expect(() => b.handle("reminder_snooze", { key, until: "2026-11-29", reason: null })).toThrow();
    const snoozed = b.handle("reminder_snooze", { key, until: "2026-12-06", reason: null }) as ReminderList;
    expect(snoozed.snoozed.map((r) => r.key)).toContain(key);
    expect(snoozed.active.map((r) => r.key)).not.toContain(key);
    // the day after “until”, it is back
    b.insight.today = () => "2026-12-07";
    expect((b.handle("reminder_list", {}) as ReminderList).snoozed.map((r) => r.key)).not.toContain(key);
    b.insight.today = () => "2026-11-29";

    let err: { fields?: { field: string }[] } | null = null;
    try {
      b.handle("reminder_dismiss", { key, reason: "  " });
    } catch (e) {
      err = e as { fields?: { field: string }[] };
    }
    expect(err?.fields?.[0].field).toBe("reason");
    const dismissed = b.handle("reminder_dismiss", { key, reason: "已报送" }) as ReminderList;
    expect(dismissed.dismissed.find((r) => r.key === key)?.reason).toBe("已报送");
    const restored = b.handle("reminder_restore", { key }) as ReminderList;
    expect(restored.active.map((r) => r.key)).toContain(key);
    expect(() => b.handle("reminder_restore", { key: "nope" })).toThrow();

    expect(() => b.handle("reminder_settings_save", { settings: { ...(b.handle("reminder_settings_get", {}) as ReminderSettings), evaluationDue: "02-29" } })).toThrow();
  });
});

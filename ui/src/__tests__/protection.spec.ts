import { describe, expect, it } from "vitest";
import type { ActivityRow } from "../bindings/ActivityRow";
import type { BudgetLine } from "../bindings/BudgetLine";
import type { PlanDetail } from "../bindings/PlanDetail";
import type { PlanInput } from "../bindings/PlanInput";
import type { PlanQuery } from "../bindings/PlanQuery";
import type { PlanRow } from "../bindings/PlanRow";
import type { UnitQuery } from "../bindings/UnitQuery";
import { searchRecordOptions } from "../remote";
import { chooseOption, installIpc, mountApp, settle, settleForms, sleep, unitRow } from "./helpers";

const unitPage = (rows = [unitRow({ id: "u1", name: "台儿庄区文化馆" })]) => ({ rows, total: rows.length, page: 1, pageSize: 20 });

const line = (partial: Partial<BudgetLine>): BudgetLine => ({
  id: "l1", year: 2026, purpose: "传习补助", source: "区级财政", amountFen: 0, justification: null, spentFen: 0, ...partial,
});

function planDetail(partial: Partial<PlanDetail> = {}): PlanDetail {
  const budget = [
    line({ id: "l1", amountFen: 5_000_000, spentFen: 5_500_000, justification: "10 人 × 5000 元" }),
    line({ id: "l2", purpose: "设备购置", source: "配套", amountFen: 2_000_000, spentFen: 1_860_000 }),
    line({ id: "l3", year: 2027, amountFen: 5_000_000 }),
  ];
  return {
    id: "p1",
    fields: {
      id: "p1", itemId: "i1", unitId: "u1", title: "鲁南花鼓保护计划（2026—2030）", startYear: 2026, endYear: 2030,
      goals: "培养青年传承人 10 名", measures: null, mechanism: null, budgetBasis: null, note: null,
      years: [{ id: "y1", year: 2026, targets: "开班招收学员 12 名", measures: null }], budget,
    },
    itemName: "鲁南花鼓", unitName: "台儿庄区文化馆",
    totals: {
      plannedFen: 12_000_000, spentFen: 7_360_000,
      byYear: [2026, 2027, 2028, 2029, 2030].map((year) => ({ year, plannedFen: year === 2026 ? 7_000_000 : year === 2027 ? 5_000_000 : 0, spentFen: year === 2026 ? 7_360_000 : 0 })),
      bySource: [
        { source: "区级财政", plannedFen: 10_000_000, spentFen: 5_500_000 },
        { source: "配套", plannedFen: 2_000_000, spentFen: 1_860_000 },
        { source: "自筹", plannedFen: 0, spentFen: 0 },
        { source: "其他", plannedFen: 0, spentFen: 0 },
      ],
    },
    expenditures: [
      { id: "e1", budgetLineId: "l1", spentOn: "2026-03-15", amountFen: 3_000_000, payee: "传习班", voucher: "2026-记-015", note: null },
      { id: "e2", budgetLineId: "l1", spentOn: "2026-09-10", amountFen: 2_500_000, payee: null, voucher: null, note: null },
      { id: "e3", budgetLineId: "l2", spentOn: "2026-04-02", amountFen: 1_860_000, payee: null, voucher: null, note: null },
    ],
    warnings: ["预算行“2026 区级财政 传习补助”超支 5000.00 元（预算 50000.00 元，已支出 55000.00 元）"],
    createdAt: "2026-01-05T02:00:00Z", updatedAt: "2026-01-06T02:00:00Z", deletedAt: null, deletedReason: null,
    ...partial,
  };
}

/** Types into the el-input-number marked `testid` (the `nth` one), as a clerk would. */
async function typeNumber(testid: string, value: string, nth = 0) {
  const input = document.querySelectorAll<HTMLInputElement>(`[data-testid="${testid}"] input`)[nth];
  if (!input) throw new Error(`no number input ${testid}[${nth}]`);
  input.value = value;
  input.dispatchEvent(new Event("input"));
  input.dispatchEvent(new Event("change"));
  input.dispatchEvent(new FocusEvent("blur"));
  await settle();
}

describe("protection plan form opened by 申报体检", () => {
  it("scrolls to the asked field, marks it and puts the cursor in it", async () => {
    installIpc((cmd) => {
      if (cmd === "plan_get") return planDetail();
      if (cmd === "unit_list") return unitPage();
      return undefined;
    });
    await mountApp("/plans/p1/edit?field=budgetBasis");
    await settleForms();
    const marked = document.querySelector<HTMLElement>('[data-testid="plan-form-budget-basis"]')!;
    const basis = marked.tagName === "TEXTAREA" ? marked : marked.querySelector("textarea")!;
    expect(document.activeElement).toBe(basis);
    expect(basis.closest(".el-form-item")?.classList.contains("asked-field")).toBe(true);
  });

  it("marks the budget table for a budget finding", async () => {
    installIpc((cmd) => {
      if (cmd === "plan_get") return planDetail();
      if (cmd === "unit_list") return unitPage();
      return undefined;
    });
    await mountApp("/plans/p1/edit?field=budget");
    await settleForms();
    const table = document.querySelector('[data-testid="plan-form-budget"]')!;
    expect(table.classList.contains("asked-field")).toBe(true);
  });
});

describe("protection plan list", () => {
  const planRow = (i: number): PlanRow => ({
    id: `p${i}`, title: `第${i}号保护计划`, itemId: "i1", itemName: "鲁南花鼓", startYear: 2026, endYear: 2030,
    plannedFen: 0, spentFen: 0, deletedAt: null,
  });
  const all = Array.from({ length: 45 }, (_, i) => planRow(i + 1));
  const pageOf = (q: PlanQuery) => {
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    return { rows: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize };
  };
  const planQueries = (calls: { cmd: string; args: Record<string, unknown> }[]) =>
    calls.filter((c) => c.cmd === "plan_list").map((c) => c.args.query as PlanQuery);

  it("asks the core for one page at a time and goes back to page 1 when the search or the bin changes", async () => {
    const calls = installIpc((cmd, a) => (cmd === "plan_list" ? pageOf(a.query as PlanQuery) : undefined));
    const { wrapper } = await mountApp("/protection");
    expect(planQueries(calls)).toEqual([{ itemId: null, query: null, deleted: false, page: 1, pageSize: 20 }]);
    expect(wrapper.findAll('[data-testid="plan-row"]')).toHaveLength(20);
    expect(wrapper.find('[data-testid="plan-total"]').text()).toContain("共 45 个计划");

    await wrapper.find('[data-testid="plan-pagination"] .btn-next').trigger("click");
    await settle();
    expect(planQueries(calls).pop()).toEqual({ itemId: null, query: null, deleted: false, page: 2, pageSize: 20 });
    expect(wrapper.find('[data-testid="plan-row-title"]').text()).toBe("第21号保护计划");

    // Typing goes back to page 1, once, after the last key.
    const before = planQueries(calls).length;
    await wrapper.find('[data-testid="plan-search"]').setValue("花");
    await wrapper.find('[data-testid="plan-search"]').setValue("花鼓");
    await sleep(250);
    await settle();
    expect(planQueries(calls).slice(before)).toEqual([{ itemId: null, query: "花鼓", deleted: false, page: 1, pageSize: 20 }]);
    expect(wrapper.find('[data-testid="plan-total"]').text()).toContain("已筛选");

    // So does the recycle bin.
    wrapper.findComponent({ name: "ElPagination" }).vm.$emit("current-change", 3);
    await settle();
    expect(planQueries(calls).pop()).toEqual({ itemId: null, query: "花鼓", deleted: false, page: 3, pageSize: 20 });
    expect(wrapper.findAll('[data-testid="plan-row"]')).toHaveLength(5);
    await wrapper.find('[data-testid="plan-recycle-bin"]').trigger("click");
    await settle();
    expect(planQueries(calls).pop()).toEqual({ itemId: null, query: "花鼓", deleted: true, page: 1, pageSize: 20 });

    // And a new page size.
    wrapper.findComponent({ name: "ElPagination" }).vm.$emit("current-change", 2);
    await settle();
    wrapper.findComponent({ name: "ElPagination" }).vm.$emit("size-change", 100);
    await settle();
    expect(planQueries(calls).pop()).toEqual({ itemId: null, query: "花鼓", deleted: true, page: 1, pageSize: 100 });
    expect(wrapper.findAll('[data-testid="plan-row"]')).toHaveLength(45);
    wrapper.unmount();
  }, 60_000);

  it("the media link pickers ask for one small page of units or plans matching what was typed", async () => {
    const calls = installIpc((cmd, a) => {
      if (cmd === "unit_list") return unitPage();
      if (cmd === "plan_list") return pageOf(a.query as PlanQuery);
      return undefined;
    });
    expect(await searchRecordOptions("unit", " wh ")).toEqual([{ value: "u1", label: "台儿庄区文化馆" }]);
    expect(calls.pop()?.args).toEqual({ query: { query: "wh", deleted: false, page: 1, pageSize: 20 } });
    const plans = await searchRecordOptions("plan", "花鼓");
    expect(plans).toHaveLength(20);
    expect(plans[0]).toEqual({ value: "p1", label: "第1号保护计划", hint: "2026—2030" });
    expect(calls.pop()?.args).toEqual({ query: { itemId: null, query: "花鼓", deleted: false, page: 1, pageSize: 20 } });
  });

  it("the plan form's unit picker shows the plan's unit without loading the list, then searches one page", async () => {
    const calls = installIpc((cmd) => {
      if (cmd === "plan_get") return planDetail();
      if (cmd === "unit_list") return unitPage([unitRow({ id: "u1", name: "台儿庄区文化馆" }), unitRow({ id: "u2", name: "张山子镇综合文化站" })]);
      return undefined;
    });
    const { wrapper } = await mountApp("/plans/p1/edit");
    await settleForms();
    expect(calls.filter((c) => c.cmd === "unit_list")).toHaveLength(0);
    expect(wrapper.find('[data-testid="plan-form-unit"]').text()).toContain("台儿庄区文化馆");
    await chooseOption("plan-form-unit", "张山子镇综合文化站");
    const asked = calls.filter((c) => c.cmd === "unit_list").map((c) => c.args.query as UnitQuery);
    // Opening the select searches for "" (focus and the dropdown may both ask): one page each time.
    expect(asked.length).toBeGreaterThan(0);
    for (const q of asked) expect(q).toEqual({ query: null, deleted: false, page: 1, pageSize: 20 });
    expect(wrapper.find('[data-testid="plan-form-unit"]').text()).toContain("张山子镇综合文化站");
    wrapper.unmount();
  });
});

describe("protection plan page", () => {
  it("sums the budget by year and line, marks over-spending red, and lists expenditures by line", async () => {
    installIpc((cmd) => (cmd === "plan_get" ? planDetail() : undefined));
    const { wrapper } = await mountApp("/plans/p1?tab=budget");
    expect(wrapper.find('[data-testid="plan-title"]').text()).toBe("鲁南花鼓保护计划（2026—2030）");
    expect(wrapper.find('[data-testid="plan-warnings"]').text()).toContain("超支 5000.00 元");

    const table = wrapper.find('[data-testid="plan-budget-table"]');
    const rows = table.findAll('[data-testid="budget-row"]');
    expect(rows).toHaveLength(4);
    expect(rows[0].text()).toContain("2026");
    expect(rows[0].text()).toContain("传习补助");
    expect(rows[0].text()).toContain("10 人 × 5000 元");
    // 年度 is merged over the two lines of 2026
    expect(rows[0].find("td").attributes("rowspan")).toBe("2");
    const balances = table.findAll('[data-testid="budget-balance"]');
    expect(balances.map((b) => b.text())).toEqual(["-5,000.00", "1,400.00", "50,000.00", "46,400.00"]);
    expect(balances[0].classes()).toContain("negative");
    expect(balances[1].classes()).not.toContain("negative");
    const total = rows[3];
    expect(total.text()).toContain("合计");
    expect(total.find('[data-testid="budget-planned"]').text()).toBe("120,000.00");
    expect(total.find('[data-testid="budget-spent"]').text()).toBe("73,600.00");

    const byYear = wrapper.find('[data-testid="plan-year-totals"]').text();
    expect(byYear).toContain("2028");
    expect(byYear).toContain("-3,600.00");
    expect(wrapper.find('[data-testid="plan-year-totals"] .negative').text()).toBe("-3,600.00");
    expect(wrapper.find('[data-testid="plan-source-totals"]').text()).toContain("配套");

    const spending = wrapper.find('[data-testid="plan-expenditures"]');
    expect(spending.findAll('[data-testid="expenditure-row"]')).toHaveLength(3);
    expect(spending.text()).toContain("2026 区级财政 传习补助");
    expect(spending.text()).toContain("2026 配套 设备购置");
    wrapper.unmount();
  });

  it("records an expenditure in yuan against a budget line chosen by its label", async () => {
    const sent: unknown[] = [];
    installIpc((cmd, a) => {
      if (cmd === "plan_get") return planDetail();
      if (cmd === "expenditure_save") {
        sent.push(a.input);
        return planDetail();
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/plans/p1?tab=spending");
    await wrapper.find('[data-testid="expenditure-new"]').trigger("click");
    await settle();
    const options = [...document.querySelectorAll(".el-select-dropdown__item")].map((o) => o.textContent?.trim());
    expect(options).toEqual(["2026 区级财政 传习补助", "2026 配套 设备购置", "2027 区级财政 传习补助"]);
    (document.querySelectorAll<HTMLElement>(".el-select-dropdown__item")[2]).click();
    const date = document.querySelector('[data-testid="expenditure-date"] input') as HTMLInputElement;
    date.value = "2027-05-06";
    date.dispatchEvent(new Event("input"));
    date.dispatchEvent(new Event("change"));
    await typeNumber("expenditure-amount", "1234.5");
    (document.querySelector('[data-testid="expenditure-save"]') as HTMLElement).click();
    await settleForms();
    expect(sent).toEqual([{ id: null, budgetLineId: "l3", spentOn: "2027-05-06", amountFen: 123450, payee: null, voucher: null, note: null }]);
    wrapper.unmount();
  });
});

describe("protection plan form", () => {
  it("sends endYear = startYear + 4 and shows the server's budget.1.amountFen error on the second row", async () => {
    const sent: PlanInput[] = [];
    installIpc((cmd, a) => {
      if (cmd === "unit_list") return unitPage([unitRow()]);
      if (cmd === "item_get") return { id: "i1", code: "Ⅲ-1", name: "鲁南花鼓" };
      if (cmd === "plan_save") {
        sent.push(a.input as PlanInput);
        throw {
          code: "validation",
          message: "输入有误：金额过大（不能超过 100 亿元）",
          fields: [{ field: "budget.1.amountFen", message: "金额过大（不能超过 100 亿元）" }],
        };
      }
      return undefined;
    });
    const { wrapper, router } = await mountApp("/plans/new?itemId=i1");
    expect(wrapper.find('[data-testid="plan-form-item"]').text()).toContain("Ⅲ-1 鲁南花鼓");
    await wrapper.find('[data-testid="plan-form-title"]').setValue("鲁南花鼓保护计划");
    await typeNumber("plan-form-start-year", "2027");
    expect(wrapper.find('[data-testid="plan-form-end-year"]').text()).toBe("2031");
    expect(wrapper.findAll('[data-testid="plan-year-row"]').map((r) => r.find("td").text())).toEqual(["2027", "2028", "2029", "2030", "2031"]);
    await wrapper.findAll('[data-testid="plan-year-targets"]')[0].setValue("开班招收学员");

    await wrapper.find('[data-testid="plan-budget-add"]').trigger("click");
    await wrapper.find('[data-testid="plan-budget-add"]').trigger("click");
    await settle();
    const purposes = wrapper.findAll('[data-testid="plan-budget-purpose"]');
    await purposes[0].setValue("传习补助");
    await purposes[1].setValue("设备购置");
    await typeNumber("plan-budget-amount", "50000", 0);
    await typeNumber("plan-budget-amount", "99999999999", 1);
    await wrapper.find('[data-testid="plan-form-save"]').trigger("click");
    await settleForms();

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ id: null, itemId: "i1", title: "鲁南花鼓保护计划", startYear: 2027, endYear: 2031 });
    expect(sent[0].years).toEqual([{ id: null, year: 2027, targets: "开班招收学员", measures: null }]);
    expect(sent[0].budget.map((l) => [l.year, l.purpose, l.source, l.amountFen])).toEqual([
      [2027, "传习补助", "区级财政", 5_000_000],
      [2027, "设备购置", "区级财政", 9_999_999_999_900],
    ]);
    const rows = wrapper.findAll('[data-testid="plan-budget-row"]');
    const errorIn = (row: number, testid: string) =>
      rows[row].find(`[data-testid="${testid}"]`).element.closest(".el-form-item")!.querySelector(".el-form-item__error")?.textContent?.trim();
    expect(errorIn(1, "plan-budget-amount")).toBe("金额过大（不能超过 100 亿元）");
    expect(errorIn(0, "plan-budget-amount")).toBeUndefined();
    expect(wrapper.find('[data-testid="plan-form-errors"]').text()).toContain("经费预算第2行·预算金额：金额过大");
    expect(router.currentRoute.value.path).toBe("/plans/new");
    wrapper.unmount();
  });
});

describe("activities", () => {
  const row = (partial: Partial<ActivityRow>): ActivityRow => ({
    id: "a1", kind: "展演", title: "非遗月鲁南花鼓展演", startedOn: "2026-02-15", endedOn: "2026-02-16", place: "台儿庄古城",
    participants: 320, items: "鲁南花鼓", inFeiyiMonth: true, deletedAt: null, ...partial,
  });

  it("names this year's 非遗月 above the list, tags the activities in it, and searches as the clerk types", async () => {
    const year = new Date().getFullYear();
    const calls = installIpc((cmd, a) => {
      if (cmd === "feiyi_month_info") return { year: a.year, start: `${a.year}-02-10`, end: `${a.year}-03-20` };
      if (cmd === "activity_list") {
        const q = a.query as { query: string | null };
        const rows = [row({}), row({ id: "a2", kind: "进校园", title: "鲁南花鼓进校园", startedOn: "2026-04-20", endedOn: null, inFeiyiMonth: false })];
        return { rows: q.query ? rows.slice(1) : rows, total: q.query ? 1 : 2, page: 1, pageSize: 20 };
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/protection?tab=activities");
    expect(calls.find((c) => c.cmd === "feiyi_month_info")?.args).toEqual({ year });
    expect(wrapper.find('[data-testid="feiyi-month-banner"]').text()).toBe(`今年非遗月：${year}-02-10 至 ${year}-03-20（农历腊月廿三至二月初二）`);
    const rows = wrapper.findAll('[data-testid="activity-row"]');
    expect(rows).toHaveLength(2);
    expect(rows[0].find('[data-testid="activity-feiyi-tag"]').text()).toBe("非遗月");
    expect(rows[0].text()).toContain("2026-02-15 至 2026-02-16");
    expect(rows[1].find('[data-testid="activity-feiyi-tag"]').exists()).toBe(false);

    await wrapper.find('[data-testid="activity-search"]').setValue("jxy");
    await sleep(250);
    await settle();
    expect(calls.filter((c) => c.cmd === "activity_list").pop()?.args).toEqual({
      query: { query: "jxy", kind: null, year: null, itemId: null, deleted: false, page: 1, pageSize: 20 },
    });
    expect(wrapper.findAll('[data-testid="activity-row"]')).toHaveLength(1);
    wrapper.unmount();
  });
});

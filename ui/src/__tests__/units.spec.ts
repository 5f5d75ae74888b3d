import { describe, expect, it } from "vitest";
import type { UnitCheck } from "../bindings/UnitCheck";
import type { UnitInput } from "../bindings/UnitInput";
import type { UnitQuery } from "../bindings/UnitQuery";
import type { UnitRow } from "../bindings/UnitRow";
import { chooseOption, installIpc, mountApp, settle, settleForms, typeDate, unitDetail, unitInput, unitRow } from "./helpers";

/** The core's answer: the asked page of `all`, with the total. */
const pageOf = (all: UnitRow[], q: UnitQuery) => {
  const page = q.page ?? 1;
  const pageSize = q.pageSize ?? 20;
  return { rows: all.slice((page - 1) * pageSize, page * pageSize), total: all.length, page, pageSize };
};
const unitQueries = (calls: { cmd: string; args: Record<string, unknown> }[]) =>
  calls.filter((c) => c.cmd === "unit_list").map((c) => c.args.query as UnitQuery);

const errorOf = (testid: string) =>
  document.querySelector(`[data-testid="${testid}"]`)!.closest(".el-form-item")!.querySelector(".el-form-item__error")?.textContent?.trim();

describe("protection units", () => {
  it("lists units with the masked phone and the last check, and searches", async () => {
    const calls = installIpc((cmd, a) => {
      if (cmd === "unit_list") {
        const q = a.query as UnitQuery;
        return pageOf(q.query === "wh" ? [unitRow()] : [unitRow(), unitRow({ id: "u2", name: "张山子镇综合文化站", lastCheck: "未检查" })], q);
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/units");
    expect(calls.find((c) => c.cmd === "unit_list")?.args).toEqual({ query: { query: null, deleted: false, page: 1, pageSize: 20 } });
    expect(wrapper.findAll('[data-testid="unit-row"]')).toHaveLength(2);
    expect(wrapper.find('[data-testid="unit-row-phone"]').text()).toBe("*******1001");
    expect(wrapper.text()).not.toContain("0632-6611001");
    expect(wrapper.text()).toContain("合格（2024-06-15）");
    expect(wrapper.find('[data-testid="unit-row-name"]').attributes("href")).toContain("/units/u1");
    await wrapper.find('[data-testid="unit-search"]').setValue("wh");
    await new Promise((r) => setTimeout(r, 250));
    await settle();
    expect(calls.filter((c) => c.cmd === "unit_list").pop()?.args).toEqual({ query: { query: "wh", deleted: false, page: 1, pageSize: 20 } });
    expect(wrapper.findAll('[data-testid="unit-row"]')).toHaveLength(1);
    wrapper.unmount();
  });

  it("asks the core for one page at a time, shows the core's total, and goes back to page 1 when the search or the bin changes", async () => {
    const all = Array.from({ length: 120 }, (_, i) => unitRow({ id: `u${i}`, name: `第${i + 1}文化站` }));
    const calls = installIpc((cmd, a) => (cmd === "unit_list" ? pageOf(all, a.query as UnitQuery) : undefined));
    const { wrapper, router } = await mountApp("/units");
    expect(unitQueries(calls)).toEqual([{ query: null, deleted: false, page: 1, pageSize: 20 }]);
    expect(wrapper.findAll('[data-testid="unit-row"]')).toHaveLength(20);
    expect(wrapper.find('[data-testid="unit-total"]').text()).toContain("共 120 个单位");
    expect(wrapper.find('[data-testid="unit-pagination"]').text()).toContain("120");

    await wrapper.find('[data-testid="unit-pagination"] .btn-next').trigger("click");
    await settle();
    expect(unitQueries(calls).pop()).toEqual({ query: null, deleted: false, page: 2, pageSize: 20 });
    expect(wrapper.find('[data-testid="unit-row-name"]').text()).toBe("第21文化站");
    expect(router.currentRoute.value.query).toEqual({ page: "2" });

    wrapper.findComponent({ name: "ElPagination" }).vm.$emit("size-change", 50);
    await settle();
    expect(unitQueries(calls).pop()).toEqual({ query: null, deleted: false, page: 1, pageSize: 50 });
    expect(wrapper.findAll('[data-testid="unit-row"]')).toHaveLength(50);

    wrapper.findComponent({ name: "ElPagination" }).vm.$emit("current-change", 3);
    await settle();
    expect(unitQueries(calls).pop()).toMatchObject({ page: 3, pageSize: 50 });
    expect(wrapper.findAll('[data-testid="unit-row"]')).toHaveLength(20);
    const before = unitQueries(calls).length;
    await wrapper.find('[data-testid="unit-search"]').setValue("文化");
    await wrapper.find('[data-testid="unit-search"]').setValue("文化站");
    await new Promise((r) => setTimeout(r, 250));
    await settle();
    expect(unitQueries(calls).slice(before)).toEqual([{ query: "文化站", deleted: false, page: 1, pageSize: 50 }]);

    wrapper.findComponent({ name: "ElPagination" }).vm.$emit("current-change", 2);
    await settle();
    await wrapper.find('[data-testid="unit-recycle-bin"]').trigger("click");
    await settle();
    expect(unitQueries(calls).pop()).toEqual({ query: "文化站", deleted: true, page: 1, pageSize: 50 });
    wrapper.unmount();
  }, 60_000);

  it("opens on the page and size in the address, and steps back when that page has emptied", async () => {
    const all = Array.from({ length: 25 }, (_, i) => unitRow({ id: `u${i}`, name: `第${i + 1}文化站` }));
    const calls = installIpc((cmd, a) => (cmd === "unit_list" ? pageOf(all, a.query as UnitQuery) : undefined));
    const { wrapper } = await mountApp("/units?page=3&size=20");
    expect(unitQueries(calls)).toEqual([
      { query: null, deleted: false, page: 3, pageSize: 20 },
      { query: null, deleted: false, page: 2, pageSize: 20 },
    ]);
    expect(wrapper.findAll('[data-testid="unit-row"]')).toHaveLength(5);
    wrapper.unmount();
  });

  it("shows the conditions as ✓/✗, the items as links, and the warnings", async () => {
    installIpc((cmd) =>
      cmd === "unit_get" ? unitDetail({ warnings: ["不具备保护条件：具有传承展示场所。", "限期整改期限 2025-03-31 已过，请组织复查。"] }) : undefined,
    );
    const { wrapper } = await mountApp("/units/u1");
    expect(wrapper.find('[data-testid="unit-name"]').text()).toBe("台儿庄区文化馆");
    expect(wrapper.find('[data-testid="unit-condition-legalPersonWithStaff"]').text()).toContain("✓");
    expect(wrapper.find('[data-testid="unit-condition-legalPersonWithStaff"]').text()).toContain("具有法人资格并有专职人员");
    expect(wrapper.find('[data-testid="unit-condition-hasPlaces"]').text()).toContain("✗");
    expect(wrapper.find('[data-testid="unit-condition-hasPlaces"]').text()).toContain("具有传承展示场所");
    expect(wrapper.find('[data-testid="unit-items"] a').attributes("href")).toContain("/items/i1");
    const warnings = wrapper.find('[data-testid="unit-warnings"]');
    expect(warnings.classes()).toContain("el-alert--warning");
    expect(warnings.text()).toContain("限期整改期限 2025-03-31 已过");
    expect(wrapper.find('[data-testid="unit-phone"]').text()).toBe("0632-6611001");
    wrapper.unmount();
  });

  it("asks for a deadline when the check result is 限期整改, then saves the check", async () => {
    const sent: UnitCheck[] = [];
    installIpc((cmd, a) => {
      if (cmd === "unit_get") return unitDetail();
      if (cmd === "unit_check_save") {
        const c = a.input as UnitCheck;
        sent.push(c);
        return unitDetail({ checks: [{ ...c, id: "c1" }] });
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/units/u1?tab=checks");
    await wrapper.find('[data-testid="check-new"]').trigger("click");
    await settle();
    await typeDate("check-date", "2024-11-20");
    const radio = [...document.querySelectorAll<HTMLElement>('[data-testid="check-result"] .el-radio')].find((r) => r.textContent?.includes("限期整改"))!;
    radio.querySelector("input")!.click();
    await settle();
    (document.querySelector('[data-testid="check-save"]') as HTMLElement).click();
    await settleForms();
    expect(sent).toHaveLength(0);
    expect(errorOf("check-deadline")).toBe("限期整改须填写整改期限");
    await typeDate("check-deadline", "2025-03-31");
    (document.querySelector('[data-testid="check-save"]') as HTMLElement).click();
    await settleForms();
    expect(sent).toEqual([{ id: null, unitId: "u1", checkedOn: "2024-11-20", result: "限期整改", findings: null, deadline: "2025-03-31", checker: null }]);
    expect(wrapper.find('[data-testid="unit-checks"]').text()).toContain("整改期限：2025-03-31");
    wrapper.unmount();
  });
});

describe("protection unit form", () => {
  it("shows the server's creditCode error inline on the credit code field", async () => {
    const sent: UnitInput[] = [];
    installIpc((cmd, a) => {
      if (cmd === "unit_get") return unitDetail();
      if (cmd === "unit_save") {
        sent.push(a.input as UnitInput);
        throw {
          code: "validation",
          message: "输入有误：统一社会信用代码校验位不符",
          fields: [{ field: "creditCode", message: "统一社会信用代码校验位不符" }],
        };
      }
      return undefined;
    });
    const { wrapper, router } = await mountApp("/units/u1/edit");
    const code = wrapper.find('[data-testid="unit-form-credit-code"]');
    expect((code.element as HTMLInputElement).value).toBe("12370405MB0000001Y");
    await code.setValue("12370405mb0000001x");
    await wrapper.find('[data-testid="unit-form-save"]').trigger("click");
    await settleForms();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ id: "u1", name: "台儿庄区文化馆", creditCode: "12370405MB0000001X", itemIds: ["i1"] });
    expect(sent[0].conditions).toEqual(unitInput().conditions);
    expect(errorOf("unit-form-credit-code")).toBe("统一社会信用代码校验位不符");
    expect(router.currentRoute.value.path).toBe("/units/u1/edit");
    wrapper.unmount();
  });

  it("creates a unit with the four conditions and protected items, then opens it", async () => {
    const sent: UnitInput[] = [];
    installIpc((cmd, a) => {
      if (cmd === "item_list") {
        return { rows: [{ id: "i1", code: "Ⅲ-1", name: "鲁南花鼓" }, { id: "i2", code: "Ⅱ-2", name: "运河号子" }], total: 2, page: 1, pageSize: 30 };
      }
      if (cmd === "unit_save") {
        const input = a.input as UnitInput;
        sent.push(input);
        return unitDetail({ id: "u9", fields: { ...input, id: "u9" } });
      }
      if (cmd === "unit_get") return unitDetail({ id: "u9" });
      return undefined;
    });
    const { wrapper, router } = await mountApp("/units/new");
    const labels = ["具有法人资格并有专职人员", "掌握代表性传承人或较完整的资料", "具有实施保护计划的能力", "具有传承展示场所"];
    for (const l of labels) expect(wrapper.text()).toContain(l);
    await wrapper.find('[data-testid="unit-form-name"]').setValue("邳庄镇综合文化站");
    await wrapper.find('[data-testid="unit-form-cond-legalPersonWithStaff"] input').setValue(true);
    await wrapper.find('[data-testid="unit-form-cond-hasPlaces"] input').setValue(true);
    await chooseOption("unit-form-items", "Ⅱ-2 运河号子");
    await wrapper.find('[data-testid="unit-form-save"]').trigger("click");
    await settleForms();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      id: null, name: "邳庄镇综合文化站", creditCode: null, itemIds: ["i2"],
      conditions: { legalPersonWithStaff: true, holdsInheritorOrMaterials: false, canCarryOutPlan: false, hasPlaces: true },
    });
    expect(router.currentRoute.value.path).toBe("/units/u9");
    wrapper.unmount();
  });
});

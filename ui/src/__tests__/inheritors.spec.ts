import { describe, expect, it } from "vitest";
import type { Evaluation } from "../bindings/Evaluation";
import type { InheritorInput } from "../bindings/InheritorInput";
import type { InheritorQuery } from "../bindings/InheritorQuery";
import type { RecognitionEventInput } from "../bindings/RecognitionEventInput";
import type { RecognitionInput } from "../bindings/RecognitionInput";
import type { Subsidy } from "../bindings/Subsidy";
import {
  ID_MASKED, ID_NUMBER, PHONE, PHONE_MASKED, chooseOption, inheritorDetail, inheritorRow, installIpc,
  mountApp, recognition, settle, settleForms, sleep, typeDate,
} from "./helpers";

const errorTexts = () => [...document.querySelectorAll(".el-form-item__error")].map((e) => e.textContent?.trim());
const itemHolding = (testid: string) =>
  document.querySelector(`[data-testid="${testid}"]`)!.closest(".el-form-item")!.querySelector(".el-form-item__error")?.textContent?.trim();

const ROWS = [
  inheritorRow(),
  inheritorRow({ id: "p2", name: "李春生", sex: "男", idNumberMasked: "3704**********0250", phoneMasked: null, status: "丧失传承能力" }),
  inheritorRow({ id: "p3", name: "张守义", sex: "男", status: "取消资格", recognitions: "黑陶烧制技艺（区级）" }),
  inheritorRow({ id: "p4", name: "孙德厚", sex: "男", status: "去世" }),
  inheritorRow({ id: "p5", name: "陈立新", sex: "男", idNumberMasked: null, phoneMasked: null, status: "—", recognitions: "" }),
];

describe("inheritor list", () => {
  it("says “more than” when a common search stopped counting", async () => {
    installIpc((cmd) =>
      cmd === "inheritor_list" ? { rows: ROWS, total: 5000, totalCapped: true, page: 1, pageSize: 20 } : undefined,
    );
    const { wrapper } = await mountApp("/inheritors?q=传承人");
    expect(wrapper.find('[data-testid="inheritor-total"]').text()).toContain("超过 5000 人（已筛选），多输入几个字可缩小范围");
    expect(wrapper.find('[data-testid="inheritor-pagination"]').text()).not.toContain("共 5000 条");
    wrapper.unmount();
  });

  it("shows masked numbers only, status tags in their colours, and links to the detail page", async () => {
    installIpc((cmd) => (cmd === "inheritor_list" ? { rows: ROWS, total: ROWS.length, page: 1, pageSize: 20 } : undefined));
    const { wrapper } = await mountApp("/inheritors");
    expect(wrapper.find('[data-testid="coming-soon-inheritors"]').exists()).toBe(false);
    expect(wrapper.findAll('[data-testid="inheritor-row"]')).toHaveLength(5);
    const ids = wrapper.findAll('[data-testid="inheritor-row-id-number"]').map((n) => n.text());
    expect(ids[0]).toBe(ID_MASKED);
    expect(wrapper.findAll('[data-testid="inheritor-row-phone"]')[0].text()).toBe(PHONE_MASKED);
    const text = document.body.textContent ?? "";
    expect(text).not.toContain(ID_NUMBER);
    expect(text).not.toContain(PHONE);
    const tags = wrapper.findAll('[data-testid="inheritor-row-status"]');
    expect(tags.map((t) => t.text())).toEqual(["在册", "丧失传承能力", "取消资格", "去世"]);
    expect(tags[0].classes()).toContain("el-tag--success");
    expect(tags[1].classes()).toContain("el-tag--warning");
    expect(tags[2].classes()).toContain("el-tag--danger");
    expect(tags[3].classes()).toContain("el-tag--info");
    expect(wrapper.findAll('[data-testid="inheritor-row"]')[4].text()).toContain("未认定");
    expect(wrapper.find('[data-testid="inheritor-row-name"]').attributes("href")).toContain("/inheritors/p1");
    wrapper.unmount();
  });

  it("searches while typing and passes the filters to the server", async () => {
    const calls = installIpc((cmd, a) => {
      if (cmd !== "inheritor_list") return undefined;
      const q = a.query as InheritorQuery;
      const rows = q.query === "syl" ? [ROWS[0]] : ROWS;
      return { rows, total: rows.length, page: 1, pageSize: 20 };
    });
    const { wrapper } = await mountApp("/inheritors?level=区级");
    const first = calls.find((c) => c.cmd === "inheritor_list")!.args.query as InheritorQuery;
    expect(first).toEqual({ query: null, itemId: null, level: "区级", deleted: false, page: 1, pageSize: 20 });
    const input = wrapper.find('[data-testid="inheritor-search"]');
    await input.setValue("sy");
    await input.setValue("syl");
    await sleep(250);
    await settle();
    const queries = calls.filter((c) => c.cmd === "inheritor_list").map((c) => (c.args.query as InheritorQuery).query);
    expect(queries).not.toContain("sy");
    expect(queries[queries.length - 1]).toBe("syl");
    expect(wrapper.findAll('[data-testid="inheritor-row"]')).toHaveLength(1);

    await wrapper.find('[data-testid="inheritor-recycle-bin"]').trigger("click");
    await settle();
    expect((calls.filter((c) => c.cmd === "inheritor_list").pop()!.args.query as InheritorQuery).deleted).toBe(true);
    wrapper.unmount();
  });
});

describe("inheritor detail", () => {
  it("shows the whole numbers with the hint, the warnings, and the portrait placeholder", async () => {
    installIpc((cmd) =>
      cmd === "inheritor_get"
        ? inheritorDetail({ warnings: ["鲁南花鼓：2023、2024 年连续两年评估不合格，可按规定取消其代表性传承人资格。", "尚未存档本人签署的传承意愿声明。"] })
        : undefined,
    );
    const { wrapper } = await mountApp("/inheritors/p1");
    expect(wrapper.find('[data-testid="inheritor-name"]').text()).toBe("孙玉兰");
    expect(wrapper.find('[data-testid="inheritor-id-number"]').text()).toBe(ID_NUMBER);
    expect(wrapper.find('[data-testid="inheritor-phone"]').text()).toBe(PHONE);
    expect(wrapper.find('[data-testid="inheritor-basic"]').text()).toContain("仅详情页显示完整号码");
    expect(wrapper.text()).not.toContain(ID_MASKED);
    const warnings = wrapper.find('[data-testid="inheritor-warnings"]');
    expect(warnings.exists()).toBe(true);
    expect(warnings.classes()).toContain("el-alert--warning");
    expect(warnings.text()).toContain("连续两年评估不合格");
    expect(warnings.text()).toContain("意愿声明");
    expect(wrapper.find('[data-testid="inheritor-portrait"]').text()).toContain("暂无照片");
    expect(wrapper.find('[data-testid="inheritor-status-tags"]').text()).toContain("鲁南花鼓·区级·在册");
    expect(wrapper.find('[data-testid="inheritor-edit"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it("has no warning box when there is nothing to warn about, and loads the edit log as inheritor", async () => {
    const calls = installIpc((cmd) => {
      if (cmd === "inheritor_get") return inheritorDetail();
      if (cmd === "history_list")
        return [{ seq: 3, at: "2024-03-02T02:00:00Z", actor: "李四", entity: "inheritor", entityId: "p1", action: "update", field: "idNumber", oldValue: null, newValue: "已更正", reason: null }];
      return undefined;
    });
    const { wrapper } = await mountApp("/inheritors/p1?tab=history");
    expect(wrapper.find('[data-testid="inheritor-warnings"]').exists()).toBe(false);
    expect(calls.find((c) => c.cmd === "history_list")?.args).toEqual({ entity: "inheritor", id: "p1" });
    const log = wrapper.find('[data-testid="inheritor-history"]').text();
    expect(log).toContain("李四");
    expect(log).toContain("身份证号");
    wrapper.unmount();
  });

  it("records a status change; 取消资格 needs a ground before anything is sent", async () => {
    let detail = inheritorDetail();
    const sent: RecognitionEventInput[] = [];
    installIpc((cmd, a) => {
      if (cmd === "inheritor_get") return detail;
      if (cmd === "recognition_event_add") {
        const input = a.input as RecognitionEventInput;
        sent.push(input);
        const r = recognition({ status: input.status, statusSince: input.occurredOn, events: [{ id: "e1", status: input.status, occurredOn: input.occurredOn, ground: input.ground, docNumber: input.docNumber, note: null }] });
        detail = inheritorDetail({ recognitions: [r] });
        return r;
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/inheritors/p1?tab=recognitions");
    await wrapper.find('[data-testid="recognition-status-0"]').trigger("click");
    await settle();
    await chooseOption("event-status", "取消资格");
    await typeDate("event-date", "2021-03-15");
    (document.querySelector('[data-testid="event-save"]') as HTMLElement).click();
    await settleForms();
    expect(sent).toHaveLength(0);
    expect(errorTexts()).toContain("取消资格须写明依据");

    const ground = document.querySelector('textarea[data-testid="event-ground"]') as HTMLTextAreaElement;
    ground.value = "连续两年评估不合格";
    ground.dispatchEvent(new Event("input"));
    await settle();
    (document.querySelector('[data-testid="event-save"]') as HTMLElement).click();
    await settleForms();
    expect(sent).toEqual([{ recognitionId: "r1", status: "取消资格", occurredOn: "2021-03-15", ground: "连续两年评估不合格", docNumber: null, note: null }]);
    expect(wrapper.find('[data-testid="recognition-events"]').text()).toContain("取消资格");
    wrapper.unmount();
  });

  it("adds an evaluation with the chosen grade for an item the person is recognised for", async () => {
    const sent: Evaluation[] = [];
    installIpc((cmd, a) => {
      if (cmd === "inheritor_get") return inheritorDetail();
      if (cmd === "evaluation_save") {
        const e = a.input as Evaluation;
        sent.push(e);
        return inheritorDetail({ evaluations: [{ ...e, id: "ev1" }] });
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/inheritors/p1?tab=evaluations");
    await wrapper.find('[data-testid="evaluation-new"]').trigger("click");
    await settle();
    await chooseOption("evaluation-grade", "不合格");
    (document.querySelector('[data-testid="evaluation-save"]') as HTMLElement).click();
    await settleForms();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ id: null, inheritorId: "p1", itemId: "i1", grade: "不合格", year: new Date().getFullYear() - 1 });
    const grade = wrapper.find('[data-testid="evaluation-row-grade"]');
    expect(grade.text()).toBe("不合格");
    expect(grade.classes()).toContain("el-tag--danger");
    wrapper.unmount();
  });

  it("takes subsidies in yuan, sends fen, and shows yuan with two decimals", async () => {
    const sent: Subsidy[] = [];
    installIpc((cmd, a) => {
      if (cmd === "inheritor_get") return inheritorDetail();
      if (cmd === "subsidy_save") {
        const s = a.input as Subsidy;
        sent.push(s);
        return inheritorDetail({ subsidies: [{ ...s, id: "s1" }] });
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/inheritors/p1?tab=subsidies");
    await wrapper.find('[data-testid="subsidy-new"]').trigger("click");
    await settle();
    for (const [id, value] of [["subsidy-received", "3000.5"], ["subsidy-used", "1234.56"]]) {
      const input = document.querySelector(`[data-testid="${id}"] input`) as HTMLInputElement;
      input.value = value;
      input.dispatchEvent(new Event("input"));
      input.dispatchEvent(new Event("change"));
      input.dispatchEvent(new FocusEvent("blur"));
    }
    await settle();
    (document.querySelector('[data-testid="subsidy-save"]') as HTMLElement).click();
    await settleForms();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ itemId: "i1", receivedFen: 300050, usedFen: 123456 });
    expect(wrapper.find('[data-testid="subsidy-row-received"]').text()).toBe("3,000.50");
    expect(wrapper.find('[data-testid="inheritor-subsidies"]').text()).toContain("1,765.94");
    wrapper.unmount();
  });
});

describe("inheritor form", () => {
  it("shows the server's idNumber and phone errors inline and stays on the form", async () => {
    const sent: InheritorInput[] = [];
    installIpc((cmd, a) => {
      if (cmd === "inheritor_get") return inheritorDetail();
      if (cmd === "inheritor_save") {
        sent.push(a.input as InheritorInput);
        throw {
          code: "validation",
          message: "输入有误：身份证号校验位不符；联系电话格式不正确",
          fields: [
            { field: "idNumber", message: "身份证号校验位不符" },
            { field: "phone", message: "联系电话格式不正确" },
          ],
        };
      }
      return undefined;
    });
    const { wrapper, router } = await mountApp("/inheritors/p1/edit");
    const idInput = wrapper.find('[data-testid="inheritor-form-id-number"]');
    expect((idInput.element as HTMLInputElement).value).toBe(ID_NUMBER);
    await idInput.setValue("370405195603120011");
    await settle();
    // the client only hints; the server decides
    expect(wrapper.find('[data-testid="inheritor-form-id-hint"]').text()).toContain("校验位不符");
    await wrapper.find('[data-testid="inheritor-form-save"]').trigger("click");
    await settleForms();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ id: "p1", name: "孙玉兰", idNumber: "370405195603120011", phone: PHONE, sex: "女" });
    expect(itemHolding("inheritor-form-id-number")).toBe("身份证号校验位不符");
    expect(itemHolding("inheritor-form-phone")).toBe("联系电话格式不正确");
    expect(document.querySelector(".el-message")?.textContent).toContain("身份证号校验位不符");
    expect(router.currentRoute.value.path).toBe("/inheritors/p1/edit");
    wrapper.unmount();
  });

  it("requires a name before calling the server", async () => {
    const calls = installIpc(() => undefined);
    const { wrapper } = await mountApp("/inheritors/new");
    await wrapper.find('[data-testid="inheritor-form-save"]').trigger("click");
    await settleForms();
    expect(calls.some((c) => c.cmd === "inheritor_save")).toBe(false);
    expect(errorTexts()).toContain("请填写姓名");
    wrapper.unmount();
  });

  it("from an item: saves the person, recognises them for the item at 区级, and opens the detail page", async () => {
    const saved: InheritorInput[] = [];
    const recognised: RecognitionInput[] = [];
    installIpc((cmd, a) => {
      if (cmd === "item_get") return { id: "i1", code: "Ⅲ-1", name: "鲁南花鼓" };
      if (cmd === "inheritor_save") {
        const input = a.input as InheritorInput;
        saved.push(input);
        return inheritorDetail({ id: "new1", fields: { ...input, id: "new1" }, recognitions: [] });
      }
      if (cmd === "recognition_save") {
        recognised.push(a.input as RecognitionInput);
        return recognition({ inheritorId: "new1", inheritorName: "赵小燕" });
      }
      if (cmd === "inheritor_get") return inheritorDetail({ id: "new1" });
      return undefined;
    });
    const { wrapper, router } = await mountApp("/inheritors/new?itemId=i1");
    const box = wrapper.find('[data-testid="inheritor-form-recognize"]');
    expect(box.text()).toContain("同时认定为本项目代表性传承人");
    expect(box.text()).toContain("鲁南花鼓");
    await wrapper.find('[data-testid="inheritor-form-name"]').setValue("赵小燕");
    await wrapper.find('[data-testid="inheritor-form-birth-date"]').setValue("1986-05");
    await wrapper.find('[data-testid="inheritor-form-save"]').trigger("click");
    await settleForms();
    expect(saved).toHaveLength(1);
    expect(saved[0]).toMatchObject({ id: null, name: "赵小燕", birthDate: "1986-05", idNumber: null, phone: null, sex: null });
    expect(recognised).toEqual([
      { id: null, inheritorId: "new1", itemId: "i1", level: "区级", batchId: null, batchLabel: null, docNumber: null, recognizedOn: null, note: null },
    ]);
    expect(router.currentRoute.value.path).toBe("/inheritors/new1");
    expect(router.currentRoute.value.query.tab).toBe("recognitions");
    wrapper.unmount();
  });
});

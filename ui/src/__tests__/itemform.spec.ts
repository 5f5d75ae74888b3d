import { describe, expect, it } from "vitest";
import type { ItemDetail } from "../bindings/ItemDetail";
import type { ItemInput } from "../bindings/ItemInput";
import { emptyTexts } from "../format";
import { batch, installIpc, mountApp, settle, settleForms, sleep, waitFor } from "./helpers";

function detail(partial: Partial<ItemDetail> = {}): ItemDetail {
  return {
    id: "i1", code: "Ⅷ-3", name: "黑陶烧制技艺", category: "Ⅷ", categoryName: "传统技艺", batchId: "b6",
    batchLabel: "第六批", seq: 3, parentId: null, parentName: null, extensions: [], status: "在册", level: "区级",
    endangered: false, confidential: false,
    townships: [{ code: "370405101", name: "张山子镇", villages: "东村、西村" }],
    listings: [{ id: "l1", level: "区级", listedOn: "2022-05-18", docNumber: "台政字〔2022〕33号", batchLabel: "第六批", code: "Ⅷ-3", note: null }],
    texts: { ...emptyTexts(), summary: "简介" }, protectionUnits: [], note: null,
    createdAt: "2024-03-01T02:00:00Z", updatedAt: "2024-03-01T02:00:00Z", deletedAt: null, deletedReason: null,
    ...partial,
  };
}

const errorTexts = () => [...document.querySelectorAll(".el-form-item__error")].map((e) => e.textContent?.trim());

describe("item form", () => {
  it("shows the server's field errors inline on the matching form items", async () => {
    const sent: ItemInput[] = [];
    installIpc((cmd, a) => {
      if (cmd === "item_get") return detail();
      if (cmd === "item_save") {
        sent.push(a.input as ItemInput);
        throw {
          code: "validation",
          message: "输入有误：名称与已有项目重复；项目简介过长",
          fields: [
            { field: "name", message: "名称与已有项目“黑陶烧制技艺”重复" },
            { field: "texts.summary", message: "项目简介不宜超过 600 字" },
            { field: "listings.0.level", message: "级别无效" },
            { field: "inheritors", message: "某个尚无输入框的字段" },
          ],
        };
      }
      return undefined;
    });
    const { wrapper, router } = await mountApp("/items/i1/edit");
    expect((wrapper.find('[data-testid="item-form-name"]').element as HTMLInputElement).value).toBe("黑陶烧制技艺");

    await wrapper.find('[data-testid="item-form-save"]').trigger("click");
    await settleForms();

    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ id: "i1", name: "黑陶烧制技艺", category: "Ⅷ", batchId: "b6", seq: 3 });
    expect(sent[0].townships).toEqual([{ code: "370405101", name: "张山子镇", villages: "东村、西村" }]);
    const errors = errorTexts();
    expect(errors).toContain("名称与已有项目“黑陶烧制技艺”重复");
    expect(errors).toContain("项目简介不宜超过 600 字");
    expect(errors).toContain("级别无效");
    // the name error sits in the item that holds the name input
    const nameItem = wrapper.find('[data-testid="item-form-name"]').element.closest(".el-form-item")!;
    expect(nameItem.querySelector(".el-form-item__error")?.textContent).toContain("重复");
    // a field with no input of its own is listed above the form
    expect(wrapper.find('[data-testid="item-form-errors"]').text()).toContain("某个尚无输入框的字段");
    // nothing saved: we stay on the form
    expect(router.currentRoute.value.path).toBe("/items/i1/edit");
    wrapper.unmount();
  });

  it("checks required fields before calling the server", async () => {
    const calls = installIpc(() => undefined);
    const { wrapper } = await mountApp("/items/new");
    await wrapper.find('[data-testid="item-form-save"]').trigger("click");
    await settleForms();
    expect(calls.some((c) => c.cmd === "item_save")).toBe(false);
    const errors = errorTexts();
    expect(errors).toContain("请填写项目名称");
    expect(errors).toContain("请选择类别");
    wrapper.unmount();
  });

  it("preselects the batch from ?batch=N when the batches arrive after the form", async () => {
    installIpc(async (cmd) => {
      if (cmd === "batch_list") {
        await sleep(200);
        return [batch({ id: "b5", number: 5, label: "第五批" }), batch()];
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/items/new?batch=6");
    await waitFor(() => wrapper.find('[data-testid="item-form-batch"]').text().includes("第六批"), 3000);
    expect(wrapper.find('[data-testid="item-form-batch"]').text()).toContain("第六批 台政字〔2022〕33号");
    wrapper.unmount();
  });

  it("preselects the batch from ?batch=N and opens the item page after saving", async () => {
    const sent: ItemInput[] = [];
    installIpc((cmd, a) => {
      if (cmd === "batch_list") return [batch({ id: "b5", number: 5, label: "第五批" }), batch()];
      if (cmd === "item_save") {
        sent.push(a.input as ItemInput);
        return detail({ id: "new1", name: (a.input as ItemInput).name });
      }
      if (cmd === "item_get") return detail({ id: "new1" });
      return undefined;
    });
    const { wrapper, router } = await mountApp("/items/new?batch=6");
    expect(wrapper.find('[data-testid="item-form-batch"]').text()).toContain("第六批 台政字〔2022〕33号");
    await wrapper.find('[data-testid="item-form-name"]').setValue("石磨豆腐制作技艺");
    // choose 类别 Ⅷ through the select's option list
    await wrapper.find('[data-testid="item-form-category"]').trigger("click");
    await settle();
    const option = [...document.querySelectorAll(".el-select-dropdown__item")].find((o) => o.textContent?.trim() === "Ⅷ 传统技艺") as HTMLElement;
    expect(option).toBeTruthy();
    option.click();
    await settle();
    await wrapper.find('[data-testid="item-form-save"]').trigger("click");
    await settleForms();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ id: null, name: "石磨豆腐制作技艺", category: "Ⅷ", batchId: "b6", seq: null });
    expect(router.currentRoute.value.path).toBe("/items/new1");
    wrapper.unmount();
  });
});

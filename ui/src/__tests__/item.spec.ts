import { describe, expect, it } from "vitest";
import type { ItemDetail } from "../bindings/ItemDetail";
import { emptyTexts } from "../format";
import { installIpc, mountApp, settle } from "./helpers";

function detail(partial: Partial<ItemDetail> = {}): ItemDetail {
  return {
    id: "i1", code: "Ⅲ-1", name: "鲁南花鼓", category: "Ⅲ", categoryName: "传统舞蹈", batchId: "b1",
    batchLabel: "第一批", seq: 1, parentId: null, parentName: null,
    extensions: [{ id: "i9", code: "Ⅲ-2", name: "鲁南花鼓（涧头集）" }], status: "在册", level: "市级",
    endangered: true, confidential: false, townships: [{ code: "370405001", name: "运河街道", villages: "南关村" }],
    listings: [], texts: { ...emptyTexts(), summary: "鲁南花鼓简介" }, protectionUnits: ["区文化馆"], note: null,
    createdAt: "2024-03-01T02:00:00Z", updatedAt: "2024-03-02T02:00:00Z", deletedAt: null, deletedReason: null,
    ...partial,
  };
}

describe("item page", () => {
  it("shows code, name, tags, texts with '未填写', and the edit log in Chinese", async () => {
    installIpc((cmd) => {
      if (cmd === "item_get") return detail();
      if (cmd === "history_list")
        return [{ seq: 7, at: "2024-03-02T02:00:00Z", actor: "李四", entity: "item", entityId: "i1", action: "update", field: "texts.summary", oldValue: "旧简介", newValue: "鲁南花鼓简介", reason: null }];
      return undefined;
    });
    const { wrapper } = await mountApp("/items/i1");
    expect(wrapper.find('[data-testid="item-code"]').text()).toBe("Ⅲ-1");
    expect(wrapper.find('[data-testid="item-name"]').text()).toBe("鲁南花鼓");
    expect(wrapper.text()).toContain("濒危");
    expect(wrapper.text()).toContain("鲁南花鼓（涧头集）");
    expect(wrapper.find('[data-testid="item-edit"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="item-text-summary"]').text()).toContain("鲁南花鼓简介");
    expect(wrapper.find('[data-testid="item-text-history"]').text()).toContain("未填写");

    await wrapper.find("#tab-history").trigger("click");
    await settle();
    const log = wrapper.find('[data-testid="item-history"]').text();
    expect(log).toContain("李四");
    expect(log).toContain("项目简介");
    expect(log).toContain("旧简介");
    wrapper.unmount();
  });

  it("shows a deleted item's reason and offers to restore it", async () => {
    let deleted = true;
    const calls = installIpc((cmd) => {
      if (cmd === "item_get") return detail(deleted ? { deletedAt: "2024-03-03T02:00:00Z", deletedReason: "重复录入" } : {});
      if (cmd === "item_restore") {
        deleted = false;
        return detail();
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/items/i1");
    expect(wrapper.find('[data-testid="item-deleted-alert"]').text()).toContain("已删除：重复录入");
    expect(wrapper.find('[data-testid="item-edit"]').exists()).toBe(false);
    await wrapper.find('[data-testid="item-restore"]').trigger("click");
    await settle();
    expect(calls.some((c) => c.cmd === "item_restore")).toBe(true);
    expect(wrapper.find('[data-testid="item-deleted-alert"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="item-edit"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it("says so when the item does not exist", async () => {
    installIpc((cmd) => {
      if (cmd === "item_get") throw { code: "not_found", message: "找不到项目：nope" };
      return undefined;
    });
    const { wrapper } = await mountApp("/items/nope");
    expect(wrapper.text()).toContain("找不到这个项目");
    expect(wrapper.text()).toContain("找不到项目：nope");
    wrapper.unmount();
  });
});

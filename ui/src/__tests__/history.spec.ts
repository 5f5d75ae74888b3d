import { describe, expect, it } from "vitest";
import { mount } from "@vue/test-utils";
import type { EditLogEntry } from "../bindings/EditLogEntry";
import HistoryTimeline from "../components/HistoryTimeline.vue";
import { installIpc, mountApp, settle, sleep, unitDetail } from "./helpers";

const entry = (partial: Partial<EditLogEntry>): EditLogEntry => ({
  seq: 1, at: "2026-03-01T02:00:00Z", actor: "张三", entity: "unit", entityId: "u1", action: "create",
  field: null, oldValue: null, newValue: null, reason: null, revertible: false, ...partial,
});

const LOG = [
  entry({ seq: 10 }),
  // A change the core cannot put back (e.g. logged by an older version without its machine form).
  entry({ seq: 11, action: "update", field: "items", oldValue: "鲁南花鼓", newValue: "鲁南花鼓、运河号子" }),
  entry({ seq: 12, actor: "李四", action: "update", field: "phone", oldValue: "0632-6611000", newValue: "0632-6611001", revertible: true }),
  entry({ seq: 13, action: "update", field: "items", oldValue: "鲁南花鼓", newValue: "鲁南花鼓、运河号子", revertible: true }),
  entry({ seq: 14, action: "revert", field: "address", oldValue: "新地址", newValue: "运河街道", reason: "撤销第 11 条修改", revertible: true }),
];

const confirmBox = async () => {
  await settle();
  const ok = document.querySelector(".el-message-box__btns .el-button--primary") as HTMLElement | null;
  if (!ok) throw new Error("no confirm box");
  const text = document.querySelector(".el-message-box__message")?.textContent?.trim();
  ok.click();
  await settle();
  await sleep(50);
  await settle();
  return text;
};

describe("history revert", () => {
  it("asks, reverts the entry's seq, says 已撤销 and emits reverted; shows a conflict's message", async () => {
    const calls = installIpc((cmd, a) => {
      if (cmd === "history_list") return LOG;
      if (cmd === "history_revert") {
        if (a.seq === 13) throw { code: "validation", message: "所选项目已删除", fields: [{ field: "itemIds", message: "所选项目已删除" }] };
        return null;
      }
      return undefined;
    });
    const wrapper = mount(HistoryTimeline, {
      attachTo: document.body,
      props: { entity: "unit", entityId: "u1" },
      global: { stubs: { transition: false } },
    });
    await settle();
    const entries = wrapper.findAll('[data-testid="history-entry"]');
    expect(entries).toHaveLength(5);
    // newest first; only what the core marks revertible offers 撤销 (not a create, not seq 11)
    expect(entries.map((e) => e.find('[data-testid="history-revert"]').exists())).toEqual([true, true, true, false, false]);
    expect(entries[0].text()).toContain("撤销");
    expect(entries[0].text()).toContain("撤销第 11 条修改");
    expect(entries[0].text()).not.toContain("原因：");

    await entries[2].find('[data-testid="history-revert"]').trigger("click");
    expect(await confirmBox()).toBe("将“联系电话”恢复为“0632-6611000”？此操作会记入修改记录。");
    expect(calls.filter((c) => c.cmd === "history_revert").map((c) => c.args)).toEqual([{ seq: 12 }]);
    expect(document.body.textContent).toContain("已撤销");
    expect(wrapper.emitted("reverted")).toEqual([[12]]);

    await entries[1].find('[data-testid="history-revert"]').trigger("click");
    await confirmBox();
    expect(calls.filter((c) => c.cmd === "history_revert").map((c) => c.args)).toEqual([{ seq: 12 }, { seq: 13 }]);
    expect(document.querySelector(".el-message--error")?.textContent).toContain("所选项目已删除");
    expect(wrapper.emitted("reverted")).toHaveLength(1);
    wrapper.unmount();
  });

  it("reloads the unit and its history after a revert", async () => {
    const calls = installIpc((cmd) => {
      if (cmd === "unit_get") return unitDetail();
      if (cmd === "history_list") return LOG;
      if (cmd === "history_revert") return null;
      return undefined;
    });
    const { wrapper } = await mountApp("/units/u1?tab=history");
    const count = (cmd: string) => calls.filter((c) => c.cmd === cmd).length;
    const [gets, logs] = [count("unit_get"), count("history_list")];
    await wrapper.findAll('[data-testid="history-revert"]')[1].trigger("click");
    await confirmBox();
    expect(count("unit_get")).toBe(gets + 1);
    expect(count("history_list")).toBe(logs + 1);
    wrapper.unmount();
  });
});

describe("recycle bin", () => {
  it("opens from 设置, restores an entry and reloads", async () => {
    let bin = [
      { entity: "plan", entityLabel: "保护计划", id: "p9", name: "运河号子保护计划", deletedAt: "2026-05-02T02:00:00Z", reason: "重复录入" },
      { entity: "inheritor", entityLabel: "传承人", id: "x1", name: "王某", deletedAt: "2026-05-01T02:00:00Z", reason: null },
    ];
    const calls = installIpc((cmd, a) => {
      if (cmd === "recycle_list") return bin;
      if (cmd === "recycle_restore") {
        bin = bin.filter((e) => e.id !== a.id);
        return null;
      }
      return undefined;
    });
    const { wrapper, router } = await mountApp("/settings");
    await wrapper.find('[data-testid="open-recycle"]').trigger("click");
    await settle();
    expect(router.currentRoute.value.path).toBe("/recycle");
    const rows = wrapper.findAll('[data-testid="recycle-row"]');
    expect(rows).toHaveLength(2);
    expect(rows[0].text()).toContain("保护计划");
    expect(rows[0].text()).toContain("运河号子保护计划");
    expect(rows[0].text()).toContain("重复录入");
    expect(rows[1].text()).toContain("未说明原因");

    await rows[0].find('[data-testid="recycle-restore"]').trigger("click");
    await settle();
    expect(calls.find((c) => c.cmd === "recycle_restore")?.args).toEqual({ entity: "plan", id: "p9" });
    expect(calls.filter((c) => c.cmd === "recycle_list")).toHaveLength(2);
    expect(wrapper.findAll('[data-testid="recycle-row"]')).toHaveLength(1);

    await wrapper.find('[data-testid="recycle-restore"]').trigger("click");
    await settle();
    expect(wrapper.find('[data-testid="recycle-empty"]').text()).toContain("回收站是空的");
    wrapper.unmount();
  });
});

describe("global search", () => {
  it("shows the hits grouped under 项目 / 传承人 / 活动 and opens an activity", async () => {
    const calls = installIpc((cmd) => {
      if (cmd === "search_all") {
        return [
          { kind: "item", label: "项目", hits: [{ kind: "item", id: "i1", name: "鲁南花鼓", snippet: "Ⅲ-1", matched: "name" }] },
          { kind: "inheritor", label: "传承人", hits: [{ kind: "inheritor", id: "p1", name: "孙玉兰", snippet: "鲁南花鼓（区级）", matched: "text" }] },
          { kind: "activity", label: "活动", hits: [{ kind: "activity", id: "a1", name: "鲁南花鼓进校园", snippet: "2026-04-20 进校园", matched: "name" }] },
        ];
      }
      return undefined;
    });
    const { wrapper, router } = await mountApp("/register");
    const box = wrapper.find('[data-testid="global-search"]');
    const input = box.element.tagName === "INPUT" ? box : box.find("input");
    await input.trigger("focus");
    await input.setValue("lnhg");
    await sleep(250);
    await settle();
    expect(calls.find((c) => c.cmd === "search_all")?.args).toEqual({ text: "lnhg", limit: 6 });
    const groups = [...document.querySelectorAll('[data-testid="search-group"]')].map((g) => g.textContent?.trim());
    expect(groups).toEqual(["项目", "传承人", "活动"]);
    const hits = [...document.querySelectorAll<HTMLElement>('[data-testid="search-hit"]')];
    expect(hits.map((h) => h.textContent)).toEqual(["鲁南花鼓Ⅲ-1", "孙玉兰鲁南花鼓（区级）", "鲁南花鼓进校园2026-04-20 进校园"]);
    hits[2].click();
    await settle();
    expect(router.currentRoute.value.path).toBe("/activities/a1");
    wrapper.unmount();
  });
});

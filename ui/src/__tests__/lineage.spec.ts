import { describe, expect, it, vi } from "vitest";
import type { Lineage } from "../bindings/Lineage";
import type { LineageEdge } from "../bindings/LineageEdge";
import { emptyTexts } from "../format";
import { layoutLineage } from "../lineage";
import { chooseOption, inheritorRow, installIpc, mountApp, recognition, settle, settleForms, waitFor } from "./helpers";

// ECharts draws on a canvas, which jsdom lacks: the chart component is replaced by a stub that
// shows what it was given.
vi.mock("vue-echarts", async () => {
  const { defineComponent, h } = await import("vue");
  return {
    default: defineComponent({
      name: "VChartStub",
      props: { option: { type: Object, required: true }, autoresize: Boolean },
      setup(props) {
        return () => {
          const series = (props.option as { series: { data: { id: string; name: string }[]; links: { source: string; target: string }[] }[] }).series[0];
          return h("div", {
            "data-testid": "vchart-stub",
            "data-nodes": series.data.filter((d) => !d.id.startsWith("__gen_")).map((d) => d.name).join(","),
            "data-links": series.links.map((l) => `${l.source}>${l.target}`).join(","),
          });
        };
      },
    }),
  };
});

const edge = (id: string, masterId: string, masterName: string, apprenticeId: string, apprenticeName: string, kind = "师徒"): LineageEdge => ({
  id, itemId: "i1", masterId, masterName, apprenticeId, apprenticeName, kind, generation: null, fromYear: null, toYear: null, evidence: null,
});

const LINEAGE: Lineage = {
  itemId: "i1",
  edges: [
    edge("e1", "a", "孙广田", "b", "孙德厚", "家族"),
    edge("e2", "a", "孙广田", "c", "李春生"),
    edge("e3", "z", "周长江", "c", "李春生"),
    edge("e4", "b", "孙德厚", "d", "王建国"),
    edge("e5", "c", "李春生", "d", "王建国"),
  ],
  table: [
    { generation: 1, inheritorId: "a", name: "孙广田", sex: "男", birthYear: 1902, howLearned: "—", period: "1918—" },
    { generation: 1, inheritorId: "z", name: "周长江", sex: "男", birthYear: 1911, howLearned: "—", period: "" },
    { generation: 2, inheritorId: "b", name: "孙德厚", sex: "男", birthYear: 1931, howLearned: "家传（孙广田）", period: "1945—1960" },
    { generation: 2, inheritorId: "c", name: "李春生", sex: "男", birthYear: 1938, howLearned: "师承 孙广田；师承 周长江", period: "1952—1962" },
    { generation: 3, inheritorId: "d", name: "王建国", sex: "男", birthYear: 1962, howLearned: "师承 孙德厚；师承 李春生", period: "1978—1990" },
  ],
};

function item() {
  return {
    id: "i1", code: "Ⅲ-1", name: "鲁南花鼓", category: "Ⅲ", categoryName: "传统舞蹈", batchId: "b1", batchLabel: "第一批", seq: 1,
    parentId: null, parentName: null, extensions: [], status: "在册", level: "区级", endangered: false, confidential: false,
    townships: [], listings: [], texts: emptyTexts(), protectionUnits: [], note: null,
    createdAt: "2024-03-01T02:00:00Z", updatedAt: "2024-03-01T02:00:00Z", deletedAt: null, deletedReason: null,
  };
}

const CYCLE = "传承关系不能形成循环：王建国 已是 孙广田 的徒弟或再传弟子";

describe("lineage layout", () => {
  it("places generations top to bottom, handles several roots and two masters", () => {
    const layout = layoutLineage(LINEAGE);
    const at = (id: string) => layout.nodes.find((n) => n.id === id)!;
    expect(layout.nodes).toHaveLength(5);
    expect(at("a").y).toBe(at("z").y);
    expect(at("b").y).toBeGreaterThan(at("a").y);
    expect(at("d").generation).toBe(3);
    expect(at("d").y).toBeGreaterThan(at("c").y);
    expect(layout.generations.map((g) => g.label)).toEqual(["第一代", "第二代", "第三代"]);
    expect(layout.links.map((l) => `${l.source}>${l.target}`)).toContain("z>c");
    expect(layout.labelX).toBeLessThan(Math.min(...layout.nodes.map((n) => n.x)));
  });

  it("computes generations from the edges when the table has none, and survives a cycle", () => {
    const layout = layoutLineage({
      edges: [edge("1", "x", "甲", "y", "乙"), edge("2", "y", "乙", "w", "丙"), edge("3", "w", "丙", "x", "甲")],
      table: [],
    });
    expect(layout.nodes).toHaveLength(3);
    const noCycle = layoutLineage({ edges: [edge("1", "x", "甲", "y", "乙"), edge("2", "y", "乙", "w", "丙")], table: [] });
    expect(noCycle.nodes.map((n) => [n.name, n.generation])).toEqual([["甲", 1], ["乙", 2], ["丙", 3]]);
  });
});

describe("item page · 传承人 and 传承谱系", () => {
  it("lists the item's recognitions linking to the people and offers 添加传承人 with the item", async () => {
    installIpc((cmd, a) => {
      if (cmd === "item_get") return item();
      if (cmd === "recognition_list_for_item") {
        expect(a).toEqual({ itemId: "i1" });
        return [recognition(), recognition({ id: "r2", inheritorId: "p2", inheritorName: "李春生", status: "丧失传承能力", statusSince: "2019-05-08" })];
      }
      return undefined;
    });
    const { wrapper, router } = await mountApp("/items/i1?tab=inheritors");
    const names = wrapper.findAll('[data-testid="item-inheritor-name"]');
    expect(names.map((n) => n.text())).toEqual(["孙玉兰", "李春生"]);
    expect(names[1].attributes("href")).toContain("/inheritors/p2");
    expect(wrapper.find('[data-testid="item-inheritors"]').text()).toContain("丧失传承能力");
    await wrapper.find('[data-testid="item-add-inheritor"]').trigger("click");
    await settle();
    expect(router.currentRoute.value.path).toBe("/inheritors/new");
    expect(router.currentRoute.value.query.itemId).toBe("i1");
    wrapper.unmount();
  });

  it("renders the lineage table in the server's order and the chart with every person", async () => {
    const calls = installIpc((cmd) => {
      if (cmd === "item_get") return item();
      if (cmd === "lineage_get") return LINEAGE;
      return undefined;
    });
    const { wrapper } = await mountApp("/items/i1");
    await wrapper.find('[data-testid="item-lineage-tab"]').trigger("click");
    await settle();
    expect(calls.find((c) => c.cmd === "lineage_get")?.args).toEqual({ itemId: "i1" });
    const rows = wrapper.findAll('[data-testid="lineage-row"]');
    expect(rows).toHaveLength(5);
    expect(wrapper.findAll('[data-testid="lineage-row-name"]').map((n) => n.text())).toEqual(["孙广田", "周长江", "孙德厚", "李春生", "王建国"]);
    expect(rows[0].text()).toContain("第一代");
    expect(rows[3].text()).toContain("师承 孙广田；师承 周长江");
    expect(rows[4].text()).toContain("第三代");
    expect(rows[4].text()).toContain("1978—1990");
    expect(wrapper.findAll('[data-testid="lineage-edge-row"]')).toHaveLength(5);

    // the chart is loaded on demand (a separate chunk): wait for it
    await waitFor(() => wrapper.find('[data-testid="vchart-stub"]').exists());
    const chart = wrapper.find('[data-testid="lineage-chart"] [data-testid="vchart-stub"]');
    expect(chart.exists()).toBe(true);
    expect(chart.attributes("data-nodes")!.split(",").sort()).toEqual(["周长江", "孙广田", "孙德厚", "李春生", "王建国"].sort());
    expect(chart.attributes("data-links")).toContain("z>c");
    wrapper.unmount();
  });

  it("shows the server's cycle error under 徒弟 and as a message, and keeps the dialog open", async () => {
    const sent: LineageEdge[] = [];
    installIpc((cmd, a) => {
      if (cmd === "item_get") return item();
      if (cmd === "lineage_get") return LINEAGE;
      if (cmd === "inheritor_list") {
        return { rows: [inheritorRow({ id: "a", name: "孙广田" }), inheritorRow({ id: "d", name: "王建国" })], total: 2, page: 1, pageSize: 30 };
      }
      if (cmd === "lineage_edge_save") {
        sent.push(a.input as LineageEdge);
        throw { code: "validation", message: CYCLE, fields: [{ field: "apprenticeId", message: "孙广田 是 王建国 的前辈，不能再做其徒弟" }] };
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/items/i1?tab=lineage");
    await wrapper.find('[data-testid="lineage-add"]').trigger("click");
    await settle();
    await chooseOption("lineage-master", "王建国");
    await chooseOption("lineage-apprentice", "孙广田");
    (document.querySelector('[data-testid="lineage-save"]') as HTMLElement).click();
    await settleForms();
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({ id: null, itemId: "i1", masterId: "d", apprenticeId: "a", kind: "师徒", generation: null });
    const apprenticeItem = document.querySelector('[data-testid="lineage-apprentice"]')!.closest(".el-form-item")!;
    expect(apprenticeItem.querySelector(".el-form-item__error")?.textContent).toContain("不能再做其徒弟");
    expect(document.querySelector(".el-message")?.textContent).toContain(CYCLE);
    const overlay = document.querySelector('[data-testid="lineage-save"]')!.closest(".el-overlay") as HTMLElement;
    expect(overlay.style.display).not.toBe("none");
    // the lineage on the page is unchanged
    expect(wrapper.findAll('[data-testid="lineage-row"]')).toHaveLength(5);
    wrapper.unmount();
  });

  it("saves a new edge and shows the lineage the server returns", async () => {
    let lineage = LINEAGE;
    installIpc((cmd, a) => {
      if (cmd === "item_get") return item();
      if (cmd === "lineage_get") return lineage;
      if (cmd === "inheritor_list") return { rows: [inheritorRow({ id: "n", name: "赵小燕" })], total: 1, page: 1, pageSize: 30 };
      if (cmd === "lineage_edge_save") {
        const e = a.input as LineageEdge;
        lineage = {
          ...LINEAGE,
          edges: [...LINEAGE.edges, { ...e, id: "e6" }],
          table: [...LINEAGE.table, { generation: 4, inheritorId: "n", name: "赵小燕", sex: "女", birthYear: 1986, howLearned: "师承 王建国", period: "2005—" }],
        };
        return lineage;
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/items/i1?tab=lineage");
    await wrapper.find('[data-testid="lineage-add"]').trigger("click");
    await settle();
    await chooseOption("lineage-master", "王建国");
    await chooseOption("lineage-apprentice", "赵小燕");
    (document.querySelector('[data-testid="lineage-save"]') as HTMLElement).click();
    await settleForms();
    const names = wrapper.findAll('[data-testid="lineage-row-name"]').map((n) => n.text());
    expect(names[names.length - 1]).toBe("赵小燕");
    expect(wrapper.findAll('[data-testid="lineage-row"]')[5].text()).toContain("第四代");
    wrapper.unmount();
  });
});

import { describe, expect, it } from "vitest";
import type { ItemQuery } from "../bindings/ItemQuery";
import { batch, installIpc, itemRow, mountApp, settle, sleep } from "./helpers";

const ROWS = [
  itemRow({ id: "i1", code: "Ⅲ-1", name: "鲁南花鼓" }),
  itemRow({ id: "i2", code: "Ⅱ-2", name: "运河号子", category: "Ⅱ", categoryName: "传统音乐" }),
  itemRow({ id: "i3", code: "Ⅷ-3", name: "黑陶烧制技艺", category: "Ⅷ", categoryName: "传统技艺", endangered: true }),
];
const INITIALS: Record<string, string> = { i1: "lnhg", i2: "yhhz", i3: "htszjy" };

function filter(q: ItemQuery) {
  const t = (q.query ?? "").toLowerCase();
  const rows = ROWS.filter((r) => !t || r.name.includes(t) || INITIALS[r.id].startsWith(t));
  return { rows, total: rows.length, page: q.page ?? 1, pageSize: q.pageSize ?? 20 };
}

const names = (w: Awaited<ReturnType<typeof mountApp>>["wrapper"]) =>
  w.findAll('[data-testid="item-row-name"]').map((n) => n.text());

describe("register page", () => {
  it("filters by a batch out of 1,500, named by its label from the address, and clears back to all", async () => {
    const many = Array.from({ length: 1500 }, (_, n) => batch({ id: `b${n + 1}`, number: n + 1, label: `第${n + 1}批` }));
    const calls = installIpc((cmd, a) => {
      if (cmd === "batch_list") return many;
      if (cmd === "item_list") return filter(a.query as ItemQuery);
      return undefined;
    });
    const { wrapper, router } = await mountApp("/register?batch=1234");
    const lists = () => calls.filter((c) => c.cmd === "item_list").map((c) => (c.args.query as ItemQuery).batch);
    expect(lists()).toEqual([1234]);
    const select = wrapper.find('[data-testid="filter-batch"]');
    expect(select.text()).toContain("第1234批");
    // Only the options in view are drawn, not 1,500.
    await select.find(".el-select__wrapper").trigger("click");
    await settle();
    const drawn = document.querySelectorAll(".el-select-dropdown__item").length;
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(100);
    // Clearing asks for every batch again and leaves the address without one.
    await select.find(".el-select__wrapper").trigger("mouseenter");
    await select.find(".el-select__clear").trigger("click");
    await settle();
    expect(lists().at(-1) ?? null).toBeNull();
    expect(router.currentRoute.value.query.batch).toBeUndefined();
    wrapper.unmount();
  });

  it("draws the first page and its details without waiting for the batches, which fill the filter later", async () => {
    let answerBatches: (b: ReturnType<typeof batch>[]) => void = () => undefined;
    const calls = installIpc((cmd, a) => {
      if (cmd === "batch_list") return new Promise((resolve) => (answerBatches = resolve));
      if (cmd === "item_list") return filter(a.query as ItemQuery);
      return undefined;
    });
    const { wrapper } = await mountApp("/register?batch=6");
    expect(names(wrapper)).toEqual(["鲁南花鼓", "运河号子", "黑陶烧制技艺"]);
    // Asked for after the frame with the shell and the register (a province's batches are
    // 0.8 MB to parse), so after the first page.
    const order = calls.map((c) => c.cmd);
    expect(order.indexOf("batch_list")).toBeGreaterThan(order.indexOf("item_list"));
    expect(wrapper.find('[data-testid="filter-batch"]').text()).not.toContain("第六批");
    answerBatches([batch()]);
    await settle();
    expect(wrapper.find('[data-testid="filter-batch"]').text()).toContain("第六批");
    wrapper.unmount();
  });

  it("says so once when the batches cannot be read, and the register stays usable", async () => {
    installIpc((cmd, a) => {
      if (cmd === "batch_list") throw { code: "db", message: "批次读取失败（测试）" };
      if (cmd === "item_list") return filter(a.query as ItemQuery);
      return undefined;
    });
    const { wrapper } = await mountApp("/register");
    expect(names(wrapper)).toHaveLength(3);
    expect(wrapper.find('[data-testid="load-error"]').exists()).toBe(false);
    expect([...document.querySelectorAll(".el-message")].map((m) => m.textContent?.trim())).toEqual(["批次读取失败（测试）"]);
    document.querySelectorAll(".el-message").forEach((m) => m.remove());
    wrapper.unmount();
  });

  it("lists items in rows with links", async () => {
    installIpc((cmd, a) => (cmd === "item_list" ? filter(a.query as ItemQuery) : undefined));
    const { wrapper } = await mountApp("/register");
    expect(wrapper.findAll('[data-testid="item-row"]')).toHaveLength(3);
    expect(names(wrapper)).toEqual(["鲁南花鼓", "运河号子", "黑陶烧制技艺"]);
    expect(wrapper.find('[data-testid="item-row-name"]').attributes("href")).toContain("/items/i1");
    expect(wrapper.find('[data-testid="register-total"]').text()).toContain("共 3 项");
    expect(wrapper.text()).toContain("濒危");
    wrapper.unmount();
  });

  it("says “more than” when a common search stopped counting, and drops the pager's total", async () => {
    installIpc((cmd) =>
      cmd === "item_list" ? { rows: ROWS, total: 5000, totalCapped: true, page: 1, pageSize: 20 } : undefined,
    );
    const { wrapper } = await mountApp("/register?q=保存较为完整");
    const summary = wrapper.find('[data-testid="register-total"]').text();
    expect(summary).toContain("超过 5000 项（已筛选），多输入几个字可缩小范围");
    expect(summary).not.toContain("共");
    const pager = wrapper.find('[data-testid="register-pagination"]');
    expect(pager.exists()).toBe(true);
    expect(pager.text()).not.toContain("共 5000 条");
    expect(wrapper.findAll('[data-testid="item-row"]')).toHaveLength(3);
    wrapper.unmount();
  });

  it("searches while typing, sending the text as query.query", async () => {
    const calls = installIpc((cmd, a) => (cmd === "item_list" ? filter(a.query as ItemQuery) : undefined));
    const { wrapper } = await mountApp("/register");
    const input = wrapper.find('[data-testid="register-search"]');
    expect(input.attributes("placeholder")).toBe("搜索名称、拼音或首字母，如 lnhg");
    await input.setValue("ln");
    await input.setValue("lnhg");
    await sleep(250);
    await settle();
    const queries = calls.filter((c) => c.cmd === "item_list").map((c) => (c.args.query as ItemQuery).query);
    expect(queries[queries.length - 1]).toBe("lnhg");
    expect(queries).not.toContain("ln"); // debounced: the half-typed text was never sent
    expect(names(wrapper)).toEqual(["鲁南花鼓"]);
    expect(wrapper.findAll('[data-testid="item-row"]')).toHaveLength(1);
    wrapper.unmount();
  });

  it("ignores an answer that arrives after a newer one", async () => {
    installIpc(async (cmd, a) => {
      if (cmd !== "item_list") return undefined;
      const q = a.query as ItemQuery;
      if (q.query === "运") await sleep(300); // the older request answers last
      return filter(q);
    });
    const { wrapper } = await mountApp("/register");
    const input = wrapper.find('[data-testid="register-search"]');
    await input.setValue("运");
    await sleep(200);
    await input.setValue("lnhg");
    await sleep(500);
    await settle();
    expect(names(wrapper)).toEqual(["鲁南花鼓"]);
    wrapper.unmount();
  });

  it("an item clicked while a search is still answering opens, and is not pulled back", async () => {
    installIpc(async (cmd, a) => {
      if (cmd !== "item_list") return undefined;
      const q = a.query as ItemQuery;
      if (q.query === "lnhg") await sleep(200);
      return filter(q);
    });
    const { wrapper, router } = await mountApp("/register");
    // A slow navigation (e.g. a page still loading) outlasts the search's answer.
    router.beforeEach(async (to) => {
      if (to.path.startsWith("/items/")) await sleep(400);
    });
    await wrapper.find('[data-testid="register-search"]').setValue("lnhg");
    await sleep(200); // debounce done, the search is on its way
    await wrapper.find('[data-testid="item-row-name"]').trigger("click");
    await sleep(700);
    await settle();
    expect(router.currentRoute.value.path).toBe("/items/i1");
    wrapper.unmount();
  });

  it("passes filters, sorting and paging to the server and shows an empty state", async () => {
    const calls = installIpc((cmd) => (cmd === "item_list" ? { rows: [], total: 0, page: 1, pageSize: 20 } : undefined));
    const { wrapper } = await mountApp("/register?batch=6");
    const first = calls.find((c) => c.cmd === "item_list")!.args.query as ItemQuery;
    expect(first).toMatchObject({ batch: 6, deleted: false, sort: "code", desc: false, page: 1, pageSize: 20 });
    expect(wrapper.find('[data-testid="register-empty"]').text()).toContain("没有符合条件的项目");

    await wrapper.find('[data-testid="item-recycle-bin"]').trigger("click");
    await settle();
    const last = calls.filter((c) => c.cmd === "item_list").pop()!.args.query as ItemQuery;
    expect(last.deleted).toBe(true);
    wrapper.unmount();
  });

  it("restores a deleted item from the recycle bin", async () => {
    let deleted = true;
    const calls = installIpc((cmd, a) => {
      if (cmd === "item_list") {
        const q = a.query as ItemQuery;
        const rows = q.deleted === deleted ? [ROWS[0]] : [];
        return { rows, total: rows.length, page: 1, pageSize: 20 };
      }
      if (cmd === "item_restore") {
        deleted = false;
        return {};
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/register?deleted=1");
    expect(wrapper.findAll('[data-testid="item-row"]')).toHaveLength(1);
    await wrapper.find('[data-testid="item-restore"]').trigger("click");
    await settle();
    expect(calls.find((c) => c.cmd === "item_restore")?.args).toEqual({ id: "i1" });
    expect(wrapper.findAll('[data-testid="item-row"]')).toHaveLength(0);
    wrapper.unmount();
  });
});

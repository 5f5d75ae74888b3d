// The register's address ↔ query, and the first page asked for at start-up (main.ts).
import { describe, expect, it } from "vitest";
import * as api from "../api";
import type { ItemQuery } from "../bindings/ItemQuery";
import { startQuery } from "../registerQuery";
import { installIpc, itemRow, mountApp, settle } from "./helpers";

const DEFAULT: ItemQuery = {
  batch: null, category: null, level: null, township: null, status: null, query: null,
  deleted: false, sort: "code", desc: false, page: 1, pageSize: 20,
};

describe("the register's start query", () => {
  it("is the default page for the register's addresses and nothing for other pages", () => {
    for (const h of ["", "#", "#/", "#/register"]) expect(startQuery(h)).toEqual(DEFAULT);
    expect(startQuery("#/items/abc")).toBeNull();
    expect(startQuery("#/registers")).toBeNull();
  });

  it("reads the filters of the address as the register does, junk falling back to the default", () => {
    const q = startQuery(`#/register?batch=6&category=%E2%85%A7&q=${encodeURIComponent(" 花鼓 ")}&sort=name&desc=1&page=3&size=50&deleted=1`);
    expect(q).toEqual({ ...DEFAULT, batch: 6, category: "Ⅷ", query: "花鼓", sort: "name", desc: true, page: 3, pageSize: 50, deleted: true });
    expect(startQuery("#/register?batch=x&sort=colour&page=-2&size=7&q=")).toEqual(DEFAULT);
  });

  it("is asked for once: the first identical query takes it, any other query drops it", async () => {
    let n = 0;
    const calls = installIpc((cmd) => (cmd === "item_list" ? { rows: [], total: ++n, page: 1, pageSize: 20 } : undefined));
    const lists = () => calls.filter((c) => c.cmd === "item_list").length;
    api.prefetchItems(DEFAULT);
    expect(lists()).toBe(1);
    expect((await api.listItems({ ...DEFAULT })).total).toBe(1);
    expect(lists()).toBe(1);
    expect((await api.listItems(DEFAULT)).total).toBe(2); // taken once only
    api.prefetchItems(DEFAULT);
    await api.listItems({ ...DEFAULT, page: 2 });
    expect((await api.listItems(DEFAULT)).total).toBe(5); // dropped by the other query
    api.prefetchItems(DEFAULT);
    api.forgetPrefetch();
    expect((await api.listItems(DEFAULT)).total).toBe(7);
    await settle();
  });

  it("once answered, is drawn by the register as it is created, without asking again", async () => {
    const calls = installIpc((cmd) =>
      cmd === "item_list" ? { rows: [itemRow({ id: "i1", name: "鲁南花鼓" })], total: 1, page: 1, pageSize: 20 } : undefined,
    );
    const query = { ...DEFAULT, page: 2 };
    api.prefetchItems(query);
    expect(api.takeAnsweredPrefetch(query)).toBeNull(); // not answered yet
    await settle();
    expect(api.takeAnsweredPrefetch(DEFAULT)).toBeNull(); // another query does not take it
    expect(api.takeAnsweredPrefetch({ ...query })?.total).toBe(1);
    expect(api.takeAnsweredPrefetch(query)).toBeNull(); // taken once only

    api.prefetchItems(DEFAULT);
    await settle();
    const { wrapper } = await mountApp("/register");
    expect(wrapper.text()).toContain("鲁南花鼓");
    expect(calls.filter((c) => c.cmd === "item_list")).toHaveLength(2);
    // Taken as the register was created: it never asked (its load() marks "asked"). This is the
    // first register of this file, so the once-only cold-start report is its own.
    const marks = calls.find((c) => c.cmd === "app_first_page")?.args?.marks as Record<string, number>;
    expect(Object.keys(marks)).toContain("answered");
    expect(Object.keys(marks)).not.toContain("asked");
    wrapper.unmount();
  });

  it("is dropped when the registry fails to open, so that 重试 shows the register afresh", async () => {
    let broken = true;
    const calls = installIpc((cmd) => {
      if (broken && (cmd === "registry_info" || cmd === "item_list")) throw { code: "db", message: "数据库错误：文件被占用" };
      if (cmd === "item_list") return { rows: [itemRow({ id: "i1", name: "鲁南花鼓" })], total: 1, page: 1, pageSize: 20 };
      return undefined;
    });
    api.prefetchItems(DEFAULT);
    const { wrapper } = await mountApp("/register");
    expect(document.querySelector('[data-testid="load-error"]')?.textContent).toContain("文件被占用");
    broken = false;
    const retry = [...document.querySelectorAll<HTMLElement>('[data-testid="load-error"] button')].find((b) => b.textContent?.includes("重试"));
    retry!.click();
    await settle();
    await settle();
    expect(calls.filter((c) => c.cmd === "item_list")).toHaveLength(2);
    expect(wrapper.text()).toContain("鲁南花鼓");
    wrapper.unmount();
  });
});

// The register at province scale: the DOM holds only the rows in view, whatever the page size,
// and sorting, filters and opening an item still work on the virtualised table.
import { describe, expect, it } from "vitest";
import type { ItemQuery } from "../bindings/ItemQuery";
import { largeRegister, largeRows } from "../mock/large";
import { HEADER_HEIGHT, ROW_BUFFER, ROW_HEIGHT } from "../composables";
import { chooseOption, inheritorRow, installIpc, mountApp, settle, sleep } from "./helpers";

type Wrapper = Awaited<ReturnType<typeof mountApp>>["wrapper"];

const rowCount = () => document.querySelectorAll('[data-testid="item-row"]').length;
const names = () => [...document.querySelectorAll('[data-testid="item-row-name"]')].map((n) => n.textContent ?? "");
const lastQuery = (calls: { cmd: string; args: Record<string, unknown> }[]) =>
  calls.filter((c) => c.cmd === "item_list").pop()!.args.query as ItemQuery;
/** Rows that fit the table's body in jsdom's 768 px window, plus the buffer on both sides. */
function bound() {
  const table = document.querySelector<HTMLElement>('[role="table"]')!;
  const height = Number.parseInt(table.style.height);
  return Math.ceil((height - HEADER_HEIGHT) / ROW_HEIGHT) + 2 * ROW_BUFFER;
}
async function clickHeader(title: string) {
  const cell = [...document.querySelectorAll<HTMLElement>('[role="columnheader"]')].find((h) => h.textContent?.includes(title));
  if (!cell) throw new Error(`no column ${title}`);
  cell.click();
  await settle();
}
function scrollToRow(w: Wrapper, index: number) {
  const table = w.findComponent({ name: "VirtualTable" });
  (table.vm as unknown as { scrollToRow: (i: number, s?: string) => void }).scrollToRow(index, "start");
}

describe("virtualised register", () => {
  it("the mock makes 100,000 visibly fictional rows and answers one page of them", () => {
    const list = largeRegister(100_000);
    const page = list({ batch: null, category: null, level: null, township: null, status: null, query: null, deleted: false, sort: "code", desc: false, page: 3, pageSize: 500 });
    expect(page.total).toBe(100_000);
    expect(page.rows).toHaveLength(500);
    expect(page.rows[0].name).toBe("示例项目001000·民间文学");
    expect(largeRows(3).every((r) => r.name.startsWith("示例项目"))).toBe(true);
  });

  it("a 5,000-row page renders only the rows in view, and scrolling keeps it bounded", async () => {
    // The server answers 5,000 rows whatever is asked: ten times the largest page offered.
    installIpc((cmd, a) => (cmd === "item_list" ? largeRegister(100_000, 5000)(a.query as ItemQuery) : undefined));
    const { wrapper } = await mountApp("/register");
    expect(document.querySelector('[data-testid="register-total"]')!.textContent).toContain("共 100000 项");
    const max = bound();
    const first = rowCount();
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(max);
    expect(max).toBeLessThan(30);
    expect(names()[0]).toBe("示例项目000000·民间文学");
    // The scroll area is as tall as all 5,000 rows, so every row can be reached.
    const inner = [...document.querySelectorAll<HTMLElement>('[data-testid="item-table"] div')].filter((d) => d.style.height === `${5000 * ROW_HEIGHT}px`);
    expect(inner).toHaveLength(1);

    scrollToRow(wrapper, 2500);
    await settle();
    expect(names()).toContain("示例项目002500·民间文学");
    expect(names()).not.toContain("示例项目000000·民间文学");
    expect(rowCount()).toBeLessThanOrEqual(max);

    scrollToRow(wrapper, 4999);
    await settle();
    expect(names()).toContain("示例项目004999·民俗");
    expect(rowCount()).toBeLessThanOrEqual(max);
    wrapper.unmount();
  });

  it("offers pages of up to 500 rows and asks the server for exactly that page", async () => {
    const calls = installIpc((cmd, a) => (cmd === "item_list" ? largeRegister(100_000)(a.query as ItemQuery) : undefined));
    const { wrapper } = await mountApp("/register?size=500&page=7");
    expect(lastQuery(calls)).toMatchObject({ page: 7, pageSize: 500 });
    expect(rowCount()).toBeLessThanOrEqual(bound());
    expect(names()[0]).toBe("示例项目003000·民间文学");
    // No call ever asked for more than a page.
    expect(calls.filter((c) => c.cmd === "item_list").every((c) => ((c.args.query as ItemQuery).pageSize ?? 20) <= 500)).toBe(true);
    wrapper.unmount();
  });

  it("sorts by a header click in SQL terms, flips on a second click, and filters", async () => {
    const calls = installIpc((cmd, a) => (cmd === "item_list" ? largeRegister(100_000, 5000)(a.query as ItemQuery) : undefined));
    const { wrapper, router } = await mountApp("/register");
    await clickHeader("项目名称");
    expect(lastQuery(calls)).toMatchObject({ sort: "name", desc: false, page: 1 });
    await clickHeader("项目名称");
    expect(lastQuery(calls)).toMatchObject({ sort: "name", desc: true });
    expect(names()[0]).toBe("示例项目099999·民俗");
    expect(router.currentRoute.value.query).toMatchObject({ sort: "name", desc: "1" });
    // Another column starts ascending again.
    await clickHeader("批次");
    expect(lastQuery(calls)).toMatchObject({ sort: "batch", desc: false });

    await chooseOption("filter-category", "Ⅷ");
    expect(lastQuery(calls)).toMatchObject({ category: "Ⅷ", page: 1 });
    expect(document.querySelector('[data-testid="register-total"]')!.textContent).toContain("共 10000 项（已筛选）");
    expect(names().every((n) => n.endsWith("传统技艺"))).toBe(true);
    expect(rowCount()).toBeLessThanOrEqual(bound());
    wrapper.unmount();
  });

  it("a row's name opens the item, also after scrolling far down", async () => {
    installIpc((cmd, a) => (cmd === "item_list" ? largeRegister(100_000, 5000)(a.query as ItemQuery) : undefined));
    const { wrapper, router } = await mountApp("/register");
    scrollToRow(wrapper, 3210);
    await settle();
    const link = [...document.querySelectorAll<HTMLElement>('[data-testid="item-row-name"]')].find((a) => a.textContent?.startsWith("示例项目003210"));
    expect(link?.getAttribute("href")).toContain("/items/L003210");
    link!.click();
    await sleep(50);
    await settle();
    expect(router.currentRoute.value.path).toBe("/items/L003210");
    wrapper.unmount();
  });

  it("the inheritor list renders only the rows in view of a 5,000-row page", async () => {
    const people = Array.from({ length: 5000 }, (_, k) => inheritorRow({ id: `P${k}`, name: `示例传承人${String(k).padStart(6, "0")}` }));
    installIpc((cmd) => (cmd === "inheritor_list" ? { rows: people, total: 100_000, page: 1, pageSize: 5000 } : undefined));
    const { wrapper, router } = await mountApp("/inheritors");
    const rows = document.querySelectorAll('[data-testid="inheritor-row"]').length;
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThanOrEqual(bound());
    const link = document.querySelector<HTMLElement>('[data-testid="inheritor-row-name"]')!;
    expect(link.textContent).toBe("示例传承人000000");
    link.click();
    await sleep(50);
    await settle();
    expect(router.currentRoute.value.path).toBe("/inheritors/P0");
    wrapper.unmount();
  });
});

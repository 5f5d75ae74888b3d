// VirtualTable on its own: which rows are drawn, the sort in the header (mouse and keyboard),
// the empty state, and a new page starting at its top.
import { describe, expect, it } from "vitest";
import { mount } from "@vue/test-utils";
import { h, type Component } from "vue";
import VirtualTable from "../components/VirtualTable.vue";
import { nextSort, visibleRange, type TableColumn } from "../virtualTable";

interface Row {
  id: string;
  name: string;
}
const rows = (n: number): Row[] => Array.from({ length: n }, (_, k) => ({ id: `r${k}`, name: `行${k}` }));
const columns: TableColumn[] = [
  { key: "id", title: "编号", width: 80, sortable: true },
  { key: "name", title: "名称", width: 120, flexGrow: 1, sortable: true },
  { key: "note", title: "备注", width: 100 },
];

function table(props: Record<string, unknown>) {
  // Mounted untyped: the generic component's props and slots are checked in the views that use it.
  return mount(VirtualTable as Component, {
    props: { columns, rows: rows(1000), rowKey: "id", height: 44 + 10 * 48 + 2, rowTestid: "row", ...props },
    slots: {
      cell: ({ column, rowData }: { column: TableColumn; rowData: Row }) =>
        h("span", { class: "c" }, column.key === "note" ? "—" : rowData[column.key as keyof Row]),
      empty: () => h("p", { "data-testid": "empty" }, "没有数据"),
    },
    attachTo: document.body,
  });
}
const names = (w: ReturnType<typeof table>) => w.findAll('[data-testid="row"]').map((r) => r.findAll(".c")[1].text());

describe("visibleRange", () => {
  it("draws the rows in view and a buffer on each side, never past the ends", () => {
    expect(visibleRange(0, 480, 48, 1000, 4)).toEqual({ start: 0, end: 14 });
    expect(visibleRange(48 * 100, 480, 48, 1000, 4)).toEqual({ start: 96, end: 114 });
    // Between two rows: one more row is partly in view.
    expect(visibleRange(48 * 100 + 20, 480, 48, 1000, 4)).toEqual({ start: 96, end: 115 });
    expect(visibleRange(48 * 995, 480, 48, 1000, 4)).toEqual({ start: 991, end: 1000 });
    expect(visibleRange(0, 480, 48, 3, 4)).toEqual({ start: 0, end: 3 });
    expect(visibleRange(0, 480, 48, 0, 4)).toEqual({ start: 0, end: 0 });
    // Overscroll (a rubber band) and a scroll past a page that just became shorter.
    expect(visibleRange(-30, 480, 48, 1000, 4)).toEqual({ start: 0, end: 14 });
    expect(visibleRange(48 * 5000, 480, 48, 10, 4)).toEqual({ start: 10, end: 10 });
  });

  it("a header click flips the sorted column and starts another ascending", () => {
    expect(nextSort(undefined, "name")).toEqual({ key: "name", order: "asc" });
    expect(nextSort({ key: "name", order: "asc" }, "name")).toEqual({ key: "name", order: "desc" });
    expect(nextSort({ key: "name", order: "desc" }, "name")).toEqual({ key: "name", order: "asc" });
    expect(nextSort({ key: "name", order: "desc" }, "id")).toEqual({ key: "id", order: "asc" });
  });
});

describe("VirtualTable", () => {
  it("draws only the rows in view of 1,000, striped by their place in the page", async () => {
    const w = table({});
    expect(w.findAll('[data-testid="row"]')).toHaveLength(14);
    expect(names(w).slice(0, 2)).toEqual(["行0", "行1"]);
    expect(w.findAll('[data-testid="row"]')[1].classes()).toContain("is-striped");
    expect(w.find('[role="table"]').attributes("aria-rowcount")).toBe("1001");
    // The body is as tall as every row, so the scroll bar reaches the last one.
    expect((w.find(".vt-body").element as HTMLElement).style.height).toBe("48000px");

    (w.vm as unknown as { scrollToRow: (i: number) => void }).scrollToRow(501);
    await w.vm.$nextTick();
    expect(names(w)[0]).toBe("行497");
    expect(w.findAll('[data-testid="row"]')).toHaveLength(18);
    const first = w.find('[data-testid="row"]');
    expect(first.attributes("aria-rowindex")).toBe("499");
    expect(first.classes()).toContain("is-striped");
    expect((first.element as HTMLElement).style.transform).toBe(`translateY(${497 * 48}px)`);

    // A scroll of the body itself (the wheel, the scroll bar) moves the window of rows too.
    const body = w.find('[role="table"]').element as HTMLElement;
    Object.defineProperty(body, "scrollTop", { configurable: true, value: 48 * 10 });
    await w.find('[role="table"]').trigger("scroll");
    expect(names(w)[0]).toBe("行6");
    w.unmount();
  });

  it("starts a new page at its top", async () => {
    const w = table({});
    (w.vm as unknown as { scrollToRow: (i: number) => void }).scrollToRow(700);
    await w.vm.$nextTick();
    await w.setProps({ rows: rows(50) });
    expect(names(w)[0]).toBe("行0");
    w.unmount();
  });

  it("sorts from the header by click and by keyboard, and says the sort to assistive technology", async () => {
    const w = table({ sort: { key: "id", order: "asc" } });
    const headers = w.findAll('[role="columnheader"]');
    expect(headers.map((c) => c.attributes("aria-sort"))).toEqual(["ascending", "none", undefined]);
    expect(headers[2].attributes("tabindex")).toBeUndefined();

    await headers[0].trigger("click");
    await headers[1].trigger("keydown", { key: "Enter" });
    await headers[2].trigger("click"); // not sortable: nothing
    expect(w.emitted("column-sort")).toEqual([[{ key: "id", order: "desc" }], [{ key: "name", order: "asc" }]]);

    await w.setProps({ sort: { key: "name", order: "desc" } });
    expect(w.findAll('[role="columnheader"]').map((c) => c.attributes("aria-sort"))).toEqual(["none", "descending", undefined]);
    expect(w.find(".vt-sort.is-desc").exists()).toBe(true);
    w.unmount();
  });

  it("shows the empty slot when there are no rows", () => {
    const w = table({ rows: [] });
    expect(w.find('[data-testid="empty"]').text()).toBe("没有数据");
    expect(w.findAll('[data-testid="row"]')).toHaveLength(0);
    w.unmount();
  });
});

// A cold start draws the register's filters, its pager and the 文件 menu as plain look-alikes
// until the first page is painted (composables.useControlsLive): the same look, the chosen
// filters' labels, and the real controls at the first touch or once the rows are on screen.
// First in their own file: the start of this module instance has not settled before them.
import { describe, expect, it, vi } from "vitest";
import type { ItemPage } from "../bindings/ItemPage";
import { batch, installIpc, itemRow, mountApp, settle, sleep, waitFor } from "./helpers";

const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const standIns = () => [...document.querySelectorAll<HTMLElement>(".select-stand-in")];

describe("the register's controls on a cold start", () => {
  it("stand in with the chosen filters' labels until touched, then the real ones are drawn", async () => {
    // The first page never answers: the start does not settle by itself.
    installIpc((cmd) => {
      if (cmd === "item_list") return new Promise(() => undefined);
      if (cmd === "batch_list") return [batch()];
      return undefined;
    });
    const { wrapper } = await mountApp("/register?batch=6&category=Ⅷ&level=市级&township=370405100", { cold: true });
    expect(byTestId("filter-category")).toBeNull();
    expect(byTestId("register-pagination")).toBeNull();
    expect(standIns().map((s) => s.textContent?.trim())).toEqual(["第六批", "Ⅷ 传统技艺", "市级", "邳庄镇", "全部状态"]);
    // A chosen filter reads as chosen, an empty one as a placeholder, as in el-select.
    expect(standIns()[4].querySelector(".is-transparent")).not.toBeNull();
    expect(standIns()[1].querySelector(".is-transparent")).toBeNull();
    expect(document.querySelector(".pager-stand-in")?.textContent).toBe("共 0 条");
    // The search box is live from the start.
    expect(byTestId("register-search")).not.toBeNull();

    // A press on one stand-in draws its select at once; the others wait their turn.
    standIns()[1].dispatchEvent(new Event("pointerdown", { bubbles: true }));
    await settle();
    expect(byTestId("filter-category")).not.toBeNull();
    expect(standIns()).toHaveLength(4);
    expect(byTestId("register-pagination")).toBeNull();
    // The release that ends the press opens it, with the focus in it (the stand-in pressed is
    // gone by then: WebKit sends no click).
    const categoryInput = () => byTestId("filter-category")?.querySelector("input");
    expect(categoryInput()?.getAttribute("aria-expanded")).toBe("false");
    byTestId("filter-category")?.dispatchEvent(new Event("pointerup", { bubbles: true }));
    await settle();
    expect(categoryInput()?.getAttribute("aria-expanded")).toBe("true");
    expect(document.activeElement).toBe(categoryInput());
    expect([...document.querySelectorAll(".el-select-dropdown__item")].map((o) => o.textContent)).toContain("Ⅷ 传统技艺");

    // Tabbing onto a stand-in hands the focus to its select, closed.
    document.querySelector(".select-stand-in.f-level")!.dispatchEvent(new FocusEvent("focus"));
    await settle();
    const levelInput = byTestId("filter-level")?.querySelector("input");
    expect(document.activeElement).toBe(levelInput);
    expect(levelInput?.getAttribute("aria-expanded")).toBe("false");
    expect(standIns()).toHaveLength(3);
    wrapper.unmount();
  });

  it("become the real controls once the first page has been drawn", async () => {
    let answer: (page: ItemPage) => void = () => undefined;
    // The cold-start report is timed at the rows on screen, before the controls are created.
    let liveAtReport: boolean | null = null;
    const standInsAtLive: number[] = [];
    installIpc((cmd) => {
      if (cmd === "item_list") return new Promise((resolve) => (answer = resolve));
      if (cmd === "app_first_page") {
        liveAtReport = byTestId("filter-category") !== null;
        return null;
      }
      // The second report, once per process: every control real, and painted.
      if (cmd === "app_controls_live") {
        standInsAtLive.push(standIns().length + document.querySelectorAll(".pager-stand-in").length);
        return null;
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/register", { cold: true });
    await sleep(100);
    await settle();
    expect(standIns()).toHaveLength(5);
    // Frames are painted when the test says so.
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (f: FrameRequestCallback) => frames.push(f));
    answer({ rows: [itemRow()], total: 1, totalCapped: false, page: 1, pageSize: 20 });
    // One control per painted frame, in order: never all of them in one long task. Each frame
    // is noted as the number of filter stand-ins left, and whether the header's search box (s)
    // and 文件 menu (f) are real.
    const header = () =>
      (document.querySelector(".app-header .el-autocomplete") ? "s" : "") + (document.querySelector(".app-header .el-dropdown") ? "f" : "");
    const seen: string[] = [];
    for (let frame = 0; frame < 20 && byTestId("register-pagination") === null; frame++) {
      await settle();
      seen.push(`${standIns().length}${header()}`);
      frames.splice(0).forEach((f) => f(performance.now()));
    }
    await settle();
    vi.unstubAllGlobals();
    // The first page's frame, the header's two controls, the five filters, then the pager.
    expect(seen).toEqual(["5", "5s", "5sf", "4sf", "3sf", "2sf", "1sf", "0sf", "0sf"]);
    expect(standIns()).toHaveLength(0);
    expect(byTestId("register-pagination")?.textContent).toContain("共 1 条");
    expect(liveAtReport).toBe(false);
    await waitFor(() => standInsAtLive.length > 0, 1000);
    expect(standInsAtLive).toEqual([0]);
    wrapper.unmount();
  });
});

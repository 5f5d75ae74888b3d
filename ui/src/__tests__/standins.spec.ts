// A cold start draws the register's filters, its pager and the 文件 menu as plain look-alikes
// until the first page is painted (composables.useControlsLive): the same look, the chosen
// filters' labels, and the real controls at the first touch or once the rows are on screen.
// First in their own file: the start of this module instance has not settled before them.
import { describe, expect, it } from "vitest";
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

    standIns()[1].dispatchEvent(new Event("pointerdown"));
    await settle();
    expect(standIns()).toHaveLength(0);
    expect(byTestId("filter-category")).not.toBeNull();
    expect(byTestId("register-pagination")).not.toBeNull();
    wrapper.unmount();
  });

  it("become the real controls once the first page has been drawn", async () => {
    let answer: (page: ItemPage) => void = () => undefined;
    // The cold-start report is timed at the rows on screen, before the controls are created.
    let liveAtReport: boolean | null = null;
    installIpc((cmd) => {
      if (cmd === "item_list") return new Promise((resolve) => (answer = resolve));
      if (cmd === "app_first_page") {
        liveAtReport = byTestId("filter-category") !== null;
        return null;
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/register", { cold: true });
    await sleep(100);
    await settle();
    expect(standIns()).toHaveLength(5);
    answer({ rows: [itemRow()], total: 1, page: 1, pageSize: 20 });
    await waitFor(() => byTestId("filter-category") !== null, 1000);
    expect(standIns()).toHaveLength(0);
    expect(byTestId("register-pagination")?.textContent).toContain("共 1 条");
    expect(liveAtReport).toBe(false);
    wrapper.unmount();
  });
});

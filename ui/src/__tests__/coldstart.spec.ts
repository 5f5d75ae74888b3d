// The register reports its first page with rows to the shell exactly once per window
// (the shell logs the cold-start time from it; bench/coldstart.sh reads that line).
import { describe, expect, it } from "vitest";
import type { ItemQuery } from "../bindings/ItemQuery";
import { installIpc, itemRow, mountApp, settle, sleep } from "./helpers";

describe("cold-start report", () => {
  it("calls app_first_page once, after the first page with rows, with the row count", async () => {
    const rows = [itemRow({ id: "i1", name: "鲁南花鼓" }), itemRow({ id: "i2", name: "运河号子" })];
    const calls = installIpc((cmd, a) => {
      if (cmd === "app_first_page") return null;
      if (cmd !== "item_list") return undefined;
      const q = (a.query as ItemQuery).query ?? "";
      const hit = rows.filter((r) => r.name.includes(q));
      return { rows: hit, total: hit.length, page: 1, pageSize: 20 };
    });
    const { wrapper, router } = await mountApp("/register");
    await settle();
    await sleep(50); // the report waits for the frame with the rows to be painted
    await settle();
    const reports = () => calls.filter((c) => c.cmd === "app_first_page");
    expect(reports()).toHaveLength(1);
    expect(reports()[0].args).toMatchObject({ rows: 2 });
    // The stages inside the page go along, in order (mountApp does not run main.ts, so no "script").
    const marks = (reports()[0].args as { marks: Record<string, number> }).marks;
    expect(Object.keys(marks).sort()).toEqual(["answered", "asked", "drawn", "painted", "ready", "view"]);
    expect(marks.drawn).toBeLessThanOrEqual(marks.painted);
    expect(marks.ready).toBeLessThanOrEqual(marks.view);
    expect(marks.asked).toBeLessThanOrEqual(marks.answered);
    expect(marks.answered).toBeLessThanOrEqual(marks.drawn);
    const firstList = calls.findIndex((c) => c.cmd === "item_list");
    expect(calls.findIndex((c) => c.cmd === "app_first_page")).toBeGreaterThan(firstList);

    // Later pages, searches and a second visit to the register do not report again.
    await wrapper.find('[data-testid="register-search"]').setValue("运河");
    await sleep(250);
    await settle();
    await router.push("/batches");
    await settle();
    await router.push("/register");
    await settle();
    expect(calls.filter((c) => c.cmd === "item_list").length).toBeGreaterThan(1);
    expect(reports()).toHaveLength(1);
    wrapper.unmount();
  });
});

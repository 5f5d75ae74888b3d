// Starting on the register: its first page goes before the reminders, which a province's
// register takes a while to compute and which would otherwise hold the registry first.
import { describe, expect, it, vi } from "vitest";
import { installIpc, mountApp, settle, sleep, waitFor } from "./helpers";

describe("start on the register", () => {
  it("asks for the reminders only after the register's first page has loaded", async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const calls = installIpc(async (cmd) => {
      if (cmd === "item_list") {
        await gate;
        return { rows: [], total: 0, page: 1, pageSize: 20 };
      }
      if (cmd === "reminder_revision") return "r1";
      if (cmd === "reminder_list") return { today: "2026-11-29", active: [], snoozed: [], dismissed: [], activeTotal: 0, snoozedTotal: 0, dismissedTotal: 0 };
      return undefined;
    });
    const names = () => calls.map((c) => c.cmd);
    const { wrapper } = await mountApp("/register");
    await sleep(300);
    await settle();
    expect(names()).toContain("item_list");
    expect(names()).not.toContain("reminder_list");
    release();
    await waitFor(() => names().includes("reminder_list"));
    expect(names().indexOf("reminder_list")).toBeGreaterThan(names().indexOf("item_list"));
    wrapper.unmount();
  });

  it("asks for the reminders only once the frame with the first page has been painted", async () => {
    // Computing them in the core would take the CPU from that frame's style, layout and paint.
    const calls = installIpc((cmd) => {
      if (cmd === "item_list") return { rows: [], total: 0, page: 1, pageSize: 20 };
      if (cmd === "reminder_revision") return "r1";
      if (cmd === "reminder_list") return { today: "2026-11-29", active: [], snoozed: [], dismissed: [], activeTotal: 0, snoozedTotal: 0, dismissedTotal: 0 };
      return undefined;
    });
    // Frames are painted when the test says so.
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (f: FrameRequestCallback) => frames.push(f));
    try {
      const { wrapper } = await mountApp("/register");
      await sleep(100);
      await settle();
      const names = () => calls.map((c) => c.cmd);
      expect(names()).toContain("item_list");
      expect(names()).not.toContain("reminder_revision");
      frames.splice(0).forEach((f) => f(performance.now()));
      await waitFor(() => names().includes("reminder_list"));
      expect(names()).toContain("reminder_list");
      wrapper.unmount();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

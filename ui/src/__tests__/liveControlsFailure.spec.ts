// When the stand-ins' real controls cannot be loaded (liveControls.ts): one clear message,
// the stand-ins stay, and a later touch tries again.
import { describe, expect, it, vi } from "vitest";
import { mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { installIpc, settle } from "./helpers";

const load = { attempts: 0, fail: true };

/** The app's modules afresh, with the controls' chunk failing to load while `load.fail`. */
async function modulesWithFailingLoad() {
  // setup.ts has loaded these modules already; mocking needs a fresh module graph.
  vi.resetModules();
  vi.doMock("../liveControls", async (original) => {
    const real = await original<typeof import("../liveControls")>();
    // Every control waiting on one load hears of the same failure, as with the real shared load.
    let pending: Promise<void> | null = null;
    return {
      ...real,
      liveControlsLoaded: () => false,
      loadLiveControls: () => {
        if (!load.fail) return real.loadLiveControls();
        if (!pending) {
          load.attempts += 1;
          pending = Promise.reject(new Error("Failed to fetch dynamically imported module"));
          pending.catch(() => undefined).finally(() => (pending = null));
        }
        return pending;
      },
    };
  });
  return {
    api: await import("../api"),
    composables: await import("../composables"),
    AppHeader: (await import("../components/AppHeader.vue")).default,
    makeI18n: (await import("../i18n")).makeI18n,
    makeRouter: (await import("../router")).makeRouter,
  };
}

const messages = () => [...document.querySelectorAll(".el-message")].map((m) => m.textContent?.trim());

describe("the stand-ins' controls failing to load", () => {
  it("say so once, keep the stand-ins, and load on a later touch", async () => {
    const { composables, AppHeader, makeI18n, makeRouter } = await modulesWithFailingLoad();
    installIpc(() => undefined);
    composables.coldControls();
    const wrapper = mount(AppHeader, { attachTo: document.body, global: { plugins: [createPinia(), makeRouter(true), makeI18n("zh-CN")] } });
    await settle();
    // All eight controls wait on the one load that fails: one message, no control live.
    await composables.wakeControls();
    await settle();
    expect(load.attempts).toBe(1);
    expect(messages()).toEqual([composables.LIVE_CONTROLS_FAILED]);
    expect(document.querySelector(".app-header .el-autocomplete")).toBeNull();
    expect(document.querySelector('[data-testid="global-search"]')).not.toBeNull();
    // The next touch tries again, and this time the code is there.
    load.fail = false;
    expect(await composables.wakeControl("search")).toBe(true);
    await settle();
    expect(document.querySelector(".app-header .el-autocomplete")).not.toBeNull();
    wrapper.unmount();
  });

  it("stop the one-per-frame wake-up after a failed load instead of trying every frame", async () => {
    load.attempts = 0;
    load.fail = true;
    const { api, composables, AppHeader, makeI18n, makeRouter } = await modulesWithFailingLoad();
    installIpc(() => undefined);
    composables.coldControls();
    const frames: FrameRequestCallback[] = [];
    vi.stubGlobal("requestAnimationFrame", (f: FrameRequestCallback) => frames.push(f));
    try {
      const wrapper = mount(AppHeader, { attachTo: document.body, global: { plugins: [createPinia(), makeRouter(true), makeI18n("zh-CN")] } });
      // The register's first page is in and painted: the wake-up starts, and its load fails.
      api.markStartSettled();
      for (let frame = 0; frame < 6; frame++) {
        await settle();
        frames.splice(0).forEach((f) => f(performance.now()));
      }
      await settle();
      expect(load.attempts).toBe(1);
      expect(document.querySelector(".app-header .el-autocomplete")).toBeNull();
      wrapper.unmount();
    } finally {
      vi.unstubAllGlobals();
    }
  });
});

// The header's search box: a plain stand-in on a cold start, the search box with suggestions
// once the register has its first page, the clerk puts the cursor in it, or after a moment.
import { describe, expect, it } from "vitest";
import { mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import AppHeader from "../components/AppHeader.vue";
import { makeI18n } from "../i18n";
import { makeRouter } from "../router";
import { coldControls } from "../composables";
import { installIpc, mountApp, settle, sleep, waitFor } from "./helpers";

/** The header alone, as on a cold start: no register is created, so only a touch or the timer can swap. */
const mountHeader = () => {
  coldControls();
  return mount(AppHeader, { attachTo: document.body, global: { plugins: [createPinia(), makeRouter(true), makeI18n("zh-CN")] } });
};

/** The box's text field (Element's inputs carry the test id on the field itself). */
const field = () => {
  const el = document.querySelector<HTMLElement>('[data-testid="global-search"]')!;
  return el instanceof HTMLInputElement ? el : el.querySelector("input")!;
};
const live = () => document.querySelector(".app-header .el-autocomplete") !== null;

describe("the header's search box", () => {
  // These two come first in this file: no register has loaded before them.
  it("stands in as a plain box and becomes the search box on focus, keeping the text", async () => {
    installIpc(() => undefined);
    const wrapper = mountHeader();
    await settle();
    expect(live()).toBe(false);
    const input = field();
    input.value = "花鼓";
    input.dispatchEvent(new Event("input"));
    input.dispatchEvent(new FocusEvent("focus"));
    // The real box's code loads first (liveControls.ts): a moment, not a settle.
    await waitFor(live);
    expect(live()).toBe(true);
    const real = field();
    expect(real).not.toBe(input);
    expect(real.value).toBe("花鼓");
    expect(document.activeElement).toBe(real);
    wrapper.unmount();
  });

  it("becomes the search box by itself a moment after start away from the register", async () => {
    installIpc(() => undefined);
    const wrapper = mountHeader();
    await settle();
    expect(live()).toBe(false);
    await sleep(1600);
    await settle();
    expect(live()).toBe(true);
    wrapper.unmount();
  });

  it("opens the 文件 menu from its stand-in with one click", async () => {
    installIpc(() => undefined);
    const wrapper = mountHeader();
    await settle();
    expect(document.querySelector(".app-header .el-dropdown")).toBeNull();
    document.querySelector<HTMLElement>('[data-testid="menu-file"]')!.click();
    await waitFor(() => document.querySelector('[data-testid="menu-open-sample"]') !== null);
    // Only the touched control comes to life at once; the search box waits its turn.
    expect(live()).toBe(false);
    expect(document.querySelector(".app-header .el-dropdown")).not.toBeNull();
    expect(document.querySelector('[data-testid="menu-open-sample"]')).not.toBeNull();
    wrapper.unmount();
  });

  it("becomes the search box once the register has drawn its first page", async () => {
    installIpc(() => undefined);
    const { wrapper } = await mountApp("/register", { cold: true });
    await settle();
    await sleep(50);
    await settle();
    expect(live()).toBe(true);
    wrapper.unmount();
  });
});

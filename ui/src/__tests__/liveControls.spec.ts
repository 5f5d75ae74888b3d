// The controls a cold start draws as stand-ins load after the first page (liveControls.ts).
// First in their own file: nothing has loaded the controls' chunk before this test.
import { describe, expect, it } from "vitest";
import { defineComponent, h } from "vue";
import { mount } from "@vue/test-utils";
import { ElPagination, ElSelect, liveControlsLoaded, loadLiveControls } from "../liveControls";

describe("the controls loaded after the first page", () => {
  it("are not loaded until asked, then draw at once like any other component", async () => {
    expect(liveControlsLoaded()).toBe(false);
    const select = mount(defineComponent(() => () => h(ElSelect, { modelValue: "", placeholder: "全部类别" })));
    // Not loaded: nothing drawn yet (the page shows its stand-in meanwhile).
    expect(select.find(".el-select").exists()).toBe(false);
    select.unmount();

    await loadLiveControls();
    expect(liveControlsLoaded()).toBe(true);
    // Never drawn before, yet drawn in the mount's own update: no empty frame when a stand-in
    // is replaced, and a template ref points at the real control at once.
    const pager = mount(defineComponent(() => () => h(ElPagination, { total: 100, pageSize: 20 })));
    expect(pager.find(".el-pagination").exists()).toBe(true);
    pager.unmount();
  });
});

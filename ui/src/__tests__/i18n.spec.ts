// The app's strings: lookup by dotted key, the locale switch, and the fallbacks.
import { describe, expect, it } from "vitest";
import { defineComponent, h, nextTick } from "vue";
import { mount } from "@vue/test-utils";
import { makeI18n, useI18n } from "../i18n";

describe("the app's strings", () => {
  it("are looked up by key in the chosen locale, falling back to zh-CN and then the key", () => {
    const zh = makeI18n("zh-CN");
    expect(zh.t("nav.register")).toBe("名录");
    expect(zh.t("menu.openSample")).toBe("打开示例名录");
    const en = makeI18n("en");
    expect(en.t("nav.register")).toBe("Register");
    // Not a string, or not there: the key, so a missing string shows where it is missing.
    expect(en.t("nav")).toBe("nav");
    expect(en.t("nav.nothing")).toBe("nav.nothing");
    expect(en.t("")).toBe("");
  });

  it("redraw a component when the locale changes", async () => {
    const i18n = makeI18n("zh-CN");
    const Label = defineComponent(() => {
      const { t } = useI18n();
      return () => h("span", t("menu.file"));
    });
    const wrapper = mount(Label, { global: { plugins: [i18n] } });
    expect(wrapper.text()).toBe("文件");
    i18n.locale.value = "en";
    await nextTick();
    expect(wrapper.text()).toBe("File");
    wrapper.unmount();
  });

  it("say plainly when a component asks for them on an app without them", () => {
    const Orphan = defineComponent(() => {
      useI18n();
      return () => h("span");
    });
    expect(() => mount(Orphan)).toThrow("makeI18n() is not installed");
  });
});

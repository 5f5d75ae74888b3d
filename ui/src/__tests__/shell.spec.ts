import { describe, expect, it } from "vitest";
import { installIpc, mountApp, registryInfo, settle } from "./helpers";

describe("app shell", () => {
  it("shows the sample banner when the registry is the sample", async () => {
    installIpc(() => undefined, "sample");
    const { wrapper } = await mountApp("/register");
    const banner = wrapper.find('[data-testid="sample-banner"]');
    expect(banner.exists()).toBe(true);
    expect(banner.text()).toContain("示例名录 · 虚构数据，仅供演示");
    expect(wrapper.find('[data-testid="registry-title"]').text()).toBe("示例名录（虚构数据）");
    wrapper.unmount();
  });

  it("shows no sample banner for the real register", async () => {
    installIpc(() => undefined, "real");
    const { wrapper } = await mountApp("/register");
    expect(wrapper.find('[data-testid="registry-title"]').text()).toBe("台儿庄区非物质文化遗产代表性项目名录");
    expect(wrapper.find('[data-testid="sample-banner"]').exists()).toBe(false);
    wrapper.unmount();
  });

  it("keeps the banner on other pages too", async () => {
    installIpc(() => undefined, "sample");
    const { wrapper, router } = await mountApp("/batches");
    expect(wrapper.find('[data-testid="sample-banner"]').exists()).toBe(true);
    await router.push("/settings");
    expect(wrapper.find('[data-testid="sample-banner"]').exists()).toBe(true);
    wrapper.unmount();
  });

  it("switches the shell to English in 设置 and back, and remembers the choice", async () => {
    installIpc(() => undefined);
    const { wrapper } = await mountApp("/settings");
    const nav = () => wrapper.find('[data-testid="nav-register"]').text();
    expect(nav()).toBe("名录");
    const choose = async (label: string) => {
      const button = wrapper.findAll('[data-testid="settings-locale"] label').find((b) => b.text() === label)!;
      await button.trigger("click");
      await settle();
    };
    await choose("English");
    expect(nav()).toBe("Register");
    expect(wrapper.find('[data-testid="menu-file"]').text()).toBe("File");
    expect(localStorage.getItem("feiyi.locale")).toBe("en");
    await choose("简体中文");
    expect(nav()).toBe("名录");
    expect(localStorage.getItem("feiyi.locale")).toBe("zh-CN");
    wrapper.unmount();
  });

  it("has every navigation entry", async () => {
    installIpc(() => undefined);
    const { wrapper } = await mountApp("/register");
    for (const key of ["register", "batches", "inheritors", "units", "protection", "media", "applications", "stats", "reminders", "settings", "recycle"]) {
      expect(wrapper.find(`[data-testid="nav-${key}"]`).exists(), key).toBe(true);
    }
    wrapper.unmount();
  });

  it.each(["stats", "reminders"])("has %s as a page of its own, lit in the menu", async (key) => {
    installIpc(() => undefined);
    const { wrapper } = await mountApp(`/${key}`);
    expect(wrapper.find(`.${key}-page`).exists()).toBe(true);
    expect(wrapper.find('[data-testid="nav-' + key + '"]').classes()).toContain("is-active");
    wrapper.unmount();
  });

  it("switches to the sample from settings and shows the banner", async () => {
    let kind: "real" | "sample" = "real";
    const calls = installIpc((cmd) => {
      if (cmd === "registry_open_sample") {
        kind = "sample";
        return registryInfo("sample");
      }
      if (cmd === "registry_info") return registryInfo(kind);
      return undefined;
    });
    const { wrapper, router } = await mountApp("/settings");
    expect(wrapper.find('[data-testid="sample-banner"]').exists()).toBe(false);
    await wrapper.find('[data-testid="open-sample"]').trigger("click");
    await settle();
    expect(kind).toBe("sample");
    expect(calls.some((c) => c.cmd === "registry_open_sample")).toBe(true);
    expect(router.currentRoute.value.path).toBe("/register");
    expect(wrapper.find('[data-testid="sample-banner"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="open-real"]').exists()).toBe(false); // left settings
    wrapper.unmount();
  });
});

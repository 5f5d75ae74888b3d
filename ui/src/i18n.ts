// UI strings. zh-CN is the default and complete; en covers navigation and the common words.
//
// `t("nav.register")` looks a string up by its dotted key in the chosen locale, then in zh-CN,
// then gives the key itself. The strings have no placeholders and no plural forms, so a lookup
// is all the shell needs: vue-i18n (with its message compiler, a sixth of the scripts a cold
// start parsed and ran before the first page, and a compile of each string on its first use)
// was replaced by these few lines.
import { inject, ref, type App, type InjectionKey, type Ref } from "vue";

const zhCN = {
  app: { name: "非遗名录", loading: "正在打开名录…" },
  nav: {
    label: "功能导航",
    register: "名录",
    registerList: "项目名录",
    batches: "批次",
    inheritors: "传承人",
    units: "保护单位",
    protection: "保护工作",
    media: "资料库",
    applications: "申报",
    stats: "统计",
    reminders: "提醒",
    settings: "设置",
    data: "数据",
    recycle: "回收站",
  },
  menu: { file: "文件", openSample: "打开示例名录", openReal: "返回正式名录", settings: "设置…" },
  common: {
    save: "保存",
    cancel: "取消",
    edit: "编辑",
    delete: "删除",
    restore: "恢复",
    confirm: "确定",
    add: "新增",
    search: "搜索",
    recycleBin: "回收站",
    back: "返回",
    all: "全部",
    none: "无",
    empty: "暂无数据",
    notFilled: "未填写",
    operations: "操作",
    reason: "原因",
    loading: "加载中…",
    saved: "已保存",
    deleted: "已删除",
    restored: "已恢复",
    sample: "示例",
  },
  sample: { banner: "示例名录 · 虚构数据，仅供演示" },
};

type Messages = typeof zhCN;

const en: Messages = {
  app: { name: "Feiyi ICH Register", loading: "Opening the register…" },
  nav: {
    label: "Sections",
    register: "Register",
    registerList: "Items",
    batches: "Batches",
    inheritors: "Inheritors",
    units: "Protection units",
    protection: "Protection work",
    media: "Media",
    applications: "Applications",
    stats: "Statistics",
    reminders: "Reminders",
    settings: "Settings",
    data: "Data",
    recycle: "Recycle bin",
  },
  menu: { file: "File", openSample: "Open sample register", openReal: "Back to the real register", settings: "Settings…" },
  common: {
    save: "Save",
    cancel: "Cancel",
    edit: "Edit",
    delete: "Delete",
    restore: "Restore",
    confirm: "OK",
    add: "New",
    search: "Search",
    recycleBin: "Recycle bin",
    back: "Back",
    all: "All",
    none: "None",
    empty: "No data",
    notFilled: "Not filled in",
    operations: "Actions",
    reason: "Reason",
    loading: "Loading…",
    saved: "Saved",
    deleted: "Deleted",
    restored: "Restored",
    sample: "Sample",
  },
  sample: { banner: "Sample register · fictional data, for demonstration only" },
};

export type Locale = "zh-CN" | "en";

export const LOCALE_KEY = "feiyi.locale";

const MESSAGES: Record<Locale, Messages> = { "zh-CN": zhCN, en };

function initialLocale(): Locale {
  try {
    return localStorage.getItem(LOCALE_KEY) === "en" ? "en" : "zh-CN";
  } catch {
    return "zh-CN";
  }
}

/** The string at a dotted key, if there is one. */
function lookup(messages: Messages, key: string): string | undefined {
  let node: unknown = messages;
  for (const part of key.split(".")) {
    if (node === null || typeof node !== "object") return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === "string" ? node : undefined;
}

/** The app's strings in its current locale; installed as a Vue plugin (`app.use`). */
export interface I18n {
  /** The locale shown; setting it redraws every string read through `t`. */
  locale: Ref<Locale>;
  /** The string at `key` (e.g. "nav.register") in the current locale, else zh-CN's, else the key. */
  t: (key: string) => string;
  install: (app: App) => void;
}

const I18N: InjectionKey<I18n> = Symbol("feiyi.i18n");

/** The strings, in `locale` (by default the one last chosen in 设置, else zh-CN). */
export function makeI18n(locale: Locale = initialLocale()): I18n {
  const current = ref<Locale>(locale);
  const i18n: I18n = {
    locale: current,
    t: (key) => lookup(MESSAGES[current.value], key) ?? lookup(zhCN, key) ?? key,
    install: (app) => void app.provide(I18N, i18n),
  };
  return i18n;
}

/** The app's `I18n` inside a component's setup. */
export function useI18n(): Pick<I18n, "locale" | "t"> {
  const i18n = inject(I18N);
  if (!i18n) throw new Error("makeI18n() is not installed on this app");
  return i18n;
}

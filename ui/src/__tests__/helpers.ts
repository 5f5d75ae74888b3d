// Mounting the whole app against a mocked Rust side.
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import ElementPlus from "element-plus";
import { mockIPC } from "@tauri-apps/api/mocks";
import App from "../App.vue";
import { makeI18n } from "../i18n";
import { makeRouter } from "../router";
import type { RegistryInfo } from "../bindings/RegistryInfo";
import type { Batch } from "../bindings/Batch";
import type { ItemRow } from "../bindings/ItemRow";
import { REFERENCE } from "../mock/backend";

export type Handler = (cmd: string, args: Record<string, unknown>) => unknown;

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function registryInfo(kind: "real" | "sample" = "real"): RegistryInfo {
  return {
    kind,
    title: kind === "sample" ? "示例名录（虚构数据）" : "台儿庄区非物质文化遗产代表性项目名录",
    dataDir: "/tmp/feiyi",
    schemaVersion: 1,
    codeTemplate: "{category}-{seq}",
    itemCount: 1,
    actor: "张三",
  };
}

export function batch(partial: Partial<Batch> = {}): Batch {
  return {
    id: "b6", number: 6, label: "第六批", docNumber: "台政字〔2022〕33号", title: null,
    determinedOn: "2022-05-18", approvedOn: "2022-05-18", publishedOn: "2022-05-18",
    noticeStart: null, noticeEnd: null, determinedBy: null, approvedBy: null,
    declaredCount: 11, enteredCount: 0, note: null, supplements: [], deletedAt: null, deletedReason: null,
    ...partial,
  };
}

export function itemRow(partial: Partial<ItemRow> = {}): ItemRow {
  return {
    id: "i1", code: "Ⅲ-1", name: "鲁南花鼓", category: "Ⅲ", categoryName: "传统舞蹈",
    batchNumber: 1, batchLabel: "第一批", seq: 1, level: "区级", townships: "运河街道",
    protectionUnits: "", status: "在册", endangered: false, confidential: false, isExtension: false,
    updatedAt: "2024-03-01T02:00:00Z",
    ...partial,
  };
}

/** The answers every page needs at start; `handler` answers first and may return undefined to fall through. */
export function installIpc(handler: Handler, kind: "real" | "sample" = "real") {
  const calls: { cmd: string; args: Record<string, unknown> }[] = [];
  mockIPC(async (cmd, raw) => {
    const args = (raw ?? {}) as Record<string, unknown>;
    calls.push({ cmd, args });
    const answer = await handler(cmd, args);
    if (answer !== undefined) return answer;
    switch (cmd) {
      case "registry_info":
        return registryInfo(kind);
      case "reference_data":
        return REFERENCE;
      case "batch_list":
        return [batch()];
      case "item_list":
        return { rows: [], total: 0, page: 1, pageSize: 20 };
      case "history_list":
        return [];
      default:
        throw { code: "internal", message: `测试未模拟命令 ${cmd}` };
    }
  });
  return calls;
}

export async function mountApp(path: string) {
  const router = makeRouter(true);
  const wrapper = mount(App, {
    attachTo: document.body,
    global: {
      plugins: [createPinia(), router, makeI18n("zh-CN"), ElementPlus],
      // real transitions, so that form errors and dialogs render as in the app
      stubs: { transition: false, "transition-group": false },
    },
  });
  await router.push(path);
  await router.isReady();
  await settle();
  return { wrapper, router };
}

/** Lets promises, Vue updates and mutation observers run. */
export async function settle() {
  for (let i = 0; i < 5; i++) {
    await flushPromises();
    await sleep(0);
  }
}

/** Element Plus shows a form item's error 100 ms after it is set. */
export async function settleForms() {
  await settle();
  await sleep(150);
  await settle();
}

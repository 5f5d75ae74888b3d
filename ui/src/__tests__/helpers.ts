// Mounting the whole app against a mocked Rust side.
import { flushPromises, mount } from "@vue/test-utils";
import { createPinia } from "pinia";
import { mockIPC } from "@tauri-apps/api/mocks";
import App from "../App.vue";
import { makeI18n } from "../i18n";
import { makeRouter, routes } from "../router";
import type { RegistryInfo } from "../bindings/RegistryInfo";
import type { Batch } from "../bindings/Batch";
import type { ItemRow } from "../bindings/ItemRow";
import type { InheritorDetail } from "../bindings/InheritorDetail";
import type { InheritorInput } from "../bindings/InheritorInput";
import type { InheritorRow } from "../bindings/InheritorRow";
import type { Recognition } from "../bindings/Recognition";
import type { UnitDetail } from "../bindings/UnitDetail";
import type { UnitInput } from "../bindings/UnitInput";
import type { UnitRow } from "../bindings/UnitRow";
import { REFERENCE } from "../mock/backend";
import { coldControls, wakeControls } from "../composables";
import { loadLiveControls } from "../liveControls";

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

/** A whole, well-formed (fictional) identity number and its masked form. */
export const ID_NUMBER = "370405195603120010";
export const ID_MASKED = "3704**********0010";
export const PHONE = "13806321234";
export const PHONE_MASKED = "138****1234";

export function inheritorRow(partial: Partial<InheritorRow> = {}): InheritorRow {
  return {
    id: "p1", name: "孙玉兰", sex: "女", birthDate: "1956-03", age: 69, idNumberMasked: ID_MASKED,
    phoneMasked: PHONE_MASKED, recognitions: "鲁南花鼓（区级）", status: "在册", deletedAt: null,
    ...partial,
  };
}

export function inheritorInput(partial: Partial<InheritorInput> = {}): InheritorInput {
  return {
    id: "p1", name: "孙玉兰", sex: "女", ethnicity: "汉族", birthDate: "1956-03-12", deathDate: null, idNumber: ID_NUMBER,
    education: "高中", employer: null, occupation: "农民", practiceSince: 1970, phone: PHONE, address: "运河街道某村",
    resume: null, skillsAchievements: "鼓点稳健", teaching: null, holdings: null, awards: null, declarationSigned: true, note: null,
    ...partial,
  };
}

export function recognition(partial: Partial<Recognition> = {}): Recognition {
  return {
    id: "r1", inheritorId: "p1", inheritorName: "孙玉兰", itemId: "i1", itemName: "鲁南花鼓", level: "区级",
    batchId: "b1", batchLabel: "第一批", docNumber: "台政发〔2007〕21号", recognizedOn: "2007-06-10",
    status: "在册", statusSince: "2007-06-10", events: [], note: null,
    ...partial,
  };
}

export function inheritorDetail(partial: Partial<InheritorDetail> = {}): InheritorDetail {
  return {
    id: "p1", fields: inheritorInput(), idNumberMasked: ID_MASKED, phoneMasked: PHONE_MASKED, age: 69,
    recognitions: [recognition()], trainingPlans: [], evaluations: [], subsidies: [], warnings: [],
    portraitMediaId: null, createdAt: "2024-03-01T02:00:00Z", updatedAt: "2024-03-02T02:00:00Z",
    deletedAt: null, deletedReason: null,
    ...partial,
  };
}

export function unitInput(partial: Partial<UnitInput> = {}): UnitInput {
  return {
    id: "u1", name: "台儿庄区文化馆", creditCode: "12370405MB0000001Y", unitType: "事业单位", legalRep: "刘文",
    contactPerson: "孙敏", phone: "0632-6611001", address: "运河街道",
    conditions: { legalPersonWithStaff: true, holdsInheritorOrMaterials: true, canCarryOutPlan: true, hasPlaces: false },
    itemIds: ["i1"], note: null,
    ...partial,
  };
}

export function unitDetail(partial: Partial<UnitDetail> = {}): UnitDetail {
  return {
    id: "u1", fields: unitInput(), items: [{ id: "i1", code: "Ⅲ-1", name: "鲁南花鼓" }], checks: [], warnings: [],
    createdAt: "2024-03-01T02:00:00Z", updatedAt: "2024-03-02T02:00:00Z", deletedAt: null, deletedReason: null,
    ...partial,
  };
}

export function unitRow(partial: Partial<UnitRow> = {}): UnitRow {
  return {
    id: "u1", name: "台儿庄区文化馆", creditCode: "12370405MB0000001Y", legalRep: "刘文", contactPerson: "孙敏",
    phoneMasked: "*******1001", items: "鲁南花鼓", lastCheck: "合格（2024-06-15）", deletedAt: null,
    ...partial,
  };
}

/** Types a date (`YYYY-MM-DD`) into the el-date-picker wrapped in the element marked `testid`. */
export async function typeDate(testid: string, value: string) {
  const input = document.querySelector(`[data-testid="${testid}"] input`) as HTMLInputElement | null;
  if (!input) throw new Error(`no date input ${testid}`);
  input.value = value;
  input.dispatchEvent(new Event("input"));
  input.dispatchEvent(new Event("change"));
  await settle();
}

/** Opens the el-select marked `testid` and clicks the option whose text starts with `text`. */
export async function chooseOption(testid: string, text: string) {
  const root = document.querySelector(`[data-testid="${testid}"]`) as HTMLElement | null;
  if (!root) throw new Error(`no select ${testid}`);
  const input = root.querySelector("input") as HTMLInputElement;
  input.dispatchEvent(new FocusEvent("focus"));
  root.querySelector<HTMLElement>(".el-select__wrapper")?.click();
  await settle();
  const listId = input.getAttribute("aria-controls");
  const scope: ParentNode = (listId && document.getElementById(listId)?.closest(".el-select-dropdown")) || document;
  const option = [...scope.querySelectorAll<HTMLElement>(".el-select-dropdown__item")].find((o) => o.textContent?.trim().startsWith(text));
  if (!option) throw new Error(`no option “${text}” in ${testid}`);
  option.click();
  await settle();
}

/** The answers every page needs at start; `handler` answers first and may return undefined to fall through. */
export function installIpc(handler: Handler, kind: "real" | "sample" = "real", options: { events?: boolean } = {}) {
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
      case "media_list":
        return { rows: [], total: 0, page: 1, pageSize: 50 };
      case "media_fixity_status":
        return { lastRunAt: null, lastOk: null, lastSummary: null, due: false };
      default:
        throw { code: "internal", message: `测试未模拟命令 ${cmd}` };
    }
  }, { shouldMockEvents: !!options.events });
  return calls;
}

// The pages other than the register load on first use (router.ts), and so do the controls
// that stand-ins replace (liveControls.ts); the tests load them all once up front, so that a
// click that navigates lands within a `settle()` as in the app, where a chunk loads from disk
// in a few milliseconds rather than being compiled.
let viewsLoaded: Promise<unknown> | null = null;
function loadViews(): Promise<unknown> {
  viewsLoaded ??= Promise.all([
    ...routes.map((r) => (typeof r.component === "function" ? (r.component as () => Promise<unknown>)() : null)),
    loadLiveControls(),
  ]);
  return viewsLoaded;
}

/**
 * The whole app on `path`, its controls drawn at once; `{ cold: true }` mounts it as a cold
 * start does, with stand-ins until the register's first page is painted.
 */
export async function mountApp(path: string, options: { cold?: boolean } = {}) {
  await loadViews();
  if (options.cold) coldControls();
  else await wakeControls();
  const router = makeRouter(true);
  const wrapper = mount(App, {
    attachTo: document.body,
    global: {
      plugins: [createPinia(), router, makeI18n("zh-CN")],
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

/** Polls until `ready()` holds (for what loads on demand), at most `ms`. */
export async function waitFor(ready: () => boolean, ms = 15000) {
  const end = Date.now() + ms;
  while (!ready() && Date.now() < end) {
    await settle();
    await sleep(50);
  }
}

/** Element Plus shows a form item's error 100 ms after it is set. */
export async function settleForms() {
  await settle();
  await sleep(150);
  await settle();
}

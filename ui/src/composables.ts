// Small pieces of behaviour shared by pages.
import { ElMessage } from "element-plus";
import { computed, nextTick, onBeforeUnmount, onMounted, reactive, ref } from "vue";
import { onBeforeRouteLeave, useRouter } from "vue-router";
import * as api from "./api";
import { ApiError } from "./api";
import { fieldLabel } from "./format";
import { useRegistryStore } from "./stores/registry";
import { liveControlsLoaded, loadLiveControls } from "./liveControls";

/** Shows a failed call's Chinese message; returns the ApiError. */
export function showError(e: unknown): ApiError {
  const err = ApiError.from(e);
  ElMessage({ type: "error", message: err.message, duration: 5000, showClose: true });
  return err;
}

// Cold start: the heavy controls (selects, the header's search box with suggestions, the pager's
// size and page pickers, the 文件 menu) are drawn once the register's first page is on screen,
// plain stand-ins of the same look before that (SelectStandIn). Their code is not even loaded
// before it (liveControls.ts). After the first page has been painted it loads, and they come
// to life one per frame, in `COLD_CONTROLS` order, so that no single task
// holds the clerk's input for long; one the clerk touches comes to life at once, and all of
// them after a moment on another page.
/** The controls a cold start draws as stand-ins, in the order they come to life. */
export const COLD_CONTROLS = ["search", "file", "batch", "category", "level", "township", "status", "pager"] as const;
/** One of the controls a cold start draws as a stand-in. */
export type ColdControl = (typeof COLD_CONTROLS)[number];
/** When the controls come to life without a register to wait for (ms). */
export const CONTROLS_LIVE_AFTER_MS = 1500;
/** The controls drawn for real; all of them once the cold start is over. */
const woken = reactive(new Set<ColdControl>());
const allLive = () => woken.size === COLD_CONTROLS.length;
let liveTimer: ReturnType<typeof setTimeout> | undefined;
let waking = false;
/** Counts cold starts (tests start over with `coldControls`): a stale wake-up chain stops. */
let start = 0;
/** Marks one control as drawn for real (its code has loaded). */
function markLive(control: ColdControl): void {
  if (woken.has(control)) return;
  woken.add(control);
  if (allLive()) {
    clearTimeout(liveTimer);
    api.reportControlsLive();
  }
}
/** The load failure last told to the clerk: the controls waiting on one load hear of it together. */
let toldFailure: unknown = null;
/** What the clerk reads when the controls' code did not load. */
export const LIVE_CONTROLS_FAILED = "筛选、分页和菜单控件未能加载，请再点一次；仍不行请重新启动程序。";
/**
 * Draws one real control (the clerk touched its stand-in, or its turn came): at once when the
 * controls' code has loaded (liveControls.ts), else once it has. Resolves to whether the
 * control is live; the update that draws it is then scheduled (`nextTick` sees it drawn). A
 * failed load says so once and leaves the stand-ins, which a later touch tries again.
 */
export function wakeControl(control: ColdControl): Promise<boolean> {
  if (woken.has(control)) return Promise.resolve(true);
  if (liveControlsLoaded()) {
    markLive(control);
    return Promise.resolve(true);
  }
  return loadLiveControls().then(
    () => {
      markLive(control);
      return true;
    },
    (e: unknown) => {
      if (e !== toldFailure) {
        toldFailure = e;
        showError(new ApiError("internal", LIVE_CONTROLS_FAILED));
      }
      return false;
    },
  );
}
/** Draws all the real controls from now on (and in every page created later); see `wakeControl`. */
export function wakeControls(): Promise<void> {
  return Promise.all(COLD_CONTROLS.map(wakeControl)).then(() => undefined);
}
/**
 * Wakes the next sleeping control, then the one after it once this frame is painted; stops
 * if the controls' code did not load (no retry every frame: a touch tries again).
 */
function wakeNext(round: number): void {
  const next = COLD_CONTROLS.find((c) => !woken.has(c));
  if (round !== start || next === undefined) return;
  void wakeControl(next).then((live) => {
    if (live) api.afterPaint(() => wakeNext(round));
  });
}
/** For tests: back to a cold start's stand-ins. */
export function coldControls(): void {
  clearTimeout(liveTimer);
  liveTimer = undefined;
  waking = false;
  start += 1;
  woken.clear();
}
/** Whether `control` is drawn for real (see above); starts the wait on a cold start. */
export function useControlLive(control: ColdControl) {
  if (!allLive() && !waking) {
    waking = true;
    liveTimer = setTimeout(() => void wakeControls(), CONTROLS_LIVE_AFTER_MS);
    // One task later than the first page's report (api.reportFirstPage, timed after the same
    // paint), so that the report's moment is the rows on screen, not the controls' creation.
    const round = start;
    void api.whenStartPainted().then(() => setTimeout(() => wakeNext(round), 0));
  }
  return computed(() => woken.has(control));
}

/** Switching between the real register and the sample, then back to the list. */
export function useRegistrySwitch() {
  const store = useRegistryStore();
  const router = useRouter();
  const switching = ref(false);

  async function switchTo(kind: "sample" | "real") {
    if (switching.value) return;
    switching.value = true;
    try {
      // Leave the current page first (a form with unsaved changes may ask, and the clerk may stay),
      // onto a clean list: no filters from the other registry survive the switch.
      const failure = await router.push({ path: "/register", query: {} });
      if (failure && router.currentRoute.value.path !== "/register") return;
      await store.switchTo(kind);
      store.bumpGeneration();
      ElMessage({
        type: kind === "sample" ? "warning" : "success",
        message: kind === "sample" ? "已打开示例名录（虚构数据，仅供演示）" : "已返回正式名录",
      });
    } catch (e) {
      showError(e);
    } finally {
      switching.value = false;
    }
  }

  return { switching, switchTo };
}

/**
 * Server errors of a form: field errors inline (`serverErrors[field]`), the rest listed above
 * the form (`otherErrors`), and the message as an ElMessage.
 */
export function useServerErrors(formFields: readonly string[], entity?: string) {
  const serverErrors = ref<Record<string, string>>({});
  const otherErrors = ref<string[]>([]);

  function reset() {
    serverErrors.value = {};
    otherErrors.value = [];
  }

  /** Shows a failed save; returns the ApiError. */
  async function take(e: unknown): Promise<ApiError> {
    const err = ApiError.from(e);
    if (err.fields?.length) {
      await nextTick();
      serverErrors.value = err.fieldMap();
      otherErrors.value = err.fields
        .filter((f) => !formFields.includes(f.field))
        .map((f) => `${fieldLabel(f.field, entity)}：${f.message}`);
      ElMessage({ type: "error", message: err.message, duration: 5000, showClose: true });
    } else {
      otherErrors.value = [err.message];
      showError(err);
    }
    return err;
  }

  return { serverErrors, otherErrors, reset, take };
}

const itemNameCache = reactive(new Map<string, string>());
const itemNamePending = new Set<string>();

/** Remembers item names already known (from recognitions, lists). */
export function rememberItemName(id: string, name: string) {
  if (itemNameCache.get(id) !== name) itemNameCache.set(id, name);
}

/** An item's name by id; asks the server once when it is not known yet. */
export function itemName(id: string): string {
  const known = itemNameCache.get(id);
  if (known !== undefined) return known;
  if (!itemNamePending.has(id)) {
    itemNamePending.add(id);
    void api
      .getItem(id)
      .then((d) => rememberItemName(id, d.name))
      .catch(() => rememberItemName(id, "（项目不存在或已删除）"))
      .finally(() => itemNamePending.delete(id));
  }
  return "…";
}

/**
 * Whether a navigation away from the current page has started. A list page that writes its
 * filters into the URL once a search answers must not do so then: `router.replace` would
 * cancel the clerk's click on a result and pull them back to the list.
 */
export function useLeaving(): () => boolean {
  let leaving = false;
  onBeforeRouteLeave(() => {
    leaving = true;
  });
  return () => leaving;
}

/** Row and header heights of the virtualised lists (VirtualTable): fixed, so no row is measured. */
export const ROW_HEIGHT = 48;
export const HEADER_HEIGHT = 44;
/** Rows rendered above and below the visible ones, so a quick scroll shows no blank band. */
export const ROW_BUFFER = 4;
/** What the page shows above and below the table (header, filters, summary, pager), in px. */
const PAGE_CHROME = 330;
/** The smallest body a table gets, so a short window still shows several rows. */
const MIN_TABLE_HEIGHT = 300;

/**
 * The height of a virtualised list: as tall as its rows (a short page has no empty band), at most
 * what the window leaves for it, so a page of 500 rows scrolls inside the table and only the rows
 * in view are rendered. An empty list keeps room for its empty-state message.
 */
export function useTableHeight(rowCount: () => number) {
  const viewport = ref(window.innerHeight);
  const onResize = () => (viewport.value = window.innerHeight);
  onMounted(() => window.addEventListener("resize", onResize));
  onBeforeUnmount(() => window.removeEventListener("resize", onResize));
  const tableHeight = computed(() => {
    const content = HEADER_HEIGHT + Math.max(rowCount(), 4) * ROW_HEIGHT + 2;
    return Math.min(content, Math.max(MIN_TABLE_HEIGHT, viewport.value - PAGE_CHROME));
  });
  return { tableHeight };
}

// The heavy Element Plus controls that a cold start draws as look-alikes first (composables.ts,
// `useControlLive`): the register's filters and pager, the header's search box with
// suggestions and its 文件 menu. Drawing them later was not enough: their code (selects, a
// virtual list, poppers, tooltips, scrollbars, a colour library) was still a large share of the
// scripts the webview parses and runs before the first page. It now lives in its own chunk
// (liveControlsImpl.ts), loaded once that page is painted or a stand-in is touched.
//
// A page imports the components from here by the names vite.config.ts would otherwise import
// for their tags (`ElSelect` for `<el-select>`), so its template is unchanged. Each is an async
// component; `loadLiveControls` loads the chunk and resolves every one of them, after which
// they render at once like any other component (no empty frame when a stand-in is replaced,
// and a template ref on one points at the real control within the same update).
import { defineAsyncComponent, type Component } from "vue";

type Impl = typeof import("./liveControlsImpl");
/** Every component made by `fromChunk`, for `loadLiveControls` to resolve. */
const ALL: Component[] = [];
function fromChunk<K extends keyof Impl>(name: K) {
  const component = defineAsyncComponent(() => import("./liveControlsImpl").then((m) => m[name]));
  ALL.push(component);
  return component;
}

export const ElAutocomplete = fromChunk("ElAutocomplete");
export const ElDropdown = fromChunk("ElDropdown");
export const ElDropdownItem = fromChunk("ElDropdownItem");
export const ElDropdownMenu = fromChunk("ElDropdownMenu");
export const ElOption = fromChunk("ElOption");
export const ElPagination = fromChunk("ElPagination");
export const ElSelect = fromChunk("ElSelect");
export const ElSelectV2 = fromChunk("ElSelectV2");

let loading: Promise<void> | null = null;
let loaded = false;

/** Whether the controls' chunk has loaded: the components above then render synchronously. */
export function liveControlsLoaded(): boolean {
  return loaded;
}

/**
 * Loads the controls' chunk (once) and resolves each async component above. Vue keeps an
 * async component's resolved definition once its loader has run; the loader is reached through
 * `__asyncLoader`, the hook Vue's own hydration uses (not in its typings; ui/package.json pins
 * Vue, and liveControls.spec.ts fails if this stops making them render synchronously). A
 * failed load can be tried again.
 */
export function loadLiveControls(): Promise<void> {
  loading ??= Promise.all(
    ALL.map((c) => (c as { __asyncLoader?: () => Promise<unknown> }).__asyncLoader?.()),
  ).then(
    () => {
      loaded = true;
    },
    (e: unknown) => {
      loading = null;
      throw e;
    },
  );
  return loading;
}

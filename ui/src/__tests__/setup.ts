// jsdom lacks a few browser APIs that Element Plus touches.
import { afterEach } from "vitest";
import { config } from "@vue/test-utils";
import { clearMocks } from "@tauri-apps/api/mocks";
import { resetImport } from "../components/media/importer";

class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
const g = globalThis as unknown as Record<string, unknown>;
g.ResizeObserver ??= ResizeObserverStub;
if (!window.matchMedia) {
  window.matchMedia = (query: string) =>
    ({
      matches: false, media: query, onchange: null,
      addListener() {}, removeListener() {}, addEventListener() {}, removeEventListener() {},
      dispatchEvent: () => false,
    }) as MediaQueryList;
}
window.scrollTo = () => {};
// async-validator logs every failed rule to the console outside production.
(globalThis as unknown as Record<string, unknown>).ASYNC_VALIDATOR_NO_WARNING = 1;
Element.prototype.scrollIntoView ??= function scrollIntoView() {};

// Element Plus is not installed whole (vite.config.ts imports each component where a template
// uses it): a tag that resolves to nothing would be drawn as an empty unknown element, so a
// test that meets one fails.
const unresolved: string[] = [];
config.global.config.warnHandler = (msg, _instance, trace) => {
  if (/Failed to resolve (component|directive)/.test(msg)) unresolved.push(msg);
  else console.warn(`[Vue warn]: ${msg}${trace}`);
};

afterEach(() => {
  clearMocks();
  resetImport();
  document.body.innerHTML = "";
  const missing = unresolved.splice(0);
  if (missing.length > 0) throw new Error(`Unresolved in templates: ${[...new Set(missing)].join("; ")}`);
});

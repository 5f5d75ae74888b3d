// jsdom lacks a few browser APIs that Element Plus touches.
import { afterEach } from "vitest";
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

afterEach(() => {
  clearMocks();
  resetImport();
  document.body.innerHTML = "";
});

// Development preview only (dev-mock.html): the real UI against an in-memory fake of the
// Tauri commands, so that the pages can be looked at in a plain browser.
import "./elementServices";
import "./style.css";
import { mockIPC } from "@tauri-apps/api/mocks";
import { installMockBackend } from "./mock/backend";
import { largeRegister } from "./mock/large";
import type { ItemQuery } from "./bindings/ItemQuery";
import { createFeiyiApp } from "./app";

const params = new URLSearchParams(location.search);
const kind = params.get("kind") === "real" ? "real" : "sample";
const backend = installMockBackend({ kind });
// dev-mock.html?scale=100000: the register answers from a large fictional list (示例项目000123·…),
// to look at the virtualised table at province scale; everything else stays the small sample.
const scale = Number(params.get("scale"));
if (Number.isInteger(scale) && scale > 0) {
  const list = largeRegister(scale);
  mockIPC(async (cmd, args) => {
    const a = (args ?? {}) as Record<string, unknown>;
    return cmd === "item_list" ? list(a.query as ItemQuery) : backend.handle(cmd, a);
  });
}
const { app } = createFeiyiApp();
app.mount("#app");

// A dependency-free WebDriver client for the real-window journeys: tauri-driver
// (which starts WebKitWebDriver) drives the built desktop binary.

import { spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";
import { openSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PORT = Number(process.env.TAURI_DRIVER_PORT ?? 4444);
const BASE = `http://127.0.0.1:${PORT}`;
const ELEMENT = "element-6066-11e4-a52e-4f735466cecf";

export async function startDriver() {
  const driverBin = process.env.TAURI_DRIVER ?? "tauri-driver";
  // Own process group, no inherited stdout: the test runner reads each file's stdout until EOF,
  // so a WebKitWebDriver or app left behind must not hold it open; stopDriver kills the group.
  const log = openSync(join(tmpdir(), `feiyi-tauri-driver-${PORT}.log`), "a");
  const proc = spawn(driverBin, ["--port", String(PORT)], { stdio: ["ignore", log, log], detached: true });
  for (let i = 0; i < 100; i++) {
    try {
      const r = await fetch(`${BASE}/status`);
      if (r.ok) return proc;
    } catch {}
    await sleep(100);
  }
  proc.kill();
  throw new Error("tauri-driver did not start");
}

async function call(method, path, body) {
  const r = await fetch(`${BASE}${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await r.json();
  if (!r.ok || json.value?.error) throw new Error(`${method} ${path}: ${JSON.stringify(json.value ?? json)}`);
  return json.value;
}

/** Stops tauri-driver with everything it started (WebKitWebDriver, app windows). */
export async function stopDriver(proc) {
  if (!proc) return;
  for (const sig of ["SIGTERM", "SIGKILL"]) {
    try {
      process.kill(-proc.pid, sig);
    } catch {
      return; // already gone
    }
    await sleep(500);
  }
}

export class Session {
  static async start(application) {
    const v = await call("POST", "/session", {
      capabilities: { alwaysMatch: { browserName: "wry", "tauri:options": { application } } },
    });
    const s = new Session(v.sessionId);
    await call("POST", `/session/${s.id}/timeouts`, { implicit: 0, script: 10000 });
    return s;
  }
  constructor(id) {
    this.id = id;
  }
  async quit() {
    await call("DELETE", `/session/${this.id}`).catch(() => {});
  }
  async find(css) {
    const v = await call("POST", `/session/${this.id}/element`, { using: "css selector", value: css });
    return v[ELEMENT];
  }
  async findAll(css) {
    const v = await call("POST", `/session/${this.id}/elements`, { using: "css selector", value: css });
    return v.map((e) => e[ELEMENT]);
  }
  /** Waits until `css` exists (and, if given, its text satisfies `pred`). */
  async waitFor(css, pred = () => true, timeoutMs = 15000) {
    const end = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < end) {
      try {
        for (const el of await this.findAll(css)) {
          last = await this.text(el);
          if (pred(last)) return el;
        }
      } catch {}
      await sleep(100);
    }
    throw new Error(`timed out waiting for ${css} (last text: ${JSON.stringify(last)})`);
  }
  /** Waits until no Element Plus loading mask covers anything (clicks would land on it). */
  async waitIdle(timeoutMs = 15000) {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      const busy = await this.exec("return document.querySelectorAll('.el-loading-mask').length > 0;").catch(() => true);
      if (!busy) return;
      await sleep(100);
    }
    throw new Error("timed out waiting for the page to finish loading");
  }
  /**
   * Clicks a link found by `css`/`pred` until the page's address contains `hashPart` (a list
   * re-rendered by a late search answer can swallow one click, as it would a person's).
   */
  async openLink(css, pred, hashPart, tries = 3) {
    for (let i = 0; i < tries; i++) {
      await this.click(await this.waitFor(css, pred));
      for (let j = 0; j < 30; j++) {
        const hash = await this.exec("return location.hash;");
        if (hash.includes(hashPart)) return;
        await sleep(100);
      }
    }
    throw new Error(`clicking ${css} did not open ${hashPart}`);
  }
  async byTestId(id, pred) {
    return this.waitFor(`[data-testid="${id}"]`, pred);
  }
  async text(el) {
    const shown = await call("GET", `/session/${this.id}/element/${el}/text`);
    if (shown) return shown;
    // WebKitWebDriver answers "" for text inside some scroll containers (Element Plus's
    // virtualised table, a table with a max height) although it is drawn on screen; the
    // element's innerText still follows CSS (nothing for display:none or hidden text).
    return this.exec("return arguments[0].innerText;", [{ [ELEMENT]: el }]);
  }
  /** Clicks; retries while an animation or a toast briefly covers the element. */
  async click(el) {
    // A list that is still answering a search lies under a loading mask, which takes the
    // click silently (WebKit reports no interception): let it finish first.
    await this.waitIdle(5000).catch(() => {});
    for (let i = 0; ; i++) {
      try {
        return await call("POST", `/session/${this.id}/element/${el}/click`, {});
      } catch (e) {
        if (i >= 30 || !/intercepted|not interactable/.test(String(e))) throw e;
        await sleep(150);
      }
    }
  }
  async type(el, text) {
    return call("POST", `/session/${this.id}/element/${el}/value`, { text });
  }
  async clear(el) {
    return call("POST", `/session/${this.id}/element/${el}/clear`, {});
  }
  async exec(script, args = []) {
    return call("POST", `/session/${this.id}/execute/sync`, { script, args });
  }
  /** Runs `script` with a callback as its last argument; resolves to what it passes to it. */
  async execAsync(script, args = []) {
    return call("POST", `/session/${this.id}/execute/async`, { script, args });
  }
  /** Chooses the option containing `label` of the Element Plus select with test id `testId`. */
  async choose(testId, label) {
    await this.click(await this.byTestId(testId));
    const option = await this.waitFor(".el-select-dropdown__item:not(.is-disabled)", (t) => t.includes(label));
    // The dropdown slides open; clicking mid-animation can land on the option above.
    await sleep(300);
    await this.click(option);
  }
  async screenshot() {
    return Buffer.from(await call("GET", `/session/${this.id}/screenshot`), "base64");
  }
}

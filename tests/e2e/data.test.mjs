// Real-window journey (issue 6), in the sample registry: 设置 → 数据. Import a published-list
// spreadsheet with three bad rows into 第六批 — the preview shows every row, the bad ones red
// and left out; commit; undo the whole import with a reason. Then the backup the import made
// is listed and restored; an exchange package of the whole registry is written and inspected.
// Last, what the webview may not do: call a command it is not granted, or name a file the
// clerk did not choose.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, existsSync, statSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { startDriver, stopDriver, Session } from "./webdriver.mjs";

const app = resolve(process.env.FEIYI_APP ?? "target/debug/feiyi-desktop");
const artifacts = resolve(process.env.E2E_ARTIFACTS ?? "tests/e2e/artifacts");
mkdirSync(artifacts, { recursive: true });

const home = mkdtempSync(join(tmpdir(), "feiyi-e2e-data-"));
process.env.FEIYI_DATA_DIR = join(home, "registry");
process.env.XDG_DATA_HOME = join(home, "data");
process.env.XDG_CONFIG_HOME = join(home, "config");
process.env.XDG_CACHE_HOME = join(home, "cache");
process.env.WEBKIT_DISABLE_COMPOSITING_MODE = "1";
// The system file dialogs cannot be driven by WebDriver: the app answers from these.
const sheet = join(dirname(fileURLToPath(import.meta.url)), "fixtures", "示例名录表.xlsx");
const saveTo = join(home, "导出");
mkdirSync(saveTo);
// The spreadsheet for 导入名录; for 交换包 the newest .zip in the export folder.
process.env.FEIYI_PICK_FILE = [sheet, saveTo].join(":");
process.env.FEIYI_PICK_SAVE = saveTo;

let driver;
before(async () => {
  driver = await startDriver();
});
after(() => stopDriver(driver));

function screenshot(name) {
  const file = join(artifacts, name);
  execFileSync("import", ["-window", "root", file]);
  return Number(execFileSync("identify", ["-format", "%k", file]).toString().trim());
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Types into the Element Plus input inside the element marked `testid`, as v-model sees it. */
async function fill(s, testid, value) {
  await s.exec(
    `const el = document.querySelector('[data-testid="' + arguments[0] + '"]');
     const input = el.matches('input, textarea') ? el : el.querySelector('input, textarea');
     input.focus();
     input.value = arguments[1];
     input.dispatchEvent(new Event('input', { bubbles: true }));
     input.blur();`,
    [testid, value],
  );
  await sleep(150);
}

/** Calls a command straight through the IPC bridge, as injected script would; `ok` or the error. */
async function invoke(s, cmd, args) {
  return s.execAsync(
    `const done = arguments[arguments.length - 1];
     window.__TAURI_INTERNALS__.invoke(arguments[0], arguments[1])
       .then(() => done('ok'), (e) => done(typeof e === 'string' ? e : JSON.stringify(e)));`,
    [cmd, args],
  );
}

test("数据: import a list with bad rows, undo it, restore a backup, write and read an exchange package", async () => {
  const s = await Session.start(app);
  try {
    await s.click(await s.byTestId("nav-settings"));
    await s.click(await s.byTestId("open-sample"));
    await s.byTestId("sample-banner", (t) => t.includes("示例"));
    await s.click(await s.byTestId("nav-data"));
    await s.byTestId("data-tabs");

    // ---- 导入名录: choose the file and the batch, preview.
    await s.click(await s.waitFor(".el-tabs__item", (t) => t.includes("导入名录")));
    await s.click(await s.byTestId("import-pick"));
    await s.byTestId("import-path", (t) => t.includes("示例名录表.xlsx"));
    await s.choose("import-batch", "第六批");
    await s.click(await s.byTestId("import-next"));
    await s.byTestId("import-count-create", (t) => t.includes("将新增 4 项"));
    assert.match(await s.text(await s.byTestId("import-count-error")), /错误 3 行/);
    assert.match(await s.text(await s.byTestId("import-count-skip")), /跳过 2 行/);
    const table = await s.text(await s.byTestId("import-preview-table"));
    assert.match(table, /传统技艺（原表：传统手工技艺）/, "legacy category shown mapped");
    assert.match(table, /项目名称为空/);
    assert.match(table, /民间杂耍/);
    assert.match(table, /同名且同批次/);
    await s.waitIdle();
    assert.ok(screenshot("data-import-preview.png") > 50, "the preview is drawn");
    await s.exec("document.querySelector('[data-testid=\"import-preview-table\"]').scrollIntoView();");
    await sleep(300);
    screenshot("data-import-rows.png");

    // Commit: 4 items, one import id.
    await s.click(await s.byTestId("import-to-commit"));
    await s.click(await s.byTestId("import-commit"));
    const result = await s.byTestId("import-result");
    const importId = (await s.text(await s.byTestId("import-result-id"))).trim();
    assert.match(importId, /^[0-9a-f-]{36}$/);
    assert.match(await s.text(result), /示例·台庄花灯会/);
    screenshot("data-import-result.png");

    // Undo the whole import, with a reason.
    await s.click(await s.byTestId("import-undo"));
    await s.byTestId("reason-dialog");
    await fill(s, "reason-input", "表格有误，撤回后重新导入");
    await s.click(await s.byTestId("reason-confirm"));
    await s.byTestId("import-undone");

    // The history says so.
    await s.click(await s.waitFor(".el-tabs__item", (t) => t.includes("导入记录")));
    await s.byTestId("import-run-undone", (t) => t.includes("已撤销"));
    const runs = await s.exec("return document.querySelector('[data-testid=\"import-runs\"]').textContent;");
    assert.match(runs, /示例名录表\.xlsx/);

    // ---- 备份与恢复: the import and the undo each made a backup first.
    await s.click(await s.waitFor(".el-tabs__item", (t) => t.includes("备份与恢复")));
    const backups = await s.byTestId("backup-table", (t) => t.includes("导入前"));
    assert.ok((await s.text(backups)).split("导入前").length - 1 >= 2, "a backup before the import and before the undo");
    await s.byTestId("backup-last-good", (t) => t.includes("最近一次完好的备份"));
    // Restore the newest (taken before the undo: the 4 items are back).
    const restore = await s.waitFor('[data-testid^="backup-restore-2"]');
    await s.click(restore);
    await s.byTestId("backup-restore-dialog", (t) => t.includes("恢复前会先把当前状态另存为一个备份"));
    await s.click(await s.byTestId("backup-restore-confirm"));
    await s.byTestId("backup-restore-result");
    await s.byTestId("backup-table", (t) => t.includes("恢复前"));
    await s.waitIdle();
    assert.ok(screenshot("data-backups.png") > 50);
    // The backup taken before the undo holds the four imported items: they are back.
    await s.click(await s.byTestId("backup-open-register"));
    // The register is a virtualised table (only the rows in view exist): search for the item.
    await s.type(await s.byTestId("register-search"), "台庄花灯会");
    await s.byTestId("item-row-name", (t) => t.includes("示例·台庄花灯会"));
    await s.click(await s.byTestId("nav-data"));

    // ---- 交换包: the whole registry into one ZIP, then read back.
    await s.click(await s.waitFor(".el-tabs__item", (t) => t.includes("交换包")));
    await s.click(await s.byTestId("exchange-export-all"));
    await s.click(await s.byTestId("exchange-export"));
    const exported = await s.byTestId("exchange-export-result");
    assert.match(await s.text(exported), /项目/);
    const zip = join(saveTo, (await s.exec("return document.querySelector('[data-testid=\"exchange-export-path\"]').textContent.trim();")).split("/").pop());
    assert.ok(existsSync(zip) && statSync(zip).size > 1000, `package written: ${zip}`);
    // Read it back here: everything is already in this registry, nothing to merge.
    await s.click(await s.byTestId("exchange-pick"));
    const preview = await s.byTestId("exchange-preview", (t) => t.includes("新增 0 条"));
    assert.match(await s.text(preview), /更新 0 条/);
    assert.match(await s.text(preview), /两边都改过 0 条/);
    await s.waitIdle();
    assert.ok(screenshot("data-exchange.png") > 50);

    // ---- What the webview may not do.
    const denied = await invoke(s, "plugin:dialog|open", {});
    assert.match(denied, /not allowed/i, `dialog plugin refused: ${denied}`);
    const outside = await invoke(s, "import_list_preview", { request: { path: "/etc/passwd" } });
    assert.match(outside, /forbidden_path/, `a path nobody chose is refused: ${outside}`);
    const traversal = await invoke(s, "exchange_inspect", { path: `${saveTo}/../../../etc/passwd` });
    assert.match(traversal, /forbidden_path/, `no way out with ..: ${traversal}`);
  } finally {
    await s.quit();
  }
});

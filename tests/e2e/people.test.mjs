// Real-window journey (issue 3): add an inheritor to an item, give them an apprentice, see
// the lineage tree, record an evaluation, edit a field and revert it.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startDriver, stopDriver, Session } from "./webdriver.mjs";

const app = resolve(process.env.FEIYI_APP ?? "target/debug/feiyi-desktop");
const artifacts = resolve(process.env.E2E_ARTIFACTS ?? "tests/e2e/artifacts");
mkdirSync(artifacts, { recursive: true });

const home = mkdtempSync(join(tmpdir(), "feiyi-e2e-people-"));
process.env.FEIYI_DATA_DIR = join(home, "registry");
process.env.XDG_DATA_HOME = join(home, "data");
process.env.XDG_CONFIG_HOME = join(home, "config");
process.env.XDG_CACHE_HOME = join(home, "cache");
process.env.WEBKIT_DISABLE_COMPOSITING_MODE = "1";

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

/** Creates an item through the form and returns to its page. */
async function addItem(s, name) {
  await s.click(await s.byTestId("nav-register"));
  await s.click(await s.byTestId("item-new"));
  await s.type(await s.byTestId("item-form-name"), name);
  await s.choose("item-form-category", "传统美术");
  await s.choose("item-form-batch", "第六批");
  await s.click(await s.byTestId("item-form-save"));
  await s.byTestId("item-name", (t) => t.includes(name));
}

/** From an item page: 添加传承人 with the recognise option, saved. */
async function addInheritorToItem(s, name) {
  await s.click(await s.byTestId("item-inheritors-tab"));
  await s.click(await s.byTestId("item-add-inheritor"));
  await s.type(await s.byTestId("inheritor-form-name"), name);
  await s.click(await s.byTestId("inheritor-form-save"));
  await s.byTestId("inheritor-edit");
}

test("inheritor, apprentice, lineage tree, evaluation, edit and revert", async () => {
  const s = await Session.start(app);
  try {
    await addItem(s, "运河泥塑");
    await addInheritorToItem(s, "陈泥人");

    // Back to the item; its 传承人 tab lists the recognised person.
    await s.click(await s.byTestId("nav-register"));
    await s.openLink('[data-testid="item-row-name"]', (t) => t.includes("运河泥塑"), "#/items/0");
    await s.click(await s.byTestId("item-inheritors-tab"));
    await s.byTestId("item-inheritor-name", (t) => t.includes("陈泥人"));
    await addInheritorToItem(s, "陈小泥");

    // Lineage: 陈泥人 → 陈小泥.
    await s.click(await s.byTestId("nav-register"));
    await s.openLink('[data-testid="item-row-name"]', (t) => t.includes("运河泥塑"), "#/items/0");
    await s.click(await s.byTestId("item-lineage-tab"));
    await s.click(await s.byTestId("lineage-add"));
    await s.type(await s.waitFor('[data-testid="lineage-master"] input'), "陈泥人");
    await s.click(await s.waitFor(".el-select-dropdown__item:not(.is-disabled)", (t) => t.includes("陈泥人")));
    await s.type(await s.waitFor('[data-testid="lineage-apprentice"] input'), "陈小泥");
    await s.click(await s.waitFor(".el-select-dropdown__item:not(.is-disabled)", (t) => t.includes("陈小泥")));
    await s.click(await s.byTestId("lineage-save"));
    await s.byTestId("lineage-table", (t) => t.includes("陈小泥") && t.includes("陈泥人"));
    await s.byTestId("lineage-chart");
    await sleep(1500); // the chart is loaded on demand and animates in
    assert.ok(screenshot("lineage.png") > 50, "the lineage page is drawn");

    // Evaluation for 陈小泥.
    await s.click(await s.byTestId("nav-inheritors"));
    await s.type(await s.byTestId("inheritor-search"), "cxn");
    await s.byTestId("inheritor-total", (t) => t.includes("已筛选"));
    await s.openLink('[data-testid="inheritor-row-name"]', (t) => t.includes("陈小泥"), "#/inheritors/0");
    await s.click(await s.waitFor(".el-tabs__item", (t) => t.includes("年度评估")));
    await s.click(await s.byTestId("evaluation-new"));
    await s.choose("evaluation-grade", "优秀");
    await s.click(await s.byTestId("evaluation-save"));
    await s.waitFor("body", (t) => t.includes("优秀"));

    // Edit a field, then revert it from the history.
    await s.click(await s.byTestId("inheritor-edit"));
    const occupation = await s.waitFor('[data-testid="inheritor-form-occupation"] input, input[data-testid="inheritor-form-occupation"]');
    await s.type(occupation, "泥塑艺人");
    await s.click(await s.byTestId("inheritor-form-save"));
    await s.waitFor("body", (t) => t.includes("泥塑艺人"));
    await s.click(await s.waitFor(".el-tabs__item", (t) => t.includes("修改记录")));
    await s.click(await s.waitFor('[data-testid="history-revert"]'));
    await s.click(await s.waitFor(".el-message-box__btns .el-button--primary"));
    await s.waitFor(".el-tabs__item", (t) => t.includes("基本信息"));
    await s.waitFor('[data-testid="history-entry"]', (t) => t.includes("撤销"));
    screenshot("inheritor-history.png");
  } catch (e) {
    screenshot("people-failure.png");
    throw e;
  } finally {
    await s.quit();
  }
});

// Real-window journey (issue 7), in the sample registry: 统计 shows every table with its chart,
// exports the 年度工作统计表 and one table, and writes the 年度工作报告 (DOCX + PDF); 提醒 shows the
// reminders with a badge on the navigation, one is dismissed with a reason (the badge goes down),
// one is snoozed, the dismissed one is restored, and 去处理 opens the record that settles it.
// The reminders chosen are gaps in the records (an item without a protection unit, a
// recognition without 文号), which the sample has on any day, so the journey does not depend
// on the date it runs.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, existsSync, readFileSync, readdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startDriver, stopDriver, Session } from "./webdriver.mjs";

const app = resolve(process.env.FEIYI_APP ?? "target/debug/feiyi-desktop");
const artifacts = resolve(process.env.E2E_ARTIFACTS ?? "tests/e2e/artifacts");
mkdirSync(artifacts, { recursive: true });

const home = mkdtempSync(join(tmpdir(), "feiyi-e2e-insight-"));
process.env.FEIYI_DATA_DIR = join(home, "registry");
process.env.XDG_DATA_HOME = join(home, "data");
process.env.XDG_CONFIG_HOME = join(home, "config");
process.env.XDG_CACHE_HOME = join(home, "cache");
process.env.WEBKIT_DISABLE_COMPOSITING_MODE = "1";
// The system file dialogs cannot be driven by WebDriver: the app answers from these.
const saveTo = join(home, "统计导出");
const reportTo = join(home, "年度报告");
mkdirSync(saveTo);
mkdirSync(reportTo);
process.env.FEIYI_PICK_SAVE = saveTo;
process.env.FEIYI_PICK_FOLDER = reportTo;

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

/** Waits until `pred()` holds (a file appears…), or fails after `ms`. */
async function until(pred, what, ms = 20000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (pred()) return;
    await sleep(200);
  }
  assert.fail(`timed out waiting for ${what}`);
}

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

/** The text of the element marked `testid` once `pred` holds for it (textContent: the element
 * may be below the fold, where WebDriver's visible text is empty). */
async function textOf(s, testid, pred = () => true, ms = 15000) {
  const end = Date.now() + ms;
  let last = null;
  while (Date.now() < end) {
    last = await s.exec(
      `const el = document.querySelector('[data-testid="' + arguments[0] + '"]');
       return el ? el.textContent : null;`,
      [testid],
    );
    if (last !== null && pred(last)) return last;
    await sleep(150);
  }
  assert.fail(`timed out waiting for ${testid} (last text: ${JSON.stringify(last)})`);
}

/** The number on the 提醒 badge (0 when hidden). */
async function badge(s) {
  return s.exec(
    `const b = document.querySelector('[data-testid="nav-reminders-badge"]');
     if (!b || !b.offsetParent) return 0;
     return Number(b.textContent.trim()) || 0;`,
  );
}

/** Keys of the reminders shown on a tab's list. */
async function keys(s, tab) {
  return s.exec(
    `return [...document.querySelectorAll('[data-testid="reminders-list-' + arguments[0] + '"] [data-testid^="reminder-"].reminder')]
       .map((e) => e.dataset.testid.slice('reminder-'.length));`,
    [tab],
  );
}

/** Clicks the button marked `button` inside the reminder row of `key`. */
async function rowButton(s, key, button) {
  await s.click(await s.find(`[data-testid="reminder-${key}"] [data-testid="${button}"]`));
}

/**
 * Shows a tab of the 提醒 page: clicks its label until it is the active one. A click on the
 * label while the 推迟 popover is still fading out is taken by the popover, as a person's
 * would be; the hidden tab's rows are then in the page but cannot be clicked.
 */
async function showTab(s, tab) {
  for (let i = 0; i < 5; i++) {
    await s.click(await s.byTestId(`reminders-tab-${tab}`));
    for (let j = 0; j < 10; j++) {
      const shown = await s.exec(
        `const l = document.querySelector('[data-testid="reminders-list-' + arguments[0] + '"]');
         return !!l && l.offsetParent !== null;`,
        [tab],
      );
      if (shown) return;
      await sleep(100);
    }
  }
  assert.fail(`the 提醒 tab ${tab} does not show`);
}

test("统计 and 提醒: tables and charts, the statistics workbook, the yearly report, reminders dismissed, snoozed, restored and opened", async () => {
  const s = await Session.start(app);
  try {
    await s.click(await s.byTestId("nav-settings"));
    await s.click(await s.byTestId("open-sample"));
    await s.byTestId("sample-banner", (t) => t.includes("示例"));

    // ---- 统计: every table, the charts drawn as SVG with Chinese labels.
    await s.click(await s.byTestId("nav-stats"));
    await s.byTestId("stats-cards");
    const byCategory = await textOf(s, "stats-table-items_by_category", (t) => t.includes("合计"));
    for (const c of ["Ⅰ 民间文学", "Ⅷ 传统技艺", "Ⅹ 民俗"]) assert.ok(byCategory.includes(c), `category ${c} listed`);
    const total = await s.exec(
      `const rows = [...document.querySelectorAll('[data-testid="stats-table-items_by_category"] tbody tr')];
       const last = rows[rows.length - 1].querySelectorAll('td');
       return last[last.length - 1].textContent.trim();`,
    );
    assert.equal(total, "12", "the sample's 12 items are counted");
    for (const key of [
      "items_by_level", "items_by_batch", "items_by_township", "inheritors_by_level", "inheritors_by_sex",
      "inheritors_by_age", "inheritors_by_status", "at_risk", "funds_by_year", "funds_by_source",
      "funds_by_item", "activities_by_month", "activities_by_kind",
    ]) {
      await s.byTestId(`stats-card-${key}`);
    }
    await textOf(s, "stats-schematic-caption", (t) => t.includes("不表示实际地理位置"));
    const chartText = await s.exec(
      `return [...document.querySelectorAll('[data-testid="stats-chart-items_by_category"] svg text')].map((t) => t.textContent).join(' ');`,
    );
    assert.match(chartText, /传统技艺|Ⅷ/, "the chart is drawn with its labels");
    await s.waitIdle();
    await sleep(500);
    assert.ok(screenshot("stats.png") > 50, "the statistics page is drawn");
    await s.exec(`document.querySelector('[data-testid="stats-card-activities_by_month"]').scrollIntoView();`);
    await sleep(400);
    screenshot("stats-activities.png");

    // The at-risk list says why each item is listed.
    const risk = await textOf(s, "stats-table-at_risk");
    assert.match(risk, /无在册代表性传承人|年满70岁|未记录徒弟|濒危/);

    // ---- the 年度工作统计表 and one table, into the folder the save dialog answers with.
    await s.click(await s.byTestId("stats-export-workbook"));
    await until(() => readdirSync(saveTo).some((f) => f.endsWith("年度非遗工作统计表.xlsx")), "the workbook");
    await s.click(await s.byTestId("stats-export-items_by_category"));
    await until(() => readdirSync(saveTo).some((f) => f.includes("按类别统计") && f.endsWith(".xlsx")), "the table");
    for (const f of readdirSync(saveTo)) {
      assert.equal(readFileSync(join(saveTo, f)).subarray(0, 2).toString(), "PK", `${f} is an XLSX (zip)`);
    }

    // ---- the 年度工作报告 of this year.
    await s.click(await s.byTestId("stats-report"));
    await s.byTestId("report-dialog");
    await s.click(await s.byTestId("report-confirm"));
    await s.byTestId("report-result");
    const docx = (await s.text(await s.byTestId("report-docx"))).trim();
    const pdf = (await s.text(await s.byTestId("report-pdf"))).trim();
    assert.ok(docx.startsWith(reportTo) && docx.endsWith(".docx"), docx);
    assert.ok(existsSync(docx) && existsSync(pdf), "both files written");
    assert.equal(readFileSync(pdf).subarray(0, 5).toString(), "%PDF-");
    screenshot("stats-report.png");
    await s.click(await s.byTestId("report-close"));

    // ---- 提醒: the badge counts what is to be done.
    await s.click(await s.byTestId("nav-reminders"));
    await s.byTestId("reminders-tabs");
    await s.waitIdle();
    const active = await keys(s, "active");
    assert.ok(active.length > 0, "the sample has reminders");
    assert.equal(await badge(s), active.length, "the badge counts the active reminders");
    const noUnit = active.find((k) => k.startsWith("item_without_unit:"));
    const noDoc = active.find((k) => k.startsWith("recognition_without_doc:")) ??
      active.find((k) => k !== noUnit);
    assert.ok(noUnit, "an item without a protection unit is reminded");
    await s.waitIdle();
    assert.ok(screenshot("reminders.png") > 50, "the reminders page is drawn");

    // Dismiss one, with a reason: it leaves the list and the badge.
    await rowButton(s, noUnit, "reminder-dismiss");
    await s.byTestId("reason-dialog");
    await fill(s, "reason-input", "该项目已撤销申报，保护单位另行确定");
    await s.click(await s.byTestId("reason-confirm"));
    await s.byTestId("reminders-tab-dismissed", (t) => t.includes("（1）"));
    assert.ok(!(await keys(s, "active")).includes(noUnit));
    assert.equal(await badge(s), active.length - 1);

    // Snooze another to the default day (a week on).
    await rowButton(s, noDoc, "reminder-snooze");
    await s.byTestId("reminder-snooze-panel");
    await s.click(await s.byTestId("reminder-snooze-confirm"));
    await s.byTestId("reminders-tab-snoozed", (t) => t.includes("（1）"));
    assert.equal(await badge(s), active.length - 2);

    // Restore the dismissed one.
    await showTab(s, "dismissed");
    await s.byTestId("reminders-list-dismissed", (t) => t.includes("该项目已撤销申报"));
    await rowButton(s, noUnit, "reminder-restore");
    await s.byTestId("reminders-tab-dismissed", (t) => t.includes("（0）"));
    assert.equal(await badge(s), active.length - 1);

    // 去处理 opens the item the reminder is about.
    await showTab(s, "active");
    await rowButton(s, noUnit, "reminder-open");
    const itemId = noUnit.split(":")[1];
    const end = Date.now() + 15000;
    while (!(await s.exec("return location.href;")).includes(`/items/${itemId}`)) {
      assert.ok(Date.now() < end, "去处理 opens the item");
      await sleep(200);
    }
    await s.waitIdle();
    screenshot("reminder-opened.png");
  } catch (e) {
    screenshot("insight-failure.png");
    throw e;
  } finally {
    await s.quit();
  }
});

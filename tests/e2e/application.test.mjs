// Real-window journey (issue 5): in the sample registry, 申报 a sample item — the pre-flight
// check lists what is missing; 去修改 opens the item form at the empty section, the clerk fills
// it in and comes back to one error fewer; the export (its errors overridden with a reason)
// writes the package folder and a ZIP into the folder chosen, and the result panel says so.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, readdirSync, statSync, existsSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { startDriver, stopDriver, Session } from "./webdriver.mjs";

const app = resolve(process.env.FEIYI_APP ?? "target/debug/feiyi-desktop");
const artifacts = resolve(process.env.E2E_ARTIFACTS ?? "tests/e2e/artifacts");
mkdirSync(artifacts, { recursive: true });

const home = mkdtempSync(join(tmpdir(), "feiyi-e2e-application-"));
process.env.FEIYI_DATA_DIR = join(home, "registry");
process.env.XDG_DATA_HOME = join(home, "data");
process.env.XDG_CONFIG_HOME = join(home, "config");
process.env.XDG_CACHE_HOME = join(home, "cache");
process.env.WEBKIT_DISABLE_COMPOSITING_MODE = "1";
// The system folder dialog cannot be driven by WebDriver: the app answers from this.
const out = join(home, "导出");
mkdirSync(out);
process.env.FEIYI_PICK_FOLDER = out;

const ITEM = "Ⅷ-1 柳条编织技艺";

/**
 * Replaces the text of the field marked `testid` as a person would end up with it: the input
 * gets the whole new value, then loses the focus (a number is taken then). WebDriver's clear
 * and modifier keys do not reach Vue's v-model in WebKitWebDriver.
 */
async function replaceText(s, testid, value) {
  await s.exec(
    `const el = document.querySelector('[data-testid="' + arguments[0] + '"]');
     const input = el.matches('input, textarea') ? el : el.querySelector('input, textarea');
     input.focus();
     input.value = arguments[1];
     input.dispatchEvent(new Event('input', { bubbles: true }));
     input.dispatchEvent(new Event('change', { bubbles: true }));
     input.blur();`,
    [testid, value],
  );
  await new Promise((r) => setTimeout(r, 150));
}

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

/** Every file under `dir`, as paths relative to it. */
function walk(dir, prefix = "") {
  return readdirSync(dir).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(join(dir, name)).isDirectory() ? walk(join(dir, name), rel) : [rel];
  });
}

const errorsIn = (text) => Number((/(\d+) 个错误/.exec(text) ?? [])[1]);

test("申报: check a sample item, fix one section, export the package with a reason", async () => {
  const s = await Session.start(app);
  try {
    await s.click(await s.byTestId("nav-settings"));
    await s.click(await s.byTestId("open-sample"));
    await s.byTestId("sample-banner", (t) => t.includes("示例"));

    // Choose the item: the check runs by itself.
    await s.click(await s.byTestId("nav-applications"));
    await s.byTestId("application-empty");
    await s.click(await s.byTestId("application-item"));
    const option = await s.waitFor(".el-select-dropdown__item", (t) => t.trim() === ITEM);
    await new Promise((r) => setTimeout(r, 300));
    await s.click(option);
    const summary = await s.byTestId("application-summary", (t) => /\d+ 个错误/.test(t));
    const before = errorsIn(await s.text(summary));
    assert.ok(before > 0, "the sample item has errors");
    await s.byTestId("application-counts", (t) => t.includes("代表性传承人 2 位"));
    const findings = await s.findAll('[data-testid="finding"]');
    assert.ok(findings.length >= before);
    const first = await s.text(findings[0]);
    assert.match(first, /错误/);
    assert.match(first, /申报地区或单位/);
    await s.waitIdle();
    assert.ok(screenshot("application-report.png") > 50, "the report is drawn");

    // 去修改 on the first finding: the item form, at that section, with the cursor in it.
    await s.click(await s.waitFor('[data-testid="finding"][data-code="section_empty"] [data-testid="finding-fix"]'));
    for (let i = 0; i < 50 && !(await s.exec("return location.hash;")).includes("field=texts.applicant"); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.match(decodeURIComponent(await s.exec("return location.hash;")), /\/items\/.+\/edit\?field=texts\.applicant/);
    const area = await s.byTestId("item-form-text-applicant");
    for (let i = 0; i < 30 && (await s.exec("return document.activeElement?.dataset?.testid ?? '';")) !== "item-form-text-applicant"; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(await s.exec("return document.activeElement?.dataset?.testid ?? '';"), "item-form-text-applicant");
    await s.type(area, "台儿庄区文化馆（示例）");
    screenshot("application-fix-field.png");
    await s.click(await s.byTestId("item-form-save"));
    await s.byTestId("item-name", (t) => t.includes("柳条编织技艺"));

    // Back through the item page's 申报 button: one error fewer.
    await s.click(await s.byTestId("item-apply"));
    await s.byTestId("application-summary", (t) => errorsIn(t) === before - 1);

    // Export: the folder from FEIYI_PICK_FOLDER, a ZIP too; the errors need a reason.
    await s.click(await s.byTestId("application-pick-folder"));
    await s.waitFor('[data-testid="application-out-dir"]', () => true);
    const chosen = await s.exec(
      "const el = document.querySelector('[data-testid=\"application-out-dir\"]'); return (el.tagName === 'INPUT' ? el : el.querySelector('input')).value;",
    );
    assert.equal(chosen, out);
    await s.click(await s.byTestId("application-zip"));
    await s.click(await s.byTestId("application-export"));
    await s.byTestId("reason-dialog", (t) => t.includes("越过错误并导出"));
    await s.click(await s.byTestId("reason-confirm"));
    await s.byTestId("reason-dialog", (t) => t.includes("请填写越过错误的原因"));
    screenshot("application-override.png");
    await s.type(await s.waitFor('[data-testid="reason-input"] textarea, textarea[data-testid="reason-input"]'), "先交初稿供市文旅局预审（示例）");
    await s.click(await s.byTestId("reason-confirm"));

    // The export runs in the background (with a progress mask); it ends in the result or an error.
    let outcome = "";
    for (let i = 0; i < 6000 && !outcome; i++) {
      outcome = await s.exec(
        "return document.querySelector('[data-testid=\"application-result\"]') ? 'ok' : (document.querySelector('[data-testid=\"application-export-error\"]')?.innerText ?? '');",
      );
      if (!outcome) await new Promise((r) => setTimeout(r, 100));
    }
    assert.equal(outcome, "ok", `the export ended in the result panel, not: ${outcome}`);
    const folder = await s.text(await s.byTestId("application-result-folder"));
    await s.byTestId("application-result-overridden", (t) => t.includes(`越过 ${before - 1} 个错误`));
    await s.byTestId("application-result-masked", (t) => t.includes("身份证号"));
    const rows = await s.findAll('[data-testid="application-result-file"]');
    assert.ok(rows.length >= 4, "the files are listed");
    await s.exec("document.querySelector('[data-testid=\"application-result\"]').scrollIntoView({ block: 'start' });");
    await new Promise((r) => setTimeout(r, 300));
    assert.ok(screenshot("application-result.png") > 50, "the result is drawn");

    // On disk: the package folder inside the chosen one, with its manifest and checksums.
    assert.ok(folder.startsWith(out), `${folder} is inside ${out}`);
    assert.ok(existsSync(folder), `${folder} exists`);
    const files = walk(folder);
    assert.ok(files.includes("manifest.json"), `manifest.json in ${files}`);
    assert.ok(files.includes("SHA256SUMS"), `SHA256SUMS in ${files}`);
    assert.ok(files.some((f) => f.endsWith(".docx") && f.includes("申报书")), `a 申报书 .docx in ${files}`);
    assert.ok(files.some((f) => f.endsWith(".pdf") && f.includes("申报书")), `a 申报书 .pdf in ${files}`);
    const zip = await s.text(await s.byTestId("application-result-zip"));
    assert.ok(existsSync(zip) && statSync(zip).size > 0, `${zip} written`);

    // 设置 → 申报配置: copy the shipped profile, a bad limit is refused by the core in place,
    // a good one is saved as the copy's second version.
    await s.click(await s.byTestId("nav-settings"));
    await s.byTestId("profile-row", (t) => t.includes("内置"));
    await s.click(await s.byTestId("profile-copy-zaozhuang-municipal"));
    await replaceText(s, "profile-copy-name", "zaozhuang-e2e");
    await s.click(await s.byTestId("profile-copy-confirm"));
    await s.byTestId("profile-editor", (t) => t.includes("编辑申报配置"));
    await s.byTestId("profile-section-max-0");
    await replaceText(s, "profile-section-max-0", "0");
    await s.click(await s.byTestId("profile-editor-save"));
    await s.byTestId("profile-section-max-error-0", (t) => t.includes("正整数"));
    await replaceText(s, "profile-section-max-0", "150");
    screenshot("application-profile-editor.png");
    await s.click(await s.byTestId("profile-editor-save"));
    for (let i = 0; i < 100; i++) {
      const saved = await s.exec(
        "return [...document.querySelectorAll('[data-testid=\"profile-row\"]')].some((r) => r.textContent.includes('zaozhuang-e2e') && r.textContent.includes('第 2 版'));",
      );
      if (saved) break;
      assert.ok(i < 99, "the copy is listed as its second version");
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (e) {
    screenshot("application-failure.png");
    throw e;
  } finally {
    await s.quit();
  }
});

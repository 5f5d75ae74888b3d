// Real-window journey (issue 4): import photos (and two bad files) into an item, see the
// thumbnails served by the media:// protocol, open one in the viewer, zoom, edit its
// caption, and find it again in the 资料库 by that caption.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { tmpdir } from "node:os";
import { join, resolve, delimiter } from "node:path";
import { startDriver, stopDriver, Session } from "./webdriver.mjs";

const app = resolve(process.env.FEIYI_APP ?? "target/debug/feiyi-desktop");
const artifacts = resolve(process.env.E2E_ARTIFACTS ?? "tests/e2e/artifacts");
mkdirSync(artifacts, { recursive: true });

const home = mkdtempSync(join(tmpdir(), "feiyi-e2e-media-"));
process.env.FEIYI_DATA_DIR = join(home, "registry");
process.env.XDG_DATA_HOME = join(home, "data");
process.env.XDG_CONFIG_HOME = join(home, "config");
process.env.XDG_CACHE_HOME = join(home, "cache");
process.env.WEBKIT_DISABLE_COMPOSITING_MODE = "1";

// A "USB stick": three photos made with ImageMagick, a JPEG cut short and an empty file.
const usb = join(home, "usb");
mkdirSync(usb);
const photos = ["演出一.jpg", "演出二.jpg", "道具.jpg"].map((name, i) => {
  const file = join(usb, name);
  execFileSync("convert", ["-size", "1600x1200", `plasma:${["red-yellow", "blue-green", "orange-purple"][i]}`, "-quality", "85", file]);
  return file;
});
const broken = join(usb, "损坏.jpg");
writeFileSync(broken, readFileSync(photos[0]).subarray(0, 5000));
const empty = join(usb, "空文件.jpg");
writeFileSync(empty, "");
// The system file dialog cannot be driven by WebDriver: the app answers from this list.
process.env.FEIYI_PICK_FILES = [...photos, broken, empty].join(delimiter);

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

/** Whether every image matching `css` has loaded real pixels (served by media://). */
async function imagesLoaded(s, css, count) {
  for (let i = 0; i < 100; i++) {
    const ok = await s.exec(
      `const imgs = [...document.querySelectorAll(arguments[0])];
       return imgs.length >= arguments[1] && imgs.every((i) => i.complete && i.naturalWidth > 0);`,
      [css, count],
    );
    if (ok) return true;
    await new Promise((r) => setTimeout(r, 150));
  }
  return false;
}

test("import photos into an item, see thumbnails, open one, zoom, caption it, find it", async () => {
  const s = await Session.start(app);
  try {
    await s.click(await s.byTestId("nav-register"));
    await s.click(await s.byTestId("item-new"));
    await s.type(await s.byTestId("item-form-name"), "运河花鼓");
    await s.choose("item-form-category", "传统舞蹈");
    await s.click(await s.byTestId("item-form-save"));
    await s.byTestId("item-name", (t) => t.includes("运河花鼓"));

    await s.click(await s.byTestId("item-media-tab"));
    await s.click(await s.byTestId("media-panel-import"));
    const summary = await s.byTestId("media-import-summary", (t) => t.includes("导入 3"));
    const text = await s.text(summary);
    assert.match(text, /失败 2/);
    await s.waitFor('[data-testid="media-import-dialog"]', (t) => t.includes("损坏.jpg") && t.includes("空文件.jpg"));
    screenshot("media-import-summary.png");
    await s.click(await s.byTestId("media-import-close"));

    assert.ok(await imagesLoaded(s, '[data-testid="media-panel"] [data-testid="media-card-thumb"]', 3), "three thumbnails drawn");
    screenshot("media-item-panel.png");

    await s.click(await s.waitFor('[data-testid="media-panel"] [data-testid="media-card"]', (t) => t.includes("演出一")));
    await s.byTestId("media-viewer");
    assert.ok(await imagesLoaded(s, '[data-testid="media-viewer-image"]', 1), "the photo opens in the viewer");
    await s.byTestId("media-tech", (t) => t.includes("1600") && t.includes("1200"));
    await s.click(await s.byTestId("media-zoom-in"));
    await s.type(await s.waitFor('[data-testid="media-form-caption"] textarea, textarea[data-testid="media-form-caption"]'), "2024年春节运河花鼓展演");
    await s.click(await s.byTestId("media-form-save"));
    await s.waitFor(".el-message--success");
    screenshot("media-viewer.png");
    await s.click(await s.byTestId("media-viewer-close"));

    await s.click(await s.byTestId("nav-media"));
    await s.type(await s.byTestId("media-search"), "春节");
    await s.waitFor('[data-testid="media-card"]', (t) => t.includes("演出一"));
    const cards = await s.findAll('[data-testid="media-card"]');
    assert.equal(cards.length, 1, "found again by its caption");
    await s.clear(await s.byTestId("media-search"));
    assert.ok(await imagesLoaded(s, '[data-testid="media-card-thumb"]', 3));
    assert.ok(screenshot("media-library.png") > 50, "the window is drawn");
  } catch (e) {
    screenshot("media-failure.png");
    throw e;
  } finally {
    await s.quit();
  }
});

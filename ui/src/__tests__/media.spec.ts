// 资料库: the grid, its filters and search, imports with progress, the viewer, batch editing,
// a record's media panel, the inheritor portrait and the integrity check in 设置.
import { describe, expect, it } from "vitest";
import type { Channel } from "@tauri-apps/api/core";
import { emit } from "@tauri-apps/api/event";
import { mockWindows } from "@tauri-apps/api/mocks";
import type { MediaBatchEdit } from "../bindings/MediaBatchEdit";
import type { MediaDescription } from "../bindings/MediaDescription";
import type { MediaDetail } from "../bindings/MediaDetail";
import type { MediaImportEvent } from "../bindings/MediaImportEvent";
import type { MediaImportReport } from "../bindings/MediaImportReport";
import type { MediaLink } from "../bindings/MediaLink";
import type { MediaQuery } from "../bindings/MediaQuery";
import type { MediaRow } from "../bindings/MediaRow";
import { closeImport, importInUse, importState, resetImport } from "../components/media/importer";
import { emptyTexts } from "../format";
import { chooseOption, inheritorDetail, installIpc, mountApp, settle, settleForms, sleep, waitFor } from "./helpers";

const SHA1 = "a".repeat(60) + "0001";
const SHA2 = "b".repeat(60) + "0002";
const SHA3 = "c".repeat(60) + "0003";

function row(partial: Partial<MediaRow> = {}): MediaRow {
  return {
    id: "m1", sha256: SHA1, ext: "jpg", kind: "照片", originalName: "演出一.jpg", title: null, caption: "古城展演",
    sizeBytes: 3_200_000, width: 4000, height: 3000, durationMs: null, capturedAt: "2024-02-12 10:23:45", hasThumb: true,
    confidential: false, importedAt: "2024-03-01T02:00:00Z", linkCount: 1, deletedAt: null,
    ...partial,
  };
}
const ROWS = [
  row(),
  row({ id: "m2", sha256: SHA2, ext: "mp4", kind: "视频", originalName: "花鼓表演.mp4", caption: null, durationMs: 185_000, hasThumb: false, confidential: true }),
  row({ id: "m3", sha256: SHA3, ext: "wav", kind: "音频", originalName: "号子.wav", durationMs: 61_000, hasThumb: false }),
];

function description(partial: Partial<MediaDescription> = {}): MediaDescription {
  return {
    id: "m1", title: null, caption: "古城展演", captionTime: null, captionPlace: null, captionPeople: null, captionEvent: null,
    creator: null, creatorRole: null, provider: null, holder: null, captureDate: null, capturePlace: null, rights: null,
    consent: null, confidential: false, cataloguer: null, cataloguedAt: null,
    ...partial,
  };
}
function link(partial: Partial<MediaLink> = {}): MediaLink {
  return { id: "l1", mediaId: "m1", entity: "item", entityId: "i1", entityName: "鲁南花鼓", role: "照片", ord: 1, ...partial };
}
function detail(partial: Partial<MediaDetail> = {}): MediaDetail {
  return {
    id: "m1", sha256: SHA1, ext: "jpg", kind: "照片", originalName: "演出一.jpg", sizeBytes: 3_355_443, mime: "image/jpeg",
    width: 4000, height: 3000, importedAt: "2024-03-01T02:00:00Z",
    technical: {
      width: 4000, height: 3000, durationMs: null, frameRate: null, codec: null, bitRate: null, sampleRate: null, channels: null,
      pageCount: null, capturedAt: "2024-02-12 10:23:45", camera: "Canon EOS 80D", gpsLat: 34.561234, gpsLon: 117.731234,
      gcj02Lat: 34.559801, gcj02Lon: 117.736512, unread: ["照片中没有作者信息"],
    },
    hasThumb: true, hasPreview: false, description: description(), links: [link()],
    createdAt: "2024-03-01T02:00:00Z", updatedAt: "2024-03-01T02:00:00Z", deletedAt: null, deletedReason: null,
    ...partial,
  };
}
const page = (rows: MediaRow[]) => ({ rows, total: rows.length, page: 1, pageSize: 50 });
const lastQuery = (calls: { cmd: string; args: Record<string, unknown> }[]) =>
  calls.filter((c) => c.cmd === "media_list").pop()!.args.query as MediaQuery;
const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const click = async (el: Element | null) => {
  if (!el) throw new Error("nothing to click");
  (el as HTMLElement).click();
  await settle();
};
const textarea = (testid: string) =>
  document.querySelector<HTMLTextAreaElement>(`textarea[data-testid="${testid}"], [data-testid="${testid}"] textarea`)!;
async function type(el: HTMLInputElement | HTMLTextAreaElement, value: string) {
  el.value = value;
  el.dispatchEvent(new Event("input"));
  await settle();
}

describe("资料库 grid", () => {
  it("shows thumbnails for photos, kind icons and badges for the others, and the empty state", async () => {
    let rows = ROWS;
    const calls = installIpc((cmd) => (cmd === "media_list" ? page(rows) : undefined));
    const { wrapper, router } = await mountApp("/media");
    expect(wrapper.find('[data-testid="nav-media"]').classes()).toContain("is-active");
    const cards = wrapper.findAll('[data-testid="media-card"]');
    expect(cards).toHaveLength(3);
    const img = cards[0].find('[data-testid="media-card-thumb"]');
    expect(img.element.tagName).toBe("IMG");
    expect(img.attributes("src")).toContain("thumb");
    expect(img.attributes("src")).toContain(SHA1);
    expect(cards[0].find('[data-testid="media-card-name"]').text()).toBe("演出一.jpg");
    expect(cards[0].text()).toContain("古城展演");
    expect(cards[1].find("img").exists()).toBe(false);
    expect(cards[1].find('[data-testid="media-card-thumb-icon"]').text()).toContain("视频");
    expect(cards[1].find('[data-testid="media-card-duration"]').text()).toBe("03:05");
    expect(cards[1].find('[data-testid="media-card-confidential"]').text()).toBe("涉密");
    expect(cards[1].text()).toContain("未填写说明");
    expect(cards[2].find('[data-testid="media-card-thumb-icon"]').text()).toContain("音频");
    expect(lastQuery(calls)).toEqual({
      kind: null, entity: null, entityId: null, query: null, confidential: null, dateFrom: null, dateTo: null,
      deleted: false, page: 1, pageSize: 50,
    });

    rows = [];
    await router.push("/register");
    await router.push("/media");
    await settle();
    expect(wrapper.find('[data-testid="media-empty"]').text()).toContain("资料库中还没有资料。点击“导入文件”或把文件拖到窗口中。");
    wrapper.unmount();
  }, 20_000);

  it("sends the filters in the MediaQuery and searches 150 ms after typing", async () => {
    const calls = installIpc((cmd) => (cmd === "media_list" ? page(ROWS) : cmd === "item_list" ? { rows: [], total: 0, page: 1, pageSize: 30 } : undefined));
    const { wrapper } = await mountApp("/media");

    await chooseOption("media-filter-kind", "视频");
    expect(lastQuery(calls)).toMatchObject({ kind: "视频", page: 1 });
    await chooseOption("media-filter-confidential", "仅涉密");
    expect(lastQuery(calls)).toMatchObject({ kind: "视频", confidential: true });
    await chooseOption("media-filter-confidential", "仅非涉密");
    expect(lastQuery(calls).confidential).toBe(false);
    await chooseOption("media-filter-entity", "项目");
    expect(lastQuery(calls)).toMatchObject({ entity: "item", entityId: null });

    const picker = wrapper.findAllComponents({ name: "ElDatePicker" })[0];
    expect(picker).toBeTruthy();
    picker!.vm.$emit("update:modelValue", ["2024-01-01", "2024-02-29"]);
    await settle();
    expect(lastQuery(calls)).toMatchObject({ dateFrom: "2024-01-01", dateTo: "2024-02-29" });

    const before = calls.filter((c) => c.cmd === "media_list").length;
    const search = wrapper.find('[data-testid="media-search"]');
    const input = search.element.tagName === "INPUT" ? search : search.find("input");
    await input.setValue("春");
    await input.setValue("春节");
    await sleep(60);
    expect(calls.filter((c) => c.cmd === "media_list").length).toBe(before);
    // until the answer for “春节” is in, the cards shown are not its results
    expect(wrapper.findAll('[data-testid="media-card"]')).toHaveLength(0);
    expect(wrapper.findAll('[data-testid="media-card-stale"]')).toHaveLength(3);
    await sleep(200);
    await settle();
    expect(wrapper.findAll('[data-testid="media-card"]')).toHaveLength(3);
    const queries = calls.filter((c) => c.cmd === "media_list").slice(before).map((c) => (c.args.query as MediaQuery).query);
    expect(queries).toEqual(["春节"]);

    await wrapper.find('[data-testid="media-filter-reset"]').trigger("click");
    await settle();
    expect(lastQuery(calls)).toMatchObject({ kind: null, entity: null, confidential: null, dateFrom: null, dateTo: null, query: null });

    await wrapper.find('[data-testid="media-recycle-bin"]').trigger("click");
    await settle();
    expect(lastQuery(calls).deleted).toBe(true);
    expect(wrapper.text()).toContain("资料库 · 回收站");
    wrapper.unmount();
  }, 20_000);
});

describe("import", () => {
  it("needs its dialog while shown, running, or holding an outcome the clerk has not cleared", () => {
    resetImport();
    expect(importInUse.value).toBe(false);
    importState.open = true;
    importState.running = true;
    expect(importInUse.value).toBe(true);
    // Hidden while it runs: the badge stays.
    closeImport();
    expect(importInUse.value).toBe(true);
    importState.running = false;
    expect(importInUse.value).toBe(false);
    importState.error = "另一项导入正在进行";
    expect(importInUse.value).toBe(true);
    resetImport();
    expect(importInUse.value).toBe(false);
  });

  it("shows progress from the channel, cancels, then the summary with a failed file's message", async () => {
    let channel: Channel<MediaImportEvent> | null = null;
    let finish: (r: MediaImportReport) => void = () => undefined;
    const calls = installIpc((cmd, a) => {
      if (cmd === "media_list") return page(ROWS);
      if (cmd === "media_pick_files") return ["/usb/演出一.jpg", "/usb/损坏.jpg", "/usb/演出二.jpg"];
      if (cmd === "media_import_cancel") return null;
      if (cmd === "media_import_start") {
        channel = a.onEvent as Channel<MediaImportEvent>;
        return new Promise<MediaImportReport>((resolve) => (finish = resolve));
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/media");
    await wrapper.find('[data-testid="media-import-files"]').trigger("click");
    await settle();
    const start = calls.find((c) => c.cmd === "media_import_start")!;
    expect(start.args.files).toEqual(["/usb/演出一.jpg", "/usb/损坏.jpg", "/usb/演出二.jpg"]);
    expect(start.args.link).toBeNull();
    expect(channel).not.toBeNull();

    const ev = (e: Partial<MediaImportEvent>): MediaImportEvent => ({
      stage: "progress", filesDone: 0, count: 3, bytesDone: 0, bytesTotal: 4000, current: null, outcome: null, report: null, ...e,
    });
    channel!.onmessage(ev({ stage: "started" }));
    channel!.onmessage(ev({ filesDone: 1, bytesDone: 1000, current: "/usb/损坏.jpg" }));
    // The dialog is loaded when the first import starts.
    await waitFor(() => byTestId("media-import-progress") !== null);
    const dialog = byTestId("media-import-dialog")!;
    expect(byTestId("media-import-progress")!.textContent).toContain("25%");
    expect(dialog.textContent).toContain("第 2 / 共 3 个文件");
    expect(dialog.textContent).toContain("损坏.jpg");

    await click(byTestId("media-import-cancel"));
    expect(calls.filter((c) => c.cmd === "media_import_cancel")).toHaveLength(1);
    expect(dialog.textContent).toContain("正在取消");

    const listsBefore = calls.filter((c) => c.cmd === "media_list").length;
    finish({
      outcomes: [
        { file: "/usb/演出一.jpg", name: "演出一.jpg", status: "imported", mediaId: "m1", sha256: SHA1, kind: "照片", message: null },
        { file: "/usb/损坏.jpg", name: "损坏.jpg", status: "failed", mediaId: null, sha256: null, kind: null, message: "“损坏.jpg”无法读取：文件不完整" },
        { file: "/usb/演出二.jpg", name: "演出二.jpg", status: "cancelled", mediaId: null, sha256: null, kind: null, message: "导入已取消" },
      ],
      imported: 1, duplicates: 0, failed: 1, cancelled: 1,
    });
    await settle();
    expect(byTestId("media-import-summary")!.textContent).toContain("导入 1 个，重复 0 个（资料库中已有），失败 1 个，取消 1 个");
    const failedRow = document.querySelector(".row-failed")!;
    expect(failedRow.textContent).toContain("损坏.jpg");
    expect(failedRow.textContent).toContain("无法读取：文件不完整");
    expect(dialog.textContent).toContain("演出二.jpg");
    expect(calls.filter((c) => c.cmd === "media_list").length).toBe(listsBefore + 1);

    await click(byTestId("media-import-close"));
    await sleep(50);
    expect(byTestId("media-import-badge")).toBeNull();
    wrapper.unmount();
  }, 20_000);

  it("does nothing when the clerk cancels the file dialog, and imports a folder", async () => {
    let picked: string[] = [];
    const calls = installIpc((cmd) => {
      if (cmd === "media_list") return page([]);
      if (cmd === "media_pick_files") return picked;
      if (cmd === "media_import_start") return { outcomes: [], imported: 0, duplicates: 0, failed: 0, cancelled: 0 };
      return undefined;
    });
    const { wrapper } = await mountApp("/media");
    await wrapper.find('[data-testid="media-import-files"]').trigger("click");
    await settle();
    expect(calls.some((c) => c.cmd === "media_import_start")).toBe(false);
    picked = ["/usb/非遗月"];
    await wrapper.find('[data-testid="media-import-folder"]').trigger("click");
    await settle();
    expect(calls.find((c) => c.cmd === "media_pick_files" && c.args.directory === true)).toBeTruthy();
    expect(calls.find((c) => c.cmd === "media_import_start")!.args.files).toEqual(["/usb/非遗月"]);
    wrapper.unmount();
  }, 20_000);
});

describe("viewer", () => {
  it("shows the technical facts, saves the edited caption, shows field errors, and steps with →", async () => {
    let reject = false;
    const calls = installIpc((cmd, a) => {
      if (cmd === "media_list") return page(ROWS);
      if (cmd === "media_get") {
        if (a.id === "m2")
          return detail({ id: "m2", sha256: SHA2, ext: "mp4", kind: "视频", mime: "video/mp4", hasThumb: false, technical: { ...detail().technical, durationMs: 185_000, frameRate: 29.97, codec: "H.264", gpsLat: null, gpsLon: null, gcj02Lat: null, gcj02Lon: null, unread: [] }, description: description({ id: "m2" }) });
        return detail();
      }
      if (cmd === "media_describe") {
        if (reject) throw { code: "validation", message: "输入有误：说明太长", fields: [{ field: "caption", message: "说明不能超过 2000 字" }] };
        const input = a.input as MediaDescription;
        return detail({ description: input, updatedAt: "2024-03-02T02:00:00Z" });
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/media");
    await wrapper.findAll('[data-testid="media-card"]')[0].trigger("click");
    await settle();
    const viewer = byTestId("media-viewer")!;
    expect(viewer).not.toBeNull();
    const img = byTestId("media-viewer-image") as HTMLImageElement;
    expect(img.getAttribute("src")).toContain(`original/${SHA1}`);
    const tech = byTestId("media-tech")!.textContent!;
    expect(tech).toContain("4000×3000 像素");
    expect(tech).toContain("2024-02-12 10:23:45");
    expect(tech).toContain("Canon EOS 80D");
    expect(tech).toContain("北纬 34.561234°，东经 117.731234°（WGS-84）");
    expect(tech).toContain("北纬 34.559801°，东经 117.736512°（GCJ-02，用于国内地图）");
    expect(tech).toContain("3.2 MB");
    expect(tech).toContain("aaaaaaaa…aaaa0001");
    expect(byTestId("media-unread")!.textContent).toContain("未能读取：照片中没有作者信息");
    expect(viewer.textContent).toContain("鲁南花鼓");

    // zoom buttons are there and change the scale read-out
    const percent = () => byTestId("media-zoom-actual")!.textContent!.trim();
    const p0 = percent();
    await click(byTestId("media-zoom-in"));
    expect(percent()).not.toBe(p0);
    await click(byTestId("media-zoom-fit"));
    expect(percent()).toBe(p0);

    await type(textarea("media-form-caption"), "2024年春节运河花鼓展演");
    await click(byTestId("media-form-save"));
    const saved = calls.filter((c) => c.cmd === "media_describe").pop()!.args.input as MediaDescription;
    expect(saved.caption).toBe("2024年春节运河花鼓展演");
    expect(saved.id).toBe("m1");
    expect(saved.title).toBeNull();
    expect(document.querySelector(".el-message--success")?.textContent).toContain("说明已保存");

    reject = true;
    await type(textarea("media-form-caption"), "太长的说明");
    await click(byTestId("media-form-save"));
    await settleForms();
    const item = textarea("media-form-caption").closest(".el-form-item")!;
    expect(item.querySelector(".el-form-item__error")?.textContent).toContain("说明不能超过 2000 字");

    // → goes to the next file of the page (after confirming the unsaved change)
    reject = false;
    await type(textarea("media-form-caption"), "2024年春节运河花鼓展演");
    await settle();
    document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "ArrowRight", bubbles: true }));
    await settle();
    expect(calls.filter((c) => c.cmd === "media_get").pop()!.args.id).toBe("m2");
    expect(byTestId("media-viewer-video")!.getAttribute("src")).toContain(`original/${SHA2}`);
    expect(byTestId("media-tech")!.textContent).toContain("03:05");
    expect(byTestId("media-tech")!.textContent).toContain("29.97 帧/秒");
    await click(byTestId("media-viewer-prev"));
    expect(calls.filter((c) => c.cmd === "media_get").pop()!.args.id).toBe("m1");

    await click(byTestId("media-viewer-close"));
    await sleep(50);
    await settle();
    expect(wrapper.findAll('[data-testid="media-card"]')).toHaveLength(3);
    wrapper.unmount();
  }, 20_000);

  it("shows audio and PDF players, unlinks and deletes with a reason", async () => {
    const calls = installIpc((cmd, a) => {
      if (cmd === "media_list") return page(ROWS);
      if (cmd === "media_get") {
        if (a.id === "m3") return detail({ id: "m3", sha256: SHA3, ext: "wav", kind: "音频", hasThumb: false, technical: { ...detail().technical, sampleRate: 44_100, channels: 2 } });
        return detail({ id: "m2", sha256: SHA2, ext: "pdf", kind: "文档", mime: "application/pdf", hasThumb: false });
      }
      if (cmd === "media_unlink") return detail({ id: "m2", sha256: SHA2, ext: "pdf", kind: "文档", mime: "application/pdf", hasThumb: false, links: [] });
      if (cmd === "media_delete") return null;
      return undefined;
    });
    const { wrapper } = await mountApp("/media");
    await wrapper.findAll('[data-testid="media-card"]')[2].trigger("click");
    await settle();
    expect(byTestId("media-viewer-audio")!.getAttribute("src")).toContain(`original/${SHA3}`);
    expect(byTestId("media-tech")!.textContent).toContain("44.1 kHz");
    expect(byTestId("media-tech")!.textContent).toContain("立体声");
    await click(byTestId("media-viewer-prev"));
    expect(byTestId("media-viewer-pdf")!.getAttribute("src")).toContain(`original/${SHA2}`);

    await click(byTestId("media-unlink"));
    await click(document.querySelector(".el-message-box__btns .el-button--primary"));
    await sleep(50);
    await settle();
    expect(calls.find((c) => c.cmd === "media_unlink")!.args).toEqual({ linkId: "l1" });
    expect(byTestId("media-links")!.textContent).toContain("尚未关联");

    await click(byTestId("media-delete"));
    const reason = document.querySelector<HTMLTextAreaElement>('[data-testid="reason-input"]')!;
    await type(reason, "重复导入");
    await click(byTestId("reason-confirm"));
    expect(calls.find((c) => c.cmd === "media_delete")!.args).toEqual({ id: "m2", reason: "重复导入" });
    wrapper.unmount();
  }, 20_000);
});

describe("batch edit", () => {
  it("sends only the ticked fields and the link, and says what changed", async () => {
    const calls = installIpc((cmd) => {
      if (cmd === "media_list") return page(ROWS);
      if (cmd === "media_batch_edit") return { changed: 2, linked: 0 };
      return undefined;
    });
    const { wrapper } = await mountApp("/media");
    expect(wrapper.find('[data-testid="media-batch-edit"]').attributes("disabled")).toBeDefined();
    const boxes = wrapper.findAll('[data-testid="media-card-select"] input');
    await boxes[0].setValue(true);
    await boxes[2].setValue(true);
    expect(wrapper.find('[data-testid="media-selected-count"]').text()).toBe("已选 2 个");
    await wrapper.find('[data-testid="media-batch-edit"]').trigger("click");
    await settle();

    const tick = (key: string) => document.querySelector<HTMLInputElement>(`[data-testid="media-batch-tick-${key}"] input, input[data-testid="media-batch-tick-${key}"]`)!;
    const field = (key: string) => document.querySelector<HTMLInputElement>(`input[data-testid="media-batch-${key}"], textarea[data-testid="media-batch-${key}"]`)!;
    await click(tick("captionPlace"));
    await type(field("captionPlace"), "台儿庄古城");
    await click(tick("creator"));
    await type(field("creator"), "  ");
    await type(field("rights"), "不该发送");
    await click(tick("confidential"));
    await click(byTestId("media-batch-save"));

    const input = calls.find((c) => c.cmd === "media_batch_edit")!.args.input as MediaBatchEdit;
    expect(input.ids).toEqual(["m1", "m3"]);
    expect(input.link).toBeNull();
    const sent = Object.entries(input.set).filter(([, v]) => v !== null);
    expect(Object.fromEntries(sent)).toEqual({ captionPlace: "台儿庄古城", creator: "", confidential: false });
    expect(input.set.rights).toBeNull();
    expect(document.querySelector(".el-message--success")?.textContent).toContain("修改了 2 个资料的说明");

    // 全选本页 selects the whole page
    await wrapper.find('[data-testid="media-select-all"] input').setValue(true);
    expect(wrapper.find('[data-testid="media-selected-count"]').text()).toBe("已选 3 个");
    wrapper.unmount();
  }, 20_000);
});

describe("a record's media panel", () => {
  const item = {
    id: "i1", code: "Ⅲ-1", name: "鲁南花鼓", category: "Ⅲ", categoryName: "传统舞蹈", batchId: "b1", batchLabel: "第一批", seq: 1,
    parentId: null, parentName: null, extensions: [], status: "在册", level: "区级", endangered: false, confidential: false,
    townships: [], listings: [], texts: emptyTexts(), protectionUnits: [], note: null, createdAt: "2024-03-01T02:00:00Z",
    updatedAt: "2024-03-01T02:00:00Z", deletedAt: null, deletedReason: null,
  };
  const panelRows = [row(), row({ id: "m4", sha256: SHA2, originalName: "演出二.jpg" }), row({ id: "m2", sha256: SHA3, kind: "视频", ext: "mp4", hasThumb: false, originalName: "花鼓表演.mp4" })];
  const details: Record<string, MediaDetail> = {
    m1: detail({ links: [link({ ord: 1 })] }),
    m4: detail({ id: "m4", sha256: SHA2, originalName: "演出二.jpg", links: [link({ id: "l4", mediaId: "m4", ord: 2 })] }),
    m2: detail({ id: "m2", sha256: SHA3, kind: "视频", links: [link({ id: "l2", mediaId: "m2", role: "视频", ord: 1 })] }),
  };

  it("groups by role in link order, reorders with the swapped ids, and imports with the link", async () => {
    const calls = installIpc((cmd, a) => {
      if (cmd === "item_get") return item;
      if (cmd === "media_list") return page(panelRows);
      if (cmd === "media_get") return details[a.id as string];
      if (cmd === "media_reorder") return null;
      if (cmd === "media_pick_files") return ["/usb/演出三.jpg"];
      if (cmd === "media_import_start") return { outcomes: [], imported: 1, duplicates: 0, failed: 0, cancelled: 0 };
      return undefined;
    });
    const { wrapper } = await mountApp("/items/i1?tab=media");
    expect(wrapper.find('[data-testid="item-media-tab"]').text()).toBe("资料");
    expect(lastQuery(calls)).toMatchObject({ entity: "item", entityId: "i1" });
    const panel = wrapper.find('[data-testid="media-panel"]');
    const photos = panel.find('[data-testid="media-role-照片"]');
    expect(photos.findAll('[data-testid="media-card-name"]').map((n) => n.text())).toEqual(["演出一.jpg", "演出二.jpg"]);
    expect(panel.find('[data-testid="media-role-视频"]').text()).toContain("花鼓表演.mp4");
    expect(photos.findAll('[data-testid="media-card-thumb"]')[0].attributes("src")).toContain(SHA1);

    await photos.findAll('[data-testid="media-move-up"]')[1].trigger("click");
    await settle();
    expect(calls.find((c) => c.cmd === "media_reorder")!.args).toEqual({ entity: "item", id: "i1", role: "照片", mediaIds: ["m4", "m1"] });

    await panel.find('[data-testid="media-panel-import"]').trigger("click");
    await settle();
    expect(calls.find((c) => c.cmd === "media_import_start")!.args.link).toEqual({ entity: "item", id: "i1", role: "" });
    expect(byTestId("media-import-summary")!.textContent).toContain("导入 1 个，重复 0 个（已关联已有资料），失败 0 个");
    wrapper.unmount();
  }, 20_000);

  it("is on the activity page too", async () => {
    const calls = installIpc((cmd) => {
      if (cmd === "activity_get")
        return {
          id: "a1", fields: { id: "a1", kind: "展演", title: "非遗月展演", startedOn: "2024-02-12", endedOn: null, place: null, organizer: null, participants: null, description: null, note: null, itemIds: [], inheritorIds: [] },
          items: [], inheritors: [], feiyiMonth: null, inFeiyiMonth: false, createdAt: "2024-03-01T02:00:00Z", updatedAt: "2024-03-01T02:00:00Z", deletedAt: null, deletedReason: null,
        };
      return undefined;
    });
    const { wrapper } = await mountApp("/activities/a1?tab=media");
    expect(wrapper.find('[data-testid="activity-media-tab"]').exists()).toBe(true);
    expect(lastQuery(calls)).toMatchObject({ entity: "activity", entityId: "a1" });
    expect(wrapper.find('[data-testid="media-panel-empty"]').text()).toContain("导入后自动关联到本活动");
    wrapper.unmount();
  }, 20_000);
});

describe("inheritor portrait", () => {
  it("shows the portrait's thumbnail and replaces it, unlinking the old 肖像", async () => {
    let portrait = "m9";
    const old = detail({ id: "m9", sha256: SHA3, links: [link({ id: "l9", mediaId: "m9", entity: "inheritor", entityId: "p1", role: "肖像" })] });
    const calls = installIpc((cmd, a) => {
      if (cmd === "inheritor_get") return inheritorDetail({ portraitMediaId: portrait });
      if (cmd === "media_get") return a.id === "m9" ? old : detail({ id: "m10", sha256: SHA2 });
      if (cmd === "media_pick_files") return ["/usb/新照片.jpg"];
      if (cmd === "media_import_start")
        return { outcomes: [{ file: "/usb/新照片.jpg", name: "新照片.jpg", status: "imported", mediaId: "m10", sha256: SHA2, kind: "照片", message: null }], imported: 1, duplicates: 0, failed: 0, cancelled: 0 };
      if (cmd === "media_unlink") {
        portrait = "m10";
        return detail({ id: "m9", links: [] });
      }
      return undefined;
    });
    const { wrapper } = await mountApp("/inheritors/p1");
    await waitFor(() => wrapper.find('[data-testid="inheritor-portrait-img"]').exists());
    expect(wrapper.find('[data-testid="inheritor-portrait-img"]').attributes("src")).toContain(`thumb/${SHA3}`);
    const upload = wrapper.find('[data-testid="inheritor-portrait-upload"]');
    expect(upload.text()).toBe("更换");
    await upload.trigger("click");
    await settle();
    expect(calls.find((c) => c.cmd === "media_import_start")!.args.link).toEqual({ entity: "inheritor", id: "p1", role: "肖像" });
    expect(calls.find((c) => c.cmd === "media_unlink")!.args).toEqual({ linkId: "l9" });
    await settle();
    expect(wrapper.find('[data-testid="inheritor-portrait-img"]').attributes("src")).toContain(`thumb/${SHA2}`);
    wrapper.unmount();
  }, 20_000);

  it("offers 上传照片 when there is none", async () => {
    installIpc((cmd) => (cmd === "inheritor_get" ? inheritorDetail() : undefined));
    const { wrapper } = await mountApp("/inheritors/p1");
    expect(wrapper.find('[data-testid="inheritor-portrait"]').text()).toContain("暂无照片");
    expect(wrapper.find('[data-testid="inheritor-portrait-upload"]').text()).toBe("上传照片");
    wrapper.unmount();
  }, 20_000);
});

describe("资料完整性 in 设置", () => {
  it("shows when it was last checked, verifies and lists the missing file, and finds it in a folder", async () => {
    const missing = { mediaId: "m1", originalName: "演出一.jpg", sha256: SHA1, actualSha256: null, path: "/data/media/aa/演出一.jpg", deleted: false };
    const calls = installIpc((cmd) => {
      if (cmd === "media_fixity_status") return { lastRunAt: "2024-02-01T02:00:00Z", lastOk: true, lastSummary: "12 个资料的原件全部完好", due: true };
      if (cmd === "media_verify")
        return { ok: false, checked: 12, missing: [missing], changed: [{ ...missing, mediaId: "m2", originalName: "号子.wav", actualSha256: SHA2 }], unreferenced: [{ path: "/data/media/zz/多余.bin", sizeBytes: 2048 }] };
      if (cmd === "media_pick_files") return ["/backup"];
      if (cmd === "media_relink") return { scanned: 30, restored: [{ mediaId: "m1", originalName: "演出一.jpg", sha256: SHA1, source: "/backup/演出一.jpg" }], stillMissing: [] };
      if (cmd === "media_rebuild_derived") return 7;
      return undefined;
    });
    const { wrapper } = await mountApp("/settings");
    const status = wrapper.find('[data-testid="fixity-status"]').text();
    expect(status).toContain("12 个资料的原件全部完好");
    expect(status).toContain("已超过 7 天，建议检查");

    await wrapper.find('[data-testid="fixity-verify"]').trigger("click");
    await settle();
    const result = wrapper.find('[data-testid="fixity-result"]').text();
    expect(result).toContain("共检查 12 个资料，发现 3 个问题");
    expect(wrapper.find('[data-testid="fixity-missing"]').text()).toContain("演出一.jpg");
    expect(wrapper.find('[data-testid="fixity-missing"]').text()).toContain("/data/media/aa/演出一.jpg");
    expect(wrapper.find('[data-testid="fixity-changed"]').text()).toContain("号子.wav");
    expect(wrapper.find('[data-testid="fixity-unreferenced"]').text()).toContain("多余.bin");

    await wrapper.find('[data-testid="fixity-relink"]').trigger("click");
    await settle();
    expect(calls.find((c) => c.cmd === "media_relink")!.args).toEqual({ folder: "/backup" });
    expect(wrapper.find('[data-testid="fixity-relink-result"]').text()).toContain("找回 1 个原件");

    await wrapper.find('[data-testid="fixity-rebuild"]').trigger("click");
    await settle();
    expect([...document.querySelectorAll(".el-message--success")].map((m) => m.textContent).join()).toContain("已重新生成 7 个缩略图和预览图");
    wrapper.unmount();
  }, 20_000);
});

describe("files dropped on the window", () => {
  it("imports into the 资料库 without a link, and into the record shown with its link", async () => {
    mockWindows("main");
    const calls = installIpc(
      (cmd) => {
        if (cmd === "media_list") return page([]);
        if (cmd === "media_import_start") return { outcomes: [], imported: 1, duplicates: 0, failed: 0, cancelled: 0 };
        if (cmd === "activity_get")
          return {
            id: "a1", fields: { id: "a1", kind: "展演", title: "非遗月展演", startedOn: "2024-02-12", endedOn: null, place: null, organizer: null, participants: null, description: null, note: null, itemIds: [], inheritorIds: [] },
            items: [], inheritors: [], feiyiMonth: null, inFeiyiMonth: false, createdAt: "2024-03-01T02:00:00Z", updatedAt: "2024-03-01T02:00:00Z", deletedAt: null, deletedReason: null,
          };
        return undefined;
      },
      "real",
      { events: true },
    );
    const { wrapper, router } = await mountApp("/media");
    await settle();
    const at = { x: 10, y: 10 };
    await emit("tauri://drag-enter", { paths: ["/desk/a.jpg"], position: at });
    await settle();
    expect(wrapper.find('[data-testid="media-drop-overlay"]').exists()).toBe(true);
    await emit("tauri://drag-drop", { paths: ["/desk/a.jpg", "/desk/b.mp4"], position: at });
    await settle();
    expect(wrapper.find('[data-testid="media-drop-overlay"]').exists()).toBe(false);
    const first = calls.filter((c) => c.cmd === "media_import_start");
    expect(first.map((c) => [c.args.files, c.args.link])).toEqual([[["/desk/a.jpg", "/desk/b.mp4"], null]]);
    await click(byTestId("media-import-close"));

    await router.push("/activities/a1");
    await settle();
    await emit("tauri://drag-drop", { paths: ["/desk/c.jpg"], position: at });
    await settle();
    const second = calls.filter((c) => c.cmd === "media_import_start");
    // only the activity page listens now: one more import, linked to the activity
    expect(second).toHaveLength(2);
    expect(second[1].args.link).toEqual({ entity: "activity", id: "a1", role: "" });
    wrapper.unmount();
  }, 20_000);
});

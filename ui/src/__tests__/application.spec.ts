// 申报: the pre-flight report, the way from each finding to the place that fixes it, the
// export (refused with errors unless a reason is given) and its result, and the 申报配置 in 设置.
import { beforeEach, describe, expect, it } from "vitest";
import type { ExportProfile } from "../bindings/ExportProfile";
import type { Finding } from "../bindings/Finding";
import type { ItemDetail } from "../bindings/ItemDetail";
import type { MediaDetail } from "../bindings/MediaDetail";
import type { PackageOptions } from "../bindings/PackageOptions";
import type { PackageSummary } from "../bindings/PackageSummary";
import type { PreflightReport } from "../bindings/PreflightReport";
import type { ProfileSummary } from "../bindings/ProfileSummary";
import { fixTarget, findingPlace, minSecToSeconds, secondsToMinSec } from "../application";
import { emptyTexts } from "../format";
import { forgetLastApplication } from "../views/ApplicationView.vue";
import { MockBackend, installMockBackend } from "../mock/backend";
import { shippedProfile } from "../mock/application";
import shippedJson from "../../../data/profiles/zaozhuang-municipal.json";
import { batch, chooseOption, installIpc, itemRow, mountApp, recognition, settle, settleForms, waitFor } from "./helpers";

const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const all = (css: string) => [...document.querySelectorAll<HTMLElement>(css)];
const click = async (el: Element | null | undefined) => {
  if (!el) throw new Error("nothing to click");
  (el as HTMLElement).click();
  await settle();
};
/** The input of a field marked `testid` (Element Plus puts the attribute on the input or its wrapper). */
function input(testid: string): HTMLInputElement | HTMLTextAreaElement {
  const el = byTestId(testid);
  if (!el) throw new Error(`no ${testid}`);
  if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) return el;
  const inner = el.querySelector<HTMLInputElement>("input, textarea");
  if (!inner) throw new Error(`no input in ${testid}`);
  return inner;
}
async function type(testid: string, value: string) {
  const el = input(testid);
  el.value = value;
  el.dispatchEvent(new Event("input"));
  el.dispatchEvent(new Event("change"));
  await settle();
}
const fixButton = (code: string) => document.querySelector<HTMLElement>(`[data-testid="finding"][data-code="${code}"] [data-testid="finding-fix"]`);

function itemDetail(partial: Partial<ItemDetail> = {}): ItemDetail {
  return {
    id: "i1", code: "Ⅲ-1", name: "鲁南花鼓", category: "Ⅲ", categoryName: "传统舞蹈", batchId: "b1",
    batchLabel: "第一批", seq: 1, parentId: null, parentName: null, extensions: [], status: "在册", level: "区级",
    endangered: false, confidential: false, townships: [], listings: [],
    texts: { ...emptyTexts(), summary: "简介" }, protectionUnits: [], note: null,
    createdAt: "2024-03-01T02:00:00Z", updatedAt: "2024-03-01T02:00:00Z", deletedAt: null, deletedReason: null,
    ...partial,
  };
}

const finding = (severity: "error" | "warning", code: string, kind: string, id: string, field: string | null, message: string): Finding => ({
  severity, code, target: { kind, id, field }, message,
});

function report(partial: Partial<PreflightReport> = {}): PreflightReport {
  const findings = [
    finding("error", "section_empty", "item", "i1", "texts.history", "历史渊源（项目说明）未填写，申报书必须有这一栏"),
    finding("error", "recognition_no_doc_number", "recognition", "r1", "docNumber", "孙玉兰的区级代表性传承人认定没有文号，请填写认定文件的文号"),
    finding("error", "budget_no_basis", "plan", "pl1", "budgetBasis", "保护计划“鲁南花鼓保护计划”的经费预算没有依据说明（经费预算及其依据说明）"),
    finding("error", "photos_too_few", "item", "i1", "media.照片", "照片 3 张，要求至少 10 张（默认值，可在申报配置中修改）"),
    finding("warning", "photo_caption_incomplete", "media", "m1", "caption", "第 1 张照片（演出一.jpg）的图片说明缺少地点、人物"),
    finding("warning", "lineage_empty", "lineage", "i1", null, "传承谱系表为空，申报书中将只有文字叙述；建议录入师承关系"),
  ];
  const errorCount = findings.filter((f) => f.severity === "error").length;
  return {
    itemId: "i1", itemName: "鲁南花鼓", profile: "zaozhuang-municipal", profileTitle: "枣庄市级非物质文化遗产代表性项目申报（默认）",
    okToExport: errorCount === 0, errorCount, warningCount: findings.length - errorCount,
    counts: { photos: 3, videos: 1, audio: 0, documents: 2, inheritors: 1, lineagePeople: 0, confidentialLeftOut: 1 },
    findings,
    ...partial,
  };
}
const cleanReport = () => report({ findings: [report().findings[4]], errorCount: 0, warningCount: 1, okToExport: true });

const PROFILES: ProfileSummary[] = [
  { name: "zaozhuang-municipal", title: "枣庄市级非物质文化遗产代表性项目申报（默认）", version: 1, level: "市级", shipped: true, basedOn: null },
  { name: "zaozhuang-2025", title: "枣庄市级申报（2025 年通知）", version: 3, level: "市级", shipped: false, basedOn: "zaozhuang-municipal" },
];

function summary(partial: Partial<PackageSummary> = {}): PackageSummary {
  return {
    itemId: "i1", itemName: "鲁南花鼓", profile: "zaozhuang-municipal", profileTitle: "枣庄市级非物质文化遗产代表性项目申报（默认）",
    folder: "/home/user/桌面/申报材料/【示例】Ⅲ-1 鲁南花鼓 申报材料", zip: "/home/user/桌面/申报材料/【示例】Ⅲ-1 鲁南花鼓 申报材料.zip",
    files: [
      { path: "01 申报书.docx", kind: "申报书", bytes: 48_213, sha256: "a".repeat(64), mediaId: null },
      { path: "01 申报书.pdf", kind: "申报书", bytes: 312_904, sha256: "b".repeat(64), mediaId: null },
      { path: "照片/01 2024年2月 古城 展演.jpg", kind: "照片", bytes: 3_355_443, sha256: "c".repeat(64), mediaId: "m1" },
      { path: "manifest.json", kind: "清单", bytes: 4_120, sha256: "d".repeat(64), mediaId: null },
      { path: "SHA256SUMS", kind: "清单", bytes: 1_544, sha256: "e".repeat(64), mediaId: null },
    ],
    leftOut: ["扫描件“鲁南花鼓申报书扫描件.pdf”标记为保密，未放入申报材料"],
    masked: ["身份证号", "联系电话", "住址"],
    warningCount: 2, overriddenErrors: 4, elapsedMs: 2350,
    ...partial,
  };
}

function mediaDetail(): MediaDetail {
  return {
    id: "m1", sha256: "a".repeat(64), ext: "jpg", kind: "照片", originalName: "演出一.jpg", sizeBytes: 3_355_443, mime: "image/jpeg",
    width: 4000, height: 3000, importedAt: "2024-03-01T02:00:00Z",
    technical: {
      width: 4000, height: 3000, durationMs: null, frameRate: null, codec: null, bitRate: null, sampleRate: null, channels: null,
      pageCount: null, capturedAt: null, camera: null, gpsLat: null, gpsLon: null, gcj02Lat: null, gcj02Lon: null, unread: [],
    },
    hasThumb: true, hasPreview: false,
    description: {
      id: "m1", title: null, caption: "古城展演", captionTime: "2024 年春节", captionPlace: null, captionPeople: null, captionEvent: null,
      creator: null, creatorRole: null, provider: null, holder: null, captureDate: null, capturePlace: null, rights: null,
      consent: null, confidential: false, cataloguer: null, cataloguedAt: null,
    },
    links: [{ id: "l1", mediaId: "m1", entity: "item", entityId: "i1", entityName: "鲁南花鼓", role: "照片", ord: 1 }],
    createdAt: "2024-03-01T02:00:00Z", updatedAt: "2024-03-01T02:00:00Z", deletedAt: null, deletedReason: null,
  };
}

/** The answers of the 申报 page; `over` answers first. */
function applicationIpc(over: (cmd: string, a: Record<string, unknown>) => unknown = () => undefined, rep: () => PreflightReport = report) {
  return installIpc((cmd, a) => {
    const answer = over(cmd, a);
    if (answer !== undefined) return answer;
    switch (cmd) {
      case "application_profiles":
        return PROFILES;
      case "application_check":
        return rep();
      case "item_get":
        return itemDetail();
      case "item_list":
        return { rows: [itemRow()], total: 1, page: 1, pageSize: 30 };
      case "pick_folder":
        return "/home/user/桌面/申报材料";
      default:
        return undefined;
    }
  });
}

beforeEach(() => forgetLastApplication());

describe("申报 page · the report", () => {
  it("checks the item of ?item= against the default profile and shows the summary, contents and findings, errors first", async () => {
    const calls = applicationIpc();
    const { wrapper } = await mountApp("/applications?item=i1");
    expect(wrapper.find('[data-testid="nav-applications"]').classes()).toContain("is-active");
    expect(wrapper.find('[data-testid="coming-soon-applications"]').exists()).toBe(false);
    expect(calls.find((c) => c.cmd === "application_check")?.args).toEqual({ itemId: "i1", profile: "zaozhuang-municipal" });

    expect(byTestId("application-summary")?.textContent).toContain("4 个错误、2 个警告");
    const counts = byTestId("application-counts")!.textContent!;
    expect(counts).toContain("照片 3 张");
    expect(counts).toContain("视频 1 段");
    expect(counts).toContain("辅助材料 2 份");
    expect(counts).toContain("代表性传承人 1 位");
    expect(counts).toContain("谱系人物 0 人");
    expect(counts).toContain("保密资料 1 个不放入");

    const rows = all('[data-testid="finding"]');
    expect(rows).toHaveLength(6);
    expect(rows.map((r) => r.dataset.severity)).toEqual(["error", "error", "error", "error", "warning", "warning"]);
    expect(rows[0].textContent).toContain("错误");
    expect(rows[0].textContent).toContain("历史渊源（项目说明）未填写");
    expect(rows[0].textContent).toContain("申报书 · 历史渊源");
    expect(rows[0].querySelector(".el-tag--danger")).not.toBeNull();
    expect(rows[4].querySelector(".el-tag--warning")).not.toBeNull();
    expect(rows[4].textContent).toContain("资料 · 图片说明");
    expect(rows.every((r) => r.querySelector('[data-testid="finding-fix"]')?.textContent?.includes("去修改"))).toBe(true);

    // only the warnings
    await click(all('[data-testid="application-filter"] label, [data-testid="application-filter"] .el-radio-button').find((e) => e.textContent?.includes("警告")));
    expect(all('[data-testid="finding"]').map((r) => r.dataset.severity)).toEqual(["warning", "warning"]);
    wrapper.unmount();
  });

  it("runs the check as soon as an item is chosen, again for another profile, and keeps both in the address", async () => {
    const calls = applicationIpc();
    const { wrapper, router } = await mountApp("/applications");
    expect(byTestId("application-empty")?.textContent).toContain("请先选择要申报的项目");
    expect(calls.some((c) => c.cmd === "application_check")).toBe(false);

    await chooseOption("application-item", "Ⅲ-1 鲁南花鼓");
    await settle();
    expect(calls.filter((c) => c.cmd === "application_check").pop()?.args).toEqual({ itemId: "i1", profile: "zaozhuang-municipal" });
    expect(router.currentRoute.value.query).toEqual({ item: "i1" });
    expect(all('[data-testid="finding"]')).toHaveLength(6);

    await chooseOption("application-profile", "枣庄市级申报（2025 年通知）");
    expect(calls.filter((c) => c.cmd === "application_check").pop()?.args).toEqual({ itemId: "i1", profile: "zaozhuang-2025" });
    expect(router.currentRoute.value.query).toEqual({ item: "i1", profile: "zaozhuang-2025" });

    const before = calls.filter((c) => c.cmd === "application_check").length;
    await click(byTestId("application-check"));
    expect(calls.filter((c) => c.cmd === "application_check").length).toBe(before + 1);
    wrapper.unmount();
  });

  it("comes back to the item last checked when opened from the menu", async () => {
    const calls = applicationIpc();
    const { wrapper, router } = await mountApp("/applications?item=i1");
    await router.push("/register");
    await settle();
    await router.push("/applications");
    await settle();
    expect(router.currentRoute.value.query).toEqual({ item: "i1" });
    expect(calls.filter((c) => c.cmd === "application_check").length).toBeGreaterThanOrEqual(2);
    expect(all('[data-testid="finding"]')).toHaveLength(6);
    wrapper.unmount();
  });

  it("says why the check could not run, in Chinese", async () => {
    applicationIpc((cmd) => {
      if (cmd === "application_check") throw { code: "deleted", message: "项目已删除（在回收站中），请先恢复：i1" };
      return undefined;
    });
    const { wrapper } = await mountApp("/applications?item=i1");
    expect(byTestId("application-check-error")?.textContent).toContain("项目已删除（在回收站中），请先恢复");
    wrapper.unmount();
  });

  it("is reached from the item page's 申报 button", async () => {
    applicationIpc((cmd) => (cmd === "recognition_list_for_item" ? [] : cmd === "lineage_get" ? { itemId: "i1", edges: [], table: [] } : undefined));
    const { wrapper, router } = await mountApp("/items/i1");
    await click(byTestId("item-apply"));
    expect(router.currentRoute.value.path).toBe("/applications");
    expect(router.currentRoute.value.query).toEqual({ item: "i1" });
    expect(all('[data-testid="finding"]')).toHaveLength(6);
    wrapper.unmount();
  });
});

describe("申报 page · 去修改", () => {
  it("knows the place of every kind of finding", () => {
    const go = (kind: string, id: string, field: string | null) => fixTarget(finding("error", "x", kind, id, field, ""), "i1");
    expect(go("item", "i1", "texts.history")).toMatchObject({ page: { path: "/items/i1/edit", query: { field: "texts.history" } } });
    expect(go("item", "i1", "listings.0.docNumber")).toMatchObject({ page: { path: "/items/i1/edit", query: { field: "listings.0.docNumber" } } });
    expect(go("item", "i1", "media.授权书")).toMatchObject({ page: { path: "/items/i1", query: { tab: "media" } } });
    expect(go("item", "i1", "recognitions")).toMatchObject({ page: { path: "/items/i1", query: { tab: "inheritors" } } });
    expect(go("item", "i1", "plans")).toMatchObject({ page: { path: "/items/i1", query: { tab: "protection" } } });
    expect(go("media", "m1", "caption")).toMatchObject({ media: "m1" });
    expect(go("recognition", "r1", "docNumber")).toMatchObject({ recognition: "r1", itemId: "i1" });
    expect(go("inheritor", "p1", null)).toMatchObject({ page: { path: "/inheritors/p1" } });
    expect(go("plan", "pl1", "budgetBasis")).toMatchObject({ page: { path: "/plans/pl1/edit", query: { field: "budgetBasis" } } });
    expect(go("batch", "b1", "docNumber")).toMatchObject({ page: { path: "/batches", query: { edit: "b1" } } });
    expect(go("lineage", "i1", null)).toMatchObject({ page: { path: "/items/i1", query: { tab: "lineage" } } });
    expect(findingPlace({ kind: "plan", id: "pl1", field: "budgetBasis" })).toBe("保护计划 · 经费预算依据");
    expect(findingPlace({ kind: "batch", id: "b1", field: "docNumber" })).toBe("批次 · 文号");
    expect(findingPlace({ kind: "item", id: "i1", field: "media.照片" })).toBe("项目资料 · 照片");
  });

  it("opens the item form at the field, the person of a recognition, the plan form, the lineage tab and the media viewer", async () => {
    const calls = applicationIpc((cmd) => {
      if (cmd === "recognition_list_for_item") return [recognition({ id: "r1", inheritorId: "p1" })];
      if (cmd === "media_get") return mediaDetail();
      if (cmd === "inheritor_get") throw { code: "not_found", message: "找不到传承人" };
      if (cmd === "plan_get") throw { code: "not_found", message: "找不到保护计划" };
      if (cmd === "lineage_get") return { itemId: "i1", edges: [], table: [] };
      return undefined;
    });
    const { wrapper, router } = await mountApp("/applications?item=i1");
    const back = async () => {
      await router.push("/applications?item=i1");
      await settle();
    };

    await click(fixButton("section_empty"));
    expect(router.currentRoute.value.path).toBe("/items/i1/edit");
    expect(router.currentRoute.value.query).toEqual({ field: "texts.history" });
    // the form puts the cursor in that field and marks it
    await settle();
    expect(document.activeElement).toBe(input("item-form-text-history"));
    expect(input("item-form-text-history").closest(".el-form-item")?.classList.contains("asked-field")).toBe(true);

    await back();
    await click(fixButton("recognition_no_doc_number"));
    await settle();
    expect(calls.some((c) => c.cmd === "recognition_list_for_item" && c.args.itemId === "i1")).toBe(true);
    expect(router.currentRoute.value.path).toBe("/inheritors/p1");
    expect(router.currentRoute.value.query).toEqual({ tab: "recognitions" });

    await back();
    await click(fixButton("budget_no_basis"));
    expect(router.currentRoute.value.path).toBe("/plans/pl1/edit");
    expect(router.currentRoute.value.query).toEqual({ field: "budgetBasis" });

    await back();
    await click(fixButton("photos_too_few"));
    expect(router.currentRoute.value.fullPath).toBe(`/items/i1?tab=media`);

    await back();
    await click(fixButton("lineage_empty"));
    expect(router.currentRoute.value.fullPath).toBe("/items/i1?tab=lineage");

    // a media finding opens the file in place; closing it checks again
    await back();
    const checks = calls.filter((c) => c.cmd === "application_check").length;
    await click(fixButton("photo_caption_incomplete"));
    await waitFor(() => !!byTestId("media-viewer") && calls.some((c) => c.cmd === "media_get"));
    expect(router.currentRoute.value.path).toBe("/applications");
    expect(calls.filter((c) => c.cmd === "media_get").pop()?.args).toEqual({ id: "m1" });
    await click(byTestId("media-viewer-close"));
    await settle();
    expect(calls.filter((c) => c.cmd === "application_check").length).toBe(checks + 1);
    wrapper.unmount();
  }, 30_000);

  it("opens the batch's form from ?edit=", async () => {
    installIpc((cmd) => (cmd === "batch_list" ? [batch()] : undefined));
    const { wrapper } = await mountApp("/batches?edit=b6");
    await settle();
    const dialog = all(".el-dialog").find((d) => d.textContent?.includes("文号"));
    expect(dialog).toBeTruthy();
    expect(dialog!.querySelector<HTMLInputElement>("input[type=text], input:not([type])")).not.toBeNull();
    expect([...dialog!.querySelectorAll<HTMLInputElement>("input")].some((i) => i.value === "台政字〔2022〕33号")).toBe(true);
    wrapper.unmount();
  });
});

describe("申报 page · export", () => {
  it("with errors: asks for a reason, refuses an empty one, exports with it and shows the result", async () => {
    const sent: PackageOptions[] = [];
    const calls = applicationIpc((cmd, a) => {
      if (cmd === "application_export") {
        sent.push(a.options as PackageOptions);
        return summary();
      }
      return undefined;
    });
    let copied = "";
    Object.defineProperty(navigator, "clipboard", { value: { writeText: async (t: string) => void (copied = t) }, configurable: true });
    const { wrapper } = await mountApp("/applications?item=i1");

    await click(byTestId("application-zip")?.querySelector("input") ?? byTestId("application-zip"));
    await click(byTestId("application-export"));
    // no folder yet: the system dialog first
    expect(calls.some((c) => c.cmd === "pick_folder")).toBe(true);
    expect(input("application-out-dir").value).toBe("/home/user/桌面/申报材料");
    await settleForms();
    const dialog = byTestId("reason-dialog")!;
    expect(dialog.textContent).toContain("越过错误并导出");
    expect(dialog.textContent).toContain("申报体检发现 4 个错误");
    expect(dialog.textContent).toContain("导出被拒绝");

    await click(byTestId("reason-confirm"));
    await settleForms();
    expect(dialog.textContent).toContain("请填写越过错误的原因");
    expect(calls.some((c) => c.cmd === "application_export")).toBe(false);

    await type("reason-input", "先交初稿供市文旅局预审");
    await click(byTestId("reason-confirm"));
    await settle();
    expect(sent).toEqual([{ profile: "zaozhuang-municipal", outDir: "/home/user/桌面/申报材料", zip: true, overrideReason: "先交初稿供市文旅局预审" }]);
    expect(calls.find((c) => c.cmd === "application_export")?.args.itemId).toBe("i1");

    const result = byTestId("application-result")!;
    expect(result.textContent).toContain("申报材料已导出");
    expect(byTestId("application-result-folder")?.textContent).toBe("/home/user/桌面/申报材料/【示例】Ⅲ-1 鲁南花鼓 申报材料");
    expect(byTestId("application-result-zip")?.textContent).toBe("/home/user/桌面/申报材料/【示例】Ⅲ-1 鲁南花鼓 申报材料.zip");
    expect(byTestId("application-result-overridden")?.textContent).toContain("越过 4 个错误");
    expect(byTestId("application-result-masked")?.textContent).toContain("身份证号、联系电话、住址");
    expect(byTestId("application-result-left-out")?.textContent).toContain("鲁南花鼓申报书扫描件.pdf");
    expect(result.textContent).toContain("2.4 秒");
    expect(result.textContent).toContain("5 个");
    const files = all('[data-testid="application-result-file"]');
    expect(files).toHaveLength(5);
    expect(files[0].textContent).toContain("01 申报书.docx");
    expect(files[0].textContent).toContain("申报书");
    expect(files[0].textContent).toContain("47 KB");
    expect(files[2].textContent).toContain("3.2 MB");
    expect(files[4].textContent).toContain("SHA256SUMS");

    await click(byTestId("application-copy-folder"));
    expect(copied).toBe("/home/user/桌面/申报材料/【示例】Ⅲ-1 鲁南花鼓 申报材料");
    wrapper.unmount();
  }, 20_000);

  it("without errors: exports straight away with no reason", async () => {
    const sent: PackageOptions[] = [];
    applicationIpc((cmd, a) => {
      if (cmd === "application_export") {
        sent.push(a.options as PackageOptions);
        return summary({ zip: null, overriddenErrors: 0, leftOut: [] });
      }
      return undefined;
    }, cleanReport);
    const { wrapper } = await mountApp("/applications?item=i1");
    expect(byTestId("application-summary")?.textContent).toContain("没有错误，1 个警告");
    await click(byTestId("application-pick-folder"));
    await click(byTestId("application-export"));
    await settle();
    expect(sent).toEqual([{ profile: "zaozhuang-municipal", outDir: "/home/user/桌面/申报材料", zip: false, overrideReason: null }]);
    expect(byTestId("application-result")?.textContent).toContain("没有错误");
    expect(byTestId("application-result-zip")).toBeNull();
    wrapper.unmount();
  });

  it("shows the backend's refusal in Chinese; a late preflight_errors checks again and asks for a reason", async () => {
    let answer: unknown = { code: "io", message: "文件读写失败：/home/user/桌面/申报材料：权限不足" };
    let rep = cleanReport();
    applicationIpc(
      (cmd) => {
        if (cmd === "application_export") throw answer;
        return undefined;
      },
      () => rep,
    );
    const { wrapper } = await mountApp("/applications?item=i1");
    await click(byTestId("application-pick-folder"));
    await click(byTestId("application-export"));
    await settle();
    expect(byTestId("application-export-error")?.textContent).toContain("文件读写失败");
    expect(byTestId("application-export-error")?.textContent).toContain("权限不足");
    expect(byTestId("application-result")).toBeNull();

    answer = { code: "preflight_errors", message: "申报体检发现 4 个错误，未导出申报材料。" };
    rep = report();
    await click(byTestId("application-export"));
    await settleForms();
    expect(byTestId("application-summary")?.textContent).toContain("4 个错误");
    expect(byTestId("reason-dialog")?.textContent).toContain("越过错误并导出");
    wrapper.unmount();
  });
});

describe("申报配置 in 设置 (with the mock backend)", () => {
  it("lists the shipped profile as 内置 and opens it read-only", async () => {
    installMockBackend();
    const { wrapper } = await mountApp("/settings");
    await waitFor(() => all('[data-testid="profile-row"]').length > 0);
    const rows = all('[data-testid="profile-row"]');
    expect(rows).toHaveLength(1);
    expect(rows[0].textContent).toContain("枣庄市级非物质文化遗产代表性项目申报（默认）");
    expect(rows[0].textContent).toContain("内置");
    expect(byTestId("profile-edit-zaozhuang-municipal")).toBeNull();
    expect(byTestId("profile-delete-zaozhuang-municipal")).toBeNull();

    await click(byTestId("profile-view-zaozhuang-municipal"));
    await settleForms();
    const editor = byTestId("profile-editor")!;
    expect(editor.textContent).toContain("这是软件自带的申报配置，不能直接修改");
    expect(byTestId("profile-editor-save")).toBeNull();
    expect(input("profile-title").disabled).toBe(true);
    expect(editor.textContent).toContain("默认值，可修改");
    expect(editor.textContent).toContain("默认在申报材料中隐去");
    wrapper.unmount();
  });

  it("copies, edits with inline errors from the core, saves (version raised) and deletes with a reason", async () => {
    const backend = installMockBackend();
    const { wrapper } = await mountApp("/settings");
    await waitFor(() => !!byTestId("profile-copy-zaozhuang-municipal"));

    // 复制: a name that is taken is refused in place
    await click(byTestId("profile-copy-zaozhuang-municipal"));
    await settleForms();
    expect(input("profile-copy-name").value).toMatch(/^zaozhuang-municipal-\d{4}$/);
    expect(input("profile-copy-title").value).toContain("副本");
    await type("profile-copy-name", "zaozhuang-municipal");
    await click(byTestId("profile-copy-confirm"));
    await settleForms();
    expect(byTestId("profile-copy-dialog")?.textContent).toContain("已有名为“zaozhuang-municipal”的申报配置");
    await type("profile-copy-name", "含 空格");
    await click(byTestId("profile-copy-confirm"));
    await settleForms();
    expect(byTestId("profile-copy-dialog")?.textContent).toContain("配置名称不能含空格");
    await type("profile-copy-name", "zaozhuang-2025");
    await type("profile-copy-title", "枣庄市级申报（2025 年通知）");
    await click(byTestId("profile-copy-confirm"));
    await settleForms();
    expect(backend.application.profiles.map((p) => [p.name, p.basedOn, p.version])).toEqual([["zaozhuang-2025", "zaozhuang-municipal", 1]]);

    // the copy opens in the editor, editable
    const editor = byTestId("profile-editor")!;
    expect(editor.textContent).toContain("编辑申报配置：枣庄市级申报（2025 年通知）");
    expect(input("profile-title").disabled).toBe(false);
    expect(editor.textContent).toContain("默认值，可修改");

    // a bad number: the core's field error sits on that row
    await type("profile-section-max-0", "0");
    await click(byTestId("profile-editor-save"));
    await settleForms();
    expect(byTestId("profile-section-max-error-0")?.textContent).toContain("字数限制应为正整数");
    // photos: more at least than at most
    await type("profile-section-max-0", "120");
    await type("profile-photos-min", "12");
    await type("profile-photos-max", "8");
    await click(byTestId("profile-editor-save"));
    await settleForms();
    expect(editor.textContent).toContain("照片数量的下限 12 大于上限 8");
    expect(backend.application.profiles[0].photos.minCount).toBe(10);

    await type("profile-photos-max", "30");
    await type("profile-video-min-minutes", "3");
    await type("profile-video-min-seconds", "30");
    await click(byTestId("profile-personal-phone"));
    await click(byTestId("profile-document-required-0"));
    await click(byTestId("profile-editor-save"));
    await settleForms();
    const saved = backend.application.profiles[0];
    expect(saved.version).toBe(2);
    expect(saved.sections[0].maxChars).toBe(120);
    expect(saved.photos).toMatchObject({ minCount: 12, maxCount: 30 });
    expect(saved.video.minDurationSec).toBe(210);
    expect(saved.personalFields).toEqual({ idNumber: false, phone: true, address: false });
    expect(saved.documents[0].required).toBe(false);
    await waitFor(() => all('[data-testid="profile-row"]').length === 2);
    const rows = all('[data-testid="profile-row"]');
    expect(rows[1].textContent).toContain("副本");
    expect(rows[1].textContent).toContain("第 2 版");
    expect(backend.log.some((l) => l.entity === "application_profile" && l.action === "update")).toBe(true);

    // 删除 asks for a reason
    await click(byTestId("profile-delete-zaozhuang-2025"));
    await settleForms();
    await click(byTestId("reason-confirm"));
    await settleForms();
    expect(byTestId("reason-dialog")?.textContent).toContain("请填写删除原因");
    expect(backend.application.profiles).toHaveLength(1);
    await type("reason-input", "2025 年申报已结束");
    await click(byTestId("reason-confirm"));
    await settleForms();
    expect(backend.application.profiles).toHaveLength(0);
    expect(backend.log.find((l) => l.entity === "application_profile" && l.action === "delete")?.reason).toBe("2025 年申报已结束");
    wrapper.unmount();
  }, 30_000);

  it("edits durations as minutes and seconds", () => {
    expect(secondsToMinSec(330)).toEqual({ min: 5, sec: 30 });
    expect(secondsToMinSec(null)).toEqual({ min: null, sec: null });
    expect(minSecToSeconds(5, null)).toBe(300);
    expect(minSecToSeconds(null, null)).toBeNull();
  });
});

describe("mock backend · applications", () => {
  const call = (b: MockBackend, cmd: string, args: Record<string, unknown> = {}) => {
    try {
      return { ok: b.handle(cmd, args) };
    } catch (e) {
      return { err: e as { code: string; message: string; fields?: { field: string; message: string }[] } };
    }
  };

  it("gives a plausible report for the sample 鲁南花鼓, refuses the export without a reason and exports with one", () => {
    const b = new MockBackend("sample");
    const item = b.items.find((i) => i.name === "鲁南花鼓")!;
    const rep = call(b, "application_check", { itemId: item.id, profile: null }).ok as PreflightReport;
    expect(rep.errorCount).toBeGreaterThan(0);
    expect(rep.warningCount).toBeGreaterThan(0);
    expect(rep.okToExport).toBe(false);
    expect(rep.counts.photos).toBe(3);
    const codes = rep.findings.map((f) => f.code);
    expect(codes).toContain("photos_too_few");
    expect(codes).toContain("photo_wrong_format");
    expect(codes).toContain("video_too_short");
    expect(codes).toContain("document_missing");
    expect(rep.findings.findIndex((f) => f.severity === "warning")).toBe(rep.errorCount);

    const options = { profile: null, outDir: "/tmp/out", zip: true, overrideReason: null };
    const refused = call(b, "application_export", { itemId: item.id, options }).err!;
    expect(refused.code).toBe("preflight_errors");
    expect(refused.message).toContain("未导出申报材料");
    const done = call(b, "application_export", { itemId: item.id, options: { ...options, overrideReason: "先交初稿" } }).ok as PackageSummary;
    expect(done.folder.startsWith("/tmp/out/")).toBe(true);
    expect(done.zip).toBe(`${done.folder}.zip`);
    const paths = done.files.map((f) => f.path);
    expect(paths).toContain("manifest.json");
    expect(paths).toContain("SHA256SUMS");
    expect(paths.some((p) => p.endsWith(".docx") && p.includes("申报书"))).toBe(true);
    expect(paths.some((p) => p.endsWith(".pdf") && p.includes("申报书"))).toBe(true);
    expect(done.overriddenErrors).toBe(rep.errorCount);
    expect(b.log.some((l) => l.action === "override" && l.reason === "先交初稿")).toBe(true);
  });

  it("keeps the shipped profile read-only and validates copies", () => {
    const b = new MockBackend("sample");
    const shipped = call(b, "application_profile", { name: "zaozhuang-municipal" }).ok as ExportProfile;
    expect(shipped).toEqual(shippedProfile());
    // the fake's copy is the shipped file, number for number
    expect(shippedProfile()).toEqual(shippedJson);
    expect(call(b, "application_profile_save", { input: shipped }).err?.fields?.[0].field).toBe("name");
    expect(call(b, "application_profile_delete", { name: "zaozhuang-municipal", reason: "x" }).err?.code).toBe("conflict");
    const copy = { ...shipped, name: "copy", basedOn: "zaozhuang-municipal", video: { ...shipped.video, minDurationSec: 700 } };
    expect(call(b, "application_profile_save", { input: copy }).err?.fields?.map((f) => f.field)).toEqual(["video.maxDurationSec"]);
    expect((call(b, "application_profile_save", { input: { ...copy, video: shipped.video } }).ok as ProfileSummary).shipped).toBe(false);
    expect((call(b, "application_profiles").ok as ProfileSummary[]).map((p) => p.name)).toEqual(["zaozhuang-municipal", "copy"]);
  });
});

// 设置 → 数据: backups and restore, the list import from a spreadsheet (preview, mapping,
// commit, undo), exchange packages (export, inspect, conflicts, merge) and the import history.
// Most tests run against the stateful fake (mock/data.ts) behind a call log.
import { beforeEach, describe, expect, it } from "vitest";
import type { BackupInfo } from "../bindings/BackupInfo";
import type { BackupStatus } from "../bindings/BackupStatus";
import type { ConflictChoice } from "../bindings/ConflictChoice";
import type { ExchangePreview } from "../bindings/ExchangePreview";
import type { ImportColumn } from "../bindings/ImportColumn";
import type { ItemDetail } from "../bindings/ItemDetail";
import type { ListImportReport } from "../bindings/ListImportReport";
import type { ListImportRequest } from "../bindings/ListImportRequest";
import { MockBackend } from "../mock/backend";
import { forgetLastRestore } from "../components/data/BackupPanel.vue";
import { chineseTime, timeAgo } from "../components/data/labels";
import { chooseOption, installIpc, mountApp, settle, settleForms, typeDate, type Handler } from "./helpers";

const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const all = (css: string) => [...document.querySelectorAll<HTMLElement>(css)];
const text = (id: string) => byTestId(id)?.textContent ?? "";
const click = async (el: Element | null | undefined) => {
  if (!el) throw new Error("nothing to click");
  (el as HTMLElement).click();
  await settle();
};
/** Clicks the radio (el-radio) or checkbox marked `testid`. */
const tick = (testid: string) => click(byTestId(testid)?.querySelector("input"));
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
const isDisabled = (testid: string) => {
  const el = byTestId(testid);
  if (!el) throw new Error(`no ${testid}`);
  return (el as HTMLButtonElement).disabled || el.classList.contains("is-disabled");
};

/** The fake backend behind a call log; `over` answers first. */
function withMock(kind: "sample" | "real" = "sample", over: Handler = () => undefined) {
  const backend = new MockBackend(kind);
  const calls = installIpc((cmd, a) => {
    const answer = over(cmd, a);
    return answer !== undefined ? answer : backend.handle(cmd, a);
  }, kind);
  const argsOf = (cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args);
  return { backend, calls, argsOf };
}

const HOUR = 3_600_000;
function backup(partial: Partial<BackupInfo> = {}): BackupInfo {
  return {
    id: "20261129-001500-scheduled", createdAt: new Date(Date.now() - 3 * HOUR - 60_000).toISOString(), reason: "scheduled", note: null,
    dbBytes: 2_621_440, schemaVersion: 2, itemCount: 126, mediaCount: 340, ok: true, problem: null,
    ...partial,
  };
}
function status(backups: BackupInfo[]): BackupStatus {
  return {
    folder: "/home/user/.local/share/feiyi/registry/backups", lastGood: backups.find((b) => b.ok) ?? null, backups,
    policy: { intervalHours: 24, keepRecent: 10, keepDaily: 7, keepMonthly: 12 }, due: false,
  };
}

beforeEach(() => forgetLastRestore());

describe("数据 · the page", () => {
  it("sits under 设置 in the menu; the settings card shows the last good backup and opens it", async () => {
    withMock();
    const { wrapper, router } = await mountApp("/settings");
    expect(byTestId("nav-data")?.textContent).toContain("数据");
    expect(text("settings-last-backup")).toContain("最近一次完好的备份");
    expect(text("settings-last-backup")).toContain("3 小时前");
    await click(byTestId("open-data"));
    expect(router.currentRoute.value.path).toBe("/data");
    expect(byTestId("nav-data")?.classList.contains("is-active")).toBe(true);
    expect(byTestId("data-tabs")?.textContent).toContain("备份与恢复");
    expect(byTestId("data-tabs")?.textContent).toContain("导入名录");
    expect(byTestId("data-tabs")?.textContent).toContain("交换包");
    expect(byTestId("data-tabs")?.textContent).toContain("导入记录");
    wrapper.unmount();
  });

  it("says times the Chinese way", () => {
    const now = Date.parse("2026-11-29T03:15:00Z");
    expect(timeAgo("2026-11-29T00:15:00Z", now)).toBe("3 小时前");
    expect(timeAgo("2026-11-29T03:14:30Z", now)).toBe("刚刚");
    expect(timeAgo("2026-11-29T02:50:00Z", now)).toBe("25 分钟前");
    expect(timeAgo("2026-11-26T03:15:00Z", now)).toBe("3 天前");
    expect(timeAgo("2026-08-01T03:15:00Z", now)).toBe("3 个月前");
    expect(chineseTime("2026-11-29T00:15:00Z")).toMatch(/^2026年11月29日 \d\d:15$/);
  });
});

describe("数据 · 备份与恢复", () => {
  it("shows the last good backup in one line and every backup with its reason, size and state", async () => {
    const good = backup();
    const bad = backup({ id: "20261129-021500-manual", createdAt: new Date(Date.now() - HOUR).toISOString(), reason: "manual", note: "第七批录入前", ok: false, problem: "校验值不符，备份文件可能已损坏", dbBytes: 900_000 });
    const old = backup({ id: "20261120-001500-beforeImport", createdAt: new Date(Date.now() - 9 * 24 * HOUR).toISOString(), reason: "beforeImport", note: "第六批名录.xlsx", dbBytes: 512_000 });
    installIpc((cmd) => (cmd === "backup_status" ? status([bad, good, old]) : undefined));
    const { wrapper } = await mountApp("/data");

    const line = text("backup-last-good");
    expect(line).toContain(`最近一次完好的备份：${chineseTime(good.createdAt)}（3 小时前）`);
    expect(line).toContain("原因：定时");
    expect(line).toContain("项目 126 项");
    expect(line).toContain("资料 340 个");
    // the newest one is broken: said first, in red
    expect(byTestId("backup-newest-bad")?.classList.contains("el-alert--error")).toBe(true);
    expect(text("backup-newest-bad")).toContain("校验值不符，备份文件可能已损坏");
    expect(text("backup-folder")).toBe("/home/user/.local/share/feiyi/registry/backups");

    const rows = all('[data-testid="backup-row"]');
    expect(rows).toHaveLength(3);
    expect(rows[0].textContent).toContain("手动");
    expect(rows[0].textContent).toContain("第七批录入前");
    expect(rows[0].textContent).toContain("有问题");
    expect(rows[0].textContent).toContain("校验值不符");
    expect(rows[1].textContent).toContain("定时");
    expect(rows[1].textContent).toContain("完好");
    expect(rows[1].textContent).toContain("2.5 MB");
    expect(rows[2].textContent).toContain("导入前");
    expect(rows[2].textContent).toContain("500 KB");
    expect(isDisabled(`backup-restore-${bad.id}`)).toBe(true);
    expect(isDisabled(`backup-restore-${good.id}`)).toBe(false);
    wrapper.unmount();
  });

  it("warns when there is no backup at all", async () => {
    installIpc((cmd) => (cmd === "backup_status" ? status([]) : undefined));
    const { wrapper } = await mountApp("/data");
    expect(text("backup-last-good")).toContain("还没有备份");
    expect(byTestId("backup-last-good")?.classList.contains("el-alert--warning")).toBe(true);
    wrapper.unmount();
  });

  it("立即备份 sends the note and adds a row", async () => {
    const { argsOf } = withMock();
    const { wrapper } = await mountApp("/data");
    const before = all('[data-testid="backup-row"]').length;
    expect(before).toBe(6);
    await type("backup-note", "第七批录入前");
    await click(byTestId("backup-create"));
    expect(argsOf("backup_create")).toEqual([{ note: "第七批录入前" }]);
    const rows = all('[data-testid="backup-row"]');
    expect(rows).toHaveLength(before + 1);
    expect(rows[0].textContent).toContain("手动");
    expect(rows[0].textContent).toContain("第七批录入前");
    expect(text("backup-last-good")).toContain("原因：手动");
    wrapper.unmount();
  });

  it("restores only after saying what will happen, then reloads the registry and lists missing media", async () => {
    const { backend, calls, argsOf } = withMock();
    const live = () => backend.items.filter((i) => !i.deletedAt).length;
    const original = live();
    const { wrapper } = await mountApp("/data");
    // something changed since the backups were made
    backend.handle("backup_create", { note: null });
    const target = backend.data.backups.find((b) => b.reason === "beforeMigration")!;
    backend.handle("item_delete", { id: backend.items[0].id, reason: "测试" });
    expect(live()).toBe(original - 1);

    await click(byTestId(`backup-restore-${target.id}`));
    await settleForms();
    const dialog = text("backup-restore-dialog");
    expect(dialog).toContain(`将把名录恢复到 ${chineseTime(target.createdAt)} 的状态。恢复前会先把当前状态另存为一个备份，可随时再恢复回来。`);
    expect(argsOf("backup_restore")).toEqual([]);

    const infoCalls = calls.filter((c) => c.cmd === "registry_info").length;
    await click(byTestId("backup-restore-confirm"));
    await settleForms();
    expect(argsOf("backup_restore")).toEqual([{ id: target.id }]);
    expect(calls.filter((c) => c.cmd === "registry_info").length).toBeGreaterThan(infoCalls);
    expect(live()).toBe(original);
    expect(text("backup-restore-result")).toContain(`已恢复到 ${chineseTime(target.createdAt)} 的状态`);
    expect(text("backup-missing-media")).toContain("示例 2019年运河庙会录像.mp4");
    // the state it replaced is a backup of its own
    expect(all('[data-testid="backup-row"]')[0].textContent).toContain("恢复前");
    wrapper.unmount();
  });

  it("saves the keeping rule", async () => {
    const { argsOf, backend } = withMock();
    const { wrapper } = await mountApp("/data");
    expect(isDisabled("backup-policy-save")).toBe(true);
    await type("backup-policy-interval", "0");
    await type("backup-policy-recent", "5");
    await click(byTestId("backup-policy-save"));
    expect(argsOf("backup_policy_save")).toEqual([{ policy: { intervalHours: 0, keepRecent: 5, keepDaily: 14, keepMonthly: 12 } }]);
    expect(backend.data.policy.intervalHours).toBe(0);
    wrapper.unmount();
  });
});

/** Picks the made-up spreadsheet, chooses 第六批 and previews it. */
async function previewSheet(batch = true) {
  await click(byTestId("import-pick"));
  if (batch) await chooseOption("import-batch", "第六批");
  await click(byTestId("import-next"));
  await settle();
}

describe("数据 · 导入名录", () => {
  it("previews the picked sheet: counts, legacy categories mapped, errors and warnings on their rows", async () => {
    const { argsOf, backend } = withMock();
    const { wrapper } = await mountApp("/data?tab=import");
    await click(byTestId("import-pick"));
    expect(argsOf("pick_file")).toEqual([{ title: "选择要导入的名录表格", kind: "sheet" }]);
    expect(text("import-path")).toBe("/home/user/桌面/示例 台儿庄区非遗名录（旧表）.xlsx");
    await chooseOption("import-batch", "第六批");
    await click(byTestId("import-next"));
    await settle();
    const b6 = backend.batches.find((b) => b.number === 6)!.id;
    expect(argsOf("import_list_preview")).toEqual([
      { request: { path: "/home/user/桌面/示例 台儿庄区非遗名录（旧表）.xlsx", sheet: null, headerRow: null, columns: null, batchId: b6 } },
    ]);

    expect(text("import-count-create")).toBe("将新增 7 项");
    expect(text("import-count-skip")).toBe("跳过 4 行");
    expect(text("import-count-error")).toBe("错误 2 行");
    expect(text("import-count-warning")).toBe("警告 1 行");
    expect(text("import-error-note")).toContain("不会导入");

    const rows = all('[data-testid="import-row"]');
    expect(rows).toHaveLength(13);
    const row = (n: number) => rows.find((r) => r.querySelector("td")?.textContent?.trim() === String(n))!;
    expect(row(7).textContent).toContain("传统技艺（原表：传统手工技艺）");
    expect(row(5).textContent).toContain("传统音乐（原表：民间音乐）");
    expect(row(5).textContent).toContain("运河街道、邳庄镇");
    expect(row(5).textContent).toContain("第六批");
    expect(row(8).textContent).toContain("错误·不导入");
    expect(row(9).querySelector(".bad-cell")?.textContent).toBe("民间杂耍");
    expect(row(8).textContent).toContain("项目名称为空");
    expect(row(8).querySelector(".msg-error")).not.toBeNull();
    expect(row(9).textContent).toContain("类别“民间杂耍”无法识别");
    expect(row(14).querySelector(".msg-warning")?.textContent).toContain("与第 5 行项目名称相同");
    expect(row(3).textContent).toContain("跳过");

    // only the errors
    await click(all('[data-testid="import-filter"] .el-radio-button').find((e) => e.textContent?.includes("错误")));
    expect(all('[data-testid="import-row"]').map((r) => r.querySelector("td")?.textContent?.trim())).toEqual(["8", "9"]);
    wrapper.unmount();
  });

  it("re-reads with the clerk's column mapping; with nothing to import the commit is disabled", async () => {
    const { argsOf } = withMock();
    const { wrapper } = await mountApp("/data?tab=import");
    await previewSheet();
    expect(text("import-map-3")).toBe("类别");
    await chooseOption("import-map-3", "不导入");
    await settle();
    const sent = argsOf("import_list_preview").pop()!.request as ListImportRequest;
    expect(sent.columns?.map((c: ImportColumn) => c.field)).toEqual(["seq", "code", "name", "ignore", "area", "unit", "inheritors", "ignore"]);
    expect(sent.columns?.[2]).toEqual({ index: 2, header: "项目名称", field: "name" });
    expect(text("import-count-create")).toBe("将新增 0 项");
    expect(text("import-count-error")).toBe("错误 9 行");
    expect(text("import-map-3")).toBe("不导入");

    await click(byTestId("import-to-commit"));
    expect(text("import-nothing")).toContain("没有可以导入的行");
    expect(byTestId("import-commit")?.textContent).toContain("导入 0 项");
    expect(isDisabled("import-commit")).toBe(true);
    await click(byTestId("import-commit"));
    expect(argsOf("import_list_commit")).toEqual([]);
    wrapper.unmount();
  });

  it("imports the previewed request, shows the import id, and undoes it only with a reason", async () => {
    const { argsOf, backend, calls } = withMock();
    const { wrapper } = await mountApp("/data?tab=import");
    await previewSheet();
    await click(byTestId("import-to-commit"));
    expect(byTestId("import-commit")?.textContent).toContain("导入 7 项");
    const infoCalls = calls.filter((c) => c.cmd === "registry_info").length;
    await click(byTestId("import-commit"));
    expect(argsOf("import_list_commit")).toEqual([{ request: argsOf("import_list_preview")[0].request }]);
    expect(text("import-result")).toContain("已导入 7 项");
    expect(text("import-result-id")).toBe("import-0003");
    expect(calls.filter((c) => c.cmd === "registry_info").length).toBeGreaterThan(infoCalls);
    const imported = backend.items.filter((i) => i.name.startsWith("示例·") && !i.deletedAt);
    expect(imported.map((i) => i.name)).toContain("示例·运河号子");
    expect(imported).toHaveLength(7);
    expect(backend.data.backups[0].reason).toBe("beforeImport");

    await click(byTestId("import-undo"));
    await settleForms();
    expect(text("reason-dialog")).toContain("移入回收站");
    await click(byTestId("reason-confirm"));
    await settleForms();
    expect(text("reason-dialog")).toContain("请填写撤销原因");
    expect(argsOf("import_undo")).toEqual([]);
    await type("reason-input", "选错了文件");
    await click(byTestId("reason-confirm"));
    await settle();
    expect(argsOf("import_undo")).toEqual([{ id: "import-0003", reason: "选错了文件" }]);
    expect(text("import-undone")).toContain("已移入回收站");
    expect(backend.items.filter((i) => i.name.startsWith("示例·") && !i.deletedAt)).toHaveLength(0);
    expect(byTestId("import-undo")).toBeNull();
    wrapper.unmount();
  });

  it("shows why a file is refused, in Chinese, and stays on the first step", async () => {
    withMock("sample", (cmd) => (cmd === "pick_file" ? "/home/user/桌面/名录说明.docx" : undefined));
    const { wrapper } = await mountApp("/data?tab=import");
    await previewSheet(false);
    expect(text("import-error")).toContain("“名录说明.docx”不是表格文件");
    expect(text("import-error")).toContain("名录没有任何改动");
    expect(byTestId("import-preview-table")).toBeNull();
    expect(byTestId("import-step-file")).not.toBeNull();
    wrapper.unmount();
  });

  it("keeps the last preview when another sheet cannot be read", async () => {
    const { argsOf } = withMock();
    const { wrapper } = await mountApp("/data?tab=import");
    await previewSheet();
    await chooseOption("import-sheet", "填表说明");
    await settle();
    expect(argsOf("import_list_preview").pop()).toMatchObject({ request: { sheet: "填表说明", columns: null } });
    expect(text("import-error")).toContain("找不到表头");
    expect(all('[data-testid="import-row"]')).toHaveLength(13);
    wrapper.unmount();
  });
});

describe("数据 · 交换包", () => {
  it("exports the changes since a day (a day is required), with media by default", async () => {
    const { argsOf } = withMock();
    const { wrapper } = await mountApp("/data?tab=exchange");
    await tick("exchange-export-since");
    await click(byTestId("exchange-export"));
    await settleForms();
    expect(byTestId("exchange-export-card")?.textContent).toContain("请选择从哪一天起的修改");
    expect(argsOf("pick_save_file")).toEqual([]);

    await typeDate("exchange-since-date", "2024-03-01");
    await click(byTestId("exchange-export"));
    await settle();
    const [save] = argsOf("pick_save_file");
    expect(save.title).toBe("保存交换包");
    expect(save.defaultName).toMatch(/^示例名录 交换包 \d{4}-\d{2}-\d{2}\.zip$/);
    expect(argsOf("exchange_export")).toEqual([
      { request: { out: `/home/user/桌面/${save.defaultName as string}`, since: "2024-03-01", includeMedia: true } },
    ]);
    expect(text("exchange-export-result")).toContain("交换包已导出");
    expect(text("exchange-export-path")).toBe(`/home/user/桌面/${save.defaultName as string}`);
    expect(text("exchange-export-result")).toContain("项目");

    await tick("exchange-export-all");
    await tick("exchange-include-media");
    await click(byTestId("exchange-export"));
    await settle();
    expect(argsOf("exchange_export").pop()).toMatchObject({ request: { since: null, includeMedia: false } });
    expect(text("exchange-export-result")).toMatch(/资料原件\s*0 个/);
    wrapper.unmount();
  });

  it("shows the package's conflicts; merge waits for every field; 全部采用交换包 fills; the choices are sent", async () => {
    const { argsOf, backend } = withMock();
    const hg = backend.items.find((i) => i.name === "鲁南花鼓")!;
    const before = backend.handle("item_get", { id: hg.id }) as ItemDetail;
    const { wrapper } = await mountApp("/data?tab=exchange");
    await click(byTestId("exchange-pick"));
    expect(argsOf("pick_file")).toEqual([{ title: "选择要导入的交换包", kind: "package" }]);
    const path = "/home/user/桌面/示例 市文旅局 交换包 2026-11-20.zip";
    expect(argsOf("exchange_inspect")).toEqual([{ path }]);

    const preview = text("exchange-preview");
    expect(preview).toContain("枣庄市文化和旅游局 非遗名录（示例）");
    expect(text("exchange-count-added")).toBe("新增 2 条");
    expect(text("exchange-count-updated")).toBe("更新 1 条");
    expect(text("exchange-count-conflicts")).toContain("两边都改过 1 条（2 个字段）");
    expect(byTestId("exchange-sample")).toBeNull();

    const card = byTestId(`exchange-conflict-item-${hg.id}`)!;
    expect(card.textContent).toContain("鲁南花鼓");
    expect(card.textContent).toContain("项目简介");
    expect(card.textContent).toContain("历史渊源");
    expect(card.textContent).toContain("鲁南花鼓是一种民间舞蹈。"); // the shared value
    expect(card.textContent).toContain(before.texts.summary!); // this registry's
    expect(card.textContent).toContain("市文旅局校订稿"); // the package's

    const merge = () => byTestId("exchange-merge")!;
    expect(isDisabled("exchange-merge")).toBe(true);
    expect(merge().textContent).toContain("还有 2 个字段未选择");
    await tick(`exchange-take-item-${hg.id}-texts.summary-local`);
    expect(isDisabled("exchange-merge")).toBe(true);
    expect(merge().textContent).toContain("还有 1 个字段未选择");
    await click(byTestId("exchange-all-remote"));
    expect(isDisabled("exchange-merge")).toBe(false);
    expect((byTestId(`exchange-take-item-${hg.id}-texts.history-remote`)?.querySelector("input") as HTMLInputElement).checked).toBe(true);
    expect((byTestId(`exchange-take-item-${hg.id}-texts.summary-remote`)?.querySelector("input") as HTMLInputElement).checked).toBe(true);
    // the clerk keeps this registry's summary after all
    await tick(`exchange-take-item-${hg.id}-texts.summary-local`);
    await click(merge());
    const choices: ConflictChoice[] = [
      { kind: "item", id: hg.id, field: "texts.summary", take: "local" },
      { kind: "item", id: hg.id, field: "texts.history", take: "remote" },
    ];
    expect(argsOf("exchange_import")).toEqual([{ path, choices }]);
    expect(text("exchange-result")).toContain("已合并到本机名录");
    expect(text("exchange-result-id")).toMatch(/^import-\d{4}$/);
    const after = backend.handle("item_get", { id: hg.id }) as ItemDetail;
    expect(after.texts.summary).toBe(before.texts.summary);
    expect(after.texts.history).toContain("市文旅局校订稿");
    expect(backend.items.some((i) => i.name === "示例·运河船工号子")).toBe(true);
    wrapper.unmount();
  });

  it("shows the core's refusal of the merge, and keeps a sample package out of the real register", async () => {
    const sample: ExchangePreview = {
      path: "/home/user/桌面/示例名录 交换包.zip", packageId: "p1", sourceTitle: "示例名录（虚构数据）", createdBy: "张三", createdAt: "2026-11-20T02:00:00Z",
      scope: "all", sample: true, added: [{ kind: "item", id: "x1", label: "示例·某项目", action: "add", fields: [] }], addedCount: 1, updated: [], updatedCount: 0, unchanged: 0, conflicts: [],
      mediaFiles: 0, importId: null, warnings: ["新增的项目“示例·某项目”与本机已有的一个项目同名，是否是同一个，请核对"],
    };
    let answer: ExchangePreview = { ...sample, sample: false };
    installIpc((cmd) => {
      if (cmd === "pick_file") return sample.path;
      if (cmd === "exchange_inspect") return answer;
      if (cmd === "exchange_import") throw { code: "conflict", message: "还有 2 个冲突字段未选择：鲁南花鼓 · 项目简介、鲁南花鼓 · 历史渊源。名录没有任何改动。" };
      return undefined;
    });
    const { wrapper } = await mountApp("/data?tab=exchange");
    await click(byTestId("exchange-pick"));
    expect(text("exchange-warning")).toContain("同名");
    await click(byTestId("exchange-merge"));
    expect(text("exchange-merge-error")).toContain("还有 2 个冲突字段未选择");
    expect(byTestId("exchange-result")).toBeNull();

    answer = sample;
    await click(byTestId("exchange-pick"));
    expect(text("exchange-sample")).toContain("不能并入正式名录");
    expect(byTestId("exchange-sample")?.classList.contains("el-alert--error")).toBe(true);
    expect(isDisabled("exchange-merge")).toBe(true);
    wrapper.unmount();
  });

  it("counts every record of a huge package but lists only the lines the core sent", async () => {
    const added = Array.from({ length: 500 }, (_, n) => ({ kind: "inheritor", id: `h${n}`, label: `示例·传承人${n}`, action: "add", fields: [] }));
    const big: ExchangePreview = {
      path: "/home/user/桌面/示例 全省 交换包.zip", packageId: "p2", sourceTitle: "示例名录（虚构数据）", createdBy: "张三", createdAt: "2026-11-20T02:00:00Z",
      scope: "all", sample: true, added, addedCount: 2_436_861, updated: added.slice(0, 3), updatedCount: 3, unchanged: 0, conflicts: [],
      mediaFiles: 0, importId: null, warnings: [],
    };
    withMock("sample", (cmd) => (cmd === "pick_file" ? big.path : cmd === "exchange_inspect" ? big : undefined));
    const { wrapper } = await mountApp("/data?tab=exchange");
    await click(byTestId("exchange-pick"));
    expect(text("exchange-count-added")).toBe("新增 2436861 条");
    expect(text("exchange-count-updated")).toBe("更新 3 条");
    expect(text("exchange-preview")).toContain("将新增的记录（共 2436861 条，列出前 500 条）");
    expect(text("exchange-preview")).toContain("将更新的记录（3）");
    wrapper.unmount();
  });

  it("says why a file is not a package", async () => {
    withMock("sample", (cmd) => (cmd === "pick_file" ? "/home/user/桌面/名录.xlsx" : undefined));
    const { wrapper } = await mountApp("/data?tab=exchange");
    await click(byTestId("exchange-pick"));
    expect(text("exchange-error")).toContain("“名录.xlsx”不是交换包");
    expect(text("exchange-error")).toContain("名录没有任何改动");
    expect(byTestId("exchange-preview")).toBeNull();
    wrapper.unmount();
  });
});

describe("数据 · 导入记录", () => {
  it("lists every import and undoes one with a reason, its records going to the recycle bin", async () => {
    const { backend, argsOf } = withMock();
    const path = "/home/user/桌面/示例 台儿庄区非遗名录（旧表）.csv";
    const done = backend.handle("import_list_commit", { request: { path, sheet: null, headerRow: null, columns: null, batchId: null } }) as ListImportReport;
    const { wrapper } = await mountApp("/data?tab=history");
    const rows = all('[data-testid="import-run"]');
    expect(rows).toHaveLength(3);
    expect(rows[0].textContent).toContain("名录表格");
    expect(rows[0].textContent).toContain("示例 台儿庄区非遗名录（旧表）.csv");
    expect(rows[0].textContent).toContain("张三");
    expect(rows[0].textContent).toContain("已导入");
    expect(rows.some((r) => r.textContent?.includes("资料"))).toBe(true);
    expect(rows.some((r) => r.textContent?.includes("已撤销"))).toBe(true);
    expect(all('[data-testid^="import-run-undo-"]')).toHaveLength(1);

    await click(byTestId(`import-run-undo-${done.importId}`));
    await settleForms();
    const dialog = text("reason-dialog");
    expect(dialog).toContain("新增的 7 条记录将移入回收站");
    expect(dialog).toContain("回收站中恢复");
    await type("reason-input", "表格有误，整理后重新导入");
    await click(byTestId("reason-confirm"));
    await settle();
    expect(argsOf("import_undo")).toEqual([{ id: done.importId, reason: "表格有误，整理后重新导入" }]);
    expect(all('[data-testid="import-run"]')[0].textContent).toContain("已撤销");
    expect(byTestId(`import-run-undo-${done.importId}`)).toBeNull();
    const recycled = backend.handle("recycle_list", {}) as { name: string; reason: string }[];
    expect(recycled.filter((r) => r.name.startsWith("示例·"))).toHaveLength(7);
    expect(recycled.find((r) => r.name === "示例·运河传说")?.reason).toContain("表格有误，整理后重新导入");
    wrapper.unmount();
  });
});

describe("mock backend · data", () => {
  const call = (b: MockBackend, cmd: string, args: Record<string, unknown> = {}) => {
    try {
      return { ok: b.handle(cmd, args) };
    } catch (e) {
      return { err: e as { code: string; message: string } };
    }
  };

  it("refuses a merge with unchosen conflicts, changes nothing, and finds nothing new once merged", () => {
    const b = new MockBackend("sample");
    const path = call(b, "pick_file", { title: "x", kind: "package" }).ok as string;
    const preview = call(b, "exchange_inspect", { path }).ok as ExchangePreview;
    expect([preview.added.length, preview.updated.length, preview.conflicts.length, preview.conflicts[0].fields.length]).toEqual([2, 1, 1, 2]);
    const items = b.items.length;
    const refused = call(b, "exchange_import", { path, choices: [] }).err!;
    expect(refused.code).toBe("conflict");
    expect(refused.message).toContain("还有 2 个冲突字段未选择");
    expect(b.items.length).toBe(items);
    const c = preview.conflicts[0];
    const choices = c.fields.map((f) => ({ kind: c.kind, id: c.id, field: f.field, take: "local" }));
    expect((call(b, "exchange_import", { path, choices }).ok as ExchangePreview).importId).toBeTruthy();
    expect(b.items.length).toBe(items + 2);
    const again = call(b, "exchange_inspect", { path }).ok as ExchangePreview;
    expect([again.added.length, again.updated.length, again.conflicts.length]).toEqual([0, 0, 0]);
  });

  it("warns about names already in the register when the same sheet is imported twice", () => {
    const b = new MockBackend("real");
    const request = { path: "/tmp/名录.xlsx", sheet: null, headerRow: null, columns: null, batchId: null };
    expect((call(b, "import_list_commit", { request }).ok as ListImportReport).counts.create).toBe(7);
    const again = call(b, "import_list_preview", { request }).ok as ListImportReport;
    expect(again.counts.warning).toBe(7);
    expect(again.rows.find((r) => r.name === "示例·运河传说")?.messages.map((m) => m.message).join()).toContain("名录中已有同名项目");
    expect(call(b, "backup_restore", { id: "nope" }).err?.code).toBe("not_found");
  });
});

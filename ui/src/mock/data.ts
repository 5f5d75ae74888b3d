// The in-memory fake of the data commands (设置 → 数据): backups and restore, the list import
// from a spreadsheet, exchange packages and the import history, for the development preview
// (dev-mock.html) and UI tests. The “spreadsheet” and the “package” are made up here; every
// name in them is marked 示例. Backups keep a copy of the fake's items and batches, so that a
// restore really puts them back.
import type { Batch } from "../bindings/Batch";
import type { BackupInfo } from "../bindings/BackupInfo";
import type { BackupPolicy } from "../bindings/BackupPolicy";
import type { BackupReason } from "../bindings/BackupReason";
import type { BackupStatus } from "../bindings/BackupStatus";
import type { ConflictChoice } from "../bindings/ConflictChoice";
import type { ExchangeExportRequest } from "../bindings/ExchangeExportRequest";
import type { ExchangePreview } from "../bindings/ExchangePreview";
import type { ExchangeSummary } from "../bindings/ExchangeSummary";
import type { FieldError } from "../bindings/FieldError";
import type { ImportColumn } from "../bindings/ImportColumn";
import type { ImportField } from "../bindings/ImportField";
import type { ImportMessage } from "../bindings/ImportMessage";
import type { ImportRow } from "../bindings/ImportRow";
import type { ImportRun } from "../bindings/ImportRun";
import type { ItemDetail } from "../bindings/ItemDetail";
import type { ItemInput } from "../bindings/ItemInput";
import type { ListImportReport } from "../bindings/ListImportReport";
import type { ListImportRequest } from "../bindings/ListImportRequest";
import type { RecordChange } from "../bindings/RecordChange";
import type { RecordConflict } from "../bindings/RecordConflict";
import type { ReferenceData } from "../bindings/ReferenceData";
import type { RegistryInfo } from "../bindings/RegistryInfo";
import type { RestoreResult } from "../bindings/RestoreResult";
import { baseName, emptyTexts } from "../format";
import { UNHANDLED, type MockHost } from "./people";

/** What the data fake needs: the other fake commands and the records it backs up. */
export interface DataHost extends MockHost {
  handle(cmd: string, a: Record<string, unknown>): unknown;
  info: RegistryInfo;
  items: { id: string; name: string; category: string; seq: number; updatedAt: string; deletedAt: string | null }[];
  batches: Batch[];
  log: unknown[];
}

function fail(code: string, message: string, fields?: FieldError[]): never {
  throw fields ? { code, message, fields } : { code, message };
}

const NOTHING_CHANGED = "名录没有任何改动。";
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const pad = (n: number) => String(n).padStart(2, "0");

/** `YYYYMMDD-HHMMSS` in UTC, as the core names a backup's folder. */
function stampId(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}-${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;
}

/** The first national list's category names (2006) and other old wordings, mapped to today's ten. */
const LEGACY_CATEGORIES: Record<string, string> = {
  民间文学: "Ⅰ",
  民间音乐: "Ⅱ",
  民间舞蹈: "Ⅲ",
  戏曲: "Ⅳ",
  杂技与竞技: "Ⅵ",
  民间美术: "Ⅶ",
  传统手工技艺: "Ⅷ",
  手工技艺: "Ⅷ",
  民间医药: "Ⅸ",
};

/** The header row of the made-up spreadsheet (row 2; row 1 is the sheet's title). */
const SHEET_HEADER = ["序号", "项目编号", "项目名称", "类别", "申报地区或单位", "保护单位", "传承人", "备注"];
/** Rows 3… of the made-up spreadsheet. */
const SHEET_ROWS: string[][] = [
  ["一、民间文学和传统音乐", "", "", "", "", "", "", ""],
  ["1", "Ⅰ-41", "示例·运河传说", "民间文学", "运河街道", "示例区文化馆", "示例·王某某", ""],
  ["2", "Ⅱ-41", "示例·运河号子", "民间音乐", "运河街道、邳庄镇", "示例区文化馆", "示例·李某某、示例·张某某", ""],
  ["二、传统技艺和民俗", "", "", "", "", "", "", ""],
  ["3", "Ⅷ-41", "示例·黑陶烧制技艺", "传统手工技艺", "张山子镇", "示例黑陶研究所", "示例·刘某某", ""],
  ["4", "Ⅷ-42", "", "传统技艺", "泥沟镇", "", "", "名称待补"],
  ["5", "Ⅵ-41", "示例·台儿庄竹马", "民间杂耍", "马兰屯镇", "", "", ""],
  ["6", "Ⅹ-41", "示例·运河灯会", "民俗", "运河街道", "示例区文化馆", "", ""],
  ["7", "Ⅵ-42", "示例·石锁功", "杂技与竞技", "涧头集镇", "", "示例·孙某某", ""],
  ["8", "Ⅳ-41", "示例·柳琴小戏", "传统戏剧", "泥沟镇、马兰屯镇", "示例柳琴剧团", "", ""],
  ["3", "Ⅷ-41", "示例·黑陶烧制技艺", "传统手工技艺", "张山子镇", "示例黑陶研究所", "示例·刘某某", ""],
  ["9", "Ⅱ-42", "示例·运河号子", "传统音乐", "台儿庄古城", "", "", "与第 2 项同名，待核"],
  ["", "", "", "", "", "", "", ""],
];
const SHEET_HEADER_ROW = 2;
const AUTO_FIELDS: Record<string, ImportField> = {
  序号: "seq", 项目编号: "code", 编号: "code", 项目名称: "name", 名称: "name", 类别: "category", 门类: "category",
  申报地区或单位: "area", 分布地点: "area", 保护单位: "unit", 传承人: "inheritors", 批次: "batch",
};

/** The made-up exchange package: two new items, one changed there only, one changed on both sides. */
const PACKAGE = {
  sourceTitle: "枣庄市文化和旅游局 非遗名录（示例）",
  createdBy: "市文旅局 李某（示例）",
  packageId: "pkg-示例-20261120",
  added: [
    { name: "示例·运河船工号子", category: "Ⅱ" },
    { name: "示例·台儿庄木版年画", category: "Ⅶ" },
  ],
  updated: { name: "柳琴戏", summary: "柳琴戏是流行于鲁南、苏北一带的地方戏曲剧种，因主要伴奏乐器柳叶琴得名（市文旅局校订稿，示例文字）。" },
  conflict: {
    name: "鲁南花鼓",
    fields: [
      { field: "texts.summary", label: "项目简介", base: "鲁南花鼓是一种民间舞蹈。", remote: "鲁南花鼓是流传于台儿庄运河两岸的民间舞蹈，以花鼓、彩扇为道具，边歌边舞（市文旅局校订稿，示例文字）。" },
      { field: "texts.history", label: "历史渊源", base: "相传起源于明代。", remote: "相传起源于明代运河漕运兴盛时期，清代中期随船工传入台儿庄（市文旅局校订稿，示例文字）。" },
    ],
  },
  mediaFiles: 3,
};

type MockBackup = BackupInfo & { snapshot: string | null; missing: string[] };
type MockRun = ImportRun & { itemIds: string[] };

export class DataMock {
  backups: MockBackup[] = [];
  policy: BackupPolicy = { intervalHours: 24, keepRecent: 10, keepDaily: 14, keepMonthly: 12 };
  runs: MockRun[] = [];
  /** Packages already merged (by path): inspecting them again finds nothing new. */
  merged = new Set<string>();
  private runNo = 1;

  constructor(private host: DataHost) {}

  rebind(host: DataHost): this {
    this.host = host;
    return this;
  }

  // ---- state --------------------------------------------------------------------------------

  private snapshot(): string {
    return JSON.stringify({ items: this.host.items, batches: this.host.batches });
  }

  private liveItems() {
    return this.host.items.filter((i) => !i.deletedAt);
  }

  private mediaCount(): number {
    const page = this.host.handle("media_list", {
      query: { kind: null, entity: null, entityId: null, query: null, confidential: null, dateFrom: null, dateTo: null, deleted: false, page: 1, pageSize: 1 },
    }) as { total: number };
    return page.total;
  }

  private folder() {
    return `${this.host.info.dataDir}/backups`;
  }

  private makeBackup(reason: BackupReason, note: string | null, at = Date.now(), extra: Partial<MockBackup> = {}): MockBackup {
    let id = `${stampId(at)}-${reason}`;
    for (let n = 2; this.backups.some((b) => b.id === id); n++) id = `${stampId(at)}-${reason}-${n}`;
    const items = this.liveItems().length;
    const b: MockBackup = {
      id, createdAt: new Date(at).toISOString(), reason, note, dbBytes: 180_000 + items * 5_300, schemaVersion: this.host.info.schemaVersion,
      itemCount: items, mediaCount: this.mediaCount(), ok: true, problem: null, snapshot: this.snapshot(), missing: [],
      ...extra,
    };
    this.backups.push(b);
    this.backups.sort((x, y) => y.createdAt.localeCompare(x.createdAt) || y.id.localeCompare(x.id));
    return b;
  }

  /** Backups and imports of the sample registry, relative to the clock (so the page reads “3 小时前”). */
  seed() {
    const now = Date.now();
    this.makeBackup("beforeMigration", "数据版本 1 → 2", now - 62 * DAY, { missing: ["示例 2019年运河庙会录像.mp4"] });
    this.makeBackup("scheduled", null, now - 40 * DAY, {
      ok: false,
      problem: "校验值与备份时记录的不一致，备份文件可能已损坏，不能用于恢复",
      snapshot: null,
    });
    this.makeBackup("beforeImport", "示例 第六批名录.xlsx", now - 5 * DAY - 2 * HOUR);
    this.makeBackup("manual", "第六批录入完毕", now - 2 * DAY - 5 * HOUR);
    this.makeBackup("scheduled", null, now - 27 * HOUR);
    this.makeBackup("scheduled", null, now - 3 * HOUR);
    this.runs.push(
      {
        id: "import-0001", kind: "list", source: "示例 第六批名录.xlsx", startedAt: new Date(now - 5 * DAY - 2 * HOUR).toISOString(),
        actor: "张三", created: 11, updated: 0, undoneAt: new Date(now - 5 * DAY - HOUR).toISOString(), undoable: false, itemIds: [],
      },
      {
        id: "import-0002", kind: "media", source: "2024 春节花鼓展演照片（示例）", startedAt: new Date(now - 4 * DAY).toISOString(),
        actor: "李四", created: 24, updated: 0, undoneAt: null, undoable: false, itemIds: [],
      },
    );
    this.runNo = 3;
  }

  private runId() {
    return `import-${String(this.runNo++).padStart(4, "0")}`;
  }

  // ---- backups ------------------------------------------------------------------------------

  private status(): BackupStatus {
    const backups = this.backups.map(({ snapshot: _s, missing: _m, ...b }) => b);
    const newest = this.backups[0];
    return {
      folder: this.folder(),
      lastGood: backups.find((b) => b.ok) ?? null,
      backups,
      policy: { ...this.policy },
      due: this.policy.intervalHours > 0 && (!newest || Date.now() - Date.parse(newest.createdAt) > this.policy.intervalHours * HOUR),
    };
  }

  private info(b: MockBackup): BackupInfo {
    const { snapshot: _s, missing: _m, ...rest } = b;
    return rest;
  }

  private restore(id: string): RestoreResult {
    const b = this.backups.find((x) => x.id === id) ?? fail("not_found", `找不到备份：${id}`);
    if (!b.ok || !b.snapshot) fail("validation", `这个备份有问题（${b.problem ?? "无法读取"}），不能用于恢复。${NOTHING_CHANGED}`);
    const safety = this.makeBackup("beforeRestore", "恢复备份前的名录");
    const state = JSON.parse(b.snapshot) as { items: DataHost["items"]; batches: Batch[] };
    this.host.items = state.items;
    this.host.batches = state.batches;
    return { restored: this.info(b), safetyBackup: this.info(safety), missingMedia: [...b.missing] };
  }

  private savePolicy(p: BackupPolicy): BackupStatus {
    const errors: FieldError[] = [];
    const whole = (v: unknown) => typeof v === "number" && Number.isInteger(v);
    if (!whole(p.intervalHours) || p.intervalHours < 0 || p.intervalHours > 720) errors.push({ field: "intervalHours", message: "间隔应为 0 到 720 小时的整数（0 表示不自动备份）" });
    if (!whole(p.keepRecent) || p.keepRecent < 1) errors.push({ field: "keepRecent", message: "至少保留最近 1 个备份" });
    if (!whole(p.keepDaily) || p.keepDaily < 0) errors.push({ field: "keepDaily", message: "天数不能为负" });
    if (!whole(p.keepMonthly) || p.keepMonthly < 0) errors.push({ field: "keepMonthly", message: "月数不能为负" });
    if (errors.length) fail("validation", `输入有误：${errors.map((e) => e.message).join("；")}`, errors);
    this.policy = { ...p };
    return this.status();
  }

  // ---- list import --------------------------------------------------------------------------

  private reference(): ReferenceData {
    return this.host.handle("reference_data", {}) as ReferenceData;
  }

  /** Reads the made-up file at `path`, as the core reads a real one. */
  private read(req: ListImportRequest): { format: string; sheets: string[]; sheet: string } {
    const path = req.path ?? "";
    const name = baseName(path);
    const ext = (/\.([^.\\/]+)$/.exec(name)?.[1] ?? "").toLowerCase();
    if (!["xlsx", "xls", "ods", "csv"].includes(ext)) {
      fail("bad_input", `“${name}”不是表格文件：请选择 Excel（.xlsx、.xls）、WPS 或 LibreOffice（.ods）或 CSV 文件。${NOTHING_CHANGED}`);
    }
    if (name.includes("损坏")) fail("bad_input", `无法读取“${name}”：文件已损坏或不是有效的表格。${NOTHING_CHANGED}`);
    const sheets = ext === "csv" ? [name.replace(/\.csv$/i, "")] : ["区级名录（示例）", "填表说明"];
    const sheet = req.sheet ?? sheets[0];
    if (!sheets.includes(sheet)) fail("bad_input", `“${name}”中没有名为“${sheet}”的工作表。${NOTHING_CHANGED}`);
    if (sheet === "填表说明") {
      fail("bad_input", `工作表“${sheet}”的前 20 行中找不到表头（应有“项目名称”“类别”等列名），请选择其他工作表。${NOTHING_CHANGED}`);
    }
    if (req.headerRow !== null && req.headerRow !== undefined && req.headerRow !== SHEET_HEADER_ROW) {
      fail("bad_input", `第 ${req.headerRow} 行不像表头（找不到“项目名称”“类别”等列名），表头应在第 ${SHEET_HEADER_ROW} 行。${NOTHING_CHANGED}`);
    }
    return { format: ext === "csv" ? "csv (GBK)" : ext, sheets, sheet };
  }

  private preview(req: ListImportRequest): ListImportReport {
    const { format, sheets, sheet } = this.read(req);
    const ref = this.reference();
    const columns: ImportColumn[] = req.columns?.length
      ? req.columns.map((c) => ({ index: c.index, header: SHEET_HEADER[c.index] ?? c.header, field: c.field }))
      : SHEET_HEADER.map((header, index) => ({ index, header, field: AUTO_FIELDS[header] ?? "ignore" }));
    const col = (field: ImportField) => columns.find((c) => c.field === field)?.index ?? -1;
    const cell = (cells: string[], field: ImportField) => {
      const i = col(field);
      return i >= 0 ? (cells[i] ?? "").trim() : "";
    };
    const batchFromReq = this.host.batches.find((b) => b.id === req.batchId && !b.deletedAt) ?? null;
    if (req.batchId && !batchFromReq) fail("not_found", `找不到批次：${req.batchId}`);
    const live = this.liveItems();
    const taken = new Map(live.map((i) => [`${i.category}-${i.seq}`, i.name]));
    const seenNames = new Map<string, number>();
    const rows: ImportRow[] = SHEET_ROWS.map((cells, n) => {
      const rowNo = SHEET_HEADER_ROW + 1 + n;
      const messages: ImportMessage[] = [];
      const name = cell(cells, "name");
      const code = cell(cells, "code");
      const catText = cell(cells, "category");
      const area = cell(cells, "area");
      const row: ImportRow = {
        row: rowNo, outcome: "create", code, name, category: null, categorySource: null, batchId: batchFromReq?.id ?? null,
        batchName: batchFromReq?.label ?? null, sequence: null, townships: [], area, unit: cell(cells, "unit"),
        inheritors: cell(cells, "inheritors").split(/[、，,;；]/).map((s) => s.trim()).filter(Boolean), messages, itemId: null,
      };
      if (cells.every((c) => !c.trim())) {
        row.outcome = "skip";
        messages.push({ level: "info", field: null, message: "空行" });
        return row;
      }
      if (!name && !code && !catText) {
        row.outcome = "skip";
        messages.push({ level: "info", field: null, message: "分类标题行，不是项目" });
        return row;
      }
      const same = SHEET_ROWS.findIndex((other) => other.join("\t") === cells.join("\t"));
      if (same < n) {
        row.outcome = "skip";
        messages.push({ level: "info", field: null, message: `与第 ${SHEET_HEADER_ROW + 1 + same} 行完全相同，视为重复，不再导入` });
        return row;
      }
      if (!name) messages.push({ level: "error", field: "name", message: "项目名称为空" });
      if (!catText) messages.push({ level: "error", field: "category", message: "类别为空" });
      else {
        const current = ref.categories.find((c) => c.name === catText || c.code === catText);
        const legacy = LEGACY_CATEGORIES[catText];
        if (current) row.category = current.code;
        else if (legacy) {
          row.category = legacy;
          row.categorySource = catText;
        } else {
          row.categorySource = catText;
          messages.push({ level: "error", field: "category", message: `类别“${catText}”无法识别，应为十大门类之一（如“传统体育、游艺与杂技”）` });
        }
      }
      const seq = /-(\d+)$/.exec(code);
      if (seq) row.sequence = Number(seq[1]);
      const batchText = cell(cells, "batch");
      if (batchText) {
        const b = this.host.batches.find((x) => !x.deletedAt && (x.label === batchText || x.docNumber === batchText || String(x.number) === batchText));
        if (b) {
          row.batchId = b.id;
          row.batchName = b.label;
        } else messages.push({ level: "error", field: "batch", message: `批次“${batchText}”在名录中不存在，请先在“批次”中添加` });
      }
      row.townships = ref.townships.filter((t) => area.includes(t.name)).map((t) => t.code);
      if (name) {
        const earlier = seenNames.get(name);
        if (earlier !== undefined) messages.push({ level: "warning", field: "name", message: `与第 ${earlier} 行项目名称相同，请核对是否重复` });
        else seenNames.set(name, rowNo);
        if (live.some((i) => i.name === name)) messages.push({ level: "warning", field: "name", message: `名录中已有同名项目“${name}”，请核对是否重复导入` });
      }
      if (row.category && row.sequence !== null && taken.has(`${row.category}-${row.sequence}`)) {
        messages.push({ level: "warning", field: "code", message: `编号 ${code} 已被“${taken.get(`${row.category}-${row.sequence}`)}”使用，导入时改用本类别下一个空号` });
      }
      if (messages.some((m) => m.level === "error")) row.outcome = "error";
      return row;
    });
    const counts = {
      rows: rows.length,
      create: rows.filter((r) => r.outcome === "create").length,
      skip: rows.filter((r) => r.outcome === "skip").length,
      error: rows.filter((r) => r.outcome === "error").length,
      warning: rows.filter((r) => r.outcome === "create" && r.messages.some((m) => m.level === "warning")).length,
    };
    return { importId: null, path: req.path, format, sheets, sheet, headerRow: SHEET_HEADER_ROW, columns, rows, counts };
  }

  private newItem(name: string, category: string, batchId: string | null, seq: number | null, townships: string[]): string {
    const ref = this.reference();
    const free = seq !== null && !this.liveItems().some((i) => i.category === category && i.seq === seq) ? seq : null;
    const input: ItemInput = {
      id: null, name, category, batchId, seq: free, parentId: null, status: "在册", endangered: false, confidential: false,
      townships: townships.map((code) => ({ code, name: ref.townships.find((t) => t.code === code)?.name ?? code, villages: null })),
      listings: [], texts: emptyTexts(), note: null,
    };
    return (this.host.handle("item_save", { input }) as ItemDetail).id;
  }

  private commit(req: ListImportRequest): ListImportReport {
    const report = this.preview(req);
    if (!report.counts.create) fail("validation", `表格中没有可以导入的行。${NOTHING_CHANGED}`);
    this.makeBackup("beforeImport", baseName(req.path));
    const importId = this.runId();
    const ids: string[] = [];
    for (const r of report.rows) {
      if (r.outcome !== "create") continue;
      r.itemId = this.newItem(r.name, r.category!, r.batchId, r.sequence, r.townships);
      ids.push(r.itemId);
    }
    this.runs.push({
      id: importId, kind: "list", source: baseName(req.path), startedAt: new Date().toISOString(), actor: this.host.actorName(),
      created: ids.length, updated: 0, undoneAt: null, undoable: true, itemIds: ids,
    });
    return { ...report, importId };
  }

  private run(r: MockRun): ImportRun {
    const { itemIds: _ids, ...rest } = r;
    return rest;
  }

  private undo(id: string, reason: string): ImportRun {
    const r = this.runs.find((x) => x.id === id) ?? fail("not_found", `找不到导入记录：${id}`);
    if (!reason.trim()) fail("validation", "请填写撤销原因", [{ field: "reason", message: "请填写撤销原因" }]);
    if (r.undoneAt) fail("conflict", `这次导入已于 ${r.undoneAt.slice(0, 10)} 撤销过`);
    if (!r.undoable) fail("conflict", "这次导入不能撤销");
    this.makeBackup("beforeImport", `撤销导入 ${r.source}`);
    for (const itemId of r.itemIds) {
      const item = this.host.items.find((i) => i.id === itemId);
      if (item && !item.deletedAt) this.host.handle("item_delete", { id: itemId, reason: `撤销导入“${r.source}”：${reason.trim()}` });
    }
    r.undoneAt = new Date().toISOString();
    r.undoable = false;
    return this.run(r);
  }

  // ---- exchange packages --------------------------------------------------------------------

  private exportPackage(req: ExchangeExportRequest): ExchangeSummary {
    if (!req.out) fail("validation", "请选择交换包的保存位置", [{ field: "out", message: "请选择保存位置" }]);
    if (!/\.zip$/i.test(req.out)) fail("bad_input", `交换包应保存为 .zip 文件：${baseName(req.out)}`);
    if (req.since && !/^\d{4}-\d{2}-\d{2}$/.test(req.since)) fail("validation", `日期格式应为 YYYY-MM-DD：${req.since}`, [{ field: "since", message: "日期格式应为 YYYY-MM-DD" }]);
    const since = req.since;
    const items = this.liveItems().filter((i) => !since || i.updatedAt.slice(0, 10) >= since).length;
    const whole = <T>(n: T) => (since ? 0 : n);
    const people = this.host.handle("inheritor_list", { query: { query: null, itemId: null, level: null, deleted: false, page: 1, pageSize: 1 } }) as { total: number };
    const units = this.host.handle("unit_list", { query: { query: null, deleted: false, page: 1, pageSize: 1 } }) as { total: number };
    const media = whole(this.mediaCount());
    const records = [
      { kind: "item", label: "项目", count: items },
      { kind: "batch", label: "批次", count: whole(this.host.batches.filter((b) => !b.deletedAt).length) },
      { kind: "inheritor", label: "传承人", count: whole(people.total) },
      { kind: "unit", label: "保护单位", count: whole(units.total) },
      { kind: "media", label: "资料", count: media },
    ];
    const mediaFiles = req.includeMedia === false ? 0 : media;
    return {
      path: req.out, packageId: `pkg-${stampId(Date.now())}`, records,
      logEntries: since ? items * 3 : this.host.log.length, mediaFiles, bytes: 60_000 + items * 4_800 + mediaFiles * 2_516_582,
    };
  }

  private packageParts(path: string) {
    const byName = (name: string) => this.liveItems().find((i) => i.name === name) ?? null;
    if (this.merged.has(path)) return { added: [], updated: null, conflict: null };
    return {
      added: PACKAGE.added.filter((a) => !byName(a.name)),
      updated: byName(PACKAGE.updated.name),
      conflict: byName(PACKAGE.conflict.name),
    };
  }

  private inspect(path: string): ExchangePreview {
    const name = baseName(path);
    if (!/\.zip$/i.test(name)) fail("bad_input", `“${name}”不是交换包：交换包是本软件导出的 .zip 文件。${NOTHING_CHANGED}`);
    if (name.includes("损坏")) fail("bad_input", `无法读取交换包“${name}”：文件已损坏或不完整（校验值不符）。${NOTHING_CHANGED}`);
    const parts = this.packageParts(path);
    const added: RecordChange[] = parts.added.map((a, n) => ({ kind: "item", id: `pkg-item-${n + 1}`, label: a.name, action: "add", fields: [] }));
    const updated: RecordChange[] = parts.updated
      ? [{ kind: "item", id: parts.updated.id, label: parts.updated.name, action: "update", fields: ["项目简介"] }]
      : [];
    const conflicts: RecordConflict[] = [];
    if (parts.conflict) {
      const detail = this.host.handle("item_get", { id: parts.conflict.id }) as ItemDetail;
      const local = (field: string) => (field === "texts.summary" ? detail.texts.summary : detail.texts.history);
      const fields = PACKAGE.conflict.fields.map((f) => ({ ...f, local: local(f.field) })).filter((f) => f.local !== f.remote);
      if (fields.length) conflicts.push({ kind: "item", id: parts.conflict.id, label: parts.conflict.name, fields });
    }
    return {
      path, packageId: PACKAGE.packageId, sourceTitle: PACKAGE.sourceTitle, createdBy: PACKAGE.createdBy,
      createdAt: new Date(Date.now() - 9 * DAY).toISOString(), scope: "2026-10-01", sample: name.includes("示例名录"),
      added, addedCount: added.length, updated, updatedCount: updated.length, unchanged: Math.max(0, this.liveItems().length - updated.length - conflicts.length), conflicts, mediaFiles: this.merged.has(path) ? 0 : PACKAGE.mediaFiles, warnings: [],
      importId: null,
    };
  }

  private merge(path: string, choices: ConflictChoice[]): ExchangePreview {
    const preview = this.inspect(path);
    if (preview.sample && this.host.info.kind === "real") {
      fail("validation", `这是从示例名录导出的交换包（虚构数据），不能并入正式名录。${NOTHING_CHANGED}`);
    }
    const pick = (c: RecordConflict, field: string) => choices.find((x) => x.kind === c.kind && x.id === c.id && x.field === field)?.take;
    const open = preview.conflicts.flatMap((c) => c.fields.filter((f) => pick(c, f.field) !== "local" && pick(c, f.field) !== "remote").map((f) => `${c.label} · ${f.label}`));
    if (open.length) fail("conflict", `还有 ${open.length} 个冲突字段未选择：${open.join("、")}。请逐项选择保留本机的值还是采用交换包的值。${NOTHING_CHANGED}`);
    this.makeBackup("beforeMerge", baseName(path));
    const ids: string[] = [];
    for (const a of PACKAGE.added.filter((x) => preview.added.some((r) => r.label === x.name))) ids.push(this.newItem(a.name, a.category, null, null, []));
    const setTexts = (id: string, texts: Record<string, string>) => {
      const d = this.host.handle("item_get", { id }) as ItemDetail;
      const input: ItemInput = {
        id: d.id, name: d.name, category: d.category, batchId: d.batchId, seq: d.seq, parentId: d.parentId, status: d.status,
        endangered: d.endangered, confidential: d.confidential, townships: d.townships, listings: d.listings, texts: { ...d.texts, ...texts }, note: d.note,
      };
      this.host.handle("item_save", { input });
    };
    for (const u of preview.updated) setTexts(u.id, { summary: PACKAGE.updated.summary });
    let taken = 0;
    for (const c of preview.conflicts) {
      const texts: Record<string, string> = {};
      for (const f of c.fields) {
        if (pick(c, f.field) === "remote" && f.remote !== null) {
          texts[f.field.replace(/^texts\./, "")] = f.remote;
          taken++;
        }
      }
      if (Object.keys(texts).length) setTexts(c.id, texts);
    }
    this.merged.add(path);
    const importId = this.runId();
    this.runs.push({
      id: importId, kind: "exchange", source: baseName(path), startedAt: new Date().toISOString(), actor: this.host.actorName(),
      created: ids.length, updated: preview.updated.length + (taken ? preview.conflicts.length : 0), undoneAt: null, undoable: false, itemIds: ids,
    });
    return { ...preview, importId };
  }

  // ---- commands -----------------------------------------------------------------------------

  handle(cmd: string, a: Record<string, unknown>): unknown {
    switch (cmd) {
      case "backup_status":
        return this.status();
      case "backup_create": {
        const note = typeof a.note === "string" && a.note.trim() ? a.note.trim() : null;
        return this.info(this.makeBackup("manual", note));
      }
      case "backup_restore":
        return this.restore(String(a.id ?? ""));
      case "backup_policy_save":
        return this.savePolicy(a.policy as BackupPolicy);
      case "pick_file":
        return a.kind === "package" ? "/home/user/桌面/示例 市文旅局 交换包 2026-11-20.zip" : "/home/user/桌面/示例 台儿庄区非遗名录（旧表）.xlsx";
      case "pick_save_file":
        return `/home/user/桌面/${String(a.defaultName ?? "交换包.zip")}`;
      case "import_list_preview":
        return this.preview(a.request as ListImportRequest);
      case "import_list_commit":
        return this.commit(a.request as ListImportRequest);
      case "import_runs":
        return [...this.runs].sort((x, y) => y.startedAt.localeCompare(x.startedAt)).map((r) => this.run(r));
      case "import_undo":
        return this.undo(String(a.id ?? ""), String(a.reason ?? ""));
      case "exchange_export":
        return this.exportPackage(a.request as ExchangeExportRequest);
      case "exchange_inspect":
        return this.inspect(String(a.path ?? ""));
      case "exchange_import":
        return this.merge(String(a.path ?? ""), (a.choices as ConflictChoice[] | undefined) ?? []);
      default:
        return UNHANDLED;
    }
  }
}

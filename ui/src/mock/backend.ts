// An in-memory stand-in for the Rust commands, for the development preview (dev-mock.html)
// and UI tests. All data here is fictional. Never imported by the production entry (main.ts).
import { mockIPC } from "@tauri-apps/api/mocks";
import type { Batch } from "../bindings/Batch";
import type { BatchInput } from "../bindings/BatchInput";
import type { EditLogEntry } from "../bindings/EditLogEntry";
import type { FieldError } from "../bindings/FieldError";
import type { ItemDetail } from "../bindings/ItemDetail";
import type { ItemInput } from "../bindings/ItemInput";
import type { ItemPage } from "../bindings/ItemPage";
import type { ItemQuery } from "../bindings/ItemQuery";
import type { ItemRow } from "../bindings/ItemRow";
import type { ReferenceData } from "../bindings/ReferenceData";
import type { RegistryInfo } from "../bindings/RegistryInfo";
import type { SearchHit } from "../bindings/SearchHit";
import { emptyTexts, renderCodeTemplate } from "../format";
import { PeopleMock, UNHANDLED } from "./people";
import { ProtectionMock, type ProtectionHost } from "./protection";
import { MediaMock, type MediaHost } from "./media";
import { ApplicationMock, type ApplicationHost } from "./application";
import { DataMock, type DataHost } from "./data";
import { InsightMock, type InsightHost } from "./insight";
import { setMediaUrlResolver } from "../api";

export const REFERENCE: ReferenceData = {
  categories: [
    "民间文学", "传统音乐", "传统舞蹈", "传统戏剧", "曲艺", "传统体育、游艺与杂技",
    "传统美术", "传统技艺", "传统医药", "民俗",
  ].map((name, i) => ({ code: "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"[i], ord: i + 1, name, legacyNames: [] })),
  townships: [
    ["370405001", "运河街道", "街道"], ["370405100", "邳庄镇", "镇"], ["370405101", "张山子镇", "镇"],
    ["370405102", "泥沟镇", "镇"], ["370405103", "涧头集镇", "镇"], ["370405104", "马兰屯镇", "镇"],
    ["370405900", "经济开发区", "开发区"],
  ].map(([code, name, kind], i) => ({ code, name, kind, ord: i + 1 })),
  levels: ["区级", "市级", "省级", "国家级"],
  itemStatuses: ["在册", "撤销", "合并"],
  codeTemplates: ["{category}-{seq}", "{batch}-{category}-{seq}"],
};

const CN_NUM = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
const batchLabel = (n: number) => `第${CN_NUM[n] ?? n}批`;

type MockItem = Omit<ItemDetail, "code" | "categoryName" | "batchLabel" | "parentName" | "extensions" | "level" | "protectionUnits"> & {
  initials: string;
  units: string[];
};

function fail(code: string, message: string, fields?: FieldError[]): never {
  throw fields ? { code, message, fields } : { code, message };
}

/** Fields whose logged text is a number or a boolean in the record. */
const NUMERIC = ["practiceSince", "declaredCount", "number", "seq"];
const BOOLEAN = ["declarationSigned", "endangered", "confidential"];

export class MockBackend implements ProtectionHost, MediaHost, ApplicationHost, DataHost, InsightHost {
  info: RegistryInfo;
  batches: Batch[] = [];
  items: MockItem[] = [];
  /** The mock's edit log; `revertible` is worked out when it is listed, as the core does. */
  log: Omit<EditLogEntry, "revertible">[] = [];
  /** Inheritors, lineage and protection units. */
  people: PeopleMock;
  /** Plans, expenditures and activities. */
  protection: ProtectionMock;
  /** The media library. */
  media: MediaMock;
  /** Export profiles, the pre-flight check and the package export (申报). */
  application: ApplicationMock;
  /** Backups, the list import, exchange packages and the import history (设置 → 数据). */
  data: DataMock;
  /** Statistics, the yearly report and reminders (统计, 提醒). */
  insight: InsightMock;
  private nextId = 1;
  private now = Date.parse("2024-03-01T02:00:00Z");

  constructor(kind: "sample" | "real" = "sample") {
    this.info = this.makeInfo(kind);
    this.people = new PeopleMock(this);
    this.protection = new ProtectionMock(this);
    this.media = new MediaMock(this);
    this.application = new ApplicationMock(this);
    this.data = new DataMock(this);
    this.insight = new InsightMock(this);
    if (kind === "sample") {
      this.seed();
      this.people.seed();
      this.protection.seed();
      this.media.seed();
      this.data.seed();
      this.insight.seed();
    }
  }

  // MockHost: what the people fake uses
  actorName() {
    return this.info.actor;
  }
  itemRef(id: string) {
    const i = this.items.find((x) => x.id === id);
    return i ? { id: i.id, code: this.code(i), name: i.name, deleted: i.deletedAt !== null } : null;
  }
  itemRefs() {
    return this.items.filter((i) => !i.deletedAt).map((i) => ({ id: i.id, code: this.code(i), name: i.name }));
  }
  batchLabelOf(batchId: string | null) {
    return this.batches.find((b) => b.id === batchId)?.label ?? null;
  }
  batchIdByNumber(n: number) {
    return this.batches.find((b) => b.number === n)?.id ?? null;
  }
  levels() {
    return REFERENCE.levels;
  }
  appendLog(entry: Omit<EditLogEntry, "seq" | "revertible">) {
    this.log.push({ seq: this.log.length + 1, ...entry });
  }
  personName(id: string) {
    return this.people.inheritors.find((p) => p.id === id)?.name ?? null;
  }
  personIdFor(name: string) {
    return this.people.inheritors.find((p) => p.name === name)?.id ?? null;
  }
  unitName(id: string) {
    return this.people.units.find((u) => u.id === id)?.name ?? null;
  }
  unitIdFor(name: string) {
    return this.people.units.find((u) => u.name === name)?.id ?? null;
  }
  recordName(entity: string, id: string): string | null {
    switch (entity) {
      case "item":
        return this.items.find((x) => x.id === id)?.name ?? null;
      case "inheritor":
        return this.personName(id);
      case "unit":
        return this.unitName(id);
      case "activity":
        return this.protection.activities.find((x) => x.id === id)?.title ?? null;
      case "plan":
        return this.protection.plans.find((x) => x.id === id)?.title ?? null;
      case "batch":
        return this.batches.find((x) => x.id === id)?.label ?? null;
      default:
        return null;
    }
  }
  // InsightHost: what statistics and reminders read
  itemCode(id: string) {
    const i = this.items.find((x) => x.id === id);
    return i ? this.code(i) : "";
  }
  categories() {
    return REFERENCE.categories;
  }
  townships() {
    return REFERENCE.townships;
  }
  mediaCountOfActivities(ids: string[]) {
    return new Set(this.media.links.filter((l) => l.entity === "activity" && ids.includes(l.entityId)).map((l) => l.mediaId)).size;
  }
  private unitNames(i: MockItem) {
    return [...new Set([...i.units, ...this.people.unitNamesFor(i.id)])];
  }

  private makeInfo(kind: "sample" | "real"): RegistryInfo {
    return {
      kind,
      title: kind === "sample" ? "示例名录（虚构数据）" : "台儿庄区非物质文化遗产代表性项目名录",
      dataDir: kind === "sample" ? "/home/user/.local/share/feiyi/sample" : "/home/user/.local/share/feiyi/registry",
      schemaVersion: 1,
      codeTemplate: "{category}-{seq}",
      itemCount: 0,
      actor: "张三",
    };
  }

  id(prefix: string) {
    return `${prefix}-${String(this.nextId++).padStart(4, "0")}`;
  }
  stamp() {
    this.now += 60_000;
    return new Date(this.now).toISOString();
  }

  private seed() {
    const b = (number: number, doc: string | null, date: string | null, declared: number | null): Batch => ({
      id: this.id("batch"), number, label: batchLabel(number), docNumber: doc, title: doc ? `关于公布${batchLabel(number)}区级非物质文化遗产代表性项目名录的通知` : null,
      determinedOn: date, approvedOn: date, publishedOn: date, noticeStart: null, noticeEnd: null,
      determinedBy: "台儿庄区文化和旅游局", approvedBy: "台儿庄区人民政府", declaredCount: declared,
      enteredCount: 0, note: null, supplements: [], deletedAt: null, deletedReason: null,
    });
    this.batches = [
      b(1, "台政发〔2007〕21号", "2007-06-10", 12),
      b(2, "台政发〔2009〕15号", "2009-05-20", 9),
      b(3, "台政字〔2013〕40号", "2013-06-08", 8),
      b(4, "台政字〔2016〕27号", "2016-06-11", 10),
      b(5, "台政字〔2019〕18号", "2019-06-08", 7),
      b(6, "台政字〔2022〕33号", "2022-05-18", 11),
    ];
    this.batches[5].noticeStart = "2022-04-20";
    this.batches[5].noticeEnd = "2022-04-29";
    this.batches[3].supplements = [{ id: this.id("sup"), docNumber: "台政字〔2017〕5号", decidedOn: "2017-02-10", declaredCount: 2, note: "增补项目" }];
    const it = (name: string, initials: string, cat: string, batch: number, seq: number, towns: string[], extra: Partial<MockItem> = {}) => {
      const at = this.stamp();
      const item: MockItem = {
        id: this.id("item"), name, initials, category: cat, batchId: this.batches[batch - 1].id, seq,
        parentId: null, status: "在册", endangered: false, confidential: false,
        townships: towns.map((n) => {
          const t = REFERENCE.townships.find((x) => x.name === n)!;
          return { code: t.code, name: t.name, villages: null };
        }),
        listings: [{ id: this.id("listing"), level: "区级", listedOn: this.batches[batch - 1].publishedOn, docNumber: this.batches[batch - 1].docNumber, batchLabel: batchLabel(batch), code: `${cat}-${seq}`, note: null }],
        texts: { ...emptyTexts(), summary: `${name}是流传于台儿庄区的一项${REFERENCE.categories.find((c) => c.code === cat)!.name}项目（示例文字，虚构）。` },
        note: null, createdAt: at, updatedAt: at, deletedAt: null, deletedReason: null, units: [],
        ...extra,
      };
      this.items.push(item);
      this.log.push({ seq: this.log.length + 1, at, actor: "张三", entity: "item", entityId: item.id, action: "create", field: null, oldValue: null, newValue: null, reason: null });
      return item;
    };
    const hg = it("鲁南花鼓", "lnhg", "Ⅲ", 1, 1, ["运河街道", "邳庄镇"], { endangered: true });
    hg.listings.push({ id: this.id("listing"), level: "市级", listedOn: "2009-10-12", docNumber: "枣政发〔2009〕30号", batchLabel: "第二批", code: "Ⅲ-4", note: null });
    hg.texts.history = "相传起源于明代运河漕运兴盛时期，（示例文字，虚构）\n清末民初最为兴盛。";
    it("运河号子", "yhhz", "Ⅱ", 1, 2, ["运河街道"]);
    it("柳琴戏", "lqx", "Ⅳ", 1, 3, ["泥沟镇", "马兰屯镇"]);
    it("台儿庄大战的传说", "tezdzdcs", "Ⅰ", 2, 1, ["运河街道"]);
    it("黑陶烧制技艺", "htszjy", "Ⅷ", 2, 1, ["张山子镇"]);
    it("运河古船模型制作技艺", "yhgcmxzzjy", "Ⅷ", 3, 2, ["运河街道"], { confidential: true });
    it("邳庄剪纸", "pzjz", "Ⅶ", 4, 1, ["邳庄镇"]);
    const ext = it("鲁南花鼓（涧头集）", "lnhgjtj", "Ⅲ", 5, 2, ["涧头集镇"]);
    ext.parentId = hg.id;
    it("骨伤正骨疗法", "gszgll", "Ⅸ", 6, 1, ["马兰屯镇"]);
    it("运河庙会", "yhmh", "Ⅹ", 6, 1, ["运河街道"]);
    it("手工挂面制作技艺", "sgglmzzjy", "Ⅷ", 6, 3, ["涧头集镇", "泥沟镇"]);
    it("石磨豆腐制作技艺", "smdfzzjy", "Ⅷ", 6, 4, ["泥沟镇"]);
    for (let i = 0; i < 18; i++) {
      const cats = "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ";
      it(`示例项目${i + 1}`, `slxm${i + 1}`, cats[i % 10], 1 + (i % 5), 10 + i, ["运河街道"]);
    }
    const gone = it("已删除的示例项目", "ysc", "Ⅴ", 3, 5, []);
    gone.deletedAt = this.stamp();
    gone.deletedReason = "重复录入";
    this.log.push({ seq: this.log.length + 1, at: this.stamp(), actor: "李四", entity: "item", entityId: hg.id, action: "update", field: "texts.summary", oldValue: "鲁南花鼓是一种民间舞蹈。", newValue: hg.texts.summary, reason: null });
    this.log.push({ seq: this.log.length + 1, at: this.stamp(), actor: "李四", entity: "item", entityId: hg.id, action: "update", field: "endangered", oldValue: "false", newValue: "true", reason: null });
  }

  private batchOf(item: { batchId: string | null }) {
    return this.batches.find((b) => b.id === item.batchId) ?? null;
  }
  private code(item: MockItem) {
    return renderCodeTemplate(this.info.codeTemplate, { category: item.category, seq: item.seq, batch: this.batchOf(item)?.number ?? null });
  }
  private level(item: MockItem) {
    const order = REFERENCE.levels;
    return item.listings.reduce((best, l) => (order.indexOf(l.level) > order.indexOf(best) ? l.level : best), "区级");
  }
  private catName(code: string) {
    return REFERENCE.categories.find((c) => c.code === code)?.name ?? "";
  }
  private counted() {
    for (const b of this.batches) b.enteredCount = this.items.filter((i) => i.batchId === b.id && !i.deletedAt).length;
    this.info.itemCount = this.items.filter((i) => !i.deletedAt).length;
  }

  private row(i: MockItem): ItemRow {
    const b = this.batchOf(i);
    return {
      id: i.id, code: this.code(i), name: i.name, category: i.category, categoryName: this.catName(i.category),
      batchNumber: b?.number ?? null, batchLabel: b?.label ?? null, seq: i.seq, level: this.level(i),
      townships: i.townships.map((t) => t.name).join("、"), protectionUnits: this.unitNames(i).join("、"), status: i.status,
      endangered: i.endangered, confidential: i.confidential, isExtension: i.parentId !== null, updatedAt: i.updatedAt,
    };
  }

  private detail(i: MockItem): ItemDetail {
    const { initials: _i, units: _u, ...rest } = i;
    void _i;
    void _u;
    const units = this.unitNames(i);
    const parent = this.items.find((p) => p.id === i.parentId);
    return {
      ...rest, code: this.code(i), categoryName: this.catName(i.category), batchLabel: this.batchOf(i)?.label ?? null,
      parentName: parent?.name ?? null, level: this.level(i), protectionUnits: units,
      extensions: this.items.filter((x) => x.parentId === i.id && !x.deletedAt).map((x) => ({ id: x.id, code: this.code(x), name: x.name })),
      texts: { ...i.texts }, townships: i.townships.map((t) => ({ ...t })), listings: i.listings.map((l) => ({ ...l })),
    };
  }

  private findItem(id: string) {
    return this.items.find((i) => i.id === id) ?? fail("not_found", `找不到项目：${id}`);
  }
  private findBatch(id: string) {
    return this.batches.find((b) => b.id === id) ?? fail("not_found", `找不到批次：${id}`);
  }

  listItems(q: ItemQuery): ItemPage {
    const text = (q.query ?? "").trim().toLowerCase();
    let rows = this.items
      .filter((i) => (q.deleted ? i.deletedAt !== null : i.deletedAt === null))
      .filter((i) => q.batch === null || this.batchOf(i)?.number === q.batch)
      .filter((i) => !q.category || i.category === q.category)
      .filter((i) => !q.level || this.level(i) === q.level)
      .filter((i) => !q.township || i.townships.some((t) => t.code === q.township))
      .filter((i) => !q.status || i.status === q.status)
      .filter((i) => !text || i.name.toLowerCase().includes(text) || i.initials.startsWith(text))
      .map((i) => this.row(i));
    const key = (r: ItemRow): string | number =>
      q.sort === "name" ? r.name : q.sort === "batch" ? r.batchNumber ?? 0 : q.sort === "level" ? REFERENCE.levels.indexOf(r.level) : q.sort === "updatedAt" ? r.updatedAt : `${r.category}${String(r.seq).padStart(4, "0")}`;
    rows.sort((a, b) => {
      const ka = key(a), kb = key(b);
      const c = typeof ka === "number" && typeof kb === "number" ? ka - kb : String(ka).localeCompare(String(kb), "zh-CN");
      return q.desc ? -c : c;
    });
    const total = rows.length;
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    rows = rows.slice((page - 1) * pageSize, page * pageSize);
    return { rows, total, totalCapped: false, page, pageSize };
  }

  saveItem(input: ItemInput): ItemDetail {
    const errors: FieldError[] = [];
    if (!input.name.trim()) errors.push({ field: "name", message: "项目名称不能为空" });
    if (!REFERENCE.categories.some((c) => c.code === input.category)) errors.push({ field: "category", message: "请选择类别" });
    input.listings.forEach((l, n) => {
      if (!REFERENCE.levels.includes(l.level)) errors.push({ field: `listings.${n}.level`, message: "级别无效" });
    });
    if (errors.length) fail("validation", `输入有误：${errors.map((e) => e.message).join("；")}`, errors);
    const existing = input.id ? this.findItem(input.id) : null;
    if (existing?.deletedAt) fail("deleted", `项目已删除（在回收站中），请先恢复：${existing.id}`);
    const siblings = this.items.filter((i) => i.id !== input.id && i.category === input.category && !i.deletedAt);
    let seq = input.seq;
    if (seq === null) seq = existing && existing.category === input.category ? existing.seq : Math.max(0, ...siblings.map((s) => s.seq)) + 1;
    else if (siblings.some((s) => s.seq === seq)) fail("validation", `序号 ${seq} 已被同类别的其他项目使用`, [{ field: "seq", message: `${input.category} 类序号 ${seq} 已被占用` }]);
    const at = this.stamp();
    const fields = {
      name: input.name.trim(), category: input.category, batchId: input.batchId, seq, parentId: input.parentId,
      status: input.status ?? "在册", endangered: input.endangered, confidential: input.confidential,
      townships: input.townships.map((t) => ({ ...t, name: REFERENCE.townships.find((x) => x.code === t.code)?.name ?? t.name })),
      listings: input.listings.map((l) => ({ ...l, id: l.id ?? this.id("listing") })), texts: { ...input.texts }, note: input.note, updatedAt: at,
    };
    let item: MockItem;
    if (existing) {
      for (const k of ["name", "status", "endangered", "confidential", "note"] as const) {
        if (String(existing[k]) !== String(fields[k])) this.log.push({ seq: this.log.length + 1, at, actor: this.info.actor, entity: "item", entityId: existing.id, action: "update", field: k, oldValue: existing[k] === null ? null : String(existing[k]), newValue: fields[k] === null ? null : String(fields[k]), reason: null });
      }
      Object.assign(existing, fields);
      item = existing;
    } else {
      item = { ...fields, id: this.id("item"), initials: "", createdAt: at, deletedAt: null, deletedReason: null, units: [] };
      this.items.push(item);
      this.log.push({ seq: this.log.length + 1, at, actor: this.info.actor, entity: "item", entityId: item.id, action: "create", field: null, oldValue: null, newValue: null, reason: null });
    }
    this.counted();
    return this.detail(item);
  }

  saveBatch(input: BatchInput): Batch {
    const errors: FieldError[] = [];
    if (!Number.isInteger(input.number) || input.number < 1) errors.push({ field: "number", message: "批次号应为正整数" });
    if (input.declaredCount !== null && input.declaredCount < 0) errors.push({ field: "declaredCount", message: "公布项目数不能为负" });
    if (this.batches.some((b) => b.number === input.number && b.id !== input.id && !b.deletedAt)) errors.push({ field: "number", message: `${batchLabel(input.number)}已存在` });
    if (errors.length) fail("validation", `输入有误：${errors.map((e) => e.message).join("；")}`, errors);
    const existing = input.id ? this.findBatch(input.id) : null;
    const { id: _id, ...rest } = input;
    void _id;
    if (existing) {
      Object.assign(existing, rest, { label: batchLabel(input.number) });
      this.counted();
      return existing;
    }
    const b: Batch = { ...rest, id: this.id("batch"), label: batchLabel(input.number), enteredCount: 0, supplements: [], deletedAt: null, deletedReason: null };
    this.batches.push(b);
    this.counted();
    return b;
  }

  private searchAll(text: string, limit: number) {
    const t = text.trim().toLowerCase();
    if (!t) return [];
    const items: SearchHit[] = this.items
      .filter((i) => !i.deletedAt && (i.name.includes(t) || i.initials.startsWith(t)))
      .map((i) => ({ kind: "item", id: i.id, name: i.name, snippet: this.code(i), matched: "name" }));
    const people = this.people.searchHits(t);
    const groups = [
      { kind: "item", label: "项目", hits: items },
      { kind: "inheritor", label: "传承人", hits: people.filter((h) => h.kind === "inheritor") },
      { kind: "unit", label: "保护单位", hits: people.filter((h) => h.kind === "unit") },
      { kind: "activity", label: "活动", hits: this.protection.searchHits(t) },
    ];
    return groups.map((g) => ({ ...g, hits: g.hits.slice(0, limit) })).filter((g) => g.hits.length);
  }

  private recycleList() {
    const of = (entity: string, entityLabel: string, rows: { id: string; deletedAt: string | null; deletedReason: string | null }[], name: (r: never) => string) =>
      rows.filter((r) => r.deletedAt).map((r) => ({ entity, entityLabel, id: r.id, name: name(r as never), deletedAt: r.deletedAt!, reason: r.deletedReason }));
    return [
      ...of("item", "项目", this.items, (i: MockItem) => i.name),
      ...of("batch", "批次", this.batches, (b: Batch) => b.label),
      ...of("inheritor", "传承人", this.people.inheritors, (p: { name: string }) => p.name),
      ...of("unit", "保护单位", this.people.units, (u: { name: string }) => u.name),
      ...this.protection.deleted(),
      ...this.media.media
        .filter((m) => m.deletedAt)
        .map((m) => ({ entity: "media", entityLabel: "资料", id: m.id, name: m.description.title ?? m.originalName, deletedAt: m.deletedAt!, reason: m.deletedReason })),
    ].sort((x, y) => y.deletedAt.localeCompare(x.deletedAt));
  }

  /** history_revert: puts one logged field back, as the core does for items, people, units and batches. */
  private revert(seq: number) {
    const e = this.log.find((l) => l.seq === seq) ?? fail("not_found", `找不到修改记录：${seq}`);
    if (e.action === "create") fail("conflict", "“新建”不能撤销，如需去掉这条记录请删除它");
    if (e.action === "delete") fail("conflict", "“删除”请在回收站中恢复");
    if ((e.action !== "update" && e.action !== "revert") || !e.field) fail("conflict", "这条修改记录不能撤销");
    const field = e.field;
    if (e.entity === "media") {
      this.media.revert(e.entityId, field, e.oldValue, seq);
      return;
    }
    const records: Record<string, { id: string }[]> = { item: this.items, batch: this.batches, inheritor: this.people.inheritors, unit: this.people.units };
    const list = records[e.entity];
    if (!list) fail("conflict", `这类记录（${e.entity}）的修改暂不支持单独撤销，请在编辑页面中手动修改`);
    const record = (list.find((r) => r.id === e.entityId) ?? fail("not_found", `找不到记录：${e.entityId}`)) as unknown as Record<string, unknown>;
    const path = field.split(".");
    const holder = path.slice(0, -1).reduce<Record<string, unknown> | undefined>((o, k) => o?.[k] as Record<string, unknown> | undefined, record);
    const key = path[path.length - 1];
    if (!holder || !(key in holder) || (typeof holder[key] === "object" && holder[key] !== null)) {
      fail("conflict", `“${field}”这一项不能单独撤销，请在编辑页面中手动修改`);
    }
    const old = e.oldValue;
    let value: unknown = old;
    if (NUMERIC.includes(key)) {
      value = old === null ? null : Number(old);
      if (old !== null && !Number.isInteger(value)) fail("conflict", `无法撤销：“${old}”不是数字`);
    } else if (BOOLEAN.includes(key) || typeof holder[key] === "boolean") value = old === "true";
    if (key === "name" && !old) fail("validation", "输入有误：名称不能为空", [{ field: "name", message: "名称不能为空" }]);
    const current = holder[key];
    holder[key] = value;
    if ("updatedAt" in record) record.updatedAt = this.stamp();
    this.appendLog({
      at: this.stamp(), actor: this.info.actor, entity: e.entity, entityId: e.entityId, action: "revert", field,
      oldValue: current === null || current === undefined ? null : String(current), newValue: old, reason: `撤销第 ${seq} 条修改`,
    });
  }

  handle(cmd: string, a: Record<string, unknown>): unknown {
    this.counted();
    switch (cmd) {
      case "registry_info":
        return { ...this.info };
      case "app_first_page":
        return null;
      case "reference_data":
        return REFERENCE;
      case "registry_open_sample":
      case "registry_open_default": {
        const kind = cmd === "registry_open_sample" ? "sample" : "real";
        if (this.info.kind !== kind) {
          const fresh = new MockBackend(kind);
          Object.assign(this, { info: fresh.info, batches: fresh.batches, items: fresh.items, log: fresh.log, nextId: fresh.nextId, now: fresh.now });
          this.people = fresh.people.rebind(this);
          this.protection = fresh.protection.rebind(this);
          this.media = fresh.media.rebind(this);
          this.application = fresh.application.rebind(this);
          this.data = fresh.data.rebind(this);
          this.insight = fresh.insight.rebind(this);
          this.counted();
        }
        return { ...this.info };
      }
      case "settings_set_code_template":
        this.info.codeTemplate = a.template as string;
        return { ...this.info };
      case "settings_set_actor":
        this.info.actor = a.actor as string;
        return { ...this.info };
      case "batch_list":
        return this.batches.filter((b) => a.includeDeleted || !b.deletedAt).map((b) => ({ ...b }));
      case "batch_get":
        return { ...this.findBatch(a.id as string) };
      case "batch_save":
        return { ...this.saveBatch(a.input as BatchInput) };
      case "batch_delete": {
        const b = this.findBatch(a.id as string);
        if (!String(a.reason ?? "").trim()) fail("validation", "请填写删除原因", [{ field: "reason", message: "请填写删除原因" }]);
        b.deletedAt = this.stamp();
        b.deletedReason = a.reason as string;
        return null;
      }
      case "batch_restore": {
        const b = this.findBatch(a.id as string);
        b.deletedAt = null;
        b.deletedReason = null;
        return { ...b };
      }
      case "item_list":
        return this.listItems(a.query as ItemQuery);
      case "item_get":
        return this.detail(this.findItem(a.id as string));
      case "item_save":
        return this.saveItem(a.input as ItemInput);
      case "item_delete": {
        const i = this.findItem(a.id as string);
        if (!String(a.reason ?? "").trim()) fail("validation", "请填写删除原因", [{ field: "reason", message: "请填写删除原因" }]);
        i.deletedAt = this.stamp();
        i.deletedReason = a.reason as string;
        this.log.push({ seq: this.log.length + 1, at: i.deletedAt, actor: this.info.actor, entity: "item", entityId: i.id, action: "delete", field: null, oldValue: null, newValue: null, reason: i.deletedReason });
        return null;
      }
      case "item_restore": {
        const i = this.findItem(a.id as string);
        i.deletedAt = null;
        i.deletedReason = null;
        this.log.push({ seq: this.log.length + 1, at: this.stamp(), actor: this.info.actor, entity: "item", entityId: i.id, action: "restore", field: null, oldValue: null, newValue: null, reason: null });
        this.counted();
        return this.detail(i);
      }
      case "search_query": {
        const text = String(a.text ?? "").trim().toLowerCase();
        const hits: SearchHit[] = this.items
          .filter((i) => !i.deletedAt && (i.name.includes(text) || i.initials.startsWith(text)))
          .map((i) => ({ kind: "item", id: i.id, name: i.name, snippet: this.code(i), matched: text }));
        return [...hits, ...this.people.searchHits(text)].slice(0, Number(a.limit ?? 20));
      }
      case "history_list":
        return this.log
          .filter((l) => l.entity === a.entity && l.entityId === a.id)
          .map((l) => ({
            ...l,
            revertible: (l.action === "update" || l.action === "revert") && !!l.field && l.field !== "status" && !(l.entity === "media" && l.field === "links"),
          }));
      case "history_revert":
        this.revert(Number(a.seq));
        return null;
      case "search_all":
        return this.searchAll(String(a.text ?? ""), Number(a.limit ?? 10));
      case "recycle_list":
        return this.recycleList();
      case "recycle_restore": {
        const entity = String(a.entity);
        if (!["item", "batch", "inheritor", "unit", "plan", "activity", "media"].includes(entity)) {
          fail("validation", `回收站中没有“${entity}”这类记录`, [{ field: "entity", message: `回收站中没有“${entity}”这类记录` }]);
        }
        this.handle(`${entity}_restore`, { id: a.id });
        return null;
      }
      default: {
        let answer = this.people.handle(cmd, a);
        if (answer === UNHANDLED) answer = this.protection.handle(cmd, a);
        if (answer === UNHANDLED) answer = this.media.handle(cmd, a);
        if (answer === UNHANDLED) answer = this.application.handle(cmd, a);
        if (answer === UNHANDLED) answer = this.data.handle(cmd, a);
        if (answer === UNHANDLED) answer = this.insight.handle(cmd, a);
        // The portrait is the person's first 肖像 in the media library.
        if (cmd.startsWith("inheritor_") && answer && typeof answer === "object" && "portraitMediaId" in answer) {
          const d = answer as { id: string; portraitMediaId: string | null };
          d.portraitMediaId = this.media.portraitOf(d.id);
        }
        if (answer === UNHANDLED) fail("internal", `未知命令：${cmd}`);
        return answer;
      }
    }
  }
}

/** Routes every `invoke` to a fresh MockBackend; returns it for inspection. */
export function installMockBackend(options: { kind?: "sample" | "real"; delayMs?: number } = {}): MockBackend {
  const backend = new MockBackend(options.kind ?? "sample");
  // The media:// addresses get drawn stand-in pictures.
  setMediaUrlResolver((what, sha) => backend.media.url(what, sha));
  mockIPC(async (cmd, args) => {
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    return backend.handle(cmd, (args ?? {}) as Record<string, unknown>);
  });
  return backend;
}

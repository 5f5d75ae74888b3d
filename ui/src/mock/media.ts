// The in-memory fake of the media library commands (资料库) for the development preview
// (dev-mock.html). The “files” are drawn SVG stand-ins; all names and captions are fictional (示例).
import type { FieldError } from "../bindings/FieldError";
import type { FixityEntry } from "../bindings/FixityEntry";
import type { FixityReport } from "../bindings/FixityReport";
import type { FixityStatus } from "../bindings/FixityStatus";
import type { MediaBatchEdit } from "../bindings/MediaBatchEdit";
import type { MediaDescription } from "../bindings/MediaDescription";
import type { MediaDetail } from "../bindings/MediaDetail";
import type { MediaImportEvent } from "../bindings/MediaImportEvent";
import type { MediaImportOutcome } from "../bindings/MediaImportOutcome";
import type { MediaImportReport } from "../bindings/MediaImportReport";
import type { MediaLink } from "../bindings/MediaLink";
import type { MediaLinkTarget } from "../bindings/MediaLinkTarget";
import type { MediaPage } from "../bindings/MediaPage";
import type { MediaQuery } from "../bindings/MediaQuery";
import type { MediaRow } from "../bindings/MediaRow";
import type { MediaTechnical } from "../bindings/MediaTechnical";
import type { RelinkReport } from "../bindings/RelinkReport";
import { baseName, entityLabel, roleForKind } from "../format";
import { UNHANDLED, type MockHost } from "./people";

/** What the media fake needs besides the common host: the name of any record. */
export interface MediaHost extends MockHost {
  /** The record's name, or null when there is no such record. */
  recordName(entity: string, id: string): string | null;
  personIdFor(name: string): string | null;
}

type MockMedia = Omit<MediaDetail, "links" | "hasThumb" | "hasPreview"> & {
  hasThumb: boolean;
  hasPreview: boolean;
  /** Hue of the drawn stand-in. */
  hue: number;
  /** The “original” is gone from the store (for the integrity check). */
  missing: boolean;
};
type MockLink = Omit<MediaLink, "entityName">;

function fail(code: string, message: string, fields?: FieldError[]): never {
  throw fields ? { code, message, fields } : { code, message };
}

const KIND_BY_EXT: Record<string, string> = {
  jpg: "照片", jpeg: "照片", png: "照片", tif: "照片", tiff: "照片", heic: "照片",
  mp4: "视频", mov: "视频", mp3: "音频", wav: "音频", m4a: "音频", pdf: "文档",
};
const MIME_BY_EXT: Record<string, string> = {
  jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", tif: "image/tiff", tiff: "image/tiff", heic: "image/heic",
  mp4: "video/mp4", mov: "video/quicktime", mp3: "audio/mpeg", wav: "audio/wav", m4a: "audio/mp4", pdf: "application/pdf",
};
const TEXT_KEYS = [
  "title", "caption", "captionTime", "captionPlace", "captionPeople", "captionEvent", "creator", "creatorRole",
  "provider", "holder", "captureDate", "capturePlace", "rights", "consent", "cataloguer", "cataloguedAt",
] as const;

/** A stable fake SHA-256 for a name. */
function fakeSha(seed: string): string {
  let h = 2166136261;
  let out = "";
  for (let round = 0; out.length < 64; round++) {
    for (const c of `${seed}#${round}`) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
    out += h.toString(16).padStart(8, "0");
  }
  return out.slice(0, 64);
}

function emptyTechnical(): MediaTechnical {
  return {
    width: null, height: null, durationMs: null, frameRate: null, codec: null, bitRate: null, sampleRate: null,
    channels: null, pageCount: null, capturedAt: null, camera: null, gpsLat: null, gpsLon: null, gcj02Lat: null,
    gcj02Lon: null, unread: [],
  };
}
function emptyDescription(id: string): MediaDescription {
  return {
    id, title: null, caption: null, captionTime: null, captionPlace: null, captionPeople: null, captionEvent: null,
    creator: null, creatorRole: null, provider: null, holder: null, captureDate: null, capturePlace: null,
    rights: null, consent: null, confidential: false, cataloguer: null, cataloguedAt: null,
  };
}

/** A drawn stand-in picture as a data: URL. */
function picture(label: string, w: number, h: number, hue: number): string {
  const font = Math.round(Math.min(w, h) / 9);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},55%,62%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360},60%,32%)"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>
<circle cx="${w * 0.78}" cy="${h * 0.28}" r="${Math.min(w, h) * 0.12}" fill="rgba(255,255,255,0.35)"/>
<path d="M0 ${h * 0.82} L${w * 0.3} ${h * 0.5} L${w * 0.55} ${h * 0.75} L${w * 0.75} ${h * 0.58} L${w} ${h * 0.85} L${w} ${h} L0 ${h} Z" fill="rgba(0,0,0,0.25)"/>
<text x="50%" y="52%" text-anchor="middle" font-family="sans-serif" font-size="${font}" fill="#fff">${label}</text>
<text x="50%" y="${h - font * 0.6}" text-anchor="middle" font-family="sans-serif" font-size="${Math.round(font / 2.4)}" fill="rgba(255,255,255,0.8)">示例图片（虚构）</text>
</svg>`;
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class MediaMock {
  media: MockMedia[] = [];
  links: MockLink[] = [];
  private cancel = false;
  private fixity: FixityStatus = { lastRunAt: null, lastOk: null, lastSummary: null, due: true };

  constructor(private host: MediaHost) {}

  rebind(host: MediaHost): this {
    this.host = host;
    return this;
  }

  // ---- seed -------------------------------------------------------------------------------

  seed() {
    const h = this.host;
    const days = (n: number) => new Date(Date.parse("2024-03-01T02:00:00Z") - n * 86_400_000).toISOString();
    this.fixity = { lastRunAt: days(9), lastOk: true, lastSummary: "9 个资料的原件全部完好", due: true };
    const hg = h.itemRefs().find((i) => i.name === "鲁南花鼓")?.id ?? null;
    const hz = h.itemRefs().find((i) => i.name === "运河号子")?.id ?? null;
    const add = (name: string, extra: Omit<Partial<MockMedia>, "technical" | "description"> & { technical?: Partial<MediaTechnical>; description?: Partial<MediaDescription> }) => {
      const m = this.create(name, extra.sizeBytes ?? 2_400_000, extra.hue ?? 20);
      Object.assign(m.technical, extra.technical ?? {});
      Object.assign(m.description, extra.description ?? {});
      const { technical: _t, description: _d, ...rest } = extra;
      void _t;
      void _d;
      Object.assign(m, rest);
      m.width = m.technical.width;
      m.height = m.technical.height;
      return m;
    };
    const a = add("鲁南花鼓-古城展演-01.jpg", {
      hue: 8, sizeBytes: 6_815_744,
      technical: { width: 4000, height: 3000, capturedAt: "2024-02-12 10:23:45", camera: "Canon EOS 80D", gpsLat: 34.561234, gpsLon: 117.731234, gcj02Lat: 34.559801, gcj02Lon: 117.736512 },
      description: { title: "鲁南花鼓古城展演", caption: "2024 年非遗月，鲁南花鼓在台儿庄古城运河广场展演（示例）", captionTime: "2024 年春节", captionPlace: "台儿庄古城运河广场", captionPeople: "孙玉兰（中）及花鼓队队员", captionEvent: "非遗月展演", creator: "王摄影", creatorRole: "摄影", rights: "台儿庄区文化馆所有", consent: "已取得口头同意", cataloguer: "张三", cataloguedAt: "2024-02-20" },
    });
    const b = add("鲁南花鼓-排练.jpg", {
      hue: 32, sizeBytes: 3_145_728,
      technical: { width: 3000, height: 2000, capturedAt: "2023-11-03 15:02:10", camera: "HUAWEI P40", unread: ["照片中没有 GPS 位置信息"] },
      description: { caption: "花鼓队在文化站排练（示例）" },
    });
    const c = add("老照片扫描-1962.tif", {
      hue: 40, sizeBytes: 48_234_496, hasPreview: true,
      technical: { width: 5200, height: 3600, unread: ["未能读取拍摄时间：扫描件中没有拍摄时间", "未能读取相机型号"] },
      description: { caption: "1962 年春节花鼓会老照片（扫描件，示例）", captureDate: "1962", provider: "孙家后人", holder: "孙玉兰" },
    });
    const v = add("花鼓表演.mp4", {
      hue: 220, sizeBytes: 212_860_928, hasThumb: false,
      technical: { width: 1920, height: 1080, durationMs: 185_000, frameRate: 29.97, codec: "H.264", bitRate: 8_500_000, capturedAt: "2024-02-12 10:40:00" },
      description: { caption: "鲁南花鼓完整表演录像（示例）" },
    });
    const au = add("运河号子录音.wav", {
      hue: 150, sizeBytes: 42_900_000, hasThumb: false,
      technical: { durationMs: 243_000, sampleRate: 44_100, channels: 2, codec: "PCM", bitRate: 1_411_000 },
      description: { title: "运河号子（拉纤号）", caption: "老船工演唱的运河号子录音（示例）", creator: "李录音", creatorRole: "录音" },
    });
    const pdf = add("鲁南花鼓申报书扫描件.pdf", {
      hue: 30, sizeBytes: 5_400_000, hasThumb: false,
      technical: { pageCount: 12 },
      description: { caption: "2009 年市级申报书扫描件（示例）", confidential: true },
    });
    const p = add("孙玉兰-二寸照.jpg", { hue: 200, sizeBytes: 420_000, technical: { width: 413, height: 579 } });
    add("未整理-001.jpg", { hue: 280, sizeBytes: 2_100_000, technical: { width: 4032, height: 3024, capturedAt: "2024-01-20 09:10:00", camera: "Xiaomi 13" } });
    const gone = add("重复的照片.jpg", { hue: 0, technical: { width: 1600, height: 1200 } });
    gone.deletedAt = days(2);
    gone.deletedReason = "重复导入";
    c.missing = true;

    if (hg) {
      for (const m of [a, b, c]) this.addLink(m.id, { entity: "item", id: hg, role: "照片" });
      this.addLink(v.id, { entity: "item", id: hg, role: "视频" });
      this.addLink(pdf.id, { entity: "item", id: hg, role: "扫描件" });
    }
    if (hz) this.addLink(au.id, { entity: "item", id: hz, role: "录音" });
    const syl = h.personIdFor("孙玉兰");
    if (syl) {
      this.addLink(p.id, { entity: "inheritor", id: syl, role: "肖像" });
      this.addLink(a.id, { entity: "inheritor", id: syl, role: "照片" });
    }
  }

  private create(name: string, size: number, hue: number): MockMedia {
    const ext = (name.split(".").pop() ?? "").toLowerCase();
    const kind = KIND_BY_EXT[ext] ?? "文档";
    const id = this.host.id("media");
    const at = this.host.stamp();
    const m: MockMedia = {
      id, sha256: fakeSha(`${name}:${id}`), ext, kind, originalName: name, sizeBytes: size, mime: MIME_BY_EXT[ext] ?? null,
      width: null, height: null, importedAt: at, technical: emptyTechnical(), hasThumb: kind === "照片", hasPreview: false,
      description: emptyDescription(id), createdAt: at, updatedAt: at, deletedAt: null, deletedReason: null, hue, missing: false,
    };
    this.media.push(m);
    this.host.appendLog({ at, actor: this.host.actorName(), entity: "media", entityId: id, action: "create", field: null, oldValue: null, newValue: null, reason: null });
    return m;
  }

  /** Stand-in pictures for the media:// addresses (see setMediaUrlResolver). */
  url(what: string, sha: string): string | null {
    const m = this.media.find((x) => x.sha256 === sha);
    if (!m) return null;
    const w = m.technical.width ?? 1600;
    const h = m.technical.height ?? 1200;
    const label = m.description.title ?? m.originalName.replace(/\.[^.]+$/, "");
    if (what === "thumb") return picture(label, 320, Math.round((320 * h) / w), m.hue);
    if (what === "preview") return picture(label, 2048, Math.round((2048 * h) / w), m.hue);
    if (m.kind === "照片") return picture(label, w, h, m.hue);
    return null;
  }

  /** The first live 肖像 of an inheritor. */
  portraitOf(inheritorId: string): string | null {
    const l = this.links
      .filter((x) => x.entity === "inheritor" && x.entityId === inheritorId && x.role === "肖像")
      .filter((x) => !this.media.find((m) => m.id === x.mediaId)?.deletedAt)
      .sort((x, y) => x.ord - y.ord)[0];
    return l?.mediaId ?? null;
  }

  // ---- reading ----------------------------------------------------------------------------

  private find(id: string) {
    return this.media.find((m) => m.id === id) ?? fail("not_found", `找不到资料：${id}`);
  }
  private linksOf(id: string): MediaLink[] {
    return this.links.filter((l) => l.mediaId === id).map((l) => ({ ...l, entityName: this.host.recordName(l.entity, l.entityId) }));
  }
  detail(m: MockMedia): MediaDetail {
    const { hue: _h, missing: _m, ...rest } = m;
    void _h;
    void _m;
    return { ...rest, technical: { ...m.technical, unread: [...m.technical.unread] }, description: { ...m.description }, links: this.linksOf(m.id) };
  }
  private row(m: MockMedia): MediaRow {
    return {
      id: m.id, sha256: m.sha256, ext: m.ext, kind: m.kind, originalName: m.originalName, title: m.description.title,
      caption: m.description.caption, sizeBytes: m.sizeBytes, width: m.width, height: m.height, durationMs: m.technical.durationMs,
      capturedAt: m.technical.capturedAt, hasThumb: m.hasThumb, confidential: m.description.confidential, importedAt: m.importedAt,
      linkCount: this.links.filter((l) => l.mediaId === m.id).length, deletedAt: m.deletedAt,
    };
  }

  list(q: MediaQuery): MediaPage {
    const text = (q.query ?? "").trim().toLowerCase();
    const day = (m: MockMedia) => (m.technical.capturedAt ?? m.importedAt).slice(0, 10);
    const mine = (m: MockMedia) => this.links.filter((l) => l.mediaId === m.id && (!q.entity || l.entity === q.entity) && (!q.entityId || l.entityId === q.entityId));
    let rows = this.media
      .filter((m) => (q.deleted ? m.deletedAt !== null : m.deletedAt === null))
      .filter((m) => !q.kind || m.kind === q.kind)
      .filter((m) => (!q.entity && !q.entityId) || mine(m).length > 0)
      .filter((m) => q.confidential === null || q.confidential === undefined || m.description.confidential === q.confidential)
      .filter((m) => !q.dateFrom || day(m) >= q.dateFrom)
      .filter((m) => !q.dateTo || day(m) <= q.dateTo)
      .filter((m) => {
        if (!text) return true;
        const d = m.description;
        return [m.originalName, d.title, d.caption, d.captionPeople, d.captionPlace, d.captionEvent, d.captionTime]
          .some((s) => (s ?? "").toLowerCase().includes(text));
      });
    if (q.entityId) rows.sort((x, y) => Math.min(...mine(x).map((l) => l.ord)) - Math.min(...mine(y).map((l) => l.ord)));
    else rows = rows.sort((x, y) => y.importedAt.localeCompare(x.importedAt));
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 50;
    return { rows: rows.slice((page - 1) * pageSize, page * pageSize).map((m) => this.row(m)), total: rows.length, page, pageSize };
  }

  // ---- writing ----------------------------------------------------------------------------

  private log(m: MockMedia, action: string, field: string | null = null, oldValue: string | null = null, newValue: string | null = null, reason: string | null = null) {
    this.host.appendLog({ at: this.host.stamp(), actor: this.host.actorName(), entity: "media", entityId: m.id, action, field, oldValue, newValue, reason });
  }
  private live(m: MockMedia) {
    if (m.deletedAt) fail("deleted", `资料“${m.originalName}”已删除（在回收站中），请先恢复`);
    return m;
  }
  private linksText(id: string) {
    return this.linksOf(id).map((l) => `${entityLabel(l.entity)}“${l.entityName ?? l.entityId}”（${l.role}）`).sort().join("、") || null;
  }

  private checkDescription(d: Partial<MediaDescription>): FieldError[] {
    const errors: FieldError[] = [];
    if (d.cataloguedAt && !/^\d{4}-\d{2}-\d{2}$/.test(d.cataloguedAt)) errors.push({ field: "cataloguedAt", message: "著录日期应为 YYYY-MM-DD" });
    if (d.title && [...d.title].length > 200) errors.push({ field: "title", message: "标题不能超过 200 字" });
    if (d.caption && [...d.caption].length > 2000) errors.push({ field: "caption", message: "说明不能超过 2000 字" });
    return errors;
  }

  describe(input: MediaDescription): MediaDetail {
    const m = this.live(this.find(input.id));
    const errors = this.checkDescription(input);
    if (errors.length) fail("validation", `输入有误：${errors.map((e) => e.message).join("；")}`, errors);
    const old = m.description;
    for (const k of TEXT_KEYS) {
      const v = input[k]?.trim() ? input[k]!.trim() : null;
      if (v !== old[k]) this.log(m, "update", k, old[k], v);
    }
    if (input.confidential !== old.confidential) this.log(m, "update", "confidential", String(old.confidential), String(input.confidential));
    m.description = { ...input, id: m.id };
    for (const k of TEXT_KEYS) m.description[k] = input[k]?.trim() ? input[k]!.trim() : null;
    m.updatedAt = this.host.stamp();
    return this.detail(m);
  }

  private addLink(mediaId: string, t: MediaLinkTarget): boolean {
    const m = this.find(mediaId);
    const role = t.role.trim() || roleForKind(m.kind);
    if (this.links.some((l) => l.mediaId === mediaId && l.entity === t.entity && l.entityId === t.id && l.role === role)) return false;
    const ord = Math.max(0, ...this.links.filter((l) => l.entity === t.entity && l.entityId === t.id && l.role === role).map((l) => l.ord)) + 1;
    this.links.push({ id: this.host.id("link"), mediaId, entity: t.entity, entityId: t.id, role, ord });
    return true;
  }
  private checkTarget(t: MediaLinkTarget) {
    if (!["item", "inheritor", "activity", "unit", "plan", "batch"].includes(t.entity))
      fail("validation", "请选择要关联的记录类别", [{ field: "entity", message: "请选择要关联的记录类别" }]);
    if (this.host.recordName(t.entity, t.id) === null)
      fail("validation", `找不到要关联的${entityLabel(t.entity)}`, [{ field: "id", message: `找不到要关联的${entityLabel(t.entity)}` }]);
  }
  link(mediaId: string, t: MediaLinkTarget): MediaDetail {
    const m = this.live(this.find(mediaId));
    this.checkTarget(t);
    const before = this.linksText(m.id);
    if (this.addLink(m.id, t)) this.log(m, "update", "links", before, this.linksText(m.id));
    return this.detail(m);
  }
  unlink(linkId: string): MediaDetail {
    const l = this.links.find((x) => x.id === linkId) ?? fail("not_found", `找不到关联：${linkId}`);
    const m = this.find(l.mediaId);
    const before = this.linksText(m.id);
    this.links = this.links.filter((x) => x !== l);
    this.log(m, "update", "links", before, this.linksText(m.id));
    return this.detail(m);
  }
  reorder(entity: string, id: string, role: string, mediaIds: string[]) {
    const mine = this.links.filter((l) => l.entity === entity && l.entityId === id && l.role === role);
    if (mine.length !== mediaIds.length || mine.some((l) => !mediaIds.includes(l.mediaId)))
      fail("conflict", "资料的顺序已被改动，请刷新后再试");
    for (const l of mine) l.ord = mediaIds.indexOf(l.mediaId) + 1;
  }

  batchEdit(input: MediaBatchEdit) {
    const errors = this.checkDescription(Object.fromEntries(Object.entries(input.set).filter(([, v]) => v !== null)) as Partial<MediaDescription>);
    if (errors.length) fail("validation", `输入有误：${errors.map((e) => e.message).join("；")}`, errors);
    if (input.link) this.checkTarget(input.link);
    let changed = 0;
    let linked = 0;
    for (const id of input.ids) {
      const m = this.live(this.find(id));
      let touched = false;
      for (const k of TEXT_KEYS) {
        const v = input.set[k];
        if (v === null || v === undefined) continue;
        const next = v.trim() || null;
        if (next !== m.description[k]) {
          this.log(m, "update", k, m.description[k], next);
          m.description[k] = next;
          touched = true;
        }
      }
      if (input.set.confidential !== null && input.set.confidential !== undefined && input.set.confidential !== m.description.confidential) {
        this.log(m, "update", "confidential", String(m.description.confidential), String(input.set.confidential));
        m.description.confidential = input.set.confidential;
        touched = true;
      }
      if (touched) {
        changed++;
        m.updatedAt = this.host.stamp();
      }
      if (input.link && this.addLink(m.id, input.link)) linked++;
    }
    return { changed, linked };
  }

  /** history_revert of a description field. */
  revert(id: string, field: string, old: string | null, seq: number) {
    const m = this.live(this.find(id));
    const d = m.description as unknown as Record<string, unknown>;
    if (!(field in d) || field === "id") fail("conflict", `“${field}”这一项不能单独撤销，请在资料的说明中手动修改`);
    const current = d[field];
    d[field] = field === "confidential" ? old === "true" : old;
    m.updatedAt = this.host.stamp();
    this.log(m, "revert", field, current === null || current === undefined ? null : String(current), old, `撤销第 ${seq} 条修改`);
  }

  // ---- import -----------------------------------------------------------------------------

  private async importFiles(files: string[], link: MediaLinkTarget | null, channel: { onmessage?: (e: MediaImportEvent) => void } | undefined): Promise<MediaImportReport> {
    if (link) this.checkTarget(link);
    this.cancel = false;
    // A path without an extension is a folder: it holds three (fictional) photos.
    const expanded = files.flatMap((f) =>
      /\.[^\\/.]+$/.test(f) ? [f] : [1, 2, 3].map((n) => `${f}/${baseName(f)}-${String(n).padStart(2, "0")}.jpg`),
    );
    const size = (f: string) => 1_500_000 + (baseName(f).length % 7) * 400_000;
    const bytesTotal = expanded.reduce((s, f) => s + size(f), 0);
    const send = (e: Partial<MediaImportEvent> & { stage: string }) =>
      channel?.onmessage?.({ filesDone: 0, count: expanded.length, bytesDone: 0, bytesTotal, current: null, outcome: null, report: null, ...e });
    send({ stage: "started" });
    const outcomes: MediaImportOutcome[] = [];
    let bytesDone = 0;
    for (const file of expanded) {
      const name = baseName(file);
      if (this.cancel) {
        outcomes.push({ file, name, status: "cancelled", mediaId: null, sha256: null, kind: null, message: `“${name}”未导入：导入已取消` });
        continue;
      }
      send({ stage: "progress", filesDone: outcomes.length, bytesDone, current: file });
      await sleep(350);
      bytesDone += size(file);
      send({ stage: "progress", filesDone: outcomes.length, bytesDone, current: file });
      const ext = (name.split(".").pop() ?? "").toLowerCase();
      let outcome: MediaImportOutcome;
      const same = this.media.find((m) => m.originalName === name && !m.deletedAt);
      if (!KIND_BY_EXT[ext] || !/\.[^.]+$/.test(name)) {
        outcome = { file, name, status: "failed", mediaId: null, sha256: null, kind: null, message: `“${name}”不是可导入的照片、视频、音频或 PDF 文件` };
      } else if (same) {
        if (link) this.addLink(same.id, link);
        outcome = { file, name, status: "duplicate", mediaId: same.id, sha256: same.sha256, kind: same.kind, message: `“${name}”与资料库中已有的“${same.originalName}”内容相同${link ? "，已关联已有资料" : ""}` };
      } else {
        const m = this.create(name, size(file), (name.length * 47) % 360);
        if (m.kind === "照片") Object.assign(m.technical, { width: 4000, height: 3000, capturedAt: "2024-02-12 11:05:00", camera: "Canon EOS 80D" });
        else m.technical.unread.push("未能读取时长和编码：示例数据");
        m.width = m.technical.width;
        m.height = m.technical.height;
        if (link) this.addLink(m.id, link);
        outcome = { file, name, status: "imported", mediaId: m.id, sha256: m.sha256, kind: m.kind, message: null };
      }
      outcomes.push(outcome);
      send({ stage: "file", filesDone: outcomes.length, bytesDone, outcome });
    }
    const count = (s: string) => outcomes.filter((o) => o.status === s).length;
    const report: MediaImportReport = { outcomes, imported: count("imported"), duplicates: count("duplicate"), failed: count("failed"), cancelled: count("cancelled") };
    send({ stage: "finished", filesDone: outcomes.length, bytesDone: bytesTotal, report });
    return report;
  }

  // ---- integrity --------------------------------------------------------------------------

  private entry(m: MockMedia): FixityEntry {
    return { mediaId: m.id, originalName: m.originalName, sha256: m.sha256, actualSha256: null, path: `/home/user/.local/share/feiyi/sample/media/originals/${m.sha256.slice(0, 2)}/${m.sha256}.${m.ext}`, deleted: !!m.deletedAt };
  }
  verify(): FixityReport {
    const missing = this.media.filter((m) => m.missing).map((m) => this.entry(m));
    const ok = missing.length === 0;
    const report: FixityReport = { ok, checked: this.media.length, missing, changed: [], unreferenced: [] };
    this.fixity = {
      lastRunAt: new Date().toISOString(), lastOk: ok, due: false,
      lastSummary: ok ? `${this.media.length} 个资料的原件全部完好` : `${this.media.length} 个资料中缺失 ${missing.length} 个原件`,
    };
    return report;
  }
  relink(folder: string): RelinkReport {
    const restored = this.media.filter((m) => m.missing).map((m) => ({ mediaId: m.id, originalName: m.originalName, sha256: m.sha256, source: `${folder}/${m.originalName}` }));
    for (const m of this.media) m.missing = false;
    return { scanned: 24, restored, stillMissing: [] };
  }

  handle(cmd: string, a: Record<string, unknown>): unknown {
    switch (cmd) {
      case "media_list":
        return this.list(a.query as MediaQuery);
      case "media_get":
        return this.detail(this.find(a.id as string));
      case "media_describe":
        return this.describe(a.input as MediaDescription);
      case "media_batch_edit":
        return this.batchEdit(a.input as MediaBatchEdit);
      case "media_link":
        return this.link(a.mediaId as string, a.target as MediaLinkTarget);
      case "media_unlink":
        return this.unlink(a.linkId as string);
      case "media_reorder":
        this.reorder(a.entity as string, a.id as string, a.role as string, a.mediaIds as string[]);
        return null;
      case "media_delete": {
        const m = this.live(this.find(a.id as string));
        const reason = String(a.reason ?? "").trim();
        if (!reason) fail("validation", "请填写删除原因", [{ field: "reason", message: "请填写删除原因" }]);
        m.deletedAt = this.host.stamp();
        m.deletedReason = reason;
        this.log(m, "delete", null, null, null, reason);
        return null;
      }
      case "media_restore": {
        const m = this.find(a.id as string);
        if (m.deletedAt) {
          m.deletedAt = null;
          m.deletedReason = null;
          this.log(m, "restore");
        }
        return this.detail(m);
      }
      case "media_pick_files":
        return a.directory
          ? ["/home/user/图片/2024非遗月"]
          : ["/home/user/图片/花鼓展演-03.jpg", "/home/user/图片/花鼓展演-04.jpg", "/home/user/图片/鲁南花鼓-排练.jpg", "/home/user/下载/会议通知.docx"];
      case "media_import_start":
        return this.importFiles(a.files as string[], (a.link as MediaLinkTarget | null) ?? null, a.onEvent as { onmessage?: (e: MediaImportEvent) => void });
      case "media_import_cancel":
        this.cancel = true;
        return null;
      case "media_verify":
        return this.verify();
      case "media_fixity_status":
        return { ...this.fixity };
      case "media_relink":
        return this.relink(String(a.folder ?? ""));
      case "media_rebuild_derived":
        return this.media.filter((m) => m.hasThumb).length + this.media.filter((m) => m.hasPreview).length;
      default:
        return UNHANDLED;
    }
  }
}

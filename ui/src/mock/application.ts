// The in-memory fake of the application commands (申报): export profiles, the pre-flight
// check and the package export, for the development preview (dev-mock.html) and UI tests.
// The check applies the main rules of the core's `application::preflight` to the fake
// registry's own records, so that the report changes when the clerk fixes something.
import type { Batch } from "../bindings/Batch";
import type { ExportProfile } from "../bindings/ExportProfile";
import type { FieldError } from "../bindings/FieldError";
import type { Finding } from "../bindings/Finding";
import type { FindingTarget } from "../bindings/FindingTarget";
import type { ItemDetail } from "../bindings/ItemDetail";
import type { Lineage } from "../bindings/Lineage";
import type { MediaDetail } from "../bindings/MediaDetail";
import type { MediaPage } from "../bindings/MediaPage";
import type { PackageFile } from "../bindings/PackageFile";
import type { PackageOptions } from "../bindings/PackageOptions";
import type { PackageSummary } from "../bindings/PackageSummary";
import type { PlanDetail } from "../bindings/PlanDetail";
import type { PlanPage } from "../bindings/PlanPage";
import type { PreflightCounts } from "../bindings/PreflightCounts";
import type { PreflightReport } from "../bindings/PreflightReport";
import type { ProfileSummary } from "../bindings/ProfileSummary";
import type { Recognition } from "../bindings/Recognition";
import { UNHANDLED, type MockHost } from "./people";

/** What the application fake needs: the other fake commands (it reads through them). */
export interface ApplicationHost extends MockHost {
  handle(cmd: string, a: Record<string, unknown>): unknown;
}

function fail(code: string, message: string, fields?: FieldError[]): never {
  throw fields ? { code, message, fields } : { code, message };
}

const DEFAULT_LIMIT = "默认值，可修改";
const section = (key: string, group: string, label: string, maxChars: number, required = true) => ({
  key, group, label, required, maxChars, limitSource: DEFAULT_LIMIT,
});

/** The shipped 枣庄 municipal profile (a copy of data/profiles/zaozhuang-municipal.json). */
export function shippedProfile(): ExportProfile {
  return {
    name: "zaozhuang-municipal",
    title: "枣庄市级非物质文化遗产代表性项目申报（默认）",
    version: 1,
    level: "市级",
    description:
      "按《中华人民共和国非物质文化遗产法》第十九条和国家级申报书的栏目编排。枣庄市每次申报通知的填表说明未公开，凡标“默认值，可修改”的数字都是参照其他地市申报通知的估计，不是枣庄的正式要求：请以当次通知为准，另存一份配置后修改。",
    basedOn: null,
    sections: [
      section("applicant", "基本信息", "申报地区或单位", 100),
      section("distribution", "基本信息", "分布区域", 300),
      section("summary", "基本信息", "项目简介", 500),
      section("geography", "基本信息", "所在区域及其地理环境", 1000),
      section("history", "项目说明", "历史渊源", 2000),
      section("content", "项目说明", "基本内容", 2500),
      section("artifacts", "项目说明", "相关器具及制品", 1000),
      section("lineageText", "项目说明", "传承谱系（叙述）", 1500, false),
      section("features", "项目说明", "主要特征", 1500),
      section("value", "项目说明", "重要价值", 1500),
      section("viability", "项目说明", "存续状况", 1500),
      section("argumentation", "项目论证", "项目论证", 2000),
      section("management", "项目管理", "项目管理", 1500),
      section("protectionDone", "保护计划", "已采取的保护措施", 1500),
      section("mechanism", "保护计划", "管理机制", 1000),
    ],
    photos: {
      role: "照片", minCount: 10, maxCount: null, formats: ["jpg", "jpeg"], minLongEdgePx: 1920, minShortEdgePx: 1080,
      minSizeMb: 2, maxSizeMb: 5, captionRequired: true, captionParts: ["time", "place", "people", "event"], limitSource: DEFAULT_LIMIT,
    },
    video: {
      role: "视频", required: true, minCount: 1, formats: ["mp4", "mov"], minDurationSec: 300, maxDurationSec: 600,
      minShortEdgePx: 1080, maxSizeMb: 300, limitSource: DEFAULT_LIMIT,
    },
    audio: { role: "录音", required: false, formats: ["mp3", "wav", "m4a"], limitSource: DEFAULT_LIMIT },
    documents: [
      { role: "授权书", label: "授权书", required: true, on: ["item"], note: "申报单位不是传承人本人时，由传承人签署授权。" },
      { role: "知情同意书", label: "知情同意书", required: true, on: ["item"], note: "被调查、记录的传承人和群众的知情同意（非遗法第十六条）。" },
      { role: "决定扫描件", label: "区级名录公布文件扫描件", required: true, on: ["item", "batch"], note: "公布区级名录的区政府文件（带文号），可关联到项目或其批次。" },
      { role: "区政府同意申报文件", label: "区政府同意申报文件", required: true, on: ["item"], note: "区政府同意推荐申报市级名录的文件。" },
    ],
    personalFields: { idNumber: false, phone: false, address: false },
    inheritors: { required: true, minCount: 1, levels: ["区级"], status: "在册", docNumberRequired: true },
    plan: { required: true, years: 5, budgetRequired: true, budgetBasisRequired: true, lineJustificationRequired: false },
    listing: { docNumberRequired: true },
    lineage: { required: true },
  };
}

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const hasText = (s: string | null | undefined) => !!s && s.trim() !== "";
const chars = (s: string) => [...s].filter((c) => !/\s/.test(c)).length;
const limitNote = (source: string | null) => (source?.startsWith("默认值") ? "（默认值，可在申报配置中修改）" : source ? `（依据：${source}）` : "");
const durationText = (secs: number) => {
  const m = Math.floor(secs / 60), s = secs % 60;
  return m === 0 ? `${s} 秒` : s === 0 ? `${m} 分钟` : `${m} 分 ${s} 秒`;
};
const LEVELS = ["区级", "市级", "省级", "国家级"];

type Linked = { media: MediaDetail; role: string; ord: number };

export class ApplicationMock {
  /** The user's copies (kept in the registry by the core). */
  profiles: ExportProfile[] = [];
  private exports = 0;

  constructor(private host: ApplicationHost) {}

  rebind(host: ApplicationHost): this {
    this.host = host;
    return this;
  }

  private summary(p: ExportProfile, shipped: boolean): ProfileSummary {
    return { name: p.name, title: p.title, version: p.version, level: p.level, shipped, basedOn: p.basedOn };
  }

  private all(): { p: ExportProfile; shipped: boolean }[] {
    return [{ p: shippedProfile(), shipped: true }, ...[...this.profiles].sort((a, b) => a.name.localeCompare(b.name)).map((p) => ({ p, shipped: false }))];
  }

  profile(name: string): ExportProfile {
    const found = this.all().find((x) => x.p.name === name.trim());
    return clone(found?.p ?? fail("not_found", `找不到申报配置：${name}`));
  }

  private validate(p: ExportProfile) {
    const e: FieldError[] = [];
    const push = (field: string, message: string) => e.push({ field, message });
    if (!p.name || p.name.length > 40) push("name", "配置名称不能为空，且不超过 40 个字");
    else if (/[\s/\\:*?"<>|]/.test(p.name)) push("name", "配置名称不能含空格或 / \\ : * ? \" < > | 等符号");
    if (!p.title) push("title", "请填写配置标题");
    if (!Number.isInteger(p.version) || p.version < 1) push("version", "版本号应为正整数");
    if (!LEVELS.includes(p.level)) push("level", `申报级别应为 ${LEVELS.join(" / ")}`);
    p.sections.forEach((s, i) => {
      if (!s.label) push(`sections.${i}.label`, "请填写栏目名称");
      if (s.maxChars !== null && (!Number.isInteger(s.maxChars) || s.maxChars < 1)) push(`sections.${i}.maxChars`, "字数限制应为正整数，不限制请留空");
    });
    const ph = p.photos;
    if (ph.minCount < 0) push("photos.minCount", "照片数量不能为负数");
    if (ph.maxCount !== null && ph.maxCount < ph.minCount) push("photos.maxCount", `照片数量的下限 ${ph.minCount} 大于上限 ${ph.maxCount}`);
    if (ph.minSizeMb !== null && ph.maxSizeMb !== null && ph.minSizeMb > ph.maxSizeMb) push("photos.maxSizeMb", `照片文件大小的下限 ${ph.minSizeMb} 大于上限 ${ph.maxSizeMb}`);
    const v = p.video;
    if (v.minDurationSec !== null && v.maxDurationSec !== null && v.minDurationSec > v.maxDurationSec) {
      push("video.maxDurationSec", `视频时长的下限 ${v.minDurationSec} 大于上限 ${v.maxDurationSec}`);
    }
    for (const [field, list] of [["photos.formats", ph.formats], ["video.formats", v.formats], ["audio.formats", p.audio.formats]] as const) {
      if (list.some((f) => !/^[a-z0-9]+$/.test(f))) push(field, "文件格式请写小写扩展名，不带点，如 jpg、mp4");
    }
    if (p.plan.years < 1) push("plan.years", "保护计划年数应为正整数");
    if (e.length) fail("validation", `申报配置有误：${e.map((x) => x.message).join("；")}`, e);
  }

  save(input: ExportProfile): ProfileSummary {
    const p = clone(input);
    p.name = p.name.trim();
    p.title = p.title.trim();
    for (const list of [p.photos.formats, p.video.formats, p.audio.formats]) {
      list.forEach((f, i) => (list[i] = f.trim().replace(/^\./, "").toLowerCase()));
    }
    if (p.name === shippedProfile().name) {
      fail("validation", `“${p.name}”是软件自带的申报配置，不能直接修改；请换一个名称另存为副本`, [
        { field: "name", message: `“${p.name}”是软件自带的申报配置，不能直接修改；请换一个名称另存为副本` },
      ]);
    }
    this.validate(p);
    if (p.basedOn && !this.all().some((x) => x.p.name === p.basedOn)) {
      fail("validation", `没有名为“${p.basedOn}”的申报配置`, [{ field: "basedOn", message: `没有名为“${p.basedOn}”的申报配置` }]);
    }
    const i = this.profiles.findIndex((x) => x.name === p.name);
    const old = i >= 0 ? JSON.stringify(this.profiles[i]) : null;
    if (i >= 0) this.profiles[i] = p;
    else this.profiles.push(p);
    this.host.appendLog({
      at: this.host.stamp(), actor: this.host.actorName(), entity: "application_profile", entityId: p.name,
      action: i >= 0 ? "update" : "create", field: "profile", oldValue: old, newValue: JSON.stringify(p), reason: null,
    });
    return this.summary(p, false);
  }

  remove(name: string, reason: string) {
    if (!reason.trim()) fail("validation", "请填写删除原因", [{ field: "reason", message: "请填写删除原因" }]);
    if (name === shippedProfile().name) fail("conflict", `“${name}”是软件自带的申报配置，不能删除`);
    const i = this.profiles.findIndex((x) => x.name === name);
    if (i < 0) fail("not_found", `找不到申报配置：${name}`);
    const [gone] = this.profiles.splice(i, 1);
    this.host.appendLog({
      at: this.host.stamp(), actor: this.host.actorName(), entity: "application_profile", entityId: name,
      action: "delete", field: "profile", oldValue: JSON.stringify(gone), newValue: null, reason: reason.trim(),
    });
  }

  private linked(entity: string, id: string): Linked[] {
    const page = this.host.handle("media_list", {
      query: { kind: null, entity, entityId: id, query: null, confidential: null, dateFrom: null, dateTo: null, deleted: false, page: 1, pageSize: 500 },
    }) as MediaPage;
    const out: Linked[] = [];
    for (const row of page.rows) {
      const m = this.host.handle("media_get", { id: row.id }) as MediaDetail;
      for (const l of m.links.filter((x) => x.entity === entity && x.entityId === id)) out.push({ media: m, role: l.role, ord: l.ord });
    }
    return out.sort((a, b) => a.role.localeCompare(b.role) || a.ord - b.ord);
  }

  /** The pre-flight check of an item: the core's main rules, on the fake's records. */
  check(itemId: string, profileName: string | null): PreflightReport {
    const p = this.profile(profileName ?? shippedProfile().name);
    const item = this.host.handle("item_get", { id: itemId }) as ItemDetail;
    if (item.deletedAt) fail("deleted", `项目已删除（在回收站中），请先恢复：${itemId}`);
    const findings: Finding[] = [];
    const counts: PreflightCounts = { photos: 0, videos: 0, audio: 0, documents: 0, inheritors: 0, lineagePeople: 0, confidentialLeftOut: 0 };
    const t = (kind: string, id: string, field: string | null = null): FindingTarget => ({ kind, id, field });
    const error = (code: string, target: FindingTarget, message: string) => findings.push({ severity: "error", code, target, message });
    const warning = (code: string, target: FindingTarget, message: string) => findings.push({ severity: "warning", code, target, message });
    const it = (field: string) => t("item", item.id, field);

    if (item.confidential) warning("item_confidential", it("confidential"), `项目“${item.name}”标记为保密；申报材料将报送市文旅局并公示，请确认可以公开`);

    const texts = item.texts as Record<string, string | null>;
    for (const s of p.sections) {
      const n = chars(texts[s.key] ?? "");
      if (n === 0) {
        if (s.required) error("section_empty", it(`texts.${s.key}`), s.group && s.group !== s.label ? `${s.label}（${s.group}）未填写，申报书必须有这一栏` : `${s.label}未填写，申报书必须有这一栏`);
      } else if (s.maxChars !== null && n > s.maxChars) {
        error("section_too_long", it(`texts.${s.key}`), `${s.label} ${n} 字，超过 ${s.maxChars} 字的限制${limitNote(s.limitSource)}`);
      }
    }

    let batch: Batch | null = null;
    if (item.batchId) batch = this.host.handle("batch_get", { id: item.batchId }) as Batch;
    if (p.listing.docNumberRequired) {
      if (batch && !hasText(batch.docNumber)) {
        error("batch_no_doc_number", t("batch", batch.id, "docNumber"), `${batch.label}没有文号：市级申报须附公布区级名录的文件，请在批次中填写其文号`);
      } else if (!batch && !item.listings.some((l) => l.level === "区级")) {
        error("district_listing_missing", it("batchId"), `项目“${item.name}”没有所属批次，也没有区级级别记录：申报市级名录须先列入区级名录`);
      }
    }

    const recognitions = (this.host.handle("recognition_list_for_item", { itemId }) as Recognition[]).filter(
      (r) => !p.inheritors.levels.length || p.inheritors.levels.includes(r.level),
    );
    const active = recognitions.filter((r) => r.status === p.inheritors.status);
    counts.inheritors = active.length;
    if (p.inheritors.required && active.length < Math.max(1, p.inheritors.minCount)) {
      error("inheritor_missing", it("recognitions"), `没有${p.inheritors.status}的${p.inheritors.levels.join("或")}代表性传承人`);
    }
    if (p.inheritors.docNumberRequired) {
      for (const r of active.filter((r) => !hasText(r.docNumber))) {
        error("recognition_no_doc_number", t("recognition", r.id, "docNumber"), `${r.inheritorName}的${r.level}代表性传承人认定没有文号，请填写认定文件的文号`);
      }
    }

    const lineage = this.host.handle("lineage_get", { itemId }) as Lineage;
    counts.lineagePeople = lineage.table.length;
    if (!lineage.table.length) {
      if (p.lineage.required && !hasText(item.texts.lineageText)) {
        error("lineage_empty", t("lineage", item.id), "没有传承谱系：请录入师承关系（传承谱系表），或至少填写传承谱系的文字叙述");
      } else {
        warning("lineage_empty", t("lineage", item.id), "传承谱系表为空，申报书中将只有文字叙述；建议录入师承关系");
      }
    }

    const plans = (this.host.handle("plan_list", { query: { itemId, query: null, deleted: false, page: 1, pageSize: 500 } }) as PlanPage).rows;
    if (!plans.length) {
      if (p.plan.required) error("plan_missing", it("plans"), "没有五年保护计划");
    } else {
      const plan = this.host.handle("plan_get", { id: plans[0].id }) as PlanDetail;
      const f = plan.fields;
      const span = f.endYear - f.startYear + 1;
      if (span !== p.plan.years) error("plan_years", t("plan", plan.id, "endYear"), `保护计划“${f.title}”为 ${f.startYear}—${f.endYear} 年共 ${span} 年，要求 ${p.plan.years} 年`);
      if (!f.budget.length && p.plan.budgetRequired) error("budget_missing", t("plan", plan.id, "budget"), `保护计划“${f.title}”没有经费预算`);
      if (f.budget.length && p.plan.budgetBasisRequired && !hasText(f.budgetBasis)) {
        error("budget_no_basis", t("plan", plan.id, "budgetBasis"), `保护计划“${f.title}”的经费预算没有依据说明（经费预算及其依据说明）`);
      }
    }

    const media = this.linked("item", item.id);
    const batchMedia = batch ? this.linked("batch", batch.id) : [];
    const keep = (list: Linked[], what: string) =>
      list.filter((m) => {
        if (!m.media.description.confidential) return true;
        counts.confidentialLeftOut++;
        warning("confidential_media_left_out", t("media", m.media.id, "confidential"), `${what}“${m.media.originalName}”标记为保密，不会放入申报材料，也不计入数量`);
        return false;
      });

    const ph = p.photos;
    const photos = keep(media.filter((m) => m.role === ph.role), "照片");
    counts.photos = photos.length;
    if (photos.length < ph.minCount) error("photos_too_few", it(`media.${ph.role}`), `照片 ${photos.length} 张，要求至少 ${ph.minCount} 张${limitNote(ph.limitSource)}`);
    photos.forEach(({ media: m }, i) => {
      const name = `第 ${i + 1} 张照片（${m.originalName}）`;
      if (ph.formats.length && !ph.formats.includes(m.ext.toLowerCase())) {
        error("photo_wrong_format", t("media", m.id), `${name}是 ${m.ext.toUpperCase()} 格式，要求 ${ph.formats.join(" / ").toUpperCase()}`);
      }
      const d = m.description;
      const parts = [d.captionTime, d.captionPlace, d.captionPeople, d.captionEvent];
      if (!hasText(d.caption) && !parts.some(hasText)) {
        if (ph.captionRequired) error("photo_no_caption", t("media", m.id, "caption"), `${name}没有图片说明`);
      } else {
        const labels = { time: "时间", place: "地点", people: "人物", event: "事件" } as Record<string, string>;
        const missing = ["time", "place", "people", "event"].filter((k, j) => ph.captionParts.includes(k) && !hasText(parts[j])).map((k) => labels[k]);
        if (missing.length) warning("photo_caption_incomplete", t("media", m.id, "caption"), `${name}的图片说明缺少${missing.join("、")}`);
      }
      if (m.width && m.height) {
        const long = Math.max(m.width, m.height), short = Math.min(m.width, m.height);
        if ((ph.minLongEdgePx && long < ph.minLongEdgePx) || (ph.minShortEdgePx && short < ph.minShortEdgePx)) {
          error("photo_too_small", t("media", m.id), `${name}为 ${m.width}×${m.height} 像素，要求长边至少 ${ph.minLongEdgePx}、短边至少 ${ph.minShortEdgePx} 像素${limitNote(ph.limitSource)}`);
        }
      }
      const mb = m.sizeBytes / 1024 / 1024;
      if ((ph.minSizeMb !== null && mb < ph.minSizeMb) || (ph.maxSizeMb !== null && mb > ph.maxSizeMb)) {
        warning("photo_file_size", t("media", m.id), `${name}文件大小 ${mb.toFixed(1)} MB，建议 ${ph.minSizeMb ?? 0}–${ph.maxSizeMb ?? "∞"} MB${limitNote(ph.limitSource)}`);
      }
    });

    const v = p.video;
    const videos = keep(media.filter((m) => m.role === v.role), "视频");
    counts.videos = videos.length;
    if (v.required && videos.length < Math.max(1, v.minCount)) {
      error("video_missing", it(`media.${v.role}`), `没有视频：请把项目的视频关联到本项目（用途“${v.role}”）${limitNote(v.limitSource)}`);
    }
    for (const { media: m } of videos) {
      const secs = Math.round((m.technical.durationMs ?? 0) / 1000);
      const range = `${Math.round((v.minDurationSec ?? 0) / 60)}–${Math.round((v.maxDurationSec ?? 0) / 60)} 分钟`;
      if (m.technical.durationMs !== null && v.minDurationSec !== null && secs < v.minDurationSec) {
        error("video_too_short", t("media", m.id), `视频“${m.originalName}”时长 ${durationText(secs)}，要求 ${range}${limitNote(v.limitSource)}`);
      } else if (m.technical.durationMs !== null && v.maxDurationSec !== null && secs > v.maxDurationSec) {
        error("video_too_long", t("media", m.id), `视频“${m.originalName}”时长 ${durationText(secs)}，要求 ${range}${limitNote(v.limitSource)}`);
      }
    }

    const audio = keep(media.filter((m) => m.role === p.audio.role), "录音");
    counts.audio = audio.length;
    if (p.audio.required && !audio.length) error("audio_missing", it(`media.${p.audio.role}`), `没有录音：请把录音关联到本项目（用途“${p.audio.role}”）`);

    for (const d of p.documents) {
      const found = keep(
        [...(d.on.includes("item") ? media.filter((m) => m.role === d.role) : []), ...(d.on.includes("batch") ? batchMedia.filter((m) => m.role === d.role) : [])],
        d.label,
      );
      counts.documents += found.length;
      if (!found.length) {
        const msg = `没有“${d.label}”：请扫描后导入资料库，关联到${d.on.includes("batch") ? "本项目或其批次" : "本项目"}，用途选“${d.role}”`;
        (d.required ? error : warning)("document_missing", it(`media.${d.role}`), msg);
      }
    }

    findings.sort((a, b) => Number(a.severity !== "error") - Number(b.severity !== "error"));
    const errorCount = findings.filter((f) => f.severity === "error").length;
    return {
      itemId: item.id, itemName: item.name, profile: p.name, profileTitle: p.title, okToExport: errorCount === 0,
      errorCount, warningCount: findings.length - errorCount, counts, findings,
    };
  }

  /** A package “written” into `outDir` (nothing touches the disk in the preview). */
  exportPackage(itemId: string, opts: PackageOptions): PackageSummary {
    if (!opts.outDir?.trim()) fail("validation", "请选择导出到的文件夹", [{ field: "outDir", message: "请选择导出到的文件夹" }]);
    const report = this.check(itemId, opts.profile);
    const reason = opts.overrideReason?.trim() ?? "";
    if (!report.okToExport && !reason) {
      fail("preflight_errors", `申报体检发现 ${report.errorCount} 个错误，未导出申报材料。请先改正；确需带着错误导出时，请填写原因后越过。`);
    }
    if (!report.okToExport) {
      this.host.appendLog({
        at: this.host.stamp(), actor: this.host.actorName(), entity: "item", entityId: itemId, action: "override", field: "application",
        oldValue: `申报配置：${report.profileTitle}`, newValue: `越过 ${report.errorCount} 个错误`, reason,
      });
    }
    this.exports++;
    const name = report.itemName;
    const code = this.host.itemRef(itemId)?.code ?? "";
    const folderName = `【示例】${code} ${name} 申报材料${this.exports > 1 ? `（${this.exports}）` : ""}`;
    const folder = `${opts.outDir.replace(/[/\\]+$/, "")}/${folderName}`;
    const sha = (s: string) => [...Array(8)].map((_, i) => ((s.length * 2654435761 + i * 40503) >>> 0).toString(16).padStart(8, "0")).join("").slice(0, 64);
    const file = (path: string, kind: string, bytes: number, mediaId: string | null = null): PackageFile => ({ path, kind, bytes, sha256: sha(path), mediaId });
    const media = this.linked("item", itemId).filter((m) => !m.media.description.confidential);
    const people = (this.host.handle("recognition_list_for_item", { itemId }) as Recognition[]).filter((r) => r.status === "在册");
    const files: PackageFile[] = [
      file("01 申报书.docx", "申报书", 48_213),
      file("01 申报书.pdf", "申报书", 312_904),
      ...people.flatMap((r, i) => {
        const stem = `${people.length > 1 ? `02-${i + 1}` : "02"} 代表性传承人申报表（${r.inheritorName}）`;
        return [file(`${stem}.docx`, "传承人申报表", 7_412), file(`${stem}.pdf`, "传承人申报表", 167_020)];
      }),
      file("03 五年保护计划.docx", "保护计划", 6_120),
      file("03 五年保护计划.pdf", "保护计划", 118_906),
      file("04 照片集.docx", "照片集", 2_811_520),
      file("04 照片集.pdf", "照片集", 2_840_112),
      file("05 授权书.docx", "授权书", 5_230),
      file("05 授权书.pdf", "授权书", 66_310),
      ...media.map((m, i) => {
        const folderOf: Record<string, [string, string]> = { 照片: ["照片", "照片"], 视频: ["视频", "视频"], 录音: ["音频", "音频"] };
        const [dir, kind] = folderOf[m.role] ?? ["辅助材料", "辅助材料"];
        return file(`${dir}/${String(i + 1).padStart(2, "0")} ${m.media.originalName}`, kind, m.media.sizeBytes, m.media.id);
      }),
      file("manifest.json", "清单", 4_120),
      file("SHA256SUMS", "清单", 1_544),
    ];
    const p = this.profile(report.profile);
    const masked = [
      ...(p.personalFields.idNumber ? [] : ["身份证号"]),
      ...(p.personalFields.phone ? [] : ["联系电话"]),
      ...(p.personalFields.address ? [] : ["住址"]),
    ];
    return {
      itemId, itemName: name, profile: report.profile, profileTitle: report.profileTitle, folder,
      zip: opts.zip ? `${folder}.zip` : null, files,
      leftOut: report.findings.filter((f) => f.code === "confidential_media_left_out").map((f) => f.message.replace("，也不计入数量", "")),
      masked, warningCount: report.warningCount, overriddenErrors: report.okToExport ? 0 : report.errorCount, elapsedMs: 1840,
    };
  }

  handle(cmd: string, a: Record<string, unknown>): unknown {
    switch (cmd) {
      case "application_profiles":
        return this.all().map((x) => this.summary(x.p, x.shipped));
      case "application_profile":
        return this.profile(String(a.name ?? ""));
      case "application_profile_save":
        return this.save(a.input as ExportProfile);
      case "application_profile_delete":
        this.remove(String(a.name ?? ""), String(a.reason ?? ""));
        return null;
      case "application_check":
        return this.check(String(a.itemId), (a.profile as string | null) ?? null);
      case "application_export":
        return this.exportPackage(String(a.itemId), a.options as PackageOptions);
      case "pick_folder":
        return String(a.title ?? "").includes("报告") ? "/home/user/桌面/年度工作报告" : "/home/user/桌面/申报材料";
      default:
        return UNHANDLED;
    }
  }
}

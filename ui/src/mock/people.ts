// The in-memory fake of the inheritor, lineage and protection-unit commands, for the development
// preview (dev-mock.html). All people, numbers and units here are fictional (示例).
import type { EditLogEntry } from "../bindings/EditLogEntry";
import type { Evaluation } from "../bindings/Evaluation";
import type { FieldError } from "../bindings/FieldError";
import type { InheritorDetail } from "../bindings/InheritorDetail";
import type { InheritorInput } from "../bindings/InheritorInput";
import type { InheritorPage } from "../bindings/InheritorPage";
import type { InheritorQuery } from "../bindings/InheritorQuery";
import type { InheritorRow } from "../bindings/InheritorRow";
import type { ItemRef } from "../bindings/ItemRef";
import type { Lineage } from "../bindings/Lineage";
import type { LineageEdge } from "../bindings/LineageEdge";
import type { LineageRow } from "../bindings/LineageRow";
import type { Recognition } from "../bindings/Recognition";
import type { RecognitionEvent } from "../bindings/RecognitionEvent";
import type { RecognitionEventInput } from "../bindings/RecognitionEventInput";
import type { RecognitionInput } from "../bindings/RecognitionInput";
import type { SearchHit } from "../bindings/SearchHit";
import type { Subsidy } from "../bindings/Subsidy";
import type { TrainingPlan } from "../bindings/TrainingPlan";
import type { UnitCheck } from "../bindings/UnitCheck";
import type { UnitDetail } from "../bindings/UnitDetail";
import type { UnitInput } from "../bindings/UnitInput";
import type { UnitPage } from "../bindings/UnitPage";
import type { UnitQuery } from "../bindings/UnitQuery";
import type { UnitRow } from "../bindings/UnitRow";
import {
  CHECK_RESULTS, GRADES, LINEAGE_KINDS, RECOGNITION_STATUSES, UNIT_CONDITIONS, creditCodeHint, idNumberHint, phoneHint,
} from "../format";

/** What the people fake needs from the rest of the mock backend. */
export interface MockHost {
  id(prefix: string): string;
  stamp(): string;
  actorName(): string;
  itemRef(id: string): (ItemRef & { deleted: boolean }) | null;
  itemRefs(): ItemRef[];
  batchLabelOf(batchId: string | null): string | null;
  batchIdByNumber(n: number): string | null;
  levels(): string[];
  appendLog(entry: Omit<EditLogEntry, "seq" | "revertible">): void;
}

/** Returned by `handle` for commands it does not know. */
export const UNHANDLED = Symbol("unhandled");

type MockInheritor = InheritorInput & {
  id: string;
  initials: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  deletedReason: string | null;
};
type MockRecognition = Omit<Recognition, "inheritorName" | "itemName" | "status" | "statusSince" | "batchLabel"> & {
  batchText: string | null;
};
type MockUnit = UnitInput & {
  id: string;
  initials: string;
  createdAt: string;
  updatedAt: string;
  deletedAt: string | null;
  deletedReason: string | null;
};

function fail(code: string, message: string, fields?: FieldError[]): never {
  throw fields ? { code, message, fields } : { code, message };
}
function check(errors: FieldError[]) {
  if (errors.length) fail("validation", `输入有误：${errors.map((e) => e.message).join("；")}`, errors);
}

const STATUS_RANK: Record<string, number> = { 在册: 0, 去世: 1, 丧失传承能力: 2, 取消资格: 3 };

/** A fictional but well-formed identity number: area 370405, the birth date, a sequence. */
export function fakeIdNumber(birth: string, seq: number, male: boolean): string {
  const seq3 = String((seq * 2 + (male ? 1 : 0)) % 1000).padStart(3, "0");
  const body = `370405${birth.replace(/-/g, "")}${seq3}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((acc, w, i) => acc + w * Number(body[i]), 0);
  return body + "10X98765432"[sum % 11];
}

/** A fictional but well-formed unified social credit code from its first 17 characters. */
export function fakeCreditCode(first17: string): string {
  const chars = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  const weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
  const sum = weights.reduce((acc, w, i) => acc + w * chars.indexOf(first17[i]), 0);
  return first17 + chars[(31 - (sum % 31)) % 31];
}

const maskId = (v: string | null) => (v ? `${v.slice(0, 4)}${"*".repeat(Math.max(0, v.length - 8))}${v.slice(-4)}` : null);
function maskPhone(v: string | null) {
  if (!v) return null;
  const d = v.replace(/[\s-]/g, "");
  if (/^1\d{10}$/.test(d)) return `${d.slice(0, 3)}****${d.slice(-4)}`;
  return d.length > 4 ? `${"*".repeat(d.length - 4)}${d.slice(-4)}` : "****";
}
const today = () => new Date().toISOString().slice(0, 10);

function ageOf(birth: string | null, death: string | null): number | null {
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(birth ?? "");
  if (!m) return null;
  const end = death ?? today();
  const [ey, em, ed] = end.split("-").map(Number);
  let age = ey - Number(m[1]);
  const bm = m[2] ? Number(m[2]) : 1;
  const bd = m[3] ? Number(m[3]) : 1;
  if (em < bm || (em === bm && ed < bd)) age--;
  return age;
}

const BIRTH = /^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/;

export class PeopleMock {
  inheritors: MockInheritor[] = [];
  recognitions: MockRecognition[] = [];
  plans: TrainingPlan[] = [];
  evaluations: Evaluation[] = [];
  subsidies: Subsidy[] = [];
  edges: LineageEdge[] = [];
  units: MockUnit[] = [];
  checks: UnitCheck[] = [];

  constructor(private host: MockHost) {}

  /** Moves the data to another backend (after a registry switch). */
  rebind(host: MockHost): this {
    this.host = host;
    return this;
  }

  // ---- seed -------------------------------------------------------------------------------

  seed() {
    const h = this.host;
    const item = (name: string) => h.itemRefs().find((i) => i.name === name)?.id ?? null;
    const hg = item("鲁南花鼓");
    const lqx = item("柳琴戏");
    const ht = item("黑陶烧制技艺");
    const jz = item("邳庄剪纸");
    const yhhz = item("运河号子");
    const cm = item("运河古船模型制作技艺");
    const note = "示例人物，姓名、号码均为虚构。";
    let seq = 11;
    const person = (name: string, initials: string, sex: "男" | "女", birth: string, extra: Partial<Omit<InheritorInput, "id">> = {}) => {
      const full = birth.length === 10;
      const at = h.stamp();
      const p: MockInheritor = {
        id: h.id("inh"), name, initials, sex, ethnicity: "汉族", birthDate: birth, deathDate: null,
        idNumber: full ? fakeIdNumber(birth, seq++, sex === "男") : null, education: null, employer: null, occupation: null,
        practiceSince: null, phone: null, address: null, resume: null, skillsAchievements: null, teaching: null,
        holdings: null, awards: null, declarationSigned: full, note, createdAt: at, updatedAt: at, deletedAt: null, deletedReason: null,
        ...extra,
      };
      this.inheritors.push(p);
      h.appendLog({ at, actor: "张三", entity: "inheritor", entityId: p.id, action: "create", field: null, oldValue: null, newValue: null, reason: null });
      return p;
    };
    const recognise = (p: MockInheritor, itemId: string | null, level: string, batch: number | null, doc: string | null, on: string | null, events: Omit<RecognitionEvent, "id">[] = []) => {
      if (!itemId) return null;
      const r: MockRecognition = {
        id: h.id("rec"), inheritorId: p.id, itemId, level, batchId: batch ? h.batchIdByNumber(batch) : null,
        batchText: batch ? null : level === "区级" ? null : "第三批", docNumber: doc, recognizedOn: on,
        events: events.map((e) => ({ ...e, id: h.id("evt") })), note: null,
      };
      this.recognitions.push(r);
      return r;
    };
    const edge = (m: MockInheritor, a: MockInheritor, kind: string, from: number | null, to: number | null, evidence: string | null) => {
      if (!hg) return;
      this.edges.push({ id: h.id("edge"), itemId: hg, masterId: m.id, masterName: m.name, apprenticeId: a.id, apprenticeName: a.name, kind, generation: null, fromYear: from, toYear: to, evidence });
    };

    const sgt = person("孙广田", "sgt", "男", "1902-03", { deathDate: "1978-10-05", practiceSince: 1918, resume: "鲁南花鼓老艺人，清末随父学艺（示例文字，虚构）。" });
    const zcj = person("周长江", "zcj", "男", "1911", { deathDate: "1985-01-20", practiceSince: 1925 });
    const sdh = person("孙德厚", "sdh", "男", "1931-07-16", { deathDate: "2015-04-12", practiceSince: 1945, occupation: "农民" });
    const lcs = person("李春生", "lcs", "男", "1938-11-02", { practiceSince: 1952, phone: "13806321001", occupation: "退休工人", address: "台儿庄区邳庄镇某村（示例）" });
    const syl = person("孙玉兰", "syl", "女", "1958-02-14", {
      practiceSince: 1970, phone: "13806321002", education: "高中", occupation: "农民", employer: "台儿庄区文化馆花鼓队（示例）",
      address: "台儿庄区运河街道某村（示例）", skillsAchievements: "鼓点稳健，扇花灵活，擅长“双人对鼓”（示例文字，虚构）。",
      teaching: "2010 年起在文化馆开班，先后带徒 12 人（示例）。", awards: "2016 年枣庄市民间艺术展演一等奖（示例）。",
    });
    const wjg = person("王建国", "wjg", "男", "1962-09-30", { practiceSince: 1978, phone: "0632-6611234", occupation: "个体" });
    const zxy = person("赵小燕", "zxy", "女", "1986-05-20", { practiceSince: 2005, phone: "13806321003", education: "大专", occupation: "教师" });
    const clx = person("陈立新", "clx", "男", "1979-12-01", { practiceSince: 1998 });
    const lgz = person("刘桂芝", "lgz", "女", "1949-08-08", { practiceSince: 1963, phone: "13806321004" });
    const zsy = person("张守义", "zsy", "男", "1955-04-18", { practiceSince: 1972, phone: "13806321005" });
    const mxy = person("马秀英", "mxy", "女", "1968-10-10", { practiceSince: 1985, phone: "13806321006" });

    recognise(sdh, hg, "区级", 1, "台政发〔2007〕21号", "2007-06-10", [{ status: "去世", occurredOn: "2015-04-12", ground: null, docNumber: null, note: null }]);
    recognise(lcs, hg, "区级", 1, "台政发〔2007〕21号", "2007-06-10", [{ status: "丧失传承能力", occurredOn: "2019-05-08", ground: "年高体弱，不能正常开展传承活动", docNumber: null, note: null }]);
    recognise(syl, hg, "区级", 1, "台政发〔2007〕21号", "2007-06-10");
    recognise(syl, hg, "市级", null, "枣政发〔2010〕12号（示例）", "2010-09-01");
    recognise(wjg, hg, "区级", 2, "台政发〔2009〕15号", "2009-05-20");
    recognise(zxy, hg, "区级", 6, "台政字〔2022〕33号", "2022-05-18");
    recognise(lgz, lqx, "区级", 1, "台政发〔2007〕21号", "2007-06-10");
    recognise(zsy, ht, "区级", 2, "台政发〔2009〕15号", "2009-05-20", [{ status: "取消资格", occurredOn: "2021-03-15", ground: "连续两年评估不合格（示例）", docNumber: "台文旅字〔2021〕8号（示例）", note: null }]);
    recognise(mxy, jz, "区级", 4, "台政字〔2016〕27号", "2016-06-11");
    void sgt; void zcj; void clx;

    edge(sgt, sdh, "家族", 1945, 1960, "孙氏家谱（示例）");
    edge(sgt, lcs, "师徒", 1952, 1958, "李春生口述（示例）");
    edge(zcj, lcs, "师徒", 1958, 1962, "李春生口述（示例）");
    edge(sdh, syl, "家族", 1970, null, "孙氏家谱（示例）");
    edge(sdh, wjg, "师徒", 1978, 1985, "拜师帖（示例）");
    edge(lcs, wjg, "师徒", 1985, 1990, null);
    edge(syl, clx, "师徒", 1998, 2005, null);
    edge(wjg, zxy, "师徒", 2005, null, "文化馆传习班名册（示例）");

    if (hg) {
      this.plans.push(
        { id: h.id("plan"), inheritorId: syl.id, itemId: hg, year: 2024, content: "每周六下午在区文化馆教授花鼓基本步法，带徒 4 人（示例）。", targets: "年底前新学员能独立表演《闹元宵》（示例）。" },
        { id: h.id("plan"), inheritorId: syl.id, itemId: hg, year: 2025, content: "整理老鼓谱 20 首，进校园 6 次（示例）。", targets: "完成鼓谱录音存档（示例）。" },
      );
      this.evaluations.push(
        { id: h.id("eval"), inheritorId: syl.id, itemId: hg, year: 2023, grade: "优秀", selfAssessment: null, evidence: "传习记录、活动照片 36 张（示例）", reviewer: "区非遗中心", reviewedOn: "2024-01-20", note: null },
        { id: h.id("eval"), inheritorId: syl.id, itemId: hg, year: 2024, grade: "合格", selfAssessment: null, evidence: "传习记录（示例）", reviewer: "区非遗中心", reviewedOn: "2025-01-18", note: null },
        { id: h.id("eval"), inheritorId: wjg.id, itemId: hg, year: 2023, grade: "不合格", selfAssessment: null, evidence: "全年未开展传习活动（示例）", reviewer: "区非遗中心", reviewedOn: "2024-01-20", note: null },
        { id: h.id("eval"), inheritorId: wjg.id, itemId: hg, year: 2024, grade: "不合格", selfAssessment: null, evidence: "全年未开展传习活动（示例）", reviewer: "区非遗中心", reviewedOn: "2025-01-18", note: null },
      );
      this.subsidies.push(
        { id: h.id("sub"), inheritorId: syl.id, itemId: hg, year: 2023, receivedFen: 300000, usedFen: 280000, note: "购置花鼓 6 面（示例）" },
        { id: h.id("sub"), inheritorId: syl.id, itemId: hg, year: 2024, receivedFen: 300000, usedFen: 310050, note: null },
        { id: h.id("sub"), inheritorId: lcs.id, itemId: hg, year: 2020, receivedFen: 200000, usedFen: 0, note: null },
      );
    }

    const unit = (name: string, initials: string, code17: string | null, extra: Partial<Omit<UnitInput, "id">>) => {
      const at = h.stamp();
      const u: MockUnit = {
        id: h.id("unit"), name, initials, creditCode: code17 ? fakeCreditCode(code17) : null, unitType: "事业单位",
        legalRep: null, contactPerson: null, phone: null, address: null,
        conditions: { legalPersonWithStaff: true, holdsInheritorOrMaterials: true, canCarryOutPlan: true, hasPlaces: true },
        itemIds: [], note: "示例单位，名称与代码均为虚构。", createdAt: at, updatedAt: at, deletedAt: null, deletedReason: null,
        ...extra,
      };
      this.units.push(u);
      h.appendLog({ at, actor: "张三", entity: "unit", entityId: u.id, action: "create", field: null, oldValue: null, newValue: null, reason: null });
      return u;
    };
    const ids = (...xs: (string | null)[]) => xs.filter((x): x is string => !!x);
    const whg = unit("台儿庄区文化馆（示例）", "tezqwhg", "12370405MB0000001", {
      legalRep: "刘文", contactPerson: "孙敏", phone: "0632-6611001", address: "台儿庄区运河街道（示例地址）", itemIds: ids(hg, yhhz, lqx),
    });
    const zsz = unit("张山子镇综合文化站（示例）", "zszzhwhz", "12370405MB0000002", {
      legalRep: "王强", contactPerson: "王强", phone: "13806321010", address: "台儿庄区张山子镇（示例地址）", itemIds: ids(ht),
      conditions: { legalPersonWithStaff: true, holdsInheritorOrMaterials: true, canCarryOutPlan: true, hasPlaces: false },
    });
    unit("台儿庄古城非遗展示馆（示例）", "tezgcfyzsg", "91370405MA0000003", {
      unitType: "企业", legalRep: "赵明", contactPerson: "周丽", phone: "0632-6611003", itemIds: ids(jz, cm),
    });
    const dup = unit("重复录入的示例单位", "cflrdslzw", null, { itemIds: [] });
    dup.deletedAt = h.stamp();
    dup.deletedReason = "重复录入";
    this.checks.push(
      { id: h.id("chk"), unitId: whg.id, checkedOn: "2023-06-20", result: "合格", findings: "保护计划按期落实（示例）。", deadline: null, checker: "区文旅局" },
      { id: h.id("chk"), unitId: whg.id, checkedOn: "2024-06-15", result: "合格", findings: "传习活动记录完整（示例）。", deadline: null, checker: "区文旅局" },
      { id: h.id("chk"), unitId: zsz.id, checkedOn: "2024-11-20", result: "限期整改", findings: "缺少固定的传承展示场所，黑陶作品存放条件差（示例）。", deadline: "2025-03-31", checker: "区文旅局" },
    );
  }

  // ---- helpers ----------------------------------------------------------------------------

  private person(id: string) {
    return this.inheritors.find((p) => p.id === id) ?? fail("not_found", `找不到传承人：${id}`);
  }
  private unit(id: string) {
    return this.units.find((u) => u.id === id) ?? fail("not_found", `找不到保护单位：${id}`);
  }
  private log(entity: string, entityId: string, action: string, field: string | null = null, oldValue: string | null = null, newValue: string | null = null, reason: string | null = null) {
    this.host.appendLog({ at: this.host.stamp(), actor: this.host.actorName(), entity, entityId, action, field, oldValue, newValue, reason });
  }

  private recognition(r: MockRecognition): Recognition {
    const events = [...r.events].sort((a, b) => a.occurredOn.localeCompare(b.occurredOn));
    const last = events[events.length - 1];
    return {
      id: r.id, inheritorId: r.inheritorId, inheritorName: this.inheritors.find((p) => p.id === r.inheritorId)?.name ?? "",
      itemId: r.itemId, itemName: this.host.itemRef(r.itemId)?.name ?? "", level: r.level, batchId: r.batchId,
      batchLabel: r.batchId ? this.host.batchLabelOf(r.batchId) : r.batchText, docNumber: r.docNumber, recognizedOn: r.recognizedOn,
      status: last?.status ?? "在册", statusSince: last?.occurredOn ?? r.recognizedOn, events: events.map((e) => ({ ...e })), note: r.note,
    };
  }
  private recognitionsOf(personId: string) {
    return this.recognitions.filter((r) => r.inheritorId === personId).map((r) => this.recognition(r));
  }

  private row(p: MockInheritor): InheritorRow {
    const recs = this.recognitionsOf(p.id);
    const worst = recs.reduce<string | null>((w, r) => (w === null || (STATUS_RANK[r.status] ?? 0) > (STATUS_RANK[w] ?? 0) ? r.status : w), null);
    return {
      id: p.id, name: p.name, sex: p.sex, birthDate: p.birthDate, age: ageOf(p.birthDate, p.deathDate),
      idNumberMasked: maskId(p.idNumber), phoneMasked: maskPhone(p.phone),
      recognitions: recs.map((r) => `${r.itemName}（${r.level}）`).join("、"), status: worst ?? "—", deletedAt: p.deletedAt,
    };
  }

  private warnings(p: MockInheritor, recs: Recognition[]): string[] {
    const out: string[] = [];
    const evals = this.evaluations.filter((e) => e.inheritorId === p.id);
    for (const e of evals) {
      if (e.grade !== "不合格") continue;
      const next = evals.find((x) => x.itemId === e.itemId && x.year === e.year + 1 && x.grade === "不合格");
      if (next) out.push(`${this.host.itemRef(e.itemId)?.name ?? ""}：${e.year}、${next.year} 年连续两年评估不合格，可按规定取消其代表性传承人资格。`);
    }
    for (const r of recs) {
      const lost = r.events.find((ev) => ev.status === "丧失传承能力");
      if (!lost) continue;
      const year = Number(lost.occurredOn.slice(0, 4));
      for (const s of this.subsidies.filter((x) => x.inheritorId === p.id && x.itemId === r.itemId && x.year > year)) {
        out.push(`${r.itemName}：${lost.occurredOn} 已丧失传承能力，${s.year} 年仍登记了补助，请核实。`);
      }
    }
    if (recs.length && !p.declarationSigned) out.push("尚未存档本人签署的传承意愿声明。");
    return out;
  }

  private detail(p: MockInheritor): InheritorDetail {
    const { initials: _i, createdAt, updatedAt, deletedAt, deletedReason, ...fields } = p;
    void _i;
    const recs = this.recognitionsOf(p.id);
    return {
      id: p.id, fields: { ...fields }, idNumberMasked: maskId(p.idNumber), phoneMasked: maskPhone(p.phone),
      age: ageOf(p.birthDate, p.deathDate), recognitions: recs,
      trainingPlans: this.plans.filter((x) => x.inheritorId === p.id).map((x) => ({ ...x })),
      evaluations: this.evaluations.filter((x) => x.inheritorId === p.id).map((x) => ({ ...x })),
      subsidies: this.subsidies.filter((x) => x.inheritorId === p.id).map((x) => ({ ...x })),
      warnings: this.warnings(p, recs), portraitMediaId: null, createdAt, updatedAt, deletedAt, deletedReason,
    };
  }

  private lineage(itemId: string): Lineage {
    const edges = this.edges.filter((e) => e.itemId === itemId).map((e) => ({
      ...e, masterName: this.inheritors.find((p) => p.id === e.masterId)?.name ?? e.masterName,
      apprenticeName: this.inheritors.find((p) => p.id === e.apprenticeId)?.name ?? e.apprenticeName,
    }));
    const ids = [...new Set(edges.flatMap((e) => [e.masterId, e.apprenticeId]))];
    const gen = new Map<string, number>();
    const incoming = (id: string) => edges.filter((e) => e.apprenticeId === id);
    const genOf = (id: string, depth = 0): number => {
      if (gen.has(id)) return gen.get(id)!;
      const ins = incoming(id);
      const stated = ins.find((e) => e.generation !== null)?.generation ?? null;
      const g = stated ?? (ins.length && depth < 50 ? Math.max(...ins.map((e) => genOf(e.masterId, depth + 1))) + 1 : 1);
      gen.set(id, g);
      return g;
    };
    const table: LineageRow[] = ids.map((id) => {
      const p = this.inheritors.find((x) => x.id === id);
      const ins = incoming(id);
      const how = ins.map((e) => (e.kind === "家族" ? `家传（${e.masterName}）` : `师承 ${e.masterName}`)).join("；");
      const froms = ins.map((e) => e.fromYear).filter((y): y is number => y !== null);
      const tos = ins.map((e) => e.toYear).filter((y): y is number => y !== null);
      const start = froms.length ? Math.min(...froms) : p?.practiceSince ?? null;
      const end = tos.length === ins.length && tos.length ? Math.max(...tos) : null;
      return {
        generation: genOf(id), inheritorId: id, name: p?.name ?? "", sex: p?.sex ?? null,
        birthYear: p?.birthDate ? Number(p.birthDate.slice(0, 4)) : null, howLearned: how || "—",
        period: start ? (end ? `${start}—${end}` : `${start}—`) : "",
      };
    });
    table.sort((a, b) => a.generation - b.generation || a.name.localeCompare(b.name, "zh-CN"));
    return { itemId, edges, table };
  }

  private unitRow(u: MockUnit): UnitRow {
    const last = this.checksOf(u.id)[0];
    return {
      id: u.id, name: u.name, creditCode: u.creditCode, legalRep: u.legalRep, contactPerson: u.contactPerson,
      phoneMasked: maskPhone(u.phone), items: u.itemIds.map((i) => this.host.itemRef(i)?.name ?? "").filter(Boolean).join("、"),
      lastCheck: last ? `${last.result}（${last.checkedOn}）` : "未检查", deletedAt: u.deletedAt,
    };
  }
  private checksOf(unitId: string) {
    return this.checks.filter((c) => c.unitId === unitId).sort((a, b) => b.checkedOn.localeCompare(a.checkedOn)).map((c) => ({ ...c }));
  }
  private unitDetail(u: MockUnit): UnitDetail {
    const { initials: _i, createdAt, updatedAt, deletedAt, deletedReason, ...fields } = u;
    void _i;
    const checks = this.checksOf(u.id);
    const warnings: string[] = [];
    const missing = UNIT_CONDITIONS.filter((c) => !u.conditions[c.key]).map((c) => c.label);
    if (missing.length) warnings.push(`不具备保护条件：${missing.join("、")}。`);
    const last = checks[0];
    if (last?.result === "限期整改" && last.deadline) {
      warnings.push(last.deadline < today() ? `限期整改期限 ${last.deadline} 已过，请组织复查。` : `正在限期整改，期限 ${last.deadline}。`);
    }
    if (last?.result === "取消") warnings.push("最近一次检查结果为“取消”，请另行确定该项目的保护单位。");
    if (!u.itemIds.length) warnings.push("尚未关联保护项目。");
    return {
      id: u.id, fields: { ...fields, conditions: { ...u.conditions }, itemIds: [...u.itemIds] },
      items: u.itemIds.map((i) => this.host.itemRef(i)).filter((x): x is ItemRef & { deleted: boolean } => !!x).map(({ id, code, name }) => ({ id, code, name })),
      checks, warnings, createdAt, updatedAt, deletedAt, deletedReason,
    };
  }

  /** Unit names protecting an item (for the register's 保护单位 column). */
  unitNamesFor(itemId: string): string[] {
    return this.units.filter((u) => !u.deletedAt && u.itemIds.includes(itemId)).map((u) => u.name);
  }

  // ---- commands ---------------------------------------------------------------------------

  private listInheritors(q: InheritorQuery): InheritorPage {
    const text = (q.query ?? "").trim().toLowerCase();
    const inItem = (p: MockInheritor) =>
      !q.itemId ||
      this.recognitions.some((r) => r.inheritorId === p.id && r.itemId === q.itemId) ||
      this.edges.some((e) => e.itemId === q.itemId && (e.masterId === p.id || e.apprenticeId === p.id));
    const atLevel = (p: MockInheritor) => !q.level || this.recognitions.some((r) => r.inheritorId === p.id && r.level === q.level && (!q.itemId || r.itemId === q.itemId));
    let rows = this.inheritors
      .filter((p) => (q.deleted ? p.deletedAt !== null : p.deletedAt === null))
      .filter((p) => !text || p.name.toLowerCase().includes(text) || p.initials.startsWith(text))
      .filter(inItem)
      .filter(atLevel)
      .map((p) => this.row(p));
    rows.sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
    const total = rows.length;
    const page = q.page ?? 1;
    const pageSize = q.pageSize ?? 20;
    rows = rows.slice((page - 1) * pageSize, page * pageSize);
    return { rows, total, totalCapped: false, page, pageSize };
  }

  private saveInheritor(input: InheritorInput): InheritorDetail {
    const errors: FieldError[] = [];
    if (!input.name.trim()) errors.push({ field: "name", message: "姓名不能为空" });
    if (input.sex !== null && !["男", "女"].includes(input.sex)) errors.push({ field: "sex", message: "性别应为“男”或“女”" });
    if (input.birthDate && !BIRTH.test(input.birthDate)) errors.push({ field: "birthDate", message: "出生年月格式应为 1956、1956-03 或 1956-03-12" });
    const idHint = idNumberHint(input.idNumber);
    if (idHint) errors.push({ field: "idNumber", message: idHint });
    const ph = phoneHint(input.phone);
    if (ph) errors.push({ field: "phone", message: "联系电话格式不正确" });
    if (input.idNumber && this.inheritors.some((p) => p.id !== input.id && !p.deletedAt && p.idNumber === input.idNumber)) {
      errors.push({ field: "idNumber", message: "已有传承人使用这个身份证号" });
    }
    check(errors);
    const existing = input.id ? this.person(input.id) : null;
    if (existing?.deletedAt) fail("deleted", `传承人已删除（在回收站中），请先恢复：${existing.id}`);
    const at = this.host.stamp();
    const { id: _id, ...fields } = input;
    void _id;
    if (existing) {
      for (const k of Object.keys(fields) as (keyof typeof fields)[]) {
        const o = existing[k], n = fields[k];
        if (String(o ?? "") !== String(n ?? "")) this.log("inheritor", existing.id, "update", k, o === null ? null : String(o), n === null ? null : String(n));
      }
      Object.assign(existing, fields, { updatedAt: at });
      return this.detail(existing);
    }
    const p: MockInheritor = { ...fields, id: this.host.id("inh"), initials: "", createdAt: at, updatedAt: at, deletedAt: null, deletedReason: null };
    this.inheritors.push(p);
    this.log("inheritor", p.id, "create");
    return this.detail(p);
  }

  private saveRecognition(input: RecognitionInput): Recognition {
    const p = this.person(input.inheritorId);
    const errors: FieldError[] = [];
    const item = this.host.itemRef(input.itemId);
    if (!item || item.deleted) errors.push({ field: "itemId", message: "请选择有效的项目" });
    if (!this.host.levels().includes(input.level)) errors.push({ field: "level", message: "级别无效" });
    if (this.recognitions.some((r) => r.id !== input.id && r.inheritorId === p.id && r.itemId === input.itemId && r.level === input.level)) {
      errors.push({ field: "itemId", message: `已认定为该项目的${input.level}传承人` });
    }
    check(errors);
    const existing = input.id ? this.recognitions.find((r) => r.id === input.id) ?? fail("not_found", `找不到认定：${input.id}`) : null;
    const fields = { itemId: input.itemId, level: input.level, batchId: input.batchId, batchText: input.batchId ? null : input.batchLabel, docNumber: input.docNumber, recognizedOn: input.recognizedOn, note: input.note };
    let r: MockRecognition;
    if (existing) {
      Object.assign(existing, fields);
      r = existing;
    } else {
      r = { ...fields, id: this.host.id("rec"), inheritorId: p.id, events: [] };
      this.recognitions.push(r);
    }
    this.log("inheritor", p.id, "update", "recognition", null, `${item?.name ?? ""}（${input.level}）`);
    return this.recognition(r);
  }

  private addEvent(input: RecognitionEventInput): Recognition {
    const r = this.recognitions.find((x) => x.id === input.recognitionId) ?? fail("not_found", `找不到认定：${input.recognitionId}`);
    const errors: FieldError[] = [];
    if (!(RECOGNITION_STATUSES as readonly string[]).includes(input.status)) errors.push({ field: "status", message: "状态无效" });
    if (!input.occurredOn) errors.push({ field: "occurredOn", message: "请填写日期" });
    if (input.status === "取消资格" && !input.ground?.trim()) errors.push({ field: "ground", message: "取消资格须写明依据" });
    check(errors);
    const before = this.recognition(r).status;
    r.events.push({ id: this.host.id("evt"), status: input.status, occurredOn: input.occurredOn, ground: input.ground, docNumber: input.docNumber, note: input.note });
    this.log("inheritor", r.inheritorId, "update", "recognitions", before, input.status);
    return this.recognition(r);
  }

  private saveYearly<T extends { id: string | null; inheritorId: string; itemId: string; year: number }>(list: T[], input: T, what: string, extra: (x: T) => FieldError[]): InheritorDetail {
    const p = this.person(input.inheritorId);
    const errors: FieldError[] = [];
    if (!Number.isInteger(input.year) || input.year < 1950 || input.year > 2100) errors.push({ field: "year", message: "年度无效" });
    if (!this.recognitions.some((r) => r.inheritorId === p.id && r.itemId === input.itemId)) errors.push({ field: "itemId", message: "只能选择该传承人已认定的项目" });
    if (list.some((x) => x.id !== input.id && x.inheritorId === p.id && x.itemId === input.itemId && x.year === input.year)) {
      errors.push({ field: "year", message: `${input.year} 年已有${what}，请直接编辑那一条` });
    }
    errors.push(...extra(input));
    check(errors);
    if (input.id) {
      const existing = list.find((x) => x.id === input.id) ?? fail("not_found", `找不到${what}：${input.id}`);
      Object.assign(existing, input);
    } else {
      list.push({ ...input, id: this.host.id("yr") });
    }
    this.log("inheritor", p.id, "update", what === "传习计划" ? "trainingPlan" : what === "年度评估" ? "evaluation" : "subsidy", null, `${input.year} 年`);
    p.updatedAt = this.host.stamp();
    return this.detail(p);
  }

  private saveEdge(input: LineageEdge): Lineage {
    const errors: FieldError[] = [];
    const master = this.inheritors.find((p) => p.id === input.masterId && !p.deletedAt);
    const apprentice = this.inheritors.find((p) => p.id === input.apprenticeId && !p.deletedAt);
    if (!master) errors.push({ field: "masterId", message: "请选择师傅（或长辈）" });
    if (!apprentice) errors.push({ field: "apprenticeId", message: "请选择徒弟（或晚辈）" });
    if (!(LINEAGE_KINDS as readonly string[]).includes(input.kind)) errors.push({ field: "kind", message: "传承方式应为师徒或家族" });
    if (input.fromYear !== null && input.toYear !== null && input.toYear < input.fromYear) errors.push({ field: "toYear", message: "结束年份不能早于开始年份" });
    check(errors);
    if (input.masterId === input.apprenticeId) {
      fail("validation", `不能把 ${master!.name} 设为自己的徒弟`, [{ field: "apprenticeId", message: "师傅和徒弟不能是同一人" }]);
    }
    // Would the new edge close a cycle? Walk down from the apprentice looking for the master.
    const others = this.edges.filter((e) => e.itemId === input.itemId && e.id !== input.id);
    const seen = new Set<string>();
    const stack = [input.apprenticeId];
    while (stack.length) {
      const id = stack.pop()!;
      if (id === input.masterId) {
        fail("validation", `传承关系不能形成循环：${master!.name} 已是 ${apprentice!.name} 的徒弟或再传弟子`, [
          { field: "apprenticeId", message: `${apprentice!.name} 是 ${master!.name} 的前辈，不能再做其徒弟` },
        ]);
      }
      if (seen.has(id)) continue;
      seen.add(id);
      for (const e of others) if (e.masterId === id) stack.push(e.apprenticeId);
    }
    if (others.some((e) => e.masterId === input.masterId && e.apprenticeId === input.apprenticeId)) {
      fail("validation", "这条传承关系已存在", [{ field: "apprenticeId", message: "这条传承关系已存在" }]);
    }
    const edge: LineageEdge = { ...input, masterName: master!.name, apprenticeName: apprentice!.name };
    if (input.id) {
      const i = this.edges.findIndex((e) => e.id === input.id);
      if (i < 0) fail("not_found", `找不到传承关系：${input.id}`);
      this.edges[i] = edge;
    } else {
      this.edges.push({ ...edge, id: this.host.id("edge") });
    }
    return this.lineage(input.itemId);
  }

  /** One page of units, like the core's: by name, paged after the search and the bin filter. */
  private listUnits(q: UnitQuery): UnitPage {
    const text = (q.query ?? "").trim().toLowerCase();
    const rows = this.units
      .filter((u) => (q.deleted ? u.deletedAt !== null : u.deletedAt === null))
      .filter((u) => !text || u.name.toLowerCase().includes(text) || u.initials.startsWith(text) || (u.creditCode ?? "").toLowerCase().includes(text))
      .sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
    const page = Math.max(1, q.page ?? 1);
    const pageSize = Math.min(500, Math.max(1, q.pageSize ?? 20));
    return { rows: rows.slice((page - 1) * pageSize, page * pageSize).map((u) => this.unitRow(u)), total: rows.length, page, pageSize };
  }

  private saveUnit(input: UnitInput): UnitDetail {
    const errors: FieldError[] = [];
    if (!input.name.trim()) errors.push({ field: "name", message: "单位名称不能为空" });
    const cc = creditCodeHint(input.creditCode);
    if (cc) errors.push({ field: "creditCode", message: cc });
    if (phoneHint(input.phone)) errors.push({ field: "phone", message: "联系电话格式不正确" });
    if (input.creditCode && this.units.some((u) => u.id !== input.id && !u.deletedAt && u.creditCode === input.creditCode)) {
      errors.push({ field: "creditCode", message: "已有单位使用这个统一社会信用代码" });
    }
    input.itemIds.forEach((id, i) => {
      if (!this.host.itemRef(id)) errors.push({ field: `itemIds.${i}`, message: "项目不存在" });
    });
    check(errors);
    const existing = input.id ? this.unit(input.id) : null;
    if (existing?.deletedAt) fail("deleted", `保护单位已删除（在回收站中），请先恢复：${existing.id}`);
    const at = this.host.stamp();
    const { id: _id, ...fields } = input;
    void _id;
    if (existing) {
      for (const k of ["name", "creditCode", "unitType", "legalRep", "contactPerson", "phone", "address", "note"] as const) {
        if ((existing[k] ?? "") !== (fields[k] ?? "")) this.log("unit", existing.id, "update", k, existing[k], fields[k]);
      }
      for (const c of UNIT_CONDITIONS) {
        if (existing.conditions[c.key] !== fields.conditions[c.key]) this.log("unit", existing.id, "update", `conditions.${c.key}`, String(existing.conditions[c.key]), String(fields.conditions[c.key]));
      }
      Object.assign(existing, fields, { updatedAt: at });
      return this.unitDetail(existing);
    }
    const u: MockUnit = { ...fields, id: this.host.id("unit"), initials: "", createdAt: at, updatedAt: at, deletedAt: null, deletedReason: null };
    this.units.push(u);
    this.log("unit", u.id, "create");
    return this.unitDetail(u);
  }

  private saveCheck(input: UnitCheck): UnitDetail {
    const u = this.unit(input.unitId);
    const errors: FieldError[] = [];
    if (!input.checkedOn) errors.push({ field: "checkedOn", message: "请填写检查日期" });
    if (!(CHECK_RESULTS as readonly string[]).includes(input.result)) errors.push({ field: "result", message: "检查结果应为合格、限期整改或取消" });
    if (input.result === "限期整改" && !input.deadline) errors.push({ field: "deadline", message: "限期整改须填写整改期限" });
    check(errors);
    if (input.id) {
      const i = this.checks.findIndex((c) => c.id === input.id);
      if (i < 0) fail("not_found", `找不到检查记录：${input.id}`);
      this.checks[i] = { ...input };
    } else {
      this.checks.push({ ...input, id: this.host.id("chk") });
    }
    this.log("unit", u.id, "update", "check", null, `${input.checkedOn} ${input.result}`);
    return this.unitDetail(u);
  }

  searchHits(text: string): SearchHit[] {
    const t = text.trim().toLowerCase();
    if (!t) return [];
    const people = this.inheritors
      .filter((p) => !p.deletedAt && (p.name.includes(t) || p.initials.startsWith(t)))
      .map((p) => ({ kind: "inheritor", id: p.id, name: p.name, snippet: this.row(p).recognitions, matched: "name" }));
    const units = this.units
      .filter((u) => !u.deletedAt && (u.name.includes(t) || u.initials.startsWith(t)))
      .map((u) => ({ kind: "unit", id: u.id, name: u.name, snippet: u.name, matched: "name" }));
    return [...people, ...units];
  }

  handle(cmd: string, a: Record<string, unknown>): unknown {
    switch (cmd) {
      case "inheritor_list":
        return this.listInheritors(a.query as InheritorQuery);
      case "inheritor_get":
        return this.detail(this.person(a.id as string));
      case "inheritor_save":
        return this.saveInheritor(a.input as InheritorInput);
      case "inheritor_delete": {
        const p = this.person(a.id as string);
        if (!String(a.reason ?? "").trim()) fail("validation", "请填写删除原因", [{ field: "reason", message: "请填写删除原因" }]);
        p.deletedAt = this.host.stamp();
        p.deletedReason = a.reason as string;
        this.log("inheritor", p.id, "delete", null, null, null, p.deletedReason);
        return null;
      }
      case "inheritor_restore": {
        const p = this.person(a.id as string);
        p.deletedAt = null;
        p.deletedReason = null;
        this.log("inheritor", p.id, "restore");
        return this.detail(p);
      }
      case "recognition_save":
        return this.saveRecognition(a.input as RecognitionInput);
      case "recognition_event_add":
        return this.addEvent(a.input as RecognitionEventInput);
      case "recognition_list_for_item":
        return this.recognitions
          .filter((r) => r.itemId === a.itemId && !this.inheritors.find((p) => p.id === r.inheritorId)?.deletedAt)
          .map((r) => this.recognition(r));
      case "training_plan_save":
        return this.saveYearly(this.plans, a.input as TrainingPlan, "传习计划", () => []);
      case "evaluation_save":
        return this.saveYearly(this.evaluations, a.input as Evaluation, "年度评估", (e) =>
          (GRADES as readonly string[]).includes(e.grade) ? [] : [{ field: "grade", message: "请选择评估等级" }],
        );
      case "subsidy_save":
        return this.saveYearly(this.subsidies, a.input as Subsidy, "补助", (s) => [
          ...(Number.isInteger(s.receivedFen) && s.receivedFen >= 0 ? [] : [{ field: "receivedFen", message: "补助金额不能为负" }]),
          ...(Number.isInteger(s.usedFen) && s.usedFen >= 0 ? [] : [{ field: "usedFen", message: "使用金额不能为负" }]),
        ]);
      case "lineage_get":
        return this.lineage(a.itemId as string);
      case "lineage_edge_save":
        return this.saveEdge(a.input as LineageEdge);
      case "lineage_edge_delete": {
        const e = this.edges.find((x) => x.id === a.id) ?? fail("not_found", `找不到传承关系：${String(a.id)}`);
        this.edges = this.edges.filter((x) => x !== e);
        return this.lineage(e.itemId);
      }
      case "unit_list":
        return this.listUnits(a.query as UnitQuery);
      case "unit_get":
        return this.unitDetail(this.unit(a.id as string));
      case "unit_save":
        return this.saveUnit(a.input as UnitInput);
      case "unit_delete": {
        const u = this.unit(a.id as string);
        if (!String(a.reason ?? "").trim()) fail("validation", "请填写删除原因", [{ field: "reason", message: "请填写删除原因" }]);
        u.deletedAt = this.host.stamp();
        u.deletedReason = a.reason as string;
        this.log("unit", u.id, "delete", null, null, null, u.deletedReason);
        return null;
      }
      case "unit_restore": {
        const u = this.unit(a.id as string);
        u.deletedAt = null;
        u.deletedReason = null;
        this.log("unit", u.id, "restore");
        return this.unitDetail(u);
      }
      case "unit_check_save":
        return this.saveCheck(a.input as UnitCheck);
      default:
        return UNHANDLED;
    }
  }
}

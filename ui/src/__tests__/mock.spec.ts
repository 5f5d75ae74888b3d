// The dev preview's fake backend (dev-mock.html) keeps to the commands' contract.
import { describe, expect, it } from "vitest";
import type { RecycleEntry } from "../api";
import type { ActivityPage } from "../bindings/ActivityPage";
import type { InheritorPage } from "../bindings/InheritorPage";
import type { Lineage } from "../bindings/Lineage";
import type { PlanDetail } from "../bindings/PlanDetail";
import type { PlanPage } from "../bindings/PlanPage";
import type { UnitPage } from "../bindings/UnitPage";
import { MockBackend } from "../mock/backend";

const call = (b: MockBackend, cmd: string, args: Record<string, unknown> = {}) => {
  try {
    return { ok: b.handle(cmd, args) };
  } catch (e) {
    return { err: e as { code: string; message: string; fields?: { field: string; message: string }[] } };
  }
};

describe("mock backend · people and units", () => {
  const b = new MockBackend("sample");
  const item = b.items.find((i) => i.name === "鲁南花鼓")!;

  it("masks numbers in the list and gives them whole in the detail", () => {
    const page = call(b, "inheritor_list", { query: { query: null, itemId: null, level: null, deleted: false, page: 1, pageSize: 50 } }).ok as InheritorPage;
    expect(page.total).toBeGreaterThan(5);
    const row = page.rows.find((r) => r.name === "孙玉兰")!;
    expect(row.idNumberMasked).toMatch(/^3704\*{10}\d{3}[\dX]$/);
    const detail = call(b, "inheritor_get", { id: row.id }).ok as { fields: { idNumber: string } };
    expect(detail.fields.idNumber).toMatch(/^370405\d{11}[\dX]$/);
    expect(JSON.stringify(page)).not.toContain(detail.fields.idNumber);
  });

  it("rejects a lineage cycle and a self-edge on apprenticeId", () => {
    const lineage = call(b, "lineage_get", { itemId: item.id }).ok as Lineage;
    const first = lineage.table[0];
    const last = lineage.table[lineage.table.length - 1];
    expect(first.generation).toBe(1);
    const edge = { id: null, itemId: item.id, masterId: last.inheritorId, masterName: "", apprenticeId: first.inheritorId, apprenticeName: "", kind: "师徒", generation: null, fromYear: null, toYear: null, evidence: null };
    const cycle = call(b, "lineage_edge_save", { input: edge }).err!;
    expect(cycle.code).toBe("validation");
    expect(cycle.fields?.[0].field).toBe("apprenticeId");
    expect(cycle.message).toContain("循环");
    const self = call(b, "lineage_edge_save", { input: { ...edge, apprenticeId: last.inheritorId } }).err!;
    expect(self.fields?.[0].field).toBe("apprenticeId");
  });

  it("validates the credit code and lists units with their last check", () => {
    const page = call(b, "unit_list", { query: { query: null, deleted: false, page: 1, pageSize: 20 } }).ok as UnitPage;
    expect(page.total).toBe(3);
    const rows = page.rows;
    expect(rows.length).toBe(3);
    const second = call(b, "unit_list", { query: { query: null, deleted: false, page: 2, pageSize: 2 } }).ok as UnitPage;
    expect([second.total, second.page, second.pageSize, second.rows.length]).toEqual([3, 2, 2, 1]);
    expect(rows.some((r) => r.lastCheck.startsWith("限期整改"))).toBe(true);
    const bad = call(b, "unit_save", {
      input: { id: null, name: "某单位", creditCode: "12370405MB0000001X", unitType: null, legalRep: null, contactPerson: null, phone: null, address: null, conditions: { legalPersonWithStaff: false, holdsInheritorOrMaterials: false, canCarryOutPlan: false, hasPlaces: false }, itemIds: [], note: null },
    }).err!;
    expect(bad.fields?.map((f) => f.field)).toEqual(["creditCode"]);
  });
});

describe("mock backend · protection work, revert and recycle bin", () => {
  const b = new MockBackend("sample");

  it("totals a plan's budget and warns of over-spending; tags activities in the 非遗月", () => {
    const plans = call(b, "plan_list", { query: { itemId: null, query: null, deleted: false, page: 1, pageSize: 20 } }).ok as PlanPage;
    expect(plans.total).toBe(plans.rows.length);
    const none = call(b, "plan_list", { query: { itemId: null, query: "没有这个计划", deleted: false, page: 1, pageSize: 20 } }).ok as PlanPage;
    expect(none).toEqual({ rows: [], total: 0, page: 1, pageSize: 20 });
    const rows = plans.rows;
    const plan = call(b, "plan_get", { id: rows[0].id }).ok as PlanDetail;
    expect(plan.fields.endYear).toBe(plan.fields.startYear + 4);
    expect(plan.totals.plannedFen).toBe(plan.fields.budget.reduce((s, l) => s + l.amountFen, 0));
    expect(plan.totals.byYear.map((y) => y.year)).toEqual([2026, 2027, 2028, 2029, 2030]);
    expect(plan.warnings.some((w) => w.includes("超支"))).toBe(true);
    const bad = call(b, "plan_save", { input: { ...plan.fields, endYear: plan.fields.startYear + 3 } }).err!;
    expect(bad.fields?.map((f) => f.field)).toEqual(["endYear"]);
    const page = call(b, "activity_list", { query: { query: null, kind: null, year: 2026, itemId: null, deleted: false, page: 1, pageSize: 20 } }).ok as ActivityPage;
    expect(page.rows.find((r) => r.startedOn === "2026-02-15")?.inFeiyiMonth).toBe(true);
    expect(page.rows.find((r) => r.startedOn === "2026-04-20")?.inFeiyiMonth).toBe(false);
  });

  it("reverts a logged field change and refuses a create", () => {
    const item = b.items.find((i) => i.name === "鲁南花鼓")!;
    const change = b.log.find((l) => l.entityId === item.id && l.field === "endangered")!;
    expect(call(b, "history_revert", { seq: change.seq }).ok).toBeNull();
    expect(b.items.find((i) => i.id === item.id)!.endangered).toBe(false);
    expect(b.log[b.log.length - 1]).toMatchObject({ action: "revert", field: "endangered", reason: `撤销第 ${change.seq} 条修改` });
    const create = b.log.find((l) => l.entityId === item.id && l.action === "create")!;
    expect(call(b, "history_revert", { seq: create.seq }).err?.code).toBe("conflict");
  });

  it("lists every kind in the recycle bin and restores through it", () => {
    const bin = call(b, "recycle_list").ok as RecycleEntry[];
    expect(new Set(bin.map((e) => e.entityLabel))).toEqual(new Set(["项目", "保护单位", "保护计划", "活动", "资料"]));
    const plan = bin.find((e) => e.entity === "plan")!;
    call(b, "recycle_restore", { entity: "plan", id: plan.id });
    expect((call(b, "recycle_list").ok as RecycleEntry[]).some((e) => e.id === plan.id)).toBe(false);
  });
});

describe("mock backend · media library", () => {
  const b = new MockBackend("sample");
  const item = b.items.find((i) => i.name === "鲁南花鼓")!;
  const q = (partial: Record<string, unknown> = {}) => ({
    query: { kind: null, entity: null, entityId: null, query: null, confidential: null, dateFrom: null, dateTo: null, deleted: false, page: 1, pageSize: 50, ...partial },
  });

  it("lists a record's media in link order and filters by kind, text and date", () => {
    const mine = call(b, "media_list", q({ entity: "item", entityId: item.id })).ok as { rows: { originalName: string; kind: string }[] };
    expect(mine.rows.length).toBeGreaterThanOrEqual(4);
    expect(mine.rows[0].originalName).toBe("鲁南花鼓-古城展演-01.jpg");
    const videos = call(b, "media_list", q({ kind: "视频" })).ok as { rows: { kind: string }[] };
    expect(videos.rows.every((r) => r.kind === "视频")).toBe(true);
    const found = call(b, "media_list", q({ query: "古城" })).ok as { total: number };
    expect(found.total).toBeGreaterThan(0);
    const none = call(b, "media_list", q({ dateFrom: "2030-01-01" })).ok as { total: number };
    expect(none.total).toBe(0);
    const person = b.people.inheritors.find((p) => p.name === "孙玉兰")!;
    expect((call(b, "inheritor_get", { id: person.id }).ok as { portraitMediaId: string | null }).portraitMediaId).not.toBeNull();
  });

  it("imports with progress events and a report, links duplicates, and refuses unknown files", async () => {
    const events: { stage: string }[] = [];
    const report = (await b.handle("media_import_start", {
      files: ["/x/新照片.jpg", "/x/鲁南花鼓-排练.jpg", "/x/说明.txt"],
      link: { entity: "item", id: item.id, role: "" },
      onEvent: { onmessage: (e: { stage: string }) => events.push(e) },
    })) as { imported: number; duplicates: number; failed: number; outcomes: { status: string; message: string | null }[] };
    expect([report.imported, report.duplicates, report.failed]).toEqual([1, 1, 1]);
    expect(report.outcomes[2].message).toContain("说明.txt");
    expect(events[0].stage).toBe("started");
    expect(events[events.length - 1].stage).toBe("finished");
    expect(events.filter((e) => e.stage === "file")).toHaveLength(3);
  }, 10_000);

  it("finds the missing original in a folder after a check", () => {
    const before = call(b, "media_verify").ok as { ok: boolean; missing: unknown[] };
    expect(before.ok).toBe(false);
    expect(before.missing).toHaveLength(1);
    const relinked = call(b, "media_relink", { folder: "/backup" }).ok as { restored: unknown[] };
    expect(relinked.restored).toHaveLength(1);
    expect((call(b, "media_verify").ok as { ok: boolean }).ok).toBe(true);
    expect((call(b, "media_fixity_status").ok as { due: boolean }).due).toBe(false);
  });

  it("validates the description and logs its changes", () => {
    const id = (call(b, "media_list", q()).ok as { rows: { id: string }[] }).rows[0].id;
    const d = call(b, "media_get", { id }).ok as { description: Record<string, unknown> };
    const bad = call(b, "media_describe", { input: { ...d.description, cataloguedAt: "2024/1/1" } }).err!;
    expect(bad.fields?.[0].field).toBe("cataloguedAt");
    call(b, "media_describe", { input: { ...d.description, caption: "新的说明" } });
    const change = b.log[b.log.length - 1];
    expect(change).toMatchObject({ entity: "media", entityId: id, field: "caption", newValue: "新的说明" });
    expect(call(b, "history_revert", { seq: change.seq }).ok).toBeNull();
    expect((call(b, "media_get", { id }).ok as { description: { caption: string | null } }).description.caption).toBe(d.description.caption);
  });
});

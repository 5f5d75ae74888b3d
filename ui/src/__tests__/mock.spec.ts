// The dev preview's fake backend (dev-mock.html) keeps to the commands' contract.
import { describe, expect, it } from "vitest";
import type { RecycleEntry } from "../api";
import type { ActivityPage } from "../bindings/ActivityPage";
import type { InheritorPage } from "../bindings/InheritorPage";
import type { Lineage } from "../bindings/Lineage";
import type { PlanDetail } from "../bindings/PlanDetail";
import type { PlanRow } from "../bindings/PlanRow";
import type { UnitRow } from "../bindings/UnitRow";
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
    const rows = call(b, "unit_list", { query: null, deleted: false }).ok as UnitRow[];
    expect(rows.length).toBe(3);
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
    const rows = call(b, "plan_list", { itemId: null, deleted: false }).ok as PlanRow[];
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
    expect(new Set(bin.map((e) => e.entityLabel))).toEqual(new Set(["项目", "保护单位", "保护计划", "活动"]));
    const plan = bin.find((e) => e.entity === "plan")!;
    call(b, "recycle_restore", { entity: "plan", id: plan.id });
    expect((call(b, "recycle_list").ok as RecycleEntry[]).some((e) => e.id === plan.id)).toBe(false);
  });
});

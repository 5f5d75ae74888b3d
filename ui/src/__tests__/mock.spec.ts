// The dev preview's fake backend (dev-mock.html) keeps to the commands' contract.
import { describe, expect, it } from "vitest";
import type { InheritorPage } from "../bindings/InheritorPage";
import type { Lineage } from "../bindings/Lineage";
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

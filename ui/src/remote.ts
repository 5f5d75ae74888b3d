// What the remote selects search: items, people, units, plans…, as options with Chinese labels; each asks the core for one small page.
import * as api from "./api";
import { activityQuery, inheritorQuery, itemQuery, planQuery, unitQuery } from "./api";
import type { InheritorRow } from "./bindings/InheritorRow";
import type { ItemRef } from "./bindings/ItemRef";

export type RemoteOption = { value: string; label: string; hint?: string };

export const itemOption = (i: Pick<ItemRef, "id" | "code" | "name">): RemoteOption => ({
  value: i.id,
  label: i.code ? `${i.code} ${i.name}` : i.name,
});

export async function searchItemOptions(text: string): Promise<RemoteOption[]> {
  const page = await api.listItems(itemQuery({ query: text || null, pageSize: 30 }));
  return page.rows.map(itemOption);
}

export async function resolveItemOption(id: string): Promise<RemoteOption | null> {
  const d = await api.getItem(id);
  return itemOption(d);
}

export function inheritorOption(r: Pick<InheritorRow, "id" | "name" | "sex" | "birthDate" | "recognitions">): RemoteOption {
  const hint = [r.sex, r.birthDate, r.recognitions].filter((s) => s && s.trim() !== "" && s !== "—").join(" · ");
  return { value: r.id, label: r.name, hint: hint || undefined };
}

export async function searchInheritorOptions(text: string): Promise<RemoteOption[]> {
  const page = await api.listInheritors(inheritorQuery({ query: text || null, pageSize: 30 }));
  return page.rows.map(inheritorOption);
}

export async function resolveInheritorOption(id: string): Promise<RemoteOption | null> {
  const d = await api.getInheritor(id);
  return { value: d.id, label: d.fields.name };
}

/** One page of the protection units matching what was typed (name, pinyin, initials, credit code). */
export async function searchUnitOptions(text: string): Promise<RemoteOption[]> {
  const page = await api.listUnits(unitQuery({ query: text || null, pageSize: 20 }));
  return page.rows.map((u) => ({ value: u.id, label: u.name }));
}

export async function resolveUnitOption(id: string): Promise<RemoteOption | null> {
  const u = await api.getUnit(id);
  return { value: u.id, label: u.fields.name };
}

/** One page of the protection plans whose title or item name contains what was typed. */
export async function searchPlanOptions(text: string): Promise<RemoteOption[]> {
  const page = await api.listPlans(planQuery({ query: text || null, pageSize: 20 }));
  return page.rows.map((p) => ({ value: p.id, label: p.title, hint: `${p.startYear}—${p.endYear}` }));
}

/** Records of any kind media can be linked to: 项目, 传承人, 活动, 保护单位, 保护计划, 批次. */
export async function searchRecordOptions(entity: string, text: string): Promise<RemoteOption[]> {
  const t = text.trim();
  const has = (s: string | null | undefined) => !t || (s ?? "").toLowerCase().includes(t.toLowerCase());
  switch (entity) {
    case "item":
      return searchItemOptions(t);
    case "inheritor":
      return searchInheritorOptions(t);
    case "activity": {
      const page = await api.listActivities(activityQuery({ query: t || null, pageSize: 30 }));
      return page.rows.map((a) => ({ value: a.id, label: a.title, hint: a.startedOn }));
    }
    case "unit":
      return searchUnitOptions(t);
    case "plan":
      return searchPlanOptions(t);
    case "batch": {
      const rows = await api.listBatches();
      return rows
        .filter((b) => has(b.label) || has(b.docNumber))
        .map((b) => ({ value: b.id, label: b.label, hint: b.docNumber ?? undefined }));
    }
    default:
      return [];
  }
}

/** The label of one record of any kind media can be linked to. */
export async function resolveRecordOption(entity: string, id: string): Promise<RemoteOption | null> {
  switch (entity) {
    case "item":
      return resolveItemOption(id);
    case "inheritor":
      return resolveInheritorOption(id);
    case "activity": {
      const a = await api.getActivity(id);
      return { value: a.id, label: a.fields.title };
    }
    case "unit":
      return resolveUnitOption(id);
    case "plan": {
      const p = await api.getPlan(id);
      return { value: p.id, label: p.fields.title };
    }
    case "batch": {
      const b = await api.getBatch(id);
      return { value: b.id, label: b.label };
    }
    default:
      return null;
  }
}

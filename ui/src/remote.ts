// What the remote selects search: items and people, as options with Chinese labels.
import * as api from "./api";
import { inheritorQuery, itemQuery } from "./api";
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

// The register's filters as the address carries them (`#/register?batch=6&q=花鼓&page=2`) and
// the item query they ask the core for. The register page and the start-up prefetch
// (main.ts) both read them here, so the page asked for before the window is drawn is exactly
// the one the register then shows.
import type { LocationQuery, LocationQueryRaw } from "vue-router";
import type { ItemQuery } from "./bindings/ItemQuery";
import type { ItemSort } from "./bindings/ItemSort";

// Up to 500 rows a page (the core's MAX_PAGE_SIZE): the body is virtualised, so the DOM holds only
// the rows in view whatever the page size.
export const PAGE_SIZES = [20, 50, 100, 200, 500];
export const SORTS: ItemSort[] = ["code", "name", "batch", "level", "updatedAt"];

/** The register's filters (the search text is kept apart: it is sent after a pause). */
export interface RegisterFilters {
  batch: number | null;
  category: string | null;
  level: string | null;
  township: string | null;
  status: string | null;
  deleted: boolean;
  sort: ItemSort;
  desc: boolean;
  page: number;
  pageSize: number;
}

/** A query parameter as text (the first, when repeated); null when missing or empty. */
export function str(q: LocationQuery, key: string): string | null {
  const v = q[key];
  const s = Array.isArray(v) ? v[0] : v;
  return typeof s === "string" && s !== "" ? s : null;
}

/** A query parameter as a positive whole number; null otherwise. */
export function int(q: LocationQuery, key: string): number | null {
  const s = str(q, key);
  const n = s === null ? NaN : Number(s);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** The filters an address names; anything unknown falls back to the default. */
export function filtersFromQuery(q: LocationQuery): RegisterFilters {
  const sort = str(q, "sort");
  const size = int(q, "size") ?? 0;
  return {
    batch: int(q, "batch"),
    category: str(q, "category"),
    level: str(q, "level"),
    township: str(q, "township"),
    status: str(q, "status"),
    deleted: str(q, "deleted") === "1",
    sort: sort !== null && (SORTS as string[]).includes(sort) ? (sort as ItemSort) : "code",
    desc: str(q, "desc") === "1",
    page: int(q, "page") ?? 1,
    pageSize: PAGE_SIZES.includes(size) ? size : 20,
  };
}

/** The item query of the filters and the search text. */
export function itemQueryOf(f: RegisterFilters, text: string): ItemQuery {
  const t = text.trim();
  return {
    batch: f.batch,
    category: f.category,
    level: f.level,
    township: f.township,
    status: f.status,
    query: t === "" ? null : t,
    deleted: f.deleted,
    sort: f.sort,
    desc: f.desc,
    page: f.page,
    pageSize: f.pageSize,
  };
}

/** The address's query of the filters and the search text: the inverse of
 *  `filtersFromQuery`, defaults left out. */
export function addressOf(f: RegisterFilters, text: string): LocationQueryRaw {
  const query: LocationQueryRaw = {};
  const t = text.trim();
  if (f.batch !== null) query.batch = String(f.batch);
  if (f.category) query.category = f.category;
  if (f.level) query.level = f.level;
  if (f.township) query.township = f.township;
  if (f.status) query.status = f.status;
  if (t) query.q = t;
  if (f.deleted) query.deleted = "1";
  if (f.sort !== "code") query.sort = f.sort;
  if (f.desc) query.desc = "1";
  if (f.page !== 1) query.page = String(f.page);
  if (f.pageSize !== 20) query.size = String(f.pageSize);
  return query;
}

/**
 * The item query the register will ask for first, when the window opens on the register
 * (`hash` as in `location.hash`: empty, `#/`, `#/register` or `#/register?…`); null for
 * any other page.
 */
export function startQuery(hash: string): ItemQuery | null {
  const [path, search = ""] = hash.replace(/^#/, "").split("?", 2);
  if (!["", "/", "/register"].includes(path)) return null;
  const q: LocationQuery = {};
  for (const [k, v] of new URLSearchParams(search)) if (!(k in q)) q[k] = v;
  return itemQueryOf(filtersFromQuery(q), str(q, "q") ?? "");
}

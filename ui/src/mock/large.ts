// A large synthetic register (示例, visibly fictional names) for checking that the register page
// stays bounded at province scale: `largeRegister(100_000)` answers `item_list` the way the core
// does (filter, sort, count, then one page), so no caller ever receives more than the page asked for
// — unless a test asks for an oversized page on purpose with `pageOverride`.
import type { ItemPage } from "../bindings/ItemPage";
import type { ItemQuery } from "../bindings/ItemQuery";
import type { ItemRow } from "../bindings/ItemRow";
import { REFERENCE } from "./backend";

const CN_NUM = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];

/** `n` fictional register rows, `示例项目000123·传统舞蹈`, spread over categories, batches and townships. */
export function largeRows(n: number): ItemRow[] {
  const cats = REFERENCE.categories;
  const towns = REFERENCE.townships;
  const seqs = new Map<string, number>();
  const rows: ItemRow[] = [];
  for (let k = 0; k < n; k++) {
    const cat = cats[k % cats.length];
    const seq = (seqs.get(cat.code) ?? 0) + 1;
    seqs.set(cat.code, seq);
    const batch = (k % 6) + 1;
    rows.push({
      id: `L${String(k).padStart(6, "0")}`,
      code: `${cat.code}-${seq}`,
      name: `示例项目${String(k).padStart(6, "0")}·${cat.name}`,
      category: cat.code,
      categoryName: cat.name,
      batchNumber: batch,
      batchLabel: `第${CN_NUM[batch]}批`,
      seq,
      level: REFERENCE.levels[k % 7 === 0 ? 1 : 0],
      townships: towns[k % towns.length].name,
      protectionUnits: "",
      status: "在册",
      endangered: k % 13 === 0,
      confidential: false,
      isExtension: false,
      updatedAt: `2024-${String((k % 12) + 1).padStart(2, "0")}-01T02:00:00Z`,
    });
  }
  return rows;
}

/** An `item_list` answer over `rows`; `pageOverride` forces a page size beyond what the UI offers. */
export function largeRegister(n: number, pageOverride?: number) {
  const all = largeRows(n);
  return (q: ItemQuery): ItemPage => {
    const text = (q.query ?? "").trim();
    const town = REFERENCE.townships.find((t) => t.code === q.township)?.name;
    let rows = all.filter(
      (r) =>
        (q.batch == null || r.batchNumber === q.batch) &&
        (!q.category || r.category === q.category) &&
        (!q.level || r.level === q.level) &&
        (!town || r.townships === town) &&
        (!q.status || r.status === q.status) &&
        (!text || r.name.includes(text)) &&
        !q.deleted,
    );
    if (q.sort === "name" || q.desc) {
      rows = [...rows].sort((a, b) => (q.sort === "name" ? a.name.localeCompare(b.name) : 0));
      if (q.desc) rows.reverse();
    }
    const pageSize = pageOverride ?? q.pageSize ?? 20;
    const page = q.page ?? 1;
    return { rows: rows.slice((page - 1) * pageSize, page * pageSize), total: rows.length, totalCapped: false, page, pageSize };
  };
}

// Lays out a lineage (传承谱系) for the chart: people as nodes placed by generation (代) from
// top to bottom, edges master → apprentice. Works for several roots and for a person with
// two masters (a graph, not only a tree). Pure, so that it can be tested without a canvas.
import type { Lineage } from "./bindings/Lineage";
import { generationLabel } from "./format";

export type LineageNode = {
  id: string;
  name: string;
  generation: number;
  x: number;
  y: number;
  sex: string | null;
  birthYear: number | null;
  howLearned: string | null;
  period: string | null;
};

export type LineageLink = {
  id: string | null;
  source: string;
  target: string;
  kind: string;
  sourceName: string;
  targetName: string;
  fromYear: number | null;
  toYear: number | null;
};

export type GenerationBand = { generation: number; label: string; y: number; names: string[] };

export type LineageLayout = {
  nodes: LineageNode[];
  links: LineageLink[];
  generations: GenerationBand[];
  /** x of the generation labels, left of every node. */
  labelX: number;
};

export const X_GAP = 150;
export const Y_GAP = 110;

export function layoutLineage(lineage: Pick<Lineage, "edges" | "table">): LineageLayout {
  const order = new Map<string, number>(); // table order, the tie-breaker everywhere
  const info = new Map<string, Omit<LineageNode, "x" | "y" | "generation"> & { generation: number | null }>();

  lineage.table.forEach((r, i) => {
    if (!order.has(r.inheritorId)) order.set(r.inheritorId, i);
    info.set(r.inheritorId, {
      id: r.inheritorId, name: r.name, generation: r.generation > 0 ? r.generation : null,
      sex: r.sex, birthYear: r.birthYear, howLearned: r.howLearned, period: r.period,
    });
  });
  const addEdgePerson = (id: string, name: string) => {
    if (!order.has(id)) order.set(id, order.size);
    if (!info.has(id)) info.set(id, { id, name, generation: null, sex: null, birthYear: null, howLearned: null, period: null });
  };
  for (const e of lineage.edges) {
    addEdgePerson(e.masterId, e.masterName);
    addEdgePerson(e.apprenticeId, e.apprenticeName);
  }
  const edges = lineage.edges.filter((e) => e.masterId !== e.apprenticeId);

  // Generations: the server's table when it states one; else one below the deepest master.
  // Bounded relaxation, so that a cycle slipped in by bad data cannot hang the page.
  const gen = new Map<string, number>();
  for (const [id, p] of info) if (p.generation !== null) gen.set(id, p.generation);
  const masters = new Map<string, string[]>();
  for (const e of edges) masters.set(e.apprenticeId, [...(masters.get(e.apprenticeId) ?? []), e.masterId]);
  const ids = [...info.keys()];
  for (let round = 0; round <= ids.length; round++) {
    let changed = false;
    for (const id of ids) {
      if (info.get(id)!.generation !== null) continue;
      const ms = masters.get(id) ?? [];
      const g = ms.length ? Math.max(...ms.map((m) => gen.get(m) ?? 1)) + 1 : 1;
      if (gen.get(id) !== g) {
        gen.set(id, Math.min(g, ids.length + 1));
        changed = true;
      }
    }
    if (!changed) break;
  }

  // Order within a generation: roots by table order, others under their masters (barycentre).
  const levels = [...new Set(ids.map((id) => gen.get(id) ?? 1))].sort((a, b) => a - b);
  const position = new Map<string, number>();
  const nodes: LineageNode[] = [];
  const generations: GenerationBand[] = [];
  for (const level of levels) {
    const here = ids.filter((id) => (gen.get(id) ?? 1) === level);
    const centre = (id: string) => {
      const xs = (masters.get(id) ?? []).map((m) => position.get(m)).filter((x): x is number => x !== undefined);
      return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
    };
    here.sort((a, b) => {
      const ca = centre(a), cb = centre(b);
      if (ca !== null && cb !== null && ca !== cb) return ca - cb;
      if (ca !== null && cb === null) return -1;
      if (ca === null && cb !== null) return 1;
      return (order.get(a) ?? 0) - (order.get(b) ?? 0);
    });
    const y = (level - 1) * Y_GAP;
    here.forEach((id, i) => {
      const x = (i - (here.length - 1) / 2) * X_GAP;
      position.set(id, x);
      const p = info.get(id)!;
      nodes.push({ ...p, generation: level, x, y });
    });
    generations.push({ generation: level, label: generationLabel(level), y, names: here.map((id) => info.get(id)!.name) });
  }

  const minX = nodes.length ? Math.min(...nodes.map((n) => n.x)) : 0;
  const links: LineageLink[] = edges.map((e) => ({
    id: e.id, source: e.masterId, target: e.apprenticeId, kind: e.kind,
    sourceName: info.get(e.masterId)?.name ?? e.masterName, targetName: info.get(e.apprenticeId)?.name ?? e.apprenticeName,
    fromYear: e.fromYear, toYear: e.toYear,
  }));
  return { nodes, links, generations, labelX: minX - X_GAP };
}

/** `1980—1995`, `1980 起`, or empty. */
export function yearSpan(from: number | null, to: number | null): string {
  if (from && to) return `${from}—${to}`;
  if (from) return `${from} 起`;
  if (to) return `至 ${to}`;
  return "";
}

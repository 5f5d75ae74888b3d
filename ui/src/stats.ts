// 统计: how a statistics table (StatTable) is read for its chart and shown in its grid. Pure
// functions, so that the chart options can be tested without drawing them.
import type { StatCell } from "./bindings/StatCell";
import type { StatRow } from "./bindings/StatRow";
import type { StatTable } from "./bindings/StatTable";

/** Charts draw text themselves (SVG), so they get the CJK fonts by name, CJK first. */
export const CHART_FONT =
  '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif';

/** The caption the township tiles must carry: they are not a map. */
export const SCHEMATIC_CAPTION = "示意图：按镇（街道）排列，不表示实际地理位置和边界";

/** The band label of months inside the 非遗月. */
export const FEIYI_MONTH_LABEL = "非遗月";
/** The legend entry of that band (the activity kind 非遗月 is a series of its own). */
export const FEIYI_BAND_LEGEND = "非遗月期间";

/** Tint of the 非遗月 months, in the chart and in the table. */
export const HIGHLIGHT_FILL = "rgba(230, 162, 60, 0.18)";
const HIGHLIGHT_TEXT = "#b26a00";

/** Shading of the township tiles: from a pale to the full colour of the app's red. */
const TILE_RGB = "140, 28, 19";

/** Rows drawn in the chart: all but 合计. */
export function dataRows(t: StatTable): StatRow[] {
  return t.rows.filter((r) => !r.total);
}

/** The column that names a row in the chart: the first, or the name after a code column (项目编号). */
export function labelColumn(t: StatTable): number {
  return t.columns.length > 1 && t.columns[0].includes("编号") ? 1 : 0;
}

/**
 * Columns the chart draws: after the label column, every column whose cells are numbers (or
 * empty), leaving out a 合计 column (the stacked bar shows it by its height) and text such as
 * 执行率 `85.0%` or 公布文号.
 */
export function numericColumns(t: StatTable): number[] {
  const rows = dataRows(t);
  const out: number[] = [];
  for (let j = labelColumn(t) + 1; j < t.columns.length; j++) {
    if (t.columns[j] === "合计") continue;
    const cells = rows.map((r) => r.cells[j]);
    if (cells.some((c) => typeof c === "number") && cells.every((c) => typeof c === "number" || c === "" || c === undefined)) out.push(j);
  }
  return out;
}

/** A cell as a number for the chart (empty → 0). */
export function cellNumber(c: StatCell | undefined): number {
  return typeof c === "number" && Number.isFinite(c) ? c : 0;
}

/** A cell's text: money in 元 with two decimals and thousands separators, counts as they are. */
export function formatCell(t: StatTable, c: StatCell | undefined): string {
  if (c === undefined || c === null) return "";
  if (typeof c === "string") return c;
  if (t.unit === "元") return formatMoney(c);
  return String(c);
}

/** 12345.5 → `12,345.50` */
export function formatMoney(n: number): string {
  const sign = n < 0 ? "-" : "";
  const fixed = Math.abs(n).toFixed(2);
  const [int, dec] = fixed.split(".");
  return `${sign}${int.replace(/\B(?=(\d{3})+(?!\d))/g, ",")}.${dec}`;
}

/** Whether a column is right-aligned (its cells are numbers). */
export function isNumberColumn(t: StatTable, j: number): boolean {
  return j > 0 && t.rows.some((r) => typeof r.cells[j] === "number");
}

/** Nothing to draw: no rows, or every number zero. The card then says 暂无数据. */
export function isEmptyChart(t: StatTable): boolean {
  const rows = dataRows(t);
  if (!rows.length) return true;
  if (t.chart === "list") return false;
  const cols = numericColumns(t);
  return !cols.length || rows.every((r) => cols.every((j) => cellNumber(r.cells[j]) === 0));
}

/** A column's minimum width in pixels, from its longest text (CJK characters are wider). */
export function columnWidth(t: StatTable, j: number): number {
  const texts = [t.columns[j] ?? "", ...t.rows.map((r) => formatCell(t, r.cells[j]))];
  const px = (s: string) => [...s].reduce((w, ch) => w + (/[\u0000-\u00ff]/.test(ch) ? 8 : 14), 0);
  return Math.min(360, Math.max(72, Math.max(...texts.map(px)) + 26));
}

/** Whether a card takes the whole width of the page: lists, stacked bars, wide tables, many bars. */
export function isWide(t: StatTable): boolean {
  return t.chart === "list" || t.chart === "stackedBar" || t.columns.length > 4 || (t.chart === "groupedBar" && dataRows(t).length >= 6);
}

/** A township tile: its name, count and shading. */
export type Tile = { label: string; count: number; background: string; color: string; unfilled: boolean };

/** The township tiles, shaded by count relative to the largest (0 stays white). */
export function schematicTiles(t: StatTable): Tile[] {
  const rows = dataRows(t);
  const j = numericColumns(t)[0] ?? 1;
  const counts = rows.map((r) => cellNumber(r.cells[j]));
  const max = Math.max(0, ...counts);
  return rows.map((r, i) => {
    const count = counts[i];
    const share = max > 0 ? count / max : 0;
    const alpha = count > 0 ? 0.12 + 0.78 * share : 0;
    return {
      label: String(r.cells[0] ?? ""),
      count,
      background: count > 0 ? `rgba(${TILE_RGB}, ${alpha.toFixed(2)})` : "#fff",
      color: alpha > 0.5 ? "#fff" : "#303133",
      unfilled: String(r.cells[0] ?? "").startsWith("未填写"),
    };
  });
}

/** Whether charts may animate: not under WebDriver, so that screenshots are stable. */
export function chartsAnimate(): boolean {
  return !(typeof navigator !== "undefined" && navigator.webdriver);
}

// ---- ECharts options (plain objects; the component registers only what they use)

type Obj = Record<string, unknown>;

const labelsOf = (t: StatTable, rows: StatRow[]) => rows.map((r) => String(r.cells[labelColumn(t)] ?? ""));

/** Long or many labels read better down the side than under the bars. */
function horizontal(labels: string[]): boolean {
  return labels.length > 8 || labels.some((l) => [...l].length > 5);
}

/** Money on a bar: `7.8万`, or the yuan as they are below ten thousand. */
export function shortMoney(v: number): string {
  return Math.abs(v) >= 10000 ? `${Number((v / 10000).toFixed(2))}万` : String(Number(v.toFixed(2)));
}

function valueText(t: StatTable, v: number): string {
  return t.unit === "元" ? `${formatMoney(v)} 元` : `${v} ${t.unit}`;
}

/**
 * A value axis's labels: ten thousand and more as `万` (a province's counts of items and
 * people run to tens of thousands, and `10,000` side by side ran together), and any label
 * that would still touch its neighbour left out.
 */
export function axisValueLabel(_t: StatTable) {
  return { formatter: (v: number) => (Math.abs(v) >= 10000 ? `${v / 10000}万` : String(v)), hideOverlap: true };
}

function base(t: StatTable, animate: boolean): Obj {
  return {
    textStyle: { fontFamily: CHART_FONT },
    animation: animate,
    aria: { enabled: true, label: { description: t.title } },
  };
}

function tooltip(t: StatTable, trigger: "axis" | "item"): Obj {
  return {
    trigger,
    confine: true,
    textStyle: { fontFamily: CHART_FONT },
    ...(trigger === "axis" ? { axisPointer: { type: "shadow" } } : {}),
    valueFormatter: (v: unknown) => (typeof v === "number" ? valueText(t, v) : String(v ?? "")),
  };
}

function pieOption(t: StatTable, animate: boolean): Obj {
  const rows = dataRows(t);
  const j = numericColumns(t)[0];
  const data = rows
    .map((r) => ({ name: String(r.cells[labelColumn(t)] ?? ""), value: cellNumber(r.cells[j]) }))
    .filter((d) => d.value > 0);
  return {
    ...base(t, animate),
    tooltip: { ...tooltip(t, "item"), valueFormatter: undefined, formatter: (p: { name: string; value: number; percent: number }) => `${p.name}：${valueText(t, p.value)}（${p.percent}%）` },
    legend: { type: "scroll", orient: "vertical", left: 0, top: "middle", textStyle: { fontFamily: CHART_FONT } },
    series: [
      {
        type: "pie",
        name: t.columns[j] ?? t.title,
        radius: ["38%", "68%"],
        center: ["62%", "50%"],
        avoidLabelOverlap: true,
        label: { formatter: `{b}\n{c}${t.unit}（{d}%）`, fontFamily: CHART_FONT },
        data,
      },
    ],
  };
}

function barOption(t: StatTable, animate: boolean, mode: "bar" | "groupedBar" | "stackedBar"): Obj {
  const rows = dataRows(t);
  const labels = labelsOf(t, rows);
  const cols = numericColumns(t);
  const stacked = mode === "stackedBar";
  const side = !stacked && horizontal(labels);
  const legend = cols.length > 1 || rows.some((r) => r.highlight);
  const category = {
    type: "category",
    data: labels,
    inverse: side, // first row on top when the bars run sideways
    axisTick: { alignWithLabel: true },
    axisLabel: {
      interval: 0,
      fontFamily: CHART_FONT,
      // 非遗月 months in the colour of their band.
      formatter: (v: string, i: number) => (rows[i]?.highlight ? `{hl|${v}}` : v),
      rich: { hl: { color: HIGHLIGHT_TEXT, fontWeight: "bold", fontFamily: CHART_FONT } },
    },
  };
  const value = { type: "value", name: t.unit, minInterval: t.unit === "元" ? undefined : 1, axisLabel: axisValueLabel(t) };
  const series: Obj[] = cols.map((j) => ({
    type: "bar",
    name: t.columns[j],
    data: rows.map((r) => cellNumber(r.cells[j])),
    barMaxWidth: 36,
    ...(stacked ? { stack: "total", emphasis: { focus: "series" } } : {}),
    label: {
      show: !stacked && cols.length <= 2 && rows.length <= 14,
      position: side ? "right" : "top",
      fontFamily: CHART_FONT,
      formatter: (p: { value: number }) => (t.unit === "元" ? shortMoney(p.value) : String(p.value)),
    },
  }));
  const marked = rows.some((r) => r.highlight);
  if (marked) {
    // The 非遗月 months are tinted over their whole band: a bar of full height on hidden axes
    // of their own (so it takes no slot beside the real bars), drawn underneath, with the
    // legend entry 非遗月.
    series.push({
      type: "bar",
      name: FEIYI_BAND_LEGEND,
      [side ? "yAxisIndex" : "xAxisIndex"]: 1,
      [side ? "xAxisIndex" : "yAxisIndex"]: 1,
      data: rows.map((r) => (r.highlight ? 1 : 0)),
      barWidth: "100%",
      silent: true,
      z: 0,
      itemStyle: { color: HIGHLIGHT_FILL, borderColor: HIGHLIGHT_FILL },
      label: { show: true, position: side ? "insideRight" : "insideTop", color: HIGHLIGHT_TEXT, fontFamily: CHART_FONT, formatter: (p: { value: number }) => (p.value ? FEIYI_MONTH_LABEL : "") },
      tooltip: { show: false },
    });
  }
  const hiddenCategory = { ...category, show: false, axisLabel: { show: false } };
  const hiddenValue = { type: "value", show: false, min: 0, max: 1 };
  const categories = marked ? [category, hiddenCategory] : category;
  const values = marked ? [value, hiddenValue] : value;
  const axisTooltip = {
    ...tooltip(t, "axis"),
    formatter: (params: { axisValue: string; dataIndex: number; seriesName: string; marker: string; value: number }[]) => {
      const list = (Array.isArray(params) ? params : [params]).filter((p) => p.seriesName !== FEIYI_BAND_LEGEND);
      if (!list.length) return "";
      const head = `${list[0].axisValue}${rows[list[0].dataIndex]?.highlight ? `（${FEIYI_MONTH_LABEL}）` : ""}`;
      return [head, ...list.map((p) => `${p.marker}${p.seriesName}：${valueText(t, p.value)}`)].join("<br/>");
    },
  };
  return {
    ...base(t, animate),
    tooltip: axisTooltip,
    legend: legend ? { type: "scroll", top: 0, textStyle: { fontFamily: CHART_FONT } } : undefined,
    grid: { left: 12, right: side ? 56 : 24, top: legend ? 40 : 28, bottom: 8, outerBoundsMode: "same", outerBoundsContain: "axisLabel" },
    xAxis: side ? values : categories,
    yAxis: side ? categories : values,
    series,
  };
}

/** The most bars or slices a chart draws; a table with more is read from its rows. */
export const CHART_MAX_CATEGORIES = 40;

/**
 * How many categories a bar or pie chart of `t` would need to draw, when more than
 * [`CHART_MAX_CATEGORIES`] (a province's register has over a thousand batches: their labels ran
 * into one black block), or when the page has only part of its rows (a chart of the first 200
 * would mislead); 0 when it can be drawn.
 */
export function crowdedChart(t: StatTable): number {
  if (!isCategoryChart(t.chart)) return 0;
  const n = dataRows(t).length + t.omitted;
  return n > CHART_MAX_CATEGORIES || t.omitted > 0 ? n : 0;
}

/** The chart kinds ECharts draws as categories: a slice or a bar (group) per row. */
const CATEGORY_CHARTS = ["pie", "bar", "groupedBar", "stackedBar"] as const;
/** Whether a table's chart is drawn as categories (the others: a list, a schematic). */
function isCategoryChart(kind: StatTable["chart"]): kind is (typeof CATEGORY_CHARTS)[number] {
  return (CATEGORY_CHARTS as readonly string[]).includes(kind);
}

/** The ECharts option of a table, or null when it has no ECharts chart (list, schematic, empty). */
export function chartOption(t: StatTable, animate = chartsAnimate()): Obj | null {
  const kind = t.chart;
  if (isEmptyChart(t) || !isCategoryChart(kind)) return null;
  return kind === "pie" ? pieOption(t, animate) : barOption(t, animate, kind);
}

/** How tall a chart is drawn: room for every bar when they run sideways. */
export function chartHeight(t: StatTable): number {
  if (t.chart === "pie") return 280;
  const rows = dataRows(t);
  const labels = labelsOf(t, rows);
  if (t.chart !== "stackedBar" && horizontal(labels)) {
    const per = Math.max(1, numericColumns(t).length) * 14 + 14;
    return Math.min(640, Math.max(240, 60 + rows.length * per));
  }
  return 300;
}

// 统计: every table with its chart and rows, the year, the exports, the yearly report and the
// rows that open their record. The Rust side is replaced by fixtures written here by hand.
import { describe, expect, it, vi } from "vitest";
import type { AnnualReportSummary } from "../bindings/AnnualReportSummary";
import type { StatRow } from "../bindings/StatRow";
import type { StatTable } from "../bindings/StatTable";
import type { Statistics } from "../bindings/Statistics";
import { MockBackend } from "../mock/backend";
import {
  CHART_FONT, axisValueLabel, chartOption, columnWidth, crowdedChart, dataRows, formatCell, isEmptyChart, labelColumn, numericColumns, schematicTiles,
} from "../stats";
import { chooseOption, installIpc, mountApp, settle, waitFor, type Handler } from "./helpers";

// jsdom draws nothing: the chart is replaced by a stub that shows what it was given.
vi.mock("vue-echarts", async () => {
  const { defineComponent, h } = await import("vue");
  return {
    default: defineComponent({
      name: "VChartStub",
      props: { option: { type: Object, required: true }, initOptions: Object, autoresize: Boolean },
      setup(props) {
        return () => {
          const o = props.option as { series?: { name?: string; type: string; data: unknown[] }[]; animation?: boolean; textStyle?: { fontFamily?: string } };
          return h("div", {
            "data-testid": "vchart-stub",
            "data-renderer": (props.initOptions as { renderer?: string } | undefined)?.renderer ?? "",
            "data-series": (o.series ?? []).map((s) => s.name ?? s.type).join(","),
            "data-kinds": (o.series ?? []).map((s) => s.type).join(","),
            "data-font": o.textStyle?.fontFamily ?? "",
            "data-option": JSON.stringify(o),
          });
        };
      },
    }),
  };
});

const KEYS = [
  "items_by_level", "items_by_batch", "items_by_category", "items_by_township", "inheritors_by_level", "inheritors_by_sex",
  "inheritors_by_age", "inheritors_by_status", "at_risk", "funds_by_year", "funds_by_source", "funds_by_item",
  "activities_by_month", "activities_by_kind",
];

const row = (cells: (string | number)[], extra: Partial<StatRow> = {}): StatRow => ({ cells, target: null, total: false, highlight: false, ...extra });
const total = (...cells: (string | number)[]) => row(["合计", ...cells], { total: true });
const table = (key: string, title: string, unit: string, chart: StatTable["chart"], columns: string[], rows: StatRow[], notes: string[] = []): StatTable =>
  ({ key, title, unit, chart, columns, rows, notes, omitted: 0 });

/** Fourteen small tables in the contract's order; the per-year ones carry the year. */
function statistics(year = 2026): Statistics {
  const months = Array.from({ length: 12 }, (_, n) =>
    row([`${n + 1}月`, n === 1 ? 1 : 0, 0, 0, n === 3 ? 2 : 0, 0, n === 1 ? 3 : 0, 0, 0, n === 1 ? 4 : n === 3 ? 2 : 0], { highlight: n === 1 || n === 2 }));
  return {
    asOf: "2026-11-29",
    year,
    feiyiMonth: { year, start: `${year}-02-10`, end: `${year}-03-20` },
    tables: [
      table("items_by_level", "代表性项目按级别统计", "项", "pie", ["级别", "项目数"], [row(["国家级", 0]), row(["省级", 1]), row(["市级", 2]), row(["区级", 9]), total(12)], ["已撤销或合并的项目不计入。"]),
      table("items_by_batch", "代表性项目按批次统计", "项", "bar", ["批次", "公布文号", "公布项目数", "已录入项目数"],
        [row(["第一批", "台政发〔2007〕21号", 12, 7]), row(["第六批", "台政字〔2022〕33号", 11, 4]), row(["未归入批次", "", "", 1]), total("", 23, 12)]),
      table("items_by_category", "代表性项目按类别统计", "项", "bar", ["类别", "项目数"], [row(["Ⅰ 民间文学", 2]), row(["Ⅷ 传统技艺", 10]), total(12)]),
      table("items_by_township", "代表性项目按镇（街道）分布统计", "项", "schematic", ["镇（街道）", "项目数"],
        [row(["运河街道", 8]), row(["邳庄镇", 2]), row(["张山子镇", 0]), row(["未填写分布", 1]), total(12)], ["一个项目分布在多个镇（街道）的，各计一次"]),
      table("inheritors_by_level", "代表性传承人按级别统计", "人", "pie", ["级别", "人数"], [row(["国家级", 0]), row(["省级", 0]), row(["市级", 1]), row(["区级", 5]), total(6)]),
      table("inheritors_by_sex", "代表性传承人按性别统计", "人", "pie", ["性别", "人数"], [row(["男", 0]), row(["女", 0]), row(["未填写", 0]), total(0)]),
      table("inheritors_by_age", "代表性传承人年龄结构", "人", "bar", ["年龄段", "人数"],
        [row(["40岁以下", 1]), row(["40—49岁", 0]), row(["50—59岁", 0]), row(["60—69岁", 3]), row(["70—79岁", 1]), row(["80岁及以上", 1]), row(["出生年月不详", 0]), total(6)],
        ["平均年龄 63.5 岁（截至 2026年11月29日）"]),
      table("inheritors_by_status", "代表性传承人认定状态统计", "人次", "pie", ["状态", "人次"], [row(["在册", 6]), row(["丧失传承能力", 1]), row(["取消资格", 1]), row(["去世", 1]), total(9)]),
      table("at_risk", "传承风险项目预警", "项", "list", ["项目编号", "项目名称", "类别", "代表性传承人（年龄）", "预警原因"], [
        row(["Ⅲ-1", "鲁南花鼓", "Ⅲ 传统舞蹈", "李春生（88）", "认定传承人均已年满70岁；存续状况为濒危"], { target: { kind: "item", id: "i1", field: null } }),
        row(["Ⅱ-2", "运河号子", "Ⅱ 传统音乐", "", "无在册代表性传承人"], { target: { kind: "item", id: "i2", field: null } }),
      ]),
      table("funds_by_year", "保护经费按年度统计", "元", "groupedBar", ["年度", "计划金额", "实际支出", "执行率"],
        [row(["2025年", 25000, 20000, "80.0%"]), row(["2026年", 78000, 73600.5, "94.4%"]), total(103000, 93600.5, "90.9%")]),
      table("funds_by_source", `${year}年保护经费按来源统计`, "元", "groupedBar", ["来源", "计划金额", "实际支出"],
        [row(["区级财政", 50000, 55000]), row(["配套", 20000, 18600.5]), row(["自筹", 8000, 0]), row(["其他", 0, 0]), total(78000, 73600.5)]),
      table("funds_by_item", `${year}年保护经费按项目统计`, "元", "groupedBar", ["项目编号", "项目名称", "计划金额", "实际支出"],
        [row(["Ⅲ-1", "鲁南花鼓", 78000, 73600.5], { target: { kind: "item", id: "i1", field: null } }), total("", 78000, 73600.5)]),
      table("activities_by_month", `${year}年保护传承活动按月统计`, "次", "stackedBar", ["月份", "传承活动", "展演", "培训", "进校园", "展览", "非遗月", "调查", "其他", "合计"],
        [...months, total(1, 0, 0, 2, 0, 3, 0, 0, 6)], [`非遗月：${year}年2月10日至${year}年3月20日`]),
      table("activities_by_kind", `${year}年保护传承活动按类型统计`, "次", "pie", ["类型", "次数", "参与人次"],
        [row(["传承活动", 1, 20]), row(["进校园", 2, 85]), row(["非遗月", 3, 320]), total(6, 425)]),
    ],
  };
}

function report(partial: Partial<AnnualReportSummary> = {}): AnnualReportSummary {
  return {
    year: 2025, docx: "/home/user/报告/2025年度非物质文化遗产保护工作报告.docx", pdf: "/home/user/报告/2025年度非物质文化遗产保护工作报告.pdf",
    sections: ["基本情况", "名录建设", "传承人队伍"], photos: 4, gaps: ["2025年度有 3 个传承人认定没有录入评估结果。", "2025年没有登记经费支出。"],
    ...partial,
  };
}

/** The statistics answered for the year asked (null = 2026), behind a call log. */
function statsIpc(over: Handler = () => undefined, kind: "real" | "sample" = "real") {
  const calls = installIpc((cmd, a) => {
    const answer = over(cmd, a);
    if (answer !== undefined) return answer;
    if (cmd === "stats_get") return statistics((a.query as { year: number | null }).year ?? 2026);
    return undefined;
  }, kind);
  const argsOf = (cmd: string) => calls.filter((c) => c.cmd === cmd).map((c) => c.args);
  return { calls, argsOf };
}

const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);
const all = (css: string, root: ParentNode = document) => [...root.querySelectorAll<HTMLElement>(css)];
const click = async (el: Element | null | undefined) => {
  if (!el) throw new Error("nothing to click");
  (el as HTMLElement).click();
  await settle();
};
const bodyRows = (key: string) => all(`[data-testid="stats-table-${key}"] .el-table__body tbody tr`);
const cellTexts = (tr: HTMLElement) => all("td", tr).map((td) => td.textContent?.trim() ?? "");
const stubsReady = () => all('[data-testid="vchart-stub"]').length >= 10;

describe("统计 page", () => {
  it("says how many rows of a long table the page leaves out, and only there", async () => {
    statsIpc((cmd, a) => {
      if (cmd !== "stats_get") return undefined;
      const s = statistics((a.query as { year: number | null }).year ?? 2026);
      s.tables.find((t) => t.key === "at_risk")!.omitted = 89_512;
      return s;
    });
    await mountApp("/stats");
    await waitFor(stubsReady);
    const notes = all('[data-testid="stats-omitted"]');
    expect(notes).toHaveLength(1);
    expect(byTestId("stats-card-at_risk")!.contains(notes[0])).toBe(true);
    expect(notes[0].textContent).toContain("页面只列出前 2 行，另有 89512 行未列出；完整的表请点“导出”");
  });

  it("draws no chart of a table with too many categories, or of part of one, and says why", async () => {
    statsIpc((cmd, a) => {
      if (cmd !== "stats_get") return undefined;
      const s = statistics((a.query as { year: number | null }).year ?? 2026);
      const batches = s.tables.find((t) => t.key === "items_by_batch")!;
      batches.omitted = 1468; // a province's 1,668 batches, 200 on the page
      return s;
    });
    await mountApp("/stats");
    await waitFor(stubsReady);
    const card = byTestId("stats-card-items_by_batch")!;
    const note = card.querySelector('[data-testid="stats-chart-crowded"]');
    expect(note?.textContent).toContain("图表画不清楚");
    expect(note?.textContent).toContain("点“导出”");
    expect(all('[data-testid="stats-chart-crowded"]')).toHaveLength(1);
  });

  it("shows every table in order: title, unit and date line, chart or tiles, and all its rows with 合计 in bold", async () => {
    const { argsOf } = statsIpc();
    const { wrapper } = await mountApp("/stats");
    await waitFor(stubsReady);
    expect(argsOf("stats_get")).toEqual([{ query: { year: null } }]);
    expect(wrapper.find('[data-testid="coming-soon-stats"]').exists()).toBe(false);

    const cards = all('[data-testid^="stats-card-"]');
    expect(cards.map((c) => c.dataset.testid)).toEqual(KEYS.map((k) => `stats-card-${k}`));
    const fixture = statistics();
    for (const t of fixture.tables) {
      const card = byTestId(`stats-card-${t.key}`)!;
      expect(card.textContent).toContain(t.title);
      expect(card.textContent).toContain(`计量单位：${t.unit}`);
      expect(card.textContent).toContain("数据截至：2026年11月29日");
      expect(byTestId(`stats-export-${t.key}`), t.key).not.toBeNull();
      const headers = all(`[data-testid="stats-table-${t.key}"] .el-table__header th`).map((th) => th.textContent?.trim());
      expect(headers, t.key).toEqual(t.columns);
      const rows = bodyRows(t.key);
      expect(rows.length, t.key).toBe(t.rows.length);
      t.rows.forEach((r, i) => {
        expect(cellTexts(rows[i])[0], `${t.key} row ${i}`).toBe(String(r.cells[0]));
        expect(rows[i].classList.contains("stat-total"), `${t.key} row ${i}`).toBe(r.total);
        expect(rows[i].classList.contains("stat-highlight"), `${t.key} row ${i}`).toBe(r.highlight);
      });
      for (const n of t.notes) expect(card.textContent).toContain(n);
    }

    // money in 元 with two decimals and separators; empty cells stay empty
    expect(cellTexts(bodyRows("funds_by_source")[1])).toEqual(["配套", "20,000.00", "18,600.50"]);
    expect(cellTexts(bodyRows("funds_by_year")[2])).toEqual(["合计", "103,000.00", "93,600.50", "90.9%"]);
    expect(cellTexts(bodyRows("items_by_batch")[2])).toEqual(["未归入批次", "", "", "1"]);

    // charts: ECharts for bar/pie/grouped/stacked, none for the list, tiles (not a map) for townships
    for (const key of ["items_by_level", "items_by_batch", "items_by_category", "inheritors_by_level", "inheritors_by_age", "inheritors_by_status", "funds_by_year", "funds_by_source", "funds_by_item", "activities_by_month", "activities_by_kind"]) {
      const stub = byTestId(`stats-chart-${key}`)?.querySelector<HTMLElement>('[data-testid="vchart-stub"]');
      expect(stub, key).toBeTruthy();
      expect(stub!.dataset.renderer).toBe("svg");
      expect(stub!.dataset.font).toBe(CHART_FONT);
    }
    expect(byTestId("stats-chart-at_risk")).toBeNull();
    expect(byTestId("stats-card-at_risk")!.querySelector('[data-testid="vchart-stub"]')).toBeNull();
    const town = byTestId("stats-chart-items_by_township")!;
    expect(town.querySelector('[data-testid="vchart-stub"]')).toBeNull();
    expect(all('[data-testid="stats-tile"]', town).map((t) => t.textContent?.replace(/\s+/g, ""))).toEqual(["运河街道8项", "邳庄镇2项", "张山子镇0项", "未填写分布1项"]);
    expect(town.textContent).toContain("示意图：按镇（街道）排列，不表示实际地理位置和边界");

    // a table with nothing to draw says so instead of a blank chart
    const sex = byTestId("stats-chart-inheritors_by_sex")!;
    expect(sex.querySelector('[data-testid="vchart-stub"]')).toBeNull();
    expect(sex.textContent).toContain("暂无数据");

    // the activity months: the kinds stacked, the 非遗月 band with its legend entry
    const month = byTestId("stats-chart-activities_by_month")!.querySelector<HTMLElement>('[data-testid="vchart-stub"]')!;
    expect(month.dataset.series).toBe("传承活动,展演,培训,进校园,展览,非遗月,调查,其他,非遗月期间");
    const option = JSON.parse(month.dataset.option!) as { series: { name: string; data: number[]; stack?: string }[] };
    expect(option.series.find((s) => s.name === "非遗月期间")!.data).toEqual([0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(option.series.filter((s) => s.stack === "total")).toHaveLength(8);
    expect(byTestId("stats-card-activities_by_month")!.textContent).toContain("非遗月期间：底色标出的月份在非遗月");
    wrapper.unmount();
  });

  it("asks again for the year chosen and keeps it in the address", async () => {
    const { argsOf } = statsIpc();
    const { wrapper, router } = await mountApp("/stats");
    await waitFor(stubsReady);
    await chooseOption("stats-year", "2024年");
    await settle();
    expect(argsOf("stats_get").at(-1)).toEqual({ query: { year: 2024 } });
    expect(router.currentRoute.value.query.year).toBe("2024");
    expect(byTestId("stats-card-funds_by_source")!.textContent).toContain("2024年保护经费按来源统计");
    expect(byTestId("stats-card-activities_by_kind")!.textContent).toContain("2024年保护传承活动按类型统计");
    wrapper.unmount();
  });

  it("opens with ?year= and exports for that year", async () => {
    const { argsOf } = statsIpc((cmd, a) => {
      if (cmd === "pick_save_file") return `/home/user/桌面/${String(a.defaultName)}`;
      if (cmd === "stats_export_workbook") return { path: a.path, sheets: ["a", "b"] };
      return undefined;
    });
    const { wrapper } = await mountApp("/stats?year=2025");
    await waitFor(stubsReady);
    expect(argsOf("stats_get")).toEqual([{ query: { year: 2025 } }]);
    await click(byTestId("stats-export-workbook"));
    expect(argsOf("pick_save_file")).toEqual([{ title: "导出年度工作统计表", defaultName: "2025年度非遗工作统计表.xlsx" }]);
    expect(argsOf("stats_export_workbook")).toEqual([{ query: { year: 2025 }, path: "/home/user/桌面/2025年度非遗工作统计表.xlsx" }]);
    expect(document.querySelector(".el-message--success")?.textContent).toContain("2025年度非遗工作统计表.xlsx");
    wrapper.unmount();
  });

  it("exports one table: asks where, then writes it there; does nothing when the clerk cancels", async () => {
    let answer: string | null = null;
    const { calls, argsOf } = statsIpc((cmd, a) => {
      if (cmd === "pick_save_file") return answer;
      if (cmd === "stats_export_table") return { path: a.path, sheets: ["代表性项目按批次统计"] };
      return undefined;
    });
    const { wrapper } = await mountApp("/stats");
    await waitFor(stubsReady);

    // cancelled: the picker answers null
    await click(byTestId("stats-export-items_by_batch"));
    expect(argsOf("pick_save_file")).toEqual([{ title: "导出“代表性项目按批次统计”", defaultName: "代表性项目按批次统计.xlsx" }]);
    expect(calls.some((c) => c.cmd === "stats_export_table")).toBe(false);

    answer = "/home/user/桌面/批次统计.xlsx";
    await click(byTestId("stats-export-items_by_batch"));
    expect(argsOf("stats_export_table")).toEqual([{ query: { year: 2026 }, key: "items_by_batch", path: "/home/user/桌面/批次统计.xlsx" }]);
    expect(document.querySelector(".el-message--success")?.textContent).toContain("批次统计.xlsx");

    // a per-year table is named with its year
    answer = null;
    await click(byTestId("stats-export-funds_by_item"));
    expect(argsOf("pick_save_file").at(-1)).toEqual({ title: "导出“2026年保护经费按项目统计”", defaultName: "2026年保护经费按项目统计.xlsx" });
    wrapper.unmount();
  });

  it("names the sample's files 示例 and says why an export failed", async () => {
    const { argsOf } = statsIpc((cmd) => {
      if (cmd === "pick_save_file") return "/home/user/桌面/x.xlsx";
      if (cmd === "stats_export_workbook") throw { code: "io", message: "无法写入“x.xlsx”：文件正被其他程序打开" };
      return undefined;
    }, "sample");
    const { wrapper } = await mountApp("/stats");
    await waitFor(stubsReady);
    await click(byTestId("stats-export-workbook"));
    expect(argsOf("pick_save_file")[0].defaultName).toBe("示例 2026年度非遗工作统计表.xlsx");
    expect(document.querySelector(".el-message--error")?.textContent).toContain("文件正被其他程序打开");
    await click(byTestId("stats-export-items_by_level"));
    expect(argsOf("pick_save_file")[1].defaultName).toBe("示例 代表性项目按级别统计.xlsx");
    wrapper.unmount();
  });

  it("writes the yearly report: year (not after this year), folder, then the files, photos and gaps", async () => {
    let folder: string | null = null;
    const { calls, argsOf } = statsIpc((cmd, a) => {
      if (cmd === "pick_folder") return folder;
      if (cmd === "report_annual") return report({ year: a.year as number });
      return undefined;
    });
    const { wrapper } = await mountApp("/stats");
    await waitFor(stubsReady);
    await click(byTestId("stats-report"));
    const dialog = byTestId("report-dialog")!;
    expect(dialog).not.toBeNull();
    await chooseOption("report-year", "2025年");
    // the years offered end at this year (2026, by the registry's clock)
    const listId = byTestId("report-year")!.querySelector("input")!.getAttribute("aria-controls")!;
    const offered = all(".el-select-dropdown__item", document.getElementById(listId)!.closest(".el-select-dropdown")!).map((o) => o.textContent?.trim());
    expect(offered[0]).toBe("2026年");
    expect(offered).not.toContain("2027年");

    // cancelled folder: nothing written
    await click(byTestId("report-confirm"));
    expect(argsOf("pick_folder")).toHaveLength(1);
    expect(calls.some((c) => c.cmd === "report_annual")).toBe(false);

    folder = "/home/user/报告";
    await click(byTestId("report-confirm"));
    expect(argsOf("report_annual")).toEqual([{ year: 2025, dir: "/home/user/报告" }]);
    const result = byTestId("report-result")!;
    expect(byTestId("report-docx")!.textContent).toBe("/home/user/报告/2025年度非物质文化遗产保护工作报告.docx");
    expect(byTestId("report-pdf")!.textContent).toBe("/home/user/报告/2025年度非物质文化遗产保护工作报告.pdf");
    expect(byTestId("report-photos")!.textContent).toContain("已放入 4 张照片");
    const gaps = byTestId("report-gaps")!;
    expect(gaps.classList.contains("el-alert--warning")).toBe(true);
    expect(all("li", gaps).map((li) => li.textContent)).toEqual(report().gaps);
    expect(result.textContent).toContain("2025年度工作报告已生成");
    wrapper.unmount();
  });

  it("shows the report's refusal as a message", async () => {
    statsIpc((cmd) => {
      if (cmd === "pick_folder") return "/home/user/报告";
      if (cmd === "report_annual") throw { code: "io", message: "无法在“/home/user/报告”中写入文件" };
      return undefined;
    });
    const { wrapper } = await mountApp("/stats");
    await waitFor(stubsReady);
    await click(byTestId("stats-report"));
    await click(byTestId("report-confirm"));
    expect(document.querySelector(".el-message--error")?.textContent).toContain("无法在“/home/user/报告”中写入文件");
    expect(byTestId("report-result")).toBeNull();
    wrapper.unmount();
  });

  it("opens with the report dialog for ?report=1 (a reminder's 去处理), with that year", async () => {
    statsIpc();
    const { wrapper } = await mountApp("/stats?year=2025&report=1");
    await settle();
    expect(byTestId("report-dialog")).not.toBeNull();
    expect(byTestId("report-year")!.textContent).toContain("2025年");
    wrapper.unmount();
  });

  it("opens the item of an at-risk row and of a funds row", async () => {
    statsIpc();
    const { wrapper, router } = await mountApp("/stats");
    await waitFor(stubsReady);
    const risk = bodyRows("at_risk");
    expect(risk.every((tr) => tr.dataset.testid === "stats-row-at_risk")).toBe(true);
    expect(risk[0].classList.contains("stat-link")).toBe(true);
    await click(risk[1].querySelector("td"));
    expect(router.currentRoute.value.fullPath).toBe("/items/i2");

    await router.push("/stats");
    await waitFor(stubsReady);
    // 合计 opens nothing
    await click(bodyRows("funds_by_item")[1].querySelector("td"));
    expect(router.currentRoute.value.path).toBe("/stats");
    await click(bodyRows("funds_by_item")[0].querySelector("td"));
    expect(router.currentRoute.value.fullPath).toBe("/items/i1");
    wrapper.unmount();
  });

  it("says why there are no statistics", async () => {
    statsIpc((cmd) => {
      if (cmd === "stats_get") throw { code: "db", message: "名录文件无法读取" };
      return undefined;
    });
    const { wrapper } = await mountApp("/stats");
    expect(byTestId("stats-error")?.textContent).toContain("名录文件无法读取");
    wrapper.unmount();
  });
});

describe("统计 · reading a table for its chart", () => {
  const t = (key: string) => statistics().tables.find((x) => x.key === key)!;

  it("draws the numeric columns, named by the label column (the name after a code)", () => {
    expect(numericColumns(t("items_by_batch"))).toEqual([2, 3]); // not 公布文号
    expect(numericColumns(t("funds_by_year"))).toEqual([1, 2]); // not 执行率
    expect(numericColumns(t("activities_by_month"))).toEqual([1, 2, 3, 4, 5, 6, 7, 8]); // not 合计
    expect(labelColumn(t("funds_by_item"))).toBe(1);
    expect(labelColumn(t("items_by_level"))).toBe(0);
  });

  it("leaves 合计 and zero slices out of a pie and animates only outside WebDriver", () => {
    const o = chartOption(t("items_by_level"), false) as { animation: boolean; series: { data: { name: string; value: number }[] }[] };
    expect(o.animation).toBe(false);
    expect(o.series[0].data).toEqual([{ name: "省级", value: 1 }, { name: "市级", value: 2 }, { name: "区级", value: 9 }]);
    expect((chartOption(t("items_by_level"), true) as { animation: boolean }).animation).toBe(true);
  });

  it("has no chart for a list, for tiles or for all zeros", () => {
    expect(chartOption(t("at_risk"))).toBeNull();
    expect(chartOption(t("items_by_township"))).toBeNull();
    expect(isEmptyChart(t("inheritors_by_sex"))).toBe(true);
    expect(isEmptyChart(t("at_risk"))).toBe(false);
    expect(isEmptyChart({ ...t("at_risk"), rows: [] })).toBe(true);
  });

  it("shades the township tiles by count, none for zero", () => {
    const tiles = schematicTiles(t("items_by_township"));
    expect(tiles.map((x) => [x.label, x.count])).toEqual([["运河街道", 8], ["邳庄镇", 2], ["张山子镇", 0], ["未填写分布", 1]]);
    expect(tiles[0].background).toBe("rgba(140, 28, 19, 0.90)");
    expect(tiles[2].background).toBe("#fff");
    expect(tiles[3].unfilled).toBe(true);
  });

  it("labels a value axis in 万 from ten thousand on, and leaves out labels that would touch", () => {
    const label = axisValueLabel(t("items_by_level"));
    expect([0, 5000, 10000, 15000, 120000].map(label.formatter)).toEqual(["0", "5000", "1万", "1.5万", "12万"]);
    expect(label.hideOverlap).toBe(true);
    expect(axisValueLabel(t("funds_by_year")).formatter(25000)).toBe("2.5万");
  });

  it("counts a chart's categories when there are too many to draw", () => {
    const batches = t("items_by_batch");
    expect(crowdedChart(batches)).toBe(0);
    const row = batches.rows.find((r) => !r.total)!;
    const many = { ...batches, rows: Array.from({ length: 41 }, () => ({ ...row, cells: [...row.cells] })) };
    expect(crowdedChart(many)).toBe(41);
    expect(crowdedChart({ ...batches, omitted: 3 })).toBe(dataRows(batches).length + 3);
    expect(crowdedChart({ ...t("at_risk"), omitted: 5 })).toBe(0); // a list has no chart
  });

  it("formats money and sizes columns by their text", () => {
    expect(formatCell(t("funds_by_year"), 1234567.5)).toBe("1,234,567.50");
    expect(formatCell(t("items_by_level"), 12)).toBe("12");
    expect(formatCell(t("items_by_batch"), "")).toBe("");
    expect(columnWidth(t("at_risk"), 4)).toBeGreaterThan(columnWidth(t("at_risk"), 0));
  });
});

describe("统计 · the preview's fake backend", () => {
  it("answers every table in order, with 合计 last and the at-risk rows pointing at items", () => {
    const b = new MockBackend("sample");
    b.insight.today = () => "2026-11-29";
    const s = b.handle("stats_get", { query: { year: null } }) as Statistics;
    expect(s.year).toBe(2026);
    expect(s.tables.map((x) => x.key)).toEqual(KEYS);
    for (const x of s.tables) {
      const totals = x.rows.filter((r) => r.total);
      if (x.key === "at_risk") expect(totals).toHaveLength(0);
      else if (x.rows.length) expect(x.rows[x.rows.length - 1].total, x.key).toBe(true);
    }
    const listed = b.items.filter((i) => !i.deletedAt && i.status === "在册").length;
    expect(s.tables[0].rows.at(-1)!.cells[1]).toBe(listed);
    const risk = s.tables.find((x) => x.key === "at_risk")!;
    expect(risk.rows.every((r) => r.target?.kind === "item")).toBe(true);
    expect(s.tables.find((x) => x.key === "activities_by_month")!.rows.filter((r) => r.highlight).map((r) => r.cells[0])).toEqual(["2月", "3月"]);
    const exported = b.handle("stats_export_workbook", { query: { year: 2026 }, path: "/tmp/a.xlsx" }) as { sheets: string[] };
    expect(exported.sheets[0]).toBe("示例 代表性项目按级别统计");
    expect(() => b.handle("report_annual", { year: 2027, dir: "/tmp" })).toThrow();
  });
});

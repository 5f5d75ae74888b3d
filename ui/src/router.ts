import { createMemoryHistory, createRouter, createWebHashHistory, type RouteRecordRaw } from "vue-router";
import BatchesView from "./views/BatchesView.vue";
import ComingSoonView from "./views/ComingSoonView.vue";
import ItemFormView from "./views/ItemFormView.vue";
import ItemView from "./views/ItemView.vue";
import InheritorFormView from "./views/InheritorFormView.vue";
import InheritorView from "./views/InheritorView.vue";
import InheritorsView from "./views/InheritorsView.vue";
import RegisterView from "./views/RegisterView.vue";
import SettingsView from "./views/SettingsView.vue";
import UnitFormView from "./views/UnitFormView.vue";
import UnitView from "./views/UnitView.vue";
import UnitsView from "./views/UnitsView.vue";

/** Pages that are not built yet: what each will do, said plainly. */
export const COMING_SOON: Record<string, string> = {
  protection: "记录保护工作：五年保护计划与年度目标、经费预算与支出、传承活动、展演、培训和检查。",
  media: "集中保存照片、视频、音频和文档：原件不改动并可校验完整性，添加说明，关联到项目和传承人。",
  applications: "为选定项目生成枣庄市级申报材料（申报书、传承人申报表、保护计划、照片说明等），导出前自动检查是否齐全。",
  stats: "按级别、批次、类别、镇街统计项目，分析传承人年龄结构和经费，导出统计报表。",
};

const comingSoon: RouteRecordRaw[] = Object.keys(COMING_SOON).map((key) => ({
  path: `/${key}`,
  name: key,
  component: ComingSoonView,
  props: { feature: key },
  meta: { nav: key },
}));

export const routes: RouteRecordRaw[] = [
  { path: "/", redirect: "/register" },
  { path: "/register", name: "register", component: RegisterView, meta: { nav: "register" } },
  { path: "/batches", name: "batches", component: BatchesView, meta: { nav: "batches" } },
  { path: "/items/new", name: "item-new", component: ItemFormView, meta: { nav: "register" } },
  { path: "/items/:id", name: "item", component: ItemView, props: true, meta: { nav: "register" } },
  { path: "/items/:id/edit", name: "item-edit", component: ItemFormView, props: true, meta: { nav: "register" } },
  { path: "/inheritors", name: "inheritors", component: InheritorsView, meta: { nav: "inheritors" } },
  { path: "/inheritors/new", name: "inheritor-new", component: InheritorFormView, meta: { nav: "inheritors" } },
  { path: "/inheritors/:id", name: "inheritor", component: InheritorView, props: true, meta: { nav: "inheritors" } },
  { path: "/inheritors/:id/edit", name: "inheritor-edit", component: InheritorFormView, props: true, meta: { nav: "inheritors" } },
  { path: "/units", name: "units", component: UnitsView, meta: { nav: "units" } },
  { path: "/units/new", name: "unit-new", component: UnitFormView, meta: { nav: "units" } },
  { path: "/units/:id", name: "unit", component: UnitView, props: true, meta: { nav: "units" } },
  { path: "/units/:id/edit", name: "unit-edit", component: UnitFormView, props: true, meta: { nav: "units" } },
  ...comingSoon,
  { path: "/settings", name: "settings", component: SettingsView, meta: { nav: "settings" } },
  { path: "/:rest(.*)*", redirect: "/register" },
];

export function makeRouter(memory = false) {
  // Hash history: the built files are loaded from disk by the desktop shell.
  // Memory history is for tests.
  return createRouter({ history: memory ? createMemoryHistory() : createWebHashHistory(), routes });
}

import { createMemoryHistory, createRouter, createWebHashHistory, type RouteRecordRaw } from "vue-router";
import ActivityFormView from "./views/ActivityFormView.vue";
import ActivityView from "./views/ActivityView.vue";
import ApplicationView from "./views/ApplicationView.vue";
import BatchesView from "./views/BatchesView.vue";
import ComingSoonView from "./views/ComingSoonView.vue";
import DataView from "./views/DataView.vue";
import ItemFormView from "./views/ItemFormView.vue";
import ItemView from "./views/ItemView.vue";
import MediaView from "./views/MediaView.vue";
import InheritorFormView from "./views/InheritorFormView.vue";
import InheritorView from "./views/InheritorView.vue";
import InheritorsView from "./views/InheritorsView.vue";
import PlanFormView from "./views/PlanFormView.vue";
import PlanView from "./views/PlanView.vue";
import ProtectionView from "./views/ProtectionView.vue";
import RecycleView from "./views/RecycleView.vue";
import RegisterView from "./views/RegisterView.vue";
import RemindersView from "./views/RemindersView.vue";
import SettingsView from "./views/SettingsView.vue";
import StatsView from "./views/StatsView.vue";
import UnitFormView from "./views/UnitFormView.vue";
import UnitView from "./views/UnitView.vue";
import UnitsView from "./views/UnitsView.vue";

/** Pages that are not built yet: what each will do, said plainly. */
export const COMING_SOON: Record<string, string> = {};

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
  { path: "/protection", name: "protection", component: ProtectionView, meta: { nav: "protection" } },
  { path: "/plans/new", name: "plan-new", component: PlanFormView, meta: { nav: "protection" } },
  { path: "/plans/:id", name: "plan", component: PlanView, props: true, meta: { nav: "protection" } },
  { path: "/plans/:id/edit", name: "plan-edit", component: PlanFormView, props: true, meta: { nav: "protection" } },
  { path: "/activities/new", name: "activity-new", component: ActivityFormView, meta: { nav: "protection" } },
  { path: "/activities/:id", name: "activity", component: ActivityView, props: true, meta: { nav: "protection" } },
  { path: "/activities/:id/edit", name: "activity-edit", component: ActivityFormView, props: true, meta: { nav: "protection" } },
  { path: "/media", name: "media", component: MediaView, meta: { nav: "media" } },
  { path: "/applications", name: "applications", component: ApplicationView, meta: { nav: "applications" } },
  { path: "/stats", name: "stats", component: StatsView, meta: { nav: "stats" } },
  { path: "/reminders", name: "reminders", component: RemindersView, meta: { nav: "reminders" } },
  ...comingSoon,
  { path: "/settings", name: "settings", component: SettingsView, meta: { nav: "settings" } },
  { path: "/data", name: "data", component: DataView, meta: { nav: "data" } },
  { path: "/recycle", name: "recycle", component: RecycleView, meta: { nav: "recycle" } },
  { path: "/:rest(.*)*", redirect: "/register" },
];

export function makeRouter(memory = false) {
  // Hash history: the built files are loaded from disk by the desktop shell.
  // Memory history is for tests.
  return createRouter({ history: memory ? createMemoryHistory() : createWebHashHistory(), routes });
}

// The register is in the first bundle (the window opens on it); every other page is its own
// chunk, loaded the first time it is opened, so that start-up parses less script.
import { createMemoryHistory, createRouter, createWebHashHistory, type RouteRecordRaw } from "vue-router";
import RegisterView from "./views/RegisterView.vue";

export const routes: RouteRecordRaw[] = [
  { path: "/", redirect: "/register" },
  { path: "/register", name: "register", component: RegisterView, meta: { nav: "register" } },
  { path: "/batches", name: "batches", component: () => import("./views/BatchesView.vue"), meta: { nav: "batches" } },
  { path: "/items/new", name: "item-new", component: () => import("./views/ItemFormView.vue"), meta: { nav: "register" } },
  { path: "/items/:id", name: "item", component: () => import("./views/ItemView.vue"), props: true, meta: { nav: "register" } },
  { path: "/items/:id/edit", name: "item-edit", component: () => import("./views/ItemFormView.vue"), props: true, meta: { nav: "register" } },
  { path: "/inheritors", name: "inheritors", component: () => import("./views/InheritorsView.vue"), meta: { nav: "inheritors" } },
  { path: "/inheritors/new", name: "inheritor-new", component: () => import("./views/InheritorFormView.vue"), meta: { nav: "inheritors" } },
  { path: "/inheritors/:id", name: "inheritor", component: () => import("./views/InheritorView.vue"), props: true, meta: { nav: "inheritors" } },
  { path: "/inheritors/:id/edit", name: "inheritor-edit", component: () => import("./views/InheritorFormView.vue"), props: true, meta: { nav: "inheritors" } },
  { path: "/units", name: "units", component: () => import("./views/UnitsView.vue"), meta: { nav: "units" } },
  { path: "/units/new", name: "unit-new", component: () => import("./views/UnitFormView.vue"), meta: { nav: "units" } },
  { path: "/units/:id", name: "unit", component: () => import("./views/UnitView.vue"), props: true, meta: { nav: "units" } },
  { path: "/units/:id/edit", name: "unit-edit", component: () => import("./views/UnitFormView.vue"), props: true, meta: { nav: "units" } },
  { path: "/protection", name: "protection", component: () => import("./views/ProtectionView.vue"), meta: { nav: "protection" } },
  { path: "/plans/new", name: "plan-new", component: () => import("./views/PlanFormView.vue"), meta: { nav: "protection" } },
  { path: "/plans/:id", name: "plan", component: () => import("./views/PlanView.vue"), props: true, meta: { nav: "protection" } },
  { path: "/plans/:id/edit", name: "plan-edit", component: () => import("./views/PlanFormView.vue"), props: true, meta: { nav: "protection" } },
  { path: "/activities/new", name: "activity-new", component: () => import("./views/ActivityFormView.vue"), meta: { nav: "protection" } },
  { path: "/activities/:id", name: "activity", component: () => import("./views/ActivityView.vue"), props: true, meta: { nav: "protection" } },
  { path: "/activities/:id/edit", name: "activity-edit", component: () => import("./views/ActivityFormView.vue"), props: true, meta: { nav: "protection" } },
  { path: "/media", name: "media", component: () => import("./views/MediaView.vue"), meta: { nav: "media" } },
  { path: "/applications", name: "applications", component: () => import("./views/ApplicationView.vue"), meta: { nav: "applications" } },
  { path: "/stats", name: "stats", component: () => import("./views/StatsView.vue"), meta: { nav: "stats" } },
  { path: "/reminders", name: "reminders", component: () => import("./views/RemindersView.vue"), meta: { nav: "reminders" } },
  { path: "/settings", name: "settings", component: () => import("./views/SettingsView.vue"), meta: { nav: "settings" } },
  { path: "/data", name: "data", component: () => import("./views/DataView.vue"), meta: { nav: "data" } },
  { path: "/recycle", name: "recycle", component: () => import("./views/RecycleView.vue"), meta: { nav: "recycle" } },
  { path: "/:rest(.*)*", redirect: "/register" },
];

export function makeRouter(memory = false) {
  // Hash history: the built files are loaded from disk by the desktop shell.
  // Memory history is for tests.
  return createRouter({ history: memory ? createMemoryHistory() : createWebHashHistory(), routes });
}

// Builds the Vue application with its plugins; used by main.ts, the dev preview and tests.
// Element Plus is not installed whole: each template imports what it uses (vite.config.ts).
import { createApp } from "vue";
import { createPinia } from "pinia";
import App from "./App.vue";
import { makeI18n, type Locale } from "./i18n";
import { makeRouter } from "./router";

export function createFeiyiApp(options: { memoryHistory?: boolean; locale?: Locale } = {}) {
  const app = createApp(App);
  const pinia = createPinia();
  const router = makeRouter(options.memoryHistory ?? false);
  const i18n = makeI18n(options.locale);
  app.use(pinia).use(router).use(i18n);
  return { app, pinia, router, i18n };
}

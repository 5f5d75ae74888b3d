/// <reference types="vitest/config" />
import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";
import Components from "unplugin-vue-components/vite";
import { ElementPlusResolver } from "unplugin-vue-components/resolvers";

// Vitest 5 targets Node 22+; its failure reporter calls Map.groupBy, which Node 20 lacks.
// This config is loaded in the test runner's main process, so the polyfill lands there.
const MapWithGroupBy = Map as unknown as { groupBy?: unknown };
if (typeof MapWithGroupBy.groupBy !== "function") {
  MapWithGroupBy.groupBy = <K, V>(items: Iterable<V>, key: (item: V, index: number) => K): Map<K, V[]> => {
    const groups = new Map<K, V[]>();
    let i = 0;
    for (const item of items) {
      const k = key(item, i++);
      const list = groups.get(k);
      if (list) list.push(item);
      else groups.set(k, [item]);
    }
    return groups;
  };
}

// Element Plus is imported per component (with its CSS) where a template uses it, not installed
// whole: the first bundle then carries only what the shell and the register draw, which the
// webview parses and runs on every cold start (see README, Performance).
// Tauri loads the built files from disk, so every asset path is relative.
// The dev server port is fixed because src-tauri/tauri.conf.json points at it.
export default defineConfig({
  base: "./",
  plugins: [vue(), Components({ resolvers: [ElementPlusResolver()], dts: false })],
  clearScreen: false,
  server: {
    port: 1420,
    strictPort: true,
    watch: { ignored: ["**/src-tauri/**"] },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    // The desktop webview is current WebView2 / WebKitGTK.
    target: "es2022",
    chunkSizeWarningLimit: 2000,
  },
  test: {
    environment: "jsdom",
    include: ["src/**/*.spec.ts"],
    setupFiles: ["src/__tests__/setup.ts"],
    // Whole-app mounts take several seconds each on a small (2-core) machine running all files at once.
    testTimeout: 20_000,
    css: false,
    server: { deps: { inline: ["element-plus"] } },
  },
});

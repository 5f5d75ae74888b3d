import "element-plus/dist/index.css";
import "./style.css";
import { markStart, prefetchItems } from "./api";
import { createFeiyiApp } from "./app";
import { startQuery } from "./registerQuery";
import { useRegistryStore } from "./stores/registry";

// Every module of the bundle has been evaluated by the time this line runs.
markStart("script");
// The register's first page is asked for now, while the window is drawn and the registry's
// details load; the register takes the answer when it mounts (see api.prefetchItems).
const first = startQuery(location.hash);
if (first) {
  markStart("asked");
  prefetchItems(first);
}
const { app, pinia } = createFeiyiApp();
// The registry's details too, before the shell is mounted (App.vue does not ask twice).
void useRegistryStore(pinia).load();
app.mount("#app");
markStart("mounted");

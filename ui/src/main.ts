import "./elementServices";
import "./style.css";
import { markStart, prefetchItems } from "./api";
import { createFeiyiApp } from "./app";
import { startQuery } from "./registerQuery";
import { useRegistryStore } from "./stores/registry";

/** How long the shell waits for the registry's details before mounting without them (ms). */
const DETAILS_WAIT_MS = 300;

// Every module of the bundle has been evaluated by the time this line runs.
markStart("script");
// The register's first page is asked for now, while the registry's details load; the register
// takes the answer as it is created (api.takeAnsweredPrefetch) or when it mounts (listItems).
const first = startQuery(location.hash);
if (first) {
  markStart("asked");
  prefetchItems(first);
}
const { app, pinia } = createFeiyiApp();
// The registry's details too (App.vue does not ask twice). Mounting waits for them, briefly:
// the shell and the register are then drawn once, with their data, instead of a loading
// state first and the page a moment later (two renders and two layouts on a cold start).
const details = useRegistryStore(pinia).load();
await Promise.race([details, new Promise((settle) => setTimeout(settle, DETAILS_WAIT_MS))]);
app.mount("#app");
markStart("mounted");

// Development preview only (dev-mock.html): the real UI against an in-memory fake of the
// Tauri commands, so that the pages can be looked at in a plain browser.
import "element-plus/dist/index.css";
import "./style.css";
import { installMockBackend } from "./mock/backend";
import { createFeiyiApp } from "./app";

const kind = new URLSearchParams(location.search).get("kind") === "real" ? "real" : "sample";
installMockBackend({ kind });
const { app } = createFeiyiApp();
app.mount("#app");

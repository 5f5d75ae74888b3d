import "element-plus/dist/index.css";
import "./style.css";
import { createFeiyiApp } from "./app";

const { app } = createFeiyiApp();
app.mount("#app");

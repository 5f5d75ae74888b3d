// Small pieces of behaviour shared by pages.
import { ElMessage } from "element-plus";
import { ref } from "vue";
import { useRouter } from "vue-router";
import { ApiError } from "./api";
import { useRegistryStore } from "./stores/registry";

/** Shows a failed call's Chinese message; returns the ApiError. */
export function showError(e: unknown): ApiError {
  const err = ApiError.from(e);
  ElMessage({ type: "error", message: err.message, duration: 5000, showClose: true });
  return err;
}

/** Switching between the real register and the sample, then back to the list. */
export function useRegistrySwitch() {
  const store = useRegistryStore();
  const router = useRouter();
  const switching = ref(false);

  async function switchTo(kind: "sample" | "real") {
    if (switching.value) return;
    switching.value = true;
    try {
      // Leave the current page first (a form with unsaved changes may ask, and the clerk may stay),
      // onto a clean list: no filters from the other registry survive the switch.
      const failure = await router.push({ path: "/register", query: {} });
      if (failure && router.currentRoute.value.path !== "/register") return;
      await store.switchTo(kind);
      store.bumpGeneration();
      ElMessage({
        type: kind === "sample" ? "warning" : "success",
        message: kind === "sample" ? "已打开示例名录（虚构数据，仅供演示）" : "已返回正式名录",
      });
    } catch (e) {
      showError(e);
    } finally {
      switching.value = false;
    }
  }

  return { switching, switchTo };
}

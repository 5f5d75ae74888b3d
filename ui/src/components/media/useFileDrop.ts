// Files dragged from the desktop onto the window. A no-op outside the desktop window.
import { onBeforeUnmount, onMounted, ref } from "vue";
import * as api from "../../api";

/** Calls `onDrop` with the paths dropped on the window while the calling component is mounted. */
export function useFileDrop(onDrop: (paths: string[]) => void) {
  /** Files are being dragged over the window. */
  const dragging = ref(false);
  let stop: (() => void) | null = null;
  let gone = false;

  onMounted(async () => {
    try {
      const un = await api.listenFileDrop((e) => {
        if (e.type === "over") dragging.value = true;
        else if (e.type === "leave") dragging.value = false;
        else {
          dragging.value = false;
          if (e.paths.length) onDrop(e.paths);
        }
      });
      if (gone) un();
      else stop = un;
    } catch {
      // not in the desktop window: no drag and drop
    }
  });
  onBeforeUnmount(() => {
    gone = true;
    try {
      stop?.();
    } catch {
      // already gone
    }
  });

  return { dragging };
}

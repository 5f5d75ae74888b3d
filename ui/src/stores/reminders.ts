// The reminders (提醒): the list the 提醒 page shows and the navigation badge counts. Reloaded
// on every page change and after every reminder action, so the badge is never stale for long.
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import * as api from "../api";
import { ApiError } from "../api";
import type { ReminderList } from "../bindings/ReminderList";

export const useRemindersStore = defineStore("reminders", () => {
  const list = ref<ReminderList | null>(null);
  /** Why the last reload failed (the 提醒 page says it; the badge just hides). */
  const error = ref<ApiError | null>(null);
  const loading = ref(false);
  /** Answers older than the newest request or action are dropped. */
  let seq = 0;

  /** Reminders to act on: the badge. 0 while unknown. */
  const activeCount = computed(() => list.value?.active.length ?? 0);

  /** Reloads the list; never throws. */
  async function refresh(): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      const l = await api.listReminders();
      if (mine === seq) {
        list.value = l;
        error.value = null;
      }
    } catch (e) {
      if (mine === seq) {
        list.value = null;
        error.value = ApiError.from(e);
      }
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  /** Takes the answer of an action (snooze, dismiss, restore), which is the whole new list. */
  function take(l: ReminderList) {
    seq++;
    list.value = l;
    error.value = null;
    loading.value = false;
  }

  /** Forgets the list (after a registry switch, before the reload). */
  function clear() {
    seq++;
    list.value = null;
    error.value = null;
  }

  return { list, error, loading, activeCount, refresh, take, clear };
});

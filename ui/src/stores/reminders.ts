// The reminders (提醒): the list the 提醒 page shows and the navigation badge counts. On every
// page change the badge asks for the reminders' revision (one cheap query) and reloads the list
// only when it moved — a register of 100,000 items has tens of thousands of reminders, too many
// to recompute and copy on every click. The 提醒 page and every reminder action reload it.
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
  /** The revision the list in hand was computed at (null: unknown, reload). */
  let loadedRevision: string | null = null;

  /** Reminders to act on: the badge. 0 while unknown. */
  const activeCount = computed(() => list.value?.active.length ?? 0);

  /** Reloads the list (`known`: a revision just read, so it is not asked twice); never throws. */
  async function refresh(known?: string): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      // The revision first: a change made meanwhile moves it again, so the next check reloads.
      const revision = known ?? (await api.reminderRevision());
      const l = await api.listReminders();
      if (mine === seq) {
        list.value = l;
        error.value = null;
        loadedRevision = revision;
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

  /** Reloads the list only if the reminders' revision moved since it was loaded; never throws. */
  async function refreshIfChanged(): Promise<void> {
    let revision: string | undefined;
    if (list.value !== null && loadedRevision !== null) {
      const mine = seq;
      try {
        revision = await api.reminderRevision();
        if (revision === loadedRevision && mine === seq) return;
      } catch {
        // Fall through: refresh() records the error.
      }
    }
    await refresh(revision);
  }

  /** Takes the answer of an action (snooze, dismiss, restore), which is the whole new list. */
  function take(l: ReminderList) {
    seq++;
    list.value = l;
    error.value = null;
    loading.value = false;
    loadedRevision = null;
  }

  /** Forgets the list (after a registry switch, before the reload). */
  function clear() {
    seq++;
    list.value = null;
    error.value = null;
    loadedRevision = null;
  }

  return { list, error, loading, activeCount, refresh, refreshIfChanged, take, clear };
});

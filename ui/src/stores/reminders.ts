// The reminders (提醒): the list the 提醒 page shows and the navigation badge counts. On every
// page change the badge asks for the reminders' revision (one cheap query) and reloads the list
// only when it moved — a register of 100,000 items has tens of thousands of reminders, too many
// to recompute and copy on every click. The 提醒 page and every reminder action reload it.
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import * as api from "../api";
import { ApiError } from "../api";
import type { ReminderList } from "../bindings/ReminderList";
import type { ReminderQuery } from "../bindings/ReminderQuery";

/** The tabs of the 提醒 page. */
export type ReminderTab = "active" | "snoozed" | "dismissed";
/** Reminders per page of a tab (a province's register raises hundreds of thousands). */
export const REMINDER_PAGE_SIZE = 50;

export const useRemindersStore = defineStore("reminders", () => {
  const list = ref<ReminderList | null>(null);
  /** Why the last reload failed (the 提醒 page says it; the badge just hides). */
  const error = ref<ApiError | null>(null);
  const loading = ref(false);
  /** Answers older than the newest request or action are dropped. */
  let seq = 0;
  /** The revision the list in hand was computed at (null: unknown, reload). */
  let loadedRevision: string | null = null;

  /** The page each tab shows; the list in hand holds just those pages and each tab's total. */
  const pages = ref<Record<ReminderTab, number>>({ active: 1, snoozed: 1, dismissed: 1 });
  const query = (): ReminderQuery => ({
    pageSize: REMINDER_PAGE_SIZE,
    activePage: pages.value.active,
    snoozedPage: pages.value.snoozed,
    dismissedPage: pages.value.dismissed,
  });

  /** Reminders to act on: the badge. 0 while unknown. */
  const activeCount = computed(() => list.value?.activeTotal ?? 0);
  /** How many reminders a tab holds in all. */
  const total = (t: ReminderTab) => list.value?.[`${t}Total`] ?? 0;

  /** Shows page `n` of a tab. */
  async function setPage(t: ReminderTab, n: number): Promise<void> {
    pages.value = { ...pages.value, [t]: n };
    await refresh();
  }

  /** Reloads the list (`known`: a revision just read, so it is not asked twice); never throws. */
  async function refresh(known?: string): Promise<void> {
    const mine = ++seq;
    loading.value = true;
    try {
      // The revision first: a change made meanwhile moves it again, so the next check reloads.
      const revision = known ?? (await api.reminderRevision());
      const l = await api.listReminders(query());
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

  /** Takes the answer of an action (snooze, dismiss, restore): the new pages. A page left
   *  past the end of its tab (its last reminder was acted on) steps back and reloads. */
  function take(l: ReminderList) {
    seq++;
    list.value = l;
    error.value = null;
    loading.value = false;
    loadedRevision = null;
    let stepped = false;
    for (const t of ["active", "snoozed", "dismissed"] as const) {
      const last = Math.max(1, Math.ceil(l[`${t}Total`] / REMINDER_PAGE_SIZE));
      if (pages.value[t] > last) {
        pages.value = { ...pages.value, [t]: last };
        stepped = true;
      }
    }
    if (stepped) void refresh();
  }

  /** Forgets the list (after a registry switch, before the reload). */
  function clear() {
    seq++;
    pages.value = { active: 1, snoozed: 1, dismissed: 1 };
    list.value = null;
    error.value = null;
    loadedRevision = null;
  }

  return { list, error, loading, activeCount, pages, query, total, setPage, refresh, refreshIfChanged, take, clear };
});

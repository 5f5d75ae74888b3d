// The one import under way (the Rust side runs one at a time). Any page starts it; the single
// MediaImportDialog in the app shell shows it, and pages hear when it ends to reload.
import { computed, onBeforeUnmount, reactive } from "vue";
import { ElMessage } from "element-plus";
import * as api from "../../api";
import { ApiError } from "../../api";
import type { MediaImportEvent } from "../../bindings/MediaImportEvent";
import type { MediaImportOutcome } from "../../bindings/MediaImportOutcome";
import type { MediaImportReport } from "../../bindings/MediaImportReport";
import type { MediaLinkTarget } from "../../bindings/MediaLinkTarget";
import { showError } from "../../composables";

export type ImportState = {
  /** The dialog is shown (an import may run on with it hidden). */
  open: boolean;
  running: boolean;
  cancelling: boolean;
  /** What the files go to, in words (`关联到项目“鲁南花鼓”`), or empty. */
  target: string;
  /** Whether the files are linked to a record (duplicates then get the link too). */
  linked: boolean;
  count: number;
  filesDone: number;
  bytesDone: number;
  bytesTotal: number;
  current: string | null;
  outcomes: MediaImportOutcome[];
  report: MediaImportReport | null;
  /** The import as a whole failed (e.g. another one was running). */
  error: string | null;
  /** The clerk has seen how the last import ended. */
  seen: boolean;
};

function fresh(): ImportState {
  return {
    open: false, running: false, cancelling: false, target: "", linked: false, count: 0, filesDone: 0,
    bytesDone: 0, bytesTotal: 0, current: null, outcomes: [], report: null, error: null, seen: false,
  };
}

export const importState = reactive<ImportState>(fresh());

/**
 * Whether the import dialog is needed: shown, or hidden with an import running or an outcome
 * not yet cleared (its badge). App.vue mounts the dialog only then (it is not on a cold start).
 */
export const importInUse = computed(
  () => importState.open || importState.running || importState.report !== null || importState.error !== null,
);

type Listener = (report: MediaImportReport) => void;
const listeners = new Set<Listener>();

/** For tests: forgets any import. */
export function resetImport() {
  Object.assign(importState, fresh());
  listeners.clear();
}

function onEvent(e: MediaImportEvent) {
  if (e.count) importState.count = e.count;
  if (e.bytesTotal) importState.bytesTotal = e.bytesTotal;
  importState.bytesDone = Math.max(importState.bytesDone, e.bytesDone);
  importState.filesDone = Math.max(importState.filesDone, e.filesDone);
  if (e.stage === "progress" && e.current) importState.current = e.current;
  if (e.stage === "file" && e.outcome) importState.outcomes.push(e.outcome);
  if (e.stage === "finished" && e.report) importState.report = e.report;
}

/**
 * Imports `files` (paths of files or folders), linking them to `link` when given; shows the
 * dialog. Resolves to the report, or null when the import could not run.
 */
export async function startImport(files: string[], link: MediaLinkTarget | null, target = ""): Promise<MediaImportReport | null> {
  if (!files.length) return null;
  if (importState.running) {
    importState.open = true;
    ElMessage({ type: "warning", message: "已有一项导入正在进行，请等它完成或取消后再导入" });
    return null;
  }
  Object.assign(importState, fresh(), { open: true, running: true, target, linked: link !== null, count: files.length });
  try {
    const report = await api.startMediaImport(files, link, onEvent);
    importState.report = report;
    importState.filesDone = report.outcomes.length;
    importState.count = Math.max(importState.count, report.outcomes.length);
    for (const l of [...listeners]) l(report);
    return report;
  } catch (e) {
    importState.error = ApiError.from(e).message;
    return null;
  } finally {
    importState.running = false;
    importState.cancelling = false;
    importState.current = null;
  }
}

/** Stops the import under way (files already stored stay). */
export async function cancelImport() {
  if (!importState.running || importState.cancelling) return;
  importState.cancelling = true;
  try {
    await api.cancelMediaImport();
  } catch (e) {
    importState.cancelling = false;
    showError(e);
  }
}

/** Closes the dialog; an import still running goes on in the background. */
export function closeImport() {
  if (!importState.running) importState.seen = true;
  importState.open = false;
}

/** Calls `cb` after each import, for as long as the calling component is mounted. */
export function useImportFinished(cb: Listener) {
  listeners.add(cb);
  onBeforeUnmount(() => listeners.delete(cb));
}

/** The sentence summing up an import: 导入 3 个，重复 1 个（已关联已有资料），失败 2 个. */
export function importSummary(
  r: Pick<MediaImportReport, "imported" | "duplicates" | "failed" | "cancelled">,
  linked = true,
): string {
  let s = `导入 ${r.imported} 个，重复 ${r.duplicates} 个（${linked ? "已关联已有资料" : "资料库中已有"}），失败 ${r.failed} 个`;
  if (r.cancelled) s += `，取消 ${r.cancelled} 个`;
  return s;
}

/** Picks files (or a folder) in the system dialog and imports them; null when the clerk cancels. */
export async function pickAndImport(directory: boolean, link: MediaLinkTarget | null, target = ""): Promise<MediaImportReport | null> {
  let files: string[];
  try {
    files = await api.pickMediaFiles(directory);
  } catch (e) {
    showError(e);
    return null;
  }
  if (!files.length) return null;
  return startImport(files, link, target);
}

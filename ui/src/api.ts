// The only module that talks to the Rust side. Components and stores call these typed
// functions; every failure arrives as an `ApiError` with a Chinese `message`.
import { Channel, convertFileSrc, invoke } from "@tauri-apps/api/core";
import type { ActivityDetail } from "./bindings/ActivityDetail";
import type { ActivityInput } from "./bindings/ActivityInput";
import type { ActivityPage } from "./bindings/ActivityPage";
import type { ActivityQuery } from "./bindings/ActivityQuery";
import type { Batch } from "./bindings/Batch";
import type { BatchInput } from "./bindings/BatchInput";
import type { EditLogEntry } from "./bindings/EditLogEntry";
import type { ExportProfile } from "./bindings/ExportProfile";
import type { Evaluation } from "./bindings/Evaluation";
import type { Expenditure } from "./bindings/Expenditure";
import type { FeiyiMonthInfo } from "./bindings/FeiyiMonthInfo";
import type { FieldError } from "./bindings/FieldError";
import type { FixityReport } from "./bindings/FixityReport";
import type { FixityStatus } from "./bindings/FixityStatus";
import type { ItemDetail } from "./bindings/ItemDetail";
import type { ItemInput } from "./bindings/ItemInput";
import type { ItemPage } from "./bindings/ItemPage";
import type { ItemQuery } from "./bindings/ItemQuery";
import type { InheritorDetail } from "./bindings/InheritorDetail";
import type { InheritorInput } from "./bindings/InheritorInput";
import type { InheritorPage } from "./bindings/InheritorPage";
import type { InheritorQuery } from "./bindings/InheritorQuery";
import type { Lineage } from "./bindings/Lineage";
import type { LineageEdge } from "./bindings/LineageEdge";
import type { MediaBatchEdit } from "./bindings/MediaBatchEdit";
import type { MediaBatchFields } from "./bindings/MediaBatchFields";
import type { MediaBatchResult } from "./bindings/MediaBatchResult";
import type { MediaDescription } from "./bindings/MediaDescription";
import type { MediaDetail } from "./bindings/MediaDetail";
import type { MediaImportEvent } from "./bindings/MediaImportEvent";
import type { MediaImportReport } from "./bindings/MediaImportReport";
import type { MediaLinkTarget } from "./bindings/MediaLinkTarget";
import type { MediaPage } from "./bindings/MediaPage";
import type { MediaQuery } from "./bindings/MediaQuery";
import type { PackageOptions } from "./bindings/PackageOptions";
import type { PackageSummary } from "./bindings/PackageSummary";
import type { PlanDetail } from "./bindings/PlanDetail";
import type { PlanInput } from "./bindings/PlanInput";
import type { PlanPage } from "./bindings/PlanPage";
import type { PlanQuery } from "./bindings/PlanQuery";
import type { PreflightReport } from "./bindings/PreflightReport";
import type { ProfileSummary } from "./bindings/ProfileSummary";
import type { Recognition } from "./bindings/Recognition";
import type { RecognitionEventInput } from "./bindings/RecognitionEventInput";
import type { RecognitionInput } from "./bindings/RecognitionInput";
import type { RelinkReport } from "./bindings/RelinkReport";
import type { ReferenceData } from "./bindings/ReferenceData";
import type { RegistryInfo } from "./bindings/RegistryInfo";
import type { SearchHit } from "./bindings/SearchHit";
import type { Subsidy } from "./bindings/Subsidy";
import type { TrainingPlan } from "./bindings/TrainingPlan";
import type { UnitCheck } from "./bindings/UnitCheck";
import type { UnitDetail } from "./bindings/UnitDetail";
import type { UnitInput } from "./bindings/UnitInput";
import type { UnitPage } from "./bindings/UnitPage";
import type { UnitQuery } from "./bindings/UnitQuery";
import type { RecycleEntry } from "./bindings/RecycleEntry";
import type { SearchGroup } from "./bindings/SearchGroup";

export type { RecycleEntry, SearchGroup };

/** Error codes the Rust side sends that the UI branches on; others are shown as they are. */
export type ApiErrorCode = "validation" | "not_found" | "conflict" | "deleted" | (string & {});

/** A failed command: `{ code, message, fields? }`, exactly as the Rust side rejects. */
export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly fields: FieldError[] | undefined;

  constructor(code: string, message: string, fields?: FieldError[]) {
    super(message);
    this.name = "ApiError";
    this.code = code;
    this.fields = fields;
  }

  /** Field errors as a map from field path (`name`, `texts.summary`, `listings.0.level`) to message. */
  fieldMap(): Record<string, string> {
    const map: Record<string, string> = {};
    for (const f of this.fields ?? []) {
      if (!(f.field in map)) map[f.field] = f.message;
    }
    return map;
  }

  /** Turns whatever `invoke` rejected with into an ApiError. */
  static from(raw: unknown): ApiError {
    if (raw instanceof ApiError) return raw;
    if (raw && typeof raw === "object") {
      const o = raw as Record<string, unknown>;
      if (typeof o.code === "string" && typeof o.message === "string") {
        const fields = Array.isArray(o.fields)
          ? o.fields
              .filter(
                (f): f is FieldError =>
                  !!f &&
                  typeof (f as FieldError).field === "string" &&
                  typeof (f as FieldError).message === "string",
              )
              .map((f) => ({ field: f.field, message: f.message }))
          : undefined;
        return new ApiError(o.code, o.message, fields);
      }
    }
    if (typeof raw === "string") return new ApiError("internal", raw);
    if (raw instanceof Error) {
      // Outside the desktop window there is no Tauri bridge at all.
      if (raw instanceof TypeError && /__TAURI|transformCallback|invoke/.test(raw.message)) {
        return new ApiError("no_backend", "未连接到程序后台，请在“非遗名录”桌面程序中打开。");
      }
      return new ApiError("internal", `程序内部错误：${raw.message}`);
    }
    return new ApiError("internal", "程序内部错误，请重试或联系技术支持。");
  }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (raw) {
    throw ApiError.from(raw);
  }
}

// The register's first load settles the start: until then the navigation badge does not ask
// for the reminders, which a province's register takes a while to compute and which would
// otherwise hold the registry ahead of the first page.
let settleStart!: () => void;
const startSettled = new Promise<void>((resolve) => (settleStart = resolve));
/** Resolves once the register has loaded its first page (or failed to); see `markStartSettled`. */
export const whenStartSettled = (): Promise<void> => startSettled;
/**
 * Resolves once the start has settled (`whenStartSettled`) and the next frame, the one with the
 * first page, has been painted: for work that would otherwise compete with that paint for the
 * CPU (on a two-core office PC the reminders' computation in the core took a third of the
 * first frame's style, layout and paint time from the web process).
 */
export const whenStartPainted = (): Promise<void> => startSettled.then(nextPaint);
/** Called by the register after its first load, whatever it found; later calls do nothing. */
export function markStartSettled(): void {
  settleStart();
}

// Cold start: the register tells the shell once, after its first page with rows is on screen,
// so that the shell can log "[feiyi] first page rendered in N ms" (the scale bench's cold_start reads it).
// With it go the moments of the start inside the page (ms since the webview began loading it),
// so that the log says where the time went: loading the scripts, mounting, the first query.

/** The stages of a cold start inside the page, marked once each by `markStart`. */
export type StartStage = "script" | "asked" | "mounted" | "ready" | "view" | "answered";
const startMarks: Partial<Record<StartStage, number>> = {};
/** Notes when a stage of the cold start was reached (the first time only). */
export function markStart(stage: StartStage): void {
  startMarks[stage] ??= Math.round(performance.now());
}

let firstPageReported = false;
/**
 * Called once the first page's rows are in the DOM (`drawn`); reports after the browser has
 * painted the frame with them (`painted`: a timer set from the next animation frame runs
 * after that frame's style, layout and paint), so the logged time is rows on screen.
 */
export function reportFirstPage(rows: number): void {
  if (firstPageReported || rows <= 0) return;
  firstPageReported = true;
  const drawn = Math.round(performance.now());
  afterPaint(() => {
    const marks = { ...startMarks, drawn, painted: Math.round(performance.now()) };
    call<null>("app_first_page", { rows, marks }).catch(() => undefined);
  });
}

let controlsLiveReported = false;
/** Called once every stand-in control of a cold start has been replaced; reports (once per
 *  process) after the frame with the last of them has been painted. */
export function reportControlsLive(): void {
  if (controlsLiveReported) return;
  controlsLiveReported = true;
  afterPaint(() => void call<null>("app_controls_live").catch(() => undefined));
}

/** Runs `f` after the browser has painted what is in the DOM now. */
export function afterPaint(f: () => void): void {
  if (typeof requestAnimationFrame === "function") requestAnimationFrame(() => setTimeout(f, 0));
  else setTimeout(f, 0);
}
/** Resolves after the browser has painted what is in the DOM now (`afterPaint`). */
export function nextPaint(): Promise<void> {
  return new Promise((painted) => afterPaint(painted));
}

// Registry and settings
export const registryInfo = () => call<RegistryInfo>("registry_info");
export const referenceData = () => call<ReferenceData>("reference_data");
export const openSampleRegistry = () => call<RegistryInfo>("registry_open_sample");
export const openDefaultRegistry = () => call<RegistryInfo>("registry_open_default");
export const setCodeTemplate = (template: string) =>
  call<RegistryInfo>("settings_set_code_template", { template });
export const setActor = (actor: string) => call<RegistryInfo>("settings_set_actor", { actor });

// Batches
export const listBatches = (includeDeleted = false) =>
  call<Batch[]>("batch_list", { includeDeleted });
export const getBatch = (id: string) => call<Batch>("batch_get", { id });
export const saveBatch = (input: BatchInput) => call<Batch>("batch_save", { input });
export const deleteBatch = (id: string, reason: string) =>
  call<null>("batch_delete", { id, reason });
export const restoreBatch = (id: string) => call<Batch>("batch_restore", { id });

// Items
/**
 * The register's first page, asked for at start-up while the window is still being drawn
 * (main.ts); `listItems` hands it over once to the first identical query, and it is dropped
 * at the first other one.
 */
/** A page asked for at start-up, and its answer once it came. */
type Prefetch = { key: string; page: Promise<ItemPage>; answer?: ItemPage };
let prefetched: Prefetch | null = null;
/** Asks for the page of `query` now, for the first `listItems(query)` to take. */
export function prefetchItems(query: ItemQuery): void {
  const early: Prefetch = { key: JSON.stringify(query), page: call<ItemPage>("item_list", { query }) };
  // A failure is reported to the register when it takes the promise (listItems).
  early.page.then((answer) => (early.answer = answer)).catch(() => undefined);
  prefetched = early;
}
/**
 * The start-up page of `query` if it has already arrived (taken once), so that the register
 * draws its first rows in the same render that creates it; null otherwise (then listItems).
 */
export function takeAnsweredPrefetch(query: ItemQuery): ItemPage | null {
  const early = prefetched;
  if (!early?.answer || early.key !== JSON.stringify(query)) return null;
  prefetched = null;
  return early.answer;
}
/** Drops a page asked for at start-up that nobody took (the registry is being switched). */
export function forgetPrefetch(): void {
  prefetched = null;
}
export function listItems(query: ItemQuery): Promise<ItemPage> {
  const early = prefetched;
  prefetched = null;
  if (early && early.key === JSON.stringify(query)) return early.page;
  return call<ItemPage>("item_list", { query });
}
export const getItem = (id: string) => call<ItemDetail>("item_get", { id });
export const saveItem = (input: ItemInput) => call<ItemDetail>("item_save", { input });
export const deleteItem = (id: string, reason: string) => call<null>("item_delete", { id, reason });
export const restoreItem = (id: string) => call<ItemDetail>("item_restore", { id });

// Search, history and the recycle bin
export const search = (text: string, limit = 20) =>
  call<SearchHit[]>("search_query", { text, limit });
/** Items, inheritors, units and activities matching `text`, grouped by kind (at most `limit` each). */
export const searchAll = (text: string, limit = 8) => call<SearchGroup[]>("search_all", { text, limit });
/** Kinds of record that keep an edit log. */
export type HistoryEntity = "item" | "batch" | "inheritor" | "unit" | "plan" | "activity" | "expenditure" | "media";
export const listHistory = (entity: HistoryEntity, id: string) =>
  call<EditLogEntry[]>("history_list", { entity, id });
/** Puts back the field changed by edit-log row `seq`; the revert is itself logged. */
export const revertHistory = (seq: number) => call<null>("history_revert", { seq });
export const listRecycle = () => call<RecycleEntry[]>("recycle_list", {});
export const restoreFromRecycle = (entity: string, id: string) => call<null>("recycle_restore", { entity, id });

// Inheritors (传承人) and what hangs on them
export const listInheritors = (query: InheritorQuery) => call<InheritorPage>("inheritor_list", { query });
export const getInheritor = (id: string) => call<InheritorDetail>("inheritor_get", { id });
export const saveInheritor = (input: InheritorInput) => call<InheritorDetail>("inheritor_save", { input });
export const deleteInheritor = (id: string, reason: string) =>
  call<null>("inheritor_delete", { id, reason });
export const restoreInheritor = (id: string) => call<InheritorDetail>("inheritor_restore", { id });
export const saveRecognition = (input: RecognitionInput) => call<Recognition>("recognition_save", { input });
export const addRecognitionEvent = (input: RecognitionEventInput) =>
  call<Recognition>("recognition_event_add", { input });
export const listRecognitionsForItem = (itemId: string) =>
  call<Recognition[]>("recognition_list_for_item", { itemId });
export const saveTrainingPlan = (input: TrainingPlan) => call<InheritorDetail>("training_plan_save", { input });
export const saveEvaluation = (input: Evaluation) => call<InheritorDetail>("evaluation_save", { input });
export const saveSubsidy = (input: Subsidy) => call<InheritorDetail>("subsidy_save", { input });

// Lineage (传承谱系) of an item
export const getLineage = (itemId: string) => call<Lineage>("lineage_get", { itemId });
export const saveLineageEdge = (input: LineageEdge) => call<Lineage>("lineage_edge_save", { input });
export const deleteLineageEdge = (id: string) => call<Lineage>("lineage_edge_delete", { id });

// Protection units (保护单位)
export const listUnits = (query: UnitQuery) => call<UnitPage>("unit_list", { query });
export const getUnit = (id: string) => call<UnitDetail>("unit_get", { id });
export const saveUnit = (input: UnitInput) => call<UnitDetail>("unit_save", { input });
export const deleteUnit = (id: string, reason: string) => call<null>("unit_delete", { id, reason });
export const restoreUnit = (id: string) => call<UnitDetail>("unit_restore", { id });
export const saveUnitCheck = (input: UnitCheck) => call<UnitDetail>("unit_check_save", { input });

// Protection work (保护工作): five-year plans with budgets and expenditures, activities
export const listPlans = (query: PlanQuery) => call<PlanPage>("plan_list", { query });
export const getPlan = (id: string) => call<PlanDetail>("plan_get", { id });
export const savePlan = (input: PlanInput) => call<PlanDetail>("plan_save", { input });
export const deletePlan = (id: string, reason: string) => call<null>("plan_delete", { id, reason });
export const restorePlan = (id: string) => call<PlanDetail>("plan_restore", { id });
export const saveExpenditure = (input: Expenditure) => call<PlanDetail>("expenditure_save", { input });
export const deleteExpenditure = (id: string, reason: string) => call<PlanDetail>("expenditure_delete", { id, reason });
export const listActivities = (query: ActivityQuery) => call<ActivityPage>("activity_list", { query });
export const getActivity = (id: string) => call<ActivityDetail>("activity_get", { id });
export const saveActivity = (input: ActivityInput) => call<ActivityDetail>("activity_save", { input });
export const deleteActivity = (id: string, reason: string) => call<null>("activity_delete", { id, reason });
export const restoreActivity = (id: string) => call<ActivityDetail>("activity_restore", { id });
/** The Shandong 非遗月 (腊月廿三 to 二月初二) around the Spring Festival of `year`. */
export const feiyiMonthInfo = (year: number) => call<FeiyiMonthInfo>("feiyi_month_info", { year });

// Media library (资料库): files are stored by the Rust side; the window reads them through the
// media:// protocol (never through IPC).
export const listMedia = (query: MediaQuery) => call<MediaPage>("media_list", { query });
export const getMedia = (id: string) => call<MediaDetail>("media_get", { id });
export const describeMedia = (input: MediaDescription) => call<MediaDetail>("media_describe", { input });
/** Sets the ticked fields of several files at once and/or links them all to a record. */
export const batchEditMedia = (input: MediaBatchEdit) => call<MediaBatchResult>("media_batch_edit", { input });
export const linkMedia = (mediaId: string, target: MediaLinkTarget) => call<MediaDetail>("media_link", { mediaId, target });
export const unlinkMedia = (linkId: string) => call<MediaDetail>("media_unlink", { linkId });
/** Puts a record's media of one role in the given order. */
export const reorderMedia = (entity: string, id: string, role: string, mediaIds: string[]) =>
  call<null>("media_reorder", { entity, id, role, mediaIds });
export const deleteMedia = (id: string, reason: string) => call<null>("media_delete", { id, reason });
export const restoreMedia = (id: string) => call<MediaDetail>("media_restore", { id });
/** The system dialog for files (or one folder); `[]` when the clerk cancels. */
export const pickMediaFiles = (directory: boolean) => call<string[]>("media_pick_files", { directory });
/**
 * Imports files and folders (the Rust side expands a folder into its files), linking each to
 * `link` when given. Runs in the background: `onEvent` hears the progress; the promise gives
 * the whole report when the import ends.
 */
export function startMediaImport(
  files: string[],
  link: MediaLinkTarget | null,
  onEvent: (e: MediaImportEvent) => void,
): Promise<MediaImportReport> {
  const channel = new Channel<MediaImportEvent>();
  channel.onmessage = onEvent;
  return call<MediaImportReport>("media_import_start", { files, link, onEvent: channel });
}
/** Asks the import under way to stop after the files it is reading; the report says what was left out. */
export const cancelMediaImport = () => call<null>("media_import_cancel", {});
/** Re-reads every original and compares it with its SHA-256. */
export const verifyMedia = () => call<FixityReport>("media_verify", {});
export const mediaFixityStatus = () => call<FixityStatus>("media_fixity_status", {});
/** Looks in `folder` for copies of missing originals and puts them back. */
export const relinkMedia = (folder: string) => call<RelinkReport>("media_relink", { folder });
/** Writes thumbnails and previews again; returns how many files were written. */
export const rebuildMediaDerived = () => call<number>("media_rebuild_derived", {});

// Applications for the municipal list (申报): export profiles, the pre-flight check (申报体检)
// and the package export.
/** Every 申报配置: the shipped ones (read-only) first, then the user's copies. */
export const listApplicationProfiles = () => call<ProfileSummary[]>("application_profiles", {});
export const getApplicationProfile = (name: string) => call<ExportProfile>("application_profile", { name });
/** Saves a user's copy (a shipped profile cannot be saved under its own name). */
export const saveApplicationProfile = (input: ExportProfile) =>
  call<ProfileSummary>("application_profile_save", { input });
export const deleteApplicationProfile = (name: string, reason: string) =>
  call<null>("application_profile_delete", { name, reason });
/** The pre-flight check of an item against a profile (the default 枣庄市级 one when null). */
export const checkApplication = (itemId: string, profile: string | null) =>
  call<PreflightReport>("application_check", { itemId, profile });
/**
 * Writes the application package into a new folder inside `options.outDir`. Refused with
 * code `preflight_errors` while the check has errors, unless `options.overrideReason` is given.
 */
export const exportApplication = (itemId: string, options: PackageOptions) =>
  call<PackageSummary>("application_export", { itemId, options });
/** The system dialog for one folder; null when the clerk cancels. */
export const pickFolder = (title: string) => call<string | null>("pick_folder", { title });

/** What of a media file to show: the 320 px thumbnail, the 2048 px preview, or the file itself. */
export type MediaWhat = "thumb" | "preview" | "original";

/**
 * The address of a media file for <img>, <video>, <audio> and <iframe>:
 * `media://localhost/<what>/<sha256>` (`http://media.localhost/…` on Windows). The base comes
 * from Tauri; the path is appended unencoded, since the protocol handler splits it at “/”.
 * Outside the desktop window (tests, plain browser) it is the media:// address as it is.
 */
export function mediaUrl(what: MediaWhat, sha256: string): string {
  if (mediaUrlResolver) {
    const url = mediaUrlResolver(what, sha256);
    if (url) return url;
  }
  const internals = (globalThis as { __TAURI_INTERNALS__?: { convertFileSrc?: unknown } }).__TAURI_INTERNALS__;
  if (typeof internals?.convertFileSrc === "function") {
    try {
      const base = convertFileSrc("", "media");
      return `${base.endsWith("/") ? base : `${base}/`}${what}/${sha256}`;
    } catch {
      // fall through to the plain address
    }
  }
  return `media://localhost/${what}/${sha256}`;
}

let mediaUrlResolver: ((what: MediaWhat, sha256: string) => string | null) | null = null;

/** For the development preview only (dev-mock.html): answers media addresses with stand-in images. */
export function setMediaUrlResolver(resolver: ((what: MediaWhat, sha256: string) => string | null) | null) {
  mediaUrlResolver = resolver;
}

/** Files dragged over the window from the desktop. */
export type FileDropEvent = { type: "over" } | { type: "drop"; paths: string[] } | { type: "leave" };

/**
 * Listens for files dragged onto the window; resolves to the function that stops listening.
 * Rejects outside the desktop window (no webview), which callers treat as “no drag and drop”.
 */
export async function listenFileDrop(handler: (e: FileDropEvent) => void): Promise<() => void> {
  // Loaded here, by the media pages that take drops: the webview and window API (~15 kB) is
  // not among the scripts a cold start runs before the first page.
  const { getCurrentWebview } = await import("@tauri-apps/api/webview");
  const unlisten = await getCurrentWebview().onDragDropEvent((event) => {
    const p = event.payload;
    if (p.type === "drop") handler({ type: "drop", paths: p.paths });
    else if (p.type === "leave") handler({ type: "leave" });
    else handler({ type: "over" });
  });
  return () => {
    unlisten();
  };
}

/** Batch-edit fields that leave everything as it is; set the ones to change. */
export function mediaBatchFields(partial: Partial<MediaBatchFields> = {}): MediaBatchFields {
  return {
    title: null, caption: null, captionTime: null, captionPlace: null, captionPeople: null, captionEvent: null,
    creator: null, creatorRole: null, provider: null, holder: null, captureDate: null, capturePlace: null,
    rights: null, consent: null, confidential: null, cataloguer: null, cataloguedAt: null,
    ...partial,
  };
}

/** A complete MediaQuery with defaults (50 a page, newest first). */
export function mediaQuery(partial: Partial<MediaQuery> = {}): MediaQuery {
  return {
    kind: null,
    entity: null,
    entityId: null,
    query: null,
    confidential: null,
    dateFrom: null,
    dateTo: null,
    deleted: false,
    page: 1,
    pageSize: 50,
    ...partial,
  };
}

/** A complete ItemQuery with defaults, for callers that set only a few fields. */
export function itemQuery(partial: Partial<ItemQuery> = {}): ItemQuery {
  return {
    batch: null,
    category: null,
    level: null,
    township: null,
    status: null,
    query: null,
    deleted: false,
    sort: "code",
    desc: false,
    page: 1,
    pageSize: 20,
    ...partial,
  };
}

/** A complete InheritorQuery with defaults. */
export function inheritorQuery(partial: Partial<InheritorQuery> = {}): InheritorQuery {
  return { query: null, itemId: null, level: null, deleted: false, page: 1, pageSize: 20, ...partial };
}

/** A complete UnitQuery with defaults (first page of 20). */
export function unitQuery(partial: Partial<UnitQuery> = {}): UnitQuery {
  return { query: null, deleted: false, page: 1, pageSize: 20, ...partial };
}

/** A complete PlanQuery with defaults (first page of 20). */
export function planQuery(partial: Partial<PlanQuery> = {}): PlanQuery {
  return { itemId: null, query: null, deleted: false, page: 1, pageSize: 20, ...partial };
}

/** A complete ActivityQuery with defaults. */
export function activityQuery(partial: Partial<ActivityQuery> = {}): ActivityQuery {
  return { query: null, kind: null, year: null, itemId: null, deleted: false, page: 1, pageSize: 20, ...partial };
}

// ---- Data (设置 → 数据): backups, importing a list from a spreadsheet, exchange packages and
// the import history. The core backs up before every import, merge and restore.
import type { BackupInfo } from "./bindings/BackupInfo";
import type { BackupPolicy } from "./bindings/BackupPolicy";
import type { BackupStatus } from "./bindings/BackupStatus";
import type { ConflictChoice } from "./bindings/ConflictChoice";
import type { ExchangeExportRequest } from "./bindings/ExchangeExportRequest";
import type { ExchangePreview } from "./bindings/ExchangePreview";
import type { ExchangeSummary } from "./bindings/ExchangeSummary";
import type { ImportRun } from "./bindings/ImportRun";
import type { ListImportReport } from "./bindings/ListImportReport";
import type { ListImportRequest } from "./bindings/ListImportRequest";
import type { RestoreResult } from "./bindings/RestoreResult";

/** The backups folder, every backup (newest first), the newest good one and the keeping rule. */
export const backupStatus = () => call<BackupStatus>("backup_status", {});
/** A backup now (reason 手动), with the clerk's note if any. */
export const createBackup = (note: string | null) => call<BackupInfo>("backup_create", { note });
/** Puts the registry back as it was in backup `id`; the current state is backed up first. */
export const restoreBackup = (id: string) => call<RestoreResult>("backup_restore", { id });
export const saveBackupPolicy = (policy: BackupPolicy) => call<BackupStatus>("backup_policy_save", { policy });

/** What the open-file dialog offers: spreadsheets (xlsx/xls/ods/csv) or packages (zip). */
export type PickFileKind = "sheet" | "package";
/** The system dialog for one file to open; null when the clerk cancels. */
export const pickFile = (title: string, kind: PickFileKind) => call<string | null>("pick_file", { title, kind });
/** The system dialog for a file to write; null when the clerk cancels. */
export const pickSaveFile = (title: string, defaultName: string) =>
  call<string | null>("pick_save_file", { title, defaultName });

/** Reads a spreadsheet and says what importing it would do; changes nothing. */
export const previewListImport = (request: ListImportRequest) =>
  call<ListImportReport>("import_list_preview", { request });
/** Imports the rows without errors, as the preview of the same request showed; `importId` is set. */
export const commitListImport = (request: ListImportRequest) =>
  call<ListImportReport>("import_list_commit", { request });
/** Every import (list, exchange, media), newest first. */
export const listImportRuns = () => call<ImportRun[]>("import_runs", {});
/** Undoes a whole import: the records it created go to the recycle bin. */
export const undoImport = (id: string, reason: string) => call<ImportRun>("import_undo", { id, reason });

/** Writes an exchange package (ZIP) for another PC or the municipal bureau. */
export const exportExchange = (request: ExchangeExportRequest) =>
  call<ExchangeSummary>("exchange_export", { request });
/** Reads a package and says what merging it would do, with the conflicts; changes nothing. */
export const inspectExchange = (path: string) => call<ExchangePreview>("exchange_inspect", { path });
/**
 * Merges a package; every conflicting field needs a choice (refused with code `conflict`
 * otherwise). `importId` is set on the answer.
 */
export const importExchange = (path: string, choices: ConflictChoice[]) =>
  call<ExchangePreview>("exchange_import", { path, choices });

// ---- 统计 (statistics), the yearly report and 提醒 (reminders)
import type { AnnualReportSummary } from "./bindings/AnnualReportSummary";
import type { ReminderList } from "./bindings/ReminderList";
import type { ReminderQuery } from "./bindings/ReminderQuery";
import type { ReminderSettings } from "./bindings/ReminderSettings";
import type { Statistics } from "./bindings/Statistics";
import type { StatsExport } from "./bindings/StatsExport";
import type { StatsQuery } from "./bindings/StatsQuery";

/** Every table of the 统计 page; `query.year` null means the current year. */
export const getStatistics = (query: StatsQuery) => call<Statistics>("stats_get", { query });
/** Writes one table (by its key) as an XLSX file at `path`. */
export const exportStatsTable = (query: StatsQuery, key: string, path: string) =>
  call<StatsExport>("stats_export_table", { query, key, path });
/** Writes the 年度工作统计表: every table, one sheet each, at `path`. */
export const exportStatsWorkbook = (query: StatsQuery, path: string) =>
  call<StatsExport>("stats_export_workbook", { query, path });
/** Writes the 年度工作报告 of `year` as DOCX and PDF into the folder `dir`. */
export const writeAnnualReport = (year: number, dir: string) => call<AnnualReportSummary>("report_annual", { year, dir });

/** A stamp that changes whenever the reminders could (date, any register change, states, settings). */
export const reminderRevision = () => call<string>("reminder_revision", {});
/** The reminders: one page of each tab (to act on, snoozed, dismissed) with each tab's total. */
export const listReminders = (query: ReminderQuery) => call<ReminderList>("reminder_list", { query });
/** Hides a reminder until the day after `until` (`YYYY-MM-DD`); answers the pages of `query`. */
export const snoozeReminder = (key: string, until: string, reason: string | null, query: ReminderQuery) =>
  call<ReminderList>("reminder_snooze", { key, until, reason, query });
/** Hides a reminder for the period it names; the reason is required. */
export const dismissReminder = (key: string, reason: string, query: ReminderQuery) =>
  call<ReminderList>("reminder_dismiss", { key, reason, query });
/** Undoes a snooze or a dismissal. */
export const restoreReminder = (key: string, query: ReminderQuery) => call<ReminderList>("reminder_restore", { key, query });
export const getReminderSettings = () => call<ReminderSettings>("reminder_settings_get", {});
/** Saves the reminder dates and thresholds; field errors carry the camelCase field names. */
export const saveReminderSettings = (settings: ReminderSettings) =>
  call<ReminderSettings>("reminder_settings_save", { settings });

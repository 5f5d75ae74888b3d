// The only module that talks to the Rust side. Components and stores call these typed
// functions; every failure arrives as an `ApiError` with a Chinese `message`.
import { invoke } from "@tauri-apps/api/core";
import type { ActivityDetail } from "./bindings/ActivityDetail";
import type { ActivityInput } from "./bindings/ActivityInput";
import type { ActivityPage } from "./bindings/ActivityPage";
import type { ActivityQuery } from "./bindings/ActivityQuery";
import type { Batch } from "./bindings/Batch";
import type { BatchInput } from "./bindings/BatchInput";
import type { EditLogEntry } from "./bindings/EditLogEntry";
import type { Evaluation } from "./bindings/Evaluation";
import type { Expenditure } from "./bindings/Expenditure";
import type { FeiyiMonthInfo } from "./bindings/FeiyiMonthInfo";
import type { FieldError } from "./bindings/FieldError";
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
import type { PlanDetail } from "./bindings/PlanDetail";
import type { PlanInput } from "./bindings/PlanInput";
import type { PlanRow } from "./bindings/PlanRow";
import type { Recognition } from "./bindings/Recognition";
import type { RecognitionEventInput } from "./bindings/RecognitionEventInput";
import type { RecognitionInput } from "./bindings/RecognitionInput";
import type { ReferenceData } from "./bindings/ReferenceData";
import type { RegistryInfo } from "./bindings/RegistryInfo";
import type { SearchHit } from "./bindings/SearchHit";
import type { Subsidy } from "./bindings/Subsidy";
import type { TrainingPlan } from "./bindings/TrainingPlan";
import type { UnitCheck } from "./bindings/UnitCheck";
import type { UnitDetail } from "./bindings/UnitDetail";
import type { UnitInput } from "./bindings/UnitInput";
import type { UnitRow } from "./bindings/UnitRow";
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
export const listItems = (query: ItemQuery) => call<ItemPage>("item_list", { query });
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
export type HistoryEntity = "item" | "batch" | "inheritor" | "unit" | "plan" | "activity" | "expenditure";
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
export const listUnits = (query: string | null, deleted = false) =>
  call<UnitRow[]>("unit_list", { query, deleted });
export const getUnit = (id: string) => call<UnitDetail>("unit_get", { id });
export const saveUnit = (input: UnitInput) => call<UnitDetail>("unit_save", { input });
export const deleteUnit = (id: string, reason: string) => call<null>("unit_delete", { id, reason });
export const restoreUnit = (id: string) => call<UnitDetail>("unit_restore", { id });
export const saveUnitCheck = (input: UnitCheck) => call<UnitDetail>("unit_check_save", { input });

// Protection work (保护工作): five-year plans with budgets and expenditures, activities
export const listPlans = (itemId: string | null, deleted = false) => call<PlanRow[]>("plan_list", { itemId, deleted });
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

/** A complete ActivityQuery with defaults. */
export function activityQuery(partial: Partial<ActivityQuery> = {}): ActivityQuery {
  return { query: null, kind: null, year: null, itemId: null, deleted: false, page: 1, pageSize: 20, ...partial };
}

// The open registry and its reference data, loaded at start and after every switch.
import { ElMessage } from "element-plus";
import { defineStore } from "pinia";
import { computed, ref } from "vue";
import * as api from "../api";
import { ApiError } from "../api";
import type { Batch } from "../bindings/Batch";
import type { ReferenceData } from "../bindings/ReferenceData";
import type { RegistryInfo } from "../bindings/RegistryInfo";

const emptyReference = (): ReferenceData => ({
  categories: [],
  townships: [],
  levels: [],
  itemStatuses: [],
  codeTemplates: [],
});

export const useRegistryStore = defineStore("registry", () => {
  const info = ref<RegistryInfo | null>(null);
  const reference = ref<ReferenceData>(emptyReference());
  /** Live batches, for the selects of filters and forms. */
  const batches = ref<Batch[]>([]);
  const loading = ref(false);
  const error = ref<ApiError | null>(null);
  /** Bumped after a registry switch so that pages re-create and reload. */
  const generation = ref(0);

  const ready = computed(() => info.value !== null);
  const isSample = computed(() => info.value?.kind === "sample");

  /** The batches asked for last (settled whether or not they arrived). */
  let batchesAsked: Promise<unknown> = Promise.resolve();
  /** Asks for the live batches afresh (once `after` has settled, if given). */
  function loadBatches(after: Promise<unknown> = Promise.resolve()): Promise<void> {
    const asked = after
      .then(() => api.listBatches(false))
      .then((b) => {
        batches.value = b;
      });
    batchesAsked = asked.catch(() => undefined);
    return asked;
  }
  /** Resolves once the batches asked for last have arrived (or failed to). */
  const whenBatches = (): Promise<unknown> => batchesAsked;

  /**
   * Loads registry info and reference data (errors land in `error`), then the batches.
   *
   * The shell waits for the first two only. The batches serve the filters and forms, not the
   * register's first page, and a province's register has over a thousand of them with their
   * entered counts (about 25 ms and 0.8 MB at 100,000 items): awaited, they held its cold
   * start back by some 70 ms, and answered during the first frame their parsing delayed its
   * paint. So they are asked for once the next frame, the one that shows the shell (and the
   * first page, when its answer is in), has been painted; `whenBatches` waits for them.
   */
  async function load() {
    loading.value = true;
    error.value = null;
    try {
      const [i, r] = await Promise.all([api.registryInfo(), api.referenceData()]);
      info.value = i;
      reference.value = r;
      api.markStart("ready");
      void loadBatches(api.nextPaint()).catch((e) =>
        ElMessage({ type: "error", message: ApiError.from(e).message, duration: 5000, showClose: true }),
      );
    } catch (e) {
      error.value = ApiError.from(e);
      // A first page asked for at start-up failed with the registry; 重试 asks afresh.
      api.forgetPrefetch();
    } finally {
      loading.value = false;
    }
  }

  async function refreshInfo() {
    info.value = await api.registryInfo();
  }

  async function switchTo(kind: "sample" | "real") {
    api.forgetPrefetch();
    info.value = kind === "sample" ? await api.openSampleRegistry() : await api.openDefaultRegistry();
    const [r] = await Promise.all([api.referenceData(), loadBatches()]);
    reference.value = r;
  }

  /** Makes every page re-create and reload (after a registry switch). */
  function bumpGeneration() {
    generation.value++;
  }

  async function setCodeTemplate(template: string) {
    info.value = await api.setCodeTemplate(template);
  }

  async function setActor(actor: string) {
    info.value = await api.setActor(actor);
  }

  function categoryName(code: string): string {
    return reference.value.categories.find((c) => c.code === code)?.name ?? "";
  }

  return {
    info, reference, batches, loading, error, generation, ready, isSample,
    load, loadBatches, whenBatches, refreshInfo, switchTo, bumpGeneration, setCodeTemplate, setActor, categoryName,
  };
});

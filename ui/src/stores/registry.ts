// The open registry and its reference data, loaded at start and after every switch.
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

  async function loadBatches() {
    batches.value = await api.listBatches(false);
  }

  /** Loads registry info, reference data and batches. Errors land in `error`. */
  async function load() {
    loading.value = true;
    error.value = null;
    try {
      const [i, r, b] = await Promise.all([api.registryInfo(), api.referenceData(), api.listBatches(false)]);
      info.value = i;
      reference.value = r;
      batches.value = b;
      api.markStart("ready");
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
    const [r, b] = await Promise.all([api.referenceData(), api.listBatches(false)]);
    reference.value = r;
    batches.value = b;
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
    load, loadBatches, refreshInfo, switchTo, bumpGeneration, setCodeTemplate, setActor, categoryName,
  };
});

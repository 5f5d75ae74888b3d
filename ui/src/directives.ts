// v-row-testid: gives every body row of an el-table a data-testid (el-table has no row attributes).
import type { Directive } from "vue";

type Host = HTMLElement & { __rowTestidObserver?: MutationObserver };

function apply(el: HTMLElement, id: string) {
  el.querySelectorAll<HTMLTableRowElement>("tbody tr.el-table__row").forEach((tr) => {
    if (tr.getAttribute("data-testid") !== id) tr.setAttribute("data-testid", id);
  });
}

export const vRowTestid: Directive<Host, string> = {
  mounted(el, binding) {
    apply(el, binding.value);
    const observer = new MutationObserver(() => apply(el, binding.value));
    observer.observe(el, { childList: true, subtree: true });
    el.__rowTestidObserver = observer;
  },
  updated(el, binding) {
    apply(el, binding.value);
  },
  unmounted(el) {
    el.__rowTestidObserver?.disconnect();
  },
};

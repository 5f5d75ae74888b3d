import { describe, expect, it } from "vitest";
import { batch, installIpc, mountApp, settle, settleForms } from "./helpers";

describe("batches page", () => {
  it("shows entered/declared as 0/11 for an empty sixth batch", async () => {
    installIpc((cmd) =>
      cmd === "batch_list"
        ? [batch({ id: "b5", number: 5, label: "第五批", declaredCount: 7, enteredCount: 7 }), batch({ declaredCount: 11, enteredCount: 0 })]
        : undefined,
    );
    const { wrapper } = await mountApp("/batches");
    expect(wrapper.find('[data-testid="batch-count-6"]').text()).toBe("0/11");
    expect(wrapper.find('[data-testid="batch-count-5"]').text()).toBe("7/7");
    expect(wrapper.findAll('[data-testid="batch-row"]')).toHaveLength(2);
    expect(wrapper.text()).toContain("台政字〔2022〕33号");
    expect(wrapper.text()).toContain("2022-05-18");
    wrapper.unmount();
  });

  it("asks for a reason before deleting, and sends it", async () => {
    const calls = installIpc((cmd) => (cmd === "batch_delete" ? null : undefined));
    const { wrapper } = await mountApp("/batches");
    await wrapper.find('[data-testid="batch-delete-6"]').trigger("click");
    await settle();
    const confirm = document.querySelector<HTMLButtonElement>('[data-testid="reason-confirm"]')!;
    confirm.click();
    await settleForms();
    expect(document.body.textContent).toContain("请填写删除原因");
    expect(calls.some((c) => c.cmd === "batch_delete")).toBe(false);

    const textarea = document.querySelector<HTMLTextAreaElement>('textarea[data-testid="reason-input"]')!;
    textarea.value = "录入错误";
    textarea.dispatchEvent(new Event("input"));
    await settle();
    confirm.click();
    await settle();
    expect(calls.find((c) => c.cmd === "batch_delete")?.args).toEqual({ id: "b6", reason: "录入错误" });
    wrapper.unmount();
  });

  it("links each batch to its items", async () => {
    installIpc(() => undefined);
    const { wrapper, router } = await mountApp("/batches");
    await wrapper.find('[data-testid="batch-items-6"]').trigger("click");
    await settle();
    expect(router.currentRoute.value.fullPath).toBe("/register?batch=6");
    wrapper.unmount();
  });
});

import { describe, expect, it } from "vitest";
import { mockConvertFileSrc, mockIPC } from "@tauri-apps/api/mocks";
import * as api from "../api";
import { ApiError, itemQuery, listItems, saveItem, deleteItem } from "../api";
import type { ItemInput } from "../bindings/ItemInput";
import { emptyTexts } from "../format";

const input: ItemInput = {
  id: null, name: "", category: "Ⅷ", batchId: null, seq: null, parentId: null, status: null,
  endangered: false, confidential: false, townships: [], listings: [], texts: emptyTexts(), note: null,
};

describe("api", () => {
  it("maps a rejected {code, message, fields} into an ApiError", async () => {
    mockIPC(() => {
      throw {
        code: "validation",
        message: "输入有误：项目名称不能为空",
        fields: [
          { field: "name", message: "项目名称不能为空" },
          { field: "texts.summary", message: "项目简介过长" },
        ],
      };
    });
    const err = await saveItem(input).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    const e = err as ApiError;
    expect(e.code).toBe("validation");
    expect(e.message).toBe("输入有误：项目名称不能为空");
    expect(e.fields).toEqual([
      { field: "name", message: "项目名称不能为空" },
      { field: "texts.summary", message: "项目简介过长" },
    ]);
    expect(e.fieldMap()).toEqual({ name: "项目名称不能为空", "texts.summary": "项目简介过长" });
  });

  it("keeps codes without fields and wraps plain strings", async () => {
    mockIPC(() => {
      throw { code: "not_found", message: "找不到项目：x" };
    });
    const nf = (await deleteItem("x", "重复").catch((e: unknown) => e)) as ApiError;
    expect(nf).toBeInstanceOf(ApiError);
    expect(nf.code).toBe("not_found");
    expect(nf.fields).toBeUndefined();

    mockIPC(() => {
      throw "command item_delete not found";
    });
    const s = (await deleteItem("x", "重复").catch((e: unknown) => e)) as ApiError;
    expect(s).toBeInstanceOf(ApiError);
    expect(s.code).toBe("internal");
    expect(s.message).toContain("item_delete");
  });

  it("sends camelCase arguments under the documented command names", async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return cmd === "item_list" ? { rows: [], total: 0, page: 1, pageSize: 50 } : null;
    });
    await listItems(itemQuery({ query: "lnhg", pageSize: 50 }));
    await deleteItem("i1", "重复录入");
    expect(seen[0][0]).toBe("item_list");
    expect((seen[0][1] as { query: { query: string; pageSize: number } }).query).toMatchObject({ query: "lnhg", pageSize: 50, deleted: false, sort: "code" });
    expect(seen[1]).toEqual(["item_delete", { id: "i1", reason: "重复录入" }]);
  });

  it("sends the inheritor, lineage and unit commands with camelCase keys", async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return null;
    });
    await api.listInheritors(api.inheritorQuery({ query: "syl", itemId: "i1" }));
    await api.deleteInheritor("p1", "重复录入");
    await api.listRecognitionsForItem("i1");
    await api.getLineage("i1");
    await api.deleteLineageEdge("e1");
    await api.listUnits(api.unitQuery({ deleted: true }));
    await api.listPlans(api.planQuery({ itemId: "i1", query: "花鼓", page: 2 }));
    await api.listHistory("unit", "u1");
    expect(seen).toEqual([
      ["inheritor_list", { query: { query: "syl", itemId: "i1", level: null, deleted: false, page: 1, pageSize: 20 } }],
      ["inheritor_delete", { id: "p1", reason: "重复录入" }],
      ["recognition_list_for_item", { itemId: "i1" }],
      ["lineage_get", { itemId: "i1" }],
      ["lineage_edge_delete", { id: "e1" }],
      ["unit_list", { query: { query: null, deleted: true, page: 1, pageSize: 20 } }],
      ["plan_list", { query: { itemId: "i1", query: "花鼓", deleted: false, page: 2, pageSize: 20 } }],
      ["history_list", { entity: "unit", id: "u1" }],
    ]);
  });

  it("sends the media commands with camelCase keys", async () => {
    const seen: [string, unknown][] = [];
    mockIPC((cmd, args) => {
      seen.push([cmd, args]);
      return null;
    });
    const target = { entity: "item", id: "i1", role: "" };
    await api.listMedia(api.mediaQuery({ entity: "item", entityId: "i1" }));
    await api.getMedia("m1");
    await api.linkMedia("m1", target);
    await api.unlinkMedia("l1");
    await api.reorderMedia("item", "i1", "照片", ["m2", "m1"]);
    await api.deleteMedia("m1", "重复导入");
    await api.restoreMedia("m1");
    await api.pickMediaFiles(true);
    await api.cancelMediaImport();
    await api.verifyMedia();
    await api.mediaFixityStatus();
    await api.relinkMedia("/backup");
    await api.rebuildMediaDerived();
    await api.batchEditMedia({ ids: ["m1"], set: { ...api.mediaBatchFields(), caption: "新说明" }, link: null });
    expect(seen).toEqual([
      ["media_list", { query: { kind: null, entity: "item", entityId: "i1", query: null, confidential: null, dateFrom: null, dateTo: null, deleted: false, page: 1, pageSize: 50 } }],
      ["media_get", { id: "m1" }],
      ["media_link", { mediaId: "m1", target }],
      ["media_unlink", { linkId: "l1" }],
      ["media_reorder", { entity: "item", id: "i1", role: "照片", mediaIds: ["m2", "m1"] }],
      ["media_delete", { id: "m1", reason: "重复导入" }],
      ["media_restore", { id: "m1" }],
      ["media_pick_files", { directory: true }],
      ["media_import_cancel", {}],
      ["media_verify", {}],
      ["media_fixity_status", {}],
      ["media_relink", { folder: "/backup" }],
      ["media_rebuild_derived", {}],
      ["media_batch_edit", { input: { ids: ["m1"], set: { ...api.mediaBatchFields(), caption: "新说明" }, link: null } }],
    ]);
  });

  it("addresses media files on the media:// protocol with the path unencoded", () => {
    const sha = "ab".repeat(32);
    expect(api.mediaUrl("thumb", sha)).toBe(`media://localhost/thumb/${sha}`);
    mockConvertFileSrc("linux");
    expect(api.mediaUrl("original", sha)).toBe(`media://localhost/original/${sha}`);
    mockConvertFileSrc("windows");
    expect(api.mediaUrl("preview", sha)).toBe(`http://media.localhost/preview/${sha}`);
  });
});

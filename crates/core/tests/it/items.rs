//! Items: create, edit, validate, codes, soft delete and restore, with the edit log.

use crate::support::{item, real, sixth};
use feiyi_core::model::{ItemQuery, ItemSort, ItemTexts, ItemTownship, Listing};

#[test]
fn an_item_added_to_the_sixth_batch_counts_and_gets_a_code_and_a_district_listing() {
    let mut reg = real();
    let b = sixth(&reg);
    let saved = reg
        .item_save(item("鲁南花鼓", "Ⅲ", Some(b.clone())))
        .unwrap();
    assert_eq!(saved.code, "Ⅲ-1");
    assert_eq!(saved.category_name, "传统舞蹈");
    assert_eq!(saved.batch_label.as_deref(), Some("第六批"));
    assert_eq!(saved.level, "区级");
    assert_eq!(saved.listings.len(), 1);
    assert_eq!(
        saved.listings[0].doc_number.as_deref(),
        Some("台政字〔2022〕33号")
    );
    assert_eq!(saved.listings[0].listed_on.as_deref(), Some("2022-05-18"));
    assert_eq!(reg.batch_get(&b).unwrap().entered_count, 1);
    let second = reg
        .item_save(item("运河泥塑", "Ⅲ", Some(b.clone())))
        .unwrap();
    assert_eq!(second.code, "Ⅲ-2");
    reg.set_code_template("{batch}-{category}-{seq}").unwrap();
    assert_eq!(reg.item_get(&second.id).unwrap().code, "Ⅵ-Ⅲ-2");
}

#[test]
fn validation_names_every_bad_field_and_writes_nothing() {
    let mut reg = real();
    let mut input = item("  ", "Ⅺ", Some("no-such-batch".into()));
    input.townships = vec![ItemTownship {
        code: "999".into(),
        ..Default::default()
    }];
    input.listings = vec![Listing {
        level: "村级".into(),
        listed_on: Some("2022-02-30".into()),
        ..Default::default()
    }];
    let err = reg.item_save(input).unwrap_err();
    assert_eq!(err.code(), "validation");
    let fields: Vec<_> = err.fields().iter().map(|f| f.field.as_str()).collect();
    for f in [
        "name",
        "category",
        "batchId",
        "townships.0",
        "listings.0.level",
        "listings.0.listedOn",
    ] {
        assert!(fields.contains(&f), "{f} missing from {fields:?}");
    }
    assert!(
        err.fields().iter().all(|f| !f.message.is_ascii()),
        "messages are Chinese"
    );
    assert_eq!(reg.info().unwrap().item_count, 0);
    assert!(reg.history("item", "x").unwrap().is_empty());
}

#[test]
fn ascii_lookalike_categories_are_accepted() {
    let mut reg = real();
    assert_eq!(
        reg.item_save(item("柳琴戏", "IV", None)).unwrap().category,
        "Ⅳ"
    );
    assert_eq!(
        reg.item_save(item("运河大鼓", "5", None)).unwrap().category,
        "Ⅴ"
    );
}

#[test]
fn a_taken_sequence_is_refused_with_the_holder_named() {
    let mut reg = real();
    reg.item_save(item("运河剪纸", "Ⅶ", None)).unwrap();
    let mut dup = item("布老虎", "Ⅶ", None);
    dup.seq = Some(1);
    let err = reg.item_save(dup).unwrap_err();
    assert_eq!(err.fields()[0].field, "seq");
    assert!(err.fields()[0].message.contains("运河剪纸"));
}

#[test]
fn edits_are_logged_field_by_field_with_old_and_new_values() {
    let mut reg = real();
    reg.set_actor("王晓").unwrap();
    let saved = reg.item_save(item("竹马会", "Ⅲ", None)).unwrap();
    let mut input = feiyi_core::model::ItemInput {
        id: Some(saved.id.clone()),
        name: "竹马会".into(),
        category: "Ⅲ".into(),
        texts: ItemTexts {
            summary: Some("流传于运河沿岸的民间舞蹈。".into()),
            ..Default::default()
        },
        endangered: true,
        ..Default::default()
    };
    reg.item_save(input.clone()).unwrap();
    let h = reg.history("item", &saved.id).unwrap();
    assert_eq!(h.last().unwrap().action, "create");
    let updates: Vec<_> = h.iter().filter(|e| e.action == "update").collect();
    let fields: Vec<_> = updates.iter().map(|e| e.field.clone().unwrap()).collect();
    assert_eq!(fields.len(), 2, "{fields:?}");
    assert!(fields.contains(&"texts.summary".to_string()));
    let e = updates
        .iter()
        .find(|e| e.field.as_deref() == Some("endangered"))
        .unwrap();
    assert_eq!(
        (e.old_value.as_deref(), e.new_value.as_deref()),
        (Some("false"), Some("true"))
    );
    assert!(h
        .iter()
        .all(|e| e.actor == "王晓" && e.at == "2026-11-28T09:00:00.000Z"));
    // Saving the same content again logs nothing.
    input.texts.summary = Some("  流传于运河沿岸的民间舞蹈。 ".into());
    reg.item_save(input).unwrap();
    assert_eq!(reg.history("item", &saved.id).unwrap().len(), h.len());
}

#[test]
fn soft_delete_needs_a_reason_hides_the_item_and_restore_brings_it_back() {
    let mut reg = real();
    let b = sixth(&reg);
    let saved = reg
        .item_save(item("烙烫葫芦", "Ⅶ", Some(b.clone())))
        .unwrap();
    assert_eq!(
        reg.item_delete(&saved.id, " ").unwrap_err().code(),
        "validation"
    );
    reg.item_delete(&saved.id, "录入重复").unwrap();
    assert_eq!(reg.item_list(&ItemQuery::default()).unwrap().total, 0);
    assert_eq!(reg.batch_get(&b).unwrap().entered_count, 0);
    assert!(reg.search("葫芦", 10).unwrap().is_empty());
    let bin = reg
        .item_list(&ItemQuery {
            deleted: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(bin.total, 1);
    let d = reg.item_get(&saved.id).unwrap();
    assert_eq!(d.deleted_reason.as_deref(), Some("录入重复"));
    assert_eq!(
        reg.item_save(feiyi_core::model::ItemInput {
            id: Some(saved.id.clone()),
            ..item("x", "Ⅶ", None)
        })
        .unwrap_err()
        .code(),
        "deleted"
    );
    // The number is not reused while the item is in the bin.
    assert_eq!(reg.item_save(item("运河面塑", "Ⅶ", None)).unwrap().seq, 2);
    let restored = reg.item_restore(&saved.id).unwrap();
    assert!(restored.deleted_at.is_none());
    assert_eq!(reg.search("葫芦", 10).unwrap().len(), 1);
    let actions: Vec<_> = reg
        .history("item", &saved.id)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["restore", "delete", "create"]);
}

#[test]
fn extension_items_take_the_parent_code_and_protect_the_parent() {
    let mut reg = real();
    let parent = reg.item_save(item("布玩具", "Ⅶ", None)).unwrap();
    let mut child = item("布玩具（布老虎制作技艺）", "Ⅷ", None);
    child.parent_id = Some(parent.id.clone());
    let child = reg.item_save(child).unwrap();
    assert_eq!((child.category.as_str(), child.code.as_str()), ("Ⅶ", "Ⅶ-1"));
    assert_eq!(reg.item_get(&parent.id).unwrap().extensions.len(), 1);
    assert_eq!(
        reg.item_delete(&parent.id, "测试").unwrap_err().code(),
        "conflict"
    );
    let mut grandchild = item("孙项目", "Ⅶ", None);
    grandchild.parent_id = Some(child.id.clone());
    assert_eq!(
        reg.item_save(grandchild).unwrap_err().fields()[0].field,
        "parentId"
    );
}

#[test]
fn filters_sorting_and_paging_happen_in_sql() {
    let mut reg = crate::support::sample();
    let all = reg
        .item_list(&ItemQuery {
            page_size: Some(5),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((all.total, all.rows.len()), (12, 5));
    let p3 = reg
        .item_list(&ItemQuery {
            page_size: Some(5),
            page: Some(3),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(p3.rows.len(), 2);
    let viii = reg
        .item_list(&ItemQuery {
            category: Some("Ⅷ".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(viii.total, 3);
    let b1 = reg
        .item_list(&ItemQuery {
            batch: Some(1),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(b1.total, 3);
    let town = reg
        .item_list(&ItemQuery {
            township: Some("370405102".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(town.rows.iter().all(|r| r.townships.contains("泥沟镇")));
    assert_eq!(town.total, 3);
    let city = reg
        .item_list(&ItemQuery {
            level: Some("市级".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(city.total, 1);
    assert_eq!(city.rows[0].level, "市级");
    let by_name = reg
        .item_list(&ItemQuery {
            sort: ItemSort::Name,
            page_size: Some(100),
            ..Default::default()
        })
        .unwrap();
    let names: Vec<_> = by_name
        .rows
        .iter()
        .map(|r| feiyi_core::search::pinyin_keys(&r.name).0)
        .collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    let desc = reg
        .item_list(&ItemQuery {
            sort: ItemSort::Code,
            desc: true,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(desc.rows[0].category, "Ⅹ");
    let id = all.rows[0].id.clone();
    reg.item_delete(&id, "测试").unwrap();
    assert_eq!(reg.item_list(&ItemQuery::default()).unwrap().total, 11);
}

#[test]
fn batches_are_validated_logged_and_protected() {
    let mut reg = real();
    let input = feiyi_core::model::BatchInput {
        number: 1,
        doc_number: Some("台政字〔2008〕1号".into()),
        approved_on: Some("2008-02-30".into()),
        declared_count: Some(-1),
        ..Default::default()
    };
    let err = reg.batch_save(input.clone()).unwrap_err();
    let fields: Vec<_> = err.fields().iter().map(|f| f.field.clone()).collect();
    assert_eq!(fields, ["declaredCount", "approvedOn"]);
    let ok = reg
        .batch_save(feiyi_core::model::BatchInput {
            approved_on: Some("2008-02-28".into()),
            declared_count: Some(9),
            ..input
        })
        .unwrap();
    assert_eq!(ok.label, "第一批");
    let dup = feiyi_core::model::BatchInput {
        number: 6,
        ..Default::default()
    };
    assert!(reg
        .batch_save(dup)
        .unwrap_err()
        .to_string()
        .contains("第六批已存在"));
    let b6 = sixth(&reg);
    reg.item_save(item("运河号子", "Ⅱ", Some(b6.clone())))
        .unwrap();
    assert_eq!(
        reg.batch_delete(&b6, "误建").unwrap_err().code(),
        "conflict"
    );
    reg.batch_delete(&ok.id, "误建").unwrap();
    assert_eq!(
        reg.batch_list(true)
            .unwrap()
            .iter()
            .filter(|b| b.deleted_at.is_some())
            .count(),
        1
    );
    assert_eq!(reg.batch_list(false).unwrap().len(), 1);
    reg.batch_restore(&ok.id).unwrap();
    let actions: Vec<_> = reg
        .history("batch", &ok.id)
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(actions, ["restore", "delete", "create"]);
}

#[test]
fn category_codes_sort_in_category_order() {
    // The register sorts by `item.category_code` (so the partial index gives the order
    // without a join): that is only right while Ⅰ…Ⅹ sort as their `ord`.
    let mut by_code = feiyi_core::reference::categories().unwrap();
    by_code.sort_by(|a, b| a.code.cmp(&b.code));
    let ords: Vec<i64> = by_code.iter().map(|c| c.ord).collect();
    assert_eq!(ords, (1..=10).collect::<Vec<_>>());
}

#[test]
fn register_order_filters_and_counts_hold_across_pages() {
    use feiyi_core::model::{ItemQuery, ItemSort};
    let reg = crate::support::sample();
    let all = reg
        .item_list(&ItemQuery {
            page_size: Some(500),
            ..Default::default()
        })
        .unwrap();
    // Page by page, in the same order, with the same total.
    let mut paged = Vec::new();
    for page in 1..=4 {
        let p = reg
            .item_list(&ItemQuery {
                page: Some(page),
                page_size: Some(4),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(p.total, all.total);
        paged.extend(p.rows.into_iter().map(|r| r.id));
    }
    let whole: Vec<String> = all.rows.iter().map(|r| r.id.clone()).collect();
    assert_eq!(paged, whole[..paged.len().min(whole.len())].to_vec());
    // Codes ascend (category, then sequence) and the desc order is its reverse by code.
    let codes: Vec<(String, i64)> = all
        .rows
        .iter()
        .map(|r| (r.category.clone(), r.seq))
        .collect();
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(codes, sorted);
    // Each level filter keeps exactly the rows showing that level; they add up.
    let mut sum = 0;
    for level in ["区级", "市级", "省级", "国家级"] {
        let p = reg
            .item_list(&ItemQuery {
                level: Some(level.into()),
                page_size: Some(500),
                ..Default::default()
            })
            .unwrap();
        assert!(p.rows.iter().all(|r| r.level == level), "{level}");
        assert_eq!(p.total as usize, p.rows.len());
        sum += p.total;
    }
    assert_eq!(sum, all.total);
    // Name and update orders come back whole too.
    for sort in [
        ItemSort::Name,
        ItemSort::UpdatedAt,
        ItemSort::Batch,
        ItemSort::Level,
    ] {
        let p = reg
            .item_list(&ItemQuery {
                sort,
                page_size: Some(500),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(p.rows.len() as i64, all.total);
    }
}

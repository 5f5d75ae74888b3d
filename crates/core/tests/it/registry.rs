//! Opening, creating and refusing registry files; reference data; the sample registry.

use crate::support::{clock, sixth};
use feiyi_core::api::DB_FILE;
use feiyi_core::model::{ItemQuery, PlanQuery, RegistryKind, UnitQuery};
use feiyi_core::Registry;
use std::fs;

#[test]
fn a_new_registry_has_the_reference_data_and_the_sixth_batch_at_0_of_11() {
    let dir = tempfile::tempdir().unwrap();
    let reg = Registry::open_or_create(dir.path(), RegistryKind::Real, clock()).unwrap();
    let info = reg.info().unwrap();
    assert_eq!(info.kind, RegistryKind::Real);
    assert_eq!(info.item_count, 0);
    assert_eq!(info.code_template, "{category}-{seq}");
    let refs = reg.reference_data().unwrap();
    assert_eq!(refs.categories.len(), 10);
    assert_eq!(refs.townships.len(), 7);
    let batches = reg.batch_list(false).unwrap();
    assert_eq!(
        batches.len(),
        1,
        "only the sixth batch is known; batches 1–5 are entered by users"
    );
    let b = &batches[0];
    assert_eq!((b.number, b.label.as_str()), (6, "第六批"));
    assert_eq!(b.doc_number.as_deref(), Some("台政字〔2022〕33号"));
    assert_eq!(b.approved_on.as_deref(), Some("2022-05-18"));
    assert_eq!((b.entered_count, b.declared_count), (0, Some(11)));
    drop(reg);
    // Reopening keeps everything and does not seed twice.
    let reg = Registry::open(dir.path(), clock()).unwrap();
    assert_eq!(reg.batch_list(false).unwrap().len(), 1);
    assert!(reg.integrity_check().unwrap() == ["ok"]);
}

#[test]
fn a_foreign_sqlite_file_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE notes(t TEXT); INSERT INTO notes VALUES ('别人的数据');")
            .unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = Registry::open(dir.path(), clock()).unwrap_err();
    assert_eq!(err.code(), "foreign_file");
    assert!(err.to_string().contains("不是非遗名录的数据文件"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before);
    assert!(!dir.path().join("registry.sqlite-wal").exists());
    // open_or_create must not "repair" it either.
    assert_eq!(
        Registry::open_or_create(dir.path(), RegistryKind::Real, clock())
            .unwrap_err()
            .code(),
        "foreign_file"
    );
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_file_from_a_newer_version_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    drop(Registry::create(dir.path(), RegistryKind::Real, clock()).unwrap());
    let path = dir.path().join(DB_FILE);
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 999).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = Registry::open(dir.path(), clock()).unwrap_err();
    assert_eq!(err.code(), "newer_version");
    assert!(err.to_string().contains("更新版本"), "{err}");
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn junk_and_empty_files_are_not_databases() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(DB_FILE);
    fs::write(&path, b"").unwrap();
    assert_eq!(
        Registry::open(dir.path(), clock()).unwrap_err().code(),
        "not_a_database"
    );
    fs::write(&path, vec![0x42u8; 4096]).unwrap();
    assert_eq!(
        Registry::open(dir.path(), clock()).unwrap_err().code(),
        "not_a_database"
    );
    assert_eq!(fs::read(&path).unwrap(), vec![0x42u8; 4096]);
}

#[test]
fn the_sample_registry_is_labelled_and_holds_a_dozen_fictional_items() {
    let dir = tempfile::tempdir().unwrap();
    let reg = Registry::create(dir.path(), RegistryKind::Sample, clock()).unwrap();
    let info = reg.info().unwrap();
    assert_eq!(info.kind, RegistryKind::Sample);
    assert!(info.title.contains("示例"));
    let page = reg
        .item_list(&ItemQuery {
            page_size: Some(100),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 12);
    let cats: std::collections::BTreeSet<_> =
        page.rows.iter().map(|r| r.category.clone()).collect();
    assert_eq!(cats.len(), 10, "every category is represented");
    let batches: std::collections::BTreeSet<_> =
        page.rows.iter().filter_map(|r| r.batch_number).collect();
    assert!(batches.len() >= 5);
    let towns: std::collections::BTreeSet<_> =
        page.rows.iter().map(|r| r.townships.clone()).collect();
    assert!(towns.len() >= 5);
    for row in &page.rows {
        let d = reg.item_get(&row.id).unwrap();
        assert!(
            d.note.as_deref().unwrap().contains("示例"),
            "{} must be labelled",
            d.name
        );
    }
    // The sixth batch stays empty: sample items never pose as the real sixth batch.
    let sixth_batch = reg.batch_get(&sixth(&reg)).unwrap();
    assert_eq!(sixth_batch.entered_count, 0);
    // An extension item shares its parent's code.
    let ext = page.rows.iter().find(|r| r.is_extension).unwrap();
    let parent = page.rows.iter().find(|r| r.name == "柳条编织技艺").unwrap();
    assert_eq!(ext.code, parent.code);
}

#[test]
fn a_reader_sees_what_is_committed_answers_the_long_reads_and_cannot_write() {
    let dir = tempfile::tempdir().unwrap();
    let mut reg = Registry::create(dir.path(), RegistryKind::Sample, clock()).unwrap();
    let mut reader = reg.reader().unwrap();
    let all = ItemQuery::default();
    assert_eq!(reader.item_list(&all).unwrap().total, 12);
    // What the writer commits later is seen by the next read.
    reg.set_actor("王科员").unwrap();
    assert_eq!(reader.info().unwrap().actor, "王科员");
    // The long reads answer as the registry itself does.
    assert_eq!(
        json(&reader.reminders().unwrap()),
        json(&reg.reminders().unwrap())
    );
    let q = feiyi_core::model::StatsQuery::default();
    assert_eq!(
        json(&reader.statistics_page(&q).unwrap()),
        json(&reg.statistics_page(&q).unwrap())
    );
    // Nothing is written through it, and the file is left as it was.
    let before = reg.info().unwrap();
    assert!(reader.set_actor("李四").is_err());
    assert_eq!(reg.info().unwrap().actor, before.actor);
}

/// An answer as JSON, to compare answers (the model types are not all `PartialEq`).
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap()
}

#[test]
fn sample_data_cannot_be_put_into_a_real_registry() {
    let mut reg = crate::support::real();
    let err = feiyi_core::sample::fill(&mut reg).unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert_eq!(reg.info().unwrap().item_count, 0);
}

#[test]
fn settings_are_validated_and_logged() {
    let mut reg = crate::support::real();
    let info = reg.set_code_template("{batch}-{category}-{seq}").unwrap();
    assert_eq!(info.code_template, "{batch}-{category}-{seq}");
    assert_eq!(
        reg.set_code_template("{seq}").unwrap_err().code(),
        "validation"
    );
    let h = reg.history("settings", "code_template").unwrap();
    assert_eq!(h.len(), 1);
    assert_eq!(h[0].new_value.as_deref(), Some("{batch}-{category}-{seq}"));
    assert_eq!(reg.set_actor("  ").unwrap_err().code(), "validation");
    assert_eq!(reg.set_actor("张文").unwrap().actor, "张文");
}

#[test]
fn the_sample_registry_carries_fictional_people_lineage_and_a_unit() {
    let reg = crate::support::sample();
    let people = reg
        .inheritor_list(&feiyi_core::model::InheritorQuery {
            page_size: Some(50),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(people.total, 5);
    for row in &people.rows {
        let d = reg.inheritor_get(&row.id).unwrap();
        assert!(
            d.fields.note.as_deref().unwrap().contains("示例"),
            "{} must be labelled",
            d.fields.name
        );
        assert!(
            d.fields.id_number.is_none(),
            "no identity numbers in sample data"
        );
    }
    let he = people.rows.iter().find(|r| r.name == "何秀英").unwrap();
    assert!(reg
        .inheritor_get(&he.id)
        .unwrap()
        .warnings
        .iter()
        .any(|w| w.contains("2 次不合格")));
    let items = reg
        .item_list(&ItemQuery {
            query: Some("柳条编织技艺".into()),
            ..Default::default()
        })
        .unwrap();
    let parent = items.rows.iter().find(|r| !r.is_extension).unwrap();
    let lineage = reg.lineage_get(&parent.id).unwrap();
    let gens: Vec<(i64, &str)> = lineage
        .table
        .iter()
        .map(|r| (r.generation, r.name.as_str()))
        .collect();
    assert_eq!(
        gens,
        [(1, "柳长青"), (2, "柳春生"), (3, "何秀英"), (4, "周小满")]
    );
    let units = reg.unit_list(&UnitQuery::default()).unwrap().rows;
    assert_eq!(units.len(), 1);
    assert!(units[0].name.contains("虚构"));
    assert_eq!(units[0].last_check, "合格（2025-06-01）");
    assert!(reg.verify_log().unwrap().is_empty());
}

#[test]
fn the_sample_registry_has_a_plan_with_budget_and_spending_and_activities() {
    let reg = crate::support::sample();
    let plans = reg.plan_list(&PlanQuery::default()).unwrap().rows;
    assert_eq!(plans.len(), 1);
    let plan = reg.plan_get(&plans[0].id).unwrap();
    assert_eq!(
        plan.totals.planned_fen,
        2_000_000 + 500_000 + 2_000_000 + 3_000_000
    );
    assert_eq!(plan.totals.spent_fen, 1_200_000 + 650_000);
    assert!(
        plan.warnings.iter().any(|w| w.contains("超支")),
        "the materials line is over-spent: {:?}",
        plan.warnings
    );
    let acts = reg
        .activity_list(&feiyi_core::model::ActivityQuery::default())
        .unwrap();
    assert_eq!(acts.total, 3);
    let tagged: Vec<_> = acts
        .rows
        .iter()
        .filter(|a| a.in_feiyi_month)
        .map(|a| a.title.as_str())
        .collect();
    assert_eq!(tagged, ["柳编技艺腊月展演（示例）"]);
}

#[test]
fn a_registry_of_schema_version_1_is_migrated_and_its_log_still_verifies() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut reg = Registry::create(dir.path(), RegistryKind::Real, clock()).unwrap();
        let mut input = crate::support::item("运河号子", "Ⅱ", None);
        let saved = reg.item_save(input.clone()).unwrap();
        input.id = Some(saved.id);
        input.name = "运河号子（台儿庄）".into();
        reg.item_save(input).unwrap();
    }
    let path = dir.path().join(DB_FILE);
    {
        // Take the file back to version 1: the edit log had no data columns then.
        let c = rusqlite::Connection::open(&path).unwrap();
        crate::support::back_to_version_4(&c);
        c.execute_batch(
            "ALTER TABLE edit_log DROP COLUMN old_data;
             ALTER TABLE edit_log DROP COLUMN new_data;
             ALTER TABLE media DROP COLUMN unread;
             DROP TABLE import_record;
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    let mut reg = Registry::open(dir.path(), clock()).unwrap();
    assert!(reg.verify_log().unwrap().is_empty());
    let id = reg.item_list(&ItemQuery::default()).unwrap().rows[0]
        .id
        .clone();
    let rename = reg
        .history("item", &id)
        .unwrap()
        .into_iter()
        .find(|e| e.field.as_deref() == Some("name"))
        .unwrap();
    reg.history_revert(rename.seq).unwrap();
    assert_eq!(reg.item_get(&id).unwrap().name, "运河号子");
    assert!(reg.verify_log().unwrap().is_empty());
}

//! The scale generator: a synthetic Sample registry that behaves like real data.

use crate::support::clock;
use feiyi_core::model::{ItemQuery, RegistryKind, StatsQuery};
use feiyi_core::synth::{generate_registry, ScaleOptions};
use feiyi_core::Registry;

fn count(reg: &Registry, sql: &str) -> i64 {
    reg.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// A digest of the generated content (timestamps are the fixed clock's).
fn digest(reg: &Registry) -> Vec<String> {
    let mut out = Vec::new();
    for sql in [
        "SELECT group_concat(uid || name || name_initials || category_code || seq || summary, '|') FROM (SELECT * FROM item ORDER BY id)",
        "SELECT group_concat(uid || name || birth_date, '|') FROM (SELECT * FROM inheritor ORDER BY id)",
        "SELECT group_concat(master_id || '>' || apprentice_id || ':' || generation, '|') FROM (SELECT * FROM lineage_edge ORDER BY id)",
        "SELECT group_concat(uid || amount_fen, '|') FROM (SELECT * FROM budget_line ORDER BY id)",
        "SELECT hash FROM edit_log ORDER BY seq DESC LIMIT 1",
    ] {
        out.push(
            reg.connection()
                .query_row(sql, [], |r| r.get::<_, Option<String>>(0))
                .unwrap()
                .unwrap_or_default(),
        );
    }
    out
}

#[test]
fn a_generated_registry_is_a_complete_sample_that_searches_and_counts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("scale");
    let opts = ScaleOptions {
        items: 300,
        seed: 42,
    };
    let r = generate_registry(&dir, &opts, clock()).unwrap();
    assert_eq!(r.items, 300);
    assert!((1200..=1800).contains(&r.inheritors), "{r:?}");
    assert_eq!(r.lineage_edges, r.inheritors - r.items);
    assert!((100..=200).contains(&r.plans), "{r:?}");
    assert!((100..=200).contains(&r.activities), "{r:?}");

    let reg = Registry::open(&dir, clock()).unwrap();
    assert_eq!(reg.kind().unwrap(), RegistryKind::Sample);
    assert_eq!(reg.integrity_check().unwrap(), ["ok"]);
    assert!(reg.verify_log().unwrap().is_empty());
    assert_eq!(count(&reg, "SELECT count(*) FROM item"), 300);
    assert_eq!(
        count(
            &reg,
            "SELECT count(*) FROM category WHERE code NOT IN (SELECT category_code FROM item)"
        ),
        0
    );
    assert_eq!(
        count(&reg, "SELECT count(*) FROM township WHERE code NOT IN (SELECT township_code FROM item_township)"),
        0
    );
    // Uneven like reality: many 传统技艺 (Ⅷ), few 传统医药 (Ⅸ).
    assert!(
        count(&reg, "SELECT count(*) FROM item WHERE category_code = 'Ⅷ'")
            > 3 * count(&reg, "SELECT count(*) FROM item WHERE category_code = 'Ⅸ'")
    );
    assert!(count(&reg, "SELECT count(*) FROM listing WHERE level <> '区级'") > 0);
    assert!(
        count(
            &reg,
            "SELECT count(*) FROM recognition_event WHERE status = '去世'"
        ) > 0
    );
    assert!(count(&reg, "SELECT count(*) FROM expenditure") > 0);
    assert!(count(&reg, "SELECT count(*) FROM evaluation") > 0);
    assert_eq!(
        count(&reg, "SELECT count(*) FROM search_text"),
        count(&reg, "SELECT (SELECT count(*) FROM item) + (SELECT count(*) FROM inheritor) + (SELECT count(*) FROM protection_unit) + (SELECT count(*) FROM activity)")
    );
    assert!(
        count(
            &reg,
            "SELECT min(length(summary)) FROM item WHERE summary IS NOT NULL"
        ) >= 200
    );

    // Media: photos and recordings of items, portraits of inheritors, each linked once and
    // backed by a real stand-in original, so the fixity check passes.
    assert_eq!(count(&reg, "SELECT count(*) FROM media"), r.media as i64);
    assert!(r.media >= 150, "{r:?}");
    assert_eq!(
        count(&reg, "SELECT count(*) FROM media_link"),
        r.media as i64
    );
    for kind in ["照片", "音频"] {
        assert!(
            count(
                &reg,
                &format!("SELECT count(*) FROM media WHERE kind = '{kind}'")
            ) > 0,
            "{kind}"
        );
    }
    assert!(
        count(
            &reg,
            "SELECT count(*) FROM media_link WHERE entity_kind = 'inheritor' AND role = '肖像'"
        ) > 0
    );
    let fixity = reg.media_verify().unwrap();
    assert!(fixity.ok, "{fixity:?}");
    assert_eq!(fixity.checked, r.media as i64);

    // Varied texts: a 6-character run of an item's text is found in few items, while
    // the commonest words are in most.
    let six: String = {
        let summary: String = reg
            .connection()
            .query_row(
                "SELECT summary FROM item WHERE summary IS NOT NULL ORDER BY id LIMIT 1 OFFSET 5",
                [],
                |r| r.get(0),
            )
            .unwrap();
        let han: Vec<char> = summary.chars().collect();
        han.windows(6)
            .filter(|w| w.iter().all(|c| ('\u{4e00}'..='\u{9fff}').contains(c)))
            .map(|w| w.iter().collect())
            .next_back()
            .unwrap()
    };
    let share = |q: &str| {
        reg.item_list(&ItemQuery {
            query: Some(q.into()),
            ..Default::default()
        })
        .unwrap()
        .total
    };
    assert!(share(&six) >= 1);
    assert!(share(&six) < 150, "{six}: {}", share(&six));
    assert!(share("传承") > 150);

    // The register: filters and paging.
    let page = reg
        .item_list(&ItemQuery {
            category: Some("Ⅷ".into()),
            page_size: Some(20),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.rows.len(), 20);
    assert!(page.total > 20);
    assert!(page
        .rows
        .iter()
        .all(|r| r.category == "Ⅷ" && r.name.starts_with("示例项目")));

    // Search: a two-character query, a long one, and pinyin initials of a name.
    let two = reg
        .item_list(&ItemQuery {
            query: Some("花鼓".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(two.total > 0);
    let phrase = reg
        .item_list(&ItemQuery {
            query: Some("保存较为完整".into()),
            ..Default::default()
        })
        .unwrap();
    assert!(phrase.total > 0);
    let first = &page.rows[0].name;
    let (_, initials) = feiyi_core::search::pinyin_keys(first.split('·').nth(1).unwrap());
    let by_initials = reg
        .item_list(&ItemQuery {
            query: Some(initials.clone()),
            ..Default::default()
        })
        .unwrap();
    assert!(
        by_initials.rows.iter().any(|r| &r.name == first),
        "{initials}"
    );
    let groups = reg.search_all("示例·", 5).unwrap();
    assert!(groups
        .iter()
        .any(|g| g.kind == "inheritor" && !g.hits.is_empty()));

    // Statistics work on it.
    let stats = reg.statistics(&StatsQuery { year: Some(2024) }).unwrap();
    assert!(!stats.tables.is_empty());

    // A folder that holds a registry is refused.
    let again = generate_registry(&dir, &opts, clock()).unwrap_err();
    assert_eq!(again.code(), "conflict");
}

#[test]
fn the_same_seed_gives_the_same_registry() {
    let tmp = tempfile::tempdir().unwrap();
    let make = |name: &str, seed: u64| {
        let dir = tmp.path().join(name);
        generate_registry(&dir, &ScaleOptions { items: 40, seed }, clock()).unwrap();
        digest(&Registry::open(&dir, clock()).unwrap())
    };
    let a = make("a", 7);
    assert_eq!(a, make("b", 7));
    assert_ne!(a, make("c", 8));
}

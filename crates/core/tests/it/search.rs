//! Chinese search: substrings of any length, full pinyin and initials, texts.

use crate::support::{item, real};
use feiyi_core::model::{ItemQuery, ItemTexts};

fn register() -> feiyi_core::Registry {
    let mut reg = real();
    let mut a = item("鲁南花鼓", "Ⅲ", None);
    a.texts = ItemTexts {
        summary: Some("流传于台儿庄运河两岸，以花鼓为主要道具的民间舞蹈。".into()),
        ..Default::default()
    };
    reg.item_save(a).unwrap();
    reg.item_save(item("运河号子", "Ⅱ", None)).unwrap();
    reg.item_save(item("柳琴戏", "Ⅳ", None)).unwrap();
    let mut d = item("木偶猴子", "Ⅶ", None);
    d.texts.history = Some("清末已有艺人以木头雕刻猴子玩具。".into());
    reg.item_save(d).unwrap();
    reg
}

fn names(reg: &feiyi_core::Registry, q: &str) -> Vec<String> {
    reg.search(q, 50)
        .unwrap()
        .into_iter()
        .map(|h| h.name)
        .collect()
}

#[test]
fn pinyin_initials_and_full_pinyin_find_names() {
    let reg = register();
    assert_eq!(names(&reg, "lnhg"), ["鲁南花鼓"]);
    assert_eq!(names(&reg, "lunanhuagu"), ["鲁南花鼓"]);
    assert_eq!(names(&reg, "LuNan"), ["鲁南花鼓"]);
    assert_eq!(names(&reg, "huagu"), ["鲁南花鼓"]);
    assert_eq!(reg.search("lnhg", 5).unwrap()[0].matched, "initials");
    assert_eq!(reg.search("lunanhuagu", 5).unwrap()[0].matched, "pinyin");
    assert_eq!(names(&reg, "yhhz"), ["运河号子"]);
}

#[test]
fn one_two_and_three_character_chinese_queries_all_work() {
    let reg = register();
    assert_eq!(
        names(&reg, "鼓"),
        ["鲁南花鼓"],
        "one character: LIKE fallback"
    );
    assert_eq!(
        names(&reg, "柳琴"),
        ["柳琴戏"],
        "two characters: LIKE fallback"
    );
    assert_eq!(
        names(&reg, "柳琴戏"),
        ["柳琴戏"],
        "three characters: trigram index"
    );
    assert_eq!(
        names(&reg, "运河"),
        ["运河号子", "鲁南花鼓"],
        "name matches before text matches"
    );
}

#[test]
fn texts_are_searched_with_a_snippet() {
    let reg = register();
    let hits = reg.search("雕刻猴子", 10).unwrap();
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].matched, "text");
    assert!(hits[0].snippet.contains("雕刻猴子"), "{}", hits[0].snippet);
}

#[test]
fn odd_input_neither_breaks_nor_matches_everything() {
    let reg = register();
    for q in ["\"", "%", "_", "a\"b", "*", "OR", "NEAR(", "'", "花\"鼓"] {
        let hits = reg.search(q, 10).unwrap();
        assert!(hits.len() < 4, "{q} matched {hits:?}");
    }
    assert!(
        reg.search("", 10).unwrap().len() == 4,
        "empty query lists all"
    );
}

#[test]
fn search_combines_with_filters_in_the_register() {
    let reg = register();
    let page = reg
        .item_list(&ItemQuery {
            query: Some("运河".into()),
            category: Some("Ⅱ".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(page.total, 1);
    assert_eq!(page.rows[0].name, "运河号子");
}

/// The uids of live records of `kind` whose indexed name or body contains `q` (ASCII case
/// folded, as LIKE does), or — for Latin-letter queries — whose name's pinyin or initials
/// contain it: what the indexes must answer, computed the slow way.
fn by_scan(reg: &feiyi_core::Registry, kind: &str, q: &str) -> std::collections::BTreeSet<String> {
    let conn = reg.connection();
    let mut stmt = conn
        .prepare("SELECT uid, name, body FROM search_text WHERE kind = ?1")
        .unwrap();
    let rows: Vec<(String, String, String)> = stmt
        .query_map([kind], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let ql = q.trim().to_ascii_lowercase();
    let pinyin = feiyi_core::search::classify(q);
    rows.into_iter()
        .filter(|(_, name, body)| {
            let hit =
                name.to_ascii_lowercase().contains(&ql) || body.to_ascii_lowercase().contains(&ql);
            let key = match &pinyin {
                feiyi_core::search::QueryKind::Pinyin(norm) => {
                    let (full, initials) = feiyi_core::search::pinyin_keys(name);
                    full.contains(norm.as_str()) || initials.contains(norm.as_str())
                }
                _ => false,
            };
            hit || key
        })
        .map(|(uid, ..)| uid)
        .collect()
}

/// What the register's search finds for `kind` (all pages).
fn by_index(reg: &feiyi_core::Registry, kind: &str, q: &str) -> std::collections::BTreeSet<String> {
    use feiyi_core::model::{ActivityQuery, InheritorQuery, UnitQuery};
    match kind {
        "item" => reg
            .item_list(&ItemQuery {
                query: Some(q.into()),
                page_size: Some(500),
                ..Default::default()
            })
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.id)
            .collect(),
        "inheritor" => reg
            .inheritor_list(&InheritorQuery {
                query: Some(q.into()),
                page_size: Some(500),
                ..Default::default()
            })
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.id)
            .collect(),
        "unit" => reg
            .unit_list(&UnitQuery {
                query: Some(q.into()),
                page_size: Some(500),
                ..Default::default()
            })
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.id)
            .collect(),
        _ => reg
            .activity_list(&ActivityQuery {
                query: Some(q.into()),
                page_size: Some(500),
                ..Default::default()
            })
            .unwrap()
            .rows
            .into_iter()
            .map(|r| r.id)
            .collect(),
    }
}

/// Substrings of every record's indexed name and body (joined by a line break): `lens`
/// characters from each offset `starts` gives for a text of that many characters; those with
/// whitespace at either end or nothing else are left out.
fn windows(
    reg: &feiyi_core::Registry,
    lens: &[usize],
    starts: impl Fn(usize) -> Vec<usize>,
) -> std::collections::BTreeSet<String> {
    let texts: Vec<String> = reg
        .connection()
        .prepare("SELECT name || '\n' || body FROM search_text")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut out = std::collections::BTreeSet::new();
    for t in &texts {
        let chars: Vec<char> = t.chars().collect();
        for start in starts(chars.len()) {
            for &len in lens {
                if start + len <= chars.len() {
                    let q: String = chars[start..start + len].iter().collect();
                    if !q.trim().is_empty() && q.trim() == q {
                        out.insert(q);
                    }
                }
            }
        }
    }
    out
}

#[test]
fn the_indexes_answer_exactly_what_a_scan_of_every_text_finds() {
    let reg = crate::support::sample();
    // Queries drawn from the sample's own texts: every 1-, 2-, 3- and 6-character window at
    // a few offsets of each record's name and body, plus Latin and odd ones.
    let mut queries = windows(&reg, &[1, 2, 3, 6], |n| {
        vec![0, 1, 5, n / 2, n.saturating_sub(3)]
    });
    for q in [
        "lt", "l", "lzb", "liutiao", "HDW", "Ⅷ", "1", "20", "a", "甑", "（", "示例",
    ] {
        queries.insert(q.into());
    }
    assert!(queries.len() > 100, "{}", queries.len());
    let mut checked = 0;
    for q in &queries {
        for kind in ["item", "inheritor", "unit", "activity"] {
            let want = by_scan(&reg, kind, q);
            let got = by_index(&reg, kind, q);
            assert_eq!(got, want, "{kind} {q:?}");
            checked += usize::from(!want.is_empty());
        }
    }
    assert!(checked > 100, "most queries find something: {checked}");
}

/// The ids a search finds when the index read stops at once (cap 0): every record is then
/// checked row by row, as the register checks those past [`COUNT_CAP`] matches.
fn past_the_cap(reg: &feiyi_core::Registry, kind: &str, q: &str) -> Vec<i64> {
    let conn = reg.connection();
    let table = match kind {
        "unit" => "protection_unit",
        other => other,
    };
    let m = feiyi_core::db::search::matches(conn, kind, q, 0)
        .unwrap()
        .unwrap();
    let (cond, vals) = m.condition("t");
    conn.prepare(&format!(
        "SELECT t.id FROM {table} t WHERE {cond} ORDER BY t.id"
    ))
    .unwrap()
    .query_map(rusqlite::params_from_iter(vals.iter()), |r| r.get(0))
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn the_row_by_row_check_past_the_cap_finds_what_the_index_finds() {
    let reg = crate::support::sample();
    let conn = reg.connection();
    let mut queries = windows(&reg, &[3, 6], |n| vec![0, 5, n / 2]);
    for q in ["liutiao", "lzb", "HDW", "hua gu", "示例项"] {
        queries.insert(q.into());
    }
    let mut checked = 0;
    for q in &queries {
        for kind in ["item", "inheritor", "unit", "activity"] {
            let want = feiyi_core::db::search::matching_ids(conn, kind, q)
                .unwrap()
                .unwrap();
            assert_eq!(past_the_cap(&reg, kind, q), want, "{kind} {q:?}");
            checked += usize::from(!want.is_empty());
        }
    }
    assert!(checked > 50, "most queries find something: {checked}");
}

#[test]
fn the_row_by_row_check_folds_case_as_the_index_does() {
    let mut reg = real();
    let mut a = item("Ⅷ-3 ABC剪纸", "Ⅷ", None);
    a.texts.summary = Some("Straße École ΣΟΦΙΑ；Ⅻ号".into());
    reg.item_save(a).unwrap();
    reg.item_save(item("abc剪纸", "Ⅷ", None)).unwrap();
    reg.item_save(item("无关项目", "Ⅲ", None)).unwrap();
    let conn = reg.connection();
    let mut found = 0;
    for q in [
        "abc",
        "ABC",
        "Abc剪",
        "ⅷ-3",
        "Ⅷ-3",
        "straße",
        "STRASSE",
        "école",
        "ÉCOLE",
        "σοφια",
        "ⅻ号",
        "无关项",
    ] {
        let want = feiyi_core::db::search::matching_ids(conn, "item", q)
            .unwrap()
            .unwrap();
        assert_eq!(past_the_cap(&reg, "item", q), want, "{q:?}");
        found += usize::from(!want.is_empty());
    }
    assert!(found >= 8, "{found}");
}

#[test]
fn a_registry_indexed_by_an_older_build_is_reindexed_on_open() {
    let dir = tempfile::tempdir().unwrap();
    {
        let mut reg = feiyi_core::Registry::create(
            dir.path(),
            feiyi_core::model::RegistryKind::Real,
            crate::support::clock(),
        )
        .unwrap();
        let mut a = item("鲁南花鼓", "Ⅲ", None);
        a.texts.summary = Some("以花鼓为主要道具。".into());
        reg.item_save(a).unwrap();
        let gone = reg.item_save(item("运河花船", "Ⅲ", None)).unwrap();
        reg.item_delete(&gone.id, "重复录入").unwrap();
        crate::support::back_to_version_4(reg.connection());
    }
    let reg = feiyi_core::Registry::open(dir.path(), crate::support::clock()).unwrap();
    assert_eq!(reg.info().unwrap().schema_version, 9);
    // The rebuilt tables keep the larger write buffer of migration 0009.
    for table in ["search_text_config", "search_gram_config"] {
        let hash: i64 = reg
            .connection()
            .query_row(
                &format!("SELECT v FROM {table} WHERE k = 'hashsize'"),
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(hash, 8 * 1024 * 1024, "{table}");
    }
    for q in [
        "花",
        "花鼓",
        "鲁南花",
        "主要道具",
        "lnhg",
        "ln",
        "l",
        "lunan",
    ] {
        assert_eq!(names(&reg, q), vec!["鲁南花鼓".to_string()], "{q}");
    }
    assert!(names(&reg, "花船").is_empty(), "the deleted item stays out");
    let pending: i64 = reg
        .connection()
        .query_row(
            "SELECT count(*) FROM meta WHERE key = 'search_rebuild'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(pending, 0, "rebuilt once");
}

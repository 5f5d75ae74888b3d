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

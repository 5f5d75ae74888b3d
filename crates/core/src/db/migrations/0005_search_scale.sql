-- Search and the register at a province's scale (issue 8).
--
-- 1. The trigram table is rebuilt with rowids that name the record: (kind code << 40) + the
--    record's own rowid (item 1, inheritor 2, protection unit 3, activity 4). A query reads
--    only the index's doclists (no content-row lookups), and one kind is one rowid range.
--    A third column, `keys`, holds the name's full pinyin and initials, so pinyin queries of
--    three or more letters use the trigram index too.
-- 2. `search_gram` indexes every one- and two-character substring (names, texts and pinyin
--    keys) as ASCII tokens (see `crate::search::gram_tokens`), so queries too short for
--    trigrams no longer scan every text. Contentless, no positions: only doclists.
-- 3. Partial indexes over live records in the orders the lists show, so a page is read in
--    order and a count never touches the wide rows (whose `deleted_at` sits after the texts).
--
-- The two search tables start empty: opening the registry rebuilds them from the records
-- (meta `search_rebuild`), in Rust, where the texts are assembled.

DROP TABLE search_text;
CREATE VIRTUAL TABLE search_text USING fts5(
    kind UNINDEXED,
    uid UNINDEXED,
    name,
    body,
    keys,
    tokenize = 'trigram'
);
CREATE VIRTUAL TABLE search_gram USING fts5(
    grams,
    content = '',
    contentless_delete = 1,
    detail = none,
    tokenize = 'ascii'
);
INSERT INTO meta(key, value) VALUES ('search_rebuild', '1')
    ON CONFLICT(key) DO UPDATE SET value = excluded.value;

CREATE INDEX item_live_code_order ON item(category_code, seq, parent_id IS NOT NULL, id)
    WHERE deleted_at IS NULL;
CREATE INDEX item_live_pinyin ON item(name_pinyin, id) WHERE deleted_at IS NULL;
CREATE INDEX item_live_updated ON item(updated_at, id) WHERE deleted_at IS NULL;
CREATE INDEX inheritor_live_pinyin ON inheritor(name_pinyin, id) WHERE deleted_at IS NULL;

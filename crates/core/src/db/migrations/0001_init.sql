-- Feiyi registry schema, version 1: the whole domain.
-- Append-only: never edit this file once released; add 0002_*.sql instead.
-- Dates are ISO 'YYYY-MM-DD' text, timestamps RFC 3339 UTC text written by Rust,
-- money is integer fen (分). Every record has an integer rowid key and a stable
-- text id (`uid`, UUIDv7) that survives exchange between machines.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- Reference data ------------------------------------------------------------

CREATE TABLE category (
    code         TEXT PRIMARY KEY,               -- 'Ⅰ' … 'Ⅹ'
    ord          INTEGER NOT NULL UNIQUE CHECK (ord BETWEEN 1 AND 10),
    name         TEXT NOT NULL,
    legacy_names TEXT NOT NULL DEFAULT '[]'       -- JSON array of older names
) STRICT;

CREATE TABLE township (
    code   TEXT PRIMARY KEY,
    name   TEXT NOT NULL UNIQUE,
    kind   TEXT NOT NULL CHECK (kind IN ('街道', '镇', '乡', '开发区')),
    ord    INTEGER NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

-- Media (the store itself is files under media/originals) -----------------

CREATE TABLE media (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    sha256         TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64),
    ext            TEXT NOT NULL,
    kind           TEXT NOT NULL CHECK (kind IN ('照片', '视频', '音频', '文档')),
    original_name  TEXT NOT NULL,
    size_bytes     INTEGER NOT NULL CHECK (size_bytes > 0),
    mime           TEXT,
    imported_at    TEXT NOT NULL,
    width          INTEGER,
    height         INTEGER,
    duration_ms    INTEGER,
    frame_rate     REAL,
    codec          TEXT,
    bit_rate       INTEGER,
    sample_rate    INTEGER,
    channels       INTEGER,
    page_count     INTEGER,
    captured_at    TEXT,
    camera         TEXT,
    gps_lat        REAL,
    gps_lon        REAL,
    title          TEXT,
    caption        TEXT,
    caption_time   TEXT,
    caption_place  TEXT,
    caption_people TEXT,
    caption_event  TEXT,
    creator        TEXT,
    creator_role   TEXT,
    provider       TEXT,
    holder         TEXT,
    capture_date   TEXT,
    capture_place  TEXT,
    rights         TEXT,
    consent        TEXT,
    confidential   INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
    cataloguer     TEXT,
    catalogued_at  TEXT,
    reviewer       TEXT,
    reviewed_at    TEXT,
    import_id      TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    deleted_reason TEXT
) STRICT;

-- Links a media file to any record by the record's stable id, with a role and an order.
CREATE TABLE media_link (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    media_id    INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    entity_kind TEXT NOT NULL CHECK (entity_kind IN
                  ('item', 'batch', 'supplement', 'inheritor', 'recognition', 'activity',
                   'unit', 'unit_check', 'plan', 'expenditure', 'evaluation')),
    entity_uid  TEXT NOT NULL,
    role        TEXT NOT NULL,          -- 照片, 视频, 录音, 扫描件, 肖像, 授权书, 知情同意书, 获奖证书, 决定扫描件 …
    ord         INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL,
    UNIQUE (media_id, entity_kind, entity_uid, role)
) STRICT;
CREATE INDEX media_link_entity ON media_link(entity_kind, entity_uid, role, ord);

-- Batches of the district list -------------------------------------------

CREATE TABLE batch (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,
    number            INTEGER NOT NULL CHECK (number > 0),
    title             TEXT,
    doc_number        TEXT,
    determined_on     TEXT,
    approved_on       TEXT,
    published_on      TEXT,
    notice_start      TEXT,
    notice_end        TEXT,
    determined_by     TEXT,
    approved_by       TEXT,
    declared_count    INTEGER CHECK (declared_count IS NULL OR declared_count >= 0),
    decision_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    note              TEXT,
    import_id         TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    deleted_at        TEXT,
    deleted_reason    TEXT
) STRICT;
CREATE UNIQUE INDEX batch_live_number ON batch(number) WHERE deleted_at IS NULL;

CREATE TABLE batch_supplement (
    id                INTEGER PRIMARY KEY,
    uid               TEXT NOT NULL UNIQUE,
    batch_id          INTEGER NOT NULL REFERENCES batch(id) ON DELETE CASCADE,
    doc_number        TEXT,
    decided_on        TEXT,
    declared_count    INTEGER CHECK (declared_count IS NULL OR declared_count >= 0),
    decision_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    note              TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;

-- Protection units -------------------------------------------------------

CREATE TABLE protection_unit (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    name_pinyin    TEXT NOT NULL DEFAULT '',
    name_initials  TEXT NOT NULL DEFAULT '',
    credit_code    TEXT CHECK (credit_code IS NULL OR length(credit_code) = 18),
    unit_type      TEXT,
    legal_rep      TEXT,
    contact_person TEXT,
    phone          TEXT,
    address        TEXT,
    conditions     TEXT NOT NULL DEFAULT '{}',   -- JSON checklist: staff, inheritor, materials, places …
    note           TEXT,
    import_id      TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    deleted_reason TEXT
) STRICT;

CREATE TABLE unit_check (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    unit_id    INTEGER NOT NULL REFERENCES protection_unit(id) ON DELETE CASCADE,
    checked_on TEXT NOT NULL,
    result     TEXT NOT NULL CHECK (result IN ('合格', '限期整改', '取消')),
    findings   TEXT,
    deadline   TEXT,
    checker    TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

-- Items --------------------------------------------------------------------

CREATE TABLE item (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_pinyin     TEXT NOT NULL DEFAULT '',
    name_initials   TEXT NOT NULL DEFAULT '',
    category_code   TEXT NOT NULL REFERENCES category(code) ON DELETE RESTRICT,
    seq             INTEGER NOT NULL CHECK (seq > 0),
    batch_id        INTEGER REFERENCES batch(id) ON DELETE RESTRICT,
    supplement_id   INTEGER REFERENCES batch_supplement(id) ON DELETE SET NULL,
    parent_id       INTEGER REFERENCES item(id) ON DELETE RESTRICT,
    status          TEXT NOT NULL DEFAULT '在册' CHECK (status IN ('在册', '撤销', '合并')),
    endangered      INTEGER NOT NULL DEFAULT 0 CHECK (endangered IN (0, 1)),
    confidential    INTEGER NOT NULL DEFAULT 0 CHECK (confidential IN (0, 1)),
    applicant       TEXT,
    distribution    TEXT,
    summary         TEXT,
    geography       TEXT,
    history         TEXT,
    content         TEXT,
    artifacts       TEXT,
    lineage_text    TEXT,
    features        TEXT,
    value           TEXT,
    viability       TEXT,
    argumentation   TEXT,
    management      TEXT,
    protection_done TEXT,
    mechanism       TEXT,
    note            TEXT,
    import_id       TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT,
    deleted_reason  TEXT,
    CHECK (parent_id IS NULL OR parent_id <> id)
) STRICT;
-- Extension items share their parent's code, so (category, seq) is unique among live top-level items.
CREATE UNIQUE INDEX item_live_code ON item(category_code, seq)
    WHERE deleted_at IS NULL AND parent_id IS NULL;
CREATE INDEX item_batch ON item(batch_id);
CREATE INDEX item_parent ON item(parent_id);
CREATE INDEX item_pinyin ON item(name_pinyin);
CREATE INDEX item_initials ON item(name_initials);

CREATE TABLE item_township (
    item_id       INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
    township_code TEXT NOT NULL REFERENCES township(code) ON DELETE RESTRICT,
    villages      TEXT,
    PRIMARY KEY (item_id, township_code)
) STRICT;
CREATE INDEX item_township_code ON item_township(township_code);

-- Level history: 区级 → 市级 → 省级 → 国家级, each with its decision.
CREATE TABLE listing (
    id          INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    item_id     INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
    level       TEXT NOT NULL CHECK (level IN ('区级', '市级', '省级', '国家级')),
    level_rank  INTEGER NOT NULL CHECK (level_rank BETWEEN 1 AND 4),
    listed_on   TEXT,
    doc_number  TEXT,
    batch_label TEXT,
    code        TEXT,
    note        TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX listing_item ON listing(item_id, level_rank);

CREATE TABLE unit_item (
    unit_id INTEGER NOT NULL REFERENCES protection_unit(id) ON DELETE CASCADE,
    item_id INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
    since   TEXT,
    until   TEXT,
    PRIMARY KEY (unit_id, item_id)
) STRICT;
CREATE INDEX unit_item_item ON unit_item(item_id);

-- Inheritors (every person of a lineage; representative ones have recognitions) ---

CREATE TABLE inheritor (
    id                  INTEGER PRIMARY KEY,
    uid                 TEXT NOT NULL UNIQUE,
    name                TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_pinyin         TEXT NOT NULL DEFAULT '',
    name_initials       TEXT NOT NULL DEFAULT '',
    sex                 TEXT CHECK (sex IS NULL OR sex IN ('男', '女')),
    ethnicity           TEXT,
    birth_date          TEXT,          -- 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'
    death_date          TEXT,
    id_number           TEXT CHECK (id_number IS NULL OR length(id_number) = 18),
    education           TEXT,
    employer            TEXT,
    occupation          TEXT,
    practice_since      INTEGER,
    phone               TEXT,
    address             TEXT,
    resume              TEXT,
    skills_achievements TEXT,
    teaching            TEXT,
    holdings            TEXT,
    awards              TEXT,
    declaration_signed  INTEGER NOT NULL DEFAULT 0 CHECK (declaration_signed IN (0, 1)),
    note                TEXT,
    import_id           TEXT,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL,
    deleted_at          TEXT,
    deleted_reason      TEXT
) STRICT;
CREATE INDEX inheritor_pinyin ON inheritor(name_pinyin);

-- A recognition as representative inheritor of an item at a level.
CREATE TABLE recognition (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    inheritor_id   INTEGER NOT NULL REFERENCES inheritor(id) ON DELETE CASCADE,
    item_id        INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
    level          TEXT NOT NULL CHECK (level IN ('区级', '市级', '省级', '国家级')),
    batch_id       INTEGER REFERENCES batch(id) ON DELETE SET NULL,
    batch_label    TEXT,
    doc_number     TEXT,
    recognized_on  TEXT,
    note           TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    deleted_reason TEXT,
    UNIQUE (inheritor_id, item_id, level)
) STRICT;

-- Status changes of a recognition are dated events, never overwrites.
CREATE TABLE recognition_event (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    recognition_id INTEGER NOT NULL REFERENCES recognition(id) ON DELETE CASCADE,
    status         TEXT NOT NULL CHECK (status IN ('在册', '丧失传承能力', '取消资格', '去世')),
    occurred_on    TEXT NOT NULL,
    ground         TEXT,
    doc_number     TEXT,
    note           TEXT,
    created_at     TEXT NOT NULL
) STRICT;
CREATE INDEX recognition_event_rec ON recognition_event(recognition_id, occurred_on);

-- Lineage: who taught whom, per item.
CREATE TABLE lineage_edge (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    item_id      INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
    master_id    INTEGER NOT NULL REFERENCES inheritor(id) ON DELETE CASCADE,
    apprentice_id INTEGER NOT NULL REFERENCES inheritor(id) ON DELETE CASCADE,
    kind         TEXT NOT NULL CHECK (kind IN ('师徒', '家族')),
    generation   INTEGER CHECK (generation IS NULL OR generation > 0),  -- the apprentice's generation
    from_year    INTEGER,
    to_year      INTEGER,
    evidence     TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK (master_id <> apprentice_id),
    UNIQUE (item_id, master_id, apprentice_id)
) STRICT;

CREATE TABLE training_plan (
    id           INTEGER PRIMARY KEY,
    uid          TEXT NOT NULL UNIQUE,
    inheritor_id INTEGER NOT NULL REFERENCES inheritor(id) ON DELETE CASCADE,
    item_id      INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
    year         INTEGER NOT NULL,
    content      TEXT,
    targets      TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (inheritor_id, item_id, year)
) STRICT;

CREATE TABLE evaluation (
    id              INTEGER PRIMARY KEY,
    uid             TEXT NOT NULL UNIQUE,
    inheritor_id    INTEGER NOT NULL REFERENCES inheritor(id) ON DELETE CASCADE,
    item_id         INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
    year            INTEGER NOT NULL,
    grade           TEXT NOT NULL CHECK (grade IN ('优秀', '合格', '不合格', '丧失传承能力')),
    self_assessment TEXT,
    evidence        TEXT,
    reviewer        TEXT,
    reviewed_on     TEXT,
    note            TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (inheritor_id, item_id, year)
) STRICT;

CREATE TABLE subsidy (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    inheritor_id   INTEGER NOT NULL REFERENCES inheritor(id) ON DELETE CASCADE,
    item_id        INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
    year           INTEGER NOT NULL,
    received_fen   INTEGER NOT NULL DEFAULT 0 CHECK (received_fen >= 0),
    used_fen       INTEGER NOT NULL DEFAULT 0 CHECK (used_fen >= 0),
    note           TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (inheritor_id, item_id, year)
) STRICT;

-- Protection work ------------------------------------------------------------

CREATE TABLE protection_plan (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    item_id        INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
    unit_id        INTEGER REFERENCES protection_unit(id) ON DELETE SET NULL,
    title          TEXT NOT NULL,
    start_year     INTEGER NOT NULL,
    end_year       INTEGER NOT NULL,
    goals          TEXT,
    measures       TEXT,
    mechanism      TEXT,
    budget_basis   TEXT,           -- 经费预算依据说明
    note           TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    deleted_reason TEXT,
    CHECK (end_year >= start_year)
) STRICT;

CREATE TABLE plan_year (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    plan_id    INTEGER NOT NULL REFERENCES protection_plan(id) ON DELETE CASCADE,
    year       INTEGER NOT NULL,
    targets    TEXT,
    measures   TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (plan_id, year)
) STRICT;

CREATE TABLE budget_line (
    id            INTEGER PRIMARY KEY,
    uid           TEXT NOT NULL UNIQUE,
    plan_id       INTEGER NOT NULL REFERENCES protection_plan(id) ON DELETE CASCADE,
    year          INTEGER NOT NULL,
    purpose       TEXT NOT NULL,
    source        TEXT NOT NULL CHECK (source IN ('区级财政', '配套', '自筹', '其他')),
    amount_fen    INTEGER NOT NULL CHECK (amount_fen >= 0),
    justification TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
) STRICT;
CREATE INDEX budget_line_plan ON budget_line(plan_id, year);

CREATE TABLE expenditure (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    budget_line_id INTEGER NOT NULL REFERENCES budget_line(id) ON DELETE RESTRICT,
    spent_on       TEXT NOT NULL,
    amount_fen     INTEGER NOT NULL CHECK (amount_fen > 0),
    payee          TEXT,
    voucher        TEXT,
    note           TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    deleted_reason TEXT
) STRICT;

CREATE TABLE activity (
    id             INTEGER PRIMARY KEY,
    uid            TEXT NOT NULL UNIQUE,
    kind           TEXT NOT NULL CHECK (kind IN
                     ('传承活动', '展演', '培训', '进校园', '展览', '非遗月', '调查', '其他')),
    title          TEXT NOT NULL,
    title_pinyin   TEXT NOT NULL DEFAULT '',
    title_initials TEXT NOT NULL DEFAULT '',
    started_on     TEXT NOT NULL,
    ended_on       TEXT,
    place          TEXT,
    organizer      TEXT,
    participants   INTEGER CHECK (participants IS NULL OR participants >= 0),
    description    TEXT,
    note           TEXT,
    import_id      TEXT,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    deleted_at     TEXT,
    deleted_reason TEXT
) STRICT;

CREATE TABLE activity_item (
    activity_id INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
    item_id     INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, item_id)
) STRICT;

CREATE TABLE activity_inheritor (
    activity_id  INTEGER NOT NULL REFERENCES activity(id) ON DELETE CASCADE,
    inheritor_id INTEGER NOT NULL REFERENCES inheritor(id) ON DELETE CASCADE,
    PRIMARY KEY (activity_id, inheritor_id)
) STRICT;

-- Work records: imports, reminders ------------------------------------------

CREATE TABLE import_run (
    id         INTEGER PRIMARY KEY,
    uid        TEXT NOT NULL UNIQUE,
    source     TEXT NOT NULL,
    kind       TEXT NOT NULL,             -- 'list', 'exchange', 'media'
    started_at TEXT NOT NULL,
    actor      TEXT NOT NULL,
    summary    TEXT NOT NULL DEFAULT '{}',
    undone_at  TEXT
) STRICT;

CREATE TABLE reminder_state (
    key            TEXT PRIMARY KEY,      -- rule + record, e.g. 'evaluation_due:<uid>:2026'
    snoozed_until  TEXT,
    dismissed_at   TEXT,
    reason         TEXT,
    updated_at     TEXT NOT NULL
) STRICT;

-- Edit log: every change, hash-chained so that tampering is evident ----------

CREATE TABLE edit_log (
    seq         INTEGER PRIMARY KEY,
    uid         TEXT NOT NULL UNIQUE,
    at          TEXT NOT NULL,
    actor       TEXT NOT NULL,
    entity_kind TEXT NOT NULL,
    entity_uid  TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN
                  ('create', 'update', 'delete', 'restore', 'revert', 'purge', 'override')),
    field       TEXT,
    old_value   TEXT,
    new_value   TEXT,
    reason      TEXT,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX edit_log_entity ON edit_log(entity_kind, entity_uid, seq);

-- Search: one FTS5 table over every kind of record, trigram-tokenised so that
-- Chinese substrings of three or more characters are indexed. Shorter queries
-- fall back to LIKE over the same rows (trigram cannot index them).
CREATE VIRTUAL TABLE search_text USING fts5(
    kind UNINDEXED,
    uid UNINDEXED,
    name,
    body,
    tokenize = 'trigram'
);

-- What each import created or changed, so that the whole import can be undone in one step.
-- `import_run` (0001) is the import itself; one row here per record it touched:
-- 'create' for a record it made (undo moves it to the recycle bin), 'link' for an existing
-- record it linked to a created one (a protection unit; the link goes with the item).
CREATE TABLE import_record (
    id          INTEGER PRIMARY KEY,
    import_id   INTEGER NOT NULL REFERENCES import_run(id) ON DELETE CASCADE,
    entity_kind TEXT NOT NULL,
    entity_uid  TEXT NOT NULL,
    action      TEXT NOT NULL CHECK (action IN ('create', 'link')),
    sheet_row   INTEGER,
    UNIQUE (import_id, entity_kind, entity_uid, action)
) STRICT;
CREATE INDEX import_record_entity ON import_record(entity_kind, entity_uid);

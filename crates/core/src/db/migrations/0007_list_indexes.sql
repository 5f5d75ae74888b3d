-- The other lists at a province's scale (issue 8), measured at 100,000 items:
-- - the batch page's entered-item counts took 0.64 s: now from `item_live_batch`;
-- - the recycle bin took 57 s for an empty bin (every table's `deleted_at` read through its
--   rows): now from `*_deleted` indexes over deleted rows only;
-- - the unit and plan pages count and order from live indexes, and an item's plans are
--   found by `plan_item`.

CREATE INDEX item_live_batch ON item(batch_id) WHERE deleted_at IS NULL;
CREATE INDEX item_deleted ON item(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX inheritor_deleted ON inheritor(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX unit_deleted ON protection_unit(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX plan_deleted ON protection_plan(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX activity_deleted ON activity(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX media_deleted ON media(deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX unit_live_pinyin ON protection_unit(name_pinyin, id) WHERE deleted_at IS NULL;
CREATE INDEX plan_live_year ON protection_plan(start_year, item_id, id) WHERE deleted_at IS NULL;
CREATE INDEX plan_item ON protection_plan(item_id);

-- Child rows looked up by their parent without an index (issue 8), found at 100,000 items:
-- - a plan's spending (the plan list's and the plan page's sums) built a temporary index over
--   all 150,000 expenditures on every query: now `expenditure_line`, which also spares the
--   foreign-key check when a budget line is removed;
-- - a unit's checks (its page and the latest check the reminders read), an item's and a
--   person's activities were found by reading the whole link table.

CREATE INDEX expenditure_line ON expenditure(budget_line_id, deleted_at, amount_fen);
CREATE INDEX unit_check_unit ON unit_check(unit_id, checked_on);
CREATE INDEX activity_item_item ON activity_item(item_id);
CREATE INDEX activity_inheritor_person ON activity_inheritor(inheritor_id);

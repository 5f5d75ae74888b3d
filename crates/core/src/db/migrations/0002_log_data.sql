-- The edit log keeps, beside the readable old and new values, the machine form of a
-- composite field (a list of townships, an item's list history, a plan's budget, the
-- records an activity names …) so that a change to it can be reverted exactly.
-- Rows written before this migration have NULL here; their composite changes stay
-- readable but cannot be reverted.
ALTER TABLE edit_log ADD COLUMN old_data TEXT;
ALTER TABLE edit_log ADD COLUMN new_data TEXT;

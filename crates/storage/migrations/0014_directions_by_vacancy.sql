-- A parent who refused a direction to a place is not offered that place again: the allocation
-- asks, per candidate, whether the child refused a direction for the vacancy.
CREATE INDEX directions_by_vacancy ON directions (vacancy_id, child_id);

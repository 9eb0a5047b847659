-- The queue and directions: what orders the queue, the rules per region as dated versions, the
-- working-day calendar, directions (offers of a place) and the public hash-chained protocol.

-- The queue's order reads these columns alone, so a page of the queue is one index range.
-- `category` is the verified privilege tier (an unverified claim counts as general);
-- `queue_at` is `registered_at` unless the region's rules send a child to the end of the queue
-- after a refused or expired direction (`registered_at` itself is never overwritten).
ALTER TABLE applications ADD COLUMN birth_year BIGINT;
ALTER TABLE applications ADD COLUMN category TEXT NOT NULL DEFAULT 'general';
ALTER TABLE applications ADD COLUMN queue_at BIGINT;
ALTER TABLE applications ADD COLUMN stop_until BIGINT;

UPDATE applications SET
    birth_year = (SELECT CAST(substr(c.birth_date, 1, 4) AS BIGINT) FROM children c WHERE c.id = applications.child_id),
    queue_at = registered_at;
UPDATE applications SET category = COALESCE(
    (SELECT r.attribute FROM reference_items r
     WHERE r.kind = 'privilege_category' AND r.code = applications.privilege_category), 'general')
WHERE privilege_verification = 'approved';

CREATE INDEX applications_locality_queue ON applications (kato, kind, birth_year, category, queue_at, id);
CREATE INDEX application_preferences_by_organization ON application_preferences (organization_id, application_id);

-- Rules per region, as versions: the one in force is the latest whose `effective_from` has come.
CREATE TABLE region_rule_versions (
    id {{id}},
    region_code TEXT NOT NULL,                 -- 2-digit KATO prefix
    effective_from TEXT NOT NULL,              -- YYYY-MM-DD
    max_preferred_orgs BIGINT NOT NULL,
    precedence TEXT NOT NULL,                  -- e.g. extraordinary,first_priority,general
    interleave_first_priority BIGINT NOT NULL, -- 1 privileged …
    interleave_general BIGINT NOT NULL,        -- … for 3 general; 0 = strict precedence
    accept_working_days BIGINT NOT NULL,       -- to accept a direction
    enroll_working_days BIGINT NOT NULL,       -- to bring it to the organization after accepting
    extension_max_days BIGINT NOT NULL,        -- one extension, calendar days
    stop_list_days BIGINT NOT NULL,            -- after an expired or refused direction
    after_stop_list TEXT NOT NULL,             -- keep (original place) | end (end of the queue)
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id),
    UNIQUE (region_code, effective_from)
);
INSERT INTO region_rule_versions (region_code, effective_from, max_preferred_orgs, precedence,
    interleave_first_priority, interleave_general, accept_working_days, enroll_working_days,
    extension_max_days, stop_list_days, after_stop_list, created_at, created_by)
SELECT region_code, '2000-01-01', max_preferred_orgs, 'extraordinary,first_priority,general',
    1, 3, 3, 5, 30, 10, 'keep', updated_at, updated_by
FROM region_rules;
DROP TABLE region_rules;

-- Exceptions to the statutory calendar (computed in code): a government decree moving a day off
-- or an extra holiday.
CREATE TABLE calendar_days (
    day TEXT PRIMARY KEY,                      -- YYYY-MM-DD
    kind TEXT NOT NULL,                        -- day_off | working_day
    note TEXT,
    created_at BIGINT NOT NULL,
    created_by BIGINT REFERENCES users (id)
);

-- A direction: one free place (vacancy) offered to one application. The two *_open columns are
-- set only while the direction is open, so UNIQUE makes "one open direction per place" and "one
-- open direction per child" hold whatever runs concurrently.
CREATE TABLE directions (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES applications (id),
    child_id BIGINT NOT NULL REFERENCES children (id),
    vacancy_id BIGINT NOT NULL REFERENCES vacancies (id),
    group_id BIGINT NOT NULL REFERENCES org_groups (id),
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    region_code TEXT NOT NULL,
    status TEXT NOT NULL,                      -- issued | accepted | enrolled | refused | expired | returned
    open_vacancy BIGINT UNIQUE,
    open_child BIGINT UNIQUE,
    position_at_issue BIGINT NOT NULL,         -- 1-based, in the organization's queue
    category_at_issue TEXT NOT NULL,
    issued_at BIGINT NOT NULL,
    accept_by BIGINT NOT NULL,
    accepted_at BIGINT,
    enroll_by BIGINT,
    extended_at BIGINT,
    closed_at BIGINT,
    closed_by BIGINT REFERENCES users (id),
    close_reason TEXT
);
CREATE INDEX directions_by_application ON directions (application_id);
CREATE INDEX directions_by_organization ON directions (organization_id, status);
CREATE INDEX directions_by_status ON directions (status, accept_by);

-- The public protocol: every issued, accepted, refused, returned, expired and enrolled direction,
-- one chain per region, each entry carrying the hash of the previous one. The head row is taken
-- first by every transaction that changes a direction, which also serializes them per region.
CREATE TABLE protocol_heads (
    region_code TEXT PRIMARY KEY,
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO protocol_heads (region_code, seq, hash)
SELECT region_code, 0, '0000000000000000000000000000000000000000000000000000000000000000'
FROM region_rule_versions;

CREATE TABLE protocol_entries (
    region_code TEXT NOT NULL,
    seq BIGINT NOT NULL,
    at BIGINT NOT NULL,
    event TEXT NOT NULL,                       -- issued | accepted | refused | returned | expired | enrolled
    direction_id BIGINT NOT NULL,
    organization_bin TEXT NOT NULL,
    organization_name TEXT NOT NULL,
    group_name TEXT NOT NULL,
    application_number TEXT NOT NULL,
    child_masked TEXT NOT NULL,
    position BIGINT NOT NULL,
    category TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    PRIMARY KEY (region_code, seq)
);
CREATE INDEX protocol_entries_by_at ON protocol_entries (at);

--@sqlite
CREATE TRIGGER protocol_entries_no_update BEFORE UPDATE ON protocol_entries
BEGIN SELECT RAISE(ABORT, 'protocol_entries is append-only'); END;
CREATE TRIGGER protocol_entries_no_delete BEFORE DELETE ON protocol_entries
BEGIN SELECT RAISE(ABORT, 'protocol_entries is append-only'); END;
--@end
--@postgres
CREATE FUNCTION protocol_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'protocol_entries is append-only'; END $$;
CREATE TRIGGER protocol_entries_no_change BEFORE UPDATE OR DELETE ON protocol_entries
FOR EACH ROW EXECUTE FUNCTION protocol_entries_append_only();
--@end

-- Indexes that keep the queue's pages and the allocation of places fast with hundreds of
-- thousands of applications (docs/performance.md has the figures).

-- A locality's queue: the waiting applications of one kind and birth year, per category in queue
-- order; the KATO code and correction type are filtered inside the index.
DROP INDEX applications_locality_queue;
CREATE INDEX applications_waiting ON applications (kind, birth_year, category, queue_at, id, kato, correction_type)
    WHERE status = 'queued';

-- An organization's queue starts from the preferences naming it: the application's kind, birth
-- year and correction type never change after filing, so they are copied here and one
-- organization's queue for one group is an index range instead of all its preferences.
ALTER TABLE application_preferences ADD COLUMN kind TEXT;
ALTER TABLE application_preferences ADD COLUMN birth_year BIGINT;
ALTER TABLE application_preferences ADD COLUMN correction_type TEXT;
UPDATE application_preferences SET
    kind = (SELECT a.kind FROM applications a WHERE a.id = application_preferences.application_id),
    birth_year = (SELECT a.birth_year FROM applications a WHERE a.id = application_preferences.application_id),
    correction_type = (SELECT a.correction_type FROM applications a WHERE a.id = application_preferences.application_id);
CREATE INDEX application_preferences_partition
    ON application_preferences (organization_id, kind, birth_year, correction_type, application_id);

-- What a parent had typed into "Добавить заявление" before leaving it for "Добавить ребенка":
-- the form's values and the ids of its already-uploaded documents, as JSON, under the form's
-- submission key. Only its owner reads a draft back; old drafts are purged.
CREATE TABLE application_drafts (
    submission_key TEXT PRIMARY KEY,
    parent_user_id BIGINT NOT NULL REFERENCES users (id),
    fields TEXT NOT NULL,                    -- JSON, see src/applications/drafts.rs
    created_at BIGINT NOT NULL
);
-- Serves the purge of drafts older than a week.
CREATE INDEX application_drafts_by_age ON application_drafts (created_at);

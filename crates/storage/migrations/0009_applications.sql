-- Applications: a child's place in a queue (regular, correctional or sanatorium), the
-- organizations preferred in order, the documents attached, and every change of status.

CREATE TABLE applications (
    id {{id}},
    number TEXT UNIQUE,                      -- public number, set right after insert
    child_id BIGINT NOT NULL REFERENCES children (id),
    parent_user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,                      -- regular | correctional | sanatorium
    correction_type TEXT,                    -- correctional only
    language TEXT NOT NULL,                  -- preferred language of instruction
    region_code TEXT NOT NULL,               -- 2-digit KATO prefix
    kato TEXT NOT NULL,                      -- the locality chosen
    status TEXT NOT NULL,                    -- queued | direction_issued | signed | deleted
    -- Set while the application is active, so a second active one for the same child and
    -- group type breaks this UNIQUE constraint whatever runs concurrently.
    active_key TEXT UNIQUE,
    -- The form's one-time token: a retried or double-clicked submission finds its application.
    submission_key TEXT NOT NULL UNIQUE,
    pmpk_number TEXT,
    pmpk_date TEXT,
    pmpk_expires TEXT,
    pmpk_verification TEXT,                  -- pending | approved | rejected (correctional)
    referral_verification TEXT,              -- pending | approved | rejected (sanatorium)
    privilege_category TEXT,                 -- reference_items(privilege_category) when claimed
    privilege_verification TEXT,             -- pending | approved | rejected
    consent_at BIGINT NOT NULL,
    registered_at BIGINT NOT NULL,           -- the queue's date-time: never overwritten
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX applications_by_parent ON applications (parent_user_id, kind);
CREATE INDEX applications_by_queue ON applications (kind, status, registered_at);

CREATE TABLE application_preferences (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    position BIGINT NOT NULL,                -- 1 = most wanted
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (application_id, position),
    UNIQUE (application_id, organization_id)
);

CREATE TABLE application_documents (
    application_id BIGINT NOT NULL REFERENCES applications (id),
    document_id BIGINT NOT NULL REFERENCES documents (id),
    purpose TEXT NOT NULL,                   -- pmpk | referral | privilege
    PRIMARY KEY (application_id, document_id)
);

-- The status history a parent sees under "Подробнее": every change with its cause.
CREATE TABLE application_events (
    id {{id}},
    application_id BIGINT NOT NULL REFERENCES applications (id),
    at BIGINT NOT NULL,
    actor_user_id BIGINT REFERENCES users (id),
    event TEXT NOT NULL,                     -- submitted | pmpk_approved | privilege_rejected | deleted | …
    detail TEXT                              -- JSON
);
CREATE INDEX application_events_by_application ON application_events (application_id, id);

-- Parents' documents (ПМПК conclusions, phthisiatricians' referrals, privilege evidence): the
-- file itself is in the storage (see src/storage.rs) under `storage_key`; this row says whose it
-- is and what it was called. A deleted document keeps its row for the audit trail.
CREATE TABLE documents (
    id {{id}},
    owner_user_id BIGINT NOT NULL REFERENCES users (id),
    kind TEXT NOT NULL,                      -- pmpk_conclusion | phthisiatrician_referral | privilege_evidence
    file_name TEXT NOT NULL,                 -- as uploaded (cleaned), for the download name
    content_type TEXT NOT NULL,              -- from the content, not from the browser
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    storage_key TEXT NOT NULL UNIQUE,
    uploaded_at BIGINT NOT NULL,
    deleted_at BIGINT NULL
);
-- The quota sums an owner's documents that are not deleted.
CREATE INDEX documents_by_owner ON documents (owner_user_id) WHERE deleted_at IS NULL;

-- Accounts: users (parents and staff), sessions, one-time codes, multi-step sign-up flows,
-- the SMS outbox, the embedded register of individuals and the append-only audit log.

CREATE TABLE users (
    id {{id}},
    phone TEXT NOT NULL UNIQUE,              -- E.164
    password_hash TEXT NOT NULL,             -- argon2id PHC string
    role TEXT NOT NULL,                      -- parent | admin | department | organization
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The applicant (parent or legal representative) behind a parent account, as the
-- register of individuals gave it at registration.
CREATE TABLE applicants (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    iin TEXT NOT NULL UNIQUE,
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    middle_name TEXT,
    birth_date TEXT NOT NULL,                -- YYYY-MM-DD
    sex TEXT NOT NULL                        -- M | F
);

CREATE TABLE staff (
    user_id BIGINT PRIMARY KEY REFERENCES users (id),
    org_bin TEXT,                            -- organization staff: their organization
    kato TEXT                                -- department operators: their area
);

-- Only a SHA-256 of the cookie's token is stored: a copy of the table opens no session.
CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    ip TEXT
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Every SMS code ever sent (one row per send): the rows are also the rate-limit ledger.
CREATE TABLE otp_codes (
    id {{id}},
    phone TEXT NOT NULL,
    purpose TEXT NOT NULL,                   -- register | reset | change_phone
    code_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    failed_attempts BIGINT NOT NULL DEFAULT 0,
    consumed_at BIGINT,
    ip TEXT NOT NULL
);
CREATE INDEX otp_codes_by_phone ON otp_codes (phone, created_at);
CREATE INDEX otp_codes_by_ip ON otp_codes (ip, created_at);

-- A sign-up, password reset or phone change in progress, after its phone was verified.
CREATE TABLE auth_flows (
    token_hash TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    phone TEXT NOT NULL,
    user_id BIGINT REFERENCES users (id),
    password_hash TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

-- Messages are written here in the same transaction as what caused them, then relayed.
CREATE TABLE sms_outbox (
    id {{id}},
    to_phone TEXT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    lease_until BIGINT,
    lease_token TEXT,
    sent_at BIGINT,
    failed_at BIGINT,
    last_error TEXT
);
CREATE INDEX sms_outbox_pending ON sms_outbox (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;

-- The embedded register of individuals, filled by `kezek registry import`.
CREATE TABLE registry_persons (
    iin TEXT PRIMARY KEY,
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    middle_name TEXT,
    birth_date TEXT NOT NULL,
    sex TEXT NOT NULL,
    nationality TEXT,
    updated_at BIGINT NOT NULL
);

-- Who did what, when. Rows are never changed or removed (enforced below).
CREATE TABLE audit_log (
    id {{id}},
    at BIGINT NOT NULL,
    actor_user_id BIGINT,
    action TEXT NOT NULL,                    -- e.g. auth.login.failed
    subject TEXT,                            -- e.g. the phone number concerned
    ip TEXT,
    detail TEXT                              -- JSON: before/after or context
);
CREATE INDEX audit_log_by_subject ON audit_log (subject, action, at);
CREATE INDEX audit_log_by_ip ON audit_log (ip, action, at);

--@sqlite
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
--@end
--@postgres
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
--@end

-- Accounts hardening: password checks reserved before they are made, SMS bodies kept only
-- until delivery, and the server's own secrets (the key the one-time codes are hashed with).

-- One row per password check a login (or a phone change) was allowed to make. It is inserted,
-- under a lock on the phone and the address, before the password is hashed, so a parallel
-- burst cannot make more checks than the limits allow. A row counts as a failure until its
-- check succeeds (`succeeded` = 1); a check that never ran (the hasher was busy) is deleted.
CREATE TABLE login_attempts (
    id {{id}},
    phone TEXT NOT NULL,                     -- E.164
    ip TEXT NOT NULL,
    at BIGINT NOT NULL,
    succeeded BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX login_attempts_by_phone ON login_attempts (phone, at);
CREATE INDEX login_attempts_by_ip ON login_attempts (ip, at);

-- How many times a sign-up's password step was hashed: each costs an argon2 hash, so a sign-up
-- gets a few and no more.
ALTER TABLE auth_flows ADD COLUMN password_hashings BIGINT NOT NULL DEFAULT 0;

-- What `body` becomes once the message is delivered, given up or stale: the same text with any
-- one-time code masked. NULL when the body holds no secret.
ALTER TABLE sms_outbox ADD COLUMN redacted_body TEXT;

-- Secrets the server makes for itself on first use and every process shares (e.g. `otp_hmac_key`).
CREATE TABLE server_secrets (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

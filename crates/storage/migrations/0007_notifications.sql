-- Notifications in the cabinet ("the bell"). The message key and its arguments are stored,
-- not the text, so each notice reads in whatever language its reader has chosen on the site.
CREATE TABLE notifications (
    id {{id}},
    user_id BIGINT NOT NULL REFERENCES users (id),
    created_at BIGINT NOT NULL,
    message_key TEXT NOT NULL,               -- a Fluent key, e.g. notifications-phone-changed
    args TEXT NOT NULL,                      -- JSON object of the Fluent arguments
    link TEXT NULL,                          -- a local path ("/…") the notice points to
    read_at BIGINT NULL
);
-- Serves the unread count (user_id, read_at IS NULL) and the newest-first list of a user.
CREATE INDEX notifications_by_user ON notifications (user_id, read_at, id);

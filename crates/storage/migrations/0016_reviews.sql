-- Parents' reviews of preschool organizations, the organization's public answer, moderation
-- (a review is public only once a moderator approved it) and abuse reports about published ones.
-- Staff accounts may now also have the role `moderator`; `users.role` has no CHECK to widen.

-- One review per parent and organization (UNIQUE): a second "review" is an edit of the first,
-- and an edit goes back to moderation. The text is stored exactly as typed and escaped on output.
CREATE TABLE reviews (
    id {{id}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    author_user_id BIGINT NOT NULL REFERENCES users (id),
    rating BIGINT NOT NULL,
    body TEXT NOT NULL,
    status TEXT NOT NULL,                    -- pending | published | rejected | hidden
    reason TEXT,                             -- the moderator's reason for rejecting or hiding
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,              -- the author's last edit
    moderated_at BIGINT,
    moderated_by BIGINT REFERENCES users (id),
    published_at BIGINT,                     -- the latest approval: the public list's order
    answer TEXT,                             -- the organization's public answer
    answered_at BIGINT,
    answered_by BIGINT REFERENCES users (id),
    UNIQUE (organization_id, author_user_id),
    CHECK (rating BETWEEN 1 AND 5),
    CHECK (status IN ('pending', 'published', 'rejected', 'hidden'))
);
-- The moderators' queue, an organization's published reviews, a region's newest ones.
CREATE INDEX reviews_by_status ON reviews (status, updated_at);
CREATE INDEX reviews_by_organization ON reviews (organization_id, status, published_at);
CREATE INDEX reviews_by_author ON reviews (author_user_id);

-- Abuse reports: once per user and review (UNIQUE); a moderator resolves all open reports of a
-- review at once, either hiding it or dismissing them.
CREATE TABLE review_reports (
    id {{id}},
    review_id BIGINT NOT NULL REFERENCES reviews (id),
    reporter_user_id BIGINT NOT NULL REFERENCES users (id),
    reason TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    resolved_at BIGINT,
    resolved_by BIGINT REFERENCES users (id),
    resolution TEXT,                         -- hidden | dismissed
    UNIQUE (review_id, reporter_user_id)
);
CREATE INDEX review_reports_open ON review_reports (resolved_at, review_id);

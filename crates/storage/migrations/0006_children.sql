-- "Мои дети": the children an applicant added by IIN. Names and birth date are copied from
-- the register of individuals when the child is added; sex and nationality are the parent's
-- choice (prefilled from the IIN and the register).

-- The IIN is unique across all parents: a child belongs to one applicant, so two parents
-- cannot each file applications (and hold two places in the queue) for the same child.
CREATE TABLE children (
    id {{id}},
    parent_user_id BIGINT NOT NULL REFERENCES users (id),
    iin TEXT NOT NULL UNIQUE,
    last_name TEXT NOT NULL,
    first_name TEXT NOT NULL,
    middle_name TEXT,
    birth_date TEXT NOT NULL,                -- YYYY-MM-DD
    sex TEXT NOT NULL,                       -- M | F
    nationality TEXT,                        -- reference_items(nationality)
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    CHECK (sex IN ('M', 'F'))
);
CREATE INDEX children_by_parent ON children (parent_user_id);

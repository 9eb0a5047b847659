-- Preschool organizations, their groups and free places (vacancies), and children's departures.

CREATE TABLE organizations (
    id {{id}},
    bin TEXT NOT NULL UNIQUE,                -- 12-digit business identification number
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    kato TEXT NOT NULL REFERENCES kato (code),
    address TEXT NOT NULL,
    phone TEXT,
    email TEXT,
    website TEXT,
    ownership TEXT NOT NULL,                 -- state | private
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    working_hours TEXT,
    languages TEXT,                          -- comma-separated language codes
    description TEXT,
    head_name TEXT,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX organizations_by_kato ON organizations (kato);

-- The counters make the capacity rule one row's CHECK: whatever runs concurrently, a group
-- never holds more enrolled children, open directions and open vacancies than places.
CREATE TABLE org_groups (
    id {{id}},
    organization_id BIGINT NOT NULL REFERENCES organizations (id),
    name TEXT NOT NULL,
    birth_year BIGINT NOT NULL,
    age_group TEXT,                          -- reference_items(age_group)
    language TEXT NOT NULL,                  -- reference_items(language)
    kind TEXT NOT NULL,                      -- regular | correctional | sanatorium
    correction_type TEXT,                    -- reference_items(correction_type), correctional groups only
    capacity BIGINT NOT NULL,
    enrolled BIGINT NOT NULL DEFAULT 0,
    open_directions BIGINT NOT NULL DEFAULT 0,
    open_vacancies BIGINT NOT NULL DEFAULT 0,
    active BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (organization_id, name),
    CHECK (capacity >= 0 AND enrolled >= 0 AND open_directions >= 0 AND open_vacancies >= 0),
    CHECK (enrolled + open_directions + open_vacancies <= capacity),
    CHECK ((kind = 'correctional') = (correction_type IS NOT NULL))
);
CREATE INDEX org_groups_by_organization ON org_groups (organization_id);

-- One row per free place: a direction (later) takes exactly one.
CREATE TABLE vacancies (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES org_groups (id),
    available_from TEXT NOT NULL,            -- YYYY-MM-DD
    status TEXT NOT NULL,                    -- open | withdrawn | filled
    published_at BIGINT NOT NULL,
    published_by BIGINT REFERENCES users (id),
    closed_at BIGINT,
    closed_by BIGINT REFERENCES users (id)
);
CREATE INDEX vacancies_by_group ON vacancies (group_id, status);
CREATE INDEX vacancies_open ON vacancies (status, published_at);

CREATE TABLE departures (
    id {{id}},
    group_id BIGINT NOT NULL REFERENCES org_groups (id),
    left_on TEXT NOT NULL,                   -- YYYY-MM-DD
    note TEXT,
    recorded_at BIGINT NOT NULL,
    recorded_by BIGINT NOT NULL REFERENCES users (id)
);

-- Reference data: the KATO classifier of administrative units and the small reference lists
-- (languages of instruction, correction types, privilege categories, nationalities, age groups).

-- Hierarchy from the code's digits: 2 region, 2 district, 2 rural district or town, 3 settlement.
CREATE TABLE kato (
    code TEXT PRIMARY KEY,                   -- 9 digits
    parent_code TEXT,                        -- NULL for a region or city of republican significance
    level BIGINT NOT NULL,                   -- 1 region, 2 district, 3 rural district / town, 4 settlement
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX kato_by_parent ON kato (parent_code);

CREATE TABLE reference_items (
    kind TEXT NOT NULL,                      -- language | correction_type | privilege_category | nationality | age_group
    code TEXT NOT NULL,
    name_kk TEXT NOT NULL,
    name_ru TEXT NOT NULL,
    name_en TEXT NOT NULL,
    position BIGINT NOT NULL DEFAULT 0,      -- order in lists
    attribute TEXT,                          -- privilege_category: extraordinary | first_priority; age_group: "from-to" years
    active BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (kind, code)
);

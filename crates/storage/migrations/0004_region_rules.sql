-- Administrators' settings: blocked staff accounts and per-region rules.

-- A blocked account keeps its history (audit entries, authored rows) but cannot log in.
ALTER TABLE users ADD COLUMN blocked_at BIGINT;

-- Rules that differ between regions are settings, not code. One row per region.
CREATE TABLE region_rules (
    region_code TEXT PRIMARY KEY,            -- 2-digit KATO prefix
    max_preferred_orgs BIGINT NOT NULL DEFAULT 4,
    updated_at BIGINT NOT NULL,
    updated_by BIGINT REFERENCES users (id)
);

INSERT INTO region_rules (region_code, max_preferred_orgs, updated_at) VALUES
    ('71', 4, 0), ('75', 4, 0), ('79', 4, 0), ('10', 4, 0), ('11', 4, 0),
    ('15', 4, 0), ('19', 4, 0), ('23', 4, 0), ('27', 4, 0), ('31', 4, 0),
    ('33', 4, 0), ('35', 4, 0), ('39', 4, 0), ('43', 4, 0), ('47', 4, 0),
    ('55', 4, 0), ('59', 4, 0), ('61', 4, 0), ('62', 4, 0), ('63', 4, 0);

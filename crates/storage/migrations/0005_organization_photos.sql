-- An organization's photo: the key of a file in the storage (see src/storage.rs).
ALTER TABLE organizations ADD COLUMN photo TEXT;

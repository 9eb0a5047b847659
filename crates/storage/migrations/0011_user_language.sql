-- The interface language a user last used, so messages nobody is reading at the moment (SMS,
-- notifications of decisions) reach them in their language.
ALTER TABLE users ADD COLUMN language TEXT;

-- The first-priority social statuses the register of individuals records for a person (a child's
-- own: orphan or left without parental care, special educational needs, …), as codes of the
-- `privilege_category` reference list separated by semicolons; NULL or empty means none.
ALTER TABLE registry_persons ADD COLUMN social_statuses TEXT;

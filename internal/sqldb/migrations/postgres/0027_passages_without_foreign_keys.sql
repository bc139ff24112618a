-- The passages sent to the Caisse des Dépôts lose their foreign keys.
--
-- An export records every passage it sends, 100,000 in one transaction for
-- a large period, and PostgreSQL checks a foreign key row by row, locking
-- the row it points to (FOR KEY SHARE): three checks a passage took about
-- half of the export's time. The references hold by construction: a
-- passage is written only by an export, from a title awarded (whose own
-- foreign keys name the person and the certification) and into the file
-- the same transaction writes; and no person, certification or file is
-- ever deleted (an erasure blanks a person, it does not delete the row).
ALTER TABLE cdc_passages DROP CONSTRAINT cdc_passages_person_id_fkey;
ALTER TABLE cdc_passages DROP CONSTRAINT cdc_passages_certification_code_fkey;
ALTER TABLE cdc_passages DROP CONSTRAINT cdc_passages_id_flux_fkey;

-- Declarations to the Caisse des Dépôts, faster: the passages sent lose
-- their foreign keys, and a title keeps the route it was awarded by.
--
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

-- A title keeps the route it was awarded by: VAE when every block of the
-- certification in the ledger came by VAE, training otherwise. Written
-- with the title, from the ledger the same transaction completes; the
-- declaration to the Caisse reads it instead of aggregating the ledger.
ALTER TABLE titles_awarded ADD COLUMN route TEXT NOT NULL DEFAULT 'training' CHECK (route IN ('training', 'vae'));
UPDATE titles_awarded SET route = 'vae' WHERE NOT EXISTS (SELECT 1 FROM ledger l
	WHERE l.person_id = titles_awarded.person_id AND l.certification_code = titles_awarded.certification_code AND l.route <> 'vae')
	AND EXISTS (SELECT 1 FROM ledger l WHERE l.person_id = titles_awarded.person_id AND l.certification_code = titles_awarded.certification_code);

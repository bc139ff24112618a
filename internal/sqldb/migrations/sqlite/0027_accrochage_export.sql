-- The passages sent to the Caisse des Dépôts lose their foreign keys, as
-- on PostgreSQL (see its migration 0027): an export records up to 100,000
-- passages in one transaction, and each foreign key is a lookup a passage.
-- The references hold by construction: a passage is written only by an
-- export, from a title awarded and into the file the same transaction
-- writes, and no person, certification or file is ever deleted.
CREATE TABLE cdc_passages_new (
	id_technique       TEXT PRIMARY KEY,
	person_id          INTEGER NOT NULL,
	certification_code TEXT NOT NULL,
	status             TEXT NOT NULL CHECK (status IN ('sent', 'accepted', 'rejected')),
	digest             TEXT NOT NULL,
	id_flux            TEXT NOT NULL,
	message            TEXT NOT NULL DEFAULT '',
	sent_at            TIMESTAMP NOT NULL,
	answered_at        TIMESTAMP
);
INSERT INTO cdc_passages_new SELECT id_technique, person_id, certification_code, status, digest, id_flux, message, sent_at, answered_at
	FROM cdc_passages;
DROP TABLE cdc_passages;
ALTER TABLE cdc_passages_new RENAME TO cdc_passages;

-- A title keeps the route it was awarded by: VAE when every block of the
-- certification in the ledger came by VAE, training otherwise. Written
-- with the title, from the ledger the same transaction completes; the
-- declaration to the Caisse reads it instead of aggregating the ledger.
ALTER TABLE titles_awarded ADD COLUMN route TEXT NOT NULL DEFAULT 'training' CHECK (route IN ('training', 'vae'));
UPDATE titles_awarded SET route = 'vae' WHERE NOT EXISTS (SELECT 1 FROM ledger l
	WHERE l.person_id = titles_awarded.person_id AND l.certification_code = titles_awarded.certification_code AND l.route <> 'vae')
	AND EXISTS (SELECT 1 FROM ledger l WHERE l.person_id = titles_awarded.person_id AND l.certification_code = titles_awarded.certification_code);

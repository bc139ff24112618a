-- People: a folded name to search by, and what the retention policy reads.

-- search_name is the person's names in lower case without accents
-- ("dupont jean-eric" for DUPONT Jean-Éric), so that a search finds a name
-- however it is typed, on both engines alike. It is personal data: erasure
-- empties it with the names.
ALTER TABLE people ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
CREATE INDEX people_updated ON people (updated_at);

package sqldb

import "github.com/certibloc/certibloc"

// CompiledRules returns the rules of certification version c compiled once
// for every caller of this database (the API, the pages, the juries). A
// version is never changed once stored, and an import that changes a
// referential stores a new version, which the cache compiles anew and for
// which it drops the older ones: nothing needs to tell it of an import.
func (db *DB) CompiledRules(c *certibloc.Certification) *certibloc.Rules {
	return db.rules.Rules(c)
}

// rulesCache is the type of DB.rules.
type rulesCache = certibloc.RulesCache

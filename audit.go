package certibloc

// AuthorizeTrail checks that p may read the history of a record in the
// audit trail: entity is the kind of record ("person", "token"…), school
// the school it belongs to, "" for a record of the certifier itself (a
// certification, an admin token).
//
// The admin reads every history, staff the histories of their schools'
// records, but not the certifier's, whose entries name the certifier's own
// people and tokens. Accounts and tokens are for whoever manages them. No
// history of a disability record is shown: even that one exists is for
// the disability referent and the person alone, and neither reads the
// audit trail.
func (p *Principal) AuthorizeTrail(entity, school string) error {
	if err := p.Authorize(ReadAudit, school); err != nil {
		return err
	}
	switch {
	case entity == "disability":
		return Errorf(EFORBIDDEN, "the history of a disability record is not shown: it is for the disability referent and the person")
	case (entity == "account" || entity == "token") && !p.Can(ManageAccounts):
		return Errorf(EFORBIDDEN, "the history of accounts and tokens is for the certifier admin, who manages them")
	case school == "" && p.Role != Admin:
		return Errorf(EFORBIDDEN, "only the certifier admin reads the history of a record that belongs to no school")
	}
	return nil
}

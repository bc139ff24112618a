package certibloc

import (
	"context"
	"slices"
)

// Role is what an account or a token may do. Staff roles are scoped to one
// or more schools; the certifier admin sees every school of the certifier;
// a candidate sees only their own records.
type Role string

// Roles.
const (
	Admin     Role = "admin"     // certifier admin (SUP DE VINCI)
	Staff     Role = "staff"     // school staff: secretariat, training director
	Evaluator Role = "evaluator" // grades evaluations
	Jury      Role = "jury"      // jury member
	Referent  Role = "referent"  // disability referent
	Candidate Role = "candidate" // candidate or learner
)

// Roles lists every role, in the order of the interface.
var Roles = []Role{Admin, Staff, Evaluator, Jury, Referent, Candidate}

// ValidRole reports whether r is a known role.
func ValidRole(r Role) bool { return slices.Contains(Roles, r) }

// Permission names a kind of action; routes declare the one they need.
type Permission string

// Permissions. Each route declares exactly one (Public for none).
const (
	Public          Permission = ""                // anyone, signed in or not
	SignedIn        Permission = "signed_in"       // any account
	ReadPeople      Permission = "people:read"     // identity and path of people of a school
	WritePeople     Permission = "people:write"    // create and edit people of a school
	ReadDisability  Permission = "disability:read" // disability needs and accommodations
	WriteDisability Permission = "disability:write"
	ManageSchools   Permission = "schools:manage"     // create schools, authorise partners
	ManageAccounts  Permission = "accounts:manage"    // create staff accounts, tokens
	WriteReferent   Permission = "referential:write"  // import and edit certifications
	WriteProgramme  Permission = "programmes:write"   // edit programme sheets
	ReadAudit       Permission = "audit:read"         // the audit trail of a record
	ReadOutbox      Permission = "outbox:read"        // e-mails waiting or sent
	EraseData       Permission = "gdpr:erase"         // erase a person, run retention
	ExportOwnData   Permission = "gdpr:export_self"   // a person's own data
	ExportAnyData   Permission = "gdpr:export_person" // staff exporting a person's data
	ManageAdmission Permission = "admissions:manage"  // campaigns, decisions on applications, cohorts, enrolments
	Apply           Permission = "admissions:apply"   // a candidate's own applications and documents
	ManageJuries    Permission = "juries:manage"      // convene juries, add candidates
	SitJury         Permission = "juries:sit"         // read the juries one sits on, declare, deliberate
	// DeclareHolders: the certifier's declarations to the State (holders
	// to the Caisse des Dépôts, its processing reports, figures for France
	// Compétences), for every school: the certifier admin's duty.
	DeclareHolders Permission = "holders:declare"
	// Evaluations: staff and the admin create sessions, edit grids and
	// correct submitted results; evaluators grade the sessions they are
	// assigned to (staff and the admin those of their schools).
	ManageEvaluations Permission = "evaluations:manage"
	GradeEvaluations  Permission = "evaluations:grade"
)

// grants is the permission table: which role holds which permission.
// School scoping is applied on top (Principal.InSchool).
var grants = map[Role][]Permission{
	Admin: {SignedIn, ReadPeople, WritePeople, ManageSchools, ManageAccounts, WriteReferent, WriteProgramme,
		ReadAudit, ReadOutbox, EraseData, ExportOwnData, ExportAnyData, ManageAdmission, ManageJuries, SitJury,
		ManageEvaluations, GradeEvaluations, DeclareHolders},
	Staff: {SignedIn, ReadPeople, WritePeople, WriteProgramme, ReadAudit, ReadOutbox, ExportOwnData, ExportAnyData,
		ManageAdmission, ManageEvaluations, GradeEvaluations},
	Evaluator: {SignedIn, ReadPeople, ExportOwnData, GradeEvaluations},
	Jury:      {SignedIn, ReadPeople, ExportOwnData, SitJury},
	Referent:  {SignedIn, ReadPeople, ReadDisability, WriteDisability, ExportOwnData},
	Candidate: {SignedIn, ExportOwnData, Apply},
}

// Principal is who is acting: an account signed in on the web, or an API
// token. The zero Principal is an anonymous visitor.
type Principal struct {
	AccountID int64    `json:"account_id,omitempty"`
	TokenID   int64    `json:"token_id,omitempty"`
	PersonID  int64    `json:"person_id,omitempty"`
	Role      Role     `json:"role,omitempty"`
	Schools   []string `json:"schools,omitempty"` // school codes a staff role is scoped to
	Label     string   `json:"label,omitempty"`   // for logs and the audit trail: "account 12", "token 3", "cli"
	Lang      string   `json:"-"`                 // the language the account chose, "" for none (Account.Lang)
}

// Anonymous reports whether nobody is signed in.
func (p *Principal) Anonymous() bool { return p == nil || p.Role == "" }

// Can reports whether the principal's role holds the permission.
func (p *Principal) Can(perm Permission) bool {
	if perm == Public {
		return true
	}
	if p.Anonymous() {
		return false
	}
	return slices.Contains(grants[p.Role], perm)
}

// InSchool reports whether the principal may see records of the school:
// the admin sees every school, staff roles their own, candidates none by
// school (only their own records, checked by person).
func (p *Principal) InSchool(school string) bool {
	switch {
	case p.Anonymous():
		return false
	case p.Role == Admin:
		return true
	case p.Role == Candidate:
		return false
	}
	return slices.Contains(p.Schools, school)
}

// Authorize checks a permission on a record of a school ("" when the
// record belongs to no school): unauthorized when nobody is signed in,
// forbidden when the role or the school does not allow it.
func (p *Principal) Authorize(perm Permission, school string) error {
	if perm == Public {
		return nil
	}
	if p.Anonymous() {
		return Errorf(EUNAUTHORIZED, "sign in first")
	}
	if !p.Can(perm) {
		return Errorf(EFORBIDDEN, "the %s role may not do this (%s)", p.Role, perm)
	}
	if school != "" && !p.InSchool(school) {
		return Errorf(EFORBIDDEN, "this record belongs to another school")
	}
	return nil
}

type principalKey struct{}

// WithPrincipal returns a context that carries who is acting; the store
// reads it to write the audit trail.
func WithPrincipal(ctx context.Context, p *Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// PrincipalFrom returns who is acting, or an anonymous principal.
func PrincipalFrom(ctx context.Context) *Principal {
	if p, ok := ctx.Value(principalKey{}).(*Principal); ok && p != nil {
		return p
	}
	return &Principal{}
}

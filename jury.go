package certibloc

import (
	"fmt"
	"slices"
	"time"
)

// A jury deliberates on candidates, validates blocks and awards the title.
// Its composition follows a rule kept as data per certification; for each
// candidate the rules engine proposes, the jury confirms or overrides with
// a written reason; the chair closes the session, after which its
// decisions are read-only (a correction is a new decision linked to the
// old one).

// Jury member roles.
const (
	JuryChair        = "chair"
	JuryProfessional = "professional" // a professional of the field
	JuryTeaching     = "teaching"     // teaching staff
)

// JuryRoles lists the roles in the order of the forms.
var JuryRoles = []string{JuryChair, JuryProfessional, JuryTeaching}

// JuryRule is the composition a jury must have to deliberate: a quorum of
// members present, one chair, and a minimum share of professionals of the
// field among those present.
type JuryRule struct {
	Quorum              int  `json:"quorum"`               // members present, chair included
	MinProfessionalPct  int  `json:"min_professional_pct"` // professionals among those present, in percent
	MaxTeachingPct      int  `json:"max_teaching_pct"`     // 100 when there is no cap
	ConflictDeclaration bool `json:"conflict_declaration"` // each member declares, per candidate, no conflict of interest
}

// DefaultJuryRule is the rule of a certification that states none: three
// members present, a chair, at least half of them professionals of the
// field, and a declaration of no conflict of interest per candidate.
var DefaultJuryRule = JuryRule{Quorum: 3, MinProfessionalPct: 50, MaxTeachingPct: 100, ConflictDeclaration: true}

// JuryMember is one member of a jury session.
type JuryMember struct {
	AccountID int64  `json:"account_id,omitempty"`
	Name      string `json:"name"`
	Role      string `json:"role"`
	Present   bool   `json:"present"`
}

// CheckComposition says whether members present can deliberate under rule
// r: a problem per unmet condition, in the reader's language.
func (r JuryRule) CheckComposition(members []JuryMember) Problems {
	var ps Problems
	present, chairs, pros, teachers := 0, 0, 0, 0
	for i, m := range members {
		if !slices.Contains(JuryRoles, m.Role) {
			ps = append(ps, Problem{Row: i + 1, Code: "jury_role", Value: Cut(m.Role)})
		}
		if !m.Present {
			continue
		}
		present++
		switch m.Role {
		case JuryChair:
			chairs++
		case JuryProfessional:
			pros++
		case JuryTeaching:
			teachers++
		}
	}
	if present < r.Quorum {
		ps = append(ps, Problem{Code: "jury_quorum", Value: fmt.Sprint(present), Detail: fmt.Sprint(r.Quorum)})
	}
	if chairs != 1 {
		ps = append(ps, Problem{Code: "jury_chair", Value: fmt.Sprint(chairs)})
	}
	if present > 0 && pros*100 < r.MinProfessionalPct*present {
		ps = append(ps, Problem{Code: "jury_professionals", Value: fmt.Sprint(pros), Detail: fmt.Sprint(r.MinProfessionalPct)})
	}
	if present > 0 && r.MaxTeachingPct < 100 && teachers*100 > r.MaxTeachingPct*present {
		ps = append(ps, Problem{Code: "jury_teaching", Value: fmt.Sprint(teachers), Detail: fmt.Sprint(r.MaxTeachingPct)})
	}
	return ps
}

// BlockVerdict is the jury's decision on one block of a candidate: the
// engine's proposal, and what the jury decided. An override needs a reason.
type BlockVerdict struct {
	Block     string `json:"block"`
	Proposed  bool   `json:"proposed"`  // the rules engine validates it
	Validated bool   `json:"validated"` // the jury validates it
	Route     Route  `json:"route,omitempty"`
	Date      Date   `json:"date"` // the date of the validation kept by the engine, or the jury's date on an override
	Reason    string `json:"reason,omitempty"`
}

// JuryDecision is the jury's decision on one candidate.
type JuryDecision struct {
	ID         int64          `json:"id"`
	JuryID     int64          `json:"jury_id"`
	PersonID   int64          `json:"person_id"`
	Blocks     []BlockVerdict `json:"blocks"`
	Proposed   bool           `json:"proposed_title"` // the engine awards the title
	Certified  bool           `json:"certified"`      // the jury awards it
	Reason     string         `json:"reason,omitempty"`
	Decided    bool           `json:"decided"`
	Supersedes int64          `json:"supersedes,omitempty"` // the decision a correction replaces
	DecidedAt  *time.Time     `json:"decided_at,omitempty"`
}

// Propose turns the engine's decision into a jury decision to confirm:
// every block the candidate has validated — counting or not, it is
// acquired — with its route and date.
func Propose(personID int64, d *Decision) JuryDecision {
	jd := JuryDecision{PersonID: personID, Proposed: d.Certified, Certified: d.Certified}
	for _, b := range d.Blocks() {
		if b.Validated {
			jd.Blocks = append(jd.Blocks, BlockVerdict{Block: b.Block, Proposed: true, Validated: true, Route: b.Route, Date: b.Date})
		}
	}
	return jd
}

// Overridden reports whether the jury departs from the engine anywhere.
func (jd *JuryDecision) Overridden() bool {
	if jd.Certified != jd.Proposed {
		return true
	}
	for _, b := range jd.Blocks {
		if b.Validated != b.Proposed {
			return true
		}
	}
	return false
}

// Check refuses a decision that departs from the engine without a
// written reason, a block given twice, or a title awarded with a block
// validated without a route.
func (jd *JuryDecision) Check() Problems {
	var ps Problems
	if jd.Certified != jd.Proposed && len(jd.Reason) < 10 {
		ps = append(ps, Problem{Code: "override_reason", Value: "title"})
	}
	for i, b := range jd.Blocks {
		if b.Validated != b.Proposed && len(b.Reason) < 10 {
			ps = append(ps, Problem{Row: i + 1, Code: "override_reason", Value: b.Block})
		}
		if b.Validated && b.Route == "" {
			ps = append(ps, Problem{Row: i + 1, Code: "block_route", Value: b.Block})
		}
		for _, o := range jd.Blocks[:i] {
			if o.Block == b.Block {
				ps = append(ps, Problem{Row: i + 1, Code: "block_twice", Value: b.Block})
			}
		}
	}
	return ps
}

// CheckClose says why a session cannot be closed: its composition, and
// each candidate still undecided or with a member who declared a conflict
// of interest but took part.
func (r JuryRule) CheckClose(members []JuryMember, decisions []JuryDecision) Problems {
	ps := r.CheckComposition(members)
	for _, d := range decisions {
		if !d.Decided {
			ps = append(ps, Problem{Code: "undecided", Value: fmt.Sprint(d.PersonID)})
		}
	}
	return ps
}

// ConflictDeclaration is a member's declaration about one candidate: no
// conflict of interest, or one (then the member takes no part in that
// candidate's decision).
type ConflictDeclaration struct {
	AccountID int64 `json:"account_id"`
	PersonID  int64 `json:"person_id"`
	Conflict  bool  `json:"conflict"`
}

// CheckDecide says why the jury may not decide on a candidate: a member
// present who declared a conflict of interest about them, or, where the
// rule asks for declarations, a member present who has not declared.
func (r JuryRule) CheckDecide(members []JuryMember, personID int64, decls []ConflictDeclaration) Problems {
	var ps Problems
	for _, m := range members {
		if !m.Present || m.AccountID == 0 {
			continue
		}
		i := slices.IndexFunc(decls, func(d ConflictDeclaration) bool { return d.AccountID == m.AccountID && d.PersonID == personID })
		switch {
		case i >= 0 && decls[i].Conflict:
			ps = append(ps, Problem{Code: "conflict_declared", Value: Cut(m.Name)})
		case i < 0 && r.ConflictDeclaration:
			ps = append(ps, Problem{Code: "conflict_undeclared", Value: Cut(m.Name)})
		}
	}
	return ps
}

// Jury states: open while it deliberates, closed once the chair closed it
// (its decisions are then read-only and its minutes recorded).
const (
	JuryOpen   = "open"
	JuryClosed = "closed"
)

// JurySession is a jury session of one certification version.
type JurySession struct {
	ID            int64        `json:"id"`
	Certification string       `json:"certification"`
	Version       int          `json:"version"`
	Date          Date         `json:"date"`
	Place         string       `json:"place"`
	Members       []JuryMember `json:"members"`
	Candidates    []int64      `json:"candidates"` // person ids
	State         string       `json:"state"`
	ClosedAt      *time.Time   `json:"closed_at,omitempty"`
	MinutesDigest string       `json:"minutes_digest,omitempty"` // SHA-256 of the minutes, also in the audit trail
	CreatedAt     time.Time    `json:"created_at"`
}

// Check refuses a jury without a date or place, or with members badly
// named; its composition is checked when it decides and closes.
func (j *JurySession) Check() error {
	if j.Date.IsZero() {
		return Errorf(EINVALID, "the jury needs a date")
	}
	if err := CheckText("place", j.Place, 200, false); err != nil || j.Place == "" {
		return Errorf(EINVALID, "the jury needs a place of at most 200 characters on one line")
	}
	if len(j.Members) == 0 || len(j.Members) > 50 {
		return Errorf(EINVALID, "a jury has from 1 to 50 members, not %d", len(j.Members))
	}
	for i, m := range j.Members {
		if m.Name == "" || CheckText("name", m.Name, 200, false) != nil {
			return Errorf(EINVALID, "member %d needs a name of at most 200 characters on one line", i+1)
		}
		if !slices.Contains(JuryRoles, m.Role) {
			return Errorf(EINVALID, "member %d: role %q is not one of %v", i+1, m.Role, JuryRoles)
		}
	}
	return nil
}

// JuryRule is the composition rule of c's juries.
func (c *Certification) JuryRule() JuryRule {
	if c.Jury != nil {
		return *c.Jury
	}
	return DefaultJuryRule
}

// Minutes is what a jury's procès-verbal records: the session, its
// members, and each candidate with the decision taken, as they stand when
// the chair closes it.
type Minutes struct {
	Jury          *JurySession
	Certification *Certification
	Candidates    []MinutesCandidate
}

// MinutesCandidate is one candidate in the minutes.
type MinutesCandidate struct {
	PersonID  int64
	Name      string // as printed: first names and birth name
	BirthDate Date
	Decision  JuryDecision
}

package certibloc

import (
	"slices"
	"testing"
)

func TestJuryComposition(t *testing.T) {
	m := func(role string, present bool) JuryMember {
		return JuryMember{Name: role, Role: role, Present: present}
	}
	codes := func(ps Problems) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Code)
		}
		return out
	}
	r := DefaultJuryRule
	for _, tc := range []struct {
		name    string
		members []JuryMember
		want    []string
	}{
		{"chair, two professionals", []JuryMember{m(JuryChair, true), m(JuryProfessional, true), m(JuryProfessional, true)}, nil},
		{"an absent member breaks the quorum", []JuryMember{m(JuryChair, true), m(JuryProfessional, true), m(JuryProfessional, false)}, []string{"jury_quorum"}},
		{"too few professionals", []JuryMember{m(JuryChair, true), m(JuryProfessional, true), m(JuryTeaching, true), m(JuryTeaching, true)}, []string{"jury_professionals"}},
		{"exactly half professionals", []JuryMember{m(JuryChair, true), m(JuryProfessional, true), m(JuryProfessional, true), m(JuryTeaching, true)}, nil},
		{"no chair", []JuryMember{m(JuryProfessional, true), m(JuryProfessional, true), m(JuryTeaching, true)}, []string{"jury_chair"}},
		{"two chairs", []JuryMember{m(JuryChair, true), m(JuryChair, true), m(JuryProfessional, true), m(JuryProfessional, true)}, []string{"jury_chair"}},
		{"an unknown role", []JuryMember{m(JuryChair, true), m(JuryProfessional, true), m(JuryProfessional, true), m("guest", false)}, []string{"jury_role"}},
	} {
		if got := codes(r.CheckComposition(tc.members)); !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestJuryDecisionOverride(t *testing.T) {
	rules := NewRules(testRNCP38478())
	d, err := rules.Decide(Record{Track: OneYear, Evaluations: []EvaluationResult{{Block: "RNCP38478BC01", Number: 1, Passed: true, Date: DateOf(2026, 6, 1)}}})
	if err != nil {
		t.Fatal(err)
	}
	jd := Propose(7, &d)
	if jd.Proposed || len(jd.Blocks) != 1 || jd.Blocks[0].Block != "RNCP38478BC01" || jd.Blocks[0].Route != Training || jd.Overridden() {
		t.Fatalf("proposal %+v", jd)
	}
	if ps := jd.Check(); ps != nil {
		t.Fatalf("confirming the proposal: %v", ps)
	}
	jd.Certified = true
	if ps := jd.Check(); len(ps) != 1 || ps[0].Code != "override_reason" || !jd.Overridden() {
		t.Fatalf("an override without a reason: %v", ps)
	}
	jd.Reason = "Le jury retient l'ensemble du parcours."
	if ps := jd.Check(); ps != nil {
		t.Fatalf("an override with a reason: %v", ps)
	}
	jd.Blocks = append(jd.Blocks, jd.Blocks[0])
	if ps := jd.Check(); len(ps) != 1 || ps[0].Code != "block_twice" {
		t.Fatalf("a block twice: %v", ps)
	}
}

func TestJuryConflictsAndClosing(t *testing.T) {
	members := []JuryMember{{AccountID: 1, Name: "A", Role: JuryChair, Present: true}, {AccountID: 2, Name: "B", Role: JuryProfessional, Present: true},
		{AccountID: 3, Name: "C", Role: JuryProfessional, Present: true}, {AccountID: 4, Name: "D", Role: JuryTeaching}}
	decls := []ConflictDeclaration{{AccountID: 1, PersonID: 9}, {AccountID: 2, PersonID: 9}, {AccountID: 3, PersonID: 9, Conflict: true}, {AccountID: 1, PersonID: 8}}
	if ps := DefaultJuryRule.CheckDecide(members, 9, decls); len(ps) != 1 || ps[0].Code != "conflict_declared" || ps[0].Value != "C" {
		t.Fatalf("a member with a conflict: %v", ps)
	}
	if ps := DefaultJuryRule.CheckDecide(members, 8, decls); len(ps) != 2 || ps[0].Code != "conflict_undeclared" {
		t.Fatalf("members without a declaration: %v", ps)
	}
	if ps := DefaultJuryRule.CheckClose(members, []JuryDecision{{PersonID: 9, Decided: true}, {PersonID: 8}}); len(ps) != 1 || ps[0].Code != "undecided" {
		t.Fatalf("closing with an undecided candidate: %v", ps)
	}
}

package certibloc

import (
	"strings"
	"testing"
)

func TestVAEMoves(t *testing.T) {
	for _, tc := range []struct {
		from, to VAEState
		ok       bool
	}{
		{VAEDraft, VAESubmitted, true}, {VAESubmitted, VAEIncomplete, true}, {VAEIncomplete, VAESubmitted, true},
		{VAESubmitted, VAEAdmissible, true}, {VAEAdmissible, VAEDossierSubmitted, true}, {VAEDossierSubmitted, VAEOralScheduled, true},
		{VAEOralScheduled, VAEDecided, true}, {VAEDraft, VAEAdmissible, false}, {VAEAdmissible, VAEOralScheduled, false},
		{VAENotAdmissible, VAESubmitted, false}, {VAEDecided, VAEWithdrawn, false}, {VAEDraft, VAEWithdrawn, true},
	} {
		err := tc.from.Move(tc.to)
		if (err == nil) != tc.ok {
			t.Errorf("%s → %s: %v", tc.from, tc.to, err)
		}
		if err != nil && !strings.Contains(err.Error(), string(tc.from)) {
			t.Errorf("%s → %s: the error does not say where it stands: %v", tc.from, tc.to, err)
		}
	}
}

func TestVAEChecks(t *testing.T) {
	c := testRNCP38478()
	cd := &Candidacy{Blocks: []string{"RNCP38478BC02"}}
	if ps := cd.CheckDossier(c); len(ps) != len(c.Block("RNCP38478BC02").Competencies) {
		t.Fatalf("an empty dossier: %v", ps)
	}
	for _, f := range []Feasibility{{Outcome: VAEIncomplete}, {Outcome: VAENotAdmissible, Reason: "court"}, {Outcome: "maybe"}, {Outcome: VAEIncomplete, Missing: []string{"a\nb"}}} {
		if err := CheckFeasibility(&f); err == nil {
			t.Errorf("%+v accepted", f)
		}
	}
	jd := &JuryDecision{Blocks: []BlockVerdict{{Block: "RNCP38478BC02", Validated: true, Route: Training}, {Block: "RNCP38478BC01", Proposed: true, Validated: true, Route: Training}}}
	if ps := cd.CheckVAEDecision(jd); len(ps) != 1 || ps[0].Code != "block_route" {
		t.Fatalf("a VAE block validated by training: %v", ps)
	}
}

package sqldb_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// juryWorld is a jury of three members (a chair and two professionals, a
// teacher absent) on RNCP38478 with two candidates.
type juryWorld struct {
	ctx        context.Context
	db         *sqldb.DB
	members    []certibloc.JuryMember
	ada, grace int64
}

func newJuryWorld(t *testing.T, db *sqldb.DB) *juryWorld {
	w := &juryWorld{ctx: authCtx(t), db: db}
	c, err := seed.Certification()
	must(t, err)
	if _, err := db.SaveCertification(w.ctx, c); err != nil {
		t.Fatal(err)
	}
	w.ada = authSchools(t, db)
	g := &certibloc.Person{School: "DIIAGE", BirthName: "Hopper", FirstNames: "Grace"}
	must(t, db.CreatePerson(w.ctx, g))
	w.grace = g.ID
	for i, role := range []string{certibloc.JuryChair, certibloc.JuryProfessional, certibloc.JuryProfessional, certibloc.JuryTeaching} {
		a := mustAccount(t, db, certibloc.Account{Email: "jury" + string(rune('a'+i)) + "@example.org", Role: certibloc.Jury, Schools: []string{"DIIAGE"}})
		w.members = append(w.members, certibloc.JuryMember{AccountID: a.ID, Name: "Membre " + string(rune('A'+i)), Role: role, Present: i < 3})
	}
	return w
}

func (w *juryWorld) as(member int) context.Context {
	return certibloc.WithPrincipal(w.ctx, &certibloc.Principal{AccountID: w.members[member].AccountID, Role: certibloc.Jury, Label: "jury"})
}

func (w *juryWorld) jury(t *testing.T, candidates ...int64) *certibloc.JurySession {
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2027, 7, 1), Place: "Dijon", Members: w.members, Candidates: candidates}
	must(t, w.db.CreateJury(w.ctx, j))
	return j
}

func (w *juryWorld) declareAll(t *testing.T, juryID, person int64) {
	for m := range 3 {
		must(t, w.db.DeclareConflict(w.as(m), juryID, person, false))
	}
}

func problemCodes(err error) []string {
	ps, _ := err.(certibloc.Problems)
	var out []string
	for _, p := range ps {
		out = append(out, p.Code)
	}
	return out
}

func minutes(m *certibloc.Minutes) ([]byte, error) {
	var sb strings.Builder
	sb.WriteString("PV " + m.Jury.Place)
	for _, c := range m.Candidates {
		sb.WriteString(" " + c.Name)
	}
	return []byte(sb.String()), nil
}

// TestJuryDeliberatesClosesAndWritesTheLedger: declarations of conflict
// before deciding, overrides with a reason, closing with its checks, the
// minutes' digest in the trail, decisions read-only after closing, a
// correction that supersedes, and a second jury completing the title from
// the blocks of the first.
func TestJuryDeliberatesClosesAndWritesTheLedger(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newJuryWorld(t, db)
		ctx := w.ctx
		j := w.jury(t, w.ada, w.grace)
		if j.Version != 1 || j.State != certibloc.JuryOpen {
			t.Fatalf("created %+v", j)
		}
		vae := func(block string) certibloc.BlockVerdict {
			return certibloc.BlockVerdict{Block: block, Validated: true, Route: certibloc.VAE, Reason: "Dossier de validation et oral favorables."}
		}
		decision := func(person int64, blocks ...certibloc.BlockVerdict) *certibloc.JuryDecision {
			return &certibloc.JuryDecision{PersonID: person, Blocks: blocks}
		}

		// Nobody has declared: no decision yet.
		err := db.DecideCandidate(ctx, j.ID, decision(w.ada, vae("RNCP38478BC01")))
		if got := problemCodes(err); !slices.Equal(got, []string{"conflict_undeclared", "conflict_undeclared", "conflict_undeclared"}) {
			t.Fatalf("deciding before declarations: %v", err)
		}
		w.declareAll(t, j.ID, w.ada)
		must(t, db.DeclareConflict(w.as(0), j.ID, w.grace, false))
		must(t, db.DeclareConflict(w.as(1), j.ID, w.grace, false))
		must(t, db.DeclareConflict(w.as(2), j.ID, w.grace, true))
		if got := problemCodes(db.DecideCandidate(ctx, j.ID, decision(w.grace))); !slices.Equal(got, []string{"conflict_declared"}) {
			t.Fatalf("deciding with a conflict declared: %v", got)
		}
		if err := db.DeclareConflict(w.ctx, j.ID, w.ada, false); certibloc.ErrorCode(err) != certibloc.EFORBIDDEN {
			t.Fatalf("a declaration by someone not on the jury: %v", err)
		}

		// An override needs a reason; with one it is recorded.
		noReason := vae("RNCP38478BC01")
		noReason.Reason = ""
		if got := problemCodes(db.DecideCandidate(ctx, j.ID, decision(w.ada, noReason))); !slices.Equal(got, []string{"override_reason"}) {
			t.Fatalf("an override without a reason: %v", got)
		}
		must(t, db.DecideCandidate(ctx, j.ID, decision(w.ada, vae("RNCP38478BC01"))))

		// Closing: Grace is undecided (her conflicted member sits).
		err = db.CloseJury(ctx, j.ID, minutes)
		if got := problemCodes(err); !slices.Equal(got, []string{"undecided"}) {
			t.Fatalf("closing with an undecided candidate: %v", err)
		}
		must(t, db.DeclareConflict(w.as(2), j.ID, w.grace, false))
		must(t, db.DecideCandidate(ctx, j.ID, decision(w.grace))) // partial success is normal: nothing validated
		must(t, db.CloseJury(ctx, j.ID, minutes))

		closed, err := db.Jury(ctx, j.ID)
		pdf, _ := db.JuryMinutes(ctx, j.ID)
		sum := sha256.Sum256(pdf)
		if err != nil || closed.State != certibloc.JuryClosed || closed.MinutesDigest != hex.EncodeToString(sum[:]) || !strings.HasPrefix(string(pdf), "PV Dijon") || !strings.Contains(string(pdf), "Ada LOVELACE") {
			t.Fatalf("closed jury %+v, minutes %q, %v", closed, pdf, err)
		}
		entries, err := db.AuditTrail(ctx, "jury", strconv.FormatInt(j.ID, 10))
		if err != nil || !slices.ContainsFunc(entries, func(e certibloc.AuditEntry) bool {
			return e.Action == "jury.close" && strings.Contains(string(e.Data), closed.MinutesDigest)
		}) {
			t.Fatalf("no jury.close entry with the digest in %+v, %v", entries, err)
		}
		ledger, err := db.Ledger(ctx, w.ada)
		if err != nil || len(ledger) != 1 || ledger[0].Block != "RNCP38478BC01" || ledger[0].Route != certibloc.VAE || ledger[0].JuryID != j.ID {
			t.Fatalf("ledger %+v, %v", ledger, err)
		}

		// Read-only after closing; a correction supersedes and adds to the ledger.
		if err := db.DecideCandidate(ctx, j.ID, decision(w.ada)); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("deciding on a closed jury: %v", err)
		}
		if err := db.CorrectJuryDecision(ctx, j.ID, decision(w.ada, certibloc.BlockVerdict{Block: "RNCP38478BC01"}), "Erreur de saisie du bloc."); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("a correction taking a block back: %v", err)
		}
		must(t, db.CorrectJuryDecision(ctx, j.ID, decision(w.ada, vae("RNCP38478BC02")), "Le bloc BC02 avait été omis du procès-verbal."))
		if ledger, _ = db.Ledger(ctx, w.ada); len(ledger) != 2 || ledger[1].Block != "RNCP38478BC02" {
			t.Fatalf("ledger after the correction: %+v", ledger)
		}

		// A later jury completes the title from the blocks acquired.
		j2 := w.jury(t, w.ada)
		w.declareAll(t, j2.ID, w.ada)
		props, err := db.JuryProposals(ctx, j2.ID)
		if err != nil || len(props) != 1 || len(props[0].Decision.Blocks) != 2 || props[0].Decision.Proposed {
			t.Fatalf("proposals of the second jury: %+v, %v", props, err)
		}
		jd := decision(w.ada, vae("RNCP38478BC03"), vae("RNCP38478BC04"))
		jd.Certified = true
		must(t, db.DecideCandidate(ctx, j2.ID, jd))
		if !jd.Proposed || jd.Blocks[0].Date != j2.Date {
			t.Fatalf("the title follows from the blocks validated: %+v", jd)
		}
		must(t, db.CloseJury(ctx, j2.ID, minutes))
		titles, err := db.TitlesAwarded(ctx, w.ada)
		if err != nil || len(titles) != 1 || titles[0].JuryID != j2.ID {
			t.Fatalf("titles %+v, %v", titles, err)
		}
		path, left, err := db.Path(ctx, w.ada, "RNCP38478")
		if err != nil || !path.Certified || len(left) != 0 {
			t.Fatalf("path: certified %v, left %v, %v", path.Certified, left, err)
		}
	})
}

// TestJuryQuorum: a jury whose members present do not meet the rule
// cannot close.
func TestJuryQuorum(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newJuryWorld(t, db)
		w.members[2].Present = false
		j := w.jury(t)
		err := db.CloseJury(w.ctx, j.ID, minutes)
		if got := problemCodes(err); !slices.Equal(got, []string{"jury_quorum"}) {
			t.Fatalf("closing without quorum: %v", err)
		}
		if got, _ := db.Jury(w.ctx, j.ID); got.State != certibloc.JuryOpen {
			t.Fatal("a refused closing changed the jury")
		}
	})
}

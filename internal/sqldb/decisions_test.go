package sqldb_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestDecideWalksTheWorkflow(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		a := w.submitted(t, "Parcours")
		var kinds []certibloc.DecisionKind
		for _, k := range []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.ScheduleInterview, certibloc.ScheduleInterview,
			certibloc.RecordInterview, certibloc.DecideWaitingList, certibloc.DecideAdmitted} {
			out := w.decide(t, k, a.ID)
			if len(out) != 1 || out[0].ID == 0 || out[0].Kind != k || out[0].DecidedBy != "account 1" || out[0].DecidedAt.IsZero() {
				t.Fatalf("%s = %+v", k, out)
			}
			kinds = append(kinds, k)
		}
		if w.state(t, a.ID) != certibloc.Admitted {
			t.Fatalf("state %s, want admitted", w.state(t, a.ID))
		}
		list, err := db.Decisions(ctx, a.ID)
		must(t, err)
		if len(list) != len(kinds) {
			t.Fatalf("%d decisions, want %d", len(list), len(kinds))
		}
		sched, interview := list[1], list[3]
		if sched.InterviewAt == nil || sched.Place != "Dijon, salle B12" || sched.Score != nil || len(sched.Members) != 2 ||
			sched.From != certibloc.Admissible || sched.To != certibloc.InterviewScheduled || list[2].From != certibloc.InterviewScheduled {
			t.Errorf("scheduled = %+v", sched)
		}
		if interview.Score == nil || *interview.Score != 14.5 || *interview.TestScore != 12 || interview.InterviewAt != nil {
			t.Errorf("interview = %+v", interview)
		}
		if list[5].From != certibloc.WaitingList || list[5].To != certibloc.Admitted || list[5].Reason != "Motif" {
			t.Errorf("admission = %+v", list[5])
		}
		if none, err := db.Decisions(ctx, w.draft(t, "Brouillon", 5).ID); err != nil || len(none) != 0 {
			t.Errorf("decisions of a draft: %v, %v", none, err)
		}
		if _, err := db.Decisions(ctx, 9999); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("decisions of nothing: %v", err)
		}
		trail, _ := db.AuditTrail(ctx, "application", fmt.Sprint(a.ID))
		if last := trail[len(trail)-1]; last.Action != "application.decide" || strings.Contains(string(last.Data), "Motif") ||
			!strings.Contains(string(last.Data), `"to":"admitted"`) {
			t.Errorf("last entry %s %s", last.Action, last.Data)
		}
	})
}

func TestDecideRefusesAndWritesNothing(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		a, b, c := w.submitted(t, "Un"), w.submitted(t, "Deux"), w.submitted(t, "Trois")
		outside := w.newCampaign(t, "OTHER", certibloc.DefaultClosing(2026))
		p := samplePerson("OTHER", "Ailleurs", "Max")
		mustCreate(t, db, p)
		elsewhere := &certibloc.Application{CampaignID: outside.ID, PersonID: p.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}
		must(t, db.CreateApplication(w.other, elsewhere))
		_, err := db.SubmitApplication(w.other, elsewhere.ID, db.Today())
		must(t, err)
		candidate := certibloc.WithPrincipal(ctx, &certibloc.Principal{Role: certibloc.Candidate, PersonID: a.PersonID, Label: "account 9"})
		admissible := certibloc.AdmissionDecision{Kind: certibloc.DecideAdmissible, Members: commission}
		for _, tt := range []struct {
			name string
			ctx  context.Context
			ids  []int64
			d    certibloc.AdmissionDecision
			code string
			want string
		}{
			{"admission before admissibility", w.staff, []int64{a.ID}, certibloc.AdmissionDecision{Kind: certibloc.DecideAdmitted, Members: commission},
				certibloc.ECONFLICT, fmt.Sprintf("application %d: decision admitted cannot be taken on an application that is submitted", a.ID)},
			{"one of three in the wrong state", w.staff, []int64{a.ID, w.draft(t, "Quatre", 5).ID, b.ID}, admissible,
				certibloc.ECONFLICT, "(no decision was taken on any of the 3 applications)"},
			{"one of another school", w.staff, []int64{a.ID, b.ID, elsewhere.ID}, admissible,
				certibloc.EFORBIDDEN, fmt.Sprintf("application %d belongs to another school (no decision was taken on any of the 3 applications)", elsewhere.ID)},
			{"one that does not exist", w.staff, []int64{a.ID, 99999}, admissible, certibloc.ENOTFOUND, "application 99999: no such application"},
			{"the same twice", w.staff, []int64{a.ID, a.ID}, admissible, certibloc.EINVALID, fmt.Sprintf("application %d is listed twice", a.ID)},
			{"no application", w.staff, nil, admissible, certibloc.EINVALID, "no application to decide on"},
			{"no commission", w.staff, []int64{a.ID}, certibloc.AdmissionDecision{Kind: certibloc.DecideAdmissible},
				certibloc.EINVALID, "members of the commission are required"},
			{"a refusal without reason", w.staff, []int64{a.ID}, certibloc.AdmissionDecision{Kind: certibloc.DecideNotAdmissible, Members: commission},
				certibloc.EINVALID, "a reason is required"},
			{"an enrolment", w.staff, []int64{a.ID}, certibloc.AdmissionDecision{Kind: certibloc.Enrol}, certibloc.EINVALID, "an enrolment is not a decision"},
			{"an unknown decision", w.staff, []int64{a.ID}, certibloc.AdmissionDecision{Kind: "accept"}, certibloc.EINVALID, `decision "accept" is not one of`},
			{"a candidate deciding", candidate, []int64{a.ID}, admissible, certibloc.EFORBIDDEN, "the candidate role may not do this"},
			{"a candidate withdrawing another's", candidate, []int64{b.ID}, certibloc.AdmissionDecision{Kind: certibloc.Withdraw},
				certibloc.EFORBIDDEN, "someone else's"},
			{"nobody", ctx, []int64{a.ID}, admissible, certibloc.EUNAUTHORIZED, "sign in"},
		} {
			_, err := db.Decide(tt.ctx, tt.ids, tt.d)
			if certibloc.ErrorCode(err) != tt.code || !strings.Contains(certibloc.ErrorMessage(err), tt.want) {
				t.Errorf("%s: %v, want %s %q", tt.name, err, tt.code, tt.want)
			}
			for _, app := range []*certibloc.Application{a, b, c} {
				if w.state(t, app.ID) != certibloc.Submitted {
					t.Fatalf("%s: application %d changed to %s", tt.name, app.ID, w.state(t, app.ID))
				}
				if list, _ := db.Decisions(ctx, app.ID); len(list) != 0 {
					t.Fatalf("%s: application %d has decisions %+v", tt.name, app.ID, list)
				}
			}
		}
		// The same list, all in the right state: taken on all.
		out := w.decide(t, certibloc.DecideAdmissible, c.ID, a.ID, b.ID)
		if len(out) != 3 || out[0].ApplicationID != c.ID || out[2].ApplicationID != b.ID || out[1].ID == out[0].ID {
			t.Errorf("bulk = %+v", out)
		}
		// The candidate withdraws their own application.
		out, err = db.Decide(candidate, []int64{a.ID}, certibloc.AdmissionDecision{Kind: certibloc.Withdraw})
		if err != nil || out[0].To != certibloc.Withdrawn || out[0].DecidedBy != "account 9" || len(out[0].Members) != 0 {
			t.Errorf("withdrawal = %+v, %v", out, err)
		}
		// Staff of OTHER decide on their own school's.
		if _, err := db.Decide(w.other, []int64{elsewhere.ID}, admissible); err != nil {
			t.Errorf("staff of OTHER on their application: %v", err)
		}
	})
}

func TestAdmissionCountsPlaces(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newAdmissions(t, db)
		var ids []int64
		for i := range 5 {
			a := w.submitted(t, fmt.Sprint("Place", i))
			for _, k := range []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.ScheduleInterview, certibloc.RecordInterview} {
				w.decide(t, k, a.ID)
			}
			ids = append(ids, a.ID)
		}
		// One-year initial training offers 3 places: 4 at once is one too many.
		_, err := db.Decide(w.staff, ids[:4], certibloc.AdmissionDecision{Kind: certibloc.DecideAdmitted, Members: commission})
		if certibloc.ErrorCode(err) != certibloc.ECONFLICT || !strings.Contains(err.Error(),
			fmt.Sprintf("application %d: no place left on track one_year in mode initial: the campaign offers 3 and 3 are taken", ids[3])) {
			t.Errorf("a fourth admission: %v", err)
		}
		w.decide(t, certibloc.DecideAdmitted, ids[:3]...)
		w.decide(t, certibloc.DecideWaitingList, ids[3:]...)
		_, err = db.Decide(w.staff, ids[3:4], certibloc.AdmissionDecision{Kind: certibloc.DecideAdmitted, Members: commission})
		if certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("from the waiting list with no place: %v", err)
		}
		// A place is freed when someone withdraws.
		w.decide(t, certibloc.Withdraw, ids[0])
		w.decide(t, certibloc.DecideAdmitted, ids[3])
		counts, err := db.ApplicationCounts(t.Context(), sqldb.ApplicationFilter{CampaignID: w.campaign.ID})
		must(t, err)
		got := fmt.Sprint(counts[certibloc.Admitted], counts[certibloc.WaitingList], counts[certibloc.Withdrawn])
		if got != "3 1 1" || len(counts) != len(certibloc.States) {
			t.Errorf("admitted, waiting, withdrawn = %s; counts %v", got, counts)
		}
		if !slices.Contains(certibloc.States, certibloc.Enrolled) || counts[certibloc.Enrolled] != 0 {
			t.Error("a state is missing from the counts")
		}
	})
}

// TestDecideOnManyApplications takes a decision on more applications than
// one batch of either engine writes, and checks each got its own, and
// that the audit trail is whole.
func TestDecideOnManyApplications(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		ids, err := db.SeedApplicationsForBench(ctx, w.campaign, 1234, func(int) certibloc.State { return certibloc.Submitted })
		must(t, err)
		out, err := db.Decide(w.staff, ids, certibloc.AdmissionDecision{Kind: certibloc.DecideNotAdmissible, Members: commission,
			Reason: "Dossier incomplet"})
		must(t, err)
		seen := map[int64]bool{}
		for i, d := range out {
			if d.ApplicationID != ids[i] || d.ID == 0 || seen[d.ID] || d.To != certibloc.NotAdmissible {
				t.Fatalf("decision %d = %+v", i, d)
			}
			seen[d.ID] = true
		}
		for _, i := range []int{0, 39, 40, 499, 500, 1233} {
			list, err := db.Decisions(ctx, ids[i])
			if err != nil || len(list) != 1 || list[0].ID != out[i].ID || list[0].Reason != "Dossier incomplet" || w.state(t, ids[i]) != certibloc.NotAdmissible {
				t.Errorf("application %d: %+v, %v", ids[i], list, err)
			}
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Errorf("the audit trail after a decision on %d applications: %v", len(ids), err)
		}
	})
}

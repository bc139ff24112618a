package sqldb_test

import (
	"slices"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestTitleCompletedOnANewerVersion: a learner acquires BC01 and BC02 at a
// closed jury on version 1; version 2 recodes BC01 as BC07 with a
// correspondence, and gives BC02 none. Enrolled on version 2, the learner
// passes the rest; a second jury on version 2 proposes and awards the
// title from BC07 carried with its first date, BC02 being taken again.
func TestTitleCompletedOnANewerVersion(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newEvalWorld(t, db, 1)
		ctx := certibloc.WithPrincipal(t.Context(), w.admin)
		ada := w.learners[0].ID
		jury := func(date certibloc.Date) *certibloc.JurySession {
			j := &certibloc.JurySession{Certification: "RNCP38478", Date: date, Place: "Dijon", Candidates: []int64{ada},
				Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true},
					{Name: "Pro A", Role: certibloc.JuryProfessional, Present: true}, {Name: "Pro B", Role: certibloc.JuryProfessional, Present: true}}}
			must(t, db.CreateJury(ctx, j))
			return j
		}
		decideAndClose := func(j *certibloc.JurySession) certibloc.JuryDecision {
			props, err := db.JuryProposals(ctx, j.ID)
			if err != nil || len(props) != 1 {
				t.Fatalf("proposals of jury %d: %+v, %v", j.ID, props, err)
			}
			jd := props[0].Decision
			must(t, db.DecideCandidate(ctx, j.ID, &jd))
			must(t, db.CloseJury(ctx, j.ID, minutes))
			return jd
		}

		// pass grades ada at a session at level 3 (or full points), as a
		// team of one at a team evaluation.
		pass := func(s *certibloc.EvalSession) {
			g, err := db.Grid(ctx, s.GridID)
			must(t, err)
			var shared, own []certibloc.Mark
			for _, cr := range g.Criteria {
				m := certibloc.Mark{Criterion: cr.Key, Value: 300}
				if cr.Scale.Max > 0 {
					m.Value = cr.Scale.Max
				}
				if cr.Individual || s.Form != certibloc.Team {
					own = append(own, m)
				} else {
					shared = append(shared, m)
				}
			}
			in := []sqldb.ResultInput{{PersonID: ada, Marks: own, Submit: true}}
			if s.Form == certibloc.Team {
				in = append([]sqldb.ResultInput{{Team: "Alpha", Marks: shared}}, in...)
			}
			_, err = db.RecordResults(ctx, w.evaluator, s.ID, in)
			must(t, err)
		}

		// Version 1: BC01 and BC02 passed, validated at a first jury.
		v1day := certibloc.DateOf(2027, time.March, 10)
		w.grade(t, w.session(t, bc01, 1, "", v1day), 3, ada)
		pass(w.session(t, bc02, 1, "", v1day, certibloc.Learner{PersonID: ada, Team: "Alpha"}))
		w.grade(t, w.session(t, bc02, 2, "", v1day), 3, ada)
		first := jury(certibloc.DateOf(2027, time.April, 1))
		if jd := decideAndClose(first); first.Version != 1 || jd.Certified || len(jd.Blocks) != 2 {
			t.Fatalf("first jury on version %d: %+v", first.Version, jd)
		}

		// Version 2: BC01 becomes BC07 (carried over), BC02 carries nothing.
		c, err := seed.Certification()
		must(t, err)
		c.Title += " (version révisée)"
		c.Block(bc01).Code = "RNCP38478BC07"
		c.English.Blocks[0].Code = "RNCP38478BC07" // its English translation follows it
		// A correspondence is judged against the version saved (2), not
		// the number c carries (1, as read): from version 2 is refused.
		bad := *c
		bad.Version = 0
		bad.Correspondences = []certibloc.Correspondence{{FromVersion: 2, From: bc01, To: "RNCP38478BC07"}}
		if _, err := db.SaveCertification(ctx, &bad); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Fatalf("a correspondence from the version saved: %v", err)
		}
		c.Correspondences = []certibloc.Correspondence{{FromVersion: 1, From: bc01, To: "RNCP38478BC07"}}
		res, err := db.SaveCertification(ctx, c)
		if err != nil || res.Version != 2 {
			t.Fatalf("saving version 2: %+v, %v", res, err)
		}

		// Enrolled on version 2 through a campaign of it.
		camp := w.newCampaign(t, "DIIAGE", certibloc.DefaultClosing(2026))
		if camp.Version != 2 {
			t.Fatalf("campaign on version %d", camp.Version)
		}
		a := &certibloc.Application{CampaignID: camp.ID, PersonID: ada, Track: certibloc.OneYear, Mode: certibloc.Apprenticeship, Option: bc05}
		must(t, db.CreateApplication(w.staff, a))
		_, err = db.SubmitApplication(w.staff, a.ID, db.Today())
		must(t, err)
		for _, k := range []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.ScheduleInterview, certibloc.RecordInterview, certibloc.DecideAdmitted} {
			w.decide(t, k, a.ID)
		}
		cohort := &certibloc.Cohort{School: "DIIAGE", CampaignID: camp.ID, Name: "Promotion 2026 (v2)", Track: certibloc.OneYear,
			StartsOn: w.cohort.StartsOn, EndsOn: w.cohort.EndsOn, PlannedHours: 600, WeeklyHours: 35}
		must(t, db.CreateCohort(w.staff, cohort))
		must(t, db.Enrol(w.staff, &certibloc.Enrolment{CohortID: cohort.ID, ApplicationID: a.ID, Employer: "ACME SAS",
			ContractStart: cohort.StartsOn, ContractEnd: cohort.EndsOn, Tutor: "Tuteur"}))

		// The path on version 2 before: BC07 acquired, BC02 to do again.
		path, left, err := db.Path(ctx, ada, "RNCP38478")
		must(t, err)
		if path.Certified || len(left) != 1 || left[0].Block != bc02 || left[0].Version != 1 {
			t.Fatalf("path on version 2: certified %v, left %+v", path.Certified, left)
		}
		status := map[string]bool{}
		for _, b := range path.Blocks() {
			status[b.Block] = b.Validated
		}
		if !status["RNCP38478BC07"] || status[bc02] {
			t.Fatalf("path on version 2: blocks %+v", path.Blocks())
		}

		// The rest, passed on version 2.
		v2day := certibloc.DateOf(2027, time.June, 10)
		for _, e := range []struct {
			block string
			n     int
			comp  string
		}{{bc02, 1, ""}, {bc02, 2, ""}, {"RNCP38478BC03", 1, ""}, {bc05, 1, ""}, {bc05, 2, ""}, {"", 0, "oral_defence"}, {"", 0, "technical_thesis"}} {
			s := &certibloc.EvalSession{School: "DIIAGE", Certification: "RNCP38478", Block: e.block, Evaluation: e.n,
				Complementary: e.comp, Title: "Session", Date: v2day, Place: "Dijon", Evaluators: []int64{w.evaluator.AccountID},
				Learners: []certibloc.Learner{{PersonID: ada}}}
			if e.block == bc02 && e.n == 1 {
				s.Learners[0].Team = "Alpha"
			}
			must(t, db.CreateEvalSession(w.ctx, w.staffP, s))
			if s.Version != 2 {
				t.Fatalf("session on version %d", s.Version)
			}
			pass(s)
		}

		// The second jury, on version 2, proposes and awards the title.
		second := jury(certibloc.DateOf(2027, time.July, 1))
		jd := decideAndClose(second)
		if second.Version != 2 || !jd.Proposed || !jd.Certified {
			t.Fatalf("second jury on version %d: %+v", second.Version, jd)
		}
		dates := map[string]certibloc.Date{}
		for _, b := range jd.Blocks {
			dates[b.Block] = b.Date
		}
		if dates["RNCP38478BC07"] != v1day || dates[bc02] != v2day || len(dates) != 4 {
			t.Fatalf("blocks of the second jury: %+v", jd.Blocks)
		}
		titles, err := db.TitlesAwarded(ctx, ada)
		if err != nil || len(titles) != 1 || titles[0].JuryID != second.ID || titles[0].Version != 2 {
			t.Fatalf("titles %+v, %v", titles, err)
		}

		// The ledger: BC01 once, at the first jury; BC02 on each version.
		ledger, err := db.Ledger(ctx, ada)
		must(t, err)
		var got []string
		for _, e := range ledger {
			got = append(got, e.Block+"@"+itoa(int64(e.Version))+":"+e.Date.String()+":"+itoa(e.JuryID))
		}
		slices.Sort(got)
		f, s := itoa(first.ID), itoa(second.ID)
		want := []string{bc01 + "@1:2027-03-10:" + f, bc02 + "@1:2027-03-10:" + f, bc02 + "@2:2027-06-10:" + s,
			"RNCP38478BC03@2:2027-06-10:" + s, bc05 + "@2:2027-06-10:" + s}
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("ledger %v, want %v", got, want)
		}
		path, left, err = db.Path(ctx, ada, "RNCP38478")
		if err != nil || !path.Certified || len(left) != 1 || left[0].Block != bc02 {
			t.Fatalf("path after the title: certified %v, left %+v, %v", path.Certified, left, err)
		}
	})
}

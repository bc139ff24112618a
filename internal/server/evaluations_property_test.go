package server_test

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestStoredResultsDecideAsSimulation is a property test: for generated
// cohorts — learners on random options who sit each evaluation or not,
// pass or fail, retake what they failed at later sessions, BC02's first
// evaluation in teams, complementary evaluations sometimes double-marked —
// the rules engine fed with the results stored in the database
// (sqldb.BlockStatuses) reaches, for every learner, the verdict that
// POST /api/v1/certifications/RNCP38478/simulate gives on the same
// attempts written by hand: certified or not, the validated blocks, what
// is missing and why, and every line of the explanation (with its dates),
// in French and in English.
func TestStoredResultsDecideAsSimulation(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		e := newE2E(t, db)
		evaluator, _ := evaluatorAccount(t, db, "generateur@example.org", certibloc.Evaluator)
		var grids struct{ Grids []certibloc.Grid }
		e.json(auth{}, "GET", "/api/v1/certifications/RNCP38478/grids", "/api/v1/certifications/{code}/grids", nil, 200, &grids)
		for seed := range uint64(3) {
			g := &generator{t: t, db: db, rng: rand.New(rand.NewPCG(seed, 8)), evaluator: evaluator, grids: grids.Grids,
				attempts: map[int64][]certibloc.Attempt{}}
			g.cohort(fmt.Sprintf("Gen%d", seed), 10)
			admin := &certibloc.Principal{Role: certibloc.Admin}
			statuses, err := db.BlockStatuses(t.Context(), admin, sqldb.StatusFilter{CohortID: g.co.ID})
			must(t, err)
			if len(statuses) != len(g.co.Learners) {
				t.Fatalf("seed %d: %d statuses for %d learners", seed, len(statuses), len(g.co.Learners))
			}
			certified := 0
			for _, st := range statuses {
				for _, lang := range []certibloc.Lang{certibloc.French, certibloc.English} {
					stored := st.Decision.Explain(lang)
					sim := e.simulate(st.Track, g.attempts[st.PersonID], "?lang="+lang.String())
					var missing []string
					for _, m := range stored.Missing {
						missing = append(missing, m.Code+": "+m.Reason)
					}
					var simMissing []string
					for _, m := range sim.Missing {
						simMissing = append(simMissing, m.Code+": "+m.Reason)
					}
					if stored.Certified != sim.Certified || !slices.Equal(stored.ValidatedBlocks, sim.ValidatedBlocks) ||
						!slices.Equal(missing, simMissing) || !slices.Equal(stored.Explanation, sim.Explanation) {
						t.Errorf("seed %d, learner %d (%s): stored results decide certified=%v %v missing %q; the simulation of %+v decides %v %v missing %q",
							seed, st.PersonID, lang, stored.Certified, stored.ValidatedBlocks, missing, g.attempts[st.PersonID],
							sim.Certified, sim.ValidatedBlocks, simMissing)
					}
				}
				if st.Decision.Certified {
					certified++
				}
			}
			t.Logf("seed %d: %d learners, %d sessions, %d certified", seed, len(statuses), g.sessions, certified)
		}
	})
}

// generator stores a random cohort's sessions and results, and keeps the
// attempts it means them to be.
type generator struct {
	t         *testing.T
	db        *sqldb.DB
	rng       *rand.Rand
	evaluator int64
	grids     []certibloc.Grid
	co        *evalCohort
	day       int
	sessions  int
	attempts  map[int64][]certibloc.Attempt // by learner, what the simulation is told
}

var generatorStaff = &certibloc.Principal{Role: certibloc.Staff, Schools: []string{ownSchool}, Label: "generator"}

// cohort enrols n learners on random options and has them sit every
// evaluation: at most three sittings, the later ones for those who
// failed and retake it.
func (g *generator) cohort(name string, n int) {
	opts := make([]string, n)
	for i := range opts {
		opts[i] = []string{"BC04", "BC05", "BC06"}[g.rng.IntN(3)]
	}
	g.co = enrolCohort(g.t, g.db, name, opts...)
	g.day = 5
	for i := range g.grids {
		gr := &g.grids[i]
		var todo []int64
		for _, p := range g.co.Learners {
			optional := gr.Block != "" && !strings.HasSuffix(gr.Block, "1") && !strings.HasSuffix(gr.Block, "2") && !strings.HasSuffix(gr.Block, "3")
			if (!optional || g.co.Option[p] == gr.Block) && g.rng.IntN(100) < 93 {
				todo = append(todo, p)
			}
		}
		for sitting := 0; sitting < 3 && len(todo) > 0; sitting++ {
			todo = g.sit(gr, todo)
			var again []int64
			for _, p := range todo {
				if g.rng.IntN(100) < 80 {
					again = append(again, p)
				}
			}
			todo = again
		}
	}
}

// sit holds a session of gr's evaluation for learners, each passing or
// failing at random, and returns those who failed.
func (g *generator) sit(gr *certibloc.Grid, learners []int64) (failed []int64) {
	g.day += 1 + g.rng.IntN(20)
	date := addDays(g.db.Today(), g.day)
	team := gr.Block == "RNCP38478BC02" && gr.Evaluation == 1
	double := gr.Complementary != "" && g.rng.IntN(2) == 0
	s := &certibloc.EvalSession{School: ownSchool, CohortID: g.co.ID, Block: gr.Block, Evaluation: gr.Evaluation,
		Complementary: gr.Complementary, Title: "Session générée", Date: date, Place: "Dijon", DoubleMarking: double,
		Evaluators: []int64{g.evaluator}}
	for i, p := range learners {
		l := certibloc.Learner{PersonID: p}
		if team {
			l.Team = fmt.Sprint("Équipe ", i%2+1)
		}
		s.Learners = append(s.Learners, l)
	}
	must(g.t, g.db.CreateEvalSession(g.t.Context(), generatorStaff, s))
	g.sessions++
	var batch []sqldb.ResultInput
	for _, p := range learners {
		passed := g.rng.IntN(100) < 75
		if double {
			// Two markers out of 20: passed when the mean, to the hundredth
			// rounded down, reaches 10.
			a, b := certibloc.Score(g.rng.IntN(2001)), certibloc.Score(g.rng.IntN(2001))
			passed = (a+b)/2 >= 1000
			batch = append(batch, sqldb.ResultInput{PersonID: p, Round: 1, Submit: true, Marks: []certibloc.Mark{{Criterion: "NOTE", Value: a}}},
				sqldb.ResultInput{PersonID: p, Round: 2, Submit: true, Marks: []certibloc.Mark{{Criterion: "NOTE", Value: b}}})
		} else {
			batch = append(batch, sqldb.ResultInput{PersonID: p, Submit: true, Marks: generatedMarks(gr, passed, g.rng)})
		}
		g.attempts[p] = append(g.attempts[p], certibloc.Attempt{Block: gr.Block, Evaluation: gr.Evaluation,
			Complementary: gr.Complementary, Passed: passed, Date: date})
		if !passed {
			failed = append(failed, p)
		}
	}
	_, err := g.db.RecordResults(g.t.Context(), generatorStaff, s.ID, batch)
	must(g.t, err)
	return failed
}

// generatedMarks grades every criterion of gr: acquired levels (3 or 4)
// or points from the pass mark up when passed; otherwise one mandatory
// criterion not acquired, or points below the pass mark. A team's shared
// criteria are the same for all: acquired; the member's own part decides.
func generatedMarks(gr *certibloc.Grid, passed bool, rng *rand.Rand) []certibloc.Mark {
	var out []certibloc.Mark
	fail := -1
	if !passed {
		var candidates []int
		for i, c := range gr.Criteria {
			if c.Mandatory && (c.Individual || !slices.ContainsFunc(gr.Criteria, func(c certibloc.Criterion) bool { return c.Individual })) {
				candidates = append(candidates, i)
			}
		}
		fail = candidates[rng.IntN(len(candidates))]
	}
	for i, c := range gr.Criteria {
		var v certibloc.Score
		switch {
		case len(c.Scale.Levels) > 0 && i == fail:
			v = certibloc.Score(100 * (1 + rng.IntN(2)))
		case len(c.Scale.Levels) > 0 && !c.Individual && slices.ContainsFunc(gr.Criteria, func(c certibloc.Criterion) bool { return c.Individual }):
			v = 300 // a team's criterion: one grade for the whole team
		case len(c.Scale.Levels) > 0:
			v = certibloc.Score(100 * (3 + rng.IntN(2)))
		case i == fail:
			v = certibloc.Score(rng.IntN(int(c.Scale.Pass)))
		default:
			v = c.Scale.Pass + certibloc.Score(rng.IntN(int(c.Scale.Max-c.Scale.Pass)+1))
		}
		out = append(out, certibloc.Mark{Criterion: c.Key, Value: v})
	}
	return out
}

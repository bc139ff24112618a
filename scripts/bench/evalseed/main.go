// Command evalseed prepares the load test of recording results
// (record-result.sh): in a database that `certibloc serve` migrated and
// filled with its default data, it enrols learners of DIIAGE on RNCP38478
// through the store (campaign, applications, decisions, cohorts of 30),
// holds a session of BC01's evaluation per cohort, and makes a staff
// token. It writes a Lua file for wrk: the token, the criteria of the
// grid, and every (session, learner) pair.
//
//	evalseed DATABASE-URL LEARNERS OUT.lua
package main

import (
	"context"
	"fmt"
	"log"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
)

const school, perCohort = "DIIAGE", 30

func main() {
	if len(os.Args) != 4 {
		log.Fatal("usage: evalseed DATABASE-URL LEARNERS OUT.lua")
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil || n < perCohort {
		log.Fatalf("LEARNERS must be a number of at least %d", perCohort)
	}
	ctx := context.Background()
	db, err := sqldb.Open(ctx, os.Args[1], "")
	check(err)
	defer db.Close()
	staff := &certibloc.Principal{Role: certibloc.Staff, Schools: []string{school}, Label: "evalseed"}
	sctx := certibloc.WithPrincipal(ctx, staff)
	prog, err := seed.Programme()
	check(err)
	today := db.Today()
	day := func(n int) certibloc.Date { return certibloc.Date{Time: today.AddDate(0, 0, n)} }
	c := &certibloc.Campaign{School: school, Programme: prog.Slug, Year: today.Year(), Title: "Charge " + time.Now().Format(time.RFC3339),
		OpensOn: day(-30), ClosesOn: day(60), Offers: []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Initial, Places: 10000}},
		Options: []string{"RNCP38478BC04"}}
	check(db.CreateCampaign(sctx, c))
	ev, err := db.CreateAccount(ctx, certibloc.Account{Email: fmt.Sprintf("charge.%d@example.org", time.Now().UnixNano()),
		Role: certibloc.Evaluator, Schools: []string{school}})
	check(err)
	token, _, err := db.CreateToken(ctx, "load test", "staff", school)
	check(err)
	var lua strings.Builder
	fmt.Fprintf(&lua, "token = %q\nL = {\n", token)
	var criteria []string
	start := time.Now()
	for k := 0; k*perCohort < n; k++ {
		var apps []int64
		for i := range perCohort {
			p := &certibloc.Person{School: school, BirthName: fmt.Sprintf("CHARGE%05d", k*perCohort+i), FirstNames: "Camille",
				Email: fmt.Sprintf("charge%d.%d@example.org", k*perCohort+i, start.UnixNano()), Level: 5}
			check(db.CreatePerson(sctx, p))
			a := &certibloc.Application{CampaignID: c.ID, PersonID: p.ID, Track: certibloc.OneYear, Mode: certibloc.Initial,
				Option: "RNCP38478BC04"}
			check(db.CreateApplication(sctx, a))
			_, err := db.SubmitApplication(sctx, a.ID, today)
			check(err)
			apps = append(apps, a.ID)
		}
		at := time.Now().Add(48 * time.Hour).Truncate(time.Minute)
		twelve := 12.0
		for _, d := range []certibloc.AdmissionDecision{
			{Kind: certibloc.DecideAdmissible, Members: []string{"Michel GIRARD"}},
			{Kind: certibloc.ScheduleInterview, InterviewAt: &at, Place: "Salle 12"},
			{Kind: certibloc.RecordInterview, Score: &twelve, TestScore: &twelve},
			{Kind: certibloc.DecideAdmitted, Members: []string{"Michel GIRARD"}},
		} {
			_, err := db.Decide(sctx, apps, d)
			check(err)
		}
		co := &certibloc.Cohort{School: school, CampaignID: c.ID, Name: fmt.Sprintf("Charge %d %d", start.UnixNano(), k),
			Track: certibloc.OneYear, StartsOn: day(-20), EndsOn: day(340), PlannedHours: 600, WeeklyHours: 35}
		check(db.CreateCohort(sctx, co))
		for _, app := range apps {
			check(db.Enrol(sctx, &certibloc.Enrolment{CohortID: co.ID, ApplicationID: app, InternshipMonths: 6}))
		}
		s := &certibloc.EvalSession{School: school, CohortID: co.ID, Block: "RNCP38478BC01", Evaluation: 1,
			Title: "Mise en situation BC01", Date: day(10), Place: "Dijon", Evaluators: []int64{ev.ID}}
		check(db.CreateEvalSession(ctx, staff, s))
		for _, l := range s.Learners {
			fmt.Fprintf(&lua, "{%d,%d},", s.ID, l.PersonID)
		}
		lua.WriteString("\n")
		if criteria == nil {
			g, err := db.Grid(ctx, s.GridID)
			check(err)
			for _, cr := range g.Criteria {
				criteria = append(criteria, strconv.Quote(cr.Key))
			}
		}
	}
	fmt.Fprintf(&lua, "}\nC = {%s}\n", strings.Join(criteria, ","))
	check(os.WriteFile(os.Args[3], []byte(lua.String()), 0o600))
	log.Printf("%d learners in sessions of %d, %d criteria, in %s", (n+perCohort-1)/perCohort*perCohort, perCohort, len(criteria),
		time.Since(start).Round(time.Second))
}

func check(err error) {
	if err != nil {
		log.Fatal(err)
	}
}

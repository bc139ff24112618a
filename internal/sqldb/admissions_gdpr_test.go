package sqldb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// seedAdmissions gives the person of seedEverything rows in every table of
// admissions: two applications (one enrolled, with a document and the
// decisions that led there; one refused) and an enrolment as an
// apprentice, whose tutor's name and address are personal values too.
func seedAdmissions(t *testing.T, db *sqldb.DB, s *seeded) {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
	cert, err := seed.Certification()
	must(t, err)
	_, err = db.SaveCertification(ctx, cert)
	must(t, err)
	today := db.Today()
	var apps []*certibloc.Application
	for _, year := range []int{today.Year(), today.Year() + 1} {
		c := &certibloc.Campaign{School: "DIIAGE", CertificationCode: cert.Code, Year: year, OpensOn: today,
			ClosesOn: certibloc.Date{Time: today.AddDate(0, 3, 0)},
			Offers:   []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Apprenticeship}}}
		must(t, db.CreateCampaign(ctx, c))
		a := &certibloc.Application{CampaignID: c.ID, PersonID: s.person.ID, Track: certibloc.OneYear, Mode: certibloc.Apprenticeship}
		must(t, db.CreateApplication(ctx, a))
		apps = append(apps, a)
	}
	_, err = db.AddDocument(ctx, apps[0].ID, certibloc.DocCV, "CV-Quatremare.pdf", file(t, "cv.pdf"))
	must(t, err)
	ids := []int64{apps[0].ID, apps[1].ID}
	for _, a := range apps {
		_, err := db.SubmitApplication(ctx, a.ID, today)
		must(t, err)
	}
	// A document asked for, and an accommodation asked for (issue 11).
	must(t, db.RequestDocument(ctx, &certibloc.DocumentRequest{ApplicationID: apps[1].ID, Kind: certibloc.DocTranscript,
		Message: "Le relevé de Zéphyrine manque"}, "https://certibloc.example"))
	_, err = db.RequestAccommodation(ctx, s.person.ID, "Tiers-temps pour Zéphyrine, dyslexie", "https://certibloc.example")
	must(t, err)
	_, err = db.RequestEmailChange(ctx, s.account.ID, "zephyrine.nouvelle@example.org")
	must(t, err)
	s.needles = append(s.needles, "Le relevé de Zéphyrine manque", "Tiers-temps pour Zéphyrine", "zephyrine.nouvelle@example.org")
	decide := func(d certibloc.AdmissionDecision, ids ...int64) {
		t.Helper()
		d.Members = []string{"Michel GIRARD"}
		_, err := db.Decide(ctx, ids, d)
		must(t, err)
	}
	at := today.Add(72 * time.Hour)
	decide(certibloc.AdmissionDecision{Kind: certibloc.DecideAdmissible}, ids...)
	// An internal note and an interview slot with its convocation (and
	// its .ics attachment) in the outbox (issue 11).
	must(t, db.AddNote(ctx, &certibloc.ApplicationNote{ApplicationID: apps[0].ID, Body: "Zéphyrine rappelle jeudi"}))
	slots := []certibloc.InterviewSlot{{StartsAt: today.Add(58 * time.Hour), Minutes: 30, Place: "Salle B14"}}
	must(t, db.CreateSlots(ctx, apps[0].CampaignID, slots))
	_, err = db.AssignSlot(ctx, slots[0].ID, apps[0].ID, "https://certibloc.example.org")
	must(t, err)
	decide(certibloc.AdmissionDecision{Kind: certibloc.ScheduleInterview, InterviewAt: &at, Place: "Salle B12"}, ids...)
	score := 11.0
	decide(certibloc.AdmissionDecision{Kind: certibloc.RecordInterview, Score: &score, TestScore: &score}, ids...)
	decide(certibloc.AdmissionDecision{Kind: certibloc.DecideAdmitted}, ids[0])
	decide(certibloc.AdmissionDecision{Kind: certibloc.DecideRefused, Reason: "Zéphyrine manque d'expérience en réseau"}, ids[1])
	cohort := &certibloc.Cohort{School: "DIIAGE", CampaignID: apps[0].CampaignID, Name: "Promotion 2026",
		Track: certibloc.OneYear, StartsOn: today, EndsOn: certibloc.Date{Time: today.AddDate(1, 0, 0)}, PlannedHours: 600, WeeklyHours: 35}
	must(t, db.CreateCohort(ctx, cohort))
	must(t, db.Enrol(ctx, &certibloc.Enrolment{CohortID: cohort.ID, ApplicationID: apps[0].ID, Employer: "ACME SAS",
		ContractStart: today, ContractEnd: cohort.EndsOn, Tutor: "Hortense Vasseur-Quillet", TutorEmail: "h.vasseur-quillet@acme.example"}))
	// The commission's members are named in this person's decisions only.
	s.needles = append(s.needles, "Hortense", "Vasseur-Quillet", "h.vasseur-quillet@acme.example", "manque d'expérience en réseau",
		"Michel GIRARD", "rappelle jeudi")
	seedEvaluations(t, db, s, cohort.ID)
	seedExports(t, db, s, apps[0].CampaignID, cert.Code)
}

// seedExports gives the campaign the person applied to an export made by
// a job, whose file lists them, and another under way (running); and
// another campaign, which the person did not apply to, an export that
// lists the witness only.
func seedExports(t *testing.T, db *sqldb.DB, s *seeded, campaign int64, certification string) {
	t.Helper()
	ctx := t.Context()
	other := &certibloc.Campaign{School: "DIIAGE", CertificationCode: certification, Year: db.Today().Year() + 2, OpensOn: db.Today(),
		ClosesOn: certibloc.Date{Time: db.Today().AddDate(0, 3, 0)},
		Offers:   []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Apprenticeship}}}
	must(t, db.CreateCampaign(certibloc.WithPrincipal(ctx, &certibloc.Principal{Role: certibloc.Admin, Label: "cli"}), other))
	export := func(campaign any, format, content string, finish bool) *certibloc.Job {
		t.Helper()
		job, _, err := db.EnqueueJob(ctx, certibloc.ExportApplicationsJob, fmt.Sprintf("campaign:%v:%s::fr", campaign, format),
			map[string]any{"campaign": campaign, "school": "DIIAGE", "format": format, "lang": "fr"}, 3)
		must(t, err)
		job, ok, err := db.ClaimJob(ctx, "seed", time.Hour, job.ID)
		if err != nil || !ok {
			t.Fatalf("claim the export job: %v, %v", ok, err)
		}
		if !finish {
			return job
		}
		must(t, db.SaveJobOutput(ctx, job.ID, job.Attempts, time.Hour, certibloc.JobFile{Name: "candidatures.csv",
			ContentType: "text/csv", Content: []byte(content)}, 1, 1))
		must(t, db.FinishJob(ctx, job.ID, job.Attempts))
		return job
	}
	s.export = export(campaign, "csv", "Nom;Prénom;Courriel;Téléphone\nQuatremare;Zéphyrine;zephyrine.quatremare@example.org;+33 6 98 76 54 32\n", true)
	s.runningExport = export(campaign, "xlsx", "", false)
	s.otherExport = export(other.ID, "csv", "Nom;Prénom;Courriel\nTémoin;Paul;zq.1991@diiage.example\n", true)
	// A payload that names no campaign: whom its file lists is unknown.
	s.unknownExport = export("quatre", "csv", "Quatremare;Zéphyrine\n", true)
}

// seedEvaluations gives the person of seedEverything a row in every table
// of evaluations: accommodations, a session they sit (assessed by their
// own evaluator account) and a submitted result with a comment about them.
func seedEvaluations(t *testing.T, db *sqldb.DB, s *seeded, cohort int64) {
	t.Helper()
	ctx := t.Context()
	admin := &certibloc.Principal{Role: certibloc.Admin, Label: "cli"}
	referent := &certibloc.Principal{Role: certibloc.Referent, Schools: []string{"DIIAGE"}, Label: "referent"}
	must(t, db.SetAccommodations(ctx, referent, s.person.ID, []certibloc.Accommodation{
		{Kind: certibloc.ExtraTime, Detail: "Tiers temps majoré"}, {Kind: certibloc.AdaptedFormat, Detail: "Police OpenDyslexic"}}))
	evaluator, err := db.AccountByEmail(ctx, "zq_1991@diiage.example")
	must(t, err)
	session := &certibloc.EvalSession{School: "DIIAGE", CohortID: cohort, Block: "RNCP38478BC01", Evaluation: 1,
		Title: "MSP BC01", Date: db.Today(), Place: "Dijon", Evaluators: []int64{evaluator.ID}}
	must(t, db.CreateEvalSession(ctx, admin, session))
	g, err := db.Grid(ctx, session.GridID)
	must(t, err)
	var marks []certibloc.Mark
	for _, c := range g.Criteria {
		marks = append(marks, certibloc.Mark{Criterion: c.Key, Value: 300})
	}
	marks[0].Comment = "Zéphyrine a présenté avec aisance malgré sa dyslexie"
	_, err = db.RecordResults(ctx, admin, session.ID, []sqldb.ResultInput{{PersonID: s.person.ID, Marks: marks, Submit: true}})
	must(t, err)
	s.needles = append(s.needles, "OpenDyslexic", "présenté avec aisance")
}

// TestEraseAdmissions: erasure deletes a person's applications with their
// documents and decisions, and keeps their enrolment without its tutor.
func TestEraseAdmissions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		s := seedEverything(t, db)
		x, err := db.ExportPerson(ctx, s.person.ID, sqldb.ExportScope{})
		must(t, err)
		if len(x.Tables["applications"]) != 2 || len(x.Tables["application_documents"]) != 1 ||
			len(x.Tables["admission_decisions"]) != 10 || len(x.Tables["enrolments"]) != 1 {
			t.Errorf("export: %d applications, %d documents, %d decisions, %d enrolments", len(x.Tables["applications"]),
				len(x.Tables["application_documents"]), len(x.Tables["admission_decisions"]), len(x.Tables["enrolments"]))
		}
		if _, ok := x.Tables["application_documents"][0]["data"]; ok {
			t.Error("the export holds the content of documents")
		}
		if len(x.Tables["application_notes"]) != 1 || len(x.Tables["interview_slots"]) != 1 || len(x.Tables["outbox_attachments"]) != 1 {
			t.Errorf("export: %d notes, %d slots, %d attachments", len(x.Tables["application_notes"]),
				len(x.Tables["interview_slots"]), len(x.Tables["outbox_attachments"]))
		}
		var trail int
		for _, e := range x.Tables["audit_log"] {
			if e["entity"] == "application" || e["entity"] == "enrolment" {
				trail++
			}
		}
		if trail == 0 {
			t.Error("the export lacks the history of the person's applications")
		}
		must(t, db.ErasePerson(ctx, s.person.ID, "request"))
		x, err = db.ExportPerson(ctx, s.person.ID, sqldb.ExportScope{})
		must(t, err)
		if len(x.Tables["application_notes"])+len(x.Tables["interview_slots"])+len(x.Tables["outbox_attachments"]) != 0 {
			t.Errorf("after erasure: %v notes, %v slots, %v attachments", x.Tables["application_notes"],
				x.Tables["interview_slots"], x.Tables["outbox_attachments"])
		}
		if list, total, err := db.Applications(ctx, sqldb.ApplicationFilter{PersonID: s.person.ID}); err != nil || total != 0 {
			t.Errorf("applications after erasure: %+v, %v", list, err)
		}
		cohorts, err := db.Cohorts(ctx, "DIIAGE")
		must(t, err)
		list, err := db.Enrolments(ctx, cohorts[0].ID)
		if err != nil || len(list) != 1 || list[0].Tutor != "" || list[0].ApplicationID != 0 || list[0].Name != "[effacé] [EFFACÉ]" ||
			list[0].Track != certibloc.OneYear || list[0].Version != 1 {
			t.Errorf("enrolment after erasure: %+v, %v", list, err)
		}
	})
}

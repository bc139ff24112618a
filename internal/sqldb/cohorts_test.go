package sqldb_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestDocuments(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		a := w.draft(t, "Pieces", 5)
		pdf, png, jpg := file(t, "cv.pdf"), file(t, "diploma.png"), file(t, "transcript.jpg")
		for _, f := range []struct {
			kind, name string
			data       []byte
			typ        string
		}{{certibloc.DocCV, "CV Camille.pdf", pdf, "application/pdf"}, {certibloc.DocDiploma, "diplome.png", png, "image/png"},
			{certibloc.DocTranscript, "releve.jpg", jpg, "image/jpeg"}} {
			d, err := db.AddDocument(ctx, a.ID, f.kind, f.name, f.data)
			sum := sha256.Sum256(f.data)
			if err != nil || d.ContentType != f.typ || d.Size != int64(len(f.data)) || d.SHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("AddDocument(%s) = %+v, %v", f.name, d, err)
			}
			got, data, err := db.DocumentData(ctx, d.ID)
			if err != nil || !bytes.Equal(data, f.data) || got.Filename != f.name || got.ApplicationID != a.ID {
				t.Errorf("DocumentData(%d) = %+v, %d bytes, %v", d.ID, got, len(data), err)
			}
		}
		for _, bad := range []struct {
			name string
			data []byte
			code string
			want string
		}{
			{"cv.pdf", []byte("Camille MARTIN, développeuse\n"), certibloc.EINVALID, "cv.pdf is not a PDF, PNG or JPEG file"},
			{"photo.pdf", png, certibloc.EINVALID, "photo.pdf is not what its name claims"},
			{"big.pdf", append(append([]byte{}, pdf...), make([]byte, certibloc.MaxDocumentSize)...), certibloc.EINVALID, "larger than 10 MiB"},
		} {
			if _, err := db.AddDocument(ctx, a.ID, certibloc.DocCV, bad.name, bad.data); certibloc.ErrorCode(err) != bad.code ||
				!strings.Contains(err.Error(), bad.want) {
				t.Errorf("%s: %v, want %q", bad.name, err, bad.want)
			}
		}
		list, err := db.Documents(ctx, a.ID)
		if err != nil || len(list) != 3 || list[0].Kind != certibloc.DocCV || list[2].ContentType != "image/jpeg" {
			t.Fatalf("Documents = %+v, %v", list, err)
		}
		trail, _ := db.AuditTrail(ctx, "application", fmt.Sprint(a.ID))
		if last := trail[len(trail)-1]; last.Action != "application.document" || strings.Contains(string(last.Data), "Camille") {
			t.Errorf("trail: %s %s", last.Action, last.Data)
		}
		if _, err := db.SubmitApplication(ctx, a.ID, db.Today()); err != nil {
			t.Fatal(err)
		}
		// Documents are still added until the admissibility commission
		// (issue 11), not after.
		if _, err := db.AddDocument(ctx, a.ID, certibloc.DocOther, "late.pdf", pdf); err != nil {
			t.Errorf("a document after submission: %v", err)
		}
		if _, err := db.Decide(w.staff, []int64{a.ID}, certibloc.AdmissionDecision{Kind: certibloc.DecideNotAdmissible,
			Members: []string{"Michel GIRARD"}, Reason: "Dossier incomplet"}); err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddDocument(ctx, a.ID, certibloc.DocOther, "later.pdf", pdf); certibloc.ErrorCode(err) != certibloc.ECONFLICT ||
			!strings.Contains(err.Error(), "can no longer be added") {
			t.Errorf("a document after the commission: %v", err)
		}
		if _, _, err := db.DocumentData(ctx, 9999); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("no document: %v", err)
		}
		if _, err := db.AddDocument(ctx, 9999, certibloc.DocCV, "cv.pdf", pdf); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("a document of no application: %v", err)
		}
	})
}

func TestCohortsAndEnrolments(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		cohort := &certibloc.Cohort{School: "diiage", CampaignID: w.campaign.ID, Name: "DIIAGE L3 2026", Track: certibloc.OneYear,
			StartsOn: certibloc.DateOf(2026, 9, 1), EndsOn: certibloc.DateOf(2027, 8, 31), PlannedHours: 600, WeeklyHours: 35}
		must(t, db.CreateCohort(w.staff, cohort))
		if cohort.ID == 0 || cohort.School != "DIIAGE" || cohort.CertificationCode != "RNCP38478" || cohort.Version != 1 {
			t.Fatalf("cohort = %+v", cohort)
		}
		dup := *cohort
		if err := db.CreateCohort(w.staff, &dup); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("a second cohort of the same name: %v", err)
		}
		three := &certibloc.Cohort{School: "DIIAGE", CertificationCode: "RNCP38478", Name: "DIIAGE 3 ans 2026",
			Track: certibloc.ThreeYear, StartsOn: certibloc.DateOf(2026, 9, 1), EndsOn: certibloc.DateOf(2029, 6, 30), PlannedHours: 1800, WeeklyHours: 35}
		must(t, db.CreateCohort(w.staff, three))
		if err := db.CreateCohort(w.staff, &certibloc.Cohort{School: "OTHER", CampaignID: w.campaign.ID, Name: "X", Track: certibloc.OneYear,
			StartsOn: cohort.StartsOn, EndsOn: cohort.EndsOn, PlannedHours: 600, WeeklyHours: 35}); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("a cohort of OTHER for a campaign of DIIAGE: %v", err)
		}

		initial := w.admitted(t, "Initiale")
		apprentice := w.draft(t, "Apprentie", 5)
		must(t, db.UpdateApplication(ctx, &certibloc.Application{ID: apprentice.ID, Track: certibloc.OneYear, Mode: certibloc.Apprenticeship}))
		_, err := db.SubmitApplication(ctx, apprentice.ID, db.Today())
		must(t, err)
		waiting := w.submitted(t, "Attente")
		for _, k := range []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.ScheduleInterview, certibloc.RecordInterview} {
			w.decide(t, k, apprentice.ID, waiting.ID)
		}
		w.decide(t, certibloc.DecideAdmitted, apprentice.ID)
		w.decide(t, certibloc.DecideWaitingList, waiting.ID)

		contract := certibloc.Enrolment{CohortID: cohort.ID, ApplicationID: apprentice.ID, Employer: "ACME SAS", EmployerSIRET: "73282932000074",
			ContractStart: certibloc.DateOf(2026, 9, 1), ContractEnd: certibloc.DateOf(2027, 8, 31), Tutor: "Paul DURAND", TutorEmail: "P.Durand@acme.example"}
		for _, bad := range []struct {
			e    certibloc.Enrolment
			code string
			want string
		}{
			{certibloc.Enrolment{CohortID: cohort.ID, ApplicationID: waiting.ID, InternshipMonths: 6}, certibloc.ECONFLICT,
				fmt.Sprintf("application %d: decision enrol cannot be taken on an application that is waiting_list", waiting.ID)},
			{certibloc.Enrolment{CohortID: three.ID, ApplicationID: initial.ID, InternshipMonths: 6}, certibloc.EINVALID,
				"follows track three_year, application"},
			{certibloc.Enrolment{CohortID: cohort.ID, ApplicationID: initial.ID}, certibloc.EINVALID, "internship_months is required"},
			{certibloc.Enrolment{CohortID: cohort.ID, ApplicationID: apprentice.ID, Employer: "ACME"}, certibloc.EINVALID, "contract_start"},
			{certibloc.Enrolment{CohortID: 999, ApplicationID: initial.ID, InternshipMonths: 6}, certibloc.EINVALID, "cohort 999 does not exist"},
			{certibloc.Enrolment{CohortID: cohort.ID, InternshipMonths: 6}, certibloc.EINVALID, "application_id is required"},
		} {
			if err := db.Enrol(w.staff, &bad.e); certibloc.ErrorCode(err) != bad.code || !strings.Contains(err.Error(), bad.want) {
				t.Errorf("Enrol(%+v) = %v, want %q", bad.e, err, bad.want)
			}
		}
		if w.state(t, initial.ID) != certibloc.Admitted || w.state(t, waiting.ID) != certibloc.WaitingList {
			t.Fatal("a refused enrolment changed an application")
		}

		learner := certibloc.Enrolment{CohortID: cohort.ID, ApplicationID: initial.ID, InternshipMonths: 6, Mode: certibloc.Apprenticeship, Version: 7}
		must(t, db.Enrol(w.staff, &learner))
		if learner.ID == 0 || learner.Mode != certibloc.Initial || learner.Track != certibloc.OneYear || learner.Version != 1 ||
			learner.PersonID != initial.PersonID || learner.Name != "Camille INITIALE" {
			t.Errorf("enrolment = %+v", learner)
		}
		must(t, db.Enrol(w.staff, &contract))
		if contract.TutorEmail != "p.durand@acme.example" || contract.Mode != certibloc.Apprenticeship {
			t.Errorf("apprentice = %+v", contract)
		}
		again := certibloc.Enrolment{CohortID: cohort.ID, ApplicationID: initial.ID, InternshipMonths: 6}
		if err := db.Enrol(w.staff, &again); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("enrolling twice: %v", err)
		}
		if w.state(t, initial.ID) != certibloc.Enrolled {
			t.Errorf("state after enrolment: %s", w.state(t, initial.ID))
		}
		history, _ := db.Decisions(ctx, initial.ID)
		if last := history[len(history)-1]; last.Kind != certibloc.Enrol || last.From != certibloc.Admitted || last.DecidedBy != "account 1" {
			t.Errorf("last decision = %+v", last)
		}
		got, err := db.Cohort(ctx, cohort.ID)
		if err != nil || got.Learners != 2 || got.PlannedHours != 600 || got.CampaignID != w.campaign.ID {
			t.Errorf("Cohort = %+v, %v", got, err)
		}
		list, err := db.Enrolments(ctx, cohort.ID)
		if err != nil || len(list) != 2 || list[0].Name != "Camille APPRENTIE" || list[0].Employer != "ACME SAS" ||
			list[0].ContractEnd != certibloc.DateOf(2027, 8, 31) || list[1].InternshipMonths != 6 || list[1].ApplicationID != initial.ID {
			t.Errorf("Enrolments = %+v, %v", list, err)
		}
		all, err := db.Cohorts(ctx, "")
		if err != nil || len(all) != 2 {
			t.Errorf("Cohorts = %+v, %v", all, err)
		}
		if none, _ := db.Cohorts(ctx, "OTHER"); len(none) != 0 {
			t.Errorf("Cohorts(OTHER) = %+v", none)
		}
		if _, err := db.Cohort(ctx, 999); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("no cohort: %v", err)
		}
		trail, _ := db.AuditTrail(ctx, "enrolment", fmt.Sprint(contract.ID))
		if len(trail) != 1 || strings.Contains(string(trail[0].Data), "DURAND") || strings.Contains(string(trail[0].Data), "ACME") {
			t.Errorf("enrolment trail: %+v", trail)
		}
	})
}

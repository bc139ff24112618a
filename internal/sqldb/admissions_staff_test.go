package sqldb_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// lastMail is the newest message of the outbox to an address, with its
// attachments.
func lastMail(t *testing.T, db *sqldb.DB, to string) certibloc.Mail {
	t.Helper()
	list, err := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true})
	must(t, err)
	for _, m := range list {
		if m.To == to {
			full, err := db.OutboxMail(t.Context(), m.ID)
			must(t, err)
			return full
		}
	}
	t.Fatalf("no message to %s", to)
	return certibloc.Mail{}
}

// TestSlotGivenOnceUnderConcurrency: staff giving the same slot to
// several candidates at once give it to one; the others are told it is
// taken, and nothing of theirs is written. The one convened gets the
// interview in their history and a convocation with its .ics.
func TestSlotGivenOnceUnderConcurrency(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newAdmissions(t, db)
		var ids []int64
		for i := range 6 {
			a := w.submitted(t, fmt.Sprint("Creneau", i))
			w.decide(t, certibloc.DecideAdmissible, a.ID)
			ids = append(ids, a.ID)
		}
		slots := []certibloc.InterviewSlot{{StartsAt: w.now.Add(48 * time.Hour), Minutes: 30, Place: "Dijon, salle B12"},
			{StartsAt: w.now.Add(49 * time.Hour), Minutes: 45, VisioURL: "https://visio.example.org/b12"}}
		must(t, db.CreateSlots(w.staff, w.campaign.ID, slots))
		var wg sync.WaitGroup
		errs := make(chan error, len(ids))
		for _, id := range ids {
			wg.Go(func() {
				_, err := db.AssignSlot(w.staff, slots[0].ID, id, "https://certibloc.example.org")
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		counts := map[string]int{}
		for err := range errs {
			counts[certibloc.ErrorCode(err)]++
		}
		if counts[""] != 1 || counts[certibloc.ECONFLICT] != 5 {
			t.Fatalf("outcomes by error code: %v; want 1 success and 5 conflicts", counts)
		}
		list, err := db.Slots(t.Context(), w.campaign.ID, time.Time{}, time.Time{})
		must(t, err)
		holder := list[0].ApplicationID
		scheduled := 0
		for _, id := range ids {
			if w.state(t, id) == certibloc.InterviewScheduled {
				scheduled++
				if id != holder {
					t.Errorf("application %d is convened without the slot", id)
				}
			}
		}
		if scheduled != 1 || list[1].ApplicationID != 0 {
			t.Fatalf("%d convened; slots %+v", scheduled, list)
		}
		a, err := db.Application(t.Context(), holder)
		must(t, err)
		p, err := db.Person(t.Context(), a.PersonID)
		must(t, err)
		m := lastMail(t, db, p.Email)
		if len(m.Attachments) != 1 || m.Attachments[0].Filename != "entretien.ics" ||
			!strings.HasPrefix(m.Attachments[0].ContentType, "text/calendar") {
			t.Fatalf("the convocation's attachments: %+v", m.Attachments)
		}
		ics := string(m.Attachments[0].Data)
		for _, want := range []string{"BEGIN:VCALENDAR\r\n", "DTSTART:20260317T100000Z\r\n", "DTEND:20260317T103000Z\r\n",
			"LOCATION:Dijon\\, salle B12\r\n", fmt.Sprintf("UID:interview-%d-%d@certibloc.example.org\r\n", slots[0].ID, holder)} {
			if !strings.Contains(ics, want) {
				t.Errorf("the .ics lacks %q:\n%s", want, ics)
			}
		}
		if !strings.Contains(m.Body, "17/03/2026 à 11h00") {
			t.Errorf("the convocation gives no Paris time:\n%s", m.Body)
		}

		// Moved to the other slot, the candidate frees the first; withdrawn,
		// they free the second.
		_, err = db.AssignSlot(w.staff, slots[1].ID, holder, "")
		must(t, err)
		list, _ = db.Slots(t.Context(), w.campaign.ID, time.Time{}, time.Time{})
		if list[0].ApplicationID != 0 || list[1].ApplicationID != holder {
			t.Errorf("after moving: %+v", list)
		}
		if err := db.DeleteSlot(w.staff, slots[1].ID); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("deleting a slot given: %v", err)
		}
		_, err = db.Decide(w.staff, []int64{holder}, certibloc.AdmissionDecision{Kind: certibloc.Withdraw})
		must(t, err)
		list, _ = db.Slots(t.Context(), w.campaign.ID, time.Time{}, time.Time{})
		if list[1].ApplicationID != 0 {
			t.Errorf("a withdrawn candidate holds their slot: %+v", list[1])
		}
		must(t, db.DeleteSlot(w.staff, slots[1].ID))

		// A slot in the past, or of no place, is refused; another school's
		// staff may not give a slot.
		past := []certibloc.InterviewSlot{{StartsAt: w.now.Add(-time.Hour), Minutes: 30, Place: "Salle"}}
		if err := db.CreateSlots(w.staff, w.campaign.ID, past); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("a slot in the past: %v", err)
		}
		nowhere := []certibloc.InterviewSlot{{StartsAt: w.now.Add(time.Hour), Minutes: 30}}
		if err := db.CreateSlots(w.staff, w.campaign.ID, nowhere); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("a slot without a place: %v", err)
		}
		if _, err := db.AssignSlot(w.other, slots[0].ID, ids[1], ""); certibloc.ErrorCode(err) != certibloc.EFORBIDDEN {
			t.Errorf("another school's staff gave a slot: %v", err)
		}
	})
}

// TestDecisionCorrected: the last commission decision is corrected with a
// reason; both stay in the history, the application moves, and the
// candidate is told in the language they chose.
func TestDecisionCorrected(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newAdmissions(t, db)
		a := w.submitted(t, "Corrige")
		first := w.decide(t, certibloc.DecideAdmissible, a.ID)[0]
		p, err := db.Person(t.Context(), a.PersonID)
		must(t, err)
		acc, err := db.CreateAccount(t.Context(), certibloc.Account{PersonID: p.ID, Email: p.Email, Role: certibloc.Candidate})
		must(t, err)
		must(t, db.SetAccountLang(t.Context(), acc.ID, "en"))

		if _, err := db.CorrectDecision(w.staff, first.ID, certibloc.AdmissionDecision{Kind: certibloc.DecideNotAdmissible}); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("a correction without reason: %v", err)
		}
		if _, err := db.CorrectDecision(w.staff, first.ID, certibloc.AdmissionDecision{Kind: certibloc.DecideAdmitted, Reason: "x"}); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("an admissibility corrected into an admission: %v", err)
		}
		if _, err := db.CorrectDecision(w.other, first.ID, certibloc.AdmissionDecision{Kind: certibloc.DecideNotAdmissible, Reason: "x"}); certibloc.ErrorCode(err) != certibloc.EFORBIDDEN {
			t.Errorf("another school corrected: %v", err)
		}
		d, err := db.CorrectDecision(w.staff, first.ID, certibloc.AdmissionDecision{Kind: certibloc.DecideNotAdmissible,
			Reason: "Diploma not recognised"})
		must(t, err)
		if d.Corrects != first.ID || d.From != certibloc.Admissible || d.To != certibloc.NotAdmissible ||
			strings.Join(d.Members, "|") != strings.Join(commission, "|") {
			t.Errorf("the correction: %+v", d)
		}
		history, err := db.Decisions(t.Context(), a.ID)
		must(t, err)
		if len(history) != 2 || history[0].ID != first.ID || history[0].Kind != certibloc.DecideAdmissible || history[1].Corrects != first.ID {
			t.Errorf("the history: %+v", history)
		}
		if w.state(t, a.ID) != certibloc.NotAdmissible {
			t.Errorf("the application is %s", w.state(t, a.ID))
		}
		m := lastMail(t, db, p.Email)
		if m.Subject != "Correction of the decision on your application" || !strings.Contains(m.Body, "you were declared admissible, you are now not admissible") ||
			!strings.Contains(m.Body, "Diploma not recognised") || strings.Contains(m.Body, "Bonjour") {
			t.Errorf("the candidate's e-mail, in English:\n%s\n%s", m.Subject, m.Body)
		}
		// Corrected again, from where the first decision was taken; only the
		// last decision is corrected.
		if _, err := db.CorrectDecision(w.staff, first.ID, certibloc.AdmissionDecision{Kind: certibloc.DecideNotAdmissible, Reason: "x"}); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("correcting a decision that is not the last: %v", err)
		}
		again, err := db.CorrectDecision(w.staff, d.ID, certibloc.AdmissionDecision{Kind: certibloc.DecideAdmissible, Reason: "Recognised after all"})
		must(t, err)
		if again.From != certibloc.NotAdmissible || again.To != certibloc.Admissible || w.state(t, a.ID) != certibloc.Admissible {
			t.Errorf("the second correction: %+v", again)
		}
	})
}

// TestEnrolAdmittedInBulk: the admitted candidates ticked are enrolled in
// one transaction; those who cannot be are reported with the reason.
func TestEnrolAdmittedInBulk(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newAdmissions(t, db)
		one, two := w.admitted(t, "Premier"), w.admitted(t, "Second")
		waiting := w.submitted(t, "Attente")
		appr := w.draft(t, "Apprenti", 5)
		appr.Mode = certibloc.Apprenticeship
		must(t, db.UpdateApplication(w.staff, appr))
		_, err := db.SubmitApplication(w.staff, appr.ID, db.Today())
		must(t, err)
		for _, k := range []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.ScheduleInterview,
			certibloc.RecordInterview, certibloc.DecideAdmitted} {
			w.decide(t, k, appr.ID)
		}
		cohort := &certibloc.Cohort{School: "DIIAGE", CampaignID: w.campaign.ID, Name: "Promotion en bloc", Track: certibloc.OneYear,
			StartsOn: certibloc.DateOf(2026, 9, 1), EndsOn: certibloc.DateOf(2027, 6, 30), PlannedHours: 600, WeeklyHours: 35}
		must(t, db.CreateCohort(w.staff, cohort))
		if _, err := db.EnrolAdmitted(w.other, cohort.ID, []int64{one.ID}, 6); certibloc.ErrorCode(err) != certibloc.EFORBIDDEN {
			t.Errorf("another school enrolled: %v", err)
		}
		report, err := db.EnrolAdmitted(w.staff, cohort.ID, []int64{one.ID, waiting.ID, two.ID, appr.ID}, 6)
		must(t, err)
		var enrolled []string
		for _, e := range report.Enrolled {
			enrolled = append(enrolled, e.Name)
		}
		refused := map[int64]string{}
		for _, r := range report.Refused {
			refused[r.ApplicationID] = r.Code
		}
		if strings.Join(enrolled, "|") != "Camille PREMIER|Camille SECOND" ||
			refused[waiting.ID] != "not_admitted" || refused[appr.ID] != "apprenticeship" || len(refused) != 2 {
			t.Errorf("enrolled %v, refused %v", enrolled, refused)
		}
		if w.state(t, one.ID) != certibloc.Enrolled || w.state(t, two.ID) != certibloc.Enrolled || w.state(t, appr.ID) != certibloc.Admitted {
			t.Errorf("states after: %s %s %s", w.state(t, one.ID), w.state(t, two.ID), w.state(t, appr.ID))
		}
		learners, err := db.Enrolments(t.Context(), cohort.ID)
		must(t, err)
		if len(learners) != 2 || learners[0].InternshipMonths != 6 {
			t.Errorf("learners: %+v", learners)
		}
		// Again: both are learners already, nobody is enrolled twice.
		report, err = db.EnrolAdmitted(w.staff, cohort.ID, []int64{one.ID}, 6)
		must(t, err)
		if len(report.Enrolled) != 0 || len(report.Refused) != 1 || report.Refused[0].Code != "not_admitted" {
			t.Errorf("enrolled twice: %+v", report)
		}
	})
}

package sqldb_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// surveyLink finds the token of the last survey e-mail sent to address.
func surveyLink(t *testing.T, db *sqldb.DB, address string) (token string, m certibloc.Mail) {
	t.Helper()
	mails, err := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true})
	must(t, err)
	for _, m := range mails { // newest first
		if m.To == address {
			if got := regexp.MustCompile(`/surveys/([A-Za-z0-9_-]+)`).FindStringSubmatch(m.Body); got != nil {
				return got[1], m
			}
		}
	}
	t.Fatalf("no survey e-mail to %s", address)
	return "", certibloc.Mail{}
}

// TestInsertionSurveys: six months after the jury (not a day before) each
// holder gets a survey link by e-mail, in their language, once; the link
// takes an answer without an account, which can be corrected until the
// survey closes and not after; an unknown link finds nothing; the rates
// count the answers; two years after, the second wave goes.
func TestInsertionSurveys(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newJuryWorld(t, db)
		ctx := w.ctx
		ada, err := db.Person(ctx, w.ada)
		must(t, err)
		ada.Email = "ada@example.org"
		must(t, db.UpdatePerson(ctx, ada))
		grace, err := db.Person(ctx, w.grace)
		must(t, err)
		grace.Email = "grace@example.org"
		must(t, db.UpdatePerson(ctx, grace))
		acct := mustAccount(t, db, certibloc.Account{PersonID: w.grace, Email: "grace.account@example.org", Role: certibloc.Candidate})
		must(t, db.SetAccountLang(ctx, acct.ID, "en"))
		j := w.jury(t, w.ada, w.grace) // held 2027-07-01
		w.awardTitle(t, j, map[int64]certibloc.Route{w.ada: certibloc.VAE, w.grace: certibloc.Training})

		at := func(y int, m time.Month, d int) {
			db.SetClockForGDPRTest(func() time.Time { return time.Date(y, m, d, 9, 0, 0, 0, time.UTC) })
		}
		defer db.SetClockForGDPRTest(time.Now)
		at(2027, 12, 31)
		if n, err := db.SendDueSurveys(ctx, "https://certibloc.test", certibloc.Date{}, 0); err != nil || n != 0 {
			t.Fatalf("a day before six months: %d sent, %v", n, err)
		}
		at(2028, 1, 1)
		if n, err := db.SendDueSurveys(ctx, "https://certibloc.test/", certibloc.Date{}, 0); err != nil || n != 2 {
			t.Fatalf("six months after: %d sent, %v", n, err)
		}
		if n, err := db.SendDueSurveys(ctx, "https://certibloc.test", certibloc.Date{}, 0); err != nil || n != 0 {
			t.Fatalf("sent again: %d, %v", n, err)
		}
		adaToken, fr := surveyLink(t, db, "ada@example.org")
		graceToken, en := surveyLink(t, db, "grace@example.org")
		if !strings.Contains(fr.Subject, "Que devenez-vous") || !strings.Contains(fr.Body, "https://certibloc.test/surveys/"+adaToken) ||
			!strings.Contains(fr.Body, "1er avril 2028") {
			t.Errorf("French e-mail: %q\n%s", fr.Subject, fr.Body)
		}
		if !strings.Contains(en.Subject, "What has become of you") || !strings.Contains(en.Body, "Grace") {
			t.Errorf("English e-mail: %q\n%s", en.Subject, en.Body)
		}
		if len(adaToken) < 40 || adaToken == graceToken {
			t.Errorf("tokens %q and %q are not unguessable", adaToken, graceToken)
		}

		s, err := db.SurveyByToken(ctx, adaToken)
		must(t, err)
		if s.PersonID != w.ada || s.Wave != 6 || s.Route != certibloc.VAE || s.AnsweredAt != nil || s.ClosesOn.String() != "2028-04-01" {
			t.Errorf("survey %+v", s)
		}
		if _, err := db.SurveyByToken(ctx, adaToken+"x"); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("unknown token: %v", err)
		}
		if _, err := db.AnswerSurvey(ctx, adaToken, certibloc.SurveyAnswer{Situation: certibloc.EmployedInField}); certibloc.ErrorCode(err) != certibloc.EINVALID ||
			!strings.Contains(err.Error(), "contract") {
			t.Errorf("employed without a contract: %v", err)
		}
		if _, err := db.AnswerSurvey(ctx, adaToken, certibloc.SurveyAnswer{Situation: "rich"}); certibloc.ErrorCode(err) != certibloc.EINVALID ||
			!strings.Contains(err.Error(), "situation") {
			t.Errorf("unknown situation: %v", err)
		}
		_, err = db.AnswerSurvey(ctx, adaToken, certibloc.SurveyAnswer{Situation: certibloc.Seeking})
		must(t, err)
		at(2028, 4, 1) // the last day: a correction goes through
		s, err = db.AnswerSurvey(ctx, adaToken, certibloc.SurveyAnswer{Situation: certibloc.EmployedInField, JobTitle: "Cheffe de projet", Contract: certibloc.Permanent})
		must(t, err)
		if s.Answer.JobTitle != "Cheffe de projet" || s.AnsweredAt == nil {
			t.Errorf("corrected: %+v", s)
		}
		at(2028, 4, 2)
		if _, err := db.AnswerSurvey(ctx, adaToken, certibloc.SurveyAnswer{Situation: certibloc.Studying}); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("answered after closing: %v", err)
		}
		if s, _ = db.SurveyByToken(ctx, adaToken); s.Answer.Situation != certibloc.EmployedInField {
			t.Errorf("a refused correction changed the answer: %+v", s.Answer)
		}

		figs, err := db.CertificationSurveys(ctx, "RNCP38478")
		must(t, err)
		if len(figs) != 2 {
			t.Fatalf("figures %+v", figs)
		}
		training, vae := figs[0], figs[1]
		if training.Route != certibloc.Training || training.Sent != 1 || training.Answered != 0 || training.ResponseRate != 0 {
			t.Errorf("training %+v", training)
		}
		if vae.Year != 2027 || vae.Wave != 6 || vae.Sent != 1 || vae.Answered != 1 || vae.InsertionRate != 100 || vae.FieldRate != 100 || vae.ResponseRate != 100 {
			t.Errorf("VAE %+v", vae)
		}

		at(2029, 7, 1)
		if n, err := db.SendDueSurveys(ctx, "https://certibloc.test", certibloc.Date{}, 1); err != nil || n != 1 {
			t.Fatalf("two years after, at most one: %d sent, %v", n, err)
		}
		if n, err := db.SendDueSurveys(ctx, "https://certibloc.test", certibloc.Date{}, 0); err != nil || n != 1 {
			t.Fatalf("two years after, the rest: %d sent, %v", n, err)
		}
		if _, m := surveyLink(t, db, "ada@example.org"); !strings.Contains(m.Body, "deux ans") {
			t.Errorf("second wave: %s", m.Body)
		}
	})
}

// seedSurveys sends the seeded person their survey six months after their
// jury (2027-07-01) and records their answer.
func seedSurveys(t *testing.T, db *sqldb.DB, s *seeded) {
	t.Helper()
	ctx := t.Context()
	db.SetClockForGDPRTest(func() time.Time { return time.Date(2028, 1, 2, 9, 0, 0, 0, time.UTC) })
	defer db.SetClockForGDPRTest(time.Now)
	n, err := db.SendDueSurveys(ctx, "https://certibloc.test", certibloc.Date{}, 0)
	must(t, err)
	if n != 1 {
		t.Fatalf("%d surveys sent to the seeded person", n)
	}
	token, _ := surveyLink(t, db, s.person.Email)
	_, err = db.AnswerSurvey(ctx, token, certibloc.SurveyAnswer{Situation: certibloc.EmployedInField, JobTitle: "Gardienne de phare insulaire", Contract: certibloc.SelfEmployed})
	must(t, err)
	s.needles = append(s.needles, "Gardienne de phare insulaire")
}

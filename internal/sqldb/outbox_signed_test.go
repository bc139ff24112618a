package sqldb_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestEveryMailKindSigned: whatever kind of e-mail is written to the
// outbox (every decision notice, every VAE notice, a password link of a
// school's account or of the admin's), it ends naming its school (the
// certifier for a message of no school) and linking back to the site.
func TestEveryMailKindSigned(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		if err := db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE Dijon", Certifier: "SUP DE VINCI"}); err != nil {
			t.Fatal(err)
		}
		db.SetSiteURL("https://certibloc.example.org/")
		person := &certibloc.Person{Email: "lea@example.org", FirstNames: "Léa", BirthName: "Martin", School: "DIIAGE"}
		if err := db.CreatePerson(ctx, person); err != nil {
			t.Fatal(err)
		}
		var mails []certibloc.Mail
		at := time.Date(2026, 6, 2, 9, 30, 0, 0, time.UTC)
		for _, k := range []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.DecideNotAdmissible, certibloc.ScheduleInterview,
			certibloc.RecordInterview, certibloc.DecideAdmitted, certibloc.DecideWaitingList, certibloc.DecideRefused,
			certibloc.Enrol, certibloc.Withdraw} {
			d := certibloc.AdmissionDecision{Kind: k, From: "x", To: "y", Reason: "motif", InterviewAt: &at, Place: "Dijon"}
			m, ok := d.NoticeMail("Admissions 2026", "DIIAGE", person)
			if !ok {
				t.Fatalf("no notice for %s", k)
			}
			mails = append(mails, m)
		}
		for _, st := range []certibloc.VAEState{certibloc.VAESubmitted, certibloc.VAEAdmissible, certibloc.VAEIncomplete,
			certibloc.VAENotAdmissible, certibloc.VAEOralScheduled} {
			cd := &certibloc.Candidacy{ID: 3, State: st, School: "DIIAGE", Certification: "RNCP38478", OralPlace: "Dijon"}
			m, ok := cd.VAENotice(person, "Coordinateur de projets informatiques", "02/06/2026 à 09h30")
			if !ok {
				t.Fatalf("no VAE notice for %s", st)
			}
			mails = append(mails, m)
		}
		mails = append(mails,
			certibloc.Mail{To: "staff@example.org", School: "DIIAGE", Subject: "Mot de passe", Body: "Lien : https://certibloc.example.org/password/reset?token=x\n"},
			certibloc.Mail{To: "admin@example.org", Subject: "Mot de passe", Body: "Lien : https://certibloc.example.org/password/reset?token=y\n"})
		for i, m := range mails {
			got, err := db.Enqueue(ctx, m)
			if err != nil {
				t.Fatal(err)
			}
			stored, err := db.OutboxMail(ctx, got.ID)
			if err != nil {
				t.Fatal(err)
			}
			text, sig, ok := strings.Cut(stored.Body, certibloc.SignatureMark)
			school := "DIIAGE Dijon"
			if m.School == "" {
				school = "SUP DE VINCI"
			}
			if !ok || text == "" || sig != school+"\nhttps://certibloc.example.org/app\n" {
				t.Errorf("mail %d (%s) is not signed by %s and the site:\n%s", i, m.Subject, school, stored.Body)
			}
			// Signed once only, however often it goes through.
			if again := stored.Signed("Autre", "https://autre.example"); again.Body != stored.Body {
				t.Errorf("a signed mail was signed again:\n%s", again.Body)
			}
		}
	})
}

// TestOutboxSearch: the outbox is found by recipient or subject, in any
// case, a page at a time, within the schools asked.
func TestOutboxSearch(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		for i := 1; i <= 7; i++ {
			school := "DIIAGE"
			if i%2 == 0 {
				school = "OTHER"
			}
			m := certibloc.Mail{To: fmt.Sprintf("p%d@example.org", i), Subject: fmt.Sprintf("Sujet %d", i), Body: "x", School: school}
			if i == 5 {
				m.To, m.Subject = "Lea.Martin@Example.org", "Votre candidature 100%_admissible"
			}
			if _, err := db.Enqueue(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		subjects := func(f sqldb.OutboxFilter) string {
			t.Helper()
			list, err := db.Outbox(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, m := range list {
				out = append(out, m.Subject)
			}
			return strings.Join(out, ", ")
		}
		for _, c := range []struct {
			f    sqldb.OutboxFilter
			want string
		}{
			{sqldb.OutboxFilter{All: true, Limit: 3}, "Sujet 7, Sujet 6, Votre candidature 100%_admissible"},
			{sqldb.OutboxFilter{All: true, Limit: 3, Offset: 3}, "Sujet 4, Sujet 3, Sujet 2"},
			{sqldb.OutboxFilter{All: true, Limit: 3, Offset: 6}, "Sujet 1"},
			{sqldb.OutboxFilter{All: true, Search: "lea.martin@example"}, "Votre candidature 100%_admissible"},
			{sqldb.OutboxFilter{All: true, Search: "  ADMISSIBLE "}, "Votre candidature 100%_admissible"},
			{sqldb.OutboxFilter{All: true, Search: "100%_"}, "Votre candidature 100%_admissible"},
			{sqldb.OutboxFilter{All: true, Search: "1%"}, ""}, // % is a character, not a wildcard
			{sqldb.OutboxFilter{Schools: []string{"OTHER"}, Search: "sujet"}, "Sujet 6, Sujet 4, Sujet 2"},
			{sqldb.OutboxFilter{Schools: []string{"OTHER"}, Search: "lea"}, ""},
			{sqldb.OutboxFilter{Search: "sujet"}, ""},
		} {
			if got := subjects(c.f); got != c.want {
				t.Errorf("%+v: %q, want %q", c.f, got, c.want)
			}
		}
	})
}

// TestOutboxSearchFoldsAccentedCapitals: « élodie » finds « ÉLODIE » on
// SQLite too, whose own lower() folds ASCII only.
func TestOutboxSearchFoldsAccentedCapitals(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := authCtx(t)
		for _, m := range []certibloc.Mail{
			{To: "e.etienne@example.org", Subject: "Convocation de ÉLODIE ÉTIENNE", Body: "x", School: "DIIAGE"},
			{To: "l.martin@example.org", Subject: "Convocation de Léa MARTIN", Body: "x", School: "DIIAGE"},
		} {
			if _, err := db.Enqueue(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
		for _, q := range []string{"élodie", "Étienne", "ÉLODIE ÉTIENNE", "élodie étienne"} {
			list, err := db.Outbox(ctx, sqldb.OutboxFilter{All: true, Search: q})
			if err != nil {
				t.Fatal(err)
			}
			if len(list) != 1 || list[0].Subject != "Convocation de ÉLODIE ÉTIENNE" {
				t.Errorf("search %q: %+v, want the message to ÉLODIE ÉTIENNE alone", q, list)
			}
		}
	})
}

package sqldb_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func TestSubmissionNeedsTheDocumentsTheCampaignRequires(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		if len(w.campaign.RequiredDocuments) != 0 {
			t.Fatalf("a campaign made without a checklist requires %v", w.campaign.RequiredDocuments)
		}
		if _, err := db.SetRequiredDocuments(w.staff, w.campaign.ID, []string{"cv", "passport"}); certibloc.ErrorCode(err) != certibloc.EINVALID ||
			!strings.Contains(err.Error(), `"passport"`) {
			t.Errorf("an unknown kind in the checklist: %v", err)
		}
		c, err := db.SetRequiredDocuments(w.staff, w.campaign.ID, []string{certibloc.DocCV, certibloc.DocDiploma})
		must(t, err)
		if got, _ := db.Campaign(ctx, c.ID); !slices.Equal(got.RequiredDocuments, []string{"cv", "diploma"}) {
			t.Errorf("checklist stored: %v", got.RequiredDocuments)
		}
		a := w.draft(t, "DURAND", 5)
		if missing, err := db.MissingDocuments(ctx, a.ID); err != nil || !slices.Equal(missing, []string{"cv", "diploma"}) {
			t.Errorf("MissingDocuments of a draft without documents = %v, %v", missing, err)
		}
		_, err = db.SubmitApplication(w.staff, a.ID, db.Today())
		if certibloc.ErrorCode(err) != certibloc.EINVALID || !strings.Contains(err.Error(), "missing: cv, diploma") {
			t.Fatalf("submitting without the required documents: %v", err)
		}
		if w.state(t, a.ID) != certibloc.Draft {
			t.Fatal("a refused submission changed the application")
		}
		_, err = db.AddDocument(ctx, a.ID, certibloc.DocCV, "cv.pdf", file(t, "cv.pdf"))
		must(t, err)
		if missing, _ := db.MissingDocuments(ctx, a.ID); !slices.Equal(missing, []string{"diploma"}) {
			t.Errorf("missing after the CV: %v", missing)
		}
		_, err = db.AddDocument(ctx, a.ID, certibloc.DocDiploma, "diplome.png", file(t, "diploma.png"))
		must(t, err)
		mails := outboxLen(t, db)
		got, err := db.SubmitApplicationFrom(w.staff, a.ID, db.Today(), "https://candidature.example/")
		must(t, err)
		if got.State != certibloc.Submitted {
			t.Errorf("state %s", got.State)
		}
		// The acknowledgement, in French (the candidate chose no language).
		list, _ := db.Outbox(ctx, sqldb.OutboxFilter{All: true})
		if len(list) != mails+1 {
			t.Fatalf("%d e-mails after the submission, want %d", len(list), mails+1)
		}
		ack := list[0]
		if !strings.Contains(ack.Subject, "candidature est bien reçue") || !strings.Contains(ack.Body, "https://candidature.example/app/applications/"+fmt.Sprint(a.ID)) ||
			!strings.Contains(ack.Body, w.campaign.Title) || ack.School != "DIIAGE" || ack.PersonID != a.PersonID {
			t.Errorf("acknowledgement: %+v", ack)
		}
	})
}

func TestAcknowledgementSpeaksTheCandidatesLanguage(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		a := w.draft(t, "SMITH", 5)
		acct, err := db.CreateAccount(w.staff, certibloc.Account{PersonID: a.PersonID, Email: "smith@example.org", Role: certibloc.Candidate})
		must(t, err)
		must(t, db.SetAccountLang(ctx, acct.ID, "en"))
		_, err = db.SubmitApplicationFrom(w.staff, a.ID, db.Today(), "https://candidature.example")
		must(t, err)
		list, _ := db.Outbox(ctx, sqldb.OutboxFilter{All: true})
		if len(list) == 0 || !strings.Contains(list[0].Subject, "your application is received") ||
			strings.Contains(list[0].Body, "Bonjour") {
			t.Errorf("acknowledgement to an English speaker: %+v", list)
		}
	})
}

func TestDocumentsAfterSubmissionUntilTheCommission(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		a := w.submitted(t, "DURAND")
		cv, err := db.AddDocument(ctx, a.ID, certibloc.DocCV, "cv.pdf", file(t, "cv.pdf"))
		if err != nil {
			t.Fatalf("a document added to a submitted application: %v", err)
		}
		// Replaced: the old one goes, in the same transaction.
		newer, err := db.ReplaceDocument(ctx, a.ID, cv.ID, certibloc.DocCV, "cv-2.pdf", file(t, "cv.pdf"))
		must(t, err)
		docs, _ := db.Documents(ctx, a.ID)
		if len(docs) != 1 || docs[0].ID != newer.ID || docs[0].Filename != "cv-2.pdf" {
			t.Errorf("documents after a replacement: %+v", docs)
		}
		other := w.submitted(t, "MOREAU")
		if _, err := db.ReplaceDocument(ctx, other.ID, newer.ID, certibloc.DocCV, "cv.pdf", file(t, "cv.pdf")); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("replacing another application's document: %v", err)
		}

		w.decide(t, certibloc.DecideAdmissible, a.ID)
		if _, err := db.AddDocument(ctx, a.ID, certibloc.DocTranscript, "releve.jpg", file(t, "transcript.jpg")); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Fatalf("a document once the commission decided: %v", err)
		}
		// Staff ask for one: the documents open again, until it comes.
		before := outboxLen(t, db)
		req := &certibloc.DocumentRequest{ApplicationID: a.ID, Kind: certibloc.DocTranscript, Message: "Le relevé du S6"}
		must(t, db.RequestDocument(w.staff, req, "https://candidature.example"))
		list, _ := db.Outbox(ctx, sqldb.OutboxFilter{All: true})
		if len(list) != before+1 || !strings.Contains(list[0].Body, "relevé de notes") || !strings.Contains(list[0].Body, "Le relevé du S6") ||
			!strings.Contains(list[0].Body, fmt.Sprintf("https://candidature.example/app/applications/%d", a.ID)) {
			t.Errorf("the request's e-mail: %+v", list[0])
		}
		reqs, _ := db.DocumentRequests(ctx, a.ID)
		if len(reqs) != 1 || reqs[0].FulfilledAt != nil || reqs[0].RequestedBy != "account 1" {
			t.Errorf("requests: %+v", reqs)
		}
		_, err = db.AddDocument(ctx, a.ID, certibloc.DocTranscript, "releve.jpg", file(t, "transcript.jpg"))
		must(t, err)
		if reqs, _ := db.DocumentRequests(ctx, a.ID); reqs[0].FulfilledAt == nil {
			t.Error("the request is not fulfilled by the document sent")
		}
		if _, err := db.AddDocument(ctx, a.ID, certibloc.DocOther, "autre.pdf", file(t, "cv.pdf")); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("a document once the request is fulfilled: %v", err)
		}
		draft := w.draft(t, "PETIT", 5)
		if err := db.RequestDocument(w.staff, &certibloc.DocumentRequest{ApplicationID: draft.ID, Kind: certibloc.DocCV}, ""); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("a request on a draft: %v", err)
		}
		if err := db.RequestDocument(w.staff, &certibloc.DocumentRequest{ApplicationID: a.ID, Kind: "passport"}, ""); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("a request of an unknown kind: %v", err)
		}
		// A draft deleted takes its requests with it; none here, but the
		// statement runs.
		must(t, db.DeleteDraft(w.staff, draft.ID))
	})
}

func TestAccommodationRequestReachesTheReferentOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		p := w.person(t, "DURAND", 5, 0, 0)
		referent, err := db.CreateAccount(w.staff, certibloc.Account{Email: "referent@example.org", Role: certibloc.Referent, Schools: []string{"DIIAGE"}})
		must(t, err)
		_, err = db.CreateAccount(w.staff, certibloc.Account{Email: "referent@other.example", Role: certibloc.Referent, Schools: []string{"OTHER"}})
		must(t, err)
		if _, err := db.RequestAccommodation(ctx, p.ID, "  ", ""); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("an empty request: %v", err)
		}
		before := outboxLen(t, db)
		req, err := db.RequestAccommodation(ctx, p.ID, "Un tiers-temps : dyslexie", "https://candidature.example")
		must(t, err)
		if req.School != "DIIAGE" {
			t.Errorf("request: %+v", req)
		}
		list, _ := db.Outbox(ctx, sqldb.OutboxFilter{All: true})
		if len(list) != before+1 || list[0].To != referent.Email || !strings.Contains(list[0].Body, "https://candidature.example/app/accommodation-requests") {
			t.Fatalf("e-mails: %+v", list[:len(list)-before])
		}
		if strings.Contains(list[0].Body, "dyslexie") || strings.Contains(list[0].Body, "DURAND") || strings.Contains(list[0].Subject, "DURAND") {
			t.Error("the referent's e-mail, which other staff read in the outbox, says who or what")
		}
		if got, _ := db.AccommodationRequests(ctx, 0, []string{"DIIAGE"}); len(got) != 1 || got[0].Message != "Un tiers-temps : dyslexie" {
			t.Errorf("the referent's list: %+v", got)
		}
		if got, _ := db.AccommodationRequests(ctx, 0, []string{"OTHER"}); len(got) != 0 {
			t.Errorf("another school's referent reads %+v", got)
		}
		if got, _ := db.AccommodationRequests(ctx, p.ID, nil); len(got) != 1 {
			t.Errorf("the person's own: %+v", got)
		}
	})
}

func TestSignUpLinkAndEmailChangeLastADay(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		w := newAdmissions(t, db)
		p := w.person(t, "DURAND", 5, 0, 0)
		acct, err := db.CreateAccount(w.staff, certibloc.Account{PersonID: p.ID, Email: "durand@example.org", Role: certibloc.Candidate})
		must(t, err)
		start := w.now
		// The link a sign-up sends (sqldb.SetupTTL): good for 24 hours.
		token, err := db.CreatePasswordReset(ctx, acct.ID, sqldb.SetupTTL)
		must(t, err)
		w.now = start.Add(24*time.Hour - time.Minute)
		if _, err := db.PasswordReset(ctx, token); err != nil {
			t.Errorf("the sign-up link a minute before 24 hours: %v", err)
		}
		w.now = start.Add(24*time.Hour + time.Minute)
		if _, err := db.PasswordReset(ctx, token); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("the sign-up link a minute after 24 hours: %v", err)
		}

		// A new address waits for its link.
		w.now = start
		other, err := db.CreateAccount(w.staff, certibloc.Account{Email: "pris@example.org", Role: certibloc.Staff, Schools: []string{"DIIAGE"}})
		must(t, err)
		if _, err := db.RequestEmailChange(ctx, acct.ID, other.Email); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("another account's address: %v", err)
		}
		if _, err := db.RequestEmailChange(ctx, acct.ID, "pas-une-adresse"); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("not an address: %v", err)
		}
		late, err := db.RequestEmailChange(ctx, acct.ID, "tard@example.org")
		must(t, err)
		w.now = start.Add(24*time.Hour + time.Minute)
		if _, err := db.ConfirmEmailChange(ctx, acct.ID, late); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("an address confirmed after 24 hours: %v", err)
		}
		token, err = db.RequestEmailChange(ctx, acct.ID, "Nouvelle@Example.org")
		must(t, err)
		if _, err := db.ConfirmEmailChange(ctx, other.ID, token); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("a link confirmed by another account: %v", err)
		}
		if got, _ := db.Account(ctx, acct.ID); got.Email != "durand@example.org" {
			t.Errorf("the address changed before its confirmation: %s", got.Email)
		}
		got, err := db.ConfirmEmailChange(ctx, acct.ID, token)
		must(t, err)
		person, _ := db.Person(ctx, p.ID)
		if got.Email != "nouvelle@example.org" || person.Email != "nouvelle@example.org" {
			t.Errorf("after the confirmation: account %s, person %s", got.Email, person.Email)
		}
		if _, err := db.ConfirmEmailChange(ctx, acct.ID, token); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("a link used twice: %v", err)
		}
	})
}

// outboxLen counts the e-mails of the outbox.
func outboxLen(t *testing.T, db *sqldb.DB) int {
	t.Helper()
	list, err := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true})
	must(t, err)
	return len(list)
}

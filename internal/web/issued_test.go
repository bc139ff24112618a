package web_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/jobs"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestIssuedDocumentPages: the certifier starts a closed jury's batch
// from its page, which shows a <progress> bar and reloads itself while
// the job runs; then lists the documents and downloads them as a zip;
// revokes one after a confirmation page that refuses a missing reason or
// confirmation in French; the verification says revoked. An open jury's
// batch is refused in French and English. The jobs page shows the job.
func TestIssuedDocumentPages(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newJurySite(t, db)
		admin := s.as(t, s.admin)
		cj := sqldbtest.NewClosedJury(t, db, 3, pdf.Minutes)
		page := fmt.Sprintf("/app/juries/%d/documents", cj.Jury.ID)

		// An open jury: no batch, in French and in English.
		open := s.convene(t, admin)
		for _, l := range []struct{ q, says string }{{"", "son procès-verbal n'est pas encore clos"}, {"?lang=en", "its minutes are not closed yet"}} {
			code, _, body := admin.submit(open+"/documents"+l.q, open+"/documents"+l.q, url.Values{})
			if code != 409 || !strings.Contains(text(body), l.says) || strings.Contains(body, "Générer les documents</button>") {
				t.Fatalf("a batch of an open jury (%q): %d\n%s", l.q, code, text(body))
			}
		}

		// The closed jury: its page offers the batch, which starts.
		code, _, body := admin.get(page + "?lang=fr") // the language chosen stays: back to French
		checkFrench(t, page, body)
		if code != 200 || !strings.Contains(body, "Générer les documents") || strings.Contains(body, "data-job=") {
			t.Fatalf("the documents page before the batch: %d\n%s", code, text(body))
		}
		if code, where, _ := admin.submit(page, page, url.Values{}); code != 303 || where != page+"?done=started" {
			t.Fatalf("starting the batch: %d to %q", code, where)
		}
		code, _, body = admin.get(page + "?done=started")
		if code != 200 || !strings.Contains(body, "La génération a commencé") || !strings.Contains(body, "<progress max=\"100\" value=\"0\"") || !strings.Contains(body, "data-job=\"/api/v1/jobs/") ||
			strings.Contains(body, "Générer les documents</button>") {
			t.Fatalf("the page of a batch queued: %d\n%s", code, body)
		}
		checkFrench(t, page, body)
		renderer, _ := pdf.New("https://certibloc.example.fr")
		r := jobs.New(db, slog.New(slog.DiscardHandler))
		r.Handle(certibloc.GenerateDocumentsJob, (&jobs.Documents{DB: db, Renderer: renderer}).Handle)
		if ran, err := r.RunNext(t.Context(), 0); !ran || err != nil {
			t.Fatalf("the batch did not run: %v", err)
		}
		code, _, body = admin.get(page)
		if code != 200 || !strings.Contains(body, "<progress max=\"100\" value=\"100\"") || strings.Contains(body, "data-job=") ||
			strings.Count(body, "/revoke\"") != cj.Documents || !strings.Contains(body, "Lefèvre-1") {
			t.Fatalf("the page once the batch is done: %d\n%s", code, text(body))
		}
		code, _, zipped := admin.get(page + ".zip")
		ctype := admin.last.Header.Get("Content-Type")
		zr, err := zip.NewReader(bytes.NewReader([]byte(zipped)), int64(len(zipped)))
		if code != 200 || ctype != "application/zip" || err != nil || len(zr.File) != cj.Documents {
			t.Fatalf("the zip: %d %s, %v", code, ctype, err)
		}
		code, _, body = admin.get("/app/jobs")
		if code != 200 || !strings.Contains(body, fmt.Sprintf("des documents du jury n° %d", cj.Jury.ID)) || !strings.Contains(text(body), "terminée") {
			t.Fatalf("the jobs page: %d\n%s", code, text(body))
		}
		checkFrench(t, "/app/jobs", body)

		// Revoking: a confirmation page, with its refusals in French.
		docs, err := db.JuryDocuments(t.Context(), cj.Jury.ID)
		if err != nil {
			t.Fatal(err)
		}
		d := docs[0]
		revoke := "/app/documents/" + d.Number + "/revoke"
		code, _, body = admin.get(revoke)
		checkFrench(t, revoke, body)
		if code != 200 || !strings.Contains(body, "Confirmer la révocation") {
			t.Fatalf("the confirmation page: %d\n%s", code, text(body))
		}
		code, _, body = admin.submit(revoke, revoke, url.Values{"reason": {"court"}})
		if code != 400 || !strings.Contains(text(body), "Indiquez un motif de 10 à 500 caractères") || !strings.Contains(text(body), "Cochez la case") {
			t.Fatalf("a revocation without reason nor confirmation: %d\n%s", code, text(body))
		}
		if got, _ := db.DocumentByNumber(t.Context(), d.Number); got.Revoked() {
			t.Fatal("revoked without confirmation")
		}
		code, where, _ := admin.submit(revoke, revoke, url.Values{"reason": {"Erreur matérielle du jury, document réédité."}, "confirm": {"yes"}})
		if code != 303 || where != page+"?done=revoked" {
			t.Fatalf("revoking: %d to %q", code, where)
		}
		code, _, body = admin.get(where)
		if code != 200 || !strings.Contains(body, "Le document est révoqué") || !strings.Contains(text(body), "Révoqué le") {
			t.Fatalf("after the revocation: %d\n%s", code, text(body))
		}
		if code, _, body = admin.get("/verify/" + d.Number); code != 200 || !strings.Contains(text(body), "révoqué") {
			t.Fatalf("the verification of a revoked document: %d\n%s", code, text(body))
		}
		// The holder's documents, for staff of their school.
		staff := s.as(t, s.staff)
		code, _, body = staff.get(fmt.Sprintf("/app/people/%d/documents", d.PersonID))
		if code != 200 || !strings.Contains(body, d.Number) || strings.Contains(body, "/revoke\"") {
			t.Fatalf("the holder's documents for staff: %d\n%s", code, text(body))
		}
	})
}

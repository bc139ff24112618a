package server_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/jobs"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestIssuedPagesInBrowser: the pages of a jury's documents (its batch
// queued, with the progress bar and the page reloading itself, then
// done), the confirmation of a revocation (refused, with its errors), a
// person's documents and the jobs pass axe-core in Chromium, ask nothing
// of another host and weigh under 50 KB.
func TestIssuedPagesInBrowser(t *testing.T) {
	browsertest.Available(t)
	db := sqldbtest.SQLite(t)
	// The batch runs once the followed page's script first asks how it goes.
	asked := make(chan struct{})
	var once sync.Once
	var armed atomic.Bool
	site := newSite(t, db)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/v1/jobs/") && armed.Load() {
			once.Do(func() { close(asked) })
		}
		site.ServeHTTP(w, r)
	}))
	defer srv.Close()
	cj := sqldbtest.NewClosedJury(t, db, 6, pdf.Minutes)
	job, _, err := db.EnqueueJob(t.Context(), certibloc.GenerateDocumentsJob, certibloc.JuryJobKey(cj.Jury.ID),
		certibloc.GenerateDocuments{Jury: cj.Jury.ID}, 5)
	if err != nil {
		t.Fatal(err)
	}
	admin := admCookie(t, db, certibloc.Account{Role: certibloc.Admin})
	staff := admCookie(t, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{"DIIAGE"}})
	u := srv.URL
	page := fmt.Sprintf("%s/app/juries/%d/documents", u, cj.Jury.ID)
	queued := browsertest.Check(t,
		browsertest.Page{Name: "batch queued", URL: page, Cookies: admin},
		browsertest.Page{Name: "job queued (en)", URL: fmt.Sprintf("%s/app/jobs/%d?lang=en", u, job.ID), Cookies: staff},
	)
	browsertest.AssertClean(t, queued, 50<<10)

	renderer, _ := pdf.New(u)
	r := jobs.New(db, slog.New(slog.DiscardHandler))
	r.Handle(certibloc.GenerateDocumentsJob, (&jobs.Documents{DB: db, Renderer: renderer}).Handle)
	ran := make(chan error, 1)
	go func() {
		<-asked
		ok, err := r.RunNext(context.Background(), 0)
		if err == nil && !ok {
			err = fmt.Errorf("no job to run")
		}
		ran <- err
	}()
	armed.Store(true)
	// The bar follows the batch by itself, and the page reloads at its end
	// with the documents listed.
	followed := browsertest.Check(t, browsertest.Page{Name: "batch followed", URL: page, Cookies: admin,
		Actions: []browsertest.Action{{Do: "wait", Selector: "main a[href$='/revoke']", Value: "120000"}}})
	browsertest.AssertClean(t, followed, 50<<10)
	if err := <-ran; err != nil {
		t.Fatalf("the batch did not run: %v", err)
	}
	docs, err := db.JuryDocuments(t.Context(), cj.Jury.ID)
	if err != nil || len(docs) != cj.Documents {
		t.Fatalf("%d documents, %v", len(docs), err)
	}
	revoke := u + "/app/documents/" + docs[0].Number + "/revoke"
	done := browsertest.Check(t,
		browsertest.Page{Name: "batch done", URL: page, Cookies: admin},
		browsertest.Page{Name: "batch done (en)", URL: page + "?lang=en", Cookies: admin},
		browsertest.Page{Name: "revocation", URL: revoke, Cookies: admin},
		browsertest.Page{Name: "revocation refused", URL: revoke, Cookies: admin, Actions: []browsertest.Action{
			{Do: "click", Selector: "main form button[type=submit]"}}},
		browsertest.Page{Name: "a person's documents", URL: fmt.Sprintf("%s/app/people/%d/documents", u, docs[0].PersonID), Cookies: staff},
		browsertest.Page{Name: "jobs", URL: u + "/app/jobs", Cookies: staff},
	)
	browsertest.AssertClean(t, done[:3], 50<<10)
	for _, r := range done[3:] {
		if len(r.Violations) > 0 || len(r.ThirdParty) > 0 || r.Bytes > 50<<10 || r.Error != "" {
			t.Errorf("%s: %v, %v, %d bytes, %s", r.Name, r.ViolationIDs(), r.ThirdParty, r.Bytes, r.Error)
		}
	}
	if done[3].Status != 400 {
		t.Errorf("the revocation without a reason: %d", done[3].Status)
	}
}

package server_test

import (
	"fmt"
	"maps"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// A closed jury's documents, their batch, their revocation and the jobs
// in the authorisation matrix: the certifier (the admin) issues, lists,
// downloads and revokes; staff and the admin follow the jobs; a person's
// documents are read like their record.

func init() {
	walkDownloads["GET /app/juries/{id}/documents.zip"] = "application/zip"
	maps.Copy(apiMatrix, map[string]matrixRoute{
		"POST /api/v1/juries/{id}/documents":    {ok: 202, own: "admin", call: juryPath("/api/v1/juries/%d/documents", true)},
		"GET /api/v1/juries/{id}/documents":     {ok: 200, own: "admin", call: juryPath("/api/v1/juries/%d/documents", true)},
		"GET /api/v1/juries/{id}/documents.zip": {ok: 200, own: "admin", call: issuedJuryPath("/api/v1/juries/%d/documents.zip")},
		"GET /api/v1/jobs":                      {ok: 200, own: "admin staff", call: path("/api/v1/jobs")},
		"GET /api/v1/jobs/{id}":                 {ok: 200, own: "admin staff", call: jobPath("/api/v1/jobs/%d")},
		"POST /api/v1/documents/{number}/revoke": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
			p, _ := documentPath("/api/v1/documents/%s/revoke")(m)
			return p, `{"reason":"Erreur matérielle du jury, document réédité."}`
		}},
		"GET /api/v1/people/{id}/documents": {call: personPath("/api/v1/people/%d/documents"), ok: 200, own: schoolly,
			other: "admin", scoped: true},
	})
	maps.Copy(webMatrix, map[string]matrixRoute{
		"GET /app/juries/{id}/documents":     {ok: 200, own: "admin", call: juryPath("/app/juries/%d/documents", true)},
		"POST /app/juries/{id}/documents":    {ok: 303, own: "admin", call: juryPath("/app/juries/%d/documents", true)},
		"GET /app/juries/{id}/documents.zip": {ok: 200, own: "admin", call: issuedJuryPath("/app/juries/%d/documents.zip")},
		"GET /app/people/{id}/documents": {call: personPath("/app/people/%d/documents"), ok: 200, own: schoolly,
			other: "admin", scoped: true},
		"GET /app/documents/{number}/revoke": {ok: 200, own: "admin", call: documentPath("/app/documents/%s/revoke")},
		"POST /app/documents/{number}/revoke": {ok: 303, own: "admin", call: func(m *matrix) (string, string) {
			p, _ := documentPath("/app/documents/%s/revoke")(m)
			return p, "reason=Erreur+mat%C3%A9rielle+du+jury&confirm=yes"
		}},
		"GET /app/jobs":      {ok: 200, own: "admin staff", call: path("/app/jobs")},
		"GET /app/jobs/{id}": {ok: 200, own: "admin staff", call: jobPath("/app/jobs/%d")},
	})
}

// issuedJury closes a jury on a new person of ownSchool who validated a
// block, and issues its documents (a transcript and an attestation).
func issuedJury(t *testing.T, db *sqldb.DB) (jury int64, docs []*certibloc.IssuedDocument) {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Label: "test", Role: certibloc.Admin})
	p := &certibloc.Person{School: ownSchool, BirthName: "GARÇON", FirstNames: "Anaïs", BirthDate: certibloc.DateOf(1998, 4, 5)}
	if err := db.CreatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	jury = convene(t, db, []int64{}, p.ID, false, false)
	if err := db.DecideCandidate(ctx, jury, &certibloc.JuryDecision{PersonID: p.ID, Blocks: []certibloc.BlockVerdict{{
		Block: "RNCP38478BC01", Validated: true, Route: certibloc.VAE, Reason: "Dossier et entretien favorables."}}}); err != nil {
		t.Fatal(err)
	}
	if err := db.CloseJury(ctx, jury, plainMinutes); err != nil {
		t.Fatal(err)
	}
	docs, _, err := db.JuryDocumentsToIssue(ctx, jury, time.Now().UTC())
	if err != nil || len(docs) != 2 {
		t.Fatalf("documents of the jury: %d, %v", len(docs), err)
	}
	r, err := pdf.New("https://certibloc.example.fr")
	if err != nil {
		t.Fatal(err)
	}
	pdfs, err := r.RenderAll(ctx, docs, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.IssueDocuments(ctx, docs, pdfs); err != nil {
		t.Fatal(err)
	}
	return jury, docs
}

func issuedJuryPath(format string) func(m *matrix) (string, string) {
	return func(m *matrix) (string, string) {
		j, _ := issuedJury(m.t, m.db)
		return fmt.Sprintf(format, j), ""
	}
}

// jobPath is a path about a new job: the batch of a closed jury, queued.
func jobPath(format string) func(m *matrix) (string, string) {
	return func(m *matrix) (string, string) {
		j, _ := m.jury(true)
		job, _, err := m.db.EnqueueJob(m.t.Context(), certibloc.GenerateDocumentsJob, certibloc.JuryJobKey(j), certibloc.GenerateDocuments{Jury: j}, 5)
		if err != nil {
			m.t.Fatal(err)
		}
		return fmt.Sprintf(format, job.ID), ""
	}
}

// walkIssued are the addresses of the pages of documents and jobs in the
// browser walk.
func walkIssued(t *testing.T, db *sqldb.DB) map[string][]string {
	jury, docs := issuedJury(t, db)
	job, _, err := db.EnqueueJob(t.Context(), certibloc.GenerateDocumentsJob, certibloc.JuryJobKey(jury), certibloc.GenerateDocuments{Jury: jury}, 5)
	if err != nil {
		t.Fatal(err)
	}
	return map[string][]string{
		"GET /app/juries/{id}/documents":     {fmt.Sprintf("/app/juries/%d/documents", jury)},
		"GET /app/juries/{id}/documents.zip": {fmt.Sprintf("/app/juries/%d/documents.zip", jury)},
		"GET /app/people/{id}/documents":     {fmt.Sprintf("/app/people/%d/documents", docs[0].PersonID)},
		"GET /app/documents/{number}/revoke": {"/app/documents/" + docs[0].Number + "/revoke"},
		"GET /app/jobs/{id}":                 {fmt.Sprintf("/app/jobs/%d", job.ID)},
	}
}

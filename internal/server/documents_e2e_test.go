package server_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/jobs"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestDocumentsEndToEnd is issue 9's Done-when line: a cohort graded
// through the API (one learner fails BC01) → a closed jury, with partial
// success → the ledger → the documents issued by the batch job → their
// text read with pdftotext, accents included → the verification page and
// JSON, a revocation showing there; then the learner passes BC01 at a
// resit and a second jury completes the title from the blocks acquired
// at the first. On SQLite and PostgreSQL.
func TestDocumentsEndToEnd(t *testing.T) {
	pdftotext := lookPDFToText(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		w := newEvalE2E(t, db)
		w.accommodate()
		w.everyEvaluation()
		ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "e2e"})
		for i, id := range w.cohort.Learners {
			p, err := db.Person(ctx, id)
			must(t, err)
			p.FirstNames, p.BirthName = "Hélène Françoise", fmt.Sprintf("LEFÈVRE-NOËL %c", 'A'+i)
			p.BirthDate = certibloc.DateOf(1995, 3, 12+i)
			must(t, db.UpdatePerson(ctx, p))
		}
		d := &docsE2E{evalE2E: w, pdftotext: pdftotext}

		// The first jury: everyone certified but the learner who failed BC01.
		first := d.jury(w.days(200), w.cohort.Learners)
		url := fmt.Sprintf("/api/v1/juries/%d/documents", first.ID)
		for lang, says := range map[string]string{"": "procès-verbal n'est pas encore clos", "?lang=en": "minutes are not closed"} {
			body := w.json(w.admin, "POST", url+lang, "/api/v1/juries/{id}/documents", nil, 409, nil)
			if !strings.Contains(string(body), says) {
				t.Fatalf("documents of an open jury (%q): %s", lang, body)
			}
		}
		decisions := d.decideAndClose(first)
		if got := d.certified(decisions); len(got) != len(w.cohort.Learners)-1 || slices.Contains(got, w.failedBC01) {
			t.Fatalf("certified at the first jury: %v (failed BC01: %d)", got, w.failedBC01)
		}
		var ledger struct{ Blocks []certibloc.LedgerEntry }
		w.json(w.staff, "GET", fmt.Sprintf("/api/v1/people/%d/blocks", w.failedBC01), "/api/v1/people/{id}/blocks", nil, 200, &ledger)
		if len(ledger.Blocks) == 0 || slices.ContainsFunc(ledger.Blocks, func(e certibloc.LedgerEntry) bool { return e.Block == "RNCP38478BC01" }) {
			t.Fatalf("the ledger of the learner who failed BC01: %+v", ledger.Blocks)
		}
		docs := d.generate(first, decisions)
		byKind := func(person int64, kind certibloc.DocumentKind) []certibloc.IssuedDocument {
			var out []certibloc.IssuedDocument
			for _, doc := range docs {
				if doc.PersonID == person && doc.Kind == kind {
					out = append(out, doc)
				}
			}
			return out
		}
		if len(byKind(w.failedBC01, certibloc.Certificate)) != 0 || len(byKind(w.failedBC01, certibloc.Transcript)) != 1 {
			t.Fatal("partial success: a transcript, no certificate")
		}
		cert := byKind(w.cohort.Learners[0], certibloc.Certificate)[0]
		text := d.text(cert.Number)
		for _, want := range []string{"Certificat", "Hélène Françoise LEFÈVRE-NOËL A", "né(e) le 12 mars 1995", "RNCP38478",
			"Coordinateur de projets informatiques", "niveau 6", cert.Number, "https://certibloc.example.fr/verify/" + cert.Number} {
			if !strings.Contains(text, want) {
				t.Errorf("the certificate lacks %q:\n%s", want, text)
			}
		}
		att := byKind(w.cohort.Learners[0], certibloc.Attestation)[0]
		if text := d.text(att.Number); !strings.Contains(text, "Attestation de bloc de compétences") || !strings.Contains(text, att.Blocks[0].Code) {
			t.Errorf("the attestation reads:\n%s", text)
		}

		// The verification, then a revocation that shows there.
		var v certibloc.Verification
		w.json(auth{}, "GET", "/api/v1/documents/"+cert.Number, "/api/v1/documents/{number}", nil, 200, &v)
		if v.Status != certibloc.DocumentValid || v.Holder != "Hélène Françoise LEFÈVRE-NOËL A" || v.BirthYear != 1995 || v.Digest != cert.Digest {
			t.Fatalf("verification: %+v", v)
		}
		page := string(w.send(auth{}, request{method: "GET", url: "/verify/" + cert.Number, status: 200}))
		if !strings.Contains(page, "LEFÈVRE-NOËL A") || !strings.Contains(page, "RNCP38478") {
			t.Fatalf("verification page:\n%s", page)
		}
		w.json(w.admin, "POST", "/api/v1/documents/"+att.Number+"/revoke", "/api/v1/documents/{number}/revoke",
			map[string]string{"reason": "Erreur matérielle du jury, attestation rééditée."}, 200, nil)
		w.json(auth{}, "GET", "/api/v1/documents/"+att.Number+"?lang=en", "/api/v1/documents/{number}", nil, 200, &v)
		if v.Status != certibloc.DocumentRevoked || v.RevokedOn == nil {
			t.Fatalf("revoked: %+v", v)
		}
		if page := string(w.send(auth{}, request{method: "GET", url: "/verify/" + att.Number, status: 200})); !strings.Contains(page, "révoqué") {
			t.Fatalf("the verification page of a revoked document:\n%s", page)
		}

		// BC01 passed at a resit; a second jury completes the title from
		// the blocks of the first: a certificate naming them all with their
		// first dates, a transcript, and an attestation of BC01 alone.
		w.resit()
		second := d.jury(w.days(300), []int64{w.failedBC01})
		decisions = d.decideAndClose(second)
		if got := d.certified(decisions); !slices.Equal(got, []int64{w.failedBC01}) {
			t.Fatalf("certified at the second jury: %v", got)
		}
		docs = d.generate(second, decisions)
		var kinds []string
		for _, doc := range docs {
			kinds = append(kinds, string(doc.Kind)+" "+strings.Join(blockCodes(doc), ","))
		}
		slices.Sort(kinds)
		if len(kinds) != 3 || kinds[0] != "attestation RNCP38478BC01" || !strings.HasPrefix(kinds[1], "certificate ") || !strings.HasPrefix(kinds[2], "transcript ") {
			t.Fatalf("documents of the second jury: %v", kinds)
		}
		for _, doc := range docs {
			if doc.Kind != certibloc.Certificate {
				continue
			}
			for _, b := range doc.Blocks {
				if b.Code != "RNCP38478BC01" && b.Date.After(first.Date.Time) {
					t.Errorf("block %s of the certificate dated %s, after the first jury (%s)", b.Code, b.Date, first.Date)
				}
			}
			if text := d.text(doc.Number); !strings.Contains(text, "LEFÈVRE-NOËL") || !strings.Contains(text, "RNCP38478BC01") {
				t.Errorf("the second certificate reads:\n%s", text)
			}
		}
	})
}

// docsE2E walks the juries and documents over the evaluations' world.
type docsE2E struct {
	*evalE2E
	pdftotext string
}

// jury convenes a jury of three members without accounts, the certifier
// acting for the chair, through the API.
func (d *docsE2E) jury(date string, candidates []int64) *certibloc.JurySession {
	var j certibloc.JurySession
	d.json(d.admin, "POST", "/api/v1/juries", "/api/v1/juries", map[string]any{"certification": "RNCP38478", "date": date,
		"place": "Dijon – salle Éole", "candidates": candidates, "members": []map[string]any{
			{"name": "Présidente", "role": "chair", "present": true}, {"name": "Pro A", "role": "professional", "present": true},
			{"name": "Pro B", "role": "professional", "present": true}}}, 201, &j)
	return &j
}

// decideAndClose confirms the engine's proposal for each candidate and
// closes the jury through the API; it returns the decisions.
func (d *docsE2E) decideAndClose(j *certibloc.JurySession) []certibloc.JuryDecision {
	ctx := certibloc.WithPrincipal(d.t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "e2e"})
	props, err := d.db.JuryProposals(ctx, j.ID)
	must(d.t, err)
	var out []certibloc.JuryDecision
	for _, p := range props {
		jd := p.Decision
		must(d.t, d.db.DecideCandidate(ctx, j.ID, &jd))
		out = append(out, jd)
	}
	url := fmt.Sprintf("/api/v1/juries/%d/close", j.ID)
	d.json(d.admin, "POST", url, "/api/v1/juries/{id}/close", nil, 200, j)
	return out
}

func (d *docsE2E) certified(ds []certibloc.JuryDecision) []int64 {
	var out []int64
	for _, jd := range ds {
		if jd.Certified {
			out = append(out, jd.PersonID)
		}
	}
	slices.Sort(out)
	return out
}

// generate starts the jury's batch through the API, runs it with a
// worker as a server would, and checks the documents against the
// decisions, the job's progress and the zip.
func (d *docsE2E) generate(j *certibloc.JurySession, decisions []certibloc.JuryDecision) []certibloc.IssuedDocument {
	t := d.t
	url := fmt.Sprintf("/api/v1/juries/%d/documents", j.ID)
	var job certibloc.Job
	d.json(d.admin, "POST", url, "/api/v1/juries/{id}/documents", nil, 202, &job)
	if job.State != certibloc.JobQueued {
		t.Fatalf("job %+v", job)
	}
	renderer, err := pdf.New("https://certibloc.example.fr")
	must(t, err)
	r := jobs.New(d.db, slog.New(slog.DiscardHandler))
	r.Handle(certibloc.GenerateDocumentsJob, (&jobs.Documents{DB: d.db, Renderer: renderer, Chunk: 4}).Handle)
	if ran, err := r.RunNext(t.Context(), job.ID); !ran || err != nil {
		t.Fatalf("the batch did not run: %v", err)
	}
	d.json(d.staff, "GET", fmt.Sprintf("/api/v1/jobs/%d", job.ID), "/api/v1/jobs/{id}", nil, 200, &job)
	want := 0
	for _, jd := range decisions {
		// An attestation of each block this jury wrote to the ledger first.
		var ledger struct{ Blocks []certibloc.LedgerEntry }
		d.json(d.admin, "GET", fmt.Sprintf("/api/v1/people/%d/blocks", jd.PersonID), "/api/v1/people/{id}/blocks", nil, 200, &ledger)
		n := 0
		for _, e := range ledger.Blocks {
			if e.JuryID == j.ID {
				n++
			}
		}
		if len(jd.Blocks) > 0 {
			want++
		}
		if jd.Certified {
			want++
		}
		want += n
	}
	if job.State != certibloc.JobDone || job.Done != want || job.Total != want {
		t.Fatalf("the batch: %+v, want %d documents", job, want)
	}
	var list struct{ Documents []certibloc.IssuedDocument }
	d.json(d.admin, "GET", url, "/api/v1/juries/{id}/documents", nil, 200, &list)
	if len(list.Documents) != want {
		t.Fatalf("the jury lists %d documents, want %d", len(list.Documents), want)
	}
	z := d.send(d.admin, request{method: "GET", url: url + ".zip", doc: "/api/v1/juries/{id}/documents.zip", status: 200})
	zr, err := zip.NewReader(bytes.NewReader(z), int64(len(z)))
	must(t, err)
	if len(zr.File) != want {
		t.Fatalf("the zip holds %d files, want %d", len(zr.File), want)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		must(t, err)
		b, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.HasPrefix(b, []byte("%PDF-")) || !strings.HasSuffix(f.Name, ".pdf") {
			t.Fatalf("zip entry %s is not a PDF", f.Name)
		}
	}
	return list.Documents
}

// text is the text of a document's PDF, downloaded by the admin, as
// pdftotext reads it.
func (d *docsE2E) text(number string) string {
	b := d.send(d.admin, request{method: "GET", url: "/api/v1/documents/" + number + "/pdf", doc: "/api/v1/documents/{number}/pdf", status: 200})
	file := filepath.Join(d.t.TempDir(), "doc.pdf")
	must(d.t, os.WriteFile(file, b, 0o600))
	out, err := exec.Command(d.pdftotext, "-enc", "UTF-8", file, "-").Output()
	must(d.t, err)
	return strings.Join(strings.Fields(string(out)), " ")
}

func blockCodes(d certibloc.IssuedDocument) []string {
	var out []string
	for _, b := range d.Blocks {
		out = append(out, b.Code)
	}
	return out
}

// lookPDFToText finds pdftotext (poppler-utils), required in CI.
func lookPDFToText(t *testing.T) string {
	p, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is missing: install poppler-utils")
		}
		t.Skip("pdftotext is missing (poppler-utils)")
	}
	return p
}

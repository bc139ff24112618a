package server_test

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/openbadge"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
	"github.com/certibloc/certibloc/internal/vc"
)

// get answers a request as the site does: status, body, content type.
func fetch(t *testing.T, h http.Handler, method, url string, body []byte, token string) (int, []byte, string) {
	t.Helper()
	req := httptest.NewRequest(method, url, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	b, _ := io.ReadAll(rec.Body)
	return rec.Code, b, rec.Header().Get("Content-Type")
}

// TestCredentialsEndToEnd takes a closed jury to its credentials, revokes
// one, and verifies them all with certibloc and with the independent npm
// verifier (tools/vc), on both engines.
func TestCredentialsEndToEnd(t *testing.T) {
	o := loadOpenAPI(t)
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "test"})
		h := newSite(t, db)
		admin, _, err := db.CreateToken(t.Context(), "test", "admin", "")
		if err != nil {
			t.Fatal(err)
		}
		m := &matrix{t: t, db: db, h: h}
		var people []int64
		for range 2 {
			people = append(people, m.newPerson(ownSchool))
		}
		j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2026, 7, 1), Place: "Dijon", Candidates: people,
			Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true},
				{Name: "Pro A", Role: certibloc.JuryProfessional, Present: true}, {Name: "Pro B", Role: certibloc.JuryProfessional, Present: true}}}
		must(t, db.CreateJury(ctx, j))
		for i, p := range people {
			jd := &certibloc.JuryDecision{PersonID: p, Certified: i == 0, Reason: "Le jury statue au vu de l'ensemble du parcours."}
			for _, b := range []string{"RNCP38478BC01", "RNCP38478BC02"} {
				jd.Blocks = append(jd.Blocks, certibloc.BlockVerdict{Block: b, Validated: true, Route: certibloc.VAE, Reason: "Dossier et oral favorables."})
			}
			must(t, db.DecideCandidate(ctx, j.ID, jd))
		}
		must(t, db.CloseJury(ctx, j.ID, func(*certibloc.Minutes) ([]byte, error) { return []byte("PV"), nil }))

		// Issued through the API: the title of the first, two blocks each.
		var issued struct{ Issued []json.RawMessage }
		json.Unmarshal(do(t, h, o, call{method: "POST", url: fmt.Sprintf("/api/v1/juries/%d/credentials", j.ID),
			doc: "/api/v1/juries/{id}/credentials", token: admin, status: 200}), &issued)
		if len(issued.Issued) != 5 {
			t.Fatalf("%d credentials issued, want 5", len(issued.Issued))
		}
		var creds []listed
		for _, p := range people {
			var l struct{ Credentials []listed }
			json.Unmarshal(do(t, h, o, call{method: "GET", url: fmt.Sprintf("/api/v1/people/%d/credentials", p),
				doc: "/api/v1/people/{id}/credentials", token: admin, status: 200}), &l)
			creds = append(creds, l.Credentials...)
		}
		if len(creds) != 5 {
			t.Fatalf("%d credentials listed", len(creds))
		}
		if l := creds[0].Links; !strings.HasPrefix(l.LinkedIn, "https://www.linkedin.com/profile/add?") ||
			!strings.Contains(l.LinkedIn, "startTask=CERTIFICATION_NAME") || !strings.Contains(l.LinkedIn, "issueYear=2026&issueMonth=7") ||
			!strings.Contains(l.LinkedIn, "organizationName=SUP+DE+VINCI") || l.Share != "http://localhost:8080/credentials/"+creds[0].ID {
			t.Fatalf("links %+v", l)
		}

		// Revoking the first person's attestation of BC01 revokes its credential.
		cert, err := db.Certification(ctx, "RNCP38478", 0)
		must(t, err)
		p0, err := db.Person(ctx, people[0])
		must(t, err)
		p0.BirthDate = certibloc.DateOf(2000, 1, 2) // the matrix's people have none; a document prints it
		n, _ := certibloc.NewDocumentNumber(rand.Reader)
		att, err := certibloc.NewIssuedDocument(certibloc.Attestation, n, p0, cert, []certibloc.BlockVerdict{{Block: "RNCP38478BC01",
			Validated: true, Route: certibloc.VAE, Date: certibloc.DateOf(2026, 7, 1)}}, j.ID, certibloc.DateOf(2026, 7, 1), time.Now())
		must(t, err)
		must(t, db.IssueDocument(ctx, att, []byte("%PDF-1.3\n%%EOF\n")))
		_, err = db.RevokeDocument(ctx, att.Number, "erreur de saisie du jury, attestation rééditée")
		must(t, err)
		revokedID := ""
		for _, c := range creds {
			if c.Block == "RNCP38478BC01" && revokedID == "" {
				revokedID = c.ID // the first person's, listed first
			}
		}
		revoked := func(c listed) bool { return c.ID == revokedID }

		// certibloc's verifier: the JSON, and the baked PNG and SVG downloads.
		for _, c := range creds {
			for _, format := range []string{"json", "png", "svg"} {
				status, body, _ := fetch(t, h, "GET", "/api/v1/credentials/"+c.ID+"?format="+format, nil, "")
				if status != 200 {
					t.Fatalf("download %s as %s: %d", c.ID, format, status)
				}
				var r openbadge.Result
				json.Unmarshal(do(t, h, o, call{method: "POST", url: "/api/v1/credentials/verify?lang=en",
					doc: "/api/v1/credentials/verify", body: string(body), status: 200}), &r)
				if r.Valid == revoked(c) {
					t.Errorf("%s (%s) as %s: valid %v: %+v", c.ID, c.Block, format, r.Valid, r.Checks)
				}
				if revoked(c) && !strings.Contains(fmt.Sprint(r.Checks), "was revoked by its issuer") {
					t.Errorf("the revoked credential: %+v", r.Checks)
				}
			}
		}
		// A PNG without a credential, a tampered credential: named checks, no crash.
		status, body, _ := fetch(t, h, "POST", "/api/v1/credentials/verify", openbadge.BadgePNG(openbadge.Achievement{Certification: "RNCP38478"}), "")
		if status != 200 || !strings.Contains(string(body), `"name":"image","ok":false,"message":"L'image ne contient pas d'identifiant Open Badges."`) {
			t.Errorf("a PNG without a credential: %d %s", status, body)
		}
		status, body, _ = fetch(t, h, "POST", "/api/v1/credentials/verify", bytes.Repeat([]byte(" "), openbadge.MaxCredentialBytes+1), "")
		if status != 413 || !strings.Contains(string(body), `"valid":false`) {
			t.Errorf("11 MB: %d %.200s", status, body)
		}

		// The independent verifier, fed what certibloc serves.
		_, did, _ := fetch(t, h, "GET", "/.well-known/did.json", nil, "")
		_, list, _ := fetch(t, h, "GET", "/credentials/status/1", nil, "")
		var didDoc, listDoc map[string]any
		must(t, json.Unmarshal(did, &didDoc))
		must(t, json.Unmarshal(list, &listDoc))
		var in []npmCredential
		for _, c := range creds {
			in = append(in, npmCredential{Name: c.ID, Credential: c.Credential})
		}
		// And a tampered copy of the last, which it must refuse.
		tampered := bytes.Replace(creds[len(creds)-1].Credential, []byte(`"validFrom":"2026-07-01`), []byte(`"validFrom":"2026-06-01`), 1)
		in = append(in, npmCredential{Name: "tampered", Credential: tampered})
		results := npmVerify(t, map[string]any{didDoc["id"].(string): didDoc, listDoc["id"].(string): listDoc}, in)
		if last := results[len(results)-1]; last.Verified || !last.Schema {
			t.Errorf("npm verifier, a tampered credential: verified %v, schema %v", last.Verified, last.Schema)
		}
		for i, r := range results[:len(creds)] {
			if r.Verified == revoked(creds[i]) || !r.Schema {
				t.Errorf("npm verifier, %s (%s): verified %v (%s), schema %v %v", r.Name, creds[i].Block, r.Verified, r.Error, r.Schema, r.SchemaErrors)
			}
		}
	})
}

// listed is a credential as GET /api/v1/people/{id}/credentials lists it.
type listed struct {
	ID         string
	Block      string
	Credential json.RawMessage
	Links      struct{ Share, JSON, PNG, SVG, LinkedIn string }
}

type npmCredential struct {
	Name       string          `json:"name"`
	Credential json.RawMessage `json:"credential"`
}

type npmResult struct {
	Name         string
	Verified     bool
	Error        string
	Schema       bool
	SchemaErrors []string `json:"schema_errors"`
}

// npmVerify runs tools/vc/check.mjs: Digital Bazaar's verifier and ajv,
// with certibloc's cached contexts only. Outside CI, a missing Node.js or
// tools/vc/node_modules skips the test.
func npmVerify(t *testing.T, documents map[string]any, creds []npmCredential) []npmResult {
	t.Helper()
	root, _ := filepath.Abs("../..")
	tool := filepath.Join(root, "tools", "vc")
	node, err := exec.LookPath("node")
	if _, statErr := os.Stat(filepath.Join(tool, "node_modules")); err != nil || statErr != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("the independent verifier needs Node.js and tools/vc/node_modules (cd tools/vc && npm ci)")
		}
		t.Skip("no Node.js or tools/vc/node_modules: cd tools/vc && npm ci")
	}
	contexts := map[string]string{}
	dir := t.TempDir()
	for _, u := range vc.ContextURLs() {
		b, _ := vc.ContextFile(u)
		f := filepath.Join(dir, fmt.Sprintf("context%d.json", len(contexts)))
		must(t, os.WriteFile(f, b, 0o600))
		contexts[u] = f
	}
	input, _ := json.Marshal(map[string]any{"contexts": contexts, "documents": documents,
		"schema":      filepath.Join(root, "internal", "openbadge", "ob_v3p0_achievementcredential_schema.json"),
		"credentials": creds})
	cmd := exec.Command(node, filepath.Join(tool, "check.mjs"))
	cmd.Dir = tool
	cmd.Stdin = bytes.NewReader(input)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("tools/vc/check.mjs: %v\n%s", err, stderr.String())
	}
	var results []npmResult
	if err := json.Unmarshal(out, &results); err != nil || len(results) != len(creds) {
		t.Fatalf("tools/vc/check.mjs answered %s (%v)", out, err)
	}
	return results
}

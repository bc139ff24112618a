package server_test

import (
	"fmt"
	"maps"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The routes of the documents issued in the authorisation matrix: the
// verification is public; the PDF is for the admin and the staff of the
// holder's school (and the holder signed in on the web, whom an API token
// never stands for: TestVerifyDocuments).

func init() {
	maps.Copy(apiMatrix, map[string]matrixRoute{
		"GET /api/v1/documents/{number}":     {ok: 200, own: everyone, call: documentPath("/api/v1/documents/%s")},
		"GET /api/v1/documents/{number}/pdf": {ok: 200, own: "admin staff", other: "admin", scoped: true, call: documentPath("/api/v1/documents/%s/pdf")},
	})
	maps.Copy(webMatrix, map[string]matrixRoute{
		"GET /verify":          {ok: 200, own: everyone, call: path("/verify")},
		"GET /verify/{number}": {ok: 200, own: everyone, call: documentPath("/verify/%s")},
	})
}

// documentPath is a path about a certificate issued to a new person of
// ownSchool.
func documentPath(format string) func(m *matrix) (string, string) {
	return func(m *matrix) (string, string) {
		p := &certibloc.Person{School: ownSchool, BirthName: "MARTIN", FirstNames: "Léa", BirthDate: certibloc.DateOf(2000, 1, 2)}
		if err := m.db.CreatePerson(m.t.Context(), p); err != nil {
			m.t.Fatal(err)
		}
		d := issueDocument(m.t, m.db, "https://certibloc.example.fr", certibloc.Certificate, p)
		return fmt.Sprintf(format, d.Number), ""
	}
}

// walkDocument is the number of a transcript issued to a new person of
// ownSchool, for the walk of every page (browser_roles_test.go).
func walkDocument(t *testing.T, db *sqldb.DB) string {
	p := &certibloc.Person{School: ownSchool, BirthName: "NOËL", FirstNames: "Zoé", BirthDate: certibloc.DateOf(1999, 9, 9)}
	if err := db.CreatePerson(t.Context(), p); err != nil {
		t.Fatal(err)
	}
	return issueDocument(t, db, "https://certibloc.example.fr", certibloc.Transcript, p).Number
}

package server_test

import (
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// TestPurgeNeedsConfirmation: an empty POST /api/v1/gdpr/purge erases
// nobody and answers whom it would erase; {"confirm": true} or
// ?confirm=true erases.
func TestPurgeNeedsConfirmation(t *testing.T) {
	path := filepath.Join(t.TempDir(), "purge.db")
	db, err := sqldb.Open(t.Context(), "sqlite:"+path, "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	s := &peopleSite{o: loadOpenAPI(t), db: db}
	h := newSite(t, db)
	s.h = func(t *testing.T, c call) []byte { t.Helper(); return do(t, h, s.o, c) }
	var ids []int64
	for i := range 2 {
		p := &certibloc.Person{School: "DIIAGE", BirthName: fmt.Sprintf("Oublié%d", i), FirstNames: "Jean"}
		if err := db.CreatePerson(t.Context(), p); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	// Three years untouched, as the store would write it.
	raw, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`UPDATE people SET updated_at = ?`, time.Now().UTC().AddDate(-3, 0, 0)); err != nil {
		t.Fatal(err)
	}
	admin := tokenFor(t, db, map[string]string{}, "admin", "")
	erased := func(id int64) bool {
		p, err := db.Person(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		return p.ErasedAt != nil
	}
	const purge = "/api/v1/gdpr/purge"
	for _, body := range []string{"", `{}`, `{"months":24}`, `{"confirm":false}`} {
		s.h(t, call{method: "POST", url: purge, doc: purge, token: admin, status: 200, body: body,
			check: wantText(`"dry_run":true`, `"erased":2`, fmt.Sprintf(`"ids":[%d,%d]`, ids[0], ids[1]))})
	}
	s.h(t, call{method: "POST", url: purge + "?confirm=maybe", doc: purge, token: admin, status: 400, check: wantText("confirm")})
	if erased(ids[0]) || erased(ids[1]) {
		t.Fatal("a purge without confirmation erased someone")
	}
	s.h(t, call{method: "POST", url: purge, doc: purge, token: admin, status: 200, body: `{"confirm":true,"dry_run":true}`,
		check: wantText(`"dry_run":true`)})
	s.h(t, call{method: "POST", url: purge + "?confirm=true", doc: purge, token: admin, status: 200,
		check: wantText(`"dry_run":false`, `"erased":2`)})
	if !erased(ids[0]) || !erased(ids[1]) {
		t.Error("a confirmed purge erased nobody")
	}
}

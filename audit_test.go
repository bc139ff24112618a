package certibloc

import (
	"encoding/json"
	"testing"
	"time"
)

func TestAuthorizeTrail(t *testing.T) {
	admin := &Principal{Role: Admin}
	staff := &Principal{Role: Staff, Schools: []string{"DIIAGE"}}
	referent := &Principal{Role: Referent, Schools: []string{"DIIAGE"}}
	for _, tc := range []struct {
		who            *Principal
		entity, school string
		want           string // error code, "" for allowed
	}{
		{admin, "person", "DIIAGE", ""},
		{admin, "certification", "", ""},
		{admin, "token", "DIIAGE", ""},
		{admin, "disability", "DIIAGE", EFORBIDDEN},
		{staff, "person", "DIIAGE", ""},
		{staff, "programme", "DIIAGE", ""},
		{staff, "person", "ESTIA", EFORBIDDEN},
		{staff, "certification", "", EFORBIDDEN},
		{staff, "account", "DIIAGE", EFORBIDDEN},
		{staff, "token", "DIIAGE", EFORBIDDEN},
		{staff, "disability", "DIIAGE", EFORBIDDEN},
		{referent, "person", "DIIAGE", EFORBIDDEN},
		{referent, "disability", "DIIAGE", EFORBIDDEN},
		{&Principal{}, "person", "DIIAGE", EUNAUTHORIZED},
	} {
		if got := ErrorCode(tc.who.AuthorizeTrail(tc.entity, tc.school)); got != tc.want {
			t.Errorf("%s reading %s of %q: %q, want %q", tc.who.Role, tc.entity, tc.school, got, tc.want)
		}
	}
}

// The hash must not change with the spacing of the data, which PostgreSQL's
// jsonb rewrites, and must change with any field.
func TestAuditEntryComputeHash(t *testing.T) {
	e := AuditEntry{At: time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC), Actor: "cli", Action: "school.create",
		Entity: "school", EntityID: "DIIAGE", School: "DIIAGE", Data: json.RawMessage(`{"name":"DIIAGE"}`), PrevHash: "00"}
	h := e.ComputeHash()
	spaced := e
	spaced.Data = json.RawMessage(`{ "name": "DIIAGE" }`)
	if spaced.ComputeHash() != h {
		t.Error("the hash depends on the spacing of the data")
	}
	other := e
	other.Actor = "system"
	if other.ComputeHash() == h {
		t.Error("the hash does not cover the actor")
	}
}

package certibloc

import "testing"

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

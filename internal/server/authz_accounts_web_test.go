package server_test

import (
	"fmt"
	"maps"

	"github.com/certibloc/certibloc"
)

// The admin's pages of the accounts (internal/web/accounts_admin.go).
func init() {
	maps.Copy(webMatrix, map[string]matrixRoute{
		"GET /app/accounts": {call: path("/app/accounts"), ok: 200, own: "admin"},
		"POST /app/accounts": {ok: 303, own: "admin", call: func(m *matrix) (string, string) {
			return "/app/accounts", fmt.Sprintf("email=made.%d%%40example.org&role=jury&school=DIIAGE", m.unique())
		}},
		"GET /app/accounts/{id}": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/accounts/%d", m.matrixAccount(false)), ""
		}},
		"GET /app/accounts/{id}/disable": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/accounts/%d/disable", m.matrixAccount(false)), ""
		}},
		"POST /app/accounts/{id}/disable": {ok: 303, own: "admin", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/accounts/%d/disable", m.matrixAccount(false)), ""
		}},
		"POST /app/accounts/{id}/enable": {ok: 303, own: "admin", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/accounts/%d/enable", m.matrixAccount(true)), ""
		}},
		"GET /app/accounts/{id}/reset-totp": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/accounts/%d/reset-totp", m.matrixAccount(false)), ""
		}},
		"POST /app/accounts/{id}/reset-totp": {ok: 303, own: "admin", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/accounts/%d/reset-totp", m.matrixAccount(false)), ""
		}},
		"GET /app/tokens/{id}/revoke": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
			_, tok, err := m.db.CreateToken(m.t.Context(), "to revoke, asked", "jury", ownSchool)
			if err != nil {
				m.t.Fatal(err)
			}
			return fmt.Sprintf("/app/tokens/%d/revoke", tok.ID), ""
		}},
	})
}

// matrixAccount makes a jury member's account of the own school, disabled
// when asked, and returns its id.
func (m *matrix) matrixAccount(disabled bool) int64 {
	a, err := m.db.CreateAccount(m.t.Context(), certibloc.Account{Email: fmt.Sprintf("target.%d@example.org", m.unique()),
		Role: certibloc.Jury, Schools: []string{ownSchool}})
	if err != nil {
		m.t.Fatal(err)
	}
	if disabled {
		if err := m.db.DisableAccount(m.t.Context(), a.ID); err != nil {
			m.t.Fatal(err)
		}
	}
	return a.ID
}

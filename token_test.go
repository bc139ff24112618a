package certibloc

import "testing"

func TestTokenPrincipal(t *testing.T) {
	p := Token{ID: 7, Role: string(Staff), School: "DIIAGE"}.Principal()
	if p.TokenID != 7 || p.Role != Staff || p.Label != "token 7" || len(p.Schools) != 1 || p.Schools[0] != "DIIAGE" {
		t.Errorf("staff token: %+v", p)
	}
	if p := (Token{ID: 1, Role: string(Admin)}).Principal(); p.Schools != nil {
		t.Errorf("admin token has schools %v", p.Schools)
	}
}

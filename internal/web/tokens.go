package web

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

func init() {
	registerPage("tokens", "templates/tokens.html")
	menu = append(menu, menuEntry{"/app/tokens", "menu_tokens", certibloc.ManageAccounts})
}

// maxFormBody bounds the forms of the token pages: a few short fields.
const maxFormBody = 16 << 10

// tokensView is the page of the API tokens: the list, the form that makes
// one, and the secret of the token just made, shown this once.
type tokensView struct {
	Tokens  []tokenRow
	Roles   []option
	Schools []option
	Form    newTokenForm
	Error   string           // what was wrong with the form
	Created *certibloc.Token // the token just made
	Secret  string           // its secret
	Revoked string           // "token 3 (name) was revoked"
}

// tokenRow is a line of the list of tokens.
type tokenRow struct {
	certibloc.Token
	RoleLabel         string
	Created, LastUsed string
	RevokedOn         string
}

// option is a choice of a select list.
type option struct{ Value, Label string }

// newTokenForm is what the form of a new token holds.
type newTokenForm struct{ Name, Role, School string }

// tokens renders the list of tokens and the form that makes one.
func (s *Site) tokens(w http.ResponseWriter, r *http.Request) error {
	v := &tokensView{Form: newTokenForm{Role: string(certibloc.Staff)}}
	return s.renderTokens(w, r, http.StatusOK, v)
}

// createToken makes a token from the form and shows its secret once; a
// wrong form is shown again, with what was wrong.
func (s *Site) createToken(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBody)
	if err := r.ParseForm(); err != nil {
		return certibloc.Errorf(certibloc.EINVALID, "the form could not be read: %v", err)
	}
	v := &tokensView{Form: newTokenForm{Name: r.PostFormValue("name"), Role: r.PostFormValue("role"),
		School: r.PostFormValue("school")}}
	secret, tok, err := s.db.CreateToken(r.Context(), v.Form.Name, v.Form.Role, v.Form.School)
	if certibloc.ErrorCode(err) == certibloc.EINVALID {
		v.Error = tokenError(s.page(r, ""), err, v.Form)
		return s.renderTokens(w, r, http.StatusBadRequest, v)
	}
	if err != nil {
		return err
	}
	v.Created, v.Secret = &tok, secret
	v.Form = newTokenForm{Role: tok.Role}
	return s.renderTokens(w, r, http.StatusOK, v)
}

// revokeToken revokes a token and goes back to the list, which says so.
func (s *Site) revokeToken(w http.ResponseWriter, r *http.Request) error {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return certibloc.Errorf(certibloc.ENOTFOUND, "no token %q", r.PathValue("id"))
	}
	if err := s.db.RevokeToken(r.Context(), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/app/tokens?revoked="+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

// renderTokens fills the list, the choices of the form, and writes the page.
func (s *Site) renderTokens(w http.ResponseWriter, r *http.Request, status int, v *tokensView) error {
	pg := s.page(r, "")
	pg.Title = pg.T("tokens_title")
	pg.Description = pg.T("tokens_description")
	list, err := s.db.Tokens(r.Context())
	if err != nil {
		return err
	}
	schools, err := s.db.Schools(r.Context())
	if err != nil {
		return err
	}
	revoked := r.URL.Query().Get("revoked")
	for _, t := range list {
		row := tokenRow{Token: t, RoleLabel: pg.T("tokens_role:" + t.Role), Created: pg.dateTime(t.CreatedAt),
			LastUsed: pg.T("tokens_never")}
		if t.LastUsedAt != nil {
			row.LastUsed = pg.dateTime(*t.LastUsedAt)
		}
		if t.RevokedAt != nil {
			row.RevokedOn = pg.dateTime(*t.RevokedAt)
			if revoked == fmt.Sprint(t.ID) {
				v.Revoked = pg.Tf("tokens_revoked_f", t.ID, t.Name)
			}
		}
		v.Tokens = append(v.Tokens, row)
	}
	for _, role := range certibloc.Roles {
		v.Roles = append(v.Roles, option{string(role), pg.T("tokens_role:" + string(role))})
	}
	v.Schools = append(v.Schools, option{"", pg.T("tokens_no_school")})
	for _, sc := range schools {
		v.Schools = append(v.Schools, option{sc.Code, sc.Code + " – " + sc.Name})
	}
	pg.Body = v
	var buf bytes.Buffer
	if err := s.pages.render(&buf, "tokens", pg); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store") // the secret must not stay in a cache
	w.WriteHeader(status)
	_, err = w.Write(buf.Bytes())
	return err
}

// tokenError words the store's refusal of a new token in the page's
// language.
func tokenError(pg *page, err error, f newTokenForm) string {
	msg := certibloc.ErrorMessage(err)
	switch {
	case strings.Contains(msg, "needs a name"):
		return pg.T("tokens_e_name")
	case strings.Contains(msg, "longer than"):
		return pg.T("tokens_e_long")
	case strings.Contains(msg, "sees every school"):
		return pg.T("tokens_e_admin")
	case strings.Contains(msg, "scoped to a school"):
		return pg.T("tokens_e_scoped")
	case strings.Contains(msg, "does not exist"):
		return pg.Tf("tokens_e_school_f", f.School)
	case strings.HasPrefix(msg, "role "):
		return pg.T("tokens_e_role")
	}
	return errorText(pg, err)
}

package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/secret"
)

func init() {
	registerPage("app", "templates/app.html")
	registerPage("account", "templates/account.html")
}

// appView is the signed-in home page: who you are.
type appView struct {
	Account   certibloc.Account
	RoleLabel string
	Schools   []certibloc.School
}

// app shows who is signed in, with which role and for which schools.
func (s *Site) app(w http.ResponseWriter, r *http.Request) error {
	if p := certibloc.PrincipalFrom(r.Context()); p.Role == certibloc.Candidate && p.PersonID != 0 {
		return s.candidateHome(w, r) // their applications, not their account (candidate_home.go)
	}
	a, err := s.db.Account(r.Context(), certibloc.PrincipalFrom(r.Context()).AccountID)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	v := &appView{Account: a, RoleLabel: pg.T("auth_role:" + string(a.Role))}
	for _, code := range a.Schools {
		sc, err := s.db.School(r.Context(), code)
		if err != nil {
			return err
		}
		v.Schools = append(v.Schools, *sc)
	}
	pg.Title, pg.Description = pg.T("auth_app_title"), pg.T("auth_app_title")
	return s.renderAuth(w, http.StatusOK, "app", pg, v)
}

// accountView is the page of one's own account: password, TOTP, sessions.
type accountView struct {
	Account   certibloc.Account
	RoleLabel string
	Notice    string // message key of what was just done
	// Errors of the forms, by field: "current", "password", "confirm",
	// "totp_current", "code", "disable"; message keys.
	Errors      map[string]string
	Secret, URI string // a new TOTP secret to set up
	Key         string // the secret in groups of four
}

func (s *Site) accountPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderAccount(w, r, http.StatusOK, &accountView{Notice: noticeKey(r.URL.Query().Get("done"))})
}

// noticeKey is the message of a ?done= of the account page, if known.
func noticeKey(done string) string {
	switch done {
	case "password", "totp_on", "totp_off":
		return "auth_done_" + done
	}
	return ""
}

// account changes the account as its "action" field says: password,
// totp_enable, totp_disable, or signout_all. Success goes back to the page
// (POST-redirect-GET), a mistake shows the form again with what was wrong.
func (s *Site) account(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	a, err := s.db.Account(ctx, certibloc.PrincipalFrom(ctx).AccountID)
	if err != nil {
		return err
	}
	current := s.cookieValue(r, sessionCookie) // present: serve found the session by it
	v := &accountView{Errors: map[string]string{}}
	done := ""
	switch r.PostFormValue("action") {
	case "password":
		if v.Errors["current"], err = s.checkCurrentPassword(r, a); err != nil {
			return err
		}
		if v.Errors["current"] == "" {
			v.Errors["password"], v.Errors["confirm"] = checkNewPassword(r.PostFormValue("password"), r.PostFormValue("confirm"))
		}
		if v.Errors["current"]+v.Errors["password"]+v.Errors["confirm"] == "" {
			var hash string
			if hash, err = secret.Hash(ctx, r.PostFormValue("password")); errors.Is(err, secret.ErrBusy) {
				v.Errors["password"], err = "auth_busy", nil
			} else if err == nil {
				// Other browsers are signed out; this one stays.
				err, done = s.db.SetPassword(ctx, a.ID, hash, current), "password"
			}
		}
	case "totp_enable":
		// Setting up or replacing the second factor takes the password: a
		// borrowed session must not be a way to take the account over.
		v.Secret = r.PostFormValue("secret")
		if v.Errors["totp_current"], err = s.checkCurrentPassword(r, a); err != nil || v.Errors["totp_current"] != "" {
			break
		}
		if step, ok := secret.CheckTOTP(v.Secret, r.PostFormValue("code"), time.Now()); !ok || len(v.Secret) != 32 {
			v.Errors["code"] = "auth_code_wrong"
		} else {
			err, done = s.db.EnableTOTP(ctx, a.ID, v.Secret, step), "totp_on"
		}
	case "totp_disable":
		if v.Errors["disable"], err = s.checkCurrentPassword(r, a); err == nil && v.Errors["disable"] == "" {
			err, done = s.db.DisableTOTP(ctx, a.ID), "totp_off"
		}
	case "signout_all":
		if _, err := s.db.RevokeSessions(ctx, a.ID, ""); err != nil {
			return err
		}
		s.clearCookie(w, r, sessionCookie)
		http.Redirect(w, r, "/signin?done=everywhere", http.StatusSeeOther)
		return nil
	default:
		return certibloc.Errorf(certibloc.EINVALID, "unknown action %q", r.PostFormValue("action"))
	}
	if err != nil {
		return err
	}
	if done != "" {
		http.Redirect(w, r, "/app/account?done="+done, http.StatusSeeOther)
		return nil
	}
	status := http.StatusBadRequest
	for _, key := range v.Errors {
		if key == "auth_busy" {
			busy(w)
			status = http.StatusServiceUnavailable
		}
	}
	return s.renderAccount(w, r, status, v)
}

// checkCurrentPassword returns a message key when the password typed as
// the current one is wrong, when too many were, or when the server is too
// busy to check it. A wrong one counts as a failed sign-in: a borrowed
// session must not be a way to guess it.
func (s *Site) checkCurrentPassword(r *http.Request, a certibloc.Account) (string, error) {
	ctx := r.Context()
	att, stop, err := s.take(ctx, passwordLimits(a.Email, s.clientIP(r))...)
	if err != nil || stop != nil {
		return "auth_throttled", err
	}
	password := r.PostFormValue("current")
	ok := false
	if len(password) <= secret.MaxPasswordLen {
		ok, err = secret.Verify(ctx, a.PasswordHash, password)
	}
	if errors.Is(err, secret.ErrBusy) {
		return "auth_busy", s.giveBack(ctx, att)
	}
	if !ok {
		return "auth_current_wrong", nil
	}
	return "", s.giveBack(ctx, att)
}

func (s *Site) renderAccount(w http.ResponseWriter, r *http.Request, status int, v *accountView) error {
	a, err := s.db.Account(r.Context(), certibloc.PrincipalFrom(r.Context()).AccountID)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	v.Account, v.RoleLabel = a, pg.T("auth_role:"+string(a.Role))
	if len(v.Secret) != 32 {
		v.Secret = secret.NewTOTPSecret()
	}
	v.URI, v.Key = secret.TOTPURI(totpIssuer, a.Email, v.Secret), groupKey(v.Secret)
	pg.Title, pg.Description = pg.T("auth_account_title"), pg.T("auth_account_description")
	return s.renderAuth(w, status, "account", pg, v)
}

package web

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"time"
	"unicode/utf8"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/secret"
	"github.com/certibloc/certibloc/internal/sqldb"
)

func init() {
	registerPage("forgot", "templates/forgot.html")
	registerPage("reset", "templates/reset.html")
}

// resetCookie carries a password link's token from the link to the form,
// so that the token leaves the address bar and the history at once, and
// the form survives switching language.
const resetCookie = "certibloc_reset"

// resetsPerHour is how many password links one account gets in an hour:
// enough for someone who lost the first one, too few to flood a mailbox.
const resetsPerHour = 3

// forgotView is the form that asks for a password link.
type forgotView struct {
	Email, EmailError string
	Sent              bool
}

func (s *Site) forgotForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderForgot(w, r, http.StatusOK, &forgotView{})
}

// forgotFloor is the least time an answer to a forgotten password takes,
// whether the address has an account or not: making a link (a stored
// token, an audit entry, an outbox message) fits well within it, so that
// the time of the answer does not tell which addresses have an account.
const forgotFloor = 200 * time.Millisecond

// forgot sends a password link when the address has a live account, and
// answers the same whether it has or not, in the same time (forgotFloor).
func (s *Site) forgot(w http.ResponseWriter, r *http.Request) error {
	v := &forgotView{Email: sqldb.NormalizeEmail(r.PostFormValue("email"))}
	if v.Email == "" || len(v.Email) > 254 {
		v.EmailError = "auth_email_missing"
		return s.renderForgot(w, r, http.StatusBadRequest, v)
	}
	ctx := r.Context()
	defer waitUntil(ctx, time.Now().Add(forgotFloor))
	a, err := s.db.AccountByEmail(ctx, v.Email)
	if err == nil && a.DisabledAt == nil {
		err = s.sendResetLink(w, r, a)
	}
	if err != nil && certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		return err
	}
	v.Sent = true
	return s.renderForgot(w, r, http.StatusOK, v)
}

// waitUntil returns at t, or sooner when the request ends.
func waitUntil(ctx context.Context, t time.Time) {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
	}
}

// sendResetLink makes a password link for a and e-mails it in the
// language of the page, unless the account had its share this hour.
func (s *Site) sendResetLink(w http.ResponseWriter, r *http.Request, a certibloc.Account) error {
	ctx := r.Context()
	n, err := s.db.PasswordResetsSince(ctx, a.ID, time.Now().Add(-time.Hour))
	if err != nil || n >= resetsPerHour {
		return err
	}
	token, err := s.db.CreatePasswordReset(ctx, a.ID, sqldb.ResetTTL)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	link := s.baseURL() + "/password/reset?token=" + url.QueryEscape(token)
	if pg.Lang == "en" {
		link += "&lang=en"
	}
	_, err = s.mailer().Send(ctx, certibloc.Mail{To: a.Email, School: a.School(), Subject: pg.T("auth_reset_subject"),
		Body: pg.Tf("auth_reset_body_f", link, int(sqldb.ResetTTL/time.Minute))})
	return err
}

func (s *Site) renderForgot(w http.ResponseWriter, r *http.Request, status int, v *forgotView) error {
	pg := s.page(r, "")
	pg.CSRF = s.anonToken(w, r)
	pg.Title, pg.Description = pg.T("auth_forgot_title"), pg.T("auth_forgot_description")
	return s.renderAuth(w, status, "forgot", pg, v)
}

// resetView is the form that sets a new password from a link.
type resetView struct {
	Email                              string // for password managers
	Error, PasswordError, ConfirmError string // message keys
}

// resetForm takes the token of a link into a cookie and comes back
// without it; then it shows the form, or says the link is no good.
func (s *Site) resetForm(w http.ResponseWriter, r *http.Request) error {
	if token := r.URL.Query().Get("token"); token != "" {
		http.SetCookie(w, s.cookie(r, resetCookie, token, int(sqldb.ResetTTL.Seconds())))
		http.Redirect(w, r, "/password/reset?lang="+lang(r), http.StatusSeeOther)
		return nil
	}
	token := s.cookieValue(r, resetCookie)
	if token == "" {
		return s.renderReset(w, r, http.StatusBadRequest, &resetView{Error: "auth_link_bad"})
	}
	a, err := s.db.PasswordReset(r.Context(), token)
	if certibloc.ErrorCode(err) == certibloc.EINVALID {
		return s.renderReset(w, r, http.StatusBadRequest, &resetView{Error: "auth_link_bad"})
	} else if err != nil {
		return err
	}
	return s.renderReset(w, r, http.StatusOK, &resetView{Email: a.Email})
}

// reset sets the new password, uses the link up, ends every session of
// the account and sends to sign-in.
func (s *Site) reset(w http.ResponseWriter, r *http.Request) error {
	v := &resetView{}
	token := s.cookieValue(r, resetCookie)
	if token == "" {
		v.Error = "auth_link_bad"
		return s.renderReset(w, r, http.StatusBadRequest, v)
	}
	a, err := s.db.PasswordReset(r.Context(), token)
	if certibloc.ErrorCode(err) == certibloc.EINVALID {
		v.Error = "auth_link_bad"
		return s.renderReset(w, r, http.StatusBadRequest, v)
	} else if err != nil {
		return err
	}
	v.Email = a.Email
	password := r.PostFormValue("password")
	v.PasswordError, v.ConfirmError = checkNewPassword(password, r.PostFormValue("confirm"))
	if v.PasswordError != "" || v.ConfirmError != "" {
		return s.renderReset(w, r, http.StatusBadRequest, v)
	}
	ctx := certibloc.WithPrincipal(r.Context(), a.Principal())
	hash, err := secret.Hash(ctx, password)
	if errors.Is(err, secret.ErrBusy) {
		busy(w)
		v.Error = "auth_busy"
		return s.renderReset(w, r, http.StatusServiceUnavailable, v)
	} else if err != nil {
		return err
	}
	if _, err := s.db.ResetPassword(ctx, token, hash); certibloc.ErrorCode(err) == certibloc.EINVALID {
		v.Error = "auth_link_bad"
		return s.renderReset(w, r, http.StatusBadRequest, v)
	} else if err != nil {
		return err
	}
	// Proving the mailbox is theirs lifts the lock of failed sign-ins.
	if err := s.db.ClearSignInFailures(ctx, "email:"+a.Email); err != nil {
		return err
	}
	s.clearCookie(w, r, resetCookie)
	s.clearCookie(w, r, sessionCookie)
	http.Redirect(w, r, "/signin?done=reset", http.StatusSeeOther)
	return nil
}

// checkNewPassword returns the message keys of what is wrong with a new
// password and its confirmation, if anything.
func checkNewPassword(password, confirm string) (passwordErr, confirmErr string) {
	switch n := utf8.RuneCountInString(password); {
	case n < secret.MinPasswordLen:
		return "auth_password_short", ""
	case len(password) > secret.MaxPasswordLen:
		return "auth_password_long", ""
	case password != confirm:
		return "", "auth_confirm_differs"
	}
	return "", ""
}

func (s *Site) renderReset(w http.ResponseWriter, r *http.Request, status int, v *resetView) error {
	pg := s.page(r, "")
	pg.CSRF = s.anonToken(w, r)
	pg.Title, pg.Description = pg.T("auth_reset_title"), pg.T("auth_reset_description")
	return s.renderAuth(w, status, "reset", pg, v)
}

package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/secret"
)

func init() {
	registerPage("totp", "templates/totp.html")
}

// totpIssuer names the site in authenticator apps.
const totpIssuer = "certibloc"

// totpView is the second step of signing in: a code from the app, or for
// staff who have none yet, setting it up first.
type totpView struct {
	Enroll      bool   // the account has no TOTP yet: show its new secret
	Secret, URI string // the new secret and its otpauth:// URI
	Key         string // the secret in groups of four, to type
	Email, Next string
	Error       string // message key
}

// pendingSession returns the session of r that waits for its second
// factor, and its cookie secret.
func (s *Site) pendingSession(r *http.Request) (certibloc.Session, string, error) {
	sess, token, err := s.sessions().Load(r)
	if err == nil && sess.MFADone {
		err = certibloc.Errorf(certibloc.ECONFLICT, "signed in already")
	}
	return sess, token, err
}

// totpForm asks for a code, or shows a new secret to staff who must set
// TOTP up. Without a session waiting for it, it sends to sign-in.
func (s *Site) totpForm(w http.ResponseWriter, r *http.Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	sess, _, err := s.pendingSession(r)
	if err != nil {
		http.Redirect(w, r, "/signin?lang="+lang(r), http.StatusSeeOther)
		return nil
	}
	v := &totpView{Email: sess.Account.Email, Next: next}
	if !sess.Account.TOTPEnabled {
		v.Enroll, v.Secret = true, secret.NewTOTPSecret()
	}
	return s.renderTOTP(w, r, http.StatusOK, v)
}

// totp checks the code and completes the session with a new cookie. Each
// code is counted against the account's second factor before it is
// checked; past the limit the waiting session ends and the second factor
// stays locked for the rest of the window, whatever the password step does.
func (s *Site) totp(w http.ResponseWriter, r *http.Request) error {
	sess, token, err := s.pendingSession(r)
	if err != nil {
		http.Redirect(w, r, "/signin?lang="+lang(r), http.StatusSeeOther)
		return nil
	}
	ctx := certibloc.WithPrincipal(r.Context(), sess.Account.Principal())
	a := sess.Account
	v := &totpView{Email: a.Email, Next: safeNext(r.PostFormValue("next"))}
	key := a.TOTPSecret
	if !a.TOTPEnabled {
		v.Enroll, v.Secret = true, r.PostFormValue("secret")
		if len(v.Secret) != 32 {
			v.Secret = secret.NewTOTPSecret()
		}
		key = v.Secret
	}
	att, stop, err := s.take(ctx, limit{"totp:" + a.Email, totpLimit, totpWindow},
		limit{"ip:" + s.clientIP(r), addressLimit, throttleWindow})
	if err != nil {
		return err
	} else if stop != nil {
		if err := s.db.DeleteSession(ctx, token); err != nil {
			return err
		}
		s.clearCookie(w, r, sessionCookie)
		msg := "auth_throttled"
		if strings.HasPrefix(stop.subject, "totp:") {
			msg = "auth_totp_locked"
		}
		return s.renderSignin(w, r, http.StatusTooManyRequests, &signinView{Email: a.Email, Next: v.Next, Error: msg})
	}
	step, ok := secret.CheckTOTP(key, r.PostFormValue("code"), time.Now())
	if !ok {
		v.Error = "auth_code_wrong"
		return s.renderTOTP(w, r, http.StatusUnauthorized, v)
	}
	enroll := ""
	if v.Enroll {
		enroll = key
	}
	full, err := s.db.CompleteMFA(ctx, token, step, enroll)
	if certibloc.ErrorCode(err) == certibloc.EINVALID {
		v.Error = "auth_code_used"
		return s.renderTOTP(w, r, http.StatusUnauthorized, v)
	} else if err != nil {
		return err
	}
	// Only a right code clears the wrong ones.
	if err := s.db.ClearSignInFailures(ctx, "totp:"+a.Email); err != nil {
		return err
	}
	if err := s.giveBack(ctx, att[1:]); err != nil {
		return err
	}
	s.startSession(w, r, full)
	http.Redirect(w, r, v.Next, http.StatusSeeOther)
	return nil
}

func (s *Site) renderTOTP(w http.ResponseWriter, r *http.Request, status int, v *totpView) error {
	pg := s.page(r, "")
	// The session is not complete, so the page is anonymous; its forms
	// carry the token of the session cookie all the same.
	if token := s.cookieValue(r, sessionCookie); token != "" {
		pg.CSRF = csrfFor(token)
	}
	if v.Enroll {
		v.URI, v.Key = secret.TOTPURI(totpIssuer, v.Email, v.Secret), groupKey(v.Secret)
	}
	pg.Title, pg.Description = pg.T("auth_totp_title"), pg.T("auth_totp_description")
	return s.renderAuth(w, status, "totp", pg, v)
}

// groupKey writes a TOTP secret in groups of four characters, as apps
// show it and people type it; spaces are ignored when it is read.
func groupKey(key string) string {
	var b strings.Builder
	for i, r := range key {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

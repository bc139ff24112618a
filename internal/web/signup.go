package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// signupsPerHour bounds the accounts one network address may ask for in
// an hour: a family sharing a connection gets through, a script does not.
const signupsPerHour = 10

// signupRace is how long one sign-up holds its address against another
// one racing with it: the time to make a person and an account.
const signupRace = time.Minute

// signupView is the public sign-up form of a candidate, or the answer
// that a message was sent.
type signupView struct {
	Programme, ProgrammeTitle string // slug and title of the programme applied to
	Fields                    []admField
	Summary                   *errorSummary
	Sent                      string // the address the message went to
}

// signupFields are the fields of the form, in its order: the civil
// identity and what the entry rules read. The person fills in their own
// data, so the browser may offer it.
var signupFields = []admField{
	{Name: "birth_name", Type: "text", Autocomplete: "family-name", Required: true, MaxLength: "200"},
	{Name: "first_names", Type: "text", Autocomplete: "given-name", Required: true, MaxLength: "200"},
	{Name: "birth_date", Type: "date", Autocomplete: "bday", Required: true, Min: "1900-01-01"},
	{Name: "email", Type: "email", Autocomplete: "email", Required: true, MaxLength: "254"},
	{Name: "level", Type: "number", Required: true, Min: "0", Max: "8"},
	{Name: "ects", Type: "number", Required: true, Min: "0", Max: "600"},
	{Name: "experience_months", Type: "number", Required: true, Min: "0", Max: "600"},
}

// signupForm shows the empty form; whoever is signed in already goes on
// to their space.
func (s *Site) signupForm(w http.ResponseWriter, r *http.Request) error {
	if !certibloc.PrincipalFrom(r.Context()).Anonymous() {
		http.Redirect(w, r, "/app", http.StatusSeeOther)
		return nil
	}
	prog, err := s.signupProgramme(r, r.URL.Query().Get("programme"))
	if err != nil {
		return err
	}
	values := map[string]string{"level": "", "ects": "0", "experience_months": "0"}
	return s.renderSignup(w, r, http.StatusOK, prog, values, nil, "")
}

// signup makes the person and the candidate account of the form, then
// sends the link that sets the password. Whether the address already had
// an account, the answer is the same: that account gets a message saying
// so, with a link to choose a new password.
func (s *Site) signup(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	prog, err := s.signupProgramme(r, r.PostFormValue("programme"))
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	values := map[string]string{}
	for _, f := range signupFields {
		values[f.Name] = strings.TrimSpace(r.PostFormValue(f.Name))
	}
	values["email"] = sqldb.NormalizeEmail(values["email"])
	p, errs := signupPerson(pg, prog.School.Code, values, s.db.Today())
	if len(errs) > 0 {
		return s.renderSignup(w, r, http.StatusBadRequest, prog, values, errs, "")
	}
	// Sign-ups are counted per network address in the table of sign-in
	// attempts, before anything is made.
	if _, stop, err := s.take(ctx, limit{"signup:" + s.clientIP(r), signupsPerHour, time.Hour}); err != nil {
		return err
	} else if stop != nil {
		return s.renderSignup(w, r, http.StatusTooManyRequests, prog, values, formErrors{"": pg.T("signup_throttled")}, "")
	}
	acct, err := s.db.AccountByEmail(ctx, p.Email)
	existing := err == nil
	if err != nil && certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		return err
	}
	if !existing {
		// One sign-up per address makes its person and account at a time:
		// others racing with it (a double click, two tabs) answer the same
		// without making a second person, and the first one's e-mail goes.
		att, stop, err := s.take(ctx, limit{"signup:" + p.Email, 1, signupRace})
		if err != nil {
			return err
		} else if stop != nil {
			return s.renderSignup(w, r, http.StatusOK, prog, values, nil, p.Email)
		}
		// The person signs themselves up: the audit trail says so.
		ctx := certibloc.WithPrincipal(ctx, &certibloc.Principal{Label: "signup"})
		if acct, err = s.createCandidate(ctx, p); err != nil {
			// The address is free again for a corrected form.
			if err := s.giveBack(ctx, att); err != nil {
				return err
			}
			if certibloc.ErrorCode(err) == certibloc.ECONFLICT {
				// Made meanwhile by another instance or a password link.
				return s.renderSignup(w, r, http.StatusOK, prog, values, nil, p.Email)
			} else if certibloc.ErrorCode(err) != certibloc.EINVALID {
				return err
			}
			return s.renderSignup(w, r, http.StatusBadRequest, prog, values, personErrors(pg, err), "")
		}
	}
	if acct.DisabledAt == nil {
		if err := s.sendSignupLink(r, acct, existing); err != nil {
			return err
		}
	}
	return s.renderSignup(w, r, http.StatusOK, prog, values, nil, p.Email)
}

// createCandidate makes the person of the form and their account.
func (s *Site) createCandidate(ctx context.Context, p *certibloc.Person) (certibloc.Account, error) {
	if err := s.db.CreatePerson(ctx, p); err != nil {
		return certibloc.Account{}, err
	}
	return s.db.CreateAccount(ctx, certibloc.Account{PersonID: p.ID, Email: p.Email, Role: certibloc.Candidate})
}

// signupPerson turns the form into a person of the programme's school,
// with every error of the form at once: those of each field, and a date
// of birth that is not a candidate's (under 15 or over 100 on today).
func signupPerson(pg *page, school string, v map[string]string, today certibloc.Date) (*certibloc.Person, formErrors) {
	errs := formErrors{}
	p := &certibloc.Person{School: school, BirthName: v["birth_name"], FirstNames: v["first_names"], Email: v["email"]}
	for _, f := range signupFields {
		if f.Required && v[f.Name] == "" {
			errs[f.Name] = pg.T("adm_err_required")
		}
	}
	dateField(pg, errs, "birth_date", v["birth_date"], &p.BirthDate, true)
	atoiField(pg, errs, "level", v["level"], &p.Level)
	atoiField(pg, errs, "ects", v["ects"], &p.ECTS)
	atoiField(pg, errs, "experience_months", v["experience_months"], &p.ExperienceMonths)
	problems := p.Problems()
	if _, bad := errs["birth_date"]; !bad && !p.BirthDate.IsZero() {
		if err := certibloc.CheckApplicantAge(p.BirthDate, today); err != nil {
			errs["birth_date"] = pg.Tf("signup_e_age_f", certibloc.MinApplicantAge, certibloc.MaxApplicantAge)
		}
	}
	for _, err := range problems {
		for k, msg := range personErrors(pg, err) {
			if _, seen := errs[k]; !seen {
				errs[k] = msg
			}
		}
	}
	return p, errs
}

// personErrors files the domain's error about a person under its field,
// in the words of the person form.
func personErrors(pg *page, err error) formErrors {
	errs := formErrors{}
	errs.add(pg, err, personFields)
	for k := range errs {
		if msg, ok := pg.msgs["people_e_"+k]; ok && k != "" {
			errs[k] = msg
		}
	}
	return errs
}

// sendSignupLink e-mails the link that sets the password of a new
// account, or reminds an existing one that it exists; both through the
// password links of password.go, within their hourly share.
func (s *Site) sendSignupLink(r *http.Request, a certibloc.Account, existing bool) error {
	ctx := r.Context()
	n, err := s.db.PasswordResetsSince(ctx, a.ID, time.Now().Add(-time.Hour))
	if err != nil || n >= resetsPerHour {
		return err
	}
	// A new account's link is good for a day (sqldb.SetupTTL); the
	// reminder to an existing one is a forgotten-password link, an hour.
	ttl, lasts := sqldb.SetupTTL, int(sqldb.SetupTTL/time.Hour)
	if existing {
		ttl, lasts = sqldb.ResetTTL, int(sqldb.ResetTTL/time.Minute)
	}
	token, err := s.db.CreatePasswordReset(ctx, a.ID, ttl)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	link := s.baseURL() + "/password/reset?token=" + url.QueryEscape(token)
	if pg.Lang == "en" {
		link += "&lang=en"
	}
	body := "signup_mail_body_f"
	if existing {
		body = "signup_mail_exists_f"
	}
	_, err = s.mailer().Send(ctx, certibloc.Mail{To: a.Email, School: a.School(), Subject: pg.T("signup_mail_subject"),
		Body: pg.Tf(body, link, lasts)})
	return err
}

// signupProgramme is the programme applied to: the one named, or the
// first published.
func (s *Site) signupProgramme(r *http.Request, slug string) (*certibloc.Programme, error) {
	if slug == "" {
		list, err := s.db.Programmes(r.Context())
		if err != nil {
			return nil, err
		}
		if len(list) == 0 {
			return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no programme is published yet")
		}
		slug = list[0].Slug
	}
	return s.db.Programme(r.Context(), slug)
}

func (s *Site) renderSignup(w http.ResponseWriter, r *http.Request, status int, prog *certibloc.Programme,
	values map[string]string, errs formErrors, sent string) error {
	pg := s.page(r, "")
	pg.CSRF = s.anonToken(w, r)
	pg.Title, pg.Description = pg.T("signup_title"), pg.T("signup_description")
	v := &signupView{Programme: prog.Slug, ProgrammeTitle: prog.Title, Sent: sent}
	for _, f := range signupFields {
		f.ID, f.Label, f.Value = "f-"+f.Name, pg.T("people_f_"+f.Name), values[f.Name]
		f.Hint = pg.msgs["signup_h_"+f.Name]
		v.Fields = append(v.Fields, f)
	}
	v.Summary = summarize(pg, v.Fields, errs)
	return s.renderAuth(w, status, "signup", pg, v)
}

package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// A candidate corrects their own contact details: phone and postal
// address at once, a new e-mail address once they open the link sent to
// it (it is also how they sign in).

func init() {
	registerPage("contact", "templates/contact.html", "templates/adm_fields.html")
	registerPage("email_confirm", "templates/email_confirm.html")
}

// contactView is the form of one's contact details.
type contactView struct {
	Notice  string
	Fields  []admField
	Summary *errorSummary
}

// phoneRE is what a phone number is made of: digits, spaces, dots,
// dashes, brackets and a leading +; 6 to 20 digits are counted apart.
var phoneRE = regexp.MustCompile(`^\+?[0-9 .()-]+$`)

func (s *Site) contactPage(w http.ResponseWriter, r *http.Request) error {
	person, err := s.candidate(r)
	if err != nil {
		return err
	}
	notice := ""
	switch done := r.URL.Query().Get("done"); done {
	case "saved", "email_sent", "email_changed":
		notice = "contact_done_" + done
	}
	return s.renderContact(w, r, http.StatusOK, map[string]string{"phone": person.Phone, "address": person.Address,
		"email": person.Email}, nil, notice)
}

func (s *Site) renderContact(w http.ResponseWriter, r *http.Request, status int, values map[string]string, errs formErrors, notice string) error {
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("contact_title"), pg.T("contact_description")
	v := &contactView{Fields: []admField{
		{Name: "phone", Type: "tel", Autocomplete: "tel", MaxLength: "30"},
		{Name: "address", Type: "textarea", Autocomplete: "street-address", MaxLength: "300"},
		{Name: "email", Type: "email", Autocomplete: "email", Required: true, MaxLength: "254"},
	}}
	for i := range v.Fields {
		f := &v.Fields[i]
		f.ID, f.Label, f.Value, f.Hint = "f-"+f.Name, pg.T("people_f_"+f.Name), values[f.Name], pg.msgs["contact_h_"+f.Name]
	}
	if notice != "" {
		v.Notice = pg.T(notice)
	}
	v.Summary = summarize(pg, v.Fields, errs)
	return s.renderApp(w, status, "contact", pg, v)
}

// saveContact saves the phone and address, and sends the link that
// confirms a new e-mail address to it.
func (s *Site) saveContact(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	person, err := s.candidate(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	values := map[string]string{}
	for _, name := range []string{"phone", "address", "email"} {
		values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	values["email"] = sqldb.NormalizeEmail(values["email"])
	errs := formErrors{}
	if p := values["phone"]; p != "" {
		digits := 0
		for _, c := range p {
			if c >= '0' && c <= '9' {
				digits++
			}
		}
		if !phoneRE.MatchString(p) || digits < 6 || digits > 20 {
			errs["phone"] = pg.T("contact_e_phone")
		}
	}
	if len([]rune(values["address"])) > 300 {
		errs["address"] = pg.T("contact_e_address")
	}
	if values["email"] == "" {
		errs["email"] = pg.T("adm_err_required")
	} else if err := (&certibloc.Person{School: "-", BirthName: "-", FirstNames: "-", Email: values["email"]}).Validate(); err != nil {
		errs["email"] = pg.T("people_e_email")
	}
	if len(errs) > 0 {
		return s.renderContact(w, r, http.StatusBadRequest, values, errs, "")
	}
	if values["phone"] != person.Phone || values["address"] != person.Address {
		if _, err := s.db.SetContact(ctx, person.ID, values["phone"], values["address"]); certibloc.ErrorCode(err) == certibloc.EINVALID {
			return s.renderContact(w, r, http.StatusBadRequest, values, personErrors(pg, err), "")
		} else if err != nil {
			return err
		}
	}
	done := "saved"
	if values["email"] != person.Email {
		p := certibloc.PrincipalFrom(ctx)
		token, err := s.db.RequestEmailChange(ctx, p.AccountID, values["email"])
		switch certibloc.ErrorCode(err) {
		case "":
		case certibloc.ECONFLICT:
			// Said as it is: the person is signed in, and the other
			// account's address is what they typed.
			return s.renderContact(w, r, http.StatusConflict, values, formErrors{"email": pg.T("contact_e_email_taken")}, "")
		case certibloc.EINVALID:
			return s.renderContact(w, r, http.StatusBadRequest, values, formErrors{"email": pg.T("people_e_email")}, "")
		default:
			return err
		}
		link := s.baseURL() + "/app/me/email?token=" + url.QueryEscape(token) + "&lang=" + pg.Lang
		school := person.School
		if sc, err := s.db.School(ctx, person.School); err == nil {
			school = sc.Name
		}
		if _, err := s.mailer().Send(ctx, certibloc.Mail{To: values["email"], School: person.School, PersonID: person.ID,
			Subject: pg.Tf("contact_mail_subject_f", school),
			Body:    pg.Tf("contact_mail_body_f", person.DisplayName(), school, link, int(sqldb.EmailChangeTTL.Hours()))}); err != nil {
			return err
		}
		done = "email_sent"
	}
	http.Redirect(w, r, "/app/me/contact?done="+done, http.StatusSeeOther)
	return nil
}

// emailConfirmView is the page of a link that confirms a new address.
type emailConfirmView struct {
	Token string
	Error string
}

// emailConfirmPage shows the button that confirms the new address of the
// link: opening a link changes nothing by itself (mail scanners open them).
func (s *Site) emailConfirmPage(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("email_confirm_title"), pg.T("email_confirm_title")
	return s.renderApp(w, http.StatusOK, "email_confirm", pg, &emailConfirmView{Token: r.URL.Query().Get("token")})
}

// emailConfirm uses up the link: the account and the person take the new
// address.
func (s *Site) emailConfirm(w http.ResponseWriter, r *http.Request) error {
	p := certibloc.PrincipalFrom(r.Context())
	_, err := s.db.ConfirmEmailChange(r.Context(), p.AccountID, r.PostFormValue("token"))
	if certibloc.ErrorCode(err) == certibloc.EINVALID {
		pg := s.page(r, "")
		pg.Title, pg.Description = pg.T("email_confirm_title"), pg.T("email_confirm_title")
		return s.renderApp(w, http.StatusBadRequest, "email_confirm", pg, &emailConfirmView{Error: pg.T("email_confirm_bad")})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/app/me/contact?done=email_changed", http.StatusSeeOther)
	return nil
}

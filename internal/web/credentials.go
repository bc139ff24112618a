package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/openbadge"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Open Badges 3.0 credentials on the web: the public verification page,
// which takes a credential as JSON (pasted or as a file) or as a baked
// PNG or SVG badge and says check by check what holds; the page a holder
// shares, which verifies their credential in place; and the holder's
// list with its downloads, share and LinkedIn links.

func init() {
	registerPage("credential_verify", "templates/credential_verify.html")
	registerPage("credential", "templates/credential.html")
	registerPage("person_credentials", "templates/person_credentials.html")
}

// credentialVerifyView is what credential_verify.html shows.
type credentialVerifyView struct {
	Pasted string            // the JSON pasted, for the form
	Error  string            // nothing was given, or it could not be read
	Result *openbadge.Result // the checks, once something was verified
}

func (s *Site) credentialVerifyForm(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	pg.CSRF = s.anonToken(w, r)
	return s.renderCredentialVerify(w, pg, http.StatusOK, &credentialVerifyView{})
}

// credentialVerify verifies the file sent, or else the JSON pasted.
func (s *Site) credentialVerify(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	pg.CSRF = s.anonToken(w, r)
	v := &credentialVerifyView{Pasted: r.PostFormValue("credential")}
	var content []byte
	file, _, err := r.FormFile("file")
	switch {
	case err == nil:
		defer file.Close()
		content, err = io.ReadAll(io.LimitReader(file, openbadge.MaxCredentialBytes+1))
		if err != nil {
			return err
		}
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
		content = []byte(strings.TrimSpace(v.Pasted))
	default:
		return err
	}
	if len(content) == 0 {
		v.Error = pg.T("cred_e_nothing")
		return s.renderCredentialVerify(w, pg, http.StatusBadRequest, v)
	}
	if err := s.db.ThrottleCredentialCheck(r.Context(), s.clientIP(r)); err != nil {
		if certibloc.ErrorCode(err) != certibloc.ETOOMANY {
			return err
		}
		v.Error = certibloc.VerifyRefusal(err, pageLang(pg))
		return s.renderCredentialVerify(w, pg, http.StatusTooManyRequests, v)
	}
	res := s.db.CredentialVerifier(s.baseURL()).VerifyContent(r.Context(), content,
		len(content) > openbadge.MaxCredentialBytes, pageLang(pg))
	v.Result = &res
	return s.renderCredentialVerify(w, pg, http.StatusOK, v)
}

func (s *Site) renderCredentialVerify(w http.ResponseWriter, pg *page, status int, v *credentialVerifyView) error {
	pg.Title = pg.T("cred_verify_title")
	if v.Result != nil {
		pg.Title = pg.T("cred_title_invalid")
		if v.Result.Valid {
			pg.Title = pg.T("cred_title_valid")
		}
	}
	pg.Description = pg.T("cred_verify_description")
	s.publicNav(pg)
	w.Header().Set("X-Robots-Tag", "noindex")
	return s.renderApp(w, status, "credential_verify", pg, v)
}

// publicNav is the navigation of a public page for a visitor.
func (s *Site) publicNav(pg *page) {
	if len(pg.Menu) == 0 {
		pg.NavLabel = pg.T("site")
		pg.Nav = []navItem{{Href: "/", Label: pg.T("auth_nav_home")},
			{Href: "/credentials/verify?lang=" + pg.Lang, Label: pg.T("cred_verify_title")}}
	}
}

// credentialView is what credential.html shows: the credential a holder
// shares, what it says and its verification.
type credentialView struct {
	Name, Code, Issuer, Description string
	ValidFrom                       certibloc.Date
	Links                           sqldb.CredentialLinks
	Result                          openbadge.Result
	Revoked                         bool
}

// credential is the page of a shared credential: its public link.
func (s *Site) credential(w http.ResponseWriter, r *http.Request) error {
	c, err := s.db.CredentialByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	var doc struct {
		ValidFrom         time.Time `json:"validFrom"`
		CredentialSubject struct {
			Achievement achievementText `json:"achievement"`
		} `json:"credentialSubject"`
	}
	json.Unmarshal(c.Document, &doc)
	v := &credentialView{Name: doc.CredentialSubject.Achievement.nameIn(pageLang(pg)), Code: c.Name(), Issuer: c.Issuer(),
		Description: descriptionIn(doc.CredentialSubject.Achievement.Description, pageLang(pg)), Links: c.Links(s.baseURL()),
		ValidFrom: certibloc.DateOf(doc.ValidFrom.Year(), doc.ValidFrom.Month(), doc.ValidFrom.Day()),
		Result:    s.db.CredentialVerifier(s.baseURL()).Verify(r.Context(), c.Document, pageLang(pg)), Revoked: c.RevokedAt != nil}
	pg.Title = pg.Tf("cred_page_title_f", v.Code)
	pg.Description = pg.T("cred_verify_description")
	s.publicNav(pg)
	w.Header().Set("X-Robots-Tag", "noindex")
	return s.renderApp(w, http.StatusOK, "credential", pg, v)
}

// personCredentialsView lists a person's credentials with their links.
type personCredentialsView struct {
	PersonPath string
	Items      []personCredential
}

type personCredential struct {
	Code, Name string
	ValidFrom  certibloc.Date
	Revoked    bool
	Links      sqldb.CredentialLinks
}

// personCredentials is the holder's space for their credentials (and the
// page their school's staff read).
func (s *Site) personCredentials(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	p, err := s.db.Person(r.Context(), id)
	if err != nil {
		return err
	}
	pr := certibloc.PrincipalFrom(r.Context())
	if !(pr.PersonID != 0 && pr.PersonID == p.ID) {
		if err := pr.Authorize(certibloc.ReadPeople, p.School); err != nil {
			return err
		}
	}
	creds, err := s.db.PersonCredentials(r.Context(), p.ID)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	v := &personCredentialsView{PersonPath: personPath(p.ID)}
	for _, c := range creds {
		var doc struct {
			ValidFrom         time.Time `json:"validFrom"`
			CredentialSubject struct {
				Achievement achievementText `json:"achievement"`
			} `json:"credentialSubject"`
		}
		json.Unmarshal(c.Document, &doc)
		v.Items = append(v.Items, personCredential{Code: c.Name(), Name: doc.CredentialSubject.Achievement.nameIn(pageLang(pg)),
			ValidFrom: certibloc.DateOf(doc.ValidFrom.Year(), doc.ValidFrom.Month(), doc.ValidFrom.Day()),
			Revoked:   c.RevokedAt != nil, Links: c.Links(s.baseURL())})
	}
	pg.Title = pg.Tf("cred_person_title_f", p.DisplayName())
	pg.Description = pg.T("cred_person_description")
	return s.renderApp(w, http.StatusOK, "person_credentials", pg, v)
}

// achievementText is what the pages show of a credential's achievement.
type achievementText struct {
	Name, Description, HumanCode string
	Alignment                    []struct {
		TargetCode, TargetDescription string
	}
}

// nameIn is the achievement's name in l: in English, the English title
// certibloc gives as the description of the alignment to its own code,
// when the referential has one; the name (French) otherwise.
func (a achievementText) nameIn(l certibloc.Lang) string {
	if l == certibloc.English {
		for _, al := range a.Alignment {
			if al.TargetCode == a.HumanCode && al.TargetDescription != "" {
				return al.TargetDescription
			}
		}
	}
	return a.Name
}

// descriptionIn is the half of an achievement's description in l: certibloc
// writes it in French, a blank line, then in English. A description
// written otherwise is shown whole.
func descriptionIn(d string, l certibloc.Lang) string {
	fr, en, ok := strings.Cut(d, "\n\n")
	if !ok {
		return d
	}
	if l == certibloc.English {
		return en
	}
	return fr
}

package web

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"unicode"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/httpx"
	"github.com/certibloc/certibloc/internal/prepared"
	"github.com/certibloc/certibloc/internal/session"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Site serves the HTML pages.
type Site struct {
	db     *sqldb.DB
	log    *slog.Logger
	pages  *Pages
	routes []Route
	auth   AuthConfig       // signing in: mailer, base URL, proxy (auth.go)
	sess   *session.Manager // cookies and sessions (session.go)

	programmes prepared.Cache // the programme pages of visitors (programme_view.go)
	minutes    sqldb.Minutes  // renders a jury's minutes when it closes (juries.go)
	evals      evalStore      // sessions, grading, accommodations (evals_store.go)
}

// maxBody bounds what any form may post: a document of the largest size
// twice over, so that a document slightly too large is still read and
// refused in words (documents.go), and the fields around it.
const maxBody = 2*certibloc.MaxDocumentSize + 1<<20

// Route is one declared page and the permission it needs. Every page is
// declared here, so that tests can walk them all; pages about a record of
// a school check the school themselves (Principal.Authorize).
type Route struct {
	Pattern string // "GET /programmes/{slug}"
	Perm    certibloc.Permission
	handler func(w http.ResponseWriter, r *http.Request) error
}

// New parses the templates (failing fast) and returns the site over db.
func New(db *sqldb.DB, log *slog.Logger, opts ...Option) (*Site, error) {
	pages, err := NewPages()
	if err != nil {
		return nil, err
	}
	s := &Site{db: db, log: log, pages: pages, evals: db}
	for _, o := range opts {
		o(s)
	}
	s.routes = []Route{
		{"GET /{$}", certibloc.Public, s.home},
		{"GET /programmes/{slug}", certibloc.Public, s.programme},
		{"GET /app/audit/{entity}/{id}", certibloc.ReadAudit, s.audit},
		{"GET /app/tokens", certibloc.ManageAccounts, s.tokens},
		{"POST /app/tokens", certibloc.ManageAccounts, s.createToken},
		{"POST /app/tokens/{id}/revoke", certibloc.ManageAccounts, s.revokeToken},
		{"GET /signin", certibloc.Public, s.signinForm},
		{"POST /signin", certibloc.Public, s.signin},
		{"GET /signin/totp", certibloc.Public, s.totpForm},
		{"POST /signin/totp", certibloc.Public, s.totp},
		{"POST /signout", certibloc.Public, s.signout},
		{"GET /password/forgot", certibloc.Public, s.forgotForm},
		{"POST /password/forgot", certibloc.Public, s.forgot},
		{"GET /password/reset", certibloc.Public, s.resetForm},
		{"POST /password/reset", certibloc.Public, s.reset},
		{"GET /app", certibloc.SignedIn, s.app},
		{"GET /app/account", certibloc.SignedIn, s.accountPage},
		{"POST /app/account", certibloc.SignedIn, s.account},
		{"GET /app/outbox", certibloc.ReadOutbox, s.outbox},
		{"GET /app/people", certibloc.ReadPeople, s.peopleList},
		{"GET /app/people/new", certibloc.WritePeople, s.newPersonForm},
		{"POST /app/people", certibloc.WritePeople, s.createPerson},
		{"GET /app/people/{id}", certibloc.SignedIn, s.personPage},
		{"POST /app/people/{id}", certibloc.WritePeople, s.updatePerson},
		{"GET /app/people/{id}/disability", certibloc.SignedIn, s.disabilityPage},
		{"POST /app/people/{id}/disability", certibloc.WriteDisability, s.setDisability},
		{"GET /app/schools", certibloc.ManageSchools, s.schoolsPage},
		{"POST /app/schools", certibloc.ManageSchools, s.createSchool},
		{"GET /app/me", certibloc.SignedIn, s.me},
		{"GET /app/me/export", certibloc.ExportOwnData, s.myExport},
		{"GET /signup", certibloc.Public, s.signupForm},
		{"POST /signup", certibloc.Public, s.signup},
		{"GET /app/applications", certibloc.Apply, s.myApplications},
		{"GET /app/applications/new", certibloc.Apply, s.newApplicationForm},
		{"POST /app/applications", certibloc.Apply, s.createApplication},
		{"GET /app/applications/{id}", certibloc.SignedIn, s.applicationPage},
		{"POST /app/applications/{id}/documents", certibloc.Apply, s.uploadDocument},
		{"GET /app/applications/{id}/documents/{doc}", certibloc.SignedIn, s.downloadDocument},
		{"POST /app/applications/{id}/submit", certibloc.Apply, s.submitApplication},
		{"POST /app/applications/{id}/choice", certibloc.Apply, s.changeChoice},
		{"POST /app/applications/{id}/withdraw", certibloc.Apply, s.withdrawApplication},
		{"POST /app/applications/{id}/delete", certibloc.Apply, s.deleteDraft},
		{"POST /app/applications/{id}/decisions", certibloc.ManageAdmission, s.decideApplication},
		{"GET /app/campaigns", certibloc.ManageAdmission, s.campaignsPage},
		{"POST /app/campaigns", certibloc.ManageAdmission, s.createCampaign},
		{"GET /app/campaigns/{id}", certibloc.ManageAdmission, s.pipeline},
		{"POST /app/campaigns/{id}/decisions", certibloc.ManageAdmission, s.decideBulk},
		{"GET /app/campaigns/{id}/export.csv", certibloc.ManageAdmission, s.exportCSV},
		{"GET /app/campaigns/{id}/export.xlsx", certibloc.ManageAdmission, s.exportXLSX},
		{"GET /app/cohorts", certibloc.ManageAdmission, s.cohortsPage},
		{"POST /app/cohorts", certibloc.ManageAdmission, s.createCohort},
		{"GET /app/cohorts/{id}", certibloc.ManageAdmission, s.cohortPage},
		{"POST /app/cohorts/{id}/enrolments", certibloc.ManageAdmission, s.enrol},
		{"GET /verify", certibloc.Public, s.verifyForm},
		{"GET /verify/{number}", certibloc.Public, s.verify},
		{"GET /surveys/{token}", certibloc.Public, s.survey},
		{"POST /surveys/{token}", certibloc.Public, s.surveyAnswer},
		{"GET /credentials/verify", certibloc.Public, s.credentialVerifyForm},
		{"POST /credentials/verify", certibloc.Public, s.credentialVerify},
		{"GET /credentials/{id}", certibloc.Public, s.credential},
		{"GET /app/people/{id}/credentials", certibloc.SignedIn, s.personCredentials},
		{"GET /app/evaluations", certibloc.GradeEvaluations, s.evalsPage},
		{"GET /app/evaluations/new", certibloc.ManageEvaluations, s.newSessionForm},
		{"POST /app/evaluations", certibloc.ManageEvaluations, s.createSession},
		{"GET /app/evaluations/{id}", certibloc.GradeEvaluations, s.sessionPage},
		{"GET /app/evaluations/{id}/learners/{person}", certibloc.GradeEvaluations, s.gradePage},
		{"POST /app/evaluations/{id}/learners/{person}", certibloc.GradeEvaluations, s.grade},
		{"POST /app/evaluations/{id}/learners/{person}/correct", certibloc.ManageEvaluations, s.correctResult},
		{"GET /app/evaluations/{id}/teams/{team}", certibloc.GradeEvaluations, s.teamGradePage},
		{"POST /app/evaluations/{id}/teams/{team}", certibloc.GradeEvaluations, s.teamGrade},
		{"GET /app/me/evaluations", certibloc.SignedIn, s.myEvals},
		{"GET /app/people/{id}/evaluations", certibloc.SignedIn, s.learnerEvalsPage},
		{"POST /app/people/{id}/accommodations", certibloc.WriteDisability, s.setAccommodations},
		{"GET /app/cohorts/{id}/fairness.csv", certibloc.ManageEvaluations, s.cohortFairnessCSV},
		{"GET /app/evaluations/{id}/fairness", certibloc.ManageEvaluations, s.sessionFairnessPage},
		{"GET /app/evaluations/{id}/fairness.csv", certibloc.ManageEvaluations, s.sessionFairnessCSV},
		{"GET /app/evaluations/{id}/sheet", certibloc.GradeEvaluations, s.spreadsheetPage},
		{"GET /app/evaluations/{id}/sheet/template", certibloc.GradeEvaluations, s.spreadsheetTemplate},
		{"POST /app/evaluations/{id}/sheet", certibloc.GradeEvaluations, s.importSpreadsheet},
	}
	s.routes = append(s.routes, s.juryRoutes()...)
	s.routes = append(s.routes, s.issuedRoutes()...)
	s.routes = append(s.routes, s.exportJobRoutes()...)
	s.routes = append(s.routes, s.vaeRoutes()...)
	s.routes = append(s.routes, s.accrochageRoutes()...)
	s.routes = append(s.routes, s.figuresRoutes()...)
	s.routes = append(s.routes, s.accountRoutes()...)
	s.routes = append(s.routes, s.officeRoutes()...)
	s.routes = append(s.routes, s.candidateRoutes()...)
	return s, nil
}

// Routes returns the declared pages.
func (s *Site) Routes() []Route { return s.routes }

// Register adds every page to mux: the whole HTML surface is here.
func (s *Site) Register(mux *http.ServeMux) {
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticHandler()))
	for _, rt := range s.routes {
		mux.Handle(rt.Pattern, s.serve(rt))
	}
	mux.Handle("/", s.serve(Route{handler: func(w http.ResponseWriter, r *http.Request) error {
		return certibloc.Errorf(certibloc.ENOTFOUND, "page not found")
	}}))
}

// serve loads who is signed in, checks the route's permission and the
// cross-site request token, runs the handler and renders its error as a page.
func (s *Site) serve(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := httpx.CheckURL(r)
		var p *certibloc.Principal
		if err == nil {
			p, err = s.principal(w, r)
		}
		if err == nil {
			s.rememberLang(w, r, p)
			r = r.WithContext(certibloc.WithPrincipal(r.Context(), p))
			err = p.Authorize(rt.Perm, "")
		}
		if err == nil && r.Method != http.MethodGet && r.Method != http.MethodHead {
			// Bounded before the form token is read, which reads the whole
			// body: the largest form is a document upload.
			r.Body = http.MaxBytesReader(w, r.Body, maxBody)
			err = s.checkCSRF(r, rt.Pattern)
			if err == nil {
				err = checkForm(r)
			}
		}
		if err == nil {
			err = rt.handler(w, r)
		}
		if err != nil {
			s.fail(w, r, err)
		}
	})
}

// fail renders err as an error page; a visitor who must sign in is sent
// to the sign-in page and brought back afterwards.
func (s *Site) fail(w http.ResponseWriter, r *http.Request, err error) {
	code, status, message := httpx.Error(err)
	if code == certibloc.EUNAUTHORIZED && r.Method == http.MethodGet {
		to := "/signin?next=" + url.QueryEscape(r.URL.RequestURI())
		if l := r.URL.Query().Get("lang"); l == "fr" || l == "en" {
			to += "&lang=" + l // the sign-in page in the language asked for
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
		return
	}
	if status >= http.StatusInternalServerError {
		s.log.ErrorContext(r.Context(), "page", "path", r.URL.Path, "err", err)
	}
	if code == certibloc.EUNAVAILABLE {
		message = s.page(r, "").T("unavailable")
	}
	pg := s.page(r, "")
	said := pageMessage(pg, status, message)
	if said != message && status == http.StatusBadRequest && message != "" {
		// Bad input is named, even when only in the words of the code:
		// the page's sentence, then the detail marked as English.
		pg.ErrorDetail = message
	}
	message = said
	httpx.SetHeaders(w.Header(), status)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	if err := s.pages.Error(w, pg, status, message); err != nil {
		s.log.ErrorContext(r.Context(), "error page", "err", err)
	}
}

// checkForm checks the text of a posted form (httpx.CheckForm), parsing
// it first when the form token was not read from it.
func checkForm(r *http.Request) error {
	if r.PostForm == nil {
		err := r.ParseMultipartForm(32 << 20)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return err
		}
		if err != nil && !errors.Is(err, http.ErrNotMultipart) {
			return certibloc.Errorf(certibloc.EINVALID, "the form could not be read: %v", err)
		}
	}
	return httpx.CheckForm(r)
}

func init() {
	addMessages(map[string]string{
		"unavailable": "Le service est momentanément indisponible. Réessayez dans quelques secondes.",
		"err_400":     "La demande n'a pas pu être traitée : vérifiez ce que vous avez saisi et réessayez.",
		"err_detail":  "Détail technique (en anglais) :",
		"err_403":     "Votre compte ne permet pas d'ouvrir cette page ni de faire cette action.",
		"err_404":     "La page ou la fiche demandée n'existe pas, ou plus.",
		"err_409":     "L'opération n'est pas possible dans l'état actuel de la fiche : rechargez la page et réessayez.",
		"err_429":     "Trop de demandes en peu de temps : réessayez dans quelques minutes.",
		"err_500":     "Une erreur interne est survenue. Réessayez plus tard ; si elle se reproduit, signalez-la.",
	}, map[string]string{
		"unavailable": "The service is unavailable for a moment. Please try again in a few seconds.",
		"err_400":     "The request could not be processed: check what you entered and try again.",
		"err_detail":  "Technical detail:",
		"err_403":     "Your account may not open this page or do this.",
		"err_404":     "The page or record asked for does not exist, or no longer does.",
		"err_409":     "This cannot be done in the record's current state: reload the page and try again.",
		"err_429":     "Too many requests in a short time: try again in a few minutes.",
		"err_500":     "An internal error occurred. Try again later; if it happens again, report it.",
	})
}

// pageMessage is what an error page says: the error's message when it is
// in the page's language (an interface string or format, or a sentence of
// the domain written in it), else the page's own sentence for the status,
// on French pages always, on English ones when there is no message.
func pageMessage(pg *page, status int, message string) string {
	if message != "" && (pg.Lang == "en" || isInterfaceString(pg.Lang, message) || looksFrench(message)) {
		return message
	}
	key := fmt.Sprintf("err_%d", status)
	if _, ok := pg.msgs[key]; !ok {
		key = "err_500"
		if status < 500 {
			key = "err_400"
		}
	}
	return pg.T(key)
}

// languageWords are, by language, the words of more than two letters that
// its interface strings use and those of the other language never do.
var languageWords = sync.OnceValue(func() map[string]map[string]bool {
	split := func(lang string) map[string]bool {
		out := map[string]bool{}
		for _, s := range messages[lang] {
			for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
				if len([]rune(w)) > 2 {
					out[w] = true
				}
			}
		}
		return out
	}
	fr, en := split("fr"), split("en")
	only := func(a, b map[string]bool) map[string]bool {
		out := map[string]bool{}
		for w := range a {
			if !b[w] {
				out[w] = true
			}
		}
		return out
	}
	return map[string]map[string]bool{"fr": only(fr, en), "en": only(en, fr)}
})

// looksFrench reports whether a message of the domain is written in
// French: some words only the French interface uses, none only the
// English one does.
func looksFrench(message string) bool {
	fr, en := languageCounts(message)
	return fr > 0 && en == 0
}

// languageCounts counts the words of text that only the French interface
// uses, and those that only the English one does (languageWords).
func languageCounts(text string) (fr, en int) {
	words := languageWords()
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) }) {
		switch {
		case words["en"][w]:
			en++
		case words["fr"][w]:
			fr++
		}
	}
	return fr, en
}

// langCookie remembers the language a visitor chose, for the whole visit
// and the next ones; an account remembers it too (Account.Lang).
const langCookie = "certibloc_lang"

// lang is the language of a request's page: the one asked by ?lang=, else
// the one the signed-in account chose, else the one the browser was given
// by the language switch (langCookie), else the browser's preference;
// French by default: French first.
func lang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "fr" {
		return l
	}
	if p := certibloc.PrincipalFrom(r.Context()); !p.Anonymous() && (p.Lang == "en" || p.Lang == "fr") {
		return p.Lang
	}
	if l := cookieLang(r); l != "" {
		return l
	}
	if al := r.Header.Get("Accept-Language"); strings.HasPrefix(strings.ToLower(al), "en") {
		return "en"
	}
	return "fr"
}

// cookieLang is the language of r's langCookie, "" without one. Its name
// takes the __Host- prefix over https, as every cookie of the site.
func cookieLang(r *http.Request) string {
	for _, name := range []string{"__Host-" + langCookie, langCookie} {
		if c, err := r.Cookie(name); err == nil && (c.Value == "fr" || c.Value == "en") {
			return c.Value
		}
	}
	return ""
}

// chosenLang is the language a visitor chose, by ?lang= or earlier by the
// switch: "" when the page speaks the browser's preference only.
func chosenLang(r *http.Request) string {
	if l := r.URL.Query().Get("lang"); l == "en" || l == "fr" {
		return l
	}
	return cookieLang(r)
}

// rememberLang keeps the language asked by ?lang= for the rest of the
// visit (a cookie of a year) and on the signed-in account, so that the
// pages that follow, and the next sign-in anywhere, speak it.
func (s *Site) rememberLang(w http.ResponseWriter, r *http.Request, p *certibloc.Principal) {
	l := r.URL.Query().Get("lang")
	if l != "fr" && l != "en" {
		return
	}
	if cookieLang(r) != l {
		http.SetCookie(w, s.cookie(r, langCookie, l, 365*24*3600))
	}
	if !p.Anonymous() && p.AccountID != 0 && p.Lang != l {
		if err := s.db.SetAccountLang(r.Context(), p.AccountID, l); err != nil {
			s.log.WarnContext(r.Context(), "remembering the language", "account", p.AccountID, "err", err)
			return
		}
		p.Lang = l
	}
}

// page starts the page of a request: its language, who is signed in and
// the menu of their role, the cross-site request token for its forms.
func (s *Site) page(r *http.Request, title string) *page {
	pg := newPage(lang(r))
	pg.Title = title
	pg.User = certibloc.PrincipalFrom(r.Context())
	pg.Menu = menuFor(pg, pg.User)
	pg.CSRF = s.csrfToken(r)
	return pg
}

// home sends visitors to the programme sheet; with several programmes it
// will become their list.
func (s *Site) home(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.Programmes(r.Context())
	if err != nil {
		return err
	}
	if len(list) == 0 {
		return certibloc.Errorf(certibloc.ENOTFOUND, "no programme is published yet")
	}
	http.Redirect(w, r, "/programmes/"+list[0].Slug, http.StatusFound)
	return nil
}

// errorText is what a form says of an error of the domain or the store:
// its message, in the page's words when it has none (pageMessage).
func errorText(pg *page, err error) string {
	_, status, msg := httpx.Error(err)
	return pageMessage(pg, status, msg)
}

// interfaceFormats are the interface strings of each language as patterns:
// formats (keys ending in "_f") match whatever fills their verbs.
var interfaceFormats = sync.OnceValue(func() map[string][]*regexp.Regexp {
	verb := regexp.MustCompile(`%(\[\d+\])?[-+# 0-9.]*[a-zA-Z]`)
	out := map[string][]*regexp.Regexp{}
	for lang, msgs := range messages {
		for key, s := range msgs {
			if !strings.HasSuffix(key, "_f") {
				continue
			}
			parts := verb.Split(s, -1)
			letters := 0
			for _, r := range strings.Join(parts, "") {
				if unicode.IsLetter(r) {
					letters++
				}
			}
			if letters < 4 {
				continue // a format of verbs and a unit ("%s : %s", "%d h") says nothing of a language
			}
			for i := range parts {
				parts[i] = regexp.QuoteMeta(parts[i])
			}
			out[lang] = append(out[lang], regexp.MustCompile(`^(?s)`+strings.Join(parts, ".*")+`$`))
		}
	}
	return out
})

// isInterfaceString reports whether a message is an interface string of
// lang, a format's included.
func isInterfaceString(lang, message string) bool {
	for _, s := range messages[lang] {
		if s == message {
			return true
		}
	}
	for _, re := range interfaceFormats()[lang] {
		if re.MatchString(message) {
			return true
		}
	}
	return false
}

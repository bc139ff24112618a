package server_test

import (
	"fmt"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/browsertest"
	"github.com/certibloc/certibloc/internal/secret"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// walkBudget is what one page may transfer, everything included (issue 3).
const walkBudget = 50 << 10

// walkDownloads are the GET routes that answer a file rather than a page,
// with its media type: they are checked for status and type, not in the
// browser, and have no page budget.
var walkDownloads = map[string]string{
	"GET /app/me/export":                         "application/json",
	"GET /app/applications/{id}/documents/{doc}": "application/pdf",
	"GET /app/campaigns/{id}/export.csv":         "text/csv",
	"GET /app/campaigns/{id}/export.xlsx":        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"GET /app/cohorts/{id}/fairness.csv":         "text/csv",
	"GET /app/evaluations/{id}/fairness.csv":     "text/csv",
	"GET /app/evaluations/{id}/sheet/template":   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"GET /app/reports/accrochage/exports/{id}":   "application/xml",
	"GET /app/reports/figures/pack":              "text/csv",
}

// TestEveryPageForEveryRoleInBrowser is the Done-when line of the web
// shell: for nobody and for each role, signed in through the real form in
// Chromium (password, then the TOTP code for staff roles), every GET page
// of web.Site.Routes() that the role may see, with its path parameters
// filled with real records, has no axe-core violation, makes no
// third-party request and transfers under 50 KB; in French, and each
// route once in English. Every page the role may not see answers 403 or
// sends to sign-in, never an error of the server.
//
// Who sees what is what the site answers; the authorisation matrix says
// who must, and a page it allows a role that this walk found refused
// fails here too, so that no page drops out of the browser check unseen.
func TestEveryPageForEveryRoleInBrowser(t *testing.T) {
	browsertest.Available(t)
	start := time.Now()
	w := newRoleWalk(t)
	defer w.srv.Close()
	if t.Failed() {
		return
	}
	setup := time.Since(start)

	// What each role is shown and refused, asked of the site role by role;
	// the order spreads the English pages: each route is checked in
	// English by the first role here that sees it, the candidate first and
	// nobody last.
	plans := map[string]*rolePlan{}
	for _, role := range slices.Backward(matrixRoles) {
		t.Run("plan/"+role, func(t *testing.T) { plans[role] = w.plan(t, role) })
	}
	if t.Failed() {
		return
	}
	// Then one browser launch per role, as many at once as the test may
	// run in parallel (GOMAXPROCS by default).
	t.Run("browser", func(t *testing.T) {
		for _, role := range matrixRoles {
			t.Run(role, func(t *testing.T) {
				t.Parallel()
				w.check(t, plans[role])
			})
		}
	})
	pages, refused := 0, 0
	for _, role := range matrixRoles {
		p := plans[role]
		pages, refused = pages+len(p.visits), refused+p.refused
		t.Logf("%-9s %2d pages in the browser (%d in English), %2d refused, %d downloads; browser %.1fs",
			role, len(p.visits), p.english, p.refused, p.downloads, p.took.Seconds())
	}
	t.Logf("%d GET routes; %d pages checked in the browser and %d refusals, over %d roles and nobody; setup %.1fs, total %.1fs",
		len(w.routes), pages, refused, len(matrixRoles)-1, setup.Seconds(), time.Since(start).Seconds())
}

// newRoleWalk starts the site over the default data and records of every
// kind, with an account of each role, and lists every GET route with the
// addresses that show those records (the crawl of languages starts there
// too, lang_crawl_test.go). The caller closes w.srv.
func newRoleWalk(t *testing.T) *roleWalk {
	t.Helper()
	db := sqldbtest.SQLite(t)
	m := newMatrix(t, db) // the default data, ESTIA, a person of DIIAGE with a disability record
	srv := httptest.NewServer(m.h)
	w := &roleWalk{srv: srv, users: map[string]walkUser{}, english: map[string]bool{}}
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Label: "test"})

	// Records to show: the person's history has a change; a candidate of
	// their own; a token; a message in the outbox.
	p, err := db.Person(ctx, m.person)
	if err != nil {
		t.Fatal(err)
	}
	p.Phone, p.BirthPlace, p.Nationality = "03 80 00 00 00", "21231", "FR"
	if err := db.UpdatePerson(ctx, p); err != nil {
		t.Fatal(err)
	}
	candidate := m.newPerson(ownSchool)
	_, token, err := db.CreateToken(ctx, "Import nocturne", "staff", ownSchool)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Enqueue(ctx, certibloc.Mail{To: "lea@example.org", Subject: "Votre lien", Body: "Bonjour.",
		School: ownSchool}); err != nil {
		t.Fatal(err)
	}

	// An account per role, with a password, and TOTP for every role that
	// needs it; each also gets a complete session from the store.
	for _, role := range matrixRoles {
		if role == anonymous {
			continue
		}
		a := certibloc.Account{Email: role + "@roles.example", Role: certibloc.Role(role)}
		switch role {
		case string(certibloc.Admin):
		case string(certibloc.Candidate):
			a.PersonID = candidate
		default:
			a.Schools = []string{ownSchool}
		}
		a, err := db.CreateAccount(ctx, a)
		if err != nil {
			t.Fatalf("account of %s: %v", role, err)
		}
		u := walkUser{account: a, password: "pass phrase of " + a.Email}
		if err := db.SetPassword(ctx, a.ID, secret.HashPassword(u.password), ""); err != nil {
			t.Fatal(err)
		}
		if a.NeedsTOTP() {
			u.totp = secret.NewTOTPSecret()
			if err := db.EnableTOTP(ctx, a.ID, u.totp, 0); err != nil {
				t.Fatal(err)
			}
		}
		if u.session, err = db.CreateSession(ctx, a.ID, true); err != nil {
			t.Fatal(err)
		}
		w.users[role] = u
	}
	staff := w.users[string(certibloc.Staff)].account.ID
	adm := walkAdmissions(t, db, m.person, candidate)
	fair := newFairnessRecords(t, db) // a cohort graded by three evaluators, one flagged
	reset, err := db.CreatePasswordReset(ctx, w.users[string(certibloc.Candidate)].account.ID, sqldb.ResetTTL)
	if err != nil {
		t.Fatal(err)
	}

	// The concrete addresses of each GET route: its path parameters filled
	// with the records above, and what a page needs to show its form.
	people := func(suffix string) []string {
		return []string{fmt.Sprintf("/app/people/%d%s", m.person, suffix), fmt.Sprintf("/app/people/%d%s", candidate, suffix)}
	}
	fills := map[string][]string{
		"GET /programmes/{slug}":          {"/programmes/" + defaultSlug(t)},
		"GET /app/people/{id}":            people(""),
		"GET /app/people/{id}/disability": people("/disability"),
		"GET /app/audit/{entity}/{id}": {fmt.Sprintf("/app/audit/person/%d", m.person),
			fmt.Sprintf("/app/audit/account/%d", staff), fmt.Sprintf("/app/audit/token/%d", token.ID),
			"/app/audit/school/" + ownSchool},
		"GET /password/reset": {"/password/reset?token=" + url.QueryEscape(reset)},

		// Admissions: the candidate's draft with a document, another
		// person's submitted application, the campaign and its cohort.
		"GET /app/applications/new": {fmt.Sprintf("/app/applications/new?campaign=%d", adm.campaign)},
		"GET /app/applications/{id}": {fmt.Sprintf("/app/applications/%d", adm.draft),
			fmt.Sprintf("/app/applications/%d", adm.submitted)},
		"GET /app/applications/{id}/documents/{doc}": {fmt.Sprintf("/app/applications/%d/documents/%d", adm.draft, adm.document)},
		"GET /app/applications/{id}/recap":           {fmt.Sprintf("/app/applications/%d/recap", adm.draft)},
		"GET /app/campaigns/{id}":                    {fmt.Sprintf("/app/campaigns/%d", adm.campaign)},
		"GET /app/campaigns/{id}/export.csv":         {fmt.Sprintf("/app/campaigns/%d/export.csv", adm.campaign)},
		"GET /app/campaigns/{id}/export.xlsx":        {fmt.Sprintf("/app/campaigns/%d/export.xlsx", adm.campaign)},
		"GET /app/cohorts/{id}":                      {fmt.Sprintf("/app/cohorts/%d", adm.cohort), fmt.Sprintf("/app/cohorts/%d", fair.cohort)},
		"GET /app/cohorts/{id}/fairness.csv":         {fmt.Sprintf("/app/cohorts/%d/fairness.csv", fair.cohort)},
		"GET /app/evaluations/{id}/fairness": {fmt.Sprintf("/app/evaluations/%d/fairness", fair.session),
			fmt.Sprintf("/app/evaluations/%d/fairness?criterion=C1", fair.session)},
		"GET /app/evaluations/{id}/fairness.csv": {fmt.Sprintf("/app/evaluations/%d/fairness.csv", fair.session)},

		// Evaluations: a session's sheet, a learner's and a team's grading
		// screens (a locked one is in evaluations_browser_test.go), the
		// views of a learner with a session and of the candidate.
		"GET /app/evaluations/{id}":                   {fmt.Sprintf("/app/evaluations/%d", m.evalWorld().session)},
		"GET /app/evaluations/{id}/learners/{person}": {m.gradingScreen()},
		"GET /app/evaluations/{id}/teams/{team}":      {m.teamScreen()},
		"GET /app/people/{id}/evaluations": {fmt.Sprintf("/app/people/%d/evaluations", m.evalWorld().learners[0]),
			fmt.Sprintf("/app/people/%d/evaluations", candidate)},
		"GET /app/evaluations/{id}/sheet":          {fmt.Sprintf("/app/evaluations/%d/sheet", m.evalWorld().session)},
		"GET /app/evaluations/{id}/sheet/template": {fmt.Sprintf("/app/evaluations/%d/sheet/template?format=xlsx", m.evalWorld().session)},
	}
	maps.Copy(fills, walkJuries(t, db, w.users[string(certibloc.Jury)].account.ID, m.person, candidate))
	maps.Copy(fills, walkVAE(t, db, m.person, candidate))
	fills["GET /verify/{number}"] = []string{"/verify/" + walkDocument(t, db)}
	credID, credPerson := m.credential() // a block's Open Badge, its holder of ownSchool
	fills["GET /credentials/{id}"] = []string{"/credentials/" + credID}
	fills["GET /app/people/{id}/credentials"] = append(people("/credentials"), fmt.Sprintf("/app/people/%d/credentials", credPerson))
	maps.Copy(fills, walkIssued(t, db))
	fills["GET /app/reports/accrochage/exports/{id}"] = []string{fmt.Sprintf("/app/reports/accrochage/exports/%d", m.keptExport())}
	fills["GET /surveys/{token}"] = []string{m.surveyPath()}
	maps.Copy(fills, walkExportJobs(t, db))
	for _, page := range []string{"", "/disable", "/reset-totp"} { // the admin's pages of an account
		fills["GET /app/accounts/{id}"+page] = []string{fmt.Sprintf("/app/accounts/%d%s", staff, page)}
	}
	fills["GET /app/tokens/{id}/revoke"] = []string{fmt.Sprintf("/app/tokens/%d/revoke", token.ID)}
	for k, v := range walkOffice(t, db, adm) { // the application pages added to the others
		fills[k] = append(fills[k], v...)
	}
	w.routes = walkRoutes(t, fills)
	return w
}

// walkRecords are the records of the admission pages.
type walkRecords struct {
	campaign, draft, submitted, document, cohort int64
}

// walkAdmissions makes, with the helpers of the admission tests, a
// campaign of DIIAGE open today, the draft application of the candidate's
// person with a CV, the submitted application of another person, and a
// cohort of the campaign.
func walkAdmissions(t *testing.T, db *sqldb.DB, person, candidate int64) walkRecords {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
	c := admCampaign(t, db, "Campagne de la visite")
	out := walkRecords{campaign: c.ID}
	for _, id := range []int64{candidate, person} {
		a := &certibloc.Application{CampaignID: c.ID, PersonID: id, Track: certibloc.OneYear, Mode: certibloc.Initial}
		if err := db.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		if id == candidate {
			d, err := db.AddDocument(ctx, a.ID, "cv", "cv.pdf", testDocument(t, "cv.pdf"))
			if err != nil {
				t.Fatal(err)
			}
			out.draft, out.document = a.ID, d.ID
			continue
		}
		if _, err := db.SubmitApplication(ctx, a.ID, db.Today()); err != nil {
			t.Fatal(err)
		}
		out.submitted = a.ID
	}
	cohort := &certibloc.Cohort{School: ownSchool, CampaignID: c.ID, Name: fmt.Sprintf("DIIAGE %d", c.Year),
		Track: certibloc.OneYear, StartsOn: daysFromNow(90), EndsOn: daysFromNow(455), PlannedHours: 600, WeeklyHours: 35}
	if err := db.CreateCohort(ctx, cohort); err != nil {
		t.Fatal(err)
	}
	out.cohort = cohort.ID
	return out
}

// walkUser is an account of a role, with what signs it in and a session made
// by the store.
type walkUser struct {
	account  certibloc.Account
	password string
	totp     string // base32 secret; "" without TOTP
	session  string // cookie of a complete session
}

// walkRoute is a GET route of the site and the addresses it is visited at.
type walkRoute struct {
	pattern string
	paths   []string
}

// walkParamRE finds the path parameters of a pattern ({$} is none).
var walkParamRE = regexp.MustCompile(`\{[^}$]+\}`)

// walkRoutes lists every GET route of the site, in the order declared, with
// its addresses: those of fills, or its own path when it has no parameter.
// A route with a parameter that fills does not know fails the test, so
// that a new page cannot be forgotten; so does a line of fills that is no
// longer a GET route.
func walkRoutes(t *testing.T, fills map[string][]string) []walkRoute {
	t.Helper()
	var out []walkRoute
	for _, pattern := range webPatterns(t) {
		method, path, _ := strings.Cut(pattern, " ")
		if method != http.MethodGet {
			continue
		}
		paths, ok := fills[pattern]
		if !ok {
			if params := walkParamRE.FindAllString(path, -1); len(params) > 0 {
				t.Errorf("%s has path parameters %v that the browser walk cannot fill: "+
					"make a record for it and add its addresses to fills in browser_roles_test.go", pattern, params)
				continue
			}
			paths = []string{strings.TrimSuffix(path, "{$}")}
		}
		out = append(out, walkRoute{pattern, paths})
	}
	for pattern := range fills {
		if !slices.ContainsFunc(out, func(r walkRoute) bool { return r.pattern == pattern }) {
			t.Errorf("fills in browser_roles_test.go lists %q, which is not a GET route", pattern)
		}
	}
	return out
}

// roleWalk is the site under test and what has been checked on it.
type roleWalk struct {
	srv      *httptest.Server
	users    map[string]walkUser // by role
	routes   []walkRoute
	english  map[string]bool // routes checked in English already
	codeStep bool            // the page of the TOTP step is checked already
}

// rolePlan is what one role is shown: the pages to check in the browser,
// and how many answers were refusals and files.
type rolePlan struct {
	role                        string
	user                        walkUser
	visits                      []walkVisit
	english, refused, downloads int
	took                        time.Duration // in the browser
}

// walkVisit is one page to check in the browser and where it must end.
type walkVisit struct {
	page  browsertest.Page
	final string // path and query the browser must end at
	totp  bool   // signs in with a code, computed just before the browser starts
}

// walkFound is an address that shows the role a page.
type walkFound struct {
	pattern, path string
	a             *walkAnswer
}

// plan asks the site for every address of every GET route as the role,
// checks the refusals, and lists the pages to check in the browser.
//
// Addresses carry ?lang=fr or ?lang=en: the browser of the harness asks
// for English (Accept-Language: en-US), so that without it every page
// would be checked in English only. A page reached only through a
// redirection (the home page, sign-in for whoever is signed in) is
// checked where it ends, once.
func (w *roleWalk) plan(t *testing.T, role string) *rolePlan {
	p := &rolePlan{role: role}
	var cookies []browsertest.Cookie
	if role != anonymous {
		p.user = w.users[role]
		cookies = []browsertest.Cookie{{Name: "certibloc_session", Value: p.user.session}}
	}
	seen := map[string]bool{}  // final addresses in the list already
	shown := map[string]bool{} // routes that showed the role a page or a file

	// Sign in through the real form first: the password, then for staff
	// roles the code of the account's TOTP secret; it ends on the home
	// page of the role, in French. The page of the code step is the same
	// for every role: it is checked once, by the first role that has one;
	// sign-in carries ?lang over to it.
	if role != anonymous {
		const signin = "/signin?lang=fr&next=%2Fapp%3Flang%3Dfr"
		if p.user.totp != "" && !w.codeStep {
			w.codeStep = true
			p.visits = append(p.visits, walkVisit{final: "/signin/totp?next=%2Fapp%3Flang%3Dfr&lang=fr", page: browsertest.Page{
				Name: role + ": the code step of signing in", URL: w.srv.URL + signin, Actions: walkSignIn(p.user, ""),
			}})
		}
		p.visits = append(p.visits, walkVisit{final: "/app?lang=fr", totp: p.user.totp != "", page: browsertest.Page{
			Name: role + ": signs in through the form", URL: w.srv.URL + signin, Actions: walkSignIn(p.user, ""),
		}})
		seen["/app?lang=fr"] = true // checked by signing in
	}

	var pages []walkFound
	for _, rt := range w.routes {
		for _, path := range rt.paths {
			fr := w.probe(t, p.user, walkQuery(path, "lang=fr"))
			switch fr.classify(t, role, rt.pattern) {
			case "refused":
				p.refused++
				continue
			case "download":
				p.downloads++
				shown[rt.pattern] = true
				continue
			case "page":
				shown[rt.pattern] = true
				pages = append(pages, walkFound{rt.pattern, fr.path, fr})
			default:
				continue
			}
			if fr.status != http.StatusOK || w.english[rt.pattern] {
				continue
			}
			if en := w.probe(t, p.user, walkQuery(path, "lang=en")); en.classify(t, role, rt.pattern) == "page" &&
				en.status == http.StatusOK {
				pages = append(pages, walkFound{rt.pattern, en.path, en})
				w.english[rt.pattern] = true
				p.english++
			}
		}
	}
	// Pages answered directly first, then where redirections end when
	// that page is not checked already in some language.
	direct := map[string]bool{}
	for _, f := range pages {
		if f.a.status == http.StatusOK {
			direct[walkPath(f.a.final)] = true
		}
	}
	for _, redirected := range []bool{false, true} {
		for _, f := range pages {
			if (f.a.status != http.StatusOK) != redirected || seen[f.a.final] ||
				redirected && direct[walkPath(f.a.final)] {
				continue
			}
			seen[f.a.final] = true
			p.visits = append(p.visits, walkVisit{final: f.a.final, page: browsertest.Page{
				Name: fmt.Sprintf("%s: %s at %s", role, f.pattern, f.path), URL: w.srv.URL + f.path, Cookies: cookies,
			}})
		}
	}

	// The matrix says which roles must see each route with a record of
	// their school: none of those may have been refused here.
	for _, rt := range w.routes {
		if mr, ok := webMatrix[rt.pattern]; ok && mr.own.has(role) && !shown[rt.pattern] {
			t.Errorf("%s may see %s (authorisation matrix), but no address of it showed a page", role, rt.pattern)
		}
	}
	return p
}

// check loads the role's pages in one browser launch: signed in through
// the form, then with the store's session.
func (w *roleWalk) check(t *testing.T, p *rolePlan) {
	begin := time.Now()
	list := make([]browsertest.Page, len(p.visits))
	for i, v := range p.visits {
		list[i] = v.page
		if v.totp {
			// Now, not when planned: the server accepts the step before
			// and after, and never the same step twice for an account.
			list[i].Actions = walkSignIn(p.user, walkTOTP(t, p.user.totp))
		}
	}
	results := browsertest.Check(t, list...)
	browsertest.AssertClean(t, results, walkBudget)
	for i, r := range results {
		if testing.Verbose() {
			t.Logf("%s: %d, %d bytes, %d violations", r.Name, r.Status, r.Bytes, len(r.Violations))
		}
		if got := strings.TrimPrefix(r.FinalURL, w.srv.URL); got != p.visits[i].final {
			t.Errorf("%s: the browser ended at %s, want %s", r.Name, got, p.visits[i].final)
		}
	}
	p.took = time.Since(begin)
}

// walkPath is an address without its query.
func walkPath(address string) string {
	p, _, _ := strings.Cut(address, "?")
	return p
}

// walkSignIn fills the sign-in form and sends it; with a code, it then
// fills the TOTP step and sends it too.
func walkSignIn(u walkUser, code string) []browsertest.Action {
	actions := []browsertest.Action{
		{Do: "fill", Selector: "#email", Value: u.account.Email},
		{Do: "fill", Selector: "#password", Value: u.password},
		{Do: "click", Selector: "form[action^='/signin'] button[type=submit]"},
	}
	if code != "" {
		actions = append(actions,
			browsertest.Action{Do: "fill", Selector: "#code", Value: code},
			browsertest.Action{Do: "click", Selector: "form[action^='/signin/totp'] button[type=submit]"})
	}
	return actions
}

// walkTOTP is the code of a TOTP secret now; "" without a secret.
func walkTOTP(t *testing.T, key string) string {
	t.Helper()
	if key == "" {
		return ""
	}
	code, err := secret.TOTPCode(key, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	return code
}

// walkQuery adds a parameter to an address.
func walkQuery(path, param string) string {
	if strings.Contains(path, "?") {
		return path + "&" + param
	}
	return path + "?" + param
}

// walkAnswer is what the site answered to a plain request for an address, and
// where its redirections led.
type walkAnswer struct {
	path     string
	status   int    // of the first answer
	location string // of the first answer
	final    string // path and query of the last answer, after redirections
	finalSt  int    // status of the last answer
	ctype    string // media type of the last answer
}

// probe requests an address as a browser of the user would, cookies kept
// across redirections, and follows them.
func (w *roleWalk) probe(t *testing.T, u walkUser, path string) *walkAnswer {
	t.Helper()
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(w.srv.URL)
	if u.session != "" {
		jar.SetCookies(base, []*http.Cookie{{Name: "certibloc_session", Value: u.session}})
	}
	client := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	a := &walkAnswer{path: path}
	next := path
	for hop := 0; ; hop++ {
		if hop == 5 {
			t.Errorf("%s: more than 5 redirections", path)
			return a
		}
		res, err := client.Get(w.srv.URL + next)
		if err != nil {
			t.Fatalf("GET %s: %v", next, err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if hop == 0 {
			a.status, a.location = res.StatusCode, res.Header.Get("Location")
		}
		a.final, a.finalSt = next, res.StatusCode
		a.ctype, _, _ = mime.ParseMediaType(res.Header.Get("Content-Type"))
		if res.StatusCode < 300 || res.StatusCode > 399 || res.Header.Get("Location") == "" {
			return a
		}
		loc, err := res.Request.URL.Parse(res.Header.Get("Location"))
		if err != nil || loc.Host != base.Host {
			t.Errorf("%s: redirected to %q, not a page of the site", next, res.Header.Get("Location"))
			return a
		}
		next = loc.RequestURI()
		if hop == 0 && strings.HasPrefix(next, "/signin?next=") {
			return a // refused: sign in first
		}
	}
}

// classify says what an answer is for the role: a page it sees ("page"),
// a refusal ("refused"), a file ("download"), or a failure of the test
// (""). A refusal is 403 or, for nobody, a redirection to sign-in; a route
// the matrix declares with another status for refused roles (404 for an
// export without a person) may answer that.
func (a *walkAnswer) classify(t *testing.T, role, pattern string) string {
	t.Helper()
	switch {
	case a.status >= 500 || a.finalSt >= 500:
		t.Errorf("%s: GET %s answers %d (after %s: %d): an error of the server", role, a.path, a.status, a.final, a.finalSt)
	case a.status >= 300 && a.status <= 399 && strings.HasPrefix(a.location, "/signin?next="):
		if role == anonymous {
			return "refused"
		}
		t.Errorf("%s: GET %s sends to sign-in: the session was not recognised", role, a.path)
	case a.status == http.StatusForbidden:
		return "refused"
	case a.finalSt == http.StatusOK && a.ctype == "text/html":
		return "page"
	case a.finalSt == http.StatusOK && walkDownloads[pattern] != "":
		if a.ctype == walkDownloads[pattern] {
			return "download"
		}
		t.Errorf("%s: GET %s answers %s, want %s", role, a.path, a.ctype, walkDownloads[pattern])
	case a.status != 0 && webMatrix[pattern].deny == a.status && !webMatrix[pattern].own.has(role):
		return "refused"
	default:
		t.Errorf("%s: GET %s answers %d (%s, ending at %s with %d %s): want a page, 403, or for nobody a redirection to sign-in",
			role, a.path, a.status, a.location, a.final, a.finalSt, a.ctype)
	}
	return ""
}

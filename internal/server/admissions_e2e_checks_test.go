package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"regexp"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Bad input, refused with a reason that says what is wrong, and leaving
// the application as it was (read back each time); then the outcome.

const (
	appDoc  = "/api/v1/applications/{id}"
	listDoc = "/api/v1/applications"
)

// application reads an application back.
func (e *e2e) application(who auth, id int64) certibloc.Application {
	e.t.Helper()
	var a certibloc.Application
	e.json(who, "GET", fmt.Sprint("/api/v1/applications/", id), appDoc, nil, 200, &a)
	return a
}

// total counts the applications a query lists.
func (e *e2e) total(who auth, query string) int {
	e.t.Helper()
	var page struct{ Total int }
	e.json(who, "GET", "/api/v1/applications?"+query, listDoc, nil, 200, &page)
	return page.Total
}

// documents counts an application's documents.
func (e *e2e) documents(who auth, app int64) []certibloc.Document {
	var list struct{ Documents []certibloc.Document }
	e.json(who, "GET", fmt.Sprintf("/api/v1/applications/%d/documents", app), "/api/v1/applications/{id}/documents", nil, 200, &list)
	return list.Documents
}

func (e *e2e) badApplications(c *certibloc.Campaign, people []*applicant) {
	self, byStaff, draft := people[0], people[1], with(people, fDraft)[0]

	var closed certibloc.Campaign
	e.json(e.staff, "POST", "/api/v1/campaigns", "/api/v1/campaigns", map[string]any{"school": "DIIAGE",
		"certification_code": "RNCP38478", "year": e.today.Year(), "title": "Campagne close", "opens_on": e.days(-120),
		"closes_on": e.days(-1), "offers": []map[string]any{{"track": "one_year", "mode": "initial", "places": 10}}}, 201, &closed)
	for _, who := range []auth{self.who, e.staff} {
		e.refused(who, "POST", listDoc, listDoc, map[string]any{"campaign_id": closed.ID, "person_id": self.person,
			"track": "one_year", "mode": "initial"}, 400, "closed on "+e.days(-1))
	}
	if n := e.total(e.staff, fmt.Sprint("campaign=", closed.ID)); n != 0 {
		e.t.Errorf("the closed campaign has %d applications", n)
	}

	e.refused(self.who, "POST", listDoc, listDoc, map[string]any{"campaign_id": c.ID, "track": "one_year", "mode": "initial"},
		409, fmt.Sprintf("already applied: person %d has application %d", self.person, self.app))
	if n := e.total(self.who, ""); n != 1 {
		e.t.Errorf("the candidate lists %d applications, want their one", n)
	}

	before := e.application(draft.who, draft.app)
	url := fmt.Sprint("/api/v1/applications/", draft.app)
	e.refused(draft.who, "PUT", url, appDoc, map[string]any{"track": "one_year", "mode": "initial", "option": "RNCP38478BC06"},
		400, "option RNCP38478BC06 is not open in this campaign (open: RNCP38478BC04, RNCP38478BC05)")
	e.refused(e.staff, "POST", listDoc, listDoc, map[string]any{"campaign_id": c.ID, "person_id": draft.person, "track": "one_year",
		"mode": "initial", "option": "RNCP38478BC06"}, 400, "option RNCP38478BC06 is not open")
	if after := e.application(draft.who, draft.app); after.Option != before.Option || after.Mode != before.Mode || after.State != certibloc.Draft {
		e.t.Errorf("refused changes changed the application: %+v, was %+v", after, before)
	}

	docs := len(e.documents(self.who, self.app))
	pdf, png := testDocument(e.t, "cv.pdf"), testDocument(e.t, "diploma.png")
	for _, bad := range []struct {
		name string
		data []byte
		raw  bool
		says string
	}{
		{"cv.pdf", []byte("Curriculum vitae de " + self.first + "\n"), false, "cv.pdf is not a PDF, PNG or JPEG file"},
		{"diplome.pdf", png, true, "diplome.pdf is not what its name claims: its content is image/png"},
		{"gros.pdf", append(append([]byte{}, pdf...), make([]byte, certibloc.MaxDocumentSize)...), true, "may not be larger than 10 MiB"},
		{"gros.pdf", append(append([]byte{}, pdf...), make([]byte, certibloc.MaxDocumentSize)...), false, "may not be larger than 10 MiB"},
	} {
		body := e.upload(self.who, self.app, certibloc.DocCV, bad.name, bad.data, bad.raw, 400)
		if !strings.Contains(string(body), bad.says) {
			e.t.Errorf("%s: %s, want it to say %q", bad.name, body, bad.says)
		}
	}
	list := e.documents(self.who, self.app)
	if len(list) != docs || list[0].ContentType != "application/pdf" || list[1].ContentType != "image/png" {
		e.t.Errorf("documents after refusals: %+v", list)
	}
	got := e.send(self.who, request{method: "GET", url: fmt.Sprintf("/api/v1/applications/%d/documents/%d", self.app, list[0].ID), status: 200})
	if !bytes.Equal(got, pdf) {
		e.t.Error("the CV downloaded is not the one uploaded")
	}
	e.send(self.who, request{method: "GET", url: fmt.Sprintf("/api/v1/applications/%d/documents/%d", self.app,
		e.documents(e.staff, byStaff.app)[0].ID), doc: "/api/v1/applications/{id}/documents/{doc}", status: 404})

	// Whom a candidate may not be, and what they may not do.
	token, _, err := e.db.CreateToken(e.t.Context(), "candidate", "candidate", "DIIAGE")
	if err != nil {
		e.t.Fatal(err)
	}
	e.refused(auth{token: token}, "POST", listDoc, listDoc, map[string]any{"campaign_id": c.ID, "track": "one_year", "mode": "initial"},
		403, "an API token stands for no person")
	e.refused(self.who, "GET", fmt.Sprint("/api/v1/applications/", byStaff.app), appDoc, nil, 403, "someone else's")
	e.send(self.who, request{method: "PUT", url: fmt.Sprint("/api/v1/applications/", self.app), doc: appDoc,
		body: []byte(`{"track":"one_year","mode":"initial"}`), ctype: "application/json", status: 403,
		header: http.Header{"Sec-Fetch-Site": {"cross-site"}}})
}

func (e *e2e) badDecisions(people []*applicant) {
	waiting, draft, next := with(people, fSubmitted)[0], with(people, fDraft)[0], with(people, fEnrolled)[:3]
	decisions := func(a *applicant) int {
		var list struct{ Decisions []certibloc.AdmissionDecision }
		e.json(a.who, "GET", fmt.Sprintf("/api/v1/applications/%d/decisions", a.app), "/api/v1/applications/{id}/decisions", nil, 200, &list)
		return len(list.Decisions)
	}
	url := fmt.Sprintf("/api/v1/applications/%d/decisions", waiting.app)
	const one = "/api/v1/applications/{id}/decisions"
	e.refused(e.staff, "POST", url, one, map[string]any{"kind": "admitted", "members": members}, 409,
		"decision admitted cannot be taken on an application that is submitted: it needs an application that is interviewed or waiting_list")
	e.refused(e.staff, "POST", url, one, map[string]any{"kind": "admissible"}, 400, "members of the commission are required")
	e.refused(e.staff, "POST", url, one, map[string]any{"kind": "enrol"}, 400, "an enrolment is not a decision")
	e.refused(waiting.who, "POST", fmt.Sprintf("/api/v1/applications/%d/submit", waiting.app), "/api/v1/applications/{id}/submit",
		nil, 409, "only a draft is submitted")
	e.refused(e.staff, "POST", "/api/v1/decisions", "/api/v1/decisions", map[string]any{"applications": append(ids(next), draft.app),
		"decision": map[string]any{"kind": "admissible", "members": members}}, 409,
		fmt.Sprintf("application %d: decision admissible cannot be taken on an application that is draft", draft.app))
	self := with(people, fEnrolled)[0]
	e.refused(self.who, "POST", fmt.Sprintf("/api/v1/applications/%d/decisions", self.app), one,
		map[string]any{"kind": "admissible", "members": members}, 403, "the candidate role may not do this")
	// Submitted, before the admissibility commission: documents still come
	// in (issue 11).
	e.upload(self.who, self.app, certibloc.DocOther, "tard.pdf", testDocument(e.t, "cv.pdf"), true, 201)
	e.refused(self.who, "PUT", fmt.Sprint("/api/v1/applications/", self.app), appDoc, map[string]any{"track": "one_year",
		"mode": "apprenticeship"}, 409, "only a draft's choice can be changed")
	for _, a := range append(next, waiting, self) {
		if got := e.application(e.staff, a.app); got.State != certibloc.Submitted || decisions(a) != 0 || got.Mode != certibloc.Mode(a.mode) {
			e.t.Errorf("%s after refused decisions: %s, %d decisions", a.last, got.State, decisions(a))
		}
	}
}

func (e *e2e) checkOutcome(c *certibloc.Campaign, people []*applicant) {
	want := map[certibloc.State]int{}
	for _, a := range people {
		want[outcome[a.fate].state]++
		if got := e.application(a.who, a.app); got.State != outcome[a.fate].state {
			e.t.Errorf("%s (%s): %s, want %s", a.last, a.fate, got.State, outcome[a.fate].state)
		}
	}
	var counts struct {
		Total  int
		Counts map[certibloc.State]int
	}
	e.json(e.staff, "GET", fmt.Sprintf("/api/v1/campaigns/%d/counts", c.ID), "/api/v1/campaigns/{id}/counts", nil, 200, &counts)
	for _, s := range certibloc.States {
		if counts.Counts[s] != want[s] {
			e.t.Errorf("counts[%s] = %d, want %d", s, counts.Counts[s], want[s])
		}
		if n := e.total(e.staff, fmt.Sprintf("campaign=%d&state=%s&limit=1", c.ID, s)); n != want[s] {
			e.t.Errorf("the list of %s holds %d, want %d", s, n, want[s])
		}
	}
	if counts.Total != 50 {
		e.t.Errorf("total %d, want 50", counts.Total)
	}
	for query, n := range map[string]int{"committee_review=true": 4, "eligible=false": 4, "q=martin": 5,
		"state=admitted,enrolled&track=one_year&mode=initial": 9, "state=submitted&q=MARTIN-A": 0} {
		if got := e.total(e.staff, fmt.Sprintf("campaign=%d&%s", c.ID, query)); got != n {
			e.t.Errorf("%s: %d, want %d", query, got, n)
		}
	}
	var history struct{ Decisions []certibloc.AdmissionDecision }
	learner := with(people, fEnrolled)[0]
	e.json(learner.who, "GET", fmt.Sprintf("/api/v1/applications/%d/decisions", learner.app), "/api/v1/applications/{id}/decisions", nil, 200, &history)
	var kinds []string
	for _, d := range history.Decisions {
		kinds = append(kinds, string(d.Kind))
	}
	if strings.Join(kinds, " ") != "admissible schedule_interview interview admitted enrol" {
		e.t.Errorf("history of a learner: %v", kinds)
	}
	e.checkMail(people)
}

// checkMail reads the outbox: each candidate got one e-mail per decision
// that changed their state (and per interview scheduled), in French with
// English below.
func (e *e2e) checkMail(people []*applicant) {
	mails, err := e.db.Outbox(e.t.Context(), sqldb.OutboxFilter{All: true, Limit: 1000})
	if err != nil {
		e.t.Fatal(err)
	}
	got := map[string][]certibloc.Mail{}
	for _, m := range mails {
		got[m.To] = append(got[m.To], m)
	}
	total := 0
	for _, a := range people {
		total += outcome[a.fate].mails
		if n := len(got[a.email]); n != outcome[a.fate].mails {
			e.t.Errorf("%s (%s) got %d e-mails, want %d", a.last, a.fate, n, outcome[a.fate].mails)
		}
	}
	if len(mails) != total {
		e.t.Errorf("the outbox holds %d e-mails, want %d", len(mails), total)
	}
	// Every e-mail names the school and links back to the site.
	school, err := e.db.School(e.t.Context(), "DIIAGE")
	if err != nil {
		e.t.Fatal(err)
	}
	for _, m := range mails {
		// The site's address is the instance's (two_instances_e2e_test.go).
		if _, sig, _ := strings.Cut(m.Body, certibloc.SignatureMark); !siteSignature.MatchString(sig) || !strings.HasPrefix(sig, school.Name+"\n") {
			e.t.Errorf("e-mail %d (%s) does not end naming %s and the site:\n%s", m.ID, m.Subject, school.Name, m.Body)
		}
	}
	refused := got[with(people, fRefused)[0].email][0] // newest first
	if !mentions(refused.Body, "Bonjour", "Motif : Tests techniques insuffisants", "— English —", "Reason: Tests techniques insuffisants") ||
		refused.School != "DIIAGE" || !strings.Contains(refused.Subject, "Your application is not accepted") {
		e.t.Errorf("the refusal:\n%s\n%s", refused.Subject, refused.Body)
	}
}

// siteSignature is how an e-mail's signature ends: the site's address
// followed by /app, the candidate's space.
var siteSignature = regexp.MustCompile(`\nhttps?://[^\s]+/app\n$`)

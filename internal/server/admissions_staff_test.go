package server_test

import (
	"archive/zip"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// admPipeline is a campaign with applications in several states: three
// submitted (one flagged for the committee), one admissible, one draft.
type admPipeline struct {
	campaign                                     *certibloc.Campaign
	submitted, review, second, admissible, draft *certibloc.Application
}

func newPipeline(t *testing.T, db *sqldb.DB) admPipeline {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), admStaff(t))
	p := admPipeline{campaign: admCampaign(t, db, "Admissions 2027")}
	apply := func(name string, level, exp int, submit bool) *certibloc.Application {
		person := &certibloc.Person{School: ownSchool, BirthName: name, FirstNames: "Sacha", Email: strings.ToLower(name) + "@example.org",
			Level: level, ExperienceMonths: exp}
		if err := db.CreatePerson(ctx, person); err != nil {
			t.Fatal(err)
		}
		a := &certibloc.Application{CampaignID: p.campaign.ID, PersonID: person.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}
		if err := db.CreateApplication(ctx, a); err != nil {
			t.Fatal(err)
		}
		if submit {
			withDocuments(t, db, a.ID) // a complete dossier: declared admissible without a warning
			if _, err := db.SubmitApplication(ctx, a.ID, db.Today()); err != nil {
				t.Fatal(err)
			}
		}
		return a
	}
	p.submitted, p.review, p.second = apply("BERNARD", 5, 0, true), apply("ROUX", 4, 14, true), apply("FAURE", 5, 0, true)
	p.admissible, p.draft = apply("GIRAUD", 6, 0, true), apply("BLANC", 5, 0, false)
	if _, err := db.Decide(ctx, []int64{p.admissible.ID}, certibloc.AdmissionDecision{Kind: certibloc.DecideAdmissible,
		Members: []string{"Michel GIRARD"}}); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestStaffPipelineFiltersDecidesAndExports(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		ctx := t.Context()
		p := newPipeline(t, db)
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		base := "/app/campaigns/" + strconv.FormatInt(p.campaign.ID, 10)
		page := staff.get(base, http.StatusOK).Body.String()
		wantIn(t, "the pipeline", page, "BERNARD", "ROUX", "GIRAUD", "BLANC", `<svg`, `role="img"`,
			"Dossiers déposés : 4 ; Admissibles : 1", "(étude commission)", base+"/export.csv?", base+"/export.xlsx?")

		for query, want := range map[string][]string{
			"?state=submitted": {"BERNARD", "ROUX", "FAURE"},
			"?review=yes":      {"ROUX"},
			"?q=giraud":        {"GIRAUD"},
			"?state=draft":     {"BLANC"},
		} {
			page := staff.get(base+query, http.StatusOK).Body.String()
			for _, name := range []string{"BERNARD", "ROUX", "FAURE", "GIRAUD", "BLANC"} {
				listed := strings.Contains(page, "<th scope=\"row\"><a href=\"/app/applications/") &&
					strings.Contains(page, name+"</a></th>")
				if listed != strings.Contains(strings.Join(want, " "), name) {
					t.Errorf("%s: %s listed %v", query, name, listed)
				}
			}
		}

		// A decision for a list: all or nothing, each candidate told.
		ids := func(apps ...*certibloc.Application) url.Values {
			v := url.Values{}
			for _, a := range apps {
				v.Add("id", strconv.FormatInt(a.ID, 10))
			}
			return v
		}
		form := ids(p.submitted, p.admissible)
		form.Set("kind", "admissible")
		form.Set("members", "Michel GIRARD\r\n\r\nJeanne Martin")
		page = staff.post(base+"/decisions?state=submitted", form, http.StatusBadRequest).Body.String()
		wantIn(t, "a list with an application that cannot take it", page, "ne peut pas être prise pour",
			"GIRAUD (Admissible)", `value="admissible" selected`, `id="sel-`+strconv.FormatInt(p.submitted.ID, 10)+`" checked`)
		if a, _ := db.Application(ctx, p.submitted.ID); a.State != certibloc.Submitted {
			t.Errorf("a refused list changed an application: %s", a.State)
		}
		form = ids(p.submitted, p.review)
		form.Set("kind", "not_admissible")
		form.Set("members", "Michel GIRARD")
		page = staff.post(base+"/decisions", form, http.StatusBadRequest).Body.String()
		wantIn(t, "a refusal without reason", page, `id="bulk-reason-error"`, "donnez le motif")
		form.Set("kind", "admissible")
		form.Set("members", "Michel GIRARD\r\nJeanne Martin")
		loc := staff.post(base+"/decisions?state=submitted", form, http.StatusSeeOther).Header().Get("Location")
		if !strings.Contains(loc, "state=submitted") || !strings.Contains(loc, "done=decided") {
			t.Errorf("sent back to %s, want the same filters", loc)
		}
		for _, a := range []*certibloc.Application{p.submitted, p.review} {
			got, _ := db.Application(ctx, a.ID)
			ds, _ := db.Decisions(ctx, a.ID)
			if got.State != certibloc.Admissible || len(ds) != 1 || strings.Join(ds[0].Members, "|") != "Michel GIRARD|Jeanne Martin" {
				t.Errorf("application %d: %s, %+v", a.ID, got.State, ds)
			}
		}
		mails, _ := db.Outbox(ctx, sqldb.OutboxFilter{All: true})
		told := map[string]bool{}
		for _, m := range mails {
			told[m.To] = told[m.To] || strings.Contains(m.Subject, "admissible") && strings.Contains(m.Body, "Admissions 2027")
		}
		if !told["bernard@example.org"] || !told["roux@example.org"] || told["faure@example.org"] {
			t.Errorf("the candidates told: %v", told)
		}

		// The exports follow the filters.
		csv := staff.get(base+"/export.csv?state=admissible", http.StatusOK)
		body := csv.Body.String()
		if !strings.HasPrefix(body, "\uFEFFN°;Nom;Courriel;Téléphone;Cursus;") || !strings.Contains(body, "Sacha BERNARD") ||
			strings.Contains(body, "FAURE") || csv.Header().Get("Content-Type") != "text/csv; charset=utf-8" {
			t.Errorf("CSV export:\n%s", body)
		}
		if n := strings.Count(body, "\r\n"); n != 4 {
			t.Errorf("CSV export: %d lines, want the header and 3 admissible", n)
		}
		xlsx := staff.get(base+"/export.xlsx", http.StatusOK).Body.Bytes()
		z, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range z.File {
			if f.Name == "xl/worksheets/sheet1.xml" {
				r, _ := f.Open()
				sheet, _ := io.ReadAll(r)
				wantIn(t, "the XLSX sheet", string(sheet), "Sacha BLANC", "Sacha ROUX", `<autoFilter ref="A1:O6"/>`)
			}
		}

		estia := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{otherSchool}})
		estia.get(base, http.StatusForbidden)
		estia.get(base+"/export.csv", http.StatusForbidden)
		estia.post(base+"/decisions", ids(p.second), http.StatusForbidden)
	})
}

func TestStaffPipelineSorts(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		h := newSite(t, db)
		p := newPipeline(t, db)
		staff := admSignedIn(t, h, db, certibloc.Account{Role: certibloc.Staff, Schools: []string{ownSchool}})
		base := "/app/campaigns/" + strconv.FormatInt(p.campaign.ID, 10)
		for sort, want := range map[string][]*certibloc.Application{
			"":             {p.submitted, p.draft, p.second, p.admissible, p.review}, // by name
			"name":         {p.submitted, p.draft, p.second, p.admissible, p.review},
			"state":        {p.draft, p.submitted, p.review, p.second, p.admissible},
			"submitted_at": {p.submitted, p.review, p.second, p.admissible, p.draft}, // never submitted: last
			"nonsense":     {p.submitted, p.draft, p.second, p.admissible, p.review},
		} {
			page := staff.get(base+"?sort="+sort, http.StatusOK).Body.String()
			at := -1
			for _, a := range want {
				i := strings.Index(page, `href="/app/applications/`+strconv.FormatInt(a.ID, 10)+`"`)
				if i < 0 || i < at {
					t.Errorf("sort %q: %s is missing or comes too early", sort, a.Name)
				}
				at = i
			}
			if sort == "state" {
				wantIn(t, "the sorted pipeline", page, `<option value="state" selected>`, "Trier par",
					"sort=state") // kept by the counts, the pages, the exports
			}
		}
		wantIn(t, "the sort in English", staff.get(base+"?lang=en", http.StatusOK).Body.String(), "Sort by", "Submission date")
	})
}

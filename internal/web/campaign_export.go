package web

import (
	"bytes"
	"mime"
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sheet"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// exportCSV and exportXLSX send the applications of a campaign that the
// filters of the pipeline select, for the staff's spreadsheet.
func (s *Site) exportCSV(w http.ResponseWriter, r *http.Request) error {
	return s.export(w, r, "csv")
}

func (s *Site) exportXLSX(w http.ResponseWriter, r *http.Request) error {
	return s.export(w, r, "xlsx")
}

func (s *Site) export(w http.ResponseWriter, r *http.Request, format string) error {
	c, err := s.loadCampaign(r)
	if err != nil {
		return err
	}
	f := pipelineFilter(c, r.URL.Query())
	f.Offset, f.Limit = 0, 1
	if _, n, err := s.db.Applications(r.Context(), f); err != nil {
		return err
	} else if n > exportSyncLimit {
		return s.offerExportJob(w, r, c, format, n) // too large for one request: a job (export_jobs.go)
	}
	f.Limit = -1 // every application
	list, _, err := s.db.Applications(r.Context(), f)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	cert, err := s.db.Certification(r.Context(), c.CertificationCode, c.Version)
	if err != nil {
		return err
	}
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	extras, err := s.db.ApplicationExtras(r.Context(), ids)
	if err != nil {
		return err
	}
	t := applicationsTable(pg, c, list, ruleTexts(cert), extras)
	var buf bytes.Buffer
	contentType := "text/csv; charset=utf-8"
	if format == "xlsx" {
		contentType = sheet.ContentTypeXLSX
		err = sheet.WriteXLSX(&buf, t)
	} else {
		err = sheet.WriteCSV(&buf, t)
	}
	if err != nil {
		return err
	}
	name := "candidatures-" + strconv.FormatInt(c.ID, 10) + "-" + strconv.Itoa(c.Year) + "." + format
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(buf.Bytes())
	return err
}

// applicationsTable is the list as a table: one line per application,
// what the pipeline shows and the verdict's details, how to reach the
// candidate and their interview's scores (extras), dates as dates and
// scores as numbers.
func applicationsTable(pg *page, c *certibloc.Campaign, list []certibloc.Application, rules map[string]string,
	extras map[int64]sqldb.ApplicationExtra) *sheet.Table {
	t := &sheet.Table{Name: c.Title, Header: []string{pg.T("exp_number"), pg.T("pipe_col_name"), pg.T("people_f_email"),
		pg.T("people_f_phone"), pg.T("exp_track"), pg.T("exp_mode"), pg.T("pipe_col_option"), pg.T("app_state"),
		pg.T("exp_eligible"), pg.T("exp_review"), pg.T("exp_rule"), pg.T("exp_interview_score"), pg.T("exp_test_score"),
		pg.T("app_submitted"), pg.T("exp_updated")}}
	for _, a := range list {
		var eligible, review, rule any
		if e := a.Eligibility; e != nil {
			eligible, review = yesNo(pg, e.Eligible), yesNo(pg, e.CommitteeReview)
			if text := rules[e.Rule]; text != "" {
				rule = text // the rule as the programme words it, not its id
			} else if e.Rule != "none" {
				rule = e.Rule
			}
		}
		var submitted any
		if a.SubmittedAt != nil {
			submitted = a.SubmittedAt.In(paris)
		}
		x := extras[a.ID]
		var score, test any
		if x.Score != nil && x.TestScore != nil {
			score, test = *x.Score, *x.TestScore
		}
		t.Rows = append(t.Rows, []any{a.ID, a.Name, x.Email, x.Phone, pg.Label(string(a.Track)), modeLabel(pg, a.Mode), a.Option,
			stateLabel(pg, a.State), eligible, review, rule, score, test, submitted, a.UpdatedAt.In(paris)})
	}
	return t
}

// yesNo writes a flag as words: booleans read as TRUE and FALSE, in
// English, in every spreadsheet.
func yesNo(pg *page, b bool) string {
	if b {
		return pg.T("exp_yes")
	}
	return pg.T("exp_no")
}

// ruleTexts are the texts of a certification's entry rules by id.
func ruleTexts(c *certibloc.Certification) map[string]string {
	out := map[string]string{}
	for _, r := range c.EntryRules {
		if r.Text != "" {
			out[r.Rule] = r.Text
		}
	}
	return out
}

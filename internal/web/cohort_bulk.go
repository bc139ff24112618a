package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Enrolment in bulk (issue 11, item 10): staff tick the admitted
// candidates of the cohort's campaign and track, give the internship's
// length, confirm, and they are enrolled in one transaction; the page
// then reports who was enrolled, and who was not and why (an apprentice is
// enrolled alone, with the employer, the contract and the tutor).

// bulkEnrolView is the bulk enrolment's part of a cohort's page.
type bulkEnrolView struct {
	Action  string
	Fields  []admField
	Summary *errorSummary
	Report  *enrolReportView
}

// enrolReportView is what an enrolment in bulk did.
type enrolReportView struct {
	Enrolled []string
	Refused  []string
}

// bulkEnrolSent is the bulk form sent, with its errors or its report.
type bulkEnrolSent struct {
	values map[string]string
	ids    []string
	errs   formErrors
	report *certibloc.EnrolReport
}

// bulkEnrolOf is the bulk enrolment form over the admitted candidates.
func bulkEnrolOf(pg *page, co *certibloc.Cohort, admitted []certibloc.Application, sent *bulkEnrolSent) *bulkEnrolView {
	v := &bulkEnrolView{Action: cohortPath(co.ID) + "/enrolments/bulk"}
	if sent != nil && sent.report != nil {
		v.Report = &enrolReportView{}
		for _, e := range sent.report.Enrolled {
			v.Report.Enrolled = append(v.Report.Enrolled, e.Name)
		}
		for _, x := range sent.report.Refused {
			v.Report.Refused = append(v.Report.Refused, pg.Tf("bulk_enrol_refused_f", x.Name, pg.T("bulk_enrol_why_"+x.Code)))
		}
	}
	if len(admitted) == 0 {
		return v
	}
	who := admField{Name: "application", ID: "bulk-application", Type: "checkboxes", Label: pg.T("bulk_enrol_f_application"),
		Hint: pg.T("bulk_enrol_h_application"), Required: true}
	for _, a := range admitted {
		label := a.Name + " – " + offerLabel(pg, a.Track, a.Mode)
		if a.Mode == certibloc.Apprenticeship {
			label += " " + pg.T("bulk_enrol_alone")
		}
		who.Options = append(who.Options, option{strconv.FormatInt(a.ID, 10), label})
	}
	values := map[string]string{"internship_months": "6"}
	if sent != nil && sent.report == nil {
		values, who.Values = sent.values, sent.ids
	}
	v.Fields = []admField{who,
		{Name: "internship_months", ID: "bulk-internship_months", Type: "number", Label: pg.T("coh_f_internship_months"),
			Required: true, Min: "1", Max: "36", Value: values["internship_months"]},
		{Name: "confirm", ID: "bulk-confirm", Type: "checkboxes", Label: pg.T("app_f_confirm"), Required: true,
			Options: []option{{"yes", pg.T("bulk_enrol_confirm")}}}}
	if sent != nil && sent.report == nil {
		v.Summary = summarize(pg, v.Fields, sent.errs)
	}
	return v
}

// enrolBulk enrols the ticked admitted candidates in the cohort.
func (s *Site) enrolBulk(w http.ResponseWriter, r *http.Request) error {
	co, err := s.loadCohort(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	sent := &bulkEnrolSent{values: map[string]string{"internship_months": strings.TrimSpace(r.PostFormValue("internship_months"))},
		ids: r.PostForm["application"], errs: formErrors{}}
	var ids []int64
	for _, raw := range sent.ids {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id <= 0 {
			return certibloc.Errorf(certibloc.ENOTFOUND, "no application %q", raw)
		}
		ids = append(ids, id)
	}
	if len(ids) == 0 {
		sent.errs["application"] = pg.T("bulk_enrol_e_none")
	} else if len(ids) > sqldb.MaxBulkEnrol {
		sent.errs["application"] = pg.Tf("pipe_e_many_f", sqldb.MaxBulkEnrol)
	}
	months, err := strconv.Atoi(sent.values["internship_months"])
	if err != nil || months < 1 || months > 36 {
		sent.errs["internship_months"] = pg.T("coh_e_internship")
	}
	if r.PostFormValue("confirm") != "yes" {
		sent.errs["confirm"] = pg.T("bulk_enrol_e_confirm")
	}
	if len(sent.errs) > 0 {
		return s.renderCohortWith(w, r, http.StatusBadRequest, co, "", nil, nil, sent)
	}
	report, err := s.db.EnrolAdmitted(r.Context(), co.ID, ids, months)
	if err != nil {
		return err
	}
	sent.report = report
	notice := "bulk_enrol_done"
	if len(report.Enrolled) == 0 {
		notice = "bulk_enrol_done_none"
	}
	return s.renderCohortWith(w, r, http.StatusOK, co, notice, map[string]string{"internship_months": "6"}, nil, sent)
}

package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// applicationView is the page of an application: the candidate's own
// (documents to upload, submitting, the verdict and the decisions as they
// concern them) or the staff's (the candidate, the documents, the whole
// history and the forms of the next decisions).
type applicationView struct {
	ID                    int64
	Staff                 bool
	Notice                string
	Summary               *errorSummary
	Campaign, CampaignURL string
	Candidate, PersonURL  string
	Facts                 []fact // the candidate and the choice
	State                 string
	Eligibility           *eligibilityView
	Documents             []documentRow
	Upload                []admField // the upload form, while documents may be added
	CanSubmit             bool
	Decisions             []decisionRow
	Forms                 []decisionForm // staff: the decisions the workflow allows now
	EnrolURL              string         // staff: an admitted candidate goes to a cohort
}

// fact is a line of a description list.
type fact struct{ Label, Value string }

// eligibilityView is the verdict of the entry rules and its reasons.
type eligibilityView struct {
	Eligible, Committee bool
	Reasons             []string
}

// documentRow is a document of the application, to download.
type documentRow struct {
	Href, Kind, Name, Type, Size string
}

// applicationPage shows an application to its candidate or to staff.
func (s *Site) applicationPage(w http.ResponseWriter, r *http.Request) error {
	a, own, err := s.loadApplication(r)
	if err != nil {
		return err
	}
	notice := ""
	switch done := r.URL.Query().Get("done"); done {
	case "created", "uploaded", "submitted", "decided":
		notice = "app_done_" + done
	}
	return s.renderApplication(w, r, http.StatusOK, a, !own, notice, nil, nil)
}

// renderApplication writes the page of an application; errs are those of
// the form that was sent: the upload ("upload"), the submission, or a
// decision (by kind, in decision).
func (s *Site) renderApplication(w http.ResponseWriter, r *http.Request, status int, a *certibloc.Application,
	staff bool, notice string, errs formErrors, decision *decisionInput) error {
	ctx := r.Context()
	c, err := s.db.Campaign(ctx, a.CampaignID)
	if err != nil {
		return err
	}
	cert, err := s.db.Certification(ctx, c.CertificationCode, c.Version)
	if err != nil {
		return err
	}
	person, err := s.db.Person(ctx, a.PersonID)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	pg.Title = pg.Tf("app_title_f", c.Title)
	if staff {
		pg.Title = pg.Tf("app_staff_title_f", person.DisplayName())
	}
	pg.Description = pg.T("app_description")
	v := &applicationView{ID: a.ID, Staff: staff, Campaign: c.Title, Candidate: person.DisplayName(),
		State: stateLabel(pg, a.State)}
	if notice != "" {
		v.Notice = pg.T(notice)
	}
	if staff {
		v.CampaignURL, v.PersonURL = campaignPath(c.ID), personPath(person.ID)
		v.Facts = append(v.Facts, fact{pg.T("people_f_birth_date"), pg.Date(person.BirthDate)},
			fact{pg.T("people_f_email"), person.Email})
	}
	option := pg.T("app_option_none")
	if a.Option != "" {
		option = blockLabel(cert, a.Option)
	}
	v.Facts = append(v.Facts,
		fact{pg.T("people_f_level"), strconv.Itoa(person.Level)},
		fact{pg.T("people_f_ects"), strconv.Itoa(person.ECTS)},
		fact{pg.T("people_f_experience_months"), strconv.Itoa(person.ExperienceMonths)},
		fact{pg.T("app_f_offer"), offerLabel(pg, a.Track, a.Mode)},
		fact{pg.T("app_f_option"), option},
		fact{pg.T("app_submitted"), moment(pg, a.SubmittedAt)})
	if e := a.Eligibility; e != nil {
		v.Eligibility = &eligibilityView{Eligible: e.Eligible, Committee: e.CommitteeReview, Reasons: e.Reasons}
	}
	docs, err := s.db.Documents(ctx, a.ID)
	if err != nil {
		return err
	}
	for _, d := range docs {
		v.Documents = append(v.Documents, documentRow{Href: documentPath(a.ID, d.ID), Kind: pg.T("doc_" + d.Kind),
			Name: d.Filename, Type: pg.T("doc_type_" + d.ContentType), Size: fileSize(pg, d.Size)})
	}
	if !staff && a.State == certibloc.Draft {
		v.Upload = uploadFields(pg, errs)
	}
	v.CanSubmit = !staff && a.State == certibloc.Draft
	decisions, err := s.db.Decisions(ctx, a.ID)
	if err != nil {
		return err
	}
	names := map[string]string{}
	for _, d := range decisions {
		row := decisionRowOf(pg, d, staff)
		if staff {
			row.By = s.deciderName(ctx, names, d.DecidedBy)
		}
		v.Decisions = append(v.Decisions, row)
	}
	v.Summary = summarize(pg, v.Upload, errs)
	if staff {
		v.Forms = decisionForms(pg, a.State, decision)
		for _, f := range v.Forms {
			if f.Summary != nil {
				v.Summary = f.Summary
			}
		}
		if decision != nil && v.Summary == nil {
			v.Summary = summarize(pg, nil, formErrors{"": decision.Errs[""]})
		}
		if a.State == certibloc.Admitted {
			v.EnrolURL = "/app/cohorts"
		}
	}
	return s.renderApp(w, status, "application", pg, v)
}

// deciderName shows who decided as staff know them: the address of the
// account the history names ("account 12"), or the name as it is.
func (s *Site) deciderName(ctx context.Context, names map[string]string, label string) string {
	if name, ok := names[label]; ok {
		return name
	}
	names[label] = label
	if n, ok := strings.CutPrefix(label, "account "); ok {
		if id, err := strconv.ParseInt(n, 10, 64); err == nil {
			if a, err := s.db.Account(ctx, id); err == nil {
				names[label] = a.Email
			}
		}
	}
	return names[label]
}

// fileSize writes a size as people read it: 240 Ko, 1,5 Mo.
func fileSize(pg *page, n int64) string {
	switch {
	case n < 1000:
		return pg.Tf("size_b_f", n)
	case n < 1000*1000:
		return pg.Tf("size_kb_f", (n+500)/1000)
	}
	mb := strconv.FormatFloat(float64(n)/1e6, 'f', 1, 64)
	if pg.Lang == "fr" {
		mb = mb[:len(mb)-2] + "," + mb[len(mb)-1:]
	}
	return pg.Tf("size_mb_f", mb)
}

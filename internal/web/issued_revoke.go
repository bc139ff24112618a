package web

import (
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
)

// revokeView is the confirmation page of a revocation: what the document
// is, what revoking does, and the reason asked for.
type revokeView struct {
	Facts   []fact
	Revoked string // when it was revoked already
	Back    string
	Summary *errorSummary
	Fields  []admField
	Action  string
}

// loadIssued reads the document of the path's {number}.
func (s *Site) loadIssued(r *http.Request) (*certibloc.IssuedDocument, error) {
	number, err := certibloc.ParseDocumentNumberIn(r.PathValue("number"), pageLang(s.page(r, "")))
	if err != nil {
		return nil, err
	}
	return s.db.DocumentByNumber(r.Context(), number)
}

func (s *Site) revokeForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadIssued(r)
	if err != nil {
		return err
	}
	return s.renderRevoke(w, r, http.StatusOK, d, "", formErrors{})
}

// revokeIssued revokes a document once its reason is given and the
// revocation confirmed; the public verification shows it revoked at once.
func (s *Site) revokeIssued(w http.ResponseWriter, r *http.Request) error {
	d, err := s.loadIssued(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	reason := r.PostFormValue("reason")
	errs := formErrors{}
	if certibloc.CheckRevokeReason(reason) != nil {
		errs["reason"] = pg.T("issued_e_reason")
	}
	if r.PostFormValue("confirm") != "yes" {
		errs["confirm"] = pg.T("issued_e_confirm")
	}
	if d.Revoked() {
		errs[""] = pg.T("issued_e_revoked")
	}
	if len(errs) > 0 {
		return s.renderRevoke(w, r, http.StatusBadRequest, d, reason, errs)
	}
	if _, err := s.db.RevokeDocument(r.Context(), d.Number, reason); err != nil {
		if certibloc.ErrorCode(err) == certibloc.ECONFLICT {
			return s.renderRevoke(w, r, http.StatusConflict, d, reason, formErrors{"": pg.T("issued_e_revoked")})
		}
		return err
	}
	back := "/app/people/" + strconv.FormatInt(d.PersonID, 10) + "/documents?done=revoked"
	if d.JuryID != 0 {
		back = juryPath(d.JuryID) + "/documents?done=revoked"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

func (s *Site) renderRevoke(w http.ResponseWriter, r *http.Request, status int, d *certibloc.IssuedDocument, reason string, errs formErrors) error {
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("issued_revoke_title_f", d.Number), pg.T("issued_description")
	v := &revokeView{Action: "/app/documents/" + d.Number + "/revoke",
		Back: "/app/people/" + strconv.FormatInt(d.PersonID, 10) + "/documents"}
	if d.JuryID != 0 {
		v.Back = juryPath(d.JuryID) + "/documents"
	}
	v.Facts = []fact{
		{pg.T("issued_col_kind"), d.Kind.In(pageLang(pg))},
		{pg.T("issued_col_holder"), d.Holder.Name()},
		{pg.T("issued_col_certification"), d.Certification.Code + " – " + d.Certification.Title},
		{pg.T("issued_col_issued"), pg.dateTime(d.IssuedAt)},
	}
	if d.Revoked() {
		v.Revoked = pg.Tf("issued_revoked_f", pg.dateTime(*d.RevokedAt), d.RevokeReason)
	}
	v.Fields = []admField{
		{Name: "reason", ID: "f-reason", Type: "textarea", Label: pg.T("issued_f_reason"), Hint: pg.T("issued_h_reason"),
			Required: true, Value: reason, MaxLength: "500"},
		{Name: "confirm", ID: "f-confirm", Type: "checkboxes", Label: pg.T("issued_f_confirm"), Required: true,
			Options: []option{{"yes", pg.T("issued_confirm_yes")}}},
	}
	v.Summary = summarize(pg, v.Fields, errs)
	return s.renderApp(w, status, "issued_revoke", pg, v)
}

// jobsView is the list of jobs, or one job.
type jobsView struct {
	Jobs  []jobView
	One   bool
	Kinds []jobKindLink // the list's filter by kind (export_jobs.go)
}

func (s *Site) jobsPage(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	kind, kinds := jobKindFilter(pg, r.URL.Query().Get("kind"))
	list, err := s.db.Jobs(r.Context(), kind, "", 50)
	if err != nil {
		return err
	}
	pg.Title, pg.Description = pg.T("jobs_title"), pg.T("jobs_description")
	v := &jobsView{Kinds: kinds}
	for i := range list {
		jv, err := s.jobView(r.Context(), pg, &list[i])
		if err != nil {
			return err
		}
		v.Jobs = append(v.Jobs, jv)
	}
	return s.renderApp(w, http.StatusOK, "jobs", pg, v)
}

func (s *Site) jobPage(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	id, err := pathID(r, "id")
	if err != nil {
		return certibloc.Errorf(certibloc.ENOTFOUND, "%s", pg.T("jobs_e_notfound"))
	}
	j, err := s.db.Job(r.Context(), id)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		return certibloc.Errorf(certibloc.ENOTFOUND, "%s", pg.T("jobs_e_notfound"))
	} else if err != nil {
		return err
	}
	jv, err := s.jobView(r.Context(), pg, j)
	if err != nil {
		return err
	}
	pg.Title, pg.Description = jv.Title, pg.T("jobs_description")
	return s.renderApp(w, http.StatusOK, "jobs", pg, &jobsView{Jobs: []jobView{jv}, One: true})
}

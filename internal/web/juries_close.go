package web

import (
	"fmt"
	"net/http"

	"github.com/certibloc/certibloc"
)

// closeView is the check before closing a jury: what closing will do,
// what keeps it from closing, and the chair's confirmation. Nothing
// irreversible happens without this page.
type closeView struct {
	Closed   bool
	Back     string
	Will     []string
	Blockers []string
	CanClose bool   // nothing blocks and the viewer may close
	NotChair string // why the viewer may not close
	Summary  *errorSummary
	Confirm  admField
	Action   string
}

func (s *Site) closeCheck(w http.ResponseWriter, r *http.Request) error {
	j, st, err := s.loadJury(r)
	if err != nil {
		return err
	}
	return s.renderClose(w, r, http.StatusOK, j, st, formErrors{}, nil)
}

// closeJury closes the jury once the chair confirmed: the minutes
// rendered and their digest recorded, the ledger and the titles written,
// the decisions read-only; all of it or nothing.
func (s *Site) closeJury(w http.ResponseWriter, r *http.Request) error {
	j, st, err := s.loadJury(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	if !st.decides() {
		return certibloc.Errorf(certibloc.EFORBIDDEN, "%s", pg.T("jury_e_chair"))
	}
	if j.State != certibloc.JuryOpen {
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", pg.T("jury_e_closed"))
	}
	if r.PostFormValue("confirm") != "yes" {
		return s.renderClose(w, r, http.StatusBadRequest, j, st, formErrors{"confirm": pg.T("jury_e_confirm")}, nil)
	}
	if s.minutes == nil {
		return s.renderClose(w, r, http.StatusBadRequest, j, st, formErrors{}, nil)
	}
	err = s.db.CloseJury(r.Context(), j.ID, s.minutes)
	if err == nil {
		// Its Open Badges credentials; should this fail, the jury stays
		// closed and POST /api/v1/juries/{id}/credentials issues them.
		if _, err := s.db.IssueJuryCredentials(r.Context(), j.ID, s.baseURL()); err != nil {
			s.log.ErrorContext(r.Context(), "issue the credentials of a closed jury", "jury", j.ID, "error", err)
		}
		http.Redirect(w, r, juryPath(j.ID)+"?done=closed", http.StatusSeeOther)
		return nil
	}
	if _, ok := err.(certibloc.Problems); !ok {
		return err
	}
	return s.renderClose(w, r, http.StatusBadRequest, j, st, formErrors{}, s.problemsIn(r, pg, err))
}

func (s *Site) renderClose(w http.ResponseWriter, r *http.Request, status int, j *certibloc.JurySession, st seat,
	errs formErrors, refused []string) error {
	ctx := r.Context()
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("jury_close_title_f", juryTitle(pg, j)), pg.T("jury_list_description")
	v := &closeView{Closed: j.State != certibloc.JuryOpen, Back: juryPath(j.ID), Action: juryPath(j.ID) + "/close"}
	if v.Closed {
		return s.renderApp(w, status, "juries_close", pg, v)
	}
	c, err := s.db.Certification(ctx, j.Certification, j.Version)
	if err != nil {
		return err
	}
	props, err := s.db.JuryProposals(ctx, j.ID)
	if err != nil {
		return err
	}
	blocks, people, titles := 0, 0, 0
	var decisions []certibloc.JuryDecision
	for _, p := range props {
		d := p.Decision
		if !d.Decided {
			d = certibloc.JuryDecision{PersonID: p.PersonID}
		}
		decisions = append(decisions, d)
		if n := countValidated(d.Blocks); n > 0 {
			blocks, people = blocks+n, people+1
		}
		if d.Certified {
			titles++
		}
	}
	v.Will = []string{pg.T("jury_will_readonly"), pg.Tf("jury_will_ledger_f", blocks, people),
		pg.Tf("jury_will_titles_f", titles), pg.T("jury_will_minutes")}
	v.Blockers = append(v.Blockers, refused...)
	if refused == nil {
		v.Blockers = s.problemsIn(r, pg, c.JuryRule().CheckClose(j.Members, decisions))
	}
	if s.minutes == nil {
		v.Blockers = append(v.Blockers, pg.T("jury_e_no_minutes"))
	}
	if !st.decides() {
		v.NotChair = pg.T("jury_e_chair")
	}
	v.CanClose = len(v.Blockers) == 0 && st.decides()
	v.Confirm = admField{Name: "confirm", ID: "f-confirm", Type: "checkboxes", Required: true, Label: pg.T("jury_f_confirm"),
		Options: []option{{"yes", pg.Nf("jury_confirm", len(props))}}}
	v.Summary = summarize(pg, []admField{v.Confirm}, errs)
	v.Confirm.Error = errs["confirm"]
	return s.renderApp(w, status, "juries_close", pg, v)
}

// minutesFile answers the minutes of a closed jury, as recorded.
func (s *Site) minutesFile(w http.ResponseWriter, r *http.Request) error {
	j, _, err := s.loadJury(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	if j.State != certibloc.JuryClosed {
		return certibloc.Errorf(certibloc.ENOTFOUND, "%s", pg.T("jury_e_no_minutes_yet"))
	}
	pdf, err := s.db.JuryMinutes(r.Context(), j.ID)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="proces-verbal-jury-%d.pdf"`, j.ID))
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(pdf)
	return err
}

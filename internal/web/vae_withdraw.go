package web

import (
	"net/http"
	"slices"

	"github.com/certibloc/certibloc"
)

// A candidacy is withdrawn at the candidate's request, by them or by
// staff of their school, after a confirmation page: withdrawing cannot be
// undone (a new candidacy can be opened).

// vaeEnded are the states after which nothing more happens.
var vaeEnded = []certibloc.VAEState{certibloc.VAEDecided, certibloc.VAEWithdrawn, certibloc.VAENotAdmissible}

// withdrawView is the confirmation page.
type withdrawView struct {
	Facts   []fact
	Back    string
	Summary *errorSummary
	Fields  []admField
	Action  string
}

func (s *Site) vaeWithdrawForm(w http.ResponseWriter, r *http.Request) error {
	return s.vaeWithdrawPage(w, r, http.StatusOK, formErrors{})
}

func (s *Site) vaeWithdrawPage(w http.ResponseWriter, r *http.Request, status int, errs formErrors) error {
	cd, c, pg, err := s.writableCandidacy(r)
	if err != nil {
		return err
	}
	if slices.Contains(vaeEnded, cd.State) {
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", pg.T("vae_e_ended"))
	}
	pg.Title, pg.Description = pg.T("vae_withdraw_title"), pg.T("vae_withdraw_what")
	v := &withdrawView{Back: vaePath(cd.ID), Action: vaePath(cd.ID) + "/withdraw",
		Facts: []fact{
			{pg.T("vae_certification"), c.Code + " – " + c.Title},
			{pg.T("vae_state"), vaeState(pg, cd.State)},
		},
		Fields: []admField{{Name: "confirm", ID: "f-confirm", Type: "checkboxes", Label: pg.T("vae_withdraw_confirm"),
			Required: true, Options: []option{{"yes", pg.T("vae_withdraw_yes")}}}},
	}
	v.Summary = summarize(pg, v.Fields, errs)
	return s.renderApp(w, status, "vae_withdraw", pg, v)
}

func (s *Site) vaeWithdraw(w http.ResponseWriter, r *http.Request) error {
	cd, _, pg, err := s.writableCandidacy(r)
	if err != nil {
		return err
	}
	if r.PostFormValue("confirm") != "yes" {
		return s.vaeWithdrawPage(w, r, http.StatusBadRequest, formErrors{"confirm": pg.T("vae_e_withdraw_confirm")})
	}
	if err := s.db.WithdrawCandidacy(r.Context(), cd.ID); err != nil {
		return err
	}
	return vaeDone(w, r, cd.ID, "", "withdrawn")
}

package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// The record of a campaign's commissions (issue 11, item 8): each sitting
// of the admissibility or the admission commission, that is its decisions
// taken on one day by the same members, with the candidates, the
// decisions, the scores and the reasons; printed from the browser, the
// print stylesheet leaving the site around it out.

// commissionsView is the record page.
type commissionsView struct {
	Campaign, CampaignURL string
	Sittings              []sittingView
}

// sittingView is one sitting of a commission.
type sittingView struct {
	ID, Title, Members string
	Rows               []sittingRow
}

// sittingRow is a decision of a sitting.
type sittingRow struct {
	Name, Href, Decision, Scores, Reason, Correction string
}

// commissionsPage shows the record of every sitting of a campaign's
// commissions, oldest first.
func (s *Site) commissionsPage(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCampaign(r)
	if err != nil {
		return err
	}
	list, err := s.db.CommissionDecisions(r.Context(), c.ID)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("comm_title_f", c.Title), pg.T("comm_description")
	v := &commissionsView{Campaign: c.Title, CampaignURL: campaignPath(c.ID)}
	index := map[string]int{}
	for _, d := range list {
		stage := "admissibility"
		if d.Kind != certibloc.DecideAdmissible && d.Kind != certibloc.DecideNotAdmissible {
			stage = "admission"
		}
		day := d.DecidedAt.In(paris)
		members := strings.Join(d.Members, ", ")
		key := stage + "|" + day.Format("2006-01-02") + "|" + members
		i, ok := index[key]
		if !ok {
			i = len(v.Sittings)
			index[key] = i
			v.Sittings = append(v.Sittings, sittingView{ID: "sitting-" + strconv.Itoa(i+1),
				Title:   pg.Tf("comm_"+stage+"_f", pg.Date(certibloc.DateOf(day.Date()))),
				Members: members})
		}
		row := sittingRow{Name: d.Name, Href: applicationPath(d.ApplicationID), Decision: kindLabel(pg, d.Kind), Reason: d.Reason}
		if d.Score != nil && d.TestScore != nil {
			row.Scores = pg.Tf("dec_scores_f", mark(pg, *d.Score), mark(pg, *d.TestScore))
		}
		if d.Corrects != 0 {
			row.Correction = pg.T("dec_correction")
		}
		v.Sittings[i].Rows = append(v.Sittings[i].Rows, row)
	}
	return s.renderApp(w, http.StatusOK, "commissions", pg, v)
}

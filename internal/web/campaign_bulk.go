package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// bulkKinds are the decisions taken for a list: the commissions' and
// the scheduling of interviews. Scores are recorded one by one.
var bulkKinds = []certibloc.DecisionKind{certibloc.DecideAdmissible, certibloc.DecideNotAdmissible,
	certibloc.ScheduleInterview, certibloc.DecideAdmitted, certibloc.DecideWaitingList, certibloc.DecideRefused}

// maxBulk bounds the applications of one decision from the page: a page
// of the list, with room to spare.
const maxBulk = 500

// pipelineFilterFields are the fields of the filter form, filled from q.
func pipelineFilterFields(pg *page, c *certibloc.Campaign, q url.Values) []admField {
	states := admField{Name: "state", Type: "select", Options: []option{{"", pg.T("pipe_all")}}}
	for _, st := range certibloc.States {
		states.Options = append(states.Options, option{string(st), stateLabel(pg, st)})
	}
	tracks := admField{Name: "track", Type: "select", Options: []option{{"", pg.T("pipe_all")}}}
	seen := map[certibloc.Track]bool{}
	for _, o := range c.Offers {
		if !seen[o.Track] {
			seen[o.Track] = true
			tracks.Options = append(tracks.Options, option{string(o.Track), pg.Label(string(o.Track))})
		}
	}
	modes := admField{Name: "mode", Type: "select", Options: []option{{"", pg.T("pipe_all")},
		{string(certibloc.Initial), modeLabel(pg, certibloc.Initial)},
		{string(certibloc.Apprenticeship), modeLabel(pg, certibloc.Apprenticeship)}}}
	review := admField{Name: "review", Type: "select", Options: []option{{"", pg.T("pipe_all")},
		{"yes", pg.T("pipe_review_yes")}, {"no", pg.T("pipe_review_no")}}}
	search := admField{Name: "q", Type: "search", MaxLength: "200"}
	sort := admField{Name: "sort", Type: "select"}
	for _, k := range pipelineSorts {
		sort.Options = append(sort.Options, option{k, pg.T("pipe_sort_" + k)})
	}
	fields := []admField{states, tracks, modes, review, search, sort}
	for i := range fields {
		f := &fields[i]
		f.ID, f.Label, f.Value = "filter-"+f.Name, pg.T("pipe_f_"+f.Name), q.Get(f.Name)
	}
	return fields
}

// bulkFields are the fields of the decision on the checked applications;
// members are the commission's members remembered for this visit.
func bulkFields(pg *page, sent *decisionInput, members string) []admField {
	kinds := admField{Name: "kind", Type: "select", Required: true, Options: []option{{"", pg.T("pipe_choose")}}}
	for _, k := range bulkKinds {
		kinds.Options = append(kinds.Options, option{string(k), kindLabel(pg, k)})
	}
	fields := []admField{kinds,
		{Name: "members", Type: "textarea", MaxLength: "2000"},
		{Name: "reason", Type: "textarea", MaxLength: "2000"},
		{Name: "interview_at", Type: "datetime-local"},
		{Name: "place", Type: "text", MaxLength: "300"},
		{Name: "override", Type: "checkboxes", Options: []option{{"yes", pg.T("bulk_override_yes")}}}}
	for i := range fields {
		f := &fields[i]
		f.ID, f.Label, f.Hint = "bulk-"+f.Name, pg.T("dec_f_"+f.Name), pg.msgs["bulk_h_"+f.Name]
		if sent != nil {
			f.Value = sent.Values[f.Name]
		}
	}
	fields[5].Label = pg.T("bulk_f_override")
	if sent != nil && sent.Values["override"] == "yes" {
		fields[5].Values = []string{"yes"}
	}
	if fields[1].Value == "" {
		fields[1].Value = members
	}
	return fields
}

// decideBulk takes one decision for the checked applications of a
// campaign: all of them or, when one cannot take it, none.
func (s *Site) decideBulk(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	c, err := s.loadCampaign(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	d, in := readDecision(pg, r, bulkKinds)
	if in.Errs["kind"] != "" {
		delete(in.Errs, "")
	}
	for _, name := range []string{"kind", "members", "reason", "interview_at", "place", "override"} {
		in.Values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	var warned []int64 // admissible despite the entry rules or missing documents
	checked := map[int64]bool{}
	var ids []int64
	var blocked []string
	for _, raw := range r.PostForm["id"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || checked[id] {
			continue
		}
		a, err := s.db.Application(ctx, id)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND || err == nil && a.CampaignID != c.ID {
			return certibloc.Errorf(certibloc.ENOTFOUND, "no application %d in this campaign", id)
		} else if err != nil {
			return err
		}
		checked[id] = true
		ids = append(ids, id)
		if _, err := certibloc.Next(a.State, d.Kind); err != nil && in.Errs["kind"] == "" {
			blocked = append(blocked, pg.Tf("pipe_blocked_f", a.Name, stateLabel(pg, a.State)))
		}
		if d.Kind == certibloc.DecideAdmissible && ineligible(a) {
			warned = append(warned, a.ID)
		}
	}
	if d.Kind == certibloc.DecideAdmissible && len(ids) > 0 && len(ids) <= maxBulk {
		missing, err := s.db.DocumentsMissing(ctx, ids)
		if err != nil {
			return err
		}
		var names []string
		for _, id := range ids {
			if len(missing[id]) > 0 && !slices.Contains(warned, id) {
				warned = append(warned, id)
			}
		}
		for _, id := range warned {
			a, err := s.db.Application(ctx, id)
			if err != nil {
				return err
			}
			why := pg.T("bulk_ineligible")
			if len(missing[id]) > 0 {
				why = pg.Tf("pipe_docs_missing_f", missingLabels(pg, missing[id]))
				if ineligible(a) {
					why = pg.T("bulk_ineligible") + pg.T("adm_sep") + why
				}
			}
			names = append(names, pg.Tf("pipe_blocked_f", a.Name, why))
		}
		if len(warned) > 0 && in.Values["override"] != "yes" {
			in.Errs["override"] = pg.Tf("bulk_e_override_f", strings.Join(names, pg.T("adm_sep")))
		}
		if len(warned) > 0 && d.Reason == "" {
			in.Errs["reason"] = pg.T("bulk_e_override_reason")
		}
	}
	if commission(d.Kind) && len(d.Members) > 0 {
		s.rememberMembers(w, r, d.Members)
	}
	switch {
	case len(ids) == 0:
		in.Errs[""] = pg.T("pipe_e_none")
	case len(ids) > maxBulk:
		in.Errs[""] = pg.Tf("pipe_e_many_f", maxBulk)
	case len(blocked) > 0:
		in.Errs[""] = pg.Tf("pipe_e_blocked_f", kindLabel(pg, d.Kind), strings.Join(blocked, pg.T("adm_sep")))
	}
	status := http.StatusBadRequest
	if len(in.Errs) == 0 {
		_, err = s.db.Decide(ctx, ids, d) // with the candidates' notices
		switch certibloc.ErrorCode(err) {
		case "":
			q := r.URL.Query()
			q.Set("done", "decided")
			http.Redirect(w, r, campaignPath(c.ID)+"?"+q.Encode(), http.StatusSeeOther)
			return nil
		case certibloc.EINVALID, certibloc.ECONFLICT:
			in.Errs[""], status = errorText(pg, err), http.StatusConflict
		default:
			return err
		}
	}
	return s.renderPipeline(w, r, status, c, "", in, checked)
}

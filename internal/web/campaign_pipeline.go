package web

import (
	"html/template"
	"maps"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// pipelinePage is how many applications a page of the pipeline lists.
const pipelinePage = 50

// pipelineView is the page of a campaign: its filters, the counts per
// state, the funnel, a page of applications with boxes to check for a
// decision on all of them, and the exports.
type pipelineView struct {
	ID          int64
	Notice      string
	Facts       []fact
	Filters     []admField
	Counts      []countRow
	Funnel      template.HTML
	Rows        []pipelineRow
	From, To    int
	Matching    int
	Prev, Next  string
	CSV, XLSX   string
	Action      string // where the decision form posts, the filters kept
	Bulk        []admField
	Summary     *errorSummary
	Agenda      string     // the interview agenda
	Commissions string     // the commissions' printable record
	Checklist   []admField // the documents the campaign requires (campaign_checklist.go)
}

// countRow is the number of applications in a state, a link to them.
type countRow struct {
	Label, Href string
	N           int
}

// pipelineRow is an application of the list.
type pipelineRow struct {
	ID                                              int64
	Href, Name, Offer, Option, State, Verdict, Date string
	Docs                                            string // the required documents present, or those missing
	Review, Checked, Missing                        bool
}

// pipelineSorts are the orders the pipeline offers (sqldb.ApplicationSorts).
var pipelineSorts = []string{"name", "submitted_at", "state"}

// pipelineFilter reads the filters of the query: state, track, mode,
// committee review (yes or no), a name, the order, and where the page
// starts.
func pipelineFilter(c *certibloc.Campaign, q url.Values) sqldb.ApplicationFilter {
	f := sqldb.ApplicationFilter{CampaignID: c.ID, Track: certibloc.Track(q.Get("track")),
		Mode: certibloc.Mode(q.Get("mode")), Search: strings.TrimSpace(q.Get("q"))}
	if contains(pipelineSorts, q.Get("sort")) {
		f.Sort = q.Get("sort")
	}
	if st := certibloc.State(q.Get("state")); contains(stateNames(), string(st)) {
		f.States = []certibloc.State{st}
	}
	switch q.Get("review") {
	case "yes", "no":
		review := q.Get("review") == "yes"
		f.CommitteeReview = &review
	}
	if n, err := strconv.Atoi(q.Get("offset")); err == nil && n > 0 {
		f.Offset = n
	}
	return f
}

func stateNames() []string {
	names := make([]string, len(certibloc.States))
	for i, s := range certibloc.States {
		names[i] = string(s)
	}
	return names
}

// loadCampaign reads the campaign of the path's {id} for staff of its
// school.
func (s *Site) loadCampaign(r *http.Request) (*certibloc.Campaign, error) {
	id, err := pathID(r, "id")
	if err != nil {
		return nil, err
	}
	c, err := s.db.Campaign(r.Context(), id)
	if err != nil {
		return nil, err
	}
	return c, certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.ManageAdmission, c.School)
}

// pipeline shows a campaign's pipeline.
func (s *Site) pipeline(w http.ResponseWriter, r *http.Request) error {
	c, err := s.loadCampaign(r)
	if err != nil {
		return err
	}
	notice := ""
	switch r.URL.Query().Get("done") {
	case "created":
		notice = "camp_done_created"
	case "decided":
		notice = "camp_done_decided"
	case "checklist":
		notice = "camp_done_checklist"
	}
	return s.renderPipeline(w, r, http.StatusOK, c, notice, nil, nil)
}

// renderPipeline writes the pipeline page; sent is the decision form as
// it was sent, with the applications checked, when it is shown again.
func (s *Site) renderPipeline(w http.ResponseWriter, r *http.Request, status int, c *certibloc.Campaign,
	notice string, sent *decisionInput, checked map[int64]bool) error {
	ctx := r.Context()
	q := r.URL.Query()
	q.Del("done")
	f := pipelineFilter(c, q)
	pg := s.page(r, "")
	pg.Title, pg.Description = c.Title, pg.T("pipe_description")
	v := &pipelineView{ID: c.ID, Action: campaignPath(c.ID) + "/decisions?" + q.Encode()}
	if notice != "" {
		v.Notice = pg.T(notice)
	}
	filled, err := s.db.PlacesFilled(ctx, c.ID)
	if err != nil {
		return err
	}
	v.Facts = campaignFacts(pg, c, filled)
	all := f
	all.States, all.Offset = nil, 0
	counts, err := s.db.ApplicationCounts(ctx, all)
	if err != nil {
		return err
	}
	for _, st := range certibloc.States {
		link := url.Values{"state": {string(st)}}
		for _, k := range []string{"track", "mode", "review", "q", "sort"} {
			if q.Get(k) != "" {
				link.Set(k, q.Get(k))
			}
		}
		v.Counts = append(v.Counts, countRow{Label: stateLabel(pg, st), N: counts[st],
			Href: campaignPath(c.ID) + "?" + link.Encode()})
	}
	v.Funnel = funnelSVG(pg, funnelStages(counts))
	f.Limit = pipelinePage
	list, total, err := s.db.Applications(ctx, f)
	if err != nil {
		return err
	}
	v.Matching = total
	ids := make([]int64, len(list))
	for i, a := range list {
		ids[i] = a.ID
	}
	missing, err := s.db.DocumentsMissing(ctx, ids)
	if err != nil {
		return err
	}
	for _, a := range list {
		row := pipelineRowOf(pg, a, checked[a.ID])
		row.Docs, row.Missing = pg.T("pipe_docs_complete"), len(missing[a.ID]) > 0
		if row.Missing {
			row.Docs = pg.Tf("pipe_docs_missing_f", missingLabels(pg, missing[a.ID]))
		}
		v.Rows = append(v.Rows, row)
	}
	if len(list) > 0 {
		v.From, v.To = f.Offset+1, f.Offset+len(list)
	}
	page := func(offset int) string {
		p := maps.Clone(q)
		p.Set("offset", strconv.Itoa(offset))
		return campaignPath(c.ID) + "?" + p.Encode()
	}
	if f.Offset > 0 {
		v.Prev = page(max(f.Offset-pipelinePage, 0))
	}
	if f.Offset+len(list) < total {
		v.Next = page(f.Offset + pipelinePage)
	}
	export := url.Values{}
	for _, k := range []string{"state", "track", "mode", "review", "q", "sort"} {
		if q.Get(k) != "" {
			export.Set(k, q.Get(k))
		}
	}
	v.CSV = campaignPath(c.ID) + "/export.csv?" + export.Encode()
	v.XLSX = campaignPath(c.ID) + "/export.xlsx?" + export.Encode()
	v.Filters = pipelineFilterFields(pg, c, q)
	v.Bulk = bulkFields(pg, sent, s.rememberedMembers(r))
	v.Agenda, v.Commissions = campaignPath(c.ID)+"/agenda", campaignPath(c.ID)+"/commissions"
	v.Checklist = []admField{requiredDocumentsField(pg, c.RequiredDocuments)}
	if sent != nil {
		v.Summary = summarize(pg, v.Bulk, sent.Errs)
	}
	return s.renderApp(w, status, "campaign", pg, v)
}

// pipelineRowOf is the line of an application.
func pipelineRowOf(pg *page, a certibloc.Application, checked bool) pipelineRow {
	row := pipelineRow{ID: a.ID, Href: applicationPath(a.ID), Name: a.Name, Offer: shortOffer(pg, a.Track, a.Mode),
		Option: a.Option, State: stateLabel(pg, a.State), Date: moment(pg, a.SubmittedAt), Checked: checked}
	if e := a.Eligibility; e != nil {
		row.Verdict, row.Review = pg.T("pipe_not_eligible"), e.CommitteeReview
		if e.Eligible {
			row.Verdict = pg.T("pipe_eligible")
		}
	}
	return row
}

// campaignFacts describe a campaign: its dates, options, and offers with
// the places filled (admitted or enrolled) against the places offered.
func campaignFacts(pg *page, c *certibloc.Campaign, filled map[sqldb.OfferKey]int) []fact {
	facts := []fact{{pg.T("camp_col_school"), c.School}, {pg.T("camp_f_year"), strconv.Itoa(c.Year)},
		{pg.T("camp_f_opens_on"), pg.Date(c.OpensOn)}, {pg.T("camp_f_closes_on"), pg.Date(c.ClosesOn)}}
	for _, o := range c.Offers {
		n := filled[sqldb.OfferKey{Track: o.Track, Mode: o.Mode}]
		if o.Places == 0 {
			facts = append(facts, fact{offerLabel(pg, o.Track, o.Mode), pg.Tf("pipe_filled_uncounted_f", n)})
			continue
		}
		facts = append(facts, fact{offerLabel(pg, o.Track, o.Mode), pg.Tf("pipe_filled_f", n, pg.Nf("pipe_places", o.Places))})
	}
	facts = append(facts, fact{pg.T("camp_f_options"), strings.Join(c.Options, ", ")},
		fact{pg.T("camp_f_required_documents"), documentNames(pg, c.RequiredDocuments)})
	return facts
}

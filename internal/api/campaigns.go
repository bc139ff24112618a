package api

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// Admission campaigns. Like the programme sheet, a campaign is public:
// who may apply needs to know when and for what; staff who manage
// admissions create them in their schools and read their pipeline counts.

// campaignInput is the body of POST /api/v1/campaigns.
type campaignInput struct {
	School            string            `json:"school"`
	Programme         string            `json:"programme"`
	CertificationCode string            `json:"certification_code"`
	Version           int               `json:"certification_version"`
	Year              int               `json:"year"`
	Title             string            `json:"title"`
	OpensOn           certibloc.Date    `json:"opens_on"`
	ClosesOn          certibloc.Date    `json:"closes_on"` // 1 July of the year when omitted
	Offers            []certibloc.Offer `json:"offers"`
	Options           []string          `json:"options"`
	RequiredDocuments []string          `json:"required_documents"` // the checklist: kinds of documents required
}

// campaignPatch is the body of PATCH /api/v1/campaigns/{id}: the fields
// staff may change once the campaign runs.
type campaignPatch struct {
	RequiredDocuments *[]string `json:"required_documents"`
}

func (a *API) listCampaigns(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	list, err := a.db.Campaigns(r.Context(), q.Get("school"))
	if err != nil {
		return err
	}
	switch q.Get("open") {
	case "":
	case "true":
		today, open := a.db.Today(), []certibloc.Campaign{}
		for _, c := range list {
			if c.Open(today) {
				open = append(open, c)
			}
		}
		list = open
	default:
		return certibloc.Errorf(certibloc.EINVALID, "query parameter open=%q must be true, or absent", q.Get("open"))
	}
	return writeJSON(w, http.StatusOK, map[string]any{"campaigns": list})
}

func (a *API) getCampaign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "campaign")
	if err != nil {
		return err
	}
	c, err := a.db.Campaign(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, c)
}

func (a *API) createCampaign(w http.ResponseWriter, r *http.Request) error {
	var in campaignInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	c := &certibloc.Campaign{School: in.School, Programme: in.Programme, CertificationCode: in.CertificationCode,
		Version: in.Version, Year: in.Year, Title: in.Title, OpensOn: in.OpensOn, ClosesOn: in.ClosesOn,
		Offers: in.Offers, Options: in.Options, RequiredDocuments: in.RequiredDocuments}
	if c.ClosesOn.IsZero() && c.Year != 0 {
		c.ClosesOn = certibloc.DefaultClosing(c.Year)
	}
	if err := certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.ManageAdmission, schoolCode(c.School)); err != nil {
		return err
	}
	if err := a.db.CreateCampaign(r.Context(), c); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, c)
}

// patchCampaign changes the checklist of documents of a campaign, for
// staff who manage admissions in its school.
func (a *API) patchCampaign(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "campaign")
	if err != nil {
		return err
	}
	var in campaignPatch
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	c, err := a.db.Campaign(r.Context(), id)
	if err != nil {
		return err
	}
	if err := certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.ManageAdmission, c.School); err != nil {
		return err
	}
	if in.RequiredDocuments != nil {
		if c, err = a.db.SetRequiredDocuments(r.Context(), id, *in.RequiredDocuments); err != nil {
			return err
		}
	}
	return writeJSON(w, http.StatusOK, c)
}

// campaignCounts answers how many applications of a campaign are in each
// state: the pipeline and its funnel. The filters of the list of
// applications narrow it (track, mode, committee_review, eligible, q).
func (a *API) campaignCounts(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "campaign")
	if err != nil {
		return err
	}
	c, err := a.db.Campaign(r.Context(), id)
	if err != nil {
		return err
	}
	if err := certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.ManageAdmission, c.School); err != nil {
		return err
	}
	f, err := applicationFilter(r)
	if err != nil {
		return err
	}
	f.CampaignID, f.States = c.ID, nil
	counts, err := a.db.ApplicationCounts(r.Context(), f)
	if err != nil {
		return err
	}
	total := 0
	for _, n := range counts {
		total += n
	}
	return writeJSON(w, http.StatusOK, map[string]any{"campaign_id": c.ID, "total": total, "counts": counts})
}

// pathID reads the positive integer id of a path value, what naming the
// record in the message when it is not one.
func pathID(r *http.Request, name, what string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, certibloc.Errorf(certibloc.EINVALID, "%q is not a %s id", r.PathValue(name), what)
	}
	return id, nil
}

// schoolCode is a school code as a client may write it, as the store
// keeps it.
func schoolCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

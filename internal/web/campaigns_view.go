package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// visibleCampaigns are the campaigns of the schools the principal
// manages: every school's for the admin.
func (s *Site) visibleCampaigns(r *http.Request) ([]certibloc.Campaign, error) {
	p := certibloc.PrincipalFrom(r.Context())
	if p.Role == certibloc.Admin {
		return s.db.Campaigns(r.Context(), "")
	}
	var all []certibloc.Campaign
	for _, school := range p.Schools {
		list, err := s.db.Campaigns(r.Context(), school)
		if err != nil {
			return nil, err
		}
		all = append(all, list...)
	}
	return all, nil
}

// renderCampaigns writes the list of campaigns and the form of a new one
// for prog, filled with values and the open options, with errs.
func (s *Site) renderCampaigns(w http.ResponseWriter, r *http.Request, status int, prog *certibloc.Programme,
	cert *certibloc.Certification, progs []option, values map[string]string, open []string, errs formErrors) error {
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("camp_title"), pg.T("camp_description")
	list, err := s.visibleCampaigns(r)
	if err != nil {
		return err
	}
	v := &campaignsView{Programme: prog.Slug}
	if len(progs) > 1 {
		v.Programmes = progs
	}
	for _, c := range list {
		places := 0
		for _, o := range c.Offers {
			places += o.Places
		}
		v.Campaigns = append(v.Campaigns, campaignRow{Href: campaignPath(c.ID), Title: c.Title, School: c.School,
			Year: c.Year, Opens: pg.Date(c.OpensOn), Closes: pg.Date(c.ClosesOn), Places: strconv.Itoa(places)})
	}
	v.Fields = []admField{
		{Name: "year", Type: "number", Required: true, Min: "2000", Max: "2200"},
		{Name: "title", Type: "text", MaxLength: "200"},
		{Name: "opens_on", Type: "date", Required: true},
		{Name: "closes_on", Type: "date"},
	}
	for _, o := range possibleOffers(cert) {
		v.Fields = append(v.Fields, admField{Name: placesField(o), Type: "number", Min: "0", Max: "9999",
			Label: shortOffer(pg, o.Track, o.Mode)})
	}
	options := admField{Name: "options", Type: "checkboxes", Values: open}
	for _, b := range cert.Blocks {
		if b.Kind == certibloc.Optional {
			options.Options = append(options.Options, option{b.Code, blockLabel(cert, b.Code)})
		}
	}
	if len(options.Options) > 0 {
		v.Fields = append(v.Fields, options)
	}
	v.Fields = append(v.Fields, requiredDocumentsField(pg, strings.Split(values["required_documents"], ",")))
	for i := range v.Fields {
		f := &v.Fields[i]
		f.ID, f.Value = "f-"+f.Name, values[f.Name]
		if f.Hint == "" {
			f.Hint = pg.msgs["camp_h_"+f.Name]
		}
		if f.Label == "" {
			f.Label = pg.T("camp_f_" + f.Name)
		}
	}
	v.Summary = summarize(pg, v.Fields, errs)
	all := v.Fields
	v.Fields = nil
	for _, f := range all {
		switch {
		case strings.HasPrefix(f.Name, "places_"):
			v.Places = append(v.Places, f)
		case f.Name == "options" || f.Name == "required_documents":
			v.Options = append(v.Options, f)
		default:
			v.Fields = append(v.Fields, f)
		}
	}
	return s.renderApp(w, status, "campaigns", pg, v)
}

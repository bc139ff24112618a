package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
)

// campaignsView is the list of campaigns and the form of a new one.
type campaignsView struct {
	Campaigns  []campaignRow
	Programme  string     // slug of the programme the form is for
	Programmes []option   // to choose another, when there are several
	Fields     []admField // the year, the title, the dates
	Places     []admField // the places of each track and mode
	Options    []admField // the optional blocks open, if any
	Summary    *errorSummary
}

// campaignRow is a line of the list.
type campaignRow struct {
	Href, Title, School, Opens, Closes, Places string
	Year                                       int
}

// campaignsPage lists the campaigns of the schools the principal manages
// and offers the form of a new one for a programme (?programme=).
func (s *Site) campaignsPage(w http.ResponseWriter, r *http.Request) error {
	prog, cert, progs, err := s.campaignProgramme(r, r.URL.Query().Get("programme"))
	if err != nil {
		return err
	}
	day := s.db.Today()
	year := day.Year()
	if !day.Before(certibloc.DefaultClosing(year)) {
		year++
	}
	values := map[string]string{"year": strconv.Itoa(year), "opens_on": day.String(),
		"closes_on": certibloc.DefaultClosing(year).String()}
	var open []string
	for _, b := range cert.Blocks {
		if b.Kind == certibloc.Optional {
			open = append(open, b.Code)
		}
	}
	return s.renderCampaigns(w, r, http.StatusOK, prog, cert, progs, values, open, nil)
}

// createCampaign stores the campaign of the form and goes to its pipeline.
func (s *Site) createCampaign(w http.ResponseWriter, r *http.Request) error {
	prog, cert, progs, err := s.campaignProgramme(r, r.PostFormValue("programme"))
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	values := map[string]string{}
	for _, name := range []string{"year", "title", "opens_on", "closes_on"} {
		values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	c := &certibloc.Campaign{School: prog.School.Code, Programme: prog.Slug, CertificationCode: cert.Code,
		Version: cert.Version, Title: values["title"], Options: r.PostForm["options"],
		RequiredDocuments: r.PostForm["required_documents"]}
	values["required_documents"] = strings.Join(c.RequiredDocuments, ",")
	errs := formErrors{}
	if values["year"] == "" {
		errs["year"] = pg.T("adm_err_required")
	}
	atoiField(pg, errs, "year", values["year"], &c.Year)
	dateField(pg, errs, "opens_on", values["opens_on"], &c.OpensOn, true)
	dateField(pg, errs, "closes_on", values["closes_on"], &c.ClosesOn, false)
	if c.ClosesOn.IsZero() && c.Year > 0 {
		c.ClosesOn = certibloc.DefaultClosing(c.Year)
	}
	if c.Title == "" {
		c.Title = pg.Tf("camp_default_title_f", c.Year, prog.Title)
	}
	for _, o := range possibleOffers(cert) {
		name := placesField(o)
		values[name] = strings.TrimSpace(r.PostFormValue(name))
		atoiField(pg, errs, name, values[name], &o.Places)
		if o.Places > 0 {
			c.Offers = append(c.Offers, o)
		}
	}
	if len(errs) == 0 {
		err = c.Validate(cert)
		if err == nil {
			err = s.db.CreateCampaign(r.Context(), c)
		}
		switch certibloc.ErrorCode(err) {
		case "":
			http.Redirect(w, r, campaignPath(c.ID)+"?done=created", http.StatusSeeOther)
			return nil
		case certibloc.EINVALID, certibloc.ECONFLICT:
			campaignError(pg, errs, err)
		default:
			return err
		}
	}
	return s.renderCampaigns(w, r, http.StatusBadRequest, prog, cert, progs, values, c.Options, errs)
}

// campaignError files the domain's error about a campaign under its
// field, in the words of the form.
func campaignError(pg *page, errs formErrors, err error) {
	msg := certibloc.ErrorMessage(err)
	field, _, _ := strings.Cut(msg, " ")
	field = strings.TrimSuffix(field, ":")
	switch field {
	case "year", "opens_on", "closes_on", "options", "required_documents":
		errs[field] = pg.T("camp_e_" + field)
	case "offers":
		errs[""] = pg.T("camp_e_offers")
	default:
		errs[""] = errorText(pg, err)
	}
}

// possibleOffers are the tracks of a certification in both modes, with
// no places yet.
func possibleOffers(cert *certibloc.Certification) []certibloc.Offer {
	var offers []certibloc.Offer
	for _, t := range cert.Tracks() {
		for _, m := range []certibloc.Mode{certibloc.Initial, certibloc.Apprenticeship} {
			offers = append(offers, certibloc.Offer{Track: t, Mode: m})
		}
	}
	return offers
}

// campaignPath is the address of a campaign's pipeline.
func campaignPath(id int64) string { return "/app/campaigns/" + strconv.FormatInt(id, 10) }

// campaignProgramme is the programme a new campaign recruits for (the
// one named, or the first of a school the principal manages), its
// certification, and the programmes to choose from.
func (s *Site) campaignProgramme(r *http.Request, slug string) (*certibloc.Programme, *certibloc.Certification, []option, error) {
	p := certibloc.PrincipalFrom(r.Context())
	list, err := s.db.Programmes(r.Context())
	if err != nil {
		return nil, nil, nil, err
	}
	var progs []option
	for _, sum := range list {
		if p.InSchool(sum.School) {
			progs = append(progs, option{sum.Slug, sum.Title})
			if slug == "" {
				slug = sum.Slug
			}
		}
	}
	if slug == "" {
		return nil, nil, nil, certibloc.Errorf(certibloc.ENOTFOUND, "no programme of your schools is published yet")
	}
	prog, err := s.db.Programme(r.Context(), slug)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := p.Authorize(certibloc.ManageAdmission, prog.School.Code); err != nil {
		return nil, nil, nil, err
	}
	cert, err := s.db.Certification(r.Context(), prog.CertificationCode, prog.Version)
	return prog, cert, progs, err
}

// placesField is the name of the field of an offer's places:
// places_one_year_initial.
func placesField(o certibloc.Offer) string {
	return "places_" + string(o.Track) + "_" + string(o.Mode)
}

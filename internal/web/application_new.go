package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// newApplicationView is the form of a new application to a campaign.
type newApplicationView struct {
	CampaignID int64
	Campaign   string
	Closes     string
	Closed     bool // the campaign no longer takes applications
	Fields     []admField
	Summary    *errorSummary
}

// newApplicationForm shows the form of an application to the campaign
// of ?campaign=, with the candidate's qualifications as recorded.
func (s *Site) newApplicationForm(w http.ResponseWriter, r *http.Request) error {
	person, err := s.candidate(r)
	if err != nil {
		return err
	}
	c, cert, err := s.campaignFor(r, person, r.URL.Query().Get("campaign"))
	if err != nil {
		return err
	}
	values := map[string]string{"level": strconv.Itoa(person.Level), "ects": strconv.Itoa(person.ECTS),
		"experience_months": strconv.Itoa(person.ExperienceMonths)}
	if len(c.Offers) == 1 {
		values["offer"] = offerValue(c.Offers[0])
	}
	return s.renderNewApplication(w, r, http.StatusOK, c, cert, values, nil)
}

// createApplication records the candidate's qualifications when they
// changed, then makes the application, a draft until submitted.
func (s *Site) createApplication(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	person, err := s.candidate(r)
	if err != nil {
		return err
	}
	c, cert, err := s.campaignFor(r, person, r.PostFormValue("campaign"))
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	values := map[string]string{}
	for _, name := range []string{"offer", "option", "level", "ects", "experience_months"} {
		values[name] = strings.TrimSpace(r.PostFormValue(name))
	}
	a := &certibloc.Application{CampaignID: c.ID, PersonID: person.ID, Option: values["option"]}
	errs := formErrors{}
	track, mode, _ := strings.Cut(values["offer"], "/")
	a.Track, a.Mode = certibloc.Track(track), certibloc.Mode(mode)
	if c.Offer(a.Track, a.Mode) == nil {
		errs["offer"] = pg.T("app_e_offer")
	}
	if a.Option != "" && !contains(c.Options, a.Option) {
		errs["option"] = pg.T("app_e_option")
	}
	updated := *person
	for _, f := range []struct {
		name string
		n    *int
	}{{"level", &updated.Level}, {"ects", &updated.ECTS}, {"experience_months", &updated.ExperienceMonths}} {
		if values[f.name] == "" {
			errs[f.name] = pg.T("adm_err_required")
		}
		atoiField(pg, errs, f.name, values[f.name], f.n)
	}
	if len(errs) == 0 {
		// What the store would refuse in English, said in the page's words.
		if !c.Open(s.db.Today()) {
			errs[""] = pg.Tf("app_closed_f", pg.Date(c.ClosesOn))
		} else if _, n, err := s.db.Applications(ctx, sqldb.ApplicationFilter{CampaignID: c.ID, PersonID: person.ID, Limit: 1,
			States: liveStates}); err != nil {
			return err
		} else if n > 0 {
			errs[""] = pg.T("app_e_already")
		}
	}
	if len(errs) == 0 && updated != *person {
		if err := s.db.UpdatePerson(ctx, &updated); certibloc.ErrorCode(err) == certibloc.EINVALID {
			errs = personErrors(pg, err)
		} else if err != nil {
			return err
		}
	}
	if len(errs) == 0 {
		err = s.db.CreateApplication(ctx, a)
		switch certibloc.ErrorCode(err) {
		case "":
			http.Redirect(w, r, applicationPath(a.ID)+"?done=created", http.StatusSeeOther)
			return nil
		case certibloc.EINVALID, certibloc.ECONFLICT:
			errs[""] = errorText(pg, err)
		default:
			return err
		}
	}
	return s.renderNewApplication(w, r, http.StatusBadRequest, c, cert, values, errs)
}

// campaignFor reads a campaign a candidate may apply to: one of their
// school's, and its certification for the names of the options.
func (s *Site) campaignFor(r *http.Request, person *certibloc.Person, id string) (*certibloc.Campaign, *certibloc.Certification, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return nil, nil, certibloc.Errorf(certibloc.ENOTFOUND, "no campaign %q", id)
	}
	c, err := s.db.Campaign(r.Context(), n)
	if err != nil {
		return nil, nil, err
	}
	if c.School != person.School {
		return nil, nil, certibloc.Errorf(certibloc.ENOTFOUND, "no campaign %d", n)
	}
	cert, err := s.db.Certification(r.Context(), c.CertificationCode, c.Version)
	return c, cert, err
}

// offerValue is how a track and mode travel in the form: "one_year/initial".
func offerValue(o certibloc.Offer) string { return string(o.Track) + "/" + string(o.Mode) }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func (s *Site) renderNewApplication(w http.ResponseWriter, r *http.Request, status int, c *certibloc.Campaign,
	cert *certibloc.Certification, values map[string]string, errs formErrors) error {
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("app_new_title_f", c.Title), pg.T("app_new_description")
	v := &newApplicationView{CampaignID: c.ID, Campaign: c.Title, Closes: pg.Date(c.ClosesOn), Closed: !c.Open(s.db.Today())}
	v.Fields = append(choiceFields(pg, c, cert, values), []admField{
		{Name: "level", Type: "number", Required: true, Min: "0", Max: "8", Value: values["level"]},
		{Name: "ects", Type: "number", Required: true, Min: "0", Max: "600", Value: values["ects"]},
		{Name: "experience_months", Type: "number", Required: true, Min: "0", Max: "600", Value: values["experience_months"]},
	}...)
	labelFields(pg, v.Fields)
	v.Summary = summarize(pg, v.Fields, errs)
	return s.renderApp(w, status, "application_new", pg, v)
}

// choiceFields are the fields of a choice: the offers of the campaign
// (track and mode, as radios) and its open options, "none" first.
func choiceFields(pg *page, c *certibloc.Campaign, cert *certibloc.Certification, values map[string]string) []admField {
	offers := admField{Name: "offer", Type: "radio", Required: true, Value: values["offer"]}
	for _, o := range c.Offers {
		offers.Options = append(offers.Options, option{offerValue(o), pg.Nf("app_offer", o.Places, offerLabel(pg, o.Track, o.Mode))})
	}
	options := admField{Name: "option", Type: "radio", Value: values["option"],
		Options: []option{{"", pg.T("app_option_none")}}}
	for _, code := range c.Options {
		options.Options = append(options.Options, option{code, blockLabel(cert, code)})
	}
	fields := []admField{offers, options}
	labelFields(pg, fields)
	return fields
}

// labelFields gives the fields of an application's forms their ids,
// labels and hints, by their names.
func labelFields(pg *page, fields []admField) {
	for i := range fields {
		f := &fields[i]
		f.ID, f.Label, f.Hint = "f-"+f.Name, pg.T("app_f_"+f.Name), pg.msgs["app_h_"+f.Name]
	}
}

// liveStates are the states of an application that stops its candidate
// from applying again to its campaign: all but withdrawn.
var liveStates = slices.DeleteFunc(slices.Clone(certibloc.States), func(s certibloc.State) bool { return s == certibloc.Withdrawn })

package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// The admission pages: a candidate signs up, applies to an open campaign,
// uploads documents and submits (signup.go, applications*.go, documents.go);
// staff run campaigns and their pipeline, take the commissions' decisions
// and enrol the admitted in cohorts (campaign*.go, decisions.go, cohort*.go).
func init() {
	registerPage("signup", "templates/signup.html", "templates/adm_fields.html")
	registerPage("applications", "templates/applications.html")
	registerPage("application_new", "templates/application_new.html", "templates/adm_fields.html")
	registerPage("application", "templates/application.html", "templates/adm_fields.html")
	registerPage("campaigns", "templates/campaigns.html", "templates/adm_fields.html")
	registerPage("campaign", "templates/campaign.html", "templates/adm_fields.html")
	registerPage("cohorts", "templates/cohorts.html", "templates/adm_fields.html")
	registerPage("cohort", "templates/cohort.html", "templates/adm_fields.html", "templates/fairness.html")
}

// admField is one field of the admission forms, with all the page needs
// to write it accessibly: its label, hint and error tied to it.
type admField struct {
	Name, ID, Label, Hint, Error string
	Type                         string // text, email, date, datetime-local, number, select, textarea, radio, checkboxes
	Value                        string
	Values                       []string // the checked boxes of "checkboxes"
	Autocomplete                 string
	Required                     bool
	Options                      []option // of a select, radios or check boxes
	Min, Max, Step, MaxLength    string
	InputMode                    string // the keyboard of a phone: decimal, numeric
	Accept                       string // of a file: the types the server takes, for the picker
}

// DescribedBy is the value of aria-describedby: the hint and the error.
func (f admField) DescribedBy() string {
	var ids []string
	if f.Hint != "" {
		ids = append(ids, f.ID+"-hint")
	}
	if f.Error != "" {
		ids = append(ids, f.ID+"-error")
	}
	return strings.Join(ids, " ")
}

// Anchor is where the error summary leads: the field, or the first
// choice of a group.
func (f admField) Anchor() string {
	if f.Type == "radio" || f.Type == "checkboxes" {
		return f.ID + "-0"
	}
	return f.ID
}

// Checked reports whether a box of "checkboxes" is checked.
func (f admField) Checked(v string) bool {
	for _, x := range f.Values {
		if x == v {
			return true
		}
	}
	return false
}

// errorSummary is the list of a form's errors at its top, each linked to
// its field.
type errorSummary struct {
	Title string
	Items []fieldError
}

// summarize fills the fields' errors from errs (message by field name,
// "" for the form) and returns the summary, nil when all is well.
func summarize(pg *page, fields []admField, errs formErrors) *errorSummary {
	if len(errs) == 0 {
		return nil
	}
	sum := &errorSummary{Title: pg.T("adm_errors")}
	if msg := errs[""]; msg != "" {
		anchor := "main"
		if len(fields) > 0 {
			anchor = fields[0].Anchor()
		}
		sum.Items = append(sum.Items, fieldError{anchor, msg})
	}
	for i := range fields {
		if msg, ok := errs[fields[i].Name]; ok && msg != "" {
			fields[i].Error = msg
			sum.Items = append(sum.Items, fieldError{fields[i].Anchor(), fields[i].Label + pg.T("colon") + " " + msg})
		}
	}
	return sum
}

// pathID reads a numeric {name} of the path; anything else is not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, certibloc.Errorf(certibloc.ENOTFOUND, "no %s %q", name, r.PathValue(name))
	}
	return id, nil
}

// stateLabel, modeLabel and kindLabel name the values of the workflow.
func stateLabel(pg *page, s certibloc.State) string { return pg.T("state_" + string(s)) }

func modeLabel(pg *page, m certibloc.Mode) string { return pg.T("mode_" + string(m)) }

func kindLabel(pg *page, k certibloc.DecisionKind) string { return pg.T("decision_" + string(k)) }

// offerLabel is "Cursus de formation en 1 an – Formation initiale".
func offerLabel(pg *page, t certibloc.Track, m certibloc.Mode) string {
	return pg.Label(string(t)) + " – " + modeLabel(pg, m)
}

// shortOffer is "1 an – Formation initiale", for the columns of a list.
func shortOffer(pg *page, t certibloc.Track, m certibloc.Mode) string {
	track, ok := pg.msgs["short_"+string(t)]
	if !ok {
		track = pg.Label(string(t))
	}
	return track + " – " + modeLabel(pg, m)
}

// blockLabel is "RNCP38478BC04 – Orchestrer l'infrastructure cloud", or
// the code alone when the certification does not know it.
func blockLabel(cert *certibloc.Certification, code string) string {
	if cert != nil {
		if b := cert.Block(code); b != nil {
			return code + " – " + b.Title
		}
	}
	return code
}

// moment writes a time of the workflow in Paris time: 21/12/2023 14:30,
// or 21 December 2023 14:30 in English.
func moment(pg *page, t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	p := t.In(paris)
	if pg.Lang == "en" {
		return p.Format("2 January 2006 15:04")
	}
	return p.Format("02/01/2006 15:04")
}

// atoiField reads a whole number of a form, or says it is not one.
func atoiField(pg *page, errs formErrors, name, value string, n *int) {
	if value == "" {
		return
	}
	v, err := strconv.Atoi(strings.TrimSpace(value))
	if err != nil {
		errs[name] = pg.T("adm_err_number")
		return
	}
	*n = v
}

// dateField reads a YYYY-MM-DD date of a form.
func dateField(pg *page, errs formErrors, name, value string, d *certibloc.Date, required bool) {
	if value == "" {
		if required {
			errs[name] = pg.T("adm_err_required")
		}
		return
	}
	v, err := certibloc.ParseDate(value)
	if err != nil {
		errs[name] = pg.T("adm_err_date")
		return
	}
	*d = v
}

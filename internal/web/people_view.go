package web

import (
	"github.com/certibloc/certibloc"
)

// personView is the page of a person: a form for whoever may edit them,
// their record read-only for anyone else allowed to see it (the person
// themselves among them).
type personView struct {
	ID       int64
	New      bool
	Editable bool
	Action   string // where the form posts
	Groups   []fieldGroup
	Errors   []fieldError // the summary at the top, each linked to its field
	Notice   string       // "saved"
	Erased   string       // when the person was erased
	// Links to the other records of the person the viewer may open.
	Disability, Export, Evaluations string
	Path                            string // the blocks acquired and what remains (juries_path.go)
	Credentials                     string // the Open Badges (credentials.go)
	Documents                       string // the documents issued (issued.go)
	AuditID                         int64  // the history link, for who may read it
}

// fieldGroup is a fieldset of the form: identity, contacts, path.
type fieldGroup struct {
	Legend string
	Fields []fieldView
}

// fieldView is one field of a form, with all the page needs to write it
// accessibly: its label, hint and error tied to it.
type fieldView struct {
	Name, ID, Label, Hint, Error string
	Type                         string // text, date, email, tel, number, select, textarea
	Value, Shown                 string // the value in the form; as read on the page
	Autocomplete                 string
	Required                     bool
	Options                      []option // of a select
	Min, Max, MaxLength          string
}

// DescribedBy is the value of aria-describedby: the hint and the error.
func (f fieldView) DescribedBy() string {
	var ids string
	if f.Hint != "" {
		ids = f.ID + "-hint"
	}
	if f.Error != "" {
		if ids != "" {
			ids += " "
		}
		ids += f.ID + "-error"
	}
	return ids
}

// fieldError is a line of the error summary.
type fieldError struct{ ID, Message string }

// field describes a field of the person form: its type, autocomplete
// token (the person's own data only: staff typing someone else's identity
// must not be offered their own), and limits.
type field struct {
	name, typ, autocomplete string
	required                bool
	min, max, maxLength     string
}

var personGroups = []struct {
	legend string
	fields []field
}{
	{"people_identity", []field{
		{name: "school", typ: "select", required: true},
		{name: "birth_name", typ: "text", autocomplete: "family-name", required: true, maxLength: "200"},
		{name: "usage_name", typ: "text", maxLength: "200"},
		{name: "first_names", typ: "text", autocomplete: "given-name", required: true, maxLength: "200"},
		{name: "birth_date", typ: "date", autocomplete: "bday", min: "1900-01-01"},
		{name: "sex", typ: "select", autocomplete: "sex"},
		{name: "birth_place", typ: "text", maxLength: "5"},
		{name: "birth_country", typ: "text", autocomplete: "country", maxLength: "2"},
		{name: "nationality", typ: "text", maxLength: "2"},
	}},
	{"people_contacts", []field{
		{name: "email", typ: "email", autocomplete: "email", maxLength: "254"},
		{name: "phone", typ: "tel", autocomplete: "tel", maxLength: "40"},
		{name: "address", typ: "textarea", autocomplete: "street-address", maxLength: "500"},
	}},
	{"people_path", []field{
		{name: "level", typ: "number", min: "0", max: "8"},
		{name: "ects", typ: "number", min: "0"},
		{name: "experience_months", typ: "number", min: "0"},
	}},
}

// fill lays out the form's groups with the values of f and the errors,
// and the error summary.
func (v *personView) fill(pg *page, f personForm, errs formErrors, schools []option, self bool) {
	sexes := []option{{"", pg.T("people_sex_none")}, {"F", pg.T("people_sex_F")}, {"M", pg.T("people_sex_M")}}
	if msg := errs[""]; msg != "" {
		v.Errors = append(v.Errors, fieldError{"f-" + personFields[0], msg})
	}
	for _, g := range personGroups {
		group := fieldGroup{Legend: pg.T(g.legend)}
		for _, fd := range g.fields {
			fv := fieldView{Name: fd.name, ID: "f-" + fd.name, Label: pg.T("people_f_" + fd.name),
				Hint: pg.msgs["people_h_"+fd.name], Error: errs[fd.name], Type: fd.typ, Value: f[fd.name],
				Required: fd.required, Min: fd.min, Max: fd.max, MaxLength: fd.maxLength, Autocomplete: "off"}
			if self && fd.autocomplete != "" {
				fv.Autocomplete = fd.autocomplete
			}
			fv.Shown = fv.Value
			switch fd.name {
			case "school":
				fv.Options = schools
			case "sex":
				fv.Options = sexes
			case "birth_date":
				if d, err := certibloc.ParseDate(fv.Value); err == nil {
					fv.Shown = pg.Date(d)
				}
			}
			for _, o := range fv.Options {
				if o.Value == fv.Value {
					fv.Shown = o.Label
				}
			}
			if fv.Error != "" {
				v.Errors = append(v.Errors, fieldError{fv.ID, fv.Label + pg.T("colon") + " " + fv.Error})
			}
			group.Fields = append(group.Fields, fv)
		}
		v.Groups = append(v.Groups, group)
	}
}

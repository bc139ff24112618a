package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

func init() {
	registerPage("people", "templates/people.html")
	registerPage("person", "templates/person.html")
	registerPage("me", "templates/me.html")
	menu = append(menu,
		menuEntry{"/app/people", "menu_people", certibloc.ReadPeople},
		menuEntry{"/app/schools", "menu_schools", certibloc.ManageSchools},
		menuEntry{"/app/me", "menu_me", certibloc.ExportOwnData})
}

// peopleView is the list of people: the search form, a page of people,
// and the links to the pages around it.
type peopleView struct {
	Search, School  string
	Schools         []option // the schools to narrow the list to, when more than one
	People          []personRow
	Total, From, To int
	Prev, Next      string
	CanCreate       bool
}

// personRow is a line of the list.
type personRow struct {
	Href, Name, FirstNames, School, BirthDate string
}

// peopleList lists the people the principal may see, by name, with a
// search by name and a school.
func (s *Site) peopleList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	p := certibloc.PrincipalFrom(r.Context())
	f := sqldb.PeopleFilter{Search: q.Get("q"), School: q.Get("school"), Offset: pageOf(r)}
	f.Scope(p)
	page, err := s.db.People(r.Context(), f)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("people_title"), pg.T("people_description")
	v := &peopleView{Search: f.Search, School: f.School, Total: page.Total, CanCreate: p.Can(certibloc.WritePeople)}
	if v.Schools, err = s.schoolOptions(r); err != nil {
		return err
	}
	if len(v.Schools) < 2 {
		v.Schools = nil
	}
	for _, person := range page.People {
		v.People = append(v.People, personRow{Href: personPath(person.ID), Name: person.BirthName,
			FirstNames: person.FirstNames, School: person.School, BirthDate: pg.Date(person.BirthDate)})
		if person.UsageName != "" {
			v.People[len(v.People)-1].Name += " (" + person.UsageName + ")"
		}
	}
	if len(v.People) > 0 {
		v.From, v.To = page.Offset+1, page.Offset+len(v.People)
	}
	link := func(offset int) string {
		q.Set("offset", strconv.Itoa(offset))
		return "/app/people?" + q.Encode()
	}
	if page.Offset > 0 {
		v.Prev = link(max(page.Offset-page.Limit, 0))
	}
	if page.Offset+len(page.People) < page.Total {
		v.Next = link(page.Offset + page.Limit)
	}
	return s.renderApp(w, http.StatusOK, "people", pg, v)
}

// newPersonForm shows the empty form of a new person.
func (s *Site) newPersonForm(w http.ResponseWriter, r *http.Request) error {
	f := personForm{"level": "0", "ects": "0", "experience_months": "0"}
	if schools, _ := s.schoolOptions(r); len(schools) == 1 {
		f["school"] = schools[0].Value
	}
	return s.renderPerson(w, r, http.StatusOK, &personView{New: true, Editable: true}, f, formErrors{})
}

// createPerson stores the person of the form and goes to their page; a
// wrong form comes back with what was wrong, by field.
func (s *Site) createPerson(w http.ResponseWriter, r *http.Request) error {
	f, err := readPersonForm(w, r)
	if err != nil {
		return err
	}
	v := &personView{New: true, Editable: true}
	p, errs := f.person(s.page(r, ""), 0)
	if errs == nil {
		err = certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.WritePeople, p.School)
		if err == nil {
			err = s.db.CreatePerson(r.Context(), p)
		}
		if certibloc.ErrorCode(err) != certibloc.EINVALID {
			if err != nil {
				return err
			}
			http.Redirect(w, r, personPath(p.ID)+"?done=created", http.StatusSeeOther)
			return nil
		}
		errs = formErrors{}
		errs.add(s.page(r, ""), err, personFields)
	}
	return s.renderPerson(w, r, http.StatusBadRequest, v, f, errs)
}

// personPage shows a person: the form for whoever may edit them, their
// record for anyone else allowed to see it, the person themselves included.
func (s *Site) personPage(w http.ResponseWriter, r *http.Request) error {
	p, self, err := s.loadPerson(r, certibloc.ReadPeople, true)
	if err != nil {
		return err
	}
	v := &personView{ID: p.ID, Editable: p.ErasedAt == nil &&
		certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.WritePeople, p.School) == nil}
	switch r.URL.Query().Get("done") {
	case "created":
		v.Notice = "people_created"
	case "saved":
		v.Notice = "people_saved"
	}
	s.personLinks(r, v, p, self)
	return s.renderPerson(w, r, http.StatusOK, v, formOf(p), formErrors{})
}

// updatePerson saves the form of a person and comes back to their page.
func (s *Site) updatePerson(w http.ResponseWriter, r *http.Request) error {
	before, self, err := s.loadPerson(r, certibloc.WritePeople, false)
	if err != nil {
		return err
	}
	f, err := readPersonForm(w, r)
	if err != nil {
		return err
	}
	v := &personView{ID: before.ID, Editable: true}
	s.personLinks(r, v, before, self)
	p, errs := f.person(s.page(r, ""), before.ID)
	if errs == nil {
		err = certibloc.PrincipalFrom(r.Context()).Authorize(certibloc.WritePeople, p.School)
		if err == nil {
			err = s.db.UpdatePerson(r.Context(), p)
		}
		if certibloc.ErrorCode(err) != certibloc.EINVALID {
			if err != nil {
				return err
			}
			http.Redirect(w, r, personPath(p.ID)+"?done=saved", http.StatusSeeOther)
			return nil
		}
		errs = formErrors{}
		errs.add(s.page(r, ""), err, personFields)
	}
	return s.renderPerson(w, r, http.StatusBadRequest, v, f, errs)
}

// personLinks adds to a person's page the links to their other records
// that the viewer may open.
func (s *Site) personLinks(r *http.Request, v *personView, p *certibloc.Person, self bool) {
	pr := certibloc.PrincipalFrom(r.Context())
	if self || pr.Authorize(certibloc.ReadDisability, p.School) == nil {
		v.Disability = personPath(p.ID) + "/disability"
	}
	if self {
		v.Export = "/app/me/export"
	}
	if self || pr.Authorize(certibloc.ReadPeople, p.School) == nil {
		v.Path = personPath(p.ID) + "/path"
		v.Credentials = personPath(p.ID) + "/credentials"
		v.Documents = personPath(p.ID) + "/documents"
	}
	if self || pr.Authorize(certibloc.ManageEvaluations, p.School) == nil {
		v.Evaluations = personPath(p.ID) + "/evaluations"
	}
	if pr.Authorize(certibloc.ReadAudit, p.School) == nil {
		v.AuditID = p.ID
	}
	if p.ErasedAt != nil {
		v.Erased = p.ErasedAt.Format("2006-01-02")
	}
}

// renderPerson writes the page of a person, or of a new one.
func (s *Site) renderPerson(w http.ResponseWriter, r *http.Request, status int, v *personView, f personForm, errs formErrors) error {
	pg := s.page(r, "")
	pg.Title = pg.T("people_new")
	if !v.New {
		p := certibloc.Person{BirthName: f["birth_name"], UsageName: f["usage_name"], FirstNames: f["first_names"]}
		pg.Title = p.DisplayName()
	}
	pg.Description = pg.T("people_description")
	if v.Notice != "" {
		v.Notice = pg.T(v.Notice)
	}
	for k, msg := range errs {
		if t, ok := pg.msgs["people_e_"+k]; ok && k != "" {
			errs[k] = t
		} else {
			errs[k] = msg
		}
	}
	v.Action = "/app/people"
	if !v.New {
		v.Action = personPath(v.ID)
	}
	schools, err := s.schoolOptions(r)
	if err != nil {
		return err
	}
	self := certibloc.PrincipalFrom(r.Context()).PersonID == v.ID && v.ID != 0
	v.fill(pg, f, errs, schools, self)
	return s.renderApp(w, status, "person", pg, v)
}

// renderApp writes a signed-in page: never cached, since it shows
// personal data.
func (s *Site) renderApp(w http.ResponseWriter, status int, name string, pg *page, body any) error {
	pg.Body = body
	var buf bytes.Buffer
	if err := s.pages.render(&buf, name, pg); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// me leads whoever is signed in to their own record, where they read it
// and download everything held about them; an account without a person
// (most staff) is told so.
func (s *Site) me(w http.ResponseWriter, r *http.Request) error {
	if id := certibloc.PrincipalFrom(r.Context()).PersonID; id != 0 {
		http.Redirect(w, r, personPath(id), http.StatusSeeOther)
		return nil
	}
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("me_title"), pg.T("me_title")
	return s.renderApp(w, http.StatusOK, "me", pg, nil)
}

// myExport answers everything held about the signed-in person (GDPR),
// their disability record included, as a JSON file to keep.
func (s *Site) myExport(w http.ResponseWriter, r *http.Request) error {
	id := certibloc.PrincipalFrom(r.Context()).PersonID
	if id == 0 {
		return certibloc.Errorf(certibloc.ENOTFOUND, "%s", messages[lang(r)]["me_none"])
	}
	x, err := s.db.ExportPerson(r.Context(), id, sqldb.ExportScope{Disability: true, MailText: true})
	if err != nil {
		return err
	}
	b, err := json.MarshalIndent(x, "", "  ")
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="certibloc-mes-donnees.json"`)
	h.Set("Cache-Control", "no-store")
	_, err = w.Write(append(b, '\n'))
	return err
}

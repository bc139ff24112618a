package web

import (
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The jury pages: the certifier convenes juries (juries_new.go); each
// member reads the juries they sit on, declares conflicts of interest and
// follows the deliberation (juries_jury.go); for each candidate the
// engine's proposal with its explanation and the chair's decision
// (juries_candidate.go); closing after a check of what it will do
// (juries_close.go); a person's path from the ledger (juries_path.go).
func init() {
	registerPage("juries", "templates/juries.html")
	registerPage("juries_new", "templates/juries_new.html", "templates/adm_fields.html")
	registerPage("juries_jury", "templates/juries_jury.html", "templates/adm_fields.html")
	registerPage("juries_candidate", "templates/juries_candidate.html", "templates/adm_fields.html")
	registerPage("juries_close", "templates/juries_close.html", "templates/adm_fields.html")
	registerPage("juries_path", "templates/juries_path.html")
	menu = append(menu, menuEntry{"/app/juries", "menu_juries", certibloc.SitJury})
}

// Option configures the site.
type Option func(*Site)

// WithMinutes is how the site renders the minutes of a jury it closes
// (the PDF of the documents package); without it, closing is refused.
func WithMinutes(m sqldb.Minutes) Option { return func(s *Site) { s.minutes = m } }

// juryRoutes are the jury pages. Convening needs ManageJuries; the other
// pages SitJury, and then a seat on the jury (or ManageJuries): anyone
// else is told no such jury exists. The chair, or the certifier, records
// decisions and closes.
func (s *Site) juryRoutes() []Route {
	return []Route{
		{"GET /app/juries", certibloc.SitJury, s.juriesPage},
		{"GET /app/juries/new", certibloc.ManageJuries, s.newJuryForm},
		{"POST /app/juries", certibloc.ManageJuries, s.createJury},
		{"GET /app/juries/{id}", certibloc.SitJury, s.juryPage},
		{"POST /app/juries/{id}/declarations", certibloc.SitJury, s.declare},
		{"GET /app/juries/{id}/candidates/{person}", certibloc.SitJury, s.candidatePage},
		{"POST /app/juries/{id}/candidates/{person}", certibloc.SitJury, s.decide},
		{"POST /app/juries/{id}/candidates/{person}/correction", certibloc.SitJury, s.correct},
		{"GET /app/juries/{id}/close", certibloc.SitJury, s.closeCheck},
		{"POST /app/juries/{id}/close", certibloc.SitJury, s.closeJury},
		{"GET /app/juries/{id}/minutes", certibloc.SitJury, s.minutesFile},
		{"GET /app/people/{id}/path", certibloc.SignedIn, s.pathPage},
	}
}

// juryPath is the address of a jury's page.
func juryPath(id int64) string { return "/app/juries/" + strconv.FormatInt(id, 10) }

// candidatePath is the address of a candidate's deliberation.
func candidatePath(jury, person int64) string {
	return juryPath(jury) + "/candidates/" + strconv.FormatInt(person, 10)
}

// seat is the principal's place on a jury: none, a member, the chair.
type seat struct {
	member, chair bool
	manager       bool // the certifier, who sees every jury and may act as the chair
}

// decides reports whether the seat records decisions and closes.
func (st seat) decides() bool { return st.chair || st.manager }

func seatOf(p *certibloc.Principal, j *certibloc.JurySession) seat {
	st := seat{manager: p.Can(certibloc.ManageJuries)}
	for _, m := range j.Members {
		if p.AccountID != 0 && m.AccountID == p.AccountID {
			st.member = true
			st.chair = st.chair || m.Role == certibloc.JuryChair
		}
	}
	return st
}

// loadJury reads the jury of the path's {id} for its members and the
// certifier; to anyone else it does not exist.
func (s *Site) loadJury(r *http.Request) (*certibloc.JurySession, seat, error) {
	pg := s.page(r, "")
	id, err := pathID(r, "id")
	if err != nil {
		return nil, seat{}, certibloc.Errorf(certibloc.ENOTFOUND, "%s", pg.T("jury_e_notfound"))
	}
	j, err := s.db.Jury(r.Context(), id)
	if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		return nil, seat{}, certibloc.Errorf(certibloc.ENOTFOUND, "%s", pg.T("jury_e_notfound"))
	} else if err != nil {
		return nil, seat{}, err
	}
	st := seatOf(certibloc.PrincipalFrom(r.Context()), j)
	if !st.member && !st.manager {
		return nil, seat{}, certibloc.Errorf(certibloc.ENOTFOUND, "%s", pg.T("jury_e_notfound"))
	}
	return j, st, nil
}

// juryTitle is "Jury du 01/07/2027 – Dijon".
func juryTitle(pg *page, j *certibloc.JurySession) string {
	return pg.Tf("jury_title_f", pg.Date(j.Date), j.Place)
}

// juryRow is a line of the list of juries.
type juryRow struct {
	Href, Title, Certification, State, Role string
	Members, Candidates                     int
}

// juriesView is the list of juries.
type juriesView struct {
	Juries    []juryRow
	CanCreate bool
	Notice    string
}

// juriesPage lists every jury to the certifier, and to a member the
// juries they sit on.
func (s *Site) juriesPage(w http.ResponseWriter, r *http.Request) error {
	p := certibloc.PrincipalFrom(r.Context())
	all, err := s.db.Juries(r.Context())
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("jury_list_title"), pg.T("jury_list_description")
	v := &juriesView{CanCreate: p.Can(certibloc.ManageJuries)}
	for i := range all {
		j := &all[i]
		st := seatOf(p, j)
		if !st.member && !st.manager {
			continue
		}
		row := juryRow{Href: juryPath(j.ID), Title: juryTitle(pg, j), State: pg.T("jury_state_" + j.State),
			Certification: pg.Tf("coh_version_f", j.Certification, j.Version), Members: len(j.Members), Candidates: len(j.Candidates)}
		switch {
		case st.chair:
			row.Role = pg.T("jury_role_chair")
		case st.member:
			row.Role = pg.T("jury_you_member")
		}
		v.Juries = append(v.Juries, row)
	}
	return s.renderApp(w, http.StatusOK, "juries", pg, v)
}

// problemsIn words the problems of an error in the page's language, the
// candidates named rather than numbered; nil when err is not Problems.
func (s *Site) problemsIn(r *http.Request, pg *page, err error) []string {
	ps, ok := err.(certibloc.Problems)
	if !ok {
		return nil
	}
	l := certibloc.French
	if pg.Lang == "en" {
		l = certibloc.English
	}
	out := make([]string, len(ps))
	for i, p := range ps {
		switch {
		case p.Code == "override_reason" && p.Value == "title":
			p.Value = pg.T("jury_the_title")
		case p.Code == "undecided":
			if id, err := strconv.ParseInt(p.Value, 10, 64); err == nil {
				p.Value = s.personName(r, id)
			}
		}
		out[i] = p.In(l)
	}
	return out
}

// personName is a person's name as the pages show it.
func (s *Site) personName(r *http.Request, id int64) string {
	p, err := s.db.Person(r.Context(), id)
	if err != nil {
		return "#" + strconv.FormatInt(id, 10)
	}
	return p.DisplayName()
}

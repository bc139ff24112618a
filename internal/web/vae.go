package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The VAE pages (issue 10): a candidate opens a candidacy for blocks of a
// certification, describes their experience and adds proofs, saved as
// they type (vae_candidacy.go); once admissible they write their dossier,
// one answer per competency, which their accompanist comments
// (vae_dossier.go); the certifier decides feasibility after a check step,
// staff assign the accompanist, the oral is scheduled before an open jury,
// and after a partial VAE the person is enrolled in a cohort for the rest
// (vae_staff.go). The store decides who may see and change what; these
// pages word its refusals in the page's language.
func init() {
	registerPage("vae_list", "templates/vae_list.html", "templates/adm_fields.html")
	registerPage("vae_new", "templates/vae_new.html", "templates/adm_fields.html")
	registerPage("vae", "templates/vae.html", "templates/adm_fields.html")
	registerPage("vae_dossier", "templates/vae_dossier.html", "templates/adm_fields.html")
	registerPage("vae_feasibility", "templates/vae_feasibility.html", "templates/adm_fields.html")
	registerPage("vae_withdraw", "templates/vae_withdraw.html", "templates/adm_fields.html")
	menu = append(menu, menuEntry{"/app/vae", "menu_vae", certibloc.ReadPeople}, menuEntry{"/app/vae", "menu_my_vae", certibloc.Apply})
}

// vaeRoutes are the VAE pages. Most need only to be signed in: the store
// lets the candidate, staff of their school, their accompanist and the
// certifier see a candidacy, and each of them do their part.
func (s *Site) vaeRoutes() []Route {
	return []Route{
		{"GET /app/vae", certibloc.SignedIn, s.vaeList},
		{"GET /app/vae/new", certibloc.Apply, s.vaeNewForm},
		{"POST /app/vae", certibloc.Apply, s.vaeCreate},
		{"GET /app/vae/{id}", certibloc.SignedIn, s.vaePage},
		{"POST /app/vae/{id}", certibloc.SignedIn, s.vaeSave},
		{"POST /app/vae/{id}/submit", certibloc.SignedIn, s.vaeSubmit},
		{"POST /app/vae/{id}/proofs", certibloc.SignedIn, s.vaeAddProof},
		{"GET /app/vae/{id}/proofs/{proof}", certibloc.SignedIn, s.vaeProof},
		{"GET /app/vae/{id}/dossier", certibloc.SignedIn, s.vaeDossierPage},
		{"POST /app/vae/{id}/dossier", certibloc.SignedIn, s.vaeSaveDossier},
		{"POST /app/vae/{id}/dossier/submit", certibloc.SignedIn, s.vaeSubmitDossier},
		{"POST /app/vae/{id}/comments", certibloc.SignedIn, s.vaeComment},
		{"GET /app/vae/{id}/feasibility", certibloc.ManageJuries, s.vaeFeasibilityForm},
		{"POST /app/vae/{id}/feasibility", certibloc.ManageJuries, s.vaeFeasibility},
		{"POST /app/vae/{id}/accompanist", certibloc.WritePeople, s.vaeAccompanist},
		{"POST /app/vae/{id}/oral", certibloc.ManageJuries, s.vaeOral},
		{"POST /app/vae/{id}/enrolment", certibloc.ManageAdmission, s.vaeEnrol},
		{"GET /app/vae/{id}/withdraw", certibloc.SignedIn, s.vaeWithdrawForm},
		{"POST /app/vae/{id}/withdraw", certibloc.SignedIn, s.vaeWithdraw},
	}
}

// vaePath is the address of a candidacy's page.
func vaePath(id int64) string { return "/app/vae/" + strconv.FormatInt(id, 10) }

// vaeStates are the states in the order a candidacy goes through them,
// for the steps shown at a glance.
var vaeSteps = []certibloc.VAEState{certibloc.VAEDraft, certibloc.VAESubmitted, certibloc.VAEAdmissible,
	certibloc.VAEDossierSubmitted, certibloc.VAEOralScheduled, certibloc.VAEDecided}

// vaeStates are every state, for the list's filter.
var vaeStates = []certibloc.VAEState{certibloc.VAEDraft, certibloc.VAESubmitted, certibloc.VAEIncomplete,
	certibloc.VAENotAdmissible, certibloc.VAEAdmissible, certibloc.VAEDossierSubmitted, certibloc.VAEOralScheduled,
	certibloc.VAEDecided, certibloc.VAEWithdrawn}

func vaeState(pg *page, st certibloc.VAEState) string { return pg.T("vae_state_" + string(st)) }

// loadCandidacy reads the candidacy of the path's {id}; whoever may not
// see it is told it does not exist.
func (s *Site) loadCandidacy(r *http.Request) (*certibloc.Candidacy, *certibloc.Certification, error) {
	pg := s.page(r, "")
	notFound := certibloc.Errorf(certibloc.ENOTFOUND, "%s", pg.T("vae_e_notfound"))
	id, err := pathID(r, "id")
	if err != nil {
		return nil, nil, notFound
	}
	cd, err := s.db.Candidacy(r.Context(), id)
	switch certibloc.ErrorCode(err) {
	case "":
	case certibloc.ENOTFOUND:
		return nil, nil, notFound
	case certibloc.EFORBIDDEN:
		return nil, nil, certibloc.Errorf(certibloc.EFORBIDDEN, "%s", pg.T("vae_e_notfound"))
	default:
		return nil, nil, err
	}
	c, err := s.db.Certification(r.Context(), cd.Certification, cd.Version)
	if err != nil {
		return nil, nil, err
	}
	return cd, c, nil
}

// mayWrite refuses whoever may not change what the candidate writes: the
// candidate, or staff of their school for a candidate who writes on paper.
func mayWrite(r *http.Request, pg *page, cd *certibloc.Candidacy) error {
	p := certibloc.PrincipalFrom(r.Context())
	if p.PersonID != 0 && p.PersonID == cd.PersonID || p.Can(certibloc.WritePeople) && p.InSchool(cd.School) {
		return nil
	}
	return certibloc.Errorf(certibloc.EFORBIDDEN, "%s", pg.T("vae_e_forbidden"))
}

// writableCandidacy loads the path's candidacy for a change of what the
// candidate writes, refused to whoever may not make it (mayWrite).
func (s *Site) writableCandidacy(r *http.Request) (*certibloc.Candidacy, *certibloc.Certification, *page, error) {
	cd, c, err := s.loadCandidacy(r)
	if err != nil {
		return nil, nil, nil, err
	}
	pg := s.page(r, "")
	if err := mayWrite(r, pg, cd); err != nil {
		return nil, nil, nil, err
	}
	return cd, c, pg, nil
}

// vaeDone sends the browser, after a change, to the candidacy's page
// (where is "") or to its dossier's ("/dossier"), which says what was done.
func vaeDone(w http.ResponseWriter, r *http.Request, id int64, where, done string) error {
	http.Redirect(w, r, vaePath(id)+where+"?done="+done, http.StatusSeeOther)
	return nil
}

// proofRows are the candidacy's proofs as its pages list them.
func (s *Site) proofRows(r *http.Request, pg *page, id int64) ([]proofRow, error) {
	proofs, err := s.db.Proofs(r.Context(), id)
	if err != nil {
		return nil, err
	}
	var rows []proofRow
	for _, pr := range proofs {
		rows = append(rows, proofRow{Href: fmt.Sprintf("%s/proofs/%d", vaePath(id), pr.ID), Name: pr.Filename,
			Details: pg.Tf("vae_proof_f", (pr.Size+1023)/1024, moment(pg, &pr.CreatedAt))})
	}
	return rows, nil
}

// vaeRow is a line of the list of candidacies.
type vaeRow struct {
	Href, Number, Person, Certification, Blocks, State, Updated string
}

// vaeListView is the list of candidacies with its filters.
type vaeListView struct {
	Rows    []vaeRow
	CanOpen bool
	Filters []admField // staff: state and school
	Staff   bool
}

// vaeList lists the candidacies the viewer may see, the latest first: a
// candidate's own, staff's of their schools, filtered by state and school.
func (s *Site) vaeList(w http.ResponseWriter, r *http.Request) error {
	p := certibloc.PrincipalFrom(r.Context())
	pg := s.page(r, "")
	q := r.URL.Query()
	v := &vaeListView{CanOpen: p.Can(certibloc.Apply), Staff: p.Role != certibloc.Candidate}
	pg.Title, pg.Description = pg.T("vae_list_title"), pg.T("vae_list_description")
	if !v.Staff {
		pg.Title = pg.T("vae_my_title")
	}
	f := sqldb.CandidacyFilter{}
	if p.Role == certibloc.Candidate {
		f.PersonID = p.PersonID
	}
	if st := certibloc.VAEState(q.Get("state")); slices.Contains(vaeStates, st) {
		f.State = st
	}
	if v.Staff {
		state := admField{Name: "state", ID: "f-state", Type: "select", Label: pg.T("vae_f_state"), Value: string(f.State),
			Options: []option{{"", pg.T("vae_all_states")}}}
		for _, st := range vaeStates {
			state.Options = append(state.Options, option{string(st), vaeState(pg, st)})
		}
		schools, err := s.schoolOptions(r)
		if err != nil {
			return err
		}
		school := admField{Name: "school", ID: "f-school", Type: "select", Label: pg.T("vae_f_school"),
			Options: append([]option{{"", pg.T("vae_all_schools")}}, schools...)}
		if i := slices.IndexFunc(schools, func(o option) bool { return o.Value == q.Get("school") }); i >= 0 {
			f.School, school.Value = schools[i].Value, schools[i].Value
		}
		v.Filters = []admField{state, school}
	}
	list, err := s.db.Candidacies(r.Context(), f)
	if err != nil {
		return err
	}
	for _, cd := range list {
		row := vaeRow{Href: vaePath(cd.ID), Number: strconv.FormatInt(cd.ID, 10), State: vaeState(pg, cd.State),
			Certification: pg.Tf("coh_version_f", cd.Certification, cd.Version), Blocks: strconv.Itoa(len(cd.Blocks)),
			Updated: moment(pg, &cd.UpdatedAt)}
		if v.Staff {
			row.Person = s.personName(r, cd.PersonID)
		}
		v.Rows = append(v.Rows, row)
	}
	return s.renderApp(w, http.StatusOK, "vae_list", pg, v)
}

// vaeNewView is the form that opens a candidacy: the certification and
// the blocks aimed at.
type vaeNewView struct {
	Summary *errorSummary
	Fields  []admField
	FR      bool
}

func (s *Site) vaeNewForm(w http.ResponseWriter, r *http.Request) error {
	return s.renderVAENew(w, r, http.StatusOK, r.URL.Query().Get("certification"), nil, formErrors{})
}

// vaeCreate opens a draft candidacy of the signed-in candidate.
func (s *Site) vaeCreate(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	p := certibloc.PrincipalFrom(r.Context())
	code, blocks := r.PostFormValue("certification"), r.PostForm["blocks"]
	if p.PersonID == 0 {
		return certibloc.Errorf(certibloc.EFORBIDDEN, "%s", pg.T("me_none"))
	}
	if _, err := s.db.Certification(r.Context(), code, 0); err != nil {
		return s.renderVAENew(w, r, http.StatusBadRequest, code, blocks, formErrors{"certification": pg.T("jury_e_certification")})
	}
	cd := &certibloc.Candidacy{PersonID: p.PersonID, Certification: code, Blocks: blocks}
	err := s.db.CreateCandidacy(r.Context(), cd)
	if ps := s.vaeProblems(pg, err); ps != nil {
		return s.renderVAENew(w, r, http.StatusBadRequest, code, blocks, formErrors{"blocks": joinProblems(ps)})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, vaePath(cd.ID)+"?done=created", http.StatusSeeOther)
	return nil
}

func (s *Site) renderVAENew(w http.ResponseWriter, r *http.Request, status int, code string, blocks []string, errs formErrors) error {
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.T("vae_new_title"), pg.T("vae_list_description")
	certs, err := s.db.Certifications(r.Context())
	if err != nil {
		return err
	}
	v := &vaeNewView{FR: pg.Lang != "fr"}
	cert := admField{Name: "certification", ID: "f-certification", Type: "select", Label: pg.T("coh_certification"), Required: true}
	for _, c := range certs {
		cert.Options = append(cert.Options, option{c.Code, c.Code + " – " + c.Title})
		if c.Code == code || cert.Value == "" {
			cert.Value = c.Code
		}
	}
	chosen, _ := s.db.Certification(r.Context(), cert.Value, 0) // nil: no block to offer
	acquired := s.acquired(r, certibloc.PrincipalFrom(r.Context()).PersonID, cert.Value)
	v.Fields = []admField{cert, blockChoices(pg, chosen, acquired, blocks)}
	v.Summary = summarize(pg, v.Fields, errs)
	return s.renderApp(w, status, "vae_new", pg, v)
}

// blockChoices are the check boxes of the blocks a candidacy may aim at:
// those of the certification the person does not hold yet.
func blockChoices(pg *page, c *certibloc.Certification, acquired, checked []string) admField {
	f := admField{Name: "blocks", ID: "f-blocks", Type: "checkboxes", Label: pg.T("vae_f_blocks"), Required: true,
		Hint: pg.T("vae_h_blocks"), Values: checked}
	if c == nil {
		return f
	}
	for _, b := range c.Blocks {
		if !slices.Contains(acquired, b.Code) {
			f.Options = append(f.Options, option{b.Code, blockLabel(c, b.Code)})
		}
	}
	return f
}

// acquired lists the blocks of a certification a person holds.
func (s *Site) acquired(r *http.Request, person int64, code string) []string {
	entries, err := s.db.Ledger(r.Context(), person)
	if err != nil {
		return nil
	}
	var out []string
	for _, e := range entries {
		if e.Certification == code {
			out = append(out, e.Block)
		}
	}
	return out
}

// vaeProblems words a refusal of the store in the page's language: the
// problems of what was written, or the message of a refused step; nil
// when err is not a refusal the candidate can act on.
func (s *Site) vaeProblems(pg *page, err error) []string {
	if ps, ok := err.(certibloc.Problems); ok {
		l := langOf(pg)
		out := make([]string, len(ps))
		for i, p := range ps {
			row, col := p.Row, p.Column
			p.Row, p.Column = 0, "" // the fields are named below, in words
			switch p.Code {
			case "bad_text":
				p.Detail = pg.T("vae_e_text")
			case "dates_reversed":
				for _, d := range []*string{&p.Value, &p.Detail} {
					if v, err := certibloc.ParseDate(*d); err == nil {
						*d = pg.Date(v)
					}
				}
			}
			out[i] = p.In(l)
			switch {
			case row == 0:
			case slices.Contains([]string{"job", "employer", "from", "to", "activities"}, col):
				out[i] = pg.Tf("vae_e_row_f", row, pg.T("vae_f_"+col), out[i])
			case col == "experience":
				out[i] = pg.Tf("vae_e_exp_f", row, out[i])
			}
		}
		return out
	}
	switch certibloc.ErrorCode(err) {
	case certibloc.ECONFLICT:
		return []string{pg.T("vae_e_state")}
	case certibloc.EINVALID:
		return []string{pg.T("vae_e_invalid")}
	}
	return nil
}

// joinProblems makes one message of several.
func joinProblems(ps []string) string {
	out := ""
	for i, p := range ps {
		if i > 0 {
			out += " ; "
		}
		out += p
	}
	return out
}

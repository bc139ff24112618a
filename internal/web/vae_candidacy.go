package web

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// vaeView is the page of a candidacy: where it stands at a glance, the
// feasibility history, what the candidate wrote (a form while they may
// still change it), the proofs, the convocation and the decision; and for
// staff, what they may do next.
type vaeView struct {
	Notice  string
	Summary *errorSummary
	Facts   []fact
	Steps   []vaeStep
	Ended   string // not admissible, withdrawn: why nothing more happens
	Oral    string // the convocation
	Verdict []string
	Remains *certPath
	History []feasibilityRow
	FR      bool

	Edit         bool // the candidate may change the blocks and the experience
	Blocks       admField
	Experience   []expForm
	Action       string
	SubmitAction string
	ShowBlocks   []string
	ShowExp      []expShown

	Proofs       []proofRow
	ProofField   *admField // nil when the candidacy takes no more proofs
	ProofAction  string
	DossierHref  string
	WithdrawHref string // the candidate's, or their school's staff's, until the candidacy ends

	// Staff.
	PathHref          string
	FeasibilityHref   string
	Accompanist       *admField
	AccompanistAction string
	OralFields        []admField
	OralAction        string
	NoJury            bool
	Enrol             []admField
	EnrolAction       string
}

// vaeStep is one step of the journey, done, current or to come.
type vaeStep struct {
	Label         string
	Done, Current bool
}

type feasibilityRow struct {
	Outcome, When, Reason string
	Missing               []string
}

// expForm is the fieldset of one period of experience.
type expForm struct {
	Legend string
	Fields []admField
}

type expShown struct {
	Title, Dates, Activities string
}

type proofRow struct {
	Href, Name, Details string
}

// expInput is a period of experience as typed.
type expInput struct{ Job, Employer, From, To, Activities string }

// vaeInput is what the candidate typed in the candidacy's form.
type vaeInput struct {
	Blocks     []string
	Experience []expInput
}

// inputOf is what a stored candidacy shows in its form.
func inputOf(cd *certibloc.Candidacy) *vaeInput {
	in := &vaeInput{Blocks: cd.Blocks}
	for _, e := range cd.Experience {
		x := expInput{Job: e.Job, Employer: e.Employer, Activities: e.Activities}
		if !e.From.IsZero() {
			x.From = e.From.String()
		}
		if !e.To.IsZero() {
			x.To = e.To.String()
		}
		in.Experience = append(in.Experience, x)
	}
	return in
}

// readVAEForm reads the form of a candidacy: the blocks checked and each
// period of experience, those left wholly blank dropped. Dates that are
// not dates are named in errs; the rest is the store's to check.
func readVAEForm(pg *page, r *http.Request, errs formErrors) (*vaeInput, []certibloc.Experience) {
	in := &vaeInput{Blocks: r.PostForm["blocks"]}
	var out []certibloc.Experience
	for i := range certibloc.MaxExperiences + 1 {
		get := func(name string) string { return strings.TrimSpace(r.PostFormValue(fmt.Sprintf("x%d_%s", i, name))) }
		x := expInput{Job: get("job"), Employer: get("employer"), From: get("from"), To: get("to"), Activities: get("activities")}
		if x == (expInput{}) {
			continue
		}
		n := len(in.Experience)
		in.Experience = append(in.Experience, x)
		e := certibloc.Experience{Job: x.Job, Employer: x.Employer, Activities: x.Activities}
		dateField(pg, errs, fmt.Sprintf("x%d_from", n), x.From, &e.From, false)
		dateField(pg, errs, fmt.Sprintf("x%d_to", n), x.To, &e.To, false)
		out = append(out, e)
	}
	return in, out
}

func (s *Site) vaePage(w http.ResponseWriter, r *http.Request) error {
	cd, c, err := s.loadCandidacy(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	notice := ""
	if done := r.URL.Query().Get("done"); slices.Contains([]string{"created", "saved", "submitted", "proof", "feasibility",
		"accompanist", "oral", "enrolled", "dossier_submitted", "withdrawn"}, done) {
		notice = pg.T("vae_done_" + done)
	}
	return s.renderVAE(w, r, http.StatusOK, cd, c, nil, formErrors{}, nil, notice)
}

// autosaving reports whether the request is the page's script saving a
// draft as the candidate types: it wants a line of text, not a page.
func autosaving(r *http.Request) bool { return r.Header.Get("X-Autosave") == "1" }

// autosaved answers the script: saved, or the problems that refused the
// draft, in a line of the page's language.
func autosaved(w http.ResponseWriter, pg *page, problems []string) error {
	status, msg := http.StatusOK, pg.Tf("vae_autosaved_f", time.Now().In(paris).Format("15:04"))
	if problems != nil {
		status, msg = http.StatusBadRequest, pg.T("vae_autosave_refused")+" "+joinProblems(problems)
	}
	h := w.Header()
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := io.WriteString(w, msg)
	return err
}

// vaeSave saves the blocks and the experience as typed: by the page's
// script as the candidate types, or by its button. A refusal shows the
// form again with everything typed.
func (s *Site) vaeSave(w http.ResponseWriter, r *http.Request) error {
	cd, c, pg, err := s.writableCandidacy(r)
	if err != nil {
		return err
	}
	if cd.State == certibloc.VAEAdmissible { // the dossier has its own page
		return s.vaeSaveDossier(w, r)
	}
	in, problems, err := s.saveVAEForm(r, pg, cd)
	if err != nil {
		return err
	}
	if autosaving(r) {
		return autosaved(w, pg, problems)
	}
	if problems != nil {
		return s.renderVAE(w, r, http.StatusBadRequest, cd, c, in, formErrors{}, problems, "")
	}
	return vaeDone(w, r, cd.ID, "", "saved")
}

// saveVAEForm reads and saves the candidacy's form; problems are what is
// refused, in the page's language, in which case in is what was typed.
func (s *Site) saveVAEForm(r *http.Request, pg *page, cd *certibloc.Candidacy) (*vaeInput, []string, error) {
	errs := formErrors{}
	in, exp := readVAEForm(pg, r, errs)
	if len(errs) > 0 {
		var problems []string
		for i := range in.Experience {
			for _, f := range []string{"from", "to"} {
				if msg := errs[fmt.Sprintf("x%d_%s", i, f)]; msg != "" {
					problems = append(problems, pg.Tf("vae_e_row_f", i+1, pg.T("vae_f_"+f), msg))
				}
			}
		}
		return in, problems, nil
	}
	_, err := s.db.SaveCandidacy(r.Context(), &certibloc.Candidacy{ID: cd.ID, Blocks: in.Blocks, Experience: exp})
	if ps := s.vaeProblems(pg, err); ps != nil {
		return in, ps, nil
	}
	return in, nil, err
}

// vaeSubmit saves what was typed, then asks for the feasibility.
func (s *Site) vaeSubmit(w http.ResponseWriter, r *http.Request) error {
	cd, c, pg, err := s.writableCandidacy(r)
	if err != nil {
		return err
	}
	var in *vaeInput
	if cd.State == certibloc.VAEDraft || cd.State == certibloc.VAEIncomplete {
		var problems []string
		if in, problems, err = s.saveVAEForm(r, pg, cd); err != nil {
			return err
		} else if problems != nil {
			return s.renderVAE(w, r, http.StatusBadRequest, cd, c, in, formErrors{}, problems, "")
		}
	}
	_, err = s.db.SubmitCandidacy(r.Context(), cd.ID)
	if ps := s.vaeProblems(pg, err); ps != nil {
		if cd, err = s.db.Candidacy(r.Context(), cd.ID); err != nil {
			return err
		}
		return s.renderVAE(w, r, http.StatusBadRequest, cd, c, in, formErrors{}, ps, "")
	} else if err != nil {
		return err
	}
	return vaeDone(w, r, cd.ID, "", "submitted")
}

// vaeAddProof adds a proof to the candidacy: a PDF, PNG or JPEG that is
// what its name claims, checked as the application's documents are.
func (s *Site) vaeAddProof(w http.ResponseWriter, r *http.Request) error {
	cd, c, pg, err := s.writableCandidacy(r)
	if err != nil {
		return err
	}
	fail := func(msg string) error {
		if r.PostFormValue("back") == "dossier" {
			return s.renderDossier(w, r, http.StatusBadRequest, cd, c, nil, formErrors{"file": msg}, nil, "")
		}
		return s.renderVAE(w, r, http.StatusBadRequest, cd, c, nil, formErrors{"file": msg}, nil, "")
	}
	name, data, msg, err := readUploadedFile(pg, r)
	if err != nil {
		return err
	} else if msg != "" {
		return fail(msg)
	}
	_, err = s.db.AddProof(r.Context(), cd.ID, name, data)
	if ps := s.vaeProblems(pg, err); ps != nil {
		return fail(joinProblems(ps))
	} else if err != nil {
		return err
	}
	where := ""
	if r.PostFormValue("back") == "dossier" {
		where = "/dossier"
	}
	return vaeDone(w, r, cd.ID, where, "proof")
}

// readUploadedFile reads the form's file and checks that it is a PDF,
// PNG or JPEG, by its content, that its name does not claim otherwise,
// and its size; msg says what is wrong, in the page's language.
func readUploadedFile(pg *page, r *http.Request) (name string, data []byte, msg string, err error) {
	file, hdr, err := r.FormFile("file")
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return "", nil, pg.T("doc_e_missing"), nil
	} else if err != nil {
		return "", nil, pg.Tf("doc_e_too_large_f", certibloc.MaxDocumentSize>>20), nil
	}
	defer file.Close()
	name = certibloc.CleanFilename(hdr.Filename)
	if hdr.Size > certibloc.MaxDocumentSize {
		return "", nil, pg.Tf("doc_e_too_large_f", certibloc.MaxDocumentSize>>20), nil
	}
	data, err = io.ReadAll(io.LimitReader(file, certibloc.MaxDocumentSize+1))
	if err != nil {
		return "", nil, "", err
	}
	contentType, sniffErr := certibloc.SniffDocument(name, data)
	claimed, known := claimedTypes[strings.ToLower(path.Ext(name))]
	switch {
	case len(data) == 0:
		return "", nil, pg.Tf("doc_e_empty_f", name), nil
	case len(data) > certibloc.MaxDocumentSize:
		return "", nil, pg.Tf("doc_e_too_large_f", certibloc.MaxDocumentSize>>20), nil
	case sniffErr != nil:
		return "", nil, pg.Tf("doc_e_type_f", name), nil
	case known && claimed != contentType:
		return "", nil, pg.Tf("doc_e_claims_f", name, pg.T("doc_type_"+contentType)), nil
	}
	return name, data, "", nil
}

// vaeProof sends a proof, always as an attachment.
func (s *Site) vaeProof(w http.ResponseWriter, r *http.Request) error {
	cd, _, err := s.loadCandidacy(r)
	if err != nil {
		return err
	}
	id, err := pathID(r, "proof")
	if err != nil {
		return err
	}
	pr, data, err := s.db.ProofData(r.Context(), cd.ID, id)
	if err != nil {
		return err
	}
	contentType, name := certibloc.ServedDocument(pr.Filename, data)
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Disposition", attachment(name))
	h.Set("Content-Length", strconv.Itoa(len(data)))
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	_, err = w.Write(data)
	return err
}

// vaeSummary is the error summary of a candidacy's form: the fields'
// errors and the store's problems, each leading to the form.
func vaeSummary(pg *page, errs formErrors, problems []string, anchor string) *errorSummary {
	if len(errs) == 0 && len(problems) == 0 {
		return nil
	}
	sum := &errorSummary{Title: pg.T("adm_errors")}
	for _, p := range problems {
		sum.Items = append(sum.Items, fieldError{anchor, p})
	}
	for _, name := range []string{"file", "account", "oral_at", "place", "jury", "cohort", "mode", "internship_months",
		"employer", "contract_start", "contract_end", "tutor"} {
		if msg := errs[name]; msg != "" {
			id := "f-" + strings.ReplaceAll(name, "_", "-")
			if name == "mode" {
				id += "-0" // the first of its radio buttons
			}
			sum.Items = append(sum.Items, fieldError{id, msg})
		}
	}
	return sum
}

// renderVAE writes the candidacy's page; in is what was typed (nil: what
// is stored), errs the errors of the staff's forms and of the upload,
// problems the refusals of the candidate's form.
func (s *Site) renderVAE(w http.ResponseWriter, r *http.Request, status int, cd *certibloc.Candidacy, c *certibloc.Certification,
	in *vaeInput, errs formErrors, problems []string, notice string) error {
	ctx := r.Context()
	p := certibloc.PrincipalFrom(ctx)
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("vae_title_f", cd.ID), pg.T("vae_list_description")
	v := &vaeView{Notice: notice, FR: pg.Lang != "fr", Action: vaePath(cd.ID), SubmitAction: vaePath(cd.ID) + "/submit",
		ProofAction: vaePath(cd.ID) + "/proofs"}
	own := p.PersonID == cd.PersonID && p.PersonID != 0
	staff := p.Can(certibloc.ReadPeople) && p.InSchool(cd.School)
	v.Facts = []fact{{pg.T("vae_candidate"), s.personName(r, cd.PersonID)},
		{pg.T("coh_certification"), pg.Tf("coh_version_f", c.Code, c.Version) + " – " + c.Title},
		{pg.T("vae_state"), vaeState(pg, cd.State)},
		{pg.T("vae_updated"), moment(pg, &cd.UpdatedAt)}}
	if cd.Accompanist != 0 {
		name := "#" + strconv.FormatInt(cd.Accompanist, 10)
		if a, err := s.db.Account(ctx, cd.Accompanist); err == nil {
			name = a.Email
		}
		v.Facts = append(v.Facts, fact{pg.T("vae_accompanist"), name})
	}
	v.Steps = vaeStepsOf(pg, cd.State)
	switch cd.State {
	case certibloc.VAENotAdmissible:
		v.Ended = pg.T("vae_ended_not_admissible")
	case certibloc.VAEWithdrawn:
		v.Ended = pg.T("vae_ended_withdrawn")
	}
	if cd.OralDate != nil {
		v.Oral = pg.Tf("vae_oral_f", moment(pg, cd.OralDate), cd.OralPlace)
	}
	for _, f := range cd.History {
		v.History = append(v.History, feasibilityRow{Outcome: vaeState(pg, f.Outcome), When: moment(pg, &f.DecidedAt),
			Reason: f.Reason, Missing: f.Missing})
	}

	// What the candidate wrote: a form while they may change it.
	v.Edit = (own || p.Can(certibloc.WritePeople) && p.InSchool(cd.School)) &&
		(cd.State == certibloc.VAEDraft || cd.State == certibloc.VAEIncomplete)
	if in == nil {
		in = inputOf(cd)
	}
	if v.Edit {
		v.Blocks = blockChoices(pg, c, s.acquired(r, cd.PersonID, c.Code), in.Blocks)
		rows := append(append([]expInput{}, in.Experience...), expInput{})
		for i, x := range rows {
			v.Experience = append(v.Experience, expForm{Legend: pg.Tf("vae_experience_f", i+1), Fields: expFields(pg, i, x)})
		}
	} else {
		for _, b := range cd.Blocks {
			v.ShowBlocks = append(v.ShowBlocks, blockLabel(c, b))
		}
		for _, e := range cd.Experience {
			v.ShowExp = append(v.ShowExp, expShown{Title: pg.Tf("vae_job_at_f", e.Job, e.Employer), Dates: expDates(pg, e),
				Activities: e.Activities})
		}
	}
	v.Summary = vaeSummary(pg, errs, problems, "f-x0-job")

	// The proofs.
	var err error
	if v.Proofs, err = s.proofRows(r, pg, cd.ID); err != nil {
		return err
	}
	if (own || p.Can(certibloc.WritePeople) && p.InSchool(cd.School)) && len(v.Proofs) < sqldb.MaxProofs &&
		!slices.Contains([]certibloc.VAEState{certibloc.VAEDecided, certibloc.VAEWithdrawn, certibloc.VAENotAdmissible}, cd.State) {
		f := admField{Name: "file", ID: "f-file", Type: "file", Label: pg.T("vae_f_proof"), Required: true,
			Hint: pg.Tf("vae_h_proof_f", certibloc.MaxDocumentSize>>20), Error: errs["file"], Accept: documentAccept}
		v.ProofField = &f
	}
	if slices.Contains([]certibloc.VAEState{certibloc.VAEAdmissible, certibloc.VAEDossierSubmitted, certibloc.VAEOralScheduled,
		certibloc.VAEDecided}, cd.State) {
		v.DossierHref = vaePath(cd.ID) + "/dossier"
	}
	if !slices.Contains(vaeEnded, cd.State) && mayWrite(r, pg, cd) == nil {
		v.WithdrawHref = vaePath(cd.ID) + "/withdraw"
	}

	// The decision, and what remains after it.
	if cd.State == certibloc.VAEDecided {
		ledger, err := s.db.Ledger(ctx, cd.PersonID)
		if err != nil {
			return err
		}
		for _, b := range cd.Blocks {
			ok := slices.ContainsFunc(ledger, func(e certibloc.LedgerEntry) bool {
				return e.Block == b && e.JuryID == cd.JuryID && e.Route == certibloc.VAE
			})
			key := "vae_block_refused_f"
			if ok {
				key = "vae_block_validated_f"
			}
			v.Verdict = append(v.Verdict, pg.Tf(key, blockLabel(c, b)))
		}
		d, _, err := s.db.Path(ctx, cd.PersonID, cd.Certification)
		if err != nil {
			return err
		}
		cp := &certPath{Heading: pg.Tf("coh_version_f", c.Code, c.Version), Status: pg.T("path_not_yet")}
		if d.Certified {
			cp.Status = pg.T("path_complete")
		}
		for _, m := range d.Explain(langOf(pg)).Missing {
			cp.Missing = append(cp.Missing, m.Reason)
		}
		v.Remains = cp
		if staff || own {
			v.PathHref = personPath(cd.PersonID) + "/path"
		}
		if !d.Certified && p.Can(certibloc.ManageAdmission) && p.InSchool(cd.School) {
			if err := s.enrolFields(r, pg, v, cd, errs); err != nil {
				return err
			}
		}
	}

	// What staff do next.
	if cd.State == certibloc.VAESubmitted && p.Can(certibloc.ManageJuries) {
		v.FeasibilityHref = vaePath(cd.ID) + "/feasibility"
	}
	if p.Can(certibloc.WritePeople) && p.InSchool(cd.School) && cd.State != certibloc.VAEDecided &&
		cd.State != certibloc.VAEWithdrawn && cd.State != certibloc.VAENotAdmissible {
		f, err := s.accompanistField(r, pg, cd, errs["account"])
		if err != nil {
			return err
		}
		v.Accompanist, v.AccompanistAction = f, vaePath(cd.ID)+"/accompanist"
	}
	if cd.State == certibloc.VAEDossierSubmitted && p.Can(certibloc.ManageJuries) {
		if err := s.oralFields(r, pg, v, cd, errs); err != nil {
			return err
		}
	}
	return s.renderApp(w, status, "vae", pg, v)
}

// vaeStepsOf marks the journey's steps done and current.
func vaeStepsOf(pg *page, st certibloc.VAEState) []vaeStep {
	at := map[certibloc.VAEState]certibloc.VAEState{certibloc.VAEIncomplete: certibloc.VAEDraft,
		certibloc.VAENotAdmissible: certibloc.VAESubmitted}[st]
	if at == "" {
		at = st
	}
	cur := slices.Index(vaeSteps, at)
	var out []vaeStep
	for i, s := range vaeSteps {
		out = append(out, vaeStep{Label: pg.T("vae_step_" + string(s)), Done: cur >= 0 && i < cur, Current: i == cur})
	}
	return out
}

// expFields are the fields of the i-th period of experience.
func expFields(pg *page, i int, x expInput) []admField {
	id := func(name string) string { return fmt.Sprintf("f-x%d-%s", i, name) }
	name := func(n string) string { return fmt.Sprintf("x%d_%s", i, n) }
	return []admField{
		{Name: name("job"), ID: id("job"), Type: "text", Label: pg.T("vae_f_job"), Value: x.Job, MaxLength: "200"},
		{Name: name("employer"), ID: id("employer"), Type: "text", Label: pg.T("vae_f_employer"), Value: x.Employer, MaxLength: "200",
			Autocomplete: "organization"},
		{Name: name("from"), ID: id("from"), Type: "date", Label: pg.T("vae_f_from"), Value: x.From},
		{Name: name("to"), ID: id("to"), Type: "date", Label: pg.T("vae_f_to"), Value: x.To, Hint: pg.T("vae_h_to")},
		{Name: name("activities"), ID: id("activities"), Type: "textarea", Label: pg.T("vae_f_activities"), Value: x.Activities,
			MaxLength: strconv.Itoa(certibloc.MaxActivityText), Hint: pg.T("vae_h_activities")},
	}
}

// expDates is "Du 01/01/2012 au 31/08/2016", or "Depuis le 01/09/2016".
func expDates(pg *page, e certibloc.Experience) string {
	if e.To.IsZero() {
		return pg.Tf("vae_since_f", pg.Date(e.From))
	}
	return pg.Tf("vae_dates_f", pg.Date(e.From), pg.Date(e.To))
}

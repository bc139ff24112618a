package web

import (
	"net/http"
	"slices"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// candidateView is the deliberation on one candidate: the engine's
// proposal block by block with its explanation in the page's language,
// the jury's decision, and the form that confirms or overrides it (a
// correction once the jury is closed).
type candidateView struct {
	Notice      string
	Facts       []fact
	Blocks      []verdictRow
	Decided     bool
	Explanation []string
	Missing     []string
	Blockers    []string // why the jury may not decide yet
	Summary     *errorSummary
	Form        []blockForm // the decision or the correction, for the chair
	Title       []admField
	Correction  *admField // the reason of a correction, once closed
	Action      string
	Back        string
	FR          bool   // the blocks' titles are French data
	Dossier     string // a VAE candidate's validation dossier
}

// verdictRow is a block: what the engine finds and what the jury decided.
type verdictRow struct {
	Label, Engine, Jury string
}

// blockForm is the fieldset of one block in the decision form.
type blockForm struct {
	Legend   string
	Proposal string
	Fixed    string // a block in the ledger already: it stays acquired
	Fields   []admField
}

// loadCandidate reads the jury and the candidate of the path, with the
// engine's proposal and the jury's decision so far.
func (s *Site) loadCandidate(r *http.Request) (*certibloc.JurySession, seat, *sqldb.Proposal, *certibloc.Certification, error) {
	j, st, err := s.loadJury(r)
	if err != nil {
		return nil, st, nil, nil, err
	}
	pg := s.page(r, "")
	person, err := pathID(r, "person")
	if err != nil || !slices.Contains(j.Candidates, person) {
		return nil, st, nil, nil, certibloc.Errorf(certibloc.ENOTFOUND, "%s", pg.T("jury_e_no_candidate"))
	}
	props, err := s.db.JuryProposals(r.Context(), j.ID)
	if err != nil {
		return nil, st, nil, nil, err
	}
	i := slices.IndexFunc(props, func(p sqldb.Proposal) bool { return p.PersonID == person })
	if i < 0 {
		return nil, st, nil, nil, certibloc.Errorf(certibloc.ENOTFOUND, "%s", pg.T("jury_e_no_candidate"))
	}
	c, err := s.db.Certification(r.Context(), j.Certification, j.Version)
	if err != nil {
		return nil, st, nil, nil, err
	}
	return j, st, &props[i], c, nil
}

func (s *Site) candidatePage(w http.ResponseWriter, r *http.Request) error {
	j, st, p, c, err := s.loadCandidate(r)
	if err != nil {
		return err
	}
	return s.renderCandidate(w, r, http.StatusOK, j, st, p, c, nil, formErrors{})
}

// decide records the chair's decision on the candidate of an open jury.
func (s *Site) decide(w http.ResponseWriter, r *http.Request) error {
	j, st, p, c, err := s.loadCandidate(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	if !st.decides() {
		return certibloc.Errorf(certibloc.EFORBIDDEN, "%s", pg.T("jury_e_chair"))
	}
	if j.State != certibloc.JuryOpen {
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", pg.T("jury_e_closed"))
	}
	jd, values := readJuryDecision(r, c, p.PersonID, nil)
	err = s.db.DecideCandidate(r.Context(), j.ID, jd)
	if err == nil {
		http.Redirect(w, r, juryPath(j.ID)+"?done=decided", http.StatusSeeOther)
		return nil
	}
	errs, ok := s.decisionErrors(r, pg, err)
	if !ok {
		return err
	}
	return s.renderCandidate(w, r, http.StatusBadRequest, j, st, p, c, values, errs)
}

// correct records a correction of a closed jury's decision, with its
// reason: a new decision that supersedes the old one.
func (s *Site) correct(w http.ResponseWriter, r *http.Request) error {
	j, st, p, c, err := s.loadCandidate(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	if !st.decides() {
		return certibloc.Errorf(certibloc.EFORBIDDEN, "%s", pg.T("jury_e_chair"))
	}
	if j.State != certibloc.JuryClosed {
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", pg.T("jury_e_still_open"))
	}
	jd, values := readJuryDecision(r, c, p.PersonID, p.Decision.Blocks)
	reason := strings.TrimSpace(r.PostFormValue("correction_reason"))
	values["correction_reason"] = reason
	if len(reason) < 10 || certibloc.CheckText("reason", reason, 2000, true) != nil {
		return s.renderCandidate(w, r, http.StatusBadRequest, j, st, p, c, values,
			formErrors{"correction_reason": pg.T("jury_e_correction_reason")})
	}
	err = s.db.CorrectJuryDecision(r.Context(), j.ID, jd, reason)
	if err == nil {
		http.Redirect(w, r, juryPath(j.ID)+"?done=corrected", http.StatusSeeOther)
		return nil
	}
	errs, ok := s.decisionErrors(r, pg, err)
	if !ok {
		return err
	}
	return s.renderCandidate(w, r, http.StatusBadRequest, j, st, p, c, values, errs)
}

// readJuryDecision reads the decision form: for each block of the
// certification, validated or not, the route and the reason; the title
// and its reason. Blocks acquired already (fixed) stay validated.
func readJuryDecision(r *http.Request, c *certibloc.Certification, person int64, fixed []certibloc.BlockVerdict) (*certibloc.JuryDecision, map[string]string) {
	values := map[string]string{}
	jd := &certibloc.JuryDecision{PersonID: person}
	for _, b := range c.Blocks {
		v := certibloc.BlockVerdict{Block: b.Code}
		for _, k := range []string{"b_", "r_", "w_"} {
			values[k+b.Code] = strings.TrimSpace(r.PostFormValue(k + b.Code))
		}
		v.Validated = values["b_"+b.Code] == "yes"
		if slices.ContainsFunc(fixed, func(f certibloc.BlockVerdict) bool { return f.Block == b.Code && f.Validated }) {
			v.Validated = true
		}
		if v.Validated {
			v.Route = certibloc.Route(values["r_"+b.Code])
		}
		v.Reason = values["w_"+b.Code]
		jd.Blocks = append(jd.Blocks, v)
	}
	values["title"] = r.PostFormValue("title")
	values["title_reason"] = strings.TrimSpace(r.PostFormValue("title_reason"))
	jd.Certified, jd.Reason = values["title"] == "yes", values["title_reason"]
	return jd, values
}

// decisionErrors files the problems of a refused decision under the
// fields they are about, worded in the page's language; ok is false for
// an error that is not the form's.
func (s *Site) decisionErrors(r *http.Request, pg *page, err error) (formErrors, bool) {
	ps, isProblems := err.(certibloc.Problems)
	if !isProblems {
		return nil, false
	}
	errs := formErrors{}
	var general []string
	for _, p := range ps {
		p.Row = 0
		field := ""
		switch {
		case p.Code == "override_reason" && p.Value == "title":
			field = "title_reason"
		case p.Code == "override_reason":
			field = "w_" + p.Value
		case p.Code == "block_route":
			field = "r_" + p.Value
		}
		words := s.problemsIn(r, pg, certibloc.Problems{p})[0]
		if field == "" {
			general = append(general, words)
		} else {
			errs[field] = words
		}
	}
	if len(general) > 0 {
		errs[""] = strings.Join(general, " ; ")
		if pg.Lang == "en" {
			errs[""] = strings.Join(general, "; ")
		}
	}
	return errs, true
}

func (s *Site) renderCandidate(w http.ResponseWriter, r *http.Request, status int, j *certibloc.JurySession, st seat,
	p *sqldb.Proposal, c *certibloc.Certification, values map[string]string, errs formErrors) error {
	ctx := r.Context()
	pg := s.page(r, "")
	name := s.personName(r, p.PersonID)
	pg.Title, pg.Description = pg.Tf("jury_candidate_title_f", name), pg.T("jury_list_description")
	open := j.State == certibloc.JuryOpen
	v := &candidateView{Decided: p.Decision.Decided, Back: juryPath(j.ID), FR: pg.Lang != "fr"}
	proposal := certibloc.Propose(p.PersonID, &p.Engine)
	v.Facts = []fact{{pg.T("jury_col_candidate"), name}, {pg.T("jury_jury"), juryTitle(pg, j)},
		{pg.T("jury_col_proposal"), proposalWords(pg, p.Engine.Certified, countValidated(proposal.Blocks))},
		{pg.T("jury_col_decision"), decisionWords(pg, *p)}}
	if p.Decision.Decided && p.Decision.Reason != "" {
		v.Facts = append(v.Facts, fact{pg.T("jury_title_reason"), p.Decision.Reason})
	}
	// A VAE candidate convened before this jury: their dossier, to read.
	if cds, err := s.db.Candidacies(ctx, sqldb.CandidacyFilter{PersonID: p.PersonID}); err == nil {
		for _, cd := range cds {
			if cd.JuryID == j.ID {
				v.Dossier = vaePath(cd.ID) + "/dossier"
			}
		}
	}
	text := p.Engine.Explain(langOf(pg))
	v.Explanation = text.Explanation
	for _, m := range text.Missing {
		v.Missing = append(v.Missing, m.Reason)
	}
	verdict := func(bs []certibloc.BlockVerdict, code string) (certibloc.BlockVerdict, bool) {
		i := slices.IndexFunc(bs, func(b certibloc.BlockVerdict) bool { return b.Block == code })
		if i < 0 {
			return certibloc.BlockVerdict{Block: code}, false
		}
		return bs[i], true
	}
	for _, b := range c.Blocks {
		row := verdictRow{Label: blockLabel(c, b.Code), Engine: pg.T("jury_not_validated"), Jury: "—"}
		if pv, ok := verdict(proposal.Blocks, b.Code); ok && pv.Validated {
			row.Engine = validatedWords(pg, pv)
		}
		if p.Decision.Decided {
			row.Jury = pg.T("jury_not_validated")
			if jv, _ := verdict(p.Decision.Blocks, b.Code); jv.Validated {
				row.Jury = validatedWords(pg, jv)
			}
			if jv, _ := verdict(p.Decision.Blocks, b.Code); jv.Reason != "" {
				row.Jury += pg.T("colon") + " " + jv.Reason
			}
		}
		v.Blocks = append(v.Blocks, row)
	}
	if open {
		decls, err := s.db.JuryDeclarations(ctx, j.ID)
		if err != nil {
			return err
		}
		v.Blockers = c.JuryRule().CheckDecide(j.Members, p.PersonID, decls).In(langOf(pg))
	}

	if st.decides() && (open || p.Decision.Decided) {
		v.Action = candidatePath(j.ID, p.PersonID)
		if !open {
			v.Action += "/correction"
		}
		if values == nil {
			values = map[string]string{"title": juryChoice(p.Decision.Certified), "title_reason": p.Decision.Reason}
			for _, b := range c.Blocks {
				jv, _ := verdict(p.Decision.Blocks, b.Code)
				values["b_"+b.Code], values["r_"+b.Code] = juryChoice(jv.Validated), string(jv.Route)
				if open {
					values["w_"+b.Code] = jv.Reason
				}
			}
		}
		routes := []option{{"", pg.T("jury_choose")}}
		for _, rt := range []certibloc.Route{certibloc.Training, certibloc.VAE, certibloc.Mixed} {
			routes = append(routes, option{string(rt), pg.T("jury_route_" + string(rt))})
		}
		var all []admField
		for _, b := range c.Blocks {
			pv, _ := verdict(proposal.Blocks, b.Code)
			bf := blockForm{Legend: blockLabel(c, b.Code), Proposal: pg.T("jury_proposal_no")}
			if pv.Validated {
				bf.Proposal = pg.Tf("jury_proposal_yes_f", validatedWords(pg, pv))
			}
			if jv, _ := verdict(p.Decision.Blocks, b.Code); !open && jv.Validated {
				bf.Fixed = pg.T("jury_fixed")
			} else {
				bf.Fields = []admField{
					{Name: "b_" + b.Code, Type: "radio", Label: pg.Tf("jury_f_block_f", b.Code),
						Options: []option{{"yes", pg.T("jury_validate")}, {"no", pg.T("jury_not_validate")}}},
					{Name: "r_" + b.Code, Type: "select", Label: pg.T("jury_f_route"), Hint: pg.T("jury_h_route"), Options: routes},
					{Name: "w_" + b.Code, Type: "textarea", Label: pg.T("jury_f_reason"), Hint: pg.T("jury_h_reason"), MaxLength: "2000"},
				}
				for i := range bf.Fields {
					f := &bf.Fields[i]
					f.ID, f.Value = "f-"+strings.ReplaceAll(f.Name, "_", "-"), values[f.Name]
					all = append(all, *f)
				}
			}
			v.Form = append(v.Form, bf)
		}
		v.Title = []admField{
			{Name: "title", Type: "radio", Label: pg.T("jury_f_title"), Hint: pg.T("jury_h_title"),
				Options: []option{{"yes", pg.T("jury_award")}, {"no", pg.T("jury_not_award")}}},
			{Name: "title_reason", Type: "textarea", Label: pg.T("jury_f_title_reason"), Hint: pg.T("jury_h_reason"), MaxLength: "2000"},
		}
		for i := range v.Title {
			f := &v.Title[i]
			f.ID, f.Value = "f-"+strings.ReplaceAll(f.Name, "_", "-"), values[f.Name]
			all = append(all, *f)
		}
		if !open {
			v.Correction = &admField{Name: "correction_reason", ID: "f-correction-reason", Type: "textarea", Required: true,
				Label: pg.T("jury_f_correction_reason"), Hint: pg.T("jury_h_correction_reason"), MaxLength: "2000",
				Value: values["correction_reason"]}
			all = append(all, *v.Correction)
		}
		v.Summary = summarize(pg, all, errs)
		for i := range v.Form {
			for k := range v.Form[i].Fields {
				v.Form[i].Fields[k].Error = errs[v.Form[i].Fields[k].Name]
			}
		}
		for i := range v.Title {
			v.Title[i].Error = errs[v.Title[i].Name]
		}
		if v.Correction != nil {
			v.Correction.Error = errs["correction_reason"]
		}
	}
	return s.renderApp(w, status, "juries_candidate", pg, v)
}

// validatedWords is "validé (VAE, le 01/07/2027)".
func validatedWords(pg *page, b certibloc.BlockVerdict) string {
	route := pg.T("jury_route_" + string(b.Route))
	if b.Route == "" {
		route = pg.T("jury_no_route")
	}
	return pg.Tf("jury_validated_f", route, pg.Date(b.Date))
}

func juryChoice(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

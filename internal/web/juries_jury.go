package web

import (
	"net/http"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// juryView is the page of a jury: the session, its members and whether
// their composition lets it deliberate, the declarations of conflict of
// interest, and the candidates with the engine's proposal and the jury's
// decision so far.
type juryView struct {
	Notice        string
	Facts         []fact
	Open          bool
	Members       []memberRow
	Composition   compositionView
	Declarers     []string      // members who declare, in the columns of the table
	Declared      []declaredRow // a line per candidate
	MyForm        []admField    // the viewer's own declarations, when they sit and the jury is open
	Summary       *errorSummary
	Candidates    []candidateRow
	CloseHref     string // the check before closing
	MinutesHref   string // once closed
	DocumentsHref string // once closed, for the certifier
	Action        string
}

type memberRow struct{ Name, Role, Presence, Account string }

// compositionView says plainly whether the members present let the jury
// deliberate: the rule's conditions with the counts, and what is missing.
type compositionView struct {
	Lines    []string
	OK       bool
	Problems []string
}

type declaredRow struct {
	Name  string
	Cells []string
}

type candidateRow struct {
	Href, Name, Proposal, Decision string
	Decided, Overridden            bool
}

// juryPage shows a jury.
func (s *Site) juryPage(w http.ResponseWriter, r *http.Request) error {
	j, st, err := s.loadJury(r)
	if err != nil {
		return err
	}
	notice := ""
	switch d := r.URL.Query().Get("done"); d {
	case "created", "declared", "decided", "closed", "corrected":
		notice = "jury_done_" + d
	}
	return s.renderJury(w, r, http.StatusOK, j, st, notice, formErrors{})
}

// declare records the viewer's declarations about the candidates: no
// conflict of interest, or one.
func (s *Site) declare(w http.ResponseWriter, r *http.Request) error {
	j, st, err := s.loadJury(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	if !st.member {
		return certibloc.Errorf(certibloc.EFORBIDDEN, "%s", pg.T("jury_e_declare_member"))
	}
	if j.State != certibloc.JuryOpen {
		return certibloc.Errorf(certibloc.ECONFLICT, "%s", pg.T("jury_e_closed"))
	}
	errs := formErrors{}
	type answer struct {
		person   int64
		conflict bool
	}
	var answers []answer
	for _, p := range j.Candidates {
		name := "c" + strconv.FormatInt(p, 10)
		switch r.PostFormValue(name) {
		case "":
		case "no":
			answers = append(answers, answer{p, false})
		case "yes":
			answers = append(answers, answer{p, true})
		default:
			errs[name] = pg.T("jury_e_choice")
		}
	}
	if len(answers) == 0 && len(errs) == 0 {
		errs[""] = pg.T("jury_e_no_declaration")
	}
	if len(errs) > 0 {
		return s.renderJury(w, r, http.StatusBadRequest, j, st, "", errs)
	}
	for _, a := range answers {
		if err := s.db.DeclareConflict(r.Context(), j.ID, a.person, a.conflict); err != nil {
			return err
		}
	}
	http.Redirect(w, r, juryPath(j.ID)+"?done=declared", http.StatusSeeOther)
	return nil
}

func (s *Site) renderJury(w http.ResponseWriter, r *http.Request, status int, j *certibloc.JurySession, st seat,
	notice string, errs formErrors) error {
	ctx := r.Context()
	pg := s.page(r, "")
	pg.Title, pg.Description = juryTitle(pg, j), pg.T("jury_list_description")
	c, err := s.db.Certification(ctx, j.Certification, j.Version)
	if err != nil {
		return err
	}
	v := &juryView{Open: j.State == certibloc.JuryOpen, Action: juryPath(j.ID) + "/declarations"}
	if notice != "" {
		v.Notice = pg.T(notice)
	}
	v.Facts = []fact{{pg.T("coh_certification"), pg.Tf("coh_version_f", j.Certification, j.Version)},
		{pg.T("jury_f_date"), pg.Date(j.Date)}, {pg.T("jury_f_place"), j.Place},
		{pg.T("jury_col_state"), pg.T("jury_state_" + j.State)}}
	if j.ClosedAt != nil {
		v.Facts = append(v.Facts, fact{pg.T("jury_closed_at"), moment(pg, j.ClosedAt)},
			fact{pg.T("jury_digest"), j.MinutesDigest})
		v.MinutesHref = juryPath(j.ID) + "/minutes"
		if st.manager {
			v.DocumentsHref = juryPath(j.ID) + "/documents"
		}
	} else {
		v.CloseHref = juryPath(j.ID) + "/close"
	}
	for _, m := range j.Members {
		row := memberRow{Name: m.Name, Role: pg.T("jury_role_" + m.Role), Presence: pg.T("jury_absent"), Account: pg.T("jury_no_account")}
		if m.Present {
			row.Presence = pg.T("jury_present")
		}
		if m.AccountID != 0 {
			row.Account = pg.T("jury_has_account")
		}
		v.Members = append(v.Members, row)
	}
	v.Composition = composition(pg, c.JuryRule(), j.Members)

	decls, err := s.db.JuryDeclarations(ctx, j.ID)
	if err != nil {
		return err
	}
	names := map[int64]string{}
	for _, p := range j.Candidates {
		names[p] = s.personName(r, p)
	}
	var declarers []certibloc.JuryMember
	for _, m := range j.Members {
		if m.AccountID != 0 && m.Present {
			declarers = append(declarers, m)
			v.Declarers = append(v.Declarers, m.Name)
		}
	}
	me := certibloc.PrincipalFrom(ctx).AccountID
	for _, p := range j.Candidates {
		row := declaredRow{Name: names[p]}
		for _, m := range declarers {
			row.Cells = append(row.Cells, declarationWord(pg, decls, m.AccountID, p))
		}
		v.Declared = append(v.Declared, row)
		if st.member && v.Open {
			f := admField{Name: "c" + strconv.FormatInt(p, 10), ID: "f-c" + strconv.FormatInt(p, 10), Type: "radio",
				Label: names[p], Options: []option{{"no", pg.T("jury_no_conflict")}, {"yes", pg.T("jury_conflict")}}}
			for _, d := range decls {
				if d.AccountID == me && d.PersonID == p {
					f.Value = map[bool]string{false: "no", true: "yes"}[d.Conflict]
				}
			}
			v.MyForm = append(v.MyForm, f)
		}
	}
	v.Summary = summarize(pg, v.MyForm, errs)

	props, err := s.db.JuryProposals(ctx, j.ID)
	if err != nil {
		return err
	}
	for _, p := range props {
		v.Candidates = append(v.Candidates, candidateRow{Href: candidatePath(j.ID, p.PersonID), Name: names[p.PersonID],
			Proposal: proposalWords(pg, p.Engine.Certified, countValidated(certibloc.Propose(p.PersonID, &p.Engine).Blocks)),
			Decision: decisionWords(pg, p), Decided: p.Decision.Decided, Overridden: p.Decision.Decided && p.Decision.Overridden()})
	}
	return s.renderApp(w, status, "juries_jury", pg, v)
}

// composition words the rule and the counts of the members present.
func composition(pg *page, rule certibloc.JuryRule, members []certibloc.JuryMember) compositionView {
	present, chairs, pros, teachers := 0, 0, 0, 0
	for _, m := range members {
		if !m.Present {
			continue
		}
		present++
		switch m.Role {
		case certibloc.JuryChair:
			chairs++
		case certibloc.JuryProfessional:
			pros++
		case certibloc.JuryTeaching:
			teachers++
		}
	}
	share := 0
	if present > 0 {
		share = pros * 100 / present
	}
	v := compositionView{Lines: []string{
		pg.Tf("jury_rule_quorum_f", present, rule.Quorum),
		pg.Tf("jury_rule_chair_f", chairs),
		pg.Tf("jury_rule_pros_f", pros, present, share, rule.MinProfessionalPct),
	}}
	if rule.MaxTeachingPct < 100 {
		v.Lines = append(v.Lines, pg.Tf("jury_rule_teaching_f", teachers, rule.MaxTeachingPct))
	}
	if rule.ConflictDeclaration {
		v.Lines = append(v.Lines, pg.T("jury_rule_declaration"))
	}
	ps := rule.CheckComposition(members)
	v.OK = len(ps) == 0
	v.Problems = ps.In(langOf(pg))
	return v
}

// langOf is the page's language for the domain's words.
func langOf(pg *page) certibloc.Lang {
	if pg.Lang == "en" {
		return certibloc.English
	}
	return certibloc.French
}

func declarationWord(pg *page, decls []certibloc.ConflictDeclaration, account, person int64) string {
	for _, d := range decls {
		if d.AccountID == account && d.PersonID == person {
			if d.Conflict {
				return pg.T("jury_conflict")
			}
			return pg.T("jury_no_conflict")
		}
	}
	return pg.T("jury_undeclared")
}

func countValidated(bs []certibloc.BlockVerdict) int {
	n := 0
	for _, b := range bs {
		if b.Validated {
			n++
		}
	}
	return n
}

// proposalWords is "Titre et 5 blocs", "3 blocs, sans le titre"…
func proposalWords(pg *page, title bool, blocks int) string {
	if title {
		return pg.Tf("jury_title_blocks_f", blocks)
	}
	if blocks == 0 {
		return pg.T("jury_nothing")
	}
	return pg.Tf("jury_blocks_only_f", blocks)
}

// decisionWords is the jury's decision on a candidate, or "to decide".
func decisionWords(pg *page, p sqldb.Proposal) string {
	if !p.Decision.Decided {
		return pg.T("jury_undecided")
	}
	words := proposalWords(pg, p.Decision.Certified, countValidated(p.Decision.Blocks))
	if p.Decision.Overridden() {
		return words + pg.T("jury_overridden_suffix")
	}
	return words + pg.T("jury_confirmed_suffix")
}

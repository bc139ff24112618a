package web

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// dossierView is the validation dossier: for each block aimed at, one
// answer per competency of the referential, with the accompanist's
// comment; a form while the candidacy is admissible, saved as the
// candidate types; the attachments.
type dossierView struct {
	Notice       string
	Summary      *errorSummary
	Back         string
	State        string
	FR           bool
	Edit         bool
	Action       string
	SubmitAction string
	Blocks       []dossierBlock
	Proofs       []proofRow
	ProofField   *admField
	ProofAction  string
}

type dossierBlock struct {
	Heading string
	Answers []dossierAnswer
}

// dossierAnswer is one competency: its wording (French data), the answer
// as a field or as text, the accompanist's comment and, for them, its form.
type dossierAnswer struct {
	Competency    string
	Field         admField
	Text          string
	Comment       string
	CommentField  *admField
	CommentAction string
	Block         string
	Number        int
}

// answerName is the form name of the answer on competency k of block b.
func answerName(block string, k int) string { return fmt.Sprintf("a_%s_%d", block, k) }

func (s *Site) vaeDossierPage(w http.ResponseWriter, r *http.Request) error {
	cd, c, err := s.loadCandidacy(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	notice := ""
	switch done := r.URL.Query().Get("done"); done {
	case "saved", "proof", "commented":
		notice = pg.T("vae_done_" + done)
	}
	return s.renderDossier(w, r, http.StatusOK, cd, c, nil, formErrors{}, nil, notice)
}

// readDossier reads the answers of the form, for the blocks aimed at.
func readDossier(r *http.Request, cd *certibloc.Candidacy, c *certibloc.Certification) []certibloc.DossierAnswer {
	var out []certibloc.DossierAnswer
	for _, code := range cd.Blocks {
		b := c.Block(code)
		if b == nil {
			continue
		}
		for k := range b.Competencies {
			if text := r.PostFormValue(answerName(code, k+1)); strings.TrimSpace(text) != "" {
				out = append(out, certibloc.DossierAnswer{Block: code, Competency: k + 1, Text: strings.ReplaceAll(text, "\r\n", "\n")})
			}
		}
	}
	return out
}

// saveDossier reads and saves the answers of the form; problems are what
// the store refused, in the page's language.
func (s *Site) saveDossier(r *http.Request, pg *page, cd *certibloc.Candidacy, c *certibloc.Certification) (
	answers []certibloc.DossierAnswer, problems []string, err error) {
	answers = readDossier(r, cd, c)
	_, err = s.db.SaveCandidacy(r.Context(), &certibloc.Candidacy{ID: cd.ID, Blocks: cd.Blocks, Experience: cd.Experience, Dossier: answers})
	if ps := s.vaeProblems(pg, err); ps != nil {
		return answers, ps, nil
	}
	return answers, nil, err
}

// vaeSaveDossier saves the answers as typed: by the page's script or by
// its button; a refusal shows them again.
func (s *Site) vaeSaveDossier(w http.ResponseWriter, r *http.Request) error {
	cd, c, pg, err := s.writableCandidacy(r)
	if err != nil {
		return err
	}
	answers, problems, err := s.saveDossier(r, pg, cd, c)
	if err != nil {
		return err
	}
	if autosaving(r) {
		return autosaved(w, pg, problems)
	}
	if problems != nil {
		return s.renderDossier(w, r, http.StatusBadRequest, cd, c, answers, formErrors{}, problems, "")
	}
	return vaeDone(w, r, cd.ID, "/dossier", "saved")
}

// vaeSubmitDossier saves the answers as typed, then submits the dossier:
// a competency left blank is named, and what was written stays.
func (s *Site) vaeSubmitDossier(w http.ResponseWriter, r *http.Request) error {
	cd, c, pg, err := s.writableCandidacy(r)
	if err != nil {
		return err
	}
	var answers []certibloc.DossierAnswer
	if cd.State == certibloc.VAEAdmissible {
		var problems []string
		if answers, problems, err = s.saveDossier(r, pg, cd, c); err != nil {
			return err
		} else if problems != nil {
			return s.renderDossier(w, r, http.StatusBadRequest, cd, c, answers, formErrors{}, problems, "")
		}
	}
	_, err = s.db.SubmitDossier(r.Context(), cd.ID)
	if ps := s.vaeProblems(pg, err); ps != nil {
		if cd, err = s.db.Candidacy(r.Context(), cd.ID); err != nil {
			return err
		}
		return s.renderDossier(w, r, http.StatusBadRequest, cd, c, answers, formErrors{}, ps, "")
	} else if err != nil {
		return err
	}
	return vaeDone(w, r, cd.ID, "", "dossier_submitted")
}

// vaeComment records the accompanist's comment on one answer.
func (s *Site) vaeComment(w http.ResponseWriter, r *http.Request) error {
	cd, c, err := s.loadCandidacy(r)
	if err != nil {
		return err
	}
	pg := s.page(r, "")
	block := r.PostFormValue("block")
	k, _ := strconv.Atoi(r.PostFormValue("competency"))
	err = s.db.CommentDossier(r.Context(), cd.ID, block, k, strings.TrimSpace(r.PostFormValue("comment")))
	switch certibloc.ErrorCode(err) {
	case "":
		return vaeDone(w, r, cd.ID, "/dossier", "commented")
	case certibloc.EFORBIDDEN:
		return certibloc.Errorf(certibloc.EFORBIDDEN, "%s", pg.T("vae_e_not_accompanist"))
	case certibloc.EINVALID, certibloc.ECONFLICT:
		return s.renderDossier(w, r, http.StatusBadRequest, cd, c, nil, formErrors{}, []string{pg.T("vae_e_comment")}, "")
	}
	return err
}

// renderDossier writes the dossier's page; answers are what was typed
// (nil: what is stored), problems the refusals.
func (s *Site) renderDossier(w http.ResponseWriter, r *http.Request, status int, cd *certibloc.Candidacy, c *certibloc.Certification,
	answers []certibloc.DossierAnswer, errs formErrors, problems []string, notice string) error {
	ctx := r.Context()
	p := certibloc.PrincipalFrom(ctx)
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("vae_dossier_title_f", cd.ID), pg.T("vae_list_description")
	own := p.PersonID != 0 && p.PersonID == cd.PersonID
	writer := own || p.Can(certibloc.WritePeople) && p.InSchool(cd.School)
	v := &dossierView{Notice: notice, Back: vaePath(cd.ID), State: vaeState(pg, cd.State), FR: pg.Lang != "fr",
		Action: vaePath(cd.ID) + "/dossier", SubmitAction: vaePath(cd.ID) + "/dossier/submit", ProofAction: vaePath(cd.ID) + "/proofs"}
	if !slices.Contains([]certibloc.VAEState{certibloc.VAEAdmissible, certibloc.VAEDossierSubmitted, certibloc.VAEOralScheduled,
		certibloc.VAEDecided}, cd.State) {
		return certibloc.Errorf(certibloc.ENOTFOUND, "%s", pg.T("vae_e_no_dossier"))
	}
	comments := p.AccountID != 0 && p.AccountID == cd.Accompanist &&
		(cd.State == certibloc.VAEAdmissible || cd.State == certibloc.VAEDossierSubmitted)
	v.Edit = writer && cd.State == certibloc.VAEAdmissible && !comments // the accompanist comments, the candidate writes
	if answers == nil {
		answers = cd.Dossier
	}
	for _, code := range cd.Blocks {
		b := c.Block(code)
		if b == nil {
			continue
		}
		db := dossierBlock{Heading: blockLabel(c, code)}
		for k, comp := range b.Competencies {
			a := dossierAnswer{Competency: comp, Block: code, Number: k + 1}
			stored := slices.IndexFunc(cd.Dossier, func(x certibloc.DossierAnswer) bool { return x.Block == code && x.Competency == k+1 })
			if stored >= 0 {
				a.Comment = cd.Dossier[stored].Comment
			}
			if i := slices.IndexFunc(answers, func(x certibloc.DossierAnswer) bool { return x.Block == code && x.Competency == k+1 }); i >= 0 {
				a.Text = answers[i].Text
			}
			a.Field = admField{Name: answerName(code, k+1), ID: fmt.Sprintf("f-a-%s-%d", code, k+1), Type: "textarea",
				Label: pg.Tf("vae_answer_f", k+1), Value: a.Text, MaxLength: strconv.Itoa(certibloc.MaxAnswerText)}
			if comments && stored >= 0 {
				a.CommentField = &admField{Name: "comment", ID: fmt.Sprintf("f-c-%s-%d", code, k+1), Type: "textarea",
					Label: pg.Tf("vae_f_comment_f", k+1), Value: a.Comment, MaxLength: "4000"}
				a.CommentAction = vaePath(cd.ID) + "/comments"
			}
			db.Answers = append(db.Answers, a)
		}
		v.Blocks = append(v.Blocks, db)
	}
	anchor := "main"
	if len(v.Blocks) > 0 && len(v.Blocks[0].Answers) > 0 && v.Edit {
		anchor = v.Blocks[0].Answers[0].Field.ID
	}
	v.Summary = vaeSummary(pg, errs, problems, anchor)
	var err error
	if v.Proofs, err = s.proofRows(r, pg, cd.ID); err != nil {
		return err
	}
	if v.Edit && len(v.Proofs) < sqldb.MaxProofs {
		v.ProofField = &admField{Name: "file", ID: "f-file", Type: "file", Label: pg.T("vae_f_attachment"), Required: true,
			Hint: pg.Tf("vae_h_proof_f", certibloc.MaxDocumentSize>>20), Error: errs["file"], Accept: documentAccept}
	}
	return s.renderApp(w, status, "vae_dossier", pg, v)
}

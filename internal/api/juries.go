package api

import (
	"fmt"
	"net/http"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/pdf"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// Juries: the certifier convenes them; their members declare conflicts of
// interest, see the engine's proposal for each candidate with its
// explanation, and decide; the chair closes. A person's acquired blocks and
// path read the ledger.

// juryInput is the body of POST /api/v1/juries.
type juryInput struct {
	Certification string                 `json:"certification"`
	Version       int                    `json:"version"`
	Date          certibloc.Date         `json:"date"`
	Place         string                 `json:"place"`
	Members       []certibloc.JuryMember `json:"members"`
	Candidates    []int64                `json:"candidates"`
}

func (a *API) listJuries(w http.ResponseWriter, r *http.Request) error {
	p := certibloc.PrincipalFrom(r.Context())
	all, err := a.db.Juries(r.Context())
	if err != nil {
		return err
	}
	list := []certibloc.JurySession{}
	for _, j := range all {
		if p.Can(certibloc.ManageJuries) || sits(p, &j) {
			list = append(list, j)
		}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"juries": list})
}

// sits reports whether the principal is a member of the jury.
func sits(p *certibloc.Principal, j *certibloc.JurySession) bool {
	for _, m := range j.Members {
		if p.AccountID != 0 && m.AccountID == p.AccountID {
			return true
		}
	}
	return false
}

// chairs reports whether the principal chairs the jury.
func chairs(p *certibloc.Principal, j *certibloc.JurySession) bool {
	for _, m := range j.Members {
		if p.AccountID != 0 && m.AccountID == p.AccountID && m.Role == certibloc.JuryChair {
			return true
		}
	}
	return false
}

func (a *API) createJury(w http.ResponseWriter, r *http.Request) error {
	var in juryInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	j := &certibloc.JurySession{Certification: in.Certification, Version: in.Version, Date: in.Date, Place: in.Place,
		Members: in.Members, Candidates: in.Candidates}
	if err := a.db.CreateJury(r.Context(), j); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, j)
}

// jury reads the jury of the path, for its members and the certifier.
func (a *API) jury(r *http.Request) (*certibloc.JurySession, error) {
	id, err := pathID(r, "id", "jury")
	if err != nil {
		return nil, err
	}
	j, err := a.db.Jury(r.Context(), id)
	if err != nil {
		return nil, err
	}
	p := certibloc.PrincipalFrom(r.Context())
	if !p.Can(certibloc.ManageJuries) && !sits(p, j) {
		return nil, certibloc.Errorf(certibloc.EFORBIDDEN, "you do not sit on jury %d", id)
	}
	return j, nil
}

func (a *API) getJury(w http.ResponseWriter, r *http.Request) error {
	j, err := a.jury(r)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, j)
}

func (a *API) addJuryCandidates(w http.ResponseWriter, r *http.Request) error {
	j, err := a.jury(r)
	if err != nil {
		return err
	}
	var in struct {
		Candidates []int64 `json:"candidates"`
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.db.AddJuryCandidates(r.Context(), j.ID, in.Candidates); err != nil {
		return err
	}
	if j, err = a.db.Jury(r.Context(), j.ID); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, j)
}

func (a *API) declareConflict(w http.ResponseWriter, r *http.Request) error {
	j, err := a.jury(r)
	if err != nil {
		return err
	}
	var in struct {
		PersonID int64 `json:"person_id"`
		Conflict bool  `json:"conflict"`
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.db.DeclareConflict(r.Context(), j.ID, in.PersonID, in.Conflict); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"jury_id": j.ID, "person_id": in.PersonID, "conflict": in.Conflict})
}

// proposalOut is one candidate of a deliberation.
type proposalOut struct {
	PersonID    int64                  `json:"person_id"`
	Engine      certibloc.DecisionText `json:"engine"`   // the rules engine's decision, in words
	Decision    certibloc.JuryDecision `json:"decision"` // the jury's, or the proposal while undecided
	Overridden  bool                   `json:"overridden"`
	Explanation []string               `json:"explanation"`
}

func (a *API) deliberation(w http.ResponseWriter, r *http.Request) error {
	j, err := a.jury(r)
	if err != nil {
		return err
	}
	props, err := a.db.JuryProposals(r.Context(), j.ID)
	if err != nil {
		return err
	}
	l := certibloc.NegotiateLang(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
	out := make([]proposalOut, 0, len(props))
	for _, p := range props {
		text := p.Engine.Explain(l)
		out = append(out, proposalOut{PersonID: p.PersonID, Engine: text, Decision: p.Decision, Overridden: p.Decision.Overridden(), Explanation: text.Explanation})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"jury": j, "candidates": out})
}

// juryDecisionInput is the body of POST /api/v1/juries/{id}/decisions.
type juryDecisionInput struct {
	PersonID  int64                    `json:"person_id"`
	Blocks    []certibloc.BlockVerdict `json:"blocks"`
	Certified bool                     `json:"certified"`
	Reason    string                   `json:"reason"`
}

func (in *juryDecisionInput) juryDecision() *certibloc.JuryDecision {
	return &certibloc.JuryDecision{PersonID: in.PersonID, Blocks: in.Blocks, Certified: in.Certified, Reason: in.Reason}
}

// mayDecide: the chair of the jury records its decisions, or the certifier.
func mayDecide(r *http.Request, j *certibloc.JurySession) error {
	p := certibloc.PrincipalFrom(r.Context())
	if !p.Can(certibloc.ManageJuries) && !chairs(p, j) {
		return certibloc.Errorf(certibloc.EFORBIDDEN, "only the chair of jury %d records its decisions and closes it", j.ID)
	}
	return nil
}

func (a *API) decideCandidate(w http.ResponseWriter, r *http.Request) error {
	j, err := a.jury(r)
	if err != nil {
		return err
	}
	if err := mayDecide(r, j); err != nil {
		return err
	}
	var in juryDecisionInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	jd := in.juryDecision()
	if err := a.db.DecideCandidate(r.Context(), j.ID, jd); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, jd)
}

func (a *API) correctDecision(w http.ResponseWriter, r *http.Request) error {
	j, err := a.jury(r)
	if err != nil {
		return err
	}
	if err := mayDecide(r, j); err != nil {
		return err
	}
	var in struct {
		juryDecisionInput
		Correction string `json:"correction_reason"`
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	jd := in.juryDecision()
	if err := a.db.CorrectJuryDecision(r.Context(), j.ID, jd, in.Correction); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, jd)
}

func (a *API) closeJury(w http.ResponseWriter, r *http.Request) error {
	j, err := a.jury(r)
	if err != nil {
		return err
	}
	if err := mayDecide(r, j); err != nil {
		return err
	}
	if err := a.db.CloseJury(r.Context(), j.ID, pdf.Minutes); err != nil {
		return err
	}
	// Its Open Badges credentials; should this fail, the jury stays closed
	// and POST /api/v1/juries/{id}/credentials issues them.
	if _, err := a.db.IssueJuryCredentials(r.Context(), j.ID, a.baseURL()); err != nil {
		a.log.ErrorContext(r.Context(), "issue the credentials of a closed jury", "jury", j.ID, "error", err)
	}
	if j, err = a.db.Jury(r.Context(), j.ID); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, j)
}

func (a *API) juryMinutes(w http.ResponseWriter, r *http.Request) error {
	j, err := a.jury(r)
	if err != nil {
		return err
	}
	pdf, err := a.db.JuryMinutes(r.Context(), j.ID)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="pv-jury-%d.pdf"`, j.ID))
	_, err = w.Write(pdf)
	return err
}

// personBlocks answers a person's acquired blocks and titles: to the
// person, and to staff of their school.
func (a *API) personBlocks(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.person(r, certibloc.ReadPeople, true)
	if err != nil {
		return err
	}
	blocks, err := a.db.Ledger(r.Context(), p.ID)
	if err != nil {
		return err
	}
	titles, err := a.db.TitlesAwarded(r.Context(), p.ID)
	if err != nil {
		return err
	}
	if blocks == nil {
		blocks = []certibloc.LedgerEntry{}
	}
	if titles == nil {
		titles = []sqldb.TitleAwarded{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"person_id": p.ID, "blocks": blocks, "titles": titles})
}

// personPath answers what the ledger gives on the current version of a
// certification (?certification=, RNCP38478 by default) and what remains,
// explained in the request's language.
func (a *API) personPath(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.person(r, certibloc.ReadPeople, true)
	if err != nil {
		return err
	}
	code := r.URL.Query().Get("certification")
	if code == "" {
		code = "RNCP38478"
	}
	d, left, err := a.db.Path(r.Context(), p.ID, code)
	if err != nil {
		return err
	}
	if left == nil {
		left = []certibloc.LedgerEntry{}
	}
	l := certibloc.NegotiateLang(r.URL.Query().Get("lang"), r.Header.Get("Accept-Language"))
	return writeJSON(w, http.StatusOK, map[string]any{"person_id": p.ID, "certification": code, "path": d.Explain(l), "not_carried_over": left})
}

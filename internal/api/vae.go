package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// VAE candidacies under /api/v1/vae/candidacies: the candidate (signed in
// on the web) opens, saves and submits their own; staff of their school
// read them and assign an accompanist, who comments the dossier; the
// certifier decides feasibility and schedules the oral. The store checks
// who may do what; refusals name each problem in the request's language.

// candidacyInput is the body of POST and PUT: what the candidate writes.
type candidacyInput struct {
	PersonID      int64                     `json:"person_id"`
	Certification string                    `json:"certification"`
	Blocks        []string                  `json:"blocks"`
	Experience    []certibloc.Experience    `json:"experience"`
	Dossier       []certibloc.DossierAnswer `json:"dossier"`
}

func (a *API) listCandidacies(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	person, err := optionalID(q.Get("person"), "person")
	if err != nil {
		return err
	}
	list, err := a.db.Candidacies(r.Context(), sqldb.CandidacyFilter{School: q.Get("school"), PersonID: person, State: certibloc.VAEState(q.Get("state"))})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"candidacies": list})
}

func (a *API) createCandidacy(w http.ResponseWriter, r *http.Request) error {
	var in candidacyInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if in.PersonID == 0 {
		in.PersonID = certibloc.PrincipalFrom(r.Context()).PersonID // a candidate opens their own
	}
	if in.Certification == "" {
		in.Certification = "RNCP38478"
	}
	cd := &certibloc.Candidacy{PersonID: in.PersonID, Certification: in.Certification, Blocks: in.Blocks, Experience: in.Experience}
	if err := a.db.CreateCandidacy(r.Context(), cd); err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, cd)
}

func (a *API) getCandidacy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "candidacy")
	if err != nil {
		return err
	}
	cd, err := a.db.Candidacy(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cd)
}

func (a *API) saveCandidacy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "candidacy")
	if err != nil {
		return err
	}
	var in candidacyInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	cd, err := a.db.SaveCandidacy(r.Context(), &certibloc.Candidacy{ID: id, Blocks: in.Blocks, Experience: in.Experience, Dossier: in.Dossier})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cd)
}

// candidacyStep runs one step of a candidacy that takes no body.
func (a *API) candidacyStep(step func(*sqldb.DB, *http.Request, int64) (*certibloc.Candidacy, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id", "candidacy")
		if err != nil {
			return err
		}
		if _, err := step(a.db, r, id); err != nil {
			return err
		}
		cd, err := a.db.Candidacy(r.Context(), id)
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, cd)
	}
}

func submitCandidacy(db *sqldb.DB, r *http.Request, id int64) (*certibloc.Candidacy, error) {
	return db.SubmitCandidacy(r.Context(), id)
}

func submitDossier(db *sqldb.DB, r *http.Request, id int64) (*certibloc.Candidacy, error) {
	return db.SubmitDossier(r.Context(), id)
}

func withdrawCandidacy(db *sqldb.DB, r *http.Request, id int64) (*certibloc.Candidacy, error) {
	return nil, db.WithdrawCandidacy(r.Context(), id)
}

func (a *API) decideFeasibility(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "candidacy")
	if err != nil {
		return err
	}
	var in struct {
		Outcome certibloc.VAEState `json:"outcome"`
		Reason  string             `json:"reason"`
		Missing []string           `json:"missing"`
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	cd, err := a.db.DecideFeasibility(r.Context(), id, certibloc.Feasibility{Outcome: in.Outcome, Reason: in.Reason, Missing: in.Missing})
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cd)
}

func (a *API) commentDossier(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "candidacy")
	if err != nil {
		return err
	}
	var in struct {
		Block      string `json:"block"`
		Competency int    `json:"competency"`
		Comment    string `json:"comment"`
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.db.CommentDossier(r.Context(), id, in.Block, in.Competency, in.Comment); err != nil {
		return err
	}
	cd, err := a.db.Candidacy(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cd)
}

func (a *API) assignAccompanist(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "candidacy")
	if err != nil {
		return err
	}
	var in struct {
		AccountID int64 `json:"account_id"`
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	if err := a.db.AssignAccompanist(r.Context(), id, in.AccountID); err != nil {
		return err
	}
	cd, err := a.db.Candidacy(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cd)
}

func (a *API) scheduleOral(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "candidacy")
	if err != nil {
		return err
	}
	var in struct {
		At     time.Time `json:"at"`
		Place  string    `json:"place"`
		JuryID int64     `json:"jury_id"`
	}
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	cd, err := a.db.ScheduleOral(r.Context(), id, in.At, in.Place, in.JuryID)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, cd)
}

func (a *API) listProofs(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "candidacy")
	if err != nil {
		return err
	}
	list, err := a.db.Proofs(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"proofs": list})
}

func (a *API) addProof(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "candidacy")
	if err != nil {
		return err
	}
	_, filename, data, err := readUpload(w, r)
	if err != nil {
		return err
	}
	pr, err := a.db.AddProof(r.Context(), id, filename, data)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusCreated, pr)
}

// optionalID reads an id from a query parameter; "" is 0.
func optionalID(s, name string) (int64, error) {
	if s == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 {
		return 0, certibloc.Errorf(certibloc.EINVALID, "%s=%q is not an id", name, s)
	}
	return id, nil
}

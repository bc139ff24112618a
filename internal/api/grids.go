package api

import (
	"net/http"

	"github.com/certibloc/certibloc"
)

// Grids: how each evaluation of a certification version is graded. They
// are part of the referential, public to read; staff and the admin edit
// one into a new revision, which the sessions created afterwards grade
// with (those before keep theirs).

func (a *API) listGrids(w http.ResponseWriter, r *http.Request) error {
	code, err := pathCode(r)
	if err != nil {
		return err
	}
	version, err := intParam(r, "version")
	if err != nil {
		return err
	}
	if version == 0 {
		if version, err = a.db.CurrentVersion(r.Context(), code); err != nil {
			return err
		}
	}
	list, err := a.db.Grids(r.Context(), code, version)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]any{"certification": code, "version": version, "grids": list})
}

func (a *API) getGrid(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "grid")
	if err != nil {
		return err
	}
	g, err := a.db.Grid(r.Context(), id)
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}

// gridInput is the body of PUT /api/v1/grids/{id}: what a revision
// changes. The evaluation it grades is the edited grid's.
type gridInput struct {
	Title    string                `json:"title"`
	Criteria []certibloc.Criterion `json:"criteria"`
	Pass     certibloc.PassRule    `json:"pass"`
}

// putGrid stores a new revision of the grid {id}, which must be the
// latest: an edit made from an older revision would undo the one after it.
func (a *API) putGrid(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id", "grid")
	if err != nil {
		return err
	}
	var in gridInput
	if err := readJSON(w, r, &in); err != nil {
		return err
	}
	old, err := a.db.Grid(r.Context(), id)
	if err != nil {
		return err
	}
	latest, err := a.db.Grids(r.Context(), old.Certification, old.Version)
	if err != nil {
		return err
	}
	for _, g := range latest {
		if g.Block == old.Block && g.Evaluation == old.Evaluation && g.Complementary == old.Complementary && g.ID != old.ID {
			return certibloc.Errorf(certibloc.ECONFLICT, "grid %d is revision %d; revision %d (grid %d) was made since: edit that one",
				old.ID, old.Revision, g.Revision, g.ID)
		}
	}
	g := &certibloc.Grid{Certification: old.Certification, Version: old.Version, Block: old.Block, Evaluation: old.Evaluation,
		Complementary: old.Complementary, Title: in.Title, Criteria: in.Criteria, Pass: in.Pass}
	if err := a.db.SaveGrid(r.Context(), certibloc.PrincipalFrom(r.Context()), g); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, g)
}

package api

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/certibloc/certibloc"
)

// A batch of grades is refused whole, with every problem found
// (certibloc.Problems): the answer lists them, each with its row (the
// entry of the request's list, from 1), its column (the criterion or the
// field), its code and its words in the request's language (?lang=, then
// Accept-Language, French by default), and a message that sums them up.

// problemAnswer is one problem of a refused batch as the API writes it.
type problemAnswer struct {
	certibloc.Problem
	Message string `json:"message"`
}

// problemsStatus is the status of a refused batch: 403 when the principal
// may not grade the session at all, 409 when every problem is a locked
// result (the batch was sound, the results' state forbids it), 400
// otherwise.
func problemsStatus(ps certibloc.Problems) (string, int) {
	locked := len(ps) > 0
	for _, p := range ps {
		if p.Code == "not_assigned" {
			return certibloc.EFORBIDDEN, http.StatusForbidden
		}
		locked = locked && (p.Code == "locked" || p.Code == "other_marker")
	}
	if locked {
		return certibloc.ECONFLICT, http.StatusConflict
	}
	return certibloc.EINVALID, http.StatusBadRequest
}

// shownProblems bounds the problems the summary message quotes; the list
// has them all.
const shownProblems = 5

// problemsMessage sums up a refused batch in language l.
func problemsMessage(ps certibloc.Problems, l certibloc.Lang) string {
	words := ps.In(l)
	more := ""
	if len(words) > shownProblems {
		more = fmt.Sprintf(pick(l, " ; et %d autre(s)", "; and %d more"), len(words)-shownProblems)
		words = words[:shownProblems]
	}
	return fmt.Sprintf(pick(l, "Rien n'a été enregistré, %d problème(s) : %s%s", "Nothing was recorded, %d problem(s): %s%s"),
		len(ps), strings.Join(words, pick(l, " ; ", "; ")), more)
}

// writeProblems answers a refused batch.
func writeProblems(w http.ResponseWriter, r *http.Request, ps certibloc.Problems) {
	l := answerLang(w, r)
	code, status := problemsStatus(ps)
	list := make([]problemAnswer, len(ps))
	for i, p := range ps {
		list[i] = problemAnswer{Problem: p, Message: p.In(l)}
	}
	writeJSON(w, status, map[string]any{"error": map[string]any{"code": code, "message": problemsMessage(ps, l), "problems": list}})
}

// pick returns the French or the English words.
func pick(l certibloc.Lang, fr, en string) string {
	if l == certibloc.English {
		return en
	}
	return fr
}

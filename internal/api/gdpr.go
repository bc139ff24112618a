package api

import (
	"fmt"
	"net/http"
	"os"
	"strconv"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// GDPR: a person's data exported, a person erased, the retention policy.

// exportPerson answers everything held about a person: for the person
// themselves, or for staff of their school acting on their request. The
// disability record is in it only when the requester may read it, the
// text of e-mails only for the person.
func (a *API) exportPerson(w http.ResponseWriter, r *http.Request) error {
	p, self, err := a.person(r, certibloc.ExportAnyData, true)
	if err != nil {
		return err
	}
	pr := certibloc.PrincipalFrom(r.Context())
	if self {
		if err := pr.Authorize(certibloc.ExportOwnData, ""); err != nil {
			return err
		}
	}
	// The text of e-mails may hold a live password link: for the person alone.
	scope := sqldb.ExportScope{Disability: self || pr.Authorize(certibloc.ReadDisability, p.School) == nil, MailText: self}
	x, err := a.db.ExportPerson(r.Context(), p.ID, scope)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="certibloc-person-%d.json"`, p.ID))
	return writeJSON(w, http.StatusOK, x)
}

// erasePerson anonymises a person everywhere, keeping what a certifier
// must keep; the answer is the person as they are left.
func (a *API) erasePerson(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.person(r, certibloc.EraseData, false)
	if err != nil {
		return err
	}
	if err := a.db.ErasePerson(r.Context(), p.ID, "request"); err != nil {
		return err
	}
	if p, err = a.db.Person(r.Context(), p.ID); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, p)
}

// purgeInput is the optional body of POST /api/v1/gdpr/purge.
type purgeInput struct {
	Months  *int `json:"months"`
	DryRun  bool `json:"dry_run"`
	Confirm bool `json:"confirm"`
}

// purge applies the retention policy: erases the people whose record led
// nowhere, untouched for the period given, by default the configured one
// (CERTIBLOC_RETENTION_MONTHS, 24 months when unset). Erasing cannot be
// undone: without an explicit confirmation ({"confirm": true} or
// ?confirm=true) it is a dry run, that answers whom it would erase.
func (a *API) purge(w http.ResponseWriter, r *http.Request) error {
	var in purgeInput
	if r.ContentLength != 0 {
		if err := readJSON(w, r, &in); err != nil {
			return err
		}
	}
	if q := r.URL.Query(); q.Has("confirm") {
		ok, err := strconv.ParseBool(q.Get("confirm"))
		if err != nil {
			return certibloc.Errorf(certibloc.EINVALID, "confirm: %q is not true or false", q.Get("confirm"))
		}
		in.Confirm = in.Confirm || ok
	}
	months := 0
	if in.Months != nil {
		months = *in.Months
	} else {
		var err error
		if months, err = sqldb.RetentionMonths(os.Getenv); err != nil {
			return err
		}
	}
	res, err := a.db.PurgeRetention(r.Context(), months, in.DryRun || !in.Confirm)
	if err != nil {
		return err
	}
	a.log.Info("retention purge", "months", res.Months, "dry_run", res.DryRun, "erased", res.Erased)
	return writeJSON(w, http.StatusOK, res)
}

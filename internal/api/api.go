// Package api is certibloc's JSON API under /api/v1, described by the
// OpenAPI document served at /api/openapi.json. Handlers return errors; one
// function turns them into the error shape of the API and an HTTP status.
package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/httpx"
	"github.com/certibloc/certibloc/internal/jobs"
	"github.com/certibloc/certibloc/internal/prepared"
	"github.com/certibloc/certibloc/internal/session"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// API serves the JSON API.
type API struct {
	db     *sqldb.DB
	log    *slog.Logger
	routes []Route
	// sessions reads web sessions (session.go); nil: plain-http cookies.
	sessions *session.Manager
	bodies   prepared.Cache // the referential and programme answers
	base     string         // the site's address (UseBaseURL)
	// uploading is held while an RNCP export is uploaded (importRNCP).
	uploading sync.Mutex
	jobs      *jobs.Runner // runs the RNCP imports (UseJobs)
}

// Route is one declared endpoint and the permission it needs. Every
// endpoint is declared here, so that tests can walk them all; handlers of
// records that belong to a school check the school themselves
// (Principal.Authorize).
type Route struct {
	Pattern string // "GET /api/v1/certifications/{code}"
	Perm    certibloc.Permission
	handler func(w http.ResponseWriter, r *http.Request) error
}

const public = certibloc.Public

// New returns the API over db. The e-mails that announce its changes are
// written to the outbox by the store, in the same transaction.
func New(db *sqldb.DB, log *slog.Logger) *API {
	a := &API{db: db, log: log}
	a.routes = []Route{
		{"GET /api/openapi.json", public, a.openAPI},
		{"GET /api/v1/certifications", public, a.listCertifications},
		{"GET /api/v1/certifications/{code}", public, a.getCertification},
		{"GET /api/v1/certifications/{code}/versions", public, a.listVersions},
		{"POST /api/v1/certifications/{code}/simulate", public, a.simulate},
		{"POST /api/v1/certifications/{code}/eligibility", public, a.eligibility},
		{"POST /api/v1/imports/rncp", certibloc.WriteReferent, a.importRNCP},
		{"GET /api/v1/imports/rncp/{job}", certibloc.WriteReferent, a.rncpImportJob},
		{"GET /api/v1/programmes", public, a.listProgrammes},
		{"GET /api/v1/programmes/{slug}", public, a.getProgramme},
		{"GET /api/v1/audit", certibloc.ReadAudit, a.auditTrail},
		{"GET /api/v1/tokens", certibloc.ManageAccounts, a.listTokens},
		{"POST /api/v1/tokens", certibloc.ManageAccounts, a.createToken},
		{"DELETE /api/v1/tokens/{id}", certibloc.ManageAccounts, a.revokeToken},
		{"GET /api/v1/schools", certibloc.SignedIn, a.listSchools},
		{"POST /api/v1/schools", certibloc.ManageSchools, a.createSchool},
		{"GET /api/v1/schools/{code}", certibloc.SignedIn, a.getSchool},
		{"GET /api/v1/people", certibloc.SignedIn, a.listPeople},
		{"POST /api/v1/people", certibloc.WritePeople, a.createPerson},
		{"GET /api/v1/people/{id}", certibloc.SignedIn, a.getPerson},
		{"PUT /api/v1/people/{id}", certibloc.WritePeople, a.updatePerson},
		{"GET /api/v1/people/{id}/disability", certibloc.SignedIn, a.getDisability},
		{"PUT /api/v1/people/{id}/disability", certibloc.WriteDisability, a.putDisability},
		{"GET /api/v1/people/{id}/export", certibloc.SignedIn, a.exportPerson},
		{"POST /api/v1/people/{id}/erase", certibloc.EraseData, a.erasePerson},
		{"POST /api/v1/gdpr/purge", certibloc.EraseData, a.purge},
		{"GET /api/v1/campaigns", public, a.listCampaigns},
		{"POST /api/v1/campaigns", certibloc.ManageAdmission, a.createCampaign},
		{"GET /api/v1/campaigns/{id}", public, a.getCampaign},
		{"PATCH /api/v1/campaigns/{id}", certibloc.ManageAdmission, a.patchCampaign},
		{"GET /api/v1/campaigns/{id}/counts", certibloc.ManageAdmission, a.campaignCounts},
		{"GET /api/v1/applications", certibloc.SignedIn, a.listApplications},
		{"POST /api/v1/applications", certibloc.SignedIn, a.createApplication},
		{"GET /api/v1/applications/{id}", certibloc.SignedIn, a.getApplication},
		{"PUT /api/v1/applications/{id}", certibloc.SignedIn, a.updateApplication},
		{"POST /api/v1/applications/{id}/submit", certibloc.SignedIn, a.submitApplication},
		{"GET /api/v1/applications/{id}/documents", certibloc.SignedIn, a.listDocuments},
		{"POST /api/v1/applications/{id}/documents", certibloc.SignedIn, a.addDocument},
		{"GET /api/v1/applications/{id}/documents/{doc}", certibloc.SignedIn, a.getDocument},
		{"GET /api/v1/applications/{id}/decisions", certibloc.SignedIn, a.listDecisions},
		{"POST /api/v1/applications/{id}/decisions", certibloc.SignedIn, a.decideOne},
		{"POST /api/v1/decisions", certibloc.ManageAdmission, a.decideMany},
		{"GET /api/v1/cohorts", certibloc.ManageAdmission, a.listCohorts},
		{"POST /api/v1/cohorts", certibloc.ManageAdmission, a.createCohort},
		{"GET /api/v1/cohorts/{id}", certibloc.ManageAdmission, a.getCohort},
		{"GET /api/v1/enrolments", certibloc.ManageAdmission, a.listEnrolments},
		{"POST /api/v1/enrolments", certibloc.ManageAdmission, a.enrol},
		{"GET /api/v1/certifications/{code}/grids", public, a.listGrids},
		{"GET /api/v1/grids/{id}", public, a.getGrid},
		{"PUT /api/v1/grids/{id}", certibloc.ManageEvaluations, a.putGrid},
		{"GET /api/v1/evaluations", certibloc.SignedIn, a.listEvaluations},
		{"POST /api/v1/evaluations", certibloc.ManageEvaluations, a.createEvaluation},
		{"GET /api/v1/evaluations/{id}", certibloc.SignedIn, a.getEvaluation},
		{"GET /api/v1/evaluations/{id}/results", certibloc.SignedIn, a.listResults},
		{"POST /api/v1/evaluations/{id}/results", certibloc.GradeEvaluations, a.recordResults},
		{"POST /api/v1/evaluations/{id}/results/{result_id}/correction", certibloc.ManageEvaluations, a.correctResult},
		{"GET /api/v1/people/{id}/results", certibloc.SignedIn, a.personResults},
		{"GET /api/v1/people/{id}/accommodations", certibloc.SignedIn, a.getAccommodations},
		{"PUT /api/v1/people/{id}/accommodations", certibloc.WriteDisability, a.putAccommodations},
		{"GET /api/v1/juries", certibloc.SitJury, a.listJuries},
		{"POST /api/v1/juries", certibloc.ManageJuries, a.createJury},
		{"GET /api/v1/juries/{id}", certibloc.SitJury, a.getJury},
		{"POST /api/v1/juries/{id}/candidates", certibloc.ManageJuries, a.addJuryCandidates},
		{"POST /api/v1/juries/{id}/declarations", certibloc.SitJury, a.declareConflict},
		{"GET /api/v1/juries/{id}/deliberation", certibloc.SitJury, a.deliberation},
		{"POST /api/v1/juries/{id}/decisions", certibloc.SitJury, a.decideCandidate},
		{"POST /api/v1/juries/{id}/decisions/correction", certibloc.SitJury, a.correctDecision},
		{"POST /api/v1/juries/{id}/close", certibloc.SitJury, a.closeJury},
		{"GET /api/v1/juries/{id}/minutes", certibloc.SitJury, a.juryMinutes},
		{"POST /api/v1/juries/{id}/documents", certibloc.ManageJuries, a.generateJuryDocuments},
		{"GET /api/v1/juries/{id}/documents", certibloc.ManageJuries, a.juryDocuments},
		{"GET /api/v1/juries/{id}/documents.zip", certibloc.ManageJuries, a.juryDocumentsZip},
		{"GET /api/v1/jobs", certibloc.ReadOutbox, a.listJobs},
		{"GET /api/v1/jobs/{id}", certibloc.ReadOutbox, a.getJob},
		{"GET /api/v1/vae/candidacies", certibloc.SignedIn, a.listCandidacies},
		{"POST /api/v1/vae/candidacies", certibloc.SignedIn, a.createCandidacy},
		{"GET /api/v1/vae/candidacies/{id}", certibloc.SignedIn, a.getCandidacy},
		{"PUT /api/v1/vae/candidacies/{id}", certibloc.SignedIn, a.saveCandidacy},
		{"POST /api/v1/vae/candidacies/{id}/submit", certibloc.SignedIn, a.candidacyStep(submitCandidacy)},
		{"POST /api/v1/vae/candidacies/{id}/feasibility", certibloc.ManageJuries, a.decideFeasibility},
		{"POST /api/v1/vae/candidacies/{id}/dossier/submit", certibloc.SignedIn, a.candidacyStep(submitDossier)},
		{"POST /api/v1/vae/candidacies/{id}/comments", certibloc.SignedIn, a.commentDossier},
		{"PUT /api/v1/vae/candidacies/{id}/accompanist", certibloc.WritePeople, a.assignAccompanist},
		{"POST /api/v1/vae/candidacies/{id}/oral", certibloc.ManageJuries, a.scheduleOral},
		{"POST /api/v1/vae/candidacies/{id}/withdraw", certibloc.SignedIn, a.candidacyStep(withdrawCandidacy)},
		{"GET /api/v1/vae/candidacies/{id}/proofs", certibloc.SignedIn, a.listProofs},
		{"POST /api/v1/vae/candidacies/{id}/proofs", certibloc.SignedIn, a.addProof},
		{"GET /api/v1/people/{id}/blocks", certibloc.SignedIn, a.personBlocks},
		{"GET /api/v1/people/{id}/path", certibloc.SignedIn, a.personPath},
		{"GET /api/v1/documents/{number}", public, a.verifyDocument},
		{"GET /api/v1/documents/{number}/pdf", certibloc.SignedIn, a.documentPDF},
		{"POST /api/v1/documents/{number}/revoke", certibloc.ManageJuries, a.revokeDocument},
		{"GET /api/v1/people/{id}/documents", certibloc.SignedIn, a.personDocuments},
		{"GET /api/v1/exports/accrochage/check", certibloc.DeclareHolders, a.checkAccrochage},
		{"POST /api/v1/exports/accrochage", certibloc.DeclareHolders, a.exportAccrochage},
		{"GET /api/v1/exports/accrochage/passages", certibloc.DeclareHolders, a.accrochagePassages},
		{"GET /api/v1/exports/accrochage/overdue", certibloc.DeclareHolders, a.accrochageOverdue},
		{"GET /api/v1/exports/accrochage/files", certibloc.DeclareHolders, a.accrochageFiles},
		{"POST /api/v1/exports/accrochage/reports", certibloc.DeclareHolders, a.applyAccrochageReport},
		{"GET /api/v1/exports/accrochage/accounts", certibloc.DeclareHolders, a.listCDCAccounts},
		{"GET /api/v1/exports/accrochage/archive", certibloc.DeclareHolders, a.accrochageArchive},
		{"GET /api/v1/exports/accrochage/archive/{id}", certibloc.DeclareHolders, a.accrochageArchived},
		{"PUT /api/v1/certifications/{code}/cdc-account", certibloc.DeclareHolders, a.putCDCAccount},
		{"POST /api/v1/imports/accrochage", certibloc.DeclareHolders, a.importAccrochage},
		{"GET /.well-known/did.json", public, a.didDocument},
		{"GET /did.json", public, a.didDocument},
		{"GET /credentials/status/{n}", public, a.statusList},
		{"POST /api/v1/credentials/verify", public, a.verifyCredential},
		{"GET /api/v1/credentials/{id}", public, a.getCredential},
		{"GET /api/v1/people/{id}/credentials", certibloc.SignedIn, a.personCredentials},
		{"POST /api/v1/juries/{id}/credentials", certibloc.ManageJuries, a.issueCredentials},
		{"GET /api/v1/reports/certifications/{code}/figures", certibloc.DeclareHolders, a.certificationFigures},
		{"GET /api/v1/reports/certifications/{code}/surveys", certibloc.DeclareHolders, a.certificationSurveys},
	}
	a.routes = append(a.routes, a.sheetRoutes()...)
	a.routes = append(a.routes, a.importJobRoutes()...)
	return a
}

// Routes returns the declared endpoints.
func (a *API) Routes() []Route { return a.routes }

// Register adds every endpoint to mux, each behind its access check.
func (a *API) Register(mux *http.ServeMux) {
	for _, rt := range a.routes {
		mux.Handle(rt.Pattern, a.serve(rt))
	}
	// Anything else under /api is a JSON 404, not the HTML one.
	mux.Handle("/api/", a.serve(Route{handler: func(w http.ResponseWriter, r *http.Request) error {
		return certibloc.Errorf(certibloc.ENOTFOUND, "no endpoint %s %s", r.Method, r.URL.Path)
	}}))
}

// serve checks access, then runs the handler and writes its error, if any.
func (a *API) serve(rt Route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		err := httpx.CheckURL(r)
		if err == nil {
			r, err = a.authorize(r, rt.Perm)
		}
		if err == nil {
			err = rt.handler(w, r)
		}
		if err != nil {
			a.writeError(w, r, err)
		}
	})
}

// authorize reads the bearer token, if any, or else the web session (see
// session.go) into the request's principal and checks the route's
// permission.
func (a *API) authorize(r *http.Request, perm certibloc.Permission) (*http.Request, error) {
	p := &certibloc.Principal{}
	if h := r.Header.Get("Authorization"); h == "" {
		var err error
		if p, err = a.sessionPrincipal(r); err != nil {
			return r, err
		}
	} else {
		secret, ok := strings.CutPrefix(h, "Bearer ")
		if !ok || strings.TrimSpace(secret) == "" {
			return r, certibloc.Errorf(certibloc.EUNAUTHORIZED, "the Authorization header must be \"Bearer <token>\"")
		}
		tok, err := a.db.Authenticate(r.Context(), strings.TrimSpace(secret))
		if err != nil {
			return r, err
		}
		p = tok.Principal()
	}
	if perm != certibloc.Public && p.Anonymous() {
		return r, certibloc.Errorf(certibloc.EUNAUTHORIZED, "this endpoint needs an Authorization: Bearer <token> header")
	}
	if err := p.Authorize(perm, ""); err != nil {
		return r, err
	}
	return r.WithContext(certibloc.WithPrincipal(r.Context(), p)), nil
}

// writeError writes {"error": {"code", "message"}} with the status of
// its code (httpx.Error); internal errors are logged and answered with a
// generic message. A refused batch (certibloc.Problems) adds its
// problems, in the request's language (problems.go).
func (a *API) writeError(w http.ResponseWriter, r *http.Request, err error) {
	var ps certibloc.Problems
	if errors.As(err, &ps) && len(ps) > 0 {
		writeProblems(w, r, ps)
		return
	}
	code, status, message := httpx.Error(err)
	if status >= http.StatusInternalServerError {
		a.log.ErrorContext(r.Context(), "api", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	if code == certibloc.EUNAUTHORIZED {
		w.Header().Set("WWW-Authenticate", `Bearer realm="certibloc"`)
	}
	httpx.SetHeaders(w.Header(), status)
	writeJSON(w, status, map[string]any{"error": map[string]string{"code": code, "message": message}})
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

// maxJSONBody bounds the JSON requests of the API (not the imports).
const maxJSONBody = 1 << 20

// readJSON decodes a JSON body into v, refusing unknown fields and
// trailing data, with messages that name what is wrong. Every string of
// the body is checked for control characters and length, and every number
// for the range the store keeps (checkJSON), before v is filled.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return err
	}
	if err != nil { // the client hung up or was too slow
		return certibloc.Errorf(certibloc.EINVALID, "the body could not be read: %v", err)
	}
	if err := checkJSON(body); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return certibloc.Errorf(certibloc.EINVALID, "the body holds more than one JSON value")
	}
	return nil
}

// jsonError turns a decoding error into a message that names what is wrong.
func jsonError(err error) error {
	var syntax *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var cerr *certibloc.Error
	switch {
	case errors.As(err, &cerr):
		return cerr
	case errors.As(err, &syntax):
		return certibloc.Errorf(certibloc.EINVALID, "the body is not valid JSON (at byte %d): %v", syntax.Offset, err)
	case errors.As(err, &typ):
		return certibloc.Errorf(certibloc.EINVALID, "field %q must be of type %s, not %s", typ.Field, typ.Type, typ.Value)
	case errors.Is(err, io.EOF):
		return certibloc.Errorf(certibloc.EINVALID, "the body is empty: a JSON object is expected")
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		return certibloc.Errorf(certibloc.EINVALID, "unknown field %s", strings.TrimPrefix(err.Error(), "json: unknown field "))
	}
	return certibloc.Errorf(certibloc.EINVALID, "the body could not be read as JSON: %v", err)
}

// pathCode reads and checks the {code} of a certification path.
func pathCode(r *http.Request) (string, error) {
	code := strings.ToUpper(r.PathValue("code"))
	if !certibloc.ValidCode(code) {
		return "", certibloc.Errorf(certibloc.EINVALID, "%q is not a certification code (RNCPnnnnn or RSnnnn)", r.PathValue("code"))
	}
	return code, nil
}

// intParam reads an optional non-negative integer query parameter.
func intParam(r *http.Request, name string) (int, error) {
	s := r.URL.Query().Get(name)
	if s == "" {
		return 0, nil
	}
	var n int
	if _, err := fmt.Sscan(s, &n); err != nil || n < 0 {
		return 0, certibloc.Errorf(certibloc.EINVALID, "query parameter %s=%q must be a non-negative integer", name, s)
	}
	return n, nil
}

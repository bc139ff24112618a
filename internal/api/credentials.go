package api

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/openbadge"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/vc"
)

// Open Badges 3.0 credentials: the DID document of certibloc's issuer,
// its status lists, each credential (JSON or baked badge) by its
// unguessable id, a person's list, the issuing of a closed jury's, and
// the verification of any credential.

// UseBaseURL sets the address the site is reached at, which names the
// issuer (its did:web) and the credentials. Without it, http://localhost:8080.
func (a *API) UseBaseURL(u string) *API {
	a.base = strings.TrimRight(u, "/")
	return a
}

func (a *API) baseURL() string {
	if a.base == "" {
		return "http://localhost:8080"
	}
	return a.base
}

// didDocument serves the DID document of certibloc's did:web: every key,
// the retired ones too, so that what they signed still verifies. It is at
// /.well-known/did.json, where did:web:host resolves, and at /did.json,
// where a did:web with a path resolves (did:web:host:certibloc is
// https://host/certibloc/did.json) when certibloc is served under a path
// by a reverse proxy that strips it.
func (a *API) didDocument(w http.ResponseWriter, r *http.Request) error {
	did, err := openbadge.DIDWeb(a.baseURL())
	if err != nil {
		return err
	}
	keys, err := a.db.CredentialKeys(r.Context())
	if err != nil {
		return err
	}
	methods, refs := []any{}, []string{}
	for _, k := range keys {
		id := did + "#" + k.PublicKey
		methods = append(methods, map[string]string{"id": id, "type": "Multikey", "controller": did, "publicKeyMultibase": k.PublicKey})
		refs = append(refs, id)
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	return writeJSONAs(w, "application/did+json", map[string]any{
		"@context":           []string{vc.DIDV1, vc.MultikeyV1},
		"id":                 did,
		"verificationMethod": methods,
		"assertionMethod":    refs,
	})
}

// statusList serves a Bitstring Status List credential, as signed at its
// last change.
func (a *API) statusList(w http.ResponseWriter, r *http.Request) error {
	n, err := strconv.ParseInt(r.PathValue("n"), 10, 64)
	if err != nil || n < 1 {
		return certibloc.Errorf(certibloc.EINVALID, "%q is not a status list number", r.PathValue("n"))
	}
	doc, err := a.db.StatusListCredential(r.Context(), n, a.baseURL())
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store") // a revocation shows at once
	return writeJSONAs(w, "application/vc+ld+json", doc)
}

// getCredential serves a credential by its id: JSON, or with ?format=png
// or svg its badge with the credential baked in.
func (a *API) getCredential(w http.ResponseWriter, r *http.Request) error {
	c, err := a.db.CredentialByID(r.Context(), r.PathValue("id"))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "no-store")
	format := r.URL.Query().Get("format")
	if format == "" || format == "json" {
		if format == "json" {
			w.Header().Set("Content-Disposition", `attachment; filename="`+c.Name()+`.json"`)
		}
		w.Header().Set("Content-Type", "application/vc+ld+json")
		_, err := w.Write(c.Document)
		return err
	}
	img, ctype, err := c.Badge(format)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+c.Name()+`.`+format+`"`)
	_, err = w.Write(img)
	return err
}

// personCredentials lists a person's credentials with their links: for
// the holder, the staff of their school and the admin.
func (a *API) personCredentials(w http.ResponseWriter, r *http.Request) error {
	p, _, err := a.person(r, certibloc.ReadPeople, true)
	if err != nil {
		return err
	}
	creds, err := a.db.PersonCredentials(r.Context(), p.ID)
	if err != nil {
		return err
	}
	type item struct {
		sqldb.Credential
		Links sqldb.CredentialLinks `json:"links"`
	}
	out := []item{}
	for _, c := range creds {
		out = append(out, item{c, c.Links(a.baseURL())})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"person_id": p.ID, "credentials": out})
}

// issueCredentials issues the credentials of a closed jury not issued yet.
func (a *API) issueCredentials(w http.ResponseWriter, r *http.Request) error {
	j, err := a.jury(r)
	if err != nil {
		return err
	}
	creds, err := a.db.IssueJuryCredentials(r.Context(), j.ID, a.baseURL())
	if err != nil {
		return err
	}
	if creds == nil {
		creds = []sqldb.Credential{}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"jury_id": j.ID, "issued": creds})
}

// verifyCredential checks the credential of the body (JSON, or a baked
// PNG or SVG badge), check by check, in the request's language. A body
// over 10 MB is refused unread.
func (a *API) verifyCredential(w http.ResponseWriter, r *http.Request) error {
	l := answerLang(w, r)
	w.Header().Set("Cache-Control", "no-store")
	if err := a.db.ThrottleCredentialCheck(r.Context(), a.clientIP(r)); err != nil {
		if certibloc.ErrorCode(err) == certibloc.ETOOMANY {
			return certibloc.Errorf(certibloc.ETOOMANY, "%s", certibloc.VerifyRefusal(err, l))
		}
		return err
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, openbadge.MaxCredentialBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return writeJSON(w, http.StatusRequestEntityTooLarge, a.db.CredentialVerifier(a.baseURL()).VerifyContent(r.Context(), nil, true, l))
	}
	if err != nil {
		return certibloc.Errorf(certibloc.EINVALID, "the body could not be read: %v", err)
	}
	return writeJSON(w, http.StatusOK, a.db.CredentialVerifier(a.baseURL()).VerifyContent(r.Context(), body, false, l))
}

func writeJSONAs(w http.ResponseWriter, ctype string, v any) error {
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

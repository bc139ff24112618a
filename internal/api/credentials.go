package api

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

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

// Verifier returns the verifier of credentials against certibloc's own
// issuer at base: its keys and its status lists, nothing fetched.
func Verifier(db *sqldb.DB, base string) *openbadge.Verifier {
	did, _ := openbadge.DIDWeb(base)
	urls := sqldb.CredentialURLs{Base: base}
	return &openbadge.Verifier{
		OwnDID:  did,
		OwnKeys: func(ctx context.Context) (map[string]ed25519.PublicKey, error) { return db.PublicKeys(ctx) },
		Revoked: func(ctx context.Context, list string, index int) (bool, error) {
			n, ok := urls.StatusListNumber(list)
			if !ok {
				return false, openbadge.ErrNotOwnList
			}
			revoked, exists, err := db.RevokedInList(ctx, n)
			if err != nil {
				return false, err
			}
			if !exists {
				return false, fmt.Errorf("certibloc has no status list %d", n)
			}
			for _, r := range revoked {
				if r == index {
					return true, nil
				}
			}
			return false, nil
		},
	}
}

// didDocument serves the DID document of certibloc's did:web: every key,
// the retired ones too, so that what they signed still verifies.
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

// statusList serves a Bitstring Status List credential, signed afresh.
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
	img, ctype, err := Badge(c, format)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", `attachment; filename="`+c.Name()+`.`+format+`"`)
	_, err = w.Write(img)
	return err
}

// Badge returns the badge image of a credential, the credential baked in:
// format png or svg.
func Badge(c *sqldb.Credential, format string) ([]byte, string, error) {
	var doc struct {
		CredentialSubject struct {
			Achievement struct {
				Name string `json:"name"`
			} `json:"achievement"`
		} `json:"credentialSubject"`
	}
	json.Unmarshal(c.Document, &doc)
	a := openbadge.Achievement{Certification: c.Certification, Title: doc.CredentialSubject.Achievement.Name,
		Block: c.Block, BlockTitle: doc.CredentialSubject.Achievement.Name}
	switch format {
	case "png":
		img, err := openbadge.BakePNG(openbadge.BadgePNG(a), c.Document)
		return img, "image/png", err
	case "svg":
		img, err := openbadge.BakeSVG(openbadge.BadgeSVG(a), c.Document)
		return img, "image/svg+xml", err
	}
	return nil, "", certibloc.Errorf(certibloc.EINVALID, "format %q is not json, png or svg", format)
}

// CredentialLinks are where a holder shares a credential.
type CredentialLinks struct {
	Share    string `json:"share"`    // the public verification page
	JSON     string `json:"json"`     // the credential
	PNG      string `json:"png"`      // the baked badges
	SVG      string `json:"svg"`      //
	LinkedIn string `json:"linkedin"` // "add to profile", filled in
}

// Links returns the links of a credential at base.
func Links(base string, c *sqldb.Credential, certifier string) CredentialLinks {
	api := base + "/api/v1/credentials/" + c.PublicID
	share := base + "/credentials/" + c.PublicID
	var doc struct {
		Name      string    `json:"name"`
		ValidFrom time.Time `json:"validFrom"`
	}
	json.Unmarshal(c.Document, &doc)
	q := url.Values{}
	q.Set("startTask", "CERTIFICATION_NAME")
	q.Set("name", doc.Name)
	q.Set("organizationName", certifier)
	q.Set("certUrl", share)
	q.Set("certId", c.PublicID)
	// The date of the jury, as LinkedIn asks: year then month.
	linkedIn := "https://www.linkedin.com/profile/add?" + q.Encode() +
		fmt.Sprintf("&issueYear=%d&issueMonth=%d", doc.ValidFrom.Year(), int(doc.ValidFrom.Month()))
	return CredentialLinks{Share: share, JSON: api + "?format=json", PNG: api + "?format=png", SVG: api + "?format=svg",
		LinkedIn: linkedIn}
}

// Issuer returns the name of a credential's issuer.
func Issuer(c *sqldb.Credential) string {
	var doc struct {
		Issuer struct {
			Name string `json:"name"`
		} `json:"issuer"`
	}
	json.Unmarshal(c.Document, &doc)
	return doc.Issuer.Name
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
		Links CredentialLinks `json:"links"`
	}
	out := []item{}
	for _, c := range creds {
		out = append(out, item{c, Links(a.baseURL(), &c, Issuer(&c))})
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
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, openbadge.MaxCredentialBytes))
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		return writeJSON(w, http.StatusRequestEntityTooLarge, VerifyBytes(r.Context(), Verifier(a.db, a.baseURL()), nil, true, l))
	}
	if err != nil {
		return certibloc.Errorf(certibloc.EINVALID, "the body could not be read: %v", err)
	}
	return writeJSON(w, http.StatusOK, VerifyBytes(r.Context(), Verifier(a.db, a.baseURL()), body, false, l))
}

// VerifyBytes verifies a credential given as JSON or a baked image; an
// image without a credential fails the first check, named "image".
func VerifyBytes(ctx context.Context, v *openbadge.Verifier, content []byte, tooBig bool, l certibloc.Lang) openbadge.Result {
	pick := func(fr, en string) string {
		if l == certibloc.English {
			return en
		}
		return fr
	}
	if tooBig {
		return openbadge.Result{Checks: []openbadge.Check{{Name: openbadge.CheckJSON, Message: pick(
			fmt.Sprintf("Le contenu dépasse %d octets : il n'est pas lu.", openbadge.MaxCredentialBytes),
			fmt.Sprintf("The content is over %d bytes: it is not read.", openbadge.MaxCredentialBytes))}}}
	}
	raw, err := openbadge.Unbake(content)
	if err != nil {
		msg := pick("L'image ne se lit pas : "+err.Error()+".", "The image cannot be read: "+err.Error()+".")
		if errors.Is(err, openbadge.ErrNotBaked) {
			msg = pick("L'image ne contient pas d'identifiant Open Badges.", "The image carries no Open Badges credential.")
		}
		return openbadge.Result{Checks: []openbadge.Check{{Name: "image", Message: msg}}}
	}
	res := v.Verify(ctx, raw, l)
	if !bytes.Equal(raw, content) {
		res.Checks = append([]openbadge.Check{{Name: "image", OK: true,
			Message: pick("L'identifiant est extrait de l'image.", "The credential is taken from the image.")}}, res.Checks...)
	}
	return res
}

func writeJSONAs(w http.ResponseWriter, ctype string, v any) error {
	w.Header().Set("Content-Type", ctype)
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}

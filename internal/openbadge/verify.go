package openbadge

import (
	"bytes"
	"context"
	"crypto/ed25519"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"golang.org/x/text/language"
	"golang.org/x/text/message"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/vc"
)

// The verification of an Open Badges 3.0 credential, check by check, each
// named and explained in the reader's language. Nothing is fetched: the
// contexts are the cached ones (package vc), a key comes from a did:key,
// from the verification method's multikey fragment, or from certibloc's
// own did:web; status lists are certibloc's own.

// Limits of what is read.
const (
	MaxCredentialBytes = 10 << 20 // 10 MB
	MaxDepth           = 32       // nested objects and arrays
)

// Check is one verification step and what it found.
type Check struct {
	Name    string `json:"name"`
	OK      bool   `json:"ok"`
	Message string `json:"message"`
}

// Result is the verification of a credential: valid when every check holds.
type Result struct {
	Valid  bool    `json:"valid"`
	Checks []Check `json:"checks"`
}

// Check names, in the order they are made.
const (
	CheckJSON     = "json"
	CheckContext  = "context"
	CheckType     = "type"
	CheckJSONLD   = "jsonld"
	CheckSchema   = "schema"
	CheckProof    = "proof"
	CheckValidity = "validity"
	CheckStatus   = "status"
)

// ErrNotOwnList is the error of a status list that is not certibloc's:
// it is not fetched.
var ErrNotOwnList = errors.New("not certibloc's status list")

// Verifier checks credentials against certibloc's own issuer.
type Verifier struct {
	// OwnDID is certibloc's did:web; OwnKeys its public keys by multikey,
	// the retired ones too.
	OwnDID  string
	OwnKeys func(ctx context.Context) (map[string]ed25519.PublicKey, error)
	// Revoked reads an entry of one of certibloc's status lists, or
	// answers ErrNotOwnList.
	Revoked func(ctx context.Context, listURL string, index int) (bool, error)
	Now     func() time.Time
}

type checker struct {
	l      certibloc.Lang
	result Result
}

func (c *checker) add(name string, ok bool, fr, en string, args ...any) {
	msg := fr
	if c.l == certibloc.English {
		msg = en
	}
	c.result.Checks = append(c.result.Checks, Check{Name: name, OK: ok, Message: fmt.Sprintf(msg, args...)})
}

// Verify checks a credential given as JSON, answering in language l.
func (v *Verifier) Verify(ctx context.Context, raw []byte, l certibloc.Lang) Result {
	c := &checker{l: l}
	v.verify(ctx, c, raw)
	c.result.Valid = len(c.result.Checks) > 0
	for _, ch := range c.result.Checks {
		c.result.Valid = c.result.Valid && ch.OK
	}
	return c.result
}

func (v *Verifier) verify(ctx context.Context, c *checker, raw []byte) {
	doc, err := parse(raw)
	if err != nil {
		c.add(CheckJSON, false, "Le contenu n'est pas un identifiant numérique lisible : %s.", "The content is not a readable credential: %s.", describeJSON(err, c.l))
		return
	}
	c.add(CheckJSON, true, "Le contenu est un objet JSON.", "The content is a JSON object.")
	v.checkContext(c, doc)
	v.checkType(c, doc)
	expanded, ok := v.checkJSONLD(c, doc)
	v.checkSchema(c, doc)
	if ok {
		v.checkProof(ctx, c, doc, expanded)
	} else {
		c.add(CheckProof, false, "La preuve n'est pas vérifiée : le document JSON-LD n'a pas pu être interprété.",
			"The proof is not checked: the JSON-LD document could not be read.")
	}
	v.checkValidity(c, doc)
	v.checkStatus(ctx, c, doc)
}

var errTooDeep = errors.New("too deep")

// parse reads a JSON object, refusing more than MaxCredentialBytes and a
// nesting deeper than MaxDepth before decoding it.
func parse(raw []byte) (map[string]any, error) {
	if len(raw) > MaxCredentialBytes {
		return nil, errTooLarge
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	depth := 0
	for {
		t, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		if d, ok := t.(json.Delim); ok {
			if d == '{' || d == '[' {
				if depth++; depth > MaxDepth {
					return nil, errTooDeep
				}
			} else {
				depth--
			}
		}
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil || doc == nil {
		return nil, errNotObject
	}
	return doc, nil
}

var (
	errTooLarge  = errors.New("too large")
	errNotObject = errors.New("not an object")
)

func describeJSON(err error, l certibloc.Lang) string {
	fr, en := "JSON mal formé", "malformed JSON"
	switch {
	case errors.Is(err, errTooLarge):
		fr, en = fmt.Sprintf("plus de %d octets", MaxCredentialBytes), fmt.Sprintf("more than %d bytes", MaxCredentialBytes)
	case errors.Is(err, errTooDeep):
		fr, en = fmt.Sprintf("plus de %d niveaux d'imbrication", MaxDepth), fmt.Sprintf("more than %d levels of nesting", MaxDepth)
	case errors.Is(err, errNotObject):
		fr, en = "ce n'est pas un objet JSON", "it is not a JSON object"
	}
	if l == certibloc.English {
		return en
	}
	return fr
}

var obContextRE = regexp.MustCompile(`^https://purl\.imsglobal\.org/spec/ob/v3p0/context(-3\.\d\.\d)*\.json$`)

func (v *Verifier) checkContext(c *checker, doc map[string]any) {
	ctxs, _ := doc["@context"].([]any)
	first, _ := value(ctxs, 0).(string)
	second, _ := value(ctxs, 1).(string)
	if first != vc.CredentialsV2 || !obContextRE.MatchString(second) {
		c.add(CheckContext, false,
			"@context doit commencer par %s puis le contexte Open Badges 3.0 (%s) : %s donné.",
			"@context must start with %s then the Open Badges 3.0 context (%s): %s given.",
			vc.CredentialsV2, vc.OpenBadgesV3, short(doc["@context"]))
		return
	}
	c.add(CheckContext, true, "Les contextes sont dans l'ordre : VCDM 2.0 puis Open Badges 3.0.",
		"The contexts are in order: VCDM 2.0 then Open Badges 3.0.")
}

func (v *Verifier) checkType(c *checker, doc map[string]any) {
	types := strings_(doc["type"])
	if !slices.Contains(types, "VerifiableCredential") ||
		!(slices.Contains(types, "OpenBadgeCredential") || slices.Contains(types, "AchievementCredential")) {
		c.add(CheckType, false, "Le type doit comprendre VerifiableCredential et OpenBadgeCredential : %s donné.",
			"The type must include VerifiableCredential and OpenBadgeCredential: %s given.", short(doc["type"]))
		return
	}
	c.add(CheckType, true, "C'est un OpenBadgeCredential.", "It is an OpenBadgeCredential.")
}

// checkJSONLD expands the document without its proofs: each proof is
// expanded on its own when it is checked, and a proof of another kind is
// not judged.
func (v *Verifier) checkJSONLD(c *checker, doc map[string]any) ([]any, bool) {
	body := make(map[string]any, len(doc))
	for k, e := range doc {
		if k != "proof" {
			body[k] = e
		}
	}
	expanded, err := vc.Expand(body)
	if err != nil {
		var nc *vc.ErrNotCached
		if errors.As(err, &nc) {
			c.add(CheckJSONLD, false, "Le contexte %s n'est pas connu de certibloc ; il n'est pas téléchargé.",
				"The context %s is not one certibloc knows; it is not fetched.", nc.URL)
		} else {
			c.add(CheckJSONLD, false, "L'expansion JSON-LD en mode sûr échoue : %s.", "The JSON-LD expansion in safe mode fails: %s.", err)
		}
		return nil, false
	}
	c.add(CheckJSONLD, true, "L'expansion JSON-LD en mode sûr réussit avec les seuls contextes en cache.",
		"The JSON-LD expansion in safe mode succeeds with cached contexts only.")
	return expanded, true
}

//go:embed ob_v3p0_achievementcredential_schema.json
var obSchemaJSON []byte

var (
	schemaOnce sync.Once
	obSchema   *jsonschema.Schema
	schemaErr  error
)

func compileSchema() {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(obSchemaJSON))
	if err != nil {
		schemaErr = err
		return
	}
	comp := jsonschema.NewCompiler()
	const id = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json-ld/ob_v3p0_achievementcredential_schema.json"
	if err := comp.AddResource(id, doc); err != nil {
		schemaErr = err
		return
	}
	obSchema, schemaErr = comp.Compile(id)
}

func (v *Verifier) checkSchema(c *checker, doc map[string]any) {
	schemaOnce.Do(compileSchema)
	if schemaErr != nil {
		c.add(CheckSchema, false, "Le schéma Open Badges 3.0 ne se charge pas : %s.", "The Open Badges 3.0 schema does not load: %s.", schemaErr)
		return
	}
	if err := obSchema.Validate(jsonschemaValue(doc)); err != nil {
		var ve *jsonschema.ValidationError
		detail := err.Error()
		if errors.As(err, &ve) {
			detail = firstCause(ve)
		}
		c.add(CheckSchema, false, "Le schéma JSON Open Badges 3.0 n'est pas respecté : %s.",
			"The Open Badges 3.0 JSON Schema is not met: %s.", detail)
		return
	}
	c.add(CheckSchema, true, "Le schéma JSON Open Badges 3.0 est respecté.", "The Open Badges 3.0 JSON Schema is met.")
}

// jsonschemaValue turns encoding/json's float64 into the json.Number the
// validator expects.
func jsonschemaValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(v))
		for k, e := range v {
			m[k] = jsonschemaValue(e)
		}
		return m
	case []any:
		l := make([]any, len(v))
		for i, e := range v {
			l[i] = jsonschemaValue(e)
		}
		return l
	case float64:
		return json.Number(strconv.FormatFloat(v, 'g', -1, 64))
	}
	return v
}

var schemaPrinter = message.NewPrinter(language.English)

func firstCause(ve *jsonschema.ValidationError) string {
	for len(ve.Causes) > 0 {
		ve = ve.Causes[0]
	}
	loc := "/" + strings.Join(ve.InstanceLocation, "/")
	return fmt.Sprintf("%s %s", loc, ve.ErrorKind.LocalizedString(schemaPrinter))
}

func (v *Verifier) checkProof(ctx context.Context, c *checker, doc map[string]any, expanded []any) {
	var proofs []map[string]any
	switch p := doc["proof"].(type) {
	case map[string]any:
		proofs = []map[string]any{p}
	case []any:
		for _, e := range p {
			if m, ok := e.(map[string]any); ok {
				proofs = append(proofs, m)
			}
		}
	}
	if len(proofs) == 0 {
		c.add(CheckProof, false, "Le document n'a pas de preuve : rien n'atteste qui l'a émis.",
			"The document has no proof: nothing shows who issued it.")
		return
	}
	canonDoc, err := vc.CanonizeExpanded(expanded)
	if err != nil {
		c.add(CheckProof, false, "Le document ne se canonise pas : %s.", "The document cannot be canonicalized: %s.", err)
		return
	}
	issuer := issuerID(doc)
	var fails []string
	for _, p := range proofs {
		if t, _ := p["type"].(string); t != vc.ProofType || p["cryptosuite"] != vc.Cryptosuite {
			continue // another kind of proof: not ours to judge
		}
		vm, _ := p["verificationMethod"].(string)
		pub, controller, why := v.resolve(ctx, vm, c.l)
		if why != "" {
			fails = append(fails, why)
			continue
		}
		if controller != issuer {
			fails = append(fails, pick(c.l,
				fmt.Sprintf("la clé %s appartient à %s, pas à l'émetteur %s", vm, controller, issuer),
				fmt.Sprintf("the key %s belongs to %s, not to the issuer %s", vm, controller, issuer)))
			continue
		}
		if err := vc.VerifyCanonical(canonDoc, doc, p, pub); err != nil {
			if errors.Is(err, vc.ErrBadSignature) {
				fails = append(fails, pick(c.l, "la signature ne correspond pas : le document a été modifié ou signé par une autre clé",
					"the signature does not match: the document was changed or signed by another key"))
			} else {
				fails = append(fails, err.Error())
			}
			continue
		}
		c.add(CheckProof, true, "La signature eddsa-rdfc-2022 de %s est valide.", "The eddsa-rdfc-2022 signature of %s is valid.", vm)
		return
	}
	if len(fails) == 0 {
		c.add(CheckProof, false, "Aucune preuve n'est du type DataIntegrityProof eddsa-rdfc-2022.",
			"No proof is a DataIntegrityProof of eddsa-rdfc-2022.")
		return
	}
	c.add(CheckProof, false, "La preuve n'est pas valide : %s.", "The proof is not valid: %s.", strings.Join(fails, " ; "))
}

// resolve returns the public key of a verification method and its
// controller, or why it cannot, in language l.
func (v *Verifier) resolve(ctx context.Context, vm string, l certibloc.Lang) (ed25519.PublicKey, string, string) {
	base, frag, _ := strings.Cut(vm, "#")
	switch {
	case strings.HasPrefix(vm, "did:key:"):
		pub, err := vc.ResolveDIDKey(vm)
		if err != nil {
			return nil, "", pick(l, "la méthode did:key "+vm+" est illisible : "+err.Error(), "the did:key method "+vm+" is unreadable: "+err.Error())
		}
		return pub, base, ""
	case strings.HasPrefix(vm, "did:web:"):
		if base != v.OwnDID || v.OwnKeys == nil {
			return nil, "", pick(l, "le did:web "+base+" n'est pas celui de certibloc ; il n'est pas téléchargé",
				"the did:web "+base+" is not certibloc's; it is not fetched")
		}
		keys, err := v.OwnKeys(ctx)
		if err != nil {
			return nil, "", err.Error()
		}
		pub, ok := keys[frag]
		if !ok {
			return nil, "", pick(l, "la clé "+frag+" n'est pas une clé de "+base, "the key "+frag+" is not a key of "+base)
		}
		return pub, base, ""
	case strings.HasPrefix(vm, "did:"):
		method, _, _ := strings.Cut(strings.TrimPrefix(vm, "did:"), ":")
		return nil, "", pick(l, "la méthode DID « "+method+" » n'est pas prise en charge ; rien n'est téléchargé",
			"the DID method “"+method+"” is not supported; nothing is fetched")
	case strings.HasPrefix(vm, "https://") && strings.HasPrefix(frag, "z6Mk"):
		// The 1EdTech convention: the fragment of the issuer's URL is its Ed25519 multikey.
		pub, err := vc.DecodePublicKey(frag)
		if err != nil {
			return nil, "", err.Error()
		}
		return pub, base, ""
	}
	return nil, "", pick(l, "la méthode de vérification "+vm+" ne donne pas de clé sans téléchargement",
		"the verification method "+vm+" gives no key without fetching")
}

func (v *Verifier) checkValidity(c *checker, doc map[string]any) {
	now := time.Now()
	if v.Now != nil {
		now = v.Now()
	}
	from, ok := dateTime(doc["validFrom"])
	if !ok {
		c.add(CheckValidity, false, "validFrom manque ou n'est pas une date-heure : %s.", "validFrom is missing or not a date-time: %s.", short(doc["validFrom"]))
		return
	}
	if now.Before(from) {
		c.add(CheckValidity, false, "Le document n'est valable qu'à partir du %s.", "The document is valid only from %s.", from.Format(time.RFC3339))
		return
	}
	if doc["validUntil"] != nil {
		until, ok := dateTime(doc["validUntil"])
		if !ok {
			c.add(CheckValidity, false, "validUntil n'est pas une date-heure : %s.", "validUntil is not a date-time: %s.", short(doc["validUntil"]))
			return
		}
		if !now.Before(until) {
			c.add(CheckValidity, false, "Le document a expiré le %s.", "The document expired on %s.", until.Format(time.RFC3339))
			return
		}
	}
	c.add(CheckValidity, true, "Le document est valable depuis le %s.", "The document is valid since %s.", from.Format(time.RFC3339))
}

func (v *Verifier) checkStatus(ctx context.Context, c *checker, doc map[string]any) {
	raw, present := doc["credentialStatus"]
	if !present {
		c.add(CheckStatus, true, "Le document ne déclare pas de statut : il ne peut pas être révoqué.",
			"The document declares no status: it cannot be revoked.")
		return
	}
	st, _ := raw.(map[string]any)
	list, _ := st["statusListCredential"].(string)
	index, err := strconv.Atoi(fmt.Sprint(st["statusListIndex"]))
	if st["type"] != "BitstringStatusListEntry" || st["statusPurpose"] != "revocation" || list == "" || err != nil || index < 0 {
		c.add(CheckStatus, false, "Le statut n'est pas une entrée de liste de révocation (BitstringStatusListEntry) lisible.",
			"The status is not a readable revocation list entry (BitstringStatusListEntry).")
		return
	}
	if v.Revoked == nil {
		c.add(CheckStatus, false, "La liste de statut %s n'est pas celle de certibloc ; elle n'est pas téléchargée.",
			"The status list %s is not certibloc's; it is not fetched.", list)
		return
	}
	revoked, err := v.Revoked(ctx, list, index)
	switch {
	case errors.Is(err, ErrNotOwnList):
		c.add(CheckStatus, false, "La liste de statut %s n'est pas celle de certibloc ; elle n'est pas téléchargée.",
			"The status list %s is not certibloc's; it is not fetched.", list)
	case err != nil:
		c.add(CheckStatus, false, "La liste de statut ne se lit pas : %s.", "The status list cannot be read: %s.", err)
	case revoked:
		c.add(CheckStatus, false, "Le document a été révoqué par son émetteur.", "The document was revoked by its issuer.")
	default:
		c.add(CheckStatus, true, "Le document n'est pas révoqué.", "The document is not revoked.")
	}
}

func issuerID(doc map[string]any) string {
	switch i := doc["issuer"].(type) {
	case string:
		return i
	case map[string]any:
		s, _ := i["id"].(string)
		return s
	}
	return ""
}

func dateTime(v any) (time.Time, bool) {
	s, ok := v.(string)
	if !ok {
		return time.Time{}, false
	}
	t, err := time.Parse(time.RFC3339, s)
	return t, err == nil
}

func value(l []any, i int) any {
	if i < len(l) {
		return l[i]
	}
	return nil
}

func strings_(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// short shows a value in a message, cut to 200 characters.
func short(v any) string {
	b, _ := json.Marshal(v)
	s := string(b)
	if r := []rune(s); len(r) > 200 {
		s = string(r[:200]) + "…"
	}
	return s
}

func pick(l certibloc.Lang, fr, en string) string {
	if l == certibloc.English {
		return en
	}
	return fr
}

// VerifyContent verifies a credential given as JSON or a baked image; an
// image without a credential fails the first check, named "image".
func (v *Verifier) VerifyContent(ctx context.Context, content []byte, tooBig bool, l certibloc.Lang) Result {
	pick := func(fr, en string) string {
		if l == certibloc.English {
			return en
		}
		return fr
	}
	if tooBig {
		return Result{Checks: []Check{{Name: CheckJSON, Message: pick(
			fmt.Sprintf("Le contenu dépasse %d octets : il n'est pas lu.", MaxCredentialBytes),
			fmt.Sprintf("The content is over %d bytes: it is not read.", MaxCredentialBytes))}}}
	}
	raw, err := Unbake(content)
	if err != nil {
		msg := pick("L'image ne se lit pas : "+err.Error()+".", "The image cannot be read: "+err.Error()+".")
		if errors.Is(err, ErrNotBaked) {
			msg = pick("L'image ne contient pas d'identifiant Open Badges.", "The image carries no Open Badges credential.")
		}
		return Result{Checks: []Check{{Name: "image", Message: msg}}}
	}
	res := v.Verify(ctx, raw, l)
	if !bytes.Equal(raw, content) {
		res.Checks = append([]Check{{Name: "image", OK: true,
			Message: pick("L'identifiant est extrait de l'image.", "The credential is taken from the image.")}}, res.Checks...)
	}
	return res
}

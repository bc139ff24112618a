// Package openbadge makes and checks Open Badges 3.0 credentials
// (OpenBadgeCredential, a W3C Verifiable Credential 2.0) with an
// eddsa-rdfc-2022 Data Integrity proof (package vc): one for a title, one
// for each block of competencies, with the Bitstring Status List that
// revokes them, and bakes them into PNG and SVG badges.
package openbadge

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/certibloc/certibloc/internal/vc"
)

// Achievement is what a credential says was achieved: a title (Block
// empty) or one of its blocks, as the referential names it.
type Achievement struct {
	Certification string // RNCP38478
	Title         string // of the certification
	Level         int    // European level, 0 when none (RS)
	Block         string // RNCP38478BC01, empty for the title
	BlockTitle    string
	Competencies  []string // as published, in French
	// In English, when the referential has a translation: empty otherwise.
	TitleEN        string
	BlockTitleEN   string
	CompetenciesEN []string // in the order of Competencies
}

// Code is the achievement's code: the block's, or the certification's.
func (a Achievement) Code() string {
	if a.Block != "" {
		return a.Block
	}
	return a.Certification
}

// Name is the achievement's name, in French as published.
func (a Achievement) Name() string {
	if a.Block != "" {
		return a.BlockTitle
	}
	return a.Title
}

// NameEN is the achievement's name in English, empty without a translation.
func (a Achievement) NameEN() string {
	if a.Block != "" {
		return a.BlockTitleEN
	}
	return a.TitleEN
}

// english says whether the achievement's English is complete: its name,
// and its competencies when it has some.
func (a Achievement) english() bool {
	return a.NameEN() != "" && (a.Block == "" || a.TitleEN != "") && len(a.CompetenciesEN) == len(a.Competencies)
}

// Issuer is the certifier as it signs: its DID (did:web of certibloc's
// address), its name and address, and its current signing key.
type Issuer struct {
	DID     string // did:web:certibloc.example.org
	Name    string // the certifier
	BaseURL string // https://certibloc.example.org, no final slash
	KeyID   string // the verification method: DID#multikey
	Key     ed25519.PrivateKey
}

// DIDWeb returns the did:web of an address (its host, a port encoded as
// %3A, its path as colon-separated segments).
func DIDWeb(base string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("the base address %q is not an http(s) URL", base)
	}
	did := "did:web:" + strings.ReplaceAll(u.Host, ":", "%3A")
	for _, seg := range strings.Split(strings.Trim(u.Path, "/"), "/") {
		if seg != "" {
			did += ":" + url.PathEscape(seg)
		}
	}
	return did, nil
}

// DIDWebURL returns the address of the DID document of a did:web: its
// host (%3A a port) then its path segments and /did.json, or
// /.well-known/did.json without a path.
func DIDWebURL(did string) (string, error) {
	rest, ok := strings.CutPrefix(did, "did:web:")
	if !ok || rest == "" || strings.ContainsAny(rest, "/?#") {
		return "", fmt.Errorf("%q is not a did:web", did)
	}
	segs := strings.Split(rest, ":")
	host, err := url.PathUnescape(segs[0])
	if err != nil || host == "" {
		return "", fmt.Errorf("the host of %q is not readable", did)
	}
	path := "/.well-known"
	if len(segs) > 1 {
		path = ""
		for _, s := range segs[1:] {
			seg, err := url.PathUnescape(s)
			if err != nil || seg == "" {
				return "", fmt.Errorf("the path of %q is not readable", did)
			}
			path += "/" + url.PathEscape(seg)
		}
	}
	return "https://" + host + path + "/did.json", nil
}

// VerificationMethod names a public key of a DID: the DID with the key's
// multikey as fragment.
func VerificationMethod(did string, pub ed25519.PublicKey) string {
	return did + "#" + vc.EncodePublicKey(pub)
}

// Holder identifies the holder in a credential: a salted hash of their
// e-mail address (or, without one, of their name), never their birth data.
type Holder struct {
	Email string
	Name  string
	Salt  string
}

// identity returns the holder's IdentityObject.
func (h Holder) identity() map[string]any {
	kind, value := "emailAddress", strings.ToLower(strings.TrimSpace(h.Email))
	if value == "" {
		kind, value = "name", strings.TrimSpace(h.Name)
	}
	return map[string]any{
		"type":         "IdentityObject",
		"hashed":       true,
		"identityHash": IdentityHash(value, h.Salt),
		"identityType": kind,
		"salt":         h.Salt,
	}
}

// IdentityHash is the OB 3.0 hash of an identity: sha256$ and the hex
// SHA-256 of the value followed by the salt.
func IdentityHash(value, salt string) string {
	sum := sha256.Sum256([]byte(value + salt))
	return "sha256$" + hex.EncodeToString(sum[:])
}

// Status places a credential in a revocation status list.
type Status struct {
	ListURL string // the BitstringStatusListCredential
	Index   int
}

// Input is everything one credential says.
type Input struct {
	ID          string // the credential's URL
	Achievement Achievement
	Holder      Holder
	ValidFrom   time.Time // the jury's date
	Status      Status
}

const (
	rncpFramework = "Répertoire national des certifications professionnelles (RNCP)"
	eqfFramework  = "Cadre européen des certifications (CEC) / European Qualifications Framework (EQF)"
)

// FicheURL is the France Compétences page of a certification code.
func FicheURL(code string) string {
	if n, ok := strings.CutPrefix(code, "RNCP"); ok {
		return "https://www.francecompetences.fr/recherche/rncp/" + n + "/"
	}
	if n, ok := strings.CutPrefix(code, "RS"); ok {
		return "https://www.francecompetences.fr/recherche/rs/" + n + "/"
	}
	return "https://www.francecompetences.fr/recherche/"
}

// achievement returns the Achievement object: in French (inLanguage fr,
// its name as published), its description and criteria in French then in
// English. The OB 3.0 JSON Schema wants name and description as plain
// strings, so the English goes beside the French in those texts; without
// a translation of the referential the English says what it is.
func achievement(base string, a Achievement) map[string]any {
	fiche := FicheURL(a.Certification)
	en := a.english()
	align := []any{map[string]any{
		"type":            []any{"Alignment"},
		"targetCode":      a.Certification,
		"targetName":      a.Title,
		"targetFramework": rncpFramework,
		"targetType":      "ceterms:Credential",
		"targetUrl":       fiche,
	}}
	if en {
		align[0].(map[string]any)["targetDescription"] = a.TitleEN
	}
	var fr, eng, kind string
	if a.Block != "" {
		kind = "Competency"
		block := map[string]any{
			"type":            []any{"Alignment"},
			"targetCode":      a.Block,
			"targetName":      a.BlockTitle,
			"targetFramework": rncpFramework,
			"targetType":      "ceasn:Competency",
			"targetUrl":       fiche,
		}
		if en {
			block["targetDescription"] = a.BlockTitleEN
		}
		align = append(align, block)
		fr = fmt.Sprintf("Bloc de compétences %s « %s » du titre %s « %s »", a.Block, a.BlockTitle, a.Certification, a.Title)
		eng = fmt.Sprintf("Block of competencies %s of the French professional certification %s", a.Block, a.Certification)
		if en {
			eng = fmt.Sprintf("Block of competencies %s “%s” of the French professional certification %s “%s”", a.Block, a.BlockTitleEN, a.Certification, a.TitleEN)
		}
	} else {
		kind = "Certification"
		fr = fmt.Sprintf("Titre professionnel %s « %s », enregistré au RNCP", a.Certification, a.Title)
		eng = fmt.Sprintf("French professional certification %s, registered in the RNCP (national register of professional certifications)", a.Certification)
		if en {
			eng = fmt.Sprintf("French professional certification %s “%s”, registered in the RNCP (national register of professional certifications)", a.Certification, a.TitleEN)
		}
	}
	if a.Level > 0 {
		fr += fmt.Sprintf(", niveau %d du cadre national des certifications professionnelles", a.Level)
		eng += fmt.Sprintf(", EQF level %d", a.Level)
		align = append(align, map[string]any{
			"type":            []any{"Alignment"},
			"targetCode":      fmt.Sprint(a.Level),
			"targetName":      fmt.Sprintf("Niveau %d / EQF level %d", a.Level, a.Level),
			"targetFramework": eqfFramework,
			"targetType":      "ext:EQFLevel",
			"targetUrl":       "https://europa.eu/europass/en/description-eight-eqf-levels",
		})
	}
	narrative := "Délivré par décision du jury de certification.\n\nAwarded by decision of the certification jury."
	if len(a.Competencies) > 0 {
		var b strings.Builder
		b.WriteString("Compétences attestées :\n")
		for _, c := range a.Competencies {
			b.WriteString("\n- " + strings.TrimSpace(c))
		}
		if en {
			b.WriteString("\n\nCompetencies certified:\n")
			for _, c := range a.CompetenciesEN {
				b.WriteString("\n- " + strings.TrimSpace(c))
			}
		} else {
			b.WriteString("\n\nCompetencies certified: as above, published in French only in the RNCP.")
		}
		narrative = b.String()
	}
	return map[string]any{
		"id":              base + "/achievements/" + url.PathEscape(a.Code()),
		"type":            []any{"Achievement"},
		"achievementType": kind,
		"name":            a.Name(),
		"description":     fr + ".\n\n" + eng + ".",
		"criteria":        map[string]any{"narrative": narrative},
		"humanCode":       a.Code(),
		"inLanguage":      "fr",
		"alignment":       align,
	}
}

// Build returns the unsigned OpenBadgeCredential of in, issued by iss.
func Build(iss *Issuer, in Input) map[string]any {
	name := in.Achievement.Code() + " — " + in.Achievement.Name()
	return map[string]any{
		"@context": []any{vc.CredentialsV2, vc.OpenBadgesV3},
		"id":       in.ID,
		"type":     []any{"VerifiableCredential", "OpenBadgeCredential"},
		"name":     name,
		"issuer": map[string]any{
			"id":   iss.DID,
			"type": []any{"Profile"},
			"name": iss.Name,
			"url":  iss.BaseURL + "/",
		},
		"validFrom": in.ValidFrom.UTC().Format(time.RFC3339),
		"credentialSubject": map[string]any{
			"type":        []any{"AchievementSubject"},
			"identifier":  []any{in.Holder.identity()},
			"achievement": achievement(iss.BaseURL, in.Achievement),
		},
		"credentialStatus": map[string]any{
			"id":                   fmt.Sprintf("%s#%d", in.Status.ListURL, in.Status.Index),
			"type":                 "BitstringStatusListEntry",
			"statusPurpose":        "revocation",
			"statusListIndex":      fmt.Sprint(in.Status.Index),
			"statusListCredential": in.Status.ListURL,
		},
	}
}

// Issue builds and signs the credential of in: its proof, an array of one
// eddsa-rdfc-2022 proof, made at the given time.
func Issue(iss *Issuer, in Input, at time.Time) (map[string]any, error) {
	doc := Build(iss, in)
	proof, err := vc.Sign(doc, iss.Key, iss.KeyID, at)
	if err != nil {
		return nil, fmt.Errorf("sign the credential of %s: %w", in.Achievement.Code(), err)
	}
	doc["proof"] = []any{proof}
	return doc, nil
}

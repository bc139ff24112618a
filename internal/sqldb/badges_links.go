package sqldb

import (
	"context"
	"crypto/ed25519"
	"encoding/json"
	"fmt"
	"net/url"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/openbadge"
)

// CredentialVerifier returns the verifier of credentials against certibloc's own
// issuer at base: its keys and its status lists, nothing fetched.
func (db *DB) CredentialVerifier(base string) *openbadge.Verifier {
	did, _ := openbadge.DIDWeb(base)
	urls := CredentialURLs{Base: base}
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

// Badge returns the badge image of a credential, the credential baked in:
// format png or svg.
func (c *Credential) Badge(format string) ([]byte, string, error) {
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

// Links returns the links of a credential, the site at base.
func (c *Credential) Links(base string) CredentialLinks {
	certifier := c.Issuer()
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
func (c *Credential) Issuer() string {
	var doc struct {
		Issuer struct {
			Name string `json:"name"`
		} `json:"issuer"`
	}
	json.Unmarshal(c.Document, &doc)
	return doc.Issuer.Name
}

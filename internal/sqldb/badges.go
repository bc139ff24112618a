package sqldb

import (
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"database/sql"
	"encoding/base32"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/openbadge"
	"github.com/certibloc/certibloc/internal/vc"
)

// Open Badges 3.0 credentials (migration 0014): issued from a closed
// jury's ledger, one per title awarded and per block it validated, signed
// by certibloc's did:web key; revoked with the document that proves the
// same (RevokeDocument), through the Bitstring Status List.

// CredentialKey is a public key of certibloc's did:web.
type CredentialKey struct {
	ID        int64      `json:"id"`
	PublicKey string     `json:"public_key_multibase"` // z6Mk…
	CreatedAt time.Time  `json:"created_at"`
	RetiredAt *time.Time `json:"retired_at,omitempty"`
}

// ExportedKey is a key pair as backed up: its secret in clear, for a file
// of mode 0600 kept apart (certibloc credential-keys export).
type ExportedKey struct {
	PublicKey string     `json:"publicKeyMultibase"`
	SecretKey string     `json:"secretKeyMultibase"`
	CreatedAt time.Time  `json:"created"`
	RetiredAt *time.Time `json:"retired,omitempty"`
}

func keyContext(public string) string { return "certibloc credential key " + public }

// CredentialKeys returns the keys of the did:web, oldest first.
func (db *DB) CredentialKeys(ctx context.Context) ([]CredentialKey, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, public_key, created_at, retired_at FROM credential_keys ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []CredentialKey{}
	for rows.Next() {
		var k CredentialKey
		if err := rows.Scan(&k.ID, &k.PublicKey, &k.CreatedAt, &k.RetiredAt); err != nil {
			return nil, err
		}
		k.CreatedAt = k.CreatedAt.UTC()
		out = append(out, k)
	}
	return out, rows.Err()
}

// PublicKeys returns every key of the did:web by its multikey, the
// retired ones too (what they signed still verifies).
func (db *DB) PublicKeys(ctx context.Context) (map[string]ed25519.PublicKey, error) {
	keys, err := db.CredentialKeys(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]ed25519.PublicKey, len(keys))
	for _, k := range keys {
		pub, err := vc.DecodePublicKey(k.PublicKey)
		if err != nil {
			return nil, fmt.Errorf("credential key %d: %w", k.ID, err)
		}
		out[k.PublicKey] = pub
	}
	return out, nil
}

func (db *DB) insertKey(ctx context.Context, tx *sql.Tx, priv ed25519.PrivateKey, created time.Time, retired *time.Time) (int64, error) {
	public := vc.EncodePublicKey(priv.Public().(ed25519.PublicKey))
	var id int64
	err := tx.QueryRowContext(ctx, `INSERT INTO credential_keys (public_key, private_key, created_at, retired_at)
		VALUES ($1, $2, $3, $4) RETURNING id`,
		public, db.key.sealer().Seal(vc.EncodePrivateKey(priv), keyContext(public)), created, retired).Scan(&id)
	if err != nil {
		return 0, conflictOnDuplicate(err, "the key "+public+" is there already")
	}
	return id, db.audit(ctx, tx, "credential_key.add", "credential_key", public, "", map[string]any{"retired": retired != nil})
}

// issuer returns certibloc's issuer at base (its did:web given) with the
// current signing key, and the key's id.
func (db *DB) issuer(ctx context.Context, q querier, base, did string) (int64, *openbadge.Issuer, error) {
	keyID, priv, err := db.signingKey(ctx, q)
	if err != nil {
		return 0, nil, err
	}
	return keyID, &openbadge.Issuer{DID: did, BaseURL: base, Key: priv,
		KeyID: openbadge.VerificationMethod(did, priv.Public().(ed25519.PublicKey))}, nil
}

// StatusListCredential returns status list n as JSON: the document signed
// when the list last changed (migration 0022), or, when the list changed
// since or names another address, signed now with the current key and
// stored for the next requests of every instance. Not found when no
// credential was placed in the list.
func (db *DB) StatusListCredential(ctx context.Context, n int64, base string) (json.RawMessage, error) {
	base = strings.TrimRight(base, "/")
	did, err := openbadge.DIDWeb(base)
	if err != nil {
		return nil, certibloc.Errorf(certibloc.EINVALID, "%v", err)
	}
	// The version first: revocations after it are in the list read
	// next, and the document is stored only if the version is still it.
	var version, signed int64
	var signedBase, doc string
	err = db.read.QueryRowContext(ctx, `SELECT version, signed_version, base_url, document FROM status_lists WHERE list = $1`, n).
		Scan(&version, &signed, &signedBase, &doc)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		version = 0
	case err != nil:
		return nil, err
	case signed == version && signedBase == base && doc != "":
		return json.RawMessage(doc), nil
	}
	revoked, ok, err := db.RevokedInList(ctx, n)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "there is no status list %d", n)
	}
	_, iss, err := db.issuer(ctx, db.read, base, did)
	if err != nil {
		return nil, err
	}
	now := db.now()
	list, err := openbadge.StatusListCredential(iss, CredentialURLs{Base: base}.StatusList(n), revoked, now)
	if err != nil {
		return nil, err
	}
	out, err := json.Marshal(list)
	if err != nil {
		return nil, err
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO status_lists (list, version, signed_version) VALUES ($1, 0, -1)
			ON CONFLICT (list) DO NOTHING`, n); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE status_lists SET signed_version = $1, base_url = $2, document = $3, signed_at = $4
			WHERE list = $5 AND version = $1`, version, base, string(out), now.UTC().Truncate(time.Microsecond), n)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store status list %d: %w", n, err)
	}
	return out, nil
}

// listChanged bumps the version of the status lists of the credentials
// ids, in the transaction that revokes them: their documents are signed
// again at the next request.
func listChanged(ctx context.Context, tx *sql.Tx, ids []int64) error {
	seen := map[int64]bool{}
	for _, id := range ids {
		list, _ := statusOf(id)
		if seen[list] {
			continue
		}
		seen[list] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO status_lists (list, version) VALUES ($1, 1)
			ON CONFLICT (list) DO UPDATE SET version = status_lists.version + 1`, list); err != nil {
			return err
		}
	}
	return nil
}

// signingKey returns the current key, making the first one when there is
// none.
func (db *DB) signingKey(ctx context.Context, q querier) (int64, ed25519.PrivateKey, error) {
	var id int64
	var public, sealed string
	err := q.QueryRowContext(ctx, `SELECT id, public_key, private_key FROM credential_keys WHERE retired_at IS NULL
		ORDER BY id DESC LIMIT 1`).Scan(&id, &public, &sealed)
	tx, writing := q.(*sql.Tx)
	if errors.Is(err, sql.ErrNoRows) && !writing {
		return 0, nil, errors.New("certibloc has no signing key yet")
	} else if errors.Is(err, sql.ErrNoRows) {
		_, priv, _ := ed25519.GenerateKey(rand.Reader)
		id, err := db.insertKey(ctx, tx, priv, db.now().UTC().Truncate(time.Microsecond), nil)
		return id, priv, err
	} else if err != nil {
		return 0, nil, err
	}
	plain, err := db.key.sealer().Open(sealed, keyContext(public))
	if err != nil {
		return 0, nil, fmt.Errorf("the signing key %s does not open with this secret key: %w", public, err)
	}
	priv, err := vc.DecodePrivateKey(plain)
	if err != nil || vc.EncodePublicKey(priv.Public().(ed25519.PublicKey)) != public {
		return 0, nil, fmt.Errorf("the signing key %s is damaged", public)
	}
	return id, priv, nil
}

// RotateCredentialKey makes a new signing key and retires the current
// one, which stays published so that what it signed still verifies.
func (db *DB) RotateCredentialKey(ctx context.Context) (CredentialKey, error) {
	var k CredentialKey
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		now := db.now().UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, `UPDATE credential_keys SET retired_at = $1 WHERE retired_at IS NULL`, now); err != nil {
			return err
		}
		_, priv, _ := ed25519.GenerateKey(rand.Reader)
		id, err := db.insertKey(ctx, tx, priv, now, nil)
		k = CredentialKey{ID: id, PublicKey: vc.EncodePublicKey(priv.Public().(ed25519.PublicKey)), CreatedAt: now}
		return err
	})
	return k, err
}

// ExportCredentialKeys returns every key pair, secrets in clear, for a
// backup.
func (db *DB) ExportCredentialKeys(ctx context.Context) ([]ExportedKey, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT public_key, private_key, created_at, retired_at FROM credential_keys ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []ExportedKey{}
	for rows.Next() {
		var k ExportedKey
		var sealed string
		if err := rows.Scan(&k.PublicKey, &sealed, &k.CreatedAt, &k.RetiredAt); err != nil {
			return nil, err
		}
		if k.SecretKey, err = db.key.sealer().Open(sealed, keyContext(k.PublicKey)); err != nil {
			return nil, fmt.Errorf("the key %s does not open with this secret key: %w", k.PublicKey, err)
		}
		k.CreatedAt = k.CreatedAt.UTC()
		out = append(out, k)
	}
	return out, rows.Err()
}

// ImportCredentialKeys adds the key pairs of a backup that are not there
// yet, each checked (its secret gives its public key), in order: the
// last one not retired becomes the signing key. It returns how many it
// added.
func (db *DB) ImportCredentialKeys(ctx context.Context, keys []ExportedKey) (int, error) {
	n := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		for i, k := range keys {
			priv, err := vc.DecodePrivateKey(k.SecretKey)
			if err != nil {
				return certibloc.Errorf(certibloc.EINVALID, "key %d: secretKeyMultibase: %v", i+1, err)
			}
			if vc.EncodePublicKey(priv.Public().(ed25519.PublicKey)) != k.PublicKey {
				return certibloc.Errorf(certibloc.EINVALID, "key %d: its secret is not that of %s", i+1, k.PublicKey)
			}
			var exists int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM credential_keys WHERE public_key = $1`, k.PublicKey).Scan(&exists); err != nil {
				return err
			}
			if exists > 0 {
				continue
			}
			if k.RetiredAt == nil {
				now := db.now().UTC().Truncate(time.Microsecond)
				if _, err := tx.ExecContext(ctx, `UPDATE credential_keys SET retired_at = $1 WHERE retired_at IS NULL`, now); err != nil {
					return err
				}
			}
			if _, err := db.insertKey(ctx, tx, priv, k.CreatedAt.UTC().Truncate(time.Microsecond), k.RetiredAt); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, err
}

// Credential is an issued Open Badges 3.0 credential.
type Credential struct {
	ID            int64           `json:"-"`
	PublicID      string          `json:"id"`
	PersonID      int64           `json:"person_id"`
	Certification string          `json:"certification"`
	Version       int             `json:"-"`
	Block         string          `json:"block,omitempty"` // empty for the title
	JuryID        int64           `json:"jury_id"`
	IssuedAt      time.Time       `json:"issued_at"`
	RevokedAt     *time.Time      `json:"revoked_at,omitempty"`
	Document      json.RawMessage `json:"credential"`
}

// Name is the credential's name: the code of its block or title.
func (c *Credential) Name() string {
	if c.Block != "" {
		return c.Block
	}
	return c.Certification
}

// CredentialURLs are the addresses credentials name, from the site's base
// address.
type CredentialURLs struct{ Base string }

// Credential is the public address of a credential.
func (u CredentialURLs) Credential(publicID string) string {
	return u.Base + "/credentials/" + publicID
}

// StatusList is the address of status list n.
func (u CredentialURLs) StatusList(n int64) string {
	return u.Base + "/credentials/status/" + strconv.FormatInt(n, 10)
}

// StatusListNumber reads the number of one of the status lists at u.
func (u CredentialURLs) StatusListNumber(list string) (int64, bool) {
	rest, ok := strings.CutPrefix(list, u.Base+"/credentials/status/")
	n, err := strconv.ParseInt(rest, 10, 64)
	return n, ok && err == nil && n >= 1 && strconv.FormatInt(n, 10) == rest
}

// statusOf places credential id in its list: id / ListSize + 1, at id % ListSize.
func statusOf(id int64) (list int64, index int) {
	return id/openbadge.ListSize + 1, int(id % openbadge.ListSize)
}

func newPublicID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(b))
}

// IssueJuryCredentials issues the credentials of a closed jury that are
// not issued yet: for each person it awarded the title, the title's; for
// each block it validated, the block's. The holder is named by a salted
// hash of their e-mail address; erased people get none. All of them, or
// none. It returns those it issued.
func (db *DB) IssueJuryCredentials(ctx context.Context, juryID int64, base string) ([]Credential, error) {
	did, err := openbadge.DIDWeb(base)
	if err != nil {
		return nil, certibloc.Errorf(certibloc.EINVALID, "%v", err)
	}
	urls := CredentialURLs{Base: strings.TrimRight(base, "/")}
	var out []Credential
	err = db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		j, err := findJury(ctx, tx, juryID)
		if err != nil {
			return err
		}
		if j.State != certibloc.JuryClosed {
			return certibloc.Errorf(certibloc.ECONFLICT, "jury %d is not closed: its credentials are issued once it is", juryID)
		}
		c, err := findCertification(ctx, tx, j.Certification, j.Version)
		if err != nil {
			return err
		}
		keyID, iss, err := db.issuer(ctx, tx, urls.Base, did)
		if err != nil {
			return err
		}
		if len(c.Certifiers) > 0 {
			iss.Name = c.Certifiers[0].Name
		} else {
			iss.Name = c.Title
		}
		type award struct {
			person int64
			block  string
		}
		var awards []award
		rows, err := tx.QueryContext(ctx, `SELECT person_id, '' FROM titles_awarded WHERE jury_id = $1
			UNION ALL SELECT person_id, block_code FROM ledger WHERE jury_id = $1 ORDER BY 1, 2`, juryID)
		if err != nil {
			return err
		}
		for rows.Next() {
			var a award
			if err := rows.Scan(&a.person, &a.block); err != nil {
				rows.Close()
				return err
			}
			awards = append(awards, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		now := db.now().UTC().Truncate(time.Microsecond)
		people := map[int64]*certibloc.Person{}
		var inputs []openbadge.Input
		for _, a := range awards {
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM credentials WHERE person_id = $1 AND certification_code = $2
				AND block_code = $3 AND jury_id = $4`, a.person, c.Code, a.block, juryID).Scan(&n); err != nil {
				return err
			}
			if n > 0 {
				continue
			}
			p, ok := people[a.person]
			if !ok {
				if p, err = findPerson(ctx, tx, a.person); err != nil {
					return err
				}
				people[a.person] = p
			}
			if p.ErasedAt != nil {
				continue
			}
			ach, err := achievementOf(c, a.block)
			if err != nil {
				return fmt.Errorf("jury %d: %w", juryID, err)
			}
			cr := Credential{PublicID: newPublicID(), PersonID: p.ID, Certification: c.Code, Version: c.Version,
				Block: a.block, JuryID: juryID, IssuedAt: now}
			if err := tx.QueryRowContext(ctx, `INSERT INTO credentials (public_id, person_id, certification_code, certification_version,
					block_code, jury_id, key_id, document, issued_at) VALUES ($1, $2, $3, $4, $5, $6, $7, '', $8) RETURNING id`,
				cr.PublicID, cr.PersonID, cr.Certification, cr.Version, cr.Block, juryID, keyID, now).Scan(&cr.ID); err != nil {
				return err
			}
			list, index := statusOf(cr.ID)
			salt := make([]byte, 12)
			rand.Read(salt)
			inputs = append(inputs, openbadge.Input{
				ID:          urls.Credential(cr.PublicID),
				Achievement: ach,
				Holder:      openbadge.Holder{Email: p.Email, Name: p.DisplayName(), Salt: base64.RawURLEncoding.EncodeToString(salt)},
				ValidFrom:   time.Date(j.Date.Year(), j.Date.Month(), j.Date.Day(), 0, 0, 0, 0, time.UTC),
				Status:      openbadge.Status{ListURL: urls.StatusList(list), Index: index},
			})
			out = append(out, cr)
		}
		// Signing is the work: on every core, then the documents stored.
		if err := signAll(iss, inputs, out, now); err != nil {
			return err
		}
		for _, cr := range out {
			if _, err := tx.ExecContext(ctx, `UPDATE credentials SET document = $1 WHERE id = $2`, string(cr.Document), cr.ID); err != nil {
				return err
			}
		}
		if len(out) == 0 {
			return nil
		}
		return db.audit(ctx, tx, "credential.issue", "jury", strconv.FormatInt(juryID, 10), "",
			map[string]any{"credentials": len(out), "key": iss.KeyID})
	})
	if err != nil {
		return nil, fmt.Errorf("issue the credentials of jury %d: %w", juryID, err)
	}
	return out, nil
}

// achievementOf is what the credential of a title (block empty) or of one
// of its blocks says, in French and, when the referential has it, English.
func achievementOf(c *certibloc.Certification, block string) (openbadge.Achievement, error) {
	ach := openbadge.Achievement{Certification: c.Code, Title: c.Title, Level: c.Level, Block: block}
	if c.English != nil {
		ach.TitleEN = c.English.Title
	}
	if block != "" {
		i := slices.IndexFunc(c.Blocks, func(b certibloc.Block) bool { return b.Code == block })
		if i < 0 {
			return ach, fmt.Errorf("block %s is not a block of %s version %d", block, c.Code, c.Version)
		}
		ach.BlockTitle, ach.Competencies = c.Blocks[i].Title, c.Blocks[i].Competencies
		if en, ok := c.EnglishBlock(block); ok {
			ach.BlockTitleEN, ach.CompetenciesEN = en.Title, en.Competencies
		}
		return ach, nil
	}
	english := c.English != nil
	for _, b := range c.Blocks {
		ach.Competencies = append(ach.Competencies, b.Code+" — "+b.Title)
		en, ok := c.EnglishBlock(b.Code)
		english = english && ok
		ach.CompetenciesEN = append(ach.CompetenciesEN, b.Code+" — "+en.Title)
	}
	if !english {
		ach.CompetenciesEN = nil
	}
	return ach, nil
}

// signAll signs the credential of each input into out, on every core.
func signAll(iss *openbadge.Issuer, inputs []openbadge.Input, out []Credential, at time.Time) error {
	workers := min(runtime.GOMAXPROCS(0), len(inputs))
	errs := make([]error, len(inputs))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			for i := w; i < len(inputs); i += workers {
				doc, err := openbadge.Issue(iss, inputs[i], at)
				if err == nil {
					out[i].Document, err = json.Marshal(doc)
				}
				errs[i] = err
			}
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

const credentialColumns = `id, public_id, person_id, certification_code, certification_version, block_code, jury_id, document, issued_at, revoked_at`

func scanCredential(row interface{ Scan(...any) error }) (*Credential, error) {
	var c Credential
	var doc string
	if err := row.Scan(&c.ID, &c.PublicID, &c.PersonID, &c.Certification, &c.Version, &c.Block, &c.JuryID, &doc, &c.IssuedAt, &c.RevokedAt); err != nil {
		return nil, err
	}
	c.Document, c.IssuedAt = json.RawMessage(doc), c.IssuedAt.UTC()
	if c.RevokedAt != nil {
		t := c.RevokedAt.UTC()
		c.RevokedAt = &t
	}
	return &c, nil
}

// CredentialByID returns a credential by its public id.
func (db *DB) CredentialByID(ctx context.Context, publicID string) (*Credential, error) {
	c, err := scanCredential(db.read.QueryRowContext(ctx, `SELECT `+credentialColumns+` FROM credentials WHERE public_id = $1`, publicID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no credential has the id %q", publicID)
	}
	return c, err
}

// PersonCredentials lists a person's credentials, oldest first.
func (db *DB) PersonCredentials(ctx context.Context, personID int64) ([]Credential, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+credentialColumns+` FROM credentials WHERE person_id = $1 ORDER BY id`, personID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []Credential{}
	for rows.Next() {
		c, err := scanCredential(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *c)
	}
	return out, rows.Err()
}

// RevokedInList returns the revoked entries of status list n, and whether
// the list exists (a credential was placed in it).
func (db *DB) RevokedInList(ctx context.Context, n int64) ([]int, bool, error) {
	lo, hi := (n-1)*openbadge.ListSize, n*openbadge.ListSize
	var count int
	if err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM credentials WHERE id >= $1 AND id < $2`, lo, hi).Scan(&count); err != nil {
		return nil, false, err
	}
	if n < 1 || count == 0 {
		return nil, false, nil
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id FROM credentials WHERE id >= $1 AND id < $2 AND revoked_at IS NOT NULL ORDER BY id`, lo, hi)
	if err != nil {
		return nil, false, err
	}
	defer rows.Close()
	out := []int{}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, false, err
		}
		_, i := statusOf(id)
		out = append(out, i)
	}
	return out, true, rows.Err()
}

// revokeCredentialsOf revokes, in the transaction that revokes document
// d, the credential that proves the same: the title's for a certificate,
// the block's for an attestation (a transcript has none of its own).
func (db *DB) revokeCredentialsOf(ctx context.Context, tx *sql.Tx, d *certibloc.IssuedDocument, at time.Time) error {
	block := ""
	switch d.Kind {
	case certibloc.Certificate:
	case certibloc.Attestation:
		block = d.Blocks[0].Code
	default:
		return nil
	}
	q := `UPDATE credentials SET revoked_at = $1 WHERE person_id = $2 AND certification_code = $3 AND block_code = $4 AND revoked_at IS NULL`
	args := []any{at, d.PersonID, d.Certification.Code, block}
	if d.JuryID != 0 {
		q += ` AND jury_id = $5`
		args = append(args, d.JuryID)
	}
	rows, err := tx.QueryContext(ctx, q+` RETURNING id`, args...)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if len(ids) == 0 {
		return nil
	}
	if err := listChanged(ctx, tx, ids); err != nil {
		return err
	}
	return db.audit(ctx, tx, "credential.revoke", "document", d.Number, d.School, map[string]any{"credentials": len(ids)})
}

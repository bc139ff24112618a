package sqldb

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/certibloc/certibloc"
)

// VAE candidacies (vae.go in the domain says the journey). Who may do
// what: the candidate writes and submits their own candidacy (signed in as
// the person); the certifier (admin) decides feasibility and schedules the
// oral; staff of the person's school read it and assign an accompanist,
// an account of the school who comments the dossier. Every change is in the
// audit trail, and every step the candidate must know of is e-mailed
// through the outbox in the same transaction.

const candidacySelect = `SELECT id, person_id, school_code, certification_code, certification_version, blocks, experience, dossier,
	state, COALESCE(accompanist_id, 0), oral_at, oral_place, COALESCE(jury_id, 0), created_at, updated_at FROM vae_candidacies`

func scanCandidacy(row interface{ Scan(...any) error }) (*certibloc.Candidacy, error) {
	var cd certibloc.Candidacy
	var blocks, experience, dossier string
	var oral sql.NullTime
	err := row.Scan(&cd.ID, &cd.PersonID, &cd.School, &cd.Certification, &cd.Version, &blocks, &experience, &dossier,
		&cd.State, &cd.Accompanist, &oral, &cd.OralPlace, &cd.JuryID, &cd.CreatedAt, &cd.UpdatedAt)
	if err != nil {
		return nil, err
	}
	for _, d := range []struct {
		raw string
		v   any
	}{{blocks, &cd.Blocks}, {experience, &cd.Experience}, {dossier, &cd.Dossier}} {
		if err := json.Unmarshal([]byte(d.raw), d.v); err != nil {
			return nil, err
		}
	}
	if oral.Valid {
		t := oral.Time.UTC()
		cd.OralDate = &t
	}
	cd.CreatedAt, cd.UpdatedAt = cd.CreatedAt.UTC(), cd.UpdatedAt.UTC()
	return &cd, nil
}

// findCandidacy reads a candidacy with its feasibility history.
func findCandidacy(ctx context.Context, q querier, id int64) (*certibloc.Candidacy, error) {
	cd, err := scanCandidacy(q.QueryRowContext(ctx, candidacySelect+` WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no VAE candidacy %d", id)
	} else if err != nil {
		return nil, err
	}
	rows, err := q.QueryContext(ctx, `SELECT outcome, reason, missing, decided_by, decided_at FROM vae_feasibility
		WHERE candidacy_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cd.History = []certibloc.Feasibility{}
	for rows.Next() {
		var f certibloc.Feasibility
		var missing string
		if err := rows.Scan(&f.Outcome, &f.Reason, &missing, &f.DecidedBy, &f.DecidedAt); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(missing), &f.Missing); err != nil {
			return nil, err
		}
		f.DecidedAt = f.DecidedAt.UTC()
		cd.History = append(cd.History, f)
	}
	return cd, rows.Err()
}

// Candidacy reads a candidacy the principal may see: the candidate's own,
// or one of a school they hold people of.
func (db *DB) Candidacy(ctx context.Context, id int64) (*certibloc.Candidacy, error) {
	cd, err := findCandidacy(ctx, db.read, id)
	if err != nil {
		return nil, err
	}
	return cd, mayRead(ctx, cd)
}

// mayRead: the candidate, staff of the school, the accompanist, the
// certifier.
func mayRead(ctx context.Context, cd *certibloc.Candidacy) error {
	p := certibloc.PrincipalFrom(ctx)
	switch {
	case p.PersonID != 0 && p.PersonID == cd.PersonID,
		p.AccountID != 0 && p.AccountID == cd.Accompanist,
		p.Can(certibloc.ReadPeople) && p.InSchool(cd.School),
		p.Role == "" && p.Label == "cli":
		return nil
	}
	return certibloc.Errorf(certibloc.EFORBIDDEN, "VAE candidacy %d is not one you may see", cd.ID)
}

// CandidacyFilter selects candidacies.
type CandidacyFilter struct {
	School   string
	PersonID int64
	State    certibloc.VAEState
}

// Candidacies lists the candidacies the principal may see, the latest first.
func (db *DB) Candidacies(ctx context.Context, f CandidacyFilter) ([]certibloc.Candidacy, error) {
	rows, err := db.read.QueryContext(ctx, candidacySelect+`
		WHERE ($1 = '' OR school_code = $1) AND ($2 = 0 OR person_id = $2) AND ($3 = '' OR state = $3)
		ORDER BY updated_at DESC, id DESC LIMIT 1000`, f.School, f.PersonID, string(f.State))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []certibloc.Candidacy{}
	for rows.Next() {
		cd, err := scanCandidacy(rows)
		if err != nil {
			return nil, err
		}
		if mayRead(ctx, cd) == nil {
			out = append(out, *cd)
		}
	}
	return out, rows.Err()
}

// acquiredBlocks lists the blocks of a certification a person holds in the
// ledger, on any version.
func acquiredBlocks(ctx context.Context, q querier, person int64, code string) ([]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT block_code FROM ledger WHERE person_id = $1 AND certification_code = $2`, person, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var b string
		if err := rows.Scan(&b); err != nil {
			return nil, err
		}
		out = append(out, b)
	}
	return out, rows.Err()
}

// CreateCandidacy opens a draft candidacy of a person on the current
// version of a certification: the person themselves, or staff of their
// school. cd gets its id.
func (db *DB) CreateCandidacy(ctx context.Context, cd *certibloc.Candidacy) error {
	p := certibloc.PrincipalFrom(ctx)
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.tx(ctx, func(tx *sql.Tx) error {
		person, err := findPerson(ctx, tx, cd.PersonID)
		if err != nil {
			return err
		}
		if person.ErasedAt != nil {
			return certibloc.Errorf(certibloc.ENOTFOUND, "no person %d", cd.PersonID)
		}
		if !(p.PersonID == person.ID || p.Can(certibloc.WritePeople) && p.InSchool(person.School) || p.Label == "cli") {
			return certibloc.Errorf(certibloc.EFORBIDDEN, "a VAE candidacy is opened by the candidate or by staff of their school")
		}
		c, err := findCertification(ctx, tx, cd.Certification, 0)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			return certibloc.Errorf(certibloc.EINVALID, "%s", certibloc.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		acquired, err := acquiredBlocks(ctx, tx, person.ID, c.Code)
		if err != nil {
			return err
		}
		cd.Dossier = nil
		if ps := cd.CheckDraft(c, acquired); ps != nil {
			return ps
		}
		cd.School, cd.Version, cd.State, cd.CreatedAt, cd.UpdatedAt = person.School, c.Version, certibloc.VAEDraft, now, now
		cd.History = []certibloc.Feasibility{}
		blocks, experience := mustJSON(cd.Blocks), mustJSON(cd.Experience)
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO vae_candidacies (person_id, school_code, certification_code, certification_version, blocks, experience, state, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8) RETURNING id`,
			cd.PersonID, cd.School, c.Code, c.Version, blocks, experience, cd.State, now).Scan(&cd.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, "vae.create", "vae", strconv.FormatInt(cd.ID, 10), cd.School, map[string]any{"person": cd.PersonID, "blocks": cd.Blocks})
	})
}

// mustJSON encodes lists that always encode; nil becomes [].
func mustJSON[T any](v []T) string {
	if v == nil {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// writable reads a candidacy the principal may change as its candidate
// (or staff of its school, for a candidate who writes on paper).
func writable(ctx context.Context, tx *sql.Tx, id int64) (*certibloc.Candidacy, *certibloc.Certification, error) {
	cd, err := findCandidacy(ctx, tx, id)
	if err != nil {
		return nil, nil, err
	}
	if err := mayRead(ctx, cd); err != nil {
		return nil, nil, err
	}
	p := certibloc.PrincipalFrom(ctx)
	if !(p.PersonID == cd.PersonID || p.Can(certibloc.WritePeople) && p.InSchool(cd.School) || p.Label == "cli") {
		return nil, nil, certibloc.Errorf(certibloc.EFORBIDDEN, "only the candidate (or staff of their school) changes the candidacy")
	}
	c, err := findCertification(ctx, tx, cd.Certification, cd.Version)
	return cd, c, err
}

// SaveCandidacy saves what the candidate wrote, as often as they like:
// the blocks and experience while the candidacy is a draft or incomplete,
// the dossier once admissible. What is saved must be sound, not finished.
func (db *DB) SaveCandidacy(ctx context.Context, in *certibloc.Candidacy) (*certibloc.Candidacy, error) {
	var out *certibloc.Candidacy
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cd, c, err := writable(ctx, tx, in.ID)
		if err != nil {
			return err
		}
		switch cd.State {
		case certibloc.VAEDraft, certibloc.VAEIncomplete:
			cd.Blocks, cd.Experience = in.Blocks, in.Experience
		case certibloc.VAEAdmissible:
			// The accompanist's comments stay as they are.
			for i := range in.Dossier {
				in.Dossier[i].Comment = ""
				for _, old := range cd.Dossier {
					if old.Block == in.Dossier[i].Block && old.Competency == in.Dossier[i].Competency {
						in.Dossier[i].Comment = old.Comment
					}
				}
			}
			cd.Dossier = in.Dossier
		default:
			return certibloc.Errorf(certibloc.ECONFLICT, "the candidacy is %s: it can no longer be changed", cd.State)
		}
		acquired, err := acquiredBlocks(ctx, tx, cd.PersonID, cd.Certification)
		if err != nil {
			return err
		}
		if ps := cd.CheckDraft(c, acquired); ps != nil {
			return ps
		}
		if _, err := tx.ExecContext(ctx, `UPDATE vae_candidacies SET blocks = $1, experience = $2, dossier = $3, updated_at = $4 WHERE id = $5`,
			mustJSON(cd.Blocks), mustJSON(cd.Experience), mustJSON(cd.Dossier), db.now().UTC().Truncate(time.Microsecond), cd.ID); err != nil {
			return err
		}
		out = cd
		return nil
	})
	return out, err
}

// move changes a candidacy's state in tx, audits it and writes the
// notice the candidate is to receive.
func (db *DB) move(ctx context.Context, tx *sql.Tx, cd *certibloc.Candidacy, to certibloc.VAEState, data map[string]any) error {
	if err := cd.State.Move(to); err != nil {
		return err
	}
	from := cd.State
	cd.State, cd.UpdatedAt = to, db.now().UTC().Truncate(time.Microsecond)
	if _, err := tx.ExecContext(ctx, `UPDATE vae_candidacies SET state = $1, oral_at = $2, oral_place = $3, jury_id = $4, updated_at = $5 WHERE id = $6`,
		cd.State, cd.OralDate, cd.OralPlace, nullID(cd.JuryID), cd.UpdatedAt, cd.ID); err != nil {
		return err
	}
	if data == nil {
		data = map[string]any{}
	}
	data["from"], data["to"] = from, to
	if err := db.audit(ctx, tx, "vae."+string(to), "vae", strconv.FormatInt(cd.ID, 10), cd.School, data); err != nil {
		return err
	}
	person, err := findPerson(ctx, tx, cd.PersonID)
	if err != nil {
		return err
	}
	c, err := findCertification(ctx, tx, cd.Certification, cd.Version)
	if err != nil {
		return err
	}
	oral := ""
	if cd.OralDate != nil {
		oral = cd.OralDate.In(campaignZone).Format("02/01/2006 à 15h04")
	}
	if m, ok := cd.VAENotice(person, c.Title, oral); ok {
		return db.enqueue(ctx, tx, []certibloc.Mail{m})
	}
	return nil
}

// SubmitCandidacy asks for the feasibility of a draft or completed
// candidacy: it needs blocks aimed at and the experience described.
func (db *DB) SubmitCandidacy(ctx context.Context, id int64) (*certibloc.Candidacy, error) {
	var out *certibloc.Candidacy
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cd, c, err := writable(ctx, tx, id)
		if err != nil {
			return err
		}
		acquired, err := acquiredBlocks(ctx, tx, cd.PersonID, cd.Certification)
		if err != nil {
			return err
		}
		if ps := append(cd.CheckDraft(c, acquired), cd.CheckSubmit()...); len(ps) > 0 {
			return ps
		}
		out = cd
		return db.move(ctx, tx, cd, certibloc.VAESubmitted, nil)
	})
	return out, err
}

// DecideFeasibility records the certifier's decision on a submitted
// candidacy; the history keeps every decision.
func (db *DB) DecideFeasibility(ctx context.Context, id int64, f certibloc.Feasibility) (*certibloc.Candidacy, error) {
	p := certibloc.PrincipalFrom(ctx)
	if !p.Can(certibloc.ManageJuries) && p.Label != "cli" {
		return nil, certibloc.Errorf(certibloc.EFORBIDDEN, "the certifier decides the feasibility of a VAE candidacy")
	}
	if err := certibloc.CheckFeasibility(&f); err != nil {
		return nil, err
	}
	var out *certibloc.Candidacy
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cd, err := findCandidacy(ctx, tx, id)
		if err != nil {
			return err
		}
		if cd.State != certibloc.VAESubmitted {
			return certibloc.Errorf(certibloc.ECONFLICT, "the candidacy is %s: feasibility is decided on a submitted candidacy", cd.State)
		}
		f.DecidedBy, f.DecidedAt = actorLabel(p), db.now().UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, `INSERT INTO vae_feasibility (candidacy_id, outcome, reason, missing, decided_by, decided_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, id, f.Outcome, f.Reason, mustJSON(f.Missing), f.DecidedBy, f.DecidedAt); err != nil {
			return err
		}
		cd.History = append(cd.History, f)
		out = cd
		return db.move(ctx, tx, cd, f.Outcome, map[string]any{"reason": f.Reason != "", "missing": len(f.Missing)})
	})
	return out, err
}

// SubmitDossier submits an admissible candidacy's validation dossier: an
// answer for every competency of every block aimed at.
func (db *DB) SubmitDossier(ctx context.Context, id int64) (*certibloc.Candidacy, error) {
	var out *certibloc.Candidacy
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cd, c, err := writable(ctx, tx, id)
		if err != nil {
			return err
		}
		if cd.State != certibloc.VAEAdmissible {
			return cd.State.Move(certibloc.VAEDossierSubmitted)
		}
		if ps := cd.CheckDossier(c); ps != nil {
			return ps
		}
		out = cd
		return db.move(ctx, tx, cd, certibloc.VAEDossierSubmitted, nil)
	})
	return out, err
}

// AssignAccompanist names the account of the school who accompanies the
// candidate and may comment their dossier.
func (db *DB) AssignAccompanist(ctx context.Context, id, account int64) error {
	p := certibloc.PrincipalFrom(ctx)
	return db.tx(ctx, func(tx *sql.Tx) error {
		cd, err := findCandidacy(ctx, tx, id)
		if err != nil {
			return err
		}
		if !(p.Can(certibloc.WritePeople) && p.InSchool(cd.School)) && p.Label != "cli" {
			return certibloc.Errorf(certibloc.EFORBIDDEN, "staff of the candidate's school assign the accompanist")
		}
		var role string
		err = tx.QueryRowContext(ctx, `SELECT a.role FROM accounts a WHERE a.id = $1 AND a.disabled_at IS NULL
			AND (a.role = 'admin' OR EXISTS (SELECT 1 FROM account_schools s WHERE s.account_id = a.id AND s.school_code = $2))`, account, cd.School).Scan(&role)
		if errors.Is(err, sql.ErrNoRows) || role == string(certibloc.Candidate) {
			return certibloc.Errorf(certibloc.EINVALID, "account %d is not a staff account of %s", account, cd.School)
		} else if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE vae_candidacies SET accompanist_id = $1 WHERE id = $2`, account, id); err != nil {
			return err
		}
		return db.audit(ctx, tx, "vae.accompanist", "vae", strconv.FormatInt(id, 10), cd.School, map[string]any{"account": account})
	})
}

// CommentDossier records the accompanist's comment on one answer of the
// dossier.
func (db *DB) CommentDossier(ctx context.Context, id int64, block string, competency int, comment string) error {
	if err := certibloc.CheckText("comment", comment, 4000, true); err != nil {
		return err
	}
	p := certibloc.PrincipalFrom(ctx)
	return db.tx(ctx, func(tx *sql.Tx) error {
		cd, err := findCandidacy(ctx, tx, id)
		if err != nil {
			return err
		}
		if p.AccountID == 0 || p.AccountID != cd.Accompanist {
			return certibloc.Errorf(certibloc.EFORBIDDEN, "only the candidate's accompanist comments the dossier")
		}
		if cd.State != certibloc.VAEAdmissible && cd.State != certibloc.VAEDossierSubmitted {
			return certibloc.Errorf(certibloc.ECONFLICT, "the candidacy is %s: there is no dossier to comment", cd.State)
		}
		found := false
		for i := range cd.Dossier {
			if cd.Dossier[i].Block == block && cd.Dossier[i].Competency == competency {
				cd.Dossier[i].Comment, found = comment, true
			}
		}
		if !found {
			return certibloc.Errorf(certibloc.EINVALID, "the dossier has no answer on competency %d of block %s yet", competency, block)
		}
		_, err = tx.ExecContext(ctx, `UPDATE vae_candidacies SET dossier = $1 WHERE id = $2`, mustJSON(cd.Dossier), id)
		return err
	})
}

// ScheduleOral convenes the candidate before an open jury of the same
// certification: they become one of its candidates, and are e-mailed the
// convocation.
func (db *DB) ScheduleOral(ctx context.Context, id int64, at time.Time, place string, juryID int64) (*certibloc.Candidacy, error) {
	p := certibloc.PrincipalFrom(ctx)
	if !p.Can(certibloc.ManageJuries) && p.Label != "cli" {
		return nil, certibloc.Errorf(certibloc.EFORBIDDEN, "the certifier schedules the oral")
	}
	if place == "" || certibloc.CheckText("place", place, 200, false) != nil || at.IsZero() {
		return nil, certibloc.Errorf(certibloc.EINVALID, "the oral needs a date and time and a place of at most 200 characters")
	}
	var out *certibloc.Candidacy
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cd, err := findCandidacy(ctx, tx, id)
		if err != nil {
			return err
		}
		if cd.State != certibloc.VAEDossierSubmitted {
			return certibloc.Errorf(certibloc.ECONFLICT, "the candidacy is %s: the oral follows a submitted dossier", cd.State)
		}
		j, err := openJury(ctx, tx, juryID)
		if err != nil {
			return err
		}
		if j.Certification != cd.Certification {
			return certibloc.Errorf(certibloc.EINVALID, "jury %d deliberates on %s, not %s", juryID, j.Certification, cd.Certification)
		}
		if err := addCandidates(ctx, tx, juryID, []int64{cd.PersonID}); err != nil {
			return err
		}
		t := at.UTC().Truncate(time.Minute)
		cd.OralDate, cd.OralPlace, cd.JuryID = &t, place, juryID
		out = cd
		return db.move(ctx, tx, cd, certibloc.VAEOralScheduled, map[string]any{"jury": juryID})
	})
	return out, err
}

// WithdrawCandidacy ends a candidacy at the candidate's request.
func (db *DB) WithdrawCandidacy(ctx context.Context, id int64) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		cd, _, err := writable(ctx, tx, id)
		if err != nil {
			return err
		}
		return db.move(ctx, tx, cd, certibloc.VAEWithdrawn, nil)
	})
}

// VAEProof is a file a candidate gave in support of their experience.
type VAEProof struct {
	ID          int64     `json:"id"`
	Filename    string    `json:"filename"`
	ContentType string    `json:"content_type"`
	Size        int       `json:"size"`
	SHA256      string    `json:"sha256"`
	CreatedAt   time.Time `json:"created_at"`
}

// MaxProofs bounds the proofs of one candidacy.
const MaxProofs = 30

// AddProof stores a proof (a PDF, PNG or JPEG that is what its name
// claims) on a candidacy its candidate may still change.
func (db *DB) AddProof(ctx context.Context, id int64, filename string, data []byte) (*VAEProof, error) {
	name, ctype, err := certibloc.CheckDocument(certibloc.DocOther, filename, data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	pr := &VAEProof{Filename: name, ContentType: ctype, Size: len(data), SHA256: hex.EncodeToString(sum[:]), CreatedAt: db.now().UTC().Truncate(time.Microsecond)}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		cd, _, err := writable(ctx, tx, id)
		if err != nil {
			return err
		}
		if cd.State == certibloc.VAEDecided || cd.State == certibloc.VAEWithdrawn || cd.State == certibloc.VAENotAdmissible {
			return certibloc.Errorf(certibloc.ECONFLICT, "the candidacy is %s: it takes no more proofs", cd.State)
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM vae_proofs WHERE candidacy_id = $1`, id).Scan(&n); err != nil {
			return err
		}
		if n >= MaxProofs {
			return certibloc.Errorf(certibloc.EINVALID, "a candidacy takes at most %d proofs", MaxProofs)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO vae_proofs (candidacy_id, filename, content_type, size, sha256, data, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, id, pr.Filename, pr.ContentType, pr.Size, pr.SHA256, data, pr.CreatedAt).Scan(&pr.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, "vae.proof", "vae", strconv.FormatInt(id, 10), cd.School, map[string]any{"proof": pr.ID, "size": pr.Size})
	})
	return pr, err
}

// Proofs lists a candidacy's proofs, without their content.
func (db *DB) Proofs(ctx context.Context, id int64) ([]VAEProof, error) {
	if _, err := db.Candidacy(ctx, id); err != nil {
		return nil, err
	}
	rows, err := db.read.QueryContext(ctx, `SELECT id, filename, content_type, size, sha256, created_at FROM vae_proofs WHERE candidacy_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []VAEProof{}
	for rows.Next() {
		var pr VAEProof
		if err := rows.Scan(&pr.ID, &pr.Filename, &pr.ContentType, &pr.Size, &pr.SHA256, &pr.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, pr)
	}
	return out, rows.Err()
}

// vaeOfJury returns the candidacy that convened person before jury, if any.
func vaeOfJury(ctx context.Context, q querier, juryID, person int64) (*certibloc.Candidacy, error) {
	cd, err := scanCandidacy(q.QueryRowContext(ctx, candidacySelect+` WHERE jury_id = $1 AND person_id = $2 AND state = 'oral_scheduled'`, juryID, person))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return cd, err
}

// ProofData reads one proof of a candidacy, with its content, for whoever
// may see the candidacy.
func (db *DB) ProofData(ctx context.Context, candidacy, proof int64) (*VAEProof, []byte, error) {
	if _, err := db.Candidacy(ctx, candidacy); err != nil {
		return nil, nil, err
	}
	var pr VAEProof
	var data []byte
	err := db.read.QueryRowContext(ctx, `SELECT id, filename, content_type, size, sha256, created_at, data FROM vae_proofs
		WHERE id = $1 AND candidacy_id = $2`, proof, candidacy).Scan(&pr.ID, &pr.Filename, &pr.ContentType, &pr.Size, &pr.SHA256, &pr.CreatedAt, &data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, certibloc.Errorf(certibloc.ENOTFOUND, "no proof %d in VAE candidacy %d", proof, candidacy)
	}
	return &pr, data, err
}

// EnrolAfterVAE enrols the person of a decided candidacy in a cohort of
// the same certification and school, to prepare the blocks the jury did
// not validate (the mixed route): an enrolment without an application,
// refused when nothing remains to acquire. e gives the mode and its
// fields; it gets its id.
func (db *DB) EnrolAfterVAE(ctx context.Context, candidacy int64, e *certibloc.Enrolment) error {
	p := certibloc.PrincipalFrom(ctx)
	now := db.now().UTC().Truncate(time.Microsecond)
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		cd, err := findCandidacy(ctx, tx, candidacy)
		if err != nil {
			return err
		}
		if !(p.Can(certibloc.ManageAdmission) && p.InSchool(cd.School)) && p.Label != "cli" {
			return certibloc.Errorf(certibloc.EFORBIDDEN, "staff of the candidate's school enrol them in a cohort")
		}
		if cd.State != certibloc.VAEDecided {
			return certibloc.Errorf(certibloc.ECONFLICT, "the candidacy is %s: a cohort follows the jury's decision", cd.State)
		}
		c, err := findCertification(ctx, tx, cd.Certification, cd.Version)
		if err != nil {
			return err
		}
		acquired, err := acquiredBlocks(ctx, tx, cd.PersonID, cd.Certification)
		if err != nil {
			return err
		}
		common, optional := 0, 0 // common blocks missing, optional ones held
		for _, b := range c.Blocks {
			held := slices.Contains(acquired, b.Code)
			switch {
			case b.Kind == certibloc.Common && !held:
				common++
			case b.Kind == certibloc.Optional && held:
				optional++
			}
		}
		if common == 0 && (c.Validation == nil || optional >= c.Validation.MinOptional) {
			return certibloc.Errorf(certibloc.ECONFLICT, "person %d holds every block %s needs already", cd.PersonID, cd.Certification)
		}
		cohort, err := findCohort(ctx, tx, e.CohortID)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			return certibloc.Errorf(certibloc.EINVALID, "cohort %d does not exist", e.CohortID)
		} else if err != nil {
			return err
		}
		if cohort.School != cd.School || cohort.CertificationCode != cd.Certification {
			return certibloc.Errorf(certibloc.EINVALID, "cohort %d is not a cohort of %s preparing for %s", cohort.ID, cd.School, cd.Certification)
		}
		person, err := findPerson(ctx, tx, cd.PersonID)
		if err != nil {
			return err
		}
		e.PersonID, e.ApplicationID, e.School, e.Track, e.Version = cd.PersonID, 0, cd.School, cohort.Track, cohort.Version
		e.CreatedAt, e.Name = now, person.DisplayName()
		if err := e.Check(); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM enrolments WHERE cohort_id = $1 AND person_id = $2`, cohort.ID, cd.PersonID).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return certibloc.Errorf(certibloc.ECONFLICT, "person %d is a learner of cohort %d already", cd.PersonID, cohort.ID)
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO enrolments (cohort_id, person_id, school_code,
				track, mode, option_block, certification_version, internship_months, employer, employer_siret,
				contract_start, contract_end, tutor, tutor_email, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
			cohort.ID, e.PersonID, e.School, e.Track, e.Mode, e.Option, e.Version, e.InternshipMonths,
			e.Employer, e.EmployerSIRET, e.ContractStart, e.ContractEnd, e.Tutor, e.TutorEmail, now).Scan(&e.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, "enrolment.create", "enrolment", strconv.FormatInt(e.ID, 10), e.School, map[string]any{
			"cohort": cohort.ID, "candidacy": cd.ID, "person": e.PersonID, "mode": e.Mode, "version": e.Version})
	})
}

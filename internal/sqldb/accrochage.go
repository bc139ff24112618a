package sqldb

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// Declarations of holders to the Caisse des Dépôts: the account of each
// certification there, the holders of a closed jury or of a period with
// where their declaration stands, the export that records what it sends,
// and the Caisse's processing reports.

// SetCDCAccount sets a certification's account at the Caisse.
func (db *DB) SetCDCAccount(ctx context.Context, a *certibloc.CDCAccount) error {
	if err := a.Validate(); err != nil {
		return err
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := findCertification(ctx, tx, a.Certification, 0); err != nil {
			return err
		}
		a.UpdatedAt = db.now().UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, `
			INSERT INTO cdc_accounts (certification_code, emitter, client, contract, updated_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (certification_code) DO UPDATE SET emitter = excluded.emitter, client = excluded.client,
				contract = excluded.contract, updated_at = excluded.updated_at`,
			a.Certification, a.Emitter, a.Client, a.Contract, a.UpdatedAt); err != nil {
			return err
		}
		return db.audit(ctx, tx, "cdc.account", "certification", a.Certification, "",
			map[string]any{"emitter": a.Emitter, "client": a.Client, "contract": a.Contract})
	})
}

// CDCAccounts lists the certifications' accounts at the Caisse.
func (db *DB) CDCAccounts(ctx context.Context) ([]certibloc.CDCAccount, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT certification_code, emitter, client, contract, updated_at FROM cdc_accounts ORDER BY certification_code`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []certibloc.CDCAccount
	for rows.Next() {
		var a certibloc.CDCAccount
		if err := rows.Scan(&a.Certification, &a.Emitter, &a.Client, &a.Contract, &a.UpdatedAt); err != nil {
			return nil, err
		}
		a.UpdatedAt = a.UpdatedAt.UTC()
		out = append(out, a)
	}
	return out, rows.Err()
}

// AccrochageScope is which holders a declaration is about: those of a
// closed jury, or those awarded between two dates (both included),
// optionally of one certification only.
type AccrochageScope struct {
	JuryID        int64
	From, To      certibloc.Date
	Certification string
}

// where returns the scope's condition on titles_awarded t and its arguments.
func (db *DB) scopeWhere(ctx context.Context, s AccrochageScope) (string, []any, error) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	switch {
	case s.JuryID != 0 && (!s.From.IsZero() || !s.To.IsZero()):
		return "", nil, certibloc.Errorf(certibloc.EINVALID, "give either a jury or a date range, not both")
	case s.JuryID != 0:
		j, err := findJury(ctx, db.read, s.JuryID)
		if err != nil {
			return "", nil, err
		}
		if j.State != certibloc.JuryClosed {
			return "", nil, certibloc.Errorf(certibloc.ECONFLICT, "jury %d is not closed: its holders are declared once it closes", s.JuryID)
		}
		conds = append(conds, "t.jury_id = "+arg(s.JuryID))
	case s.From.IsZero() || s.To.IsZero():
		return "", nil, certibloc.Errorf(certibloc.EINVALID, "give a closed jury (jury) or a date range (from and to, YYYY-MM-DD)")
	case s.To.Before(s.From):
		return "", nil, certibloc.Errorf(certibloc.EINVALID, "the range ends (%s) before it starts (%s)", s.To, s.From)
	default:
		conds = append(conds, "t.awarded_on >= "+arg(s.From), "t.awarded_on <= "+arg(s.To))
	}
	if s.Certification != "" {
		conds = append(conds, "t.certification_code = "+arg(s.Certification))
	}
	return strings.Join(conds, " AND "), args, nil
}

// holdersSQL is the query of the titles awarded in scope (where, a
// condition on titles_awarded t) with their holders, route, mode, the
// certification's account and the passage's last sending; more is a
// further condition, on the passage cp too. The mode (of the last
// enrolment in the certification) is looked for among the titles in scope
// only: a jury of thirty does not read every enrolment. The rows come by
// person; eachHolder groups them by certification, which spares the
// database sorting 100,000 wide rows by account before the first one.
func holdersSQL(where, more string) string {
	if more != "" {
		more = " AND " + more
	}
	return `
	SELECT p.id, p.birth_name, p.usage_name, p.first_names, p.birth_date, p.sex, p.birth_place, p.birth_country,
		t.certification_code, t.awarded_on, t.jury_id, t.route, COALESCE(en.mode, ''),
		COALESCE(a.emitter, ''), COALESCE(a.client, ''), COALESCE(a.contract, ''),
		COALESCE(cp.status, ''), COALESCE(cp.digest, ''), COALESCE(cp.id_flux, ''), COALESCE(cp.message, ''), cp.sent_at
	FROM titles_awarded t
	JOIN people p ON p.id = t.person_id
	LEFT JOIN (SELECT t.person_id, t.certification_code, MAX(e.id) AS id
		FROM titles_awarded t JOIN enrolments e ON e.person_id = t.person_id
		JOIN cohorts co ON co.id = e.cohort_id AND co.certification_code = t.certification_code
		WHERE ` + where + ` GROUP BY t.person_id, t.certification_code) le
		ON le.person_id = t.person_id AND le.certification_code = t.certification_code
	LEFT JOIN enrolments en ON en.id = le.id
	LEFT JOIN cdc_accounts a ON a.certification_code = t.certification_code
	LEFT JOIN cdc_passages cp ON cp.id_technique = 'certibloc-' || t.certification_code || '-' || t.person_id
	WHERE p.erased_at IS NULL AND ` + where + more + `
	ORDER BY t.person_id`
}

// eachHolder streams the holders in scope (where and more, as holdersSQL
// takes them) with where their declaration stands, as of today, grouped
// as the files are: by certifier account, then certification.
func (db *DB) eachHolder(ctx context.Context, where, more string, args []any, fn func(*certibloc.PassageState) error) error {
	// One snapshot for every certification's query.
	q, err := db.read.BeginTx(ctx, db.snapshot())
	if err != nil {
		return err
	}
	defer q.Rollback()
	if db.engine == Postgres {
		// 100,000 holders need hashes of some 10 MB, which PostgreSQL's
		// default work_mem (4 MB) would write to disk; and its parallel
		// workers would each build the same ones, for one client reading
		// one row at a time.
		if _, err := q.ExecContext(ctx, `SET LOCAL work_mem = '64MB'; SET LOCAL max_parallel_workers_per_gather = 0`); err != nil {
			return err
		}
	}
	rows, err := q.QueryContext(ctx, `
		SELECT DISTINCT t.certification_code, COALESCE(a.client, ''), COALESCE(a.contract, '')
		FROM titles_awarded t LEFT JOIN cdc_accounts a ON a.certification_code = t.certification_code
		WHERE `+where+` ORDER BY 2, 3, 1`, args...)
	if err != nil {
		return err
	}
	var codes []any
	for rows.Next() {
		var code, client, contract string
		if err := rows.Scan(&code, &client, &contract); err != nil {
			rows.Close()
			return err
		}
		codes = append(codes, code)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	byCode := where + " AND t.certification_code = $" + strconv.Itoa(len(args)+1)
	for _, code := range codes {
		if err := db.eachHolderOf(ctx, q, byCode, more, append(args[:len(args):len(args)], code), fn); err != nil {
			return err
		}
	}
	return nil
}

// eachHolderOf streams the holders of one certification.
func (db *DB) eachHolderOf(ctx context.Context, q querier, where, more string, args []any, fn func(*certibloc.PassageState) error) error {
	rows, err := q.QueryContext(ctx, holdersSQL(where, more), args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	today := db.now().UTC()
	var s certibloc.PassageState
	for rows.Next() {
		s = certibloc.PassageState{}
		h := &s.Holder
		var mode, digest string
		var sent sql.NullTime
		if err := rows.Scan(&h.PersonID, &h.BirthName, &h.UsageName, &h.FirstNames, &h.BirthDate, &h.Sex, &h.BirthPlace, &h.BirthCountry,
			&h.Certification, &h.AwardedOn, &h.JuryID, &h.Route, &mode, &h.Emitter, &h.Client, &h.Contract,
			&s.Status, &digest, &s.IDFlux, &s.Message, &sent); err != nil {
			return err
		}
		h.Mode = certibloc.Mode(mode)
		s.IDTechnique = h.IDTechnique()
		if sent.Valid {
			at := sent.Time.UTC()
			s.SentAt = &at
		}
		s.Digest = h.Digest()
		switch {
		case s.Status == "":
			s.Status = certibloc.PassageToSend
		case digest != s.Digest:
			s.Changed = true
		}
		s.Due = certibloc.DueDate(h.AwardedOn)
		s.Overdue = (s.Status == certibloc.PassageToSend || s.Status == certibloc.PassageRejected) && today.After(s.Due.AddDate(0, 0, 1))
		if err := fn(&s); err != nil {
			return err
		}
	}
	return rows.Err()
}

// toSend reports whether a passage goes into the next file: never sent,
// rejected, or changed since it was sent.
func toSend(s *certibloc.PassageState) bool {
	return s.Status == certibloc.PassageToSend || s.Status == certibloc.PassageRejected || s.Changed
}

// AccrochagePassages lists the holders in scope and where each
// declaration stands; status filters on one status ("to_send" includes
// the changed ones). At most limit rows (1000 when 0).
func (db *DB) AccrochagePassages(ctx context.Context, scope AccrochageScope, status string, limit int) ([]certibloc.PassageState, error) {
	where, args, err := db.scopeWhere(ctx, scope)
	if err != nil {
		return nil, err
	}
	if limit <= 0 {
		limit = 1000
	}
	var out []certibloc.PassageState
	errFull := errors.New("full")
	err = db.eachHolder(ctx, where, "", args, func(s *certibloc.PassageState) error {
		if status != "" && s.Status != status && !(status == certibloc.PassageToSend && s.Changed) {
			return nil
		}
		if len(out) == limit {
			return errFull
		}
		out = append(out, *s)
		return nil
	})
	if errors.Is(err, errFull) {
		err = nil
	}
	return out, err
}

// AccrochageCheck lists what keeps the holders to send in scope from being
// declared (at most certibloc.MaxProblems), and how many there are to send.
func (db *DB) AccrochageCheck(ctx context.Context, scope AccrochageScope) (int, certibloc.Problems, error) {
	where, args, err := db.scopeWhere(ctx, scope)
	if err != nil {
		return 0, nil, err
	}
	n := 0
	var ps certibloc.Problems
	err = db.eachHolder(ctx, where, "", args, func(s *certibloc.PassageState) error {
		if !toSend(s) {
			return nil
		}
		n++
		if len(ps) < certibloc.MaxProblems {
			ps = append(ps, s.Check()...)
		}
		return nil
	})
	if len(ps) > certibloc.MaxProblems {
		ps = ps[:certibloc.MaxProblems]
	}
	return n, ps, err
}

// AccrochageOverdue lists the holders not declared (never sent, or
// rejected) more than three months after their jury.
func (db *DB) AccrochageOverdue(ctx context.Context) ([]certibloc.PassageState, error) {
	cutoff := certibloc.Date{Time: db.now().UTC().Truncate(24*time.Hour).AddDate(0, -certibloc.DeclarationDeadline, 0)}
	var out []certibloc.PassageState
	err := db.eachHolder(ctx, `t.awarded_on < $1`, `(cp.status IS NULL OR cp.status = 'rejected')`, []any{cutoff},
		func(s *certibloc.PassageState) error {
			if s.Overdue && len(out) < 1000 {
				out = append(out, *s)
			}
			return nil
		})
	return out, err
}

// AccrochageWriter is what an export writes holders to: Write puts a
// holder's passage in a file and returns its idFlux (a new idFlux opens a
// new file); Close ends the files and tells their passages and sizes.
type AccrochageWriter interface {
	Write(h *certibloc.Holder) (idFlux string, err error)
	Close() ([]certibloc.ExportedFile, error)
}

// AccrochageContents is an AccrochageWriter that can read back the files
// it wrote: an export through it keeps them in the database, to be
// downloaded again (CDCFileContent).
type AccrochageContents interface {
	AccrochageWriter
	Content(idFlux string) (io.ReadCloser, error)
}

// ExportAccrochage writes the passages to send in scope (never sent,
// rejected, or changed since sent) to w and records them as sent, in one
// transaction: if a holder lacks data the Caisse needs, nothing is
// recorded and the problems come back (certibloc.Problems), one per
// holder and field with the page that corrects it. A scope with nothing to
// send is an error that says so.
func (db *DB) ExportAccrochage(ctx context.Context, scope AccrochageScope, w AccrochageWriter) ([]certibloc.ExportedFile, error) {
	where, args, err := db.scopeWhere(ctx, scope)
	if err != nil {
		return nil, err
	}
	var files []certibloc.ExportedFile
	err = db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		at := db.now().UTC().Truncate(time.Microsecond)
		known := map[string]bool{}
		var ps certibloc.Problems
		n, inScope := 0, 0
		exportID, err := db.newExport(ctx, tx, scope, at)
		if err != nil {
			return err
		}
		up, err := db.newPassageUpsert(ctx, tx, at)
		if err != nil {
			return err
		}
		err = db.eachHolder(ctx, where, "", args, func(s *certibloc.PassageState) error {
			inScope++
			if !toSend(s) {
				return nil
			}
			if p := s.Check(); p != nil {
				if len(ps) < certibloc.MaxProblems {
					ps = append(ps, p...)
				}
				return nil
			}
			if ps != nil {
				return nil // a file with problems is thrown away: only look for more
			}
			id, err := w.Write(&s.Holder)
			if err != nil {
				return err
			}
			if !known[id] {
				known[id] = true
				if err := up.wait(); err != nil { // one statement at a time on tx
					return err
				}
				if _, err := tx.ExecContext(ctx, `
					INSERT INTO cdc_files (id_flux, client, contract, passages, bytes, created_at, export_id) VALUES ($1, $2, $3, 0, 0, $4, $5)`,
					id, s.Client, s.Contract, at, exportID); err != nil {
					return conflictOnDuplicate(err, "a file "+id+" was sent already")
				}
			}
			n++
			return up.add(ctx, s.IDTechnique, s.PersonID, s.Certification, s.Digest, id)
		})
		if ferr := up.flush(ctx); err == nil {
			err = ferr
		}
		if err != nil {
			return err
		}
		if ps != nil {
			if len(ps) > certibloc.MaxProblems {
				ps = ps[:certibloc.MaxProblems]
			}
			return ps
		}
		if n == 0 {
			if inScope == 0 {
				return certibloc.Errorf(certibloc.ENOTFOUND, "no holder in this scope: no title was awarded there")
			}
			return certibloc.Errorf(certibloc.ECONFLICT, "nothing to send: the %d holder(s) in this scope were sent and have not changed since", inScope)
		}
		if files, err = w.Close(); err != nil {
			return err
		}
		for _, f := range files {
			if _, err := tx.ExecContext(ctx, `UPDATE cdc_files SET passages = $1, bytes = $2 WHERE id_flux = $3`,
				f.Passages, f.Bytes, f.IDFlux); err != nil {
				return err
			}
		}
		if err := db.finishExport(ctx, tx, exportID, files, w); err != nil {
			return err
		}
		ids := make([]string, len(files))
		for i, f := range files {
			ids[i] = f.IDFlux
		}
		return db.audit(ctx, tx, "cdc.export", "cdc_file", strings.Join(ids, ","), "",
			map[string]any{"passages": n, "files": len(files), "jury": scope.JuryID, "from": scope.From.String(), "to": scope.To.String()})
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// passageUpsert records passages as sent, in batches, each written while
// the export goes on reading and writing the next holders (one batch in
// flight at a time, on the export's transaction). On SQLite, rows of six
// values through a statement prepared once per export (its driver would
// otherwise parse each batch again); on PostgreSQL, one statement of a
// column an array (upsertPassagesPg) for 5,000 rows.
type passageUpsert struct {
	engine string
	tx     *sql.Tx
	at     time.Time
	rows   int        // rows a batch
	n      int        // rows waiting
	flight chan error // the batch being written, if any
	// SQLite: the statement of a full batch and the values waiting.
	full  *sql.Stmt
	batch []any
	// PostgreSQL: the columns waiting.
	ids, certs, digests, fluxes []string
	people                      []int64
}

func (db *DB) newPassageUpsert(ctx context.Context, tx *sql.Tx, at time.Time) (*passageUpsert, error) {
	u := &passageUpsert{engine: db.engine, tx: tx, at: at, rows: 5000}
	if db.engine == Postgres {
		return u, nil
	}
	u.rows = 400 // anonymous parameters bind in constant time: see upsertSQL
	stmt, err := tx.PrepareContext(ctx, upsertSQL(u.rows))
	if err != nil {
		return nil, err
	}
	u.full = stmt
	return u, nil
}

// add records a passage as sent in the file idFlux.
func (u *passageUpsert) add(ctx context.Context, idTechnique string, person int64, cert, digest, idFlux string) error {
	if u.engine == Postgres {
		u.ids, u.people, u.certs = append(u.ids, idTechnique), append(u.people, person), append(u.certs, cert)
		u.digests, u.fluxes = append(u.digests, digest), append(u.fluxes, idFlux)
	} else {
		u.batch = append(u.batch, idTechnique, person, cert, digest, idFlux, u.at)
	}
	if u.n++; u.n < u.rows {
		return nil
	}
	if err := u.wait(); err != nil {
		return err
	}
	u.flight = make(chan error, 1)
	go func(write func() error) { u.flight <- write() }(u.take(ctx))
	return nil
}

// take returns the write of the rows waiting, which it hands over.
func (u *passageUpsert) take(ctx context.Context) func() error {
	n, batch := u.n, u.batch
	ids, people, certs, digests, fluxes := u.ids, u.people, u.certs, u.digests, u.fluxes
	u.n, u.batch, u.ids, u.people, u.certs, u.digests, u.fluxes = 0, nil, nil, nil, nil, nil, nil
	return func() error {
		var err error
		switch {
		case n == 0:
		case u.engine == Postgres:
			_, err = u.tx.ExecContext(ctx, upsertPassagesPg, ids, people, certs, digests, fluxes, u.at)
		case n == u.rows:
			_, err = u.full.ExecContext(ctx, batch...)
		default:
			_, err = u.tx.ExecContext(ctx, upsertSQL(n), batch...)
		}
		return err
	}
}

// wait waits for the batch in flight, and returns its error.
func (u *passageUpsert) wait() error {
	if u.flight == nil {
		return nil
	}
	err := <-u.flight
	u.flight = nil
	return err
}

// flush writes the rows left once the batch in flight is written, and
// closes the statement. It is called however the export ends: no write
// outlives it.
func (u *passageUpsert) flush(ctx context.Context) error {
	if u.full != nil {
		defer u.full.Close()
	}
	if err := u.wait(); err != nil {
		return err
	}
	return u.take(ctx)()
}

// upsertPassages is how a passage already recorded is sent again.
const upsertPassages = ` ON CONFLICT (id_technique) DO UPDATE SET status = 'sent', digest = excluded.digest, id_flux = excluded.id_flux,
	sent_at = excluded.sent_at, message = '', answered_at = NULL`

// upsertPassagesPg records any number of passages on PostgreSQL, from
// arrays: one statement, parsed once.
const upsertPassagesPg = `INSERT INTO cdc_passages (id_technique, person_id, certification_code, digest, id_flux, sent_at, status)
	SELECT u.id, u.person, u.cert, u.digest, u.flux, $6, 'sent'
	FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[]) AS u(id, person, cert, digest, flux)` + upsertPassages

// upsertSQL is the statement of rows passages on SQLite. Its parameters
// are anonymous (?): its driver looks each numbered one up by name in a
// list as long as the statement's, which took a tenth of an export.
func upsertSQL(rows int) string {
	var sb strings.Builder
	sb.WriteString(`INSERT INTO cdc_passages (id_technique, person_id, certification_code, digest, id_flux, sent_at, status) VALUES `)
	for i := range rows {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString("(?, ?, ?, ?, ?, ?, 'sent')")
	}
	sb.WriteString(upsertPassages)
	return sb.String()
}

// ApplyAccrochageReport applies the Caisse's processing report of a file:
// each passage it names is accepted or rejected with its message, unless
// it was sent again in a later file since. A report of a file certibloc
// did not send, or naming a passage that file did not hold, is refused
// whole; applying the same report twice changes nothing.
func (db *DB) ApplyAccrochageReport(ctx context.Context, r *certibloc.ProcessingReport) (*certibloc.ReportApplied, error) {
	out := &certibloc.ReportApplied{IDFlux: r.IDFlux}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		var processing string
		err := tx.QueryRowContext(ctx, `SELECT processing_id FROM cdc_files WHERE id_flux = $1`, r.IDFlux).Scan(&processing)
		if errors.Is(err, sql.ErrNoRows) {
			return certibloc.Errorf(certibloc.EINVALID, "this report answers file %q, which certibloc did not send: is it the report of one of our files, for our certifier?", certibloc.Cut(r.IDFlux))
		}
		if err != nil {
			return err
		}
		if processing != "" && processing != r.ProcessingID {
			return certibloc.Errorf(certibloc.ECONFLICT, "file %s already has the report of processing %s: this one (%s) is another", r.IDFlux, processing, certibloc.Cut(r.ProcessingID))
		}
		at := db.now().UTC().Truncate(time.Microsecond)
		apply := func(id, status, message string) error {
			var flux string
			err := tx.QueryRowContext(ctx, `SELECT id_flux FROM cdc_passages WHERE id_technique = $1`, id).Scan(&flux)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			if flux == "" {
				return certibloc.Errorf(certibloc.EINVALID, "the report names passage %q, which certibloc never sent: it is not the report of file %s", certibloc.Cut(id), r.IDFlux)
			}
			if flux != r.IDFlux {
				var sentIn bool
				if err := tx.QueryRowContext(ctx, `SELECT created_at > (SELECT created_at FROM cdc_files WHERE id_flux = $2) FROM cdc_files WHERE id_flux = $1`,
					flux, r.IDFlux).Scan(&sentIn); err != nil {
					return err
				}
				if !sentIn {
					return certibloc.Errorf(certibloc.EINVALID, "the report names passage %q, which file %s did not hold", certibloc.Cut(id), r.IDFlux)
				}
				out.Superseded++
				return nil
			}
			if _, err := tx.ExecContext(ctx, `UPDATE cdc_passages SET status = $1, message = $2, answered_at = $3 WHERE id_technique = $4`,
				status, message, at, id); err != nil {
				return err
			}
			if status == certibloc.PassageAccepted {
				out.Accepted++
			} else {
				out.Rejected++
			}
			return nil
		}
		for _, id := range r.Accepted {
			if err := apply(id, certibloc.PassageAccepted, ""); err != nil {
				return err
			}
		}
		for _, k := range r.Rejected {
			msg := k.Message
			if msg == "" {
				msg = "rejeté sans message"
			}
			if err := apply(k.IDTechnique, certibloc.PassageRejected, msg); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, `UPDATE cdc_files SET processing_id = $1, reported_at = $2, accepted = $3, rejected = $4 WHERE id_flux = $5`,
			r.ProcessingID, at, out.Accepted, out.Rejected, r.IDFlux); err != nil {
			return err
		}
		return db.audit(ctx, tx, "cdc.report", "cdc_file", r.IDFlux, "",
			map[string]any{"processing": r.ProcessingID, "accepted": out.Accepted, "rejected": out.Rejected, "superseded": out.Superseded})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CDCFiles lists the files sent (at most limit, 100 when 0): the latest
// export first, and its files in the order written, -2 before -10. The
// files of one export share its instant: the query reads every file at
// least as recent as the limit-th, so that the cut falls in the order
// written, not in the order of the names.
func (db *DB) CDCFiles(ctx context.Context, limit int) ([]CDCFile, error) {
	if limit <= 0 {
		limit = 100
	}
	rows, err := db.read.QueryContext(ctx, `
		SELECT id_flux, client, contract, passages, bytes, created_at, processing_id, reported_at, accepted, rejected, COALESCE(export_id, 0)
		FROM cdc_files WHERE created_at >= (SELECT MIN(created_at) FROM
			(SELECT created_at FROM cdc_files ORDER BY created_at DESC LIMIT $1) latest)`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type row struct {
		f      CDCFile
		export int64
	}
	var all []row
	for rows.Next() {
		var r row
		f := &r.f
		var reported sql.NullTime
		if err := rows.Scan(&f.IDFlux, &f.Client, &f.Contract, &f.Passages, &f.Bytes, &f.CreatedAt, &f.ProcessingID, &reported,
			&f.Accepted, &f.Rejected, &r.export); err != nil {
			return nil, err
		}
		f.CreatedAt = f.CreatedAt.UTC()
		if reported.Valid {
			t := reported.Time.UTC()
			f.ReportedAt = &t
		}
		all = append(all, r)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	slices.SortFunc(all, func(a, b row) int {
		if c := b.f.CreatedAt.Compare(a.f.CreatedAt); c != 0 {
			return c
		}
		if c := cmp.Compare(b.export, a.export); c != 0 {
			return c
		}
		return naturalCompare(a.f.IDFlux, b.f.IDFlux)
	})
	out := make([]CDCFile, 0, min(limit, len(all)))
	for _, r := range all[:min(limit, len(all))] {
		out = append(out, r.f)
	}
	return out, nil
}

// CDCFile is a file sent to the Caisse and what its report said.
type CDCFile struct {
	certibloc.ExportedFile
	CreatedAt    time.Time  `json:"created_at"`
	ProcessingID string     `json:"processing_id,omitempty"`
	ReportedAt   *time.Time `json:"reported_at,omitempty"`
	Accepted     int        `json:"accepted"`
	Rejected     int        `json:"rejected"`
}

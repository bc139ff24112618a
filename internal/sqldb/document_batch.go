package sqldb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"fmt"
	"time"

	"github.com/certibloc/certibloc"
)

// A closed jury's batch of documents (certibloc.PlanDocuments): what is
// still to issue, and the writing of a part of it by the job that holds
// the batch, with its progress, in one transaction.

// JuryDocumentsToIssue returns the documents of a closed jury not issued
// yet, ready to render (fresh numbers, the holders and the certification
// as they are now, issued at at), and how many were issued already. A
// jury still open is refused (certibloc.JurySession.CheckDocuments); a
// candidate erased since the jury gets no document.
func (db *DB) JuryDocumentsToIssue(ctx context.Context, juryID int64, at time.Time) ([]*certibloc.IssuedDocument, int, error) {
	tx, err := db.read.BeginTx(ctx, db.snapshot())
	if err != nil {
		return nil, 0, err
	}
	defer tx.Rollback()
	j, err := findJury(ctx, tx, juryID)
	if err != nil {
		return nil, 0, err
	}
	if err := j.CheckDocuments(certibloc.English); err != nil {
		return nil, 0, err
	}
	c, err := findCertification(ctx, tx, j.Certification, j.Version)
	if err != nil {
		return nil, 0, err
	}
	current, err := juryDecisions(ctx, tx, juryID)
	if err != nil {
		return nil, 0, err
	}
	decisions := make([]certibloc.JuryDecision, 0, len(current))
	for _, d := range current {
		decisions = append(decisions, d)
	}
	firstHere := map[int64][]string{}
	rows, err := tx.QueryContext(ctx, `SELECT person_id, block_code FROM ledger
		WHERE jury_id = $1 AND certification_code = $2 AND certification_version = $3`, juryID, j.Certification, j.Version)
	if err != nil {
		return nil, 0, err
	}
	for rows.Next() {
		var p int64
		var b string
		if err := rows.Scan(&p, &b); err != nil {
			rows.Close()
			return nil, 0, err
		}
		firstHere[p] = append(firstHere[p], b)
	}
	rows.Close()
	issued := map[string]bool{}
	rows, err = tx.QueryContext(ctx, `SELECT person_id, kind, block_code FROM issued_documents WHERE jury_id = $1`, juryID)
	if err != nil {
		return nil, 0, err
	}
	for rows.Next() {
		var p certibloc.PlannedDocument
		if err := rows.Scan(&p.PersonID, &p.Kind, &p.Block); err != nil {
			rows.Close()
			return nil, 0, err
		}
		issued[p.Key()] = true
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var todo []*certibloc.IssuedDocument
	people := map[int64]*certibloc.Person{}
	for _, p := range certibloc.PlanDocuments(decisions, firstHere) {
		if issued[p.Key()] {
			continue
		}
		person, ok := people[p.PersonID]
		if !ok {
			if person, err = findPerson(ctx, tx, p.PersonID); err != nil {
				return nil, 0, err
			}
			people[p.PersonID] = person
		}
		if person.ErasedAt != nil {
			continue
		}
		verdicts := current[p.PersonID].Blocks
		if p.Kind == certibloc.Attestation {
			for _, v := range verdicts {
				if v.Block == p.Block {
					verdicts = []certibloc.BlockVerdict{v}
					break
				}
			}
		}
		number, err := certibloc.NewDocumentNumber(rand.Reader)
		if err != nil {
			return nil, 0, err
		}
		d, err := certibloc.NewIssuedDocument(p.Kind, number, person, c, verdicts, juryID, j.Date, at)
		if err != nil {
			return nil, 0, fmt.Errorf("%s of person %d: %w", p.Kind, p.PersonID, err)
		}
		todo = append(todo, d)
	}
	return todo, len(issued), nil
}

// IssueJobDocuments records documents and their PDFs for attempt of job
// jobID, with the job's progress (done out of total) and a renewed lease,
// in one transaction: a worker that lost the job (its lease ended and
// another claimed it) writes nothing, and a crash after the commit loses
// nothing, so the documents are issued once whatever happens to workers.
func (db *DB) IssueJobDocuments(ctx context.Context, jobID int64, attempt int, lease time.Duration,
	docs []*certibloc.IssuedDocument, pdfs [][]byte, done, total int) error {
	if err := checkIssue(docs, pdfs); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.ownJob(ctx, tx, jobID, attempt, lease, ", done = $5, total = $6", done, total); err != nil {
			return err
		}
		return db.issueInTx(ctx, tx, docs, pdfs)
	})
	if err != nil {
		return fmt.Errorf("issue documents of job %d: %w", jobID, err)
	}
	return nil
}

// JuryDocuments lists the documents a jury issued, by person then kind,
// without their PDFs.
func (db *DB) JuryDocuments(ctx context.Context, juryID int64) ([]certibloc.IssuedDocument, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+issuedColumns+` FROM issued_documents WHERE jury_id = $1
		ORDER BY person_id, kind, block_code, id`, juryID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []certibloc.IssuedDocument{}
	for rows.Next() {
		d, err := scanIssued(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, *d)
	}
	return out, rows.Err()
}

// EachJuryPDF calls fn with each document a jury issued and its PDF, in
// the order of JuryDocuments, reading one file at a time.
func (db *DB) EachJuryPDF(ctx context.Context, juryID int64, fn func(d *certibloc.IssuedDocument, pdf []byte) error) error {
	docs, err := db.JuryDocuments(ctx, juryID)
	if err != nil {
		return err
	}
	for i := range docs {
		pdf, err := db.DocumentPDF(ctx, docs[i].Number)
		if err != nil {
			return err
		}
		if err := fn(&docs[i], pdf); err != nil {
			return err
		}
	}
	return nil
}

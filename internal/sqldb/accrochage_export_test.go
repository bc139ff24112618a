package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// SeedHoldersForBench stores n holders of cert's title, awarded by one
// closed jury on 2027-07-01: each person with complete birth data (one in
// ten born abroad), a jury decision, the title and its four blocks in the
// ledger (one in five by VAE, the others enrolled in a cohort, half as
// apprentices), and the certification's account at the
// Caisse. Benchmark data, not records: one transaction, no audit trail.
func (db *DB) SeedHoldersForBench(ctx context.Context, cert *certibloc.Certification, school string, n int) (int64, error) {
	now := db.now().UTC().Truncate(time.Microsecond)
	batch := db.insertBatch()
	insert := func(tx *sql.Tx, head string, cols int, rows [][]any) error {
		for from := 0; from < len(rows); from += batch {
			part := rows[from:min(from+batch, len(rows))]
			var sb strings.Builder
			sb.WriteString(head + " VALUES ")
			args := make([]any, 0, len(part)*cols)
			for i, r := range part {
				if i > 0 {
					sb.WriteString(", ")
				}
				sb.WriteString("(")
				for c := range cols {
					if c > 0 {
						sb.WriteString(", ")
					}
					fmt.Fprintf(&sb, "$%d", i*cols+c+1)
				}
				sb.WriteString(")")
				args = append(args, r...)
			}
			if _, err := tx.ExecContext(ctx, sb.String(), args...); err != nil {
				return err
			}
		}
		return nil
	}
	ids := func(tx *sql.Tx, q string, args ...any) ([]int64, error) {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			out = append(out, id)
		}
		return out, rows.Err()
	}
	var jury int64
	date := certibloc.DateOf(2027, 7, 1)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO juries (certification_code, certification_version, held_on, place, state, closed_at, created_at)
			VALUES ($1, $2, $3, 'Dijon', 'closed', $4, $4) RETURNING id`, cert.Code, cert.Version, date, now).Scan(&jury); err != nil {
			return err
		}
		rows := make([][]any, n)
		for i := range n {
			place, country := fmt.Sprintf("%05d", 1001+i%95000), "FR"
			if i%10 == 9 {
				place, country = "", "MA"
			}
			sex := "F"
			if i%2 == 1 {
				sex = "M"
			}
			rows[i] = []any{school, fmt.Sprintf("Titulaire%06d", i), "Camille Marie", certibloc.DateOf(1980+i%25, time.Month(1+i%12), 1+i%28),
				sex, place, country, "bench", now}
		}
		if err := insert(tx, `INSERT INTO people (school_code, birth_name, first_names, birth_date, sex, birth_place, birth_country, search_name, created_at, updated_at)`,
			10, appendNow(rows, now)); err != nil {
			return err
		}
		people, err := ids(tx, `SELECT id FROM people WHERE search_name = 'bench' ORDER BY id`)
		if err != nil {
			return err
		}
		rows = rows[:0]
		for _, p := range people {
			rows = append(rows, []any{jury, p, "[]", true, true, now})
		}
		if err := insert(tx, `INSERT INTO jury_decisions (jury_id, person_id, blocks, proposed_title, certified, decided_at)`, 6, rows); err != nil {
			return err
		}
		decisions, err := ids(tx, `SELECT id FROM jury_decisions WHERE jury_id = $1 ORDER BY person_id`, jury)
		if err != nil {
			return err
		}
		var cohort int64
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO cohorts (school_code, name, certification_code, certification_version, track, starts_on, ends_on, planned_hours, weekly_hours, created_at)
			VALUES ($1, 'Promotion 2026', $2, $3, 'one_year', $4, $5, 600, 35, $6) RETURNING id`,
			school, cert.Code, cert.Version, certibloc.DateOf(2026, 9, 1), date, now).Scan(&cohort); err != nil {
			return err
		}
		titles, ledger, enrolments := make([][]any, 0, n), make([][]any, 0, 4*n), make([][]any, 0, n)
		for i, p := range people {
			route := "training"
			if i%5 == 4 {
				route = "vae"
			} else {
				mode := "initial"
				if i%2 == 1 {
					mode = "apprenticeship"
				}
				enrolments = append(enrolments, []any{cohort, p, school, "one_year", mode, cert.Version, now})
			}
			titles = append(titles, []any{p, cert.Code, cert.Version, date, jury, decisions[i], now, route})
			for _, b := range []string{"BC01", "BC02", "BC03", "BC04"} {
				ledger = append(ledger, []any{p, cert.Code, cert.Version, cert.Code + b, route, date, jury, decisions[i], now})
			}
		}
		if err := insert(tx, `INSERT INTO titles_awarded (person_id, certification_code, certification_version, awarded_on, jury_id, decision_id, recorded_at, route)`, 8, titles); err != nil {
			return err
		}
		if err := insert(tx, `INSERT INTO enrolments (cohort_id, person_id, school_code, track, mode, certification_version, created_at)`, 7, enrolments); err != nil {
			return err
		}
		if err := insert(tx, `INSERT INTO ledger (person_id, certification_code, certification_version, block_code, route, validated_on, jury_id, decision_id, recorded_at)`, 9, ledger); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO cdc_accounts (certification_code, emitter, client, contract, updated_at) VALUES ($1, 'AB123CDE', 'E564ACB0', '2560080000127J', $2)`, cert.Code, now)
		return err
	})
	if err != nil {
		return 0, err
	}
	// The statistics autovacuum would gather after such a load.
	_, err = db.write.ExecContext(ctx, `ANALYZE`)
	return jury, err
}

// appendNow adds the updated_at column to the people rows.
func appendNow(rows [][]any, now time.Time) [][]any {
	for i := range rows {
		rows[i] = append(rows[i], now)
	}
	return rows
}

// ForgetAccrochageForBench deletes every passage and file sent, so that
// the next export sends everything again.
func (db *DB) ForgetAccrochageForBench(ctx context.Context) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		for _, table := range []string{"cdc_passages", "cdc_file_contents", "cdc_files", "cdc_exports"} {
			if _, err := tx.ExecContext(ctx, `DELETE FROM `+table); err != nil {
				return err
			}
		}
		return nil
	})
}

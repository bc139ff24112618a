package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// SetClockForAdmissionTest makes the store read the time from now, so that
// the admission tests can open and close campaigns.
func (db *DB) SetClockForAdmissionTest(now func() time.Time) { db.now = now }

// ExecForAdmissionTest runs a statement on the write connection: the
// benchmarks put applications back in the state they decide on.
func (db *DB) ExecForAdmissionTest(ctx context.Context, query string, args ...any) error {
	_, err := db.write.ExecContext(ctx, query, args...)
	return err
}

// benchNames are the names the benchmarks' candidates are made of.
var benchNames = [][2]string{{"MARTIN", "Léa"}, {"BERNARD", "Hugo"}, {"DUBOIS", "Chloé"}, {"THOMAS", "Louis"},
	{"ROBERT", "Inès"}, {"RICHARD", "Jules"}, {"PETIT", "Éloïse"}, {"DURAND", "Gabriel"}, {"LEROY", "Manon"},
	{"MOREAU", "Arthur"}, {"SIMON", "Zoé"}, {"LAURENT", "Nathan"}, {"LEFEBVRE", "Camille"}, {"MICHEL", "Raphaël"},
	{"GARCIA", "Jade"}, {"DAVID", "Lucas"}, {"BERTRAND", "Anaïs"}, {"ROUX", "Théo"}, {"VINCENT", "Lina"}, {"FOURNIER", "Noé"}}

// SeedApplicationsForBench stores n people of school and an application
// of each to the campaign, in one transaction and without the audit trail
// (benchmark data, not records): states, tracks, modes and names spread
// over their values by the number of the application. It returns the ids.
func (db *DB) SeedApplicationsForBench(ctx context.Context, c *certibloc.Campaign, n int, state func(i int) certibloc.State) ([]int64, error) {
	now := db.now().UTC().Truncate(time.Microsecond)
	ids := make([]int64, 0, n)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		for start := 0; start < n; start += 200 {
			end := min(start+200, n)
			var people []string
			var vals []any
			for i := start; i < end; i++ {
				name := benchNames[i%len(benchNames)]
				birth := fmt.Sprintf("%s%d", name[0], i)
				p := certibloc.Person{BirthName: birth, FirstNames: name[1]}
				k := len(vals)
				people = append(people, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", k+1, k+2, k+3, k+4, k+5, k+6, k+7, k+8, k+9))
				vals = append(vals, c.School, birth, name[1], 4+i%3, (i%5)*30, (i%4)*6, now, now, searchName(&p))
			}
			rows, err := tx.QueryContext(ctx, `INSERT INTO people (school_code, birth_name, first_names, level, ects,
				experience_months, created_at, updated_at, search_name) VALUES `+strings.Join(people, ", ")+` RETURNING id`, vals...)
			if err != nil {
				return err
			}
			var pids []int64
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					return err
				}
				pids = append(pids, id)
			}
			rows.Close()
			var apps []string
			vals = vals[:0]
			for j, pid := range pids {
				i := start + j
				track, mode := certibloc.OneYear, certibloc.Initial
				if i%3 == 2 {
					track = certibloc.ThreeYear
				}
				if i%2 == 1 {
					mode = certibloc.Apprenticeship
				}
				s := state(i)
				k := len(vals)
				apps = append(apps, fmt.Sprintf("($%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", k+1, k+2, k+3, k+4, k+5, k+6, k+7, k+8, k+9, k+10))
				vals = append(vals, c.ID, pid, c.School, track, mode, s, s != certibloc.Draft, i%7 == 0, now, now)
			}
			rows, err = tx.QueryContext(ctx, `INSERT INTO applications (campaign_id, person_id, school_code, track, mode, state,
				eligible, committee_review, created_at, updated_at) VALUES `+strings.Join(apps, ", ")+` RETURNING id`, vals...)
			if err != nil {
				return err
			}
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					return err
				}
				ids = append(ids, id)
			}
			rows.Close()
		}
		return nil
	})
	return ids, err
}

package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

const personColumns = `id, school_code, birth_name, usage_name, first_names, birth_date, sex, birth_place,
	birth_country, nationality, email, phone, address, level, ects, experience_months,
	created_at, updated_at, erased_at`

// CreatePerson validates p and stores it in its school, which must exist;
// p gets its id and dates.
func (db *DB) CreatePerson(ctx context.Context, p *certibloc.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	now := db.now().UTC().Truncate(time.Microsecond)
	p.CreatedAt, p.UpdatedAt, p.ErasedAt = now, now, nil
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := schoolExists(ctx, tx, p.School); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `
			INSERT INTO people (school_code, birth_name, usage_name, first_names, birth_date, sex, birth_place,
				birth_country, nationality, email, phone, address, level, ects, experience_months,
				created_at, updated_at, search_name)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
			RETURNING id`,
			p.School, p.BirthName, p.UsageName, p.FirstNames, p.BirthDate, p.Sex, p.BirthPlace,
			p.BirthCountry, p.Nationality, p.Email, p.Phone, p.Address, p.Level, p.ECTS, p.ExperienceMonths,
			now, now, searchName(p)).Scan(&p.ID); err != nil {
			return err
		}
		// The fields given, never their values: the trail outlives erasure.
		return db.audit(ctx, tx, "person.create", "person", fmt.Sprint(p.ID), p.School,
			map[string]any{"fields": changedFields(certibloc.Person{ID: p.ID, School: p.School}, p)})
	})
	if err != nil {
		return fmt.Errorf("create person: %w", err)
	}
	return nil
}

// UpdatePerson validates p and replaces the stored person of the same id
// with it; the audit trail records which fields changed. An erased person
// cannot be edited.
func (db *DB) UpdatePerson(ctx context.Context, p *certibloc.Person) error {
	if err := p.Validate(); err != nil {
		return err
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		before, err := findPerson(ctx, tx, p.ID)
		if err != nil {
			return err
		}
		if before.ErasedAt != nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "person %d was erased and cannot be edited", p.ID)
		}
		p.CreatedAt, p.UpdatedAt, p.ErasedAt = before.CreatedAt, before.UpdatedAt, nil
		fields := changedFields(before, p)
		if len(fields) == 0 {
			return nil
		}
		if err := schoolExists(ctx, tx, p.School); err != nil {
			return err
		}
		p.UpdatedAt = db.now().UTC().Truncate(time.Microsecond)
		if _, err := tx.ExecContext(ctx, `
			UPDATE people SET school_code = $1, birth_name = $2, usage_name = $3, first_names = $4, birth_date = $5,
				sex = $6, birth_place = $7, birth_country = $8, nationality = $9, email = $10, phone = $11,
				address = $12, level = $13, ects = $14, experience_months = $15, updated_at = $16, search_name = $17
			WHERE id = $18`,
			p.School, p.BirthName, p.UsageName, p.FirstNames, p.BirthDate, p.Sex, p.BirthPlace,
			p.BirthCountry, p.Nationality, p.Email, p.Phone, p.Address, p.Level, p.ECTS, p.ExperienceMonths,
			p.UpdatedAt, searchName(p), p.ID); err != nil {
			return err
		}
		data := map[string]any{"fields": fields}
		if before.School != p.School {
			data["from_school"] = before.School // school codes are not personal
		}
		return db.audit(ctx, tx, "person.update", "person", fmt.Sprint(p.ID), p.School, data)
	})
	if err != nil {
		return fmt.Errorf("update person %d: %w", p.ID, err)
	}
	return nil
}

// findPersonSQL reads a person by id.
const findPersonSQL = `SELECT ` + personColumns + ` FROM people WHERE id = $1`

// Person returns the person with an id, erased or not.
func (db *DB) Person(ctx context.Context, id int64) (*certibloc.Person, error) {
	stmt, err := db.prepared(ctx, findPersonSQL)
	if err != nil {
		return nil, fmt.Errorf("person %d: %w", id, err)
	}
	rows, err := stmt.QueryContext(ctx, id)
	return onePerson(rows, err, id)
}

func findPerson(ctx context.Context, q querier, id int64) (*certibloc.Person, error) {
	rows, err := q.QueryContext(ctx, findPersonSQL, id)
	return onePerson(rows, err, id)
}

// onePerson reads the person of a query by id.
func onePerson(rows *sql.Rows, err error, id int64) (*certibloc.Person, error) {
	if err != nil {
		return nil, fmt.Errorf("person %d: %w", id, err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no person with id %d", id)
	}
	return scanPerson(rows)
}

func scanPerson(rows *sql.Rows) (*certibloc.Person, error) {
	var p certibloc.Person
	var erased sql.NullTime
	err := rows.Scan(&p.ID, &p.School, &p.BirthName, &p.UsageName, &p.FirstNames, &p.BirthDate, &p.Sex,
		&p.BirthPlace, &p.BirthCountry, &p.Nationality, &p.Email, &p.Phone, &p.Address, &p.Level, &p.ECTS,
		&p.ExperienceMonths, &p.CreatedAt, &p.UpdatedAt, &erased)
	if err != nil {
		return nil, err
	}
	p.CreatedAt, p.UpdatedAt = p.CreatedAt.UTC(), p.UpdatedAt.UTC()
	if erased.Valid {
		t := erased.Time.UTC()
		p.ErasedAt = &t
	}
	return &p, nil
}

func schoolExists(ctx context.Context, q querier, code string) error {
	if _, err := findSchool(ctx, q, code); certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
		return certibloc.Errorf(certibloc.EINVALID, "school %q does not exist", code)
	} else if err != nil {
		return err
	}
	return nil
}

// searchName is what a search by name reads: every name of the person,
// folded (see fold).
func searchName(p *certibloc.Person) string {
	return fold(strings.Join(strings.Fields(p.BirthName+" "+p.UsageName+" "+p.FirstNames), " "))
}

// fold writes a name in lower case without accents, so that "Éloïse" and
// "eloise" match on both engines (SQLite's lower() knows ASCII only); the
// name is brought to NFC first, so that an accent typed as a combining
// mark folds alike.
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(certibloc.NFC(s)) {
		if f, ok := folds[r]; ok {
			b.WriteString(f)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

var folds = map[rune]string{
	'à': "a", 'á': "a", 'â': "a", 'ã': "a", 'ä': "a", 'å': "a", 'æ': "ae", 'ç': "c",
	'è': "e", 'é': "e", 'ê': "e", 'ë': "e", 'ì': "i", 'í': "i", 'î': "i", 'ï': "i",
	'ñ': "n", 'ò': "o", 'ó': "o", 'ô': "o", 'õ': "o", 'ö': "o", 'ø': "o", 'œ': "oe",
	'ù': "u", 'ú': "u", 'û': "u", 'ü': "u", 'ý': "y", 'ÿ': "y", 'ß': "ss",
}

package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// A candidate's request for an accommodation (aménagement) reaches the
// disability referents of their school only: the referents get an
// e-mail that says a request waits, without who nor what (the outbox is
// read by other staff), and read it on their page of requests.

// AccommodationRequest is a person's request for an accommodation.
type AccommodationRequest struct {
	ID        int64     `json:"id"`
	PersonID  int64     `json:"person_id"`
	School    string    `json:"school"`
	Message   string    `json:"message"`
	CreatedAt time.Time `json:"created_at"`
	Name      string    `json:"name,omitempty"` // the person's name, for the referent's list
}

// maxAccommodationRequest bounds the text of a request.
const maxAccommodationRequest = 4000

// RequestAccommodation records person's request for an accommodation and
// e-mails the disability referents of their school a link from base to
// their list of requests. The audit trail says a request was made under
// the entity "disability", never its content.
func (db *DB) RequestAccommodation(ctx context.Context, personID int64, message, base string) (*AccommodationRequest, error) {
	message = certibloc.NFC(strings.TrimSpace(message))
	if err := (certibloc.Texts{{Name: "message", Value: message, Max: maxAccommodationRequest, Multiline: true}}).Check(); err != nil {
		return nil, err
	}
	if message == "" {
		return nil, certibloc.Errorf(certibloc.EINVALID, "message: say what accommodation you need")
	}
	req := &AccommodationRequest{PersonID: personID, Message: message, CreatedAt: db.now().UTC().Truncate(time.Microsecond)}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		p, err := findPerson(ctx, tx, personID)
		if err != nil {
			return err
		}
		if p.ErasedAt != nil {
			return certibloc.Errorf(certibloc.ECONFLICT, "person %d was erased", p.ID)
		}
		req.School, req.Name = p.School, p.DisplayName()
		if err := tx.QueryRowContext(ctx, `INSERT INTO accommodation_requests (person_id, school_code, message, created_at)
			VALUES ($1, $2, $3, $4) RETURNING id`, personID, p.School, message, req.CreatedAt).Scan(&req.ID); err != nil {
			return err
		}
		referents, err := db.findAccounts(ctx, tx, `a.role = $1 AND a.disabled_at IS NULL
			AND EXISTS (SELECT 1 FROM account_schools x WHERE x.account_id = a.id AND x.school_code = $2)`,
			certibloc.Referent, p.School)
		if err != nil {
			return err
		}
		link := strings.TrimRight(base, "/") + "/app/accommodation-requests"
		var mails []certibloc.Mail
		for _, r := range referents {
			mails = append(mails, certibloc.Mail{To: r.Email, School: p.School,
				Subject: "Une demande d'aménagement vous attend / An accommodation request awaits you",
				Body: "Bonjour,\n\nUne personne a demandé un aménagement. Lisez sa demande sur votre page des demandes :\n" + link +
					"\n\n— English —\n\nHello,\n\nSomeone asked for an accommodation. Read their request on your page of requests:\n" + link + "\n"})
		}
		if len(mails) > 0 {
			if err := db.enqueue(ctx, tx, mails); err != nil {
				return err
			}
		}
		return db.audit(ctx, tx, "disability.request", "disability", fmt.Sprint(personID), p.School,
			map[string]any{"request": req.ID})
	})
	if err != nil {
		return nil, fmt.Errorf("accommodation request of person %d: %w", personID, err)
	}
	return req, nil
}

// AccommodationRequests lists the requests of a person (personID not 0),
// or of the schools given, the latest first, with the people's names.
func (db *DB) AccommodationRequests(ctx context.Context, personID int64, schools []string) ([]AccommodationRequest, error) {
	where, args := `r.person_id = $1`, []any{personID}
	if personID == 0 {
		if len(schools) == 0 {
			return []AccommodationRequest{}, nil
		}
		marks := make([]string, len(schools))
		args = make([]any, len(schools))
		for i, s := range schools {
			marks[i], args[i] = fmt.Sprintf("$%d", i+1), s
		}
		where = `r.school_code IN (` + strings.Join(marks, ", ") + `)`
	}
	rows, err := db.read.QueryContext(ctx, `SELECT r.id, r.person_id, r.school_code, r.message, r.created_at,
			p.first_names, p.birth_name, p.usage_name
		FROM accommodation_requests r JOIN people p ON p.id = r.person_id WHERE `+where+` ORDER BY r.id DESC LIMIT 500`, args...)
	if err != nil {
		return nil, fmt.Errorf("accommodation requests: %w", err)
	}
	defer rows.Close()
	list := []AccommodationRequest{}
	for rows.Next() {
		var r AccommodationRequest
		var p certibloc.Person
		if err := rows.Scan(&r.ID, &r.PersonID, &r.School, &r.Message, &r.CreatedAt, &p.FirstNames, &p.BirthName, &p.UsageName); err != nil {
			return nil, err
		}
		r.CreatedAt, r.Name = r.CreatedAt.UTC(), p.DisplayName()
		list = append(list, r)
	}
	return list, rows.Err()
}

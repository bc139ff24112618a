package sqldb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// Insertion surveys: six months and two years after the jury, each holder
// of a title is sent a link to a short questionnaire (certibloc.Survey).
// SendDueSurveys, run by the server's periodic tick, makes the surveys
// due and writes their e-mails to the outbox in the same transaction; the
// holder answers through the link, without an account, and may correct
// the answer until the survey closes.

// dueSurveysQuery reads the titles whose wave $1 is due: awarded on or
// before $2 and after $3 (the window the survey is still sent in), with no
// survey of that wave yet, of a person not erased with an address.
const dueSurveysQuery = `
	SELECT t.person_id, t.certification_code, t.awarded_on, p.first_names,
		COALESCE(NULLIF(p.email, ''), (SELECT a.email FROM accounts a WHERE a.person_id = p.id ORDER BY a.id LIMIT 1), ''),
		COALESCE((SELECT a.lang FROM accounts a WHERE a.person_id = p.id AND a.lang <> '' ORDER BY a.id LIMIT 1), ''),
		COALESCE(cv.title, t.certification_code),
		COALESCE((SELECT SUM(CASE WHEN l.route = 'vae' THEN 0 ELSE 1 END) FROM ledger l
			WHERE l.person_id = t.person_id AND l.certification_code = t.certification_code), 0),
		COALESCE((SELECT SUM(CASE WHEN l.route = 'vae' THEN 1 ELSE 0 END) FROM ledger l
			WHERE l.person_id = t.person_id AND l.certification_code = t.certification_code), 0)
	FROM titles_awarded t
	JOIN people p ON p.id = t.person_id
	LEFT JOIN certification_versions cv ON cv.code = t.certification_code AND cv.version = t.certification_version
	WHERE p.erased_at IS NULL AND t.awarded_on <= $2 AND t.awarded_on > $3
		AND NOT EXISTS (SELECT 1 FROM insertion_surveys s
			WHERE s.person_id = t.person_id AND s.certification_code = t.certification_code AND s.wave = $1)
	ORDER BY t.awarded_on, t.person_id
	LIMIT $4`

// SendDueSurveys makes the surveys due as of day asOf (today when zero),
// at most limit of them (100 when 0), each with its token and its e-mail
// in the holder's language (the link is baseURL/surveys/TOKEN), in one
// transaction; it returns how many it sent. A holder without an address
// is skipped: their survey is made, without a link anyone has, so as not
// to be looked at again.
func (db *DB) SendDueSurveys(ctx context.Context, baseURL string, asOf certibloc.Date, limit int) (int, error) {
	if limit <= 0 {
		limit = 100
	}
	base := strings.TrimRight(baseURL, "/")
	sent := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := db.lockWriters(ctx, tx); err != nil {
			return err
		}
		now := db.now().UTC().Truncate(time.Microsecond)
		today := asOf
		if today.IsZero() {
			today = certibloc.DateOf(now.Year(), now.Month(), now.Day())
		}
		for _, wave := range certibloc.SurveyWaves {
			due := monthsBefore(today, wave)
			oldest := monthsBefore(today, wave+certibloc.SurveyWindow)
			list, err := dueSurveys(ctx, tx, wave, due, oldest, limit-sent)
			if err != nil {
				return err
			}
			closes := certibloc.Date{Time: today.AddDate(0, certibloc.SurveyOpen, 0)}
			var mails []certibloc.Mail
			for _, d := range list {
				token, hash := certibloc.NewSurveyToken()
				var id int64
				if err := tx.QueryRowContext(ctx, `
					INSERT INTO insertion_surveys (person_id, certification_code, awarded_on, route, wave, token_hash, sent_at, closes_on)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
					d.person, d.code, d.awarded, string(d.route), wave, hash, now, closes).Scan(&id); err != nil {
					return err
				}
				if d.email == "" {
					continue
				}
				m := certibloc.SurveyMail(certibloc.LangTag(d.lang), d.email, d.firstNames, d.title, wave,
					base+"/surveys/"+url.PathEscape(token), closes)
				m.PersonID = d.person
				mails = append(mails, m)
				sent++
			}
			if len(mails) > 0 {
				if err := db.enqueue(ctx, tx, mails); err != nil {
					return err
				}
			}
			if len(list) > 0 {
				if err := db.audit(ctx, tx, "survey.send", "certification", list[0].code, "",
					map[string]any{"wave": wave, "surveys": len(list), "mailed": len(mails)}); err != nil {
					return err
				}
			}
			if sent >= limit {
				break
			}
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("insertion surveys: %w", err)
	}
	return sent, nil
}

// monthsBefore is the day n months before d, the month's last day when
// it is shorter (six months before 31 December is 30 June): a title
// awarded on that day or before is n months old on d.
func monthsBefore(d certibloc.Date, n int) certibloc.Date {
	first := time.Date(d.Year(), d.Month()-time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return certibloc.DateOf(first.Year(), first.Month(), min(d.Day(), last))
}

// dueSurvey is a holder whose survey is due.
type dueSurvey struct {
	person                               int64
	code, firstNames, email, lang, title string
	awarded                              certibloc.Date
	route                                certibloc.Route
}

func dueSurveys(ctx context.Context, tx *sql.Tx, wave int, due, oldest certibloc.Date, limit int) ([]dueSurvey, error) {
	rows, err := tx.QueryContext(ctx, dueSurveysQuery, wave, due, oldest, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []dueSurvey
	for rows.Next() {
		var d dueSurvey
		var training, vae int
		if err := rows.Scan(&d.person, &d.code, &d.awarded, &d.firstNames, &d.email, &d.lang, &d.title, &training, &vae); err != nil {
			return nil, err
		}
		d.route = certibloc.Training
		if vae > 0 && training == 0 {
			d.route = certibloc.VAE
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// SurveyByToken finds the survey of a link's token; an unknown token is
// not found, whatever it is.
func (db *DB) SurveyByToken(ctx context.Context, token string) (*certibloc.Survey, error) {
	return db.findSurvey(ctx, db.read, certibloc.SurveyTokenHash(token))
}

// findSurvey reads a survey by its token's hash, open or not as of today.
func (db *DB) findSurvey(ctx context.Context, q querier, hash string) (*certibloc.Survey, error) {
	var s certibloc.Survey
	var answered sql.NullTime
	var situation, contract string
	err := q.QueryRowContext(ctx, `
		SELECT s.id, s.person_id, p.first_names, s.certification_code, COALESCE(cv.title, s.certification_code), s.awarded_on, s.route,
			s.wave, s.sent_at, s.closes_on, s.answered_at, s.situation, s.job_title, s.contract
		FROM insertion_surveys s JOIN people p ON p.id = s.person_id
		LEFT JOIN certifications c ON c.code = s.certification_code
		LEFT JOIN certification_versions cv ON cv.code = c.code AND cv.version = c.current_version
		WHERE s.token_hash = $1 AND p.erased_at IS NULL`, hash).Scan(&s.ID, &s.PersonID, &s.FirstNames, &s.Certification, &s.CertificationTitle,
		&s.AwardedOn, &s.Route, &s.Wave, &s.SentAt, &s.ClosesOn, &answered, &situation, &s.Answer.JobTitle, &contract)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no survey at this link")
	}
	if err != nil {
		return nil, err
	}
	s.SentAt = s.SentAt.UTC()
	if answered.Valid {
		t := answered.Time.UTC()
		s.AnsweredAt = &t
	}
	s.Answer.Situation, s.Answer.Contract = certibloc.Situation(situation), certibloc.Contract(contract)
	now := db.now().UTC()
	s.Open = s.OpenOn(certibloc.DateOf(now.Year(), now.Month(), now.Day()))
	return &s, nil
}

// AnswerSurvey records the answer of a link's holder, or corrects it while
// the survey is open; after it closes the answer stays as it was.
func (db *DB) AnswerSurvey(ctx context.Context, token string, a certibloc.SurveyAnswer) (*certibloc.Survey, error) {
	if err := a.Validate(); err != nil {
		return nil, err
	}
	var out *certibloc.Survey
	err := db.tx(ctx, func(tx *sql.Tx) error {
		s, err := db.findSurvey(ctx, tx, certibloc.SurveyTokenHash(token))
		if err != nil {
			return err
		}
		now := db.now().UTC().Truncate(time.Microsecond)
		if !s.Open {
			return certibloc.Errorf(certibloc.ECONFLICT, "this survey closed on %s: its answer can no longer be changed", s.ClosesOn)
		}
		if _, err := tx.ExecContext(ctx, `
			UPDATE insertion_surveys SET situation = $1, job_title = $2, contract = $3, answered_at = $4 WHERE id = $5`,
			string(a.Situation), a.JobTitle, string(a.Contract), now, s.ID); err != nil {
			return err
		}
		action := "survey.answer"
		if s.AnsweredAt != nil {
			action = "survey.correct"
		}
		s.Answer, s.AnsweredAt = a, &now
		out = s
		return db.audit(ctx, tx, action, "survey", fmt.Sprint(s.ID), "",
			map[string]any{"wave": s.Wave, "situation": a.Situation})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// SurveyFigures is the surveys of a year of juries, a route and a wave.
type SurveyFigures struct {
	Year     int             `json:"year"`
	Route    certibloc.Route `json:"route"`
	Wave     int             `json:"wave"` // months after the jury
	Sent     int             `json:"sent"`
	Answered int             `json:"answered"`
	Employed int             `json:"employed"`       // in any field
	InField  int             `json:"employed_field"` // in the title's field
	// ResponseRate is answered over sent, InsertionRate employed over
	// answered, FieldRate in the field over answered, in percent.
	ResponseRate  float64 `json:"response_rate"`
	InsertionRate float64 `json:"insertion_rate"`
	FieldRate     float64 `json:"field_rate"`
}

// CertificationSurveys counts a certification's surveys per year of the
// juries, route and wave.
func (db *DB) CertificationSurveys(ctx context.Context, code string) ([]SurveyFigures, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT s.awarded_on, s.route, s.wave, s.answered_at IS NOT NULL, s.situation
		FROM insertion_surveys s JOIN people p ON p.id = s.person_id
		WHERE s.certification_code = $1 AND p.erased_at IS NULL`, code)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	type key struct {
		year  int
		route certibloc.Route
		wave  int
	}
	byKey := map[key]*SurveyFigures{}
	for rows.Next() {
		var awarded certibloc.Date
		var route, situation string
		var wave int
		var answered bool
		if err := rows.Scan(&awarded, &route, &wave, &answered, &situation); err != nil {
			return nil, err
		}
		k := key{awarded.Year(), certibloc.Route(route), wave}
		f := byKey[k]
		if f == nil {
			f = &SurveyFigures{Year: k.year, Route: k.route, Wave: wave}
			byKey[k] = f
		}
		f.Sent++
		if !answered {
			continue
		}
		f.Answered++
		if s := certibloc.Situation(situation); s.Employed() {
			f.Employed++
			if s == certibloc.EmployedInField {
				f.InField++
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]SurveyFigures, 0, len(byKey))
	for _, f := range byKey {
		f.ResponseRate = percent(f.Answered, f.Sent)
		f.InsertionRate = percent(f.Employed, f.Answered)
		f.FieldRate = percent(f.InField, f.Answered)
		out = append(out, *f)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		if a.Route != b.Route {
			return a.Route < b.Route
		}
		return a.Wave < b.Wave
	})
	return out, nil
}

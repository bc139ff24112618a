package sqldb

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
)

// campaignZone is the time zone of campaign dates: a campaign of a French
// school closes at midnight in Paris. UTC when the system has no time zone
// database.
var campaignZone = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

// Today is the civil date of now in the time zone of campaigns: the day
// against which opening and closing dates are read.
func (db *DB) Today() certibloc.Date {
	y, m, d := db.now().In(campaignZone).Date()
	return certibloc.DateOf(y, m, d)
}

const campaignColumns = `id, school_code, programme, certification_code, certification_version, year, title,
	opens_on, closes_on, offers, options, created_at, required_documents`

// CreateCampaign validates a campaign against the version of the
// certification it recruits for (the current version when c.Version is 0,
// which it then names) and stores it. When c names a programme, the
// programme must exist and be of the same school and certification. c
// gets its id; an empty title becomes the certification's title and the
// year.
func (db *DB) CreateCampaign(ctx context.Context, c *certibloc.Campaign) error {
	c.School = strings.ToUpper(strings.TrimSpace(c.School))
	c.Title = strings.TrimSpace(c.Title)
	if c.Options == nil {
		c.Options = []string{}
	}
	if c.RequiredDocuments == nil {
		c.RequiredDocuments = []string{}
	}
	c.CreatedAt = db.now().UTC().Truncate(time.Microsecond)
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if c.Programme != "" {
			if err := programmeOf(ctx, tx, c); err != nil {
				return err
			}
		}
		if c.CertificationCode == "" {
			return certibloc.Errorf(certibloc.EINVALID, "certification_code is required (or a programme)")
		}
		cert, err := findCertification(ctx, tx, c.CertificationCode, c.Version)
		if certibloc.ErrorCode(err) == certibloc.ENOTFOUND {
			return certibloc.Errorf(certibloc.EINVALID, "%s", certibloc.ErrorMessage(err))
		} else if err != nil {
			return err
		}
		c.Version = cert.Version
		if c.Title == "" {
			c.Title = fmt.Sprintf("%s %d", cert.Title, c.Year)
		}
		if err := c.Validate(cert); err != nil {
			return err
		}
		if err := schoolExists(ctx, tx, c.School); err != nil {
			return err
		}
		offers, _ := json.Marshal(c.Offers)
		options, _ := json.Marshal(c.Options)
		required, _ := json.Marshal(c.RequiredDocuments)
		if err := tx.QueryRowContext(ctx, `INSERT INTO campaigns (school_code, programme, certification_code,
				certification_version, year, title, opens_on, closes_on, offers, options, created_at, required_documents)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			c.School, c.Programme, c.CertificationCode, c.Version, c.Year, c.Title, c.OpensOn, c.ClosesOn,
			string(offers), string(options), c.CreatedAt, string(required)).Scan(&c.ID); err != nil {
			return err
		}
		return db.audit(ctx, tx, "campaign.create", "campaign", fmt.Sprint(c.ID), c.School, map[string]any{
			"certification": c.CertificationCode, "version": c.Version, "year": c.Year, "title": c.Title,
			"opens_on": c.OpensOn, "closes_on": c.ClosesOn, "offers": c.Offers, "options": c.Options,
			"required_documents": c.RequiredDocuments})
	})
	if err != nil {
		return fmt.Errorf("create campaign: %w", err)
	}
	return nil
}

// programmeOf checks the programme c names and takes from it the
// certification when c names none.
func programmeOf(ctx context.Context, q querier, c *certibloc.Campaign) error {
	var school, code string
	err := q.QueryRowContext(ctx, `SELECT school_code, certification_code FROM programmes WHERE slug = $1`,
		c.Programme).Scan(&school, &code)
	if errors.Is(err, sql.ErrNoRows) {
		return certibloc.Errorf(certibloc.EINVALID, "programme %q does not exist", c.Programme)
	} else if err != nil {
		return err
	}
	if c.CertificationCode == "" {
		c.CertificationCode = code
	}
	switch {
	case !strings.EqualFold(school, c.School):
		return certibloc.Errorf(certibloc.EINVALID, "programme %s is taught by %s, not by %s", c.Programme, school, c.School)
	case code != c.CertificationCode:
		return certibloc.Errorf(certibloc.EINVALID, "programme %s prepares for %s, not %s", c.Programme, code, c.CertificationCode)
	}
	return nil
}

// Campaign returns the campaign with an id.
func (db *DB) Campaign(ctx context.Context, id int64) (*certibloc.Campaign, error) {
	return findCampaign(ctx, db.read, id)
}

func findCampaign(ctx context.Context, q querier, id int64) (*certibloc.Campaign, error) {
	list, err := findCampaigns(ctx, q, `WHERE id = $1`, id)
	if err != nil {
		return nil, fmt.Errorf("campaign %d: %w", id, err)
	}
	if len(list) == 0 {
		return nil, certibloc.Errorf(certibloc.ENOTFOUND, "no campaign with id %d", id)
	}
	return &list[0], nil
}

// Campaigns lists the campaigns of a school, "" for every school, the
// latest first.
func (db *DB) Campaigns(ctx context.Context, school string) ([]certibloc.Campaign, error) {
	list, err := findCampaigns(ctx, db.read, `WHERE $1 = '' OR school_code = $1`, strings.ToUpper(school))
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	return list, nil
}

func findCampaigns(ctx context.Context, q querier, where string, args ...any) ([]certibloc.Campaign, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+campaignColumns+` FROM campaigns `+where+
		` ORDER BY year DESC, opens_on DESC, id DESC`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	list := []certibloc.Campaign{}
	for rows.Next() {
		var c certibloc.Campaign
		var offers, options, required string
		if err := rows.Scan(&c.ID, &c.School, &c.Programme, &c.CertificationCode, &c.Version, &c.Year, &c.Title,
			&c.OpensOn, &c.ClosesOn, &offers, &options, &c.CreatedAt, &required); err != nil {
			return nil, err
		}
		if err := json.Unmarshal([]byte(required), &c.RequiredDocuments); err != nil {
			return nil, fmt.Errorf("required documents of campaign %d: %w", c.ID, err)
		}
		if err := json.Unmarshal([]byte(offers), &c.Offers); err != nil {
			return nil, fmt.Errorf("offers of campaign %d: %w", c.ID, err)
		}
		if err := json.Unmarshal([]byte(options), &c.Options); err != nil {
			return nil, fmt.Errorf("options of campaign %d: %w", c.ID, err)
		}
		c.CreatedAt = c.CreatedAt.UTC()
		list = append(list, c)
	}
	return list, rows.Err()
}

// SetRequiredDocuments replaces the checklist of the documents an
// application to campaign id must carry to be submitted (the caller
// checks who may); applications submitted already keep what they were
// submitted with. It returns the campaign as stored.
func (db *DB) SetRequiredDocuments(ctx context.Context, id int64, kinds []string) (*certibloc.Campaign, error) {
	if kinds == nil {
		kinds = []string{}
	}
	if err := certibloc.CheckRequiredDocuments(kinds); err != nil {
		return nil, err
	}
	var c *certibloc.Campaign
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if c, err = findCampaign(ctx, tx, id); err != nil {
			return err
		}
		if slices.Equal(c.RequiredDocuments, kinds) {
			return nil
		}
		required, _ := json.Marshal(kinds)
		if _, err := tx.ExecContext(ctx, `UPDATE campaigns SET required_documents = $1 WHERE id = $2`,
			string(required), id); err != nil {
			return err
		}
		c.RequiredDocuments = kinds
		return db.audit(ctx, tx, "campaign.update", "campaign", fmt.Sprint(id), c.School,
			map[string]any{"required_documents": kinds})
	})
	if err != nil {
		return nil, fmt.Errorf("required documents of campaign %d: %w", id, err)
	}
	return c, nil
}

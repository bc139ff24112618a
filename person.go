package certibloc

import (
	"regexp"
	"strings"
	"time"
)

// Person is someone certibloc knows: a candidate, a learner, or a member of
// staff. The civil identity is what French certification reporting needs
// (the Caisse des Dépôts declaration, France Compétences statistics).
type Person struct {
	ID         int64  `json:"id"`
	School     string `json:"school"` // code of the school the person belongs to
	BirthName  string `json:"birth_name"`
	UsageName  string `json:"usage_name,omitempty"`
	FirstNames string `json:"first_names"`
	BirthDate  Date   `json:"birth_date"`
	Sex        string `json:"sex,omitempty"` // "F" or "M", as civil registers record it
	// BirthPlace is the INSEE code of the commune of birth (5 characters,
	// 2A/2B for Corsica), or its postal code; BirthCountry the country
	// when born abroad.
	BirthPlace   string `json:"birth_place,omitempty"`
	BirthCountry string `json:"birth_country,omitempty"`
	Nationality  string `json:"nationality,omitempty"` // ISO 3166-1 alpha-2, e.g. FR
	Email        string `json:"email,omitempty"`
	Phone        string `json:"phone,omitempty"`
	Address      string `json:"address,omitempty"`
	// Highest qualification level (European level 0..8), ECTS obtained and
	// months of relevant experience: what the entry rules read.
	Level            int        `json:"level"`
	ECTS             int        `json:"ects"`
	ExperienceMonths int        `json:"experience_months"`
	CreatedAt        time.Time  `json:"created_at"`
	UpdatedAt        time.Time  `json:"updated_at"`
	ErasedAt         *time.Time `json:"erased_at,omitempty"`
}

// Disability is a person's disability needs and the accommodations granted:
// a record of its own that only the disability referent and the person may read.
type Disability struct {
	PersonID       int64     `json:"person_id"`
	Needs          string    `json:"needs"`
	Accommodations string    `json:"accommodations"`
	UpdatedAt      time.Time `json:"updated_at"`
}

var (
	inseeRE   = regexp.MustCompile(`^([0-9]{5}|2[AB][0-9]{3})$`)
	countryRE = regexp.MustCompile(`^[A-Z]{2}$`)
	emailRE   = regexp.MustCompile(`^[^@\s]+@[^@\s]+\.[^@\s]+$`)
)

// Validate checks a person's identity fields, naming the first wrong one.
func (p *Person) Validate() error {
	if problems := p.Problems(); len(problems) > 0 {
		return problems[0]
	}
	return nil
}

// Problems checks a person's identity fields, as Validate does, and
// returns every wrong one in the order of Validate: a form reports them
// all at once.
func (p *Person) Problems() []error {
	p.BirthName = NFC(strings.TrimSpace(p.BirthName))
	p.UsageName = NFC(strings.TrimSpace(p.UsageName))
	p.FirstNames = NFC(strings.TrimSpace(p.FirstNames))
	p.Email = strings.TrimSpace(strings.ToLower(p.Email))
	p.Address = NFC(p.Address)
	var out []error
	for _, t := range p.texts() {
		if err := (Texts{t}).Check(); err != nil {
			out = append(out, err)
		}
	}
	add := func(bad bool, format string, args ...any) {
		if bad {
			out = append(out, Errorf(EINVALID, format, args...))
		}
	}
	add(p.School == "", "school is required")
	add(p.BirthName == "", "birth_name is required")
	add(p.FirstNames == "", "first_names is required")
	add(p.Sex != "" && p.Sex != "F" && p.Sex != "M", "sex must be F or M, not %q", p.Sex)
	add(p.BirthPlace != "" && !inseeRE.MatchString(p.BirthPlace),
		"birth_place %q must be an INSEE commune code or a postal code (5 characters)", p.BirthPlace)
	add(p.Nationality != "" && !countryRE.MatchString(p.Nationality),
		"nationality %q must be an ISO 3166 country code such as FR", p.Nationality)
	add(p.BirthCountry != "" && !countryRE.MatchString(p.BirthCountry),
		"birth_country %q must be an ISO 3166 country code such as FR", p.BirthCountry)
	add(p.Email != "" && !emailRE.MatchString(p.Email), "email %q is not an e-mail address", p.Email)
	add(p.Level < 0 || p.Level > 8, "level %d must be between 0 and 8", p.Level)
	add(p.ECTS < 0, "ects must not be negative")
	add(p.ECTS > MaxECTS, "ects must be at most %d, not %d", MaxECTS, p.ECTS)
	add(p.ExperienceMonths < 0, "experience_months must not be negative")
	add(p.ExperienceMonths > MaxExperienceMonths, "experience_months must be at most %d, not %d", MaxExperienceMonths, p.ExperienceMonths)
	add(!p.BirthDate.IsZero() && (p.BirthDate.Year() < 1900 || p.BirthDate.After(time.Now())),
		"birth_date %s is not a plausible date of birth", p.BirthDate)
	return out
}

// Ages a candidate may sign up at: younger than 15 or older than 100 is
// a typing mistake in the date of birth.
const (
	MinApplicantAge = 15
	MaxApplicantAge = 100
)

// CheckApplicantAge refuses, on day today, a date of birth that makes a
// candidate younger than MinApplicantAge or older than MaxApplicantAge.
func CheckApplicantAge(birth, today Date) error {
	switch {
	case today.Before(Date{Time: birth.AddDate(MinApplicantAge, 0, 0)}):
		return Errorf(EINVALID, "birth_date %s: a candidate is at least %d years old", birth, MinApplicantAge)
	case !today.Before(Date{Time: birth.AddDate(MaxApplicantAge+1, 0, 0)}):
		return Errorf(EINVALID, "birth_date %s: a candidate is at most %d years old", birth, MaxApplicantAge)
	}
	return nil
}

// Bounds of a person's counts: more ECTS than three doctorates, or more
// experience than a century, is a typing mistake.
const (
	MaxECTS             = 1000
	MaxExperienceMonths = 1200
)

// texts is the table of a person's text fields and their maximum lengths.
func (p *Person) texts() Texts {
	return Texts{
		{"school", p.School, MaxShort, false},
		{"birth_name", p.BirthName, MaxName, false},
		{"usage_name", p.UsageName, MaxName, false},
		{"first_names", p.FirstNames, MaxName, false},
		{"sex", p.Sex, MaxShort, false},
		{"birth_place", p.BirthPlace, MaxShort, false},
		{"birth_country", p.BirthCountry, MaxShort, false},
		{"nationality", p.Nationality, MaxShort, false},
		{"email", p.Email, MaxEmail, false},
		{"phone", p.Phone, MaxShort, false},
		{"address", p.Address, MaxLine, true},
	}
}

// DisplayName is "First names BIRTH-OR-USAGE NAME".
func (p *Person) DisplayName() string {
	name := p.BirthName
	if p.UsageName != "" {
		name = p.UsageName
	}
	return strings.TrimSpace(p.FirstNames + " " + strings.ToUpper(name))
}

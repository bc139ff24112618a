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
	p.BirthName = NFC(strings.TrimSpace(p.BirthName))
	p.UsageName = NFC(strings.TrimSpace(p.UsageName))
	p.FirstNames = NFC(strings.TrimSpace(p.FirstNames))
	p.Email = strings.TrimSpace(strings.ToLower(p.Email))
	p.Address = NFC(p.Address)
	if err := p.texts().Check(); err != nil {
		return err
	}
	switch {
	case p.School == "":
		return Errorf(EINVALID, "school is required")
	case p.BirthName == "":
		return Errorf(EINVALID, "birth_name is required")
	case p.FirstNames == "":
		return Errorf(EINVALID, "first_names is required")
	case p.Sex != "" && p.Sex != "F" && p.Sex != "M":
		return Errorf(EINVALID, "sex must be F or M, not %q", p.Sex)
	case p.BirthPlace != "" && !inseeRE.MatchString(p.BirthPlace):
		return Errorf(EINVALID, "birth_place %q must be an INSEE commune code or a postal code (5 characters)", p.BirthPlace)
	case p.Nationality != "" && !countryRE.MatchString(p.Nationality):
		return Errorf(EINVALID, "nationality %q must be an ISO 3166 country code such as FR", p.Nationality)
	case p.BirthCountry != "" && !countryRE.MatchString(p.BirthCountry):
		return Errorf(EINVALID, "birth_country %q must be an ISO 3166 country code such as FR", p.BirthCountry)
	case p.Email != "" && !emailRE.MatchString(p.Email):
		return Errorf(EINVALID, "email %q is not an e-mail address", p.Email)
	case p.Level < 0 || p.Level > 8:
		return Errorf(EINVALID, "level %d must be between 0 and 8", p.Level)
	case p.ECTS < 0:
		return Errorf(EINVALID, "ects must not be negative")
	case p.ECTS > MaxECTS:
		return Errorf(EINVALID, "ects must be at most %d, not %d", MaxECTS, p.ECTS)
	case p.ExperienceMonths < 0:
		return Errorf(EINVALID, "experience_months must not be negative")
	case p.ExperienceMonths > MaxExperienceMonths:
		return Errorf(EINVALID, "experience_months must be at most %d, not %d", MaxExperienceMonths, p.ExperienceMonths)
	case !p.BirthDate.IsZero() && (p.BirthDate.Year() < 1900 || p.BirthDate.After(time.Now())):
		return Errorf(EINVALID, "birth_date %s is not a plausible date of birth", p.BirthDate)
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

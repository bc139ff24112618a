package certibloc

import (
	"regexp"
	"strings"
	"time"
)

// School is a school that trains for the certifier's certifications: the
// DIIAGE is one. Every person belongs to one school, and staff roles are
// scoped to schools by their code.
type School struct {
	Code      string    `json:"code"`
	Name      string    `json:"name"`
	Certifier string    `json:"certifier"`
	CreatedAt time.Time `json:"created_at"`
}

var schoolCodeRE = regexp.MustCompile(`^[A-Z0-9][A-Z0-9_-]{1,31}$`)

// Validate checks a school's fields, naming the first wrong one; the code
// is brought to upper case.
func (s *School) Validate() error {
	s.Code = strings.ToUpper(strings.TrimSpace(s.Code))
	s.Name = strings.TrimSpace(s.Name)
	s.Certifier = strings.TrimSpace(s.Certifier)
	switch {
	case !schoolCodeRE.MatchString(s.Code):
		return Errorf(EINVALID,
			"code %q must be 2 to 32 capital letters, digits, - or _, such as DIIAGE", s.Code)
	case s.Name == "":
		return Errorf(EINVALID, "name is required")
	case len(s.Name) > 300:
		return Errorf(EINVALID, "name is longer than 300 characters")
	case len(s.Certifier) > 300:
		return Errorf(EINVALID, "certifier is longer than 300 characters")
	}
	return nil
}

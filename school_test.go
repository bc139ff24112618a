package certibloc

import (
	"strings"
	"testing"
)

func TestSchoolValidate(t *testing.T) {
	s := School{Code: " diiage ", Name: " DIIAGE ", Certifier: " uB "}
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	if s.Code != "DIIAGE" || s.Name != "DIIAGE" || s.Certifier != "uB" {
		t.Errorf("not normalised: %+v", s)
	}
	for name, tc := range map[string]struct {
		s    School
		want string
	}{
		"short code":     {School{Code: "D", Name: "x"}, "code"},
		"code with dots": {School{Code: "DI.AGE", Name: "x"}, "code"},
		"no name":        {School{Code: "DIIAGE", Name: " "}, "name is required"},
		"long name":      {School{Code: "DIIAGE", Name: strings.Repeat("x", 301)}, "name is longer"},
		"long certifier": {School{Code: "DIIAGE", Name: "x", Certifier: strings.Repeat("x", 301)}, "certifier is longer"},
	} {
		err := tc.s.Validate()
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tc.want) {
			t.Errorf("%s: %v, want %s naming %q", name, err, EINVALID, tc.want)
		}
	}
}

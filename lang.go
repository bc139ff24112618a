package certibloc

import (
	"strconv"
	"strings"
)

// Lang is a language certibloc writes its explanations in.
type Lang uint8

const (
	French  Lang = iota // the default: the referential is French
	English             // also offered
)

// String is the language's tag: fr or en.
func (l Lang) String() string {
	if l == English {
		return "en"
	}
	return "fr"
}

// langOf returns the language of a tag (fr, en, en-GB…), if offered.
func langOf(tag string) (Lang, bool) {
	tag = strings.ToLower(strings.TrimSpace(tag))
	if i := strings.IndexAny(tag, "-_"); i >= 0 {
		tag = tag[:i]
	}
	switch tag {
	case "fr":
		return French, true
	case "en":
		return English, true
	}
	return French, false
}

// NegotiateLang chooses the language of an answer: the ?lang= value when it
// names an offered language, then the preferred offered language of an
// Accept-Language header (highest q, the first on a tie), French otherwise.
// It is a pure function of the two strings, for the API and the pages alike.
func NegotiateLang(query, acceptLanguage string) Lang {
	if l, ok := langOf(query); ok {
		return l
	}
	best, bestQ := French, 0.0
	for _, part := range strings.Split(acceptLanguage, ",") {
		tag, params, _ := strings.Cut(part, ";")
		l, ok := langOf(tag)
		if !ok {
			continue
		}
		q := 1.0
		for _, p := range strings.Split(params, ";") {
			if v, found := strings.CutPrefix(strings.TrimSpace(p), "q="); found {
				if f, err := strconv.ParseFloat(v, 64); err == nil && f >= 0 && f <= 1 {
					q = f
				}
			}
		}
		if q > bestQ {
			best, bestQ = l, q
		}
	}
	return best
}

// Date writes a date as the language does: « 3 mars 2026 », "3 March 2026".
func (l Lang) Date(d Date) string {
	if d.IsZero() {
		return ""
	}
	y, m, day := d.Date()
	n := strconv.Itoa(day)
	if day == 1 && l == French {
		n = "1er"
	}
	return n + " " + months[l][m-1] + " " + strconv.Itoa(y)
}

var months = [2][12]string{
	{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"},
	{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
}

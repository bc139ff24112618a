package web

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/certibloc/certibloc"
)

// page is what layout.html reads: the language, the head, the header and
// the navigation, and the page's own data in Body.
type page struct {
	Lang        string // fr or en
	Title       string // <title>, and the h1 of simple pages
	Description string // <meta name="description">
	Brand       string // the publisher named in the header, if any
	NavLabel    string // what the navigation is: "Sur cette page"…
	Nav         []navItem
	Body        any
	msgs        map[string]string

	// For signed-in pages: who is signed in, the menu of their role, and
	// the token that forms must carry against cross-site requests.
	User *certibloc.Principal
	Menu []navItem
	CSRF string

	// ErrorDetail is, on an error page about bad input, what the code
	// said of it in English when the page's language has no words for it.
	ErrorDetail string
}

// navItem is one link of the navigation: to a section of the page
// (#contenu) or to another page.
type navItem struct {
	Href, Label string
}

// newPage starts a page in lang: "en" or French for anything else.
func newPage(lang string) *page {
	lang = strings.ToLower(strings.TrimSpace(lang))
	if lang == "en" || strings.HasPrefix(lang, "en-") {
		lang = "en"
	} else {
		lang = "fr"
	}
	return &page{Lang: lang, msgs: messages[lang]}
}

// T returns an interface string. A missing key shows as [[key]], which the
// tests look for, rather than as nothing.
func (p *page) T(key string) string {
	if s, ok := p.msgs[key]; ok {
		return s
	}
	return "[[" + key + "]]"
}

// Label returns the interface string of a value named in the data (a
// block kind, an evaluation form, a track), or the value itself when the
// interface has no name for it.
func (p *page) Label(value string) string {
	if s, ok := p.msgs[value]; ok {
		return s
	}
	return value
}

// Tf formats an interface string with args.
func (p *page) Tf(key string, args ...any) string {
	return fmt.Sprintf(p.T(key), args...)
}

// FR is the attribute that marks French data on a page of another
// language, for screen readers and translation tools, written right after
// a tag name (<ul{{$.FR}}>); on the French page it is empty.
func (p *page) FR() template.HTMLAttr {
	if p.Lang == "fr" {
		return ""
	}
	return ` lang="fr"`
}

// sectionView is what the "section" template reads: a section of the
// sheet and the attribute that marks its French text.
type sectionView struct {
	FR template.HTMLAttr
	S  certibloc.Section
}

// Section prepares a section of the sheet for the "section" template.
func (p *page) Section(s certibloc.Section) sectionView { return sectionView{p.FR(), s} }

// OtherLang is the language the switch link leads to.
func (p *page) OtherLang() string { return p.T("other_lang") }

// Date writes a date as its readers expect: 21/12/2023 in French,
// 21 December 2023 in English.
func (p *page) Date(d certibloc.Date) string {
	if d.IsZero() {
		return ""
	}
	if p.Lang == "en" {
		return d.Format("2 January 2006")
	}
	return d.Format("02/01/2006")
}

package server_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"html"
	"io"
	"mime"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"unicode"

	"github.com/certibloc/certibloc/internal/web"
)

// TestEveryPageSpeaksOneLanguage is the Done-when line of issue 11 on
// languages: for nobody and for each role, signed in, the language is
// chosen once (?lang= on the first page) while the browser asks for the
// other one, and every page reachable from the site's routes and from the
// links of the pages is crawled, with the CSV and XLSX exports it links
// to. A French page fails on any word that only the English interface
// strings use, and an English page on any word only the French ones use
// (text marked lang="fr", data published in French, is left out); both
// fail on internal names: audit actions (application.decide), codes with
// an underscore (one_year), rule ids (level5), missing strings ([[key]]).
func TestEveryPageSpeaksOneLanguage(t *testing.T) {
	w := newRoleWalk(t)
	defer w.srv.Close()
	if t.Failed() {
		return
	}
	foreign := map[string]map[string]bool{"fr": onlyIn("en", "fr"), "en": onlyIn("fr", "en")}
	// The words of the data: what the pages mark in another language (the
	// programme and the referential, published in French, which borrow
	// English words too: data, frameworks), and the names the fixtures
	// give their records. They are data, not interface.
	data := map[string]bool{}
	for _, w := range langWords(fixtureFrench) {
		data[w] = true
	}
	var crawls []*langCrawl
	for _, role := range matrixRoles {
		for _, lang := range []string{"fr", "en"} {
			c := &langCrawl{w: w, role: role, lang: lang, seen: map[string]bool{}, marked: data}
			t.Run(role+"/"+lang, c.run)
			crawls = append(crawls, c)
		}
	}
	pages := 0
	for _, c := range crawls {
		pages += c.pages
		t.Run("words/"+c.role+"/"+c.lang, func(t *testing.T) {
			for _, pt := range c.texts {
				c.check(t, pt.where, pt.text, foreign[c.lang], data)
			}
		})
	}
	t.Logf("%d pages and files crawled over %d roles and nobody, in both languages", pages, len(matrixRoles)-1)
}

// fixtureFrench are the words of the names that the tests' records are
// given in French (campaigns, cohorts, rooms, teams, schools).
const fixtureFrench = "Campagne de la visite, Campagne, équité, Salle au rez-de-chaussée, Équipe, École, Promotion, Import nocturne, Professionnel, " +
	"Mon expérience couvre cette compétence : j'ai conduit ce travail pendant trois ans" // a VAE candidate's answer (vae_pages_test.go)

// onlyIn are the words of the interface strings of lang that those of
// other never use: seen on a page of other, they are a string left in lang.
func onlyIn(lang, other string) map[string]bool {
	theirs := map[string]bool{}
	for _, s := range web.InterfaceStrings(other) {
		for _, w := range langWords(s) {
			theirs[w] = true
		}
	}
	for _, w := range langNeutral {
		theirs[w] = true
	}
	out := map[string]bool{}
	for _, s := range web.InterfaceStrings(lang) {
		for _, w := range langWords(s) {
			if !theirs[w] && len([]rune(w)) > 2 {
				out[w] = true
			}
		}
	}
	return out
}

// langNeutral are words both languages write the same way that the
// interface strings happen to use in one of them only, and the names of
// things (a format, a standard) that have no translation.
var langNeutral = []string{
	"csv", "xlsx", "pdf", "json", "totp", "rncp", "vae", "siret", "nsf", "url", "ics", "cohorte",
	"date", "dates", "document", "documents", "message", "messages", "total", "note", "notes",
	"session", "sessions", "admission", "option", "options", "code", "codes", "initial", "continue",
	"commission", "modalities", "cv", "email", "e-mail", "mail", "page", "pages", "version", "identification",
	"certification", "certifications", "compétences", "bloc", "blocs", "minimum", "maximum", "question",
	"description", "contact", "contacts", "information", "public", "total", "type", "types", "statut",
	"signature", "format", "report", "admin", "score", "scores", "moyenne", "place", "places", "programme",
	"programmes", "candidat", "candidats", "jury", "juries", "cohort", "cohorts", "plan", "service", "distance",
	"validation", "evaluation", "évaluation", "accommodation", "collaborateur", "absent", "absents", "non",
	"did", // a decentralized identifier, did:web:…, the issuer of a badge
}

// docNumberRE matches a document number (CAN9-VFAE-T90K-ANHR-3).
var docNumberRE = regexp.MustCompile(`\b[0-9A-Z]{4}(?:-[0-9A-Z]{1,4}){2,}\b`)

// digestRE matches a hexadecimal digest (a document's SHA-256): its
// letters are no words ("…3cdd9…" is not the French « CDD »).
var digestRE = regexp.MustCompile(`(?i)\b[0-9a-f]{16,}\b`)

// langWords are the lower-case words of a text: letters only, so that the
// verbs of a format (%s) and numbers drop out.
func langWords(s string) []string {
	s = docNumberRE.ReplaceAllString(s, " ") // random letters: CAN9-… is no English "can"
	s = digestRE.ReplaceAllString(s, " ")
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return !unicode.IsLetter(r) && r != '-' })
}

// internalRE finds names of the code shown as text: an audit action
// (application.decide), a code with an underscore (one_year), a rule id
// (level5), a missing interface string ([[key]]).
var internalRE = regexp.MustCompile(`\[\[[a-z_]+\]\]|\b[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)+\b|\b(?:[a-z]+\.)(?:create|update|delete|decide|submit|withdraw|enrol|close|open|grade|correct|revoke|disable|enable|reset|import|export|sign|set|add|remove|replace)[a-z_]*\b|\b[a-z]+_[a-z]+(?:_[a-z]+)*\b|\b[a-z]{3,}[0-9]+\b`)

// langCrawl is one role's visit in one language.
type langCrawl struct {
	w      *roleWalk
	role   string
	lang   string
	client *http.Client
	seen   map[string]bool
	queue  []string
	pages  int
	texts  []pageText      // what the pages say, checked once every crawl is done
	marked map[string]bool // words of text marked in another language, shared
}

// pageText is the text of a page or file in the crawl's language.
type pageText struct{ where, text string }

// crawlMax bounds one visit: every page of the site for a role is far fewer.
const crawlMax = 600

func (c *langCrawl) run(t *testing.T) {
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(c.w.srv.URL)
	if c.role != anonymous {
		jar.SetCookies(base, []*http.Cookie{{Name: "certibloc_session", Value: c.w.users[c.role].session}})
	}
	c.client = &http.Client{Jar: jar}
	// The language is chosen once, on the first page; the browser asks for
	// the other one all along.
	first := "/app?lang=" + c.lang
	if c.role == anonymous {
		first = "/signin?lang=" + c.lang
	}
	c.queue = append(c.queue, first, "/nowhere", "/app/applications/999999", "/programmes/nothing")
	for _, rt := range c.w.routes {
		c.queue = append(c.queue, rt.paths...)
	}
	for len(c.queue) > 0 && c.pages < crawlMax {
		path := c.queue[0]
		c.queue = c.queue[1:]
		if c.seen[path] {
			continue
		}
		c.seen[path] = true
		c.visit(t, path)
	}
	if c.pages >= crawlMax {
		t.Errorf("more than %d pages: the crawl is running in circles", crawlMax)
	}
}

// visit gets one address, checks its text and queues its links.
func (c *langCrawl) visit(t *testing.T, path string) {
	req, _ := http.NewRequest(http.MethodGet, c.w.srv.URL+path, nil)
	req.Header.Set("Accept-Language", map[string]string{"fr": "en-US,en;q=0.9", "en": "fr-FR,fr;q=0.9"}[c.lang])
	res, err := c.client.Do(req)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	c.pages++
	if res.StatusCode >= 500 {
		t.Errorf("GET %s: %d", path, res.StatusCode)
	}
	where := path
	if final := res.Request.URL.RequestURI(); final != path {
		where += " (at " + final + ")"
	}
	ctype, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	var text string
	switch ctype {
	case "text/html":
		if got := htmlLang(body); got != c.lang {
			t.Errorf("%s: a page in %q, chosen %q", where, got, c.lang)
			return
		}
		var other string
		text, other = visibleText(string(body), c.lang)
		for _, w := range langWords(other) {
			c.marked[w] = true
		}
		for _, link := range pageLinks(string(body), res.Request.URL, c.lang) {
			if !c.seen[link] {
				c.queue = append(c.queue, link)
			}
		}
	case "text/csv":
		text = string(body)
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		text = xlsxText(t, body)
	default:
		return // a document, the person's data: not the interface's words
	}
	c.texts = append(c.texts, pageText{where, emailRE.ReplaceAllString(text, " ")})
}

// emailRE finds e-mail addresses, whose parts are not words of a language.
var emailRE = regexp.MustCompile(`[^\s@<>"]+@[^\s@<>"]+`)

// check reports the foreign and internal words of a text: a word of data
// is foreign on no page.
func (c *langCrawl) check(t *testing.T, where, text string, foreign, data map[string]bool) {
	t.Helper()
	var found []string
	for _, w := range langWords(text) {
		if foreign[w] && !data[w] && !slices.Contains(found, w) {
			found = append(found, w)
		}
	}
	for _, m := range internalRE.FindAllString(text, -1) {
		if !slices.Contains(found, m) {
			found = append(found, m)
		}
	}
	if len(found) > 0 {
		sort.Strings(found)
		t.Errorf("%s: %s page has %s", where, map[string]string{"fr": "a French", "en": "an English"}[c.lang],
			strings.Join(quoteAll(found), ", "))
	}
}

func quoteAll(list []string) []string {
	out := make([]string, len(list))
	for i, s := range list {
		out[i] = fmt.Sprintf("%q", s)
	}
	return out
}

var htmlLangRE = regexp.MustCompile(`<html lang="([a-z]+)"`)

func htmlLang(body []byte) string {
	if m := htmlLangRE.FindSubmatch(body); m != nil {
		return string(m[1])
	}
	return ""
}

// pageLinks are the addresses of the site that a page links to, except
// static files, the language switch and links into the page itself.
func pageLinks(body string, at *url.URL, lang string) []string {
	var out []string
	for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
		u, err := at.Parse(html.UnescapeString(m[1]))
		if err != nil || u.Host != at.Host || strings.HasPrefix(u.Path, "/static/") {
			continue
		}
		if l := u.Query().Get("lang"); l != "" && l != lang {
			continue
		}
		u.Fragment = ""
		out = append(out, u.RequestURI())
	}
	return out
}

var hrefRE = regexp.MustCompile(`<a\s[^>]*href="([^"]*)"`)

// tagRE finds the tags of a page: closing, name, attributes.
var tagRE = regexp.MustCompile(`(?s)<(/?)([a-zA-Z][a-zA-Z0-9]*)([^>]*)>|<!--.*?-->|<!DOCTYPE[^>]*>`)

var (
	langAttrRE = regexp.MustCompile(`\slang="([a-z]+)"`)
	textAttrRE = regexp.MustCompile(`\s(?:aria-label|placeholder|title|alt)="([^"]*)"`)
	typeAttrRE = regexp.MustCompile(`\stype="(submit|button|reset)"`)
	valAttrRE  = regexp.MustCompile(`\svalue="([^"]*)"`)
	voidTags   = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
		"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}
)

// visibleText is the text a reader of the page's language meets: the
// text and the labels of attributes, except script and style, and except
// elements marked in another language, whose text is the second result.
func visibleText(body, lang string) (string, string) {
	type open struct {
		tag  string
		lang string
	}
	stack := []open{{"", lang}}
	cur := func() string { return stack[len(stack)-1].lang }
	skip := 0 // inside script or style
	var b, other strings.Builder
	last := 0
	for _, loc := range tagRE.FindAllStringSubmatchIndex(body, -1) {
		if skip == 0 {
			to := &b
			if cur() != lang {
				to = &other
			}
			to.WriteString(html.UnescapeString(body[last:loc[0]]))
			to.WriteByte(' ')
		}
		last = loc[1]
		if loc[4] < 0 {
			continue // a comment or the doctype
		}
		closing := loc[3] > loc[2]
		name := strings.ToLower(body[loc[4]:loc[5]])
		attrs := body[loc[6]:loc[7]]
		if closing {
			if name == "script" || name == "style" {
				skip--
			}
			for i := len(stack) - 1; i > 0; i-- {
				if stack[i].tag == name {
					stack = stack[:i]
					break
				}
			}
			continue
		}
		if name == "script" || name == "style" {
			skip++
		}
		l := cur()
		if m := langAttrRE.FindStringSubmatch(attrs); m != nil {
			l = m[1]
		}
		if l == lang && skip == 0 {
			for _, m := range textAttrRE.FindAllStringSubmatch(attrs, -1) {
				b.WriteString(html.UnescapeString(m[1]) + " ")
			}
			if name == "input" && typeAttrRE.MatchString(attrs) {
				if m := valAttrRE.FindStringSubmatch(attrs); m != nil {
					b.WriteString(html.UnescapeString(m[1]) + " ")
				}
			}
		}
		if !voidTags[name] && !strings.HasSuffix(strings.TrimSpace(attrs), "/") {
			stack = append(stack, open{name, l})
		}
	}
	return b.String(), other.String()
}

var xmlTagRE = regexp.MustCompile(`<[^>]*>`)

// xlsxText is the text of the cells of a workbook: shared and inline
// strings, tags dropped.
func xlsxText(t *testing.T, body []byte) string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Errorf("an XLSX file that is not a zip: %v", err)
		return ""
	}
	var b strings.Builder
	for _, f := range zr.File {
		if f.Name != "xl/sharedStrings.xml" && !strings.HasPrefix(f.Name, "xl/worksheets/") {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		b.WriteString(html.UnescapeString(xmlTagRE.ReplaceAllString(string(data), " ")))
	}
	return b.String()
}

package web

import (
	"cmp"
	"math"
	"net/http"
	"slices"
	"strings"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/prepared"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// programme renders a programme sheet with the certification version it
// names. Visitors, who are not signed in, all see the same page per
// language: it is rendered once per version of the sheet and of the
// certification, and served with an ETag. A signed-in page carries its
// owner's menu and form token: it is rendered each time and kept private.
func (s *Site) programme(w http.ResponseWriter, r *http.Request) error {
	pg := s.page(r, "")
	slug := r.PathValue("slug")
	w.Header().Add("Vary", "Cookie, Accept-Language")
	if !pg.User.Anonymous() {
		b, err := s.renderProgramme(r, pg, slug)
		if err != nil {
			return err
		}
		return prepared.Serve(w, r, b, "private, no-cache")
	}
	stamp, err := s.db.ProgrammeStamp(r.Context(), slug)
	if err != nil {
		return err
	}
	b, err := s.programmes.Get(slug+" "+stamp+" "+pg.Lang, func() (*prepared.Body, error) {
		return s.renderProgramme(r, pg, slug)
	})
	if err != nil {
		return err
	}
	return prepared.Serve(w, r, b, prepared.Revalidate)
}

func (s *Site) renderProgramme(r *http.Request, pg *page, slug string) (*prepared.Body, error) {
	p, err := s.db.Programme(r.Context(), slug)
	if err != nil {
		return nil, err
	}
	c, err := s.db.Certification(r.Context(), p.CertificationCode, p.Version)
	if err != nil {
		return nil, err
	}
	figs, err := s.db.CertificationFigures(r.Context(), p.CertificationCode)
	if err != nil {
		return nil, err
	}
	surveys, err := s.db.CertificationSurveys(r.Context(), p.CertificationCode)
	if err != nil {
		return nil, err
	}
	res := publishedResult(figs)
	res.Insertion = publishedInsertion(surveys)
	var buf strings.Builder
	if err := s.pages.Programme(&buf, pg, p, c, res); err != nil {
		return nil, err
	}
	return prepared.New("text/html; charset=utf-8", []byte(buf.String()))
}

// programmeView is what programme.html reads: the sheet and the
// certification as given, and what the page works out from them (the
// prerequisites of each block, the sections to list in the navigation).
type programmeView struct {
	P *certibloc.Programme
	C *certibloc.Certification

	Title       string
	School      string // as named in the header: DIIAGE – Département…
	Publisher   string // the school's short name: DIIAGE
	Description string
	Nav         []navItem
	Certifiers  string
	FCLink      string // the certification's France Compétences page, unless a sheet link names it
	Objectives  []string
	Blocks      []blockView
	Outcomes    []certibloc.Section // those not shown with a block
	Legal       string
	Result      string // the pass rate published, when enough candidates sat
	Insertion   string // the insertion rate published, when enough holders answered
}

// MinPublished is the fewest candidates a published pass rate counts:
// below it, a rate would point at people.
const MinPublished = 10

// PublishedResult is the pass rate of a certification's latest year of
// juries, every route together, and its insertion rate.
type PublishedResult struct {
	Year, Candidates int
	PassRate         float64
	Insertion        PublishedInsertion
}

// PublishedInsertion is the share of holders in employment six months
// after the jury, among those who answered the survey, for the latest
// year of juries with answers, every route together. Like the pass rate,
// it is published from MinPublished respondents on.
type PublishedInsertion struct {
	Year, Respondents int
	Rate              float64
}

// publishedInsertion sums the six-month surveys of the latest year with
// answers.
func publishedInsertion(surveys []sqldb.SurveyFigures) PublishedInsertion {
	var r PublishedInsertion
	employed := 0
	for _, f := range surveys {
		if f.Wave != certibloc.SurveySixMonths || f.Answered == 0 {
			continue
		}
		if f.Year > r.Year {
			r, employed = PublishedInsertion{Year: f.Year}, 0
		}
		if f.Year == r.Year {
			r.Respondents += f.Answered
			employed += f.Employed
		}
	}
	if r.Respondents > 0 {
		r.Rate = math.Round(float64(employed)*1000/float64(r.Respondents)) / 10
	}
	return r
}

// publishedResult sums the latest year's figures.
func publishedResult(figs []sqldb.Figures) PublishedResult {
	var r PublishedResult
	holders := 0
	for _, f := range figs {
		if f.Year > r.Year {
			r, holders = PublishedResult{Year: f.Year}, 0
		}
		if f.Year == r.Year {
			r.Candidates += f.Candidates
			holders += f.Holders
		}
	}
	if r.Candidates > 0 {
		r.PassRate = math.Round(float64(holders)*1000/float64(r.Candidates)) / 10
	}
	return r
}

// blockView is one block of the certification with what the sheet and the
// rules say of it.
type blockView struct {
	*certibloc.Block
	KindLabel  string
	Entry      []trackEntry
	Validation string   // by training: pass its evaluations
	JobsTitle  string   // the sheet's heading for the block's jobs, if any
	JobsIntro  string   // the sheet's sentence before the block's jobs
	Jobs       []string // the block's jobs, and any more the sheet lists
}

// trackEntry is the way into a block on one track: alternative entry
// rules, and blocks that must be validated first.
type trackEntry struct {
	Label    string
	Rules    []string
	Requires []*certibloc.Block
}

// newProgrammeView works out the page of p and c; either may be empty.
func newProgrammeView(pg *page, p *certibloc.Programme, c *certibloc.Certification) *programmeView {
	v := &programmeView{P: p, C: c, Title: p.Title, Legal: p.Legal}
	if v.Title == "" {
		v.Title = c.Title
	}
	if v.Title == "" {
		v.Title = pg.T("programme")
	}
	v.Publisher = cmp.Or(p.School.Code, p.School.Acronym, p.School.Name)
	v.School = p.School.Code
	if p.School.Name != "" && v.School != "" {
		v.School += " – " + p.School.Name
	} else if p.School.Name != "" {
		v.School = p.School.Name
	}
	v.Description = v.Title
	if c.Code != "" && p.School.Code != "" {
		v.Description = pg.Tf("meta_f", v.Title, c.Code, c.Level, p.School.Code)
	}
	var names []string
	for _, ct := range c.Certifiers {
		names = append(names, ct.Name)
	}
	v.Certifiers = strings.Join(names, ", ")
	if c.URL != "" && !slices.ContainsFunc(p.Links, func(l certibloc.Link) bool { return l.URL == c.URL }) {
		v.FCLink = c.URL
	}
	v.Objectives = p.Objectives
	if len(v.Objectives) == 0 {
		v.Objectives = paragraphs(c.Objectives)
	}
	if v.Legal == "" {
		v.Legal = c.LegalReferences
	}
	v.Blocks = blockViews(pg, p, c)
	for _, s := range p.Outcomes {
		if s.Block == "" || c.Block(s.Block) == nil {
			v.Outcomes = append(v.Outcomes, s)
		}
	}
	v.Nav = v.nav(pg)
	return v
}

// blockViews gathers, for each block, its entry rules per track and the
// sheet's introduction to its jobs.
func blockViews(pg *page, p *certibloc.Programme, c *certibloc.Certification) []blockView {
	var out []blockView
	for i := range c.Blocks {
		b := &c.Blocks[i]
		bv := blockView{Block: b, KindLabel: pg.Label(string(b.Kind)), Jobs: b.Jobs}
		for _, track := range c.Tracks() {
			te := trackEntry{Label: pg.Label(string(track))}
			for _, r := range c.EntryRules {
				if r.Track == track {
					te.Rules = append(te.Rules, r.Text)
				}
			}
			for _, r := range c.BlockRules {
				if r.Track == track && r.Block == b.Code {
					req := c.Block(r.Requires)
					if req == nil { // Validate forbids it; show the code anyway
						req = &certibloc.Block{Code: r.Requires}
					}
					te.Requires = append(te.Requires, req)
				}
			}
			bv.Entry = append(bv.Entry, te)
		}
		switch n := len(b.Evaluations); {
		case n == 1:
			bv.Validation = pg.T("valid_one")
		case n > 1:
			bv.Validation = pg.Tf("valid_many_f", n)
		}
		for _, s := range p.Outcomes {
			if s.Block == b.Code {
				bv.JobsTitle, bv.JobsIntro = s.Title, s.Text
				for _, job := range s.Items {
					if !slices.Contains(bv.Jobs, job) {
						bv.Jobs = append(bv.Jobs, job)
					}
				}
			}
		}
		out = append(out, bv)
	}
	return out
}

// nav lists the sections the page will show, in its order; the conditions
// are those of programme.html.
func (v *programmeView) nav(pg *page) []navItem {
	p, c := v.P, v.C
	sections := []struct {
		id, key string
		shown   bool
	}{
		{"certification", "sec_cert", true},
		{"objectifs", "sec_objectives", len(v.Objectives) > 0},
		{"contenu", "sec_content", len(p.Content) > 0},
		{"blocs", "sec_blocks", len(v.Blocks) > 0},
		{"obtention", "sec_obtain", c.Validation != nil || len(p.Validation) > 0},
		{"duree", "sec_duration", p.Duration.Summary != "" || p.Duration.WeeklyHours > 0 || len(p.Duration.Tracks) > 0},
		{"admission", "sec_admission", p.Admission.Text != "" || p.Admission.Deadline != "" || len(p.Admission.Steps) > 0},
		{"methodes", "sec_methods", len(p.Methods) > 0},
		{"tarif", "sec_price", p.Price != ""},
		{"debouches", "sec_outcomes", len(v.Outcomes) > 0},
		{"juridique", "sec_legal", v.Legal != ""},
		{"accessibilite", "sec_access", p.Access.Statement != "" || p.Access.Referent.Name != ""},
		{"contacts", "sec_contacts", len(p.Contacts) > 0 || len(p.Social) > 0},
	}
	var nav []navItem
	for _, s := range sections {
		if s.shown {
			nav = append(nav, navItem{Href: "#" + s.id, Label: pg.T(s.key)})
		}
	}
	return nav
}

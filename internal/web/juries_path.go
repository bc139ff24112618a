package web

import (
	"fmt"
	"net/http"
	"slices"

	"github.com/certibloc/certibloc"
)

// pathView is a person's path: the blocks they acquired (the ledger), the
// titles awarded, and for each certification what remains, explained in
// the page's language. Lists rather than tables, to read on a phone.
type pathView struct {
	Blocks []acquiredRow
	Titles []string
	Paths  []certPath
	FR     bool // the blocks' titles are French data
	Back   string
}

type acquiredRow struct {
	Label, Details string
}

// certPath is what the ledger gives on the current version of one
// certification.
type certPath struct {
	Heading     string
	Status      string
	Missing     []string
	Explanation []string
	Left        []string // blocks of older versions that carry over to nothing
}

// pathPage shows a person's path: to them, and to staff of their school.
func (s *Site) pathPage(w http.ResponseWriter, r *http.Request) error {
	p, _, err := s.loadPerson(r, certibloc.ReadPeople, true)
	if err != nil {
		return err
	}
	ctx := r.Context()
	pg := s.page(r, "")
	pg.Title, pg.Description = pg.Tf("path_title_f", p.DisplayName()), pg.T("path_description")
	v := &pathView{FR: pg.Lang != "fr", Back: personPath(p.ID)}
	entries, err := s.db.Ledger(ctx, p.ID)
	if err != nil {
		return err
	}
	titles, err := s.db.TitlesAwarded(ctx, p.ID)
	if err != nil {
		return err
	}
	certs := map[string]*certibloc.Certification{}
	cert := func(code string, version int) *certibloc.Certification {
		key := fmt.Sprint(code, "@", version)
		if c, ok := certs[key]; ok {
			return c
		}
		c, _ := s.db.Certification(ctx, code, version) // nil: the code alone is shown
		certs[key] = c
		return c
	}
	juries := map[int64]string{}
	juryName := func(id int64) string {
		if t, ok := juries[id]; ok {
			return t
		}
		j, err := s.db.Jury(ctx, id)
		t := ""
		if err == nil {
			t = juryTitle(pg, j)
		}
		juries[id] = t
		return t
	}
	var codes []string
	for _, e := range entries {
		v.Blocks = append(v.Blocks, acquiredRow{Label: blockLabel(cert(e.Certification, e.Version), e.Block),
			Details: pg.Tf("path_block_f", pg.Date(e.Date), pg.T("jury_route_"+string(e.Route)), juryName(e.JuryID),
				pg.Tf("coh_version_f", e.Certification, e.Version))})
		if !slices.Contains(codes, e.Certification) {
			codes = append(codes, e.Certification)
		}
	}
	for _, t := range titles {
		v.Titles = append(v.Titles, pg.Tf("path_title_awarded_f", pg.Tf("coh_version_f", t.Certification, t.Version),
			pg.Date(t.Date), juryName(t.JuryID)))
	}
	if len(codes) == 0 {
		all, err := s.db.Certifications(ctx)
		if err != nil {
			return err
		}
		for _, c := range all {
			codes = append(codes, c.Code)
		}
	}
	for _, code := range codes {
		d, left, err := s.db.Path(ctx, p.ID, code)
		if err != nil {
			return err
		}
		c := cert(code, 0)
		cp := certPath{Heading: code, Status: pg.T("path_not_yet")}
		if c != nil {
			cp.Heading = pg.Tf("coh_version_f", c.Code, c.Version)
		}
		if d.Certified {
			cp.Status = pg.T("path_complete")
		}
		text := d.Explain(langOf(pg))
		cp.Explanation = text.Explanation
		for _, m := range text.Missing {
			cp.Missing = append(cp.Missing, m.Reason)
		}
		for _, e := range left {
			cp.Left = append(cp.Left, pg.Tf("path_left_f", e.Block, e.Version))
		}
		v.Paths = append(v.Paths, cp)
	}
	return s.renderApp(w, http.StatusOK, "juries_path", pg, v)
}

package pdf

import (
	"bytes"
	"fmt"
	"strings"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/certibloc/certibloc"
)

// Minutes renders a jury's procès-verbal in French: the certification,
// the session, its members and, candidate by candidate, the blocks
// validated with their routes and dates, the title awarded or not, and
// every departure from the rules engine's proposal with its reason. It is
// set in the whole Go fonts (UTF-8), on as many A4 pages as it takes; the
// same minutes give the same bytes, so their digest is stable.
func Minutes(m *certibloc.Minutes) ([]byte, error) {
	j, c := m.Jury, m.Certification
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	f.AddUTF8FontFromBytes(family, "", goregular.TTF)
	f.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	closed := j.CreatedAt
	if j.ClosedAt != nil {
		closed = *j.ClosedAt
	}
	f.SetCreationDate(closed)
	f.SetModificationDate(closed)
	f.SetCatalogSort(true)
	f.SetLang("fr-FR")
	f.SetTitle(fmt.Sprintf("Procès-verbal du jury n° %d", j.ID), true)
	f.SetCreator("certibloc", true)
	f.SetProducer("certibloc", true)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin)
	f.SetFooterFunc(func() {
		f.SetY(-15)
		f.SetFont(family, "", 8)
		f.CellFormat(0, 5, fmt.Sprintf("Procès-verbal du jury n° %d — page %d/{nb}", j.ID, f.PageNo()), "", 0, "C", false, 0, "")
	})
	f.AliasNbPages("{nb}")
	f.AddPage()
	w := writer{f: f}

	certifier := ""
	if len(c.Certifiers) > 0 {
		certifier = c.Certifiers[0].Name
	}
	w.para("B", 13, "C", certifier)
	w.para("B", 18, "C", "Procès-verbal du jury")
	w.para("", 11, "C", fmt.Sprintf("%s — %s (version %d du référentiel)", c.Title, c.Code, c.Version))
	w.para("", 11, "C", fmt.Sprintf("Réuni le %s à %s ; clos le %s", frDate(j.Date), j.Place, frDate(certibloc.DateOf(closed.Date()))))
	f.Ln(6)

	w.para("B", 12, "L", "Composition du jury")
	for _, mb := range j.Members {
		presence := "présent(e)"
		if !mb.Present {
			presence = "absent(e)"
		}
		w.para("", 10, "L", fmt.Sprintf("• %s — %s, %s", mb.Name, juryRoleFR(mb.Role), presence))
	}
	f.Ln(4)

	w.para("B", 12, "L", fmt.Sprintf("Décisions (%d candidat(s))", len(m.Candidates)))
	for _, cand := range m.Candidates {
		d := cand.Decision
		f.Ln(2)
		born := ""
		if !cand.BirthDate.IsZero() {
			born = ", né(e) le " + frDate(cand.BirthDate)
		}
		w.para("B", 10, "L", cand.Name+born)
		var blocks []string
		for _, b := range d.Blocks {
			if !b.Validated {
				continue
			}
			title := b.Block
			if bl := c.Block(b.Block); bl != nil {
				title += " « " + bl.Title + " »"
			}
			blocks = append(blocks, fmt.Sprintf("%s, par %s, le %s", title, routeFR(b.Route), frDate(b.Date)))
		}
		if len(blocks) == 0 {
			w.para("", 10, "L", "Aucun bloc validé.")
		} else {
			w.para("", 10, "L", "Blocs validés : "+strings.Join(blocks, " ; ")+".")
		}
		if d.Certified {
			w.para("", 10, "L", "Certification délivrée.")
		} else {
			w.para("", 10, "L", "Certification non délivrée.")
		}
		for _, b := range d.Blocks {
			if b.Validated != b.Proposed {
				verb := map[bool]string{true: "valide", false: "ne valide pas"}[b.Validated]
				w.para("", 9, "L", fmt.Sprintf("Le jury %s le bloc %s contre la proposition du moteur de règles. Motif : %s", verb, b.Block, b.Reason))
			}
		}
		if d.Certified != d.Proposed {
			verb := map[bool]string{true: "délivre", false: "ne délivre pas"}[d.Certified]
			w.para("", 9, "L", fmt.Sprintf("Le jury %s la certification contre la proposition du moteur de règles. Motif : %s", verb, d.Reason))
		}
	}
	var buf bytes.Buffer
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("minutes of jury %d: %w", j.ID, err)
	}
	return buf.Bytes(), nil
}

// juryRoleFR names a jury role in French.
func juryRoleFR(role string) string {
	switch role {
	case certibloc.JuryChair:
		return "président(e)"
	case certibloc.JuryProfessional:
		return "professionnel(le) du métier"
	case certibloc.JuryTeaching:
		return "membre de l'équipe pédagogique"
	}
	return role
}

package pdf

import (
	"fmt"

	"codeberg.org/go-pdf/fpdf"

	"github.com/certibloc/certibloc"
)

// writer sets the text of a document on its page, through enc when the
// fonts are the cut ones (nil: UTF-8 and the whole fonts).
type writer struct {
	f   *fpdf.Fpdf
	enc *cp1252
}

// t is text as the current fonts take it.
func (w writer) t(s string) string {
	if w.enc == nil {
		return s
	}
	return w.enc.encode(s)
}

// lines counts the lines s takes in a cell of width wd.
func (w writer) lines(s string, wd float64) int {
	if w.enc == nil {
		return len(w.f.SplitText(s, wd))
	}
	return len(w.f.SplitLines([]byte(w.t(s)), wd))
}

func (w writer) font(style string, size float64) { w.f.SetFont(family, style, size) }

// para writes a paragraph across the text width.
func (w writer) para(style string, size float64, align, text string) {
	w.font(style, size)
	w.f.MultiCell(textW, size*0.5, w.t(text), "", align, false)
}

// header names the certifier, the certification and the kind of document.
func (w writer) header(d *certibloc.IssuedDocument) {
	c := d.Certification
	w.f.SetTextColor(0, 0, 0)
	w.para("B", 13, "C", c.Certifier)
	w.para("", 9, "C", "Certification professionnelle enregistrée "+registry(c.Code))
	w.f.Ln(10)
	w.f.SetDrawColor(0, 51, 102)
	w.f.SetLineWidth(0.6)
	w.f.Line(margin, w.f.GetY(), pageW-margin, w.f.GetY())
	w.f.Ln(8)
	w.f.SetTextColor(0, 51, 102)
	w.para("B", 22, "C", title(d))
	w.f.SetTextColor(0, 0, 0)
	w.f.Ln(8)
}

// holder names the person, with their birth date.
func (w writer) holder(d *certibloc.IssuedDocument) {
	w.para("B", 16, "C", d.Holder.Name())
	w.para("", 11, "C", "né(e) le "+frDate(d.Holder.BirthDate))
	w.f.Ln(6)
}

func (w writer) certificate(d *certibloc.IssuedDocument) {
	c := d.Certification
	w.para("", 12, "C", fmt.Sprintf("%s certifie que", c.Certifier))
	w.f.Ln(4)
	w.holder(d)
	w.para("", 12, "C", "a obtenu la certification professionnelle")
	w.f.Ln(2)
	w.para("B", 15, "C", "« "+c.Title+" »")
	w.f.Ln(2)
	w.para("", 11, "C", fmt.Sprintf("enregistrée %s sous le code %s, %s,", registry(c.Code), c.Code, level(c)))
	w.para("", 11, "C", "par décision du jury du "+frDate(d.JuryDate)+".")
	if len(d.Blocks) > 0 {
		w.f.Ln(6)
		w.para("", 10, "L", "Blocs de compétences composant la certification :")
		w.f.Ln(1)
		w.blocks(d.Blocks, false)
	}
}

func (w writer) attestation(d *certibloc.IssuedDocument) {
	c, b := d.Certification, d.Blocks[0]
	w.para("", 12, "C", fmt.Sprintf("%s atteste que", c.Certifier))
	w.f.Ln(4)
	w.holder(d)
	w.para("", 12, "C", "a validé le bloc de compétences")
	w.f.Ln(2)
	w.para("B", 14, "C", b.Code+" « "+b.Title+" »")
	w.f.Ln(2)
	w.para("", 11, "C", fmt.Sprintf("de la certification professionnelle « %s », enregistrée %s sous le code %s, %s,",
		c.Title, registry(c.Code), c.Code, level(c)))
	w.para("", 11, "C", fmt.Sprintf("par la voie de la %s, le %s, par décision du jury du %s.",
		routeFR(b.Route), frDate(b.Date), frDate(d.JuryDate)))
	w.f.Ln(4)
	w.para("", 9, "C", "Ce bloc de compétences est acquis définitivement.")
}

func (w writer) transcript(d *certibloc.IssuedDocument) {
	c := d.Certification
	w.holder(d)
	w.para("", 11, "C", fmt.Sprintf("Certification professionnelle « %s », code %s, %s.", c.Title, c.Code, level(c)))
	w.para("", 11, "C", "Blocs de compétences acquis, arrêtés par le jury du "+frDate(d.JuryDate)+" :")
	w.f.Ln(4)
	w.blocks(d.Blocks, true)
	w.f.Ln(3)
	w.para("", 9, "L", "Les blocs de compétences sont acquis définitivement, quelle que soit la voie d'accès.")
}

// blocks lays out a table of blocks: code, title, date and, when routes
// is set, the route.
func (w writer) blocks(bs []certibloc.DocumentBlock, routes bool) {
	cols := []float64{32, 88, 25, 25}
	heads := []string{"Code", "Intitulé du bloc", "Date", "Voie"}
	if !routes {
		cols, heads = []float64{32, 113, 25}, heads[:3]
	}
	w.font("B", 9)
	w.f.SetFillColor(230, 236, 245)
	for i, h := range heads {
		w.f.CellFormat(cols[i], 7, w.t(h), "1", 0, "L", true, 0, "")
	}
	w.f.Ln(-1)
	w.font("", 9)
	for _, b := range bs {
		cells := []string{b.Code, b.Title, b.Date.Format("02/01/2006"), routeShort(b.Route)}
		// The title may wrap: the row is as high as its lines.
		h := 5 * float64(max(1, w.lines(b.Title, cols[1])))
		x, y := w.f.GetX(), w.f.GetY()
		for i, width := range cols {
			w.f.Rect(x, y, width, h, "D")
			if i == 1 {
				w.f.SetXY(x, y)
				w.f.MultiCell(width, 5, w.t(cells[i]), "", "L", false)
			} else {
				w.f.SetXY(x, y)
				w.f.CellFormat(width, 5, w.t(cells[i]), "", 0, "L", false, 0, "")
			}
			x += width
		}
		w.f.SetXY(margin, y+h)
	}
}

func routeShort(r certibloc.Route) string {
	switch r {
	case certibloc.Training:
		return "Formation"
	case certibloc.VAE:
		return "VAE"
	case certibloc.Mixed:
		return "Mixte"
	}
	return string(r)
}

// footer writes where and when the document was issued, its number and the
// QR code of its verification address, at the foot of the page.
func (r *Renderer) footer(w writer, d *certibloc.IssuedDocument) error {
	f := w.f
	const qrSide, top = 30.0, 240.0
	url := r.VerifyURL(d.Number)
	if err := drawQR(f, url, pageW-margin-qrSide, top, qrSide); err != nil {
		return err
	}
	f.SetAutoPageBreak(false, 0)
	f.SetXY(margin, top)
	textW := pageW - 2*margin - qrSide - 5
	line := func(style string, size float64, s string) {
		w.font(style, size)
		f.SetX(margin)
		f.MultiCell(textW, size*0.48, w.t(s), "", "L", false)
	}
	line("", 10, fmt.Sprintf("Document délivré le %s par %s.", issuedOn(d.IssuedAt), d.Certification.Certifier))
	f.Ln(2)
	line("B", 11, "N° "+d.Number)
	f.Ln(2)
	line("", 8, "Vérifiez l'authenticité de ce document en lisant le code QR ou à l'adresse :")
	line("", 8, url)
	return nil
}

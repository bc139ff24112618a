// Package pdf renders the documents a certifier issues (the certificate of
// the title, the attestation of a block, the transcript of the blocks
// acquired) as one-page A4 PDFs in French, with fpdf. The text is set in
// the Go fonts (BSD licence, the Go project's), embedded as subsets so that
// accents show on any reader; the QR code of the verification address is
// drawn as vector squares from the matrix that go-qr encodes.
package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/certibloc/certibloc"
)

// Renderer turns issued documents into PDF files. It is safe for
// concurrent use.
type Renderer struct {
	baseURL string // the site's address, without a final slash
}

// New returns a renderer whose QR codes lead to baseURL/verify/{number}.
func New(baseURL string) (*Renderer, error) {
	baseURL = strings.TrimRight(strings.TrimSpace(baseURL), "/")
	if !strings.HasPrefix(baseURL, "https://") && !strings.HasPrefix(baseURL, "http://") {
		return nil, certibloc.Errorf(certibloc.EINVALID, "the base URL %q of the verification links must start with https:// or http://", baseURL)
	}
	return &Renderer{baseURL: baseURL}, nil
}

// VerifyURL is the address a document's QR code leads to.
func (r *Renderer) VerifyURL(number string) string { return r.baseURL + "/verify/" + number }

// Page geometry, in millimetres.
const (
	pageW, margin = 210.0, 20.0
	textW         = pageW - 2*margin
	family        = "go"
)

// Render writes the PDF of d. The file depends on d alone: its dates are
// the issuing time, so rendering the same document twice gives the same
// bytes, and the same digest.
func (r *Renderer) Render(d *certibloc.IssuedDocument) ([]byte, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	// Most documents are written in Windows-1252 with the cut fonts, which
	// cost little per document; one with a character outside it (a name
	// in Polish or Vietnamese) is written again with the whole Go fonts.
	b, err := r.render(d, false)
	if errors.Is(err, errNotInEncoding) {
		b, err = r.render(d, true)
	}
	return b, err
}

// render writes the PDF of d with the whole fonts in UTF-8 (unicode) or
// the cut fonts in Windows-1252.
func (r *Renderer) render(d *certibloc.IssuedDocument, unicode bool) ([]byte, error) {
	f := fpdf.NewCustom(&fpdf.InitType{OrientationStr: "P", UnitStr: "mm", SizeStr: "A4"})
	w := writer{f: f}
	if unicode {
		f.AddUTF8FontFromBytes(family, "", goregular.TTF)
		f.AddUTF8FontFromBytes(family, "B", gobold.TTF)
	} else {
		f.AddFontFromBytes(family, "", cutRegular.def, cutRegular.z)
		f.AddFontFromBytes(family, "B", cutBold.def, cutBold.z)
		w.enc = &cp1252{}
	}
	f.SetCreationDate(d.IssuedAt)
	f.SetModificationDate(d.IssuedAt)
	f.SetCatalogSort(true)
	f.SetLang("fr-FR")
	f.SetTitle(title(d)+" n° "+d.Number, true)
	f.SetAuthor(d.Certification.Certifier, true)
	f.SetCreator("certibloc", true)
	f.SetProducer("certibloc", true)
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, 60)
	f.AddPage()

	w.header(d)
	switch d.Kind {
	case certibloc.Certificate:
		w.certificate(d)
	case certibloc.Attestation:
		w.attestation(d)
	case certibloc.Transcript:
		w.transcript(d)
	}
	if err := r.footer(w, d); err != nil {
		return nil, err
	}
	if w.enc != nil && w.enc.lost {
		return nil, errNotInEncoding
	}
	var buf bytes.Buffer
	buf.Grow(48 << 10)
	if err := f.Output(&buf); err != nil {
		return nil, fmt.Errorf("pdf of %s: %w", d, err)
	}
	return buf.Bytes(), nil
}

// RenderAll renders docs over workers goroutines (GOMAXPROCS when 0 or
// less), the PDFs in the order of docs. It stops at the first failure, or
// when ctx is done.
func (r *Renderer) RenderAll(ctx context.Context, docs []*certibloc.IssuedDocument, workers int) ([][]byte, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	out := make([][]byte, len(docs))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(workers, len(docs)) {
		wg.Go(func() {
			for i := range next {
				b, err := r.Render(docs[i])
				if err != nil {
					cancel(err)
					return
				}
				out[i] = b
			}
		})
	}
feed:
	for i := range docs {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return nil, err
	}
	return out, nil
}

// title is the heading of a document.
func title(d *certibloc.IssuedDocument) string {
	switch d.Kind {
	case certibloc.Certificate:
		return "Certificat"
	case certibloc.Attestation:
		return "Attestation de bloc de compétences"
	}
	return "Relevé des blocs de compétences"
}

// frDate writes a date as French documents do: 2 juillet 2026.
func frDate(d certibloc.Date) string {
	return fmt.Sprintf("%d %s %d", d.Day(), frMonths[d.Month()-1], d.Year())
}

var frMonths = [12]string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
	"septembre", "octobre", "novembre", "décembre"}

// routeFR names the route by which a block was acquired.
func routeFR(r certibloc.Route) string {
	switch r {
	case certibloc.Training:
		return "formation"
	case certibloc.VAE:
		return "validation des acquis de l'expérience"
	case certibloc.Mixed:
		return "formation et VAE"
	}
	return string(r)
}

// level names the European level of the certification.
func level(c certibloc.DocumentCertification) string {
	if c.Level == 0 {
		return "sans niveau de qualification"
	}
	return fmt.Sprintf("niveau %d du cadre national des certifications professionnelles", c.Level)
}

// registry names the register a code belongs to: RNCP or Répertoire spécifique.
func registry(code string) string {
	if strings.HasPrefix(code, "RS") {
		return "au Répertoire spécifique"
	}
	return "au Répertoire national des certifications professionnelles (RNCP)"
}

func issuedOn(t time.Time) string { return frDate(certibloc.DateOf(t.Date())) }

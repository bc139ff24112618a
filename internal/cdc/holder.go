package cdc

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // Europe/Paris wherever the server runs

	"github.com/certibloc/certibloc"
	"golang.org/x/text/language"
)

// FromHolder is the passage that declares a holder: obtained by
// admission, the data certified by the certifier, valid from the jury's
// date with no end, the route as modaliteAcces, the holder by birth data
// (the INSEE code of the commune of birth, or the country's ISO 3166
// alpha-3 code and a nil postal code when born abroad).
func FromHolder(h *certibloc.Holder) Passage {
	names := h.FirstNameList()
	t := &Titulaire{NomNaissance: h.BirthName, Annee: h.BirthDate.Year(), Mois: int(h.BirthDate.Month()), Jour: h.BirthDate.Day(), Sexe: h.Sex}
	if h.UsageName != "" && h.UsageName != h.BirthName {
		t.NomUsage = h.UsageName
	}
	for i, n := range names {
		switch i {
		case 0:
			t.Prenom1 = n
		case 1:
			t.Prenom2 = n
		case 2:
			t.Prenom3 = n
		}
	}
	if h.BornAbroad() {
		t.CodePays = iso3(h.BirthCountry)
	} else {
		t.CodeInsee = h.BirthPlace
	}
	p := Passage{
		IDTechnique:       h.IDTechnique(),
		Obtention:         ParAdmission,
		DonneeCertifiee:   true,
		DateDebutValidite: h.AwardedOn.String(),
		Inscription:       Inscription{ModaliteAcces: Access(h.Route, h.Mode)},
		Titulaire:         t,
	}
	return p
}

// Access is modaliteAcces for a route and a training mode: VAE for a title
// validated by VAE alone; for training, apprenticeship or initial training
// by the enrolment's mode; nil (unknown) for training without an
// enrolment here (a partner's learner, say), rather than a guess.
func Access(r certibloc.Route, m certibloc.Mode) string {
	switch {
	case r == certibloc.VAE:
		return AccesVAE
	case m == certibloc.Apprenticeship:
		return Apprentissage
	case m == certibloc.Initial:
		return FormationInitiale
	}
	return ""
}

// iso3 is the ISO 3166 alpha-3 code of an alpha-2 one ("MA" → "MAR").
func iso3(alpha2 string) string {
	r, err := language.ParseRegion(alpha2)
	if err != nil {
		return ""
	}
	return r.ISO3()
}

// CertificationType is the type of a certification code: RS for the
// Répertoire spécifique, RNCP otherwise.
func CertificationType(code string) string {
	if strings.HasPrefix(code, "RS") {
		return "RS"
	}
	return "RNCP"
}

// Export writes holders into files, one certifier account per file, split
// at the size limit: it is what sqldb.ExportAccrochage writes to.
type Export struct {
	Open  func(idFlux string) (io.WriteCloser, error)
	Limit int64
	Now   time.Time

	prefix string
	key    string
	n      int
	cur    *Split
	files  []certibloc.ExportedFile
	acct   [2]string
}

// Write adds a holder's passage and returns the idFlux of its file.
func (e *Export) Write(h *certibloc.Holder) (string, error) {
	key := h.Emitter + "/" + h.Client + "/" + h.Contract
	if e.cur == nil || key != e.key {
		if err := e.closeCurrent(); err != nil {
			return "", err
		}
		if e.prefix == "" {
			b := make([]byte, 3)
			_, _ = rand.Read(b)
			e.prefix = "certibloc-" + e.Now.UTC().Format("20060102T150405Z") + "-" + hex.EncodeToString(b)
		}
		e.n++
		e.key, e.acct = key, [2]string{h.Client, h.Contract}
		e.cur = &Split{Open: e.Open, Limit: e.Limit, Header: Header{
			IDFlux: e.prefix + "-" + strconv.Itoa(e.n), Horodatage: e.Now.In(paris).Truncate(time.Second),
			Emetteur: h.Emitter, Certificateur: h.Client, Contrat: h.Contract}}
	}
	ct := Certification{Type: CertificationType(h.Certification), Code: h.Certification, NatureDeposant: Certificateur}
	p := FromHolder(h)
	if err := e.cur.Write(&ct, &p); err != nil {
		return "", err
	}
	return e.cur.Current(), nil
}

func (e *Export) closeCurrent() error {
	if e.cur == nil {
		return nil
	}
	fs, err := e.cur.Close()
	if err != nil {
		return err
	}
	for _, f := range fs {
		e.files = append(e.files, certibloc.ExportedFile{IDFlux: f.IDFlux, Client: e.acct[0], Contract: e.acct[1], Passages: f.Passages, Bytes: f.Bytes})
	}
	e.cur = nil
	return nil
}

// Close ends the last file and returns every file written.
func (e *Export) Close() ([]certibloc.ExportedFile, error) {
	if err := e.closeCurrent(); err != nil {
		return nil, err
	}
	return e.files, nil
}

// paris is the certifier's time zone, which the files' horodatage is in.
var paris = func() *time.Location {
	if l, err := time.LoadLocation("Europe/Paris"); err == nil {
		return l
	}
	return time.UTC
}()

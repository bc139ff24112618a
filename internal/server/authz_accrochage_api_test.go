package server_test

import (
	"bytes"
	"fmt"
	"io"
	"maps"
	"strings"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/cdc"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The declarations to the Caisse des Dépôts in the authorisation matrix:
// the certifier admin's alone, for every school.

func init() { maps.Copy(apiMatrix, accrochageAPIMatrix) }

// holderJury closes a jury that awards the title to a new person of
// ownSchool with every birth datum the Caisse needs, on a certification
// with its account at the Caisse.
func (m *matrix) holderJury() (jury, person int64) {
	j, people := m.holders(1)
	return j, people[0]
}

// holders is holderJury with n holders.
func (m *matrix) holders(n int) (int64, []int64) {
	ctx := certibloc.WithPrincipal(m.t.Context(), m.certifierCtx())
	if err := m.db.SetCDCAccount(ctx, &certibloc.CDCAccount{Certification: "RNCP38478", Client: "E564ACB0", Contract: "2560080000127J"}); err != nil {
		m.t.Fatal(err)
	}
	var people []int64
	for range n {
		person := m.newPerson(ownSchool)
		p, err := m.db.Person(ctx, person)
		if err != nil {
			m.t.Fatal(err)
		}
		p.Sex, p.BirthDate, p.BirthPlace = "F", certibloc.DateOf(1999, 4, 2), "21231"
		if err := m.db.UpdatePerson(ctx, p); err != nil {
			m.t.Fatal(err)
		}
		people = append(people, person)
	}
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2027, 7, 1), Place: "Dijon", Candidates: people,
		Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true},
			{Name: "Pro A", Role: certibloc.JuryProfessional, Present: true}, {Name: "Pro B", Role: certibloc.JuryProfessional, Present: true}}}
	if err := m.db.CreateJury(ctx, j); err != nil {
		m.t.Fatal(err)
	}
	for _, person := range people {
		jd := &certibloc.JuryDecision{PersonID: person, Certified: true, Reason: "Le jury délivre le titre au vu des blocs."}
		for _, b := range []string{"RNCP38478BC01", "RNCP38478BC02", "RNCP38478BC03", "RNCP38478BC04"} {
			jd.Blocks = append(jd.Blocks, certibloc.BlockVerdict{Block: b, Validated: true, Route: certibloc.VAE, Reason: "Dossier et oral favorables."})
		}
		if err := m.db.DecideCandidate(ctx, j.ID, jd); err != nil {
			m.t.Fatal(err)
		}
	}
	if err := m.db.CloseJury(ctx, j.ID, func(*certibloc.Minutes) ([]byte, error) { return []byte("PV"), nil }); err != nil {
		m.t.Fatal(err)
	}
	return j.ID, people
}

// sentFile exports a new holder jury and returns the report of the Caisse
// accepting its passage.
func (m *matrix) sentFile() string {
	j, person := m.holderJury()
	ctx := certibloc.WithPrincipal(m.t.Context(), m.certifierCtx())
	files, err := m.db.ExportAccrochage(ctx, sqldb.AccrochageScope{JuryID: j}, &cdc.Export{Now: time.Now(),
		Open: func(string) (io.WriteCloser, error) { return nopWriteCloser{io.Discard}, nil }})
	if err != nil {
		m.t.Fatal(err)
	}
	var b bytes.Buffer
	if err := cdc.WriteReport(&b, &cdc.Report{IDFlux: files[0].IDFlux, IDTraitement: "1", OK: []string{fmt.Sprintf("certibloc-RNCP38478-%d", person)}}); err != nil {
		m.t.Fatal(err)
	}
	return b.String()
}

// keptExport exports a new holder jury through a writer that can read its
// file back, so that the export is kept, and returns the export's id.
func (m *matrix) keptExport() int64 {
	j, _ := m.holderJury()
	ctx := certibloc.WithPrincipal(m.t.Context(), m.certifierCtx())
	w := &memExport{files: map[string]*bytes.Buffer{}}
	w.Export = cdc.Export{Now: time.Now(), Open: func(id string) (io.WriteCloser, error) {
		w.files[id] = &bytes.Buffer{}
		return nopWriteCloser{w.files[id]}, nil
	}}
	if _, err := m.db.ExportAccrochage(ctx, sqldb.AccrochageScope{JuryID: j}, w); err != nil {
		m.t.Fatal(err)
	}
	list, err := m.db.CDCExports(ctx, 1)
	if err != nil || len(list) == 0 || !list[0].Stored {
		m.t.Fatalf("the export was not kept: %v %+v", err, list)
	}
	return list[0].ID
}

// surveyPath awards a new holder their title and sends them their survey
// six months after the jury, and returns the survey's page, the link of
// the e-mail.
func (m *matrix) surveyPath() string {
	_, person := m.holderJury()
	ctx := certibloc.WithPrincipal(m.t.Context(), m.certifierCtx())
	if _, err := m.db.SendDueSurveys(ctx, "https://certibloc.test", certibloc.DateOf(2028, 1, 2), 0); err != nil {
		m.t.Fatal(err)
	}
	p, err := m.db.Person(ctx, person)
	if err != nil {
		m.t.Fatal(err)
	}
	mails, err := m.db.Outbox(ctx, sqldb.OutboxFilter{All: true, Limit: 1000})
	if err != nil {
		m.t.Fatal(err)
	}
	for _, mail := range mails {
		if mail.To == p.Email {
			if _, link, ok := strings.Cut(mail.Body, "https://certibloc.test"); ok {
				return strings.Fields(link)[0]
			}
		}
	}
	m.t.Fatalf("no survey e-mail to %s", p.Email)
	return ""
}

// memExport is an export to memory that reads its files back.
type memExport struct {
	cdc.Export
	files map[string]*bytes.Buffer
}

func (e *memExport) Content(id string) (io.ReadCloser, error) {
	return io.NopCloser(bytes.NewReader(e.files[id].Bytes())), nil
}

type nopWriteCloser struct{ io.Writer }

func (nopWriteCloser) Close() error { return nil }

// smallFlux is a flux of one passage, as another tool would write it.
func smallFlux(m *matrix) string {
	var b bytes.Buffer
	f := &cdc.Flux{Header: cdc.Header{IDFlux: "autre-outil-1", Horodatage: time.Date(2026, 7, 1, 10, 0, 0, 0, time.FixedZone("", 7200)),
		Emetteur: "AB123CDE", Certificateur: "E564ACB0", Contrat: "2560080000127J"},
		Certifications: []cdc.Certification{{Type: "RNCP", Code: "RNCP38478", Passages: []cdc.Passage{{IDTechnique: "x-1", Obtention: cdc.ParAdmission,
			DonneeCertifiee: true, DateDebutValidite: "2026-06-30", Inscription: cdc.Inscription{ModaliteAcces: cdc.Apprentissage},
			Titulaire: &cdc.Titulaire{NomNaissance: "Martin", Prenom1: "Léa", Annee: 2001, Mois: 3, Jour: 9, Sexe: "F", CodeInsee: "69123"}}}}}}
	if err := cdc.WriteFlux(&b, f); err != nil {
		m.t.Fatal(err)
	}
	return b.String()
}

var accrochageAPIMatrix = map[string]matrixRoute{
	"GET /api/v1/exports/accrochage/check": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
		j, _ := m.holderJury()
		return fmt.Sprintf("/api/v1/exports/accrochage/check?jury=%d", j), ""
	}},
	"POST /api/v1/exports/accrochage": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
		j, _ := m.holderJury()
		return "/api/v1/exports/accrochage", fmt.Sprintf(`{"jury":%d}`, j)
	}},
	"GET /api/v1/exports/accrochage/passages": {ok: 200, own: "admin", call: path("/api/v1/exports/accrochage/passages?from=2027-01-01&to=2027-12-31")},
	"GET /api/v1/exports/accrochage/overdue":  {ok: 200, own: "admin", call: path("/api/v1/exports/accrochage/overdue")},
	"GET /api/v1/exports/accrochage/files":    {ok: 200, own: "admin", call: path("/api/v1/exports/accrochage/files")},
	"GET /api/v1/exports/accrochage/accounts": {ok: 200, own: "admin", call: path("/api/v1/exports/accrochage/accounts")},
	"POST /api/v1/exports/accrochage/reports": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
		return "/api/v1/exports/accrochage/reports", m.sentFile()
	}},
	"PUT /api/v1/certifications/{code}/cdc-account": {ok: 200, own: "admin", call: func(*matrix) (string, string) {
		return "/api/v1/certifications/RNCP38478/cdc-account", `{"client":"E564ACB0","contract":"2560080000127J"}`
	}},
	"GET /api/v1/reports/certifications/{code}/figures": {ok: 200, own: "admin", call: path("/api/v1/reports/certifications/RNCP38478/figures")},
	"GET /api/v1/reports/certifications/{code}/surveys": {ok: 200, own: "admin", call: path("/api/v1/reports/certifications/RNCP38478/surveys")},
	"GET /api/v1/exports/accrochage/archive":            {ok: 200, own: "admin", call: path("/api/v1/exports/accrochage/archive")},
	"GET /api/v1/exports/accrochage/archive/{id}": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
		return fmt.Sprintf("/api/v1/exports/accrochage/archive/%d", m.keptExport()), ""
	}},
	"POST /api/v1/imports/accrochage": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
		return "/api/v1/imports/accrochage", smallFlux(m)
	}},
}

// The staff page of the declarations, the certifier admin's alone.
func init() {
	maps.Copy(webMatrix, map[string]matrixRoute{
		"GET /app/reports/accrochage": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
			j, _ := m.holderJury()
			return fmt.Sprintf("/app/reports/accrochage?jury=%d", j), ""
		}},
		"POST /app/reports/accrochage/export": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
			j, _ := m.holderJury()
			return "/app/reports/accrochage/export", fmt.Sprintf("jury=%d", j)
		}},
		"GET /app/reports/accrochage/exports/{id}": {ok: 200, own: "admin", call: func(m *matrix) (string, string) {
			return fmt.Sprintf("/app/reports/accrochage/exports/%d", m.keptExport()), ""
		}},
		"GET /app/reports/figures":      {ok: 200, own: "admin", call: path("/app/reports/figures?certification=RNCP38478")},
		"GET /app/reports/figures/pack": {ok: 200, own: "admin", call: path("/app/reports/figures/pack?certification=RNCP38478&format=xlsx")},
		// The survey: anyone holding the link, no account needed.
		"GET /surveys/{token}": {ok: 200, own: everyone, call: func(m *matrix) (string, string) { return m.surveyPath(), "" }},
		"POST /surveys/{token}": {ok: 200, own: everyone, call: func(m *matrix) (string, string) {
			return m.surveyPath(), "situation=studying"
		}},
		// A form without its file: the page again, saying so.
		"POST /app/reports/accrochage/report": {call: path("/app/reports/accrochage/report"), ok: 400, own: "admin"},
		"POST /app/reports/accrochage/account": {ok: 303, own: "admin", call: func(*matrix) (string, string) {
			return "/app/reports/accrochage/account", "certification=RNCP38478&client=E564ACB0&contract=2560080000127J"
		}},
	})
}

package rncp

import (
	"archive/zip"
	"fmt"
	"slices"
	"strings"

	"github.com/certibloc/certibloc"
)

// readSide reads a member other than Standard into the fiches it names. A
// line repeated word for word is read once: a block listed twice would
// otherwise make its whole certification invalid.
func readSide(m member, zf *zip.File, fiches map[string]*fiche) error {
	t, err := openTable(zf)
	if err != nil {
		return err
	}
	defer t.Close()
	if err := t.need("Numero_Fiche"); err != nil {
		return err
	}
	seen := map[string]bool{}
	for t.next() {
		code := t.get("Numero_Fiche")
		key := strings.Join(t.rec, "\x00")
		if code == "" || seen[key] {
			continue
		}
		seen[key] = true
		f := fiches[code]
		if f == nil {
			f = &fiche{}
			fiches[code] = f
		}
		addSide(m, t, f)
	}
	return t.err
}

// addSide adds the current line of a side member to its fiche.
func addSide(m member, t *table, f *fiche) {
	switch m {
	case blocs:
		f.blocks = append(f.blocks, block{code: t.get("Bloc_Competences_Code"), title: t.get("Bloc_Competences_Libelle")})
	case certificateurs:
		f.certifiers = append(f.certifiers, certibloc.Certifier{
			SIRET: cleanLine(t.get("Siret_Certificateur")), Name: cleanLine(t.get("Nom_Certificateur"))})
	case nsf:
		f.nsf = append(f.nsf, label(t.get("Nsf_Code"), t.get("Nsf_Intitule")))
	case rome:
		f.rome = append(f.rome, label(t.get("Codes_Rome_Code"), t.get("Codes_Rome_Libelle")))
	case formacode:
		f.formacodes = append(f.formacodes, label(t.get("Formacode_Code"), t.get("Formacode_Libelle")))
	case voies:
		// The CSV lists the open routes only, in words.
		if route := routeOf(t.get("Si_Jury")); route != "" && !slices.ContainsFunc(f.juries, func(j jury) bool { return j.route == route }) {
			f.juries = append(f.juries, jury{route: route, active: "Oui"})
		}
	case ancienneNouvelle:
		if c := t.get("Ancienne_Certification"); c != "" && !slices.Contains(f.previous, c) {
			f.previous = append(f.previous, c)
		}
		if c := t.get("Nouvelle_Certification"); c != "" && !slices.Contains(f.next, c) {
			f.next = append(f.next, c)
		}
	}
}

// routes are the SI_JURY_* routes in the order of the XML, with the words
// by which the CSV names them: "Après un parcours de formation sous statut
// d'élève ou d'étudiant", "En contrat d'apprentissage", "Après un parcours
// de formation continue", "En contrat de professionnalisation", "Par
// candidature individuelle", "Par expérience".
var routes = []struct{ code, words string }{
	{"FI", "statut d"}, {"CA", "apprentissage"}, {"FC", "formation continue"},
	{"CQ", "professionnalisation"}, {"CL", "candidature individuelle"}, {"VAE", "expérience"},
}

// routeOf returns the route code of a VoixdAccès line, or "" for wording
// this reader does not know (it is then left out rather than guessed).
func routeOf(words string) string {
	words = strings.ToLower(words)
	for _, r := range routes {
		if strings.Contains(words, r.words) {
			return r.code
		}
	}
	return ""
}

// readStandard streams the Standard member, one fiche a line.
func readStandard(zf *zip.File, fiches map[string]*fiche, each Callback) error {
	t, err := openTable(zf)
	if err != nil {
		return err
	}
	defer t.Close()
	if err := t.need("Numero_Fiche", "Intitule"); err != nil {
		return err
	}
	for t.next() {
		code := t.get("Numero_Fiche")
		var f fiche // a copy: side data stay as read if a fiche comes twice
		if side := fiches[code]; side != nil {
			f = *side
		}
		f.where = fmt.Sprintf("Standard line %d", t.line)
		fillStandard(&f, t)
		cert, err := f.buildCSV()
		if err := each(code, cert, err); err != nil {
			return err
		}
	}
	return t.err
}

// fillStandard reads the fiche's own fields from the current Standard line.
// Columns bear the names of the XML elements, which the export title-cases;
// those the sample export lacks (Etat_Fiche, Objectifs_Contexte…) are read
// when a fuller export has them.
func fillStandard(f *fiche, t *table) {
	f.code = t.get("Numero_Fiche")
	f.title = t.get("Intitule")
	f.abbreviation = t.get("Abrege_Libelle")
	f.level = t.get("Nomenclature_Europe_Niveau")
	f.state = t.get("Etat_Fiche")
	f.active = t.get("Actif")
	f.registrationType = t.get("Type_Enregistrement")
	f.decision = t.get("Date_Decision")
	f.effect = t.get("Date_Effet")
	f.publication = t.get("Date_De_Publication")
	f.lastJO = t.get("Date_Dernier_Jo")
	f.end = t.get("Date_Fin_Enregistrement")
	f.objectives = t.get("Objectifs_Contexte")
	f.activities = t.get("Activites_Visees")
	f.capacities = t.get("Capacites_Attestees")
	f.sectors = t.get("Secteurs_Activite")
	f.jobs = t.get("Type_Emploi_Accessibles")
	f.legal = t.get("Reglementations_Activites")
	f.prerequisites = t.get("Prerequis_Entree_Formation")
	f.url = t.get("Lien_Url_Description")
}

// buildCSV builds a fiche of the CSV export. Its members list blocks and
// routes in no particular order; they are put in code order (BC01, BC02…)
// and in the XML's route order so that both formats give the same result.
func (f *fiche) buildCSV() (*certibloc.Certification, error) {
	f.blocks = slices.Clone(f.blocks)
	slices.SortStableFunc(f.blocks, func(a, b block) int { return strings.Compare(a.code, b.code) })
	f.juries = slices.Clone(f.juries)
	slices.SortStableFunc(f.juries, func(a, b jury) int { return routeRank(a.route) - routeRank(b.route) })
	return f.build(sourceCSV)
}

// routeRank is the place of a route in the XML order.
func routeRank(code string) int {
	return slices.IndexFunc(routes, func(r struct{ code, words string }) bool { return r.code == code })
}

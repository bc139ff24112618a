package rncp

import (
	"archive/zip"
	"context"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"unsafe"

	"github.com/certibloc/certibloc"
)

// readSide reads a member other than Standard into the fiches it names. A
// line repeated word for word is read once: a block listed twice would
// otherwise make its whole certification invalid. What the side members
// leave in memory is counted in *used, and reading stops past
// maxSideBytes.
func readSide(ctx context.Context, m member, zf *zip.File, fiches map[string]*fiche, used *int64) error {
	t, err := openTable(ctx, zf)
	if err != nil {
		return err
	}
	defer t.Close()
	if err := t.need("Numero_Fiche"); err != nil {
		return err
	}
	seen := map[[16]byte]bool{} // hashes of the lines read, not the lines
	for t.next() {
		code := t.get("Numero_Fiche")
		key := lineHash(t.rec)
		if code == "" || seen[key] {
			continue
		}
		seen[key] = true
		*used += seenCost
		f := fiches[code]
		if f == nil {
			f = &fiche{}
			fiches[strings.Clone(code)] = f
			*used += ficheCost + int64(len(code))
		}
		addSide(m, t, f, used)
		if *used > maxSideBytes {
			return certibloc.Errorf(certibloc.EINVALID,
				"CSV export, member %s, line %d: the side members (blocks, certifiers, NSF, ROME…) take more than %d MB of memory, the most an import may hold; the file looks corrupt",
				t.name, t.line, mb(maxSideBytes))
		}
	}
	return t.err
}

// Estimates of the memory a side line takes beyond its text: a seen hash in
// its map, an item in a fiche's slice, a new fiche in the map.
const (
	seenCost  = 48
	itemCost  = 64
	ficheCost = int64(unsafe.Sizeof(fiche{})) + 64
)

// lineHash hashes a CSV record, its fields kept apart.
func lineHash(rec []string) [16]byte {
	h := fnv.New128a()
	for _, field := range rec {
		h.Write([]byte(field))
		h.Write([]byte{0})
	}
	var sum [16]byte
	h.Sum(sum[:0])
	return sum
}

// addSide adds the current line of a side member to its fiche, counting
// what it keeps in *used.
func addSide(m member, t *table, f *fiche, used *int64) {
	keep := func(col string) string { return t.keep(col, used) }
	*used += itemCost
	switch m {
	case blocs:
		f.blocks = append(f.blocks, block{code: keep("Bloc_Competences_Code"), title: keep("Bloc_Competences_Libelle")})
	case certificateurs:
		f.certifiers = append(f.certifiers, certibloc.Certifier{
			SIRET: cleanLine(keep("Siret_Certificateur")), Name: cleanLine(keep("Nom_Certificateur"))})
	case nsf:
		f.nsf = append(f.nsf, label(keep("Nsf_Code"), keep("Nsf_Intitule")))
	case rome:
		f.rome = append(f.rome, label(keep("Codes_Rome_Code"), keep("Codes_Rome_Libelle")))
	case formacode:
		f.formacodes = append(f.formacodes, label(keep("Formacode_Code"), keep("Formacode_Libelle")))
	case voies:
		// The CSV lists the open routes only, in words.
		if route := routeOf(t.get("Si_Jury")); route != "" && !slices.ContainsFunc(f.juries, func(j jury) bool { return j.route == route }) {
			f.juries = append(f.juries, jury{route: route, active: "Oui"})
		}
	case ancienneNouvelle:
		if c := t.get("Ancienne_Certification"); c != "" && !slices.Contains(f.previous, c) {
			f.previous = append(f.previous, keep("Ancienne_Certification"))
		}
		if c := t.get("Nouvelle_Certification"); c != "" && !slices.Contains(f.next, c) {
			f.next = append(f.next, keep("Nouvelle_Certification"))
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
func readStandard(ctx context.Context, zf *zip.File, fiches map[string]*fiche, each Callback) error {
	t, err := openTable(ctx, zf)
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

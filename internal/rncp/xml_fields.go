package rncp

import (
	"bytes"
	"strings"

	"github.com/certibloc/certibloc"
)

// wanted reports whether a child element of <FICHE> holds anything the
// certification uses. The others — partners, correspondences between
// blocks, promotion statistics, decrees — are skipped whole, which is also
// what keeps their NUMERO_FICHE, ACTIF or BLOC_COMPETENCES out of the fiche.
func wanted(name []byte) bool {
	switch string(name) {
	case "NUMERO_FICHE", "INTITULE", "ETAT_FICHE", "ACTIF", "TYPE_ENREGISTREMENT",
		"DATE_DECISION", "DATE_EFFET", "DATE_DE_PUBLICATION", "DATE_DERNIER_JO", "DATE_FIN_ENREGISTREMENT",
		"OBJECTIFS_CONTEXTE", "ACTIVITES_VISEES", "CAPACITES_ATTESTEES", "SECTEURS_ACTIVITE",
		"TYPE_EMPLOI_ACCESSIBLES", "REGLEMENTATIONS_ACTIVITES", "PREREQUIS_ENTREE_FORMATION",
		"LIEN_URL_DESCRIPTION", "ABREGE", "NOMENCLATURE_EUROPE", "CODES_NSF", "CODES_ROME",
		"FORMACODES", "CERTIFICATEURS", "BLOCS_COMPETENCES",
		"ANCIENNES_CERTIFICATIONS", "NOUVELLES_CERTIFICATIONS":
		return true
	}
	return bytes.HasPrefix(name, []byte("SI_JURY_"))
}

// open starts the repeated element at path, so that the leaves below it
// fill a new entry.
func (f *fiche) open(path []byte) {
	switch string(path) {
	case "CODES_NSF/NSF":
		f.nsf = append(f.nsf, certibloc.Label{})
	case "CODES_ROME/ROME":
		f.rome = append(f.rome, certibloc.Label{})
	case "FORMACODES/FORMACODE":
		f.formacodes = append(f.formacodes, certibloc.Label{})
	case "CERTIFICATEURS/CERTIFICATEUR":
		f.certifiers = append(f.certifiers, certibloc.Certifier{})
	case "BLOCS_COMPETENCES/BLOC_COMPETENCES":
		f.blocks = append(f.blocks, block{})
	default:
		if route, ok := bytes.CutPrefix(path, []byte("SI_JURY_")); ok && len(route) > 0 && bytes.IndexByte(route, '/') < 0 {
			f.juries = append(f.juries, jury{route: string(route)})
		}
	}
}

// set stores the text of the leaf element at path. Leaves at paths nothing
// reads are ignored.
func (f *fiche) set(path, text []byte) {
	switch string(path) {
	case "NUMERO_FICHE":
		code := strings.TrimSpace(string(text))
		if old := strings.TrimSpace(f.code); old != "" && old != code {
			f.err = f.errorf("has two numbers, NUMERO_FICHE %s and %s", old, code)
		}
		f.code = code
	case "INTITULE":
		f.title = string(text)
	case "ETAT_FICHE":
		f.state = string(text)
	case "ACTIF":
		f.active = string(text)
	case "TYPE_ENREGISTREMENT":
		f.registrationType = string(text)
	case "DATE_DECISION":
		f.decision = string(text)
	case "DATE_EFFET":
		f.effect = string(text)
	case "DATE_DE_PUBLICATION":
		f.publication = string(text)
	case "DATE_DERNIER_JO":
		f.lastJO = string(text)
	case "DATE_FIN_ENREGISTREMENT":
		f.end = string(text)
	case "OBJECTIFS_CONTEXTE":
		f.objectives = string(text)
	case "ACTIVITES_VISEES":
		f.activities = string(text)
	case "CAPACITES_ATTESTEES":
		f.capacities = string(text)
	case "SECTEURS_ACTIVITE":
		f.sectors = string(text)
	case "TYPE_EMPLOI_ACCESSIBLES":
		f.jobs = string(text)
	case "REGLEMENTATIONS_ACTIVITES":
		f.legal = string(text)
	case "PREREQUIS_ENTREE_FORMATION":
		f.prerequisites = string(text)
	case "LIEN_URL_DESCRIPTION":
		f.url = string(text)
	case "ABREGE/CODE":
		f.abbreviation = string(text)
	case "NOMENCLATURE_EUROPE/NIVEAU":
		f.level = string(text)
	case "ANCIENNES_CERTIFICATIONS/ANCIENNE_CERTIFICATION/ID_FICHE_ANCIENNE_CERTIFICATION":
		f.previous = appendCode(f.previous, text)
	case "NOUVELLES_CERTIFICATIONS/NOUVELLE_CERTIFICATION/ID_FICHE_NOUVELLE_CERTIFICATION":
		f.next = appendCode(f.next, text)
	default:
		f.setInGroup(path, text)
	}
}

// setInGroup stores the leaves of repeated elements in their last entry.
func (f *fiche) setInGroup(path, text []byte) {
	switch string(path) {
	case "CODES_NSF/NSF/CODE":
		last(f.nsf).Code = cleanLine(string(text))
	case "CODES_NSF/NSF/LIBELLE":
		last(f.nsf).Label = cleanLine(string(text))
	case "CODES_ROME/ROME/CODE":
		last(f.rome).Code = cleanLine(string(text))
	case "CODES_ROME/ROME/LIBELLE":
		last(f.rome).Label = cleanLine(string(text))
	case "FORMACODES/FORMACODE/CODE":
		last(f.formacodes).Code = cleanLine(string(text))
	case "FORMACODES/FORMACODE/LIBELLE":
		last(f.formacodes).Label = cleanLine(string(text))
	case "CERTIFICATEURS/CERTIFICATEUR/SIRET_CERTIFICATEUR":
		last(f.certifiers).SIRET = cleanLine(string(text))
	case "CERTIFICATEURS/CERTIFICATEUR/NOM_CERTIFICATEUR":
		last(f.certifiers).Name = cleanLine(string(text))
	case "BLOCS_COMPETENCES/BLOC_COMPETENCES/CODE":
		last(f.blocks).code = string(text)
	case "BLOCS_COMPETENCES/BLOC_COMPETENCES/LIBELLE":
		last(f.blocks).title = string(text)
	case "BLOCS_COMPETENCES/BLOC_COMPETENCES/LISTE_COMPETENCES":
		last(f.blocks).competencies = string(text)
	case "BLOCS_COMPETENCES/BLOC_COMPETENCES/MODALITES_EVALUATION":
		last(f.blocks).evaluation = string(text)
	default:
		rest, ok := bytes.CutPrefix(path, []byte("SI_JURY_"))
		if !ok {
			return
		}
		route, field, ok := bytes.Cut(rest, []byte("/"))
		if !ok || len(f.juries) == 0 || string(route) != last(f.juries).route {
			return
		}
		switch string(field) {
		case "ACTIF":
			last(f.juries).active = string(text)
		case "COMPOSITION":
			last(f.juries).composition = string(text)
		}
	}
}

// last returns the last entry of s, which open has made sure exists.
func last[T any](s []T) *T { return &s[len(s)-1] }

// appendCode adds a certification code to a list, skipping blanks.
func appendCode(list []string, text []byte) []string {
	if code := strings.TrimSpace(string(text)); code != "" {
		return append(list, code)
	}
	return list
}

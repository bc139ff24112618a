package cdc

import "encoding/xml"

// passage reads a passageCertification: its elements in any order (xsd:all),
// each once, the required ones present.
func (p *parser) passage(ps *Passage) error {
	seen := map[string]bool{}
	err := p.children(seen, func(se xml.StartElement) error {
		switch se.Name.Local {
		case "idTechnique":
			return p.text(se, &ps.IDTechnique)
		case "urlPreuve":
			return p.text(se, &ps.URLPreuve)
		case "libelleOption":
			return p.text(se, &ps.LibelleOption)
		case "obtentionCertification":
			return p.text(se, &ps.Obtention)
		case "donneeCertifiee":
			return p.boolean(se, &ps.DonneeCertifiee)
		case "dateDebutExamen":
			return p.text(se, &ps.DateDebutExamen)
		case "dateFinExamen":
			return p.text(se, &ps.DateFinExamen)
		case "modalitePassageExamen":
			return p.text(se, &ps.ModalitePassageExamen)
		case "codePostalCentreExamen":
			return p.text(se, &ps.CodePostalCentreExamen)
		case "dateDebutValidite":
			return p.text(se, &ps.DateDebutValidite)
		case "dateFinValidite":
			return p.textNil(se, &ps.DateFinValidite, true)
		case "presenceNiveauLangueEuro":
			return p.boolean(se, &ps.PresenceNiveauLangueEuro)
		case "niveauLangueEuropeen":
			return p.text(se, &ps.NiveauLangueEuropeen)
		case "presenceNiveauNumeriqueEuro":
			return p.boolean(se, &ps.PresenceNiveauNumeriqueEuro)
		case "niveauNumeriqueEuropeen":
			ps.NiveauNumerique = &NiveauNumerique{}
			return p.numerique(ps.NiveauNumerique)
		case "scoring":
			return p.textNil(se, &ps.Scoring, true)
		case "mentionValidee":
			return p.textNil(se, &ps.MentionValidee, true)
		case "modalitesInscription":
			return p.inscription(&ps.Inscription)
		case "identificationTitulaire":
			return p.identification(ps)
		case "verbatim":
			return p.text(se, &ps.Verbatim)
		}
		return p.unexpected(se)
	})
	if err != nil {
		return err
	}
	return p.required(seen, "passageCertification "+cut(ps.IDTechnique), "idTechnique", "obtentionCertification", "donneeCertifiee",
		"dateDebutValidite", "dateFinValidite", "presenceNiveauLangueEuro", "presenceNiveauNumeriqueEuro",
		"scoring", "mentionValidee", "modalitesInscription", "identificationTitulaire")
}

func (p *parser) numerique(n *NiveauNumerique) error {
	return p.children(map[string]bool{}, func(se xml.StartElement) error {
		switch se.Name.Local {
		case "scoreGeneral":
			return p.number(se, &n.ScoreGeneral, false)
		case "resultats":
			n.Resultats = []Resultat{}
			return p.children(nil, func(se xml.StartElement) error {
				if se.Name.Local != "resultat" {
					return p.unexpected(se)
				}
				if len(n.Resultats) >= 1000 {
					return p.errf("more than 1000 resultat")
				}
				var r Resultat
				err := p.children(map[string]bool{}, func(se xml.StartElement) error {
					switch se.Name.Local {
					case "niveau":
						return p.number(se, &r.Niveau, false)
					case "domaineCompetenceId":
						return p.text(se, &r.DomaineCompetenceID)
					case "competenceId":
						return p.text(se, &r.CompetenceID)
					}
					return p.unexpected(se)
				})
				n.Resultats = append(n.Resultats, r)
				return err
			})
		}
		return p.unexpected(se)
	})
}

func (p *parser) inscription(in *Inscription) error {
	seen := map[string]bool{}
	err := p.children(seen, func(se xml.StartElement) error {
		switch se.Name.Local {
		case "modaliteAcces":
			return p.textNil(se, &in.ModaliteAcces, true)
		case "voieAccessVAE":
			return p.text(se, &in.VoieAccesVAE)
		case "initiativeInscription":
			return p.text(se, &in.InitiativeInscription)
		case "dateInscription":
			return p.text(se, &in.DateInscription)
		}
		return p.unexpected(se)
	})
	if err != nil {
		return err
	}
	return p.required(seen, "modalitesInscription", "modaliteAcces")
}

// identification reads the choice of titulaire or dossierFormation.
func (p *parser) identification(ps *Passage) error {
	seen := map[string]bool{}
	err := p.children(seen, func(se xml.StartElement) error {
		if len(seen) > 1 {
			return p.errf("identificationTitulaire holds both titulaire and dossierFormation")
		}
		switch se.Name.Local {
		case "titulaire":
			ps.Titulaire = &Titulaire{}
			return p.titulaire(ps.Titulaire)
		case "dossierFormation":
			d := &DossierFormation{}
			ps.Dossier = d
			s2 := map[string]bool{}
			err := p.children(s2, func(se xml.StartElement) error {
				switch se.Name.Local {
				case "idDossier":
					return p.text(se, &d.IDDossier)
				case "nomTitulaire":
					return p.text(se, &d.Nom)
				case "prenom1Titulaire":
					return p.text(se, &d.Prenom)
				}
				return p.unexpected(se)
			})
			if err != nil {
				return err
			}
			return p.required(s2, "dossierFormation", "idDossier", "nomTitulaire", "prenom1Titulaire")
		}
		return p.unexpected(se)
	})
	if err != nil {
		return err
	}
	if len(seen) == 0 {
		return p.errf("identificationTitulaire needs titulaire or dossierFormation")
	}
	return nil
}

func (p *parser) titulaire(t *Titulaire) error {
	seen := map[string]bool{}
	err := p.children(seen, func(se xml.StartElement) error {
		switch se.Name.Local {
		case "nomNaissance":
			return p.text(se, &t.NomNaissance)
		case "nomUsage":
			return p.textNil(se, &t.NomUsage, true)
		case "prenom1":
			return p.text(se, &t.Prenom1)
		case "prenom2":
			return p.text(se, &t.Prenom2)
		case "prenom3":
			return p.text(se, &t.Prenom3)
		case "anneeNaissance":
			return p.number(se, &t.Annee, false)
		case "moisNaissance":
			return p.number(se, &t.Mois, true)
		case "jourNaissance":
			return p.number(se, &t.Jour, true)
		case "sexe":
			return p.text(se, &t.Sexe)
		case "codeCommuneNaissance":
			return p.commune(t)
		case "libelleCommuneNaissance":
			return p.text(se, &t.LibelleCommune)
		case "codePaysNaissance":
			return p.text(se, &t.CodePays)
		case "libellePaysNaissance":
			return p.text(se, &t.LibellePays)
		case "commentairesMEN":
			return p.text(se, &t.CommentairesMEN)
		}
		return p.unexpected(se)
	})
	if err != nil {
		return err
	}
	return p.required(seen, "titulaire", "nomNaissance", "nomUsage", "prenom1", "anneeNaissance",
		"moisNaissance", "jourNaissance", "sexe", "codeCommuneNaissance")
}

// commune reads codeCommuneNaissance: codeInseeNaissance/codeInsee or
// codePostalNaissance/codePostal (nillable), exactly one.
func (p *parser) commune(t *Titulaire) error {
	seen := map[string]bool{}
	err := p.children(seen, func(se xml.StartElement) error {
		if len(seen) > 1 {
			return p.errf("codeCommuneNaissance holds both an INSEE and a postal code")
		}
		var inner string
		var target *string
		nillable := false
		switch se.Name.Local {
		case "codeInseeNaissance":
			inner, target = "codeInsee", &t.CodeInsee
		case "codePostalNaissance":
			inner, target, nillable = "codePostal", &t.CodePostal, true
		default:
			return p.unexpected(se)
		}
		s2 := map[string]bool{}
		err := p.children(s2, func(se xml.StartElement) error {
			if se.Name.Local != inner {
				return p.unexpected(se)
			}
			return p.textNil(se, target, nillable)
		})
		if err != nil {
			return err
		}
		return p.required(s2, se.Name.Local, inner)
	})
	if err != nil {
		return err
	}
	if len(seen) == 0 {
		return p.errf("codeCommuneNaissance needs codeInseeNaissance or codePostalNaissance")
	}
	return nil
}

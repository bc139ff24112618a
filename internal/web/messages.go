package web

// The interface strings of the pages, French first. The data they frame
// (a programme sheet, a referential) stays in the language it was
// published in, French for RNCP titles; the English page says so.
//
// Keys ending in "_f" are formats for fmt.Sprintf. TestMessagesComplete
// checks that both languages have the same keys.
var messages = map[string]map[string]string{
	"fr": {
		"skip":            "Aller au contenu",
		"signin":          "Se connecter",
		"signout":         "Se déconnecter",
		"menu":            "Menu",
		"menu_home":       "Accueil",
		"apply_link":      "Candidater en ligne : créer mon compte candidat",
		"other_lang":      "en",
		"lang_switch":     "English version",
		"toc":             "Sur cette page",
		"site":            "Navigation du site",
		"data_note":       "",
		"programme":       "Fiche programme",
		"updated":         "Mis à jour le",
		"meta_f":          "Fiche programme de la formation %s (%s, niveau %d) – %s : blocs de compétences, évaluations, admission, durée, tarif et contacts.",
		"sec_cert":        "La certification",
		"code":            "Code RNCP",
		"level":           "Niveau",
		"level_f":         "Niveau %d (cadres national et européen des certifications)",
		"nsf":             "Domaine (code NSF)",
		"certifier":       "Certificateur",
		"registered":      "Enregistrement au RNCP",
		"registered_f":    "Décision de France Compétences du %s",
		"end_date":        "Fin d'enregistrement",
		"version":         "Version du référentiel",
		"fc_link_f":       "Fiche %s sur le site de France Compétences",
		"links":           "Pour en savoir plus",
		"sec_objectives":  "Objectifs et contexte",
		"sec_content":     "Contenu de la formation",
		"prepares_f":      "Prépare au bloc %s",
		"sec_blocks":      "Blocs de compétences",
		"blocks_intro":    "Chaque bloc de compétences est évalué à part et peut être acquis séparément.",
		"common":          "Bloc commun",
		"optional":        "Bloc optionnel",
		"competencies":    "Compétences",
		"evaluations":     "Modalités d'évaluation",
		"evaluation_f":    "Évaluation %d",
		"individual":      "épreuve individuelle",
		"team":            "épreuve en équipe",
		"entry":           "Prérequis à l'entrée en formation",
		"one_year":        "Cursus de formation en 1 an",
		"three_year":      "Cursus de formation en 3 ans",
		"any_of":          "l'une des conditions suivantes :",
		"colon":           " :",
		"and_also":        "et, en plus :",
		"requires_pre":    "Avoir validé au préalable le bloc ",
		"requires_post":   ", par la voie de la formation ou de la VAE",
		"block_valid":     "Validation du bloc",
		"valid_one":       "Par la voie de la formation : réussir l'évaluation de ce bloc.",
		"valid_many_f":    "Par la voie de la formation : réussir les %d évaluations de ce bloc.",
		"jobs":            "Métiers visés",
		"sec_obtain":      "Obtenir la certification",
		"obtain_f":        "Le titre complet exige tous les blocs communs et au moins %d des blocs optionnels.",
		"complementary":   "Évaluations complémentaires de la période en entreprise",
		"complementary_n": "Exigées pour l'accès à la certification par la voie de la formation.",
		"sec_duration":    "Durée et rythme",
		"weekly":          "Volume horaire hebdomadaire",
		"hours_one_f":     "%d heure",
		"hours_many_f":    "%d heures",
		"sec_admission":   "Admission",
		"deadline":        "Date limite de dépôt des dossiers",
		"deadline_f":      "%s, chaque année",
		"steps":           "Étapes",
		"sec_methods":     "Méthodes mobilisées",
		"sec_price":       "Tarif",
		"sec_outcomes":    "Secteurs et métiers",
		"sec_legal":       "Références juridiques",
		"sec_results":     "Résultats",
		"result_f":        "Taux de réussite : %s %% des %d candidats présentés au jury en %d.",
		"insertion_f":     "Taux d'insertion à six mois : %s %% des %d titulaires ayant répondu à l'enquête sont en emploi (jurys de %d).",
		"sec_access":      "Accessibilité aux personnes en situation de handicap",
		"sec_contacts":    "Contacts",
		"phone":           "Tél.",
		"email":           "Courriel",
		"social":          "Réseaux sociaux",
		"social_f":        "%s sur %s",
		"footer_f":        "Fiche publiée par %s.",
		"error_f":         "Erreur %d",
		"error_home":      "Retour à la page d'accueil",
	},
	"en": {
		"skip":            "Skip to content",
		"signin":          "Sign in",
		"signout":         "Sign out",
		"menu":            "Menu",
		"menu_home":       "Home",
		"apply_link":      "Apply online: create my candidate account",
		"other_lang":      "fr",
		"lang_switch":     "Version française",
		"toc":             "On this page",
		"site":            "Site navigation",
		"data_note":       "The programme information below is published in French only: this page translates its headings and labels, not the texts of the programme and of the certification.",
		"programme":       "Programme sheet",
		"updated":         "Updated on",
		"meta_f":          "Programme sheet of %s (%s, level %d) – %s: blocks of competencies, assessments, admission, duration, price and contacts (in French).",
		"sec_cert":        "The certification",
		"code":            "RNCP code",
		"level":           "Level",
		"level_f":         "Level %d (French and European qualifications frameworks)",
		"nsf":             "Field (NSF code)",
		"certifier":       "Certifying body",
		"registered":      "Registered in the RNCP",
		"registered_f":    "Decision of France Compétences of %s",
		"end_date":        "Registration ends",
		"version":         "Referential version",
		"fc_link_f":       "%s record on the France Compétences website (in French)",
		"links":           "Further information",
		"sec_objectives":  "Objectives and context",
		"sec_content":     "Course content",
		"prepares_f":      "Prepares for block %s",
		"sec_blocks":      "Blocks of competencies",
		"blocks_intro":    "Each block of competencies is assessed on its own and can be acquired separately.",
		"common":          "Common block",
		"optional":        "Optional block",
		"competencies":    "Competencies",
		"evaluations":     "Assessment",
		"evaluation_f":    "Assessment %d",
		"individual":      "individual",
		"team":            "team work",
		"entry":           "Entry requirements",
		"one_year":        "One-year track",
		"three_year":      "Three-year track",
		"any_of":          "one of the following:",
		"colon":           ":",
		"and_also":        "and also:",
		"requires_pre":    "Block ",
		"requires_post":   " validated first, by training or by VAE (accreditation of prior experience)",
		"block_valid":     "Validating the block",
		"valid_one":       "By training: pass this block's assessment.",
		"valid_many_f":    "By training: pass this block's %d assessments.",
		"jobs":            "Jobs",
		"sec_obtain":      "Obtaining the certification",
		"obtain_f":        "The full title requires all common blocks and at least %d of the optional blocks.",
		"complementary":   "Complementary assessments of the company period",
		"complementary_n": "Required for the training route to the certification.",
		"sec_duration":    "Duration and schedule",
		"weekly":          "Weekly hours",
		"hours_one_f":     "%d hour",
		"hours_many_f":    "%d hours",
		"sec_admission":   "Admission",
		"deadline":        "Application deadline",
		"deadline_f":      "%s (day/month), every year",
		"steps":           "Steps",
		"sec_methods":     "Teaching methods and resources",
		"sec_price":       "Price",
		"sec_outcomes":    "Sectors and jobs",
		"sec_legal":       "Legal framework",
		"sec_results":     "Results",
		"result_f":        "Pass rate: %s%% of the %d candidates who sat the jury in %d.",
		"insertion_f":     "Employment rate at six months: %s%% of the %d holders who answered the survey are employed (juries of %d).",
		"sec_access":      "Accessibility for disabled people",
		"sec_contacts":    "Contacts",
		"phone":           "Phone",
		"email":           "Email",
		"social":          "Social media",
		"social_f":        "%s on %s",
		"footer_f":        "Sheet published by %s.",
		"error_f":         "Error %d",
		"error_home":      "Back to the home page",
	},
}

// statusFR are the French names of the HTTP statuses an error page shows;
// English uses net/http's StatusText.
var statusFR = map[int]string{
	400: "Requête invalide",
	401: "Authentification requise",
	403: "Accès refusé",
	404: "Page introuvable",
	405: "Méthode non autorisée",
	409: "Conflit",
	500: "Erreur interne du serveur",
	503: "Service indisponible",
}

// addMessages adds the interface strings of one area of the site, kept in
// that area's file; a key defined twice is a mistake caught at start-up.
func addMessages(fr, en map[string]string) {
	for lang, msgs := range map[string]map[string]string{"fr": fr, "en": en} {
		for k, v := range msgs {
			if _, dup := messages[lang][k]; dup {
				panic("web: interface string " + k + " defined twice")
			}
			messages[lang][k] = v
		}
	}
}

// InterfaceStrings are the interface strings of a language ("fr" or "en"),
// in no order: the tests that crawl the site make of them the list of
// words that must not appear on a page of the other language.
func InterfaceStrings(lang string) []string {
	out := make([]string, 0, len(messages[lang])+len(statusFR))
	for _, s := range messages[lang] {
		out = append(out, s)
	}
	if lang == "fr" {
		for _, s := range statusFR {
			out = append(out, s)
		}
	}
	return out
}

// singular reports whether a count of n takes the singular in lang: in
// French 0 and 1 do (« 0 candidat », « 1 candidat », « 2 candidats »), in
// English 1 only ("0 candidates", "1 candidate").
func singular(lang string, n int) bool {
	if lang == "fr" {
		return n == 0 || n == 1
	}
	return n == 1
}

// Nf writes a count of n with the noun agreeing: the format key+"_one_f"
// or key+"_many_f" of the page's language (singular), given n, then rest.
// Both formats exist in both languages (TestMessagesComplete); a format
// that shows n elsewhere than first names it %[1]d.
func (p *page) Nf(key string, n int, rest ...any) string {
	form := key + "_many_f"
	if singular(p.Lang, n) {
		form = key + "_one_f"
	}
	return p.Tf(form, append([]any{n}, rest...)...)
}

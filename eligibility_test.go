package certibloc

import (
	"strings"
	"testing"
)

func TestEligibility(t *testing.T) {
	rules := NewRules(testRNCP38478())
	tests := []struct {
		name      string
		applicant Applicant
		eligible  bool
		committee bool
		rule      string
		reasons   []string // substrings, each in some reason
	}{
		{"level 5 enters the one-year track",
			Applicant{Track: OneYear, Level: 5}, true, false, "level5",
			[]string{"Règle « Niveau 5 validé » : remplie (niveau 5 pour 5 exigé).", "Éligible au parcours en 1 an par la règle « Niveau 5 validé »."}},
		{"level 6 is above level 5",
			Applicant{Track: OneYear, Level: 6}, true, false, "level5", nil},
		{"level 4 with 12 months of experience enters subject to the committee's review",
			Applicant{Track: OneYear, Level: 4, ExperienceMonths: 12}, true, true, "level4_experience",
			[]string{
				"Règle « Niveau 5 validé » : non remplie, niveau 4 inférieur au niveau 5 exigé.",
				"remplie (niveau 4 pour 4 exigé, 12 mois d'expérience pour 12), sous réserve de l'avis de la commission d'admission.",
				"Éligible au parcours en 1 an par la règle « Niveau 4 validé avec expérience professionnelle dans le domaine visé d'au moins 1 an, et après étude du dossier de candidature par la commission d'admission », sous réserve de l'étude du dossier de candidature par la commission d'admission.",
			}},
		{"level 4 with 11 months of experience and no ECTS does not enter",
			Applicant{Track: OneYear, Level: 4, ExperienceMonths: 11}, false, false, "none",
			[]string{
				"non remplie, 11 mois d'expérience professionnelle sur les 12 exigés.",
				"Règle « Niveau 4 validé + 120 ECTS attestés » : non remplie, 0 ECTS attestés sur les 120 exigés.",
				"Non éligible au parcours en 1 an : aucune des conditions d'accès n'est remplie.",
			}},
		{"level 4 with 120 ECTS enters without committee review",
			Applicant{Track: OneYear, Level: 4, ECTS: 120}, true, false, "level4_ects",
			[]string{"remplie (niveau 4 pour 4 exigé, 120 ECTS pour 120)."}},
		{"level 4 with 119 ECTS does not enter",
			Applicant{Track: OneYear, Level: 4, ECTS: 119}, false, false, "none",
			[]string{"119 ECTS attestés sur les 120 exigés"}},
		{"level 4 with both experience and ECTS takes the rule without committee review",
			Applicant{Track: OneYear, Level: 4, ExperienceMonths: 14, ECTS: 120}, true, false, "level4_ects",
			[]string{"sous réserve de l'avis de la commission d'admission.", "Éligible au parcours en 1 an par la règle « Niveau 4 validé + 120 ECTS attestés »."}},
		{"level 3 enters no track rule, and every rule says why",
			Applicant{Track: OneYear, Level: 3, ExperienceMonths: 30, ECTS: 180}, false, false, "none",
			[]string{"niveau 3 inférieur au niveau 5 exigé", "niveau 3 inférieur au niveau 4 exigé."}},
		{"level 4 enters the three-year track",
			Applicant{Track: ThreeYear, Level: 4}, true, false, "level4",
			[]string{"Éligible au parcours en 3 ans par la règle « Niveau 4 validé »."}},
		{"level 3 does not enter the three-year track",
			Applicant{Track: ThreeYear, Level: 3}, false, false, "none",
			[]string{"Règle « Niveau 4 validé » : non remplie, niveau 3 inférieur au niveau 4 exigé."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := rules.Eligibility(tt.applicant)
			if err != nil {
				t.Fatalf("Eligibility: %v", err)
			}
			if got.Eligible != tt.eligible || got.CommitteeReview != tt.committee || got.Rule != tt.rule {
				t.Errorf("got eligible %v, committee %v, rule %q; want %v, %v, %q\n%s",
					got.Eligible, got.CommitteeReview, got.Rule, tt.eligible, tt.committee, tt.rule, strings.Join(got.Reasons, "\n"))
			}
			text := strings.Join(got.Reasons, "\n")
			for _, r := range tt.reasons {
				if !strings.Contains(text, r) {
					t.Errorf("reasons lack %q:\n%s", r, text)
				}
			}
			// One line per rule of the track, then the verdict.
			n := 0
			for _, e := range testRNCP38478().EntryRules {
				if e.Track == tt.applicant.Track {
					n++
				}
			}
			if len(got.Reasons) != n+1 {
				t.Errorf("%d reasons, want %d:\n%s", len(got.Reasons), n+1, text)
			}
		})
	}
}

func TestEligibilityFollowsTheOrderOfTheData(t *testing.T) {
	c := testRNCP38478()
	c.EntryRules = []EntryRule{
		{Track: OneYear, Rule: "ects", MinLevel: 4, MinECTS: 60},
		{Track: OneYear, Rule: "level", MinLevel: 4},
		{Track: OneYear, Rule: "review", MinLevel: 3, CommitteeReview: true},
	}
	got, err := NewRules(c).Eligibility(Applicant{Track: OneYear, Level: 4, ECTS: 60})
	if err != nil {
		t.Fatal(err)
	}
	if got.Rule != "ects" || got.CommitteeReview {
		t.Errorf("rule %q (committee %v), want the first rule met: ects", got.Rule, got.CommitteeReview)
	}
	got, _ = NewRules(c).Eligibility(Applicant{Track: OneYear, Level: 3})
	if got.Rule != "review" || !got.CommitteeReview || !got.Eligible {
		t.Errorf("got %+v, want the committee rule when it is the only one met", got)
	}
}

func TestEligibilityRejectsBadInput(t *testing.T) {
	rules := NewRules(testRNCP38478())
	tests := []struct {
		name      string
		applicant Applicant
		want      string
	}{
		{"a negative level", Applicant{Track: OneYear, Level: -1}, "level -1 is not a qualification level"},
		{"a level above 8", Applicant{Track: OneYear, Level: 9}, "level 9 is not a qualification level"},
		{"negative experience", Applicant{Track: OneYear, Level: 4, ExperienceMonths: -3}, "experience_months -3 is negative"},
		{"negative ECTS", Applicant{Track: OneYear, Level: 4, ECTS: -120}, "ects -120 is negative"},
		{"an unknown track", Applicant{Track: "two_year", Level: 5},
			`track "two_year" has no entry rule in certification RNCP38478 (tracks available: one_year, three_year)`},
		{"no track", Applicant{Level: 5}, "track is missing: certification RNCP38478 needs one"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := rules.Eligibility(tt.applicant)
			if ErrorCode(err) != EINVALID {
				t.Fatalf("error = %v (code %q), want %s", err, ErrorCode(err), EINVALID)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error = %q, want it to contain %q", err, tt.want)
			}
		})
	}
	t.Run("a certification without entry rules", func(t *testing.T) {
		_, err := NewRules(testImported()).Eligibility(Applicant{Track: OneYear, Level: 5})
		if ErrorCode(err) != EINVALID || !strings.Contains(err.Error(), `track "one_year" has no entry rule in certification RNCP40000 (it has no entry rule at all)`) {
			t.Errorf("error = %v", err)
		}
	})
}

package sqldb_test

import (
	"context"
	"reflect"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

func sampleCertification() *certibloc.Certification {
	return &certibloc.Certification{
		Code: "RNCP99999", Title: "Titre d'essai", Level: 6, Active: true, Source: "test",
		NSFCodes:     []certibloc.Label{{Code: "326", Label: "Informatique"}},
		Certifiers:   []certibloc.Certifier{{SIRET: "12345678900011", Name: "CERTIFICATEUR"}},
		DecisionDate: certibloc.DateOf(2023, 12, 21),
		Jobs:         []string{"Chef de projet"},
		Blocks: []certibloc.Block{
			{Code: "RNCP99999BC01", Title: "Piloter", Kind: certibloc.Common,
				Competencies: []string{"Analyser", "Concevoir"},
				Evaluations:  []certibloc.Evaluation{{Number: 1, Title: "MSP", Form: certibloc.Individual, Description: "Étude de cas"}}},
			{Code: "RNCP99999BC02", Title: "Option", Kind: certibloc.Optional,
				Competencies: []string{"Déployer"},
				Evaluations: []certibloc.Evaluation{
					{Number: 1, Title: "En équipe", Form: certibloc.Team, Description: "Présentation"},
					{Number: 2, Title: "Seul", Form: certibloc.Individual, Description: "Analyse"}},
				Jobs: []string{"Ingénieur cloud"}},
		},
		EntryRules: []certibloc.EntryRule{{Track: certibloc.OneYear, Rule: "level5", MinLevel: 5, Text: "Niveau 5"}},
		BlockRules: []certibloc.BlockRule{{Track: certibloc.ThreeYear, Block: "RNCP99999BC02", Requires: "RNCP99999BC01"}},
		Validation: &certibloc.ValidationRule{MinOptional: 1, Complementary: []certibloc.Complementary{{Code: "oral_defence", Title: "Soutenance"}}},
	}
}

func TestCertificationVersions(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		c := sampleCertification()
		res, err := db.SaveCertification(ctx, c)
		if err != nil || res.Status != certibloc.Created || res.Version != 1 {
			t.Fatalf("first save = %+v, %v; want created v1", res, err)
		}
		got, err := db.Certification(ctx, c.Code, 0)
		if err != nil {
			t.Fatal(err)
		}
		if diff := certibloc.Changes(c, got); len(diff) > 0 || got.Version != 1 || got.Source != "test" {
			t.Fatalf("read back v%d from %q differs: %v", got.Version, got.Source, diff)
		}
		if !reflect.DeepEqual(got.Validation, c.Validation) || !reflect.DeepEqual(got.Blocks[1], c.Blocks[1]) {
			t.Fatalf("rules or blocks differ: %+v", got)
		}

		res, err = db.SaveCertification(ctx, c)
		if err != nil || res.Status != certibloc.Unchanged || res.Version != 1 {
			t.Fatalf("same save = %+v, %v; want unchanged v1", res, err)
		}

		changed := sampleCertification()
		changed.Blocks[0].Competencies = append(changed.Blocks[0].Competencies, "Planifier")
		changed.Title = "Titre modifié"
		res, err = db.SaveCertification(ctx, changed)
		if err != nil || res.Status != certibloc.Updated || res.Version != 2 {
			t.Fatalf("changed save = %+v, %v; want updated v2", res, err)
		}
		report := strings.Join(res.Changes, "; ")
		if report != "title changed; block RNCP99999BC01: competencies changed (2 → 3)" {
			t.Errorf("changes = %q", report)
		}

		v1, err := db.Certification(ctx, c.Code, 1)
		if err != nil || v1.Title != "Titre d'essai" || len(v1.Blocks[0].Competencies) != 2 {
			t.Errorf("version 1 = %+v, %v; want the first referential kept", v1, err)
		}
		cur, err := db.Certification(ctx, c.Code, 0)
		if err != nil || cur.Version != 2 || cur.Title != "Titre modifié" {
			t.Errorf("current = %+v, %v; want version 2", cur, err)
		}
		hist, err := db.CertificationVersions(ctx, c.Code)
		if err != nil || len(hist) != 2 || !hist[1].Current || hist[0].Current {
			t.Errorf("history = %+v, %v", hist, err)
		}
		list, err := db.Certifications(ctx)
		if err != nil || len(list) != 1 || list[0].Version != 2 || list[0].Blocks != 2 {
			t.Errorf("list = %+v, %v", list, err)
		}
	})
}

func TestCertificationErrors(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.Certification(ctx, "RNCP1", 0); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("unknown code: %v, want not_found", err)
		}
		bad := sampleCertification()
		bad.Blocks[1].Code = bad.Blocks[0].Code
		if _, err := db.SaveCertification(ctx, bad); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("duplicate block: %v, want invalid", err)
		}
		if list, _ := db.Certifications(ctx); len(list) != 0 {
			t.Errorf("an invalid certification was written: %+v", list)
		}
		if _, err := db.SaveCertification(ctx, sampleCertification()); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Certification(ctx, "RNCP99999", 7); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("unknown version: %v, want not_found", err)
		}
	})
}

func TestProgrammesAndTokens(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		p := &certibloc.Programme{Slug: "essai", Title: "Essai", CertificationCode: "RNCP99999",
			School: certibloc.ProgrammeSchool{Code: "ECOLE", Name: "École"}}
		if err := db.SaveProgramme(ctx, p); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("programme of an unknown certification: %v, want invalid", err)
		}
		if _, err := db.SaveCertification(ctx, sampleCertification()); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveProgramme(ctx, p); err != nil {
			t.Fatal(err)
		}
		p.Price = "Sur devis"
		if err := db.SaveProgramme(ctx, p); err != nil {
			t.Fatal(err)
		}
		got, err := db.Programme(ctx, "essai")
		if err != nil || got.Price != "Sur devis" {
			t.Errorf("programme = %+v, %v", got, err)
		}
		if _, err := db.Programme(ctx, "nope"); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("unknown programme: %v", err)
		}

		secret, tok, err := db.CreateToken(ctx, "ci", "admin", "")
		if err != nil {
			t.Fatal(err)
		}
		if got, err := db.Authenticate(ctx, secret); err != nil || got.ID != tok.ID || got.Role != "admin" {
			t.Errorf("authenticate = %+v, %v", got, err)
		}
		if _, err := db.Authenticate(ctx, secret+"x"); certibloc.ErrorCode(err) != certibloc.EUNAUTHORIZED {
			t.Errorf("wrong secret: %v", err)
		}
		if err := db.RevokeToken(ctx, tok.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := db.Authenticate(ctx, secret); certibloc.ErrorCode(err) != certibloc.EUNAUTHORIZED {
			t.Errorf("revoked token still works: %v", err)
		}
		if _, _, err := db.CreateToken(ctx, "x", "root", ""); certibloc.ErrorCode(err) != certibloc.EINVALID {
			t.Errorf("unknown role: %v", err)
		}
	})
}

// TestCertificationKeepsJuryRuleAndCorrespondences: the jury's composition
// rule and the correspondence table of a version are stored with its rules
// and read back, and not kept twice in the details.
func TestCertificationKeepsJuryRuleAndCorrespondences(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := context.Background()
		if _, err := db.SaveCertification(ctx, sampleCertification()); err != nil {
			t.Fatal(err)
		}
		c := sampleCertification()
		c.Title = "Titre révisé"
		c.Correspondences = []certibloc.Correspondence{{FromVersion: 1, From: "RNCP99999BC01", To: "RNCP99999BC01"}}
		c.Jury = &certibloc.JuryRule{Quorum: 4, MinProfessionalPct: 50, MaxTeachingPct: 25, ConflictDeclaration: true}
		if res, err := db.SaveCertification(ctx, c); err != nil || res.Version != 2 {
			t.Fatalf("save = %+v, %v", res, err)
		}
		got, err := db.Certification(ctx, c.Code, 2)
		if err != nil || !reflect.DeepEqual(got.Correspondences, c.Correspondences) || !reflect.DeepEqual(got.Jury, c.Jury) {
			t.Fatalf("read back %+v / %+v, %v", got.Correspondences, got.Jury, err)
		}
		if v1, _ := db.Certification(ctx, c.Code, 1); v1.Jury != nil || v1.Correspondences != nil {
			t.Fatalf("version 1 has %+v / %+v", v1.Jury, v1.Correspondences)
		}
	})
}

// TestEnglishKeptAcrossImports: the English translation is stored with
// the referential; an import from France Compétences (French only) keeps
// it where the French did not change, and importing the same again
// changes nothing.
func TestEnglishKeptAcrossImports(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
		c := sampleCertification()
		c.English = &certibloc.Translation{Title: "Test title", Blocks: []certibloc.BlockTranslation{
			{Code: "RNCP99999BC01", Title: "Manage", Competencies: []string{"Analyse", "Design"}},
			{Code: "RNCP99999BC02", Title: "Option", Competencies: []string{"Deploy"}},
		}}
		if _, err := db.SaveCertification(ctx, c); err != nil {
			t.Fatal(err)
		}
		got, err := db.Certification(ctx, "RNCP99999", 0)
		if err != nil || !reflect.DeepEqual(got.English, c.English) {
			t.Fatalf("stored English %+v (%v)", got.English, err)
		}
		imported := sampleCertification()
		imported.Source, imported.English = "rncp-xml", nil
		imported.Blocks[1].Competencies = []string{"Déployer et superviser"}
		for i, want := range []string{certibloc.Updated, certibloc.Unchanged} {
			res, err := db.SaveCertification(ctx, imported)
			if err != nil || res.Status != want || res.Version != 2 {
				t.Fatalf("import %d: %+v, %v", i+1, res, err)
			}
		}
		got, err = db.Certification(ctx, "RNCP99999", 0)
		if err != nil || got.English == nil || got.English.Title != "Test title" || len(got.English.Blocks) != 1 ||
			got.English.Blocks[0].Code != "RNCP99999BC01" {
			t.Fatalf("after the import, English %+v (%v)", got.English, err)
		}
		if imported.English != nil {
			t.Error("the import given was changed")
		}
	})
}

package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/cdc"
	"github.com/certibloc/certibloc/internal/cdc/cdctest"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// TestExportAccrochageCommand: the command lists the holder missing data
// with the page that corrects it and writes nothing; corrected, it writes
// a file the XSD accepts with a progress bar on stderr; the file reads
// back as another tool's flux, and the Caisse's report applies.
func TestExportAccrochageCommand(t *testing.T) {
	env := map[string]string{"CERTIBLOC_DATA": t.TempDir()}
	ctx := certibloc.WithPrincipal(t.Context(), cliPrincipal)
	db, err := sqldb.Open(ctx, "", env["CERTIBLOC_DATA"])
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	c, err := seed.Certification()
	if err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	_, err = db.SaveCertification(ctx, c)
	must(err)
	must(db.CreateSchool(ctx, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}))
	p := &certibloc.Person{School: "DIIAGE", BirthName: "Lovelace", FirstNames: "Ada", BirthDate: certibloc.DateOf(1995, 12, 10), BirthPlace: "21231"}
	must(db.CreatePerson(ctx, p))
	j := &certibloc.JurySession{Certification: "RNCP38478", Date: certibloc.DateOf(2027, 7, 1), Place: "Dijon", Candidates: []int64{p.ID},
		Members: []certibloc.JuryMember{{Name: "Présidente", Role: certibloc.JuryChair, Present: true},
			{Name: "Pro A", Role: certibloc.JuryProfessional, Present: true}, {Name: "Pro B", Role: certibloc.JuryProfessional, Present: true}}}
	must(db.CreateJury(ctx, j))
	jd := &certibloc.JuryDecision{PersonID: p.ID, Certified: true, Reason: "Le jury délivre le titre au vu des blocs."}
	for _, b := range []string{"RNCP38478BC01", "RNCP38478BC02", "RNCP38478BC03", "RNCP38478BC04"} {
		jd.Blocks = append(jd.Blocks, certibloc.BlockVerdict{Block: b, Validated: true, Route: certibloc.VAE, Reason: "Dossier et oral favorables."})
	}
	must(db.DecideCandidate(ctx, j.ID, jd))
	must(db.CloseJury(ctx, j.ID, func(*certibloc.Minutes) ([]byte, error) { return []byte("PV"), nil }))

	out := filepath.Join(t.TempDir(), "cdc")
	jury := fmt.Sprint(j.ID)
	stdout, _, err := cli(t, env, "export", "accrochage", "--jury", jury, "--out", out)
	if err == nil || !strings.Contains(stdout, "Ada LOVELACE (n° 1) : le sexe (F ou M) manque\t/app/people/1") || !strings.Contains(stdout, "n'a pas de compte à la Caisse des Dépôts") {
		t.Fatalf("export with missing data: %v\n%s", err, stdout)
	}
	if entries, _ := os.ReadDir(out); len(entries) != 0 {
		t.Fatalf("files written despite the problems: %v", entries)
	}
	if stdout, _, err = cli(t, env, "export", "accrochage", "--account", "RNCP38478", "--client", "E564ACB0", "--contract", "2560080000127J"); err != nil {
		t.Fatalf("setting the account: %v %s", err, stdout)
	}
	p.Sex = "F"
	must(db.UpdatePerson(ctx, p))
	stdout, stderr, err := cli(t, env, "export", "accrochage", "--jury", jury, "--out", out)
	if err != nil || !strings.Contains(stderr, "accrochage [==============================] 1/1 100%") || !strings.Contains(stdout, "1 passage(s)") {
		t.Fatalf("export: %v\nstdout %s\nstderr %s", err, stdout, stderr)
	}
	files, _ := filepath.Glob(filepath.Join(out, "*.xml"))
	if len(files) != 1 {
		t.Fatalf("files written: %v", files)
	}
	cdctest.Valid(t, files[0])

	stdout, _, err = cli(t, env, "import", "accrochage", files[0])
	if err != nil || !strings.Contains(stdout, "certibloc-RNCP38478-1\tAda Lovelace\t2027-07-01\tVAE") || !strings.Contains(stdout, "1 passage(s) read") {
		t.Fatalf("reading the file back: %v\n%s", err, stdout)
	}
	id := strings.TrimSuffix(filepath.Base(files[0]), ".xml")
	var rep bytes.Buffer
	must(cdc.WriteReport(&rep, &cdc.Report{IDFlux: id, IDTraitement: "7", OK: []string{"certibloc-RNCP38478-1"}}))
	reportFile := filepath.Join(t.TempDir(), "accuse.xml")
	must(os.WriteFile(reportFile, rep.Bytes(), 0o600))
	if stdout, _, err = cli(t, env, "import", "accrochage-report", reportFile); err != nil || !strings.Contains(stdout, "1 accepted, 0 rejected") {
		t.Fatalf("applying the report: %v %s", err, stdout)
	}
}

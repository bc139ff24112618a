package sqldb_test

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// column is one column of the schema.
type column struct{ table, name string }

// schemaColumns reads every column of every table of the database.
func schemaColumns(t *testing.T, db *sqldb.DB) map[string][]string {
	t.Helper()
	q := `SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`
	if db.Engine() == sqldb.Postgres {
		q = `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()`
	}
	rows, err := db.QueryForGDPRTest(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	tables := map[string][]string{}
	for rows.Next() {
		var c column
		if err := rows.Scan(&c.table, &c.name); err != nil {
			t.Fatal(err)
		}
		tables[c.table] = append(tables[c.table], c.name)
	}
	if len(tables["people"]) == 0 {
		t.Fatalf("schema not read: %v", tables)
	}
	return tables
}

// otherLinks are the tables linked to a person otherwise than by a column
// the test recognises.
var otherLinks = map[string]string{
	"audit_log":        "entity person, disability, account, outbox; actor account N",
	"sign_in_failures": `subject "email:ADDRESS"`,
}

// linkedTables lists the tables that hold data about a person: people, and
// every table with a person_id, …_person_id, account_id, email or
// recipient column, and otherLinks.
func linkedTables(t *testing.T, db *sqldb.DB) []string {
	var linked []string
	for table, cols := range schemaColumns(t, db) {
		if table == "people" || otherLinks[table] != "" || slices.ContainsFunc(cols, func(c string) bool {
			return c == "person_id" || strings.HasSuffix(c, "_person_id") || c == "account_id" || c == "email" || c == "recipient"
		}) {
			linked = append(linked, table)
		}
	}
	slices.Sort(linked)
	return linked
}

// TestGDPRKnowsEveryTable holds the list of personal tables to the schema:
// a new table about people must say how it is exported and erased.
func TestGDPRKnowsEveryTable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		known, _ := sqldb.PersonalTablesForTest()
		for _, table := range linkedTables(t, db) {
			if !slices.Contains(known, table) {
				t.Errorf("table %s holds data about people but the GDPR export and erasure do not know it: add it to personalTables (internal/sqldb/gdpr.go)", table)
			}
		}
		cols := schemaColumns(t, db)
		for _, table := range known {
			if cols[table] == nil {
				t.Errorf("personalTables names %s, which is not a table", table)
			}
		}
	})
}

func TestExportHoldsEveryTable(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := seedEverything(t, db)
		x, err := db.ExportPerson(t.Context(), s.person.ID, sqldb.ExportScope{Disability: true, MailText: true})
		if err != nil {
			t.Fatal(err)
		}
		if x.Person.BirthName != "Quatremare" || x.Disability == nil || x.Disability.Needs != "Dyslexie sévère" || x.DisabilityWithheld {
			t.Errorf("export: person %+v, disability %+v", x.Person, x.Disability)
		}
		for _, table := range linkedTables(t, db) {
			if table == "people" || table == "disabilities" {
				continue // the typed records above
			}
			if len(x.Tables[table]) == 0 {
				t.Errorf("the export holds nothing of table %s, which has rows about the person", table)
			}
		}
		raw, _ := json.Marshal(x)
		for _, secret := range []string{s.passwordHash, s.totpSecret, s.session, "password_hash", "totp_secret", `"hash"`} {
			if strings.Contains(string(raw), secret) {
				t.Errorf("the export holds a secret: %s", secret)
			}
		}
		for _, other := range []string{"Témoin", "zq.1991@diiage.example", "autre@example.net"} {
			if strings.Contains(string(raw), other) {
				t.Errorf("the export holds another person's data: %s", other)
			}
		}
		if got := fmt.Sprint(x.Tables["accounts"][1]["totp_enabled"]); got != "true" {
			t.Errorf("totp_enabled exported as %s", got)
		}

		if !strings.Contains(string(raw), "votre compte est prêt") || !strings.Contains(string(raw), `"disability.set"`) {
			t.Error("the person's own export lacks the text of their e-mails or the history of their disability record")
		}
		x, err = db.ExportPerson(t.Context(), s.person.ID, sqldb.ExportScope{})
		raw, _ = json.Marshal(x)
		if err != nil || x.Disability != nil || !x.DisabilityWithheld || strings.Contains(string(raw), "Dyslexie") || strings.Contains(string(raw), "disability.") ||
			strings.Contains(string(raw), "votre compte est prêt") || len(x.Tables["outbox"]) == 0 {
			t.Errorf("export for staff: %s, %v", raw, err)
		}
	})
}

func TestEraseLeavesNoPersonalValue(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		s := seedEverything(t, db)
		if err := db.ErasePerson(ctx, s.person.ID, "request"); err != nil {
			t.Fatal(err)
		}
		proof := 0
		for _, hit := range scanDatabase(t, db, s.needles) {
			if strings.HasPrefix(hit, "issued_documents.") {
				proof++ // the documents issued keep the name and birth date they print
				continue
			}
			t.Errorf("after erasure, %s", hit)
		}
		if proof == 0 {
			t.Error("erasure took the name off the documents issued, which are the proof of certification")
		}
		// The witness's address differs from one of the person's by a
		// character that LIKE would take a "_" for.
		hits := strings.Join(scanDatabase(t, db, []string{"zq.1991@diiage.example", "Témoin"}), "\n")
		for _, want := range []string{"people.email", "people.birth_name", "sign_in_failures.subject", "outbox.recipient", "outbox.body", "job_files.content"} {
			if !strings.Contains(hits, want) {
				t.Errorf("erasure removed the witness's %s; left:\n%s", want, hits)
			}
		}
		checkErasedExports(t, db, s)
		p, err := db.Person(ctx, s.person.ID)
		if err != nil || p.School != "DIIAGE" || p.ErasedAt == nil || p.BirthName != sqldb.ErasedName {
			t.Fatalf("erased person = %+v, %v", p, err)
		}
		a, err := db.Account(ctx, s.account.ID)
		if err != nil || a.DisabledAt == nil || a.Email != fmt.Sprintf("account-%d@erased.invalid", a.ID) {
			t.Errorf("account after erasure = %+v, %v", a, err)
		}
		trail, err := db.AuditTrail(ctx, "person", fmt.Sprint(p.ID))
		if err != nil || len(trail) < 2 || trail[0].Action != "person.create" || trail[len(trail)-1].Action != "person.erase" {
			t.Errorf("the person's trail after erasure: %+v, %v", trail, err)
		}
		for _, e := range trail {
			if strings.Contains(string(e.Data), "disab") {
				t.Errorf("the person's trail, which staff read, tells of a disability record: %s %s", e.Action, e.Data)
			}
		}
		if _, err := db.VerifyAudit(ctx); err != nil {
			t.Errorf("audit trail broken by erasure: %v", err)
		}
		if err := db.ErasePerson(ctx, p.ID, "request"); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("erasing twice: %v", err)
		}
		if err := db.UpdatePerson(ctx, samplePersonWithID(p.ID)); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("editing an erased person: %v", err)
		}
		if err := db.SetDisability(ctx, &certibloc.Disability{PersonID: p.ID, Needs: "x"}); certibloc.ErrorCode(err) != certibloc.ECONFLICT {
			t.Errorf("a disability record for an erased person: %v", err)
		}
		if err := db.ErasePerson(ctx, 999, "request"); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
			t.Errorf("erasing nobody: %v", err)
		}
	})
}

// checkErasedExports checks what erasure did to the campaign exports of
// seedExports: the file of the person's campaign is gone, its job done
// still, and so is the file of an export that names no campaign; the
// export under way is queued again, with one more attempt, and
// what its worker writes is refused; the other campaign's file stays. The
// erasure's record (its audit entry) names job_files.
func checkErasedExports(t *testing.T, db *sqldb.DB, s *seeded) {
	t.Helper()
	ctx := t.Context()
	if _, err := db.JobFile(ctx, s.export.ID, certibloc.JobOutput); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		t.Errorf("the export of the person's campaign keeps its file after erasure: %v", err)
	}
	if j, err := db.Job(ctx, s.export.ID); err != nil || j.State != certibloc.JobDone {
		t.Errorf("the export job whose file erasure deleted: %+v, %v", j, err)
	}
	if _, err := db.JobFile(ctx, s.unknownExport.ID, certibloc.JobOutput); certibloc.ErrorCode(err) != certibloc.ENOTFOUND {
		t.Errorf("the export whose payload names no campaign keeps its file after erasure: %v", err)
	}
	if _, err := db.JobFile(ctx, s.otherExport.ID, certibloc.JobOutput); err != nil {
		t.Errorf("erasure deleted the export of a campaign the person did not apply to: %v", err)
	}
	j, err := db.Job(ctx, s.runningExport.ID)
	if err != nil || j.State != certibloc.JobQueued || j.LeaseUntil != nil || j.MaxAttempts != s.runningExport.MaxAttempts+1 {
		t.Errorf("the export under way after erasure: %+v, %v; want queued again, with one more attempt", j, err)
	}
	err = db.SaveJobOutput(ctx, s.runningExport.ID, s.runningExport.Attempts, time.Hour,
		certibloc.JobFile{Name: "x.xlsx", ContentType: "x", Content: []byte("Quatremare")}, 1, 1)
	if certibloc.ErrorCode(err) != certibloc.ECONFLICT {
		t.Errorf("the worker of the export under way, which read the applications before erasure, wrote its file: %v", err)
	}
	again, ok, err := db.ClaimJob(ctx, "after", time.Hour, s.runningExport.ID)
	if err != nil || !ok || again.Attempts != s.runningExport.Attempts+1 {
		t.Errorf("the export under way is not claimed again: %+v, %v, %v", again, ok, err)
	}
	trail, err := db.AuditTrail(ctx, "person", fmt.Sprint(s.person.ID))
	if err != nil || len(trail) == 0 {
		t.Fatalf("the person's trail: %v", err)
	}
	if last := string(trail[len(trail)-1].Data); !strings.Contains(last, `"job_files"`) {
		t.Errorf("the erasure's record does not name the export files it deleted: %s", last)
	}
}

func samplePersonWithID(id int64) *certibloc.Person {
	p := samplePerson("DIIAGE", "Nouveau", "Nom")
	p.ID = id
	return p
}

// scanDatabase reads every column of every table and returns where any
// needle is found, in any case and with or without accents.
func scanDatabase(t *testing.T, db *sqldb.DB, needles []string) []string {
	t.Helper()
	var hits []string
	for table := range schemaColumns(t, db) {
		rows, err := db.QueryForGDPRTest(t.Context(), `SELECT * FROM `+table)
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			if err := rows.Scan(ptrs...); err != nil {
				t.Fatal(err)
			}
			for i, v := range vals {
				// A SHA-256 in hexadecimal holds no personal value, but may
				// hold "2a004" (a needle, folded) by chance.
				if c := cols[i]; c == "hash" || c == "prev_hash" || c == "sha256" {
					continue
				}
				if b, ok := v.([]byte); ok {
					v = string(b)
				}
				text := foldForTest(fmt.Sprint(v))
				for _, n := range needles {
					if strings.Contains(text, foldForTest(n)) {
						hits = append(hits, fmt.Sprintf("%s.%s holds %q", table, cols[i], n))
					}
				}
			}
		}
		rows.Close()
	}
	return hits
}

func foldForTest(s string) string {
	return strings.NewReplacer("é", "e", "è", "e", "ï", "i", "ë", "e").Replace(strings.ToLower(s))
}

// seeded is a person with a row in every table about people, and what
// must not leak of them.
type seeded struct {
	person                   *certibloc.Person
	account                  certibloc.Account
	passwordHash, totpSecret string
	session                  string
	needles                  []string // every personal value stored
	printed                  []string // those a document issued prints, which erasure keeps
	// Campaign exports made by jobs: one that lists the person, one under
	// way for the same campaign, one of another campaign (seedExports).
	export, runningExport, otherExport, unknownExport *certibloc.Job
}

// seedEverything stores a person with data in every table about people,
// and a witness: another person whose e-mail address differs by one
// character that LIKE would take for a wildcard.
func seedEverything(t *testing.T, db *sqldb.DB) *seeded {
	t.Helper()
	ctx := t.Context()
	withSchools(t, db)
	s := &seeded{passwordHash: "$argon2id$v=19$m=65536,t=1,p=4$c2FsdHNhbHQ$ZmFrZWhhc2g", totpSecret: "JBSWY3DPEHPK3PXP"}
	s.person = mustCreate(t, db, &certibloc.Person{
		School: "DIIAGE", BirthName: "Quatremare", UsageName: "Vauclair-Lysandre", FirstNames: "Zéphyrine Ondine",
		BirthDate: certibloc.DateOf(1991, 7, 23), Sex: "F", BirthPlace: "2A004", BirthCountry: "FR", Nationality: "FR",
		Email: "zephyrine.quatremare@example.org", Phone: "+33 6 98 76 54 32", Address: "12 impasse des Tilleuls, 20000 Ajaccio",
		Level: 5, ECTS: 120, ExperienceMonths: 14,
	})
	witness := mustCreate(t, db, samplePerson("DIIAGE", "Témoin", "Paul"))
	witness.Email = "zq.1991@diiage.example"
	must(t, db.UpdatePerson(ctx, witness))
	s.needles = []string{"Quatremare", "Vauclair", "Lysandre", "Zéphyrine", "Ondine", "1991-07-23", "2A004",
		"98 76 54 32", "impasse des Tilleuls", "zephyrine.quatremare@example.org", "zq_1991@diiage.example",
		"Dyslexie sévère", "Tiers temps majoré", s.passwordHash, s.totpSecret}
	must(t, db.SetDisability(ctx, &certibloc.Disability{PersonID: s.person.ID, Needs: "Dyslexie sévère", Accommodations: "Tiers temps majoré"}))

	var err error
	s.account, err = db.CreateAccount(ctx, certibloc.Account{PersonID: s.person.ID, Email: s.person.Email, Role: certibloc.Candidate})
	must(t, err)
	staff, err := db.CreateAccount(ctx, certibloc.Account{PersonID: s.person.ID, Email: "ZQ_1991@diiage.example",
		Role: certibloc.Evaluator, Schools: []string{"DIIAGE"}})
	must(t, err)
	must(t, db.SetPassword(ctx, s.account.ID, s.passwordHash, ""))
	must(t, db.EnableTOTP(ctx, staff.ID, s.totpSecret, 1))
	s.session, err = db.CreateSession(certibloc.WithPrincipal(ctx, s.account.Principal()), s.account.ID, true)
	must(t, err)
	_, err = db.CreatePasswordReset(ctx, s.account.ID, time.Hour)
	must(t, err)
	must(t, db.RecordSignInFailure(ctx, "email:zephyrine.quatremare@example.org", "ip:192.0.2.1",
		"email:zq_1991@diiage.example", "email:zq.1991@diiage.example"))
	_, err = db.Enqueue(ctx, certibloc.Mail{To: "Zephyrine.Quatremare@example.org", Subject: "Bienvenue Zéphyrine",
		Body: "Bonjour Zéphyrine QUATREMARE,\nvotre compte est prêt.", School: "DIIAGE"})
	must(t, err)
	_, err = db.Enqueue(ctx, certibloc.Mail{To: "Paul Témoin <zq.1991@diiage.example>", Subject: "Bienvenue Paul",
		Body: "Bonjour Paul TÉMOIN", School: "DIIAGE"})
	must(t, err)
	_, err = db.Enqueue(ctx, certibloc.Mail{To: "autre@example.net", Subject: "Autre", Body: "x"})
	must(t, err)
	seedAdmissions(t, db, s) // applications, documents, decisions, enrolments
	seedJuries(t, db, s)     // a closed jury's decision, ledger and title; a seat on another
	seedVAE(t, db, s)        // a candidacy with experience, a proof, a feasibility decision
	seedDocuments(t, db, s)  // a certificate issued: the proof erasure keeps
	seedAccrochage(t, db, s) // the title declared to the Caisse des Dépôts, and its answer
	seedSurveys(t, db, s)    // the insertion survey six months after the jury, answered
	return s
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestGDPRFindsAccentedAddresses: the export and the erasure find the
// sign-in failures and e-mails of a person whose address has accented
// letters, whatever their case as written there (« ÉLODIE.DUPRÉ@… »),
// on SQLite as on PostgreSQL; another person's stay.
func TestGDPRFindsAccentedAddresses(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := t.Context()
		withSchools(t, db)
		p := samplePerson("DIIAGE", "Dupré", "Élodie")
		p.Email = "élodie.dupré@exemple.fr"
		p = mustCreate(t, db, p)
		must(t, db.RecordSignInFailure(ctx, "email:ÉLODIE.DUPRÉ@EXEMPLE.FR", "email:éloïse.dupré@exemple.fr"))
		_, err := db.Enqueue(ctx, certibloc.Mail{To: "Élodie Dupré <Élodie.DUPRÉ@exemple.fr>", Subject: "Bienvenue", Body: "Bonjour", School: "DIIAGE"})
		must(t, err)
		_, err = db.Enqueue(ctx, certibloc.Mail{To: "ÉLOÏSE.DUPRÉ@exemple.fr", Subject: "Autre", Body: "x"})
		must(t, err)
		x, err := db.ExportPerson(ctx, p.ID, sqldb.ExportScope{MailText: true})
		must(t, err)
		if len(x.Tables["sign_in_failures"]) != 1 || len(x.Tables["outbox"]) != 1 {
			t.Errorf("the export holds %d sign-in failure(s) and %d e-mail(s) of the person; want 1 and 1:\n%v\n%v",
				len(x.Tables["sign_in_failures"]), len(x.Tables["outbox"]), x.Tables["sign_in_failures"], x.Tables["outbox"])
		}
		must(t, db.ErasePerson(certibloc.WithPrincipal(ctx, &certibloc.Principal{Role: certibloc.Admin, Label: "cli"}), p.ID, "request"))
		for _, c := range []struct{ q, left string }{
			{`SELECT subject FROM sign_in_failures`, "email:éloïse.dupré@exemple.fr"},
			{`SELECT recipient FROM outbox`, "ÉLOÏSE.DUPRÉ@exemple.fr"},
		} {
			rows, err := db.QueryForGDPRTest(ctx, c.q)
			must(t, err)
			var left []string
			for rows.Next() {
				var s string
				must(t, rows.Scan(&s))
				left = append(left, s)
			}
			rows.Close()
			if len(left) != 1 || left[0] != c.left {
				t.Errorf("after erasure, %s: %q; want only %q", c.q, left, c.left)
			}
		}
	})
}

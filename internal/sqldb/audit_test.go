package sqldb_test

import (
	"strings"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// auditedChanges writes seven entries through real store operations:
// 1 school.create DIIAGE, 2 school.create ESTIA, 3 certification.created,
// 4 token.create, 5 token.create, 6 token.revoke, 7 token.create. Their
// lanes (laneOf): 1 in lane 6, 2 in 7, 3 and 7 in 15, 4 and 6 in 5, 5 in 12.
func auditedChanges(t *testing.T, db *sqldb.DB) {
	t.Helper()
	ctx := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
	for _, code := range []string{"DIIAGE", "ESTIA"} {
		if err := db.CreateSchool(ctx, &certibloc.School{Code: code, Name: "École " + code}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.SaveCertification(ctx, sampleCertification()); err != nil {
		t.Fatal(err)
	}
	_, admin, err := db.CreateToken(ctx, "imports", "admin", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateToken(ctx, "secretariat", "staff", "DIIAGE"); err != nil {
		t.Fatal(err)
	}
	if err := db.RevokeToken(ctx, admin.ID); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateToken(ctx, "jury", "jury", "ESTIA"); err != nil {
		t.Fatal(err)
	}
}

// disableAuditTriggers does what an attacker with direct access to the
// database must do first: the triggers refuse edits and deletions.
func disableAuditTriggers(t *testing.T, db *sqldb.DB) {
	t.Helper()
	stmts := []string{`ALTER TABLE audit_log DISABLE TRIGGER USER`, `ALTER TABLE audit_lanes DISABLE TRIGGER USER`}
	if db.Engine() == sqldb.SQLite {
		stmts = []string{`DROP TRIGGER audit_log_no_update`, `DROP TRIGGER audit_log_no_delete`,
			`DROP TRIGGER audit_lanes_no_delete`, `DROP TRIGGER audit_lanes_forward`}
	}
	for _, q := range stmts {
		if err := db.ExecForAuditTest(t.Context(), q); err != nil {
			t.Fatal(err)
		}
	}
}

func TestAuditTrailIntact(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		head, err := db.VerifyAudit(t.Context())
		if err != nil || head.Entries != 0 || head.LastID != 0 {
			t.Fatalf("empty trail: %+v, %v", head, err)
		}
		auditedChanges(t, db)
		// A change that fails leaves no entry and the chain whole.
		if _, _, err := db.CreateToken(t.Context(), "x", "staff", "NOWHERE"); err == nil {
			t.Fatal("a token for an unknown school was made")
		}
		head, err = db.VerifyAudit(t.Context())
		if err != nil || head.Entries != 7 || head.LastID != 7 || len(head.Hash) != 64 {
			t.Fatalf("VerifyAudit = %+v, %v; want 7 entries ending with entry 7", head, err)
		}
		if _, err := db.VerifyAudit(t.Context(), head.Hash); err != nil {
			t.Errorf("the trail does not contain its own head: %v", err)
		}
		trail, err := db.AuditTrail(t.Context(), "token", "1")
		if err != nil || len(trail) != 2 || trail[0].Action != "token.create" || trail[1].Action != "token.revoke" ||
			trail[0].Actor != "cli" {
			t.Errorf("trail of token 1 = %+v, %v", trail, err)
		}
	})
}

// TestAuditTrailAppendOnly: the database itself refuses to edit or delete
// entries or seals, or to move a lane's head anywhere but one entry
// forward.
func TestAuditTrailAppendOnly(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		auditedChanges(t, db)
		if _, err := db.SealAudit(t.Context()); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{
			`UPDATE audit_log SET action = 'nothing' WHERE id = 3`,
			`DELETE FROM audit_log WHERE id = 7`,
			`DELETE FROM audit_log`,
			`UPDATE audit_lanes SET entries = entries - 1`,
			`UPDATE audit_lanes SET hash = 'x' WHERE lane = 5`,
			`UPDATE audit_lanes SET lane = 3, entries = entries + 1, last_id = last_id + 1 WHERE lane = 5`,
			`DELETE FROM audit_lanes`,
			`UPDATE audit_seals SET heads = ''`,
			`DELETE FROM audit_seals`,
		} {
			if err := db.ExecForAuditTest(t.Context(), q); err == nil || !strings.Contains(err.Error(), "audit") {
				t.Errorf("%s: %v, want refused", q, err)
			}
		}
		if db.Engine() == sqldb.Postgres {
			if err := db.ExecForAuditTest(t.Context(), `TRUNCATE audit_log`); err == nil {
				t.Error("TRUNCATE audit_log was allowed")
			}
		}
		if head, err := db.VerifyAudit(t.Context()); err != nil || head.Entries != 7 {
			t.Errorf("after refused tampering: %+v, %v", head, err)
		}
	})
}

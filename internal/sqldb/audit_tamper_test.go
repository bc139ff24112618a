package sqldb_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// TestAuditTamperingDetected edits and deletes entries with plain SQL, as
// someone with access to the database would after disabling the triggers,
// and wants VerifyAudit to name the first bad entry.
func TestAuditTamperingDetected(t *testing.T) {
	for _, tc := range []struct {
		name   string
		seal   bool // seal the trail before tampering
		sql    []string
		anchor bool     // verify against the head recorded before tampering
		want   []string // in the error
	}{
		{name: "action edited", sql: []string{`UPDATE audit_log SET action = 'token.read' WHERE id = 4`},
			want: []string{"audit entry 4 (token.read of token 1 by cli", "was edited"}},
		{name: "data edited", sql: []string{`UPDATE audit_log SET data = '{"name":"imports","role":"staff"}' WHERE id = 5`},
			want: []string{"audit entry 5 (token.create of token 2", "was edited"}},
		{name: "actor edited", sql: []string{`UPDATE audit_log SET actor = 'token 9' WHERE id = 1`},
			want: []string{"audit entry 1 (school.create of school DIIAGE by token 9", "was edited"}},
		{name: "entry deleted before another of its lane", sql: []string{`DELETE FROM audit_log WHERE id = 3`},
			want: []string{"audit entry 7 (token.create of token 3", "does not follow the entry before it in lane 15 (the start)",
				"the entries before it were deleted"}},
		{name: "entry moved to another lane", sql: []string{`UPDATE audit_log SET lane = 15 WHERE id = 6`},
			want: []string{"lane 5 of the audit trail ends at entry 4 (1 entries) but its head records 2 entries"}},
		{name: "only entry of a lane deleted", sql: []string{`DELETE FROM audit_log WHERE id = 1`},
			want: []string{"lane 6 of the audit trail ends at the start (0 entries) but its head records 1 entries",
				"last entries were deleted"}},
		{name: "last entries deleted", sql: []string{`DELETE FROM audit_log WHERE id >= 6`},
			want: []string{"lane 5 of the audit trail ends at entry 4 (1 entries) but its head records 2 entries",
				"last entries were deleted"}},
		{name: "last entry deleted and head rewound", anchor: true, sql: []string{
			`DELETE FROM audit_log WHERE id = 7`,
			`UPDATE audit_lanes SET entries = 1, last_id = 3, hash = (SELECT hash FROM audit_log WHERE id = 3) WHERE lane = 15`},
			want: []string{"no audit entry or seal has the recorded hash", "rewritten or cut"}},
		{name: "sealed, then last entry deleted and head rewound", seal: true, sql: []string{
			`DELETE FROM audit_log WHERE id = 7`,
			`UPDATE audit_lanes SET entries = 1, last_id = 3, hash = (SELECT hash FROM audit_log WHERE id = 3) WHERE lane = 15`},
			want: []string{"seal 1 records 2 entries in lane 15, which holds fewer", "deleted"}},
		{name: "sealed, then a lane rewritten", seal: true, sql: []string{
			`UPDATE audit_log SET hash = 'x' WHERE id = 5`},
			want: []string{"audit entry 5 (token.create of token 2", "was edited"}},
		{name: "seal edited", seal: true, sql: []string{`ALTER TABLE audit_seals DISABLE TRIGGER USER`,
			`UPDATE audit_seals SET heads = '5 2 ' || (SELECT hash FROM audit_lanes WHERE lane = 5) || '
'`},
			want: []string{"audit seal 1 was edited"}},
		{name: "entry appended by hand", sql: []string{`INSERT INTO audit_log (at, actor, action, entity, entity_id,
			school, data, prev_hash, hash) SELECT at, actor, action, entity, entity_id, school, data, hash, hash
			FROM audit_log WHERE id = 7`},
			want: []string{"audit entry 8 (token.create of token 3", "was edited"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
				auditedChanges(t, db)
				head, err := db.VerifyAudit(t.Context())
				if err != nil {
					t.Fatal(err)
				}
				if tc.seal {
					if _, err := db.SealAudit(t.Context()); err != nil {
						t.Fatal(err)
					}
				}
				disableAuditTriggers(t, db)
				for _, q := range tc.sql {
					if db.Engine() == sqldb.SQLite && strings.HasPrefix(q, "ALTER TABLE audit_seals") {
						q = `DROP TRIGGER audit_seals_no_update`
					}
					if err := db.ExecForAuditTest(t.Context(), q); err != nil {
						t.Fatalf("%s: %v", q, err)
					}
				}
				var anchors []string
				if tc.anchor {
					if _, err := db.VerifyAudit(t.Context()); err != nil {
						t.Errorf("without the recorded head, a cut chain with a rewound head looks sound: %v", err)
					}
					anchors = append(anchors, head.Hash)
				}
				_, err = db.VerifyAudit(t.Context(), anchors...)
				if err == nil {
					t.Fatal("VerifyAudit found nothing wrong")
				}
				for _, w := range tc.want {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("error %q does not say %q", err, w)
					}
				}
			})
		})
	}
}

// TestAuditConcurrentWriters: many transactions writing audited changes at
// once leave one valid chain, every entry in it.
func TestAuditConcurrentWriters(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		const writers, each = 20, 5
		var wg sync.WaitGroup
		errs := make(chan error, writers*each)
		for w := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				ctx := certibloc.WithPrincipal(context.Background(), &certibloc.Principal{Role: certibloc.Admin, Label: fmt.Sprint("writer ", w)})
				for i := range each {
					if _, _, err := db.CreateToken(ctx, fmt.Sprintf("w%d-%d", w, i), "admin", ""); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		head, err := db.VerifyAudit(t.Context())
		if err != nil || head.Entries != writers*each {
			t.Fatalf("after %d concurrent writes: %+v, %v", writers*each, head, err)
		}
	})
}

// TestAuditLanesDoNotDeadlock: transactions that audit two records of
// different lanes, in opposite orders, at once, neither fail nor wait for
// each other for ever: a transaction keeps the first lane it took. The
// entries spread over the lanes and the trail verifies.
func TestAuditLanesDoNotDeadlock(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		ctx := certibloc.WithPrincipal(context.Background(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
		a, b := [2]string{"token", "1"}, [2]string{"token", "2"} // lanes 5 and 12
		var wg sync.WaitGroup
		errs := make(chan error, 200)
		for w := range 10 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					pair := [][2]string{a, b}
					if w%2 == 1 {
						pair = [][2]string{b, a}
					}
					if err := db.AuditForTest(ctx, pair...); err != nil {
						errs <- err
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		head, err := db.VerifyAudit(t.Context())
		if err != nil || head.Entries != 200 {
			t.Fatalf("after 100 transactions of two entries: %+v, %v", head, err)
		}
		sealed, err := db.SealAudit(t.Context())
		if err != nil || sealed != head {
			t.Fatalf("seal = %+v, %v; want the head %+v", sealed, err, head)
		}
		if again, err := db.SealAudit(t.Context()); err != nil || again != head {
			t.Errorf("sealing an unmoved trail = %+v, %v; want the same head", again, err)
		}
		if _, err := db.VerifyAudit(t.Context(), head.Hash); err != nil {
			t.Error(err)
		}
	})
}

func TestRecordTrail(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		auditedChanges(t, db)
		for _, tc := range []struct {
			entity, id, school string
			entries            int
			code               string
		}{
			{entity: "token", id: "2", school: "DIIAGE", entries: 1},
			{entity: "token", id: "1", school: "", entries: 2},
			{entity: "certification", id: "RNCP99999", school: "", entries: 1},
			{entity: "school", id: "ESTIA", school: "ESTIA", entries: 1},
			{entity: "person", id: "404", code: certibloc.ENOTFOUND},
			{entity: "", id: "1", code: certibloc.EINVALID},
		} {
			tr, err := db.RecordTrail(t.Context(), tc.entity, tc.id)
			if tc.code != "" {
				if certibloc.ErrorCode(err) != tc.code {
					t.Errorf("%s %s: %v, want %s", tc.entity, tc.id, err, tc.code)
				}
				continue
			}
			if err != nil || tr.School != tc.school || len(tr.Entries) != tc.entries {
				t.Errorf("%s %s = %+v, %v; want school %q, %d entries", tc.entity, tc.id, tr, err, tc.school, tc.entries)
			}
		}
	})
}

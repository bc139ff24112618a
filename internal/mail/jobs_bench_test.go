package mail

import (
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// BenchmarkMailJobs delivers 500 messages, each its own durable job,
// through a local fake SMTP server, one at a time (Flush):
// what the job machinery (claim, the state written before and after,
// the outcome) costs per message. Run with
//
//	go test -run '^$' -bench MailJobs -benchtime 1x ./internal/mail
func BenchmarkMailJobs(b *testing.B) {
	const n = 500
	for _, engine := range []string{sqldb.SQLite, sqldb.Postgres} {
		b.Run(engine, func(b *testing.B) {
			for b.Loop() {
				b.StopTimer()
				var db *sqldb.DB
				if engine == sqldb.SQLite {
					db = sqldbtest.SQLite(b)
				} else {
					db = sqldbtest.Postgres(b)
				}
				srv := startFakeSMTP(b, false, "")
				m, err := New(db, slog.New(slog.DiscardHandler), fast(srv.addr))
				if err != nil {
					b.Fatal(err)
				}
				for i := range n {
					if _, err := db.Enqueue(b.Context(), certibloc.Mail{To: fmt.Sprintf("c%03d@example.org", i), Subject: "S", Body: "B"}); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
				start := time.Now()
				sent, err := m.Flush(b.Context())
				if err != nil || sent != n {
					b.Fatalf("flushed %d, %v", sent, err)
				}
				b.ReportMetric(float64(n)/time.Since(start).Seconds(), "mails/s")
			}
		})
	}
}

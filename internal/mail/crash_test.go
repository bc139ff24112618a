package mail

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/certibloc/certibloc"
	"github.com/certibloc/certibloc/internal/seed"
	"github.com/certibloc/certibloc/internal/sqldb"
)

// The crash test: a process takes a bulk decision on a few hundred
// applications while its mail worker is stuck on a server that never
// answers, and is killed (SIGKILL) the moment the decision commits. A new
// worker on the same database then delivers every candidate's notice,
// each exactly once: those the dead worker had claimed once its lease
// ends. (It is killed when its worker has claimed some, a few
// milliseconds after the commit.)

const crashApplications = 200

// staffOf is a principal of the school's admissions staff.
func staffOf(ctx context.Context) context.Context {
	return certibloc.WithPrincipal(ctx, &certibloc.Principal{Role: certibloc.Staff, Schools: []string{"DIIAGE"}, Label: "account 1"})
}

// seedSubmitted stores crashApplications submitted applications of as
// many candidates, and returns their ids.
func seedSubmitted(t *testing.T, db *sqldb.DB) []int64 {
	t.Helper()
	ctx := staffOf(t.Context())
	admin := certibloc.WithPrincipal(t.Context(), &certibloc.Principal{Role: certibloc.Admin, Label: "cli"})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(db.CreateSchool(admin, &certibloc.School{Code: "DIIAGE", Name: "DIIAGE"}))
	cert, err := seed.Certification()
	must(err)
	_, err = db.SaveCertification(admin, cert)
	must(err)
	today := db.Today()
	c := &certibloc.Campaign{School: "DIIAGE", CertificationCode: cert.Code, Year: today.Year(), OpensOn: today,
		ClosesOn: certibloc.Date{Time: today.AddDate(0, 3, 0)}, Offers: []certibloc.Offer{{Track: certibloc.OneYear, Mode: certibloc.Initial}}}
	must(db.CreateCampaign(ctx, c))
	var ids []int64
	for i := range crashApplications {
		p := &certibloc.Person{School: "DIIAGE", BirthName: fmt.Sprintf("Crash%03d", i), FirstNames: "Camille",
			BirthDate: certibloc.DateOf(1994, 3, 12), Sex: "F", Nationality: "FR", Email: fmt.Sprintf("crash%03d@example.org", i),
			Level: 5, ECTS: 120, ExperienceMonths: 14}
		must(db.CreatePerson(ctx, p))
		a := &certibloc.Application{CampaignID: c.ID, PersonID: p.ID, Track: certibloc.OneYear, Mode: certibloc.Initial}
		must(db.CreateApplication(ctx, a))
		_, err := db.SubmitApplication(ctx, a.ID, today)
		must(err)
		ids = append(ids, a.ID)
	}
	return ids
}

func TestCrashAfterCommitLosesNoNotice(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crash.db")
	db, err := sqldb.Open(t.Context(), "sqlite:"+path, "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	ids := seedSubmitted(t, db)
	t.Logf("seeded in %s", time.Since(start))
	// The acknowledgements of the submissions go first: what follows is
	// about the decision's notices.
	acks := startFakeSMTP(t, false, "")
	stop := run(t, newMailer(t, db, fast(acks.addr)))
	waitFor(t, "the acknowledgements sent", func() bool { return allSent(t, db) })
	stop()

	// A server that accepts connections and never answers.
	tarpit, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer tarpit.Close()
	go func() {
		var held []net.Conn
		defer func() {
			for _, c := range held {
				c.Close()
			}
		}()
		for {
			c, err := tarpit.Accept()
			if err != nil {
				return
			}
			held = append(held, c)
		}
	}()

	child := exec.Command(os.Args[0], "-test.run=^TestCrashChild$")
	child.Env = append(os.Environ(), "CERTIBLOC_CRASH_DB="+path, "CERTIBLOC_CRASH_SMTP="+tarpit.Addr().String())
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	child.Stderr = os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	lines := bufio.NewScanner(out)
	committed := false
	for lines.Scan() {
		if lines.Text() == "committed" {
			committed = true
			break
		}
	}
	child.Process.Kill() // SIGKILL: no deferred function, no drain
	child.Wait()
	if !committed {
		t.Fatal("the child never committed its decision")
	}
	t.Logf("killed after commit at %s", time.Since(start))
	if n := claimed(db); n == 0 {
		t.Error("the dead worker had claimed no message: the test does not try the end of a lease")
	}

	srv := startFakeSMTP(t, false, "")
	m := newMailer(t, db, fast(srv.addr))
	m.cfg.Lease = time.Second
	run(t, m)
	waitFor(t, "every notice sent", func() bool { return allSent(t, db) })
	t.Logf("delivered at %s", time.Since(start))
	got := srv.received()
	for i := range ids {
		if to := fmt.Sprintf("crash%03d@example.org", i); got[to] != 1 {
			t.Errorf("%s was told %d times", to, got[to])
		}
	}
	if len(got) != len(ids) {
		t.Errorf("%d recipients, want %d", len(got), len(ids))
	}
}

// allSent reports whether every message of the outbox is sent.
func allSent(t *testing.T, db *sqldb.DB) bool {
	list, err := db.Outbox(t.Context(), sqldb.OutboxFilter{All: true, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if m.State != certibloc.MailSent {
			return false
		}
	}
	return len(list) > 0
}

// TestCrashChild is the process TestCrashAfterCommitLosesNoNotice kills.
func TestCrashChild(t *testing.T) {
	path := os.Getenv("CERTIBLOC_CRASH_DB")
	if path == "" {
		t.Skip("the process that TestCrashAfterCommitLosesNoNotice starts and kills")
	}
	ctx := context.Background()
	db, err := sqldb.Open(ctx, "sqlite:"+path, "")
	if err != nil {
		t.Fatal(err)
	}
	c := fast(os.Getenv("CERTIBLOC_CRASH_SMTP"))
	c.Lease = time.Second
	m, err := New(db, slog.New(slog.DiscardHandler), c)
	if err != nil {
		t.Fatal(err)
	}
	go m.Run(ctx)
	list, _, err := db.Applications(ctx, sqldb.ApplicationFilter{Limit: -1})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, a := range list {
		ids = append(ids, a.ID)
	}
	if _, err := db.Decide(staffOf(ctx), ids, certibloc.AdmissionDecision{Kind: certibloc.DecideAdmissible,
		Members: []string{"Michel GIRARD"}}); err != nil {
		t.Fatal(err)
	}
	// Killed once its worker holds messages it will never send.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		if claimed(db) > 0 {
			break
		}
	}
	fmt.Println("committed")
	time.Sleep(time.Minute) // killed before
	t.Error(strings.Repeat("not killed ", 3))
}

// claimed counts the messages a worker holds.
func claimed(db *sqldb.DB) int {
	list, _ := db.Outbox(context.Background(), sqldb.OutboxFilter{All: true, Limit: 1000})
	n := 0
	for _, m := range list {
		if m.State == certibloc.MailSending {
			n++
		}
	}
	return n
}

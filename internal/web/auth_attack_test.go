package web_test

import (
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/certibloc/certibloc/internal/secret"
	"github.com/certibloc/certibloc/internal/server"
	"github.com/certibloc/certibloc/internal/sqldb"
	"github.com/certibloc/certibloc/internal/sqldb/sqldbtest"
)

// parallel posts each browser's form at once, after each loaded its page
// for the form token, and returns the statuses in the browsers' order.
func parallel(t *testing.T, bs []*browser, page, action string, forms []url.Values) ([]int, []string) {
	t.Helper()
	for i, b := range bs {
		_, _, body := b.get(page)
		m := csrfRE.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("GET %s: no form token", page)
		}
		forms[i].Set("csrf", m[1])
	}
	codes, bodies := make([]int, len(bs)), make([]string, len(bs))
	var start, done sync.WaitGroup
	start.Add(1)
	for i, b := range bs {
		done.Go(func() {
			start.Wait()
			codes[i], _, bodies[i] = b.do("POST", action, forms[i])
		})
	}
	start.Done()
	done.Wait()
	return codes, bodies
}

func countCodes(codes []int) map[int]int {
	n := map[int]int{}
	for _, c := range codes {
		n[c]++
	}
	return n
}

// TestParallelWrongPasswordsAreThrottled: forty wrong passwords for one
// account sent at once do not all get checked; the limit of five holds.
func TestParallelWrongPasswordsAreThrottled(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		var bs []*browser
		var forms []url.Values
		for range 40 {
			bs = append(bs, s.browser(t))
			forms = append(forms, url.Values{"email": {"ada@example.org"}, "password": {"a wrong guess"}})
		}
		secret.ResetStats()
		codes, _ := parallel(t, bs, "/signin", "/signin", forms)
		n := countCodes(codes)
		if n[401] > 5 || n[401]+n[429]+n[503] != 40 {
			t.Errorf("40 parallel wrong passwords: %v; want at most 5 checked (401), the rest refused", n)
		}
		if checked := secret.ReadStats().Done; checked > 5 {
			t.Errorf("%d password checks for 40 parallel attempts on one account, want at most 5", checked)
		}
		// Attempts refused as busy were given back: what is left of the five
		// can be tried, no more; then even the right password is refused.
		checked := n[401]
		for range 6 {
			if code, _, _ := s.browser(t).signIn("ada@example.org", "a wrong guess"); code == 401 {
				checked++
			}
		}
		if checked != 5 {
			t.Errorf("%d wrong passwords checked in all (%v at once), want 5", checked, n)
		}
		if code, _, _ := s.browser(t).signIn("ada@example.org", password("ada@example.org")); code != 429 {
			t.Errorf("right password after the flood: %d, want 429", code)
		}
	})
}

// TestPasswordChecksAreBounded: many sign-ins at once never run more
// argon2id checks together than there are slots; the excess is told to
// come back (503 with Retry-After) in the page's language, at once.
func TestPasswordChecksAreBounded(t *testing.T) {
	s := newAuthSite(t, sqldbtest.SQLite(t))
	defer func(d time.Duration) { secret.SlotWait = d }(secret.SlotWait)
	secret.SlotWait = 50 * time.Millisecond
	var bs []*browser
	var forms []url.Values
	for i := range 80 {
		b := s.browser(t)
		b.ip = fmt.Sprintf("198.51.100.%d", i) // no address limit in the way
		bs = append(bs, b)
		forms = append(forms, url.Values{"email": {fmt.Sprintf("visitor%d@example.org", i)}, "password": {"a guess"}})
	}
	secret.ResetStats()
	started := time.Now()
	codes, bodies := parallel(t, bs, "/signin?lang=en", "/signin?lang=en", forms)
	n, st := countCodes(codes), secret.ReadStats()
	if st.Peak > secret.Slots || n[503] == 0 || n[401]+n[503] != 80 {
		t.Errorf("80 parallel sign-ins: %v, %d checks at most at once (bound %d)", n, st.Peak, secret.Slots)
	}
	if took := time.Since(started); took > 10*time.Second {
		t.Errorf("80 sign-ins took %v", took)
	}
	i := slices.Index(codes, 503)
	if i < 0 {
		return
	}
	if bs[i].last.Header.Get("Retry-After") == "" || !strings.Contains(text(bodies[i]), "very busy") {
		t.Errorf("503 with Retry-After %q:\n%s", bs[i].last.Header.Get("Retry-After"), text(bodies[i]))
	}
	// The refused attempt was given back: it does not count as a failure.
	if got, _ := s.db.SignInFailures(t.Context(), "email:"+forms[i].Get("email"), time.Now().Add(-time.Hour)); got != 0 {
		t.Errorf("a refused attempt counts as %d failures", got)
	}
}

// TestTOTPFailuresSurviveThePasswordStep: wrong codes are not forgiven by
// signing in again with the password; after five, even the right code is
// refused, and the second factor stays locked.
func TestTOTPFailuresSurviveThePasswordStep(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		s := newAuthSite(t, db)
		const key = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
		if err := db.EnableTOTP(t.Context(), s.cand.ID, key, 0); err != nil {
			t.Fatal(err)
		}
		wrong := func(b *browser, n int) {
			for range n {
				if code, _, _ := b.submit("/signin/totp", "/signin/totp", url.Values{"code": {"123456"}}); code != 401 {
					t.Fatalf("wrong code: %d", code)
				}
			}
		}
		b := s.browser(t)
		b.signIn("ada@example.org", password("ada@example.org"))
		wrong(b, 4)
		// Signing in again with the right password does not start over.
		b = s.browser(t)
		if _, loc, _ := b.signIn("ada@example.org", password("ada@example.org")); !strings.HasPrefix(loc, "/signin/totp") {
			t.Fatalf("password step again: %s", loc)
		}
		wrong(b, 1)
		code, _, body := b.submit("/signin/totp", "/signin/totp", url.Values{"code": {totpNow(t, key, 0)}})
		if code != 429 || !strings.Contains(text(body), "double authentification de ce compte est bloquée") {
			t.Errorf("right code after 5 wrong ones across two password steps: %d\n%s", code, text(body))
		}
		// A new browser, a new address, the password again: still locked.
		b2 := s.browser(t)
		b2.ip = "203.0.113.9"
		b2.signIn("ada@example.org", password("ada@example.org"))
		if code, _, _ := b2.submit("/signin/totp", "/signin/totp", url.Values{"code": {totpNow(t, key, 0)}}); code != 429 {
			t.Errorf("locked second factor from elsewhere: %d", code)
		}
		// The administrator's reset of a lost second factor lifts the lock.
		if err := db.ResetTOTP(t.Context(), s.cand.ID); err != nil {
			t.Fatal(err)
		}
		if n, _ := db.SignInFailures(t.Context(), "totp:ada@example.org", time.Now().Add(-time.Hour)); n != 0 {
			t.Errorf("%d wrong codes still counted after the reset", n)
		}
	})
}

// TestSignUpRace: sign-ups with the same address at once all get the same
// answer, and make one person and one account.
func TestSignUpRace(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		log := slog.New(slog.DiscardHandler)
		if err := server.LoadDefaults(t.Context(), db, log); err != nil {
			t.Fatal(err)
		}
		h, err := server.New(db, log)
		if err != nil {
			t.Fatal(err)
		}
		s := &site{h: h, db: db}
		var bs []*browser
		var forms []url.Values
		for i := range 8 {
			b := s.browser(t)
			b.ip = fmt.Sprintf("192.0.2.%d", 100+i)
			bs = append(bs, b)
			forms = append(forms, url.Values{"birth_name": {"Petit"}, "first_names": {"Léa"}, "birth_date": {"2002-03-04"},
				"email": {"lea.petit@example.org"}, "level": {"4"}, "ects": {"0"}, "experience_months": {"14"}})
		}
		codes, _ := parallel(t, bs, "/signup", "/signup", forms)
		if n := countCodes(codes); n[200] != 8 {
			t.Errorf("8 parallel sign-ups with one address: %v, want 8 × 200", n)
		}
		accounts, err := db.Accounts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		people, err := db.People(t.Context(), sqldb.PeopleFilter{})
		if err != nil {
			t.Fatal(err)
		}
		nPeople := 0
		for _, p := range people.People {
			if p.Email == "lea.petit@example.org" {
				nPeople++
			}
		}
		if len(accounts) != 1 || nPeople != 1 {
			t.Errorf("%d accounts and %d people for one address", len(accounts), nPeople)
		}
	})
}

// TestForgotPasswordTakesTheSameTime: an address with an account and one
// without are answered after the same floor, whatever the work behind.
func TestForgotPasswordTakesTheSameTime(t *testing.T) {
	s := newAuthSite(t, sqldbtest.SQLite(t))
	b := s.browser(t)
	_, _, page := b.get("/password/forgot")
	token := csrfRE.FindStringSubmatch(page)[1]
	var known, unknown []time.Duration
	for i := range 5 {
		for email, to := range map[string]*[]time.Duration{fmt.Sprintf("nobody%d@example.org", i): &unknown, "ada@example.org": &known} {
			start := time.Now()
			if code, _, _ := b.do("POST", "/password/forgot", url.Values{"csrf": {token}, "email": {email}}); code != 200 {
				t.Fatalf("forgot %s: %d", email, code)
			}
			*to = append(*to, time.Since(start))
		}
	}
	slices.Sort(known)
	slices.Sort(unknown)
	// Each answer waits for the floor; the medians differ by far less than
	// the work of a link did before (generous, for a busy machine).
	if unknown[0] < 150*time.Millisecond || known[0] < 150*time.Millisecond {
		t.Errorf("fastest answers: %v with an account, %v without; want both after the floor", known[0], unknown[0])
	}
	if k, u := known[2], unknown[2]; k > u*3/2+50*time.Millisecond || u > k*3/2+50*time.Millisecond {
		t.Errorf("median answers: %v with an account, %v without", k, u)
	}
}

// TestSignedInAnonymousForms: the forms that visitors use (forgotten
// password) still work for someone signed in: they carry the session's
// token, the only one that counts then.
func TestSignedInAnonymousForms(t *testing.T) {
	s := newAuthSite(t, sqldbtest.SQLite(t))
	b := s.browser(t)
	b.signIn("ada@example.org", password("ada@example.org"))
	if code, _, _ := b.submit("/password/forgot", "/password/forgot", url.Values{"email": {"ada@example.org"}}); code != 200 {
		t.Errorf("forgotten password, signed in: %d", code)
	}
}

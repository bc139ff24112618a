package secret

import (
	"encoding/base64"
	"errors"
	"os"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestVerifyIsBounded: no more than Slots checks run at once; a caller
// that finds none free within SlotWait gets ErrBusy.
func TestVerifyIsBounded(t *testing.T) {
	defer func(d time.Duration) { SlotWait = d }(SlotWait)
	SlotWait = 20 * time.Millisecond
	hash := HashPassword("correct horse battery")
	ResetStats()
	var wg sync.WaitGroup
	var mu sync.Mutex
	busy := 0
	for range 4 * Slots {
		wg.Go(func() {
			_, err := Verify(t.Context(), hash, "wrong")
			if errors.Is(err, ErrBusy) {
				mu.Lock()
				busy++
				mu.Unlock()
			} else if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	st := ReadStats()
	if st.Peak > Slots || st.Done+busy != 4*Slots || st.Refused != busy {
		t.Errorf("stats %+v, %d busy, %d slots", st, busy, Slots)
	}
	if ok, err := Verify(t.Context(), hash, "correct horse battery"); !ok || err != nil {
		t.Errorf("a free slot: %v %v", ok, err)
	}
}

// TestLoadKey: the key file is made once, readable by its owner only,
// and read back; the environment wins; a bad key is refused.
func TestLoadKey(t *testing.T) {
	dir := t.TempDir()
	noEnv := func(string) string { return "" }
	k1, from, err := LoadKey(dir, noEnv)
	if err != nil || len(k1) != 32 || from != dir+"/"+KeyFile {
		t.Fatalf("first start: %x %s %v", k1, from, err)
	}
	if fi, err := os.Stat(from); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v %v", fi.Mode(), err)
	}
	if k2, _, err := LoadKey(dir, noEnv); err != nil || string(k2) != string(k1) {
		t.Errorf("second start: another key or %v", err)
	}
	env := func(string) string {
		return base64.StdEncoding.EncodeToString([]byte("0123456789abcdef0123456789abcdef"))
	}
	if k, from, err := LoadKey(dir, env); err != nil || string(k) != "0123456789abcdef0123456789abcdef" || from != "$"+KeyEnv {
		t.Errorf("from the environment: %q %s %v", k, from, err)
	}
	if _, _, err := LoadKey(dir, func(string) string { return "short" }); err == nil {
		t.Error("a bad key was accepted")
	}
}

// TestSealer: a sealed value opens with its key and context only; a value
// stored before sealing reads as it is.
func TestSealer(t *testing.T) {
	s, _ := NewSealer(NewKey())
	v := s.Seal("JBSWY3DPEHPK3PXP", "account 1")
	if got, err := s.Open(v, "account 1"); err != nil || got != "JBSWY3DPEHPK3PXP" || !IsSealed(v) || strings.Contains(v, "JBSWY3DP") {
		t.Errorf("round trip: %q %v (%s)", got, err, v)
	}
	if _, err := s.Open(v, "account 2"); err == nil {
		t.Error("a value opened in another context")
	}
	other, _ := NewSealer(NewKey())
	if _, err := other.Open(v, "account 1"); err == nil {
		t.Error("a value opened with another key")
	}
	if got, err := s.Open("JBSWY3DPEHPK3PXP", "account 1"); err != nil || got != "JBSWY3DPEHPK3PXP" {
		t.Errorf("plain value: %q %v", got, err)
	}
}

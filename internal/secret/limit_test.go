package secret

import (
	"errors"
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

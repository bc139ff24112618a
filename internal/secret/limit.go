package secret

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"time"
)

// An argon2id computation holds Default.Memory (19 MiB) for its whole
// duration, so concurrent ones are bounded: without a bound, eighty
// parallel sign-ins took a server from 44 MB to 1.6 GB. Slots computations
// run at once, one per processor (more would only queue on the CPU while
// each holding its memory); a caller waits at most SlotWait for a slot and
// then gets ErrBusy, which pages answer with 503 and Retry-After.
var (
	Slots    = max(1, runtime.GOMAXPROCS(0))
	SlotWait = 500 * time.Millisecond
)

// ErrBusy is returned when every slot stayed taken for SlotWait.
var ErrBusy = errors.New("secret: too many password checks at once")

var slots struct {
	once sync.Once
	ch   chan struct{}

	mu             sync.Mutex
	inFlight, peak int
	done, refused  int
}

// acquire takes a slot, waiting at most SlotWait or until ctx ends.
func acquire(ctx context.Context) error {
	slots.once.Do(func() { slots.ch = make(chan struct{}, Slots) })
	select {
	case slots.ch <- struct{}{}:
		return taken()
	default:
	}
	t := time.NewTimer(SlotWait)
	defer t.Stop()
	select {
	case slots.ch <- struct{}{}:
	case <-t.C:
		count(func() { slots.refused++ })
		return ErrBusy
	case <-ctx.Done():
		return ctx.Err()
	}
	return taken()
}

// taken counts a slot just taken.
func taken() error {
	count(func() {
		slots.inFlight++
		slots.peak = max(slots.peak, slots.inFlight)
	})
	return nil
}

func release() {
	count(func() { slots.inFlight--; slots.done++ })
	<-slots.ch
}

func count(f func()) {
	slots.mu.Lock()
	f()
	slots.mu.Unlock()
}

// Stats is what the bounded computations did since the last ResetStats:
// how many ran, the most that ran at once, how many were refused.
type Stats struct{ Done, Peak, Refused int }

// ReadStats returns the figures of the bounded computations.
func ReadStats() Stats {
	slots.mu.Lock()
	defer slots.mu.Unlock()
	return Stats{Done: slots.done, Peak: slots.peak, Refused: slots.refused}
}

// ResetStats starts the figures again from zero.
func ResetStats() {
	slots.mu.Lock()
	defer slots.mu.Unlock()
	slots.done, slots.peak, slots.refused = 0, slots.inFlight, 0
}

// Verify is CheckPassword within the bound: ErrBusy when no slot freed in time.
func Verify(ctx context.Context, hash, password string) (bool, error) {
	if err := acquire(ctx); err != nil {
		return false, err
	}
	defer release()
	return CheckPassword(hash, password)
}

// VerifyNothing is CheckNothing within the bound: it spends the time of a
// check, so that an unknown address answers like a wrong password.
func VerifyNothing(ctx context.Context, password string) error {
	if err := acquire(ctx); err != nil {
		return err
	}
	defer release()
	CheckNothing(password)
	return nil
}

// Hash is HashPassword within the bound.
func Hash(ctx context.Context, password string) (string, error) {
	if err := acquire(ctx); err != nil {
		return "", err
	}
	defer release()
	return HashPassword(password), nil
}

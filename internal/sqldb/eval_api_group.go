package sqldb

import (
	"context"
	"database/sql"
	"fmt"
	"sync"

	"github.com/certibloc/certibloc"
)

// Group commit for SQLite's one writer: grades recorded at the same time
// by many evaluators share a transaction. The first caller to find the
// writer idle leads: it takes every call waiting (up to maxGroup), runs
// each in a savepoint of one transaction — a call that fails rolls back
// to its savepoint and fails alone — commits once, and answers them all;
// then it leads the next group, if any. Each call still sees the writes
// of those before it (same transaction), so nothing is lost; and nothing
// is answered before it is committed.

// maxGroup bounds the calls of one transaction.
const maxGroup = 64

// groupCall is one caller's work and its answer.
type groupCall struct {
	ctx  context.Context
	work func(context.Context, *sql.Tx) ([]certibloc.Result, error)
	out  []certibloc.Result
	err  error
	done chan struct{}
}

// groupWriter queues the calls waiting for the writer, and keeps the
// sessions' rows they write to (sessionForWrite).
type groupWriter struct {
	mu       sync.Mutex
	queue    []*groupCall
	leading  bool
	sessions sync.Map // session id → *certibloc.EvalSession
}

// groupWriter returns the writer state of db.
func (db *DB) groupWriter() *groupWriter { return &db.group }

// groupCommit runs work in a transaction shared with the calls waiting
// at the same time, and returns its answer once that transaction commits.
func (db *DB) groupCommit(ctx context.Context, work func(context.Context, *sql.Tx) ([]certibloc.Result, error)) ([]certibloc.Result, error) {
	gw := db.groupWriter()
	c := &groupCall{ctx: ctx, work: work, done: make(chan struct{})}
	gw.mu.Lock()
	gw.queue = append(gw.queue, c)
	lead := !gw.leading
	gw.leading = true
	gw.mu.Unlock()
	if lead {
		db.leadGroups(gw)
	}
	select {
	case <-c.done:
		return c.out, c.err
	case <-ctx.Done():
		// The work may still commit: the caller is gone and will not know.
		return nil, ctx.Err()
	}
}

// leadGroups runs groups of waiting calls until none is left.
func (db *DB) leadGroups(gw *groupWriter) {
	for {
		gw.mu.Lock()
		n := min(len(gw.queue), maxGroup)
		if n == 0 {
			gw.leading = false
			gw.mu.Unlock()
			return
		}
		group := gw.queue[:n:n]
		gw.queue = gw.queue[n:]
		gw.mu.Unlock()
		db.runGroup(group)
	}
}

// runGroup runs calls in one transaction, each in its savepoint.
func (db *DB) runGroup(group []*groupCall) {
	fail := func(err error) {
		for _, c := range group {
			if c.err == nil {
				c.out, c.err = nil, err
			}
		}
	}
	var tx *sql.Tx
	defer func() {
		// A fault in one call must not leave the others waiting for ever.
		if v := recover(); v != nil {
			if tx != nil {
				tx.Rollback()
			}
			fail(fmt.Errorf("recording results: %v", v))
		}
		for _, c := range group {
			close(c.done)
		}
	}()
	// The transaction outlives any one caller: a caller that gives up
	// only abandons its own part.
	ctx := context.WithoutCancel(group[0].ctx)
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		tx = nil
		fail(err)
		return
	}
	for _, c := range group {
		if err := c.ctx.Err(); err != nil {
			c.err = err
			continue
		}
		if _, err := tx.ExecContext(ctx, `SAVEPOINT result`); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
		c.out, c.err = c.work(c.ctx, tx)
		if c.err != nil {
			if _, err := tx.ExecContext(ctx, `ROLLBACK TO result`); err != nil {
				tx.Rollback()
				fail(err)
				return
			}
		}
		if _, err := tx.ExecContext(ctx, `RELEASE result`); err != nil {
			tx.Rollback()
			fail(err)
			return
		}
	}
	if err := tx.Commit(); err != nil {
		fail(err)
	}
}

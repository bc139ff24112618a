// Package binarytest builds the certibloc command and runs it as a real
// process, for the tests that kill it (SIGKILL in the middle of a batch)
// or run several instances side by side.
package binarytest

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
)

// Build builds the certibloc command into the test's temporary directory
// and returns its path; without a go command the test is skipped.
func Build(t testing.TB) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to build certibloc")
	}
	bin := filepath.Join(t.TempDir(), "certibloc")
	cmd := exec.Command(goTool, "build", "-o", bin, "github.com/certibloc/certibloc/cmd/certibloc")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// Process is a certibloc process a test started; Log is its standard
// error.
type Process struct {
	Cmd *exec.Cmd
	Log *Log
}

// Start runs bin with args, env added to the test's environment. A
// process still running at the end of the test is stopped (SIGTERM).
func Start(t testing.TB, bin string, env []string, args ...string) *Process {
	t.Helper()
	p := &Process{Cmd: exec.Command(bin, args...), Log: &Log{}}
	p.Cmd.Env = append(os.Environ(), env...)
	p.Cmd.Stderr = p.Log
	if err := p.Cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if p.Cmd.ProcessState == nil {
			p.Cmd.Process.Signal(syscall.SIGTERM)
			p.Cmd.Wait()
		}
	})
	return p
}

// Pid is the process's id.
func (p *Process) Pid() int { return p.Cmd.Process.Pid }

// Kill kills the process with SIGKILL, as a crash would, and waits for
// its end.
func (p *Process) Kill(t testing.TB) {
	t.Helper()
	if err := p.Cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	p.Cmd.Wait()
}

// Log is what a process (or a server in the test's own) writes while the
// test reads it.
type Log struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *Log) Write(b []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(b)
}

func (l *Log) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// Take is what was written since the last Take, which it clears.
func (l *Log) Take() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.buf.String()
	l.buf.Reset()
	return s
}

// Tail is the end of the log, for a failure message.
func (l *Log) Tail() string {
	s := l.String()
	return s[max(0, len(s)-3000):]
}

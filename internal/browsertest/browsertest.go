// Package browsertest checks pages in real headless Chromium: accessibility
// with axe-core (WCAG 2.0/2.1 A and AA, and best practices), requests to
// third-party hosts, console errors, HTTP status and transferred size.
//
// It drives tools/browser/check.mjs with Node.js and Playwright, one browser
// launch per Check call. Outside CI a missing browser, Node.js or
// tools/browser/node_modules skips the test; with CI=true it fails it.
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// Cookie is set for a page's URL before the page is loaded.
type Cookie struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Action is one step done on a page after it has loaded and before it is
// checked. Do is "click", "fill", "check", "select", "press", "upload" or
// "wait" (until Selector matches, such as what a page's script writes);
// Selector is a Playwright selector such as "#email" or "text=Sign in"; Value
// is the text to fill, the option to select, the key to press or the path of
// the file to put in a file input.
type Action struct {
	Do       string `json:"do"`
	Selector string `json:"selector,omitempty"`
	Value    string `json:"value,omitempty"`
}

// Page is one page to check, named for the failure listing.
type Page struct {
	Name    string   `json:"name"`
	URL     string   `json:"url"`
	Cookies []Cookie `json:"cookies,omitempty"`
	Actions []Action `json:"actions,omitempty"`
	// Viewport is the window's size; nil for the browser's default
	// (1280×720). A phone is 360×740.
	Viewport *Viewport `json:"viewport,omitempty"`
	// Screenshot, when set, is the path of a PNG file the window (not
	// the whole page) is saved to once the actions are done.
	Screenshot string `json:"screenshot,omitempty"`
	// ScreenshotAt, when set, is a selector scrolled to the top of the
	// window before the screenshot.
	ScreenshotAt string `json:"screenshot_at,omitempty"`
}

// Viewport is a window's size in CSS pixels.
type Viewport struct {
	Width  int `json:"width"`
	Height int `json:"height"`
}

// Result is what the browser saw of one page.
type Result struct {
	Name string `json:"name"`
	URL  string `json:"url"`
	// FinalURL is where the page ended up, after redirects and actions.
	FinalURL string `json:"final_url"`
	// Status is the HTTP status of the last main-frame navigation; 0 if none answered.
	Status int `json:"status"`
	// Bytes is the transferred size, headers included, of the final document
	// and all its subresources.
	Bytes int `json:"bytes"`
	// ThirdParty lists every request to a host (host:port) other than the page's own,
	// whether or not it succeeded.
	ThirdParty    []string    `json:"third_party"`
	ConsoleErrors []string    `json:"console_errors"`
	Violations    []Violation `json:"violations"`
	// Overflow is how many CSS pixels the page is wider than the window:
	// 0 when nothing makes the reader scroll sideways.
	Overflow int `json:"overflow"`
	// Error is set when the page could not be loaded, acted on or checked.
	Error string `json:"error"`
}

// Violation is one axe-core rule that failed on a page.
type Violation struct {
	ID      string `json:"id"`
	Impact  string `json:"impact"`
	Help    string `json:"help"`
	HelpURL string `json:"help_url"`
	Nodes   []Node `json:"nodes"`
}

// Node is one element that breaks a rule.
type Node struct {
	Target []string `json:"target"`
	HTML   string   `json:"html"`
}

// ViolationIDs returns the ids of the rules that failed on the page.
func (r Result) ViolationIDs() []string {
	ids := make([]string, len(r.Violations))
	for i, v := range r.Violations {
		ids[i] = v.ID
	}
	return ids
}

// toolchain is where the pieces that Check runs were found.
type toolchain struct {
	chromium string
	node     string
	dir      string // tools/browser
}

// installHint tells a developer how to get what is missing.
const installHint = "install with: apt-get install -y chromium && npm ci --prefix tools/browser (Node.js 20 or later comes with the machine)"

// find locates Chromium, Node.js and tools/browser with its node_modules.
func find() (toolchain, error) {
	var tc toolchain
	var missing []string

	tc.chromium = os.Getenv("CHROMIUM")
	if tc.chromium == "" {
		tc.chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(tc.chromium); err != nil {
		missing = append(missing, "chromium at "+tc.chromium+" (set CHROMIUM to use another)")
	}

	node, err := exec.LookPath("node")
	if err != nil {
		missing = append(missing, "node on PATH")
	}
	tc.node = node

	root, err := moduleRoot()
	if err != nil {
		return tc, err
	}
	tc.dir = filepath.Join(root, "tools", "browser")
	for _, pkg := range []string{"playwright-core", "axe-core"} {
		p := filepath.Join(tc.dir, "node_modules", pkg)
		if _, err := os.Stat(p); err != nil {
			missing = append(missing, p)
		}
	}

	if len(missing) > 0 {
		return tc, fmt.Errorf("browser tests need %s; %s", strings.Join(missing, ", "), installHint)
	}
	return tc, nil
}

// moduleRoot walks up from the working directory to the folder holding go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("browsertest: no go.mod above the working directory")
		}
		dir = parent
	}
}

// Available skips the test when Chromium, Node.js or tools/browser/node_modules
// is missing, saying what to install. When CI is "true" it fails the test
// instead, so that CI never passes without running the browser tests.
func Available(t testing.TB) {
	t.Helper()
	if _, err := find(); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal(err)
			return
		}
		t.Skip(err)
	}
}

// Check loads every page in one headless Chromium and returns what it saw,
// in the order given. It calls Available first.
func Check(t testing.TB, pages ...Page) []Result {
	t.Helper()
	Available(t)
	tc, err := find()
	if err != nil {
		t.Fatal(err)
	}

	job, err := json.Marshal(struct {
		Chromium string `json:"chromium"`
		Pages    []Page `json:"pages"`
	}{tc.chromium, pages})
	if err != nil {
		t.Fatal(err)
	}

	// A guard against a browser that hangs, not a budget: on a machine shared
	// with other test runs, a role of the walk takes minutes.
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, tc.node, "check.mjs")
	cmd.Dir = tc.dir
	cmd.Stdin = bytes.NewReader(job)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("browsertest: node check.mjs: %v\n%s", err, stderr.String())
	}

	var out struct {
		Pages []Result `json:"pages"`
	}
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("browsertest: reading check.mjs output: %v\nstdout: %s\nstderr: %s", err, stdout.String(), stderr.String())
	}
	if len(out.Pages) != len(pages) {
		t.Fatalf("browsertest: asked for %d pages, got %d results", len(pages), len(out.Pages))
	}
	return out.Pages
}

// AssertClean fails the test, with one listing of every problem, if any page
// has an axe violation, a request to a third-party host, a console error, a
// status outside 2xx, a load error, or more than maxBytes transferred.
func AssertClean(t testing.TB, results []Result, maxBytes int) {
	t.Helper()
	var b strings.Builder
	for _, r := range results {
		for _, p := range problems(r, maxBytes) {
			fmt.Fprintf(&b, "%s (%s): %s\n", r.Name, r.URL, p)
		}
	}
	if b.Len() > 0 {
		t.Errorf("browser check found problems:\n%s", b.String())
	}
}

// nodesShown is how many offending elements a violation lists.
const nodesShown = 3

// problems returns one readable line (or a few, for a violation) per problem
// that AssertClean reports for the page.
func problems(r Result, maxBytes int) []string {
	var ps []string
	if r.Error != "" {
		ps = append(ps, "error: "+r.Error)
	}
	if r.Error == "" && (r.Status < 200 || r.Status > 299) {
		ps = append(ps, fmt.Sprintf("HTTP status %d", r.Status))
	}
	if r.Bytes > maxBytes {
		ps = append(ps, fmt.Sprintf("%d bytes transferred, budget %d", r.Bytes, maxBytes))
	}
	for _, u := range r.ThirdParty {
		ps = append(ps, "third-party request: "+u)
	}
	for _, e := range r.ConsoleErrors {
		ps = append(ps, "console error: "+e)
	}
	for _, v := range r.Violations {
		var b strings.Builder
		fmt.Fprintf(&b, "axe %s [%s]: %s (%d elements)", v.ID, v.Impact, v.Help, len(v.Nodes))
		for i, n := range v.Nodes {
			if i == nodesShown {
				fmt.Fprintf(&b, "\n      ... and %d more", len(v.Nodes)-nodesShown)
				break
			}
			fmt.Fprintf(&b, "\n      %s  %s", strings.Join(n.Target, " "), n.HTML)
		}
		ps = append(ps, b.String())
	}
	return ps
}

package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"
)

// TestTablesScrollInTheirOwnBox: on a phone (390 px), no table may push
// the page sideways: each one sits in a box of its own that scrolls
// (.scroll), reachable by the keyboard and named by the table's caption.
func TestTablesScrollInTheirOwnBox(t *testing.T) {
	wrapRE := regexp.MustCompile(`<div class="scroll" role="region" aria-labelledby="([^"]+)" tabindex="0">\s*$`)
	captionRE := regexp.MustCompile(`^<table[^>]*>\s*<caption id="([^"]+)"`)
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		t.Fatal(err)
	}
	tables := 0
	for _, f := range files {
		src, _ := fs.ReadFile(templateFS, f)
		s := string(src)
		for i := strings.Index(s, "<table"); i >= 0; i = next(s, i) {
			tables++
			w := wrapRE.FindStringSubmatch(s[:i])
			c := captionRE.FindStringSubmatch(s[i:])
			switch {
			case w == nil:
				t.Errorf("%s: a table outside a scrolling box <div class=\"scroll\" role=\"region\" …>", f)
			case c == nil || c[1] != w[1]:
				t.Errorf("%s: the scrolling box of a table is not named by its caption (aria-labelledby=%q)", f, w[1])
			}
		}
	}
	if tables < 15 {
		t.Fatalf("found %d tables in the templates", tables)
	}
}

func next(s string, i int) int {
	j := strings.Index(s[i+1:], "<table")
	if j < 0 {
		return -1
	}
	return i + 1 + j
}

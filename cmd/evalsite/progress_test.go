package main

import (
	"strings"
	"testing"
	"time"

	"github.com/evalsite/evalsite/internal/site"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }
func newFakeClock() *fakeClock               { return &fakeClock{t: time.Date(2001, 5, 31, 9, 0, 0, 0, time.UTC)} }
func lines(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '\n' || r == '\r' })
}
func visible(s string) string { return strings.ReplaceAll(s, "\x1b[K", "") }
func (c *fakeClock) stage(p *progress, d time.Duration, name, unit string, total, done int) {
	p.Begin(name, unit, total)
	for i := 1; i <= done; i++ {
		c.advance(d / time.Duration(done+1))
		p.Update(name, i)
	}
	c.advance(d / time.Duration(done+1))
	p.End(name, done, d)
}

// build plays the stages of a build taking about total in all.
func (c *fakeClock) build(p *progress, total time.Duration) {
	step := total / 4
	c.stage(p, step, site.StageRead, "rows", 0, 0)
	c.stage(p, step, site.StageCharts, "charts", 3, 3)
	c.stage(p, step, site.StageDownloads, "files", 0, 0)
	c.stage(p, step, site.StageHugo, "pages", 0, 2)
	p.Close()
}

func TestProgressQuickBuildSaysNothing(t *testing.T) {
	for _, terminal := range []bool{false, true} {
		var b strings.Builder
		c := newFakeClock()
		c.build(newProgress(&b, terminal, c.now), progressAfter/2)
		if b.Len() != 0 {
			t.Errorf("terminal=%v: a build of %s printed %q, want nothing", terminal, progressAfter/2, b.String())
		}
	}
}

func TestProgressPlainLinesWhenNotATerminal(t *testing.T) {
	var b strings.Builder
	c := newFakeClock()
	c.build(newProgress(&b, false, c.now), 4*progressAfter)
	want := "evalsite: reading data: 0 rows in 2.0 s\n" +
		"evalsite: drawing charts: 3 charts in 2.0 s\n" +
		"evalsite: writing downloads: 0 files in 2.0 s\n" +
		"evalsite: writing pages: 2 pages in 2.0 s\n"
	if b.String() != want {
		t.Errorf("progress on a log:\n%q\nwant\n%q", b.String(), want)
	}
}

func TestProgressInPlaceOnATerminal(t *testing.T) {
	var b strings.Builder
	c := newFakeClock()
	c.build(newProgress(&b, true, c.now), 4*progressAfter)
	out := b.String()
	for _, l := range lines(visible(out)) {
		if !strings.HasPrefix(l, "evalsite: ") {
			t.Errorf("line %q does not start with evalsite:", l)
		}
	}
	for _, want := range []string{
		"\revalsite: drawing charts: 2 of 3 charts...",
		"evalsite: drawing charts: 3 charts in 2.0 s\n",
		"\revalsite: writing pages: 1 pages...",
		"evalsite: writing pages: 2 pages in 2.0 s\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("progress on a terminal lacks %q:\n%q", want, out)
		}
	}
	if strings.HasSuffix(out, "...") || strings.HasSuffix(out, "...\x1b[K") {
		t.Errorf("the line in place was left on the terminal after Close: %q", out)
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int]string{0: "0", 999: "999", 1000: "1,000", 10009: "10,009", 1234567: "1,234,567", -1000: "-1,000"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

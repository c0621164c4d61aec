package site_test

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/evalsite/evalsite"
	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/site"
)

// benchSizes are the numbers of agreements of the benchmark table in
// docs/performance.md.
// 10,000 agreements (about 470,000 events) runs only with
// EVALSITE_BENCH_LARGE=1, so that -bench . stays within minutes.
func benchSizes() []int {
	if os.Getenv("EVALSITE_BENCH_LARGE") == "" {
		return []int{20, 1_000}
	}
	return []int{20, 1_000, 10_000}
}

// benchSite makes a site folder with the repository's configuration and
// content and the example data of n agreements in the given format.
func benchSite(b *testing.B, n int, format example.Format) (dir string, rows int) {
	b.Helper()
	dir = b.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "content"), os.DirFS(filepath.Join(repoRoot, "content"))); err != nil {
		b.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join(repoRoot, "hugo.toml"))
	if err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "hugo.toml"), cfg, 0o644); err != nil {
		b.Fatal(err)
	}
	d := example.Generate(example.Config{Agreements: n})
	if err := example.Write(filepath.Join(dir, "data"), d, format); err != nil {
		b.Fatal(err)
	}
	rows = len(d.Agreements) + len(d.Freedoms) + len(d.Events) + len(d.Codings) + len(d.Codebook)
	return dir, rows
}

// stageClock is a slog.Handler that times the stages of a build from the
// messages site.Build logs as each begins, and from the "took" of each
// generated step (charts, downloads, pages...).
type stageClock struct {
	mu        sync.Mutex
	at        map[string]time.Time     // message -> when it was first logged
	steps     map[string]time.Duration // generated step -> how long it took
	firstStep time.Time                // when the first generated step began
}

func newStageClock() *stageClock {
	return &stageClock{at: map[string]time.Time{}, steps: map[string]time.Duration{}}
}

func (c *stageClock) Enabled(context.Context, slog.Level) bool { return true }
func (c *stageClock) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *stageClock) WithGroup(string) slog.Handler            { return c }

func (c *stageClock) Handle(_ context.Context, r slog.Record) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.at[r.Message]; !ok {
		c.at[r.Message] = r.Time
	}
	var step string
	var took time.Duration
	r.Attrs(func(a slog.Attr) bool {
		switch a.Key {
		case "step":
			step = a.Value.String()
		case "took":
			if a.Value.Kind() == slog.KindDuration {
				took = a.Value.Duration()
			}
		}
		return true
	})
	if step != "" {
		c.steps[step] += took
		if start := r.Time.Add(-took); c.firstStep.IsZero() || start.Before(c.firstStep) {
			c.firstStep = start
		}
	}
	return nil
}

// between returns the time from the first message to the second, if both
// were logged.
func (c *stageClock) between(from, to string) (time.Duration, bool) {
	a, okA := c.at[from]
	z, okZ := c.at[to]
	return z.Sub(a), okA && okZ
}

// BenchmarkBuild measures site.Build, the whole build, on the example
// evaluation at 20, 1,000 and 10,000 agreements read from CSV and from
// XLSX, and reports each stage's seconds per build from the build's own log:
// read (ingest), metrics (to the first generated step), each generated step (charts, downloads, pages...)
// and hugo (Hugo rendering and writing the pages, to the site written).
func BenchmarkBuild(b *testing.B) {
	for _, n := range benchSizes() {
		for _, format := range []example.Format{example.CSV, example.XLSX} {
			b.Run(fmt.Sprintf("agreements=%d/format=%s", n, format), func(b *testing.B) {
				root, rows := benchSite(b, n, format)
				out := filepath.Join(b.TempDir(), "public")
				clock := newStageClock()
				opt := site.Options{Root: root, OutDir: out, Theme: evalsite.Theme(), Logger: slog.New(clock)}
				var res *site.Result
				stages := map[string]time.Duration{}
				b.ReportAllocs()
				for b.Loop() {
					clock.at, clock.steps, clock.firstStep = map[string]time.Time{}, map[string]time.Duration{}, time.Time{}
					var err error
					if res, err = site.Build(b.Context(), opt); err != nil {
						b.Fatal(err)
					}
					for name, span := range map[string][2]string{
						"read": {"reading data", "computing metrics"},
						"hugo": {"building pages with hugo", "site written"},
					} {
						if d, ok := clock.between(span[0], span[1]); ok {
							stages[name] += d
						}
					}
					if m, ok := clock.at["computing metrics"]; ok && !clock.firstStep.IsZero() {
						stages["metrics"] += clock.firstStep.Sub(m)
					}
					for step, d := range clock.steps {
						stages[step] += d
					}
				}
				per := float64(b.N)
				for name, d := range stages {
					b.ReportMetric(d.Seconds()/per, name+"-s/op")
				}
				secs := b.Elapsed().Seconds()
				b.ReportMetric(float64(res.Pages), "pages")
				b.ReportMetric(float64(res.Pages)*per/secs, "pages/s")
				b.ReportMetric(float64(rows)*per/secs, "rows/s")
			})
		}
	}
}

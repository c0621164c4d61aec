package site

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
)

// generator turns one evaluation's records and figures into the files of a
// build: a content file per generated page and the shared data in the
// in-memory source tree for Hugo, and charts and downloads written straight
// into the output folder.
//
// Its first fields are given. The rest are set once, before the steps run,
// by figures (the disclosed metrics and their texts), prose (the citations
// this data does not show) and slugOnce; the steps, which run side by side,
// only read them, and hand on what they make as values (the charts' texts to
// the pages, the drawn charts to the caller).
type generator struct {
	ev   Evaluation
	data *ingest.Data
	src  *source
	out  string // the build folder being written
	log  *slog.Logger
	prog Progress // nil hears nothing
	// drawn holds the charts a previous build drew, by the hash of their
	// input, in the same output folder: the preview draws again only what
	// changed. nil in a one-off build.
	drawn map[string]chartMeta

	metrics *metrics.Metrics  // computed from data; disclosed by figures
	sl      *slugs            // URL segments of the records
	figs    map[string]string // figure texts by name, after disclosure control
	unshown map[string]bool   // "file:line:col" of metric citations in text this data does not show
}

// run makes every file of the build, and returns the charts it drew.
func (g *generator) run(ctx context.Context) (drawnCharts, error) {
	if err := g.figures(ctx); err != nil {
		return drawnCharts{}, fmt.Errorf("figures: %w", err)
	}
	// Unknown metric names in the content are the user's to fix: said
	// plainly, every one, before anything is drawn.
	// Conditional words, assertions and words from figures, each true of
	// this data or the build stops here; it also finds the text that this
	// data does not show, whose names the citations check leaves alone.
	if err := g.prose(); err != nil {
		return drawnCharts{}, err
	}
	if err := g.checkCitations(); err != nil {
		return drawnCharts{}, err
	}
	// The steps depend only on the figures and the records, except the
	// pages, which carry their own charts' texts: they run side by side,
	// the pages after the charts. The slugs they share are made first.
	g.slugOnce()
	var drawn drawnCharts
	steps := []struct {
		name string
		fn   func(context.Context) error
	}{
		{"release", named("release", g.release)},
		{"charts+pages", func(ctx context.Context) error {
			var err error
			if drawn, err = g.charts(ctx); err != nil {
				return fmt.Errorf("charts: %w", err)
			}
			if err := g.pages(ctx, drawn.byName); err != nil {
				return fmt.Errorf("pages: %w", err)
			}
			return nil
		}},
		{"tables", named("tables", g.tables)},
		{"downloads", named("downloads", g.downloads)},
	}
	errs := make([]error, len(steps))
	var wg sync.WaitGroup
	for i, s := range steps {
		wg.Go(func() {
			if err := ctx.Err(); err != nil {
				errs[i] = err
				return
			}
			start := time.Now()
			if err := s.fn(ctx); err != nil {
				errs[i] = err
				return
			}
			g.log.Info("generated", "step", s.name, "took", time.Since(start).Round(time.Millisecond))
		})
	}
	wg.Wait()
	// The first failure in the order of the steps, whichever came first in
	// time, so that the same inputs always give the same message.
	for _, err := range errs {
		if err != nil {
			return drawnCharts{}, err
		}
	}
	return drawn, nil
}

// named says which step an error came from.
func named(name string, fn func(context.Context) error) func(context.Context) error {
	return func(ctx context.Context) error {
		if err := fn(ctx); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		return nil
	}
}

// writeData puts v as JSON at assets/evalsite/NAME.json in the source
// tree, where templates read it with the partial "data.html" NAME. Hugo
// tracks each asset a page reads, so that when the preview changes one of
// these files only the pages that read it are rendered again; everything
// in hugo.Data would count as one, read by every page.
func (g *generator) writeData(name string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Errorf("encode %s: %w", name, err)
	}
	return g.src.writeGenerated(dataAsset(name), b)
}

// dataAsset is the path in the tree of the generated data NAME.
func dataAsset(name string) string { return "assets/evalsite/" + name + ".json" }

// writeOut writes a file into the build folder.
func (g *generator) writeOut(name string, b []byte) error {
	p := filepath.Join(g.out, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	return os.WriteFile(p, b, 0o644)
}

// figures writes every figure of metrics.json, formatted for prose, keyed by
// its dotted name, for the metric shortcode; and the registry for the
// methods page. With suppress_below set, the metrics carry their disclosure
// decisions first, so that a withheld figure shows as metrics.Withheld here,
// in metrics.json and everywhere else.
func (g *generator) figures(context.Context) error {
	g.metrics = metrics.Disclose(g.metrics, g.data.Codings, g.ev.SuppressBelow)
	g.figs = map[string]string{}
	for _, name := range g.metrics.Names() {
		f, err := g.metrics.Lookup(name)
		if err != nil {
			return fmt.Errorf("figure %s: %w", name, err)
		}
		g.figs[name] = f.Text
	}
	g.markSmallBases()
	if err := g.writeData("figures", g.figs); err != nil {
		return err
	}
	type def struct {
		Name       string `json:"name"`
		Label      string `json:"label"`
		Unit       string `json:"unit"`
		Definition string `json:"definition"`
		Value      string `json:"value"`
	}
	var defs []def
	for _, d := range metrics.Registry() {
		defs = append(defs, def{d.Name, d.Label, d.Unit, d.Definition, g.figs[d.Name]})
	}
	return g.writeData("registry", defs)
}

// release writes the release metadata shown on every page.
func (g *generator) release(context.Context) error {
	asOf := ""
	if f, err := g.metrics.Lookup("as_of"); err == nil {
		asOf = f.Text
	}
	return g.writeData("release", map[string]any{
		"title":          g.ev.Title,
		"publisher":      g.ev.Publisher,
		"contact":        g.ev.Contact,
		"release_date":   g.ev.ReleaseDate,
		"next_update":    g.ev.NextUpdate,
		"version":        g.ev.Version,
		"status":         g.ev.Status,
		"licence":        g.ev.Licence,
		"licence_url":    g.ev.LicenceURL,
		"source":         g.ev.Source,
		"illustrative":   g.ev.Illustrative,
		"revision_rows":  revisionRows(g.ev.Revisions),
		"as_of":          asOf,
		"suppress_below": g.ev.SuppressBelow,
	})
}

// slugger makes URL path segments from spreadsheet text. Only [a-z0-9-]
// reaches a URL (a scheme in a page's url makes Hugo panic), and distinct
// values always get distinct slugs.
type slugger struct {
	used map[string]bool
}

func newSlugger() *slugger { return &slugger{used: map[string]bool{}} }

func (s *slugger) slug(v string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(v) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case !dash && b.Len() > 0:
			b.WriteByte('-')
			dash = true
		}
	}
	base := strings.TrimSuffix(b.String(), "-")
	if len(base) > 60 {
		base = strings.TrimSuffix(base[:60], "-")
	}
	if base == "" {
		base = "item"
	}
	s1 := base
	for i := 2; s.used[s1]; i++ {
		s1 = base + "-" + strconv.Itoa(i)
	}
	s.used[s1] = true
	return s1
}

func revisionRows(rs []Revision) [][]string {
	rows := make([][]string, 0, len(rs))
	for _, r := range rs {
		rows = append(rows, []string{r.Date, r.Version, r.Note})
	}
	return rows
}

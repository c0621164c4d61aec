package site

import (
	"encoding/json"
	"log/slog"
	"strings"
	"testing"

	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/metrics"
)

// TestSearchIndexStaysSmall: at 10,000 agreements the generated pages'
// search entries stay under a megabyte (about 90 bytes an entry): titles and
// a few words, never a page's text. Each agreement, department and theme is
// in it once, by the title its page shows.
func TestSearchIndexStaysSmall(t *testing.T) {
	if testing.Short() {
		t.Skip("generates 10,000 agreements")
	}
	d := example.Generate(example.Config{Agreements: 10000})
	g := &generator{data: d, metrics: metrics.Compute(d, metrics.Config{}), src: newSource(), log: slog.New(slog.DiscardHandler)}
	if err := g.figures(t.Context()); err != nil {
		t.Fatal(err)
	}
	as, ds, ts := g.agreementPages(nil), g.departmentPages(), g.themePages()
	entries := g.searchEntries(as, ds, ts)
	b, err := json.Marshal(entries)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) > 1<<20 {
		t.Errorf("search entries of 10,000 agreements take %d bytes, want at most 1 MiB", len(b))
	}
	if want := len(as) + len(ds) + len(ts); len(entries) != want {
		t.Errorf("%d entries, want one for each of %d agreements, %d departments and %d themes", len(entries), len(as), len(ds), len(ts))
	}
	for _, e := range entries[:3] {
		if e.Title == "" || !strings.HasSuffix(e.URL, "/") || e.Kind != "Agreement" {
			t.Errorf("entry %+v: want an agreement with its title and folder", e)
		}
	}
}

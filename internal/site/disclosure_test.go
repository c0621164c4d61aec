package site_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

var countCellRE = regexp.MustCompile(`<td>(\d+)</td><td>(\d+%|\[c\])</td>`)

func TestSuppressBelowWithholdsSmallCounts(t *testing.T) {
	root := newSite(t)
	conf := filepath.Join(root, "hugo.toml")
	b, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, []byte(strings.Replace(string(b), "suppress_below = 0", "suppress_below = 5", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	res, err := build(t, root, out)
	if err != nil {
		t.Fatal(err)
	}

	// Some counts in the example are below 5, so something must be withheld.
	small := 0
	for _, c := range res.Metrics.Codings.Codes {
		for _, s := range c.ByGroup {
			if s.Interviews < 5 {
				small++
			}
		}
	}
	if small == 0 {
		t.Fatal("the example has no interview count below 5 to withhold")
	}
	metricsJSON := readFile(t, filepath.Join(out, "data", "metrics.json"))
	if !strings.Contains(metricsJSON, `"[c]"`) {
		t.Error("metrics.json withholds nothing")
	}
	if _, err := os.Stat(filepath.Join(out, "data", "codings.csv")); err == nil {
		t.Error("row-level codings.csv is published although counts are suppressed")
	}

	// No theme page shows a count of interviews below 5.
	pages, _ := filepath.Glob(filepath.Join(out, "themes", "*", "index.html"))
	if len(pages) == 0 {
		t.Fatal("no theme pages")
	}
	shown, withheld := 0, 0
	for _, p := range pages {
		for _, m := range countCellRE.FindAllStringSubmatch(readFile(t, p), -1) {
			n, _ := strconv.Atoi(m[1])
			if n < 5 {
				t.Errorf("%s shows a count of %d interviews", p, n)
			}
			shown++
		}
		withheld += strings.Count(readFile(t, p), "<td>[c]</td><td>[c]</td>")
	}
	if shown == 0 || withheld == 0 {
		t.Errorf("theme pages show %d counts and withhold %d: want some of each", shown, withheld)
	}
}

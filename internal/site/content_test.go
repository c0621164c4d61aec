package site_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/evalsite/evalsite"
	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/format"
	"github.com/evalsite/evalsite/internal/metrics"
	"github.com/evalsite/evalsite/internal/site"
)

// contentCase is one generated data set the example content is built over.
type contentCase struct {
	agreements int
	seed       int64
	asOf       string // "" = the repository's configured as_of
	withdraw   int    // agreements turned from signed to withdrawn
}

func (c contentCase) String() string {
	return fmt.Sprintf("n%d-seed%d-asof%s-w%d", c.agreements, c.seed, c.asOf, c.withdraw)
}

// contentCases are the data sets of TestExampleContentIsTrueOnAnyData:
// other seeds, 5 to 2,000 agreements, and some with negotiations still open
// (an earlier as_of) or withdrawn. Small sizes mostly: each is a whole build.
var contentCases = []contentCase{
	{5, 1, "", 0}, {5, 2, "2001-01-10", 0}, {6, 3, "", 1}, {8, 4, "", 0},
	{10, 5, "2001-02-01", 0}, {12, 6, "", 2}, {15, 7, "", 0}, {20, 0, "", 0},
	{20, 99, "", 0}, {20, 41, "2001-03-01", 1}, {25, 8, "", 0}, {30, 9, "2000-12-20", 0},
	{3, 10, "", 0}, {40, 11, "", 3}, {50, 12, "", 0}, {7, 13, "2001-01-31", 1},
	{60, 14, "", 0}, {9, 15, "", 0}, {11, 16, "", 0}, {100, 17, "2001-02-15", 2},
	{2000, 18, "", 0},
}

// TestExampleContentIsTrueOnAnyData builds the repository's content over
// each generated data set and checks the sentences below, each against the
// figures of that build: a sentence must appear exactly when its fact holds.
func TestExampleContentIsTrueOnAnyData(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the example content over many data sets")
	}
	built := 0
	for _, c := range contentCases {
		if c.agreements > 200 && built > 0 && os.Getenv("EVALSITE_LARGE") == "" {
			continue
		}
		t.Run(c.String(), func(t *testing.T) {
			root := t.TempDir()
			copyTree(t, filepath.Join(repoRoot, "content"), filepath.Join(root, "content"))
			b, err := os.ReadFile(filepath.Join(repoRoot, "hugo.toml"))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(root, "hugo.toml"), b, 0o644); err != nil {
				t.Fatal(err)
			}
			d := example.Generate(example.Config{Agreements: c.agreements, Seed: c.seed})
			for i := 0; i < c.withdraw && i < len(d.Agreements); i++ {
				a := &d.Agreements[len(d.Agreements)-1-i]
				a.Withdrawn, a.Signed = a.Signed, time.Time{}
			}
			if err := example.Write(filepath.Join(root, "data"), d, example.CSV); err != nil {
				t.Fatal(err)
			}
			opt := site.Options{Root: root, OutDir: filepath.Join(root, "public"), Theme: evalsite.Theme()}
			if c.asOf != "" {
				opt.AsOf, _ = time.Parse(time.DateOnly, c.asOf)
			}
			res, err := site.Build(t.Context(), opt)
			if err != nil {
				t.Fatalf("build: %v", err)
			}
			built++
			checkSentences(t, opt.OutDir, res.Metrics)
		})
	}
}

var tagRE = regexp.MustCompile(`<[^>]*>`)

// pageText is a page's text without tags and with runs of space as one.
func pageText(t *testing.T, name string) string {
	t.Helper()
	s := tagRE.ReplaceAllString(readFile(t, name), "")
	return strings.Join(strings.Fields(s), " ")
}

func checkSentences(t *testing.T, out string, m *metrics.Metrics) {
	t.Helper()
	home := pageText(t, filepath.Join(out, "index.html"))
	summary := pageText(t, filepath.Join(out, "report", "summary", "index.html"))
	freedoms := pageText(t, filepath.Join(out, "report", "freedoms", "index.html"))
	timing := pageText(t, filepath.Join(out, "report", "timing", "index.html"))
	relationships := pageText(t, filepath.Join(out, "report", "relationships", "index.html"))
	a := m.Agreements

	// says asserts that the sentence is on the page exactly when it holds.
	says := func(page, name, sentence string, holds bool) {
		t.Helper()
		if got := strings.Contains(page, sentence); got != holds {
			t.Errorf("%s: %q shown = %v, but the data says %v (%+v)", name, sentence, got, holds, a)
		}
	}
	never := func(page, name string, sentences ...string) {
		t.Helper()
		for _, s := range sentences {
			if regexp.MustCompile(`(^|[^0-9,])` + regexp.QuoteMeta(s)).MatchString(page) {
				t.Errorf("%s shows %q", name, s)
			}
		}
	}
	all := a.Signed == a.Total
	says(home, "summary", "All "+format.Counted(a.Total, "negotiation", "negotiations")+" ended in a signed agreement", all)
	says(summary, "summary chapter", "All "+format.Counted(a.Total, "negotiation", "negotiations")+" in the pilot ended in a signed agreement", all)
	if !all {
		says(summary, "summary chapter", fmt.Sprintf("%s of the %s had ended in a signed agreement", format.Count(a.Signed), format.Counted(a.Total, "negotiation", "negotiations")), true)
	}
	for name, page := range map[string]string{"summary": home, "summary chapter": summary, "timing": timing} {
		never(page, name, "0 negotiations", "no negotiations were still open", "0 had been withdrawn", "@@evalsite")
	}
	// Markdown rendered twice is dropped as raw HTML, silently but for a
	// warning: no page may lose text that way.
	pages, _ := filepath.Glob(filepath.Join(out, "report", "*", "index.html"))
	for _, p := range append(pages, filepath.Join(out, "index.html")) {
		if strings.Contains(readFile(t, p), "raw HTML omitted") {
			t.Errorf("%s dropped text as raw HTML", p)
		}
	}
	over := m.Concurrency.Peak > m.Concurrency.Capacity
	says(home, "summary", "The central team ran more negotiations at once than it could handle", over)
	says(summary, "summary chapter", "The central team was stretched", over)

	gr := m.Freedoms.GrantedRate
	says(home, "summary", "Authorities got fewer than half of the freedoms they asked for", gr != nil && *gr < 0.5)

	r := m.Freedoms.Reasons
	top := min(r["primary_legislation"], r["already_available"])
	mostCommon := top > 0
	for k, v := range r {
		if k != "primary_legislation" && k != "already_available" && v > top {
			mostCommon = false
		}
	}
	says(summary, "summary chapter", "The most common reasons for saying no were that the change needed new primary legislation", mostCommon)

	// The department that received the most requests.
	most, mostN, tie := "", -1, false
	for dept, c := range m.Freedoms.ByDepartment {
		switch {
		case c.Requested > mostN:
			most, mostN, tie = dept, c.Requested, false
		case c.Requested == mostN:
			tie = true
		}
	}
	for dept := range m.Freedoms.ByDepartment {
		says(freedoms, "freedoms", dept+" received the most requests", dept == most && !tie)
	}

	if cs, ok := m.Codings.Codes["trust"]; ok {
		w1, w2 := cs.ByWave["1"].Share, cs.ByWave["2"].Share
		says(relationships, "relationships", "trust rose from", format.Percent(w2) != format.Percent(w1) && w2 > w1)
		says(relationships, "relationships", "trust fell from", format.Percent(w2) != format.Percent(w1) && w2 < w1)
	}
	if cs, ok := m.Codings.Codes["incentive"]; ok {
		dept, ok := cs.ByGroup["department"]
		says(relationships, "relationships", "Departments rarely saw the targets as a reason to take part", ok && dept.Share < 0.2)
	}
}

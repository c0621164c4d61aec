package site_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"github.com/google/go-cmp/cmp"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/evalsite/evalsite/internal/metrics"
)

var (
	h1RE     = regexp.MustCompile(`<h1>([^<]*)</h1>`)
	raisedRE = regexp.MustCompile(`Raised in ([^ ]+) interviews \(([^ ]+) of all interviews\)`)
	// A row of a theme page: the group or wave, its interviews, the
	// group's size (groups only) and the share.
	rowRE    = regexp.MustCompile(`<tr><th scope="row">([^<]*)</th><td>([^<]*)</td>(?:<td>([^<]*)</td>)?<td>([^<]*)</td></tr>`)
	footerRE = regexp.MustCompile(`<blockquote><p>[^<]*</p><footer>([^<]*?)(?: \(<bdi>[^<]*</bdi>\))?</footer></blockquote>`)
)

var groupLabels = map[string]string{
	"Local authority": "local_authority", "Department": "department", "Policy centre": "policy_centre",
	"LGA": "lga", "Government Office": "government_office", "Partner": "partner", "Other": "other",
}

// publishedCodings is the codings part of metrics.json as published.
type publishedCodings struct {
	Codings struct {
		Interviews        any            `json:"interviews"`
		InterviewsByGroup map[string]any `json:"interviews_by_group"`
		Codes             map[string]struct {
			Interviews any                       `json:"interviews"`
			Share      any                       `json:"share"`
			ByGroup    map[string]map[string]any `json:"by_group"`
			ByWave     map[string]map[string]any `json:"by_wave"`
		} `json:"codes"`
	} `json:"codings"`
}

// shown writes a published value as the site shows it: a count as it is, a
// share as a whole percentage, a withheld value as [c].
func shown(v any, share bool) string {
	switch x := v.(type) {
	case string:
		return x
	case float64:
		if share {
			return metrics.Format(x, metrics.UnitShare)
		}
		return metrics.Format(int(x), metrics.UnitCount)
	}
	return "?"
}

// TestSuppressBelowWithholdsEverywhere builds the example with
// suppress_below = 5 and reads what it publishes: metrics.json and the
// coding counts are the ones the attacker test of the downloads fails to
// break (the same bytes for the same data), and every page, chart and alt
// text shows exactly those figures, in an order and with quote attributions
// that give no withheld count away.
func TestSuppressBelowWithholdsEverywhere(t *testing.T) {
	const below = 5
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

	// metrics.json is the metrics' own published form.
	disclosed := metrics.Disclose(res.Metrics, res.Data.Codings, below)
	want, err := disclosed.PublishedJSON()
	if err != nil {
		t.Fatal(err)
	}
	got := readFile(t, filepath.Join(out, "data", "metrics.json"))
	// The example's data is illustrative: metrics.json starts with the
	// notice, then is the published JSON.
	var gotTree, wantTree map[string]any
	if err := json.Unmarshal([]byte(got), &gotTree); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(want, &wantTree); err != nil {
		t.Fatal(err)
	}
	delete(gotTree, "illustrative")
	delete(gotTree, "notice")
	if diff := cmp.Diff(wantTree, gotTree); diff != "" {
		t.Errorf("data/metrics.json is not the metrics' published JSON (-want +got):\n%s", diff)
	}
	if !strings.Contains(got, `"[c]"`) {
		t.Fatal("metrics.json withholds nothing")
	}
	if _, err := os.Stat(filepath.Join(out, "data", "codings.csv")); err == nil {
		t.Error("row-level codings.csv is published although counts are suppressed")
	}
	var pub publishedCodings
	if err := json.Unmarshal([]byte(got), &pub); err != nil {
		t.Fatal(err)
	}
	cells := map[[3]string]string{}
	recs, err := csv.NewReader(strings.NewReader(readFile(t, filepath.Join(out, "data", "coding_counts.csv")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs[1:] {
		cells[[3]string{r[0], r[1], r[2]}] = r[3]
	}

	labels := map[string]string{}
	for _, c := range res.Data.Codebook {
		labels[c.Label] = c.Code
	}

	// Every theme page shows the published figures, and a quote names its
	// group and wave only where their counts are published.
	pages, _ := filepath.Glob(filepath.Join(out, "themes", "*", "index.html"))
	if len(pages) == 0 {
		t.Fatal("no theme pages")
	}
	rows, withheldRows, named, anonymous := 0, 0, 0, 0
	for _, p := range pages {
		page := readFile(t, p)
		m := h1RE.FindStringSubmatch(page)
		if m == nil {
			t.Fatalf("%s has no heading", p)
		}
		code, ok := labels[html.UnescapeString(m[1])]
		if !ok {
			continue // a code of the codebook that no interview raised
		}
		st := pub.Codings.Codes[code]
		if r := raisedRE.FindStringSubmatch(page); r == nil || r[1] != shown(st.Interviews, false) || r[2] != shown(st.Share, true) {
			t.Errorf("%s: %v, want %s interviews (%s)", p, r, shown(st.Interviews, false), shown(st.Share, true))
		}
		for _, r := range rowRE.FindAllStringSubmatch(page, -1) {
			var fig map[string]any
			if g, ok := groupLabels[r[1]]; ok {
				fig = st.ByGroup[g]
				if want := shown(pub.Codings.InterviewsByGroup[g], false); r[3] != want {
					t.Errorf("%s: row %s gives the group's size as %s; metrics.json has %s", p, r[1], r[3], want)
				}
			} else if w, ok := strings.CutPrefix(r[1], "Wave "); ok {
				fig = st.ByWave[w]
			}
			if fig == nil {
				continue
			}
			rows++
			if r[2] == metrics.Withheld {
				withheldRows++
			}
			if r[2] != shown(fig["interviews"], false) || r[4] != shown(fig["share"], true) {
				t.Errorf("%s: row %s shows %s, %s; metrics.json has %v, %v", p, r[1], r[2], r[4], fig["interviews"], fig["share"])
			}
		}
		for _, f := range footerRE.FindAllStringSubmatch(page, -1) {
			who, rest, ok := strings.Cut(html.UnescapeString(f[1]), ", Wave ")
			if !ok {
				anonymous++
				continue
			}
			named++
			g, w := groupLabels[who], strings.Fields(rest)[0]
			if cells[[3]string{code, g, w}] == metrics.Withheld || shown(st.ByGroup[g]["interviews"], false) == metrics.Withheld ||
				shown(st.ByWave[w]["interviews"], false) == metrics.Withheld {
				t.Errorf("%s: a quote is attributed to %q though its count is withheld", p, f[1])
			}
		}
	}
	if rows == 0 || withheldRows == 0 || withheldRows == rows {
		t.Errorf("theme pages show %d rows of figures, %d withheld: want some of each", rows, withheldRows)
	}
	if named == 0 || anonymous == 0 {
		t.Errorf("quotes: %d attributed, %d not: want some of each on the example", named, anonymous)
	}

	// The heat map: its rows in an order that uses published counts only,
	// its cells exactly the published shares, its SVG and alt text showing
	// nothing else.
	chart := readFile(t, filepath.Join(out, "charts", "codes_by_group.csv"))
	crecs, err := csv.NewReader(strings.NewReader(chart)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	hidden := 0
	for _, r := range crecs[1:] {
		code := labels[r[0]]
		order = append(order, code)
		for j, gl := range crecs[0][1:] {
			gl, _, _ = strings.Cut(gl, " (n=") // the group's size follows its name
			want := shown(pub.Codings.Codes[code].ByGroup[groupLabels[gl]]["share"], true)
			if r[j+1] != want {
				t.Errorf("codes_by_group.csv: %s, %s = %s, want %s", r[0], gl, r[j+1], want)
			}
			if r[j+1] == metrics.Withheld {
				hidden++
			}
		}
	}
	wantOrder := slices.Sorted(func(yield func(string) bool) {
		for c := range pub.Codings.Codes {
			if !yield(c) {
				return
			}
		}
	})
	count := func(c string) (int, bool) {
		n, ok := pub.Codings.Codes[c].Interviews.(float64)
		return int(n), ok
	}
	slices.SortStableFunc(wantOrder, func(a, b string) int {
		x, xok := count(a)
		y, yok := count(b)
		switch {
		case xok != yok:
			if xok {
				return -1
			}
			return 1
		case x != y:
			return y - x
		}
		return strings.Compare(a, b)
	})
	if len(wantOrder) > 15 {
		wantOrder = wantOrder[:15]
	}
	if !slices.Equal(order, wantOrder) {
		t.Errorf("heat map rows %v, want %v: by published count, withheld ones after by name", order, wantOrder)
	}
	svg := readFile(t, filepath.Join(out, "charts", "codes_by_group.svg"))
	if n := strings.Count(svg, ">"+metrics.Withheld+"<"); n != hidden {
		t.Errorf("codes_by_group.svg labels %d cells %s, the table %d", n, metrics.Withheld, hidden)
	}
	report := readFile(t, filepath.Join(out, "report", "relationships", "index.html"))
	if alt := regexp.MustCompile(`alt="([^"]*highest is[^"]*)"`).FindStringSubmatch(report); alt == nil {
		t.Error("no alt text naming the highest share of the heat map")
	} else if strings.Contains(alt[1], "("+metrics.Withheld+")") {
		t.Errorf("alt text names a withheld cell as the highest: %s", alt[1])
	}

	// The wave chart shows the published shares, and a change only where
	// both are published.
	wrecs, err := csv.NewReader(strings.NewReader(readFile(t, filepath.Join(out, "charts", "codes_by_wave.csv")))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range wrecs[1:] {
		st := pub.Codings.Codes[labels[r[0]]]
		w1, w2 := shown(st.ByWave["1"]["share"], true), shown(st.ByWave["2"]["share"], true)
		if r[1] != w1 || r[2] != w2 || (r[3] == metrics.Withheld) != (w1 == metrics.Withheld || w2 == metrics.Withheld) {
			t.Errorf("codes_by_wave.csv row %v, want %s, %s", r, w1, w2)
		}
	}

	// Nothing in the build says which counts are small: no page or chart
	// prints a share or count in a place where metrics.json withholds it
	// (checked above) and no file carries the raw codings.
	for _, name := range []string{"evaluation.json", "evaluation.xlsx", "coding_counts.csv"} {
		data, err := os.ReadFile(filepath.Join(out, "data", name))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Data.Codings[:5] {
			if bytes.Contains(data, []byte(strconv.Quote(c.InterviewID))) {
				t.Errorf("%s holds interview %s", name, c.InterviewID)
			}
		}
	}
}

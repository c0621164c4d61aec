package publish

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
	"github.com/xuri/excelize/v2"
)

// The attacker: it reads only what a build publishes (metrics.json and the
// coding counts as CSV, JSON and XLSX), sets up every count of interviews
// that these show or imply as an integer unknown, and narrows each unknown's
// interval with every linear relation a reader can see, until nothing
// changes. A withheld count leaks when its interval is a single value, or
// lies wholly below the threshold.

const inf = int64(1) << 40

type attacker struct {
	below    int64
	names    []string
	index    map[string]int
	lo, hi   []int64
	withheld []bool
	sums     []sum    // total = sum of parts
	covers   []sum    // total <= sum of parts
	les      [][2]int // x <= y
	frechet  [][4]int // p >= a + b - n: {p, a, b, n}
	shares   []ratio  // count = share x base
	problems []string // inconsistencies in what is published
	broken   bool     // the bounds contradict each other
	orders   [][2]int // x <= y, from the order of a published list
}

type sum struct {
	total int
	parts []int
}

type ratio struct {
	count, base int
	share       float64
	p, q        int64 // the share in lowest terms; q = 0 when not found
}

func newAttacker(below int) *attacker {
	return &attacker{below: int64(below), index: map[string]int{}}
}

// v returns the unknown called name, made on first use as [0, inf).
func (a *attacker) v(name string) int {
	if i, ok := a.index[name]; ok {
		return i
	}
	a.index[name] = len(a.names)
	a.names = append(a.names, name)
	a.lo = append(a.lo, 0)
	a.hi = append(a.hi, inf)
	a.withheld = append(a.withheld, false)
	return len(a.names) - 1
}

// see records a published value of the unknown: a number, or "[c]".
func (a *attacker) see(name string, value any) int {
	i := a.v(name)
	switch x := value.(type) {
	case json.Number:
		n, err := x.Int64()
		if err != nil {
			a.problems = append(a.problems, fmt.Sprintf("%s = %s is not a whole number", name, x))
			return i
		}
		a.tighten(i, n, n)
	case int:
		a.tighten(i, int64(x), int64(x))
	case string:
		if x != metrics.Withheld {
			n, err := strconv.ParseInt(x, 10, 64)
			if err != nil {
				a.problems = append(a.problems, fmt.Sprintf("%s = %q is neither a count nor %s", name, x, metrics.Withheld))
				return i
			}
			a.tighten(i, n, n)
			return i
		}
		a.withheld[i] = true
	default:
		a.problems = append(a.problems, fmt.Sprintf("%s = %v (%T) is neither a count nor %s", name, value, value, metrics.Withheld))
	}
	return i
}

func (a *attacker) tighten(i int, lo, hi int64) bool {
	lo, hi = max(lo, 0), min(hi, inf)
	if lo > a.hi[i] || hi < a.lo[i] {
		a.problems = append(a.problems, fmt.Sprintf("%s cannot lie in both [%d, %d] and [%d, %d]", a.names[i], a.lo[i], a.hi[i], lo, hi))
		a.broken = true
		return false
	}
	changed := false
	if lo > a.lo[i] {
		a.lo[i], changed = lo, true
	}
	if hi < a.hi[i] {
		a.hi[i], changed = hi, true
	}
	return changed
}

func add(x, y int64) int64 { return min(x+y, inf) }

// propagate narrows every interval until nothing changes.
func (a *attacker) propagate() {
	for round := 0; round < 100000; round++ {
		changed := false
		for _, s := range a.sums {
			var lo, hi int64
			for _, p := range s.parts {
				lo, hi = add(lo, a.lo[p]), add(hi, a.hi[p])
			}
			changed = a.tighten(s.total, lo, hi) || changed
			// The others' bounds: the sums less the part, counting the
			// parts unbounded above apart so that the subtraction is exact.
			var finiteHi int64
			unboundedParts := 0
			for _, p := range s.parts {
				if a.hi[p] >= inf {
					unboundedParts++
				} else {
					finiteHi += a.hi[p]
				}
			}
			for _, p := range s.parts {
				othersLo, othersHi := lo-a.lo[p], finiteHi
				switch {
				case a.hi[p] < inf && unboundedParts > 0, unboundedParts > 1:
					othersHi = inf
				case a.hi[p] < inf:
					othersHi -= a.hi[p]
				}
				plo, phi := int64(0), inf
				if othersHi < inf {
					plo = a.lo[s.total] - othersHi
				}
				if a.hi[s.total] < inf {
					phi = a.hi[s.total] - othersLo
				}
				changed = a.tighten(p, plo, phi) || changed
			}
		}
		for _, c := range a.covers {
			var hi int64
			for _, p := range c.parts {
				hi = add(hi, a.hi[p])
			}
			changed = a.tighten(c.total, 0, hi) || changed
			for _, p := range c.parts {
				var others int64
				for _, q := range c.parts {
					if q != p {
						others = add(others, a.hi[q])
					}
				}
				if others < inf {
					changed = a.tighten(p, a.lo[c.total]-others, inf) || changed
				}
			}
		}
		for _, le := range append(slices.Clone(a.les), a.orders...) {
			x, y := le[0], le[1]
			changed = a.tighten(x, 0, a.hi[y]) || changed
			changed = a.tighten(y, a.lo[x], inf) || changed
		}
		for _, f := range a.frechet {
			p, x, y, n := f[0], f[1], f[2], f[3]
			if a.hi[n] < inf {
				changed = a.tighten(p, a.lo[x]+a.lo[y]-a.hi[n], inf) || changed
			}
			if a.hi[p] < inf && a.hi[y] < inf {
				changed = a.tighten(n, a.lo[x]+a.lo[y]-a.hi[p], inf) || changed
			}
			if a.hi[p] < inf && a.hi[n] < inf {
				changed = a.tighten(x, 0, a.hi[p]-a.lo[y]+a.hi[n]) || changed
				changed = a.tighten(y, 0, a.hi[p]-a.lo[x]+a.hi[n]) || changed
			}
		}
		for _, r := range a.shares {
			changed = a.shareBounds(r) || changed
		}
		if !changed || a.broken {
			return
		}
	}
	a.problems = append(a.problems, "the bounds did not settle")
}

// shareBounds uses count = share x base, the share being published to full
// precision: the count and the base are then multiples of the numerator and
// denominator of the share in lowest terms.
func (a *attacker) shareBounds(r ratio) bool {
	const eps = 1e-9
	p, q := r.p, r.q
	changed := false
	if a.hi[r.base] < inf {
		lo := int64(math.Ceil(r.share*float64(a.lo[r.base]) - eps))
		hi := int64(math.Floor(r.share*float64(a.hi[r.base]) + eps))
		changed = a.tighten(r.count, lo, hi) || changed
	}
	if r.share > 0 {
		lo := int64(math.Ceil(float64(a.lo[r.count])/r.share - eps))
		hi := int64(inf)
		if a.hi[r.count] < inf {
			hi = int64(math.Floor(float64(a.hi[r.count])/r.share + eps))
		}
		changed = a.tighten(r.base, lo, hi) || changed
	}
	if q > 0 {
		changed = a.multiple(r.count, p) || changed
		changed = a.multiple(r.base, q) || changed
	}
	return changed
}

// multiple rounds the bounds of unknown i to multiples of k.
func (a *attacker) multiple(i int, k int64) bool {
	if k <= 1 {
		return false
	}
	lo := (a.lo[i] + k - 1) / k * k
	hi := a.hi[i]
	if hi < inf {
		hi = hi / k * k
	}
	return a.tighten(i, lo, hi)
}

// fraction finds p/q in lowest terms equal to x, q at most 100,000, or q = 0.
func fraction(x float64) (int64, int64) {
	for q := int64(1); q <= 100000; q++ {
		p := math.Round(x * float64(q))
		if math.Abs(p/float64(q)-x) < 1e-12 {
			return int64(p), q
		}
	}
	return 0, 0
}

// leaks lists the withheld unknowns the attacker pins or shows below the
// threshold.
func (a *attacker) leaks() []string {
	var out []string
	for i, name := range a.names {
		if !a.withheld[i] {
			continue
		}
		switch {
		case a.lo[i] == a.hi[i]:
			out = append(out, fmt.Sprintf("%s is withheld but must be %d", name, a.lo[i]))
		case a.hi[i] < a.below:
			out = append(out, fmt.Sprintf("%s is withheld but lies in [%d, %d], below %d", name, a.lo[i], a.hi[i], a.below))
		}
	}
	return out
}

// readPublished sets up the attacker from the files Write put in dir.
func readPublished(t *testing.T, dir string, below int) *attacker {
	t.Helper()
	a := newAttacker(below)
	raw, err := os.ReadFile(filepath.Join(dir, MetricsName))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var m struct {
		Codings struct {
			Interviews        any            `json:"interviews"`
			InterviewsByGroup map[string]any `json:"interviews_by_group"`
			Codes             map[string]struct {
				Interviews any                       `json:"interviews"`
				Share      any                       `json:"share"`
				ByGroup    map[string]map[string]any `json:"by_group"`
				ByWave     map[string]map[string]any `json:"by_wave"`
			} `json:"codes"`
			Cooccurrence []struct {
				A, B       string
				Interviews any
			} `json:"cooccurrence"`
		} `json:"codings"`
	}
	if err := dec.Decode(&m); err != nil {
		t.Fatalf("metrics.json: %v", err)
	}
	c := m.Codings
	n := a.see("interviews", c.Interviews)
	a.tighten(n, 1, inf)
	groups := slices.Sorted(maps.Keys(c.InterviewsByGroup))
	codes := slices.Sorted(maps.Keys(c.Codes))
	waveSet := map[string]bool{}
	for _, code := range codes {
		for w := range c.Codes[code].ByWave {
			waveSet[w] = true
		}
	}
	// The coding counts, from each of the three downloads that hold them:
	// they must agree.
	cells := readCodingCounts(t, dir)
	for k := range cells {
		waveSet[k[2]] = true
	}
	waves := slices.Sorted(maps.Keys(waveSet))

	share := func(count, base int, v any) {
		switch x := v.(type) {
		case json.Number:
			f, err := x.Float64()
			if err != nil {
				a.problems = append(a.problems, fmt.Sprintf("share of %s is %s", a.names[count], x))
				return
			}
			p, q := fraction(f)
			a.shares = append(a.shares, ratio{count, base, f, p, q})
		case string:
			if x != metrics.Withheld {
				a.problems = append(a.problems, fmt.Sprintf("share of %s is %q", a.names[count], x))
			}
		default:
			a.problems = append(a.problems, fmt.Sprintf("share of %s is %v", a.names[count], v))
		}
	}

	var gs, ws []int
	for _, g := range groups {
		i := a.see("group "+g, c.InterviewsByGroup[g])
		a.tighten(i, 1, inf)
		gs = append(gs, i)
	}
	for _, w := range waves {
		i := a.v("wave " + w) // never published as a figure
		a.tighten(i, 1, inf)
		a.withheld[i] = false
		ws = append(ws, i)
	}
	a.sums = append(a.sums, sum{n, gs}, sum{n, ws})
	var allCodes []int
	perGroup := make([][]int, len(groups))
	perWave := make([][]int, len(waves))
	for _, code := range codes {
		st := c.Codes[code]
		ci := a.see("code "+code, st.Interviews)
		a.tighten(ci, 1, inf)
		allCodes = append(allCodes, ci)
		a.les = append(a.les, [2]int{ci, n})
		share(ci, n, st.Share)
		var row, col, grid []int
		gw := map[[2]string]int{}
		for gk, g := range groups {
			s, ok := st.ByGroup[g]
			if !ok {
				a.problems = append(a.problems, fmt.Sprintf("code %s has no figure for group %s", code, g))
				continue
			}
			i := a.see("code "+code+" group "+g, s["interviews"])
			share(i, gs[gk], s["share"])
			a.les = append(a.les, [2]int{i, gs[gk]})
			row = append(row, i)
			perGroup[gk] = append(perGroup[gk], i)
		}
		for wk, w := range waves {
			s, ok := st.ByWave[w]
			if !ok {
				a.problems = append(a.problems, fmt.Sprintf("code %s has no figure for wave %s", code, w))
				continue
			}
			i := a.see("code "+code+" wave "+w, s["interviews"])
			share(i, ws[wk], s["share"])
			a.les = append(a.les, [2]int{i, ws[wk]})
			col = append(col, i)
			perWave[wk] = append(perWave[wk], i)
		}
		if len(cells) > 0 {
			for _, g := range groups {
				for _, w := range waves {
					v, ok := cells[[3]string{code, g, w}]
					if !ok {
						a.problems = append(a.problems, fmt.Sprintf("coding counts have no row for %s, %s, wave %s", code, g, w))
						continue
					}
					i := a.see("cell "+code+" "+g+" wave "+w, v)
					gw[[2]string{g, w}] = i
					grid = append(grid, i)
				}
			}
			for _, g := range groups {
				var parts []int
				for _, w := range waves {
					parts = append(parts, gw[[2]string{g, w}])
				}
				a.sums = append(a.sums, sum{a.index["code "+code+" group "+g], parts})
			}
			for _, w := range waves {
				var parts []int
				for _, g := range groups {
					parts = append(parts, gw[[2]string{g, w}])
				}
				a.sums = append(a.sums, sum{a.index["code "+code+" wave "+w], parts})
			}
			a.sums = append(a.sums, sum{ci, grid})
		}
		a.sums = append(a.sums, sum{ci, row}, sum{ci, col})
	}
	// Every interview has at least one code.
	a.covers = append(a.covers, sum{n, allCodes})
	for gk := range groups {
		a.covers = append(a.covers, sum{gs[gk], perGroup[gk]})
	}
	for wk := range waves {
		a.covers = append(a.covers, sum{ws[wk], perWave[wk]})
	}

	// Pairs: a listed pair is published; every other pair of codes is
	// unknown, between the Frechet bounds of its two codes.
	listed := map[[2]string]bool{}
	prev := -1
	for _, p := range c.Cooccurrence {
		i := a.see("pair "+p.A+" "+p.B, p.Interviews)
		listed[[2]string{p.A, p.B}] = true
		if prev >= 0 {
			a.orders = append(a.orders, [2]int{i, prev}) // the list is by interviews, most first
		}
		prev = i
	}
	for x, ca := range codes {
		for _, cb := range codes[x+1:] {
			i := a.v("pair " + ca + " " + cb)
			if !listed[[2]string{ca, cb}] {
				a.withheld[i] = true
			}
			ia, ib := a.index["code "+ca], a.index["code "+cb]
			a.les = append(a.les, [2]int{i, ia}, [2]int{i, ib})
			a.frechet = append(a.frechet, [4]int{i, ia, ib, n})
		}
	}
	return a
}

// readCodingCounts reads coding_counts from the CSV, evaluation.json and
// evaluation.xlsx, fails the test unless all three say the same, and
// returns them by code, group and wave. Nil when there is no coding_counts.
func readCodingCounts(t *testing.T, dir string) map[[3]string]string {
	t.Helper()
	path := filepath.Join(dir, "coding_counts.csv")
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	recs := readCSV(t, path)
	var fromCSV [][]string
	for _, r := range recs[1:] {
		fromCSV = append(fromCSV, r)
	}

	raw, err := os.ReadFile(filepath.Join(dir, JSONName))
	if err != nil {
		t.Fatal(err)
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var ev struct {
		Datasets map[string][]map[string]any `json:"datasets"`
	}
	if err := dec.Decode(&ev); err != nil {
		t.Fatal(err)
	}
	var fromJSON [][]string
	for _, r := range ev.Datasets["coding_counts"] {
		fromJSON = append(fromJSON, []string{fmt.Sprint(r["code"]), fmt.Sprint(r["group"]), fmt.Sprint(r["wave"]), fmt.Sprint(r["interviews"])})
	}

	f, err := excelize.OpenFile(filepath.Join(dir, WorkbookName))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows("Coding_counts")
	if err != nil {
		t.Fatal(err)
	}
	var fromXLSX [][]string
	header := false
	for _, r := range rows {
		if !header {
			header = len(r) > 0 && r[0] == "code"
			continue
		}
		if len(r) == 4 {
			fromXLSX = append(fromXLSX, r)
		}
	}
	if !slices.EqualFunc(fromCSV, fromJSON, slices.Equal) || !slices.EqualFunc(fromCSV, fromXLSX, slices.Equal) {
		t.Fatalf("coding counts differ between downloads:\nCSV  %v\nJSON %v\nXLSX %v", fromCSV, fromJSON, fromXLSX)
	}
	out := map[[3]string]string{}
	for _, r := range fromCSV {
		out[[3]string{r[0], r[1], r[2]}] = r[3]
	}
	return out
}

// truth counts, by the attacker's names, what the published figures
// stand for, straight from the codings.
func truth(cs []ingest.Coding) map[string]int64 {
	type iv struct {
		group, wave string
		codes       map[string]bool
	}
	ivs := map[string]*iv{}
	var order []string
	for _, c := range cs {
		v := ivs[c.InterviewID]
		if v == nil {
			v = &iv{c.Group, strconv.Itoa(c.Wave), map[string]bool{}}
			ivs[c.InterviewID] = v
			order = append(order, c.InterviewID)
		}
		v.codes[c.Code] = true
	}
	t := map[string]int64{}
	for _, id := range order {
		v := ivs[id]
		t["interviews"]++
		t["group "+v.group]++
		t["wave "+v.wave]++
		codes := slices.Sorted(maps.Keys(v.codes))
		for i, c := range codes {
			t["code "+c]++
			t["code "+c+" group "+v.group]++
			t["code "+c+" wave "+v.wave]++
			t["cell "+c+" "+v.group+" wave "+v.wave]++
			for _, d := range codes[i+1:] {
				t["pair "+c+" "+d]++
			}
		}
	}
	return t
}

// attack writes the downloads of d at threshold below and plays the
// attacker on them; it returns the leaks found.
func attack(t *testing.T, d *ingest.Data, below int) []string {
	t.Helper()
	return attackMetrics(t, d, metrics.Disclose(metrics.Compute(d, metrics.Config{}), d.Codings, below), below)
}

// attackMetrics is attack with the metrics and their decisions given.
func attackMetrics(t *testing.T, d *ingest.Data, m *metrics.Metrics, below int) []string {
	t.Helper()
	opt := Options{SuppressBelow: below}
	dir := t.TempDir()
	if _, err := Write(dir, d, m, testRelease(), opt); err != nil {
		t.Fatal(err)
	}
	a := readPublished(t, dir, below)
	a.propagate()
	if len(a.problems) > 0 {
		t.Fatalf("published figures: %s", strings.Join(a.problems, "; "))
	}
	// The attacker must be right: every true count inside its interval,
	// every published count true.
	tr := truth(d.Codings)
	withheld := 0
	for i, name := range a.names {
		v := tr[name]
		if v < a.lo[i] || v > a.hi[i] {
			t.Fatalf("attacker is wrong: %s = %d, outside [%d, %d]", name, v, a.lo[i], a.hi[i])
		}
		if a.withheld[i] {
			withheld++
		}
	}
	if withheld == 0 {
		return nil
	}
	return a.leaks()
}

func repoExample(t *testing.T) *ingest.Data {
	t.Helper()
	d, err := ingest.Read(context.Background(), filepath.Join("..", "..", "data"), ingest.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func TestAttackerRecoversNoWithheldCountOfTheExample(t *testing.T) {
	t.Parallel()
	d := repoExample(t)
	for _, below := range []int{3, 4, 5, 6, 8, 10} {
		if leaks := attack(t, d, below); len(leaks) > 0 {
			t.Errorf("threshold %d: %d withheld counts recovered:\n%s", below, len(leaks), strings.Join(leaks, "\n"))
		}
	}
}

// randomCodings makes a small, lopsided set of codings: 5 to 60 interviews
// in a few groups, one or two waves, two to seven codes of very different
// frequency.
func randomCodings(seed uint64) []ingest.Coding {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	allGroups := []string{"local_authority", "department", "policy_centre", "lga", "government_office", "partner", "other"}
	r.Shuffle(len(allGroups), func(i, j int) { allGroups[i], allGroups[j] = allGroups[j], allGroups[i] })
	groups := allGroups[:1+r.IntN(4)]
	gw := make([]float64, len(groups))
	for i := range gw {
		gw[i] = math.Pow(r.Float64(), 2) + 0.02
	}
	waves := 1 + r.IntN(2)
	if r.IntN(5) > 0 {
		waves = 2
	}
	codes := make([]string, 2+r.IntN(6))
	cw := make([]float64, len(codes))
	for i := range codes {
		codes[i] = fmt.Sprintf("code%d", i)
		cw[i] = math.Pow(r.Float64(), 1.5)
	}
	pick := func(w []float64) int {
		var total float64
		for _, x := range w {
			total += x
		}
		x := r.Float64() * total
		for i, v := range w {
			if x -= v; x < 0 {
				return i
			}
		}
		return len(w) - 1
	}
	var cs []ingest.Coding
	for i := range 5 + r.IntN(56) {
		id := fmt.Sprintf("I%02d", i)
		g, w := groups[pick(gw)], 1+r.IntN(waves)
		for range 1 + r.IntN(3) {
			cs = append(cs, ingest.Coding{InterviewID: id, Wave: w, Group: g, Code: codes[pick(cw)],
				Excerpt: "a quote", Cleared: r.IntN(3) == 0})
		}
	}
	return cs
}

func TestAttackerRecoversNoWithheldCountOfRandomData(t *testing.T) {
	t.Parallel()
	base := testData()
	for seed := range uint64(200) {
		d := &ingest.Data{Agreements: base.Agreements, Codings: randomCodings(seed)}
		below := []int{3, 4, 5, 10}[seed%4]
		if leaks := attack(t, d, below); len(leaks) > 0 {
			t.Errorf("seed %d, threshold %d: %d withheld counts recovered:\n%s", seed, below, len(leaks), strings.Join(leaks, "\n"))
		}
	}
}

// TestAttackerFindsLeaks makes sure the attacker can fail: the same codings
// published with primary suppression alone give counts away.
func TestAttackerFindsLeaksInPrimarySuppression(t *testing.T) {
	t.Parallel()
	d := repoExample(t)
	m := metrics.Disclose(metrics.Compute(d, metrics.Config{}), d.Codings, 5)
	// Show every count the secondary suppression withheld.
	disc := *m.Disclosure
	show := func(c metrics.Count) metrics.Count {
		if c.Reason == metrics.Protecting {
			c.Reason = metrics.Shown
		}
		return c
	}
	disc.Interviews = show(disc.Interviews)
	disc.InterviewsByGroup = mapValues(disc.InterviewsByGroup, show)
	disc.InterviewsByWave = mapValues(disc.InterviewsByWave, show)
	codes := map[string]metrics.CodeDisclosure{}
	for k, c := range disc.Codes {
		c.Interviews = show(c.Interviews)
		c.Share.Withheld = c.Interviews.Withheld()
		sh := func(s metrics.ShareDisclosure) metrics.ShareDisclosure {
			s.Interviews = show(s.Interviews)
			s.Share.Withheld = s.Interviews.Withheld()
			return s
		}
		c.ByGroup = mapValues(c.ByGroup, sh)
		c.ByWave = mapValues(c.ByWave, sh)
		codes[k] = c
	}
	disc.Codes = codes
	disc.Cells = slices.Clone(disc.Cells)
	for i := range disc.Cells {
		disc.Cells[i].Interviews = show(disc.Cells[i].Interviews)
	}
	primary := *m
	primary.Disclosure = &disc
	if leaks := attackMetrics(t, d, &primary, 5); len(leaks) == 0 {
		t.Error("the attacker recovers nothing from primary suppression alone: it cannot fail")
	} else {
		t.Logf("primary suppression alone: %d withheld counts recovered, such as %s", len(leaks), leaks[0])
	}
}

func mapValues[V any](m map[string]V, f func(V) V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[k] = f(v)
	}
	return out
}

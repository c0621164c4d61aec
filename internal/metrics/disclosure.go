package metrics

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/evalsite/evalsite/internal/ingest"
)

// Withheld is what every published output shows in place of a withheld
// count or share of interviews: the shorthand for "confidential" that the
// UK Analysis Function guidance recommends.
const Withheld = "[c]"

// Reason says whether a count of interviews is published and, if not, why.
type Reason uint8

const (
	// Shown: the count is published.
	Shown Reason = iota
	// BelowThreshold: fewer interviews than the threshold, zero included.
	BelowThreshold
	// Protecting: withheld so that a count below the threshold cannot be
	// worked out from totals, differences or shares.
	Protecting
)

// Count is a number of interviews with its disclosure decision.
type Count struct {
	N      int
	Reason Reason
}

// Withheld reports whether the count is not published.
func (c Count) Withheld() bool { return c.Reason != Shown }

// Text is the count as published: the number with thousands separators, or
// Withheld.
func (c Count) Text() string {
	if c.Withheld() {
		return Withheld
	}
	return Format(c.N, UnitCount)
}

// Ratio is a share of interviews with its disclosure decision.
type Ratio struct {
	Value    float64
	Withheld bool
}

// ShareDisclosure is a count within a group or wave and its share of the
// group's or wave's interviews.
type ShareDisclosure struct {
	Interviews Count
	Share      Ratio
}

// CodeDisclosure is one code's figures with their decisions.
type CodeDisclosure struct {
	Interviews Count
	Share      Ratio
	ByGroup    map[string]ShareDisclosure
	ByWave     map[string]ShareDisclosure
}

// CellDisclosure is the number of interviews in one respondent group and
// wave to which a code was applied: the finest breakdown published.
type CellDisclosure struct {
	Code, Group, Wave string
	Interviews        Count
}

// PairDisclosure is one pair of codes found in the same interviews.
type PairDisclosure struct {
	A, B       string
	Interviews Count
}

// Disclosure holds, for every count and share of interviews that a release
// publishes, whether it is withheld. Every output (pages, tables, charts,
// alt text, downloads, metrics.json) reads these decisions rather than
// making its own.
type Disclosure struct {
	// Below is the threshold: counts below it are withheld.
	Below             int
	Interviews        Count
	InterviewsByGroup map[string]Count
	// InterviewsByWave are the bases of the by-wave shares, protected like
	// the counts by group.
	InterviewsByWave map[string]Count
	Codes            map[string]CodeDisclosure
	// Cells has every code (by name) with every group (in the schema's
	// order) and every wave found in the data, zeros included.
	Cells []CellDisclosure
	// Cooccurrence has the published pairs first, by interviews (most
	// first) then a and b, then the withheld ones by a and b: the order
	// never depends on a withheld count.
	Cooccurrence []PairDisclosure

	pairs map[[2]string]Count // Cooccurrence by a and b
	cells map[cellKey]Count   // Cells by code, group and wave
}

// Disclose applies disclosure control to the interview counts of m, computed
// from the codings cs, with the threshold below: it returns a copy of m whose
// Disclosure says, for every count and share of interviews published
// anywhere, whether it is withheld, and whose Lookup and PublishedJSON show
// those as Withheld. A threshold of 0 or less returns m itself.
//
// Primary suppression withholds every count below the threshold, zero
// included. Secondary suppression then looks at every sum that is published
// or can be worked out: the groups' interviews add up to all interviews and
// so do the waves'; for each code, its groups, its waves and its group-wave
// cells add up to its total, and each group's (or wave's) cells to the
// group's (wave's) count. In each such sum whose total is shown, the withheld
// parts must be at least two and add up, less what the others are known to
// be at least, to the threshold (else a subtraction would pin one, or show
// that each is small); while they are not, the smallest shown part is
// withheld too. A sum whose total is withheld must withhold a part. A
// withheld number of interviews in a group or wave withholds every count
// within it, since count <= base would otherwise bound it. This repeats
// until nothing changes; then an audit bounds every withheld count as a
// reader could and withholds more where one is still pinned or shown small
// (see audit). Shares follow their counts and bases, and a pair of codes is
// withheld when either code's count is.
func Disclose(m *Metrics, cs []ingest.Coding, below int) *Metrics {
	if below <= 0 || m == nil {
		return m
	}
	out := *m
	out.Disclosure = disclose(m.Codings, cs, below)
	return &out
}

// engine holds every count of interviews as a cell, the sums among them,
// and whether each cell is withheld; cells only ever become withheld, so
// the repetitions in run and in Disclose end.
type engine struct {
	below int
	val   []int
	why   []Reason
	floor []int // the least a cell can be, as a reader knows: 1 for a group or wave listed

	rels []relation
	// covers are the sums that are at least their total: every interview
	// has a code, so the codes' counts in a group add up to at least the
	// group's interviews.
	covers []relation
	under  [][]int // under[i]: the cells withheld whenever cell i is, each at most cell i
}

type relation struct {
	total int
	parts []int
}

func (e *engine) cell(n int) int {
	e.val = append(e.val, n)
	r := Shown
	if n < e.below {
		r = BelowThreshold
	}
	e.why = append(e.why, r)
	e.floor = append(e.floor, 0)
	e.under = append(e.under, nil)
	return len(e.val) - 1
}

func (e *engine) hidden(i int) bool { return e.why[i] != Shown }

func (e *engine) withhold(i int) {
	if e.why[i] == Shown {
		e.why[i] = Protecting
	}
}

// protect withholds one more cell of r when r would give a withheld cell
// away; it reports whether it did.
func (e *engine) protect(r relation) bool {
	// A reader who knows the sum of the withheld parts, and that each is
	// at least its floor, bounds each by the sum less the others' floors.
	n, sum, floors, smallest := 0, 0, 0, -1
	for _, p := range r.parts {
		if e.hidden(p) {
			n++
			sum += e.val[p]
			floors += e.floor[p]
		} else if smallest < 0 || e.val[p] < e.val[smallest] {
			smallest = p
		}
	}
	if e.hidden(r.total) {
		if n > 0 || smallest < 0 {
			return false
		}
		e.withhold(smallest)
		return true
	}
	if n == 0 || n >= 2 && sum-floors+minFloor(e, r) >= e.below {
		return false
	}
	if smallest < 0 {
		e.withhold(r.total)
	} else {
		e.withhold(smallest)
	}
	return true
}

// minFloor is the smallest floor among the withheld parts of r. The part
// a reader bounds lowest is the one with the smallest floor, at the sum
// less all floors plus its own.
func minFloor(e *engine, r relation) int {
	m := -1
	for _, p := range r.parts {
		if e.hidden(p) && (m < 0 || e.floor[p] < m) {
			m = e.floor[p]
		}
	}
	return max(m, 0)
}

func (e *engine) run() {
	for changed := true; changed; {
		changed = false
		for i, deps := range e.under {
			if !e.hidden(i) {
				continue
			}
			for _, d := range deps {
				if !e.hidden(d) {
					e.withhold(d)
					changed = true
				}
			}
		}
		for _, r := range e.rels {
			if e.protect(r) {
				changed = true
			}
		}
	}
}

// unbounded stands for a bound the sums do not give.
const unbounded = 1 << 40

// audit bounds every withheld cell as a reader could from the shown ones,
// with every sum, cover, floor and count <= base, narrowing the intervals
// until they settle; it returns the withheld cells that end up pinned to one
// value or wholly below the threshold. The rules in run prevent this in
// almost every table; the audit catches the rest, where bounds from one sum
// narrow another.
func (e *engine) audit() []int {
	n := len(e.val)
	lo, hi := make([]int, n), make([]int, n)
	for i := range n {
		if e.hidden(i) {
			lo[i], hi[i] = e.floor[i], unbounded
		} else {
			lo[i], hi[i] = e.val[i], e.val[i]
		}
	}
	changed := false
	set := func(i, l, h int) {
		if l > lo[i] {
			lo[i], changed = min(l, hi[i]), true
		}
		if h < hi[i] {
			hi[i], changed = max(h, lo[i]), true
		}
	}
	add := func(x, y int) int { return min(x+y, unbounded) }
	for round := 0; round < 1000; round++ {
		changed = false
		for _, r := range e.rels {
			sl, sh := 0, 0
			for _, p := range r.parts {
				sl, sh = add(sl, lo[p]), add(sh, hi[p])
			}
			set(r.total, sl, sh)
			for _, p := range r.parts {
				ol, oh := 0, 0
				for _, q := range r.parts {
					if q != p {
						ol, oh = add(ol, lo[q]), add(oh, hi[q])
					}
				}
				l, h := 0, unbounded
				if oh < unbounded {
					l = lo[r.total] - oh
				}
				if hi[r.total] < unbounded {
					h = hi[r.total] - ol
				}
				set(p, l, h)
			}
		}
		for _, r := range e.covers {
			sh := 0
			for _, p := range r.parts {
				sh = add(sh, hi[p])
			}
			set(r.total, 0, sh)
			for _, p := range r.parts {
				if oh := sh - hi[p]; sh < unbounded {
					set(p, lo[r.total]-oh, unbounded)
				}
			}
		}
		for b, deps := range e.under {
			for _, d := range deps {
				set(d, 0, hi[b])
				set(b, lo[d], unbounded)
			}
		}
		if !changed {
			break
		}
	}
	var leaks []int
	for i := range n {
		if e.hidden(i) && (lo[i] == hi[i] || hi[i] < e.below) {
			leaks = append(leaks, i)
		}
	}
	return leaks
}

// remedy withholds, for each leaking cell, the smallest shown part of every
// sum and cover it belongs to, or the sum's total when no part is shown. It
// reports whether it withheld anything.
func (e *engine) remedy(leaks []int) bool {
	did := false
	for _, x := range leaks {
		for _, r := range slices.Concat(e.rels, e.covers) {
			if r.total != x && !slices.Contains(r.parts, x) {
				continue
			}
			smallest := -1
			for _, p := range r.parts {
				if !e.hidden(p) && (smallest < 0 || e.val[p] < e.val[smallest]) {
					smallest = p
				}
			}
			switch {
			case smallest >= 0:
				e.withhold(smallest)
				did = true
			case !e.hidden(r.total):
				e.withhold(r.total)
				did = true
			}
		}
	}
	return did
}

func (e *engine) count(i int) Count { return Count{N: e.val[i], Reason: e.why[i]} }

func disclose(c Codings, cs []ingest.Coding, below int) *Disclosure {
	codes := slices.Sorted(maps.Keys(c.Codes))
	groups := slices.Collect(maps.Keys(c.InterviewsByGroup))
	order := groupOrder()
	slices.SortFunc(groups, func(a, b string) int {
		return cmp.Or(cmp.Compare(orderOf(order, a), orderOf(order, b)), cmp.Compare(a, b))
	})
	cells := cellCounts(cs)
	waves := slices.Collect(maps.Keys(c.InterviewsByWave))
	slices.SortFunc(waves, func(a, b string) int {
		x, _ := strconv.Atoi(a)
		y, _ := strconv.Atoi(b)
		return cmp.Or(cmp.Compare(x, y), cmp.Compare(a, b))
	})

	e := &engine{below: below}
	all := e.cell(c.Interviews)
	gi := map[string]int{}
	var gs []int
	for _, g := range groups {
		gi[g] = e.cell(c.InterviewsByGroup[g])
		e.floor[gi[g]] = 1
		gs = append(gs, gi[g])
	}
	wi := map[string]int{}
	var ws []int
	for _, w := range waves {
		wi[w] = e.cell(c.InterviewsByWave[w])
		e.floor[wi[w]] = 1
		ws = append(ws, wi[w])
	}
	e.rels = append(e.rels, relation{all, gs}, relation{all, ws})

	type codeCells struct {
		total       int
		byGroup     map[string]int
		byWave      map[string]int
		byGroupWave map[[2]string]int
	}
	cc := map[string]codeCells{}
	for _, code := range codes {
		st := c.Codes[code]
		x := codeCells{total: e.cell(st.Interviews), byGroup: map[string]int{}, byWave: map[string]int{}, byGroupWave: map[[2]string]int{}}
		e.under[all] = append(e.under[all], x.total)
		var rowG, rowW, rowGW []int
		for _, g := range groups {
			x.byGroup[g] = e.cell(st.ByGroup[g].Interviews)
			rowG = append(rowG, x.byGroup[g])
			e.under[gi[g]] = append(e.under[gi[g]], x.byGroup[g])
		}
		for _, w := range waves {
			x.byWave[w] = e.cell(st.ByWave[w].Interviews)
			rowW = append(rowW, x.byWave[w])
			e.under[wi[w]] = append(e.under[wi[w]], x.byWave[w])
		}
		for _, g := range groups {
			var parts []int
			for _, w := range waves {
				k := e.cell(cells[cellKey{code, g, w}])
				x.byGroupWave[[2]string{g, w}] = k
				parts = append(parts, k)
				rowGW = append(rowGW, k)
				e.under[gi[g]] = append(e.under[gi[g]], k)
				e.under[wi[w]] = append(e.under[wi[w]], k)
			}
			e.rels = append(e.rels, relation{x.byGroup[g], parts})
		}
		for _, w := range waves {
			var parts []int
			for _, g := range groups {
				parts = append(parts, x.byGroupWave[[2]string{g, w}])
			}
			e.rels = append(e.rels, relation{x.byWave[w], parts})
		}
		e.rels = append(e.rels, relation{x.total, rowG}, relation{x.total, rowW}, relation{x.total, rowGW})
		cc[code] = x
	}
	cover := relation{total: all}
	for _, code := range codes {
		cover.parts = append(cover.parts, cc[code].total)
	}
	e.covers = append(e.covers, cover)
	for _, g := range groups {
		r := relation{total: gi[g]}
		for _, code := range codes {
			r.parts = append(r.parts, cc[code].byGroup[g])
		}
		e.covers = append(e.covers, r)
	}
	for _, w := range waves {
		r := relation{total: wi[w]}
		for _, code := range codes {
			r.parts = append(r.parts, cc[code].byWave[w])
		}
		e.covers = append(e.covers, r)
	}
	e.run()
	for range len(e.val) {
		leaks := e.audit()
		if len(leaks) == 0 || !e.remedy(leaks) {
			break
		}
		e.run()
	}

	d := &Disclosure{
		Below:             below,
		Interviews:        e.count(all),
		InterviewsByGroup: map[string]Count{},
		InterviewsByWave:  map[string]Count{},
		Codes:             map[string]CodeDisclosure{},
		Cells:             []CellDisclosure{},
		Cooccurrence:      []PairDisclosure{},
		cells:             map[cellKey]Count{},
	}
	for g, i := range gi {
		d.InterviewsByGroup[g] = e.count(i)
	}
	for w, i := range wi {
		d.InterviewsByWave[w] = e.count(i)
	}
	share := func(st Share, count, base int) ShareDisclosure {
		return ShareDisclosure{Interviews: e.count(count), Share: Ratio{Value: st.Share, Withheld: e.hidden(count) || e.hidden(base)}}
	}
	for _, code := range codes {
		st, x := c.Codes[code], cc[code]
		cd := CodeDisclosure{
			Interviews: e.count(x.total),
			Share:      Ratio{Value: st.Share, Withheld: e.hidden(x.total) || e.hidden(all)},
			ByGroup:    map[string]ShareDisclosure{},
			ByWave:     map[string]ShareDisclosure{},
		}
		for _, g := range groups {
			cd.ByGroup[g] = share(st.ByGroup[g], x.byGroup[g], gi[g])
		}
		for _, w := range waves {
			cd.ByWave[w] = share(st.ByWave[w], x.byWave[w], wi[w])
		}
		d.Codes[code] = cd
		for _, g := range groups {
			for _, w := range waves {
				n := e.count(x.byGroupWave[[2]string{g, w}])
				d.Cells = append(d.Cells, CellDisclosure{Code: code, Group: g, Wave: w, Interviews: n})
				d.cells[cellKey{code, g, w}] = n
			}
		}
	}
	for _, p := range c.Cooccurrence {
		n := Count{N: p.Interviews}
		switch {
		case p.Interviews < below:
			n.Reason = BelowThreshold
		case d.Codes[p.A].Interviews.Withheld() || d.Codes[p.B].Interviews.Withheld():
			n.Reason = Protecting
		}
		d.Cooccurrence = append(d.Cooccurrence, PairDisclosure{A: p.A, B: p.B, Interviews: n})
	}
	d.pairs = make(map[[2]string]Count, len(d.Cooccurrence))
	for _, p := range d.Cooccurrence {
		d.pairs[[2]string{p.A, p.B}] = p.Interviews
	}
	slices.SortStableFunc(d.Cooccurrence, func(x, y PairDisclosure) int {
		xw, yw := x.Interviews.Withheld(), y.Interviews.Withheld()
		switch {
		case xw != yw:
			if xw {
				return 1
			}
			return -1
		case !xw && x.Interviews.N != y.Interviews.N:
			return cmp.Compare(y.Interviews.N, x.Interviews.N)
		}
		return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	return d
}

type cellKey struct{ code, group, wave string }

// cellCounts counts distinct interviews by code, group and wave, an
// interview's group and wave being those of its first row as in codings.
func cellCounts(cs []ingest.Coding) map[cellKey]int {
	type iv struct{ group, wave string }
	ivs := map[string]iv{}
	seen := map[[2]string]bool{}
	cells := map[cellKey]int{}
	for _, c := range cs {
		v, ok := ivs[c.InterviewID]
		if !ok {
			v = iv{c.Group, strconv.Itoa(c.Wave)}
			ivs[c.InterviewID] = v
		}
		k := [2]string{c.InterviewID, c.Code}
		if seen[k] {
			continue
		}
		seen[k] = true
		cells[cellKey{c.Code, v.group, v.wave}]++
	}
	return cells
}

// groupOrder is the schema's list of respondent groups.
func groupOrder() []string {
	for _, s := range ingest.Schemas() {
		if col, ok := s.Column("group"); ok && s.Name == "codings" {
			return col.Values
		}
	}
	return nil
}

func orderOf(list []string, v string) int {
	if i := slices.Index(list, v); i >= 0 {
		return i
	}
	return len(list)
}

// withholds reports whether the figure of the registry pattern with these
// keys is withheld.
func (d *Disclosure) withholds(pattern string, keys []string) bool {
	key := func(i int) string {
		if i < len(keys) {
			return keys[i]
		}
		return ""
	}
	switch pattern {
	case "codings.interviews":
		return d.Interviews.Withheld()
	case "codings.interviews_by_group.<group>":
		return d.InterviewsByGroup[key(0)].Withheld()
	case "codings.interviews_by_wave.<wave>":
		return d.InterviewsByWave[key(0)].Withheld()
	case "codings.codes.<code>.interviews":
		return d.Codes[key(0)].Interviews.Withheld()
	case "codings.codes.<code>.share":
		return d.Codes[key(0)].Share.Withheld
	case "codings.codes.<code>.by_group.<group>.interviews":
		return d.Codes[key(0)].ByGroup[key(1)].Interviews.Withheld()
	case "codings.codes.<code>.by_group.<group>.share":
		return d.Codes[key(0)].ByGroup[key(1)].Share.Withheld
	case "codings.codes.<code>.by_wave.<wave>.interviews":
		return d.Codes[key(0)].ByWave[key(1)].Interviews.Withheld()
	case "codings.codes.<code>.by_wave.<wave>.share":
		return d.Codes[key(0)].ByWave[key(1)].Share.Withheld
	case "codings.cooccurrence.<a>.<b>":
		return d.pairs[[2]string{key(0), key(1)}].Withheld()
	}
	return false
}

// Attribution reports whether a quote coded code, from an interview in
// group and wave, may say the group and wave it came from: only when the
// code's counts for that group, that wave and that group and wave are all
// published, so that a quote never shows a withheld count is not zero.
func (d *Disclosure) Attribution(code, group, wave string) bool {
	if d == nil {
		return true
	}
	cd, ok := d.Codes[code]
	if !ok || cd.ByGroup[group].Interviews.Withheld() || cd.ByWave[wave].Interviews.Withheld() {
		return false
	}
	n, ok := d.cells[cellKey{code, group, wave}]
	return ok && !n.Withheld()
}

// PublishedJSON is metrics.json as published: m indented with two spaces
// and a final newline, with the counts and shares of interviews that
// m.Disclosure withholds shown as Withheld and the withheld pairs of codes
// left out of cooccurrence (a pair not listed was found in fewer interviews
// than the threshold, in none, or is withheld to protect another count).
func (m *Metrics) PublishedJSON() ([]byte, error) {
	if m.Disclosure == nil {
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return nil, err
		}
		return append(b, '\n'), nil
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	codings, err := json.Marshal(m.Disclosure.published())
	if err != nil {
		return nil, err
	}
	// Replace the value of "codings", keeping every key in its place.
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return nil, errors.New("metrics are not a JSON object")
	}
	var b bytes.Buffer
	b.WriteByte('{')
	for i := 0; dec.More(); i++ {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, err
		}
		if i > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(tok)
		b.Write(k)
		b.WriteByte(':')
		if tok == "codings" {
			v = codings
		}
		b.Write(v)
	}
	if _, err := dec.Token(); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, fmt.Errorf("metrics: data after the object")
	}
	b.WriteByte('}')
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

type publishedShare struct {
	Interviews any `json:"interviews"`
	Share      any `json:"share"`
}

type publishedCode struct {
	Interviews any                       `json:"interviews"`
	Share      any                       `json:"share"`
	ByGroup    map[string]publishedShare `json:"by_group"`
	ByWave     map[string]publishedShare `json:"by_wave"`
}

type publishedCodings struct {
	Interviews        any                      `json:"interviews"`
	InterviewsByGroup map[string]any           `json:"interviews_by_group"`
	InterviewsByWave  map[string]any           `json:"interviews_by_wave"`
	Codes             map[string]publishedCode `json:"codes"`
	Cooccurrence      []Pair                   `json:"cooccurrence"`
}

func countValue(c Count) any {
	if c.Withheld() {
		return Withheld
	}
	return c.N
}

func ratioValue(r Ratio) any {
	if r.Withheld {
		return Withheld
	}
	return r.Value
}

func (d *Disclosure) published() publishedCodings {
	p := publishedCodings{
		Interviews:        countValue(d.Interviews),
		InterviewsByGroup: map[string]any{},
		InterviewsByWave:  map[string]any{},
		Codes:             map[string]publishedCode{},
		Cooccurrence:      []Pair{},
	}
	for g, c := range d.InterviewsByGroup {
		p.InterviewsByGroup[g] = countValue(c)
	}
	for w, c := range d.InterviewsByWave {
		p.InterviewsByWave[w] = countValue(c)
	}
	sh := func(s ShareDisclosure) publishedShare {
		return publishedShare{countValue(s.Interviews), ratioValue(s.Share)}
	}
	for code, cd := range d.Codes {
		pc := publishedCode{Interviews: countValue(cd.Interviews), Share: ratioValue(cd.Share),
			ByGroup: map[string]publishedShare{}, ByWave: map[string]publishedShare{}}
		for g, s := range cd.ByGroup {
			pc.ByGroup[g] = sh(s)
		}
		for w, s := range cd.ByWave {
			pc.ByWave[w] = sh(s)
		}
		p.Codes[code] = pc
	}
	for _, pr := range d.Cooccurrence {
		if !pr.Interviews.Withheld() {
			p.Cooccurrence = append(p.Cooccurrence, Pair{A: pr.A, B: pr.B, Interviews: pr.Interviews.N})
		}
	}
	return p
}

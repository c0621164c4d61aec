// Package example generates a synthetic, reproducible evaluation of the
// 2000-01 pilot Local Public Service Agreements and writes it as the input
// files ingest reads (three workbooks, or five CSV files).
//
// The data is illustrative. It follows the patterns the pilot's evaluation
// reported (starts from November 2000, a peak of meetings in December 2000,
// more than six negotiations at once before the later starts were staggered
// from January 2001, every agreement signed by the end of fieldwork in May
// 2001, most requests for freedoms not granted) but no figure in it is real,
// and every authority in it is invented. The same Config always gives the
// same data, and Write gives the same bytes.
package example

import (
	"cmp"
	"container/heap"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"time"

	"github.com/evalsite/evalsite/internal/ingest"
)

// DefaultAgreements is the number of agreements in the pilot, and of a
// Config whose Agreements is zero.
const DefaultAgreements = 20

// DefaultSeed seeds the generator when Config.Seed is zero: the date the
// fieldwork began, 1 November 2000.
const DefaultSeed int64 = 20001101

// Config chooses the size and the random seed of an example.
type Config struct {
	Agreements int   // number of agreements; zero or less means DefaultAgreements
	Seed       int64 // zero means DefaultSeed
}

// Key dates of the pilot.
var (
	fieldworkStart = day(2000, time.November, 1)
	meetingPeak    = day(2000, time.December, 4) // first day of the December burst
	staggerFrom    = day(2001, time.January, 8)  // starts were staggered from here on
	lastStart      = day(2001, time.April, 23)   // late enough to sign by fieldworkEnd
	fieldworkEnd   = day(2001, time.May, 31)     // every agreement is signed by this day
	workshops      = []time.Time{day(2001, time.January, 24), day(2001, time.April, 4)}
)

// capacity is how many negotiations the policy centre could run at once in
// a pilot of DefaultAgreements; it scales with the number of agreements.
const capacity = 6

// RNG streams, one per dataset, so that each dataset depends only on the
// seed and the agreements, not on how many numbers another dataset drew.
const (
	streamAgreements = iota + 1
	streamEvents
	streamFreedoms
	streamCodings
)

// Generate returns a complete, valid data set (all five datasets, including
// a codebook) of cfg.Agreements signed agreements, their requests for
// freedoms (about 5 each), events (about 50 each, plus two programme-wide
// workshops) and interview codings (60 + Agreements/5 interviews in two
// waves, about 20 codes each). Positions, Sources and Warnings are left
// empty: the records were not read from a file.
func Generate(cfg Config) *ingest.Data {
	n := cfg.Agreements
	if n <= 0 {
		n = DefaultAgreements
	}
	seed := cfg.Seed
	if seed == 0 {
		seed = DefaultSeed
	}
	g := &generator{seed: uint64(seed), n: n}
	d := &ingest.Data{}
	d.Agreements = g.agreements()
	d.Events = g.events(d.Agreements)
	d.Freedoms = g.freedoms(d.Agreements)
	d.Codings = g.codings(d.Agreements)
	d.Codebook = make([]ingest.Code, len(codebook))
	for i, c := range codebook {
		d.Codebook[i] = ingest.Code{Code: c.code, Label: c.label, Parent: c.parent, Description: c.description}
	}
	return d
}

// generator holds what the datasets share: the seed, the size and, per
// agreement, the departments that took part in it.
type generator struct {
	seed  uint64
	n     int
	depts [][]string // by agreement index
}

func (g *generator) rng(stream uint64) *rand.Rand {
	return rand.New(rand.NewPCG(g.seed, stream))
}

// agreements plans the negotiations. The first tranche (60%) starts within
// November 2000, which drives concurrency over capacity in December. The
// second tranche starts from January 2001, each only when a slot is free, so
// that no more than capacity run at once after the staggering.
func (g *generator) agreements() []ingest.Agreement {
	r := g.rng(streamAgreements)
	n := g.n
	slots := max(1, int(math.Round(float64(capacity*n)/DefaultAgreements)))
	first := int(math.Round(0.6 * float64(n)))

	type plan struct{ start, end time.Time }
	plans := make([]plan, n)
	// First tranche: starts across November; durations by quota so that
	// every size of example has short, medium and long negotiations.
	novDays := weekdays(fieldworkStart, day(2000, time.November, 30))
	for i := range first {
		start := novDays[r.IntN(len(novDays))]
		if i == 0 {
			start = fieldworkStart
		}
		frac := float64(i) / float64(max(1, first))
		var dur int
		switch {
		case frac < 0.25: // a few weeks
			dur = 21 + r.IntN(29)
		case frac < 0.85: // two to three months
			dur = 50 + r.IntN(46)
		default: // several months
			dur = 155 + r.IntN(36)
		}
		plans[i] = plan{start, endBy(start, dur, r)}
	}
	// Second tranche: staggered into free slots, shorter thanks to the
	// standard draft.
	active := &dateHeap{}
	for i := range first {
		heap.Push(active, plans[i].end)
	}
	next := staggerFrom
	for i := first; i < n; i++ {
		start := next
		for {
			for active.Len() > 0 && !(*active)[0].After(start) {
				heap.Pop(active) // ended on or before start: no longer active
			}
			if active.Len() < slots || !start.Before(lastStart) {
				break
			}
			start = (*active)[0]
		}
		start = nextWeekday(start)
		if start.After(lastStart) {
			start = prevWeekday(lastStart)
		}
		dur := 21 + r.IntN(43)
		if i == n-1 {
			dur = 21 // the last start shows that weeks were enough by then
		}
		plans[i] = plan{start, endBy(start, dur, r)}
		heap.Push(active, plans[i].end)
		next = start
	}
	slices.SortStableFunc(plans, func(a, b plan) int {
		return cmp.Or(a.start.Compare(b.start), a.end.Compare(b.end))
	})

	names := authorityNames(n, r)
	width := max(2, len(strconv.Itoa(n)))
	out := make([]ingest.Agreement, n)
	g.depts = make([][]string, n)
	for i, p := range plans {
		a := names[i]
		tranche := "1"
		if !p.start.Before(staggerFrom) {
			tranche = "2"
		}
		targets := 9 + r.IntN(7)
		pump, reward := grants(a.kind, r)
		out[i] = ingest.Agreement{
			ID:             fmt.Sprintf("LPSA-%0*d", width, i+1),
			Authority:      a.name,
			AuthorityType:  a.kind,
			Region:         a.region,
			Tranche:        tranche,
			Started:        p.start,
			Signed:         p.end,
			Targets:        &targets,
			PumpPrimingGBP: &pump,
			RewardGrantGBP: &reward,
		}
		k := 2 + r.IntN(3)
		g.depts[i] = pickDistinct(departments, k, r)
	}
	unfinished(out, r)
	return out
}

// unfinished leaves some negotiations of an example larger than the pilot
// without a signature, so that censoring shows: about one in fifteen of the
// second tranche still open at the end of fieldwork (the latest starts)
// and about one in twenty-five withdrawn part way. The pilot's own size
// keeps every agreement signed, as the pilot did.
func unfinished(as []ingest.Agreement, r *rand.Rand) {
	n := len(as)
	if n <= DefaultAgreements {
		return
	}
	open, withdrawn := max(1, n/15), max(1, n/25)
	// The latest starts are the ones still open.
	for i := n - 1; i >= 0 && open > 0; i-- {
		if as[i].Tranche == "2" {
			as[i].Signed = time.Time{}
			open--
		}
	}
	for tries := 0; withdrawn > 0 && tries < 10*n; tries++ {
		a := &as[r.IntN(n)]
		if a.Signed.IsZero() || !a.Withdrawn.IsZero() {
			continue
		}
		span := days(a.Started, a.Signed)
		if span < 14 {
			continue
		}
		w := clampWeekday(a.Started.AddDate(0, 0, span/3+r.IntN(span/3+1)), a.Started, a.Signed)
		a.Withdrawn, a.Signed = w, time.Time{}
		withdrawn--
	}
}

// endOf is the day an agreement's negotiation ended: its signing or
// withdrawal, or the end of fieldwork while it is still open.
func endOf(a ingest.Agreement) time.Time {
	if end, ok := a.End(); ok {
		return end
	}
	return fieldworkEnd
}

// endBy returns a weekday about dur days after start, and no later than the
// end of fieldwork.
func endBy(start time.Time, dur int, r *rand.Rand) time.Time {
	end := start.AddDate(0, 0, dur)
	limit := fieldworkEnd.AddDate(0, 0, -r.IntN(8))
	if end.After(limit) {
		end = limit
	}
	end = prevWeekday(end)
	if !end.After(start) {
		end = nextWeekday(start.AddDate(0, 0, 1))
	}
	return end
}

// grants returns a pump-priming grant and a reward grant in pounds, in the
// ranges of the pilot and the first agreements after it: pump-priming of
// about a million pounds for an upper-tier authority, and a reward of 2.5%
// of the authority's net budget requirement if every target was met (see
// docs/example-data.md). The budget, in millions of pounds, is invented
// within a range for each kind of authority.
func grants(kind string, r *rand.Rand) (pump, reward float64) {
	lo, hi := 600, 1000      // thousands of pounds of pump-priming
	budLo, budHi := 100, 300 // net budget requirement, millions of pounds
	switch kind {
	case "county":
		lo, hi = 1000, 1500
		budLo, budHi = 350, 900
	case "metropolitan":
		lo, hi = 800, 1300
		budLo, budHi = 250, 600
	case "london_borough":
		budLo, budHi = 150, 300
	case "district":
		lo, hi = 250, 500
		budLo, budHi = 10, 25
	}
	p := lo + r.IntN(hi-lo+1)
	pump = float64(p) * 1000
	budget := float64(budLo) + float64(budHi-budLo)*r.Float64()
	// 2.5% of the budget, to the nearest ten thousand pounds.
	reward = math.Round(budget*1e6*0.025/10000) * 10000
	return pump, reward
}

// authorityNames returns n authorities: the pilot's twenty, shuffled, then
// invented names for larger examples.
func authorityNames(n int, r *rand.Rand) []authority {
	out := make([]authority, 0, n)
	pilot := slices.Clone(pilotAuthorities)
	r.Shuffle(len(pilot), func(i, j int) { pilot[i], pilot[j] = pilot[j], pilot[i] })
	out = append(out, pilot[:min(n, len(pilot))]...)
	p, s := len(namePrefixes), len(nameSuffixes)
	for i := 0; len(out) < n; i++ {
		name := namePrefixes[i%p] + nameSuffixes[(i/p)%s]
		if q := i / (p * s); q > 0 {
			if q < len(nameQualifiers) {
				name = nameQualifiers[q] + name
			} else {
				name = fmt.Sprintf("%s %d", name, q)
			}
		}
		out = append(out, authority{
			name:   name,
			kind:   pick(authorityKinds, r),
			region: regions[r.IntN(len(regions))],
		})
	}
	return out
}

// events returns every agreement's contacts, in bursts separated by quiet
// spells, with more meetings early on (a burst of them in December 2000)
// and more informal specialist contact later, and the two workshops; sorted
// by date.
func (g *generator) events(agreements []ingest.Agreement) []ingest.Event {
	r := g.rng(streamEvents)
	out := make([]ingest.Event, 0, 60*len(agreements)+len(workshops))
	decEnd := day(2000, time.December, 15)
	var centres []time.Time
	var weights []float64
	for _, w := range workshops {
		out = append(out, ingest.Event{
			Date:  w,
			Type:  "workshop",
			Hours: ptr(6.0),
			Note:  "Programme workshop for authorities, departments, the LGA and Government Offices",
		})
	}
	for i, a := range agreements {
		depts := g.depts[i]
		end := endOf(a)
		span := days(a.Started, end)
		n := max(6, 22+span*2/5+r.IntN(9)-4)
		add := func(date time.Time, typ string) {
			out = append(out, g.event(r, a.ID, date, typ, depts))
		}
		add(a.Started, "meeting")
		if !a.Signed.IsZero() {
			add(a.Signed, "signing")
		} else {
			add(end, "correspondence") // the last contact of an open or withdrawn negotiation
		}
		add(clampWeekday(end.AddDate(0, 0, -7-r.IntN(8)), a.Started, end), "draft")

		// Bursts of activity: a few centres through the negotiation, and
		// for agreements open in early December one more, weighing as much as
		// all the others together.
		centres, weights = centres[:0], weights[:0]
		for range 1 + span/28 {
			centres = append(centres, a.Started.AddDate(0, 0, r.IntN(span+1)))
			weights = append(weights, 1)
		}
		if a.Started.Before(decEnd) && end.After(meetingPeak) {
			lo := later(a.Started, meetingPeak)
			hi := earlier(end, decEnd)
			centres = append(centres, lo.AddDate(0, 0, r.IntN(days(lo, hi)+1)))
			weights = append(weights, float64(len(weights)+1))
		}
		total := 0.0
		for _, w := range weights {
			total += w
		}
		for range n - 3 {
			x := r.Float64() * total
			c := 0
			for c < len(weights)-1 && x >= weights[c] {
				x -= weights[c]
				c++
			}
			// A contact falls on a working day within the negotiation:
			// draw again rather than move it, so that no weekday gathers
			// the contacts of days off.
			var date time.Time
			for try := 0; ; try++ {
				date = centres[c].AddDate(0, 0, int(math.Round(r.NormFloat64()*3)))
				if try == 20 || (!isWeekend(date) && !date.Before(a.Started) && !date.After(end)) {
					break
				}
			}
			date = clampWeekday(date, a.Started, end, r)
			add(date, eventType(date, r))
		}
	}
	// Sort by date, then agreement, keeping the order of generation among
	// equals: a counting sort by day is stable, workshops were added first
	// and agreement IDs rise in the order they were generated.
	first := out[0].Date
	for _, e := range out {
		first = earlier(first, e.Date)
	}
	var starts []int
	for _, e := range out {
		d := days(first, e.Date)
		for len(starts) <= d+1 {
			starts = append(starts, 0)
		}
		starts[d+1]++
	}
	for i := 1; i < len(starts); i++ {
		starts[i] += starts[i-1]
	}
	sorted := make([]ingest.Event, len(out))
	for _, e := range out {
		d := days(first, e.Date)
		sorted[starts[d]] = e
		starts[d]++
	}
	return sorted
}

// eventTypes are the kinds of contact within a negotiation.
var eventTypes = []string{"meeting", "bilateral", "correspondence", "draft", "briefing", "other"}

// eventType draws the kind of a contact on date: meetings were most common
// at the start of the pilot and gave way to informal specialist contact.
func eventType(date time.Time, r *rand.Rand) string {
	t := float64(days(fieldworkStart, date)) / float64(days(fieldworkStart, fieldworkEnd))
	t = min(1, max(0, t))
	w := [...]float64{0.50 - 0.38*t, 0.10 + 0.32*t, 0.22, 0.11, 0.04, 0.03}
	x := r.Float64() * (w[0] + w[1] + w[2] + w[3] + w[4] + w[5])
	for i, wi := range w {
		if x < wi {
			return eventTypes[i]
		}
		x -= wi
	}
	return eventTypes[len(eventTypes)-1]
}

// event makes one contact of the agreement id, with a department where the
// kind of contact has one, hours spent (not always recorded) and a note.
func (g *generator) event(r *rand.Rand, id string, date time.Time, typ string, depts []string) ingest.Event {
	e := ingest.Event{AgreementID: id, Date: date, Type: typ}
	var lo, hi float64 // hours, in quarter hours
	switch typ {
	case "meeting":
		lo, hi = 6, 16
		if r.IntN(10) < 6 {
			e.Department = depts[r.IntN(len(depts))]
		}
	case "bilateral":
		lo, hi = 2, 8
		e.Department = depts[r.IntN(len(depts))]
	case "correspondence":
		lo, hi = 1, 4
		if r.IntN(2) == 0 {
			e.Department = depts[r.IntN(len(depts))]
		}
	case "draft":
		lo, hi = 8, 24
	case "briefing":
		lo, hi = 4, 12
	case "signing":
		lo, hi = 8, 8
		e.Note = "Agreement signed"
	default:
		lo, hi = 4, 16
	}
	if typ == "signing" || r.IntN(10) > 0 {
		e.Hours = ptr((lo + float64(r.IntN(int(hi-lo)+1))) / 4)
	}
	if notes := eventNotes[typ]; len(notes) > 0 {
		e.Note = notes[r.IntN(len(notes))]
	}
	if typ == "meeting" && date.Before(meetingPeak.AddDate(0, 0, 12)) && !date.Before(meetingPeak) {
		e.Note = "December round of negotiation meetings"
	}
	return e
}

// freedoms returns three to seven requests per agreement, answered by the
// departments taking part: most not granted, some deferred to further
// discussion at signing.
func (g *generator) freedoms(agreements []ingest.Agreement) []ingest.Freedom {
	r := g.rng(streamFreedoms)
	counts := make([]int, len(agreements))
	total := 0
	for i := range agreements {
		counts[i] = 3 + r.IntN(5)
		total += counts[i]
	}
	width := max(3, len(strconv.Itoa(total)))
	out := make([]ingest.Freedom, 0, total)
	for i, a := range agreements {
		end := endOf(a)
		span := days(a.Started, end)
		for range counts[i] {
			dept := g.depts[i][r.IntN(len(g.depts[i]))]
			reqs := requests[dept]
			f := ingest.Freedom{
				RequestID:   fmt.Sprintf("FR-%0*d", width, len(out)+1),
				AgreementID: a.ID,
				Department:  dept,
				Request:     reqs[r.IntN(len(reqs))],
				Outcome:     pick(outcomes, r),
			}
			switch f.Outcome {
			case "not_granted":
				f.Reason = pick(refusalReasons, r)
				f.Decided = clampWeekday(a.Started.AddDate(0, 0, span/2+r.IntN(span/2+1)), a.Started, end)
			case "deferred":
				// Written into the agreement at signing as a commitment to
				// further discussion; undecided while the negotiation is open.
				f.Decided = a.Signed
			default:
				f.Decided = clampWeekday(a.Started.AddDate(0, 0, span/2+r.IntN(span/2+1)), a.Started, end)
			}
			out = append(out, f)
		}
	}
	return out
}

// codings returns 60 + n/5 interviews, half in each wave, in every
// respondent group in both waves, each coded with 12 to 28 distinct codes
// drawn by weights that depend on the group and the wave.
func (g *generator) codings(agreements []ingest.Agreement) []ingest.Coding {
	r := g.rng(streamCodings)
	m := 60 + len(agreements)/5
	width := max(3, len(strconv.Itoa(m)))
	out := make([]ingest.Coding, 0, m*19)
	keys := make([]float64, len(codebook))
	order := make([]int, len(codebook))
	// Each excerpt is quoted once: a code's excerpts are handed out in a
	// shuffled order until none is left.
	unused := make([][]string, len(codebook))
	for c, def := range codebook {
		unused[c] = slices.Clone(def.excerpts)
		r.Shuffle(len(unused[c]), func(i, j int) { unused[c][i], unused[c][j] = unused[c][j], unused[c][i] })
	}
	for i := range m {
		wave := 1
		if i >= m/2 {
			wave = 2
		}
		// The first interviews of each wave cover every group once.
		j := i
		if wave == 2 {
			j = i - m/2
		}
		var group string
		if j < len(groupShares) {
			group = groupShares[j].v
		} else {
			group = pick(groupShares, r)
		}
		org := organisation(group, agreements, g.depts, r)
		id := fmt.Sprintf("INT-%0*d", width, i+1)

		for c, def := range codebook {
			w := def.weight * (1 + float64(def.groups[group]))
			if wave == 2 {
				w *= def.wave2
			}
			// Efraimidis-Spirakis: the k largest u^(1/w) are a weighted
			// sample without replacement.
			keys[c] = math.Pow(r.Float64(), 1/w)
			order[c] = c
		}
		k := 12 + r.IntN(17)
		slices.SortFunc(order, func(a, b int) int { return cmp.Compare(keys[b], keys[a]) })
		chosen := slices.Clone(order[:k])
		slices.Sort(chosen) // codebook order within an interview
		for _, c := range chosen {
			def := codebook[c]
			cd := ingest.Coding{
				InterviewID:  id,
				Wave:         wave,
				Group:        group,
				Organisation: org,
				Code:         def.code,
			}
			if r.IntN(20) > 0 {
				cd.Valence = pick(def.valence, r)
			}
			if r.IntN(100) < 35 && len(unused[c]) > 0 {
				cd.Excerpt = unused[c][len(unused[c])-1]
				unused[c] = unused[c][:len(unused[c])-1]
				cd.Cleared = r.IntN(100) < 60
				// A quote is coded with the valence its words carry.
				cd.Valence = def.valence[0].v
			}
			out = append(out, cd)
		}
	}
	return out
}

// organisation names a respondent's organisation in the group.
func organisation(group string, agreements []ingest.Agreement, depts [][]string, r *rand.Rand) string {
	i := r.IntN(len(agreements))
	switch group {
	case "local_authority":
		return agreements[i].Authority
	case "department":
		return depts[i][r.IntN(len(depts[i]))]
	case "policy_centre":
		if r.IntN(4) == 0 {
			return deptTreasury
		}
		return "DETR local government modernisation team"
	case "lga":
		return "Local Government Association"
	case "government_office":
		return "Government Office for the " + agreements[i].Region
	case "partner":
		return agreements[i].Authority + " " + partnerBodies[r.IntN(len(partnerBodies))]
	}
	return otherOrganisations[r.IntN(len(otherOrganisations))]
}

// weighted is a value with a relative weight.
type weighted[T any] struct {
	v T
	w float64
}

// pick draws one value by weight.
func pick[T any](choices []weighted[T], r *rand.Rand) T {
	total := 0.0
	for _, c := range choices {
		total += c.w
	}
	x := r.Float64() * total
	for _, c := range choices {
		if x < c.w {
			return c.v
		}
		x -= c.w
	}
	return choices[len(choices)-1].v
}

// pickDistinct draws k distinct values by weight, in the order of choices.
func pickDistinct[T any](choices []weighted[T], k int, r *rand.Rand) []T {
	keys := make([]float64, len(choices))
	idx := make([]int, len(choices))
	for i, c := range choices {
		keys[i] = math.Pow(r.Float64(), 1/c.w)
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int { return cmp.Compare(keys[b], keys[a]) })
	idx = idx[:min(k, len(idx))]
	slices.Sort(idx)
	out := make([]T, len(idx))
	for i, j := range idx {
		out[i] = choices[j].v
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// Calendar helpers. All dates are UTC midnights.

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// days returns the calendar days from a to b.
func days(a, b time.Time) int { return int(b.Sub(a).Hours()/24 + 0.5) }

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// isWeekend reports a day nobody works: a Saturday, a Sunday or a bank
// holiday in England during the pilot.
func isWeekend(t time.Time) bool {
	return t.Weekday() == time.Saturday || t.Weekday() == time.Sunday || bankHolidays[t]
}

// bankHolidays are the bank holidays in England from November 2000 to May
// 2001: Christmas, Boxing Day, New Year, Easter and the two May holidays.
var bankHolidays = map[time.Time]bool{
	day(2000, time.December, 25): true, day(2000, time.December, 26): true,
	day(2001, time.January, 1): true, day(2001, time.April, 13): true,
	day(2001, time.April, 16): true, day(2001, time.May, 7): true,
	day(2001, time.May, 28): true,
}

func nextWeekday(t time.Time) time.Time {
	for isWeekend(t) {
		t = t.AddDate(0, 0, 1)
	}
	return t
}

func prevWeekday(t time.Time) time.Time {
	for isWeekend(t) {
		t = t.AddDate(0, 0, -1)
	}
	return t
}

// weekdays lists the weekdays from a to b inclusive.
func weekdays(a, b time.Time) []time.Time {
	var out []time.Time
	for t := a; !t.After(b); t = t.AddDate(0, 0, 1) {
		if !isWeekend(t) {
			out = append(out, t)
		}
	}
	return out
}

// clampWeekday moves t to a nearby working day within [lo, hi]; lo and hi
// are working days. A day off moves to the working day before or after it
// as r decides (an even choice, so that Mondays and Fridays do not gather
// the weekends' contacts), or always forward with a nil r.
func clampWeekday(t, lo, hi time.Time, r ...*rand.Rand) time.Time {
	if isWeekend(t) {
		back := len(r) > 0 && r[0] != nil && r[0].IntN(2) == 0
		if back {
			t = prevWeekday(t)
		} else {
			t = nextWeekday(t)
		}
	}
	if t.Before(lo) {
		return lo
	}
	if t.After(hi) {
		return hi
	}
	return t
}

// dateHeap is a min-heap of dates.
type dateHeap []time.Time

func (h dateHeap) Len() int           { return len(h) }
func (h dateHeap) Less(i, j int) bool { return h[i].Before(h[j]) }
func (h dateHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *dateHeap) Push(x any)        { *h = append(*h, x.(time.Time)) }
func (h *dateHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

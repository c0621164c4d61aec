package charts

import (
	"github.com/evalsite/evalsite/internal/stats"

	"bytes"
	"flag"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

var (
	update   = flag.Bool("update", false, "rewrite the golden SVGs in testdata")
	writeDir = flag.String("write", "", "write every chart of the sample sets to this folder, to look at")
)

const sampleSource = "Synthetic example data (illustrative)"

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

var authorities = []string{
	"Barnsley", "Bristol", "Camden", "Cornwall", "Derbyshire", "Essex", "Gateshead",
	"Herefordshire", "Kent", "Leicestershire", "Lewisham", "Milton Keynes", "Newham",
	"Norfolk", "Salford", "Somerset", "Stoke-on-Trent", "Sunderland", "Warwickshire", "Wolverhampton",
}

// sample is a whole chart set's input, built from a seeded RNG.
type sample struct {
	asOf       time.Time
	agreements []Agreement
	events     []Event
	months     []MonthCount
	depts      []DepartmentFreedoms
	reasons    []Count
	codes      []string
	groups     []string
	cells      [][]Cell
	waves      []WaveShares
}

// newSample builds n agreements with events, freedoms and codings: two are
// withdrawn and two still open when n >= 10, the rest signed.
func newSample(n int, seed uint64) sample {
	r := rand.New(rand.NewPCG(seed, seed^0x5eed))
	start := date(2000, time.November, 1)
	s := sample{asOf: date(2001, time.May, 31)}
	if n > 40 {
		s.asOf = start.AddDate(0, 0, 60+n/2)
	}
	span := daysBetween(start, s.asOf) - 30
	meetings := map[string]int{}
	for i := range n {
		a := Agreement{
			ID:      fmt.Sprintf("A%04d", i+1),
			Label:   authorities[i%len(authorities)],
			Started: start.AddDate(0, 0, r.IntN(span/2)),
		}
		if n > len(authorities) {
			a.Label = fmt.Sprintf("%s %d", a.Label, i/len(authorities)+1)
		}
		d := 20 + r.IntN(115)
		end := a.Started.AddDate(0, 0, d)
		switch {
		case n >= 10 && i%9 == 4:
			if end.Before(s.asOf) {
				a.Withdrawn = end
			}
		case n >= 10 && i%9 == 7:
		default:
			if end.After(s.asOf) {
				end = s.asOf
			}
			a.Signed = end
		}
		s.agreements = append(s.agreements, a)
		types := []string{"meeting", "bilateral", "correspondence", "draft", "briefing"}
		last := a.end(s.asOf)
		for t := a.Started; t.Before(last); t = t.AddDate(0, 0, 5+r.IntN(20)) {
			e := Event{AgreementID: a.ID, Date: t, Type: types[r.IntN(len(types))]}
			s.events = append(s.events, e)
			if e.Type == "meeting" {
				meetings[t.Format("2006-01")]++
			}
		}
		if a.Status() == Signed {
			s.events = append(s.events, Event{AgreementID: a.ID, Date: a.Signed, Type: "signing"})
		}
	}
	for m := start; !m.After(s.asOf); m = m.AddDate(0, 1, 0) {
		k := m.Format("2006-01")
		if meetings[k] > 0 {
			s.months = append(s.months, MonthCount{Month: k, Count: meetings[k]})
		}
	}
	for _, d := range []string{"Education", "Health", "Home Office", "Transport", "Work and Pensions", "Environment"} {
		req := 2 + r.IntN(3*n/4+2)
		g := r.IntN(req/2 + 1)
		p := r.IntN(req - g + 1)
		s.depts = append(s.depts, DepartmentFreedoms{Department: d, Requested: req, Granted: g, PartlyGranted: p / 2})
	}
	for _, reason := range []string{"Already available", "Would set a precedent", "Needs primary legislation", "Timescale", "Funding implications", "Request unclear", "Policy reluctance", "Needs joined-up action"} {
		s.reasons = append(s.reasons, Count{Label: reason, Count: r.IntN(n/2 + 3)})
	}
	s.codes = []string{"Targets as incentive", "Targets as burden", "Freedoms disappointing", "Standard draft helped", "Informal contact", "Capacity of centre", "Equity of treatment", "Partner involvement"}
	s.groups = []string{"Local authority", "Department", "Policy centre", "LGA", "Government Office", "Partner"}
	for range s.codes {
		row := make([]Cell, len(s.groups))
		for j := range row {
			v := r.Float64()
			row[j] = Cell{Value: v, Text: percent(v)}
			if r.IntN(9) == 0 {
				row[j] = Cell{Text: "[c]", Suppressed: true}
			}
		}
		s.cells = append(s.cells, row)
	}
	for _, code := range s.codes {
		v1, v2 := r.Float64()*0.8, r.Float64()*0.8
		s.waves = append(s.waves, WaveShares{Code: code, Wave1: Cell{Value: v1, Text: percent(v1)}, Wave2: Cell{Value: v2, Text: percent(v2)}})
	}
	return s
}

// chartFunc renders one chart of a sample.
type chartFunc struct {
	name   string
	render func(w *bytes.Buffer, s sample) (*Chart, error)
}

// chartSet lists every chart with its input built from a sample.
func chartSet() []chartFunc {
	return []chartFunc{
		{"time-to-agreement", func(w *bytes.Buffer, s sample) (*Chart, error) {
			return TimeToAgreement(w, TimeToAgreementInput{Source: sampleSource, Agreements: s.agreements, Median: s.medianDays()})
		}},
		{"kaplan-meier", func(w *bytes.Buffer, s sample) (*Chart, error) {
			return KaplanMeier(w, s.survival())
		}},
		{"timeline", func(w *bytes.Buffer, s sample) (*Chart, error) {
			return Timeline(w, s.timeline())
		}},
		{"concurrency", func(w *bytes.Buffer, s sample) (*Chart, error) {
			return Concurrency(w, s.concurrency(6))
		}},
		{"meetings-by-month", func(w *bytes.Buffer, s sample) (*Chart, error) {
			return MeetingsByMonth(w, s.meetings())
		}},
		{"freedoms-by-department", func(w *bytes.Buffer, s sample) (*Chart, error) {
			return FreedomsByDepartment(w, s.freedoms())
		}},
		{"refusal-reasons", func(w *bytes.Buffer, s sample) (*Chart, error) {
			return RefusalReasons(w, s.refusals())
		}},
		{"codes-by-group", func(w *bytes.Buffer, s sample) (*Chart, error) {
			return CodesByGroup(w, CodesByGroupInput{Source: sampleSource, Period: "interviews in waves 1 and 2", Codes: s.codes, Groups: s.groups, Cells: s.cells})
		}},
		{"codes-by-wave", func(w *bytes.Buffer, s sample) (*Chart, error) {
			return CodesByWave(w, CodesByWaveInput{Source: sampleSource, Codes: s.waves})
		}},
		{"agreement-timeline", func(w *bytes.Buffer, s sample) (*Chart, error) {
			var a Agreement
			if len(s.agreements) > 0 {
				a = s.agreements[0]
			} else {
				a = Agreement{ID: "A0001", Label: "Kent", Started: date(2000, time.November, 1)}
			}
			return AgreementTimeline(w, AgreementTimelineInput{Source: sampleSource, Agreement: a, Events: s.events, AsOf: s.asOf})
		}},
	}
}

// TestWriteSampleCharts writes the sample chart sets to -write DIR, to be
// converted to PNG and looked at; without the flag it is skipped.
func TestWriteSampleCharts(t *testing.T) {
	if *writeDir == "" {
		t.Skip("no -write folder")
	}
	for _, n := range []int{0, 20, 35, 1000} {
		s := newSample(n, 1)
		if n == 0 {
			s = sample{}
		}
		for _, cf := range chartSet() {
			var b bytes.Buffer
			if _, err := cf.render(&b, s); err != nil {
				t.Fatalf("%s(%d): %v", cf.name, n, err)
			}
			p := filepath.Join(*writeDir, fmt.Sprintf("%s-%d.svg", cf.name, n))
			if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// activeDays counts the sample's negotiations active on each day from the
// first start to asOf, as the metrics do (started <= day < end, the end of an
// open one being the day after asOf), to feed the concurrency chart.
// freedoms is the input of the freedoms chart with the totals the metrics
// would give it.
func (s sample) freedoms() FreedomsByDepartmentInput {
	in := FreedomsByDepartmentInput{Source: sampleSource, Period: "November 2000 to May 2001", Departments: s.depts}
	for _, d := range s.depts {
		in.All.Requested += d.Requested
		in.All.Granted += d.Granted
		in.All.PartlyGranted += d.PartlyGranted
	}
	if in.All.Requested > 0 {
		in.GrantedRate = float64(in.All.Granted+in.All.PartlyGranted) / float64(in.All.Requested)
	}
	return in
}

// refusals is the input of the refusal reasons chart with the number of
// refusals the metrics would give it.
func (s sample) refusals() RefusalReasonsInput {
	in := RefusalReasonsInput{Source: sampleSource, Period: "November 2000 to May 2001", Reasons: s.reasons}
	for _, r := range s.reasons {
		in.Refused += r.Count
	}
	return in
}

// meetings is the input of the meetings chart with the total and the peak
// month the metrics would give it.
func (s sample) meetings() MeetingsByMonthInput {
	in := MeetingsByMonthInput{Source: sampleSource, Months: s.months}
	most := -1
	for _, m := range s.months { // in month order
		in.Meetings += m.Count
		if m.Count > most {
			most, in.Peak = m.Count, m.Month
		}
	}
	return in
}

// timeline is the input of the timeline with the counts by status the
// metrics would give it.
func (s sample) timeline() TimelineInput {
	in := TimelineInput{Source: sampleSource, Agreements: s.agreements, Events: s.events, AsOf: s.asOf}
	for _, a := range s.agreements {
		switch a.Status() {
		case Signed:
			in.Signed++
		case Withdrawn:
			in.Withdrawn++
		default:
			in.InNegotiation++
		}
	}
	return in
}

// concurrency is the input of the concurrency chart with the figures the
// metrics would give it.
func (s sample) concurrency(capacity int) ConcurrencyInput {
	in := ConcurrencyInput{Source: sampleSource, Days: s.activeDays(), Capacity: capacity}
	for _, d := range in.Days {
		if d.Active > in.Peak {
			in.Peak, in.PeakDate = d.Active, d.Date
		}
		if d.Active > capacity {
			in.DaysOverCapacity++
		}
	}
	return in
}

func (s sample) activeDays() []DayCount {
	if len(s.agreements) == 0 {
		return nil
	}
	first := s.agreements[0].Started
	for _, a := range s.agreements {
		if a.Started.Before(first) {
			first = a.Started
		}
	}
	var days []DayCount
	for d := first; !d.After(s.asOf); d = d.AddDate(0, 0, 1) {
		n := 0
		for _, a := range s.agreements {
			end := s.asOf.AddDate(0, 0, 1)
			if a.Status() != Open {
				end = a.end(s.asOf)
			}
			if !d.Before(a.Started) && d.Before(end) {
				n++
			}
		}
		days = append(days, DayCount{Date: d, Active: n})
	}
	return days
}

// survival estimates the sample's time to agreement as the metrics do
// (product-limit; open negotiations censored at asOf, withdrawn ones at
// withdrawal; a negotiation censored on a signing day is at risk that day),
// to feed the Kaplan-Meier chart.
// medianDays is the median days to signing of the signed agreements, as
// the metrics compute it.
func (s sample) medianDays() float64 {
	var days []int
	for _, a := range s.agreements {
		if a.Status() == Signed {
			days = append(days, daysBetween(a.Started, a.Signed))
		}
	}
	if len(days) == 0 {
		return 0
	}
	return stats.MedianInts(days)
}

func (s sample) survival() KaplanMeierInput {
	in := KaplanMeierInput{Source: sampleSource, AsOf: s.asOf, Negotiations: len(s.agreements)}
	signed := map[int]int{}
	for _, a := range s.agreements {
		d := daysBetween(a.Started, a.end(s.asOf))
		if a.Status() == Signed {
			signed[d]++
		} else {
			in.Censored = append(in.Censored, d)
		}
	}
	sort.Ints(in.Censored)
	var days []int
	for d := range signed {
		days = append(days, d)
	}
	sort.Ints(days)
	surv := 1.0
	for _, d := range days {
		atRisk := 0
		for _, a := range s.agreements {
			if daysBetween(a.Started, a.end(s.asOf)) >= d {
				atRisk++
			}
		}
		surv *= 1 - float64(signed[d])/float64(atRisk)
		in.Steps = append(in.Steps, KMStep{Day: d, AtRisk: atRisk, Events: signed[d], Survival: surv})
		if in.Median == nil && surv <= 0.5 {
			m := float64(d)
			in.Median = &m
		}
	}
	return in
}

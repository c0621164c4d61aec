// Package metrics computes the process measures of an evaluation from its
// ingested records: one Metrics value that marshals to
// metrics.json, carries the series the charts and pages draw, and resolves
// every figure by a stable dotted name with its definition (see Registry and
// Lookup), so that a number in the text and its definition cannot drift apart.
//
// Everything here is a pure function of the records and a Config: no I/O, no
// clock, and the same input always gives the same output.
package metrics

import (
	"bytes"
	"cmp"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/stats"
)

// NoValue is the key under which a figure keyed by a column's value counts
// the records where that column is blank.
const NoValue = "none"

// DefaultCapacity is the number of negotiations the policy centre could run
// at once (DOMAIN.md), used when Config.Capacity is zero.
const DefaultCapacity = 6

// Config holds the settings a computation depends on. Its zero value is
// useful: as_of from the data and the default capacity.
type Config struct {
	AsOf     time.Time // zero = latest date anywhere in the data
	Capacity int       // zero = DefaultCapacity; a configuration checks it is at least 1 first
}

// Date is a calendar day. It marshals to JSON as "YYYY-MM-DD", or null when
// it is the zero time.
type Date struct{ time.Time }

// MarshalJSON writes the day as "YYYY-MM-DD", or null for the zero time.
func (d Date) MarshalJSON() ([]byte, error) {
	if d.IsZero() {
		return []byte("null"), nil
	}
	return []byte(`"` + d.Format(time.DateOnly) + `"`), nil
}

// UnmarshalJSON reads "YYYY-MM-DD" or null.
func (d *Date) UnmarshalJSON(b []byte) error {
	if bytes.Equal(b, []byte("null")) {
		*d = Date{}
		return nil
	}
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("date %s is not a quoted YYYY-MM-DD string", b)
	}
	t, err := time.Parse(time.DateOnly, string(b[1:len(b)-1]))
	if err != nil {
		return fmt.Errorf("reading date: %w", err)
	}
	d.Time = t
	return nil
}

// Metrics is every published figure. Marshalled with encoding/json it
// is exactly the metrics.json object; Detail carries the series behind the
// figures and is not marshalled.
type Metrics struct {
	AsOf            Date            `json:"as_of"`
	Agreements      AgreementCounts `json:"agreements"`
	TimeToAgreement TimeToAgreement `json:"time_to_agreement_days"`
	Concurrency     Concurrency     `json:"concurrency"`
	Events          Events          `json:"events"`
	Freedoms        Freedoms        `json:"freedoms"`
	Codings         Codings         `json:"codings"`
	Equity          Equity          `json:"equity"`
	Decisions       Decisions       `json:"decisions"`
	Effort          Effort          `json:"effort"`
	Targets         Targets         `json:"targets"`
	Grants          Grants          `json:"grants"`

	// Detail is the per-agreement rows and the series for charts and pages.
	Detail Detail `json:"-"`

	// Disclosure is set by Disclose: which counts and shares of interviews
	// are withheld. Nil when disclosure control is off.
	Disclosure *Disclosure `json:"-"`
}

// AgreementCounts counts agreements by status.
type AgreementCounts struct {
	Total         int `json:"total"`
	Signed        int `json:"signed"`
	InNegotiation int `json:"in_negotiation"`
	Withdrawn     int `json:"withdrawn"`
}

// Stats summarises a set of durations in days. Every field but N is null
// when N is zero. Quantiles are R type 7 (Excel QUARTILE.INC).
type Stats struct {
	N      int      `json:"n"`
	Median *float64 `json:"median"`
	Mean   *float64 `json:"mean"`
	P25    *float64 `json:"p25"`
	P75    *float64 `json:"p75"`
	Min    *float64 `json:"min"`
	Max    *float64 `json:"max"`
}

// TimeToAgreement describes the days from started to signed of signed
// agreements, with the Kaplan-Meier median that also counts the open and
// withdrawn negotiations as censored.
type TimeToAgreement struct {
	Stats
	// KMMedian is the smallest event time at which the Kaplan-Meier survival
	// estimate is 0.5 or below; null when it never falls that far.
	KMMedian *float64 `json:"km_median"`
	// ByTranche is Stats of signed agreements for each tranche that has at
	// least one agreement (signed or not); a blank tranche is under NoValue,
	// so that the tranches' n add up to the signed total.
	ByTranche map[string]Stats `json:"by_tranche"`
}

// Concurrency measures how many negotiations ran at once against the
// centre's capacity, over the days from the first start to as_of.
type Concurrency struct {
	Capacity         int  `json:"capacity"`
	Peak             int  `json:"peak"`
	PeakFirstDate    Date `json:"peak_first_date"` // null when there is no active day
	DaysOverCapacity int  `json:"days_over_capacity"`
}

// Events counts dated contacts.
type Events struct {
	Total  int            `json:"total"`
	ByType map[string]int `json:"by_type"`
	// MeetingsByMonth counts events of type meeting by "YYYY-MM", for every
	// month from the first to the last month with a meeting (quiet months
	// in between count 0).
	MeetingsByMonth  map[string]int `json:"meetings_by_month"`
	PeakMeetingMonth *string        `json:"peak_meeting_month"`
	LongestSilence   Silence        `json:"longest_silence_days"`
}

// Silence summarises each agreement's longest gap between contacts.
type Silence struct {
	Median *float64 `json:"median"`
	Max    *float64 `json:"max"`
}

// OutcomeCounts counts requests for freedoms by outcome.
type OutcomeCounts struct {
	Requested     int `json:"requested"`
	Granted       int `json:"granted"`
	PartlyGranted int `json:"partly_granted"`
	NotGranted    int `json:"not_granted"`
	Deferred      int `json:"deferred"`
}

// Freedoms describes the requests for freedoms and flexibilities.
type Freedoms struct {
	OutcomeCounts
	// GrantedRate is (granted + partly_granted) / requested.
	GrantedRate  *float64                 `json:"granted_rate"`
	ByDepartment map[string]OutcomeCounts `json:"by_department"`
	// Reasons counts every request that gives a reason, whatever its outcome.
	Reasons map[string]int `json:"reasons"`
	// RefusalReasons counts the requests not granted, by the reason given;
	// a refusal that gives none counts as "other".
	RefusalReasons map[string]int `json:"refusal_reasons"`
	// RefusalShares is each of RefusalReasons as a share of NotGranted;
	// empty when no request was refused.
	RefusalShares map[string]float64 `json:"refusal_reasons_share"`
}

// Codings describes the qualitative coding of interviews.
type Codings struct {
	Interviews        int            `json:"interviews"`
	InterviewsByGroup map[string]int `json:"interviews_by_group"`
	// InterviewsByWave are the bases of the shares by wave, keyed "1", "2".
	InterviewsByWave map[string]int       `json:"interviews_by_wave"`
	Codes            map[string]CodeStats `json:"codes"`
	Cooccurrence     []Pair               `json:"cooccurrence"`
}

// CodeStats counts the interviews a code was applied to, overall and within
// each respondent group and wave present in the data.
type CodeStats struct {
	Interviews int              `json:"interviews"`
	Share      float64          `json:"share"`
	ByGroup    map[string]Share `json:"by_group"`
	ByWave     map[string]Share `json:"by_wave"`
}

// Share is a number of interviews and its share of the interviews of a group
// or wave.
type Share struct {
	Interviews int     `json:"interviews"`
	Share      float64 `json:"share"`
}

// Pair is two codes found in the same interviews, A before B.
type Pair struct {
	A          string `json:"a"`
	B          string `json:"b"`
	Interviews int    `json:"interviews"`
}

// Equity measures how evenly authorities were treated.
type Equity struct {
	// TimeToAgreementCV is the sample standard deviation (n-1) of signed
	// durations over their mean; null with fewer than two or a zero mean.
	TimeToAgreementCV *float64 `json:"time_to_agreement_cv"`
	GrantedRateMin    *float64 `json:"granted_rate_min"`
	GrantedRateMax    *float64 `json:"granted_rate_max"`
	// The seven stats of signed durations, and the requests for freedoms,
	// by a column of the agreement; a blank value under NoValue.
	TimeToAgreementByAuthorityType map[string]Stats        `json:"time_to_agreement_by_authority_type"`
	TimeToAgreementByRegion        map[string]Stats        `json:"time_to_agreement_by_region"`
	FreedomsByAuthorityType        map[string]KindFreedoms `json:"freedoms_by_authority_type"`
}

// Detail is what the charts and pages draw, computed with the figures.
type Detail struct {
	// Agreements has one row per agreement, by start date then ID.
	Agreements []AgreementRow
	// Survival is the Kaplan-Meier estimate behind km_median.
	Survival Survival
	// Active is the number of active negotiations on each day from the
	// first start to as_of.
	Active []DayCount
	// MeetingsByMonth is meetings_by_month in month order.
	MeetingsByMonth []MonthCount
	// GrantedByAuthority has one row per authority with at least one
	// request, by authority name.
	GrantedByAuthority []AuthorityRate
	// Process is the spread of durations and decision times by group.
	Process ProcessDetail
}

// AgreementRow is one agreement with its derived measures.
type AgreementRow struct {
	ID        string
	Authority string
	Tranche   string
	Status    ingest.Status
	Started   time.Time
	End       time.Time // signed or withdrawn date; zero while in negotiation
	// DaysToAgreement is signed - started; nil unless signed.
	DaysToAgreement *int
	// LongestSilenceDays is the largest gap between consecutive dates among
	// started, the agreement's events and its end (as_of while open).
	LongestSilenceDays int
	Requests           int
	// GrantedRate is (granted + partly granted) / requests; nil without requests.
	GrantedRate *float64
}

// Survival is a Kaplan-Meier estimate of the time to agreement.
type Survival struct {
	// Steps has one entry per distinct event (signing) time, in order.
	Steps []KMStep
	// Censored holds the censoring times in days (open negotiations at
	// as_of, withdrawn ones at withdrawal), in order, repeated for ties.
	Censored []int
}

// KMStep is the survival estimate just after one event time.
type KMStep struct {
	Day      int     // days since start
	AtRisk   int     // agreements with a time >= Day
	Events   int     // agreements signed after exactly Day days
	Survival float64 // estimate of P(time > Day)
}

// DayCount is the number of active negotiations on one day.
type DayCount struct {
	Date   time.Time
	Active int
}

// MonthCount is a count for one month, "YYYY-MM".
type MonthCount struct {
	Month string
	Count int
}

// AuthorityRate is the share of one authority's requests that were granted
// in full or in part.
type AuthorityRate struct {
	Authority string
	Requests  int
	Granted   int // granted + partly granted
	Rate      float64
}

// Compute works out every metric from the records. It never fails: a figure
// with nothing to measure is null.
//
// The records are first cut at the end of the as_of day (see Cut), so that
// every figure describes the evaluation as it stood then: an agreement
// signed after as_of is still in negotiation, censored at as_of. Events
// dated outside their agreement's span, which ingest warns about, still
// count by type and month but not in silences.
func Compute(d *ingest.Data, cfg Config) *Metrics {
	if d == nil {
		d = &ingest.Data{}
	}
	capacity := cfg.Capacity
	if capacity <= 0 {
		capacity = DefaultCapacity
	}
	asOf := cfg.AsOf
	if asOf.IsZero() {
		asOf = d.LatestDate()
	}
	if !asOf.IsZero() {
		asOf = fromDay(dayOf(asOf))
	}
	d, _ = Cut(d, asOf)

	m := &Metrics{AsOf: Date{asOf}}
	rows := agreementRows(d)
	m.Agreements = countAgreements(d.Agreements)
	m.TimeToAgreement, m.Detail.Survival = timeToAgreement(d.Agreements, asOf)
	m.Concurrency, m.Detail.Active = concurrency(d.Agreements, asOf, capacity)
	m.Events, m.Detail.MeetingsByMonth = events(d, asOf, rows)
	m.Freedoms, m.Detail.GrantedByAuthority = freedoms(d, rows)
	m.Codings = codings(d.Codings)
	m.Equity = equity(m.Detail.GrantedByAuthority, rows)
	process(d, m)
	m.Detail.Agreements = sortedRows(rows)
	return m
}

// dayOf returns the calendar day of t as a count of days since 1970-01-01.
func dayOf(t time.Time) int {
	y, mo, dd := t.Date()
	return int(time.Date(y, mo, dd, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// fromDay is the inverse of dayOf: the UTC midnight of a day number.
func fromDay(n int) time.Time {
	return time.Unix(int64(n)*86400, 0).UTC()
}

// agreementRows makes one row per agreement, in input order, with what can
// be known from the agreement alone.
func agreementRows(d *ingest.Data) []AgreementRow {
	rows := make([]AgreementRow, len(d.Agreements))
	for i, a := range d.Agreements {
		r := AgreementRow{ID: a.ID, Authority: a.Authority, Tranche: a.Tranche, Status: a.Status(), Started: a.Started}
		if end, ok := a.End(); ok {
			r.End = end
		}
		if r.Status == ingest.StatusSigned {
			days := dayOf(a.Signed) - dayOf(a.Started)
			r.DaysToAgreement = &days
		}
		rows[i] = r
	}
	return rows
}

func sortedRows(rows []AgreementRow) []AgreementRow {
	out := slices.Clone(rows)
	slices.SortStableFunc(out, func(x, y AgreementRow) int {
		return cmp.Or(x.Started.Compare(y.Started), cmp.Compare(x.ID, y.ID))
	})
	if out == nil {
		out = []AgreementRow{}
	}
	return out
}

func countAgreements(as []ingest.Agreement) AgreementCounts {
	c := AgreementCounts{Total: len(as)}
	for _, a := range as {
		switch a.Status() {
		case ingest.StatusSigned:
			c.Signed++
		case ingest.StatusWithdrawn:
			c.Withdrawn++
		default:
			c.InNegotiation++
		}
	}
	return c
}

// timeToAgreement computes the duration statistics of signed agreements,
// overall and by tranche, and the Kaplan-Meier estimate.
func timeToAgreement(as []ingest.Agreement, asOf time.Time) (TimeToAgreement, Survival) {
	var signed []float64
	byTranche := map[string][]float64{}
	var signedAt, censored []int
	for _, a := range as {
		start := dayOf(a.Started)
		tranche := cmp.Or(a.Tranche, NoValue)
		if _, ok := byTranche[tranche]; !ok {
			byTranche[tranche] = nil
		}
		switch a.Status() {
		case ingest.StatusSigned:
			days := dayOf(a.Signed) - start
			signed = append(signed, float64(days))
			byTranche[tranche] = append(byTranche[tranche], float64(days))
			signedAt = append(signedAt, days)
		case ingest.StatusWithdrawn:
			censored = append(censored, max(0, dayOf(a.Withdrawn)-start))
		default:
			censored = append(censored, max(0, dayOf(asOf)-start))
		}
	}
	t := TimeToAgreement{Stats: summarise(signed), ByTranche: map[string]Stats{}}
	for tr, xs := range byTranche {
		t.ByTranche[tr] = summarise(xs)
	}
	s := kaplanMeier(signedAt, censored)
	t.KMMedian = kmMedian(s)
	return t, s
}

// summarise computes Stats of xs; xs is sorted in place.
func summarise(xs []float64) Stats {
	s := Stats{N: len(xs)}
	if len(xs) == 0 {
		return s
	}
	slices.Sort(xs)
	s.Median = ptr(quantile7(xs, 0.5))
	s.Mean = ptr(mean(xs))
	s.P25 = ptr(quantile7(xs, 0.25))
	s.P75 = ptr(quantile7(xs, 0.75))
	s.Min = ptr(xs[0])
	s.Max = ptr(xs[len(xs)-1])
	return s
}

func ptr[T any](v T) *T { return &v }

// quantile7 is the p-quantile of sorted xs as the charts compute it too
// (R type 7, Excel QUARTILE.INC).
func quantile7(sorted []float64, p float64) float64 { return stats.Quantile7(sorted, p) }

func mean(xs []float64) float64 {
	var sum float64
	for _, x := range xs {
		sum += x
	}
	return sum / float64(len(xs))
}

// kaplanMeier estimates survival from event and censoring times in days.
// A censoring at the same time as an event counts as still at risk then
// (the usual convention).
func kaplanMeier(events, censored []int) Survival {
	slices.Sort(events)
	slices.Sort(censored)
	s := Survival{Censored: censored}
	if s.Censored == nil {
		s.Censored = []int{}
	}
	n := len(events) + len(censored)
	surv := 1.0
	c := 0 // censorings before the current event time
	for i := 0; i < len(events); {
		t := events[i]
		j := i
		for j < len(events) && events[j] == t {
			j++
		}
		for c < len(censored) && censored[c] < t {
			c++
		}
		atRisk := n - i - c
		d := j - i
		surv *= 1 - float64(d)/float64(atRisk)
		s.Steps = append(s.Steps, KMStep{Day: t, AtRisk: atRisk, Events: d, Survival: surv})
		i = j
	}
	return s
}

// kmTolerance absorbs rounding in the product of survival factors, so that
// an estimate that is exactly 0.5 in real arithmetic (2/3 * 3/4) counts as
// having reached it.
const kmTolerance = 1e-12

func kmMedian(s Survival) *float64 {
	for _, st := range s.Steps {
		if st.Survival <= 0.5+kmTolerance {
			return ptr(float64(st.Day))
		}
	}
	return nil
}

// concurrency sweeps the start and end deltas of the agreements over the
// days from the first start to as_of, rather than testing each agreement on
// each day. An agreement is active on day d when started <= d < end, with end
// the day after as_of while it is open.
func concurrency(as []ingest.Agreement, asOf time.Time, capacity int) (Concurrency, []DayCount) {
	c := Concurrency{Capacity: capacity}
	active := []DayCount{}
	if len(as) == 0 || asOf.IsZero() {
		return c, active
	}
	first := math.MaxInt
	for _, a := range as {
		first = min(first, dayOf(a.Started))
	}
	last := dayOf(asOf)
	if last < first {
		return c, active
	}
	delta := make([]int, last-first+2) // index i is day first+i; the extra slot takes ends after as_of
	for _, a := range as {
		start := dayOf(a.Started)
		if start > last {
			continue
		}
		end := last + 1
		if e, ok := a.End(); ok {
			end = min(dayOf(e), last+1)
		}
		if end <= start {
			continue // signed or withdrawn on the day it started: never active
		}
		delta[start-first]++
		delta[end-first]--
	}
	active = make([]DayCount, 0, last-first+1)
	n := 0
	for i := 0; i <= last-first; i++ {
		n += delta[i]
		active = append(active, DayCount{Date: fromDay(first + i), Active: n})
		if n > c.Peak {
			c.Peak = n
			c.PeakFirstDate = Date{fromDay(first + i)}
		}
		if n > capacity {
			c.DaysOverCapacity++
		}
	}
	return c, active
}

// events counts events by type and meetings by month, and works out each
// agreement's longest silence into rows.
func events(d *ingest.Data, asOf time.Time, rows []AgreementRow) (Events, []MonthCount) {
	e := Events{Total: len(d.Events), ByType: zeroCounts("events", "type"), MeetingsByMonth: map[string]int{}}
	index := make(map[string]int, len(d.Agreements))
	for i, a := range d.Agreements {
		index[a.ID] = i
	}
	dates := make([][]int, len(d.Agreements))
	firstMonth, lastMonth := math.MaxInt, math.MinInt
	months := map[int]int{} // months since year 0 -> meetings
	for _, ev := range d.Events {
		e.ByType[ev.Type]++
		if ev.Type == "meeting" {
			y, mo, _ := ev.Date.Date()
			k := y*12 + int(mo) - 1
			months[k]++
			firstMonth, lastMonth = min(firstMonth, k), max(lastMonth, k)
		}
		if i, ok := index[ev.AgreementID]; ok && ev.AgreementID != "" {
			dates[i] = append(dates[i], dayOf(ev.Date))
		}
	}

	series := []MonthCount{}
	best := 0
	for k := firstMonth; k <= lastMonth; k++ {
		name := fmt.Sprintf("%04d-%02d", k/12, k%12+1)
		n := months[k]
		e.MeetingsByMonth[name] = n
		series = append(series, MonthCount{Month: name, Count: n})
		if n > best {
			best = n
			e.PeakMeetingMonth = ptr(name)
		}
	}

	silences := make([]float64, 0, len(d.Agreements))
	for i, a := range d.Agreements {
		end := dayOf(asOf)
		if t, ok := a.End(); ok {
			end = dayOf(t)
		}
		gap := longestGap(dayOf(a.Started), end, dates[i])
		rows[i].LongestSilenceDays = gap
		silences = append(silences, float64(gap))
	}
	if len(silences) > 0 {
		slices.Sort(silences)
		e.LongestSilence.Median = ptr(quantile7(silences, 0.5))
		e.LongestSilence.Max = ptr(silences[len(silences)-1])
	}
	return e, series
}

// longestGap is the largest number of days between consecutive dates among
// start, the event days and end. Events outside [start, end] (which ingest
// warns about) are left out: they are not part of the negotiation's span.
// An end before start (an open negotiation that starts after as_of) gives 0.
func longestGap(start, end int, days []int) int {
	if end < start {
		return 0
	}
	slices.Sort(days)
	gap, prev := 0, start
	for _, d := range days {
		if d < start || d > end {
			continue
		}
		gap = max(gap, d-prev)
		prev = d
	}
	return max(gap, end-prev)
}

// freedoms counts requests by outcome, department and reason, and the
// granted rate of each agreement and each authority.
func freedoms(d *ingest.Data, rows []AgreementRow) (Freedoms, []AuthorityRate) {
	f := Freedoms{ByDepartment: map[string]OutcomeCounts{}, Reasons: zeroCounts("freedoms", "reason"), RefusalReasons: zeroCounts("freedoms", "reason")}
	index := make(map[string]int, len(d.Agreements))
	for i, a := range d.Agreements {
		index[a.ID] = i
	}
	granted := make([]int, len(d.Agreements))
	for _, r := range d.Freedoms {
		dept := f.ByDepartment[r.Department]
		count(&f.OutcomeCounts, r.Outcome)
		count(&dept, r.Outcome)
		f.ByDepartment[r.Department] = dept
		if r.Reason != "" {
			f.Reasons[r.Reason]++
		}
		if r.Outcome == "not_granted" {
			f.RefusalReasons[cmp.Or(r.Reason, "other")]++
		}
		if i, ok := index[r.AgreementID]; ok {
			rows[i].Requests++
			if r.Outcome == "granted" || r.Outcome == "partly_granted" {
				granted[i]++
			}
		}
	}
	f.GrantedRate = rate(f.Granted+f.PartlyGranted, f.Requested)
	f.RefusalShares = shares(f.RefusalReasons, f.NotGranted)

	byAuthority := map[string]*AuthorityRate{}
	for i := range rows {
		rows[i].GrantedRate = rate(granted[i], rows[i].Requests)
		if rows[i].Requests == 0 {
			continue
		}
		ar := byAuthority[rows[i].Authority]
		if ar == nil {
			ar = &AuthorityRate{Authority: rows[i].Authority}
			byAuthority[rows[i].Authority] = ar
		}
		ar.Requests += rows[i].Requests
		ar.Granted += granted[i]
	}
	out := make([]AuthorityRate, 0, len(byAuthority))
	for _, ar := range byAuthority {
		ar.Rate = float64(ar.Granted) / float64(ar.Requests)
		out = append(out, *ar)
	}
	slices.SortFunc(out, func(x, y AuthorityRate) int { return cmp.Compare(x.Authority, y.Authority) })
	return f, out
}

func count(c *OutcomeCounts, outcome string) {
	c.Requested++
	switch outcome {
	case "granted":
		c.Granted++
	case "partly_granted":
		c.PartlyGranted++
	case "not_granted":
		c.NotGranted++
	case "deferred":
		c.Deferred++
	}
}

// rate is num/den, or nil when den is zero.
func rate(num, den int) *float64 {
	if den == 0 {
		return nil
	}
	return ptr(float64(num) / float64(den))
}

// codings counts interviews by group and code, and the pairs of codes found
// in the same interview. A code applied twice in one interview counts once.
// An interview's wave and group are those of its first row (ingest refuses
// an interview with two).
//
// Codes, groups and waves are numbered first, codes in alphabetical order, so
// that the counting, and the pair counting above all, works on small integers
// rather than hashing strings: a pair (i, j) with i < j is then also in the
// order a, b in which metrics.json lists a pair (a before b alphabetically).
func codings(cs []ingest.Coding) Codings { return countCodings(cs, densePairLimit) }

// densePairLimit is the largest number of code pairs counted in a dense
// matrix (4 MB of int32) rather than a map: about 1,000 codes.
const densePairLimit = 1 << 20

func countCodings(cs []ingest.Coding, denseLimit int) Codings {
	out := Codings{InterviewsByGroup: map[string]int{}, InterviewsByWave: map[string]int{}, Codes: map[string]CodeStats{}, Cooccurrence: []Pair{}}
	if len(cs) == 0 {
		return out
	}
	var codes, groups, waves []string
	codeIdx, groupIdx, waveIdx := map[string]int{}, map[string]int{}, map[string]int{}
	intern := func(idx map[string]int, names *[]string, name string) int {
		i, ok := idx[name]
		if !ok {
			i = len(*names)
			idx[name] = i
			*names = append(*names, name)
		}
		return i
	}
	type interview struct {
		group, wave int
		codes       []int
	}
	ivIdx := map[string]int{}
	var ivs []interview
	for _, c := range cs {
		i, ok := ivIdx[c.InterviewID]
		if !ok {
			i = len(ivs)
			ivIdx[c.InterviewID] = i
			ivs = append(ivs, interview{
				group: intern(groupIdx, &groups, c.Group),
				wave:  intern(waveIdx, &waves, strconv.Itoa(c.Wave)),
			})
		}
		ivs[i].codes = append(ivs[i].codes, intern(codeIdx, &codes, c.Code))
	}

	// Renumber codes alphabetically.
	byName := make([]int, len(codes))
	for i := range byName {
		byName[i] = i
	}
	slices.SortFunc(byName, func(a, b int) int { return cmp.Compare(codes[a], codes[b]) })
	rank := make([]int, len(codes))
	for r, i := range byName {
		rank[i] = r
	}
	sorted := make([]string, len(codes))
	for i, name := range codes {
		sorted[rank[i]] = name
	}

	nc, ng, nw := len(codes), len(groups), len(waves)
	groupTotal, waveTotal := make([]int, ng), make([]int, nw)
	codeTotal, codeGroup, codeWave := make([]int, nc), make([]int, nc*ng), make([]int, nc*nw)
	var dense []int32
	sparse := map[uint64]int{}
	if nc*nc <= denseLimit {
		dense = make([]int32, nc*nc)
	}
	for _, iv := range ivs {
		groupTotal[iv.group]++
		waveTotal[iv.wave]++
		for k, c := range iv.codes {
			iv.codes[k] = rank[c]
		}
		slices.Sort(iv.codes)
		distinct := slices.Compact(iv.codes)
		for k, a := range distinct {
			codeTotal[a]++
			codeGroup[a*ng+iv.group]++
			codeWave[a*nw+iv.wave]++
			for _, b := range distinct[k+1:] {
				if dense != nil {
					dense[a*nc+b]++
				} else {
					sparse[uint64(a)<<32|uint64(b)]++
				}
			}
		}
	}

	out.Interviews = len(ivs)
	for g, name := range groups {
		out.InterviewsByGroup[name] = groupTotal[g]
	}
	for w, name := range waves {
		out.InterviewsByWave[name] = waveTotal[w]
	}
	for a, name := range sorted {
		st := CodeStats{
			Interviews: codeTotal[a],
			Share:      float64(codeTotal[a]) / float64(len(ivs)),
			ByGroup:    make(map[string]Share, ng),
			ByWave:     make(map[string]Share, nw),
		}
		for g, group := range groups {
			k := codeGroup[a*ng+g]
			st.ByGroup[group] = Share{Interviews: k, Share: float64(k) / float64(groupTotal[g])}
		}
		for w, wave := range waves {
			k := codeWave[a*nw+w]
			st.ByWave[wave] = Share{Interviews: k, Share: float64(k) / float64(waveTotal[w])}
		}
		out.Codes[name] = st
	}
	for i, n := range dense {
		if n > 0 {
			out.Cooccurrence = append(out.Cooccurrence, Pair{A: sorted[i/nc], B: sorted[i%nc], Interviews: int(n)})
		}
	}
	for key, n := range sparse {
		out.Cooccurrence = append(out.Cooccurrence, Pair{A: sorted[key>>32], B: sorted[key&(1<<32-1)], Interviews: n})
	}
	slices.SortFunc(out.Cooccurrence, func(x, y Pair) int {
		return cmp.Or(cmp.Compare(y.Interviews, x.Interviews), cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	return out
}

// equity computes the spread of durations and of authorities' granted rates.
func equity(rates []AuthorityRate, rows []AgreementRow) Equity {
	var e Equity
	var xs []float64
	for _, r := range rows {
		if r.DaysToAgreement != nil {
			xs = append(xs, float64(*r.DaysToAgreement))
		}
	}
	if len(xs) >= 2 {
		mu := mean(xs)
		var ss float64
		for _, x := range xs {
			ss += (x - mu) * (x - mu)
		}
		if mu != 0 {
			e.TimeToAgreementCV = ptr(math.Sqrt(ss/float64(len(xs)-1)) / mu)
		}
	}
	for _, r := range rates {
		if e.GrantedRateMin == nil || r.Rate < *e.GrantedRateMin {
			e.GrantedRateMin = ptr(r.Rate)
		}
		if e.GrantedRateMax == nil || r.Rate > *e.GrantedRateMax {
			e.GrantedRateMax = ptr(r.Rate)
		}
	}
	return e
}

// zeroCounts returns a count of 0 for every value of an enumerated column,
// so that a value nobody used is reported as 0, not missing: prose that
// cites "freedoms.reasons.funding" then builds whatever the data holds.
func zeroCounts(dataset, column string) map[string]int {
	counts := map[string]int{}
	for _, s := range ingest.Schemas() {
		if s.Name != dataset {
			continue
		}
		if c, ok := s.Column(column); ok {
			for _, v := range c.Values {
				counts[v] = 0
			}
		}
	}
	return counts
}

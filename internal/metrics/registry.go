package metrics

import (
	"errors"
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/evalsite/evalsite/internal/format"
)

// Def defines one metric: its dotted name, a short label for tables and
// headings, its unit and a one-paragraph definition for the methods page.
//
// A name holding a part in angle brackets, such as
// "freedoms.by_department.<department>.granted", stands for a family of
// metrics, one for each value found in the data; Lookup takes the name with
// the value in its place ("freedoms.by_department.Home Office.granted").
type Def struct {
	Name       string
	Label      string
	Unit       string // "date", "month", "count", "days", "share", "ratio", "number", "hours" or "gbp"
	Definition string
}

// Units of Def.Unit, and how Lookup writes a value of each for prose.
const (
	UnitDate  = "date"  // "15 December 2000"
	UnitMonth = "month" // "December 2000"
	UnitCount = "count" // "1,234"
	UnitDays  = "days"  // "70 days", "70.5 days" (one decimal at most)
	UnitShare = "share" // "35%" (a proportion written as a whole percentage)
	UnitRatio = "ratio" // "0.42"
	// UnitNumber is a quantity that need not be whole, such as a median
	// number of targets: "12", "12.5" (one decimal at most).
	UnitNumber = "number"
	UnitHours  = "hours" // "1,234.5 hours" (one decimal at most)
	UnitGBP    = "gbp"   // "£1,250,000" (whole pounds)
)

// Figure is one resolved metric: its value, its definition and the value
// written for prose.
//
// Value is an int (counts), a float64 (days, shares, ratios), a time.Time
// (dates), a string "YYYY-MM" (months), or nil when the figure is not
// available (a zero denominator, or a statistic of nothing).
type Figure struct {
	Name  string
	Value any
	Def   Def // Name is the concrete name; placeholders in Label are filled in
	Text  string
	// Withheld is set when disclosure control withholds the figure: Text
	// is then Withheld and Value nil, so nothing can print or compare it.
	Withheld bool
}

// ErrUnknownMetric is what Lookup's errors unwrap to when a name is not a metric.
var ErrUnknownMetric = errors.New("unknown metric")

// UnknownError reports a name that Lookup cannot resolve, with the nearest
// valid name when one is close.
type UnknownError struct {
	Name    string
	Nearest string // empty when no valid name is close
}

// Error says which name is unknown and, if there is one, what was meant.
func (e *UnknownError) Error() string {
	if e.Nearest != "" {
		return fmt.Sprintf("unknown metric %q (did you mean %q?)", e.Name, e.Nearest)
	}
	return fmt.Sprintf("unknown metric %q", e.Name)
}

// Unwrap returns ErrUnknownMetric.
func (e *UnknownError) Unwrap() error { return ErrUnknownMetric }

// hit is one concrete metric of the data: the values of its placeholders, in
// the order they appear in the pattern, and its value.
type hit struct {
	keys  []string
	value any
}

// metric is one entry of the registry: a fixed metric (no placeholders, list
// returns one hit with no keys) or a family.
type metric struct {
	def  Def
	vars []string // placeholder names in the order of Def.Name, without brackets
	list func(m *Metrics) []hit
	// find, if set, returns the members whose name has middle between the
	// text before the first placeholder and after the last, without
	// listing them all; it must agree with list.
	find func(m *Metrics, middle string) []hit
}

// name is the concrete name of the member with the keys. The placeholders
// of a name appear once each, in the order of vars.
func (mt metric) name(keys []string) string {
	if len(mt.vars) == 0 {
		return mt.def.Name
	}
	var b strings.Builder
	rest := mt.def.Name
	for i, v := range mt.vars {
		before, after, _ := strings.Cut(rest, "<"+v+">")
		b.WriteString(before)
		b.WriteString(keys[i])
		rest = after
	}
	b.WriteString(rest)
	return b.String()
}

// fill puts the keys in place of the placeholders in one pass, so that a
// key that itself looks like a placeholder is left alone.
func (mt metric) fill(s string, keys []string) string {
	if len(mt.vars) == 0 {
		return s
	}
	pairs := make([]string, 0, 2*len(keys))
	for i, k := range keys {
		pairs = append(pairs, "<"+mt.vars[i]+">", k)
	}
	return strings.NewReplacer(pairs...).Replace(s)
}

func fixed(name, label, unit, definition string, get func(m *Metrics) any) metric {
	return metric{
		def:  Def{Name: name, Label: label, Unit: unit, Definition: definition},
		list: func(m *Metrics) []hit { return []hit{{value: get(m)}} },
	}
}

// keyed makes a family over the sorted keys of one map.
func keyed[V any](name, label, unit, definition, v string, of func(m *Metrics) map[string]V, get func(V) any) metric {
	return metric{
		def:  Def{Name: name, Label: label, Unit: unit, Definition: definition},
		vars: []string{v},
		list: func(m *Metrics) []hit {
			mp := of(m)
			var hs []hit
			for _, k := range slices.Sorted(maps.Keys(mp)) {
				hs = append(hs, hit{keys: []string{k}, value: get(mp[k])})
			}
			return hs
		},
		find: func(m *Metrics, key string) []hit {
			if v, ok := of(m)[key]; ok {
				return []hit{{keys: []string{key}, value: get(v)}}
			}
			return nil
		},
	}
}

// nested makes a family over a map of codes and, within each, a map of
// groups or waves.
func nested(name, label, unit, definition, v string, of func(CodeStats) map[string]Share, get func(Share) any) metric {
	// The fixed text between the code and the group or wave, ".by_group.".
	infix := name[strings.Index(name, "<code>")+len("<code>") : strings.Index(name, "<"+v+">")]
	return metric{
		def:  Def{Name: name, Label: label, Unit: unit, Definition: definition},
		vars: []string{"code", v},
		list: func(m *Metrics) []hit {
			var hs []hit
			for _, code := range slices.Sorted(maps.Keys(m.Codings.Codes)) {
				inner := of(m.Codings.Codes[code])
				for _, k := range slices.Sorted(maps.Keys(inner)) {
					hs = append(hs, hit{keys: []string{code, k}, value: get(inner[k])})
				}
			}
			return hs
		},
		// middle is "<code>.by_group.<group>": groups and waves are
		// canonical values without dots, so the group is after the last dot.
		find: func(m *Metrics, middle string) []hit {
			i := strings.LastIndexByte(middle, '.')
			if i < 0 {
				return nil
			}
			k := middle[i+1:]
			code, ok := strings.CutSuffix(middle[:i+1], infix)
			if !ok {
				return nil
			}
			cs, ok := m.Codings.Codes[code]
			if !ok {
				return nil
			}
			sh, ok := of(cs)[k]
			if !ok {
				return nil
			}
			return []hit{{keys: []string{code, k}, value: get(sh)}}
		},
	}
}

// float turns a nullable float into a Figure value: nil or float64.
func float(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func date(d Date) any {
	if d.IsZero() {
		return nil
	}
	return d.Time
}

// statMetrics are the seven statistics of signed durations, for all signed
// agreements or, byTranche, for each tranche.
func statMetrics(prefix, label, scope string, byTranche bool) []metric {
	stats := []struct {
		key, label, unit, def string
		get                   func(Stats) any
	}{
		{"n", "signed agreements", UnitCount, "Number of signed agreements%s, the agreements time to agreement is measured on.", func(s Stats) any { return s.N }},
		{"median", "median days to agreement", UnitDays, "Median number of calendar days from start to signing over signed agreements%s.", func(s Stats) any { return float(s.Median) }},
		{"mean", "mean days to agreement", UnitDays, "Mean number of calendar days from start to signing over signed agreements%s.", func(s Stats) any { return float(s.Mean) }},
		{"p25", "lower quartile of days to agreement", UnitDays, "25th percentile of the calendar days from start to signing over signed agreements%s.", func(s Stats) any { return float(s.P25) }},
		{"p75", "upper quartile of days to agreement", UnitDays, "75th percentile of the calendar days from start to signing over signed agreements%s.", func(s Stats) any { return float(s.P75) }},
		{"min", "fewest days to agreement", UnitDays, "Fewest calendar days from start to signing of a signed agreement%s.", func(s Stats) any { return float(s.Min) }},
		{"max", "most days to agreement", UnitDays, "Most calendar days from start to signing of a signed agreement%s.", func(s Stats) any { return float(s.Max) }},
	}
	var out []metric
	for _, st := range stats {
		def := fmt.Sprintf(st.def, scope)
		switch st.key {
		case "median", "p25", "p75":
			def += " Quantiles use linear interpolation between order statistics (R type 7, Excel QUARTILE.INC)."
		}
		if st.key != "n" {
			def += " Not available when no agreement is signed."
		}
		name, lbl, get := prefix+st.key, upperFirst(strings.TrimSpace(label+" "+st.label)), st.get
		if byTranche {
			out = append(out, keyed(name, lbl, st.unit, def, "tranche", func(m *Metrics) map[string]Stats { return m.TimeToAgreement.ByTranche }, get))
		} else {
			out = append(out, fixed(name, lbl, st.unit, def, func(m *Metrics) any { return get(m.TimeToAgreement.Stats) }))
		}
	}
	return out
}

// stat is one of the seven statistics of a set of values.
type stat struct {
	key, label, def string
	count           bool // n is a count whatever the unit of the values
	get             func(Stats) any
}

// sevenStats are n, median, mean, p25, p75, min and max of "what" over
// "over"; their definitions are written from those two phrases.
func sevenStats(what, over string) []stat {
	return []stat{
		{"n", "count", "Number of " + over + ", the records the statistics below are computed over.", true, func(s Stats) any { return s.N }},
		{"median", "median", "Median of " + what + " over " + over + ".", false, func(s Stats) any { return float(s.Median) }},
		{"mean", "mean", "Mean of " + what + " over " + over + ".", false, func(s Stats) any { return float(s.Mean) }},
		{"p25", "lower quartile", "25th percentile of " + what + " over " + over + ".", false, func(s Stats) any { return float(s.P25) }},
		{"p75", "upper quartile", "75th percentile of " + what + " over " + over + ".", false, func(s Stats) any { return float(s.P75) }},
		{"min", "least", "Least of " + what + " over " + over + ".", false, func(s Stats) any { return float(s.Min) }},
		{"max", "most", "Most of " + what + " over " + over + ".", false, func(s Stats) any { return float(s.Max) }},
	}
}

// statDef completes the definition of one statistic: the quantile rule,
// the null case and a note shared by the set.
func statDef(st stat, note string) (def string) {
	def = st.def
	switch st.key {
	case "median", "p25", "p75":
		def += " Quantiles use linear interpolation between order statistics (R type 7, Excel QUARTILE.INC)."
	}
	if st.key != "n" {
		def += " Not available when there are none."
	}
	if note != "" {
		def += " " + note
	}
	return def
}

// fixedStats registers the seven statistics of one set of values.
func fixedStats(prefix, label, unit, over, what, note string, of func(m *Metrics) Stats) []metric {
	var out []metric
	for _, st := range sevenStats(what, over) {
		u := unit
		if st.count {
			u = UnitCount
		}
		get := st.get
		out = append(out, fixed(prefix+st.key, label+" "+st.label, u, statDef(st, note), func(m *Metrics) any { return get(of(m)) }))
	}
	return out
}

// keyedStats registers the seven statistics of a family of sets, one per
// value of a column.
func keyedStats(prefix, label, unit, v, over, what, note string, of func(m *Metrics) map[string]Stats) []metric {
	var out []metric
	for _, st := range sevenStats(what, over) {
		u := unit
		if st.count {
			u = UnitCount
		}
		out = append(out, keyed(prefix+st.key, label+" "+st.label, u, statDef(st, note), v, of, st.get))
	}
	return out
}

// upperFirst upper-cases the first letter of s, not its first byte.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// outcomeMetrics are the counts by outcome, overall or for one department.
func outcomeMetrics(prefix, scope string, of func(m *Metrics) map[string]OutcomeCounts) []metric {
	outcomes := []struct {
		key, label, def string
		get             func(OutcomeCounts) any
	}{
		{"requested", "Requests for freedoms", "Requests for a freedom or flexibility%s, whatever the answer.", func(c OutcomeCounts) any { return c.Requested }},
		{"granted", "Requests granted", "Requests for a freedom or flexibility%s that were granted in full.", func(c OutcomeCounts) any { return c.Granted }},
		{"partly_granted", "Requests partly granted", "Requests for a freedom or flexibility%s that were granted in part.", func(c OutcomeCounts) any { return c.PartlyGranted }},
		{"not_granted", "Requests not granted", "Requests for a freedom or flexibility%s that were refused.", func(c OutcomeCounts) any { return c.NotGranted }},
		{"deferred", "Requests deferred", "Requests for a freedom or flexibility%s deferred to further discussion.", func(c OutcomeCounts) any { return c.Deferred }},
	}
	var out []metric
	for _, o := range outcomes {
		get := o.get
		if of == nil {
			out = append(out, fixed(prefix+o.key, o.label, UnitCount, fmt.Sprintf(o.def, scope), func(m *Metrics) any { return get(m.Freedoms.OutcomeCounts) }))
			continue
		}
		out = append(out, keyed(prefix+"<department>."+o.key, o.label+" by <department>", UnitCount, fmt.Sprintf(o.def, scope), "department", of, get))
	}
	return out
}

// registry lists every metric in the order of metrics.json. It is built
// once, on first use, and never changed.
var registry = sync.OnceValue(buildRegistry)

func buildRegistry() []metric {
	var r []metric
	add := func(ms ...metric) { r = append(r, ms...) }

	add(fixed("as_of", "Figures as of", UnitDate,
		"The date the figures are computed at: the configured as_of date, or else the latest date anywhere in the data (a start, signing, withdrawal, decision or event). Every figure describes the evaluation as it stood at the end of this day: agreements started later are left out with their requests and events, a later signing or withdrawal is not counted (the negotiation is still open), later events are not counted, and a request decided later counts as deferred. Negotiations still open are measured up to this date.",
		func(m *Metrics) any { return date(m.AsOf) }))

	add(
		fixed("agreements.total", "Agreements", UnitCount, "Agreements in the data, whatever their status.", func(m *Metrics) any { return m.Agreements.Total }),
		fixed("agreements.signed", "Agreements signed", UnitCount, "Agreements with a signed date.", func(m *Metrics) any { return m.Agreements.Signed }),
		fixed("agreements.in_negotiation", "Agreements in negotiation", UnitCount, "Agreements with neither a signed nor a withdrawn date: negotiations still open at as_of.", func(m *Metrics) any { return m.Agreements.InNegotiation }),
		fixed("agreements.withdrawn", "Agreements withdrawn", UnitCount, "Agreements with a withdrawn date: the authority withdrew or negotiations stopped.", func(m *Metrics) any { return m.Agreements.Withdrawn }),
	)

	add(statMetrics("time_to_agreement_days.", "", "", false)...)
	add(fixed("time_to_agreement_days.km_median", "Kaplan-Meier median days to agreement", UnitDays,
		"Median time to agreement estimated by the Kaplan-Meier method, which also counts the negotiations that have not ended in a signature: those still open are censored at as_of, and withdrawn ones at their withdrawal, so slow negotiations are not left out as they are from the median of signed agreements. It is the smallest number of days from start to signing at which the estimated share of negotiations still unsigned falls to one half or below; not available when it never falls that far.",
		func(m *Metrics) any { return float(m.TimeToAgreement.KMMedian) }))
	add(statMetrics("time_to_agreement_days.by_tranche.<tranche>.", "Tranche <tranche>:", " in the tranche", true)...)

	add(
		fixed("concurrency.capacity", "Capacity", UnitCount, "The number of negotiations the central team could run at once, as configured (6 unless set).", func(m *Metrics) any { return m.Concurrency.Capacity }),
		fixed("concurrency.peak", "Peak concurrent negotiations", UnitCount, "The largest number of negotiations active on one day, from the first start to as_of. A negotiation is active on day d when started <= d < end, where end is the signed or withdrawn date, or the day after as_of while it is open.", func(m *Metrics) any { return m.Concurrency.Peak }),
		fixed("concurrency.peak_first_date", "First day at the peak", UnitDate, "The first day on which the peak number of negotiations were active; not available when no negotiation was active.", func(m *Metrics) any { return date(m.Concurrency.PeakFirstDate) }),
		fixed("concurrency.days_over_capacity", "Days over capacity", UnitDays, "The number of days, from the first start to as_of, on which more negotiations were active than the capacity.", func(m *Metrics) any { return m.Concurrency.DaysOverCapacity }),
	)

	add(
		fixed("events.total", "Events", UnitCount, "Dated contacts recorded, including programme-wide events such as workshops.", func(m *Metrics) any { return m.Events.Total }),
		keyed("events.by_type.<type>", "Events of type <type>", UnitCount, "Dated contacts of one type (meeting, bilateral, correspondence, draft, briefing, signing, workshop or other).", "type",
			func(m *Metrics) map[string]int { return m.Events.ByType }, func(n int) any { return n }),
		keyed("events.meetings_by_month.<month>", "Meetings in <month>", UnitCount, "Events of type meeting in one calendar month (YYYY-MM). Every month from the first to the last month with a meeting is listed, quiet months as 0.", "month",
			func(m *Metrics) map[string]int { return m.Events.MeetingsByMonth }, func(n int) any { return n }),
		fixed("events.peak_meeting_month", "Busiest month for meetings", UnitMonth, "The earliest month with the most meetings; not available when no meeting is recorded.", func(m *Metrics) any {
			if m.Events.PeakMeetingMonth == nil {
				return nil
			}
			return *m.Events.PeakMeetingMonth
		}),
		fixed("events.longest_silence_days.median", "Median longest silence", UnitDays, "For each agreement, its longest silence is the largest number of days between consecutive dates among its start, its events and its end (signed or withdrawn date, else as_of); events dated outside that span are left out. This is the median of those silences over all agreements, by linear interpolation (R type 7); not available without agreements.", func(m *Metrics) any { return float(m.Events.LongestSilence.Median) }),
		fixed("events.longest_silence_days.max", "Longest silence", UnitDays, "The longest silence of any agreement: the largest number of days between consecutive dates among an agreement's start, its events and its end (signed or withdrawn date, else as_of); not available without agreements.", func(m *Metrics) any { return float(m.Events.LongestSilence.Max) }),
	)

	add(outcomeMetrics("freedoms.", "", nil)...)
	add(fixed("freedoms.granted_rate", "Share of freedoms granted", UnitShare, "Requests granted in full or in part, as a share of all requests: (granted + partly_granted) / requested; not available when there are no requests.", func(m *Metrics) any { return float(m.Freedoms.GrantedRate) }))
	add(outcomeMetrics("freedoms.by_department.", " answered by the department", func(m *Metrics) map[string]OutcomeCounts { return m.Freedoms.ByDepartment })...)
	add(keyed("freedoms.reasons.<reason>", "Requests with reason <reason>", UnitCount, "Requests whose answer gives this reason (already_available, precedent, primary_legislation, timescale, funding, unclear, policy, joined_up or other), whatever the outcome.", "reason",
		func(m *Metrics) map[string]int { return m.Freedoms.Reasons }, func(n int) any { return n }))
	add(keyed("freedoms.refusal_reasons.<reason>", "Refusals with reason <reason>", UnitCount, "Requests not granted whose answer gives this reason; a refusal that gives no reason counts as other.", "reason",
		func(m *Metrics) map[string]int { return m.Freedoms.RefusalReasons }, func(n int) any { return n }))
	add(keyed("freedoms.refusal_reasons_share.<reason>", "Share of refusals with reason <reason>", UnitShare, "Requests not granted whose answer gives this reason, as a share of all requests not granted (freedoms.not_granted); not available when none was refused.", "reason",
		func(m *Metrics) map[string]float64 { return m.Freedoms.RefusalShares }, func(v float64) any { return v }))

	add(
		fixed("codings.interviews", "Interviews coded", UnitCount, "Distinct interviews with at least one code applied.", func(m *Metrics) any { return m.Codings.Interviews }),
		keyed("codings.interviews_by_group.<group>", "Interviews with <group> respondents", UnitCount, "Distinct interviews coded in one respondent group.", "group",
			func(m *Metrics) map[string]int { return m.Codings.InterviewsByGroup }, func(n int) any { return n }),
		keyed("codings.interviews_by_wave.<wave>", "Wave <wave> interviews", UnitCount, "Distinct interviews coded in the wave (1 or 2): the base of every share by wave.", "wave",
			func(m *Metrics) map[string]int { return m.Codings.InterviewsByWave }, func(n int) any { return n }),
		keyed("codings.codes.<code>.interviews", "Interviews coded <code>", UnitCount, "Distinct interviews the code was applied to; a code applied more than once in an interview counts once.", "code",
			func(m *Metrics) map[string]CodeStats { return m.Codings.Codes }, func(c CodeStats) any { return c.Interviews }),
		keyed("codings.codes.<code>.share", "Share of interviews coded <code>", UnitShare, "Interviews the code was applied to, as a share of all interviews coded.", "code",
			func(m *Metrics) map[string]CodeStats { return m.Codings.Codes }, func(c CodeStats) any { return c.Share }),
		nested("codings.codes.<code>.by_group.<group>.interviews", "Interviews with <group> respondents coded <code>", UnitCount, "Distinct interviews in the respondent group that the code was applied to.", "group",
			func(c CodeStats) map[string]Share { return c.ByGroup }, func(s Share) any { return s.Interviews }),
		nested("codings.codes.<code>.by_group.<group>.share", "Share of <group> interviews coded <code>", UnitShare, "Interviews in the respondent group that the code was applied to, as a share of the group's interviews.", "group",
			func(c CodeStats) map[string]Share { return c.ByGroup }, func(s Share) any { return s.Share }),
		nested("codings.codes.<code>.by_wave.<wave>.interviews", "Wave <wave> interviews coded <code>", UnitCount, "Distinct interviews in the wave (1 or 2) that the code was applied to.", "wave",
			func(c CodeStats) map[string]Share { return c.ByWave }, func(s Share) any { return s.Interviews }),
		nested("codings.codes.<code>.by_wave.<wave>.share", "Share of wave <wave> interviews coded <code>", UnitShare, "Interviews in the wave (1 or 2) that the code was applied to, as a share of the wave's interviews.", "wave",
			func(c CodeStats) map[string]Share { return c.ByWave }, func(s Share) any { return s.Share }),
		metric{
			def: Def{Name: "codings.cooccurrence.<a>.<b>", Label: "Interviews coded both <a> and <b>", Unit: UnitCount,
				Definition: "Distinct interviews in which both codes were applied; a is before b alphabetically. The list in metrics.json is sorted by interviews, most first, then by a and b."},
			vars: []string{"a", "b"},
			list: func(m *Metrics) []hit {
				hs := make([]hit, 0, len(m.Codings.Cooccurrence))
				for _, p := range m.Codings.Cooccurrence {
					hs = append(hs, hit{keys: []string{p.A, p.B}, value: p.Interviews})
				}
				return hs
			},
			// Both codes may hold dots: try every dot as the separator.
			find: func(m *Metrics, middle string) []hit {
				var hs []hit
				for _, p := range m.Codings.Cooccurrence {
					if len(p.A)+1+len(p.B) == len(middle) && strings.HasPrefix(middle, p.A) && middle[len(p.A)] == '.' && strings.HasSuffix(middle, p.B) {
						hs = append(hs, hit{keys: []string{p.A, p.B}, value: p.Interviews})
					}
				}
				return hs
			},
		},
	)

	add(
		fixed("equity.time_to_agreement_cv", "Variation in time to agreement", UnitRatio, "Coefficient of variation of the days from start to signing over signed agreements: the sample standard deviation (dividing by n - 1) over the mean. Not available with fewer than two signed agreements or a mean of zero.", func(m *Metrics) any { return float(m.Equity.TimeToAgreementCV) }),
		fixed("equity.granted_rate_min", "Lowest share of freedoms granted to an authority", UnitShare, "The lowest, across authorities with at least one request, of the share of an authority's requests granted in full or in part; not available when there are no requests.", func(m *Metrics) any { return float(m.Equity.GrantedRateMin) }),
		fixed("equity.granted_rate_max", "Highest share of freedoms granted to an authority", UnitShare, "The highest, across authorities with at least one request, of the share of an authority's requests granted in full or in part; not available when there are no requests.", func(m *Metrics) any { return float(m.Equity.GrantedRateMax) }),
	)

	// Fairness between kinds of authority, then decisions, effort, targets
	// and grants.
	byType := func(m *Metrics) map[string]Stats { return m.Equity.TimeToAgreementByAuthorityType }
	byRegion := func(m *Metrics) map[string]Stats { return m.Equity.TimeToAgreementByRegion }
	add(keyedStats("equity.time_to_agreement_by_authority_type.<authority_type>.", "Time to agreement, <authority_type> authorities:", UnitDays, "authority_type",
		"signed agreements of authorities of the type (county, unitary, metropolitan, london_borough, district; none for a blank type)",
		"the calendar days from start to signing", "Every type with at least one agreement, signed or not, is listed, so that the types add up to the signed agreements.", byType)...)
	add(keyedStats("equity.time_to_agreement_by_region.<region>.", "Time to agreement, region <region>:", UnitDays, "region",
		"signed agreements of authorities in the region, as written in the data (none for a blank region)",
		"the calendar days from start to signing", "Every region with at least one agreement, signed or not, is listed, so that the regions add up to the signed agreements.", byRegion)...)
	kindFreedoms := func(m *Metrics) map[string]KindFreedoms { return m.Equity.FreedomsByAuthorityType }
	for _, o := range []struct {
		key, label, def string
		get             func(KindFreedoms) any
	}{
		{"requested", "Requests for freedoms from <authority_type> authorities", "Requests for a freedom or flexibility made in agreements with authorities of the type, whatever the answer.", func(k KindFreedoms) any { return k.Requested }},
		{"granted", "Requests granted to <authority_type> authorities", "Requests for a freedom or flexibility from authorities of the type that were granted in full.", func(k KindFreedoms) any { return k.Granted }},
		{"partly_granted", "Requests partly granted to <authority_type> authorities", "Requests for a freedom or flexibility from authorities of the type that were granted in part.", func(k KindFreedoms) any { return k.PartlyGranted }},
		{"not_granted", "Requests not granted to <authority_type> authorities", "Requests for a freedom or flexibility from authorities of the type that were refused.", func(k KindFreedoms) any { return k.NotGranted }},
		{"deferred", "Requests deferred for <authority_type> authorities", "Requests for a freedom or flexibility from authorities of the type deferred to further discussion.", func(k KindFreedoms) any { return k.Deferred }},
		{"granted_rate", "Share of freedoms granted to <authority_type> authorities", "Requests from authorities of the type granted in full or in part, as a share of their requests: (granted + partly_granted) / requested; not available when the type made no request.", func(k KindFreedoms) any { return float(k.GrantedRate) }},
	} {
		unit := UnitCount
		if o.key == "granted_rate" {
			unit = UnitShare
		}
		add(keyed("equity.freedoms_by_authority_type.<authority_type>."+o.key, o.label, unit,
			o.def+" The type is that of the agreement the request belongs to (none for a blank type); every type with at least one agreement is listed, so that the types add up to all requests.",
			"authority_type", kindFreedoms, o.get))
	}

	add(fixedStats("decisions.decision_days.", "Decision on a freedom:", UnitDays,
		"requests for freedoms with a decision date", "the calendar days from the start of the request's agreement to the decision", "",
		func(m *Metrics) Stats { return m.Decisions.DecisionDays })...)
	add(fixed("decisions.undated", "Requests for freedoms without a decision date", UnitCount,
		"Requests for a freedom or flexibility with no decision date, including those decided after as_of (which count as deferred). With decisions.decision_days.n they add up to all requests.",
		func(m *Metrics) any { return m.Decisions.Undated }))

	add(
		fixed("effort.hours_total", "Hours of contact recorded", UnitHours,
			"The sum of the hours recorded against dated contacts (events.hours), programme-wide events such as workshops included. Events without hours add nothing; see effort.events_with_hours.",
			func(m *Metrics) any { return m.Effort.HoursTotal }),
		fixed("effort.events_with_hours", "Events with hours recorded", UnitCount,
			"Dated contacts whose hours are recorded; the rest have a blank hours cell.",
			func(m *Metrics) any { return m.Effort.EventsWithHours }),
		keyed("effort.by_department.<department>", "Hours of contact with <department>", UnitHours,
			"The sum of the hours recorded against dated contacts with the department, as written in the data; contacts with no department count under none. Departments with at least one contact giving hours are listed, and they add up to effort.hours_total.",
			"department", func(m *Metrics) map[string]float64 { return m.Effort.ByDepartment }, func(h float64) any { return h }),
		keyed("effort.by_type.<type>", "Hours of contact of type <type>", UnitHours,
			"The sum of the hours recorded against dated contacts of one type (meeting, bilateral, correspondence, draft, briefing, signing, workshop or other). Every type is listed, 0 when none of its contacts gives hours; the types add up to effort.hours_total.",
			"type", func(m *Metrics) map[string]float64 { return m.Effort.ByType }, func(h float64) any { return h }),
		keyed("effort.share_by_department.<department>", "Share of hours with <department>", UnitShare,
			"The hours of contact with the department (effort.by_department) as a share of effort.hours_total; not available when no hours are recorded.",
			"department", func(m *Metrics) map[string]float64 { return m.Effort.ShareByDepartment }, func(v float64) any { return v }),
		keyed("effort.share_by_type.<type>", "Share of hours of type <type>", UnitShare,
			"The hours of contact of the type (effort.by_type) as a share of effort.hours_total; not available when no hours are recorded.",
			"type", func(m *Metrics) map[string]float64 { return m.Effort.ShareByType }, func(v float64) any { return v }),
	)
	add(fixedStats("effort.per_agreement.", "Hours per agreement:", UnitHours,
		"agreements with at least one contact giving hours", "each agreement's hours of contact (the sum over its events)", "Programme-wide events belong to no agreement and are left out here.",
		func(m *Metrics) Stats { return m.Effort.PerAgreement })...)

	add(fixed("targets.total", "Targets agreed", UnitCount,
		"The sum of the targets column over agreements that give it.",
		func(m *Metrics) any { return m.Targets.Total }))
	add(fixedStats("targets.per_agreement.", "Targets per agreement:", UnitNumber,
		"agreements with the number of targets given", "the number of targets", "",
		func(m *Metrics) Stats { return m.Targets.PerAgreement })...)
	add(fixed("targets.not_given", "Agreements without a number of targets", UnitCount,
		"Agreements whose targets cell is blank; with targets.per_agreement.n they add up to agreements.total.",
		func(m *Metrics) any { return m.Targets.NotGiven }))

	for _, gr := range []struct {
		key, label string
		of         func(m *Metrics) Money
	}{
		{"pump_priming_gbp", "pump-priming grant", func(m *Metrics) Money { return m.Grants.PumpPriming }},
		{"reward_grant_gbp", "performance reward grant", func(m *Metrics) Money { return m.Grants.RewardGrant }},
	} {
		of := gr.of
		add(fixed("grants."+gr.key+".total", upperFirst(gr.label)+" in total", UnitGBP,
			"The sum, in pounds, of the "+gr.label+" over agreements that give it ("+gr.key+").",
			func(m *Metrics) any { return of(m).Total }))
		add(fixedStats("grants."+gr.key+".per_agreement.", upperFirst(gr.label)+" per agreement:", UnitGBP,
			"agreements with the "+gr.label+" given", "the "+gr.label+" in pounds", "",
			func(m *Metrics) Stats { return of(m).PerAgreement })...)
	}

	return r
}

// Registry returns the definition of every metric in the order of
// metrics.json. Names with a part in angle brackets stand for families (see Def).
// Each call returns a fresh slice.
func Registry() []Def {
	r := registry()
	defs := make([]Def, len(r))
	for i, mt := range r {
		defs[i] = mt.def
	}
	return defs
}

// Names returns the concrete name of every metric of m, in registry order,
// family members sorted by their keys (the cooccurrence pairs in their list
// order).
func (m *Metrics) Names() []string {
	var names []string
	for _, mt := range registry() {
		for _, h := range mt.list(m) {
			names = append(names, mt.name(h.keys))
		}
	}
	return names
}

// Lookup resolves a dotted name to its figure, written for prose in its unit
// ("70 days", "35%", "7", "15 December 2000", "not available" for null).
//
// Family names are the pattern of the registry with each placeholder
// replaced by a value exactly as written in the data, spaces and dots
// included: "freedoms.by_department.Home Office.granted",
// "codings.codes.delay.share", "time_to_agreement_days.by_tranche.1.median".
//
// The rule that makes names with spaces and dots unambiguous: the fixed
// words of a pattern are matched at the start and the end of the name, and
// all the text between them is the key, exactly as written and looked up as
// a whole (so "freedoms.by_department.H.M. Treasury.granted" is department
// "H.M. Treasury"). Where a pattern has two keys, the second is a canonical
// group or wave, which never holds a dot, so it is the text after the last
// dot ("codings.codes.<code>.by_group.<group>.share"); the two codes of
// "codings.cooccurrence.<a>.<b>" are split at whichever dot gives a pair
// that exists. In the pathological case where one name spells two different
// metrics (codes "a" and "b.c" and codes "a.b" and "c" both co-occur), the
// name is refused as ambiguous rather than guessed. Names are case-sensitive.
//
// An unknown name gives an *UnknownError naming the nearest valid name when
// one is close.
func (m *Metrics) Lookup(name string) (Figure, error) {
	var found []Figure
	for _, mt := range registry() {
		middle, ok := match(mt, name)
		if !ok {
			continue
		}
		var hits []hit
		if mt.find != nil {
			hits = mt.find(m, middle)
		} else {
			for _, h := range mt.list(m) {
				if mt.name(h.keys) == name {
					hits = append(hits, h)
				}
			}
		}
		for _, h := range hits {
			def := mt.def
			def.Name = name
			def.Label = mt.fill(def.Label, h.keys)
			f := Figure{Name: name, Value: h.value, Def: def, Text: Format(h.value, def.Unit)}
			if m.Disclosure != nil && m.Disclosure.withholds(mt.def.Name, h.keys) {
				f.Value, f.Text, f.Withheld = nil, Withheld, true
			}
			found = append(found, f)
		}
	}
	switch len(found) {
	case 0:
		return Figure{}, &UnknownError{Name: name, Nearest: nearest(name, m.Names())}
	case 1:
		return found[0], nil
	}
	return Figure{}, fmt.Errorf("metric name %q is ambiguous: a key in the data contains a dot that makes it name %d metrics", name, len(found))
}

// match reports whether name can be a member of mt, by the fixed text
// before the first placeholder and after the last, and returns the text
// between them.
func match(mt metric, name string) (middle string, ok bool) {
	pat := mt.def.Name
	i := strings.IndexByte(pat, '<')
	if i < 0 {
		return "", pat == name
	}
	prefix, suffix := pat[:i], pat[strings.LastIndexByte(pat, '>')+1:]
	if len(name) < len(prefix)+len(suffix) || !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, suffix) {
		return "", false
	}
	return name[len(prefix) : len(name)-len(suffix)], true
}

// nearest returns the candidate closest to name by edit distance, if it is
// close enough to be a likely typo, else "".
func nearest(name string, candidates []string) string {
	best, bestD := "", math.MaxInt
	for _, c := range candidates {
		if d := levenshtein(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	if bestD <= max(2, len(name)/4) {
		return best
	}
	return ""
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Format writes a figure's value for prose in its unit; nil is "not
// available". Days have at most one decimal, shares are whole percentages,
// counts have thousands separators, dates are "15 December 2000" and months
// "December 2000". Every figure is written by the format package, so that
// pages, tables, charts and downloads agree to the digit.
func Format(v any, unit string) string {
	if v == nil {
		return "not available"
	}
	switch x := v.(type) {
	case time.Time:
		if unit == UnitMonth {
			return format.Month(x)
		}
		return format.Date(x)
	case string:
		if unit == UnitMonth {
			return format.MonthKey(x)
		}
		return x
	case int:
		return formatNumber(float64(x), unit)
	case float64:
		return formatNumber(x, unit)
	}
	return fmt.Sprint(v)
}

func formatNumber(x float64, unit string) string {
	switch unit {
	case UnitShare:
		return format.Percent(x)
	case UnitRatio:
		return format.Ratio(x)
	case UnitDays:
		return format.Days(x)
	case UnitNumber:
		return format.Number(x, 1)
	case UnitHours:
		if s := format.Number(x, 1); s != "1" {
			return s + " hours"
		}
		return "1 hour"
	case UnitGBP:
		return format.Money(x)
	}
	return format.Number(x, 0)
}

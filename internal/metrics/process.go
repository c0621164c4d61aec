package metrics

import (
	"cmp"
	"maps"
	"slices"

	"github.com/evalsite/evalsite/internal/ingest"
)

// KindFreedoms counts the requests for freedoms of the agreements of one
// kind of authority, with the share granted in full or in part.
type KindFreedoms struct {
	OutcomeCounts
	// GrantedRate is (granted + partly_granted) / requested; null without
	// requests.
	GrantedRate *float64 `json:"granted_rate"`
}

// Decisions describes how long departments took to answer requests for
// freedoms.
type Decisions struct {
	// DecisionDays is Stats of the days from the agreement's start to the
	// decision, over requests with a decision date.
	DecisionDays Stats `json:"decision_days"`
	// Undated counts the requests without a decision date, so that
	// DecisionDays.N + Undated is the number of requests.
	Undated int `json:"undated"`
}

// Effort sums the hours recorded against dated contacts.
type Effort struct {
	// HoursTotal is the sum of hours over every event that gives them,
	// programme-wide events included.
	HoursTotal      float64 `json:"hours_total"`
	EventsWithHours int     `json:"events_with_hours"`
	// ByDepartment sums hours by the event's department, for departments
	// with at least one event giving hours; a blank department is under
	// NoValue.
	ByDepartment map[string]float64 `json:"by_department"`
	// ByType sums hours by type of contact; every type is listed, a type
	// with no hours recorded as 0, as events.by_type does.
	ByType map[string]float64 `json:"by_type"`
	// PerAgreement is Stats, over agreements with at least one event giving
	// hours, of the sum of those events' hours.
	PerAgreement Stats `json:"per_agreement"`
	// ShareByDepartment and ShareByType are each entry of ByDepartment and
	// ByType as a share of HoursTotal; empty when no hours are recorded.
	ShareByDepartment map[string]float64 `json:"share_by_department"`
	ShareByType       map[string]float64 `json:"share_by_type"`
}

// Targets describes the number of targets agreed.
type Targets struct {
	Total        int   `json:"total"`
	PerAgreement Stats `json:"per_agreement"`
	NotGiven     int   `json:"not_given"`
}

// Grants describes the money each agreement offered.
type Grants struct {
	PumpPriming Money `json:"pump_priming_gbp"`
	RewardGrant Money `json:"reward_grant_gbp"`
}

// Money sums a grant over the agreements that give it, in pounds.
type Money struct {
	Total        float64 `json:"total"`
	PerAgreement Stats   `json:"per_agreement"`
}

// Spread is a set of values of one group with their Stats, for a chart
// that shows each value and the quartiles.
type Spread struct {
	Key    string    // the group's value as keyed in metrics.json
	Values []float64 // sorted
	Stats  Stats
}

// ProcessDetail is what the charts of time to agreement by kind of
// authority and of decision times draw.
type ProcessDetail struct {
	// TimeToAgreementByAuthorityType has one entry per key of
	// equity.time_to_agreement_by_authority_type, in key order.
	TimeToAgreementByAuthorityType []Spread
	// DecisionDaysByDepartment has one entry per department with at least
	// one dated decision, in key order (a blank department under NoValue).
	DecisionDaysByDepartment []Spread
}

// process computes the figures of effort, targets, money, decision times
// and fairness between kinds of authority. d is the records after the
// as_of cut, so every figure here follows it.
func process(d *ingest.Data, m *Metrics) {
	index := make(map[string]int, len(d.Agreements))
	for i, a := range d.Agreements {
		index[a.ID] = i
	}
	spreadType := byKey(d.Agreements, func(a ingest.Agreement) string { return a.AuthorityType })
	m.Equity.TimeToAgreementByAuthorityType = summariseAll(spreadType)
	m.Equity.TimeToAgreementByRegion = summariseAll(byKey(d.Agreements, func(a ingest.Agreement) string { return a.Region }))
	m.Detail.Process.TimeToAgreementByAuthorityType = spreads(spreadType)
	m.Equity.FreedomsByAuthorityType = freedomsByType(d, index)
	var byDept map[string][]float64
	m.Decisions, byDept = decisions(d, index)
	m.Detail.Process.DecisionDaysByDepartment = spreads(byDept)
	m.Effort = effort(d, index)
	m.Targets, m.Grants = targetsAndGrants(d.Agreements)
}

// keyOf is the key a blank value counts under.
func keyOf(v string) string { return cmp.Or(v, NoValue) }

// byKey groups the signed durations by a column of the agreement. Every
// value with at least one agreement, signed or not, is a key, so that a
// kind of authority still negotiating shows with n = 0.
func byKey(as []ingest.Agreement, col func(ingest.Agreement) string) map[string][]float64 {
	out := map[string][]float64{}
	for _, a := range as {
		k := keyOf(col(a))
		if _, ok := out[k]; !ok {
			out[k] = []float64{}
		}
		if a.Status() == ingest.StatusSigned {
			out[k] = append(out[k], float64(dayOf(a.Signed)-dayOf(a.Started)))
		}
	}
	return out
}

func summariseAll(groups map[string][]float64) map[string]Stats {
	out := make(map[string]Stats, len(groups))
	for k, xs := range groups {
		out[k] = summarise(slices.Clone(xs))
	}
	return out
}

// spreads lists the groups in key order with their sorted values and Stats.
func spreads(groups map[string][]float64) []Spread {
	out := []Spread{}
	for _, k := range slices.Sorted(maps.Keys(groups)) {
		xs := slices.Clone(groups[k])
		st := summarise(xs) // sorts xs
		out = append(out, Spread{Key: k, Values: xs, Stats: st})
	}
	return out
}

// freedomsByType counts requests by the kind of authority of their
// agreement. Every kind with an agreement is a key, with or without
// requests; a request whose agreement is unknown counts under NoValue, so
// that the kinds always add up to freedoms.requested.
func freedomsByType(d *ingest.Data, index map[string]int) map[string]KindFreedoms {
	out := map[string]KindFreedoms{}
	for _, a := range d.Agreements {
		out[keyOf(a.AuthorityType)] = KindFreedoms{}
	}
	for _, f := range d.Freedoms {
		k := NoValue
		if i, ok := index[f.AgreementID]; ok {
			k = keyOf(d.Agreements[i].AuthorityType)
		}
		kf := out[k]
		count(&kf.OutcomeCounts, f.Outcome)
		out[k] = kf
	}
	for k, kf := range out {
		kf.GrantedRate = rate(kf.Granted+kf.PartlyGranted, kf.Requested)
		out[k] = kf
	}
	return out
}

// decisions measures the days from each agreement's start to the decisions
// on its requests, overall and by department. A request with a decision
// date but no known agreement has no start to measure from and counts as
// undated, so that n + undated is always the number of requests.
func decisions(d *ingest.Data, index map[string]int) (Decisions, map[string][]float64) {
	var dec Decisions
	var all []float64
	byDept := map[string][]float64{}
	for _, f := range d.Freedoms {
		i, ok := index[f.AgreementID]
		if f.Decided.IsZero() || !ok {
			dec.Undated++
			continue
		}
		x := float64(dayOf(f.Decided) - dayOf(d.Agreements[i].Started))
		all = append(all, x)
		k := keyOf(f.Department)
		byDept[k] = append(byDept[k], x)
	}
	dec.DecisionDays = summarise(all)
	return dec, byDept
}

// effort sums the hours of the events that give them.
func effort(d *ingest.Data, index map[string]int) Effort {
	e := Effort{ByDepartment: map[string]float64{}, ByType: map[string]float64{}}
	for t := range zeroCounts("events", "type") {
		e.ByType[t] = 0
	}
	perAgreement := map[int]float64{}
	for _, ev := range d.Events {
		if ev.Hours == nil {
			continue
		}
		h := *ev.Hours
		e.HoursTotal += h
		e.EventsWithHours++
		e.ByDepartment[keyOf(ev.Department)] += h
		e.ByType[ev.Type] += h
		if i, ok := index[ev.AgreementID]; ok && ev.AgreementID != "" {
			perAgreement[i] += h
		}
	}
	sums := make([]float64, 0, len(perAgreement))
	for _, i := range slices.Sorted(maps.Keys(perAgreement)) {
		sums = append(sums, perAgreement[i])
	}
	e.PerAgreement = summarise(sums)
	e.ShareByDepartment, e.ShareByType = shares(e.ByDepartment, e.HoursTotal), shares(e.ByType, e.HoursTotal)
	return e
}

// shares returns each value of m as a share of total: empty when total is
// not above 0.
func shares[V int | float64](m map[string]V, total V) map[string]float64 {
	out := map[string]float64{}
	if total <= 0 {
		return out
	}
	for k, v := range m {
		out[k] = float64(v) / float64(total)
	}
	return out
}

// targetsAndGrants sums targets and grants over the agreements that give
// them.
func targetsAndGrants(as []ingest.Agreement) (Targets, Grants) {
	var t Targets
	var targets, pump, reward []float64
	var g Grants
	for _, a := range as {
		if a.Targets == nil {
			t.NotGiven++
		} else {
			t.Total += *a.Targets
			targets = append(targets, float64(*a.Targets))
		}
		if a.PumpPrimingGBP != nil {
			g.PumpPriming.Total += *a.PumpPrimingGBP
			pump = append(pump, *a.PumpPrimingGBP)
		}
		if a.RewardGrantGBP != nil {
			g.RewardGrant.Total += *a.RewardGrantGBP
			reward = append(reward, *a.RewardGrantGBP)
		}
	}
	t.PerAgreement = summarise(targets)
	g.PumpPriming.PerAgreement = summarise(pump)
	g.RewardGrant.PerAgreement = summarise(reward)
	return t, g
}

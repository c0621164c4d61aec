package metrics

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/evalsite/evalsite/internal/ingest"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func f(x float64) *float64 { return &x }
func n(x int) *int         { return &x }
func s(x string) *string   { return &x }

// approx compares floats to 1e-9, the tolerance every figure is held to.
var approx = cmpopts.EquateApprox(0, 1e-9)

// handData is the data set worked out by hand below. Days are counted from
// 2000-11-01 = d0 (November has 30 days, so 2000-12-01 = d30, 2000-12-31 = d60).
//
// Agreements (tranche, authority, started, end):
//
//	A1  "1"  Avon  d0  (11-01)  signed    d10 (11-11)   10 days
//	A2  "1"  Bath  d5  (11-06)  signed    d15 (11-16)   10 days  (tie with A1)
//	A3  "1"  Avon  d0  (11-01)  signed    d30 (12-01)   30 days  (Avon's second agreement)
//	A4  "2"  Cork  d10 (11-11)  signed    d60 (12-31)   50 days
//	A5  "2"  Dean  d15 (11-16)  withdrawn d25 (11-26)   censored at 10 (tied with A1, A2's event time)
//	A6  "2"  Eden  d40 (12-11)  open                    censored at as_of - d40 = 20
//	A7  ""   Fife  d55 (12-26)  open                    censored at 5; blank tranche
//
// as_of is not configured: the latest date anywhere is A4's signing, d60 =
// 2000-12-31 (events and decisions are no later).
func handData() *ingest.Data {
	return &ingest.Data{
		Agreements: []ingest.Agreement{
			{ID: "A1", Authority: "Avon", Tranche: "1", Started: day("2000-11-01"), Signed: day("2000-11-11")},
			{ID: "A2", Authority: "Bath", Tranche: "1", Started: day("2000-11-06"), Signed: day("2000-11-16")},
			{ID: "A3", Authority: "Avon", Tranche: "1", Started: day("2000-11-01"), Signed: day("2000-12-01")},
			{ID: "A4", Authority: "Cork", Tranche: "2", Started: day("2000-11-11"), Signed: day("2000-12-31")},
			{ID: "A5", Authority: "Dean", Tranche: "2", Started: day("2000-11-16"), Withdrawn: day("2000-11-26")},
			{ID: "A6", Authority: "Eden", Tranche: "2", Started: day("2000-12-11")},
			{ID: "A7", Authority: "Fife", Started: day("2000-12-26")},
		},
		Freedoms: []ingest.Freedom{
			{RequestID: "F1", AgreementID: "A1", Department: "Home Office", Outcome: "granted", Decided: day("2000-11-10")},
			{RequestID: "F2", AgreementID: "A1", Department: "Home Office", Outcome: "not_granted", Reason: "precedent"},
			{RequestID: "F3", AgreementID: "A2", Department: "Department for Education", Outcome: "partly_granted"},
			{RequestID: "F4", AgreementID: "A3", Department: "Home Office", Outcome: "deferred", Reason: "timescale"},
			{RequestID: "F5", AgreementID: "A3", Department: "H.M. Treasury", Outcome: "not_granted", Reason: "precedent"},
			{RequestID: "F6", AgreementID: "A4", Department: "H.M. Treasury", Outcome: "granted"},
			{RequestID: "F7", AgreementID: "A5", Department: "Department for Education", Outcome: "not_granted", Reason: "funding"},
			{RequestID: "F8", AgreementID: "A5", Department: "Home Office", Outcome: "not_granted", Reason: "primary_legislation"},
		},
		Events: []ingest.Event{
			{AgreementID: "A1", Date: day("2000-11-04"), Type: "meeting"},        // E1  d3
			{AgreementID: "A1", Date: day("2000-11-04"), Type: "meeting"},        // E2  d3, same day
			{AgreementID: "A3", Date: day("2000-11-13"), Type: "correspondence"}, // E3  d12
			{AgreementID: "A3", Date: day("2000-11-21"), Type: "meeting"},        // E4  d20
			{AgreementID: "A4", Date: day("2000-12-06"), Type: "meeting"},        // E5  d35
			{AgreementID: "A4", Date: day("2000-12-16"), Type: "draft"},          // E6  d45
			{AgreementID: "", Date: day("2000-12-02"), Type: "workshop"},         // E7  programme-wide
			{AgreementID: "", Date: day("2000-11-21"), Type: "meeting"},          // E8  programme-wide
			{AgreementID: "A2", Date: day("2000-12-11"), Type: "bilateral"},      // E9  d40, after A2 was signed
			{AgreementID: "", Date: day("2000-09-01"), Type: "meeting"},          // E11 programme-wide, before any start
			{AgreementID: "A6", Date: day("2000-12-21"), Type: "meeting"},        // E12 d50
			{AgreementID: "A7", Date: day("2000-12-29"), Type: "meeting"},        // E13 d58
			{AgreementID: "A4", Date: day("2000-12-16"), Type: "meeting"},        // E14 d45, same day as E6
		},
		Codings: []ingest.Coding{
			{InterviewID: "I1", Wave: 1, Group: "local_authority", Code: "delay"},
			{InterviewID: "I1", Wave: 1, Group: "local_authority", Code: "delay"}, // repeated: counts once
			{InterviewID: "I1", Wave: 1, Group: "local_authority", Code: "targets"},
			{InterviewID: "I2", Wave: 1, Group: "local_authority", Code: "delay"},
			{InterviewID: "I2", Wave: 1, Group: "local_authority", Code: "freedoms"},
			{InterviewID: "I3", Wave: 2, Group: "department", Code: "targets"},
			{InterviewID: "I3", Wave: 2, Group: "department", Code: "freedoms"},
			{InterviewID: "I3", Wave: 2, Group: "department", Code: "delay"},
			{InterviewID: "I4", Wave: 2, Group: "policy_centre", Code: "capacity"},
			{InterviewID: "I4", Wave: 2, Group: "policy_centre", Code: "workload"},
			{InterviewID: "I5", Wave: 1, Group: "department", Code: "delay"},
			{InterviewID: "I5", Wave: 1, Group: "department", Code: "targets"},
		},
	}
}

// handMetrics is every figure of handData with capacity 2, worked by hand.
func handMetrics() *Metrics {
	return &Metrics{
		AsOf: Date{day("2000-12-31")},
		// Signed A1-A4, withdrawn A5, open A6 and A7.
		Agreements: AgreementCounts{Total: 7, Signed: 4, InNegotiation: 2, Withdrawn: 1},
		TimeToAgreement: TimeToAgreement{
			// Signed durations sorted: 10, 10, 30, 50 (n = 4, even).
			// Type 7: h = (n-1)p, value x[floor h] + frac(h)(x[floor h+1] - x[floor h]).
			// median: h = 1.5 -> 10 + 0.5(30-10) = 20
			// p25:    h = 0.75 -> 10 + 0.75(10-10) = 10
			// p75:    h = 2.25 -> 30 + 0.25(50-30) = 35
			// mean:   100/4 = 25
			Stats: Stats{N: 4, Median: f(20), Mean: f(25), P25: f(10), P75: f(35), Min: f(10), Max: f(50)},
			// Kaplan-Meier, n = 7; events 10, 10, 30, 50; censored 5 (A7),
			// 10 (A5, at risk at 10 by convention), 20 (A6).
			//   t=10: at risk 6 (all but A7), 2 events: S = 1 - 2/6 = 2/3
			//   t=30: at risk 2 (A3, A4), 1 event:     S = 2/3 * 1/2 = 1/3 <= 0.5
			// km_median = 30.
			KMMedian: f(30),
			ByTranche: map[string]Stats{
				// Tranche 1: 10, 10, 30. median h=1 -> 10; p25 h=0.5 -> 10;
				// p75 h=1.5 -> 10 + 0.5(20) = 20; mean 50/3.
				"1": {N: 3, Median: f(10), Mean: f(50.0 / 3), P25: f(10), P75: f(20), Min: f(10), Max: f(30)},
				// Tranche 2: only A4 signed (A5 withdrawn, A6 open): 50.
				"2": {N: 1, Median: f(50), Mean: f(50), P25: f(50), P75: f(50), Min: f(50), Max: f(50)},
				// A7's blank tranche is under "none": open, so no signed durations.
				"none": {N: 0},
			},
		},
		// Active intervals [start, end): A1 [0,10) A2 [5,15) A3 [0,30)
		// A4 [10,60) A5 [15,25) A6 [40,61) A7 [55,61) (61 = the day after as_of).
		//   d0-4   A1 A3       2
		//   d5-9   A1 A2 A3    3   <- peak first reached on d5 = 2000-11-06
		//   d10-14 A2 A3 A4    3
		//   d15-24 A3 A4 A5    3
		//   d25-29 A3 A4       2
		//   d30-39 A4          1
		//   d40-54 A4 A6       2
		//   d55-59 A4 A6 A7    3
		//   d60    A6 A7       2
		// Over capacity 2: d5-24 (20 days) + d55-59 (5 days) = 25.
		Concurrency: Concurrency{Capacity: 2, Peak: 3, PeakFirstDate: Date{day("2000-11-06")}, DaysOverCapacity: 25},
		Events: Events{
			Total: 13,
			// meeting: E1 E2 E4 E5 E8 E11 E12 E13 E14 = 9.
			ByType: map[string]int{"meeting": 9, "correspondence": 1, "draft": 1, "workshop": 1, "bilateral": 1,
				"briefing": 0, "signing": 0, "other": 0}, // every type is reported, unused ones as 0
			// Sep: E11; Oct: none; Nov: E1 E2 E4 E8; Dec: E5 E12 E13 E14.
			MeetingsByMonth: map[string]int{"2000-09": 1, "2000-10": 0, "2000-11": 4, "2000-12": 4},
			// Nov and Dec tie at 4: the earliest wins.
			PeakMeetingMonth: s("2000-11"),
			// Longest gaps among start, events in [start, end], end:
			//   A1 0,3,3,10       -> 3,0,7     = 7
			//   A2 5,15 (E9 at d40 is after the end, left out) = 10
			//   A3 0,12,20,30     -> 12,8,10   = 12
			//   A4 10,35,45,45,60 -> 25,10,0,15 = 25
			//   A5 15,25          = 10
			//   A6 40,50,60 (end = as_of) -> 10,10 = 10
			//   A7 55,58,60       -> 3,2       = 3
			// Sorted 3,7,10,10,10,12,25: median h=3 -> 10; max 25.
			LongestSilence: Silence{Median: f(10), Max: f(25)},
		},
		Freedoms: Freedoms{
			// granted F1 F6; partly F3; not F2 F5 F7 F8; deferred F4.
			OutcomeCounts: OutcomeCounts{Requested: 8, Granted: 2, PartlyGranted: 1, NotGranted: 4, Deferred: 1},
			GrantedRate:   f(3.0 / 8),
			ByDepartment: map[string]OutcomeCounts{
				"Home Office":              {Requested: 4, Granted: 1, NotGranted: 2, Deferred: 1}, // F1 F2 F4 F8
				"Department for Education": {Requested: 2, PartlyGranted: 1, NotGranted: 1},        // F3 F7
				"H.M. Treasury":            {Requested: 2, Granted: 1, NotGranted: 1},              // F5 F6
			},
			// F4's reason counts though it was deferred.
			Reasons: map[string]int{"precedent": 2, "timescale": 1, "funding": 1, "primary_legislation": 1,
				"already_available": 0, "unclear": 0, "policy": 0, "joined_up": 0, "other": 0},
			// Refusals only: F2 F5 F7 F8, not the deferred F4.
			RefusalReasons: map[string]int{"precedent": 2, "funding": 1, "primary_legislation": 1,
				"timescale": 0, "already_available": 0, "unclear": 0, "policy": 0, "joined_up": 0, "other": 0},
			// Of the 4 refusals: precedent 2/4, funding 1/4, primary_legislation 1/4.
			RefusalShares: map[string]float64{"precedent": 0.5, "funding": 0.25, "primary_legislation": 0.25,
				"timescale": 0, "already_available": 0, "unclear": 0, "policy": 0, "joined_up": 0, "other": 0},
		},
		Codings: Codings{
			// Groups: local_authority I1 I2; department I3 I5; policy_centre I4.
			// Waves: 1 = I1 I2 I5; 2 = I3 I4.
			Interviews:        5,
			InterviewsByGroup: map[string]int{"local_authority": 2, "department": 2, "policy_centre": 1},
			InterviewsByWave:  map[string]int{"1": 3, "2": 2},
			Codes: map[string]CodeStats{
				// delay: I1 (twice, once counted) I2 I3 I5.
				"delay": {Interviews: 4, Share: 0.8,
					ByGroup: map[string]Share{"local_authority": {2, 1}, "department": {2, 1}, "policy_centre": {0, 0}},
					ByWave:  map[string]Share{"1": {3, 1}, "2": {1, 0.5}}},
				// targets: I1 I3 I5.
				"targets": {Interviews: 3, Share: 0.6,
					ByGroup: map[string]Share{"local_authority": {1, 0.5}, "department": {2, 1}, "policy_centre": {0, 0}},
					ByWave:  map[string]Share{"1": {2, 2.0 / 3}, "2": {1, 0.5}}},
				// freedoms: I2 I3.
				"freedoms": {Interviews: 2, Share: 0.4,
					ByGroup: map[string]Share{"local_authority": {1, 0.5}, "department": {1, 0.5}, "policy_centre": {0, 0}},
					ByWave:  map[string]Share{"1": {1, 1.0 / 3}, "2": {1, 0.5}}},
				// capacity, workload: I4.
				"capacity": {Interviews: 1, Share: 0.2,
					ByGroup: map[string]Share{"local_authority": {0, 0}, "department": {0, 0}, "policy_centre": {1, 1}},
					ByWave:  map[string]Share{"1": {0, 0}, "2": {1, 0.5}}},
				"workload": {Interviews: 1, Share: 0.2,
					ByGroup: map[string]Share{"local_authority": {0, 0}, "department": {0, 0}, "policy_centre": {1, 1}},
					ByWave:  map[string]Share{"1": {0, 0}, "2": {1, 0.5}}},
			},
			// Pairs: I1 delay-targets; I2 delay-freedoms; I3 delay-freedoms,
			// delay-targets, freedoms-targets; I4 capacity-workload; I5
			// delay-targets. The two pairs with 1 sort by a: capacity < freedoms.
			Cooccurrence: []Pair{
				{A: "delay", B: "targets", Interviews: 3},
				{A: "delay", B: "freedoms", Interviews: 2},
				{A: "capacity", B: "workload", Interviews: 1},
				{A: "freedoms", B: "targets", Interviews: 1},
			},
		},
		Equity: Equity{
			// Durations 10,10,30,50, mean 25; squared deviations 225+225+25+625
			// = 1100; sample variance 1100/3; cv = sqrt(1100/3)/25 = 0.76594...
			TimeToAgreementCV: f(math.Sqrt(1100.0/3) / 25),
			// Avon (A1+A3) 1 of 4 = 0.25; Bath 1/1; Cork 1/1; Dean 0/2 = 0.
			// Eden and Fife have no requests and are left out.
			GrantedRateMin: f(0),
			GrantedRateMax: f(1),
			// No agreement gives a type or a region: every one is under
			// none, with the overall figures above (10, 10, 30, 50).
			TimeToAgreementByAuthorityType: map[string]Stats{"none": {N: 4, Median: f(20), Mean: f(25), P25: f(10), P75: f(35), Min: f(10), Max: f(50)}},
			TimeToAgreementByRegion:        map[string]Stats{"none": {N: 4, Median: f(20), Mean: f(25), P25: f(10), P75: f(35), Min: f(10), Max: f(50)}},
			FreedomsByAuthorityType: map[string]KindFreedoms{"none": {
				OutcomeCounts: OutcomeCounts{Requested: 8, Granted: 2, PartlyGranted: 1, NotGranted: 4, Deferred: 1}, GrantedRate: f(3.0 / 8)}},
		},
		// Only F1 is dated: decided 2000-11-10, A1 started 2000-11-01, 9
		// days. The other seven are undated.
		Decisions: Decisions{DecisionDays: Stats{N: 1, Median: f(9), Mean: f(9), P25: f(9), P75: f(9), Min: f(9), Max: f(9)}, Undated: 7},
		// No event gives hours: nothing summed, every type listed as 0, and
		// no share of nothing.
		Effort: Effort{ByDepartment: map[string]float64{}, ByType: map[string]float64{"meeting": 0, "correspondence": 0, "draft": 0,
			"workshop": 0, "bilateral": 0, "briefing": 0, "signing": 0, "other": 0},
			ShareByDepartment: map[string]float64{}, ShareByType: map[string]float64{}},
		// No agreement gives targets or grants.
		Targets: Targets{NotGiven: 7},
	}
}

func TestComputeHandData(t *testing.T) {
	t.Parallel()
	got := Compute(handData(), Config{Capacity: 2})
	want := handMetrics()
	if diff := cmp.Diff(want, got, approx, cmpopts.IgnoreFields(Metrics{}, "Detail")); diff != "" {
		t.Errorf("Compute(handData) mismatch (-want +got):\n%s", diff)
	}
}

func TestComputeHandDetail(t *testing.T) {
	t.Parallel()
	got := Compute(handData(), Config{Capacity: 2}).Detail
	want := Detail{
		// By start date, then ID: A1 and A3 start on d0.
		Agreements: []AgreementRow{
			{ID: "A1", Authority: "Avon", Tranche: "1", Status: ingest.StatusSigned, Started: day("2000-11-01"), End: day("2000-11-11"), DaysToAgreement: n(10), LongestSilenceDays: 7, Requests: 2, GrantedRate: f(0.5)},
			{ID: "A3", Authority: "Avon", Tranche: "1", Status: ingest.StatusSigned, Started: day("2000-11-01"), End: day("2000-12-01"), DaysToAgreement: n(30), LongestSilenceDays: 12, Requests: 2, GrantedRate: f(0)},
			{ID: "A2", Authority: "Bath", Tranche: "1", Status: ingest.StatusSigned, Started: day("2000-11-06"), End: day("2000-11-16"), DaysToAgreement: n(10), LongestSilenceDays: 10, Requests: 1, GrantedRate: f(1)},
			{ID: "A4", Authority: "Cork", Tranche: "2", Status: ingest.StatusSigned, Started: day("2000-11-11"), End: day("2000-12-31"), DaysToAgreement: n(50), LongestSilenceDays: 25, Requests: 1, GrantedRate: f(1)},
			{ID: "A5", Authority: "Dean", Tranche: "2", Status: ingest.StatusWithdrawn, Started: day("2000-11-16"), End: day("2000-11-26"), LongestSilenceDays: 10, Requests: 2, GrantedRate: f(0)},
			{ID: "A6", Authority: "Eden", Tranche: "2", Status: ingest.StatusInNegotiation, Started: day("2000-12-11"), LongestSilenceDays: 10},
			{ID: "A7", Authority: "Fife", Status: ingest.StatusInNegotiation, Started: day("2000-12-26"), LongestSilenceDays: 3},
		},
		Survival: Survival{
			Steps: []KMStep{
				{Day: 10, AtRisk: 6, Events: 2, Survival: 2.0 / 3},
				{Day: 30, AtRisk: 2, Events: 1, Survival: 1.0 / 3},
				{Day: 50, AtRisk: 1, Events: 1, Survival: 0}, // A4 alone
			},
			Censored: []int{5, 10, 20},
		},
		MeetingsByMonth: []MonthCount{{"2000-09", 1}, {"2000-10", 0}, {"2000-11", 4}, {"2000-12", 4}},
		GrantedByAuthority: []AuthorityRate{
			{Authority: "Avon", Requests: 4, Granted: 1, Rate: 0.25},
			{Authority: "Bath", Requests: 1, Granted: 1, Rate: 1},
			{Authority: "Cork", Requests: 1, Granted: 1, Rate: 1},
			{Authority: "Dean", Requests: 2, Granted: 0, Rate: 0},
		},
		Process: ProcessDetail{
			TimeToAgreementByAuthorityType: []Spread{{Key: "none", Values: []float64{10, 10, 30, 50},
				Stats: Stats{N: 4, Median: f(20), Mean: f(25), P25: f(10), P75: f(35), Min: f(10), Max: f(50)}}},
			DecisionDaysByDepartment: []Spread{{Key: "Home Office", Values: []float64{9},
				Stats: Stats{N: 1, Median: f(9), Mean: f(9), P25: f(9), P75: f(9), Min: f(9), Max: f(9)}}},
		},
	}
	// The active series, from the table in handMetrics: runs of (days, active).
	runs := []struct{ days, active int }{{5, 2}, {5, 3}, {5, 3}, {10, 3}, {5, 2}, {10, 1}, {15, 2}, {5, 3}, {1, 2}}
	d := day("2000-11-01")
	for _, r := range runs {
		for range r.days {
			want.Active = append(want.Active, DayCount{Date: d, Active: r.active})
			d = d.AddDate(0, 0, 1)
		}
	}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("Compute(handData).Detail mismatch (-want +got):\n%s", diff)
	}
}

func TestComputeEmptyIsAllNulls(t *testing.T) {
	t.Parallel()
	const nullStats = `{"n":0,"median":null,"mean":null,"p25":null,"p75":null,"min":null,"max":null}`
	for _, d := range []*ingest.Data{nil, {}} {
		b, err := json.Marshal(Compute(d, Config{}))
		if err != nil {
			t.Fatal(err)
		}
		want := `{"as_of":null,` +
			`"agreements":{"total":0,"signed":0,"in_negotiation":0,"withdrawn":0},` +
			`"time_to_agreement_days":{"n":0,"median":null,"mean":null,"p25":null,"p75":null,"min":null,"max":null,"km_median":null,"by_tranche":{}},` +
			`"concurrency":{"capacity":6,"peak":0,"peak_first_date":null,"days_over_capacity":0},` +
			`"events":{"total":0,"by_type":{"bilateral":0,"briefing":0,"correspondence":0,"draft":0,"meeting":0,"other":0,"signing":0,"workshop":0},"meetings_by_month":{},"peak_meeting_month":null,"longest_silence_days":{"median":null,"max":null}},` +
			`"freedoms":{"requested":0,"granted":0,"partly_granted":0,"not_granted":0,"deferred":0,"granted_rate":null,"by_department":{},"reasons":{"already_available":0,"funding":0,"joined_up":0,"other":0,"policy":0,"precedent":0,"primary_legislation":0,"timescale":0,"unclear":0},` +
			`"refusal_reasons":{"already_available":0,"funding":0,"joined_up":0,"other":0,"policy":0,"precedent":0,"primary_legislation":0,"timescale":0,"unclear":0},"refusal_reasons_share":{}},` +
			`"codings":{"interviews":0,"interviews_by_group":{},"interviews_by_wave":{},"codes":{},"cooccurrence":[]},` +
			`"equity":{"time_to_agreement_cv":null,"granted_rate_min":null,"granted_rate_max":null,` +
			`"time_to_agreement_by_authority_type":{},"time_to_agreement_by_region":{},"freedoms_by_authority_type":{}},` +
			`"decisions":{"decision_days":` + nullStats + `,"undated":0},` +
			`"effort":{"hours_total":0,"events_with_hours":0,"by_department":{},"by_type":{"bilateral":0,"briefing":0,"correspondence":0,"draft":0,"meeting":0,"other":0,"signing":0,"workshop":0},"per_agreement":` + nullStats + `,"share_by_department":{},"share_by_type":{}},` +
			`"targets":{"total":0,"per_agreement":` + nullStats + `,"not_given":0},` +
			`"grants":{"pump_priming_gbp":{"total":0,"per_agreement":` + nullStats + `},"reward_grant_gbp":{"total":0,"per_agreement":` + nullStats + `}}}`
		if diff := cmp.Diff(want, string(b)); diff != "" {
			t.Errorf("json.Marshal(Compute(%v)) mismatch (-want +got):\n%s", d, diff)
		}
	}
}

// TestComputeJSONKeys checks the key names and nesting of metrics.json on
// the hand data, down to the map entries.
func TestComputeJSONKeys(t *testing.T) {
	t.Parallel()
	b, err := json.Marshal(Compute(handData(), Config{Capacity: 2}))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	paths := []struct {
		path []string
		want any
	}{
		{[]string{"as_of"}, "2000-12-31"},
		{[]string{"agreements", "in_negotiation"}, 2.0},
		{[]string{"time_to_agreement_days", "p75"}, 35.0},
		{[]string{"time_to_agreement_days", "km_median"}, 30.0},
		{[]string{"time_to_agreement_days", "by_tranche", "2", "median"}, 50.0},
		{[]string{"concurrency", "peak_first_date"}, "2000-11-06"},
		{[]string{"concurrency", "days_over_capacity"}, 25.0},
		{[]string{"events", "by_type", "bilateral"}, 1.0},
		{[]string{"events", "meetings_by_month", "2000-10"}, 0.0},
		{[]string{"events", "peak_meeting_month"}, "2000-11"},
		{[]string{"events", "longest_silence_days", "max"}, 25.0},
		{[]string{"freedoms", "partly_granted"}, 1.0},
		{[]string{"freedoms", "granted_rate"}, 0.375},
		{[]string{"freedoms", "by_department", "H.M. Treasury", "not_granted"}, 1.0},
		{[]string{"freedoms", "reasons", "precedent"}, 2.0},
		{[]string{"codings", "interviews_by_wave", "2"}, 2.0},
		{[]string{"codings", "interviews_by_group", "policy_centre"}, 1.0},
		{[]string{"codings", "codes", "delay", "by_wave", "2", "share"}, 0.5},
		{[]string{"codings", "codes", "targets", "by_group", "department", "interviews"}, 2.0},
		{[]string{"equity", "granted_rate_min"}, 0.0},
	}
	for _, p := range paths {
		var v any = got
		for _, k := range p.path {
			obj, ok := v.(map[string]any)
			if !ok {
				t.Fatalf("metrics.json at %v: %v is not an object", p.path, v)
			}
			if v, ok = obj[k]; !ok {
				t.Fatalf("metrics.json has no key %q on the path %v", k, p.path)
			}
		}
		if diff := cmp.Diff(p.want, v, approx); diff != "" {
			t.Errorf("metrics.json %v mismatch (-want +got):\n%s", p.path, diff)
		}
	}
	pairs := got["codings"].(map[string]any)["cooccurrence"].([]any)
	wantPair := map[string]any{"a": "delay", "b": "targets", "interviews": 3.0}
	if diff := cmp.Diff(wantPair, pairs[0]); diff != "" {
		t.Errorf("metrics.json cooccurrence[0] mismatch (-want +got):\n%s", diff)
	}
}

func TestComputeIsDeterministic(t *testing.T) {
	t.Parallel()
	d := randomData(3, 200)
	first, err := json.Marshal(Compute(d, Config{}))
	if err != nil {
		t.Fatal(err)
	}
	for range 5 {
		again, err := json.Marshal(Compute(d, Config{}))
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(first) {
			t.Fatalf("two Computes of the same data marshal differently")
		}
	}
}

func TestComputeConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		cfg  Config
		want Concurrency
		asOf string
		km   *float64
	}{
		{
			name: "default capacity",
			cfg:  Config{},
			want: Concurrency{Capacity: 6, Peak: 3, PeakFirstDate: Date{day("2000-11-06")}},
			asOf: "2000-12-31",
			km:   f(30),
		},
		{
			// as_of 2000-11-20 = d19, given with a time of day that is dropped.
			// The cut leaves out A6 and A7 (started later) and reopens A3,
			// A4 (signed later) and A5 (withdrawn later).
			// Active d0-4: 2, d5-9: 3, d10-14: 3, d15-19: 3.
			// Over capacity 2: d5-19 = 15 days.
			// KM: events A1 and A2 at 10; censored at as_of A3 at 19, A4 at 9,
			// A5 at 4. t=10: at risk 3, 2 events: S = 1/3 -> km_median 10.
			name: "as_of in the past",
			cfg:  Config{AsOf: time.Date(2000, 11, 20, 15, 4, 5, 0, time.UTC), Capacity: 2},
			want: Concurrency{Capacity: 2, Peak: 3, PeakFirstDate: Date{day("2000-11-06")}, DaysOverCapacity: 15},
			asOf: "2000-11-20",
			km:   f(10),
		},
		{
			// Before any start: every agreement is left out.
			name: "as_of before every start",
			cfg:  Config{AsOf: day("2000-10-01")},
			want: Concurrency{Capacity: 6},
			asOf: "2000-10-01",
			km:   nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := Compute(handData(), tt.cfg)
			if diff := cmp.Diff(tt.want, m.Concurrency); diff != "" {
				t.Errorf("Compute(%+v).Concurrency mismatch (-want +got):\n%s", tt.cfg, diff)
			}
			if got := m.AsOf.Format(time.DateOnly); got != tt.asOf {
				t.Errorf("Compute(%+v).AsOf = %s, want %s", tt.cfg, got, tt.asOf)
			}
			if diff := cmp.Diff(tt.km, m.TimeToAgreement.KMMedian, approx); diff != "" {
				t.Errorf("Compute(%+v) km_median mismatch (-want +got):\n%s", tt.cfg, diff)
			}
		})
	}
}

func TestQuantile7(t *testing.T) {
	t.Parallel()
	// Against R's quantile(x, p, type = 7), worked by hand.
	tests := []struct {
		xs   []float64
		p    float64
		want float64
	}{
		{[]float64{7}, 0.25, 7},
		{[]float64{1, 2}, 0.5, 1.5},           // h = 0.5
		{[]float64{1, 2, 3, 4}, 0.25, 1.75},   // h = 0.75
		{[]float64{1, 2, 3, 4}, 0.75, 3.25},   // h = 2.25
		{[]float64{1, 2, 3, 4, 5}, 0.75, 4},   // h = 3
		{[]float64{2, 4, 4, 5, 10}, 0.1, 2.8}, // h = 0.4 -> 2 + 0.4*2
		{[]float64{2, 4, 4, 5, 10}, 0.95, 9},  // h = 3.8 -> 5 + 0.8*5
		{[]float64{2, 4, 4, 5, 10}, 1, 10},
		{[]float64{2, 4, 4, 5, 10}, 0, 2},
	}
	for _, tt := range tests {
		if got := quantile7(tt.xs, tt.p); math.Abs(got-tt.want) > 1e-9 {
			t.Errorf("quantile7(%v, %v) = %v, want %v", tt.xs, tt.p, got, tt.want)
		}
	}
}

func TestKMMedian(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name             string
		events, censored []int
		want             *float64
	}{
		{"no agreements", nil, nil, nil},
		{"only censored", nil, []int{3, 4}, nil},
		// 4 at risk at 5, 2 events: S = 1/2 exactly, which counts.
		{"exactly half", []int{5, 5, 9, 9}, nil, f(5)},
		// n=4: t=1 S=3/4; t=2 at risk 3 (censoring at 2 still at risk), S = 3/4*2/3 = 1/2.
		{"censored tie at half", []int{1, 2}, []int{2, 7}, f(2)},
		// n=3: t=1 S=2/3; censored at 2; t=3 at risk 1, S = 0.
		{"falls past half", []int{1, 3}, []int{2}, f(3)},
		// A censoring tied with events is still at risk: t=1 at risk 5, 2
		// events, S = 3/5 (not 1 - 2/4 = 1/2), then no more events.
		{"censored tie stays at risk", []int{1, 1}, []int{1, 5, 6}, nil},
		// t=1 S = 3/4, then all censored: never reaches 0.5.
		{"never reaches half", []int{1}, []int{4, 5, 6}, nil},
	}
	for _, tt := range tests {
		got := kmMedian(kaplanMeier(tt.events, tt.censored))
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: kmMedian(events %v, censored %v) mismatch (-want +got):\n%s", tt.name, tt.events, tt.censored, diff)
		}
	}
}

func TestLongestGap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		start, end int
		days       []int
		want       int
	}{
		{0, 10, nil, 10},
		{0, 0, nil, 0},
		{0, 10, []int{0, 10}, 10},
		{0, 10, []int{4}, 6},
		{0, 10, []int{-5, 15, 3}, 7}, // outside the span: left out
		{5, 2, []int{3}, 0},          // opens after as_of
	}
	for _, tt := range tests {
		if got := longestGap(tt.start, tt.end, tt.days); got != tt.want {
			t.Errorf("longestGap(%d, %d, %v) = %d, want %d", tt.start, tt.end, tt.days, got, tt.want)
		}
	}
}

func TestDateJSONRoundTrip(t *testing.T) {
	t.Parallel()
	for _, d := range []Date{{}, {day("2001-03-15")}} {
		b, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		var back Date
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("json.Unmarshal(%s): %v", b, err)
		}
		if !back.Equal(d.Time) {
			t.Errorf("Date round trip of %v gave %v via %s", d, back, b)
		}
	}
}

// TestComputeMatchesIndependentRecomputation compares Compute with figures
// worked out by an independent program (testdata/crosscheck/recompute.py,
// written from the metrics' definitions and sharing no code with this package) on 60
// seeded random agreements: signed, withdrawn and open ones, blank tranches
// and a tranche and a department with dots, events outside their
// agreement's span, repeated codes; blank and given types of authority,
// regions, targets, grants, decision dates, departments and hours.
func TestComputeMatchesIndependentRecomputation(t *testing.T) {
	t.Parallel()
	var rec struct {
		Agreements []struct {
			ID, Authority, Tranche, Started, Signed, Withdrawn, AuthorityType, Region string
			Targets                                                                   *int
			PumpPriming, RewardGrant                                                  *float64
		}
		Freedoms []struct{ Agreement, Department, Outcome, Reason, Decided string }
		Events   []struct {
			Agreement, Date, Type, Department string
			Hours                             *float64
		}
		Codings []struct {
			Interview, Group, Code string
			Wave                   int
		}
	}
	readJSON(t, "testdata/crosscheck/records.json", &rec)
	date := func(s string) time.Time {
		if s == "" {
			return time.Time{}
		}
		return day(s)
	}
	d := &ingest.Data{}
	for _, a := range rec.Agreements {
		d.Agreements = append(d.Agreements, ingest.Agreement{ID: a.ID, Authority: a.Authority, Tranche: a.Tranche, Started: date(a.Started), Signed: date(a.Signed), Withdrawn: date(a.Withdrawn),
			AuthorityType: a.AuthorityType, Region: a.Region, Targets: a.Targets, PumpPrimingGBP: a.PumpPriming, RewardGrantGBP: a.RewardGrant})
	}
	for i, f := range rec.Freedoms {
		d.Freedoms = append(d.Freedoms, ingest.Freedom{RequestID: fmt.Sprint(i), AgreementID: f.Agreement, Department: f.Department, Outcome: f.Outcome, Reason: f.Reason, Decided: date(f.Decided)})
	}
	for _, e := range rec.Events {
		d.Events = append(d.Events, ingest.Event{AgreementID: e.Agreement, Date: date(e.Date), Type: e.Type, Department: e.Department, Hours: e.Hours})
	}
	for _, c := range rec.Codings {
		d.Codings = append(d.Codings, ingest.Coding{InterviewID: c.Interview, Group: c.Group, Code: c.Code, Wave: c.Wave})
	}

	b, err := json.Marshal(Compute(d, Config{Capacity: 4}))
	if err != nil {
		t.Fatal(err)
	}
	var got, want any
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	readJSON(t, "testdata/crosscheck/expected.json", &want)
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("Compute(records.json) differs from the independent recomputation (-want +got):\n%s", diff)
	}
}

func readJSON(t *testing.T, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("reading %s: %v", path, err)
	}
}

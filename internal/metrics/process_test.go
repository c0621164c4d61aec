package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/ingest"
)

// procData is a small data set for the process figures, worked by hand
// below. Days are counted from 2001-01-01.
//
//	P1  county    North West  started 01-01  signed 01-11 (10 days)  targets 12  pump 1,000,000  reward 10,000,000
//	P2  county    North West  started 01-01  signed 01-31 (30 days)  targets 14  pump   800,000  reward -
//	P3  unitary   (blank)     started 01-06  signed 01-26 (20 days)  targets -   pump -          reward  3,000,000
//	P4  (blank)   London      started 01-11  open                    targets 10  pump   500,000  reward  2,500,000
//	P5  district  London      started 01-16  withdrawn 01-21         targets 0   pump   250,000  reward -
//
// The latest date anywhere is E7's, 2001-02-05: that is as_of, and the
// cut leaves everything in.
func procData() *ingest.Data {
	hours := func(h float64) *float64 { return &h }
	return &ingest.Data{
		Agreements: []ingest.Agreement{
			{ID: "P1", Authority: "Ash", AuthorityType: "county", Region: "North West", Started: day("2001-01-01"), Signed: day("2001-01-11"), Targets: n(12), PumpPrimingGBP: f(1_000_000), RewardGrantGBP: f(10_000_000)},
			{ID: "P2", Authority: "Birch", AuthorityType: "county", Region: "North West", Started: day("2001-01-01"), Signed: day("2001-01-31"), Targets: n(14), PumpPrimingGBP: f(800_000)},
			{ID: "P3", Authority: "Cedar", AuthorityType: "unitary", Started: day("2001-01-06"), Signed: day("2001-01-26"), RewardGrantGBP: f(3_000_000)},
			{ID: "P4", Authority: "Dale", Region: "London", Started: day("2001-01-11"), Targets: n(10), PumpPrimingGBP: f(500_000), RewardGrantGBP: f(2_500_000)},
			{ID: "P5", Authority: "Elm", AuthorityType: "district", Region: "London", Started: day("2001-01-16"), Withdrawn: day("2001-01-21"), Targets: n(0), PumpPrimingGBP: f(250_000)},
		},
		Freedoms: []ingest.Freedom{
			{RequestID: "Q1", AgreementID: "P1", Department: "Home Office", Outcome: "granted", Decided: day("2001-01-06")},                        // 5 days
			{RequestID: "Q2", AgreementID: "P1", Department: "DfEE", Outcome: "not_granted", Reason: "policy", Decided: day("2001-01-11")},         // 10 days
			{RequestID: "Q3", AgreementID: "P2", Department: "Home Office", Outcome: "partly_granted", Decided: day("2001-01-31")},                 // 30 days
			{RequestID: "Q4", AgreementID: "P3", Department: "DfEE", Outcome: "deferred"},                                                          // undated
			{RequestID: "Q5", AgreementID: "P4", Department: "Home Office", Outcome: "not_granted", Reason: "funding", Decided: day("2001-01-13")}, // 2 days
			{RequestID: "Q6", AgreementID: "P5", Department: "DfEE", Outcome: "granted"},                                                           // undated
		},
		Events: []ingest.Event{
			{AgreementID: "P1", Date: day("2001-01-02"), Type: "meeting", Department: "Home Office", Hours: hours(2)},    // E1
			{AgreementID: "P1", Date: day("2001-01-05"), Type: "bilateral", Hours: hours(1.5)},                           // E2
			{AgreementID: "P2", Date: day("2001-01-10"), Type: "meeting", Department: "DfEE"},                            // E3, no hours
			{AgreementID: "P2", Date: day("2001-01-20"), Type: "draft", Hours: hours(4)},                                 // E4
			{Date: day("2001-01-24"), Type: "workshop", Hours: hours(6)},                                                 // E5, programme-wide
			{AgreementID: "P3", Date: day("2001-01-12"), Type: "correspondence", Department: "DfEE", Hours: hours(0.25)}, // E6
			{AgreementID: "P4", Date: day("2001-02-05"), Type: "meeting", Department: "Home Office", Hours: hours(3)},    // E7
			{AgreementID: "P5", Date: day("2001-01-18"), Type: "briefing"},                                               // E8, no hours
		},
	}
}

func stats7(n int, median, mean, p25, p75, lo, hi float64) Stats {
	return Stats{N: n, Median: f(median), Mean: f(mean), P25: f(p25), P75: f(p75), Min: f(lo), Max: f(hi)}
}

func TestProcessHandData(t *testing.T) {
	t.Parallel()
	m := Compute(procData(), Config{})
	if got := m.AsOf.Format("2006-01-02"); got != "2001-02-05" {
		t.Fatalf("as_of = %s, want 2001-02-05", got)
	}
	wantEquity := Equity{
		// Signed durations by type: county P1 10, P2 30 (n 2: median h=0.5
		// -> 20, p25 h=0.25 -> 10 + 0.25*20 = 15, p75 h=0.75 -> 25); unitary
		// P3 20. P4 (blank, open) and P5 (district, withdrawn) are keys with
		// n = 0. The n add up to the 3 signed.
		TimeToAgreementByAuthorityType: map[string]Stats{
			"county":   stats7(2, 20, 20, 15, 25, 10, 30),
			"unitary":  stats7(1, 20, 20, 20, 20, 20, 20),
			"none":     {},
			"district": {},
		},
		// By region: North West P1 P2 as county; blank P3 20; London P4
		// open, P5 withdrawn: n = 0.
		TimeToAgreementByRegion: map[string]Stats{
			"North West": stats7(2, 20, 20, 15, 25, 10, 30),
			"none":       stats7(1, 20, 20, 20, 20, 20, 20),
			"London":     {},
		},
		// county Q1 granted, Q2 not, Q3 partly: 2 of 3; unitary Q4 deferred:
		// 0 of 1; none (P4) Q5 not: 0 of 1; district Q6 granted: 1 of 1.
		// Requested 3 + 1 + 1 + 1 = 6, all the requests.
		FreedomsByAuthorityType: map[string]KindFreedoms{
			"county":   {OutcomeCounts{Requested: 3, Granted: 1, PartlyGranted: 1, NotGranted: 1}, f(2.0 / 3)},
			"unitary":  {OutcomeCounts{Requested: 1, Deferred: 1}, f(0)},
			"none":     {OutcomeCounts{Requested: 1, NotGranted: 1}, f(0)},
			"district": {OutcomeCounts{Requested: 1, Granted: 1}, f(1)},
		},
	}
	got := Equity{TimeToAgreementByAuthorityType: m.Equity.TimeToAgreementByAuthorityType,
		TimeToAgreementByRegion: m.Equity.TimeToAgreementByRegion, FreedomsByAuthorityType: m.Equity.FreedomsByAuthorityType}
	if diff := cmp.Diff(wantEquity, got, approx); diff != "" {
		t.Errorf("equity by kind mismatch (-want +got):\n%s", diff)
	}

	// Dated decisions, days from the agreement's start: Q1 5, Q2 10, Q3 30,
	// Q5 2 (P4 started 01-11, decided 01-13). Sorted 2, 5, 10, 30:
	// median h=1.5 -> 5 + 0.5*5 = 7.5; mean 47/4 = 11.75;
	// p25 h=0.75 -> 2 + 0.75*3 = 4.25; p75 h=2.25 -> 10 + 0.25*20 = 15.
	// Q4 and Q6 are undated: 4 + 2 = 6 requests.
	wantDecisions := Decisions{DecisionDays: stats7(4, 7.5, 11.75, 4.25, 15, 2, 30), Undated: 2}
	if diff := cmp.Diff(wantDecisions, m.Decisions, approx); diff != "" {
		t.Errorf("decisions mismatch (-want +got):\n%s", diff)
	}

	// Hours: E1 2 + E2 1.5 + E4 4 + E5 6 + E6 0.25 + E7 3 = 16.75 over 6
	// events (E3 and E8 give none).
	// By department: Home Office E1 + E7 = 5; DfEE E6 = 0.25; blank E2 +
	// E4 + E5 = 11.5. By type: meeting E1 + E7 = 5, bilateral 1.5, draft 4,
	// workshop 6, correspondence 0.25, the rest 0. Each adds up to 16.75.
	// Per agreement: P1 3.5, P2 4, P3 0.25, P4 3 (P5's only event has no
	// hours; E5 belongs to none). Sorted 0.25, 3, 3.5, 4: median h=1.5 ->
	// 3.25; mean 10.75/4 = 2.6875; p25 h=0.75 -> 0.25 + 0.75*2.75 = 2.3125;
	// p75 h=2.25 -> 3.5 + 0.25*0.5 = 3.625.
	wantEffort := Effort{
		HoursTotal: 16.75, EventsWithHours: 6,
		ByDepartment: map[string]float64{"Home Office": 5, "DfEE": 0.25, "none": 11.5},
		ByType: map[string]float64{"meeting": 5, "bilateral": 1.5, "draft": 4, "workshop": 6, "correspondence": 0.25,
			"briefing": 0, "signing": 0, "other": 0},
		PerAgreement: stats7(4, 3.25, 2.6875, 2.3125, 3.625, 0.25, 4),
		// Each over 16.75.
		ShareByDepartment: map[string]float64{"Home Office": 5 / 16.75, "DfEE": 0.25 / 16.75, "none": 11.5 / 16.75},
		ShareByType: map[string]float64{"meeting": 5 / 16.75, "bilateral": 1.5 / 16.75, "draft": 4 / 16.75, "workshop": 6 / 16.75,
			"correspondence": 0.25 / 16.75, "briefing": 0, "signing": 0, "other": 0},
	}
	if diff := cmp.Diff(wantEffort, m.Effort, approx); diff != "" {
		t.Errorf("effort mismatch (-want +got):\n%s", diff)
	}

	// Targets given: P1 12, P2 14, P4 10, P5 0 = 36; P3 blank. Sorted 0, 10,
	// 12, 14: median h=1.5 -> 11; mean 9; p25 h=0.75 -> 7.5; p75 h=2.25 ->
	// 12 + 0.25*2 = 12.5. 4 given + 1 not = 5 agreements.
	wantTargets := Targets{Total: 36, PerAgreement: stats7(4, 11, 9, 7.5, 12.5, 0, 14), NotGiven: 1}
	if diff := cmp.Diff(wantTargets, m.Targets, approx); diff != "" {
		t.Errorf("targets mismatch (-want +got):\n%s", diff)
	}

	// Pump priming: 1,000,000 + 800,000 + 500,000 + 250,000 = 2,550,000.
	// Sorted 250k, 500k, 800k, 1,000k: median 650k; mean 637,500; p25 h=0.75
	// -> 250k + 0.75*250k = 437,500; p75 h=2.25 -> 800k + 0.25*200k = 850k.
	// Reward: 10,000,000 + 3,000,000 + 2,500,000 = 15,500,000. Sorted 2.5M,
	// 3M, 10M: median 3M; mean 15.5M/3; p25 h=0.5 -> 2.75M; p75 h=1.5 -> 6.5M.
	wantGrants := Grants{
		PumpPriming: Money{Total: 2_550_000, PerAgreement: stats7(4, 650_000, 637_500, 437_500, 850_000, 250_000, 1_000_000)},
		RewardGrant: Money{Total: 15_500_000, PerAgreement: stats7(3, 3_000_000, 15_500_000.0/3, 2_750_000, 6_500_000, 2_500_000, 10_000_000)},
	}
	if diff := cmp.Diff(wantGrants, m.Grants, approx); diff != "" {
		t.Errorf("grants mismatch (-want +got):\n%s", diff)
	}

	// What the charts draw: the durations of each type, and the decision
	// days of each department, sorted, in key order.
	wantDetail := ProcessDetail{
		TimeToAgreementByAuthorityType: []Spread{
			{Key: "county", Values: []float64{10, 30}, Stats: stats7(2, 20, 20, 15, 25, 10, 30)},
			{Key: "district", Values: []float64{}},
			{Key: "none", Values: []float64{}},
			{Key: "unitary", Values: []float64{20}, Stats: stats7(1, 20, 20, 20, 20, 20, 20)},
		},
		DecisionDaysByDepartment: []Spread{
			{Key: "DfEE", Values: []float64{10}, Stats: stats7(1, 10, 10, 10, 10, 10, 10)},
			// 2, 5, 30: median 5, mean 37/3, p25 h=0.5 -> 3.5, p75 h=1.5 -> 17.5.
			{Key: "Home Office", Values: []float64{2, 5, 30}, Stats: stats7(3, 5, 37.0/3, 3.5, 17.5, 2, 30)},
		},
	}
	if diff := cmp.Diff(wantDetail, m.Detail.Process, approx); diff != "" {
		t.Errorf("process detail mismatch (-want +got):\n%s", diff)
	}
}

func TestProcessLookupText(t *testing.T) {
	t.Parallel()
	m := Compute(procData(), Config{})
	tests := []struct{ name, text string }{
		{"effort.hours_total", "16.8 hours"}, // 16.75 to one decimal
		{"effort.by_department.none", "11.5 hours"},
		{"effort.by_type.signing", "0 hours"},
		{"effort.per_agreement.min", "0.3 hours"}, // 0.25
		{"targets.total", "36"},
		{"targets.per_agreement.p75", "12.5"},
		{"targets.per_agreement.n", "4"},
		{"grants.pump_priming_gbp.total", "£2,550,000"},
		{"grants.reward_grant_gbp.per_agreement.mean", "£5,166,667"},
		{"decisions.decision_days.median", "7.5 days"},
		{"decisions.undated", "2"},
		{"equity.time_to_agreement_by_authority_type.county.p25", "15 days"},
		{"equity.time_to_agreement_by_authority_type.none.median", "not available"},
		{"equity.time_to_agreement_by_region.North West.n", "2"},
		{"equity.freedoms_by_authority_type.county.granted_rate", "67%"},
		{"equity.freedoms_by_authority_type.district.requested", "1"},
	}
	for _, tt := range tests {
		got, err := m.Lookup(tt.name)
		if err != nil {
			t.Errorf("Lookup(%q): %v", tt.name, err)
			continue
		}
		if got.Text != tt.text {
			t.Errorf("Lookup(%q).Text = %q, want %q", tt.name, got.Text, tt.text)
		}
	}
}

// TestProcessTotalsAddUp checks, on the hand data, random data and a data
// set where every value is blank, that the figures split by a value add up
// to their totals, blank values included under none.
func TestProcessTotalsAddUp(t *testing.T) {
	t.Parallel()
	blank := procData()
	for i := range blank.Agreements {
		blank.Agreements[i].AuthorityType, blank.Agreements[i].Region = "", ""
	}
	for i := range blank.Events {
		blank.Events[i].Department = ""
	}
	for name, d := range map[string]*ingest.Data{"hand": procData(), "random": withProcessColumns(randomData(11, 80), 11), "blank": blank, "example": example.Generate(example.Config{})} {
		m := Compute(d, Config{})
		checkTotals(t, name, m)
	}
}

// withProcessColumns fills the columns the process figures read, some
// blank, from a seeded RNG.
func withProcessColumns(d *ingest.Data, seed uint64) *ingest.Data {
	r := rand.New(rand.NewPCG(seed, 18))
	kinds := []string{"county", "unitary", "metropolitan", "london_borough", "district", ""}
	regions := []string{"London", "North West", "S.E.", ""}
	for i := range d.Agreements {
		a := &d.Agreements[i]
		a.AuthorityType, a.Region = kinds[r.IntN(len(kinds))], regions[r.IntN(len(regions))]
		if r.IntN(5) > 0 {
			a.Targets = n(r.IntN(17))
		}
		if r.IntN(5) > 0 {
			a.PumpPrimingGBP = f(float64(r.IntN(1500)) * 1000)
		}
		if r.IntN(5) > 0 {
			a.RewardGrantGBP = f(float64(r.IntN(25000)) * 1000)
		}
	}
	for i := range d.Freedoms {
		if r.IntN(3) > 0 {
			d.Freedoms[i].Decided = time.Date(2000, 11, 1+r.IntN(300), 0, 0, 0, 0, time.UTC)
		}
	}
	for i := range d.Events {
		d.Events[i].Department = []string{"", "Home Office", "DTLR"}[r.IntN(3)]
		if r.IntN(5) > 0 {
			d.Events[i].Hours = f(float64(r.IntN(40)) / 4)
		}
	}
	return d
}

// checkTotals checks that the process figures split by a value add up to
// their totals.
func checkTotals(t *testing.T, name string, m *Metrics) {
	t.Helper()
	for col, by := range map[string]map[string]Stats{"authority_type": m.Equity.TimeToAgreementByAuthorityType, "region": m.Equity.TimeToAgreementByRegion} {
		sum := 0
		for _, s := range by {
			sum += s.N
		}
		if sum != m.Agreements.Signed {
			t.Errorf("%s: time to agreement by %s adds up to %d, want the %d signed", name, col, sum, m.Agreements.Signed)
		}
	}
	var req OutcomeCounts
	for _, k := range m.Equity.FreedomsByAuthorityType {
		req.Requested += k.Requested
		req.Granted += k.Granted
		req.PartlyGranted += k.PartlyGranted
		req.NotGranted += k.NotGranted
		req.Deferred += k.Deferred
	}
	if req != m.Freedoms.OutcomeCounts {
		t.Errorf("%s: freedoms by authority type add up to %+v, want %+v", name, req, m.Freedoms.OutcomeCounts)
	}
	if got := m.Decisions.DecisionDays.N + m.Decisions.Undated; got != m.Freedoms.Requested {
		t.Errorf("%s: dated %d + undated %d decisions = %d, want %d requests", name, m.Decisions.DecisionDays.N, m.Decisions.Undated, got, m.Freedoms.Requested)
	}
	for what, by := range map[string]map[string]float64{"department": m.Effort.ByDepartment, "type": m.Effort.ByType} {
		sum := 0.0
		for _, h := range by {
			sum += h
		}
		if math.Abs(sum-m.Effort.HoursTotal) > 1e-9 {
			t.Errorf("%s: hours by %s add up to %v, want %v", name, what, sum, m.Effort.HoursTotal)
		}
	}
	if got := m.Targets.PerAgreement.N + m.Targets.NotGiven; got != m.Agreements.Total {
		t.Errorf("%s: targets given %d + not given %d = %d, want %d agreements", name, m.Targets.PerAgreement.N, m.Targets.NotGiven, got, m.Agreements.Total)
	}
	if name == "blank" {
		if len(m.Equity.TimeToAgreementByAuthorityType) != 1 || len(m.Effort.ByDepartment) != 1 {
			t.Errorf("blank: want every value under none alone, got %v and %v", m.Equity.TimeToAgreementByAuthorityType, m.Effort.ByDepartment)
		}
		if _, ok := m.Effort.ByDepartment[NoValue]; !ok {
			t.Errorf("blank: hours by department %v have no %q", m.Effort.ByDepartment, NoValue)
		}
	}
}

// TestProcessFollowsTheCut computes procData as of 2001-01-12, before some
// signings, decisions and events: the figures count the records as they
// stood at the end of that day.
func TestProcessFollowsTheCut(t *testing.T) {
	t.Parallel()
	m := Compute(procData(), Config{AsOf: day("2001-01-12")})
	// P5 started 01-16: left out with Q6 and E8. P2 (signed 01-31) and P3
	// (01-26) are still in negotiation; P1 (01-11) is signed. Q3 (decided
	// 01-31) and Q5 (01-13) are deferred with no date. E4, E5, E7 are after
	// the day.
	got := struct {
		ByType    map[string]Stats
		Freedoms  map[string]KindFreedoms
		Decisions Decisions
		Effort    Effort
		Targets   Targets
		Grants    Grants
	}{m.Equity.TimeToAgreementByAuthorityType, m.Equity.FreedomsByAuthorityType, m.Decisions, m.Effort, m.Targets, m.Grants}
	want := got
	// County: P1 10 days signed, P2 open. Unitary P3 and blank P4 open.
	// District is gone with P5.
	want.ByType = map[string]Stats{"county": stats7(1, 10, 10, 10, 10, 10, 10), "unitary": {}, "none": {}}
	// County Q1 granted, Q2 not, Q3 deferred by the cut: 1 of 3.
	want.Freedoms = map[string]KindFreedoms{
		"county":  {OutcomeCounts{Requested: 3, Granted: 1, NotGranted: 1, Deferred: 1}, f(1.0 / 3)},
		"unitary": {OutcomeCounts{Requested: 1, Deferred: 1}, f(0)},
		"none":    {OutcomeCounts{Requested: 1, Deferred: 1}, f(0)},
	}
	// Dated: Q1 5, Q2 10 (median 7.5, p25 h=0.25 -> 6.25, p75 8.75);
	// undated Q3, Q4, Q5.
	want.Decisions = Decisions{DecisionDays: stats7(2, 7.5, 7.5, 6.25, 8.75, 5, 10), Undated: 3}
	// E1 2 (Home Office), E2 1.5 (blank), E6 0.25 (DfEE); E3 has none.
	// Per agreement P1 3.5, P3 0.25: median 1.875, p25 h=0.25 -> 0.25 +
	// 0.25*3.25 = 1.0625, p75 -> 0.25 + 0.75*3.25 = 2.6875.
	want.Effort = Effort{HoursTotal: 3.75, EventsWithHours: 3,
		ByDepartment: map[string]float64{"Home Office": 2, "none": 1.5, "DfEE": 0.25},
		ByType: map[string]float64{"meeting": 2, "bilateral": 1.5, "correspondence": 0.25, "draft": 0, "workshop": 0,
			"briefing": 0, "signing": 0, "other": 0},
		PerAgreement: stats7(2, 1.875, 1.875, 1.0625, 2.6875, 0.25, 3.5),
		// Each over 3.75.
		ShareByDepartment: map[string]float64{"Home Office": 2 / 3.75, "none": 1.5 / 3.75, "DfEE": 0.25 / 3.75},
		ShareByType: map[string]float64{"meeting": 2 / 3.75, "bilateral": 1.5 / 3.75, "correspondence": 0.25 / 3.75, "draft": 0, "workshop": 0,
			"briefing": 0, "signing": 0, "other": 0}}
	// Targets P1 12, P2 14, P4 10; P3 blank. Sorted 10, 12, 14.
	want.Targets = Targets{Total: 36, PerAgreement: stats7(3, 12, 12, 11, 13, 10, 14), NotGiven: 1}
	// Pump P1 1M, P2 800k, P4 500k; reward P1 10M, P3 3M, P4 2.5M.
	want.Grants = Grants{
		PumpPriming: Money{Total: 2_300_000, PerAgreement: stats7(3, 800_000, 2_300_000.0/3, 650_000, 900_000, 500_000, 1_000_000)},
		RewardGrant: Money{Total: 15_500_000, PerAgreement: stats7(3, 3_000_000, 15_500_000.0/3, 2_750_000, 6_500_000, 2_500_000, 10_000_000)},
	}
	if diff := cmp.Diff(want, got, approx); diff != "" {
		t.Errorf("process figures as of 2001-01-12 (-want +got):\n%s", diff)
	}
}

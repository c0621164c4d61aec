package metrics

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestCutHandCount cuts handData at 2000-11-05 (d4), before most signings,
// and checks the figures against a count by hand of the records up to that
// day (see handData for the days):
//
//	agreements: A1 (d0) and A3 (d0) started by then, both signed later, so
//	  both in negotiation; A2, A4, A5, A6, A7 started later: left out.
//	freedoms: F3 (A2), F6 (A4), F7 and F8 (A5) left out; F1 decided
//	  2000-11-10: deferred with no date; F2, F4, F5 have no decision date
//	  and stay as they are. Outcomes: deferred F1 F4, not granted F2 F5.
//	events: E1 and E2 (d3) and E11 (2000-09-01) kept; the other 10 left out.
func TestCutHandCount(t *testing.T) {
	t.Parallel()
	asOf := day("2000-11-05")
	in := handData()
	before := handData()
	cut, changes := Cut(in, asOf)

	wantChanges := []CutChange{
		{Dataset: "agreements", Records: 7, Dropped: 5, Changed: 2},
		{Dataset: "freedoms", Records: 5, Dropped: 4, Changed: 1},
		{Dataset: "events", Records: 10, Dropped: 10},
	}
	if diff := cmp.Diff(wantChanges, changes); diff != "" {
		t.Errorf("Cut changes (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, in, cmpopts.EquateEmpty()); diff != "" {
		t.Errorf("Cut modified its input (-before +after):\n%s", diff)
	}
	if len(cut.Agreements) != 2 || len(cut.Freedoms) != 4 || len(cut.Events) != 3 {
		t.Errorf("cut kept %d agreements, %d freedoms, %d events; want 2, 4, 3", len(cut.Agreements), len(cut.Freedoms), len(cut.Events))
	}

	m := Compute(in, Config{AsOf: asOf})
	if want := (AgreementCounts{Total: 2, InNegotiation: 2}); m.Agreements != want {
		t.Errorf("agreements = %+v, want %+v", m.Agreements, want)
	}
	if m.TimeToAgreement.N != 0 || m.TimeToAgreement.Max != nil || m.TimeToAgreement.KMMedian != nil {
		t.Errorf("time to agreement = %+v, want nothing signed", m.TimeToAgreement)
	}
	if want := (OutcomeCounts{Requested: 4, NotGranted: 2, Deferred: 2}); m.Freedoms.OutcomeCounts != want {
		t.Errorf("freedoms = %+v, want %+v", m.Freedoms.OutcomeCounts, want)
	}
	if m.Freedoms.Reasons["precedent"] != 2 || m.Freedoms.Reasons["timescale"] != 1 {
		t.Errorf("reasons = %v, want precedent 2 and timescale 1 (F1 was decided later: no reason yet)", m.Freedoms.Reasons)
	}
	if m.Events.Total != 3 || m.Events.ByType["meeting"] != 3 {
		t.Errorf("events total %d, meetings %d; want 3 and 3", m.Events.Total, m.Events.ByType["meeting"])
	}
	// Concurrency stops at as_of like every other figure: A1 and A3 on d0-d4.
	if want := (Concurrency{Capacity: 6, Peak: 2, PeakFirstDate: Date{day("2000-11-01")}}); m.Concurrency != want {
		t.Errorf("concurrency = %+v, want %+v", m.Concurrency, want)
	}
	// Silences: A1 0,3,3 then as_of d4 -> 3; A3 0 to 4 -> 4.
	if m.Events.LongestSilence.Max == nil || *m.Events.LongestSilence.Max != 4 {
		t.Errorf("longest silence = %v, want 4", m.Events.LongestSilence.Max)
	}

	msg := changes[1].String(asOf)
	for _, want := range []string{"freedoms: 5 records", "2000-11-05", "4 of agreements started after it", "1 decided after it, counted as deferred"} {
		if !strings.Contains(msg, want) {
			t.Errorf("warning %q does not say %q", msg, want)
		}
	}
}

// TestCutNothingLater: at the latest date in the data the cut changes
// nothing and returns the records themselves.
func TestCutNothingLater(t *testing.T) {
	t.Parallel()
	d := handData()
	cut, changes := Cut(d, d.LatestDate())
	if cut != d || changes != nil {
		t.Errorf("Cut at the latest date = (%p, %v), want the input unchanged", cut, changes)
	}
	if cut, changes := Cut(d, time.Time{}); cut != d || changes != nil {
		t.Errorf("Cut with no as_of = (%p, %v), want the input unchanged", cut, changes)
	}
}

// TestFormatRoundsLikeEveryPage: figures in prose round half away from zero
// on their decimal value, as the pages, tables and charts do.
func TestFormatRoundsLikeEveryPage(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		v    any
		unit string
		want string
	}{
		{1.0 / 8, UnitShare, "13%"},
		{0.145, UnitShare, "15%"},
		{70.25, UnitDays, "70.3 days"},
		{1234, UnitCount, "1,234"},
		{"2000-12", UnitMonth, "December 2000"},
	} {
		if got := Format(c.v, c.unit); got != c.want {
			t.Errorf("Format(%v, %s) = %q, want %q", c.v, c.unit, got, c.want)
		}
	}
}

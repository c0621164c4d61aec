package site

import (
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/evalsite/evalsite/charts"
	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
	"github.com/google/go-cmp/cmp"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// handData is small enough to count by hand:
//
//	freedoms: DfEE answers R1 granted, R2 partly granted, R3 not granted
//	(precedent); Home Office answers R4 not granted (precedent), R5 not
//	granted (no reason: counted as other), R6 deferred (timescale: a reason,
//	but not a refusal).
//	codings: interviews I1 (local_authority, wave 1) and I2, I3
//	(department, wave 2); "delay" is raised in I1 and I2, so 1 of 1 local
//	authority interviews (100%) and 1 of 2 department interviews (50%).
func handData() *ingest.Data {
	return &ingest.Data{
		Agreements: []ingest.Agreement{
			{ID: "A1", Authority: "Northby", Started: day("2000-11-01"), Signed: day("2001-01-15")},
			{ID: "A2", Authority: "Southby", Started: day("2000-12-01"), Signed: day("2001-02-01")},
		},
		Freedoms: []ingest.Freedom{
			{RequestID: "R1", AgreementID: "A1", Department: "DfEE", Outcome: "granted"},
			{RequestID: "R2", AgreementID: "A1", Department: "DfEE", Outcome: "partly_granted"},
			{RequestID: "R3", AgreementID: "A1", Department: "DfEE", Outcome: "not_granted", Reason: "precedent"},
			{RequestID: "R4", AgreementID: "A2", Department: "Home Office", Outcome: "not_granted", Reason: "precedent"},
			{RequestID: "R5", AgreementID: "A2", Department: "Home Office", Outcome: "not_granted"},
			{RequestID: "R6", AgreementID: "A2", Department: "Home Office", Outcome: "deferred", Reason: "timescale"},
		},
		Events: []ingest.Event{
			{AgreementID: "A1", Date: day("2000-12-05"), Type: "meeting"},
			{AgreementID: "A2", Date: day("2000-12-06"), Type: "meeting"},
			{AgreementID: "A2", Date: day("2001-01-10"), Type: "meeting"},
		},
		Codings: []ingest.Coding{
			{InterviewID: "I1", Wave: 1, Group: "local_authority", Code: "delay"},
			{InterviewID: "I2", Wave: 2, Group: "department", Code: "delay"},
			{InterviewID: "I3", Wave: 2, Group: "department", Code: "targets"},
		},
	}
}

// drawn runs the site's chart job of the given name on d and returns what
// was drawn.
func drawn(t *testing.T, d *ingest.Data, ev Evaluation, name string) *charts.Chart {
	t.Helper()
	g := &generator{ev: ev, data: d, metrics: metrics.Compute(d, metrics.Config{}), src: newSource(), log: slog.New(slog.DiscardHandler)}
	if err := g.figures(t.Context()); err != nil {
		t.Fatal(err)
	}
	for _, j := range g.chartJobs() {
		if j.name == name {
			c, err := j.draw(io.Discard)
			if err != nil {
				t.Fatalf("chart %s: %v", name, err)
			}
			return c
		}
	}
	t.Fatalf("no chart %q", name)
	return nil
}

func TestChartInputsFromTheData(t *testing.T) {
	d := handData()
	tests := []struct {
		chart string
		want  [][]string
	}{
		{"freedoms_by_department", [][]string{
			// department, requested, granted, partly granted, not granted or deferred
			{"DfEE", "3", "1", "1", "1"},
			{"Home Office", "3", "0", "0", "3"},
		}},
		{"meetings_by_month", [][]string{{"December 2000", "2"}, {"January 2001", "1"}}},
	}
	for _, tt := range tests {
		t.Run(tt.chart, func(t *testing.T) {
			c := drawn(t, d, Evaluation{}, tt.chart)
			if diff := cmp.Diff(tt.want, c.Rows); diff != "" {
				t.Errorf("%s rows (-want +got):\n%s", tt.chart, diff)
			}
		})
	}
}

func TestRefusalReasonsCountOnlyRefusals(t *testing.T) {
	got := map[string]int{}
	for _, c := range refusalReasons(metrics.Compute(handData(), metrics.Config{})) {
		got[c.Label] = c.Count
	}
	// R3 and R4 give precedent, R5 gives none (other); R6 is deferred.
	if got[valueLabel("precedent")] != 2 || got[valueLabel("other")] != 1 || got[valueLabel("timescale")] != 0 {
		t.Errorf("refusalReasons = %v, want precedent 2, other 1, timescale 0", got)
	}
}

func TestHeatMapCellsAreWithheldBelowThreshold(t *testing.T) {
	d := handData()
	c := drawn(t, d, Evaluation{}, "codes_by_group")
	// Columns: code, local authority, department, each with its size.
	if diff := cmp.Diff([]string{"Code", "Local authority (n=1)", "Department (n=2)"}, c.Header); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"Delay", "100%", "50%"}, c.Rows[0]); diff != "" {
		t.Errorf("delay row (-want +got):\n%s", diff)
	}
	// With suppress_below = 2 every count here (1 interview) is withheld.
	c = drawn(t, d, Evaluation{SuppressBelow: 2}, "codes_by_group")
	for _, row := range c.Rows {
		for _, cell := range row[1:] {
			if cell != "[c]" {
				t.Errorf("row %v shows %q, want [c]", row, cell)
			}
		}
	}
}

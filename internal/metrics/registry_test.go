package metrics

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/evalsite/evalsite/internal/ingest"
)

func TestLookup(t *testing.T) {
	t.Parallel()
	m := Compute(handData(), Config{Capacity: 2})
	tests := []struct {
		name  string
		value any
		text  string
		label string
	}{
		{"as_of", day("2000-12-31"), "31 December 2000", "Figures as of"},
		{"agreements.total", 7, "7", "Agreements"},
		{"agreements.withdrawn", 1, "1", "Agreements withdrawn"},
		{"time_to_agreement_days.n", 4, "4", "Signed agreements"},
		{"time_to_agreement_days.median", 20.0, "20 days", "Median days to agreement"},
		{"time_to_agreement_days.p75", 35.0, "35 days", "Upper quartile of days to agreement"},
		{"time_to_agreement_days.km_median", 30.0, "30 days", "Kaplan-Meier median days to agreement"},
		// 50/3 = 16.67 -> one decimal.
		{"time_to_agreement_days.by_tranche.1.mean", 50.0 / 3, "16.7 days", "Tranche 1: mean days to agreement"},
		{"time_to_agreement_days.by_tranche.2.n", 1, "1", "Tranche 2: signed agreements"},
		{"concurrency.capacity", 2, "2", "Capacity"},
		{"concurrency.peak", 3, "3", "Peak concurrent negotiations"},
		{"concurrency.peak_first_date", day("2000-11-06"), "6 November 2000", "First day at the peak"},
		{"concurrency.days_over_capacity", 25, "25 days", "Days over capacity"},
		{"events.by_type.meeting", 9, "9", "Events of type meeting"},
		{"events.meetings_by_month.2000-10", 0, "0", "Meetings in 2000-10"},
		{"events.peak_meeting_month", "2000-11", "November 2000", "Busiest month for meetings"},
		{"events.longest_silence_days.max", 25.0, "25 days", "Longest silence"},
		// 3/8 = 37.5% rounds half away from zero.
		{"freedoms.granted_rate", 0.375, "38%", "Share of freedoms granted"},
		{"freedoms.by_department.Home Office.requested", 4, "4", "Requests for freedoms by Home Office"},
		{"freedoms.by_department.H.M. Treasury.granted", 1, "1", "Requests granted by H.M. Treasury"},
		{"freedoms.reasons.primary_legislation", 1, "1", "Requests with reason primary_legislation"},
		{"codings.interviews_by_group.local_authority", 2, "2", "Interviews with local_authority respondents"},
		{"codings.codes.delay.share", 0.8, "80%", "Share of interviews coded delay"},
		{"codings.codes.targets.by_wave.1.share", 2.0 / 3, "67%", "Share of wave 1 interviews coded targets"},
		{"codings.codes.capacity.by_group.policy_centre.interviews", 1, "1", "Interviews with policy_centre respondents coded capacity"},
		{"codings.cooccurrence.delay.targets", 3, "3", "Interviews coded both delay and targets"},
		// sqrt(1100/3)/25 = 0.7659 -> 0.77.
		{"equity.time_to_agreement_cv", 0.7659416862050705, "0.77", "Variation in time to agreement"},
		{"equity.granted_rate_min", 0.0, "0%", "Lowest share of freedoms granted to an authority"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := m.Lookup(tt.name)
			if err != nil {
				t.Fatalf("Lookup(%q) error: %v", tt.name, err)
			}
			if diff := cmp.Diff(tt.value, got.Value, approx); diff != "" {
				t.Errorf("Lookup(%q).Value mismatch (-want +got):\n%s", tt.name, diff)
			}
			if got.Text != tt.text {
				t.Errorf("Lookup(%q).Text = %q, want %q", tt.name, got.Text, tt.text)
			}
			if got.Name != tt.name || got.Def.Name != tt.name {
				t.Errorf("Lookup(%q) names %q, %q", tt.name, got.Name, got.Def.Name)
			}
			if got.Def.Label != tt.label {
				t.Errorf("Lookup(%q).Def.Label = %q, want %q", tt.name, got.Def.Label, tt.label)
			}
			if got.Def.Definition == "" {
				t.Errorf("Lookup(%q) has no definition", tt.name)
			}
		})
	}
}

func TestLookupNullIsNotAvailable(t *testing.T) {
	t.Parallel()
	m := Compute(&ingest.Data{}, Config{})
	for _, name := range []string{"as_of", "time_to_agreement_days.median", "time_to_agreement_days.km_median", "concurrency.peak_first_date", "events.peak_meeting_month", "freedoms.granted_rate", "equity.time_to_agreement_cv"} {
		got, err := m.Lookup(name)
		if err != nil {
			t.Fatalf("Lookup(%q) on empty data: %v", name, err)
		}
		if got.Value != nil || got.Text != "not available" {
			t.Errorf("Lookup(%q) on empty data = %v, %q, want nil, \"not available\"", name, got.Value, got.Text)
		}
	}
	got, err := m.Lookup("agreements.total")
	if err != nil || got.Value != 0 || got.Text != "0" {
		t.Errorf("Lookup(agreements.total) on empty data = %v, %q, %v, want 0, \"0\", nil", got.Value, got.Text, err)
	}
}

func TestLookupUnknownNamesNearest(t *testing.T) {
	t.Parallel()
	m := Compute(handData(), Config{})
	tests := []struct {
		name, nearest string
	}{
		{"agreements.totl", "agreements.total"},
		{"freedoms.by_department.Home Ofice.granted", "freedoms.by_department.Home Office.granted"},
		{"time_to_agreement_days.by_tranche.3.median", "time_to_agreement_days.by_tranche.1.median"},
		{"freedoms.by_department", ""}, // a whole map is not one figure, and too far from any member
		{"completely.different", ""},
		{"", ""},
	}
	for _, tt := range tests {
		_, err := m.Lookup(tt.name)
		var ue *UnknownError
		if !errors.As(err, &ue) || !errors.Is(err, ErrUnknownMetric) {
			t.Fatalf("Lookup(%q) error = %v, want an *UnknownError", tt.name, err)
		}
		if ue.Nearest != tt.nearest {
			t.Errorf("Lookup(%q) nearest = %q, want %q", tt.name, ue.Nearest, tt.nearest)
		}
		want := fmt.Sprintf("unknown metric %q", tt.name)
		if tt.nearest != "" {
			want += fmt.Sprintf(" (did you mean %q?)", tt.nearest)
		}
		if err.Error() != want {
			t.Errorf("Lookup(%q) error = %q, want %q", tt.name, err, want)
		}
	}
}

func TestLookupKeysWithDots(t *testing.T) {
	t.Parallel()
	coding := func(id, code string) ingest.Coding {
		return ingest.Coding{InterviewID: id, Wave: 1, Group: "lga", Code: code}
	}
	// I1 has codes "a" and "b.c"; I2 has "a.b" and "c"; I3 has "x.y" alone.
	// "codings.cooccurrence.a.b.c" spells both pairs (a, b.c) and (a.b, c).
	m := Compute(&ingest.Data{Codings: []ingest.Coding{
		coding("I1", "a"), coding("I1", "b.c"),
		coding("I2", "a.b"), coding("I2", "c"),
		coding("I3", "x.y"),
	}}, Config{})

	got, err := m.Lookup("codings.codes.x.y.by_wave.1.interviews")
	if err != nil || got.Value != 1 {
		t.Errorf("Lookup(codes.x.y.by_wave.1.interviews) = %v, %v, want 1", got.Value, err)
	}
	got, err = m.Lookup("codings.codes.b.c.share")
	if err != nil || got.Value != 1.0/3 {
		t.Errorf("Lookup(codes.b.c.share) = %v, %v, want 1/3", got.Value, err)
	}
	_, err = m.Lookup("codings.cooccurrence.a.b.c")
	if err == nil || !strings.Contains(err.Error(), "ambiguous") {
		t.Errorf("Lookup(cooccurrence.a.b.c) error = %v, want ambiguous", err)
	}
}

func TestRegistry(t *testing.T) {
	t.Parallel()
	defs := Registry()
	units := []string{UnitDate, UnitMonth, UnitCount, UnitDays, UnitShare, UnitRatio, UnitNumber, UnitHours, UnitGBP}
	seen := map[string]bool{}
	for _, d := range defs {
		if seen[d.Name] {
			t.Errorf("Registry() has %q twice", d.Name)
		}
		seen[d.Name] = true
		if d.Label == "" || d.Definition == "" || !slices.Contains(units, d.Unit) {
			t.Errorf("Registry() entry %+v lacks a label, a definition or a known unit", d)
		}
	}
	// Names chapters cite, in the order of metrics.json.
	order := []string{"as_of", "agreements.total", "time_to_agreement_days.median", "time_to_agreement_days.km_median",
		"concurrency.peak", "events.peak_meeting_month", "freedoms.granted_rate", "freedoms.by_department.<department>.granted",
		"codings.codes.<code>.share", "equity.granted_rate_max",
		"equity.time_to_agreement_by_authority_type.<authority_type>.median", "equity.time_to_agreement_by_region.<region>.p75",
		"equity.freedoms_by_authority_type.<authority_type>.granted_rate", "decisions.decision_days.median", "decisions.undated",
		"effort.hours_total", "effort.by_department.<department>", "effort.per_agreement.max", "targets.total", "targets.not_given",
		"grants.pump_priming_gbp.total", "grants.reward_grant_gbp.per_agreement.mean"}
	last := -1
	for _, name := range order {
		i := slices.IndexFunc(defs, func(d Def) bool { return d.Name == name })
		if i < 0 {
			t.Errorf("Registry() has no %q", name)
			continue
		}
		if i < last {
			t.Errorf("Registry() lists %q out of the order of metrics.json", name)
		}
		last = i
	}
}

// TestNamesCoverMetricsJSON checks that the registry names every leaf of
// metrics.json and nothing else, so that no figure is published without a
// definition, and that Lookup of each name gives the value metrics.json holds
// there, so that no name reads the wrong field.
func TestNamesCoverMetricsJSON(t *testing.T) {
	t.Parallel()
	for _, d := range []*ingest.Data{handData(), randomData(7, 40), {}} {
		m := Compute(d, Config{})
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var tree map[string]any
		if err := json.Unmarshal(b, &tree); err != nil {
			t.Fatal(err)
		}
		leaves := map[string]any{}
		var walk func(prefix string, v any)
		walk = func(prefix string, v any) {
			switch x := v.(type) {
			case map[string]any:
				for k, v := range x {
					walk(prefix+k+".", v)
				}
			case []any: // cooccurrence
				for _, p := range x {
					p := p.(map[string]any)
					leaves[prefix+p["a"].(string)+"."+p["b"].(string)] = p["interviews"]
				}
			default:
				leaves[strings.TrimSuffix(prefix, ".")] = v
			}
		}
		walk("", tree)
		keys := slices.Sorted(maps.Keys(leaves))
		names := m.Names()
		slices.Sort(names)
		if diff := cmp.Diff(keys, names); diff != "" {
			t.Errorf("Names() differs from the leaves of metrics.json (-json +names):\n%s", diff)
		}
		for _, name := range names {
			fig, err := m.Lookup(name)
			if err != nil {
				t.Errorf("Lookup(%q) of a name from Names(): %v", name, err)
				continue
			}
			var got any
			switch v := fig.Value.(type) {
			case int:
				got = float64(v)
			case time.Time:
				got = v.Format(time.DateOnly)
			default:
				got = v
			}
			if diff := cmp.Diff(leaves[name], got); diff != "" {
				t.Errorf("Lookup(%q).Value differs from metrics.json (-json +lookup):\n%s", name, diff)
			}
		}
	}
}

func TestFormat(t *testing.T) {
	t.Parallel()
	tests := []struct {
		v    any
		unit string
		want string
	}{
		{nil, UnitDays, "not available"},
		{70.0, UnitDays, "70 days"},
		{1, UnitDays, "1 day"},
		{0, UnitDays, "0 days"},
		{70.26, UnitDays, "70.3 days"},
		{0.35, UnitShare, "35%"},
		{0.004, UnitShare, "0%"},
		{1.0, UnitShare, "100%"},
		{7, UnitCount, "7"},
		{1234567, UnitCount, "1,234,567"},
		{999, UnitCount, "999"},
		{1000, UnitCount, "1,000"},
		{0.7659, UnitRatio, "0.77"},
		{time.Date(2000, 12, 15, 0, 0, 0, 0, time.UTC), UnitDate, "15 December 2000"},
		{"2000-12", UnitMonth, "December 2000"},
	}
	for _, tt := range tests {
		if got := Format(tt.v, tt.unit); got != tt.want {
			t.Errorf("Format(%v, %q) = %q, want %q", tt.v, tt.unit, got, tt.want)
		}
	}
}

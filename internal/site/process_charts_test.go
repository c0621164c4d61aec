package site

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestProcessChartsOfOneBlankType draws the charts of time to agreement by
// type, hours and decision times for handData, where no agreement records
// its type of authority and no event its hours or department: one group,
// the blank one, and no hours.
func TestProcessChartsOfOneBlankType(t *testing.T) {
	t.Parallel()
	d := handData()
	// A1 took 75 days (1 November to 15 January), A2 62 (1 December to 1
	// February). Sorted 62, 75: median 68.5; p25 h=0.25 -> 65.25, shown
	// 65.3; p75 h=0.75 -> 71.75, shown 71.8.
	c := drawn(t, d, Evaluation{}, "time_to_agreement_by_type")
	if want := "No signed agreement records its type of authority"; c.Title != want {
		t.Errorf("Title = %q, want %q", c.Title, want)
	}
	if diff := cmp.Diff([][]string{{"Type not recorded", "2", "68.5", "65.3", "71.8", "62", "75"}}, c.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if c := drawn(t, d, Evaluation{}, "hours_of_contact"); c.Title != "No hours of contact were recorded" {
		t.Errorf("hours Title = %q", c.Title)
	}
	if c := drawn(t, d, Evaluation{}, "decision_times"); c.Title != "No decision on a freedom is dated" {
		t.Errorf("decisions Title = %q", c.Title)
	}

	// With a type, an hour and a decision on record, each chart has marks.
	d.Agreements[0].AuthorityType, d.Agreements[1].AuthorityType = "county", "county"
	h := 2.5
	d.Events[0].Hours, d.Events[0].Department = &h, "DfEE"
	d.Freedoms[0].Decided = day("2000-11-21") // 20 days after A1 started
	if c := drawn(t, d, Evaluation{}, "time_to_agreement_by_type"); c.Title != "County authorities took a median of 68.5 days to sign" {
		t.Errorf("Title = %q", c.Title)
	}
	if c := drawn(t, d, Evaluation{}, "hours_of_contact"); !cmp.Equal(c.Rows, [][]string{{"Department", "DfEE", "2.5", "100%"}, {"Type of contact", "Meeting", "2.5", "100%"}}) {
		t.Errorf("hours rows = %v", c.Rows)
	}
	if c := drawn(t, d, Evaluation{}, "decision_times"); c.Title != "DfEE took a median of 20 days to decide" {
		t.Errorf("decisions Title = %q", c.Title)
	}
}

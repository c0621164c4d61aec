package charts

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"gonum.org/v1/plot/vg"
)

// Descriptions are tested without drawing: their words, their rows and
// the ends of their scales, straight from the describe step.

func TestDescribeTimeToAgreement(t *testing.T) {
	t.Parallel()
	s := date(2001, time.January, 1)
	d, err := describeTimeToAgreement(TimeToAgreementInput{Median: 45, Agreements: []Agreement{
		{ID: "a", Label: "Kent", Started: s, Signed: s.AddDate(0, 0, 30)},
		{ID: "b", Label: "Essex", Started: s, Signed: s.AddDate(0, 0, 60)},
		{ID: "c", Label: "Camden", Started: s},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "The median agreement took 45 days"; d.chart.Title != want {
		t.Errorf("Title = %q, want %q", d.chart.Title, want)
	}
	m, ok := d.body.(timeToAgreementMarks)
	if !ok {
		t.Fatalf("body is %T, want bars", d.body)
	}
	// The value scale runs from 0 to the longest bar; the median is marked.
	if m.longest != 60 || m.median != 45 {
		t.Errorf("scale end %d, median %v; want 60 and 45", m.longest, m.median)
	}
	var got []string
	for _, b := range m.bars {
		got = append(got, b.a.Label)
	}
	if diff := cmp.Diff([]string{"Essex", "Kent"}, got); diff != "" {
		t.Errorf("bars, longest first (-want +got):\n%s", diff)
	}
	// Two labelled bars, 20 units apart, under the median's label.
	if want := vg.Length(2*20 + 22); d.bodyHeight != want {
		t.Errorf("body height %v, want %v", d.bodyHeight, want)
	}
}

func TestDescribeMeetingsByMonthMarksTheGivenPeak(t *testing.T) {
	t.Parallel()
	d, err := describeMeetingsByMonth(MeetingsByMonthInput{
		Months:   []MonthCount{{"2001-01", 5}, {"2000-11", 3}, {"2000-12", 5}},
		Meetings: 13, Peak: "2001-01",
	})
	if err != nil {
		t.Fatal(err)
	}
	m := d.body.(meetingsByMonthMarks)
	// Months fill from the first to the last; the peak is the metrics' own
	// choice among the tied months, and the scale ends at its count.
	if len(m.bars) != 3 || m.peak != 2 || m.bars[m.peak].n != 5 {
		t.Errorf("bars %v, peak %d; want 3 bars with the peak last", m.bars, m.peak)
	}
	if want := "Meetings peaked in January 2001, with 5 of the 13 meetings from November 2000 to January 2001."; d.chart.Alt != want {
		t.Errorf("Alt = %q\nwant  %q", d.chart.Alt, want)
	}
}

func TestDescribeConcurrencyStatesTheMetricsPeak(t *testing.T) {
	t.Parallel()
	s := date(2000, time.January, 1)
	in := ConcurrencyInput{Capacity: 1, Days: []DayCount{{s, 1}, {s.AddDate(0, 0, 1), 2}, {s.AddDate(0, 0, 2), 2}},
		Peak: 2, PeakDate: s.AddDate(0, 0, 1), DaysOverCapacity: 2}
	d, err := describeConcurrency(in)
	if err != nil {
		t.Fatal(err)
	}
	m := d.body.(concurrencyMarks)
	if m.peak != 2 || m.peakDay != 1 || m.capacity != 1 {
		t.Errorf("peak %d on day %d, capacity %d; want 2 on day 1, capacity 1", m.peak, m.peakDay, m.capacity)
	}
	if want := "Active negotiations exceeded the capacity of 1 on 2 days"; d.chart.Title != want {
		t.Errorf("Title = %q, want %q", d.chart.Title, want)
	}
	if diff := cmp.Diff([][]string{{"2000-01-01", "2000-01-01", "1"}, {"2000-01-02", "2000-01-03", "2"}}, d.chart.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	// A peak that is not a day of the counts is refused.
	in.PeakDate = s
	if _, err := describeConcurrency(in); err == nil {
		t.Error("a peak of 2 on a day with 1 active: no error")
	}
}

func TestDescribeFreedomsAndRefusalsStateTheMetricsTotals(t *testing.T) {
	t.Parallel()
	d, err := describeFreedomsByDepartment(FreedomsByDepartmentInput{
		Departments: []DepartmentFreedoms{{Department: "Health", Requested: 4, Granted: 1}},
		All:         DepartmentFreedoms{Requested: 10, Granted: 2, PartlyGranted: 3}, GrantedRate: 0.5,
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Of 10 freedoms requested, 2 were granted in full and 3 in part (50%). Health received the most requests (4)."; d.chart.Alt != want {
		t.Errorf("Alt = %q\nwant  %q", d.chart.Alt, want)
	}
	if m := d.body.(freedomsByDepartmentMarks); len(m.ds) != 1 || m.ds[0].Requested != 4 {
		t.Errorf("bars %v, want Health's 4 requests as the scale's end", m.ds)
	}
	r, err := describeRefusalReasons(RefusalReasonsInput{Reasons: []Count{{"Timescale", 1, 0.25}, {"Funding", 3, 0.75}}, Refused: 4})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"Funding", "3", "75%"}, {"Timescale", "1", "25%"}}, r.chart.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if _, err := describeRefusalReasons(RefusalReasonsInput{Reasons: []Count{{"Funding", 5, 1}}, Refused: 4}); err == nil {
		t.Error("5 refusals for one reason of 4 in all: no error")
	}
}

func TestDescribeKaplanMeierEndsAtTheLastTime(t *testing.T) {
	t.Parallel()
	half := 20.0
	d, err := describeKaplanMeier(KaplanMeierInput{Negotiations: 3,
		Steps:    []KMStep{{Day: 10, AtRisk: 3, Events: 1, Survival: 2.0 / 3}, {Day: 20, AtRisk: 2, Events: 1, Survival: 1.0 / 3}},
		Censored: []int{35}, Median: &half})
	if err != nil {
		t.Fatal(err)
	}
	m := d.body.(kaplanMeierMarks)
	if m.last != 35 || !m.ok || m.med != 20 {
		t.Errorf("last %d, median %d (%v); want 35 and 20", m.last, m.med, m.ok)
	}
	if want := "Half of the negotiations had been signed by day 20; 2 of 3 were signed in all. 1 withdrawn or still open negotiation is counted as censored."; d.chart.Alt != want {
		t.Errorf("Alt = %q\nwant  %q", d.chart.Alt, want)
	}
	if len(d.key) != 1 {
		t.Errorf("key %v, want the censoring tick", d.key)
	}
}

func TestDescribeNothingToDrawIsAMessage(t *testing.T) {
	t.Parallel()
	d, err := describeTimeline(TimelineInput{})
	if err != nil {
		t.Fatal(err)
	}
	if msg, ok := d.body.(messageMarks); !ok || msg != "No negotiations to show." {
		t.Errorf("body %#v, want the message", d.body)
	}
}

// Labels are cased by letter, not by byte, so accented codes stay valid text.
func TestCaseChangesKeepLettersWhole(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ got, want string }{
		{lowerFirst("Élus locaux"), "élus locaux"},
		{lowerFirst("Élus LGA"), "Élus LGA"},
		{lowerFirst("Timescale"), "timescale"},
		{upperFirstWord("élus locaux"), "Élus locaux"},
		{capitalise("élus locaux"), "Élus locaux"},
	} {
		if tc.got != tc.want {
			t.Errorf("got %q, want %q", tc.got, tc.want)
		}
	}
}

package charts

import (
	"bytes"
	"encoding/xml"
	"errors"
	"html"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// checkSVG fails unless b is one well-formed svg element with a viewBox, pixel
// sizing and a title.
func checkSVG(t *testing.T, b []byte) {
	t.Helper()
	m := regexp.MustCompile(`^<svg width="([0-9]+)" height="`).FindSubmatch(b)
	if m == nil {
		t.Fatalf("SVG starts %q, want <svg width=\"N\" height=...", b[:min(len(b), 60)])
	}
	open := string(b[:bytes.IndexByte(b, '>')])
	for _, want := range []string{`viewBox="0 0 ` + string(m[1]) + ` `, `role="img"`, `style="max-width:100%;height:auto"`} {
		if !strings.Contains(open, want) {
			t.Errorf("svg element %q lacks %s", open, want)
		}
	}
	if bytes.Contains(b, []byte("Liberation Sans;")) || bytes.Contains(b, []byte("@font-face")) {
		t.Errorf("SVG names the measuring font or embeds a font")
	}
	d := xml.NewDecoder(bytes.NewReader(b))
	depth, roots, titles := 0, 0, 0
	for {
		tok, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("SVG is not well-formed XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				roots++
			}
			if depth == 1 && tok.Name.Local == "title" {
				titles++
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	if roots != 1 || titles != 1 {
		t.Errorf("SVG has %d root elements and %d titles, want 1 and 1", roots, titles)
	}
}

func TestTimeToAgreementAltAndRows(t *testing.T) {
	t.Parallel()
	start := date(2000, time.November, 1)
	in := TimeToAgreementInput{Source: sampleSource, Agreements: []Agreement{
		{ID: "a", Label: "Kent", Started: start, Signed: start.AddDate(0, 0, 70)},
		{ID: "b", Label: "Essex", Started: start, Signed: start.AddDate(0, 0, 133)},
		{ID: "c", Label: "Camden", Started: start.AddDate(0, 0, 5), Signed: start.AddDate(0, 0, 15)},
		{ID: "d", Label: "Bristol", Started: start, Signed: start.AddDate(0, 0, 100)},
		{ID: "e", Label: "Salford", Started: start, Signed: start.AddDate(0, 0, 20)},
		{ID: "f", Label: "Norfolk", Started: start},                                     // open: left out
		{ID: "g", Label: "Newham", Started: start, Withdrawn: start.AddDate(0, 0, 300)}, // withdrawn: left out
	}, Median: 70}
	var b bytes.Buffer
	c, err := TimeToAgreement(&b, in)
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	// Days 133, 100, 70, 20, 10: the median of five is the third, 70.
	want := &Chart{
		Title:    "The median agreement took 70 days",
		Subtitle: "Days from start of negotiation to signing, 5 signed agreements, November 2000 to March 2001",
		Source:   sampleSource,
		Alt:      "The median agreement took 70 days; the longest took 133.",
		Header:   []string{"Agreement", "Started", "Signed", "Days to agreement"},
		Rows: [][]string{
			{"Essex", "2000-11-01", "2001-03-14", "133"},
			{"Bristol", "2000-11-01", "2001-02-09", "100"},
			{"Kent", "2000-11-01", "2001-01-10", "70"},
			{"Salford", "2000-11-01", "2000-11-21", "20"},
			{"Camden", "2000-11-06", "2000-11-16", "10"},
		},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("TimeToAgreement chart (-want +got):\n%s", diff)
	}
}

// The median is the metrics' figure: the chart states the one it is given
// and refuses one that no set of its bars could have.
func TestTimeToAgreementStatesTheMedianItIsGiven(t *testing.T) {
	t.Parallel()
	start := date(2001, time.January, 1)
	var as []Agreement
	for i, d := range []int{40, 133, 90, 70} {
		as = append(as, Agreement{ID: string(rune('a' + i)), Started: start, Signed: start.AddDate(0, 0, d)})
	}
	c, err := TimeToAgreement(io.Discard, TimeToAgreementInput{Agreements: as, Median: 80})
	if err != nil {
		t.Fatal(err)
	}
	if want := "The median agreement took 80 days; the longest took 133."; c.Alt != want {
		t.Errorf("Alt = %q, want %q", c.Alt, want)
	}
	for _, med := range []float64{39, 134} {
		if _, err := TimeToAgreement(io.Discard, TimeToAgreementInput{Agreements: as, Median: med}); err == nil {
			t.Errorf("median %v outside the days 40 to 133: no error", med)
		}
	}
}

func TestKaplanMeierByHand(t *testing.T) {
	t.Parallel()
	s := date(2000, time.January, 1)
	// Five negotiations started together: a signed on day 10, b and e on day
	// 20, c withdrawn on day 15, d still open at as-of, day 30.
	// Day 10: 5 at risk, 1 signed: S = 4/5 = 0.8.
	// Day 20: 3 at risk (a signed, c censored), 2 signed: S = 0.8 * 1/3.
	median := 20.0
	in := KaplanMeierInput{Source: sampleSource, AsOf: s.AddDate(0, 0, 30), Negotiations: 5,
		Steps:    []KMStep{{Day: 10, AtRisk: 5, Events: 1, Survival: 0.8}, {Day: 20, AtRisk: 3, Events: 2, Survival: 0.8 / 3}},
		Censored: []int{15, 30},
		Median:   &median,
	}
	var b bytes.Buffer
	c, err := KaplanMeier(&b, in)
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	// Day 10: 5 at risk, 1 signed: S = 4/5 = 0.8.
	// Day 15: 4 at risk, 1 censored: S stays 0.8.
	// Day 20: 3 at risk, 2 signed: S = 0.8 * 1/3 = 0.2667, first at or below 0.5.
	// Day 30: 1 at risk, 1 censored: S stays 0.2667.
	wantRows := [][]string{
		{"10", "5", "1", "0", "80.0%"},
		{"15", "4", "0", "1", "80.0%"},
		{"20", "3", "2", "0", "26.7%"},
		{"30", "1", "0", "1", "26.7%"},
	}
	if diff := cmp.Diff(wantRows, c.Rows); diff != "" {
		t.Errorf("KaplanMeier rows (-want +got):\n%s", diff)
	}
	if want := "Half of negotiations were signed within 20 days"; c.Title != want {
		t.Errorf("Title = %q, want %q", c.Title, want)
	}
	if want := "Half of the negotiations had been signed by day 20; 3 of 5 were signed in all. 2 withdrawn or still open negotiations are counted as censored."; c.Alt != want {
		t.Errorf("Alt = %q, want %q", c.Alt, want)
	}
}

func TestKaplanMeierNeverReachingHalf(t *testing.T) {
	t.Parallel()
	s := date(2000, time.January, 1)
	// Day 10: 3 at risk, 1 signed: S = 2/3, then two censored: never <= 0.5.
	c, err := KaplanMeier(io.Discard, KaplanMeierInput{AsOf: s.AddDate(0, 0, 40), Negotiations: 3,
		Steps:    []KMStep{{Day: 10, AtRisk: 3, Events: 1, Survival: 2.0 / 3}},
		Censored: []int{12, 40},
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Fewer than half of negotiations have been signed"; c.Title != want {
		t.Errorf("Title = %q, want %q", c.Title, want)
	}
}

func TestConcurrencyByHand(t *testing.T) {
	t.Parallel()
	d := func(n int) time.Time { return date(2000, time.January, n) }
	// Counted by hand for three agreements, active when started <= day < end:
	// a from 1 to 4 January (active 1-3), b open from 2 January to as-of 5
	// January (active 2-5), c started and withdrawn on 3 January (never
	// active): 1, 2, 2, 1, 1.
	in := ConcurrencyInput{Source: sampleSource, Capacity: 1, Days: []DayCount{
		{d(1), 1}, {d(2), 2}, {d(3), 2}, {d(4), 1}, {d(5), 1},
	}, Peak: 2, PeakDate: d(2), DaysOverCapacity: 2}
	var b bytes.Buffer
	c, err := Concurrency(&b, in)
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	// Active: 1 Jan 1, 2 Jan 2, 3 Jan 2, 4 Jan 1, 5 Jan 1. Peak 2 first on
	// 2 January; above capacity 1 on 2 days.
	want := &Chart{
		Title:    "Active negotiations exceeded the capacity of 1 on 2 days",
		Subtitle: "Negotiations active on each day, 1 January 2000 to 5 January 2000",
		Source:   sampleSource,
		Alt:      "At most 2 negotiations were active at once, first on 2 January 2000. More than the capacity of 1 were active on 2 days.",
		Header:   []string{"From", "To", "Active negotiations"},
		Rows: [][]string{
			{"2000-01-01", "2000-01-01", "1"},
			{"2000-01-02", "2000-01-03", "2"},
			{"2000-01-04", "2000-01-05", "1"},
		},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("Concurrency chart (-want +got):\n%s", diff)
	}
}

func TestMeetingsByMonth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		months    []MonthCount
		meetings  int
		peak      string
		wantTitle string
		wantRows  [][]string
	}{
		{
			name:     "earliest of tied peaks",
			months:   []MonthCount{{"2001-01", 5}, {"2000-11", 3}, {"2000-12", 5}},
			meetings: 13, peak: "2000-12",
			wantTitle: "Meetings peaked in December 2000",
			wantRows:  [][]string{{"November 2000", "3"}, {"December 2000", "5"}, {"January 2001", "5"}},
		},
		{
			name:     "gaps filled with zero",
			months:   []MonthCount{{"2000-11", 1}, {"2001-02", 2}},
			meetings: 3, peak: "2001-02",
			wantTitle: "Meetings peaked in February 2001",
			wantRows:  [][]string{{"November 2000", "1"}, {"December 2000", "0"}, {"January 2001", "0"}, {"February 2001", "2"}},
		},
		{
			name:     "one month",
			months:   []MonthCount{{"2000-12", 4}},
			meetings: 4, peak: "2000-12",
			wantTitle: "All 4 meetings were in December 2000",
			wantRows:  [][]string{{"December 2000", "4"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			c, err := MeetingsByMonth(&b, MeetingsByMonthInput{Months: tt.months, Meetings: tt.meetings, Peak: tt.peak})
			if err != nil {
				t.Fatal(err)
			}
			checkSVG(t, b.Bytes())
			if c.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", c.Title, tt.wantTitle)
			}
			if diff := cmp.Diff(tt.wantRows, c.Rows); diff != "" {
				t.Errorf("rows (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFreedomsByDepartment(t *testing.T) {
	t.Parallel()
	c, err := FreedomsByDepartment(io.Discard, FreedomsByDepartmentInput{Departments: []DepartmentFreedoms{
		{Department: "Health", Requested: 5, Granted: 0, PartlyGranted: 1},
		{Department: "Education", Requested: 10, Granted: 3, PartlyGranted: 2},
	}, All: DepartmentFreedoms{Requested: 15, Granted: 3, PartlyGranted: 3}, GrantedRate: 0.4})
	if err != nil {
		t.Fatal(err)
	}
	// (3 + 0 + 2 + 1) / 15 = 6 / 15 = 40%.
	if want := "Departments granted 40% of requested freedoms, fully or in part"; c.Title != want {
		t.Errorf("Title = %q, want %q", c.Title, want)
	}
	if want := "Of 15 freedoms requested, 3 were granted in full and 3 in part (40%). Education received the most requests (10)."; c.Alt != want {
		t.Errorf("Alt = %q, want %q", c.Alt, want)
	}
	wantRows := [][]string{{"Education", "10", "3", "2", "5"}, {"Health", "5", "0", "1", "4"}}
	if diff := cmp.Diff(wantRows, c.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestRefusalReasons(t *testing.T) {
	t.Parallel()
	c, err := RefusalReasons(io.Discard, RefusalReasonsInput{Reasons: []Count{
		{"Timescale", 1, 0.1}, {"Would set a precedent", 6, 0.6}, {"Funding implications", 0, 0}, {"Needs primary legislation", 3, 0.3},
	}, Refused: 10})
	if err != nil {
		t.Fatal(err)
	}
	// 10 refusals: 6 = 60%, 3 = 30%, 1 = 10% (the shares the metrics give);
	// the zero count is left out.
	wantRows := [][]string{{"Would set a precedent", "6", "60%"}, {"Needs primary legislation", "3", "30%"}, {"Timescale", "1", "10%"}}
	if diff := cmp.Diff(wantRows, c.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if want := "Of 10 requests not granted, the most common reason was would set a precedent (6, 60%)."; c.Alt != want {
		t.Errorf("Alt = %q, want %q", c.Alt, want)
	}
}

func TestCodesByGroupNeverShowsSuppressedValues(t *testing.T) {
	t.Parallel()
	in := CodesByGroupInput{
		Codes:  []string{"Targets", "Freedoms"},
		Groups: []string{"Local authority", "Department"},
		Cells: [][]Cell{
			{{Value: 0.5, Text: "50%"}, {Value: 0.95, Text: "95%", Suppressed: true}},
			{{Value: 0.25, Text: "25%"}, {Value: 0.6, Text: "60%"}},
		},
	}
	var b bytes.Buffer
	c, err := CodesByGroup(&b, in)
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	// The suppressed 95% is neither the highest share nor a shade in the SVG.
	if want := "Freedoms stood out among department interviews"; c.Title != want {
		t.Errorf("Title = %q, want %q", c.Title, want)
	}
	hidden := colorHex(shade(0.95))
	if bytes.Contains(b.Bytes(), []byte(hidden)) {
		t.Errorf("SVG contains the suppressed cell's shade %s", hidden)
	}
	if bytes.Contains(b.Bytes(), []byte("95%")) {
		t.Errorf("SVG contains the suppressed cell's text 95%%")
	}
	wantRows := [][]string{{"Targets", "50%", "[c]"}, {"Freedoms", "25%", "60%"}}
	if diff := cmp.Diff(wantRows, c.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if !strings.Contains(c.Alt, "1 cell is suppressed") {
		t.Errorf("Alt = %q, want it to say a cell is suppressed", c.Alt)
	}
}

func colorHex(c interface{ RGBA() (r, g, b, a uint32) }) string {
	r, g, b, _ := c.RGBA()
	const hex = "0123456789ABCDEF"
	out := []byte{'#'}
	for _, v := range []uint32{r >> 8, g >> 8, b >> 8} {
		out = append(out, hex[v>>4], hex[v&15])
	}
	return string(out)
}

func TestCodesByWave(t *testing.T) {
	t.Parallel()
	c, err := CodesByWave(io.Discard, CodesByWaveInput{Codes: []WaveShares{
		{Code: "Targets", Wave1: Cell{Value: 0.40}, Wave2: Cell{Value: 0.45}},
		{Code: "Informal contact", Wave1: Cell{Value: 0.20}, Wave2: Cell{Value: 0.55}},
		{Code: "Capacity", Wave1: Cell{Suppressed: true}, Wave2: Cell{Value: 0.10}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	// Changes: +5 and +35 points; the suppressed wave 1 gives no change.
	wantRows := [][]string{
		{"Targets", "40%", "45%", "+5"},
		{"Informal contact", "20%", "55%", "+35"},
		{"Capacity", "[c]", "10%", "[c]"},
	}
	if diff := cmp.Diff(wantRows, c.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if want := "Informal contact rose most between the waves"; c.Title != want {
		t.Errorf("Title = %q, want %q", c.Title, want)
	}
}

func TestAgreementTimelineCountsEventsByType(t *testing.T) {
	t.Parallel()
	s := date(2000, time.November, 13)
	a := Agreement{ID: "kent", Label: "Kent", Started: s, Signed: s.AddDate(0, 0, 70)}
	evs := []Event{
		{AgreementID: "kent", Date: s.AddDate(0, 0, 70), Type: "signing"},
		{AgreementID: "kent", Date: s.AddDate(0, 0, 3), Type: "meeting"},
		{AgreementID: "other", Date: s.AddDate(0, 0, 4), Type: "meeting"},
		{AgreementID: "kent", Date: s.AddDate(0, 0, 20), Type: "meeting"},
		{AgreementID: "kent", Date: s.AddDate(0, 0, 10), Type: "correspondence"},
		{Date: s.AddDate(0, 0, 30), Type: "workshop"},
	}
	var b bytes.Buffer
	c, err := AgreementTimeline(&b, AgreementTimelineInput{Source: sampleSource, Agreement: a, Events: evs})
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	want := &Chart{
		Title:    "Kent signed after 70 days",
		Subtitle: "Recorded events by type, 13 November 2000 to 22 January 2001",
		Source:   sampleSource,
		Alt:      "Kent's agreement was signed on 22 January 2001, 70 days after negotiation started on 13 November 2000, with 4 events recorded: 2 meetings, 1 correspondence and 1 signing.",
		Header:   []string{"Date", "Event"},
		Rows: [][]string{
			{"2000-11-16", "Meeting"},
			{"2000-11-23", "Correspondence"},
			{"2000-12-03", "Meeting"},
			{"2001-01-22", "Signing"},
		},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("AgreementTimeline chart (-want +got):\n%s", diff)
	}
}

func TestTimelineThinsManyRows(t *testing.T) {
	t.Parallel()
	s := newSample(1000, 7)
	var b bytes.Buffer
	c, err := Timeline(&b, s.timeline())
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	if len(c.Rows) != 1000 {
		t.Errorf("Timeline has %d table rows, want one per agreement, 1000", len(c.Rows))
	}
	if !strings.Contains(c.Subtitle, "events are not shown") {
		t.Errorf("Subtitle = %q, want it to say events are not shown", c.Subtitle)
	}
	// One path per status, not one element per agreement.
	if n := bytes.Count(b.Bytes(), []byte("<path")); n > 40 {
		t.Errorf("Timeline of 1000 agreements has %d paths, want at most 40", n)
	}
	if b.Len() > 60_000 {
		t.Errorf("Timeline of 1000 agreements is %d bytes, want at most 60,000", b.Len())
	}
}

func TestDegenerateInputsGiveAMessage(t *testing.T) {
	t.Parallel()
	s := date(2001, time.January, 1)
	equal := []Agreement{
		{ID: "a", Started: s, Signed: s.AddDate(0, 0, 30)},
		{ID: "b", Started: s, Signed: s.AddDate(0, 0, 30)},
	}
	one := []Agreement{{ID: "a", Label: "Kent", Started: s, Signed: s.AddDate(0, 0, 30)}}
	open := []Agreement{{ID: "a", Started: s}}
	sameDay := []Agreement{{ID: "a", Started: s, Signed: s}}
	zero, thirty := 0.0, 30.0
	tests := []struct {
		name      string
		render    func(io.Writer) (*Chart, error)
		wantTitle string
	}{
		{"time to agreement, none", func(w io.Writer) (*Chart, error) {
			return TimeToAgreement(w, TimeToAgreementInput{})
		}, "No agreement has been signed yet"},
		{"time to agreement, open only", func(w io.Writer) (*Chart, error) {
			return TimeToAgreement(w, TimeToAgreementInput{Agreements: open})
		}, "No agreement has been signed yet"},
		{"time to agreement, one", func(w io.Writer) (*Chart, error) {
			return TimeToAgreement(w, TimeToAgreementInput{Agreements: one, Median: 30})
		}, "The only signed agreement took 30 days"},
		{"time to agreement, equal", func(w io.Writer) (*Chart, error) {
			return TimeToAgreement(w, TimeToAgreementInput{Agreements: equal, Median: 30})
		}, "Every agreement took 30 days to sign"},
		{"time to agreement, same day", func(w io.Writer) (*Chart, error) {
			return TimeToAgreement(w, TimeToAgreementInput{Agreements: sameDay})
		}, "The only signed agreement took 0 days"},
		{"kaplan-meier, none", func(w io.Writer) (*Chart, error) {
			return KaplanMeier(w, KaplanMeierInput{})
		}, "There are no negotiations to show"},
		{"kaplan-meier, one", func(w io.Writer) (*Chart, error) {
			return KaplanMeier(w, KaplanMeierInput{Negotiations: 1, Steps: []KMStep{{30, 1, 1, 0}}, Median: &thirty})
		}, "Half of negotiations were signed within 30 days"},
		{"kaplan-meier, open only", func(w io.Writer) (*Chart, error) {
			return KaplanMeier(w, KaplanMeierInput{Negotiations: 1, Censored: []int{9}, AsOf: s.AddDate(0, 0, 9)})
		}, "No negotiation has reached agreement yet"},
		{"kaplan-meier, same day", func(w io.Writer) (*Chart, error) {
			return KaplanMeier(w, KaplanMeierInput{Negotiations: 1, Steps: []KMStep{{0, 1, 1, 0}}, Median: &zero})
		}, "Half of negotiations were signed within 0 days"},
		{"timeline, none", func(w io.Writer) (*Chart, error) {
			return Timeline(w, TimelineInput{})
		}, "There are no negotiations to show"},
		{"timeline, one", func(w io.Writer) (*Chart, error) {
			return Timeline(w, TimelineInput{Agreements: one, Signed: 1})
		}, "The only negotiation has been signed"},
		{"timeline, same day", func(w io.Writer) (*Chart, error) {
			return Timeline(w, TimelineInput{Agreements: sameDay, Signed: 1})
		}, "The only negotiation has been signed"},
		{"concurrency, none", func(w io.Writer) (*Chart, error) {
			return Concurrency(w, ConcurrencyInput{Capacity: 6})
		}, "There are no negotiations to show"},
		{"concurrency, one day", func(w io.Writer) (*Chart, error) {
			return Concurrency(w, ConcurrencyInput{Days: []DayCount{{s, 1}}, Capacity: 6, Peak: 1, PeakDate: s})
		}, "Active negotiations stayed within the capacity of 6"},
		{"concurrency, never active", func(w io.Writer) (*Chart, error) {
			return Concurrency(w, ConcurrencyInput{Days: []DayCount{{s, 0}}, Capacity: 6})
		}, "Active negotiations stayed within the capacity of 6"},
		{"meetings, none", func(w io.Writer) (*Chart, error) {
			return MeetingsByMonth(w, MeetingsByMonthInput{})
		}, "No meetings were recorded"},
		{"meetings, all zero", func(w io.Writer) (*Chart, error) {
			return MeetingsByMonth(w, MeetingsByMonthInput{Months: []MonthCount{{"2001-01", 0}}})
		}, "No meetings were recorded"},
		{"freedoms, none", func(w io.Writer) (*Chart, error) {
			return FreedomsByDepartment(w, FreedomsByDepartmentInput{})
		}, "No freedoms were requested"},
		{"refusals, none", func(w io.Writer) (*Chart, error) {
			return RefusalReasons(w, RefusalReasonsInput{Reasons: []Count{{"Timescale", 0, 0}}})
		}, "No request was refused"},
		{"refusals, tied", func(w io.Writer) (*Chart, error) {
			return RefusalReasons(w, RefusalReasonsInput{Reasons: []Count{{"Timescale", 2, 0.5}, {"Funding", 2, 0.5}}, Refused: 4})
		}, "2 reasons were equally the most common"},
		{"codes by group, none", func(w io.Writer) (*Chart, error) {
			return CodesByGroup(w, CodesByGroupInput{})
		}, "No coded interviews to show"},
		{"codes by group, all suppressed", func(w io.Writer) (*Chart, error) {
			return CodesByGroup(w, CodesByGroupInput{Codes: []string{"a"}, Groups: []string{"LGA"}, Cells: [][]Cell{{{Suppressed: true}}}})
		}, "No coded interviews to show"},
		{"codes by wave, none", func(w io.Writer) (*Chart, error) {
			return CodesByWave(w, CodesByWaveInput{})
		}, "No coded interviews to show"},
		{"codes by wave, equal", func(w io.Writer) (*Chart, error) {
			return CodesByWave(w, CodesByWaveInput{Codes: []WaveShares{{Code: "a", Wave1: Cell{Value: 0.3}, Wave2: Cell{Value: 0.3}}}})
		}, "Codes were as common in wave 2 as in wave 1"},
		{"agreement timeline, no events", func(w io.Writer) (*Chart, error) {
			return AgreementTimeline(w, AgreementTimelineInput{Agreement: one[0]})
		}, "Kent signed after 30 days"},
		{"agreement timeline, same day", func(w io.Writer) (*Chart, error) {
			return AgreementTimeline(w, AgreementTimelineInput{Agreement: sameDay[0], Events: []Event{{AgreementID: "a", Date: s, Type: "signing"}}})
		}, "a signed after 0 days"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			c, err := tt.render(&b)
			if err != nil {
				t.Fatalf("render: %v", err)
			}
			checkSVG(t, b.Bytes())
			if c.Title != tt.wantTitle {
				t.Errorf("Title = %q, want %q", c.Title, tt.wantTitle)
			}
			if c.Alt == "" {
				t.Errorf("Alt is empty")
			}
		})
	}
}

func TestInvalidInputIsAnError(t *testing.T) {
	t.Parallel()
	s := date(2001, time.January, 10)
	tests := []struct {
		name   string
		render func(io.Writer) (*Chart, error)
	}{
		{"signed before started", func(w io.Writer) (*Chart, error) {
			return TimeToAgreement(w, TimeToAgreementInput{Agreements: []Agreement{{ID: "a", Started: s, Signed: s.AddDate(0, 0, -1)}}})
		}},
		{"signed and withdrawn", func(w io.Writer) (*Chart, error) {
			return Timeline(w, TimelineInput{Agreements: []Agreement{{ID: "a", Started: s, Signed: s, Withdrawn: s}}})
		}},
		{"at risk disagrees", func(w io.Writer) (*Chart, error) {
			return KaplanMeier(w, KaplanMeierInput{Negotiations: 2, Steps: []KMStep{{10, 1, 1, 0.5}}, Censored: []int{20}})
		}},
		{"negotiations miscounted", func(w io.Writer) (*Chart, error) {
			return KaplanMeier(w, KaplanMeierInput{Negotiations: 3, Steps: []KMStep{{10, 3, 1, 2.0 / 3}}})
		}},
		{"days not consecutive", func(w io.Writer) (*Chart, error) {
			return Concurrency(w, ConcurrencyInput{Days: []DayCount{{s, 1}, {s.AddDate(0, 0, 2), 1}}})
		}},
		{"negative active", func(w io.Writer) (*Chart, error) {
			return Concurrency(w, ConcurrencyInput{Days: []DayCount{{s, -1}}})
		}},
		{"bad month", func(w io.Writer) (*Chart, error) {
			return MeetingsByMonth(w, MeetingsByMonthInput{Months: []MonthCount{{"2000-13", 1}}, Meetings: 1, Peak: "2000-13"})
		}},
		{"negative meetings", func(w io.Writer) (*Chart, error) {
			return MeetingsByMonth(w, MeetingsByMonthInput{Months: []MonthCount{{"2000-12", -1}}, Meetings: 1, Peak: "2000-12"})
		}},
		{"granted more than requested", func(w io.Writer) (*Chart, error) {
			return FreedomsByDepartment(w, FreedomsByDepartmentInput{Departments: []DepartmentFreedoms{{Department: "Health", Requested: 2, Granted: 2, PartlyGranted: 1}}})
		}},
		{"negative reason", func(w io.Writer) (*Chart, error) {
			return RefusalReasons(w, RefusalReasonsInput{Reasons: []Count{{"Timescale", -1, 0}}})
		}},
		{"ragged cells", func(w io.Writer) (*Chart, error) {
			return CodesByGroup(w, CodesByGroupInput{Codes: []string{"a"}, Groups: []string{"x", "y"}, Cells: [][]Cell{{{Value: 0.5}}}})
		}},
		{"share above one", func(w io.Writer) (*Chart, error) {
			return CodesByWave(w, CodesByWaveInput{Codes: []WaveShares{{Code: "a", Wave1: Cell{Value: 1.5}}}})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			var b bytes.Buffer
			c, err := tt.render(&b)
			if err == nil {
				t.Fatalf("render = %+v, nil; want an error", c)
			}
			if b.Len() != 0 {
				t.Errorf("render wrote %d bytes before failing, want none", b.Len())
			}
		})
	}
}

func TestSpreadsheetTextIsEscaped(t *testing.T) {
	t.Parallel()
	s := date(2001, time.January, 1)
	label := `<script>alert("x")</script> & Co`
	var b bytes.Buffer
	c, err := AgreementTimeline(&b, AgreementTimelineInput{
		Source:    `<b>Data</b>`,
		Agreement: Agreement{ID: "a", Label: label, Started: s, Signed: s.AddDate(0, 0, 9)},
		Events:    []Event{{AgreementID: "a", Date: s.AddDate(0, 0, 2), Type: "<meeting>"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	for _, raw := range []string{"<script", "<b>", "<meeting>"} {
		if bytes.Contains(b.Bytes(), []byte(raw)) {
			t.Errorf("SVG contains unescaped %q", raw)
		}
	}
	if !strings.HasPrefix(c.Title, label) {
		t.Errorf("Title = %q, want the label kept as text (escaping is the page's job)", c.Title)
	}
}

func TestRenderingIsByteIdentical(t *testing.T) {
	t.Parallel()
	for _, n := range []int{20, 1000} {
		s1, s2 := newSample(n, 3), newSample(n, 3)
		for _, cf := range chartSet() {
			var a, b bytes.Buffer
			if _, err := cf.render(&a, s1); err != nil {
				t.Fatal(err)
			}
			if _, err := cf.render(&b, s2); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(a.Bytes(), b.Bytes()) {
				t.Errorf("%s(%d): two renderings differ", cf.name, n)
			}
			checkSVG(t, a.Bytes())
		}
	}
}

func TestGoldenSVG(t *testing.T) {
	t.Parallel()
	s := newSample(20, 1)
	for _, cf := range chartSet() {
		switch cf.name {
		case "time-to-agreement", "timeline", "codes-by-group":
		default:
			continue
		}
		var b bytes.Buffer
		if _, err := cf.render(&b, s); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", cf.name+".golden.svg")
		if *update {
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to create it)", err)
		}
		if diff := cmp.Diff(string(want), b.String()); diff != "" {
			t.Errorf("%s differs from %s (-want +got):\n%s", cf.name, path, diff)
		}
	}
}

// TestHeatMapHeadersKeepWordsWhole draws the heat map at a phone's width,
// where "Government Office" is wider than a column: no header may be broken
// inside a word, and each is drawn whole, turned upwards.
func TestHeatMapHeadersKeepWordsWhole(t *testing.T) {
	t.Parallel()
	s := newSample(20, 1)
	for _, width := range []int{DefaultWidth, 300} {
		var b bytes.Buffer
		_, err := CodesByGroup(&b, CodesByGroupInput{Source: sampleSource, Codes: s.codes, Groups: s.groups, Cells: s.cells}, Width(width))
		if err != nil {
			t.Fatal(err)
		}
		checkSVG(t, b.Bytes())
		texts := svgTexts(b.String())
		for _, tx := range texts {
			if strings.HasSuffix(tx, "-") {
				t.Errorf("width %d: text %q is a word broken with a hyphen", width, tx)
			}
		}
		for _, g := range s.groups {
			if !slices.Contains(texts, g) && !containsWords(texts, g) {
				t.Errorf("width %d: header %q is not drawn whole (texts: %q)", width, g, texts)
			}
		}
	}
}

// svgTexts lists the contents of the text elements of an SVG.
func svgTexts(svg string) []string {
	var out []string
	for _, m := range regexp.MustCompile(`<text[^>]*>([^<]*)</text>`).FindAllStringSubmatch(svg, -1) {
		out = append(out, html.UnescapeString(m[1]))
	}
	return out
}

// containsWords reports whether every word of s is a whole text of texts or a
// whole word of one.
func containsWords(texts []string, s string) bool {
	for _, w := range strings.Fields(s) {
		found := false
		for _, tx := range texts {
			if slices.Contains(strings.Fields(tx), w) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func TestWriteCSV(t *testing.T) {
	t.Parallel()
	c := &Chart{
		Header: []string{"Agreement", "Days"},
		Rows: [][]string{
			{"Kent, County", "70"},
			{"=HYPERLINK(\"x\")", "-3"},
			{"-Minus", "-2.5%"},
			{"@home", "+5"},
		},
	}
	var b bytes.Buffer
	if err := c.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	want := "Agreement,Days\r\n" +
		"\"Kent, County\",70\r\n" +
		"\"'=HYPERLINK(\"\"x\"\")\",-3\r\n" +
		"'-Minus,-2.5%\r\n" +
		"'@home,+5\r\n"
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("WriteCSV (-want +got):\n%s", diff)
	}
}

func TestPaletteContrast(t *testing.T) {
	t.Parallel()
	for _, c := range palette() {
		if r := contrast(c, white); r < 3 {
			t.Errorf("colour %s has contrast %.2f:1 against white, want at least 3:1", colorHex(c), r)
		}
	}
	// Heat map cells: the text colour on every shade reaches WCAG's 4.5:1.
	for i := 0; i <= 1000; i++ {
		fill := shade(float64(i) / 1000)
		if r := contrast(cellText(fill), fill); r < 4.5 {
			t.Errorf("cell text on shade(%.3f) %s has contrast %.2f:1, want at least 4.5:1", float64(i)/1000, colorHex(fill), r)
		}
	}
}

func TestLowerFirst(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Local authority":   "local authority",
		"Government Office": "Government Office",
		"LGA":               "LGA",
		"":                  "",
	} {
		if got := lowerFirst(in); got != want {
			t.Errorf("lowerFirst(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWrapKeepsDatesWhole(t *testing.T) {
	t.Parallel()
	sty := textStyle(labelSize, false, black, 0)
	got := wrap(sty, "Negotiations active on each day, 8 November 2000 to 31 May 2001", 250)
	for _, l := range got {
		if strings.HasSuffix(l, " 31") || strings.HasSuffix(l, " May") || strings.HasPrefix(l, "2001") {
			t.Errorf("wrap broke a date: %q", got)
		}
	}
}

func BenchmarkChartSet(b *testing.B) {
	for _, n := range []int{20, 1000} {
		s := newSample(n, 1)
		b.Run(itoa(n), func(b *testing.B) {
			var buf bytes.Buffer
			for b.Loop() {
				for _, cf := range chartSet() {
					buf.Reset()
					if _, err := cf.render(&buf, s); err != nil {
						b.Fatal(err)
					}
				}
			}
		})
	}
}

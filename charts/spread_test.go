package charts

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// byTypeGroups are three types of authority worked by hand: county 70, 10,
// 30 (sorted 10, 30, 70: type 7 median h=1 -> 30, p25 h=0.5 -> 20, p75
// h=1.5 -> 50), unitary 20 alone, and district with none signed.
func byTypeGroups() []Group {
	return []Group{
		{Label: "District"},
		{Label: "Unitary", Values: []float64{20}, P25: 20, Median: 20, P75: 20},
		{Label: "County", Values: []float64{70, 10, 30}, P25: 20, Median: 30, P75: 50},
	}
}

func TestTimeToAgreementByTypeByHand(t *testing.T) {
	t.Parallel()
	var b bytes.Buffer
	c, err := TimeToAgreementByType(&b, TimeToAgreementByTypeInput{Source: sampleSource, Period: "November 2000 to May 2001", Groups: byTypeGroups()})
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	want := &Chart{
		// County's median 30 is the longest, unitary's 20 the shortest.
		Title:    "Longest median time to agreement: County, 30 days",
		Subtitle: "Days from start of negotiation to signing, by type of authority, November 2000 to May 2001",
		Source:   sampleSource,
		Alt:      "Across 2 types of authority with a signed agreement, the median days to agreement ranged from 20 (Unitary) to 30 (County); each dot is one of the 4 signed agreements. 1 with none signed: District.",
		Header:   []string{"Type of authority", "Signed agreements", "Median days", "Lower quartile", "Upper quartile", "Fewest days", "Most days"},
		Rows: [][]string{
			{"County", "3", "30", "20", "50", "10", "70"},
			{"Unitary", "1", "20", "20", "20", "20", "20"},
			{"District", "0", "", "", "", "", ""},
		},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("TimeToAgreementByType (-want +got):\n%s", diff)
	}
	// One dot per agreement: the four signed, each an eight-point polygon
	// in the one path of dots.
	if got := strings.Count(b.String(), "M"); got < 4 {
		t.Errorf("SVG has %d path moves, want at least the 4 dots", got)
	}
}

func TestTimeToAgreementByTypeOneType(t *testing.T) {
	t.Parallel()
	c, err := TimeToAgreementByType(io.Discard, TimeToAgreementByTypeInput{Groups: byTypeGroups()[2:]})
	if err != nil {
		t.Fatal(err)
	}
	if want := "County authorities took a median of 30 days to sign"; c.Title != want {
		t.Errorf("Title = %q, want %q", c.Title, want)
	}
	if want := "3 signed agreements were with one type of authority, County; the median took 30 days, from 10 to 70."; c.Alt != want {
		t.Errorf("Alt = %q, want %q", c.Alt, want)
	}
}

func TestSpreadNeverNamesTheUnrecordedGroup(t *testing.T) {
	t.Parallel()
	// The blank type has the longest median (100) but is drawn last and
	// not named in the title; with it alone, the title says so.
	unrecorded := Group{Label: "Type not recorded", Values: []float64{100}, P25: 100, Median: 100, P75: 100, Unrecorded: true}
	c, err := TimeToAgreementByType(io.Discard, TimeToAgreementByTypeInput{Groups: append(byTypeGroups()[1:], unrecorded)})
	if err != nil {
		t.Fatal(err)
	}
	if want := "Longest median time to agreement: County, 30 days"; c.Title != want {
		t.Errorf("Title = %q, want %q", c.Title, want)
	}
	if want := "Across 2 types of authority with a signed agreement, the median days to agreement ranged from 20 (Unitary) to 30 (County); each dot is one of the 4 signed agreements. The type of authority is not recorded for 1 signed agreement (median 100 days)."; c.Alt != want {
		t.Errorf("Alt = %q, want %q", c.Alt, want)
	}
	if got := c.Rows[len(c.Rows)-1][0]; got != "Type not recorded" {
		t.Errorf("last row %q, want the unrecorded group", got)
	}
	c, err = TimeToAgreementByType(io.Discard, TimeToAgreementByTypeInput{Groups: []Group{unrecorded}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "No signed agreement records its type of authority"; c.Title != want {
		t.Errorf("Title = %q, want %q", c.Title, want)
	}
}

func TestDecisionTimesByHand(t *testing.T) {
	t.Parallel()
	// Home Office 2, 5, 30: median 5, p25 h=0.5 -> 3.5, p75 h=1.5 -> 17.5.
	// DfEE 10 alone.
	c, err := DecisionTimes(io.Discard, DecisionTimesInput{Groups: []Group{
		{Label: "DfEE", Values: []float64{10}, P25: 10, Median: 10, P75: 10},
		{Label: "Home Office", Values: []float64{30, 2, 5}, P25: 3.5, Median: 5, P75: 17.5},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if want := "DfEE took longest to decide: a median of 10 days"; c.Title != want {
		t.Errorf("Title = %q, want %q", c.Title, want)
	}
	if want := "Across 2 departments, the median days from the start of negotiation to a decision on a freedom ranged from 5 (Home Office) to 10 (DfEE); each dot is one of the 4 dated decisions."; c.Alt != want {
		t.Errorf("Alt = %q, want %q", c.Alt, want)
	}
	wantRows := [][]string{{"DfEE", "1", "10", "10", "10", "10", "10"}, {"Home Office", "3", "5", "3.5", "17.5", "2", "30"}}
	if diff := cmp.Diff(wantRows, c.Rows); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

func TestHoursOfContactByHand(t *testing.T) {
	t.Parallel()
	// 16.75 hours split two ways. By department: blank 11.5, Home Office 5,
	// DfEE 0.25 (5 / 16.75 = 29.9% -> 30%; 11.5 / 16.75 = 68.7% -> 69%;
	// 0.25 / 16.75 = 1.5% -> 1%). By type: workshop 6 (35.8% -> 36%),
	// meeting 5, draft 4 (23.9% -> 24%), bilateral 1.5 (9.0%), correspondence
	// 0.25; signing 0 is left out.
	var b bytes.Buffer
	c, err := HoursOfContact(&b, HoursOfContactInput{
		Source: sampleSource,
		ByDepartment: []Hours{{Label: "Home Office", Hours: 5, Share: 5 / 16.75}, {Label: "DfEE", Hours: 0.25, Share: 0.25 / 16.75},
			{Label: "No department recorded", Hours: 11.5, Unrecorded: true, Share: 11.5 / 16.75}},
		ByType: []Hours{{Label: "Meeting", Hours: 5, Share: 5 / 16.75}, {Label: "Bilateral", Hours: 1.5, Share: 1.5 / 16.75}, {Label: "Draft", Hours: 4, Share: 4 / 16.75},
			{Label: "Workshop", Hours: 6, Share: 6 / 16.75}, {Label: "Correspondence", Hours: 0.25, Share: 0.25 / 16.75}, {Label: "Signing", Hours: 0}},
		Total: 16.75,
	})
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	want := &Chart{
		Title:    "The type of contact with the most hours: workshop (6 of 16.8)",
		Subtitle: "Hours of contact recorded, by department and by type of contact",
		Source:   sampleSource,
		// The blank department has the most hours but is not named.
		Alt:    "Of 16.8 hours of contact recorded, 6 (36%) were of type workshop. The department with the most hours was Home Office: 5 (30%).",
		Header: []string{"Split by", "Department or type", "Hours", "Share of hours"},
		Rows: [][]string{
			{"Department", "No department recorded", "11.5", "69%"},
			{"Department", "Home Office", "5", "30%"},
			{"Department", "DfEE", "0.3", "1%"},
			{"Type of contact", "Workshop", "6", "36%"},
			{"Type of contact", "Meeting", "5", "30%"},
			{"Type of contact", "Draft", "4", "24%"},
			{"Type of contact", "Bilateral", "1.5", "9%"},
			{"Type of contact", "Correspondence", "0.3", "1%"},
		},
	}
	if diff := cmp.Diff(want, c); diff != "" {
		t.Errorf("HoursOfContact (-want +got):\n%s", diff)
	}
}

func TestProcessChartsDegenerateAndInvalid(t *testing.T) {
	t.Parallel()
	empty := []struct {
		name      string
		render    func(io.Writer) (*Chart, error)
		wantTitle string
	}{
		{"by type, nothing signed", func(w io.Writer) (*Chart, error) {
			return TimeToAgreementByType(w, TimeToAgreementByTypeInput{Groups: []Group{{Label: "County"}}})
		}, "No agreement has been signed yet"},
		{"by type, no groups", func(w io.Writer) (*Chart, error) {
			return TimeToAgreementByType(w, TimeToAgreementByTypeInput{})
		}, "No agreement has been signed yet"},
		{"decisions, none dated", func(w io.Writer) (*Chart, error) {
			return DecisionTimes(w, DecisionTimesInput{})
		}, "No decision on a freedom is dated"},
		{"hours, none", func(w io.Writer) (*Chart, error) {
			return HoursOfContact(w, HoursOfContactInput{ByType: []Hours{{Label: "Meeting"}}})
		}, "No hours of contact were recorded"},
	}
	for _, tt := range empty {
		var b bytes.Buffer
		c, err := tt.render(&b)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		checkSVG(t, b.Bytes())
		if c.Title != tt.wantTitle {
			t.Errorf("%s: Title = %q, want %q", tt.name, c.Title, tt.wantTitle)
		}
	}
	invalid := map[string]func(io.Writer) (*Chart, error){
		"median outside the values": func(w io.Writer) (*Chart, error) {
			return DecisionTimes(w, DecisionTimesInput{Groups: []Group{{Label: "DfEE", Values: []float64{1, 2}, P25: 1, Median: 3, P75: 2}}})
		},
		"negative days": func(w io.Writer) (*Chart, error) {
			return TimeToAgreementByType(w, TimeToAgreementByTypeInput{Groups: []Group{{Label: "County", Values: []float64{-1}, P25: -1, Median: -1, P75: -1}}})
		},
		"panels that disagree": func(w io.Writer) (*Chart, error) {
			return HoursOfContact(w, HoursOfContactInput{ByDepartment: []Hours{{Label: "DfEE", Hours: 2}}, ByType: []Hours{{Label: "Meeting", Hours: 3}}, Total: 2})
		},
		"negative hours": func(w io.Writer) (*Chart, error) {
			return HoursOfContact(w, HoursOfContactInput{ByDepartment: []Hours{{Label: "DfEE", Hours: -2}}, ByType: []Hours{{Label: "Meeting", Hours: -2}}})
		},
	}
	for name, render := range invalid {
		var b bytes.Buffer
		if _, err := render(&b); err == nil {
			t.Errorf("%s: no error", name)
		} else if b.Len() > 0 {
			t.Errorf("%s: wrote %d bytes with an error", name, b.Len())
		}
	}
}

func TestSpreadThinsLargeRows(t *testing.T) {
	t.Parallel()
	// 10,000 decisions on 200 distinct days: one tick per day, not a dot
	// per decision, so the SVG stays small.
	var vs []float64
	for i := range 10000 {
		vs = append(vs, float64(i%200))
	}
	var b bytes.Buffer
	c, err := DecisionTimes(&b, DecisionTimesInput{Groups: []Group{groupOf("DfEE", vs), groupOf("DoH", []float64{5, 6})}})
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, b.Bytes())
	if b.Len() > 40_000 {
		t.Errorf("SVG of 10,000 decisions is %d bytes, want under 40,000", b.Len())
	}
	if !strings.HasSuffix(c.Subtitle, "; a tick marks each day with dated decisions where a row has more than 60") {
		t.Errorf("Subtitle = %q, want the note on ticks", c.Subtitle)
	}
	if got := c.Rows[0][1]; got != "10,000" && got != "10000" {
		t.Errorf("row %v, want the 10,000 decisions counted", c.Rows[0])
	}
}

func TestProcessChartsAreByteIdentical(t *testing.T) {
	t.Parallel()
	render := func() []byte {
		var b bytes.Buffer
		for _, g := range [][]Group{byTypeGroups(), byTypeGroups()[1:]} {
			if _, err := TimeToAgreementByType(&b, TimeToAgreementByTypeInput{Groups: g}); err != nil {
				t.Fatal(err)
			}
		}
		return b.Bytes()
	}
	if !bytes.Equal(render(), render()) {
		t.Errorf("two renderings of the same input differ")
	}
}

// TestWriteProcessCharts writes the process charts to -write DIR, to be
// converted to PNG and looked at; without the flag it is skipped.
func TestWriteProcessCharts(t *testing.T) {
	if *writeDir == "" {
		t.Skip("no -write folder")
	}
	var many []Group
	for i, label := range []string{"County", "Unitary", "Metropolitan", "London borough", "District", "Not recorded"} {
		var vs []float64
		for k := range 3 + 2*i {
			vs = append(vs, float64(20+(k*37+i*11)%150))
		}
		vs = append(vs, vs[0], vs[0])
		many = append(many, groupOf(label, vs))
	}
	write := func(name string, render func(io.Writer) (*Chart, error)) {
		var b bytes.Buffer
		if _, err := render(&b); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(*writeDir, name+".svg"), b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("by-type-many", func(w io.Writer) (*Chart, error) {
		return TimeToAgreementByType(w, TimeToAgreementByTypeInput{Source: sampleSource, Groups: many})
	})
	var big []float64
	for i := range 3000 {
		big = append(big, float64((i*7919)%180))
	}
	write("decisions-big", func(w io.Writer) (*Chart, error) {
		return DecisionTimes(w, DecisionTimesInput{Source: sampleSource, Groups: []Group{groupOf("DfEE", big), groupOf("DoH", big[:50])}})
	})
	write("by-type-one", func(w io.Writer) (*Chart, error) {
		return TimeToAgreementByType(w, TimeToAgreementByTypeInput{Source: sampleSource, Groups: many[:1]})
	})
}

// groupOf computes a group's type 7 quartiles, for the sample charts only.
func groupOf(label string, vs []float64) Group {
	s := slices.Clone(vs)
	slices.Sort(s)
	q := func(p float64) float64 {
		h := float64(len(s)-1) * p
		lo := int(h)
		if lo+1 >= len(s) {
			return s[len(s)-1]
		}
		return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
	}
	return Group{Label: label, Values: vs, P25: q(0.25), Median: q(0.5), P75: q(0.75)}
}

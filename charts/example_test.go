package charts_test

import (
	"fmt"
	"io"
	"log"
	"strings"
	"time"

	"github.com/evalsite/evalsite/charts"
)

func ExampleTimeToAgreement() {
	day := func(m time.Month, d int) time.Time { return time.Date(2001, m, d, 0, 0, 0, 0, time.UTC) }
	in := charts.TimeToAgreementInput{
		Source: "Synthetic example data (illustrative)",
		Agreements: []charts.Agreement{
			{ID: "A01", Label: "Kent", Started: day(time.January, 8), Signed: day(time.March, 19)},
			{ID: "A02", Label: "Essex", Started: day(time.January, 15), Signed: day(time.May, 28)},
			{ID: "A03", Label: "Camden", Started: day(time.February, 1), Signed: day(time.March, 3)},
			{ID: "A04", Label: "Norfolk", Started: day(time.February, 5)}, // still in negotiation
		},
		Median: 70, // time_to_agreement_days.median of the metrics: 30, 70 and 133 days
	}
	// The site writes the SVG to a file; here it is discarded.
	c, err := charts.TimeToAgreement(io.Discard, in)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Title)
	fmt.Println(c.Alt)
	for _, r := range c.Rows {
		fmt.Println(r)
	}
	// Output:
	// The median agreement took 70 days
	// The median agreement took 70 days; the longest took 133.
	// [Essex 2001-01-15 2001-05-28 133]
	// [Kent 2001-01-08 2001-03-19 70]
	// [Camden 2001-02-01 2001-03-03 30]
}

func ExampleMeetingsByMonth() {
	c, err := charts.MeetingsByMonth(io.Discard, charts.MeetingsByMonthInput{
		Source: "Synthetic example data (illustrative)",
		Months: []charts.MonthCount{{Month: "2000-11", Count: 9}, {Month: "2000-12", Count: 21}, {Month: "2001-02", Count: 7}},
		// events.by_type.meeting and events.peak_meeting_month of the metrics
		Meetings: 37, Peak: "2000-12",
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Title)
	fmt.Println(c.Alt)
	// Output:
	// Meetings peaked in December 2000
	// Meetings peaked in December 2000, with 21 of the 37 meetings from November 2000 to February 2001.
}

func ExampleCodesByGroup() {
	c, err := charts.CodesByGroup(io.Discard, charts.CodesByGroupInput{
		Source: "Synthetic example data (illustrative)",
		Codes:  []string{"Targets as incentive", "Freedoms disappointing"},
		Groups: []string{"Local authority", "Department"},
		Cells: [][]charts.Cell{
			{{Value: 0.6, Text: "60%"}, {Text: "[c]", Suppressed: true}},
			{{Value: 0.8, Text: "80%"}, {Value: 0.25, Text: "25%"}},
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Title)
	fmt.Println(c.Alt)
	// Output:
	// Freedoms disappointing stood out among local authority interviews
	// Share of interviews in each respondent group with each of 2 codes. The highest is freedoms disappointing among local authority interviews (80%). 1 cell is suppressed to protect respondents, shown as [c].
}

func ExampleChart_WriteCSV() {
	c, err := charts.RefusalReasons(io.Discard, charts.RefusalReasonsInput{
		Source:  "Synthetic example data (illustrative)",
		Reasons: []charts.Count{{Label: "Needs primary legislation", Count: 3, Share: 0.375}, {Label: "Would set a precedent", Count: 5, Share: 0.625}},
		Refused: 8, // freedoms.not_granted of the metrics, and each share freedoms.refusal_reasons_share
	})
	if err != nil {
		log.Fatal(err)
	}
	var b strings.Builder
	if err := c.WriteCSV(&b); err != nil {
		log.Fatal(err)
	}
	// RFC 4180 lines end in CRLF; printed here with LF.
	fmt.Print(strings.ReplaceAll(b.String(), "\r\n", "\n"))
	// Output:
	// Reason,Requests not granted,Share
	// Would set a precedent,5,63%
	// Needs primary legislation,3,38%
}

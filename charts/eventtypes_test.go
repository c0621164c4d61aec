package charts

import (
	"bytes"
	"testing"
	"time"
)

// The words for event types come from the input: a chart given other words,
// or another order, says them, and a type it is not given is named from its
// code after the others.
func TestAgreementTimelineTakesEventWordsFromItsInput(t *testing.T) {
	t.Parallel()
	s := date(2000, time.November, 13)
	a := Agreement{ID: "kent", Label: "Kent", Started: s, Signed: s.AddDate(0, 0, 70)}
	evs := []Event{
		{AgreementID: "kent", Date: s.AddDate(0, 0, 3), Type: "bilateral"},
		{AgreementID: "kent", Date: s.AddDate(0, 0, 5), Type: "bilateral"},
		{AgreementID: "kent", Date: s.AddDate(0, 0, 3), Type: "site_visit"},
		{AgreementID: "kent", Date: s.AddDate(0, 0, 9), Type: "correspondence"},
		{AgreementID: "kent", Date: s.AddDate(0, 0, 9), Type: "correspondence"},
	}
	types := []EventType{
		{Key: "correspondence", Label: "Letter", Plural: "letters"},
		{Key: "bilateral", Label: "One-to-one", Plural: "one-to-one talks"},
	}
	var b bytes.Buffer
	c, err := AgreementTimeline(&b, AgreementTimelineInput{Agreement: a, Events: evs, Types: types})
	if err != nil {
		t.Fatal(err)
	}
	want := "Kent's agreement was signed on 22 January 2001, 70 days after negotiation started on 13 November 2000, with 5 events recorded: 2 letters, 2 one-to-one talks and 1 site visit."
	if c.Alt != want {
		t.Errorf("Alt = %q\nwant  %q", c.Alt, want)
	}
	wantRows := [][]string{{"2000-11-16", "One-to-one"}, {"2000-11-16", "Site visit"}, {"2000-11-18", "One-to-one"}, {"2000-11-22", "Letter"}, {"2000-11-22", "Letter"}}
	if len(c.Rows) != len(wantRows) {
		t.Fatalf("Rows = %q, want %q", c.Rows, wantRows)
	}
	for i := range wantRows {
		if c.Rows[i][0] != wantRows[i][0] || c.Rows[i][1] != wantRows[i][1] {
			t.Errorf("row %d = %q, want %q", i+1, c.Rows[i], wantRows[i])
		}
	}
}

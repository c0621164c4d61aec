package site

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/google/go-cmp/cmp"
)

func TestValueLabelCapitalisesTheFirstLetter(t *testing.T) {
	for _, tc := range []struct{ code, want string }{
		{"élus_locaux", "Élus locaux"},
		{"local_authority", "Local authority"},
		{"not_granted", "Not granted"},
		{"", ""},
	} {
		got := valueLabel(tc.code)
		if !utf8.ValidString(got) {
			t.Errorf("valueLabel(%q) = %q, not valid UTF-8", tc.code, got)
		}
		if got != tc.want {
			t.Errorf("valueLabel(%q) = %q, want %q", tc.code, got, tc.want)
		}
	}
}

// A column the schema gives a Title shows on its record's page, formatted
// for readers; blanks are left out.
func TestDetailsShowTitledColumns(t *testing.T) {
	var s ingest.Schema
	for _, d := range ingest.Schemas() {
		if d.Name == "freedoms" {
			s = d
		}
	}
	for i, c := range s.Columns {
		switch c.Name {
		case "outcome":
			s.Columns[i].Title = "Answer"
		case "decided":
			s.Columns[i].Title = "Decided on"
		case "request":
			s.Columns[i].Title = "Asked for"
		}
	}
	f := &ingest.Freedom{Outcome: "not_granted", Decided: time.Date(2001, 2, 10, 0, 0, 0, 0, time.UTC)}
	want := [][2]string{{"Answer", "Not granted"}, {"Decided on", longDate(f.Decided)}}
	if diff := cmp.Diff(want, details(s, f)); diff != "" {
		t.Errorf("details (-want +got):\n%s", diff)
	}
	if got := details(ingest.Schemas()[0], &ingest.Agreement{Region: "London"}); got != nil {
		t.Errorf("details with no titled column = %v, want none", got)
	}
}

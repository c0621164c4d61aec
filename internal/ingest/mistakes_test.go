package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadReportsSixMistakesInOneRun makes six different mistakes across
// three workbooks and expects one run to report them all, each named by
// file, sheet, cell and column.
func TestReadReportsSixMistakesInOneRun(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeBook(t, filepath.Join(dir, "agreements.xlsx"), false, []string{"Agreements", "Freedoms"}, map[string][][]any{
		"Agreements": {
			{"Agreement ID", "Authority", "Started", "Signed"},
			{"A1", "Kent", "13/11/2000", "01/11/2000"}, // 1: signed before started
			{"A2", "Leeds", "31/11/2000", ""},          // 2: no 31 November
			{"A1", "York", "01/12/2000", ""},           // 3: duplicate id
		},
		"Freedoms": {
			{"Request ID", "Agreement ID", "Department", "Outcome"},
			{"R1", "A9", "DH", "Granted"}, // 4: unknown agreement
		},
	})
	writeBook(t, filepath.Join(dir, "timings.xlsx"), false, []string{"Events"}, map[string][][]any{
		"Events": {
			{"Agreement ID", "Date", "Type"},
			{"A2", "01/12/2000", "Phone call"}, // 5: not an event type
		},
	})
	writeBook(t, filepath.Join(dir, "codings.xlsx"), false, []string{"Codings"}, map[string][][]any{
		"Codings": {
			{"Interview ID", "Wave", "Group", "Code"},
			{"I1", 1, "LGA", "targets"},
			{"I1", 2, "LGA", "freedoms"}, // 6: a second wave for one interview
		},
	})
	_, err := Read(t.Context(), dir, Options{})
	var p Problems
	if !errors.As(err, &p) {
		t.Fatalf("Read = %v, want Problems", err)
	}
	sep := string(os.PathSeparator)
	want := []string{
		dir + sep + `agreements.xlsx: Agreements!D2 (signed): date is before started 2000-11-13 ("01/11/2000")`,
		dir + sep + `agreements.xlsx: Agreements!C3 (started): not a date: November 2000 has no day 31 ("31/11/2000")`,
		dir + sep + `agreements.xlsx: Agreements!A4 (agreement_id): duplicate agreement_id: also in row 2 ("A1")`,
		dir + sep + `agreements.xlsx: Freedoms!B2 (agreement_id): no agreement has this agreement_id ("A9")`,
		dir + sep + `codings.xlsx: Codings!B3 (wave): interview I1 is wave 1 in row 2: one interview has one wave ("2")`,
		dir + sep + `timings.xlsx: Events!C2 (type): not one of meeting, bilateral, correspondence, draft, briefing, signing, workshop, other: did you mean correspondence? ("Phone call")`,
	}
	if diff := cmp.Diff(want, lines(p)); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}

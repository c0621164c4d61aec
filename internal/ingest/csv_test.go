package ingest

import (
	"errors"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestParseCSVNumbersRowsAsASpreadsheetShowsThem(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want []row
	}{
		{"bom and crlf", "\xEF\xBB\xBFa,b\r\n1,2\r\n", []row{denseRow(1, []string{"a", "b"}), denseRow(2, []string{"1", "2"})}},
		// Lines 2 and 4 are blank: a spreadsheet shows them as rows 2 and 4.
		{"blank lines count", "a\n\n1\n\n2\n", []row{denseRow(1, []string{"a"}), denseRow(3, []string{"1"}), denseRow(5, []string{"2"})}},
		// The quoted line break keeps "x\ny" in row 2, so "3" is row 3.
		{"quoted line break", "a,b\n\"x\ny\",2\n3,4\n", []row{denseRow(1, []string{"a", "b"}), denseRow(2, []string{"x\ny", "2"}), denseRow(3, []string{"3", "4"})}},
		{"lone cr line ends", "a,b\r1,2\r", []row{denseRow(1, []string{"a", "b"}), denseRow(2, []string{"1", "2"})}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseCSV(t.Context(), "f.csv", []byte(tt.in), Limits{})
			if err != nil {
				t.Fatalf("parseCSV(%q) = %v", tt.in, err)
			}
			if diff := cmp.Diff(tt.want, got.Rows, cmp.AllowUnexported(row{}, cell{})); diff != "" {
				t.Errorf("parseCSV(%q) rows (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

func TestParseCSVRefusesBadText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   string
		want string
	}{
		{"a,b\n1,\"unclosed\n2,3\n", `f.csv:2: not valid CSV (line 3): extraneous or missing " in quoted-field; check the quotes in this row`},
		{"a,b\n\n1,x\"y\n", `f.csv:3: not valid CSV (line 3): bare " in non-quoted-field; check the quotes in this row`},
		{"a\n\xff\n", `f.csv:2: text is not UTF-8 (line 2): save the file as "CSV UTF-8 (Comma delimited)"`},
		{"\xFE\xFF\x00a", `f.csv: file is UTF-16 text: save it as "CSV UTF-8 (Comma delimited)"`},
		{"PK\x03\x04rest", `f.csv: file is a workbook, not CSV text: save it as "CSV UTF-8 (Comma delimited)" or name it .xlsx`},
		{"a\x00b\n", `f.csv: file holds binary data, not CSV text: save it as "CSV UTF-8 (Comma delimited)"`},
		{"agreement_id;authority;started\nA1;Kent;2000-11-13\n", `f.csv: the file is separated by semicolons, not commas: save it as "CSV UTF-8 (Comma delimited)", or in your spreadsheet program's CSV options choose the comma`},
		{"Title\n\nagreement_id\tauthority\tstarted\nA1\tKent\t2000-11-13\n", `f.csv: the file is separated by tabs, not commas: save it as "CSV UTF-8 (Comma delimited)", or in your spreadsheet program's CSV options choose the comma`},
	}
	for _, tt := range tests {
		_, err := parseCSV(t.Context(), "f.csv", []byte(tt.in), Limits{})
		var ce *CellError
		if !errors.As(err, &ce) || ce.Error() != tt.want {
			t.Errorf("parseCSV(%q) = %v, want %s", tt.in, err, tt.want)
		}
	}
}

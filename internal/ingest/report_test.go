package ingest

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestReadReportsARepeatedProblemOnce copies one unknown agreement_id down
// 55 event rows, in a CSV file and in a workbook, and wants one line naming
// the others, not 55 lines; the rows are still all left out.
func TestReadReportsARepeatedProblemOnce(t *testing.T) {
	t.Parallel()
	rows := [][]any{{"agreement_id", "date", "type"}, {"A1", "2000-12-01", "meeting"}}
	for range 55 {
		rows = append(rows, []any{"LPSA-99", "2000-12-02", "meeting"})
	}
	for _, xlsx := range []bool{false, true} {
		t.Run(fmt.Sprint("xlsx=", xlsx), func(t *testing.T) {
			t.Parallel()
			dir := minimalFolder(t)
			want := dir + `/events.csv:3 (agreement_id): no agreement has this agreement_id ("LPSA-99") (and 54 more rows: 4, 5, 6, 7, 8, …)`
			if xlsx {
				os.Remove(filepath.Join(dir, "events.csv"))
				writeBook(t, filepath.Join(dir, "timings.xlsx"), false, []string{"Events"}, map[string][][]any{"Events": rows})
				want = dir + `/timings.xlsx: Events!A3 (agreement_id): no agreement has this agreement_id ("LPSA-99") (and 54 more rows: A4, A5, A6, A7, A8, …)`
			} else {
				var b strings.Builder
				for _, r := range rows {
					fmt.Fprintf(&b, "%s,%s,%s\n", r...)
				}
				writeFile(t, filepath.Join(dir, "events.csv"), b.String())
			}
			data, err := Read(t.Context(), dir, Options{})
			var p Problems
			if !errors.As(err, &p) {
				t.Fatalf("Read = %v, want Problems", err)
			}
			if diff := cmp.Diff([]string{want}, lines(p)); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
			if len(p) == 1 && len(p[0].More) != 54 {
				t.Errorf("More holds %d rows, want 54", len(p[0].More))
			}
			if len(data.Events) != 1 {
				t.Errorf("kept %d events, want only the good one", len(data.Events))
			}
		})
	}
}

// TestReadRefusesControlCharacters wants every C0 control character but
// tab and line breaks refused in the cell that holds it, however it was
// written: raw in a CSV file, as a character reference or an _xHHHH_
// escape in a workbook.
func TestReadRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	dir := minimalFolder(t)
	writeFile(t, filepath.Join(dir, "events.csv"), "agreement_id,date,type,note,department\n"+
		"A1,2000-12-01,meeting,\"tab\tand\nline breaks\r\nare fine\",DfES\n"+
		"A1,2000-12-02,meeting,bell\x07,DfES\n"+
		"A1,2000-12-03,meeting,fine,Df\x00ES\n"+
		"A1,2000-12-04,meeting,non-character \uFFFE,DfES\n")
	os.Remove(filepath.Join(dir, "codings.csv"))
	book := craftedBook(t, []string{"Codings"}, map[string]func(*bufio.Writer){
		"xl/worksheets/sheet1.xml": sheetBody(func(w *bufio.Writer) {
			w.WriteString(header)
			w.WriteString(`<row r="2"><c r="A2" t="inlineStr"><is><t>I1</t></is></c><c r="B2"><v>1</v></c><c r="C2" t="inlineStr"><is><t>lga</t></is></c><c r="D2" t="inlineStr"><is><t>x&#27;y</t></is></c></row>`)
			w.WriteString(`<row r="3"><c r="A3" t="inlineStr"><is><t>I_x0001_2</t></is></c><c r="B3"><v>1</v></c><c r="C3" t="inlineStr"><is><t>lga</t></is></c><c r="D3" t="inlineStr"><is><t>x</t></is></c></row>`)
		}),
	})
	writeFile(t, filepath.Join(dir, "codings.xlsx"), string(book))
	_, err := Read(t.Context(), dir, Options{})
	var p Problems
	if !errors.As(err, &p) {
		t.Fatalf("Read = %v, want Problems", err)
	}
	want := []string{
		dir + `/codings.xlsx: Codings!D2 (code): text holds the control character U+001B, which cannot be published: delete it ("x\x1by")`,
		dir + `/codings.xlsx: Codings!A3 (interview_id): text holds the control character U+0001, which cannot be published: delete it ("I\x012")`,
		dir + `/events.csv:3 (note): text holds the control character U+0007, which cannot be published: delete it ("bell\a")`,
		dir + `/events.csv:4 (department): text holds the control character U+0000, which cannot be published: delete it ("Df\x00ES")`,
		dir + `/events.csv:5 (note): text holds the non-character U+FFFE, which cannot be published: delete it ("non-character \ufffe")`,
	}
	if diff := cmp.Diff(want, lines(p)); diff != "" {
		t.Errorf("Read (-want +got):\n%s", diff)
	}
}

func TestIsolateBidi(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Kent":                         "Kent",
		"\u202eKent":                   "\u2068\u202eKent\u202c\u2069",
		"\u202eKent\u202c County":      "\u2068\u202eKent\u202c County\u2069",
		"x\u2069\u202ey":               "\u2068x\u202ey\u202c\u2069",         // a stray PDI cannot close the isolate around it
		"a\u2067b\u202ac\u2069d\u202c": "\u2068a\u2067b\u202ac\u2069d\u2069", // the PDI closed the embedding inside it
		"\u202c\u202c":                 "\u2068\u2069",
	} {
		if got := isolateBidi(in); got != want {
			t.Errorf("isolateBidi(%+q) = %+q, want %+q", in, got, want)
		}
	}
}

package ingest

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// writeBook writes a workbook with the given sheets (name -> rows of cells)
// in sheet order. Cells that are float64 or time.Time are written as numbers
// or dates.
func writeBook(t testing.TB, path string, date1904 bool, sheets []string, rows map[string][][]any) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	if date1904 {
		v := true
		if err := f.SetWorkbookProps(&excelize.WorkbookPropsOptions{Date1904: &v}); err != nil {
			t.Fatal(err)
		}
	}
	for i, name := range sheets {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, cells := range rows[name] {
			cell, _ := excelize.CoordinatesToCellName(1, r+1)
			if err := f.SetSheetRow(name, cell, &cells); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

func writeFile(t testing.TB, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// minimalFolder writes a valid data folder: agreements and freedoms in a
// workbook, events and codings as CSV.
func minimalFolder(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	writeBook(t, filepath.Join(dir, "agreements.xlsx"), false, []string{"Agreements", "Freedoms"}, map[string][][]any{
		"Agreements": {
			{"agreement_id", "authority", "started", "signed"},
			{"A1", "Kent", 36843.0, "01/03/2001"}, // 36843 = 2000-11-13
		},
		"Freedoms": {
			{"request_id", "agreement_id", "department", "outcome"},
			{"R1", "A1", "DfES", "granted"},
		},
	})
	writeFile(t, filepath.Join(dir, "events.csv"), "agreement_id,date,type\nA1,2000-12-01,meeting\n")
	writeFile(t, filepath.Join(dir, "codings.csv"), "interview_id,wave,group,code\nI1,1,lga,targets\n")
	return dir
}

func TestReadMinimalFolder(t *testing.T) {
	t.Parallel()
	dir := minimalFolder(t)
	data, err := Read(t.Context(), dir, Options{})
	if err != nil {
		t.Fatalf("Read(%q) = %v, want no error", dir, err)
	}
	book := filepath.Join(dir, "agreements.xlsx")
	want := &Data{
		Agreements: []Agreement{{ID: "A1", Authority: "Kent", Started: date(2000, 11, 13), Signed: date(2001, 3, 1),
			Pos: Pos{File: book, Sheet: "Agreements", Row: 2}}},
		Freedoms: []Freedom{{RequestID: "R1", AgreementID: "A1", Department: "DfES", Outcome: "granted",
			Pos: Pos{File: book, Sheet: "Freedoms", Row: 2}}},
		Events: []Event{{AgreementID: "A1", Date: date(2000, 12, 1), Type: "meeting",
			Pos: Pos{File: filepath.Join(dir, "events.csv"), Row: 2}}},
		Codings: []Coding{{InterviewID: "I1", Wave: 1, Group: "lga", Code: "targets",
			Pos: Pos{File: filepath.Join(dir, "codings.csv"), Row: 2}}},
		Sources: map[string]string{
			"agreements": book, "freedoms": book,
			"events": filepath.Join(dir, "events.csv"), "codings": filepath.Join(dir, "codings.csv"),
		},
		Rows: map[string]int{"agreements": 1, "freedoms": 1, "events": 1, "codings": 1},
	}
	if diff := cmp.Diff(want, data); diff != "" {
		t.Errorf("Read(%q) (-want +got):\n%s", dir, diff)
	}
}

func TestReadRejectsBadStartedDateInWorkbook(t *testing.T) {
	t.Parallel()
	dir := minimalFolder(t)
	writeBook(t, filepath.Join(dir, "agreements.xlsx"), false, []string{"Agreements", "Freedoms"}, map[string][][]any{
		"Agreements": {
			{"agreement_id", "authority", "started", "signed"},
			{"A1", "Kent", "13/13/2000", "01/03/2001"},
		},
		"Freedoms": {
			{"request_id", "agreement_id", "department", "outcome"},
			{"R1", "A1", "DfES", "granted"},
		},
	})
	_, err := Read(t.Context(), dir, Options{})
	var p Problems
	if !errors.As(err, &p) {
		t.Fatalf("Read(%q) = %v, want Problems", dir, err)
	}
	want := []string{filepath.Join(dir, "agreements.xlsx") + `: Agreements!C2 (started): not a date: there is no month 13 ("13/13/2000")`}
	if diff := cmp.Diff(want, lines(p)); diff != "" {
		t.Errorf("Read(%q) (-want +got):\n%s", dir, diff)
	}
	if !errors.Is(err, ErrBadDate) {
		t.Errorf("errors.Is(err, ErrBadDate) = false, want true")
	}
}

func TestReadDate1904Workbook(t *testing.T) {
	t.Parallel()
	dir := minimalFolder(t)
	writeBook(t, filepath.Join(dir, "agreements.xlsx"), true, []string{"Agreements", "Freedoms"}, map[string][][]any{
		// In the 1904 system serial 0 is 1904-01-01, so 2000-11-13 is
		// 36843 - 1462 = 35381 (1462 days from 1900-01-00 to 1904-01-01,
		// counting Excel's phantom 29 February 1900).
		"Agreements": {{"agreement_id", "authority", "started"}, {"A1", "Kent", 35381.0}},
		"Freedoms":   {{"request_id", "agreement_id", "department", "outcome"}},
	})
	data, err := Read(t.Context(), dir, Options{})
	if err != nil {
		t.Fatalf("Read(%q) = %v", dir, err)
	}
	if got, want := data.Agreements[0].Started, date(2000, 11, 13); !got.Equal(want) {
		t.Errorf("started = %v, want %v", got, want)
	}
}

func TestReadFileLevelProblems(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		setup func(t *testing.T, dir string)
		want  string // the problem about the file, after "<dir>/"
	}{
		{"both xlsx sheet and csv", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "freedoms.csv"), "request_id,agreement_id,department,outcome\n")
		}, "freedoms.csv: freedoms are also in {dir}/agreements.xlsx (sheet Freedoms): keep one of the two"},
		{"missing agreements", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "agreements.xlsx"))
			os.Remove(filepath.Join(dir, "events.csv"))
			os.Remove(filepath.Join(dir, "codings.csv"))
		}, ": no agreements: add agreements.xlsx with a sheet Agreements, or agreements.csv"},
		{"xls file", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "events.csv"))
			writeFile(t, filepath.Join(dir, "timings.xls"), "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
		}, "timings.xls: .xls files cannot be read: save it as Excel Workbook (timings.xlsx) or as CSV UTF-8 (events.csv)"},
		{"invalid utf-8", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "events.csv"), "agreement_id,date,type\nA1,2000-12-01,caf\xe9\n")
		}, `events.csv:2: text is not UTF-8 (line 2): save the file as "CSV UTF-8 (Comma delimited)"`},
		{"utf-16", func(t *testing.T, dir string) {
			writeFile(t, filepath.Join(dir, "events.csv"), "\xFF\xFEa\x00")
		}, `events.csv: file is UTF-16 text: save it as "CSV UTF-8 (Comma delimited)"`},
		{"not a spreadsheet", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "codings.csv"))
			writeFile(t, filepath.Join(dir, "codings.xlsx"), "<html>hello</html>")
		}, "codings.xlsx: file is not an XLSX workbook: save it from your spreadsheet program as Excel Workbook (.xlsx)"},
		{"password-protected", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "codings.csv"))
			ole := append([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"), make([]byte, 600)...)
			ole = append(ole, "E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00"...)
			writeFile(t, filepath.Join(dir, "codings.xlsx"), string(ole))
		}, "codings.xlsx: workbook is password-protected: remove the password (File > Info > Protect Workbook) and save it again"},
		{"corrupt zip", func(t *testing.T, dir string) {
			os.Remove(filepath.Join(dir, "codings.csv"))
			writeFile(t, filepath.Join(dir, "codings.xlsx"), "PK\x03\x04 this is not really a zip")
		}, "codings.xlsx: workbook is damaged (zip: not a valid zip file): open it in your spreadsheet program and save it again"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := minimalFolder(t)
			tt.setup(t, dir)
			_, err := Read(t.Context(), dir, Options{})
			var p Problems
			if !errors.As(err, &p) {
				t.Fatalf("Read = %v, want Problems", err)
			}
			want := []string{dir + "/" + replaceDir(tt.want, dir)}
			if tt.want[0] == ':' {
				want = []string{dir + tt.want}
			}
			if diff := cmp.Diff(want, lines(p)); diff != "" {
				t.Errorf("Read (-want +got):\n%s", diff)
			}
		})
	}
}

func replaceDir(s, dir string) string {
	out := []rune{}
	for i := 0; i < len(s); i++ {
		if len(s)-i >= 5 && s[i:i+5] == "{dir}" {
			out = append(out, []rune(dir)...)
			i += 4
			continue
		}
		out = append(out, rune(s[i]))
	}
	return string(out)
}

func TestReadMissingFolder(t *testing.T) {
	t.Parallel()
	data, err := Read(t.Context(), "no/such/folder", Options{})
	if data == nil {
		t.Fatal("Read returned nil Data")
	}
	want := "no/such/folder: data folder not found: run evalsite where the data folder is, or name it with --data"
	if err == nil || err.Error() != want {
		t.Errorf("Read = %v, want %s", err, want)
	}
}

func TestReadStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	dir := minimalFolder(t)
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := Read(ctx, dir, Options{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Read(cancelled) = %v, want context.Canceled", err)
	}
}

// TestReadOnlyAgreementsAreRequired reads a folder with the agreements
// alone: no error, even when strict, one notice for each missing dataset,
// and Present telling which were read.
func TestReadOnlyAgreementsAreRequired(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "agreements.csv"), "agreement_id,authority,started\nA1,Kent,2000-11-13\n")
	writeBook(t, filepath.Join(dir, "timings.xlsx"), false, []string{"Notes", "Other"}, map[string][][]any{"Notes": {{"x"}}})
	data, err := Read(t.Context(), dir, Options{Strict: true})
	if err != nil {
		t.Fatalf("Read = %v, want no error", err)
	}
	want := []string{
		dir + ": no codings, so the site has no codings section: add codings.xlsx with a sheet Codings, or codings.csv, to add it",
		dir + ": no freedoms, so the site has no freedoms section: add agreements.xlsx with a sheet Freedoms, or freedoms.csv, to add it",
		dir + "/timings.xlsx: no sheet Events, so the site has no events section (sheets: Notes, Other): name the sheet Events, or give events.csv, to add it",
	}
	if diff := cmp.Diff(want, lines(data.Notices)); diff != "" {
		t.Errorf("notices (-want +got):\n%s", diff)
	}
	for name, want := range map[string]bool{"agreements": true, "freedoms": false, "events": false, "codings": false, "codebook": false} {
		if got := data.Present(name); got != want {
			t.Errorf("Present(%q) = %v, want %v", name, got, want)
		}
	}
	if len(data.Agreements) != 1 {
		t.Errorf("read %d agreements, want 1", len(data.Agreements))
	}
}

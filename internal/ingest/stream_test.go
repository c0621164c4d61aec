package ingest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestStreamBookReadsAsExcelize compares the streaming reader with
// excelize's iterator on workbooks written by excelize, openpyxl and
// LibreOffice.
func TestStreamBookReadsAsExcelize(t *testing.T) {
	t.Parallel()
	tmpl := t.TempDir()
	if err := WriteTemplate(tmpl); err != nil {
		t.Fatal(err)
	}
	filled := minimalFolder(t)
	writeBook(t, filepath.Join(filled, "codings.xlsx"), false, []string{"Codings", "Other"}, map[string][][]any{
		"Codings": {{"interview_id", "wave", "group", "code", "excerpt"}, {}, {"I1", 1, "lga", "a_x005F_b", "line one\nline two"}, {nil, nil, nil, "sparse"}},
		"Other":   {{"x", 2.5, true, false, 1e20}},
	})
	var paths []string
	for _, dir := range []string{"testdata/openpyxl", "testdata/libreoffice", tmpl, filled} {
		m, _ := filepath.Glob(filepath.Join(dir, "*.xlsx"))
		paths = append(paths, m...)
	}
	if len(paths) < 9 {
		t.Fatalf("found %d workbooks, want at least 9", len(paths))
	}
	for _, p := range paths {
		ex, err := openWorkbook(p, Limits{})
		if err != nil {
			t.Fatalf("openWorkbook(%q) = %v", p, err)
		}
		st, err := openStreamBook(p, Limits{})
		if err != nil {
			t.Fatalf("openStreamBook(%q) = %v", p, err)
		}
		if diff := cmp.Diff(ex.SheetNames(), st.SheetNames()); diff != "" {
			t.Errorf("%s: sheet names (-excelize +stream):\n%s", p, diff)
		}
		for _, name := range ex.SheetNames() {
			want, err := ex.ReadSheet(t.Context(), name)
			if err != nil {
				t.Fatalf("%s %s: excelize: %v", p, name, err)
			}
			got, err := st.ReadSheet(t.Context(), name)
			if err != nil {
				t.Fatalf("%s %s: stream: %v", p, name, err)
			}
			if diff := cmp.Diff(want, got, cmp.AllowUnexported(table{}, row{}, cell{})); diff != "" {
				t.Errorf("%s %s (-excelize +stream):\n%s", p, name, diff)
			}
		}
		ex.Close()
		st.Close()
	}
}

func TestStreamBookRefusesMalformedSheet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := codingsBook(t, dir)
	sheet := `<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>interview_id</t></is></c></row><row r="2"><c r="A2" <<< broken</sheetData></worksheet>`
	p := filepath.Join(dir, "bad.xlsx")
	if err := os.WriteFile(p, rewriteZip(t, src, map[string][]byte{"xl/worksheets/sheet1.xml": []byte(sheet)}), 0o644); err != nil {
		t.Fatal(err)
	}
	w, err := openStreamBook(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, err = w.ReadSheet(t.Context(), "Codings")
	if err == nil || !strings.Contains(err.Error(), "Codings: sheet cannot be read") {
		t.Errorf("ReadSheet(malformed) = %v, want a damaged-sheet problem", err)
	}
}

// BenchmarkReadSheet reads 100,000 event rows with excelize's iterator and
// with the streaming reader, for the ratio of their speeds.
func BenchmarkReadSheet(b *testing.B) {
	const n = 100_000
	p := filepath.Join(eventsFolder(b, n, true), "timings.xlsx")
	for _, r := range []struct {
		name string
		open func(string, Limits) (workbook, error)
	}{{"excelize", openWorkbook}, {"stream", openStreamBook}} {
		b.Run(r.name, func(b *testing.B) {
			for b.Loop() {
				w, err := r.open(p, Limits{})
				if err != nil {
					b.Fatal(err)
				}
				t, err := w.ReadSheet(b.Context(), "Events")
				if err != nil {
					b.Fatal(err)
				}
				if len(t.Rows) != n+1 {
					b.Fatalf("read %d rows, want %d", len(t.Rows), n+1)
				}
				w.Close()
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

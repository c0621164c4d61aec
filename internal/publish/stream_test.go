package publish

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

// oddTexts are texts whose encoding differs between formats: HTML
// characters json.Marshal escapes, control characters, invalid UTF-8, line
// and paragraph separators, OOXML escapes, white space at the ends.
var oddTexts = []string{
	"plain", "", "Kingsmere & Thames <script>", `quote " and \ backslash`,
	"tab\tnew\nline\r\ncr\r", "\x00\x07\x1f\x7f", "bad \xff utf-8", "sep \u2028 \u2029",
	"é ü 中文 😀", "_x0041_ and _x005F_", " padded ", "\rstarts with CR",
}

// indentReference is evaluation.json as the first version of publish built
// it: each value through json.Marshal into one compact document, then, if
// opt.IndentJSON asks, json.Indent. encodeJSON must write the same bytes.
func indentReference(t *testing.T, rel Release, opt Options, tables []table, n notes) []byte {
	t.Helper()
	var b bytes.Buffer
	put := func(v any) {
		data, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(data)
	}
	b.WriteString(`{"release":`)
	put(newReleaseJSON(rel, opt))
	b.WriteString(`,"notes":`)
	ns := make([]noteJSON, len(n.texts))
	for i, s := range n.texts {
		ns[i] = noteJSON{i + 1, s}
	}
	put(ns)
	b.WriteString(`,"datasets":{`)
	for ti, tb := range tables {
		if ti > 0 {
			b.WriteString(",")
		}
		put(tb.name)
		b.WriteString(":[")
		for ri, row := range tb.rows() {
			if ri > 0 {
				b.WriteString(",")
			}
			b.WriteString("{")
			for ci, v := range row {
				if ci > 0 {
					b.WriteString(",")
				}
				put(tb.cols[ci].Name)
				b.WriteString(":")
				put(jsonValue(v))
			}
			b.WriteString("}")
		}
		b.WriteString("]")
	}
	b.WriteString("}}")
	if !opt.IndentJSON {
		return append(b.Bytes(), '\n')
	}
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		t.Fatal(err)
	}
	out.WriteString("\n")
	return out.Bytes()
}

func TestEncodeJSONMatchesIndent(t *testing.T) {
	t.Parallel()
	odd := testData()
	odd.Events = nil
	hours := []float64{0, 0.1, 1.5, 1e-7, 2.5e-6, 1e20, 1e21, 123456789.125, math.Copysign(0, -1)}
	for i, s := range oddTexts {
		odd.Events = append(odd.Events, ingest.Event{AgreementID: "A1", Date: day("2001-01-01"), Type: "other",
			Note: s, Department: s, Hours: ptr(hours[i%len(hours)])})
	}
	tests := []struct {
		name string
		d    *ingest.Data
		opt  Options
		rel  Release
	}{
		{"test data", testData(), Options{}, testRelease()},
		{"odd values", odd, Options{PublishOrganisations: true}, testRelease()},
		{"suppressed", testData(), Options{SuppressBelow: 3}, testRelease()},
		{"empty", &ingest.Data{}, Options{}, Release{}},
		{"big", bigData(50), Options{}, testRelease()},
		{"test data indented", testData(), Options{IndentJSON: true}, testRelease()},
		{"odd values indented", odd, Options{PublishOrganisations: true, IndentJSON: true}, testRelease()},
		{"empty indented", &ingest.Data{}, Options{IndentJSON: true}, Release{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rel := tt.rel.withDefaults()
			tables := buildTables(tt.d, metricsOf(tt.d, tt.opt).Disclosure, tt.opt)
			n := buildNotes(rel, tt.opt, tables)
			var got bytes.Buffer
			if err := encodeJSON(&got, rel, tt.opt, tables, n); err != nil {
				t.Fatal(err)
			}
			want := indentReference(t, rel, tt.opt, tables, n)
			if diff := cmp.Diff(string(want), got.String()); diff != "" {
				t.Errorf("encodeJSON (-want +got):\n%s", diff)
			}
		})
	}
}

func TestEncodeJSONRefusesNaN(t *testing.T) {
	t.Parallel()
	d := testData()
	d.Events[0].Hours = ptr(math.NaN())
	tables := buildTables(d, nil, Options{})
	var out bytes.Buffer
	err := encodeJSON(&out, testRelease(), Options{}, tables, buildNotes(testRelease(), Options{}, tables))
	if err == nil || !strings.Contains(err.Error(), "events column hours") {
		t.Errorf("encodeJSON with NaN hours = %v, want an error naming events column hours", err)
	}
}

// TestWriteXLSXCells reads every kind of value back from the rows that
// sheetRows writes, with excelize as the independent reader.
func TestWriteXLSXCells(t *testing.T) {
	t.Parallel()
	d := testData()
	d.Events = nil
	hours := []float64{
		0.1,
		1234567.891,
		0.12345678901234567, // 17 digits: Excel keeps 15, cut not rounded
		1e-7,                // written in decimal form
		250,
	}
	want := [][]string{{"agreement_id", "date", "type", "department", "hours", "note"}}
	rawHours := []string{"0.1", "1234567.891", "0.123456789012345", "0.0000001", "250"}
	for i, s := range oddTexts {
		e := ingest.Event{Date: day("2001-01-01"), Type: "other", Note: s}
		if i < len(hours) {
			e.Hours = ptr(hours[i])
		}
		d.Events = append(d.Events, e)
		// 2001-01-01 is serial 36892: 36526 (2000-01-01) + 366 days of 2000.
		row := []string{"", "36892", "other", "", "", s}
		if i < len(hours) {
			row[4] = rawHours[i]
		}
		if s == "bad \xff utf-8" {
			row[5] = "bad \uFFFD utf-8"
		}
		if s == "" {
			row = row[:5]
			if i >= len(hours) {
				row = row[:3]
			}
		}
		want = append(want, row)
	}
	long := strings.Repeat("x", 40000)
	d.Events = append(d.Events, ingest.Event{Date: day("1900-01-15"), Type: "other", Note: long})
	want = append(want, []string{"", "1900-01-15", "other", "", "", long[:32767]})

	dir, _ := write(t, d, Options{})
	f, err := excelize.OpenFile(filepath.Join(dir, "evaluation.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows("Events")
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for rows.Next() {
		cols, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, cols)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	if len(got) == 0 {
		t.Fatal("no rows in Events")
	}
	if diff := cmp.Diff(want, got[1:]); diff != "" { // got[0] is the title
		t.Errorf("Events rows (-want +got):\n%s", diff)
	}

	dim, err := f.GetSheetDimension("Events")
	if err != nil || dim != fmt.Sprintf("A1:F%d", len(want)+1) {
		t.Errorf("Events dimension = %q, %v, want A1:F%d", dim, err, len(want)+1)
	}
	// Dates show as dates, and a blank date cell has the date format too.
	if v, _ := f.GetCellValue("Events", "B3"); v != "2001-01-01" {
		t.Errorf("Events!B3 = %q, want 2001-01-01", v)
	}
	filled, _ := f.GetCellStyle("Agreements", "G3")
	blank, _ := f.GetCellStyle("Agreements", "H3")
	if filled == 0 || blank != filled {
		t.Errorf("Agreements styles: G3 (a date) %d, H3 (blank) %d, want the same date style", filled, blank)
	}
}

// TestSheetZipRefusesMissingSheets guards the splice against a future
// excelize that names or writes sheet parts differently: rows that found no
// part, or a part without sheetData, are an error, never a silently empty
// sheet.
func TestSheetZipRefusesMissingSheets(t *testing.T) {
	t.Parallel()
	tb := buildTables(testData(), nil, Options{})[0]
	tests := []struct {
		name  string
		parts map[string]string // part name -> content, written in name order
		want  string
	}{
		{"no such part", map[string]string{"xl/worksheets/sheet1.xml": "<worksheet><sheetData></sheetData></worksheet>"},
			"sheets xl/worksheets/sheet4.xml were not written"},
		{"no sheetData", map[string]string{"xl/worksheets/sheet4.xml": "<worksheet></worksheet>"},
			"xl/worksheets/sheet4.xml: no sheetData to insert rows into"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			z := newSheetZip(io.Discard, map[string]sheetRows{"xl/worksheets/sheet4.xml": {t: tb, date: 1}})
			var err error
			for _, name := range slices.Sorted(maps.Keys(tt.parts)) {
				var w io.Writer
				if w, err = z.Create(name); err != nil {
					break
				}
				io.WriteString(w, tt.parts[name])
			}
			if err == nil {
				err = z.Close()
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("writing %v = %v, want an error containing %q", slices.Sorted(maps.Keys(tt.parts)), err, tt.want)
			}
		})
	}
}

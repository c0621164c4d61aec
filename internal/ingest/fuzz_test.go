package ingest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// fuzzLimits keep each fuzz input cheap.
var fuzzLimits = Limits{MaxBytes: 4 << 20, MaxPartBytes: 1 << 20, MaxRows: 2000, MaxColumns: 200, MaxCellChars: 2000, MaxZipEntries: 100}

// decodeAny decodes a table as every dataset in turn; it must never panic.
func decodeAny(t *table) {
	for _, s := range Schemas() {
		d := newDecoder()
		data := &Data{Sources: map[string]string{}, Rows: map[string]int{}}
		decodeAll(d, map[string]*table{s.Name: t, "agreements": t}, data)
		_, _ = finish(d, data, true)
	}
}

func FuzzReadCSV(f *testing.F) {
	for _, seed := range []string{
		"agreement_id,authority,started,signed\nA1,Kent,2000-11-13,01/03/2001\n",
		"\xEF\xBB\xBFagreement_id,date,type\nA1,15 March 2001,meeting\n\n,2001-01-01,workshop\n",
		"interview_id,wave,group,code,cleared\r\nI1,1,LGA,targets,yes\r\nI1,2,lga,x,maybe\r\n",
		"a,\"b\nc\",d\n\"unclosed,e\n",
		"title\r\rrequest_id,agreement_id,department,outcome\rR1,A1,DH,Not granted\r",
		"\xFF\xFEa\x00",
		"code,label\nx,\xe9\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		tab, err := parseCSV(context.Background(), "f.csv", b, fuzzLimits)
		if err != nil {
			return
		}
		for _, r := range tab.Rows {
			if r.Num < 1 {
				t.Fatalf("row number %d < 1", r.Num)
			}
		}
		decodeAny(tab)
	})
}

func FuzzReadXLSX(f *testing.F) {
	dir := f.TempDir()
	if err := WriteTemplate(dir); err != nil {
		f.Fatal(err)
	}
	for _, name := range []string{"agreements.xlsx", "codings.xlsx"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	x := excelize.NewFile()
	x.SetSheetRow("Sheet1", "A1", &[]any{"agreement_id", "authority", "started"})
	x.SetSheetRow("Sheet1", "A3", &[]any{"A1", "Kent", 36843})
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte("PK\x03\x04garbage"))
	f.Add([]byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"))
	f.Fuzz(func(t *testing.T, b []byte) {
		p := filepath.Join(t.TempDir(), "book.xlsx")
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, open := range []func(string, Limits) (workbook, error){openStreamBook, openWorkbook} {
			w, err := open(p, fuzzLimits)
			if err != nil {
				if _, ok := err.(*CellError); !ok {
					t.Fatalf("open error %T %v, want *CellError", err, err)
				}
				return
			}
			for _, name := range w.SheetNames() {
				tab, err := w.ReadSheet(context.Background(), name)
				if err != nil {
					continue
				}
				decodeAny(tab)
			}
			w.Close()
		}
	})
}

// eventsFolder writes a data folder whose events are n rows, as timings.xlsx
// (written with excelize's StreamWriter, as a big export would be) or as
// events.csv.
func eventsFolder(b *testing.B, n int, asXLSX bool) string {
	b.Helper()
	dir := minimalFolder(b)
	os.Remove(filepath.Join(dir, "events.csv"))
	types := []string{"meeting", "bilateral", "correspondence", "draft", "briefing"}
	if !asXLSX {
		var buf bytes.Buffer
		buf.WriteString("agreement_id,date,type,department,hours,note\n")
		for i := range n {
			fmt.Fprintf(&buf, "A1,%02d/01/2001,%s,DfES,%d.5,note %d\n", 1+i%28, types[i%5], i%8, i)
		}
		writeFile(b, filepath.Join(dir, "events.csv"), buf.String())
		return dir
	}
	f := excelize.NewFile()
	defer f.Close()
	f.SetSheetName("Sheet1", "Events")
	sw, err := f.NewStreamWriter("Events")
	if err != nil {
		b.Fatal(err)
	}
	sw.SetRow("A1", []any{"agreement_id", "date", "type", "department", "hours", "note"})
	for i := range n {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		// 36892 is 2001-01-01 in the 1900 date system.
		if err := sw.SetRow(cell, []any{"A1", 36892 + i%28, types[i%5], "DfES", float64(i%8) + 0.5, fmt.Sprintf("note %d", i)}); err != nil {
			b.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		b.Fatal(err)
	}
	if err := f.SaveAs(filepath.Join(dir, "timings.xlsx")); err != nil {
		b.Fatal(err)
	}
	return dir
}

func benchmarkReadEvents(b *testing.B, asXLSX bool) {
	const n = 100_000
	dir := eventsFolder(b, n, asXLSX)
	b.ResetTimer()
	for b.Loop() {
		data, err := Read(b.Context(), dir, Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(data.Events) != n {
			b.Fatalf("read %d events, want %d", len(data.Events), n)
		}
	}
	b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkReadEventsXLSX(b *testing.B) { benchmarkReadEvents(b, true) }
func BenchmarkReadEventsCSV(b *testing.B)  { benchmarkReadEvents(b, false) }

func FuzzScanSheetXML(f *testing.F) {
	for _, seed := range []string{
		`<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>agreement_id</t></is></c><c r="B1" t="s"><v>0</v></c></row><row><c><v>36843</v></c><c r="C2"/></row></sheetData></worksheet>`,
		`<x:worksheet xmlns:x="ns"><x:sheetData><x:row r="3"><x:c r="XFD3"><x:v>1</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
		`<worksheet><sheetData><row><c t="inlineStr"><is><r><t>a</t></r><rPh><t>b</t></rPh><r><t>&amp;c&#10;</t></r></is></c></row></sheetData></worksheet>`,
		`<worksheet><!-- c --><sheetData><row r="2"><c r="B2"><v><![CDATA[x]]></v></c></row><row r="1"/></sheetData></worksheet>`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		w := &streamBook{path: "f.xlsx", lim: fuzzLimits.withDefaults(), sstText: "label", sstEnds: []uint32{5}, sstRead: true, bud: newBudget(fuzzLimits)}
		tab, err := w.scanSheet(context.Background(), bytes.NewReader(b), &table{File: "f.xlsx", Sheet: "S", Serials: true})
		if err != nil {
			if _, ok := err.(*CellError); !ok {
				t.Fatalf("scanSheet error %T %v, want *CellError", err, err)
			}
			return
		}
		last := 0
		for _, r := range tab.Rows {
			if r.Num <= last || len(r.Cells) == 0 {
				t.Fatalf("row %d after row %d, %d cells", r.Num, last, len(r.Cells))
			}
			last = r.Num
			prev := 0
			for _, c := range r.Cells {
				if c.Col <= prev || c.Value == "" || !utf8.ValidString(c.Value) {
					t.Fatalf("row %d: cell %+v after column %d", r.Num, c, prev)
				}
				prev = c.Col
			}
		}
		decodeAny(tab)
	})
}

package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// A crafted workbook is written part by part straight into a deflated zip,
// so that a test holds only the compressed file (at most 10 MB) and not the
// hundreds of megabytes of XML it expands to.

const sheetNS = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"`

// craftedBook writes a codings workbook whose sheets are named sheets (the
// first is Codings) and whose parts' bodies are written by the functions in
// body (keyed by part name: "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml").
// A sheet without a body gets a valid header row.
func craftedBook(t testing.TB, sheets []string, body map[string]func(w *bufio.Writer)) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	put := func(name string, write func(w *bufio.Writer)) {
		fw, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w := bufio.NewWriterSize(fw, 64<<10)
		write(w)
		if err := w.Flush(); err != nil {
			t.Fatal(err)
		}
	}
	text := func(s string) func(w *bufio.Writer) { return func(w *bufio.Writer) { w.WriteString(s) } }
	var ct, wb, rels strings.Builder
	ct.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>`)
	wb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><workbook ` + sheetNS + `><sheets>`)
	rels.WriteString(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`)
	for i, name := range sheets {
		fmt.Fprintf(&ct, `<Override PartName="/xl/worksheets/sheet%d.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`, i+1)
		fmt.Fprintf(&wb, `<sheet name="%s" sheetId="%d" r:id="rId%d"/>`, name, i+1, i+1)
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet%d.xml"/>`, i+1, i+1)
	}
	if body["xl/sharedStrings.xml"] != nil {
		fmt.Fprintf(&rels, `<Relationship Id="rId%d" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>`, len(sheets)+1)
	}
	ct.WriteString(`</Types>`)
	wb.WriteString(`</sheets></workbook>`)
	rels.WriteString(`</Relationships>`)
	put("[Content_Types].xml", text(ct.String()))
	put("_rels/.rels", text(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`))
	put("xl/workbook.xml", text(wb.String()))
	put("xl/_rels/workbook.xml.rels", text(rels.String()))
	for i := range sheets {
		name := fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1)
		b := body[name]
		if b == nil {
			b = sheetBody(func(w *bufio.Writer) {
				w.WriteString(`<row r="1"><c r="A1" t="inlineStr"><is><t>interview_id</t></is></c><c r="B1" t="inlineStr"><is><t>wave</t></is></c><c r="C1" t="inlineStr"><is><t>group</t></is></c><c r="D1" t="inlineStr"><is><t>code</t></is></c></row>`)
			})
		}
		put(name, b)
	}
	if b := body["xl/sharedStrings.xml"]; b != nil {
		put("xl/sharedStrings.xml", b)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// sheetBody wraps rows written by rows in a worksheet.
func sheetBody(rows func(w *bufio.Writer)) func(w *bufio.Writer) {
	return func(w *bufio.Writer) {
		w.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet ` + sheetNS + `><sheetData>`)
		rows(w)
		w.WriteString(`</sheetData></worksheet>`)
	}
}

// uncompressed is the total decompressed size the zip's directory declares.
func uncompressed(t testing.TB, b []byte) uint64 {
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var n uint64
	for _, f := range zr.File {
		n += f.UncompressedSize64
	}
	return n
}

// varied writes count copies of common, replacing about one in every
// `every` with one of rare at random, so that the part compresses about as
// well as a real one (under the 200 to 1 ratio the reader refuses) while
// still being almost all the same markup.
func varied(w *bufio.Writer, count, every int, common string, rare ...string) {
	r := rand.New(rand.NewPCG(1, 2))
	for range count {
		if r.IntN(every) == 0 {
			w.WriteString(rare[r.IntN(len(rare))])
			continue
		}
		w.WriteString(common)
	}
}

// hostileShape is a crafted workbook of at most 10 MB that costs a naive
// reader seconds and gigabytes.
type hostileShape struct {
	name string
	book func(t testing.TB) []byte
	want string // in the first problem line; "" when the workbook must be read
}

// header is the header row of the codings sheet, as inline strings.
const header = `<row r="1"><c r="A1" t="inlineStr"><is><t>interview_id</t></is></c><c r="B1" t="inlineStr"><is><t>wave</t></is></c><c r="C1" t="inlineStr"><is><t>group</t></is></c><c r="D1" t="inlineStr"><is><t>code</t></is></c></row>`

func hostileShapes() []hostileShape {
	return []hostileShape{
		{"empty shared strings", func(t testing.TB) []byte {
			// About 50 million empty strings: 1.9 MB of zip.
			return craftedBook(t, []string{"Codings"}, map[string]func(*bufio.Writer){
				"xl/sharedStrings.xml": func(w *bufio.Writer) {
					w.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
					varied(w, 50_000_000, 40, `<si/>`, `<si></si>`, `<si><t/></si>`, `<si> </si>`)
					w.WriteString(`</sst>`)
				},
			})
		}, "more than 4000000 shared strings"},
		{"tiny cells", func(t testing.TB) []byte {
			// A million rows of 16 one-digit cells.
			return craftedBook(t, []string{"Codings"}, map[string]func(*bufio.Writer){
				"xl/worksheets/sheet1.xml": sheetBody(func(w *bufio.Writer) {
					w.WriteString(header)
					r := rand.New(rand.NewPCG(3, 4))
					for range 1_000_000 {
						w.WriteString("<row>")
						for range 16 {
							if r.IntN(8) == 0 {
								fmt.Fprintf(w, "<c><v>%d</v></c>", r.IntN(10))
							} else {
								w.WriteString("<c><v>1</v></c>")
							}
						}
						w.WriteString("</row>")
					}
				}),
			})
		}, "more than 6000000 filled cells"},
		{"long inline strings", func(t testing.TB) []byte {
			// 7,000 cells of 32,767 characters: 229 million characters.
			long := strings.Repeat("a", 32_767)
			return craftedBook(t, []string{"Codings"}, map[string]func(*bufio.Writer){
				"xl/worksheets/sheet1.xml": sheetBody(func(w *bufio.Writer) {
					w.WriteString(header)
					r := rand.New(rand.NewPCG(5, 6))
					for i := range 7_000 {
						b := []byte(long)
						for range 200 {
							b[r.IntN(len(b))] = byte('a' + r.IntN(26))
						}
						fmt.Fprintf(w, `<row r="%d"><c r="E%d" t="inlineStr"><is><t>%s</t></is></c></row>`, i+2, i+2, b)
					}
				}),
			})
		}, "more than 134217728 characters"},
		{"shared long string", func(t testing.TB) []byte {
			// One 32,767-character string referenced by a million cells in
			// an enumerated column: each reference costs its full length to
			// check, though it is stored once.
			long := strings.Repeat("ab", 16_383)
			return craftedBook(t, []string{"Codings"}, map[string]func(*bufio.Writer){
				"xl/sharedStrings.xml": func(w *bufio.Writer) {
					w.WriteString(`<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>` + long + `</t></si></sst>`)
				},
				"xl/worksheets/sheet1.xml": sheetBody(func(w *bufio.Writer) {
					w.WriteString(header)
					r := rand.New(rand.NewPCG(7, 8))
					for i := range 1_000_000 {
						fmt.Fprintf(w, `<row><c t="inlineStr"><is><t>I%d</t></is></c><c><v>%d</v></c><c t="s"><v>0</v></c><c t="s"><v>0</v></c></row>`, i, 1+r.IntN(2))
					}
				}),
			})
		}, "more than 134217728 characters"},
		{"long rows", func(t testing.TB) []byte {
			// 300 rows of 16,384 cells each: 4.9 million cells, under the limit.
			return craftedBook(t, []string{"Codings"}, map[string]func(*bufio.Writer){
				"xl/worksheets/sheet1.xml": sheetBody(func(w *bufio.Writer) {
					w.WriteString(header)
					r := rand.New(rand.NewPCG(9, 10))
					for range 300 {
						w.WriteString("<row>")
						for range 16_384 {
							fmt.Fprintf(w, "<c><v>%d</v></c>", r.IntN(100))
						}
						w.WriteString("</row>")
					}
				}),
			})
		}, ""},
		{"filler markup", func(t testing.TB) []byte {
			// 250 MB of elements the reader skips, before the cells: only
			// the bytes cost.
			return craftedBook(t, []string{"Codings"}, map[string]func(*bufio.Writer){
				"xl/worksheets/sheet1.xml": func(w *bufio.Writer) {
					w.WriteString(`<?xml version="1.0" encoding="UTF-8"?><worksheet ` + sheetNS + `><sheetViews>`)
					varied(w, 25_000_000, 30, `<x a="1"/>`, `<y/>`, `<x b="2"/>`, `<!-- -->`)
					w.WriteString(`</sheetViews><sheetData>` + header + `</sheetData></worksheet>`)
				},
			})
		}, ""},
		{"many sheets", func(t testing.TB) []byte {
			// 9,990 sheets, one of them Codings.
			names := make([]string, 9_990)
			for i := range names {
				names[i] = fmt.Sprintf("S%d", i)
			}
			names[0] = "Codings"
			return craftedBook(t, names, nil)
		}, ""},
	}
}

// measure reads dir and reports the problems and the bytes allocated.
func measure(t testing.TB, dir string) (Problems, uint64, uint64) {
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := Read(t.Context(), dir, Options{})
	runtime.ReadMemStats(&after)
	var p Problems
	if err != nil && !errors.As(err, &p) {
		t.Fatalf("Read = %v, want Problems or nil", err)
	}
	return p, after.TotalAlloc - before.TotalAlloc, after.Mallocs - before.Mallocs
}

// shapeFolder writes a data folder whose codings come as the given workbook.
func shapeFolder(t testing.TB, book []byte) string {
	t.Helper()
	dir := minimalFolder(t)
	if err := os.Remove(filepath.Join(dir, "codings.csv")); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "codings.xlsx"), book, 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// hostileAlloc bounds what reading one crafted workbook may allocate in
// all: well under the 300 MB a build may spend on a hostile file.
const hostileAlloc = 300 << 20

// Not parallel: the memory measure must see this test's allocations only.
func TestReadBoundsCraftedWorkbooks(t *testing.T) {
	if testing.Short() {
		t.Skip("writes crafted workbooks of hundreds of megabytes decompressed")
	}
	for _, sh := range hostileShapes() {
		t.Run(sh.name, func(t *testing.T) {
			book := sh.book(t)
			if len(book) > 10<<20 {
				t.Fatalf("crafted workbook is %d bytes, want at most 10 MB", len(book))
			}
			dir := shapeFolder(t, book)
			// The zip checks must let it through: the shape is about what
			// lies inside a workbook that looks acceptable.
			if err := preflight(filepath.Join(dir, "codings.xlsx"), Limits{}.withDefaults()); err != nil {
				t.Fatalf("preflight refused the shape, so it tests nothing: %v", err)
			}
			probs, alloc, _ := measure(t, dir)
			got := lines(probs)
			t.Logf("%d bytes of zip, %d decompressed; allocated %d MB; %.200q", len(book), uncompressed(t, book), alloc>>20, got)
			if sh.want == "" {
				if errors.Is(probs, ErrLimit) {
					t.Errorf("Read refused a workbook it should read: %v", probs)
				}
			} else if len(got) == 0 || !strings.Contains(got[0], sh.want) {
				t.Errorf("Read = %q, want a first problem containing %q", got, sh.want)
			}
			if alloc > hostileAlloc {
				t.Errorf("Read allocated %d MB, want at most %d MB", alloc>>20, hostileAlloc>>20)
			}
		})
	}
}

// BenchmarkHostile times the reading (or refusal) of each crafted shape.
func BenchmarkHostile(b *testing.B) {
	for _, sh := range hostileShapes() {
		dir := shapeFolder(b, sh.book(b))
		b.Run(strings.ReplaceAll(sh.name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Read(b.Context(), dir, Options{})
			}
		})
	}
}

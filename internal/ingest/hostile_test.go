package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The bounds a hostile workbook is held to: it is refused within 5 seconds and
// 300 MB of memory.
const (
	hostileTime  = 5 * time.Second
	hostileBytes = 300 << 20
)

// rewriteZip copies the zip at path, replacing the named entries' contents
// (or adding them) with the given bytes, deflated.
func rewriteZip(t testing.TB, path string, replace map[string][]byte) []byte {
	t.Helper()
	zr, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer zr.Close()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	done := map[string]bool{}
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if b, ok := replace[f.Name]; ok {
			w.Write(b)
			done[f.Name] = true
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, rc)
		rc.Close()
	}
	for name, b := range replace {
		if !done[name] {
			w, _ := zw.Create(name)
			w.Write(b)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// codingsBook writes a one-sheet codings workbook into dir and returns its path.
func codingsBook(t testing.TB, dir string) string {
	t.Helper()
	p := filepath.Join(dir, "codings.xlsx")
	writeBook(t, p, false, []string{"Codings"}, map[string][][]any{
		"Codings": {{"interview_id", "wave", "group", "code"}, {"I1", 1, "lga", "targets"}},
	})
	return p
}

// readBounded reads dir and reports the problems, the time taken and the
// bytes allocated meanwhile.
func readBounded(t *testing.T, dir string, opt Options) ([]string, time.Duration, uint64) {
	t.Helper()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := Read(t.Context(), dir, opt)
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	var p Problems
	if !errors.As(err, &p) {
		t.Fatalf("Read = %v, want Problems", err)
	}
	return lines(p), took, after.TotalAlloc - before.TotalAlloc
}

func hostileFolder(t *testing.T, book []byte) string {
	t.Helper()
	dir := minimalFolder(t)
	os.Remove(filepath.Join(dir, "codings.csv"))
	writeFile(t, filepath.Join(dir, "codings.xlsx"), string(book))
	return dir
}

// Not parallel: the memory measure must see this test's allocations only.
func TestReadRefusesHostileWorkbooks(t *testing.T) {
	src := codingsBook(t, t.TempDir())

	// A deflate bomb: 64 MiB of one repeated row compresses about 1000 to 1,
	// under the 256 MiB total, so only the ratio check stops it early.
	rowXML := []byte(`<row><c t="inlineStr"><is><t>x</t></is></c></row>`)
	bomb := bytes.Repeat(rowXML, (64<<20)/len(rowXML))
	sheet := append(append([]byte(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`), bomb...), "</sheetData></worksheet>"...)
	bombBook := rewriteZip(t, src, map[string][]byte{"xl/worksheets/sheet1.xml": sheet})
	sheet, bomb = nil, nil

	// Billion laughs: ten nested entities of ten references each.
	var dtd strings.Builder
	dtd.WriteString(`<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol0 "lol">`)
	for i := 1; i <= 9; i++ {
		dtd.WriteString(`<!ENTITY lol` + string(rune('0'+i)) + ` "` + strings.Repeat(`&lol`+string(rune('0'+i-1))+`;`, 10) + `">`)
	}
	dtd.WriteString(`]><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>`)
	entityBook := rewriteZip(t, src, map[string][]byte{"xl/worksheets/sheet1.xml": []byte(dtd.String())})

	// A sparse grid: one cell in column XFD on each of 8,192 rows, which
	// excelize's iterator builds as 16,384 cells a row.
	var sparse strings.Builder
	sparse.WriteString(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for i := 1; i <= 8192; i++ {
		fmt.Fprintf(&sparse, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, i, i)
	}
	sparse.WriteString(`</sheetData></worksheet>`)
	sparseBook := rewriteZip(t, src, map[string][]byte{"xl/worksheets/sheet1.xml": []byte(sparse.String())})

	tests := []struct {
		name string
		book []byte
		want string // in the problem line
	}{
		// The streaming reader keeps one cell a row and finds no header.
		{"sparse grid", sparseBook, "Codings row 1 (code): required column is missing"},
		{"zip bomb", bombBook, "is compressed more than 200 to 1"},
		{"entity expansion", entityBook, "declares a document type (DTD)"},
		{"declared huge part", declaredHuge(t, src), "would decompress to 16000000000 bytes"},
		{"overlapping entries", overlapping(t, src), "zip entries overlap"},
		{"duplicate entries", duplicated(t, src), `zip entry "xl/worksheets/sheet1.xml" appears twice`},
		{"climbing name", rewriteZip(t, src, map[string][]byte{"../../etc/evil.xml": []byte("<x/>")}), "points outside the workbook"},
		{"ods renamed", rewriteZip(t, src, map[string][]byte{"mimetype": []byte("application/vnd.oasis.opendocument.spreadsheet")}), "OpenDocument (.ods)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := hostileFolder(t, tt.book)
			got, took, alloc := readBounded(t, dir, Options{})
			if len(got) < 1 || !strings.Contains(got[0], tt.want) || !strings.HasPrefix(got[0], filepath.Join(dir, "codings.xlsx")+": ") {
				t.Errorf("Read = %q, want one problem about codings.xlsx containing %q", got, tt.want)
			}
			if took > hostileTime || alloc > hostileBytes {
				t.Errorf("Read took %v and allocated %d bytes, want under %v and %d", took, alloc, hostileTime, hostileBytes)
			}
		})
	}
}

// declaredHuge returns the workbook with an extra stored part whose zip
// directory declares 16 GB.
func declaredHuge(t *testing.T, src string) []byte {
	t.Helper()
	b := rewriteZip(t, src, nil)
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		w, _ := zw.CreateRaw(&f.FileHeader)
		r, _ := f.OpenRaw()
		io.Copy(w, r)
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/styles2.xml", Method: zip.Deflate, CompressedSize64: 5, UncompressedSize64: 16_000_000_000})
	if err != nil {
		t.Fatal(err)
	}
	w.Write([]byte{3, 0, 0, 0, 0})
	zw.Close()
	return buf.Bytes()
}

// centralDirectory splits a zip (without comment) into its body, central
// directory records and end record.
func centralDirectory(t *testing.T, b []byte) (body []byte, records [][]byte) {
	t.Helper()
	eocd := b[len(b)-22:]
	if binary.LittleEndian.Uint32(eocd) != 0x06054b50 {
		t.Fatal("zip has a comment or is zip64")
	}
	n := int(binary.LittleEndian.Uint16(eocd[10:]))
	off := int(binary.LittleEndian.Uint32(eocd[16:]))
	cd := b[off : len(b)-22]
	for range n {
		size := 46 + int(binary.LittleEndian.Uint16(cd[28:])) + int(binary.LittleEndian.Uint16(cd[30:])) + int(binary.LittleEndian.Uint16(cd[32:]))
		records = append(records, append([]byte(nil), cd[:size]...))
		cd = cd[size:]
	}
	return b[:off], records
}

func assemble(body []byte, records [][]byte) []byte {
	out := append([]byte(nil), body...)
	start := len(out)
	for _, r := range records {
		out = append(out, r...)
	}
	eocd := make([]byte, 22)
	binary.LittleEndian.PutUint32(eocd, 0x06054b50)
	binary.LittleEndian.PutUint16(eocd[8:], uint16(len(records)))
	binary.LittleEndian.PutUint16(eocd[10:], uint16(len(records)))
	binary.LittleEndian.PutUint32(eocd[12:], uint32(len(out)-start))
	binary.LittleEndian.PutUint32(eocd[16:], uint32(start))
	return append(out, eocd...)
}

// overlapping adds a second directory entry, of another name, that points at
// the sheet's data: the trick of overlapping-entry zip bombs.
func overlapping(t *testing.T, src string) []byte {
	t.Helper()
	body, recs := centralDirectory(t, rewriteZip(t, src, nil))
	for _, r := range recs {
		if name := string(r[46 : 46+int(binary.LittleEndian.Uint16(r[28:]))]); name == "xl/worksheets/sheet1.xml" {
			c := append([]byte(nil), r...)
			copy(c[46:], "xl/worksheets/sheet9.xml")
			recs = append(recs, c)
			break
		}
	}
	return assemble(body, recs)
}

// duplicated lists the sheet twice under the same name.
func duplicated(t *testing.T, src string) []byte {
	t.Helper()
	body, recs := centralDirectory(t, rewriteZip(t, src, nil))
	for _, r := range recs {
		if name := string(r[46 : 46+int(binary.LittleEndian.Uint16(r[28:]))]); name == "xl/worksheets/sheet1.xml" {
			recs = append(recs, r)
			break
		}
	}
	return assemble(body, recs)
}

func TestReadEnforcesRowColumnAndCellLimits(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 40)
	tests := []struct {
		name string
		xlsx bool
		rows [][]any
		lim  Limits
		want string
	}{
		{"csv rows", false, nil, Limits{MaxRows: 3}, "codings.csv:4: more than 3 rows, the limit"},
		{"xlsx rows", true, nil, Limits{MaxRows: 3}, "codings.xlsx: Codings row 4: more than 3 rows, the limit"},
		{"csv cell", false, [][]any{{"I9", 1, "lga", long}}, Limits{MaxCellChars: 39}, "codings.csv:6: cell is longer than 39 characters, the limit; check for a quote that is not closed"},
		{"xlsx cell", true, [][]any{{"I9", 1, "lga", long}}, Limits{MaxCellChars: 39}, "codings.xlsx: Codings!D6: cell is longer than 39 characters, the limit"},
		{"xlsx columns", true, [][]any{{"I9", 1, "lga", "x", "y", "z"}}, Limits{MaxColumns: 5}, "codings.xlsx: Codings row 6: more than 5 columns, the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := minimalFolder(t)
			rows := [][]any{{"interview_id", "wave", "group", "code"}, {"I1", 1, "lga", "a"}, {"I2", 1, "lga", "a"}, {"I3", 1, "lga", "a"}, {"I4", 1, "lga", "a"}}
			rows = append(rows, tt.rows...)
			if tt.xlsx {
				os.Remove(filepath.Join(dir, "codings.csv"))
				writeBook(t, filepath.Join(dir, "codings.xlsx"), false, []string{"Codings"}, map[string][][]any{"Codings": rows})
			} else {
				var b strings.Builder
				for _, r := range rows {
					for i, c := range r {
						if i > 0 {
							b.WriteByte(',')
						}
						b.WriteString(fmtAny(c))
					}
					b.WriteByte('\n')
				}
				writeFile(t, filepath.Join(dir, "codings.csv"), b.String())
			}
			_, err := Read(t.Context(), dir, Options{Limits: tt.lim})
			var p Problems
			if !errors.As(err, &p) || len(p) != 1 || p[0].Error() != filepath.Join(dir, tt.want) || !errors.Is(err, ErrLimit) {
				t.Errorf("Read = %v, want %s", err, filepath.Join(dir, tt.want))
			}
		})
	}
}

func fmtAny(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return string(rune('0' + v))
	}
	return ""
}

func TestReadRefusesMalformedSheet(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := codingsBook(t, dir)
	// A sheet declaring rows 1 to 4 whose XML breaks inside row 3.
	sheet := `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="A1:D4"/><sheetData>` +
		`<row r="1"><c r="A1" t="inlineStr"><is><t>interview_id</t></is></c><c r="B1" t="inlineStr"><is><t>wave</t></is></c><c r="C1" t="inlineStr"><is><t>group</t></is></c><c r="D1" t="inlineStr"><is><t>code</t></is></c></row>` +
		`<row r="2"><c r="A2" t="inlineStr"><is><t>I1</t></is></c><c r="B2"><v>1</v></c><c r="C2" t="inlineStr"><is><t>lga</t></is></c><c r="D2" t="inlineStr"><is><t>x</t></is></c></row>` +
		`<row r="3"><c r="A3" <<< broken` +
		`<row r="4"><c r="A4" t="inlineStr"><is><t>I2</t></is></c></row></sheetData></worksheet>`
	book := rewriteZip(t, src, map[string][]byte{"xl/worksheets/sheet1.xml": []byte(sheet)})
	dir = hostileFolder(t, book)
	p := filepath.Join(dir, "codings.xlsx")

	// Read (the streaming reader) refuses the sheet.
	_, err := Read(t.Context(), dir, Options{})
	want := []string{p + ": Codings: sheet cannot be read (XML syntax error on line 1: expected attribute name in element): open the workbook in your spreadsheet program and save it again"}
	var probs Problems
	if !errors.As(err, &probs) {
		t.Fatalf("Read = %v, want Problems", err)
	}
	if diff := cmp.Diff(want, lines(probs)); diff != "" {
		t.Errorf("Read problems (-want +got):\n%s", diff)
	}

	// excelize's iterator yields row 3 empty and stops without an error;
	// the declared dimension makes it a warning at least.
	w, err := openWorkbook(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	tab, err := w.ReadSheet(t.Context(), "Codings")
	if err != nil {
		t.Fatalf("excelize ReadSheet = %v", err)
	}
	wantWarn := []string{p + ": Codings row 4: sheet declares rows up to 4 but could be read only to row 3: the file may be damaged; open it in your spreadsheet program and save it again"}
	if diff := cmp.Diff(wantWarn, lines(tab.Warnings)); diff != "" {
		t.Errorf("excelize warnings (-want +got):\n%s", diff)
	}
}

func TestExcelizeReaderBoundsSparseGrid(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	src := codingsBook(t, dir)
	var sparse strings.Builder
	sparse.WriteString(`<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)
	for i := 1; i <= 8192; i++ {
		fmt.Fprintf(&sparse, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, i, i)
	}
	sparse.WriteString(`</sheetData></worksheet>`)
	p := filepath.Join(dir, "sparse.xlsx")
	writeFile(t, p, string(rewriteZip(t, src, map[string][]byte{"xl/worksheets/sheet1.xml": []byte(sparse.String())})))
	w, err := openWorkbook(p, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	_, err = w.ReadSheet(t.Context(), "Codings")
	// 4,194,304 / 16,384 = 256 rows fit; row 257 crosses the limit.
	want := p + ": Codings row 257: rows span more than 4194304 cells (counting empty cells), the limit: delete the unused columns and rows"
	if err == nil || err.Error() != want {
		t.Errorf("ReadSheet(sparse) = %v, want %s", err, want)
	}
}

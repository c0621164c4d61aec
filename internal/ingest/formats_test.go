package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// strictCorpus is the folder of real Strict OOXML workbooks beside the
// repository (see ../shared/corpus/README.md), from this package's folder.
const strictCorpus = "../../../shared/corpus/strict-ooxml"

// TestReadStrictOOXMLWorkbooks reads every sheet of the Strict OOXML
// workbooks written by Apache POI, calamine and SheetJS, and wants the cells
// excelize reads from them; and reads one as a data set through Read.
func TestReadStrictOOXMLWorkbooks(t *testing.T) {
	t.Parallel()
	files, _ := filepath.Glob(filepath.Join(strictCorpus, "*.xlsx"))
	if len(files) == 0 {
		if os.Getenv("CI") == "true" {
			t.Fatalf("no workbooks in %s: the corpus must be there in CI", strictCorpus)
		}
		t.Skipf("no workbooks in %s", strictCorpus)
	}
	if len(files) != 6 {
		t.Errorf("%d workbooks in %s, want 6", len(files), strictCorpus)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			t.Parallel()
			sb, err := openStreamBook(f, Limits{})
			if err != nil {
				t.Fatalf("openStreamBook = %v", err)
			}
			defer sb.Close()
			xb, err := openWorkbook(f, Limits{})
			if err != nil {
				t.Fatalf("excelize = %v", err)
			}
			defer xb.Close()
			if diff := cmp.Diff(xb.SheetNames(), sb.SheetNames()); diff != "" {
				t.Errorf("sheet names (-excelize +stream):\n%s", diff)
			}
			cells := 0
			for _, name := range sb.SheetNames() {
				got, err := sb.ReadSheet(t.Context(), name)
				if err != nil {
					t.Fatalf("ReadSheet(%q) = %v", name, err)
				}
				want, err := xb.ReadSheet(t.Context(), name)
				if err != nil {
					t.Fatalf("excelize ReadSheet(%q) = %v", name, err)
				}
				if diff := cmp.Diff(want.Rows, got.Rows, cmp.AllowUnexported(row{}, cell{})); diff != "" {
					t.Errorf("sheet %q (-excelize +stream):\n%s", name, diff)
				}
				for _, r := range got.Rows {
					cells += len(r.Cells)
				}
			}
			if cells == 0 {
				t.Error("no cell read from any sheet")
			}
		})
	}

	// Through Read: a one-sheet Strict workbook as the codings, whose
	// header is not evalsite's, gets the problems of its content, not a
	// complaint that the workbook cannot be read.
	dir := minimalFolder(t)
	os.Remove(filepath.Join(dir, "codings.csv"))
	b, err := os.ReadFile(filepath.Join(strictCorpus, "apache-poi--57914.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, filepath.Join(dir, "codings.xlsx"), string(b))
	_, err = Read(t.Context(), dir, Options{})
	var p Problems
	if !errors.As(err, &p) || len(p) == 0 {
		t.Fatalf("Read = %v, want problems with the header", err)
	}
	for _, e := range p {
		if !errors.Is(e, ErrMissingColumn) || e.Sheet != "test_excel_2013" {
			t.Errorf("Read problem %v, want only missing columns of sheet test_excel_2013", e)
		}
	}
}

// TestReadLegacyEncodedParts reads a workbook whose parts declare
// windows-1252: the sheet name, a shared string and an inline string hold
// bytes that are not UTF-8 ("\xE9" is é, "\x80" is the euro sign).
func TestReadLegacyEncodedParts(t *testing.T) {
	t.Parallel()
	decl := `<?xml version="1.0" encoding="windows-1252"?>`
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range map[string]string{
		"[Content_Types].xml":        `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`,
		"xl/workbook.xml":            decl + `<workbook ` + sheetNS + `><sheets><sheet name="Cod` + "\xE9" + `" sheetId="1" r:id="rId1"/></sheets></workbook>`,
		"xl/_rels/workbook.xml.rels": decl + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
		"xl/sharedStrings.xml":       decl + `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>caf` + "\xE9" + `</t></si></sst>`,
		"xl/worksheets/sheet1.xml":   decl + `<worksheet ` + sheetNS + `><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>` + "\x80" + `5</t></is></c></row></sheetData></worksheet>`,
	} {
		w, _ := zw.Create(name)
		w.Write([]byte(body))
	}
	zw.Close()
	p := filepath.Join(t.TempDir(), "legacy.xlsx")
	writeFile(t, p, buf.String())
	w, err := openStreamBook(p, Limits{})
	if err != nil {
		t.Fatalf("openStreamBook = %v", err)
	}
	defer w.Close()
	if diff := cmp.Diff([]string{"Codé"}, w.SheetNames()); diff != "" {
		t.Errorf("sheet names (-want +got):\n%s", diff)
	}
	tab, err := w.ReadSheet(t.Context(), "Codé")
	if err != nil {
		t.Fatalf("ReadSheet = %v", err)
	}
	want := []row{{Num: 1, Cells: []cell{{Col: 1, Value: "café"}, {Col: 2, Value: "€5"}}}}
	if diff := cmp.Diff(want, tab.Rows, cmp.AllowUnexported(row{}, cell{})); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}

	// An encoding nobody knows is named.
	if _, err := utf8Reader(strings.NewReader(`<?xml version="1.0" encoding="x-martian"?><a/>`)); err == nil || !strings.Contains(err.Error(), `unknown encoding "x-martian"`) {
		t.Errorf("utf8Reader(x-martian) = %v, want the encoding named", err)
	}
}

// badChecksum returns the crafted codings workbook with the named part's
// CRC-32 changed, its data intact.
func badChecksum(t *testing.T, book []byte, part string) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(book), int64(len(book)))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range zr.File {
		h := f.FileHeader
		if f.Name == part {
			h.CRC32 ^= 0xFFFF
		}
		w, err := zw.CreateRaw(&h)
		if err != nil {
			t.Fatal(err)
		}
		r, _ := f.OpenRaw()
		io.Copy(w, r)
	}
	zw.Close()
	return buf.Bytes()
}

// TestReadSaysADamagedZipIsDamaged wants a workbook whose zip checksums do
// not match, in a small part and in a sheet, refused with what to do.
func TestReadSaysADamagedZipIsDamaged(t *testing.T) {
	t.Parallel()
	// A sheet of over 64 KiB, so that only reading it finds the damage.
	book := craftedBook(t, []string{"Codings"}, map[string]func(*bufio.Writer){
		"xl/worksheets/sheet1.xml": sheetBody(func(w *bufio.Writer) {
			w.WriteString(header)
			for i := range 5000 {
				fmt.Fprintf(w, `<row><c t="inlineStr"><is><t>I%d</t></is></c><c><v>1</v></c><c t="inlineStr"><is><t>lga</t></is></c><c t="inlineStr"><is><t>x</t></is></c></row>`, i)
			}
		}),
	})
	for _, part := range []string{"xl/workbook.xml", "xl/worksheets/sheet1.xml"} {
		t.Run(part, func(t *testing.T) {
			t.Parallel()
			dir := shapeFolder(t, badChecksum(t, book, part))
			_, err := Read(t.Context(), dir, Options{})
			want := filepath.Join(dir, "codings.xlsx") + ": the file is damaged (zip: checksum error): open it in your spreadsheet program and save a copy"
			var p Problems
			if !errors.As(err, &p) || len(p) != 1 || p[0].Error() != want {
				t.Errorf("Read = %v, want %s", err, want)
			}
		})
	}
	var corrupt flate.CorruptInputError = 7
	if zipDamage("x.xlsx", fmt.Errorf("reading: %w", corrupt)) == nil {
		t.Error("zipDamage does not know corrupt deflate data")
	}
}

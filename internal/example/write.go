package example

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"encoding/csv"
	"errors"
	"fmt"
	"hash"
	"hash/crc32"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/evalsite/evalsite/internal/ingest"
)

// Format is the kind of input files Write produces.
type Format string

// The formats ingest reads.
const (
	XLSX Format = "xlsx" // three workbooks
	CSV  Format = "csv"  // five CSV files
)

// Write writes d into dir as the input files ingest reads: for XLSX,
// agreements.xlsx (sheets Agreements, Freedoms), timings.xlsx (Events) and
// codings.xlsx (Codings, Codebook); for CSV, the five CSV files. A nil
// Codebook is left out. Headers are the canonical column names of
// ingest.Schemas, in schema order, on the first row; dates are Excel date
// cells with a yyyy-mm-dd format in workbooks and ISO text in CSV files.
// The same data always gives the same bytes: the workbooks' created and
// modified properties are the latest date in the data.
//
// Each file is written aside and renamed into place. Write refuses to write
// into a folder that already holds input files of the other format, since
// the two together are an error to ingest.
func Write(dir string, d *ingest.Data, format Format) error {
	if format != XLSX && format != CSV {
		return fmt.Errorf("write example: unknown format %q (want xlsx or csv)", format)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write example: %w", err)
	}
	tables := tablesOf(d)
	for _, t := range tables {
		other := t.schema.CSV
		if format == CSV {
			other = t.schema.Workbook
		}
		if _, err := os.Stat(filepath.Join(dir, other)); err == nil {
			return fmt.Errorf("write example: %s already holds %s; remove it or write to another folder", dir, other)
		}
	}
	if format == CSV {
		for _, t := range tables {
			if err := writeFile(filepath.Join(dir, t.schema.CSV), func(w io.Writer) error {
				return writeCSV(w, t)
			}); err != nil {
				return err
			}
		}
		return nil
	}
	var books []string
	byBook := map[string][]table{}
	for _, t := range tables {
		if _, ok := byBook[t.schema.Workbook]; !ok {
			books = append(books, t.schema.Workbook)
		}
		byBook[t.schema.Workbook] = append(byBook[t.schema.Workbook], t)
	}
	stamp := latestDate(d)
	for _, book := range books {
		if err := writeFile(filepath.Join(dir, book), func(w io.Writer) error {
			return writeWorkbook(w, byBook[book], stamp)
		}); err != nil {
			return err
		}
	}
	return nil
}

// Files lists the names of the files Write writes for d in format, so that
// a caller can see which already exist before anything is replaced.
func Files(d *ingest.Data, format Format) []string {
	var names []string
	for _, t := range tablesOf(d) {
		name := t.schema.CSV
		if format == XLSX {
			name = t.schema.Workbook
		}
		if !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	return names
}

// writeFile writes path through a temporary file in the same folder, renamed
// into place when complete.
func writeFile(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			_ = tmp.Close()
			_ = os.Remove(tmp.Name())
		}
	}()
	if err := write(tmp); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// table is one dataset ready to write: its schema and a function that fills
// a row of values as ingest.Column.Value gives them (nil for a blank).
type table struct {
	schema ingest.Schema
	rows   int
	row    func(i int, dst []any)
}

// tablesOf returns the datasets of d in schema order, leaving out a nil
// codebook. Every column is written as the schema reads it from a record.
func tablesOf(d *ingest.Data) []table {
	var out []table
	for _, s := range ingest.Schemas() {
		t := table{schema: s}
		var rec func(i int) any
		switch s.Name {
		case "agreements":
			t.rows, rec = len(d.Agreements), func(i int) any { return &d.Agreements[i] }
		case "freedoms":
			t.rows, rec = len(d.Freedoms), func(i int) any { return &d.Freedoms[i] }
		case "events":
			t.rows, rec = len(d.Events), func(i int) any { return &d.Events[i] }
		case "codings":
			t.rows, rec = len(d.Codings), func(i int) any { return &d.Codings[i] }
		case "codebook":
			if d.Codebook == nil {
				continue
			}
			t.rows, rec = len(d.Codebook), func(i int) any { return &d.Codebook[i] }
		default:
			continue // a dataset this version does not generate
		}
		t.row = func(i int, dst []any) {
			r := rec(i)
			for j, c := range s.Columns {
				dst[j] = cell(c, c.Value(r))
			}
		}
		out = append(out, t)
	}
	return out
}

// cell is how a person would have typed a value: yes or no for a YesNo
// column, and a number for an enumerated value that is a whole number (a
// wave of 1), as a spreadsheet keeps a choice of 1 from its drop-down list.
func cell(c ingest.Column, v any) any {
	switch v := v.(type) {
	case bool:
		if v {
			return "yes"
		}
		return "no"
	case string:
		if c.Kind == ingest.Enum {
			if n, err := strconv.Atoi(v); err == nil {
				return n
			}
		}
	}
	return v
}

// writeCSV writes t as UTF-8 CSV without a BOM.
func writeCSV(w io.Writer, t table) error {
	cw := csv.NewWriter(w)
	// The illustrative mark: a title row the reader skips above the header.
	if err := cw.Write([]string{ingest.IllustrativeTitle}); err != nil {
		return err
	}
	cols := t.schema.Columns
	rec := make([]string, len(cols))
	for i, c := range cols {
		rec[i] = c.Name
	}
	if err := cw.Write(rec); err != nil {
		return err
	}
	vals := make([]any, len(cols))
	for i := range t.rows {
		t.row(i, vals)
		for j, v := range vals {
			rec[j] = csvText(v)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func csvText(v any) string {
	switch v := v.(type) {
	case string:
		return v
	case int:
		return strconv.Itoa(v)
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case time.Time:
		return v.Format(time.DateOnly)
	}
	return ""
}

// writeWorkbook writes the tables as the sheets of one workbook, each
// through excelize's StreamWriter so that memory stays flat.
func writeWorkbook(w io.Writer, tables []table, stamp time.Time) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return &sortedZip{w: w} })
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, t := range tables {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", t.schema.Sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(t.schema.Sheet); err != nil {
			return err
		}
		if err := writeSheet(f, t, headStyle, dateStyle); err != nil {
			return fmt.Errorf("sheet %s: %w", t.schema.Sheet, err)
		}
	}
	ts := stamp.Format("2006-01-02T15:04:05Z")
	if err := f.SetDocProps(&excelize.DocProperties{
		Title:          "Pilot Local Public Service Agreements 2000-01: synthetic example data",
		Subject:        "Illustrative data for evalsite; not the real results of the pilot",
		Keywords:       "illustrative; synthetic",
		Creator:        "evalsite example generator",
		LastModifiedBy: "evalsite example generator",
		Created:        ts,
		Modified:       ts,
		Language:       "en-GB",
	}); err != nil {
		return err
	}
	return f.Write(w)
}

func writeSheet(f *excelize.File, t table, headStyle, dateStyle int) error {
	sw, err := f.NewStreamWriter(t.schema.Sheet)
	if err != nil {
		return err
	}
	cols := t.schema.Columns
	for i, c := range cols {
		width := 14.0
		switch {
		case c.Kind == ingest.Text && (c.Name == "request" || c.Name == "note" || c.Name == "excerpt" || c.Name == "description"):
			width = 60
		case c.Kind == ingest.Text:
			width = 22
		}
		if err := sw.SetColWidth(i+1, i+1, width); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{
		Freeze: true, YSplit: 2, TopLeftCell: "A3", ActivePane: "bottomLeft",
	}); err != nil {
		return err
	}
	// The illustrative mark: a title row the reader skips above the header.
	if err := sw.SetRow("A1", []any{excelize.Cell{StyleID: headStyle, Value: ingest.IllustrativeTitle}}); err != nil {
		return err
	}
	row := make([]any, len(cols))
	for i, c := range cols {
		row[i] = excelize.Cell{StyleID: headStyle, Value: c.Name}
	}
	if err := sw.SetRow("A2", row); err != nil {
		return err
	}
	vals := make([]any, len(cols))
	for i := range t.rows {
		t.row(i, vals)
		for j, v := range vals {
			if tm, ok := v.(time.Time); ok {
				if n, ok := ingest.ExcelSerial(tm); ok {
					v = excelize.Cell{StyleID: dateStyle, Value: int(n)}
				} else {
					v = tm.Format(time.DateOnly)
				}
			}
			row[j] = v
		}
		cell, err := excelize.CoordinatesToCellName(1, i+3)
		if err != nil {
			return err
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

// latestDate returns the latest date anywhere in d, or the end of fieldwork
// when d holds no dates.
func latestDate(d *ingest.Data) time.Time {
	if latest := d.LatestDate(); !latest.IsZero() {
		return latest.UTC()
	}
	return fieldworkEnd
}

// sortedZip is an excelize.ZipWriter that writes its entries in name order.
// Excelize writes the parts of stream writers in map order, which differs
// from run to run; sorting them makes the same workbook the same bytes.
// Entries are compressed as they come and held in memory until Close.
type sortedZip struct {
	w       io.Writer
	entries []*zipEntry
}

type zipEntry struct {
	name string
	buf  bytes.Buffer
	fw   *flate.Writer
	crc  hash.Hash32
	size uint64
}

func (e *zipEntry) Write(p []byte) (int, error) {
	e.crc.Write(p)
	e.size += uint64(len(p))
	return e.fw.Write(p)
}

// Create starts an entry.
func (z *sortedZip) Create(name string) (io.Writer, error) {
	e := &zipEntry{name: name, crc: crc32.NewIEEE()}
	fw, err := flate.NewWriter(&e.buf, flate.BestSpeed)
	if err != nil {
		return nil, err
	}
	e.fw = fw
	z.entries = append(z.entries, e)
	return e, nil
}

// AddFS is not needed to write workbooks.
func (z *sortedZip) AddFS(fs.FS) error {
	return errors.New("sorted zip: AddFS is not supported")
}

// Close writes the entries in name order and the zip's central directory.
func (z *sortedZip) Close() error {
	for _, e := range z.entries {
		if err := e.fw.Close(); err != nil {
			return err
		}
	}
	slices.SortStableFunc(z.entries, func(a, b *zipEntry) int {
		switch {
		case a.name < b.name:
			return -1
		case a.name > b.name:
			return 1
		}
		return 0
	})
	zw := zip.NewWriter(z.w)
	for _, e := range z.entries {
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name:               e.name,
			Method:             zip.Deflate,
			CRC32:              e.crc.Sum32(),
			CompressedSize64:   uint64(e.buf.Len()),
			UncompressedSize64: e.size,
		})
		if err != nil {
			return err
		}
		if _, err := w.Write(e.buf.Bytes()); err != nil {
			return err
		}
	}
	return zw.Close()
}

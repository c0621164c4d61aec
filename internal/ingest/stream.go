package ingest

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// streamBook reads sheets straight from the sheet XML with encoding/xml,
// keeping only non-empty cells. Unlike excelize's row iterator it reports
// malformed XML instead of stopping early, costs nothing for empty columns,
// and reads several times faster. It must be given a zip that checkZip
// accepted.
type streamBook struct {
	zr       *zip.Reader
	closer   io.Closer
	path     string
	lim      Limits
	date1904 bool
	sheets   []string          // names in workbook order
	parts    map[string]string // sheet name -> zip entry name
	sstText  string            // shared strings, one after another
	sstEnds  []uint32          // where each shared string ends in sstText
	sstRead  bool
	bud      *budget           // what the whole Read may still take in
	interned map[string]string // short values seen, so repeats share one string
}

// openStreamBook opens an XLSX workbook for streamBook reading, once
// preflight has found it safe. Every refusal is a *CellError about the
// whole file.
func openStreamBook(p string, lim Limits) (workbook, error) {
	lim = lim.withDefaults()
	if err := preflight(p, lim); err != nil {
		return nil, err
	}
	zc, err := zip.OpenReader(p)
	if err != nil {
		return nil, fileError(p, "workbook is damaged (%v): open it in your spreadsheet program and save it again", err)
	}
	w := &streamBook{zr: &zc.Reader, closer: zc, path: p, lim: lim, parts: map[string]string{}, bud: newBudget(lim)}
	if err := w.readWorkbook(); err != nil {
		zc.Close()
		if ce := zipDamage(p, err); ce != nil {
			return nil, ce
		}
		return nil, fileError(p, "workbook cannot be read (%v): open it in your spreadsheet program and save it again", err)
	}
	return w, nil
}

func (w *streamBook) SheetNames() []string { return w.sheets }

func (w *streamBook) Close() error { return w.closer.Close() }

// entry finds a zip entry by name, ignoring case and a leading "/".
func (w *streamBook) entry(name string) *zip.File {
	name = strings.TrimPrefix(name, "/")
	for _, e := range w.zr.File {
		if strings.EqualFold(strings.ReplaceAll(e.Name, "\\", "/"), name) {
			return e
		}
	}
	return nil
}

// readWorkbook reads the sheet names, their parts, and the date system.
func (w *streamBook) readWorkbook() error {
	type rel struct {
		ID     string `xml:"Id,attr"`
		Type   string `xml:"Type,attr"`
		Target string `xml:"Target,attr"`
	}
	var rels struct {
		Rels []rel `xml:"Relationship"`
	}
	if err := w.decodePart("xl/_rels/workbook.xml.rels", &rels); err != nil {
		return err
	}
	target := map[string]string{}
	for _, r := range rels.Rels {
		t := r.Target
		if !strings.HasPrefix(t, "/") {
			t = path.Join("xl", t)
		}
		target[r.ID] = strings.TrimPrefix(t, "/")
		if strings.HasSuffix(r.Type, "/sharedStrings") {
			target["#sst"] = target[r.ID]
		}
	}
	var wb struct {
		Pr *struct {
			Date1904 string `xml:"date1904,attr"`
		} `xml:"workbookPr"`
		Sheets []struct {
			Name  string     `xml:"name,attr"`
			Attrs []xml.Attr `xml:",any,attr"`
		} `xml:"sheets>sheet"`
	}
	if err := w.decodePart("xl/workbook.xml", &wb); err != nil {
		return err
	}
	if wb.Pr != nil {
		w.date1904 = wb.Pr.Date1904 == "1" || strings.EqualFold(wb.Pr.Date1904, "true")
	}
	for _, s := range wb.Sheets {
		w.sheets = append(w.sheets, s.Name)
		w.parts[s.Name] = target[relID(s.Attrs)]
	}
	w.parts["#sst"] = target["#sst"]
	return nil
}

// relID returns a sheet's relationship id: its attribute id in the
// relationships namespace of transitional OOXML or of Strict OOXML
// (http://purl.oclc.org/ooxml/officeDocument/relationships), which Excel
// writes when a workbook is saved as "Strict Open XML Spreadsheet".
func relID(attrs []xml.Attr) string {
	for _, a := range attrs {
		if a.Name.Local == "id" && (a.Name.Space == relsTransitional || a.Name.Space == relsStrict) {
			return a.Value
		}
	}
	return ""
}

const (
	relsTransitional = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	relsStrict       = "http://purl.oclc.org/ooxml/officeDocument/relationships"
)

func (w *streamBook) decodePart(name string, v any) error {
	e := w.entry(name)
	if e == nil {
		return fmt.Errorf("no part %s", name)
	}
	rc, err := e.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	d := xml.NewDecoder(io.LimitReader(rc, w.lim.MaxPartBytes))
	d.CharsetReader = charsetReader
	if err := d.Decode(v); err != nil {
		return fmt.Errorf("part %s: %w", name, err)
	}
	return nil
}

// readSharedStrings reads the shared string table once, with the sheet
// scanner: encoding/xml allocates for every token, and a table of tens of
// millions of empty strings took it half a minute. The strings are kept as
// one text and the offsets where each ends, four bytes a string, and their
// count and total length are bounded.
func (w *streamBook) readSharedStrings() error {
	if w.sstRead {
		return nil
	}
	w.sstRead = true
	name := w.parts["#sst"]
	if name == "" {
		return nil
	}
	e := w.entry(name)
	if e == nil {
		return nil
	}
	rc, err := e.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	r, err := utf8Reader(rc)
	if err != nil {
		return fmt.Errorf("shared strings: %w", err)
	}
	sc := newXMLScanner(r)
	var (
		all        strings.Builder
		si         []byte
		depthRPh   int
		inT, inSI  bool
		maxText    = 4 * w.lim.MaxCellChars
		maxStrings = w.lim.MaxSharedStrings
		maxChars   = min(w.lim.MaxChars, math.MaxUint32) // offsets are uint32
		ends       []uint32
	)
	for {
		if inT {
			sc.text = sc.text[:0]
		}
		kind, err := sc.next(inT, maxText)
		if errors.Is(err, errTextTooLong) {
			return &CellError{File: w.path, Err: problem(ErrLimit,
				"shared string %d is longer than %d characters, the limit for a cell", len(ends)+1, w.lim.MaxCellChars)}
		}
		if err != nil {
			return fmt.Errorf("shared strings: %w", err)
		}
		switch kind {
		case tokEOF:
			w.sstText, w.sstEnds = all.String(), ends
			return nil
		case tokStart:
			switch string(sc.name) {
			case "si":
				inSI, si = true, si[:0]
				if len(ends) >= maxStrings {
					return &CellError{File: w.path, Err: problem(ErrLimit,
						"the workbook holds more than %d shared strings (the texts its cells share), the limit: it may be damaged or written by another program; open it in your spreadsheet program and save a copy", maxStrings)}
				}
				if sc.self {
					ends = append(ends, uint32(all.Len()))
					inSI = false
				}
			case "rPh":
				if !sc.self {
					depthRPh++
				}
			case "t":
				inT = inSI && depthRPh == 0 && !sc.self
			}
		case tokEnd:
			switch string(sc.name) {
			case "si":
				if inSI {
					if all.Len()+len(si) > maxChars {
						return &CellError{File: w.path, Err: problem(ErrLimit,
							"the workbook's shared strings hold more than %d characters, the limit: it may be damaged or written by another program; open it in your spreadsheet program and save a copy", maxChars)}
					}
					all.WriteString(unescapeOOXML(string(si)))
					ends = append(ends, uint32(all.Len()))
				}
				inSI = false
			case "rPh":
				depthRPh--
			case "t":
				if inT {
					if len(si)+len(sc.text) > maxText {
						return &CellError{File: w.path, Err: problem(ErrLimit,
							"shared string %d is longer than %d characters, the limit for a cell", len(ends)+1, w.lim.MaxCellChars)}
					}
					si = append(si, sc.text...)
				}
				inT = false
			}
		}
	}
}

// sharedString returns shared string i.
func (w *streamBook) sharedString(i int) (string, bool) {
	if i < 0 || i >= len(w.sstEnds) {
		return "", false
	}
	start := uint32(0)
	if i > 0 {
		start = w.sstEnds[i-1]
	}
	return w.sstText[start:w.sstEnds[i]], true
}

// unescapeOOXML decodes the _xHHHH_ escapes OOXML uses for characters XML
// cannot hold ("_x000D_" is a carriage return, "_x005F_" an underscore).
func unescapeOOXML(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		if i+7 <= len(s) && s[i] == '_' && s[i+1] == 'x' && s[i+6] == '_' {
			if v, err := strconv.ParseUint(s[i+2:i+6], 16, 16); err == nil {
				b.WriteRune(rune(v))
				i += 7
				continue
			}
		}
		b.WriteByte(s[i])
		i++
	}
	return b.String()
}

func (w *streamBook) ReadSheet(ctx context.Context, name string) (*table, error) {
	t := &table{File: w.path, Sheet: name, Serials: true, Date1904: w.date1904}
	damaged := func(err error) error {
		if ce := zipDamage(w.path, err); ce != nil {
			return ce
		}
		return &CellError{File: w.path, Sheet: name, Err: problem(ErrFile,
			"sheet cannot be read (%v): open the workbook in your spreadsheet program and save it again", err)}
	}
	e := w.entry(w.parts[name])
	if e == nil {
		return nil, damaged(errors.New("its part is missing"))
	}
	if err := w.readSharedStrings(); err != nil {
		var ce *CellError
		if errors.As(err, &ce) {
			return nil, ce
		}
		return nil, damaged(err)
	}
	rc, err := e.Open()
	if err != nil {
		return nil, damaged(err)
	}
	defer rc.Close()
	r, err := utf8Reader(rc)
	if err != nil {
		return nil, damaged(err)
	}
	return w.scanSheet(ctx, r, t)
}

// scanSheet reads the rows of one sheet's XML into t.
func (w *streamBook) scanSheet(ctx context.Context, r io.Reader, t *table) (*table, error) {
	name := t.Sheet
	damaged := func(err error) error {
		if ce := zipDamage(w.path, err); ce != nil {
			return ce
		}
		return &CellError{File: w.path, Sheet: name, Err: problem(ErrFile,
			"sheet cannot be read (%v): open the workbook in your spreadsheet program and save it again", err)}
	}
	sc := newXMLScanner(r)
	var (
		rowNum, col    int
		cells          []cell
		typ            string
		v, is          []byte
		inV, inIS, inT bool
		depthRPh       int
		inRow, inCell  bool
	)
	limitErr := func(row, col int, format string, args ...any) error {
		return &CellError{File: w.path, Sheet: name, Row: row, Col: col, Err: problem(ErrLimit, format, args...)}
	}
	maxText := 4 * w.lim.MaxCellChars // bytes: at most 4 a character
	endCell := func() error {
		val, err := w.cellValue(typ, v, is)
		if err != nil {
			return damaged(err)
		}
		if val != "" {
			if err := w.bud.take(len(val)); err != nil {
				return &CellError{File: w.path, Sheet: name, Row: rowNum, Col: col, Err: err}
			}
			if !utf8.ValidString(val) {
				return damaged(fmt.Errorf("cell %s%d is not valid UTF-8", ColumnLetters(col), rowNum))
			}
			if len(val) > w.lim.MaxCellChars && utf8.RuneCountInString(val) > w.lim.MaxCellChars {
				return limitErr(rowNum, col, "cell is longer than %d characters, the limit", w.lim.MaxCellChars)
			}
			cells = append(cells, cell{Col: col, Value: val})
		}
		return nil
	}
	// Each row's cells gather in one reused slice and are copied out at the
	// row's end at their exact size, so a long row costs once, not the
	// doublings of a growing slice.
	for {
		keep := inV || inT
		if keep {
			sc.text = sc.text[:0]
		}
		kind, err := sc.next(keep, maxText)
		if errors.Is(err, errTextTooLong) {
			return t, limitErr(rowNum, col, "cell is longer than %d characters, the limit", w.lim.MaxCellChars)
		}
		if err != nil {
			return t, damaged(err)
		}
		switch kind {
		case tokEOF:
			return t, nil
		case tokStart:
			switch string(sc.name) {
			case "row":
				rowNum++
				if r := string(sc.attrR); r != "" {
					n, err := strconv.Atoi(r)
					if err != nil || n < rowNum {
						return t, damaged(fmt.Errorf("row number %q is out of order", r))
					}
					rowNum = n
				}
				if rowNum > w.lim.MaxRows {
					return t, limitErr(rowNum, 0, "more than %d rows, the limit", w.lim.MaxRows)
				}
				if rowNum%4096 == 0 {
					if err := ctx.Err(); err != nil {
						return t, err
					}
				}
				col, cells, inRow = 0, cells[:0], !sc.self
			case "c":
				if !inRow {
					return t, damaged(errors.New("a cell lies outside a row"))
				}
				col++
				if r := sc.attrR; len(r) > 0 {
					c, _, err := excelize.CellNameToCoordinates(string(r))
					if err != nil || c < col {
						return t, damaged(fmt.Errorf("cell reference %q is out of order", r))
					}
					col = c
				}
				if col > w.lim.MaxColumns {
					return t, limitErr(rowNum, 0, "more than %d columns, the limit", w.lim.MaxColumns)
				}
				typ, v, is = cellType(sc.attrT), v[:0], is[:0]
				inCell = !sc.self
			case "v":
				inV = inCell && !sc.self
			case "is":
				inIS = inCell && !sc.self
			case "rPh":
				if !sc.self {
					depthRPh++
				}
			case "t":
				inT = inIS && depthRPh == 0 && !sc.self
			}
		case tokEnd:
			switch string(sc.name) {
			case "sheetData":
				// The cells are all read: what follows (merged cells,
				// page setup, extensions) is not parsed, however long it
				// is, only decompressed, so that the zip's checksum of
				// the part is still checked at its end.
				if _, err := io.Copy(io.Discard, sc.r); err != nil {
					return t, damaged(err)
				}
				return t, nil
			case "row":
				inRow = false
				if len(cells) > 0 {
					t.Rows = append(t.Rows, row{Num: rowNum, Cells: slices.Clone(cells)})
				}
			case "c":
				inCell = false
				if err := endCell(); err != nil {
					return t, err
				}
			case "v":
				if inV {
					v = append(v, sc.text...)
				}
				inV = false
			case "is":
				inIS = false
			case "rPh":
				depthRPh--
			case "t":
				if inT {
					is = append(is, sc.text...)
				}
				inT = false
			}
			if len(v)+len(is) > maxText {
				return t, limitErr(rowNum, col, "cell is longer than %d characters, the limit", w.lim.MaxCellChars)
			}
		}
	}
}

// cellValue returns a cell's text as excelize does with RawCellValue: the
// shared or inline string for text cells, the stored value otherwise.
func (w *streamBook) cellValue(typ string, v, is []byte) (string, error) {
	switch typ {
	case "s":
		if len(v) == 0 {
			return "", nil
		}
		i, err := strconv.Atoi(strings.TrimSpace(string(v)))
		s, ok := w.sharedString(i)
		if err != nil || !ok {
			return "", fmt.Errorf("shared string %q does not exist", v)
		}
		return s, nil
	case "inlineStr":
		if bytes.Contains(is, []byte("_x")) {
			return unescapeOOXML(string(is)), nil
		}
		return w.intern(is), nil
	}
	return w.intern(v), nil
}

// cellType names the cell types cellValue tells apart, without allocating.
func cellType(t []byte) string {
	switch string(t) {
	case "s":
		return "s"
	case "inlineStr":
		return "inlineStr"
	}
	return ""
}

// internMax bounds the length and the number of values intern keeps.
const (
	internLen   = 16
	internCount = 1 << 14
)

// intern returns b as a string, the same string for every repeat of a short
// value: codes, waves, groups and small numbers recur in every row, and a
// sheet of millions of them would otherwise hold a copy of each.
func (w *streamBook) intern(b []byte) string {
	if len(b) > internLen {
		return string(b)
	}
	if s, ok := w.interned[string(b)]; ok {
		return s
	}
	s := string(b)
	if w.interned == nil {
		w.interned = map[string]string{}
	}
	if len(w.interned) < internCount {
		w.interned[s] = s
	}
	return s
}

package publish

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/evalsite/evalsite/internal/ingest"
)

// sheetRows writes the data rows of a table as SpreadsheetML, from row 3
// (under the title and the header). Excelize's StreamWriter could write them
// too, but its inline strings cannot hold a control character (encoding/xml
// turns it into U+FFFD, and its own _xHHHH_ escape of it is escaped again),
// which the workbook must keep exact.
type sheetRows struct {
	t    table
	date int // style of date cells
}

// firstDataRow is the row of a sheet where the data starts.
const firstDataRow = 3

// maxCellChars is Excel's limit on the characters of a cell, counted in
// UTF-16 units, at which excelize cuts text too.
const maxCellChars = 32767

func (s sheetRows) write(w *bufio.Writer) error {
	t := s.t
	letters := make([]string, len(t.cols))
	dates := make([]bool, len(t.cols))
	for j, c := range t.cols {
		letters[j] = ingest.ColumnLetters(j + 1)
		dates[j] = c.Kind == ingest.Date
	}
	dateStyle := strconv.Itoa(s.date)
	var num, ref []byte
	for i, row := range t.rows() {
		num = strconv.AppendInt(num[:0], int64(i+firstDataRow), 10)
		w.WriteString(`<row r="`)
		w.Write(num)
		w.WriteString(`">`)
		for j, v := range row {
			ref = append(append(ref[:0], letters[j]...), num...)
			style := ""
			if dates[j] {
				// The whole column is formatted as dates, blank cells too,
				// so that a date typed in later shows the same way.
				style = dateStyle
			}
			if err := writeCell(w, ref, style, v); err != nil {
				return fmt.Errorf("%s!%s: %w", t.sheet, ref, err)
			}
		}
		w.WriteString(`</row>`)
	}
	return nil
}

// writeCell writes one cell as excelize's SetCellStr, SetCellInt and
// SetCellFloat would hold it, but with text as an inline string. A blank
// value writes no cell unless it has a style.
func writeCell(w *bufio.Writer, ref []byte, style string, v any) error {
	open := func(typ string) {
		w.WriteString(`<c r="`)
		w.Write(ref)
		w.WriteByte('"')
		if style != "" {
			w.WriteString(` s="`)
			w.WriteString(style)
			w.WriteByte('"')
		}
		if typ != "" {
			w.WriteString(` t="`)
			w.WriteString(typ)
			w.WriteByte('"')
		}
		w.WriteByte('>')
	}
	number := func(s string) {
		open("")
		w.WriteString("<v>")
		w.WriteString(s)
		w.WriteString("</v></c>")
	}
	text := func(s string) {
		open("inlineStr")
		writeInlineText(w, s)
		w.WriteString("</c>")
	}
	switch v := v.(type) {
	case nil:
		if style != "" {
			open("")
			w.WriteString("</c>")
		}
	case string:
		text(v)
	case int:
		number(strconv.Itoa(v))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			text(fmt.Sprint(v))
			break
		}
		number(cellFloat(v))
	case time.Time:
		n, ok := ingest.ExcelSerial(v)
		if !ok {
			// Excel's serials before March 1900 are off by a day: keep the text.
			text(v.Format(time.DateOnly))
			break
		}
		number(strconv.FormatInt(n, 10))
	case bool:
		if v {
			text("yes")
		} else {
			text("no")
		}
	case confidential:
		text(Confidential)
	default:
		return fmt.Errorf("cannot write a %T", v)
	}
	return nil
}

// writeInlineText writes <is><t>s</t></is>: s made valid UTF-8, cut to Excel's limit,
// escaped for a string cell by xlsxText and then for XML, with
// xml:space="preserve" when it starts or ends with white space, as excelize
// does.
func writeInlineText(w *bufio.Writer, s string) {
	if !utf8.ValidString(s) {
		// As encoding/xml writes it: each byte that is not UTF-8 as U+FFFD.
		var b strings.Builder
		for i, r := range s {
			if r == utf8.RuneError {
				if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
					b.WriteRune(utf8.RuneError)
					continue
				}
			}
			b.WriteRune(r)
		}
		s = b.String()
	}
	if len(s) > maxCellChars {
		s = cutUTF16(s, maxCellChars)
	}
	s = xlsxText(s)
	w.WriteString("<is><t")
	if s != "" && (isSpace(s[0]) || isSpace(s[len(s)-1])) {
		w.WriteString(` xml:space="preserve"`)
	}
	w.WriteByte('>')
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			esc = "&gt;"
		case '\r':
			// A literal CR would be read back as LF.
			esc = "&#xD;"
		default:
			continue
		}
		w.WriteString(s[last:i])
		w.WriteString(esc)
		last = i + 1
	}
	w.WriteString(s[last:])
	w.WriteString("</t></is>")
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// cutUTF16 returns the longest prefix of s of at most n UTF-16 units.
func cutUTF16(s string, n int) string {
	units := 0
	for i, r := range s {
		if units += utf16.RuneLen(r); units > n {
			return s[:i]
		}
	}
	return s
}

// cellFloat writes a number as excelize's SetCellFloat(v, -1, 64) does: in
// decimal form, cut to the 15 significant digits Excel keeps.
func cellFloat(v float64) string {
	s := strconv.FormatFloat(v, 'f', -1, 64)
	if math.Abs(v) == math.MaxFloat64 {
		return s
	}
	const maxPrec = 15
	decimal := strings.IndexByte(s, '.')
	significant := 0
	for i := range len(s) {
		if s[i] < '0' || s[i] > '9' || significant == 0 && s[i] == '0' {
			continue
		}
		significant++
		if significant <= maxPrec {
			continue
		}
		if decimal >= 0 && i > decimal {
			return strings.TrimSuffix(s[:i], ".")
		}
		if decimal < 0 {
			decimal = len(s)
		}
		cut := []byte(s[:decimal])
		for ; i < len(cut); i++ {
			cut[i] = '0'
		}
		return string(cut)
	}
	return s
}

// sheetZip is the excelize.ZipWriter of a workbook: it writes each part as
// archive/zip does, but inserts the data rows of a dataset's sheet before
// the end of the sheetData that excelize wrote (the title and header rows),
// and corrects the sheet's dimension to cover them.
type sheetZip struct {
	zw      *zip.Writer
	rows    map[string]sheetRows // by part name
	done    map[string]bool
	pending string // a part being collected to insert rows into
	buf     bytes.Buffer
	flate   *flate.Writer
}

func newSheetZip(w io.Writer, rows map[string]sheetRows) *sheetZip {
	z := &sheetZip{zw: zip.NewWriter(w), rows: rows, done: map[string]bool{}}
	// The fastest deflate level: sheets of XML compress nearly as well at
	// it, in a third of the time of the default. One compressor, about 1 MB
	// of state, serves every part in turn: zip.Writer closes a part's
	// compressor before it starts the next.
	z.zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		if z.flate == nil {
			fw, err := flate.NewWriter(w, flate.BestSpeed)
			if err != nil {
				return nil, err
			}
			z.flate = fw
		} else {
			z.flate.Reset(w)
		}
		return z.flate, nil
	})
	return z
}

// Create starts a part of the workbook.
func (z *sheetZip) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	if _, ok := z.rows[name]; ok {
		z.pending = name
		z.buf.Reset()
		return &z.buf, nil
	}
	return z.zw.Create(name)
}

// finish writes the pending sheet with its rows.
func (z *sheetZip) finish() error {
	name := z.pending
	if name == "" {
		return nil
	}
	z.pending = ""
	doc := z.buf.Bytes()
	end := bytes.LastIndex(doc, []byte("</sheetData>"))
	if end < 0 {
		return fmt.Errorf("%s: no sheetData to insert rows into", name)
	}
	rows := z.rows[name]
	head := doc[:end]
	if i := bytes.Index(head, []byte(`<dimension ref="`)); i >= 0 {
		i += len(`<dimension ref="`)
		if j := bytes.IndexByte(head[i:], '"'); j >= 0 {
			last := ingest.ColumnLetters(len(rows.t.cols)) + strconv.Itoa(rows.t.n+firstDataRow-1)
			head = slices.Concat(head[:i], []byte("A1:"+last), head[i+j:])
		}
	}
	w, err := z.zw.Create(name)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.Write(head)
	if err := rows.write(bw); err != nil {
		return err
	}
	bw.Write(doc[end:])
	z.done[name] = true
	return bw.Flush()
}

// AddFS is not needed to write a workbook.
func (z *sheetZip) AddFS(fs.FS) error {
	return errors.New("publish: adding a file system to a workbook is not supported")
}

// Close writes the last part and the zip's central directory, after
// checking that every dataset's sheet was written.
func (z *sheetZip) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	var missing []string
	for name := range z.rows {
		if !z.done[name] {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		sort.Strings(missing)
		return fmt.Errorf("publish: sheets %s were not written", strings.Join(missing, ", "))
	}
	return z.zw.Close()
}

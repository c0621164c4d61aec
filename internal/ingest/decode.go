package ingest

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// headerScan is how many rows at the top of a sheet may hold the header row;
// rows above it (titles, notes) are skipped.
const headerScan = 20

// row is one row of a sheet or CSV file as text, with the row number a
// spreadsheet program shows for it. Only cells that are not empty are kept,
// so that a sparse sheet (one cell in column XFD on each row) costs memory
// for its cells, not for its width.
type row struct {
	Num   int
	Cells []cell // in column order
}

// cell is one non-empty cell of a row.
type cell struct {
	Col   int // 1-based
	Value string
}

// denseRow makes a row from the values of its columns in order, dropping
// the empty ones.
func denseRow(num int, values []string) row {
	r := row{Num: num}
	for i, v := range values {
		if v != "" {
			r.Cells = append(r.Cells, cell{Col: i + 1, Value: v})
		}
	}
	return r
}

// value returns the text of column col, or "".
func (r row) value(col int) string {
	i, found := slices.BinarySearchFunc(r.Cells, col, func(c cell, col int) int { return cmp.Compare(c.Col, col) })
	if !found {
		return ""
	}
	return r.Cells[i].Value
}

// table is one sheet or CSV file as rows of text: what a reader hands the
// pure decoder.
type table struct {
	File     string // path as the user gave it
	Sheet    string // empty for CSV
	Serials  bool   // a plain number in a date column is an Excel serial date
	Date1904 bool   // serials count from 1904-01-01 (Excel for Mac's old system)
	Rows     []row

	// Warnings are problems the reader noticed that do not stop decoding.
	Warnings []*CellError
}

// decoder turns tables into records, collecting every problem it finds.
type decoder struct {
	errs    Problems
	warns   []*CellError
	notices []*CellError
	bad     map[Pos]bool           // rows with an error, left out of Data
	cols    map[string]columnIndex // per dataset: where each column is
	rows    map[string]int         // data rows read per dataset
	// marked lists the files whose title rows carry IllustrativeMark.
	marked []string
}

// columnIndex maps canonical column names to 1-based column numbers.
type columnIndex map[string]int

func newDecoder() *decoder {
	return &decoder{bad: map[Pos]bool{}, cols: map[string]columnIndex{}, rows: map[string]int{}}
}

func (d *decoder) fail(e *CellError) {
	d.errs = append(d.errs, e)
	if e.Row > 0 {
		d.bad[Pos{File: e.File, Sheet: e.Sheet, Row: e.Row}] = true
	}
}

func (d *decoder) warn(e *CellError) { d.warns = append(d.warns, e) }

func (d *decoder) notice(e *CellError) { d.notices = append(d.notices, e) }

// header finds the header row among the first rows of t: the first that holds
// every required column of s. It reports missing required columns, repeated
// and unknown columns, and returns the column positions and the data rows.
func (d *decoder) header(s *Schema, t *table) (columnIndex, []row, bool) {
	var required []string
	for _, c := range s.Columns {
		if c.Required {
			required = append(required, c.Name)
		}
	}
	best, bestFound := -1, -1
	for i, r := range t.Rows {
		if r.Num > headerScan {
			break
		}
		if blank(r.Cells) {
			continue
		}
		have := map[string]bool{}
		for _, c := range r.Cells {
			have[normalize(c.Value)] = true
		}
		found := 0
		for _, name := range required {
			if have[name] {
				found++
			}
		}
		if found > bestFound {
			best, bestFound = i, found
		}
		if found == len(required) {
			break
		}
	}
	if best < 0 {
		d.fail(&CellError{File: t.File, Sheet: t.Sheet, Err: problem(ErrMissingColumn,
			"no header row: the first row should name the columns %s", strings.Join(required, ", "))})
		return nil, nil, false
	}
	hdr := t.Rows[best]
	cols := columnIndex{}
	for _, hc := range hdr.Cells {
		c, i := hc.Value, hc.Col-1
		name := normalize(c)
		if name == "" {
			continue
		}
		if _, known := s.Column(name); !known {
			d.warn(&CellError{File: t.File, Sheet: t.Sheet, Row: hdr.Num, Col: i + 1, Value: clip(c),
				Err: problem(ErrUnknownColumn, "unknown column is ignored")})
			continue
		}
		if first, dup := cols[name]; dup {
			d.fail(&CellError{File: t.File, Sheet: t.Sheet, Row: hdr.Num, Col: i + 1, Column: name, Value: clip(c),
				Err: problem(ErrDuplicate, "column appears twice (also column %s)", ColumnLetters(first))})
			continue
		}
		cols[name] = i + 1
	}
	ok := true
	for _, name := range required {
		if _, found := cols[name]; !found {
			ok = false
			d.fail(&CellError{File: t.File, Sheet: t.Sheet, Row: hdr.Num, Column: name,
				Err: problem(ErrMissingColumn, "required column is missing from the header row")})
		}
	}
	if !ok {
		return nil, nil, false
	}
	names := make(map[int]string, len(cols))
	for name, col := range cols {
		names[col] = name
	}
	var data []row
	for _, r := range t.Rows[best+1:] {
		if !blank(r.Cells) {
			data = append(data, r)
			d.controls(t, r, names)
		}
	}
	d.cols[s.Name] = cols
	d.rows[s.Name] = len(data)
	if marked(t.Rows[:best]) {
		d.marked = append(d.marked, t.File)
	}
	return cols, data, true
}

// controls reports the cells of known columns that hold a control
// character other than tab, line feed and carriage return, or U+FFFE or
// U+FFFF: NUL and its kin cannot be written into HTML or XML, and are never
// meant in a cell; and it isolates bidirectional formatting in each value. This
// covers characters from numeric references and _xHHHH_ escapes too, which
// the readers have decoded by now.
func (d *decoder) controls(t *table, r row, names map[int]string) {
	for i, c := range r.Cells {
		name, known := names[c.Col]
		if !known {
			continue
		}
		r.Cells[i].Value = isolateBidi(c.Value)
		if i := strings.IndexFunc(c.Value, unpublishable); i >= 0 {
			ch, _ := utf8.DecodeRuneInString(c.Value[i:])
			kind := "control character"
			if ch > 0x20 {
				kind = "non-character"
			}
			d.fail(&CellError{File: t.File, Sheet: t.Sheet, Row: r.Num, Col: c.Col, Column: name, Value: clip(c.Value),
				Err: problem(ErrBadValue, "text holds the %s U+%04X, which cannot be published: delete it", kind, ch)})
		}
	}
}

// Bidirectional formatting characters.
const (
	lre, rle, pdf, lro, rlo = '\u202A', '\u202B', '\u202C', '\u202D', '\u202E'
	lri, rli, fsi, pdi      = '\u2066', '\u2067', '\u2068', '\u2069'
)

// isolateBidi makes a text that holds bidirectional formatting characters
// unable to reorder anything outside itself, wherever it is later written
// (a page, a chart's text, an alt text, a download): every embedding,
// override and isolate it opens is closed, a closing character with nothing
// to close is dropped (it could close an isolate around the text instead),
// and the whole is wrapped in an isolate (U+2068 ... U+2069). Other text is
// returned as it is.
func isolateBidi(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= lre && r <= rlo || r >= lri && r <= pdi }) {
		return s
	}
	var b strings.Builder
	var open []rune // pdf or pdi for each opened embedding or isolate
	b.WriteRune(fsi)
	for _, r := range s {
		switch r {
		case lre, rle, lro, rlo:
			open = append(open, pdf)
		case lri, rli, fsi:
			open = append(open, pdi)
		case pdf:
			if len(open) == 0 || open[len(open)-1] != pdf {
				continue
			}
			open = open[:len(open)-1]
		case pdi:
			i := slices.Index(open, pdi)
			if i < 0 {
				continue
			}
			// A PDI also closes the embeddings opened inside its isolate.
			for j := len(open) - 1; ; j-- {
				if open[j] == pdi {
					open = open[:j]
					break
				}
			}
		}
		b.WriteRune(r)
	}
	for i := len(open) - 1; i >= 0; i-- {
		b.WriteRune(open[i])
	}
	b.WriteRune(pdi)
	return b.String()
}

// unpublishable reports the characters a cell may not hold: the C0
// control characters but tab and line breaks, and the non-characters
// U+FFFE and U+FFFF, none of which XML (so SVG and XLSX) can hold.
func unpublishable(r rune) bool {
	return r < 0x20 && r != '\t' && r != '\n' && r != '\r' || r == 0xFFFE || r == 0xFFFF
}

func blank(cells []cell) bool {
	for _, c := range cells {
		if strings.TrimSpace(c.Value) != "" {
			return false
		}
	}
	return true
}

// cells reads the values of one data row by column name, reporting bad values.
type cells struct {
	d    *decoder
	s    *Schema
	t    *table
	cols columnIndex
	r    row
}

func (c *cells) pos() Pos { return Pos{File: c.t.File, Sheet: c.t.Sheet, Row: c.r.Num} }

// raw returns the trimmed value of the named column and its column number
// (0 when the sheet has no such column).
func (c *cells) raw(name string) (string, int) {
	col := c.cols[name]
	if col == 0 {
		return "", col
	}
	return strings.TrimSpace(c.r.value(col)), col
}

func (c *cells) fail(name, value string, err error) {
	c.d.fail(&CellError{File: c.t.File, Sheet: c.t.Sheet, Row: c.r.Num, Col: c.cols[name], Column: name, Value: clip(value), Err: err})
}

// get returns the value of a column, reporting it when required and blank.
func (c *cells) get(name string) string {
	v, _ := c.raw(name)
	if v == "" {
		if col, _ := c.s.Column(name); col.Required {
			c.fail(name, "", problem(ErrRequired, "value is required"))
		}
	}
	return v
}

func (c *cells) text(name string) string { return c.get(name) }

func (c *cells) date(name string) time.Time {
	v := c.get(name)
	if v == "" {
		return time.Time{}
	}
	t, err := parseDate(v, c.t.Serials, c.t.Date1904)
	if err != nil {
		c.fail(name, v, err)
	}
	return t
}

func (c *cells) number(name string) *float64 {
	v := c.get(name)
	if v == "" {
		return nil
	}
	n, err := parseNumber(v)
	if err != nil {
		c.fail(name, v, err)
		return nil
	}
	return &n
}

func (c *cells) integer(name string) *int {
	v := c.get(name)
	if v == "" {
		return nil
	}
	n, err := parseInteger(v)
	if err != nil {
		c.fail(name, v, err)
		return nil
	}
	return &n
}

func (c *cells) enum(name string) string {
	v := c.get(name)
	if v == "" {
		return ""
	}
	col, _ := c.s.Column(name)
	e, err := parseEnum(v, col.Values)
	if err != nil {
		c.fail(name, v, err)
	}
	return e
}

func (c *cells) yesNo(name string) bool {
	v := c.get(name)
	b, err := parseYesNo(v)
	if err != nil {
		c.fail(name, v, err)
	}
	return b
}

// read fills rec, a pointer to the dataset's record, with every column of
// the row, as the schema binds each to a field.
func (c *cells) read(rec any) {
	for _, col := range c.s.Columns {
		col.field.decode(rec, c, col)
	}
}

// keys reports repeated values of a dataset's key column.
type keys map[string]int

func (k keys) check(c *cells, name, v string) {
	if v == "" {
		return
	}
	if first, dup := k[v]; dup {
		c.fail(name, v, problem(ErrDuplicate, "duplicate %s: also in row %d", name, first))
		return
	}
	k[v] = c.r.Num
}

func (d *decoder) agreements(s *Schema, t *table) []Agreement {
	cols, data, ok := d.header(s, t)
	if !ok {
		return nil
	}
	seen := keys{}
	out := make([]Agreement, 0, len(data))
	c := &cells{d: d, s: s, t: t, cols: cols}
	for _, r := range data {
		c.r = r
		out = append(out, Agreement{Pos: c.pos()})
		a := &out[len(out)-1]
		c.read(a)
		seen.check(c, "agreement_id", a.ID)
		if !a.Signed.IsZero() && !a.Withdrawn.IsZero() {
			v, _ := c.raw("withdrawn")
			c.fail("withdrawn", v, problem(ErrConflict, "both signed and withdrawn are set: an agreement is one or the other"))
		}
		for _, end := range []struct {
			name string
			t    time.Time
		}{{"signed", a.Signed}, {"withdrawn", a.Withdrawn}} {
			if !end.t.IsZero() && !a.Started.IsZero() && end.t.Before(a.Started) {
				v, _ := c.raw(end.name)
				c.fail(end.name, v, problem(ErrOrder, "date is before started %s", a.Started.Format(time.DateOnly)))
			}
		}
	}
	return out
}

func (d *decoder) freedoms(s *Schema, t *table) []Freedom {
	cols, data, ok := d.header(s, t)
	if !ok {
		return nil
	}
	seen := keys{}
	out := make([]Freedom, 0, len(data))
	c := &cells{d: d, s: s, t: t, cols: cols}
	for _, r := range data {
		c.r = r
		out = append(out, Freedom{Pos: c.pos()})
		f := &out[len(out)-1]
		c.read(f)
		seen.check(c, "request_id", f.RequestID)
		if v, _ := c.raw("reason"); f.Outcome == "not_granted" && v == "" {
			c.fail("reason", "", problem(ErrRequired, "reason is required when the outcome is not_granted"))
		}
	}
	return out
}

func (d *decoder) events(s *Schema, t *table) []Event {
	cols, data, ok := d.header(s, t)
	if !ok {
		return nil
	}
	out := make([]Event, 0, len(data))
	c := &cells{d: d, s: s, t: t, cols: cols}
	for _, r := range data {
		c.r = r
		out = append(out, Event{Pos: c.pos()})
		c.read(&out[len(out)-1])
	}
	return out
}

func (d *decoder) codings(s *Schema, t *table) []Coding {
	cols, data, ok := d.header(s, t)
	if !ok {
		return nil
	}
	type first struct {
		row           int
		wave          int
		group         string
		waveV, groupV string
	}
	interviews := map[string]first{}
	out := make([]Coding, 0, len(data))
	c := &cells{d: d, s: s, t: t, cols: cols}
	for _, r := range data {
		c.r = r
		out = append(out, Coding{Pos: c.pos()})
		k := &out[len(out)-1]
		c.read(k)
		if k.InterviewID != "" {
			f, seen := interviews[k.InterviewID]
			switch {
			case !seen:
				interviews[k.InterviewID] = first{row: r.Num, wave: k.Wave, group: k.Group}
			default:
				if k.Wave != 0 && f.wave != 0 && k.Wave != f.wave {
					v, _ := c.raw("wave")
					c.fail("wave", v, problem(ErrConflict, "interview %s is wave %d in row %d: one interview has one wave", k.InterviewID, f.wave, f.row))
				}
				if k.Group != "" && f.group != "" && k.Group != f.group {
					v, _ := c.raw("group")
					c.fail("group", v, problem(ErrConflict, "interview %s is group %s in row %d: one interview has one group", k.InterviewID, f.group, f.row))
				}
			}
		}
	}
	return out
}

func (d *decoder) codebook(s *Schema, t *table) []Code {
	cols, data, ok := d.header(s, t)
	if !ok {
		return nil // as if absent, so that codes are not all reported missing from it
	}
	seen := keys{}
	out := make([]Code, 0, len(data))
	c := &cells{d: d, s: s, t: t, cols: cols}
	for _, r := range data {
		c.r = r
		out = append(out, Code{Pos: c.pos()})
		k := &out[len(out)-1]
		c.read(k)
		seen.check(c, "code", k.Code)
	}
	return out
}

// refError reports a value of one record that refers to something missing.
func (d *decoder) at(dataset string, p Pos, column, value string, err error) *CellError {
	return &CellError{File: p.File, Sheet: p.Sheet, Row: p.Row, Col: d.cols[dataset][column], Column: column, Value: clip(value), Err: err}
}

// crossCheck applies the rules that join datasets: references to agreements
// and codes, and events outside their agreement's period (a warning).
// agreementsRead is false when the agreements could not be read at all, so
// references to them cannot be judged.
func (d *decoder) crossCheck(data *Data, agreementsRead bool) {
	byID := map[string]*Agreement{}
	for i := range data.Agreements {
		a := &data.Agreements[i]
		if _, dup := byID[a.ID]; !dup && a.ID != "" {
			byID[a.ID] = a
		}
	}
	if agreementsRead {
		for _, f := range data.Freedoms {
			if f.AgreementID != "" && byID[f.AgreementID] == nil {
				d.fail(d.at("freedoms", f.Pos, "agreement_id", f.AgreementID, problem(ErrUnknownRef, "no agreement has this agreement_id")))
			}
		}
		for _, e := range data.Events {
			if e.AgreementID == "" {
				continue
			}
			a := byID[e.AgreementID]
			if a == nil {
				d.fail(d.at("events", e.Pos, "agreement_id", e.AgreementID, problem(ErrUnknownRef, "no agreement has this agreement_id")))
				continue
			}
			if e.Date.IsZero() || a.Started.IsZero() || d.bad[a.Pos] {
				continue
			}
			if e.Date.Before(a.Started) {
				d.warn(d.at("events", e.Pos, "date", e.Date.Format(time.DateOnly),
					problem(ErrOrder, "event is before agreement %s started on %s", a.ID, a.Started.Format(time.DateOnly))))
			} else if end, ok := a.End(); ok && e.Date.After(end) {
				d.warn(d.at("events", e.Pos, "date", e.Date.Format(time.DateOnly),
					problem(ErrOrder, "event is after agreement %s was %s on %s", a.ID, a.Status(), end.Format(time.DateOnly))))
			}
		}
	}
	if data.Codebook != nil {
		codes := map[string]bool{}
		for _, c := range data.Codebook {
			codes[c.Code] = true
		}
		for _, c := range data.Codebook {
			if c.Parent != "" && !codes[c.Parent] {
				d.fail(d.at("codebook", c.Pos, "parent", c.Parent, problem(ErrUnknownRef, "parent is not a code of the codebook")))
			}
		}
		for _, c := range data.Codings {
			if c.Code != "" && !codes[c.Code] {
				d.fail(d.at("codings", c.Pos, "code", c.Code, problem(ErrUnknownRef, "code is not in the codebook")))
			}
		}
	}
}

// keepGood drops the records of rows that have an error, so Data holds only
// what could be read.
func keepGood[T any](d *decoder, recs []T, pos func(*T) Pos) []T {
	if recs == nil {
		return nil
	}
	return slices.DeleteFunc(recs, func(r T) bool { return d.bad[pos(&r)] })
}

// sortProblems orders problems by file, sheet, row and column, then message.
func sortProblems(p []*CellError) {
	slices.SortStableFunc(p, func(a, b *CellError) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Sheet, b.Sheet),
			cmp.Compare(a.Row, b.Row),
			cmp.Compare(a.Col, b.Col),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(fmt.Sprint(a.Err), fmt.Sprint(b.Err)),
		)
	})
}

package ingest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors that CellError unwraps to, for callers and tests that need
// to tell kinds of problem apart.
var (
	ErrMissingColumn = errors.New("required column is missing")
	ErrRequired      = errors.New("value is required")
	ErrBadValue      = errors.New("value is not valid")
	ErrBadDate       = errors.New("not a date")
	ErrOrder         = errors.New("dates are out of order")
	ErrDuplicate     = errors.New("duplicate value")
	ErrUnknownRef    = errors.New("unknown reference")
	ErrConflict      = errors.New("conflicting values")
	ErrFile          = errors.New("file cannot be read")
	ErrLimit         = errors.New("input exceeds a limit")
	ErrUnknownColumn = errors.New("unknown column")
	// ErrMissing marks the notice that an optional dataset is absent.
	ErrMissing = errors.New("dataset is absent")
)

// CellError is one problem in the input, placed as precisely as it is known:
// a cell (Row and Col set), a row (Col zero), a sheet or a whole file (Row zero).
type CellError struct {
	File   string // path as the user gave it
	Sheet  string // empty for CSV files
	Row    int    // 1-based spreadsheet row; 0 when not about one row
	Col    int    // 1-based column number; 0 when not about one column
	Column string // canonical column name, if known
	Value  string // the offending value, if any
	Err    error  // what is wrong, usually wrapping a sentinel

	// More lists the further rows (same column) that have the very same
	// problem with the same value, reported once at the first of them.
	More []int
}

// Error prints the problem as
//
//	data/agreements.xlsx: workbook is password-protected: ...
//	data/agreements.xlsx: Agreements!G4 (signed): date is before started ("2000-11-01")
//	data/agreements.xlsx: Agreements row 9: more than 16384 columns, the limit
//	data/events.csv:12 (date): not a date ("31/02/2001")
//	data/timings.xlsx: Events!A2 (agreement_id): no agreement has this agreement_id ("A9") (and 54 more rows: A3, A4, A5, A6, A7, …)
func (e *CellError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	switch {
	case e.Sheet != "":
		b.WriteString(": ")
		b.WriteString(e.Sheet)
		switch {
		case e.Row > 0 && e.Col > 0:
			b.WriteString("!")
			b.WriteString(ColumnLetters(e.Col))
			b.WriteString(strconv.Itoa(e.Row))
		case e.Row > 0:
			b.WriteString(" row ")
			b.WriteString(strconv.Itoa(e.Row))
		}
	case e.Row > 0:
		b.WriteString(":")
		b.WriteString(strconv.Itoa(e.Row))
	}
	if e.Column != "" {
		b.WriteString(" (")
		b.WriteString(e.Column)
		b.WriteString(")")
	}
	b.WriteString(": ")
	if e.Err != nil {
		b.WriteString(e.Err.Error())
	}
	if e.Value != "" {
		fmt.Fprintf(&b, " (%q)", e.Value)
	}
	if len(e.More) > 0 {
		fmt.Fprintf(&b, " (and %d more %s: ", len(e.More), plural(len(e.More), "row", "rows"))
		for i, r := range e.More {
			if i == moreShown {
				b.WriteString(", …")
				break
			}
			if i > 0 {
				b.WriteString(", ")
			}
			if e.Sheet != "" && e.Col > 0 {
				b.WriteString(ColumnLetters(e.Col))
			}
			b.WriteString(strconv.Itoa(r))
		}
		b.WriteString(")")
	}
	return b.String()
}

// moreShown is how many of the further rows of a grouped problem are named.
const moreShown = 5

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// groupRepeats reports once a problem that recurs, word for word and with
// the same value, in the same column of many rows (one unknown agreement_id
// copied down 55 rows): the first row carries the others in More. p must be
// sorted; the result keeps its order.
func groupRepeats(p []*CellError) []*CellError {
	type key struct {
		file, sheet, column, msg, value string
		col                             int
	}
	first := map[key]*CellError{}
	out := p[:0]
	for _, e := range p {
		if e.Row == 0 {
			out = append(out, e)
			continue
		}
		k := key{e.File, e.Sheet, e.Column, fmt.Sprint(e.Err), e.Value, e.Col}
		if f, ok := first[k]; ok {
			f.More = append(f.More, e.Row)
			continue
		}
		first[k] = e
		out = append(out, e)
	}
	return out
}

// Unwrap returns the underlying error.
func (e *CellError) Unwrap() error { return e.Err }

// ColumnLetters returns the spreadsheet letters of a 1-based column number:
// 1 is "A", 27 is "AA".
func ColumnLetters(n int) string {
	if n <= 0 {
		return ""
	}
	var buf [8]byte
	i := len(buf)
	for n > 0 {
		n--
		i--
		buf[i] = byte('A' + n%26)
		n /= 26
	}
	return string(buf[i:])
}

// MaxReported is how many problems a Problems error prints before it
// summarises the rest as a count.
const MaxReported = 100

// Problems is every error found in the input. It is the error Read returns
// for bad data.
type Problems []*CellError

// Error prints the problems one a line, the first MaxReported of them, then a
// count of the rest.
func (p Problems) Error() string {
	var b strings.Builder
	for i, e := range p {
		if i == MaxReported {
			fmt.Fprintf(&b, "\n... and %d more problems", len(p)-MaxReported)
			break
		}
		if i > 0 {
			b.WriteString("\n")
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Unwrap returns the problems as errors, so errors.Is and errors.As see each.
func (p Problems) Unwrap() []error {
	errs := make([]error, len(p))
	for i, e := range p {
		errs[i] = e
	}
	return errs
}

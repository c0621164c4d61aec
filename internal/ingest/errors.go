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
}

// Error prints the problem as
//
//	data/agreements.xlsx: workbook is password-protected: ...
//	data/agreements.xlsx: Agreements!G4 (signed): date is before started ("2000-11-01")
//	data/events.csv:12 (date): not a date ("31/02/2001")
func (e *CellError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	switch {
	case e.Sheet != "":
		b.WriteString(": ")
		b.WriteString(e.Sheet)
		if e.Row > 0 {
			b.WriteString("!")
			if e.Col > 0 {
				b.WriteString(ColumnLetters(e.Col))
			}
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
	return b.String()
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

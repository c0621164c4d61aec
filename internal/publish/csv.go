package publish

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/evalsite/evalsite/internal/ingest"
)

// encodeCSV writes a table as RFC 4180 CSV: UTF-8 without a byte order mark,
// a header of canonical column names, CRLF line ends (also inside quoted
// cells, where a lone CR becomes CRLF too), ISO dates, numbers in plain
// decimal form, booleans as yes or no, and text guarded against formula
// injection.
func encodeCSV(out io.Writer, t table) error {
	w := csv.NewWriter(out)
	w.UseCRLF = true
	header := make([]string, len(t.cols))
	for i, c := range t.cols {
		header[i] = c.Name
	}
	if err := w.Write(header); err != nil {
		return err
	}
	record := make([]string, len(t.cols))
	for _, row := range t.rows() {
		for i, v := range row {
			s, err := csvValue(t.cols[i].Kind, v)
			if err != nil {
				return fmt.Errorf("column %s: %w", t.cols[i].Name, err)
			}
			record[i] = s
		}
		if err := w.Write(record); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// csvValue formats one value. Only Text columns can hold free text, so only
// they are guarded: numbers, dates and enumerated values are never changed.
func csvValue(k ingest.Kind, v any) (string, error) {
	switch v := v.(type) {
	case nil:
		return "", nil
	case string:
		if k == ingest.Text {
			v = Guard(v)
		}
		// encoding/csv drops a lone CR inside a quoted cell when writing
		// CRLF: keep the line break by making it CRLF.
		v = strings.ReplaceAll(v, "\r\n", "\n")
		return strings.ReplaceAll(v, "\r", "\n"), nil
	case int:
		return strconv.Itoa(v), nil
	case float64:
		return formatNumber(v), nil
	case time.Time:
		return v.Format(time.DateOnly), nil
	case bool:
		if v {
			return "yes", nil
		}
		return "no", nil
	case confidential:
		return Confidential, nil
	}
	return "", fmt.Errorf("cannot write a %T", v)
}

// formatNumber writes a number in plain decimal form, never with an exponent,
// with as few digits as identify it.
func formatNumber(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// Guard returns text safe to open in a spreadsheet program: a text starting
// with =, +, -, @, a tab or a carriage return, which a spreadsheet could run
// as a formula, is prefixed with an apostrophe. Other text is unchanged.
func Guard(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

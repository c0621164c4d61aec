package ingest

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"unicode/utf8"
)

// readCSVFile reads a CSV file into a table, within the limits.
func readCSVFile(ctx context.Context, path string, lim Limits, bud *budget) (*table, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(path, "cannot open the file: %v", err)
	}
	defer f.Close()
	// Read at most one byte over the limit, to tell "too big" from "just fits".
	buf, err := io.ReadAll(io.LimitReader(f, lim.MaxBytes+1))
	if err != nil {
		return nil, fileError(path, "cannot read the file: %v", err)
	}
	if int64(len(buf)) > lim.MaxBytes {
		return nil, &CellError{File: path, Err: problem(ErrLimit, "file is larger than %d bytes, the limit", lim.MaxBytes)}
	}
	return parseCSVWithin(ctx, path, buf, lim, bud)
}

// parseCSV splits CSV bytes into a table. It removes a UTF-8 byte order mark,
// refuses UTF-16 and invalid UTF-8 (naming the first bad line), accepts lone
// CR line ends (old Mac exports), bounds the cell length, row and column
// counts, and numbers rows as a spreadsheet program would show them (blank
// lines count, a quoted line break does not start a row).
func parseCSV(ctx context.Context, path string, buf []byte, lim Limits) (*table, error) {
	return parseCSVWithin(ctx, path, buf, lim, nil)
}

// parseCSVWithin is parseCSV counting cells against bud, shared with the
// other files of a Read; nil gives the file a budget of its own.
func parseCSVWithin(ctx context.Context, path string, buf []byte, lim Limits, bud *budget) (*table, error) {
	lim = lim.withDefaults()
	if bud == nil {
		bud = newBudget(lim)
	}
	switch {
	case bytes.HasPrefix(buf, []byte{0xFF, 0xFE}), bytes.HasPrefix(buf, []byte{0xFE, 0xFF}):
		return nil, fileError(path, "file is UTF-16 text: save it as \"CSV UTF-8 (Comma delimited)\"")
	case looksLikeZip(buf) || looksLikeOLE2(buf):
		return nil, fileError(path, "file is a workbook, not CSV text: save it as \"CSV UTF-8 (Comma delimited)\" or name it .xlsx")
	}
	buf = bytes.TrimPrefix(buf, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(buf) {
		line := 1 + bytes.Count(buf[:firstInvalidUTF8(buf)], []byte("\n"))
		return nil, &CellError{File: path, Row: line, Err: problem(ErrFile,
			"text is not UTF-8 (line %d): save the file as \"CSV UTF-8 (Comma delimited)\"", line)}
	}
	// A few NULs are a cell problem, reported with the cell; many mean
	// the file is not text at all.
	if n := bytes.Count(buf, []byte{0}); n > 0 && n*64 > len(buf) {
		return nil, fileError(path, "file holds binary data, not CSV text: save it as \"CSV UTF-8 (Comma delimited)\"")
	}
	if bytes.IndexByte(buf, '\r') >= 0 && bytes.IndexByte(buf, '\n') < 0 {
		buf = bytes.ReplaceAll(buf, []byte("\r"), []byte("\n"))
	}
	r := csv.NewReader(bytes.NewReader(buf))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	t := &table{File: path}
	num, widest := 0, 0
	var prevEnd int64 // offset just after the previous record
	line := 1         // line number at prevEnd
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return t, &CellError{File: path, Row: num + 1 + max(0, pe.StartLine-line), Err: problem(ErrFile,
					"not valid CSV (line %d): %v; check the quotes in this row", pe.Line, pe.Err)}
			}
			return t, fileError(path, "cannot read the file: %v", err)
		}
		start, _ := r.FieldPos(0)
		num += 1 + max(0, start-line) // blank lines skipped by encoding/csv still count as rows
		end := r.InputOffset()
		line += bytes.Count(buf[prevEnd:end], []byte("\n"))
		prevEnd = end
		if num > lim.MaxRows {
			return t, &CellError{File: path, Row: num, Err: problem(ErrLimit, "more than %d rows, the limit", lim.MaxRows)}
		}
		if num <= headerScan {
			widest = max(widest, len(rec))
		}
		if len(rec) > lim.MaxColumns {
			return t, &CellError{File: path, Row: num, Err: problem(ErrLimit, "more than %d columns, the limit", lim.MaxColumns)}
		}
		var cells []cell
		for i, v := range rec {
			if v == "" {
				continue
			}
			if len(v) > lim.MaxCellChars && utf8.RuneCountInString(v) > lim.MaxCellChars {
				return t, &CellError{File: path, Row: num, Col: i + 1, Err: problem(ErrLimit,
					"cell is longer than %d characters, the limit; check for a quote that is not closed", lim.MaxCellChars)}
			}
			if err := bud.take(len(v)); err != nil {
				return t, &CellError{File: path, Row: num, Col: i + 1, Err: err}
			}
			cells = append(cells, cell{Col: i + 1, Value: v})
		}
		if cells != nil {
			t.Rows = append(t.Rows, row{Num: num, Cells: cells})
		}
		if num%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return t, err
			}
		}
	}
	if widest == 1 {
		if sep := otherSeparator(buf); sep != "" {
			return nil, fileError(path, "the file is separated by %s, not commas: save it as \"CSV UTF-8 (Comma delimited)\", or in your spreadsheet program's CSV options choose the comma", sep)
		}
	}
	return t, nil
}

// otherSeparator names the separator of a file whose rows are one field
// each because it is split by semicolons (as spreadsheet programs in many
// countries save CSV) or tabs, judged from its first lines; else "".
func otherSeparator(buf []byte) string {
	head := buf[:min(len(buf), 64<<10)]
	lines := bytes.SplitN(head, []byte("\n"), headerScan+1)
	semi, tab := 0, 0
	for _, l := range lines[:min(len(lines), headerScan)] {
		semi += bytes.Count(l, []byte(";"))
		tab += bytes.Count(l, []byte("\t"))
	}
	switch {
	case semi > 0 && semi >= tab:
		return "semicolons"
	case tab > 0:
		return "tabs"
	}
	return ""
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			return i
		}
		i += size
	}
	return len(b)
}

// fileError is a problem with a whole file.
func fileError(path, format string, args ...any) *CellError {
	return &CellError{File: path, Err: problem(ErrFile, format, args...)}
}

func looksLikeZip(b []byte) bool { return bytes.HasPrefix(b, []byte("PK\x03\x04")) }
func looksLikeOLE2(b []byte) bool {
	return bytes.HasPrefix(b, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1})
}

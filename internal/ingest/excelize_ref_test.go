package ingest

// The excelize reader: the reference the streaming reader is tested and
// measured against, not used by Read.

import (
	"context"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// openWorkbook checks a file is a safe XLSX workbook and opens it. Every
// refusal is a *CellError about the whole file.
func openWorkbook(p string, lim Limits) (workbook, error) {
	lim = lim.withDefaults()
	if err := preflight(p, lim); err != nil {
		return nil, err
	}
	x, err := excelize.OpenFile(p, excelize.Options{
		RawCellValue:      true,
		UnzipSizeLimit:    lim.MaxBytes,
		UnzipXMLSizeLimit: min(lim.MaxPartBytes, lim.MaxBytes),
	})
	if err != nil {
		return nil, fileError(p, "workbook cannot be read (%v): open it in your spreadsheet program and save it again", err)
	}
	w := &excelizeBook{f: x, path: p, lim: lim}
	props, err := x.GetWorkbookProps()
	if err != nil {
		x.Close()
		return nil, fileError(p, "workbook cannot be read (%v): open it in your spreadsheet program and save it again", err)
	}
	w.date1904 = props.Date1904 != nil && *props.Date1904
	return w, nil
}

// excelizeMaxCells bounds the cells excelize's iterator may build for one
// sheet, counting the empty cells before the last cell of each row: it
// builds every row in full, so one cell in column XFD on each of 8,192 rows
// (a 47 KB file) took 90 s. The streaming reader keeps only non-empty cells
// and needs no such bound.
const excelizeMaxCells = 1 << 22

// excelizeBook reads sheets with excelize's row iterator.
type excelizeBook struct {
	f        *excelize.File
	path     string
	lim      Limits
	date1904 bool
}

func (w *excelizeBook) SheetNames() []string { return w.f.GetSheetList() }

func (w *excelizeBook) Close() error { return w.f.Close() }

func (w *excelizeBook) ReadSheet(ctx context.Context, name string) (t *table, err error) {
	t = &table{File: w.path, Sheet: name, Serials: true, Date1904: w.date1904}
	damaged := func(err error) error {
		return &CellError{File: w.path, Sheet: name, Err: problem(ErrFile,
			"sheet cannot be read (%v): open the workbook in your spreadsheet program and save it again", err)}
	}
	rows, err := w.f.Rows(name)
	if err != nil {
		return nil, damaged(err)
	}
	defer func() {
		if cerr := rows.Close(); cerr != nil && err == nil {
			err = damaged(cerr)
		}
	}()
	n, spanned := 0, 0
	for rows.Next() {
		n++
		if n > w.lim.MaxRows {
			return t, &CellError{File: w.path, Sheet: name, Row: n, Err: problem(ErrLimit, "more than %d rows, the limit", w.lim.MaxRows)}
		}
		if n%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return t, err
			}
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return t, damaged(err)
		}
		if len(cells) > w.lim.MaxColumns {
			return t, &CellError{File: w.path, Sheet: name, Row: n, Err: problem(ErrLimit, "more than %d columns, the limit", w.lim.MaxColumns)}
		}
		if spanned += len(cells); spanned > excelizeMaxCells {
			return t, &CellError{File: w.path, Sheet: name, Row: n, Err: problem(ErrLimit,
				"rows span more than %d cells (counting empty cells), the limit: delete the unused columns and rows", excelizeMaxCells)}
		}
		var kept []cell
		for i, c := range cells {
			if c == "" {
				continue
			}
			if len(c) > w.lim.MaxCellChars && utf8.RuneCountInString(c) > w.lim.MaxCellChars {
				return t, &CellError{File: w.path, Sheet: name, Row: n, Col: i + 1, Err: problem(ErrLimit,
					"cell is longer than %d characters, the limit", w.lim.MaxCellChars)}
			}
			kept = append(kept, cell{Col: i + 1, Value: c})
		}
		if kept != nil {
			t.Rows = append(t.Rows, row{Num: n, Cells: kept})
		}
	}
	if err := rows.Error(); err != nil {
		if errors.Is(err, excelize.ErrMaxRows) {
			return t, &CellError{File: w.path, Sheet: name, Err: problem(ErrLimit, "more than %d rows, the limit", w.lim.MaxRows)}
		}
		return t, damaged(err)
	}
	// excelize's iterator stops silently at malformed XML; the sheet's
	// declared dimension shows rows that were never reached.
	if last := declaredLastRow(w.f, name); last > n {
		t.Warnings = append(t.Warnings, &CellError{File: w.path, Sheet: name, Row: n + 1, Err: problem(ErrFile,
			"sheet declares rows up to %d but could be read only to row %d: the file may be damaged; open it in your spreadsheet program and save it again", last, n)})
	}
	return t, nil
}

// declaredLastRow returns the last row of a sheet's dimension ("A1:K9" is
// 9), or 0 when it is missing or unreadable.
func declaredLastRow(f *excelize.File, sheet string) int {
	ref, err := f.GetSheetDimension(sheet)
	if err != nil || ref == "" {
		return 0
	}
	_, last, _ := strings.Cut(ref, ":")
	if last == "" {
		last = ref
	}
	_, row, err := excelize.CellNameToCoordinates(last)
	if err != nil {
		return 0
	}
	return row
}

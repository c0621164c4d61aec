package ingest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/xuri/excelize/v2"
)

// templateRows is how far down the drop-down lists and date checks of a
// template reach.
const templateRows = 10_000

// WriteTemplate writes blank input workbooks into dir (agreements.xlsx,
// timings.xlsx and codings.xlsx), one sheet per dataset with its header row
// frozen, a drop-down list on every enumerated column, date checks on date
// columns, and an Instructions sheet that explains every column. It
// overwrites files of those names and creates dir if needed.
func WriteTemplate(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write template: %w", err)
	}
	var order []string
	byBook := map[string][]Schema{}
	for _, s := range Schemas() {
		if _, seen := byBook[s.Workbook]; !seen {
			order = append(order, s.Workbook)
		}
		byBook[s.Workbook] = append(byBook[s.Workbook], s)
	}
	for _, name := range order {
		p := filepath.Join(dir, name)
		if err := writeTemplateBook(p, byBook[name]); err != nil {
			return fmt.Errorf("write template %s: %w", p, err)
		}
	}
	return nil
}

func writeTemplateBook(path string, schemas []Schema) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": keep ids such as 007 as typed
	if err != nil {
		return err
	}
	for i, s := range schemas {
		if i == 0 {
			if err := f.SetSheetName("Sheet1", s.Sheet); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(s.Sheet); err != nil {
			return err
		}
		if err := templateSheet(f, s, bold, dateStyle, textStyle); err != nil {
			return fmt.Errorf("sheet %s: %w", s.Sheet, err)
		}
	}
	if err := instructionsSheet(f, schemas, bold); err != nil {
		return fmt.Errorf("instructions: %w", err)
	}
	f.SetActiveSheet(0)
	// Written like any document (excelize's SaveAs would make it executable).
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.WriteTo(out); err != nil {
		out.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return out.Close()
}

func templateSheet(f *excelize.File, s Schema, bold, dateStyle, textStyle int) error {
	for i, c := range s.Columns {
		col := ColumnLetters(i + 1)
		if err := f.SetCellStr(s.Sheet, col+"1", c.Name); err != nil {
			return err
		}
		if err := f.SetColWidth(s.Sheet, col, col, float64(max(12, len(c.Name)+4))); err != nil {
			return err
		}
		rng := fmt.Sprintf("%s2:%s%d", col, col, templateRows+1)
		dv := excelize.NewDataValidation(true)
		dv.Sqref = rng
		switch c.Kind {
		case Enum, YesNo:
			values := c.Values
			if c.Kind == YesNo {
				values = []string{"yes", "no"}
			}
			if err := dv.SetDropList(values); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, c.Name, "Choose one of: "+strings.Join(values, ", "))
		case Date:
			// Serial 1 is 1900-01-01 and 2958465 is 9999-12-31.
			if err := dv.SetRange(1, maxSerial1900, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, c.Name, "Enter a date, such as 15/03/2001.")
			if err := f.SetColStyle(s.Sheet, col, dateStyle); err != nil {
				return err
			}
		case Integer, Number:
			t := excelize.DataValidationTypeDecimal
			if c.Kind == Integer {
				t = excelize.DataValidationTypeWhole
			}
			if err := dv.SetRange(0, 1e15, t, excelize.DataValidationOperatorBetween); err != nil {
				return err
			}
			dv.SetError(excelize.DataValidationErrorStyleStop, c.Name, "Enter a number of 0 or more.")
		default:
			if err := f.SetColStyle(s.Sheet, col, textStyle); err != nil {
				return err
			}
			dv = nil
		}
		if dv != nil {
			if err := f.AddDataValidation(s.Sheet, dv); err != nil {
				return err
			}
		}
	}
	last := ColumnLetters(len(s.Columns))
	if err := f.SetCellStyle(s.Sheet, "A1", last+"1", bold); err != nil {
		return err
	}
	return f.SetPanes(s.Sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

func instructionsSheet(f *excelize.File, schemas []Schema, bold int) error {
	const sheet = "Instructions"
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	rows := [][]any{
		{"How to fill this workbook"},
		{"Fill one row per record below the header row of each sheet. Keep the header names; extra columns are ignored with a warning."},
		{"Columns marked required must be filled. Dates may be Excel dates, 2001-03-15, 15/03/2001 (day first) or 15 March 2001."},
		{"Run `evalsite check` to list every problem with its cell."},
		{},
		{"Sheet", "Column", "Required", "Type", "Allowed values", "Description"},
	}
	header := len(rows)
	for _, s := range schemas {
		rows = append(rows, []any{s.Sheet, "", "", "", "", s.Description})
		for _, c := range s.Columns {
			req := "no"
			if c.Required {
				req = "yes"
			}
			values := strings.Join(c.Values, ", ")
			if c.Kind == YesNo {
				values = "yes, no"
			}
			rows = append(rows, []any{s.Sheet, c.Name, req, c.Kind.String(), values, c.Description})
		}
	}
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+1)
		if err != nil {
			return err
		}
		if err := f.SetSheetRow(sheet, cell, &r); err != nil {
			return err
		}
	}
	if err := f.SetCellStyle(sheet, "A1", "A1", bold); err != nil {
		return err
	}
	if err := f.SetCellStyle(sheet, fmt.Sprintf("A%d", header), fmt.Sprintf("F%d", header), bold); err != nil {
		return err
	}
	for col, w := range map[string]float64{"A": 14, "B": 20, "C": 10, "D": 10, "E": 40, "F": 80} {
		if err := f.SetColWidth(sheet, col, col, w); err != nil {
			return err
		}
	}
	return nil
}

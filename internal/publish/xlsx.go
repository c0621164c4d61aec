package publish

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/xuri/excelize/v2"
)

// Sheet names of the workbook's meta sheets.
const (
	CoverSheet    = "Cover"
	ContentsSheet = "Contents"
	NotesSheet    = "Notes"
)

// fallbackTimestamp stamps the workbook when the release date is not a date,
// so that the bytes never depend on the time of the build.
const fallbackTimestamp = "1980-01-01T00:00:00Z"

type styles struct {
	title, heading, date, wrap, link int
}

// encodeXLSX writes evaluation.xlsx after the Analysis Function guidance on
// releasing statistics in spreadsheets: a Cover sheet, a Contents sheet and a
// Notes sheet, then one sheet per dataset, each with a one-line title in A1
// and a named Excel table whose single header row is row 2. There are no
// merged cells and no blank rows or columns inside tables; dates are real
// dates formatted YYYY-MM-DD; text is exact (excelize writes text starting
// with "=" as an inert string, not a formula). The document properties are
// fixed from the release date so that the bytes are reproducible.
//
// Excelize builds the workbook and every sheet's title, header, column
// widths and table; the data rows are written into the sheets' XML as the
// workbook is zipped (see sheetZip), since excelize's cell-by-cell model
// takes minutes and gigabytes at 500,000 rows.
func encodeXLSX(w io.Writer, rel Release, opt Options, tables []table, n notes) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", CoverSheet); err != nil {
		return err
	}
	if err := writeCover(f, st, rel, opt); err != nil {
		return fmt.Errorf("cover sheet: %w", err)
	}
	if err := writeContents(f, st, tables); err != nil {
		return fmt.Errorf("contents sheet: %w", err)
	}
	if err := writeNotes(f, st, n); err != nil {
		return fmt.Errorf("notes sheet: %w", err)
	}
	rows := map[string]sheetRows{}
	for _, t := range tables {
		if err := writeTable(f, st, t, n); err != nil {
			return fmt.Errorf("%s sheet: %w", t.sheet, err)
		}
		if t.n > 0 {
			path, err := sheetPath(f, t.sheet)
			if err != nil {
				return err
			}
			rows[path] = sheetRows{t: t, date: st.date}
		}
	}
	f.SetActiveSheet(0)

	stamp := fallbackTimestamp
	if d, err := time.Parse(time.DateOnly, strings.TrimSpace(rel.ReleaseDate)); err == nil {
		stamp = d.Format("2006-01-02T15:04:05Z")
	}
	props := &excelize.DocProperties{
		Title:          rel.Title,
		Creator:        rel.Publisher,
		LastModifiedBy: rel.Publisher,
		Created:        stamp,
		Modified:       stamp,
		Language:       "en-GB",
		Version:        rel.Version,
	}
	if rel.Illustrative {
		props.Description = IllustrativeNotice
	}
	if err := f.SetDocProps(props); err != nil {
		return err
	}
	f.SetZipWriter(func(w io.Writer) excelize.ZipWriter { return newSheetZip(w, rows) })
	return f.Write(w)
}

// sheetPath returns the part name of a sheet, such as
// "xl/worksheets/sheet4.xml": excelize names a sheet's part after its ID.
func sheetPath(f *excelize.File, sheet string) (string, error) {
	for id, name := range f.GetSheetMap() {
		if name == sheet {
			return fmt.Sprintf("xl/worksheets/sheet%d.xml", id), nil
		}
	}
	return "", fmt.Errorf("sheet %s not found", sheet)
}

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	dateFmt := "yyyy-mm-dd"
	for _, s := range []struct {
		id    *int
		style excelize.Style
	}{
		{&st.title, excelize.Style{Font: &excelize.Font{Bold: true, Size: 15}}},
		{&st.heading, excelize.Style{Font: &excelize.Font{Bold: true, Size: 12}}},
		{&st.date, excelize.Style{CustomNumFmt: &dateFmt, Alignment: &excelize.Alignment{Horizontal: "right"}}},
		{&st.wrap, excelize.Style{Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"}}},
		{&st.link, excelize.Style{Font: &excelize.Font{Underline: "single", Color: "0563C1"}}},
	} {
		id, err := f.NewStyle(&s.style)
		if err != nil {
			return st, err
		}
		*s.id = id
	}
	return st, nil
}

func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// writeCover writes the cover sheet: the title, a line saying the data is
// illustrative when it is, then each item of release metadata as a heading
// cell above a text cell, all in column A with no blank rows.
func writeCover(f *excelize.File, st styles, rel Release, opt Options) error {
	const sheet = CoverSheet
	row := 1
	put := func(value string, style int) error {
		cell := cellName(1, row)
		row++
		if err := f.SetCellStr(sheet, cell, value); err != nil {
			return err
		}
		if style != 0 {
			return f.SetCellStyle(sheet, cell, cell, style)
		}
		return nil
	}
	item := func(heading, value string) error {
		if strings.TrimSpace(value) == "" {
			value = "Not stated"
		}
		if err := put(heading, st.heading); err != nil {
			return err
		}
		return put(value, 0)
	}
	if err := put(rel.Title, st.title); err != nil {
		return err
	}
	if rel.Illustrative {
		if err := put(IllustrativeNotice, st.heading); err != nil {
			return err
		}
	}
	if err := put("This workbook holds the datasets of the evaluation, one table per sheet. The Contents sheet lists them and the Notes sheet defines every column.", 0); err != nil {
		return err
	}
	for _, it := range [][2]string{
		{"Publisher", rel.Publisher},
		{"Release date", rel.ReleaseDate},
		{"Next update", rel.NextUpdate},
		{"Version", rel.Version},
		{"Status", rel.Status},
	} {
		if err := item(it[0], it[1]); err != nil {
			return err
		}
	}
	if err := put("Licence", st.heading); err != nil {
		return err
	}
	licenceCell := cellName(1, row)
	if err := put(rel.Licence, 0); err != nil {
		return err
	}
	if rel.LicenceURL != "" {
		if err := f.SetCellHyperLink(sheet, licenceCell, rel.LicenceURL, "External",
			excelize.HyperlinkOpts{Tooltip: &rel.LicenceURL}); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, licenceCell, licenceCell, st.link); err != nil {
			return err
		}
		if err := put("Licence address: "+rel.LicenceURL, 0); err != nil {
			return err
		}
	}
	if err := item("Contact", rel.Contact); err != nil {
		return err
	}
	if len(rel.Sources) > 0 {
		if err := item("Sources", strings.Join(rel.Sources, "; ")); err != nil {
			return err
		}
	}
	if opt.SuppressBelow > 0 {
		if err := item("Disclosure control", fmt.Sprintf(
			"Counts of interviews below %d, and counts that would reveal them, are shown as %s (confidential). See the Notes sheet.",
			opt.SuppressBelow, Confidential)); err != nil {
			return err
		}
	}
	if len(rel.Revisions) > 0 {
		if err := put("Revisions", st.heading); err != nil {
			return err
		}
		for _, r := range rel.Revisions {
			line := strings.TrimSpace(strings.Join(nonEmpty(r.Date, versionLabel(r.Version)), ", "))
			if r.Note != "" {
				line += ": " + r.Note
			}
			if err := put(line, 0); err != nil {
				return err
			}
		}
	}
	return f.SetColWidth(sheet, "A", "A", 110)
}

func versionLabel(v string) string {
	if v == "" {
		return ""
	}
	return "version " + v
}

func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// writeContents writes one row per sheet after the cover and contents, with
// a link to the sheet and what it holds.
func writeContents(f *excelize.File, st styles, tables []table) error {
	const sheet = ContentsSheet
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	if err := title(f, st, sheet, "Contents"); err != nil {
		return err
	}
	rows := [][2]string{{NotesSheet, "Notes on the tables in this workbook, including the definition of every column."}}
	for _, t := range tables {
		rows = append(rows, [2]string{t.sheet, t.description})
	}
	if err := f.SetSheetRow(sheet, "A2", &[]string{"Sheet name", "Table description"}); err != nil {
		return err
	}
	for i, r := range rows {
		cell := cellName(1, i+3)
		if err := f.SetSheetRow(sheet, cell, &[]string{r[0], r[1]}); err != nil {
			return err
		}
		if err := f.SetCellHyperLink(sheet, cell, r[0]+"!A1", "Location"); err != nil {
			return err
		}
		if err := f.SetCellStyle(sheet, cell, cell, st.link); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", 20); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 100); err != nil {
		return err
	}
	return addTable(f, sheet, "contents", 2, len(rows))
}

func writeNotes(f *excelize.File, st styles, n notes) error {
	const sheet = NotesSheet
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	if err := title(f, st, sheet, "Notes"); err != nil {
		return err
	}
	if err := f.SetSheetRow(sheet, "A2", &[]string{"Note number", "Note text"}); err != nil {
		return err
	}
	for i, text := range n.texts {
		if err := f.SetSheetRow(sheet, cellName(1, i+3), &[]string{ref(i + 1), text}); err != nil {
			return err
		}
	}
	if len(n.texts) > 0 {
		last := cellName(2, len(n.texts)+2)
		if err := f.SetCellStyle(sheet, "B3", last, st.wrap); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", 14); err != nil {
		return err
	}
	if err := f.SetColWidth(sheet, "B", "B", 110); err != nil {
		return err
	}
	return addTable(f, sheet, "notes", 2, len(n.texts))
}

func title(f *excelize.File, st styles, sheet, text string) error {
	if err := f.SetCellStr(sheet, "A1", text); err != nil {
		return err
	}
	return f.SetCellStyle(sheet, "A1", "A1", st.title)
}

// writeTable writes one dataset's sheet but for its rows: its title in A1,
// the header in row 2, the column widths, and the Excel table named after
// the dataset over the header and the rows that sheetRows will write below.
func writeTable(f *excelize.File, st styles, t table, n notes) error {
	sheet := t.sheet
	if _, err := f.NewSheet(sheet); err != nil {
		return err
	}
	if err := title(f, st, sheet, tableTitle(t, n)); err != nil {
		return err
	}
	if t.n == 0 {
		// An Excel table needs a row under its header: say so instead.
		return f.SetCellStr(sheet, "A2", "There are no records in this table.")
	}
	widths := make([]int, len(t.cols))
	for j, c := range t.cols {
		if err := f.SetCellStr(sheet, cellName(j+1, 2), c.Name); err != nil {
			return err
		}
		widths[j] = utf8.RuneCountInString(c.Name) + 4 // room for the filter button
	}
	for _, row := range t.rows() {
		for j, v := range row {
			widths[j] = max(widths[j], min(cellWidth(v)+1, 60))
		}
	}
	for j := range t.cols {
		col := ingest.ColumnLetters(j + 1)
		if err := f.SetColWidth(sheet, col, col, float64(widths[j])); err != nil {
			return err
		}
	}
	return addTable(f, sheet, t.name, len(t.cols), t.n)
}

// cellWidth is the width in characters of a value as its cell shows it.
func cellWidth(v any) int {
	switch v := v.(type) {
	case string:
		return utf8.RuneCountInString(v)
	case int:
		return len(strconv.Itoa(v))
	case float64:
		return len(formatNumber(v))
	case time.Time:
		return 10
	case bool:
		if v {
			return 3
		}
		return 2
	case confidential:
		return len(Confidential)
	}
	return 0
}

// xlsxText escapes text for a string cell (shared or inline, as sheetRows
// writes it) so that it reads back exactly.
// The OOXML string type (ST_Xstring) reads "_xHHHH_" as an escaped character
// ("_x0041_" is "A"), so the underscore that starts such a pattern is itself
// escaped as "_x005F_"; and a control character that XML 1.0 cannot hold
// becomes "_xHHHH_" (it would otherwise turn into U+FFFD). excelize v2.11.1
// does the first for inline strings but not for the shared strings
// SetCellStr writes (setSharedString stores the value before escaping it),
// and cannot do the second.
func xlsxText(s string) string {
	if !strings.Contains(s, "_x") && !strings.ContainsFunc(s, xmlInvalid) {
		return s
	}
	var b strings.Builder
	for i, r := range s {
		switch {
		case r == '_' && escapeAt(s, i):
			b.WriteString("_x005F_")
		case xmlInvalid(r):
			fmt.Fprintf(&b, "_x%04X_", r)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeAt reports whether s holds "_xHHHH_" at i.
func escapeAt(s string, i int) bool {
	if i+7 > len(s) || s[i+1] != 'x' || s[i+6] != '_' {
		return false
	}
	for _, c := range []byte(s[i+2 : i+6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// xmlInvalid reports whether XML 1.0 cannot hold r.
func xmlInvalid(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return false
	case r < 0x20, r == 0xFFFE, r == 0xFFFF:
		return true
	}
	return false
}

// addTable makes the range from A2 (the header) over ncol columns and nrow
// rows below it a named Excel table.
func addTable(f *excelize.File, sheet, name string, ncol, nrow int) error {
	stripes := true
	return f.AddTable(sheet, &excelize.Table{
		Range:          "A2:" + cellName(ncol, nrow+2),
		Name:           name,
		StyleName:      "TableStyleMedium2",
		ShowRowStripes: &stripes,
	})
}

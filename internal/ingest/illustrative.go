package ingest

import "strings"

// IllustrativeMark starts the title row that marks a file as synthetic,
// illustrative data: `evalsite example` writes it above the header row of
// every sheet and CSV file, where the reader skips it as a title. Deleting
// that row is the one way to remove the mark.
const IllustrativeMark = "ILLUSTRATIVE DATA"

// IllustrativeTitle is the whole title row evalsite example writes.
const IllustrativeTitle = IllustrativeMark + ": synthetic example data written by evalsite example. No figure in it is a real result. Delete this row only if the data has been replaced by real data."

// marked reports whether any of the rows above a header row carries the
// illustrative mark, in any case.
func marked(rows []row) bool {
	for _, r := range rows {
		for _, c := range r.Cells {
			if strings.HasPrefix(strings.ToUpper(strings.TrimSpace(c.Value)), IllustrativeMark) {
				return true
			}
		}
	}
	return false
}

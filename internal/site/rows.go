package site

import (
	"regexp"
	"strings"
	"time"
)

// rowsHTML writes the body rows of a data table, the first cell of each
// row as its header, as the table partial prints them. The generator
// writes the long tables of the generated pages itself (an agreement's
// contacts run to hundreds of cells, on each of 10,000 pages): Hugo's
// templates take about a millisecond a page for what this does in a
// fraction of that. The cells are escaped exactly as the templates escape
// text (TestRowsHTMLEscapesAsTemplatesDo), so the page is the same byte
// for byte.
func rowsHTML(rows [][]string) string {
	var b strings.Builder
	for _, r := range rows {
		b.WriteString("\n    <tr>")
		for i, c := range r {
			if i == 0 {
				b.WriteString(`<th scope="row">`)
				textEscaper.WriteString(&b, c)
				b.WriteString("</th>")
				continue
			}
			b.WriteString("<td>")
			textEscaper.WriteString(&b, c)
			b.WriteString("</td>")
		}
		b.WriteString("</tr>")
	}
	return b.String()
}

// textEscaper escapes text for an HTML element's content as html/template
// does.
var textEscaper = strings.NewReplacer(
	"\x00", "\uFFFD",
	`"`, "&#34;",
	"&", "&amp;",
	"'", "&#39;",
	"+", "&#43;",
	"<", "&lt;",
	">", "&gt;",
)

// isoDateRE is a cell that the date partial shows in words.
var isoDateRE = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// datesInWords returns rows with each ISO date (2001-07-16) in words (16
// July 2001), as the date partial shows a cell, for rowsHTML.
func datesInWords(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		out[i] = make([]string, len(r))
		for j, c := range r {
			out[i][j] = c
			if isoDateRE.MatchString(c) {
				if t, err := time.Parse(time.DateOnly, c); err == nil {
					out[i][j] = t.Format("2 January 2006")
				}
			}
		}
	}
	return out
}

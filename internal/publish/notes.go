package publish

import (
	"fmt"
	"strings"

	"github.com/evalsite/evalsite/internal/ingest"
)

// notes are the numbered notes of the workbook's Notes sheet, repeated in
// evaluation.json. Note n is texts[n-1].
type notes struct {
	texts   []string
	columns map[string]int // table name -> the note defining its columns
	codings int            // the note on codings privacy or disclosure control
}

func (n *notes) add(text string) int {
	n.texts = append(n.texts, text)
	return len(n.texts)
}

// ref returns the marker that points a reader at note i, as "[note 3]".
func ref(i int) string { return fmt.Sprintf("[note %d]", i) }

func buildNotes(rel Release, opt Options, tables []table) notes {
	n := notes{columns: map[string]int{}}
	if rel.Illustrative {
		n.add(IllustrativeNotice)
	}
	if len(rel.Sources) > 0 {
		n.add("Sources: " + strings.Join(rel.Sources, "; ") + ".")
	}
	n.add("Dates are calendar dates written as year-month-day (YYYY-MM-DD). " +
		"A blank cell means the value was not recorded or does not apply, such as the signing date of an agreement not yet signed.")
	n.add(CSVGuardNote)
	if opt.SuppressBelow > 0 {
		n.codings = n.add(fmt.Sprintf("Disclosure control: codings are published only as counts of interviews by code, respondent group and wave, "+
			"so that no interview can be singled out. Counts below %d (including zero) are shown as %s (confidential), and so is every share whose count or base is withheld. "+
			"Further counts are shown as %s where they would let a withheld count be worked out from totals, differences or shares anywhere in this release "+
			"(in these counts, in metrics.json or on the site). Interview identifiers, organisations and excerpts are not published.",
			opt.SuppressBelow, Confidential, Confidential))
	} else {
		text := "Codings: an excerpt is published only when cleared for publication (cleared is yes); other excerpts are left blank."
		if opt.PublishOrganisations {
			text += " The respondent's organisation is published as configured."
		} else {
			text += " The respondent's organisation is not published."
		}
		n.codings = n.add(text)
	}
	for _, t := range tables {
		var b strings.Builder
		fmt.Fprintf(&b, "Columns of the %s table:", t.title)
		for _, c := range t.cols {
			fmt.Fprintf(&b, "\n%s (%s): %s", c.Name, kindText(c), c.Description)
		}
		n.columns[t.name] = n.add(b.String())
	}
	return n
}

// kindText describes the values of a column for a reader.
func kindText(c ingest.Column) string {
	var s string
	switch c.Kind {
	case ingest.Date:
		s = "date"
	case ingest.Integer:
		s = "whole number"
	case ingest.Number:
		s = "number"
	case ingest.Enum:
		s = "one of " + strings.Join(c.Values, ", ")
	case ingest.YesNo:
		s = "yes or no"
	default:
		s = "text"
	}
	if c.Required {
		s += "; always filled"
	}
	return s
}

// tableTitle is the one-line title above a table, with its note markers.
func tableTitle(t table, n notes) string {
	s := t.title + ": " + strings.TrimSuffix(lowerFirst(t.description), ".")
	if t.name == "codings" || t.counts {
		s += " " + ref(n.codings)
	}
	return s + " " + ref(n.columns[t.name])
}

// lowerFirst lowers the first letter of a sentence to run it on after a
// colon, leaving acronyms ("LGA") alone.
func lowerFirst(s string) string {
	if len(s) > 1 && 'A' <= s[0] && s[0] <= 'Z' && 'a' <= s[1] && s[1] <= 'z' {
		return string(s[0]+'a'-'A') + s[1:]
	}
	return s
}

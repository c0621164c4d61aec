package publish

import (
	"fmt"
	"iter"
	"strconv"
	"time"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
)

// confidential is a count withheld by disclosure control, shown as "[c]".
type confidential struct{}

// Confidential is the shorthand shown in place of a withheld count, as the
// Analysis Function guidance recommends: the one the metrics define.
const Confidential = metrics.Withheld

// table is one published dataset: its columns and cleaned rows. A value is
// nil (blank), string, int, float64, time.Time (a date), bool or confidential.
// The rows of the large datasets are made from the records as they are
// written rather than held: at 500,000 events they would take hundreds of MB.
type table struct {
	name        string // resource name and file stem, such as "agreements"
	title       string // "Agreements"
	sheet       string // worksheet name, under 31 characters
	description string
	key         string // the unique column, if any
	cols        []ingest.Column
	n           int                    // number of rows
	row         func(i int, dst []any) // fills dst, of len(cols), with row i
	counts      bool                   // aggregated counts of interviews under disclosure control
}

// rows yields the rows in order. The slice is reused from row to row: use
// it before the next.
func (t table) rows() iter.Seq2[int, []any] {
	return func(yield func(int, []any) bool) {
		dst := make([]any, len(t.cols))
		for i := range t.n {
			t.row(i, dst)
			if !yield(i, dst) {
				return
			}
		}
	}
}

// setRows makes t yield rows held in memory, for the small tables.
func (t *table) setRows(rows [][]any) {
	t.n = len(rows)
	t.row = func(i int, dst []any) { copy(dst, rows[i]) }
}

func (t table) file() string { return t.name + ".csv" }

// columns returns a copy of the columns, safe to hand out.
func (t table) columns() []ingest.Column {
	cols := make([]ingest.Column, len(t.cols))
	for i, c := range t.cols {
		c.Values = append([]string(nil), c.Values...)
		cols[i] = c
	}
	return cols
}

// buildTables cleans the datasets into the tables every format is written
// from, in dataset order. The codebook is present only when one was given.
func buildTables(d *ingest.Data, disc *metrics.Disclosure, opt Options) []table {
	schemas := map[string]ingest.Schema{}
	for _, s := range ingest.Schemas() {
		schemas[s.Name] = s
	}
	newTable := func(name, title string) table {
		s := schemas[name]
		return table{name: name, title: title, sheet: title, description: s.Description, key: s.Key, cols: s.Columns}
	}

	ag := newTable("agreements", "Agreements")
	ag.n = len(d.Agreements)
	ag.row = func(i int, dst []any) {
		a := &d.Agreements[i]
		fill(dst, a.ID, a.Authority, text(a.AuthorityType), text(a.Region), text(a.Tranche),
			date(a.Started), date(a.Signed), date(a.Withdrawn),
			intPtr(a.Targets), floatPtr(a.PumpPrimingGBP), floatPtr(a.RewardGrantGBP))
	}

	fr := newTable("freedoms", "Freedoms")
	fr.n = len(d.Freedoms)
	fr.row = func(i int, dst []any) {
		f := &d.Freedoms[i]
		fill(dst, f.RequestID, f.AgreementID, f.Department, text(f.Request), f.Outcome, text(f.Reason), date(f.Decided))
	}

	ev := newTable("events", "Events")
	ev.n = len(d.Events)
	ev.row = func(i int, dst []any) {
		e := &d.Events[i]
		fill(dst, text(e.AgreementID), date(e.Date), e.Type, text(e.Department), floatPtr(e.Hours), text(e.Note))
	}

	tables := []table{ag, fr, ev}
	if disc != nil {
		tables = append(tables, codingCounts(disc, schemas["codings"]))
	} else {
		tables = append(tables, codings(d.Codings, schemas["codings"], opt.PublishOrganisations))
	}

	if d.Codebook != nil {
		cb := newTable("codebook", "Codebook")
		cb.n = len(d.Codebook)
		cb.row = func(i int, dst []any) {
			c := &d.Codebook[i]
			fill(dst, c.Code, c.Label, text(c.Parent), text(c.Description))
		}
		tables = append(tables, cb)
	}
	return tables
}

// codings publishes the codings row by row: an excerpt only when cleared, the
// organisation only when the configuration allows it.
func codings(cs []ingest.Coding, s ingest.Schema, organisations bool) table {
	t := table{name: "codings", title: "Codings", sheet: "Codings", description: s.Description}
	for _, c := range s.Columns {
		if c.Name == "organisation" && !organisations {
			continue
		}
		t.cols = append(t.cols, c)
	}
	t.n = len(cs)
	t.row = func(i int, dst []any) {
		c := &cs[i]
		excerpt := ""
		if c.Cleared {
			excerpt = c.Excerpt
		}
		if organisations {
			fill(dst, c.InterviewID, waveText(c.Wave), c.Group, text(c.Organisation), c.Code, text(c.Valence), text(excerpt), c.Cleared)
		} else {
			fill(dst, c.InterviewID, waveText(c.Wave), c.Group, c.Code, text(c.Valence), text(excerpt), c.Cleared)
		}
	}
	return t
}

// codingCounts publishes the codings as the number of distinct interviews
// for each code, group and wave, with the disclosure decisions of the
// metrics: every code with every group and wave found in the data, so that
// a missing row never stands for a zero.
func codingCounts(disc *metrics.Disclosure, s ingest.Schema) table {
	groupCol, _ := s.Column("group")
	waveCol, _ := s.Column("wave")
	codeCol, _ := s.Column("code")
	t := table{
		name:        "coding_counts",
		title:       "Coding counts",
		sheet:       "Coding_counts",
		description: "Number of interviews to which each code was applied, by respondent group and wave, with disclosure control.",
		counts:      true,
		cols: []ingest.Column{
			{Name: "code", Kind: ingest.Text, Required: true, Description: codeCol.Description},
			{Name: "group", Kind: ingest.Enum, Required: true, Values: groupCol.Values, Description: groupCol.Description},
			{Name: "wave", Kind: ingest.Enum, Required: true, Values: waveCol.Values, Description: waveCol.Description},
			{Name: "interviews", Kind: ingest.Integer, Description: "Number of distinct interviews in the group and wave to which the code was applied; " +
				Confidential + " when fewer than the threshold, or withheld so that another withheld count cannot be worked out."},
		},
	}
	rows := make([][]any, 0, len(disc.Cells))
	for _, c := range disc.Cells {
		var n any = c.Interviews.N
		if c.Interviews.Withheld() {
			n = confidential{}
		}
		rows = append(rows, []any{c.Code, c.Group, c.Wave, n})
	}
	t.setRows(rows)
	return t
}

// index returns the position of v in s, or len(s) when absent.
func index(s []string, v string) int {
	for i, x := range s {
		if x == v {
			return i
		}
	}
	return len(s)
}

// fill sets the values of a row.
func fill(dst []any, values ...any) {
	if len(values) != len(dst) {
		panic(fmt.Sprintf("publish: a row of %d values for %d columns", len(values), len(dst)))
	}
	copy(dst, values)
}

// text returns nil for an empty string, so that a blank cell stays blank.
func text(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func date(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

func intPtr(p *int) any {
	if p == nil {
		return nil
	}
	return *p
}

func floatPtr(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func waveText(w int) string { return strconv.Itoa(w) }

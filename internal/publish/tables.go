package publish

import (
	"iter"

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
	// Each dataset is published column by column as the schema reads its
	// records: a new column reaches every download without a change here.
	newTable := func(name, title string, n int, rec func(i int) any) table {
		s := schemas[name]
		t := table{name: name, title: title, sheet: title, description: s.Description, key: s.Key, cols: s.Columns, n: n}
		t.row = func(i int, dst []any) {
			r := rec(i)
			for j, c := range t.cols {
				dst[j] = c.Value(r)
			}
		}
		return t
	}
	// A dataset the input did not have is not published as an empty
	// table: a researcher would take it for one with no rows. Records made
	// in memory, with no sources, count as having every dataset.
	given := func(name string) bool { return d.Sources == nil || d.Present(name) }
	tables := []table{
		newTable("agreements", "Agreements", len(d.Agreements), func(i int) any { return &d.Agreements[i] }),
	}
	if given("freedoms") {
		tables = append(tables, newTable("freedoms", "Freedoms", len(d.Freedoms), func(i int) any { return &d.Freedoms[i] }))
	}
	if given("events") {
		tables = append(tables, newTable("events", "Events", len(d.Events), func(i int) any { return &d.Events[i] }))
	}
	switch {
	case !given("codings"):
	case disc != nil:
		tables = append(tables, codingCounts(disc, schemas["codings"]))
	default:
		tables = append(tables, codings(d.Codings, schemas["codings"], opt.PublishOrganisations))
	}
	if d.Codebook != nil {
		tables = append(tables, newTable("codebook", "Codebook", len(d.Codebook), func(i int) any { return &d.Codebook[i] }))
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
		for j, col := range t.cols {
			if col.Name == "excerpt" && !c.Cleared {
				dst[j] = nil
				continue
			}
			dst[j] = col.Value(c)
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

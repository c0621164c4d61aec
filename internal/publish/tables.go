package publish

import (
	"fmt"
	"iter"
	"sort"
	"strconv"
	"time"

	"github.com/evalsite/evalsite/internal/ingest"
)

// confidential is a count withheld by disclosure control, shown as "[c]".
type confidential struct{}

// Confidential is the shorthand shown in place of a suppressed count, as the
// Analysis Function guidance recommends.
const Confidential = "[c]"

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
func buildTables(d *ingest.Data, opt Options) []table {
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
	if opt.SuppressBelow > 0 {
		tables = append(tables, codingCounts(d.Codings, schemas["codings"], opt.SuppressBelow))
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
// for each code, group and wave, with disclosure control applied: for each
// code the counts form a grid of groups by waves, suppressed as suppress
// does. Only the groups and waves found in the data appear, every code with
// every one of them, so that a missing row never stands for a zero.
func codingCounts(cs []ingest.Coding, s ingest.Schema, below int) table {
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

	type cellKey struct {
		code, group string
		wave        int
	}
	seen := map[cellKey]map[string]bool{}
	codesSeen, groupsSeen, wavesSeen := map[string]bool{}, map[string]bool{}, map[int]bool{}
	for _, c := range cs {
		k := cellKey{c.Code, c.Group, c.Wave}
		if seen[k] == nil {
			seen[k] = map[string]bool{}
		}
		seen[k][c.InterviewID] = true
		codesSeen[c.Code], groupsSeen[c.Group], wavesSeen[c.Wave] = true, true, true
	}
	var codes []string
	for c := range codesSeen {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var groups []string // in the order the specification lists them, unknown ones last
	for g := range groupsSeen {
		groups = append(groups, g)
	}
	sort.Slice(groups, func(i, j int) bool {
		ii, jj := index(groupCol.Values, groups[i]), index(groupCol.Values, groups[j])
		if ii != jj {
			return ii < jj
		}
		return groups[i] < groups[j]
	})
	var waves []int
	for w := range wavesSeen {
		waves = append(waves, w)
	}
	sort.Ints(waves)

	var rows [][]any
	for _, code := range codes {
		grid := make([][]int, len(groups))
		for i, g := range groups {
			grid[i] = make([]int, len(waves))
			for j, w := range waves {
				grid[i][j] = len(seen[cellKey{code, g, w}])
			}
		}
		hidden := suppress(grid, below)
		for i, g := range groups {
			for j, w := range waves {
				var n any = grid[i][j]
				if hidden[i][j] {
					n = confidential{}
				}
				rows = append(rows, []any{code, g, waveText(w), n})
			}
		}
	}
	t.setRows(rows)
	return t
}

// suppress returns which counts of a grid to withhold: every count below
// the threshold (zero included, as SPEC section 4 asks of any count below it),
// and then, wherever a row or a column holds exactly one withheld count, the
// smallest count still shown in that row or column (the first on a tie), so
// that no withheld count can be worked out from the row or column total. It
// repeats over rows then columns until nothing changes. A row or column of a
// single cell cannot be protected this way; its total is the cell itself.
func suppress(grid [][]int, below int) [][]bool {
	hidden := make([][]bool, len(grid))
	for i, row := range grid {
		hidden[i] = make([]bool, len(row))
		for j, n := range row {
			hidden[i][j] = n < below
		}
	}
	if len(grid) == 0 {
		return hidden
	}
	ncol := len(grid[0])
	// protect withholds one more cell of a line when it has exactly one
	// withheld; cells are the line's positions in the grid.
	protect := func(cells [][2]int) bool {
		count, best := 0, -1
		for k, c := range cells {
			if hidden[c[0]][c[1]] {
				count++
				continue
			}
			if best < 0 || grid[c[0]][c[1]] < grid[cells[best][0]][cells[best][1]] {
				best = k
			}
		}
		if count != 1 || best < 0 {
			return false
		}
		hidden[cells[best][0]][cells[best][1]] = true
		return true
	}
	for changed := true; changed; {
		changed = false
		for i := range grid {
			cells := make([][2]int, ncol)
			for j := range ncol {
				cells[j] = [2]int{i, j}
			}
			changed = protect(cells) || changed
		}
		for j := range ncol {
			cells := make([][2]int, len(grid))
			for i := range grid {
				cells[i] = [2]int{i, j}
			}
			changed = protect(cells) || changed
		}
	}
	return hidden
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

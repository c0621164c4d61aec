package site

import (
	"github.com/evalsite/evalsite/internal/format"

	"context"
	"maps"
	"slices"
	"sort"

	"github.com/evalsite/evalsite/internal/metrics"
)

// dataTable is a table that prose can cite by name with the table shortcode.
type dataTable struct {
	Caption string     `json:"caption"`
	Header  []string   `json:"header"`
	Rows    [][]string `json:"rows"`
}

// tables writes the named tables of the table shortcode. Every chart's data
// is also a table, under the chart's name; these add the breakdowns that
// have no chart. Counts of interviews come from the figures, so disclosure
// control applies to them as everywhere else.
func (g *generator) tables(context.Context) error {
	m := g.metrics
	f := func(name string) string { return g.figs[name] }
	ts := map[string]dataTable{}

	tt := dataTable{
		Caption: "Days from start to signing of signed agreements, by tranche",
		Header:  []string{"Tranche", "Signed", "Median", "Mean", "Lower quartile", "Upper quartile", "Shortest", "Longest"},
	}
	for _, t := range slices.Sorted(maps.Keys(m.TimeToAgreement.ByTranche)) {
		p := "time_to_agreement_days.by_tranche." + t + "."
		tt.Rows = append(tt.Rows, []string{t, f(p + "n"), f(p + "median"), f(p + "mean"), f(p + "p25"), f(p + "p75"), f(p + "min"), f(p + "max")})
	}
	ts["time_to_agreement_by_tranche"] = tt

	fd := dataTable{
		Caption: "Requests for freedoms and flexibilities by department and outcome",
		Header:  []string{"Department", "Requested", "Granted", "Partly granted", "Not granted", "Deferred"},
	}
	for _, d := range slices.Sorted(maps.Keys(m.Freedoms.ByDepartment)) {
		c := m.Freedoms.ByDepartment[d]
		fd.Rows = append(fd.Rows, ints(d, c.Requested, c.Granted, c.PartlyGranted, c.NotGranted, c.Deferred))
	}
	fd.Rows = append(fd.Rows, ints("All departments", m.Freedoms.Requested, m.Freedoms.Granted, m.Freedoms.PartlyGranted, m.Freedoms.NotGranted, m.Freedoms.Deferred))
	ts["freedoms_by_department"] = fd

	ts["refusal_reasons"] = countTable("Requests by the reason given for not granting them", "Reason", "Requests", m.Freedoms.RefusalReasons)
	ts["events_by_type"] = countTable("Dated contacts by type", "Type of contact", "Contacts", m.Events.ByType)

	ig := dataTable{Caption: "Interviews by respondent group", Header: []string{"Respondent group", "Interviews"}}
	for _, grp := range ingestGroups() {
		if _, ok := m.Codings.InterviewsByGroup[grp]; ok {
			ig.Rows = append(ig.Rows, []string{valueLabel(grp), f("codings.interviews_by_group." + grp)})
		}
	}
	ig.Rows = append(ig.Rows, []string{"All interviews", f("codings.interviews")})
	ts["interviews_by_group"] = ig

	ts["cooccurrence"] = g.cooccurrenceTable(m)
	return g.writeData("tables", ts)
}

// cooccurrenceTable lists the pairs of codes most often raised in the same
// interview, at most 20. Under disclosure control only the published pairs
// are listed, in their published order, which never depends on a withheld
// count: a pair not listed is withheld or was never raised.
func (g *generator) cooccurrenceTable(m *metrics.Metrics) dataTable {
	labels := g.codeLabels()
	t := dataTable{Caption: "Pairs of themes most often raised in the same interview", Header: []string{"Theme", "With theme", "Interviews"}}
	type row struct {
		a, b string
		n    int
	}
	var rows []row
	if d := m.Disclosure; d != nil {
		for _, p := range d.Cooccurrence {
			if !p.Interviews.Withheld() {
				rows = append(rows, row{p.A, p.B, p.Interviews.N})
			}
		}
	} else {
		for _, p := range m.Codings.Cooccurrence {
			rows = append(rows, row{p.A, p.B, p.Interviews})
		}
	}
	for i, p := range rows {
		if i == 20 {
			break
		}
		t.Rows = append(t.Rows, []string{labels[p.a], labels[p.b], format.Count(p.n)})
	}
	return t
}

// countTable makes a two-column table of counts by canonical value, largest first.
func countTable(caption, what, unit string, counts map[string]int) dataTable {
	keys := slices.Sorted(maps.Keys(counts))
	sort.SliceStable(keys, func(i, j int) bool { return counts[keys[i]] > counts[keys[j]] })
	t := dataTable{Caption: caption, Header: []string{what, unit}}
	for _, k := range keys {
		t.Rows = append(t.Rows, []string{valueLabel(k), format.Count(counts[k])})
	}
	return t
}

func ints(label string, ns ...int) []string {
	row := []string{label}
	for _, n := range ns {
		row = append(row, format.Count(n))
	}
	return row
}

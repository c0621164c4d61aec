package site

import (
	"github.com/evalsite/evalsite/internal/format"

	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"regexp"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/evalsite/evalsite/charts"
	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
)

// chartJob draws one chart; name is how report chapters cite it.
type chartJob struct {
	name string
	draw func(w io.Writer, o ...charts.Option) (*charts.Chart, error)
	// noCSV leaves out the chart's CSV: an agreement's own timeline shows
	// the events listed beside it and published in events.csv.
	noCSV bool
	// small charts are drawn once, at the phone's width, and shown no wider
	// than that allows on larger screens; the others are drawn twice.
	small bool
	// input is all that draw depends on, when known: a chart whose input
	// is unchanged since the previous build in the same folder is not
	// drawn again.
	input any
}

// chartKey identifies a chart drawn from its name and input, or is "" when
// the input is not known.
func chartKey(j chartJob) string {
	if j.input == nil {
		return ""
	}
	b, err := json.Marshal(j.input)
	if err != nil {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(j.name))
	h.Write([]byte{0})
	h.Write(b)
	return hex.EncodeToString(h.Sum(nil))
}

// narrowWidth is the width of the drawing a phone is given: at 320 CSS
// pixels a page's content is 288 wide, and the charts' smallest text (13
// units) then shows at 12.5 pixels.
const narrowWidth = 300

// chartMeta is what the chart partial prints around a chart.
type chartMeta struct {
	Name     string     `json:"name"`
	Title    string     `json:"title"`
	Subtitle string     `json:"subtitle"`
	Source   string     `json:"source"`
	Alt      string     `json:"alt"`
	Header   []string   `json:"header"`
	Rows     [][]string `json:"-"`
	// RowsHTML is the body of the chart's data table, dates in words, as
	// the table partial prints it (see rowsHTML): a chart of every
	// agreement has a row for each.
	RowsHTML string `json:"rows_html"`
	SVG      string `json:"svg"`
	CSV      string `json:"csv,omitempty"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
	// Narrow is the drawing for narrow screens, when there is one.
	Narrow       string `json:"narrow,omitempty"`
	NarrowWidth  int    `json:"narrow_width,omitempty"`
	NarrowHeight int    `json:"narrow_height,omitempty"`
	Small        bool   `json:"small,omitempty"`
}

// charts draws every chart into charts/ of the build, both cores at once,
// records the texts of the report's and sections' charts for the templates,
// and returns every chart's texts by name, for the pages that carry their
// own chart.
func (g *generator) charts(ctx context.Context) (drawnCharts, error) {
	jobs := g.chartJobs()
	st := beginStage(g.prog, StageCharts, "charts", len(jobs))
	defer st.end()
	metas := make([]chartMeta, len(jobs))
	errs := make([]error, len(jobs))
	keys := make([]string, len(jobs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				if g.drawn != nil {
					keys[i] = chartKey(jobs[i])
				}
				if m, ok := g.drawn[keys[i]]; ok && keys[i] != "" {
					metas[i] = m
				} else {
					metas[i], errs[i] = g.drawChart(jobs[i])
				}
				st.add(1)
			}
		})
	}
	for i := range jobs {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return drawnCharts{}, err
	}
	byName := map[string]chartMeta{}
	shared := map[string]chartMeta{}
	for i, err := range errs {
		if err != nil {
			return drawnCharts{}, fmt.Errorf("chart %s: %w", jobs[i].name, err)
		}
		byName[jobs[i].name] = metas[i]
		if !strings.HasPrefix(jobs[i].name, agreementChartPrefix) {
			shared[jobs[i].name] = metas[i]
		}
	}
	d := drawnCharts{byName: byName}
	if g.drawn != nil {
		d.byKey = map[string]chartMeta{}
		for i, k := range keys {
			if k != "" {
				d.byKey[k] = metas[i]
			}
		}
	}
	return d, g.writeData("charts", shared)
}

// drawnCharts is what the charts step hands on: every chart's texts by
// name, for the pages that carry their own chart, and by the hash of its
// input, for the preview's next build (nil in a one-off build).
type drawnCharts struct {
	byName map[string]chartMeta
	byKey  map[string]chartMeta
}

// agreementChartPrefix begins the name of an agreement's own timeline,
// which its page carries rather than the shared chart data: an edit of one
// agreement then renders that agreement's page again, not all of them.
const agreementChartPrefix = "agreement-"

func (g *generator) drawChart(j chartJob) (chartMeta, error) {
	var svg bytes.Buffer
	var opts []charts.Option
	if j.small {
		opts = append(opts, charts.Width(narrowWidth))
	}
	c, err := j.draw(&svg, opts...)
	if err != nil {
		return chartMeta{}, err
	}
	m := chartMeta{
		Name: j.name, Title: c.Title, Subtitle: c.Subtitle, Source: c.Source, Alt: c.Alt,
		Header: c.Header, Rows: c.Rows, RowsHTML: rowsHTML(datesInWords(c.Rows)),
		SVG: "charts/" + j.name + ".svg", Small: j.small,
	}
	m.Width, m.Height = svgSize(svg.Bytes())
	if err := g.writeOut(m.SVG, svg.Bytes()); err != nil {
		return m, err
	}
	if !j.small {
		svg.Reset()
		if _, err := j.draw(&svg, charts.Width(narrowWidth)); err != nil {
			return chartMeta{}, err
		}
		m.Narrow = "charts/" + j.name + "-narrow.svg"
		m.NarrowWidth, m.NarrowHeight = svgSize(svg.Bytes())
		if err := g.writeOut(m.Narrow, svg.Bytes()); err != nil {
			return m, err
		}
	}
	if j.noCSV {
		return m, nil
	}
	var csv bytes.Buffer
	if err := c.WriteCSV(&csv); err != nil {
		return chartMeta{}, err
	}
	m.CSV = "charts/" + j.name + ".csv"
	return m, g.writeOut(m.CSV, csv.Bytes())
}

var viewBoxRE = regexp.MustCompile(`viewBox="0 0 ([0-9.]+) ([0-9.]+)"`)

// svgSize reads the intrinsic size of an SVG from its viewBox, so that the
// page reserves the chart's space before it loads.
func svgSize(b []byte) (w, h int) {
	m := viewBoxRE.FindSubmatch(b)
	if m == nil {
		return 0, 0
	}
	fw, _ := strconv.ParseFloat(string(m[1]), 64)
	fh, _ := strconv.ParseFloat(string(m[2]), 64)
	return int(fw + 0.5), int(fh + 0.5)
}

// chartAgreements converts the agreements for the charts package.
func chartAgreements(as []ingest.Agreement) []charts.Agreement {
	out := make([]charts.Agreement, len(as))
	for i, a := range as {
		out[i] = charts.Agreement{ID: a.ID, Label: a.Authority, Started: a.Started, Signed: a.Signed, Withdrawn: a.Withdrawn}
	}
	return out
}

// chartEvents converts the events of agreements for the charts package.
func chartEvents(es []ingest.Event) []charts.Event {
	out := make([]charts.Event, 0, len(es))
	for _, e := range es {
		if e.AgreementID != "" {
			out = append(out, charts.Event{AgreementID: e.AgreementID, Date: e.Date, Type: e.Type})
		}
	}
	return out
}

// period names the months the figures cover, "November 2000 to May 2001".
func (g *generator) period() string {
	var first time.Time
	for _, a := range g.data.Agreements {
		if first.IsZero() || a.Started.Before(first) {
			first = a.Started
		}
	}
	last := g.metrics.AsOf.Time
	if first.IsZero() || last.IsZero() {
		return ""
	}
	if first.Format("2006-01") == last.Format("2006-01") {
		return first.Format("January 2006")
	}
	return first.Format("January 2006") + " to " + last.Format("January 2006")
}

// chartJobs lists the charts of the site: the evaluation's set, cited by
// name in the report, and a small timeline for each agreement's page.
func (g *generator) chartJobs() []chartJob {
	src := g.ev.Source
	if src == "" {
		src = "Evaluation data"
	}
	m := g.metrics
	asOf := m.AsOf.Time
	period := g.period()
	agreements := chartAgreements(g.data.Agreements)
	events := chartEvents(g.data.Events)

	km := charts.KaplanMeierInput{Source: src, AsOf: asOf, Negotiations: len(g.data.Agreements),
		Censored: m.Detail.Survival.Censored, Median: m.TimeToAgreement.KMMedian}
	for _, st := range m.Detail.Survival.Steps {
		km.Steps = append(km.Steps, charts.KMStep{Day: st.Day, AtRisk: st.AtRisk, Events: st.Events, Survival: st.Survival})
	}
	active := make([]charts.DayCount, len(m.Detail.Active))
	for i, d := range m.Detail.Active {
		active[i] = charts.DayCount{Date: d.Date, Active: d.Active}
	}
	var months []charts.MonthCount
	for _, mc := range m.Detail.MeetingsByMonth {
		months = append(months, charts.MonthCount{Month: mc.Month, Count: mc.Count})
	}
	var depts []charts.DepartmentFreedoms
	for _, d := range slices.Sorted(maps.Keys(m.Freedoms.ByDepartment)) {
		c := m.Freedoms.ByDepartment[d]
		depts = append(depts, charts.DepartmentFreedoms{Department: d, Requested: c.Requested, Granted: c.Granted, PartlyGranted: c.PartlyGranted})
	}
	reasons := refusalReasons(m)
	codeList, groupList := g.heatMapAxes()
	labels := g.codeLabels()
	// A share over fewer than min_base interviews is shown with its base
	// and never headlined.
	cell := func(name string, share float64, base int) charts.Cell {
		text := g.figs[name]
		return charts.Cell{Value: share, Text: text, Suppressed: text == metrics.Withheld, SmallBase: base < g.ev.MinBase, Base: base}
	}
	perWave := m.Codings.InterviewsByWave
	var rowLabels []string
	var cells [][]charts.Cell
	var waves []charts.WaveShares
	for _, c := range codeList {
		st := m.Codings.Codes[c]
		rowLabels = append(rowLabels, labels[c])
		row := make([]charts.Cell, len(groupList))
		for j, grp := range groupList {
			row[j] = cell("codings.codes."+c+".by_group."+grp+".share", st.ByGroup[grp].Share, m.Codings.InterviewsByGroup[grp])
		}
		cells = append(cells, row)
		waves = append(waves, charts.WaveShares{
			Code:  labels[c],
			Wave1: cell("codings.codes."+c+".by_wave.1.share", st.ByWave["1"].Share, perWave["1"]),
			Wave2: cell("codings.codes."+c+".by_wave.2.share", st.ByWave["2"].Share, perWave["2"]),
		})
	}
	groupLabels := make([]string, len(groupList))
	for i, grp := range groupList {
		// Tables of shares by group show each group's size.
		n := g.figs["codings.interviews_by_group."+grp]
		if n == "" {
			n = format.Count(m.Codings.InterviewsByGroup[grp])
		}
		groupLabels[i] = valueLabel(grp) + " (n=" + n + ")"
	}

	jobs := []chartJob{
		{name: "time_to_agreement", draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.TimeToAgreement(w, charts.TimeToAgreementInput{Source: src, Agreements: agreements, Median: orZero(m.TimeToAgreement.Median)}, o...)
		}},
		{name: "kaplan_meier", draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.KaplanMeier(w, km, o...)
		}},
		{name: "timeline", draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.Timeline(w, charts.TimelineInput{Source: src, Agreements: agreements, Events: events, AsOf: asOf,
				Signed: m.Agreements.Signed, Withdrawn: m.Agreements.Withdrawn, InNegotiation: m.Agreements.InNegotiation}, o...)
		}},
		{name: "concurrency", draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.Concurrency(w, charts.ConcurrencyInput{Source: src, Days: active, Capacity: m.Concurrency.Capacity,
				Peak: m.Concurrency.Peak, PeakDate: m.Concurrency.PeakFirstDate.Time, DaysOverCapacity: m.Concurrency.DaysOverCapacity}, o...)
		}},
		{name: "meetings_by_month", draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.MeetingsByMonth(w, charts.MeetingsByMonthInput{Source: src, Months: months,
				Meetings: m.Events.ByType["meeting"], Peak: orEmpty(m.Events.PeakMeetingMonth)}, o...)
		}},
		{name: "freedoms_by_department", draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.FreedomsByDepartment(w, charts.FreedomsByDepartmentInput{Source: src, Period: period, Departments: depts,
				All:         charts.DepartmentFreedoms{Requested: m.Freedoms.Requested, Granted: m.Freedoms.Granted, PartlyGranted: m.Freedoms.PartlyGranted},
				GrantedRate: orZero(m.Freedoms.GrantedRate)}, o...)
		}},
		{name: "refusal_reasons", draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.RefusalReasons(w, charts.RefusalReasonsInput{Source: src, Period: period, Reasons: reasons, Refused: m.Freedoms.NotGranted}, o...)
		}},
		{name: "codes_by_group", draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.CodesByGroup(w, charts.CodesByGroupInput{Source: src, Period: "interviews in waves 1 and 2", Codes: rowLabels, Groups: groupLabels, Cells: cells, MinBase: g.ev.MinBase}, o...)
		}},
		{name: "codes_by_wave", draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.CodesByWave(w, charts.CodesByWaveInput{Source: src, Period: "interviews in waves 1 and 2", Codes: waves, MinBase: g.ev.MinBase, Bases: [2]int{g.waveBase("1"), g.waveBase("2")}}, o...)
		}},
	}
	jobs = append(jobs, g.processChartJobs(src, period)...)
	// A chart of a dataset that is not in the input is left out.
	needs := map[string]string{
		"meetings_by_month": "events", "freedoms_by_department": "freedoms", "refusal_reasons": "freedoms",
		"codes_by_group": "codings", "codes_by_wave": "codings",
		"hours_of_contact": "events", "decision_times": "freedoms",
	}
	jobs = slices.DeleteFunc(jobs, func(j chartJob) bool { return needs[j.name] != "" && !g.present(needs[j.name]) })
	if !g.present("events") {
		return jobs
	}
	sl := g.slugOnce()
	types := eventTypes()
	byAgreement := map[string][]charts.Event{}
	for _, e := range events {
		byAgreement[e.AgreementID] = append(byAgreement[e.AgreementID], e)
	}
	for _, a := range agreements {
		in := charts.AgreementTimelineInput{Source: src, Agreement: a, Events: byAgreement[a.ID], Types: types, AsOf: asOf}
		jobs = append(jobs, chartJob{name: agreementChartPrefix + sl.agreements[a.ID], noCSV: true, small: true, input: in, draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.AgreementTimeline(w, in, o...)
		}})
	}
	return jobs
}

// orZero is a figure that may be missing (null when there is nothing to
// summarise), as a chart input whose chart then does not show it.
func orZero(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}

// orEmpty is a text figure that may be missing, as a chart input.
func orEmpty(v *string) string {
	if v == nil {
		return ""
	}
	return *v
}

// eventTypes gives the charts the words for each event type, from the
// schema, in its order.
func eventTypes() []charts.EventType {
	var out []charts.EventType
	for _, s := range ingest.Schemas() {
		if c, ok := s.Column("type"); ok && s.Name == "events" {
			for _, v := range c.Values {
				out = append(out, charts.EventType{Key: v, Label: c.Label(v), Plural: c.Plural(v)})
			}
		}
	}
	return out
}

// heatMapAxes chooses the rows and columns of the codes-by-group heat map:
// the codes most often raised (at most 15, so that the chart stays legible
// on a phone), by published interviews then name, codes whose count is
// withheld after the others by name (so that the order never shows a
// withheld count), and the groups present in the data.
func (g *generator) heatMapAxes() (codes, groups []string) {
	c := g.metrics.Codings
	for code := range c.Codes {
		codes = append(codes, code)
	}
	shown := func(code string) (int, bool) {
		if d := g.metrics.Disclosure; d != nil && d.Codes[code].Interviews.Withheld() {
			return 0, false
		}
		return c.Codes[code].Interviews, true
	}
	sort.Slice(codes, func(i, j int) bool {
		a, aok := shown(codes[i])
		b, bok := shown(codes[j])
		if aok != bok {
			return aok
		}
		if a != b {
			return a > b
		}
		return codes[i] < codes[j]
	})
	if len(codes) > 15 {
		codes = codes[:15]
	}
	for _, grp := range ingestGroups() {
		if _, ok := c.InterviewsByGroup[grp]; ok {
			groups = append(groups, grp)
		}
	}
	return codes, groups
}

// ingestGroups lists the respondent groups in the schema's order.
func ingestGroups() []string {
	for _, s := range ingest.Schemas() {
		if col, ok := s.Column("group"); ok && s.Name == "codings" {
			return col.Values
		}
	}
	return nil
}

// codeLabels maps each code to its codebook label, or a label made from it.
func (g *generator) codeLabels() map[string]string {
	labels := map[string]string{}
	for _, c := range codes(g.data) {
		labels[c] = valueLabel(c)
	}
	for _, c := range g.data.Codebook {
		if c.Label != "" {
			labels[c.Code] = c.Label
		}
	}
	return labels
}

// refusalReasons lists the refusals by reason, the registry's
// freedoms.refusal_reasons.<reason>, in the schema's order of reasons.
func refusalReasons(m *metrics.Metrics) []charts.Count {
	var out []charts.Count
	for _, s := range ingest.Schemas() {
		if c, ok := s.Column("reason"); ok && s.Name == "freedoms" {
			for _, r := range c.Values {
				out = append(out, charts.Count{Label: valueLabel(r), Count: m.Freedoms.RefusalReasons[r], Share: m.Freedoms.RefusalShares[r]})
			}
		}
	}
	return out
}

// processChartJobs draws the spread of time to agreement by type of
// authority, the hours of contact and the decision times on freedoms, from
// the metrics' own figures.
func (g *generator) processChartJobs(src, period string) []chartJob {
	m := g.metrics
	groups := func(ss []metrics.Spread, blank string, keep func(string) string) []charts.Group {
		out := make([]charts.Group, 0, len(ss))
		for _, s := range ss {
			gr := charts.Group{Label: keep(s.Key), Values: s.Values}
			if s.Key == metrics.NoValue {
				gr.Label, gr.Unrecorded = blank, true
			}
			if s.Stats.N > 0 {
				gr.P25, gr.Median, gr.P75 = *s.Stats.P25, *s.Stats.Median, *s.Stats.P75
			}
			out = append(out, gr)
		}
		return out
	}
	asWritten := func(k string) string { return k }
	byType := groups(m.Detail.Process.TimeToAgreementByAuthorityType, "Type not recorded", valueLabel)
	decisions := groups(m.Detail.Process.DecisionDaysByDepartment, "No department recorded", asWritten)
	var depts, types []charts.Hours
	for _, k := range slices.Sorted(maps.Keys(m.Effort.ByDepartment)) {
		h := charts.Hours{Label: k, Hours: m.Effort.ByDepartment[k], Share: m.Effort.ShareByDepartment[k]}
		if k == metrics.NoValue {
			h.Label, h.Unrecorded = "No department recorded", true
		}
		depts = append(depts, h)
	}
	for _, k := range slices.Sorted(maps.Keys(m.Effort.ByType)) {
		types = append(types, charts.Hours{Label: valueLabel(k), Hours: m.Effort.ByType[k], Share: m.Effort.ShareByType[k]})
	}
	return []chartJob{
		{name: "time_to_agreement_by_type", draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.TimeToAgreementByType(w, charts.TimeToAgreementByTypeInput{Source: src, Period: period, Groups: byType}, o...)
		}},
		{name: "hours_of_contact", draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.HoursOfContact(w, charts.HoursOfContactInput{Source: src, Period: period, ByDepartment: depts, ByType: types, Total: m.Effort.HoursTotal}, o...)
		}},
		{name: "decision_times", draw: func(w io.Writer, o ...charts.Option) (*charts.Chart, error) {
			return charts.DecisionTimes(w, charts.DecisionTimesInput{Source: src, Period: period, Groups: decisions}, o...)
		}},
	}
}

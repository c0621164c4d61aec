package charts

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// TimelineInput is the data for [Timeline].
type TimelineInput struct {
	Source     string
	Agreements []Agreement
	Events     []Event // events of any agreement; programme-wide ones are ignored
	// AsOf is the date open negotiations are drawn to; zero means the latest
	// date among the agreements.
	AsOf time.Time
	// Signed, Withdrawn and InNegotiation are the negotiations of each
	// status, as the metrics give them (agreements.signed, .withdrawn and
	// .in_negotiation): the chart states them and never counts them itself.
	Signed, Withdrawn, InNegotiation int
}

// TimelineMaxRows is the most agreements Timeline draws one labelled row each,
// with their events. With more, every agreement is a thin unlabelled line
// coloured by status and events are left out, so that the SVG stays small (one
// path per status) and readable as a picture of the programme.
const TimelineMaxRows = 40

// Timeline draws one row per agreement, in order of start, from its start to
// its end: signed ones end in a diamond, withdrawn ones in a cross, and open
// ones are dashed to AsOf. Events are ticks on the row.
func Timeline(w io.Writer, in TimelineInput, opts ...Option) (*Chart, error) {
	d, err := describeTimeline(in)
	return drawn(w, d, err, opts)
}

// timelineMarks are a row per agreement in order of start, over days 0 to
// span from first, ending in its status mark, with its events as ticks
// unless there are too many rows.
type timelineMarks struct {
	as         []Agreement
	labels     [][]string
	events     map[string][]time.Time
	first      time.Time
	span       int
	asOf       time.Time
	many       bool
	pitch      vg.Length
	rowsHeight vg.Length
}

// describeTimeline describes the chart of [Timeline].
func describeTimeline(in TimelineInput) (description, error) {
	const name = "Timeline"
	if err := checkAgreements(name, in.Agreements); err != nil {
		return description{}, err
	}
	asOf := asOfOr(in.AsOf, in.Agreements)
	as := slices.Clone(in.Agreements)
	slices.SortFunc(as, func(x, y Agreement) int {
		return cmp.Or(x.Started.Compare(y.Started), x.end(asOf).Compare(y.end(asOf)), cmp.Compare(x.label(), y.label()), cmp.Compare(x.ID, y.ID))
	})
	events := map[string][]time.Time{} // marks: every event but the signing
	perAgreement := map[string]int{}
	for _, e := range in.Events {
		if e.AgreementID == "" {
			continue
		}
		perAgreement[e.AgreementID]++
		if e.Type != SigningType {
			events[e.AgreementID] = append(events[e.AgreementID], e.Date)
		}
	}
	c := &Chart{
		Source: in.Source,
		Header: []string{"Agreement", "Started", "Ended", "Status", "Days", "Events"},
	}
	counts := [3]int{Open: in.InNegotiation, Signed: in.Signed, Withdrawn: in.Withdrawn}
	if n := in.Signed + in.Withdrawn + in.InNegotiation; n != len(in.Agreements) || min(in.Signed, in.Withdrawn, in.InNegotiation) < 0 {
		return description{}, errorf(name, "%d signed, %d withdrawn and %d in negotiation, but %d agreements", in.Signed, in.Withdrawn, in.InNegotiation, len(in.Agreements))
	}
	var first, last time.Time
	nEvents := 0
	for i, a := range as {
		end := a.end(asOf)
		if i == 0 || a.Started.Before(first) {
			first = a.Started
		}
		if end.After(last) {
			last = end
		}
		ended := isoDate(end)
		if a.Status() == Open {
			ended = ""
		}
		n := perAgreement[a.ID]
		nEvents += n
		c.Rows = append(c.Rows, []string{a.label(), isoDate(a.Started), ended, a.Status().String(), itoa(daysBetween(a.Started, end)), itoa(n)})
	}
	if len(as) == 0 {
		c.Title = "There are no negotiations to show"
		c.Subtitle = "Negotiations from start to signing or withdrawal"
		c.Alt = "There are no negotiations to show."
		return message(c, "No negotiations to show."), nil
	}
	c.Subtitle = "Each negotiation from its start to its signing or withdrawal, " + period(first, last)
	c.Title = fmt.Sprintf("%s of %s have been signed", itoa(counts[Signed]), plural(len(as), "negotiation", "negotiations"))
	if counts[Signed] == len(as) {
		c.Title = fmt.Sprintf("All %s have been signed", plural(len(as), "negotiation", "negotiations"))
		if len(as) == 1 {
			c.Title = "The only negotiation has been signed"
		}
	}
	var parts []string
	parts = append(parts, itoa(counts[Signed])+" signed")
	if counts[Withdrawn] > 0 {
		parts = append(parts, itoa(counts[Withdrawn])+" withdrawn")
	}
	if counts[Open] > 0 {
		parts = append(parts, itoa(counts[Open])+" still in negotiation")
	}
	c.Alt = fmt.Sprintf("Of %s, %s. They ran from %s to %s, with %s recorded.",
		plural(len(as), "negotiation", "negotiations"), joinAnd(parts), longDate(first), longDate(last), plural(nEvents, "event", "events"))
	span := daysBetween(first, last)
	if span == 0 {
		return message(c, "Every negotiation started and ended on the same day."), nil
	}

	f := description{chart: c}
	many := len(as) > TimelineMaxRows
	signedKey, withdrawnKey := keyDiamond, keyCross
	if many {
		signedKey, withdrawnKey = keyLine, keyLine
	}
	f.key = []keyItem{{signedKey, darkBlue, "Signed"}}
	if counts[Withdrawn] > 0 {
		f.key = append(f.key, keyItem{withdrawnKey, orange, "Withdrawn"})
	}
	if counts[Open] > 0 {
		openKey := keyDash
		if many {
			openKey = keyLine
		}
		f.key = append(f.key, keyItem{openKey, turquoise, "Still in negotiation"})
	}
	var pitch vg.Length = 18
	if many {
		pitch = 400 / vg.Length(len(as))
		c.Subtitle += "; events are not shown for more than " + itoa(TimelineMaxRows) + " negotiations"
	} else if nEvents > 0 {
		f.key = append(f.key, keyItem{keyTick, darkGrey, "Event"})
	}
	rowsHeight := pitch * vg.Length(len(as))
	f.bodyHeight = rowsHeight + timeAxisHeight + 4
	f.body = timelineMarks{as: as, labels: c.Rows, events: events, first: first, span: span, asOf: asOf, many: many, pitch: pitch, rowsHeight: rowsHeight}
	return f, nil
}

func (m timelineMarks) draw(dc draw.Canvas) {
	as, labels, events, first, span, asOf, many, pitch, rowsHeight := m.as, m.labels, m.events, m.first, m.span, m.asOf, m.many, m.pitch, m.rowsHeight
	labelSty := textStyle(smallSize, false, black, draw.XRight)
	x0 := dc.Min.X
	if !many {
		x0 += maxLabelWidth(labelSty, labels, 0, (dc.Max.X-dc.Min.X)*0.45) + 8
	}
	sx := scale{min: 0, max: float64(span), lo: x0, hi: dc.Max.X - 8}
	top := dc.Max.Y
	axisY := top - rowsHeight - 4
	drawTimeAxis(dc, sx, first, axisY)
	var lines [3][][2]vg.Point
	var ticks [][2]vg.Point
	width := min(pitch*0.6, 3)
	for i, a := range as {
		yc := top - pitch*(vg.Length(i)+0.5)
		xs := sx.at(float64(daysBetween(first, a.Started)))
		xe := sx.at(float64(daysBetween(first, a.end(asOf))))
		lines[a.Status()] = append(lines[a.Status()], [2]vg.Point{{X: xs, Y: yc}, {X: xe, Y: yc}})
		if many {
			continue
		}
		dc.FillText(labelSty, vg.Point{X: x0 - 8, Y: yc + smallSize*0.5}, truncate(labelSty, a.label(), x0-dc.Min.X-8))
		for _, t := range events[a.ID] {
			d := daysBetween(first, t)
			if d < 0 || d > span {
				continue // outside every negotiation (a warning at ingest): not drawn
			}
			x := sx.at(float64(d))
			ticks = append(ticks, [2]vg.Point{{X: x, Y: yc - 5}, {X: x, Y: yc + 5}})
		}
	}
	strokeSegments(dc, draw.LineStyle{Color: darkBlue, Width: width}, lines[Signed])
	strokeSegments(dc, draw.LineStyle{Color: orange, Width: width}, lines[Withdrawn])
	open := draw.LineStyle{Color: turquoise, Width: width}
	if !many {
		open.Dashes = []vg.Length{4, 2}
	}
	strokeSegments(dc, open, lines[Open])
	if many {
		return
	}
	strokeSegments(dc, draw.LineStyle{Color: darkGrey, Width: 1.2}, ticks)
	for i, a := range as {
		yc := top - pitch*(vg.Length(i)+0.5)
		xe := sx.at(float64(daysBetween(first, a.end(asOf))))
		switch a.Status() {
		case Signed:
			drawMark(dc, keyDiamond, darkBlue, xe, yc, 5)
		case Withdrawn:
			drawMark(dc, keyCross, orange, xe, yc, 4)
		}
	}
}

// DayCount is the number of negotiations active on one day.
type DayCount struct {
	Date   time.Time
	Active int
}

// ConcurrencyInput is the data for [Concurrency]. The counts are those of the
// metrics (concurrency in metrics.json: an agreement is active on a day when
// started <= day < end), so the chart and the figures cannot disagree.
type ConcurrencyInput struct {
	Source string
	// Days has one count per day, consecutive, from the first start to the
	// as-of date.
	Days []DayCount
	// Capacity is the most negotiations the centre can run at once; zero or
	// less draws no capacity line.
	Capacity int
	// Peak, PeakDate and DaysOverCapacity are the metrics' figures
	// (concurrency.peak, .peak_first_date and .days_over_capacity): the
	// chart states and marks them, and never finds them in Days itself.
	// PeakDate is ignored when Peak is zero.
	Peak             int
	PeakDate         time.Time
	DaysOverCapacity int
}

// Concurrency draws the negotiations active on each day as a step line, with
// the capacity as a dashed line and the first peak marked.
func Concurrency(w io.Writer, in ConcurrencyInput, opts ...Option) (*Chart, error) {
	d, err := describeConcurrency(in)
	return drawn(w, d, err, opts)
}

// concurrencyMarks are the active negotiations of each day from first as a
// step line, the capacity line and the first peak.
type concurrencyMarks struct {
	active   []int
	first    time.Time
	capacity int
	peak     int
	peakDay  int
	peakDate time.Time
}

// describeConcurrency describes the chart of [Concurrency].
func describeConcurrency(in ConcurrencyInput) (description, error) {
	const name = "Concurrency"
	c := &Chart{Source: in.Source, Header: []string{"From", "To", "Active negotiations"}}
	if len(in.Days) == 0 {
		c.Title = "There are no negotiations to show"
		c.Subtitle = "Negotiations active on each day"
		c.Alt = "There are no negotiations to show."
		return message(c, "No negotiations to show."), nil
	}
	first := day(in.Days[0].Date)
	active := make([]int, len(in.Days))
	for i, d := range in.Days {
		if got := daysBetween(first, d.Date); got != i {
			return description{}, errorf(name, "day %d is %s, want consecutive days from %s", i+1, isoDate(d.Date), isoDate(first))
		}
		if d.Active < 0 {
			return description{}, errorf(name, "%s has %d active negotiations", isoDate(d.Date), d.Active)
		}
		active[i] = d.Active
	}
	asOf := first.AddDate(0, 0, len(active)-1)
	peak, peakDay, over := in.Peak, 0, in.DaysOverCapacity
	if peak > 0 {
		peakDay = daysBetween(first, in.PeakDate)
		if peakDay < 0 || peakDay >= len(active) || active[peakDay] != peak {
			return description{}, errorf(name, "the peak of %d on %s is not a day of the counts", peak, isoDate(in.PeakDate))
		}
	}
	if over < 0 || over > len(active) {
		return description{}, errorf(name, "%d days over capacity, of %d days", over, len(active))
	}
	for _, r := range runs(active) {
		c.Rows = append(c.Rows, []string{isoDate(first.AddDate(0, 0, r[0])), isoDate(first.AddDate(0, 0, r[1])), itoa(active[r[0]])})
	}
	peakDate := first.AddDate(0, 0, peakDay)
	c.Subtitle = "Negotiations active on each day, " + dateRange(first, asOf)
	c.Alt = fmt.Sprintf("At most %s active at once, first on %s.", plural(peak, "negotiation was", "negotiations were"), longDate(peakDate))
	switch {
	case in.Capacity <= 0:
		c.Title = fmt.Sprintf("At most %s active at once", plural(peak, "negotiation was", "negotiations were"))
	case over > 0:
		c.Title = fmt.Sprintf("Active negotiations exceeded the capacity of %d on %s", in.Capacity, plural(over, "day", "days"))
		c.Alt += fmt.Sprintf(" More than the capacity of %d were active on %s.", in.Capacity, plural(over, "day", "days"))
	default:
		c.Title = fmt.Sprintf("Active negotiations stayed within the capacity of %d", in.Capacity)
		c.Alt += fmt.Sprintf(" The capacity of %d was never exceeded.", in.Capacity)
	}
	if peak == 0 {
		return message(c, "No negotiation was active on any day."), nil
	}
	if len(active) == 1 {
		return message(c, "The data cover a single day: "+plural(peak, "negotiation was", "negotiations were")+" active."), nil
	}

	f := description{chart: c, bodyHeight: 200 + timeAxisHeight}
	f.body = concurrencyMarks{active: active, first: first, capacity: in.Capacity, peak: peak, peakDay: peakDay, peakDate: peakDate}
	return f, nil
}

func (m concurrencyMarks) draw(dc draw.Canvas) {
	active, first, capacity, peak, peakDay, peakDate := m.active, m.first, m.capacity, m.peak, m.peakDay, m.peakDate
	axisSty := textStyle(smallSize, false, darkGrey, draw.XRight)
	top := max(peak, capacity)
	step := max(niceStep(float64(top)*1.15, 4), 1)
	ymax := math.Ceil(float64(top)*1.15/step) * step
	x0 := dc.Min.X + textWidth(axisSty, itoa(int(ymax))) + 8
	bottom := dc.Min.Y + timeAxisHeight
	sx := scale{min: 0, max: float64(len(active)), lo: x0, hi: dc.Max.X - 4}
	sy := scale{min: 0, max: ymax, lo: bottom, hi: dc.Max.Y - 4}
	drawValueAxis(dc, sy, x0, step, func(v float64) string { return number(v) })
	drawTimeAxis(dc, sx, first, bottom)
	var pts []vg.Point
	for i, v := range active {
		y := sy.at(float64(v))
		if i == 0 || v != active[i-1] {
			pts = append(pts, vg.Point{X: sx.at(float64(i)), Y: y})
		}
		if i == len(active)-1 || active[i+1] != v {
			pts = append(pts, vg.Point{X: sx.at(float64(i + 1)), Y: y})
		}
	}
	if capacity > 0 {
		yc := sy.at(float64(capacity))
		dc.StrokeLine2(draw.LineStyle{Color: orange, Width: 2, Dashes: []vg.Length{5, 3}}, x0, yc, sx.hi, yc)
		lab := "Capacity: " + itoa(capacity)
		sty := textStyle(smallSize, true, black, draw.XRight)
		lw, lh := textWidth(sty, lab), smallSize*lineGap
		// Try the right end then the left, above the line then below,
		// and take the first place the step line does not cross.
		type place struct {
			x     vg.Length
			align draw.XAlignment
			above bool
		}
		places := []place{{sx.hi, draw.XRight, true}, {sx.hi, draw.XRight, false}, {x0 + 4, draw.XLeft, true}, {x0 + 4, draw.XLeft, false}}
		best := places[0]
		for _, p := range places {
			xa, xb := p.x-lw, p.x
			if p.align == draw.XLeft {
				xa, xb = p.x, p.x+lw
			}
			ya, yb := yc+2, yc+2+lh
			if !p.above {
				ya, yb = yc-2-lh, yc-2
			}
			if !pathCrosses(pts, xa, xb, ya, yb) {
				best = p
				break
			}
		}
		sty.XAlign = best.align
		ty := yc + 2 + lh
		if !best.above {
			ty = yc - 3
		}
		dc.FillText(sty, vg.Point{X: best.x, Y: ty}, lab)
	}
	dc.StrokeLines(draw.LineStyle{Color: darkBlue, Width: 2}, pts)
	px := sx.at(float64(peakDay) + 0.5)
	py := sy.at(float64(peak))
	drawMark(dc, keyDot, darkBlue, px, py, 3.5)
	lab := fmt.Sprintf("Peak: %d on %s", peak, peakDate.Format("2 Jan 2006"))
	sty := textStyle(smallSize, true, black, draw.XLeft)
	lx := px + 6
	if lx+textWidth(sty, lab) > dc.Max.X {
		sty.XAlign = draw.XRight
		lx = px - 6
	}
	dc.FillText(sty, vg.Point{X: lx, Y: py + smallSize*1.3}, lab)
}

// runs returns the runs of equal values of vs, each as its first and last
// index, in order.
func runs(vs []int) [][2]int {
	var out [][2]int
	for i := 0; i < len(vs); {
		j := i
		for j+1 < len(vs) && vs[j+1] == vs[i] {
			j++
		}
		out = append(out, [2]int{i, j})
		i = j + 1
	}
	return out
}

// pathCrosses reports whether the polyline pts enters the box [xa, xb] x [ya, yb].
// It samples each segment, which is enough for the axis-parallel steps drawn.
func pathCrosses(pts []vg.Point, xa, xb, ya, yb vg.Length) bool {
	in := func(p vg.Point) bool { return p.X >= xa && p.X <= xb && p.Y >= ya && p.Y <= yb }
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		for k := 0; k <= 16; k++ {
			t := vg.Length(k) / 16
			if in(vg.Point{X: a.X + (b.X-a.X)*t, Y: a.Y + (b.Y-a.Y)*t}) {
				return true
			}
		}
	}
	return false
}

// EventType gives the words for one type of event: the charts know event
// types only by their codes, and take the words from their input.
type EventType struct {
	Key    string // the code, as in [Event.Type]
	Label  string // the type for a table or a lane: "Correspondence"
	Plural string // several events of the type in a sentence: "items of correspondence"
}

// eventNames ranks and names event types: those of the input in its order,
// then any other type, named from its code.
type eventNames map[string]int

func namesOf(types []EventType) eventNames {
	n := eventNames{}
	for i, t := range types {
		if _, ok := n[t.Key]; !ok {
			n[t.Key] = i
		}
	}
	return n
}

// name returns the rank, label and plural of type key.
func (n eventNames) name(types []EventType, key string) (int, string, string) {
	if i, ok := n[key]; ok {
		return i, types[i].Label, types[i].Plural
	}
	label := capitalise(strings.ReplaceAll(key, "_", " "))
	return len(types), label, strings.ToLower(label) + "s"
}

// lane is one event type's row of an agreement's timeline.
type lane struct {
	rank          int
	key, label    string
	plural        string
	dates         []time.Time
	first, lastAt time.Time
}

// AgreementTimelineInput is the data for [AgreementTimeline].
type AgreementTimelineInput struct {
	Source    string
	Agreement Agreement
	Events    []Event // events of any agreement; only the Agreement's are drawn
	// Types gives the words for the event types, in the order their lanes
	// are drawn; a type it leaves out is named from its code and drawn after
	// them, in order of its first event.
	Types []EventType
	// AsOf is the date an open negotiation is drawn to; zero means the latest of
	// its dates and events.
	AsOf time.Time
}

// agreementLanePitch is the height of a lane of an agreement's timeline.
const agreementLanePitch vg.Length = 22

// AgreementTimeline draws one agreement's negotiation for its own page: a lane
// per event type present, with the events as marks along the negotiation's
// span from start to end.
func AgreementTimeline(w io.Writer, in AgreementTimelineInput, opts ...Option) (*Chart, error) {
	d, err := describeAgreementTimeline(in)
	return drawn(w, d, err, opts)
}

// agreementTimelineMarks are the negotiation's span from a's start to end,
// then a lane per event type with its events, over days 0 to span from lo.
type agreementTimelineMarks struct {
	a    Agreement
	ls   []*lane
	lo   time.Time
	end  time.Time
	span int
}

// describeAgreementTimeline describes the chart of [AgreementTimeline].
func describeAgreementTimeline(in AgreementTimelineInput) (description, error) {
	const name = "AgreementTimeline"
	a := in.Agreement
	if err := checkAgreements(name, []Agreement{a}); err != nil {
		return description{}, err
	}
	var evs []Event
	for _, e := range in.Events {
		if e.AgreementID == a.ID && a.ID != "" {
			evs = append(evs, e)
		}
	}
	asOf := in.AsOf
	if asOf.IsZero() {
		asOf = asOfOr(time.Time{}, []Agreement{a})
		for _, e := range evs {
			if e.Date.After(asOf) {
				asOf = day(e.Date)
			}
		}
	}
	end := a.end(asOf)
	if daysBetween(a.Started, end) < 0 {
		return description{}, errorf(name, "agreement %q started %s, after the as-of date %s", a.ID, isoDate(a.Started), isoDate(asOf))
	}
	names := namesOf(in.Types)
	slices.SortFunc(evs, func(x, y Event) int {
		rx, _, _ := names.name(in.Types, x.Type)
		ry, _, _ := names.name(in.Types, y.Type)
		return cmp.Or(x.Date.Compare(y.Date), cmp.Compare(rx, ry), cmp.Compare(x.Type, y.Type))
	})
	c := &Chart{Source: in.Source, Header: []string{"Date", "Event"}}
	lanes := map[string]*lane{}
	lo, hi := day(a.Started), day(end)
	for _, e := range evs {
		r, label, pl := names.name(in.Types, e.Type)
		c.Rows = append(c.Rows, []string{isoDate(e.Date), label})
		l := lanes[e.Type]
		if l == nil {
			l = &lane{rank: r, key: e.Type, label: label, plural: pl}
			lanes[e.Type] = l
		}
		l.dates = append(l.dates, e.Date)
		if day(e.Date).Before(lo) {
			lo = day(e.Date)
		}
		if day(e.Date).After(hi) {
			hi = day(e.Date)
		}
	}
	var ls []*lane
	for _, l := range lanes {
		ls = append(ls, l)
	}
	slices.SortFunc(ls, func(x, y *lane) int {
		return cmp.Or(cmp.Compare(x.rank, y.rank), x.dates[0].Compare(y.dates[0]), cmp.Compare(x.key, y.key))
	})

	days := daysBetween(a.Started, end)
	who := a.label()
	switch a.Status() {
	case Signed:
		c.Title = fmt.Sprintf("%s signed after %s", who, plural(days, "day", "days"))
		c.Alt = fmt.Sprintf("%s's agreement was signed on %s, %s after negotiation started on %s", who, longDate(end), plural(days, "day", "days"), longDate(a.Started))
	case Withdrawn:
		c.Title = fmt.Sprintf("%s withdrew after %s", who, plural(days, "day", "days"))
		c.Alt = fmt.Sprintf("%s withdrew on %s, %s after negotiation started on %s", who, longDate(end), plural(days, "day", "days"), longDate(a.Started))
	default:
		c.Title = fmt.Sprintf("%s has been negotiating for %s", who, plural(days, "day", "days"))
		c.Alt = fmt.Sprintf("%s has been negotiating since %s, %s by %s", who, longDate(a.Started), plural(days, "day", "days"), longDate(asOf))
	}
	var parts []string
	for _, l := range ls {
		if len(l.dates) == 1 {
			parts = append(parts, "1 "+strings.ToLower(l.label))
		} else {
			parts = append(parts, itoa(len(l.dates))+" "+l.plural)
		}
	}
	if len(evs) == 0 {
		c.Alt += "; no events were recorded."
	} else {
		c.Alt += fmt.Sprintf(", with %s recorded: %s.", plural(len(evs), "event", "events"), joinAnd(parts))
	}
	c.Subtitle = "Recorded events by type, " + dateRange(lo, hi)
	if len(evs) == 0 {
		return message(c, "No events were recorded for this negotiation."), nil
	}
	span := daysBetween(lo, hi)

	const pitch = agreementLanePitch
	f := description{chart: c, bodyHeight: pitch*vg.Length(len(ls)+1) + timeAxisHeight + 4}
	f.body = agreementTimelineMarks{a: a, ls: ls, lo: lo, end: end, span: span}
	return f, nil
}

func (m agreementTimelineMarks) draw(dc draw.Canvas) {
	a, ls, lo, end, span := m.a, m.ls, m.lo, m.end, m.span
	const pitch = agreementLanePitch
	labelSty := textStyle(smallSize, false, black, draw.XRight)
	labels := [][]string{{"Negotiation"}}
	for _, l := range ls {
		labels = append(labels, []string{fmt.Sprintf("%s (%d)", l.label, len(l.dates))})
	}
	x0 := dc.Min.X + maxLabelWidth(labelSty, labels, 0, (dc.Max.X-dc.Min.X)*0.45) + 10
	sx := scale{min: 0, max: float64(max(span, 1)), lo: x0 + 14, hi: dc.Max.X - 8}
	top := dc.Max.Y
	drawTimeAxis(dc, sx, lo, top-pitch*vg.Length(len(ls)+1)-4)
	// The negotiation's span, in its status colour and dash.
	yc := top - pitch/2
	dc.FillText(labelSty, vg.Point{X: x0, Y: yc + smallSize*0.5}, labels[0][0])
	xs, xe := sx.at(float64(daysBetween(lo, a.Started))), sx.at(float64(daysBetween(lo, end)))
	ls0 := draw.LineStyle{Color: darkBlue, Width: 6}
	switch a.Status() {
	case Withdrawn:
		ls0.Color = orange
	case Open:
		ls0.Color = turquoise
		ls0.Dashes = []vg.Length{6, 3}
	}
	if xe-xs < 2 {
		xe = xs + 2
	}
	dc.StrokeLine2(ls0, xs, yc, xe, yc)
	for i, l := range ls {
		yc := top - pitch*(vg.Length(i+1)+0.5)
		dc.FillText(labelSty, vg.Point{X: x0, Y: yc + smallSize*0.5}, truncate(labelSty, labels[i+1][0], x0-dc.Min.X))
		dc.StrokeLine2(draw.LineStyle{Color: midGrey, Width: 0.5}, sx.lo, yc, sx.hi, yc)
		kind, col := keyDot, darkBlue
		if l.key == SigningType {
			kind = keyDiamond
		}
		for _, t := range l.dates {
			drawMark(dc, kind, col, sx.at(float64(daysBetween(lo, t))), yc, 5)
		}
	}
}

package charts

import (
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"time"

	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Agreement is one negotiation as the agreement charts need it. Its status
// follows the data: signed if Signed is set, withdrawn if Withdrawn is set,
// otherwise still in negotiation. Only the calendar date of each time is used.
type Agreement struct {
	ID        string    // identifies the agreement; joins events to it
	Label     string    // what the chart shows, such as the authority's name
	Started   time.Time // start of negotiation
	Signed    time.Time // signing date; zero if not signed
	Withdrawn time.Time // withdrawal date; zero if not withdrawn
}

// Status is where an agreement's negotiation stands.
type Status int

// The statuses of an agreement.
const (
	Open      Status = iota // still in negotiation
	Signed                  // signed
	Withdrawn               // withdrawn before signing
)

// String returns the status as the table shows it.
func (s Status) String() string {
	switch s {
	case Signed:
		return "Signed"
	case Withdrawn:
		return "Withdrawn"
	default:
		return "In negotiation"
	}
}

// Status returns the agreement's status.
func (a Agreement) Status() Status {
	switch {
	case !a.Signed.IsZero():
		return Signed
	case !a.Withdrawn.IsZero():
		return Withdrawn
	default:
		return Open
	}
}

// end returns the date the negotiation ended, or asOf while it is open.
func (a Agreement) end(asOf time.Time) time.Time {
	switch a.Status() {
	case Signed:
		return a.Signed
	case Withdrawn:
		return a.Withdrawn
	default:
		return asOf
	}
}

func (a Agreement) label() string {
	if a.Label != "" {
		return a.Label
	}
	return a.ID
}

// Event is one dated contact in a negotiation.
type Event struct {
	AgreementID string    // the agreement; empty for programme-wide events
	Date        time.Time // the day of the event
	Type        string    // the type's code; [SigningType] for the signing
}

// SigningType is the code of the event that is an agreement's signing, which
// the timelines draw as the end of the negotiation rather than as a contact.
const SigningType = "signing"

// checkAgreements refuses agreements whose dates cannot be drawn.
func checkAgreements(chart string, as []Agreement) error {
	for _, a := range as {
		if a.Started.IsZero() {
			return errorf(chart, "agreement %q has no start date", a.ID)
		}
		if !a.Signed.IsZero() && !a.Withdrawn.IsZero() {
			return errorf(chart, "agreement %q is both signed and withdrawn", a.ID)
		}
		if e := a.end(a.Started); daysBetween(a.Started, e) < 0 {
			return errorf(chart, "agreement %q ends %s, before it started %s", a.ID, isoDate(e), isoDate(a.Started))
		}
	}
	return nil
}

// TimeToAgreementInput is the data for [TimeToAgreement].
type TimeToAgreementInput struct {
	Source     string      // source line, such as "Synthetic example data (illustrative)"
	Agreements []Agreement // every agreement; only signed ones are drawn
	// Median is the median days from start to signing of the signed
	// agreements, as the metrics give it (time_to_agreement_days.median):
	// the chart marks it and states it, and never computes it.
	Median float64
}

// TimeToAgreement draws one horizontal bar per signed agreement, the days from
// start to signing, longest at the top, with the median marked.
func TimeToAgreement(w io.Writer, in TimeToAgreementInput, opts ...Option) (*Chart, error) {
	d, err := describeTimeToAgreement(in)
	return drawn(w, d, err, opts)
}

// agreementBar is one signed agreement and its days to signing.
type agreementBar struct {
	a    Agreement
	days int
}

// timeToAgreementMarks are the bars of [TimeToAgreement], longest first,
// on a value scale from 0 to longest days, and the median line.
type timeToAgreementMarks struct {
	bars    []agreementBar
	rows    hbarLayout
	longest int
	median  float64
	labels  [][]string // the table's rows, whose first column labels the bars
}

// describeTimeToAgreement describes the chart of [TimeToAgreement].
func describeTimeToAgreement(in TimeToAgreementInput) (description, error) {
	const name = "TimeToAgreement"
	if err := checkAgreements(name, in.Agreements); err != nil {
		return description{}, err
	}
	var bars []agreementBar
	var first, last time.Time
	for _, a := range in.Agreements {
		if a.Status() != Signed {
			continue
		}
		bars = append(bars, agreementBar{a, daysBetween(a.Started, a.Signed)})
		if first.IsZero() || a.Started.Before(first) {
			first = a.Started
		}
		if a.Signed.After(last) {
			last = a.Signed
		}
	}
	slices.SortFunc(bars, func(x, y agreementBar) int {
		return cmp.Or(cmp.Compare(y.days, x.days), cmp.Compare(x.a.label(), y.a.label()), cmp.Compare(x.a.ID, y.a.ID))
	})
	c := &Chart{
		Source: in.Source,
		Header: []string{"Agreement", "Started", "Signed", "Days to agreement"},
	}
	if len(bars) == 0 {
		c.Title = "No agreement has been signed yet"
		c.Subtitle = "Days from start of negotiation to signing"
		c.Alt = "No agreement has been signed yet, so there are no times to agreement to show."
		return message(c, "No signed agreements to show."), nil
	}
	for _, b := range bars {
		c.Rows = append(c.Rows, []string{b.a.label(), isoDate(b.a.Started), isoDate(b.a.Signed), strconv.Itoa(b.days)})
	}
	med := in.Median
	longest, shortest := bars[0].days, bars[len(bars)-1].days
	if !(float64(shortest) <= med && med <= float64(longest)) {
		return description{}, errorf(name, "median %v days is outside the %d to %d days of the signed agreements", med, shortest, longest)
	}
	c.Subtitle = fmt.Sprintf("Days from start of negotiation to signing, %s, %s",
		plural(len(bars), "signed agreement", "signed agreements"), period(first, last))
	switch {
	case len(bars) == 1:
		c.Title = fmt.Sprintf("The only signed agreement took %s", plural(longest, "day", "days"))
		c.Alt = fmt.Sprintf("One agreement has been signed, %s after its negotiation started.", plural(longest, "day", "days"))
	case longest == shortest:
		c.Title = fmt.Sprintf("Every agreement took %s to sign", plural(longest, "day", "days"))
		c.Alt = fmt.Sprintf("All %d signed agreements took %s from start to signing.", len(bars), plural(longest, "day", "days"))
	default:
		c.Title = fmt.Sprintf("The median agreement took %s days", number(med))
		c.Alt = fmt.Sprintf("The median agreement took %s days; the longest took %d.", number(med), longest)
	}
	if longest == 0 {
		return message(c, "Every agreement was signed on the day its negotiation started."), nil
	}

	m := timeToAgreementMarks{bars: bars, rows: hbarRows(len(bars)), longest: longest, median: med, labels: c.Rows}
	if len(bars) > TimeToAgreementMaxBars {
		m.rows = squeezedRows(len(bars))
	}
	if !m.rows.labels {
		c.Subtitle += "; one bar per agreement, longest at the top"
	}
	d := description{chart: c, bodyHeight: m.rows.height + 22, body: m}
	if !m.rows.labels {
		d.bodyHeight += 16
	}
	return d, nil
}

func (m timeToAgreementMarks) draw(dc draw.Canvas) {
	bars, rows, longest, med := m.bars, m.rows, m.longest, m.median
	labelSty := textStyle(labelSize, false, black, draw.XRight)
	valueSty := textStyle(smallSize, false, black, draw.XLeft)
	var labelW vg.Length
	if rows.labels {
		labelW = maxLabelWidth(labelSty, m.labels, 0, (dc.Max.X-dc.Min.X)*0.4)
	}
	x0 := dc.Min.X + labelW + 6
	valueW := textWidth(valueSty, strconv.Itoa(longest)) + 4
	sx := scale{min: 0, max: float64(longest), lo: x0, hi: dc.Max.X - valueW}
	top := dc.Max.Y - 22
	if rows.labels {
		for i, b := range bars {
			yc := top - rows.pitch*(vg.Length(i)+0.5)
			x1 := sx.at(float64(b.days))
			dc.FillText(labelSty, vg.Point{X: x0 - 6, Y: yc + labelSize*0.5}, truncate(labelSty, b.a.label(), labelW))
			fillRect(dc, darkBlue, x0, yc-rows.bar/2, x1, yc+rows.bar/2)
			dc.FillText(valueSty, vg.Point{X: x1 + 3, Y: yc + smallSize*0.5}, strconv.Itoa(b.days))
		}
	} else {
		// Too many bars for a label each: one staircase outline, so the
		// SVG stays small.
		pts := []vg.Point{{X: x0, Y: top}}
		for i, b := range bars {
			x1 := sx.at(float64(b.days))
			pts = append(pts, vg.Point{X: x1, Y: top - rows.pitch*vg.Length(i)}, vg.Point{X: x1, Y: top - rows.pitch*vg.Length(i+1)})
		}
		pts = append(pts, vg.Point{X: x0, Y: top - rows.height})
		dc.FillPolygon(darkBlue, pts)
	}
	// Zero line, then the median from the top of the bars to the label.
	dc.StrokeLine2(draw.LineStyle{Color: midGrey, Width: 1}, x0, top, x0, top-rows.height)
	// The median line stops short of every value label it would cross.
	xm := sx.at(med)
	medLine := draw.LineStyle{Color: orange, Width: 2, Dashes: []vg.Length{4, 3}}
	yFrom := top + 4
	if rows.labels {
		for i, b := range bars {
			x1 := sx.at(float64(b.days))
			if xm < x1+1 || xm > x1+3+textWidth(valueSty, strconv.Itoa(b.days))+1 {
				continue
			}
			yc := top - rows.pitch*(vg.Length(i)+0.5)
			if yTo := yc + smallSize*0.6; yTo < yFrom {
				dc.StrokeLine2(medLine, xm, yFrom, xm, yTo)
			}
			yFrom = yc - smallSize*0.6
		}
	}
	if yFrom > top-rows.height {
		dc.StrokeLine2(medLine, xm, yFrom, xm, top-rows.height)
	}
	medSty := textStyle(smallSize, true, black, draw.XCenter)
	medLabel := "Median: " + number(med) + " days"
	mx := xm
	half := textWidth(medSty, medLabel) / 2
	mx = min(max(mx, dc.Min.X+half), dc.Max.X-half)
	dc.FillText(medSty, vg.Point{X: mx, Y: dc.Max.Y}, medLabel)
	if !rows.labels {
		axisSty := textStyle(smallSize, false, darkGrey, draw.XCenter)
		y := top - rows.height - 2
		dc.FillText(axisSty, vg.Point{X: x0, Y: y}, "0")
		axisSty.XAlign = draw.XRight
		dc.FillText(axisSty, vg.Point{X: sx.at(float64(longest)), Y: y}, strconv.Itoa(longest)+" days")
	}
}

// hbarLayout is the vertical layout of a horizontal bar chart.
type hbarLayout struct {
	pitch, bar, height vg.Length
	labels             bool // room for a label per bar
}

// hbarRows lays out n labelled bars: 20 units apart, or 18 beyond 24 bars.
func hbarRows(n int) hbarLayout {
	if n > 24 {
		return hbarLayout{pitch: 18, bar: 13, height: vg.Length(n) * 18, labels: true}
	}
	return hbarLayout{pitch: 20, bar: 14, height: vg.Length(n) * 20, labels: true}
}

// TimeToAgreementMaxBars is the most agreements TimeToAgreement labels one bar
// each. With more, the bars touch, unlabelled, in one 480-unit-high outline
// with an axis giving the scale: the shape of the distribution, in a small SVG.
const TimeToAgreementMaxBars = 40

// squeezedRows lays out n unlabelled bars in 480 units.
func squeezedRows(n int) hbarLayout {
	p := vg.Length(480) / vg.Length(n)
	return hbarLayout{pitch: p, bar: p, height: 480}
}

// maxLabelWidth returns the widest text in column col of rows, capped at limit.
func maxLabelWidth(sty text.Style, rows [][]string, col int, limit vg.Length) vg.Length {
	var w vg.Length
	for _, r := range rows {
		w = max(w, textWidth(sty, r[col]))
	}
	return min(w, limit)
}

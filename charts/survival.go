package charts

import (
	"github.com/evalsite/evalsite/internal/format"

	"fmt"
	"io"
	"math"
	"time"
	"unicode"
	"unicode/utf8"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// KMStep is the Kaplan-Meier estimate just after one signing time.
type KMStep struct {
	Day      int     // days since start
	AtRisk   int     // negotiations not yet signed and still observed on Day
	Events   int     // negotiations signed after exactly Day days
	Survival float64 // estimated share not yet signed after Day
}

// KaplanMeierInput is the data for [KaplanMeier]: the estimate as the metrics
// compute it (time_to_agreement_days.km_median in metrics.json rests on the
// same steps), so that the chart draws it and never estimates it again.
type KaplanMeierInput struct {
	Source string
	// AsOf is the date open negotiations are censored at, for the subtitle;
	// zero leaves it out.
	AsOf time.Time
	// Negotiations is the number of negotiations in the estimate.
	Negotiations int
	// Steps has one entry per distinct signing time, in order.
	Steps []KMStep
	// Censored holds the censoring times in days (withdrawals, and open
	// negotiations at AsOf), in order, repeated for ties.
	Censored []int
	// Median is the smallest signing time at which the estimate falls to one
	// half or below; nil when it never does.
	Median *float64
}

// kmStep is one observed time: a signing time, a censoring time or both.
type kmStep struct {
	day      int
	atRisk   int     // negotiations still unsigned and observed at day
	events   int     // signed at day
	censored int     // withdrawn or still open at day
	surv     float64 // estimated share not yet signed after day
}

// observedTimes merges the signing steps and the censoring times into one
// step per observed time, and checks that they describe one estimate: every
// negotiation is signed or censored once, and the numbers at risk agree.
func observedTimes(in KaplanMeierInput) ([]kmStep, error) {
	const name = "KaplanMeier"
	total := len(in.Censored)
	for i, st := range in.Steps {
		if st.Events <= 0 || st.Survival < 0 || st.Survival > 1 || (i > 0 && st.Day <= in.Steps[i-1].Day) {
			return nil, errorf(name, "step %d (day %d) is not a signing time of a valid estimate", i+1, st.Day)
		}
		total += st.Events
	}
	if total != in.Negotiations {
		return nil, errorf(name, "%d signed and censored, but %d negotiations", total, in.Negotiations)
	}
	var out []kmStep
	removed, surv := 0, 1.0
	i, j := 0, 0
	for i < len(in.Steps) || j < len(in.Censored) {
		d := math.MaxInt
		if i < len(in.Steps) {
			d = in.Steps[i].Day
		}
		if j < len(in.Censored) {
			if in.Censored[j] < 0 || (j > 0 && in.Censored[j] < in.Censored[j-1]) {
				return nil, errorf(name, "censoring times are not in order from 0")
			}
			d = min(d, in.Censored[j])
		}
		st := kmStep{day: d, atRisk: in.Negotiations - removed}
		if i < len(in.Steps) && in.Steps[i].Day == d {
			if in.Steps[i].AtRisk != st.atRisk {
				return nil, errorf(name, "day %d has %d at risk, but %d negotiations are neither signed nor censored before it", d, in.Steps[i].AtRisk, st.atRisk)
			}
			st.events, surv = in.Steps[i].Events, in.Steps[i].Survival
			i++
		}
		for j < len(in.Censored) && in.Censored[j] == d {
			st.censored++
			j++
		}
		st.surv = surv
		removed += st.events + st.censored
		out = append(out, st)
	}
	return out, nil
}

// asOfOr returns asOf, or when it is zero the latest date among the agreements.
func asOfOr(asOf time.Time, as []Agreement) time.Time {
	if !asOf.IsZero() {
		return day(asOf)
	}
	var last time.Time
	for _, a := range as {
		for _, t := range []time.Time{a.Started, a.Signed, a.Withdrawn} {
			if t.After(last) {
				last = t
			}
		}
	}
	return day(last)
}

// KaplanMeier draws the Kaplan-Meier estimate of the share of negotiations not
// yet signed against days since their start, as steps, with withdrawn
// negotiations censored at withdrawal and open ones at AsOf (ticks on the
// curve), and the median marked when the curve reaches one half.
func KaplanMeier(w io.Writer, in KaplanMeierInput, opts ...Option) (*Chart, error) {
	d, err := describeKaplanMeier(in)
	return drawn(w, d, err, opts)
}

// kaplanMeierMarks are the estimate as steps over days 0 to a round number at
// least the last observed time, censoring ticks, and the median when ok.
type kaplanMeierMarks struct {
	steps []kmStep
	last  int
	med   int
	ok    bool
}

// describeKaplanMeier describes the chart of [KaplanMeier].
func describeKaplanMeier(in KaplanMeierInput) (description, error) {
	steps, err := observedTimes(in)
	if err != nil {
		return description{}, err
	}
	c := &Chart{
		Source: in.Source,
		Header: []string{"Days since start", "Not yet signed (at risk)", "Signed that day", "Censored that day", "Estimated share not yet signed"},
	}
	// observedTimes checked that every negotiation is signed or censored
	// once: the counts are the input's own.
	censored := len(in.Censored)
	signed := in.Negotiations - censored
	for _, st := range steps {
		c.Rows = append(c.Rows, []string{itoa(st.day), itoa(st.atRisk), itoa(st.events), itoa(st.censored), percent1(st.surv)})
	}
	c.Subtitle = "Estimated share of negotiations not yet signed, by days since start"
	if !in.AsOf.IsZero() {
		c.Subtitle += ", as of " + longDate(in.AsOf)
	}
	med, ok := 0, in.Median != nil
	if ok {
		med = int(math.Round(*in.Median))
	}
	censorNote := ""
	if censored > 0 {
		censorNote = fmt.Sprintf(" %d withdrawn or still open %s counted as censored.",
			censored, isPlural(censored, "negotiation is", "negotiations are"))
	}
	switch {
	case len(steps) == 0:
		c.Title = "There are no negotiations to show"
		c.Subtitle = "Estimated share of negotiations not yet signed, by days since start"
		c.Alt = "There are no negotiations, so there is no time to agreement to estimate."
		return message(c, "No negotiations to show."), nil
	case signed == 0:
		c.Title = "No negotiation has reached agreement yet"
		c.Alt = "None of the " + plural(in.Negotiations, "negotiation", "negotiations") + " has been signed yet." + censorNote
	case ok:
		c.Title = fmt.Sprintf("Half of negotiations were signed within %s", plural(med, "day", "days"))
		c.Alt = fmt.Sprintf("Half of the negotiations had been signed by day %d; %s of %d were signed in all.%s", med, itoa(signed), in.Negotiations, censorNote)
	default:
		c.Title = "Fewer than half of negotiations have been signed"
		c.Alt = fmt.Sprintf("The estimate never fell to one half: %d of %d negotiations were signed.%s", signed, in.Negotiations, censorNote)
	}
	last := steps[len(steps)-1].day
	if last == 0 {
		return message(c, "Every negotiation ended on the day it started."), nil
	}

	f := description{chart: c, bodyHeight: 220}
	if censored > 0 {
		f.key = []keyItem{{keyTick, darkBlue, "Censored: withdrawn or still open"}}
	}
	f.body = kaplanMeierMarks{steps: steps, last: last, med: med, ok: ok}
	return f, nil
}

func (m kaplanMeierMarks) draw(dc draw.Canvas) {
	steps, last, med, ok := m.steps, m.last, m.med, m.ok
	axisSty := textStyle(smallSize, false, darkGrey, draw.XRight)
	x0 := dc.Min.X + textWidth(axisSty, "100%") + 8
	bottom := dc.Min.Y + smallSize*lineGap*2 + 8
	sx := scale{min: 0, max: niceMax(float64(last)), lo: x0, hi: dc.Max.X - 6}
	sy := scale{min: 0, max: 1, lo: bottom, hi: dc.Max.Y - 8}
	drawValueAxis(dc, sy, x0, 0.25, func(v float64) string { return percent(v) })
	drawDaysAxis(dc, sx, bottom)

	pts := []vg.Point{{X: sx.at(0), Y: sy.at(1)}}
	prev := 1.0
	var ticks [][2]vg.Point
	for _, st := range steps {
		x := sx.at(float64(st.day))
		pts = append(pts, vg.Point{X: x, Y: sy.at(prev)})
		if st.events > 0 {
			pts = append(pts, vg.Point{X: x, Y: sy.at(st.surv)})
		}
		if st.censored > 0 {
			y := sy.at(st.surv)
			ticks = append(ticks, [2]vg.Point{{X: x, Y: y - 5}, {X: x, Y: y + 5}})
		}
		prev = st.surv
	}
	dc.StrokeLines(draw.LineStyle{Color: darkBlue, Width: 2.5}, pts)
	strokeSegments(dc, draw.LineStyle{Color: darkBlue, Width: 1.5}, ticks)
	if ok {
		xm, ym := sx.at(float64(med)), sy.at(0.5)
		guide := draw.LineStyle{Color: orange, Width: 1.5, Dashes: []vg.Length{4, 3}}
		dc.StrokeLine2(guide, x0, ym, xm, ym)
		dc.StrokeLine2(guide, xm, ym, xm, bottom)
		// The curve never runs right of the median above one half, nor
		// left of it below one half: the label goes in one of those corners.
		sty := textStyle(smallSize, true, black, draw.XLeft)
		lh := smallSize * lineGap
		one := []string{"Half signed by day " + itoa(med)}
		two := []string{"Half signed", "by day " + itoa(med)}
		right, left := dc.Max.X-xm-8, xm-x0-10
		lines, lx, ly := one, xm+6, ym+lh+4
		switch {
		case textWidth(sty, one[0]) <= right:
		case textWidth(sty, one[0]) <= left:
			sty.XAlign, lx, ly = draw.XRight, xm-6, ym-4
		case textWidth(sty, two[0]) <= right:
			lines, ly = two, ym+2*lh+4
		default:
			lines = two
			sty.XAlign, lx, ly = draw.XRight, xm-6, ym-4
		}
		for _, l := range lines {
			dc.FillText(sty, vg.Point{X: lx, Y: ly}, l)
			ly -= smallSize * lineGap
		}
	}
}

// drawDaysAxis draws a day-count axis along y with round steps.
func drawDaysAxis(dc draw.Canvas, sx scale, y vg.Length) {
	axis := draw.LineStyle{Color: midGrey, Width: 1}
	dc.StrokeLine2(axis, sx.lo, y, sx.hi, y)
	sty := textStyle(smallSize, false, darkGrey, draw.XCenter)
	for _, t := range (roundTicks{}).Ticks(0, sx.max) {
		x := sx.at(t.Value)
		dc.StrokeLine2(axis, x, y, x, y-4)
		dc.FillText(sty, vg.Point{X: x, Y: y - 6}, t.Label)
	}
	dc.FillText(sty, vg.Point{X: (sx.lo + sx.hi) / 2, Y: y - 6 - smallSize*lineGap}, "Days since start of negotiation")
}

func percent1(v float64) string { return format.PercentDecimals(v, 1) }

func isPlural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

package charts

import (
	"github.com/evalsite/evalsite/internal/format"

	"image/color"
	"time"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// timeAxisHeight is the room a time axis takes below the plot: month, year.
const timeAxisHeight vg.Length = 2*smallSize*lineGap + 6

// drawTimeAxis draws month ticks along y for the days from origin that sx maps,
// labelling months with as many as fit ("Nov", then the year under the first
// label and under each January).
func drawTimeAxis(dc draw.Canvas, sx scale, origin time.Time, y vg.Length) {
	axis := draw.LineStyle{Color: midGrey, Width: 1}
	dc.StrokeLine2(axis, sx.lo, y, sx.hi, y)
	first := time.Date(origin.Year(), origin.Month(), 1, 0, 0, 0, 0, time.UTC)
	if first.Before(day(origin)) {
		first = first.AddDate(0, 1, 0)
	}
	last := day(origin).AddDate(0, 0, int(sx.max))
	sty := textStyle(smallSize, false, darkGrey, draw.XCenter)
	months := 0
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		months++
	}
	if sx.max-sx.min < 100 && sx.max > sx.min {
		// A short span: ticks on the 1st and 15th, labelled "15 Aug", the year
		// under the first label and under 1 January.
		// A label that would touch the one before it is left out (its tick
		// stays), as on a narrow chart.
		i := 0
		lastRight := dc.Min.X - margin - 100
		for d := day(origin); !d.After(last); d = d.AddDate(0, 0, 1) {
			if d.Day() != 1 && d.Day() != 15 {
				continue
			}
			tx := sx.at(float64(daysBetween(origin, d)))
			half := textWidth(sty, "15 Aug") / 2
			x := min(max(tx, dc.Min.X-margin+half+2), dc.Max.X+margin-half-2)
			dc.StrokeLine2(axis, tx, y, tx, y-4)
			if x-half < lastRight+4 {
				continue
			}
			lastRight = x + half
			dc.FillText(sty, vg.Point{X: x, Y: y - 6}, d.Format("2 Jan"))
			if i == 0 || (d.Month() == time.January && d.Day() == 1) {
				dc.FillText(sty, vg.Point{X: x, Y: y - 6 - smallSize*lineGap}, d.Format("2006"))
			}
			i++
		}
		if i > 0 {
			return
		}
	}
	if months == 0 {
		// Less than a month: label the two ends with their dates.
		dc.StrokeLine2(axis, sx.lo, y, sx.lo, y-4)
		dc.StrokeLine2(axis, sx.hi, y, sx.hi, y-4)
		left := textStyle(smallSize, false, darkGrey, draw.XLeft)
		right := textStyle(smallSize, false, darkGrey, draw.XRight)
		dc.FillText(left, vg.Point{X: sx.lo, Y: y - 6}, day(origin).Format("2 Jan 2006"))
		if sx.max > sx.min {
			dc.FillText(right, vg.Point{X: sx.hi, Y: y - 6}, last.Format("2 Jan 2006"))
		}
		return
	}
	perMonth := (sx.hi - sx.lo) / vg.Length(max(sx.max-sx.min, 1)) * 30.4
	step := 1
	for _, k := range []int{1, 2, 3, 6, 12, 24, 60, 120} {
		step = k
		if perMonth*vg.Length(k) >= textWidth(sty, "May")+10 && (k < 12 || perMonth*vg.Length(k) >= textWidth(sty, "2000")+10) {
			break
		}
	}
	i := 0
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		tx := sx.at(float64(daysBetween(origin, m)))
		// Keep labels inside the canvas: "2000" is the widest label.
		half := textWidth(sty, "2000") / 2
		x := min(max(tx, dc.Min.X-margin+half+2), dc.Max.X+margin-half-2)
		if i%step == 0 {
			dc.StrokeLine2(axis, tx, y, tx, y-4)
			if step < 12 {
				dc.FillText(sty, vg.Point{X: x, Y: y - 6}, m.Format("Jan"))
				if i == 0 || m.Month() == time.January {
					dc.FillText(sty, vg.Point{X: x, Y: y - 6 - smallSize*lineGap}, m.Format("2006"))
				}
			} else {
				dc.FillText(sty, vg.Point{X: x, Y: y - 6}, m.Format("2006"))
			}
		}
		i++
	}
}

// tick is a value on an axis and its label, as gonum/plot's plot.Tick.
type tick struct {
	Value float64
	Label string
}

// roundTicks is the charts' choice of ticks, with the method of gonum/plot's
// plot.Ticker: every multiple of a round step from min to max, labelled by
// format. (The charts do not import the plot package itself; see doc.go.)
type roundTicks struct {
	step   float64              // between ticks; zero picks niceStep(max, 5)
	format func(float64) string // a tick's label; nil writes number(v)
}

// Ticks returns the ticks from min to max, which is included when it falls
// on a step (within a millionth of one).
func (t roundTicks) Ticks(min, max float64) []tick {
	step, format := t.step, t.format
	if step <= 0 {
		step = niceStep(max, 5)
	}
	if format == nil {
		format = number
	}
	var ticks []tick
	for v := min; v <= max+step/1e6; v += step {
		ticks = append(ticks, tick{Value: v, Label: format(v)})
	}
	return ticks
}

// drawValueAxis draws value labels on the left of a vertical scale, at round
// steps from 0 to sy.max, without gridlines; format writes a label.
func drawValueAxis(dc draw.Canvas, sy scale, x vg.Length, step float64, format func(float64) string) {
	sty := textStyle(smallSize, false, darkGrey, draw.XRight)
	axis := draw.LineStyle{Color: midGrey, Width: 1}
	for _, t := range (roundTicks{step: step, format: format}).Ticks(0, sy.max) {
		y := sy.at(t.Value)
		dc.StrokeLine2(axis, x-4, y, x, y)
		dc.FillText(sty, vg.Point{X: x - 6, Y: y + smallSize*0.45}, t.Label)
	}
	dc.StrokeLine2(axis, x, sy.lo, x, sy.hi)
}

// strokeSegments strokes many line segments as one path, so that a chart with
// thousands of marks stays one SVG element per style.
func strokeSegments(dc draw.Canvas, ls draw.LineStyle, segs [][2]vg.Point) {
	if len(segs) == 0 {
		return
	}
	var p vg.Path
	for _, s := range segs {
		p.Move(s[0])
		p.Line(s[1])
	}
	dc.SetLineStyle(ls)
	dc.Stroke(p)
}

// fillShapes fills many closed polygons as one path.
func fillShapes(dc draw.Canvas, col color.Color, shapes [][]vg.Point) {
	if len(shapes) == 0 {
		return
	}
	var p vg.Path
	for _, s := range shapes {
		p.Move(s[0])
		for _, q := range s[1:] {
			p.Line(q)
		}
		p.Close()
	}
	dc.SetColor(col)
	dc.Fill(p)
}

func itoa(n int) string { return format.Count(n) }

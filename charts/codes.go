package charts

import (
	"github.com/evalsite/evalsite/internal/format"

	"fmt"
	"image/color"
	"io"
	"math"
	"strings"

	"github.com/evalsite/evalsite/internal/metrics"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Cell is one published value: a share that places or shades the mark, and its
// label exactly as published. A suppressed cell (disclosure control) shows no
// value: it is drawn neutral and labelled "[c]", whatever Value and Text hold.
// A cell whose Text is "[c]" counts as suppressed too.
type Cell struct {
	Value      float64 // share in [0, 1]
	Text       string  // pre-formatted label, such as "45%"; empty means Value as a whole percentage
	Suppressed bool
	// SmallBase marks a share over fewer interviews than the configured
	// minimum base: it is shown with its Base and never made a headline.
	SmallBase bool
	Base      int // the interviews the share is of, shown with a small base
}

func (c Cell) label() string {
	l := c.short()
	if c.SmallBase && !c.hidden() {
		l = strings.TrimSuffix(l, "*") + fmt.Sprintf(" (small base: %s)", plural(c.Base, "interview", "interviews"))
	}
	return l
}

// short is the label drawn in the chart itself: a small base is starred,
// and the subtitle says what the star means.
func (c Cell) short() string {
	l := percent(c.Value)
	switch {
	case c.Suppressed:
		return metrics.Withheld
	case c.Text != "":
		l = c.Text
	}
	if c.SmallBase && l != metrics.Withheld {
		l += "*"
	}
	return l
}

// headline reports whether a cell may be a chart's headline or main message.
func (c Cell) headline() bool { return !c.hidden() && !c.SmallBase }

// smallBaseNote is the subtitle's note when some shares rest on small bases.
func smallBaseNote(minBase int) string {
	return fmt.Sprintf(" * Small base: fewer than %s, shown with its number of interviews.", plural(minBase, "interview", "interviews"))
}

// hidden reports whether the cell shows no value: suppressed, or labelled
// "[c]" by the caller.
func (c Cell) hidden() bool { return c.Suppressed || c.Text == metrics.Withheld }

func checkCell(chart, what string, c Cell) error {
	if c.hidden() {
		return nil
	}
	if math.IsNaN(c.Value) || c.Value < 0 || c.Value > 1 {
		return errorf(chart, "%s has share %v, outside 0 to 1", what, c.Value)
	}
	return nil
}

// CodesByGroupInput is the data for [CodesByGroup]: Cells[i][j] is the share of
// interviews in group j that carry code i.
type CodesByGroupInput struct {
	Source string
	Period string   // for the subtitle, such as "interviews in waves 1 and 2"; may be empty
	Codes  []string // row labels, in the order drawn
	Groups []string // column labels, in the order drawn
	Cells  [][]Cell // one row per code, one cell per group
	// MinBase is the fewest interviews a share is headlined on, for the
	// note on cells marked SmallBase.
	MinBase int
}

// codeCellHeight is the height of a cell of the codes-by-group heat map.
const codeCellHeight vg.Length = 26

// CodesByGroup draws a heat map of codes (rows) by respondent group (columns),
// shaded by share with the published label printed in each cell. Suppressed
// cells are white with a grey outline and their "[c]" label.
func CodesByGroup(w io.Writer, in CodesByGroupInput, opts ...Option) (*Chart, error) {
	d, err := describeCodesByGroup(in, newOptions(opts))
	return drawn(w, d, err, opts)
}

// codesByGroupMarks are a heat map of in.Cells, codes by group, under the
// groups' headers (turned when a word is wider than its column), the
// codes labelled on the left when they fit, else above their row.
type codesByGroupMarks struct {
	in       CodesByGroupInput
	heads    [][]string
	turned   bool
	headH    vg.Length
	fits     bool
	labelW   vg.Length
	colW     vg.Length
	pitch    vg.Length
	labelSty text.Style
	headSty  text.Style
}

// describeCodesByGroup describes the chart of [CodesByGroup] for the width in
// o: where the codes go and how the headers wrap decide its height.
func describeCodesByGroup(in CodesByGroupInput, o options) (description, error) {
	const name = "CodesByGroup"
	if len(in.Cells) != len(in.Codes) {
		return description{}, errorf(name, "%d rows of cells for %d codes", len(in.Cells), len(in.Codes))
	}
	for i, row := range in.Cells {
		if len(row) != len(in.Groups) {
			return description{}, errorf(name, "code %q has %d cells for %d groups", in.Codes[i], len(row), len(in.Groups))
		}
		for j, cell := range row {
			if err := checkCell(name, fmt.Sprintf("code %q in group %q", in.Codes[i], in.Groups[j]), cell); err != nil {
				return description{}, err
			}
		}
	}
	c := &Chart{Source: in.Source, Header: append([]string{"Code"}, in.Groups...)}
	best, bi, bj, hidden, small := -1.0, -1, -1, 0, 0
	for i, row := range in.Cells {
		r := []string{in.Codes[i]}
		for j, cell := range row {
			r = append(r, cell.label())
			if cell.hidden() {
				hidden++
				continue
			}
			if cell.SmallBase {
				small++
			}
			if cell.headline() && cell.Value > best {
				best, bi, bj = cell.Value, i, j
			}
		}
		c.Rows = append(c.Rows, r)
	}
	c.Subtitle = withPeriod("Share of interviews in each respondent group with each code", in.Period)
	if small > 0 {
		c.Subtitle += "." + smallBaseNote(in.MinBase)
	}
	suppressed := ""
	if hidden > 0 {
		suppressed = fmt.Sprintf(" %s suppressed to protect respondents, shown as %s.", plural(hidden, "cell is", "cells are"), metrics.Withheld)
	}
	if (bi < 0 || best == 0) && small > 0 {
		c.Title = "Share of interviews in each respondent group with each code"
		c.Alt = fmt.Sprintf("Share of interviews in each respondent group with each of %s. No share rests on enough interviews to single one out.%s",
			plural(len(in.Codes), "code", "codes"), suppressed)
	} else if bi < 0 || best == 0 {
		c.Title = "No coded interviews to show"
		c.Alt = "There are no published shares of coded interviews to show." + suppressed
		if len(in.Codes) == 0 || len(in.Groups) == 0 || bi < 0 {
			return message(c, "No coded interviews to show."), nil
		}
	} else {
		cell := in.Cells[bi][bj]
		group, _, _ := strings.Cut(in.Groups[bj], " (n=") // the group's name, without its size
		c.Title = fmt.Sprintf("%s stood out among %s interviews", in.Codes[bi], lowerFirst(group))
		c.Alt = fmt.Sprintf("Share of interviews in each respondent group with each of %s. The highest is %s among %s interviews (%s).%s",
			plural(len(in.Codes), "code", "codes"), lowerFirst(in.Codes[bi]), lowerFirst(group), cell.label(), suppressed)
		if small > 0 {
			c.Alt += fmt.Sprintf(" %s over fewer than %s %s not compared.", plural(small, "share", "shares"), plural(in.MinBase, "interview", "interviews"), isPlural(small, "is", "are"))
		}
	}

	const cellH = codeCellHeight
	labelSty := textStyle(smallSize, false, black, draw.XRight)
	headSty := textStyle(smallSize, false, black, draw.XCenter)
	inner := o.inner()
	// Codes go on the left of their row when that leaves the columns room for
	// their headers (each word whole, at most three lines) and a "100%";
	// otherwise each code's label goes on a line above its row of cells.
	labelW := maxLabelWidth(labelSty, c.Rows, 0, inner*0.45)
	colW := (inner - labelW - 6) / vg.Length(len(in.Groups))
	fits := colW >= textWidth(headSty, "100%")+8
	for _, g := range in.Groups {
		for _, word := range strings.Fields(g) {
			fits = fits && textWidth(headSty, word) <= colW-4
		}
		fits = fits && len(wrap(headSty, g, colW-4)) <= 3
	}
	pitch := cellH
	if !fits {
		labelW = 0
		colW = inner / vg.Length(len(in.Groups))
		pitch = cellH + smallSize*lineGap + 2
	}
	// A header is wrapped at spaces, never inside a word. When a word is
	// wider than its column, every header is drawn turned a quarter to read
	// upwards, on one line, and the header row is as tall as the longest.
	var heads [][]string
	headLines := 1
	turned := false
	for _, g := range in.Groups {
		for _, word := range strings.Fields(g) {
			turned = turned || textWidth(headSty, word) > colW-4
		}
	}
	var headH vg.Length
	if turned {
		for _, g := range in.Groups {
			heads = append(heads, []string{g})
			headH = max(headH, textWidth(headSty, g))
		}
		headH += 8
	} else {
		for _, g := range in.Groups {
			ls := wrap(headSty, g, colW-4)
			heads = append(heads, ls)
			headLines = max(headLines, len(ls))
		}
		headH = vg.Length(headLines)*smallSize*lineGap + 4
	}
	f := description{chart: c, bodyHeight: headH + pitch*vg.Length(len(in.Codes))}
	f.body = codesByGroupMarks{in: in, heads: heads, turned: turned, headH: headH, fits: fits, labelW: labelW, colW: colW, pitch: pitch, labelSty: labelSty, headSty: headSty}
	return f, nil
}

func (m codesByGroupMarks) draw(dc draw.Canvas) {
	in, heads, turned, headH, fits, labelW, colW, pitch, labelSty, headSty := m.in, m.heads, m.turned, m.headH, m.fits, m.labelW, m.colW, m.pitch, m.labelSty, m.headSty
	const cellH = codeCellHeight
	x0 := dc.Min.X
	if fits {
		x0 += labelW + 6
	}
	top := dc.Max.Y
	for j, ls := range heads {
		xc := x0 + colW*(vg.Length(j)+0.5)
		if turned {
			up := textStyle(smallSize, false, black, draw.XLeft)
			up.YAlign = draw.YCenter
			up.Rotation = math.Pi / 2
			dc.FillText(up, vg.Point{X: xc, Y: top - headH + 4}, ls[0])
			continue
		}
		y := top - headH + 4 + vg.Length(len(ls))*smallSize*lineGap
		for _, l := range ls {
			dc.FillText(headSty, vg.Point{X: xc, Y: y}, truncate(headSty, l, colW-2))
			y -= smallSize * lineGap
		}
	}
	top -= headH
	for i, row := range in.Cells {
		y1 := top - pitch*vg.Length(i)
		if fits {
			dc.FillText(labelSty, vg.Point{X: x0 - 6, Y: y1 - pitch/2 + smallSize*0.5}, truncate(labelSty, in.Codes[i], labelW))
		} else {
			above := textStyle(smallSize, true, black, draw.XLeft)
			dc.FillText(above, vg.Point{X: x0, Y: y1 - 2}, truncate(above, in.Codes[i], dc.Max.X-dc.Min.X))
			y1 -= pitch - cellH
		}
		for j, cell := range row {
			xa := x0 + colW*vg.Length(j)
			cellSty := textStyle(smallSize, false, black, draw.XCenter)
			if cell.hidden() {
				strokeRect(dc, midGrey, 1, xa+1.5, y1-cellH+1.5, xa+colW-1.5, y1-1.5)
			} else {
				fill := shade(cell.Value)
				fillRect(dc, fill, xa+1, y1-cellH+1, xa+colW-1, y1-1)
				cellSty.Color = cellText(fill)
			}
			dc.FillText(cellSty, vg.Point{X: xa + colW/2, Y: y1 - cellH/2 + smallSize*0.5}, truncate(cellSty, cell.short(), colW-2))
		}
	}
}

// shade maps a share in [0, 1] to a single-hue blue from very light to the
// palette's dark blue. Cells are told apart by their printed numbers, not by
// colour alone.
//
// Around a relative luminance of 0.19 neither black nor white text reaches the
// 4.5:1 contrast that WCAG asks for small text, so shades in that band are
// darkened past it (and take white text); see cellText.
func shade(v float64) color.RGBA {
	v = math.Max(0, math.Min(1, v))
	lo := color.RGBA{0xE8, 0xF1, 0xF8, 0xFF}
	at := func(v float64) color.RGBA {
		mix := func(a, b uint8) uint8 { return uint8(math.Round(float64(a) + (float64(b)-float64(a))*v)) }
		return color.RGBA{mix(lo.R, darkBlue.R), mix(lo.G, darkBlue.G), mix(lo.B, darkBlue.B), 0xFF}
	}
	c := at(v)
	for l := luminance(c); l > darkTextLimit && l < 0.2; l = luminance(c) {
		v += 0.002
		c = at(v)
	}
	return c
}

// darkTextLimit is the luminance below which a cell takes white text.
const darkTextLimit = 0.18

// cellText returns the text colour for a cell of the given fill.
func cellText(fill color.RGBA) color.RGBA {
	if luminance(fill) <= darkTextLimit {
		return white
	}
	return black
}

// luminance is the WCAG relative luminance of c.
func luminance(c color.RGBA) float64 {
	lin := func(u uint8) float64 {
		s := float64(u) / 255
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(c.R) + 0.7152*lin(c.G) + 0.0722*lin(c.B)
}

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b color.RGBA) float64 {
	la, lb := luminance(a), luminance(b)
	return (math.Max(la, lb) + 0.05) / (math.Min(la, lb) + 0.05)
}

// WaveShares is one code's share of interviews in each wave.
type WaveShares struct {
	Code         string
	Wave1, Wave2 Cell
}

// CodesByWaveInput is the data for [CodesByWave].
type CodesByWaveInput struct {
	Source string
	Period string       // for the subtitle; may be empty
	Codes  []WaveShares // in the order drawn
	// MinBase is the fewest interviews a share is headlined on, for the
	// note on cells marked SmallBase.
	MinBase int
	// Bases are the interviews of wave 1 and wave 2, shown in the table's
	// header; zero leaves a wave's size out.
	Bases [2]int
}

// codeWavePitch is the height of a row of the codes-by-wave chart.
const codeWavePitch vg.Length = 24

// direct is where the first row of [CodesByWave] names its waves beside
// its dots: at x1 and x2, aligned a1 and a2, above the dots or beside them.
type direct struct {
	x1, x2 vg.Length
	a1, a2 draw.XAlignment
	above  bool
}

// CodesByWave draws, for each code, its share of wave 1 and of wave 2
// interviews as a pair of dots joined by a line (a ring for wave 1, a filled
// dot for wave 2). A suppressed share is not drawn; its row says "[c]".
func CodesByWave(w io.Writer, in CodesByWaveInput, opts ...Option) (*Chart, error) {
	d, err := describeCodesByWave(in, newOptions(opts))
	return drawn(w, d, err, opts)
}

// codesByWaveMarks are a row per code with its wave 1 and wave 2 shares
// joined, on a share scale from 0 to 1 (sx, from the body's left edge),
// the first row's waves named directly when lab is set.
type codesByWaveMarks struct {
	in       CodesByWaveInput
	head     vg.Length
	lab      *direct
	labelW   vg.Length
	x0       vg.Length
	sx       scale
	labelSty text.Style
	waveSty  text.Style
}

// describeCodesByWave describes the chart of [CodesByWave] for the width in o:
// whether the waves are named beside the first row or in a key decides its
// height.
func describeCodesByWave(in CodesByWaveInput, o options) (description, error) {
	const name = "CodesByWave"
	for _, ws := range in.Codes {
		if err := checkCell(name, fmt.Sprintf("code %q wave 1", ws.Code), ws.Wave1); err != nil {
			return description{}, err
		}
		if err := checkCell(name, fmt.Sprintf("code %q wave 2", ws.Code), ws.Wave2); err != nil {
			return description{}, err
		}
	}
	waveHead := func(w int) string {
		if n := in.Bases[w-1]; n > 0 {
			return fmt.Sprintf("Wave %d (n=%s)", w, itoa(n))
		}
		return fmt.Sprintf("Wave %d", w)
	}
	c := &Chart{Source: in.Source, Header: []string{"Code", waveHead(1), waveHead(2), "Change (percentage points)"}}
	bigI, bigD, drawn, small := -1, 0.0, 0, false
	for i, ws := range in.Codes {
		change := metrics.Withheld
		small = small || ws.Wave1.SmallBase || ws.Wave2.SmallBase
		if !ws.Wave1.hidden() && !ws.Wave2.hidden() {
			d := ws.Wave2.Value - ws.Wave1.Value
			change = signedPoints(d)
			if ws.Wave1.headline() && ws.Wave2.headline() && (bigI < 0 || math.Abs(d) > math.Abs(bigD)) {
				bigI, bigD = i, d
			}
		}
		if !ws.Wave1.hidden() || !ws.Wave2.hidden() {
			drawn++
		}
		c.Rows = append(c.Rows, []string{ws.Code, ws.Wave1.label(), ws.Wave2.label(), change})
	}
	c.Subtitle = withPeriod("Share of interviews with each code, wave 1 and wave 2", in.Period)
	if small {
		c.Subtitle += "." + smallBaseNote(in.MinBase)
	}
	switch {
	case drawn == 0:
		c.Title = "No coded interviews to show"
		c.Alt = "There are no published shares of coded interviews to compare between waves."
		return message(c, "No coded interviews to show."), nil
	case bigI < 0:
		c.Title = "Shares could not be compared between waves"
		c.Alt = "No code has a published share in both waves."
		if small {
			c.Alt = "No code has a share in both waves over enough interviews to compare."
		}
	case math.Round(bigD*100) == 0:
		c.Title = "Codes were as common in wave 2 as in wave 1"
		c.Alt = "No code's share of interviews changed by a whole percentage point between the waves."
	default:
		ws := in.Codes[bigI]
		dir := "rose"
		if bigD < 0 {
			dir = "fell"
		}
		c.Title = fmt.Sprintf("%s %s most between the waves", ws.Code, dir)
		c.Alt = fmt.Sprintf("Of %s, %s changed most: from %s of interviews in wave 1 to %s in wave 2.",
			plural(len(in.Codes), "code", "codes"), lowerFirst(ws.Code), ws.Wave1.label(), ws.Wave2.label())
	}

	const pitch = codeWavePitch
	labelSty := textStyle(smallSize, false, black, draw.XRight)
	waveSty := textStyle(smallSize, true, black, draw.XCenter)
	inner := o.inner()
	labelW := maxLabelWidth(labelSty, c.Rows, 0, inner*0.45)
	hiddenW := vg.Length(0)
	for _, ws := range in.Codes {
		if ws.Wave1.hidden() || ws.Wave2.hidden() {
			hiddenW = textWidth(labelSty, metrics.Withheld) + 6
		}
	}
	// Positions from the body's left edge.
	x0 := labelW + 12
	sx := scale{min: 0, max: 1, lo: x0, hi: inner - 12 - hiddenW}

	// Label the first row's dots directly, above them when they are far
	// enough apart, else beside them; a key only when neither fits.
	var lab *direct
	if first := in.Codes[0]; !first.Wave1.hidden() && !first.Wave2.hidden() {
		p1, p2 := sx.at(first.Wave1.Value), sx.at(first.Wave2.Value)
		w1, w2 := textWidth(waveSty, "Wave 1"), textWidth(waveSty, "Wave 2")
		lo, hi := min(p1, p2), max(p1, p2)
		wlo, whi := w1, w2
		if p2 < p1 {
			wlo, whi = w2, w1
		}
		switch {
		case hi-lo >= (w1+w2)/2+8 && lo-wlo/2 >= 0 && hi+whi/2 <= inner:
			lab = &direct{x1: p1, x2: p2, a1: draw.XCenter, a2: draw.XCenter, above: true}
		case lo-8-wlo >= x0 && hi+8+whi <= inner:
			l, r := lo-8, hi+8
			if p1 <= p2 {
				lab = &direct{x1: l, x2: r, a1: draw.XRight, a2: draw.XLeft}
			} else {
				lab = &direct{x1: r, x2: l, a1: draw.XLeft, a2: draw.XRight}
			}
		}
	}
	head := vg.Length(0)
	f := description{chart: c}
	switch {
	case lab == nil:
		f.key = []keyItem{{keyRing, turquoise, "Wave 1"}, {keyDot, darkBlue, "Wave 2"}}
	case lab.above:
		head = smallSize*lineGap + 2
	}
	f.bodyHeight = head + pitch*vg.Length(len(in.Codes)) + 2*smallSize*lineGap + 8
	f.body = codesByWaveMarks{in: in, head: head, lab: lab, labelW: labelW, x0: x0, sx: sx, labelSty: labelSty, waveSty: waveSty}
	return f, nil
}

func (m codesByWaveMarks) draw(dc draw.Canvas) {
	in, head, lab, labelW, labelSty, waveSty := m.in, m.head, m.lab, m.labelW, m.labelSty, m.waveSty
	const pitch = codeWavePitch
	left := dc.Min.X
	sx := scale{min: 0, max: 1, lo: left + m.sx.lo, hi: left + m.sx.hi}
	x0 := left + m.x0
	top := dc.Max.Y - head
	bottom := top - pitch*vg.Length(len(in.Codes))
	for i, ws := range in.Codes {
		yc := top - pitch*(vg.Length(i)+0.5)
		dc.FillText(labelSty, vg.Point{X: x0 - 12, Y: yc + smallSize*0.5}, truncate(labelSty, ws.Code, labelW))
		dc.StrokeLine2(draw.LineStyle{Color: midGrey, Width: 0.5, Dashes: []vg.Length{1, 3}}, x0, yc, sx.hi, yc)
		if !ws.Wave1.hidden() && !ws.Wave2.hidden() {
			dc.StrokeLine2(draw.LineStyle{Color: darkGrey, Width: 2}, sx.at(ws.Wave1.Value), yc, sx.at(ws.Wave2.Value), yc)
		}
		if !ws.Wave1.hidden() {
			drawMark(dc, keyRing, turquoise, sx.at(ws.Wave1.Value), yc, 5)
		}
		if !ws.Wave2.hidden() {
			drawMark(dc, keyDot, darkBlue, sx.at(ws.Wave2.Value), yc, 5)
		}
		if ws.Wave1.hidden() || ws.Wave2.hidden() {
			sty := textStyle(smallSize, false, darkGrey, draw.XRight)
			dc.FillText(sty, vg.Point{X: dc.Max.X, Y: yc + smallSize*0.5}, metrics.Withheld)
		}
	}
	if lab != nil {
		// After the rows, so that side labels sit on a white patch over
		// the dotted guide line.
		yc := top - pitch/2
		y := yc + smallSize*0.5
		if lab.above {
			y = yc + 7 + smallSize*lineGap
		}
		s1, s2 := waveSty, waveSty
		s1.XAlign, s2.XAlign = lab.a1, lab.a2
		s1.Color, s2.Color = turquoiseText, darkBlue
		for _, l := range []struct {
			sty text.Style
			x   vg.Length
			s   string
		}{{s1, left + lab.x1, "Wave 1"}, {s2, left + lab.x2, "Wave 2"}} {
			if !lab.above {
				w := textWidth(l.sty, l.s)
				xa := l.x + vg.Length(l.sty.XAlign)*w
				fillRect(dc, white, xa-2, yc-2, xa+w+2, yc+2)
			}
			dc.FillText(l.sty, vg.Point{X: l.x, Y: y}, l.s)
		}
	}
	axis := draw.LineStyle{Color: midGrey, Width: 1}
	dc.StrokeLine2(axis, sx.lo, bottom, sx.hi, bottom)
	sty := textStyle(smallSize, false, darkGrey, draw.XCenter)
	for v := 0.0; v <= 1.0001; v += 0.25 {
		x := sx.at(v)
		dc.StrokeLine2(axis, x, bottom, x, bottom-4)
		dc.FillText(sty, vg.Point{X: x, Y: bottom - 6}, percent(v))
	}
	dc.FillText(sty, vg.Point{X: (sx.lo + sx.hi) / 2, Y: bottom - 6 - smallSize*lineGap}, "Share of interviews")
}

// signedPoints formats a change in share as percentage points: "+12", "-3", "0".
func signedPoints(d float64) string { return format.Points(d) }

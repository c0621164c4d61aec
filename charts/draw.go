package charts

import (
	"bytes"
	"fmt"
	"image/color"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/font/liberation"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Palette: the Analysis Function's categorical colours, each at least 3:1
// against white (see TestPaletteContrast).
var (
	darkBlue  = color.RGBA{0x12, 0x43, 0x6D, 0xFF}
	turquoise = color.RGBA{0x28, 0xA1, 0x97, 0xFF}
	orange    = color.RGBA{0xF4, 0x6A, 0x25, 0xFF}
	darkPink  = color.RGBA{0x80, 0x16, 0x50, 0xFF}
	darkGrey  = color.RGBA{0x3D, 0x3D, 0x3D, 0xFF}
	midGrey   = color.RGBA{0x75, 0x75, 0x75, 0xFF} // axis lines and secondary text, 4.6:1
	// turquoiseText is a darker turquoise for text naming turquoise marks,
	// which needs 4.5:1 where marks need 3:1.
	turquoiseText = color.RGBA{0x1D, 0x75, 0x6E, 0xFF}
	black         = color.RGBA{0x0B, 0x0C, 0x0C, 0xFF} // GOV.UK text colour
	white         = color.RGBA{0xFF, 0xFF, 0xFF, 0xFF}
)

// palette lists the colours used for data marks, for the contrast test.
func palette() []color.RGBA {
	return []color.RGBA{darkBlue, turquoise, orange, darkPink, darkGrey, midGrey, black, turquoiseText}
}

// Geometry, in SVG user units (CSS pixels).
const (
	margin vg.Length = 10

	labelSize vg.Length = 14
	smallSize vg.Length = 13

	lineGap = 1.25 // line height as a multiple of the font size
)

// fonts measures and names the text. It is filled once and only read: the
// Liberation Sans metrics match Arial and Helvetica, named in the SVG font stack.
var fonts = text.Plain{Fonts: font.NewCache(liberation.Collection())}

var (
	sansRegular = font.Font{Typeface: "Liberation", Variant: "Sans"}
	sansBold    = font.Font{Typeface: "Liberation", Variant: "Sans", Weight: xfont.WeightBold}
)

// textStyle returns a text style of the given size; align sets the X alignment
// and the point given to FillText is the text's top.
func textStyle(size vg.Length, bold bool, c color.Color, align text.XAlignment) text.Style {
	f := sansRegular
	if bold {
		f = sansBold
	}
	return text.Style{
		Color:   c,
		Font:    font.From(f, size),
		XAlign:  align,
		YAlign:  draw.YTop,
		Handler: fonts,
	}
}

// textWidth is the width of s as measured with Liberation Sans, plus 8% so
// that a wider fallback font (DejaVu Sans, where no Arial-compatible font is
// installed) still fits the room laid out for it.
func textWidth(sty text.Style, s string) vg.Length { return sty.Width(s) * 1.08 }

// wrap breaks s into lines no wider than width, at spaces.
func wrap(sty text.Style, s string, width vg.Length) []string {
	return wrapWords(sty, glueDates(strings.Fields(s)), width)
}

// wrapHyphen is wrap, breaking words too long for a line with a hyphen.
func wrapHyphen(sty text.Style, s string, width vg.Length) []string {
	return wrapWords(sty, hyphenate(sty, strings.Fields(s), width), width)
}

func wrapWords(sty text.Style, words []string, width vg.Length) []string {
	if len(words) == 0 {
		return nil
	}
	var lines []string
	cur := words[0]
	for _, w := range words[1:] {
		if textWidth(sty, cur+" "+w) <= width {
			cur += " " + w
			continue
		}
		lines = append(lines, cur)
		cur = w
	}
	return append(lines, cur)
}

// glueDates joins "4 December 2000" and "December 2000" into one word each, so
// that a date is never broken across lines.
func glueDates(words []string) []string {
	isMonth := func(w string) bool {
		_, err := time.Parse("January", w)
		return err == nil
	}
	isYear := func(w string) bool {
		w = strings.TrimRight(w, ",;.")
		_, err := strconv.Atoi(w)
		return err == nil && len(w) == 4
	}
	isDay := func(w string) bool {
		n, err := strconv.Atoi(w)
		return err == nil && n >= 1 && n <= 31
	}
	var out []string
	for i := 0; i < len(words); i++ {
		switch {
		case i+2 < len(words) && isDay(words[i]) && isMonth(words[i+1]) && isYear(words[i+2]):
			out = append(out, words[i]+" "+words[i+1]+" "+words[i+2])
			i += 2
		case i+1 < len(words) && isMonth(words[i]) && isYear(words[i+1]):
			out = append(out, words[i]+" "+words[i+1])
			i++
		default:
			out = append(out, words[i])
		}
	}
	return out
}

// hyphenate splits words wider than width into pieces ending in "-" that fit.
// Its cost is linear in a word's length: a piece is looked for only among
// the first fitRunes runes, and the rest of a word too long to fit is not
// measured.
func hyphenate(sty text.Style, words []string, width vg.Length) []string {
	var out []string
	bound := fitRunes(sty, width)
	for _, w := range words {
		r := []rune(w)
		for len(r) > bound || textWidth(sty, string(r)) > width {
			// The longest piece (with its hyphen) that fits.
			n := longestFit(len(r)-1, 3, func(n int) bool {
				return textWidth(sty, string(r[:n])+"-") <= width
			}, bound)
			// Prefer a break before a common suffix ("Depart-ment").
			for k := n; k > 3; k-- {
				if hasSuffixStart(string(r[k:min(len(r), k+4)])) {
					n = k
					break
				}
			}
			if n <= 3 || len(r)-n < 3 {
				break
			}
			out = append(out, string(r[:n])+"-")
			r = r[n:]
		}
		out = append(out, string(r))
	}
	return out
}

// fitRunes bounds the runes of any text that fits width: no more of the
// narrowest glyphs (with a margin for kerning) fit in it. Runes beyond it
// need no measuring, which keeps fitting linear in a label's length: a
// 32,767-character label measured again for each rune dropped took a build
// from a third of a second to 48 seconds. Zero-width runes (combining marks)
// past the bound are cut with the rest.
func fitRunes(sty text.Style, width vg.Length) int {
	narrow := textWidth(sty, "i")
	for _, g := range []string{" ", "l", "j", ".", ",", "'", "|", "!", ":", "\u2009", "\u200a"} {
		if w := textWidth(sty, g); w > 0 && w < narrow {
			narrow = w
		}
	}
	if narrow <= 0 {
		return 1 << 10
	}
	return 2*int(width/narrow) + 16
}

// longestFit returns the largest n in (lo, hi], hi cut to bound, for which
// fits(n) holds, by bisection (fits must hold for every n below one for
// which it holds, as for ever longer prefixes); lo when there is none.
func longestFit(hi, lo int, fits func(int) bool, bound int) int {
	hi = min(hi, bound)
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		if fits(mid) {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo
}

func hasSuffixStart(rest string) bool {
	for _, suf := range []string{"ment", "tion", "sion", "ship", "ance", "ence", "ness", "ity", "ing", "ive", "ful", "ers"} {
		if strings.HasPrefix(rest, suf) {
			return true
		}
	}
	return false
}

// truncate shortens s with an ellipsis until it fits width. It measures
// s whole only when it is short enough to fit at all, and finds the cut by
// bisection among the first fitRunes runes.
func truncate(sty text.Style, s string, width vg.Length) string {
	bound := fitRunes(sty, width)
	if utf8.RuneCountInString(s) <= bound && textWidth(sty, s) <= width {
		return s
	}
	var r []rune
	for _, c := range s {
		if len(r) > bound {
			break
		}
		r = append(r, c)
	}
	cut := func(n int) string { return strings.TrimRight(string(r[:n]), " ") + "…" }
	n := longestFit(len(r)-1, 0, func(n int) bool { return textWidth(sty, cut(n)) <= width }, bound)
	if n == 0 {
		return "…"
	}
	return cut(n)
}

// keyKind is the mark drawn before a key label.
type keyKind int

const (
	keyBox     keyKind = iota // filled square
	keyOutline                // outlined square
	keyLine                   // solid line
	keyDash                   // dashed line
	keyDot                    // filled circle
	keyRing                   // open circle
	keyTick                   // short vertical tick
	keyCross                  // diagonal cross
	keyDiamond                // filled diamond
)

// keyItem is one entry of a key, drawn under the subtitle when direct labels
// do not fit.
type keyItem struct {
	kind  keyKind
	color color.Color
	label string
}

// description is a chart described before anything is drawn: its texts and
// table, the key, the height of its body and the marks the body holds (or a
// message in place of a plot). Describing checks the input, orders it and
// writes the sentences; it may measure text, but it never touches a canvas.
// Drawing takes nothing but a description.
type description struct {
	chart      *Chart
	key        []keyItem
	bodyHeight vg.Length
	body       marks
}

// marks are what a chart's body draws, in data terms: the drawing step
// alone maps them to lengths, in the body area given by dc's Rectangle.
type marks interface {
	draw(dc draw.Canvas)
}

// messageMarks is a short message drawn in place of a plot.
type messageMarks string

func (m messageMarks) draw(dc draw.Canvas) {
	sty := textStyle(labelSize, false, darkGrey, draw.XCenter)
	lines := wrap(sty, string(m), dc.Max.X-dc.Min.X-20)
	y := (dc.Min.Y+dc.Max.Y)/2 + vg.Length(len(lines))*labelSize*lineGap/2
	for _, l := range lines {
		dc.FillText(sty, vg.Point{X: (dc.Min.X + dc.Max.X) / 2, Y: y}, l)
		y -= labelSize * lineGap
	}
}

// message describes a chart whose body is a short message in place of a plot.
func message(c *Chart, msg string) description {
	return description{chart: c, bodyHeight: 70, body: messageMarks(msg)}
}

// drawn is the drawing step of every chart function: it draws the
// description d, unless describing failed with err.
func drawn(w io.Writer, d description, err error, opts []Option) (*Chart, error) {
	if err != nil {
		return nil, err
	}
	return d.chart, d.render(w, newOptions(opts))
}

// render lays the description out, draws it and writes the finished SVG to w. The
// title, subtitle and source are not drawn: the page prints them as text
// beside the chart, where they reflow and keep their size at any width; the
// SVG carries the title and the alt text as its own title and desc.
func (f description) render(w io.Writer, o options) error {
	width := o.width
	inner := width - 2*margin
	keySty := textStyle(smallSize, false, black, draw.XLeft)
	keyRows := layoutKey(keySty, f.key, inner)

	h := margin
	if len(keyRows) > 0 {
		h += vg.Length(len(keyRows)) * smallSize * 1.5
	}
	h += 12 + f.bodyHeight
	h += margin
	h = vg.Length(math.Ceil(float64(h)))

	cv := vgsvg.New(width, h)
	dc := draw.New(cv)
	dc.SetColor(white)
	dc.Fill(dc.Rectangle.Path())

	y := h - margin
	if len(keyRows) > 0 {
		for _, row := range keyRows {
			x := margin
			for _, it := range row {
				drawKeyMark(dc, it, x, y-smallSize*0.55)
				dc.FillText(keySty, vg.Point{X: x + 18, Y: y}, it.label)
				x += keyItemWidth(keySty, it) + 12
			}
			y -= smallSize * 1.5
		}
	}
	y -= 12
	body := dc
	body.Rectangle = vg.Rectangle{
		Min: vg.Point{X: margin, Y: y - f.bodyHeight},
		Max: vg.Point{X: width - margin, Y: y},
	}
	f.body.draw(body)

	var raw bytes.Buffer
	if _, err := cv.WriteTo(&raw); err != nil {
		return fmt.Errorf("draw chart %q: %w", f.chart.Title, err)
	}
	out, err := finishSVG(raw.Bytes(), f.chart.Title, f.chart.Alt)
	if err != nil {
		return err
	}
	if _, err := w.Write(out); err != nil {
		return fmt.Errorf("write chart %q: %w", f.chart.Title, err)
	}
	return nil
}

// Option changes how a chart is laid out.
type Option func(*options)

type options struct {
	width vg.Length
}

// DefaultWidth is the width a chart is drawn at unless [Width] says otherwise.
const DefaultWidth = 400

// MinWidth is the narrowest width a chart can be drawn at.
const MinWidth = 240

// Width draws the chart px CSS pixels wide (at least [MinWidth]). Text keeps
// its size, so a narrower chart shown narrower keeps its text legible: a
// chart drawn 300 wide and shown 288 pixels wide, on a 320-pixel phone,
// has text of 12.5 pixels at the smallest.
func Width(px int) Option {
	return func(o *options) { o.width = vg.Length(max(px, MinWidth)) }
}

func newOptions(opts []Option) options {
	o := options{width: DefaultWidth}
	for _, fn := range opts {
		fn(&o)
	}
	return o
}

// inner is the width inside the margins.
func (o options) inner() vg.Length { return o.width - 2*margin }

func keyItemWidth(sty text.Style, it keyItem) vg.Length {
	return 18 + textWidth(sty, it.label)
}

// layoutKey flows the key items into rows no wider than width.
func layoutKey(sty text.Style, items []keyItem, width vg.Length) [][]keyItem {
	var rows [][]keyItem
	var cur []keyItem
	var x vg.Length
	for _, it := range items {
		iw := keyItemWidth(sty, it)
		if len(cur) > 0 && x+iw > width {
			rows = append(rows, cur)
			cur, x = nil, 0
		}
		cur = append(cur, it)
		x += iw + 12
	}
	if len(cur) > 0 {
		rows = append(rows, cur)
	}
	return rows
}

// drawKeyMark draws a key mark 14 units wide with its vertical centre at y.
func drawKeyMark(c draw.Canvas, it keyItem, x, y vg.Length) {
	switch it.kind {
	case keyBox:
		fillRect(c, it.color, x+2, y-5, x+12, y+5)
	case keyOutline:
		fillRect(c, white, x+2, y-5, x+12, y+5)
		strokeRect(c, it.color, 1, x+2.5, y-4.5, x+11.5, y+4.5)
	case keyLine:
		c.StrokeLine2(draw.LineStyle{Color: it.color, Width: 2.5}, x, y, x+14, y)
	case keyDash:
		c.StrokeLine2(draw.LineStyle{Color: it.color, Width: 2.5, Dashes: []vg.Length{3, 2}}, x, y, x+14, y)
	default:
		drawMark(c, it.kind, it.color, x+7, y, 4.5)
	}
}

// drawMark draws a point mark of radius r centred on (x, y).
func drawMark(c draw.Canvas, kind keyKind, col color.Color, x, y, r vg.Length) {
	pt := vg.Point{X: x, Y: y}
	switch kind {
	case keyDot:
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: col, Radius: r, Shape: draw.CircleGlyph{}}, pt)
	case keyRing:
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: white, Radius: r, Shape: draw.CircleGlyph{}}, pt)
		c.DrawGlyphNoClip(draw.GlyphStyle{Color: col, Radius: r, Shape: draw.RingGlyph{}}, pt)
	case keyTick:
		c.StrokeLine2(draw.LineStyle{Color: col, Width: 1.5}, x, y-r, x, y+r)
	case keyCross:
		ls := draw.LineStyle{Color: col, Width: 2}
		c.StrokeLine2(ls, x-r, y-r, x+r, y+r)
		c.StrokeLine2(ls, x-r, y+r, x+r, y-r)
	case keyDiamond:
		c.FillPolygon(col, []vg.Point{{X: x, Y: y + r*1.2}, {X: x + r, Y: y}, {X: x, Y: y - r*1.2}, {X: x - r, Y: y}})
	}
}

func fillRect(c draw.Canvas, col color.Color, x0, y0, x1, y1 vg.Length) {
	c.FillPolygon(col, []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
}

func strokeRect(c draw.Canvas, col color.Color, width, x0, y0, x1, y1 vg.Length) {
	c.StrokeLines(draw.LineStyle{Color: col, Width: width},
		[]vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}, {X: x0, Y: y0}})
}

// scale maps data values in [min, max] to lengths in [lo, hi].
type scale struct {
	min, max float64
	lo, hi   vg.Length
}

func (s scale) at(v float64) vg.Length {
	if s.max == s.min {
		return s.lo
	}
	return s.lo + vg.Length((v-s.min)/(s.max-s.min))*(s.hi-s.lo)
}

// niceMax returns a round number at least v, for the end of a value axis.
func niceMax(v float64) float64 {
	if v <= 0 {
		return 1
	}
	p := math.Pow(10, math.Floor(math.Log10(v)))
	for _, m := range []float64{1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10} {
		if m*p >= v {
			return m * p
		}
	}
	return 10 * p
}

// niceStep returns a round step giving at most n intervals over [0, max].
func niceStep(max float64, n int) float64 {
	if max <= 0 || n < 1 {
		return 1
	}
	raw := max / float64(n)
	p := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*p >= raw {
			return m * p
		}
	}
	return 10 * p
}

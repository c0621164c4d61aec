package charts

import (
	"unicode"
	"unicode/utf8"

	"cmp"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Group is one row of a spread chart: every value of the group, and the
// quartiles computed for them by the metrics (type 7), drawn as a box.
type Group struct {
	Label  string    // as the chart shows it, such as "County"
	Values []float64 // one per record, in any order; may be empty
	// P25, Median and P75 are the group's quartiles; they are ignored when
	// Values is empty and must otherwise lie between its least and
	// greatest value.
	P25, Median, P75 float64
	// Unrecorded marks the group of records whose type or department is
	// blank: drawn like the others, last, but never named in the title or
	// alt text as the group with the longest or shortest median.
	Unrecorded bool
}

// TimeToAgreementByTypeInput is the data for [TimeToAgreementByType].
type TimeToAgreementByTypeInput struct {
	Source string
	Period string  // for the subtitle; may be empty
	Groups []Group // one per type of authority; Values are the days from start to signing
}

// TimeToAgreementByType draws, for each type of authority, a dot for each
// signed agreement at its days from start to signing, with a box from the
// lower to the upper quartile and a mark at the median, so that the spread
// within a type shows beside the difference between types. Types with the
// longest median come first; a type with no signed agreement is listed last,
// with a note in place of marks.
func TimeToAgreementByType(w io.Writer, in TimeToAgreementByTypeInput, opts ...Option) (*Chart, error) {
	d, err := describeSpread(spreadSpec{
		name:       "TimeToAgreementByType",
		source:     in.Source,
		groups:     in.Groups,
		header:     []string{"Type of authority", "Signed agreements", "Median days", "Lower quartile", "Upper quartile", "Fewest days", "Most days"},
		subtitle:   withPeriod("Days from start of negotiation to signing, by type of authority", in.Period),
		noun:       [2]string{"signed agreement", "signed agreements"},
		none:       "none signed",
		emptyTitle: "No agreement has been signed yet",
		emptyAlt:   "No agreement has been signed yet, so there are no times to agreement to show by type of authority.",
		emptyMsg:   "No signed agreements to show.",
		// Labels are kept as given ("London borough"), never lowered.
		oneTitle: func(g Group) string {
			return fmt.Sprintf("%s authorities took a median of %s days to sign", g.Label, number(g.Median))
		},
		manyTitle: func(hi, lo Group) string {
			return fmt.Sprintf("Longest median time to agreement: %s, %s days", hi.Label, number(hi.Median))
		},
		unrecordedTitle: "No signed agreement records its type of authority",
		unrecordedNote: func(g Group) string {
			return fmt.Sprintf("The type of authority is not recorded for %s (median %s days).", plural(len(g.Values), "signed agreement", "signed agreements"), number(g.Median))
		},
		alt: func(hi, lo Group, groups, n int) string {
			if groups == 1 {
				return fmt.Sprintf("%s %s with one type of authority, %s; the median took %s days, from %s to %s.",
					upperFirstWord(plural(n, "signed agreement", "signed agreements")), isPlural(n, "was", "were"), hi.Label, number(hi.Median), number(slices.Min(hi.Values)), number(slices.Max(hi.Values)))
			}
			return fmt.Sprintf("Across %d types of authority with a signed agreement, the median days to agreement ranged from %s (%s) to %s (%s); each dot is one of the %s.",
				groups, number(lo.Median), lo.Label, number(hi.Median), hi.Label, plural(n, "signed agreement", "signed agreements"))
		},
	})
	return drawn(w, d, err, opts)
}

// DecisionTimesInput is the data for [DecisionTimes].
type DecisionTimesInput struct {
	Source string
	Period string  // for the subtitle; may be empty
	Groups []Group // one per department; Values are the days from the agreement's start to the decision
}

// DecisionTimes draws, for each department, a dot for each dated decision on
// a request for a freedom at its days from the start of the agreement, with
// the quartiles as a box and the median marked; departments with the longest
// median come first.
func DecisionTimes(w io.Writer, in DecisionTimesInput, opts ...Option) (*Chart, error) {
	d, err := describeSpread(spreadSpec{
		name:       "DecisionTimes",
		source:     in.Source,
		groups:     in.Groups,
		header:     []string{"Department", "Dated decisions", "Median days", "Lower quartile", "Upper quartile", "Fewest days", "Most days"},
		subtitle:   withPeriod("Days from the start of negotiation to the decision on each request for a freedom, by department", in.Period),
		noun:       [2]string{"dated decision", "dated decisions"},
		none:       "no dated decision",
		emptyTitle: "No decision on a freedom is dated",
		emptyAlt:   "No decision on a request for a freedom has a date, so there are no decision times to show.",
		emptyMsg:   "No dated decisions to show.",
		oneTitle: func(g Group) string {
			return fmt.Sprintf("%s took a median of %s days to decide", g.Label, number(g.Median))
		},
		manyTitle: func(hi, lo Group) string {
			return fmt.Sprintf("%s took longest to decide: a median of %s days", hi.Label, number(hi.Median))
		},
		unrecordedTitle: "No dated decision records its department",
		unrecordedNote: func(g Group) string {
			return fmt.Sprintf("The department is not recorded for %s (median %s days).", plural(len(g.Values), "dated decision", "dated decisions"), number(g.Median))
		},
		alt: func(hi, lo Group, groups, n int) string {
			if groups == 1 {
				return fmt.Sprintf("%s %s by %s; the median came %s days after the negotiation started, from %s to %s.",
					upperFirstWord(plural(n, "dated decision", "dated decisions")), isPlural(n, "was", "were"), hi.Label, number(hi.Median), number(slices.Min(hi.Values)), number(slices.Max(hi.Values)))
			}
			return fmt.Sprintf("Across %d departments, the median days from the start of negotiation to a decision on a freedom ranged from %s (%s) to %s (%s); each dot is one of the %s.",
				groups, number(lo.Median), lo.Label, number(hi.Median), hi.Label, plural(n, "dated decision", "dated decisions"))
		},
	})
	return drawn(w, d, err, opts)
}

// spreadSpec is what differs between the spread charts: their texts.
type spreadSpec struct {
	name, source, subtitle         string
	groups                         []Group
	header                         []string
	noun                           [2]string // singular and plural of what a dot is
	none                           string    // the note for a group without values
	emptyTitle, emptyAlt, emptyMsg string
	oneTitle                       func(g Group) string
	manyTitle                      func(hi, lo Group) string
	alt                            func(hi, lo Group, groups, n int) string
	unrecordedTitle                string             // when no group is named
	unrecordedNote                 func(Group) string // the unrecorded group in the alt text
}

// spreadMarks are a row per group, those with values first by median, each
// with its values as dots (or ticks), its quartiles as a box and its median,
// on a days scale from 0 to a round number at least the greatest value.
type spreadMarks struct {
	rows []Group
	most float64 // the greatest value of any group
	none string  // the note for a group without values
}

// describeSpread checks the groups, orders them and describes the chart.
func describeSpread(sp spreadSpec) (description, error) {
	var full, empty []Group
	total, most := 0, 0.0
	for _, g := range sp.groups {
		if len(g.Values) == 0 {
			empty = append(empty, g)
			continue
		}
		vs := slices.Clone(g.Values)
		slices.Sort(vs)
		for _, v := range vs {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return description{}, errorf(sp.name, "group %q has a value %v that is not a number of days", g.Label, v)
			}
		}
		lo, hi := vs[0], vs[len(vs)-1]
		if !(lo <= g.P25 && g.P25 <= g.Median && g.Median <= g.P75 && g.P75 <= hi) {
			return description{}, errorf(sp.name, "group %q has quartiles %v, %v, %v outside its values %v to %v or out of order", g.Label, g.P25, g.Median, g.P75, lo, hi)
		}
		g.Values = vs
		full = append(full, g)
		total += len(vs)
		most = max(most, hi)
	}
	slices.SortFunc(full, func(x, y Group) int {
		return cmp.Or(cmp.Compare(btoi(x.Unrecorded), btoi(y.Unrecorded)), cmp.Compare(y.Median, x.Median), cmp.Compare(x.Label, y.Label))
	})
	slices.SortFunc(empty, func(x, y Group) int { return cmp.Compare(x.Label, y.Label) })
	c := &Chart{Source: sp.source, Header: sp.header, Subtitle: sp.subtitle}
	for _, g := range full {
		c.Rows = append(c.Rows, []string{g.Label, itoa(len(g.Values)), number(g.Median), number(g.P25), number(g.P75), number(g.Values[0]), number(g.Values[len(g.Values)-1])})
	}
	for _, g := range empty {
		c.Rows = append(c.Rows, []string{g.Label, "0", "", "", "", "", ""})
	}
	if total == 0 {
		c.Title, c.Alt = sp.emptyTitle, sp.emptyAlt
		return message(c, sp.emptyMsg), nil
	}
	var named []Group
	for _, g := range full {
		if !g.Unrecorded {
			named = append(named, g)
		}
	}
	switch {
	case len(named) == 0:
		c.Title = sp.unrecordedTitle
	case len(named) == 1:
		c.Title = sp.oneTitle(named[0])
	default:
		c.Title = sp.manyTitle(named[0], named[len(named)-1])
	}
	var alt []string
	if len(named) > 0 {
		n := 0
		for _, g := range named {
			n += len(g.Values)
		}
		alt = append(alt, sp.alt(named[0], named[len(named)-1], len(named), n))
	}
	for _, g := range full {
		if g.Unrecorded {
			alt = append(alt, sp.unrecordedNote(g))
		}
	}
	c.Alt = strings.Join(alt, " ")
	if len(empty) > 0 {
		c.Alt += fmt.Sprintf(" %d with %s: %s.", len(empty), sp.none, joinAnd(labels(empty)))
	}

	rows := append(slices.Clone(full), empty...)
	f := description{chart: c}
	f.key = []keyItem{{keyDot, darkBlue, "One " + sp.noun[0]}, {keyOutline, darkGrey, "Middle half"}, {keyTick, orange, "Median"}}
	if slices.ContainsFunc(full, func(g Group) bool { return len(g.Values) > SpreadMaxDots }) {
		// A dot each would overlap into a solid bar and grow the SVG by
		// about 100 bytes a record: mark each day that has any instead.
		f.key = append(f.key[:1:1], keyItem{keyTick, darkBlue, "Days with " + sp.noun[1]}, f.key[1], f.key[2])
		c.Subtitle += fmt.Sprintf("; a tick marks each day with %s where a row has more than %d", sp.noun[1], SpreadMaxDots)
	}
	f.bodyHeight = spreadPitch*vg.Length(len(rows)) + spreadAxisHeight
	f.body = spreadMarks{rows: rows, most: most, none: sp.none}
	return f, nil
}

// spreadPitch is the height of a row of a spread chart, and
// spreadAxisHeight that of its days axis.
const spreadPitch, spreadAxisHeight vg.Length = 30, 2*smallSize*lineGap + 6

func (m spreadMarks) draw(dc draw.Canvas) {
	rows, most, pitch := m.rows, m.most, spreadPitch
	labelSty := textStyle(labelSize, false, black, draw.XRight)
	noteSty := textStyle(smallSize, false, darkGrey, draw.XLeft)
	labelRows := make([][]string, len(rows))
	for i, g := range rows {
		labelRows[i] = []string{g.Label}
	}
	labelW := maxLabelWidth(labelSty, labelRows, 0, (dc.Max.X-dc.Min.X)*0.35)
	x0 := dc.Min.X + labelW + 8
	top := dc.Max.Y
	axisMax := niceMax(most)
	sx := scale{min: 0, max: axisMax, lo: x0 + 4, hi: dc.Max.X - 6}
	var boxes [][2]vg.Point
	var medians [][2]vg.Point
	var dots [][]vg.Point
	var ticks [][2]vg.Point
	for i, g := range rows {
		yc := top - pitch*(vg.Length(i)+0.5)
		dc.FillText(labelSty, vg.Point{X: x0 - 8, Y: yc + labelSize*0.5}, truncate(labelSty, g.Label, labelW))
		if len(g.Values) == 0 {
			dc.FillText(noteSty, vg.Point{X: sx.lo, Y: yc + smallSize*0.5}, m.none)
			continue
		}
		const h = 9
		xa, xb := sx.at(g.P25), sx.at(g.P75)
		boxes = append(boxes,
			[2]vg.Point{{X: xa, Y: yc - h}, {X: xb, Y: yc - h}}, [2]vg.Point{{X: xb, Y: yc - h}, {X: xb, Y: yc + h}},
			[2]vg.Point{{X: xb, Y: yc + h}, {X: xa, Y: yc + h}}, [2]vg.Point{{X: xa, Y: yc + h}, {X: xa, Y: yc - h}})
		xm := sx.at(g.Median)
		medians = append(medians, [2]vg.Point{{X: xm, Y: yc - h - 3}, {X: xm, Y: yc + h + 3}})
		if len(g.Values) > SpreadMaxDots {
			last := vg.Length(-1)
			for _, v := range g.Values { // sorted
				x := vg.Length(math.Round(float64(sx.at(v))*2) / 2)
				if x != last {
					ticks = append(ticks, [2]vg.Point{{X: x, Y: yc - h + 2}, {X: x, Y: yc + h - 2}})
					last = x
				}
			}
			continue
		}
		// Equal values stack above and below the row's centre, so that
		// each record stays visible.
		for k := 0; k < len(g.Values); {
			j := k
			for j < len(g.Values) && g.Values[j] == g.Values[k] {
				j++
			}
			for t := range j - k {
				off := vg.Length((t+1)/2) * 3.5
				if t%2 == 1 {
					off = -off
				}
				off = max(min(off, h), -h)
				dots = append(dots, octagon(sx.at(g.Values[k]), yc+off, 3))
			}
			k = j
		}
	}
	strokeSegments(dc, draw.LineStyle{Color: darkGrey, Width: 1}, boxes)
	fillShapes(dc, darkBlue, dots)
	strokeSegments(dc, draw.LineStyle{Color: darkBlue, Width: 1}, ticks)
	strokeSegments(dc, draw.LineStyle{Color: orange, Width: 3}, medians)
	// Value axis along the bottom, in days.
	y := top - pitch*vg.Length(len(rows))
	axis := draw.LineStyle{Color: midGrey, Width: 1}
	dc.StrokeLine2(axis, x0, top, x0, y)
	dc.StrokeLine2(axis, sx.lo, y, sx.hi, y)
	sty := textStyle(smallSize, false, darkGrey, draw.XCenter)
	for _, t := range (roundTicks{}).Ticks(0, axisMax) {
		x := sx.at(t.Value)
		dc.StrokeLine2(axis, x, y, x, y-4)
		lab := t.Label
		half := textWidth(sty, lab) / 2
		dc.FillText(sty, vg.Point{X: min(x, dc.Max.X-half), Y: y - 6}, lab)
	}
	dc.FillText(sty, vg.Point{X: (sx.lo + sx.hi) / 2, Y: y - 6 - smallSize*lineGap}, "Days")
}

// SpreadMaxDots is the most values a row of a spread chart draws as one
// dot each; a row with more marks each day that has any with a tick.
const SpreadMaxDots = 60

// octagon is a filled dot of radius r centred on (x, y), as a polygon so
// that many dots fill as one path.
func octagon(x, y, r vg.Length) []vg.Point {
	const s = 0.4142 // tan(22.5 degrees)
	return []vg.Point{
		{X: x + r, Y: y + r*s}, {X: x + r*s, Y: y + r}, {X: x - r*s, Y: y + r}, {X: x - r, Y: y + r*s},
		{X: x - r, Y: y - r*s}, {X: x - r*s, Y: y - r}, {X: x + r*s, Y: y - r}, {X: x + r, Y: y - r*s},
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// upperFirstWord capitalises the first letter of a sentence.
func upperFirstWord(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

func labels(gs []Group) []string {
	out := make([]string, len(gs))
	for i, g := range gs {
		out[i] = g.Label
	}
	return out
}

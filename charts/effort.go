package charts

import (
	"cmp"
	"fmt"
	"io"
	"math"
	"slices"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Hours is a number of hours with its label.
type Hours struct {
	Label string // as the chart shows it, such as "Home Office" or "Meeting"
	Hours float64
	// Unrecorded marks the hours of contacts whose department or type is
	// blank: drawn like the others, but never named in the title or alt
	// text as the department with the most hours.
	Unrecorded bool
	// Share is Hours as a share of all hours, as the metrics give it
	// (effort.share_by_department, effort.share_by_type).
	Share float64
}

// HoursOfContactInput is the data for [HoursOfContact]. ByDepartment and
// ByType split the same hours two ways, so they must add up to the same
// total.
type HoursOfContactInput struct {
	Source       string
	Period       string // for the subtitle; may be empty
	ByDepartment []Hours
	ByType       []Hours
	// Total is the hours recorded, as the metrics give them
	// (effort.hours_total): the chart states it and takes each share of it,
	// and adds up the two splits only to check that both come to it.
	Total float64
}

// HoursOfContact draws the hours recorded against contacts as two sets of
// horizontal bars, by department and by type of contact, most hours first in
// each; entries with no hours are left out.
func HoursOfContact(w io.Writer, in HoursOfContactInput, opts ...Option) (*Chart, error) {
	d, err := describeHoursOfContact(in)
	return drawn(w, d, err, opts)
}

// hoursOfContactMarks are two panels of bars, by type of contact then by
// department, most hours first, on one value scale from 0 to the most hours.
type hoursOfContactMarks struct {
	depts []Hours
	types []Hours
	rows  hbarLayout
	headH vg.Length
}

// describeHoursOfContact describes the chart of [HoursOfContact].
func describeHoursOfContact(in HoursOfContactInput) (description, error) {
	const name = "HoursOfContact"
	clean := func(what string, hs []Hours) ([]Hours, float64, error) {
		var out []Hours
		for _, h := range hs {
			if math.IsNaN(h.Hours) || math.IsInf(h.Hours, 0) || h.Hours < 0 {
				return nil, 0, errorf(name, "%s %q has hours %v, not a number of hours", what, h.Label, h.Hours)
			}
			if h.Share < 0 || h.Share > 1 || math.IsNaN(h.Share) {
				return nil, 0, errorf(name, "%s %q has share %v, not a share", what, h.Label, h.Share)
			}
			if h.Hours > 0 {
				out = append(out, h)
			}
		}
		slices.SortFunc(out, func(x, y Hours) int { return cmp.Or(cmp.Compare(y.Hours, x.Hours), cmp.Compare(x.Label, y.Label)) })
		if sum := sumHours(out); math.Abs(sum-in.Total) > 1e-6*max(1, in.Total) {
			return nil, 0, errorf(name, "hours by %s add up to %v, not the total of %v", what, sum, in.Total)
		}
		return out, in.Total, nil
	}
	depts, totalD, err := clean("department", in.ByDepartment)
	if err != nil {
		return description{}, err
	}
	types, totalT, err := clean("type", in.ByType)
	if err != nil {
		return description{}, err
	}
	c := &Chart{Source: in.Source, Header: []string{"Split by", "Department or type", "Hours", "Share of hours"}}
	for _, h := range depts {
		c.Rows = append(c.Rows, []string{"Department", h.Label, number(h.Hours), percent(h.Share)})
	}
	for _, h := range types {
		c.Rows = append(c.Rows, []string{"Type of contact", h.Label, number(h.Hours), percent(h.Share)})
	}
	c.Subtitle = withPeriod("Hours of contact recorded, by department and by type of contact", in.Period)
	if totalD == 0 {
		c.Title = "No hours of contact were recorded"
		c.Alt = "No hours were recorded against the contacts, so there is no effort to show."
		return message(c, "No hours to show."), nil
	}
	topD, topT := depts[0], types[0]
	if i := slices.IndexFunc(depts, func(h Hours) bool { return !h.Unrecorded }); i >= 0 {
		topD = depts[i]
	}
	c.Title = fmt.Sprintf("The type of contact with the most hours: %s (%s of %s)", lowerFirst(topT.Label), number(topT.Hours), number(totalT))
	if len(types) == 1 {
		c.Title = fmt.Sprintf("All %s hours recorded were of one type: %s", number(totalT), lowerFirst(topT.Label))
	}
	c.Alt = fmt.Sprintf("Of %s hours of contact recorded, %s (%s) were of type %s.",
		number(totalD), number(topT.Hours), percent(topT.Share), lowerFirst(topT.Label))
	if !topD.Unrecorded {
		c.Alt += fmt.Sprintf(" The department with the most hours was %s: %s (%s).", topD.Label, number(topD.Hours), percent(topD.Share))
	}

	f := description{chart: c}
	rows := hbarRows(len(depts) + len(types))
	const headH vg.Length = labelSize*lineGap + 6
	f.bodyHeight = rows.height + 2*headH + 8
	f.body = hoursOfContactMarks{depts: depts, types: types, rows: rows, headH: headH}
	return f, nil
}

func (m hoursOfContactMarks) draw(dc draw.Canvas) {
	depts, types, rows, headH := m.depts, m.types, m.rows, m.headH
	labelSty := textStyle(labelSize, false, black, draw.XRight)
	headSty := textStyle(labelSize, true, black, draw.XLeft)
	valueSty := textStyle(smallSize, false, black, draw.XLeft)
	labelW := maxLabelWidth(labelSty, rowsOf(depts, types), 0, (dc.Max.X-dc.Min.X)*0.45)
	x0 := dc.Min.X + labelW + 6
	most := max(depts[0].Hours, types[0].Hours)
	sx := scale{min: 0, max: most, lo: x0, hi: dc.Max.X - textWidth(valueSty, number(most)) - 6}
	y := dc.Max.Y
	panel := func(head string, hs []Hours) {
		dc.FillText(headSty, vg.Point{X: dc.Min.X, Y: y}, head)
		y -= headH
		top := y
		for i, h := range hs {
			yc := top - rows.pitch*(vg.Length(i)+0.5)
			dc.FillText(labelSty, vg.Point{X: x0 - 6, Y: yc + labelSize*0.5}, truncate(labelSty, h.Label, labelW))
			x1 := sx.at(h.Hours)
			fillRect(dc, darkBlue, x0, yc-rows.bar/2, x1, yc+rows.bar/2)
			dc.FillText(valueSty, vg.Point{X: x1 + 4, Y: yc + smallSize*0.5}, number(h.Hours))
		}
		y = top - rows.pitch*vg.Length(len(hs))
		dc.StrokeLine2(draw.LineStyle{Color: midGrey, Width: 1}, x0, top, x0, y)
		y -= 8
	}
	panel("By type of contact", types)
	panel("By department", depts)
}

// sumHours adds up hours, to check a split against its total; the sum is
// never shown.
func sumHours(hs []Hours) float64 {
	total := 0.0
	for _, h := range hs {
		total += h.Hours
	}
	return total
}

// rowsOf puts the labels of both panels in one column, for measuring.
func rowsOf(sets ...[]Hours) [][]string {
	var out [][]string
	for _, hs := range sets {
		for _, h := range hs {
			out = append(out, []string{h.Label})
		}
	}
	return out
}

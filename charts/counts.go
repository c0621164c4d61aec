package charts

import (
	"math"
	"unicode"
	"unicode/utf8"

	"cmp"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// MonthCount is a count for one calendar month.
type MonthCount struct {
	Month string // "YYYY-MM", as metrics.json keys months
	Count int
}

// MeetingsByMonthInput is the data for [MeetingsByMonth].
type MeetingsByMonthInput struct {
	Source string
	Months []MonthCount // any order; months missing between the first and last count as zero
	// Meetings and Peak are the metrics' figures (events.by_type.meeting
	// and events.peak_meeting_month, "YYYY-MM"): the chart states them and
	// marks the peak, and never adds up or compares Months itself. Peak is
	// ignored when Meetings is zero.
	Meetings int
	Peak     string
}

// MeetingsByMonth draws a bar per month from the first month given to the last,
// with the peak (the earliest month with the most meetings) in a distinct
// colour and labelled.
func MeetingsByMonth(w io.Writer, in MeetingsByMonthInput, opts ...Option) (*Chart, error) {
	d, err := describeMeetingsByMonth(in)
	return drawn(w, d, err, opts)
}

// monthBar is one month's bar.
type monthBar struct {
	month time.Time
	n     int
}

// meetingsByMonthMarks are a bar per month, on a value scale from 0 to the
// peak's count, the peak (bars[peak]) in its own colour.
type meetingsByMonthMarks struct {
	bars []monthBar
	peak int
}

// describeMeetingsByMonth describes the chart of [MeetingsByMonth].
func describeMeetingsByMonth(in MeetingsByMonthInput) (description, error) {
	const name = "MeetingsByMonth"
	counts := map[time.Time]int{}
	var first, last time.Time
	for _, m := range in.Months {
		t, err := time.Parse("2006-01", m.Month)
		if err != nil {
			return description{}, errorf(name, "month %q is not YYYY-MM: %w", m.Month, err)
		}
		if m.Count < 0 {
			return description{}, errorf(name, "month %s has a negative count %d", m.Month, m.Count)
		}
		if _, dup := counts[t]; dup {
			return description{}, errorf(name, "month %s is given twice", m.Month)
		}
		counts[t] = m.Count
		if first.IsZero() || t.Before(first) {
			first = t
		}
		if t.After(last) {
			last = t
		}
	}
	c := &Chart{Source: in.Source, Header: []string{"Month", "Meetings"}}
	var bars []monthBar
	total, peak := in.Meetings, -1
	for t := first; len(counts) > 0 && !t.After(last); t = t.AddDate(0, 1, 0) {
		n := counts[t]
		if n > total {
			return description{}, errorf(name, "month %s has %d meetings, more than the %d in all", t.Format("2006-01"), n, total)
		}
		if t.Format("2006-01") == in.Peak {
			peak = len(bars)
		}
		bars = append(bars, monthBar{t, n})
		c.Rows = append(c.Rows, []string{monthYear(t), itoa(n)})
	}
	if total > 0 && peak < 0 {
		return description{}, errorf(name, "the peak month %q is not among the months", in.Peak)
	}
	if total == 0 {
		c.Title = "No meetings were recorded"
		c.Subtitle = "Negotiation meetings per month"
		c.Alt = "No negotiation meetings were recorded."
		return message(c, "No meetings to show."), nil
	}
	pk := bars[peak]
	c.Subtitle = "Negotiation meetings per month, " + period(first, last)
	c.Title = fmt.Sprintf("Meetings peaked in %s", monthYear(pk.month))
	c.Alt = fmt.Sprintf("Meetings peaked in %s, with %d of the %s from %s.", monthYear(pk.month), pk.n, plural(total, "meeting", "meetings"), period(first, last))
	if len(bars) == 1 {
		c.Title = fmt.Sprintf("All %s were in %s", plural(total, "meeting", "meetings"), monthYear(pk.month))
		c.Alt = fmt.Sprintf("All %s were in %s.", plural(total, "meeting", "meetings"), monthYear(pk.month))
	}

	return description{chart: c, bodyHeight: 200 + timeAxisHeight, body: meetingsByMonthMarks{bars: bars, peak: peak}}, nil
}

func (m meetingsByMonthMarks) draw(dc draw.Canvas) {
	bars, peak := m.bars, m.peak
	pk := bars[peak]
	valSty := textStyle(smallSize, false, black, draw.XCenter)
	bottom := dc.Min.Y + timeAxisHeight
	slot := (dc.Max.X - dc.Min.X) / vg.Length(len(bars))
	gap := min(slot*0.25, 8)
	sy := scale{min: 0, max: float64(pk.n), lo: bottom, hi: dc.Max.Y - smallSize*lineGap - 4}
	showAll := slot >= textWidth(valSty, itoa(pk.n))+4
	// Label months every k slots so that "Sep" fits with room to spare.
	k := 1
	for slot*vg.Length(k) < textWidth(valSty, "May")+8 {
		k++
	}
	for _, step := range []int{1, 2, 3, 6, 12} {
		if step >= k {
			k = step
			break
		}
	}
	for i, b := range bars {
		x := dc.Min.X + slot*vg.Length(i)
		col := darkBlue
		if i == peak {
			col = orange
		}
		if b.n > 0 {
			fillRect(dc, col, x+gap/2, bottom, x+slot-gap/2, sy.at(float64(b.n)))
		}
		xc := x + slot/2
		if showAll || i == peak {
			sty := valSty
			if i == peak {
				sty = textStyle(smallSize, true, black, draw.XCenter)
			}
			lab := itoa(b.n)
			if i == peak && !showAll {
				lab = "Peak: " + lab
			}
			if i == peak {
				half := textWidth(sty, lab) / 2
				xc = min(max(xc, dc.Min.X+half), dc.Max.X-half)
			}
			dc.FillText(sty, vg.Point{X: xc, Y: sy.at(float64(b.n)) + smallSize*lineGap}, lab)
		}
		if i%k == 0 {
			mx := x + slot/2
			dc.FillText(valSty, vg.Point{X: mx, Y: bottom - 4}, b.month.Format("Jan"))
			if i == 0 || b.month.Month() <= time.Month(k) {
				dc.FillText(valSty, vg.Point{X: mx, Y: bottom - 4 - smallSize*lineGap}, b.month.Format("2006"))
			}
		}
	}
	dc.StrokeLine2(draw.LineStyle{Color: midGrey, Width: 1}, dc.Min.X, bottom, dc.Max.X, bottom)
}

// DepartmentFreedoms is one department's answers to requests for freedoms and
// flexibilities.
type DepartmentFreedoms struct {
	Department    string
	Requested     int // requests the department answered
	Granted       int // granted in full
	PartlyGranted int // granted in part
}

// FreedomsByDepartmentInput is the data for [FreedomsByDepartment].
type FreedomsByDepartmentInput struct {
	Source      string
	Period      string // for the subtitle, such as "November 2000 to May 2001"; may be empty
	Departments []DepartmentFreedoms
	// All holds the totals over every department and GrantedRate the share
	// granted in full or in part, as the metrics give them
	// (freedoms.requested, .granted, .partly_granted and .granted_rate):
	// the chart states them and never adds up Departments itself.
	All         DepartmentFreedoms
	GrantedRate float64
}

// FreedomsByDepartment draws, for each department with most requests first, an
// outlined bar of the freedoms requested with the granted and partly granted
// ones filled inside it from zero.
func FreedomsByDepartment(w io.Writer, in FreedomsByDepartmentInput, opts ...Option) (*Chart, error) {
	d, err := describeFreedomsByDepartment(in)
	return drawn(w, d, err, opts)
}

// freedomsByDepartmentMarks are an outlined bar per department, most requests
// first, on a value scale from 0 to the most requests, filled with the
// granted and partly granted requests.
type freedomsByDepartmentMarks struct {
	ds     []DepartmentFreedoms
	rows   hbarLayout
	labels [][]string
}

// describeFreedomsByDepartment describes the chart of [FreedomsByDepartment].
func describeFreedomsByDepartment(in FreedomsByDepartmentInput) (description, error) {
	const name = "FreedomsByDepartment"
	ds := slices.Clone(in.Departments)
	req, gr, pg := in.All.Requested, in.All.Granted, in.All.PartlyGranted
	for _, d := range append(ds, in.All) {
		if d.Requested < 0 || d.Granted < 0 || d.PartlyGranted < 0 {
			return description{}, errorf(name, "department %q has a negative count", d.Department)
		}
		if d.Granted+d.PartlyGranted > d.Requested {
			return description{}, errorf(name, "department %q granted %d in full and %d in part of only %d requested", d.Department, d.Granted, d.PartlyGranted, d.Requested)
		}
		if d.Requested > req {
			return description{}, errorf(name, "department %q answered %d requests, more than the %d requested in all", d.Department, d.Requested, req)
		}
	}
	if req > 0 && len(ds) == 0 {
		return description{}, errorf(name, "%d requests in all, but no department", req)
	}
	if in.GrantedRate < 0 || in.GrantedRate > 1 {
		return description{}, errorf(name, "granted rate %v is not a share", in.GrantedRate)
	}
	slices.SortFunc(ds, func(x, y DepartmentFreedoms) int {
		return cmp.Or(cmp.Compare(y.Requested, x.Requested), cmp.Compare(x.Department, y.Department))
	})
	c := &Chart{Source: in.Source, Header: []string{"Department", "Requested", "Granted", "Partly granted", "Not granted or deferred"}}
	for _, d := range ds {
		c.Rows = append(c.Rows, []string{d.Department, itoa(d.Requested), itoa(d.Granted), itoa(d.PartlyGranted), itoa(d.Requested - d.Granted - d.PartlyGranted)})
	}
	c.Subtitle = withPeriod("Freedoms and flexibilities requested, granted and partly granted, by department", in.Period)
	if req == 0 {
		c.Title = "No freedoms were requested"
		c.Alt = "No requests for freedoms and flexibilities were recorded."
		return message(c, "No requests to show."), nil
	}
	rate := in.GrantedRate
	c.Title = fmt.Sprintf("Departments granted %s of requested freedoms, fully or in part", percent(rate))
	c.Alt = fmt.Sprintf("Of %s requested, %d %s granted in full and %d in part (%s). %s received the most requests (%d).",
		plural(req, "freedom", "freedoms"), gr, isPlural(gr, "was", "were"), pg, percent(rate), ds[0].Department, ds[0].Requested)

	f := description{chart: c}
	f.key = []keyItem{{keyBox, darkBlue, "Granted"}, {keyBox, turquoise, "Partly granted"}, {keyOutline, darkGrey, "Requested"}}
	rows := hbarRows(len(ds))
	f.bodyHeight = rows.height
	f.body = freedomsByDepartmentMarks{ds: ds, rows: rows, labels: c.Rows}
	return f, nil
}

func (m freedomsByDepartmentMarks) draw(dc draw.Canvas) {
	ds, rows, labels := m.ds, m.rows, m.labels
	labelSty := textStyle(labelSize, false, black, draw.XRight)
	valueSty := textStyle(smallSize, false, black, draw.XLeft)
	labelW := maxLabelWidth(labelSty, labels, 0, (dc.Max.X-dc.Min.X)*0.4)
	x0 := dc.Min.X + labelW + 6
	maxVal := itoa(ds[0].Requested) + " of " + itoa(ds[0].Requested)
	sx := scale{min: 0, max: float64(ds[0].Requested), lo: x0, hi: dc.Max.X - textWidth(valueSty, maxVal) - 4}
	top := dc.Max.Y
	for i, d := range ds {
		yc := top - rows.pitch*(vg.Length(i)+0.5)
		h := rows.bar / 2
		dc.FillText(labelSty, vg.Point{X: x0 - 6, Y: yc + labelSize*0.5}, truncate(labelSty, d.Department, labelW))
		xr := sx.at(float64(d.Requested))
		xg := sx.at(float64(d.Granted))
		xp := sx.at(float64(d.Granted + d.PartlyGranted))
		if d.Requested > 0 {
			strokeRect(dc, darkGrey, 1, x0+0.5, yc-h+0.5, xr-0.5, yc+h-0.5)
		}
		if d.Granted > 0 {
			fillRect(dc, darkBlue, x0, yc-h, xg, yc+h)
		}
		if d.PartlyGranted > 0 {
			fillRect(dc, turquoise, xg, yc-h, xp, yc+h)
		}
		dc.FillText(valueSty, vg.Point{X: xr + 4, Y: yc + smallSize*0.5}, itoa(d.Granted+d.PartlyGranted)+" of "+itoa(d.Requested))
	}
	dc.StrokeLine2(draw.LineStyle{Color: midGrey, Width: 1}, x0, top, x0, top-rows.height)
}

// Count is a labelled count.
type Count struct {
	Label string // as the chart shows it, such as "Needs primary legislation"
	Count int
	// Share is Count as a share of the whole, as the metrics give it
	// (freedoms.refusal_reasons_share).
	Share float64
}

// RefusalReasonsInput is the data for [RefusalReasons].
type RefusalReasonsInput struct {
	Source  string
	Period  string  // for the subtitle; may be empty
	Reasons []Count // one per reason; reasons with a zero count are left out
	// Refused is the number of requests not granted, as the metrics give it
	// (freedoms.not_granted): the whole that each reason's share is of.
	// Every refusal gives one reason (other when none is recorded).
	Refused int
}

// RefusalReasons draws the reasons requests for freedoms were not granted as
// horizontal bars, most frequent first.
func RefusalReasons(w io.Writer, in RefusalReasonsInput, opts ...Option) (*Chart, error) {
	d, err := describeRefusalReasons(in)
	return drawn(w, d, err, opts)
}

// countBars are a bar per labelled count, most first, on a value scale
// from 0 to the most, each labelled with its count: the marks of any
// chart of counts by category.
type countBars struct {
	rs     []Count
	rows   hbarLayout
	labels [][]string
}

// describeRefusalReasons describes the chart of [RefusalReasons].
func describeRefusalReasons(in RefusalReasonsInput) (description, error) {
	const name = "RefusalReasons"
	var rs []Count
	total := in.Refused
	for _, r := range in.Reasons {
		if r.Count < 0 || r.Count > total {
			return description{}, errorf(name, "reason %q has a count %d, not one of %d refusals", r.Label, r.Count, total)
		}
		if r.Share < 0 || r.Share > 1 || math.IsNaN(r.Share) {
			return description{}, errorf(name, "reason %q has share %v, not a share", r.Label, r.Share)
		}
		if r.Count > 0 {
			rs = append(rs, r)
		}
	}
	if total > 0 && len(rs) == 0 {
		return description{}, errorf(name, "%d refusals, but no reason with any", total)
	}
	slices.SortFunc(rs, func(x, y Count) int { return cmp.Or(cmp.Compare(y.Count, x.Count), cmp.Compare(x.Label, y.Label)) })
	c := &Chart{Source: in.Source, Header: []string{"Reason", "Requests not granted", "Share"}}
	for _, r := range rs {
		c.Rows = append(c.Rows, []string{r.Label, itoa(r.Count), percent(r.Share)})
	}
	c.Subtitle = withPeriod("Requests for freedoms not granted, by reason", in.Period)
	if total == 0 {
		c.Title = "No request was refused"
		c.Alt = "No request for a freedom or flexibility was refused."
		return message(c, "No refusals to show."), nil
	}
	var top []string
	for _, r := range rs {
		if r.Count == rs[0].Count {
			top = append(top, lowerFirst(r.Label))
		}
	}
	if len(top) == 1 {
		c.Title = "The most common reason for refusal: " + lowerFirst(rs[0].Label)
	} else {
		c.Title = fmt.Sprintf("%d reasons were equally the most common", len(top))
	}
	c.Alt = fmt.Sprintf("Of %s not granted, the most common reason was %s (%d, %s).", plural(total, "request", "requests"),
		lowerFirst(rs[0].Label), rs[0].Count, percent(rs[0].Share))
	if len(top) > 1 {
		c.Alt = fmt.Sprintf("Of %s not granted, the most common reasons were %s (%d each).", plural(total, "request", "requests"), joinAnd(top), rs[0].Count)
	}

	f := description{chart: c}
	rows := hbarRows(len(rs))
	f.bodyHeight = rows.height
	f.body = countBars{rs: rs, rows: rows, labels: c.Rows}
	return f, nil
}

func (m countBars) draw(dc draw.Canvas) {
	rs, rows, labels := m.rs, m.rows, m.labels
	labelSty := textStyle(labelSize, false, black, draw.XRight)
	valueSty := textStyle(smallSize, false, black, draw.XLeft)
	labelW := maxLabelWidth(labelSty, labels, 0, (dc.Max.X-dc.Min.X)*0.5)
	x0 := dc.Min.X + labelW + 6
	sx := scale{min: 0, max: float64(rs[0].Count), lo: x0, hi: dc.Max.X - textWidth(valueSty, itoa(rs[0].Count)) - 6}
	top := dc.Max.Y
	for i, r := range rs {
		yc := top - rows.pitch*(vg.Length(i)+0.5)
		dc.FillText(labelSty, vg.Point{X: x0 - 6, Y: yc + labelSize*0.5}, truncate(labelSty, r.Label, labelW))
		x1 := sx.at(float64(r.Count))
		fillRect(dc, darkBlue, x0, yc-rows.bar/2, x1, yc+rows.bar/2)
		dc.FillText(valueSty, vg.Point{X: x1 + 4, Y: yc + smallSize*0.5}, itoa(r.Count))
	}
	dc.StrokeLine2(draw.LineStyle{Color: midGrey, Width: 1}, x0, top, x0, top-rows.height)
}

func withPeriod(s, period string) string {
	if strings.TrimSpace(period) == "" {
		return s
	}
	return s + ", " + period
}

// lowerFirst lowers the first letter of a label for use inside a sentence,
// unless the label holds another capital ("LGA", "Government Office"), which
// marks an acronym or a proper name.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 || strings.IndexFunc(s[n:], unicode.IsUpper) >= 0 {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

package charts

import (
	"github.com/evalsite/evalsite/internal/format"

	"fmt"
	"math"
	"time"
)

// day returns t's calendar date at midnight UTC, so that differences are whole
// calendar days whatever the time of day or zone of the input.
func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysBetween returns the calendar days from a to b.
func daysBetween(a, b time.Time) int {
	return int(math.Round(day(b).Sub(day(a)).Hours() / 24))
}

func isoDate(t time.Time) string { return t.Format("2006-01-02") }

// longDate formats a date as in GOV.UK style: 4 December 2000.
func longDate(t time.Time) string { return format.Date(t) }

func monthYear(t time.Time) string { return format.Month(t) }

// period returns "November 2000 to May 2001", or one month if they match.
func period(a, b time.Time) string {
	if a.Year() == b.Year() && a.Month() == b.Month() {
		return monthYear(a)
	}
	return monthYear(a) + " to " + monthYear(b)
}

// dateRange returns "8 November 2000 to 31 May 2001", or one date if they match.
func dateRange(a, b time.Time) string {
	if day(a).Equal(day(b)) {
		return longDate(a)
	}
	return longDate(a) + " to " + longDate(b)
}

// plural returns "1 agreement" or "3 agreements".
func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return format.Count(n) + " " + many
}

// percent formats a share in [0, 1] as a whole percentage, as every page
// and download does.
func percent(v float64) string { return format.Percent(v) }

// number formats a float with at most one decimal place, without a trailing .0.
func number(v float64) string { return format.Number(v, 1) }

// joinAnd joins ["a", "b", "c"] as "a, b and c".
func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	out := ""
	for i, x := range xs[:len(xs)-1] {
		if i > 0 {
			out += ", "
		}
		out += x
	}
	return out + " and " + xs[len(xs)-1]
}

func errorf(chart, format string, args ...any) error {
	return fmt.Errorf("chart %s: "+format, append([]any{chart}, args...)...)
}

// Package format writes figures for people: every percentage, count, number
// of days, sum of money and date on a page, in a table, a chart, an alt text
// or a download's notes goes through here, so that they agree to the digit.
//
// Rounding is half away from zero on the decimal value a figure prints as
// (1 of 8 is 12.5%, shown as 13%), not on its binary approximation: a share
// stored as 0.145 rounds to 15%, although 0.145 * 100 is 14.4999... in
// floating point.
package format

import (
	"math"
	"strconv"
	"strings"
	"time"
)

// Round rounds x to the given number of decimal places, half away from
// zero, working on the shortest decimal that reads back as x.
func Round(x float64, decimals int) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return x
	}
	s := roundString(x, decimals)
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return math.Round(x*math.Pow10(decimals)) / math.Pow10(decimals)
	}
	return v
}

// roundString writes x rounded to decimals places (at least 0), half away
// from zero, as a plain decimal string without exponent.
func roundString(x float64, decimals int) string { return shiftRound(x, 0, decimals) }

// shiftRound writes x * 10^shift rounded to decimals places, moving the
// decimal point on x's shortest decimal digits, so that no binary
// multiplication comes between the written value and its rounding.
func shiftRound(x float64, shift, decimals int) string {
	decimals = max(decimals, 0)
	neg := x < 0
	if neg {
		x = -x
	}
	// Shortest digits and exponent: x = 0.d1d2d3... * 10^exp.
	e := strconv.FormatFloat(x, 'e', -1, 64) // "1.45e-01"
	mant, expPart, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expPart)
	digits := strings.Replace(mant, ".", "", 1)
	point := exp + 1 + shift // digits before the decimal point
	// Pad so that there is a digit at every place up to decimals+1 after the point.
	if point < 0 {
		digits = strings.Repeat("0", -point) + digits
		point = 0
	}
	for len(digits) < point+decimals+1 {
		digits += "0"
	}
	keep := []byte(digits[:point+decimals])
	if digits[point+decimals] >= '5' {
		i := len(keep) - 1
		for ; i >= 0; i-- {
			if keep[i] == '9' {
				keep[i] = '0'
				continue
			}
			keep[i]++
			break
		}
		if i < 0 {
			keep = append([]byte{'1'}, keep...)
			point++
		}
	}
	intPart := string(keep[:point])
	if intPart == "" {
		intPart = "0"
	}
	intPart = strings.TrimLeft(intPart, "0")
	if intPart == "" {
		intPart = "0"
	}
	out := intPart
	if decimals > 0 {
		out += "." + string(keep[point:])
	}
	if neg && strings.Trim(out, "0.") != "" {
		out = "-" + out
	}
	return out
}

// Fixed writes x with exactly the given number of decimal places, half away
// from zero, and commas between thousands: Fixed(1234.5, 0) is "1,235".
func Fixed(x float64, decimals int) string { return thousandsOf(roundString(x, decimals)) }

// thousandsOf puts commas between the thousands of a plain decimal string.
func thousandsOf(s string) string {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, c := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteByte('.')
		b.WriteString(frac)
	}
	return b.String()
}

// Number writes x with at most the given number of decimal places, dropping
// trailing zeros: Number(70.0, 1) is "70", Number(70.25, 1) is "70.3".
func Number(x float64, decimals int) string {
	s := Fixed(x, decimals)
	if strings.Contains(s, ".") {
		s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	}
	if s == "-0" {
		s = "0"
	}
	return s
}

// Count writes a whole number with commas between thousands: "1,234".
func Count(n int) string { return Fixed(float64(n), 0) }

// Percent writes a share in [0, 1] as a whole percentage: "13%".
func Percent(share float64) string { return thousandsOf(shiftRound(share, 2, 0)) + "%" }

// PercentValue is the whole percentage Percent prints, as a number, for
// comparisons that must agree with what is shown.
func PercentValue(share float64) float64 {
	v, _ := strconv.ParseFloat(shiftRound(share, 2, 0), 64)
	return v
}

// Ratio writes a ratio with two decimal places: "0.42".
func Ratio(x float64) string { return Fixed(x, 2) }

// Days writes a number of days with at most one decimal place: "1 day",
// "70 days", "70.5 days".
func Days(x float64) string {
	s := Number(x, 1)
	if s == "1" {
		return "1 day"
	}
	return s + " days"
}

// Money writes a sum in pounds sterling, whole pounds: "£12,500".
func Money(x float64) string {
	s := Fixed(x, 0)
	if strings.HasPrefix(s, "-") {
		return "-£" + s[1:]
	}
	return "£" + s
}

// Date writes a calendar day in words, GOV.UK style: "16 July 2001". The
// zero time is "".
func Date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("2 January 2006")
}

// DateRange writes "8 November 2000 to 31 May 2001", or one date when both
// are the same day.
func DateRange(a, b time.Time) string {
	if a.Year() == b.Year() && a.YearDay() == b.YearDay() {
		return Date(a)
	}
	return Date(a) + " to " + Date(b)
}

// Month writes a month in words: "December 2000".
func Month(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format("January 2006")
}

// MonthKey writes a "YYYY-MM" key in words ("December 2000"); any other
// text is returned as it is.
func MonthKey(key string) string {
	t, err := time.Parse("2006-01", key)
	if err != nil {
		return key
	}
	return Month(t)
}

// ISODate parses "YYYY-MM-DD" and writes it in words; any other text is
// returned as it is, so that a blank cell stays blank.
func ISODate(s string) string {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return s
	}
	return Date(t)
}

var smallNumbers = [...]string{"zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}

// Words writes a count the way a sentence counts things: one to nine in
// words, numerals from 10 ("three", "12", "1,234"); zero is "0" (Counted
// writes "no negotiations").
func Words(n int) string {
	if n >= 1 && n <= 9 {
		return smallNumbers[n]
	}
	return Count(n)
}

// Plural picks the singular for exactly one and the plural otherwise.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// Counted writes a count with its noun: "one negotiation", "three
// negotiations", "12 negotiations", "no negotiations" for zero.
func Counted(n int, one, many string) string {
	if n == 0 {
		return "no " + many
	}
	return Words(n) + " " + Plural(n, one, many)
}

// PercentDecimals writes a share as a percentage with the given number of
// decimal places: PercentDecimals(0.12345, 1) is "12.3%".
func PercentDecimals(share float64, decimals int) string {
	return thousandsOf(shiftRound(share, 2, decimals)) + "%"
}

// Points writes a change between two shares in whole percentage points,
// signed: "+12", "-3", "0".
func Points(delta float64) string {
	s := thousandsOf(shiftRound(delta, 2, 0))
	switch {
	case s == "0" || s == "-0":
		return "0"
	case strings.HasPrefix(s, "-"):
		return s
	}
	return "+" + s
}

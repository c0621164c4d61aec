package format

import (
	"testing"
	"time"
)

func TestPercentRoundsHalfAwayFromZeroOnTheDecimal(t *testing.T) {
	cases := []struct {
		share float64
		want  string
	}{
		{1.0 / 8, "13%"}, // 12.5: half away from zero, not to even
		{0.145, "15%"},   // 14.4999... in binary, 14.5 as written
		{29.0 / 200, "15%"},
		{0.125 - 1e-9, "12%"},
		{0, "0%"},
		{1, "100%"},
		{2.0 / 3, "67%"},
		{0.005, "1%"},
		{0.0049, "0%"},
	}
	for _, c := range cases {
		if got := Percent(c.share); got != c.want {
			t.Errorf("Percent(%v) = %q, want %q", c.share, got, c.want)
		}
	}
}

func TestNumbers(t *testing.T) {
	cases := []struct{ got, want string }{
		{Days(70), "70 days"},
		{Days(70.25), "70.3 days"},
		{Days(70.35), "70.4 days"},
		{Days(1), "1 day"},
		{Days(0.96), "1 day"},
		{Count(1234567), "1,234,567"},
		{Count(-1234), "-1,234"},
		{Count(0), "0"},
		{Fixed(999.5, 0), "1,000"},
		{Fixed(-2.5, 0), "-3"},
		{Fixed(0.0001, 2), "0.00"},
		{Fixed(-0.001, 2), "0.00"},
		{Ratio(0.425), "0.43"},
		{Money(12500), "£12,500"},
		{Money(99.5), "£100"},
		{Number(-0.01, 1), "0"},
		{Number(1e21, 0), "1,000,000,000,000,000,000,000"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
	if PercentValue(0.145) != 15 || PercentValue(1.0/8) != 13 {
		t.Errorf("PercentValue disagrees with Percent: %v %v", PercentValue(0.145), PercentValue(1.0/8))
	}
}

func TestWords(t *testing.T) {
	d := time.Date(2001, 7, 16, 0, 0, 0, 0, time.UTC)
	cases := []struct{ got, want string }{
		{Date(d), "16 July 2001"},
		{Date(time.Time{}), ""},
		{Month(d), "July 2001"},
		{MonthKey("2000-12"), "December 2000"},
		{MonthKey("none"), "none"},
		{ISODate("2001-07-16"), "16 July 2001"},
		{DateRange(d, d), "16 July 2001"},
		{DateRange(d, d.AddDate(0, 1, 0)), "16 July 2001 to 16 August 2001"},
		{Words(1), "one"},
		{Words(9), "nine"},
		{Words(10), "10"},
		{Words(0), "0"},
		{Words(2000), "2,000"},
		{Counted(1, "negotiation", "negotiations"), "one negotiation"},
		{Counted(2, "negotiation", "negotiations"), "two negotiations"},
		{Counted(0, "negotiation", "negotiations"), "no negotiations"},
		{Counted(12, "authority", "authorities"), "12 authorities"},
	}
	for i, c := range cases {
		if c.got != c.want {
			t.Errorf("case %d: got %q, want %q", i, c.got, c.want)
		}
	}
}

package ingest

import "time"

// ExcelEpoch is serial 0 of Excel's 1900 date system as counted from
// 1 March 1900 on. Excel numbers a 29 February 1900 that never was (serial
// 60), so serials from 61 on are whole days since this date, and serials
// 1 to 59 are one day short of it. Reading, the downloads and the example
// workbooks all count from here.
var ExcelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// firstPlainSerial is the first date whose serial is a plain count of days
// from ExcelEpoch.
var firstPlainSerial = time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC)

// ExcelSerial returns the serial of t's date in Excel's 1900 date system.
// It reports false for a date before 1 March 1900, whose serial Excel's
// phantom leap day makes ambiguous: such a date is best written as text.
func ExcelSerial(t time.Time) (int64, bool) {
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	if d.Before(firstPlainSerial) {
		return 0, false
	}
	// Seconds, not a Duration, which overflows for dates after 2192.
	return (d.Unix() - ExcelEpoch.Unix()) / (24 * 60 * 60), true
}

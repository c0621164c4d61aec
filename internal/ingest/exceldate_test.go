package ingest

import (
	"testing"
	"time"
)

// ExcelSerial and serialDate must agree: a date written as a serial reads
// back as the same date.
func TestExcelSerialRoundTrips(t *testing.T) {
	for _, d := range []time.Time{
		time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2000, 11, 13, 0, 0, 0, 0, time.UTC),
		time.Date(2001, 5, 31, 13, 45, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC),
	} {
		n, ok := ExcelSerial(d)
		if !ok {
			t.Fatalf("ExcelSerial(%s) refused", d)
		}
		back, err := serialDate(float64(n), false)
		if err != nil {
			t.Fatalf("serialDate(%d): %v", n, err)
		}
		if want := d.Truncate(24 * time.Hour); !back.Equal(want) {
			t.Errorf("ExcelSerial(%s) = %d, which reads back as %s", d, n, back)
		}
	}
	// Excel's own serials of two dates.
	for d, want := range map[time.Time]int64{
		time.Date(1900, 3, 1, 0, 0, 0, 0, time.UTC):   61,
		time.Date(2001, 1, 1, 0, 0, 0, 0, time.UTC):   36892,
		time.Date(9999, 12, 31, 0, 0, 0, 0, time.UTC): maxSerial1900,
	} {
		if n, _ := ExcelSerial(d); n != want {
			t.Errorf("ExcelSerial(%s) = %d, want %d", d.Format(time.DateOnly), n, want)
		}
	}
	if _, ok := ExcelSerial(time.Date(1900, 2, 28, 0, 0, 0, 0, time.UTC)); ok {
		t.Error("ExcelSerial accepted 28 February 1900, whose serial is off by Excel's phantom leap day")
	}
}

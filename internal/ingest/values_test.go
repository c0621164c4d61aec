package ingest

import (
	"errors"
	"fmt"
	"testing"
	"time"
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       string
		serials  bool
		date1904 bool
		want     time.Time // zero: an error is wanted
	}{
		{"2001-03-15", false, false, date(2001, 3, 15)},
		{"2001-03-15T00:00:00", false, false, date(2001, 3, 15)},
		{"2001-03-15 00:00:00", false, false, date(2001, 3, 15)},
		{"2001-03-15T10:30:00", false, false, time.Time{}},
		{"15/03/2001", false, false, date(2001, 3, 15)},
		{"5/3/2001", false, false, date(2001, 3, 5)},
		{"03/15/2001", false, false, time.Time{}}, // month first
		{"15/03/01", false, false, time.Time{}},   // two-digit year
		{"31/04/2001", false, false, time.Time{}},
		{"29/02/2000", false, false, date(2000, 2, 29)}, // 2000 is a leap year
		{"29/02/2001", false, false, time.Time{}},
		{"15 March 2001", false, false, date(2001, 3, 15)},
		{"15 mar 2001", false, false, date(2001, 3, 15)},
		{"1st Sept 2001", false, false, date(2001, 9, 1)},
		{"15 Marchy 2001", false, false, time.Time{}},
		{"36843", false, false, time.Time{}}, // a number in a CSV is not a date
		// 1900 system: serial 1 is 1900-01-01, 59 is 1900-02-28, 60 is the
		// phantom 29 February, 61 is 1900-03-01; 36843 - 1 = 36842 days
		// after 1899-12-31 is 2000-11-13.
		{"1", true, false, date(1900, 1, 1)},
		{"59", true, false, date(1900, 2, 28)},
		{"60", true, false, time.Time{}},
		{"61", true, false, date(1900, 3, 1)},
		{"36843", true, false, date(2000, 11, 13)},
		{"36843.75", true, false, date(2000, 11, 13)}, // a time of day is dropped
		{"0", true, false, time.Time{}},
		{"-1", true, false, time.Time{}},
		{"2958465", true, false, date(9999, 12, 31)},
		{"2958466", true, false, time.Time{}},
		// 1904 system: serial 0 is 1904-01-01, 1 is 1904-01-02, 59 and 60
		// are ordinary days (1904-02-29 exists: 1904 is a leap year).
		{"0", true, true, date(1904, 1, 1)},
		{"1", true, true, date(1904, 1, 2)},
		{"59", true, true, date(1904, 2, 29)},
		{"60", true, true, date(1904, 3, 1)},
		{"35381", true, true, date(2000, 11, 13)},      // 36843 - 1462
		{"15/03/2001", true, false, date(2001, 3, 15)}, // text in a workbook
	}
	for _, tt := range tests {
		got, err := parseDate(tt.in, tt.serials, tt.date1904)
		if tt.want.IsZero() {
			if err == nil || !errors.Is(err, ErrBadDate) {
				t.Errorf("parseDate(%q, %v, %v) = %v, %v, want ErrBadDate", tt.in, tt.serials, tt.date1904, got, err)
			}
			continue
		}
		if err != nil || !got.Equal(tt.want) {
			t.Errorf("parseDate(%q, %v, %v) = %v, %v, want %v", tt.in, tt.serials, tt.date1904, got, err, tt.want)
		}
	}
}

func TestParseNumber(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   float64
		wantOK bool
	}{
		{"0", 0, true},
		{"1250000", 1250000, true},
		{"1,250,000", 1250000, true},
		{"£1,250,000.50", 1250000.5, true},
		{"£ 300", 300, true},
		{"1.5E+6", 1.5e6, true},
		{"12,50", 0, false},
		{"1,2345", 0, false},
		{"-5", 0, false},
		{"£-5", 0, false},
		{"NaN", 0, false},
		{"Inf", 0, false},
		{"0x10", 0, false},
		{"1_000", 0, false},
		{"ten", 0, false},
	}
	for _, tt := range tests {
		got, err := parseNumber(tt.in)
		if (err == nil) != tt.wantOK || got != tt.want {
			t.Errorf("parseNumber(%q) = %v, %v, want %v (ok %v)", tt.in, got, err, tt.want, tt.wantOK)
		}
	}
}

func TestParseInteger(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in     string
		want   int
		wantOK bool
	}{
		{"12", 12, true},
		{"12.0", 12, true},
		{"1,000", 1000, true},
		{"12.5", 0, false},
		{"-1", 0, false},
		{"twelve", 0, false},
		{"1e12", 0, false},
	}
	for _, tt := range tests {
		got, err := parseInteger(tt.in)
		if (err == nil) != tt.wantOK || got != tt.want {
			t.Errorf("parseInteger(%q) = %v, %v, want %v (ok %v)", tt.in, got, err, tt.want, tt.wantOK)
		}
	}
}

func TestParseYesNoAndEnum(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]bool{"yes": true, "Yes": true, " Y ": true, "TRUE": true, "1": true, "no": false, "": false, "0": false, "FALSE": false} {
		if got, err := parseYesNo(in); err != nil || got != want {
			t.Errorf("parseYesNo(%q) = %v, %v, want %v", in, got, err, want)
		}
	}
	if _, err := parseYesNo("maybe"); !errors.Is(err, ErrBadValue) {
		t.Errorf("parseYesNo(maybe) error = %v, want ErrBadValue", err)
	}
	values := []string{"granted", "partly_granted", "not_granted"}
	for in, want := range map[string]string{"Partly granted": "partly_granted", "NOT-GRANTED": "not_granted", " granted ": "granted", "partly__granted": "partly_granted"} {
		if got, err := parseEnum(in, values); err != nil || got != want {
			t.Errorf("parseEnum(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	if _, err := parseEnum("partlygranted", values); !errors.Is(err, ErrBadValue) {
		t.Errorf("parseEnum(partlygranted) error = %v, want ErrBadValue", err)
	}
}

func TestNormalize(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Agreement ID":      "agreement_id",
		"  agreement__id ":  "agreement_id",
		"Agreement - ID *":  "agreement_id",
		"PUMP_PRIMING_GBP":  "pump_priming_gbp",
		"_started_":         "started",
		"interview\u00a0id": "interview_id", // no-break space from a web copy
		"":                  "",
	} {
		if got := normalize(in); got != want {
			t.Errorf("normalize(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestProblemsCapAt100(t *testing.T) {
	t.Parallel()
	lines := []string{"agreement_id,authority,started"}
	for i := range 150 {
		lines = append(lines, fmt.Sprintf("A%d,Kent,not a date %d", i, i))
	}
	_, errs, _ := decodeTables(map[string]*table{"agreements": sheet("a.csv", "", lines...)}, false)
	// 150 bad dates, each its own value.
	if len(errs) != 150 {
		t.Fatalf("got %d problems, want 150", len(errs))
	}
	d := newDecoder()
	data := &Data{Sources: map[string]string{}, Rows: map[string]int{}}
	decodeAll(d, map[string]*table{"agreements": sheet("a.csv", "", lines...)}, data)
	_, err := finish(d, data, false)
	msg := err.Error()
	var n int
	for i := 0; i < len(msg); i++ {
		if msg[i] == '\n' {
			n++
		}
	}
	if n != 100 || !endsWith(msg, "... and 50 more problems") {
		t.Errorf("Problems.Error has %d line breaks and ends %q, want 100 and the count of 50 more", n, msg[max(0, len(msg)-40):])
	}
}

func endsWith(s, suffix string) bool {
	return len(s) >= len(suffix) && s[len(s)-len(suffix):] == suffix
}

func TestParseEnumSuggestsTheNearestValue(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"refused":    "not one of granted, partly_granted, not_granted, deferred: did you mean not_granted?",
		"Grnated":    "not one of granted, partly_granted, not_granted, deferred: did you mean granted?",
		"Partly":     "not one of granted, partly_granted, not_granted, deferred: did you mean partly_granted?",
		"postponed":  "not one of granted, partly_granted, not_granted, deferred: did you mean deferred?",
		"maybe":      "not one of granted, partly_granted, not_granted, deferred",
		"xyzzy":      "not one of granted, partly_granted, not_granted, deferred",
		"not grated": "not one of granted, partly_granted, not_granted, deferred: did you mean not_granted?",
	} {
		_, err := parseEnum(in, outcomes)
		if err == nil || err.Error() != want {
			t.Errorf("parseEnum(%q) = %v, want %s", in, err, want)
		}
	}
	// A value close to two values names neither.
	if got := suggest("ab", []string{"aa", "bb"}); got != "" {
		t.Errorf("suggest(ab, [aa bb]) = %q, want none", got)
	}
	if got := suggest("3", []string{"1", "2"}); got != "" {
		t.Errorf("suggest(3, [1 2]) = %q, want none", got)
	}
	if got := suggest("wave 1", []string{"1", "2"}); got != "" {
		t.Errorf("suggest(wave 1) = %q, want none before normalising", got)
	}
	if got := suggest(normalize("Wave 1"), []string{"1", "2"}); got != "1" {
		t.Errorf("suggest(wave_1) = %q, want 1", got)
	}
}

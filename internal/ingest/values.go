package ingest

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// problemError is a message that unwraps to one of the sentinel errors, so a
// CellError can say exactly what is wrong and still be matched with errors.Is.
type problemError struct {
	msg  string
	kind error
}

func (e *problemError) Error() string { return e.msg }
func (e *problemError) Unwrap() error { return e.kind }

// problem returns an error with a formatted message that unwraps to kind.
func problem(kind error, format string, args ...any) error {
	return &problemError{msg: fmt.Sprintf(format, args...), kind: kind}
}

// normalize turns a header or an enumerated value into its canonical form:
// lower case, surrounding space and a trailing "*" removed, and runs of
// spaces, underscores and hyphens made one underscore ("Agreement ID" is
// "agreement_id", "Partly granted" is "partly_granted").
func normalize(s string) string {
	s = strings.TrimSpace(s)
	s = strings.TrimSpace(strings.TrimSuffix(s, "*"))
	var b strings.Builder
	b.Grow(len(s))
	sep := false
	for _, r := range s {
		if r == '_' || r == '-' || unicode.IsSpace(r) {
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// Bounds of Excel serial dates: 1 is 1900-01-01 and 2958465 is 9999-12-31
// in the 1900 date system.
const (
	maxSerial1900 = 2958465
	maxSerial1904 = maxSerial1900 - 1462
)

var (
	epoch1900 = ExcelEpoch.AddDate(0, 0, 1)                 // serial 0 ("1900-01-00")
	epoch1904 = time.Date(1904, 1, 1, 0, 0, 0, 0, time.UTC) // serial 0 in the 1904 system
)

// serialDate converts an Excel serial day number to a date. In the 1900
// system Excel counts a 29 February 1900 that never was (serial 60), so
// serials after it are one day ahead of a plain count from 31 December 1899;
// serial 60 itself is refused. Fractions of a day (times) are dropped.
func serialDate(v float64, date1904 bool) (time.Time, error) {
	if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
		return time.Time{}, problem(ErrBadDate, "not a date: Excel date number %v is out of range", v)
	}
	n := int(math.Floor(v))
	if date1904 {
		if n > maxSerial1904 {
			return time.Time{}, problem(ErrBadDate, "not a date: Excel date number %d is out of range", n)
		}
		return epoch1904.AddDate(0, 0, n), nil
	}
	switch {
	case n < 1 || n > maxSerial1900:
		return time.Time{}, problem(ErrBadDate, "not a date: Excel date number %d is out of range", n)
	case n == 60:
		return time.Time{}, problem(ErrBadDate, "not a date: Excel's 29 February 1900 never existed")
	case n > 60:
		n--
	}
	return epoch1900.AddDate(0, 0, n), nil
}

var monthNames = map[string]time.Month{
	"january": time.January, "jan": time.January,
	"february": time.February, "feb": time.February,
	"march": time.March, "mar": time.March,
	"april": time.April, "apr": time.April,
	"may":  time.May,
	"june": time.June, "jun": time.June,
	"july": time.July, "jul": time.July,
	"august": time.August, "aug": time.August,
	"september": time.September, "sep": time.September, "sept": time.September,
	"october": time.October, "oct": time.October,
	"november": time.November, "nov": time.November,
	"december": time.December, "dec": time.December,
}

// errDateForms says which forms of date are accepted.
var errDateForms = problem(ErrBadDate, "not a date: use 2001-03-15, 15/03/2001 or 15 March 2001")

// parseDate reads a date written as ISO 2001-03-15, UK 15/03/2001 (day
// first) or 15 March 2001. When serials is true (a workbook cell), a plain
// number is an Excel serial date in the workbook's date system.
func parseDate(s string, serials, date1904 bool) (time.Time, error) {
	s = strings.TrimSpace(s)
	if serials && s != "" && (s[0] >= '0' && s[0] <= '9' || s[0] == '.') && !strings.ContainsAny(s, "-/ ") {
		v, err := strconv.ParseFloat(s, 64)
		if err == nil {
			return serialDate(v, date1904)
		}
	}
	var y, m, d int
	switch {
	case len(s) >= 10 && s[4] == '-' && s[7] == '-':
		// ISO; a time after the date (as some programs export) is ignored
		// only when it is midnight.
		if rest := s[10:]; rest != "" && !isMidnight(rest) {
			return time.Time{}, errDateForms
		}
		var ok1, ok2, ok3 bool
		y, ok1 = digits(s[0:4], 4, 4)
		m, ok2 = digits(s[5:7], 2, 2)
		d, ok3 = digits(s[8:10], 2, 2)
		if !ok1 || !ok2 || !ok3 {
			return time.Time{}, errDateForms
		}
	case strings.Count(s, "/") == 2:
		parts := strings.Split(s, "/")
		var ok1, ok2, ok3 bool
		d, ok1 = digits(parts[0], 1, 2)
		m, ok2 = digits(parts[1], 1, 2)
		y, ok3 = digits(parts[2], 4, 4)
		if !ok1 || !ok2 || !ok3 {
			return time.Time{}, errDateForms
		}
		if m > 12 && d <= 12 {
			return time.Time{}, problem(ErrBadDate, "not a date: day and month are the wrong way round; write the day first, as in 15/03/2001")
		}
	default:
		f := strings.Fields(s)
		if len(f) != 3 {
			return time.Time{}, errDateForms
		}
		var ok1, ok3 bool
		d, ok1 = digits(strings.TrimRight(strings.ToLower(f[0]), "stndrh"), 1, 2)
		mon, ok2 := monthNames[strings.ToLower(strings.TrimSuffix(f[1], ","))]
		y, ok3 = digits(f[2], 4, 4)
		if !ok1 || !ok2 || !ok3 {
			return time.Time{}, errDateForms
		}
		m = int(mon)
	}
	if m < 1 || m > 12 {
		return time.Time{}, problem(ErrBadDate, "not a date: there is no month %d", m)
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	if d < 1 || t.Day() != d {
		return time.Time{}, problem(ErrBadDate, "not a date: %s %d has no day %d", time.Month(m), y, d)
	}
	return t, nil
}

// isMidnight reports whether s is a time of day at midnight, such as
// "T00:00:00", " 00:00", "T00:00:00Z" or "T00:00:00.000".
func isMidnight(s string) bool {
	if s[0] != 'T' && s[0] != ' ' {
		return false
	}
	s = strings.TrimSuffix(s[1:], "Z")
	return strings.Trim(s, "0:.") == "" && len(s) >= 4
}

// digits parses an unsigned decimal of min to max ASCII digits.
func digits(s string, min, max int) (int, bool) {
	if len(s) < min || len(s) > max {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// parseNumber reads a number >= 0, allowing a leading £ and commas as
// thousands separators ("£1,250,000.50").
func parseNumber(s string) (float64, error) {
	t := strings.TrimSpace(s)
	t = strings.TrimSpace(strings.TrimPrefix(t, "£"))
	if strings.HasPrefix(t, "-") {
		return 0, problem(ErrBadValue, "number must not be negative")
	}
	if strings.Contains(t, ",") {
		ip, frac, _ := strings.Cut(t, ".")
		groups := strings.Split(ip, ",")
		for i, g := range groups {
			if _, ok := digits(g, 1, 3); !ok || (i > 0 && len(g) != 3) {
				return 0, problem(ErrBadValue, "not a number: commas must separate thousands, as in 1,250,000")
			}
		}
		t = strings.Join(groups, "")
		if frac != "" || strings.HasSuffix(s, ".") {
			t += "." + frac
		}
	}
	// strconv accepts forms no spreadsheet writes (Inf, NaN, hex, "_"):
	// allow only digits, one point and an exponent.
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= '0' && c <= '9' || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-') {
			return 0, problem(ErrBadValue, "not a number")
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(v, 0) {
		return 0, problem(ErrBadValue, "not a number")
	}
	if v < 0 {
		return 0, problem(ErrBadValue, "number must not be negative")
	}
	return v, nil
}

// parseInteger reads a whole number >= 0, written as for parseNumber.
func parseInteger(s string) (int, error) {
	v, err := parseNumber(s)
	if err != nil {
		var pe *problemError
		if errors.As(err, &pe) && pe.msg == "not a number" {
			return 0, problem(ErrBadValue, "not a whole number")
		}
		return 0, err
	}
	if v != math.Trunc(v) || v > math.MaxInt32 {
		return 0, problem(ErrBadValue, "not a whole number")
	}
	return int(v), nil
}

// parseYesNo reads yes or no (also y/n, true/false and 1/0, as spreadsheet
// booleans export); blank is no.
func parseYesNo(s string) (bool, error) {
	switch normalize(s) {
	case "yes", "y", "true", "1":
		return true, nil
	case "no", "n", "false", "0", "":
		return false, nil
	}
	return false, problem(ErrBadValue, "not yes or no")
}

// parseEnum returns the canonical value of s among values.
func parseEnum(s string, values []string) (string, error) {
	n := normalize(s)
	for _, v := range values {
		if n == v {
			return v, nil
		}
	}
	if near := suggest(n, values); near != "" {
		return "", problem(ErrBadValue, "not one of %s: did you mean %s?", strings.Join(values, ", "), near)
	}
	return "", problem(ErrBadValue, "not one of %s", strings.Join(values, ", "))
}

// synonyms maps words people write for an enumerated value (normalised) to
// that value.
var synonyms = map[string]string{
	"refused": "not_granted", "rejected": "not_granted", "declined": "not_granted", "denied": "not_granted",
	"no": "not_granted", "not_agreed": "not_granted", "turned_down": "not_granted",
	"approved": "granted", "accepted": "granted", "agreed": "granted", "yes": "granted", "given": "granted",
	"partial": "partly_granted", "partially_granted": "partly_granted", "part_granted": "partly_granted", "partly": "partly_granted",
	"pending": "deferred", "postponed": "deferred", "delayed": "deferred", "on_hold": "deferred", "waiting": "deferred",
	"la": "local_authority", "council": "local_authority", "authority": "local_authority",
	"dept": "department", "government_department": "department", "whitehall": "department",
	"go": "government_office", "local_government_association": "lga",
	"call": "correspondence", "phone": "correspondence", "phone_call": "correspondence", "email": "correspondence", "letter": "correspondence",
	"signed": "signing", "sign": "signing", "seminar": "workshop",
	"pos": "positive", "neg": "negative", "both": "mixed", "neither": "neutral",
	"one": "1", "two": "2", "wave_1": "1", "wave_2": "2", "w1": "1", "w2": "2", "first": "1", "second": "2",
	"london": "london_borough", "metropolitan_district": "metropolitan", "shire_county": "county", "unitary_authority": "unitary",
}

// suggest returns the value of values that n (normalised) was most likely
// meant to be: a known synonym, the only value n begins, or the only value
// within a small edit distance (a typing slip); else "".
func suggest(n string, values []string) string {
	if v, ok := synonyms[n]; ok && slicesContains(values, v) {
		return v
	}
	if utf8.RuneCountInString(n) > 40 {
		return ""
	}
	best, bestDist, ties := "", 0, 0
	for _, v := range values {
		if len(n) >= 3 && strings.HasPrefix(v, n) {
			return v
		}
		d := editDistance(n, v)
		switch {
		case best == "" || d < bestDist:
			best, bestDist, ties = v, d, 0
		case d == bestDist:
			ties++
		}
	}
	// One slip in a short word, two in a longer one.
	limit := 1
	if utf8.RuneCountInString(best) >= 6 {
		limit = 2
	}
	if ties > 0 || bestDist > limit {
		return ""
	}
	return best
}

func slicesContains(values []string, v string) bool {
	for _, x := range values {
		if x == v {
			return true
		}
	}
	return false
}

// editDistance is the number of single-character insertions, deletions,
// substitutions and swaps of neighbours that turn a into b.
func editDistance(a, b string) int {
	x, y := []rune(a), []rune(b)
	prev2 := make([]int, len(y)+1)
	prev := make([]int, len(y)+1)
	cur := make([]int, len(y)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(x); i++ {
		cur[0] = i
		for j := 1; j <= len(y); j++ {
			cost := 1
			if x[i-1] == y[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && x[i-1] == y[j-2] && x[i-2] == y[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(y)]
}

// clip shortens a value quoted in a message so one huge cell cannot flood
// the report.
func clip(s string) string {
	const max = 80
	if len(s) <= max {
		return s
	}
	cut := max
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

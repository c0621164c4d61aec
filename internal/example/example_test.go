package example

import (
	"archive/zip"
	"bytes"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/xuri/excelize/v2"

	"github.com/evalsite/evalsite/internal/ingest"
)

func date0(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// concurrency returns, for each day from the first start to the last end,
// how many agreements are active (started <= d < signed), as the concurrency
// figure defines it, counted directly day by day.
func concurrency(as []ingest.Agreement) (peak int, peakFirst time.Time, active func(time.Time) int) {
	active = func(d time.Time) int {
		n := 0
		for _, a := range as {
			end, ok := a.End()
			if !ok {
				end = date0(2001, time.June, 1) // open at the end of fieldwork
			}
			if !a.Started.After(d) && d.Before(end) {
				n++
			}
		}
		return n
	}
	for d := date0(2000, time.October, 1); d.Before(date0(2001, time.July, 1)); d = d.AddDate(0, 0, 1) {
		if n := active(d); n > peak {
			peak, peakFirst = n, d
		}
	}
	return peak, peakFirst, active
}

// peakMeetingMonth returns the earliest month with the most meetings.
func peakMeetingMonth(es []ingest.Event) (string, map[string]int) {
	byMonth := map[string]int{}
	for _, e := range es {
		if e.Type == "meeting" {
			byMonth[e.Date.Format("2006-01")]++
		}
	}
	months := make([]string, 0, len(byMonth))
	for m := range byMonth {
		months = append(months, m)
	}
	slices.Sort(months)
	best := ""
	for _, m := range months {
		if best == "" || byMonth[m] > byMonth[best] {
			best = m
		}
	}
	return best, byMonth
}

// TestGenerateShowsDomainPatterns computes, from the default example, each
// pattern DOMAIN.md reports about the pilot.
func TestGenerateShowsDomainPatterns(t *testing.T) {
	t.Parallel()
	for _, n := range []int{0, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			t.Parallel()
			d := Generate(Config{Agreements: n})
			want := n
			if n == 0 {
				want = 20
			}
			if len(d.Agreements) != want {
				t.Fatalf("Generate(%d) made %d agreements, want %d", n, len(d.Agreements), want)
			}

			// All signed by the end of fieldwork; starts from November 2000.
			first, last := d.Agreements[0].Started, time.Time{}
			var shortest, longest int = 1 << 30, 0
			tranches := map[string]int{}
			// The pilot's size is all signed; a larger example leaves about
			// one in ten open or withdrawn, so that censoring shows.
			unsigned := 0
			for _, a := range d.Agreements {
				if a.Status() != ingest.StatusSigned {
					unsigned++
					if n == 0 {
						t.Errorf("%s is %s, want signed", a.ID, a.Status())
					}
					continue
				}
				if a.Started.Before(first) {
					first = a.Started
				}
				if a.Signed.After(last) {
					last = a.Signed
				}
				dur := int(a.Signed.Sub(a.Started).Hours() / 24)
				shortest, longest = min(shortest, dur), max(longest, dur)
				tranches[a.Tranche]++
			}
			if n > 0 && (unsigned == 0 || unsigned > want/5) {
				t.Errorf("%d of %d negotiations unsigned, want some and at most a fifth", unsigned, want)
			}
			if first.Before(date0(2000, time.November, 1)) || !first.Before(date0(2000, time.December, 1)) {
				t.Errorf("first start %s, want in November 2000", first.Format(time.DateOnly))
			}
			if last.After(date0(2001, time.May, 31)) {
				t.Errorf("last signing %s, want by 31 May 2001", last.Format(time.DateOnly))
			}
			// A few weeks is at most six; several months at least five (150 days).
			if shortest > 42 || longest < 150 {
				t.Errorf("durations %d to %d days, want from at most 42 to at least 150", shortest, longest)
			}
			if diff := cmp.Diff([]string{"1", "2"}, slices.Sorted(maps.Keys(tranches))); diff != "" {
				t.Errorf("tranches (-want +got):\n%s", diff)
			}

			// More than six at once before the staggering, and once starts
			// were staggered (2001) no start took the count over capacity,
			// scaled to the size of the example.
			peak, peakFirst, active := concurrency(d.Agreements)
			slots := 6 * want / 20
			if peak <= 6 || peak <= slots || !peakFirst.Before(date0(2001, time.January, 1)) {
				t.Errorf("peak %d first on %s, want over %d (and over 6) before 2001", peak, peakFirst.Format(time.DateOnly), slots)
			}
			for _, a := range d.Agreements {
				if a.Started.Year() == 2001 {
					if n := active(a.Started); n > slots {
						t.Errorf("%s started %s with %d active, want at most %d", a.ID, a.Started.Format(time.DateOnly), n, slots)
					}
				}
			}

			// The meeting peak is December 2000, and the December count is
			// clearly above any other month's.
			month, byMonth := peakMeetingMonth(d.Events)
			if month != "2000-12" {
				t.Errorf("peak meeting month %s (%v), want 2000-12", month, byMonth)
			}

			// Most requests not granted, for every DOMAIN reason; some deferred.
			outcomes, reasons, depts := map[string]int{}, map[string]int{}, map[string]int{}
			for _, f := range d.Freedoms {
				outcomes[f.Outcome]++
				depts[f.Department]++
				if f.Reason != "" {
					reasons[f.Reason]++
				}
			}
			if 2*outcomes["not_granted"] <= len(d.Freedoms) {
				t.Errorf("not granted %d of %d, want most", outcomes["not_granted"], len(d.Freedoms))
			}
			if outcomes["deferred"] == 0 || outcomes["granted"] == 0 || outcomes["partly_granted"] == 0 {
				t.Errorf("outcomes %v, want some of each", outcomes)
			}
			wantReasons := []string{"already_available", "funding", "joined_up", "policy", "precedent", "primary_legislation", "timescale", "unclear"}
			if diff := cmp.Diff(wantReasons, slices.Sorted(maps.Keys(reasons))); diff != "" {
				t.Errorf("reasons (-want +got):\n%s", diff)
			}
			for _, dept := range []string{"DfEE", "DoH", "Home Office", "DETR", "DSS"} {
				if depts[dept] == 0 {
					t.Errorf("no requests answered by %s", dept)
				}
			}

			// Two programme-wide workshops, in January and April 2001.
			var workshops []string
			for _, e := range d.Events {
				if e.AgreementID == "" {
					workshops = append(workshops, e.Type+" "+e.Date.Format("2006-01"))
				}
			}
			if diff := cmp.Diff([]string{"workshop 2001-01", "workshop 2001-04"}, workshops); diff != "" {
				t.Errorf("programme-wide events (-want +got):\n%s", diff)
			}

			// Two waves, every group in each, and the themes the report discusses.
			groupsByWave := map[int]map[string]bool{1: {}, 2: {}}
			codes := map[string]bool{}
			for _, c := range d.Codings {
				groupsByWave[c.Wave][c.Group] = true
				codes[c.Code] = true
			}
			allGroups := []string{"government_office", "lga", "local_authority", "other", "partner", "policy_centre", "department"}
			slices.Sort(allGroups)
			for _, w := range []int{1, 2} {
				if diff := cmp.Diff(allGroups, slices.Sorted(maps.Keys(groupsByWave[w]))); diff != "" {
					t.Errorf("groups in wave %d (-want +got):\n%s", w, diff)
				}
			}
			for _, c := range []string{"relationships", "delay", "clarity_of_requests", "precedent", "targets", "workload", "guidance", "partners", "standard_draft", "informal_contact", "equity"} {
				if !codes[c] {
					t.Errorf("code %s never applied", c)
				}
			}
		})
	}
}

// TestGenerateIncludesEscapingCases checks the values that test escaping
// downstream: an authority with an ampersand, and excerpts both held back
// and cleared. No excerpt carries markup: a test string such as a script
// tag belongs in the tests that inject it, never in published quotes.
func TestGenerateIncludesEscapingCases(t *testing.T) {
	t.Parallel()
	d := Generate(Config{})
	found := false
	for _, a := range d.Agreements {
		found = found || a.Authority == "Kingsmere & Thames"
	}
	if !found {
		t.Error(`no authority "Kingsmere & Thames"`)
	}
	cleared, held := 0, 0
	for _, c := range d.Codings {
		if strings.ContainsAny(c.Excerpt, "<>") {
			t.Errorf("excerpt %q holds markup", c.Excerpt)
		}
		if c.Excerpt != "" {
			if c.Cleared {
				cleared++
			} else {
				held++
			}
		}
	}
	if cleared == 0 || held == 0 {
		t.Errorf("%d excerpts cleared and %d held, want some of each", cleared, held)
	}
}

// TestExampleReadsAsReal: each excerpt is quoted once and carries the
// valence its words do; contacts fall on working days, with no weekday
// holding twice the contacts of another; examples larger than the pilot
// have open and withdrawn negotiations, the pilot's size none.
func TestExampleReadsAsReal(t *testing.T) {
	t.Parallel()
	for _, n := range []int{20, 300} {
		d := Generate(Config{Agreements: n, Seed: 7})
		seen := map[string]bool{}
		defs := map[string]codeDef{}
		for _, def := range codebook {
			defs[def.code] = def
		}
		for _, c := range d.Codings {
			if c.Excerpt == "" {
				continue
			}
			if seen[c.Excerpt] {
				t.Errorf("n=%d: excerpt %q quoted more than once", n, c.Excerpt)
			}
			seen[c.Excerpt] = true
			if want := defs[c.Code].valence[0].v; c.Valence != want {
				t.Errorf("n=%d: excerpt %q of %s coded %q, want %q", n, c.Excerpt, c.Code, c.Valence, want)
			}
		}
		var byDay [7]int
		for _, e := range d.Events {
			if isWeekend(e.Date) {
				t.Errorf("n=%d: %s event on %s, a day off", n, e.Type, e.Date.Format("Monday 2 January 2006"))
			}
			byDay[e.Date.Weekday()]++
		}
		lo, hi := byDay[time.Monday], byDay[time.Monday]
		for wd := time.Monday; wd <= time.Friday; wd++ {
			lo, hi = min(lo, byDay[wd]), max(hi, byDay[wd])
		}
		if float64(hi) > 1.5*float64(lo) {
			t.Errorf("n=%d: contacts by weekday %v: the busiest weekday has over 1.5 times the quietest", n, byDay[1:6])
		}
		open, withdrawn := 0, 0
		for _, a := range d.Agreements {
			switch a.Status() {
			case "in_negotiation":
				open++
			case "withdrawn":
				withdrawn++
			}
		}
		if big := n > DefaultAgreements; (open > 0) != big || (withdrawn > 0) != big {
			t.Errorf("n=%d: %d open and %d withdrawn negotiations", n, open, withdrawn)
		}
	}
}

func cmpBool(b bool) int {
	if b {
		return 1
	}
	return 0
}

// TestGenerateScalesInProportion checks the sizes at 1,000 agreements:
// about 50 events and 5 requests per agreement, 60 + 1000/5 = 260
// interviews of about 20 codes each.
func TestGenerateScalesInProportion(t *testing.T) {
	t.Parallel()
	d := Generate(Config{Agreements: 1000, Seed: 7})
	per := func(n int) float64 { return float64(n) / 1000 }
	if got := per(len(d.Events)); got < 40 || got > 60 {
		t.Errorf("%.1f events per agreement, want about 50", got)
	}
	if got := per(len(d.Freedoms)); got < 4 || got > 6 {
		t.Errorf("%.1f requests per agreement, want about 5", got)
	}
	interviews := map[string]bool{}
	for _, c := range d.Codings {
		interviews[c.InterviewID] = true
	}
	if len(interviews) != 260 {
		t.Errorf("%d interviews, want 260", len(interviews))
	}
	if got := float64(len(d.Codings)) / float64(len(interviews)); got < 17 || got > 23 {
		t.Errorf("%.1f codes per interview, want about 20", got)
	}
}

// TestGenerateIsValid checks every rule of the input format on the records of
// several sizes, independently of the ingest package.
func TestGenerateIsValid(t *testing.T) {
	t.Parallel()
	for _, cfg := range []Config{{Agreements: 1}, {Agreements: 2}, {}, {Seed: 99}, {Agreements: 137, Seed: -5}, {Agreements: 1000}} {
		t.Run(fmt.Sprintf("%d/%d", cfg.Agreements, cfg.Seed), func(t *testing.T) {
			t.Parallel()
			for _, p := range validate(Generate(cfg)) {
				t.Error(p)
			}
		})
	}
}

// validate returns every problem it finds with the rules of docs/input.md,
// warnings included.
func validate(d *ingest.Data) []string {
	var probs []string
	bad := func(format string, args ...any) { probs = append(probs, fmt.Sprintf(format, args...)) }
	enum := map[string]map[string]bool{}
	for _, s := range ingest.Schemas() {
		for _, c := range s.Columns {
			if c.Kind == ingest.Enum {
				enum[s.Name+"."+c.Name] = map[string]bool{}
				for _, v := range c.Values {
					enum[s.Name+"."+c.Name][v] = true
				}
			}
		}
	}
	checkText := func(where, s string, required bool) {
		if required && strings.TrimSpace(s) == "" {
			bad("%s: required value is blank", where)
		}
		if len([]rune(s)) > 32767 || s != strings.TrimSpace(s) {
			bad("%s: bad text %q", where, s)
		}
	}
	agreements := map[string]ingest.Agreement{}
	for _, a := range d.Agreements {
		w := "agreement " + a.ID
		checkText(w+" id", a.ID, true)
		checkText(w+" authority", a.Authority, true)
		if _, dup := agreements[a.ID]; dup {
			bad("%s: duplicate", w)
		}
		agreements[a.ID] = a
		if !enum["agreements.authority_type"][a.AuthorityType] {
			bad("%s: authority type %q", w, a.AuthorityType)
		}
		end, ended := a.End()
		if a.Started.IsZero() || (!a.Signed.IsZero() && !a.Withdrawn.IsZero()) || (ended && end.Before(a.Started)) {
			bad("%s: dates %v %v %v", w, a.Started, a.Signed, a.Withdrawn)
		}
		if a.Targets == nil || *a.Targets < 0 || a.PumpPrimingGBP == nil || *a.PumpPrimingGBP < 0 || a.RewardGrantGBP == nil || *a.RewardGrantGBP < 0 {
			bad("%s: bad number", w)
		}
	}
	requests := map[string]bool{}
	for _, f := range d.Freedoms {
		w := "request " + f.RequestID
		checkText(w+" id", f.RequestID, true)
		checkText(w+" department", f.Department, true)
		checkText(w+" request", f.Request, false)
		if requests[f.RequestID] {
			bad("%s: duplicate", w)
		}
		requests[f.RequestID] = true
		a, ok := agreements[f.AgreementID]
		if !ok {
			bad("%s: unknown agreement %q", w, f.AgreementID)
		}
		if !enum["freedoms.outcome"][f.Outcome] {
			bad("%s: outcome %q", w, f.Outcome)
		}
		if (f.Reason != "" || f.Outcome == "not_granted") && !enum["freedoms.reason"][f.Reason] {
			bad("%s: reason %q for %s", w, f.Reason, f.Outcome)
		}
		end := a.Signed
		if e, ok := a.End(); ok {
			end = e
		} else {
			end = day(2001, time.May, 31) // open at the end of fieldwork
		}
		if !f.Decided.IsZero() && (f.Decided.Before(a.Started) || f.Decided.After(end)) {
			bad("%s: decided %v outside its agreement", w, f.Decided)
		}
	}
	for i, e := range d.Events {
		w := fmt.Sprintf("event %d", i)
		if e.Date.IsZero() || !enum["events.type"][e.Type] {
			bad("%s: date %v type %q", w, e.Date, e.Type)
		}
		if e.Hours != nil && *e.Hours < 0 {
			bad("%s: hours %v", w, *e.Hours)
		}
		if i > 0 && e.Date.Before(d.Events[i-1].Date) {
			bad("%s: not in date order", w)
		}
		if e.AgreementID == "" {
			continue
		}
		a, ok := agreements[e.AgreementID]
		if !ok {
			bad("%s: unknown agreement %q", w, e.AgreementID)
		}
		end, ok := a.End()
		if !ok {
			end = day(2001, time.May, 31) // open at the end of fieldwork
		}
		if e.Date.Before(a.Started) || e.Date.After(end) {
			bad("%s: %s outside %s (a warning)", w, e.Date.Format(time.DateOnly), a.ID)
		}
		if wd := e.Date.Weekday(); wd == time.Saturday || wd == time.Sunday {
			bad("%s: on a %s", w, wd)
		}
	}
	codebook := map[string]bool{}
	for _, c := range d.Codebook {
		if codebook[c.Code] || c.Code == "" || c.Label == "" {
			bad("codebook %q: duplicate or blank", c.Code)
		}
		codebook[c.Code] = true
	}
	for _, c := range d.Codebook {
		if c.Parent != "" && !codebook[c.Parent] {
			bad("codebook %q: unknown parent %q", c.Code, c.Parent)
		}
	}
	type respondent struct {
		wave  int
		group string
	}
	interviews := map[string]respondent{}
	seen := map[[2]string]bool{}
	for _, c := range d.Codings {
		w := "interview " + c.InterviewID
		if c.Wave != 1 && c.Wave != 2 || !enum["codings.group"][c.Group] {
			bad("%s: wave %d group %q", w, c.Wave, c.Group)
		}
		if r, ok := interviews[c.InterviewID]; ok && r != (respondent{c.Wave, c.Group}) {
			bad("%s: two waves or groups", w)
		}
		interviews[c.InterviewID] = respondent{c.Wave, c.Group}
		if !codebook[c.Code] {
			bad("%s: code %q not in the codebook", w, c.Code)
		}
		if seen[[2]string{c.InterviewID, c.Code}] {
			bad("%s: code %q twice", w, c.Code)
		}
		seen[[2]string{c.InterviewID, c.Code}] = true
		if c.Valence != "" && !enum["codings.valence"][c.Valence] {
			bad("%s: valence %q", w, c.Valence)
		}
		checkText(w+" excerpt", c.Excerpt, false)
	}
	return probs
}

// TestGenerateIsDeterministic: the same Config gives the same records, and
// another seed other records.
func TestGenerateIsDeterministic(t *testing.T) {
	t.Parallel()
	a, b := Generate(Config{}), Generate(Config{Seed: DefaultSeed})
	if diff := cmp.Diff(a, b); diff != "" {
		t.Errorf("Generate(Config{}) differs from Generate with the default seed (-first +second):\n%s", diff)
	}
	if c := Generate(Config{Seed: 1}); cmp.Equal(a.Agreements, c.Agreements) {
		t.Error("seeds 1 and the default gave the same agreements")
	}
}

// TestWriteIsByteIdentical writes the same data twice in each format, with
// a fresh Generate each time, and compares every file byte for byte.
func TestWriteIsByteIdentical(t *testing.T) {
	t.Parallel()
	for _, format := range []Format{XLSX, CSV} {
		t.Run(string(format), func(t *testing.T) {
			t.Parallel()
			dirs := []string{t.TempDir(), t.TempDir()}
			for _, dir := range dirs {
				if err := Write(dir, Generate(Config{Agreements: 60}), format); err != nil {
					t.Fatalf("Write(%q) = %v", dir, err)
				}
			}
			a, b := readDir(t, dirs[0]), readDir(t, dirs[1])
			if diff := cmp.Diff(slices.Sorted(maps.Keys(a)), slices.Sorted(maps.Keys(b))); diff != "" {
				t.Fatalf("files differ (-first +second):\n%s", diff)
			}
			for name := range a {
				if !bytes.Equal(a[name], b[name]) {
					t.Errorf("%s differs between two writes", name)
				}
			}
		})
	}
}

func readDir(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = b
	}
	return out
}

// TestWriteWritesTheInputFiles checks the file names of each format.
func TestWriteWritesTheInputFiles(t *testing.T) {
	t.Parallel()
	tests := []struct {
		format Format
		want   []string
	}{
		{XLSX, []string{"agreements.xlsx", "codings.xlsx", "timings.xlsx"}},
		{CSV, []string{"agreements.csv", "codebook.csv", "codings.csv", "events.csv", "freedoms.csv"}},
	}
	for _, tt := range tests {
		dir := t.TempDir()
		if err := Write(dir, Generate(Config{}), tt.format); err != nil {
			t.Fatalf("Write(%s) = %v", tt.format, err)
		}
		if diff := cmp.Diff(tt.want, slices.Sorted(maps.Keys(readDir(t, dir)))); diff != "" {
			t.Errorf("Write(%s) files (-want +got):\n%s", tt.format, diff)
		}
	}
}

// TestWriteXLSXLayout opens the agreements workbook with excelize and checks
// the sheets, the header row, a date cell and the document properties.
func TestWriteXLSXLayout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := Generate(Config{})
	if err := Write(dir, d, XLSX); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "agreements.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if diff := cmp.Diff([]string{"Agreements", "Freedoms"}, f.GetSheetList()); diff != "" {
		t.Errorf("sheets (-want +got):\n%s", diff)
	}
	rows, err := f.Rows("Agreements")
	if err != nil {
		t.Fatal(err)
	}
	var got [][]string
	for rows.Next() && len(got) < 3 {
		row, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, row)
	}
	if err := rows.Close(); err != nil {
		t.Fatal(err)
	}
	wantHeader := []string{"agreement_id", "authority", "authority_type", "region", "tranche", "started", "signed", "withdrawn", "targets", "pump_priming_gbp", "reward_grant_gbp"}
	// Row 1 is the illustrative mark, a title above the header.
	if len(got[0]) != 1 || got[0][0] != ingest.IllustrativeTitle {
		t.Errorf("row 1 = %q, want the illustrative title", got[0])
	}
	got = got[1:]
	if diff := cmp.Diff(wantHeader, got[0]); diff != "" {
		t.Errorf("header (-want +got):\n%s", diff)
	}
	// The first agreement starts on 1 November 2000. Excel's serial for
	// 1 January 2000 is 36526; January to October 2000 (a leap year) have
	// 31+29+31+30+31+30+31+31+30+31 = 305 days, so 1 November is 36831.
	if !d.Agreements[0].Started.Equal(date0(2000, time.November, 1)) {
		t.Fatalf("first start %v, want 2000-11-01", d.Agreements[0].Started)
	}
	if got[1][5] != "36831" {
		t.Errorf("F3 (started) raw value %q, want 36831", got[1][5])
	}
	styleID, err := f.GetCellStyle("Agreements", "F3")
	if err != nil {
		t.Fatal(err)
	}
	style, err := f.GetStyle(styleID)
	if err != nil {
		t.Fatal(err)
	}
	if style.CustomNumFmt == nil || *style.CustomNumFmt != "yyyy-mm-dd" {
		t.Errorf("F3 number format %v, want yyyy-mm-dd", style.CustomNumFmt)
	}
	if v, err := f.GetCellValue("Agreements", "F3"); err != nil || v != "2000-11-01" {
		t.Errorf("F3 shows %q, %v; want 2000-11-01", v, err)
	}
	// Excelize writes the parts of stream writers in map order; Write sorts
	// them so that the bytes never depend on it.
	for _, book := range []string{"agreements.xlsx", "timings.xlsx", "codings.xlsx"} {
		zr, err := zip.OpenReader(filepath.Join(dir, book))
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, zf := range zr.File {
			names = append(names, zf.Name)
		}
		zr.Close()
		if !slices.IsSorted(names) {
			t.Errorf("%s parts %v, want them in name order", book, names)
		}
	}
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	// The latest date of the default example is its last signing (every
	// event and decision falls on or before a signing).
	var last time.Time
	for _, a := range d.Agreements {
		if a.Signed.After(last) {
			last = a.Signed
		}
	}
	if want := last.Format("2006-01-02") + "T00:00:00Z"; props.Created != want || props.Modified != want {
		t.Errorf("created %q modified %q, want both %q", props.Created, props.Modified, want)
	}
}

// TestWriteRoundTripsThroughIngest writes the example in each format and
// reads it back with ingest.Read: no problems, no warnings, the same records.
func TestWriteRoundTripsThroughIngest(t *testing.T) {
	t.Parallel()
	for _, format := range []Format{XLSX, CSV} {
		for _, n := range []int{0, 300} {
			t.Run(fmt.Sprintf("%s/%d", format, n), func(t *testing.T) {
				t.Parallel()
				dir := t.TempDir()
				want := Generate(Config{Agreements: n})
				if err := Write(dir, want, format); err != nil {
					t.Fatalf("Write = %v", err)
				}
				got, err := ingest.Read(t.Context(), dir, ingest.Options{Strict: true})
				if err != nil {
					t.Fatalf("Read(%q) = %v", dir, err)
				}
				if len(got.Warnings) > 0 {
					t.Errorf("Read(%q) warned: %v", dir, got.Warnings)
				}
				opts := cmp.Options{
					cmpopts.IgnoreTypes(ingest.Pos{}),
					cmpopts.IgnoreFields(ingest.Data{}, "Sources", "Rows", "Warnings", "Illustrative"),
				}
				if diff := cmp.Diff(want, got, opts); diff != "" {
					t.Errorf("Read(Write(Generate(%d))) (-want +got):\n%s", n, diff)
				}
				// Every file written carries the illustrative mark, and ingest
				// reports each.
				files, _ := filepath.Glob(filepath.Join(dir, "*."+string(format)))
				if len(files) == 0 || len(got.Illustrative) != len(files) {
					t.Errorf("Read reports %d of %d files as illustrative: %v", len(got.Illustrative), len(files), got.Illustrative)
				}
			})
		}
	}
}

// TestWriteRefusesTheOtherFormat: CSV files beside the workbooks would make
// the folder an error to read.
func TestWriteRefusesTheOtherFormat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	d := Generate(Config{Agreements: 3})
	if err := Write(dir, d, CSV); err != nil {
		t.Fatal(err)
	}
	err := Write(dir, d, XLSX)
	if err == nil || !strings.Contains(err.Error(), "agreements.csv") {
		t.Errorf("Write(xlsx) over CSV files = %v, want an error naming agreements.csv", err)
	}
	if err := Write(dir, d, CSV); err != nil {
		t.Errorf("Write(csv) again = %v, want nil", err)
	}
	if err := Write(dir, d, "ods"); err == nil {
		t.Error(`Write(..., "ods") = nil, want an error`)
	}
}

// TestWriteLeavesOutNilCodebook: the codebook is optional.
func TestWriteLeavesOutNilCodebook(t *testing.T) {
	t.Parallel()
	d := Generate(Config{Agreements: 2})
	d.Codebook = nil
	for _, format := range []Format{XLSX, CSV} {
		dir := t.TempDir()
		if err := Write(dir, d, format); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(dir, "codebook.csv")); err == nil {
			t.Errorf("%s: codebook.csv written for a nil codebook", format)
		}
		if format == XLSX {
			f, err := excelize.OpenFile(filepath.Join(dir, "codings.xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff([]string{"Codings"}, f.GetSheetList()); diff != "" {
				t.Errorf("codings.xlsx sheets (-want +got):\n%s", diff)
			}
			f.Close()
		}
	}
}

// BenchmarkGenerateWrite10000 generates and writes 10,000 agreements
// (about half a million events) in each format.
func BenchmarkGenerateWrite10000(b *testing.B) {
	for _, format := range []Format{XLSX, CSV} {
		b.Run(string(format), func(b *testing.B) {
			dir := b.TempDir()
			for b.Loop() {
				d := Generate(Config{Agreements: 10000})
				if err := Write(dir, d, format); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

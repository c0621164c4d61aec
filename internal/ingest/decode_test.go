package ingest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// sheet builds a table from lines of comma-separated cells, numbered from 1
// as a spreadsheet shows them (no quoting: test data has no commas).
func sheet(file, name string, lines ...string) *table {
	t := &table{File: file, Sheet: name, Serials: name != ""}
	for i, l := range lines {
		t.Rows = append(t.Rows, denseRow(i+1, strings.Split(l, ",")))
	}
	return t
}

func schema(t *testing.T, name string) Schema {
	t.Helper()
	for _, s := range Schemas() {
		if s.Name == name {
			return s
		}
	}
	t.Fatalf("no schema %q", name)
	return Schema{}
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// lines prints problems one a line, as a person sees them.
func lines(p []*CellError) []string {
	var out []string
	for _, e := range p {
		out = append(out, e.Error())
	}
	return out
}

// decodeTables runs the pure decoder over tables keyed by dataset.
func decodeTables(tables map[string]*table, strict bool) (*Data, []string, []string) {
	d := newDecoder()
	data := &Data{Sources: map[string]string{}, Rows: map[string]int{}}
	decodeAll(d, tables, data)
	data, err := finish(d, data, strict)
	var errs Problems
	errors.As(err, &errs)
	return data, lines(errs), lines(data.Warnings)
}

func TestDecodeAgreementsReportsEveryProblemAtOnce(t *testing.T) {
	t.Parallel()
	const f = "data/agreements.xlsx"
	tables := map[string]*table{
		"agreements": sheet(f, "Agreements",
			"Pilot agreements (illustrative),,,,", // title row, skipped
			"",                                    // blank
			"Agreement ID,Authority,Started,Signed,Withdrawn", // human headers
			"A1,Kent,2000-11-13,2001-03-01,",
			"A2,Essex,13/11/2000,01/11/2000,",          // signed before started
			"A1,Leeds,2000-11-13,,",                    // duplicate id
			"A3,York,31/02/2001,,",                     // no such day
			"A4,Hull,2000-12-01,2001-01-01,2001-02-01", // both set
			"A5,,03/15/2001,,",                         // missing authority, US date
		),
	}
	data, errs, warns := decodeTables(tables, false)
	want := []string{
		`data/agreements.xlsx: Agreements!D5 (signed): date is before started 2000-11-13 ("01/11/2000")`,
		`data/agreements.xlsx: Agreements!A6 (agreement_id): duplicate agreement_id: also in row 4 ("A1")`,
		`data/agreements.xlsx: Agreements!C7 (started): not a date: February 2001 has no day 31 ("31/02/2001")`,
		`data/agreements.xlsx: Agreements!E8 (withdrawn): both signed and withdrawn are set: an agreement is one or the other ("2001-02-01")`,
		`data/agreements.xlsx: Agreements!B9 (authority): value is required`,
		`data/agreements.xlsx: Agreements!C9 (started): not a date: day and month are the wrong way round; write the day first, as in 15/03/2001 ("03/15/2001")`,
	}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	if len(warns) != 0 {
		t.Errorf("warnings = %q, want none", warns)
	}
	wantA := []Agreement{{ID: "A1", Authority: "Kent", Started: date(2000, 11, 13), Signed: date(2001, 3, 1),
		Pos: Pos{File: f, Sheet: "Agreements", Row: 4}}}
	if diff := cmp.Diff(wantA, data.Agreements); diff != "" {
		t.Errorf("agreements (-want +got):\n%s", diff)
	}
	if got := data.Rows["agreements"]; got != 6 {
		t.Errorf("Rows[agreements] = %d, want 6", got)
	}
}

func TestDecodeReportsMissingRequiredColumn(t *testing.T) {
	t.Parallel()
	tables := map[string]*table{
		"agreements": sheet("data/agreements.csv", "",
			"agreement_id,authority,region",
			"A1,Kent,South East",
		),
	}
	_, errs, _ := decodeTables(tables, false)
	want := []string{`data/agreements.csv:1 (started): required column is missing from the header row`}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestDecodeCrossDatasetRules(t *testing.T) {
	t.Parallel()
	tables := map[string]*table{
		"agreements": sheet("data/agreements.csv", "",
			"agreement_id,authority,started,signed",
			"A1,Kent,2000-11-13,2001-03-01",
		),
		"freedoms": sheet("data/freedoms.csv", "",
			"request_id,agreement_id,department,outcome,reason",
			"R1,A1,DfES,Partly granted,",
			"R2,A9,DH,not granted,", // unknown agreement; reason missing
			"R1,A1,DH,Granted,",     // duplicate request
			"R3,A1,DH,maybe,",       // bad outcome
		),
		"events": sheet("data/events.csv", "",
			"agreement_id,date,type,hours",
			"A1,2000-11-01,meeting,1",    // before start: warning
			",15 January 2001,Workshop,", // programme-wide
			"A1,2001-03-02,signing,-2",   // after end: warning; negative hours
		),
		"codings": sheet("data/codings.csv", "",
			"interview_id,wave,group,code,cleared",
			"I1,1,Local authority,targets,yes",
			"I1,2,local_authority,freedoms,",
			"I1,1,LGA,burden,maybe",
		),
		"codebook": sheet("data/codebook.csv", "",
			"code,label,parent",
			"targets,Targets,",
			"freedoms,Freedoms,flexibility",
		),
	}
	_, errs, warns := decodeTables(tables, false)
	wantErrs := []string{
		`data/codebook.csv:3 (parent): parent is not a code of the codebook ("flexibility")`,
		`data/codings.csv:3 (wave): interview I1 is wave 1 in row 2: one interview has one wave ("2")`,
		`data/codings.csv:4 (group): interview I1 is group local_authority in row 2: one interview has one group ("LGA")`,
		`data/codings.csv:4 (code): code is not in the codebook ("burden")`,
		`data/codings.csv:4 (cleared): not yes or no ("maybe")`,
		`data/events.csv:4 (hours): number must not be negative ("-2")`,
		`data/freedoms.csv:3 (agreement_id): no agreement has this agreement_id ("A9")`,
		`data/freedoms.csv:3 (reason): reason is required when the outcome is not_granted`,
		`data/freedoms.csv:4 (request_id): duplicate request_id: also in row 2 ("R1")`,
		`data/freedoms.csv:5 (outcome): not one of granted, partly_granted, not_granted, deferred ("maybe")`,
	}
	if diff := cmp.Diff(wantErrs, errs); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	wantWarns := []string{
		`data/events.csv:2 (date): event is before agreement A1 started on 2000-11-13 ("2000-11-01")`,
		`data/events.csv:4 (date): event is after agreement A1 was signed on 2001-03-01 ("2001-03-02")`,
	}
	if diff := cmp.Diff(wantWarns, warns); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
}

func TestDecodeStrictMakesWarningsErrors(t *testing.T) {
	t.Parallel()
	tables := map[string]*table{
		"agreements": sheet("data/agreements.csv", "",
			"agreement_id,authority,started,colour",
			"A1,Kent,2000-11-13,blue",
		),
	}
	for _, strict := range []bool{false, true} {
		_, errs, warns := decodeTables(tables, strict)
		want := []string{`data/agreements.csv:1: unknown column is ignored ("colour")`}
		got := warns
		if strict {
			got = errs
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("strict=%v (-want +got):\n%s", strict, diff)
		}
	}
}

func TestDecodeCanonicalValues(t *testing.T) {
	t.Parallel()
	tables := map[string]*table{
		"agreements": sheet("data/agreements.xlsx", "Agreements",
			"AGREEMENT-ID,Authority,Authority  Type,started,targets,Pump priming (GBP),reward_grant_gbp",
			// 36843 is 2000-11-13 in the 1900 system: 36843 days after 1899-12-30
			// (serials from 61 on count the phantom 29 February 1900).
			"A1,Kent,London Borough,36843,12,\"£1,250,000\",1000.5",
		),
	}
	// The quoted cell above is split on its comma by sheet(), so fix it up.
	tables["agreements"].Rows[1] = denseRow(2, []string{"A1", "Kent", "London Borough", "36843", "12", "£1,250,000", "1000.5"})
	data, errs, warns := decodeTables(tables, false)
	if len(errs) != 0 {
		t.Fatalf("problems: %q", errs)
	}
	// "Pump priming (GBP)" normalises to pump_priming_(gbp), not a column.
	if diff := cmp.Diff([]string{`data/agreements.xlsx: Agreements!F1: unknown column is ignored ("Pump priming (GBP)")`}, warns); diff != "" {
		t.Errorf("warnings (-want +got):\n%s", diff)
	}
	targets, reward := 12, 1000.5
	want := []Agreement{{ID: "A1", Authority: "Kent", AuthorityType: "london_borough", Started: date(2000, 11, 13),
		Targets: &targets, RewardGrantGBP: &reward, Pos: Pos{File: "data/agreements.xlsx", Sheet: "Agreements", Row: 2}}}
	if diff := cmp.Diff(want, data.Agreements); diff != "" {
		t.Errorf("agreements (-want +got):\n%s", diff)
	}
}

func TestDecodeBrokenCodebookDoesNotFloodCodings(t *testing.T) {
	t.Parallel()
	tables := map[string]*table{
		"codings": sheet("data/codings.csv", "",
			"interview_id,wave,group,code",
			"I1,1,lga,targets",
		),
		"codebook": sheet("data/codebook.csv", "",
			"code,title", // no label column
			"targets,Targets",
		),
	}
	_, errs, _ := decodeTables(tables, false)
	want := []string{`data/codebook.csv:1 (label): required column is missing from the header row`}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestDecodeHeaderBelowTitleRowsAndBeyondTwenty(t *testing.T) {
	t.Parallel()
	var lines []string
	for range 20 {
		lines = append(lines, "a title row")
	}
	lines = append(lines, "code,label", "x,X") // header in row 21: too far down
	_, errs, _ := decodeTables(map[string]*table{"codebook": sheet("cb.csv", "", lines...)}, false)
	want := []string{
		`cb.csv:1 (code): required column is missing from the header row`,
		`cb.csv:1 (label): required column is missing from the header row`,
	}
	if diff := cmp.Diff(want, errs); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	data, errs, _ := decodeTables(map[string]*table{"codebook": sheet("cb.csv", "", append(lines[1:], "y,Y")...)}, false)
	if len(errs) != 0 || len(data.Codebook) != 2 || data.Codebook[0].Pos.Row != 21 {
		t.Errorf("header in row 20: problems %q, codebook %+v, want two codes from row 21", errs, data.Codebook)
	}
}

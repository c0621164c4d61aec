package ingest

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

func TestWriteTemplateReadsBackEmpty(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := WriteTemplate(dir); err != nil {
		t.Fatalf("WriteTemplate(%q) = %v", dir, err)
	}
	data, err := Read(t.Context(), dir, Options{Strict: true})
	if err != nil {
		t.Fatalf("Read(template) = %v, want no error", err)
	}
	want := map[string]int{"agreements": 0, "freedoms": 0, "events": 0, "codings": 0, "codebook": 0}
	if diff := cmp.Diff(want, data.Rows); diff != "" {
		t.Errorf("Rows (-want +got):\n%s", diff)
	}
}

func TestWriteTemplateHasValidationPanesAndInstructions(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := WriteTemplate(dir); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenFile(filepath.Join(dir, "agreements.xlsx"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"Agreements", "Freedoms", "Instructions"}; !slices.Equal(got, want) {
		t.Errorf("sheets = %q, want %q", got, want)
	}
	dvs, err := f.GetDataValidations("Freedoms")
	if err != nil {
		t.Fatal(err)
	}
	// Freedoms: outcome (E) and reason (F) are enums, decided (G) is a date.
	got := map[string]string{}
	for _, dv := range dvs {
		got[dv.Sqref] = dv.Type
	}
	want := map[string]string{"E2:E10001": "list", "F2:F10001": "list", "G2:G10001": "date"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("validations (-want +got):\n%s", diff)
	}
	panes, err := f.GetPanes("Agreements")
	if err != nil {
		t.Fatal(err)
	}
	if !panes.Freeze || panes.YSplit != 1 {
		t.Errorf("panes = %+v, want header row frozen", panes)
	}
	// Every column of both datasets is explained on the Instructions sheet.
	rows, err := f.GetRows("Instructions")
	if err != nil {
		t.Fatal(err)
	}
	explained := map[string]bool{}
	for _, r := range rows {
		if len(r) > 5 && r[1] != "" && r[5] != "" {
			explained[r[0]+"."+r[1]] = true
		}
	}
	for _, s := range Schemas()[:2] {
		for _, c := range s.Columns {
			if !explained[s.Sheet+"."+c.Name] {
				t.Errorf("Instructions does not explain %s.%s", s.Sheet, c.Name)
			}
		}
	}
}

func TestWriteTemplateFilledRoundTrips(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	if err := WriteTemplate(dir); err != nil {
		t.Fatal(err)
	}
	fill := func(name string, sheets map[string][][]any) {
		t.Helper()
		p := filepath.Join(dir, name)
		f, err := excelize.OpenFile(p)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		for sheet, rows := range sheets {
			for i, r := range rows {
				cell, _ := excelize.CoordinatesToCellName(1, i+2)
				if err := f.SetSheetRow(sheet, cell, &r); err != nil {
					t.Fatal(err)
				}
			}
		}
		if err := f.Save(); err != nil {
			t.Fatal(err)
		}
	}
	d := func(y int, m time.Month, day int) time.Time { return date(y, m, day) }
	fill("agreements.xlsx", map[string][][]any{
		"Agreements": {{"A1", "Kent", "county", "South East", "1", d(2000, 11, 13), d(2001, 3, 1), nil, 12, 250000.0, 1.5e6}},
		"Freedoms":   {{"R1", "A1", "DfES", "Pool budgets", "not_granted", "funding", d(2001, 2, 1)}},
	})
	fill("timings.xlsx", map[string][][]any{
		"Events": {{"A1", d(2000, 12, 5), "meeting", "DfES", 2.5, "first meeting"}},
	})
	fill("codings.xlsx", map[string][][]any{
		"Codings":  {{"I1", 1, "local_authority", "Kent CC", "targets", "mixed", "We were stretched.", "yes"}},
		"Codebook": {{"targets", "Targets", "", "Views on stretch targets."}},
	})
	data, err := Read(t.Context(), dir, Options{Strict: true})
	if err != nil {
		t.Fatalf("Read(filled template) = %v", err)
	}
	targets, pump, reward, hours := 12, 250000.0, 1.5e6, 2.5
	ab, tb, cb := filepath.Join(dir, "agreements.xlsx"), filepath.Join(dir, "timings.xlsx"), filepath.Join(dir, "codings.xlsx")
	want := &Data{
		Agreements: []Agreement{{ID: "A1", Authority: "Kent", AuthorityType: "county", Region: "South East", Tranche: "1",
			Started: d(2000, 11, 13), Signed: d(2001, 3, 1), Targets: &targets, PumpPrimingGBP: &pump, RewardGrantGBP: &reward,
			Pos: Pos{File: ab, Sheet: "Agreements", Row: 2}}},
		Freedoms: []Freedom{{RequestID: "R1", AgreementID: "A1", Department: "DfES", Request: "Pool budgets",
			Outcome: "not_granted", Reason: "funding", Decided: d(2001, 2, 1), Pos: Pos{File: ab, Sheet: "Freedoms", Row: 2}}},
		Events: []Event{{AgreementID: "A1", Date: d(2000, 12, 5), Type: "meeting", Department: "DfES", Hours: &hours,
			Note: "first meeting", Pos: Pos{File: tb, Sheet: "Events", Row: 2}}},
		Codings: []Coding{{InterviewID: "I1", Wave: 1, Group: "local_authority", Organisation: "Kent CC", Code: "targets",
			Valence: "mixed", Excerpt: "We were stretched.", Cleared: true, Pos: Pos{File: cb, Sheet: "Codings", Row: 2}}},
		Codebook: []Code{{Code: "targets", Label: "Targets", Description: "Views on stretch targets.",
			Pos: Pos{File: cb, Sheet: "Codebook", Row: 2}}},
		Sources: map[string]string{"agreements": ab, "freedoms": ab, "events": tb, "codings": cb, "codebook": cb},
		Rows:    map[string]int{"agreements": 1, "freedoms": 1, "events": 1, "codings": 1, "codebook": 1},
	}
	if diff := cmp.Diff(want, data); diff != "" {
		t.Errorf("Read(filled template) (-want +got):\n%s", diff)
	}
}

package ingest

import (
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// TestReadWorkbooksFromOtherPrograms reads workbooks written by openpyxl and
// by LibreOffice (see testdata/README.md), with title rows, human headers,
// mixed-case values, UK dates and a 1904 date system, and wants the same
// records as the canonical CSV files.
func TestReadWorkbooksFromOtherPrograms(t *testing.T) {
	t.Parallel()
	want, err := Read(t.Context(), filepath.Join("testdata", "canonical"), Options{Strict: true})
	if err != nil {
		t.Fatalf("Read(canonical) = %v", err)
	}
	if len(want.Agreements) != 4 || len(want.Freedoms) != 4 || len(want.Events) != 5 || len(want.Codings) != 5 || len(want.Codebook) != 3 {
		t.Fatalf("canonical data read %d/%d/%d/%d/%d records, want 4/4/5/5/3",
			len(want.Agreements), len(want.Freedoms), len(want.Events), len(want.Codings), len(want.Codebook))
	}
	for _, maker := range []string{"openpyxl", "libreoffice"} {
		t.Run(maker, func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join("testdata", maker)
			got, err := Read(t.Context(), dir, Options{Strict: true})
			if err != nil {
				t.Fatalf("Read(%q) = %v, want no problems", dir, err)
			}
			ignore := cmpopts.IgnoreFields(Data{}, "Sources")
			ignorePos := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Pos" }, cmp.Ignore())
			if diff := cmp.Diff(want, got, ignore, ignorePos); diff != "" {
				t.Errorf("Read(%q) differs from the canonical CSV (-want +got):\n%s", dir, diff)
			}
		})
	}
}

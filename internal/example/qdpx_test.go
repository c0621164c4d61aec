package example

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/evalsite/evalsite/internal/ingest"
)

// TestWriteQDPXReadsBack writes the example with its codings as a REFI-QDA
// project and reads it back: the same records, the project's codes taking
// the keys of the codebook written beside it.
func TestWriteQDPXReadsBack(t *testing.T) {
	t.Parallel()
	d := Generate(Config{Agreements: 20})
	dir := t.TempDir()
	if err := WriteQDPX(dir, d, CSV); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"codings.csv", "codings.xlsx"} {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			t.Errorf("%s written beside the project", name)
		}
	}
	got, err := ingest.Read(t.Context(), dir, ingest.Options{Strict: true})
	if err != nil {
		t.Fatalf("Read = %v", err)
	}
	want := d
	opts := []cmp.Option{
		cmpopts.IgnoreFields(ingest.Data{}, "Sources", "Rows", "Warnings", "Illustrative"),
		cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Pos" }, cmp.Ignore()),
		cmpopts.EquateEmpty(),
	}
	if diff := cmp.Diff(want, got, opts...); diff != "" {
		t.Errorf("read back (-want +got):\n%s", diff)
	}
	// The files beside the project carry the illustrative mark.
	if len(got.Illustrative) == 0 {
		t.Error("no file of the example is marked illustrative")
	}

	// The same data gives the same bytes.
	again := t.TempDir()
	if err := WriteQDPX(again, d, CSV); err != nil {
		t.Fatal(err)
	}
	a, _ := os.ReadFile(filepath.Join(dir, QDPXName))
	b, _ := os.ReadFile(filepath.Join(again, QDPXName))
	if !bytes.Equal(a, b) {
		t.Errorf("two writes of the same data differ")
	}
}

func TestWriteQDPXRefusesSecondForm(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "codings.csv"), []byte("x\n"), 0o644)
	if err := WriteQDPX(dir, Generate(Config{Agreements: 3}), XLSX); err == nil {
		t.Errorf("WriteQDPX wrote beside codings.csv")
	}
}

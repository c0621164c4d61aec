package site_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/evalsite/evalsite/internal/example"
)

// TestBuildFromQDPXMatchesWorkbook builds the example once with its codings
// in a workbook and once with them in a REFI-QDA project, and wants the
// same site, byte for byte.
func TestBuildFromQDPXMatchesWorkbook(t *testing.T) {
	d := example.Generate(example.Config{})
	roots := map[string]func(dir string) error{
		"workbook": func(dir string) error { return example.Write(dir, d, example.XLSX) },
		"qdpx":     func(dir string) error { return example.WriteQDPX(dir, d, example.XLSX) },
	}
	sites := map[string]map[string]string{}
	for name, write := range roots {
		root := t.TempDir()
		copyTree(t, filepath.Join(repoRoot, "content"), filepath.Join(root, "content"))
		b, err := os.ReadFile(filepath.Join(repoRoot, "hugo.toml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(root, "hugo.toml"), b, 0o644); err != nil {
			t.Fatal(err)
		}
		if err := write(filepath.Join(root, "data")); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(t.TempDir(), "public")
		if _, err := build(t, root, out); err != nil {
			t.Fatalf("build from the %s: %v", name, err)
		}
		sites[name] = tree(t, out)
	}
	if _, ok := sites["qdpx"]["data/codebook.qdc"]; !ok {
		t.Errorf("the site has no data/codebook.qdc")
	}
	if diff := cmp.Diff(sites["workbook"], sites["qdpx"]); diff != "" {
		t.Errorf("sites differ (-workbook +qdpx):\n%s", diff)
	}
}

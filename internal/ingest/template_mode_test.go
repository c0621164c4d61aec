package ingest

import (
	"os"
	"path/filepath"
	"testing"
)

// TestWriteTemplateMode: the blank workbooks are documents, readable by all
// and executable by none.
func TestWriteTemplateMode(t *testing.T) {
	dir := t.TempDir()
	if err := WriteTemplate(dir); err != nil {
		t.Fatal(err)
	}
	names, err := filepath.Glob(filepath.Join(dir, "*.xlsx"))
	if err != nil || len(names) == 0 {
		t.Fatalf("no workbooks written (%v)", err)
	}
	for _, n := range names {
		fi, err := os.Stat(n)
		if err != nil {
			t.Fatal(err)
		}
		if got := fi.Mode().Perm(); got&0o111 != 0 || got&0o444 != 0o444 {
			t.Errorf("%s has mode %v, want rw-r--r-- (as the umask allows)", filepath.Base(n), fi.Mode().Perm())
		}
	}
}

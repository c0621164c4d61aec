package ingest

import (
	"flag"
	"os"
	"strings"
	"testing"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the generated column tables of docs/input.md")

const (
	docPath    = "../../docs/input.md"
	beginTable = "<!-- begin columns: generated from internal/ingest/schema.go by `go test ./internal/ingest -run InputDoc -update-docs` -->\n"
	endTable   = "<!-- end columns -->\n"
)

// The column tables of docs/input.md are the schema's: a column added,
// renamed or described anew in schema.go fails this test until the
// documentation is regenerated.
func TestInputDocColumnsAreCurrent(t *testing.T) {
	b, err := os.ReadFile(docPath)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	before, rest, ok := strings.Cut(doc, beginTable)
	if !ok {
		t.Fatalf("%s lacks the line %q", docPath, beginTable)
	}
	_, after, ok := strings.Cut(rest, endTable)
	if !ok {
		t.Fatalf("%s lacks the line %q", docPath, endTable)
	}
	want := before + beginTable + "\n" + ColumnTables() + "\n" + endTable + after
	if doc == want {
		return
	}
	if *updateDocs {
		if err := os.WriteFile(docPath, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the column tables differ from the schema; run go test ./internal/ingest -run InputDoc -update-docs", docPath)
}

package publish

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/evalsite/evalsite/internal/ingest"
)

// qdcCodes is a codebook with nesting three deep, a parent listed after its
// child, text that XML must escape, and a loop of parents.
func qdcCodes() []ingest.Code {
	return []ingest.Code{
		{Code: "trust", Label: "Trust", Parent: "relationships", Description: "Confidence <that> the other side & its word."},
		{Code: "relationships", Label: "Central-local relationships"},
		{Code: "lga_role", Label: "Role of the LGA", Parent: "trust"},
		{Code: "burden", Label: "Targets as a burden"},
		{Code: "a", Label: "Loop A", Parent: "b"},
		{Code: "b", Label: "Loop B", Parent: "a"},
	}
}

// The names the REFI-QDA codebook schema (Codebook.xsd, urn:QDA-XML:codebook:1.0)
// gives its elements and their attributes, copied by hand from it.
var qdcSchema = map[string][]string{
	"CodeBook":    {"origin"},
	"Codes":       nil,
	"Code":        {"guid", "name", "isCodable", "color"},
	"Description": nil,
}

var guidPattern = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestWriteQDCStructure parses codebook.qdc back and checks it against the
// structure of the REFI-QDA codebook schema: root, namespace, element and
// attribute names, required attributes, GUID form, and nesting.
func TestWriteQDCStructure(t *testing.T) {
	t.Parallel()
	d := testData()
	d.Codebook = qdcCodes()
	dir, files := write(t, d, Options{})
	found := false
	for _, f := range files {
		found = found || f.Name == QDCName && f.Format == "XML"
	}
	if !found {
		t.Fatalf("files = %v, want %s", files, QDCName)
	}
	b, err := os.ReadFile(filepath.Join(dir, QDCName))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(IllustrativeNotice)) {
		t.Errorf("codebook.qdc does not carry the illustrative notice")
	}

	// Every element and attribute is one the schema names, in its namespace.
	dec := xml.NewDecoder(bytes.NewReader(b))
	var path []string
	guids := map[string]bool{}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("codebook.qdc is not XML: %v", err)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if tok.Name.Space != qdcNamespace {
				t.Errorf("element %s in namespace %q, want %q", tok.Name.Local, tok.Name.Space, qdcNamespace)
			}
			allowed, ok := qdcSchema[tok.Name.Local]
			if !ok {
				t.Errorf("element %s is not in the schema", tok.Name.Local)
			}
			if len(path) == 0 && tok.Name.Local != "CodeBook" {
				t.Errorf("root is %s, want CodeBook", tok.Name.Local)
			}
			attrs := map[string]string{}
			for _, a := range tok.Attr {
				if a.Name.Space == "" && a.Name.Local == "xmlns" {
					continue
				}
				if !strings.Contains(strings.Join(allowed, " ")+" ", a.Name.Local+" ") {
					t.Errorf("%s has attribute %s, not in the schema", tok.Name.Local, a.Name.Local)
				}
				attrs[a.Name.Local] = a.Value
			}
			if tok.Name.Local == "Code" {
				if attrs["name"] == "" || attrs["isCodable"] != "true" || !guidPattern.MatchString(attrs["guid"]) {
					t.Errorf("Code %v lacks a name, isCodable or a GUID", attrs)
				}
				if guids[attrs["guid"]] {
					t.Errorf("GUID %s appears twice", attrs["guid"])
				}
				guids[attrs["guid"]] = true
			}
			path = append(path, tok.Name.Local)
		case xml.EndElement:
			path = path[:len(path)-1]
		}
	}
	if len(guids) != len(d.Codebook) {
		t.Errorf("%d codes written, want %d", len(guids), len(d.Codebook))
	}

	// The nesting follows the parents; the loop is placed at the top.
	var book qdcCodeBook
	if err := xml.Unmarshal(b, &book); err != nil {
		t.Fatal(err)
	}
	var outline []string
	var walk func(cs []qdcCode, depth int)
	walk = func(cs []qdcCode, depth int) {
		for _, c := range cs {
			outline = append(outline, strings.Repeat("  ", depth)+c.Name+": "+c.Description)
			walk(c.Codes, depth+1)
		}
	}
	walk(book.Codes, 0)
	want := []string{
		"Central-local relationships: ",
		"  Trust: Confidence <that> the other side & its word.",
		"    Role of the LGA: ",
		"Targets as a burden: ",
		"Loop A: ",
		"  Loop B: ",
	}
	if diff := cmp.Diff(want, outline); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
	if book.Codes[0].GUID != codeGUID("relationships") || codeGUID("relationships") == codeGUID("trust") {
		t.Errorf("GUIDs are not derived from the code keys")
	}
}

// TestWriteQDCReadsBack reads the published codebook.qdc back as a data
// folder's codebook: the same codes, keyed by their labels.
func TestWriteQDCReadsBack(t *testing.T) {
	t.Parallel()
	d := testData()
	d.Codebook = qdcCodes()[:4]
	dir, _ := write(t, d, Options{})
	data := t.TempDir()
	for _, n := range []string{"agreements.csv", "freedoms.csv", "events.csv"} {
		b, err := os.ReadFile(filepath.Join(dir, n))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(data, n), b, 0o644)
	}
	os.WriteFile(filepath.Join(data, "codings.csv"), []byte("interview_id,wave,group,code\nI1,1,lga,trust\n"), 0o644)
	b, _ := os.ReadFile(filepath.Join(dir, QDCName))
	os.WriteFile(filepath.Join(data, "codebook.qdc"), b, 0o644)
	got, err := ingest.Read(t.Context(), data, ingest.Options{})
	if err != nil {
		t.Fatalf("Read = %v", err)
	}
	var codes []string
	for _, c := range got.Codebook {
		codes = append(codes, c.Code+" < "+c.Parent+": "+c.Label)
	}
	want := []string{
		"central_local_relationships < : Central-local relationships",
		"trust < central_local_relationships: Trust",
		"role_of_the_lga < trust: Role of the LGA",
		"targets_as_a_burden < : Targets as a burden",
	}
	if diff := cmp.Diff(want, codes); diff != "" {
		t.Errorf("codebook read back (-want +got):\n%s", diff)
	}
}

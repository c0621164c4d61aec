package ingest_test

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
)

// handProject is a REFI-QDA project written by hand, as an analysis program
// would export it: a nested codebook with a valence code and a cleared code,
// variables on sources and on a case, one text inline and one in a file,
// and non-ASCII text (accents, guillemets, an emoji outside the Basic
// Multilingual Plane) before the selections, so that counting bytes or
// UTF-16 units would cut the excerpts in the wrong places.
const handProject = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Hand" origin="by hand">
 <CodeBook><Codes>
  <Code guid="c0000000-0000-4000-8000-000000000001" name="Targets" isCodable="true"><Description>Views on stretch targets</Description></Code>
  <Code guid="c0000000-0000-4000-8000-000000000002" name="Freedoms" isCodable="true">
   <Description>Views on freedoms</Description>
   <Code guid="c0000000-0000-4000-8000-000000000003" name="Central-local relationships" isCodable="true"/>
  </Code>
  <Code guid="{C0000000-0000-4000-8000-000000000004}" name="Capacity" isCodable="true"><Description>Workload and staffing</Description></Code>
  <Code guid="c0000000-0000-4000-8000-000000000010" name="Valence" isCodable="false">
   <Code guid="c0000000-0000-4000-8000-000000000011" name="Positive" isCodable="true"/>
   <Code guid="c0000000-0000-4000-8000-000000000012" name="Negative" isCodable="true"/>
   <Code guid="c0000000-0000-4000-8000-000000000013" name="Mixed" isCodable="true"/>
  </Code>
  <Code guid="c0000000-0000-4000-8000-000000000020" name="Cleared" isCodable="true"/>
 </Codes></CodeBook>
 <Variables>
  <Variable guid="a0000000-0000-4000-8000-000000000001" name="Wave" typeOfVariable="Integer"/>
  <Variable guid="a0000000-0000-4000-8000-000000000002" name="Group" typeOfVariable="Text"/>
  <Variable guid="a0000000-0000-4000-8000-000000000003" name="Organisation" typeOfVariable="Text"/>
  <Variable guid="a0000000-0000-4000-8000-000000000004" name="Cleared" typeOfVariable="Boolean"/>
  <Variable guid="a0000000-0000-4000-8000-000000000005" name="Valence" typeOfVariable="Text"/>
 </Variables>
 <Cases>
  <Case guid="b0000000-0000-4000-8000-000000000001" name="Policy centre">
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000001"/><IntegerValue>1</IntegerValue></VariableValue>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000002"/><TextValue>Policy centre</TextValue></VariableValue>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000004"/><BooleanValue>true</BooleanValue></VariableValue>
   <SourceRef targetGUID="d0000000-0000-4000-8000-000000000003"/>
  </Case>
 </Cases>
 <Sources>
  <TextSource guid="d0000000-0000-4000-8000-000000000001" name="INT-01">
   <PlainTextContent>Zoë – «Ça va?» 😀
Targets were a stretch, but useful.
We got very little.</PlainTextContent>
   <PlainTextSelection guid="e0000000-0000-4000-8000-000000000001" startPosition="17" endPosition="52">
    <Coding guid="f0000000-0000-4000-8000-000000000001"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000001"/></Coding>
    <Coding guid="f0000000-0000-4000-8000-000000000002"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000013"/></Coding>
    <Coding guid="f0000000-0000-4000-8000-000000000003"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000020"/></Coding>
   </PlainTextSelection>
   <PlainTextSelection guid="e0000000-0000-4000-8000-000000000002" startPosition="53" endPosition="72">
    <Coding guid="f0000000-0000-4000-8000-000000000004"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000002"/></Coding>
    <Coding guid="f0000000-0000-4000-8000-000000000005"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000012"/></Coding>
   </PlainTextSelection>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000001"/><IntegerValue>1</IntegerValue></VariableValue>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000002"/><TextValue>Local authority</TextValue></VariableValue>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000003"/><TextValue>Kent County Council</TextValue></VariableValue>
  </TextSource>
  <TextSource guid="d0000000-0000-4000-8000-000000000002" name="INT-02" plainTextPath="internal://d0000000-0000-4000-8000-000000000002.txt">
   <Coding guid="f0000000-0000-4000-8000-000000000006"><CodeRef targetGUID="C0000000-0000-4000-8000-000000000001"/></Coding>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000001"/><IntegerValue>2</IntegerValue></VariableValue>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000002"/><TextValue>department</TextValue></VariableValue>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000003"/><TextValue>DfES</TextValue></VariableValue>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000005"/><TextValue>Neutral</TextValue></VariableValue>
  </TextSource>
  <TextSource guid="d0000000-0000-4000-8000-000000000003" name="INT-03" plainTextPath="internal://d0000000-0000-4000-8000-000000000003.txt">
   <PlainTextSelection guid="e0000000-0000-4000-8000-000000000003" startPosition="21" endPosition="60">
    <Coding guid="f0000000-0000-4000-8000-000000000007"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000004"/></Coding>
    <Coding guid="f0000000-0000-4000-8000-000000000008"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000012"/></Coding>
   </PlainTextSelection>
  </TextSource>
  <TextSource guid="d0000000-0000-4000-8000-000000000004" name="INT-04 Zoë" plainTextPath="internal://d0000000-0000-4000-8000-000000000004.txt">
   <PlainTextSelection guid="e0000000-0000-4000-8000-000000000004" startPosition="18" endPosition="18">
    <Coding guid="f0000000-0000-4000-8000-000000000009"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000003"/></Coding>
    <Coding guid="f0000000-0000-4000-8000-00000000000a"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000011"/></Coding>
   </PlainTextSelection>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000001"/><IntegerValue>2</IntegerValue></VariableValue>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000002"/><TextValue>Government office</TextValue></VariableValue>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000003"/><TextValue>GO East</TextValue></VariableValue>
  </TextSource>
  <TextSource guid="d0000000-0000-4000-8000-000000000005" name="Memo, not coded"><PlainTextContent>Nothing coded here.</PlainTextContent></TextSource>
 </Sources>
</Project>`

// handSources are the text files of handProject.
var handSources = map[string]string{
	"sources/d0000000-0000-4000-8000-000000000002.txt": "Nothing quotable.",
	"Sources/d0000000-0000-4000-8000-000000000003.txt": "Größe: naïve café 🚀. We could not run more than six at once.",
	"sources/d0000000-0000-4000-8000-000000000004.txt": "Ärger über Lücken.",
}

// The same codings and codebook as handProject, as CSV files.
const (
	handCodingsCSV = `interview_id,wave,group,organisation,code,valence,excerpt,cleared
INT-01,1,local_authority,Kent County Council,targets,mixed,"Targets were a stretch, but useful.",yes
INT-01,1,local_authority,Kent County Council,freedoms,negative,We got very little.,no
INT-02,2,department,DfES,targets,neutral,,no
INT-03,1,policy_centre,,capacity,negative,We could not run more than six at once.,yes
INT-04 Zoë,2,government_office,GO East,central_local_relationships,positive,,
`
	handCodebookCSV = `code,label,parent,description
targets,Targets,,Views on stretch targets
freedoms,Freedoms,,Views on freedoms
central_local_relationships,Central-local relationships,freedoms,
capacity,Capacity,,Workload and staffing
`
)

// writeZip writes a zip of the named files, in name order.
func writeZip(t testing.TB, path string, files map[string]string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		w, err := zw.Create(n)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[n])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// qdpxFolder returns a data folder with the canonical agreements, freedoms
// and events, and the given extra files (name -> contents; a map value is a
// zip of those files).
func qdpxFolder(t *testing.T, files map[string]any) string {
	t.Helper()
	dir := t.TempDir()
	for _, n := range []string{"agreements.csv", "freedoms.csv", "events.csv"} {
		b, err := os.ReadFile(filepath.Join("testdata", "canonical", n))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, n), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for n, v := range files {
		switch v := v.(type) {
		case string:
			if err := os.WriteFile(filepath.Join(dir, n), []byte(v), 0o644); err != nil {
				t.Fatal(err)
			}
		case map[string]string:
			writeZip(t, filepath.Join(dir, n), v)
		}
	}
	return dir
}

func handFiles(project string) map[string]string {
	files := map[string]string{"project.qde": project}
	for n, s := range handSources {
		files[n] = s
	}
	return files
}

func TestQDPXReadsLikeCSV(t *testing.T) {
	t.Parallel()
	csvDir := qdpxFolder(t, map[string]any{"codings.csv": handCodingsCSV, "codebook.csv": handCodebookCSV})
	qdpxDir := qdpxFolder(t, map[string]any{"codings.qdpx": handFiles(handProject)})
	want, err := ingest.Read(t.Context(), csvDir, ingest.Options{Strict: true})
	if err != nil {
		t.Fatalf("Read(CSV) = %v", err)
	}
	got, err := ingest.Read(t.Context(), qdpxDir, ingest.Options{Strict: true})
	if err != nil {
		t.Fatalf("Read(qdpx) = %v, want no problems", err)
	}
	if len(got.Codings) != 5 || len(got.Codebook) != 4 {
		t.Fatalf("Read(qdpx) gave %d codings and %d codes, want 5 and 4", len(got.Codings), len(got.Codebook))
	}
	ignore := cmpopts.IgnoreFields(ingest.Data{}, "Sources")
	ignorePos := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Pos" }, cmp.Ignore())
	if diff := cmp.Diff(want, got, ignore, ignorePos); diff != "" {
		t.Errorf("Read(qdpx) differs from the CSV (-csv +qdpx):\n%s", diff)
	}
	if src := got.Sources["codings"]; src != filepath.Join(qdpxDir, "codings.qdpx") || got.Sources["codebook"] != src {
		t.Errorf("Sources = %v, want the codings and codebook from codings.qdpx", got.Sources)
	}
	metricsJSON := func(d *ingest.Data) string {
		b, err := json.MarshalIndent(metrics.Compute(d, metrics.Config{}), "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	if diff := cmp.Diff(metricsJSON(want), metricsJSON(got)); diff != "" {
		t.Errorf("metrics.json differs (-csv +qdpx):\n%s", diff)
	}
}

// TestQDPXVariablesRenamed reads a project whose wave variable is called
// "Welle", as a mapping in hugo.toml would name it.
func TestQDPXVariablesRenamed(t *testing.T) {
	t.Parallel()
	project := strings.Replace(handProject, `name="Wave"`, `name="Welle"`, 1)
	dir := qdpxFolder(t, map[string]any{"codings.qdpx": handFiles(project)})
	if _, err := ingest.Read(t.Context(), dir, ingest.Options{}); err == nil || !strings.Contains(err.Error(), `source "INT-01" (wave): no variable wave on the source or on a case that refers to it: add one`) {
		t.Fatalf("Read without the mapping = %v, want the wave missing", err)
	}
	got, err := ingest.Read(t.Context(), dir, ingest.Options{Strict: true, QDPX: ingest.QDPXNames{Wave: "welle"}})
	if err != nil {
		t.Fatalf("Read with the mapping = %v", err)
	}
	if got.Codings[0].Wave != 1 || got.Codings[2].Wave != 2 {
		t.Errorf("waves = %d, %d, want 1, 2", got.Codings[0].Wave, got.Codings[2].Wave)
	}
}

// TestQDCStandsInForCodebook reads codings from CSV and the codebook from
// a REFI-QDA codebook file.
func TestQDCStandsInForCodebook(t *testing.T) {
	t.Parallel()
	qdc := `<?xml version="1.0" encoding="utf-8"?>
<CodeBook xmlns="urn:QDA-XML:codebook:1.0" origin="by hand"><Codes>
 <Code guid="c0000000-0000-4000-8000-000000000001" name="Targets" isCodable="true"><Description>Views on stretch targets</Description></Code>
 <Code guid="c0000000-0000-4000-8000-000000000002" name="Freedoms" isCodable="true"><Description>Views on freedoms</Description>
  <Code guid="c0000000-0000-4000-8000-000000000003" name="Central-local relationships" isCodable="true"/>
 </Code>
 <Code guid="c0000000-0000-4000-8000-000000000004" name="Capacity" isCodable="true"><Description>Workload and staffing</Description></Code>
</Codes></CodeBook>`
	want, err := ingest.Read(t.Context(), qdpxFolder(t, map[string]any{"codings.csv": handCodingsCSV, "codebook.csv": handCodebookCSV}), ingest.Options{Strict: true})
	if err != nil {
		t.Fatal(err)
	}
	got, err := ingest.Read(t.Context(), qdpxFolder(t, map[string]any{"codings.csv": handCodingsCSV, "codebook.qdc": qdc}), ingest.Options{Strict: true})
	if err != nil {
		t.Fatalf("Read = %v", err)
	}
	ignorePos := cmp.FilterPath(func(p cmp.Path) bool { return p.Last().String() == ".Pos" }, cmp.Ignore())
	if diff := cmp.Diff(want.Codebook, got.Codebook, ignorePos); diff != "" {
		t.Errorf("codebook differs (-csv +qdc):\n%s", diff)
	}
}

// TestQDPXProblemsLocated reads a project with one of each mistake and
// wants each reported once, on the source, selection or code, all at once.
func TestQDPXProblemsLocated(t *testing.T) {
	t.Parallel()
	project := handProject
	swap := func(old, new string) {
		t.Helper()
		if !strings.Contains(project, old) {
			t.Fatalf("project has no %q", old)
		}
		project = strings.Replace(project, old, new, 1)
	}
	// A selection past the end of INT-03's 60 characters.
	swap(`startPosition="21" endPosition="60"`, `startPosition="21" endPosition="61"`)
	// A coding of a code that is not in the codebook.
	swap(`<CodeRef targetGUID="c0000000-0000-4000-8000-000000000013"/>`, `<CodeRef targetGUID="c0000000-0000-4000-8000-0000000000ff"/>`)
	// Two waves for INT-03: 1 on its case, 2 on the source itself.
	swap(`<TextSource guid="d0000000-0000-4000-8000-000000000003" name="INT-03" plainTextPath="internal://d0000000-0000-4000-8000-000000000003.txt">`,
		`<TextSource guid="d0000000-0000-4000-8000-000000000003" name="INT-03" plainTextPath="internal://d0000000-0000-4000-8000-000000000003.txt">
   <PlainTextSelection guid="e0000000-0000-4000-8000-000000000009" startPosition="0" endPosition="5"><Coding guid="f0000000-0000-4000-8000-000000000019"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000001"/></Coding></PlainTextSelection>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000001"/><IntegerValue>2</IntegerValue></VariableValue>`)
	// No wave or group for INT-04.
	swap(`<VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000001"/><IntegerValue>2</IntegerValue></VariableValue>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000002"/><TextValue>Government office</TextValue></VariableValue>`, ``)
	// Two codes with one key.
	swap(`name="Capacity"`, `name="Central–local  relationships!"`)
	// A group that is not one of the groups.
	swap(`<TextValue>department</TextValue>`, `<TextValue>ministry</TextValue>`)

	dir := qdpxFolder(t, map[string]any{"codings.qdpx": handFiles(project)})
	_, err := ingest.Read(t.Context(), dir, ingest.Options{})
	var p ingest.Problems
	if !errors.As(err, &p) {
		t.Fatalf("Read = %v, want Problems", err)
	}
	f := filepath.Join(dir, "codings.qdpx")
	want := []string{
		f + `: code "Central–local  relationships!" (code): codes "Central-local relationships" and "Central–local  relationships!" both have the key central_local_relationships: rename one ("central_local_relationships")`,
		f + `: source "INT-01", selection 17-52 (code): coding refers to no code of the codebook ("c0000000-0000-4000-8000-0000000000ff")`,
		f + `: source "INT-02" (group): not one of local_authority, department, policy_centre, lga, government_office, partner, other ("ministry")`,
		f + `: source "INT-03" (wave): "2" on the source and "1" on case "Policy centre": one interview has one wave`,
		f + `: source "INT-03", selection 21-61 (excerpt): selection ends past the end of the text (60 characters)`,
		f + `: source "INT-04 Zoë" (group): no variable group on the source or on a case that refers to it: add one`,
		f + `: source "INT-04 Zoë" (wave): no variable wave on the source or on a case that refers to it: add one`,
	}
	var got []string
	for _, e := range p {
		got = append(got, e.Error())
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestQDPXBesideCodingsCSVIsAConflict(t *testing.T) {
	t.Parallel()
	dir := qdpxFolder(t, map[string]any{"codings.qdpx": handFiles(handProject), "codings.csv": handCodingsCSV})
	_, err := ingest.Read(t.Context(), dir, ingest.Options{})
	want := filepath.Join(dir, "codings.qdpx") + ": codings are also in " + filepath.Join(dir, "codings.csv") + ": keep one of the two"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("Read = %v, want %q", err, want)
	}
}

// TestQDPXTakesKeysFromCodebookBeside reads a project with a codebook CSV
// beside it: the codebook is the CSV, and the project's codes take its keys
// by code or by label; a code that matches none is reported on its
// selection.
func TestQDPXTakesKeysFromCodebookBeside(t *testing.T) {
	t.Parallel()
	codebook := `code,label,parent,description
targets,Targets,,Views on stretch targets
freedoms,Freedoms,,Views on freedoms
clr,Central-local relationships,freedoms,
`
	dir := qdpxFolder(t, map[string]any{"codings.qdpx": handFiles(handProject), "codebook.csv": codebook})
	got, err := ingest.Read(t.Context(), dir, ingest.Options{})
	var p ingest.Problems
	if !errors.As(err, &p) {
		t.Fatalf("Read = %v, want Problems", err)
	}
	want := []string{filepath.Join(dir, "codings.qdpx") + `: source "INT-03", selection 21-60 (code): code is not in the codebook ("capacity")`}
	var lines []string
	for _, e := range p {
		lines = append(lines, e.Error())
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
	var codes []string
	for _, c := range got.Codings {
		codes = append(codes, c.Code)
	}
	if diff := cmp.Diff([]string{"targets", "freedoms", "targets", "clr"}, codes); diff != "" {
		t.Errorf("codes (-want +got):\n%s", diff)
	}
	if got.Sources["codebook"] != filepath.Join(dir, "codebook.csv") || len(got.Codebook) != 3 {
		t.Errorf("codebook from %s with %d codes, want codebook.csv with 3", got.Sources["codebook"], len(got.Codebook))
	}
}

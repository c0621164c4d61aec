package ingest

import (
	"archive/zip"
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// smallProject is a REFI-QDA project of one interview whose text is in
// sources/t.txt, for the hostile files to spoil.
const smallProject = `<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="urn:QDA-XML:project:1.0" name="Small">
 <CodeBook><Codes><Code guid="c0000000-0000-4000-8000-000000000001" name="Targets" isCodable="true"/></Codes></CodeBook>
 <Variables>
  <Variable guid="a0000000-0000-4000-8000-000000000001" name="wave" typeOfVariable="Integer"/>
  <Variable guid="a0000000-0000-4000-8000-000000000002" name="group" typeOfVariable="Text"/>
 </Variables>
 <Sources>
  <TextSource guid="d0000000-0000-4000-8000-000000000001" name="I1" %s>
   <PlainTextSelection guid="e0000000-0000-4000-8000-000000000001" startPosition="0" endPosition="%s">
    <Coding guid="f0000000-0000-4000-8000-000000000001"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000001"/></Coding>
   </PlainTextSelection>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000001"/><IntegerValue>1</IntegerValue></VariableValue>
   <VariableValue><VariableRef targetGUID="a0000000-0000-4000-8000-000000000002"/><TextValue>lga</TextValue></VariableValue>
  </TextSource>
 </Sources>
</Project>`

// project returns smallProject with the text attribute or element and the
// end of its selection filled in.
func project(textAttr, end string) []byte {
	return []byte(strings.Replace(strings.Replace(smallProject, "%s", textAttr, 1), "%s", end, 1))
}

// qdpxBytes zips the named parts, deflated.
func qdpxBytes(t testing.TB, parts map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, name := range []string{"project.qde", "sources/t.txt"} {
		if b, ok := parts[name]; ok {
			w, err := zw.Create(name)
			if err != nil {
				t.Fatal(err)
			}
			w.Write(b)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// randomText returns n bytes of letters and spaces that deflate compresses
// less than 2 to 1, so that only a size limit can stop them.
func randomText(n int) []byte {
	r := rand.New(rand.NewPCG(1, 2))
	b := make([]byte, n)
	for i := range b {
		b[i] = "abcdefghijklmnopqrstuvwxyz      "[r.IntN(32)]
	}
	return b
}

// Not parallel: the memory measure must see this test's allocations only.
func TestReadRefusesHostileProjects(t *testing.T) {
	fileText := `plainTextPath="internal://t.txt"`

	bomb := qdpxBytes(t, map[string][]byte{
		"project.qde":   project(fileText, "5"),
		"sources/t.txt": bytes.Repeat([]byte("a"), 8<<20),
	})
	// project.qde may be as large as the whole file, so only the ratio
	// check stops 64 MiB of blanks between its elements.
	qdeBomb := qdpxBytes(t, map[string][]byte{
		"project.qde":   bytes.Replace(project(fileText, "5"), []byte("<Sources>"), append(bytes.Repeat([]byte(" "), 64<<20), "<Sources>"...), 1),
		"sources/t.txt": []byte("Hello"),
	})

	var dtd strings.Builder
	dtd.WriteString(`<?xml version="1.0"?><!DOCTYPE Project [<!ENTITY lol0 "lol">`)
	for i := 1; i <= 9; i++ {
		dtd.WriteString(`<!ENTITY lol` + string(rune('0'+i)) + ` "` + strings.Repeat(`&lol`+string(rune('0'+i-1))+`;`, 10) + `">`)
	}
	dtd.WriteString(`]>`)
	entities := qdpxBytes(t, map[string][]byte{
		"project.qde":   append([]byte(dtd.String()), bytes.Replace(project(`name2="&lol9;" `+fileText, "5"), []byte(`<?xml version="1.0" encoding="utf-8"?>`), nil, 1)...),
		"sources/t.txt": []byte("Hello"),
	})

	huge := randomText(DefaultMaxPartBytes + 1)
	hugeFile := qdpxBytes(t, map[string][]byte{"project.qde": project(fileText, "5"), "sources/t.txt": huge})
	inline := bytes.Replace(project("", "5"), []byte("<PlainTextSelection"), append(append([]byte("<PlainTextContent>"), huge...), "</PlainTextContent><PlainTextSelection"...), 1)
	hugeInline := qdpxBytes(t, map[string][]byte{"project.qde": inline})
	huge, inline = nil, nil

	tests := []struct {
		name string
		file []byte
		want string
	}{
		{"zip bomb", bomb, `project refused: part sources/t.txt is compressed more than 200 to 1, the limit for a project`},
		{"zip bomb in the project", qdeBomb, `project refused: part project.qde is compressed more than 200 to 1, the limit for a project`},
		{"entity declaration", entities, `project refused: part project.qde declares a document type (DTD)`},
		{"huge text file", hugeFile, `project refused: part sources/t.txt would decompress to 16777217 bytes, more than the limit of 16777216`},
		{"huge inline text", hugeInline, `source "I1": text is larger than 16777216 bytes, the limit`},
		{"position past the end", qdpxBytes(t, map[string][]byte{"project.qde": project(fileText, "6"), "sources/t.txt": []byte("Hellö")}),
			`source "I1", selection 0-6 (excerpt): selection ends past the end of the text (5 characters)`},
		{"position beyond any text", qdpxBytes(t, map[string][]byte{"project.qde": project(fileText, "99999999999999999999"), "sources/t.txt": []byte("Hello")}),
			`source "I1", selection 0-99999999999999999999 (excerpt): startPosition and endPosition must be whole numbers`},
	}
	// More codings than rows allowed, with the row limit lowered to 2 (the
	// other files of the folder have two rows): the one selection coded
	// three times.
	coding := `<Coding guid="f0000000-0000-4000-8000-000000000002"><CodeRef targetGUID="c0000000-0000-4000-8000-000000000001"/></Coding>`
	thrice := bytes.Replace(project(fileText, "5"), []byte("</PlainTextSelection>"), []byte(coding+coding+"</PlainTextSelection>"), 1)
	tooMany := qdpxBytes(t, map[string][]byte{"project.qde": thrice, "sources/t.txt": []byte("Hello")})

	tests = append(tests, struct {
		name string
		file []byte
		want string
	}{"too many codings", tooMany, "more than 2 codings, the limit"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := minimalFolder(t)
			os.Remove(filepath.Join(dir, "codings.csv"))
			writeFile(t, filepath.Join(dir, "codings.qdpx"), string(tt.file))
			opt := Options{}
			if tt.name == "too many codings" {
				opt.Limits.MaxRows = 2
			}
			got, _, alloc := readBounded(t, dir, opt)
			want := filepath.Join(dir, "codings.qdpx") + ": " + tt.want
			if len(got) != 1 || !strings.HasPrefix(got[0], want) {
				t.Errorf("Read = %q, want one problem starting %q", got, want)
			}
			if alloc > hostileBytes {
				t.Errorf("Read allocated %d bytes, want under %d", alloc, hostileBytes)
			}
		})
	}
}

// FuzzSpans places a selection in any UTF-8 text (sourceText refuses
// other text first): it never panics, and a selection it accepts is the
// text between those code points.
func FuzzSpans(f *testing.F) {
	f.Add("Zoë – «Ça va?» 😀 Targets", "17", "24")
	f.Add("", "0", "0")
	f.Add("abc", "3", "3")
	f.Add("\xff\xfe", "0", "1")
	f.Fuzz(func(t *testing.T, text, start, end string) {
		if !utf8.ValidString(text) {
			return
		}
		got := spans(text, []qdeSelection{{Start: start, End: end}})[0]
		if got.err != nil {
			return
		}
		runes := []rune(text)
		s, _ := strconv.Atoi(strings.TrimSpace(start))
		e, _ := strconv.Atoi(strings.TrimSpace(end))
		if want := string(runes[s:e]); text[got.from:got.to] != want {
			t.Errorf("spans(%q, %s, %s) = %q, want %q", text, start, end, text[got.from:got.to], want)
		}
	})
}

// Not parallel: the memory measure must see this test's allocations only.
func TestReadRefusesHostileCodebooks(t *testing.T) {
	var dtd strings.Builder
	dtd.WriteString(`<?xml version="1.0"?><!DOCTYPE CodeBook [<!ENTITY lol0 "lol">`)
	for i := 1; i <= 9; i++ {
		dtd.WriteString(`<!ENTITY lol` + string(rune('0'+i)) + ` "` + strings.Repeat(`&lol`+string(rune('0'+i-1))+`;`, 10) + `">`)
	}
	dtd.WriteString(`]><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="c0000000-0000-4000-8000-000000000001" name="&lol9;" isCodable="true"/></Codes></CodeBook>`)
	huge := `<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes><Code guid="c0000000-0000-4000-8000-000000000001" name="targets" isCodable="true"><Description>` +
		string(randomText(DefaultMaxPartBytes)) + `</Description></Code></Codes></CodeBook>`
	tests := []struct{ name, file, want string }{
		{"entity declaration", dtd.String(), "codebook declares a document type (DTD)"},
		{"huge codebook", huge, "codebook is larger than 16777216 bytes, the limit"},
		{"not a codebook", `<Project xmlns="urn:QDA-XML:project:1.0" name="x"/>`, "file is not a REFI-QDA codebook"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := minimalFolder(t)
			writeFile(t, filepath.Join(dir, "codebook.qdc"), tt.file)
			got, _, alloc := readBounded(t, dir, Options{})
			want := filepath.Join(dir, "codebook.qdc") + ": " + tt.want
			if len(got) != 1 || !strings.HasPrefix(got[0], want) {
				t.Errorf("Read = %q, want one problem starting %q", got, want)
			}
			if alloc > hostileBytes {
				t.Errorf("Read allocated %d bytes, want under %d", alloc, hostileBytes)
			}
		})
	}
}

package site

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/afero"
)

func TestRewriteLinks(t *testing.T) {
	page := `<a href="../agreements/">A</a> <a href="./">Home</a> <a href="../../">Up</a>
<a href="../methods/#as-of">M</a> <a href="https://example.org/">Out</a> <a href="#top">T</a>
<link rel="stylesheet" href="../evalsite.min.css"> <a href="../data/agreements.csv">D</a>`
	want := `<a href="../agreements/index.html">A</a> <a href="./index.html">Home</a> <a href="../../index.html">Up</a>
<a href="../methods/index.html#as-of">M</a> <a href="https://example.org/">Out</a> <a href="#top">T</a>
<link rel="stylesheet" href="../evalsite.min.css"> <a href="../data/agreements.csv">D</a>`
	if got := string(rewriteLinks([]byte(page), "")); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestRewriteLinksUnderABasePath: with a baseURL of
// https://example.org/evaluation/, Hugo writes "../../evaluation/x/" on
// agreements/a/index.html; published under /evaluation/, that must be
// "../../x/index.html".
func TestRewriteLinksUnderABasePath(t *testing.T) {
	page := `<link href="../../evaluation/site.css"> <source srcset="../../evaluation/a.svg"> <a href="../../evaluation/methods/">M</a> <a href="./evaluation/">H</a> <a href="https://example.org/evaluation/x/">Abs</a> <a href="../../evaluations/">Other</a>`
	want := `<link href="../../site.css"> <source srcset="../../a.svg"> <a href="../../methods/index.html">M</a> <a href="./index.html">H</a> <a href="https://example.org/evaluation/x/">Abs</a> <a href="../../evaluations/index.html">Other</a>`
	if got := string(rewriteLinks([]byte(page), basePath("https://example.org/evaluation"))); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// rewriteLinksRE is the rule of rewriteLinks written as two regular
// expressions: slower, and plain to read, as the oracle the scan is tested
// against.
func rewriteLinksRE(b []byte, basePath string) []byte {
	if basePath != "" {
		re := regexp.MustCompile(`(\s(?:href|src|srcset)=")((?:\./|(?:\.\./)+))` + regexp.QuoteMeta(basePath))
		b = re.ReplaceAll(b, []byte(`${1}${2}`))
	}
	re := regexp.MustCompile(`(\s(?:href|src)=")((?:\.\.?/)(?:[^"#?:]*/)?)(#[^"]*)?"`)
	return re.ReplaceAll(b, []byte(`${1}${2}index.html${3}"`))
}

// TestRewriteLinksMatchesTheRule compares the scan with the regular
// expressions on many pages made of the pieces links are made of.
func TestRewriteLinksMatchesTheRule(t *testing.T) {
	pieces := []string{" ", "\n", "\t", "x", `href="`, `src="`, `srcset="`, `"`, "./", "../", ".../", "/", "#", "?", ":",
		"evaluation/", "evaluations/", "a", "a.csv", "=", "<a", ">", "href=", " href", "index.html"}
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 50_000 {
		var b strings.Builder
		for range r.IntN(24) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		page := b.String()
		base := ""
		if i%2 == 1 {
			base = "evaluation/"
		}
		if got, want := string(rewriteLinks([]byte(page), base)), string(rewriteLinksRE([]byte(page), base)); got != want {
			t.Fatalf("rewriteLinks(%q, %q)\n = %q\nwant %q", page, base, got, want)
		}
	}
}

// TestPagesWrittenWithTheirLinksRewritten writes pages through the file
// system Hugo publishes into, as Hugo does, and finds their links
// rewritten on disk; other files are written as they are.
func TestPagesWrittenWithTheirLinksRewritten(t *testing.T) {
	dir := t.TempDir()
	pages := 0
	fs := linkingFs{Fs: afero.NewOsFs(), page: func() { pages++ }}
	f, err := fs.Create(filepath.Join(dir, "index.html"))
	if err != nil {
		t.Fatal(err)
	}
	f.WriteString(`<a href="./agreements/">`)
	f.Write([]byte(`A</a>`))
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := afero.WriteFile(fs, filepath.Join(dir, "data.json"), []byte(`{"x": " href="./a/""}`), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"index.html": `<a href="./agreements/index.html">A</a>`,
		"data.json":  `{"x": " href="./a/""}`,
	} {
		got, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("%s = %s, want %s", name, got, want)
		}
	}
	if pages != 1 {
		t.Errorf("%d pages counted, want 1", pages)
	}
}

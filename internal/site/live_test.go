package site

import (
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/evalsite/evalsite"
	"github.com/evalsite/evalsite/internal/example"
	"github.com/spf13/afero"
	"github.com/xuri/excelize/v2"
)

// liveSite makes a site folder with the repository's content and
// configuration and the example of n agreements as workbooks.
func liveSite(t *testing.T, n int) (root string, opt Options) {
	t.Helper()
	root = t.TempDir()
	if err := os.CopyFS(filepath.Join(root, "content"), os.DirFS(filepath.Join("..", "..", "content"))); err != nil {
		t.Fatal(err)
	}
	cfg, err := os.ReadFile(filepath.Join("..", "..", "hugo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "hugo.toml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := example.Write(filepath.Join(root, "data"), example.Generate(example.Config{Agreements: n}), example.XLSX); err != nil {
		t.Fatal(err)
	}
	return root, Options{Root: root, OutDir: filepath.Join(t.TempDir(), "site"), Theme: evalsite.Theme()}
}

// stamp returns a file's modification time, to tell whether it was written.
func stamp(t *testing.T, p string) time.Time {
	t.Helper()
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	return info.ModTime()
}

func readOut(t *testing.T, p string) string {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// setAgreementsCell saves the workbook book with one cell of its Agreements
// sheet changed; row 1 is the example's illustrative mark, row 2 the
// header, so B3 is the first agreement's authority.
func setAgreementsCell(t *testing.T, book, cell, value string) {
	t.Helper()
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := f.SetCellStr("Agreements", cell, value); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
}

// TestLiveRebuildsOnlyWhatAnEditTouches edits a chapter, then a workbook,
// of a live site, and checks that each edit shows while pages and charts it
// does not touch are not written again.
func TestLiveRebuildsOnlyWhatAnEditTouches(t *testing.T) {
	root, opt := liveSite(t, 20)
	l, _, err := newLive(t.Context(), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	out := opt.OutDir
	chapterPage := filepath.Join(out, "report", "timing", "index.html")
	otherChapter := filepath.Join(out, "report", "lessons", "index.html")
	agreements := filepath.Join(out, "agreements", "index.html")
	charts, err := filepath.Glob(filepath.Join(out, "charts", "agreement-*.svg"))
	if err != nil || len(charts) < 2 {
		t.Fatalf("agreement charts: %v %v", charts, err)
	}
	// The workbook edit renames the first agreement's authority: the last
	// agreement's chart has the same input before and after.
	lastChart := charts[len(charts)-1]
	before := map[string]time.Time{otherChapter: stamp(t, otherChapter), lastChart: stamp(t, lastChart)}
	agreementPages, err := filepath.Glob(filepath.Join(out, "agreements", "*", "index.html"))
	if err != nil || len(agreementPages) != 20 {
		t.Fatalf("agreement pages: %d %v", len(agreementPages), err)
	}
	pageTimes := map[string]time.Time{}
	for _, p := range agreementPages {
		pageTimes[p] = stamp(t, p)
	}
	time.Sleep(20 * time.Millisecond) // a rewrite must show in the times

	chapter := filepath.Join(root, "content", "report", "timing.md")
	b, err := os.ReadFile(chapter)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), "\n\n", "\n\nA sentence added live.\n\n", 1)
	if err := os.WriteFile(chapter, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := l.update(t.Context(), []string{chapter}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(readOut(t, chapterPage), "A sentence added live.") {
		t.Error("the chapter edit does not show")
	}
	for p, at := range before {
		if !stamp(t, p).Equal(at) {
			t.Errorf("%s was written again after a chapter edit", p)
		}
	}

	book := filepath.Join(root, "data", "agreements.xlsx")
	setAgreementsCell(t, book, "B3", "Renamed live")
	if _, err := l.update(t.Context(), []string{book}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(readOut(t, agreements), "Renamed live") {
		t.Error("the workbook edit does not show")
	}
	if !stamp(t, lastChart).Equal(before[lastChart]) {
		t.Errorf("%s was drawn again though its input did not change", lastChart)
	}
	// Only the renamed agreement's own page is rendered again, with its
	// new name: the others read nothing that changed.
	var rewritten []string
	for p, at := range pageTimes {
		if !stamp(t, p).Equal(at) {
			rewritten = append(rewritten, p)
		}
	}
	if len(rewritten) != 1 || !strings.Contains(readOut(t, rewritten[0]), "Renamed live") {
		t.Errorf("agreement pages written again after renaming one agreement: %v, want only the renamed one's", rewritten)
	}

	// A broken chapter fails; mending it brings the edit back.
	if err := os.WriteFile(chapter, []byte(edited+"\n{{< metric \"no.such.metric\" >}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := l.update(t.Context(), []string{chapter}); err == nil || !strings.Contains(err.Error(), "no.such.metric") {
		t.Errorf("update with an unknown metric = %v, want it named", err)
	}
	mended := strings.Replace(edited, "A sentence added live.", "A sentence mended live.", 1)
	if err := os.WriteFile(chapter, []byte(mended), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := l.update(t.Context(), []string{chapter}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(readOut(t, chapterPage), "A sentence mended live.") {
		t.Error("the mended chapter does not show")
	}

	// A broken workbook stays an error through an edit of a chapter alone,
	// and mending it builds again.
	good, err := os.ReadFile(book)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(book, []byte("not a workbook"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := l.update(t.Context(), []string{book}); err == nil {
		t.Fatal("update with a broken workbook succeeded")
	}
	if err := os.WriteFile(chapter, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := l.update(t.Context(), []string{chapter}); err == nil || !strings.Contains(err.Error(), "agreements.xlsx") {
		t.Errorf("update of a chapter while the workbook is broken = %v, want the workbook's error", err)
	}
	if err := os.WriteFile(book, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := l.update(t.Context(), []string{book}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(readOut(t, chapterPage), "A sentence added live.") {
		t.Error("the chapter edited while the workbook was broken does not show")
	}
}

// TestStaticFilesCopied checks that the files of static/ reach the site
// byte for byte, in a build and in the live site.
func TestStaticFilesCopied(t *testing.T) {
	root, opt := liveSite(t, 5)
	files := map[string]string{"robots.txt": "User-agent: *\n", "img/logo.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"}
	for name, text := range files {
		p := filepath.Join(root, "static", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Build(t.Context(), opt); err != nil {
		t.Fatal(err)
	}
	l, _, err := newLive(t.Context(), Options{Root: root, OutDir: filepath.Join(t.TempDir(), "live"), Theme: opt.Theme})
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	for _, out := range []string{opt.OutDir, l.opt.OutDir} {
		for name, text := range files {
			if got := readOut(t, filepath.Join(out, filepath.FromSlash(name))); got != text {
				t.Errorf("%s in %s = %q, want %q", name, out, got, text)
			}
		}
	}
}

func TestGeneratedPageDir(t *testing.T) {
	for name, want := range map[string]string{
		"content/agreements/lpsa-01.md":   "agreements/lpsa-01",
		"content/departments/dfes.md":     "departments/dfes",
		"content/themes/trust.md":         "themes/trust",
		"content/agreements/_index.md":    "agreements",
		"content/departments/_index.md":   "departments",
		"content/methods/_index.md":       "methods",
		"content/report/_index.md":        "",
		"content/report/timing.md":        "",
		"content/methods/x.md":            "",
		"assets/evalsite/agreements.json": "",
		"content/agreements/a/b.md":       "",
	} {
		got, ok := generatedPageDir(name)
		if got != want || ok != (want != "") {
			t.Errorf("generatedPageDir(%q) = %q, %v; want %q", name, got, ok, want)
		}
	}
}

// TestLiveKeepsTheUsersIntroductionToAGeneratedSection: an _index.md the
// user writes, under serve, where evalsite wrote one for a generated
// section is the user's from then on: shown, and neither overwritten nor
// taken out by the next data edit.
func TestLiveKeepsTheUsersIntroductionToAGeneratedSection(t *testing.T) {
	root, opt := liveSite(t, 5)
	l, _, err := newLive(t.Context(), opt)
	if err != nil {
		t.Fatal(err)
	}
	defer l.close()
	page := filepath.Join(opt.OutDir, "methods", "index.html")
	intro := filepath.Join(root, "content", "methods", "_index.md")
	if err := os.MkdirAll(filepath.Dir(intro), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(intro, []byte("---\ntitle: How we measured\n---\nOur own introduction.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := l.update(t.Context(), []string{intro}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(readOut(t, page), "Our own introduction.") {
		t.Fatal("the introduction does not show")
	}
	book := filepath.Join(root, "data", "agreements.xlsx")
	setAgreementsCell(t, book, "B3", "Renamed live")
	if _, err := l.update(t.Context(), []string{book}); err != nil {
		t.Fatal(err)
	}
	if got := readOut(t, page); !strings.Contains(got, "Our own introduction.") || !strings.Contains(got, "How we measured") {
		t.Error("after a data edit the user's introduction is gone from the methods page")
	}
	// What Hugo reads next time is the user's file, not one written over it.
	if b, err := afero.ReadFile(l.src.fs, path.Join(srcRoot, "content/methods/_index.md")); err != nil || !strings.Contains(string(b), "Our own introduction.") {
		t.Errorf("the tree's content/methods/_index.md after a data edit = %q, %v; want the user's", b, err)
	}
}

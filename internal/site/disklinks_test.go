package site

import (
	"os"
	"path/filepath"
	"testing"
)

func TestLinkIndexFiles(t *testing.T) {
	dir := t.TempDir()
	page := `<a href="../agreements/">A</a> <a href="./">Home</a> <a href="../../">Up</a>
<a href="../methods/#as-of">M</a> <a href="https://example.org/">Out</a> <a href="#top">T</a>
<link rel="stylesheet" href="../evalsite.min.css"> <a href="../data/agreements.csv">D</a>`
	want := `<a href="../agreements/index.html">A</a> <a href="./index.html">Home</a> <a href="../../index.html">Up</a>
<a href="../methods/index.html#as-of">M</a> <a href="https://example.org/">Out</a> <a href="#top">T</a>
<link rel="stylesheet" href="../evalsite.min.css"> <a href="../data/agreements.csv">D</a>`
	p := filepath.Join(dir, "x", "index.html")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := linkIndexFiles(dir, ""); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

// TestLinkIndexFilesUnderABasePath: with a baseURL of
// https://example.org/evaluation/, Hugo writes "../../evaluation/x/" on
// agreements/a/index.html; published under /evaluation/, that must be
// "../../x/index.html".
func TestLinkIndexFilesUnderABasePath(t *testing.T) {
	dir := t.TempDir()
	page := `<link href="../../evaluation/site.css"> <source srcset="../../evaluation/a.svg"> <a href="../../evaluation/methods/">M</a> <a href="./evaluation/">H</a> <a href="https://example.org/evaluation/x/">Abs</a> <a href="../../evaluations/">Other</a>`
	want := `<link href="../../site.css"> <source srcset="../../a.svg"> <a href="../../methods/index.html">M</a> <a href="./index.html">H</a> <a href="https://example.org/evaluation/x/">Abs</a> <a href="../../evaluations/index.html">Other</a>`
	p := filepath.Join(dir, "agreements", "a", "index.html")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := linkIndexFiles(dir, basePath("https://example.org/evaluation")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

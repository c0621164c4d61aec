package site_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestFiguresAreNumberedAndReferred: charts and tables shown by the
// shortcodes are numbered in the order of the page's text, the fig
// shortcode prints the number as a link (even before the figure), and term
// links a word to its glossary entry; every link names a file, so that the
// site works opened from disk.
func TestFiguresAreNumberedAndReferred(t *testing.T) {
	root := newSite(t)
	chapter := "---\ntitle: Figures\n---\n\nAs {{< fig \"concurrency\" >}} and {{< fig \"refusal_reasons\" \"table\" >}} show, each {{< term \"tranche\" >}} differed.\n\n" +
		"{{< chart \"time_to_agreement\" >}}\n\n{{< chart \"concurrency\" >}}\n\n{{< table \"refusal_reasons\" >}}\n"
	if err := os.WriteFile(filepath.Join(root, "content", "report", "figures.md"), []byte(chapter), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := build(t, root, out); err != nil {
		t.Fatal(err)
	}
	page := readFile(t, filepath.Join(out, "report", "figures", "index.html"))
	for _, want := range []string{
		`<a href="#chart-concurrency">Figure 2</a>`,
		`<a href="#table-refusal_reasons">Table 1</a>`,
		`<span class="chart-title">Figure 1: `,
		`<span class="chart-title">Figure 2: `,
		`<caption>Table 1: `,
		`<a class="term" href="../../glossary/index.html#tranche">tranche</a>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the chapter lacks %s", want)
		}
	}
	if strings.Contains(page, `href="../../"`) || strings.Contains(page, `/"`+">Summary") {
		t.Errorf("the chapter links to a folder, which opened from disk shows a listing")
	}
}

// TestBaseURLGivesSitemapAndAbsoluteAddresses: with the site's address in
// baseURL, a sitemap, canonical links, Open Graph tags and absolute Dataset
// URLs; without it, none of them, and Dataset URLs relative to the
// downloads page that resolve in the built folder.
func TestBaseURLGivesSitemapAndAbsoluteAddresses(t *testing.T) {
	root := newSite(t)
	out := filepath.Join(t.TempDir(), "public")
	if _, err := build(t, root, out); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(out, "sitemap.xml")); err == nil {
		t.Errorf("a site without baseURL has a sitemap.xml")
	}
	dl := readFile(t, filepath.Join(out, "downloads", "index.html"))
	if !strings.Contains(dl, `"contentUrl":"../data/agreements.csv"`) {
		t.Errorf("without baseURL, the Dataset's contentUrl is not ../data/agreements.csv")
	}
	if _, err := os.Stat(filepath.Join(out, "downloads", "..", "data", "agreements.csv")); err != nil {
		t.Errorf("../data/agreements.csv from the downloads page: %v", err)
	}
	if strings.Contains(readFile(t, filepath.Join(out, "index.html")), `rel="canonical"`) {
		t.Errorf("a site without baseURL has canonical links")
	}
	for _, f := range []string{"404.html", "favicon.svg", "data/all-data.zip", "data/data-guidance.txt"} {
		if _, err := os.Stat(filepath.Join(out, f)); err != nil {
			t.Errorf("no %s: %v", f, err)
		}
	}

	conf := filepath.Join(root, "hugo.toml")
	b, err := os.ReadFile(conf)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conf, append([]byte("baseURL = \"https://example.org/\"\n"), b...), 0o644); err != nil {
		t.Fatal(err)
	}
	out2 := filepath.Join(t.TempDir(), "public")
	if _, err := build(t, root, out2); err != nil {
		t.Fatal(err)
	}
	sm := readFile(t, filepath.Join(out2, "sitemap.xml"))
	if !strings.Contains(sm, "<loc>https://example.org/agreements/lpsa-01/</loc>") {
		t.Errorf("sitemap.xml lacks the first agreement's address")
	}
	page := readFile(t, filepath.Join(out2, "agreements", "lpsa-01", "index.html"))
	for _, want := range []string{`<link rel="canonical" href="https://example.org/agreements/lpsa-01/">`, `<meta property="og:url" content="https://example.org/agreements/lpsa-01/">`} {
		if !strings.Contains(page, want) {
			t.Errorf("with baseURL, the agreement page lacks %s", want)
		}
	}
	if !strings.Contains(readFile(t, filepath.Join(out2, "downloads", "index.html")), `"contentUrl":"https://example.org/data/agreements.csv"`) {
		t.Errorf("with baseURL, the Dataset's contentUrl is not absolute")
	}
	if nf := readFile(t, filepath.Join(out2, "404.html")); !strings.Contains(nf, `href="https://example.org/"`) {
		t.Errorf("with baseURL, the 404 page does not link to the site's address")
	}
}

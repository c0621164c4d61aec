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

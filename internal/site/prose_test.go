package site_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalsite/evalsite/internal/example"
)

// chapterSite makes a site with the repository's configuration, the default
// example data and one chapter of its own at content/report/words.md.
func chapterSite(t *testing.T, chapter string) string {
	t.Helper()
	dir := t.TempDir()
	b, err := os.ReadFile(filepath.Join(repoRoot, "hugo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"hugo.toml":                string(b),
		"content/_index.md":        "---\ntitle: Summary\n---\n",
		"content/report/_index.md": "---\ntitle: Report\n---\n",
		"content/report/words.md":  "---\ntitle: Words\n---\n\n" + chapter,
	}
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := example.Write(filepath.Join(dir, "data"), example.Generate(example.Config{}), example.CSV); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestConditionalWordsFollowTheData builds a chapter of conditional text and
// words from figures over the example (20 agreements, all signed) and checks
// each sentence against the figures.
func TestConditionalWordsFollowTheData(t *testing.T) {
	chapter := `All signed: {{% if "agreements.signed == agreements.total" %}}every negotiation ended in **an agreement**{{% else %}}not every negotiation ended in an agreement{{% /if %}}.

Open: {{< count "agreements.in_negotiation" "negotiation" >}} and {{< number "agreements.total" >}} in all; {{< number "freedoms.by_department.Home Office.requested" >}} Home Office requests.

Peak month meetings: {{< metric "events.meetings_by_month.{events.peak_meeting_month}" >}}.

Waves: trust {{< change "codings.codes.trust.by_wave.1.share" "codings.codes.trust.by_wave.2.share" >}}.

{{< assert "agreements.signed <= agreements.total" >}}
`
	root := chapterSite(t, chapter)
	out := filepath.Join(t.TempDir(), "public")
	res, err := build(t, root, out)
	if err != nil {
		t.Fatal(err)
	}
	page := readFile(t, filepath.Join(out, "report", "words", "index.html"))
	m := res.Metrics
	if m.Agreements.Signed != m.Agreements.Total {
		t.Fatalf("the default example should have every agreement signed: %+v", m.Agreements)
	}
	peak := m.Events.MeetingsByMonth[*m.Events.PeakMeetingMonth]
	hoRequests := m.Freedoms.ByDepartment["Home Office"].Requested
	w1, w2 := m.Codings.Codes["trust"].ByWave["1"].Share, m.Codings.Codes["trust"].ByWave["2"].Share
	verb := "rose"
	if w2 < w1 {
		verb = "fell"
	}
	for _, want := range []string{
		"All signed: every negotiation ended in <strong>an agreement</strong>.",
		"Open: no negotiations and 20 in all;",
		"Peak month meetings: " + itoa(peak) + ".",
		"Waves: trust " + verb + " from ",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks %q", want)
		}
	}
	if hoRequests >= 1 && hoRequests <= 9 && !strings.Contains(page, "; "+[]string{"", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"}[hoRequests]+" Home Office requests") {
		t.Errorf("page does not count %d Home Office requests in words", hoRequests)
	}
	if strings.Contains(page, "not every negotiation") || strings.Contains(page, "@@evalsite") {
		t.Error("page shows the else branch or the else marker")
	}
}

func itoa(n int) string {
	s := ""
	if n == 0 {
		return "0"
	}
	for ; n > 0; n /= 10 {
		s = string(rune('0'+n%10)) + s
	}
	return s
}

// TestFalseAssertionFailsWithFileLineAndValues: the same chapter builds
// when its assertion holds and fails, naming file, line, expression and the
// values seen, when it does not.
func TestFalseAssertionFailsWithFileLineAndValues(t *testing.T) {
	for _, tc := range []struct {
		expr string
		ok   bool
	}{
		{"agreements.signed == agreements.total", true},
		{"agreements.signed < agreements.total", false},
	} {
		chapter := "First line.\n\n{{< assert \"" + tc.expr + "\" >}}\n"
		root := chapterSite(t, chapter)
		_, err := build(t, root, filepath.Join(t.TempDir(), "public"))
		if tc.ok {
			if err != nil {
				t.Errorf("assert %q: build failed: %v", tc.expr, err)
			}
			continue
		}
		if err == nil {
			t.Fatalf("assert %q: build succeeded", tc.expr)
		}
		for _, want := range []string{"content/report/words.md:7:1", "assertion is false", tc.expr, "agreements.signed = 20", "agreements.total = 20"} {
			if !strings.Contains(err.Error(), want) {
				t.Errorf("build error %q does not say %q", err, want)
			}
		}
	}
}

// TestUnknownNameInConditionFailsWithNearest: a condition's names are
// checked like metric names, every one at once.
func TestUnknownNameInConditionFailsWithNearest(t *testing.T) {
	chapter := "{{% if \"agreements.signd > 1\" %}}x{{% /if %}}\n\n{{< count \"agreements.totl\" \"agreement\" >}}\n"
	root := chapterSite(t, chapter)
	_, err := build(t, root, filepath.Join(t.TempDir(), "public"))
	if err == nil {
		t.Fatal("build succeeded")
	}
	for _, want := range []string{
		`content/report/words.md:5:1: if: unknown metric "agreements.signd" (did you mean "agreements.signed"?)`,
		`content/report/words.md:7:1: count: unknown metric "agreements.totl" (did you mean "agreements.total"?)`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("build error %q does not say %q", err, want)
		}
	}
}

// TestNestedIfIsWrittenWithAngleBrackets: a {{% if %}} inside another is
// refused with its file and line, since Hugo would drop its text; written
// {{< if >}} it builds and its Markdown is rendered once.
func TestNestedIfIsWrittenWithAngleBrackets(t *testing.T) {
	bad := "{{% if \"agreements.total > 0\" %}}Outer {{% if \"agreements.signed > 0\" %}}**inner**{{% /if %}}.{{% /if %}}\n"
	root := chapterSite(t, bad)
	_, err := build(t, root, filepath.Join(t.TempDir(), "public"))
	if err == nil || !strings.Contains(err.Error(), "content/report/words.md:5:") || !strings.Contains(err.Error(), "inside another if, write {{< if >}}") {
		t.Errorf("nested {{%% if %%}}: error %v", err)
	}
	good := strings.NewReplacer(`{{% if "agreements.signed > 0" %}}`, `{{< if "agreements.signed > 0" >}}`, `**{{% /if %}}`, `**{{< /if >}}`).Replace(bad)
	root = chapterSite(t, good)
	out := filepath.Join(t.TempDir(), "public")
	if _, err := build(t, root, out); err != nil {
		t.Fatal(err)
	}
	page := readFile(t, filepath.Join(out, "report", "words", "index.html"))
	if !strings.Contains(page, "Outer <strong>inner</strong>.") || strings.Contains(page, "raw HTML omitted") {
		t.Errorf("nested {{< if >}} did not render once: %s", page[strings.Index(page, "Outer"):][:80])
	}
}

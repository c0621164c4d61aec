package site_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/evalsite/evalsite"
	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/site"
	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
)

var imgSrcRE = regexp.MustCompile(`<img src="\./(charts/[^"]+\.svg)"`)

// repoRoot is the example evaluation at the root of the repository.
const repoRoot = "../.."

// newSite makes a site folder with the repository's configuration and
// content, and a freshly generated example data set in data/.
func newSite(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, filepath.Join(repoRoot, "content"), filepath.Join(dir, "content"))
	b, err := os.ReadFile(filepath.Join(repoRoot, "hugo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "hugo.toml"), b, 0o644); err != nil {
		t.Fatal(err)
	}
	d := example.Generate(example.Config{})
	if err := example.Write(filepath.Join(dir, "data"), d, example.XLSX); err != nil {
		t.Fatal(err)
	}
	return dir
}

func copyTree(t *testing.T, from, to string) {
	t.Helper()
	err := filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, p)
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(dst, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}

func build(t *testing.T, root, out string) (*site.Result, error) {
	t.Helper()
	return site.Build(t.Context(), site.Options{Root: root, OutDir: out, Theme: evalsite.Theme()})
}

// tree returns the SHA-256 of every file under dir, by relative path.
func tree(t *testing.T, dir string) map[string]string {
	t.Helper()
	sums := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		h := sha256.Sum256(b)
		sums[filepath.ToSlash(rel)] = hex.EncodeToString(h[:])
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return sums
}

func readFile(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBuildExampleShowsHeadlineFigures(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	res, err := build(t, repoRoot, out)
	if err != nil {
		t.Fatalf("Build(example) = %v", err)
	}
	home := readFile(t, filepath.Join(out, "index.html"))
	for _, name := range []string{"agreements.signed", "agreements.total", "time_to_agreement_days.median", "freedoms.granted_rate"} {
		f, err := res.Metrics.Lookup(name)
		if err != nil {
			t.Fatalf("Lookup(%q) = %v", name, err)
		}
		if f.Text == "" || !strings.Contains(home, f.Text) {
			t.Errorf("index.html does not show %s = %q", name, f.Text)
		}
	}
	// The figures follow the data: the count of signed agreements is the
	// number of agreements with a signed date, counted here from the records.
	signed := 0
	for _, a := range res.Data.Agreements {
		if !a.Signed.IsZero() {
			signed++
		}
	}
	if f, _ := res.Metrics.Lookup("agreements.signed"); f.Value != signed {
		t.Errorf("agreements.signed = %v, want %d", f.Value, signed)
	}
	if !strings.Contains(home, "Illustrative data") {
		t.Error("index.html does not say the data is illustrative")
	}
	srcs := imgSrcRE.FindAllStringSubmatch(home, -1)
	if len(srcs) == 0 {
		t.Error("index.html shows no chart")
	}
	for _, m := range srcs {
		if _, err := os.Stat(filepath.Join(out, filepath.FromSlash(m[1]))); err != nil {
			t.Errorf("index.html shows a missing chart: %v", err)
		}
	}
	for _, name := range []string{"data/agreements.csv", "data/metrics.json", "charts/time_to_agreement.svg", "report/timing/index.html", "downloads/index.html", "methods/index.html"} {
		if _, err := os.Stat(filepath.Join(out, name)); err != nil {
			t.Errorf("missing %s: %v", name, err)
		}
	}
	dl := readFile(t, filepath.Join(out, "downloads", "index.html"))
	for _, want := range []string{`href="../data/agreements.csv"`, `href="../data/metrics.json"`, `"@type":"Dataset"`} {
		if !strings.Contains(dl, want) {
			t.Errorf("downloads page lacks %q", want)
		}
	}
}

func TestBuildIsByteIdentical(t *testing.T) {
	root := newSite(t)
	a, b := filepath.Join(t.TempDir(), "a"), filepath.Join(t.TempDir(), "b")
	if _, err := build(t, root, a); err != nil {
		t.Fatal(err)
	}
	if _, err := build(t, root, b); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(tree(t, a), tree(t, b)); diff != "" {
		t.Errorf("two builds differ (-first +second):\n%s", diff)
	}
}

func TestFailedBuildLeavesPreviousSite(t *testing.T) {
	root := newSite(t)
	out := filepath.Join(t.TempDir(), "public")
	if _, err := build(t, root, out); err != nil {
		t.Fatal(err)
	}
	before := tree(t, out)

	// A bad date in started, cell F3 of the Agreements sheet.
	book := filepath.Join(root, "data", "agreements.xlsx")
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStr("Agreements", "F3", "31/02/2001"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()

	_, err = build(t, root, out)
	if err == nil {
		t.Fatal("Build with a bad date succeeded")
	}
	if !errors.Is(err, ingest.ErrBadDate) {
		t.Errorf("Build error = %v, want one wrapping ErrBadDate", err)
	}
	want := filepath.Join(root, "data", "agreements.xlsx") + ": Agreements!F3 (started)"
	if !strings.Contains(err.Error(), want) {
		t.Errorf("Build error = %q, want it to name %q", err, want)
	}
	if diff := cmp.Diff(before, tree(t, out)); diff != "" {
		t.Errorf("failed build changed the previous site (-before +after):\n%s", diff)
	}
	leftovers, _ := filepath.Glob(filepath.Join(filepath.Dir(out), ".public.*"))
	if len(leftovers) > 0 {
		t.Errorf("failed build left %v", leftovers)
	}
}

func TestUnknownNameFailsWithFileAndLine(t *testing.T) {
	root := newSite(t)
	for _, tc := range []struct{ shortcode, want string }{
		{`{{< metric "time_to_agreement_days.medain" >}}`, `unknown metric "time_to_agreement_days.medain"`},
		{`{{< chart "time_to_agreemnt" >}}`, `unknown chart "time_to_agreemnt"`},
		{`{{< table "freedoms_by_dept" >}}`, `unknown table "freedoms_by_dept"`},
	} {
		t.Run(tc.want, func(t *testing.T) {
			chapter := "---\ntitle: Bad\n---\n\nFirst line.\n\nThe figure is " + tc.shortcode + ".\n"
			if err := os.WriteFile(filepath.Join(root, "content", "report", "bad.md"), []byte(chapter), 0o644); err != nil {
				t.Fatal(err)
			}
			_, err := build(t, root, filepath.Join(t.TempDir(), "public"))
			if err == nil {
				t.Fatalf("Build with %s succeeded", tc.shortcode)
			}
			for _, want := range []string{"content/report/bad.md:7", tc.want} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("Build error = %q, want it to contain %q", err, want)
				}
			}
		})
	}
}

func TestTableShortcodeShowsNamedTables(t *testing.T) {
	root := newSite(t)
	chapter := "---\ntitle: Tables\n---\n\n{{< table \"freedoms_by_department\" >}}\n\n{{< table \"concurrency\" >}}\n"
	if err := os.WriteFile(filepath.Join(root, "content", "report", "tables.md"), []byte(chapter), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	res, err := build(t, root, out)
	if err != nil {
		t.Fatal(err)
	}
	page := readFile(t, filepath.Join(out, "report", "tables", "index.html"))
	// The last row totals every request, counted here from the records.
	want := "<th scope=\"row\">All departments</th><td>" + strconv.Itoa(len(res.Data.Freedoms)) + "</td>"
	if !strings.Contains(page, want) {
		t.Errorf("tables page lacks %q", want)
	}
	if n := strings.Count(page, "<table>"); n != 2 {
		t.Errorf("tables page has %d tables, want 2", n)
	}
}

func TestSpreadsheetTextIsEscaped(t *testing.T) {
	root := newSite(t)
	// The example's quotes hold no markup: the test brings its own, one
	// excerpt cleared for publication and one held back.
	d := example.Generate(example.Config{})
	d.Codings[0].Excerpt, d.Codings[0].Cleared = "Our IT team said never paste <script>alert(1)</script> into a web form.", true
	d.Codings[3].Excerpt, d.Codings[3].Cleared = "Someone typed <script>alert(2)</script> into the shared draft.", false
	if err := example.Write(filepath.Join(root, "data"), d, example.XLSX); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	res, err := build(t, root, out)
	if err != nil {
		t.Fatal(err)
	}
	var pages []string
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.HasSuffix(p, ".html") {
			pages = append(pages, p)
		}
		return nil
	})
	sort.Strings(pages)
	all := ""
	for _, p := range pages {
		all += readFile(t, p)
	}
	if strings.Contains(all, "<script>alert") {
		t.Error("a <script> from a spreadsheet reached a page as markup")
	}
	if !strings.Contains(all, "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Error("the cleared excerpt with a <script> is not shown escaped")
	}
	if strings.Contains(all, "alert(2)") {
		t.Error("an excerpt not cleared for publication was published")
	}
	found := false
	for _, a := range res.Data.Agreements {
		if strings.Contains(a.Authority, "&") {
			found = true
			esc := strings.ReplaceAll(a.Authority, "&", "&amp;")
			if !strings.Contains(all, esc) {
				t.Errorf("authority %q is not shown escaped as %q", a.Authority, esc)
			}
		}
	}
	if !found {
		t.Error("the example has no authority with an ampersand to test")
	}
}

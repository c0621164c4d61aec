package site_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/evalsite/evalsite"
	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/site"
	"github.com/xuri/excelize/v2"
)

// buildCount counts the builds Serve reports on its Out, so that a test can
// wait for a build to end: a page shows its new text while Hugo may still be
// writing others.
type buildCount struct {
	mu   sync.Mutex
	n    int
	more chan struct{} // closed and replaced at each build
}

func (c *buildCount) Write(b []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for line := range strings.Lines(string(b)) {
		if strings.HasPrefix(line, "evalsite: built ") || strings.HasPrefix(line, "evalsite: build failed") {
			c.n++
			close(c.more)
			c.more = make(chan struct{})
		}
	}
	return len(b), nil
}

// wait returns once n builds have ended.
func (c *buildCount) wait(tb testing.TB, n int) {
	tb.Helper()
	for {
		c.mu.Lock()
		done, more := c.n >= n, c.more
		c.mu.Unlock()
		if done {
			return
		}
		select {
		case <-more:
		case <-time.After(10 * time.Minute):
			tb.Fatalf("build %d did not end", n)
		}
	}
}

// startServe runs site.Serve on the site folder at a free loopback port and
// returns the preview's address once the first build is served, and the
// count of its builds. The server stops when tb ends.
func startServe(tb testing.TB, root string) (string, *buildCount) {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	builds := &buildCount{more: make(chan struct{})}
	go func() {
		done <- site.Serve(ctx, site.Options{Root: root, Theme: evalsite.Theme()}, site.ServeOptions{
			Addr:  "127.0.0.1:0",
			Ready: func(addr string) { ready <- addr },
			Out:   builds,
		})
	}()
	tb.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			tb.Errorf("Serve = %v", err)
		}
	})
	select {
	case addr := <-ready:
		return addr, builds
	case err := <-done:
		tb.Fatalf("Serve ended before it was ready: %v", err)
	case <-time.After(10 * time.Minute):
		tb.Fatal("server did not start")
	}
	return "", nil
}

// pollFor fetches url with a real HTTP client until its body holds want, and
// returns how long that took. It gives up after limit.
func pollFor(tb testing.TB, client *http.Client, url, want string, limit time.Duration) time.Duration {
	tb.Helper()
	start := time.Now()
	for {
		resp, err := client.Get(url)
		if err != nil {
			tb.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			tb.Fatal(err)
		}
		if resp.StatusCode == http.StatusOK && strings.Contains(string(body), want) {
			return time.Since(start)
		}
		if time.Since(start) > limit {
			tb.Fatalf("%s did not show %q within %s (status %d)", url, want, limit, resp.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// editChapter returns an edit of a report chapter: saving it adds a
// sentence holding mark, which then shows on the chapter's page. The file
// is written aside and renamed into place, so that the watcher never sees
// it half written.
func editChapter(tb testing.TB, root string) (page string, edit func(mark string)) {
	chapter := filepath.Join(root, "content", "report", "timing.md")
	aside := filepath.Join(tb.TempDir(), "timing.md")
	orig, err := os.ReadFile(chapter)
	if err != nil {
		tb.Fatal(err)
	}
	return "report/timing/", func(mark string) {
		text := strings.Replace(string(orig), "\n\n", "\n\n"+mark+" was added while previewing.\n\n", 1)
		if err := os.WriteFile(aside, []byte(text), 0o644); err != nil {
			tb.Fatal(err)
		}
		if err := os.Rename(aside, chapter); err != nil {
			tb.Fatal(err)
		}
	}
}

// editWorkbook returns an edit of the agreements workbook: it renames the
// first agreement's authority to mark. The workbook is written aside and
// renamed into place, so that the save is one moment, as an editor's is;
// prepare does the slow part, save is the save.
func editWorkbook(tb testing.TB, root string) (page string, prepare func(mark string), save func()) {
	book := filepath.Join(root, "data", "agreements.xlsx")
	aside := filepath.Join(tb.TempDir(), "agreements.xlsx")
	return "agreements/", func(mark string) {
			f, err := excelize.OpenFile(book)
			if err != nil {
				tb.Fatal(err)
			}
			defer f.Close()
			if err := f.SetCellStr("Agreements", "B3", mark); err != nil {
				tb.Fatal(err)
			}
			if err := f.SaveAs(aside); err != nil {
				tb.Fatal(err)
			}
		}, func() {
			if err := os.Rename(aside, book); err != nil {
				tb.Fatal(err)
			}
		}
}

// medianSeconds is the median of ds in seconds.
func medianSeconds(ds []time.Duration) float64 {
	s := slices.Clone(ds)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return ((s[(len(s)-1)/2] + s[len(s)/2]) / 2).Seconds()
}

// BenchmarkServeEdit measures the preview's latency under evalsite serve at
// 20, 1,000 and 10,000 agreements (workbooks): from the save of a chapter,
// or of the agreements workbook, to the first response of the edited page
// that shows the new text, fetched by an HTTP client polling every 20 ms.
// One operation is one edit; median-s/edit is the median edit of the run.
func BenchmarkServeEdit(b *testing.B) {
	for _, n := range benchSizes() {
		b.Run(fmt.Sprintf("agreements=%d", n), func(b *testing.B) {
			root, _ := benchSite(b, n, example.XLSX)
			base, builds := startServe(b, root)
			client := &http.Client{Timeout: time.Minute}
			built := 1 // the first build
			// next waits, untimed, for the build of the edit just shown to
			// end, so that each edit starts from an idle server.
			next := func(b *testing.B) {
				b.StopTimer()
				built++
				builds.wait(b, built)
				b.StartTimer()
			}
			b.Run("edit=chapter", func(b *testing.B) {
				page, edit := editChapter(b, root)
				var took []time.Duration
				for i := 0; i < b.N; i++ {
					mark := fmt.Sprintf("Chapter edit %d-%d", b.N, i)
					edit(mark)
					took = append(took, pollFor(b, client, base+page, mark, 10*time.Minute))
					next(b)
				}
				b.ReportMetric(medianSeconds(took), "median-s/edit")
			})
			b.Run("edit=workbook", func(b *testing.B) {
				page, prepare, save := editWorkbook(b, root)
				var took []time.Duration
				for i := 0; i < b.N; i++ {
					mark := fmt.Sprintf("Workbook edit %d-%d", b.N, i)
					b.StopTimer()
					prepare(mark)
					b.StartTimer()
					save()
					took = append(took, pollFor(b, client, base+page, mark, 10*time.Minute))
					next(b)
				}
				b.ReportMetric(medianSeconds(took), "median-s/edit")
			})
		})
	}
}

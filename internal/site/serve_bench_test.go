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
	"testing"
	"time"

	"github.com/evalsite/evalsite"
	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/site"
	"github.com/xuri/excelize/v2"
)

// startServe runs site.Serve on the site folder at a free loopback port and
// returns the preview's address once the first build is served. The server
// stops when tb ends.
func startServe(tb testing.TB, root string) string {
	tb.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- site.Serve(ctx, site.Options{Root: root, Theme: evalsite.Theme()}, site.ServeOptions{
			Addr:  "127.0.0.1:0",
			Ready: func(addr string) { ready <- addr },
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
		return addr
	case err := <-done:
		tb.Fatalf("Serve ended before it was ready: %v", err)
	case <-time.After(10 * time.Minute):
		tb.Fatal("server did not start")
	}
	return ""
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
// sentence holding mark, which then shows on the chapter's page.
func editChapter(tb testing.TB, root string) (page string, edit func(mark string)) {
	chapter := filepath.Join(root, "content", "report", "timing.md")
	orig, err := os.ReadFile(chapter)
	if err != nil {
		tb.Fatal(err)
	}
	return "report/timing/", func(mark string) {
		text := strings.Replace(string(orig), "\n\n", "\n\n"+mark+" was added while previewing.\n\n", 1)
		if err := os.WriteFile(chapter, []byte(text), 0o644); err != nil {
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
			if err := f.SetCellStr("Agreements", "B2", mark); err != nil {
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
			base := startServe(b, root)
			client := &http.Client{Timeout: time.Minute}
			b.Run("edit=chapter", func(b *testing.B) {
				page, edit := editChapter(b, root)
				var took []time.Duration
				for i := 0; i < b.N; i++ {
					mark := fmt.Sprintf("Chapter edit %d-%d", b.N, i)
					edit(mark)
					took = append(took, pollFor(b, client, base+page, mark, 10*time.Minute))
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
				}
				b.ReportMetric(medianSeconds(took), "median-s/edit")
			})
		})
	}
}

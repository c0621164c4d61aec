package site_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/evalsite/evalsite"
	"github.com/evalsite/evalsite/internal/site"
	"github.com/xuri/excelize/v2"
)

// get fetches a URL and returns its status and body.
func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// waitFor polls url until its body contains want, or fails after limit.
// The target is two seconds on the example; the limit allows for a
// machine busy with other work, and the time taken is logged.
func waitFor(t *testing.T, url, want string, limit time.Duration) (int, string) {
	t.Helper()
	start := time.Now()
	deadline := start.Add(limit)
	for {
		code, body := get(t, url)
		if strings.Contains(body, want) {
			t.Logf("%s showed %q after %s", url, want, time.Since(start).Round(10*time.Millisecond))
			return code, body
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s did not show %q within %s; last (%d):\n%s", url, want, limit, code, body)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestServeRebuildsOnChangeAndShowsErrors(t *testing.T) {
	root := newSite(t)
	ctx, cancel := context.WithCancel(t.Context())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- site.Serve(ctx, site.Options{Root: root, Theme: evalsite.Theme()}, site.ServeOptions{
			Addr: "127.0.0.1:0", Debounce: 50 * time.Millisecond,
			Ready: func(addr string) { ready <- addr },
		})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve = %v", err)
		}
	}()
	var base string
	select {
	case base = <-ready:
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}

	code, home := get(t, base)
	if code != http.StatusOK || !strings.Contains(home, "/_evalsite/reload") {
		t.Fatalf("GET / = %d, want 200 with the reload script", code)
	}
	if _, err := os.Stat(filepath.Join(root, "public")); err == nil {
		t.Error("serve wrote public/: the preview must not touch the published site")
	}

	// An edit to a chapter shows.
	chapter := filepath.Join(root, "content", "report", "timing.md")
	b, err := os.ReadFile(chapter)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), "\n\n", "\n\nA sentence added while previewing.\n\n", 1)
	if err := os.WriteFile(chapter, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, base+"report/timing/", "A sentence added while previewing.", 10*time.Second)

	// A change to a workbook shows too.
	book := filepath.Join(root, "data", "agreements.xlsx")
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.SetCellStr("Agreements", "B2", "Renamed while previewing"); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	waitFor(t, base+"agreements/", "Renamed while previewing", 10*time.Second)

	// A bad edit shows the error in the page; the server keeps running.
	bad := edited + "\n{{< metric \"no.such.metric\" >}}\n"
	if err := os.WriteFile(chapter, []byte(bad), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _ = waitFor(t, base+"report/timing/", `unknown metric &#34;no.such.metric&#34;`, 10*time.Second)
	if code != http.StatusInternalServerError {
		t.Errorf("page during a failed build: status %d, want 500", code)
	}
	// Mending it brings the site back.
	if err := os.WriteFile(chapter, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	code, _ = waitFor(t, base+"report/timing/", "A sentence added while previewing.", 10*time.Second)
	if code != http.StatusOK {
		t.Errorf("page after the fix: status %d, want 200", code)
	}
}

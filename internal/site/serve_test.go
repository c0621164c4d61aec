package site_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"syscall"
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
	base := serve(t, root)

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
	// Row 1 is the example's illustrative mark, row 2 the header.
	if err := f.SetCellStr("Agreements", "B3", "Renamed while previewing"); err != nil {
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

	// A folder made while previewing is watched too: the second edit,
	// inside it, is seen only by a watch on the new folder.
	notes := filepath.Join(root, "content", "report", "notes")
	if err := os.Mkdir(notes, 0o755); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(notes, "draft.md")
	if err := os.WriteFile(page, []byte("---\ntitle: Draft\n---\n\nFirst draft.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, base+"report/notes/draft/", "First draft.", 10*time.Second)
	if err := os.WriteFile(page, []byte("---\ntitle: Draft\n---\n\nSecond draft.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	waitFor(t, base+"report/notes/draft/", "Second draft.", 10*time.Second)
}

// serve starts Serve on a free loopback port over the site in root and
// returns its address; the server stops when the test ends.
func serve(t *testing.T, root string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- site.Serve(ctx, site.Options{Root: root, Theme: evalsite.Theme()}, site.ServeOptions{
			Addr: "127.0.0.1:0", Ready: func(addr string) { ready <- addr },
		})
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve = %v", err)
		}
	})
	select {
	case base := <-ready:
		return base
	case err := <-done:
		t.Fatalf("Serve = %v before it was ready", err)
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	return ""
}

// raw sends a request line as written, which http.Client would not do,
// and returns the status and body of the answer.
func raw(t *testing.T, base, target, host string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := fmt.Fprintf(conn, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", target, host); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
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

func TestServeServesOnlyThePreview(t *testing.T) {
	root := newSite(t)
	// Files outside the preview that a path leading out of it would reach.
	secrets := t.TempDir()
	const secret = "not part of the site"
	for _, name := range []string{"secret.html", "secret.txt"} {
		if err := os.WriteFile(filepath.Join(secrets, name), []byte(secret), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	base := serve(t, root)
	host := strings.TrimSuffix(strings.TrimPrefix(base, "http://"), "/")
	up := strings.Repeat("../", 20)
	for _, name := range []string{"secret.html", "secret.txt"} {
		abs := filepath.ToSlash(filepath.Join(secrets, name))
		for _, target := range []string{
			"/" + up + strings.TrimPrefix(abs, "/"),
			"/" + strings.ReplaceAll(up, "..", "%2e%2e") + strings.TrimPrefix(abs, "/"),
			"/" + strings.ReplaceAll(up, "../", "..%2f") + strings.TrimPrefix(abs, "/"),
			"/" + strings.ReplaceAll(up, "../", "%2e%2e%2f") + strings.TrimPrefix(abs, "/"),
			"/report/" + up + strings.TrimPrefix(abs, "/"),
		} {
			code, body := raw(t, base, target, host)
			if code != http.StatusNotFound || strings.Contains(body, secret) {
				t.Errorf("GET %s = %d %q, want 404 without the file", target, code, body)
			}
		}
	}

	// Only loopback names are answered: a page elsewhere that points its
	// own name at 127.0.0.1 must not read the preview.
	port := host[strings.LastIndex(host, ":")+1:]
	for _, h := range []string{"evil.example", "evil.example:" + port, "127.0.0.1.evil.example:" + port, "localhost.evil.example", "10.0.0.1:" + port, ""} {
		code, body := raw(t, base, "/", h)
		if code != http.StatusForbidden && code != http.StatusMisdirectedRequest {
			t.Errorf("GET / with Host %q = %d, want 403 or 421", h, code)
		}
		if strings.Contains(body, "_evalsite/reload") {
			t.Errorf("GET / with Host %q answered with a page of the site", h)
		}
	}
	for _, h := range []string{host, "localhost:" + port, "LOCALHOST", "127.0.0.2:" + port, "[::1]:" + port, "[::1]"} {
		if code, _ := raw(t, base, "/", h); code != http.StatusOK {
			t.Errorf("GET / with Host %q = %d, want 200", h, code)
		}
	}
}

func TestServeSaysAPortIsBusyBeforeBuilding(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	var out bytes.Buffer
	err = site.Serve(t.Context(), site.Options{Root: newSite(t), Theme: evalsite.Theme()},
		site.ServeOptions{Addr: ln.Addr().String(), Out: &out})
	if !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("Serve on a busy port = %v, want an error wrapping EADDRINUSE", err)
	}
	if out.Len() > 0 {
		t.Errorf("Serve on a busy port said %q: it built before it tried the port", out.String())
	}
	if entries, _ := os.ReadDir(tmp); len(entries) > 0 {
		t.Errorf("Serve on a busy port left %v in the temporary folder", entries)
	}
}

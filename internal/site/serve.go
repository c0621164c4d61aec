package site

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ServeOptions configures Serve.
type ServeOptions struct {
	Addr     string        // listen address; default 127.0.0.1:1313
	Interval time.Duration // how often to look for changed files; default 300ms
	// Ready, if set, is called with the address once the server listens.
	Ready func(addr string)
	// Out receives a line for each rebuild and each failure.
	Out io.Writer
}

// Serve builds the site into a private folder, serves it on a loopback
// address, and rebuilds whenever a file under data/, content/, layouts/,
// assets/, static/ or the configuration changes. Open pages reload
// themselves after each rebuild. A failed rebuild is shown in the page and
// on Out, and the server keeps serving. Serve returns when ctx is done.
func Serve(ctx context.Context, opt Options, sopt ServeOptions) error {
	opt = opt.withDefaults()
	if sopt.Addr == "" {
		sopt.Addr = "127.0.0.1:1313"
	}
	if sopt.Interval == 0 {
		sopt.Interval = 300 * time.Millisecond
	}
	if sopt.Out == nil {
		sopt.Out = io.Discard
	}
	preview, err := os.MkdirTemp("", "evalsite-preview-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(preview)
	opt.OutDir = filepath.Join(preview, "site")

	s := &server{dir: opt.OutDir, changed: make(chan struct{})}
	build := func() {
		start := time.Now()
		res, err := Build(ctx, opt)
		s.setResult(err)
		if err != nil {
			fmt.Fprintf(sopt.Out, "evalsite: build failed:\n%s\n", err)
			return
		}
		fmt.Fprintf(sopt.Out, "evalsite: built %d pages in %s\n", res.Pages, time.Since(start).Round(time.Millisecond))
	}
	watched := []string{opt.DataDir, opt.ContentDir, filepath.Join(opt.Root, "layouts"),
		filepath.Join(opt.Root, "assets"), filepath.Join(opt.Root, "static"), filepath.Join(opt.Root, "hugo.toml")}
	// The snapshot is taken before the first build, so that an edit made
	// while it runs, or before the server is ready, is seen as a change.
	last := snapshot(watched)
	build()

	ln, err := net.Listen("tcp", sopt.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	defer srv.Close()
	addr := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(sopt.Out, "evalsite: serving %s (press Ctrl+C to stop)\n", addr)
	if sopt.Ready != nil {
		sopt.Ready(addr)
	}

	tick := time.NewTicker(sopt.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		now := snapshot(watched)
		if now == last {
			continue
		}
		last = now
		build()
	}
}

// snapshot summarises the names, sizes and times of every file under paths,
// so that any change, addition or removal gives a different string.
func snapshot(paths []string) string {
	var b strings.Builder
	for _, p := range paths {
		filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return nil
			}
			if d.IsDir() && path != p && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			info, err := d.Info()
			if err != nil {
				return nil
			}
			fmt.Fprintf(&b, "%s\x00%d\x00%d\n", path, info.Size(), info.ModTime().UnixNano())
			return nil
		})
	}
	return b.String()
}

// server serves the preview, with a reload script in each HTML page and the
// last build error in place of every page while the build is broken.
type server struct {
	dir string

	mu      sync.Mutex
	err     error
	changed chan struct{} // closed and replaced after each build
}

func (s *server) setResult(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.err = err
	close(s.changed)
	s.changed = make(chan struct{})
}

func (s *server) state() (error, chan struct{}) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.err, s.changed
}

const reloadPath = "/_evalsite/reload"

// reloadScript waits for the next build and reloads the page.
const reloadScript = `<script>(function(){var s=new EventSource("` + reloadPath + `");s.onmessage=function(){s.close();location.reload();};})();</script>`

func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == reloadPath {
		s.events(w, r)
		return
	}
	buildErr, _ := s.state()
	name := filepath.Join(s.dir, filepath.FromSlash(strings.TrimPrefix(r.URL.Path, "/")))
	if info, err := os.Stat(name); err == nil && info.IsDir() {
		name = filepath.Join(name, "index.html")
	}
	if buildErr != nil && (strings.HasSuffix(name, ".html") || !strings.Contains(filepath.Base(name), ".")) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head><body><main><h1>The site did not build</h1><p>Fix the problem below and save: this page reloads by itself.</p><pre>%s</pre></main>%s</body></html>`,
			html.EscapeString(buildErr.Error()), reloadScript)
		return
	}
	if filepath.Ext(name) != ".html" {
		http.FileServer(http.Dir(s.dir)).ServeHTTP(w, r)
		return
	}
	b, err := os.ReadFile(name)
	if errors.Is(err, fs.ErrNotExist) {
		http.NotFound(w, r)
		return
	} else if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if i := bytes.LastIndex(b, []byte("</body>")); i >= 0 {
		b = append(b[:i:i], append([]byte(reloadScript), b[i:]...)...)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

// events holds a server-sent events stream open and sends one message when
// the next build finishes.
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	_, changed := s.state()
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	if f, ok := w.(http.Flusher); ok {
		f.Flush()
	}
	select {
	case <-changed:
		fmt.Fprint(w, "data: reload\n\n")
		if f, ok := w.(http.Flusher); ok {
			f.Flush()
		}
	case <-r.Context().Done():
	}
}

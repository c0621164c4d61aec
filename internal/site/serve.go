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
	"net/netip"
	"os"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/fsnotify/fsnotify"
)

// ServeOptions configures Serve.
type ServeOptions struct {
	Addr string // listen address; default 127.0.0.1:1313
	// Debounce is how long the inputs must stay unchanged after an edit
	// before a rebuild starts, so that a save touching several files
	// rebuilds once; default 100ms.
	Debounce time.Duration
	// Ready, if set, is called with the address once the server listens.
	Ready func(addr string)
	// Out receives a line for each rebuild and each failure.
	Out io.Writer
}

// Serve builds the site into a private folder, serves it on a loopback
// address, and rebuilds whenever a file under data/, content/, layouts/,
// assets/, static/ or the configuration changes. Open pages reload
// themselves after each rebuild. A failed rebuild is shown in the page and
// on Out, and the server keeps serving. Serve returns when ctx is done, and
// removes the private folder.
//
// The address is taken before anything is built, so a busy port is an
// error at once (one wrapping syscall.EADDRINUSE). Only requests addressed
// to a loopback name are answered, and only files of the preview are
// served.
func Serve(ctx context.Context, opt Options, sopt ServeOptions) error {
	opt = opt.withDefaults()
	if sopt.Addr == "" {
		sopt.Addr = "127.0.0.1:1313"
	}
	if sopt.Debounce == 0 {
		sopt.Debounce = 100 * time.Millisecond
	}
	if sopt.Out == nil {
		sopt.Out = io.Discard
	}
	ln, err := net.Listen("tcp", sopt.Addr)
	if err != nil {
		return fmt.Errorf("serve: %w", err)
	}
	srv := &http.Server{ReadHeaderTimeout: 5 * time.Second}
	defer srv.Close()
	defer ln.Close()

	preview, err := os.MkdirTemp("", "evalsite-preview-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(preview)
	opt.OutDir = filepath.Join(preview, "site")
	if _, err := checkOutDir(opt); err != nil {
		return err
	}

	s := &server{dir: opt.OutDir, changed: make(chan struct{})}
	srv.Handler = s
	// The site stays in memory between builds: an edit is built in part,
	// from the files the watcher saw change.
	var l *live
	defer func() {
		if l != nil {
			l.close()
		}
	}()
	var changed []string // files changed since the last build
	whole := false       // some changes went unseen: build everything
	build := func() {
		start := time.Now()
		var res *Result
		var err error
		switch {
		case l == nil:
			l, res, err = newLive(ctx, opt)
		case whole:
			res, err = l.full(ctx)
		default:
			res, err = l.update(ctx, changed)
		}
		changed, whole = nil, false
		if ctx.Err() != nil {
			return
		}
		s.setResult(err)
		if err != nil {
			fmt.Fprintf(sopt.Out, "evalsite: build failed:\n%s\n", err)
			return
		}
		fmt.Fprintf(sopt.Out, "evalsite: built %d pages in %s\n", res.Pages, time.Since(start).Round(time.Millisecond))
	}
	// The watcher starts before the first build, so that an edit made while
	// it runs, or before the server is ready, is seen as a change.
	w, err := newWatcher([]string{opt.DataDir, opt.ContentDir, filepath.Join(opt.Root, "layouts"),
		filepath.Join(opt.Root, "assets"), filepath.Join(opt.Root, "static"), filepath.Join(opt.Root, "hugo.toml")})
	if err != nil {
		return fmt.Errorf("serve: watch the site's files: %w", err)
	}
	defer w.close()
	build()

	go srv.Serve(ln)
	addr := "http://" + ln.Addr().String() + "/"
	fmt.Fprintf(sopt.Out, "evalsite: serving %s (press Ctrl+C to stop)\n", addr)
	if sopt.Ready != nil {
		sopt.Ready(addr)
	}

	var rebuild <-chan time.Time
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev, ok := <-w.fw.Events:
			if !ok {
				return nil
			}
			if w.handle(ev) {
				changed = append(changed, ev.Name)
				rebuild = time.After(sopt.Debounce)
			}
		case err, ok := <-w.fw.Errors:
			if !ok {
				return nil
			}
			if errors.Is(err, fsnotify.ErrEventOverflow) {
				// Some changes went unseen: watch everything again and rebuild.
				w.addAll()
				whole = true
				rebuild = time.After(sopt.Debounce)
				continue
			}
			fmt.Fprintf(sopt.Out, "evalsite: watching files: %s\n", err)
		case <-rebuild:
			rebuild = nil
			build()
		}
	}
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
	// A page elsewhere can point a name it controls at 127.0.0.1 and read
	// the preview from the visitor's browser; such requests carry that name.
	if !loopbackHost(r.Host) {
		http.Error(w, "evalsite serves the preview only to this computer: open it at a 127.0.0.1 or localhost address", http.StatusForbidden)
		return
	}
	if r.URL.Path == reloadPath {
		s.events(w, r)
		return
	}
	buildErr, _ := s.state()
	// A rooted path cleaned has no "..": the name is inside the site, and
	// the site's os.Root refuses whatever would lead out of it (links too).
	name := strings.TrimPrefix(path.Clean("/"+r.URL.Path), "/")
	if name == "" {
		name = "."
	}
	var fsys fs.FS
	if root, err := os.OpenRoot(s.dir); err == nil {
		defer root.Close()
		fsys = root.FS()
		if info, err := fs.Stat(fsys, name); err == nil && info.IsDir() {
			if !strings.HasSuffix(r.URL.Path, "/") {
				// Pages link relative to their folder, which needs the slash.
				target := path.Base(r.URL.Path) + "/"
				if r.URL.RawQuery != "" {
					target += "?" + r.URL.RawQuery
				}
				http.Redirect(w, r, target, http.StatusMovedPermanently)
				return
			}
			name = path.Join(name, "index.html")
		}
	}
	if buildErr != nil && (name == "." || path.Ext(name) == ".html" || !strings.Contains(path.Base(name), ".")) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(http.StatusInternalServerError)
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Build failed</title></head><body><main><h1>The site did not build</h1><p>Fix the problem below and save: this page reloads by itself.</p><pre>%s</pre></main>%s</body></html>`,
			html.EscapeString(buildErr.Error()), reloadScript)
		return
	}
	if fsys == nil {
		http.NotFound(w, r)
		return
	}
	f, err := fsys.Open(name)
	if err != nil {
		http.NotFound(w, r)
		return
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	if path.Ext(name) != ".html" {
		if rs, ok := f.(io.ReadSeeker); ok {
			w.Header().Set("Cache-Control", "no-store")
			http.ServeContent(w, r, name, info.ModTime(), rs)
			return
		}
	}
	b, err := io.ReadAll(f)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	if path.Ext(name) == ".html" {
		if i := bytes.LastIndex(b, []byte("</body>")); i >= 0 {
			b = append(b[:i:i], append([]byte(reloadScript), b[i:]...)...)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
	}
	w.Header().Set("Cache-Control", "no-store")
	w.Write(b)
}

// loopbackHost reports whether a request's Host names this computer:
// localhost, or a loopback address (127.0.0.0/8, ::1), with or without a
// port.
func loopbackHost(host string) bool {
	h, _, err := net.SplitHostPort(host)
	if err != nil {
		h = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	}
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(h)
	return err == nil && ip.Unmap().IsLoopback()
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

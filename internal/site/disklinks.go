package site

import (
	"bytes"
	"os"
	"strings"
	"sync"

	"github.com/spf13/afero"
)

// rewriteLinks makes every relative link to a folder in a built page name
// the folder's index.html. A web server serves a folder's index.html
// itself; a browser opening the site from disk shows a folder listing
// instead, so the links end in the file. A link counts when it is the
// value of an href or src attribute that starts "./" or "../", holds no
// "?" or ":" before any fragment, and ends in a slash before it:
// "../agreements/" and "../../#top", not "../data/agreements.csv" or
// "https://example.org/".
//
// basePath is the path of the site's address ("evaluation/" for a baseURL
// of https://example.org/evaluation/), or "". Hugo's relative links keep it
// after their "../" steps ("../../evaluation/agreements/"), which from a page
// of the published site leads one folder too deep: it is taken out first,
// from srcset values too.
//
// It scans the page once for each of the two changes rather than using
// regular expressions: at 10,000 agreements the pages are hundreds of
// megabytes, and the scan is many times faster.
func rewriteLinks(b []byte, basePath string) []byte {
	if basePath != "" {
		b = dropBasePath(b, basePath)
	}
	var out []byte // nil until the first change
	last := 0
	for i := 0; i < len(b); i++ {
		n := attrAt(b, i, false)
		if n == 0 {
			continue
		}
		start := i + n // the value's first byte
		end := bytes.IndexByte(b[start:], '"')
		if end < 0 {
			break
		}
		end += start
		value := b[start:end]
		path, _, _ := bytes.Cut(value, []byte("#"))
		if !folderLink(path) {
			continue
		}
		cut := start + len(path) // where index.html goes
		if out == nil {
			out = make([]byte, 0, len(b)+len(b)/16)
		}
		out = append(out, b[last:cut]...)
		out = append(out, "index.html"...)
		last = cut
		i = end
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// attrAt returns the length of ` href="` or ` src="` (and ` srcset="`
// when srcset is true) at b[i:], led by any white space, or 0.
func attrAt(b []byte, i int, srcset bool) int {
	switch b[i] {
	case ' ', '\t', '\n', '\f', '\r':
	default:
		return 0
	}
	rest := b[i+1:]
	for _, name := range [...]string{`href="`, `src="`, `srcset="`} {
		if name == `srcset="` && !srcset {
			continue
		}
		if bytes.HasPrefix(rest, []byte(name)) {
			return 1 + len(name)
		}
	}
	return 0
}

// folderLink reports whether a link's path (before any fragment) is a
// relative link to a folder.
func folderLink(p []byte) bool {
	if !bytes.HasPrefix(p, []byte("./")) && !bytes.HasPrefix(p, []byte("../")) {
		return false
	}
	return p[len(p)-1] == '/' && !bytes.ContainsAny(p, "?:")
}

// dropBasePath takes basePath out of relative links that keep it after
// their "./" or "../" steps.
func dropBasePath(b []byte, basePath string) []byte {
	var out []byte
	last := 0
	for i := 0; i < len(b); i++ {
		n := attrAt(b, i, true)
		if n == 0 {
			continue
		}
		start := i + n
		steps := 0 // the length of "./" or of one or more "../"
		if bytes.HasPrefix(b[start:], []byte("./")) {
			steps = 2
		} else {
			for bytes.HasPrefix(b[start+steps:], []byte("../")) {
				steps += 3
			}
		}
		at := start + steps
		if steps == 0 || !bytes.HasPrefix(b[at:], []byte(basePath)) {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b))
		}
		out = append(out, b[last:at]...)
		last = at + len(basePath)
		i = last - 1
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// linkingFs is the file system Hugo publishes into: each HTML page it
// writes has its links rewritten (see rewriteLinks) as it is closed, so
// that no page is read back from disk after the build, and a partial build
// of the preview touches only the pages Hugo rendered again.
type linkingFs struct {
	afero.Fs
	basePath string
	page     func() // called as each page is created, or nil
}

func (l linkingFs) Create(name string) (afero.File, error) {
	return l.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o666)
}

func (l linkingFs) OpenFile(name string, flag int, perm os.FileMode) (afero.File, error) {
	f, err := l.Fs.OpenFile(name, flag, perm)
	if err != nil || !strings.HasSuffix(name, ".html") || flag&(os.O_WRONLY|os.O_RDWR) == 0 {
		return f, err
	}
	if l.page != nil && flag&os.O_CREATE != 0 {
		l.page()
	}
	return &linkingFile{File: f, basePath: l.basePath}, nil
}

// linkingFile holds a page's bytes until it is closed, then writes them
// with their links rewritten.
type linkingFile struct {
	afero.File
	basePath string
	mu       sync.Mutex
	buf      bytes.Buffer
}

func (f *linkingFile) Write(p []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buf.Write(p)
}

func (f *linkingFile) WriteString(s string) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.buf.WriteString(s)
}

func (f *linkingFile) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if _, err := f.File.Write(rewriteLinks(f.buf.Bytes(), f.basePath)); err != nil {
		f.File.Close()
		return err
	}
	return f.File.Close()
}

package deploy

import (
	"net/http"
	"path"
	"regexp"
	"strings"
)

// The cache lifetimes evalsite gives files no matcher sets one for.
const (
	// CacheFingerprinted is for files whose name carries a hash of their
	// content: a new content is a new name, so a copy never goes stale.
	CacheFingerprinted = "public, max-age=31536000, immutable"
	// CacheShort is for everything else: pages, metrics.json, the downloads
	// and the charts keep their names from one release to the next, so a
	// correction must reach readers within minutes.
	CacheShort = "public, max-age=300, must-revalidate"
)

// fingerprinted matches a file name with a hex digest between dots, as
// Hugo's fingerprinting writes them (evalsite.<sha256>.css).
var fingerprinted = regexp.MustCompile(`\.[0-9a-f]{32,}\.[A-Za-z0-9]+$`)

// contentTypes are the types evalsite sets by extension. They are fixed here
// rather than taken from the system's MIME tables, which differ from one
// machine to the next, so that every machine deploys the same headers.
var contentTypes = map[string]string{
	".html":        "text/html; charset=utf-8",
	".css":         "text/css; charset=utf-8",
	".js":          "text/javascript; charset=utf-8",
	".mjs":         "text/javascript; charset=utf-8",
	".json":        "application/json",
	".webmanifest": "application/manifest+json",
	".csv":         "text/csv; charset=utf-8",
	".txt":         "text/plain; charset=utf-8",
	".md":          "text/markdown; charset=utf-8",
	".xml":         "application/xml",
	".qdc":         "application/xml",
	".qdpx":        "application/zip",
	".zip":         "application/zip",
	".xlsx":        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	".pdf":         "application/pdf",
	".svg":         "image/svg+xml",
	".png":         "image/png",
	".jpg":         "image/jpeg",
	".jpeg":        "image/jpeg",
	".gif":         "image/gif",
	".webp":        "image/webp",
	".ico":         "image/vnd.microsoft.icon",
	".woff":        "font/woff",
	".woff2":       "font/woff2",
	".wasm":        "application/wasm",
}

// contentTypesByName are the types of files known by their whole name.
var contentTypesByName = map[string]string{
	"SHA256SUMS": "text/plain; charset=utf-8",
}

// headers are what the store serves a file with.
type headers struct {
	ContentType     string
	CacheControl    string
	ContentEncoding string
	Gzip            bool
	Force           bool
}

// headersFor returns the headers of the file at the slash-separated path p:
// the first matcher that matches p sets what it sets; the rest comes from
// evalsite's defaults. head is the start of the file, to recognise the type
// of a file whose extension is not known.
func headersFor(matchers []Matcher, p string, head []byte) headers {
	var h headers
	for _, m := range matchers {
		if m.re.MatchString(p) {
			h = headers{
				ContentType:     m.ContentType,
				CacheControl:    m.CacheControl,
				ContentEncoding: m.ContentEncoding,
				Gzip:            m.Gzip,
				Force:           m.Force,
			}
			break
		}
	}
	if h.Gzip {
		h.ContentEncoding = "gzip"
	}
	if h.ContentType == "" {
		h.ContentType = defaultContentType(p, head)
	}
	if h.CacheControl == "" {
		h.CacheControl = defaultCacheControl(p)
	}
	return h
}

func defaultContentType(p string, head []byte) string {
	base := path.Base(p)
	if t, ok := contentTypesByName[base]; ok {
		return t
	}
	if t, ok := contentTypes[strings.ToLower(path.Ext(base))]; ok {
		return t
	}
	// The same sniffing rules on every machine, unlike the MIME tables.
	return http.DetectContentType(head)
}

func defaultCacheControl(p string) string {
	if fingerprinted.MatchString(path.Base(p)) {
		return CacheFingerprinted
	}
	return CacheShort
}

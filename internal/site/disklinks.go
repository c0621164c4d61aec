package site

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
)

// folderLinkRE matches a relative link or source that names a folder
// ("../agreements/", "./", "../../#top"): no scheme, not protocol-relative,
// ending in a slash before any fragment.
var folderLinkRE = regexp.MustCompile(`(\s(?:href|src)=")((?:\.\.?/)(?:[^"#?:]*/)?)(#[^"]*)?"`)

// linkIndexFiles makes every relative link to a folder in the built pages
// name the folder's index.html. A web server serves a folder's index.html
// itself; a browser opening the site from disk shows a folder listing
// instead, so the links end in the file.
//
// basePath is the path of the site's address ("evaluation/" for a baseURL
// of https://example.org/evaluation/), or "". Hugo's relative links keep it
// after their "../" steps ("../../evaluation/agreements/"), which from a page
// of the published site leads one folder too deep: it is taken out.
func linkIndexFiles(dir, basePath string) error {
	var baseRE *regexp.Regexp
	if basePath != "" {
		baseRE = regexp.MustCompile(`(\s(?:href|src|srcset)=")((?:\./|(?:\.\./)+))` + regexp.QuoteMeta(basePath))
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := b
		if baseRE != nil {
			out = baseRE.ReplaceAll(out, []byte(`${1}${2}`))
		}
		out = folderLinkRE.ReplaceAll(out, []byte(`${1}${2}index.html${3}"`))
		if bytes.Equal(out, b) {
			return nil
		}
		return os.WriteFile(p, out, 0o644)
	})
}

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
func linkIndexFiles(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || filepath.Ext(p) != ".html" {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out := folderLinkRE.ReplaceAll(b, []byte(`${1}${2}index.html${3}"`))
		if bytes.Equal(out, b) {
			return nil
		}
		return os.WriteFile(p, out, 0o644)
	})
}

package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/evalsite/evalsite/internal/release"
)

// OutDirError is a refusal to publish into a folder: the folder is, holds or
// lies inside one of the site's inputs, or it holds files evalsite did not
// write. Nothing has been written or removed when it is returned.
type OutDirError struct {
	Out    string // the output folder as given
	Reason string // what is wrong with it, as a clause: "is the data folder data"
	Advice string // what to do instead
}

func (e *OutDirError) Error() string {
	return fmt.Sprintf("will not write the site into %s: it %s; %s", e.Out, e.Reason, e.Advice)
}

const chooseAnother = "choose another --out, such as a new folder named public"

// checkOutDir decides whether the site may be published at opt.OutDir and
// returns the folder's real path, with every symbolic link resolved, which
// is where the build must put it. The output may be neither an input of the
// build nor a folder that holds one, since publishing replaces the whole
// folder; and an existing folder is replaced only when it is empty or a
// site evalsite built.
func checkOutDir(opt Options) (string, error) {
	out, err := realPath(opt.OutDir)
	if err != nil {
		return "", fmt.Errorf("output folder %s: %w", opt.OutDir, err)
	}
	refuse := func(reason, advice string) (string, error) {
		return "", &OutDirError{Out: opt.OutDir, Reason: reason, Advice: advice}
	}
	root, err := realPath(opt.Root)
	if err != nil {
		return "", fmt.Errorf("site folder %s: %w", opt.Root, err)
	}
	switch {
	case out == root:
		return refuse("is the site folder "+opt.Root, chooseAnother)
	case within(out, root):
		return refuse("holds the site folder "+opt.Root, chooseAnother)
	}
	for _, in := range inputs(opt) {
		p, err := realPath(in.path)
		if err != nil {
			return "", fmt.Errorf("%s %s: %w", in.what, in.path, err)
		}
		switch {
		case out == p:
			return refuse("is "+in.what+" "+in.path, chooseAnother)
		case within(out, p):
			return refuse("holds "+in.what+" "+in.path, chooseAnother)
		case within(p, out):
			return refuse("lies inside "+in.what+" "+in.path, chooseAnother)
		}
	}
	info, err := os.Lstat(out)
	if errors.Is(err, fs.ErrNotExist) {
		return out, nil
	}
	if err != nil {
		return "", fmt.Errorf("output folder %s: %w", opt.OutDir, err)
	}
	if !info.IsDir() {
		return refuse("is a file, not a folder", "remove it yourself or "+chooseAnother)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return "", fmt.Errorf("output folder %s: %w", opt.OutDir, err)
	}
	if len(entries) == 0 {
		return out, nil
	}
	if _, err := release.Read(out); err != nil {
		if !errors.Is(err, release.ErrNoMark) {
			return "", fmt.Errorf("output folder %s: %w", opt.OutDir, err)
		}
		return refuse("holds files that evalsite did not write (it has no "+release.MarkName+")",
			"if it is a site from an older evalsite, remove it yourself; otherwise "+chooseAnother)
	}
	return out, nil
}

// input is a file or folder the build reads.
type input struct{ what, path string }

// inputs lists what a build reads from the site, all of which publishing
// must leave alone.
func inputs(opt Options) []input {
	return []input{
		{"the data folder", opt.DataDir},
		{"the content folder", opt.ContentDir},
		{"the layouts folder", filepath.Join(opt.Root, "layouts")},
		{"the assets folder", filepath.Join(opt.Root, "assets")},
		{"the static folder", filepath.Join(opt.Root, "static")},
		{"the i18n folder", filepath.Join(opt.Root, "i18n")},
		{"the site configuration", filepath.Join(opt.Root, "hugo.toml")},
	}
}

// within reports whether p lies strictly inside dir; both are real paths.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// realPath returns the absolute path that p names, with every symbolic link
// resolved. Components are taken one at a time, as the system does, so that
// "link/.." is the parent of the link's target, not the folder holding the
// link. The part of p that does not exist yet is kept as written.
func realPath(p string) (string, error) {
	if p == "" {
		p = "."
	}
	if !filepath.IsAbs(p) {
		wd, err := os.Getwd()
		if err != nil {
			return "", err
		}
		wd, err = filepath.EvalSymlinks(wd)
		if err != nil {
			return "", err
		}
		p = wd + string(filepath.Separator) + p
	}
	vol := filepath.VolumeName(p)
	resolved := vol + string(filepath.Separator)
	missing := false
	for _, c := range strings.FieldsFunc(p[len(vol):], func(r rune) bool { return os.IsPathSeparator(uint8(r)) }) {
		switch c {
		case ".":
			continue
		case "..":
			resolved = filepath.Dir(resolved)
			continue
		}
		next := filepath.Join(resolved, c)
		if !missing {
			if _, err := os.Lstat(next); errors.Is(err, fs.ErrNotExist) {
				missing = true
			} else if err != nil {
				return "", err
			} else if next, err = filepath.EvalSymlinks(next); err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					return "", err
				}
				// A link to nothing: the system would create its target.
				missing = true
				next = filepath.Join(resolved, c)
			}
		}
		resolved = next
	}
	return resolved, nil
}

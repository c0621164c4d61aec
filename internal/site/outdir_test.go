package site_test

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalsite/evalsite"
	"github.com/evalsite/evalsite/internal/release"
	"github.com/evalsite/evalsite/internal/site"
	"github.com/google/go-cmp/cmp"
)

// listing records every file and folder under dir, with the contents of
// files and the targets of links, so that any change shows.
func listing(t *testing.T, dir string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			got[rel] = "link " + target
			return err
		case d.IsDir():
			got[rel] = "folder"
		default:
			b, err := os.ReadFile(p)
			got[rel] = string(b)
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestBuildRefusesOutFolderItMustNotReplace(t *testing.T) {
	// base/site is a site folder; base/inputs/data a data folder outside it.
	base := t.TempDir()
	root := newSite(t)
	if err := os.Rename(root, filepath.Join(base, "site")); err != nil {
		t.Fatal(err)
	}
	root = filepath.Join(base, "site")
	outside := filepath.Join(base, "inputs", "data")
	copyTree(t, filepath.Join(root, "data"), outside)
	mkfile := func(name, text string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	mkfile(filepath.Join(base, "documents", "notes.txt"), "my own notes")
	mkfile(filepath.Join(root, "public", "index.html"), "a site from an older evalsite, with no mark")
	mkfile(filepath.Join(base, "fake", release.MarkName), `{"generator":"someone else"}`)
	mkfile(filepath.Join(base, "afile"), "a file")
	if err := os.Symlink(filepath.Join(root, "data"), filepath.Join(base, "link-to-data")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(root, filepath.Join(base, "link-to-site")); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name     string
		chdir    string // run from this folder; default base
		root     string // relative to the folder run from
		data     string
		out      string
		contains string // in the error
	}{
		{name: "the data folder", root: "site", out: "site/data", contains: "is the data folder"},
		{name: "the data folder through ..", root: "site", out: "site/content/../data", contains: "is the data folder"},
		{name: "the data folder through a link", root: "site", out: "link-to-data", contains: "is the data folder"},
		{name: "inside the data folder", root: "site", out: "site/data/public", contains: "lies inside the data folder"},
		{name: "the content folder", root: "site", out: "site/content", contains: "is the content folder"},
		{name: "inside the content folder", root: "site", out: "site/content/report/public", contains: "lies inside the content folder"},
		{name: "the site root", root: "site", out: "site", contains: "is the site folder"},
		{name: "the site root as data/..", root: "site", out: "site/data/..", contains: "is the site folder"},
		{name: "the site root through a link", root: "site", out: "link-to-site/", contains: "is the site folder"},
		{name: "dot in the site folder", chdir: "site", root: ".", out: ".", contains: "is the site folder"},
		{name: "the parent of the site", root: "site", out: ".", contains: "holds the site folder"},
		{name: "the parent of the data folder", root: "site", data: "inputs/data", out: "inputs", contains: "holds the data folder"},
		{name: "the configuration", root: "site", out: "site/hugo.toml", contains: "is the site configuration"},
		{name: "a folder of documents", root: "site", out: "documents", contains: "evalsite did not write"},
		{name: "an old site without a mark", chdir: "site", root: ".", out: "public", contains: "remove it yourself"},
		{name: "a mark that is not evalsite's", root: "site", out: "fake", contains: "evalsite did not write"},
		{name: "a file", root: "site", out: "afile", contains: "is a file"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := base
			if tc.chdir != "" {
				dir = filepath.Join(base, tc.chdir)
			}
			t.Chdir(dir)
			before := listing(t, base)
			opt := site.Options{Root: tc.root, DataDir: tc.data, OutDir: tc.out, Theme: evalsite.Theme()}
			_, err := site.Build(t.Context(), opt)
			var oe *site.OutDirError
			if !errors.As(err, &oe) {
				t.Fatalf("Build(out %q) = %v, want an *OutDirError", tc.out, err)
			}
			if oe.Out != tc.out {
				t.Errorf("OutDirError.Out = %q, want %q", oe.Out, tc.out)
			}
			if !strings.Contains(err.Error(), tc.contains) {
				t.Errorf("Build(out %q) = %q, want it to say %q", tc.out, err, tc.contains)
			}
			if diff := cmp.Diff(before, listing(t, base)); diff != "" {
				t.Errorf("a refused build changed files (-before +after):\n%s", diff)
			}
		})
	}
}

func TestBuildReplacesOnlyItsOwnOrEmptyFolders(t *testing.T) {
	root := newSite(t)
	base := t.TempDir()
	// An empty folder, and a link to it: both may become the site.
	empty := filepath.Join(base, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(base, "link")
	if err := os.Symlink(empty, link); err != nil {
		t.Fatal(err)
	}
	if _, err := build(t, root, link); err != nil {
		t.Fatalf("Build into a link to an empty folder: %v", err)
	}
	if target, err := os.Readlink(link); err != nil || target != empty {
		t.Errorf("the link is now %q (%v), want it kept, pointing at %s", target, err, empty)
	}
	m, err := release.Read(empty)
	if err != nil {
		t.Fatalf("the built site has no mark: %v", err)
	}
	if m.Generator != release.Generator || m.Title == "" {
		t.Errorf("mark = %+v, want evalsite's, with the evaluation's title", m)
	}
	// The site is evalsite's now: a second build replaces it.
	if _, err := build(t, root, link); err != nil {
		t.Fatalf("second Build into the same folder: %v", err)
	}
	entries, _ := os.ReadDir(base)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if diff := cmp.Diff([]string{"empty", "link"}, names); diff != "" {
		t.Errorf("folders beside the output after two builds (-want +got):\n%s", diff)
	}
}

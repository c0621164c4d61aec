package site

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/fsnotify/fsnotify"
)

// watcher follows changes to the inputs of a site: every folder under the
// watched folders, including ones made later, and the folder holding each
// watched path, which sees a file such as hugo.toml replaced by an editor's
// rename, and a watched folder made or removed.
type watcher struct {
	fw    *fsnotify.Watcher
	paths []string // absolute
}

func newWatcher(paths []string) (*watcher, error) {
	fw, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	w := &watcher{fw: fw}
	for _, p := range paths {
		abs, err := filepath.Abs(p)
		if err != nil {
			fw.Close()
			return nil, err
		}
		w.paths = append(w.paths, abs)
	}
	w.addAll()
	return w, nil
}

func (w *watcher) close() { w.fw.Close() }

// addAll watches every watched path and its parent. Paths that do not exist
// are skipped: their parent sees them appear.
func (w *watcher) addAll() {
	for _, p := range w.paths {
		w.fw.Add(filepath.Dir(p))
		w.addTree(p)
	}
}

// addTree watches dir and every folder under it, leaving out hidden ones
// (.git and the like), whose changes are not inputs.
func (w *watcher) addTree(dir string) {
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return nil
		}
		if p != dir && ignored(d.Name()) {
			return filepath.SkipDir
		}
		w.fw.Add(p)
		return nil
	})
}

// handle takes one event and reports whether it changes an input. A folder
// made under a watched one is watched from now on.
func (w *watcher) handle(ev fsnotify.Event) bool {
	if ignored(filepath.Base(ev.Name)) || !w.covers(ev.Name) {
		return false
	}
	if ev.Has(fsnotify.Create) {
		if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
			w.addTree(ev.Name)
		}
	}
	return ev.Op != fsnotify.Chmod
}

// covers reports whether name is a watched path or lies under one.
func (w *watcher) covers(name string) bool {
	for _, p := range w.paths {
		if name == p || strings.HasPrefix(name, p+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

// ignored reports whether a file or folder name is never an input: hidden
// names (an editor's swap file, a tool's temporary file before it is
// renamed into place) and the lock files of spreadsheet programs.
func ignored(name string) bool {
	return strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$")
}

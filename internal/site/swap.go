package site

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/evalsite/evalsite/internal/release"
)

// buildingName is the file a build puts in its temporary folder as soon as
// it makes it. With the mark a finished site carries, it is how a later
// build proves that a folder left beside the output is one of its own.
const buildingName = ".evalsite-building"

// errNoExchange says the system cannot exchange two folders in one step.
var errNoExchange = errors.New("folders cannot be exchanged atomically here")

// Names of the temporary folders beside the output folder out.
func newPrefix(out string) string { return "." + filepath.Base(out) + ".new-" }
func oldPrefix(out string) string { return "." + filepath.Base(out) + ".old-" }

// buildFolder is the temporary folder a build writes the site into, beside
// the output so that it can be renamed into place.
type buildFolder struct {
	dir    string
	unlock func()
}

// newBuildFolder makes the temporary folder for out, marks it as a build's
// and holds a lock on it that tells other builds it is in use.
func newBuildFolder(out string) (*buildFolder, error) {
	tmp, err := os.MkdirTemp(filepath.Dir(out), newPrefix(out))
	if err != nil {
		return nil, fmt.Errorf("make build folder: %w", err)
	}
	// MkdirTemp makes the folder private; a published site is world-readable.
	if err := os.Chmod(tmp, 0o755); err != nil {
		os.Remove(tmp)
		return nil, err
	}
	unlock, err := lockDir(tmp)
	if err != nil {
		os.Remove(tmp)
		return nil, fmt.Errorf("lock build folder: %w", err)
	}
	if err := os.WriteFile(filepath.Join(tmp, buildingName), nil, 0o644); err != nil {
		unlock()
		os.Remove(tmp)
		return nil, fmt.Errorf("make build folder: %w", err)
	}
	return &buildFolder{dir: tmp, unlock: unlock}, nil
}

// finish turns the folder into a finished site: the mark goes in before the
// building file comes out, so that the folder is provably evalsite's at
// every instant.
func (b *buildFolder) finish(m release.Mark) error {
	if err := release.Write(b.dir, m); err != nil {
		return fmt.Errorf("mark the site: %w", err)
	}
	return os.Remove(filepath.Join(b.dir, buildingName))
}

// discard removes the folder, whatever it holds now: the build made it, and
// after an exchange it holds the previous site.
func (b *buildFolder) discard() {
	if b.unlock == nil {
		return
	}
	os.RemoveAll(b.dir)
	b.unlock()
	b.unlock = nil
}

// swapStep names the moments of a swap, for tests that stop a build there.
type swapStep string

const (
	stepBuilt      swapStep = "built"       // the site is complete in its temporary folder, not yet marked
	stepMarked     swapStep = "marked"      // the site is marked and about to be swapped in
	stepMovedAside swapStep = "moved-aside" // two renames: the previous site is aside, the new one not yet in place
	stepSwapped    swapStep = "swapped"     // the new site is in place; the previous one is still beside it
	stepDone       swapStep = "done"        // the previous site is gone
)

// swapOptions are for tests: hook is called at each step, and twoRenames
// makes swap use the fallback even where an exchange is possible.
type swapOptions struct {
	hook       func(swapStep)
	twoRenames bool
}

func (o *swapOptions) at(s swapStep) {
	if o != nil && o.hook != nil {
		o.hook(s)
	}
}

// swap puts the finished site in tmp at out. Where the system can exchange
// two folders in one step, it does, so out always holds a whole site: the
// previous one or the new one. Elsewhere the previous site is renamed aside
// and the new one renamed into its place; a build killed between the two
// finds the previous site aside and puts it back (see cleanLeftovers).
func swap(tmp, out string, so *swapOptions) error {
	if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(tmp, out); err != nil {
			return fmt.Errorf("move new site into place: %w", err)
		}
		so.at(stepSwapped)
		return nil
	} else if err != nil {
		return err
	}
	if so == nil || !so.twoRenames {
		err := exchange(tmp, out)
		if err == nil {
			// tmp now holds the previous site, removed by the caller.
			so.at(stepSwapped)
			return nil
		}
		if !errors.Is(err, errNoExchange) {
			return fmt.Errorf("swap new site into place: %w", err)
		}
	}
	o, err := os.MkdirTemp(filepath.Dir(out), oldPrefix(out))
	if err != nil {
		return err
	}
	old := filepath.Join(o, "site")
	if err := os.Rename(out, old); err != nil {
		os.Remove(o)
		return fmt.Errorf("move previous site aside: %w", err)
	}
	so.at(stepMovedAside)
	if err := os.Rename(tmp, out); err != nil {
		// Put the previous site back.
		if rerr := os.Rename(old, out); rerr == nil {
			os.Remove(o)
		}
		return fmt.Errorf("move new site into place: %w", err)
	}
	so.at(stepSwapped)
	return os.RemoveAll(o)
}

// cleanLeftovers deals with the temporary folders that killed builds left
// beside out. A previous site that a build killed mid-swap left aside is put
// back when out is missing. Other folders are removed only when they are
// provably a build's own and no running build holds them: empty, or holding
// the building file or a site's mark. Anything else is left alone.
func cleanLeftovers(out string) error {
	parent := filepath.Dir(out)
	entries, err := os.ReadDir(parent)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var news, olds []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		switch name := e.Name(); {
		case strings.HasPrefix(name, newPrefix(out)):
			news = append(news, filepath.Join(parent, name))
		case strings.HasPrefix(name, oldPrefix(out)):
			olds = append(olds, filepath.Join(parent, name))
		}
	}
	sort.Strings(olds)
	for _, o := range olds {
		site := filepath.Join(o, "site")
		if !onlyEntry(o, "site") {
			if isEmpty(o) {
				os.Remove(o)
			}
			continue
		}
		if !isEmpty(site) {
			if _, err := release.Read(site); err != nil {
				continue
			}
		}
		if _, err := os.Lstat(out); errors.Is(err, fs.ErrNotExist) {
			if err := os.Rename(site, out); err != nil {
				return fmt.Errorf("put back the previous site from %s: %w", o, err)
			}
		}
		if err := os.RemoveAll(o); err != nil {
			return err
		}
	}
	for _, n := range news {
		unlock, err := tryLockDir(n)
		if err != nil {
			continue // a running build holds it, or it cannot be told
		}
		_, building := os.Lstat(filepath.Join(n, buildingName))
		_, marked := release.Read(n)
		if building == nil || marked == nil || isEmpty(n) {
			err = os.RemoveAll(n)
		}
		unlock()
		if err != nil {
			return err
		}
	}
	return nil
}

func isEmpty(dir string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) == 0
}

func onlyEntry(dir, name string) bool {
	entries, err := os.ReadDir(dir)
	return err == nil && len(entries) == 1 && entries[0].Name() == name && entries[0].IsDir()
}

package site

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"regexp"
	"strings"
	"sync"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"
)

// srcRoot is the working directory of the virtual source tree Hugo builds from.
// Nothing of the user's folders is written: their files are copied into memory.
const srcRoot = "/site"

// themeName is the folder under themes/ holding the embedded default theme.
const themeName = "evalsite"

// source is the in-memory tree Hugo reads: the site configuration, the user's
// content and layouts, the embedded theme, and the data generated for this build.
type source struct {
	fs afero.Fs
}

func newSource() *source { return &source{fs: afero.NewMemMapFs()} }

// write puts one file into the tree, at a slash-separated path relative to its root.
func (s *source) write(name string, data []byte) error {
	p := path.Join(srcRoot, name)
	if err := s.fs.MkdirAll(path.Dir(p), 0o755); err != nil {
		return err
	}
	return afero.WriteFile(s.fs, p, data, 0o644)
}

// exists reports whether the tree holds a file at a slash-separated path.
func (s *source) exists(name string) bool {
	_, err := s.fs.Stat(path.Join(srcRoot, name))
	return err == nil
}

// iofs returns the tree as an fs.FS rooted at its working directory.
func (s *source) iofs() fs.FS { return afero.NewIOFS(afero.NewBasePathFs(s.fs, srcRoot)) }

// copyFS copies every regular file of fsys under prefix in the tree.
func (s *source) copyFS(fsys fs.FS, prefix string) error {
	return fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !d.Type().IsRegular() {
			return nil
		}
		b, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		return s.write(path.Join(prefix, p), b)
	})
}

// copyDir copies a folder of the user's from disk, if it exists.
func (s *source) copyDir(dir, prefix string) error {
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err := s.copyFS(os.DirFS(dir), prefix); err != nil {
		return fmt.Errorf("read %s: %w", dir, err)
	}
	return nil
}

// hugoConfig loads the site configuration from the tree, with the settings
// evalsite relies on forced over whatever the user wrote.
func (s *source) hugoConfig(publishDir string, withTheme bool, logger loggers.Logger) (*allconfig.Configs, error) {
	flags := config.New()
	flags.Set("workingDir", srcRoot)
	flags.Set("publishDir", publishDir)
	if withTheme {
		flags.Set("theme", []string{themeName})
	}
	flags.Set("noBuildLock", true)
	flags.Set("enableGitInfo", false)
	flags.Set("buildFuture", true)
	flags.Set("buildExpired", true)
	// Pages link to each other relatively, so that the site works from any
	// folder, from a file:// URL and under any path on a server.
	flags.Set("relativeURLs", true)
	// evalsite makes no taxonomies, and feeds and sitemaps need a baseURL
	// that a site opened from disk does not have.
	flags.Set("disableKinds", []string{"taxonomy", "term", "rss", "sitemap", "robotstxt", "404"})
	res, err := allconfig.LoadConfig(allconfig.ConfigSourceDescriptor{
		Fs:     s.fs,
		Flags:  flags,
		Logger: logger,
		// An explicit, empty environment: HUGO_* variables of the shell must not
		// change what is published.
		Environ:     []string{},
		Environment: "production",
		Filename:    path.Join(srcRoot, "hugo.toml"),
	})
	if err != nil {
		return nil, fmt.Errorf("load site configuration: %w", err)
	}
	return res, nil
}

// hugoLogger returns a Hugo logger that writes warnings and errors to w.
func hugoLogger(w io.Writer) loggers.Logger {
	if w == nil {
		w = io.Discard
	}
	return loggers.New(loggers.Options{
		Level:         logg.LevelWarn,
		StdOut:        w,
		StdErr:        w,
		DistinctLevel: logg.LevelWarn,
	})
}

// runHugo builds the tree into publishDir on disk.
func (s *source) runHugo(cfg *allconfig.Configs, publishDir string, logger loggers.Logger) error {
	p := config.New()
	p.Set("workingDir", srcRoot)
	p.Set("publishDir", publishDir)
	hfs := hugofs.NewFromSourceAndDestination(s.fs, afero.NewOsFs(), p)
	// Hugo logs template errors (errorf in a shortcode) and then fails with
	// only "logged N error(s)": keep the logged lines to report them.
	logged := &errorLines{w: logger.StdErr()}
	sites, err := hugolib.NewHugoSites(deps.DepsCfg{
		Configs:  cfg,
		Fs:       hfs,
		LogLevel: logger.Level(),
		StdErr:   logged,
		StdOut:   logged,
	})
	if err != nil {
		return cleanHugoError(fmt.Errorf("prepare site: %w", err))
	}
	// Close releases what Hugo keeps per page; without it every rebuild in
	// one process (serve) grows.
	defer sites.Close()
	if err := sites.Build(hugolib.BuildCfg{NoBuildLock: true}); err != nil {
		if lines := logged.String(); lines != "" {
			err = &hugoError{msg: lines, err: err}
		}
		return cleanHugoError(err)
	}
	return nil
}

// errorLines passes Hugo's log through to w, keeping its ERROR lines.
type errorLines struct {
	w     io.Writer
	mu    sync.Mutex
	lines []string
}

func (e *errorLines) Write(b []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	var pass []byte
	for line := range strings.Lines(string(b)) {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(line), "ERROR "); ok {
			e.lines = append(e.lines, strings.TrimSpace(rest))
			continue
		}
		pass = append(pass, line...)
	}
	if _, err := e.w.Write(pass); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (e *errorLines) String() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return strings.Join(e.lines, "\n")
}

// cleanHugoError removes the virtual root from paths in Hugo's messages so
// that they name files as the user knows them ("content/report/timing.md:12:3").
func cleanHugoError(err error) error {
	msg := err.Error()
	msg = quotedPathRE.ReplaceAllString(msg, "$1")
	msg = strings.ReplaceAll(msg, srcRoot+"/themes/"+themeName+"/", "(theme) ")
	msg = strings.ReplaceAll(msg, srcRoot+"/", "")
	if msg == err.Error() {
		return err
	}
	return &hugoError{msg: msg, err: err}
}

// quotedPathRE matches a quoted file position in the virtual tree.
var quotedPathRE = regexp.MustCompile(`"` + srcRoot + `/([^"]+)"`)

type hugoError struct {
	msg string
	err error
}

func (e *hugoError) Error() string { return e.msg }
func (e *hugoError) Unwrap() error { return e.err }

// dirExists reports whether p is an existing folder.
func dirExists(p string) bool {
	fi, err := os.Stat(p)
	return err == nil && fi.IsDir()
}

// readIfExists reads a file, returning nil without error when it is absent.
func readIfExists(p string) ([]byte, error) {
	b, err := os.ReadFile(p)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	return b, err
}

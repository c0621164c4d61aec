package site

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/bep/logg"
	"github.com/gohugoio/hugo/common/hmaps"
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
	// onDisk maps a folder of the tree ("content") to the user's folder it
	// was copied from, so that errors name files as they are on disk.
	onDisk map[string]string
	// watch loads the configuration for a site Hugo builds again and again
	// (the preview), which Hugo refuses otherwise.
	watch bool
	// generated holds the files the generator wrote into the tree in this
	// build, with their hashes: the preview hands Hugo only those that
	// changed. owned holds every generated file still in the tree, from
	// this build or an earlier one, which the preview takes out once a
	// build no longer writes it; any other file is the user's.
	genMu     sync.Mutex
	generated map[string][sha256.Size]byte
	owned     map[string]bool
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

// writeGenerated puts a file the generator made into the tree and records
// it among this build's generated files. A file of the user's at the same
// path is an error: generated pages never hide a page the user wrote.
func (s *source) writeGenerated(name string, data []byte) error {
	if s.userHas(name) {
		return fmt.Errorf("%s: evalsite makes this file itself: rename or move yours", s.diskName(name))
	}
	s.genMu.Lock()
	if s.generated == nil {
		s.generated = map[string][sha256.Size]byte{}
	}
	if s.owned == nil {
		s.owned = map[string]bool{}
	}
	s.generated[name] = sha256.Sum256(data)
	s.owned[name] = true
	s.genMu.Unlock()
	return s.write(name, data)
}

// userHas reports whether the tree holds a file at name that the generator
// did not write.
func (s *source) userHas(name string) bool {
	s.genMu.Lock()
	owned := s.owned[name]
	s.genMu.Unlock()
	return !owned && s.exists(name)
}

// generatedFile reports whether the generator wrote the file at name.
func (s *source) generatedFile(name string) bool {
	s.genMu.Lock()
	defer s.genMu.Unlock()
	return s.owned[name]
}

// disown makes a generated file the user's: the user has written a file
// at its path, which the generator then leaves alone.
func (s *source) disown(name string) {
	s.genMu.Lock()
	defer s.genMu.Unlock()
	delete(s.owned, name)
	delete(s.generated, name)
}

// newGeneration starts a new record of the files the generator writes.
func (s *source) newGeneration() {
	s.genMu.Lock()
	defer s.genMu.Unlock()
	s.generated = map[string][sha256.Size]byte{}
}

// generation returns the generated files written since newGeneration, and
// takes out of the tree those of earlier builds it did not write again.
func (s *source) generation() (map[string][sha256.Size]byte, error) {
	s.genMu.Lock()
	defer s.genMu.Unlock()
	for name := range s.owned {
		if _, ok := s.generated[name]; ok {
			continue
		}
		if err := s.fs.Remove(path.Join(srcRoot, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
		delete(s.owned, name)
	}
	return maps.Clone(s.generated), nil
}

// exists reports whether the tree holds a file at a slash-separated path.
func (s *source) exists(name string) bool {
	_, err := s.fs.Stat(path.Join(srcRoot, name))
	return err == nil
}

// hasDir reports whether the tree holds a folder at a slash-separated path.
func (s *source) hasDir(name string) bool {
	fi, err := s.fs.Stat(path.Join(srcRoot, name))
	return err == nil && fi.IsDir()
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
	if s.onDisk == nil {
		s.onDisk = map[string]string{}
	}
	s.onDisk[prefix] = filepath.ToSlash(filepath.Clean(dir))
	return nil
}

// hugoConfig loads the site configuration from the tree, with the settings
// evalsite relies on forced over whatever the user wrote.
func (s *source) hugoConfig(publishDir string, withTheme bool, logger loggers.Logger) (*allconfig.Configs, error) {
	// A sitemap needs the site's address; without a baseURL the site is
	// made to be opened from any folder or a file:// URL, and has none.
	disable := []string{"taxonomy", "term", "rss", "sitemap", "robotstxt"}
	cfg, err := s.loadHugoConfig(publishDir, withTheme, disable, logger)
	if err != nil || !absoluteBaseURL(cfg.Base.BaseURL) {
		return cfg, err
	}
	return s.loadHugoConfig(publishDir, withTheme, []string{"taxonomy", "term", "rss"}, logger)
}

// basePath is the path of an absolute baseURL without its leading slash
// ("evaluation/"), or "".
func basePath(baseURL string) string {
	if !absoluteBaseURL(baseURL) {
		return ""
	}
	u, err := url.Parse(baseURL)
	if err != nil {
		return ""
	}
	p := strings.TrimPrefix(u.Path, "/")
	if p != "" && !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return p
}

// absoluteBaseURL reports whether a baseURL names a site's address
// ("https://example.org/evaluation/"), not just a path.
func absoluteBaseURL(u string) bool {
	return strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")
}

func (s *source) loadHugoConfig(publishDir string, withTheme bool, disableKinds []string, logger loggers.Logger) (*allconfig.Configs, error) {
	flags := config.New()
	flags.Set("workingDir", srcRoot)
	flags.Set("publishDir", publishDir)
	if withTheme {
		flags.Set("theme", []string{themeName})
	}
	flags.Set("noBuildLock", true)
	if s.watch {
		flags.Set("internal", hmaps.Params{"watch": true})
	}
	flags.Set("enableGitInfo", false)
	flags.Set("buildFuture", true)
	flags.Set("buildExpired", true)
	// Pages link to each other relatively, so that the site works from any
	// folder, from a file:// URL and under any path on a server.
	flags.Set("relativeURLs", true)
	// evalsite makes no taxonomies or feeds.
	flags.Set("disableKinds", disableKinds)
	// The search page's index is a script that sets a variable, not JSON:
	// a page opened from disk may load a script but not fetch a file.
	flags.Set("outputFormats", map[string]any{
		"searchindex": map[string]any{"mediaType": "text/javascript", "baseName": "index", "isPlainText": true, "notAlternative": true},
	})
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

// runHugo builds the tree into publishDir on disk. pageWritten, if not
// nil, is called as each HTML file is created, from Hugo's goroutines.
func (s *source) runHugo(cfg *allconfig.Configs, publishDir string, logger loggers.Logger, pageWritten func()) error {
	p := config.New()
	p.Set("workingDir", srcRoot)
	p.Set("publishDir", publishDir)
	dest := linkingFs{Fs: afero.NewOsFs(), basePath: basePath(cfg.Base.BaseURL), page: pageWritten}
	hfs := hugofs.NewFromSourceAndDestination(s.fs, dest, p)
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
		return s.cleanHugoError(fmt.Errorf("prepare site: %w", err))
	}
	// Close releases what Hugo keeps per page; without it every rebuild in
	// one process (serve) grows.
	defer sites.Close()
	if err := sites.Build(hugolib.BuildCfg{NoBuildLock: true}); err != nil {
		if lines := logged.String(); lines != "" {
			err = &hugoError{msg: lines, err: err}
		}
		return s.cleanHugoError(err)
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

// reset forgets the lines kept, before another build.
func (e *errorLines) reset() {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.lines = nil
}

func (e *errorLines) String() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return strings.Join(e.lines, "\n")
}

// cleanHugoError rewrites Hugo's messages for the author: paths in the
// virtual tree become the files as they are on disk
// ("site/content/report/timing.md:12:3"), the theme's files are marked, and
// the phrases that name Hugo's internal steps are left out.
func (s *source) cleanHugoError(err error) error {
	msg := err.Error()
	msg = quotedPathRE.ReplaceAllString(msg, srcRoot+"/$1")
	for _, prefix := range slices.Sorted(maps.Keys(s.onDisk)) {
		msg = strings.ReplaceAll(msg, srcRoot+"/"+prefix+"/", s.onDisk[prefix]+"/")
	}
	msg = strings.ReplaceAll(msg, srcRoot+"/themes/"+themeName+"/", "(theme) ")
	msg = strings.ReplaceAll(msg, srcRoot+"/", "")
	for _, re := range hugoPhraseREs {
		msg = re.ReplaceAllString(msg, "")
	}
	if msg == err.Error() {
		return err
	}
	return &hugoError{msg: msg, err: err}
}

// quotedPathRE matches a quoted file position in the virtual tree.
var quotedPathRE = regexp.MustCompile(`"` + srcRoot + `/([^"]+)"`)

// hugoPhraseREs match the parts of Hugo's messages that name its own steps
// and objects, which mean nothing to an author.
var hugoPhraseREs = []*regexp.Regexp{
	regexp.MustCompile(`assemble: failed to create page from pageMetaSource [^:]*: `),
	regexp.MustCompile(`render: \[[^\]]*\] failed to render pages: `),
	regexp.MustCompile(`(process|build): logged \d+ error\(s\)`),
}

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

// diskName names a file of the tree as it is on the user's disk, where it
// was copied from there.
func (s *source) diskName(name string) string {
	for prefix, dir := range s.onDisk {
		if rest, ok := strings.CutPrefix(name, prefix+"/"); ok {
			return path.Join(dir, rest)
		}
	}
	return name
}

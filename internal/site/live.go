package site

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
	"github.com/fsnotify/fsnotify"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config"
	"github.com/gohugoio/hugo/config/allconfig"
	"github.com/gohugoio/hugo/deps"
	"github.com/gohugoio/hugo/hugofs"
	"github.com/gohugoio/hugo/hugolib"
	"github.com/spf13/afero"
)

// live is a site kept in memory between builds, for the preview. Its first
// build is a whole one, into opt.OutDir in place. After that, an edit of
// the content, layouts, assets or translations is copied into the
// in-memory tree and handed to the same Hugo sites as a file event, so that
// Hugo renders again only the pages the file touches. An edit of the data
// reads the data and computes the figures again, draws only the charts
// whose input changed, and hands Hugo only the generated data files whose
// bytes changed. An edit of the configuration or of static/ builds the
// whole site again.
type live struct {
	opt  Options
	src  *source
	cfg  *allconfig.Configs
	ev   Evaluation
	hlog loggers.Logger

	logged *errorLines
	sites  *hugolib.HugoSites
	g      *generator           // the last generator that ran to the end
	charts map[string]chartMeta // charts drawn, by input hash, for the next data edit
	tables *ingest.Cache        // the data files as last read: a data edit reads again only the saved one
	whole  bool                 // the last whole build ended well: edits may be partial
	broken bool                 // the last build failed, which Hugo is told

	// pending are the file events Hugo has not yet built, kept over a
	// failed build; hashes are the generated files as Hugo last built them.
	pending []fsnotify.Event
	hashes  map[string][sha256.Size]byte
	// dataDirty says the data changed but did not make it to a build: the
	// next build reads it again whatever changed.
	dataDirty bool
}

// newLive builds the whole site into opt.OutDir, which it owns.
func newLive(ctx context.Context, opt Options) (*live, *Result, error) {
	l := &live{opt: opt.withDefaults(), charts: map[string]chartMeta{}}
	res, err := l.full(ctx)
	return l, res, err
}

// close releases Hugo's sites.
func (l *live) close() {
	if l.sites != nil {
		l.sites.Close()
		l.sites = nil
	}
}

// full builds everything again, as a first build does.
func (l *live) full(ctx context.Context) (*Result, error) {
	l.close()
	l.broken, l.whole, l.g, l.pending, l.dataDirty = true, false, nil, nil, false
	l.charts = map[string]chartMeta{} // the folder they were drawn in is emptied
	l.tables = ingest.NewCache()
	opt := l.opt
	out, err := filepath.Abs(opt.OutDir)
	if err != nil {
		return nil, err
	}
	// The preview folder is the server's own: emptied, never swapped.
	if err := os.RemoveAll(out); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	l.src = newSource()
	l.src.watch = true
	if err := l.src.assemble(opt); err != nil {
		return nil, err
	}
	l.hlog = hugoLogger(opt.HugoLog)
	if l.cfg, l.ev, err = loadConfig(l.src, opt, out, l.hlog); err != nil {
		return nil, err
	}
	res, err := l.generate(ctx)
	if err != nil {
		return res, err
	}
	p := config.New()
	p.Set("workingDir", srcRoot)
	p.Set("publishDir", out)
	l.logged = &errorLines{w: l.hlog.StdErr()}
	l.sites, err = hugolib.NewHugoSites(deps.DepsCfg{
		Configs:  l.cfg,
		Fs:       hugofs.NewFromSourceAndDestination(l.src.fs, linkingFs{Fs: afero.NewOsFs(), basePath: basePath(l.cfg.Base.BaseURL)}, p),
		LogLevel: l.hlog.Level(),
		StdErr:   l.logged,
		StdOut:   l.logged,
	})
	if err != nil {
		return nil, l.src.cleanHugoError(fmt.Errorf("prepare site: %w", err))
	}
	if l.hashes, err = l.src.generation(); err != nil {
		return nil, err
	}
	if err := l.hugo(nil); err != nil {
		return nil, err
	}
	if res, err = l.finish(res); err != nil {
		return nil, err
	}
	l.whole = true
	return res, nil
}

// generate reads the data, computes the figures and writes what the
// generator makes: data for Hugo in the tree, charts and downloads in the
// output folder.
func (l *live) generate(ctx context.Context) (*Result, error) {
	opt := l.opt
	data, err := ingest.Read(ctx, opt.DataDir, ingest.Options{Strict: opt.Strict, Logger: opt.Logger, QDPX: l.ev.QDPX, Cache: l.tables})
	if err != nil {
		var warnings []*ingest.CellError
		if data != nil {
			warnings = data.Warnings
		}
		return &Result{OutDir: opt.OutDir, Data: data, Warnings: warnings}, err
	}
	// As Build does, on a copy: a mark found in this data must not outlive
	// it in the next.
	ev := l.ev
	markIllustrative(&ev, data, opt.Logger)
	data = cutAtAsOf(data, ev.AsOf)
	m := metrics.Compute(data, metrics.Config{AsOf: ev.AsOf, Capacity: ev.Capacity})
	out, _ := filepath.Abs(opt.OutDir)
	// The downloads are written into an empty folder; the previous ones
	// are evalsite's own, written by the previous build.
	if err := os.RemoveAll(filepath.Join(out, "data")); err != nil {
		return nil, err
	}
	l.src.newGeneration()
	g := &generator{ev: ev, data: data, metrics: m, src: l.src, out: out, log: opt.Logger, drawn: l.charts}
	drawn, err := g.run(ctx)
	if err != nil {
		return nil, err
	}
	// Only the charts of this build are kept for the next: the cache
	// holds no more than one build's charts.
	l.g, l.charts = g, drawn.byKey
	return &Result{OutDir: opt.OutDir, Data: data, Metrics: m, Warnings: data.Warnings}, nil
}

// hugo runs Hugo's build, a partial one for the events given.
func (l *live) hugo(events []fsnotify.Event) error {
	l.logged.reset()
	err := l.sites.Build(hugolib.BuildCfg{NoBuildLock: true, ErrRecovery: l.broken}, events...)
	if err != nil {
		if lines := l.logged.String(); lines != "" {
			err = &hugoError{msg: lines, err: err}
		}
		return l.src.cleanHugoError(err)
	}
	return nil
}

func (l *live) finish(res *Result) (*Result, error) {
	if err := copyStatic(filepath.Join(l.opt.Root, "static"), l.opt.OutDir); err != nil {
		return nil, err
	}
	pages, files, err := countFiles(l.opt.OutDir)
	if err != nil {
		return nil, err
	}
	res.Pages, res.Files = pages, files
	l.broken = false
	return res, nil
}

// update brings the site up to date with the files changed on disk (paths
// as the watcher gives them, added, changed or removed).
func (l *live) update(ctx context.Context, changed []string) (*Result, error) {
	if !l.whole {
		return l.full(ctx)
	}
	opt := l.opt
	dataChanged := false
	for _, p := range changed {
		kind, rel := l.classify(p)
		switch kind {
		case "data":
			dataChanged = true
		case "tree":
			evs, err := l.copyIn(p, rel)
			if err != nil {
				return nil, err
			}
			l.pending = append(l.pending, evs...)
		default:
			// The configuration, static files, or anything not known:
			// everything again.
			return l.full(ctx)
		}
	}
	l.broken = true
	res := &Result{OutDir: opt.OutDir, Data: l.g.data, Metrics: l.g.metrics, Warnings: l.g.data.Warnings}
	if dataChanged || l.dataDirty {
		l.dataDirty = true
		var err error
		if res, err = l.generate(ctx); err != nil {
			return res, err
		}
		l.dataDirty = false
	} else {
		// The content's checks, as the generator makes them before it
		// draws: conditional words and assertions (whose data may change
		// with a chapter), then the citations of figures.
		if err := l.g.prose(); err != nil {
			return nil, err
		}
		if err := l.g.checkCitations(); err != nil {
			return nil, err
		}
	}
	now, err := l.src.generation()
	if err != nil {
		return nil, err
	}
	// The generated files as Hugo last built them against those now: a
	// file changed, made or gone is an event, as Hugo's watcher would
	// report it on disk.
	events := l.pending
	for name, h := range now {
		old, ok := l.hashes[name]
		switch {
		case !ok:
			events = append(events, fsnotify.Event{Name: path.Join(srcRoot, name), Op: fsnotify.Create})
		case old != h:
			events = append(events, fsnotify.Event{Name: path.Join(srcRoot, name), Op: fsnotify.Write})
		}
	}
	for name := range l.hashes {
		if _, ok := now[name]; !ok {
			events = append(events, fsnotify.Event{Name: path.Join(srcRoot, name), Op: fsnotify.Remove})
			// Hugo writes no file for a page that is gone, and removes
			// none: the page of an agreement taken out of the data goes
			// from the preview here.
			if dir, ok := generatedPageDir(name); ok {
				if err := os.RemoveAll(filepath.Join(l.opt.OutDir, filepath.FromSlash(dir))); err != nil {
					return nil, err
				}
			}
		}
	}
	if len(events) > 0 {
		if err := l.hugo(events); err != nil {
			return nil, err
		}
	}
	l.pending, l.hashes = nil, now
	return l.finish(res)
}

// classify says what a changed path on disk is: "data", "tree" (a file
// copied into the in-memory tree, with its path there), or "" for anything
// that needs a whole build.
func (l *live) classify(p string) (kind, rel string) {
	within := func(dir string) (string, bool) {
		r, err := filepath.Rel(dir, p)
		if err != nil || r == ".." || strings.HasPrefix(r, ".."+string(filepath.Separator)) || r == "." {
			return "", false
		}
		return filepath.ToSlash(r), true
	}
	if _, ok := within(l.opt.DataDir); ok {
		return "data", ""
	}
	for _, t := range []struct{ dir, prefix string }{
		{l.opt.ContentDir, "content"},
		{filepath.Join(l.opt.Root, "layouts"), "layouts"},
		{filepath.Join(l.opt.Root, "assets"), "assets"},
		{filepath.Join(l.opt.Root, "i18n"), "i18n"},
	} {
		if r, ok := within(t.dir); ok {
			return "tree", t.prefix + "/" + r
		}
	}
	return "", ""
}

// copyIn brings one file of the user's into the tree, or takes it out if it
// is gone, and says so as Hugo's watcher would. A new folder brings each
// file in it, as created: they may have been written before the folder was
// watched.
func (l *live) copyIn(p, rel string) ([]fsnotify.Event, error) {
	name := path.Join(srcRoot, rel)
	if l.src.generatedFile(rel) {
		// The user's own file where the generator wrote one (an
		// introduction to a generated section): theirs from now on.
		l.src.disown(rel)
		delete(l.hashes, rel)
	}
	info, err := os.Stat(p)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return []fsnotify.Event{{Name: name, Op: fsnotify.Remove}}, l.src.fs.RemoveAll(name)
	case err != nil:
		return nil, err
	case info.IsDir():
		var events []fsnotify.Event
		err := filepath.WalkDir(p, func(q string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !d.Type().IsRegular() {
				return err
			}
			r, err := filepath.Rel(p, q)
			if err != nil {
				return err
			}
			evs, err := l.copyIn(q, path.Join(rel, filepath.ToSlash(r)))
			events = append(events, evs...)
			return err
		})
		return events, err
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return nil, err
	}
	ev := fsnotify.Event{Name: name, Op: fsnotify.Write}
	if !l.src.exists(rel) {
		ev.Op = fsnotify.Create
	}
	return []fsnotify.Event{ev}, l.src.write(rel, b)
}

// generatedPageDir returns the folder of the output that a generated
// page's content file ("content/agreements/lpsa-01.md") is rendered into;
// for a generated section's own page ("content/departments/_index.md",
// gone when its dataset is), the whole section's folder.
func generatedPageDir(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "content/")
	if !ok || !strings.HasSuffix(rest, ".md") {
		return "", false
	}
	dir, file := path.Split(rest)
	for _, s := range generatedSections {
		if dir != s.dir+"/" {
			continue
		}
		if file == "_index.md" {
			return s.dir, true
		}
		if s.pages {
			return s.dir + "/" + strings.TrimSuffix(file, ".md"), true
		}
	}
	return "", false
}

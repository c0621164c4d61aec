// Package site builds the published evaluation: it reads the inputs with
// ingest, computes the figures with metrics, draws the charts, writes the
// downloads, and runs Hugo as a library over the content and the embedded
// theme. It is the only package that imports Hugo.
package site

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
	"github.com/evalsite/evalsite/internal/release"
	"github.com/gohugoio/hugo/common/loggers"
	"github.com/gohugoio/hugo/config/allconfig"
)

// Options says where a site's folders are and what to override. The zero
// value builds the site in the current folder.
type Options struct {
	Root       string // the site folder holding hugo.toml; default "."
	DataDir    string // input spreadsheets; default Root/data
	ContentDir string // report chapters; default Root/content
	OutDir     string // where the site is published; default Root/public

	// Theme is the default theme (layouts/ and assets/ at its root), used
	// under the site's own layouts, which override it file by file.
	Theme fs.FS

	Strict   bool      // warnings in the input are errors
	AsOf     time.Time // overrides params.evaluation.as_of
	Capacity int       // overrides params.evaluation.capacity

	Logger *slog.Logger // nil discards
	// Progress hears each stage of a build as it goes; nil hears nothing.
	Progress Progress
	// HugoLog receives Hugo's own warnings; nil discards them.
	HugoLog io.Writer

	swap *swapOptions // for tests that stop a build in the middle of its swap
}

func (o Options) withDefaults() Options {
	if o.Root == "" {
		o.Root = "."
	}
	if o.DataDir == "" {
		o.DataDir = filepath.Join(o.Root, "data")
	}
	if o.ContentDir == "" {
		o.ContentDir = filepath.Join(o.Root, "content")
	}
	if o.OutDir == "" {
		o.OutDir = filepath.Join(o.Root, "public")
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return o
}

// Result summarises a build.
type Result struct {
	OutDir   string
	Pages    int // HTML pages written
	Files    int // all files written
	Data     *ingest.Data
	Metrics  *metrics.Metrics
	Warnings []*ingest.CellError
}

// Build reads, computes and publishes the site into opt.OutDir. The site is
// written into a new folder beside OutDir and swapped into place only when
// complete: a failed or killed build leaves the previous output as it was.
// OutDir must be empty, missing or a site that evalsite built, and neither
// an input of the build nor a folder holding one: otherwise Build returns an
// *OutDirError before it reads or writes anything.
func Build(ctx context.Context, opt Options) (*Result, error) {
	opt = opt.withDefaults()
	log := opt.Logger
	// Before anything is read or written: the output must be a folder that
	// publishing may replace.
	out, err := checkOutDir(opt)
	if err != nil {
		return nil, err
	}
	// A killed build may have left its folders beside the output, or the
	// previous site aside with nothing in its place.
	if err := cleanLeftovers(out); err != nil {
		return nil, err
	}

	src := newSource()
	if err := src.assemble(opt); err != nil {
		return nil, err
	}
	hlog := hugoLogger(opt.HugoLog)
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return nil, err
	}
	bf, err := newBuildFolder(out)
	if err != nil {
		return nil, err
	}
	// After the swap the folder holds the previous site, or nothing.
	defer bf.discard()
	tmp := bf.dir

	cfg, ev, err := loadConfig(src, opt, tmp, hlog)
	if err != nil {
		return nil, err
	}

	log.Info("reading data", "dir", opt.DataDir)
	st := beginStage(opt.Progress, StageRead, "rows", 0)
	data, err := ingest.Read(ctx, opt.DataDir, ingest.Options{Strict: opt.Strict, Logger: log, QDPX: ev.QDPX})
	if err != nil {
		// The warnings are still worth showing beside the errors.
		var warnings []*ingest.CellError
		if data != nil {
			warnings = data.Warnings
		}
		return &Result{OutDir: opt.OutDir, Data: data, Warnings: warnings}, err
	}
	for _, n := range data.Rows {
		st.add(n)
	}
	st.end()
	markIllustrative(&ev, data, log)
	data = cutAtAsOf(data, ev.AsOf)
	log.Info("computing metrics")
	st = beginStage(opt.Progress, StageFigures, "", 0)
	m := metrics.Compute(data, metrics.Config{AsOf: ev.AsOf, Capacity: ev.Capacity})
	st.end()
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	g := &generator{ev: ev, data: data, metrics: m, src: src, out: tmp, log: log, prog: opt.Progress}
	if _, err := g.run(ctx); err != nil {
		return nil, err
	}

	log.Info("building pages with hugo")
	st = beginStage(opt.Progress, StageHugo, "pages", 0)
	if err := src.runHugo(cfg, tmp, hlog, func() { st.add(1) }); err != nil {
		return nil, err
	}
	st.end()
	if err := copyStatic(filepath.Join(opt.Root, "static"), tmp); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	opt.swap.at(stepBuilt)
	if err := bf.finish(release.Mark{
		Title:        ev.Title,
		Version:      ev.Version,
		ReleaseDate:  ev.ReleaseDate,
		Status:       ev.Status,
		Illustrative: ev.Illustrative,
		DataCommit:   gitCommit(opt.DataDir),
	}); err != nil {
		return nil, err
	}
	pages, files, err := countFiles(tmp)
	if err != nil {
		return nil, err
	}
	opt.swap.at(stepMarked)
	// The build may have taken minutes: look again at what the swap will
	// replace.
	if again, err := checkOutDir(opt); err != nil {
		return nil, err
	} else if again != out {
		return nil, fmt.Errorf("output folder %s: it now leads to %s, not %s: build again", opt.OutDir, again, out)
	}
	if err := swap(tmp, out, opt.swap); err != nil {
		return nil, err
	}
	bf.discard()
	opt.swap.at(stepDone)
	log.Info("site written", "dir", opt.OutDir, "pages", pages, "files", files)
	return &Result{OutDir: opt.OutDir, Pages: pages, Files: files, Data: data, Metrics: m, Warnings: data.Warnings}, nil
}

// assemble copies the user's content, layouts, assets and translations into
// the in-memory tree.
func (s *source) assemble(opt Options) error {
	if err := s.copyDir(filepath.Join(opt.Root, "layouts"), "layouts"); err != nil {
		return err
	}
	if err := s.copyDir(filepath.Join(opt.Root, "assets"), "assets"); err != nil {
		return err
	}
	if err := s.copyDir(filepath.Join(opt.Root, "i18n"), "i18n"); err != nil {
		return err
	}
	// Without content/ the site still has its summary figures, charts,
	// generated pages and downloads.
	return s.copyDir(opt.ContentDir, "content")
}

// defaultConfig is used when the site folder has no hugo.toml.
const defaultConfig = `title = "Evaluation"
relativeURLs = true
disableKinds = ["taxonomy", "term", "rss", "sitemap", "404", "robotstxt"]
[markup.goldmark.renderer]
unsafe = false
`

// copyStatic copies the site's static/ folder: Hugo copies it in its command
// line build, not when it is run as a library.
func copyStatic(dir, out string) error {
	if !dirExists(dir) {
		return nil
	}
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(out, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		return copyFile(p, dst)
	})
}

// copyFile copies one file without holding it in memory: io.Copy between
// two files lets the kernel copy the bytes itself where it can.
func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// countFiles counts the HTML pages and all files of the site in dir, which
// leaves out the mark.
func countFiles(dir string) (pages, files int, err error) {
	mark := filepath.Join(dir, release.MarkName)
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == mark {
			return err
		}
		files++
		if filepath.Ext(p) == ".html" {
			pages++
		}
		return nil
	})
	return pages, files, err
}

// Metrics reads the inputs and computes the figures, with as_of and capacity
// taken from the site configuration unless opt overrides them, and with the
// disclosure decisions of its suppress_below (see metrics.Disclose).
func Metrics(ctx context.Context, opt Options) (*metrics.Metrics, error) {
	opt = opt.withDefaults()
	_, ev, err := loadConfig(newSource(), opt, filepath.Join(os.TempDir(), "evalsite-unused"), hugoLogger(opt.HugoLog))
	if err != nil {
		return nil, err
	}
	data, err := ingest.Read(ctx, opt.DataDir, ingest.Options{Strict: opt.Strict, Logger: opt.Logger, QDPX: ev.QDPX})
	if err != nil {
		return nil, err
	}
	m := metrics.Compute(data, metrics.Config{AsOf: ev.AsOf, Capacity: ev.Capacity})
	return metrics.Disclose(m, data.Codings, ev.SuppressBelow), nil
}

// QDPXNames returns the variable names of a REFI-QDA project that the site
// configuration sets in [params.evaluation.qdpx], for reading the data
// folder as a build would.
func QDPXNames(opt Options) (ingest.QDPXNames, error) {
	opt = opt.withDefaults()
	_, ev, err := loadConfig(newSource(), opt, filepath.Join(os.TempDir(), "evalsite-unused"), hugoLogger(opt.HugoLog))
	return ev.QDPX, err
}

// loadConfig puts the site's hugo.toml (or the default) into src, loads it,
// and reads params.evaluation with the overrides of opt applied.
func loadConfig(src *source, opt Options, publishDir string, hlog loggers.Logger) (*allconfig.Configs, Evaluation, error) {
	conf, err := readIfExists(filepath.Join(opt.Root, "hugo.toml"))
	if err != nil {
		return nil, Evaluation{}, fmt.Errorf("read site configuration: %w", err)
	}
	if conf == nil {
		conf = []byte(defaultConfig)
	}
	if err := src.write("hugo.toml", conf); err != nil {
		return nil, Evaluation{}, err
	}
	// The theme is a Hugo module: it must be in place before the
	// configuration that imports it is loaded.
	if opt.Theme != nil {
		if err := src.copyFS(opt.Theme, "themes/"+themeName); err != nil {
			return nil, Evaluation{}, fmt.Errorf("read theme: %w", err)
		}
	}
	cfg, err := src.hugoConfig(publishDir, opt.Theme != nil, hlog)
	if err != nil {
		return nil, Evaluation{}, err
	}
	ev, err := evaluationParams(cfg)
	if err != nil {
		return nil, ev, fmt.Errorf("site configuration: %w", err)
	}
	if !opt.AsOf.IsZero() {
		ev.AsOf = opt.AsOf
	}
	if opt.Capacity > 0 {
		ev.Capacity = opt.Capacity
	}
	return cfg, ev, nil
}

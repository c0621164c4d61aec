package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/evalsite/evalsite"
	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/release"
	"github.com/evalsite/evalsite/internal/site"
)

const usage = `evalsite turns the spreadsheet exports of an evaluation into a static website.

Usage:
  evalsite [COMMAND] [flags]

Commands:
  build      build the site into public/ (the default command)
  check      validate the input spreadsheets, naming every problem's cell
  metrics    print metrics.json, every figure the site cites
  serve      preview on 127.0.0.1, rebuilding and reloading on every change
  template   write blank input workbooks with drop-down lists
  example    write a synthetic example data set
  deploy     upload the built site to a [deployment] target of hugo.toml
  help       list the commands, or print a command's flags: evalsite help build
  version    print the version of evalsite

Run 'evalsite help COMMAND' or 'evalsite COMMAND --help' for the flags of a command.
`

// commands are the names run dispatches, for help COMMAND.
var commands = []string{"build", "check", "metrics", "serve", "template", "example", "deploy"}

// usageError is a mistake in the command line.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// run is the whole program. It returns nil on success; exitStatus says
// what an error means for the exit status and prints it.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	// Every line on standard error starts "evalsite:", whoever writes it
	// (the flag package, the logger, Hugo).
	pw := &prefixWriter{w: stderr}
	defer pw.flush()
	stderr = pw
	if len(args) > 0 {
		switch args[0] {
		case "-h", "-help", "--help":
			fmt.Fprint(stdout, usage)
			return nil
		case "version", "-version", "--version":
			fmt.Fprintf(stdout, "evalsite %s\n", release.ToolVersion())
			return nil
		case "help":
			if len(args) == 1 {
				fmt.Fprint(stdout, usage)
				return nil
			}
			if !slices.Contains(commands, args[1]) {
				return usageError{fmt.Sprintf("help: unknown command %q; the commands are %s", args[1], strings.Join(commands, ", "))}
			}
			args = []string{args[1], "-h"}
		}
	}
	cmd := "build"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	// Asked for, a command's flags are output, not an error: standard output.
	if wantsHelp(args) {
		stderr = stdout
	}
	switch cmd {
	case "build":
		return runBuild(ctx, args, stdout, stderr)
	case "check":
		return runCheck(ctx, args, stdout, stderr)
	case "metrics":
		return runMetrics(ctx, args, stdout, stderr)
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "template":
		return runTemplate(ctx, args, stdout, stderr)
	case "example":
		return runExample(ctx, args, stdout, stderr)
	case "deploy":
		return runDeploy(ctx, args, stdout, stderr)
	default:
		return usageError{fmt.Sprintf("unknown command %q\n\n%s", cmd, usage)}
	}
}

// wantsHelp reports whether the flags of a command ask for its help.
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// prefixWriter writes each line to w starting "evalsite: ", unless it
// already does.
type prefixWriter struct {
	mu      sync.Mutex
	w       io.Writer
	partial []byte
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.partial = append(p.partial, b...)
	for {
		i := bytes.IndexByte(p.partial, '\n')
		if i < 0 {
			return len(b), nil
		}
		if err := p.line(p.partial[:i+1]); err != nil {
			return 0, err
		}
		p.partial = p.partial[i+1:]
	}
}

func (p *prefixWriter) line(l []byte) error {
	if !bytes.HasPrefix(l, []byte("evalsite:")) {
		l = append([]byte("evalsite: "), l...)
	}
	_, err := p.w.Write(l)
	return err
}

// flush writes what is left of a last line without its newline.
func (p *prefixWriter) flush() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.partial) > 0 {
		p.line(append(p.partial, '\n'))
		p.partial = nil
	}
}

// printError writes err on stderr, one line per problem, each prefixed.
func printError(w io.Writer, err error) {
	for line := range strings.SplitSeq(strings.TrimSpace(err.Error()), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		fmt.Fprintf(w, "evalsite: %s\n", line)
	}
}

// flags is what the data-reading commands share.
type flags struct {
	fs       *flag.FlagSet
	root     string
	data     string
	content  string
	out      string
	strict   bool
	asOf     string
	capacity int
	verbose  bool
}

func newFlags(name string, stderr io.Writer) *flags {
	f := &flags{fs: flag.NewFlagSet("evalsite "+name, flag.ContinueOnError)}
	f.fs.SetOutput(stderr)
	f.fs.StringVar(&f.root, "root", ".", "site folder holding hugo.toml")
	f.fs.StringVar(&f.data, "data", "", "folder of input spreadsheets (default ROOT/data)")
	f.fs.BoolVar(&f.strict, "strict", false, "treat warnings in the input as errors")
	return f
}

func (f *flags) addSite() {
	f.fs.StringVar(&f.content, "content", "", "folder of report chapters (default ROOT/content)")
	f.fs.StringVar(&f.out, "out", "", "output folder (default ROOT/public)")
	f.fs.BoolVar(&f.verbose, "v", false, "log each phase")
}

func (f *flags) addFigures() {
	f.fs.StringVar(&f.asOf, "as-of", "", "date the figures are as of, YYYY-MM-DD (default: configuration, else latest date in the data)")
	f.fs.IntVar(&f.capacity, "capacity", 0, "negotiations the team can run at once, at least 1 (default: configuration, else 6)")
}

func (f *flags) parse(args []string) error {
	if err := f.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if f.fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", f.fs.Arg(0))}
	}
	// The flag's zero value means "not given" (the configuration decides);
	// given, it must be a real capacity.
	var err error
	f.fs.Visit(func(fl *flag.Flag) {
		if fl.Name == "capacity" && f.capacity < 1 {
			err = usageError{fmt.Sprintf("--capacity must be a whole number of at least 1, got %d", f.capacity)}
		}
	})
	return err
}

func (f *flags) options(stderr io.Writer) (site.Options, error) {
	opt := site.Options{
		Root:       f.root,
		DataDir:    f.data,
		ContentDir: f.content,
		OutDir:     f.out,
		Theme:      evalsite.Theme(),
		Strict:     f.strict,
		Capacity:   f.capacity,
		HugoLog:    stderr,
	}
	if f.asOf != "" {
		d, err := time.Parse(time.DateOnly, f.asOf)
		if err != nil {
			return opt, usageError{fmt.Sprintf("--as-of wants a date as YYYY-MM-DD, got %q", f.asOf)}
		}
		opt.AsOf = d
	}
	level := slog.LevelWarn
	if f.verbose {
		level = slog.LevelInfo
	}
	opt.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	return opt, nil
}

func runBuild(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("build", stderr)
	f.addSite()
	f.addFigures()
	quiet := f.fs.Bool("quiet", false, "say nothing of a long build's progress on standard error")
	if err := f.parse(args); err != nil {
		return err
	}
	opt, err := f.options(stderr)
	if err != nil {
		return err
	}
	start := time.Now()
	if !*quiet {
		prog := newProgress(stderr, isTerminal(stderr), time.Now)
		prog.run(250 * time.Millisecond)
		defer prog.Close()
		opt.Progress = prog
	}
	res, err := site.Build(ctx, opt)
	if prog, ok := opt.Progress.(*progress); ok {
		prog.Close()
	}
	if res != nil {
		printWarnings(stderr, res.Warnings)
		if res.Data != nil {
			printNotices(stderr, res.Data.Notices)
		}
	}
	if err != nil {
		return outDirRefusal(err)
	}
	fmt.Fprintf(stdout, "evalsite: built %d pages (%d files) into %s in %s\n",
		res.Pages, res.Files, res.OutDir, time.Since(start).Round(time.Millisecond))
	return nil
}

// printNotices says what the input leaves out, such as a dataset that is
// absent and whose section the site leaves out.
func printNotices(w io.Writer, notices []*ingest.CellError) {
	for _, n := range notices {
		fmt.Fprintf(w, "evalsite: note: %s\n", n)
	}
}

func printWarnings(w io.Writer, warnings []*ingest.CellError) {
	for i, e := range warnings {
		if i == ingest.MaxReported {
			fmt.Fprintf(w, "evalsite: warning: ... and %d more warnings\n", len(warnings)-i)
			break
		}
		fmt.Fprintf(w, "evalsite: warning: %s\n", e)
	}
}

func runCheck(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("check", stderr)
	if err := f.parse(args); err != nil {
		return err
	}
	dir := f.data
	if dir == "" {
		dir = strings.TrimSuffix(f.root, "/") + "/data"
		if f.root == "." {
			dir = "data"
		}
	}
	opt := ingest.Options{Strict: f.strict}
	if _, err := os.Stat(filepath.Join(dir, "codings.qdpx")); err == nil {
		// A project's variables may be renamed in the site configuration.
		if opt.QDPX, err = site.QDPXNames(site.Options{Root: f.root, Theme: evalsite.Theme()}); err != nil {
			return err
		}
	}
	data, err := ingest.Read(ctx, dir, opt)
	var problems ingest.Problems
	if err != nil && !errors.As(err, &problems) {
		return err
	}
	for _, p := range capped(problems) {
		fmt.Fprintf(stdout, "evalsite: %s\n", p)
	}
	if len(problems) > ingest.MaxReported {
		fmt.Fprintf(stdout, "evalsite: ... and %d more errors\n", len(problems)-ingest.MaxReported)
	}
	var warnings []*ingest.CellError
	if data != nil {
		warnings = data.Warnings
	}
	for _, w := range capped(warnings) {
		fmt.Fprintf(stdout, "evalsite: warning: %s\n", w)
	}
	if len(warnings) > ingest.MaxReported {
		fmt.Fprintf(stdout, "evalsite: ... and %d more warnings\n", len(warnings)-ingest.MaxReported)
	}
	if data != nil {
		printNotices(stdout, data.Notices)
	}
	var parts []string
	if data != nil {
		for _, name := range sortedDatasets(data.Rows) {
			parts = append(parts, fmt.Sprintf("%s %d", name, data.Rows[name]))
		}
	}
	if data != nil && len(data.Illustrative) > 0 {
		// Said so that removing the mark, once the data is real, misses no file.
		fmt.Fprintf(stdout, "evalsite: illustrative: the synthetic-data mark is in %s\n", strings.Join(data.Illustrative, ", "))
	}
	fmt.Fprintf(stdout, "evalsite: %s: rows read: %s; %s, %s\n", dir, strings.Join(parts, ", "), count(len(problems), "error"), count(len(warnings), "warning"))
	if len(problems) > 0 {
		return reportedError{problems: len(problems)}
	}
	return nil
}

// reportedError fails a command whose standard output has already listed
// each problem, so the exit status is all that is left to say.
type reportedError struct{ problems int }

func (e reportedError) Error() string { return count(e.problems, "error") + " in the input" }

// count says "1 error" or "3 errors".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func capped[T any](s []T) []T {
	if len(s) > ingest.MaxReported {
		return s[:ingest.MaxReported]
	}
	return s
}

// sortedDatasets lists the datasets in schema order.
func sortedDatasets(rows map[string]int) []string {
	var names []string
	for _, s := range ingest.Schemas() {
		if _, ok := rows[s.Name]; ok {
			names = append(names, s.Name)
		}
	}
	return names
}

func runMetrics(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("metrics", stderr)
	f.addFigures()
	if err := f.parse(args); err != nil {
		return err
	}
	opt, err := f.options(stderr)
	if err != nil {
		return err
	}
	m, err := site.Metrics(ctx, opt)
	if err != nil {
		return err
	}
	// metrics.json as a build publishes it, counts withheld as there.
	b, err := m.PublishedJSON()
	if err != nil {
		return err
	}
	_, err = stdout.Write(b)
	return err
}

func runTemplate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("evalsite template", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "folder to write the blank workbooks into (required)")
	force := fs.Bool("force", false, "replace workbooks of the same names already in the folder")
	if err := parseSimple(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"template: --out DIR is required"}
	}
	var books []string
	for _, s := range ingest.Schemas() {
		if !slices.Contains(books, s.Workbook) {
			books = append(books, s.Workbook)
		}
	}
	if err := refuseToReplace("template", *out, books, *force); err != nil {
		return err
	}
	if err := ingest.WriteTemplate(*out); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "evalsite: wrote blank input workbooks into %s\n", *out)
	return nil
}

func runExample(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("evalsite example", flag.ContinueOnError)
	fs.SetOutput(stderr)
	out := fs.String("out", "", "folder to write the data set into (required)")
	n := fs.Int("agreements", 20, "number of agreements")
	seed := fs.Int64("seed", 0, "random seed (0 = the repository's example)")
	format := fs.String("format", "xlsx", "xlsx or csv")
	codings := fs.String("codings", "", "qdpx: the codings and codebook as a REFI-QDA project, codings.qdpx (default: as --format)")
	force := fs.Bool("force", false, "replace files of the same names already in the folder")
	if err := parseSimple(fs, args); err != nil {
		return err
	}
	if *out == "" {
		return usageError{"example: --out DIR is required"}
	}
	if *n < 1 {
		return usageError{"example: --agreements must be at least 1"}
	}
	if *format != "xlsx" && *format != "csv" {
		return usageError{fmt.Sprintf("example: --format must be xlsx or csv, got %q", *format)}
	}
	if *codings != "" && *codings != "qdpx" && *codings != *format {
		return usageError{fmt.Sprintf("example: --codings must be qdpx or left out, got %q", *codings)}
	}
	d := example.Generate(example.Config{Agreements: *n, Seed: *seed})
	write := example.Write
	names := example.Files(d, example.Format(*format))
	if *codings == "qdpx" {
		write = example.WriteQDPX
		names = append(names, example.QDPXName)
	}
	if err := refuseToReplace("example", *out, names, *force); err != nil {
		return err
	}
	if err := write(*out, d, example.Format(*format)); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "evalsite: wrote a synthetic example of %d agreements into %s\n", len(d.Agreements), *out)
	return nil
}

func parseSimple(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() > 0 {
		return usageError{fmt.Sprintf("unexpected argument %q", fs.Arg(0))}
	}
	return nil
}

func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	f := newFlags("serve", stderr)
	f.fs.StringVar(&f.content, "content", "", "folder of report chapters (default ROOT/content)")
	f.addFigures()
	port := f.fs.Int("port", 1313, "port to listen on, on 127.0.0.1")
	if err := f.parse(args); err != nil {
		return err
	}
	if *port < 0 || *port > 65535 {
		return usageError{fmt.Sprintf("--port must be between 0 and 65535, got %d", *port)}
	}
	opt, err := f.options(stderr)
	if err != nil {
		return err
	}
	err = site.Serve(ctx, opt, site.ServeOptions{Addr: fmt.Sprintf("127.0.0.1:%d", *port), Out: stdout})
	if errors.Is(err, syscall.EADDRINUSE) {
		return usageError{fmt.Sprintf("port %d is in use: try --port %d", *port, freePort(*port))}
	}
	return outDirRefusal(err)
}

// outDirRefusal turns a refused output folder into a usage error: nothing
// was written, and another --out is the way out.
func outDirRefusal(err error) error {
	var oe *site.OutDirError
	if errors.As(err, &oe) {
		return usageError{oe.Error()}
	}
	return err
}

// freePort returns the first port after busy that can be listened on, to
// suggest in place of it; busy+1 if none of the next few is free.
func freePort(busy int) int {
	for p := busy + 1; p <= busy+20 && p <= 65535; p++ {
		if ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p)); err == nil {
			ln.Close()
			return p
		}
	}
	return busy + 1
}

// refuseToReplace stops template and example from writing over files in
// dir, which may be a user's own workbooks, unless force is set.
func refuseToReplace(cmd, dir string, names []string, force bool) error {
	if force {
		return nil
	}
	for _, name := range names {
		p := filepath.Join(dir, name)
		if _, err := os.Lstat(p); err == nil {
			return usageError{fmt.Sprintf("%s: %s already exists and would be replaced: move it away, choose another --out, or add --force to replace it", cmd, p)}
		} else if !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

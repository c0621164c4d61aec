package ingest

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// Limits bounds what a hostile file may cost. A zero field means its default.
type Limits struct {
	// MaxBytes bounds a workbook's total decompressed size, and a CSV file's
	// size (default 256 MiB).
	MaxBytes int64
	// MaxPartBytes bounds each decompressed XML part other than worksheets and
	// shared strings (styles, workbook, relationships), which are read whole
	// into memory (default 16 MiB). Worksheets are streamed.
	MaxPartBytes int64
	// MaxRows bounds the rows of a sheet or CSV file (default 1,048,576, as Excel).
	MaxRows int
	// MaxColumns bounds the columns of a row (default 16,384, as Excel).
	MaxColumns int
	// MaxCellChars bounds the characters of a cell (default 32,767, as Excel).
	MaxCellChars int
	// MaxZipEntries bounds the parts of a workbook (default 10,000).
	MaxZipEntries int
	// MaxCompressionRatio bounds how much a part of 1 MiB or more may have
	// been compressed (default 200 to 1; real workbooks measured at most 121).
	MaxCompressionRatio int
	// MaxSharedStrings bounds the shared string table of a workbook
	// (default 4,000,000).
	MaxSharedStrings int
	// MaxCells bounds the non-empty cells read in one Read, over every
	// sheet and CSV file (default 6,000,000).
	MaxCells int
	// MaxChars bounds the text read in one Read, counted in UTF-8 bytes
	// over every non-empty cell, and separately over each workbook's shared
	// strings (default 128 MiB). A shared string counts once for each cell
	// that shows it, since each is checked and decoded on its own.
	MaxChars int
}

// The default limits.
const (
	DefaultMaxBytes            = 256 << 20
	DefaultMaxPartBytes        = 16 << 20
	DefaultMaxRows             = 1_048_576
	DefaultMaxColumns          = 16_384
	DefaultMaxCellChars        = 32_767
	DefaultMaxZipEntries       = 10_000
	DefaultMaxCompressionRatio = 200
	DefaultMaxSharedStrings    = 4_000_000
	DefaultMaxCells            = 6_000_000
	DefaultMaxChars            = 128 << 20
)

func (l Limits) withDefaults() Limits {
	def := func(v *int, d int) {
		if *v <= 0 {
			*v = d
		}
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPartBytes <= 0 {
		l.MaxPartBytes = DefaultMaxPartBytes
	}
	def(&l.MaxRows, DefaultMaxRows)
	def(&l.MaxColumns, DefaultMaxColumns)
	def(&l.MaxCellChars, DefaultMaxCellChars)
	def(&l.MaxZipEntries, DefaultMaxZipEntries)
	def(&l.MaxCompressionRatio, DefaultMaxCompressionRatio)
	def(&l.MaxSharedStrings, DefaultMaxSharedStrings)
	def(&l.MaxCells, DefaultMaxCells)
	def(&l.MaxChars, DefaultMaxChars)
	return l
}

// Options control Read. The zero value reads with the default limits,
// reports warnings separately and logs nothing.
type Options struct {
	Strict bool         // warnings become errors
	Limits Limits       // zero fields mean the defaults
	Logger *slog.Logger // nil discards
	QDPX   QDPXNames    // the variables of a REFI-QDA project; zero means the defaults
	// Cache, if not nil, serves the tables of files whose bytes are the
	// same as at an earlier Read with the same cache, and keeps those read
	// now for the next.
	Cache *Cache
}

// Read reads every dataset of an evaluation from the data folder dir, each
// from its sheet of a workbook or from a CSV file (the codings also from a
// REFI-QDA project, the codebook from a REFI-QDA codebook), and checks every rule of
// the input format. For bad data it returns what could be read, and an error
// of type Problems holding every problem, sorted by file, sheet, row and
// column. A problem with a whole file (password-protected, .xls or .ods, a
// damaged zip, not a spreadsheet, invalid UTF-8, a missing folder or
// dataset) is a CellError with Row 0 and a message saying what to do.
// Warnings are returned in Data.Warnings, or as problems when opt.Strict is set.
// Only the agreements are required: a missing freedoms, events or codings
// dataset is a notice in Data.Notices (never an error, even when strict),
// and Data.Present tells which datasets were read.
// Other errors (such as a cancelled ctx) are returned as they are.
func Read(ctx context.Context, dir string, opt Options) (*Data, error) {
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	lim := opt.Limits.withDefaults()
	data := &Data{Sources: map[string]string{}, Rows: map[string]int{}}
	d := newDecoder()
	bud := newBudget(lim)
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		return data, Problems{{File: dir, Err: problem(ErrFile,
			"data folder not found: run evalsite where the data folder is, or name it with --data")}}
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return data, Problems{fileError(dir, "cannot list the data folder: %v", err)}
	}
	files := map[string]string{} // lower-case name -> name as on disk
	for _, e := range entries {
		if !e.IsDir() {
			files[strings.ToLower(e.Name())] = e.Name()
		}
	}
	find := func(name string) (string, bool) {
		n, ok := files[strings.ToLower(name)]
		return filepath.Join(dir, n), ok
	}

	books := map[string]workbook{}
	fills := map[string]*cachedFile{} // workbooks read now, for the cache
	broken := map[string]bool{}
	closed := false
	closeAll := func() {
		if closed {
			return
		}
		closed = true
		for p, b := range books {
			if err := b.Close(); err != nil {
				d.fail(fileError(p, "cannot close the workbook: %v", err))
			}
		}
	}
	defer closeAll()
	tables := map[string]*table{}
	qda := newQDAInputs(lim, opt.QDPX)
	for _, s := range Schemas() {
		if err := ctx.Err(); err != nil {
			return data, err
		}
		xPath, hasX := find(s.Workbook)
		cPath, hasC := find(s.CSV)
		sheet := ""
		if hasX && !broken[xPath] {
			b, open := books[xPath]
			if !open {
				var hit, fill *cachedFile
				if opt.Cache != nil {
					hit, fill = opt.Cache.lookup(xPath)
				}
				if hit != nil {
					log.Info("workbook unchanged since it was last read", "file", xPath)
					b, err = cachedBook{f: hit, path: xPath, lim: lim}, nil
				} else {
					log.Info("opening workbook", "file", xPath)
					b, err = openStreamBook(xPath, lim)
					if sb, ok := b.(*streamBook); ok {
						sb.bud = bud
					}
					if err == nil && fill != nil {
						fill.sheets = b.SheetNames()
						fills[xPath] = fill
						b = recordingBook{workbook: b, f: fill}
					}
				}
				if err != nil {
					broken[xPath] = true
					d.fail(asCellError(xPath, err))
				} else {
					books[xPath] = b
				}
			}
			if b != nil {
				sheet = findSheet(b.SheetNames(), s)
			}
		}
		qPath, hasQ := qda.file(s.Name, find, sheet != "" || hasC)
		switch {
		case hasQ && (sheet != "" || hasC):
			other := cPath
			if sheet != "" {
				other = xPath + " (sheet " + sheet + ")"
			}
			d.fail(&CellError{File: qPath, Err: problem(ErrConflict,
				"%s are also in %s: keep one of the two", s.Name, other)})
			continue
		case hasQ:
			t, err := qda.read(d, s.Name, qPath)
			if err != nil {
				d.fail(asCellError(qPath, err))
				continue
			}
			if t != nil {
				tables[s.Name] = t
				data.Sources[s.Name] = qPath
			}
		case sheet != "" && hasC:
			d.fail(&CellError{File: cPath, Err: problem(ErrConflict,
				"%s are also in %s (sheet %s): keep one of the two", s.Name, xPath, sheet)})
			continue
		case sheet != "":
			t, err := books[xPath].ReadSheet(ctx, sheet)
			if err != nil {
				if ctx.Err() != nil {
					return data, ctx.Err()
				}
				d.fail(asCellError(xPath, err))
				continue
			}
			tables[s.Name] = t
			data.Sources[s.Name] = xPath
		case hasC:
			t, err := readCSVCached(ctx, opt.Cache, cPath, lim, bud)
			if err != nil {
				if ctx.Err() != nil {
					return data, ctx.Err()
				}
				d.fail(asCellError(cPath, err))
				continue
			}
			tables[s.Name] = t
			data.Sources[s.Name] = cPath
		case broken[xPath] || s.Optional:
		case hasX && s.Name == "agreements":
			d.fail(&CellError{File: xPath, Err: problem(ErrFile,
				"no sheet %s for the %s (sheets: %s): name the sheet %s, or give %s",
				s.Sheet, s.Name, strings.Join(books[xPath].SheetNames(), ", "), s.Sheet, s.CSV)})
		case hasX:
			d.notice(&CellError{File: xPath, Err: problem(ErrMissing,
				"no sheet %s, so the site has no %s section (sheets: %s): name the sheet %s, or give %s, to add it",
				s.Sheet, s.Name, strings.Join(books[xPath].SheetNames(), ", "), s.Sheet, s.CSV)})
		default:
			if e := missing(dir, s, find); s.Name == "agreements" || !errors.Is(e, ErrMissing) {
				d.fail(e)
			} else {
				d.notice(e)
			}
		}
		if t := tables[s.Name]; t != nil {
			log.Info("read dataset", "dataset", s.Name, "file", t.File, "sheet", t.Sheet, "rows", len(t.Rows))
		}
	}
	closeAll()
	for p, f := range fills {
		opt.Cache.keep(p, f)
	}
	qda.rekey(tables)
	decodeAll(d, tables, data)
	qda.relabel(d, data)
	return finish(d, data, opt.Strict)
}

// decodeAll decodes the tables that were read, applies the rules that join
// datasets, and keeps the records of rows without errors.
func decodeAll(d *decoder, tables map[string]*table, data *Data) {
	for _, s := range Schemas() {
		t := tables[s.Name]
		if t == nil {
			continue
		}
		for _, w := range t.Warnings {
			d.warn(w)
		}
		switch s.Name {
		case "agreements":
			data.Agreements = d.agreements(&s, t)
		case "freedoms":
			data.Freedoms = d.freedoms(&s, t)
		case "events":
			data.Events = d.events(&s, t)
		case "codings":
			data.Codings = d.codings(&s, t)
		case "codebook":
			data.Codebook = d.codebook(&s, t)
		}
		data.Rows[s.Name] = d.rows[s.Name]
	}
	for _, f := range d.marked {
		if !slices.Contains(data.Illustrative, f) {
			data.Illustrative = append(data.Illustrative, f)
		}
	}
	_, agreementsRead := d.cols["agreements"]
	d.crossCheck(data, agreementsRead)
	data.Agreements = keepGood(d, data.Agreements, func(r *Agreement) Pos { return r.Pos })
	data.Freedoms = keepGood(d, data.Freedoms, func(r *Freedom) Pos { return r.Pos })
	data.Events = keepGood(d, data.Events, func(r *Event) Pos { return r.Pos })
	data.Codings = keepGood(d, data.Codings, func(r *Coding) Pos { return r.Pos })
	data.Codebook = keepGood(d, data.Codebook, func(r *Code) Pos { return r.Pos })
}

// finish sorts the problems and warnings and, when strict, counts warnings as
// problems.
func finish(d *decoder, data *Data, strict bool) (*Data, error) {
	sortProblems(d.warns)
	d.warns = groupRepeats(d.warns)
	sortProblems(d.notices)
	data.Notices = d.notices
	if strict {
		d.errs = append(d.errs, d.warns...)
		d.warns = nil
	}
	data.Warnings = d.warns
	if len(d.errs) == 0 {
		return data, nil
	}
	sortProblems(d.errs)
	d.errs = groupRepeats(d.errs)
	return data, d.errs
}

// findSheet returns the sheet of a workbook that holds dataset s: the sheet
// named s.Sheet in any case, or the only sheet when s allows it.
func findSheet(names []string, s Schema) string {
	for _, n := range names {
		if strings.EqualFold(strings.TrimSpace(n), s.Sheet) {
			return n
		}
	}
	if s.OnlySheet && len(names) == 1 && !otherSheet(names[0], s) {
		return names[0]
	}
	return ""
}

// otherSheet reports whether a sheet is named as another dataset's sheet,
// so a workbook holding only the codebook is not read as codings.
func otherSheet(name string, s Schema) bool {
	for _, o := range Schemas() {
		if o.Name != s.Name && strings.EqualFold(strings.TrimSpace(name), o.Sheet) {
			return true
		}
	}
	return false
}

// missing explains a required dataset that is not in the folder, naming a
// file in a format that cannot be read when there is one.
func missing(dir string, s Schema, find func(string) (string, bool)) *CellError {
	base := strings.TrimSuffix(s.Workbook, filepath.Ext(s.Workbook))
	csvBase := strings.TrimSuffix(s.CSV, filepath.Ext(s.CSV))
	for _, alt := range []string{base + ".xls", base + ".ods", base + ".xlsm", base + ".xlsb", base + ".numbers", csvBase + ".xls", csvBase + ".ods", csvBase + ".txt", csvBase + ".tsv"} {
		if p, ok := find(alt); ok {
			return &CellError{File: p, Err: problem(ErrFile,
				"%s files cannot be read: save it as Excel Workbook (%s) or as CSV UTF-8 (%s)", filepath.Ext(alt), s.Workbook, s.CSV)}
		}
	}
	if s.Name == "agreements" {
		return &CellError{File: dir, Err: problem(ErrFile,
			"no %s: add %s with a sheet %s, or %s", s.Name, s.Workbook, s.Sheet, s.CSV)}
	}
	return &CellError{File: dir, Err: problem(ErrMissing,
		"no %s, so the site has no %s section: add %s with a sheet %s, or %s, to add it", s.Name, s.Name, s.Workbook, s.Sheet, s.CSV)}
}

// asCellError places an error from a reader; readers return *CellError for
// everything but I/O surprises.
func asCellError(file string, err error) *CellError {
	var ce *CellError
	if errors.As(err, &ce) {
		return ce
	}
	return fileError(file, "cannot be read: %v", err)
}

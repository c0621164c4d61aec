// Package publish writes the researcher downloads of a build: one cleaned CSV
// per dataset, the datasets together as an accessible XLSX workbook and as
// JSON, metrics.json, the codebook as a REFI-QDA codebook (codebook.qdc), a
// Frictionless datapackage.json describing them all, and a SHA256SUMS file. The output depends only on its inputs: two writes of the
// same data are byte-identical.
package publish

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
)

// Defaults of the release metadata, used when a Release leaves them empty.
const (
	DefaultTitle      = "Evaluation data"
	DefaultLicence    = "Open Government Licence v3.0"
	DefaultLicenceURL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
)

// IllustrativeNotice is the sentence every download carries when the data is
// synthetic.
const IllustrativeNotice = "These data are synthetic and illustrative: they were generated for an example and are not the results of a real evaluation."

// Release is the metadata published with the data (who, when, which version,
// what status), from the site configuration.
type Release struct {
	Title, Publisher, Contact string
	ReleaseDate, NextUpdate   string // "YYYY-MM-DD", or free text for the next update
	Version, Status           string // status such as "Official statistics in development"
	Licence, LicenceURL       string // default DefaultLicence and DefaultLicenceURL
	Revisions                 []Revision
	Sources                   []string // where the data came from
	Illustrative              bool     // the data is synthetic: every file says so
}

// Revision is one entry of the revisions log.
type Revision struct {
	Date, Version, Note string
}

// Options are the publication choices of the configuration. The zero value
// publishes row-level codings without organisations.
type Options struct {
	// SuppressBelow turns on disclosure control when above 0: codings are
	// then published only as counts of interviews by code, group and wave,
	// counts below SuppressBelow showing as "[c]".
	SuppressBelow int
	// PublishOrganisations keeps the codings "organisation" column, which is
	// dropped otherwise.
	PublishOrganisations bool
	// IndentJSON lays evaluation.json out with two-space indents, for a
	// reader opening it in an editor; it is compact otherwise, a third
	// smaller.
	IndentJSON bool
}

// ErrDisclosure is what Write's errors unwrap to when the metrics' disclosure
// decisions do not match the threshold of the options.
var ErrDisclosure = errors.New("disclosure control does not match suppress_below")

// File describes one written download for the downloads page.
type File struct {
	Name        string          // relative to the folder, such as "agreements.csv"
	Title       string          // such as "Agreements (CSV)"
	Description string          // one or two sentences
	Format      string          // "CSV", "XLSX", "JSON" or "Text"
	Size        int64           // bytes
	SHA256      string          // lower-case hex
	Columns     []ingest.Column // the columns of a table, in order; nil for other files
}

// File names of the downloads that are not one per dataset.
const (
	WorkbookName    = "evaluation.xlsx"
	JSONName        = "evaluation.json"
	MetricsName     = "metrics.json"
	DataPackageName = "datapackage.json"
	SumsName        = "SHA256SUMS"
)

// Write writes into dir, which must exist and be empty: one cleaned CSV per
// dataset, evaluation.xlsx, evaluation.json, metrics.json (m as published,
// see metrics.Metrics.PublishedJSON), codebook.qdc when there is a codebook,
// datapackage.json and SHA256SUMS; when rel.Illustrative, also
// ILLUSTRATIVE.txt beside the CSVs, and metrics.json starts with
// "illustrative": true and the notice. It returns the files in a stable
// order: the CSVs in dataset order, then the files above in that order.
//
// With opt.SuppressBelow set, m must carry the disclosure decisions for that
// threshold (metrics.Disclose), and the codings are published as
// coding_counts.csv (and the matching sheet and JSON list), with those
// decisions, instead of codings.csv.
func Write(dir string, d *ingest.Data, m *metrics.Metrics, rel Release, opt Options) ([]File, error) {
	if d == nil || m == nil {
		return nil, errors.New("publish: no data")
	}
	if opt.SuppressBelow < 0 {
		return nil, fmt.Errorf("publish: suppress_below is negative (%d)", opt.SuppressBelow)
	}
	switch disc := m.Disclosure; {
	case opt.SuppressBelow > 0 && (disc == nil || disc.Below != opt.SuppressBelow):
		return nil, fmt.Errorf("publish: suppress_below is %d but the metrics were not disclosed at that threshold: %w", opt.SuppressBelow, ErrDisclosure)
	case opt.SuppressBelow == 0 && disc != nil:
		return nil, fmt.Errorf("publish: the metrics withhold counts below %d but suppress_below is not set: %w", disc.Below, ErrDisclosure)
	}
	metricsJSON, err := m.PublishedJSON()
	if err != nil {
		return nil, fmt.Errorf("publish: metrics: %w", err)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("publish: %w", err)
	}
	if len(entries) > 0 {
		return nil, fmt.Errorf("publish: folder %s is not empty", dir)
	}
	rel = rel.withDefaults()
	tables := buildTables(d, m.Disclosure, opt)
	notes := buildNotes(rel, opt, tables)

	// The CSVs, the workbook and the JSON are written at the same time, each
	// file hashed as it is written; the data package describes them after.
	csvs := make([]File, len(tables))
	var workbook, js File
	var wg sync.WaitGroup
	errs := make([]error, 3)
	wg.Go(func() {
		for i, t := range tables {
			f := File{
				Name:        t.file(),
				Title:       t.title + " (CSV)",
				Description: t.description,
				Format:      "CSV",
				Columns:     t.columns(),
			}
			if err := create(dir, &f, func(w io.Writer) error { return encodeCSV(w, t) }); err != nil {
				errs[0] = err
				return
			}
			csvs[i] = f
		}
	})
	wg.Go(func() {
		workbook = File{
			Name:        WorkbookName,
			Title:       "All datasets (Excel workbook)",
			Description: "Every dataset as a table on its own sheet, with a cover sheet, a table of contents and notes defining every column.",
			Format:      "XLSX",
		}
		errs[1] = create(dir, &workbook, func(w io.Writer) error { return encodeXLSX(w, rel, opt, tables, notes) })
	})
	js = File{
		Name:        JSONName,
		Title:       "All datasets (JSON)",
		Description: "Every dataset as a list of records, with the release metadata and notes; text exactly as entered.",
		Format:      "JSON",
	}
	errs[2] = create(dir, &js, func(w io.Writer) error { return encodeJSON(w, rel, opt, tables, notes) })
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	files := append(csvs, workbook, js)

	put := func(f File, data []byte) error {
		if err := create(dir, &f, func(w io.Writer) error {
			_, err := w.Write(data)
			return err
		}); err != nil {
			return err
		}
		files = append(files, f)
		return nil
	}
	if rel.Illustrative {
		if metricsJSON, err = markMetrics(metricsJSON); err != nil {
			return nil, fmt.Errorf("publish: %s: %w", MetricsName, err)
		}
		if err := put(File{
			Name:        IllustrativeNoteName,
			Title:       "Illustrative data (note)",
			Description: "Says that every file of this release, the CSV files included, holds synthetic data, not real results.",
			Format:      "Text",
		}, illustrativeNote(rel)); err != nil {
			return nil, err
		}
	}
	if err := put(File{
		Name:        MetricsName,
		Title:       "Metrics (JSON)",
		Description: "Every figure published on the site, as computed from the datasets.",
		Format:      "JSON",
	}, metricsJSON); err != nil {
		return nil, err
	}
	if len(d.Codebook) > 0 {
		f := File{
			Name:        QDCName,
			Title:       "Codebook (REFI-QDA)",
			Description: "The codebook as a REFI-QDA codebook, to import into qualitative analysis software such as NVivo, ATLAS.ti, MAXQDA or QualCoder.",
			Format:      "XML",
		}
		if err := create(dir, &f, func(w io.Writer) error { return encodeQDC(w, rel, d.Codebook) }); err != nil {
			return nil, err
		}
		files = append(files, f)
	}

	dp, err := encodeDataPackage(rel, opt, tables, files)
	if err != nil {
		return nil, fmt.Errorf("publish: %s: %w", DataPackageName, err)
	}
	if err := put(File{
		Name:        DataPackageName,
		Title:       "Data package descriptor (JSON)",
		Description: "Frictionless Data Package describing every file: licence, version, sources and a Table Schema for each CSV.",
		Format:      "JSON",
	}, dp); err != nil {
		return nil, err
	}

	if err := put(File{
		Name:        SumsName,
		Title:       "Checksums",
		Description: "SHA-256 checksum of every other file; check a download with `sha256sum -c SHA256SUMS`.",
		Format:      "Text",
	}, encodeSums(files)); err != nil {
		return nil, err
	}
	return files, nil
}

// create writes the file f.Name in dir with write, through a buffer, and
// sets f.Size and f.SHA256 from the bytes as they are written.
func create(dir string, f *File, write func(io.Writer) error) (err error) {
	out, err := os.OpenFile(filepath.Join(dir, f.Name), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("publish: %w", cerr)
		}
	}()
	h := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(out, h), 256<<10)
	cw := &countWriter{w: bw}
	if err := write(cw); err != nil {
		return fmt.Errorf("publish: %s: %w", f.Name, err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	f.Size = cw.n
	f.SHA256 = hex.EncodeToString(h.Sum(nil))
	return nil
}

// countWriter counts the bytes written through it.
type countWriter struct {
	w io.Writer
	n int64
}

func (c *countWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// encodeSums writes lines that `sha256sum -c` accepts, sorted by file name.
func encodeSums(files []File) []byte {
	sorted := append([]File(nil), files...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	var b strings.Builder
	for _, f := range sorted {
		b.WriteString(f.SHA256)
		b.WriteString("  ")
		b.WriteString(f.Name)
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// withDefaults fills the licence and title when the configuration left them empty.
func (r Release) withDefaults() Release {
	if strings.TrimSpace(r.Title) == "" {
		r.Title = DefaultTitle
	}
	if r.Licence == "" {
		r.Licence = DefaultLicence
		if r.LicenceURL == "" {
			r.LicenceURL = DefaultLicenceURL
		}
	}
	return r
}

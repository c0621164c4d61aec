package site

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/evalsite/evalsite/internal/publish"
)

// Names of the "download all" files in data/ of the build.
const (
	allDataName  = "all-data.zip"
	guidanceName = "data-guidance.txt"
)

// allData describes the ZIP of every download for the downloads page.
type allData struct {
	Name     string `json:"name"`
	Size     string `json:"size"`
	Guidance string `json:"guidance"`
}

// writeAllData writes the data guidance (what each file holds, its columns
// and its source) and one ZIP of every download with the guidance, so that
// a researcher takes the release in one file.
func (g *generator) writeAllData(dir string, files []publish.File) (allData, error) {
	guidance := []byte(g.dataGuidance(files))
	if err := os.WriteFile(filepath.Join(dir, guidanceName), guidance, 0o644); err != nil {
		return allData{}, err
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	// The fastest deflate level, as for the workbook: the files are text
	// that compresses nearly as well at it, in a third of the time, which
	// a preview at 10,000 agreements pays on every edit of the data.
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flate.BestSpeed)
	})
	add := func(name string, b []byte) error {
		// A fixed time: two builds of the same inputs give the same bytes.
		w, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)})
		if err != nil {
			return err
		}
		_, err = w.Write(b)
		return err
	}
	if err := add(guidanceName, guidance); err != nil {
		return allData{}, fmt.Errorf("write %s: %w", allDataName, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			return allData{}, err
		}
		if err := add(f.Name, b); err != nil {
			return allData{}, fmt.Errorf("write %s: %w", allDataName, err)
		}
	}
	if err := zw.Close(); err != nil {
		return allData{}, fmt.Errorf("write %s: %w", allDataName, err)
	}
	if err := os.WriteFile(filepath.Join(dir, allDataName), buf.Bytes(), 0o644); err != nil {
		return allData{}, err
	}
	return allData{Name: allDataName, Size: humanSize(int64(buf.Len())), Guidance: guidanceName}, nil
}

// dataGuidance is the plain-text guide to the files of the release: for
// each, what it holds, its format, and its columns with their types and
// meanings; then where the data comes from and the terms of use.
func (g *generator) dataGuidance(files []publish.File) string {
	var b strings.Builder
	line := func(format string, a ...any) { fmt.Fprintf(&b, format+"\n", a...) }
	title := g.ev.Title
	if title == "" {
		title = "Evaluation data"
	}
	line("Data guidance: %s", title)
	line("%s", strings.Repeat("=", len([]rune("Data guidance: "+title))))
	line("")
	if g.ev.Publisher != "" {
		line("Publisher: %s", g.ev.Publisher)
	}
	if d, err := time.Parse(time.DateOnly, g.ev.ReleaseDate); err == nil {
		line("Published: %s", longDate(d))
	}
	if g.ev.Version != "" {
		line("Version: %s", g.ev.Version)
	}
	if g.ev.Contact != "" {
		line("Contact: %s", g.ev.Contact)
	}
	line("Licence: %s %s", g.ev.Licence, g.ev.LicenceURL)
	if g.ev.Source != "" {
		line("Source: %s", g.ev.Source)
	}
	line("")
	if g.ev.Illustrative {
		line("THE DATA IS SYNTHETIC AND ILLUSTRATIVE: it is made to resemble the evaluation, and none of its figures are real results.")
		line("")
	}
	line("Dates are written YYYY-MM-DD. Text values of a fixed list are written in lower case with underscores (not_granted); the column descriptions list them. SHA256SUMS holds the checksum of every file.")
	for _, f := range files {
		line("")
		line("%s", f.Name)
		line("%s", strings.Repeat("-", len(f.Name)))
		line("%s", f.Title)
		if f.Description != "" {
			line("%s", f.Description)
		}
		line("Format: %s, %s. SHA-256: %s", f.Format, humanSize(f.Size), f.SHA256)
		if len(f.Columns) > 0 {
			line("Columns:")
			for _, c := range f.Columns {
				req := "optional"
				if c.Required {
					req = "required"
				}
				desc := c.Description
				if len(c.Values) > 0 {
					desc += " One of: " + strings.Join(c.Values, ", ") + "."
				}
				line("  %s (%s, %s): %s", c.Name, c.Kind, req, desc)
			}
		}
	}
	return b.String()
}

package site

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/evalsite/evalsite/internal/ingest"

	"github.com/evalsite/evalsite/internal/publish"
)

// downloadFile is one entry of the downloads page.
type downloadFile struct {
	Name        string     `json:"name"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Format      string     `json:"format"`
	Size        string     `json:"size"`
	SHA256      string     `json:"sha256"`
	Columns     [][]string `json:"columns,omitempty"`
}

// downloads writes the researcher downloads into data/ of the build and
// describes them for the downloads page and its schema.org Dataset.
func (g *generator) downloads(context.Context) error {
	st := beginStage(g.prog, StageDownloads, "files", 0)
	defer st.end()
	dir := filepath.Join(g.out, "data")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files, err := publish.Write(dir, g.data, g.metrics, g.releaseForPublish(), publish.Options{
		SuppressBelow:        g.ev.SuppressBelow,
		PublishOrganisations: g.ev.PublishOrganisation,
	})
	if err != nil {
		return err
	}
	// The table of a dataset that was not in the input is empty: not offered.
	files = slices.DeleteFunc(files, func(f publish.File) bool {
		ds, ok := strings.CutSuffix(f.Name, ".csv")
		return ok && ds != "agreements" && isDataset(ds) && !g.present(ds)
	})
	st.set(len(files))
	list := make([]downloadFile, 0, len(files))
	for _, f := range files {
		d := downloadFile{
			Name: f.Name, Title: f.Title, Description: f.Description, Format: f.Format,
			Size: humanSize(f.Size), SHA256: f.SHA256,
		}
		for _, c := range f.Columns {
			req := "No"
			if c.Required {
				req = "Yes"
			}
			def := c.Description
			if len(c.Values) > 0 {
				def += " One of: " + strings.Join(c.Values, ", ") + "."
			}
			d.Columns = append(d.Columns, []string{c.Name, c.Kind.String(), req, def})
		}
		list = append(list, d)
	}
	if err := g.writeData("downloads", list); err != nil {
		return err
	}
	all, err := g.writeAllData(dir, files)
	if err != nil {
		return err
	}
	if err := g.writeData("download_all", all); err != nil {
		return err
	}
	return g.writeData("jsonld", g.datasetJSONLD(files))
}

func (g *generator) releaseForPublish() publish.Release {
	rel := publish.Release{
		Title: g.ev.Title, Publisher: g.ev.Publisher, Contact: g.ev.Contact,
		ReleaseDate: g.ev.ReleaseDate, NextUpdate: g.ev.NextUpdate,
		Version: g.ev.Version, Status: g.ev.Status,
		Licence: g.ev.Licence, LicenceURL: g.ev.LicenceURL,
		Illustrative: g.ev.Illustrative,
	}
	if g.ev.Source != "" {
		rel.Sources = []string{g.ev.Source}
	}
	for _, r := range g.ev.Revisions {
		rel.Revisions = append(rel.Revisions, publish.Revision{Date: r.Date, Version: r.Version, Note: r.Note})
	}
	return rel
}

// datasetJSONLD describes the release as a schema.org Dataset for search engines.
func (g *generator) datasetJSONLD(files []publish.File) map[string]any {
	var dist []map[string]any
	for _, f := range files {
		dist = append(dist, map[string]any{
			"@type":          "DataDownload",
			"name":           f.Name,
			"encodingFormat": f.Format,
			"contentUrl":     "data/" + f.Name,
			"contentSize":    fmt.Sprintf("%d B", f.Size),
		})
	}
	ld := map[string]any{
		"@context":     "https://schema.org",
		"@type":        "Dataset",
		"name":         g.ev.Title,
		"description":  "Data of the evaluation: agreements, freedoms requested and granted, dated contacts and interview codings, with the figures computed from them.",
		"license":      g.ev.LicenceURL,
		"version":      g.ev.Version,
		"distribution": dist,
	}
	if g.ev.Illustrative {
		ld["description"] = ld["description"].(string) + " The data is synthetic and illustrative, not real results."
	}
	if g.ev.Publisher != "" {
		ld["publisher"] = map[string]any{"@type": "Organization", "name": g.ev.Publisher}
		ld["creator"] = ld["publisher"]
	}
	if g.ev.ReleaseDate != "" {
		ld["datePublished"] = g.ev.ReleaseDate
	}
	return ld
}

// humanSize formats a byte count for readers: "812 bytes", "14.2 KB", "3.1 MB".
func humanSize(n int64) string {
	switch {
	case n < 1000:
		return fmt.Sprintf("%d bytes", n)
	case n < 1000*1000:
		return fmt.Sprintf("%.1f KB", float64(n)/1000)
	}
	return fmt.Sprintf("%.1f MB", float64(n)/1e6)
}

// isDataset reports whether name is one of the input datasets.
func isDataset(name string) bool {
	for _, s := range ingest.Schemas() {
		if s.Name == name {
			return true
		}
	}
	return false
}

package site

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"regexp"
	"runtime"
	"strconv"
	"sync"

	"github.com/evalsite/evalsite/charts"
	"github.com/evalsite/evalsite/internal/ingest"
)

// chartJob draws one chart; name is how report chapters cite it.
type chartJob struct {
	name string
	draw func(w io.Writer) (*charts.Chart, error)
}

// chartMeta is what the chart partial prints around a chart.
type chartMeta struct {
	Name     string     `json:"name"`
	Title    string     `json:"title"`
	Subtitle string     `json:"subtitle"`
	Source   string     `json:"source"`
	Alt      string     `json:"alt"`
	Header   []string   `json:"header"`
	Rows     [][]string `json:"rows"`
	SVG      string     `json:"svg"`
	CSV      string     `json:"csv"`
	Width    int        `json:"width"`
	Height   int        `json:"height"`
}

// charts draws every chart into charts/ of the build, both cores at once,
// and records their texts for the templates.
func (g *generator) charts(ctx context.Context) error {
	jobs := g.chartJobs()
	metas := make([]chartMeta, len(jobs))
	errs := make([]error, len(jobs))
	work := make(chan int)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range work {
				metas[i], errs[i] = g.drawChart(jobs[i])
			}
		})
	}
	for i := range jobs {
		if ctx.Err() != nil {
			break
		}
		work <- i
	}
	close(work)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return err
	}
	byName := map[string]chartMeta{}
	for i, err := range errs {
		if err != nil {
			return fmt.Errorf("chart %s: %w", jobs[i].name, err)
		}
		byName[jobs[i].name] = metas[i]
	}
	return g.writeData("charts", byName)
}

func (g *generator) drawChart(j chartJob) (chartMeta, error) {
	var svg bytes.Buffer
	c, err := j.draw(&svg)
	if err != nil {
		return chartMeta{}, err
	}
	var csv bytes.Buffer
	if err := c.WriteCSV(&csv); err != nil {
		return chartMeta{}, err
	}
	m := chartMeta{
		Name: j.name, Title: c.Title, Subtitle: c.Subtitle, Source: c.Source, Alt: c.Alt,
		Header: c.Header, Rows: c.Rows,
		SVG: "charts/" + j.name + ".svg", CSV: "charts/" + j.name + ".csv",
	}
	m.Width, m.Height = svgSize(svg.Bytes())
	if err := g.writeOut(m.SVG, svg.Bytes()); err != nil {
		return m, err
	}
	return m, g.writeOut(m.CSV, csv.Bytes())
}

var viewBoxRE = regexp.MustCompile(`viewBox="0 0 ([0-9.]+) ([0-9.]+)"`)

// svgSize reads the intrinsic size of an SVG from its viewBox, so that the
// page reserves the chart's space before it loads.
func svgSize(b []byte) (w, h int) {
	m := viewBoxRE.FindSubmatch(b)
	if m == nil {
		return 0, 0
	}
	fw, _ := strconv.ParseFloat(string(m[1]), 64)
	fh, _ := strconv.ParseFloat(string(m[2]), 64)
	return int(fw + 0.5), int(fh + 0.5)
}

// chartAgreements converts the agreements for the charts package.
func chartAgreements(as []ingest.Agreement) []charts.Agreement {
	out := make([]charts.Agreement, len(as))
	for i, a := range as {
		out[i] = charts.Agreement{ID: a.ID, Label: a.Authority, Started: a.Started, Signed: a.Signed, Withdrawn: a.Withdrawn}
	}
	return out
}

// chartJobs lists the charts of the site.
func (g *generator) chartJobs() []chartJob {
	src := g.ev.Source
	if src == "" {
		src = "Evaluation data"
	}
	agreements := chartAgreements(g.data.Agreements)
	return []chartJob{
		{"time_to_agreement", func(w io.Writer) (*charts.Chart, error) {
			return charts.TimeToAgreement(w, charts.TimeToAgreementInput{Source: src, Agreements: agreements})
		}},
	}
}

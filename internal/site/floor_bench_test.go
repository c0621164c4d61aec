package site

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/evalsite/evalsite/internal/example"
)

// The floor: Hugo alone, through the same in-memory source and the same
// forced settings as a build, writing as many pages as the example of n
// agreements makes, each a title and a paragraph under a layout of a few
// lines. An evalsite build cannot be quicker than this; bench.sh prints the
// whole build as a multiple of it.
const (
	floorConfig = `title = "Floor"
disableKinds = ["taxonomy", "term", "rss", "sitemap", "404", "robotstxt"]
`
	floorLayout = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head>` +
		`<body><h1>{{ .Title }}</h1>{{ .Content }}{{ range .Pages }}<a href="{{ .RelPermalink }}">{{ .Title }}</a>{{ end }}</body></html>`
	floorAdapter = `{{ range seq (int .Site.Params.floorpages) }}
{{ $.AddPage (dict "kind" "page" "path" (printf "p%d" .) "title" (printf "Page %d" .)
  "content" (dict "mediaType" "text/markdown" "value" (printf "Page %d of the floor: a paragraph of *plain* text, about as long as a short note on an agreement." .))) }}
{{ end }}`
)

// examplePages is the number of HTML pages a build of d with the
// repository's content makes: the chapters and sections of content/, the
// five generated sections, and a page per agreement, department and code.
func examplePages(tb testing.TB, d *floorData) int {
	tb.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join("..", "..", "content"), func(p string, e os.DirEntry, err error) error {
		if err == nil && !e.IsDir() && filepath.Ext(p) == ".md" {
			n++
		}
		return err
	})
	if err != nil {
		tb.Fatal(err)
	}
	return n + len(generatedSections) + d.agreements + d.departments + d.codes
}

type floorData struct{ agreements, departments, codes int }

// BenchmarkHugoFloor builds, with Hugo alone, the number of pages the
// example makes at 20, 1,000 and 10,000 agreements (the sizes of
// BenchmarkBuild).
func BenchmarkHugoFloor(b *testing.B) {
	sizes := []int{20, 1_000}
	if os.Getenv("EVALSITE_BENCH_LARGE") != "" {
		sizes = append(sizes, 10_000)
	}
	for _, n := range sizes {
		d := example.Generate(example.Config{Agreements: n})
		pages := examplePages(b, &floorData{len(d.Agreements), len(departments(d)), len(codes(d))})
		b.Run(fmt.Sprintf("agreements=%d", n), func(b *testing.B) {
			src := newSource()
			conf := floorConfig + "[params]\nfloorpages = " + strconv.Itoa(pages-2) + "\n"
			for name, text := range map[string]string{
				"hugo.toml":                 conf,
				"layouts/home.html":         floorLayout,
				"layouts/section.html":      floorLayout,
				"layouts/page.html":         floorLayout,
				"content/_index.md":         "---\ntitle: Home\n---\nThe floor.\n",
				"content/p/_index.md":       "---\ntitle: Pages\n---\n",
				"content/p/_content.gotmpl": floorAdapter,
			} {
				if err := src.write(name, []byte(text)); err != nil {
					b.Fatal(err)
				}
			}
			hlog := hugoLogger(nil)
			b.ReportAllocs()
			written := 0
			for b.Loop() {
				out := b.TempDir()
				cfg, err := src.hugoConfig(out, false, hlog)
				if err != nil {
					b.Fatal(err)
				}
				if err := src.runHugo(cfg, out, hlog, nil); err != nil {
					b.Fatal(err)
				}
				b.StopTimer()
				if written, _, err = countFiles(out); err != nil {
					b.Fatal(err)
				}
				os.RemoveAll(out)
				b.StartTimer()
			}
			if written != pages {
				b.Fatalf("the floor wrote %d pages, want %d", written, pages)
			}
			b.ReportMetric(float64(written), "pages")
			b.ReportMetric(float64(written)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

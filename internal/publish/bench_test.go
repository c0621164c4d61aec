package publish

import (
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/ingest"
)

// benchSizes are the numbers of agreements of the benchmark table in
// docs/performance.md.
// 10,000 agreements (about 470,000 events) runs only with
// EVALSITE_BENCH_LARGE=1, so that -bench . stays quick by default.
func benchSizes(b *testing.B) []int {
	if os.Getenv("EVALSITE_BENCH_LARGE") == "" {
		return []int{20, 1_000}
	}
	return []int{20, 1_000, 10_000}
}

// exampleData caches example.Generate per size: generating 10,000
// agreements takes seconds and is not what is measured.
var exampleData sync.Map // int -> *ingest.Data

func exampleOf(n int) *ingest.Data {
	if d, ok := exampleData.Load(n); ok {
		return d.(*ingest.Data)
	}
	d := example.Generate(example.Config{Agreements: n})
	exampleData.Store(n, d)
	return d
}

func rowsOf(d *ingest.Data) int {
	return len(d.Agreements) + len(d.Freedoms) + len(d.Events) + len(d.Codings) + len(d.Codebook)
}

// BenchmarkWriteExample measures Write, every download, on the example
// evaluation at 20, 1,000 and 10,000 agreements, reporting the dataset rows
// written per second (each row goes to a CSV, the workbook and the JSON).
func BenchmarkWriteExample(b *testing.B) {
	for _, n := range benchSizes(b) {
		d := exampleOf(n)
		rows := rowsOf(d)
		for _, opt := range []Options{{}, {SuppressBelow: 5}} {
			b.Run(fmt.Sprintf("agreements=%d/suppress=%d", n, opt.SuppressBelow), func(b *testing.B) {
				m := metricsOf(d, opt)
				b.ReportAllocs()
				for b.Loop() {
					dir := b.TempDir()
					if _, err := Write(dir, d, m, testRelease(), opt); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
	}
}

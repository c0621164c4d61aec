package charts

import (
	"bytes"
	"os"
	"testing"
)

// BenchmarkChartSetStages renders the chart set of BenchmarkChartSet at the
// three sizes of the benchmark table in docs/performance.md, 20, 1,000 and 10,000 agreements
// (10,000 only with EVALSITE_BENCH_LARGE=1), reporting charts per second.
// The site draws one agreement timeline per agreement besides: its charts
// stage at each size is in internal/site's BenchmarkBuild.
func BenchmarkChartSetStages(b *testing.B) {
	sizes := []int{20, 1_000}
	if os.Getenv("EVALSITE_BENCH_LARGE") != "" {
		sizes = append(sizes, 10_000)
	}
	for _, n := range sizes {
		s := newSample(n, 1)
		b.Run("agreements="+itoa(n), func(b *testing.B) {
			var buf bytes.Buffer
			set := chartSet()
			b.ReportAllocs()
			for b.Loop() {
				for _, cf := range set {
					buf.Reset()
					if _, err := cf.render(&buf, s); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(len(set))*float64(b.N)/b.Elapsed().Seconds(), "charts/s")
		})
	}
}

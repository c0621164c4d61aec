package metrics

import (
	"fmt"
	"testing"
)

// BenchmarkCompute measures the whole computation at the sizes of a large evaluation:
// 50 events and 5 freedoms per agreement, 2,000 interviews of 20 codings.
func BenchmarkCompute(b *testing.B) {
	for _, n := range []int{20, 1_000, 10_000} {
		b.Run(fmt.Sprintf("agreements=%d", n), func(b *testing.B) {
			d := generate(1, shape{agreements: n, eventsPer: 50, freedomsPer: 5, interviews: 2_000, codingsPer: 20})
			b.ReportAllocs()
			for b.Loop() {
				Compute(d, Config{})
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "agreements/s")
		})
	}
}

// BenchmarkLookup measures one figure lookup, which the site makes for every
// shortcode in the report.
func BenchmarkLookup(b *testing.B) {
	m := Compute(generate(1, shape{agreements: 100, eventsPer: 5, freedomsPer: 5, interviews: 2_000, codingsPer: 20}), Config{})
	for _, name := range []string{"time_to_agreement_days.median", "codings.codes.code07.by_group.lga.share", "codings.cooccurrence.code03.code09"} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := m.Lookup(name); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

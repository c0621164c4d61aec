package site

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
)

// TestWithheldCountsDoNotOrderRows changes the true value of every withheld
// code count, keeping what is published, and checks that the heat map picks
// and orders the same codes and the co-occurrence table lists the same rows:
// an order that followed a withheld count would show it.
func TestWithheldCountsDoNotOrderRows(t *testing.T) {
	t.Parallel()
	groups := []string{"local_authority", "department", "lga", "other"}
	for seed := range uint64(50) {
		r := rand.New(rand.NewPCG(seed, 11))
		var cs []ingest.Coding
		for i := range 20 + r.IntN(60) {
			g := groups[min(r.IntN(6), len(groups)-1)]
			for range 1 + r.IntN(3) {
				// Code k is chosen with weight 1/(k+1): a few common codes, many rare ones.
				k := int(float64(20) * r.Float64() * r.Float64())
				cs = append(cs, ingest.Coding{InterviewID: fmt.Sprint("I", i), Wave: 1 + r.IntN(2), Group: g, Code: fmt.Sprintf("c%02d", k)})
			}
		}
		d := &ingest.Data{Codings: cs}
		below := 3 + int(seed%5)
		m := metrics.Disclose(metrics.Compute(d, metrics.Config{}), cs, below)
		g := &generator{data: d, metrics: m, ev: Evaluation{SuppressBelow: below}}
		codes, _ := g.heatMapAxes()
		table := g.cooccurrenceTable(m)

		other := *m
		other.Codings.Codes = maps.Clone(m.Codings.Codes)
		changed := 0
		for c, st := range other.Codings.Codes {
			if m.Disclosure.Codes[c].Interviews.Withheld() {
				st.Interviews = 1000 - len(c)*int(seed+1)%97 - st.Interviews
				other.Codings.Codes[c] = st
				changed++
			}
		}
		g2 := &generator{data: d, metrics: &other, ev: g.ev}
		codes2, _ := g2.heatMapAxes()
		if changed > 0 && !slices.Equal(codes, codes2) {
			t.Errorf("seed %d: heat map rows %v become %v when withheld counts change", seed, codes, codes2)
		}
		for _, row := range table.Rows {
			if row[2] == metrics.Withheld {
				t.Errorf("seed %d: the co-occurrence table lists a withheld pair %v", seed, row)
			}
		}
	}
}

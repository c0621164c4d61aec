package site

import (
	"strconv"

	"github.com/evalsite/evalsite/internal/format"
	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
)

// interviewsByWave counts the distinct interviews of each wave: the base of
// every share by wave.
func interviewsByWave(cs []ingest.Coding) map[int]int {
	seen := map[string]bool{}
	n := map[int]int{}
	for _, c := range cs {
		if !seen[c.InterviewID] {
			seen[c.InterviewID] = true
			n[c.Wave]++
		}
	}
	return n
}

// markSmallBases writes each share of interviews over fewer than min_base
// interviews with its base, "100% (small base: 4 interviews)", wherever the
// metric shortcode prints it. Withheld figures stay "[c]".
func (g *generator) markSmallBases() {
	if g.ev.MinBase <= 0 {
		return
	}
	perWave := interviewsByWave(g.data.Codings)
	mark := func(name string, base int) {
		text, ok := g.figs[name]
		if !ok || text == metrics.Withheld || base >= g.ev.MinBase {
			return
		}
		g.figs[name] = text + " (small base: " + format.Counted(base, "interview", "interviews") + ")"
	}
	c := g.metrics.Codings
	for code, st := range c.Codes {
		mark("codings.codes."+code+".share", c.Interviews)
		for grp := range st.ByGroup {
			mark("codings.codes."+code+".by_group."+grp+".share", c.InterviewsByGroup[grp])
		}
		for w := range st.ByWave {
			n, _ := strconv.Atoi(w)
			mark("codings.codes."+code+".by_wave."+w+".share", perWave[n])
		}
	}
}

// shownBase is a count of interviews as a chart's header may show it: left
// out (0) when disclosure control would withhold it.
func (g *generator) shownBase(n int) int {
	if g.ev.SuppressBelow > 0 && n < g.ev.SuppressBelow {
		return 0
	}
	return n
}

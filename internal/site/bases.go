package site

import (
	"strconv"

	"github.com/evalsite/evalsite/internal/format"
	"github.com/evalsite/evalsite/internal/ingest"
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
		if !ok || text == confidential || base >= g.ev.MinBase {
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

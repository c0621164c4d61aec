package site

import (
	"github.com/evalsite/evalsite/internal/format"
	"github.com/evalsite/evalsite/internal/metrics"
)

// markSmallBases writes each share of interviews over fewer than min_base
// interviews with its base, "100% (small base: 4 interviews)", wherever the
// metric shortcode prints it. Withheld figures stay "[c]".
func (g *generator) markSmallBases() {
	if g.ev.MinBase <= 0 {
		return
	}
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
			mark("codings.codes."+code+".by_wave."+w+".share", c.InterviewsByWave[w])
		}
	}
}

// waveBase is the interviews of wave w as a chart's header may show them:
// left out (0) when disclosure control withholds the figure.
func (g *generator) waveBase(w string) int {
	if g.figs["codings.interviews_by_wave."+w] == metrics.Withheld {
		return 0
	}
	return g.metrics.Codings.InterviewsByWave[w]
}

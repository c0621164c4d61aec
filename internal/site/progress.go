package site

import (
	"sync/atomic"
	"time"
)

// Progress hears how a build is going, stage by stage, so that a long
// build can say what it is doing. Begin opens a stage with the unit it
// counts ("rows", "charts", "pages"; empty when it counts nothing) and the
// total when known beforehand (0 otherwise); Update gives the count done so
// far; End closes the stage with its final count and how long it took.
// Stages may overlap, and calls come from several goroutines.
type Progress interface {
	Begin(stage, unit string, total int)
	Update(stage string, done int)
	End(stage string, done int, took time.Duration)
}

// The stages of a build, as Progress names them.
const (
	StageRead      = "reading data"
	StageFigures   = "computing figures"
	StageCharts    = "drawing charts"
	StageDownloads = "writing downloads"
	StagePages     = "preparing pages"
	StageHugo      = "writing pages"
)

// stage counts one stage of a build for a Progress, which may be nil.
type stage struct {
	p     Progress
	name  string
	start time.Time
	done  atomic.Int64
}

func beginStage(p Progress, name, unit string, total int) *stage {
	s := &stage{p: p, name: name, start: time.Now()}
	if p != nil {
		p.Begin(name, unit, total)
	}
	return s
}

// add counts n more units done.
func (s *stage) add(n int) {
	d := s.done.Add(int64(n))
	if s.p != nil {
		s.p.Update(s.name, int(d))
	}
}

// set gives the count done outright, for a stage counted only at its end.
func (s *stage) set(n int) { s.done.Store(int64(n)) }

func (s *stage) end() {
	if s.p != nil {
		s.p.End(s.name, int(s.done.Load()), time.Since(s.start))
	}
}

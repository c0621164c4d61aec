package main

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"golang.org/x/term"
)

// progressAfter is how long a build runs before it says what it is doing:
// a quick build prints nothing but its result. The command's tests lower it.
var progressAfter = 2 * time.Second

// progress prints a build's stages on standard error once the build has
// run for progressAfter. On a terminal the stage under way is one line
// rewritten in place with its count, and stays as a line with its count
// and time when it ends; elsewhere (a log, a pipe) each stage is one plain
// line when it ends. Every line starts "evalsite:". It implements
// site.Progress.
type progress struct {
	w     io.Writer
	term  bool
	start time.Time
	now   func() time.Time

	mu      sync.Mutex
	stages  map[string]*stageLine
	current string   // the stage last heard of, shown in place on a terminal
	pending []string // lines of stages ended before progressAfter
	shown   bool     // progressAfter has passed: lines are printed as they come
	open    bool     // a line is on the terminal without its newline
	drawn   time.Time
	stop    chan struct{}
	stopped chan struct{}
}

type stageLine struct {
	unit        string
	done, total int
}

// isTerminal reports whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}

func newProgress(w io.Writer, terminal bool, now func() time.Time) *progress {
	return &progress{w: w, term: terminal, now: now, start: now(), stages: map[string]*stageLine{}}
}

// run redraws the stage under way every tick until Close, so that a stage
// that counts nothing (reading, say) still shows once progressAfter has passed.
func (p *progress) run(tick time.Duration) {
	p.stop, p.stopped = make(chan struct{}), make(chan struct{})
	go func() {
		defer close(p.stopped)
		t := time.NewTicker(tick)
		defer t.Stop()
		for {
			select {
			case <-p.stop:
				return
			case <-t.C:
				p.mu.Lock()
				p.refresh(true)
				p.mu.Unlock()
			}
		}
	}()
}

func (p *progress) Begin(stage, unit string, total int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stages[stage] = &stageLine{unit: unit, total: total}
	p.current = stage
	p.refresh(true)
}

func (p *progress) Update(stage string, done int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.stages[stage]
	if !ok {
		return
	}
	s.done = done
	p.current = stage
	// A terminal is redrawn at most ten times a second.
	p.refresh(p.now().Sub(p.drawn) >= 100*time.Millisecond)
}

func (p *progress) End(stage string, done int, took time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s, ok := p.stages[stage]
	if !ok {
		return
	}
	s.done = done
	delete(p.stages, stage)
	line := "evalsite: " + stage + stageCount(s, true) + " in " + seconds(took)
	if p.current == stage {
		p.current = ""
	}
	if !p.shown {
		p.pending = append(p.pending, line)
		p.refresh(true)
		return
	}
	p.clear()
	fmt.Fprintln(p.w, line)
	p.refresh(true)
}

// Close ends the line in place, if any, and stops redrawing. Lines of
// stages that ended before progressAfter are never printed.
func (p *progress) Close() {
	if p.stop != nil {
		close(p.stop)
		<-p.stopped
		p.stop = nil
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
}

// refresh prints what is pending once progressAfter has passed, and on a
// terminal draws the stage under way if redraw.
func (p *progress) refresh(redraw bool) {
	if !p.shown {
		if p.now().Sub(p.start) < progressAfter {
			return
		}
		p.shown = true
		for _, l := range p.pending {
			fmt.Fprintln(p.w, l)
		}
		p.pending = nil
	}
	if !p.term || !redraw {
		return
	}
	s, ok := p.stages[p.current]
	if !ok {
		return
	}
	fmt.Fprintf(p.w, "\revalsite: %s%s...\x1b[K", p.current, stageCount(s, false))
	p.open = true
	p.drawn = p.now()
}

// clear removes the line in place from a terminal.
func (p *progress) clear() {
	if p.open {
		fmt.Fprint(p.w, "\r\x1b[K")
		p.open = false
	}
}

// stageCount says how far a stage has gone: ": 4,512 of 10,009 charts", or
// ": 10,009 charts" once ended.
func stageCount(s *stageLine, ended bool) string {
	switch {
	case s.unit == "":
		return ""
	case s.total > 0 && !ended:
		return ": " + thousands(s.done) + " of " + thousands(s.total) + " " + s.unit
	case s.done == 0 && !ended:
		return ""
	}
	return ": " + thousands(s.done) + " " + s.unit
}

// thousands writes n with commas: 10,009.
func thousands(n int) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, r := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// seconds writes a duration for people: "0.3 s", "12.4 s".
func seconds(d time.Duration) string {
	return fmt.Sprintf("%.1f s", d.Seconds())
}

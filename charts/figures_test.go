package charts

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/evalsite/evalsite/internal/srccheck"
)

// describing lists, as "file:line: function", every statement in the
// package's non-test files that accumulates in a loop (x++, x--, or x += y
// where y holds no string literal) in a function that describes rather than
// draws. Drawing and text fitting (functions given a draw.Canvas or a
// text.Style, and the draw methods of marks) count positions and lines, not
// figures, and are not listed. It lists too every import of the statistics
// package.
func describing(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			if p, _ := strconv.Unquote(imp.Path.Value); strings.HasSuffix(p, "/internal/stats") {
				found = append(found, fset.Position(imp.Pos()).String()+": imports "+p)
			}
		}
		for _, d := range f.Decls {
			fn, ok := d.(*ast.FuncDecl)
			if !ok || fn.Body == nil || draws(fn) {
				continue
			}
			var loop func(n ast.Node, in bool)
			loop = func(n ast.Node, in bool) {
				ast.Inspect(n, func(n ast.Node) bool {
					switch s := n.(type) {
					case *ast.RangeStmt:
						loop(s.Body, true)
						return false
					case *ast.ForStmt:
						loop(s.Body, true)
						return false
					case ast.Stmt:
						if in && srccheck.Accumulates(s) {
							found = append(found, fset.Position(s.Pos()).String()+": "+fn.Name.Name)
						}
					case *ast.CallExpr:
						if dividesForPercent(s) {
							found = append(found, fset.Position(s.Pos()).String()+": "+fn.Name.Name+" (a share worked out in place)")
						}
					}
					return true
				})
			}
			loop(fn.Body, false)
		}
	}
	return found
}

// draws reports whether fn draws or fits text: a draw or render method, or
// a function given a canvas or a text style.
// dividesForPercent reports a call that prints as a percentage a quotient
// worked out in place, percent(a / b): a share a reader sees, which the
// metrics must give instead.
func dividesForPercent(c *ast.CallExpr) bool {
	id, ok := c.Fun.(*ast.Ident)
	if !ok || !strings.HasPrefix(id.Name, "percent") || len(c.Args) == 0 {
		return false
	}
	b, ok := ast.Unparen(c.Args[0]).(*ast.BinaryExpr)
	return ok && b.Op == token.QUO
}

func draws(fn *ast.FuncDecl) bool {
	if fn.Recv != nil && (fn.Name.Name == "draw" || fn.Name.Name == "render") {
		return true
	}
	for _, p := range fn.Type.Params.List {
		if sel, ok := p.Type.(*ast.SelectorExpr); ok {
			if x, ok := sel.X.(*ast.Ident); ok && (x.Name == "draw" && sel.Sel.Name == "Canvas" || x.Name == "text" && sel.Sel.Name == "Style") {
				return true
			}
		}
	}
	return false
}

// A chart shows the figures of its input: a median, a total or a peak that
// a reader sees is computed by the metrics, under a registry name, never by
// the chart. This holds the describing code to that: it takes no median from
// the statistics package, accumulates nothing in a loop and prints no
// quotient of its own as a percentage, outside the
// functions listed here with the reason each may.
func TestChartsComputeNoFigureOfTheirOwn(t *testing.T) {
	t.Parallel()
	allowed := map[string]string{
		// Words, colours and checks, not figures.
		"glueDates": "steps over the words of a date",
		"joinAnd":   "joins words",
		"shade":     "darkens a colour until its text contrasts",
		"runs":      "groups equal days into one table row",
		"sumHours":  "adds up a split of hours only to check it against the metrics' total",
		"observedTimes": "checks that the metrics' Kaplan-Meier steps and censoring times " +
			"describe one estimate, and merges them by day",
		// Counts of the chart's own cells, which say how much of the chart
		// is withheld or rests on a small base, not figures of the data.
		"describeCodesByGroup": "counts its withheld and small-base cells",
		"describeCodesByWave":  "counts the rows it draws",
		// Not yet figures of the metrics: the number of values in each row
		// of a spread chart, and the events of each agreement on the
		// timeline.
		"describeSpread":   "counts the values of its rows",
		"describeTimeline": "counts the events of each agreement",
	}
	for _, s := range describing(t) {
		fn := s[strings.LastIndex(s, " ")+1:]
		if _, ok := allowed[fn]; ok {
			continue
		}
		t.Errorf("%s: the chart computes a figure; take it from the input, where the site puts the metrics' figure", s)
	}
}

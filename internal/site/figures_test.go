package site

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalsite/evalsite/internal/srccheck"
)

// countingStatements lists, as "file:line:column", every statement in the
// non-test Go files matching glob that accumulates inside a range loop,
// outside the functions named in allowed:
// x++, x--, or x += y where y holds no string literal (adding text, as in
// building a label, is not counting). A loop's own counter, in a for
// statement's post clause, is not inside its body and is not listed.
func countingStatements(t *testing.T, glob string, allowed map[string]bool) []string {
	t.Helper()
	files, err := filepath.Glob(glob)
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
		report := func(n ast.Node) {
			found = append(found, fset.Position(n.Pos()).String())
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if fn, ok := n.(*ast.FuncDecl); ok && allowed[fn.Name.Name] {
				return false
			}
			r, ok := n.(*ast.RangeStmt)
			if !ok {
				return true
			}
			ast.Inspect(r.Body, func(n ast.Node) bool {
				switch s := n.(type) {
				case *ast.ForStmt:
					// Skip the counter of an inner three-clause loop.
					ast.Inspect(s.Body, func(n ast.Node) bool {
						if c, ok := n.(ast.Stmt); ok && srccheck.Accumulates(c) {
							report(c)
						}
						return true
					})
					return false
				case ast.Stmt:
					if srccheck.Accumulates(s) {
						report(s)
					}
				}
				return true
			})
			return false
		})
	}
	return found
}

// Every number a page, table or chart of the site shows is a figure of the
// metrics package, with a registry name a chapter can cite and the methods
// page defines: the site formats and arranges figures, it never counts or
// sums records itself. This holds the site's code to that: no statement in
// it accumulates over a loop.
func TestSiteComputesNoFigureOfItsOwn(t *testing.T) {
	for _, s := range countingStatements(t, "*.go", nil) {
		t.Errorf("%s: the site counts in a loop; compute the figure in internal/metrics and read it by its registry name", s)
	}
}

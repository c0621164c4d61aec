package srccheck

import (
	"go/ast"
	"go/parser"
	"go/token"
	"testing"
)

func TestAccumulates(t *testing.T) {
	for src, want := range map[string]bool{
		"n++":           true,
		"n--":           true,
		"n += x":        true,
		"total -= c.N":  true,
		`s += ", " + w`: false,
		"n = n + 1":     false,
		"x := 1":        false,
		"f(n)":          false,
		"n *= 2":        false,
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "", "package p; func _() { "+src+" }", 0)
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		s := f.Decls[0].(*ast.FuncDecl).Body.List[0]
		if got := Accumulates(s); got != want {
			t.Errorf("Accumulates(%s) = %v, want %v", src, got, want)
		}
	}
}

// Package srccheck holds checks of evalsite's own Go source that the tests
// of several packages share: the site and the charts are each held to
// computing no figure of their own, with the same idea of what counting is.
package srccheck

import (
	"go/ast"
	"go/token"
)

// Accumulates reports whether a statement accumulates a number: n++, n--,
// n += x or n -= x. Adding to text (a right-hand side holding a string
// literal) is joining words, not counting.
func Accumulates(s ast.Stmt) bool {
	switch s := s.(type) {
	case *ast.IncDecStmt:
		return true
	case *ast.AssignStmt:
		if s.Tok != token.ADD_ASSIGN && s.Tok != token.SUB_ASSIGN {
			return false
		}
		text := false
		for _, e := range s.Rhs {
			ast.Inspect(e, func(n ast.Node) bool {
				if l, ok := n.(*ast.BasicLit); ok && l.Kind == token.STRING {
					text = true
				}
				return true
			})
		}
		return !text
	}
	return false
}

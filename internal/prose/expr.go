package prose

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/file"

	"github.com/evalsite/evalsite/internal/metrics"
)

// Seen is one figure a condition read, for the message of a false assertion.
type Seen struct {
	Name string
	Text string // the figure as printed, "not available" or Withheld
}

// String is "agreements.signed = 19".
func (s Seen) String() string { return s.Name + " = " + s.Text }

// SeenList joins the figures read as "a = 1, b = 2".
func SeenList(seen []Seen) string {
	parts := make([]string, len(seen))
	for i, s := range seen {
		parts[i] = s.String()
	}
	return strings.Join(parts, ", ")
}

// existsRE finds the names an expression tests with exists("NAME").
var existsRE = regexp.MustCompile(`exists\(\s*(["'` + "`" + `])([^"'` + "`" + `]*)["'` + "`" + `]\s*\)`)

// varPrefix names the expr variables that stand for metric names; metric
// names hold dots, spaces and hyphens, which expr identifiers cannot.
const varPrefix = "metric__"

// Condition evaluates an expression over metric names, numbers,
// comparisons, arithmetic and and/or/not, and returns whether it holds, with
// the figures it read. A figure that is not available (or is withheld) is
// nil: "freedoms.granted_rate != nil and freedoms.granted_rate > 0.5".
// exists("NAME") is true when the data has the figure: a family member such
// as "time_to_agreement_days.by_tranche.2.n" exists only for the tranches,
// departments, codes and groups found in the data.
//
// Names are found by the longest metric name that starts at each word of
// the expression, so that names with spaces, dots and hyphens need no
// quoting ("freedoms.by_department.Home Office.granted > 3",
// "events.meetings_by_month.2000-12 > 5"); a dotted word that is no metric
// is an unknown metric, reported with the nearest name.
func (e *Env) Condition(src string) (bool, []Seen, error) {
	code, vars, seen, err := e.rewrite(src)
	if err != nil {
		return false, seen, err
	}
	types := make(map[string]any, len(vars))
	env := make(map[string]any, len(vars))
	for name, v := range vars {
		types[name] = typeOf(v.fig)
		if v.hidden {
			env[name] = nil
		} else {
			env[name] = v.fig.Value
		}
	}
	// exists("NAME") tells whether this data has the figure at all (a
	// tranche, department or code it may not have); a name in quotes is not
	// checked for typos, so it is kept for members of families.
	exists := expr.Function("exists", func(params ...any) (any, error) {
		name, _ := params[0].(string)
		_, _, err := e.Figure(name)
		return err == nil, nil
	}, new(func(string) bool))
	// ties("FAMILY") is how many members of a family share its largest
	// value: 1 when one member leads alone.
	ties := expr.Function("ties", func(params ...any) (any, error) {
		pattern, _ := params[0].(string)
		_, _, n, err := e.Top(pattern)
		return n, err
	}, new(func(string) int))
	prog, err := expr.Compile(code, expr.Env(types), expr.AsBool(), exists, ties)
	if err != nil {
		return false, seen, fmt.Errorf("expression %q: %s", src, e.message(err, vars))
	}
	out, err := expr.Run(prog, env)
	if err != nil && anyHidden(vars) {
		// A figure withheld by disclosure control is unknown, and nothing
		// can be said of it: the condition does not hold.
		return false, seen, nil
	}
	if err != nil {
		msg := e.message(err, vars)
		if strings.Contains(msg, "<nil>") {
			msg = "a figure it reads is not available in this data (" + SeenList(seen) + "); test it first, as in \"NAME != nil and ...\""
		}
		return false, seen, fmt.Errorf("expression %q: %s", src, msg)
	}
	ok, _ := out.(bool)
	return ok, seen, nil
}

// Assert evaluates a condition that must hold; a false one is an error
// that unwraps to ErrAssertion and names the values it saw.
func (e *Env) Assert(src string) error {
	ok, seen, err := e.Condition(src)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("%w: %s (values: %s)", ErrAssertion, src, SeenList(seen))
	}
	return nil
}

// typeOf is a value of the type a figure has whatever the data, so that an
// expression type-checks the same way when the figure is null.
func typeOf(f metrics.Figure) any {
	if f.Value != nil {
		return f.Value
	}
	switch f.Def.Unit {
	case metrics.UnitCount:
		return 0
	case metrics.UnitDate:
		return time.Time{}
	case metrics.UnitMonth:
		return ""
	}
	return 0.0
}

type variable struct {
	fig    metrics.Figure
	hidden bool
}

// message is expr's message with the variables written as the metric names
// they stand for, and without expr's copy of the rewritten source.
func (e *Env) message(err error, vars map[string]variable) string {
	msg := err.Error()
	var fe *file.Error
	if errors.As(err, &fe) {
		msg = fe.Message
	}
	for name, v := range vars {
		msg = strings.ReplaceAll(msg, name, v.fig.Name)
	}
	return msg
}

// rewrite replaces every metric name in src by an expr variable.
func (e *Env) rewrite(src string) (string, map[string]variable, []Seen, error) {
	// Names the expression tests with exists() may be missing from the
	// data: they are null rather than unknown.
	guarded := map[string]bool{}
	for _, m := range existsRE.FindAllStringSubmatch(src, -1) {
		guarded[m[2]] = true
	}
	vars := map[string]variable{}
	byName := map[string]string{}
	var seen []Seen
	var b strings.Builder
	isWord := func(c byte) bool {
		return c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
	}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '"' || c == '\'' || c == '`':
			// A string literal is copied as it is.
			j := i + 1
			for j < len(src) && src[j] != c {
				if src[j] == '\\' && c != '`' {
					j++
				}
				j++
			}
			j = min(j+1, len(src))
			b.WriteString(src[i:j])
			i = j
			continue
		case c == '{' || (c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') && (i == 0 || !isWord(src[i-1])):
		default:
			b.WriteByte(c)
			i++
			continue
		}
		name, n, err := e.nameAt(src[i:], isWord, guarded)
		if err != nil {
			return "", nil, seen, err
		}
		if name == "" {
			// A word of the language (and, not, true, nil, max, ...).
			b.WriteString(src[i : i+n])
			i += n
			continue
		}
		v, ok := byName[name]
		if !ok {
			f, hidden, err := e.Figure(name)
			if err != nil && guarded[name] {
				f, hidden, err = metrics.Figure{Name: name, Text: "not in this data"}, false, nil
			}
			if err != nil {
				return "", nil, seen, err
			}
			v = varPrefix + strconv.Itoa(len(vars))
			byName[name] = v
			vars[v] = variable{fig: f, hidden: hidden}
			text := f.Text
			if hidden {
				text = Withheld
			}
			seen = append(seen, Seen{Name: name, Text: text})
		}
		b.WriteString(v)
		i += n
	}
	return b.String(), vars, seen, nil
}

// nameAt finds the metric name at the start of s: the longest known name
// (after braces are resolved) followed by no further word character. It
// returns "" and the word's length for a word that is no metric and holds no
// dot, and an unknown-metric error for a dotted word that is none.
func (e *Env) nameAt(s string, isWord func(byte) bool, guarded map[string]bool) (string, int, error) {
	if strings.HasPrefix(s, "{") || strings.Contains(wordAt(s, isWord), "{") {
		// A name with a figure in braces: up to the end of the word after the last }.
		end := 0
		depth := 0
		for end < len(s) {
			c := s[end]
			if c == '{' {
				depth++
			} else if c == '}' {
				depth--
			} else if depth == 0 && !isWord(c) && c != '-' {
				break
			}
			end++
		}
		return s[:end], end, nil
	}
	for _, name := range e.names {
		if strings.HasPrefix(s, name) && (len(name) == len(s) || !isWord(s[len(name)])) {
			return name, len(name), nil
		}
	}
	w := wordAt(s, isWord)
	if guarded[w] {
		return w, len(w), nil
	}
	if strings.Contains(w, ".") {
		_, err := e.m.Lookup(w)
		if err == nil {
			err = fmt.Errorf("unknown metric %q", w)
		}
		return "", 0, err
	}
	return "", len(w), nil
}

// wordAt is the run of word characters (and braces) at the start of s.
func wordAt(s string, isWord func(byte) bool) string {
	end := 0
	for end < len(s) && (isWord(s[end]) || s[end] == '{' || s[end] == '}') {
		end++
	}
	return s[:end]
}

func anyHidden(vars map[string]variable) bool {
	for _, v := range vars {
		if v.hidden {
			return true
		}
	}
	return false
}

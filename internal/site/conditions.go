package site

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/gohugoio/hugo/parser/pageparser"

	"github.com/evalsite/evalsite/internal/metrics"
	"github.com/evalsite/evalsite/internal/prose"
)

// The shortcodes whose words depend on the data. Hugo cannot call Go, so
// every one of them is worked out here, before Hugo runs, from the content
// as Hugo's own parser reads it; the templates then only look the answers up
// in hugo.Data.evalsite.prose, by the shortcode's name and arguments.
//
//	{{% if "EXPR" %}} ... {{% else %}} ... {{% /if %}}   text for when EXPR holds, and otherwise
//	{{< assert "EXPR" >}}                               the build fails when EXPR is false
//	{{< number "NAME" >}}                               "three", "12"
//	{{< count "NAME" "negotiation" ["negotiations"] >}} "one negotiation", "no negotiations"
//	{{< plural "NAME" "was" "were" >}}                  the word that agrees with the count
//	{{< change "FROM" "TO" ["rose" "fell" "stayed at"] >}} "rose from 56% to 88%"
//	{{< top "FAMILY.<key>.NAME" >}}                     the key of a family's largest member ("DfEE")
//	{{< metric "NAME.{OTHER}" >}}                       a figure keyed by another figure's value
const proseKeySep = "\x1f"

// proseData is what the prose shortcodes read.
type proseData struct {
	// Conditions holds each if and assert expression and whether it holds.
	Conditions map[string]bool `json:"conditions"`
	// Words holds each words shortcode's text, by its name and arguments
	// joined with proseKeySep.
	Words map[string]string `json:"words"`
}

// proseCall is one shortcode of the content, as Hugo's parser reads it.
type proseCall struct {
	name   string
	args   []string
	markup bool // written {{% %}} rather than {{< >}}
	file   string
	line   int
	col    int
}

func (c proseCall) where() string { return fmt.Sprintf("%s:%d:%d", c.file, c.line, c.col) }

// prose evaluates every data-dependent shortcode of the content and writes
// the answers for the templates. Every problem (an unknown name, an
// expression that does not compile, a false assertion) is reported at
// once, with its file, line and column.
//
// Text in a branch of an if that this data does not show is not checked:
// it may name what this data does not have (a tranche, a department, a
// code nobody raised), which is why it is guarded. Its shortcodes get empty
// answers, since Hugo still renders them before the if drops them.
func (g *generator) prose() error {
	env := prose.New(g.metrics, func(name string) bool { return g.figs[name] == metrics.Withheld })
	data := proseData{Conditions: map[string]bool{}, Words: map[string]string{}}
	g.unshown = map[string]bool{}
	var problems []string
	calls, err := g.proseCalls()
	if err != nil {
		return err
	}
	type branch struct{ holds, inElse, shown bool }
	var stack []branch
	file := ""
	for _, c := range calls {
		if c.file != file {
			file, stack = c.file, nil // Hugo refuses an if left open at the end of a file
		}
		shown := len(stack) == 0 || stack[len(stack)-1].shown
		// Hugo renders the Markdown of a {{% %}} shortcode inside another
		// before the outer one, which then drops it as raw HTML: an if
		// within an if is written {{< >}}, and the outer renders it all.
		if c.markup && ((c.name == "if" && len(stack) > 0) || ((c.name == "else" || c.name == "/if") && len(stack) > 1)) {
			problems = append(problems, fmt.Sprintf("%s: %s: inside another if, write {{< %s >}} rather than {{%% %s %%}}: Hugo would render its Markdown twice and drop it", c.where(), c.name, c.name, c.name))
		}
		switch c.name {
		case "else":
			if len(stack) > 0 {
				top := &stack[len(stack)-1]
				top.inElse = true
				parent := len(stack) == 1 || stack[len(stack)-2].shown
				top.shown = parent && !top.holds
			}
			continue
		case "/if":
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			continue
		}
		key := c.name + proseKeySep + strings.Join(c.args, proseKeySep)
		if !shown {
			if c.name == "if" {
				stack = append(stack, branch{})
				if _, ok := data.Conditions[c.args0()]; !ok {
					data.Conditions[c.args0()] = false
				}
			}
			if c.name == "metric" {
				key = c.name + proseKeySep + c.args0()
				g.unshown[c.where()] = true
			}
			if _, ok := data.Words[key]; !ok && c.name != "if" && c.name != "assert" {
				data.Words[key] = ""
			}
			continue
		}
		arg := func(i int) string {
			if i < len(c.args) {
				return c.args[i]
			}
			return ""
		}
		var text string
		var err error
		switch c.name {
		case "if", "assert":
			if len(c.args) != 1 {
				err = fmt.Errorf("%s takes one expression in quotes, got %d arguments", c.name, len(c.args))
				break
			}
			var ok bool
			var seen []prose.Seen
			ok, seen, err = env.Condition(c.args[0])
			if err == nil && c.name == "assert" && !ok {
				err = fmt.Errorf("assertion is false: %s (values: %s)", c.args[0], prose.SeenList(seen))
			}
			if c.name == "if" {
				stack = append(stack, branch{holds: ok && err == nil, shown: ok && err == nil})
			}
			if err == nil {
				data.Conditions[c.args[0]] = ok
				continue
			}
		case "number":
			text, err = env.Number(arg(0))
		case "count":
			text, err = env.Count(arg(0), arg(1), arg(2))
		case "top":
			text, err = env.TopKey(arg(0))
		case "plural":
			text, err = env.Plural(arg(0), arg(1), arg(2))
		case "change":
			if len(c.args) < 2 {
				err = errors.New(`change takes two metric names: {{< change "FROM" "TO" >}}`)
				break
			}
			text, err = env.Change(c.args[0], c.args[1], c.args[2:]...)
		case "metric":
			// Plain names are the figures map's; only names keyed by
			// another figure are worked out here.
			if !strings.Contains(arg(0), "{") {
				continue
			}
			key = c.name + proseKeySep + arg(0)
			text, err = env.Text(arg(0))
		}
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %s: %v", c.where(), c.name, err))
			continue
		}
		data.Words[key] = text
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return g.writeData("prose", data)
}

func (c proseCall) args0() string {
	if len(c.args) > 0 {
		return c.args[0]
	}
	return ""
}

// proseShortcodes are the shortcodes prose evaluates.
var proseShortcodes = map[string]bool{"if": true, "else": true, "assert": true, "number": true, "count": true, "plural": true, "change": true, "metric": true, "top": true}

// proseCalls lists every call of a prose shortcode in the content's
// Markdown files, with its positional arguments as Hugo passes them.
func (g *generator) proseCalls() ([]proseCall, error) {
	var calls []proseCall
	err := fs.WalkDir(g.src.iofs(), "content", func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == "content" {
			return fs.SkipAll
		}
		if err != nil || d.IsDir() || path.Ext(p) != ".md" || g.src.generatedFile(p) {
			return err // a generated page has no text of its own
		}
		b, err := fs.ReadFile(g.src.iofs(), p)
		if err != nil {
			return err
		}
		items, err := pageparser.ParseBytes(b, pageparser.Config{})
		if err != nil {
			return fmt.Errorf("%s: %w", p, err)
		}
		for i := 0; i < len(items); i++ {
			if !items[i].IsLeftShortcodeDelim() || i+2 >= len(items) {
				continue
			}
			if items[i+1].IsShortcodeClose() && items[i+2].IsShortcodeName() && items[i+2].ValStr(b) == "if" {
				line, col := lineCol(b, items[i].Pos())
				calls = append(calls, proseCall{name: "/if", file: p, line: line, col: col, markup: items[i].IsShortcodeMarkupDelimiter()})
				continue
			}
			if !items[i+1].IsShortcodeName() {
				continue
			}
			name := items[i+1].ValStr(b)
			if !proseShortcodes[name] {
				continue
			}
			line, col := lineCol(b, items[i].Pos())
			c := proseCall{name: name, file: p, line: line, col: col, markup: items[i].IsShortcodeMarkupDelimiter()}
			for j := i + 2; j < len(items) && items[j].IsShortcodeParam(); j++ {
				c.args = append(c.args, items[j].ValStr(b))
			}
			calls = append(calls, c)
		}
		return nil
	})
	return calls, err
}

// lineCol is the 1-based line and column (in characters) of a byte offset.
func lineCol(b []byte, pos int) (int, int) {
	pos = min(max(pos, 0), len(b))
	line := 1 + bytes.Count(b[:pos], []byte("\n"))
	start := bytes.LastIndexByte(b[:pos], '\n') + 1
	return line, utf8.RuneCount(b[start:pos]) + 1
}

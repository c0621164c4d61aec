package site

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"unicode/utf8"
)

// metricCiteRE finds the metric shortcode in a content file:
// {{< metric "name" >}} or {{% metric "name" %}}.
var metricCiteRE = regexp.MustCompile(`\{\{[<%]\s*metric\s+"([^"]*)"`)

// checkCitations reads every Markdown file of the site's content and reports
// each metric cited by a name the data has no figure for, all at once, with
// its file, line and column and the nearest valid name. The metric shortcode
// fails the build on its own too, but only on the first unknown name and
// without a suggestion.
func (g *generator) checkCitations() error {
	var problems []string
	err := fs.WalkDir(g.src.iofs(), "content", func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == "content" {
			return fs.SkipAll // a site without content of its own
		}
		if err != nil || d.IsDir() || path.Ext(p) != ".md" || g.src.generatedFile(p) {
			return err // a generated page has no text of its own
		}
		b, err := fs.ReadFile(g.src.iofs(), p)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(make([]byte, 0, 64*1024), len(b)+1)
		for line := 1; sc.Scan(); line++ {
			for _, m := range metricCiteRE.FindAllSubmatchIndex(sc.Bytes(), -1) {
				name := string(sc.Bytes()[m[2]:m[3]])
				if _, ok := g.figs[name]; ok || strings.Contains(name, "{") {
					continue // a name keyed by another figure is checked with the prose
				}
				col := utf8.RuneCount(sc.Bytes()[:m[0]]) + 1
				if g.unshown[fmt.Sprintf("%s:%d:%d", p, line, col)] {
					continue // in a branch of an if that this data does not show
				}
				_, err := g.metrics.Lookup(name)
				if err == nil {
					err = fmt.Errorf("unknown metric %q", name)
				}
				problems = append(problems, fmt.Sprintf("%s:%d:%d: %v", p, line, col, err))
			}
		}
		return sc.Err()
	})
	if err != nil {
		return err
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "\n"))
	}
	return nil
}

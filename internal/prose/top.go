package prose

import (
	"fmt"
	"strings"
)

// Top finds the member of a family with the largest value: pattern is a
// metric name with one part in angle brackets, such as
// "freedoms.by_department.<department>.requested", and Top returns the
// key in that place for the largest value ("DfEE"), the value, and how many
// members share it (a tie when more than one). Withheld members are left
// out, so that the answer reveals nothing they hide.
func (e *Env) Top(pattern string) (key string, value float64, ties int, err error) {
	open := strings.IndexByte(pattern, '<')
	closing := strings.IndexByte(pattern, '>')
	if open < 0 || closing < open || strings.IndexByte(pattern[closing+1:], '<') >= 0 {
		return "", 0, 0, fmt.Errorf("%q should have one part in angle brackets, such as freedoms.by_department.<department>.requested", pattern)
	}
	prefix, suffix := pattern[:open], pattern[closing+1:]
	found := false
	for _, name := range e.m.Names() {
		if len(name) <= len(prefix)+len(suffix) || !strings.HasPrefix(name, prefix) || !strings.HasSuffix(name, suffix) || e.hidden(name) {
			continue
		}
		f, err := e.m.Lookup(name)
		if err != nil || f.Value == nil {
			continue
		}
		v, ok := number(f.Value)
		if !ok {
			return "", 0, 0, fmt.Errorf("%s is a %s, not a number to rank", name, f.Def.Unit)
		}
		k := name[len(prefix) : len(name)-len(suffix)]
		switch {
		case !found || v > value:
			key, value, ties, found = k, v, 1, true
		case v == value:
			ties++
		}
	}
	if !found {
		return "", 0, 0, fmt.Errorf("no figure in this data matches %q", pattern)
	}
	return key, value, ties, nil
}

// TopKey writes the key of Top for a page, every character that HTML or
// Markdown could read as markup written as a character reference, since
// the key is spreadsheet text.
func (e *Env) TopKey(pattern string) (string, error) {
	key, _, _, err := e.Top(pattern)
	if err != nil {
		return "", err
	}
	return Escape(key), nil
}

// Escape writes spreadsheet text so that neither HTML nor Markdown reads
// any of it as markup: letters, digits, spaces and plain punctuation stay,
// every other character becomes a numeric character reference.
func Escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == ' ', r == '.', r == ',', r == '-', r == '\'', r == '(', r == ')', r == '/', r == ':', r == ';', r == '?', r == '!', r >= 0xA0 && r != 0xFEFF:
			b.WriteRune(r)
		default:
			fmt.Fprintf(&b, "&#%d;", r)
		}
	}
	return b.String()
}

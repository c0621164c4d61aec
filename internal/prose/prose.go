// Package prose keeps the words of a report true to its data: conditions and
// assertions over metric names (evaluated with the expr language), and the
// words a sentence needs from a figure (a count in words, a plural, the
// direction of a change), all resolved by the names of the metrics registry.
//
// A name may hold another figure's value in braces:
// "events.meetings_by_month.{events.peak_meeting_month}" is the meetings in
// the busiest month, whichever month that is, and
// "freedoms.by_department.{top freedoms.by_department.<department>.requested}.not_granted"
// the refusals of the department that received the most requests.
package prose

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/evalsite/evalsite/internal/format"
	"github.com/evalsite/evalsite/internal/metrics"
)

// Withheld is what a figure withheld by disclosure control shows.
const Withheld = metrics.Withheld

// Env resolves metric names against one build's figures.
type Env struct {
	m *metrics.Metrics
	// hidden reports the figures disclosure control withholds: they show as
	// Withheld in words and are null (not available) in conditions, so that
	// no sentence reveals what the figure hides.
	hidden func(name string) bool
	names  []string // every concrete name, longest first
}

// New makes an Env over m. hidden may be nil.
func New(m *metrics.Metrics, hidden func(name string) bool) *Env {
	if hidden == nil {
		hidden = func(string) bool { return false }
	}
	names := m.Names()
	slices.SortStableFunc(names, func(a, b string) int { return len(b) - len(a) })
	return &Env{m: m, hidden: hidden, names: names}
}

// Resolve puts in place of each "{name}" in a name the value of that
// figure as it is written in metric names: a month as "2000-12", a date as
// "2000-12-01", a number in digits, text as it is.
func (e *Env) Resolve(name string) (string, error) {
	var b strings.Builder
	rest := name
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			b.WriteString(rest)
			return b.String(), nil
		}
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", fmt.Errorf("name %q has a { without its }", name)
		}
		inner := rest[i+1 : i+j]
		if pattern, ok := strings.CutPrefix(inner, "top "); ok {
			// {top FAMILY}: the key of the family's largest member.
			key, _, _, err := e.Top(strings.TrimSpace(pattern))
			if err != nil {
				return "", fmt.Errorf("in %q: %w", name, err)
			}
			b.WriteString(rest[:i])
			b.WriteString(key)
			rest = rest[i+j+1:]
			continue
		}
		f, err := e.m.Lookup(inner)
		if err != nil {
			return "", fmt.Errorf("in %q: %w", name, err)
		}
		if e.hidden(inner) {
			return "", fmt.Errorf("in %q: figure %s is withheld by disclosure control, so no figure can be chosen by it", name, inner)
		}
		if f.Value == nil {
			return "", fmt.Errorf("in %q: figure %s is not available in this data, so no figure can be chosen by it", name, inner)
		}
		b.WriteString(rest[:i])
		b.WriteString(keyOf(f.Value))
		rest = rest[i+j+1:]
	}
}

// keyOf writes a value as it appears in metric names and metrics.json keys.
func keyOf(v any) string {
	switch x := v.(type) {
	case time.Time:
		return x.Format(time.DateOnly)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case int:
		return strconv.Itoa(x)
	}
	return fmt.Sprint(v)
}

// Figure resolves a name, braces included, and says whether it is withheld.
func (e *Env) Figure(name string) (metrics.Figure, bool, error) {
	full, err := e.Resolve(name)
	if err != nil {
		return metrics.Figure{}, false, err
	}
	f, err := e.m.Lookup(full)
	if err != nil {
		return f, false, err
	}
	return f, f.Withheld || e.hidden(full), nil
}

// Text is what the metric shortcode prints for a name: the figure in its
// unit, Withheld when withheld.
func (e *Env) Text(name string) (string, error) {
	f, hidden, err := e.Figure(name)
	if err != nil {
		return "", err
	}
	if hidden {
		return Withheld, nil
	}
	return f.Text, nil
}

// count returns a figure that must be a whole number.
func (e *Env) count(name string) (int, bool, error) {
	f, hidden, err := e.Figure(name)
	if err != nil {
		return 0, false, err
	}
	if hidden {
		return 0, true, nil
	}
	switch x := f.Value.(type) {
	case int:
		return x, false, nil
	case float64:
		if x == math.Trunc(x) {
			return int(x), false, nil
		}
		return 0, false, fmt.Errorf("figure %s is %v, not a whole number to count with", name, x)
	case nil:
		return 0, false, fmt.Errorf("figure %s is not available in this data: guard the sentence with a condition such as \"%s != nil\"", name, name)
	}
	return 0, false, fmt.Errorf("figure %s is a %s, not a number to count with", name, f.Def.Unit)
}

// Number writes a count the way a sentence counts: one to nine in words,
// numerals from 10 ("three", "12").
func (e *Env) Number(name string) (string, error) {
	n, hidden, err := e.count(name)
	if err != nil || hidden {
		return Withheld, err
	}
	return format.Words(n), nil
}

// Count writes a count with its noun in agreement: "one negotiation",
// "three negotiations", "12 negotiations", "no negotiations". many defaults
// to one + "s".
func (e *Env) Count(name, one, many string) (string, error) {
	if many == "" {
		many = one + "s"
	}
	n, hidden, err := e.count(name)
	if err != nil {
		return "", err
	}
	if hidden {
		return Withheld + " " + many, nil
	}
	return format.Counted(n, one, many), nil
}

// Plural picks the word that agrees with a count: one when it is exactly 1,
// else many (one + "s" when not given).
func (e *Env) Plural(name, one, many string) (string, error) {
	if many == "" {
		many = one + "s"
	}
	n, hidden, err := e.count(name)
	if err != nil {
		return "", err
	}
	if hidden {
		return many, nil
	}
	return format.Plural(n, one, many), nil
}

// Change says how a figure moved from one name to another: "rose from 56% to
// 88%", "fell from 88% to 56%", or "stayed at 56%" when the two print the
// same (the words follow the figures as shown, so a change that rounds away
// is no change). verbs, if given, replace "rose", "fell" and "stayed at".
func (e *Env) Change(from, to string, verbs ...string) (string, error) {
	up, down, same := "rose", "fell", "stayed at"
	for i, v := range verbs {
		switch i {
		case 0:
			up = v
		case 1:
			down = v
		case 2:
			same = v
		}
	}
	a, ha, err := e.Figure(from)
	if err != nil {
		return "", err
	}
	b, hb, err := e.Figure(to)
	if err != nil {
		return "", err
	}
	if ha || hb {
		ta, tb := a.Text, b.Text
		if ha {
			ta = Withheld
		}
		if hb {
			tb = Withheld
		}
		return fmt.Sprintf("changed from %s to %s", ta, tb), nil
	}
	for _, f := range []metrics.Figure{a, b} {
		if f.Value == nil {
			return "", fmt.Errorf("figure %s is not available in this data: guard the sentence with a condition such as \"%s != nil\"", f.Name, f.Name)
		}
	}
	if a.Text == b.Text {
		return same + " " + a.Text, nil
	}
	x, okA := number(a.Value)
	y, okB := number(b.Value)
	if !okA || !okB {
		ta, _ := a.Value.(time.Time)
		tb, _ := b.Value.(time.Time)
		if ta.IsZero() || tb.IsZero() {
			return "", fmt.Errorf("figures %s and %s are not numbers or dates to compare", from, to)
		}
		x, y = float64(ta.Unix()), float64(tb.Unix())
	}
	verb := down
	if y > x {
		verb = up
	}
	return fmt.Sprintf("%s from %s to %s", verb, a.Text, b.Text), nil
}

func number(v any) (float64, bool) {
	switch x := v.(type) {
	case int:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// ErrAssertion is what a false assertion's error unwraps to.
var ErrAssertion = errors.New("assertion is false")

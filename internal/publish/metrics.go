package publish

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// SuppressMetrics applies disclosure control to the "codings" of a
// metrics.json (SPEC section 3) before it is published: every count of
// interviews below the threshold, and the share beside it, becomes "[c]";
// within interviews_by_group, and within each code's by_group and by_wave,
// whose counts add up to a published total, a line that would hold a single
// "[c]" also withholds its next smallest count, as the coding counts table
// does. Everything else is unchanged, keys in their order; the result is
// indented with two spaces and ends in a newline. A threshold of 0 or less
// returns metricsJSON as it is.
func SuppressMetrics(metricsJSON []byte, below int) ([]byte, error) {
	if below <= 0 {
		return metricsJSON, nil
	}
	dec := json.NewDecoder(bytes.NewReader(metricsJSON))
	dec.UseNumber()
	root, err := parseNode(dec)
	if err != nil {
		return nil, fmt.Errorf("metrics.json: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("metrics.json: data after the top-level value")
	}
	if c := root.get("codings"); c != nil {
		suppressCodings(c, below)
	}
	var buf bytes.Buffer
	if err := root.write(&buf); err != nil {
		return nil, fmt.Errorf("metrics.json: %w", err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, buf.Bytes(), "", "  "); err != nil {
		return nil, fmt.Errorf("metrics.json: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

func suppressCodings(c *node, below int) {
	hideSmall := func(obj *node) {
		if n, ok := obj.get("interviews").count(); ok && n < below {
			obj.get("interviews").hide()
			obj.get("share").hide()
		}
	}
	hideSmall(c)
	// line withholds counts in a set whose sum is published: each cell is a
	// node holding a count, or an object holding "interviews" and "share".
	line := func(set *node, cell func(*node) *node) {
		if set == nil || set.kind != objectNode {
			return
		}
		var counts []int
		var idx []int
		for i, v := range set.vals {
			if n, ok := cell(v).count(); ok {
				counts = append(counts, n)
				idx = append(idx, i)
			} else if cell(v) != nil && cell(v).kind == scalarNode {
				// Already withheld: it counts as hidden in the line, with
				// -1 so that it is never chosen as the next smallest.
				counts = append(counts, -1)
				idx = append(idx, i)
			}
		}
		hidden := suppress([][]int{counts}, below)[0]
		for k, h := range hidden {
			if h {
				v := set.vals[idx[k]]
				cell(v).hide()
				if v.kind == objectNode {
					v.get("share").hide()
				}
			}
		}
	}
	self := func(n *node) *node { return n }
	interviews := func(n *node) *node { return n.get("interviews") }
	line(c.get("interviews_by_group"), self)
	if codes := c.get("codes"); codes != nil && codes.kind == objectNode {
		for _, code := range codes.vals {
			hideSmall(code)
			line(code.get("by_group"), interviews)
			line(code.get("by_wave"), interviews)
		}
	}
	if pairs := c.get("cooccurrence"); pairs != nil && pairs.kind == arrayNode {
		for _, p := range pairs.vals {
			hideSmall(p)
		}
	}
}

// node is a JSON value that keeps the order of object keys.
type node struct {
	kind nodeKind
	keys []string // objectNode
	vals []*node  // objectNode values, arrayNode items
	raw  any      // scalarNode: json.Number, string, bool or nil
}

type nodeKind int

const (
	scalarNode nodeKind = iota
	objectNode
	arrayNode
)

func parseNode(dec *json.Decoder) (*node, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch tok {
	case json.Delim('{'):
		n := &node{kind: objectNode}
		for dec.More() {
			k, err := dec.Token()
			if err != nil {
				return nil, err
			}
			v, err := parseNode(dec)
			if err != nil {
				return nil, err
			}
			n.keys = append(n.keys, k.(string))
			n.vals = append(n.vals, v)
		}
		_, err := dec.Token() // '}'
		return n, err
	case json.Delim('['):
		n := &node{kind: arrayNode}
		for dec.More() {
			v, err := parseNode(dec)
			if err != nil {
				return nil, err
			}
			n.vals = append(n.vals, v)
		}
		_, err := dec.Token() // ']'
		return n, err
	}
	return &node{kind: scalarNode, raw: tok}, nil
}

// get returns the value of key in an object, or nil.
func (n *node) get(key string) *node {
	if n == nil || n.kind != objectNode {
		return nil
	}
	for i, k := range n.keys {
		if k == key {
			return n.vals[i]
		}
	}
	return nil
}

// count returns the value of a whole-number scalar.
func (n *node) count() (int, bool) {
	if n == nil || n.kind != scalarNode {
		return 0, false
	}
	num, ok := n.raw.(json.Number)
	if !ok {
		return 0, false
	}
	i, err := num.Int64()
	return int(i), err == nil
}

// hide replaces a number with "[c]"; other values stay as they are.
func (n *node) hide() {
	if n == nil || n.kind != scalarNode {
		return
	}
	if _, ok := n.raw.(json.Number); ok {
		n.raw = Confidential
	}
}

func (n *node) write(w *bytes.Buffer) error {
	switch n.kind {
	case objectNode:
		w.WriteByte('{')
		for i, k := range n.keys {
			if i > 0 {
				w.WriteByte(',')
			}
			key, err := json.Marshal(k)
			if err != nil {
				return err
			}
			w.Write(key)
			w.WriteByte(':')
			if err := n.vals[i].write(w); err != nil {
				return err
			}
		}
		w.WriteByte('}')
	case arrayNode:
		w.WriteByte('[')
		for i, v := range n.vals {
			if i > 0 {
				w.WriteByte(',')
			}
			if err := v.write(w); err != nil {
				return err
			}
		}
		w.WriteByte(']')
	default:
		data, err := json.Marshal(n.raw)
		if err != nil {
			return err
		}
		w.Write(data)
	}
	return nil
}

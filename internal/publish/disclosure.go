package publish

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
)

// ErrDisclosure is returned by Write when metrics.json, which it publishes
// unchanged, holds a count of interviews below the suppression threshold.
var ErrDisclosure = errors.New("metrics publish a count of interviews below suppress_below")

// checkMetricsDisclosure refuses metrics that would defeat disclosure control
// in the downloads: under the "codings" key of metrics.json (SPEC section 3),
// any "interviews" count or interviews_by_group value below the threshold
// that is still a number, or a numeric "share" beside a withheld count. It
// checks primary suppression only; the caller owns the rest of the metrics.
func checkMetricsDisclosure(metricsJSON []byte, below int) error {
	if below <= 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(metricsJSON))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		// Not an object: nothing of SPEC's shape to check.
		return nil
	}
	var leaks []string
	small := func(v any) bool {
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		f, err := n.Float64()
		return err == nil && f < float64(below)
	}
	var walk func(path string, v any)
	walk = func(path string, v any) {
		switch v := v.(type) {
		case map[string]any:
			if c, ok := v["interviews"]; ok {
				_, number := c.(json.Number)
				if small(c) {
					leaks = append(leaks, path+".interviews")
				}
				if _, share := v["share"].(json.Number); share && (!number || small(c)) {
					leaks = append(leaks, path+".share")
				}
			}
			for k, x := range v {
				p := path + "." + k
				if k == "interviews_by_group" {
					if groups, ok := x.(map[string]any); ok {
						for g, n := range groups {
							if small(n) {
								leaks = append(leaks, p+"."+g)
							}
						}
					}
				}
				walk(p, x)
			}
		case []any:
			for i, x := range v {
				walk(fmt.Sprintf("%s[%d]", path, i), x)
			}
		}
	}
	walk("codings", m["codings"])
	if len(leaks) == 0 {
		return nil
	}
	sort.Strings(leaks)
	more := ""
	if len(leaks) > 5 {
		more = fmt.Sprintf(" and %d more", len(leaks)-5)
		leaks = leaks[:5]
	}
	return fmt.Errorf("metrics.json: %s%s (suppress_below is %d): %w", strings.Join(leaks, ", "), more, below, ErrDisclosure)
}

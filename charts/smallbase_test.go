package charts

import (
	"io"
	"strings"
	"testing"
)

// TestSmallBasesAreNeverTheHeadline: a share of 100% over 4 interviews, with
// a minimum base of 10, tempts the heat map and the waves chart to headline
// it; neither title nor alt text may rest on it, and the table shows it with
// its base.
func TestSmallBasesAreNeverTheHeadline(t *testing.T) {
	in := CodesByGroupInput{
		Codes:   []string{"Delay", "Trust"},
		Groups:  []string{"LGA (n=4)", "Local authority (n=40)"},
		MinBase: 10,
		Cells: [][]Cell{
			{{Value: 1, SmallBase: true, Base: 4}, {Value: 0.4}},
			{{Value: 0.75, SmallBase: true, Base: 4}, {Value: 0.6}},
		},
	}
	c, err := CodesByGroup(io.Discard, in)
	if err != nil {
		t.Fatal(err)
	}
	if c.Title != "Trust stood out among local authority interviews" {
		t.Errorf("title = %q, want the largest share over enough interviews", c.Title)
	}
	if strings.Contains(c.Alt, "lga") || strings.Contains(c.Alt, "100%") || !strings.Contains(c.Alt, "(60%)") {
		t.Errorf("alt text rests on a small base: %q", c.Alt)
	}
	if got := c.Rows[0][1]; got != "100% (small base: 4 interviews)" {
		t.Errorf("table cell = %q, want the share with its base", got)
	}
	if !strings.Contains(c.Subtitle, "Small base") {
		t.Errorf("subtitle %q does not explain the small base", c.Subtitle)
	}

	w := CodesByWaveInput{MinBase: 10, Codes: []WaveShares{
		{Code: "Delay", Wave1: Cell{Value: 0, SmallBase: true, Base: 3}, Wave2: Cell{Value: 1}},
		{Code: "Trust", Wave1: Cell{Value: 0.5}, Wave2: Cell{Value: 0.6}},
	}}
	cw, err := CodesByWave(io.Discard, w)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(cw.Title, "Trust rose") || strings.Contains(cw.Alt, "delay") {
		t.Errorf("waves title %q, alt %q: want trust, not the small-base change of delay", cw.Title, cw.Alt)
	}
}

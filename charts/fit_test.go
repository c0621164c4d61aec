package charts

import (
	"strings"
	"testing"
	"unicode/utf8"

	"gonum.org/v1/plot/vg"
)

// longLabel is as long as a spreadsheet cell may be.
var longLabel = strings.Repeat("Department for Communities and Local Government ", 700)[:32_767]

// TestFittingCostDoesNotGrowWithTheLabel wants truncating and hyphenating a
// 32,767-character label to cost about what a short label that does not fit
// costs: the work is bounded by the room, not by the text.
func TestFittingCostDoesNotGrowWithTheLabel(t *testing.T) {
	sty := textStyle(labelSize, false, black, 0)
	const width vg.Length = 120
	short := longLabel[:200]
	truncAllocs := func(s string) float64 {
		return testing.AllocsPerRun(3, func() { truncate(sty, s, width) })
	}
	if got, base := truncAllocs(longLabel), truncAllocs(short); got > base+4 {
		t.Errorf("truncate of 32,767 characters made %.0f allocations, of 200 characters %.0f: want about the same", got, base)
	}
	got := truncate(sty, longLabel, width)
	if !strings.HasSuffix(got, "…") || textWidth(sty, got) > width || utf8.RuneCountInString(got) < 10 {
		t.Errorf("truncate = %q, want a prefix with an ellipsis that fits %v", got, width)
	}
	// The cut is the one a rune-by-rune search finds.
	for _, s := range []string{short, "Department for Education and Skills", "Home Office", "ab", "", strings.Repeat("\u0301", 5000)} {
		want := s
		if textWidth(sty, s) > width {
			want = "…"
			r := []rune(s)
			for n := len(r) - 1; n >= 1; n-- {
				if c := strings.TrimRight(string(r[:n]), " ") + "…"; textWidth(sty, c) <= width {
					want = c
					break
				}
			}
		}
		if got := truncate(sty, s, width); got != want && utf8.RuneCountInString(s) < 1000 {
			t.Errorf("truncate(%.30q) = %q, want %q", s, got, want)
		}
	}

	word := []string{strings.ReplaceAll(longLabel, " ", "")}
	var pieces []string
	allocs := testing.AllocsPerRun(1, func() { pieces = hyphenate(sty, word, width) })
	if per := allocs / float64(len(pieces)); per > 40 {
		t.Errorf("hyphenate made %.0f allocations for %d pieces (%.1f a piece), want at most 40 a piece", allocs, len(pieces), per)
	}
	if strings.ReplaceAll(strings.Join(pieces, ""), "-", "") != strings.ReplaceAll(word[0], "-", "") {
		t.Error("hyphenate lost or changed text")
	}
	for _, p := range pieces[:len(pieces)-1] {
		if textWidth(sty, p) > width {
			t.Errorf("piece %q is wider than %v", p, width)
		}
	}
}

func BenchmarkFitLongLabel(b *testing.B) {
	sty := textStyle(labelSize, false, black, 0)
	b.Run("truncate", func(b *testing.B) {
		for b.Loop() {
			truncate(sty, longLabel, 120)
		}
	})
	b.Run("hyphenate", func(b *testing.B) {
		word := []string{strings.ReplaceAll(longLabel, " ", "")}
		for b.Loop() {
			hyphenate(sty, word, 120)
		}
	})
}

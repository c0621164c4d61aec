package stats

import (
	"math"
	"testing"
)

func TestQuantile7(t *testing.T) {
	for _, tt := range []struct {
		xs   []float64
		p    float64
		want float64
	}{
		{[]float64{7}, 0.5, 7},
		{[]float64{1, 2, 3, 4}, 0.25, 1.75}, // R: quantile(1:4, .25, type = 7)
		{[]float64{1, 2, 3, 4}, 0.5, 2.5},
		{[]float64{1, 2, 3, 4}, 0.75, 3.25},
		{[]float64{1, 2, 3, 4}, 1, 4},
		{[]float64{10, 20, 40}, 0.5, 20},
		{[]float64{10, 20, 40}, 0.25, 15},
	} {
		if got := Quantile7(tt.xs, tt.p); math.Abs(got-tt.want) > 1e-12 {
			t.Errorf("Quantile7(%v, %v) = %v, want %v", tt.xs, tt.p, got, tt.want)
		}
	}
}

func TestMedianIntsSortsACopy(t *testing.T) {
	xs := []int{108, 12, 107, 30}
	if got := MedianInts(xs); got != 68.5 {
		t.Errorf("MedianInts(%v) = %v, want 68.5", xs, got)
	}
	if xs[0] != 108 || xs[1] != 12 {
		t.Errorf("MedianInts reordered its argument: %v", xs)
	}
}

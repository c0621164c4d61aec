// Package stats holds the one definition of a quantile that the figures
// and the charts share, so that a median drawn on a chart is the median
// the report cites.
package stats

import (
	"math"
	"slices"
)

// Quantile7 is the p-quantile of sorted xs by linear interpolation between
// order statistics (R's type 7, Excel's QUARTILE.INC): with h = (n-1)p, the
// value x[floor h] + (h - floor h)(x[floor h + 1] - x[floor h]), 0-based.
// sorted must be in increasing order and not empty.
func Quantile7(sorted []float64, p float64) float64 {
	h := float64(len(sorted)-1) * p
	lo := math.Floor(h)
	i := int(lo)
	if i+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[i] + (h-lo)*(sorted[i+1]-sorted[i])
}

// MedianInts is the type-7 median of xs, in any order; xs must not be
// empty.
func MedianInts(xs []int) float64 {
	s := make([]float64, len(xs))
	for i, x := range xs {
		s[i] = float64(x)
	}
	slices.Sort(s)
	return Quantile7(s, 0.5)
}

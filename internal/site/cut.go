package site

import (
	"errors"
	"slices"
	"time"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
)

// cutAtAsOf returns the records as they stood at the end of the as_of day
// (the configured one, else the latest date in the data, where the cut
// changes nothing), so that the pages, charts and downloads describe the
// same evaluation as the figures. Each dataset the cut changed gets one
// warning, placed on the file it was read from.
func cutAtAsOf(data *ingest.Data, asOf time.Time) *ingest.Data {
	if asOf.IsZero() {
		return data
	}
	cut, changes := metrics.Cut(data, asOf)
	if len(changes) == 0 {
		return cut
	}
	cut.Warnings = slices.Clip(slices.Clone(cut.Warnings))
	for _, c := range changes {
		cut.Warnings = append(cut.Warnings, &ingest.CellError{File: data.Sources[c.Dataset], Err: errors.New(c.String(asOf))})
	}
	return cut
}

package site

import (
	"log/slog"

	"github.com/evalsite/evalsite/internal/ingest"
)

// markIllustrative makes a build from marked data illustrative whatever the
// configuration says: synthetic data written by `evalsite example` carries
// its mark in the files themselves, and every page and download built from
// it must say the figures are not real. Only deleting the mark's title row
// from every file turns this off.
func markIllustrative(ev *Evaluation, data *ingest.Data, log *slog.Logger) {
	if data == nil || len(data.Illustrative) == 0 {
		return
	}
	if !ev.Illustrative {
		log.Info("the data carries the illustrative mark: every page and download says so", "files", data.Illustrative)
	}
	ev.Illustrative = true
}

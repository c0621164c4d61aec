package ingest

// budget counts what one Read has taken in over every file, so that many
// small cells, or one long shared string shown in many cells, cannot add up
// to a cost no per-cell or per-file limit forbids. Its counts bound both the
// memory the tables hold and the work the decoder does on them.
type budget struct {
	cells, chars       int64
	maxCells, maxChars int64
}

func newBudget(lim Limits) *budget {
	lim = lim.withDefaults()
	return &budget{maxCells: int64(lim.MaxCells), maxChars: int64(lim.MaxChars)}
}

// take counts one non-empty cell of n bytes, and refuses the one that
// crosses a limit.
func (b *budget) take(n int) error {
	b.cells++
	b.chars += int64(n)
	switch {
	case b.cells > b.maxCells:
		return problem(ErrLimit, "the data holds more than %d filled cells, the most evalsite reads in one run: delete the rows, columns and sheets the evaluation does not use", b.maxCells)
	case b.chars > b.maxChars:
		return problem(ErrLimit, "the data holds more than %d characters of text, the most evalsite reads in one run: shorten the longest texts, or delete what the evaluation does not use", b.maxChars)
	}
	return nil
}

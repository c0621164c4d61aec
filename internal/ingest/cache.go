package ingest

import (
	"context"
	"crypto/sha256"
	"io"
	"os"
	"sync"
)

// Cache keeps the tables read from each workbook and CSV file, by the
// file's path and the SHA-256 of its bytes, for a later Read of the same
// folder: the preview reads again only the file that was saved, not every
// workbook of a large evaluation. Tables are never changed once read, so a
// cached one is shared. A file that could not be read whole is not kept.
// The zero value is not usable: make one with NewCache.
type Cache struct {
	mu    sync.Mutex
	files map[string]*cachedFile
}

// NewCache returns an empty cache for Options.Cache.
func NewCache() *Cache { return &Cache{files: map[string]*cachedFile{}} }

type cachedFile struct {
	sum    [sha256.Size]byte
	sheets []string          // a workbook's sheets in order; nil for a CSV file
	tables map[string]*table // by sheet; "" for a CSV file
	failed bool              // a sheet could not be read: not kept
}

// fileSum hashes a file's bytes.
func fileSum(p string) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	f, err := os.Open(p)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, err
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}

// lookup returns the cached reading of the file at p if its bytes are
// unchanged, or a new entry to fill (nil when the file cannot be hashed).
func (c *Cache) lookup(p string) (hit, fill *cachedFile) {
	sum, err := fileSum(p)
	if err != nil {
		return nil, nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if f := c.files[p]; f != nil && f.sum == sum {
		return f, nil
	}
	delete(c.files, p)
	return nil, &cachedFile{sum: sum, tables: map[string]*table{}}
}

// keep stores a filled entry that read without failure.
func (c *Cache) keep(p string, f *cachedFile) {
	if f == nil || f.failed {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.files[p] = f
}

// cachedBook is a workbook read before, served from the cache. A sheet
// not read before (none, while the schemas stay the same) is read from the
// file.
type cachedBook struct {
	f    *cachedFile
	path string
	lim  Limits
}

func (b cachedBook) SheetNames() []string { return b.f.sheets }
func (b cachedBook) Close() error         { return nil }

func (b cachedBook) ReadSheet(ctx context.Context, name string) (*table, error) {
	if t, ok := b.f.tables[name]; ok {
		return t, nil
	}
	wb, err := openStreamBook(b.path, b.lim)
	if err != nil {
		return nil, err
	}
	defer wb.Close()
	return wb.ReadSheet(ctx, name)
}

// recordingBook reads a workbook and keeps what it read in the entry.
type recordingBook struct {
	workbook
	f *cachedFile
}

func (b recordingBook) ReadSheet(ctx context.Context, name string) (*table, error) {
	t, err := b.workbook.ReadSheet(ctx, name)
	if err != nil {
		b.f.failed = true
		return t, err
	}
	b.f.tables[name] = t
	return t, nil
}

// readCSVCached reads a CSV file, or takes its table from the cache when
// its bytes are unchanged; c may be nil.
func readCSVCached(ctx context.Context, c *Cache, p string, lim Limits, bud *budget) (*table, error) {
	if c == nil {
		return readCSVFile(ctx, p, lim, bud)
	}
	hit, fill := c.lookup(p)
	if hit != nil {
		return hit.tables[""], nil
	}
	t, err := readCSVFile(ctx, p, lim, bud)
	if err == nil && fill != nil {
		fill.tables[""] = t
		c.keep(p, fill)
	}
	return t, err
}

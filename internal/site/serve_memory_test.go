package site_test

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"testing"
	"time"

	"github.com/evalsite/evalsite/internal/example"
)

// liveHeap returns the bytes of heap in use after a full collection.
func liveHeap() uint64 {
	runtime.GC()
	debug.FreeOSMemory()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// TestServeMemoryBounded makes 50 successive edits of a chapter and 50 of a
// workbook under serve on a 1,000-agreement site: every edit must show, and
// the live heap after the last edit must be within 20% of the live heap
// after the first, so that a long afternoon of previewing does not grow
// the server.
func TestServeMemoryBounded(t *testing.T) {
	// A hundred rebuilds of a 1,000-agreement site take 2 to 14 minutes on
	// two cores, past go test's default timeout for the package: asked for
	// by name (EVALSITE_SERVE_SOAK=1, with -timeout 30m), never under -short.
	if testing.Short() || os.Getenv("EVALSITE_SERVE_SOAK") == "" {
		t.Skip("set EVALSITE_SERVE_SOAK=1 (and -timeout 30m) to make 100 edits under serve at 1,000 agreements")
	}
	const edits = 50
	dir := t.TempDir()
	root := filepath.Join(dir, "site")
	copyTree(t, filepath.Join(repoRoot, "content"), filepath.Join(root, "content"))
	cfg, err := os.ReadFile(filepath.Join(repoRoot, "hugo.toml"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "hugo.toml"), cfg, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := example.Write(filepath.Join(root, "data"), example.Generate(example.Config{Agreements: 1_000}), example.XLSX); err != nil {
		t.Fatal(err)
	}
	base, builds := startServe(t, root)
	client := &http.Client{Timeout: time.Minute}
	chapterPage, editC := editChapter(t, root)
	bookPage, prepare, save := editWorkbook(t, root)

	var first uint64
	var chapters, books time.Duration
	for i := range edits {
		mark := fmt.Sprintf("Chapter edit %d", i)
		editC(mark)
		chapters += pollFor(t, client, base+chapterPage, mark, 5*time.Minute)
		builds.wait(t, 2+2*i) // the page shows before the build ends
		mark = fmt.Sprintf("Workbook edit %d", i)
		prepare(mark)
		save()
		books += pollFor(t, client, base+bookPage, mark, 5*time.Minute)
		builds.wait(t, 3+2*i)
		if i == 0 {
			first = liveHeap()
		}
		if (i+1)%10 == 0 {
			t.Logf("%d edits of each: chapters shown in %s on average, workbooks in %s; live heap %d MB",
				i+1, chapters/time.Duration(i+1), books/time.Duration(i+1), liveHeap()>>20)
		}
	}
	last := liveHeap()
	t.Logf("live heap after the first pair of edits %d MB, after the last %d MB", first>>20, last>>20)
	if float64(last) > 1.2*float64(first) {
		t.Errorf("live heap grew from %d MB after the first edits to %d MB after the last: more than 20%%", first>>20, last>>20)
	}
}

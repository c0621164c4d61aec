package site_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/evalsite/evalsite"
	"github.com/evalsite/evalsite/internal/site"
)

// TestServeWordsFollowAWorkbookEdit: under serve, blanking one signing date
// in the workbook turns "All 20 negotiations in the pilot ended in a signed
// agreement" into the count of those that did.
func TestServeWordsFollowAWorkbookEdit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve")
	}
	root := newSite(t)
	ctx, cancel := context.WithCancel(t.Context())
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- site.Serve(ctx, site.Options{Root: root, Theme: evalsite.Theme()}, site.ServeOptions{
			Addr: "127.0.0.1:0", Debounce: 50 * time.Millisecond,
			Ready: func(addr string) { ready <- addr },
		})
	}()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Serve = %v", err)
		}
	}()
	var base string
	select {
	case base = <-ready:
	case <-time.After(60 * time.Second):
		t.Fatal("server did not start")
	}
	waitFor(t, base+"report/summary/", "All 20 negotiations in the pilot ended in a signed", 10*time.Second)

	// Row 1 is the illustrative mark, row 2 the header: G3 is the first
	// agreement's signed date.
	book := filepath.Join(root, "data", "agreements.xlsx")
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := f.GetCellValue("Agreements", "G2"); v != "signed" {
		t.Fatalf("G2 = %q, want the signed header", v)
	}
	if err := f.SetCellValue("Agreements", "G3", nil); err != nil {
		t.Fatal(err)
	}
	if err := f.Save(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, body := waitFor(t, base+"report/summary/", "19 of the 20 negotiations had ended in a signed agreement", 15*time.Second)
	if strings.Contains(body, "All 20 negotiations") || strings.Contains(body, "All 19 negotiations") {
		t.Error("the summary still says every negotiation ended in a signed agreement")
	}
}

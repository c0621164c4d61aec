package site_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestServeWordsFollowAWorkbookEdit: under serve, blanking one signing date
// in the workbook turns "All 20 negotiations in the pilot ended in a signed
// agreement" into the count of those that did.
func TestServeWordsFollowAWorkbookEdit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs serve")
	}
	root := newSite(t)
	base := serve(t, root)
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

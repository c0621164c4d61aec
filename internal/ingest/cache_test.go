package ingest_test

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/xuri/excelize/v2"
)

// TestCacheReadsOnlyChangedFiles reads a folder of workbooks and CSV files
// three times through one cache: the second read opens no file and gives
// the same records as a read without the cache; after one workbook is
// saved with a change, the third opens that workbook alone and shows the
// change.
func TestCacheReadsOnlyChangedFiles(t *testing.T) {
	for _, format := range []example.Format{example.XLSX, example.CSV} {
		t.Run(string(format), func(t *testing.T) {
			dir := t.TempDir()
			if err := example.Write(dir, example.Generate(example.Config{Agreements: 12}), format); err != nil {
				t.Fatal(err)
			}
			cache := ingest.NewCache()
			read := func() (*ingest.Data, string) {
				t.Helper()
				var log bytes.Buffer
				d, err := ingest.Read(t.Context(), dir, ingest.Options{Cache: cache, Logger: slog.New(slog.NewTextHandler(&log, nil))})
				if err != nil {
					t.Fatal(err)
				}
				return d, log.String()
			}
			plain, err := ingest.Read(t.Context(), dir, ingest.Options{})
			if err != nil {
				t.Fatal(err)
			}
			first, _ := read()
			second, log := read()
			if strings.Contains(log, "opening workbook") {
				t.Errorf("second read opened a workbook again:\n%s", log)
			}
			for _, d := range []*ingest.Data{first, second} {
				if !reflect.DeepEqual(d, plain) {
					t.Fatal("records read through the cache differ from a plain read")
				}
			}

			// Change one agreement's authority, in its own file.
			book := filepath.Join(dir, "agreements.xlsx")
			if format == example.CSV {
				book = filepath.Join(dir, "agreements.csv")
				replaceInFile(t, book, second.Agreements[0].Authority, "Renamed through the cache")
			} else {
				f, err := excelize.OpenFile(book)
				if err != nil {
					t.Fatal(err)
				}
				if err := f.SetCellStr("Agreements", "B3", "Renamed through the cache"); err != nil {
					t.Fatal(err)
				}
				if err := f.Save(); err != nil {
					t.Fatal(err)
				}
				f.Close()
			}
			third, log := read()
			if format == example.XLSX && strings.Count(log, "opening workbook") != 1 {
				t.Errorf("third read opened %d workbooks, want only the saved one:\n%s", strings.Count(log, "opening workbook"), log)
			}
			if third.Agreements[0].Authority != "Renamed through the cache" {
				t.Errorf("third read's first authority = %q, want the change", third.Agreements[0].Authority)
			}
		})
	}
}

func replaceInFile(t *testing.T, p, old, new string) {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s holds no %q", p, old)
	}
	if err := os.WriteFile(p, bytes.Replace(b, []byte(old), []byte(new), 1), 0o644); err != nil {
		t.Fatal(err)
	}
}

package ingest_test

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/xuri/excelize/v2"
)

// stageSizes are the numbers of agreements of the benchmark table in
// docs/performance.md.
// 10,000 agreements (about 470,000 events) runs only with
// EVALSITE_BENCH_LARGE=1.
func stageSizes() []int {
	if os.Getenv("EVALSITE_BENCH_LARGE") == "" {
		return []int{20, 1_000}
	}
	return []int{20, 1_000, 10_000}
}

// BenchmarkReadStage measures ingest.Read, the whole read stage (files to
// validated records), on the example evaluation of 20, 1,000 and 10,000
// agreements written as CSV files and as workbooks; and, over the same
// workbooks in the same run, excelize's Rows iterator with raw cell values
// alone, the baseline (reading every sheet, no decoding). All
// report the data rows read per second.
func BenchmarkReadStage(b *testing.B) {
	for _, n := range stageSizes() {
		d := example.Generate(example.Config{Agreements: n})
		rows := len(d.Agreements) + len(d.Freedoms) + len(d.Events) + len(d.Codings) + len(d.Codebook)
		dirs := map[example.Format]string{}
		for _, format := range []example.Format{example.CSV, example.XLSX} {
			dir := filepath.Join(b.TempDir(), "data")
			if err := example.Write(dir, d, format); err != nil {
				b.Fatal(err)
			}
			dirs[format] = dir
			b.Run(fmt.Sprintf("agreements=%d/format=%s", n, format), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := ingest.Read(b.Context(), dir, ingest.Options{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
			})
		}
		b.Run(fmt.Sprintf("agreements=%d/format=excelize-raw", n), func(b *testing.B) {
			books, err := filepath.Glob(filepath.Join(dirs[example.XLSX], "*.xlsx"))
			if err != nil || len(books) == 0 {
				b.Fatalf("no workbooks: %v", err)
			}
			b.ReportAllocs()
			for b.Loop() {
				for _, p := range books {
					if err := iterateRaw(p); err != nil {
						b.Fatal(err)
					}
				}
			}
			b.ReportMetric(float64(rows)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// iterateRaw reads every cell of every sheet of a workbook with excelize's
// Rows iterator and raw cell values, as the house style reads workbooks.
func iterateRaw(path string) (err error) {
	f, err := excelize.OpenFile(path, excelize.Options{RawCellValue: true})
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for _, sheet := range f.GetSheetList() {
		rows, err := f.Rows(sheet)
		if err != nil {
			return err
		}
		for rows.Next() {
			if _, err := rows.Columns(excelize.Options{RawCellValue: true}); err != nil {
				rows.Close()
				return err
			}
		}
		if err := rows.Error(); err != nil {
			rows.Close()
			return err
		}
		if err := rows.Close(); err != nil {
			return err
		}
	}
	return nil
}

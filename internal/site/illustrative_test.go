package site_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/evalsite/evalsite/internal/example"
	"github.com/evalsite/evalsite/internal/publish"
	"github.com/evalsite/evalsite/internal/site"
)

// TestMarkedDataIsLabelledEverywhere: data written by `evalsite example`
// and built with a configuration that says nothing (or says it is not
// illustrative) labels every page and every download; with the mark deleted
// from every file, nothing is labelled.
func TestMarkedDataIsLabelledEverywhere(t *testing.T) {
	for _, tc := range []struct {
		name   string
		config string // hugo.toml, "" for none
		unmark bool
		want   bool
	}{
		{"no configuration", "", false, true},
		{"configured not illustrative", "title = \"T\"\n[params.evaluation]\nillustrative = false\n", false, true},
		{"mark deleted", "", true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			dataDir := filepath.Join(root, "data")
			if err := example.Write(dataDir, example.Generate(example.Config{Agreements: 8, Seed: 3}), example.CSV); err != nil {
				t.Fatal(err)
			}
			if tc.config != "" {
				if err := os.WriteFile(filepath.Join(root, "hugo.toml"), []byte(tc.config), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if tc.unmark {
				// The documented step: delete the title row of every file.
				files, _ := filepath.Glob(filepath.Join(dataDir, "*.csv"))
				for _, f := range files {
					b := []byte(readFile(t, f))
					_, rest, _ := strings.Cut(string(b), "\n")
					if err := os.WriteFile(f, []byte(rest), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			out := filepath.Join(root, "public")
			if _, err := build(t, root, out); err != nil {
				t.Fatal(err)
			}
			pages := 0
			filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
				if err != nil || !strings.HasSuffix(p, ".html") {
					return err
				}
				pages++
				if got := strings.Contains(readFile(t, p), "Illustrative data."); got != tc.want {
					t.Errorf("%s: banner shown = %v, want %v", p, got, tc.want)
				}
				return nil
			})
			if pages < 10 {
				t.Errorf("only %d pages built", pages)
			}
			dl := filepath.Join(out, "data")
			_, err := os.Stat(filepath.Join(dl, publish.IllustrativeNoteName))
			if got := err == nil; got != tc.want {
				t.Errorf("%s beside the CSVs = %v, want %v", publish.IllustrativeNoteName, got, tc.want)
			}
			var m map[string]any
			if err := json.Unmarshal([]byte(readFile(t, filepath.Join(dl, "metrics.json"))), &m); err != nil {
				t.Fatal(err)
			}
			if got := m["illustrative"] == true && m["notice"] == publish.IllustrativeNotice; got != tc.want {
				t.Errorf("metrics.json marked = %v, want %v", got, tc.want)
			}
			for _, name := range []string{"evaluation.json", "datapackage.json"} {
				if got := strings.Contains(readFile(t, filepath.Join(dl, name)), publish.IllustrativeNotice); got != tc.want {
					t.Errorf("%s says illustrative = %v, want %v", name, got, tc.want)
				}
			}
			f, err := excelize.OpenFile(filepath.Join(dl, "evaluation.xlsx"))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			rows, err := f.GetRows(f.GetSheetList()[0])
			if err != nil {
				t.Fatal(err)
			}
			cover := ""
			for _, r := range rows {
				cover += strings.Join(r, " ") + "\n"
			}
			if got := strings.Contains(cover, publish.IllustrativeNotice); got != tc.want {
				t.Errorf("workbook cover says illustrative = %v, want %v:\n%s", got, tc.want, cover)
			}
		})
	}
}

// TestCapacityBelowOneIsAConfigurationError: capacity = 0 in hugo.toml is
// refused, not replaced by the default.
func TestCapacityBelowOneIsAConfigurationError(t *testing.T) {
	for _, v := range []string{"0", "-2", "2.5"} {
		root := t.TempDir()
		if err := os.WriteFile(filepath.Join(root, "hugo.toml"), []byte("title = \"T\"\n[params.evaluation]\ncapacity = "+v+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := example.Write(filepath.Join(root, "data"), example.Generate(example.Config{Agreements: 3}), example.CSV); err != nil {
			t.Fatal(err)
		}
		_, err := site.Metrics(t.Context(), site.Options{Root: root})
		if err == nil || !strings.Contains(err.Error(), "params.evaluation.capacity: want a whole number of at least 1") {
			t.Errorf("capacity = %s: error %v, want a configuration error", v, err)
		}
	}
}

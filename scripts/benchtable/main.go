// Command benchtable prints the performance targets of evalsite beside the
// medians that scripts/bench.sh measured. It reads the raw output of go test
// -bench and the end-to-end lines of bench.sh:
//
//	go run ./scripts/benchtable bench.txt e2e.txt
//
// A figure that was not measured (a size left out, a benchmark not run)
// shows as "not measured".
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "benchtable: usage: benchtable BENCH.TXT E2E.TXT")
		os.Exit(2)
	}
	r := results{bench: map[string][]float64{}, e2e: map[string][]float64{}}
	for i, p := range os.Args[1:] {
		f, err := os.Open(p)
		if err != nil {
			// A run of only the end-to-end builds has no bench.txt.
			continue
		}
		if i == 0 {
			r.readBench(f)
		} else {
			r.readE2E(f)
		}
		f.Close()
	}
	r.print(os.Stdout)
}

type results struct {
	bench map[string][]float64 // "name unit" -> one value per run
	e2e   map[string][]float64 // "n format wall|rss" -> seconds or MB per run
}

// procSuffix is the -GOMAXPROCS suffix go test adds to a benchmark's name.
var procSuffix = regexp.MustCompile(`-\d+$`)

func (r *results) readBench(f io.Reader) {
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 || !strings.HasPrefix(fields[0], "Benchmark") {
			continue
		}
		name := procSuffix.ReplaceAllString(strings.TrimPrefix(fields[0], "Benchmark"), "")
		for i := 2; i+1 < len(fields); i += 2 {
			v, err := strconv.ParseFloat(fields[i], 64)
			if err != nil {
				break
			}
			key := name + " " + fields[i+1]
			r.bench[key] = append(r.bench[key], v)
		}
	}
}

var e2eLine = regexp.MustCompile(`agreements=(\d+) format=(\w+) run=\d+ wall=([0-9:.]+) max_rss=(\d+) MB`)

func (r *results) readE2E(f io.Reader) {
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		m := e2eLine.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		secs := 0.0
		for part := range strings.SplitSeq(m[3], ":") {
			v, _ := strconv.ParseFloat(part, 64)
			secs = secs*60 + v
		}
		rss, _ := strconv.ParseFloat(m[4], 64)
		key := m[1] + " " + m[2]
		r.e2e[key+" wall"] = append(r.e2e[key+" wall"], secs)
		r.e2e[key+" rss"] = append(r.e2e[key+" rss"], rss)
	}
}

func median(vs []float64) (float64, bool) {
	if len(vs) == 0 {
		return 0, false
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}

// secs is the median seconds per operation of a benchmark.
func (r *results) secs(name string) (float64, bool) {
	v, ok := median(r.bench[name+" ns/op"])
	return v / 1e9, ok
}

// row is one line of the table: what is measured, the median, the target,
// and whether the median meets it.
type row struct {
	measure, value, target, met string
}

func verdict(ok bool) string {
	if ok {
		return "yes"
	}
	return "no"
}

const missing = "not measured"

// figure prints a value to three significant digits, never in e-notation.
func figure(v float64) string {
	switch {
	case v >= 100:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	case v >= 1:
		return strconv.FormatFloat(v, 'f', 2, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}

func (r *results) print(w io.Writer) {
	var rows []row
	add := func(measure, target string, value float64, ok bool, unit string, meets func(float64) bool) {
		if !ok {
			rows = append(rows, row{measure, missing, target, ""})
			return
		}
		met := ""
		if meets != nil {
			met = verdict(meets(value))
		}
		rows = append(rows, row{measure, figure(value) + " " + unit, target, met})
	}
	for _, e := range []struct {
		n      string
		kind   string
		target float64
	}{
		{"10000", "chapter", 1}, {"1000", "chapter", 0.3}, {"20", "chapter", 0.3},
		{"10000", "workbook", 5}, {"1000", "workbook", 5}, {"20", "workbook", 5},
	} {
		v, ok := median(r.bench["ServeEdit/agreements="+e.n+"/edit="+e.kind+" median-s/edit"])
		add(fmt.Sprintf("%s edit shown under serve, %s agreements", e.kind, e.n),
			fmt.Sprintf("under %g s", e.target), v, ok, "s", func(v float64) bool { return v < e.target })
	}
	for _, n := range []string{"20", "1000", "10000"} {
		floor, fok := r.secs("HugoFloor/agreements=" + n)
		for _, format := range []string{"csv", "xlsx"} {
			build, bok := r.secs("Build/agreements=" + n + "/format=" + format)
			add(fmt.Sprintf("whole build (site.Build), %s agreements, %s", n, strings.ToUpper(format)), "", build, bok, "s", nil)
			target := ""
			if n == "10000" && format == "csv" {
				target = "at most 1.5x"
			}
			var meets func(float64) bool
			if target != "" {
				meets = func(v float64) bool { return v <= 1.5 }
			}
			add("  as a multiple of Hugo's floor at as many pages ("+figure(floor)+" s)", target, build/floor, bok && fok, "x", meets)
		}
	}
	for _, format := range []string{"csv", "xlsx"} {
		v, ok := median(r.e2e["10000 "+format+" rss"])
		add("peak memory (max RSS), 10,000-agreement build, "+strings.ToUpper(format), "under 1 GB", v, ok, "MB",
			func(v float64) bool { return v < 1000 })
	}
	raw, rok := r.secs("ReadSheet/excelize")
	stream, sok := r.secs("ReadSheet/stream")
	add("XLSX sheet reader against excelize's raw Rows()", "keep at least 4x", raw/stream, rok && sok, "x",
		func(v float64) bool { return v >= 4 })
	for _, format := range []string{"csv", "xlsx"} {
		v, ok := median(r.e2e["20 "+format+" wall"])
		add("the 20-agreement example, whole build (evalsite build), "+strings.ToUpper(format), "under 0.3 s", v, ok, "s",
			func(v float64) bool { return v < 0.3 })
	}
	for _, n := range []string{"1000", "10000"} {
		for _, format := range []string{"csv", "xlsx"} {
			wall, ok := median(r.e2e[n+" "+format+" wall"])
			add(fmt.Sprintf("evalsite build, %s agreements, %s: wall clock", n, strings.ToUpper(format)), "", wall, ok, "s", nil)
			rss, ok := median(r.e2e[n+" "+format+" rss"])
			add(fmt.Sprintf("evalsite build, %s agreements, %s: max RSS", n, strings.ToUpper(format)), "", rss, ok, "MB", nil)
		}
	}

	fmt.Fprintln(w, "| measure | median | target | met |")
	fmt.Fprintln(w, "| --- | --- | --- | --- |")
	for _, rw := range rows {
		met := rw.met
		if rw.target == "" {
			met = ""
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", rw.measure, rw.value, rw.target, met)
	}
}

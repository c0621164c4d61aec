package site_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/evalsite/evalsite/internal/example"
	"github.com/xuri/excelize/v2"
	"golang.org/x/net/html"
)

// hostileTexts are spreadsheet texts meant to break what they are written
// into: bidirectional overrides, markup, shortcodes and template actions,
// quotes and ampersands, a name as long as a cell may be, emoji, combining
// marks, Unicode non-characters that XML allows, and a formula for a CSV
// reader. (Control characters, U+FFFE and U+FFFF are refused when the data
// is read, and invalid UTF-8 too.)
var hostileTexts = []string{
	"\u202eKent\u202c County <script>alert(1)</script>",
	`{{< param "title" >}} "quoted" & 'single' {{ .Site.Title }}`,
	"Café 👩🏽‍💻 e\u0301\u0301 \u2067right to left",
	"Non\ufdd0character\U0001fffe & \u202aembedded",
	`=HYPERLINK("http://example.org","x")`,
	strings.Repeat("Department for Long Names ", 1300)[:32_000],
}

// bidiOverride reports the characters that reorder the text after them.
func bidiOverride(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r == 0x2066 || r == 0x2067
}

// TestBuildOverHostileTextWritesValidFiles builds the example with hostile
// text in every text column the site shows, and parses every file it
// writes with a parser for its format.
func TestBuildOverHostileTextWritesValidFiles(t *testing.T) {
	root := newSite(t)
	d := example.Generate(example.Config{})
	depts := map[string]string{}
	for i := range d.Agreements {
		d.Agreements[i].Authority = fmt.Sprintf("%s %d", hostileTexts[i%len(hostileTexts)], i)
		d.Agreements[i].Region = hostileTexts[(i+1)%len(hostileTexts)]
	}
	hostileDept := func(name string) string {
		// The report cites these departments' figures by name.
		if name == "DfEE" || name == "DoH" || name == "Home Office" {
			return name
		}
		if h, ok := depts[name]; ok {
			return h
		}
		h := fmt.Sprintf("%s %d", hostileTexts[len(depts)%len(hostileTexts)], len(depts))
		depts[name] = h
		return h
	}
	for i := range d.Freedoms {
		d.Freedoms[i].Department = hostileDept(d.Freedoms[i].Department)
		d.Freedoms[i].Request = hostileTexts[i%len(hostileTexts)]
	}
	for i := range d.Events {
		if d.Events[i].Department != "" {
			d.Events[i].Department = hostileDept(d.Events[i].Department)
		}
		d.Events[i].Note = hostileTexts[i%len(hostileTexts)]
	}
	for i := range d.Codebook {
		d.Codebook[i].Label = fmt.Sprintf("%s %d", hostileTexts[i%len(hostileTexts)], i)
		d.Codebook[i].Description = hostileTexts[(i+2)%len(hostileTexts)]
	}
	for i := range d.Codings {
		d.Codings[i].Excerpt = hostileTexts[i%len(hostileTexts)]
		d.Codings[i].Cleared = true
	}
	data := filepath.Join(root, "data")
	if err := os.RemoveAll(data); err != nil {
		t.Fatal(err)
	}
	if err := example.Write(data, d, example.CSV); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	if _, err := build(t, root, out); err != nil {
		t.Fatalf("build over hostile text = %v", err)
	}

	counts := map[string]int{}
	err := filepath.WalkDir(out, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(out, p)
		ext := strings.ToLower(filepath.Ext(p))
		counts[ext]++
		var perr error
		switch ext {
		case ".html":
			perr = checkHTML(b)
		case ".svg", ".xml":
			perr = checkXML(b)
		case ".json":
			if !json.Valid(b) {
				perr = errors.New("not valid JSON")
			}
		case ".csv":
			r := csv.NewReader(bytes.NewReader(b))
			r.FieldsPerRecord = -1
			_, perr = r.ReadAll()
		case ".xlsx":
			perr = checkXLSX(b)
		}
		if perr != nil {
			t.Errorf("%s: %v", rel, perr)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, ext := range []string{".html", ".svg", ".json", ".csv", ".xlsx"} {
		if counts[ext] == 0 {
			t.Errorf("the build wrote no %s file to check", ext)
		}
	}
	t.Logf("checked %v", counts)
}

// checkHTML parses a page strictly enough to catch what hostile text could
// do to it: a script from a cell, and a bidirectional override that could reorder
// the text around it, outside an isolate (a <bdi> element, a block of its
// own, or a U+2068 ... U+2069 isolate within the text).
func checkHTML(b []byte) error {
	z := html.NewTokenizer(bytes.NewReader(b))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			if errors.Is(z.Err(), io.EOF) {
				break
			}
			return z.Err()
		}
		if tt == html.StartTagToken {
			name, _ := z.TagName()
			if string(name) == "script" {
				if tt := z.Next(); tt == html.TextToken && bytes.Contains(z.Text(), []byte("alert(1)")) {
					return errors.New("a <script> from a cell runs")
				}
			}
		}
	}
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		return err
	}
	var problems []string
	// Inline contexts where spreadsheet text sits inside our own words.
	inline := map[string]bool{"caption": true, "title": true, "li": true, "footer": true, "figcaption": true}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && inline[n.Data] {
			if txt := exposedText(n); strings.ContainsFunc(txt, bidiOverride) {
				problems = append(problems, fmt.Sprintf("<%s> %.60q lets an override reorder the words around it", n.Data, txt))
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

// exposedText returns the text of n outside <bdi> elements, with the spans
// between U+2068 and U+2069 removed.
func exposedText(n *html.Node) string {
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.ElementNode && n.Data == "bdi":
			return
		case n.Type == html.TextNode:
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	s := b.String()
	for {
		i := strings.IndexRune(s, 0x2068)
		if i < 0 {
			return s
		}
		j := strings.IndexRune(s[i:], 0x2069)
		if j < 0 {
			return s
		}
		s = s[:i] + s[i+j+len("\u2069"):]
	}
}

// checkXML reads an SVG or XML file to its end with encoding/xml, which
// refuses characters XML may not hold.
func checkXML(b []byte) error {
	d := xml.NewDecoder(bytes.NewReader(b))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// checkXLSX opens a workbook and reads every cell of every sheet.
func checkXLSX(b []byte) error {
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		return err
	}
	defer f.Close()
	for _, s := range f.GetSheetList() {
		rows, err := f.Rows(s)
		if err != nil {
			return err
		}
		for rows.Next() {
			if _, err := rows.Columns(); err != nil {
				return err
			}
		}
		if err := rows.Error(); err != nil {
			return err
		}
		rows.Close()
	}
	return nil
}

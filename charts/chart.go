package charts

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Chart describes a chart that was drawn: its texts and the same numbers as a
// table. Title, Subtitle and Source are not drawn in the SVG: the page prints
// them as text beside it (the SVG keeps Title and Alt as its title and desc).
type Chart struct {
	Title    string     // active title stating the main message
	Subtitle string     // the measure and the period
	Source   string     // source line, as given in the input
	Alt      string     // alt text from the data, stating the main message
	Header   []string   // table header
	Rows     [][]string // the numbers drawn, formatted, one row per mark
}

// WriteCSV writes the chart's table (Header then Rows) to w as RFC 4180 CSV with
// CRLF line endings. A text cell that a spreadsheet program would read as a
// formula (starting with =, +, -, @, tab or carriage return, and not a number) is
// prefixed with a single quote; numbers such as "-3" or "-2.5%" are kept.
func (c *Chart) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(guardRow(c.Header)); err != nil {
		return fmt.Errorf("write chart csv header: %w", err)
	}
	for i, r := range c.Rows {
		if err := cw.Write(guardRow(r)); err != nil {
			return fmt.Errorf("write chart csv row %d: %w", i+1, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write chart csv: %w", err)
	}
	return nil
}

// guardRow returns r with formula-like text cells prefixed by a quote.
func guardRow(r []string) []string {
	out := make([]string, len(r))
	for i, s := range r {
		out[i] = guardCell(s)
	}
	return out
}

func guardCell(s string) string {
	if s == "" || !strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return s
	}
	num := strings.TrimSuffix(strings.TrimSuffix(s, "%"), " pp")
	if _, err := strconv.ParseFloat(num, 64); err == nil {
		return s
	}
	return "'" + s
}

// finishSVG turns what vgsvg wrote into the published SVG: no XML prologue (so
// it can be inlined in HTML), pixel width and height with the viewBox kept and
// scale-down styling, the chart's title and alt text as its title and desc, and the font stack
// in place of the measuring font's name.
func finishSVG(raw []byte, title, alt string) ([]byte, error) {
	i := bytes.Index(raw, []byte("<svg "))
	if i < 0 {
		return nil, fmt.Errorf("finish svg: no svg element in canvas output")
	}
	raw = raw[i:]
	end := bytes.IndexByte(raw, '>')
	if end < 0 {
		return nil, fmt.Errorf("finish svg: unterminated svg element")
	}
	open := string(raw[:end])
	// vgsvg writes width="400pt" height="123.5pt": make them pixels.
	open = strings.Replace(open, `pt" height="`, `" height="`, 1)
	open = strings.Replace(open, `pt" viewBox="`, `" viewBox="`, 1)
	open = strings.Replace(open, "\n\t", " ", -1)
	var b bytes.Buffer
	b.Grow(len(raw) + len(alt) + 200)
	b.WriteString(open)
	b.WriteString(` role="img" style="max-width:100%;height:auto">` + "\n<title>")
	xmlEscape(&b, title)
	b.WriteString("</title>\n<desc>")
	xmlEscape(&b, alt)
	b.WriteString("</desc>\n")
	body := raw[end+1:]
	body = bytes.TrimPrefix(body, []byte("\n"))
	body = bytes.ReplaceAll(body, []byte("\n\tstyle=\"font-family:Liberation Sans;font-variant:normal;"),
		[]byte(" style=\"font-family:Arial,Helvetica,'Liberation Sans',sans-serif;"))
	body = bytes.ReplaceAll(body, []byte("font-style:normal;"), nil)
	b.Write(body)
	return b.Bytes(), nil
}

func xmlEscape(b *bytes.Buffer, s string) {
	for _, r := range s {
		switch r {
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			b.WriteRune(r)
		}
	}
}

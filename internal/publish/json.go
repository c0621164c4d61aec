package publish

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"
)

// releaseJSON is the release metadata as evaluation.json carries it.
type releaseJSON struct {
	Title         string         `json:"title"`
	Publisher     string         `json:"publisher"`
	Contact       string         `json:"contact"`
	ReleaseDate   string         `json:"release_date"`
	NextUpdate    string         `json:"next_update"`
	Version       string         `json:"version"`
	Status        string         `json:"status"`
	Licence       string         `json:"licence"`
	LicenceURL    string         `json:"licence_url"`
	Illustrative  bool           `json:"illustrative"`
	Notice        string         `json:"notice,omitempty"`
	Sources       []string       `json:"sources"`
	Revisions     []revisionJSON `json:"revisions"`
	SuppressBelow int            `json:"suppress_below"`
}

type revisionJSON struct {
	Date    string `json:"date"`
	Version string `json:"version"`
	Note    string `json:"note"`
}

type noteJSON struct {
	Number int    `json:"number"`
	Text   string `json:"text"`
}

func newReleaseJSON(rel Release, opt Options) releaseJSON {
	r := releaseJSON{
		Title: rel.Title, Publisher: rel.Publisher, Contact: rel.Contact,
		ReleaseDate: rel.ReleaseDate, NextUpdate: rel.NextUpdate,
		Version: rel.Version, Status: rel.Status,
		Licence: rel.Licence, LicenceURL: rel.LicenceURL,
		Illustrative:  rel.Illustrative,
		Sources:       append([]string{}, rel.Sources...),
		Revisions:     []revisionJSON{},
		SuppressBelow: opt.SuppressBelow,
	}
	if rel.Illustrative {
		r.Notice = IllustrativeNotice
	}
	for _, v := range rel.Revisions {
		r.Revisions = append(r.Revisions, revisionJSON(v))
	}
	return r
}

// jsonLayout is the white space of evaluation.json: compact, or as
// json.Indent lays it out with two spaces.
type jsonLayout struct {
	open, notes, datasets  string // before the release, the notes, the datasets
	name, empty, start     string // before a dataset's name; an empty dataset; a dataset's opening
	row, key, colon, close string // before a row; before a key; after it; after a row
	end, endEmpty, final   string // after a dataset; the document's end without datasets, and with
}

var (
	compactLayout = jsonLayout{
		open: `{"release":`, notes: `,"notes":`, datasets: `,"datasets":{`,
		empty: ":[]", start: ":[", row: "{", colon: ":", close: "}",
		end: "]", endEmpty: "}}\n", final: "}}\n",
	}
	indentLayout = jsonLayout{
		open: "{\n  \"release\": ", notes: ",\n  \"notes\": ", datasets: ",\n  \"datasets\": {",
		name: "\n    ", empty: ": []", start: ": [", row: "\n      {", key: "\n        ", colon: ": ", close: "\n      }",
		end: "\n    ]", endEmpty: "}\n}\n", final: "\n  }\n}\n",
	}
)

// encodeJSON writes evaluation.json: {"release": ..., "notes": [...],
// "datasets": {"agreements": [{column: value, ...}, ...], ...}}, datasets and
// columns in schema order. Text is exact (no formula guard); a blank cell is
// null, a date "YYYY-MM-DD", a withheld count "[c]". The file is compact
// unless opt.IndentJSON asks for the layout of json.Indent with two spaces;
// either way it is written row by row so that the datasets are never held
// in memory as JSON.
func encodeJSON(w io.Writer, rel Release, opt Options, tables []table, n notes) error {
	l := compactLayout
	marshal := json.Marshal
	if opt.IndentJSON {
		l = indentLayout
		marshal = func(v any) ([]byte, error) { return json.MarshalIndent(v, "  ", "  ") }
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	bw.WriteString(l.open)
	data, err := marshal(newReleaseJSON(rel, opt))
	if err != nil {
		return err
	}
	bw.Write(data)
	bw.WriteString(l.notes)
	ns := make([]noteJSON, len(n.texts))
	for i, t := range n.texts {
		ns[i] = noteJSON{i + 1, t}
	}
	if data, err = marshal(ns); err != nil {
		return err
	}
	bw.Write(data)
	bw.WriteString(l.datasets)
	var buf []byte
	for ti, t := range tables {
		if ti > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString(l.name)
		if buf, err = appendJSON(buf[:0], t.name); err != nil {
			return err
		}
		bw.Write(buf)
		if t.n == 0 {
			bw.WriteString(l.empty)
			continue
		}
		keys := make([][]byte, len(t.cols))
		for ci, c := range t.cols {
			k, err := appendJSON([]byte(l.key), c.Name)
			if err != nil {
				return err
			}
			keys[ci] = append(k, l.colon...)
		}
		bw.WriteString(l.start)
		for ri, row := range t.rows() {
			if ri > 0 {
				bw.WriteByte(',')
			}
			bw.WriteString(l.row)
			for ci, v := range row {
				if ci > 0 {
					bw.WriteByte(',')
				}
				bw.Write(keys[ci])
				if buf, err = appendJSON(buf[:0], jsonValue(v)); err != nil {
					return fmt.Errorf("%s column %s: %w", t.name, t.cols[ci].Name, err)
				}
				bw.Write(buf)
			}
			bw.WriteString(l.close)
		}
		bw.WriteString(l.end)
	}
	if len(tables) == 0 {
		bw.WriteString(l.endEmpty)
	} else {
		bw.WriteString(l.final)
	}
	return bw.Flush()
}

// appendJSON appends v as json.Marshal writes it, without its allocations
// for the values a table holds: plain ASCII text, whole numbers, numbers in
// decimal form, booleans and null. Anything else goes through json.Marshal.
func appendJSON(b []byte, v any) ([]byte, error) {
	switch v := v.(type) {
	case nil:
		return append(b, "null"...), nil
	case string:
		if plainJSON(v) {
			b = append(b, '"')
			b = append(b, v...)
			return append(b, '"'), nil
		}
	case int:
		return strconv.AppendInt(b, int64(v), 10), nil
	case float64:
		// encoding/json uses the 'f' format from 1e-6 up to 1e21.
		if abs := math.Abs(v); abs == 0 || abs >= 1e-6 && abs < 1e21 {
			return strconv.AppendFloat(b, v, 'f', -1, 64), nil
		}
	case bool:
		return strconv.AppendBool(b, v), nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		return b, err
	}
	return append(b, data...), nil
}

// plainJSON reports whether json.Marshal writes s unchanged between quotes:
// printable ASCII without a quote, backslash or the characters it escapes
// for HTML (<, >, &).
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c > 0x7e, c == '"', c == '\\', c == '<', c == '>', c == '&':
			return false
		}
	}
	return true
}

func jsonValue(v any) any {
	switch v := v.(type) {
	case time.Time:
		return v.Format(time.DateOnly)
	case confidential:
		return Confidential
	}
	return v
}

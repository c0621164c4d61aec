package publish

import (
	"bytes"
	"encoding/json"
	"fmt"
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

// encodeJSON writes evaluation.json: {"release": ..., "notes": [...],
// "datasets": {"agreements": [{column: value, ...}, ...], ...}}, datasets and
// columns in schema order. Text is exact (no formula guard); a blank cell is
// null, a date "YYYY-MM-DD", a withheld count "[c]".
func encodeJSON(rel Release, opt Options, tables []table, n notes) ([]byte, error) {
	var b bytes.Buffer
	put := func(v any) error {
		data, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b.Write(data)
		return nil
	}
	b.WriteString(`{"release":`)
	if err := put(newReleaseJSON(rel, opt)); err != nil {
		return nil, err
	}
	b.WriteString(`,"notes":`)
	ns := make([]noteJSON, len(n.texts))
	for i, t := range n.texts {
		ns[i] = noteJSON{i + 1, t}
	}
	if err := put(ns); err != nil {
		return nil, err
	}
	b.WriteString(`,"datasets":{`)
	for ti, t := range tables {
		if ti > 0 {
			b.WriteString(",")
		}
		if err := put(t.name); err != nil {
			return nil, err
		}
		b.WriteString(":[")
		for ri, row := range t.rows {
			if ri > 0 {
				b.WriteString(",")
			}
			b.WriteString("{")
			for ci, v := range row {
				if ci > 0 {
					b.WriteString(",")
				}
				if err := put(t.cols[ci].Name); err != nil {
					return nil, err
				}
				b.WriteString(":")
				if err := put(jsonValue(v)); err != nil {
					return nil, fmt.Errorf("%s column %s: %w", t.name, t.cols[ci].Name, err)
				}
			}
			b.WriteString("}")
		}
		b.WriteString("]")
	}
	b.WriteString("}}")
	var out bytes.Buffer
	if err := json.Indent(&out, b.Bytes(), "", "  "); err != nil {
		return nil, err
	}
	out.WriteString("\n")
	return out.Bytes(), nil
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

package example

import (
	"archive/zip"
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/evalsite/evalsite/internal/ingest"
)

// QDPXName is the file the codings are written to as a REFI-QDA project.
const QDPXName = "codings.qdpx"

// WriteQDPX writes d into dir with the codings as a REFI-QDA project,
// codings.qdpx, and the other datasets, the codebook among them, in format
// (xlsx or csv) as Write writes them: the codebook beside the project
// gives the project's codes the keys the report pages use. Each interview is one text source: its text is its
// excerpts one after the other, each coded selection spanning its excerpt
// (an empty selection when the coding has none); wave, group and
// organisation are variables of the source; a valence is a child of a code
// "Valence" and a cleared excerpt is coded "Cleared", both applied to the
// selection. The project has the codebook too, codes named by their labels,
// for analysis software. The same data always gives the same bytes.
func WriteQDPX(dir string, d *ingest.Data, format Format) error {
	if format != XLSX && format != CSV {
		return fmt.Errorf("write example: unknown format %q (want xlsx or csv)", format)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("write example: %w", err)
	}
	var rest []table
	for _, t := range tablesOf(d) {
		if t.schema.Name == "codings" {
			continue
		}
		rest = append(rest, t)
	}
	// Files that would stand beside the project as a second form of the
	// same datasets, or of the other format.
	clash := []string{"codings.csv", "codebook.qdc"}
	for _, t := range rest {
		if format == CSV {
			clash = append(clash, t.schema.Workbook)
		} else {
			clash = append(clash, t.schema.CSV)
		}
	}
	for _, name := range clash {
		if _, err := os.Stat(filepath.Join(dir, name)); err == nil {
			return fmt.Errorf("write example: %s already holds %s; remove it or write to another folder", dir, name)
		}
	}
	if format == CSV {
		for _, t := range rest {
			if err := writeFile(filepath.Join(dir, t.schema.CSV), func(w io.Writer) error { return writeCSV(w, t) }); err != nil {
				return err
			}
		}
	} else {
		var books []string
		byBook := map[string][]table{}
		for _, t := range rest {
			if _, ok := byBook[t.schema.Workbook]; !ok {
				books = append(books, t.schema.Workbook)
			}
			byBook[t.schema.Workbook] = append(byBook[t.schema.Workbook], t)
		}
		for _, book := range books {
			if err := writeFile(filepath.Join(dir, book), func(w io.Writer) error {
				return writeWorkbook(w, byBook[book], latestDate(d))
			}); err != nil {
				return err
			}
		}
	}
	return writeFile(filepath.Join(dir, QDPXName), func(w io.Writer) error { return encodeQDPX(w, d) })
}

// guid returns a name-based (version 5) UUID of kind and name, so that the
// project is the same bytes for the same data.
func guid(kind, name string) string {
	h := sha1.New()
	h.Write([]byte("evalsite example " + kind + "\x00" + name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

type (
	qdeProject struct {
		XMLName   xml.Name      `xml:"Project"`
		NS        string        `xml:"xmlns,attr"`
		Name      string        `xml:"name,attr"`
		Origin    string        `xml:"origin,attr"`
		Codes     []qdeCode     `xml:"CodeBook>Codes>Code"`
		Variables []qdeVariable `xml:"Variables>Variable"`
		Sources   []qdeSource   `xml:"Sources>TextSource"`
	}
	qdeCode struct {
		GUID        string    `xml:"guid,attr"`
		Name        string    `xml:"name,attr"`
		IsCodable   bool      `xml:"isCodable,attr"`
		Description string    `xml:"Description,omitempty"`
		Codes       []qdeCode `xml:"Code"`
	}
	qdeVariable struct {
		GUID string `xml:"guid,attr"`
		Name string `xml:"name,attr"`
		Type string `xml:"typeOfVariable,attr"`
	}
	qdeSource struct {
		GUID       string         `xml:"guid,attr"`
		Name       string         `xml:"name,attr"`
		Path       string         `xml:"plainTextPath,attr"`
		Selections []qdeSelection `xml:"PlainTextSelection"`
		Values     []qdeValue     `xml:"VariableValue"`
	}
	qdeSelection struct {
		GUID    string      `xml:"guid,attr"`
		Start   int         `xml:"startPosition,attr"`
		End     int         `xml:"endPosition,attr"`
		Codings []qdeCoding `xml:"Coding"`
	}
	qdeCoding struct {
		GUID string `xml:"guid,attr"`
		Ref  qdeRef `xml:"CodeRef"`
	}
	qdeRef struct {
		Target string `xml:"targetGUID,attr"`
	}
	qdeValue struct {
		Ref     qdeRef  `xml:"VariableRef"`
		Text    *string `xml:"TextValue,omitempty"`
		Integer *int    `xml:"IntegerValue,omitempty"`
	}
)

// encodeQDPX writes the codings and codebook of d as a REFI-QDA project zip.
func encodeQDPX(w io.Writer, d *ingest.Data) error {
	p := qdeProject{NS: "urn:QDA-XML:project:1.0", Name: "Synthetic example codings", Origin: "evalsite example generator"}
	children := map[string][]int{}
	var roots []int
	for i, c := range d.Codebook {
		if c.Parent == "" {
			roots = append(roots, i)
		} else {
			children[c.Parent] = append(children[c.Parent], i)
		}
	}
	var code func(i int) qdeCode
	code = func(i int) qdeCode {
		c := d.Codebook[i]
		q := qdeCode{GUID: guid("code", c.Code), Name: c.Label, IsCodable: true, Description: c.Description}
		for _, j := range children[c.Code] {
			q.Codes = append(q.Codes, code(j))
		}
		return q
	}
	for _, i := range roots {
		p.Codes = append(p.Codes, code(i))
	}
	codeGUID := map[string]string{}
	for _, c := range d.Codebook {
		codeGUID[c.Code] = guid("code", c.Code)
	}
	// Codes used in the codings but not in the codebook are added at the top.
	for _, c := range d.Codings {
		if _, ok := codeGUID[c.Code]; !ok {
			codeGUID[c.Code] = guid("code", c.Code)
			p.Codes = append(p.Codes, qdeCode{GUID: codeGUID[c.Code], Name: c.Code, IsCodable: true})
		}
	}
	valence := qdeCode{GUID: guid("code", "\x00valence"), Name: "Valence", IsCodable: false}
	valenceGUID := map[string]string{}
	for _, v := range []string{"positive", "negative", "mixed", "neutral"} {
		valenceGUID[v] = guid("valence", v)
		valence.Codes = append(valence.Codes, qdeCode{GUID: valenceGUID[v], Name: v, IsCodable: true})
	}
	cleared := qdeCode{GUID: guid("code", "\x00cleared"), Name: "Cleared", IsCodable: true,
		Description: "The excerpt is cleared for publication."}
	p.Codes = append(p.Codes, valence, cleared)

	vars := map[string]string{}
	for _, v := range []struct{ name, typ string }{{"wave", "Integer"}, {"group", "Text"}, {"organisation", "Text"}} {
		vars[v.name] = guid("variable", v.name)
		p.Variables = append(p.Variables, qdeVariable{GUID: vars[v.name], Name: v.name, Type: v.typ})
	}

	// One source per interview, in order of first appearance.
	type interview struct {
		src  qdeSource
		text strings.Builder
		pos  int // code points written
	}
	var order []string
	byID := map[string]*interview{}
	for i, c := range d.Codings {
		iv := byID[c.InterviewID]
		if iv == nil {
			g := guid("source", c.InterviewID)
			iv = &interview{src: qdeSource{GUID: g, Name: c.InterviewID, Path: "internal://" + g + ".txt"}}
			wave := c.Wave
			iv.src.Values = append(iv.src.Values,
				qdeValue{Ref: qdeRef{vars["wave"]}, Integer: &wave},
				qdeValue{Ref: qdeRef{vars["group"]}, Text: &c.Group})
			if c.Organisation != "" {
				org := c.Organisation
				iv.src.Values = append(iv.src.Values, qdeValue{Ref: qdeRef{vars["organisation"]}, Text: &org})
			}
			byID[c.InterviewID] = iv
			order = append(order, c.InterviewID)
		}
		if iv.pos > 0 && c.Excerpt != "" {
			iv.text.WriteString("\n\n")
			iv.pos += 2
		}
		start := iv.pos
		iv.text.WriteString(c.Excerpt)
		iv.pos += utf8.RuneCountInString(c.Excerpt)
		n := strconv.Itoa(i)
		sel := qdeSelection{GUID: guid("selection", n), Start: start, End: iv.pos,
			Codings: []qdeCoding{{GUID: guid("coding", n), Ref: qdeRef{codeGUID[c.Code]}}}}
		if c.Valence != "" {
			sel.Codings = append(sel.Codings, qdeCoding{GUID: guid("coding", n+" valence"), Ref: qdeRef{valenceGUID[c.Valence]}})
		}
		if c.Cleared {
			sel.Codings = append(sel.Codings, qdeCoding{GUID: guid("coding", n+" cleared"), Ref: qdeRef{cleared.GUID}})
		}
		iv.src.Selections = append(iv.src.Selections, sel)
	}
	for _, id := range order {
		p.Sources = append(p.Sources, byID[id].src)
	}

	stamp := latestDate(d)
	zw := zip.NewWriter(w)
	add := func(name string, write func(io.Writer) error) error {
		fw, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: stamp})
		if err != nil {
			return err
		}
		return write(fw)
	}
	if err := add("project.qde", func(w io.Writer) error {
		if _, err := io.WriteString(w, xml.Header+"<!-- "+syntheticNotice+" -->\n"); err != nil {
			return err
		}
		enc := xml.NewEncoder(w)
		enc.Indent("", " ")
		return enc.Encode(p)
	}); err != nil {
		return err
	}
	for _, id := range order {
		iv := byID[id]
		if err := add("sources/"+iv.src.GUID+".txt", func(w io.Writer) error {
			_, err := io.WriteString(w, iv.text.String())
			return err
		}); err != nil {
			return err
		}
	}
	return zw.Close()
}

// syntheticNotice marks the project as made up, as the workbooks' properties do.
const syntheticNotice = "Synthetic example data generated by evalsite: illustrative, not the results of a real evaluation."

package publish

import (
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"github.com/evalsite/evalsite/internal/ingest"
)

// QDCName is the file name of the codebook as a REFI-QDA codebook, which
// qualitative analysis programs (NVivo, ATLAS.ti, MAXQDA, QualCoder) import.
const QDCName = "codebook.qdc"

// qdcNamespace is the namespace of a REFI-QDA codebook.
const qdcNamespace = "urn:QDA-XML:codebook:1.0"

// codeGUIDSpace is the name space from which code GUIDs are derived: a
// code's GUID is a name-based (version 5) UUID of its key in this space, so
// the same codebook always gets the same GUIDs and two builds stay
// byte-identical, and a code keeps its GUID from one release to the next.
var codeGUIDSpace = [16]byte{0x6b, 0x1f, 0x3c, 0x52, 0x0e, 0x8a, 0x4d, 0x27, 0x9b, 0x41, 0x5c, 0x2e, 0x77, 0xd0, 0x13, 0xa8}

// codeGUID returns the GUID of the code with key.
func codeGUID(key string) string {
	h := sha1.New()
	h.Write(codeGUIDSpace[:])
	h.Write([]byte(key))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // RFC 9562 variant
	return fmt.Sprintf("%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

type qdcCodeBook struct {
	XMLName xml.Name  `xml:"CodeBook"`
	NS      string    `xml:"xmlns,attr"`
	Origin  string    `xml:"origin,attr"`
	Codes   []qdcCode `xml:"Codes>Code"`
}

type qdcCode struct {
	GUID        string    `xml:"guid,attr"`
	Name        string    `xml:"name,attr"`
	IsCodable   bool      `xml:"isCodable,attr"`
	Description string    `xml:"Description,omitempty"`
	Codes       []qdcCode `xml:"Code"`
}

// encodeQDC writes the codebook as a REFI-QDA codebook: each code named by
// its label (what a reader of the site sees), nested under its parent, in
// codebook order. A code whose parent is not in the codebook, or that is
// caught in a loop of parents, is placed at the top.
func encodeQDC(w io.Writer, rel Release, codes []ingest.Code) error {
	children := map[string][]int{}
	known := map[string]bool{}
	for _, c := range codes {
		known[c.Code] = true
	}
	var roots []int
	for i, c := range codes {
		if c.Parent == "" || !known[c.Parent] || c.Parent == c.Code {
			roots = append(roots, i)
			continue
		}
		children[c.Parent] = append(children[c.Parent], i)
	}
	placed := make([]bool, len(codes))
	var build func(i int) qdcCode
	build = func(i int) qdcCode {
		placed[i] = true
		c := codes[i]
		q := qdcCode{GUID: codeGUID(c.Code), Name: c.Label, IsCodable: true, Description: c.Description}
		if strings.TrimSpace(q.Name) == "" {
			q.Name = c.Code
		}
		for _, j := range children[c.Code] {
			if !placed[j] {
				q.Codes = append(q.Codes, build(j))
			}
		}
		return q
	}
	book := qdcCodeBook{NS: qdcNamespace, Origin: "evalsite", Codes: []qdcCode{}}
	for _, i := range roots {
		book.Codes = append(book.Codes, build(i))
	}
	for i := range codes {
		if !placed[i] {
			book.Codes = append(book.Codes, build(i))
		}
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	if rel.Illustrative {
		// A comment cannot hold "--"; the notice has none.
		if _, err := io.WriteString(w, "<!-- "+IllustrativeNotice+" -->\n"); err != nil {
			return err
		}
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(book); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

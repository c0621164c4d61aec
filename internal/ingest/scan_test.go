package ingest

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// scanAll lists the tokens of an XML text as "<name r t>" and "</name>",
// with the text inside every <v> and <t>.
func scanAll(in string) ([]string, error) {
	sc := newXMLScanner(strings.NewReader(in))
	var out []string
	keep := false
	for {
		if keep {
			sc.text = sc.text[:0]
		}
		kind, err := sc.next(keep, 1000)
		if err != nil {
			return out, err
		}
		switch kind {
		case tokEOF:
			return out, nil
		case tokStart:
			tag := "<" + string(sc.name)
			if len(sc.attrR) > 0 {
				tag += " r=" + string(sc.attrR)
			}
			if len(sc.attrT) > 0 {
				tag += " t=" + string(sc.attrT)
			}
			if sc.self {
				tag += "/"
			}
			out = append(out, tag+">")
			keep = !sc.self && (string(sc.name) == "v" || string(sc.name) == "t")
		case tokEnd:
			if keep {
				out = append(out, "text "+string(sc.text))
			}
			out = append(out, "</"+string(sc.name)+">")
			keep = false
		}
	}
}

func TestXMLScanner(t *testing.T) {
	t.Parallel()
	in := `<?xml version="1.0"?>` + "\n" + `<!-- a comment with <tags> -->` +
		`<x:worksheet xmlns:x="ns"><x:row r='2' spans="1:3"><x:c r="A2" t="s" xr:t="ignored"><x:v>7</x:v></x:c>` +
		`<c r="B2" s="1"/><c t="inlineStr"><is><t xml:space="preserve"> a &amp; b &lt;&#233;&#x263A;&quot;</t></is></c>` +
		`<c><v><![CDATA[1<2]]></v></c></x:row></x:worksheet>`
	got, err := scanAll(in)
	if err != nil {
		t.Fatalf("scan = %v", err)
	}
	want := []string{
		"<worksheet>", "<row r=2>", "<c r=A2 t=s>", "<v>", "text 7", "</v>", "</c>",
		"<c r=B2/>", "<c t=inlineStr>", "<is>", "<t>", `text  a & b <é☺"`, "</t>", "</is>", "</c>",
		"<c>", "<v>", "text 1<2", "</v>", "</c>", "</row>", "</worksheet>",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tokens (-want +got):\n%s", diff)
	}
}

func TestXMLScannerRefusesMalformedXML(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		`<a><b></a>`:                         "XML syntax error on line 1: end tag </a> does not match",
		`<a>` + "\n" + `<b>`:                 "XML syntax error on line 2: unexpected end of part inside <b>",
		`<a x=1/>`:                           "XML syntax error on line 1: unquoted attribute value in element",
		`<a><v>&lol;</v></a>`:                "XML syntax error on line 1: invalid character entity &lol;",
		`<!DOCTYPE a [<!ENTITY x "y">]><a/>`: "XML syntax error on line 1: document type declarations are not allowed",
		`<a r="<"/>`:                         "XML syntax error on line 1: unescaped < in attribute value",
		`<a><v>&#xD800;</v></a>`:             "XML syntax error on line 1: invalid character entity &#xD800;",
	} {
		_, err := scanAll(in)
		if err == nil || err.Error() != want {
			t.Errorf("scan(%q) = %v, want %s", in, err, want)
		}
	}
}

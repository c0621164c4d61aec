package ingest

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// xmlScanner is a small XML tokenizer for sheet parts: it reports start
// tags (with their r and t attributes), end tags and, on request, text.
// It checks that tags nest and entities are known, so a damaged sheet is an
// error, but it allocates almost nothing per token, which encoding/xml
// cannot do.
type xmlScanner struct {
	r     *bufio.Reader
	line  int
	stack []string // open elements, local names
	name  []byte   // local name of the last tag
	pfx   bool     // the last name read had a prefix
	attrR []byte   // its r attribute
	attrT []byte   // its t attribute
	self  bool     // the last start tag closed itself
	text  []byte   // text collected since the last tag, if wanted
	tmp   []byte
}

// Token kinds.
const (
	tokStart = iota + 1
	tokEnd
	tokEOF
)

func newXMLScanner(r io.Reader) *xmlScanner {
	return &xmlScanner{r: bufio.NewReaderSize(r, 64<<10), line: 1}
}

func (s *xmlScanner) errorf(format string, args ...any) error {
	return fmt.Errorf("XML syntax error on line %d: %s", s.line, fmt.Sprintf(format, args...))
}

func (s *xmlScanner) readByte() (byte, error) {
	c, err := s.r.ReadByte()
	if c == '\n' {
		s.line++
	}
	return c, err
}

// next reads up to and including the next tag. Text before it is appended
// to s.text when keep is true (entities decoded), else checked and dropped.
func (s *xmlScanner) next(keep bool, maxText int) (int, error) {
	for {
		// Text up to '<'.
		for {
			chunk, err := s.r.ReadSlice('<')
			s.line += bytes.Count(chunk, []byte{'\n'})
			body := chunk
			if err == nil {
				body = chunk[:len(chunk)-1]
			}
			if keep && len(body) > 0 {
				if len(s.text)+len(body) > maxText {
					return 0, errTextTooLong
				}
				s.text = append(s.text, body...)
			}
			if err == nil {
				break
			}
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			if errors.Is(err, io.EOF) {
				if len(s.stack) > 0 {
					return 0, s.errorf("unexpected end of part inside <%s>", s.stack[len(s.stack)-1])
				}
				if keep {
					if err := s.decodeText(); err != nil {
						return 0, err
					}
				}
				return tokEOF, nil
			}
			return 0, err
		}
		if keep {
			if err := s.decodeText(); err != nil {
				return 0, err
			}
		}
		c, err := s.readByte()
		if err != nil {
			return 0, s.errorf("unexpected end of part after <")
		}
		switch c {
		case '?':
			if err := s.skipPast("?>"); err != nil {
				return 0, err
			}
			continue
		case '!':
			head, _ := s.r.Peek(7)
			switch {
			case bytes.HasPrefix(head, []byte("--")):
				s.r.Discard(2)
				if err := s.skipPast("-->"); err != nil {
					return 0, err
				}
			case bytes.HasPrefix(head, []byte("[CDATA[")):
				s.r.Discard(7)
				if err := s.cdata(keep, maxText); err != nil {
					return 0, err
				}
			default:
				return 0, s.errorf("document type declarations are not allowed")
			}
			continue
		case '/':
			if err := s.readName(); err != nil {
				return 0, err
			}
			if err := s.skipSpace(); err != nil {
				return 0, err
			}
			if c, err := s.readByte(); err != nil || c != '>' {
				return 0, s.errorf("malformed end tag </%s", s.name)
			}
			if len(s.stack) == 0 || s.stack[len(s.stack)-1] != string(s.name) {
				return 0, s.errorf("end tag </%s> does not match", s.name)
			}
			s.stack = s.stack[:len(s.stack)-1]
			return tokEnd, nil
		default:
			if err := s.r.UnreadByte(); err != nil {
				return 0, err
			}
			if err := s.startTag(); err != nil {
				return 0, err
			}
			if !s.self {
				s.stack = append(s.stack, string(s.name))
				if len(s.stack) > 64 {
					return 0, s.errorf("elements nest too deeply")
				}
			}
			return tokStart, nil
		}
	}
}

var errTextTooLong = errors.New("text too long")

func (s *xmlScanner) skipPast(end string) error {
	matched := 0
	for {
		c, err := s.readByte()
		if err != nil {
			return s.errorf("unexpected end of part looking for %q", end)
		}
		switch {
		case c == end[matched]:
			matched++
			if matched == len(end) {
				return nil
			}
		case c == end[0]:
			matched = 1
		default:
			matched = 0
		}
	}
}

func (s *xmlScanner) cdata(keep bool, maxText int) error {
	start := len(s.text)
	for {
		c, err := s.readByte()
		if err != nil {
			return s.errorf("unexpected end of part in CDATA")
		}
		if keep {
			s.text = append(s.text, c)
			if len(s.text) > maxText {
				return errTextTooLong
			}
			if bytes.HasSuffix(s.text[start:], []byte("]]>")) {
				s.text = s.text[:len(s.text)-3]
				return nil
			}
			continue
		}
		s.tmp = append(s.tmp, c)
		if len(s.tmp) > 3 {
			s.tmp = s.tmp[1:]
		}
		if string(s.tmp) == "]]>" {
			s.tmp = s.tmp[:0]
			return nil
		}
	}
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-' || c == '.' || c == ':' || c >= 0x80
}

// readName reads a tag or attribute name into s.name, without its prefix.
func (s *xmlScanner) readName() error {
	s.name = s.name[:0]
	for {
		c, err := s.readByte()
		if err != nil {
			return s.errorf("unexpected end of part in a name")
		}
		if !isNameByte(c) {
			s.r.UnreadByte()
			if c == '\n' {
				s.line--
			}
			break
		}
		s.name = append(s.name, c)
	}
	if len(s.name) == 0 {
		return s.errorf("expected a name")
	}
	s.pfx = false
	if i := bytes.LastIndexByte(s.name, ':'); i >= 0 {
		s.name, s.pfx = s.name[i+1:], true
	}
	return nil
}

func (s *xmlScanner) skipSpace() error {
	for {
		c, err := s.readByte()
		if err != nil {
			return s.errorf("unexpected end of part in a tag")
		}
		if c != ' ' && c != '\t' && c != '\r' && c != '\n' {
			s.r.UnreadByte()
			if c == '\n' {
				s.line--
			}
			return nil
		}
	}
}

// startTag reads a start tag after its '<', keeping the r and t attributes.
func (s *xmlScanner) startTag() error {
	if err := s.readName(); err != nil {
		return err
	}
	tag := append(s.tmp[:0], s.name...)
	s.attrR, s.attrT, s.self = s.attrR[:0], s.attrT[:0], false
	for {
		if err := s.skipSpace(); err != nil {
			return err
		}
		c, err := s.readByte()
		if err != nil {
			return s.errorf("unexpected end of part in a tag")
		}
		switch c {
		case '>':
			s.name = append(s.name[:0], tag...)
			return nil
		case '/':
			if c, err := s.readByte(); err != nil || c != '>' {
				return s.errorf("malformed tag <%s", tag)
			}
			s.self = true
			s.name = append(s.name[:0], tag...)
			return nil
		}
		s.r.UnreadByte()
		if err := s.readName(); err != nil {
			return s.errorf("expected attribute name in element")
		}
		full := s.name
		pfx := s.pfx
		if err := s.skipSpace(); err != nil {
			return err
		}
		if c, err := s.readByte(); err != nil || c != '=' {
			return s.errorf("attribute %s has no value", full)
		}
		if err := s.skipSpace(); err != nil {
			return err
		}
		q, err := s.readByte()
		if err != nil || q != '"' && q != '\'' {
			return s.errorf("unquoted attribute value in element")
		}
		var dst *[]byte
		switch {
		case pfx:
		case string(full) == "r":
			dst = &s.attrR
		case string(full) == "t":
			dst = &s.attrT
		}
		for {
			c, err := s.readByte()
			if err != nil {
				return s.errorf("unexpected end of part in an attribute")
			}
			if c == q {
				break
			}
			if c == '<' {
				return s.errorf("unescaped < in attribute value")
			}
			if dst != nil {
				if len(*dst) > 64 {
					return s.errorf("attribute value too long")
				}
				*dst = append(*dst, c)
			}
		}
	}
}

// decodeText replaces the entities in s.text.
func (s *xmlScanner) decodeText() error {
	if bytes.IndexByte(s.text, '&') < 0 {
		return nil
	}
	out := s.text[:0]
	in := s.text
	for len(in) > 0 {
		i := bytes.IndexByte(in, '&')
		if i < 0 {
			out = append(out, in...)
			break
		}
		out = append(out, in[:i]...)
		in = in[i+1:]
		j := bytes.IndexByte(in, ';')
		if j < 0 || j > 10 {
			return s.errorf("unterminated entity reference")
		}
		ent := string(in[:j])
		in = in[j+1:]
		switch ent {
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "amp":
			out = append(out, '&')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			var n uint64
			var err error
			switch {
			case len(ent) > 2 && (ent[:2] == "#x" || ent[:2] == "#X"):
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			case len(ent) > 1 && ent[0] == '#':
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			default:
				return s.errorf("invalid character entity &%s;", ent)
			}
			if err != nil || !utf8.ValidRune(rune(n)) {
				return s.errorf("invalid character entity &%s;", ent)
			}
			out = utf8.AppendRune(out, rune(n))
		}
	}
	s.text = out
	return nil
}

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
	// tagBuf holds a tag that spans more than one read of the buffer.
	tagBuf []byte
	names  map[string]string // element names seen, for stackName
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

// ended explains a read that failed: the part ended too soon, or the
// reader failed (a damaged zip entry), which is kept for errors.Is.
func (s *xmlScanner) ended(err error, msg string) error {
	if errors.Is(err, io.EOF) {
		return s.errorf("%s", msg)
	}
	return fmt.Errorf("XML part cannot be read on line %d: %w", s.line, err)
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
			return 0, s.ended(err, "unexpected end of part after <")
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
			t, err := s.readTag()
			if err != nil {
				return 0, err
			}
			i := nameEnd(t)
			if i == 0 {
				return 0, s.errorf("expected a name")
			}
			s.setName(t[:i])
			if len(trimSpace(t[i:])) != 0 {
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
			if c == '\n' {
				s.line--
			}
			t, err := s.readTag()
			if err != nil {
				return 0, err
			}
			if err := s.parseStart(t); err != nil {
				return 0, err
			}
			if !s.self {
				s.stack = append(s.stack, s.stackName())
				if len(s.stack) > 64 {
					return 0, s.errorf("elements nest too deeply")
				}
			}
			return tokStart, nil
		}
	}
}

// maxTag bounds the length of one tag with its attributes.
const maxTag = 1 << 20

// readTag reads a tag after its '<' (and after its '/' for an end tag) up
// to the '>' that ends it, which a '>' inside a quoted attribute value does
// not, and returns it without the '>'. It works on the reader's buffer a
// chunk at a time rather than a byte at a time; the slice it returns is
// valid until the next read.
func (s *xmlScanner) readTag() ([]byte, error) {
	var q byte
	s.tagBuf = s.tagBuf[:0]
	buffered := false
	for {
		chunk, err := s.r.ReadSlice('>')
		s.line += bytes.Count(chunk, []byte{'\n'})
		for _, c := range chunk {
			switch {
			case q == 0 && (c == '"' || c == '\''):
				q = c
			case c == q:
				q = 0
			}
		}
		if err == nil && q == 0 && !buffered {
			return chunk[:len(chunk)-1], nil
		}
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return nil, s.ended(err, "unexpected end of part in a tag")
		}
		if len(s.tagBuf)+len(chunk) > maxTag {
			return nil, s.errorf("a tag is longer than %d bytes", maxTag)
		}
		s.tagBuf = append(s.tagBuf, chunk...)
		buffered = true
		if err == nil && q == 0 {
			return s.tagBuf[:len(s.tagBuf)-1], nil
		}
	}
}

// stackName returns s.name as a string for the stack of open elements,
// the same string for each repeat of a name, so that opening millions of
// rows and cells allocates nothing.
func (s *xmlScanner) stackName() string {
	if n, ok := s.names[string(s.name)]; ok {
		return n
	}
	n := string(s.name)
	if s.names == nil {
		s.names = map[string]string{}
	}
	if len(s.names) < 256 {
		s.names[n] = n
	}
	return n
}

var errTextTooLong = errors.New("text too long")

func (s *xmlScanner) skipPast(end string) error {
	last := end[len(end)-1]
	s.tmp = s.tmp[:0]
	for {
		chunk, err := s.r.ReadSlice(last)
		s.line += bytes.Count(chunk, []byte{'\n'})
		if err != nil && !errors.Is(err, bufio.ErrBufferFull) {
			return s.ended(err, fmt.Sprintf("unexpected end of part looking for %q", end))
		}
		// Keep only what could still be the start of end.
		if keep := len(end) - 1; len(chunk) > keep {
			s.tmp = append(s.tmp[:0], chunk[len(chunk)-keep:]...)
			if err == nil && bytes.HasSuffix(chunk, []byte(end)) {
				return nil
			}
			continue
		}
		s.tmp = append(s.tmp, chunk...)
		if err == nil && bytes.HasSuffix(s.tmp, []byte(end)) {
			return nil
		}
		if len(s.tmp) > len(end) {
			s.tmp = append(s.tmp[:0], s.tmp[len(s.tmp)-len(end):]...)
		}
	}
}

func (s *xmlScanner) cdata(keep bool, maxText int) error {
	start := len(s.text)
	for {
		c, err := s.readByte()
		if err != nil {
			return s.ended(err, "unexpected end of part in CDATA")
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

// nameEnd returns the length of the name at the start of t.
func nameEnd(t []byte) int {
	i := 0
	for i < len(t) && isNameByte(t[i]) {
		i++
	}
	return i
}

func trimSpace(t []byte) []byte {
	i := 0
	for i < len(t) && (t[i] == ' ' || t[i] == '\t' || t[i] == '\r' || t[i] == '\n') {
		i++
	}
	return t[i:]
}

// setName keeps the local part of a name (without its prefix) in s.name.
func (s *xmlScanner) setName(n []byte) {
	s.pfx = false
	if i := bytes.LastIndexByte(n, ':'); i >= 0 {
		n, s.pfx = n[i+1:], true
	}
	s.name = append(s.name[:0], n...)
}

// parseStart reads a start tag (without its '<' and '>'), keeping its
// name and its r and t attributes.
func (s *xmlScanner) parseStart(t []byte) error {
	i := nameEnd(t)
	if i == 0 {
		return s.errorf("expected a name")
	}
	s.setName(t[:i])
	s.attrR, s.attrT, s.self = s.attrR[:0], s.attrT[:0], false
	t = t[i:]
	for {
		t = trimSpace(t)
		switch {
		case len(t) == 0:
			return nil
		case t[0] == '/':
			if len(t) != 1 {
				return s.errorf("malformed tag <%s", s.name)
			}
			s.self = true
			return nil
		}
		j := nameEnd(t)
		if j == 0 {
			return s.errorf("expected attribute name in element")
		}
		full := t[:j]
		local := full[bytes.LastIndexByte(full, ':')+1:]
		t = trimSpace(t[j:])
		if len(t) == 0 || t[0] != '=' {
			return s.errorf("attribute %s has no value", local)
		}
		t = trimSpace(t[1:])
		if len(t) == 0 || t[0] != '"' && t[0] != '\'' {
			return s.errorf("unquoted attribute value in element")
		}
		end := bytes.IndexByte(t[1:], t[0])
		if end < 0 {
			return s.errorf("unexpected end of part in an attribute")
		}
		val := t[1 : 1+end]
		t = t[2+end:]
		if bytes.IndexByte(val, '<') >= 0 {
			return s.errorf("unescaped < in attribute value")
		}
		var dst *[]byte
		switch {
		case len(local) != len(full):
		case string(full) == "r":
			dst = &s.attrR
		case string(full) == "t":
			dst = &s.attrT
		}
		if dst != nil {
			if len(val) > 65 {
				return s.errorf("attribute value too long")
			}
			*dst = append(*dst, val...)
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

package ingest

import (
	"archive/zip"
	"bufio"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
)

// Some programs write XML parts in a legacy encoding and say so in the XML
// declaration (encoding="windows-1252"). The sheet scanner reads UTF-8 only,
// so such a part is decoded to UTF-8 first, with the decoders of
// golang.org/x/text, which know every encoding a browser knows.

// charsetReader decodes a part declared in the named encoding, for
// encoding/xml's Decoder.CharsetReader.
func charsetReader(label string, r io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("the XML declares the unknown encoding %q", label)
	}
	return enc.NewDecoder().Reader(r), nil
}

// utf8Reader returns r as UTF-8: as it is when its XML declaration names
// UTF-8 or no encoding, else decoded from the encoding it names.
func utf8Reader(r io.Reader) (io.Reader, error) {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(256)
	label := declaredEncoding(head)
	switch strings.ToLower(label) {
	case "", "utf-8", "utf8":
		return br, nil
	}
	return charsetReader(label, br)
}

// declaredEncoding returns the encoding an XML declaration at the start of
// head names, or "".
func declaredEncoding(head []byte) string {
	head = bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF"))
	if !bytes.HasPrefix(head, []byte("<?xml")) {
		return ""
	}
	end := bytes.Index(head, []byte("?>"))
	if end < 0 {
		return ""
	}
	decl := head[:end]
	i := bytes.Index(decl, []byte("encoding"))
	if i < 0 {
		return ""
	}
	rest := bytes.TrimLeft(decl[i+len("encoding"):], " \t\r\n")
	if len(rest) == 0 || rest[0] != '=' {
		return ""
	}
	rest = bytes.TrimLeft(rest[1:], " \t\r\n")
	if len(rest) == 0 || rest[0] != '"' && rest[0] != '\'' {
		return ""
	}
	q := rest[0]
	j := bytes.IndexByte(rest[1:], q)
	if j < 0 {
		return ""
	}
	return string(rest[1 : 1+j])
}

// zipDamage returns the problem for a workbook whose zip data is damaged
// (a checksum that does not match, or compressed data that cannot be
// decompressed), or nil when err is something else. Only the spreadsheet
// program can repair such a file.
func zipDamage(p string, err error) *CellError {
	var corrupt flate.CorruptInputError
	if errors.Is(err, zip.ErrChecksum) || errors.As(err, &corrupt) || errors.Is(err, zip.ErrFormat) {
		return fileError(p, "the file is damaged (%v): open it in your spreadsheet program and save a copy", rootCause(err))
	}
	return nil
}

// rootCause returns the innermost error err wraps.
func rootCause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

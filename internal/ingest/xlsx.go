package ingest

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"
)

// workbook is an opened spreadsheet file. It hides the XLSX reader from the
// decoder: Read uses streamBook; the tests also read through excelize's row
// iterator, the reference the streaming reader is checked and measured
// against.
type workbook interface {
	// SheetNames lists the sheets in workbook order.
	SheetNames() []string
	// ReadSheet reads one sheet as rows of text; number cells keep their
	// raw value, so date cells are serials in the workbook's date system.
	ReadSheet(ctx context.Context, name string) (*table, error)
	Close() error
}

// preflight refuses, before anything is decompressed in bulk, a file that
// is too large, an OLE2 file (password-protected or .xls), a file that is
// not a zip, and a zip that checkZip refuses.
func preflight(p string, lim Limits) error {
	f, err := os.Open(p)
	if err != nil {
		return fileError(p, "cannot open the file: %v", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fileError(p, "cannot open the file: %v", err)
	}
	if st.Size() > lim.MaxBytes {
		return &CellError{File: p, Err: problem(ErrLimit, "file is larger than %d bytes, the limit", lim.MaxBytes)}
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	switch {
	case looksLikeOLE2(head):
		if isEncrypted(f, st.Size()) {
			return fileError(p, "workbook is password-protected: remove the password (File > Info > Protect Workbook) and save it again")
		}
		return fileError(p, "file is an old Excel 97-2003 (.xls) workbook: open it and save it as Excel Workbook (.xlsx)")
	case !looksLikeZip(head) && !bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return fileError(p, "file is not an XLSX workbook: save it from your spreadsheet program as Excel Workbook (.xlsx)")
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return fileError(p, "workbook is damaged (%v): open it in your spreadsheet program and save it again", err)
	}
	return checkZip(p, zr, st.Size(), lim)
}

// isEncrypted reports whether an OLE2 file holds an encrypted OOXML package,
// which is how Excel saves a password-protected workbook: its directory names
// the streams "EncryptionInfo" and "EncryptedPackage" in UTF-16.
func isEncrypted(f *os.File, size int64) bool {
	name := []byte("E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o\x00")
	buf := make([]byte, 1<<20)
	var prev []byte
	for off := int64(0); off < size; off += int64(len(buf)) {
		n, err := f.ReadAt(buf, off)
		chunk := append(prev, buf[:n]...)
		if bytes.Contains(chunk, name) {
			return true
		}
		if err != nil {
			break
		}
		prev = append([]byte(nil), buf[max(0, n-len(name)):n]...)
	}
	return false
}

// checkZip refuses a zip whose central directory describes a bomb or a file
// that is not an XLSX workbook, before anything is decompressed in bulk:
// too many entries, a part too large or too compressed, a total too large,
// entries that overlap or repeat, names that climb out with "..", and XML
// parts that declare a document type (entity expansion).
func checkZip(p string, zr *zip.Reader, size int64, lim Limits) error {
	return checkZipAs(p, zr, size, lim, xlsxZip)
}

// zipKind says what a zip file of one kind must hold, how its problems are
// worded, and which of its parts may be as large as the whole file.
type zipKind struct {
	noun     string                 // "workbook"
	program  string                 // "spreadsheet": what the ratio limit is for
	fix      string                 // how to repair a damaged file
	required string                 // the entry a file of this kind holds (lower case)
	notIt    string                 // why a zip without it is refused
	big      func(name string) bool // parts bounded by MaxBytes, not MaxPartBytes (lower-case names)
	xml      []string               // extensions of the XML parts whose prolog is checked
}

var xlsxZip = zipKind{
	noun: "workbook", program: "spreadsheet",
	fix:      "open it in your spreadsheet program and save it again",
	required: "xl/workbook.xml",
	notIt:    "file is a zip archive but not an XLSX workbook: save it from your spreadsheet program as Excel Workbook (.xlsx)",
	big: func(name string) bool {
		return strings.HasPrefix(name, "xl/worksheets/") || name == "xl/sharedstrings.xml"
	},
	xml: []string{".xml", ".rels", ".vml"},
}

// checkZipAs is checkZip for a zip file of kind k.
func checkZipAs(p string, zr *zip.Reader, size int64, lim Limits, k zipKind) error {
	refuse := func(format string, args ...any) error {
		return &CellError{File: p, Err: problem(ErrLimit, k.noun+" refused: "+format, args...)}
	}
	if len(zr.File) > lim.MaxZipEntries {
		return refuse("%d zip entries, more than the limit of %d", len(zr.File), lim.MaxZipEntries)
	}
	type span struct{ start, end int64 }
	spans := make([]span, 0, len(zr.File))
	names := map[string]bool{}
	var total uint64
	hasWorkbook := false
	for _, e := range zr.File {
		name := strings.ToLower(strings.ReplaceAll(e.Name, "\\", "/"))
		if strings.HasPrefix(name, "/") || slices.Contains(strings.Split(name, "/"), "..") || strings.Contains(name, ":") {
			return refuse("zip entry name %q points outside the %s", clip(e.Name), k.noun)
		}
		if names[name] {
			return refuse("zip entry %q appears twice", clip(e.Name))
		}
		names[name] = true
		if name == "mimetype" {
			if rc, err := e.Open(); err == nil {
				b, _ := io.ReadAll(io.LimitReader(rc, 128))
				rc.Close()
				if bytes.Contains(b, []byte("opendocument")) {
					return fileError(p, "file is an OpenDocument (.ods) spreadsheet: save it as Excel Workbook (.xlsx)")
				}
			}
		}
		if name == k.required {
			hasWorkbook = true
		}
		partLimit := uint64(lim.MaxPartBytes)
		if k.big(name) {
			partLimit = uint64(lim.MaxBytes)
		}
		if e.UncompressedSize64 > partLimit {
			return refuse("part %s would decompress to %d bytes, more than the limit of %d", clip(e.Name), e.UncompressedSize64, partLimit)
		}
		if e.UncompressedSize64 >= ratioFloor && (e.CompressedSize64 == 0 || e.UncompressedSize64/e.CompressedSize64 > uint64(lim.MaxCompressionRatio)) {
			return refuse("part %s is compressed more than %d to 1, the limit for a %s", clip(e.Name), lim.MaxCompressionRatio, k.program)
		}
		total += e.UncompressedSize64
		if total > uint64(lim.MaxBytes) {
			return refuse("it would decompress to more than %d bytes, the limit", lim.MaxBytes)
		}
		off, err := e.DataOffset()
		if err != nil || off < 0 || e.CompressedSize64 > uint64(size) || off+int64(e.CompressedSize64) > size {
			return fileError(p, "%s is damaged (zip entry %q lies outside the file): %s", k.noun, clip(e.Name), k.fix)
		}
		spans = append(spans, span{off, off + int64(e.CompressedSize64)})
	}
	slices.SortFunc(spans, func(a, b span) int { return cmp.Compare(a.start, b.start) })
	for i := 1; i < len(spans); i++ {
		if spans[i].start < spans[i-1].end {
			return refuse("zip entries overlap, as in a zip bomb")
		}
	}
	if !hasWorkbook {
		return fileError(p, "%s", k.notIt)
	}
	for _, e := range zr.File {
		if !slices.Contains(k.xml, path.Ext(strings.ToLower(e.Name))) {
			continue
		}
		if err := checkProlog(e); err != nil {
			if ce := zipDamage(p, err); ce != nil {
				if k.noun != xlsxZip.noun {
					ce.Err = problem(ErrFile, "the file is damaged (%v): %s", rootCause(err), k.fix)
				}
				return ce
			}
			return refuse("part %s %v", clip(e.Name), err)
		}
	}
	return nil
}

// ratioFloor is the part size below which the compression ratio is not
// judged: small parts of repeated markup compress very well and cost nothing.
const ratioFloor = 1 << 20

// prologLimit bounds how far into an XML part the root element must start.
const prologLimit = 64 << 10

// checkProlog reads the start of an XML part up to its root element and
// refuses a document type declaration, the vehicle of entity expansion and
// external entities, which no spreadsheet program writes.
func checkProlog(e *zip.File) error {
	rc, err := e.Open()
	if err != nil {
		return fmt.Errorf("cannot be opened: %w", err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, prologLimit))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("cannot be read: %w", err)
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	for {
		b = bytes.TrimLeft(b, " \t\r\n")
		switch {
		case len(b) == 0:
			if int64(e.UncompressedSize64) > prologLimit {
				return errors.New("has no root element in its first 64 KiB")
			}
			return nil
		case bytes.HasPrefix(b, []byte("<?")):
			i := bytes.Index(b, []byte("?>"))
			if i < 0 {
				return errors.New("has an unfinished declaration")
			}
			b = b[i+2:]
		case bytes.HasPrefix(b, []byte("<!--")):
			i := bytes.Index(b[4:], []byte("-->"))
			if i < 0 {
				return errors.New("has an unfinished comment")
			}
			b = b[4+i+3:]
		case bytes.HasPrefix(b, []byte("<!")):
			return errors.New("declares a document type (DTD), which spreadsheets never need")
		default:
			return nil
		}
	}
}

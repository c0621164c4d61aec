package ingest

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// The REFI-QDA files that may hold a dataset instead of a sheet or CSV
// file: a whole project for the codings (and their codebook), a codebook
// alone for the codebook.
const (
	qdpxFile = "codings.qdpx"
	qdcFile  = "codebook.qdc"
)

// The namespaces of a REFI-QDA project and codebook.
const (
	qdaProjectNS  = "urn:QDA-XML:project:1.0"
	qdaCodebookNS = "urn:QDA-XML:codebook:1.0"
)

// QDPXNames names the variables of a REFI-QDA project that hold an
// interview's fields, and the codes that mark a valence or a cleared
// excerpt. Names are matched as headers are (case, spaces, hyphens and
// underscores do not matter). An empty field means the field's own name.
type QDPXNames struct {
	Wave         string // variable holding the interview wave
	Group        string // variable holding the respondent group
	Organisation string // variable holding the respondent's organisation
	Cleared      string // variable, or code, clearing excerpts for publication
	Valence      string // variable, or parent code of the valences
}

func (n QDPXNames) withDefaults() QDPXNames {
	def := func(v *string, d string) {
		if strings.TrimSpace(*v) == "" {
			*v = d
		}
	}
	def(&n.Wave, "wave")
	def(&n.Group, "group")
	def(&n.Organisation, "organisation")
	def(&n.Cleared, "cleared")
	def(&n.Valence, "valence")
	return n
}

// byField maps the canonical codings columns held by variables to the
// normalized variable names.
func (n QDPXNames) byField() map[string]string {
	return map[string]string{
		"wave":         normalize(n.Wave),
		"group":        normalize(n.Group),
		"organisation": normalize(n.Organisation),
		"cleared":      normalize(n.Cleared),
		"valence":      normalize(n.Valence),
	}
}

// interviewColumns are the codings columns that belong to a whole
// interview (a source), not to one coded selection.
var interviewColumns = []string{"interview_id", "wave", "group", "organisation", "cleared"}

// qdaInputs reads the REFI-QDA files of a data folder, each once, and
// places the problems the decoder finds in their rows back on the sources,
// selections and codes they came from.
type qdaInputs struct {
	lim      Limits
	names    QDPXNames
	projects map[string]*qdaProject // by path
	tables   []*qdaTable
}

// qdaTable is a table made from a REFI-QDA file, with where each of its
// rows came from.
type qdaTable struct {
	t *table
	// whole and part locate row n: the source (or code) it belongs to, and
	// the selection within that source.
	whole, part map[int]string
}

func (q *qdaTable) add(whole, part string, values []string) int {
	n := len(q.t.Rows) + 1
	q.t.Rows = append(q.t.Rows, denseRow(n, values))
	q.whole[n], q.part[n] = whole, part
	return n
}

func newQDATable(path, marker string, header []string) *qdaTable {
	q := &qdaTable{t: &table{File: path, Sheet: marker}, whole: map[int]string{}, part: map[int]string{}}
	q.t.Rows = append(q.t.Rows, denseRow(1, header))
	return q
}

// qdaProject is what one REFI-QDA file holds, read into tables.
type qdaProject struct {
	codings  *qdaTable // nil for a codebook file
	codebook *qdaTable // nil when the file has no codebook
	err      error     // a problem with the whole file
	reported bool      // err was returned once, for the first dataset read
}

func newQDAInputs(lim Limits, names QDPXNames) *qdaInputs {
	return &qdaInputs{lim: lim, names: names.withDefaults(), projects: map[string]*qdaProject{}}
}

// file returns the REFI-QDA file that holds dataset name, if the folder
// has one. A project holds its codebook too, but a codebook given beside it
// (sheet, CSV file or codebook.qdc) is the codebook instead: separate is
// true when the folder has a codebook sheet or CSV file.
func (q *qdaInputs) file(name string, find func(string) (string, bool), separate bool) (string, bool) {
	project, hasProject := find(qdpxFile)
	switch name {
	case "codings":
		return project, hasProject
	case "codebook":
		if codebook, ok := find(qdcFile); ok {
			return codebook, true
		}
		if hasProject && !separate {
			return project, true
		}
	}
	return "", false
}

// rekey gives the codings read from a project the keys of a codebook given
// beside it, so that a team can keep the keys its report pages use: a
// project code takes the key of the codebook entry whose code, or else
// whose label, has the same key as the code's name. A code that matches
// none keeps the key of its name, and the decoder reports it missing from
// the codebook.
func (q *qdaInputs) rekey(tables map[string]*table) {
	codings, codebook := tables["codings"], tables["codebook"]
	if codings == nil || codebook == nil || codebook.File == codings.File || !q.owns(codings) {
		return
	}
	var s Schema
	for _, sc := range Schemas() {
		if sc.Name == "codebook" {
			s = sc
		}
	}
	// A throwaway decoder: the codebook's own problems are reported when
	// it is decoded for real.
	codes := newDecoder().codebook(&s, codebook)
	key := map[string]string{}
	for _, c := range codes {
		if k := CodeKey(c.Code); k != "" && key[k] == "" {
			key[k] = c.Code
		}
	}
	for _, c := range codes {
		if k := CodeKey(c.Label); k != "" && key[k] == "" {
			key[k] = c.Code
		}
	}
	for _, r := range codings.Rows[1:] {
		for i, c := range r.Cells {
			if c.Col == codingsCodeCol {
				if k, ok := key[c.Value]; ok {
					r.Cells[i].Value = k
				}
			}
		}
	}
}

// codingsCodeCol is the column of the code in a project's codings table.
const codingsCodeCol = 5

func (q *qdaInputs) owns(t *table) bool {
	for _, qt := range q.tables {
		if qt.t == t {
			return true
		}
	}
	return false
}

// read returns the table of dataset name from the REFI-QDA file at path,
// or nil when the file does not hold that dataset.
func (q *qdaInputs) read(d *decoder, name, path string) (*table, error) {
	p, ok := q.projects[path]
	if !ok {
		p = &qdaProject{}
		q.projects[path] = p
		if strings.EqualFold(filepath.Ext(path), ".qdc") {
			p.codebook, p.err = q.readCodebookFile(d, path)
		} else {
			p.codings, p.codebook, p.err = q.readProject(d, path)
		}
		for _, t := range []*qdaTable{p.codings, p.codebook} {
			if t != nil {
				q.tables = append(q.tables, t)
			}
		}
	}
	if p.err != nil {
		if p.reported {
			return nil, nil
		}
		p.reported = true
		return nil, p.err
	}
	t := p.codebook
	if name == "codings" {
		t = p.codings
	}
	if t == nil {
		return nil, nil
	}
	return t.t, nil
}

// The XML of a project, as far as evalsite reads it.
type (
	qdeProject struct {
		XMLName   xml.Name
		Codes     []qdeCode     `xml:"CodeBook>Codes>Code"`
		Variables []qdeVariable `xml:"Variables>Variable"`
		Cases     []qdeCase     `xml:"Cases>Case"`
		Sources   []qdeSource   `xml:"Sources>TextSource"`
		Pictures  []qdeRef      `xml:"Sources>PictureSource"`
		PDFs      []qdeRef      `xml:"Sources>PDFSource"`
		Audio     []qdeRef      `xml:"Sources>AudioSource"`
		Video     []qdeRef      `xml:"Sources>VideoSource"`
	}
	qdeCodebook struct {
		XMLName xml.Name
		Codes   []qdeCode `xml:"Codes>Code"`
	}
	qdeCode struct {
		GUID        string    `xml:"guid,attr"`
		Name        string    `xml:"name,attr"`
		Description string    `xml:"Description"`
		Codes       []qdeCode `xml:"Code"`
	}
	qdeVariable struct {
		GUID string `xml:"guid,attr"`
		Name string `xml:"name,attr"`
	}
	qdeValue struct {
		Ref      qdeRef  `xml:"VariableRef"`
		Text     *string `xml:"TextValue"`
		Boolean  *string `xml:"BooleanValue"`
		Integer  *string `xml:"IntegerValue"`
		Float    *string `xml:"FloatValue"`
		Date     *string `xml:"DateValue"`
		DateTime *string `xml:"DateTimeValue"`
	}
	qdeCase struct {
		Name    string     `xml:"name,attr"`
		Values  []qdeValue `xml:"VariableValue"`
		Sources []qdeRef   `xml:"SourceRef"`
	}
	qdeRef struct {
		Target string `xml:"targetGUID,attr"`
	}
	qdeSource struct {
		GUID          string         `xml:"guid,attr"`
		Name          string         `xml:"name,attr"`
		PlainTextPath string         `xml:"plainTextPath,attr"`
		Content       *string        `xml:"PlainTextContent"`
		Selections    []qdeSelection `xml:"PlainTextSelection"`
		Codings       []qdeCoding    `xml:"Coding"`
		Values        []qdeValue     `xml:"VariableValue"`
	}
	qdeSelection struct {
		Start   string      `xml:"startPosition,attr"`
		End     string      `xml:"endPosition,attr"`
		Codings []qdeCoding `xml:"Coding"`
	}
	qdeCoding struct {
		CodeRef qdeRef `xml:"CodeRef"`
	}
)

func (v qdeValue) value() string {
	for _, p := range []*string{v.Text, v.Boolean, v.Integer, v.Float, v.Date, v.DateTime} {
		if p != nil {
			return strings.TrimSpace(*p)
		}
	}
	return ""
}

// guidKey compares GUIDs as the format allows them written: in either case,
// with or without braces.
func guidKey(g string) string { return strings.ToLower(strings.Trim(strings.TrimSpace(g), "{}")) }

// CodeKey returns the key of a code named name in a REFI-QDA codebook: the
// name in lower case, every run of characters other than ASCII letters and
// digits made one "_", with none at either end ("Central-local
// relationships" is "central_local_relationships").
func CodeKey(name string) string {
	var b strings.Builder
	sep := false
	for _, r := range name {
		switch {
		case r >= 'A' && r <= 'Z':
			r += 'a' - 'A'
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
		default:
			sep = true
			continue
		}
		if sep && b.Len() > 0 {
			b.WriteByte('_')
		}
		sep = false
		b.WriteRune(r)
	}
	return b.String()
}

// qdaZip is what a REFI-QDA project zip holds: project.qde, which may hold
// every text inline and so is bounded as a whole file, and text sources,
// bounded as parts. Other sources (pictures, PDF, audio, video) are never
// opened, so they may be as large as the file.
var qdaZip = zipKind{
	noun: "project", program: "project",
	fix:      "export the project again from your analysis program",
	required: "project.qde",
	notIt:    "file is a zip archive but not a REFI-QDA project (it has no project.qde): export the project again as REFI-QDA (.qdpx)",
	big:      func(name string) bool { return !strings.HasSuffix(name, ".txt") },
	xml:      []string{".qde"},
}

// openQDAZip refuses, before anything is decompressed, a project that is
// too large, not a zip, or a zip that checkZipAs refuses.
// The zip it returns reads from the file it checked, which the caller
// closes.
func openQDAZip(p string, lim Limits) (_ *zip.Reader, _ io.Closer, err error) {
	f, err := os.Open(p)
	if err != nil {
		return nil, nil, fileError(p, "cannot open the file: %v", err)
	}
	defer func() {
		if err != nil {
			f.Close()
		}
	}()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, fileError(p, "cannot open the file: %v", err)
	}
	if st.Size() > lim.MaxBytes {
		return nil, nil, &CellError{File: p, Err: problem(ErrLimit, "file is larger than %d bytes, the limit", lim.MaxBytes)}
	}
	head := make([]byte, 8)
	n, _ := io.ReadFull(f, head)
	if !looksLikeZip(head[:n]) {
		return nil, nil, fileError(p, "file is not a REFI-QDA project (.qdpx): export the project again from your analysis program")
	}
	zr, err := zip.NewReader(f, st.Size())
	if err != nil {
		return nil, nil, fileError(p, "project is damaged (%v): export it again from your analysis program", err)
	}
	if err := checkZipAs(p, zr, st.Size(), lim, qdaZip); err != nil {
		return nil, nil, err
	}
	return zr, f, nil
}

// decodeQDA decodes REFI-QDA XML into v, refusing a document type
// declaration anywhere (the vehicle of entity expansion) and reading at
// most limit bytes.
func decodeQDA(r io.Reader, limit int64, v any) error {
	lr := &io.LimitedReader{R: r, N: limit + 1}
	dec := xml.NewDecoder(lr)
	dec.Strict = true
	for {
		tok, err := dec.Token()
		if err != nil {
			if lr.N <= 0 {
				return fmt.Errorf("is larger than %d bytes, the limit", limit)
			}
			if errors.Is(err, io.EOF) {
				return errors.New("has no root element")
			}
			return err
		}
		switch tok := tok.(type) {
		case xml.Directive:
			return errors.New("declares a document type (DTD), which REFI-QDA files never need")
		case xml.StartElement:
			err := dec.DecodeElement(v, &tok)
			if lr.N <= 0 {
				return fmt.Errorf("is larger than %d bytes, the limit", limit)
			}
			return err
		}
	}
}

// readProject reads a REFI-QDA project into a codings table and a
// codebook table.
func (q *qdaInputs) readProject(d *decoder, path string) (codings, codebook *qdaTable, err error) {
	zr, closer, err := openQDAZip(path, q.lim)
	if err != nil {
		return nil, nil, err
	}
	defer closer.Close()
	entries := map[string]*zip.File{}
	for _, f := range zr.File {
		entries[strings.ToLower(strings.ReplaceAll(f.Name, `\`, "/"))] = f
	}
	var proj qdeProject
	rc, err := entries["project.qde"].Open()
	if err != nil {
		return nil, nil, fileError(path, "project.qde cannot be read (%v): export the project again", err)
	}
	err = decodeQDA(rc, q.lim.MaxBytes, &proj)
	rc.Close()
	if err != nil {
		return nil, nil, fileError(path, "project.qde %v: export the project again as REFI-QDA (.qdpx)", err)
	}
	if proj.XMLName.Local != "Project" || proj.XMLName.Space != qdaProjectNS {
		return nil, nil, fileError(path, "project.qde is not a REFI-QDA project (root %s in namespace %q, want Project in %q)",
			proj.XMLName.Local, proj.XMLName.Space, qdaProjectNS)
	}
	if n := len(proj.Pictures) + len(proj.PDFs) + len(proj.Audio) + len(proj.Video); n > 0 {
		d.warn(fileError(path, "%d sources that are not text (pictures, PDF, audio, video) are not read: only text sources are interviews", n))
	}
	cb := q.codebookOf(d, path, proj.Codes)
	codebook = cb.table
	codings = newQDATable(path, "Codings", []string{"interview_id", "wave", "group", "organisation", "code", "valence", "excerpt", "cleared"})

	varNames := map[string]string{} // guid -> normalized name
	for _, v := range proj.Variables {
		varNames[guidKey(v.GUID)] = normalize(v.Name)
	}
	fields := q.names.byField()
	type found struct{ value, where string }
	values := map[string]map[string][]found{} // source guid -> field -> values
	collect := func(src string, vals []qdeValue, where string) {
		for _, v := range vals {
			name := varNames[guidKey(v.Ref.Target)]
			for field, want := range fields {
				if name != "" && name == want {
					if values[src] == nil {
						values[src] = map[string][]found{}
					}
					values[src][field] = append(values[src][field], found{v.value(), where})
				}
			}
		}
	}
	for _, s := range proj.Sources {
		collect(guidKey(s.GUID), s.Values, "on the source")
	}
	for _, c := range proj.Cases {
		for _, r := range c.Sources {
			collect(guidKey(r.Target), c.Values, fmt.Sprintf("on case %q", c.Name))
		}
	}

	names := map[string]bool{}
	for _, s := range proj.Sources {
		whole := fmt.Sprintf("source %q", s.Name)
		at := func(column string, err error) {
			d.fail(&CellError{File: path, Sheet: whole, Column: column, Err: err})
		}
		if strings.TrimSpace(s.Name) == "" {
			whole = fmt.Sprintf("source %s", s.GUID)
			at("interview_id", problem(ErrRequired, "source has no name: name it, as its name is the interview_id"))
			continue
		}
		if names[s.Name] {
			at("interview_id", problem(ErrDuplicate, "two sources have this name: one interview is one source, so rename one"))
			continue
		}
		names[s.Name] = true
		if len(s.Selections) == 0 && len(s.Codings) == 0 {
			continue
		}
		// One value per interview field, the same wherever it is given.
		interview := map[string]string{}
		conflict := false
		for _, field := range []string{"wave", "group", "organisation", "cleared", "valence"} {
			var first found
			for _, f := range values[guidKey(s.GUID)][field] {
				if f.value == "" {
					continue
				}
				if first.value == "" {
					first = f
					continue
				}
				if normalize(f.value) != normalize(first.value) {
					at(field, problem(ErrConflict, "%q %s and %q %s: one interview has one %s", first.value, first.where, f.value, f.where, field))
					conflict = true
					break
				}
			}
			interview[field] = first.value
		}
		text, terr := q.sourceText(path, entries, s)
		if terr != nil {
			d.fail(&CellError{File: path, Sheet: whole, Err: terr})
			continue
		}
		var rows []int
		addRows := func(part string, sel qdeSelection, excerpt string) {
			valence, cleared := interview["valence"], interview["cleared"]
			var themes []string
			seenValence := ""
			for _, c := range sel.Codings {
				g := guidKey(c.CodeRef.Target)
				switch {
				case cb.valences[g] != "":
					v := cb.valences[g]
					if seenValence != "" && seenValence != v {
						d.fail(&CellError{File: path, Sheet: part, Column: "valence", Value: clip(v),
							Err: problem(ErrConflict, "selection is coded with two valences, %s and %s: keep one", seenValence, v)})
					}
					seenValence, valence = v, v
				case cb.cleared[g]:
					cleared = "yes"
				case cb.keys[g] != "":
					themes = append(themes, cb.keys[g])
				case cb.skipped[g]:
				default:
					d.fail(&CellError{File: path, Sheet: part, Column: "code", Value: clip(c.CodeRef.Target),
						Err: problem(ErrUnknownRef, "coding refers to no code of the codebook")})
				}
			}
			if len(themes) == 0 && (seenValence != "" || cleared != interview["cleared"]) {
				d.fail(&CellError{File: path, Sheet: part, Column: "code",
					Err: problem(ErrRequired, "selection is coded with a valence or as cleared but with no code")})
			}
			for _, code := range themes {
				rows = append(rows, codings.add(whole, part, []string{s.Name, interview["wave"], interview["group"],
					interview["organisation"], code, valence, excerpt, cleared}))
			}
		}
		for _, c := range s.Codings {
			addRows(whole, qdeSelection{Codings: []qdeCoding{c}}, "")
		}
		for _, sel := range spans(text, s.Selections) {
			part := fmt.Sprintf("%s, selection %s-%s", whole, strings.TrimSpace(sel.sel.Start), strings.TrimSpace(sel.sel.End))
			if sel.err != nil {
				d.fail(&CellError{File: path, Sheet: part, Column: "excerpt", Err: sel.err})
				continue
			}
			excerpt := text[sel.from:sel.to]
			if len(excerpt) > q.lim.MaxCellChars && utf8.RuneCountInString(excerpt) > q.lim.MaxCellChars {
				d.fail(&CellError{File: path, Sheet: part, Column: "excerpt", Err: problem(ErrLimit,
					"selection is longer than %d characters, the limit for an excerpt", q.lim.MaxCellChars)})
				continue
			}
			addRows(part, sel.sel, excerpt)
		}
		if conflict {
			for _, n := range rows {
				d.bad[Pos{File: path, Sheet: codings.t.Sheet, Row: n}] = true
			}
		}
		if len(codings.t.Rows)-1 > q.lim.MaxRows {
			return nil, nil, &CellError{File: path, Err: problem(ErrLimit, "more than %d codings, the limit", q.lim.MaxRows)}
		}
	}
	return codings, codebook, nil
}

// sourceText returns the plain text of a source, inline or from its file
// in the project, within the part limit.
func (q *qdaInputs) sourceText(path string, entries map[string]*zip.File, s qdeSource) (string, error) {
	var b []byte
	switch {
	case s.Content != nil:
		b = []byte(*s.Content)
	case s.PlainTextPath != "":
		name, internal := strings.CutPrefix(s.PlainTextPath, "internal://")
		if !internal {
			return "", problem(ErrFile, "text is outside the project (%s): export the project with its sources included", clip(s.PlainTextPath))
		}
		name = strings.ToLower(strings.TrimPrefix(name, "/"))
		f := entries["sources/"+name]
		if f == nil {
			f = entries[name]
		}
		if f == nil {
			return "", problem(ErrFile, "text file %s is not in the project: export the project again", clip(s.PlainTextPath))
		}
		rc, err := f.Open()
		if err != nil {
			return "", problem(ErrFile, "text file %s cannot be read (%v): export the project again", clip(f.Name), err)
		}
		b, err = io.ReadAll(io.LimitReader(rc, q.lim.MaxPartBytes+1))
		rc.Close()
		if err != nil {
			return "", problem(ErrFile, "text file %s cannot be read (%v): export the project again", clip(f.Name), err)
		}
	default:
		return "", problem(ErrFile, "source has no text (neither PlainTextContent nor plainTextPath): export the project again")
	}
	if int64(len(b)) > q.lim.MaxPartBytes {
		return "", problem(ErrLimit, "text is larger than %d bytes, the limit", q.lim.MaxPartBytes)
	}
	b = bytes.TrimPrefix(b, []byte("\xEF\xBB\xBF"))
	if !utf8.Valid(b) {
		return "", problem(ErrFile, "text is not UTF-8: export the project again")
	}
	return string(b), nil
}

// span is a selection with the byte offsets of its text, or why it has none.
type span struct {
	sel      qdeSelection
	from, to int
	err      error
}

// spans places selections in text. Their positions count Unicode code
// points from 0, so they are turned into byte offsets in one pass over the
// text, whatever the number of selections.
func spans(text string, sels []qdeSelection) []span {
	out := make([]span, len(sels))
	var wanted []int
	for i, s := range sels {
		out[i].sel = s
		start, err1 := strconv.Atoi(strings.TrimSpace(s.Start))
		end, err2 := strconv.Atoi(strings.TrimSpace(s.End))
		switch {
		case err1 != nil || err2 != nil:
			out[i].err = problem(ErrBadValue, "startPosition and endPosition must be whole numbers")
		case start < 0 || end < start:
			out[i].err = problem(ErrBadValue, "selection must start at 0 or later and end where it starts or later")
		default:
			out[i].from, out[i].to = start, end
			wanted = append(wanted, start, end)
		}
	}
	slices.Sort(wanted)
	wanted = slices.Compact(wanted)
	offset := make(map[int]int, len(wanted))
	cp, w := 0, 0
	for i := range text {
		for w < len(wanted) && wanted[w] == cp {
			offset[cp] = i
			w++
		}
		if w == len(wanted) {
			break
		}
		cp++
	}
	if w < len(wanted) {
		// Count the rest, so that the end of the text is a position too.
		cp = utf8.RuneCountInString(text)
		if wanted[w] == cp {
			offset[cp] = len(text)
		}
	}
	for i := range out {
		if out[i].err != nil {
			continue
		}
		from, ok1 := offset[out[i].from]
		to, ok2 := offset[out[i].to]
		if !ok1 || !ok2 {
			out[i].err = problem(ErrBadValue, "selection ends past the end of the text (%d characters)", utf8.RuneCountInString(text))
			continue
		}
		out[i].from, out[i].to = from, to
	}
	return out
}

// qdaCodebook is a REFI-QDA codebook read into a table, with the key of
// each code by GUID.
type qdaCodebook struct {
	table    *qdaTable
	keys     map[string]string // guid -> key, for codes of the codebook
	valences map[string]string // guid -> valence, for the children of the valence code
	cleared  map[string]bool   // guid of the code that clears an excerpt
	skipped  map[string]bool   // codes left out: the valence code itself, and codes whose key is refused
}

// codebookOf reads the codes of a codebook. Nested codes name their parent.
// The code named as the valence holds the valences as its children, and the
// code named as cleared marks a cleared excerpt: neither is a theme, so
// neither is in the codebook.
func (q *qdaInputs) codebookOf(d *decoder, path string, codes []qdeCode) *qdaCodebook {
	cb := &qdaCodebook{keys: map[string]string{}, valences: map[string]string{}, cleared: map[string]bool{}, skipped: map[string]bool{}}
	if codes == nil {
		return cb
	}
	cb.table = newQDATable(path, "Codebook", []string{"code", "label", "parent", "description"})
	valence, cleared := normalize(q.names.Valence), normalize(q.names.Cleared)
	byKey := map[string]string{} // key -> name of the code that has it
	var walk func(cs []qdeCode, parent string)
	walk = func(cs []qdeCode, parent string) {
		for _, c := range cs {
			g := guidKey(c.GUID)
			where := fmt.Sprintf("code %q", c.Name)
			switch n := normalize(c.Name); {
			case n == valence:
				cb.skipped[g] = true
				for _, v := range c.Codes {
					cb.valences[guidKey(v.GUID)] = v.Name
				}
				continue
			case n == cleared:
				cb.cleared[g] = true
				continue
			}
			key := CodeKey(c.Name)
			if key == "" {
				d.fail(&CellError{File: path, Sheet: where, Column: "code", Err: problem(ErrBadValue,
					"code name has no ASCII letter or digit to make its key from: add one to the name")})
				cb.skipped[g] = true
				walk(c.Codes, "")
				continue
			}
			if other, dup := byKey[key]; dup {
				d.fail(&CellError{File: path, Sheet: where, Column: "code", Value: key, Err: problem(ErrDuplicate,
					"codes %q and %q both have the key %s: rename one", other, c.Name, key)})
				cb.keys[g] = key
				walk(c.Codes, key)
				continue
			}
			byKey[key] = c.Name
			cb.keys[g] = key
			cb.table.add(where, where, []string{key, c.Name, parent, strings.TrimSpace(c.Description)})
			walk(c.Codes, key)
		}
	}
	walk(codes, "")
	return cb
}

// readCodebookFile reads a REFI-QDA codebook file (.qdc).
func (q *qdaInputs) readCodebookFile(d *decoder, path string) (*qdaTable, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fileError(path, "cannot open the file: %v", err)
	}
	defer f.Close()
	var cb qdeCodebook
	if err := decodeQDA(f, q.lim.MaxPartBytes, &cb); err != nil {
		return nil, fileError(path, "codebook %v: export the codebook again as REFI-QDA (.qdc)", err)
	}
	if cb.XMLName.Local != "CodeBook" || cb.XMLName.Space != qdaCodebookNS {
		return nil, fileError(path, "file is not a REFI-QDA codebook (root %s in namespace %q, want CodeBook in %q)",
			cb.XMLName.Local, cb.XMLName.Space, qdaCodebookNS)
	}
	if cb.Codes == nil {
		cb.Codes = []qdeCode{}
	}
	return q.codebookOf(d, path, cb.Codes).table, nil
}

// relabel places the problems found in the rows of REFI-QDA tables on the
// source, selection or code each row came from, merges the repeats (a
// missing wave is reported once per source, not once per coding), and
// places the records the same way.
func (q *qdaInputs) relabel(d *decoder, data *Data) {
	if len(q.tables) == 0 {
		return
	}
	find := func(file, sheet string) *qdaTable {
		for _, t := range q.tables {
			if t.t.File == file && t.t.Sheet == sheet {
				return t
			}
		}
		return nil
	}
	fields := q.names.withDefaults()
	variable := map[string]string{"wave": fields.Wave, "group": fields.Group, "organisation": fields.Organisation, "cleared": fields.Cleared}
	fix := func(errs []*CellError) []*CellError {
		seen := map[string]bool{}
		out := errs[:0]
		for _, e := range errs {
			if t := find(e.File, e.Sheet); t != nil && e.Row > 0 {
				e.Sheet = t.part[e.Row]
				if slices.Contains(interviewColumns, e.Column) {
					e.Sheet = t.whole[e.Row]
					if v := variable[e.Column]; v != "" && errors.Is(e.Err, ErrRequired) {
						e.Err = problem(ErrRequired, "no variable %s on the source or on a case that refers to it: add one", v)
					}
				}
				e.Row, e.Col = 0, 0
			}
			k := e.Error()
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, e)
		}
		return out
	}
	d.errs = fix(d.errs)
	d.warns = fix(d.warns)
	for i := range data.Codings {
		if t := find(data.Codings[i].Pos.File, data.Codings[i].Pos.Sheet); t != nil {
			data.Codings[i].Pos.Sheet = t.part[data.Codings[i].Pos.Row]
		}
	}
	for i := range data.Codebook {
		if t := find(data.Codebook[i].Pos.File, data.Codebook[i].Pos.Sheet); t != nil {
			data.Codebook[i].Pos.Sheet = t.part[data.Codebook[i].Pos.Row]
		}
	}
}

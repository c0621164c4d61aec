package publish

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/evalsite/evalsite/internal/ingest"
)

// The descriptor follows the Frictionless Data Package v1 specification
// (specs.frictionlessdata.io/data-package), with a Table Schema for each CSV.

type dataPackage struct {
	Profile      string          `json:"profile"`
	Name         string          `json:"name"`
	Title        string          `json:"title"`
	Description  string          `json:"description"`
	Version      string          `json:"version,omitempty"`
	Created      string          `json:"created,omitempty"`
	Licenses     []dpLicense     `json:"licenses"`
	Sources      []dpSource      `json:"sources,omitempty"`
	Contributors []dpContributor `json:"contributors,omitempty"`
	Resources    []dpResource    `json:"resources"`

	// Release metadata the specification has no property for, as the
	// additional properties it allows.
	ReleaseDate  string         `json:"releaseDate,omitempty"`
	NextUpdate   string         `json:"nextUpdate,omitempty"`
	Status       string         `json:"status,omitempty"`
	Illustrative bool           `json:"illustrative"`
	Revisions    []revisionJSON `json:"revisions"`
}

type dpLicense struct {
	Name  string `json:"name,omitempty"`
	Path  string `json:"path,omitempty"`
	Title string `json:"title"`
}

type dpSource struct {
	Title string `json:"title"`
	Path  string `json:"path,omitempty"`
}

type dpContributor struct {
	Title string `json:"title"`
	Email string `json:"email,omitempty"`
	Role  string `json:"role"`
}

type dpResource struct {
	Name        string     `json:"name"`
	Path        string     `json:"path"`
	Profile     string     `json:"profile"`
	Title       string     `json:"title"`
	Description string     `json:"description"`
	Format      string     `json:"format"`
	Mediatype   string     `json:"mediatype"`
	Encoding    string     `json:"encoding,omitempty"`
	Bytes       int64      `json:"bytes"`
	Hash        string     `json:"hash"`
	Dialect     *dpDialect `json:"dialect,omitempty"`
	Schema      *dpSchema  `json:"schema,omitempty"`
}

type dpDialect struct {
	Delimiter      string `json:"delimiter"`
	LineTerminator string `json:"lineTerminator"`
	QuoteChar      string `json:"quoteChar"`
	DoubleQuote    bool   `json:"doubleQuote"`
	Header         bool   `json:"header"`
}

type dpSchema struct {
	Fields        []dpField      `json:"fields"`
	PrimaryKey    []string       `json:"primaryKey,omitempty"`
	ForeignKeys   []dpForeignKey `json:"foreignKeys,omitempty"`
	MissingValues []string       `json:"missingValues"`
}

type dpField struct {
	Name        string         `json:"name"`
	Type        string         `json:"type"`
	Format      string         `json:"format,omitempty"`
	Description string         `json:"description"`
	TrueValues  []string       `json:"trueValues,omitempty"`
	FalseValues []string       `json:"falseValues,omitempty"`
	Constraints *dpConstraints `json:"constraints,omitempty"`
}

type dpConstraints struct {
	Required bool     `json:"required,omitempty"`
	Unique   bool     `json:"unique,omitempty"`
	Minimum  *int     `json:"minimum,omitempty"`
	Enum     []string `json:"enum,omitempty"`
}

type dpForeignKey struct {
	Fields    []string    `json:"fields"`
	Reference dpReference `json:"reference"`
}

type dpReference struct {
	Resource string   `json:"resource"`
	Fields   []string `json:"fields"`
}

// ogl is the Open Definition identifier of the default licence.
const ogl = "OGL-UK-3.0"

// CSVGuardNote explains the apostrophe that guards CSV text cells.
const CSVGuardNote = "In the CSV files, a text cell starting with =, +, -, @, a tab or a carriage return is prefixed with an apostrophe (') " +
	"so that spreadsheet programs do not run it as a formula; evaluation.json and evaluation.xlsx hold the exact text."

// encodeDataPackage describes every file written so far (the CSVs, the
// workbook, the JSON and the metrics), with their sizes and checksums.
func encodeDataPackage(rel Release, opt Options, tables []table, files []File) ([]byte, error) {
	byName := map[string]File{}
	for _, f := range files {
		byName[f.Name] = f
	}
	desc := []string{}
	if rel.Illustrative {
		desc = append(desc, IllustrativeNotice)
	}
	desc = append(desc, "The datasets of the evaluation, cleaned: canonical column names, ISO dates (YYYY-MM-DD), canonical values.")
	if opt.SuppressBelow > 0 {
		desc = append(desc, fmt.Sprintf("Disclosure control: codings are published only as counts of interviews by code, respondent group and wave; "+
			"counts below %d (including zero) are shown as %s, with every share over them, and further counts are withheld "+
			"wherever a withheld count could otherwise be worked out from totals, differences or shares anywhere in the release (%s stands for both).",
			opt.SuppressBelow, Confidential, Confidential))
	} else {
		d := "Codings: excerpts are published only when cleared for publication."
		if !opt.PublishOrganisations {
			d += " Respondents' organisations are not published."
		}
		desc = append(desc, d)
	}
	desc = append(desc, CSVGuardNote)
	if rel.Status != "" {
		desc = append(desc, "Status: "+rel.Status+".")
	}
	if rel.NextUpdate != "" {
		desc = append(desc, "Next update: "+rel.NextUpdate+".")
	}

	dp := dataPackage{
		Profile:     "data-package",
		Name:        slug(rel.Title),
		Title:       rel.Title,
		Description: strings.Join(desc, " "),
		Version:     rel.Version,
		Licenses:    []dpLicense{licence(rel)},

		ReleaseDate:  rel.ReleaseDate,
		NextUpdate:   rel.NextUpdate,
		Status:       rel.Status,
		Illustrative: rel.Illustrative,
		Revisions:    newReleaseJSON(rel, opt).Revisions,
	}
	if d, err := time.Parse(time.DateOnly, strings.TrimSpace(rel.ReleaseDate)); err == nil {
		dp.Created = d.Format("2006-01-02T15:04:05Z")
	}
	for _, s := range rel.Sources {
		src := dpSource{Title: s}
		if strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://") {
			src.Path = s
		}
		dp.Sources = append(dp.Sources, src)
	}
	if rel.Publisher != "" {
		dp.Contributors = append(dp.Contributors, dpContributor{Title: rel.Publisher, Role: "publisher"})
	}
	if rel.Contact != "" {
		c := dpContributor{Title: rel.Contact, Role: "maintainer"}
		if isEmail(rel.Contact) {
			c.Email = rel.Contact
		}
		dp.Contributors = append(dp.Contributors, c)
	}

	names := map[string]bool{}
	for _, t := range tables {
		names[t.name] = true
	}
	resource := func(name, file, profile, title, description, format, mediatype, encoding string) dpResource {
		f := byName[file]
		return dpResource{
			Name: name, Path: file, Profile: profile, Title: title, Description: description,
			Format: format, Mediatype: mediatype, Encoding: encoding,
			Bytes: f.Size, Hash: "sha256:" + f.SHA256,
		}
	}
	for _, t := range tables {
		r := resource(t.name, t.file(), "tabular-data-resource", t.title, t.description, "csv", "text/csv", "utf-8")
		r.Dialect = &dpDialect{Delimiter: ",", LineTerminator: "\r\n", QuoteChar: `"`, DoubleQuote: true, Header: true}
		r.Schema = tableSchema(t, names)
		dp.Resources = append(dp.Resources, r)
	}
	dp.Resources = append(dp.Resources,
		resource("evaluation-xlsx", WorkbookName, "data-resource", "All datasets (Excel workbook)",
			"Every dataset as a table on its own sheet, with cover, contents and notes sheets.",
			"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ""),
		resource("evaluation-json", JSONName, "data-resource", "All datasets (JSON)",
			"Every dataset as a list of records keyed by column name, with the release metadata and notes.",
			"json", "application/json", "utf-8"),
		resource("metrics", MetricsName, "data-resource", "Metrics",
			"Every figure published on the site, as computed from the datasets.",
			"json", "application/json", "utf-8"),
	)
	if _, ok := byName[QDCName]; ok {
		dp.Resources = append(dp.Resources, resource("codebook-qdc", QDCName, "data-resource", "Codebook (REFI-QDA)",
			"The codebook as a REFI-QDA codebook (namespace urn:QDA-XML:codebook:1.0) for qualitative analysis software.",
			"qdc", "application/xml", "utf-8"))
	}
	if rel.Illustrative {
		dp.Resources = append(dp.Resources, resource("illustrative-note", IllustrativeNoteName, "data-resource", "Illustrative data (note)",
			IllustrativeNotice, "txt", "text/plain", "utf-8"))
	}
	data, err := json.MarshalIndent(dp, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}

// tableSchema is the Table Schema of one CSV. Field types are
// ingest.Kind.String(); references to another table are declared only when
// that table is published.
func tableSchema(t table, published map[string]bool) *dpSchema {
	s := &dpSchema{MissingValues: []string{""}}
	if t.counts {
		s.MissingValues = append(s.MissingValues, Confidential)
	}
	for _, c := range t.cols {
		f := dpField{Name: c.Name, Type: c.Kind.String(), Description: c.Description}
		var con dpConstraints
		con.Required = c.Required
		con.Unique = c.Name == t.key
		if c.Kind == ingest.Enum {
			con.Enum = append([]string(nil), c.Values...)
		}
		if c.Kind == ingest.Integer || c.Kind == ingest.Number {
			zero := 0
			con.Minimum = &zero
		}
		if c.Kind == ingest.YesNo {
			f.TrueValues, f.FalseValues = []string{"yes"}, []string{"no"}
		}
		if con.Required || con.Unique || con.Enum != nil || con.Minimum != nil {
			f.Constraints = &con
		}
		s.Fields = append(s.Fields, f)
	}
	if t.key != "" {
		s.PrimaryKey = []string{t.key}
	}
	fk := func(field, resource, to string) {
		if published[resource] {
			s.ForeignKeys = append(s.ForeignKeys, dpForeignKey{
				Fields:    []string{field},
				Reference: dpReference{Resource: resource, Fields: []string{to}},
			})
		}
	}
	switch t.name {
	case "freedoms", "events":
		fk("agreement_id", "agreements", "agreement_id")
	case "codings", "coding_counts":
		// Reading has checked that, when a codebook is given, every coded code is in it.
		fk("code", "codebook", "code")
	}
	return s
}

// licence names the licence: by its Open Definition identifier for the
// default, else by a name made from its title.
func licence(rel Release) dpLicense {
	l := dpLicense{Path: rel.LicenceURL, Title: rel.Licence}
	switch {
	case rel.Licence == DefaultLicence:
		l.Name = ogl
	case l.Path == "":
		l.Name = slug(rel.Licence)
	}
	return l
}

// slug makes a Data Package name: lower-case letters, digits and hyphens.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
	}
	if b.Len() == 0 {
		return "evaluation"
	}
	return b.String()
}

func isEmail(s string) bool {
	at := strings.IndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t<>") && strings.Count(s, "@") == 1
}

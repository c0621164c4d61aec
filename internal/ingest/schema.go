package ingest

import (
	"maps"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Kind is the type of the values of a column.
type Kind int

// The kinds of column.
const (
	Text    Kind = iota // any text
	Date                // a calendar date
	Integer             // a whole number >= 0
	Number              // a number >= 0
	Enum                // one of Column.Values
	YesNo               // yes or no; blank is no
)

// String returns the name of the kind as a Table Schema type.
func (k Kind) String() string {
	switch k {
	case Date:
		return "date"
	case Integer:
		return "integer"
	case Number:
		return "number"
	case YesNo:
		return "boolean"
	}
	return "string"
}

// Column describes one column of a dataset: everything that follows from
// it, from the header of the template to the label a reader sees, is made
// from this declaration.
type Column struct {
	Name        string            // canonical name, such as "agreement_id"
	Kind        Kind              // type of the values
	Required    bool              // the header must be present and every value filled
	Values      []string          // canonical values of an Enum column
	Labels      map[string]string // labels for readers of Values that Label cannot make
	Plurals     map[string]string // plural nouns of Values that Plural cannot make
	Description string            // one sentence for the instructions sheet and the downloads page

	// Title, when set, shows the column on its record's page under this
	// heading (a column the page does not show already).
	Title string

	field field // reads and writes the column's field of a record
}

// field binds a column to the field of a record that holds its value.
// decode parses the column's cell straight into the field, so that reading
// a large sheet boxes no value.
type field struct {
	get    func(rec any) any
	set    func(rec any, v any)
	decode func(rec any, c *cells, col Column)
}

// Value returns the value of the column in rec, a pointer to the dataset's
// record (*Agreement for the agreements): nil when blank, else a string
// (Text and Enum, the canonical value), a time.Time at UTC midnight (Date),
// an int (Integer), a float64 (Number) or a bool (YesNo).
func (c Column) Value(rec any) any { return c.field.get(rec) }

// SetValue stores v, a value of the kind Value returns (nil for blank), in
// the column's field of rec.
func (c Column) SetValue(rec any, v any) { c.field.set(rec, v) }

// Label returns a canonical value of the column in words for readers: its
// entry in Labels, else the value with its first letter upper-cased and
// underscores as spaces ("partly_granted" is "Partly granted").
func (c Column) Label(v string) string {
	if l, ok := c.Labels[v]; ok {
		return l
	}
	return DefaultLabel(v)
}

// Plural returns how several records with the canonical value v are
// counted in a sentence ("3 items of correspondence"): its entry in Plurals,
// else its label in lower case with an s ("meetings").
func (c Column) Plural(v string) string {
	if p, ok := c.Plurals[v]; ok {
		return p
	}
	return strings.ToLower(c.Label(v)) + "s"
}

// DefaultLabel turns a code into words: underscores become spaces and the
// first letter, not the first byte, is upper-cased, so "élus_locaux" is
// "Élus locaux".
func DefaultLabel(v string) string {
	if v == "" {
		return ""
	}
	s := strings.ReplaceAll(v, "_", " ")
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// textField binds a Text or Enum column to a string field; "" is blank.
func textField[R any](f func(*R) *string) field {
	return field{
		get: func(rec any) any {
			if v := *f(rec.(*R)); v != "" {
				return v
			}
			return nil
		},
		set: func(rec any, v any) {
			s, _ := v.(string)
			*f(rec.(*R)) = s
		},
		decode: func(rec any, c *cells, col Column) {
			if col.Kind == Enum {
				*f(rec.(*R)) = c.enum(col.Name)
			} else {
				*f(rec.(*R)) = c.text(col.Name)
			}
		},
	}
}

// dateField binds a Date column to a time.Time field; the zero time is blank.
func dateField[R any](f func(*R) *time.Time) field {
	return field{
		get: func(rec any) any {
			t := *f(rec.(*R))
			if t.IsZero() {
				return nil
			}
			return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
		},
		set: func(rec any, v any) {
			t, _ := v.(time.Time)
			*f(rec.(*R)) = t
		},
		decode: func(rec any, c *cells, col Column) { *f(rec.(*R)) = c.date(col.Name) },
	}
}

// intField binds an Integer column to an *int field; nil is blank.
func intField[R any](f func(*R) **int) field { return optionalField(f, (*cells).integer) }

// numberField binds a Number column to a *float64 field; nil is blank.
func numberField[R any](f func(*R) **float64) field { return optionalField(f, (*cells).number) }

// optionalField binds a column whose blank is a nil pointer to a *T field,
// decoded by dec.
func optionalField[R, T any](f func(*R) **T, dec func(*cells, string) *T) field {
	return field{
		get: func(rec any) any {
			if p := *f(rec.(*R)); p != nil {
				return *p
			}
			return nil
		},
		set: func(rec any, v any) {
			var p *T
			if n, ok := v.(T); ok {
				p = &n
			}
			*f(rec.(*R)) = p
		},
		decode: func(rec any, c *cells, col Column) { *f(rec.(*R)) = dec(c, col.Name) },
	}
}

// boolField binds a YesNo column to a bool field; it is never blank.
func boolField[R any](f func(*R) *bool) field {
	return field{
		get: func(rec any) any { return *f(rec.(*R)) },
		set: func(rec any, v any) {
			b, _ := v.(bool)
			*f(rec.(*R)) = b
		},
		decode: func(rec any, c *cells, col Column) { *f(rec.(*R)) = c.yesNo(col.Name) },
	}
}

// numberedEnumField binds an Enum column whose values are whole numbers
// ("1", "2") to an int field; 0 is blank.
func numberedEnumField[R any](f func(*R) *int) field {
	return field{
		get: func(rec any) any {
			if n := *f(rec.(*R)); n != 0 {
				return strconv.Itoa(n)
			}
			return nil
		},
		set: func(rec any, v any) {
			s, _ := v.(string)
			n, _ := strconv.Atoi(s)
			*f(rec.(*R)) = n
		},
		decode: func(rec any, c *cells, col Column) {
			n, _ := strconv.Atoi(c.enum(col.Name))
			*f(rec.(*R)) = n
		},
	}
}

// Schema describes one dataset: where it is found and its columns.
type Schema struct {
	Name        string // "agreements", "freedoms", "events", "codings", "codebook"
	Workbook    string // file name of the workbook that holds it
	Sheet       string // sheet name in that workbook
	OnlySheet   bool   // the dataset may also be the workbook's only sheet
	CSV         string // file name of the CSV alternative
	Optional    bool   // the dataset may be absent
	Key         string // the column whose values must be unique, if any
	Description string
	Columns     []Column
}

// Column returns the column with the canonical name, and false if there is none.
func (s Schema) Column(name string) (Column, bool) {
	for _, c := range s.Columns {
		if c.Name == name {
			return c, true
		}
	}
	return Column{}, false
}

// Enumerated values, in the order the specification lists them.
var (
	authorityTypes = []string{"county", "unitary", "metropolitan", "london_borough", "district"}
	outcomes       = []string{"granted", "partly_granted", "not_granted", "deferred"}
	reasons        = []string{"already_available", "precedent", "primary_legislation", "timescale", "funding", "unclear", "policy", "joined_up", "other"}
	eventTypes     = []string{"meeting", "bilateral", "correspondence", "draft", "briefing", "signing", "workshop", "other"}
	groups         = []string{"local_authority", "department", "policy_centre", "lga", "government_office", "partner", "other"}
	valences       = []string{"positive", "negative", "mixed", "neutral"}
)

// Labels of the values that DefaultLabel would not put well.
var (
	outcomeLabels = map[string]string{"not_granted": "Not granted"}
	reasonLabels  = map[string]string{
		"primary_legislation": "Needs primary legislation",
		"joined_up":           "Needs several departments",
		"unclear":             "Request unclear",
		"precedent":           "Would set a precedent",
		"funding":             "Funding implications",
		"policy":              "Department's policy",
		"timescale":           "Timescale",
	}
	groupLabels = map[string]string{"lga": "LGA", "government_office": "Government Office"}
	// Plurals of the event types that Plural would not put well.
	eventTypePlurals = map[string]string{"bilateral": "bilateral contacts", "correspondence": "items of correspondence", "other": "other events"}
)

// Schemas returns the five datasets of an evaluation in their canonical order.
// Each call returns a fresh copy that the caller may change.
func Schemas() []Schema {
	clone := func(s []string) []string { return append([]string(nil), s...) }
	return []Schema{
		{
			Name: "agreements", Workbook: "agreements.xlsx", Sheet: "Agreements", CSV: "agreements.csv",
			Key:         "agreement_id",
			Description: "One row per agreement negotiated with a local authority.",
			Columns: []Column{
				{Name: "agreement_id", Kind: Text, Required: true, Description: "Unique identifier of the agreement.", field: textField(func(r *Agreement) *string { return &r.ID })},
				{Name: "authority", Kind: Text, Required: true, Description: "Name of the local authority.", field: textField(func(r *Agreement) *string { return &r.Authority })},
				{Name: "authority_type", Kind: Enum, Values: clone(authorityTypes), Description: "Type of authority.", field: textField(func(r *Agreement) *string { return &r.AuthorityType })},
				{Name: "region", Kind: Text, Description: "Region of England the authority is in.", field: textField(func(r *Agreement) *string { return &r.Region })},
				{Name: "tranche", Kind: Text, Description: "Group of agreements negotiated together, as the team names it.", field: textField(func(r *Agreement) *string { return &r.Tranche })},
				{Name: "started", Kind: Date, Required: true, Description: "Date negotiations started.", field: dateField(func(r *Agreement) *time.Time { return &r.Started })},
				{Name: "signed", Kind: Date, Description: "Date the agreement was signed; blank if not signed.", field: dateField(func(r *Agreement) *time.Time { return &r.Signed })},
				{Name: "withdrawn", Kind: Date, Description: "Date the authority withdrew or negotiations stopped; blank if not withdrawn.", field: dateField(func(r *Agreement) *time.Time { return &r.Withdrawn })},
				{Name: "targets", Kind: Integer, Description: "Number of stretch targets in the agreement.", field: intField(func(r *Agreement) **int { return &r.Targets })},
				{Name: "pump_priming_gbp", Kind: Number, Description: "Pump-priming grant offered, in pounds.", field: numberField(func(r *Agreement) **float64 { return &r.PumpPrimingGBP })},
				{Name: "reward_grant_gbp", Kind: Number, Description: "Performance reward grant available if all targets are met, in pounds.", field: numberField(func(r *Agreement) **float64 { return &r.RewardGrantGBP })},
			},
		},
		{
			Name: "freedoms", Workbook: "agreements.xlsx", Sheet: "Freedoms", CSV: "freedoms.csv",
			Key:         "request_id",
			Description: "One row per request for a freedom or flexibility, with the department's answer.",
			Columns: []Column{
				{Name: "request_id", Kind: Text, Required: true, Description: "Unique identifier of the request.", field: textField(func(r *Freedom) *string { return &r.RequestID })},
				{Name: "agreement_id", Kind: Text, Required: true, Description: "Agreement the request was made in.", field: textField(func(r *Freedom) *string { return &r.AgreementID })},
				{Name: "department", Kind: Text, Required: true, Description: "Government department that answered the request.", field: textField(func(r *Freedom) *string { return &r.Department })},
				{Name: "request", Kind: Text, Description: "What the authority asked for.", field: textField(func(r *Freedom) *string { return &r.Request })},
				{Name: "outcome", Kind: Enum, Required: true, Values: clone(outcomes), Labels: maps.Clone(outcomeLabels), Description: "The department's answer.", field: textField(func(r *Freedom) *string { return &r.Outcome })},
				{Name: "reason", Kind: Enum, Values: clone(reasons), Labels: maps.Clone(reasonLabels), Description: "Why the request was not granted; required when the outcome is not_granted.", field: textField(func(r *Freedom) *string { return &r.Reason })},
				{Name: "decided", Kind: Date, Description: "Date of the answer.", field: dateField(func(r *Freedom) *time.Time { return &r.Decided })},
			},
		},
		{
			Name: "events", Workbook: "timings.xlsx", Sheet: "Events", OnlySheet: true, CSV: "events.csv",
			Description: "One row per dated contact in a negotiation, or programme-wide event.",
			Columns: []Column{
				{Name: "agreement_id", Kind: Text, Description: "Agreement the contact belongs to; blank for programme-wide events such as workshops.", field: textField(func(r *Event) *string { return &r.AgreementID })},
				{Name: "date", Kind: Date, Required: true, Description: "Date of the contact.", field: dateField(func(r *Event) *time.Time { return &r.Date })},
				{Name: "type", Kind: Enum, Required: true, Values: clone(eventTypes), Plurals: maps.Clone(eventTypePlurals), Description: "Kind of contact.", field: textField(func(r *Event) *string { return &r.Type })},
				{Name: "department", Kind: Text, Description: "Department taking part, if one.", field: textField(func(r *Event) *string { return &r.Department })},
				{Name: "hours", Kind: Number, Description: "Staff hours spent, if recorded.", field: numberField(func(r *Event) **float64 { return &r.Hours })},
				{Name: "note", Kind: Text, Description: "Free-text note.", field: textField(func(r *Event) *string { return &r.Note })},
			},
		},
		{
			Name: "codings", Workbook: "codings.xlsx", Sheet: "Codings", OnlySheet: true, CSV: "codings.csv",
			Description: "One row per code applied to an interview transcript.",
			Columns: []Column{
				{Name: "interview_id", Kind: Text, Required: true, Description: "Identifier of the interview.", field: textField(func(r *Coding) *string { return &r.InterviewID })},
				{Name: "wave", Kind: Enum, Required: true, Values: []string{"1", "2"}, Description: "Interview wave, 1 or 2.", field: numberedEnumField(func(r *Coding) *int { return &r.Wave })},
				{Name: "group", Kind: Enum, Required: true, Values: clone(groups), Labels: maps.Clone(groupLabels), Description: "Respondent group.", field: textField(func(r *Coding) *string { return &r.Group })},
				{Name: "organisation", Kind: Text, Description: "Respondent's organisation; never published unless configured.", field: textField(func(r *Coding) *string { return &r.Organisation })},
				{Name: "code", Kind: Text, Required: true, Description: "Code (theme) applied.", field: textField(func(r *Coding) *string { return &r.Code })},
				{Name: "valence", Kind: Enum, Values: clone(valences), Description: "Whether the view expressed was positive, negative, mixed or neutral.", field: textField(func(r *Coding) *string { return &r.Valence })},
				{Name: "excerpt", Kind: Text, Description: "Quotation from the transcript; published only when cleared.", field: textField(func(r *Coding) *string { return &r.Excerpt })},
				{Name: "cleared", Kind: YesNo, Description: "Whether the excerpt is cleared for publication (yes or no; blank is no).", field: boolField(func(r *Coding) *bool { return &r.Cleared })},
			},
		},
		{
			Name: "codebook", Workbook: "codings.xlsx", Sheet: "Codebook", CSV: "codebook.csv",
			Optional: true, Key: "code",
			Description: "One row per code of the analysis, with its label and definition.",
			Columns: []Column{
				{Name: "code", Kind: Text, Required: true, Description: "The code as used in the codings.", field: textField(func(r *Code) *string { return &r.Code })},
				{Name: "label", Kind: Text, Required: true, Description: "Label shown to readers.", field: textField(func(r *Code) *string { return &r.Label })},
				{Name: "parent", Kind: Text, Description: "Broader code this one belongs to.", field: textField(func(r *Code) *string { return &r.Parent })},
				{Name: "description", Kind: Text, Description: "What the code covers.", field: textField(func(r *Code) *string { return &r.Description })},
			},
		},
	}
}

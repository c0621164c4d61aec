package ingest

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

// Column describes one column of a dataset.
type Column struct {
	Name        string   // canonical name, such as "agreement_id"
	Kind        Kind     // type of the values
	Required    bool     // the header must be present and every value filled
	Values      []string // canonical values of an Enum column
	Description string   // one sentence for the instructions sheet and the downloads page
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
				{Name: "agreement_id", Kind: Text, Required: true, Description: "Unique identifier of the agreement."},
				{Name: "authority", Kind: Text, Required: true, Description: "Name of the local authority."},
				{Name: "authority_type", Kind: Enum, Values: clone(authorityTypes), Description: "Type of authority."},
				{Name: "region", Kind: Text, Description: "Region of England the authority is in."},
				{Name: "tranche", Kind: Text, Description: "Group of agreements negotiated together, as the team names it."},
				{Name: "started", Kind: Date, Required: true, Description: "Date negotiations started."},
				{Name: "signed", Kind: Date, Description: "Date the agreement was signed; blank if not signed."},
				{Name: "withdrawn", Kind: Date, Description: "Date the authority withdrew or negotiations stopped; blank if not withdrawn."},
				{Name: "targets", Kind: Integer, Description: "Number of stretch targets in the agreement."},
				{Name: "pump_priming_gbp", Kind: Number, Description: "Pump-priming grant offered, in pounds."},
				{Name: "reward_grant_gbp", Kind: Number, Description: "Performance reward grant available if all targets are met, in pounds."},
			},
		},
		{
			Name: "freedoms", Workbook: "agreements.xlsx", Sheet: "Freedoms", CSV: "freedoms.csv",
			Key:         "request_id",
			Description: "One row per request for a freedom or flexibility, with the department's answer.",
			Columns: []Column{
				{Name: "request_id", Kind: Text, Required: true, Description: "Unique identifier of the request."},
				{Name: "agreement_id", Kind: Text, Required: true, Description: "Agreement the request was made in."},
				{Name: "department", Kind: Text, Required: true, Description: "Government department that answered the request."},
				{Name: "request", Kind: Text, Description: "What the authority asked for."},
				{Name: "outcome", Kind: Enum, Required: true, Values: clone(outcomes), Description: "The department's answer."},
				{Name: "reason", Kind: Enum, Values: clone(reasons), Description: "Why the request was not granted; required when the outcome is not_granted."},
				{Name: "decided", Kind: Date, Description: "Date of the answer."},
			},
		},
		{
			Name: "events", Workbook: "timings.xlsx", Sheet: "Events", OnlySheet: true, CSV: "events.csv",
			Description: "One row per dated contact in a negotiation, or programme-wide event.",
			Columns: []Column{
				{Name: "agreement_id", Kind: Text, Description: "Agreement the contact belongs to; blank for programme-wide events such as workshops."},
				{Name: "date", Kind: Date, Required: true, Description: "Date of the contact."},
				{Name: "type", Kind: Enum, Required: true, Values: clone(eventTypes), Description: "Kind of contact."},
				{Name: "department", Kind: Text, Description: "Department taking part, if one."},
				{Name: "hours", Kind: Number, Description: "Staff hours spent, if recorded."},
				{Name: "note", Kind: Text, Description: "Free-text note."},
			},
		},
		{
			Name: "codings", Workbook: "codings.xlsx", Sheet: "Codings", OnlySheet: true, CSV: "codings.csv",
			Description: "One row per code applied to an interview transcript.",
			Columns: []Column{
				{Name: "interview_id", Kind: Text, Required: true, Description: "Identifier of the interview."},
				{Name: "wave", Kind: Enum, Required: true, Values: []string{"1", "2"}, Description: "Interview wave, 1 or 2."},
				{Name: "group", Kind: Enum, Required: true, Values: clone(groups), Description: "Respondent group."},
				{Name: "organisation", Kind: Text, Description: "Respondent's organisation; never published unless configured."},
				{Name: "code", Kind: Text, Required: true, Description: "Code (theme) applied."},
				{Name: "valence", Kind: Enum, Values: clone(valences), Description: "Whether the view expressed was positive, negative, mixed or neutral."},
				{Name: "excerpt", Kind: Text, Description: "Quotation from the transcript; published only when cleared."},
				{Name: "cleared", Kind: YesNo, Description: "Whether the excerpt is cleared for publication (yes or no; blank is no)."},
			},
		},
		{
			Name: "codebook", Workbook: "codings.xlsx", Sheet: "Codebook", CSV: "codebook.csv",
			Optional: true, Key: "code",
			Description: "One row per code of the analysis, with its label and definition.",
			Columns: []Column{
				{Name: "code", Kind: Text, Required: true, Description: "The code as used in the codings."},
				{Name: "label", Kind: Text, Required: true, Description: "Label shown to readers."},
				{Name: "parent", Kind: Text, Description: "Broader code this one belongs to."},
				{Name: "description", Kind: Text, Description: "What the code covers."},
			},
		},
	}
}

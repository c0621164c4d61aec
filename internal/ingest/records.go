// Package ingest reads the spreadsheet exports of an evaluation (XLSX workbooks
// or CSV files, and REFI-QDA projects for the interview codings) into typed records, and reports every problem it finds with
// the file, sheet, cell and column a person needs to fix it.
package ingest

import "time"

// Status is the state of a negotiation, derived from its dates.
type Status string

// The statuses of an agreement.
const (
	StatusSigned        Status = "signed"
	StatusWithdrawn     Status = "withdrawn"
	StatusInNegotiation Status = "in_negotiation"
)

// Pos is where a record came from, for messages that point back at it.
type Pos struct {
	File  string // the path as the user gave it, such as "data/agreements.xlsx"
	Sheet string // empty for a CSV file
	Row   int    // 1-based, as a spreadsheet program shows it
}

// Agreement is one negotiation with one authority.
// Dates are UTC midnights; a zero time means the cell was blank.
type Agreement struct {
	ID             string
	Authority      string
	AuthorityType  string // canonical: county, unitary, ...; empty when blank
	Region         string
	Tranche        string
	Started        time.Time
	Signed         time.Time
	Withdrawn      time.Time
	Targets        *int
	PumpPrimingGBP *float64
	RewardGrantGBP *float64
	Pos            Pos
}

// Status reports whether the agreement is signed, withdrawn or still in negotiation.
func (a Agreement) Status() Status {
	switch {
	case !a.Signed.IsZero():
		return StatusSigned
	case !a.Withdrawn.IsZero():
		return StatusWithdrawn
	}
	return StatusInNegotiation
}

// End returns the signed or withdrawn date, and false when the negotiation is open.
func (a Agreement) End() (time.Time, bool) {
	switch {
	case !a.Signed.IsZero():
		return a.Signed, true
	case !a.Withdrawn.IsZero():
		return a.Withdrawn, true
	}
	return time.Time{}, false
}

// Freedom is one request by an authority for a freedom or flexibility, and a
// department's answer to it.
type Freedom struct {
	RequestID   string
	AgreementID string
	Department  string
	Request     string
	Outcome     string // canonical: granted, partly_granted, not_granted, deferred
	Reason      string // canonical, or empty
	Decided     time.Time
	Pos         Pos
}

// Event is one dated contact. AgreementID is empty for programme-wide events.
type Event struct {
	AgreementID string
	Date        time.Time
	Type        string // canonical: meeting, bilateral, ...
	Department  string
	Hours       *float64
	Note        string
	Pos         Pos
}

// Coding is one code applied to one interview.
type Coding struct {
	InterviewID  string
	Wave         int    // 1 or 2
	Group        string // canonical: local_authority, department, ...
	Organisation string
	Code         string
	Valence      string // canonical, or empty
	Excerpt      string
	Cleared      bool
	Pos          Pos
}

// Code is one entry of the optional codebook.
type Code struct {
	Code        string
	Label       string
	Parent      string
	Description string
	Pos         Pos
}

// Data is every record of one evaluation, in the order of the input files.
type Data struct {
	Agreements []Agreement
	Freedoms   []Freedom
	Events     []Event
	Codings    []Coding
	Codebook   []Code // nil when no codebook was given

	// Sources names the file each dataset was read from, by dataset name
	// ("agreements", "freedoms", ...); a missing optional dataset is absent.
	Sources map[string]string

	// Rows counts the data rows read per dataset (blank rows and rows above
	// the header not counted), for the summary of `evalsite check`.
	Rows map[string]int

	// Warnings are problems that do not stop a build (unless strict).
	Warnings []*CellError

	// Notices say what the input leaves out, such as a dataset that is
	// absent, so that its section is left out of the site. They are never
	// errors, even when strict.
	Notices []*CellError

	// Illustrative lists the files that carry the illustrative mark (a
	// title row starting IllustrativeMark above the header): synthetic
	// data, which every page and download built from it must say it is.
	Illustrative []string
}

// Present reports whether the dataset of that name ("freedoms", "events",
// ...) was found in the input, so that its section belongs in the site.
func (d *Data) Present(dataset string) bool {
	_, ok := d.Sources[dataset]
	return ok
}

// LatestDate returns the latest date anywhere in the records (agreement
// dates, decisions and events), or the zero time when there is none.
func (d *Data) LatestDate() time.Time {
	var latest time.Time
	see := func(t time.Time) {
		if t.After(latest) {
			latest = t
		}
	}
	for _, a := range d.Agreements {
		see(a.Started)
		see(a.Signed)
		see(a.Withdrawn)
	}
	for _, f := range d.Freedoms {
		see(f.Decided)
	}
	for _, e := range d.Events {
		see(e.Date)
	}
	return latest
}

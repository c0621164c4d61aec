package metrics

import (
	"fmt"
	"strings"
	"time"

	"github.com/evalsite/evalsite/internal/ingest"
)

// CutChange counts the records of one dataset that the as_of cut changed or
// left out, for the one warning a build gives per dataset.
type CutChange struct {
	Dataset string // "agreements", "freedoms" or "events"
	// Records is every record of the dataset the cut touched.
	Records int
	// Dropped of them are left out: agreements started after as_of (and
	// their freedoms and events), and events dated after it.
	Dropped int
	// Changed of them are kept with a later date cleared: a signing or
	// withdrawal after as_of (still in negotiation then), or a decision on a
	// freedom after as_of (deferred then, with no decision date).
	Changed int
}

// String says what the cut did to the dataset, for a warning: "events: 12
// records after as_of 2000-12-01 are left out of the figures (12 dated after
// it)".
func (c CutChange) String(asOf time.Time) string {
	var dropped, changed string
	switch c.Dataset {
	case "agreements":
		dropped, changed = "started after it, left out", "signed or withdrawn after it, counted as still in negotiation"
	case "freedoms":
		dropped, changed = "of agreements started after it, left out", "decided after it, counted as deferred with no decision date"
	default:
		dropped = "dated after it or of agreements started after it, left out"
	}
	var parts []string
	if c.Dropped > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", c.Dropped, dropped))
	}
	if c.Changed > 0 {
		parts = append(parts, fmt.Sprintf("%d %s", c.Changed, changed))
	}
	return fmt.Sprintf("%s: %d %s changed by the cut at as_of %s (%s)", c.Dataset, c.Records, recordsWord(c.Records), asOf.Format(time.DateOnly), strings.Join(parts, "; "))
}

func recordsWord(n int) string {
	if n == 1 {
		return "record"
	}
	return "records"
}

// Cut returns the records as they stood at the end of the as_of day, so that
// every figure computed from them describes the evaluation at that date:
//
//   - an agreement started after as_of is left out, with its freedoms and
//     events;
//   - a signing or withdrawal after as_of is cleared: the agreement is still
//     in negotiation at as_of;
//   - an event dated after as_of is left out;
//   - a freedom decided after as_of is deferred, with no decision date and no
//     reason (nothing had been decided yet).
//
// Records without a date to compare (a freedom with no decision date,
// codings, the codebook) are kept as they are. d is never modified: when the
// cut changes nothing d itself is returned, else a copy with new record
// slices (shared records are copied before they are changed). A zero asOf
// cuts nothing. The changes are counted per dataset, in the order
// agreements, freedoms, events, datasets the cut did not touch left out.
func Cut(d *ingest.Data, asOf time.Time) (*ingest.Data, []CutChange) {
	if d == nil || asOf.IsZero() {
		return d, nil
	}
	end := dayOf(asOf)
	after := func(t time.Time) bool { return !t.IsZero() && dayOf(t) > end }

	ag := CutChange{Dataset: "agreements"}
	fr := CutChange{Dataset: "freedoms"}
	ev := CutChange{Dataset: "events"}
	late := map[string]bool{} // agreements started after as_of
	for _, a := range d.Agreements {
		switch {
		case after(a.Started):
			late[a.ID] = true
			ag.Dropped++
		case after(a.Signed) || after(a.Withdrawn):
			ag.Changed++
		}
	}
	for _, f := range d.Freedoms {
		switch {
		case late[f.AgreementID]:
			fr.Dropped++
		case after(f.Decided):
			fr.Changed++
		}
	}
	for _, e := range d.Events {
		if (e.AgreementID != "" && late[e.AgreementID]) || after(e.Date) {
			ev.Dropped++
		}
	}
	var changes []CutChange
	for _, c := range []*CutChange{&ag, &fr, &ev} {
		c.Records = c.Dropped + c.Changed
		if c.Records > 0 {
			changes = append(changes, *c)
		}
	}
	if len(changes) == 0 {
		return d, nil
	}

	out := *d
	if ag.Records > 0 {
		out.Agreements = make([]ingest.Agreement, 0, len(d.Agreements)-ag.Dropped)
		for _, a := range d.Agreements {
			if late[a.ID] {
				continue
			}
			if after(a.Signed) {
				a.Signed = time.Time{}
			}
			if after(a.Withdrawn) {
				a.Withdrawn = time.Time{}
			}
			out.Agreements = append(out.Agreements, a)
		}
	}
	if fr.Records > 0 {
		out.Freedoms = make([]ingest.Freedom, 0, len(d.Freedoms)-fr.Dropped)
		for _, f := range d.Freedoms {
			if late[f.AgreementID] {
				continue
			}
			if after(f.Decided) {
				f.Decided = time.Time{}
				f.Outcome = "deferred"
				f.Reason = ""
			}
			out.Freedoms = append(out.Freedoms, f)
		}
	}
	if ev.Records > 0 {
		out.Events = make([]ingest.Event, 0, len(d.Events)-ev.Dropped)
		for _, e := range d.Events {
			if (e.AgreementID != "" && late[e.AgreementID]) || after(e.Date) {
				continue
			}
			out.Events = append(out.Events, e)
		}
	}
	return &out, changes
}

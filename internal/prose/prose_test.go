package prose

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// data: three agreements (two signed, one open), four freedoms of which one
// is granted and one partly granted, meetings in two months (December the
// busier, with 3), and codings in two waves.
func data() *ingest.Data {
	return &ingest.Data{
		Agreements: []ingest.Agreement{
			{ID: "A1", Authority: "Avon", Started: day("2000-11-01"), Signed: day("2000-12-01")},
			{ID: "A2", Authority: "Bath", Started: day("2000-11-06"), Signed: day("2001-01-16")},
			{ID: "A3", Authority: "Cork", Started: day("2000-11-11")},
		},
		Freedoms: []ingest.Freedom{
			{RequestID: "F1", AgreementID: "A1", Department: "Home Office", Outcome: "granted"},
			{RequestID: "F2", AgreementID: "A1", Department: "Home Office", Outcome: "partly_granted"},
			{RequestID: "F3", AgreementID: "A2", Department: "H.M. Treasury", Outcome: "not_granted", Reason: "precedent"},
			{RequestID: "F4", AgreementID: "A3", Department: "H.M. Treasury", Outcome: "deferred"},
		},
		Events: []ingest.Event{
			{AgreementID: "A1", Date: day("2000-11-20"), Type: "meeting"},
			{AgreementID: "A1", Date: day("2000-12-04"), Type: "meeting"},
			{AgreementID: "A2", Date: day("2000-12-05"), Type: "meeting"},
			{AgreementID: "A3", Date: day("2000-12-06"), Type: "meeting"},
		},
		Codings: []ingest.Coding{
			{InterviewID: "I1", Wave: 1, Group: "local_authority", Code: "trust"},
			{InterviewID: "I2", Wave: 1, Group: "local_authority", Code: "delay"},
			{InterviewID: "I3", Wave: 2, Group: "department", Code: "trust"},
			{InterviewID: "I4", Wave: 2, Group: "department", Code: "trust"},
		},
	}
}

func env(t *testing.T, hidden ...string) *Env {
	t.Helper()
	m := metrics.Compute(data(), metrics.Config{})
	return New(m, func(name string) bool {
		for _, h := range hidden {
			if h == name {
				return true
			}
		}
		return false
	})
}

func TestConditions(t *testing.T) {
	t.Parallel()
	e := env(t)
	cases := []struct {
		src  string
		want bool
	}{
		{"agreements.signed == agreements.total", false},
		{"agreements.signed == 2 and agreements.in_negotiation == 1", true},
		{"not (agreements.withdrawn > 0)", true},
		{"freedoms.granted_rate > 0.4", true}, // 2 of 4
		{"freedoms.granted_rate * freedoms.requested == 2", true},
		{"freedoms.by_department.Home Office.granted == 1", true},           // a key with a space
		{"freedoms.by_department.H.M. Treasury.requested == 2", true},       // a key with dots
		{"events.meetings_by_month.2000-12 - 1 == 2", true},                 // a key with a hyphen, then a minus
		{"events.meetings_by_month.{events.peak_meeting_month} == 3", true}, // keyed by another figure
		{"events.peak_meeting_month == '2000-12'", true},
		{"codings.codes.trust.by_wave.2.share > codings.codes.trust.by_wave.1.share", true},
		{"time_to_agreement_days.km_median != nil or agreements.signed == 0", true},
		{"as_of > concurrency.peak_first_date", true},
		{"concurrency.peak >= 2 || agreements.total < 3", true},
		{"exists('freedoms.by_department.Home Office.requested')", true},
		{"exists('freedoms.by_department.DfEE.requested') and freedoms.by_department.DfEE.requested > 1", false},
	}
	for _, c := range cases {
		got, seen, err := e.Condition(c.src)
		if err != nil {
			t.Errorf("Condition(%q): %v", c.src, err)
			continue
		}
		if got != c.want {
			t.Errorf("Condition(%q) = %v, want %v (saw %s)", c.src, got, c.want, SeenList(seen))
		}
	}
}

func TestConditionErrors(t *testing.T) {
	t.Parallel()
	e := env(t)
	cases := []struct{ src, want string }{
		{"agreements.signd == 2", `unknown metric "agreements.signd" (did you mean "agreements.signed"?)`},
		{"agreements.total + 1", "expected bool"},
		{"agreemnts == 2", "unknown name agreemnts"},
		{"events.meetings_by_month.{events.peak_meetng_month} > 1", `did you mean "events.peak_meeting_month"`},
		{"agreements.signed > 'x'", "mismatched types"},
	}
	for _, c := range cases {
		_, _, err := e.Condition(c.src)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Condition(%q) error = %v, want it to say %q", c.src, err, c.want)
		}
	}
	// A null figure is nil: compared without a guard it is an error that
	// says so; with a guard it is false.
	null := metrics.Compute(&ingest.Data{Agreements: data().Agreements[2:]}, metrics.Config{})
	en := New(null, nil)
	if _, _, err := en.Condition("time_to_agreement_days.median > 10"); err == nil || !strings.Contains(err.Error(), "not available") {
		t.Errorf("unguarded null: error %v, want one saying the figure is not available", err)
	}
	if ok, _, err := en.Condition("time_to_agreement_days.median != nil and time_to_agreement_days.median > 10"); err != nil || ok {
		t.Errorf("guarded null = %v, %v; want false, nil", ok, err)
	}
}

func TestAssertNamesTheValues(t *testing.T) {
	t.Parallel()
	e := env(t)
	err := e.Assert("agreements.signed == agreements.total")
	if !errors.Is(err, ErrAssertion) {
		t.Fatalf("Assert of a false condition = %v, want ErrAssertion", err)
	}
	for _, want := range []string{"agreements.signed == agreements.total", "agreements.signed = 2", "agreements.total = 3"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("assertion error %q does not say %q", err, want)
		}
	}
	if err := e.Assert("agreements.signed < agreements.total"); err != nil {
		t.Errorf("Assert of a true condition: %v", err)
	}
}

func TestWithheldFiguresRevealNothing(t *testing.T) {
	t.Parallel()
	e := env(t, "codings.codes.delay.interviews")
	// Withheld, the figure is null: only a guarded condition can read it.
	if ok, _, err := e.Condition("codings.codes.delay.interviews != nil and codings.codes.delay.interviews == 1"); err != nil || ok {
		t.Errorf("condition on a withheld figure = %v, %v; want false", ok, err)
	}
	// Unguarded, a condition that cannot be told is false, not an error:
	// the author cannot know which figures will be withheld.
	if ok, _, err := e.Condition("codings.codes.delay.interviews == 1"); err != nil || ok {
		t.Errorf("unguarded condition on a withheld figure = %v, %v; want false", ok, err)
	}
	if err := e.Assert("codings.codes.delay.interviews == 1"); !errors.Is(err, ErrAssertion) || !strings.Contains(err.Error(), "[c]") {
		t.Errorf("assertion on a withheld figure = %v, want a false assertion that shows [c]", err)
	}
	if got, _ := e.Count("codings.codes.delay.interviews", "interview", ""); got != "[c] interviews" {
		t.Errorf("Count of a withheld figure = %q", got)
	}
	if got, _ := e.Number("codings.codes.delay.interviews"); got != "[c]" {
		t.Errorf("Number of a withheld figure = %q", got)
	}
}

func TestWords(t *testing.T) {
	t.Parallel()
	e := env(t)
	check := func(got string, err error, want string) {
		t.Helper()
		if err != nil || got != want {
			t.Errorf("got %q, %v; want %q", got, err, want)
		}
	}
	got, err := e.Count("agreements.in_negotiation", "negotiation", "")
	check(got, err, "one negotiation")
	got, err = e.Count("agreements.signed", "agreement", "")
	check(got, err, "two agreements")
	got, err = e.Count("agreements.withdrawn", "authority", "authorities")
	check(got, err, "no authorities")
	got, err = e.Number("agreements.total")
	check(got, err, "three")
	got, err = e.Plural("agreements.in_negotiation", "was", "were")
	check(got, err, "was")
	got, err = e.Change("codings.codes.trust.by_wave.1.share", "codings.codes.trust.by_wave.2.share")
	check(got, err, "rose from 50% to 100%")
	got, err = e.Change("codings.codes.trust.by_wave.2.share", "codings.codes.trust.by_wave.1.share")
	check(got, err, "fell from 100% to 50%")
	got, err = e.Change("freedoms.granted", "freedoms.partly_granted")
	check(got, err, "stayed at 1")
	got, err = e.Change("freedoms.not_granted", "freedoms.requested", "grew", "shrank", "held at")
	check(got, err, "grew from 1 to 4")
	got, err = e.Text("events.meetings_by_month.{events.peak_meeting_month}")
	check(got, err, "3")
	if _, err := e.Count("freedoms.granted_rate", "x", ""); err == nil {
		t.Errorf("Count of a share: no error")
	}
}

func TestTop(t *testing.T) {
	t.Parallel()
	e := env(t)
	// Home Office and H.M. Treasury both received 2 requests.
	key, v, ties, err := e.Top("freedoms.by_department.<department>.requested")
	if err != nil || v != 2 || ties != 2 || key != "H.M. Treasury" {
		t.Errorf("Top(requested) = %q, %v, %d, %v; want H.M. Treasury (first by name), 2, 2 ties", key, v, ties, err)
	}
	if ok, _, err := e.Condition("ties('freedoms.by_department.<department>.requested') == 1"); err != nil || ok {
		t.Errorf("ties condition = %v, %v; want false", ok, err)
	}
	got, err := e.Text("freedoms.by_department.{top freedoms.by_department.<department>.granted}.granted")
	if err != nil || got != "1" {
		t.Errorf("keyed by top = %q, %v", got, err)
	}
	if got := Escape("A&B <x> [l](u) *e*"); got != "A&#38;B &#60;x&#62; &#91;l&#93;(u) &#42;e&#42;" {
		t.Errorf("Escape = %q", got)
	}
}

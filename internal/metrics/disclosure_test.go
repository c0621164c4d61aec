package metrics

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestDiscloseOffLeavesMetricsAlone(t *testing.T) {
	t.Parallel()
	d := handData()
	m := Compute(d, Config{Capacity: 2})
	if got := Disclose(m, d.Codings, 0); got != m {
		t.Error("Disclose with threshold 0 returned other metrics")
	}
	got, err := m.PublishedJSON()
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.MarshalIndent(m, "", "  ")
	if !bytes.Equal(got, append(want, '\n')) {
		t.Error("PublishedJSON without disclosure control is not metrics.json as before")
	}
}

// TestDiscloseHandData works through the hand data at threshold 2: five
// interviews, two in local_authority, two in department, one in
// policy_centre.
func TestDiscloseHandData(t *testing.T) {
	t.Parallel()
	d := handData()
	m := Disclose(Compute(d, Config{Capacity: 2}), d.Codings, 2)
	disc := m.Disclosure
	// policy_centre (1) is below 2. The groups add up to the 5 interviews,
	// so the smallest other group, local_authority (2, first of the two),
	// is withheld to protect it: 5 - 2 would give policy_centre away.
	for g, want := range map[string]Reason{"policy_centre": BelowThreshold, "local_authority": Protecting, "department": Shown} {
		if got := disc.InterviewsByGroup[g].Reason; got != want {
			t.Errorf("interviews_by_group.%s reason %d, want %d", g, got, want)
		}
	}
	// A withheld group withholds every count within it, with its share.
	if s := disc.Codes["delay"].ByGroup["local_authority"]; !s.Interviews.Withheld() || !s.Share.Withheld {
		t.Errorf("delay in local_authority = %+v, want withheld under its withheld group", s)
	}
	f, err := m.Lookup("codings.interviews_by_group.policy_centre")
	if err != nil {
		t.Fatal(err)
	}
	if !f.Withheld || f.Text != Withheld || f.Value != nil {
		t.Errorf("Lookup of a withheld figure = %+v, want Withheld, %q and no value", f, Withheld)
	}
	if f, _ := m.Lookup("codings.interviews"); f.Withheld || f.Text != "5" {
		t.Errorf("Lookup(codings.interviews) = %+v, want 5 shown", f)
	}
	// Pairs: delay-targets (3) and delay-freedoms (2) reach 2; the others
	// (1) do not, and capacity's own count is withheld anyway.
	if f, _ := m.Lookup("codings.cooccurrence.capacity.workload"); !f.Withheld {
		t.Errorf("capacity-workload = %+v, want withheld", f)
	}

	js, err := m.PublishedJSON()
	if err != nil {
		t.Fatal(err)
	}
	var pub struct {
		AsOf    string `json:"as_of"`
		Codings struct {
			InterviewsByGroup map[string]any `json:"interviews_by_group"`
			Cooccurrence      []Pair         `json:"cooccurrence"`
		} `json:"codings"`
	}
	if err := json.Unmarshal(js, &pub); err != nil {
		t.Fatal(err)
	}
	if pub.AsOf == "" || pub.Codings.InterviewsByGroup["policy_centre"] != Withheld || pub.Codings.InterviewsByGroup["department"] != 2.0 {
		t.Errorf("metrics.json = %s", js)
	}
	for _, p := range pub.Codings.Cooccurrence {
		if p.Interviews < 2 {
			t.Errorf("metrics.json lists pair %+v below the threshold", p)
		}
	}
	// The keys keep their place: codings between freedoms and equity.
	if i, j, k := bytes.Index(js, []byte(`"freedoms"`)), bytes.Index(js, []byte(`"codings"`)), bytes.Index(js, []byte(`"equity"`)); !(i < j && j < k) {
		t.Error("metrics.json keys out of order")
	}
	if !strings.HasSuffix(string(js), "}\n") {
		t.Error("metrics.json does not end in a newline")
	}
}

// TestDisclosedPairsOrder: the published pairs come by count, the withheld
// ones after them by name, whatever their counts.
func TestDisclosedPairsOrder(t *testing.T) {
	t.Parallel()
	for seed := range uint64(10) {
		d := randomData(seed, 60)
		m := Disclose(Compute(d, Config{}), d.Codings, 4)
		ps := m.Disclosure.Cooccurrence
		for i := 1; i < len(ps); i++ {
			a, b := ps[i-1], ps[i]
			switch {
			case a.Interviews.Withheld() && !b.Interviews.Withheld():
				t.Fatalf("seed %d: withheld pair %v before shown %v", seed, a, b)
			case a.Interviews.Withheld():
				if a.A > b.A || a.A == b.A && a.B > b.B {
					t.Fatalf("seed %d: withheld pairs %v, %v not by name", seed, a, b)
				}
			case !b.Interviews.Withheld() && a.Interviews.N < b.Interviews.N:
				t.Fatalf("seed %d: shown pairs %v, %v not by count", seed, a, b)
			}
		}
	}
}

package metrics

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/evalsite/evalsite/internal/ingest"
)

// shape is the size of a synthetic data set.
type shape struct {
	agreements, eventsPer, freedomsPer, interviews, codingsPer int
}

var (
	outcomeValues = []string{"granted", "partly_granted", "not_granted", "deferred"}
	reasonValues  = []string{"already_available", "precedent", "primary_legislation", "timescale", "funding", "unclear", "policy", "joined_up", "other"}
	typeValues    = []string{"meeting", "bilateral", "correspondence", "draft", "briefing", "signing", "workshop", "other"}
	groupValues   = []string{"local_authority", "department", "policy_centre", "lga", "government_office", "partner", "other"}
	departments   = []string{"Home Office", "Department for Education", "H.M. Treasury", "Department of Health", "DTLR", "DWP"}
)

// generate makes valid data of the given shape from a seeded RNG: every end
// on or after its start, every reference known, an interview with one wave
// and group, and some codes repeated within an interview.
func generate(seed uint64, sh shape) *ingest.Data {
	r := rand.New(rand.NewPCG(seed, 1))
	base := time.Date(2000, 11, 1, 0, 0, 0, 0, time.UTC)
	d := &ingest.Data{}
	for i := range sh.agreements {
		a := ingest.Agreement{
			ID:        fmt.Sprintf("A%05d", i),
			Authority: fmt.Sprintf("Authority %d", r.IntN(max(1, sh.agreements*3/4))),
			Tranche:   []string{"1", "2", "3", ""}[r.IntN(4)],
			Started:   base.AddDate(0, 0, r.IntN(300)),
		}
		switch r.IntN(4) {
		case 0, 1:
			a.Signed = a.Started.AddDate(0, 0, r.IntN(200))
		case 2:
			a.Withdrawn = a.Started.AddDate(0, 0, r.IntN(100))
		}
		d.Agreements = append(d.Agreements, a)
		for range sh.eventsPer {
			e := ingest.Event{AgreementID: a.ID, Date: a.Started.AddDate(0, 0, r.IntN(250)), Type: typeValues[r.IntN(len(typeValues))]}
			if r.IntN(20) == 0 {
				e.AgreementID = ""
			}
			d.Events = append(d.Events, e)
		}
		for k := range sh.freedomsPer {
			fr := ingest.Freedom{
				RequestID:   fmt.Sprintf("%s-F%d", a.ID, k),
				AgreementID: a.ID,
				Department:  departments[r.IntN(len(departments))],
				Outcome:     outcomeValues[r.IntN(len(outcomeValues))],
			}
			if fr.Outcome == "not_granted" || r.IntN(5) == 0 {
				fr.Reason = reasonValues[r.IntN(len(reasonValues))]
			}
			d.Freedoms = append(d.Freedoms, fr)
		}
	}
	for i := range sh.interviews {
		id, wave, group := fmt.Sprintf("I%04d", i), 1+r.IntN(2), groupValues[r.IntN(len(groupValues))]
		for range sh.codingsPer {
			d.Codings = append(d.Codings, ingest.Coding{InterviewID: id, Wave: wave, Group: group, Code: fmt.Sprintf("code%02d", r.IntN(40))})
		}
	}
	return d
}

func randomData(seed uint64, agreements int) *ingest.Data {
	return generate(seed, shape{agreements: agreements, eventsPer: 5, freedomsPer: 3, interviews: agreements / 2, codingsPer: 6})
}

// TestComputeProperties checks what must hold whatever the data.
func TestComputeProperties(t *testing.T) {
	t.Parallel()
	for seed := range uint64(40) {
		size := []int{0, 1, 2, 5, 30, 200}[seed%6]
		d := randomData(seed, size)
		cfg := Config{Capacity: int(seed % 8)}
		m := Compute(d, cfg)
		where := fmt.Sprintf("seed %d, %d agreements", seed, size)

		if m.Concurrency.Peak > m.Agreements.Total {
			t.Errorf("%s: peak %d > total agreements %d", where, m.Concurrency.Peak, m.Agreements.Total)
		}
		if c := m.Agreements; c.Signed+c.InNegotiation+c.Withdrawn != c.Total {
			t.Errorf("%s: agreements by status %+v do not sum to total", where, c)
		}
		sumOutcomes := func(c OutcomeCounts) int { return c.Granted + c.PartlyGranted + c.NotGranted + c.Deferred }
		if sumOutcomes(m.Freedoms.OutcomeCounts) != m.Freedoms.Requested {
			t.Errorf("%s: outcomes %+v do not sum to requested", where, m.Freedoms.OutcomeCounts)
		}
		byDept := 0
		for dept, c := range m.Freedoms.ByDepartment {
			if sumOutcomes(c) != c.Requested {
				t.Errorf("%s: outcomes of %s %+v do not sum to requested", where, dept, c)
			}
			byDept += c.Requested
		}
		if byDept != m.Freedoms.Requested {
			t.Errorf("%s: requests by department sum to %d, want %d", where, byDept, m.Freedoms.Requested)
		}
		if (m.Freedoms.GrantedRate == nil) != (m.Freedoms.Requested == 0) {
			t.Errorf("%s: granted_rate %v with %d requests", where, m.Freedoms.GrantedRate, m.Freedoms.Requested)
		}

		shares := []*float64{m.Freedoms.GrantedRate, m.Equity.GrantedRateMin, m.Equity.GrantedRateMax}
		for code, cs := range m.Codings.Codes {
			shares = append(shares, &cs.Share)
			for g, sh := range cs.ByGroup {
				shares = append(shares, &sh.Share)
				if sh.Interviews > m.Codings.InterviewsByGroup[g] {
					t.Errorf("%s: code %s in %d %s interviews of %d", where, code, sh.Interviews, g, m.Codings.InterviewsByGroup[g])
				}
			}
			for _, sh := range cs.ByWave {
				shares = append(shares, &sh.Share)
			}
		}
		for _, sh := range shares {
			if sh != nil && (*sh < 0 || *sh > 1) {
				t.Errorf("%s: share %v outside [0, 1]", where, *sh)
			}
		}

		st := m.TimeToAgreement.Stats
		if st.N != m.Agreements.Signed {
			t.Errorf("%s: n = %d, want signed %d", where, st.N, m.Agreements.Signed)
		}
		if st.N > 0 && !(*st.Min <= *st.P25 && *st.P25 <= *st.Median && *st.Median <= *st.P75 && *st.P75 <= *st.Max && *st.Min <= *st.Mean && *st.Mean <= *st.Max) {
			t.Errorf("%s: statistics out of order: %+v", where, st)
		}
		if len(m.Detail.Active) > 0 {
			peak := 0
			over := 0
			for _, dc := range m.Detail.Active {
				peak = max(peak, dc.Active)
				if dc.Active > m.Concurrency.Capacity {
					over++
				}
			}
			if peak != m.Concurrency.Peak || over != m.Concurrency.DaysOverCapacity {
				t.Errorf("%s: active series gives peak %d, %d days over; metrics say %d, %d", where, peak, over, m.Concurrency.Peak, m.Concurrency.DaysOverCapacity)
			}
		}
		// The sweep agrees with testing every agreement on every day.
		for _, dc := range m.Detail.Active {
			want := 0
			for _, a := range d.Agreements {
				end := m.AsOf.AddDate(0, 0, 1)
				if e, ok := a.End(); ok {
					end = e
				}
				if !dc.Date.Before(a.Started) && dc.Date.Before(end) {
					want++
				}
			}
			if dc.Active != want {
				t.Errorf("%s: %s active = %d, counting by hand gives %d", where, dc.Date.Format(time.DateOnly), dc.Active, want)
				break
			}
		}
	}
}

func TestCodingPairsDenseAndSparseAgree(t *testing.T) {
	t.Parallel()
	for seed := range uint64(5) {
		d := randomData(seed, 300)
		dense, sparse := countCodings(d.Codings, densePairLimit), countCodings(d.Codings, 0)
		if diff := cmp.Diff(dense, sparse); diff != "" {
			t.Errorf("seed %d: dense and sparse pair counts differ (-dense +sparse):\n%s", seed, diff)
		}
		if len(dense.Cooccurrence) == 0 {
			t.Errorf("seed %d: no pairs to compare", seed)
		}
	}
}

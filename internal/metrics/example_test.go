package metrics_test

import (
	"fmt"
	"time"

	"github.com/evalsite/evalsite/internal/ingest"
	"github.com/evalsite/evalsite/internal/metrics"
)

func ExampleMetrics_Lookup() {
	date := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	data := &ingest.Data{
		Agreements: []ingest.Agreement{
			{ID: "A1", Authority: "Avon", Started: date("2000-11-01"), Signed: date("2000-12-15")},
			{ID: "A2", Authority: "Bath", Started: date("2000-11-20"), Signed: date("2001-01-29")},
		},
		Freedoms: []ingest.Freedom{
			{RequestID: "F1", AgreementID: "A1", Department: "Home Office", Outcome: "granted"},
			{RequestID: "F2", AgreementID: "A2", Department: "Home Office", Outcome: "not_granted", Reason: "precedent"},
		},
	}
	m := metrics.Compute(data, metrics.Config{})
	for _, name := range []string{
		"as_of",
		"time_to_agreement_days.median",
		"freedoms.granted_rate",
		"freedoms.by_department.Home Office.requested",
		"equity.time_to_agreement_cv",
		"time_to_agreement_days.km_median",
		"codings.interviews",
		"freedoms.grated_rate",
	} {
		f, err := m.Lookup(name)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Printf("%s: %s\n", f.Def.Label, f.Text)
	}
	// Output:
	// Figures as of: 29 January 2001
	// Median days to agreement: 57 days
	// Share of freedoms granted: 50%
	// Requests for freedoms by Home Office: 2
	// Variation in time to agreement: 0.32
	// Kaplan-Meier median days to agreement: 44 days
	// Interviews coded: 0
	// unknown metric "freedoms.grated_rate" (did you mean "freedoms.granted_rate"?)
}

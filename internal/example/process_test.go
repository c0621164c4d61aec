package example

import "testing"

// TestGenerateCarriesProcessPatterns checks the patterns the figures of
// effort, targets and grants show in the default example: hours on most
// contacts, about a dozen targets an agreement, and grants in the ranges of
// the pilot (pump-priming up to about a million and a half pounds; a reward
// of 2.5% of a budget, so a county's reward above any district's).
func TestGenerateCarriesProcessPatterns(t *testing.T) {
	t.Parallel()
	d := Generate(Config{})
	withHours := 0
	for _, e := range d.Events {
		if e.Hours != nil {
			withHours++
		}
	}
	if 2*withHours <= len(d.Events) {
		t.Errorf("%d of %d events give hours, want most", withHours, len(d.Events))
	}
	targets := 0
	maxDistrict, minCounty := 0.0, -1.0
	for _, a := range d.Agreements {
		targets += *a.Targets
		pump, reward := *a.PumpPrimingGBP, *a.RewardGrantGBP
		if pump < 250_000 || pump > 1_500_000 {
			t.Errorf("%s: pump-priming £%.0f outside £250,000 to £1,500,000", a.ID, pump)
		}
		if reward < 250_000 || reward > 22_500_000 {
			t.Errorf("%s: reward £%.0f outside £250,000 to £22,500,000", a.ID, reward)
		}
		switch a.AuthorityType {
		case "district":
			maxDistrict = max(maxDistrict, reward)
		case "county":
			if minCounty < 0 || reward < minCounty {
				minCounty = reward
			}
		}
	}
	if mean := float64(targets) / float64(len(d.Agreements)); mean < 10 || mean > 14 {
		t.Errorf("mean targets per agreement %.1f, want about a dozen", mean)
	}
	if minCounty >= 0 && maxDistrict >= minCounty {
		t.Errorf("a district's reward £%.0f is not below every county's (least £%.0f)", maxDistrict, minCounty)
	}
}

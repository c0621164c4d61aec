package site_test

import (
	"strings"
	"testing"
)

func TestMetricShortcodeCitesAFigure(t *testing.T) {
	b := mustBuildTxtar(t, `
-- content/report/figures.md --
---
title: Figures
---

Signed: {{< metric "agreements.signed" >}} of {{< metric "agreements.total" >}}; median {{< metric "time_to_agreement_days.median" >}}.
`)
	// Two of the four agreements signed, after 108 and 107 days.
	b.assertFile("report/figures/index.html", "<p>Signed: 2 of 4; median 107.5 days.</p>")
}

func TestChartShortcodeShowsImageTableAndCSV(t *testing.T) {
	b := mustBuildTxtar(t, `
-- content/report/chart.md --
---
title: Chart
---

{{< chart "time_to_agreement" >}}
`)
	b.assertFile("report/chart/index.html",
		`<figure class="chart" id="chart-time_to_agreement">`,
		`<img src="../../charts/time_to_agreement.svg" alt="`,
		`<tr><th scope="row">Kent County Council</th><td>13 November 2000</td><td>1 March 2001</td><td>108</td></tr>`,
		`<tr><th scope="row">Norfolk County Council</th><td>15 January 2001</td><td>2 May 2001</td><td>107</td></tr>`,
		// Withdrawn and unsigned agreements have no time to agreement.
		`! Leeds City Council`,
		`<a href="../../charts/time_to_agreement.csv" download>`,
	)
	b.assertFile("charts/time_to_agreement.csv", "Kent County Council,2000-11-13,2001-03-01,108")
	if svg := b.file("charts/time_to_agreement.svg"); !strings.HasPrefix(svg, "<svg") && !strings.HasPrefix(svg, "<?xml") {
		t.Errorf("time_to_agreement.svg starts %.40q, want an SVG document", svg)
	}
}

func TestTableShortcodeShowsNamedTablesAndChartData(t *testing.T) {
	b := mustBuildTxtar(t, `
-- content/report/tables.md --
---
title: Tables
---

{{< table "refusal_reasons" >}}

{{< table "time_to_agreement" >}}
`)
	b.assertFile("report/tables/index.html",
		"<caption>Table 1: Requests by the reason given for not granting them</caption>",
		// One refusal for each of two reasons; the deferred and granted
		// requests are not refusals.
		`<tr><th scope="row">Needs primary legislation</th><td>1</td></tr>`,
		`<tr><th scope="row">Would set a precedent</th><td>1</td></tr>`,
		`<tr><th scope="row">Department&#39;s policy</th><td>0</td></tr>`,
		// A chart's data is a table under the chart's name, without the image.
		`<tr><th scope="row">Kent County Council</th><td>13 November 2000</td><td>1 March 2001</td><td>108</td></tr>`,
		`! <img`,
	)
}

func TestUnknownNamesFailWithFileLineAndNearestName(t *testing.T) {
	for _, tc := range []struct {
		shortcode string
		want      []string
	}{
		{`{{< metric "agreements.signd" >}}`, []string{
			"content/report/bad.md:7:15:", `unknown metric "agreements.signd"`, `did you mean "agreements.signed"?`}},
		{`{{< chart "time_to_agreemnt" >}}`, []string{"content/report/bad.md:7", `unknown chart "time_to_agreemnt"`}},
		{`{{< table "refusal_reason" >}}`, []string{"content/report/bad.md:7", `unknown table "refusal_reason"`}},
	} {
		t.Run(tc.shortcode, func(t *testing.T) {
			_, err := buildTxtar(t, `
-- content/report/bad.md --
---
title: Bad
---

First line.

The figure is `+tc.shortcode+`.
`)
			if err == nil {
				t.Fatalf("build with %s succeeded", tc.shortcode)
			}
			for _, want := range tc.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("build error = %q, want it to contain %q", err, want)
				}
			}
		})
	}
}

func TestEveryUnknownMetricIsReportedAtOnce(t *testing.T) {
	_, err := buildTxtar(t, `
-- content/report/a.md --
---
title: A
---

{{< metric "agreements.totl" >}}
-- content/report/b.md --
---
title: B
---

x

{{% metric "events.totall" %}}
`)
	if err == nil {
		t.Fatal("build with two unknown metrics succeeded")
	}
	for _, want := range []string{
		`content/report/a.md:5:1: unknown metric "agreements.totl" (did you mean "agreements.total"?)`,
		`content/report/b.md:7:1: unknown metric "events.totall" (did you mean "events.total"?)`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("build error = %q, want it to contain %q", err, want)
		}
	}
}

// A spreadsheet cell holding shortcode or HTML syntax is text: it reaches
// the page escaped, never run as a shortcode nor as markup.
func TestSpreadsheetTextHoldingShortcodesStaysText(t *testing.T) {
	b := mustBuildTxtar(t, `
-- data/freedoms.csv --
request_id,agreement_id,department,request,outcome,reason,decided
F1,LPSA-01,DfES,"Pool {{< metric ""agreements.total"" >}} budgets",partly_granted,,2001-02-01
F2,LPSA-01,Home Office,"{{% chart ""time_to_agreement"" %}} <script>alert(1)</script>",not_granted,primary_legislation,2001-02-10
`)
	page := b.file("agreements/lpsa-01/index.html")
	for _, want := range []string{
		"Pool {{&lt; metric &#34;agreements.total&#34; &gt;}} budgets",
		"{{% chart &#34;time_to_agreement&#34; %}} &lt;script&gt;alert(1)&lt;/script&gt;",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("agreement page lacks the request as text %q", want)
		}
	}
	for _, bad := range []string{"Pool 4 budgets", "<script>alert", `id="chart-time_to_agreement"`} {
		if strings.Contains(page, bad) {
			t.Errorf("agreement page holds %q: spreadsheet text was run", bad)
		}
	}
}

// The refusal reasons chart draws a registry figure, so a chapter can cite
// the same number by name.
func TestRefusalReasonsChartShowsTheCitedFigure(t *testing.T) {
	b := mustBuildTxtar(t, `
-- content/report/refusals.md --
---
title: Refusals
---

Precedent: {{< metric "freedoms.refusal_reasons.precedent" >}}; legislation: {{< metric "freedoms.refusal_reasons.primary_legislation" >}}; timescale: {{< metric "freedoms.refusal_reasons.timescale" >}}.

{{< chart "refusal_reasons" >}}
`)
	b.assertFile("report/refusals/index.html",
		"<p>Precedent: 1; legislation: 1; timescale: 0.</p>",
		`<tr><th scope="row">Would set a precedent</th><td>1</td><td>50%</td></tr>`,
		`<tr><th scope="row">Needs primary legislation</th><td>1</td><td>50%</td></tr>`,
	)
}

// TestRefusalReasonsTableCountsRefusalsOnly: a deferred request may carry a
// reason, but it was not refused, so the table of reasons for not granting
// leaves it out, as the chart of the same name does.
func TestRefusalReasonsTableCountsRefusalsOnly(t *testing.T) {
	b := mustBuildTxtar(t, `
-- data/freedoms.csv --
request_id,agreement_id,department,request,outcome,reason,decided
F1,LPSA-01,Home Office,Relax reporting on crime,not_granted,primary_legislation,2001-02-10
F2,LPSA-03,DH,Joint commissioning,deferred,timescale,
-- content/report/tables.md --
---
title: Tables
---

{{< table "refusal_reasons" >}}
`)
	b.assertFile("report/tables/index.html",
		`<tr><th scope="row">Needs primary legislation</th><td>1</td></tr>`,
		`<tr><th scope="row">Timescale</th><td>0</td></tr>`,
	)
}

// TestGeneratedPageNeverHidesTheUsers: a page of the user's where evalsite
// makes an agreement's page is an error naming the file, not a page
// silently replaced; an introduction to the section is the user's to
// write.
func TestGeneratedPageNeverHidesTheUsers(t *testing.T) {
	_, err := buildTxtar(t, `
-- content/agreements/lpsa-01.md --
---
title: My own page
---
Hand-written.
`)
	if err == nil || !strings.Contains(err.Error(), "lpsa-01.md: evalsite makes this file itself") {
		t.Errorf("build with a page where an agreement's goes = %v, want it refused by name", err)
	}
	b := mustBuildTxtar(t, `
-- content/agreements/_index.md --
---
title: The agreements
---
Our introduction.
`)
	b.assertFile("agreements/index.html", "The agreements", "Our introduction.", "Kent County Council")
	b.assertFile("agreements/lpsa-01/index.html", "Kent County Council", "12")
}

// TestSearchIndexHoldsWrittenPagesAtAnyDepth: the search index gathers the
// written pages section by section (never from every page of the site),
// nested sections included, and the generated pages from their own list.
func TestSearchIndexHoldsWrittenPagesAtAnyDepth(t *testing.T) {
	b := mustBuildTxtar(t, `
-- content/report/_index.md --
---
title: Report
---
-- content/report/annex/_index.md --
---
title: Annexes
---
-- content/report/annex/tables.md --
---
title: Annex of extra tables
---
Text.
-- content/about.md --
---
title: About this evaluation
---
Text.
`)
	b.assertFile("search/index.js", "Annex of extra tables", "About this evaluation", "Kent County Council")
}
